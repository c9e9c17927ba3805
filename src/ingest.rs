//! Batch ingest: files and folders into the archive, one transaction per document.
//!
//! Files are found (recursively, symlink loops detected), read and analysed by worker
//! threads, and written by one writer in input order, so results do not depend on timing.
//! A file that cannot be read is *rejected* with a reason (and recorded in the store); the
//! rest of the batch goes on. Re-ingesting an unchanged file is a no-op; a changed file
//! replaces its old version atomically; the same content under a second name is stored once
//! and the second name recorded as an alias.

use crate::archive::{Archive, ArchiveError};
use crate::document::{Document, ReadOptions, sha256_hex};
use crate::extract::Pipeline;
use crate::store::{PutOutcome, StoredSentence};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;

/// Default largest file accepted: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

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
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            read: ReadOptions::default(),
            threads: 0,
            commit_every_bytes: 64 * 1024 * 1024,
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
}

/// The summary of a batch.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub duplicates: usize,
    pub rejected: usize,
    /// Bytes of the files read.
    pub bytes: u64,
    pub seconds: f64,
    /// Documents re-indexed because an earlier run stopped before indexing them.
    pub recovered: usize,
    /// Where the time went.
    pub timings: Timings,
    pub files: Vec<FileReport>,
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

/// A file found, or a reason it could not be walked.
enum Found {
    File(Job),
    Bad {
        id: String,
        path: PathBuf,
        reason: String,
    },
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Walks `root` (a file or a folder), depth first in name order.
fn walk(root: &Path, out: &mut Vec<Found>) {
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => {
            out.push(Found::Bad {
                id: root.display().to_string(),
                path: root.to_path_buf(),
                reason: io_reason(&e),
            });
            return;
        }
    };
    if meta.is_file() {
        let id = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| root.display().to_string());
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
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<_> = rd.filter_map(|e| e.ok()).collect();
            v.sort_by_key(|e| e.file_name());
            v
        }
        Err(e) => {
            out.push(Found::Bad {
                id: rel(dir),
                path: dir.to_path_buf(),
                reason: format!("cannot read folder: {}", io_reason(&e)),
            });
            return;
        }
    };
    for e in entries {
        if is_hidden(&e.file_name()) {
            continue;
        }
        let path = e.path();
        let id = rel(&path);
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

/// A file read and analysed by a worker.
enum Analysed {
    Doc(Box<Document>, Vec<crate::extract::Fact>, f64),
    Unchanged,
    Failed(String),
}

struct Work {
    job: Job,
    bytes: u64,
    result: Analysed,
    seconds: f64,
}

fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let len = f.metadata().map_err(|e| io_reason(&e))?.len();
    if len > max {
        return Err(format!(
            "file too large: {len} bytes, over the limit of {max} bytes (raise it with --max-bytes)"
        ));
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

fn analyse(
    job: &Job,
    opts: &IngestOptions,
    pipeline: &Pipeline,
    known: &HashMap<String, String>,
) -> (u64, Analysed) {
    let bytes = match read_file(&job.path, opts.max_bytes) {
        Ok(b) => b,
        Err(reason) => return (0, Analysed::Failed(reason)),
    };
    let n = bytes.len() as u64;
    let sha = sha256_hex(&bytes);
    if known.get(&job.id) == Some(&sha) {
        return (n, Analysed::Unchanged);
    }
    // Analysis must never take the batch down: a panic becomes a rejection.
    let id = job.id.clone();
    let read = opts.read;
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let doc = Document::read(&id, bytes, read)?;
        let t = std::time::Instant::now();
        let facts = pipeline.run(&doc);
        Ok::<_, crate::document::ReadError>((doc, facts, t.elapsed().as_secs_f64()))
    }));
    match r {
        Ok(Ok((doc, facts, secs))) => (n, Analysed::Doc(Box::new(doc), facts, secs)),
        Ok(Err(e)) => (n, Analysed::Failed(e.to_string())),
        Err(_) => (
            n,
            Analysed::Failed("internal error while analysing (please report)".into()),
        ),
    }
}

/// Progress callbacks, so the library stays free of terminal code.
pub trait Progress: Sync {
    /// Total bytes to read, once known.
    fn start(&self, _files: usize, _bytes: u64) {}
    /// One file done.
    fn file_done(&self, _report: &FileReport) {}
}

/// No progress display.
pub struct Silent;
impl Progress for Silent {}

/// Ingests `paths` into `archive`.
pub fn ingest(
    archive: &mut Archive,
    paths: &[PathBuf],
    opts: &IngestOptions,
    pipeline: &Pipeline,
    progress: &dyn Progress,
) -> Result<IngestSummary, ArchiveError> {
    let t0 = std::time::Instant::now();
    let mut summary = IngestSummary {
        recovered: archive.reconcile()?,
        ..Default::default()
    };

    // Find the files; ids stay unique across roots.
    let mut found = Vec::new();
    for p in paths {
        walk(p, &mut found);
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut jobs = Vec::new();
    for f in found {
        match f {
            Found::File(mut j) => {
                if !seen.insert(j.id.clone()) {
                    // Two roots hold the same relative path: qualify with the full path.
                    j.id = j.path.to_string_lossy().replace('\\', "/");
                    seen.insert(j.id.clone());
                }
                jobs.push(j);
            }
            Found::Bad { id, path, reason } => {
                // A path given on the command line that does not exist is a typo, not a
                // source: report it, but do not keep it in the store.
                if !paths.contains(&path) || path.symlink_metadata().is_ok() {
                    archive.store.record_rejection(&id, &reason)?;
                }
                summary.rejected += 1;
                summary.files.push(FileReport {
                    doc: id,
                    path: path.display().to_string(),
                    outcome: FileOutcome::Rejected { reason },
                    bytes: 0,
                    converted_from: None,
                    encoding_confidence: None,
                });
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
    };
    let queue = Mutex::new(jobs.into_iter().enumerate());
    let (tx, rx) = mpsc::sync_channel::<(usize, Work)>(threads * 2);
    let mut result: Result<(), ArchiveError> = Ok(());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let queue = &queue;
            let known = &known;
            scope.spawn(move || {
                let pipeline = pipeline;
                loop {
                    let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                    let Some((i, job)) = next else { break };
                    let t = std::time::Instant::now();
                    let (bytes, result) = analyse(&job, opts, pipeline, known);
                    let seconds = t.elapsed().as_secs_f64();
                    if tx
                        .send((
                            i,
                            Work {
                                job,
                                bytes,
                                result,
                                seconds,
                            },
                        ))
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Write in input order.
        let mut pending: BTreeMap<usize, Work> = BTreeMap::new();
        let mut next = 0;
        let mut since_commit = 0u64;
        let mut uncommitted: Vec<String> = Vec::new();
        for (i, w) in rx {
            pending.insert(i, w);
            while let Some(w) = pending.remove(&next) {
                next += 1;
                if result.is_err() {
                    continue; // drain the workers after a store failure
                }
                let r = write_one(archive, w, &mut by_hash, &mut summary, &mut uncommitted);
                match r {
                    Ok(report) => {
                        since_commit += report.bytes;
                        progress.file_done(&report);
                        summary.files.push(report);
                    }
                    Err(e) => result = Err(e),
                }
                if result.is_ok() && since_commit >= opts.commit_every_bytes {
                    let t = std::time::Instant::now();
                    result = commit(archive, &mut uncommitted);
                    summary.timings.commit += t.elapsed().as_secs_f64();
                    since_commit = 0;
                }
            }
        }
        if result.is_ok() {
            let t = std::time::Instant::now();
            result = commit(archive, &mut uncommitted);
            summary.timings.commit += t.elapsed().as_secs_f64();
        }
    });
    result?;
    summary.seconds = t0.elapsed().as_secs_f64();
    Ok(summary)
}

fn commit(archive: &mut Archive, uncommitted: &mut Vec<String>) -> Result<(), ArchiveError> {
    if uncommitted.is_empty() {
        return Ok(());
    }
    archive.index.commit()?;
    archive.store.mark_indexed(uncommitted)?;
    uncommitted.clear();
    Ok(())
}

fn write_one(
    archive: &mut Archive,
    w: Work,
    by_hash: &mut HashMap<String, String>,
    summary: &mut IngestSummary,
    uncommitted: &mut Vec<String>,
) -> Result<FileReport, ArchiveError> {
    let Work {
        job,
        bytes,
        result,
        seconds,
    } = w;
    summary.bytes += bytes;
    summary.timings.read_analyse += seconds;
    let mut report = FileReport {
        doc: job.id.clone(),
        path: job.path.display().to_string(),
        outcome: FileOutcome::Unchanged,
        bytes,
        converted_from: None,
        encoding_confidence: None,
    };
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
        Analysed::Doc(doc, facts, extract_secs) => {
            summary.timings.extract += extract_secs;
            if doc.source.encoding.is_converted() {
                report.converted_from = Some(doc.source.encoding.name().to_string());
                report.encoding_confidence = Some(doc.source.encoding_confidence);
            }
            let sha = doc.source.sha256.clone();
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
                    let t = std::time::Instant::now();
                    let (outcome, ids) = archive.store.put_document(&doc, &facts)?;
                    summary.timings.store += t.elapsed().as_secs_f64();
                    let t = std::time::Instant::now();
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
