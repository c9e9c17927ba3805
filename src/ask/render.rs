//! Printing answers for people: the answer, its value, confidence, and each citation with
//! document, byte span and text (and the other side when sources disagree).

use super::{Answer, Citation};
use std::fmt::Write;

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cite(out: &mut String, c: &Citation) {
    let page = c
        .place
        .as_ref()
        .map(|p| format!(", page {}", p.page))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  [{} {}..{}{page}] {}",
        c.doc,
        c.start,
        c.end,
        one_line(&c.text)
    );
}

/// The answer as text.
pub fn text(a: &Answer) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", a.answer);
    if a.value.is_null() {
        let _ = writeln!(out, "value: null (nothing stored supports an answer)");
        return out;
    }
    let _ = writeln!(
        out,
        "value: {}   ({}, confidence {:.2})",
        a.value, a.qtype, a.confidence
    );
    for c in &a.citations {
        cite(&mut out, c);
    }
    for side in &a.disagreement {
        let _ = writeln!(
            out,
            "sources disagree; also stated: {} (value {})",
            side.answer, side.value
        );
        for c in &side.citations {
            cite(&mut out, c);
        }
    }
    out
}
