//! The record shapes of the export contract (`shared/eval/README.md`), below every module
//! that writes or stores them (the store keeps fact records; `extract` and `export` print
//! them).
//!
//! Every record that points into a source carries `doc`, `start`, `end` (byte offsets into
//! the original file) and `text` (those bytes, decoded).

use crate::document::{Document, Source};
use crate::extract::Fact;
use serde_json::{Map, Value, json};

/// The `document` record.
pub fn document_record(doc: &Document, aliases: &[String]) -> Value {
    json!({
        "kind": "document",
        "doc": doc.source.id,
        "sha256": doc.source.sha256,
        "bytes": doc.source.bytes.len(),
        "encoding": doc.source.encoding.name(),
        "encoding_confidence": doc.source.encoding_confidence,
        "format": doc.source.format.name(),
        "lang": doc.lang.code(),
        "title": doc.title,
        "paragraphs": doc.paragraphs.len(),
        "sentences": doc.sentences.len(),
        "furniture": doc.furniture.len(),
        "aliases": aliases,
    })
}

/// A record pointing at `start..end` of `source`, with `kind` and the fields of `body`.
pub fn span_record(
    kind: &str,
    source: &Source,
    start: usize,
    end: usize,
    body: Map<String, Value>,
) -> Value {
    let mut m = Map::with_capacity(body.len() + 5);
    m.insert("kind".into(), kind.into());
    m.insert("doc".into(), source.id.clone().into());
    m.insert("start".into(), start.into());
    m.insert("end".into(), end.into());
    m.insert("text".into(), source.text_of(start..end).into());
    m.extend(body);
    Value::Object(m)
}

/// The `paragraph` records of a document.
pub fn paragraph_records(doc: &Document) -> impl Iterator<Item = Value> + '_ {
    doc.paragraphs.iter().enumerate().map(|(i, p)| {
        let mut body = Map::new();
        body.insert("seq".into(), i.into());
        body.insert("block".into(), p.kind.name().into());
        body.insert("lang".into(), p.lang.code().into());
        span_record("paragraph", &doc.source, p.src.start, p.src.end, body)
    })
}

/// The `sentence` records of a document: `text` is the source bytes, `clean` the repaired
/// sentence (line breaks joined, headers removed).
pub fn sentence_records(doc: &Document) -> impl Iterator<Item = Value> + '_ {
    doc.sentences.iter().enumerate().map(|(i, s)| {
        let mut body = Map::new();
        body.insert("seq".into(), i.into());
        body.insert("paragraph".into(), s.paragraph.into());
        body.insert("lang".into(), s.lang.code().into());
        body.insert("clean".into(), doc.sentence_text(s).into());
        span_record("sentence", &doc.source, s.src.start, s.src.end, body)
    })
}

/// A fact's record: its body's fields, with `kind` and the span.
pub fn fact_record(fact: &Fact) -> Value {
    let mut m = fact.fields();
    m.insert("kind".into(), fact.kind().into());
    m.insert("doc".into(), fact.evidence.doc.clone().into());
    m.insert("start".into(), fact.evidence.start.into());
    m.insert("end".into(), fact.evidence.end.into());
    m.insert("text".into(), fact.evidence.text.clone().into());
    Value::Object(m)
}
