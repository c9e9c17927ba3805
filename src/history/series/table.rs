//! Tables: which cells of a `table` fact measure a series.
//!
//! A numeric cell is read through its row header (the first text cell of its row) and its
//! column header. Both may hold only concept words, scope words, periods and neutral table
//! words ("Tổng số", "Thời kỳ", "Số lượng (người)"): a header naming anything else (a
//! commodity, "Trong đó chuyển tiếp NCS", a share in %) keeps the cell out. The period is
//! the column's (`column_periods`), else the row header's, else, for a total column, the
//! caption's. The scope is the counterpart when a header names it; "Tổng số" beside a
//! column "Trong đó với Liên Xô" is Vietnam's total; otherwise the caption must name both
//! Vietnam and the counterpart. The unit is the row's (`row_units`), else the table's.

use super::{Context, Observation, Origin, Period, Source, half_unit};
use crate::fact::{CellSpan, CellValue};
use crate::knowledge::series::{self as lexicon, Class, Lexicon, Tok, tokenize};
use crate::span::Span;
use crate::store::StoredFact;
use crate::text::lang::Lang;
use regex::Regex;
use std::sync::LazyLock;

static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:1[89]|20)[0-9]{2})(?:\s*[-–—]\s*((?:1[89]|20)[0-9]{2}))?").expect("regex")
});

/// A whole header that is a year or an interval ("1976-1980", "1986").
fn period_of(s: &str) -> Option<Period> {
    let c = PERIOD.captures(s.trim())?;
    let m = c.get(0)?;
    if m.start() != 0 || m.end() != s.trim().len() {
        return None;
    }
    let a: i32 = c[1].parse().ok()?;
    let b: i32 = c.get(2).map_or(Some(a), |m| m.as_str().parse().ok())?;
    (a <= b).then(|| Period::years(a, b))
}

/// The classes of a header's phrases, or None when it names something no list knows.
fn header<'k>(lex: &'k Lexicon, s: &str) -> Option<Vec<&'k [Class]>> {
    let mut toks = Vec::new();
    tokenize(s, &mut toks);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match lex.at(&toks, i) {
            Some((n, cs)) => {
                if cs.contains(&Class::Blocker) || cs.contains(&Class::Plan) {
                    return None;
                }
                out.push(cs);
                i += n;
            }
            None => {
                match &toks[i] {
                    Tok::Word(w) if w.chars().all(|c| c.is_ascii_digit()) => {}
                    Tok::Word(_) => return None,
                    Tok::Punct('%') => return None,
                    _ => {}
                }
                i += 1;
            }
        }
    }
    Some(out)
}

fn concept_of(h: &[&[Class]]) -> Option<String> {
    h.iter().rev().find_map(|cs| {
        cs.iter().find_map(|c| match c {
            Class::Concept(id) => Some(id.clone()),
            _ => None,
        })
    })
}

fn has(h: &[&[Class]], c: &Class) -> bool {
    h.iter().any(|cs| cs.contains(c))
}

/// (scale, unit) of a unit line ("triệu rúp"); None when it names no unit or several.
fn unit_of(lex: &Lexicon, s: &str) -> Option<(f64, String)> {
    let mut toks = Vec::new();
    tokenize(s, &mut toks);
    let (mut scale, mut units) = (None, Vec::new());
    let mut i = 0;
    while i < toks.len() {
        match lex.at(&toks, i) {
            Some((n, cs)) => {
                for c in cs {
                    match c {
                        Class::Scale(x) if scale.is_none() => scale = Some(*x),
                        Class::Unit(u) if !units.contains(u) => units.push(u.clone()),
                        _ => {}
                    }
                }
                i += n;
            }
            None => i += 1,
        }
    }
    // "I: triệu rúp; II: %": two measures in one table.
    if units.len() != 1 || s.contains('%') {
        return None;
    }
    Some((scale.unwrap_or(1.0), units.pop()?))
}

/// The caption's one period, or None; "đến năm 1988" makes it a total up to 1988.
fn caption_period(lex: &Lexicon, caption: &str) -> Option<Period> {
    let ms: Vec<_> = PERIOD.captures_iter(caption).collect();
    let [c] = ms.as_slice() else { return None };
    let m = c.get(0)?;
    let a: i32 = c[1].parse().ok()?;
    let b: i32 = c.get(2).map_or(Some(a), |m| m.as_str().parse().ok())?;
    let mut before = Vec::new();
    tokenize(&caption[..m.start()], &mut before);
    let n = before.len();
    let up_to = (1..=3.min(n)).any(|k| {
        lex.at(&before, n - k)
            .is_some_and(|(len, cs)| len == k && cs.contains(&Class::UpTo))
    });
    if up_to && c.get(2).is_none() {
        return Some(Period {
            start: None,
            end: a,
        });
    }
    (a <= b).then(|| Period::years(a, b))
}

/// The observations the cells of one table give.
pub fn observations(t: &StoredFact, ctx: &Context) -> Vec<Observation> {
    let Some(tb) = t.body.table() else {
        return Vec::new();
    };
    let k = lexicon::knowledge();
    let lang = tb.lang.unwrap_or_else(Lang::fallback);
    let lex = k.lexicon(lang);
    let caption = tb.caption.as_deref().unwrap_or("");
    let label = tb.label.as_deref();
    let columns: Vec<&str> = tb.columns.iter().map(String::as_str).collect();
    let table_unit = tb.unit.as_deref();

    let mut ctoks = Vec::new();
    tokenize(caption, &mut ctoks);
    let cap: Vec<&[Class]> = {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ctoks.len() {
            match lex.at(&ctoks, i) {
                Some((n, cs)) => {
                    out.push(cs);
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    };
    let caption_pair =
        lex.mentions(&ctoks, &Class::Counterpart) && lex.mentions(&ctoks, &Class::Vietnam);
    let cap_period = caption_period(lex, caption);
    let col_headers: Vec<Option<Vec<&[Class]>>> = columns.iter().map(|c| header(lex, c)).collect();
    // A column "Trong đó với Liên Xô" makes its siblings without the counterpart totals.
    let of_which = col_headers.iter().flatten().any(|h| {
        h.iter().enumerate().any(|(i, cs)| {
            cs.contains(&Class::Subset) && h[i..].iter().any(|c| c.contains(&Class::Counterpart))
        })
    });

    let mut out = Vec::new();
    for (ri, row) in tb.rows.iter().enumerate() {
        let Some((hc, row_head)) = row.iter().enumerate().find_map(|(i, v)| match v {
            Some(CellValue::Text(t)) => Some((i, t.as_str())),
            _ => None,
        }) else {
            continue;
        };
        let row_period = period_of(row_head);
        let row_h = if row_period.is_some() {
            Some(Vec::new())
        } else {
            header(lex, row_head)
        };
        let Some(row_h) = row_h else { continue };
        let unit_str = tb
            .row_units
            .get(ri)
            .and_then(Option::as_deref)
            .or(table_unit);
        for (ci, v) in row.iter().enumerate() {
            if ci == hc {
                continue;
            }
            let Some(CellValue::Number(number)) = v else {
                continue;
            };
            let number = *number;
            let col_head = columns.get(ci).copied().unwrap_or("");
            let col_period = tb
                .column_periods
                .get(ci)
                .copied()
                .flatten()
                .and_then(|[a, b]| (a <= b).then(|| Period::years(a, b)))
                .or_else(|| period_of(col_head));
            let col_h: Vec<&[Class]> = if col_period.is_some() && period_of(col_head).is_some() {
                Vec::new()
            } else {
                match col_headers.get(ci).cloned().flatten() {
                    Some(h) => h,
                    None => continue,
                }
            };
            let period = match (col_period, row_period) {
                (Some(p), None) | (None, Some(p)) => p,
                (Some(a), Some(b)) if a == b => a,
                (Some(_), Some(_)) => continue,
                (None, None) => match cap_period {
                    Some(p) if concept_of(&col_h).is_none() => p,
                    _ => continue,
                },
            };
            let concept = match (concept_of(&col_h), concept_of(&row_h)) {
                (Some(a), Some(b)) if a != b => continue,
                (Some(a), _) | (None, Some(a)) => a,
                (None, None) => match concept_of(&cap) {
                    Some(c) => c,
                    None => continue,
                },
            };
            let Some(cdef) = k.concept(&concept) else {
                continue;
            };
            let (scale, unit) = match unit_str.and_then(|u| unit_of(lex, u)) {
                Some(u) => u,
                None if unit_str.is_none() && cdef.units.iter().any(|u| u == "person") => {
                    (1.0, "person".to_string())
                }
                None => continue,
            };
            if !cdef.units.contains(&unit) {
                continue;
            }
            let named = has(&col_h, &Class::Counterpart) || has(&row_h, &Class::Counterpart);
            let scope = if named {
                "vn-ussr"
            } else if of_which {
                "vn-total"
            } else if caption_pair {
                "vn-ussr"
            } else {
                continue;
            };
            let Some(span) = cell_span(t, ctx, &tb.cells, ri, ci) else {
                continue;
            };
            let unit_note = unit_str.map_or(String::new(), |u| format!(" [{u}]"));
            out.push(Observation {
                concept,
                scope: scope.to_string(),
                unit,
                period,
                value: number * scale,
                half_unit: half_unit(number) * scale,
                basis: None,
                source: Source {
                    written: format!("{}{unit_note}", span.text.trim()),
                    span,
                    origin: Origin::Table,
                    fact: t.id,
                    approx: None,
                    table: label
                        .map(str::to_string)
                        .or_else(|| (!caption.is_empty()).then(|| caption.to_string())),
                    qualifier: None,
                    lang: lang.code().to_string(),
                },
            });
        }
    }
    out
}

/// The span of cell (row, col): its bytes decoded from the document, else cut from the
/// table's own text when that is a byte-exact copy.
fn cell_span(
    t: &StoredFact,
    ctx: &Context,
    cells: &[Vec<Option<CellSpan>>],
    ri: usize,
    ci: usize,
) -> Option<Span> {
    let c = cells.get(ri)?.get(ci)?.as_ref()?;
    let (start, end) = (c.start, c.end);
    if start >= end {
        return None;
    }
    let text = ctx.text_of(&t.doc, start, end).or_else(|| {
        let whole = t.text();
        let (ts, te) = (t.start as usize, t.end as usize);
        if whole.len() != te.checked_sub(ts)? || start < ts || end > te {
            return None;
        }
        whole.get(start - ts..end - ts).map(str::to_string)
    })?;
    // A cell's place on the page is not kept (the table's record has the table's).
    Some(Span {
        doc: t.doc.clone(),
        start,
        end,
        text,
        place: None,
    })
}
