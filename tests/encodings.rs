//! Legacy encodings that real archives still hold: Windows-1258, TCVN3 (ABC) and VNI-Windows
//! for Vietnamese, Windows-1251 and KOI8-R for Russian, plus UTF-16 and UTF-8 with a BOM.
//!
//! The fixtures in `tests/fixtures/encodings/` are short passages written for these tests
//! (`*.utf8.txt`), encoded with `encode_for_tests` into the file next to each. Regenerate the
//! encoded files after editing an original with
//! `cargo test --test encodings -- --ignored regenerate_fixtures`.

use annals::source::decode::{
    DecodeError, Encoding, decode, decode_as, decode_forced, decode_range, encode_for_tests,
    legacy_scores,
};
use annals::text::mapped::MappedText;
use proptest::prelude::*;
use std::path::PathBuf;
use unicode_normalization::UnicodeNormalization;

/// Each fixture: file stem and the encoding its encoded file is in.
const FIXTURES: [(&str, Encoding); 6] = [
    ("vi_windows1258", Encoding::Windows1258),
    ("vi_tcvn3", Encoding::Tcvn3),
    ("vi_vni", Encoding::VniWindows),
    ("ru_windows1251", Encoding::Windows1251),
    ("ru_koi8r", Encoding::Koi8R),
    ("mixed_utf16le", Encoding::Utf16Le),
];

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encodings")
}

fn original(stem: &str) -> String {
    let path = fixture_dir().join(format!("{stem}.utf8.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn encoded(stem: &str) -> Vec<u8> {
    let path = fixture_dir().join(format!("{stem}.txt"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The raw bytes `c` is written as in `enc`, with no BOM.
fn char_bytes(c: char, enc: Encoding) -> Vec<u8> {
    let mut buf = [0u16; 2];
    match enc {
        Encoding::Utf16Le => c
            .encode_utf16(&mut buf)
            .iter()
            .flat_map(|u| u.to_le_bytes())
            .collect(),
        Encoding::Utf16Be => c
            .encode_utf16(&mut buf)
            .iter()
            .flat_map(|u| u.to_be_bytes())
            .collect(),
        Encoding::Utf8Bom => c.to_string().into_bytes(),
        _ => encode_for_tests(&c.to_string(), enc).expect("representable"),
    }
}

/// Checks the map of `text`, decoded from `bytes`: every char's source range lies inside the
/// input, ranges are in order and do not overlap.
fn check_map(text: &MappedText, bytes: &[u8]) {
    let s = text.as_str();
    let mut prev_end = 0;
    for (i, c) in s.char_indices() {
        let r = text.source_range(i..i + c.len_utf8());
        assert!(
            r.start <= r.end && r.end <= bytes.len(),
            "{r:?} outside input"
        );
        assert!(r.start >= prev_end, "{r:?} before previous end {prev_end}");
        prev_end = r.end;
    }
    let all = text.source_range(0..s.len());
    assert!(all.end <= bytes.len());
}

#[test]
#[ignore = "rewrites the encoded fixture files from the UTF-8 originals"]
fn regenerate_fixtures() {
    for (stem, enc) in FIXTURES {
        let bytes = encode_for_tests(&original(stem), enc)
            .unwrap_or_else(|| panic!("{stem}: not representable in {}", enc.name()));
        std::fs::write(fixture_dir().join(format!("{stem}.txt")), bytes).unwrap();
    }
}

#[test]
fn fixtures_are_encodings_of_their_originals() {
    for (stem, enc) in FIXTURES {
        let expected = encode_for_tests(&original(stem), enc).unwrap();
        assert!(
            encoded(stem) == expected,
            "{stem}.txt is stale: run the ignored test regenerate_fixtures"
        );
        // And genuinely not UTF-8, so detection has work to do.
        assert!(std::str::from_utf8(&encoded(stem)).is_err(), "{stem}");
    }
}

#[test]
fn fixtures_are_detected_and_decoded_exactly() {
    for (stem, enc) in FIXTURES {
        let bytes = encoded(stem);
        let d = decode(&bytes).unwrap_or_else(|e| {
            panic!("{stem}: {e}; scores {:?}", legacy_scores(&bytes));
        });
        assert_eq!(
            d.encoding,
            enc,
            "{stem}: scores {:?}",
            legacy_scores(&bytes)
        );
        assert!(d.encoding.is_converted());
        assert!(
            d.confidence > 0.6 && d.confidence <= 1.0,
            "{stem}: confidence {}",
            d.confidence
        );
        assert_eq!(nfc(d.text.as_str()), nfc(&original(stem)), "{stem}");
    }
}

#[test]
fn fixture_detection_has_a_clear_margin() {
    for (stem, enc) in FIXTURES {
        if !enc.is_converted() || matches!(enc, Encoding::Utf16Le | Encoding::Utf16Be) {
            continue;
        }
        let scores = legacy_scores(&encoded(stem));
        let winner = scores.iter().find(|(e, _)| *e == enc).unwrap().1;
        for &(e, s) in &scores {
            if e != enc {
                assert!(
                    s < winner * 0.5,
                    "{stem}: {} scores {s}, {} {winner}",
                    e.name(),
                    enc.name()
                );
            }
        }
    }
}

#[test]
fn every_char_maps_back_to_its_raw_bytes() {
    for (stem, enc) in FIXTURES {
        let bytes = encoded(stem);
        let d = decode(&bytes).unwrap();
        let text = &d.text;
        let s = text.as_str();
        // The decoded characters tile the file exactly (after the BOM, for UTF-16).
        let mut expected_start = if enc == Encoding::Utf16Le { 2 } else { 0 };
        for (i, c) in s.char_indices() {
            let r = text.source_range(i..i + c.len_utf8());
            assert_eq!(r.start, expected_start, "{stem}: gap before {c:?} at {i}");
            assert_eq!(
                &bytes[r.clone()],
                &char_bytes(c, enc)[..],
                "{stem}: {c:?} at {i} maps to {r:?}"
            );
            expected_start = r.end;
        }
        assert_eq!(expected_start, bytes.len(), "{stem}: tail not covered");
        check_map(text, &bytes);
    }
}

#[test]
fn vni_letters_map_to_two_bytes() {
    let bytes = encoded("vi_vni");
    let d = decode(&bytes).unwrap();
    let s = d.text.as_str();
    let mut pairs = 0;
    for (i, c) in s.char_indices() {
        let r = d.text.source_range(i..i + c.len_utf8());
        if r.len() == 2 {
            pairs += 1;
            assert!(bytes[r.start].is_ascii_alphabetic() || bytes[r.start] >= 0xC0);
            assert!(bytes[r.start + 1] >= 0xC0, "{c:?}");
        }
    }
    assert!(pairs > 50, "only {pairs} two-byte letters");
    // Output is precomposed already.
    assert_eq!(s, nfc(s));
}

#[test]
fn decode_range_agrees_with_the_full_decoding_on_fixtures() {
    for (stem, enc) in FIXTURES {
        let bytes = encoded(stem);
        let d = decode(&bytes).unwrap();
        let s = d.text.as_str();
        // Every line, every word, and every character.
        let mut pieces: Vec<std::ops::Range<usize>> = Vec::new();
        let mut at = 0;
        for line in s.split_inclusive('\n') {
            pieces.push(at..at + line.len());
            let mut w = at;
            for word in line.split_inclusive(' ') {
                pieces.push(w..w + word.len());
                w += word.len();
            }
            at += line.len();
        }
        pieces.extend(s.char_indices().map(|(i, c)| i..i + c.len_utf8()));
        pieces.push(0..s.len());
        for r in pieces {
            let src = d.text.source_range(r.clone());
            assert_eq!(
                decode_range(&bytes, enc, src.clone()),
                nfc(&s[r.clone()]),
                "{stem}: {r:?} -> {src:?}"
            );
        }
        assert_eq!(
            decode_range(&bytes, enc, 0..bytes.len()),
            nfc(&original(stem))
        );
    }
}

#[test]
fn utf8_bom_and_utf16_be() {
    let text = "Hiệp ước 1978 — Договор 1978\n";
    let bytes = encode_for_tests(text, Encoding::Utf8Bom).unwrap();
    let d = decode(&bytes).unwrap();
    assert_eq!(d.encoding, Encoding::Utf8Bom);
    assert_eq!(d.confidence, 1.0);
    assert_eq!(d.text.as_str(), text);
    assert_eq!(d.text.source_range(0..1), 3..4);
    assert_eq!(
        decode_range(&bytes, Encoding::Utf8Bom, 0..bytes.len()),
        text
    );

    let bytes = encode_for_tests(text, Encoding::Utf16Be).unwrap();
    let d = decode(&bytes).unwrap();
    assert_eq!(d.encoding, Encoding::Utf16Be);
    assert_eq!(d.text.as_str(), text);
    assert_eq!(d.text.source_range(0..1), 2..4);
    assert_eq!(
        decode_range(&bytes, Encoding::Utf16Be, 0..bytes.len()),
        text
    );
}

#[test]
fn utf16_surrogate_pairs_map_to_four_bytes() {
    let bytes = encoded("mixed_utf16le");
    let d = decode(&bytes).unwrap();
    let s = d.text.as_str();
    let i = s.find('🚂').unwrap();
    let r = d.text.source_range(i..i + '🚂'.len_utf8());
    assert_eq!(r.len(), 4);
    assert_eq!(&bytes[r], &[0x3D, 0xD8, 0x82, 0xDE]);
}

#[test]
fn utf8_is_verbatim_and_wins() {
    let text = original("vi_windows1258");
    let d = decode(text.as_bytes()).unwrap();
    assert_eq!(d.encoding, Encoding::Utf8);
    assert!(!d.encoding.is_converted());
    assert_eq!(d.confidence, 1.0);
    assert_eq!(d.text.map().segment_count(), 1);
    assert_eq!(d.text.source_range(0..text.len()), 0..text.len());
}

#[test]
fn binary_files_are_refused_by_kind() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00";
    assert_eq!(
        decode(png).unwrap_err(),
        DecodeError::Binary("PNG image".into())
    );
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00!\x00notes.txt";
    assert_eq!(
        decode(zip).unwrap_err(),
        DecodeError::Binary("ZIP archive".into())
    );
    let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml...xl/workbook.xml";
    assert_eq!(
        decode(xlsx).unwrap_err(),
        DecodeError::Binary("Excel workbook (xlsx, ZIP)".into())
    );
    for (bytes, kind) in [
        (&b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"[..], "PDF document"),
        (&b"\xFF\xD8\xFF\xE0\x00\x10JFIF"[..], "JPEG image"),
        (&b"GIF89a\x01\x00\x01\x00"[..], "GIF image"),
        (&b"\x1F\x8B\x08\x00\x00\x00\x00\x00"[..], "gzip archive"),
        (&b"\x7FELF\x02\x01\x01\x00"[..], "ELF executable"),
    ] {
        assert_eq!(decode(bytes).unwrap_err(), DecodeError::Binary(kind.into()));
        // Forcing an encoding does not make a binary file text.
        assert!(matches!(
            decode_as(bytes, Encoding::Windows1258),
            Err(DecodeError::Binary(_))
        ));
    }
    // NUL bytes without a UTF-16 BOM; a high share of control bytes.
    assert!(matches!(
        decode(b"Hello\x00world"),
        Err(DecodeError::Binary(_))
    ));
    assert!(matches!(
        decode(b"\x01\x02\x03\x1b\x10abc\x04\x05"),
        Err(DecodeError::Binary(_))
    ));
    assert!(matches!(
        decode_as(b"abc\x00", Encoding::Tcvn3),
        Err(DecodeError::Binary(_))
    ));
}

/// A small deterministic generator (xorshift), so the "random bytes" tests are stable.
fn pseudo_random(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn random_bytes_are_not_text() {
    for seed in 1..50u64 {
        let bytes = pseudo_random(seed, 4096);
        assert!(decode(&bytes).is_err(), "seed {seed}");
        // High bytes and spaces only: no control bytes to give it away.
        let high: Vec<u8> = bytes
            .iter()
            .map(|&b| if b % 7 == 0 { b' ' } else { b | 0x80 })
            .collect();
        assert_eq!(
            decode(&high).unwrap_err(),
            DecodeError::UnknownEncoding,
            "seed {seed}: scores {:?}",
            legacy_scores(&high)
        );
        // Mostly ASCII letters with random high bytes sprinkled in.
        let sprinkled: Vec<u8> = bytes
            .iter()
            .map(|&b| match b {
                0..=0x1F => b' ',
                0x20..=0x7F => b'a' + b % 26,
                _ => b,
            })
            .collect();
        assert_eq!(
            decode(&sprinkled).unwrap_err(),
            DecodeError::UnknownEncoding,
            "seed {seed}: scores {:?}",
            legacy_scores(&sprinkled)
        );
    }
}

/// Latin-1 bytes of `s` (every char must be below U+0100).
fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
        .collect()
}

#[test]
fn latin1_western_european_text_is_not_vietnamese() {
    let french = "L'été dernier, la délégation française est arrivée à Hanoï après un très \
        long voyage. Les négociations ont porté sur le café, le caoutchouc et les échanges \
        culturels; on a déjà prévu une réunion à Paris où l'on discutera des résultats.\n";
    let german = "Im Frühjahr 1955 reiste eine Delegation über Moskau nach Hanoi. Die \
        Verträge über wirtschaftliche Zusammenarbeit wurden später in München und Berlin \
        geprüft; für die Studenten gab es Stipendien, Wohnheime und Sprachkurse.\n";
    let spanish = "El año pasado, la delegación llegó a Hanói después de un viaje \
        larguísimo. Allí se habló de café, caucho y arroz; también se acordó que sí habría \
        otra reunión en Madrid, aunque nadie sabía qué día.\n";
    let portuguese = "A missão comercial chegou a Hanói em março. Não houve acordo sobre \
        o preço do café, mas a reunião terminou bem e já está prevista uma nova visita à \
        capital, onde são esperados os ministros.\n";
    for (name, text) in [
        ("french", french),
        ("german", german),
        ("spanish", spanish),
        ("portuguese", portuguese),
    ] {
        let bytes = latin1(text);
        let result = decode(&bytes);
        assert_eq!(
            result.as_ref().map(|d| d.encoding).unwrap_err(),
            &DecodeError::UnknownEncoding,
            "{name}: scores {:?}",
            legacy_scores(&bytes)
        );
        // Whole paragraphs repeated do not change the verdict.
        let long = bytes.repeat(20);
        assert_eq!(decode(&long).unwrap_err(), DecodeError::UnknownEncoding);
    }
    // Windows-1252 English with curly quotes.
    let english = b"The \x93friendship treaty\x94 was signed in Moscow \x96 it didn\x92t last.";
    assert_eq!(decode(english).unwrap_err(), DecodeError::UnknownEncoding);
}

#[test]
fn utf8_with_a_few_broken_bytes_stays_utf8() {
    let mut bytes = original("vi_vni").into_bytes();
    bytes.insert(40, 0xFF);
    bytes.extend_from_slice(b"Vi\xE1\xBB"); // a character cut off at the end
    let d = decode(&bytes).unwrap();
    assert_eq!(d.encoding, Encoding::Utf8);
    assert!(d.confidence < 1.0 && d.confidence > 0.5);
    assert!(d.text.as_str().contains('\u{FFFD}'));
    check_map(&d.text, &bytes);
}

#[test]
fn short_legacy_snippets() {
    // Two words are enough when they are clearly Vietnamese.
    let bytes = encode_for_tests("Việt Nam và Liên Xô", Encoding::VniWindows).unwrap();
    assert_eq!(decode(&bytes).unwrap().encoding, Encoding::VniWindows);
    let bytes = encode_for_tests("Hiệp ước hữu nghị", Encoding::Tcvn3).unwrap();
    assert_eq!(decode(&bytes).unwrap().encoding, Encoding::Tcvn3);
    let bytes = encode_for_tests("Hiệp ước hữu nghị", Encoding::Windows1258).unwrap();
    assert_eq!(decode(&bytes).unwrap().encoding, Encoding::Windows1258);
    let bytes = encode_for_tests("Договор о дружбе", Encoding::Koi8R).unwrap();
    assert_eq!(decode(&bytes).unwrap().encoding, Encoding::Koi8R);
    let bytes = encode_for_tests("Договор о дружбе", Encoding::Windows1251).unwrap();
    assert_eq!(decode(&bytes).unwrap().encoding, Encoding::Windows1251);
}

#[test]
fn tiny_inputs() {
    let d = decode(b"").unwrap();
    assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf8, ""));
    let d = decode(b"\xEF\xBB\xBF").unwrap();
    assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf8Bom, ""));
    let d = decode(b"\xFF\xFE").unwrap();
    assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf16Le, ""));
    // An odd trailing byte in UTF-16 becomes U+FFFD, mapped to that byte.
    let d = decode(b"\xFF\xFEA\x00B").unwrap();
    assert_eq!(d.text.as_str(), "A\u{FFFD}");
    assert_eq!(d.text.source_range(1..4), 4..5);
    // One lone high byte is no evidence of anything.
    assert_eq!(decode(b"\xE9").unwrap_err(), DecodeError::UnknownEncoding);
    assert_eq!(
        decode(b"caf\xE9").unwrap_err(),
        DecodeError::UnknownEncoding
    );
    // UTF-32 is text, but not read.
    assert_eq!(
        decode(b"\xFF\xFE\x00\x00A\x00\x00\x00").unwrap_err(),
        DecodeError::UnknownEncoding
    );
}

#[test]
fn names_round_trip() {
    for enc in Encoding::ALL {
        assert_eq!(Encoding::from_name(enc.name()), Some(enc));
    }
    assert_eq!(Encoding::from_name("ABC"), Some(Encoding::Tcvn3));
    assert_eq!(Encoding::from_name("KOI8_R"), Some(Encoding::Koi8R));
}

#[test]
fn unrepresentable_text_is_refused_by_the_encoder() {
    assert_eq!(encode_for_tests("Ở Hà Nội", Encoding::Tcvn3), None); // capital with tone
    assert_eq!(encode_for_tests("Việt", Encoding::Windows1251), None);
    assert_eq!(encode_for_tests("Москва", Encoding::VniWindows), None);
    assert_eq!(encode_for_tests("«Вьетсовпетро»", Encoding::Koi8R), None);
    assert!(encode_for_tests("«Вьетсовпетро»", Encoding::Windows1251).is_some());
}

/// The UTF-8 hot path (a NUL search, validation, one copy) keeps large input whole. Its
/// speed is measured by `annals bench`, not asserted here.
#[test]
fn utf8_hot_path_keeps_large_input_whole() {
    let line = "Năm 1978, Việt Nam và Liên Xô ký Hiệp ước hữu nghị và hợp tác. ";
    let text = line.repeat(8 * 1024 * 1024 / line.len());
    let d = decode(text.as_bytes()).unwrap();
    assert_eq!(d.text.as_str(), text);
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

const VIET_LOWER: &str =
    "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđ";
const RUSSIAN: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
const ASCII_TEXT: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-()\n";

/// The alphabet random test strings in `enc` are drawn from.
fn alphabet(enc: Encoding) -> Vec<char> {
    let mut v: Vec<char> = ASCII_TEXT.chars().collect();
    match enc {
        Encoding::Windows1251 | Encoding::Koi8R => v.extend(RUSSIAN.chars()),
        Encoding::Tcvn3 => {
            v.extend(VIET_LOWER.chars());
            v.extend("ĂÂÊÔƠƯĐ".chars());
        }
        _ => {
            v.extend(VIET_LOWER.chars());
            v.extend(VIET_LOWER.chars().flat_map(char::to_uppercase));
            if !matches!(enc, Encoding::Windows1258 | Encoding::VniWindows) {
                v.extend(RUSSIAN.chars());
                v.extend("🚂—“”".chars());
            }
        }
    }
    v
}

fn text_in(enc: Encoding) -> impl Strategy<Value = String> {
    let a = alphabet(enc);
    prop::collection::vec(prop::sample::select(a), 0..120).prop_map(|v| v.into_iter().collect())
}

fn any_encoding() -> impl Strategy<Value = Encoding> {
    prop::sample::select(Encoding::ALL.to_vec())
}

/// Two char boundaries of `s`, in order, picked by the fractions `a` and `b`.
fn char_range(s: &str, a: f64, b: f64) -> std::ops::Range<usize> {
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let pick = |f: f64| bounds[((bounds.len() - 1) as f64 * f) as usize];
    let (x, y) = (pick(a), pick(b));
    x.min(y)..x.max(y)
}

proptest! {
    #[test]
    fn decode_never_panics_and_maps_stay_inside(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(d) = decode(&bytes) {
            check_map(&d.text, &bytes);
            prop_assert!((0.0..=1.0).contains(&d.confidence));
        }
    }

    #[test]
    fn decode_never_panics_on_texty_bytes(
        bytes in prop::collection::vec(prop_oneof![0x20u8..0x7F, 0x80u8..=0xFF, Just(b'\n')], 0..2048)
    ) {
        if let Ok(d) = decode(&bytes) {
            check_map(&d.text, &bytes);
        }
    }

    #[test]
    fn forced_decoding_maps_every_byte_in_order(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        enc in any_encoding(),
    ) {
        let text = decode_forced(&bytes, enc);
        check_map(&text, &bytes);
    }

    #[test]
    fn decode_range_matches_full_decoding_on_arbitrary_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        enc in any_encoding(),
        a in 0.0..1.0f64,
        b in 0.0..1.0f64,
    ) {
        let text = decode_forced(&bytes, enc);
        let r = char_range(text.as_str(), a, b);
        let src = text.source_range(r.clone());
        prop_assert_eq!(decode_range(&bytes, enc, src), nfc(&text.as_str()[r]));
    }

    #[test]
    fn decode_range_matches_full_decoding_on_text(
        (enc, s) in any_encoding().prop_flat_map(|e| (Just(e), text_in(e))),
        a in 0.0..1.0f64,
        b in 0.0..1.0f64,
    ) {
        let bytes = encode_for_tests(&s, enc).unwrap();
        let d = decode_as(&bytes, enc).unwrap();
        let r = char_range(d.text.as_str(), a, b);
        let src = d.text.source_range(r.clone());
        prop_assert_eq!(decode_range(&bytes, enc, src), nfc(&d.text.as_str()[r]));
    }

    #[test]
    fn encode_then_decode_round_trips(
        (enc, s) in any_encoding().prop_flat_map(|e| (Just(e), text_in(e))),
    ) {
        let bytes = encode_for_tests(&s, enc).unwrap();
        let d = decode_as(&bytes, enc).unwrap();
        prop_assert_eq!(nfc(d.text.as_str()), nfc(&s));
        check_map(&d.text, &bytes);
    }
}

/// Vietnamese words (written for this test, not the detector's own list).
const VI_WORDS: &[&str] = &[
    "đoàn",
    "đại",
    "biểu",
    "sang",
    "thăm",
    "Mát-xcơ-va",
    "tháng",
    "mười",
    "hai",
    "bên",
    "thống",
    "nhất",
    "mở",
    "rộng",
    "buôn",
    "bán",
    "gạo",
    "cao",
    "su",
    "dầu",
    "mỏ",
    "máy",
    "móc",
    "trường",
    "đại",
    "học",
    "kỹ",
    "sư",
    "bác",
    "sĩ",
    "thư",
    "viện",
    "tài",
    "liệu",
    "lưu",
    "trữ",
    "báo",
    "cáo",
    "hội",
    "nghị",
    "ngoại",
    "giao",
    "bộ",
    "trưởng",
    "tiếng",
    "Nga",
    "quan",
    "hệ",
    "truyền",
    "thống",
    "điện",
    "lực",
    "xây",
    "dựng",
    "cầu",
    "đường",
    "Hải",
    "Phòng",
    "Đà",
    "Nẵng",
    "chuyên",
    "gia",
    "đào",
    "tạo",
    "nghiên",
    "cứu",
    "khoa",
];

/// Russian words (written for this test).
const RU_WORDS: &[&str] = &[
    "делегация",
    "прибыла",
    "в",
    "Ханой",
    "переговоры",
    "торговля",
    "рис",
    "каучук",
    "нефть",
    "студенты",
    "учились",
    "институт",
    "инженеры",
    "врачи",
    "библиотека",
    "архив",
    "документы",
    "министр",
    "встреча",
    "сотрудничество",
    "Москва",
    "Хайфон",
    "строительство",
    "электростанция",
    "мост",
    "дорога",
    "советские",
    "специалисты",
    "работали",
    "на",
    "и",
    "по",
    "для",
    "договор",
    "соглашение",
    "подписали",
    "стороны",
];

/// Words with a letter outside ASCII: what a legacy decoding has to go on.
fn is_marked(w: &str) -> bool {
    !w.is_ascii()
}

/// Any run of words from the list, repeats allowed, from one word up: the decoder may
/// refuse to name an encoding, but what it decodes must be right.
fn any_run(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(words.to_vec()), 1..40)
        .prop_map(|ws| format!("{}.\n", ws.join(" ")))
}

/// A passage the way a text has one: distinct words, at least six of them with a letter
/// outside ASCII, in any order. (Three marked syllables can read as Vietnamese in two
/// encodings at once, and then the decoder rightly refuses.)
fn sentence(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    let marked: Vec<&str> = words.iter().copied().filter(|w| is_marked(w)).collect();
    let plain: Vec<&str> = words.iter().copied().filter(|w| !is_marked(w)).collect();
    let plain_max = plain.len().min(6);
    (
        prop::sample::subsequence(marked, 6..=12),
        prop::sample::subsequence(plain, 0..=plain_max),
    )
        .prop_flat_map(|(mut a, b)| {
            a.extend(b);
            Just(a).prop_shuffle()
        })
        .prop_map(|ws| format!("{}.\n", ws.join(" ")))
}

/// `decode(bytes)` either refuses (unknown or ambiguous encoding) or is `enc` with the text
/// `s`. An ambiguous refusal names `enc` among the two readings.
fn refused_or_right(s: &str, bytes: &[u8], enc: Encoding) -> Result<(), TestCaseError> {
    match decode(bytes) {
        Err(DecodeError::UnknownEncoding) => Ok(()),
        Err(DecodeError::AmbiguousEncoding(encs)) if encs.contains(&enc) => Ok(()),
        Err(e) => Err(TestCaseError::fail(format!("{s:?}: {e}"))),
        // Words without a letter outside ASCII are ASCII, which is UTF-8.
        Ok(_) if s.is_ascii() => right(s, bytes, Encoding::Utf8),
        Ok(_) => right(s, bytes, enc),
    }
}

/// `decode(bytes)` is `enc` with the text `s`.
fn right(s: &str, bytes: &[u8], enc: Encoding) -> Result<(), TestCaseError> {
    let scores = legacy_scores(bytes);
    let d = decode(bytes).map_err(|e| TestCaseError::fail(format!("{s:?}: {e}, {scores:?}")))?;
    prop_assert_eq!(d.encoding, enc, "{:?}: scores {:?}", s, scores);
    prop_assert_eq!(nfc(d.text.as_str()), nfc(s));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_vietnamese_sentences_are_detected(
        s in sentence(VI_WORDS),
        enc in prop::sample::select(vec![Encoding::Windows1258, Encoding::VniWindows]),
    ) {
        right(&s, &encode_for_tests(&s, enc).unwrap(), enc)?;
    }

    #[test]
    fn random_tcvn3_sentences_are_detected(s in sentence(VI_WORDS)) {
        // The word list has capitals only where TCVN3 has them (plain, or Đ).
        right(&s, &encode_for_tests(&s, Encoding::Tcvn3).unwrap(), Encoding::Tcvn3)?;
    }

    #[test]
    fn random_russian_sentences_are_detected(
        s in sentence(RU_WORDS),
        enc in prop::sample::select(vec![Encoding::Windows1251, Encoding::Koi8R]),
    ) {
        right(&s, &encode_for_tests(&s, enc).unwrap(), enc)?;
    }

    #[test]
    fn runs_of_words_are_never_misread(
        s in prop_oneof![any_run(VI_WORDS), any_run(RU_WORDS)],
        vi in prop::sample::select(vec![
            Encoding::Windows1258, Encoding::VniWindows, Encoding::Tcvn3,
        ]),
        ru in prop::sample::select(vec![Encoding::Windows1251, Encoding::Koi8R]),
    ) {
        let enc = if s.chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c)) { ru } else { vi };
        refused_or_right(&s, &encode_for_tests(&s, enc).unwrap(), enc)?;
    }
}

#[test]
fn bytes_two_encodings_read_as_vietnamese_are_refused() {
    // "thống" in VNI-Windows is "thoáng" in Windows-1258, and both are syllables.
    let bytes = encode_for_tests("thống hai giao thống khoa.\n", Encoding::VniWindows).unwrap();
    let err = decode(&bytes).unwrap_err();
    let DecodeError::AmbiguousEncoding(encs) = &err else {
        panic!("not refused as ambiguous: {err}")
    };
    assert!(encs.len() >= 2, "{encs:?}");
    assert!(encs.contains(&Encoding::VniWindows) && encs.contains(&Encoding::Windows1258));
    // The message names every reading and says what to do.
    let msg = err.to_string();
    assert!(
        msg.contains("--encoding")
            && encs.iter().all(|e| msg.contains(e.name()))
            && msg.contains(" and "),
        "{msg}"
    );
    // With words only one reading makes, the same syllable is read right.
    let s = "thống nhất đất nước, hội nghị hiệp thương.\n";
    let bytes = encode_for_tests(s, Encoding::VniWindows).unwrap();
    assert_eq!(decode(&bytes).unwrap().encoding, Encoding::VniWindows);
}
