//! The table extractor: tables in PDF-extracted text (caption, unit line, columns, rows,
//! notes, source line), Markdown pipe tables and whitespace-aligned text tables, every cell
//! with its span in the original source.
//!
//! It works on the document's physical lines ([`lines`]), since layout repair joins a
//! table's lines into paragraphs. A captioned table ("Phụ lục 1", "Table 3") is found by
//! its label line ([`region`]); its body is parsed as single-space PDF text ([`grid`],
//! [`header`]) or, when the text marks its columns, as a pipe or aligned table ([`aligned`]),
//! which are also found without a caption. Numbers are read under the table's own decimal
//! convention ([`cell`]), the language knowledge is data ([`data`], `data/table/*.toml`).
//!
//! One fact per table: kind `table`, evidence the whole region (caption through source
//! line), body as described in [`model`]. Where the layout does not say which row values
//! belong to, the table says so (`ambiguous: true`, `notes`) and invents nothing.
//!
//! Guarantees: never panics; linear-ish in the input (regions are bounded, over-long lines
//! are skipped); every span is made through the document's offset maps.

pub mod aligned;
pub mod cell;
pub mod data;
pub mod grid;
pub mod header;
pub mod lines;
pub mod model;
pub mod region;

use super::{Extractor, Fact};
use crate::document::Document;
use crate::extract::quantity::number::Decimal;
use crate::text::lang::{self, Lang};
use lines::Lines;
use model::Table;
use std::collections::HashSet;
use std::ops::Range;

/// The table extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct TableExtractor;

impl Extractor for TableExtractor {
    fn name(&self) -> &'static str {
        "table"
    }

    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        let Some(lines) = Lines::of(doc) else {
            return;
        };
        let tables = find(&lines);
        let mut used = HashSet::new();
        for (n, t) in tables.iter().enumerate() {
            if crate::budget::expired() {
                break;
            }
            let base = t.base_id(n + 1);
            let mut id = base.clone();
            let mut k = 2;
            while !used.insert(id.clone()) {
                id = format!("{base}-{k}");
                k += 1;
            }
            let evidence = lines.span(t.region.clone());
            out.push(Fact {
                evidence,
                body: crate::fact::FactBody::Table(t.body(&id, &lines)),
            });
        }
    }
}

/// Every table of the document, in document order.
pub fn find(lines: &Lines) -> Vec<Table> {
    let n = lines.lines.len();
    let mut tables = Vec::new();
    let mut free: Vec<Range<usize>> = Vec::new();
    let mut free_from = 0;
    let mut i = 0;
    while i < n {
        // The caller drops a partial result once the document's budget is spent.
        if i % 4096 == 4095 && crate::budget::expired() {
            return tables;
        }
        if let Some(label) = region::caption_label(lines, i)
            && let Some(reg) = region::region_at(lines, i, label)
            && let Some(t) = captioned(lines, &reg)
        {
            tables.push(t);
            free.push(free_from..i);
            i = reg.last + 1;
            free_from = i;
            continue;
        }
        i += 1;
    }
    free.push(free_from..n);
    for r in free {
        if crate::budget::expired() {
            break;
        }
        let dec = lines.doc.lang;
        for (s, e, pipe) in aligned::find_blocks(lines, r.start, r.end, decimal_default(dec)) {
            if crate::budget::expired() {
                break;
            }
            let dec = decimal_of(lines, s..e, dec);
            if let Some(b) = aligned::parse(lines, s, e, pipe, dec) {
                let region = lines.trimmed(b.lines.start).start..lines.trimmed(b.lines.end - 1).end;
                tables.push(Table {
                    columns: b.columns,
                    row_units: vec![None; b.rows.len()],
                    rows: b.rows,
                    lang: Some(lines.doc.lang),
                    region,
                    ..Table::default()
                });
            }
        }
    }
    tables.sort_by_key(|t| t.region.start);
    tables
}

fn decimal_default(l: Lang) -> Decimal {
    l.data().decimal
}

/// The decimal mark the numbers of lines `r` show, else the language's.
fn decimal_of(lines: &Lines, r: Range<usize>, lang: Lang) -> Decimal {
    let (mut comma, mut point) = (0, 0);
    for i in r {
        for p in lines.pieces(i) {
            match cell::evidence(lines.at(&p.range)) {
                Some(Decimal::Comma) => comma += 1,
                Some(Decimal::Point) => point += 1,
                None => {}
            }
        }
    }
    match comma.cmp(&point) {
        std::cmp::Ordering::Greater => Decimal::Comma,
        std::cmp::Ordering::Less => Decimal::Point,
        std::cmp::Ordering::Equal => decimal_default(lang),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A captioned table from its region.
fn captioned(lines: &Lines, reg: &region::Region) -> Option<Table> {
    let caption = collapse(
        &reg.caption
            .iter()
            .map(|r| lines.at(r))
            .collect::<Vec<_>>()
            .join(" "),
    );
    let mut sample = caption.clone();
    for &b in reg.body.iter().take(60) {
        sample.push(' ');
        sample.push_str(lines.line(b));
    }
    let lang = lang::identify(&sample, lines.doc.lang);
    let first = *reg.body.first()?;
    let last = *reg.body.last()?;
    let dec = decimal_of(lines, first..last + 1, lang);
    let mut notes: Vec<String> = Vec::new();
    if let Some(r) = &reg.unit_remark {
        notes.push(r.clone());
    }
    let mut note_texts = Vec::new();
    for (k, &i) in reg.notes.iter().enumerate() {
        let t = if k == 0 {
            region::after_colon(lines, i)
        } else {
            collapse(lines.line(i))
        };
        if !t.is_empty() {
            note_texts.push(t);
        }
    }
    let source = (!reg.source.is_empty()).then(|| {
        collapse(
            &reg.source
                .iter()
                .map(|&i| lines.line(i))
                .collect::<Vec<_>>()
                .join(" "),
        )
    });
    let nonblank: Vec<usize> = reg
        .body
        .iter()
        .copied()
        .filter(|&b| !lines.is_blank(b))
        .collect();
    let pipes = nonblank
        .iter()
        .filter(|&&b| aligned::is_pipe(lines, b))
        .count();
    let gapped = nonblank
        .iter()
        .filter(|&&b| aligned::is_aligned(lines, b))
        .count();
    let mut table = Table {
        kind: Some(reg.label.kind.clone()),
        number: Some(reg.label.number.clone()),
        label: Some(reg.label.text.clone()),
        caption: (!caption.is_empty()).then_some(caption),
        unit: reg.unit.clone(),
        source,
        lang: Some(lang),
        region: lines.trimmed(reg.label_line).start..lines.trimmed(reg.last).end,
        ..Table::default()
    };
    if pipes >= 2 || (nonblank.len() >= 3 && gapped * 10 >= nonblank.len() * 6) {
        let b = aligned::parse(lines, first, last + 1, pipes >= 2, dec)?;
        table.columns = b.columns;
        table.row_units = vec![None; b.rows.len()];
        table.rows = b.rows;
    } else {
        let g = grid::parse(lines, &reg.body, dec, &note_texts)?;
        table.columns = g.columns;
        table.rows = g.rows;
        table.row_units = g.row_units;
        table.ambiguous = g.ambiguous;
        notes.extend(g.notes);
        if table.unit.is_none() {
            table.unit = g.legend_unit;
        }
    }
    let mut all_notes = note_texts;
    all_notes.extend(notes);
    table.notes = all_notes;
    Some(table)
}
