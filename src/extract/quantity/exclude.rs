//! What is not a quantity: dates and years, page and section numbers, footnote markers,
//! designations ("AN-12"), ordinals ("149th"), list indices, citations in brackets.
//! Decided by rules over the tokens around a number, without the time extractor.

use super::data::QData;
use super::phrases::Lookup;
use super::token::{Kind, Tok};
use crate::text::lang::Lang;

/// A plain four-digit integer that reads as a year.
pub fn year_shaped(t: &Tok) -> bool {
    t.kind == Kind::Num
        && t.lower.len() == 4
        && t.lower.bytes().all(|b| b.is_ascii_digit())
        && matches!(t.lower.parse::<u32>(), Ok(1000..=2100))
}

fn small_int(t: &Tok) -> Option<u32> {
    if t.kind == Kind::Num && t.lower.len() <= 2 && t.lower.bytes().all(|b| b.is_ascii_digit()) {
        t.lower.parse().ok()
    } else {
        None
    }
}

fn is_dash(t: &Tok) -> bool {
    t.kind == Kind::Sym && matches!(t.lower.as_str(), "-" | "–" | "—" | "/" | "‐" | "‑")
}

/// True for every token inside square brackets (citations "[6, p.1]").
pub fn bracketed(toks: &[Tok]) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    let mut depth = 0u32;
    for (k, t) in toks.iter().enumerate() {
        match t.lower.as_str() {
            "[" => depth += 1,
            "]" => depth = depth.saturating_sub(1),
            _ => {}
        }
        out[k] = depth > 0;
    }
    out
}

/// A month name at `k`; where months are capitalised (English), only when capitalized ("May", not "may").
pub fn month_at(d: &QData, lang: Lang, toks: &[Tok], k: usize, text: &str) -> bool {
    let Some(t) = toks.get(k) else { return false };
    t.kind == Kind::Word
        && d.months.contains_at(toks, k)
        && (!lang.data().months_capitalised
            || text[t.range.start..].starts_with(|c: char| c.is_uppercase()))
}

/// The numbers joined to the one at `i` by dashes or slashes ("03-11-1978", "1976-1980",
/// "21–23"): first and last token index.
fn dash_chain(toks: &[Tok], i: usize) -> (usize, usize) {
    let (mut a, mut b) = (i, i);
    while a >= 2 && is_dash(&toks[a - 1]) && toks[a - 2].kind == Kind::Num {
        a -= 2;
    }
    while b + 2 < toks.len() && is_dash(&toks[b + 1]) && toks[b + 2].kind == Kind::Num {
        b += 2;
    }
    (a, b)
}

/// Why the number token at `i` is not a quantity, if it is not.
pub fn excluded(
    d: &QData,
    lang: Lang,
    toks: &[Tok],
    i: usize,
    text: &str,
    in_brackets: &[bool],
    heading: bool,
) -> Option<&'static str> {
    let t = &toks[i];
    if in_brackets[i] {
        return Some("citation");
    }
    let prev = i.checked_sub(1).map(|k| &toks[k]);
    let prev2 = i.checked_sub(2).map(|k| &toks[k]);
    let next = toks.get(i + 1);
    if let Some(p) = prev
        && !t.space
    {
        // "K50"-like words never reach here (one token); "AN-12", "BM-21": a designation.
        if p.kind == Kind::Word {
            return Some("attached");
        }
        if let Some(p2) = prev2
            && !p.space
            && p2.kind == Kind::Word
            && (is_dash(p) || matches!(p.lower.as_str(), "." | ")" | "”" | "\"" | "’" | ":" | ";"))
        {
            return Some("designation or footnote");
        }
        if matches!(p.lower.as_str(), "'" | "’" | "#" | "№" | "§") {
            return Some("label");
        }
    }
    // "149th", "1920s", "5-member" unless a unit follows ("5km", "25-year").
    if let Some(n) = next
        && !n.space
    {
        let unit_follows = d.units.contains_at(toks, i + 1)
            || d.scales.contains_at(toks, i + 1)
            || d.counted.contains_at(toks, i + 1);
        if n.kind == Kind::Word && !unit_follows {
            return Some("ordinal or suffix");
        }
        if is_dash(n)
            && toks
                .get(i + 2)
                .is_some_and(|w| w.kind == Kind::Word && !w.space)
            && !unit_follows
        {
            return Some("compound");
        }
    }
    // Section numbers and list indices: "1. INTRODUCTION", "2)" at the start of a block.
    if i == 0 && (heading || next.is_some_and(|n| matches!(n.lower.as_str(), "." | ")"))) {
        return Some("section");
    }
    if prev.is_some_and(|p| p.lower == "(") && next.is_some_and(|n| n.lower == ")") {
        return Some("index");
    }
    if i > 0 && d.marker_ending(toks, i - 1) {
        return Some("label");
    }
    if i > 0 && d.date_markers.contains_ending(toks, i - 1) {
        return Some("date");
    }
    // Dates: a chain with a year, a month name beside it, or three small parts.
    let (a, b) = dash_chain(toks, i);
    let members = (a..=b).step_by(2);
    if b > a && members.clone().any(|k| year_shaped(&toks[k])) {
        return Some("date");
    }
    if (a > 0 && month_at(d, lang, toks, a - 1, text)) || month_at(d, lang, toks, b + 1, text) {
        return Some("date");
    }
    if b >= a + 4 && members.clone().all(|k| small_int(&toks[k]).is_some()) {
        return Some("date");
    }
    // The chain continues a label or a date ("pp. 89-90", "ngày 26-06").
    if a < i
        && a > 0
        && (d.marker_ending(toks, a - 1) || d.date_markers.contains_ending(toks, a - 1))
    {
        return Some("label");
    }
    None
}
