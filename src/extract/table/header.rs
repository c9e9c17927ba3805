//! Column headers from the header lines of a PDF table: fragments (a period, a code, a run
//! of words), merged where a fragment continues ("Trong đó với" + "Liên Xô") until they fit
//! the number of columns the rows have; two-level headers ("Xuất khẩu  Nhập khẩu" over
//! "Tổng số / Trong đó với Liên Xô") joined as "Xuất khẩu - Tổng số"; column codes ("I",
//! "II") replaced by their legend from the notes ("I: Trị giá (triệu rúp)").
//!
//! Guarantee: [`columns`] returns exactly `1 + unit + m` names; it never panics.

use super::cell;
use super::data::data;
use super::lines::Lines;
use super::lines::{BLine, Kind};

/// What a header fragment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FragKind {
    Period,
    Code,
    Text,
}

/// A header fragment.
#[derive(Debug, Clone)]
pub struct Frag {
    pub text: String,
    pub kind: FragKind,
    /// Index of the header line it starts on.
    pub line: usize,
}

fn starts_upper(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// "Xuất", "Liên", "A": a word that may start a new header cell ("LHS" and "TTB" are
/// acronyms inside one).
fn titlecase(t: &str) -> bool {
    let mut cs = t.chars();
    cs.next().is_some_and(char::is_uppercase) && !cs.any(char::is_uppercase)
}

fn fragments_of(lines_in: &[&BLine], lines: &Lines) -> Vec<Vec<Frag>> {
    let mut per_line: Vec<Vec<Frag>> = Vec::new();
    for (li, b) in lines_in.iter().enumerate() {
        if !matches!(
            b.kind,
            Kind::Words | Kind::Codes | Kind::Values | Kind::Mixed | Kind::Sub
        ) {
            continue;
        }
        let texts: Vec<Option<&str>> = b
            .pieces
            .iter()
            .map(|p| (!p.is_empty()).then(|| lines.at(&p.range)))
            .collect();
        let periods = texts
            .iter()
            .flatten()
            .filter(|t| cell::period(t).is_some())
            .count();
        let mut out: Vec<Frag> = Vec::new();
        let mut cur: Option<Frag> = None;
        let mut after_gap = false;
        let first_piece = texts.iter().flatten().next().copied().unwrap_or("");
        let line_continues = !per_line.is_empty()
            && (!starts_upper(first_piece)
                || (texts.iter().flatten().count() == 1
                    && cell::period(first_piece).is_none()
                    && first_piece.bytes().all(|c| c.is_ascii_digit())));
        for t in &texts {
            let Some(t) = t else {
                after_gap = true;
                continue;
            };
            let kind = if b.kind == Kind::Codes {
                FragKind::Code
            } else if periods >= 2 && cell::period(t).is_some() {
                FragKind::Period
            } else {
                FragKind::Text
            };
            let joins = match &cur {
                Some(c) => {
                    kind == FragKind::Text
                        && c.kind == FragKind::Text
                        && !after_gap
                        && !titlecase(t)
                }
                None => false,
            };
            if joins {
                let c = cur.as_mut().expect("checked");
                c.text.push(' ');
                c.text.push_str(t);
            } else {
                if let Some(c) = cur.take() {
                    out.push(c);
                }
                cur = Some(Frag {
                    text: if kind == FragKind::Period {
                        t.split_whitespace().collect()
                    } else {
                        t.to_string()
                    },
                    kind,
                    line: li,
                });
            }
            after_gap = false;
        }
        if let Some(c) = cur.take() {
            out.push(c);
        }
        if line_continues
            && let (Some(prev), Some(first)) = (
                per_line
                    .iter_mut()
                    .rev()
                    .find(|v| !v.is_empty())
                    .and_then(|v| v.last_mut()),
                out.first(),
            )
            && prev.kind == FragKind::Text
            && first.kind == FragKind::Text
        {
            prev.text.push(' ');
            prev.text.push_str(&first.text);
            out.remove(0);
        }
        per_line.push(out);
    }
    per_line
}

/// The header's fragments, in order.
pub fn fragments(lines_in: &[&BLine], lines: &Lines) -> Vec<Frag> {
    fragments_of(lines_in, lines)
        .into_iter()
        .flatten()
        .collect()
}

fn merge_score(a: &Frag, b: &Frag) -> i32 {
    if a.kind != FragKind::Text || b.kind != FragKind::Text {
        return i32::MIN;
    }
    let last = a.text.split_whitespace().last().unwrap_or("");
    if data().joiners.contains(&last.to_lowercase()) {
        return 50;
    }
    let single = !b.text.contains(' ');
    if single && a.line == b.line && last.starts_with(|c: char| c.is_uppercase()) {
        return 30;
    }
    if single && last.starts_with(|c: char| c.is_uppercase()) {
        return 20;
    }
    if a.line == b.line { 10 } else { 5 }
}

/// Merges fragments until there are `n` (or no merge is possible), then pads at the front
/// (the row-label column's header is often absent) and at the end.
fn fit(mut frags: Vec<Frag>, n: usize) -> (Vec<String>, bool) {
    while frags.len() > n {
        let best = (0..frags.len() - 1)
            .map(|i| (merge_score(&frags[i], &frags[i + 1]), i))
            .filter(|(s, _)| *s > i32::MIN)
            .max_by_key(|&(s, i)| (s, std::cmp::Reverse(i)));
        let Some((_, i)) = best else { break };
        let b = frags.remove(i + 1);
        frags[i].text.push(' ');
        frags[i].text.push_str(&b.text);
    }
    let mut out: Vec<String> = frags.into_iter().map(|f| f.text).collect();
    let fits = out.len() <= n;
    if out.len() < n {
        out.insert(0, String::new());
    }
    while out.len() < n {
        out.push(String::new());
    }
    out.truncate(n);
    (out, fits)
}

/// Column codes and their legend text from the notes ("I" → "Trị giá (triệu rúp)").
pub fn legend(notes: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in notes {
        // Entries "CODE: text", possibly several on a line.
        let toks: Vec<&str> = n.split_whitespace().collect();
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            let code = t.strip_suffix(':').filter(|c| is_code(c));
            if let Some(code) = code {
                let mut j = i + 1;
                while j < toks.len() && !toks[j].strip_suffix(':').is_some_and(is_code) {
                    j += 1;
                }
                let text = toks[i + 1..j].join(" ");
                if !text.is_empty() {
                    out.push((code.to_string(), text));
                }
                i = j;
            } else {
                i += 1;
            }
        }
    }
    out
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 4
        && (s.chars().all(|c| "IVX".contains(c))
            || (s.len() == 1 && s.chars().all(char::is_alphabetic)))
}

/// The unit a legend gives per column group ("I: triệu rúp; II: %").
pub fn legend_unit(legend: &[(String, String)]) -> Option<String> {
    let parts: Vec<String> = legend
        .iter()
        .filter_map(|(c, t)| {
            let open = t.rfind('(')?;
            let close = t[open..].find(')')? + open;
            let u = t[open + 1..close].trim();
            (!u.is_empty()).then(|| format!("{c}: {u}"))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The column names: the row-label column, the unit column when `unit`, then `m` value
/// columns; and notes on what could not be placed.
pub fn columns(
    lines_in: &[&BLine],
    lines: &Lines,
    unit: bool,
    m: usize,
    legend: &[(String, String)],
) -> (Vec<String>, Vec<String>) {
    let per_line = fragments_of(lines_in, lines);
    let n = 1 + usize::from(unit) + m;
    let mut notes = Vec::new();
    let nonempty: Vec<&Vec<Frag>> = per_line.iter().filter(|v| !v.is_empty()).collect();
    let total: usize = nonempty.iter().map(|v| v.len()).sum();
    let name = |top: &str, sub: &str| {
        if let Some((_, t)) = legend.iter().find(|(c, _)| c == sub) {
            format!("{top} {t}")
        } else if sub.is_empty() {
            top.to_string()
        } else {
            format!("{top} - {sub}")
        }
    };
    if let Some(first) = nonempty.first() {
        let t = first.len();
        if t >= 2 && m.is_multiple_of(t) && m / t >= 2 && total - t >= m {
            let per = m / t;
            let rest: Vec<Frag> = nonempty[1..]
                .iter()
                .flat_map(|v| v.iter().cloned())
                .collect();
            let (subs, fits) = fit(rest, n);
            if !fits {
                notes.push("header: some header text could not be placed in a column".into());
            }
            let mut cols: Vec<String> = subs[..n - m].to_vec();
            for j in 0..m {
                cols.push(name(&first[j / per].text, &subs[n - m + j]));
            }
            return (cols, notes);
        }
    }
    let all: Vec<Frag> = per_line.into_iter().flatten().collect();
    let (cols, fits) = fit(all, n);
    if !fits {
        notes.push("header: some header text could not be placed in a column".into());
    }
    let cols = cols
        .into_iter()
        .map(|c| match legend.iter().find(|(k, _)| *k == c) {
            Some((_, t)) => t.clone(),
            None => c,
        })
        .collect();
    (cols, notes)
}
