//! Bytes to text: sniffs binary files, detects the encoding, decodes with an exact map.
//!
//! Archives of Vietnamese and Russian sources still hold files in pre-Unicode encodings:
//! Windows-1258, TCVN3 (ABC) and VNI-Windows for Vietnamese, Windows-1251 and KOI8-R for
//! Russian. [`decode`] recognises those, converts them, and reports which encoding it found
//! ([`Decoded::encoding`], with [`Encoding::is_converted`]) and how sure it is
//! ([`Decoded::confidence`]).
//!
//! Order of the checks in [`decode`]:
//!
//! 1. **Binary sniffing.** Magic numbers (PNG, JPEG, PDF, ZIP and the Office formats built on
//!    it, gzip, ELF, ...) give [`DecodeError::Binary`] naming the kind; so do NUL bytes in a
//!    file without a UTF-16 byte-order mark, and a high share of C0 control bytes other than
//!    tab, line feed, form feed and carriage return.
//! 2. **Byte-order marks.** UTF-8 with a BOM ([`Encoding::Utf8Bom`]: the BOM is not part of the
//!    text, offsets still count it) and UTF-16 LE/BE with a BOM.
//! 3. **UTF-8.** Valid UTF-8 becomes one verbatim segment: this is the hot path, and it costs
//!    a NUL search, a UTF-8 validation and a copy (memory speed).
//! 4. **Legacy encodings.** Every supported legacy encoding decodes a sample, and a small
//!    language model written into this file as data scores each result: Vietnamese
//!    orthography (is every word with a diacritic a well-formed Vietnamese syllable, with one
//!    tone mark, a legal final and the tones a stop final allows?) plus a list of common
//!    syllables; Russian word shapes, letter frequencies, the share of lowercase letters (the
//!    classic KOI8-R versus Windows-1251 test) and common words. The best candidate wins if
//!    it is convincing and no other encoding reads the bytes as a different text nearly as
//!    well; otherwise [`DecodeError::UnknownEncoding`]: precision matters more
//!    than recall, so Latin-1 French or German, or random bytes, are rejected rather than
//!    read as some Vietnamese encoding.
//!
//! Every decoded character is mapped to the exact raw bytes it was decoded from (see
//! [`crate::text::mapped`]): one byte for the single-byte encodings, two bytes for a VNI-Windows
//! letter written as base letter plus mark byte, two or four bytes in UTF-16. The decoded text
//! is not NFC-normalized (Windows-1258 yields base letters plus combining tone marks); a later
//! stage normalizes, and [`decode_range`] returns the NFC text of any mapped byte range.
//!
//! ## The TCVN3 and VNI-Windows tables
//!
//! No mature crate converts TCVN3 or VNI-Windows, so the tables below (`TCVN3_VOWELS`,
//! `TCVN3_OTHERS`, `VNI_VOWELS`) were written for annals, letter by letter. They were checked
//! against public tables: `lamdao/xvnkb` (`tcvn.h` and `vni.h`, the xvnkb Vietnamese keyboard),
//! `duydev/vietnamese-conversion` (`src/charsets.ts`), and, for TCVN3, the TCVN-5712 table of
//! XFree86 (`xc/lib/X11/lcUniConv/tcvn.h`) and glibc's `TCVN5712-1` converter (all 74 TCVN3
//! letters decode the same); they agree with ours on every letter compared. Windows-1258,
//! Windows-1251 and KOI8-R come from `encoding_rs`.
//!
//! TCVN3 here is VN3 of TCVN 5712:1993, the "ABC" font encoding: lowercase letters with every
//! tone, but of the capitals only Ă Â Ê Ô Ơ Ư Đ (documents set toned capitals in a separate
//! all-capitals font, a distinction the bytes do not keep). Bytes VN3 leaves free read as
//! Windows-1252; in the letter range they count against TCVN3 in detection. VNI-Windows writes
//! most letters as a base letter followed by a mark byte; bytes that are not part of a letter
//! read as Windows-1252 (a lone mark byte counts against VNI in detection).

use crate::text::mapped::{MappedText, MappedTextBuilder};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A text encoding annals can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 starting with a byte-order mark (EF BB BF), which is not part of the text.
    Utf8Bom,
    /// UTF-16 little-endian; in detection, only with a byte-order mark (FF FE).
    Utf16Le,
    /// UTF-16 big-endian; in detection, only with a byte-order mark (FE FF).
    Utf16Be,
    /// Windows-1258 (Vietnamese; tones often as combining marks).
    Windows1258,
    /// TCVN3, the "ABC" encoding (VN3 of TCVN 5712:1993), Vietnamese, one byte a letter.
    Tcvn3,
    /// VNI-Windows (Vietnamese; many letters as base letter plus a mark byte).
    VniWindows,
    /// Windows-1251 (Cyrillic).
    Windows1251,
    /// KOI8-R (Russian).
    Koi8R,
}

impl Encoding {
    /// The legacy (pre-Unicode) encodings that [`decode`] detects, in the order it tries them
    /// (the first wins a tie).
    pub const LEGACY: [Encoding; 5] = [
        Encoding::Windows1258,
        Encoding::Tcvn3,
        Encoding::VniWindows,
        Encoding::Windows1251,
        Encoding::Koi8R,
    ];

    /// Every encoding annals reads.
    pub const ALL: [Encoding; 9] = [
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1258,
        Encoding::Tcvn3,
        Encoding::VniWindows,
        Encoding::Windows1251,
        Encoding::Koi8R,
    ];

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
    /// The encoding the bytes were read in; a conversion to report when
    /// [`Encoding::is_converted`].
    pub encoding: Encoding,
    /// How sure detection was, 0..=1 (1 for BOMs and valid UTF-8).
    pub confidence: f32,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// Not text: the kind of file (such as "PNG image") or the evidence (NUL bytes).
    #[error("binary file ({0}), not text")]
    Binary(String),
    /// Text-like, but neither UTF-8 nor convincingly any supported legacy encoding.
    #[error("unknown text encoding: not UTF-8, and no supported legacy encoding fits")]
    UnknownEncoding,
    /// Two or more legacy encodings read the bytes as different, equally plausible text (all
    /// of them, the best reading first): the bytes do not say which was meant, and a wrong
    /// reading is worse than none.
    #[error(
        "ambiguous text encoding: the bytes read as different, plausible text in {}; \
         name the right one with --encoding",
        names(.0)
    )]
    AmbiguousEncoding(Vec<Encoding>),
}

/// "a, b and c".
fn names(encs: &[Encoding]) -> String {
    let names: Vec<&str> = encs.iter().map(|e| e.name()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// How much of a file the control-byte check and the legacy scoring look at.
const CONTROL_SAMPLE: usize = 64 * 1024;
const SCORE_SAMPLE: usize = 256 * 1024;
/// A legacy candidate must score at least this (0..=1) to be accepted.
const ACCEPT_SCORE: f32 = 0.5;
/// A reading scoring this share of the best one's score, as a different text, makes the
/// detection ambiguous.
const AMBIGUOUS_SHARE: f32 = 0.8;

/// Detects the encoding of `bytes` and decodes them.
///
/// Guarantees: binary input (see the module docs) is refused with [`DecodeError::Binary`];
/// valid UTF-8 is returned as [`Encoding::Utf8`] with confidence 1 and one verbatim segment;
/// every character of the result maps to the raw bytes it was decoded from, the ranges lying
/// inside `bytes`, in order and without overlap. Never panics.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(kind) = binary_magic(bytes) {
        return Err(DecodeError::Binary(kind));
    }
    if bytes.starts_with(b"\xFF\xFE\x00\x00") || bytes.starts_with(b"\x00\x00\xFE\xFF") {
        // UTF-32: text, but not an encoding annals reads.
        return Err(DecodeError::UnknownEncoding);
    }
    if let Some(enc) = utf16_bom(bytes) {
        check_utf16_controls(bytes, enc == Encoding::Utf16Le)?;
        let (text, bad) = utf16_mapped(bytes, enc == Encoding::Utf16Le);
        let units = (bytes.len() / 2).max(1);
        let confidence = (1.0 - bad as f32 / units as f32).clamp(0.0, 1.0);
        return Ok(Decoded {
            text,
            encoding: enc,
            confidence,
        });
    }
    let (body, offset, enc) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, UTF8_BOM.len(), Encoding::Utf8Bom),
        None => (bytes, 0, Encoding::Utf8),
    };
    check_controls(body)?;
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Decoded {
            text: MappedText::verbatim(s, offset),
            encoding: enc,
            confidence: 1.0,
        }),
        Err(_) => {
            let (multibyte, invalid) = utf8_census(body);
            if enc == Encoding::Utf8Bom || (multibyte >= 3 && multibyte >= 4 * invalid) {
                // UTF-8 with a few broken sequences: keep it, replacing them with U+FFFD.
                let share = multibyte as f32 / (multibyte + invalid) as f32;
                return Ok(Decoded {
                    text: utf8_lossy_mapped(body, offset),
                    encoding: enc,
                    confidence: 0.9 * share,
                });
            }
            let (encoding, confidence) = detect_legacy(bytes)?;
            Ok(Decoded {
                text: decode_forced(bytes, encoding),
                encoding,
                confidence,
            })
        }
    }
}

/// Decodes `bytes` in the given encoding (no detection).
///
/// Still refuses binary input (magic numbers; NUL or control bytes, judged on the decoded
/// code units for UTF-16). A BOM at the start is skipped for [`Encoding::Utf8Bom`] and the
/// UTF-16 encodings (not for [`Encoding::Utf8`], which keeps it as U+FEFF). Bytes that are
/// not valid in `enc` become U+FFFD (UTF-8, UTF-16) or their Windows-1252 reading (TCVN3,
/// VNI-Windows), each mapped to its bytes. Confidence is 1.
pub fn decode_as(bytes: &[u8], enc: Encoding) -> Result<Decoded, DecodeError> {
    if let Some(kind) = binary_magic(bytes) {
        return Err(DecodeError::Binary(kind));
    }
    match enc {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            check_utf16_controls(bytes, enc == Encoding::Utf16Le)?
        }
        Encoding::Utf8Bom => check_controls(bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes))?,
        _ => check_controls(bytes)?,
    }
    Ok(Decoded {
        text: decode_forced(bytes, enc),
        encoding: enc,
        confidence: 1.0,
    })
}

/// Decodes `bytes` in `enc` with no binary check and no detection: the mapped text that
/// [`decode_as`] returns when it accepts the input. Never fails, never panics.
pub fn decode_forced(bytes: &[u8], enc: Encoding) -> MappedText {
    match enc {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => MappedText::verbatim(s, 0),
            Err(_) => utf8_lossy_mapped(bytes, 0),
        },
        Encoding::Utf8Bom => {
            let (body, off) = match bytes.strip_prefix(UTF8_BOM) {
                Some(rest) => (rest, UTF8_BOM.len()),
                None => (bytes, 0),
            };
            match std::str::from_utf8(body) {
                Ok(s) => MappedText::verbatim(s, off),
                Err(_) => utf8_lossy_mapped(body, off),
            }
        }
        Encoding::Utf16Le | Encoding::Utf16Be => utf16_mapped(bytes, enc == Encoding::Utf16Le).0,
        _ => {
            let mut b = MappedTextBuilder::with_capacity(bytes.len() + bytes.len() / 2);
            walk_legacy(bytes, enc, |piece| match piece {
                Piece::Ascii(s, off) => b.push_verbatim(s, off),
                Piece::Char { c, src, .. } => b.push_char_opaque(c, src),
            });
            b.finish()
        }
    }
}

/// The text of the original bytes `range`, decoded in `enc` and NFC-normalized: the `text`
/// of an exported span. `range` must come from a map of the same source.
///
/// Guarantee: for a text `t` decoded from `bytes` in `enc` (by [`decode`], [`decode_as`] or
/// [`decode_forced`]) and any char-aligned range `r` of it,
/// `decode_range(bytes, enc, t.source_range(r))` equals the NFC form of `t[r]`. A range
/// starting at 0 skips a byte-order mark as the full decoding does. Out-of-bounds ranges are
/// clamped to the input; never panics.
pub fn decode_range(bytes: &[u8], enc: Encoding, range: Range<usize>) -> String {
    let end = range.end.min(bytes.len());
    let start = range.start.min(end);
    let slice = &bytes[start..end];
    let text: String = match enc {
        Encoding::Utf8 => String::from_utf8_lossy(slice).into_owned(),
        Encoding::Utf8Bom => {
            let slice = match slice.strip_prefix(UTF8_BOM) {
                Some(rest) if start == 0 => rest,
                _ => slice,
            };
            String::from_utf8_lossy(slice).into_owned()
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let le = enc == Encoding::Utf16Le;
            let skip = if start == 0 && utf16_bom(slice) == Some(enc) {
                2
            } else {
                0
            };
            let mut s = String::with_capacity(slice.len());
            utf16_walk(&slice[skip..], le, 0, |c, _| s.push(c));
            s
        }
        _ => {
            let mut s = String::with_capacity(slice.len() + slice.len() / 2);
            walk_legacy(slice, enc, |piece| match piece {
                Piece::Ascii(a, _) => s.push_str(a),
                Piece::Char { c, .. } => s.push(c),
            });
            s
        }
    };
    text.nfc().collect()
}

/// Encodes `text` in `enc`, the inverse of [`decode_as`]: `None` if a character cannot be
/// represented. For building test files from text written in UTF-8.
///
/// Windows-1258 writes a letter it lacks in precomposed form as base letter plus combining
/// tone mark (as Windows does); VNI-Windows writes base letter plus mark byte; TCVN3 has no
/// capital letters with a tone mark (VN3 of TCVN 5712 leaves them to an all-capitals font),
/// so those give `None`. The UTF-16 encodings and [`Encoding::Utf8Bom`] start with a BOM.
#[doc(hidden)]
pub fn encode_for_tests(text: &str, enc: Encoding) -> Option<Vec<u8>> {
    let t = tables();
    let mut out = Vec::with_capacity(text.len() + 4);
    match enc {
        Encoding::Utf8 => out.extend_from_slice(text.as_bytes()),
        Encoding::Utf8Bom => {
            out.extend_from_slice(UTF8_BOM);
            out.extend_from_slice(text.as_bytes());
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let le = enc == Encoding::Utf16Le;
            for u in std::iter::once(0xFEFF).chain(text.encode_utf16()) {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
        }
        Encoding::Windows1258 => {
            for c in text.chars() {
                if c.is_ascii() {
                    out.push(c as u8);
                } else if let Some(&b) = t.rev_1258.get(&c) {
                    out.push(b);
                } else {
                    out.extend(encode_1258_decomposed(c, &t.rev_1258)?);
                }
            }
        }
        Encoding::Windows1251 | Encoding::Koi8R | Encoding::Tcvn3 => {
            let rev = match enc {
                Encoding::Windows1251 => &t.rev_1251,
                Encoding::Koi8R => &t.rev_koi8r,
                _ => &t.rev_tcvn3,
            };
            for c in text.chars() {
                if c.is_ascii() {
                    out.push(c as u8);
                } else {
                    out.push(*rev.get(&c)?);
                }
            }
        }
        Encoding::VniWindows => {
            for c in text.chars() {
                if c.is_ascii() {
                    out.push(c as u8);
                } else {
                    let (b1, b2) = *t.rev_vni.get(&c)?;
                    out.push(b1);
                    if b2 != 0 {
                        out.push(b2);
                    }
                }
            }
        }
    }
    Some(out)
}

/// Windows-1258 bytes for `c` as a precomposed head plus combining marks, if all exist:
/// the head keeps as many of the marks as Windows-1258 has precomposed (ê of ế, ơ of ờ),
/// the rest follow as combining characters.
fn encode_1258_decomposed(c: char, rev: &HashMap<char, u8>) -> Option<Vec<u8>> {
    let parts: Vec<char> = c.nfd().collect();
    let (&base, marks) = parts.split_first()?;
    if marks.len() > 4 {
        return None;
    }
    let mut masks: Vec<u32> = (0..1u32 << marks.len()).collect();
    masks.sort_by_key(|m| std::cmp::Reverse(m.count_ones()));
    for mask in masks {
        let in_head = |i: usize| mask & (1 << i) != 0;
        let head: String = std::iter::once(base)
            .chain(
                marks
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| in_head(i))
                    .map(|(_, &m)| m),
            )
            .collect::<String>()
            .nfc()
            .collect();
        let mut hc = head.chars();
        let (Some(h), None) = (hc.next(), hc.next()) else {
            continue;
        };
        let Some(first) = byte_1258(h, rev) else {
            continue;
        };
        let mut out = vec![first];
        for (i, &m) in marks.iter().enumerate() {
            if !in_head(i) {
                out.push(byte_1258(m, rev)?);
            }
        }
        return Some(out);
    }
    None
}

fn byte_1258(c: char, rev: &HashMap<char, u8>) -> Option<u8> {
    if c.is_ascii() {
        Some(c as u8)
    } else {
        rev.get(&c).copied()
    }
}

// ---------------------------------------------------------------------------------------
// Binary sniffing
// ---------------------------------------------------------------------------------------

/// File signatures that mark a file as binary: (leading bytes, what the file is).
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\x1F\x8B", "gzip archive"),
    (b"\x7FELF", "ELF executable"),
    (b"\xFD7zXZ\x00", "xz archive"),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
    (b"Rar!\x1A\x07", "RAR archive"),
    (b"\x28\xB5\x2F\xFD", "zstd archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "OLE2 compound file (old Office .doc/.xls/.ppt)",
    ),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"OggS\x00", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"SQLite format 3\x00", "SQLite database"),
    (
        b"\xCA\xFE\xBA\xBE",
        "Java class file or Mach-O universal binary",
    ),
    (b"\x00asm", "WebAssembly module"),
    (b"\xFE\xED\xFA\xCE", "Mach-O executable"),
    (b"\xFE\xED\xFA\xCF", "Mach-O executable"),
    (b"\xCE\xFA\xED\xFE", "Mach-O executable"),
    (b"\xCF\xFA\xED\xFE", "Mach-O executable"),
    (b"AT&TFORM", "DjVu document"),
];

/// The kind of binary file that `bytes` starts like, by magic number.
fn binary_magic(b: &[u8]) -> Option<String> {
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| b.starts_with(m)) {
        return Some((*what).to_string());
    }
    // Signatures that need more than a prefix.
    let what = if b.starts_with(b"PK\x03\x04")
        || b.starts_with(b"PK\x05\x06")
        || b.starts_with(b"PK\x07\x08")
    {
        zip_kind(b)
    } else if b.len() >= 10 && b.starts_with(b"BZh") && b[4..10] == *b"\x31\x41\x59\x26\x53\x59" {
        "bzip2 archive"
    } else if b.len() >= 12 && b.starts_with(b"RIFF") {
        match &b[8..12] {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAVE audio",
            b"AVI " => "AVI video",
            _ => "RIFF media file",
        }
    } else if b.len() >= 12 && &b[4..8] == b"ftyp" {
        "MP4/QuickTime media"
    } else if b.len() >= 5 && b.starts_with(b"ID3") && (2..=4).contains(&b[3]) && b[4] == 0 {
        "MP3 audio"
    } else if b.starts_with(b"MZ") && b.len() >= 64 && b[..64].contains(&0) {
        "Windows executable"
    } else if b.len() >= 14 && b.starts_with(b"BM") && b[6..10] == [0, 0, 0, 0] {
        "BMP image"
    } else {
        return None;
    };
    Some(what.to_string())
}

/// What a ZIP container holds, judged from the member names near its start.
fn zip_kind(b: &[u8]) -> &'static str {
    let head = &b[..b.len().min(64 * 1024)];
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"mimetypeapplication/epub+zip") {
        "EPUB book (ZIP)"
    } else if has(b"mimetypeapplication/vnd.oasis.opendocument") {
        "OpenDocument file (ZIP)"
    } else if has(b"word/") {
        "Word document (docx, ZIP)"
    } else if has(b"xl/") {
        "Excel workbook (xlsx, ZIP)"
    } else if has(b"ppt/") {
        "PowerPoint presentation (pptx, ZIP)"
    } else {
        "ZIP archive"
    }
}

/// Refuses NUL bytes anywhere, and more than 5% C0 control bytes (other than tab, line
/// feed, form feed, carriage return) in the first [`CONTROL_SAMPLE`] bytes.
fn check_controls(b: &[u8]) -> Result<(), DecodeError> {
    if b.contains(&0) {
        return Err(DecodeError::Binary(
            "NUL bytes and no UTF-16 byte-order mark".to_string(),
        ));
    }
    let sample = &b[..b.len().min(CONTROL_SAMPLE)];
    let controls = sample.iter().filter(|&&x| is_bad_control(x as u32)).count();
    control_verdict(controls, sample.len())
}

/// [`check_controls`] for UTF-16, on decoded code units (after the BOM, if any).
fn check_utf16_controls(b: &[u8], le: bool) -> Result<(), DecodeError> {
    let body = if utf16_bom(b).is_some() { &b[2..] } else { b };
    let units: Vec<u16> = body
        .chunks_exact(2)
        .take(CONTROL_SAMPLE / 2)
        .map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        })
        .collect();
    let controls = units.iter().filter(|&&u| is_bad_control(u as u32)).count();
    control_verdict(controls, units.len())
}

fn is_bad_control(x: u32) -> bool {
    x < 0x20 && !matches!(x, 0x09 | 0x0A | 0x0C | 0x0D)
}

fn control_verdict(controls: usize, len: usize) -> Result<(), DecodeError> {
    if controls > 0 && controls * 20 > len {
        let pct = (controls * 100).div_ceil(len.max(1));
        Err(DecodeError::Binary(format!(
            "control characters: {pct}% of the first {len} units"
        )))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// UTF-8 and UTF-16
// ---------------------------------------------------------------------------------------

fn utf16_bom(b: &[u8]) -> Option<Encoding> {
    if b.starts_with(b"\xFF\xFE") {
        Some(Encoding::Utf16Le)
    } else if b.starts_with(b"\xFE\xFF") {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Counts of valid multi-byte characters and of invalid sequences in `b`.
fn utf8_census(b: &[u8]) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0, 0);
    for chunk in b.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (multibyte, invalid)
}

/// UTF-8 with invalid sequences replaced by U+FFFD (one per maximal invalid subpart, as
/// [`String::from_utf8_lossy`] does), `b` starting at source offset `base`.
fn utf8_lossy_mapped(b: &[u8], base: usize) -> MappedText {
    let mut out = MappedTextBuilder::with_capacity(b.len() + 16);
    let mut pos = base;
    for chunk in b.utf8_chunks() {
        out.push_verbatim(chunk.valid(), pos);
        pos += chunk.valid().len();
        let bad = chunk.invalid().len();
        if bad > 0 {
            out.push_char_opaque('\u{FFFD}', pos..pos + bad);
            pos += bad;
        }
    }
    out.finish()
}

/// Decodes UTF-16 (skipping a BOM at the start); returns the text and the number of
/// replacement characters it had to insert.
fn utf16_mapped(b: &[u8], le: bool) -> (MappedText, usize) {
    let skip = if utf16_bom(b).is_some_and(|e| (e == Encoding::Utf16Le) == le) {
        2
    } else {
        0
    };
    let mut out = MappedTextBuilder::with_capacity(b.len());
    let mut bad = 0;
    utf16_walk(&b[skip..], le, skip, |c, src| {
        bad += usize::from(c == '\u{FFFD}');
        out.push_char_opaque(c, src);
    });
    (out.finish(), bad)
}

/// Calls `f` with each character of UTF-16 `b` and its source range (offset by `base`):
/// a surrogate pair is one character of 4 bytes, a lone surrogate is U+FFFD for 2 bytes, an
/// odd last byte is U+FFFD for 1 byte.
fn utf16_walk(b: &[u8], le: bool, base: usize, mut f: impl FnMut(char, Range<usize>)) {
    let unit = |i: usize| {
        if le {
            u16::from_le_bytes([b[i], b[i + 1]])
        } else {
            u16::from_be_bytes([b[i], b[i + 1]])
        }
    };
    let mut i = 0;
    while i + 1 < b.len() {
        let u = unit(i);
        if (0xD800..0xDC00).contains(&u) && i + 3 < b.len() {
            let lo = unit(i + 2);
            if (0xDC00..0xE000).contains(&lo) {
                let cp = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                f(
                    char::from_u32(cp).unwrap_or('\u{FFFD}'),
                    base + i..base + i + 4,
                );
                i += 4;
                continue;
            }
        }
        f(
            char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
            base + i..base + i + 2,
        );
        i += 2;
    }
    if i < b.len() {
        f('\u{FFFD}', base + i..base + i + 1);
    }
}

// ---------------------------------------------------------------------------------------
// Legacy tables
// ---------------------------------------------------------------------------------------

/// The twelve Vietnamese vowel letters (lowercase), each with its six tone forms, in the
/// order level, sắc (acute), huyền (grave), hỏi (hook above), ngã (tilde), nặng (dot below).
const VOWELS: [[char; 6]; 12] = [
    ['a', 'á', 'à', 'ả', 'ã', 'ạ'],
    ['ă', 'ắ', 'ằ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ấ', 'ầ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'é', 'è', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ế', 'ề', 'ể', 'ễ', 'ệ'],
    ['i', 'í', 'ì', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ó', 'ò', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ố', 'ồ', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ớ', 'ờ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ú', 'ù', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ứ', 'ừ', 'ử', 'ữ', 'ự'],
    ['y', 'ý', 'ỳ', 'ỷ', 'ỹ', 'ỵ'],
];

/// TCVN3 (ABC; VN3 of TCVN 5712:1993) byte of each lowercase letter of [`VOWELS`].
///
/// Written for annals and checked against `lamdao/xvnkb` `tcvn.h`,
/// `duydev/vietnamese-conversion` `src/charsets.ts` and XFree86's
/// `xc/lib/X11/lcUniConv/tcvn.h` (lowercase range 0xB5–0xFE).
const TCVN3_VOWELS: [[u8; 6]; 12] = [
    [b'a', 0xB8, 0xB5, 0xB6, 0xB7, 0xB9],
    [0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6],
    [0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB],
    [b'e', 0xD0, 0xCC, 0xCE, 0xCF, 0xD1],
    [0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6],
    [b'i', 0xDD, 0xD7, 0xD8, 0xDC, 0xDE],
    [b'o', 0xE3, 0xDF, 0xE1, 0xE2, 0xE4],
    [0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9],
    [0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE],
    [b'u', 0xF3, 0xEF, 0xF1, 0xF2, 0xF4],
    [0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9],
    [b'y', 0xFD, 0xFA, 0xFB, 0xFC, 0xFE],
];

/// The Vietnamese letter TCVN3 draws at `byte` (0x80 and above), where it draws one: the
/// table [`decode`] reads whole TCVN3 files with, for text that holds one TCVN3 line read
/// as Latin-1 (`source::legacy`).
pub fn tcvn3_letter(byte: u8) -> Option<char> {
    if byte < 0x80 {
        return None;
    }
    VOWELS
        .iter()
        .zip(TCVN3_VOWELS)
        .flat_map(|(row, bytes)| row.iter().copied().zip(bytes))
        .find(|&(_, b)| b == byte)
        .map(|(c, _)| c)
        .or_else(|| {
            TCVN3_OTHERS
                .iter()
                .find(|&&(_, b)| b == byte)
                .map(|&(c, _)| c)
        })
}

/// The other TCVN3 letters: the capitals with a vowel mark or stroke (VN3 has no capital
/// with a tone mark) and lowercase đ.
const TCVN3_OTHERS: [(char, u8); 8] = [
    ('Ă', 0xA1),
    ('Â', 0xA2),
    ('Ê', 0xA3),
    ('Ô', 0xA4),
    ('Ơ', 0xA5),
    ('Ư', 0xA6),
    ('Đ', 0xA7),
    ('đ', 0xAE),
];

/// VNI-Windows spelling of each lowercase letter of [`VOWELS`]: a first byte and a mark
/// byte (0 for none). Capitals use the ASCII capital and each byte ≥ 0xC0 minus 0x20.
///
/// Written for annals and checked against `lamdao/xvnkb` `vni.h` and
/// `duydev/vietnamese-conversion` `src/charsets.ts`. Marks: 0xF9 sắc, 0xF8 huyền, 0xFB hỏi,
/// 0xF5 ngã, 0xEF nặng; circumflex with tones 0xE2 0xE1 0xE0 0xE5 0xE3 0xE4; breve with
/// tones 0xEA 0xE9 0xE8 0xFA 0xFC 0xEB. Single bytes: ơ 0xF4, ư 0xF6, đ 0xF1, the toned i
/// (0xED 0xEC 0xE6 0xF3 0xF2) and ỵ 0xEE.
#[rustfmt::skip]
const VNI_VOWELS: [[(u8, u8); 6]; 12] = [
    [(b'a', 0), (b'a', 0xF9), (b'a', 0xF8), (b'a', 0xFB), (b'a', 0xF5), (b'a', 0xEF)],
    [(b'a', 0xEA), (b'a', 0xE9), (b'a', 0xE8), (b'a', 0xFA), (b'a', 0xFC), (b'a', 0xEB)],
    [(b'a', 0xE2), (b'a', 0xE1), (b'a', 0xE0), (b'a', 0xE5), (b'a', 0xE3), (b'a', 0xE4)],
    [(b'e', 0), (b'e', 0xF9), (b'e', 0xF8), (b'e', 0xFB), (b'e', 0xF5), (b'e', 0xEF)],
    [(b'e', 0xE2), (b'e', 0xE1), (b'e', 0xE0), (b'e', 0xE5), (b'e', 0xE3), (b'e', 0xE4)],
    [(b'i', 0), (0xED, 0), (0xEC, 0), (0xE6, 0), (0xF3, 0), (0xF2, 0)],
    [(b'o', 0), (b'o', 0xF9), (b'o', 0xF8), (b'o', 0xFB), (b'o', 0xF5), (b'o', 0xEF)],
    [(b'o', 0xE2), (b'o', 0xE1), (b'o', 0xE0), (b'o', 0xE5), (b'o', 0xE3), (b'o', 0xE4)],
    [(0xF4, 0), (0xF4, 0xF9), (0xF4, 0xF8), (0xF4, 0xFB), (0xF4, 0xF5), (0xF4, 0xEF)],
    [(b'u', 0), (b'u', 0xF9), (b'u', 0xF8), (b'u', 0xFB), (b'u', 0xF5), (b'u', 0xEF)],
    [(0xF6, 0), (0xF6, 0xF9), (0xF6, 0xF8), (0xF6, 0xFB), (0xF6, 0xF5), (0xF6, 0xEF)],
    [(b'y', 0), (b'y', 0xF9), (b'y', 0xF8), (b'y', 0xFB), (b'y', 0xF5), (0xEE, 0)],
];

/// VNI-Windows byte of đ (Đ is this minus 0x20).
const VNI_D_STROKE: u8 = 0xF1;

/// A decoded high byte: the character and whether it is odd for the encoding (a byte that
/// real text in it does not contain on its own, such as a lone VNI mark byte).
type HighByte = (char, bool);

/// All derived decoding and encoding tables, built once.
struct Tables {
    w1258: [char; 128],
    w1251: [char; 128],
    koi8r: [char; 128],
    tcvn3: [HighByte; 128],
    vni_single: [HighByte; 128],
    /// VNI two-byte letters: index `first * 64 + (second - 0xC0)`, '\0' for none.
    vni_pairs: Vec<char>,
    vni_is_first: [bool; 256],
    rev_1258: HashMap<char, u8>,
    rev_1251: HashMap<char, u8>,
    rev_koi8r: HashMap<char, u8>,
    rev_tcvn3: HashMap<char, u8>,
    rev_vni: HashMap<char, (u8, u8)>,
    /// Vietnamese vowel letters (both cases): lowercase base letter and tone (0 = level).
    viet_vowels: HashMap<char, (char, u8)>,
    viet_common: HashSet<&'static str>,
    ru_common: HashSet<&'static str>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build_tables)
}

/// The 128 high-byte characters of an `encoding_rs` single-byte encoding.
fn high_half(enc: &'static encoding_rs::Encoding) -> [char; 128] {
    let mut t = ['\u{FFFD}'; 128];
    for (i, slot) in t.iter_mut().enumerate() {
        let byte = [0x80 + i as u8];
        let (s, _) = enc.decode_without_bom_handling(&byte);
        *slot = s.chars().next().unwrap_or('\u{FFFD}');
    }
    t
}

fn reverse(high: impl Iterator<Item = char>) -> HashMap<char, u8> {
    let mut m = HashMap::new();
    for (i, c) in high.enumerate() {
        m.entry(c).or_insert(0x80 + i as u8);
    }
    m
}

fn upper(c: char) -> char {
    let mut u = c.to_uppercase();
    match (u.next(), u.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

fn lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// The VNI capital form of a byte: ASCII uppercase, or minus 0x20 for bytes ≥ 0xE0.
fn vni_upper_byte(b: u8) -> u8 {
    match b {
        0 => 0,
        0xE0.. => b - 0x20,
        _ => b.to_ascii_uppercase(),
    }
}

fn build_tables() -> Tables {
    let w1252 = high_half(encoding_rs::WINDOWS_1252);
    let w1258 = high_half(encoding_rs::WINDOWS_1258);
    let w1251 = high_half(encoding_rs::WINDOWS_1251);
    let koi8r = high_half(encoding_rs::KOI8_R);

    // Vietnamese letters.
    let mut viet_vowels = HashMap::new();
    for row in VOWELS {
        for (tone, &c) in row.iter().enumerate() {
            viet_vowels.insert(c, (row[0], tone as u8));
            viet_vowels.insert(upper(c), (row[0], tone as u8));
        }
    }

    // TCVN3: VN3 letters; elsewhere Windows-1252, odd where VN3 leaves a gap among letters.
    let mut tcvn3: [HighByte; 128] = std::array::from_fn(|i| (w1252[i], i >= 0x21));
    let mut rev_tcvn3 = HashMap::new();
    for (row, bytes) in VOWELS.iter().zip(TCVN3_VOWELS) {
        for (&c, b) in row.iter().zip(bytes) {
            if b >= 0x80 {
                tcvn3[usize::from(b - 0x80)] = (c, false);
                rev_tcvn3.insert(c, b);
            }
        }
    }
    for (c, b) in TCVN3_OTHERS {
        tcvn3[usize::from(b - 0x80)] = (c, false);
        rev_tcvn3.insert(c, b);
    }
    for (i, &(c, odd)) in tcvn3.iter().enumerate() {
        if i <= 0x20 && !odd {
            rev_tcvn3.entry(c).or_insert(0x80 + i as u8);
        }
    }

    // VNI-Windows.
    let mut vni_single: [HighByte; 128] = std::array::from_fn(|i| (w1252[i], false));
    let mut vni_pairs = vec!['\0'; 256 * 64];
    let mut vni_is_first = [false; 256];
    let mut rev_vni = HashMap::new();
    let mut vni_letter_bytes = HashSet::new();
    let mut vni_mark_bytes = HashSet::new();
    for (row, spellings) in VOWELS.iter().zip(VNI_VOWELS) {
        for (&c, (b1, b2)) in row.iter().zip(spellings) {
            for (ch, x1, x2) in [
                (c, b1, b2),
                (upper(c), vni_upper_byte(b1), vni_upper_byte(b2)),
            ] {
                rev_vni.insert(ch, (x1, x2));
                if x2 != 0 {
                    vni_pairs[usize::from(x1) * 64 + usize::from(x2 - 0xC0)] = ch;
                    vni_is_first[usize::from(x1)] = true;
                    vni_mark_bytes.insert(x2);
                } else if x1 >= 0x80 {
                    vni_single[usize::from(x1 - 0x80)] = (ch, false);
                    vni_letter_bytes.insert(x1);
                }
            }
        }
    }
    for (ch, b) in [('đ', VNI_D_STROKE), ('Đ', VNI_D_STROKE - 0x20)] {
        vni_single[usize::from(b - 0x80)] = (ch, false);
        vni_letter_bytes.insert(b);
        rev_vni.insert(ch, (b, 0));
    }
    for &m in &vni_mark_bytes {
        vni_single[usize::from(m - 0x80)].1 = true;
    }
    for (i, &c) in w1252.iter().enumerate() {
        let b = 0x80 + i as u8;
        if !vni_mark_bytes.contains(&b) && !vni_letter_bytes.contains(&b) {
            rev_vni.entry(c).or_insert((b, 0));
        }
    }

    let viet_common = VIET_COMMON.iter().copied().collect();
    let ru_common = RU_COMMON.iter().copied().collect();
    Tables {
        rev_1258: reverse(w1258.iter().copied()),
        rev_1251: reverse(w1251.iter().copied()),
        rev_koi8r: reverse(koi8r.iter().copied()),
        rev_tcvn3,
        rev_vni,
        w1258,
        w1251,
        koi8r,
        tcvn3,
        vni_single,
        vni_pairs,
        vni_is_first,
        viet_vowels,
        viet_common,
        ru_common,
    }
}

/// A step of decoding a legacy encoding: a run of ASCII (identical in UTF-8) at a source
/// offset, or one decoded character with its source range.
enum Piece<'a> {
    Ascii(&'a str, usize),
    Char {
        c: char,
        src: Range<usize>,
        odd: bool,
    },
}

/// Decodes `b` in a legacy encoding, calling `f` with each piece in order. Decoding is
/// greedy from the left with no look-behind, so decoding a sub-range that starts and ends
/// on piece boundaries gives the same pieces.
fn walk_legacy(b: &[u8], enc: Encoding, mut f: impl FnMut(Piece<'_>)) {
    let t = tables();
    let single: &dyn Fn(u8) -> HighByte = match enc {
        Encoding::Windows1258 => &|x| (t.w1258[usize::from(x - 0x80)], false),
        Encoding::Windows1251 => &|x| (t.w1251[usize::from(x - 0x80)], false),
        Encoding::Koi8R => &|x| (t.koi8r[usize::from(x - 0x80)], false),
        Encoding::Tcvn3 => &|x| t.tcvn3[usize::from(x - 0x80)],
        Encoding::VniWindows => &|x| t.vni_single[usize::from(x - 0x80)],
        // Not legacy: callers never pass these; read them as Windows-1258 to stay total.
        _ => &|x| (t.w1258[usize::from(x - 0x80)], false),
    };
    let vni = enc == Encoding::VniWindows;
    let mut run = 0; // start of the pending ASCII run
    let mut i = 0;
    let flush = |f: &mut dyn FnMut(Piece<'_>), run: usize, i: usize| {
        if i > run {
            let s = std::str::from_utf8(&b[run..i]).unwrap_or_default();
            f(Piece::Ascii(s, run));
        }
    };
    while i < b.len() {
        let x = b[i];
        if vni && t.vni_is_first[usize::from(x)] && i + 1 < b.len() && b[i + 1] >= 0xC0 {
            let c = t.vni_pairs[usize::from(x) * 64 + usize::from(b[i + 1] - 0xC0)];
            if c != '\0' {
                flush(&mut f, run, i);
                f(Piece::Char {
                    c,
                    src: i..i + 2,
                    odd: false,
                });
                i += 2;
                run = i;
                continue;
            }
        }
        if x < 0x80 {
            i += 1;
            continue;
        }
        flush(&mut f, run, i);
        let (c, odd) = single(x);
        f(Piece::Char {
            c,
            src: i..i + 1,
            odd,
        });
        i += 1;
        run = i;
    }
    flush(&mut f, run, i);
}

// ---------------------------------------------------------------------------------------
// Detection: a small language model
// ---------------------------------------------------------------------------------------

/// Frequent Vietnamese syllables that carry a diacritic.
#[rustfmt::skip]
const VIET_COMMON: &[&str] = &[
    "của", "và", "các", "những", "được", "một", "người", "với", "năm", "không", "có", "là",
    "đã", "này", "việt", "để", "đến", "từ", "về", "nhiều", "đó", "khi", "trên", "tại", "nước",
    "liên", "xô", "hiệp", "định", "ước", "hợp", "tác", "tế", "học", "sinh", "viên", "ở",
    "giữa", "thời", "chính", "phủ", "quốc", "đảng", "cộng", "sản", "việc", "làm", "mới",
    "hơn", "như", "cũng", "vào", "lại", "đầu", "sự", "thành", "phố", "công", "trình", "đồng",
    "chí", "hội", "nghị", "kỹ", "thuật", "giúp", "đỡ", "bộ", "cán", "đi", "đây", "nhà",
    "còn", "rất", "thì", "mà", "sẽ", "bị", "trường", "đại", "hà", "nội", "hồ", "chủ",
    "tịch", "ông", "bà", "chị", "phải", "nói", "cả", "hiện", "vì",
];

/// Frequent Russian words.
#[rustfmt::skip]
const RU_COMMON: &[&str] = &[
    "и", "в", "во", "не", "на", "что", "с", "со", "по", "как", "это", "он", "она", "они", "к",
    "из", "для", "от", "о", "об", "был", "была", "были", "года", "году", "также", "после",
    "его", "её", "их", "но", "а", "же", "то", "все", "при", "между", "советского", "союза",
    "ссср", "этот", "который", "которые", "лет", "так", "уже", "только",
];

/// The nine most frequent Russian letters (about 62% of letters in running text).
const RU_FREQUENT: &str = "оеаинтсрв";

/// Punctuation that legacy text may hold besides letters: not evidence against a reading.
fn is_common_punct(c: char) -> bool {
    matches!(
        c,
        '\u{A0}'
            | '–'
            | '—'
            | '‘'
            | '’'
            | '‚'
            | '“'
            | '”'
            | '„'
            | '…'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '•'
            | '·'
            | '°'
            | '§'
            | '№'
            | '€'
            | '₫'
            | '©'
            | '®'
            | '™'
    )
}

fn is_viet_consonant(c: char) -> bool {
    matches!(
        c,
        'b' | 'c'
            | 'd'
            | 'đ'
            | 'g'
            | 'h'
            | 'k'
            | 'l'
            | 'm'
            | 'n'
            | 'p'
            | 'q'
            | 'r'
            | 's'
            | 't'
            | 'v'
            | 'x'
    )
}

fn is_vowel_base(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// Whether a rime's vowel cluster stands alone, needs a final consonant, or allows both.
#[derive(PartialEq)]
enum Cluster {
    Open,
    Closed,
    Either,
}

fn cluster_class(c: &str) -> Option<Cluster> {
    Some(match c {
        "a" | "e" | "ê" | "i" | "o" | "ô" | "ơ" | "u" | "ư" | "y" | "oa" | "oe" | "uê" | "uy" => {
            Cluster::Either
        }
        "ă" | "â" | "iê" | "yê" | "uô" | "ươ" | "uyê" | "oă" | "uâ" | "oo" => {
            Cluster::Closed
        }
        "ai" | "ay" | "ây" | "ao" | "au" | "âu" | "eo" | "êu" | "ia" | "iu" | "oi" | "ôi"
        | "ơi" | "ua" | "ui" | "ưa" | "ưi" | "ưu" | "uơ" | "uya" | "uyu" | "iêu" | "yêu"
        | "uôi" | "ươi" | "ươu" | "oai" | "oay" | "oao" | "oeo" | "uây" => Cluster::Open,
        _ => return None,
    })
}

/// Initial consonants, longest first. After the native ones come the clusters that
/// transliterated foreign names use (Mát-xcơ-va, Brê-giơ-nép, Vla-đi-vô-xtốc, Lê-nin-grát).
const INITIALS: [&str; 45] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "", "xtr", "xc", "xt", "xp", "xl", "xm",
    "xn", "br", "bl", "cr", "cl", "gr", "gl", "pr", "pl", "kr", "vl",
];

/// True if `word` is a well-formed Vietnamese syllable: optional initial consonant, a vowel
/// cluster, optional final consonant; at most one tone mark; only sắc or nặng before a stop
/// final (c, ch, p, t); c/k spelled by the following vowel; and lowercase, capitalized or
/// all-capitals.
fn is_viet_syllable(word: &str, t: &Tables) -> bool {
    let mut bases = String::with_capacity(word.len());
    let mut tone = 0u8;
    let (mut n, mut n_upper, mut first_upper) = (0usize, 0usize, false);
    for c in word.chars() {
        if c.is_uppercase() {
            n_upper += 1;
            first_upper |= n == 0;
        }
        n += 1;
        if let Some(&(base, tn)) = t.viet_vowels.get(&c) {
            if tn > 0 {
                if tone > 0 {
                    return false;
                }
                tone = tn;
            }
            bases.push(base);
        } else {
            let l = lower(c);
            if !is_viet_consonant(l) {
                return false;
            }
            bases.push(l);
        }
    }
    let case_ok = n_upper == 0 || n_upper == n || (n_upper == 1 && first_upper);
    case_ok
        && INITIALS.iter().any(|init| {
            bases
                .strip_prefix(init)
                .is_some_and(|rest| rime_ok(init, rest, tone))
        })
}

fn rime_ok(init: &str, rest: &str, tone: u8) -> bool {
    let split = rest
        .char_indices()
        .find(|&(_, c)| !is_vowel_base(c))
        .map_or(rest.len(), |(i, _)| i);
    let (cluster, fin) = rest.split_at(split);
    let Some(first) = cluster.chars().next() else {
        return false;
    };
    let Some(class) = cluster_class(cluster) else {
        return false;
    };
    let last = cluster.chars().next_back().unwrap_or(first);
    let fin_ok = match fin {
        "" => class != Cluster::Closed,
        "c" | "p" | "t" => class != Cluster::Open && matches!(tone, 1 | 5),
        "ch" => class != Cluster::Open && matches!(tone, 1 | 5) && matches!(last, 'a' | 'ê' | 'i'),
        "nh" => class != Cluster::Open && matches!(last, 'a' | 'ê' | 'i' | 'y'),
        "m" | "n" | "ng" => class != Cluster::Open,
        _ => false,
    };
    let front = matches!(first, 'i' | 'e' | 'ê' | 'y');
    let spelling_ok = match init {
        "c" => !front,
        "k" => front,
        "gh" | "ngh" => matches!(first, 'i' | 'e' | 'ê'),
        "qu" => first != 'u',
        "gi" => first != 'i',
        _ => true,
    };
    fin_ok && spelling_ok
}

/// Splits text into words: maximal runs of alphabetic characters.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

/// Shrinks a score measured on `n` observations toward 0 when `n` is small.
fn shrink(n: usize) -> f32 {
    n as f32 / (n as f32 + 1.0)
}

/// How much `text` (a decoding, NFC) reads like Vietnamese, 0..=1. `decoder_odd` counts
/// bytes the decoder found odd for its encoding.
fn score_vietnamese(text: &str, decoder_odd: usize) -> f32 {
    let t = tables();
    let (mut nonascii, mut odd) = (0usize, decoder_odd);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        nonascii += 1;
        let letter = t.viet_vowels.contains_key(&c) || c == 'đ' || c == 'Đ';
        if !letter && !is_common_punct(c) {
            odd += 1;
        }
    }
    let (mut marked, mut valid, mut common) = (0usize, 0usize, 0usize);
    for w in words(text).filter(|w| !w.is_ascii()) {
        marked += 1;
        if is_viet_syllable(w, t) {
            valid += 1;
            let lw: String = w.chars().map(lower).collect();
            common += usize::from(t.viet_common.contains(lw.as_str()));
        }
    }
    if marked == 0 {
        return 0.0;
    }
    let valid_frac = valid as f32 / marked as f32;
    let clean = 1.0 - (odd as f32 / nonascii.max(1) as f32).min(1.0);
    let common_factor = 0.9 + 0.1 * (4.0 * common as f32 / marked as f32).min(1.0);
    valid_frac * valid_frac * clean * clean * shrink(marked) * common_factor
}

fn is_cyrillic_letter(c: char) -> bool {
    ('\u{400}'..='\u{4FF}').contains(&c) && c.is_alphabetic()
}

/// How much `text` reads like Russian, 0..=1: word shapes (no mixed scripts, sensible
/// case), frequency of the nine most common letters, share of lowercase letters (the
/// classic Windows-1251 versus KOI8-R test: they swap the cases) and common words.
fn score_russian(text: &str, decoder_odd: usize) -> f32 {
    let t = tables();
    let (mut nonascii, mut odd) = (0usize, decoder_odd);
    let (mut letters, mut frequent, mut lowercase) = (0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        nonascii += 1;
        if is_cyrillic_letter(c) {
            letters += 1;
            let l = lower(c);
            lowercase += usize::from(l == c);
            frequent += usize::from(RU_FREQUENT.contains(l));
        } else if !is_common_punct(c) {
            odd += 1;
        }
    }
    let (mut cyr_words, mut valid, mut common) = (0usize, 0usize, 0usize);
    for w in words(text).filter(|w| w.chars().any(is_cyrillic_letter)) {
        cyr_words += 1;
        let n = w.chars().count();
        let n_upper = w.chars().filter(|c| c.is_uppercase()).count();
        let first_upper = w.chars().next().is_some_and(char::is_uppercase);
        let case_ok = n_upper == 0 || n_upper == n || (n_upper == 1 && first_upper);
        if case_ok && w.chars().all(is_cyrillic_letter) {
            valid += 1;
            let lw: String = w.chars().map(lower).collect();
            common += usize::from(t.ru_common.contains(lw.as_str()));
        }
    }
    if cyr_words == 0 || letters == 0 {
        return 0.0;
    }
    let valid_frac = valid as f32 / cyr_words as f32;
    let freq_share = frequent as f32 / letters as f32;
    let freq_factor = ((freq_share - 0.25) / 0.2).clamp(0.0, 1.0);
    let lower_factor = 0.6 + 0.4 * (lowercase as f32 / letters as f32 / 0.6).min(1.0);
    let clean = 1.0 - (odd as f32 / nonascii.max(1) as f32).min(1.0);
    let common_factor = 0.8 + 0.2 * (4.0 * common as f32 / cyr_words as f32).min(1.0);
    valid_frac
        * valid_frac
        * freq_factor
        * lower_factor
        * clean
        * clean
        * shrink(cyr_words)
        * common_factor
}

/// The detection score (0..=1) of each legacy encoding for `bytes`, in
/// [`Encoding::LEGACY`] order: how much a sample decoded in it reads like the language the
/// encoding is for. For diagnostics and tests.
#[doc(hidden)]
pub fn legacy_scores(bytes: &[u8]) -> Vec<(Encoding, f32)> {
    scored_readings(bytes)
        .into_iter()
        .map(|(enc, score, _)| (enc, score))
        .collect()
}

/// Every legacy encoding's reading of a sample of `bytes` (NFC for the Vietnamese ones)
/// with its score, in [`Encoding::LEGACY`] order.
fn scored_readings(bytes: &[u8]) -> Vec<(Encoding, f32, String)> {
    let sample = &bytes[..bytes.len().min(SCORE_SAMPLE)];
    Encoding::LEGACY
        .iter()
        .map(|&enc| {
            let mut s = String::with_capacity(sample.len() * 2);
            let mut odd = 0;
            walk_legacy(sample, enc, |piece| match piece {
                Piece::Ascii(a, _) => s.push_str(a),
                Piece::Char { c, odd: o, .. } => {
                    s.push(c);
                    odd += usize::from(o);
                }
            });
            match enc {
                Encoding::Windows1251 | Encoding::Koi8R => {
                    let score = score_russian(&s, odd);
                    (enc, score, s)
                }
                _ => {
                    let s: String = s.nfc().collect();
                    (enc, score_vietnamese(&s, odd), s)
                }
            }
        })
        .collect()
}

/// Picks the legacy encoding of `bytes`, or refuses. The best score must reach
/// [`ACCEPT_SCORE`], and no other encoding that reads the bytes as a different text may
/// come close to it (within [`AMBIGUOUS_SHARE`] of it): a few syllables can be
/// well-formed Vietnamese in two encodings at once ("thống" in VNI-Windows is "thoáng" in
/// Windows-1258), and then the bytes do not say which was meant. Confidence is the best
/// score less half the runner-up's.
fn detect_legacy(bytes: &[u8]) -> Result<(Encoding, f32), DecodeError> {
    let readings = scored_readings(bytes);
    let mut best = &readings[0];
    for r in &readings[1..] {
        if r.1 > best.1 {
            best = r;
        }
    }
    if best.1 < ACCEPT_SCORE {
        return Err(DecodeError::UnknownEncoding);
    }
    let mut second = 0.0f32;
    let mut rivals: Vec<&(Encoding, f32, String)> = Vec::new();
    for r in readings.iter().filter(|r| r.0 != best.0) {
        if r.1 >= AMBIGUOUS_SHARE * best.1 && r.2 != best.2 {
            rivals.push(r);
        }
        second = second.max(r.1);
    }
    if !rivals.is_empty() {
        rivals.sort_by(|a, b| b.1.total_cmp(&a.1));
        let encs = std::iter::once(best.0).chain(rivals.iter().map(|r| r.0));
        return Err(DecodeError::AmbiguousEncoding(encs.collect()));
    }
    Ok((best.0, (best.1 - 0.5 * second).clamp(0.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8], enc: Encoding) -> String {
        decode_as(bytes, enc).unwrap().text.as_str().nfc().collect()
    }

    #[test]
    fn vni_public_examples() {
        // The README example of duydev/vietnamese-conversion: "Xin chào các bạn".
        assert_eq!(
            dec(b"Xin cha\xF8o ca\xF9c ba\xEFn", Encoding::VniWindows),
            "Xin chào các bạn"
        );
        assert_eq!(dec(b"Vie\xE4t Nam", Encoding::VniWindows), "Việt Nam");
        // Capitals use the capital mark bytes; Ơ Ư Đ are single bytes.
        assert_eq!(
            dec(b"\xD1A\xD8 N\xC6\xD4\xD9C", Encoding::VniWindows),
            "ĐÀ NỈỚC"
        );
        assert_eq!(dec(b"\xD6\xD4\xD9", Encoding::VniWindows), "ƯỚ");
        assert_eq!(dec(b"ng\xF6\xF4\xF8i", Encoding::VniWindows), "người");
    }

    #[test]
    fn tcvn3_public_examples() {
        // From a public TCVN3 converter's examples: "Bảo Thắng", "Mường Khương", "Bát Xát".
        assert_eq!(dec(b"B\xB6o Th\xBEng", Encoding::Tcvn3), "Bảo Thắng");
        assert_eq!(
            dec(b"M\xAD\xEAng Kh\xAD\xACng", Encoding::Tcvn3),
            "Mường Khương"
        );
        assert_eq!(dec(b"B\xB8t X\xB8t", Encoding::Tcvn3), "Bát Xát");
        assert_eq!(dec(b"Vi\xD6t Nam", Encoding::Tcvn3), "Việt Nam");
        assert_eq!(dec(b"\xA7\xB6ng", Encoding::Tcvn3), "Đảng");
    }

    #[test]
    fn windows1258_combining_marks() {
        // ệ is ê (0xEA) plus combining dot below (0xF2).
        let d = decode_as(b"Vi\xEA\xF2t", Encoding::Windows1258).unwrap();
        assert_eq!(d.text.as_str(), "Viê\u{323}t");
        assert_eq!(dec(b"Vi\xEA\xF2t", Encoding::Windows1258), "Việt");
        assert_eq!(
            encode_for_tests("Việt Nam, Hà Nội", Encoding::Windows1258).unwrap(),
            b"Vi\xEA\xF2t Nam, H\xE0 N\xF4\xF2i"
        );
    }

    #[test]
    fn vni_pair_maps_to_two_bytes() {
        let d = decode_as(b"Vie\xE4t", Encoding::VniWindows).unwrap();
        assert_eq!(d.text.as_str(), "Việt");
        let pos = "Vi".len();
        assert_eq!(d.text.source_range(pos..pos + 'ệ'.len_utf8()), 2..4);
        assert_eq!(d.text.source_range(0..d.text.len()), 0..5);
    }

    #[test]
    fn every_letter_round_trips() {
        let mut all = String::new();
        for row in VOWELS {
            for c in row {
                all.push(c);
                all.push(upper(c));
            }
        }
        all.push_str("đĐ");
        for enc in Encoding::ALL {
            if enc == Encoding::Tcvn3 || enc == Encoding::Windows1251 || enc == Encoding::Koi8R {
                continue;
            }
            let bytes = encode_for_tests(&all, enc).unwrap_or_else(|| panic!("{enc:?}"));
            assert_eq!(dec(&bytes, enc), all, "{enc:?}");
        }
        let lower_only: String = all.chars().filter(|c| !c.is_uppercase()).collect();
        let bytes = encode_for_tests(&lower_only, Encoding::Tcvn3).unwrap();
        assert_eq!(dec(&bytes, Encoding::Tcvn3), lower_only);
        assert!(encode_for_tests("Ấ", Encoding::Tcvn3).is_none());
    }

    #[test]
    fn tables_are_injective() {
        let t = tables();
        let mut seen = HashSet::new();
        for (c, &b) in &t.rev_tcvn3 {
            assert!(seen.insert(b), "TCVN3 byte {b:#x} twice ({c})");
        }
        let mut seen = HashSet::new();
        for (c, &p) in &t.rev_vni {
            assert!(seen.insert(p), "VNI spelling {p:x?} twice ({c})");
        }
    }

    #[test]
    fn syllables() {
        let t = tables();
        for w in [
            "của", "người", "Việt", "được", "nguyễn", "khuya", "quốc", "giữa", "nghĩa", "hoạch",
            "thích", "Mỹ", "kỳ", "tuổi", "khuỷu", "quyết", "gì", "ĐẢNG", "Ở", "ông", "yêu", "xcơ",
            "Brê", "xtốc", "grát",
        ] {
            assert!(is_viet_syllable(w, t), "{w}");
        }
        for w in [
            "été", "très", "où", "für", "Über", "déjà", "àt", "ViỆt", "cía", "kà", "mộtt", "cauc",
            "ñó", "xcưt", "brêt",
        ] {
            assert!(!is_viet_syllable(w, t), "{w}");
        }
    }

    #[test]
    fn binary_kinds() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err(),
            DecodeError::Binary("PNG image".into())
        );
        assert_eq!(
            decode(b"PK\x03\x04\x14\0\0\0\x08\0word/document.xml").unwrap_err(),
            DecodeError::Binary("Word document (docx, ZIP)".into())
        );
        assert!(matches!(decode(b"abc\0def"), Err(DecodeError::Binary(_))));
        assert!(matches!(
            decode(b"\x01\x02\x03\x04 hello"),
            Err(DecodeError::Binary(_))
        ));
        // Tabs, newlines and form feeds are text.
        assert!(decode(b"a\tb\r\nc\x0cd").is_ok());
    }

    #[test]
    fn boms() {
        let d = decode(b"\xEF\xBB\xBFH\xC3\xA0").unwrap();
        assert_eq!(d.encoding, Encoding::Utf8Bom);
        assert_eq!(d.text.as_str(), "Hà");
        assert_eq!(d.text.source_range(0..1), 3..4);
        assert_eq!(
            decode_range(b"\xEF\xBB\xBFH\xC3\xA0", Encoding::Utf8Bom, 0..6),
            "Hà"
        );
        let d = decode(b"\xFE\xFF\x00H\xD8\x3D\xDE\x82").unwrap();
        assert_eq!(d.encoding, Encoding::Utf16Be);
        assert_eq!(d.text.as_str(), "H🚂");
        assert_eq!(d.text.source_range(1..5), 4..8);
    }

    #[test]
    fn utf8_stays_verbatim() {
        let s = "Hiệp ước năm 1978 giữa Việt Nam và Liên Xô.";
        let d = decode(s.as_bytes()).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.confidence, 1.0);
        assert_eq!(d.text.map().segment_count(), 1);
    }
}
