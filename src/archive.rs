//! The archive: the store and the search index, kept consistent.
//!
//! Its location (global option `--data`, env `ANNALS_DATA`, default `./annals-data`) is a
//! folder, holding `annals.db` (the SQLite store) and `index/` (the tantivy index), or a
//! `postgresql://` URL: a PostgreSQL database holding both the store
//! ([`crate::store::postgres`]) and the search ([`crate::search::postgres`]).
//!
//! The store is the source of truth. A document is marked indexed only after the index has
//! committed its sentences; [`Archive::reconcile`] re-indexes whatever a crash left
//! unmarked, so the two never disagree for long and never silently.

use crate::search::tantivy_index::TantivyIndex;
use crate::search::{self, SearchHit, SearchIndex, SearchRequest};
use crate::store::{Store, StoredSentence};
use std::path::{Path, PathBuf};

/// Errors opening or keeping an archive.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    #[error("cannot create data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
}

/// Result of an archive operation.
pub type Result<T> = std::result::Result<T, ArchiveError>;

/// What [`Archive::check`] found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    pub documents: usize,
    pub sentences: u64,
    /// Documents an interrupted ingest had left unindexed, indexed by the check.
    pub reindexed: usize,
    /// Empty when the store is consistent and the index agrees with it.
    pub problems: Vec<String>,
}

/// A store and its search index.
pub struct Archive {
    pub dir: PathBuf,
    pub store: Box<dyn Store>,
    pub index: Box<dyn SearchIndex>,
}

impl Archive {
    /// Opens (creating if needed) the archive at `dir`: a folder, or a `postgresql://` URL.
    pub fn open(dir: &Path) -> Result<Archive> {
        if let Some(url) = dir.to_str().filter(|s| crate::pg::is_url(s)) {
            let store = crate::store::open(dir)?;
            let index = crate::search::postgres::PgSearch::open(url).map_err(|e| {
                match e.downcast::<crate::search::SearchError>() {
                    Ok(s) => s,
                    Err(e) => crate::search::SearchError::Index(format!("{e:#}")),
                }
            })?;
            return Ok(Archive {
                dir: dir.to_path_buf(),
                store,
                index: Box::new(index),
            });
        }
        std::fs::create_dir_all(dir).map_err(|source| ArchiveError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        let store = crate::store::open(dir)?;
        let index = TantivyIndex::open(&dir.join("index"))?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            store,
            index: Box::new(index),
        })
    }

    /// Where the archive is, for messages: its folder, or its URL without the password.
    pub fn location(&self) -> String {
        crate::pg::shown(&self.dir)
    }

    /// Indexes every document whose current version the index does not hold yet (after a
    /// crash, or a rebuild). Returns how many documents were (re)indexed.
    ///
    /// Beyond the documents marked unindexed, when the index's sentence count disagrees
    /// with the store's, every document whose count differs is re-indexed too: the index is
    /// derived from the store, and whatever way it drifted (a process killed inside the
    /// index's own commit), the store decides.
    pub fn reconcile(&mut self) -> Result<usize> {
        let mut pending = self.store.unindexed()?;
        if self.index.is_transactional() {
            return self.index_pending(pending);
        }
        let documents = self.store.documents()?;
        let stored: u64 = documents.iter().map(|d| d.sentences).sum();
        if self.index.len()? != stored {
            for d in &documents {
                if d.indexed && self.index.doc_len(&d.id)? != d.sentences {
                    pending.push(d.id.clone());
                }
            }
            // Sentences of documents the store no longer holds.
            if pending.is_empty() {
                return self.rebuild_index();
            }
        }
        self.index_pending(pending)
    }

    /// Indexes the documents `pending` and marks them indexed.
    fn index_pending(&mut self, pending: Vec<String>) -> Result<usize> {
        if pending.is_empty() {
            return Ok(0);
        }
        for id in &pending {
            self.index_document(id)?;
        }
        self.index.commit()?;
        self.store.mark_indexed(&pending)?;
        Ok(pending.len())
    }

    /// This process's share of a batch that other ingest workers may be working on at the
    /// same time: `Some` for a shared archive (PostgreSQL), whose workers claim files with
    /// leases; `None` for the embedded one, which one process writes at a time.
    ///
    /// Errors: the database cannot be reached.
    pub fn claims(
        &self,
        worker: &str,
        lease: std::time::Duration,
    ) -> Result<Option<Box<dyn crate::store::claims::Claims>>> {
        let Some(url) = self.dir.to_str().filter(|s| crate::pg::is_url(s)) else {
            return Ok(None);
        };
        Ok(Some(Box::new(crate::store::pg_claims::PgClaims::start(
            url, worker, lease,
        )?)))
    }

    /// Replaces the index's sentences of document `id` with the store's (not committed).
    pub fn index_document(&mut self, id: &str) -> Result<()> {
        self.index.delete_document(id)?;
        let mut batch: Vec<StoredSentence> = Vec::new();
        self.store.sentences(Some(id), &mut |s| {
            batch.push(s);
            Ok(())
        })?;
        self.index.add_sentences(&batch)?;
        Ok(())
    }

    /// Like [`Archive::reconcile`], but when another process holds the index's writer lock
    /// (an ingest is running), returns `Ok(None)` instead of failing: readers go on with the
    /// index as last committed.
    pub fn try_reconcile(&mut self) -> Result<Option<usize>> {
        match self.reconcile() {
            Ok(n) => Ok(Some(n)),
            Err(ArchiveError::Search(crate::search::SearchError::Locked { .. })) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Drops the index and builds it again from the store.
    pub fn rebuild_index(&mut self) -> Result<usize> {
        self.index.clear()?;
        self.index.commit()?;
        self.store.mark_all_unindexed()?;
        self.reconcile()
    }

    /// Checks the store (its own consistency) and that the search index agrees with it,
    /// indexing first what an interrupted ingest left unindexed.
    pub fn check(&mut self) -> Result<CheckReport> {
        let mut problems = self.store.check()?;
        let reindexed = self.store.unindexed()?.len();
        if reindexed > 0 {
            self.reconcile()?;
        }
        let mut sentences = 0u64;
        self.store.sentences(None, &mut |_| {
            sentences += 1;
            Ok(())
        })?;
        let indexed = self.index.len()?;
        if sentences != indexed {
            problems.push(format!(
                "the index holds {indexed} sentences, the store {sentences} (run `annals reindex`)"
            ));
        }
        Ok(CheckReport {
            documents: self.store.documents()?.len(),
            sentences,
            reindexed,
            problems,
        })
    }

    /// Searches sentences.
    pub fn search(&self, req: &SearchRequest) -> Result<Vec<SearchHit>> {
        Ok(search::search(
            self.store.as_ref(),
            self.index.as_ref(),
            req,
        )?)
    }
}
