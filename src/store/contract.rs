//! The store's contract, one suite for every backend: each function takes an empty store and
//! checks one part of what [`Store`] promises; [`contract_tests!`] makes them the tests of a
//! backend. A backend's own tests add what only it can show (its SQL refused, its files).

use super::{
    CurationRow, FurnitureRow, NewCurationRow, PutOutcome, Rejection, SentenceKey, Store,
    StoredFact, StoredSentence,
};
use crate::document::{Document, Paged, ReadOptions};
use crate::extract::{Fact, FactBody, Pipeline};
use crate::record;
use crate::source::pages::{PageInfo, PageMap, PagedKind, Word};
use std::sync::{Arc, LazyLock};

/// The contract's tests for a backend: `$open` is an expression of a function that returns
/// an empty store (anything that dereferences to a `dyn Store`), or `None` when the backend
/// cannot be tested here (the test then passes, having said why).
macro_rules! contract_tests {
    ($open:expr) => {
        $crate::store::contract::contract_tests!(
            @each $open;
            a_document_reads_back_as_written,
            replacing_a_document_replaces_everything_derived,
            aliases_name_a_document,
            rejections_are_kept_until_cleared_or_ingested,
            sentences_come_by_key_in_the_keys_order,
            facts_are_found_by_their_exact_span,
            the_curation_log_keeps_every_decision_once,
            index_flags_follow_the_current_version,
            documents_come_in_pages_keyed_by_id,
            a_paged_document_keeps_its_file_and_page_map
        );
        $crate::store::contract::contract_tests!(
            @pairs $open;
            documents_move_to_another_store_as_stored,
            rejections_and_curation_move_to_another_store_as_stored
        );
    };
    (@pairs $open:expr; $($name:ident),*) => {
        $(
            #[test]
            fn $name() {
                if let (Some(mut from), Some(mut to)) = (($open)(), ($open)()) {
                    $crate::store::contract::$name(&mut *from, &mut *to);
                }
            }
        )*
    };
    (@each $open:expr; $($name:ident),*) => {
        $(
            #[test]
            fn $name() {
                if let Some(mut store) = ($open)() {
                    $crate::store::contract::$name(&mut *store);
                }
            }
        )*
    };
}
pub(crate) use contract_tests;

/// Two sentences, a year before a capitalised word in each.
pub(crate) const TWO_SENTENCES: &str =
    "In 1978 Moscow signed the treaty. In 1980 Hanoi hosted experts.\n";

/// Another version of [`TWO_SENTENCES`].
pub(crate) const CHANGED: &str = "In 1991 Kyiv and Minsk left. Nothing else.\n";

/// Another text.
pub(crate) const OTHER: &str =
    "The Soviet Union recognized Vietnam in 1950. Trade grew after 1955 Haiphong opened.\n";

/// The document of the file `id` holding `text`.
pub(crate) fn document(id: &str, text: &str) -> Document {
    Document::read(id, text.as_bytes().to_vec(), ReadOptions::default())
        .expect("a test document reads")
}

/// The facts of `doc`: what the standard pipeline finds (typed bodies), then a fact of a
/// kind no extractor knows (`test-word`) for every capitalised word after a year.
pub(crate) fn facts_of(doc: &Document) -> Vec<Fact> {
    static PIPELINE: LazyLock<Pipeline> = LazyLock::new(Pipeline::standard);
    let mut out = PIPELINE.run(doc);
    for s in &doc.sentences {
        let text = doc.sentence_text(s);
        let words = text.split(' ').scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        });
        let mut year = false;
        for (at, w) in words {
            let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
            if year && w.starts_with(char::is_uppercase) {
                let mut fields = serde_json::Map::new();
                fields.insert("word".into(), w.into());
                let start = s.range.start + at;
                out.push(Fact {
                    evidence: doc.span_of(start..start + w.len()),
                    body: FactBody::Other {
                        kind: "test-word".into(),
                        fields,
                    },
                });
            }
            year = w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
        }
    }
    out
}

/// Puts the document of the file `id` holding `text`, with its facts.
fn put(s: &mut dyn Store, id: &str, text: &str) -> (Document, Vec<Fact>, PutOutcome, Vec<i64>) {
    let doc = document(id, text);
    let facts = facts_of(&doc);
    let (outcome, ids) = s.put_document(&doc, &facts).expect("put_document");
    (doc, facts, outcome, ids)
}

/// Everything a streaming call gives its callback.
fn collect<T>(
    each: impl FnOnce(&mut dyn FnMut(T) -> super::Result<()>) -> super::Result<()>,
) -> Vec<T> {
    let mut out = Vec::new();
    each(&mut |x| {
        out.push(x);
        Ok(())
    })
    .expect("a streaming call");
    out
}

fn sentences(s: &dyn Store, doc: Option<&str>) -> Vec<StoredSentence> {
    collect(|f| s.sentences(doc, f))
}

fn facts(s: &dyn Store, kind: Option<&str>) -> Vec<StoredFact> {
    collect(|f| s.facts(kind, f))
}

fn facts_of_doc(s: &dyn Store, doc: &str) -> Vec<StoredFact> {
    collect(|f| s.facts_of(doc, f))
}

/// The `word` of every `test-word` fact.
fn words(facts: &[StoredFact]) -> Vec<&str> {
    facts
        .iter()
        .filter(|f| f.kind == "test-word")
        .map(|f| f.record["word"].as_str().expect("a word"))
        .collect()
}

fn ids(docs: &[super::StoredDocument]) -> Vec<&str> {
    docs.iter().map(|d| d.id.as_str()).collect()
}

/// A time as the store gives it: UTC, RFC 3339, to the second.
fn assert_rfc3339(at: &str) {
    let b = at.as_bytes();
    assert!(
        b.len() == 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && b[19] == b'Z',
        "not RFC 3339 UTC: {at:?}"
    );
}

fn assert_clean(s: &dyn Store) {
    assert_eq!(s.check().expect("check"), Vec::<String>::new());
}

/// A document, its sentences and its facts read back as they were written; what is not
/// there is `None`.
pub(crate) fn a_document_reads_back_as_written(s: &mut dyn Store) {
    let (doc, written, outcome, sentence_ids) = put(s, "a.txt", TWO_SENTENCES);
    assert_eq!(outcome, PutOutcome::Added);
    assert_eq!(sentence_ids.len(), doc.sentences.len());
    assert!(
        sentence_ids.windows(2).all(|w| w[0] < w[1]),
        "{sentence_ids:?}"
    );
    assert!(
        written.iter().any(|f| f.kind() != "test-word"),
        "typed facts"
    );

    let sha = &doc.source.sha256;
    assert_eq!(s.document_hash("a.txt").unwrap().as_ref(), Some(sha));
    assert_eq!(s.document_hash("b.txt").unwrap(), None);
    assert_eq!(s.find_by_hash(sha).unwrap().as_deref(), Some("a.txt"));
    assert_eq!(s.find_by_hash("00").unwrap(), None);

    let d = s.document("a.txt").unwrap().expect("stored");
    assert_eq!(d.id, "a.txt");
    assert_eq!(&d.sha256, sha);
    assert_eq!(d.bytes, TWO_SENTENCES.len() as u64);
    assert_eq!(d.encoding, doc.source.encoding.name());
    assert_eq!(d.encoding(), doc.source.encoding);
    assert_eq!(d.encoding_confidence, doc.source.encoding_confidence as f64);
    assert_eq!(d.format, doc.source.format_name());
    assert_eq!(d.lang, doc.lang.code());
    assert_eq!(d.title, doc.title);
    assert_eq!(
        (d.paragraphs, d.sentences, d.facts),
        (
            doc.paragraphs.len() as u64,
            doc.sentences.len() as u64,
            written.len() as u64
        )
    );
    assert!(!d.indexed);
    assert!(d.aliases.is_empty());
    assert_rfc3339(&d.ingested_at);
    assert_eq!(ids(&s.documents().unwrap()), ["a.txt"]);
    assert!(s.document("b.txt").unwrap().is_none());

    assert_eq!(
        s.source_bytes("a.txt").unwrap().as_deref(),
        Some(TWO_SENTENCES.as_bytes())
    );
    assert_eq!(s.source_bytes("b.txt").unwrap(), None);
    assert_eq!(s.paged("a.txt").unwrap(), None);
    assert_eq!(s.page_map("a.txt").unwrap(), None);

    let stored = sentences(s, Some("a.txt"));
    assert_eq!(stored.len(), doc.sentences.len());
    for (i, (got, want)) in stored.iter().zip(&doc.sentences).enumerate() {
        assert_eq!(got.id, sentence_ids[i]);
        assert_eq!((got.doc.as_str(), got.seq), ("a.txt", i as u64));
        assert_eq!(got.paragraph, want.paragraph as u64);
        assert_eq!(
            (got.start, got.end),
            (want.src.start as u64, want.src.end as u64)
        );
        assert_eq!(got.lang, want.lang);
        assert_eq!(got.clean, doc.sentence_text(want));
        assert_eq!(
            got.key(),
            SentenceKey {
                doc: "a.txt".into(),
                seq: i as u64
            }
        );
    }
    assert_eq!(sentences(s, None).len(), stored.len());
    assert!(sentences(s, Some("b.txt")).is_empty());

    // Facts by position, then in the order written; each record byte for byte as written
    // (its keys in their order), its body read again.
    let mut want: Vec<&Fact> = written.iter().collect();
    want.sort_by_key(|f| f.evidence.start);
    let got = facts_of_doc(s, "a.txt");
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.record.to_string(), record::fact_record(w).to_string());
        assert_eq!((g.doc.as_str(), g.kind.as_str()), ("a.txt", w.kind()));
        assert_eq!(
            (g.start, g.end),
            (w.evidence.start as u64, w.evidence.end as u64)
        );
        assert_eq!(g.body, w.body);
        let by_id = s.fact(g.id).unwrap().expect("a fact by its id");
        assert_eq!(by_id.record.to_string(), g.record.to_string());
    }
    let max = got.iter().map(|f| f.id).max().unwrap_or(0);
    assert!(s.fact(max + 1000).unwrap().is_none());
    assert_eq!(words(&facts(s, Some("test-word"))), ["Moscow", "Hanoi"]);
    assert_eq!(facts(s, None).len(), written.len());
    assert!(facts(s, Some("no-such-kind")).is_empty());
    assert!(facts_of_doc(s, "b.txt").is_empty());
    assert_clean(s);
}

/// A new version of a document replaces its sentences, facts, source and aliases, and is
/// not indexed; the other documents stay as they were.
pub(crate) fn replacing_a_document_replaces_everything_derived(s: &mut dyn Store) {
    put(s, "a.txt", TWO_SENTENCES);
    put(s, "b.txt", OTHER);
    s.add_alias("copy-of-a.txt", "a.txt").unwrap();
    s.mark_indexed(&["a.txt".into(), "b.txt".into()]).unwrap();
    let b_before = (sentences(s, Some("b.txt")), facts_of_doc(s, "b.txt"));

    let (doc, written, outcome, sentence_ids) = put(s, "a.txt", CHANGED);
    assert_eq!(outcome, PutOutcome::Replaced);
    let docs = s.documents().unwrap();
    assert_eq!(ids(&docs), ["a.txt", "b.txt"]);
    let a = &docs[0];
    assert_eq!(a.sha256, doc.source.sha256);
    assert_eq!(a.bytes, CHANGED.len() as u64);
    assert_eq!(a.facts, written.len() as u64);
    assert!(a.aliases.is_empty(), "the aliases named the old content");
    assert!(!a.indexed);
    assert_eq!(s.unindexed().unwrap(), ["a.txt"]);
    assert_eq!(
        s.source_bytes("a.txt").unwrap().as_deref(),
        Some(CHANGED.as_bytes())
    );
    let now = sentences(s, Some("a.txt"));
    assert_eq!(
        now.iter().map(|x| x.clean.as_str()).collect::<Vec<_>>(),
        ["In 1991 Kyiv and Minsk left.", "Nothing else."]
    );
    assert_eq!(now.iter().map(|x| x.id).collect::<Vec<_>>(), sentence_ids);
    assert_eq!(words(&facts_of_doc(s, "a.txt")), ["Kyiv"]);
    assert_eq!(words(&facts(s, Some("test-word"))), ["Kyiv", "Haiphong"]);
    assert_eq!(facts_of_doc(s, "a.txt").len(), written.len());

    let b_after = (sentences(s, Some("b.txt")), facts_of_doc(s, "b.txt"));
    let key = |(ss, ff): &(Vec<StoredSentence>, Vec<StoredFact>)| {
        (
            ss.iter()
                .map(|x| (x.id, x.clean.clone()))
                .collect::<Vec<_>>(),
            ff.iter()
                .map(|f| (f.id, f.record.to_string()))
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(key(&b_after), key(&b_before));
    assert!(s.document("b.txt").unwrap().unwrap().indexed);
    assert_clean(s);
}

/// Aliases: other names of a document, in order, moved by naming them again; an alias of
/// no document is refused.
pub(crate) fn aliases_name_a_document(s: &mut dyn Store) {
    put(s, "a.txt", TWO_SENTENCES);
    put(s, "z.txt", OTHER);
    s.add_alias("b.txt", "a.txt").unwrap();
    s.add_alias("B/a.txt", "a.txt").unwrap();
    s.add_alias("b.txt", "a.txt").unwrap();
    assert_eq!(
        s.document("a.txt").unwrap().unwrap().aliases,
        ["B/a.txt", "b.txt"]
    );
    s.add_alias("b.txt", "z.txt").unwrap();
    let docs = s.documents().unwrap();
    assert_eq!(docs[0].aliases, ["B/a.txt"]);
    assert_eq!(docs[1].aliases, ["b.txt"]);
    assert_eq!(s.documents_page(None, 1).unwrap()[0].aliases, ["B/a.txt"]);
    assert!(s.add_alias("x.txt", "no-such.txt").is_err());
    assert_eq!(s.documents().unwrap().len(), 2);
    assert_clean(s);
}

/// Rejections: one per path (the latest reason), by path, until cleared or until the path is
/// ingested.
pub(crate) fn rejections_are_kept_until_cleared_or_ingested(s: &mut dyn Store) {
    assert!(s.rejections().unwrap().is_empty());
    s.record_rejection("z.bin", "binary").unwrap();
    s.record_rejection("a.bin", "empty file").unwrap();
    s.record_rejection("z.bin", "too large").unwrap();
    s.record_rejection("a.txt", "timed out").unwrap();
    let got = s.rejections().unwrap();
    assert_eq!(
        got.iter()
            .map(|r| (r.path.as_str(), r.reason.as_str()))
            .collect::<Vec<_>>(),
        [
            ("a.bin", "empty file"),
            ("a.txt", "timed out"),
            ("z.bin", "too large")
        ]
    );
    for r in &got {
        assert_rfc3339(&r.at);
    }
    s.clear_rejection("a.bin").unwrap();
    s.clear_rejection("never-rejected").unwrap();
    put(s, "a.txt", TWO_SENTENCES);
    let left: Vec<String> = s
        .rejections()
        .unwrap()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert_eq!(left, ["z.bin"]);
}

/// Sentences by key: in the keys' order (a key twice, twice), keys not stored left out.
pub(crate) fn sentences_come_by_key_in_the_keys_order(s: &mut dyn Store) {
    put(s, "a.txt", TWO_SENTENCES);
    put(s, "b.txt", OTHER);
    let all = sentences(s, None);
    assert_eq!(
        all.iter()
            .map(|x| (x.doc.as_str(), x.seq))
            .collect::<Vec<_>>(),
        [("a.txt", 0), ("a.txt", 1), ("b.txt", 0), ("b.txt", 1)]
    );
    let key = |doc: &str, seq| SentenceKey {
        doc: doc.into(),
        seq,
    };
    let keys = [
        key("b.txt", 1),
        key("a.txt", 0),
        key("c.txt", 0),
        key("a.txt", 99),
        key("b.txt", 0),
        key("a.txt", 0),
    ];
    let got = s.sentences_by_key(&keys).unwrap();
    let want = [&all[3], &all[0], &all[2], &all[0]];
    assert_eq!(
        got.iter()
            .map(|x| (x.id, x.key(), x.clean.as_str()))
            .collect::<Vec<_>>(),
        want.iter()
            .map(|x| (x.id, x.key(), x.clean.as_str()))
            .collect::<Vec<_>>()
    );
    assert!(s.sentences_by_key(&[]).unwrap().is_empty());
}

/// Facts by span: every fact of the document at exactly that span, of any kind, by id, and
/// nothing at a span that only overlaps it or in another document.
pub(crate) fn facts_are_found_by_their_exact_span(s: &mut dyn Store) {
    put(s, "a.txt", TWO_SENTENCES);
    put(s, "b.txt", OTHER);
    let all = facts(s, None);
    let mut by_span: std::collections::BTreeMap<_, Vec<i64>> = Default::default();
    for f in &all {
        by_span
            .entry((&f.doc, f.start, f.end))
            .or_default()
            .push(f.id);
    }
    assert!(
        by_span.values().any(|ids| ids.len() > 1),
        "spans of two facts"
    );
    for ((doc, start, end), mut want) in by_span {
        want.sort_unstable();
        let got: Vec<i64> = s
            .facts_at(doc, start, end)
            .unwrap()
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(got, want, "{doc} {start}..{end}");
    }
    let hanoi = all
        .iter()
        .find(|f| f.kind == "test-word" && f.text() == "Hanoi")
        .expect("Hanoi");
    assert!(
        s.facts_at("a.txt", hanoi.start + 1, hanoi.end)
            .unwrap()
            .is_empty()
    );
    assert!(
        s.facts_at("b.txt", hanoi.start, hanoi.end)
            .unwrap()
            .is_empty()
    );
    assert!(s.facts_at("a.txt", u64::MAX, u64::MAX).unwrap().is_empty());
}

/// A decision as a client sends it.
fn decision(reason: &str, request_id: Option<&str>) -> NewCurationRow {
    NewCurationRow {
        who: "historian".into(),
        action: "edit".into(),
        target: serde_json::from_str(
            r#"{"doc":"a.txt","start":3,"end":7,"text":"1978","kind":"timex","value":1.5}"#,
        )
        .unwrap(),
        field: Some("value".into()),
        old_value: serde_json::json!("1978"),
        // Any JSON value a client sends, a NUL character in a string too.
        new_value: serde_json::json!({"z": [1, 2.5, -1e-7, null], "a": "Lê Duẩn\u{0}"}),
        reason: reason.into(),
        request_id: request_id.map(str::to_string),
    }
}

/// The curation log: rows come back as appended, oldest first, ids increasing; a request
/// id is recorded once; replacing a document keeps the rows about it.
pub(crate) fn the_curation_log_keeps_every_decision_once(s: &mut dyn Store) {
    assert_eq!(s.curation_version().unwrap(), 0);
    assert!(s.curations().unwrap().is_empty());
    let first = s.append_curation(&decision("a typo", None)).unwrap();
    let second = s
        .append_curation(&decision("the source says", Some("req-1")))
        .unwrap();
    assert!(0 < first.id && first.id < second.id);
    assert_rfc3339(&first.at);
    let want = decision("the source says", Some("req-1"));
    assert_eq!(
        (
            second.who.as_str(),
            second.action.as_str(),
            second.field.as_deref(),
            second.reason.as_str(),
            second.request_id.as_deref()
        ),
        (
            "historian",
            "edit",
            Some("value"),
            "the source says",
            Some("req-1")
        )
    );
    assert_eq!(second.target.to_string(), want.target.to_string());
    assert_eq!(second.new_value.to_string(), want.new_value.to_string());
    assert_eq!(s.curation_version().unwrap(), second.id);

    // The same request again (a retry): the row already there, nothing written.
    let again = s
        .append_curation(&decision("retried", Some("req-1")))
        .unwrap();
    assert_eq!(again, second);
    assert_eq!(s.curations().unwrap(), [first.clone(), second.clone()]);
    assert_eq!(
        s.curation_by_request("req-1").unwrap(),
        Some(second.clone())
    );
    assert_eq!(s.curation_by_request("req-2").unwrap(), None);
    let stored = s.curations().unwrap();
    assert_eq!(stored[1].target.to_string(), want.target.to_string());
    assert_eq!(stored[1].old_value.to_string(), want.old_value.to_string());
    assert_eq!(stored[1].new_value.to_string(), want.new_value.to_string());

    put(s, "a.txt", TWO_SENTENCES);
    put(s, "a.txt", CHANGED);
    assert_eq!(s.curations().unwrap(), [first, second.clone()]);
    assert_eq!(s.curation_version().unwrap(), second.id);
    let third = s
        .append_curation(&decision("later", Some("req-2")))
        .unwrap();
    assert!(third.id > second.id);
    assert_eq!(s.curation_version().unwrap(), third.id);
}

/// Index flags: a document is unindexed until marked, marked per version (a new version
/// is unindexed again), and all can be unmarked.
pub(crate) fn index_flags_follow_the_current_version(s: &mut dyn Store) {
    put(s, "b.txt", OTHER);
    put(s, "a.txt", TWO_SENTENCES);
    assert_eq!(s.unindexed().unwrap(), ["a.txt", "b.txt"]);
    s.mark_indexed(&["a.txt".into(), "no-such.txt".into()])
        .unwrap();
    s.mark_indexed(&[]).unwrap();
    assert_eq!(s.unindexed().unwrap(), ["b.txt"]);
    assert!(s.document("a.txt").unwrap().unwrap().indexed);
    put(s, "a.txt", CHANGED);
    assert_eq!(s.unindexed().unwrap(), ["a.txt", "b.txt"]);
    s.mark_indexed(&["a.txt".into(), "b.txt".into()]).unwrap();
    assert!(s.unindexed().unwrap().is_empty());
    assert!(s.documents().unwrap().iter().all(|d| d.indexed));
    s.mark_all_unindexed().unwrap();
    assert_eq!(s.unindexed().unwrap(), ["a.txt", "b.txt"]);
}

/// Documents by id, in the order of the ids' bytes (`B` before `a`, `é` after `z`), a
/// page at a time: pages of any size make the whole list; past the last id a page is empty.
pub(crate) fn documents_come_in_pages_keyed_by_id(s: &mut dyn Store) {
    let names = [
        "é.txt", "b.txt", "B.txt", "a.txt", "z/1.txt", "a b.txt", "d.txt",
    ];
    for (i, name) in names.iter().enumerate() {
        put(
            s,
            name,
            &format!("Text number {i} about Hanoi in 19{}0.\n", i + 2),
        );
    }
    s.add_alias("copy.txt", "d.txt").unwrap();
    let all = s.documents().unwrap();
    let mut sorted: Vec<&str> = names.to_vec();
    sorted.sort();
    assert_eq!(ids(&all), sorted);
    for size in [1, 2, 3, 7, 100] {
        let mut got = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = s.documents_page(after.as_deref(), size).unwrap();
            assert!(page.len() <= size);
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            got.extend(page);
        }
        let view = |v: &[super::StoredDocument]| {
            v.iter()
                .map(|d| (d.id.clone(), d.aliases.clone(), d.sha256.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(view(&got), view(&all), "pages of {size}");
    }
    assert!(s.documents_page(Some("é.txt"), 5).unwrap().is_empty());
    assert!(s.documents_page(None, 0).unwrap().is_empty());
    assert_eq!(
        ids(&s.documents_page(Some("a.txt"), 2).unwrap()),
        ["b.txt", "d.txt"]
    );
    assert_clean(s);
}

/// The document `id` read from a PDF of two pages (the second OCR'd), holding
/// [`TWO_SENTENCES`], and its file and page map.
fn paged_document(id: &str) -> (Document, Paged) {
    let mut doc = document(id, TWO_SENTENCES);
    let paged = Paged {
        file: b"%PDF-1.4\n\x00\xff binary".to_vec(),
        map: PageMap {
            kind: PagedKind::Pdf,
            pages: vec![
                PageInfo {
                    width: 595.25,
                    height: 842.0,
                    ocr: false,
                    note: None,
                },
                PageInfo {
                    width: 595.25,
                    height: 842.0,
                    ocr: true,
                    note: Some("no text layer".into()),
                },
            ],
            words: vec![
                Word(0, 2, 0, 0, 72, 72, 90, 84, -1),
                Word(3, 7, 0, 0, 95, 72, 130, 84, -1),
                Word(34, 36, 1, 0, 72, 72, 90, 84, 873),
            ],
        },
    };
    doc.source.paged = Some(Arc::new(paged.clone()));
    (doc, paged)
}

/// A document read from a PDF or an image: its file and page map come back as written, and
/// go with the version that had them.
pub(crate) fn a_paged_document_keeps_its_file_and_page_map(s: &mut dyn Store) {
    let (doc, paged) = paged_document("scan.pdf");
    let facts = facts_of(&doc);
    s.put_document(&doc, &facts).unwrap();
    assert_eq!(s.paged("scan.pdf").unwrap(), Some(paged.clone()));
    assert_eq!(s.page_map("scan.pdf").unwrap(), Some(paged.map));
    assert_eq!(s.document("scan.pdf").unwrap().unwrap().format, "pdf");
    assert_clean(s);

    put(s, "scan.pdf", CHANGED);
    assert_eq!(s.paged("scan.pdf").unwrap(), None);
    assert_eq!(s.page_map("scan.pdf").unwrap(), None);
    assert_clean(s);
}

/// Stores opened on the same data by `open`, one a thread, putting documents at once:
/// different documents all land; the same id, put by every thread, ends as one version,
/// whole.
pub(crate) fn puts_from_several_stores_at_once(open: &(dyn Fn() -> Box<dyn Store> + Sync)) {
    const THREADS: usize = 4;
    const DOCS: usize = 6;
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            scope.spawn(move || {
                let mut s = open();
                for i in 0..DOCS {
                    let text = format!("Thread {t} wrote text {i} in 1980 about Hanoi.\n");
                    put(&mut *s, &format!("t{t}/{i}.txt"), &text);
                    let shared = if (t + i) % 2 == 0 {
                        TWO_SENTENCES
                    } else {
                        OTHER
                    };
                    put(&mut *s, "shared.txt", shared);
                }
            });
        }
    });
    let s = open();
    let docs = s.documents().unwrap();
    assert_eq!(docs.len(), THREADS * DOCS + 1);
    let shared = s.document("shared.txt").unwrap().unwrap();
    let text = s.source_bytes("shared.txt").unwrap().unwrap();
    let doc = document("shared.txt", std::str::from_utf8(&text).unwrap());
    assert_eq!(shared.sha256, doc.source.sha256);
    assert_eq!(
        sentences(&*s, Some("shared.txt"))
            .into_iter()
            .map(|x| x.clean)
            .collect::<Vec<_>>(),
        doc.sentences
            .iter()
            .map(|x| doc.sentence_text(x))
            .collect::<Vec<_>>()
    );
    assert_eq!(facts_of_doc(&*s, "shared.txt").len(), facts_of(&doc).len());
    assert_clean(&*s);
}

/// What a store holds of its documents that a copy must carry: the documents, the
/// sentences and facts (ids, keys, records as text), sources, page files and maps.
fn holdings(s: &dyn Store) -> impl PartialEq + std::fmt::Debug {
    let docs = s.documents().unwrap();
    let sentences: Vec<_> = sentences(s, None)
        .into_iter()
        .map(|x| (x.id, x.key(), x.paragraph, x.start, x.end, x.lang, x.clean))
        .collect();
    let facts: Vec<_> = facts(s, None)
        .into_iter()
        .map(|f| (f.id, f.doc, f.kind, f.start, f.end, f.record.to_string()))
        .collect();
    let files: Vec<_> = docs
        .iter()
        .map(|d| (s.source_bytes(&d.id).unwrap(), s.paged(&d.id).unwrap()))
        .collect();
    (docs, sentences, facts, files)
}

/// Documents written by `put_document`, read with `document_rows` and put into another
/// store with `put_rows`, read back there as they were: rows, documents (ingested_at and
/// aliases included), sentences and facts with their ids, fact records, sources, page files
/// and maps. Ids drawn later follow the kept ones. Puts of the same rows replace; rows that
/// disagree with their counts, or whose ids another document holds, are refused, nothing
/// written.
pub(crate) fn documents_move_to_another_store_as_stored(from: &mut dyn Store, to: &mut dyn Store) {
    put(from, "a.txt", TWO_SENTENCES);
    put(from, "gone.txt", CHANGED);
    put(from, "b.txt", OTHER);
    // A replaced document leaves gaps in the ids; the copy keeps them.
    put(from, "gone.txt", TWO_SENTENCES);
    let (doc, _) = paged_document("scan.pdf");
    from.put_document(&doc, &facts_of(&doc)).unwrap();
    from.add_alias("copy-of-a.txt", "a.txt").unwrap();
    from.add_alias("B/a.txt", "a.txt").unwrap();
    assert!(from.document_rows("no-such.txt").unwrap().is_none());

    let ids: Vec<String> = from
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, ["a.txt", "b.txt", "gone.txt", "scan.pdf"]);
    let mut moved = Vec::new();
    // In another order than the source wrote them: the ids are kept all the same.
    for id in ids.iter().rev() {
        let rows = from.document_rows(id).unwrap().expect("stored");
        assert_eq!(&rows.document, &from.document(id).unwrap().unwrap());
        assert_eq!(rows.sentences.len() as u64, rows.document.sentences);
        assert_eq!(rows.facts.len() as u64, rows.document.facts);
        assert_eq!(to.put_rows(&rows).unwrap(), PutOutcome::Added);
        assert_eq!(to.document_rows(id).unwrap().as_ref(), Some(&rows), "{id}");
        moved.insert(0, rows);
    }
    let a = &moved[0];
    assert_eq!(
        a.aliases
            .iter()
            .map(|x| x.alias.as_str())
            .collect::<Vec<_>>(),
        ["B/a.txt", "copy-of-a.txt"]
    );
    for x in &a.aliases {
        assert_rfc3339(&x.recorded_at);
    }
    assert!(moved[3].pages.is_some() && moved[0].pages.is_none());
    assert!(moved[0].facts.iter().any(|f| f.kind == "test-word"));
    assert!(
        moved[1].facts[0].id > moved[0].facts.last().unwrap().id + 1,
        "a gap in the ids"
    );
    assert_eq!(holdings(to), holdings(from));
    assert_eq!(to.unindexed().unwrap(), ids, "written unindexed");
    assert_clean(to);

    // A time and furniture as stored arrive as they are (not the time of the put); the same
    // id again replaces every row of the older version.
    let mut older = moved[1].clone();
    older.document.ingested_at = "2001-02-03T04:05:06Z".into();
    older.furniture = vec![
        FurnitureRow {
            start: 0,
            end: 3,
            kind: "page-number".into(),
        },
        FurnitureRow {
            start: 5,
            end: 9,
            kind: "running-header".into(),
        },
    ];
    older.aliases.push(super::AliasRow {
        alias: "old-b.txt".into(),
        recorded_at: "2000-01-01T00:00:00Z".into(),
    });
    older.document.aliases = vec!["old-b.txt".into()];
    assert_eq!(to.put_rows(&older).unwrap(), PutOutcome::Replaced);
    assert_eq!(to.document_rows("b.txt").unwrap(), Some(older.clone()));
    assert_eq!(
        to.document("b.txt").unwrap().unwrap().ingested_at,
        "2001-02-03T04:05:06Z"
    );
    assert_eq!(sentences(to, None).len(), sentences(from, None).len());
    assert_clean(to);
    assert_eq!(to.put_rows(&moved[1]).unwrap(), PutOutcome::Replaced);
    assert_eq!(holdings(to), holdings(from));

    // Rows that disagree with their document row, or whose ids another document holds, are
    // refused; what was there stays.
    let mut broken = moved[0].clone();
    broken.sentences.pop();
    let err = to.put_rows(&broken).expect_err("a sentence short");
    assert!(err.to_string().contains("a.txt"), "{err}");
    let mut broken = moved[0].clone();
    broken.document.id = "new.txt".into();
    broken.source.push(b'!');
    assert!(to.put_rows(&broken).is_err());
    let mut taken = moved[0].clone();
    taken.document.id = "new.txt".into();
    taken.aliases.clear();
    taken.document.aliases.clear();
    assert!(to.put_rows(&taken).is_err(), "ids of a.txt");
    assert!(to.document("new.txt").unwrap().is_none());
    assert_eq!(holdings(to), holdings(from));
    assert_clean(to);

    // Ids drawn afterwards follow every kept one.
    let (_, _, _, sentence_ids) = put(to, "c.txt", OTHER);
    let max = |f: fn(&super::DocumentRows) -> Vec<i64>| moved.iter().flat_map(f).max().unwrap();
    assert!(sentence_ids[0] > max(|r| r.sentences.iter().map(|x| x.id).collect()));
    let new_facts = facts_of_doc(to, "c.txt");
    assert!(new_facts[0].id > max(|r| r.facts.iter().map(|x| x.id).collect()));
    assert_clean(to);
}

/// Rejections keep their time when put as stored (a later put of the path replaces); the
/// curation log appended as stored keeps every row's id (gaps included), time and fields;
/// a row that does not follow the latest is refused; a request id already logged is not
/// logged twice; ids drawn afterwards follow.
pub(crate) fn rejections_and_curation_move_to_another_store_as_stored(
    from: &mut dyn Store,
    to: &mut dyn Store,
) {
    from.record_rejection("z.bin", "binary").unwrap();
    from.record_rejection("a.bin", "empty file").unwrap();
    for r in from.rejections().unwrap() {
        to.put_rejection(&r).unwrap();
    }
    assert_eq!(to.rejections().unwrap(), from.rejections().unwrap());
    let old = Rejection {
        path: "z.bin".into(),
        reason: "too large".into(),
        at: "1999-12-31T23:59:59Z".into(),
    };
    to.put_rejection(&old).unwrap();
    let got = to.rejections().unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1], old);

    from.append_curation(&decision("first", None)).unwrap();
    from.append_curation(&decision("second", Some("req-1")))
        .unwrap();
    let mut log = from.curations().unwrap();
    // A row of long ago, after a gap in the ids.
    log.push(CurationRow {
        id: log[1].id + 5,
        at: "1999-12-31T23:59:59Z".into(),
        request_id: Some("req-old".into()),
        ..log[0].clone()
    });
    for row in &log {
        assert_eq!(&to.append_curation_as_stored(row).unwrap(), row);
    }
    assert_eq!(to.curations().unwrap(), log);
    assert_eq!(to.curation_version().unwrap(), log[2].id);
    assert_eq!(
        to.curations().unwrap()[1].new_value.to_string(),
        decision("second", None).new_value.to_string(),
        "a value with a NUL character, as stored"
    );

    // A request id already logged: the row there, nothing appended. A row that does not
    // follow the latest: refused.
    let retried = CurationRow {
        id: log[2].id + 1,
        reason: "retried".into(),
        ..log[1].clone()
    };
    assert_eq!(to.append_curation_as_stored(&retried).unwrap(), log[1]);
    let behind = CurationRow {
        request_id: None,
        ..log[2].clone()
    };
    let err = to.append_curation_as_stored(&behind).expect_err("behind");
    assert!(matches!(err, super::StoreError::Refused(_)), "{err}");
    assert_eq!(to.curations().unwrap(), log);

    let next = to.append_curation(&decision("later", None)).unwrap();
    assert!(next.id > log[2].id);
    assert_eq!(to.curations().unwrap().len(), log.len() + 1);
}
