//! The store: versioning, atomic replacement, facts through the pipeline, index recovery.

use annals::archive::Archive;
use annals::document::{Document, ReadOptions};
use annals::extract::{Extractor, Fact, Pipeline};
use annals::ingest::{self, FileOutcome, IngestOptions, Silent};
use annals::search::SearchRequest;
use annals::store::sqlite::SqliteStore;
use annals::store::{Store, StoreError};
use std::process::Command;

/// A real extractor for tests: every capitalised word of two or more letters that follows a
/// year-like number becomes a fact, with its span.
struct CapitalAfterYear;

impl Extractor for CapitalAfterYear {
    fn name(&self) -> &'static str {
        "capital-after-year"
    }
    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        for s in &doc.sentences {
            let t = doc.sentence_text(s);
            let words: Vec<(usize, &str)> = t
                .split(' ')
                .scan(0, |pos, w| {
                    let at = *pos;
                    *pos += w.len() + 1;
                    Some((at, w))
                })
                .collect();
            for pair in words.windows(2) {
                let (_, y) = pair[0];
                let (at, w) = pair[1];
                if y.len() == 4
                    && y.bytes().all(|b| b.is_ascii_digit())
                    && w.chars().next().is_some_and(char::is_uppercase)
                {
                    let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                    let start = s.range.start + at;
                    let mut body = serde_json::Map::new();
                    body.insert("word".into(), w.into());
                    out.push(Fact {
                        evidence: doc.span_of(start..start + w.len()),
                        body: annals::extract::FactBody::Other {
                            kind: "test-word".into(),
                            fields: body,
                        },
                    });
                }
            }
        }
    }
}

fn ingest_dir(
    a: &mut Archive,
    dir: &std::path::Path,
    pipeline: &Pipeline,
) -> ingest::IngestSummary {
    ingest::ingest(
        a,
        &[dir.to_path_buf()],
        &IngestOptions::default(),
        pipeline,
        &Silent,
    )
    .unwrap()
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn newer_schema_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("annals.db");
    drop(SqliteStore::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    match SqliteStore::open(&db) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer store was opened"),
    }
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--data")
        .arg(dir.path())
        .arg("documents")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer annals") && err.contains("99"), "{err}");
}

/// A source folder with one two-sentence document, a data folder, the standard pipeline
/// with [`CapitalAfterYear`], and an archive on the data folder.
fn two_sentence_archive() -> (tempfile::TempDir, tempfile::TempDir, Pipeline, Archive) {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(
        src.path(),
        "a.txt",
        "In 1978 Moscow signed the treaty. In 1980 Hanoi hosted experts.\n",
    );
    let pipeline = Pipeline::standard().with(Box::new(CapitalAfterYear));
    let a = Archive::open(data.path()).unwrap();
    (src, data, pipeline, a)
}

#[test]
fn replacing_a_document_replaces_its_facts_and_sentences() {
    let (src, _data, pipeline, mut a) = two_sentence_archive();
    let s = ingest_dir(&mut a, src.path(), &pipeline);
    assert_eq!(s.added, 1);
    let words = |a: &Archive| {
        let mut v = Vec::new();
        a.store
            .facts(Some("test-word"), &mut |f| {
                v.push((
                    f.record["word"].as_str().unwrap().to_string(),
                    f.record["text"].as_str().unwrap().to_string(),
                ));
                Ok(())
            })
            .unwrap();
        v
    };
    assert_eq!(
        words(&a),
        vec![
            ("Moscow".into(), "Moscow".into()),
            ("Hanoi".into(), "Hanoi".into())
        ]
    );

    // Unchanged: a no-op.
    let s = ingest_dir(&mut a, src.path(), &pipeline);
    assert_eq!((s.unchanged, s.added, s.replaced), (1, 0, 0));

    // Changed: old facts and sentences are gone, new ones in.
    write(
        src.path(),
        "a.txt",
        "In 1991 Kyiv and Minsk left. Nothing else.\n",
    );
    let s = ingest_dir(&mut a, src.path(), &pipeline);
    assert_eq!(s.replaced, 1);
    assert_eq!(words(&a), vec![("Kyiv".into(), "Kyiv".into())]);
    let mut sentences = Vec::new();
    a.store
        .sentences(None, &mut |s| {
            sentences.push(s.clean);
            Ok(())
        })
        .unwrap();
    assert_eq!(
        sentences,
        vec!["In 1991 Kyiv and Minsk left.", "Nothing else."]
    );
    assert!(
        a.search(&SearchRequest {
            query: "Moscow".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap()
        .is_empty()
    );
    assert_eq!(
        a.search(&SearchRequest {
            query: "Minsk".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap()
        .len(),
        1
    );
    assert!(a.store.check().unwrap().is_empty());
}

/// A fact by its span: every fact of the document at exactly that span, of any kind, and
/// nothing at a span that only overlaps it; the same in a store migrated from version 3.
#[test]
fn facts_are_found_by_their_exact_span() {
    let (src, data, pipeline, mut a) = two_sentence_archive();
    ingest_dir(&mut a, src.path(), &pipeline);
    let mut all = Vec::new();
    a.store
        .facts(None, &mut |f| {
            all.push(f);
            Ok(())
        })
        .unwrap();
    let hanoi = all
        .iter()
        .find(|f| f.kind == "test-word" && f.text() == "Hanoi")
        .unwrap();
    let doc = hanoi.doc.clone();
    for f in &all {
        let at = a.store.facts_at(&f.doc, f.start, f.end).unwrap();
        let want: Vec<i64> = all
            .iter()
            .filter(|g| g.doc == f.doc && (g.start, g.end) == (f.start, f.end))
            .map(|g| g.id)
            .collect();
        assert_eq!(at.iter().map(|g| g.id).collect::<Vec<_>>(), want);
    }
    assert!(
        a.store
            .facts_at(&doc, hanoi.start + 1, hanoi.end)
            .unwrap()
            .is_empty()
    );
    assert!(
        a.store
            .facts_at("no-such.txt", hanoi.start, hanoi.end)
            .unwrap()
            .is_empty()
    );
    drop(a);

    // A version-3 store (no span index, no pages table) is migrated on open and answers the
    // same.
    let db = data.path().join("annals.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TABLE pages; DROP INDEX facts_span; CREATE INDEX facts_doc ON facts(doc_id); \
         PRAGMA user_version = 3;",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&db).unwrap();
    let at = store.facts_at(&doc, hanoi.start, hanoi.end).unwrap();
    assert!(at.iter().any(|f| f.id == hanoi.id));
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_document_stored_but_not_indexed_is_recovered() {
    let data = tempfile::tempdir().unwrap();
    {
        // Simulate a crash between the store's commit and the index's: write the store only.
        let mut store = SqliteStore::open(&data.path().join("annals.db")).unwrap();
        let doc = Document::read(
            "x.txt",
            b"Brezhnev met Le Duan in Moscow.".to_vec(),
            ReadOptions::default(),
        )
        .unwrap();
        store.put_document(&doc, &[]).unwrap();
        assert_eq!(store.unindexed().unwrap(), vec!["x.txt".to_string()]);
    }
    let mut a = Archive::open(data.path()).unwrap();
    assert!(
        a.search(&SearchRequest {
            query: "Brezhnev".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap()
        .is_empty()
    );
    assert_eq!(a.reconcile().unwrap(), 1);
    assert_eq!(
        a.search(&SearchRequest {
            query: "Brezhnev".into(),
            limit: 5,
            ..Default::default()
        })
        .unwrap()
        .len(),
        1
    );
    assert!(a.store.unindexed().unwrap().is_empty());
    // A rebuild gives the same.
    assert_eq!(a.rebuild_index().unwrap(), 1);
    assert_eq!(a.index.len().unwrap(), 1);
}

#[test]
fn same_content_under_two_names_is_stored_once() {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(
        src.path(),
        "a.txt",
        "The Soviet Union recognized Vietnam in 1950.\n",
    );
    write(
        src.path(),
        "b.txt",
        "The Soviet Union recognized Vietnam in 1950.\n",
    );
    let mut a = Archive::open(data.path()).unwrap();
    let s = ingest_dir(&mut a, src.path(), &Pipeline::standard());
    assert_eq!((s.added, s.duplicates), (1, 1));
    assert!(s.files.iter().any(|f| f.doc == "b.txt" && f.outcome == FileOutcome::Duplicate { of: "a.txt".into() }));
    let docs = a.store.documents().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].aliases, vec!["b.txt".to_string()]);
}

#[test]
fn document_ids_stay_unique_across_roots() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(one.path(), "same.txt", "First folder text about Hanoi.\n");
    write(two.path(), "same.txt", "Second folder text about Moscow.\n");
    let mut a = Archive::open(data.path()).unwrap();
    let roots = [one.path().to_path_buf(), two.path().to_path_buf()];
    let s = ingest::ingest(
        &mut a,
        &roots,
        &IngestOptions::default(),
        &Pipeline::standard(),
        &Silent,
    )
    .unwrap();
    assert_eq!(s.added, 2);
    let ids: Vec<String> = a
        .store
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert!(ids.contains(&"same.txt".to_string()), "{ids:?}");
    assert_eq!(ids.len(), 2);
}

/// Documents come in pages keyed by id: pages of any size put together are the whole list,
/// in order, with aliases; a document added between two pages before the reader's place
/// shifts nothing after it; past the last id a page is empty.
#[test]
fn documents_come_in_pages_keyed_by_id() {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    for (i, name) in ["b", "d", "f", "h", "j", "l", "n"].iter().enumerate() {
        write(
            src.path(),
            &format!("{name}.txt"),
            &format!("Text number {i} about Hanoi and Moscow in 19{}0.\n", i + 2),
        );
    }
    write(
        src.path(),
        "copy.txt",
        "Text number 0 about Hanoi and Moscow in 1920.\n",
    );
    let mut a = Archive::open(data.path()).unwrap();
    ingest_dir(&mut a, src.path(), &Pipeline::standard());
    let all = a.store.documents().unwrap();
    assert_eq!(all.len(), 7);
    for size in [1, 2, 3, 7, 100] {
        let mut got = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = a.store.documents_page(after.as_deref(), size).unwrap();
            assert!(page.len() <= size);
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            got.extend(page);
        }
        let ids = |v: &[annals::store::StoredDocument]| {
            v.iter()
                .map(|d| (d.id.clone(), d.aliases.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&got), ids(&all), "pages of {size}");
    }
    assert!(a.store.documents_page(Some("n.txt"), 5).unwrap().is_empty());
    assert!(a.store.documents_page(None, 0).unwrap().is_empty());
    // The reader has seen b and d; a document whose id sorts before them is added.
    let first = a.store.documents_page(None, 2).unwrap();
    let more = tempfile::tempdir().unwrap();
    write(more.path(), "a.txt", "Another text about Hanoi in 1975.\n");
    ingest_dir(&mut a, more.path(), &Pipeline::standard());
    let next = a
        .store
        .documents_page(Some(&first[1].id), 2)
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect::<Vec<_>>();
    assert_eq!(next, ["f.txt", "h.txt"]);
}
