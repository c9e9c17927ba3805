//! Arbitrary text through `html_to_text`, placed at an arbitrary offset of its file.
//!
//! Checks: no panic; every output char maps to a non-empty source range inside the input,
//! on char boundaries of the input, in input order; the text does not start or end with
//! ASCII whitespace, has none before a line break, holds no blank line run of more than
//! one and no NUL; the title (if any) is not blank and not padded (HTML's ASCII
//! whitespace).

#![no_main]

use annals::source::html::html_to_text;
use annals::text::mapped::MappedText;
use libfuzzer_sys::fuzz_target;

fn ascii_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C')
}

fuzz_target!(|input: (u16, &str)| {
    let (offset, s) = input;
    let offset = offset as usize;
    let h = html_to_text(&MappedText::verbatim(s, offset));
    let t = h.text.as_str();
    let bounds = offset..offset + s.len();

    let mut prev_start = offset;
    for (i, c) in t.char_indices() {
        let r = h.text.source_range(i..i + c.len_utf8());
        assert!(
            bounds.start <= r.start && r.start < r.end && r.end <= bounds.end,
            "char {c:?} at {i} maps to {r:?}, outside {bounds:?}"
        );
        assert!(
            s.is_char_boundary(r.start - offset) && s.is_char_boundary(r.end - offset),
            "char {c:?} at {i} maps to {r:?}, not on char boundaries of the input"
        );
        assert!(
            r.start >= prev_start,
            "char {c:?} at {i} maps to {r:?}, before the previous char's start {prev_start}"
        );
        prev_start = r.start;
    }
    if !t.is_empty() {
        let r = h.text.source_range(0..t.len());
        assert!(bounds.start <= r.start && r.start < r.end && r.end <= bounds.end);
    }

    assert!(
        !t.starts_with(ascii_ws),
        "text starts with whitespace: {t:?}"
    );
    assert!(!t.ends_with(ascii_ws), "text ends with whitespace: {t:?}");
    assert!(!t.contains("\n\n\n"), "more than one blank line: {t:?}");
    assert!(!t.contains('\0'), "NUL in text: {t:?}");
    for (i, _) in t.match_indices('\n') {
        let before = t[..i].chars().next_back();
        assert!(
            !before.is_some_and(|c| ascii_ws(c) && c != '\n'),
            "whitespace before a line break at {i}: {t:?}"
        );
    }
    if let Some(title) = &h.title {
        // Blank means HTML whitespace only: U+000B and other Unicode spaces are not blank.
        assert!(!title.chars().all(ascii_ws), "blank title");
        assert!(
            !title.starts_with(ascii_ws) && !title.ends_with(ascii_ws),
            "untrimmed title {title:?}"
        );
    }
});
