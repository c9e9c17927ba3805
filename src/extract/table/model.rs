//! A parsed table and its fact body (the export contract: `id`, `label`, `caption`, `unit`,
//! `columns`, `rows`, `cells`, `source`, `notes`, `ambiguous`, `lang`, `column_periods`,
//! `row_units`).
//!
//! Guarantee: `rows` and `cells` have the same shape; every cell span is made by
//! [`Lines::source_range`], so its text is exactly the source bytes it covers.

use super::cell::{Reading, period};
use super::lines::Lines;
use crate::text::lang::Lang;
use serde_json::Value;
use std::ops::Range;

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// A number (exported as a JSON number).
    Number(f64),
    /// A label, a unit, or a value that is not one number ("449-462", "1/3,96").
    Text(String),
    /// Nothing.
    Empty,
}

/// One cell: its value, its range in the line text, and what else it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: CellValue,
    /// Range in the line text; `None` for a cell the source leaves empty.
    pub range: Option<Range<usize>>,
    /// The reading of a value cell (range, ratio, percent).
    pub reading: Option<Reading>,
    /// A parenthesised sub-value written under or after the cell: (value, range).
    pub sub: Option<(Value, Range<usize>)>,
}

impl Cell {
    /// An empty cell.
    pub fn empty() -> Cell {
        Cell {
            value: CellValue::Empty,
            range: None,
            reading: None,
            sub: None,
        }
    }

    /// A text cell over `range` (`None` when the text is empty).
    pub fn text(text: String, range: Option<Range<usize>>) -> Cell {
        if text.is_empty() {
            return Cell::empty();
        }
        Cell {
            value: CellValue::Text(text),
            range,
            reading: None,
            sub: None,
        }
    }

    /// A value cell from its token text, range and reading.
    pub fn value(tok: &str, range: Range<usize>, reading: Reading) -> Cell {
        let value = match reading {
            Reading::Number { value, .. } | Reading::Paren(value) => CellValue::Number(value),
            Reading::Range(..) | Reading::Ratio(..) => CellValue::Text(tok.to_string()),
            Reading::EmptyMark => CellValue::Empty,
        };
        Cell {
            value,
            range: Some(range),
            reading: Some(reading),
            sub: None,
        }
    }

    /// The value as a number, when it is one.
    pub fn number(&self) -> Option<f64> {
        match self.value {
            CellValue::Number(v) => Some(v),
            _ => None,
        }
    }
}

/// A parsed table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The id prefix the caption label gives ("appendix", "table").
    pub kind: Option<String>,
    /// The caption label's number ("1", "2.1").
    pub number: Option<String>,
    /// The caption label as written ("Phụ lục 1").
    pub label: Option<String>,
    pub caption: Option<String>,
    pub unit: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Per row, the unit its unit column gives.
    pub row_units: Vec<Option<String>>,
    pub source: Option<String>,
    pub notes: Vec<String>,
    pub ambiguous: bool,
    pub lang: Option<Lang>,
    /// The whole table region (caption through source line), in the line text.
    pub region: Range<usize>,
}

/// The year or year range a column header names, when it names exactly one.
pub fn column_period(header: &str) -> Option<(i32, i32)> {
    let mut found = None;
    let toks: Vec<&str> = header
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    while i < toks.len() {
        // "1981 - 1985" written with spaces.
        let p = if i + 2 < toks.len() && matches!(toks[i + 1], "-" | "–") {
            match (period(toks[i]), period(toks[i + 2])) {
                (Some((a, _)), Some((_, b))) if a <= b => {
                    i += 2;
                    Some((a, b))
                }
                _ => period(toks[i]),
            }
        } else {
            period(toks[i])
        };
        if let Some(p) = p {
            if found.is_some() {
                return None;
            }
            found = Some(p);
        }
        i += 1;
    }
    found
}

impl Table {
    /// The table's id: from the caption label ("appendix-1"), else `table-<n>`.
    pub fn base_id(&self, n: usize) -> String {
        match (&self.kind, &self.number) {
            (Some(k), Some(num)) => format!("{k}-{}", num.to_lowercase()),
            _ => format!("table-{n}"),
        }
    }

    /// The fact body, with `id` already decided.
    pub fn body(&self, id: &str, lines: &Lines) -> crate::fact::Table {
        use crate::fact::CellValue as V;
        crate::fact::Table {
            id: id.to_string(),
            label: self.label.clone(),
            caption: self.caption.clone(),
            unit: self.unit.clone(),
            columns: self.columns.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| match &c.value {
                            CellValue::Number(v) if v.is_finite() => Some(V::Number(*v)),
                            CellValue::Number(_) | CellValue::Empty => None,
                            CellValue::Text(t) => Some(V::Text(t.clone())),
                        })
                        .collect()
                })
                .collect(),
            cells: self
                .rows
                .iter()
                .map(|r| r.iter().map(|c| cell_span(c, lines)).collect())
                .collect(),
            source: self.source.clone(),
            notes: self.notes.clone(),
            ambiguous: self.ambiguous,
            lang: self.lang,
            column_periods: self
                .columns
                .iter()
                .map(|c| column_period(c).map(|(a, b)| [a, b]))
                .collect(),
            row_units: self.row_units.clone(),
        }
    }
}

fn cell_span(c: &Cell, lines: &Lines) -> Option<crate::fact::CellSpan> {
    use crate::fact::CellNumber as N;
    let r = c.range.as_ref()?;
    let src = lines.source_range(r.clone());
    let mut o = crate::fact::CellSpan {
        start: src.start,
        end: src.end,
        range: None,
        ratio: None,
        percent: false,
        empty_mark: false,
        sub: None,
        sub_span: None,
    };
    match c.reading {
        Some(Reading::Range(a, b)) => o.range = Some([N(a), N(b)]),
        Some(Reading::Ratio(a, b)) => o.ratio = Some([N(a), N(b)]),
        Some(Reading::Number { percent: true, .. }) => o.percent = true,
        Some(Reading::EmptyMark) => o.empty_mark = true,
        _ => {}
    }
    if let Some((v, r)) = &c.sub {
        let s = lines.source_range(r.clone());
        o.sub = Some(v.clone());
        o.sub_span = Some(crate::fact::At {
            start: s.start,
            end: s.end,
        });
    }
    Some(o)
}
