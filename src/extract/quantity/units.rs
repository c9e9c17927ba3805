//! What follows a number: stray OCR dots, scale words, a unit, a counted thing (with up to
//! two modifiers in English: "138,000 skilled employees", "68 of its officers"); and what
//! comes before it: approximation markers and currency signs.

use super::data::{QData, Unit};
use super::token::{Kind, Tok};

/// The tail of a quantity after its number.
#[derive(Debug, Clone)]
pub struct Tail {
    /// Product of the scale words, if any.
    pub scale: Option<f64>,
    pub unit: Option<Unit>,
    /// The unit came right after the number (or its scale), not after skipped words or by
    /// the plural fallback.
    pub direct: bool,
    /// The counted thing is only a guess from a plural noun.
    pub fallback: bool,
    /// One past the last token of the quantity.
    pub end: usize,
}

/// Reads scale, unit and counted thing from token `j` on. `words`: the number was written
/// in words (a counted thing then needs `allow_counted`).
pub fn tail(d: &QData, toks: &[Tok], mut j: usize, allow_counted: bool) -> Tail {
    let mut end = j;
    // "446.2. million": a stray dot between a number and its scale word.
    if toks.get(j).is_some_and(|t| t.lower == "." && !t.space)
        && toks.get(j + 1).is_some_and(|t| t.space)
        && d.scales.contains_at(toks, j + 1)
    {
        j += 1;
    }
    let mut scale: Option<f64> = None;
    while let Some((n, s)) = d.scales.at(toks, j) {
        scale = Some(scale.unwrap_or(1.0) * s);
        j += n;
        end = j;
    }
    if let Some((n, u)) = d.units.at(toks, j) {
        return Tail {
            scale,
            unit: Some(u.clone()),
            direct: true,
            fallback: false,
            end: j + n,
        };
    }
    if !allow_counted {
        return Tail {
            scale,
            unit: None,
            direct: false,
            fallback: false,
            end,
        };
    }
    if let Some((n, u)) = d.counted.at(toks, j) {
        return Tail {
            scale,
            unit: Some(u.clone()),
            direct: true,
            fallback: false,
            end: j + n,
        };
    }
    // "68 of its officers"
    if let Some((n, _)) = d.of_join.at(toks, j)
        && let Some((m, u)) = d.counted.at(toks, j + n)
    {
        return Tail {
            scale,
            unit: Some(u.clone()),
            direct: false,
            fallback: false,
            end: j + n + m,
        };
    }
    // Up to two modifiers before a counted thing ("138,000 skilled employees").
    if d.plural_fallback {
        let mut k = j;
        for _ in 0..2 {
            let Some(t) = toks.get(k) else { break };
            if t.kind != Kind::Word
                || d.not_counted.contains_at(toks, k)
                || d.units.contains_at(toks, k)
            {
                break;
            }
            k += 1;
            if let Some((m, u)) = d.counted.at(toks, k) {
                return Tail {
                    scale,
                    unit: Some(u.clone()),
                    direct: false,
                    fallback: false,
                    end: k + m,
                };
            }
        }
        // A plural noun: "12 provinces" → a count of provinces.
        if let Some(t) = toks.get(j)
            && t.kind == Kind::Word
            && t.space
            && t.lower.len() >= 4
            && t.lower.ends_with('s')
            && !t.lower.ends_with("ss")
            && !t.cap
            && !d.not_counted.contains_at(toks, j)
        {
            return Tail {
                scale,
                unit: Some(Unit {
                    unit: "count",
                    qualifier: None,
                    counted: Some(t.lower.clone()),
                }),
                direct: false,
                fallback: true,
                end: j + 1,
            };
        }
    }
    Tail {
        scale,
        unit: None,
        direct: false,
        fallback: false,
        end,
    }
}
