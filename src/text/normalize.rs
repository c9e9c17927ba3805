//! Unicode NFC normalization that keeps the offset map exact.
//!
//! Text that is already NFC (nearly all of it) is copied verbatim. Elsewhere, each cluster
//! (a starter and the combining marks after it) is composed on its own and mapped, as a
//! whole, to the source bytes of the cluster.

use super::mapped::{MappedText, MappedTextBuilder};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// True for chars that may compose with what precedes them: combining marks, and chars
/// whose NFC quick-check answer is "maybe" (Hangul vowel and trailing jamo, and the class-0
/// vowel signs of Tamil, Bengali, Malayalam and others).
fn joins_previous(c: char) -> bool {
    canonical_combining_class(c) != 0
        || (!c.is_ascii() && is_nfc_quick(std::iter::once(c)) == IsNormalized::Maybe)
}

/// Returns `input` in Unicode NFC, with its map carried over.
pub fn nfc(input: &MappedText) -> MappedText {
    let s = input.as_str();
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return input.clone();
    }
    let mut b = MappedTextBuilder::with_capacity(s.len());
    // Copy verbatim up to each cluster that is not NFC on its own.
    let mut copied_to = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // Whitespace and control chars that are NFC themselves never compose: marks after
        // them (a defective sequence) form a cluster of their own, so that a reordered
        // cluster never takes a line break into its source range. (U+2000 is whitespace
        // but not NFC: it still goes through normalization.)
        if (c.is_ascii_whitespace() || c.is_ascii_control())
            || ((c.is_whitespace() || c.is_control())
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
        {
            continue;
        }
        // Find the end of this cluster.
        let mut end = s.len();
        while let Some(&(j, d)) = chars.peek() {
            if joins_previous(d) {
                chars.next();
            } else {
                end = j;
                break;
            }
        }
        let cluster = &s[i..end];
        let is_simple = cluster.len() == cluster.chars().next().map_or(0, char::len_utf8)
            && is_nfc_quick(cluster.chars()) == IsNormalized::Yes;
        if !is_simple {
            let composed: String = cluster.nfc().collect();
            if composed != cluster {
                b.push_copy(input, copied_to..i);
                b.push_replacement(&composed, input, i..end);
                copied_to = end;
            }
        }
    }
    b.push_copy(input, copied_to..s.len());
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn composes_decomposed_vietnamese() {
        // "Liê" + combining acute? Here: "Vie\u{0302}\u{0323}t" = "Việt" decomposed.
        let src = "Vie\u{0302}\u{0323}t Nam";
        let m = nfc(&MappedText::verbatim(src, 0));
        assert_eq!(m.as_str(), "Việt Nam");
        let viet = "Việt";
        // 'ệ' (3 bytes in NFC) maps to "e" + two combining marks (5 bytes).
        assert_eq!(m.source_range(2..5), 2..7);
        assert_eq!(m.source_range(0..viet.len()), 0..8);
        assert_eq!(m.source_range(viet.len()..m.len()), 8..12);
    }

    #[test]
    fn marks_after_a_line_break_stay_after_it() {
        // U+2DE0 (class 230) and U+119E0 (class 9) are reordered by NFC; the line break
        // before them keeps its own byte.
        let src = "ab\n\u{2de0}\u{119e0} ";
        let m = nfc(&MappedText::verbatim(src, 0));
        assert_eq!(m.as_str(), "ab\n\u{119e0}\u{2de0} ");
        assert_eq!(m.source_range(2..3), 2..3);
        assert_eq!(m.source_range(3..m.len() - 1), 3..src.len() - 1);
    }

    proptest! {
        #[test]
        fn nfc_matches_reference(s in "[a-zA-Z \u{0300}-\u{0323}\u{1100}-\u{1112}\u{1161}-\u{1175}ơưđ]{0,40}") {
            let m = nfc(&MappedText::verbatim(&s, 0));
            let want: String = s.nfc().collect();
            prop_assert_eq!(m.as_str(), want.as_str());
            // Every char maps inside the source.
            for (i, c) in m.as_str().char_indices() {
                let r = m.source_range(i..i + c.len_utf8());
                prop_assert!(r.start < r.end && r.end <= s.len());
            }
        }
    }
}
