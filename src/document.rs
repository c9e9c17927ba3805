//! The document model: one source file, read and analysed into paragraphs and sentences,
//! every one of which points at the exact bytes of the original file.

use crate::source::decode::{self, DecodeError, Encoding};
use crate::source::html;
use crate::source::legacy;
use crate::source::ocr::{self, ImageError, OcrOptions};
use crate::source::pages::{PageMap, PagedKind};
use crate::source::pdf::{self, PdfError};
use crate::span::Span;
use crate::text::lang::Lang;
use crate::text::layout::{self, BlockKind, Format, Furniture, Layout};
use crate::text::mapped::MappedText;
use crate::text::{normalize, sentence};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::sync::Arc;

/// Whole copies of a text file that reading makes while it holds the file's bytes, at the
/// least: the decoded text and the clean text. (Measured peaks are 3.5 to 6 times the file,
/// bytes included; `examples/stage_memory`.)
pub const READ_COPIES: usize = 2;

/// What to assume about a source when it cannot tell for itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Force this encoding instead of detecting one.
    pub encoding: Option<Encoding>,
    /// Force this format instead of detecting one.
    pub format: Option<Format>,
    /// The language to assume for text too short to identify.
    pub lang: Option<Lang>,
    /// How to read PDFs and scans (OCR mode, languages, resolution, limits).
    pub ocr: OcrOptions,
}

/// A source as stored on disk, and how it was read.
#[derive(Debug, Clone)]
pub struct Source {
    /// Document id: the path relative to the folder given to `ingest`.
    pub id: String,
    /// The original bytes, unchanged; for a PDF or an image, the text annals read from it
    /// (UTF-8), which every span's offsets count in.
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of the file as found (for a PDF or an image, of the file, not
    /// of its text).
    pub sha256: String,
    pub encoding: Encoding,
    /// Detection confidence (1 for UTF-8).
    pub encoding_confidence: f32,
    pub format: Format,
    /// For a PDF or an image: the file and where each word of its text stands.
    pub paged: Option<Arc<Paged>>,
}

/// A source read from a PDF or an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    /// The file's bytes (the page images are rendered from them).
    pub file: Vec<u8>,
    /// Pages and words with their boxes.
    pub map: PageMap,
}

impl Source {
    /// The format's name as stored and exported: "pdf" or "image" for paged sources.
    pub fn format_name(&self) -> &'static str {
        match &self.paged {
            Some(p) => p.map.kind.name(),
            None => self.format.name(),
        }
    }

    /// The size of the file as found.
    pub fn file_len(&self) -> usize {
        self.paged
            .as_ref()
            .map_or(self.bytes.len(), |p| p.file.len())
    }

    /// The text of the original byte range `r`, decoded: the `text` of an exported span.
    pub fn text_of(&self, r: Range<usize>) -> String {
        decode::decode_range(&self.bytes, self.encoding, r)
    }

    /// A span of this source with its text.
    pub fn span(&self, r: Range<usize>) -> Span {
        Span {
            doc: self.id.clone(),
            start: r.start,
            end: r.end,
            place: self
                .paged
                .as_ref()
                .and_then(|p| p.map.place(&self.bytes, r.clone())),
            text: self.text_of(r),
        }
    }
}

/// A paragraph of a document.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Byte range in [`Document::text`] (the clean text).
    pub range: Range<usize>,
    /// Byte range in the original source.
    pub src: Range<usize>,
    pub kind: BlockKind,
    pub lang: Lang,
}

/// A sentence of a document.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Byte range in [`Document::text`] (the clean text).
    pub range: Range<usize>,
    /// Byte range in the original source.
    pub src: Range<usize>,
    /// Index of its paragraph in [`Document::paragraphs`].
    pub paragraph: usize,
    pub lang: Lang,
}

/// A source read and analysed: the base every extractor works on.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: Source,
    /// Clean text: repaired paragraphs separated by "\n\n", mapped to the source bytes.
    pub text: MappedText,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    /// Lines left out of the clean text (headers, footers, page numbers).
    pub furniture: Vec<Furniture>,
    /// The language of most of the text.
    pub lang: Lang,
    /// A title, from HTML `<title>` or the first heading.
    pub title: Option<String>,
    pub geometry: layout::Geometry,
}

/// Why a source could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("{0}")]
    Decode(#[from] DecodeError),
    #[error("no text: the file holds only whitespace or markup")]
    NoText,
    #[error("{0}")]
    Pdf(#[from] PdfError),
    /// The document's budget of time or memory ([`crate::budget`]) ran out while it was read.
    #[error("{0}")]
    Budget(#[from] crate::budget::Exceeded),
    #[error("{kind} image: {error}")]
    Image {
        kind: &'static str,
        error: ImageError,
    },
}

/// What kind of paged file `bytes` is, from its first bytes: a PDF, or an image that OCR
/// reads (PNG, JPEG, TIFF).
pub fn paged_kind(bytes: &[u8]) -> Option<PagedKind> {
    // A PDF's header may follow some junk within the first kilobyte.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(PagedKind::Pdf);
    }
    let image = bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*");
    image.then_some(PagedKind::Image)
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Guesses the format from the file name and the first bytes.
pub fn detect_format(id: &str, text: &str) -> Format {
    let lower = id.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
        return Format::Html;
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Format::Markdown;
    }
    let head: String = text
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        return Format::Html;
    }
    // The wiki-like export form: a "= Title =" line, or "==Section==" lines.
    let wiki_lines = text
        .lines()
        .take(2000)
        .filter(|l| {
            let t = l.trim_end();
            t.len() >= 5 && t.starts_with("==") && t.ends_with("==")
                || (t.starts_with("= ") && t.ends_with(" ="))
        })
        .count();
    if (wiki_lines >= 1 && text.trim_start().starts_with('=')) || wiki_lines >= 2 {
        return Format::Wiki;
    }
    Format::Plain
}

impl Document {
    /// Reads `bytes` as the document `id`: decodes, normalizes, repairs the layout, and
    /// splits sentences.
    pub fn read(id: &str, bytes: Vec<u8>, opts: ReadOptions) -> Result<Document, ReadError> {
        if bytes.is_empty() {
            return Err(ReadError::Empty);
        }
        if opts.encoding.is_none()
            && opts.format.is_none()
            && let Some(kind) = paged_kind(&bytes)
        {
            return Document::read_paged(id, bytes, kind, opts);
        }
        // Reading holds the bytes, the decoded text and the clean text at once, at the least:
        // a file whose copies alone would exceed the budget is refused before they are made.
        crate::budget::ensure_fits(bytes.len().saturating_mul(READ_COPIES))?;
        let decoded = match opts.encoding {
            Some(enc) => decode::decode_as(&bytes, enc)?,
            None => decode::decode(&bytes)?,
        };
        crate::budget::check()?;
        let format = opts
            .format
            .unwrap_or_else(|| detect_format(id, decoded.text.as_str()));
        let mut title = None;
        let (encoding, encoding_confidence) = (decoded.encoding, decoded.confidence);
        let text = match format {
            Format::Html => {
                // NFC before tokenizing, so that a decomposed letter after "<" reads as it
                // does composed; and after, for what character references produce.
                let h = html::html_to_text(&normalize::nfc(&decoded.text));
                title = h.title;
                legacy::repair(&normalize::nfc(&h.text))
            }
            _ => legacy::repair(&normalize::nfc(&decoded.text)),
        };
        drop(decoded);
        crate::budget::check()?;
        if text.as_str().trim().is_empty() {
            return Err(ReadError::NoText);
        }
        let source = Source {
            id: id.to_string(),
            sha256: sha256_hex(&bytes),
            bytes,
            encoding,
            encoding_confidence,
            format,
            paged: None,
        };
        let layout = layout::repair(&text, format, opts.lang.unwrap_or_else(Lang::fallback))?;
        drop(text);
        let doc = Document::from_layout(source, layout, title);
        crate::budget::check()?;
        Ok(doc)
    }

    /// Reads a PDF or an image: its text (text layer or OCR) is the document's text, read as
    /// plain text; the file and the page map travel with the source.
    fn read_paged(
        id: &str,
        bytes: Vec<u8>,
        kind: PagedKind,
        opts: ReadOptions,
    ) -> Result<Document, ReadError> {
        let (text, map) = match kind {
            PagedKind::Pdf => pdf::read_pdf(&bytes, &opts.ocr)?,
            PagedKind::Image => {
                ocr::read_image(&bytes, &opts.ocr).map_err(|error| ReadError::Image {
                    kind: ocr::image_kind(&bytes),
                    error,
                })?
            }
        };
        let sha256 = sha256_hex(&bytes);
        let mapped = legacy::repair(&normalize::nfc(&MappedText::verbatim(&text, 0)));
        let source = Source {
            id: id.to_string(),
            sha256,
            bytes: text.into_bytes(),
            encoding: Encoding::Utf8,
            encoding_confidence: 1.0,
            format: Format::Plain,
            paged: Some(Arc::new(Paged { file: bytes, map })),
        };
        let layout = layout::repair(
            &mapped,
            Format::Plain,
            opts.lang.unwrap_or_else(Lang::fallback),
        )?;
        Ok(Document::from_layout(source, layout, None))
    }

    fn from_layout(source: Source, layout: Layout, title: Option<String>) -> Document {
        let Layout {
            text,
            blocks,
            furniture,
            lang,
            geometry,
        } = layout;
        let mut paragraphs = Vec::with_capacity(blocks.len());
        let mut sentences = Vec::with_capacity(blocks.len() * 3);
        for (pi, b) in blocks.iter().enumerate() {
            let ptext = &text.as_str()[b.range.clone()];
            paragraphs.push(Paragraph {
                range: b.range.clone(),
                src: text.source_range(b.range.clone()),
                kind: b.kind,
                lang: b.lang,
            });
            let ranges = if b.kind == BlockKind::Body {
                sentence::split(ptext, b.lang)
            } else {
                // Headings and items are one unit each.
                std::iter::once(0..ptext.len()).collect()
            };
            for r in ranges {
                let range = b.range.start + r.start..b.range.start + r.end;
                sentences.push(Sentence {
                    src: text.source_range(range.clone()),
                    range,
                    paragraph: pi,
                    lang: b.lang,
                });
            }
        }
        // Without markup, a title is an early heading of several words that is not a
        // numbered section ("1. INTRODUCTION") or a journal line ("ISSN: …").
        let title = title.or_else(|| {
            paragraphs
                .iter()
                .take(12)
                .filter(|p| p.kind == BlockKind::Heading)
                .map(|p| text.as_str()[p.range.clone()].trim())
                .find(|t| {
                    t.split_whitespace().count() >= 3
                        && !t.starts_with(|c: char| c.is_ascii_digit())
                        && !t.contains(':')
                })
                .map(str::to_string)
        });
        Document {
            source,
            text,
            paragraphs,
            sentences,
            furniture,
            lang,
            title,
            geometry,
        }
    }

    /// The clean (repaired) text of a sentence.
    pub fn sentence_text(&self, s: &Sentence) -> &str {
        &self.text.as_str()[s.range.clone()]
    }

    /// The clean text of a paragraph.
    pub fn paragraph_text(&self, p: &Paragraph) -> &str {
        &self.text.as_str()[p.range.clone()]
    }

    /// The source span of a range of the clean text.
    pub fn span_of(&self, clean: Range<usize>) -> Span {
        self.source.span(self.text.source_range(clean))
    }
}
