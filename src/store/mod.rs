//! Storage: the one narrow interface every backend implements.
//!
//! [`Store`] holds documents (their original bytes, how they were read), paragraphs,
//! sentences and facts. The embedded backend is SQLite ([`sqlite::SqliteStore`]); the
//! PostgreSQL backend ([`postgres::PgStore`]), for archives that outgrow one machine, is
//! another implementation of this trait, not a rewrite. One contract suite
//! (`store::contract`) runs against both. Search lives behind its own trait in
//! [`crate::search`].
//!
//! Load-bearing guarantee: [`Store::put_document`] writes one document and everything
//! derived from it in one transaction. A process killed at any point leaves either the old
//! version of the document or the new one, never a mix.

pub mod claims;
#[cfg(test)]
pub(crate) mod contract;
mod copy_rows;
pub mod pg_claims;
pub mod postgres;
mod rows;
pub mod sqlite;

/// Opens the store at the data location `data` (creating it if needed): a
/// `postgresql://` URL opens the PostgreSQL database it names, anything else is a folder
/// holding the embedded SQLite store. The one place that picks the backend: everything
/// else holds a `dyn Store`.
pub fn open(data: &std::path::Path) -> Result<Box<dyn Store>> {
    match data.to_str().filter(|s| crate::pg::is_url(s)) {
        Some(url) => {
            Ok(Box::new(postgres::PgStore::open(url).map_err(
                |e| match e.downcast::<StoreError>() {
                    Ok(s) => s,
                    Err(e) => StoreError::Backend(format!("{e:#}")),
                },
            )?))
        }
        None => Ok(Box::new(sqlite::SqliteStore::open(
            &data.join("annals.db"),
        )?)),
    }
}

use crate::document::Document;
use crate::extract::Fact;
use crate::source::decode::Encoding;
use crate::text::lang::Lang;
use serde::Serialize;

pub use copy_rows::{
    AliasRow, DocumentRows, FactRow, FurnitureRow, PagesRow, ParagraphRow, SentenceRow,
};

/// Errors of a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the store at {path} was written by a newer annals (schema version {found}; this annals reads up to {supported}); upgrade annals to open it"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("the store at {path} is locked by another annals process")]
    Locked { path: String },
    /// The backend failed (its message says how: "database or disk is full", …).
    #[error("database error: {0}")]
    Backend(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// A write the store refused because it would break what the store guarantees (a
    /// curation row out of order).
    #[error("refused: {0}")]
    Refused(String),
}

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

/// What [`Store::put_document`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PutOutcome {
    /// A new document.
    Added,
    /// The id existed with other content; its old facts were replaced.
    Replaced,
}

/// A stored document, without its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    pub id: String,
    pub sha256: String,
    pub bytes: u64,
    pub encoding: String,
    pub encoding_confidence: f64,
    pub format: String,
    pub lang: String,
    pub title: Option<String>,
    pub paragraphs: u64,
    pub sentences: u64,
    pub facts: u64,
    pub ingested_at: String,
    /// Other names under which the same content was found.
    pub aliases: Vec<String>,
    /// Whether the search index holds this version.
    pub indexed: bool,
}

impl StoredDocument {
    /// The encoding, parsed.
    pub fn encoding(&self) -> Encoding {
        Encoding::from_name(&self.encoding).unwrap_or(Encoding::Utf8)
    }
}

/// A stored sentence.
#[derive(Debug, Clone, Serialize)]
pub struct StoredSentence {
    /// Store-wide id (changes when its document is replaced).
    pub id: i64,
    pub doc: String,
    pub seq: u64,
    pub paragraph: u64,
    /// Byte range of the original source.
    pub start: u64,
    pub end: u64,
    pub lang: Lang,
    /// The repaired sentence text.
    pub clean: String,
}

/// A sentence's name in every backend and in the search index: its document and its number
/// in that document (`StoredSentence::seq`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SentenceKey {
    pub doc: String,
    pub seq: u64,
}

impl StoredSentence {
    /// The sentence's key.
    pub fn key(&self) -> SentenceKey {
        SentenceKey {
            doc: self.doc.clone(),
            seq: self.seq,
        }
    }
}

/// A stored fact: its record as stored and exported (the wire form), and the same fact
/// typed (read once, here, from the record).
#[derive(Debug, Clone, Serialize)]
pub struct StoredFact {
    pub id: i64,
    pub doc: String,
    pub kind: String,
    pub start: u64,
    pub end: u64,
    /// The fact's record as exported (kind, span, body).
    pub record: serde_json::Value,
    /// The record's body, typed. Readers match on this; they never read `record` by field
    /// name.
    #[serde(skip)]
    pub body: crate::fact::FactBody,
}

impl StoredFact {
    /// A stored fact from its record (whose `kind` it takes).
    ///
    /// Errors: [`StoreError::Corrupt`] when the record is no fact record of its kind.
    pub fn from_record(
        id: i64,
        doc: String,
        start: u64,
        end: u64,
        record: serde_json::Value,
    ) -> Result<StoredFact> {
        let body = crate::fact::FactBody::from_record(&record)
            .map_err(|e| StoreError::Corrupt(format!("fact {id} of {doc}: {e}")))?;
        Ok(StoredFact {
            id,
            doc,
            kind: body.kind().to_string(),
            start,
            end,
            record,
            body,
        })
    }

    /// The source text the fact's span covers, as the record holds it.
    pub fn text(&self) -> &str {
        self.record
            .get("text")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    }

    /// Where the fact stands on its page (a PDF's or an image's fact), from the record's
    /// `page` and `boxes`.
    pub fn place(&self) -> Option<crate::span::Place> {
        use serde::Deserialize;
        self.record.get("page")?;
        crate::span::Place::deserialize(&self.record).ok()
    }

    /// The fact's evidence: its span with its text and place.
    pub fn span(&self) -> crate::span::Span {
        crate::span::Span {
            doc: self.doc.clone(),
            start: self.start as usize,
            end: self.end as usize,
            text: self.text().to_string(),
            place: self.place(),
        }
    }

    /// Replaces the record (a curated one) and reads its body again. When the new record
    /// is no valid record of the fact's kind, the body stays as it was and the error says
    /// why.
    pub fn set_record(&mut self, record: serde_json::Value) -> Result<()> {
        let body = crate::fact::FactBody::from_record(&record);
        self.record = record;
        self.body = body.map_err(|e| StoreError::Corrupt(format!("fact {}: {e}", self.id)))?;
        Ok(())
    }
}

/// One row of the curation audit log, as stored. The log is append-only: rows are never
/// updated or deleted, and they do not belong to a document (re-ingesting or replacing a
/// document keeps them). Their meaning (targets, actions) is [`crate::curation`]'s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurationRow {
    /// Increasing with every row.
    pub id: i64,
    /// When the row was written: UTC, RFC 3339 (`2024-05-01T09:30:00Z`).
    pub at: String,
    pub who: String,
    pub action: String,
    /// What the decision is about (a fact or an event, anchored), as JSON.
    pub target: serde_json::Value,
    pub field: Option<String>,
    pub old_value: serde_json::Value,
    pub new_value: serde_json::Value,
    pub reason: String,
    /// The client's id for the request that made it (a retry with the same id is not
    /// recorded again).
    pub request_id: Option<String>,
}

/// A curation row to append (the store gives it its `id` and `at`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewCurationRow {
    pub who: String,
    pub action: String,
    pub target: serde_json::Value,
    pub field: Option<String>,
    pub old_value: serde_json::Value,
    pub new_value: serde_json::Value,
    pub reason: String,
    /// The client's id for the request; a row with the same id is never written twice
    /// (`append_curation` then returns the row already there).
    pub request_id: Option<String>,
}

/// A file that could not be ingested, kept so that nothing is lost silently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    pub path: String,
    pub reason: String,
    pub at: String,
}

/// The storage interface. A store is shared by the threads of a process (`Send + Sync`);
/// its errors name no backend library ([`StoreError::Backend`] carries the message).
pub trait Store: Send + Sync {
    /// Content hash of the stored document `id`.
    fn document_hash(&self, id: &str) -> Result<Option<String>>;
    /// The id of a stored document with this content hash, if any.
    fn find_by_hash(&self, sha256: &str) -> Result<Option<String>>;
    /// Writes `doc` and its facts in one transaction, replacing any older version of the
    /// same id (and dropping the aliases that named the old content). Returns what it did
    /// and the ids given to the sentences, in document order.
    fn put_document(&mut self, doc: &Document, facts: &[Fact]) -> Result<(PutOutcome, Vec<i64>)>;
    /// Records `alias` as another name of the stored document `doc_id`.
    fn add_alias(&mut self, alias: &str, doc_id: &str) -> Result<()>;
    /// Records a file that could not be ingested (replacing an older record of the path).
    fn record_rejection(&mut self, path: &str, reason: &str) -> Result<()>;
    /// Forgets the rejection of `path` (it was ingested since).
    fn clear_rejection(&mut self, path: &str) -> Result<()>;
    /// Files that could not be ingested.
    fn rejections(&self) -> Result<Vec<Rejection>>;
    /// All documents, by id.
    fn documents(&self) -> Result<Vec<StoredDocument>>;
    /// A page of the documents, by id: at most `limit` whose id comes after `after` (from
    /// the first when `None`). Pages are keyed by id, not by position, so a document added
    /// while a reader pages through shifts no page it has not read yet.
    fn documents_page(&self, after: Option<&str>, limit: usize) -> Result<Vec<StoredDocument>>;
    /// One document.
    fn document(&self, id: &str) -> Result<Option<StoredDocument>>;
    /// The original bytes of a document.
    fn source_bytes(&self, id: &str) -> Result<Option<Vec<u8>>>;
    /// A PDF's or an image's file and page map (None for a text document).
    fn paged(&self, id: &str) -> Result<Option<crate::document::Paged>>;
    /// A PDF's or an image's page map alone (None for a text document).
    fn page_map(&self, id: &str) -> Result<Option<crate::source::pages::PageMap>>;
    /// The sentences of one document (or all), in document order.
    fn sentences(
        &self,
        doc: Option<&str>,
        f: &mut dyn FnMut(StoredSentence) -> Result<()>,
    ) -> Result<()>;
    /// The sentences of `keys` (document, sentence number), in the keys' order; keys the
    /// store does not hold are left out. The key is the same in every backend (a row id is
    /// not), so a search index names sentences by it.
    fn sentences_by_key(&self, keys: &[SentenceKey]) -> Result<Vec<StoredSentence>>;
    /// The facts of one kind (or all), by document and position.
    fn facts(&self, kind: Option<&str>, f: &mut dyn FnMut(StoredFact) -> Result<()>) -> Result<()>;
    /// The facts of one document, in order of position (then id).
    fn facts_of(&self, doc: &str, f: &mut dyn FnMut(StoredFact) -> Result<()>) -> Result<()>;
    /// The facts of document `doc` whose span is exactly `start..end` (any kind), by id:
    /// how a decision names its fact. An index lookup, not a scan of the document.
    fn facts_at(&self, doc: &str, start: u64, end: u64) -> Result<Vec<StoredFact>>;
    /// Documents whose current version is not yet in the search index.
    fn unindexed(&self) -> Result<Vec<String>>;
    /// Marks the current versions of `ids` as indexed.
    fn mark_indexed(&mut self, ids: &[String]) -> Result<()>;
    /// Marks every document as not indexed (before a rebuild of the index).
    fn mark_all_unindexed(&mut self) -> Result<()>;
    /// Checks internal consistency (counts agree, no orphans); returns the problems found.
    fn check(&self) -> Result<Vec<String>>;
    /// One fact by id (ids change when its document is replaced).
    fn fact(&self, id: i64) -> Result<Option<StoredFact>>;
    /// Appends a row to the curation audit log and returns it as stored. Rows survive the
    /// replacement of the documents they are about.
    fn append_curation(&mut self, row: &NewCurationRow) -> Result<CurationRow>;
    /// The whole curation audit log, oldest first.
    fn curations(&self) -> Result<Vec<CurationRow>>;
    /// The curation row made by the request with this id, if any.
    fn curation_by_request(&self, request_id: &str) -> Result<Option<CurationRow>>;
    /// The id of the latest curation row (0 when none): changes with every decision.
    fn curation_version(&self) -> Result<i64>;

    // Moving an archive (`annals copy`): everything as stored, nothing read again.

    /// Everything stored of document `id`, as stored ([`DocumentRows`]), read in one
    /// snapshot (a put of the same id at the same time is seen whole or not at all); `None`
    /// when no such document is stored.
    ///
    /// Errors: [`StoreError::Corrupt`] when the document has no source row.
    fn document_rows(&self, id: &str) -> Result<Option<DocumentRows>>;
    /// Writes `rows` as they are (its `ingested_at`, the aliases' times, the ids of its
    /// sentences and facts, every code and JSON text unchanged) in one transaction,
    /// replacing any version of the same id and everything derived from it; the document is
    /// written not indexed, and a rejection of its id is forgotten, as
    /// [`Store::put_document`] does. Ids given later by [`Store::put_document`] follow the
    /// kept ones. Returns what it did.
    ///
    /// Errors (nothing is written): [`StoreError::Corrupt`] when the rows disagree with the
    /// counts of their document row ([`DocumentRows::validate`]); the backend's when a
    /// sentence or fact id is held by a row of another document.
    fn put_rows(&mut self, rows: &DocumentRows) -> Result<PutOutcome>;
    /// Records a rejection as stored, keeping its time, replacing an older record of the
    /// same path.
    fn put_rejection(&mut self, rejection: &Rejection) -> Result<()>;
    /// Appends a curation row as stored: its id (decisions name the rows they retract by
    /// it), `at`, who, action, target, field, values, reason and request id kept. Ids given
    /// later by [`Store::append_curation`] follow it. A row whose request id is already
    /// logged is not written again: the row there is returned, as
    /// [`Store::append_curation`] does.
    ///
    /// Errors: [`StoreError::Refused`] when the id does not follow the log's latest (the log
    /// keeps its ids increasing); nothing is written.
    fn append_curation_as_stored(&mut self, row: &CurationRow) -> Result<CurationRow>;
    /// The name of the database itself, whatever location opened it: two stores opened on
    /// the same database (a folder by two paths, a database by two URLs) give the same,
    /// stores of different databases different ones. Not for display.
    fn identity(&self) -> Result<String>;
}
