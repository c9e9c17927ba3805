//! Arbitrary text through the standard extraction pipeline (time, quantity, and every
//! extractor added later). The first byte picks the fallback language.
//!
//! Checks: reading and extraction do not panic (or loop: libFuzzer's timeout catches that);
//! every fact's evidence lies inside the input, on char boundaries, and its `text` is
//! exactly those bytes (NFC); a timex's `value_start` never sorts after its `value_end`
//! when both are full ISO values; a quantity's `value` is finite.

#![no_main]

#[path = "checks.rs"]
mod checks;

use annals::document::{Document, ReadOptions};
use annals::extract::Pipeline;
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
    let lang = [Lang::of("vi"), Lang::of("en"), Lang::of("ru")][sel as usize % 3];
    let opts = ReadOptions { lang: Some(lang), ..ReadOptions::default() };
    let Ok(doc) = Document::read("doc.txt", bytes.to_vec(), opts) else {
        return;
    };
    let facts = Pipeline::standard().run(&doc);
    checks::facts_are_sound(text, &facts);
    for f in &facts {
        let e = &f.evidence;
        let want: String = text[e.start..e.end].nfc().collect();
        assert_eq!(e.text, want, "evidence text is not the source bytes");
    }
});
