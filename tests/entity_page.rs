//! Entity pages from stored mention facts: grouping by document, surface forms, and
//! co-occurrence within sentences.

use annals::archive::Archive;
use annals::document::Document;
use annals::entity_page::entity_page;
use annals::extract::{Extractor, Fact, FactBody, Pipeline};
use annals::ingest::{self, IngestOptions, Silent};

/// Marks two fixed names as mentions of two entities (a stand-in for the gazetteer).
struct TwoNames;

impl Extractor for TwoNames {
    fn name(&self) -> &'static str {
        "two-names"
    }
    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        let t = doc.text.as_str();
        for (name, id, label) in [
            ("Brezhnev", "brezhnev", "Leonid Brezhnev"),
            ("Brêgiơnép", "brezhnev", "Leonid Brezhnev"),
            ("Le Duan", "le-duan", "Lê Duẩn"),
        ] {
            for (at, _) in t.match_indices(name) {
                out.push(Fact {
                    evidence: doc.span_of(at..at + name.len()),
                    body: FactBody::Mention(annals::fact::Mention {
                        entity: label.into(),
                        entity_id: id.into(),
                        qid: None,
                        entity_type: "person".into(),
                        entity_labels: Vec::new(),
                        confidence: 1.0,
                        matched: "exact".into(),
                        nested: false,
                    }),
                });
            }
        }
    }
}

#[test]
fn page_groups_mentions_and_counts_co_occurrence() {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(
        src.path().join("en.txt"),
        "Brezhnev met Le Duan in Moscow. Brezhnev spoke.\n",
    )
    .unwrap();
    std::fs::write(src.path().join("vi.txt"), "Brêgiơnép tiếp Le Duan.\n").unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut a = Archive::open(data.path()).unwrap();
    let pipeline = Pipeline::default().with(Box::new(TwoNames));
    ingest::ingest(
        &mut a,
        &[src.path().to_path_buf()],
        &IngestOptions::default(),
        &pipeline,
        &Silent,
    )
    .unwrap();

    let snapshot = annals::snapshot::Snapshot::build(a.store.as_ref()).unwrap();
    let page = entity_page(&snapshot, "brezhnev");
    assert_eq!(page.mentions, 3);
    assert_eq!(
        page.documents
            .iter()
            .map(|d| (d.doc.as_str(), d.mentions.len()))
            .collect::<Vec<_>>(),
        vec![("en.txt", 2), ("vi.txt", 1)]
    );
    assert_eq!(page.forms[0], ("Brezhnev".to_string(), 2));
    assert_eq!(page.forms[1], ("Brêgiơnép".to_string(), 1));
    // Lê Duẩn shares two sentences with him (one per document); the second English
    // sentence mentions Brezhnev alone.
    assert_eq!(page.co_occurring.len(), 1);
    assert_eq!(page.co_occurring[0].entity, "Lê Duẩn");
    assert_eq!(page.co_occurring[0].sentences, 2);
    // Spans are the source's bytes.
    let vi = &page.documents[1].mentions[0];
    assert_eq!(vi.text, "Brêgiơnép");
    assert_eq!((vi.start, vi.end), (0, "Brêgiơnép".len() as u64));

    let nobody = entity_page(&snapshot, "nobody");
    assert_eq!(nobody.mentions, 0);
    assert!(nobody.documents.is_empty());
}
