//! Arbitrary bytes through the whole reading pipeline (decode → HTML → NFC → layout repair →
//! sentences). The first byte picks the document name, a forced format, the fallback
//! language and (rarely) a forced encoding; the rest is the file.
//!
//! Checks: `Document::read` does not panic; the clean text `doc.text` is NFC; every
//! sentence's clean range lies on char boundaries of `doc.text` and holds no line break;
//! every sentence's `src` lies inside the input, starts and ends on char boundaries of the
//! decoded source, lies inside its paragraph's `src`, and follows the previous sentence's
//! `src` without overlapping it; `doc.source.text_of(src)` works.

#![no_main]

use annals::document::{Document, ReadOptions};
use annals::source::decode::{self, Encoding};
use annals::text::lang::Lang;
use annals::text::layout::Format;
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let (id, format) = match sel % 6 {
        0 => ("doc.txt", None),
        1 => ("doc.html", None),
        2 => ("doc.md", None),
        3 => ("doc.txt", Some(Format::Wiki)),
        4 => ("doc.txt", Some(Format::Html)),
        _ => ("doc.txt", Some(Format::Plain)),
    };
    let lang = Lang::all()[(sel / 6) as usize % Lang::all().len()];
    let encoding = (sel >= 216).then(|| Encoding::ALL[(sel - 216) as usize % Encoding::ALL.len()]);
    let opts = ReadOptions {
        encoding,
        format,
        lang: Some(lang),
    };
    let Ok(doc) = Document::read(id, bytes.to_vec(), opts) else {
        return;
    };

    // Char boundaries of the decoded source: where each decoded char's bytes begin and end.
    let decoded = match encoding {
        Some(enc) => decode::decode_as(bytes, enc),
        None => decode::decode(bytes),
    }
    .expect("the bytes decoded once already");
    assert_eq!(decoded.encoding, doc.source.encoding);
    let dt = &decoded.text;
    let mut starts = HashSet::new();
    let mut ends = HashSet::new();
    for (i, c) in dt.as_str().char_indices() {
        let r = dt.source_range(i..i + c.len_utf8());
        starts.insert(r.start);
        ends.insert(r.end);
    }

    let text = doc.text.as_str();
    assert!(
        unicode_normalization::is_nfc(text),
        "clean text is not NFC: {text:?}"
    );
    let mut prev_src: Option<std::ops::Range<usize>> = None;
    let mut prev_range_end = 0;
    for s in &doc.sentences {
        let r = s.range.clone();
        assert!(
            prev_range_end <= r.start && r.start < r.end && r.end <= text.len(),
            "sentence range {r:?} (previous ended at {prev_range_end}, text length {})",
            text.len()
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        assert!(
            !text[r.clone()].contains('\n'),
            "line break in sentence {:?}",
            &text[r]
        );
        prev_range_end = r.end;

        let src = s.src.clone();
        assert!(
            src.start < src.end && src.end <= bytes.len(),
            "sentence src {src:?} outside the input of {} bytes",
            bytes.len()
        );
        assert!(
            starts.contains(&src.start) && ends.contains(&src.end),
            "sentence src {src:?} is not on char boundaries of the decoded source"
        );
        let p = &doc.paragraphs[s.paragraph];
        assert!(
            p.src.start <= src.start && src.end <= p.src.end,
            "sentence src {src:?} outside its paragraph's src {:?}",
            p.src
        );
        if let Some(prev) = &prev_src {
            assert!(
                prev.end <= src.start,
                "sentence src {src:?} overlaps or precedes the previous one {prev:?}"
            );
        }
        let _ = doc.source.text_of(src.clone());
        prev_src = Some(src);
    }
    for p in &doc.paragraphs {
        assert!(p.src.start <= p.src.end && p.src.end <= bytes.len());
        let _ = doc.paragraph_text(p);
    }
    for f in &doc.furniture {
        assert!(f.src.start <= f.src.end && f.src.end <= bytes.len());
    }
});
