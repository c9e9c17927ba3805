//! Batch ingest: files and folders into the archive, one transaction per document.
//!
//! Files are found (recursively, symlink loops detected, hidden files reported as skipped),
//! hashed, then read and analysed by worker threads; one writer stores each document as soon
//! as its analysis is done, so one slow file never holds back the rest of the batch. Each
//! document's analysis has a budget of time and memory ([`crate::budget`]); a file that
//! exceeds either is rejected with the reason, the batch going on. A file that cannot be read is *rejected* with a reason (and
//! recorded in the store); the rest of the batch goes on. Re-ingesting an unchanged file is
//! a no-op; a changed file replaces its old version atomically; the same content under a
//! second name is stored once and the second name recorded as an alias (the first name in
//! input order is the document, whatever order the analyses finish in).
//!
//! Document ids are the paths relative to the folder given, component by component: a
//! backslash is part of a file name, not a separator, and a name that is not UTF-8 keeps its
//! bytes as `%XX` escapes, so two files never share an id. An id that two roots of one run
//! would share is qualified with the full path, and numbered if even that is taken.
//!
//! While another process writes the search index, an ingest waits its turn (it does not
//! fail), and it gives the index back after each commit.
//!
//! On a shared archive (PostgreSQL) several ingests may run at once, on one machine or
//! many: each is a *worker* that offers the files it must analyse to a queue in the
//! database and claims them one at a time ([`crate::store::claims`]), so each file is
//! analysed by one worker; a killed worker's files are taken over by the others, or by the
//! next run. Every worker waits until every file of its batch is finished, by itself or by
//! another, and its summary says which worker did what.

use crate::archive::{Archive, ArchiveError};
use crate::document::{Document, ReadOptions, sha256_hex};
use crate::extract::Pipeline;
use crate::store::{PutOutcome, StoredSentence};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Default largest file accepted: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Default time budget for analysing one document.
pub const DEFAULT_MAX_SECONDS_PER_FILE: f64 = 600.0;

/// Default memory budget for analysing one document: 512 MiB. Analysis holds about 20 to 30
/// bytes per byte of dense text (the facts and their evidence; about 50 in a table), so this
/// admits text files of about 20 MB (`annals bench --hostile`); a file whose mere reading
/// needs more is refused before its copies are made.
pub const DEFAULT_MAX_MEMORY_PER_FILE: usize = 512 << 20;

/// How long an ingest waits for another process to give the search index back.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(3600);

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files larger than this are rejected.
    pub max_bytes: u64,
    /// Read options (forced encoding, format, language).
    pub read: ReadOptions,
    /// Worker threads for reading and analysis (0: one per core).
    pub threads: usize,
    /// Commit the search index after this many bytes of source (and at the end).
    pub commit_every_bytes: u64,
    /// Time budget for analysing one document (None: unlimited).
    pub max_seconds_per_file: Option<Duration>,
    /// Memory budget for analysing one document, in bytes (None: unlimited). Counted only
    /// where the process's allocator is [`crate::budget::Counting`] (the `annals` binary).
    pub max_memory_per_file: Option<usize>,
    /// How long to wait for another process that writes the index.
    pub lock_wait: Duration,
    /// This worker's name on a shared archive (None: host name and process id).
    pub worker: Option<String>,
    /// How long a claim on a shared archive lasts unrenewed (a hung worker's files are
    /// taken over after it).
    pub lease: Duration,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            read: ReadOptions::default(),
            threads: 0,
            commit_every_bytes: 64 * 1024 * 1024,
            max_seconds_per_file: Some(Duration::from_secs_f64(DEFAULT_MAX_SECONDS_PER_FILE)),
            max_memory_per_file: Some(DEFAULT_MAX_MEMORY_PER_FILE),
            lock_wait: DEFAULT_LOCK_WAIT,
            worker: None,
            lease: crate::store::claims::DEFAULT_LEASE,
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum FileOutcome {
    Added,
    Replaced,
    Unchanged,
    /// Same content as an already stored document; recorded as its alias.
    Duplicate {
        of: String,
    },
    Rejected {
        reason: String,
    },
    /// Not read, by rule (a hidden file or folder).
    Skipped {
        reason: String,
    },
    /// Not stored because the store failed during the batch (a full disk, say): nothing is
    /// wrong with the file; run the ingest again once the cause is fixed.
    #[serde(rename = "not_stored")]
    NotStored {
        reason: String,
    },
    /// Another ingest worker on the same archive finished this file during this run;
    /// `result` is what it did (`added`, `replaced`, `unchanged`, `duplicate`, `rejected`).
    #[serde(rename = "other_worker")]
    OtherWorker {
        worker: String,
        result: String,
    },
}

impl FileOutcome {
    /// The outcome's name, as the JSON summary's `outcome` gives it.
    pub fn code(&self) -> &'static str {
        match self {
            FileOutcome::Added => "added",
            FileOutcome::Replaced => "replaced",
            FileOutcome::Unchanged => "unchanged",
            FileOutcome::Duplicate { .. } => "duplicate",
            FileOutcome::Rejected { .. } => "rejected",
            FileOutcome::Skipped { .. } => "skipped",
            FileOutcome::NotStored { .. } => "not_stored",
            FileOutcome::OtherWorker { .. } => "other_worker",
        }
    }
}

/// One file's report line.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Document id (path relative to the folder given).
    pub doc: String,
    /// Path on disk.
    pub path: String,
    #[serde(flatten)]
    pub outcome: FileOutcome,
    pub bytes: u64,
    /// The legacy encoding converted from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converted_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_confidence: Option<f32>,
    /// A PDF's or a scan's pages, and how its text was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<PagesRead>,
    /// The most memory the file's reading and analysis held at once, in bytes (where the
    /// process counts it: the `annals` binary does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_memory: Option<u64>,
}

/// How the pages of a PDF or a scan were read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PagesRead {
    pub pages: usize,
    /// Pages read by OCR.
    pub ocr: usize,
    /// Pages whose text could not be read, each with why ("page 3: no text layer; no OCR:
    /// …").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

/// The summary of a batch.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub duplicates: usize,
    pub rejected: usize,
    /// Files not read by rule (hidden files and folders), each listed in `files`.
    pub skipped: usize,
    /// Files of this batch that other workers finished during this run (a shared archive).
    pub other_workers: usize,
    /// Bytes of the files read.
    pub bytes: u64,
    pub seconds: f64,
    /// Documents re-indexed because an earlier run stopped before indexing them.
    pub recovered: usize,
    /// Where the time went.
    pub timings: Timings,
    /// On a shared archive: this worker's name and what it shared with the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerShare>,
    pub files: Vec<FileReport>,
    /// Why the batch stopped early (the store failed); the files it did not store are
    /// listed as `not_stored`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A batch that stopped because the store or the index failed: what was done before, and
/// why it stopped. Documents written before the failure are stored and consistent.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct IngestFailed {
    /// What the batch did before it stopped, with `error` set.
    pub summary: Box<IngestSummary>,
    #[source]
    pub error: ArchiveError,
}

/// What one ingest worker shared with the others on a shared archive.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WorkerShare {
    /// This worker's name.
    pub name: String,
    /// How many files of this batch each other worker finished during this run.
    pub others: std::collections::BTreeMap<String, usize>,
    /// Files this worker took over from a worker that was lost (killed, or silent past its
    /// lease), with that worker's name.
    pub taken_over: Vec<TakenOver>,
    /// Files this worker stored after its claim had run out and another worker had taken
    /// them over (the document is stored once all the same: a later write replaces it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lease_lost: Vec<String>,
}

/// A file taken over from a lost worker.
#[derive(Debug, Clone, Serialize)]
pub struct TakenOver {
    pub doc: String,
    pub from: String,
}

/// Seconds spent per stage. `read_analyse` is summed over worker threads (CPU time); the
/// others run on the writer thread.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub read_analyse: f64,
    pub extract: f64,
    pub store: f64,
    pub index: f64,
    pub commit: f64,
}

/// A file found by the walk.
#[derive(Debug, Clone)]
struct Job {
    id: String,
    path: PathBuf,
}

/// A file found, a reason it could not be walked, or one skipped by rule.
enum Found {
    File(Job),
    Bad {
        id: String,
        path: PathBuf,
        reason: String,
    },
    Skipped {
        id: String,
        path: PathBuf,
        reason: String,
    },
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// One path component as id text: as written when it is UTF-8, else with each byte that is
/// not part of a UTF-8 character written `%XX`, so that distinct names stay distinct.
pub fn component_id(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The id of `path` below `root`: its components joined with `/`.
fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(component_id(n)),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        full_id(path)
    } else {
        parts.join("/")
    }
}

/// The full path as id text (for ids two roots would share).
fn full_id(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        match c {
            std::path::Component::RootDir => out.push('/'),
            std::path::Component::Normal(n) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&component_id(n));
            }
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str("..");
            }
            std::path::Component::Prefix(p) => out.push_str(&component_id(p.as_os_str())),
        }
    }
    out
}

/// Walks `root` (a file or a folder), depth first in name order.
fn walk(root: &Path, out: &mut Vec<Found>) {
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => {
            out.push(Found::Bad {
                id: full_id(root),
                path: root.to_path_buf(),
                reason: io_reason(&e),
            });
            return;
        }
    };
    if meta.is_file() {
        let id = root
            .file_name()
            .map(component_id)
            .unwrap_or_else(|| full_id(root));
        out.push(Found::File(Job {
            id,
            path: root.to_path_buf(),
        }));
        return;
    }
    let mut ancestors = Vec::new();
    if let Ok(c) = root.canonicalize() {
        ancestors.push(c);
    }
    walk_dir(root, root, &mut ancestors, out);
}

fn walk_dir(root: &Path, dir: &Path, ancestors: &mut Vec<PathBuf>, out: &mut Vec<Found>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<_> = rd.filter_map(|e| e.ok()).collect();
            v.sort_by_key(|e| e.file_name());
            v
        }
        Err(e) => {
            out.push(Found::Bad {
                id: relative_id(root, dir),
                path: dir.to_path_buf(),
                reason: format!("cannot read folder: {}", io_reason(&e)),
            });
            return;
        }
    };
    for e in entries {
        let path = e.path();
        let id = relative_id(root, &path);
        if is_hidden(&e.file_name()) {
            let what = if e.file_type().is_ok_and(|t| t.is_dir()) {
                "hidden folder (names starting with '.' are not read; give the folder itself to read it)"
            } else {
                "hidden file (names starting with '.' are not read; give the file itself to read it)"
            };
            out.push(Found::Skipped {
                id,
                path,
                reason: what.into(),
            });
            continue;
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(err) => {
                out.push(Found::Bad {
                    id,
                    path,
                    reason: io_reason(&err),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let canon = path.canonicalize().ok();
            if let Some(c) = &canon {
                if ancestors.contains(c) {
                    out.push(Found::Bad {
                        id,
                        path: path.clone(),
                        reason: format!("symlink loop: leads back to {}", c.display()),
                    });
                    continue;
                }
                ancestors.push(c.clone());
            }
            walk_dir(root, &path, ancestors, out);
            if canon.is_some() {
                ancestors.pop();
            }
        } else if meta.is_file() {
            out.push(Found::File(Job { id, path }));
        } else {
            out.push(Found::Bad {
                id,
                path,
                reason: "not a regular file (device, socket or pipe)".into(),
            });
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(40) => "symlink loop (too many levels of symbolic links)".into(),
        _ => match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            std::io::ErrorKind::NotFound => "no such file or folder".into(),
            _ => e.to_string(),
        },
    }
}

/// What one document's analysis took.
struct Analysis {
    /// Seconds the extractors took.
    secs: f64,
    /// The most memory the analysis held at once, in bytes (0 where not counted).
    peak: usize,
}

/// A file read and analysed by a worker.
enum Analysed {
    Doc(Box<Document>, Vec<crate::extract::Fact>, Analysis),
    Unchanged,
    Failed(String),
}

struct Work {
    /// Position in the input order.
    index: usize,
    job: Job,
    bytes: u64,
    result: Analysed,
    seconds: f64,
}

fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let len = f.metadata().map_err(|e| io_reason(&e))?.len();
    if len > max {
        return Err(too_large(len, max));
    }
    let mut buf = Vec::with_capacity(len as usize);
    // Read at most max + 1 bytes: a file that grows while read is still caught.
    f.take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| io_reason(&e))?;
    if buf.len() as u64 > max {
        return Err(format!("file too large: over the limit of {max} bytes"));
    }
    Ok(buf)
}

fn too_large(len: u64, max: u64) -> String {
    format!(
        "file too large: {len} bytes, over the limit of {max} bytes (raise it with --max-bytes)"
    )
}

/// The SHA-256 (hex) and length of a file, read in pieces (the file is not held in memory).
fn hash_file(path: &Path, max: u64) -> Result<(String, u64), String> {
    use sha2::Digest;
    let f = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let len = f.metadata().map_err(|e| io_reason(&e))?.len();
    if len > max {
        return Err(too_large(len, max));
    }
    let mut r = f.take(max + 1);
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = r.read(&mut buf).map_err(|e| io_reason(&e))?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    if n > max {
        return Err(format!("file too large: over the limit of {max} bytes"));
    }
    Ok((h.finalize().iter().map(|b| format!("{b:02x}")).collect(), n))
}

fn analyse(
    job: &Job,
    opts: &IngestOptions,
    pipeline: &Pipeline,
    known: &HashMap<String, String>,
) -> (u64, Analysed) {
    // Analysis must never take the batch down: a panic becomes a rejection, and so does a
    // document that exceeds its budget of time or memory. The file's bytes are read within
    // the budget, so that they count in it.
    let limits = crate::budget::Limits {
        time: opts.max_seconds_per_file,
        memory: opts.max_memory_per_file,
    };
    let mut n = 0;
    // An unchanged file is unchanged whatever reading it cost.
    let mut unchanged = false;
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::budget::within_measured(limits, || {
            let bytes = read_file(&job.path, opts.max_bytes).map_err(Refused::Read)?;
            n = bytes.len() as u64;
            if known.get(&job.id) == Some(&sha256_hex(&bytes)) {
                unchanged = true;
                return Err(Refused::Unchanged);
            }
            let doc = Document::read(&job.id, bytes, opts.read).map_err(Refused::Doc)?;
            let t = std::time::Instant::now();
            let facts = pipeline.run(&doc);
            Ok((doc, facts, t.elapsed().as_secs_f64()))
        })
    }));
    let result = match r {
        _ if unchanged => Analysed::Unchanged,
        Ok((Ok(Ok((doc, facts, secs))), peak)) => {
            Analysed::Doc(Box::new(doc), facts, Analysis { secs, peak })
        }
        Ok((Ok(Err(Refused::Unchanged)), _)) => Analysed::Unchanged,
        Ok((Ok(Err(Refused::Read(reason))), _)) => Analysed::Failed(reason),
        Ok((Ok(Err(Refused::Doc(e))), _)) => Analysed::Failed(e.to_string()),
        Ok((Err(exceeded), _)) => Analysed::Failed(exceeded.to_string()),
        Err(_) => Analysed::Failed("internal error while analysing (please report)".into()),
    };
    (n, result)
}

/// Why an analysis gave no document.
enum Refused {
    /// The file could not be read (the reason).
    Read(String),
    /// It is unchanged since it was stored.
    Unchanged,
    Doc(crate::document::ReadError),
}

/// Progress callbacks, so the library stays free of terminal code.
pub trait Progress: Sync {
    /// Total bytes to read, once known.
    fn start(&self, _files: usize, _bytes: u64) {}
    /// One file done (in the order files finish, not the input order).
    fn file_done(&self, _report: &FileReport) {}
    /// Another process is writing the search index; this ingest waits for it.
    fn waiting(&self, _reason: &str) {}
}

/// No progress display.
pub struct Silent;
impl Progress for Silent {}

/// Takes the search index's writer, waiting while another process holds it.
fn acquire_writer(
    archive: &mut Archive,
    opts: &IngestOptions,
    progress: &dyn Progress,
) -> Result<(), ArchiveError> {
    let t0 = Instant::now();
    let mut told = false;
    loop {
        match archive.index.acquire_writer() {
            Err(crate::search::SearchError::Locked { .. }) if t0.elapsed() < opts.lock_wait => {
                if !told {
                    progress.waiting("another annals process is writing the search index; waiting for it to finish");
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            r => return Ok(r?),
        }
    }
}

/// What the hashing pass decided for a file.
enum Plan {
    /// Read and analyse it.
    Analyse,
    /// Unchanged since it was stored.
    Unchanged,
    /// Same content as this stored document.
    DuplicateOfStored(String),
    /// Same content as this earlier file of the batch.
    DuplicateInBatch(String),
    Failed(String),
}

/// Ingests `paths` into `archive`. When the store or the index fails midway, the error
/// carries the summary of what was done, with the files not stored listed as such.
pub fn ingest(
    archive: &mut Archive,
    paths: &[PathBuf],
    opts: &IngestOptions,
    pipeline: &Pipeline,
    progress: &dyn Progress,
) -> Result<IngestSummary, IngestFailed> {
    let t0 = Instant::now();
    let mut summary = IngestSummary::default();
    let mut reports: Vec<(usize, FileReport)> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    let r = batch(
        archive,
        paths,
        opts,
        pipeline,
        progress,
        &mut summary,
        &mut jobs,
        &mut reports,
    );
    if let Err(error) = &r {
        let reason = format!("not stored: the batch stopped when the store failed ({error})");
        let done: HashSet<usize> = reports.iter().map(|(i, _)| *i).collect();
        for (i, j) in jobs.iter().enumerate().filter(|(i, _)| !done.contains(i)) {
            reports.push((
                i,
                FileReport {
                    outcome: FileOutcome::NotStored {
                        reason: reason.clone(),
                    },
                    ..new_report(j, 0)
                },
            ));
        }
        summary.error = Some(error.to_string());
    }
    // The summary lists files in input order, whatever order they finished in.
    reports.sort_by_key(|(i, _)| *i);
    summary.files.extend(reports.into_iter().map(|(_, r)| r));
    summary.seconds = t0.elapsed().as_secs_f64();
    match r {
        Ok(()) => Ok(summary),
        Err(error) => Err(IngestFailed {
            summary: Box::new(summary),
            error,
        }),
    }
}

/// The batch: walk, hash, analyse, write. `jobs` receives the files found (in input order)
/// and `reports` each file's report with its index there, as they are made.
#[allow(clippy::too_many_arguments)]
fn batch(
    archive: &mut Archive,
    paths: &[PathBuf],
    opts: &IngestOptions,
    pipeline: &Pipeline,
    progress: &dyn Progress,
    summary: &mut IngestSummary,
    jobs: &mut Vec<Job>,
    reports: &mut Vec<(usize, FileReport)>,
) -> Result<(), ArchiveError> {
    acquire_writer(archive, opts, progress)?;
    summary.recovered = archive.reconcile()?;
    let worker = opts
        .worker
        .clone()
        .unwrap_or_else(crate::store::claims::default_worker_name);
    let claims = archive.claims(&worker, opts.lease)?;

    // Find the files; ids stay unique across roots (qualified by the full path, then
    // numbered).
    let mut found = Vec::new();
    for p in paths {
        walk(p, &mut found);
    }
    let mut seen: HashSet<String> = HashSet::new();
    for f in found {
        match f {
            Found::File(mut j) => {
                if seen.contains(&j.id) {
                    j.id = full_id(&j.path);
                }
                let base = j.id.clone();
                let mut n = 2;
                while seen.contains(&j.id) {
                    j.id = format!("{base}~{n}");
                    n += 1;
                }
                seen.insert(j.id.clone());
                jobs.push(j);
            }
            Found::Bad { id, path, reason } => {
                // A path given on the command line that does not exist is a typo, not a
                // source: report it, but do not keep it in the store.
                if !paths.contains(&path) || path.symlink_metadata().is_ok() {
                    archive.store.record_rejection(&id, &reason)?;
                }
                summary.rejected += 1;
                summary
                    .files
                    .push(FileReport::new(id, &path, FileOutcome::Rejected { reason }));
            }
            Found::Skipped { id, path, reason } => {
                summary.skipped += 1;
                let report = FileReport::new(id, &path, FileOutcome::Skipped { reason });
                progress.file_done(&report);
                summary.files.push(report);
            }
        }
    }
    let total: u64 = jobs
        .iter()
        .map(|j| std::fs::metadata(&j.path).map(|m| m.len()).unwrap_or(0))
        .sum();
    progress.start(jobs.len(), total);

    let mut known: HashMap<String, String> = HashMap::new();
    let mut by_hash: HashMap<String, String> = HashMap::new();
    for d in archive.store.documents()? {
        by_hash
            .entry(d.sha256.clone())
            .or_insert_with(|| d.id.clone());
        known.insert(d.id, d.sha256);
    }

    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        opts.threads
    }
    .max(1);

    // Pass 1: hash every file (in parallel, in pieces), and decide in input order what is
    // unchanged, what repeats a stored document or an earlier file of the batch, and what
    // must be analysed.
    let hashes = parallel_map(jobs, threads, |j| hash_file(&j.path, opts.max_bytes));
    // A stored document whose file changed in this batch is no longer what its old hash
    // says: nothing may become another name of it by that hash.
    let changing: HashSet<&str> = jobs
        .iter()
        .zip(&hashes)
        .filter_map(|(j, h)| {
            let old = known.get(&j.id)?;
            (h.as_ref().map(|(sha, _)| sha) != Ok(old)).then_some(j.id.as_str())
        })
        .collect();
    by_hash.retain(|_, id| !changing.contains(id.as_str()));
    let mut first_of: HashMap<String, String> = HashMap::new();
    let mut hashes_of: HashMap<usize, String> = HashMap::new();
    let plans: Vec<(Plan, u64)> = jobs
        .iter()
        .zip(hashes)
        .enumerate()
        .map(|(i, (j, h))| match h {
            Err(reason) => (Plan::Failed(reason), 0),
            Ok((sha, n)) => {
                hashes_of.insert(i, sha.clone());
                let plan = if known.get(&j.id) == Some(&sha) {
                    Plan::Unchanged
                } else if let Some(other) = by_hash.get(&sha).filter(|o| **o != j.id) {
                    Plan::DuplicateOfStored(other.clone())
                } else if let Some(first) = first_of.get(&sha) {
                    Plan::DuplicateInBatch(first.clone())
                } else {
                    Plan::Analyse
                };
                first_of.entry(sha).or_insert_with(|| j.id.clone());
                (plan, n)
            }
        })
        .collect();

    let mut to_analyse: Vec<(usize, Job)> = Vec::new();
    let mut later: Vec<(usize, Job, String, u64, String)> = Vec::new();
    let mut offered: Vec<(String, String)> = Vec::new();
    for (i, (job, (plan, n))) in jobs.iter().cloned().zip(plans).enumerate() {
        match plan {
            Plan::Analyse => {
                if let Some(sha) = hashes_of.get(&i) {
                    offered.push((job.id.clone(), sha.clone()));
                }
                to_analyse.push((i, job))
            }
            Plan::DuplicateInBatch(first) => {
                let sha = hashes_of.remove(&i).unwrap_or_default();
                later.push((i, job, first, n, sha))
            }
            Plan::Unchanged | Plan::DuplicateOfStored(_) | Plan::Failed(_) => {
                let report = write_planned(archive, &job, plan, n, summary)?;
                progress.file_done(&report);
                reports.push((i, report));
            }
        }
    }

    // Pass 2: analyse on worker threads; store each document as soon as it is done. On a
    // shared archive the files to analyse are offered to the other workers' queue and
    // claimed one at a time.
    let mut share = claims.as_ref().map(|c| WorkerShare {
        name: c.worker().to_string(),
        ..Default::default()
    });
    let claimed_ids: Vec<String> = to_analyse.iter().map(|(_, j)| j.id.clone()).collect();
    let by_id: HashMap<String, (usize, Job)> = to_analyse
        .iter()
        .map(|(i, j)| (j.id.clone(), (*i, j.clone())))
        .collect();
    if let Some(c) = &claims
        && !offered.is_empty()
    {
        c.offer(&offered)?;
    }
    if !to_analyse.is_empty() {
        pipeline.warm_up();
    }
    let queue = Mutex::new(to_analyse.into_iter());
    let stopping = std::sync::atomic::AtomicBool::new(false);
    let claim_error: Mutex<Option<crate::store::StoreError>> = Mutex::new(None);
    let taken_over: Mutex<Vec<TakenOver>> = Mutex::new(Vec::new());
    // The next file for an analysis thread, and whether the store already holds it.
    let next_job = || -> Option<(usize, Job, bool)> {
        let Some(c) = &claims else {
            let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
            return next.map(|(i, j)| (i, j, false));
        };
        use crate::store::claims::Next;
        while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
            match c.claim_next(&claimed_ids) {
                Ok(Next::Claimed {
                    doc,
                    taken_from,
                    stored,
                    ..
                }) => {
                    let Some((i, job)) = by_id.get(&doc).cloned() else {
                        continue;
                    };
                    if let Some(from) = taken_from
                        && let Ok(mut t) = taken_over.lock()
                    {
                        t.push(TakenOver { doc, from });
                    }
                    return Some((i, job, stored));
                }
                // Another worker holds what is left: look again shortly (it finishes,
                // or its lease runs out, or its session ends).
                Ok(Next::Wait) => std::thread::sleep(Duration::from_millis(200)),
                Ok(Next::Done) => return None,
                Err(e) => {
                    stopping.store(true, std::sync::atomic::Ordering::Relaxed);
                    if let Ok(mut slot) = claim_error.lock() {
                        slot.get_or_insert(e);
                    }
                    return None;
                }
            }
        }
        None
    };
    let (tx, rx) = mpsc::sync_channel::<Work>(threads * 2);
    let mut result: Result<(), ArchiveError> = Ok(());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let known = &known;
            let next_job = &next_job;
            scope.spawn(move || {
                while let Some((index, job, stored)) = next_job() {
                    let t = Instant::now();
                    let (bytes, result) = if stored {
                        (0, Analysed::Unchanged)
                    } else {
                        analyse(&job, opts, pipeline, known)
                    };
                    let seconds = t.elapsed().as_secs_f64();
                    let work = Work {
                        index,
                        job,
                        bytes,
                        result,
                        seconds,
                    };
                    if tx.send(work).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut since_commit = 0u64;
        let mut uncommitted: Vec<String> = Vec::new();
        for w in rx {
            if result.is_err() {
                continue; // drain the workers after a store failure
            }
            let index = w.index;
            let shared = claims.is_some();
            let r = acquire_writer(archive, opts, progress).and_then(|()| {
                write_one(archive, w, &mut by_hash, summary, &mut uncommitted, shared)
            });
            let r = match (r, &claims) {
                (Ok(report), Some(c)) => match c.finish(&report.doc, report.outcome.code()) {
                    Ok(true) => Ok(report),
                    Ok(false) => {
                        if let Some(s) = &mut share {
                            s.lease_lost.push(report.doc.clone());
                        }
                        Ok(report)
                    }
                    Err(e) => Err(e.into()),
                },
                (r, _) => r,
            };
            match r {
                Ok(report) => {
                    since_commit += report.bytes;
                    progress.file_done(&report);
                    reports.push((index, report));
                }
                Err(e) => {
                    stopping.store(true, std::sync::atomic::Ordering::Relaxed);
                    result = Err(e)
                }
            }
            if result.is_ok() && since_commit >= opts.commit_every_bytes {
                let t = Instant::now();
                result = commit(archive, &mut uncommitted);
                summary.timings.commit += t.elapsed().as_secs_f64();
                since_commit = 0;
            }
        }
        if result.is_ok() {
            let t = Instant::now();
            result = commit(archive, &mut uncommitted);
            summary.timings.commit += t.elapsed().as_secs_f64();
        }
    });
    result?;
    if let Some(e) = claim_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e.into());
    }
    // What the other workers did with this batch's files.
    if let (Some(c), Some(share)) = (&claims, &mut share) {
        share.taken_over = taken_over.into_inner().unwrap_or_else(|e| e.into_inner());
        let ids: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();
        let mine: HashSet<String> = reports
            .iter()
            .filter(|(_, r)| r.outcome != FileOutcome::Unchanged)
            .map(|(_, r)| r.doc.clone())
            .collect();
        let mut by_other: HashMap<String, crate::store::claims::Finished> = c
            .finished(&ids)?
            .into_iter()
            .filter(|f| f.in_this_run && f.worker != share.name && !mine.contains(&f.doc))
            .map(|f| (f.doc.clone(), f))
            .collect();
        let other = |f: &crate::store::claims::Finished| FileOutcome::OtherWorker {
            worker: f.worker.clone(),
            result: f.outcome.clone(),
        };
        // A file found unchanged because another worker stored it a moment before.
        for (_, r) in reports.iter_mut() {
            if let Some(f) = by_other.remove(&r.doc) {
                summary.unchanged -= 1;
                r.outcome = other(&f);
                summary.other_workers += 1;
                *share.others.entry(f.worker).or_default() += 1;
            }
        }
        for (doc, (i, job)) in &by_id {
            if let Some(f) = by_other.remove(doc) {
                let report = FileReport {
                    outcome: other(&f),
                    ..new_report(job, 0)
                };
                progress.file_done(&report);
                reports.push((*i, report));
                summary.other_workers += 1;
                *share.others.entry(f.worker).or_default() += 1;
            }
        }
    }
    summary.worker = share;

    // Files with the same content as an earlier file of the batch: another name of the
    // document that file became (or rejected with it).
    for (i, job, first, n, sha) in later {
        let stored = archive.store.document_hash(&first)?.as_deref() == Some(sha.as_str());
        let plan = if stored {
            Plan::DuplicateOfStored(first)
        } else {
            let why = reports
                .iter()
                .find(|(_, r)| r.doc == first)
                .and_then(|(_, r)| match &r.outcome {
                    FileOutcome::Rejected { reason } => Some(reason.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "it was not stored".into());
            Plan::Failed(format!(
                "same content as {first}, which was rejected: {why}"
            ))
        };
        let report = write_planned(archive, &job, plan, n, summary)?;
        progress.file_done(&report);
        reports.push((i, report));
    }
    Ok(())
}

/// `f` over `items` on `threads` threads; results in the order of `items`.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let out: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()).max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    if let Ok(mut o) = out.lock() {
                        o[i] = Some(r);
                    }
                }
            });
        }
    });
    out.into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}

fn commit(archive: &mut Archive, uncommitted: &mut Vec<String>) -> Result<(), ArchiveError> {
    if !uncommitted.is_empty() {
        archive.index.commit()?;
        archive.store.mark_indexed(uncommitted)?;
        uncommitted.clear();
    }
    // Let another process write between this one's batches.
    archive.index.release_writer();
    Ok(())
}

fn new_report(job: &Job, bytes: u64) -> FileReport {
    FileReport {
        bytes,
        ..FileReport::new(job.id.clone(), &job.path, FileOutcome::Unchanged)
    }
}

impl FileReport {
    fn new(doc: String, path: &Path, outcome: FileOutcome) -> FileReport {
        FileReport {
            doc,
            path: path.display().to_string(),
            outcome,
            bytes: 0,
            peak_memory: None,
            converted_from: None,
            encoding_confidence: None,
            pages: None,
        }
    }
}

/// Records what the hashing pass decided for a file that needs no analysis.
fn write_planned(
    archive: &mut Archive,
    job: &Job,
    plan: Plan,
    bytes: u64,
    summary: &mut IngestSummary,
) -> Result<FileReport, ArchiveError> {
    summary.bytes += bytes;
    let mut report = new_report(job, bytes);
    match plan {
        Plan::Unchanged => {
            archive.store.clear_rejection(&job.id)?;
            summary.unchanged += 1;
        }
        Plan::DuplicateOfStored(other) | Plan::DuplicateInBatch(other) => {
            archive.store.add_alias(&job.id, &other)?;
            archive.store.clear_rejection(&job.id)?;
            summary.duplicates += 1;
            report.outcome = FileOutcome::Duplicate { of: other };
        }
        Plan::Failed(reason) => {
            archive.store.record_rejection(&job.id, &reason)?;
            summary.rejected += 1;
            report.outcome = FileOutcome::Rejected { reason };
        }
        Plan::Analyse => unreachable!("analysed files are written by write_one"),
    }
    Ok(report)
}

/// Stores one analysed file. `shared`: other workers write the archive too, so a content
/// another worker stored since this batch began is looked up in the store.
fn write_one(
    archive: &mut Archive,
    w: Work,
    by_hash: &mut HashMap<String, String>,
    summary: &mut IngestSummary,
    uncommitted: &mut Vec<String>,
    shared: bool,
) -> Result<FileReport, ArchiveError> {
    let Work {
        job,
        bytes,
        result,
        seconds,
        ..
    } = w;
    summary.bytes += bytes;
    summary.timings.read_analyse += seconds;
    let mut report = new_report(&job, bytes);
    match result {
        Analysed::Failed(reason) => {
            archive.store.record_rejection(&job.id, &reason)?;
            summary.rejected += 1;
            report.outcome = FileOutcome::Rejected { reason };
        }
        Analysed::Unchanged => {
            archive.store.clear_rejection(&job.id)?;
            summary.unchanged += 1;
        }
        Analysed::Doc(doc, facts, analysis) => {
            summary.timings.extract += analysis.secs;
            if analysis.peak > 0 {
                report.peak_memory = Some(analysis.peak as u64);
            }
            if doc.source.encoding.is_converted() {
                report.converted_from = Some(doc.source.encoding.name().to_string());
                report.encoding_confidence = Some(doc.source.encoding_confidence);
            }
            if let Some(p) = &doc.source.paged {
                report.pages = Some(PagesRead {
                    pages: p.map.pages.len(),
                    ocr: p.map.ocr_pages(),
                    unread: p
                        .map
                        .pages
                        .iter()
                        .enumerate()
                        .filter(|(_, pg)| !pg.ocr)
                        .filter_map(|(i, pg)| {
                            Some(format!("page {}: {}", i + 1, pg.note.as_ref()?))
                        })
                        .collect(),
                });
            }
            let sha = doc.source.sha256.clone();
            if shared
                && !by_hash.contains_key(&sha)
                && let Some(other) = archive.store.find_by_hash(&sha)?
                && other != job.id
            {
                by_hash.insert(sha.clone(), other);
            }
            match by_hash.get(&sha) {
                Some(other)
                    if *other != job.id
                        && archive.store.document_hash(other)?.as_deref() == Some(sha.as_str()) =>
                {
                    archive.store.add_alias(&job.id, other)?;
                    archive.store.clear_rejection(&job.id)?;
                    summary.duplicates += 1;
                    report.outcome = FileOutcome::Duplicate { of: other.clone() };
                }
                _ => {
                    let t = Instant::now();
                    let (outcome, ids) = archive.store.put_document(&doc, &facts)?;
                    summary.timings.store += t.elapsed().as_secs_f64();
                    let t = Instant::now();
                    let sentences: Vec<StoredSentence> = doc
                        .sentences
                        .iter()
                        .zip(ids)
                        .enumerate()
                        .map(|(seq, (s, id))| StoredSentence {
                            id,
                            doc: job.id.clone(),
                            seq: seq as u64,
                            paragraph: s.paragraph as u64,
                            start: s.src.start as u64,
                            end: s.src.end as u64,
                            lang: s.lang,
                            clean: doc.sentence_text(s).to_string(),
                        })
                        .collect();
                    archive.index.delete_document(&job.id)?;
                    archive.index.add_sentences(&sentences)?;
                    summary.timings.index += t.elapsed().as_secs_f64();
                    uncommitted.push(job.id.clone());
                    by_hash.insert(sha, job.id.clone());
                    match outcome {
                        PutOutcome::Added => {
                            summary.added += 1;
                            report.outcome = FileOutcome::Added;
                        }
                        PutOutcome::Replaced => {
                            summary.replaced += 1;
                            report.outcome = FileOutcome::Replaced;
                        }
                    }
                }
            }
        }
    }
    Ok(report)
}
