//! OCR with Tesseract: scans (PNG, JPEG, TIFF) and PDF pages without a usable text layer.
//!
//! Tesseract (Debian `tesseract-ocr` with the `-vie`, `-rus`, `-eng` data) runs as a child
//! process (see [`super::tools`] for why) and writes its words as TSV: a box and a
//! confidence per word, grouped into blocks, paragraphs and lines. The language is the
//! one asked for (`--ocr-lang`), or chosen from the text: the first page is read with every
//! language annals knows, its language identified, and the document read again with that
//! language's model alone (each model reads its own letters best; one page of Vietnamese
//! read with the Russian model beside it loses tone marks).
//!
//! An image is measured from its header before anything else ([`image_size`]); one larger
//! than [`OcrOptions::max_pixels`] is refused unread (an "image bomb" decompresses to
//! gigabytes), and Tesseract runs under the time and memory limits of [`super::tools`].

use super::pages::{InWord, PagedKind, PagesBuilder};
use super::tools::{self, Limits, ToolError};
use crate::text::lang::{Lang, LangScore};
use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

/// When to OCR a PDF's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages without a text layer, or with a damaged one.
    #[default]
    Auto,
    /// Every page, whatever its text layer holds.
    Always,
    /// Never: a page without a usable text layer gives no text.
    Never,
}

impl OcrMode {
    pub fn from_name(s: &str) -> Option<OcrMode> {
        Some(match s {
            "auto" => OcrMode::Auto,
            "always" => OcrMode::Always,
            "never" => OcrMode::Never,
            _ => return None,
        })
    }
}

/// How to read PDFs and scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OcrOptions {
    pub mode: OcrMode,
    /// The languages to read with (a bit per `Lang::index`; 0: chosen from the text).
    pub langs: u32,
    /// Resolution at which PDF pages are rendered for OCR.
    pub dpi: u32,
    /// Largest image (width × height) read, and largest page render.
    pub max_pixels: u64,
    /// PDFs with more pages are refused.
    pub max_pages: u32,
}

/// Default resolution of PDF pages rendered for OCR.
pub const DEFAULT_DPI: u32 = 300;
/// Default largest image: 100 million pixels (an A3 page at 600 dpi is 70 million).
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;
/// Default largest PDF.
pub const DEFAULT_MAX_PAGES: u32 = 1_000;

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            mode: OcrMode::Auto,
            langs: 0,
            dpi: DEFAULT_DPI,
            max_pixels: DEFAULT_MAX_PIXELS,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

impl OcrOptions {
    /// Reads "vi", "vi+ru", "vi,en" (language codes of the registry) into `langs`.
    pub fn with_langs(mut self, spec: &str) -> Result<OcrOptions, String> {
        let mut bits = 0u32;
        for code in spec
            .split(['+', ','])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let lang = Lang::from_code(code).ok_or_else(|| {
                let known: Vec<&str> = Lang::all().iter().map(|l| l.code()).collect();
                format!(
                    "'{code}' is no language annals reads ({})",
                    known.join(", ")
                )
            })?;
            bits |= 1 << lang.index();
        }
        self.langs = bits;
        Ok(self)
    }

    /// The languages asked for, in registry order.
    pub fn asked(&self) -> Vec<Lang> {
        Lang::all()
            .iter()
            .copied()
            .filter(|l| self.langs & (1 << l.index()) != 0)
            .collect()
    }
}

/// Tesseract's `-l` argument for `langs` ("vie+rus+eng").
pub fn tesseract_langs(langs: &[Lang]) -> String {
    let codes: Vec<&str> = langs.iter().map(|l| l.data().ocr.as_str()).collect();
    codes.join("+")
}

/// Every language annals reads, the fallback last (Tesseract favours the first).
fn all_langs() -> Vec<Lang> {
    let mut v: Vec<Lang> = Lang::all()
        .iter()
        .copied()
        .filter(|l| *l != Lang::fallback())
        .collect();
    v.push(Lang::fallback());
    v
}

/// One page of words as an engine gives them (Tesseract, or a PDF's text layer): blocks of
/// lines of words, coordinates in the engine's unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OcrPage {
    pub width: f64,
    pub height: f64,
    pub blocks: Vec<Vec<Vec<InWord>>>,
}

impl OcrPage {
    /// The words' text, for identifying the language.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for b in &self.blocks {
            for l in b {
                for w in l {
                    s.push_str(&w.text);
                    s.push(' ');
                }
                s.push('\n');
            }
        }
        s
    }

    /// Writes the page into `b`, scaling pixel coordinates by `scale`.
    pub fn write(&self, b: &mut PagesBuilder, scale: f64, ocr: bool, note: Option<String>) {
        b.page(self.width * scale, self.height * scale, ocr, note);
        for block in &self.blocks {
            b.block();
            for line in block {
                b.line();
                for w in line {
                    b.word(InWord {
                        text: w.text.clone(),
                        rect: w.rect.map(|v| v * scale),
                        conf: w.conf,
                    });
                }
            }
        }
    }
}

/// Reads Tesseract's TSV output (`tesseract IMAGE stdout tsv`).
///
/// Columns: level, page_num, block_num, par_num, line_num, word_num, left, top, width,
/// height, conf, text. Level 1 rows give the page size; level 5 rows are words. A block is
/// Tesseract's block (a region of the layout), not its paragraph: Tesseract ends a paragraph
/// at every short line, and text extracted from PDFs is full of short lines that end no
/// paragraph; the layout repair tells paragraphs apart in OCR'd text as in a text layer's.
/// An image of several pages (a multi-page TIFF) gives a page each.
pub fn parse_tsv(tsv: &str) -> Vec<OcrPage> {
    let mut pages: Vec<OcrPage> = Vec::new();
    let mut key = (u32::MAX, u32::MAX, u32::MAX);
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 12 {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<f64>().unwrap_or(0.0);
        match cols[0] {
            "1" => {
                pages.push(OcrPage {
                    width: num(8),
                    height: num(9),
                    blocks: Vec::new(),
                });
                key = (u32::MAX, u32::MAX, u32::MAX);
            }
            "5" => {
                let text = cols[11].trim();
                if text.is_empty() {
                    continue;
                }
                if pages.is_empty() {
                    pages.push(OcrPage::default());
                }
                let page = pages.last_mut().expect("a page");
                let k = (num(2) as u32, num(3) as u32, num(4) as u32);
                if k.0 != key.0 {
                    page.blocks.push(Vec::new());
                }
                let block = page.blocks.last_mut().expect("a block");
                if k != key || block.is_empty() {
                    block.push(Vec::new());
                }
                key = k;
                let (l, t, w, h) = (num(6), num(7), num(8), num(9));
                let conf = num(10);
                block.last_mut().expect("a line").push(InWord {
                    text: text.to_string(),
                    rect: [l, t, l + w, t + h],
                    conf: (conf >= 0.0).then_some(conf),
                });
            }
            _ => {}
        }
    }
    pages
}

/// OCRs the image file `path` with `langs` (Tesseract's `-l`): a page per image page.
pub fn ocr_file(path: &Path, langs: &str, limits: Limits) -> Result<Vec<OcrPage>, ToolError> {
    let out = tools::run(
        "tesseract",
        &[
            path.as_os_str(),
            OsStr::new("stdout"),
            OsStr::new("-l"),
            OsStr::new(langs),
            OsStr::new("--psm"),
            OsStr::new("3"),
            OsStr::new("tsv"),
        ],
        None,
        limits,
    )?;
    Ok(parse_tsv(&String::from_utf8_lossy(&out)))
}

/// Limits of one OCR run: at most the document's remaining budget.
pub fn limits() -> Limits {
    let mut l = Limits {
        time: Duration::from_secs(300),
        ..Limits::default()
    };
    if let Some(r) = crate::budget::remaining() {
        l.time = l.time.min(r.max(Duration::from_millis(1)));
    }
    l
}

/// Reads pages one after the other, choosing the language from the first page's text when
/// none was asked for.
#[derive(Debug, Clone)]
pub struct Reader {
    langs: Option<String>,
}

impl Reader {
    pub fn new(opts: &OcrOptions) -> Reader {
        let asked = opts.asked();
        Reader {
            langs: (!asked.is_empty()).then(|| tesseract_langs(&asked)),
        }
    }

    /// Reads with `lang` unless languages were asked for: the language of the document's
    /// text layer, when its other pages have one.
    pub fn hint(&mut self, lang: Lang) {
        if self.langs.is_none() {
            self.langs = Some(tesseract_langs(&[lang]));
        }
    }

    /// OCRs the image `path` (a page per image page).
    pub fn read(&mut self, path: &Path) -> Result<Vec<OcrPage>, ToolError> {
        if let Some(l) = &self.langs {
            return ocr_file(path, l, limits());
        }
        let first = ocr_file(path, &tesseract_langs(&all_langs()), limits())?;
        let text: String = first.iter().map(OcrPage::text).collect();
        let score = LangScore::of(&text);
        let Some(lang) = score.best() else {
            // Too little text to tell: keep this reading, try again on the next page.
            return Ok(first);
        };
        let langs = tesseract_langs(&[lang]);
        let page = ocr_file(path, &langs, limits())?;
        self.langs = Some(langs);
        Ok(page)
    }
}

/// Why an image cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImageError {
    #[error("unreadable image: {0}")]
    Unreadable(String),
    #[error(
        "image of {width} × {height} pixels is larger than the limit of {limit} million pixels; \
         an image this size is refused unread (raise it with --max-image-pixels)"
    )]
    TooLarge { width: u64, height: u64, limit: u64 },
    #[error("{0}")]
    Tool(#[from] ToolError),
    #[error("no text: OCR found no words in the image")]
    NoText,
}

/// The kind of image from its first bytes ("PNG", "JPEG", "TIFF").
pub fn image_kind(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG") {
        "PNG"
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        "JPEG"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "TIFF"
    } else {
        "unknown"
    }
}

/// Width and height of an image, from its header.
pub fn image_size(bytes: &[u8]) -> Result<(u64, u64), ImageError> {
    let s = imagesize::blob_size(bytes).map_err(|e| ImageError::Unreadable(e.to_string()))?;
    Ok((s.width as u64, s.height as u64))
}

/// OCRs an image file's bytes: its text and page map (boxes in pixels).
pub fn read_image(
    bytes: &[u8],
    opts: &OcrOptions,
) -> Result<(String, super::pages::PageMap), ImageError> {
    let (width, height) = image_size(bytes)?;
    if width == 0 || height == 0 {
        return Err(ImageError::Unreadable("the image has no pixels".into()));
    }
    if width.saturating_mul(height) > opts.max_pixels {
        return Err(ImageError::TooLarge {
            width,
            height,
            limit: opts.max_pixels / 1_000_000,
        });
    }
    let dir = tempfile::tempdir().map_err(|e| ImageError::Unreadable(e.to_string()))?;
    let path = dir.path().join("image");
    std::fs::write(&path, bytes).map_err(|e| ImageError::Unreadable(e.to_string()))?;
    let pages = Reader::new(opts).read(&path)?;
    let mut b = PagesBuilder::new(PagedKind::Image);
    for mut page in pages {
        if page.width == 0.0 {
            page.width = width as f64;
            page.height = height as f64;
        }
        page.write(&mut b, 1.0, true, None);
    }
    let (text, map) = b.finish();
    if text.trim().is_empty() {
        return Err(ImageError::NoText);
    }
    Ok((text, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tesseract_tsv_gives_blocks_lines_and_words() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
1\t1\t0\t0\t0\t0\t0\t0\t1000\t800\t-1\t\n\
2\t1\t1\t0\t0\t0\t10\t10\t500\t40\t-1\t\n\
5\t1\t1\t1\t1\t1\t10\t10\t60\t20\t95.5\tNgày\n\
5\t1\t1\t1\t1\t2\t80\t10\t20\t20\t91\t2\n\
5\t1\t1\t1\t2\t1\t10\t40\t60\t20\t88\tnăm\n\
5\t1\t1\t2\t1\t1\t10\t90\t60\t20\t70\tSau\n\
5\t1\t2\t1\t1\t1\t10\t200\t60\t20\t-1\t \n";
        let pages = parse_tsv(tsv);
        assert_eq!(pages.len(), 1);
        let p = &pages[0];
        assert_eq!((p.width, p.height), (1000.0, 800.0));
        // Tesseract's paragraphs 1 and 2 of block 1 are one block of three lines.
        assert_eq!(p.blocks.len(), 1);
        assert_eq!(p.blocks[0].len(), 3);
        assert_eq!(p.blocks[0][0][1].text, "2");
        assert_eq!(p.blocks[0][0][1].rect, [80.0, 10.0, 100.0, 30.0]);
        assert_eq!(p.blocks[0][0][0].conf, Some(95.5));
        assert_eq!(p.blocks[0][2][0].text, "Sau");
        // A second image page (a multi-page TIFF) is a page of its own.
        let two = format!(
            "{tsv}1\t2\t0\t0\t0\t0\t0\t0\t500\t400\t-1\t\n5\t2\t1\t1\t1\t1\t5\t5\t30\t20\t90\t1945\n"
        );
        let pages = parse_tsv(&two);
        assert_eq!(pages.len(), 2);
        assert_eq!(
            (pages[1].width, pages[1].blocks[0][0][0].text.as_str()),
            (500.0, "1945")
        );
    }

    #[test]
    fn ocr_languages_are_codes_of_the_registry() {
        let o = OcrOptions::default().with_langs("vi+ru").unwrap();
        let l = tesseract_langs(&o.asked());
        assert!(
            l.split('+').any(|c| c == "vie") && l.split('+').any(|c| c == "rus"),
            "{l}"
        );
        assert_eq!(o.asked().len(), 2);
        assert!(OcrOptions::default().with_langs("xx").is_err());
    }

    #[test]
    fn an_image_bomb_is_refused_from_its_header() {
        // A PNG header claiming 100000 × 100000 pixels, and nothing else.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        let e = read_image(&png, &OcrOptions::default()).unwrap_err();
        assert!(matches!(e, ImageError::TooLarge { .. }), "{e}");
    }
}
