//! What follows a number: stray OCR dots, scale words, a unit, a counted thing (with up to
//! two modifiers in English: "138,000 skilled employees", "68 of its officers"); and what
//! comes before it: approximation markers and currency signs.

use super::data::{QData, Unit};
use super::phrases::Lookup;
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
    /// What a compound amount adds, in units of its first scale: "5 миллиардов 350
    /// миллионов" is 5 + 0.35 billion.
    pub plus: f64,
}

/// A lowercase word that reads as a plural noun by its ending ("provinces",
/// "направлениям"), not a function word.
fn plural_noun(d: &QData, toks: &[Tok], j: usize) -> Option<String> {
    let t = toks.get(j)?;
    let ok = t.kind == Kind::Word
        && t.space
        && !t.cap
        && t.lower.chars().count() >= 4
        && !d.not_counted.contains_at(toks, j)
        && d.plural_suffixes.iter().any(|s| {
            t.lower.ends_with(s.as_str())
                && !d
                    .plural_exceptions
                    .iter()
                    .any(|x| t.lower.ends_with(x.as_str()))
        });
    ok.then(|| t.lower.clone())
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
    // "5 миллиардов 350 миллионов", "1 млрд 200 млн": a smaller amount of a smaller scale
    // after the scale adds to the number.
    let mut plus = 0.0;
    if let Some(big) = scale {
        let mut last = big;
        while let Some(t) = toks.get(j)
            && t.kind == Kind::Num
            && t.space
            && let Ok(v) = t.lower.parse::<u32>()
            && let Some((n, &small)) = d.scales.at(toks, j + 1)
            && small < last
            && f64::from(v) * small < last
        {
            plus += f64::from(v) * small / big;
            last = small;
            j += 1 + n;
            end = j;
        }
    }
    let done = |unit: Option<Unit>, direct: bool, fallback: bool, end: usize| Tail {
        scale,
        unit,
        direct,
        fallback,
        end,
        plus,
    };
    if let Some((n, u)) = d.units.at(toks, j) {
        return done(Some(u.clone()), true, false, j + n);
    }
    if !allow_counted {
        return done(None, false, false, end);
    }
    if let Some((n, u)) = d.counted.at(toks, j) {
        // "eight Vietnamese fields": a capitalized adjective before the noun it qualifies;
        // the noun is what is counted.
        if toks[j].cap
            && d.plural_fallback
            && let Some(head) = plural_noun(d, toks, j + n)
        {
            let unit = d.counted.at(toks, j + n).map_or(
                Unit {
                    unit: "count",
                    qualifier: None,
                    counted: Some(head),
                },
                |(_, u)| u.clone(),
            );
            return done(Some(unit), true, false, j + n + 1);
        }
        return done(Some(u.clone()), true, false, j + n);
    }
    // "68 of its officers"
    if let Some((n, _)) = d.of_join.at(toks, j)
        && let Some((m, u)) = d.counted.at(toks, j + n)
    {
        return done(Some(u.clone()), false, false, j + n + m);
    }
    // Up to two modifiers before a counted thing ("138,000 skilled employees"; in Russian
    // an adjective that agrees with it, "2 500 вьетнамских студентов").
    let modifier = |t: &Tok| {
        d.plural_fallback
            || d.modifier_suffixes
                .iter()
                .any(|s| t.lower.ends_with(s.as_str()))
    };
    if d.plural_fallback || !d.modifier_suffixes.is_empty() {
        let mut k = j;
        for _ in 0..2 {
            let Some(t) = toks.get(k) else { break };
            if t.kind != Kind::Word
                || !modifier(t)
                || d.not_counted.contains_at(toks, k)
                || d.units.contains_at(toks, k)
            {
                break;
            }
            k += 1;
            if let Some((m, u)) = d.counted.at(toks, k) {
                return done(Some(u.clone()), false, false, k + m);
            }
        }
    }
    // A plural noun by its ending: "12 provinces", "трем направлениям", "45 самолетами".
    // In English only a guess (a number in words does not take it); a Russian oblique
    // plural after a number agrees with it.
    if let Some(w) = plural_noun(d, toks, j) {
        let unit = Unit {
            unit: "count",
            qualifier: None,
            counted: Some(w),
        };
        return done(Some(unit), false, d.plural_fallback, j + 1);
    }
    done(None, false, false, end)
}
