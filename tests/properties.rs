//! Property tests of the reading pipeline (`Document::read`: decode → HTML → NFC → layout
//! repair → sentences) over generated text that looks like the corpus: Vietnamese syllables
//! with diacritics, English and Russian words, numbers ("1.540,6", "tr. 297"), initials
//! ("L.I."), punctuation, line and paragraph breaks, trailing spaces, page-number lines,
//! hyphens at line ends, wiki and Markdown markup and HTML fragments.
//!
//! The clean text of every document is NFC. For every sentence of every document: its clean range is non-empty, on char boundaries,
//! after the previous sentence's and free of line breaks; its source range lies inside the
//! input on UTF-8 char boundaries, after the previous sentence's; `text_of(src)` is the NFC
//! text of those bytes; the clean sentence, without whitespace, is a subsequence of that
//! text without whitespace (layout repair only removes: hyphens at line ends, markup, page
//! furniture); and outside HTML the source text begins with the sentence's first char and
//! ends with its last (the map is tight). Decomposed (NFD) input gives the same clean text
//! and sentences as composed (NFC) input.
//!
//! `PROPTEST_CASES` overrides the number of cases (256 by default).

use annals::document::{Document, ReadError, ReadOptions};
use proptest::prelude::*;
use proptest::test_runner::Config;
use unicode_normalization::UnicodeNormalization;

const VI: &[&str] = &[
    "Việt",
    "Nam",
    "Liên",
    "Xô",
    "quan",
    "hệ",
    "hợp",
    "tác",
    "kinh",
    "tế",
    "đã",
    "được",
    "ký",
    "kết",
    "năm",
    "Hiệp",
    "định",
    "Đảng",
    "Cộng",
    "sản",
    "nước",
    "người",
    "những",
    "trong",
    "của",
    "và",
    "với",
    "thời",
    "kỳ",
    "phát",
    "triển",
    "ảnh",
    "hưởng",
    "Đồng",
    "chí",
    "Brêgiơnép",
    "tiếp",
    "đoàn",
    "ngạch",
    "đạt",
    "triệu",
    "rúp",
    "Tổ",
    "quốc",
    "sâu",
    "rộng",
    "khôi",
    "phục",
    "ưu",
    "tiên",
    "Chương",
    "Phần",
    "mục",
    "ĐẢNG",
    "VIỆT",
    "NAM",
    "Ủy",
    "ban",
];
const EN: &[&str] = &[
    "The",
    "treaty",
    "was",
    "signed",
    "in",
    "Moscow",
    "scien",
    "tific",
    "research",
    "cooperation",
    "between",
    "Soviet",
    "Union",
    "Vietnam",
    "relations",
    "trade",
    "reached",
    "million",
    "rubles",
    "and",
    "of",
    "the",
    "See",
    "pp.",
    "No.",
    "Dr.",
    "et",
    "al.",
    "vol.",
    "Chapter",
    "INTRODUCTION",
    "a",
    "b",
    "i",
    "Page",
];
const RU: &[&str] = &[
    "Договор",
    "подписан",
    "в",
    "Москве",
    "г.",
    "Он",
    "действовал",
    "долго",
    "Советский",
    "Союз",
    "стр.",
    "Вьетнам",
    "отношения",
    "СССР",
    "т.",
    "е.",
];
const NUMBERS: &[&str] = &[
    "1.540,6",
    "206.5",
    "1978",
    "1950",
    "tr. 297",
    "[85, tr. 297]",
    "(12-1986)",
    "89-90",
    "1.",
    "1.1.",
    "2.3.4.",
    "IV.",
    "a)",
    "12",
    "3",
    "xiv",
    "10%",
    "1/2",
];
const INITIALS: &[&str] = &["L.I.", "V.I.", "M.X.", "H.", "A.A.", "Ю.В."];
const PUNCT: &[&str] = &[
    ".", ",", "!", "?", "…", ":", ";", "“", "”", "\"", "'", "(", ")", "[", "]", "-", "–", "—",
    "...", "?!", ".”", "»", "«", "*", "•",
];
const MARKUP: &[&str] = &[
    "\n== Lịch sử ==\n",
    "\n=== Early years ===\n",
    "= Quan hệ Việt Nam – Liên Xô =\n",
    "\n# Tiêu đề\n",
    "\n## Section\n",
    "\n- ",
    "\n* ",
    "\n• ",
    "\n+ ",
    "\nInfobox\n",
];
const FURNITURE: &[&str] = &[
    "\n\n12\n\n",
    "\n- 5 -\n",
    "\n\nPage 3\n\n",
    "\nxiv\n",
    "\n\nTrang 45\n\n",
    "\n\n 107 \n\n",
    "\nJournal of History, Volume 6 Page 2\n",
];
/// HTML whose text is a subsequence of its source: tags, comments, dropped elements, and the
/// two references that turn into a char of their own source text or into whitespace.
const HTML: &[&str] = &[
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "<div class=\"x\">",
    "</div>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "&amp;",
    "&nbsp;",
    "<!-- ghi chú -->",
    "<script>var x = 1;</script>",
    "<h2>",
    "</h2>",
    "<li>",
    "<td>",
    "<title>",
    "</title>",
    "<pre>",
    "</pre>",
    "<",
    ">",
];
const SEPARATORS: &[&str] = &[
    " ", " ", " ", " ", " ", " ", " ", " ", " ", " ", " ", " ", "\n", "\n", "\n", "\n\n", "", "",
    "  ", " \n", "  \n\n", "\t", "\r\n", "-\n", "\n \n", "\n\n\n",
];

/// One word, number or punctuation mark (no line breaks).
fn word() -> impl Strategy<Value = String> {
    let pick = |l: &'static [&'static str]| prop::sample::select(l).prop_map(str::to_owned);
    prop_oneof![
        12 => pick(VI),
        6 => pick(EN),
        3 => pick(RU),
        3 => pick(NUMBERS),
        2 => pick(INITIALS),
        6 => pick(PUNCT),
        1 => "[a-zA-Zа-яđơưăâêô0-9]{1,12}",
        1 => "\\PC{1,3}",
    ]
}

/// One token of generated text: a word, or a line of markup or page furniture.
fn token() -> impl Strategy<Value = String> {
    let pick = |l: &'static [&'static str]| prop::sample::select(l).prop_map(str::to_owned);
    prop_oneof![
        34 => word(),
        1 => pick(MARKUP),
        1 => pick(FURNITURE),
    ]
}

/// Generated text: tokens and separators; the HTML fragments only where `html` is set.
fn corpus_text(html: bool) -> impl Strategy<Value = String> {
    let sep = prop::sample::select(SEPARATORS).prop_map(str::to_owned);
    let html_weight = if html { 2 } else { 0 };
    let tok = prop_oneof![
        10 => token(),
        html_weight => prop::sample::select(HTML).prop_map(str::to_owned),
    ];
    prop::collection::vec((tok, sep), 0..120).prop_map(|v| {
        let mut s = String::new();
        for (t, sep) in v {
            s.push_str(&t);
            s.push_str(&sep);
        }
        s
    })
}

/// Text laid out like the corpus files: paragraphs of tokens, hard-wrapped at a width (with
/// trailing spaces, hyphenated words at line ends, double spacing) or one line each
/// (unwrapped), with page numbers between some paragraphs.
fn styled_text() -> impl Strategy<Value = String> {
    let paragraph = prop::collection::vec(word(), 1..90);
    let paragraphs =
        prop::collection::vec((paragraph, prop::option::weighted(0.2, 1u32..400)), 1..10);
    let style = (
        20usize..110,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    );
    (paragraphs, style).prop_map(|(paras, (width, double, unwrapped, trailing, hyphenate))| {
        let line_break = match (double, trailing) {
            (false, false) => "\n",
            (false, true) => " \n",
            (true, false) => "\n\n",
            (true, true) => " \n\n",
        };
        let mut out = String::new();
        for (words, page) in paras {
            let mut line = 0usize;
            for (i, w) in words.iter().enumerate() {
                let n = w.chars().count();
                if i > 0 {
                    if !unwrapped && line + 1 + n > width {
                        if hyphenate && n >= 6 {
                            let cut = w.char_indices().nth(n / 2).map_or(0, |(b, _)| b);
                            out.push(' ');
                            out.push_str(&w[..cut]);
                            out.push('-');
                            out.push_str(line_break);
                            out.push_str(&w[cut..]);
                            line = n - n / 2;
                            continue;
                        }
                        out.push_str(line_break);
                        line = 0;
                    } else {
                        out.push(' ');
                        line += 1;
                    }
                }
                out.push_str(w);
                line += n;
            }
            out.push_str(if double { "\n\n\n\n" } else { "\n\n" });
            if let Some(p) = page {
                out.push_str(&format!("{p}\n\n"));
            }
        }
        out
    })
}

/// Either kind of generated plain text.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![corpus_text(false), styled_text()]
}

fn read(id: &str, bytes: &[u8]) -> Option<Document> {
    match Document::read(id, bytes.to_vec(), ReadOptions::default()) {
        Ok(d) => Some(d),
        Err(ReadError::NoText | ReadError::Empty) => None,
        Err(e) => panic!("Document::read({id:?}) failed on UTF-8 text: {e}"),
    }
}

fn no_ws(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// True when `needle` is a subsequence of `hay`.
fn subsequence(needle: &[char], hay: &[char]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|c| it.any(|h| h == c))
}

/// Checks every sentence of the document read from the UTF-8 `bytes` (see the module docs).
fn check_doc(id: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let Some(doc) = read(id, bytes) else {
        return Ok(());
    };
    let html = doc.source.format == annals::text::layout::Format::Html;
    // A line in the legacy font encoding TCVN3 is read as the Vietnamese it stands for
    // (source::legacy), not as its Latin-1 characters.
    let legacy =
        std::str::from_utf8(bytes).is_ok_and(|t| t.lines().any(annals::source::legacy::is_tcvn3));
    let text = doc.text.as_str();
    prop_assert!(
        unicode_normalization::is_nfc(text),
        "clean text is not NFC: {text:?}"
    );
    let mut prev_range_end = 0;
    let mut prev_src_end = 0;
    for (k, s) in doc.sentences.iter().enumerate() {
        let r = s.range.clone();
        prop_assert!(
            prev_range_end <= r.start && r.start < r.end && r.end <= text.len(),
            "sentence {k} range {r:?}: previous ended at {prev_range_end}, text has {} bytes",
            text.len()
        );
        prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        prev_range_end = r.end;
        let clean = &text[r.clone()];
        prop_assert!(
            !clean.contains('\n'),
            "sentence {k} holds a line break: {clean:?}"
        );

        let src = s.src.clone();
        prop_assert!(
            prev_src_end <= src.start && src.start < src.end && src.end <= bytes.len(),
            "sentence {k} src {src:?}: previous ended at {prev_src_end}, input has {} bytes",
            bytes.len()
        );
        prev_src_end = src.end;
        let raw = std::str::from_utf8(&bytes[src.clone()]);
        prop_assert!(
            raw.is_ok(),
            "sentence {k} src {src:?} is not on UTF-8 char boundaries"
        );
        let want: String = raw.unwrap().nfc().collect();
        let got = doc.source.text_of(src.clone());
        prop_assert_eq!(&got, &want, "text_of({:?}) for sentence {}", src, k);

        if !html && !legacy {
            // (In HTML a character reference decodes to a char its source does not hold.)
            prop_assert!(
                subsequence(&no_ws(clean), &no_ws(&got)),
                "sentence {k} {clean:?} is not a subsequence of its source text {got:?}"
            );
            prop_assert_eq!(
                clean.chars().next(),
                got.chars().next(),
                "sentence {} {:?}: source text {:?} does not begin with its first char",
                k,
                clean,
                got
            );
            prop_assert_eq!(
                clean.chars().next_back(),
                got.chars().next_back(),
                "sentence {} {:?}: source text {:?} does not end with its last char",
                k,
                clean,
                got
            );
        }
    }
    Ok(())
}

fn config() -> Config {
    // `Config::default()` reads PROPTEST_CASES; keep 256 unless it is set.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        // Failures are reported, not saved: a saved seed file would sit beside this file.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Plain text (format detected: plain, or wiki when markup makes it so).
    #[test]
    fn plain_sentences_map_to_their_source(s in any_text()) {
        check_doc("doc.txt", s.as_bytes())?;
    }

    /// The same text read as Markdown.
    #[test]
    fn markdown_sentences_map_to_their_source(s in any_text()) {
        check_doc("doc.md", s.as_bytes())?;
    }

    /// Text with HTML fragments, read as plain text (tags kept) and as HTML.
    #[test]
    fn html_sentences_map_to_their_source(s in corpus_text(true)) {
        check_doc("doc.txt", s.as_bytes())?;
        check_doc("doc.html", s.as_bytes())?;
    }

    /// Decomposed input reads to the same clean text and sentences as composed input, and
    /// its sentences map to its own (decomposed) bytes.
    #[test]
    fn nfd_reads_like_nfc(s in any_text(), html in any::<bool>()) {
        let id = if html { "doc.html" } else { "doc.txt" };
        let composed: String = s.nfc().collect();
        let decomposed: String = s.nfd().collect();
        let a = read(id, composed.as_bytes());
        let b = read(id, decomposed.as_bytes());
        prop_assert_eq!(a.is_some(), b.is_some());
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert_eq!(
                a.text.as_str(),
                b.text.as_str(),
                "clean text of NFC input (left) and of NFD input (right)"
            );
            let sa: Vec<&str> = a.sentences.iter().map(|x| a.sentence_text(x)).collect();
            let sb: Vec<&str> = b.sentences.iter().map(|x| b.sentence_text(x)).collect();
            prop_assert_eq!(sa, sb);
        }
        check_doc(id, decomposed.as_bytes())?;
    }
}

/// The minimal input on which `nfd_reads_like_nfc` failed, kept as a plain test: a Tamil
/// vowel sign written decomposed (U+0BC6 U+0BBE; U+0BBE has combining class 0 but composes
/// with the char before it) must read like its composed form U+0BCA.
#[test]
fn nfd_regression_zero_class_vowel_sign() {
    let composed = "\u{0BCA} ";
    let decomposed: String = composed.nfd().collect();
    let a = read("doc.txt", composed.as_bytes()).expect("text");
    let b = read("doc.txt", decomposed.as_bytes()).expect("text");
    assert_eq!(a.text.as_str(), "\u{0BCA}");
    assert_eq!(
        a.text.as_str(),
        b.text.as_str(),
        "clean text of NFC input (left) and of NFD input (right)"
    );
}

/// Layout repair joins a line ending in a dropped hyphen straight onto the next line, so a
/// combining mark opening that line lands after a base letter it composes with: the clean
/// text must still be NFC ("α" + U+0345 is "ᾳ" in NFC).
#[test]
fn clean_text_is_nfc_across_a_dropped_hyphen() {
    let s = "the words of the \u{03B1}-\n\u{0345}\u{03B2}\u{03B3}.\n";
    let doc = read("doc.txt", s.as_bytes()).expect("text");
    let text = doc.text.as_str();
    assert!(
        unicode_normalization::is_nfc(text),
        "clean text is not NFC: {text:?}"
    );
}

/// The minimal input on which `html_sentences_map_to_their_source` failed once the reader
/// decoded TCVN3 lines: "a¡a ôA" reads as the Vietnamese "aĂa ụA", which is not its bytes.
#[test]
fn legacy_font_line_regression() {
    for id in ["doc.txt", "doc.html"] {
        check_doc(id, "a¡a ôA ".as_bytes()).expect("the sentences map to their source");
    }
}
