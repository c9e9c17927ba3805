//! The document's physical lines, which tables live in (layout repair joins them into
//! paragraphs), and their cells as written.
//!
//! The line text is the document's source decoded and NFC-normalized again with the same
//! functions [`Document::read`] uses, so its [`MappedText`] maps every byte back to the
//! original file exactly; spans are only ever made with [`Lines::span`].
//!
//! Two ways of cutting a line into pieces:
//! - [`Lines::pieces`]: PDF text where cells are separated by single spaces and an empty
//!   cell shows as an extra space ("Tinh dầu Tấn  338  ": an empty cell, 338, an empty cell);
//! - [`Lines::gapped`]: text aligned with runs of two or more spaces or tabs.

use crate::document::Document;
use crate::source::decode;
use crate::span::Span;
use crate::text::layout::Format;
use crate::text::mapped::MappedText;
use crate::text::normalize;
use std::ops::Range;

/// Lines longer than this (in bytes) are never part of a table.
pub const MAX_LINE: usize = 2000;

/// One piece of a line: a byte range of the line text; empty for an empty cell (then it
/// sits where the cell would be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
}

impl Piece {
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

/// The physical lines of a document.
pub struct Lines<'d> {
    pub doc: &'d Document,
    /// The whole document's text before layout repair, mapped to the source.
    pub text: MappedText,
    /// Each line's content (without the line break), in order.
    pub lines: Vec<Range<usize>>,
    /// Lines that layout repair found to be page furniture (running headers, page numbers).
    pub furniture: Vec<bool>,
    /// Most non-empty lines end with a space (PDF extraction): one trailing space is then
    /// the line's end, not an empty cell.
    pub trailing_space: bool,
    /// A blank line between most pairs of lines.
    pub double_spaced: bool,
}

impl<'d> Lines<'d> {
    /// The lines of `doc`; `None` for HTML (its tables reach the text as separate
    /// paragraphs) or when the source no longer decodes.
    pub fn of(doc: &'d Document) -> Option<Lines<'d>> {
        if doc.source.format == Format::Html {
            return None;
        }
        let decoded = decode::decode_as(&doc.source.bytes, doc.source.encoding).ok()?;
        let text = normalize::nfc(&decoded.text);
        let s = text.as_str();
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            if b == b'\n' {
                let end = if i > start && s.as_bytes()[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                lines.push(start..end);
                start = i + 1;
            }
        }
        if start < s.len() {
            lines.push(start..s.len());
        }
        let mut fur: Vec<Range<usize>> = doc.furniture.iter().map(|f| f.src.clone()).collect();
        fur.sort_by_key(|r| r.start);
        let furniture = lines
            .iter()
            .map(|r| {
                if r.is_empty() {
                    return false;
                }
                let src = text.source_range(r.clone());
                let i = fur.partition_point(|f| f.end <= src.start);
                i < fur.len() && fur[i].start < src.end && !s[r.clone()].trim().is_empty()
            })
            .collect();
        let nonempty = lines.iter().filter(|r| !r.is_empty()).count();
        let spaced = lines
            .iter()
            .filter(|r| s[(*r).clone()].ends_with(' '))
            .count();
        let blank_pairs = lines
            .windows(2)
            .filter(|w| !w[0].is_empty() && w[1].is_empty())
            .count();
        Some(Lines {
            doc,
            trailing_space: nonempty > 0 && spaced * 2 >= nonempty,
            double_spaced: nonempty > 4 && blank_pairs * 3 >= nonempty * 2,
            text,
            lines,
            furniture,
        })
    }

    /// The text of line `i`.
    pub fn line(&self, i: usize) -> &str {
        &self.text.as_str()[self.lines[i].clone()]
    }

    /// The text of a range of the line text.
    pub fn at(&self, r: &Range<usize>) -> &str {
        &self.text.as_str()[r.clone()]
    }

    /// Line `i` is empty (no characters at all).
    pub fn is_empty(&self, i: usize) -> bool {
        self.lines[i].is_empty()
    }

    /// Line `i` holds only whitespace, or is page furniture.
    pub fn is_blank(&self, i: usize) -> bool {
        self.furniture[i] || self.line(i).trim().is_empty()
    }

    /// The trimmed content range of line `i`.
    pub fn trimmed(&self, i: usize) -> Range<usize> {
        let r = self.lines[i].clone();
        let s = &self.text.as_str()[r.clone()];
        let lead = s.len() - s.trim_start().len();
        let t = s.trim();
        r.start + lead..r.start + lead + t.len()
    }

    /// The source span of a range of the line text.
    pub fn span(&self, r: Range<usize>) -> Span {
        self.doc.source.span(self.text.source_range(r))
    }

    /// The source byte range of a range of the line text.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        self.text.source_range(r)
    }

    /// Line `i` cut at single spaces (tabs count as spaces): consecutive separators leave
    /// empty pieces between them. One trailing space is dropped when the document ends its
    /// lines with one; leading spaces are kept (each one an empty cell before the first).
    /// Pieces "1986-" "1990" are joined. Empty for lines over [`MAX_LINE`].
    pub fn pieces(&self, i: usize) -> Vec<Piece> {
        let r = self.lines[i].clone();
        if r.len() > MAX_LINE {
            return Vec::new();
        }
        let s = self.at(&r);
        let mut end = s.len();
        if self.trailing_space && s.ends_with([' ', '\t']) {
            end -= 1;
        }
        let s = &s[..end];
        let mut out: Vec<Piece> = Vec::new();
        let mut start = 0;
        for (k, c) in s.char_indices() {
            if c == ' ' || c == '\t' {
                out.push(Piece {
                    range: r.start + start..r.start + k,
                });
                start = k + 1;
            }
        }
        out.push(Piece {
            range: r.start + start..r.start + s.len(),
        });
        // "1986-" + "1990": one range written with a space.
        let mut joined: Vec<Piece> = Vec::with_capacity(out.len());
        for p in out {
            if let Some(prev) = joined.last_mut() {
                let pt = self.at(&prev.range);
                let cur = self.at(&p.range);
                if pt.len() > 1
                    && pt.ends_with('-')
                    && pt[..pt.len() - 1].bytes().all(|b| b.is_ascii_digit())
                    && !cur.is_empty()
                    && cur.bytes().all(|b| b.is_ascii_digit())
                    && prev.range.end + 1 == p.range.start
                {
                    prev.range.end = p.range.end;
                    continue;
                }
            }
            joined.push(p);
        }
        joined
    }

    /// Line `i` cut at runs of two or more spaces or at tabs, each piece trimmed: the cells
    /// of an aligned text table, with their character columns.
    pub fn gapped(&self, i: usize) -> Vec<(Piece, Range<usize>)> {
        let r = self.lines[i].clone();
        if r.len() > MAX_LINE {
            return Vec::new();
        }
        let s = self.at(&r);
        let mut out = Vec::new();
        let mut cur: Option<(usize, usize, usize)> = None; // byte start, char col start, byte end
        let mut spaces = 0;
        let mut col = 0;
        for (k, c) in s.char_indices() {
            if c == '\t' || c == ' ' {
                spaces += if c == '\t' { 2 } else { 1 };
            } else {
                match cur {
                    Some((bs, cs, be)) if spaces >= 2 => {
                        let chars = s[bs..be].chars().count();
                        out.push((
                            Piece {
                                range: r.start + bs..r.start + be,
                            },
                            cs..cs + chars,
                        ));
                        cur = Some((k, col, k + c.len_utf8()));
                    }
                    Some((bs, cs, _)) => cur = Some((bs, cs, k + c.len_utf8())),
                    None => cur = Some((k, col, k + c.len_utf8())),
                }
                spaces = 0;
            }
            col += if c == '\t' { 8 - col % 8 } else { 1 };
        }
        if let Some((bs, cs, be)) = cur {
            let chars = s[bs..be].chars().count();
            out.push((
                Piece {
                    range: r.start + bs..r.start + be,
                },
                cs..cs + chars,
            ));
        }
        out
    }
}

/// What a body line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No characters, or page furniture.
    Empty,
    /// Only spaces: a separator the PDF left.
    Gap,
    /// Text only (a label, a header fragment).
    Words,
    /// Values only.
    Values,
    /// Text, then values.
    Mixed,
    /// Column codes ("I II I II").
    Codes,
    /// A parenthesised sub-value ("(250)", "(50 cao cấp)").
    Sub,
}

/// A classified body line.
#[derive(Debug, Clone)]
pub struct BLine {
    pub line: usize,
    pub kind: Kind,
    pub pieces: Vec<Piece>,
    /// Pieces `..label_end` are text; the rest are values or empty cells.
    pub label_end: usize,
}

impl BLine {
    /// The non-empty text pieces.
    pub fn label_pieces(&self) -> impl Iterator<Item = &Piece> {
        self.pieces[..self.label_end]
            .iter()
            .filter(|p| !p.is_empty())
    }
}
