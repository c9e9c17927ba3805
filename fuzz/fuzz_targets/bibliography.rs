//! Arbitrary text through the bibliography reader: `parse_entry` on the text, and
//! `find_in_document` on the text read as a document whose first line names a reference
//! list. The first byte picks the heading (Vietnamese, English, Russian, or none).
//!
//! Checks: no panic (or loop: libFuzzer's timeout catches that); a parsed year lies in
//! 1500..=2100; every name has something to display; every reference found lies inside the
//! input, on char boundaries, and is not empty.

#![no_main]

use annals::document::{Document, ReadOptions};
use annals::export::bibliography::{find_in_document, parse_entry, split_number};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let (_, rest) = split_number(text);
    let e = parse_entry(rest);
    if let Some(y) = e.year {
        assert!((1500..=2100).contains(&y), "year {y}");
    }
    for n in e.authors.iter().chain(&e.editors) {
        assert!(!n.display().is_empty(), "empty name in {e:?}");
    }
    let head = [
        "TÀI LIỆU THAM KHẢO\n\n",
        "References\n\n",
        "Список литературы\n\n",
        "",
    ][sel as usize % 4];
    let doc_text = format!("{head}{text}");
    let Ok(doc) = Document::read(
        "refs.txt",
        doc_text.as_bytes().to_vec(),
        ReadOptions::default(),
    ) else {
        return;
    };
    for c in find_in_document(&doc) {
        assert!(
            c.start < c.end && c.end <= doc_text.len(),
            "span {}..{} outside the input ({} bytes)",
            c.start,
            c.end,
            doc_text.len()
        );
        assert!(
            doc_text.is_char_boundary(c.start) && doc_text.is_char_boundary(c.end),
            "span {}..{} not on char boundaries",
            c.start,
            c.end
        );
        if let Some(y) = c.entry.year {
            assert!((1500..=2100).contains(&y), "year {y}");
        }
    }
});
