//! Rows and columns of a table body in PDF-extracted text, where cells are separated by
//! single spaces, an empty cell shows as an extra space, row labels run over several lines
//! and values may stand one per line.
//!
//! The body's lines are classified (words, values, words followed by values, column codes
//! such as "I II I II", parenthesised sub-values, blank separators), assembled into rows
//! (label lines, then the value lines that follow them), and the header is what comes before
//! the first row that carries a full complement of values. The number of value columns is
//! the most common row length. A row with more values than that, whose extra values stand
//! apart from any label, is a *detached block*: its values are read column by column only
//! when blank lines group them consistently, and the table is marked ambiguous with a note
//! either way; labels are never guessed for such rows.
//!
//! Guarantee: linear in the number of body lines and pieces; never panics.

use super::cell::{self, Reading};
use super::data::data;
use super::header;
pub use super::lines::{BLine, Kind};
use super::lines::{Lines, Piece};
use super::model::Cell;
use crate::extract::quantity::number::Decimal;
use std::ops::Range;

fn is_code(s: &str) -> bool {
    matches!(
        s,
        "I" | "II" | "III" | "IV" | "V" | "VI" | "VII" | "VIII" | "IX" | "X"
    ) || (s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase()))
}

/// Classifies line `i`.
pub fn classify(lines: &Lines, i: usize, dec: Decimal) -> BLine {
    let mk = |kind, pieces, label_end| BLine {
        line: i,
        kind,
        pieces,
        label_end,
    };
    if lines.is_empty(i) || lines.furniture[i] {
        return mk(Kind::Empty, Vec::new(), 0);
    }
    if lines.is_blank(i) {
        return mk(Kind::Gap, Vec::new(), 0);
    }
    let pieces = lines.pieces(i);
    if pieces.is_empty() {
        return mk(Kind::Empty, Vec::new(), 0);
    }
    let t = lines.at(&lines.trimmed(i));
    if t.starts_with('(') && t.ends_with(')') && t[1..].starts_with(|c: char| c.is_ascii_digit()) {
        let n = pieces.len();
        return mk(Kind::Sub, pieces, n);
    }
    let words: Vec<&str> = pieces
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| lines.at(&p.range))
        .collect();
    if words.len() >= 2 && words.iter().all(|w| is_code(w)) {
        let n = pieces.len();
        return mk(Kind::Codes, pieces, n);
    }
    let mut tail = pieces.len();
    while tail > 0 {
        let p = &pieces[tail - 1];
        if p.is_empty() || cell::read(lines.at(&p.range), dec).is_some() {
            tail -= 1;
        } else {
            break;
        }
    }
    let has_value = pieces[tail..].iter().any(|p| {
        !p.is_empty() && cell::read(lines.at(&p.range), dec).is_some_and(|r| r.is_value())
    });
    if !has_value {
        let n = pieces.len();
        return mk(Kind::Words, pieces, n);
    }
    let label = pieces[..tail].iter().any(|p| !p.is_empty());
    if label {
        mk(Kind::Mixed, pieces, tail)
    } else {
        mk(Kind::Values, pieces, 0)
    }
}

/// One value token of a row.
#[derive(Debug, Clone)]
struct Tok {
    piece: Piece,
    reading: Option<Reading>,
    /// Index of the value line it came from, within its row.
    line: usize,
    /// A blank line stood between this token and the one before.
    gap_before: bool,
    sub: Option<(serde_json::Value, Range<usize>)>,
}

/// A row as assembled: label lines, then values.
#[derive(Debug, Clone, Default)]
struct RawRow {
    /// Label lines (body-line indices), each with "a blank line came before it".
    labels: Vec<(usize, bool)>,
    /// A words-then-values line whose words end the label.
    own: Option<usize>,
    toks: Vec<Tok>,
    /// Value counts per value line.
    per_line: Vec<usize>,
    /// First body-line index of the row.
    start: usize,
    /// First body-line index holding values.
    first_value: usize,
}

impl RawRow {
    fn total(&self) -> usize {
        self.toks.len()
    }

    fn has_label(&self) -> bool {
        !self.labels.is_empty() || self.own.is_some()
    }
}

/// What the grid parser found.
#[derive(Debug, Default)]
pub struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub row_units: Vec<Option<String>>,
    pub notes: Vec<String>,
    pub ambiguous: bool,
    /// The unit from a legend in the notes ("I: triệu rúp; II: %").
    pub legend_unit: Option<String>,
}

fn push_tokens(row: &mut RawRow, bl: &BLine, lines: &Lines, dec: Decimal, gap: bool) {
    let li = row.per_line.len();
    let mut count = 0;
    let mut first = true;
    for p in &bl.pieces[bl.label_end..] {
        let reading = if p.is_empty() {
            None
        } else {
            cell::read(lines.at(&p.range), dec)
        };
        if let Some(Reading::Paren(v)) = reading {
            if let Some(t) = row.toks.last_mut() {
                t.sub = Some((serde_json::json!(v), p.range.clone()));
            }
            continue;
        }
        row.toks.push(Tok {
            piece: p.clone(),
            reading,
            line: li,
            gap_before: gap && first,
            sub: None,
        });
        first = false;
        count += 1;
    }
    row.per_line.push(count);
}

fn all_years(row: &RawRow, lines: &Lines) -> bool {
    let mut prev = i32::MIN;
    let mut any = false;
    for t in &row.toks {
        if t.piece.is_empty() {
            continue;
        }
        match cell::period(lines.at(&t.piece.range)) {
            Some((a, _)) if a > prev => {
                prev = a;
                any = true;
            }
            _ => return false,
        }
    }
    any
}

fn mode(xs: impl Iterator<Item = usize>) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for x in xs {
        match counts.iter_mut().find(|(v, _)| *v == x) {
            Some(c) => c.1 += 1,
            None => counts.push((x, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(v, c)| (c, v))
        .map(|(v, _)| v)
}

/// Word pieces of a row's label, in order, with "starts a new label item" flags (a blank
/// line before it, or a capitalised line after a line that does not end with a joiner).
fn label_words(row: &RawRow, bl: &[BLine], lines: &Lines) -> Vec<(Range<usize>, bool)> {
    let mut out: Vec<(Range<usize>, bool)> = Vec::new();
    let push_line = |b: &BLine, gap: bool, out: &mut Vec<(Range<usize>, bool)>| {
        let mut first = true;
        for p in b.label_pieces() {
            let text = lines.at(&p.range);
            let new_item = first && {
                let prev_joiner = out
                    .last()
                    .is_some_and(|(r, _)| data().joiners.contains(&lines.at(r).to_lowercase()));
                out.is_empty()
                    || gap
                    || (text.starts_with(|c: char| c.is_uppercase()) && !prev_joiner)
            };
            out.push((p.range.clone(), new_item));
            first = false;
        }
    };
    for &(k, gap) in &row.labels {
        push_line(&bl[k], gap, &mut out);
    }
    if let Some(k) = row.own {
        let lower = lines
            .at(&lines.trimmed(bl[k].line))
            .starts_with(|c: char| c.is_lowercase());
        push_line(&bl[k], !lower && !row.labels.is_empty(), &mut out);
    }
    out
}

fn join(ranges: &[Range<usize>], lines: &Lines) -> (String, Option<Range<usize>>) {
    let text = ranges
        .iter()
        .map(|r| lines.at(r).trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let span = match (ranges.first(), ranges.last()) {
        (Some(a), Some(b)) => Some(a.start..b.end),
        _ => None,
    };
    (text, span)
}

fn tok_cell(t: &Tok, lines: &Lines) -> Cell {
    let mut c = match t.reading {
        Some(r) if !t.piece.is_empty() => {
            Cell::value(lines.at(&t.piece.range), t.piece.range.clone(), r)
        }
        _ if t.piece.is_empty() => Cell::empty(),
        _ => Cell::text(
            lines.at(&t.piece.range).to_string(),
            Some(t.piece.range.clone()),
        ),
    };
    c.sub = t.sub.clone();
    c
}

/// Reads a detached block of `k` rows of `m` values: column by column when blank lines
/// group the values consistently within columns, row by row when they separate rows;
/// `None` when nothing says which.
fn decode_block(toks: &[Tok], m: usize) -> Option<Vec<Vec<Tok>>> {
    if m == 0 || toks.is_empty() || !toks.len().is_multiple_of(m) {
        return None;
    }
    let k = toks.len() / m;
    if k == 1 {
        return Some(vec![toks.to_vec()]);
    }
    let gaps: Vec<usize> = (1..toks.len()).filter(|&b| toks[b].gap_before).collect();
    let lines_are_rows = {
        // Each value line holds exactly one row.
        let mut counts: Vec<usize> = Vec::new();
        for t in toks {
            if counts.len() <= t.line - toks[0].line {
                counts.resize(t.line - toks[0].line + 1, 0);
            }
            counts[t.line - toks[0].line] += 1;
        }
        counts.iter().all(|&c| c == m)
    };
    if lines_are_rows || (!gaps.is_empty() && gaps.iter().all(|b| b % m == 0)) {
        return Some(toks.chunks(m).map(<[Tok]>::to_vec).collect());
    }
    let offset = gaps.first().map(|b| b % k)?;
    if offset != 0 && gaps.iter().all(|b| b % k == offset) {
        let mut rows = vec![Vec::with_capacity(m); k];
        for (i, t) in toks.iter().enumerate() {
            rows[i % k].push(t.clone());
        }
        return Some(rows);
    }
    None
}

/// Parses the body lines `body` of a region. `None` when they hold no table (fewer than
/// one row of values).
pub fn parse(lines: &Lines, body: &[usize], dec: Decimal, notes_text: &[String]) -> Option<Grid> {
    let bl: Vec<BLine> = body.iter().map(|&i| classify(lines, i, dec)).collect();
    // Assemble rows.
    let mut rows: Vec<RawRow> = Vec::new();
    let mut pending: Vec<(usize, bool)> = Vec::new();
    let mut cur: Option<RawRow> = None;
    let mut gap = false;
    for (k, b) in bl.iter().enumerate() {
        match b.kind {
            Kind::Empty => {}
            Kind::Gap => gap = true,
            Kind::Sub if cur.as_ref().is_some_and(|r| !r.toks.is_empty()) && pending.is_empty() => {
                let r = cur.as_mut().expect("checked");
                let t = r.toks.iter_mut().rev().find(|t| !t.piece.is_empty());
                if let Some(t) = t {
                    let range = lines.trimmed(b.line);
                    let inner = lines
                        .at(&range)
                        .trim_start_matches('(')
                        .trim_end_matches(')');
                    let v = match cell::read(inner, dec) {
                        Some(Reading::Number { value, .. }) => serde_json::json!(value),
                        _ => serde_json::json!(inner),
                    };
                    t.sub = Some((v, range));
                }
                gap = false;
            }
            Kind::Codes => {
                // Column codes belong to the header: they close whatever came before.
                if let Some(r) = cur.take() {
                    rows.push(r);
                }
                let mut labels = std::mem::take(&mut pending);
                labels.push((k, gap));
                rows.push(RawRow {
                    start: labels[0].0,
                    first_value: k,
                    labels,
                    ..RawRow::default()
                });
                gap = false;
            }
            Kind::Words | Kind::Sub => {
                if let Some(r) = cur.take() {
                    rows.push(r);
                }
                pending.push((k, gap));
                gap = false;
            }
            Kind::Values => {
                let values_here = b.pieces.len();
                // A second line of several values after a line of several values is a new
                // row (rows labelled by their first value: "1986 285 1100 1/3,96").
                let new_row = cur.as_ref().is_some_and(|r| {
                    r.per_line.last().is_some_and(|&c| c >= 2) && values_here >= 2
                });
                if cur.is_none() || !pending.is_empty() || new_row {
                    if let Some(r) = cur.take() {
                        rows.push(r);
                    }
                    let labels = std::mem::take(&mut pending);
                    cur = Some(RawRow {
                        start: labels.first().map_or(k, |l| l.0),
                        first_value: k,
                        labels,
                        ..RawRow::default()
                    });
                }
                let r = cur.as_mut().expect("just set");
                push_tokens(r, b, lines, dec, gap);
                gap = false;
            }
            Kind::Mixed => {
                if let Some(r) = cur.take() {
                    rows.push(r);
                }
                let lower = lines
                    .at(&lines.trimmed(b.line))
                    .starts_with(|c: char| c.is_lowercase());
                let labels = if lower {
                    std::mem::take(&mut pending)
                } else {
                    if !pending.is_empty() {
                        let labels = std::mem::take(&mut pending);
                        rows.push(RawRow {
                            start: labels[0].0,
                            first_value: k,
                            labels,
                            ..RawRow::default()
                        });
                    }
                    Vec::new()
                };
                let mut r = RawRow {
                    start: labels.first().map_or(k, |l| l.0),
                    first_value: k,
                    labels,
                    own: Some(k),
                    ..RawRow::default()
                };
                push_tokens(&mut r, b, lines, dec, false);
                cur = Some(r);
                gap = false;
            }
        }
    }
    if let Some(r) = cur.take() {
        rows.push(r);
    }
    // The first real row: not a line of years, and about as many values as most rows.
    let full = |r: &RawRow| !all_years(r, lines);
    let m0 = mode(
        rows.iter()
            .filter(|r| full(r) && r.total() >= 2)
            .map(RawRow::total),
    )
    .or_else(|| {
        mode(
            rows.iter()
                .filter(|r| full(r) && r.total() >= 1)
                .map(RawRow::total),
        )
    })?;
    let thr = if m0 >= 2 { m0.div_ceil(2).max(2) } else { 1 };
    let first = rows.iter().position(|r| full(r) && r.total() >= thr)?;
    let mut data_rows: Vec<RawRow> = rows.split_off(first);
    // Rows labelled by their first value ("1955-1960 200 50 ..."): the lines before the
    // first row are all header.
    let later = &data_rows[1..];
    let unlabelled =
        |r: &RawRow| !r.has_label() && r.toks.first().is_some_and(|t| !t.piece.is_empty());
    let first_token_labels = if later.is_empty() {
        unlabelled(&data_rows[0])
            || data_rows[0].own.is_none()
                && data_rows[0]
                    .toks
                    .first()
                    .is_some_and(|t| cell::period(lines.at(&t.piece.range)).is_some())
    } else {
        later.iter().filter(|r| unlabelled(r)).count() * 10 >= later.len() * 6
    };
    let header_end = if first_token_labels && data_rows[0].own.is_none() {
        data_rows[0].labels.clear();
        data_rows[0].first_value
    } else {
        data_rows[0].start
    };
    let header_lines: Vec<&BLine> = bl[..header_end].iter().collect();
    let frags = header::fragments(&header_lines, lines);
    let d = data();
    let mut has_unit = frags.iter().any(|f| {
        crate::extract::table::data::TableData::starts_with(&f.text, &d.unit_column).is_some()
    });
    // Labels and units.
    struct Row {
        label: Cell,
        unit: Option<Cell>,
        toks: Vec<Tok>,
        per_line: Vec<usize>,
        unplaced: Vec<String>,
    }
    let mut out_rows: Vec<Row> = Vec::new();
    let labelled_with_unit = data_rows
        .iter()
        .filter(|r| {
            let w = label_words(r, &bl, lines);
            let words: Vec<String> = w.iter().map(|(r, _)| lines.at(r).to_lowercase()).collect();
            let n = d.unit_suffix(&words);
            n > 0 && n < words.len()
        })
        .count();
    if !has_unit && data_rows.len() >= 3 && labelled_with_unit * 10 >= data_rows.len() * 7 {
        has_unit = true;
    }
    for r in &data_rows {
        let mut toks = r.toks.clone();
        let mut per_line = r.per_line.clone();
        let words = label_words(r, &bl, lines);
        let (label, unit) = if words.is_empty() && first_token_labels {
            if toks.first().is_some_and(|t| !t.piece.is_empty()) {
                let t = toks.remove(0);
                if let Some(c) = per_line.first_mut() {
                    *c = c.saturating_sub(1);
                }
                (
                    Cell::text(lines.at(&t.piece.range).to_string(), Some(t.piece.range)),
                    None,
                )
            } else {
                (Cell::empty(), None)
            }
        } else {
            let lw: Vec<String> = words
                .iter()
                .map(|(r, _)| lines.at(r).to_lowercase())
                .collect();
            let n = if has_unit { d.unit_suffix(&lw) } else { 0 };
            let n = if n >= lw.len() { 0 } else { n };
            let split = words.len() - n;
            let ranges: Vec<Range<usize>> = words.iter().map(|(r, _)| r.clone()).collect();
            let (lt, ls) = join(&ranges[..split], lines);
            let unit = if n > 0 {
                let (ut, us) = join(&ranges[split..], lines);
                Some(Cell::text(ut, us))
            } else if has_unit {
                if toks.first().is_some_and(|t| t.piece.is_empty()) {
                    toks.remove(0);
                    if let Some(c) = per_line.first_mut() {
                        *c = c.saturating_sub(1);
                    }
                }
                Some(Cell::empty())
            } else {
                None
            };
            (Cell::text(lt, ls), unit)
        };
        out_rows.push(Row {
            label,
            unit,
            toks,
            per_line,
            unplaced: Vec::new(),
        });
    }
    let m = mode(
        out_rows
            .iter()
            .filter(|r| !r.toks.is_empty())
            .map(|r| r.toks.len()),
    )?;
    // Finish rows: pad short ones, cut detached blocks off long ones.
    let mut grid = Grid::default();
    let mut final_rows: Vec<(Cell, Option<Cell>, Vec<Tok>)> = Vec::new();
    let mut block_before: Option<usize> = None; // rows a detached block gave, awaiting labels
    for (ri, mut r) in out_rows.into_iter().enumerate() {
        if let Some(k) = block_before.take() {
            // The row after a detached block: its label lines may hold the block's labels.
            let words = label_words(&data_rows[ri], &bl, lines);
            let starts: Vec<usize> = words
                .iter()
                .enumerate()
                .filter(|(_, (_, new))| *new)
                .map(|(i, _)| i)
                .collect();
            if starts.len() > 1 {
                let last = *starts.last().expect("non-empty");
                let ranges: Vec<Range<usize>> = words.iter().map(|(r, _)| r.clone()).collect();
                for w in starts.windows(2) {
                    r.unplaced.push(join(&ranges[w[0]..w[1]], lines).0);
                }
                let (lt, ls) = join(&ranges[last..], lines);
                r.label = Cell::text(lt, ls);
            }
            let fr = final_rows.len();
            grid.notes.push(format!(
                "rows {}-{}: values printed apart from their row labels; their labels are not placed{}",
                fr - k + 1,
                fr,
                if r.unplaced.is_empty() {
                    String::new()
                } else {
                    format!(" (the label lines near them read, in order: {})", r.unplaced.join("; "))
                }
            ));
        }
        if r.toks.len() > m {
            let mut acc = 0;
            let mut cut = None;
            for (li, c) in r.per_line.iter().enumerate() {
                acc += c;
                if acc == m {
                    cut = Some(li);
                    break;
                }
                if acc > m {
                    break;
                }
            }
            grid.ambiguous = true;
            match cut {
                Some(li) => {
                    let rest: Vec<Tok> = r.toks.iter().filter(|t| t.line > li).cloned().collect();
                    r.toks.retain(|t| t.line <= li);
                    let n_rest = rest.len();
                    let had_unit = r.unit.is_some();
                    final_rows.push((r.label, r.unit, r.toks));
                    match decode_block(&rest, m) {
                        Some(block) => {
                            let k = block.len();
                            for b in block {
                                final_rows.push((Cell::empty(), had_unit.then(Cell::empty), b));
                            }
                            grid.notes.push(format!(
                                "{n_rest} values stand apart from any row label after row {}; read as {k} rows of {m}{}",
                                final_rows.len() - k,
                                if k > 1 { ", column by column as blank lines group them" } else { "" }
                            ));
                            block_before = Some(k);
                        }
                        None => grid.notes.push(format!(
                            "{n_rest} values stand apart from any row label after row {}; their layout does not say which row or column they belong to, so they are left out",
                            final_rows.len()
                        )),
                    }
                    continue;
                }
                None => grid.notes.push(format!(
                    "row {} has {} values for {m} value columns",
                    final_rows.len() + 1,
                    r.toks.len()
                )),
            }
        }
        final_rows.push((r.label, r.unit, r.toks));
    }
    // Columns.
    let legend = header::legend(notes_text);
    let (columns, hnotes) = header::columns(&header_lines, lines, has_unit, m, &legend);
    grid.notes.extend(hnotes);
    grid.legend_unit = header::legend_unit(&legend);
    grid.columns = columns;
    for (label, unit, toks) in final_rows {
        let mut row = vec![label];
        grid.row_units.push(match &unit {
            Some(c) => match &c.value {
                super::model::CellValue::Text(t) => Some(t.clone()),
                _ => None,
            },
            None => None,
        });
        if has_unit {
            row.push(unit.unwrap_or_else(Cell::empty));
        }
        for t in &toks {
            row.push(tok_cell(t, lines));
        }
        while row.len() < grid.columns.len() {
            row.push(Cell::empty());
        }
        grid.rows.push(row);
    }
    // One lone number ("Điều 1") is no table.
    let numeric = grid
        .rows
        .iter()
        .map(|r| r.iter().filter(|c| c.number().is_some()).count())
        .sum::<usize>();
    (numeric >= 2 && (m >= 2 || grid.rows.len() >= 2)).then_some(grid)
}
