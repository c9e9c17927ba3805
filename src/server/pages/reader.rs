//! Marked-up source text: spans of the original bytes (facts, search matches, the span a link
//! points at) wrapped in elements over the decoded, escaped text.
//!
//! Offsets are bytes of the original file, which may be UTF-16 or a legacy encoding, so the
//! text is never sliced as a string: the walk visits every boundary of every mark in byte
//! order and decodes each piece between two boundaries with [`decode_range`]. Boundaries are
//! snapped to the encoding's character boundaries first (a start down, an end up), so a
//! damaged offset can never cut a character in two.
//!
//! Marks nest: one that starts earlier (or at the same byte and ends later) is the outer one.
//! Marks that cross (`a` = 0..5, `b` = 3..8) are split where they cross: `b` is closed with
//! `a` and reopened after it, so the HTML is always well formed; only the first piece of a
//! mark carries its `id`.

use super::esc;
use crate::source::decode::{Encoding, decode_range};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::ops::Range;

/// One span to mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Byte range of the original file.
    pub start: usize,
    pub end: usize,
    /// The element: "span" or "mark".
    pub tag: &'static str,
    pub class: String,
    /// Attributes on every piece: names are literals of ours, values are escaped here.
    pub attrs: Vec<(&'static str, String)>,
    /// The `id`, on the first piece only.
    pub id: Option<String>,
    /// Reached by the keyboard (`tabindex="0"` on the first piece).
    pub focusable: bool,
}

impl Mark {
    /// A `<span class=…>` over `start..end`.
    pub fn span(start: usize, end: usize, class: impl Into<String>) -> Mark {
        Mark {
            start,
            end,
            tag: "span",
            class: class.into(),
            attrs: Vec::new(),
            id: None,
            focusable: false,
        }
    }

    /// A `<mark class=…>` over `start..end`.
    pub fn marked(start: usize, end: usize, class: impl Into<String>) -> Mark {
        Mark {
            tag: "mark",
            ..Mark::span(start, end, class)
        }
    }

    pub fn with_id(mut self, id: impl Into<String>) -> Mark {
        self.id = Some(id.into());
        self
    }

    /// Reached by the keyboard: Tab stops on it.
    pub fn focusable(mut self) -> Mark {
        self.focusable = true;
        self
    }

    pub fn with_attr(mut self, name: &'static str, value: impl Into<String>) -> Mark {
        self.attrs.push((name, value.into()));
        self
    }

    fn open(&self, out: &mut String, first: bool) {
        let _ = write!(out, "<{} class=\"{}", self.tag, esc(&self.class));
        if !first {
            out.push_str(" cont");
        }
        out.push('"');
        if first && let Some(id) = &self.id {
            let _ = write!(out, " id=\"{}\"", esc(id));
        }
        if first && self.focusable {
            out.push_str(" tabindex=\"0\"");
        }
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}=\"{}\"", esc(v));
        }
        out.push('>');
    }

    fn close(&self, out: &mut String) {
        let _ = write!(out, "</{}>", self.tag);
    }
}

fn is_cont(bytes: &[u8], enc: Encoding, i: usize) -> bool {
    match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => bytes.get(i).is_some_and(|b| b & 0xC0 == 0x80),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            if i % 2 == 1 {
                return true;
            }
            // The second unit of a surrogate pair.
            let unit = |j: usize| -> Option<u16> {
                let (a, b) = (*bytes.get(j)?, *bytes.get(j + 1)?);
                Some(if enc == Encoding::Utf16Le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                })
            };
            unit(i).is_some_and(|u| (0xDC00..0xE000).contains(&u))
                && i >= 2
                && unit(i - 2).is_some_and(|u| (0xD800..0xDC00).contains(&u))
        }
        _ => false,
    }
}

/// `i` moved down to a character boundary of `bytes` in `enc` (at most `bytes.len()`).
pub fn floor_boundary(bytes: &[u8], enc: Encoding, i: usize) -> usize {
    let mut i = i.min(bytes.len());
    while i > 0 && i < bytes.len() && is_cont(bytes, enc, i) {
        i -= 1;
    }
    i
}

/// `i` moved up to a character boundary of `bytes` in `enc` (at most `bytes.len()`).
pub fn ceil_boundary(bytes: &[u8], enc: Encoding, i: usize) -> usize {
    let mut i = i.min(bytes.len());
    while i < bytes.len() && is_cont(bytes, enc, i) {
        i += 1;
    }
    i
}

/// The text of `bytes[window]` (decoded from `enc`), HTML-escaped, with `marks` wrapped
/// around their spans. Marks are clamped to the window; empty ones become empty elements
/// (an anchor to scroll to).
pub fn render(bytes: &[u8], enc: Encoding, window: Range<usize>, marks: &[Mark]) -> String {
    let w_end = ceil_boundary(bytes, enc, window.end);
    let w_start = floor_boundary(bytes, enc, window.start.min(w_end));
    // (start, end, index) of each mark, clamped and snapped; outer marks first.
    let mut ms: Vec<(usize, usize, usize)> = marks
        .iter()
        .enumerate()
        .filter(|(_, m)| m.start <= m.end && m.end >= w_start && m.start <= w_end)
        .filter_map(|(i, m)| {
            let s = floor_boundary(bytes, enc, m.start.clamp(w_start, w_end));
            let e = ceil_boundary(bytes, enc, m.end.clamp(w_start, w_end)).max(s);
            // A mark cut down to nothing by the window is left out; an empty one is kept.
            (s < e || m.start == m.end).then_some((s, e, i))
        })
        .collect();
    ms.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut stops: BTreeSet<usize> = BTreeSet::new();
    stops.insert(w_end);
    for &(s, e, _) in &ms {
        stops.insert(s);
        stops.insert(e);
    }
    let mut out = String::with_capacity((w_end - w_start) * 2);
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut pos = w_start;
    for p in stops {
        if p > pos {
            out.push_str(&esc(&decode_range(bytes, enc, pos..p)));
            pos = p;
        }
        // Close what ends here; reopen what was closed only because it was inside.
        if let Some(i) = stack.iter().position(|&k| ms[k].1 <= p) {
            let popped: Vec<usize> = stack.drain(i..).collect();
            for &k in popped.iter().rev() {
                marks[ms[k].2].close(&mut out);
            }
            for k in popped {
                if ms[k].1 > p {
                    marks[ms[k].2].open(&mut out, false);
                    stack.push(k);
                }
            }
        }
        while next < ms.len() && ms[next].0 == p {
            let m = &marks[ms[next].2];
            m.open(&mut out, true);
            if ms[next].1 == p {
                m.close(&mut out);
            } else {
                stack.push(next);
            }
            next += 1;
        }
    }
    for &k in stack.iter().rev() {
        marks[ms[k].2].close(&mut out);
    }
    out
}

/// A piece of UTF-8 text (a search hit's sentence) with the byte ranges `highlights` in
/// `<mark>`, shortened to about `max_chars` characters around the first highlight, with
/// ellipses where it was cut.
pub fn highlight(text: &str, highlights: &[(usize, usize)], max_chars: usize) -> String {
    let bytes = text.as_bytes();
    let mut window = 0..bytes.len();
    if text.chars().count() > max_chars {
        let first = highlights
            .iter()
            .map(|h| h.0)
            .min()
            .unwrap_or(0)
            .min(bytes.len());
        let before = text[..floor_boundary(bytes, Encoding::Utf8, first)]
            .char_indices()
            .rev()
            .nth(max_chars / 4)
            .map_or(0, |(i, _)| i);
        let end = text[before..]
            .char_indices()
            .nth(max_chars)
            .map_or(bytes.len(), |(i, _)| before + i);
        window = before..end;
    }
    let marks: Vec<Mark> = highlights
        .iter()
        .map(|&(s, e)| Mark::marked(s, e, "hl"))
        .collect();
    let mut out = String::new();
    if window.start > 0 {
        out.push('…');
    }
    out.push_str(&render(bytes, Encoding::Utf8, window.clone(), &marks));
    if window.end < bytes.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decode::encode_for_tests;

    /// Checks that the tags balance, and returns the text without tags, unescaped.
    fn check_and_strip(html: &str) -> String {
        let mut stack: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            text.push_str(&rest[..i]);
            let j = rest[i..].find('>').expect("tag closes") + i;
            let tag = &rest[i + 1..j];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "badly nested in {html}");
            } else {
                stack.push(tag.split(' ').next().unwrap().to_string());
            }
            rest = &rest[j + 1..];
        }
        text.push_str(rest);
        assert!(stack.is_empty(), "unclosed {stack:?} in {html}");
        html_escape::decode_html_entities(&text).into_owned()
    }

    #[test]
    fn nested_mention_inside_statement() {
        let t = "Liên Xô ký hiệp ước.";
        let b = t.as_bytes();
        let lx = t.find(" ký").unwrap();
        let marks = vec![
            Mark::span(0, b.len(), "fact fact-event").with_id("f-1"),
            Mark::span(0, lx, "fact fact-mention").with_id("f-2"),
        ];
        let h = render(b, Encoding::Utf8, 0..b.len(), &marks);
        assert_eq!(
            h,
            "<span class=\"fact fact-event\" id=\"f-1\"><span class=\"fact fact-mention\" id=\"f-2\">Liên Xô</span> ký hiệp ước.</span>"
        );
    }

    #[test]
    fn crossing_marks_are_split_and_balanced() {
        let t = "abcdefghij";
        let marks = vec![
            Mark::span(0, 5, "a").with_id("a"),
            Mark::span(3, 8, "b").with_id("b"),
        ];
        let h = render(t.as_bytes(), Encoding::Utf8, 0..10, &marks);
        assert_eq!(
            h,
            "<span class=\"a\" id=\"a\">abc<span class=\"b\" id=\"b\">de</span></span><span class=\"b cont\">fgh</span>ij"
        );
        assert_eq!(check_and_strip(&h), t);
    }

    #[test]
    fn hostile_source_text_is_escaped() {
        let t = "x <script>alert(1)</script> & \"y\"";
        let marks = vec![Mark::span(2, 10, "fact").with_attr("data-x", "\"><b>")];
        let h = render(t.as_bytes(), Encoding::Utf8, 0..t.len(), &marks);
        assert!(!h.contains("<script") && !h.contains("<b>"));
        assert!(h.contains("&lt;script&gt;</span>alert(1)&lt;/script&gt;"));
        assert_eq!(check_and_strip(&h), t);
    }

    #[test]
    fn offsets_inside_a_character_are_snapped() {
        let t = "Xô Việt";
        let b = t.as_bytes();
        // 2 is inside "ô" (bytes 1..3), 7 inside "ệ" (bytes 6..9).
        let h = render(b, Encoding::Utf8, 0..b.len(), &[Mark::span(2, 7, "m")]);
        assert!(!h.contains('\u{FFFD}'));
        assert_eq!(h, "X<span class=\"m\">ô Việ</span>t");
        // Out of range and reversed marks neither panic nor leak.
        let h = render(
            b,
            Encoding::Utf8,
            0..b.len(),
            &[Mark::span(5, 500, "m"), Mark::span(7, 3, "z")],
        );
        assert_eq!(check_and_strip(&h), t);
    }

    #[test]
    fn utf16_and_legacy_offsets_are_bytes_of_the_file() {
        let t = "Hiệp ước với Liên Xô";
        let word = "Liên Xô";
        for enc in [
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Utf8Bom,
            Encoding::Windows1258,
            Encoding::VniWindows,
        ] {
            let bytes = encode_for_tests(t, enc).unwrap();
            let prefix = encode_for_tests(&t[..t.find(word).unwrap()], enc).unwrap();
            let bom = match enc {
                Encoding::Utf16Le | Encoding::Utf16Be => 2,
                Encoding::Utf8Bom => 3,
                _ => 0,
            };
            let start = prefix.len();
            let end = bytes.len();
            let h = render(&bytes, enc, 0..bytes.len(), &[Mark::span(start, end, "m")]);
            assert!(
                h.ends_with(&format!("<span class=\"m\">{word}</span>")),
                "{enc:?}: {h}"
            );
            assert_eq!(check_and_strip(&h), t, "{enc:?}");
            // An odd offset into UTF-16 snaps to the unit.
            if bom == 2 {
                let h = render(
                    &bytes,
                    enc,
                    0..bytes.len(),
                    &[Mark::span(start + 1, end - 1, "m")],
                );
                assert_eq!(check_and_strip(&h), t);
                assert!(!h.contains('\u{FFFD}'), "{enc:?}: {h}");
            }
        }
        let ru = "Договор о дружбе";
        let bytes = encode_for_tests(ru, Encoding::Koi8R).unwrap();
        let h = render(
            &bytes,
            Encoding::Koi8R,
            0..bytes.len(),
            &[Mark::span(0, 7, "m")],
        );
        assert_eq!(h, "<span class=\"m\">Договор</span> о дружбе");
    }

    #[test]
    fn many_overlapping_marks_stay_well_formed() {
        let t = "Ngày 3-11-1978, Liên Xô và Việt Nam ký Hiệp ước hữu nghị và hợp tác.";
        let b = t.as_bytes();
        let mut seed = 7u64;
        let mut rnd = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..300 {
            let marks: Vec<Mark> = (0..rnd(8))
                .map(|i| {
                    let s = rnd(b.len() + 4);
                    let e = s + rnd(30);
                    Mark::span(s, e, format!("k{i}")).with_id(format!("i{i}"))
                })
                .collect();
            let w = rnd(b.len());
            let h = render(b, Encoding::Utf8, 0..b.len(), &marks);
            assert_eq!(check_and_strip(&h), t);
            assert!(!h.contains('\u{FFFD}'));
            let part = render(b, Encoding::Utf8, w..b.len(), &marks);
            let from = floor_boundary(b, Encoding::Utf8, w);
            assert_eq!(check_and_strip(&part), &t[from..]);
        }
    }

    #[test]
    fn empty_mark_is_an_anchor() {
        let h = render(
            b"abc",
            Encoding::Utf8,
            0..3,
            &[Mark::span(1, 1, "p").with_id("target")],
        );
        assert_eq!(h, "a<span class=\"p\" id=\"target\"></span>bc");
    }

    #[test]
    fn highlights_are_marked_and_cut_at_characters() {
        let t = "Đoàn đại biểu ĐCS Liên Xô do Bí thư <b>";
        let s = t.find("Liên").unwrap();
        let h = highlight(t, &[(s, s + "Liên Xô".len()), (3, 4)], 200);
        assert!(h.contains("<mark class=\"hl\">Liên Xô</mark>"));
        assert!(h.ends_with("&lt;b&gt;"));
        // A highlight inside a character still leaves whole characters.
        assert!(!h.contains('\u{FFFD}'));
        let long = format!("{} Liên Xô {}", "ạ".repeat(300), "ô".repeat(300));
        let s = long.find("Liên").unwrap();
        let h = highlight(&long, &[(s, s + "Liên Xô".len())], 100);
        assert!(h.starts_with('…') && h.ends_with('…'));
        assert!(h.contains("<mark class=\"hl\">Liên Xô</mark>"));
        assert!(h.chars().count() < 160);
    }
}
