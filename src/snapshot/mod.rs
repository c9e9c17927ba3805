//! The read model: one immutable [`Snapshot`] of the store at one version, built once and
//! shared by every reader (the CLI's commands, the API, the pages, every export), with the
//! historians' curation applied once, here.
//!
//! Input state and derived state are kept apart, as in rust-analyzer: each document's
//! stored data ([`DocData`]: its sentences, its machine facts, its source bytes) is read
//! from the store once per document version and shared between snapshots; everything else
//! is derived in memory, in two floors:
//! - per document ([`DocDerived`]): its curated facts, event statements, series
//!   observations, mention counts and `ask`'s part of the knowledge, derived from that
//!   document's data and the decisions about its facts alone, and shared between
//!   snapshots while neither changes;
//! - across documents: the curation log resolved against the facts, the events merged
//!   from every document's statements, the series assembled from every document's
//!   observations, the conflicts, the mention totals.
//!
//! [`Snapshot::apply_change`] makes the next snapshot from the previous one, reading only
//! the documents that changed and deriving again only what their change touches.
//!
//! What must not cross this boundary: nothing below (`history`, `ask`'s algorithms,
//! `curation`'s rules) reads the store for a reader; nothing above re-parses the store's
//! facts or applies curation again.

pub mod history;

pub use history::History;

use crate::ask::Asker;
use crate::ask::knowledge::{DocKnowledge, DocSource, Knowledge};
use crate::curation::{Curation, FactCuration, FactSource, Status};
use crate::history::merge::{self, Event, GroupKey, Statement};
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
    /// The original bytes (for a PDF or an image, the text annals read from it).
    pub bytes: Arc<[u8]>,
    /// A PDF's or an image's pages and words (where each span stands).
    pub pages: Option<Arc<crate::source::pages::PageMap>>,
    /// In order.
    pub sentences: Vec<StoredSentence>,
    /// The machine's facts, by position.
    pub facts: Vec<StoredFact>,
    by_id: HashMap<i64, usize>,
    /// Its paragraphs as the layout repair reads them, made the first time a reader asks
    /// ([`DocData::blocks`]).
    blocks: std::sync::OnceLock<Arc<Reread>>,
    /// What the source says of itself (title, authors, year, venue), read the first time
    /// a page names it ([`DocData::meta`]).
    meta: std::sync::OnceLock<Arc<SourceMeta>>,
}

/// A source's bibliographic description as read from its own text
/// ([`crate::source::meta`]), each value's evidence a byte range of the stored source.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SourceMeta {
    #[serde(flatten)]
    pub meta: crate::source::meta::SourceMeta,
    /// `meta.evidence` as byte ranges of the source (field, start, end).
    pub source_evidence: Vec<(crate::source::meta::MetaField, usize, usize)>,
}

/// A source's citation as readers see it.
#[derive(Debug, Clone)]
pub struct Citation {
    /// With the historians' corrections applied.
    pub meta: crate::source::meta::SourceMeta,
    /// As the source states itself, with where.
    pub machine: Arc<SourceMeta>,
    /// The corrections in force, by field.
    pub edits: std::collections::BTreeMap<String, crate::curation::SourceEdit>,
}

/// What the layout repair finds when the stored source is read again for the reader: its
/// paragraphs and the page numbers printed in it.
#[derive(Debug, Clone, Default)]
pub struct Reread {
    pub blocks: Vec<Block>,
    pub pages: PrintedPages,
}

/// The page numbers a text source prints (a PDF's text with its page numbers as lines):
/// each number's line and value, in order, and whether they stand at the foot of their page
/// (the text before a number is on that page) or at its head (the text after it). Empty
/// unless the numbers run in sequence, so no page is ever guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintedPages {
    /// (byte offset of the number's line, the number).
    marks: Vec<(usize, u32)>,
    foot: bool,
}

impl PrintedPages {
    /// Reads the page-number lines the layout repair left out of the text (`lines`: their
    /// byte ranges and text). Numbers must mostly follow each other (n, n+1, …): at least
    /// four of them, and nine in ten steps by one; otherwise the source prints no usable
    /// page numbers.
    pub fn read(lines: &[(std::ops::Range<usize>, String)]) -> PrintedPages {
        let marks: Vec<(usize, u32)> = lines
            .iter()
            .filter_map(|(r, t)| {
                let t = t.trim_matches(|c: char| !c.is_ascii_digit());
                (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| t.parse().ok().map(|n| (r.start, n)))
                    .flatten()
            })
            .collect();
        if marks.len() < 4 {
            return PrintedPages::default();
        }
        let steps = marks.windows(2).filter(|w| w[1].1 == w[0].1 + 1).count();
        if steps * 10 < (marks.len() - 1) * 9 {
            return PrintedPages::default();
        }
        // At the foot when the text before the first number is about a page long; at the
        // head when the first number comes first.
        let mut gaps: Vec<usize> = marks.windows(2).map(|w| w[1].0 - w[0].0).collect();
        gaps.sort_unstable();
        let page = gaps[gaps.len() / 2].max(1);
        let foot = marks[0].0 * 2 > page;
        PrintedPages { marks, foot }
    }

    /// The printed number of the page byte `at` stands on, when the source prints them.
    pub fn at(&self, at: usize) -> Option<u32> {
        if self.marks.is_empty() {
            return None;
        }
        let i = self.marks.partition_point(|m| m.0 <= at);
        if self.foot {
            // The first number after it is its page's; after the last, the next page.
            match self.marks.get(i) {
                Some(m) => Some(m.1),
                None => self.marks.last().map(|m| m.1 + 1),
            }
        } else {
            match i.checked_sub(1) {
                Some(k) => Some(self.marks[k].1),
                None => self.marks[0].1.checked_sub(1).filter(|n| *n > 0),
            }
        }
    }
}

/// A paragraph of a document as the reader shows it: its byte range in the source and what
/// it is (a heading, a list item, running text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub src: std::ops::Range<usize>,
    pub kind: crate::text::layout::BlockKind,
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
            bytes: store.source_bytes(&doc.id)?.unwrap_or_default().into(),
            pages: match doc.format.as_str() {
                "pdf" | "image" => store.page_map(&doc.id)?.map(Arc::new),
                _ => None,
            },
            sentences,
            facts,
            by_id,
            blocks: std::sync::OnceLock::new(),
            meta: std::sync::OnceLock::new(),
        })
    }

    /// What the source says of itself: title, authors, year, venue, volume, issue, pages
    /// ([`crate::source::meta::read`] on its text; an HTML page's `<title>` as a hint), once
    /// per version of the document. Empty when nothing is stated clearly enough.
    pub fn meta(&self) -> Arc<SourceMeta> {
        self.meta
            .get_or_init(|| {
                let (meta, source_evidence) = crate::source::meta::read_source(
                    &self.bytes,
                    self.doc.encoding(),
                    self.doc.format == "html",
                    crate::source::meta::MetaHint {
                        html_title: self.doc.title.as_deref(),
                        lang: crate::text::lang::Lang::from_code(&self.doc.lang),
                    },
                );
                Arc::new(SourceMeta {
                    meta,
                    source_evidence,
                })
            })
            .clone()
    }

    /// Its paragraphs (headings, items, running text) and printed page numbers, with byte ranges in the source,
    /// read again from the stored source by the same layout repair that ingest ran (so the
    /// store keeps no second copy), once per version of the document. Empty when the source
    /// cannot be read again.
    pub fn blocks(&self) -> Arc<Reread> {
        self.reread()
    }

    /// The printed page number of byte `at` of a text source that prints its page numbers
    /// (see [`PrintedPages`]); a PDF's or a scan's page is its [`DocData::place`].
    pub fn printed_page(&self, at: usize) -> Option<u32> {
        self.reread().pages.at(at)
    }

    /// The source read again by the same layout repair that ingest ran, once per version
    /// of the document. Empty when it cannot be read again.
    fn reread(&self) -> Arc<Reread> {
        self.blocks
            .get_or_init(|| {
                use crate::text::layout::Format;
                let format = match self.doc.format.as_str() {
                    "markdown" => Format::Markdown,
                    "wiki" => Format::Wiki,
                    "html" => Format::Html,
                    _ => Format::Plain,
                };
                let opts = crate::document::ReadOptions {
                    encoding: Some(self.doc.encoding()),
                    format: Some(format),
                    lang: crate::text::lang::Lang::from_code(&self.doc.lang),
                    ..Default::default()
                };
                let Ok(d) =
                    crate::document::Document::read(&self.doc.id, self.bytes.to_vec(), opts)
                else {
                    return Arc::new(Reread::default());
                };
                let blocks = d
                    .paragraphs
                    .iter()
                    .map(|p| Block {
                        src: p.src.clone(),
                        kind: p.kind,
                    })
                    .collect();
                let numbers: Vec<(std::ops::Range<usize>, String)> = d
                    .furniture
                    .iter()
                    .filter(|f| f.kind == crate::text::layout::FurnitureKind::PageNumber)
                    .map(|f| {
                        (
                            f.src.clone(),
                            crate::source::decode::decode_range(
                                &self.bytes,
                                self.doc.encoding(),
                                f.src.clone(),
                            ),
                        )
                    })
                    .collect();
                Arc::new(Reread {
                    blocks,
                    pages: PrintedPages::read(&numbers),
                })
            })
            .clone()
    }

    /// The machine's fact `id`, if it is one of this document's.
    pub fn fact(&self, id: i64) -> Option<&StoredFact> {
        self.by_id.get(&id).map(|&i| &self.facts[i])
    }

    /// The document's decoded text.
    pub fn text(&self) -> String {
        crate::source::decode::decode_range(&self.bytes, self.doc.encoding(), 0..self.bytes.len())
    }

    /// Where the byte range `start..end` of the text stands on its page (PDFs and images).
    pub fn place(&self, start: u64, end: u64) -> Option<crate::span::Place> {
        let text = std::str::from_utf8(&self.bytes).ok()?;
        self.pages
            .as_ref()?
            .place(text, start as usize..end as usize)
    }

    /// Whether this data is of the version `d` of the document.
    fn is_version(&self, d: &StoredDocument) -> bool {
        self.doc.sha256 == d.sha256 && self.doc.ingested_at == d.ingested_at
    }
}

/// What is derived from one document version under the decisions about its facts: shared
/// between snapshots while neither changes.
#[derive(Debug)]
pub struct DocDerived {
    pub data: Arc<DocData>,
    /// The decisions it was derived under: (fact id, curation), by id.
    decisions: Vec<(i64, FactCuration)>,
    /// Curated records of the facts a decision is about.
    curated: HashMap<i64, (StoredFact, Status)>,
    /// Its event statements as readers see them (rejected ones left out).
    statements: Vec<Statement>,
    /// What it gives the series.
    observed: series::Observed,
    /// Mentions per entity id (rejected mentions not counted, edited ones under the
    /// curated entity).
    mentions: HashMap<String, usize>,
    /// `ask`'s part.
    knowledge: Arc<DocKnowledge>,
    /// Positions in `data.facts` of its tables, with their ids (as readers see them).
    tables: Vec<usize>,
    table_ids: Vec<String>,
}

impl DocDerived {
    /// Derives everything of one document under `curation`.
    fn build(data: Arc<DocData>, curation: &Curation) -> DocDerived {
        let decisions: Vec<(i64, FactCuration)> = curation
            .facts_of(&data.doc.id)
            .into_iter()
            .map(|(id, c)| (id, c.clone()))
            .collect();
        let mut curated: HashMap<i64, (StoredFact, Status)> = HashMap::new();
        for (id, _) in &decisions {
            if let Some(f) = data.fact(*id) {
                let mut c = f.clone();
                if let Some(status) = curation.apply_to_fact(&mut c) {
                    curated.insert(*id, (c, status));
                }
            }
        }
        // The facts as readers see them, rejected ones left out.
        let view: Vec<&StoredFact> = data
            .facts
            .iter()
            .filter_map(|f| match curated.get(&f.id) {
                Some((_, Status::Rejected)) => None,
                Some((c, _)) => Some(c),
                None => Some(f),
            })
            .collect();
        let mut statements = Vec::new();
        let mut quantities: Vec<&StoredFact> = Vec::new();
        let mut tables: Vec<&StoredFact> = Vec::new();
        let mut timexes: Vec<&StoredFact> = Vec::new();
        let mut mentions: HashMap<String, usize> = HashMap::new();
        for &f in &view {
            match f.kind.as_str() {
                "event_statement" => statements.extend(Statement::from_fact(f)),
                "quantity" => quantities.push(f),
                "table" => tables.push(f),
                "timex" => timexes.push(f),
                "mention" => {
                    if let Some(m) = f.body.mention() {
                        *mentions.entry(m.entity_id.clone()).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        let mut ctx = series::Context::default();
        ctx.insert(
            &data.doc.id,
            data.bytes.clone(),
            data.doc.encoding(),
            data.sentences
                .iter()
                .map(|s| (s.start as usize, s.end as usize))
                .collect(),
            timexes.iter().copied(),
        );
        let observed = series::observe(&quantities, &tables, &ctx);
        let mut table_at = Vec::new();
        let mut table_ids = Vec::new();
        for (i, f) in data.facts.iter().enumerate() {
            if f.kind == "table" {
                let seen = curated.get(&f.id).map_or(f, |(c, _)| c);
                table_at.push(i);
                table_ids.push(seen.body.table().map(|t| t.id.clone()).unwrap_or_default());
            }
        }
        let knowledge = Arc::new(DocKnowledge::build(
            &data.doc.id,
            Some(DocSource {
                bytes: data.bytes.clone(),
                encoding: data.doc.encoding(),
                pages: data.pages.clone(),
            }),
            &data.sentences,
            view.iter().copied(),
        ));
        DocDerived {
            data,
            decisions,
            curated,
            statements,
            observed,
            mentions,
            knowledge,
            tables: table_at,
            table_ids,
        }
    }

    /// Whether this was derived from `data` under the decisions `curation` holds now.
    fn holds(&self, data: &Arc<DocData>, curation: &Curation) -> bool {
        if !Arc::ptr_eq(&self.data, data) {
            return false;
        }
        let now = curation.facts_of(&data.doc.id);
        now.len() == self.decisions.len()
            && now
                .iter()
                .zip(&self.decisions)
                .all(|((a, x), (b, y))| a == b && *x == y)
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
    /// Documents whose derived data (curated facts, statements, series observations,
    /// knowledge) was derived again.
    pub derived: usize,
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
    docs: BTreeMap<String, Arc<DocDerived>>,
    /// The audit log resolved against these facts.
    pub curation: Curation,
    /// The machine's events of each merge group, before linking and curation: a change
    /// re-merges only the groups its documents' statements fall in.
    groups: BTreeMap<GroupKey, Arc<Vec<Event>>>,
    /// Table id → (document, position of its fact): the first table of that id.
    table_ids: HashMap<String, (String, usize)>,
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

    /// The machine's view of `store` made from this snapshot: documents unchanged since it
    /// are not read again, and only those with decisions about their facts are derived
    /// again (for a server's `machine=true`, which must not rebuild everything).
    pub fn machine(&self, store: &dyn Store) -> anyhow::Result<Snapshot> {
        Snapshot::make(Some(self), store, self.generation, false)
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
        let mut data: BTreeMap<String, Arc<DocData>> = BTreeMap::new();
        for d in &documents {
            let kept = prev
                .and_then(|p| p.docs.get(&d.id))
                .filter(|x| x.data.is_version(d))
                .map(|x| x.data.clone());
            let x = match kept {
                Some(x) => {
                    stats.reused += 1;
                    x
                }
                None => {
                    stats.read += 1;
                    Arc::new(DocData::load(store, d)?)
                }
            };
            data.insert(d.id.clone(), x);
        }
        let rejections = store.rejections()?;
        let rows = if curated_view {
            store.curations()?
        } else {
            Vec::new()
        };
        stats.read_seconds = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();

        let curation = Curation::resolve(rows, &Docs(&data))?;
        let mut docs: BTreeMap<String, Arc<DocDerived>> = BTreeMap::new();
        for (id, x) in data {
            let kept = prev
                .and_then(|p| p.docs.get(&id))
                .filter(|d| d.holds(&x, &curation))
                .cloned();
            let d = match kept {
                Some(d) => d,
                None => {
                    stats.derived += 1;
                    Arc::new(DocDerived::build(x, &curation))
                }
            };
            docs.insert(id, d);
        }

        let groups = merge_groups(prev, &docs);
        let mut table_ids: HashMap<String, (String, usize)> = HashMap::new();
        for (id, d) in &docs {
            for (&i, t) in d.tables.iter().zip(&d.table_ids) {
                table_ids
                    .entry(t.clone())
                    .or_insert_with(|| (id.clone(), i));
            }
        }
        let merged = merge::finish(groups.values().flat_map(|g| g.iter().cloned()).collect());
        let mut mentions: HashMap<String, usize> = HashMap::new();
        for d in docs.values() {
            for (e, n) in &d.mentions {
                *mentions.entry(e.clone()).or_default() += n;
            }
        }
        let history = History::assemble(
            docs.values().flat_map(|d| &d.statements),
            merged,
            docs.values().map(|d| &d.observed),
            &curation,
        );
        let knowledge = Knowledge::new(
            docs.values().map(|d| d.knowledge.clone()).collect(),
            history.events.clone(),
        );
        stats.derive_seconds = t1.elapsed().as_secs_f64();
        Ok(Snapshot {
            generation,
            curation_version: version,
            fingerprint: fingerprint(&documents, version),
            documents,
            rejections,
            docs,
            curation,
            groups,
            table_ids,
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
        self.docs.get(id).map(|d| &d.data.doc)
    }

    /// A document's stored data.
    pub fn doc(&self, id: &str) -> Option<&DocData> {
        self.docs.get(id).map(|d| d.data.as_ref())
    }

    /// Sentence `seq` of document `doc` with the facts inside it as readers see them
    /// (rejected ones left out), and whether an event statement stands in it.
    pub fn sentence_facts(
        &self,
        doc: &str,
        seq: u64,
    ) -> Option<(&crate::ask::knowledge::Sent, bool)> {
        let d = self.docs.get(doc)?;
        let i = d
            .data
            .sentences
            .binary_search_by_key(&seq, |s| s.seq)
            .ok()
            .or_else(|| d.data.sentences.iter().position(|s| s.seq == seq))?;
        let sent = d.knowledge.sents.get(i)?;
        let event = d.knowledge.events.iter().any(|e| e.sent == i);
        Some((sent, event))
    }

    /// How a reader names source `doc`: its title as corrected by a historian, else as it
    /// states it ([`DocData::meta`]), else its HTML title; None when none is known.
    pub fn source_title(&self, doc: &str) -> Option<String> {
        let d = self.docs.get(doc)?;
        self.citation(doc)?
            .meta
            .title
            .or_else(|| d.data.doc.title.clone())
            .filter(|t| !t.trim().is_empty())
    }

    /// Source `doc`'s citation as readers see it: what it states of itself, with the
    /// historians' corrections applied (and kept beside it).
    pub fn citation(&self, doc: &str) -> Option<Citation> {
        let d = self.docs.get(doc)?;
        let machine = d.data.meta();
        let edits = self.curation.source_edits(doc).cloned().unwrap_or_default();
        let mut meta = machine.meta.clone();
        for (field, e) in &edits {
            let text = e.value.as_str().map(str::to_string);
            match field.as_str() {
                "title" => meta.title = text,
                "venue" => meta.venue = text,
                "volume" => meta.volume = text,
                "issue" => meta.issue = text,
                "url" => meta.url = text,
                "doi" => meta.doi = text,
                "year" => meta.year = e.value.as_i64().and_then(|y| i32::try_from(y).ok()),
                "authors" => {
                    meta.authors = e
                        .value
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                }
                "pages" => {
                    meta.pages = text.and_then(|t| {
                        let (a, b) = t.split_once('-').unwrap_or((&t, &t));
                        Some((a.parse().ok()?, b.parse().ok()?))
                    })
                }
                _ => {}
            }
        }
        Some(Citation {
            meta,
            machine,
            edits,
        })
    }

    /// The stored sentence of `doc` holding byte `at` of the source (sentences are in
    /// source order).
    pub fn sentence_at(&self, doc: &str, at: u64) -> Option<&crate::store::StoredSentence> {
        let v = &self.docs.get(doc)?.data.sentences;
        let i = v.partition_point(|s| s.start <= at);
        let s = v.get(i.checked_sub(1)?)?;
        (s.start <= at && at < s.end).then_some(s)
    }

    /// Every document's data, by id.
    pub fn docs(&self) -> impl Iterator<Item = &DocData> {
        self.docs.values().map(|d| d.data.as_ref())
    }

    /// How readers see `f`: curated when a decision is about it.
    pub fn curated<'a>(&'a self, f: &'a StoredFact) -> CuratedFact<'a> {
        match self.docs.get(&f.doc).and_then(|d| d.curated.get(&f.id)) {
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
            .flat_map(move |d| d.data.facts.iter().map(move |f| self.curated(f)))
    }

    /// Every fact as readers see it, by document id, then position.
    pub fn facts(&self) -> impl Iterator<Item = CuratedFact<'_>> + '_ {
        self.docs
            .values()
            .flat_map(move |d| d.data.facts.iter().map(move |f| self.curated(f)))
    }

    /// Every table (curated, rejected ones included, marked), by document id, then
    /// position.
    pub fn tables(&self) -> impl Iterator<Item = CuratedFact<'_>> + '_ {
        self.docs.values().flat_map(move |d| {
            d.tables
                .iter()
                .map(move |&i| self.curated(&d.data.facts[i]))
        })
    }

    /// The first table (in [`Snapshot::tables`]' order) with the id `id`.
    pub fn table(&self, id: &str) -> Option<CuratedFact<'_>> {
        let (doc, i) = self.table_ids.get(id)?;
        let d = self.docs.get(doc)?;
        Some(self.curated(&d.data.facts[*i]))
    }

    /// A fact by id (curated), with the document it belongs to.
    pub fn fact(&self, id: i64) -> Option<CuratedFact<'_>> {
        self.docs
            .values()
            .find_map(|d| d.data.fact(id))
            .map(|f| self.curated(f))
    }
}

/// The merge groups of `docs`' statements: those of `prev` where no statement of theirs
/// came or went, the others merged again ([`merge::merge_group`]).
fn merge_groups(
    prev: Option<&Snapshot>,
    docs: &BTreeMap<String, Arc<DocDerived>>,
) -> BTreeMap<GroupKey, Arc<Vec<Event>>> {
    let keyed = |d: &DocDerived| -> Vec<(GroupKey, Statement)> {
        d.statements
            .iter()
            .filter_map(|s| Some((merge::group_key(s)?, s.clone())))
            .collect()
    };
    let Some(prev) = prev else {
        let mut by_key: BTreeMap<GroupKey, Vec<Statement>> = BTreeMap::new();
        for d in docs.values() {
            for (k, s) in keyed(d) {
                by_key.entry(k).or_default().push(s);
            }
        }
        return by_key
            .into_iter()
            .map(|(k, v)| (k, Arc::new(merge::merge_group(v))))
            .collect();
    };
    // The documents whose statements may have changed: derived again, added or removed.
    let changed: std::collections::BTreeSet<&str> = docs
        .iter()
        .filter(|(id, d)| prev.docs.get(*id).is_none_or(|p| !Arc::ptr_eq(p, d)))
        .map(|(id, _)| id.as_str())
        .chain(
            prev.docs
                .keys()
                .filter(|id| !docs.contains_key(*id))
                .map(String::as_str),
        )
        .collect();
    let mut added: BTreeMap<GroupKey, Vec<Statement>> = BTreeMap::new();
    for id in &changed {
        if let Some(p) = prev.docs.get(*id) {
            for k in p.statements.iter().filter_map(merge::group_key) {
                added.entry(k).or_default();
            }
        }
        if let Some(d) = docs.get(*id) {
            for (k, s) in keyed(d) {
                added.entry(k).or_default().push(s);
            }
        }
    }
    let mut groups = prev.groups.clone();
    for (k, mut statements) in added {
        if let Some(old) = groups.get(&k) {
            statements.extend(
                old.iter()
                    .flat_map(|e| &e.statements)
                    .filter(|s| !changed.contains(s.evidence.doc.as_str()))
                    .cloned(),
            );
        }
        if statements.is_empty() {
            groups.remove(&k);
        } else {
            groups.insert(k, Arc::new(merge::merge_group(statements)));
        }
    }
    groups
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

#[cfg(test)]
mod printed_pages_tests {
    use super::PrintedPages;

    fn lines(at: &[(usize, &str)]) -> Vec<(std::ops::Range<usize>, String)> {
        at.iter()
            .map(|&(a, t)| (a..a + t.len(), t.to_string()))
            .collect()
    }

    #[test]
    fn numbers_at_the_foot_number_the_text_before_them() {
        // Pages of about 1000 bytes, the number at each page's foot.
        let p = PrintedPages::read(&lines(&[
            (990, "11"),
            (1990, "12"),
            (2990, "- 13 -"),
            (3990, "14"),
        ]));
        assert_eq!(p.at(10), Some(11));
        assert_eq!(p.at(995), Some(12));
        assert_eq!(p.at(2500), Some(13));
        assert_eq!(p.at(4500), Some(15));
    }

    #[test]
    fn numbers_at_the_head_number_the_text_after_them() {
        let p = PrintedPages::read(&lines(&[(0, "7"), (1000, "8"), (2000, "9"), (3000, "10")]));
        assert_eq!(p.at(500), Some(7));
        assert_eq!(p.at(2100), Some(9));
        assert_eq!(p.at(9999), Some(10));
    }

    #[test]
    fn numbers_out_of_sequence_or_too_few_give_no_page() {
        let shuffled = PrintedPages::read(&lines(&[
            (990, "11"),
            (1990, "40"),
            (2990, "3"),
            (3990, "14"),
        ]));
        assert_eq!(shuffled.at(100), None);
        let few = PrintedPages::read(&lines(&[(990, "11"), (1990, "12")]));
        assert_eq!(few.at(100), None);
        assert_eq!(
            PrintedPages::read(&lines(&[(1, "iv"), (2, "v"), (3, "x"), (4, "y")])).at(2),
            None
        );
    }
}
