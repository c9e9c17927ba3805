//! What the PDF and OCR engines print is untrusted too (a hostile PDF chooses the words
//! Poppler writes): arbitrary text through `pdfinfo`'s, `pdftotext -bbox-layout`'s and
//! Tesseract's TSV readers, the pages into the text builder, and arbitrary ranges of the text
//! through `PageMap::place`.
//!
//! Checks: no panic; every word's range lies inside the text on char boundaries, in order;
//! a range holding a word is placed on an existing page with at least one box.

#![no_main]

use annals::source::ocr::parse_tsv;
use annals::source::pages::{PagedKind, PagesBuilder};
use annals::source::pdf::{parse_bbox, parse_info};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let _ = parse_info(text);
    let pages = if sel % 2 == 0 {
        parse_bbox(text).unwrap_or_default()
    } else {
        parse_tsv(text)
    };
    let mut b = PagesBuilder::new(PagedKind::Pdf);
    for p in &pages {
        p.write(&mut b, 1.0, sel % 4 == 1, None);
    }
    let (out, map) = b.finish();
    let mut last = 0usize;
    for w in &map.words {
        let (s, e) = (w.0 as usize, w.1 as usize);
        assert!(s >= last && s < e && e <= out.len(), "word {s}..{e} after {last}");
        assert!(out.is_char_boundary(s) && out.is_char_boundary(e));
        assert!((w.2 as usize) < map.pages.len());
        last = e;
        let p = map.place(&out, s..e).expect("a word has a place");
        assert!(!p.boxes.is_empty() && (p.page as usize) <= map.pages.len());
    }
    if !out.is_empty() {
        let a = sel as usize % out.len();
        let e = (a + 7).min(out.len());
        if out.is_char_boundary(a) && out.is_char_boundary(e) {
            let _ = map.place(&out, a..e);
        }
    }
});
