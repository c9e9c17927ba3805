//! Text that remembers where every byte came from.
//!
//! Every stage between the file on disk and the sentences annals stores (decoding, Unicode
//! normalization, layout repair) produces a [`MappedText`]: a UTF-8 string plus an
//! [`OffsetMap`] that sends every byte of that string back to a byte range of the *original
//! source file*. Stages compose: a stage reads one `MappedText` and builds the next with a
//! [`MappedTextBuilder`], copying pieces (whose provenance is carried over) or inserting
//! synthetic text (which is given the source range it stands for).
//!
//! Guarantee: for any char-aligned range `a..b` of the text, [`MappedText::source_range`]
//! returns a range of the original bytes that contains exactly the bytes the characters
//! `a..b` were made from, and nothing before the first or after the last of them.

use std::ops::Range;

/// One run of the output text and the source bytes it came from.
///
/// A *verbatim* segment is a byte-for-byte copy of valid UTF-8 source bytes: output byte
/// `out + i` came from source byte `src + i`. Any other segment is *opaque*: every byte of
/// its output stands for the whole source range (a decoded legacy character, a composed
/// character, a space that replaces a line break, a removed hyphen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    out: u32,
    out_len: u32,
    src: u32,
    src_len: u32,
    verbatim: bool,
}

impl Segment {
    fn out_end(&self) -> u32 {
        self.out + self.out_len
    }
}

/// Maps byte offsets of a derived text back to byte offsets of the original source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    /// Index of the segment that holds output byte `pos` (`pos` < text length).
    fn find(&self, pos: u32) -> Option<usize> {
        let i = self.segments.partition_point(|s| s.out_end() <= pos);
        (i < self.segments.len() && self.segments[i].out <= pos).then_some(i)
    }

    /// Source offset where output byte `pos` begins.
    fn start_of(&self, pos: u32) -> Option<u32> {
        let s = self.segments[self.find(pos)?];
        Some(if s.verbatim {
            s.src + (pos - s.out)
        } else {
            s.src
        })
    }

    /// Source offset just after output byte `pos` ends.
    fn end_of(&self, pos: u32) -> Option<u32> {
        let s = self.segments[self.find(pos)?];
        Some(if s.verbatim {
            s.src + (pos - s.out) + 1
        } else {
            s.src + s.src_len
        })
    }

    /// Number of segments (a measure of how much the text was rewritten).
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }
}

/// A string and the map from its bytes to the original source bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappedText {
    text: String,
    map: OffsetMap,
}

impl MappedText {
    /// A text that *is* the source (valid UTF-8 bytes starting at `src_offset`).
    pub fn verbatim(text: &str, src_offset: usize) -> MappedText {
        let mut b = MappedTextBuilder::with_capacity(text.len());
        b.push_verbatim(text, src_offset);
        b.finish()
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The offset map.
    pub fn map(&self) -> &OffsetMap {
        &self.map
    }

    /// The range of source bytes that the text bytes `range` were made from.
    ///
    /// `range` must lie on char boundaries of the text. An empty range maps to an empty
    /// source range at the position where the next character's bytes begin (or the end of
    /// the last one).
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        debug_assert!(self.text.is_char_boundary(range.start));
        debug_assert!(self.text.is_char_boundary(range.end));
        if range.start >= range.end {
            let at = self.source_point(range.start);
            return at..at;
        }
        let start = self.map.start_of(range.start as u32).unwrap_or(0) as usize;
        let end = self.map.end_of(range.end as u32 - 1).unwrap_or(0) as usize;
        start..end.max(start)
    }

    /// The source offset at which text position `pos` begins.
    pub fn source_point(&self, pos: usize) -> usize {
        if pos < self.text.len() {
            self.map.start_of(pos as u32).unwrap_or(0) as usize
        } else if let Some(last) = self.map.segments.last() {
            (last.src + last.src_len) as usize
        } else {
            0
        }
    }
}

/// Builds a [`MappedText`] piece by piece.
#[derive(Debug, Default)]
pub struct MappedTextBuilder {
    text: String,
    segments: Vec<Segment>,
}

impl MappedTextBuilder {
    /// An empty builder with room for `cap` bytes.
    pub fn with_capacity(cap: usize) -> Self {
        MappedTextBuilder {
            text: String::with_capacity(cap),
            segments: Vec::with_capacity(16),
        }
    }

    /// Text built so far.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Bytes built so far.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// True when nothing has been pushed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn push_segment(&mut self, seg: Segment) {
        if seg.out_len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            // Merge adjacent verbatim runs that are contiguous in both texts.
            if last.verbatim
                && seg.verbatim
                && last.out_end() == seg.out
                && last.src + last.src_len == seg.src
            {
                last.out_len += seg.out_len;
                last.src_len += seg.src_len;
                return;
            }
        }
        self.segments.push(seg);
    }

    /// Appends `s`, which is a byte-for-byte copy of the source at `src_offset`.
    pub fn push_verbatim(&mut self, s: &str, src_offset: usize) {
        let seg = Segment {
            out: self.text.len() as u32,
            out_len: s.len() as u32,
            src: src_offset as u32,
            src_len: s.len() as u32,
            verbatim: true,
        };
        self.text.push_str(s);
        self.push_segment(seg);
    }

    /// Appends `s`, which stands for the source bytes `src` as a whole (a decoded or
    /// composed character, a space replacing a line break).
    pub fn push_opaque(&mut self, s: &str, src: Range<usize>) {
        let seg = Segment {
            out: self.text.len() as u32,
            out_len: s.len() as u32,
            src: src.start as u32,
            src_len: (src.end - src.start) as u32,
            verbatim: false,
        };
        self.text.push_str(s);
        self.push_segment(seg);
    }

    /// Appends one char standing for the source bytes `src`.
    pub fn push_char_opaque(&mut self, c: char, src: Range<usize>) {
        let mut buf = [0u8; 4];
        self.push_opaque(c.encode_utf8(&mut buf), src);
    }

    /// Appends `input[range]` (char-aligned), carrying its provenance over from `input`.
    pub fn push_copy(&mut self, input: &MappedText, range: Range<usize>) {
        if range.start >= range.end {
            return;
        }
        let segs = &input.map.segments;
        let mut i = input
            .map
            .find(range.start as u32)
            .expect("range inside input");
        let mut pos = range.start as u32;
        let end = range.end as u32;
        while pos < end {
            let s = segs[i];
            let piece_end = s.out_end().min(end);
            let piece = &input.text[pos as usize..piece_end as usize];
            if s.verbatim {
                self.push_verbatim(piece, (s.src + (pos - s.out)) as usize);
            } else {
                let src = s.src as usize..(s.src + s.src_len) as usize;
                self.push_opaque(piece, src);
            }
            pos = piece_end;
            i += 1;
        }
    }

    /// Appends `s`, which replaces `input[range]`: all of it stands for the source bytes of
    /// that range.
    pub fn push_replacement(&mut self, s: &str, input: &MappedText, range: Range<usize>) {
        let src = input.source_range(range);
        self.push_opaque(s, src);
    }

    /// The finished text.
    pub fn finish(self) -> MappedText {
        MappedText {
            text: self.text,
            map: OffsetMap {
                segments: self.segments,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_maps_identity() {
        let m = MappedText::verbatim("Liên Xô", 10);
        assert_eq!(m.source_range(0..4), 10..14);
        assert_eq!(m.source_range(5..m.len()), 15..19);
    }

    #[test]
    fn composition_through_stages() {
        // Source: "ab\r\ncd" -> stage 1 copies; stage 2 replaces the line break with a space.
        let src = "ab\r\ncd";
        let s1 = MappedText::verbatim(src, 0);
        let mut b = MappedTextBuilder::default();
        b.push_copy(&s1, 0..2);
        b.push_replacement(" ", &s1, 2..4);
        b.push_copy(&s1, 4..6);
        let s2 = b.finish();
        assert_eq!(s2.as_str(), "ab cd");
        assert_eq!(s2.source_range(0..5), 0..6);
        assert_eq!(s2.source_range(2..3), 2..4);
        assert_eq!(s2.source_range(3..5), 4..6);
        // Stage 3 copies a piece of stage 2: provenance survives.
        let mut b = MappedTextBuilder::default();
        b.push_copy(&s2, 1..4);
        let s3 = b.finish();
        assert_eq!(s3.as_str(), "b c");
        assert_eq!(s3.source_range(0..3), 1..5);
        assert_eq!(s3.source_range(1..2), 2..4);
    }

    #[test]
    fn opaque_multibyte() {
        // A legacy two-byte sequence decoded to one char.
        let mut b = MappedTextBuilder::default();
        b.push_char_opaque('x', 0..1);
        b.push_char_opaque('ế', 1..3);
        b.push_char_opaque('y', 3..4);
        let m = b.finish();
        assert_eq!(m.as_str(), "xếy");
        assert_eq!(m.source_range(1..4), 1..3);
        assert_eq!(m.source_range(0..5), 0..4);
        assert_eq!(m.source_range(4..4), 3..3);
    }
}
