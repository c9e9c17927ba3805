//! Claims: how several ingest workers, in several processes or on several machines, share
//! one batch of files without reading a file twice or losing one.
//!
//! A worker *offers* the files it found that the store lacks (their id and content hash),
//! then *claims* them one at a time. A claim is a lease: held while the worker lives and
//! renews it, free again when the worker's session with the database ends (killed, crashed,
//! disconnected) or when the lease runs out unrenewed (a hung worker). A file whose claim is
//! taken over is read again by the new holder; storing it again is harmless, since a
//! document is written in one transaction that replaces any version of the same id. When a
//! worker has stored (or rejected) a file it *finishes* the claim, and the row keeps who did
//! what, so each worker's summary can say what the others did.
//!
//! The embedded store has no claims: one process writes it at a time (the search index's
//! writer lock), so it needs none. The PostgreSQL backend is [`super::pg_claims`].

use super::Result;
use std::time::Duration;

/// What [`Claims::claim_next`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// This worker now holds the file `doc` (whose offered content hash is `sha256`).
    /// `taken_from` names the worker that held it before and was lost (killed, or silent
    /// past its lease).
    Claimed {
        doc: String,
        sha256: String,
        taken_from: Option<String>,
        /// The store already holds this content under this id: a lost worker stored it
        /// and died before it finished the claim. Nothing is left to read.
        stored: bool,
    },
    /// Every file left is held by another live worker: ask again shortly.
    Wait,
    /// Nothing is left to claim: every file asked about is finished.
    Done,
}

/// How a file's claim ended, as the queue keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub doc: String,
    /// The worker that finished it.
    pub worker: String,
    /// What it did: `added`, `replaced`, `unchanged`, `duplicate` or `rejected`.
    pub outcome: String,
    /// Whether it finished after this worker started (in this run, not an earlier one).
    pub in_this_run: bool,
}

/// A worker's share of a batch. `Send + Sync`: the worker's analysis threads claim, its
/// writer finishes.
pub trait Claims: Send + Sync {
    /// This worker's name (as `--worker` gave it, or host and process id).
    fn worker(&self) -> &str;
    /// Puts files in the queue, each `(id, content hash)`: a file not queued yet, one whose
    /// content changed, or one finished before this worker started (a new run: a rejected
    /// file is tried again) becomes claimable. A file queued with the same content, or
    /// finished since this worker started, stays as it is.
    fn offer(&self, files: &[(String, String)]) -> Result<()>;
    /// Claims the next claimable file among `docs`, in id order, skipping the rows other
    /// workers are claiming at this instant. A file is claimable when no live worker holds
    /// it, and no live worker holds another file of the same content (that one would become
    /// its document, this one an alias).
    fn claim_next(&self, docs: &[String]) -> Result<Next>;
    /// Marks `doc` finished by this worker with `outcome`. Returns false when this worker
    /// no longer held it (its lease ran out and another worker took it over).
    fn finish(&self, doc: &str, outcome: &str) -> Result<bool>;
    /// How the files among `docs` that are finished ended, and by whom.
    fn finished(&self, docs: &[String]) -> Result<Vec<Finished>>;
}

/// How long a claim lasts unrenewed by default. A worker renews its claims three times per
/// lease; a killed worker's claims are free at once (its session ends with it).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// The default name of a worker: this machine's host name and this process's id
/// (`archive-3:41122`).
pub fn default_worker_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!("{host}:{}", std::process::id())
}
