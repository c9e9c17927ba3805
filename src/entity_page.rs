//! What the store knows about one entity: its mentions, grouped by document, and the
//! entities mentioned in the same sentences. Built from stored `mention` facts only, so it
//! works for any store backend.

use crate::store::{Result, Store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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

/// A stored mention, as the page needs it.
struct Stored {
    start: u64,
    end: u64,
    entity_id: String,
    entity: String,
    record: serde_json::Value,
}

/// Builds the page of the entity `entity_id` from the store.
pub fn entity_page(store: &dyn Store, entity_id: &str) -> Result<EntityPage> {
    // Every mention, by document, with its entity: the co-occurrence needs them all.
    let mut by_doc: BTreeMap<String, Vec<Stored>> = BTreeMap::new();
    store.facts(Some("mention"), &mut |f| {
        by_doc.entry(f.doc).or_default().push(Stored {
            start: f.start,
            end: f.end,
            entity_id: f.record["entity_id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            entity: f.record["entity"].as_str().unwrap_or_default().to_string(),
            record: f.record,
        });
        Ok(())
    })?;
    let mut documents = Vec::new();
    let mut forms: HashMap<String, usize> = HashMap::new();
    let mut co: HashMap<String, (String, usize)> = HashMap::new();
    let mut total = 0;
    for (doc, mentions) in &by_doc {
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
            let text = m.record["text"].as_str().unwrap_or_default().to_string();
            *forms
                .entry(text.split_whitespace().collect::<Vec<_>>().join(" "))
                .or_default() += 1;
            refs.push(MentionRef {
                start: m.start,
                end: m.end,
                text,
                matched: m.record["matched"].as_str().map(str::to_string),
                confidence: m.record["confidence"].as_f64(),
            });
        }
        documents.push(DocMentions {
            doc: doc.clone(),
            mentions: refs,
        });
        // Sentences of this document that mention the entity, and who else they mention.
        let mut spans: Vec<(u64, u64)> = Vec::new();
        store.sentences(Some(doc), &mut |s| {
            if own.iter().any(|m| m.start >= s.start && m.end <= s.end) {
                spans.push((s.start, s.end));
            }
            Ok(())
        })?;
        for (a, b) in spans {
            let mut seen: Vec<&str> = Vec::new();
            for m in mentions {
                let id = m.entity_id.as_str();
                if id != entity_id && m.start >= a && m.end <= b && !seen.contains(&id) {
                    seen.push(id);
                    co.entry(m.entity_id.clone())
                        .or_insert_with(|| (m.entity.clone(), 0))
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
    Ok(EntityPage {
        entity_id: entity_id.to_string(),
        mentions: total,
        forms,
        documents,
        co_occurring,
    })
}
