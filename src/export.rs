//! The export record shapes: the contract in `shared/eval/README.md`.
//!
//! Every record that points into a source carries `doc`, `start`, `end` (byte offsets into
//! the original file) and `text` (those bytes, decoded). `export` and `extract` both write
//! these records, one JSON object per line.

use crate::document::{Document, Source};
use crate::extract::Fact;
use serde_json::{Map, Value, json};

pub mod annotation;
pub mod bibliography;
pub mod csl;
pub mod csv;
pub mod timelinejs;

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

/// A fact's record.
pub fn fact_record(fact: &Fact) -> Value {
    let mut m = Map::with_capacity(fact.body.len() + 5);
    m.insert("kind".into(), fact.kind.into());
    m.insert("doc".into(), fact.evidence.doc.clone().into());
    m.insert("start".into(), fact.evidence.start.into());
    m.insert("end".into(), fact.evidence.end.into());
    m.insert("text".into(), fact.evidence.text.clone().into());
    for (k, v) in &fact.body {
        m.insert(k.clone(), v.clone());
    }
    Value::Object(m)
}

/// Writes every record of the store as JSON Lines: per document (by id), its `document`
/// record, its `paragraph` and `sentence` records, then its facts.
pub fn write_store(
    store: &dyn crate::store::Store,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    use crate::store::StoreError;
    // Curated values replace the machine's (kept under `curation.machine`); rejected facts
    // and events stay, marked, so that nothing a historian judged disappears.
    let curation = crate::curation::Curation::load(store)?;
    let mut facts_by_doc: std::collections::HashMap<String, Vec<Value>> = Default::default();
    store.facts(None, &mut |mut f| {
        curation.apply_to_fact(&mut f);
        facts_by_doc.entry(f.doc).or_default().push(f.record);
        Ok(())
    })?;
    for d in store.documents()? {
        let bytes = store.source_bytes(&d.id)?.unwrap_or_default();
        let enc = d.encoding();
        let text_of = |s: u64, e: u64| {
            crate::source::decode::decode_range(&bytes, enc, s as usize..e as usize)
        };
        let rec = json!({
            "kind": "document",
            "doc": d.id,
            "sha256": d.sha256,
            "bytes": d.bytes,
            "encoding": d.encoding,
            "encoding_confidence": d.encoding_confidence,
            "format": d.format,
            "lang": d.lang,
            "title": d.title,
            "paragraphs": d.paragraphs,
            "sentences": d.sentences,
            "aliases": d.aliases,
            "ingested_at": d.ingested_at,
        });
        writeln!(out, "{rec}")?;
        store.sentences(Some(&d.id), &mut |s| {
            let rec = json!({
                "kind": "sentence",
                "doc": s.doc,
                "start": s.start,
                "end": s.end,
                "text": text_of(s.start, s.end),
                "clean": s.clean,
                "lang": s.lang,
                "seq": s.seq,
                "paragraph": s.paragraph,
            });
            writeln!(out, "{rec}").map_err(StoreError::Io)
        })?;
        for f in facts_by_doc.remove(&d.id).unwrap_or_default() {
            writeln!(out, "{f}")?;
        }
    }
    let history = crate::history::History::build_with(store, &curation)?;
    for e in history.events.iter().chain(&history.rejected) {
        writeln!(out, "{}", history.event_record(e))?;
    }
    // Series and conflicts (the events are written above, with their curation).
    let rest = crate::history::History {
        events: Vec::new(),
        rejected: Vec::new(),
        ..history
    };
    write_history(&rest, out)
}

/// An event's record: the contract's fields (`id`, `type`, `date_start`, `date_end`,
/// `participants`, `summary`, `evidence`: one span per statement) and the rest of the event.
pub fn event_record(e: &crate::history::merge::Event) -> Value {
    let evidence: Vec<Value> = e
        .statements
        .iter()
        .map(|s| {
            json!({
                "doc": s.evidence.doc, "start": s.evidence.start, "end": s.evidence.end,
                "text": s.evidence.text, "lang": s.lang, "fact": s.fact,
                "date_text": s.date_text, "date_origin": s.date_origin, "trigger": s.trigger,
            })
        })
        .collect();
    json!({
        "kind": "event",
        "id": e.id,
        "type": e.ty,
        "field": e.field,
        "date_start": e.date_start,
        "date_end": e.date_end,
        "participants": e.participants,
        "place": e.place,
        "about": e.about,
        "modality": e.modality,
        "summary": e.summary,
        "sources": e.sources,
        "languages": e.languages,
        "merge_reason": e.merge_reason,
        "related": e.related,
        "evidence": evidence,
    })
}

/// Writes the history (events, series, conflicts) as JSON Lines.
pub fn write_history(
    h: &crate::history::History,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    for e in &h.events {
        writeln!(out, "{}", event_record(e))?;
    }
    for s in &h.series {
        let mut v = serde_json::to_value(s)?;
        if let Value::Object(m) = &mut v {
            m.insert("kind".into(), "series".into());
        }
        writeln!(out, "{v}")?;
    }
    for c in &h.conflicts {
        let mut v = serde_json::to_value(c)?;
        if let Value::Object(m) = &mut v {
            m.insert(
                "conflict_kind".into(),
                m.get("kind").cloned().unwrap_or(Value::Null),
            );
            m.insert("kind".into(), "conflict".into());
        }
        writeln!(out, "{v}")?;
    }
    Ok(())
}
