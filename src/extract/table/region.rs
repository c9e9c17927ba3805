//! Finding a captioned table's region in the lines: the caption label line ("Phụ lục 1",
//! "Table 3: ..."), the caption lines, the unit line, the body, the notes and the source
//! line, up to the next caption or the first line of running prose.
//!
//! Guarantee: a region never spans more than [`MAX_REGION`] lines, so finding all regions
//! is linear in the document.

use super::cell;
use super::data::{TableData, data};
use super::lines::Lines;
use std::ops::Range;

/// The most lines one table region may span.
pub const MAX_REGION: usize = 600;

/// A caption label found at the start of a line.
#[derive(Debug, Clone)]
pub struct Label {
    /// As written ("Phụ lục 1").
    pub text: String,
    /// The id prefix ("appendix").
    pub kind: String,
    /// The label's number ("1").
    pub number: String,
    /// The title written on the label line after the label, if any.
    pub title: Option<Range<usize>>,
}

/// A captioned table's region, as line indices.
#[derive(Debug, Clone)]
pub struct Region {
    pub label: Label,
    pub label_line: usize,
    /// Ranges of caption text (the label line's title, then caption lines).
    pub caption: Vec<Range<usize>>,
    /// The unit line's unit ("triệu rúp") and its remark ("Tổng số ... lấy tròn số").
    pub unit: Option<String>,
    pub unit_remark: Option<String>,
    /// Body lines, in order (empty and blank lines included).
    pub body: Vec<usize>,
    /// Note lines (the first starts with a note word).
    pub notes: Vec<usize>,
    /// Source lines (the first starts with a source word).
    pub source: Vec<usize>,
    /// The last line of the region.
    pub last: usize,
}

fn strip_markup(s: &str) -> &str {
    s.trim_start_matches(['#', '*', '_', ' ', '>'])
}

/// The caption label at the start of line `i`, when it has one.
pub fn caption_label(lines: &Lines, i: usize) -> Option<Label> {
    let t = lines.trimmed(i);
    if t.len() > 300 {
        return None;
    }
    let s = lines.at(&t);
    let body = strip_markup(s);
    let off = t.start + (s.len() - body.len());
    let d = data();
    let (word_len, kind) = d
        .captions
        .iter()
        .find_map(|(k, v)| prefix_len(body, k).map(|n| (n, v.clone())))?;
    let rest = &body[word_len..];
    let after_ws = rest.trim_start_matches([' ', '\u{a0}']);
    if after_ws.len() == rest.len() {
        return None; // "Bảng1" or "Tablet"
    }
    let num_start = word_len + (rest.len() - after_ws.len());
    let num_len = after_ws
        .find(|c: char| !(c.is_alphanumeric() || c == '.'))
        .unwrap_or(after_ws.len());
    let mut number = after_ws[..num_len].trim_end_matches('.');
    if number.is_empty() || number.len() > 10 {
        return None;
    }
    let roman = number.chars().all(|c| "IVXLC".contains(c));
    if !roman && !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !roman && number.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        return None;
    }
    number = number.trim_end_matches('.');
    let label_end = num_start + number.len();
    let tail = &body[label_end..];
    let tail_t = tail.trim_start_matches(['.', ':', ' ', '–', '—', '-', '\u{a0}', '*', '_']);
    let had_sep = tail.trim_start().starts_with(['.', ':', '–', '—', '-']);
    let title = tail_t.trim_end_matches(['*', '_', ' ']);
    if !title.is_empty() {
        if title.contains("....") || title.contains("…") {
            return None; // a table of contents line
        }
        let first = title.chars().next().unwrap_or(' ');
        if !(had_sep || first.is_uppercase() || first == '(' || first == '"') {
            return None; // "Table 1 shows ..."
        }
    }
    let title_start = off + (body.len() - tail_t.len());
    Some(Label {
        text: body[..label_end].to_string(),
        kind,
        number: number.to_string(),
        title: (!title.is_empty()).then(|| title_start..title_start + title.len()),
    })
}

fn prefix_len(s: &str, phrase: &str) -> Option<usize> {
    TableData::starts_with(s, std::slice::from_ref(&phrase.to_string()))
}

/// Starts with `word` followed (after optional spaces) by ":".
fn colon_line(s: &str, words: &[String]) -> Option<usize> {
    let n = TableData::starts_with(s, words)?;
    let rest = s[n..].trim_start();
    rest.starts_with(':').then(|| s.len() - rest.len() + 1)
}

/// The unit line's (unit, remark) when line `i` is one.
pub fn unit_line(lines: &Lines, i: usize) -> Option<(String, Option<String>)> {
    let t = lines.trimmed(i);
    let s = lines.at(&t);
    if s.chars().count() > 200 {
        return None;
    }
    let d = data();
    let rest = if let Some(n) = colon_line(s, &d.unit_line) {
        s[n..].trim()
    } else {
        let inner = s.trim_start_matches('(').trim_end_matches(')');
        TableData::starts_with(inner, &d.unit_phrase)?;
        inner.trim()
    };
    let (unit, remark) = match rest.find('(') {
        Some(k) if k > 0 => (
            rest[..k].trim(),
            Some(
                rest[k..]
                    .trim()
                    .trim_start_matches('(')
                    .trim_end_matches(')')
                    .to_string(),
            ),
        ),
        _ => (rest, None),
    };
    let unit = unit.trim_end_matches([',', ';', '.']).trim();
    (!unit.is_empty()).then(|| (unit.to_string(), remark))
}

/// Line `i` starts a source line ("Nguồn: ...").
pub fn is_source(lines: &Lines, i: usize) -> bool {
    colon_line(lines.at(&lines.trimmed(i)), &data().source_line).is_some()
}

/// Line `i` starts the notes ("Ghi chú: ...").
pub fn is_note(lines: &Lines, i: usize) -> bool {
    colon_line(lines.at(&lines.trimmed(i)), &data().note_line).is_some()
}

/// The text of a note or source line without its leading word and colon.
pub fn after_colon(lines: &Lines, i: usize) -> String {
    let s = lines.at(&lines.trimmed(i));
    let d = data();
    let n = colon_line(s, &d.note_line)
        .or_else(|| colon_line(s, &d.source_line))
        .unwrap_or(0);
    s[n..].trim().to_string()
}

/// How many value-like tokens end line `i` ("1976-1980 1981-1985" ends with two).
pub fn value_tail(lines: &Lines, i: usize) -> usize {
    let dec = crate::extract::quantity::number::Decimal::Comma;
    lines
        .pieces(i)
        .iter()
        .rev()
        .filter(|p| !p.is_empty())
        .take_while(|p| cell::read(lines.at(&p.range), dec).is_some())
        .count()
}

/// A line of running prose: many words and no values.
pub fn is_prose(lines: &Lines, i: usize) -> bool {
    let s = lines.at(&lines.trimmed(i));
    s.split_whitespace().count() >= 11 && value_tail(lines, i) == 0
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// The region of the table whose caption label is on line `at`; `None` when no body
/// follows.
pub fn region_at(lines: &Lines, at: usize, label: Label) -> Option<Region> {
    let n = lines.lines.len();
    let limit = (at + MAX_REGION).min(n);
    let mut caption: Vec<Range<usize>> = label.title.iter().cloned().collect();
    let mut i = at + 1;
    let mut unit = None;
    let mut unit_remark = None;
    // Caption lines.
    while i < limit && caption.len() < 4 {
        if lines.is_empty(i) || lines.furniture[i] {
            if !lines.double_spaced && !caption.is_empty() && lines.is_empty(i) {
                break;
            }
            i += 1;
            continue;
        }
        if lines.is_blank(i) {
            break;
        }
        let t = lines.trimmed(i);
        let s = lines.at(&t);
        if caption_label(lines, i).is_some()
            || unit_line(lines, i).is_some()
            || is_source(lines, i)
            || is_note(lines, i)
            || value_tail(lines, i) >= 2
            || s.starts_with('|')
            || lines.gapped(i).len() >= 3
            || (!caption.is_empty() && starts_upper(s))
            || s.split_whitespace().count() > 30
        {
            break;
        }
        caption.push(t);
        i += 1;
    }
    // Body, notes, source.
    let mut body = Vec::new();
    let mut notes = Vec::new();
    let mut source = Vec::new();
    let mut empties = 0;
    while i < limit {
        if lines.is_empty(i) {
            empties += 1;
            if !lines.double_spaced && empties >= 3 {
                break;
            }
            body.push(i);
            i += 1;
            continue;
        }
        empties = 0;
        if caption_label(lines, i).is_some() {
            break;
        }
        if unit.is_none()
            && let Some((u, r)) = unit_line(lines, i)
        {
            unit = Some(u);
            unit_remark = r;
            i += 1;
            continue;
        }
        if is_source(lines, i) || is_note(lines, i) {
            break;
        }
        if !lines.furniture[i] && is_prose(lines, i) {
            break;
        }
        body.push(i);
        i += 1;
    }
    // Notes and source, in either order.
    let mut last = body
        .iter()
        .rev()
        .find(|&&b| !lines.is_blank(b))
        .copied()
        .unwrap_or(at);
    for _ in 0..2 {
        while i < limit && lines.is_blank(i) {
            i += 1;
        }
        if i >= limit {
            break;
        }
        if notes.is_empty() && is_note(lines, i) {
            while i < limit && notes.len() < 10 {
                if lines.is_blank(i) {
                    if !lines.is_empty(i) && !lines.furniture[i] && !notes.is_empty() {
                        // A blank line of spaces ends the notes unless a source line follows.
                        let mut j = i + 1;
                        while j < limit && lines.is_blank(j) {
                            j += 1;
                        }
                        if j >= limit || !is_source(lines, j) {
                            break;
                        }
                    }
                    i += 1;
                    continue;
                }
                if (!notes.is_empty() && (is_source(lines, i) || caption_label(lines, i).is_some()))
                    || is_prose(lines, i) && !notes.is_empty()
                {
                    break;
                }
                notes.push(i);
                last = i;
                i += 1;
            }
        } else if source.is_empty() && is_source(lines, i) {
            while i < limit && source.len() < 5 {
                if lines.is_blank(i) {
                    if !lines.double_spaced && lines.is_empty(i) || !lines.is_empty(i) {
                        break;
                    }
                    i += 1;
                    continue;
                }
                if !source.is_empty() && (caption_label(lines, i).is_some() || is_note(lines, i)) {
                    break;
                }
                source.push(i);
                last = i;
                let done = lines.at(&lines.trimmed(i)).ends_with('.');
                i += 1;
                if done {
                    break;
                }
            }
        } else {
            break;
        }
    }
    // Trailing empty body lines are not part of the table.
    while body.last().is_some_and(|&b| lines.is_blank(b)) {
        body.pop();
    }
    if body.is_empty() {
        return None;
    }
    Some(Region {
        label,
        label_line: at,
        caption,
        unit,
        unit_remark,
        body,
        notes,
        source,
        last,
    })
}
