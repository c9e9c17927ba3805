//! What the server holds between requests: a read-only *view* of the store (answers,
//! history, documents) rebuilt whenever the store changes, a search archive per worker
//! thread, the ingest's progress, and the limits every query runs under.
//!
//! Requests never wait for an ingest: the view is swapped atomically once a rebuilt one is
//! ready, and readers keep the one they started with. SQLite (WAL) and tantivy both let
//! readers run beside one writer, in this process or another (`annals ingest` into the same
//! data folder while `annals serve` runs is fine: a poller notices the new documents).

use super::error::ApiError;
use crate::archive::Archive;
use crate::ingest::{FileReport, IngestOptions, IngestSummary, Progress};
use crate::snapshot::Snapshot;
use serde::Serialize;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use utoipa::ToSchema;

/// Everything a read request needs: the store's [`Snapshot`], made again (reading only the
/// documents that changed) whenever the store changes.
pub type View = Snapshot;

/// The progress of the ingest the server runs (paths given to `annals serve`).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct IngestStatus {
    /// "idle", "running", "done" or "failed".
    pub state: String,
    pub files_total: usize,
    pub files_done: usize,
    pub bytes_total: u64,
    /// The last file finished and its outcome.
    pub last: Option<String>,
    /// Files rejected so far, with reasons.
    pub rejected: Vec<String>,
    /// The error that stopped the ingest, if any.
    pub error: Option<String>,
    pub seconds: f64,
}

/// Limits and secrets of a running server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A query running longer gets 503 with a reason.
    pub query_timeout: Duration,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Queries running at once; the rest wait their turn (within the timeout).
    pub max_concurrent_queries: usize,
    /// A client must send a request's headers, and its body, within this time; a
    /// connection that stalls longer is closed.
    pub read_timeout: Duration,
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
}

/// The server's shared state.
pub struct AppState {
    pub data: PathBuf,
    /// The token every write needs (`Authorization: Bearer …` or `X-Annals-Token`).
    pub token: String,
    pub limits: Limits,
    view: RwLock<Arc<View>>,
    generation: AtomicU64,
    pub ingest: Mutex<IngestStatus>,
    queries: Arc<tokio::sync::Semaphore>,
    /// Serializes rebuilds, so two changes do not rebuild twice at once.
    rebuilding: Mutex<()>,
    /// A background rebuild is asked for and has not started reading the store yet (so
    /// more changes meanwhile need no rebuild of their own).
    refresh_pending: std::sync::atomic::AtomicBool,
    /// The store rebuilds read, kept open between them on a PostgreSQL archive (a pool of
    /// its own; a folder's store is opened per rebuild, so a replaced file is seen).
    refresh_store: Mutex<Option<Box<dyn crate::store::Store>>>,
}

thread_local! {
    /// One archive per worker thread, reopened when the view's generation changes (so the
    /// search index shows what was committed since).
    static ARCHIVE: RefCell<Option<(u64, Archive)>> = const { RefCell::new(None) };
}

impl AppState {
    /// Opens the data folder and builds the first view.
    pub fn open(data: &Path, token: String, limits: Limits) -> anyhow::Result<AppState> {
        // Creates the folder, the store and the index if they are missing.
        drop(Archive::open(data)?);
        let store = crate::store::open(data)?;
        let view = Snapshot::build(store.as_ref())?;
        Ok(AppState {
            data: data.to_path_buf(),
            token,
            queries: Arc::new(tokio::sync::Semaphore::new(
                limits.max_concurrent_queries.max(1),
            )),
            limits,
            view: RwLock::new(Arc::new(view)),
            generation: AtomicU64::new(1),
            ingest: Mutex::new(IngestStatus {
                state: "idle".into(),
                ..Default::default()
            }),
            rebuilding: Mutex::new(()),
            refresh_pending: std::sync::atomic::AtomicBool::new(false),
            refresh_store: Mutex::new(None),
        })
    }

    /// The current view.
    pub fn view(&self) -> Arc<View> {
        self.view.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Rebuilds the view if the store changed (or `force`); returns whether it did.
    pub fn refresh(&self, force: bool) -> anyhow::Result<bool> {
        let _one = self.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
        self.refresh_locked(force)
    }

    /// Rebuilds the view soon, on a thread of its own, and returns at once. Changes made
    /// while a rebuild waits to start share it.
    pub fn refresh_soon(self: &Arc<Self>) {
        self.refresh_in_background(true)
    }

    /// Like [`AppState::refresh_soon`]; unless `force`, the view is rebuilt only when the
    /// store's fingerprint says it changed.
    fn refresh_in_background(self: &Arc<Self>, force: bool) {
        if self.refresh_pending.swap(true, Ordering::SeqCst) {
            return;
        }
        let state = self.clone();
        std::thread::spawn(move || {
            let _one = state.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
            // From here on the store is read: later changes need a rebuild of their own.
            state.refresh_pending.store(false, Ordering::SeqCst);
            if let Err(e) = state.refresh_locked(force) {
                eprintln!("annals serve: rebuilding the view failed: {e:#}");
            }
        });
    }

    fn refresh_locked(&self, force: bool) -> anyhow::Result<bool> {
        let mut kept = self.refresh_store.lock().unwrap_or_else(|e| e.into_inner());
        let store = match kept.take() {
            Some(s) => s,
            None => crate::store::open(&self.data)?,
        };
        let r = self.refresh_with(store.as_ref(), force);
        if self.data.to_str().is_some_and(crate::pg::is_url) {
            *kept = Some(store);
        }
        r
    }

    fn refresh_with(&self, store: &dyn crate::store::Store, force: bool) -> anyhow::Result<bool> {
        let prev = self.view();
        if !force && prev.is_current(store)? {
            return Ok(false);
        }
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let view = Snapshot::apply_change(Some(&prev), store, generation)?;
        drop(prev);
        *self.view.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(view);
        Ok(true)
    }

    /// Runs `f` on a blocking thread with the current view and that thread's archive,
    /// within the query timeout and the concurrency limit. A query that takes too long gets
    /// a 503 with a reason; its thread finishes in the background, the worker is free.
    pub async fn query<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&View, &Archive) -> Result<T, ApiError> + Send + 'static,
    {
        let timeout = self.limits.query_timeout;
        let started = Instant::now();
        let permit = tokio::time::timeout(timeout, self.queries.clone().acquire_owned())
            .await
            .map_err(|_| busy(timeout))?
            .map_err(ApiError::internal)?;
        let state = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let view = state.view();
            state.with_archive(view.generation, |a| f(&view, a))?
        });
        match tokio::time::timeout(timeout.saturating_sub(started.elapsed()), task).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(ApiError::internal(format!("the query failed: {e}"))),
            Err(_) => Err(ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the query took longer than {} ms and was abandoned; narrow it (fewer words, a document, a language, a smaller page)",
                    timeout.as_millis()
                ),
            )),
        }
    }

    /// Runs `f` with this thread's archive, opening it (again) for `generation`.
    fn with_archive<T>(
        &self,
        generation: u64,
        f: impl FnOnce(&Archive) -> T,
    ) -> Result<T, ApiError> {
        ARCHIVE.with(|cell| {
            let mut slot = cell.borrow_mut();
            // A tantivy index shows what was committed since it was opened: a new view
            // reopens it. A transactional one (PostgreSQL) reads the database on each query
            // and stays open.
            if slot
                .as_ref()
                .is_none_or(|(g, a)| *g != generation && !a.index.is_transactional())
            {
                *slot = None;
                let a = Archive::open(&self.data).map_err(ApiError::internal)?;
                *slot = Some((generation, a));
            }
            let (_, a) = slot.as_ref().expect("archive just opened");
            Ok(f(a))
        })
    }

    /// Whether `given` is the server's token (constant-time comparison).
    pub fn token_ok(&self, given: &str) -> bool {
        let (a, b) = (self.token.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Ingests `paths` on a thread of its own, updating `ingest` as files finish and
    /// rebuilding the view when it is done (and every `refresh_every` files meanwhile).
    pub fn spawn_ingest(self: &Arc<Self>, paths: Vec<PathBuf>, opts: IngestOptions) {
        let state = self.clone();
        std::thread::spawn(move || {
            let t0 = Instant::now();
            state.set_ingest(|s| {
                *s = IngestStatus {
                    state: "running".into(),
                    ..Default::default()
                }
            });
            let result = (|| -> anyhow::Result<IngestSummary> {
                let mut archive = Archive::open(&state.data)?;
                let progress = ServerProgress { state: &state };
                Ok(crate::ingest::ingest(
                    &mut archive,
                    &paths,
                    &opts,
                    &crate::extract::Pipeline::standard(),
                    &progress,
                )?)
            })();
            let refreshed = state.refresh(true);
            state.set_ingest(|s| {
                s.seconds = t0.elapsed().as_secs_f64();
                match (&result, &refreshed) {
                    (Ok(_), Ok(_)) => s.state = "done".into(),
                    (Err(e), _) | (_, Err(e)) => {
                        s.state = "failed".into();
                        s.error = Some(format!("{e:#}"));
                    }
                }
            });
        });
    }

    /// Polls the store every `every` and rebuilds the view when another process changed it.
    /// On a PostgreSQL archive the server also listens for the changes other processes
    /// announce ([`crate::pg::listen`]) and refreshes as soon as one commits; the poll is
    /// then only a safety net.
    pub fn spawn_poller(self: &Arc<Self>, every: Duration) {
        if let Some(url) = self.data.to_str().filter(|s| crate::pg::is_url(s)) {
            let state = Arc::downgrade(self);
            crate::pg::listen(url, move |changes| {
                let Some(state) = state.upgrade() else {
                    return false;
                };
                if !changes.is_empty() {
                    // Per document: the view reads again only the documents whose version
                    // changed; one that is already current (this server's own change)
                    // costs a fingerprint.
                    state.refresh_in_background(false);
                }
                true
            });
        }
        let state = Arc::downgrade(self);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(every);
                let Some(state) = state.upgrade() else {
                    return;
                };
                if let Err(e) = state.refresh(false) {
                    eprintln!("annals serve: refreshing the view failed: {e:#}");
                }
            }
        });
    }

    fn set_ingest(&self, f: impl FnOnce(&mut IngestStatus)) {
        f(&mut self.ingest.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

fn busy(timeout: Duration) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the server is busy: no query slot freed within {} ms; try again",
            timeout.as_millis()
        ),
    )
}

struct ServerProgress<'a> {
    state: &'a AppState,
}

impl Progress for ServerProgress<'_> {
    fn start(&self, files: usize, bytes: u64) {
        self.state.set_ingest(|s| {
            s.files_total = files;
            s.bytes_total = bytes;
        });
    }
    fn file_done(&self, r: &FileReport) {
        self.state.set_ingest(|s| {
            s.files_done += 1;
            let outcome = serde_json::to_value(&r.outcome)
                .ok()
                .and_then(|v| v["outcome"].as_str().map(str::to_string))
                .unwrap_or_default();
            if let crate::ingest::FileOutcome::Rejected { reason } = &r.outcome {
                s.rejected.push(format!("{}: {reason}", r.path));
            }
            s.last = Some(format!("{} ({outcome})", r.doc));
        });
    }
}
