//! Arbitrary text and language through `sentence::split`.
//!
//! Checks: no panic; the ranges are non-empty, inside the text, on char boundaries,
//! increasing and non-overlapping; each is trimmed of whitespace; every non-whitespace char
//! of the text lies in some sentence; no sentence holds a space at or beyond
//! `MAX_SENTENCE_BYTES` from its start (the length bound cuts at the first such space).

#![no_main]

use annals::text::lang::Lang;
use annals::text::sentence::{MAX_SENTENCE_BYTES, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &str)| {
    let (l, text) = input;
    let lang = Lang::all()[l as usize % Lang::all().len()];
    let ranges = split(text, lang);
    let mut prev_end = 0;
    for r in &ranges {
        assert!(
            prev_end <= r.start && r.start < r.end && r.end <= text.len(),
            "range {r:?} (previous ended at {prev_end}, text length {})",
            text.len()
        );
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "range {r:?} not on char boundaries"
        );
        let s = &text[r.clone()];
        assert_eq!(s.trim(), s, "sentence not trimmed");
        if let Some(p) = s.bytes().skip(MAX_SENTENCE_BYTES).position(|b| b == b' ') {
            panic!(
                "sentence {r:?} of {} bytes holds a space at {} (bound {MAX_SENTENCE_BYTES})",
                s.len(),
                p + MAX_SENTENCE_BYTES
            );
        }
        // Between sentences there is only whitespace.
        assert!(
            text[prev_end..r.start].trim().is_empty(),
            "text between sentences dropped: {:?}",
            &text[prev_end..r.start]
        );
        prev_end = r.end;
    }
    assert!(
        text[prev_end..].trim().is_empty(),
        "text after the last sentence dropped: {:?}",
        &text[prev_end..]
    );
});
