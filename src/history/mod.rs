//! History: what the sources say together, as algorithms over facts: event statements
//! merged into events across documents and languages ([`merge`]), series of measures
//! ([`series`]), the conflicts between sources ([`conflict`]), and the timeline's filters
//! ([`timeline`]).
//!
//! Nothing here knows curation or the store's layout: the read model
//! ([`crate::snapshot`]) gives these algorithms the curated facts and applies the event
//! decisions to what [`merge`] makes (its [`crate::snapshot::History`]).

pub mod conflict;
pub mod merge;
pub mod series;
pub mod timeline;

use serde_json::{Value, json};

/// An event's record: the contract's fields (`id`, `type`, `date_start`, `date_end`,
/// `participants`, `summary`, `evidence`: one span per statement) and the rest of the event.
pub fn event_record(e: &merge::Event) -> Value {
    let evidence: Vec<Value> = e
        .statements
        .iter()
        .map(|s| {
            let mut v = json!({
                "doc": s.evidence.doc, "start": s.evidence.start, "end": s.evidence.end,
                "text": s.evidence.text, "lang": s.lang, "fact": s.fact,
                "date_text": s.date_text, "date_origin": s.date_origin, "trigger": s.trigger,
            });
            // A PDF's or a scan's statement: its page and boxes.
            if let (Some(p), Some(m)) = (&s.evidence.place, v.as_object_mut())
                && let Ok(Value::Object(place)) = serde_json::to_value(p)
            {
                m.extend(place);
            }
            v
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
