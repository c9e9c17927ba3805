//! Layout repair: rebuilds paragraphs from PDF-extracted, wiki-like or plain text.
//!
//! The input is the NFC text of a whole document. The output is the *clean text*: one
//! paragraph after another, separated by "\n\n", each paragraph on one line, with
//! - lines broken inside sentences joined with a space (or, after a hyphenated line end,
//!   joined without one),
//! - running headers and footers, bare page numbers and blank lines dropped (and listed in
//!   [`Layout::furniture`] with the reason),
//! - heading and list markup (`== History ==`, `# Title`, `- item`) kept out of the text of
//!   the paragraph it marks, with the paragraph's [`BlockKind`] recording it.
//!
//! Every byte of the clean text maps back to the original source (see [`MappedText`]).
//!
//! The decisions are heuristics over line geometry, measured per document: the typical line
//! width, whether the text is double-spaced (a blank line between every pair of lines, as in
//! the thesis) and whether it is unwrapped (one paragraph per line, as in wiki exports).

use super::lang::{Lang, LangScore, LineEndHyphen};
use super::mapped::{MappedText, MappedTextBuilder};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

/// The source format, which decides what counts as markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, often extracted from PDF.
    Plain,
    /// Markdown: `#` headings and list items.
    Markdown,
    /// The MediaWiki-like export form: `= Title =`, `==Section==`, `Infobox` blocks.
    Wiki,
    /// HTML (already reduced to text with paragraph breaks by `source::html`).
    Html,
}

impl Format {
    /// Stable lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Markdown => "markdown",
            Format::Wiki => "wiki",
            Format::Html => "html",
        }
    }
}

/// What a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A document or section title.
    Heading,
    /// A list item or an infobox line.
    Item,
    /// Running text.
    Body,
}

impl BlockKind {
    /// Stable lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Heading => "heading",
            BlockKind::Item => "item",
            BlockKind::Body => "body",
        }
    }
}

/// A paragraph of the clean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte range in [`Layout::text`].
    pub range: Range<usize>,
    pub kind: BlockKind,
    pub lang: Lang,
}

/// Why a line was left out of the clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FurnitureKind {
    PageNumber,
    RunningHeader,
}

/// A line left out of the clean text, as a source byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Furniture {
    pub src: Range<usize>,
    pub kind: FurnitureKind,
}

/// The result of layout repair.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Paragraphs separated by "\n\n", mapped to the original source. A paragraph longer
    /// than [`MAX_BLOCK_BYTES`] is several blocks, windows of it (separated by its own
    /// spaces).
    pub text: MappedText,
    pub blocks: Vec<Block>,
    pub furniture: Vec<Furniture>,
    /// The language of most of the text.
    pub lang: Lang,
    /// What the geometry measurement found (for reports and debugging).
    pub geometry: Geometry,
}

/// Measured line geometry of a document.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Geometry {
    /// Typical full line width in chars (a high percentile of line lengths).
    pub width: usize,
    /// A blank line between most pairs of text lines.
    pub double_spaced: bool,
    /// One paragraph per line (no hard wrapping).
    pub unwrapped: bool,
}

#[derive(Debug, Clone)]
struct Line {
    /// Content range (trimmed) in the input text.
    range: Range<usize>,
    /// Chars of trimmed content.
    chars: usize,
    blank: bool,
}

const TERMINAL: &[char] = &['.', '!', '?', '…', ':', ';'];
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»', '*'];

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(CLOSERS);
    t.ends_with(TERMINAL)
}

fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

fn starts_lower(s: &str) -> bool {
    first_char(s).is_some_and(|c| c.is_lowercase())
}

fn is_page_number(s: &str) -> bool {
    let t = s.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    if t.is_empty() {
        return false;
    }
    if t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    if t.len() <= 6 && t.bytes().all(|b| b"ivxlc".contains(&b)) {
        return true;
    }
    if t.len() > 24 {
        return false;
    }
    let lower = t.to_lowercase();
    for p in ["page ", "trang ", "стр. ", "стр ", "p. "] {
        if let Some(rest) = lower.strip_prefix(p) {
            let rest = rest.trim();
            if !rest.is_empty()
                && rest.len() <= 12
                && rest
                    .split(['/', ' '])
                    .all(|w| w.is_empty() || w == "of" || w.bytes().all(|b| b.is_ascii_digit()))
            {
                return true;
            }
        }
    }
    false
}

/// The form of a line under which running headers repeat: digits folded, case folded.
fn header_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_digit = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
        } else {
            last_digit = false;
            if !c.is_whitespace() {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

/// A line that says it is a journal header or footer whatever its position.
fn is_explicit_header(s: &str) -> bool {
    let l = s.to_lowercase();
    (l.contains("www.") || l.contains("http")) && (l.contains("page ") || l.contains("volume"))
}

/// Heading markup of the wiki and Markdown forms: returns the inner text range.
fn heading_markup(s: &str, format: Format) -> Option<Range<usize>> {
    match format {
        Format::Wiki | Format::Markdown => {}
        _ => return None,
    }
    let t = s.trim_end();
    if format == Format::Wiki && t.starts_with('=') && t.ends_with('=') && t.len() >= 3 {
        let lead = t.len() - t.trim_start_matches('=').len();
        let trail = t.len() - t.trim_end_matches('=').len();
        if lead + trail < t.len() {
            let inner = &t[lead..t.len() - trail];
            let l = lead + (inner.len() - inner.trim_start().len());
            let r = t.len() - trail - (inner.len() - inner.trim_end().len());
            if l < r {
                return Some(l..r);
            }
        }
    }
    if format == Format::Markdown && t.starts_with('#') {
        let lead = t.len() - t.trim_start_matches('#').len();
        if lead <= 6 && t[lead..].starts_with(' ') {
            let inner = t[lead..].trim_start();
            let l = t.len() - inner.len();
            let r = l + inner.trim_end_matches('#').trim_end().len();
            if l < r {
                return Some(l..r);
            }
        }
    }
    None
}

/// List-item markers: returns where the item's text starts.
fn item_marker(s: &str) -> Option<usize> {
    for m in ["- ", "* ", "• ", "+ ", "– ", "— ", "· ", "▪ ", "○ "] {
        if let Some(rest) = s.strip_prefix(m)
            && !rest.trim().is_empty()
        {
            return Some(s.len() - rest.trim_start().len());
        }
    }
    None
}

/// Numbering that opens a heading or a numbered paragraph: "1.", "1.1.2.", "IV.", "a)".
fn numbering(s: &str) -> bool {
    let tok = s.split_whitespace().next().unwrap_or("");
    if tok.len() < 2 || tok.len() > 12 {
        return false;
    }
    let body = tok.trim_end_matches(['.', ')']);
    if body.len() == tok.len() {
        return false;
    }
    let parts: Vec<&str> = body.split('.').collect();
    let max_digits = if parts.len() == 1 { 2 } else { 3 };
    parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= max_digits && p.bytes().all(|b| b.is_ascii_digit()))
        || body.bytes().all(|b| b"IVXL".contains(&b))
        || (body.len() == 1 && body.bytes().all(|b| b.is_ascii_lowercase()))
}

fn is_all_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 4
}

fn chapter_word(s: &str) -> bool {
    let w = s.split_whitespace().next().unwrap_or("");
    if w.len() > 12 || !w.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let w = w.to_lowercase();
    matches!(
        w.as_str(),
        "chương"
            | "chapter"
            | "phần"
            | "part"
            | "глава"
            | "раздел"
            | "phụ"
            | "appendix"
            | "mục"
            | "tiểu"
    )
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::with_capacity(text.len() / 60 + 1);
    let mut start = 0;
    let bytes = text.as_bytes();
    while start <= text.len() {
        let end = memchr_newline(bytes, start).unwrap_or(text.len());
        let raw = &text[start..end];
        let trimmed_start = raw.len() - raw.trim_start().len();
        let content = raw.trim();
        let r = start + trimmed_start..start + trimmed_start + content.len();
        lines.push(Line {
            chars: content.chars().count(),
            blank: content.is_empty(),
            range: r,
        });
        if end >= text.len() {
            break;
        }
        start = end + 1;
    }
    lines
}

fn memchr_newline(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| p + from)
}

fn measure(lines: &[Line]) -> Geometry {
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| l.chars >= 20)
        .map(|l| l.chars)
        .collect();
    lens.sort_unstable();
    let width = if lens.is_empty() {
        80
    } else {
        lens[(lens.len() * 9 / 10).min(lens.len() - 1)]
    };
    let long = lines.iter().filter(|l| l.chars > 200).count();
    let nonblank = lines.iter().filter(|l| !l.blank).count().max(1);
    let unwrapped = long * 5 >= nonblank || (lens.len() > 3 && lens[lens.len() / 2] > 250);
    // Double spacing: text lines mostly followed by exactly one blank line then text.
    let mut pairs = 0;
    let mut spaced = 0;
    for w in lines.windows(3) {
        if !w[0].blank {
            if !w[1].blank {
                pairs += 1;
            } else if !w[2].blank {
                pairs += 1;
                spaced += 1;
            }
        }
    }
    Geometry {
        width: width.max(20),
        double_spaced: !unwrapped && pairs >= 4 && spaced * 10 >= pairs * 6,
        unwrapped,
    }
}

/// Marks running headers, footers and page numbers.
fn find_furniture(text: &str, lines: &[Line], geo: &Geometry) -> Vec<Option<FurnitureKind>> {
    let n = lines.len();
    let mut out = vec![None; n];
    // Blank runs before and after each line.
    let mut blank_before = vec![0usize; n];
    let mut run = 0;
    for i in 0..n {
        blank_before[i] = run;
        run = if lines[i].blank { run + 1 } else { 0 };
    }
    let mut blank_after = vec![0usize; n];
    run = 0;
    for i in (0..n).rev() {
        blank_after[i] = run;
        run = if lines[i].blank { run + 1 } else { 0 };
    }
    let at_break = |i: usize| {
        let (b, a) = (blank_before[i], blank_after[i]);
        let edge = i == 0 || i + 1 == n;
        if geo.double_spaced {
            b >= 2 || a >= 2 || edge
        } else {
            (b >= 1 && a >= 1) || b >= 2 || a >= 2 || edge
        }
    };
    // Short numeric lines (table cells) next to a candidate make it a cell, not a page number.
    let numeric = |i: usize| {
        let t = &text[lines[i].range.clone()];
        lines[i].chars <= 40
            && t.chars().filter(|c| c.is_alphabetic()).count() <= 2
            && t.chars().any(|c| c.is_ascii_digit())
    };
    let neighbour = |i: usize, forward: bool| {
        let mut j = i;
        loop {
            if forward {
                j += 1;
                if j >= n {
                    return None;
                }
            } else {
                if j == 0 {
                    return None;
                }
                j -= 1;
            }
            if !lines[j].blank {
                return Some(j);
            }
        }
    };
    let in_table = |i: usize| {
        neighbour(i, false).is_some_and(numeric) || neighbour(i, true).is_some_and(numeric)
    };
    let mut keys: HashMap<String, (usize, String)> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        // Only a line at a page break can be a header, a footer or a page number.
        if l.blank || l.chars > 120 || !at_break(i) {
            continue;
        }
        let s = &text[l.range.clone()];
        if is_explicit_header(s) {
            out[i] = Some(FurnitureKind::RunningHeader);
            continue;
        }
        if is_page_number(s) && !in_table(i) {
            out[i] = Some(FurnitureKind::PageNumber);
            continue;
        }
        let e = keys.entry(header_key(s)).or_insert((0, String::new()));
        e.0 += 1;
        if e.0 == 1 {
            e.1 = s.to_string();
        } else if e.1 != s {
            e.1.clear(); // the digits vary: a page counter
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if l.blank || out[i].is_some() || l.chars > 120 || !at_break(i) {
            continue;
        }
        let s = &text[l.range.clone()];
        if let Some((count, first)) = keys.get(&header_key(s)) {
            let varies = first.is_empty();
            let letters = s.chars().filter(|c| c.is_alphabetic()).count();
            if *count >= 3 && letters >= 3 && (varies || !geo.double_spaced) {
                out[i] = Some(FurnitureKind::RunningHeader);
            }
        }
    }
    out
}

struct Para {
    /// Pieces (input ranges) and how each joins the previous one.
    pieces: Vec<(Range<usize>, Join)>,
    kind: BlockKind,
    /// Chars in the paragraph's first line.
    lines: usize,
    last_line_chars: usize,
    /// Made by markup (`== x ==`, `# x`, `Infobox`): a whole block by itself.
    markup: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Join {
    First,
    Space,
    /// Hyphenated line end: drop the hyphen.
    DropHyphen,
    /// Hyphenated line end in a compound: keep the hyphen, no space.
    KeepHyphen,
}

/// Longest block kept whole, in bytes. A longer paragraph (a file that is one huge line, a
/// paragraph without punctuation, a million short lines that read as one) is cut into
/// windows of at most this size, at a sentence end where there is one, else at a space, so
/// that every stage after layout works, and looks at its budget, in bounded units. No
/// paragraph of ordinary prose comes near it.
pub const MAX_BLOCK_BYTES: usize = 64 * 1024;

/// Memory that layout holds per line of the input at the least (the line's record, its
/// furniture mark, its blank-run counts, and its piece of a paragraph): what [`repair`] asks
/// of the budget before it begins.
const LINE_COST: usize = std::mem::size_of::<Line>()
    + std::mem::size_of::<Option<FurnitureKind>>()
    + 2 * std::mem::size_of::<usize>()
    + std::mem::size_of::<(Range<usize>, Join)>();

/// Repairs the layout of `input` (NFC text of a whole document).
///
/// # Errors
/// When this thread's budget ([`crate::budget`]) is spent, or would be by the line records
/// of `input`; the partial work is dropped.
pub fn repair(
    input: &MappedText,
    format: Format,
    default_lang: Lang,
) -> Result<Layout, crate::budget::Exceeded> {
    let text = input.as_str();
    let line_count = text.bytes().filter(|&b| b == b'\n').count() + 1;
    crate::budget::ensure_fits(line_count.saturating_mul(LINE_COST))?;
    let lines = split_lines(text);
    let mut geo = measure(&lines);
    if format != Format::Plain {
        // In markup formats a blank line always separates blocks.
        geo.double_spaced = false;
    }
    let mut furniture_marks = find_furniture(text, &lines, &geo);
    if lines
        .iter()
        .zip(&furniture_marks)
        .all(|(l, f)| l.blank || f.is_some())
    {
        // Nothing but "furniture" (a file holding just "1945"): it is the text itself.
        furniture_marks.iter_mut().for_each(|f| *f = None);
    }
    let doc_lang =
        LangScore::of(&text[..text.len().min(200_000).min(floor_boundary(text, 200_000))])
            .best()
            .unwrap_or(default_lang);
    let width = geo.width as f32;

    let mut furniture = Vec::new();
    let mut paras: Vec<Para> = Vec::new();
    let mut cur: Option<Para> = None;
    let mut blanks = 0usize; // blank lines since the last text line
    let mut crossed_furniture = false;

    for (i, line) in lines.iter().enumerate() {
        if i % 4096 == 4095 {
            crate::budget::check()?;
        }
        if let Some(kind) = furniture_marks[i] {
            furniture.push(Furniture {
                src: input.source_range(line.range.clone()),
                kind,
            });
            crossed_furniture = true;
            continue;
        }
        if line.blank {
            blanks += 1;
            continue;
        }
        let s = &text[line.range.clone()];
        let mut start = line.range.start;
        let mut kind = BlockKind::Body;
        let mut structural = false;
        if let Some(inner) = heading_markup(s, format) {
            start = line.range.start + inner.start;
            let end = line.range.start + inner.end;
            flush(&mut cur, &mut paras);
            paras.push(Para {
                pieces: vec![(start..end, Join::First)],
                kind: BlockKind::Heading,
                lines: 1,
                last_line_chars: line.chars,
                markup: true,
            });
            blanks = 0;
            crossed_furniture = false;
            continue;
        }
        if format == Format::Wiki && s == "Infobox" {
            flush(&mut cur, &mut paras);
            paras.push(Para {
                pieces: vec![(line.range.clone(), Join::First)],
                kind: BlockKind::Heading,
                lines: 1,
                last_line_chars: line.chars,
                markup: true,
            });
            blanks = 0;
            continue;
        }
        let item_at = item_marker(s);
        if item_at.is_some() || numbering(s) || chapter_word(s) {
            structural = true;
        }

        let continues = match &cur {
            None => false,
            Some(p) => {
                let prev_piece = &p.pieces.last().expect("paragraph has a piece").0;
                let prev = &text[prev_piece.clone()];
                let prev_chars = p.last_line_chars as f32;
                let prev_terminal = ends_sentence(prev);
                let lower = starts_lower(s);
                // A list marker or a number opens a block only after a closed line: "- " at
                // the start of a line is often a wrapped compound ("Việt Nam - Liên Xô").
                let closed = prev_terminal
                    || p.kind == BlockKind::Heading
                    || (!geo.double_spaced && blanks >= 1)
                    || prev.ends_with(':');
                let structural = structural && closed;
                if geo.unwrapped || structural || p.kind == BlockKind::Heading {
                    // A heading continues only when its line was full and this one is short
                    // and unpunctuated (a wrapped title), or both lines are capitals.
                    p.kind == BlockKind::Heading
                        && !geo.unwrapped
                        && !structural
                        && !ends_sentence(s)
                        && blanks <= 1
                        && !p.markup
                        && ((lower && !prev_terminal)
                            || (p.lines == 1
                                && prev_chars >= 0.8 * width
                                && (line.chars as f32) < 0.7 * width)
                            || (is_all_caps(prev) && is_all_caps(s) && !numbering(s)))
                } else if p.kind == BlockKind::Item && !geo.double_spaced && blanks >= 1 && !lower {
                    false // a blank line ends a list item
                } else if lower && !prev_terminal {
                    true // a sentence broken by a line or page break
                } else {
                    // A blank line separates paragraphs (across a page break, only after a
                    // full stop).
                    let blank_gap =
                        !geo.double_spaced && blanks >= 1 && (prev_terminal || !crossed_furniture);
                    // A short last line ending a sentence.
                    let short_last_line = prev_terminal && prev_chars < 0.8 * width;
                    // A one-line title.
                    let title_line = p.lines == 1
                        && p.kind == BlockKind::Body
                        && !prev_terminal
                        && !prev.ends_with([',', '-', '–'])
                        && (is_heading_line(prev, prev_chars, width)
                            || structural_heading(prev, prev_chars, width));
                    !(blank_gap || short_last_line || title_line)
                }
            }
        };

        if let (false, Some(off)) = (continues, item_at) {
            start = line.range.start + off;
            kind = BlockKind::Item;
        }
        if continues {
            let p = cur.as_mut().expect("continuing a paragraph");
            let prev = &text[p.pieces.last().expect("piece").0.clone()];
            let join = hyphen_join(prev, s, doc_lang);
            if join != Join::Space {
                let last = p.pieces.last_mut().expect("piece");
                if join == Join::DropHyphen {
                    last.0.end -= 1;
                }
            }
            p.pieces.push((start..line.range.end, join));
            p.lines += 1;
            p.last_line_chars = line.chars;
        } else {
            flush(&mut cur, &mut paras);
            // A numbered line that is short and unpunctuated is a heading.
            let heading = kind == BlockKind::Body
                && !ends_sentence(s)
                && (structural_heading(s, line.chars as f32, width)
                    || (is_all_caps(s) && (line.chars as f32) < 0.9 * width));
            cur = Some(Para {
                pieces: vec![(start..line.range.end, Join::First)],
                kind: if heading { BlockKind::Heading } else { kind },
                lines: 1,
                last_line_chars: line.chars,
                markup: false,
            });
        }
        blanks = 0;
        crossed_furniture = false;
    }
    flush(&mut cur, &mut paras);
    crate::budget::check()?;

    // Emit the clean text.
    let mut b = MappedTextBuilder::with_capacity(text.len());
    let mut ranges = Vec::with_capacity(paras.len());
    for (k, p) in paras.iter().enumerate() {
        if k > 0 {
            let gap_from = paras[k - 1].pieces.last().expect("piece").0.end;
            let gap_to = p.pieces[0].0.start;
            b.push_opaque("\n\n", input.source_range(gap_from..gap_to));
        }
        let begin = b.len();
        for (j, (r, join)) in p.pieces.iter().enumerate() {
            if j > 0 {
                let prev_end = p.pieces[j - 1].0.end;
                match join {
                    Join::Space => b.push_replacement(" ", input, prev_end..r.start),
                    Join::DropHyphen | Join::KeepHyphen | Join::First => {}
                }
            }
            b.push_copy(input, r.clone());
        }
        if b.len() - begin > MAX_BLOCK_BYTES {
            for w in windows(&b.as_str()[begin..], doc_lang) {
                ranges.push((begin + w.start..begin + w.end, p.kind));
            }
        } else {
            ranges.push((begin..b.len(), p.kind));
        }
        if k % 1024 == 1023 {
            crate::budget::check()?;
        }
    }
    let clean = b.finish();
    let mut blocks: Vec<Block> = ranges
        .into_iter()
        .map(|(range, kind)| Block {
            lang: LangScore::of(
                &clean.as_str()[range.start
                    ..floor_boundary(clean.as_str(), range.start + 1500).min(range.end)],
            )
            .best()
            .unwrap_or(doc_lang),
            range,
            kind,
        })
        .collect();
    // Short blocks (titles, items) take the language of their neighbourhood.
    for b in &mut blocks {
        let t = &clean.as_str()[b.range.clone()];
        if LangScore::of(t).best().is_none() {
            b.lang = doc_lang;
        }
    }
    crate::budget::check()?;
    Ok(Layout {
        text: clean,
        blocks,
        furniture,
        lang: doc_lang,
        geometry: geo,
    })
}

/// Cuts `text` (one paragraph longer than [`MAX_BLOCK_BYTES`]) into windows of at most that
/// size: each ends before the last sentence that starts in it (when that leaves at least half
/// a window), else after its last space in the second half, else at a character boundary.
/// The windows are trimmed of whitespace, cover every other byte of `text` in order, and
/// each is found in time linear in its size.
pub fn windows(text: &str, lang: Lang) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / MAX_BLOCK_BYTES + 1);
    let mut pos = text.len() - text.trim_start().len();
    while pos < text.len() {
        let rest = &text[pos..];
        let cut = if rest.len() <= MAX_BLOCK_BYTES {
            rest.len()
        } else {
            let limit = floor_boundary(rest, MAX_BLOCK_BYTES);
            let window = &rest[..limit];
            let half = floor_boundary(window, limit / 2);
            let sentences = super::sentence::split(window, lang);
            match sentences.last() {
                Some(last) if sentences.len() > 1 && last.start >= half => last.start,
                _ => match window[half..].rfind(char::is_whitespace) {
                    Some(space) => half + space,
                    None => limit.max(rest.chars().next().map_or(1, char::len_utf8)),
                },
            }
        };
        let piece = &rest[..cut];
        let trimmed = piece.trim_end();
        if !trimmed.is_empty() {
            out.push(pos..pos + trimmed.len());
        }
        pos += cut;
        pos += text[pos..].len() - text[pos..].trim_start().len();
    }
    out
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_heading_line(s: &str, chars: f32, width: f32) -> bool {
    (chars < 0.65 * width && first_char(s).is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()))
        && s.split_whitespace().count() <= 12
        || is_all_caps(s)
}

fn structural_heading(s: &str, chars: f32, width: f32) -> bool {
    (numbering(s) || chapter_word(s)) && chars < 0.85 * width
}

fn hyphen_join(prev: &str, next: &str, lang: Lang) -> Join {
    let Some(stem) = prev.strip_suffix('-') else {
        return Join::Space;
    };
    let before = stem.chars().next_back();
    if first_char(next)
        .is_some_and(|c| unicode_normalization::char::canonical_combining_class(c) != 0)
    {
        return Join::Space; // a mark must not be glued onto the letter before the hyphen
    }
    if before.is_some_and(|c| c.is_ascii_digit())
        && first_char(next).is_some_and(|c| c.is_ascii_digit())
    {
        return Join::KeepHyphen; // "(12-" + "1986)": a date or a range broken at the hyphen
    }
    if !before.is_some_and(|c| c.is_alphabetic())
        || !first_char(next).is_some_and(|c| c.is_alphabetic())
    {
        return Join::Space;
    }
    if lang.data().line_end_hyphen == LineEndHyphen::Drop
        && before.is_some_and(|c| c.is_lowercase())
        && starts_lower(next)
    {
        Join::DropHyphen
    } else {
        Join::KeepHyphen
    }
}

fn flush(cur: &mut Option<Para>, paras: &mut Vec<Para>) {
    if let Some(p) = cur.take() {
        paras.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The windows of `text`: in order, disjoint, trimmed, on character boundaries, at most
    /// a window long, and covering every byte that is not whitespace.
    fn check_windows(text: &str) -> Vec<Range<usize>> {
        let w = windows(text, Lang::fallback());
        let mut covered = 0;
        let mut last_end = 0;
        for r in &w {
            assert!(
                r.start >= last_end && r.start < r.end,
                "{r:?} after {last_end}"
            );
            assert!(r.len() <= MAX_BLOCK_BYTES, "a window of {} bytes", r.len());
            let t = &text[r.clone()]; // panics off a character boundary
            assert_eq!(t, t.trim(), "untrimmed window {r:?}");
            assert!(
                text[last_end..r.start].trim().is_empty(),
                "text left out before {r:?}"
            );
            covered += r.len();
            last_end = r.end;
        }
        assert!(
            text[last_end..].trim().is_empty(),
            "text left out at the end"
        );
        assert!(covered > 0 || text.trim().is_empty());
        w
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends_then_spaces_then_anywhere() {
        let sentence = "The treaty was signed in Moscow on 3 November 1978 by both sides. ";
        let prose = sentence.repeat(5000);
        let w = check_windows(&prose);
        assert!(w.len() >= prose.len() / MAX_BLOCK_BYTES);
        for r in &w {
            assert!(prose[r.clone()].ends_with('.'), "not cut at a sentence end");
            assert!(prose[r.clone()].starts_with("The"));
        }
        let words = "hiệp ước hữu nghị liên xô ".repeat(20_000);
        for r in check_windows(&words) {
            assert!(!words[r.clone()].ends_with(|c: char| c.is_whitespace()));
            assert!(words[..r.start].is_empty() || words[..r.start].ends_with(' '));
        }
        // No space at all: cut on character boundaries (two- and three-byte letters).
        for one in ["ư", "а", "ệ", "a"] {
            let solid = one.repeat(3 * MAX_BLOCK_BYTES / one.len() + 7);
            let w = check_windows(&solid);
            let least = solid.len().div_ceil(MAX_BLOCK_BYTES);
            assert!(
                (least..=least + 1).contains(&w.len()),
                "{} windows",
                w.len()
            );
        }
        assert!(check_windows("").is_empty());
        assert!(check_windows("   ").is_empty());
        assert_eq!(check_windows(" short "), vec![1..6]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn windows_cover_any_text_in_bounded_pieces(
            unit in "[a-zđưа-я .!?\n\u{300}]{1,40}",
            times in 1usize..20_000,
        ) {
            let text = unit.repeat(times);
            check_windows(&text);
        }
    }

    #[test]
    fn a_huge_line_is_several_blocks_that_map_back_exactly() {
        let line =
            "Ngày 3 tháng 11 năm 1978, hai nước ký Hiệp ước hữu nghị và hợp tác. ".repeat(4000);
        let input = MappedText::verbatim(&line, 0);
        let l = repair(&input, Format::Plain, Lang::fallback()).unwrap();
        assert!(
            l.blocks.len() >= line.len() / MAX_BLOCK_BYTES,
            "{} blocks",
            l.blocks.len()
        );
        for b in &l.blocks {
            assert!(b.range.len() <= MAX_BLOCK_BYTES);
            let src = l.text.source_range(b.range.clone());
            assert_eq!(&line[src], &l.text.as_str()[b.range.clone()]);
        }
    }

    #[test]
    fn layout_stops_when_the_budget_is_spent_and_refuses_what_its_lines_would_need() {
        use crate::budget::{self, Limits};
        let text = "x\n".repeat(100_000);
        let input = MappedText::verbatim(&text, 0);
        // The line records of 100 000 lines need more than 1 MiB: refused before they are made.
        let r = budget::within(Limits::memory(1 << 20), || {
            repair(&input, Format::Plain, Lang::fallback())
        });
        assert!(
            matches!(r, Ok(Err(budget::Exceeded::MemoryNeeded { .. }))),
            "{r:?}"
        );
        // A spent deadline: layout stops at its next look, and the budget says why.
        let r = budget::within(Limits::time(std::time::Duration::ZERO), || {
            repair(&input, Format::Plain, Lang::fallback()).is_err()
        });
        assert!(matches!(r, Err(budget::Exceeded::Time { .. })), "{r:?}");
        assert!(repair(&input, Format::Plain, Lang::fallback()).is_ok());
    }

    fn run(s: &str, f: Format) -> (Vec<String>, Layout) {
        let m = MappedText::verbatim(s, 0);
        let l = repair(&m, f, Lang::of("en")).unwrap();
        let paras = l
            .blocks
            .iter()
            .map(|b| l.text.as_str()[b.range.clone()].to_string())
            .collect();
        (paras, l)
    }

    #[test]
    fn joins_wrapped_lines_and_drops_page_furniture() {
        let body = "The treaty was signed in Moscow on the third of November and it was\n\
                    ratified soon after by both governments, which welcomed the new phase\n\
                    of cooperation between the two countries in every field of work.\n\n";
        let mut s = String::new();
        for p in 1..=4 {
            s.push_str(&body.replace("third", ["first", "second", "third", "fourth"][p - 1]));
            s.push_str(&format!("Journal of History, Volume 6 Page {p}\n\n"));
        }
        let (paras, l) = run(&s, Format::Plain);
        assert_eq!(paras.len(), 4, "{paras:#?}");
        assert!(paras[0].starts_with("The treaty was signed"));
        assert!(paras[0].contains("it was ratified"));
        assert!(!paras.iter().any(|p| p.contains("Volume")));
        assert_eq!(l.furniture.len(), 4);
        // The join space maps to the newline it replaced.
        let at = l.text.as_str().find("was ratified").unwrap() + 3;
        let r = l.text.source_range(at..at + 1);
        assert_eq!(&s[r], "\n");
    }

    #[test]
    fn double_spaced_thesis_lines() {
        let s = "Trong bất cứ thời đại nào quan hệ quốc tế đều có ảnh hưởng quan trọng \n\n\
                 đến sự phát triển của các quốc gia. Vì vậy, trong quá trình lãnh đạo nhân \n\n\
                 dân đấu tranh giành độc lập dân tộc, xây dựng và bảo vệ Tổ quốc, Đảng \n\n\
                 đã tạo dựng mối quan hệ quốc tế sâu, rộng. \n\n\
                 Sau Đại thắng mùa Xuân năm 1975, Việt Nam tiến hành công cuộc \n\n\
                 khôi phục và xây dựng đất nước sau chiến tranh, với nhiều thuận lợi và \n\n\
                 khó khăn mới. \n\n\
                 \n \n\n \n\n11 \n\n\
                 Liên Xô là một trong những nước đầu tiên công nhận Việt Nam vào năm 1950.\n";
        let (paras, l) = run(s, Format::Plain);
        assert!(l.geometry.double_spaced);
        assert_eq!(paras.len(), 3, "{paras:#?}");
        assert!(paras[0].ends_with("sâu, rộng."));
        assert!(paras[1].contains("công cuộc khôi phục"));
        assert_eq!(l.furniture.len(), 1);
        assert_eq!(l.blocks[0].lang, Lang::of("vi"));
    }

    #[test]
    fn wiki_headings_and_items() {
        let s = "= Russia–Vietnam relations =\n\nInfobox\n- Mission1: Russian embassy, Hanoi\n\n\
                 The relations date back formally to January 1950, when the Soviet Union established relations with the Democratic Republic of Vietnam and then many things happened that are told here at length in a long line that is not wrapped at all by any tool.\n\n==History==\n\n=== Early years ===\n\nThe first Vietnamese appeared in the USSR in the early 1920s, and this line is also long enough to count as an unwrapped paragraph line of text.\n";
        let (paras, l) = run(s, Format::Wiki);
        assert_eq!(paras[0], "Russia–Vietnam relations");
        assert_eq!(l.blocks[0].kind, BlockKind::Heading);
        assert!(paras.contains(&"History".to_string()));
        assert!(paras.contains(&"Early years".to_string()));
        assert!(
            paras.contains(&"Mission1: Russian embassy, Hanoi".to_string()),
            "{paras:#?}"
        );
    }

    #[test]
    fn a_text_of_only_furniture_is_kept() {
        let (paras, l) = run("1945\n", Format::Plain);
        assert_eq!(paras, vec!["1945"]);
        assert!(l.furniture.is_empty());
    }

    #[test]
    fn english_hyphenation() {
        let s =
            "The processes of creation and scien-\ntific research grew quickly in this period.\n";
        let (paras, _) = run(s, Format::Plain);
        assert_eq!(
            paras[0],
            "The processes of creation and scientific research grew quickly in this period."
        );
    }
}
