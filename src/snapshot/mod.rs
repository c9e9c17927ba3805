//! The read model: one immutable [`Snapshot`] of the store at one version, built once and
//! shared by every reader (the CLI's commands, the API, the pages, every export), with the
//! historians' curation applied once, here.
//!
//! Input state and derived state are kept apart, as in rust-analyzer: each document's
//! stored data ([`DocData`]: its sentences, its machine facts, its source bytes) is read
//! from the store once per document version and shared between snapshots; everything else
//! (the curation resolved against those facts, the curated facts, the history, mention
//! counts, `ask`'s knowledge) is derived in memory. [`Snapshot::apply_change`] makes the
//! next snapshot from the previous one, reading only the documents that changed.
//!
//! What must not cross this boundary: nothing below (`history`, `ask`'s algorithms,
//! `curation`'s rules) reads the store for a reader; nothing above re-parses the store's
//! facts or applies curation again.

pub mod history;

pub use history::History;

use crate::ask::Asker;
use crate::ask::knowledge::{DocSource, Knowledge};
use crate::curation::{Curation, FactSource, Status};
use crate::history::merge::Statement;
use crate::history::series;
use crate::store::{Rejection, Store, StoredDocument, StoredFact, StoredSentence};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

/// One document's stored data, as read from the store: shared by every snapshot in which
/// the document has this version.
#[derive(Debug)]
pub struct DocData {
    pub doc: StoredDocument,
    /// The original bytes.
    pub bytes: Vec<u8>,
    /// In order.
    pub sentences: Vec<StoredSentence>,
    /// The machine's facts, by position.
    pub facts: Vec<StoredFact>,
    by_id: HashMap<i64, usize>,
}

impl DocData {
    /// Reads one document's data.
    pub fn load(store: &dyn Store, doc: &StoredDocument) -> crate::store::Result<DocData> {
        let mut sentences = Vec::with_capacity(doc.sentences as usize);
        store.sentences(Some(&doc.id), &mut |s| {
            sentences.push(s);
            Ok(())
        })?;
        let mut facts = Vec::with_capacity(doc.facts as usize);
        store.facts_of(&doc.id, &mut |f| {
            facts.push(f);
            Ok(())
        })?;
        let by_id = facts.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        Ok(DocData {
            doc: doc.clone(),
            bytes: store.source_bytes(&doc.id)?.unwrap_or_default(),
            sentences,
            facts,
            by_id,
        })
    }

    /// The machine's fact `id`, if it is one of this document's.
    pub fn fact(&self, id: i64) -> Option<&StoredFact> {
        self.by_id.get(&id).map(|&i| &self.facts[i])
    }

    /// The document's decoded text.
    pub fn text(&self) -> String {
        crate::source::decode::decode_range(&self.bytes, self.doc.encoding(), 0..self.bytes.len())
    }

    /// Whether this data is of the version `d` of the document.
    fn is_version(&self, d: &StoredDocument) -> bool {
        self.doc.sha256 == d.sha256 && self.doc.ingested_at == d.ingested_at
    }
}

/// The documents of a snapshot as a [`FactSource`] for curation.
struct Docs<'a>(&'a BTreeMap<String, Arc<DocData>>);

impl FactSource for Docs<'_> {
    fn stored(&self, doc: &str) -> bool {
        self.0.contains_key(doc)
    }

    fn facts_of(&self, doc: &str, f: &mut dyn FnMut(&StoredFact)) -> crate::store::Result<()> {
        if let Some(d) = self.0.get(doc) {
            d.facts.iter().for_each(f);
        }
        Ok(())
    }

    fn text(&self, doc: &str) -> Option<String> {
        self.0.get(doc).map(|d| d.text())
    }
}

/// A fact as readers see it: the curated record when a decision is about it (the machine's
/// values kept under `curation.machine`), else the machine's.
#[derive(Debug, Clone, Copy)]
pub struct CuratedFact<'a> {
    pub fact: &'a StoredFact,
    /// `None` when no decision is about it.
    pub status: Option<Status>,
}

impl CuratedFact<'_> {
    /// Whether a historian rejected it (kept in exports, marked; left out of answers,
    /// history and counts).
    pub fn rejected(&self) -> bool {
        self.status == Some(Status::Rejected)
    }
}

/// How a snapshot was made.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct BuildStats {
    /// Documents whose data came from the previous snapshot.
    pub reused: usize,
    /// Documents read from the store.
    pub read: usize,
    /// Seconds reading documents from the store.
    pub read_seconds: f64,
    /// Seconds deriving the rest (curation, history, knowledge).
    pub derive_seconds: f64,
}

/// The store at one version, as every reader sees it. Immutable; replaced, never changed.
pub struct Snapshot {
    /// Increases with every snapshot a process makes.
    pub generation: u64,
    /// The latest curation decision this snapshot shows (the audit log's latest id; 0 when
    /// none): a client that recorded decision `n` waits for `curation_version >= n`.
    pub curation_version: i64,
    fingerprint: String,
    /// Every stored document, by id.
    pub documents: Vec<StoredDocument>,
    /// Files that could not be ingested.
    pub rejections: Vec<Rejection>,
    docs: BTreeMap<String, Arc<DocData>>,
    /// The audit log resolved against these facts.
    pub curation: Curation,
    /// Curated records of the facts a decision is about.
    curated: HashMap<i64, (StoredFact, Status)>,
    /// Events (curated), series, conflicts.
    pub history: History,
    /// Mentions per entity id (rejected mentions not counted, edited ones under the
    /// curated entity).
    pub mentions: HashMap<String, usize>,
    /// `ask` over these facts.
    pub asker: Asker,
    pub stats: BuildStats,
}

impl Snapshot {
    /// The snapshot of `store` now.
    pub fn build(store: &dyn Store) -> anyhow::Result<Snapshot> {
        Snapshot::apply_change(None, store, 1)
    }

    /// The machine's view of `store` now: the same, without any curation (for `--machine`).
    pub fn build_machine(store: &dyn Store) -> anyhow::Result<Snapshot> {
        Snapshot::make(None, store, 1, false)
    }

    /// What identifies a store version: the documents (ids, hashes, indexed or not) and the
    /// curation log's latest entry. Cheap: no facts are read.
    pub fn fingerprint(store: &dyn Store) -> anyhow::Result<String> {
        Ok(fingerprint(&store.documents()?, store.curation_version()?))
    }

    /// Whether this snapshot is of the store as it is now.
    pub fn is_current(&self, store: &dyn Store) -> anyhow::Result<bool> {
        Ok(Snapshot::fingerprint(store)? == self.fingerprint)
    }

    /// The snapshot of `store` now, made from `prev` (when given) by reading only the
    /// documents whose version changed; everything derived is derived again in memory.
    pub fn apply_change(
        prev: Option<&Snapshot>,
        store: &dyn Store,
        generation: u64,
    ) -> anyhow::Result<Snapshot> {
        Snapshot::make(prev, store, generation, true)
    }

    fn make(
        prev: Option<&Snapshot>,
        store: &dyn Store,
        generation: u64,
        curated_view: bool,
    ) -> anyhow::Result<Snapshot> {
        let t0 = Instant::now();
        let documents = store.documents()?;
        let version = store.curation_version()?;
        let mut stats = BuildStats::default();
        let mut docs: BTreeMap<String, Arc<DocData>> = BTreeMap::new();
        for d in &documents {
            let kept = prev
                .and_then(|p| p.docs.get(&d.id))
                .filter(|x| x.is_version(d))
                .cloned();
            let data = match kept {
                Some(x) => {
                    stats.reused += 1;
                    x
                }
                None => {
                    stats.read += 1;
                    Arc::new(DocData::load(store, d)?)
                }
            };
            docs.insert(d.id.clone(), data);
        }
        let rejections = store.rejections()?;
        let rows = if curated_view {
            store.curations()?
        } else {
            Vec::new()
        };
        stats.read_seconds = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();

        let curation = Curation::resolve(rows, &Docs(&docs))?;
        let mut curated: HashMap<i64, (StoredFact, Status)> = HashMap::new();
        if !curation.is_empty() {
            for d in docs.values() {
                for f in &d.facts {
                    if curation.fact(f.id).is_some() {
                        let mut c = f.clone();
                        if let Some(status) = curation.apply_to_fact(&mut c) {
                            curated.insert(f.id, (c, status));
                        }
                    }
                }
            }
        }
        let view = |f: &StoredFact| match curated.get(&f.id) {
            Some((c, s)) => (c.clone(), Some(*s)),
            None => (f.clone(), None),
        };

        // What the history reads: statements, quantities, tables, and for the series the
        // sentences and timexes of each document.
        let mut statements: Vec<Statement> = Vec::new();
        let mut quantities: Vec<StoredFact> = Vec::new();
        let mut tables: Vec<StoredFact> = Vec::new();
        let mut mentions: HashMap<String, usize> = HashMap::new();
        let mut ctx = series::Context::default();
        for d in docs.values() {
            let mut timexes: Vec<StoredFact> = Vec::new();
            for f in &d.facts {
                if !matches!(
                    f.kind.as_str(),
                    "event_statement" | "quantity" | "table" | "mention" | "timex"
                ) {
                    continue;
                }
                let (f, status) = view(f);
                if status == Some(Status::Rejected) {
                    continue;
                }
                match f.kind.as_str() {
                    "event_statement" => statements.extend(Statement::from_fact(&f)),
                    "quantity" => quantities.push(f),
                    "table" => tables.push(f),
                    "mention" => {
                        if let Some(m) = f.body.mention() {
                            *mentions.entry(m.entity_id.clone()).or_default() += 1;
                        }
                    }
                    _ => timexes.push(f),
                }
            }
            ctx.insert(
                &d.doc.id,
                d.bytes.clone(),
                d.doc.encoding(),
                d.sentences
                    .iter()
                    .map(|s| (s.start as usize, s.end as usize))
                    .collect(),
                &timexes,
            );
        }
        let history =
            History::from_parts_curated(statements, &quantities, &tables, &ctx, &curation);
        drop(ctx);

        let knowledge = Knowledge::build(
            &mut |f| {
                for d in docs.values() {
                    for s in &d.sentences {
                        f(s.clone())?;
                    }
                }
                Ok(())
            },
            docs.values()
                .map(|d| {
                    (
                        d.doc.id.clone(),
                        Some(DocSource {
                            bytes: d.bytes.clone(),
                            encoding: d.doc.encoding(),
                        }),
                    )
                })
                .collect(),
            &mut |f| {
                for d in docs.values() {
                    for x in &d.facts {
                        let (x, status) = view(x);
                        if status != Some(Status::Rejected) {
                            f(x)?;
                        }
                    }
                }
                Ok(())
            },
            &mut |statements| {
                curation
                    .apply_events(crate::history::merge::merge(statements))
                    .events
            },
        )?;
        stats.derive_seconds = t1.elapsed().as_secs_f64();
        Ok(Snapshot {
            generation,
            curation_version: version,
            fingerprint: fingerprint(&documents, version),
            documents,
            rejections,
            docs,
            curation,
            curated,
            history,
            mentions,
            asker: Asker { knowledge },
            stats,
        })
    }

    /// The audit log, oldest first, each entry with how it stands against this snapshot.
    pub fn audit_log(&self) -> Vec<crate::curation::AuditEntry> {
        crate::curation::audit_entries(&self.curation, &self.history.curation)
    }

    /// A stored document by id.
    pub fn document(&self, id: &str) -> Option<&StoredDocument> {
        self.docs.get(id).map(|d| &d.doc)
    }

    /// A document's stored data.
    pub fn doc(&self, id: &str) -> Option<&DocData> {
        self.docs.get(id).map(|d| d.as_ref())
    }

    /// Every document's data, by id.
    pub fn docs(&self) -> impl Iterator<Item = &DocData> {
        self.docs.values().map(|d| d.as_ref())
    }

    /// How readers see `f`: curated when a decision is about it.
    pub fn curated<'a>(&'a self, f: &'a StoredFact) -> CuratedFact<'a> {
        match self.curated.get(&f.id) {
            Some((c, s)) => CuratedFact {
                fact: c,
                status: Some(*s),
            },
            None => CuratedFact {
                fact: f,
                status: None,
            },
        }
    }

    /// The facts of one document as readers see them (rejected ones included, marked), by
    /// position.
    pub fn facts_of<'a>(&'a self, doc: &str) -> impl Iterator<Item = CuratedFact<'a>> + 'a {
        self.docs
            .get(doc)
            .into_iter()
            .flat_map(move |d| d.facts.iter().map(move |f| self.curated(f)))
    }

    /// Every fact as readers see it, by document id, then position.
    pub fn facts(&self) -> impl Iterator<Item = CuratedFact<'_>> + '_ {
        self.docs
            .values()
            .flat_map(move |d| d.facts.iter().map(move |f| self.curated(f)))
    }

    /// A fact by id (curated), with the document it belongs to.
    pub fn fact(&self, id: i64) -> Option<CuratedFact<'_>> {
        self.docs
            .values()
            .find_map(|d| d.fact(id))
            .map(|f| self.curated(f))
    }
}

fn fingerprint(docs: &[StoredDocument], curation: i64) -> String {
    let mut s = format!("curation {curation}\n");
    for d in docs {
        s.push_str(&d.id);
        s.push(' ');
        s.push_str(&d.sha256);
        s.push(' ');
        s.push_str(&d.ingested_at);
        s.push(' ');
        s.push_str(if d.indexed { "i" } else { "u" });
        s.push('\n');
    }
    s
}
