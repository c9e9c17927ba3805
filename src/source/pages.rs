//! The text of a PDF or an image, and where every word of it stands on its page.
//!
//! A PDF's text layer and an OCR engine both give words with boxes, grouped into lines and
//! blocks. [`PagesBuilder`] writes them into one text (words of a line joined by a space,
//! lines by a line break, blocks by an empty line, so that the layout repair reads it as it
//! reads text extracted from a PDF), and keeps a [`PageMap`]: for every word its byte range
//! in that text, its page, its line and its rectangle. [`PageMap::place`] turns any byte
//! range of the text into a [`Place`]: the page and one rectangle per line.
//!
//! Within a word, boxes are divided among its characters in proportion (the engines give
//! word boxes, not character boxes), so a span that starts inside a word gets the part of
//! the word's box its characters take.

use crate::span::{Conf, Place, Rect};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// What kind of file the pages came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PagedKind {
    /// A PDF: boxes in points.
    Pdf,
    /// An image (PNG, JPEG, TIFF): boxes in pixels.
    Image,
}

impl PagedKind {
    pub fn name(self) -> &'static str {
        match self {
            PagedKind::Pdf => "pdf",
            PagedKind::Image => "image",
        }
    }

    /// The unit of the boxes.
    pub fn unit(self) -> &'static str {
        match self {
            PagedKind::Pdf => "pt",
            PagedKind::Image => "px",
        }
    }
}

/// One page: its size and how its text was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageInfo {
    /// Width and height in the kind's unit.
    pub width: f64,
    pub height: f64,
    /// The text was read by OCR.
    pub ocr: bool,
    /// Why OCR was used (no text layer, a damaged one, asked for), or why a page has no
    /// text (OCR not possible).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One word: `[start, end, page index, line number, x0, y0, x1, y1, confidence×10]`
/// (coordinates in hundredths of the unit; confidence 0..=1000 for OCR'd words, -1 for a
/// text layer's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Word(
    pub u32,
    pub u32,
    pub u32,
    pub u32,
    pub i32,
    pub i32,
    pub i32,
    pub i32,
    pub i32,
);

impl Word {
    /// The word's byte range in the text.
    pub fn range(&self) -> Range<usize> {
        self.0 as usize..self.1 as usize
    }
    fn rect(&self) -> Rect {
        Rect([self.4, self.5, self.6, self.7])
    }
}

/// The page geometry of a document read from a PDF or an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageMap {
    pub kind: PagedKind,
    pub pages: Vec<PageInfo>,
    /// Words in text order (their ranges increase).
    pub words: Vec<Word>,
}

impl PageMap {
    /// Where the byte range `r` of the document's text stands: the page of its first word
    /// and one rectangle per line on that page; `None` when no word overlaps it (a range of
    /// only spaces).
    ///
    /// `text` is the document's text (as bytes: only the words the range touches are read,
    /// so placing a span costs the words it covers, not the document's length).
    pub fn place(&self, text: impl AsRef<[u8]>, r: Range<usize>) -> Option<Place> {
        let text = text.as_ref();
        let first = self.words.partition_point(|w| (w.1 as usize) <= r.start);
        let mut boxes: Vec<Rect> = Vec::new();
        let mut line = u32::MAX;
        let mut page = None;
        let mut ocr = false;
        let (mut conf_sum, mut conf_n) = (0i64, 0i64);
        for w in &self.words[first..] {
            if w.0 as usize >= r.end {
                break;
            }
            let part = part_of(w, text, r.clone());
            match page {
                None => page = Some(w.2),
                // The boxes of the span's first page only.
                Some(p) if p != w.2 => break,
                Some(_) => {}
            }
            if self.pages.get(w.2 as usize).is_some_and(|p| p.ocr) {
                ocr = true;
            }
            if w.8 >= 0 {
                conf_sum += w.8 as i64;
                conf_n += 1;
            }
            match boxes.last_mut() {
                Some(b) if w.3 == line => *b = b.union(&part),
                _ => boxes.push(part),
            }
            line = w.3;
        }
        Some(Place {
            page: page? + 1,
            boxes,
            ocr,
            ocr_confidence: (conf_n > 0)
                .then(|| Conf::from_percent(conf_sum as f64 / conf_n as f64 / 10.0)),
        })
    }

    /// Number of pages read by OCR.
    pub fn ocr_pages(&self) -> usize {
        self.pages.iter().filter(|p| p.ocr).count()
    }
}

/// The part of `w`'s rectangle that the characters of `r` inside the word take.
fn part_of(w: &Word, text: &[u8], r: Range<usize>) -> Rect {
    let wr = w.range();
    if r.start <= wr.start && r.end >= wr.end {
        return w.rect();
    }
    let chars = |range: Range<usize>| -> Option<usize> {
        Some(std::str::from_utf8(text.get(range)?).ok()?.chars().count())
    };
    let Some(n) = chars(wr.clone()) else {
        return w.rect();
    };
    let n = n.max(1) as i64;
    let before = chars(wr.start..r.start.max(wr.start)).unwrap_or(0) as i64;
    let upto = chars(wr.start..r.end.min(wr.end)).unwrap_or(n as usize) as i64;
    let [x0, y0, x1, y1] = w.rect().0;
    let width = (x1 - x0) as i64;
    Rect([
        x0 + (width * before / n) as i32,
        y0,
        x0 + (width * upto / n) as i32,
        y1,
    ])
}

/// A word as an engine gives it: its text, rectangle in the page's unit and confidence
/// (0..=100, OCR only).
#[derive(Debug, Clone, PartialEq)]
pub struct InWord {
    pub text: String,
    pub rect: [f64; 4],
    pub conf: Option<f64>,
}

/// Builds the text and the [`PageMap`] page by page, block by block, line by line.
#[derive(Debug)]
pub struct PagesBuilder {
    text: String,
    map: PageMap,
    line: u32,
    /// Something was written on the current page since the last block break.
    page_has_text: bool,
    block_open: bool,
    line_open: bool,
    /// The top and bottom of the current line's first word (for the gap to the next line).
    line_y: Option<(i32, i32)>,
}

/// Characters after which a page's last line ends a sentence, so the next page starts a
/// new paragraph; otherwise the text runs on across the page break, as a line break the
/// layout repair may join (a sentence split by a page break is one sentence).
fn ends_a_sentence(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '…' | ':' | ';' | '»' | '"' | '”'))
}

impl PagesBuilder {
    pub fn new(kind: PagedKind) -> PagesBuilder {
        PagesBuilder {
            text: String::new(),
            map: PageMap {
                kind,
                pages: Vec::new(),
                words: Vec::new(),
            },
            line: 0,
            page_has_text: false,
            block_open: false,
            line_open: false,
            line_y: None,
        }
    }

    /// Starts a page of the given size.
    pub fn page(&mut self, width: f64, height: f64, ocr: bool, note: Option<String>) {
        self.map.pages.push(PageInfo {
            width,
            height,
            ocr,
            note,
        });
        self.page_has_text = false;
        self.block_open = false;
        self.line_open = false;
        self.line_y = None;
    }

    /// Starts a block (a paragraph as the engine sees it).
    pub fn block(&mut self) {
        self.block_open = false;
        self.line_open = false;
    }

    /// Starts a line.
    pub fn line(&mut self) {
        self.line_open = false;
    }

    /// Adds a word to the current line.
    pub fn word(&mut self, w: InWord) {
        let t = w.text.trim();
        if t.is_empty() || self.map.pages.is_empty() {
            return;
        }
        let [x0, y0, x1, y1] = Rect::from_units(w.rect[0], w.rect[1], w.rect[2], w.rect[3]).0;
        if !self.line_open {
            // A line that starts below an empty line's height of white space starts a
            // paragraph: an engine's block may hold several (Tesseract keeps a dateline,
            // a headline and the story in one).
            if let Some((top, bottom)) = self.line_y
                && self.block_open
                && (y0 - bottom) as i64 * 5 > (bottom - top) as i64 * 4
                && bottom > top
            {
                self.block_open = false;
            }
            self.line_y = Some((y0, y1));
        }
        if !self.text.is_empty() {
            let sep = if self.line_open {
                " "
            } else if self.block_open {
                "\n"
            } else if !self.page_has_text && !ends_a_sentence(&self.text) {
                // The first block of a page, after a page that ended mid-sentence.
                "\n"
            } else {
                "\n\n"
            };
            self.text.push_str(sep);
        }
        if !self.line_open {
            self.line += 1;
        }
        let start = self.text.len();
        self.text.push_str(t);
        let page = (self.map.pages.len() - 1) as u32;
        let conf = w
            .conf
            .map_or(-1, |c| (c.clamp(0.0, 100.0) * 10.0).round() as i32);
        self.map.words.push(Word(
            start as u32,
            self.text.len() as u32,
            page,
            self.line,
            x0,
            y0,
            x1,
            y1,
            conf,
        ));
        self.page_has_text = true;
        self.block_open = true;
        self.line_open = true;
    }

    /// The text written so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text and its page map.
    pub fn finish(mut self) -> (String, PageMap) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        (self.text, self.map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: &str, x0: f64, y0: f64) -> InWord {
        InWord {
            text: t.into(),
            rect: [x0, y0, x0 + 10.0 * t.chars().count() as f64, y0 + 12.0],
            conf: None,
        }
    }

    fn sample() -> (String, PageMap) {
        let mut b = PagesBuilder::new(PagedKind::Pdf);
        b.page(600.0, 800.0, false, None);
        b.block();
        b.line();
        b.word(w("Năm", 10.0, 10.0));
        b.word(w("1945,", 50.0, 10.0));
        b.line();
        b.word(w("Hà", 10.0, 30.0));
        b.word(w("Nội", 40.0, 30.0));
        b.page(600.0, 800.0, true, None);
        b.block();
        b.line();
        b.word(InWord {
            conf: Some(90.0),
            ..w("mùa", 10.0, 10.0)
        });
        b.word(InWord {
            conf: Some(80.0),
            ..w("thu.", 50.0, 10.0)
        });
        b.finish()
    }

    #[test]
    fn words_lines_and_pages_make_the_text() {
        let (text, map) = sample();
        // The first page ends mid-sentence: the next page runs on with a line break.
        assert_eq!(text, "Năm 1945,\nHà Nội\nmùa thu.\n");
        assert_eq!(map.words.len(), 6);
        for word in &map.words {
            assert!(text.is_char_boundary(word.0 as usize));
            assert!(text.is_char_boundary(word.1 as usize));
        }
    }

    #[test]
    fn a_place_has_the_page_and_one_box_per_line() {
        let (text, map) = sample();
        let s = text.find("1945").unwrap();
        let p = map.place(&text, s..s + 4).unwrap();
        assert_eq!(p.page, 1);
        // "1945" is four of the five characters of "1945,".
        assert_eq!(p.boxes, vec![Rect::from_units(50.0, 10.0, 90.0, 22.0)]);
        assert!(!p.ocr);
        let s = text.find("Năm").unwrap();
        let e = text.find("Nội").unwrap() + "Nội".len();
        let p = map.place(&text, s..e).unwrap();
        assert_eq!(p.boxes.len(), 2);
        assert_eq!(p.boxes[1], Rect::from_units(10.0, 30.0, 70.0, 42.0));
        let s = text.find("mùa").unwrap();
        let p = map.place(&text, s..text.len() - 1).unwrap();
        assert_eq!(p.page, 2);
        assert!(p.ocr);
        assert_eq!(p.ocr_confidence, Some(Conf::from_percent(85.0)));
        assert_eq!(map.place(&text, 0..0), None);
        // A span across the page break keeps its first page and the boxes there.
        let s = text.find("Nội").unwrap();
        let e = text.find("thu").unwrap();
        let p = map.place(&text, s..e).unwrap();
        assert_eq!((p.page, p.boxes.len()), (1, 1));
    }

    #[test]
    fn a_page_that_ends_a_sentence_starts_a_paragraph() {
        let mut b = PagesBuilder::new(PagedKind::Image);
        b.page(100.0, 100.0, true, None);
        b.block();
        b.word(w("End.", 0.0, 0.0));
        b.page(100.0, 100.0, true, None);
        b.block();
        b.word(w("Next", 0.0, 0.0));
        b.block();
        b.word(w("block", 0.0, 20.0));
        assert_eq!(b.finish().0, "End.\n\nNext\n\nblock\n");
    }

    #[test]
    fn an_empty_lines_height_of_white_space_starts_a_paragraph() {
        let mut b = PagesBuilder::new(PagedKind::Image);
        b.page(500.0, 500.0, true, None);
        b.block();
        // Lines 12 high: the second follows closely, the third after a blank line's gap.
        for (t, y) in [("27 March 2002", 0.0), ("Headline", 14.0), ("Story", 40.0)] {
            b.line();
            b.word(w(t, 0.0, y));
        }
        assert_eq!(b.finish().0, "27 March 2002\nHeadline\n\nStory\n");
    }
}
