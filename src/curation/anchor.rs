//! Anchors: what a decision is about, written so that it can be found again after its
//! document is re-ingested (fact and event ids are not stable; spans and texts are).
//!
//! - A fact is anchored by its document, kind, byte span, the exact source text of the span
//!   and the machine's value at decision time ([`machine_value`]).
//! - An event is anchored by its statements (document, span, text, type) and the machine's
//!   type and dates at decision time.
//!
//! Resolution against the current facts ([`Resolver`]): the same span with the same text
//! and the same machine value applies; the same text found once elsewhere in the same
//! document, with the same machine value, applies re-anchored; anything else is stale.

use crate::history::merge::Event;
use crate::store::{Store, StoredFact};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// What a decision is about, as kept in the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "target", rename_all = "snake_case")]
pub enum Target {
    Fact(FactAnchor),
    Event(EventAnchor),
    /// A source's description of itself (its citation: title, authors, year, venue…).
    Document(DocumentAnchor),
}

/// A source, by its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAnchor {
    pub doc: String,
}

impl Target {
    /// A short label: `doc@start-end kind` or `event ev-...`.
    pub fn label(&self) -> String {
        match self {
            Target::Fact(a) => format!("{}@{}-{} {}", a.doc, a.start, a.end, a.kind),
            Target::Event(e) => format!(
                "event {} ({} statement{})",
                e.event_id.as_deref().unwrap_or("?"),
                e.statements.len(),
                if e.statements.len() == 1 { "" } else { "s" }
            ),
            Target::Document(d) => format!("source {}", d.doc),
        }
    }
}

/// A fact, anchored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactAnchor {
    pub doc: String,
    /// The fact's kind (`timex`, `quantity`, `mention`, `event_statement`, ...).
    pub kind: String,
    pub start: u64,
    pub end: u64,
    /// The exact source text of the span.
    pub text: String,
    /// The machine's value at decision time ([`machine_value`]).
    pub value: Value,
    /// The fact's id at decision time (informative only: ids change on re-ingest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact_id: Option<i64>,
}

/// One statement of an event, anchored.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StatementAnchor {
    pub doc: String,
    pub start: u64,
    pub end: u64,
    pub text: String,
    /// The statement's event type, as the machine extracted it.
    #[serde(rename = "type")]
    pub ty: String,
    /// Its trigger word and the trigger's offset from `start` (one sentence may hold
    /// several statements of one type).
    #[serde(default)]
    pub trigger: String,
    #[serde(default)]
    pub trigger_at: u64,
}

/// The trigger and its offset from the statement's start, of an `event_statement` record.
pub fn trigger_of(record: &Value) -> (String, u64) {
    let trigger = record
        .get("trigger")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let start = record.get("start").and_then(Value::as_u64).unwrap_or(0);
    let at = record
        .get("trigger_span")
        .and_then(|t| t.get("start"))
        .and_then(Value::as_u64)
        .map_or(0, |t| t.saturating_sub(start));
    (trigger, at)
}

/// An event, anchored by its statements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventAnchor {
    /// The event's id at decision time (informative only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    pub statements: Vec<StatementAnchor>,
    /// The machine's type and dates at decision time ([`event_value`]).
    pub value: Value,
}

/// The part of a fact record that is the machine's *value* (what a decision confirms,
/// rejects or corrects): for a timex its interval and type, for a quantity its number,
/// scale, unit and value, for a mention its entity, for an event statement its type,
/// dates, participants, polarity and modality, for a table its caption and columns;
/// otherwise every field but the span.
pub fn machine_value(kind: &str, record: &Value) -> Value {
    let keys: &[&str] = match kind {
        "timex" => &["value_start", "value_end", "type"],
        "duration" => &["duration"],
        "quantity" => &["number", "scale", "unit", "value"],
        "mention" => &["entity_id"],
        "event_statement" => &[
            "type",
            "date_start",
            "date_end",
            "participant_ids",
            "polarity",
            "modality",
        ],
        "table" => &["caption", "columns"],
        _ => {
            let mut m = Map::new();
            if let Some(o) = record.as_object() {
                for (k, v) in o {
                    if !["kind", "doc", "start", "end", "text", "curation"].contains(&k.as_str())
                        && !k.ends_with("_span")
                    {
                        m.insert(k.clone(), v.clone());
                    }
                }
            }
            return Value::Object(m);
        }
    };
    let mut m = Map::new();
    for k in keys {
        m.insert(
            (*k).to_string(),
            record.get(*k).cloned().unwrap_or(Value::Null),
        );
    }
    Value::Object(m)
}

/// The machine's value of an event: its type and date interval.
pub fn event_value(e: &Event) -> Value {
    json!({"type": e.ty, "date_start": e.date_start, "date_end": e.date_end})
}

/// A fact's anchor, from its stored (machine) record.
pub fn fact_anchor(f: &StoredFact) -> FactAnchor {
    FactAnchor {
        doc: f.doc.clone(),
        kind: f.kind.clone(),
        start: f.start,
        end: f.end,
        text: f
            .record
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        value: machine_value(&f.kind, &f.record),
        fact_id: Some(f.id),
    }
}

/// How an anchor stands against the current facts.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Same span, same text, same machine value.
    Exact(i64),
    /// The same text and machine value, found once elsewhere in the document.
    Reanchored { fact: i64, start: u64, end: u64 },
    /// No longer applies. `fact` is the fact now at the anchored span, if any (its value
    /// changed).
    Stale { fact: Option<i64>, why: String },
}

impl Resolution {
    /// The fact the anchor resolves to, when it applies.
    pub fn fact(&self) -> Option<i64> {
        match self {
            Resolution::Exact(f) | Resolution::Reanchored { fact: f, .. } => Some(*f),
            Resolution::Stale { .. } => None,
        }
    }
}

/// Where an anchor points: document, kind, span and its text.
#[derive(Clone, Copy)]
struct Place<'a> {
    doc: &'a str,
    kind: &'a str,
    start: u64,
    end: u64,
    text: &'a str,
}

/// A current fact, as resolution sees it.
struct Current {
    id: i64,
    start: u64,
    end: u64,
    text: String,
    record: Value,
}

/// What resolving anchors reads: which documents are stored, their current facts and their
/// text. The store is one source ([`StoreFacts`]); a read model that already holds the
/// facts in memory is another, so that resolution does not read the store again.
pub trait FactSource {
    /// Whether the document is stored.
    fn stored(&self, doc: &str) -> bool;
    /// The current facts of a document.
    fn facts_of(&self, doc: &str, f: &mut dyn FnMut(&StoredFact)) -> crate::store::Result<()>;
    /// The document's decoded text, for counting occurrences.
    fn text(&self, doc: &str) -> Option<String>;
}

/// The store as a [`FactSource`].
pub struct StoreFacts<'s>(pub &'s dyn Store);

impl FactSource for StoreFacts<'_> {
    fn stored(&self, doc: &str) -> bool {
        self.0.document_hash(doc).ok().flatten().is_some()
    }

    fn facts_of(&self, doc: &str, f: &mut dyn FnMut(&StoredFact)) -> crate::store::Result<()> {
        self.0.facts_of(doc, &mut |x| {
            f(&x);
            Ok(())
        })
    }

    fn text(&self, doc: &str) -> Option<String> {
        let d = self.0.document(doc).ok()??;
        let bytes = self.0.source_bytes(doc).ok()??;
        Some(crate::source::decode::decode_range(
            &bytes,
            d.encoding(),
            0..bytes.len(),
        ))
    }
}

/// Resolves anchors against the current facts (only the documents and kinds asked).
pub struct Resolver<'s> {
    source: &'s dyn FactSource,
    facts: HashMap<(String, String), Vec<Current>>,
    stored: BTreeSet<String>,
    /// Each document's decoded text, for counting occurrences (read when first needed).
    texts: RefCell<HashMap<String, String>>,
}

impl<'s> Resolver<'s> {
    /// Reads the current facts of `kinds` in `docs`.
    pub fn load(
        source: &'s dyn FactSource,
        docs: &BTreeSet<String>,
        kinds: &BTreeSet<String>,
    ) -> crate::store::Result<Resolver<'s>> {
        let mut facts: HashMap<(String, String), Vec<Current>> = HashMap::new();
        let mut stored = BTreeSet::new();
        for d in docs {
            if !source.stored(d) {
                continue;
            }
            stored.insert(d.clone());
            source.facts_of(d, &mut |f| {
                if !kinds.contains(&f.kind) {
                    return;
                }
                let text = f
                    .record
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                facts
                    .entry((f.doc.clone(), f.kind.clone()))
                    .or_default()
                    .push(Current {
                        id: f.id,
                        start: f.start,
                        end: f.end,
                        text,
                        record: f.record.clone(),
                    });
            })?;
        }
        Ok(Resolver {
            source,
            facts,
            stored,
            texts: RefCell::new(HashMap::new()),
        })
    }

    /// How often `text` occurs in the document's (decoded) text.
    fn occurrences(&self, doc: &str, text: &str) -> usize {
        if text.is_empty() {
            return 0;
        }
        let mut texts = self.texts.borrow_mut();
        if !texts.contains_key(doc) {
            let decoded = self.source.text(doc).unwrap_or_default();
            texts.insert(doc.to_string(), decoded);
        }
        texts.get(doc).map_or(0, |t| t.match_indices(text).count())
    }

    fn resolve(
        &self,
        at: Place<'_>,
        same_value: &dyn Fn(&Value) -> bool,
        describe: &dyn Fn(&Value) -> String,
    ) -> Resolution {
        let Place {
            doc,
            kind,
            start,
            end,
            text,
        } = at;
        if !self.stored.contains(doc) {
            return Resolution::Stale {
                fact: None,
                why: format!("document {doc} is no longer stored"),
            };
        }
        let empty = Vec::new();
        let list = self
            .facts
            .get(&(doc.to_string(), kind.to_string()))
            .unwrap_or(&empty);
        let at_span: Vec<&Current> = list
            .iter()
            .filter(|c| c.start == start && c.end == end && c.text == text)
            .collect();
        if let Some(c) = at_span.iter().find(|c| same_value(&c.record)) {
            return Resolution::Exact(c.id);
        }
        let moved: Vec<&Current> = list
            .iter()
            .filter(|c| c.text == text && same_value(&c.record))
            .collect();
        if let [c] = moved.as_slice()
            && self.occurrences(doc, text) == 1
        {
            return Resolution::Reanchored {
                fact: c.id,
                start: c.start,
                end: c.end,
            };
        }
        match at_span.first() {
            Some(c) => Resolution::Stale {
                fact: Some(c.id),
                why: format!("the machine's value changed: now {}", describe(&c.record)),
            },
            None => Resolution::Stale {
                fact: None,
                why: if moved.len() > 1 || self.occurrences(doc, text) > 1 {
                    format!(
                        "the {kind} is no longer at {start}..{end} of {doc}, and its text occurs there more than once"
                    )
                } else {
                    format!(
                        "the {kind} at {start}..{end} of {doc} is gone: its text or its value changed"
                    )
                },
            },
        }
    }

    /// Resolves a fact anchor.
    pub fn fact(&self, a: &FactAnchor) -> Resolution {
        self.resolve(
            Place {
                doc: &a.doc,
                kind: &a.kind,
                start: a.start,
                end: a.end,
                text: &a.text,
            },
            &|r| machine_value(&a.kind, r) == a.value,
            &|r| machine_value(&a.kind, r).to_string(),
        )
    }

    /// Resolves a statement anchor to the current `event_statement` fact of its type.
    pub fn statement(&self, a: &StatementAnchor) -> Resolution {
        self.resolve(
            Place {
                doc: &a.doc,
                kind: "event_statement",
                start: a.start,
                end: a.end,
                text: &a.text,
            },
            &|r| {
                r.get("type").and_then(Value::as_str) == Some(a.ty.as_str())
                    && trigger_of(r) == (a.trigger.clone(), a.trigger_at)
            },
            &|r| {
                let (t, at) = trigger_of(r);
                format!(
                    "type {}, trigger {t:?} at +{at}",
                    r.get("type").unwrap_or(&Value::Null)
                )
            },
        )
    }
}
