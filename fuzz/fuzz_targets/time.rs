//! Arbitrary text through the time extractor. The first byte picks the fallback language.
//!
//! Checks: reading and extraction do not panic (or loop: libFuzzer's timeout catches that);
//! every timex's evidence lies inside the input, on char boundaries, and its `text` is
//! exactly those bytes; `value_start` never sorts after `value_end` when both are full
//! ISO values.

#![no_main]

use annals::document::{Document, ReadOptions};
use annals::extract::Extractor;
use annals::extract::time::TimeExtractor;
use annals::text::lang::Lang;
use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let lang = [Lang::Vi, Lang::En, Lang::Ru][sel as usize % 3];
    let opts = ReadOptions { lang: Some(lang), ..ReadOptions::default() };
    let Ok(doc) = Document::read("doc.txt", bytes.to_vec(), opts) else {
        return;
    };
    let mut facts = Vec::new();
    TimeExtractor.extract(&doc, &mut facts);
    for f in &facts {
        let e = &f.evidence;
        assert!(e.start <= e.end && e.end <= bytes.len(), "span outside the input");
        assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end), "span off char boundaries");
        let want: String = text[e.start..e.end].nfc().collect();
        assert_eq!(e.text, want, "evidence text is not the source bytes");
        let (Some(a), Some(b)) = (f.body.get("value_start").and_then(|v| v.as_str()), f.body.get("value_end").and_then(|v| v.as_str())) else {
            continue;
        };
        if a.len() == b.len() && !a.contains('X') && !b.contains('X') && f.kind == "timex" {
            assert!(a <= b, "interval ends before it starts: {a} > {b}");
        }
    }
});
