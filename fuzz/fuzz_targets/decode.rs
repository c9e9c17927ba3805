//! Arbitrary bytes through `decode` (detection) or, when the first byte is 128 or more,
//! `decode_as` with an encoding picked by it.
//!
//! Checks: no panic; every decoded char maps to a non-empty range of the input, in input
//! order, without overlap; `decode_range` over the source range of a char, of the whole text
//! and of a prefix and a suffix of it gives the NFC form of that text.

#![no_main]

use annals::source::decode::{Encoding, decode, decode_as, decode_range};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let res = if sel < 128 {
        decode(bytes)
    } else {
        decode_as(bytes, Encoding::ALL[sel as usize % Encoding::ALL.len()])
    };
    let Ok(d) = res else {
        return;
    };
    assert!(
        (0.0..=1.0).contains(&d.confidence),
        "confidence {}",
        d.confidence
    );
    let t = d.text.as_str();
    let mut prev_end = 0;
    for (i, c) in t.char_indices() {
        let r = d.text.source_range(i..i + c.len_utf8());
        assert!(
            r.start < r.end && r.end <= bytes.len(),
            "char {c:?} at {i} maps to {r:?}, input has {} bytes",
            bytes.len()
        );
        assert!(
            r.start >= prev_end,
            "char {c:?} at {i} maps to {r:?}, overlapping the previous char's bytes (to {prev_end})"
        );
        prev_end = r.end;
    }
    // decode_range on the source range of any char-aligned range gives its NFC text: each
    // char, the whole text, and the two halves around a char boundary picked by the data.
    let check = |a: usize, b: usize| {
        let r = d.text.source_range(a..b);
        assert!(r.start <= r.end && r.end <= bytes.len());
        let want: String = t[a..b].nfc().collect();
        let got = decode_range(bytes, d.encoding, r.clone());
        assert_eq!(
            got,
            want,
            "decode_range over {r:?} ({}) differs from the decoded text {a}..{b}",
            d.encoding.name()
        );
    };
    for (i, c) in t.char_indices() {
        check(i, i + c.len_utf8());
    }
    if !t.is_empty() {
        check(0, t.len());
        let mut mid = (sel as usize * 7919) % t.len();
        while !t.is_char_boundary(mid) {
            mid -= 1;
        }
        check(0, mid);
        check(mid, t.len());
    }
});
