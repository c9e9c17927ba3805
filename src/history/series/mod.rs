//! Series: quantities that measure the same thing over time, from running text and from
//! tables, with unit and scale reconciled and every point kept with its evidence.
//!
//! A series is one (concept, scope, unit family): "Vietnam–USSR/Russia trade turnover in
//! RUB", "Vietnam's total exports in RUB", "Vietnamese postgraduates in the USSR". The
//! concepts, scopes and the words that name them in en/vi/ru are data
//! (`data/series/*.toml`, [`lexicon`]). Values are normalized to the base unit (RUB, USD,
//! persons) with the scale applied; RUB and USD are different series and never converted.
//!
//! - Running text ([`text`]): a `quantity` fact joins a series only when its sentence says
//!   what it measures (the nearest concept word before it, or the counted noun for people),
//!   between whom (the counterpart named in the sentence; "of which with the USSR" after a
//!   number makes that number Vietnam's total), and when (a whole-year timex of the
//!   sentence that is not a comparison baseline, a price basis or part of a year). Numbers in
//!   parentheses, ends of ranges, plans and agreements, and amounts for one object (a plant,
//!   a commodity group, a shortfall) stay out: precision over coverage.
//! - Tables ([`table`]): a cell joins a series when its row and column headers name nothing
//!   but a concept, a scope, a period and neutral words, and the caption names Vietnam and
//!   the counterpart (or a sibling column "of which with the USSR" makes it the total).
//!
//! Values for one period stay separate claims under one [`Point`]; equal values merge into
//! one claim with every source. [`conflicts`] reports the claims of a point that differ
//! beyond rounding (see [`compatible`]).

pub mod render;
pub mod table;
pub mod text;

use super::conflict::{Claim, Conflict, ConflictKind, Reason};
use crate::knowledge::series as lexicon;
use crate::source::decode::{Encoding, decode_range};
use crate::span::Span;
use crate::store::StoredFact;
use crate::text::lang::Lang;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// The years a point covers: one year, an interval of years, or everything up to a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    /// First year; `None` for a total up to `end` ("by 1988").
    pub start: Option<i32>,
    /// Last year.
    pub end: i32,
}

impl Period {
    /// One year or an interval.
    pub fn years(start: i32, end: i32) -> Period {
        Period {
            start: Some(start),
            end,
        }
    }

    /// "1976", "1976–1980", "…1988".
    pub fn display(&self) -> String {
        match self.start {
            Some(s) if s == self.end => s.to_string(),
            Some(s) => format!("{s}–{}", self.end),
            None => format!("…{}", self.end),
        }
    }

    fn sort_key(&self) -> (i32, i32) {
        (self.start.unwrap_or(self.end), self.end)
    }
}

/// Where a value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A quantity in running text.
    Text,
    /// A table cell.
    Table,
}

/// One statement of a value: the exact source bytes and how it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The quantity, or the table cell.
    pub span: Span,
    pub origin: Origin,
    /// Id of the stored fact (the quantity or the table).
    pub fact: i64,
    /// As written, with its unit ("593.8 million rubles"; a cell with the table's unit:
    /// "1500 [triệu rúp]").
    pub written: String,
    /// Approximation as the source states it ("about", "over", "nearly").
    pub approx: Option<String>,
    /// The table's label or caption, for a cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// What the source says is left out ("không kể thiết bị toàn bộ").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    pub lang: String,
}

/// One value stated for a point, with every source that states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointValue {
    /// In the base unit (RUB, USD, persons), scale applied.
    pub value: f64,
    /// For display ("593.8 million RUB").
    pub display: String,
    /// True when every source gives it as approximate.
    pub approx: bool,
    /// The price basis, when stated ("prices of 1985", "current prices").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    pub sources: Vec<Source>,
    /// The values this statement allows, given how it is written (see [`compatible`]).
    #[serde(skip)]
    pub range: (f64, f64),
}

/// The values of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub period: Period,
    /// Distinct values (usually one).
    pub values: Vec<PointValue>,
}

/// A series' names, by language.
pub use crate::knowledge::series::Labels as Names;

/// A named series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Stable key ("vn-ussr-trade-turnover-rub").
    pub key: String,
    /// Display name (English).
    pub name: String,
    pub names: Names,
    /// Concept id ("trade-turnover").
    pub concept: String,
    /// Scope id ("vn-ussr", "vn-total").
    pub scope: String,
    /// Base unit: "RUB", "USD" or "person".
    pub unit: String,
    /// By period.
    pub points: Vec<Point>,
}

impl Series {
    /// Number of sources over all points.
    pub fn source_count(&self) -> usize {
        self.points
            .iter()
            .flat_map(|p| &p.values)
            .map(|v| v.sources.len())
            .sum()
    }
}

/// One value read from a source, attributed to a series and a period.
#[derive(Debug, Clone)]
pub struct Observation {
    pub concept: String,
    pub scope: String,
    pub unit: String,
    pub period: Period,
    pub value: f64,
    /// Half the last written digit's unit, in the base unit.
    pub half_unit: f64,
    pub basis: Option<String>,
    pub source: Source,
}

/// The source text the running-text attribution reads: each document's bytes, sentences and
/// timexes.
#[derive(Debug, Default)]
pub struct Context {
    docs: HashMap<String, DocText>,
}

/// One document's text for the attribution.
#[derive(Debug)]
pub struct DocText {
    pub bytes: std::sync::Arc<[u8]>,
    pub encoding: Encoding,
    /// Sentence byte ranges, in order.
    pub sentences: Vec<(usize, usize)>,
    /// Timexes with a year-valued start, in order.
    pub timexes: Vec<TimexRef>,
}

/// A timex, as the attribution needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimexRef {
    pub start: usize,
    pub end: usize,
    pub from: i32,
    pub to: i32,
    /// Whole years only: no month or day, no early/mid/late.
    pub whole_years: bool,
}

impl TimexRef {
    /// From a stored `timex` fact (None for citations, durations and unresolved values).
    pub fn from_fact(f: &StoredFact) -> Option<TimexRef> {
        let t = match &f.body {
            crate::fact::FactBody::Timex(t) => t,
            _ => return None,
        };
        if matches!(
            t.ty.as_str(),
            "citation" | "duration" | "relative" | "vague"
        ) {
            return None;
        }
        let vs = t.value_start?;
        let ve = t.value_end.unwrap_or(vs);
        let (from, to) = (vs.y?, ve.y?);
        let whole_years = vs.is_year()
            && ve.is_year()
            && (0..=9999).contains(&from)
            && (0..=9999).contains(&to)
            && t.modifier.is_none()
            && from <= to;
        Some(TimexRef {
            start: f.start as usize,
            end: f.end as usize,
            from,
            to,
            whole_years,
        })
    }
}

impl Context {
    /// Adds one document.
    pub fn insert<'a>(
        &mut self,
        doc: &str,
        bytes: std::sync::Arc<[u8]>,
        encoding: Encoding,
        mut sentences: Vec<(usize, usize)>,
        timexes: impl IntoIterator<Item = &'a StoredFact>,
    ) {
        sentences.sort_unstable();
        let mut t: Vec<TimexRef> = timexes
            .into_iter()
            .filter_map(TimexRef::from_fact)
            .collect();
        t.sort_by_key(|t| (t.start, t.end));
        self.docs.insert(
            doc.to_string(),
            DocText {
                bytes,
                encoding,
                sentences,
                timexes: t,
            },
        );
    }

    /// A document's text.
    pub fn doc(&self, id: &str) -> Option<&DocText> {
        self.docs.get(id)
    }

    /// The decoded text of a byte range of a document.
    pub fn text_of(&self, doc: &str, start: usize, end: usize) -> Option<String> {
        let d = self.docs.get(doc)?;
        (start <= end && end <= d.bytes.len())
            .then(|| decode_range(&d.bytes, d.encoding, start..end))
    }
}

/// Builds the series from stored `quantity` and `table` facts alone. Running-text
/// quantities need their sentences to be attributed, so without a [`Context`] only tables
/// contribute; use [`build_with`] for both.
pub fn build(quantities: &[StoredFact], tables: &[StoredFact]) -> Vec<Series> {
    build_with(quantities, tables, &Context::default())
}

/// Builds the series from stored `quantity` and `table` facts, reading sentences and
/// timexes from `ctx`.
pub fn build_with(quantities: &[StoredFact], tables: &[StoredFact], ctx: &Context) -> Vec<Series> {
    let quantities: Vec<&StoredFact> = quantities.iter().collect();
    let tables: Vec<&StoredFact> = tables.iter().collect();
    let o = observe(&quantities, &tables, ctx);
    assemble(o.text.into_iter().chain(o.tables))
}

/// The observations some facts give: those of running text (quantities outside the
/// tables) and those of table cells, apart: series are assembled from every document's
/// running-text observations first, then from every table's.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    pub text: Vec<Observation>,
    pub tables: Vec<Observation>,
}

/// What stored `quantity` and `table` facts give the series, reading sentences and
/// timexes from `ctx`. Each document's observations depend on that document alone, so
/// a read model keeps them per document ([`crate::snapshot`]).
pub fn observe(quantities: &[&StoredFact], tables: &[&StoredFact], ctx: &Context) -> Observed {
    let table_spans: Vec<(&str, u64, u64)> = tables
        .iter()
        .map(|t| (t.doc.as_str(), t.start, t.end))
        .collect();
    Observed {
        text: text::observations(quantities, ctx, &table_spans),
        tables: tables
            .iter()
            .flat_map(|t| table::observations(t, ctx))
            .collect(),
    }
}

/// The key of a series.
pub fn series_key(scope: &str, concept: &str, unit: &str) -> String {
    match unit {
        "person" => format!("{scope}-{concept}"),
        u => format!("{scope}-{concept}-{}", u.to_lowercase()),
    }
}

/// Groups observations into series and points; equal values merge.
pub fn assemble(obs: impl IntoIterator<Item = Observation>) -> Vec<Series> {
    let k = lexicon::knowledge();
    let mut by_series: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
    for o in obs {
        by_series
            .entry(series_key(&o.scope, &o.concept, &o.unit))
            .or_default()
            .push(o);
    }
    let mut out = Vec::new();
    for (key, obs) in by_series {
        let first = &obs[0];
        let (Some(c), Some(s)) = (k.concept(&first.concept), k.scope(&first.scope)) else {
            continue;
        };
        let unit = first.unit.clone();
        let un = k.units.get(&unit);
        let names = Names::from_fn(|l| {
            crate::knowledge::series::fill_name(
                &k.lexicon(l).series_name,
                c.names.get(l),
                s.names.get(l),
                un.map_or(unit.as_str(), |u| u.get(l).as_str()),
            )
        });
        let mut points: BTreeMap<((i32, i32), Period), Point> = BTreeMap::new();
        for o in obs {
            let p = points
                .entry((o.period.sort_key(), o.period))
                .or_insert_with(|| Point {
                    period: o.period,
                    values: Vec::new(),
                });
            let approx = o.source.approx.is_some();
            let same = p
                .values
                .iter_mut()
                .find(|v| same_value(v.value, o.value) && v.basis == o.basis);
            let range = allowed(o.value, o.half_unit, o.source.approx.as_deref());
            match same {
                Some(v) => {
                    v.approx &= approx;
                    v.range = (v.range.0.max(range.0), v.range.1.min(range.1));
                    if v.range.0 > v.range.1 {
                        v.range = (o.value, o.value);
                    }
                    v.sources.push(o.source);
                }
                None => p.values.push(PointValue {
                    value: o.value,
                    display: display_value(o.value, &unit),
                    approx,
                    basis: o.basis,
                    sources: vec![o.source],
                    range,
                }),
            }
        }
        let mut points: Vec<Point> = points.into_values().collect();
        for p in &mut points {
            p.values
                .sort_by(|a, b| a.value.total_cmp(&b.value).then(a.basis.cmp(&b.basis)));
            for v in &mut p.values {
                v.sources.sort_by(|a, b| {
                    (&a.span.doc, a.span.start, a.span.end).cmp(&(
                        &b.span.doc,
                        b.span.start,
                        b.span.end,
                    ))
                });
                v.sources.dedup_by(|a, b| a.span == b.span);
            }
        }
        out.push(Series {
            key,
            name: names.get(Lang::fallback()).to_string(),
            names,
            concept: c.id.clone(),
            scope: s.id.clone(),
            unit,
            points,
        });
    }
    out
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Half the unit of the last digit of `n` as written: 593.8 → 0.05; 1550 → 5. Trailing
/// zeros of a whole number are read as rounding to the hundreds at most (700 → 50,
/// 2000 → 50): sources round to hundreds, rarely coarser.
pub fn half_unit(n: f64) -> f64 {
    let s = format!("{n}");
    if let Some((_, frac)) = s.split_once('.') {
        return 0.5 * 10f64.powi(-(frac.len() as i32));
    }
    let tz = s.bytes().rev().take_while(|&b| b == b'0').count().min(2);
    if n == 0.0 {
        return 0.5;
    }
    0.5 * 10f64.powi(tz as i32)
}

/// The values a statement allows: the rounding interval of the number as written, widened
/// by 1% (rounding of conversions), by 5% when approximate ("about"), open above for "over"
/// and reaching 10% below for "nearly".
pub fn allowed(value: f64, half_unit: f64, approx: Option<&str>) -> (f64, f64) {
    let (lo, hi) = (value - half_unit, value + half_unit);
    let slack = 0.01 * value.abs();
    match approx {
        None => (lo - slack, hi + slack),
        Some("over" | "at least" | "more than") => (lo - slack, f64::INFINITY),
        Some("nearly" | "almost" | "under" | "less than" | "at most") => {
            (value * 0.9 - slack, hi + slack)
        }
        Some(_) => (lo - 0.05 * value.abs(), hi + 0.05 * value.abs()),
    }
}

/// True when two values stated for one period can both be right: their allowed ranges
/// ([`allowed`]) overlap.
pub fn compatible(a: &PointValue, b: &PointValue) -> bool {
    a.range.0 <= b.range.1 && b.range.0 <= a.range.1
}

/// "593.8 million RUB", "1.2 billion RUB", "1550 persons".
pub fn display_value(v: f64, unit: &str) -> String {
    let k = lexicon::knowledge();
    let u = k.units.get(unit).map_or(unit, |u| u.get(Lang::fallback()));
    let trim = |x: f64| {
        let s = format!("{:.3}", x);
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    };
    if unit == "person" {
        return format!("{} {u}", trim(v));
    }
    let a = v.abs();
    if a >= 1e9 {
        format!("{} billion {u}", trim(v / 1e9))
    } else if a >= 1e6 {
        format!("{} million {u}", trim(v / 1e6))
    } else if a >= 1e3 {
        format!("{} thousand {u}", trim(v / 1e3))
    } else {
        format!("{} {u}", trim(v))
    }
}

/// Value conflicts inside the series: one measure and period (and price basis), values
/// that differ beyond rounding. Every value of the point is a side, with all its evidence.
pub fn conflicts(series: &[Series]) -> Vec<Conflict> {
    let mut out = Vec::new();
    for s in series {
        for p in &s.points {
            let mut bases: Vec<&Option<String>> = p.values.iter().map(|v| &v.basis).collect();
            bases.sort();
            bases.dedup();
            for basis in bases {
                let vals: Vec<&PointValue> =
                    p.values.iter().filter(|v| &v.basis == basis).collect();
                let mut pairs = Vec::new();
                for (i, a) in vals.iter().enumerate() {
                    for b in &vals[i + 1..] {
                        if !compatible(a, b) {
                            pairs.push((a.display.clone(), b.display.clone()));
                        }
                    }
                }
                if pairs.is_empty() {
                    continue;
                }
                let mut quals: Vec<&str> = vals
                    .iter()
                    .flat_map(|v| &v.sources)
                    .filter_map(|x| x.qualifier.as_deref())
                    .collect();
                quals.sort_unstable();
                quals.dedup();
                let mut note = format!(
                    "{} for {}{}: values differ beyond rounding ({}); a value allows its last written digit ±½, 1% more, 5% when approximate",
                    s.name,
                    p.period.display(),
                    basis.as_ref().map_or(String::new(), |b| format!(" at {b}")),
                    pairs
                        .iter()
                        .map(|(a, b)| format!("{a} vs {b}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                );
                if !quals.is_empty() {
                    note += &format!("; some sources qualify the measure: {}", quals.join("; "));
                }
                let claims = vals
                    .iter()
                    .map(|v| Claim {
                        value: v.display.clone(),
                        value_json: json!({
                            "series": s.key,
                            "period": p.period,
                            "value": v.value,
                            "unit": s.unit,
                            "approx": v.approx,
                            "basis": v.basis,
                            "qualifiers": v.sources.iter().filter_map(|x| x.qualifier.clone()).collect::<Vec<_>>(),
                            "origins": v.sources.iter().map(|x| x.origin).collect::<Vec<_>>(),
                        }),
                        evidence: v.sources.iter().map(|x| x.span.clone()).collect(),
                    })
                    .collect();
                out.push(Conflict {
                    id: String::new(),
                    kind: ConflictKind::MeasureValue,
                    topic: format!("{}, {}", s.name, p.period.display()),
                    claims,
                    note,
                    reason: Reason::Values {
                        series: s.key.clone(),
                        period: p.period.display(),
                        basis: basis.clone(),
                        pairs,
                        qualifiers: quals.iter().map(|q| q.to_string()).collect(),
                    },
                });
            }
        }
    }
    for (i, c) in out.iter_mut().enumerate() {
        c.id = format!("conflict-measure-value-{}", i + 1);
    }
    out
}

/// The series a user's NAME selects: the key exactly, else every series whose key or name
/// in any language contains NAME (diacritics and case ignored), else whose concept words do.
pub fn find<'a>(series: &'a [Series], name: &str) -> Vec<&'a Series> {
    use crate::text::fold::fold;
    let q = fold(name.trim());
    if q.is_empty() {
        return Vec::new();
    }
    if let Some(s) = series.iter().find(|s| fold(&s.key) == q) {
        return vec![s];
    }
    let hit: Vec<&Series> = series
        .iter()
        .filter(|s| {
            std::iter::once(s.key.as_str())
                .chain(s.names.values().map(String::as_str))
                .any(|n| fold(n).contains(&q))
        })
        .collect();
    if !hit.is_empty() {
        return hit;
    }
    // A word of the lexicon ("товарооборот", "lưu học sinh") names its concept.
    let k = lexicon::knowledge();
    let mut toks = Vec::new();
    lexicon::tokenize(name, &mut toks);
    let mut concepts = Vec::new();
    for &lang in crate::text::lang::Lang::all() {
        if let Some((n, cs)) = k.lexicon(lang).at(&toks, 0)
            && n == toks.len()
        {
            for c in cs {
                if let lexicon::Class::Concept(id) = c {
                    concepts.push(id.clone());
                }
            }
        }
    }
    series
        .iter()
        .filter(|s| concepts.contains(&s.concept))
        .collect()
}

#[cfg(test)]
mod tests;
