//! Text drawn with a legacy Vietnamese font encoding, read back as Latin-1 by text extraction,
//! repaired to Unicode with the offset map kept exact.
//!
//! Documents typeset before Unicode (and PDFs made from them) use TCVN3 ("ABC"): the
//! Vietnamese letters sit at byte values 0xA1–0xFE, so their text layer reads "N©ng quan hÖ
//! ViÖt-Nga" for "Nâng quan hệ Việt-Nga". The table is the one the decoder reads whole
//! TCVN3 files with (`source::decode::tcvn3_letter`, TCVN 5712:1993). A line is repaired
//! only when it is plainly TCVN3: one of the encoding's symbol codes (©, ª, ®, ¸, µ…, which
//! real text never writes between two letters) stands between ASCII letters, at least two
//! of its codes stand inside words, and the line has no Vietnamese or Cyrillic Unicode
//! letters. French or German text, "© 2012" or «quotes» are left alone.

use crate::text::mapped::{MappedText, MappedTextBuilder};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Latin-1 character → the Vietnamese letter TCVN3 draws at its code (the decoder's table).
static TCVN3: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    (0xA1..=0xFEu8)
        .filter_map(|b| super::decode::tcvn3_letter(b).map(|l| (char::from(b), l)))
        .collect()
});

/// How a PDF's text layer often gives TCVN3's ư (the soft hyphen's code, 0xAD).
const MINUS: char = '\u{2212}';

/// A code of TCVN3 that is a symbol in Latin-1 (not a letter): one between two letters is
/// the mark of the encoding.
fn symbol_code(c: char) -> bool {
    matches!(c, '\u{00A1}'..='\u{00BF}' | '×' | '÷' | MINUS)
        && (TCVN3.contains_key(&c) || c == MINUS)
}

/// Whether `line` is TCVN3 read as Latin-1.
pub fn is_tcvn3(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    if chars.iter().any(|&c| {
        c != MINUS
            && c as u32 > 0xFF
            && (c.is_alphabetic() || ('\u{0300}'..='\u{036F}').contains(&c))
    }) {
        return false;
    }
    let ascii = |i: usize| chars.get(i).is_some_and(char::is_ascii_alphabetic);
    // A symbol code between two ASCII letters ("N©ng"): the encoding's signature.
    let signed = (1..chars.len())
        .any(|i| chars[i] != MINUS && symbol_code(chars[i]) && ascii(i - 1) && ascii(i + 1));
    // Codes of the table inside words ("ViÖt", "®èi").
    let codes = (0..chars.len())
        .filter(|&i| {
            (TCVN3.contains_key(&chars[i]) || chars[i] == MINUS)
                && (i > 0 && ascii(i - 1) || ascii(i + 1))
        })
        .count();
    signed && codes >= 2
}

/// `input` with every TCVN3 line decoded (see the module doc); the rest copied as it is.
pub fn repair(input: &MappedText) -> MappedText {
    let s = input.as_str();
    if !s.chars().any(symbol_code) {
        return input.clone();
    }
    let mut b = MappedTextBuilder::with_capacity(s.len());
    let mut copied_to = 0;
    let mut line_start = 0;
    for line in s.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        if !is_tcvn3(line) {
            continue;
        }
        for (i, c) in line.char_indices() {
            let to = if c == MINUS {
                Some('ư')
            } else {
                TCVN3.get(&c).copied()
            };
            if let Some(to) = to {
                let at = start + i;
                b.push_copy(input, copied_to..at);
                let mut buf = [0u8; 4];
                b.push_replacement(to.encode_utf8(&mut buf), input, at..at + c.len_utf8());
                copied_to = at + c.len_utf8();
            }
        }
    }
    if copied_to == 0 {
        return input.clone();
    }
    b.push_copy(input, copied_to..s.len());
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes Vietnamese text as a TCVN3 font would store it (the table read backwards).
    fn encode(s: &str) -> String {
        let back: HashMap<char, char> = TCVN3.iter().map(|(k, v)| (*v, *k)).collect();
        s.chars().map(|c| *back.get(&c).unwrap_or(&c)).collect()
    }

    fn repaired(s: &str) -> String {
        repair(&MappedText::verbatim(s, 0)).as_str().to_string()
    }

    #[test]
    fn tcvn3_lines_read_as_unicode() {
        for vi in [
            "Nâng quan hệ Việt-Nga lên tầm đối tác chiến lược toàn diện",
            "Hiệp ước hữu nghị và hợp tác giữa hai nước được ký kết ở Mát-xcơ-va",
            "Quan hệ kinh tế, thương mại và đầu tư phát triển mạnh mẽ",
        ] {
            let legacy = encode(vi);
            assert_ne!(legacy, vi);
            assert_eq!(repaired(&legacy), vi, "{legacy}");
            // The same text with a PDF's minus sign for ư.
            let minus = legacy.replace('\u{00AD}', "\u{2212}");
            assert_eq!(repaired(&minus), vi, "{minus}");
        }
        // Only the TCVN3 line of a Unicode document changes.
        let doc = format!(
            "Chủ tịch nước đã sang thăm.\n{}\nThs. Lê Văn A\n",
            encode("Nâng quan hệ Việt-Nga")
        );
        assert_eq!(
            repaired(&doc),
            "Chủ tịch nước đã sang thăm.\nNâng quan hệ Việt-Nga\nThs. Lê Văn A\n"
        );
    }

    #[test]
    fn latin1_text_is_left_alone() {
        for s in [
            "Le café était à côté de l'hôtel, où l'on parlait français.",
            "Über die Größe der Städte: Müller, Straße, Ärger.",
            "© 2012 Reuters. «Союз» и «Прогресс» — 5 × 3 = 15 ± 2.",
            "Señor Muñoz visitó São Paulo y Bogotá en 1978.",
            "Quan hệ Việt – Nga © 2012, giá 5 × 3.",
            "Let x−y and a−b be the sides; ¿Qué? 1º, 50ºC.",
        ] {
            assert_eq!(repaired(s), s);
        }
    }

    #[test]
    fn offsets_point_at_the_source_bytes() {
        let legacy = encode("Nâng quan hệ Việt");
        let src = format!("x\n{legacy}\n");
        let m = repair(&MappedText::verbatim(&src, 0));
        let text = m.as_str();
        let at = text.find("Việt").unwrap();
        let r = m.source_range(at..at + "Việt".len());
        assert_eq!(&src[r], "ViÖt");
    }
}
