//! The time extractor: finds temporal expressions in English, Vietnamese and Russian and
//! normalizes them (ISO values, EDTF, kind, modifiers, approximation, the anchor of an
//! underspecified year).
//!
//! Language knowledge lives in `data/time/*.toml` ([`data`]); one engine applies it
//! ([`engine`]): rules find candidate expressions, context checks drop counts, page
//! references and ids, the longest non-overlapping candidates win, adjacent expressions
//! with a join ("from … to …", "từ … đến …", "с … по …") become intervals, and citation
//! years are marked ([`citation`]). Underspecified dates are resolved in document order
//! ([`resolve`]).

pub mod citation;
pub mod data;
pub mod engine;
pub mod resolve;
pub mod value;

use super::{Extractor, Fact, FactBody};
use crate::document::Document;
use data::NumericOrder;
use engine::{DocCtx, Kind, Timex};
use regex::Regex;
use std::sync::LazyLock;

/// The time extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct TimeExtractor;

static SLASH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([0-9]{1,2})[/.]([0-9]{1,2})[/.](?:1[0-9]|20)[0-9]{2}\b").expect("valid regex")
});

/// The order of all-numeric dates that the document's unambiguous ones show.
fn numeric_context(text: &str) -> Option<NumericOrder> {
    let (mut dmy, mut mdy) = (0, 0);
    for c in SLASH_DATE.captures_iter(text) {
        let a: u32 = c[1].parse().unwrap_or(0);
        let b: u32 = c[2].parse().unwrap_or(0);
        if a > 12 && b <= 12 {
            dmy += 1;
        } else if b > 12 && a <= 12 {
            mdy += 1;
        }
    }
    match (dmy, mdy) {
        (0, 0) => None,
        (d, m) if d > m => Some(NumericOrder::Dmy),
        (d, m) if m > d => Some(NumericOrder::Mdy),
        _ => None,
    }
}

/// Finds every temporal expression of `doc`, with ranges in the clean text.
pub fn find_all(doc: &Document) -> Vec<(Timex, crate::text::lang::Lang)> {
    let text = doc.text.as_str();
    let ctx = DocCtx {
        numeric: numeric_context(text),
    };
    // Every expression first (the reference date may be anywhere in the head), then the
    // anchors in document order.
    let mut found: Vec<(Timex, usize)> = Vec::new();
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        if crate::budget::expired() {
            break;
        }
        let ptext = &text[p.range.clone()];
        let mut atoms = engine::find(ptext, p.lang, ctx);
        citation::mark(ptext, &mut atoms);
        for mut t in atoms {
            t.range = p.range.start + t.range.start..p.range.start + t.range.end;
            found.push((t, pi));
        }
    }
    if crate::budget::expired() {
        return Vec::new(); // the caller drops a partial result
    }
    let mut reference = resolve::reference(doc, &found);
    if let Some(r) = &mut reference
        && let Some((y, from)) = resolve::reference_year(doc, &found, r)
    {
        // The date line itself gets its year, and says where it was read.
        r.point.y = Some(y);
        for (t, _) in found.iter_mut().filter(|(t, _)| t.range == r.range) {
            t.start.y = Some(y);
            t.end.y = Some(y);
            t.year_from = Some((from.clone(), y.to_string()));
        }
    }
    if let Some(r) = &reference {
        for (t, _) in found.iter_mut().filter(|(t, _)| t.range == r.range) {
            t.reference = true;
        }
    }
    let mut anchor = resolve::Anchor::new(reference);
    let mut last_para = None;
    found
        .into_iter()
        .map(|(mut t, pi)| {
            if last_para != Some(pi) {
                // Every paragraph between the last one with a timex and this one.
                let from = last_para.map_or(0, |l| l + 1);
                for p in &doc.paragraphs[from..=pi] {
                    anchor.paragraph(p.kind);
                }
                last_para = Some(pi);
            }
            anchor.apply(&mut t);
            (t, doc.paragraphs[pi].lang)
        })
        .collect()
}

/// The EDTF form of an expression.
pub fn edtf(t: &Timex) -> Option<String> {
    let q = if t.approx { "~" } else { "" };
    let s = t.start.iso();
    let e = t.end.iso();
    Some(match t.was {
        Kind::Duration | Kind::Clock => return None,
        Kind::Interval => format!("{s}{q}/{e}{q}"),
        Kind::Decade if t.modifier.is_none() && t.start.y.is_some() => {
            format!("{}X{q}", &s[..3])
        }
        Kind::Century | Kind::Vague if t.start.y.is_some_and(|y| y >= 1) => {
            if t.modifier.is_none() {
                // 1901..2000 is "the 20th century": EDTF writes the hundreds "19XX".
                let c = (t.start.y.unwrap_or(0) - 1) / 100 + 1;
                format!("{:02}XX{q}", c - 1)
            } else {
                format!("{s}{q}/{e}{q}")
            }
        }
        Kind::Season => {
            let code = match t.season {
                Some("spring") => 21,
                Some("summer") => 22,
                Some("autumn") => 23,
                _ => 24,
            };
            format!(
                "{}-{code}{q}",
                t.start.y.map_or("XXXX".into(), |y| format!("{y:04}"))
            )
        }
        _ if s == e => format!("{s}{q}"),
        _ => format!("{s}{q}/{e}{q}"),
    })
}

/// The exported body of an expression.
pub fn body(doc: &Document, t: &Timex, lang: crate::text::lang::Lang) -> crate::fact::Timex {
    let (value_start, value_end) = if matches!(t.kind, Kind::Duration | Kind::Clock) {
        (None, None)
    } else {
        (Some(t.start), Some(t.end))
    };
    crate::fact::Timex {
        value_start,
        value_end,
        ty: t.kind.name().to_string(),
        modifier: t.modifier.map(str::to_string),
        approx: t.approx,
        edtf: edtf(t),
        year_from: t.year_from.as_ref().map(|(r, v)| {
            let s = doc.text.source_range(r.clone());
            crate::fact::YearFrom {
                start: s.start,
                end: s.end,
                value: v.clone(),
            }
        }),
        lang,
        cited_as: (t.kind == Kind::Citation).then(|| t.was.name().to_string()),
        duration: t.duration.clone(),
        season: t.season.map(str::to_string),
        ambiguous: t.ambiguous,
        century_assumed: t.century_assumed,
        clock: t.clock.clone(),
        reference: t.reference,
    }
}

impl Extractor for TimeExtractor {
    fn name(&self) -> &'static str {
        "time"
    }

    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        for (i, (t, lang)) in find_all(doc).into_iter().enumerate() {
            if i % 1024 == 1023 && crate::budget::expired() {
                return; // the caller drops a partial result
            }
            // A duration is not a point in time: it is exported as its own kind (the
            // quantity layer will measure it), never scored as a timex. Nor is a relative
            // expression that nothing anchors ("last year" with no date in sight): it is kept,
            // unresolved, as its own kind, so that no value is guessed.
            let b = body(doc, &t, lang);
            let body = match t.kind {
                Kind::Duration => FactBody::Duration(b),
                Kind::Relative if t.start.is_empty() => FactBody::TimexUnresolved(b),
                _ => FactBody::Timex(b),
            };
            out.push(Fact {
                evidence: doc.span_of(t.range.clone()),
                body,
            });
        }
    }
}
