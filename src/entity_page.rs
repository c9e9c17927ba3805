//! What the sources say about one entity: its mentions, grouped by document, the entities
//! mentioned in the same sentences, and the events it takes part in. Built from a
//! snapshot's curated `mention` facts and history; the CLI and the API show the same
//! [`entity_record`].

use crate::knowledge::gazetteer::Entity;
use crate::snapshot::Snapshot;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// One mention of the entity.
#[derive(Debug, Clone, Serialize)]
pub struct MentionRef {
    pub start: u64,
    pub end: u64,
    /// The source text of the mention (as written: OCR damage and all).
    pub text: String,
    pub matched: Option<String>,
    pub confidence: Option<f64>,
}

/// Mentions of the entity in one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocMentions {
    pub doc: String,
    pub mentions: Vec<MentionRef>,
}

/// An entity mentioned in the same sentence as this one.
#[derive(Debug, Clone, Serialize)]
pub struct CoOccurrence {
    pub entity_id: String,
    pub entity: String,
    /// Number of sentences in which both are mentioned.
    pub sentences: usize,
}

/// The page of one entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityPage {
    pub entity_id: String,
    pub mentions: usize,
    /// Distinct surface forms, most frequent first, with their counts.
    pub forms: Vec<(String, usize)>,
    pub documents: Vec<DocMentions>,
    pub co_occurring: Vec<CoOccurrence>,
}

/// A mention, as the page needs it.
struct Stored<'a> {
    start: u64,
    end: u64,
    entity_id: &'a str,
    entity: &'a str,
    text: &'a str,
    mention: &'a crate::fact::Mention,
}

/// Builds the page of the entity `entity_id` from a snapshot's mentions, as curated
/// (rejected mentions left out, an edited mention under its curated entity).
pub fn entity_page(snapshot: &Snapshot, entity_id: &str) -> EntityPage {
    let mut documents = Vec::new();
    let mut forms: HashMap<String, usize> = HashMap::new();
    let mut co: HashMap<String, (String, usize)> = HashMap::new();
    let mut total = 0;
    for d in snapshot.docs() {
        let doc = &d.doc.id;
        // Every mention of the document, with its entity: the co-occurrence needs them all.
        let mentions: Vec<Stored> = snapshot
            .facts_of(doc)
            .filter(|c| !c.rejected())
            .filter_map(|c| {
                let m = c.fact.body.mention()?;
                Some(Stored {
                    start: c.fact.start,
                    end: c.fact.end,
                    entity_id: &m.entity_id,
                    entity: &m.entity,
                    text: c.fact.text(),
                    mention: m,
                })
            })
            .collect();
        let own: Vec<&Stored> = mentions
            .iter()
            .filter(|m| m.entity_id == entity_id)
            .collect();
        if own.is_empty() {
            continue;
        }
        total += own.len();
        let mut refs = Vec::with_capacity(own.len());
        for m in &own {
            let text = m.text.to_string();
            *forms
                .entry(text.split_whitespace().collect::<Vec<_>>().join(" "))
                .or_default() += 1;
            refs.push(MentionRef {
                start: m.start,
                end: m.end,
                text,
                matched: Some(m.mention.matched.clone()),
                confidence: Some(m.mention.confidence),
            });
        }
        documents.push(DocMentions {
            doc: doc.clone(),
            mentions: refs,
        });
        // Sentences of this document that mention the entity, and who else they mention.
        for s in &d.sentences {
            if !own.iter().any(|m| m.start >= s.start && m.end <= s.end) {
                continue;
            }
            let mut seen: Vec<&str> = Vec::new();
            for m in &mentions {
                let id = m.entity_id;
                if id != entity_id && m.start >= s.start && m.end <= s.end && !seen.contains(&id) {
                    seen.push(id);
                    co.entry(id.to_string())
                        .or_insert_with(|| (m.entity.to_string(), 0))
                        .1 += 1;
                }
            }
        }
    }
    let mut forms: Vec<(String, usize)> = forms.into_iter().collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut co_occurring: Vec<CoOccurrence> = co
        .into_iter()
        .map(|(entity_id, (entity, sentences))| CoOccurrence {
            entity_id,
            entity,
            sentences,
        })
        .collect();
    co_occurring.sort_by(|a, b| b.sentences.cmp(&a.sentences).then(a.entity.cmp(&b.entity)));
    EntityPage {
        entity_id: entity_id.to_string(),
        mentions: total,
        forms,
        documents,
        co_occurring,
    }
}

/// The entity named `name` (an id, or any alias in any language), or why there is none.
pub fn find(name: &str) -> Result<&'static Entity, String> {
    let g = crate::knowledge::gazetteer::builtin();
    if let Some(e) = g.entities.iter().find(|e| e.id == name) {
        return Ok(e);
    }
    match crate::knowledge::gazetteer::resolve_all(name).as_slice() {
        [] => Err(format!(
            "no entity is named {name:?} (see `annals entities`, or `annals entities --candidates` for names not in the gazetteer)"
        )),
        [e] => Ok(e),
        many => Err(format!(
            "{name:?} names {} entities: {}; use one of their ids",
            many.len(),
            many.iter()
                .map(|e| format!("{} ({})", e.name, e.id))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// One entity as JSON: labels, aliases, life dates, its page, and the (curated) events it
/// takes part in.
pub fn entity_record(snapshot: &Snapshot, e: &Entity) -> Value {
    let page = entity_page(snapshot, &e.id);
    let events: Vec<Value> = snapshot
        .history
        .events
        .iter()
        .filter(|ev| {
            ev.participants.iter().any(|p| p == &e.name)
                || ev
                    .statements
                    .iter()
                    .any(|s| s.participant_ids.contains(&e.id))
        })
        .map(|ev| {
            json!({"id": ev.id, "type": ev.ty, "date_start": ev.date_start, "date_end": ev.date_end,
                   "summary": ev.summary, "sources": ev.sources})
        })
        .collect();
    json!({
        "entity_id": e.id, "entity": e.name, "type": e.kind, "qid": e.qid,
        "labels": e.labels,
        "aliases": e.aliases.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(),
        "dates": e.dates,
        "page": page, "events": events,
    })
}
