//! Curation: historians confirm, reject or edit what the machine extracted (a fact, an
//! event's date, type, field or participants), merge two events into one or split a
//! statement out of an event, always with a reason. Every decision is a row of an
//! append-only audit log (who, when, what, old and new value, why), kept in the store and
//! never tied to a document row, so re-ingesting a document keeps it.
//!
//! The library API (the CLI's `annals curate` / `annals audit` and the HTTP server call it):
//! - [`decide`] records a [`NewDecision`] and returns its [`AuditEntry`];
//! - [`audit_log`] lists every entry with how it stands now ([`DecisionState`]: applies,
//!   reanchored, stale, retracted);
//! - [`Curation::load`] reads the log and resolves it against the current facts;
//!   [`Curation::apply_to_fact`] / [`Curation::apply_to_record`] put the curated values into
//!   a fact record (the machine's originals under `curation.machine`), and
//!   [`Curation::apply_events`] applies event decisions to merged events
//!   ([`crate::snapshot::Snapshot`] does it for every reader).
//!
//! Rules, simple enough to state on every page:
//! - decisions are anchored on what survives re-ingest ([`anchor`]): a fact by document,
//!   kind, span, exact text and the machine's value; an event by its statements. On load, a
//!   decision whose anchor matches applies; one whose text is found exactly once elsewhere
//!   in the document (same machine value) applies *re-anchored*; any other is *stale*:
//!   kept, listed (`annals audit --stale`), never applied and never dropped;
//! - per target, decisions apply in log order, so the latest wins: the status is the latest
//!   decision's (confirmed, rejected, edited), edits accumulate field by field (a later
//!   edit of a field replaces an earlier one);
//! - nothing is ever deleted: `retract` is a new row that undoes one earlier row;
//! - a rejected fact is not used (answers, events, series) but stays in the export with its
//!   curation; a rejected event leaves the timeline and stays in the export.

pub mod anchor;
mod events;
pub mod value;

pub use anchor::{EventAnchor, FactAnchor, FactSource, StatementAnchor, StoreFacts, Target};
pub use events::{CuratedEvents, EventCuration, EventCurations};

use crate::store::{CurationRow, NewCurationRow, Store, StoreError, StoredFact};
use anchor::{Resolution, Resolver};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

/// Why a decision cannot be recorded.
#[derive(Debug, thiserror::Error)]
pub enum CurationError {
    #[error("a reason is required for every decision (--reason)")]
    MissingReason,
    #[error("who decides is required (--who, or $USER)")]
    MissingWho,
    #[error("{action} needs {what}")]
    Missing { action: Action, what: &'static str },
    #[error("{action} applies to {what}")]
    WrongTarget { action: Action, what: &'static str },
    #[error("invalid target {given:?}: {why}")]
    BadTarget { given: String, why: String },
    #[error(
        "no fact has id {0} (ids change when a document is re-ingested; `annals export` shows spans)"
    )]
    NoSuchFact(i64),
    #[error("no fact {0}")]
    NoFactAtSpan(String),
    #[error("{count} facts are {span}: {which}; name one with DOC@START-END:KIND[:TYPE]")]
    AmbiguousSpan {
        span: String,
        count: usize,
        which: String,
    },
    #[error("no event has id {0:?} (see `annals timeline` or the export's event records)")]
    NoSuchEvent(String),
    #[error("no audit entry #{0}")]
    NoSuchEntry(i64),
    #[error("no document has the id {0:?} (see `annals documents`)")]
    NoSuchDocument(String),
    #[error("audit entry #{0} is a retraction, which cannot be retracted")]
    RetractRetraction(i64),
    #[error("audit entry #{entry} is already retracted (by #{by})")]
    AlreadyRetracted { entry: i64, by: i64 },
    #[error("cannot edit {field:?} of {target}; editable: {allowed}")]
    UnknownField {
        field: String,
        target: String,
        allowed: String,
    },
    #[error("invalid value for {field}: {why}")]
    InvalidValue { field: String, why: String },
    #[error("an event cannot be merged with itself ({0})")]
    SelfMerge(String),
    #[error("the statement {statement} is not part of event {event}")]
    NotInEvent { statement: String, event: String },
    #[error("event {0} has a single statement: there is nothing to split")]
    NothingToSplit(String),
    #[error("the request id must be 1 to 200 printable characters")]
    BadRequestId,
    #[error(
        "the request id {id:?} was already used for a different decision (#{entry}); use a new id for a new decision"
    )]
    RequestIdReused { id: String, entry: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("building the history: {0:#}")]
    History(anyhow::Error),
}

/// Result of a curation operation.
pub type Result<T> = std::result::Result<T, CurationError>;

/// What a decision does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The machine (or curated) value is right.
    Confirm,
    /// The fact or event is wrong: not used, kept visible.
    Reject,
    /// A field gets another value (`field`, `value`).
    Edit,
    /// Events `with` are the same event as the target.
    Merge,
    /// A statement of the target event is an event of its own (`statement`).
    Split,
    /// Undoes one earlier decision (the target is `{"audit": id}`).
    Retract,
}

impl Action {
    /// The action's name (`confirm`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Reject => "reject",
            Action::Edit => "edit",
            Action::Merge => "merge",
            Action::Split => "split",
            Action::Retract => "retract",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Action, String> {
        Ok(match s {
            "confirm" => Action::Confirm,
            "reject" => Action::Reject,
            "edit" => Action::Edit,
            "merge" => Action::Merge,
            "split" => Action::Split,
            "retract" => Action::Retract,
            _ => return Err(format!("unknown action {s:?}")),
        })
    }
}

/// What a historian points at, as given (CLI or JSON). Resolved into an anchored
/// [`Target`] when the decision is recorded.
///
/// JSON: `{"fact": 123}`, `{"span": {"doc": "a.txt", "start": 10, "end": 14, "kind":
/// "timex"}}`, `{"event": "ev-1978-11-03-treaty-1a2b3c4d"}`, `{"audit": 7}`.
/// Text ([`FromStr`]): `123` or `fact:123`; `DOC@START-END[:KIND[:TYPE]]`; `ev-...` or
/// `event:ID`; `#7` or `audit:7`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetRef {
    /// A fact by its current id.
    Fact(#[serde(deserialize_with = "whole")] i64),
    /// A fact by its span; `kind` (and `type`, for event statements) when several facts
    /// share the span.
    Span {
        doc: String,
        #[serde(deserialize_with = "whole")]
        start: u64,
        #[serde(deserialize_with = "whole")]
        end: u64,
        #[serde(default)]
        kind: Option<String>,
        #[serde(default, rename = "type")]
        ty: Option<String>,
    },
    /// An event by its current id (`annals timeline --format json`).
    Event(String),
    /// An audit entry (for `retract`).
    Audit(#[serde(deserialize_with = "whole")] i64),
    /// A source's citation, by the document's id (for `edit` of [`value::SOURCE_FIELDS`]).
    Document(String),
}

/// A whole number of JSON, also when written with a zero fraction (`581.0` is `581`, as JSON
/// Schema counts integers), in the range of `T`.
fn whole<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i128>,
{
    struct Whole;
    impl serde::de::Visitor<'_> for Whole {
        type Value = i128;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<i128, E> {
            Ok(v.into())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<i128, E> {
            Ok(v.into())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<i128, E> {
            // An integer too large for 64 bits reaches here rounded (-2^63 - 1 as -2^63):
            // from 2^63 on, a float is no whole number of an id's range.
            if v.fract() == 0.0 && v.abs() < -(i64::MIN as f64) {
                Ok(v as i128)
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
        }
    }
    let n = d.deserialize_any(Whole)?;
    T::try_from(n).map_err(|_| {
        serde::de::Error::invalid_value(
            serde::de::Unexpected::Other(&n.to_string()),
            &"a whole number in range",
        )
    })
}

impl fmt::Display for TargetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetRef::Fact(id) => write!(f, "fact:{id}"),
            TargetRef::Span {
                doc,
                start,
                end,
                kind,
                ty,
            } => {
                write!(f, "{doc}@{start}-{end}")?;
                if let Some(k) = kind {
                    write!(f, ":{k}")?;
                }
                if let Some(t) = ty {
                    write!(f, ":{t}")?;
                }
                Ok(())
            }
            TargetRef::Event(id) => f.write_str(id),
            TargetRef::Audit(id) => write!(f, "#{id}"),
            TargetRef::Document(id) => write!(f, "document:{id}"),
        }
    }
}

impl TargetRef {
    /// An audit entry given as `7`, `#7` or `audit:7`.
    pub fn audit(s: &str) -> Result<TargetRef> {
        let t = s.trim();
        let n = t
            .strip_prefix('#')
            .or_else(|| t.strip_prefix("audit:"))
            .unwrap_or(t);
        n.parse()
            .map(TargetRef::Audit)
            .map_err(|_| CurationError::BadTarget {
                given: s.to_string(),
                why: "an audit entry id (7 or #7) expected".into(),
            })
    }
}

impl FromStr for TargetRef {
    type Err = CurationError;
    fn from_str(s: &str) -> Result<TargetRef> {
        let s = s.trim();
        let bad = |why: &str| CurationError::BadTarget {
            given: s.to_string(),
            why: why.to_string(),
        };
        let number = |x: &str| x.trim().parse::<i64>().map_err(|_| bad("not a number"));
        if let Some(x) = s.strip_prefix('#').or_else(|| s.strip_prefix("audit:")) {
            return Ok(TargetRef::Audit(number(x)?));
        }
        if let Some(x) = s.strip_prefix("fact:") {
            return Ok(TargetRef::Fact(number(x)?));
        }
        if let Some(x) = s.strip_prefix("event:") {
            return Ok(TargetRef::Event(x.to_string()));
        }
        if let Some(x) = s.strip_prefix("document:") {
            return Ok(TargetRef::Document(x.to_string()));
        }
        if s.starts_with("ev-") {
            return Ok(TargetRef::Event(s.to_string()));
        }
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(TargetRef::Fact(number(s)?));
        }
        let Some((doc, rest)) = s.rsplit_once('@') else {
            return Err(bad(
                "expected a fact id, DOC@START-END[:KIND[:TYPE]], an event id (ev-...) or #AUDIT_ID",
            ));
        };
        let mut parts = rest.split(':');
        let range = parts.next().unwrap_or("");
        let (a, b) = range
            .split_once('-')
            .ok_or_else(|| bad("the span must be START-END"))?;
        let kind = parts.next().map(str::to_string);
        let ty = parts.next().map(str::to_string);
        if doc.is_empty() || parts.next().is_some() {
            return Err(bad("expected DOC@START-END[:KIND[:TYPE]]"));
        }
        Ok(TargetRef::Span {
            doc: doc.to_string(),
            start: number(a)? as u64,
            end: number(b)? as u64,
            kind,
            ty,
        })
    }
}

/// A decision to record (the JSON body of the HTTP API).
///
/// ```json
/// {"action": "edit", "target": {"event": "ev-1978-treaty-1a2b3c4d"}, "field": "date",
///  "value": "1978-11-03", "reason": "signed on 3 November (Pravda, 4.11.1978)", "who": "lan"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDecision {
    pub action: Action,
    pub target: TargetRef,
    /// `edit`: the field (facts: `date`, `entity`, or a record field such as `value`,
    /// `unit`, `value_start`; events: one of [`value::EVENT_FIELDS`]).
    #[serde(default)]
    pub field: Option<String>,
    /// `edit`: the new value (a date `1978-11-03` or interval `1975/1991`; names; a number).
    #[serde(default)]
    pub value: Option<Value>,
    /// `merge`: the ids of the events that are the same event as the target.
    #[serde(default)]
    pub with: Vec<String>,
    /// `split`: the statement to make an event of its own (its fact id or span).
    #[serde(default)]
    pub statement: Option<TargetRef>,
    /// Why; required.
    pub reason: String,
    /// Who decides; required.
    pub who: String,
    /// The client's id for this request (any text up to 200 characters, e.g. a UUID): a
    /// retry with the same id returns the entry already recorded instead of recording the
    /// decision twice.
    #[serde(default)]
    pub request_id: Option<String>,
}

/// How a decision stands against the store as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionState {
    /// Its anchor matches: it is applied.
    Applies,
    /// Its text was found once elsewhere in the document, with the same machine value: it is
    /// applied there.
    Reanchored,
    /// Its anchor no longer matches (the text or the machine's value changed): kept and
    /// listed, not applied.
    Stale,
    /// A later entry undid it.
    Retracted,
    /// It undoes an earlier entry.
    Retraction,
}

impl DecisionState {
    fn name(self) -> &'static str {
        match self {
            DecisionState::Applies => "applies",
            DecisionState::Reanchored => "reanchored",
            DecisionState::Stale => "stale",
            DecisionState::Retracted => "retracted",
            DecisionState::Retraction => "retraction",
        }
    }
}

/// One entry of the audit log, with how it stands now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    pub who: String,
    pub action: Action,
    pub target: Target,
    pub field: Option<String>,
    /// The value before (the machine's, or the previous curated one).
    pub old_value: Value,
    pub new_value: Value,
    pub reason: String,
    pub state: DecisionState,
    /// Why it is stale, where it was re-anchored, or which entry retracted it.
    pub note: Option<String>,
    /// The client's request id, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// True when this answers a retried request: the entry was recorded by an earlier one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

impl AuditEntry {
    /// One line of text: `#7 2024-05-01T09:30:00Z lan edit event ev-… date 1978 → 1978-11-03
    /// [applies] reason`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "#{} {} {} {} {}",
            self.id,
            self.at,
            self.who,
            self.action,
            self.target.label()
        );
        if let Some(f) = &self.field {
            s += &format!(" {f}");
        }
        match self.action {
            Action::Merge => {
                let with: Vec<&str> = self.new_value["with"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                s += &format!(" with {}", with.join(", "));
            }
            Action::Split => {
                let st = &self.new_value["statement"];
                s += &format!(
                    " statement {}@{}-{}",
                    st["doc"].as_str().unwrap_or("?"),
                    st["start"],
                    st["end"]
                );
            }
            Action::Retract => {
                s += &format!(" #{}", self.new_value["retracts"]);
            }
            _ => {
                s += &format!(" {} → {}", short(&self.old_value), short(&self.new_value));
            }
        }
        s += &format!(" [{}", self.state.name());
        if let Some(n) = &self.note {
            s += &format!(": {n}");
        }
        s += &format!("] {}", self.reason);
        s
    }
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::Null => "–".to_string(),
        Value::String(s) => s.clone(),
        _ => v.to_string(),
    };
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// A fact's or an event's curation status (the `curation.status` of export records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Confirmed,
    Rejected,
    Edited,
    /// A decision was about this fact or event, but the machine's value changed since: not
    /// applied.
    Stale,
}

impl Status {
    /// The status's name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Rejected => "rejected",
            Status::Edited => "edited",
            Status::Stale => "stale",
        }
    }
}

/// The curation of one current fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactCuration {
    pub status: Status,
    /// Who made the latest decision, when, why, and its audit id.
    pub by: String,
    pub at: String,
    pub reason: String,
    pub audit_id: i64,
    /// Every decision applied to it, oldest first.
    pub audit_ids: Vec<i64>,
    /// Found elsewhere in its document after a re-ingest.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reanchored: bool,
    /// Why it is stale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The curated record fields, in the order set.
    #[serde(skip)]
    pub values: Vec<(String, Value)>,
}

/// The resolved side of an entry.
#[derive(Debug, Clone)]
enum Resolved {
    /// A retraction.
    Nothing,
    Fact(Resolution),
    Event {
        statements: Vec<Resolution>,
        /// merge: each other event's statements and machine value.
        with: Vec<(Vec<Resolution>, Value)>,
        /// split: the statement.
        split: Option<Resolution>,
    },
}

/// One row of the log, parsed and resolved.
#[derive(Debug, Clone)]
struct Entry {
    audit: AuditEntry,
    resolved: Resolved,
    retracted_by: Option<i64>,
}

/// (doc, kind, start, end) of a fact.
type SpanKey = (String, String, u64, u64);

/// The audit log, resolved against the current facts: what [`Curation::apply_to_fact`] and
/// [`Curation::apply_events`] apply.
#[derive(Debug, Clone, Default)]
pub struct Curation {
    entries: Vec<Entry>,
    /// Document → field → the correction in force of its citation.
    sources: BTreeMap<String, BTreeMap<String, SourceEdit>>,
    facts: HashMap<i64, FactCuration>,
    /// Document → the ids of its facts in `facts`, sorted.
    by_doc: HashMap<String, Vec<i64>>,
    /// (doc, kind, start, end) → (machine value, fact id), for [`Curation::apply_to_record`].
    by_span: HashMap<SpanKey, Vec<(Value, i64)>>,
}

/// A historian's correction of one field of a source's citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEdit {
    /// The value in force (title, venue…: a string; year: a number; authors: strings).
    pub value: Value,
    /// What the machine read, when the decision was made.
    pub machine: Value,
    pub by: String,
    pub at: String,
    pub reason: String,
    pub audit_id: i64,
}

fn parse_row(row: CurationRow) -> crate::store::Result<AuditEntry> {
    let corrupt = |what: &str, e: String| {
        StoreError::Corrupt(format!("curation log entry #{}: {what}: {e}", row.id))
    };
    let action: Action = row.action.parse().map_err(|e| corrupt("action", e))?;
    let target: Target =
        serde_json::from_value(row.target.clone()).map_err(|e| corrupt("target", e.to_string()))?;
    Ok(AuditEntry {
        id: row.id,
        at: row.at,
        who: row.who,
        action,
        target,
        field: row.field,
        old_value: row.old_value,
        new_value: row.new_value,
        reason: row.reason,
        state: DecisionState::Applies,
        note: None,
        request_id: row.request_id,
        replayed: false,
    })
}

/// The event anchors of a merge row's `new_value`.
fn merge_anchors(v: &Value) -> Vec<EventAnchor> {
    v.get("events")
        .cloned()
        .and_then(|x| serde_json::from_value(x).ok())
        .unwrap_or_default()
}

/// The statement anchor of a split row's `new_value`.
fn split_anchor(v: &Value) -> Option<StatementAnchor> {
    serde_json::from_value(v.get("statement")?.clone()).ok()
}

fn retracted_id(v: &Value) -> Option<i64> {
    v.get("retracts").and_then(Value::as_i64)
}

impl Curation {
    /// Reads the audit log and resolves every decision against the facts now stored. Cheap
    /// when the log is empty (nothing else is read).
    pub fn load(store: &dyn Store) -> crate::store::Result<Curation> {
        Curation::resolve(store.curations()?, &anchor::StoreFacts(store))
    }

    /// Resolves the audit log's `rows` against the facts of `source` (the store, or a read
    /// model holding them).
    pub fn resolve(
        rows: Vec<CurationRow>,
        source: &dyn anchor::FactSource,
    ) -> crate::store::Result<Curation> {
        if rows.is_empty() {
            return Ok(Curation::default());
        }
        let audits: Vec<AuditEntry> = rows
            .into_iter()
            .map(parse_row)
            .collect::<crate::store::Result<_>>()?;
        // What to read: the documents and kinds the anchors name.
        let mut docs = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for a in &audits {
            match &a.target {
                Target::Fact(f) => {
                    docs.insert(f.doc.clone());
                    kinds.insert(f.kind.clone());
                }
                Target::Event(e) => {
                    kinds.insert("event_statement".to_string());
                    docs.extend(e.statements.iter().map(|s| s.doc.clone()));
                    for o in merge_anchors(&a.new_value) {
                        docs.extend(o.statements.iter().map(|s| s.doc.clone()));
                    }
                    if let Some(s) = split_anchor(&a.new_value) {
                        docs.insert(s.doc);
                    }
                }
                Target::Document(_) => {}
            }
        }
        let resolver = Resolver::load(source, &docs, &kinds)?;
        let mut retracted: HashMap<i64, i64> = HashMap::new();
        for a in &audits {
            if a.action == Action::Retract
                && let Some(id) = retracted_id(&a.new_value)
            {
                retracted.entry(id).or_insert(a.id);
            }
        }
        let mut entries = Vec::with_capacity(audits.len());
        for mut audit in audits {
            let resolved = if audit.action == Action::Retract {
                audit.state = DecisionState::Retraction;
                audit.note = retracted_id(&audit.new_value).map(|i| format!("retracts #{i}"));
                Resolved::Nothing
            } else {
                match &audit.target {
                    Target::Fact(f) => {
                        let r = resolver.fact(f);
                        match &r {
                            Resolution::Exact(_) => {}
                            Resolution::Reanchored { start, end, .. } => {
                                audit.state = DecisionState::Reanchored;
                                audit.note = Some(format!("now at {start}..{end}"));
                            }
                            Resolution::Stale { why, .. } => {
                                audit.state = DecisionState::Stale;
                                audit.note = Some(why.clone());
                            }
                        }
                        Resolved::Fact(r)
                    }
                    Target::Document(_) => Resolved::Nothing,
                    Target::Event(e) => Resolved::Event {
                        statements: e.statements.iter().map(|s| resolver.statement(s)).collect(),
                        with: merge_anchors(&audit.new_value)
                            .iter()
                            .map(|o| {
                                (
                                    o.statements.iter().map(|s| resolver.statement(s)).collect(),
                                    o.value.clone(),
                                )
                            })
                            .collect(),
                        split: split_anchor(&audit.new_value).map(|s| resolver.statement(&s)),
                    },
                }
            };
            let retracted_by = retracted.get(&audit.id).copied();
            if let Some(by) = retracted_by {
                audit.state = DecisionState::Retracted;
                audit.note = Some(format!("retracted by #{by}"));
            }
            entries.push(Entry {
                audit,
                resolved,
                retracted_by,
            });
        }
        let mut c = Curation {
            entries,
            ..Curation::default()
        };
        c.fold_facts();
        c.fold_sources();
        Ok(c)
    }

    /// The corrections of sources' citations, in log order: the latest of each field wins;
    /// retracted ones are left out.
    fn fold_sources(&mut self) {
        for e in &self.entries {
            let (Target::Document(d), Action::Edit, None) =
                (&e.audit.target, e.audit.action, e.retracted_by)
            else {
                continue;
            };
            let Some(field) = &e.audit.field else {
                continue;
            };
            self.sources.entry(d.doc.clone()).or_default().insert(
                field.clone(),
                SourceEdit {
                    value: e.audit.new_value.clone(),
                    machine: e.audit.old_value.clone(),
                    by: e.audit.who.clone(),
                    at: e.audit.at.clone(),
                    reason: e.audit.reason.clone(),
                    audit_id: e.audit.id,
                },
            );
        }
    }

    /// The historians' corrections of source `doc`'s citation, by field.
    pub fn source_edits(&self, doc: &str) -> Option<&BTreeMap<String, SourceEdit>> {
        self.sources.get(doc)
    }

    /// Applies the fact decisions, in log order, to the facts they resolve to.
    fn fold_facts(&mut self) {
        let mut stale: Vec<(i64, &Entry, String)> = Vec::new();
        for e in &self.entries {
            if e.retracted_by.is_some() {
                continue;
            }
            let (Target::Fact(anchor), Resolved::Fact(r)) = (&e.audit.target, &e.resolved) else {
                continue;
            };
            let id = match r {
                Resolution::Stale {
                    fact: Some(id),
                    why,
                } => {
                    stale.push((*id, e, why.clone()));
                    continue;
                }
                Resolution::Stale { fact: None, .. } => continue,
                _ => r.fact().unwrap_or_default(),
            };
            let a = &e.audit;
            let status = match a.action {
                Action::Confirm => Status::Confirmed,
                Action::Reject => Status::Rejected,
                Action::Edit => Status::Edited,
                _ => continue,
            };
            let c = self.facts.entry(id).or_insert_with(|| FactCuration {
                status,
                by: String::new(),
                at: String::new(),
                reason: String::new(),
                audit_id: 0,
                audit_ids: Vec::new(),
                reanchored: false,
                note: None,
                values: Vec::new(),
            });
            c.status = status;
            c.by = a.who.clone();
            c.at = a.at.clone();
            c.reason = a.reason.clone();
            c.audit_id = a.id;
            c.audit_ids.push(a.id);
            c.reanchored |= matches!(r, Resolution::Reanchored { .. });
            if a.action == Action::Edit
                && let Some(field) = &a.field
            {
                for (k, v) in value::expand_fact(&anchor.kind, field, &a.new_value) {
                    match c.values.iter_mut().find(|(x, _)| *x == k) {
                        Some(slot) => slot.1 = v,
                        None => c.values.push((k, v)),
                    }
                }
            }
        }
        for (id, e, why) in stale {
            self.facts.entry(id).or_insert_with(|| FactCuration {
                status: Status::Stale,
                by: e.audit.who.clone(),
                at: e.audit.at.clone(),
                reason: e.audit.reason.clone(),
                audit_id: e.audit.id,
                audit_ids: vec![e.audit.id],
                reanchored: false,
                note: Some(why),
                values: Vec::new(),
            });
        }
        // The decided facts of each document (a decision resolves to a fact of the
        // document its anchor names).
        let mut by_doc: HashMap<String, Vec<i64>> = HashMap::new();
        for e in &self.entries {
            if let (Target::Fact(a), Resolved::Fact(r)) = (&e.audit.target, &e.resolved)
                && let Resolution::Exact(id)
                | Resolution::Reanchored { fact: id, .. }
                | Resolution::Stale { fact: Some(id), .. } = r
                && self.facts.contains_key(id)
            {
                let id = *id;
                by_doc.entry(a.doc.clone()).or_default().push(id);
            }
        }
        for ids in by_doc.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        self.by_doc = by_doc;
        // Lookup by span for records that carry no fact id.
        let mut by_span: HashMap<SpanKey, Vec<(Value, i64)>> = HashMap::new();
        for e in &self.entries {
            if let (Target::Fact(a), Resolved::Fact(r)) = (&e.audit.target, &e.resolved) {
                let (id, start, end) = match r {
                    Resolution::Exact(id) => (*id, a.start, a.end),
                    Resolution::Reanchored { fact, start, end } => (*fact, *start, *end),
                    Resolution::Stale { fact: Some(id), .. } => (*id, a.start, a.end),
                    Resolution::Stale { fact: None, .. } => continue,
                };
                if !self.facts.contains_key(&id) {
                    continue;
                }
                let v = match r {
                    Resolution::Stale { .. } => Value::Null,
                    _ => a.value.clone(),
                };
                let list = by_span
                    .entry((a.doc.clone(), a.kind.clone(), start, end))
                    .or_default();
                if !list.iter().any(|(_, x)| *x == id) {
                    list.push((v, id));
                }
            }
        }
        self.by_span = by_span;
    }

    /// True when the log holds no decision.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The curation of the current fact `id`, if any.
    pub fn fact(&self, id: i64) -> Option<&FactCuration> {
        self.facts.get(&id)
    }

    /// The curation of every decided fact of document `doc`, by fact id: what a read model
    /// compares to know whether what it derived from the document still holds.
    pub fn facts_of(&self, doc: &str) -> Vec<(i64, &FactCuration)> {
        self.by_doc
            .get(doc)
            .into_iter()
            .flatten()
            .filter_map(|id| Some((*id, self.facts.get(id)?)))
            .collect()
    }

    /// True when the current fact `id` is rejected.
    pub fn is_rejected(&self, id: i64) -> bool {
        self.facts
            .get(&id)
            .is_some_and(|c| c.status == Status::Rejected)
    }

    /// Puts the curation of `f` into its record (see [`Curation::apply_to_record`]).
    /// Returns its status; `None` when no decision is about it.
    pub fn apply_to_fact(&self, f: &mut StoredFact) -> Option<Status> {
        let c = self.facts.get(&f.id)?;
        let mut r = f.record.clone();
        write_curation(c, &f.kind, &mut r);
        // A curated value was checked against the kind when it was recorded
        // (`value::normalize_fact`); were it not of the kind, the typed body stays the
        // machine's and the record shows the decision.
        let _ = f.set_record(r);
        Some(c.status)
    }

    /// Puts the curation of a fact record (an export record: `kind`, `doc`, `start`, `end`,
    /// machine fields) into it: the curated values replace the machine's, and
    /// `"curation": {"status", "by", "at", "reason", "audit_id", "audit_ids", "machine"}`
    /// is added, `machine` holding the machine's value and the original of every edited
    /// field. Returns the status; `None` (record untouched) when no decision is about it.
    pub fn apply_to_record(&self, record: &mut Value) -> Option<Status> {
        let kind = record.get("kind")?.as_str()?.to_string();
        let key = (
            record.get("doc")?.as_str()?.to_string(),
            kind.clone(),
            record.get("start")?.as_u64()?,
            record.get("end")?.as_u64()?,
        );
        let list = self.by_span.get(&key)?;
        let mv = anchor::machine_value(&kind, record);
        let id = list
            .iter()
            .find(|(v, _)| *v == mv)
            .or_else(|| list.iter().find(|(v, _)| v.is_null()))?
            .1;
        let c = self.facts.get(&id)?;
        write_curation(c, &kind, record);
        Some(c.status)
    }

    /// Every entry of the log, with its state as far as facts tell (event decisions are
    /// judged by [`Curation::apply_events`]; [`audit_log`] gives the full picture).
    pub fn entries(&self) -> Vec<AuditEntry> {
        self.entries.iter().map(|e| e.audit.clone()).collect()
    }
}

/// Writes `c` into `record`.
fn write_curation(c: &FactCuration, kind: &str, record: &mut Value) {
    let Some(m) = record.as_object_mut() else {
        return;
    };
    let mut machine = match anchor::machine_value(kind, &Value::Object(m.clone())) {
        Value::Object(x) => x,
        _ => Map::new(),
    };
    if c.status != Status::Stale {
        for (k, v) in &c.values {
            machine
                .entry(k.clone())
                .or_insert_with(|| m.get(k).cloned().unwrap_or(Value::Null));
            m.insert(k.clone(), v.clone());
        }
    }
    let mut cur = match serde_json::to_value(c) {
        Ok(Value::Object(x)) => x,
        _ => Map::new(),
    };
    cur.insert("machine".into(), Value::Object(machine));
    m.insert("curation".into(), Value::Object(cur));
}

/// The whole audit log, oldest first, each entry with how it stands against the store now
/// (`state`, `note`).
pub fn audit_log(store: &dyn Store) -> Result<Vec<AuditEntry>> {
    let c = Curation::load(store)?;
    if c.is_empty() {
        return Ok(Vec::new());
    }
    let h = current_events(store, &c)?;
    Ok(audit_entries(&c, &h.curation))
}

/// The audit log as `c` resolved it, event decisions judged by `events` (what
/// [`Curation::apply_events`] found).
pub fn audit_entries(c: &Curation, events: &EventCurations) -> Vec<AuditEntry> {
    c.entries
        .iter()
        .map(|e| {
            let mut a = e.audit.clone();
            if let Some((state, note)) = events.states.get(&a.id) {
                a.state = *state;
                a.note = note.clone();
            }
            a
        })
        .collect()
}

/// The merged events as they are now, with `c` applied: what event decisions are made and
/// judged against.
fn current_events(store: &dyn Store, c: &Curation) -> Result<CuratedEvents> {
    let mut statements = Vec::new();
    store.facts(Some("event_statement"), &mut |mut f| {
        if c.apply_to_fact(&mut f) != Some(Status::Rejected) {
            statements.extend(crate::history::merge::Statement::from_fact(&f));
        }
        Ok(())
    })?;
    Ok(c.apply_events(crate::history::merge::merge(statements)))
}

/// The entries that no longer apply (`annals audit --stale`).
pub fn stale(store: &dyn Store) -> Result<Vec<AuditEntry>> {
    Ok(audit_log(store)?
        .into_iter()
        .filter(|a| a.state == DecisionState::Stale)
        .collect())
}

/// A number that changes whenever a decision is recorded (the latest audit id; 0 when
/// none): for caches of curated views.
pub fn version(store: &dyn Store) -> Result<i64> {
    Ok(store.curation_version()?)
}

/// A value given on the command line: JSON when it parses as JSON (`2.5`, `["A", "B"]`,
/// `null`), otherwise the text itself.
pub fn cli_value(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
}

/// Records a decision: checks it (a reason and who are required; the target must exist; an
/// edit's field and value must be valid), anchors its target, and appends it to the audit
/// log. Returns the entry as recorded.
pub fn decide(store: &mut dyn Store, d: NewDecision) -> Result<AuditEntry> {
    let reason = d.reason.trim().to_string();
    if reason.is_empty() {
        return Err(CurationError::MissingReason);
    }
    let who = d.who.trim().to_string();
    if who.is_empty() {
        return Err(CurationError::MissingWho);
    }
    if let Some(rid) = &d.request_id {
        let n = rid.chars().count();
        if n == 0 || n > 200 || rid.chars().any(char::is_control) {
            return Err(CurationError::BadRequestId);
        }
        if let Some(row) = store.curation_by_request(rid)? {
            // A retry of the same decision gets the entry recorded the first time.
            if row.action == d.action.name() && row.who == who && row.reason == reason {
                let mut entry = parse_row(row)?;
                entry.replayed = true;
                return Ok(entry);
            }
            return Err(CurationError::RequestIdReused {
                id: rid.clone(),
                entry: row.id,
            });
        }
    }
    let c = Curation::load(&*store)?;
    let (target, field, old_value, new_value) = match (&d.target, d.action) {
        (TargetRef::Audit(id), Action::Retract) => retract(&c, *id)?,
        (TargetRef::Audit(_), a) => {
            return Err(CurationError::WrongTarget {
                action: a,
                what: "a fact or an event (an audit entry is retracted with `retract`)",
            });
        }
        (_, Action::Retract) => {
            return Err(CurationError::WrongTarget {
                action: Action::Retract,
                what: "an audit entry (#ID)",
            });
        }
        (TargetRef::Document(id), Action::Edit) => decide_document(&*store, &c, id, &d)?,
        (TargetRef::Document(_), a) => {
            return Err(CurationError::WrongTarget {
                action: a,
                what: "a fact or an event (a source's citation is corrected with `edit`)",
            });
        }
        (TargetRef::Event(id), _) => decide_event(&*store, &c, id, &d)?,
        (t, _) => decide_fact(&*store, &c, t, &d)?,
    };
    let row = store.append_curation(&NewCurationRow {
        who,
        action: d.action.name().to_string(),
        target: serde_json::to_value(&target).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        field,
        old_value,
        new_value,
        reason,
        request_id: d.request_id.clone(),
    })?;
    let mut entry = parse_row(row)?;
    if entry.action == Action::Retract {
        entry.state = DecisionState::Retraction;
        entry.note = retracted_id(&entry.new_value).map(|i| format!("retracts #{i}"));
    }
    Ok(entry)
}

type Decided = (Target, Option<String>, Value, Value);

fn retract(c: &Curation, id: i64) -> Result<Decided> {
    let e = c
        .entries
        .iter()
        .find(|e| e.audit.id == id)
        .ok_or(CurationError::NoSuchEntry(id))?;
    if e.audit.action == Action::Retract {
        return Err(CurationError::RetractRetraction(id));
    }
    if let Some(by) = e.retracted_by {
        return Err(CurationError::AlreadyRetracted { entry: id, by });
    }
    Ok((
        e.audit.target.clone(),
        e.audit.field.clone(),
        json!({"action": e.audit.action, "value": e.audit.new_value}),
        json!({"retracts": id}),
    ))
}

/// The stored fact a reference names.
fn find_fact(store: &dyn Store, t: &TargetRef) -> Result<StoredFact> {
    match t {
        TargetRef::Fact(id) => store.fact(*id)?.ok_or(CurationError::NoSuchFact(*id)),
        TargetRef::Span {
            doc,
            start,
            end,
            kind,
            ty,
        } => {
            let mut found = store.facts_at(doc, *start, *end)?;
            found.retain(|f| {
                kind.as_deref().is_none_or(|k| f.kind == k)
                    && ty
                        .as_deref()
                        .is_none_or(|t| f.body.type_name().as_deref() == Some(t))
            });
            match found.len() {
                1 => Ok(found.remove(0)),
                0 => Err(CurationError::NoFactAtSpan(t.to_string())),
                n => Err(CurationError::AmbiguousSpan {
                    span: t.to_string(),
                    count: n,
                    which: found
                        .iter()
                        .map(|f| match f.body.type_name() {
                            Some(ty) => format!("{}:{ty} (fact {})", f.kind, f.id),
                            None => format!("{} (fact {})", f.kind, f.id),
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            }
        }
        _ => Err(CurationError::BadTarget {
            given: t.to_string(),
            why: "not a fact".into(),
        }),
    }
}

fn status_value(s: Option<Status>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.name().to_string()))
}

fn decide_fact(store: &dyn Store, c: &Curation, t: &TargetRef, d: &NewDecision) -> Result<Decided> {
    let f = find_fact(store, t)?;
    let anchor = anchor::fact_anchor(&f);
    let current = c.fact(f.id).map(|x| x.status);
    let (field, old, new) = match d.action {
        Action::Confirm => (None, status_value(current), json!("confirmed")),
        Action::Reject => (None, status_value(current), json!("rejected")),
        Action::Edit => {
            let (Some(field), Some(v)) = (&d.field, &d.value) else {
                return Err(CurationError::Missing {
                    action: Action::Edit,
                    what: "a field and a value",
                });
            };
            let new = value::normalize_fact(&f.kind, &f.record, field, v)?;
            let mut curated = f.clone();
            c.apply_to_fact(&mut curated);
            let old = curated
                .record
                .as_object()
                .map_or(Value::Null, |m| value::current(m, &f.kind, field));
            (Some(field.clone()), old, new)
        }
        a @ (Action::Merge | Action::Split) => {
            return Err(CurationError::WrongTarget {
                action: a,
                what: "an event (ev-...)",
            });
        }
        Action::Retract => unreachable!("handled by decide"),
    };
    Ok((Target::Fact(anchor), field, old, new))
}

/// The anchor of a current (curated) event: its statements as the machine stored them.
fn event_anchor(
    store: &dyn Store,
    e: &crate::history::merge::Event,
    machine: Value,
) -> Result<EventAnchor> {
    let mut statements = Vec::with_capacity(e.statements.len());
    for s in &e.statements {
        // The machine's record (the statement may carry curated values).
        let record = store.fact(s.fact)?.map(|f| f.record).unwrap_or(Value::Null);
        let ty = record
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or(&s.ty)
            .to_string();
        let (trigger, trigger_at) = anchor::trigger_of(&record);
        statements.push(StatementAnchor {
            doc: s.evidence.doc.clone(),
            start: s.evidence.start as u64,
            end: s.evidence.end as u64,
            text: s.evidence.text.clone(),
            ty,
            trigger,
            trigger_at,
        });
    }
    Ok(EventAnchor {
        event_id: Some(e.id.clone()),
        statements,
        value: machine,
    })
}

/// An edit of a source's citation: the field must be one of [`value::SOURCE_FIELDS`], the
/// value of its kind; the old value is the correction in force, else what the machine reads
/// from the source.
fn decide_document(store: &dyn Store, c: &Curation, id: &str, d: &NewDecision) -> Result<Decided> {
    let doc = store
        .document(id)?
        .ok_or_else(|| CurationError::NoSuchDocument(id.to_string()))?;
    let (Some(field), Some(v)) = (&d.field, &d.value) else {
        return Err(CurationError::Missing {
            action: Action::Edit,
            what: "a field and a value",
        });
    };
    let new = value::normalize_source(field, v)?;
    let old = match c.source_edits(id).and_then(|m| m.get(field)) {
        Some(e) => e.value.clone(),
        None => {
            let bytes = store.source_bytes(&doc.id)?.unwrap_or_default();
            let (meta, _) = crate::source::meta::read_source(
                &bytes,
                doc.encoding(),
                doc.format == "html",
                crate::source::meta::MetaHint {
                    html_title: doc.title.as_deref(),
                    lang: crate::text::lang::Lang::from_code(&doc.lang),
                },
            );
            value::source_field(&meta, field)
        }
    };
    Ok((
        Target::Document(anchor::DocumentAnchor { doc: doc.id }),
        Some(field.clone()),
        old,
        new,
    ))
}

fn decide_event(store: &dyn Store, c: &Curation, id: &str, d: &NewDecision) -> Result<Decided> {
    let h = current_events(store, c)?;
    let find = |id: &str| {
        h.events
            .iter()
            .chain(&h.rejected)
            .find(|e| e.id == id)
            .ok_or_else(|| CurationError::NoSuchEvent(id.to_string()))
    };
    let e = find(id)?;
    let info = h.curation.info.get(id);
    let machine = h.curation.machine_value(e);
    let anchor = event_anchor(store, e, machine)?;
    let status = status_value(info.map(|i| i.status));
    let (field, old, new) = match d.action {
        Action::Confirm => (None, status, json!("confirmed")),
        Action::Reject => (None, status, json!("rejected")),
        Action::Edit => {
            let (Some(field), Some(v)) = (&d.field, &d.value) else {
                return Err(CurationError::Missing {
                    action: Action::Edit,
                    what: "a field and a value",
                });
            };
            let new = value::normalize_event(field, v)?;
            let obj = match crate::history::event_record(e) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            // The interval must stay ordered when one end is edited.
            let (a, b) = match field.as_str() {
                "date_start" => (new.as_str().unwrap_or(""), e.date_end.as_str()),
                "date_end" => (e.date_start.as_str(), new.as_str().unwrap_or("")),
                _ => ("", ""),
            };
            if a > b {
                return Err(CurationError::InvalidValue {
                    field: field.clone(),
                    why: format!("{a} is after {b}"),
                });
            }
            (
                Some(field.clone()),
                value::current(&obj, "event", field),
                new,
            )
        }
        Action::Merge => {
            if d.with.is_empty() {
                return Err(CurationError::Missing {
                    action: Action::Merge,
                    what: "the events to merge into the target (--with)",
                });
            }
            let mut anchors = Vec::new();
            let mut seen = BTreeSet::new();
            for other in &d.with {
                if other == id {
                    return Err(CurationError::SelfMerge(id.to_string()));
                }
                if !seen.insert(other.clone()) {
                    continue;
                }
                let o = find(other)?;
                anchors.push(event_anchor(store, o, h.curation.machine_value(o))?);
            }
            (
                None,
                Value::Null,
                json!({"with": seen.into_iter().collect::<Vec<_>>(), "events": anchors}),
            )
        }
        Action::Split => {
            let Some(sref) = &d.statement else {
                return Err(CurationError::Missing {
                    action: Action::Split,
                    what: "the statement to split out (--statement FACT_ID or DOC@START-END)",
                });
            };
            if e.statements.len() < 2 {
                return Err(CurationError::NothingToSplit(id.to_string()));
            }
            let pos = e.statements.iter().position(|s| match sref {
                TargetRef::Fact(f) => s.fact == *f,
                TargetRef::Span {
                    doc,
                    start,
                    end,
                    ty,
                    ..
                } => {
                    s.evidence.doc == *doc
                        && s.evidence.start as u64 == *start
                        && s.evidence.end as u64 == *end
                        && ty.as_deref().is_none_or(|t| t == s.ty)
                }
                _ => false,
            });
            let Some(pos) = pos else {
                return Err(CurationError::NotInEvent {
                    statement: sref.to_string(),
                    event: id.to_string(),
                });
            };
            let st = anchor.statements[pos].clone();
            (
                None,
                Value::Null,
                json!({"statement": st, "fact": e.statements[pos].fact}),
            )
        }
        Action::Retract => unreachable!("handled by decide"),
    };
    Ok((Target::Event(anchor), field, old, new))
}
