//! Layout repair and sentence splitting on the reference corpus (read from
//! `../shared/corpus` at test time). Snapshots keep spans and values, never the sources'
//! sentences.

use annals::document::{Document, ReadOptions};
use annals::record;
use annals::text::layout::BlockKind;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        d.is_dir(),
        "the reference corpus must be at {} (a checkout of shared/ beside the repository)",
        d.display()
    );
    d
}

fn read(name_prefix: &str) -> (Vec<u8>, Document) {
    let dir = corpus_dir();
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(name_prefix)
        })
        .unwrap_or_else(|| panic!("no corpus file starting with {name_prefix}"));
    let bytes = std::fs::read(&path).unwrap();
    let id = path.file_name().unwrap().to_string_lossy().into_owned();
    let doc = Document::read(&id, bytes.clone(), ReadOptions::default()).unwrap();
    (bytes, doc)
}

const TERMINAL: &[char] = &['.', '!', '?', '…', ':', ';', '"', '”', '’', ')', ']', '»'];

#[test]
fn every_sentence_span_is_exact_on_the_whole_corpus() {
    let mut checked = 0;
    for prefix in ["000", "001", "002", "003", "004"] {
        let (bytes, doc) = read(prefix);
        for rec in record::sentence_records(&doc).chain(record::paragraph_records(&doc)) {
            let (s, e) = (
                rec["start"].as_u64().unwrap() as usize,
                rec["end"].as_u64().unwrap() as usize,
            );
            let want = std::str::from_utf8(&bytes[s..e]).expect("span on char boundaries");
            assert_eq!(
                rec["text"].as_str().unwrap(),
                want,
                "{prefix} span {s}..{e}"
            );
            checked += 1;
        }
        // Sentences are in order and do not overlap.
        for w in doc.sentences.windows(2) {
            assert!(
                w[0].src.end <= w[1].src.start,
                "{prefix}: overlapping sentences"
            );
        }
    }
    assert!(checked > 2000, "only {checked} records checked");
}

/// A sentence's clean text never holds a line break, and every char of it (but the spaces
/// that replace line breaks) comes from outside every header, footer and page number.
#[test]
fn no_furniture_inside_sentences() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let (_, doc) = read(prefix);
        for s in &doc.sentences {
            let text = doc.sentence_text(s);
            assert!(
                !text.contains('\n'),
                "{prefix}: a line break inside sentence at {:?}",
                s.src
            );
            for (i, c) in text.char_indices() {
                if c.is_whitespace() {
                    continue;
                }
                let at = s.range.start + i;
                let src = doc.text.source_range(at..at + c.len_utf8());
                for f in &doc.furniture {
                    assert!(
                        src.end <= f.src.start || src.start >= f.src.end,
                        "{prefix}: sentence {:?} takes text from furniture {:?}",
                        s.src,
                        f.src
                    );
                }
            }
        }
    }
}

/// The thesis's sentences come out whole: a sentence that ends at a line break of the
/// source ends with sentence punctuation, unless it is a heading or a list item.
#[test]
fn thesis_sentences_do_not_end_at_pdf_line_breaks() {
    let (bytes, doc) = read("003");
    let mut body_sentences = 0;
    let mut broken = Vec::new();
    for s in &doc.sentences {
        let p = &doc.paragraphs[s.paragraph];
        if p.kind != BlockKind::Body {
            continue;
        }
        body_sentences += 1;
        let text = doc.sentence_text(s);
        let at_line_end = bytes[s.src.end..]
            .iter()
            .take_while(|b| **b == b' ')
            .count()
            .checked_add(s.src.end)
            .is_some_and(|i| i >= bytes.len() || bytes[i] == b'\n' || bytes[i] == b'\r');
        if at_line_end && !text.trim_end().ends_with(TERMINAL) {
            broken.push(s.src.clone());
        }
    }
    // A one-line body paragraph without punctuation is a title the heuristics did not
    // recognise; allow a handful, never a sentence cut inside a paragraph.
    let cut_inside: Vec<_> = broken
        .iter()
        .filter(|r| {
            let s = doc.sentences.iter().find(|s| s.src == **r).unwrap();
            let p = &doc.paragraphs[s.paragraph];
            s.src.end < p.src.end
        })
        .collect();
    assert!(
        cut_inside.is_empty(),
        "sentences cut at a line break inside a paragraph: {cut_inside:?}"
    );
    assert!(
        broken.len() * 100 <= body_sentences,
        "{} of {body_sentences} body sentences end at a line break without punctuation: {broken:?}",
        broken.len()
    );
    assert!(doc.geometry.double_spaced, "the thesis is double-spaced");
    assert!(body_sentences > 1500);
}

/// Spans and values of the sentences in a byte window of a document (no text).
fn window(doc: &Document, from: usize, to: usize) -> Vec<serde_json::Value> {
    doc.sentences
        .iter()
        .filter(|s| s.src.start >= from && s.src.end <= to)
        .map(|s| {
            let p = &doc.paragraphs[s.paragraph];
            serde_json::json!({
                "start": s.src.start,
                "end": s.src.end,
                "paragraph": s.paragraph,
                "block": p.kind.name(),
                "lang": s.lang.code(),
                "clean_chars": doc.sentence_text(s).chars().count(),
            })
        })
        .collect()
}

#[test]
fn snapshot_thesis_passages() {
    let (_, doc) = read("003");
    // The opening (headings, double-spaced paragraphs), a page break with a page number,
    // a passage dense in dates, and the appendix tables.
    insta::assert_json_snapshot!("thesis_opening", window(&doc, 0, 3000));
    insta::assert_json_snapshot!("thesis_page_break", window(&doc, 22500, 25500));
    insta::assert_json_snapshot!("thesis_dates", window(&doc, 207000, 209500));
    insta::assert_json_snapshot!(
        "thesis_layout",
        serde_json::json!({
            "geometry": doc.geometry,
            "paragraphs": doc.paragraphs.len(),
            "sentences": doc.sentences.len(),
            "headings": doc.paragraphs.iter().filter(|p| p.kind == BlockKind::Heading).count(),
            "furniture": doc.furniture.iter().map(|f| (f.src.start, f.src.end)).collect::<Vec<_>>(),
        })
    );
}

#[test]
fn snapshot_article_passages() {
    let (_, doc) = read("000");
    insta::assert_json_snapshot!("article_000_opening", window(&doc, 0, 3500));
    insta::assert_json_snapshot!("article_000_header", window(&doc, 3000, 6000));
    let (_, doc) = read("002");
    insta::assert_json_snapshot!("article_002_page_break", window(&doc, 18500, 21000));
    let (_, doc) = read("004");
    insta::assert_json_snapshot!("wiki_004_opening", window(&doc, 0, 3000));
}
