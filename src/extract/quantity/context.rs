//! What a quantity measures and when: a short English label from the measure phrases of its
//! sentence, and the year or interval the sentence names.

use super::data::QData;
use super::phrases::Lookup;
use super::token::{Kind, Tok};
use regex::Regex;
use std::sync::LazyLock;

/// Where measure phrases end in a paragraph's tokens, found once per paragraph so that
/// looking up the measure of each quantity is constant time (a backwards scan per quantity
/// was quadratic in a long sentence).
pub struct MeasureEnds {
    /// `last[k]`: one more than the index of the latest token at or before `k` where a
    /// measure phrase ends; 0 when none does.
    last: Vec<usize>,
}

impl MeasureEnds {
    pub fn new(d: &QData, toks: &[Tok]) -> MeasureEnds {
        let mut last = Vec::with_capacity(toks.len());
        let mut cur = 0;
        for k in 0..toks.len() {
            if d.measures.ending(toks, k).is_some() {
                cur = k + 1;
            }
            last.push(cur);
        }
        MeasureEnds { last }
    }

    /// The label of the nearest measure phrase ending before `start` (back to
    /// `sent_start`), else the first within a few tokens after `end`.
    ///
    /// An amount (`level`: money, things, not a percentage or a ratio) is the level of what
    /// it measures, not a change: past a change phrase ("grew"), the nearest measure phrase
    /// before that one wins ("trade grew by 31% and reached $3.55 billion": trade); the change
    /// phrase only when none is before it.
    #[allow(clippy::too_many_arguments)]
    pub fn measure(
        &self,
        d: &QData,
        toks: &[Tok],
        sent_start: usize,
        start: usize,
        end: usize,
        sent_end: usize,
        level: bool,
    ) -> Option<String> {
        if start > sent_start {
            let mut k = self.last[start - 1];
            let mut change: Option<&String> = None;
            while k > sent_start {
                let Some((n, label)) = d.measures.ending(toks, k - 1) else {
                    break;
                };
                if !(level && d.relative_measures.contains(label)) {
                    return Some(label.clone());
                }
                change.get_or_insert(label);
                let first = k - n;
                if first == 0 {
                    break;
                }
                k = self.last[first - 1];
            }
            if let Some(label) = change {
                return Some(label.clone());
            }
        }
        let stop = sent_end.min(end + 8);
        (end..stop).find_map(|k| d.measures.at(toks, k).map(|(_, l)| l.clone()))
    }
}

static YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9.,])((?:1[89]|20)[0-9]{2})(?:\s*[-–—]\s*((?:1[89]|20)[0-9]{2}))?(?:[^0-9.,%]|$)")
        .expect("valid regex")
});

/// The years and year intervals of one sentence, in order (matches do not overlap).
pub struct Years {
    found: Vec<(std::ops::Range<usize>, String, String)>,
}

impl Years {
    pub fn new(sent: &str) -> Years {
        let found = YEARS
            .captures_iter(sent)
            .filter_map(|c| {
                let (a, b) = (c.get(1)?, c.get(2));
                let vs = a.as_str().to_string();
                let ve = b.map_or_else(|| vs.clone(), |m| m.as_str().to_string());
                Some((a.start()..b.map_or(a.end(), |m| m.end()), vs, ve))
            })
            .collect();
        Years { found }
    }

    /// The year or interval nearest to the quantity at `q` (offsets in the sentence),
    /// outside the quantity itself; the one before wins a tie.
    pub fn nearest(&self, q: std::ops::Range<usize>) -> Option<crate::fact::Period> {
        let f = &self.found;
        // The last one ending at or before the quantity, and the first starting at or after
        // its end; those in between overlap it and are skipped.
        let before = f.partition_point(|(r, _, _)| r.end <= q.start);
        let after = f.partition_point(|(r, _, _)| r.start < q.end);
        let b = before.checked_sub(1).map(|i| (q.start - f[i].0.end, &f[i]));
        let a = f.get(after).map(|y| (y.0.start - q.end, y));
        let best = match (b, a) {
            (Some(b), Some(a)) => Some(if a.0 < b.0 { a } else { b }),
            (b, a) => b.or(a),
        };
        best.map(|(_, (_, vs, ve))| crate::fact::Period {
            value_start: vs.parse().ok(),
            value_end: ve.parse().ok(),
            timex: None,
        })
    }
}

/// True when the token is a word (for modifier skipping).
pub fn is_word(t: &Tok) -> bool {
    t.kind == Kind::Word
}
