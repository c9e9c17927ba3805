//! Tables whose columns the text marks itself: Markdown pipe tables (`| a | b |`) and text
//! aligned with runs of two or more spaces or tabs (English and Russian reports, `pdftotext
//! -layout`). Also finds such blocks where no caption announces them.
//!
//! Columns are placed by character position: the lines with the most cells define the
//! columns, and every other line's cells go to the column they overlap most.
//!
//! Guarantee: linear in the lines looked at; never panics.

use super::cell::{self, Reading};
use super::lines::{Lines, Piece};
use super::model::{Cell, CellValue};
use crate::extract::quantity::number::Decimal;
use std::ops::Range;

/// Line `i` is a pipe-table line.
pub fn is_pipe(lines: &Lines, i: usize) -> bool {
    let s = lines.at(&lines.trimmed(i));
    s.starts_with('|') && s.matches('|').count() >= 2 && s.len() <= super::lines::MAX_LINE
}

fn is_pipe_rule(s: &str) -> bool {
    s.contains('-') && s.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+'))
}

/// Line `i` is an aligned-table line: two or more cells at gaps of 2+ spaces or tabs.
pub fn is_aligned(lines: &Lines, i: usize) -> bool {
    let g = lines.gapped(i);
    g.len() >= 2 && g.iter().all(|(p, _)| p.range.len() <= 120)
}

/// A line's cells with their character columns.
type LineCells = Vec<(Piece, Range<usize>)>;

fn pipe_cells(lines: &Lines, i: usize) -> LineCells {
    let t = lines.trimmed(i);
    let s = lines.at(&t);
    let mut out = Vec::new();
    let mut start = None;
    let mut prev = ' ';
    for (col, (k, c)) in s.char_indices().enumerate() {
        if c == '|' && prev != '\\' {
            if let Some((b, cs)) = start {
                let raw = &s[b..k];
                let lead = raw.len() - raw.trim_start().len();
                let piece = t.start + b + lead..t.start + b + lead + raw.trim().len();
                out.push((Piece { range: piece }, cs..col));
            }
            start = Some((k + 1, col + 1));
        }
        prev = c;
    }
    out
}

/// A table block: the header's and the rows' cells by column.
pub struct Block {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub lines: Range<usize>,
}

/// Reads a cell of an aligned table: a value, a label, or a number written with space
/// groups ("1 250").
fn read_cell(text: &str, range: Range<usize>, dec: Decimal) -> Cell {
    if let Some(r) = cell::read(text, dec) {
        return Cell::value(text, range, r);
    }
    let squeezed: String = text
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{a0}')
        .collect();
    let groups_ok = text
        .split([' ', '\u{a0}'])
        .skip(1)
        .all(|g| g.len() == 3 || g.len() > 3 && g.find([',', '.']) == Some(3));
    if squeezed.len() != text.len()
        && groups_ok
        && let Some(r @ Reading::Number { .. }) = cell::read(&squeezed, dec)
    {
        return Cell::value(text, range, r);
    }
    Cell::text(text.to_string(), Some(range))
}

fn has_number(cells: &[Cell]) -> bool {
    cells.iter().skip(1).any(|c| c.number().is_some())
}

/// A line of column years ("1970  1975"): every cell after the first is a year or a year
/// range, in increasing order.
fn year_header(cells: &[Cell], lines: &Lines) -> bool {
    let mut prev = i32::MIN;
    for c in cells.iter().skip(1) {
        let Some(r) = &c.range else { continue };
        match cell::period(lines.at(r)) {
            Some((a, _)) if a > prev => prev = a,
            _ => return false,
        }
    }
    prev > i32::MIN
}

/// Parses the lines `from..to` as a pipe table (`pipe`) or an aligned table.
pub fn parse(lines: &Lines, from: usize, to: usize, pipe: bool, dec: Decimal) -> Option<Block> {
    let mut raw: Vec<(usize, LineCells)> = Vec::new();
    let mut rule_at = None;
    for i in from..to {
        if lines.is_blank(i) {
            continue;
        }
        if pipe {
            if is_pipe_rule(lines.at(&lines.trimmed(i))) {
                rule_at.get_or_insert(raw.len());
                continue;
            }
            raw.push((i, pipe_cells(lines, i)));
        } else {
            raw.push((i, lines.gapped(i)));
        }
    }
    if raw.len() < 2 {
        return None;
    }
    // Columns: from the lines with the most common cell count (at least 2).
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for (_, c) in &raw {
        match counts.iter_mut().find(|(n, _)| *n == c.len()) {
            Some(e) => e.1 += 1,
            None => counts.push((c.len(), 1)),
        }
    }
    let k = counts
        .iter()
        .filter(|(n, _)| *n >= 2)
        .max_by_key(|&&(n, c)| (c, n))
        .map(|&(n, _)| n)?;
    let mut spans: Vec<Range<usize>> = vec![
        Range {
            start: usize::MAX,
            end: 0
        };
        k
    ];
    for (_, c) in raw.iter().filter(|(_, c)| c.len() == k) {
        for (j, (_, cols)) in c.iter().enumerate() {
            spans[j].start = spans[j].start.min(cols.start);
            spans[j].end = spans[j].end.max(cols.end);
        }
    }
    let place = |cols: &Range<usize>| -> usize {
        let mut best = (0usize, i64::MIN);
        for (j, s) in spans.iter().enumerate() {
            let ov = cols.end.min(s.end) as i64 - cols.start.max(s.start) as i64;
            let centre = (cols.start + cols.end) as i64 - (s.start + s.end) as i64;
            let score = if ov > 0 { ov * 1000 } else { -centre.abs() };
            if score > best.1 {
                best = (j, score);
            }
        }
        best.0
    };
    let mut grid: Vec<(usize, Vec<Cell>)> = Vec::new();
    for (i, c) in &raw {
        let mut row: Vec<Cell> = vec![Cell::empty(); k];
        for (j, (p, cols)) in c.iter().enumerate() {
            let at = if pipe || c.len() == k {
                j.min(k - 1)
            } else {
                place(cols)
            };
            let text = lines.at(&p.range);
            if text.is_empty() {
                continue;
            }
            let cellv = if at == 0 {
                Cell::text(text.to_string(), Some(p.range.clone()))
            } else {
                read_cell(text, p.range.clone(), dec)
            };
            match &mut row[at].value {
                CellValue::Empty => row[at] = cellv,
                CellValue::Text(t) => {
                    t.push(' ');
                    t.push_str(text);
                    if let Some(r) = &mut row[at].range {
                        r.end = p.range.end;
                    }
                }
                CellValue::Number(_) => {}
            }
        }
        grid.push((*i, row));
    }
    // Header: the lines before the first line with a number (or before the rule).
    let first_data = match rule_at {
        Some(r) => r,
        None => grid
            .iter()
            .position(|(_, r)| has_number(r) && !year_header(r, lines))?,
    };
    let mut columns = vec![String::new(); k];
    for (_, r) in &grid[..first_data] {
        for (j, c) in r.iter().enumerate() {
            if let Some(r) = &c.range {
                if !columns[j].is_empty() {
                    columns[j].push(' ');
                }
                columns[j].push_str(lines.at(r));
            }
        }
    }
    let rows: Vec<Vec<Cell>> = grid[first_data..].iter().map(|(_, r)| r.clone()).collect();
    if rows.iter().filter(|r| has_number(r)).count() < 2 {
        return None;
    }
    Some(Block {
        columns,
        rows,
        lines: raw[0].0..raw[raw.len() - 1].0 + 1,
    })
}

/// Unlabelled pipe or aligned blocks among lines `from..to`, as (first, end, pipe) line
/// ranges: pipe blocks of two or more lines, aligned blocks of three or more lines of which
/// at least two carry a number after their first cell.
pub fn find_blocks(
    lines: &Lines,
    from: usize,
    to: usize,
    dec: Decimal,
) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        if is_pipe(lines, i) {
            let s = i;
            while i < to && is_pipe(lines, i) {
                i += 1;
            }
            if i - s >= 2 {
                out.push((s, i, true));
            }
            continue;
        }
        if is_aligned(lines, i) {
            let s = i;
            let mut numeric = 0;
            let mut end = i;
            let mut blank_run = 0;
            while i < to && i - s < super::region::MAX_REGION {
                if lines.is_blank(i) {
                    blank_run += 1;
                    if blank_run > 1 {
                        break;
                    }
                    i += 1;
                    continue;
                }
                if !is_aligned(lines, i) {
                    break;
                }
                blank_run = 0;
                let g = lines.gapped(i);
                if g.iter().skip(1).any(|(p, _)| {
                    matches!(
                        cell::read(lines.at(&p.range), dec),
                        Some(Reading::Number { .. })
                    )
                }) {
                    numeric += 1;
                }
                i += 1;
                end = i;
            }
            let n = (s..end).filter(|&j| !lines.is_blank(j)).count();
            if n >= 3 && numeric >= 2 {
                out.push((s, end, false));
            }
            i = i.max(s + 1);
            continue;
        }
        i += 1;
    }
    out
}
