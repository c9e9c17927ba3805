//! PDFs: the text layer with every word's page and box, OCR for pages without a usable one.
//!
//! ## Why Poppler, run as a child process
//!
//! Historians' PDFs are journal articles, theses and digitised books, typeset with CID fonts
//! (Identity-H) and subset TrueType fonts, often by old or broken producers. Pure-Rust
//! extractors (`pdf-extract`, `lopdf`) are known to lose text on CID/Identity-H fonts and to
//! panic on malformed files. The robust engines are PDFium and Poppler. Poppler installs from
//! the distribution (`poppler-utils`, beside Tesseract's packages) with no binary to fetch at
//! run time, and its `pdftotext -bbox-layout` writes each word with its box, grouped into
//! blocks and lines in reading order, which is all annals needs; `pdftoppm` renders pages
//! with the same engine (for OCR and the workbench's page view). Run as a child process
//! ([`super::tools`]), a crash or a runaway file costs that file only.
//!
//! ## What is read
//!
//! [`read_pdf`] checks the file with `pdfinfo` first: an encrypted PDF (a password, or
//! permissions), a broken one, one without pages or with more than
//! [`OcrOptions::max_pages`] is refused with the reason. Every page's text layer is judged
//! ([`layer_problem`]): no text, replacement or private-use characters, or a run of symbols
//! where words should be send the page to OCR (`pdftoppm` at [`OcrOptions::dpi`], then
//! Tesseract), unless OCR is off; `--ocr always` OCRs every page. Boxes are in PDF points
//! from the page's top left corner; OCR'd words are scaled from pixels to points.

use super::ocr::{self, OcrMode, OcrOptions, OcrPage};
use super::pages::{InWord, PageMap, PagedKind, PagesBuilder};
use super::tools::{self, Limits, ToolError};
use quick_xml::events::Event;
use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

/// Why a PDF cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error(
        "encrypted PDF: annals reads no encrypted or password-protected PDF (decrypt it first, \
         e.g. with qpdf --decrypt)"
    )]
    Encrypted,
    #[error("broken PDF: {0}")]
    Broken(String),
    #[error("PDF without pages")]
    NoPages,
    #[error(
        "PDF of {pages} pages, more than the limit of {limit} (raise it with --max-pdf-pages, \
         or split the file)"
    )]
    TooManyPages { pages: u32, limit: u32 },
    #[error("{0}")]
    Tool(ToolError),
    #[error("no text: the PDF's pages hold no text layer{0}")]
    NoText(&'static str),
}

impl From<ToolError> for PdfError {
    fn from(e: ToolError) -> PdfError {
        match e {
            ToolError::Failed { message, .. } if message.to_lowercase().contains("password") => {
                PdfError::Encrypted
            }
            // Poppler's words for a page tree without pages.
            ToolError::Failed { message, .. } if message.contains("page count 0") => {
                PdfError::NoPages
            }
            ToolError::Failed { message, .. } => PdfError::Broken(message),
            e => PdfError::Tool(e),
        }
    }
}

/// What `pdfinfo` says of a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Info {
    pub pages: u32,
    pub encrypted: bool,
}

/// Reads `pdfinfo`'s output.
pub fn parse_info(text: &str) -> Info {
    let mut info = Info::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        match k.trim() {
            "Pages" => info.pages = v.trim().parse().unwrap_or(0),
            "Encrypted" => info.encrypted = v.trim().starts_with("yes"),
            _ => {}
        }
    }
    info
}

/// Reads `pdftotext -bbox-layout` XHTML: pages of blocks of lines of words.
pub fn parse_bbox(xhtml: &str) -> Result<Vec<OcrPage>, String> {
    let mut reader = quick_xml::Reader::from_str(xhtml);
    let mut pages: Vec<OcrPage> = Vec::new();
    let mut word: Option<InWord> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &[u8]| -> f64 {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .and_then(|a| a.unescape_value().ok()?.trim().parse().ok())
                        .unwrap_or(0.0)
                };
                match e.name().as_ref() {
                    b"page" => pages.push(OcrPage {
                        width: attr(b"width"),
                        height: attr(b"height"),
                        blocks: Vec::new(),
                    }),
                    b"block" => {
                        if let Some(p) = pages.last_mut() {
                            p.blocks.push(Vec::new());
                        }
                    }
                    b"line" => {
                        if let Some(b) = pages.last_mut().and_then(|p| p.blocks.last_mut()) {
                            b.push(Vec::new());
                        }
                    }
                    b"word" => {
                        word = Some(InWord {
                            text: String::new(),
                            rect: [attr(b"xMin"), attr(b"yMin"), attr(b"xMax"), attr(b"yMax")],
                            conf: None,
                        })
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(w) = word.as_mut() {
                    w.text.push_str(&t.unescape().map_err(|e| e.to_string())?);
                }
            }
            Event::End(e) if e.name().as_ref() == b"word" => {
                if let (Some(w), Some(line)) = (
                    word.take(),
                    pages
                        .last_mut()
                        .and_then(|p| p.blocks.last_mut())
                        .and_then(|b| b.last_mut()),
                ) {
                    line.push(w);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pages)
}

/// Why a page's text layer cannot be used, if it cannot: no text at all, replacement or
/// private-use characters (a font without a usable character map), or more symbols than
/// letters and digits (glyph codes read as characters).
pub fn layer_problem(page: &OcrPage) -> Option<&'static str> {
    let (mut n, mut bad, mut alnum) = (0usize, 0usize, 0usize);
    for w in page.blocks.iter().flatten().flatten() {
        for c in w.text.chars() {
            if c.is_whitespace() {
                continue;
            }
            n += 1;
            let u = c as u32;
            if c == '\u{FFFD}'
                || (0xE000..=0xF8FF).contains(&u)
                || u >= 0xF0000
                || (c.is_control() && c != '\t')
            {
                bad += 1;
            } else if c.is_alphanumeric() {
                alnum += 1;
            }
        }
    }
    if n == 0 {
        Some("no text layer")
    } else if bad * 50 > n {
        Some("a damaged text layer (replacement or private-use characters)")
    } else if n >= 40 && alnum * 2 < n {
        Some("a garbled text layer (more symbols than letters)")
    } else {
        None
    }
}

/// Limits for a Poppler run over a document of `pages` pages: at most the document's budget.
fn poppler_limits(pages: u32) -> Limits {
    let mut l = Limits {
        time: Duration::from_secs(60 + pages as u64),
        ..Limits::default()
    };
    if let Some(r) = crate::budget::remaining() {
        l.time = l.time.min(r.max(Duration::from_millis(1)));
    }
    l
}

/// Reads a PDF file's bytes: its text (text layer, OCR where needed) and page map (boxes in
/// points).
pub fn read_pdf(bytes: &[u8], opts: &OcrOptions) -> Result<(String, PageMap), PdfError> {
    let dir = tempfile::tempdir().map_err(|e| PdfError::Broken(e.to_string()))?;
    let path = dir.path().join("source.pdf");
    std::fs::write(&path, bytes).map_err(|e| PdfError::Broken(e.to_string()))?;
    let info = parse_info(&String::from_utf8_lossy(&tools::run(
        "pdfinfo",
        &[path.as_os_str()],
        None,
        poppler_limits(0),
    )?));
    if info.encrypted {
        return Err(PdfError::Encrypted);
    }
    if info.pages == 0 {
        return Err(PdfError::NoPages);
    }
    if info.pages > opts.max_pages {
        return Err(PdfError::TooManyPages {
            pages: info.pages,
            limit: opts.max_pages,
        });
    }
    let xhtml = tools::run(
        "pdftotext",
        &[
            OsStr::new("-bbox-layout"),
            OsStr::new("-enc"),
            OsStr::new("UTF-8"),
            path.as_os_str(),
            OsStr::new("-"),
        ],
        None,
        poppler_limits(info.pages),
    )?;
    let pages = parse_bbox(&String::from_utf8_lossy(&xhtml)).map_err(PdfError::Broken)?;
    let mut reader = ocr::Reader::new(opts);
    // Pages OCR'd beside pages with a text layer are read in the text layer's language
    // (with `--ocr always` the language comes from the OCR itself, as for a scan).
    let trusted = |p: &&OcrPage| opts.mode == OcrMode::Auto && layer_problem(p).is_none();
    let layer_text: String = pages
        .iter()
        .filter(trusted)
        .take(20)
        .map(OcrPage::text)
        .collect();
    if let Some(lang) = crate::text::lang::LangScore::of(&layer_text).best() {
        reader.hint(lang);
    }
    let problems: Vec<Option<&'static str>> = pages
        .iter()
        .map(|p| match opts.mode {
            OcrMode::Always => Some("OCR asked for every page"),
            _ => layer_problem(p),
        })
        .collect();
    let mut read = if opts.mode == OcrMode::Never {
        Vec::new()
    } else {
        let need: Vec<usize> = (0..pages.len())
            .filter(|&i| problems[i].is_some())
            .collect();
        ocr_pages(&path, dir.path(), &pages, &need, opts, reader)
    };
    let mut b = PagesBuilder::new(PagedKind::Pdf);
    let mut ocr_error = None;
    for (i, page) in pages.iter().enumerate() {
        match problems[i] {
            None => page.write(&mut b, 1.0, false, None),
            Some(why) if opts.mode == OcrMode::Never => {
                page.write(&mut b, 1.0, false, Some(format!("{why}; OCR is off")));
            }
            Some(why) => match read.get_mut(i).and_then(Option::take) {
                Some(Ok(ocr)) => ocr.page.write(
                    &mut b,
                    72.0 / ocr.dpi as f64,
                    true,
                    Some(format!("{why}: OCR at {} dpi", ocr.dpi)),
                ),
                Some(Err(e)) => {
                    // The page keeps what its layer holds; the note says why no OCR.
                    page.write(&mut b, 1.0, false, Some(format!("{why}; no OCR: {e}")));
                    ocr_error = Some(e);
                }
                None => page.write(
                    &mut b,
                    1.0,
                    false,
                    Some(format!("{why}; no OCR: the document's time budget ran out")),
                ),
            },
        }
    }
    let (text, map) = b.finish();
    if text.trim().is_empty() {
        if let Some(e) = ocr_error {
            return Err(e);
        }
        let hint = if opts.mode == OcrMode::Never {
            " (OCR is off)"
        } else {
            ", and OCR found no words"
        };
        return Err(PdfError::NoText(hint));
    }
    Ok((text, map))
}

/// OCRs the pages `need` (indexes into `pages`): the first with `reader` (which chooses the
/// language from its text when none was asked for), the rest in parallel, each worker with
/// the language the first page chose. How many engines run at once across the whole process
/// is bounded by [`tools`]; the document's time budget holds in every worker. The result
/// has an entry per page (`None`: not OCR'd, or the budget ran out first).
fn ocr_pages(
    pdf: &Path,
    dir: &Path,
    pages: &[OcrPage],
    need: &[usize],
    opts: &OcrOptions,
    mut reader: ocr::Reader,
) -> Vec<Option<Result<OcrRead, PdfError>>> {
    let mut out: Vec<Option<Result<OcrRead, PdfError>>> = (0..pages.len()).map(|_| None).collect();
    let Some((&first, rest)) = need.split_first() else {
        return out;
    };
    out[first] = Some(ocr_page(
        pdf,
        dir,
        first as u32 + 1,
        &pages[first],
        opts,
        &mut reader,
    ));
    if rest.is_empty() || crate::budget::expired() {
        return out;
    }
    let budget = crate::budget::remaining();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(rest.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(rest.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let mut reader = reader.clone();
            let (next, done) = (&next, &done);
            scope.spawn(move || {
                let _ = crate::budget::within(budget, || {
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&i) = rest.get(k) else { break };
                        if crate::budget::expired() {
                            break;
                        }
                        let r = ocr_page(pdf, dir, i as u32 + 1, &pages[i], opts, &mut reader);
                        done.lock().unwrap_or_else(|e| e.into_inner()).push((i, r));
                    }
                });
            });
        }
    });
    for (i, r) in done.into_inner().unwrap_or_else(|e| e.into_inner()) {
        out[i] = Some(r);
    }
    out
}

/// A page read by OCR, and the resolution it was rendered at.
struct OcrRead {
    page: OcrPage,
    dpi: u32,
}

/// Renders page `n` (1-based) and OCRs it. A page too large for the pixel limit at the
/// asked resolution is rendered at a lower one, down to 72 dpi.
fn ocr_page(
    pdf: &Path,
    dir: &Path,
    n: u32,
    page: &OcrPage,
    opts: &OcrOptions,
    reader: &mut ocr::Reader,
) -> Result<OcrRead, PdfError> {
    let dpi = fit_dpi(page.width, page.height, opts.dpi, opts.max_pixels).ok_or_else(|| {
        PdfError::Broken(format!(
            "page {n} ({:.0} × {:.0} pt) is too large to render for OCR",
            page.width, page.height
        ))
    })?;
    let png = render_page(pdf, dir, n, dpi)?;
    let read = reader.read(&png)?.into_iter().next().unwrap_or_default();
    let _ = std::fs::remove_file(&png);
    Ok(OcrRead { page: read, dpi })
}

/// The resolution at which a page of `w × h` points stays within `max_pixels`: `dpi`, or
/// less, down to 72; None below.
pub fn fit_dpi(w: f64, h: f64, dpi: u32, max_pixels: u64) -> Option<u32> {
    let inches = (w / 72.0) * (h / 72.0);
    if !(inches.is_finite()) || inches <= 0.0 {
        return Some(dpi);
    }
    let fit = (max_pixels as f64 / inches).sqrt().floor();
    let d = (dpi as f64).min(fit);
    (d >= 72.0).then_some(d as u32)
}

/// Renders page `n` of `pdf` into `dir` as a PNG at `dpi`; its path.
pub fn render_page(
    pdf: &Path,
    dir: &Path,
    n: u32,
    dpi: u32,
) -> Result<std::path::PathBuf, PdfError> {
    let prefix = dir.join(format!("page-{n}"));
    let n_s = n.to_string();
    let dpi_s = dpi.to_string();
    tools::run(
        "pdftoppm",
        &[
            OsStr::new("-r"),
            OsStr::new(&dpi_s),
            OsStr::new("-f"),
            OsStr::new(&n_s),
            OsStr::new("-l"),
            OsStr::new(&n_s),
            OsStr::new("-singlefile"),
            OsStr::new("-png"),
            pdf.as_os_str(),
            prefix.as_os_str(),
        ],
        None,
        poppler_limits(1),
    )?;
    Ok(prefix.with_extension("png"))
}

/// Renders page `n` (1-based) of a PDF's bytes as PNG bytes at `dpi` (the workbench's page
/// view); the caller keeps `dpi` within its pixel limit ([`fit_dpi`] with the page's size).
pub fn page_png(bytes: &[u8], n: u32, dpi: u32) -> Result<Vec<u8>, PdfError> {
    let dir = tempfile::tempdir().map_err(|e| PdfError::Broken(e.to_string()))?;
    let path = dir.path().join("source.pdf");
    std::fs::write(&path, bytes).map_err(|e| PdfError::Broken(e.to_string()))?;
    let png = render_page(&path, dir.path(), n, dpi)?;
    std::fs::read(&png).map_err(|e| PdfError::Broken(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdfinfo_says_pages_and_encryption() {
        let i =
            parse_info("Title: x\nPages:           12\nEncrypted:       yes (print:yes copy:no)\n");
        assert_eq!(
            i,
            Info {
                pages: 12,
                encrypted: true
            }
        );
        assert_eq!(parse_info("Pages: 0\nEncrypted: no\n").pages, 0);
    }

    #[test]
    fn bbox_xhtml_gives_pages_blocks_lines_and_words() {
        let x = r#"<html><body><doc><page width="612" height="792"><flow>
<block xMin="1" yMin="2" xMax="3" yMax="4"><line xMin="1" yMin="2" xMax="3" yMax="4">
<word xMin="33.7" yMin="34" xMax="62.1" yMax="46.8">Ngày</word><word xMin="65" yMin="34" xMax="72" yMax="46.8">A&amp;B</word>
</line><line><word xMin="1" yMin="50" xMax="9" yMax="60">1945</word></line></block></flow></page>
<page width="100" height="200"></page></doc></body></html>"#;
        let p = parse_bbox(x).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].width, p[0].height), (612.0, 792.0));
        assert_eq!(p[0].blocks[0].len(), 2);
        assert_eq!(p[0].blocks[0][0][1].text, "A&B");
        assert_eq!(p[0].blocks[0][0][0].rect, [33.7, 34.0, 62.1, 46.8]);
        assert!(p[1].blocks.is_empty());
        assert_eq!(layer_problem(&p[1]), Some("no text layer"));
        assert_eq!(layer_problem(&p[0]), None);
    }

    #[test]
    fn a_damaged_or_garbled_layer_is_told_from_a_good_one() {
        let page = |t: &str| OcrPage {
            width: 1.0,
            height: 1.0,
            blocks: vec![vec![
                t.split(' ')
                    .map(|w| InWord {
                        text: w.into(),
                        rect: [0.0; 4],
                        conf: None,
                    })
                    .collect(),
            ]],
        };
        assert!(layer_problem(&page("Ng\u{E001}y 2 th\u{FFFD}ng 9")).is_some());
        assert!(
            layer_problem(&page(
                "!\"# $%&' ()*+ ,-./ !\"# $%&' ()*+ ,-./ !\"# $%&' ()*+ ,-./ 12"
            ))
            .is_some()
        );
        assert_eq!(
            layer_problem(&page("Ngày 2 tháng 9 năm 1945, (tr. 12–15).")),
            None
        );
    }

    #[test]
    fn a_huge_page_is_rendered_at_a_lower_resolution_or_not_at_all() {
        assert_eq!(fit_dpi(612.0, 792.0, 300, 100_000_000), Some(300));
        let d = fit_dpi(5_000.0, 5_000.0, 300, 100_000_000).unwrap();
        assert!((72..300).contains(&d), "{d}");
        assert_eq!(fit_dpi(1e6, 1e6, 300, 100_000_000), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn word() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-zA-Z0-9.,;:()&<>\"']{1,8}",
                "[àáảãạăằắẳẵặâầấẩẫậđêềếểễệôồốổỗộơờớởỡợưừứửữựА-Яа-яё]{1,6}",
                Just(" ".to_string()),
            ]
        }

        fn page() -> impl Strategy<Value = OcrPage> {
            prop::collection::vec(
                prop::collection::vec(
                    prop::collection::vec((word(), 0.0f64..500.0, 0.0f64..700.0), 0..5),
                    0..4,
                ),
                0..4,
            )
            .prop_map(|blocks| OcrPage {
                width: 600.0,
                height: 800.0,
                blocks: blocks
                    .into_iter()
                    .map(|b| {
                        b.into_iter()
                            .map(|l| {
                                l.into_iter()
                                    .map(|(t, x, y)| InWord {
                                        text: t,
                                        rect: [x, y, x + 40.0, y + 12.0],
                                        conf: None,
                                    })
                                    .collect()
                            })
                            .collect()
                    })
                    .collect(),
            })
        }

        fn xml(s: &str) -> String {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        }

        proptest! {
            /// Words of any text make a text whose every word lies in order on char
            /// boundaries, each placed on its page with a box; any range is placed without
            /// panicking; pdftotext's XHTML of the same pages reads back to the same words.
            #[test]
            fn pages_make_a_text_every_range_of_which_is_placed(
                pages in prop::collection::vec(page(), 1..4),
                cuts in prop::collection::vec((0usize..400, 0usize..40), 0..20),
            ) {
                let mut b = PagesBuilder::new(PagedKind::Pdf);
                for p in &pages {
                    p.write(&mut b, 1.0, false, None);
                }
                let (text, map) = b.finish();
                let mut last = 0;
                for w in &map.words {
                    let r = w.range();
                    prop_assert!(r.start >= last && r.start < r.end && r.end <= text.len());
                    prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                    let pl = map.place(&text, r.clone()).unwrap();
                    prop_assert_eq!(pl.page, w.2 + 1);
                    prop_assert_eq!(pl.boxes.len(), 1);
                    last = r.end;
                }
                for (a, n) in cuts {
                    if text.is_empty() { break; }
                    let a = a % text.len();
                    let e = (a + n).min(text.len());
                    if text.is_char_boundary(a)
                        && text.is_char_boundary(e)
                        && let Some(pl) = map.place(&text, a..e)
                    {
                        prop_assert!(pl.page as usize <= map.pages.len() && !pl.boxes.is_empty());
                        for r in &pl.boxes {
                            prop_assert!(r.0[0] <= r.0[2] && r.0[1] <= r.0[3]);
                        }
                    }
                }
                let mut x = String::from("<html><body><doc>");
                for p in &pages {
                    x += "<page width=\"600\" height=\"800\"><flow>";
                    for bl in &p.blocks {
                        x += "<block>";
                        for l in bl {
                            x += "<line>";
                            for w in l {
                                x += &format!(
                                    "<word xMin=\"{}\" yMin=\"{}\" xMax=\"{}\" yMax=\"{}\">{}</word>",
                                    w.rect[0], w.rect[1], w.rect[2], w.rect[3], xml(&w.text)
                                );
                            }
                            x += "</line>";
                        }
                        x += "</block>";
                    }
                    x += "</flow></page>";
                }
                x += "</doc></body></html>";
                let read = parse_bbox(&x).unwrap();
                prop_assert_eq!(read.len(), pages.len());
                for (r, p) in read.iter().zip(&pages) {
                    let words = |p: &OcrPage| -> Vec<String> {
                        p.blocks.iter().flatten().flatten().map(|w| w.text.clone()).collect()
                    };
                    prop_assert_eq!(words(r), words(p));
                }
            }
        }
    }
}
