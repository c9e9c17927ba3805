//! Years of bibliographic citations: "[Vasilyeva 1955: 67]", "Gaiduk [1996; 2003]",
//! "Phạm Thị Yên (2017), …" at the head of a reference entry, "(Smith 1985: 67)", a
//! publisher's year ("Nxb Chính trị quốc gia, Hà Nội, 2005"), a source line ("Nguồn: …").
//! They are kept with kind `citation` so the event layer can ignore them.

use super::data;
use super::engine::{Kind, Timex, head, tail};
use regex::Regex;
use std::sync::LazyLock;

/// Names before an author-year parenthesis at the start of a reference entry.
static AUTHOR_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\[?[0-9]{1,3}[\].)]?\s*)?(?:(?:\p{Lu}[\p{L}.'’\-]*|and|và|и|&|et\s+al\.?|và\s+cộng\s+sự)[,\s]+){1,10}$",
    )
    .expect("valid regex")
});

/// A parenthesis that opens with a name: "(Smith 1985", "(Gaiduk, 1996".
static NAME_IN_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?:\p{Lu}[\p{L}.'’\-]*|and|và|и|&|et\s+al\.?)[,\s]+){1,6}$")
        .expect("valid regex")
});

/// The bracket or parenthesis enclosing `r` within a short distance: (open, close) byte
/// positions of the delimiters.
fn enclosing(
    text: &str,
    r: &std::ops::Range<usize>,
    open: char,
    close: char,
) -> Option<(usize, usize)> {
    let before = tail(text, r.start, 160);
    let base = r.start - before.len();
    let o = before.rfind([open, close])?;
    if !before[o..].starts_with(open) {
        return None;
    }
    let after = head(text, r.end, 160);
    let c = after.find([open, close])?;
    if !after[c..].starts_with(close) {
        return None;
    }
    Some((base + o, r.end + c))
}

fn year_only(t: &Timex) -> bool {
    t.start.m.is_none() && t.end.m.is_none()
}

/// Marks the citation years of one paragraph.
pub fn mark(text: &str, atoms: &mut [Timex]) {
    let lower_head: String = text
        .trim_start()
        .chars()
        .take(24)
        .collect::<String>()
        .to_lowercase();
    let source_line = data::all().iter().any(|tl| {
        tl.source_prefixes
            .iter()
            .any(|p| lower_head.starts_with(p.as_str()))
    });
    for t in atoms.iter_mut() {
        if matches!(
            t.kind,
            Kind::Duration | Kind::Relative | Kind::Citation | Kind::Clock
        ) {
            continue;
        }
        let cite = source_line || is_citation(text, t);
        if cite {
            t.was = t.kind;
            t.kind = Kind::Citation;
        }
    }
}

fn is_citation(text: &str, t: &Timex) -> bool {
    if !matches!(t.kind, Kind::Date | Kind::Interval) {
        return false;
    }
    if let Some((o, c)) = enclosing(text, &t.range, '[', ']') {
        let inner = text[o + 1..c].trim_start();
        if !inner.starts_with(|ch: char| ch.is_lowercase()) {
            return true;
        }
    }
    if !year_only(t) || t.kind != Kind::Date {
        return false;
    }
    if let Some((o, c)) = enclosing(text, &t.range, '(', ')') {
        let inside_before = &text[o + 1..t.range.start];
        let inside_after = text[t.range.end..c].trim();
        // "(Smith 1985: 67)", "(Gaiduk, 1996)".
        if !inside_before.trim().is_empty() && NAME_IN_PAREN.is_match(inside_before) {
            return true;
        }
        // "Phạm Thị Yên (2017), …" opening a reference entry.
        if inside_before.trim().is_empty()
            && inside_after.chars().count() <= 1
            && AUTHOR_HEAD.is_match(&text[..o])
        {
            return true;
        }
    }
    let before = tail(text, t.range.start, 120);
    data::all()
        .iter()
        .any(|tl| tl.publisher_before.is_match(before))
}
