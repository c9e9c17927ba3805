//! Evidence: where in which source a fact is stated.

use serde::{Deserialize, Serialize};

/// A range of the original bytes of one source, with the text those bytes decode to.
///
/// Guarantee: `text == decode(source_bytes[start..end])` (NFC), for every span annals
/// produces. This is what makes every fact checkable against its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Document id: the path relative to the folder given to `ingest`.
    pub doc: String,
    /// Byte offset of the first byte, in the file as stored on disk.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    pub text: String,
}

impl Span {
    /// True when both spans are in one document and share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.doc == other.doc && self.start < other.end && other.start < self.end
    }
}

/// The evidence of a fact: the span that states it (more spans when a later layer merges
/// statements of one fact).
pub type Evidence = Span;
