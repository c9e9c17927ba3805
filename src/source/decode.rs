//! Bytes to text: sniffs binary files, detects the encoding, decodes with an exact map.
//!
//! PLACEHOLDER (UTF-8 only) — owned by the encoding helper, who replaces this file.

use crate::text::mapped::MappedText;
use std::ops::Range;

/// A text encoding annals can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
    VniWindows,
    Windows1251,
    Koi8R,
}

impl Encoding {
    /// Stable lowercase name ("utf-8", "windows-1258", "tcvn3", "vni-windows", "koi8-r", ...).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1258 => "windows-1258",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::VniWindows => "vni-windows",
            Encoding::Windows1251 => "windows-1251",
            Encoding::Koi8R => "koi8-r",
        }
    }

    /// Parses a name as printed by [`Encoding::name`] (case-insensitive, some aliases).
    pub fn from_name(s: &str) -> Option<Encoding> {
        let s = s.to_ascii_lowercase().replace('_', "-");
        Some(match s.as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "utf-8-bom" => Encoding::Utf8Bom,
            "utf-16le" => Encoding::Utf16Le,
            "utf-16be" => Encoding::Utf16Be,
            "windows-1258" | "cp1258" => Encoding::Windows1258,
            "tcvn3" | "abc" | "tcvn" => Encoding::Tcvn3,
            "vni-windows" | "vni" => Encoding::VniWindows,
            "windows-1251" | "cp1251" => Encoding::Windows1251,
            "koi8-r" | "koi8r" => Encoding::Koi8R,
            _ => return None,
        })
    }

    /// True for encodings other than UTF-8 (a conversion worth reporting).
    pub fn is_converted(self) -> bool {
        !matches!(self, Encoding::Utf8 | Encoding::Utf8Bom)
    }
}

/// A decoded source.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded text (not yet NFC-normalized), mapped to the original bytes.
    pub text: MappedText,
    pub encoding: Encoding,
    /// How sure detection was, 0..=1 (1 for BOMs and valid UTF-8).
    pub confidence: f32,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("binary file ({0}), not text")]
    Binary(String),
    #[error("unknown text encoding: not UTF-8, and no supported legacy encoding fits")]
    UnknownEncoding,
}

/// Detects the encoding of `bytes` and decodes them.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: MappedText::verbatim(s, 0),
            encoding: Encoding::Utf8,
            confidence: 1.0,
        }),
        Err(_) => Err(DecodeError::UnknownEncoding),
    }
}

/// Decodes `bytes` in the given encoding (no detection).
pub fn decode_as(bytes: &[u8], enc: Encoding) -> Result<Decoded, DecodeError> {
    let _ = enc;
    decode(bytes)
}

/// The text of the original bytes `range`, decoded in `enc` and NFC-normalized: the `text`
/// of an exported span. `range` must come from a map of the same source.
pub fn decode_range(bytes: &[u8], enc: Encoding, range: Range<usize>) -> String {
    let _ = enc;
    use unicode_normalization::UnicodeNormalization;
    String::from_utf8_lossy(&bytes[range]).nfc().collect()
}
