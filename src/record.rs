//! The record shapes of the export contract (`shared/eval/README.md`), below every module
//! that writes or stores them (the store keeps fact records; `extract` and `export` print
//! them).
//!
//! Every record that points into a source carries `doc`, `start`, `end` (byte offsets into
//! the original file) and `text` (those bytes, decoded). For a PDF or an image the offsets
//! count in the text annals read from it (`annals text DOC`), and the record also carries
//! `page` (1-based) and `boxes` (`[x0, y0, x1, y1]` per line, in points for a PDF, pixels
//! for an image; `ocr` and `ocr_confidence` when the text was read by OCR).

use crate::document::{Document, Source};
use crate::extract::Fact;
use serde_json::{Map, Value, json};

/// The `document` record.
pub fn document_record(doc: &Document, aliases: &[String]) -> Value {
    let mut r = json!({
        "kind": "document",
        "doc": doc.source.id,
        "sha256": doc.source.sha256,
        "bytes": doc.source.bytes.len(),
        "encoding": doc.source.encoding.name(),
        "encoding_confidence": doc.source.encoding_confidence,
        "format": doc.source.format_name(),
        "lang": doc.lang.code(),
        "title": doc.title,
        "paragraphs": doc.paragraphs.len(),
        "sentences": doc.sentences.len(),
        "furniture": doc.furniture.len(),
        "aliases": aliases,
    });
    if let (Some(p), Some(m)) = (&doc.source.paged, r.as_object_mut()) {
        m.insert("file_bytes".into(), p.file.len().into());
        m.insert("pages".into(), p.map.pages.len().into());
        m.insert("ocr_pages".into(), p.map.ocr_pages().into());
        m.insert("unit".into(), p.map.kind.unit().into());
    }
    r
}

/// Adds a span's place (page, boxes, OCR) to a record.
pub fn insert_place(m: &mut Map<String, Value>, place: Option<&crate::span::Place>) {
    if let Some(p) = place
        && let Ok(Value::Object(fields)) = serde_json::to_value(p)
    {
        m.extend(fields);
    }
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
    if source.paged.is_some() {
        insert_place(&mut m, source.span(start..end).place.as_ref());
    }
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
    insert_place(&mut m, fact.evidence.place.as_ref());
    Value::Object(m)
}
