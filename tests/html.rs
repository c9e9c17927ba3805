//! Integration tests for `annals::source::html`: text extraction, offset mapping, and
//! hostile input.

use annals::source::html::{HtmlText, html_to_text};
use annals::text::mapped::{MappedText, MappedTextBuilder};
use proptest::prelude::*;

fn conv(s: &str) -> HtmlText {
    html_to_text(&MappedText::verbatim(s, 0))
}

fn text(s: &str) -> String {
    conv(s).text.as_str().to_owned()
}

/// Source range (relative to `src`) of the first occurrence of `needle` in the output.
fn src_of(h: &HtmlText, needle: &str) -> std::ops::Range<usize> {
    let at = h.text.as_str().find(needle).expect("needle in output");
    h.text.source_range(at..at + needle.len())
}

/// Checks the mapping guarantee of `out`, made from `src` placed at `offset` in its file:
/// every char maps inside the input; a non-whitespace char that is not a decoded reference
/// maps to exactly its own bytes; whitespace maps to itself, a tag, a reference or a
/// whitespace run; chars map in input order; and ranges of several chars map to the span
/// from their first char's start to their last char's end.
fn check_map(src: &str, offset: usize, out: &MappedText) {
    let t = out.as_str();
    let bounds = offset..offset + src.len();
    let mut chars = Vec::new();
    let mut prev: Option<std::ops::Range<usize>> = None;
    for (i, c) in t.char_indices() {
        let r = out.source_range(i..i + c.len_utf8());
        assert!(
            bounds.start <= r.start && r.start <= r.end && r.end <= bounds.end,
            "{r:?} outside {bounds:?} for {c:?} in {src:?}"
        );
        let piece = &src.as_bytes()[r.start - offset..r.end - offset];
        let mut buf = [0u8; 4];
        let own = c.encode_utf8(&mut buf).as_bytes();
        if c.is_ascii_whitespace() {
            assert!(
                piece == own
                    || piece.starts_with(b"<")
                    || piece.starts_with(b"&")
                    || (!piece.is_empty() && piece.iter().all(u8::is_ascii_whitespace)),
                "whitespace {c:?} maps to {piece:?} in {src:?}"
            );
        } else if !piece.starts_with(b"&") {
            assert_eq!(piece, own, "char {c:?} at {i} in {src:?}");
        }
        if let Some(p) = &prev {
            assert!(
                p.start <= r.start && p.end <= r.end,
                "out of order {p:?} {r:?} in {src:?}"
            );
        }
        prev = Some(r.clone());
        chars.push((i, c.len_utf8(), r));
    }
    // Multi-char ranges (all pairs for short texts, a sample otherwise).
    let step = (chars.len() / 40).max(1);
    for a in (0..chars.len()).step_by(step) {
        for b in (a..chars.len()).step_by(step) {
            let range = chars[a].0..chars[b].0 + chars[b].1;
            assert_eq!(
                out.source_range(range.clone()),
                chars[a].2.start..chars[b].2.end,
                "{range:?} in {src:?}"
            );
        }
    }
}

/// Invariants of the output layout: no leading or trailing whitespace, at most one blank
/// line in a row, no whitespace next to a line break; outside `<pre>`-like elements, no
/// doubled spaces and no tabs or carriage returns.
fn check_layout(src: &str, out: &str) {
    assert_eq!(out, out.trim_matches(|c: char| c.is_ascii_whitespace()));
    assert!(!out.contains("\n\n\n"), "{out:?} from {src:?}");
    let lower = src.to_ascii_lowercase();
    if !["<pre", "<listing", "<xmp", "<plaintext"]
        .iter()
        .any(|t| lower.contains(t))
    {
        assert!(!out.contains("  "), "{out:?} from {src:?}");
        assert!(!out.contains(" \n") && !out.contains("\n "), "{out:?}");
        assert!(!out.contains(['\t', '\r', '\x0C']), "{out:?}");
    }
}

fn check_all(src: &str) -> HtmlText {
    let h = conv(src);
    check_map(src, 0, &h.text);
    check_layout(src, h.text.as_str());
    // The same input placed later in its file maps the same, shifted.
    let shifted = html_to_text(&MappedText::verbatim(src, 1000));
    assert_eq!(shifted.text.as_str(), h.text.as_str());
    check_map(src, 1000, &shifted.text);
    h
}

#[test]
fn scripts_and_styles_dropped() {
    let src = "<p>before</p><script>alert(1)</script><style>p { color: red }</style><p>after";
    assert_eq!(check_all(src).text.as_str(), "before\n\nafter");
    for src in [
        "<script>alert(1)</script>",
        "<SCRIPT type=text/javascript>alert(1)</ScRiPt >",
        "<script>if (a</b) { x = '</scriptx>'; alert(1) }</script >ok",
        "<script>var s = '<p>alert(1)</p>';</script/>ok",
        "<script>alert(1)",
        "<script>alert(1)</script",
        "<noscript>alert(1)</noscript><template>alert(1)</template>",
        "<iframe><p>alert(1)</p></iframe><object><b>alert(1)</b></object>",
        "<svg><script>alert(1)</script><text>alert(1)</text></svg>",
        "<head><style>alert(1)</style><meta charset=utf-8></head>",
        "<textarea>alert(1)</textarea><math><mi>alert(1)</mi></math>",
    ] {
        let h = check_all(src);
        assert!(
            !h.text.as_str().contains("alert"),
            "{src:?} -> {:?}",
            h.text
        );
    }
    assert_eq!(text("<script>x</script >ok"), "ok");
    assert_eq!(text("a<script>x</script>b"), "ab");
}

#[test]
fn entities_decoded_with_spans() {
    let src = "<p>Hồ Chí Minh &amp; Lenin</p>";
    let h = check_all(src);
    assert_eq!(h.text.as_str(), "Hồ Chí Minh & Lenin");
    let amp = src_of(&h, "&");
    assert_eq!(&src[amp.clone()], "&amp;");
    assert_eq!(amp.len(), 5);
    let at = h.text.as_str().find('&').unwrap();
    assert_eq!(
        h.text.source_range(at - 1..at + 2),
        amp.start - 1..amp.end + 1
    );

    let src = "&#7871; &#x1EBF; &eacute;&nbsp;x &copy2024 &#150; AT&T &bogus; &#0; &#xD800; & &amp";
    let h = check_all(src);
    assert_eq!(
        h.text.as_str(),
        "ế ế é\u{A0}x ©2024 \u{2013} AT&T &bogus; &#0; &#xD800; & &"
    );
    assert_eq!(&src[src_of(&h, "\u{A0}")], "&nbsp;");
    assert_eq!(&src[src_of(&h, "©")], "&copy");
    assert_eq!(&src[src_of(&h, "ế")], "&#7871;");
    assert_eq!(&src[src_of(&h, "&bogus;")], "&bogus;");
}

#[test]
fn vietnamese_keeps_exact_spans() {
    let src = "<div class=\"bài\"><h2>Lịch sử</h2><p>Ngày <b>2/9/1945</b>, Chủ tịch <a href=\"/hcm\">Hồ Chí Minh</a> đọc Tuyên ngôn Độc lập.</p></div>";
    let h = check_all(src);
    assert_eq!(
        h.text.as_str(),
        "Lịch sử\n\nNgày 2/9/1945, Chủ tịch Hồ Chí Minh đọc Tuyên ngôn Độc lập."
    );
    for word in ["Lịch sử", "Hồ Chí Minh", "Độc lập", "đọc Tuyên"] {
        let r = src_of(&h, word);
        assert_eq!(&src[r], word);
    }
    // A piece that spans a tag maps to the source span including the tag.
    let r = src_of(&h, "tịch Hồ");
    assert_eq!(&src[r], "tịch <a href=\"/hcm\">Hồ");
}

#[test]
fn breaks_and_whitespace() {
    assert_eq!(text("<p>a</p>\n\n<p>b</p>"), "a\n\nb");
    assert_eq!(text("\n <br><p> a\t\n b </p><br>"), "a b");
    assert_eq!(text("a<br>b"), "a\nb");
    assert_eq!(text("a<br><br><br><p><br>b"), "a\n\nb");
    assert_eq!(text("<ul><li>one<li>two</ul>"), "one\n\ntwo");
    assert_eq!(
        text("<table><tr><td>1945</td><td>Hà Nội</td></tr></table>"),
        "1945\n\nHà Nội"
    );
    assert_eq!(text("a<span> </span> <i>b</i>"), "a b");
    assert_eq!(
        text("<h1>Heading</h1>text<h2>Sub</h2>more"),
        "Heading\n\ntext\n\nSub\n\nmore"
    );
    let src = "a \r\n\t b";
    let h = check_all(src);
    assert_eq!(h.text.as_str(), "a b");
    assert_eq!(h.text.source_range(1..2), 1..6);
    // A lone space is copied verbatim.
    let h = check_all("a b");
    assert_eq!(h.text.source_range(1..2), 1..2);
    // Paragraph breaks map to their tag.
    let src = "x<p class=\"y\">z";
    let h = check_all(src);
    assert_eq!(h.text.as_str(), "x\n\nz");
    assert_eq!(&src[h.text.source_range(1..3)], "<p class=\"y\">");
}

#[test]
fn pre_keeps_line_breaks() {
    let src = "x<pre>\n  line 1\n    line 2\n\n\n\nend</pre>y";
    let h = check_all(src);
    assert_eq!(h.text.as_str(), "x\n\n  line 1\n    line 2\n\nend\n\ny");
}

#[test]
fn title_extracted() {
    let src = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\n  Cách mạng &amp; Kháng chiến\n</title><link rel=stylesheet href=a.css></head><body><p>Nội dung</p></body></html>";
    let h = check_all(src);
    assert_eq!(h.title.as_deref(), Some("Cách mạng & Kháng chiến"));
    assert_eq!(h.text.as_str(), "Cách mạng & Kháng chiến\n\nNội dung");
    assert_eq!(conv("<p>no title").title, None);
    assert_eq!(
        conv("<TITLE>a <b> c</TITLE><title>second</title>")
            .title
            .as_deref(),
        Some("a <b> c")
    );
}

#[test]
fn comments_and_declarations_dropped() {
    assert_eq!(text("a<!-- x --> b<!--> c<!---> d"), "a b c d");
    assert_eq!(
        text("<?xml version=\"1.0\"?><!DOCTYPE html>a<![CDATA[ x > y ]]>b"),
        "ab"
    );
    assert_eq!(text("a<!-- unterminated <p>b"), "a");
    assert_eq!(text("a<![CDATA[ unterminated"), "a");
    assert_eq!(text("a<?php echo 1"), "a");
    assert_eq!(text("a<!DOCTYPE"), "a");
    assert_eq!(text("a</ >b</>c"), "abc");
}

#[test]
fn attributes_never_in_text() {
    let src = "<a title=\"x > y\" data-z='p > q' alt=unquoted>link</a> <img alt=\"picture\">";
    assert_eq!(check_all(src).text.as_str(), "link");
    // An attribute quote that never closes swallows the rest, as in browsers.
    assert_eq!(text("a<b title=\"x>never"), "a");
}

#[test]
fn hostile_small_inputs() {
    assert_eq!(text("a < b"), "a < b");
    assert_eq!(text("1<2 and 3 <= 4"), "1<2 and 3 <= 4");
    assert_eq!(text("<"), "<");
    assert_eq!(text("a<"), "a<");
    assert_eq!(text("a</"), "a</");
    assert_eq!(text("a\0b<p>\0c<p\0>d"), "ab\n\ncd");
    assert_eq!(text("<P>a</p><DiV>b</dIv>"), "a\n\nb");
    assert_eq!(
        text("<p>unclosed <b>tags <i>everywhere"),
        "unclosed tags everywhere"
    );
    assert_eq!(text("</p></div></body>x"), "x");
    assert_eq!(text(""), "");
    for src in [
        "<", "&", "&#", "&#x", "<!", "<!-", "<!--", "</", "<a", "<a b", "<a b=", "<a b='",
    ] {
        check_all(src);
    }
}

#[test]
fn deep_nesting_is_fine() {
    let n = 100_000;
    let src = format!("{}deep{}", "<div>".repeat(n), "</div>".repeat(n));
    assert_eq!(text(&src), "deep");
    let src = format!("{}x", "<span><b>".repeat(n));
    assert_eq!(text(&src), "x");
    let src = format!("{}x", "<svg>".repeat(n));
    assert_eq!(text(&src), "");
    let src = format!("{}{}x", "<svg>".repeat(n), "</svg>".repeat(n));
    assert_eq!(text(&src), "x");
}

#[test]
fn huge_attribute_is_linear() {
    let big = "x".repeat(10 << 20);
    let src = format!("<p title=\"{big}\">body</p>");
    let h = conv(&src);
    assert_eq!(h.text.as_str(), "body");
    assert_eq!(&src[h.text.source_range(0..4)], "body");
    let src = format!("<p data={big}>body");
    assert_eq!(text(&src), "body");
    let src = format!("<p {big}>body");
    assert_eq!(text(&src), "body");
    let gts = ">".repeat(10 << 20);
    let src = format!("<p title='{gts}'>body");
    assert_eq!(text(&src), "body");
}

#[test]
fn pathological_repetitions_finish() {
    let n = 1 << 20;
    let cases: Vec<(String, Option<&str>)> = vec![
        ("<".repeat(n), None),
        ("&".repeat(n), None),
        ("&#".repeat(n), None),
        ("&amp".repeat(n), None),
        (format!("<!--{}", "-".repeat(n)), Some("")),
        (format!("<!--{}", "--!".repeat(n)), Some("")),
        (format!("<![CDATA[{}", "]]".repeat(n)), Some("")),
        (format!("<script>{}", "</scrip".repeat(n)), Some("")),
        (format!("<script>{}", "<".repeat(n)), Some("")),
        (format!("<title>{}", "</titl".repeat(n)), None),
        ("<a".repeat(n), Some("")),
        ("</a ".repeat(n), Some("")),
        (format!("<pre>{}", " <b>".repeat(n)), Some("")),
        (" \n".repeat(n), Some("")),
        ("<p>".repeat(n), Some("")),
        ("a<br>".repeat(n), None),
        (format!("&#{}", "9".repeat(n)), None),
    ];
    for (src, want) in cases {
        let h = conv(&src);
        if let Some(want) = want {
            assert_eq!(h.text.as_str(), want, "{}", &src[..20]);
        }
        assert!(h.text.len() <= src.len() * 2);
        check_layout(&src, h.text.as_str());
    }
}

#[test]
fn composed_input_keeps_provenance() {
    // Input from an earlier stage: "<p>" verbatim at 100, "ế" decoded from two legacy
    // bytes at 103..105, then "&amp;x</p>" verbatim at 105.
    let mut b = MappedTextBuilder::default();
    b.push_verbatim("<p>", 100);
    b.push_char_opaque('ế', 103..105);
    b.push_verbatim("&amp;x</p>", 105);
    let input = b.finish();
    let h = html_to_text(&input);
    assert_eq!(h.text.as_str(), "ế&x");
    assert_eq!(h.text.source_range(0..3), 103..105);
    assert_eq!(h.text.source_range(3..4), 105..110);
    assert_eq!(h.text.source_range(4..5), 110..111);
    assert_eq!(h.text.source_range(0..5), 103..111);
}

/// Fragments that HTML-ish strings are assembled from.
const FRAGMENTS: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</DIV>",
    "<br>",
    "<br/>",
    "<b>",
    "</b>",
    "<a href=\"x>y\">",
    "<a href='",
    "'>",
    "\"",
    "<script>",
    "</script>",
    "</SCRIPT >",
    "<style>",
    "</style>",
    "<svg>",
    "<svg/>",
    "</svg>",
    "<template>",
    "</template>",
    "<title>",
    "</title>",
    "<pre>",
    "</pre>",
    "<xmp>",
    "</xmp>",
    "<!--",
    "-->",
    "--!>",
    "<!DOCTYPE html>",
    "<![CDATA[",
    "]]>",
    "<?",
    "?>",
    ">",
    "<",
    "</",
    "&",
    "&amp;",
    "&amp",
    "&#",
    "&#x",
    "&#7871;",
    "&#x1F600;",
    "&#0;",
    "&#150;",
    "&notin",
    "&copy2",
    "&nbsp;",
    "&#10;",
    "&#32;",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "a",
    "ệ",
    "Hồ Chí Minh",
    "word",
    "=",
    "/",
    "<h1>",
    "</h1>",
    "<td>",
    "<li>",
    "<plaintext>",
];

fn html_ish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..48).prop_map(|v| v.concat())
}

/// Fragments that leave the tokenizer in the data state (no open tag, quote, comment,
/// raw-text or dropped element), so that a following `<script>` is a real script.
const CLEAN: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "<br/>",
    "<b>",
    "</b>",
    "<a href=\"x>y\">",
    "</a>",
    "a < b",
    "<3",
    "&amp;",
    "&#7871;",
    "&",
    " ",
    "\n",
    "ệ",
    "Lenin",
    "<!-- c -->",
    "<!DOCTYPE html>",
    "<svg/>",
    "<pre>",
    "</pre>",
    "<h2>",
    "</h2>",
    "<title>t</title>",
    "<style>s</style>",
];

const SCRIPT_BODIES: &[&str] = &[
    "alert(1)",
    "if (a < b) alert(1)",
    "document.write('<p>alert(1)</p>')",
    "'</scriptx>'; alert(1)",
    "<!-- alert(1) -->",
    "/* </ script> */ alert(1)",
    "alert(1) </SCRIPTING>",
];

proptest! {
    #[test]
    fn arbitrary_strings_never_panic_and_map_inside(src in any::<String>()) {
        let h = check_all(&src);
        prop_assert!(h.text.len() <= src.len() * 2 + 2);
    }

    #[test]
    fn html_ish_strings_map_inside(src in html_ish()) {
        check_all(&src);
    }

    #[test]
    fn dense_markup_maps_inside(src in "[<>&;#xa-c0-9/!?=\"' \n\\[\\]-]{0,80}") {
        check_all(&src);
    }

    #[test]
    fn script_never_shows(
        before in prop::collection::vec(prop::sample::select(CLEAN), 0..12),
        body in prop::sample::select(SCRIPT_BODIES),
        close in prop::sample::select(&["</script>", "</SCRIPT>", "</Script >", "</script/>", ""][..]),
        after in prop::collection::vec(prop::sample::select(CLEAN), 0..12),
    ) {
        let src = format!("{}<script>{body}{close}{}", before.concat(), after.concat());
        let h = check_all(&src);
        prop_assert!(!h.text.as_str().contains("alert"), "{:?} -> {:?}", src, h.text.as_str());
    }
}
