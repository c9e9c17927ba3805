//! What a quantity measures and when: a short English label from the measure phrases of its
//! sentence, and the year or interval the sentence names.

use super::data::QData;
use super::token::{Kind, Tok};
use regex::Regex;
use serde_json::{Value, json};
use std::sync::LazyLock;

/// The label of the nearest measure phrase before `start` (back to `sent_start`), else the
/// first within a few tokens after `end`.
pub fn measure(
    d: &QData,
    toks: &[Tok],
    sent_start: usize,
    start: usize,
    end: usize,
    sent_end: usize,
) -> Option<String> {
    let mut k = start;
    while k > sent_start {
        k -= 1;
        if let Some((_, label)) = d.measures.ending(toks, k) {
            return Some(label.clone());
        }
    }
    let stop = sent_end.min(end + 8);
    (end..stop).find_map(|k| d.measures.at(toks, k).map(|(_, l)| l.clone()))
}

static YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9.,])((?:1[89]|20)[0-9]{2})(?:\s*[-–—]\s*((?:1[89]|20)[0-9]{2}))?(?:[^0-9.,%]|$)")
        .expect("valid regex")
});

/// The year or interval of the sentence nearest to the quantity at `q` (offsets in `sent`),
/// outside the quantity itself.
pub fn period(sent: &str, q: std::ops::Range<usize>) -> Value {
    let mut best: Option<(usize, String, String)> = None;
    for c in YEARS.captures_iter(sent) {
        let (Some(a), b) = (c.get(1), c.get(2)) else {
            continue;
        };
        let whole = a.start()..b.map_or(a.end(), |m| m.end());
        if whole.start < q.end && q.start < whole.end {
            continue;
        }
        let dist = if whole.end <= q.start {
            q.start - whole.end
        } else {
            whole.start - q.end
        };
        let vs = a.as_str().to_string();
        let ve = b.map_or_else(|| vs.clone(), |m| m.as_str().to_string());
        if best.as_ref().is_none_or(|(bd, _, _)| dist < *bd) {
            best = Some((dist, vs, ve));
        }
    }
    best.map_or(
        Value::Null,
        |(_, vs, ve)| json!({"value_start": vs, "value_end": ve}),
    )
}

/// True when the token is a word (for modifier skipping).
pub fn is_word(t: &Tok) -> bool {
    t.kind == Kind::Word
}
