//! The pipeline: extractors run in order, and a later one sees what earlier ones found.

use annals::document::{Document, ReadOptions};
use annals::extract::{Extractor, Fact, Pipeline};
use serde_json::Map;

/// Marks every four-digit number as a "year".
struct Years;

impl Extractor for Years {
    fn name(&self) -> &'static str {
        "years"
    }
    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        let t = doc.text.as_str();
        let b = t.as_bytes();
        let mut i = 0;
        while i + 4 <= b.len() {
            let edge = |j: usize| j >= b.len() || !b[j].is_ascii_digit();
            if b[i..i + 4].iter().all(u8::is_ascii_digit) && (i == 0 || edge(i - 1)) && edge(i + 4)
            {
                out.push(Fact {
                    evidence: doc.span_of(i..i + 4),
                    body: annals::extract::FactBody::Other {
                        kind: "year".into(),
                        fields: Map::new(),
                    },
                });
                i += 4;
            } else {
                i += 1;
            }
        }
    }
}

/// Counts, per sentence, the years found before it ran.
struct YearsPerSentence;

impl Extractor for YearsPerSentence {
    fn name(&self) -> &'static str {
        "years-per-sentence"
    }
    fn extract(&self, _doc: &Document, _out: &mut Vec<Fact>) {
        panic!("the pipeline must call extract_after");
    }
    fn extract_after(&self, doc: &Document, earlier: &[Fact], out: &mut Vec<Fact>) {
        for s in &doc.sentences {
            let n = earlier
                .iter()
                .filter(|f| {
                    f.kind() == "year"
                        && f.evidence.start >= s.src.start
                        && f.evidence.end <= s.src.end
                })
                .count();
            let mut body = Map::new();
            body.insert("years".into(), n.into());
            out.push(Fact {
                evidence: doc.span_of(s.range.clone()),
                body: annals::extract::FactBody::Other {
                    kind: "count".into(),
                    fields: body,
                },
            });
        }
    }
}

#[test]
fn later_extractors_see_earlier_facts() {
    let text = "The treaty of 1978 followed the talks of 1977.\nNothing else happened.\n";
    let doc = Document::read("t.txt", text.as_bytes().to_vec(), ReadOptions::default()).unwrap();
    let p = Pipeline::default()
        .with(Box::new(Years))
        .with(Box::new(YearsPerSentence));
    assert_eq!(p.names(), vec!["years", "years-per-sentence"]);
    let facts = p.run(&doc);
    let years: Vec<&str> = facts
        .iter()
        .filter(|f| f.kind() == "year")
        .map(|f| f.evidence.text.as_str())
        .collect();
    assert_eq!(years, vec!["1978", "1977"]);
    let counts: Vec<u64> = facts
        .iter()
        .filter(|f| f.kind() == "count")
        .map(|f| f.fields()["years"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, vec![2, 0]);
    // Evidence is exact: the span's text is the source's bytes.
    for f in &facts {
        assert_eq!(&text[f.evidence.start..f.evidence.end], f.evidence.text);
    }
}
