//! The embedded store: one SQLite database file (`annals.db` in the data folder).
//!
//! Tables (open the file with `sqlite3` or Datasette to browse them):
//! - `documents`: one row per document id, with its hash, encoding, format and counts;
//! - `sources`: the original bytes of each document;
//! - `document_aliases`: other file names found holding the same content;
//! - `paragraphs`, `sentences`: spans of the original bytes, with language and clean text;
//! - `furniture`: lines left out by layout repair (headers, page numbers);
//! - `facts`: every extracted fact, as its export record (JSON), by kind and span;
//! - `rejections`: files that could not be ingested, with the reason;
//! - `curation_log`: the historians' decisions (append-only; not tied to a document row, so
//!   it survives re-ingest).
//!
//! The schema version is SQLite's `user_version`; [`SqliteStore::open`] migrates older
//! stores and refuses newer ones.

use super::rows;
use super::{
    CurationRow, DocumentRows, NewCurationRow, PagesRow, PutOutcome, Rejection, Result,
    SentenceKey, Store, StoreError, StoredDocument, StoredFact, StoredSentence,
};
use crate::document::{Document, Paged};
use crate::extract::Fact;
use crate::record;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 5;

/// Migrations: entry `i` takes a store from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    encoding TEXT NOT NULL,
    encoding_confidence REAL NOT NULL,
    format TEXT NOT NULL,
    lang TEXT NOT NULL,
    title TEXT,
    paragraphs INTEGER NOT NULL,
    sentences INTEGER NOT NULL,
    facts INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE TABLE sources (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    bytes BLOB NOT NULL
);
CREATE TABLE document_aliases (
    alias TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    recorded_at TEXT NOT NULL
);
CREATE TABLE paragraphs (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    block TEXT NOT NULL,
    lang TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    lang TEXT NOT NULL,
    clean TEXT NOT NULL
);
CREATE INDEX sentences_doc ON sentences(doc_id, seq);
CREATE TABLE furniture (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX furniture_doc ON furniture(doc_id);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX facts_kind ON facts(kind, doc_id, start);
CREATE INDEX facts_doc ON facts(doc_id);
CREATE TABLE rejections (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
"#,
    // 2: the curation audit log. No foreign key to `documents`: replacing a document must
    // keep the decisions about it (they are re-anchored, or flagged stale, when read).
    r#"
CREATE TABLE curation_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    field TEXT,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TRIGGER curation_log_no_update BEFORE UPDATE ON curation_log
BEGIN SELECT RAISE(ABORT, 'the curation log is append-only'); END;
CREATE TRIGGER curation_log_no_delete BEFORE DELETE ON curation_log
BEGIN SELECT RAISE(ABORT, 'the curation log is append-only'); END;
"#,
    // 3: a client's request id on a decision, so that a retried request is recorded once.
    r#"
ALTER TABLE curation_log ADD COLUMN request_id TEXT;
CREATE UNIQUE INDEX curation_log_request ON curation_log(request_id) WHERE request_id IS NOT NULL;
"#,
    // 4: facts by span (a decision names its fact by document and span); it serves the
    // facts of one document too.
    r#"
CREATE INDEX facts_span ON facts(doc_id, start, "end");
DROP INDEX facts_doc;
"#,
    // 5: PDFs and scans: the file as found (its pages are rendered from it) and where each
    // word of the text annals read from it stands on its page. `sources` holds that text.
    r#"
CREATE TABLE pages (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    file BLOB NOT NULL,
    map TEXT NOT NULL
);
"#,
];

/// The SQLite store.
pub struct SqliteStore {
    path: std::path::PathBuf,
    /// Idle connections. A call takes one, opening another when none is idle (so a callback
    /// that calls the store again gets a connection of its own), and gives it back; this is
    /// what makes the store `Sync`.
    idle: std::sync::Mutex<Vec<Connection>>,
}

/// A connection taken from the store's idle ones, given back when dropped.
struct Conn<'a> {
    store: &'a SqliteStore,
    conn: Option<Connection>,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("taken until dropped")
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("taken until dropped")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let (Some(c), Ok(mut idle)) = (self.conn.take(), self.store.idle.lock()) {
            idle.push(c);
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Backend(e.to_string())
    }
}

// A flag is an integer; rusqlite reads it as a `bool` by `!= 0`.
rows::impl_row!(rusqlite::Row<'_>, get);

/// Every row `found`, read by `read`.
fn collect<T>(
    mut found: rusqlite::Rows<'_>,
    read: fn(&dyn rows::Row) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while let Some(r) = found.next()? {
        out.push(read(r)?);
    }
    Ok(out)
}

/// Opens a connection with the store's settings.
fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn now() -> String {
    // Seconds since the epoch, formatted as UTC ISO 8601 without a date library.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl SqliteStore {
    /// `docs` with their aliases.
    fn with_aliases(&self, docs: Vec<StoredDocument>) -> Result<Vec<StoredDocument>> {
        docs.into_iter()
            .map(|mut d| {
                d.aliases = self.aliases_of(&d.id)?;
                Ok(d)
            })
            .collect()
    }

    /// Opens (creating if needed) the database at `path`, migrating it to
    /// [`SCHEMA_VERSION`]. Fails with [`StoreError::TooNew`] on a newer store.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let conn = connect(path)?;
        let mut store = SqliteStore {
            path: path.to_path_buf(),
            idle: std::sync::Mutex::new(vec![conn]),
        };
        store.migrate(path)?;
        Ok(store)
    }

    /// A connection for one call.
    fn conn(&self) -> Result<Conn<'_>> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        let conn = match idle {
            Some(c) => c,
            None => connect(&self.path)?,
        };
        Ok(Conn {
            store: self,
            conn: Some(conn),
        })
    }

    fn migrate(&mut self, path: &Path) -> Result<()> {
        let mut c = self.conn()?;
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.display().to_string(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        for (v, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = c.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", v as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        let c = self.conn()?;
        Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Facts selected and ordered by `tail` (SQL after FROM facts).
    fn fact_rows(
        &self,
        tail: &str,
        args: impl rusqlite::Params,
        f: &mut dyn FnMut(StoredFact) -> Result<()>,
    ) -> Result<()> {
        let c = self.conn()?;
        let mut st = c.prepare(&format!(
            "SELECT id, doc_id, kind, start, \"end\", record FROM facts {tail}"
        ))?;
        let mut found = st.query(args)?;
        while let Some(r) = found.next()? {
            f(rows::fact(r)?)?;
        }
        Ok(())
    }

    /// Rows of the curation log, selected and ordered by `tail` (SQL after FROM).
    fn curation_rows(&self, tail: &str, args: impl rusqlite::Params) -> Result<Vec<CurationRow>> {
        let c = self.conn()?;
        let mut st = c.prepare(&format!(
            "SELECT id, at, who, action, target, field, old_value, new_value, reason, request_id \
             FROM curation_log {tail}"
        ))?;
        collect(st.query(args)?, rows::curation)
    }

    fn aliases_of(&self, id: &str) -> Result<Vec<String>> {
        let c = self.conn()?;
        let mut st = c.prepare_cached(
            "SELECT alias FROM document_aliases WHERE doc_id = ?1 ORDER BY alias",
        )?;
        let rows = st.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

const DOC_COLUMNS: &str = "id, sha256, bytes, encoding, encoding_confidence, format, lang, title, \
                           paragraphs, sentences, facts, ingested_at, indexed";

/// Deletes the row of document `id`, if any, with everything derived from it (the delete
/// cascades to sources, aliases, pages, paragraphs, sentences, furniture and facts);
/// returns whether it was there.
fn delete_document_row(tx: &rusqlite::Transaction<'_>, id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM documents WHERE id = ?1", [id])? > 0)
}

impl Store for SqliteStore {
    fn document_hash(&self, id: &str) -> Result<Option<String>> {
        let c = self.conn()?;
        Ok(
            c.query_row("SELECT sha256 FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?,
        )
    }

    fn find_by_hash(&self, sha256: &str) -> Result<Option<String>> {
        let c = self.conn()?;
        Ok(c.query_row(
            "SELECT id FROM documents WHERE sha256 = ?1 ORDER BY id LIMIT 1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?)
    }

    fn put_document(&mut self, doc: &Document, facts: &[Fact]) -> Result<(PutOutcome, Vec<i64>)> {
        let mut c = self.conn()?;
        let id = &doc.source.id;
        // Immediate: the write lock is taken first, so a put from another process waits its
        // turn (the busy timeout) instead of failing with "database is locked" when that
        // process commits between this one's read and its first write.
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let existed = delete_document_row(&tx, id)?;
        tx.execute(
            &format!("INSERT INTO documents ({DOC_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,0)"),
            params![
                id,
                doc.source.sha256,
                doc.source.bytes.len() as i64,
                doc.source.encoding.name(),
                doc.source.encoding_confidence as f64,
                doc.source.format_name(),
                doc.lang.code(),
                doc.title,
                doc.paragraphs.len() as i64,
                doc.sentences.len() as i64,
                facts.len() as i64,
                now(),
            ],
        )?;
        let mut ids = Vec::with_capacity(doc.sentences.len());
        tx.execute(
            "INSERT INTO sources (doc_id, bytes) VALUES (?1, ?2)",
            params![id, doc.source.bytes],
        )?;
        if let Some(p) = &doc.source.paged {
            let map = rows::page_map_text(id, &p.map)?;
            tx.execute(
                "INSERT INTO pages (doc_id, file, map) VALUES (?1, ?2, ?3)",
                params![id, p.file, map],
            )?;
        }
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO paragraphs (doc_id, seq, start, \"end\", block, lang) VALUES (?1,?2,?3,?4,?5,?6)",
            )?;
            for (i, p) in doc.paragraphs.iter().enumerate() {
                st.execute(params![
                    id,
                    i as i64,
                    p.src.start as i64,
                    p.src.end as i64,
                    p.kind.name(),
                    p.lang.code()
                ])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO sentences (doc_id, seq, paragraph, start, \"end\", lang, clean) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            )?;
            for (i, s) in doc.sentences.iter().enumerate() {
                ids.push(st.insert(params![
                    id,
                    i as i64,
                    s.paragraph as i64,
                    s.src.start as i64,
                    s.src.end as i64,
                    s.lang.code(),
                    doc.sentence_text(s)
                ])?);
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO furniture (doc_id, start, \"end\", kind) VALUES (?1,?2,?3,?4)",
            )?;
            for f in &doc.furniture {
                let kind = rows::furniture_kind(f.kind);
                st.execute(params![id, f.src.start as i64, f.src.end as i64, kind])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO facts (doc_id, kind, start, \"end\", record) VALUES (?1,?2,?3,?4,?5)",
            )?;
            for f in facts {
                st.execute(params![
                    id,
                    f.kind(),
                    f.evidence.start as i64,
                    f.evidence.end as i64,
                    record::fact_record(f).to_string()
                ])?;
            }
        }
        tx.execute("DELETE FROM rejections WHERE path = ?1", [id])?;
        tx.commit()?;
        Ok((rows::put_outcome(existed), ids))
    }

    fn add_alias(&mut self, alias: &str, doc_id: &str) -> Result<()> {
        let c = self.conn()?;
        c.execute(
            "INSERT OR REPLACE INTO document_aliases (alias, doc_id, recorded_at) VALUES (?1, ?2, ?3)",
            params![alias, doc_id, now()],
        )?;
        Ok(())
    }

    fn record_rejection(&mut self, path: &str, reason: &str) -> Result<()> {
        let c = self.conn()?;
        c.execute(
            "INSERT OR REPLACE INTO rejections (path, reason, at) VALUES (?1, ?2, ?3)",
            params![path, reason, now()],
        )?;
        Ok(())
    }

    fn clear_rejection(&mut self, path: &str) -> Result<()> {
        self.conn()?
            .execute("DELETE FROM rejections WHERE path = ?1", [path])?;
        Ok(())
    }

    fn rejections(&self) -> Result<Vec<Rejection>> {
        let c = self.conn()?;
        let mut st = c.prepare("SELECT path, reason, at FROM rejections ORDER BY path")?;
        let rows = st.query_map([], |r| {
            Ok(Rejection {
                path: r.get(0)?,
                reason: r.get(1)?,
                at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn documents(&self) -> Result<Vec<StoredDocument>> {
        let c = self.conn()?;
        let mut st = c.prepare(&format!("SELECT {DOC_COLUMNS} FROM documents ORDER BY id"))?;
        let docs = collect(st.query([])?, rows::document)?;
        self.with_aliases(docs)
    }

    fn documents_page(&self, after: Option<&str>, limit: usize) -> Result<Vec<StoredDocument>> {
        let c = self.conn()?;
        let mut st = c.prepare(&format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let docs = collect(st.query(rusqlite::params![after, limit])?, rows::document)?;
        self.with_aliases(docs)
    }

    fn document(&self, id: &str) -> Result<Option<StoredDocument>> {
        let c = self.conn()?;
        let mut st = c.prepare(&format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE id = ?1"
        ))?;
        let d = collect(st.query([id])?, rows::document)?.pop();
        match d {
            Some(mut d) => {
                d.aliases = self.aliases_of(id)?;
                Ok(Some(d))
            }
            None => Ok(None),
        }
    }

    fn source_bytes(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let c = self.conn()?;
        Ok(
            c.query_row("SELECT bytes FROM sources WHERE doc_id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?,
        )
    }

    fn paged(&self, id: &str) -> Result<Option<Paged>> {
        let c = self.conn()?;
        let row: Option<(Vec<u8>, String)> = c
            .query_row("SELECT file, map FROM pages WHERE doc_id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        row.map(|(file, map)| {
            Ok(Paged {
                file,
                map: rows::page_map(id, &map)?,
            })
        })
        .transpose()
    }

    fn page_map(&self, id: &str) -> Result<Option<crate::source::pages::PageMap>> {
        let c = self.conn()?;
        let map: Option<String> = c
            .query_row("SELECT map FROM pages WHERE doc_id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        map.map(|m| rows::page_map(id, &m)).transpose()
    }

    fn sentences(
        &self,
        doc: Option<&str>,
        f: &mut dyn FnMut(StoredSentence) -> Result<()>,
    ) -> Result<()> {
        let c = self.conn()?;
        const COLS: &str = "id, doc_id, seq, paragraph, start, \"end\", lang, clean";
        let mut st;
        let mut found = match doc {
            Some(d) => {
                st = c.prepare(&format!(
                    "SELECT {COLS} FROM sentences WHERE doc_id = ?1 ORDER BY seq"
                ))?;
                st.query([d])?
            }
            None => {
                st = c.prepare(&format!(
                    "SELECT {COLS} FROM sentences ORDER BY doc_id, seq"
                ))?;
                st.query([])?
            }
        };
        while let Some(r) = found.next()? {
            f(rows::sentence(r)?)?;
        }
        Ok(())
    }

    fn sentences_by_key(&self, keys: &[SentenceKey]) -> Result<Vec<StoredSentence>> {
        let c = self.conn()?;
        let mut st = c.prepare_cached(
            "SELECT id, doc_id, seq, paragraph, start, \"end\", lang, clean FROM sentences \
             WHERE doc_id = ?1 AND seq = ?2",
        )?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            if let Some(r) = st.query(params![k.doc, k.seq as i64])?.next()? {
                out.push(rows::sentence(r)?);
            }
        }
        Ok(out)
    }

    fn facts(&self, kind: Option<&str>, f: &mut dyn FnMut(StoredFact) -> Result<()>) -> Result<()> {
        self.fact_rows(
            "WHERE ?1 IS NULL OR kind = ?1 ORDER BY doc_id, start, id",
            [kind],
            f,
        )
    }

    fn facts_of(&self, doc: &str, f: &mut dyn FnMut(StoredFact) -> Result<()>) -> Result<()> {
        self.fact_rows("WHERE doc_id = ?1 ORDER BY start, id", [doc], f)
    }

    fn facts_at(&self, doc: &str, start: u64, end: u64) -> Result<Vec<StoredFact>> {
        let mut out = Vec::new();
        self.fact_rows(
            "WHERE doc_id = ?1 AND start = ?2 AND \"end\" = ?3 ORDER BY id",
            params![doc, start as i64, end as i64],
            &mut |f| {
                out.push(f);
                Ok(())
            },
        )?;
        Ok(out)
    }

    fn unindexed(&self) -> Result<Vec<String>> {
        let c = self.conn()?;
        let mut st = c.prepare("SELECT id FROM documents WHERE indexed = 0 ORDER BY id")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn mark_indexed(&mut self, ids: &[String]) -> Result<()> {
        let mut c = self.conn()?;
        let tx = c.transaction()?;
        {
            let mut st = tx.prepare_cached("UPDATE documents SET indexed = 1 WHERE id = ?1")?;
            for id in ids {
                st.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn mark_all_unindexed(&mut self) -> Result<()> {
        let c = self.conn()?;
        c.execute("UPDATE documents SET indexed = 0", [])?;
        Ok(())
    }

    fn check(&self) -> Result<Vec<String>> {
        let c = self.conn()?;
        let mut problems = Vec::new();
        let mut st = c.prepare(
            "SELECT d.id, d.sentences, d.paragraphs, d.facts, \
               (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id), \
               (SELECT count(*) FROM paragraphs p WHERE p.doc_id = d.id), \
               (SELECT count(*) FROM facts f WHERE f.doc_id = d.id), \
               (SELECT length(bytes) FROM sources x WHERE x.doc_id = d.id), d.bytes \
             FROM documents d",
        )?;
        let mut found = st.query([])?;
        while let Some(r) = found.next()? {
            rows::document_problems(r, &mut problems)?;
        }
        for table in rows::DOCUMENT_TABLES {
            let n: i64 = c.query_row(
                &format!(
                    "SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = t.doc_id)"
                ),
                [],
                |r| r.get(0),
            )?;
            problems.extend(rows::orphans(table, n));
        }
        let fk: Vec<String> = {
            let mut st = c.prepare("PRAGMA integrity_check")?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        if fk != ["ok"] {
            problems.extend(fk.into_iter().map(|m| format!("integrity: {m}")));
        }
        Ok(problems)
    }

    fn fact(&self, id: i64) -> Result<Option<StoredFact>> {
        let mut out = None;
        self.fact_rows("WHERE id = ?1", [id], &mut |f| {
            out = Some(f);
            Ok(())
        })?;
        Ok(out)
    }

    fn append_curation(&mut self, row: &NewCurationRow) -> Result<CurationRow> {
        let c = self.conn()?;
        let at = now();
        let inserted = c.execute(
            "INSERT INTO curation_log (at, who, action, target, field, old_value, new_value, reason, request_id) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            params![
                at,
                row.who,
                row.action,
                row.target.to_string(),
                row.field,
                row.old_value.to_string(),
                row.new_value.to_string(),
                row.reason,
                row.request_id
            ],
        );
        match inserted {
            Ok(_) => {}
            // Another process recorded the same request id first: that row is the answer.
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation
                    && row.request_id.is_some() =>
            {
                let id = row.request_id.as_deref().unwrap_or_default();
                return self.curation_by_request(id)?.ok_or_else(|| {
                    StoreError::Corrupt(format!("request id {id:?} refused but not found"))
                });
            }
            Err(e) => return Err(e.into()),
        }
        Ok(rows::appended(c.last_insert_rowid(), at, row))
    }

    fn curations(&self) -> Result<Vec<CurationRow>> {
        self.curation_rows("ORDER BY id", [])
    }

    fn curation_by_request(&self, request_id: &str) -> Result<Option<CurationRow>> {
        Ok(self
            .curation_rows("WHERE request_id = ?1", [request_id])?
            .pop())
    }

    fn curation_version(&self) -> Result<i64> {
        let c = self.conn()?;
        Ok(
            c.query_row("SELECT COALESCE(MAX(id), 0) FROM curation_log", [], |r| {
                r.get(0)
            })?,
        )
    }

    fn document_rows(&self, id: &str) -> Result<Option<DocumentRows>> {
        let mut c = self.conn()?;
        // One read transaction: every query below sees the same version of the document.
        let tx = c.transaction()?;
        let document = {
            let mut st = tx.prepare(&format!(
                "SELECT {DOC_COLUMNS} FROM documents WHERE id = ?1"
            ))?;
            collect(st.query([id])?, rows::document)?.pop()
        };
        let Some(mut document) = document else {
            return Ok(None);
        };
        fn all<T>(
            tx: &rusqlite::Transaction<'_>,
            id: &str,
            sql: &str,
            read: fn(&dyn rows::Row) -> Result<T>,
        ) -> Result<Vec<T>> {
            let mut st = tx.prepare(sql)?;
            collect(st.query([id])?, read)
        }
        let aliases = all(
            &tx,
            id,
            "SELECT alias, recorded_at FROM document_aliases WHERE doc_id = ?1 ORDER BY alias",
            rows::alias_row,
        )?;
        let paragraphs = all(
            &tx,
            id,
            "SELECT seq, start, \"end\", block, lang FROM paragraphs WHERE doc_id = ?1 ORDER BY seq",
            rows::paragraph_row,
        )?;
        let sentences = all(
            &tx,
            id,
            "SELECT id, seq, paragraph, start, \"end\", lang, clean FROM sentences \
             WHERE doc_id = ?1 ORDER BY seq",
            rows::sentence_row,
        )?;
        let furniture = all(
            &tx,
            id,
            "SELECT start, \"end\", kind FROM furniture WHERE doc_id = ?1 \
             ORDER BY start, \"end\", kind",
            rows::furniture_row,
        )?;
        let facts = all(
            &tx,
            id,
            "SELECT id, kind, start, \"end\", record FROM facts WHERE doc_id = ?1 ORDER BY id",
            rows::fact_row,
        )?;
        let source: Vec<u8> = tx
            .query_row("SELECT bytes FROM sources WHERE doc_id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| rows::no_source(id))?;
        let pages = tx
            .query_row("SELECT file, map FROM pages WHERE doc_id = ?1", [id], |r| {
                Ok(PagesRow {
                    file: r.get(0)?,
                    map: r.get(1)?,
                })
            })
            .optional()?;
        tx.commit()?;
        document.aliases = aliases.iter().map(|a| a.alias.clone()).collect();
        Ok(Some(DocumentRows {
            document,
            source,
            pages,
            paragraphs,
            sentences,
            furniture,
            facts,
            aliases,
        }))
    }

    fn put_rows(&mut self, rows: &DocumentRows) -> Result<PutOutcome> {
        rows.validate()?;
        let d = &rows.document;
        let id = &d.id;
        let mut c = self.conn()?;
        // Immediate, as in `put_document`.
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let existed = delete_document_row(&tx, id)?;
        tx.execute(
            &format!("INSERT INTO documents ({DOC_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,0)"),
            params![
                id,
                d.sha256,
                d.bytes as i64,
                d.encoding,
                d.encoding_confidence,
                d.format,
                d.lang,
                d.title,
                d.paragraphs as i64,
                d.sentences as i64,
                d.facts as i64,
                d.ingested_at,
            ],
        )?;
        tx.execute(
            "INSERT INTO sources (doc_id, bytes) VALUES (?1, ?2)",
            params![id, rows.source],
        )?;
        if let Some(p) = &rows.pages {
            tx.execute(
                "INSERT INTO pages (doc_id, file, map) VALUES (?1, ?2, ?3)",
                params![id, p.file, p.map],
            )?;
        }
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO paragraphs (doc_id, seq, start, \"end\", block, lang) VALUES (?1,?2,?3,?4,?5,?6)",
            )?;
            for p in &rows.paragraphs {
                st.execute(params![
                    id,
                    p.seq as i64,
                    p.start as i64,
                    p.end as i64,
                    p.block,
                    p.lang
                ])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO sentences (id, doc_id, seq, paragraph, start, \"end\", lang, clean) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            )?;
            for s in &rows.sentences {
                st.execute(params![
                    s.id,
                    id,
                    s.seq as i64,
                    s.paragraph as i64,
                    s.start as i64,
                    s.end as i64,
                    s.lang,
                    s.clean
                ])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO furniture (doc_id, start, \"end\", kind) VALUES (?1,?2,?3,?4)",
            )?;
            for f in &rows.furniture {
                st.execute(params![id, f.start as i64, f.end as i64, f.kind])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO facts (id, doc_id, kind, start, \"end\", record) VALUES (?1,?2,?3,?4,?5,?6)",
            )?;
            for f in &rows.facts {
                st.execute(params![
                    f.id,
                    id,
                    f.kind,
                    f.start as i64,
                    f.end as i64,
                    f.record
                ])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT OR REPLACE INTO document_aliases (alias, doc_id, recorded_at) VALUES (?1, ?2, ?3)",
            )?;
            for a in &rows.aliases {
                st.execute(params![a.alias, id, a.recorded_at])?;
            }
        }
        tx.execute("DELETE FROM rejections WHERE path = ?1", [id])?;
        tx.commit()?;
        Ok(rows::put_outcome(existed))
    }

    fn put_rejection(&mut self, r: &Rejection) -> Result<()> {
        self.conn()?.execute(
            "INSERT OR REPLACE INTO rejections (path, reason, at) VALUES (?1, ?2, ?3)",
            params![r.path, r.reason, r.at],
        )?;
        Ok(())
    }

    fn append_curation_as_stored(&mut self, row: &CurationRow) -> Result<CurationRow> {
        if let Some(request) = &row.request_id
            && let Some(there) = self.curation_by_request(request)?
        {
            return Ok(there);
        }
        let mut c = self.conn()?;
        // Immediate: the latest id read is still the latest when the row is written.
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let latest: i64 =
            tx.query_row("SELECT COALESCE(MAX(id), 0) FROM curation_log", [], |r| {
                r.get(0)
            })?;
        if row.id <= latest {
            return Err(rows::out_of_order(row.id, latest));
        }
        tx.execute(
            "INSERT INTO curation_log (id, at, who, action, target, field, old_value, new_value, reason, request_id) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![
                row.id,
                row.at,
                row.who,
                row.action,
                row.target.to_string(),
                row.field,
                row.old_value.to_string(),
                row.new_value.to_string(),
                row.reason,
                row.request_id
            ],
        )?;
        tx.commit()?;
        Ok(row.clone())
    }

    fn identity(&self) -> Result<String> {
        let file = std::fs::canonicalize(&self.path)?;
        Ok(format!("sqlite:{}", file.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::contract;

    /// A store in a temporary folder, removed with it.
    struct TempStore {
        store: SqliteStore,
        _dir: tempfile::TempDir,
    }

    impl std::ops::Deref for TempStore {
        type Target = dyn Store;
        fn deref(&self) -> &(dyn Store + 'static) {
            &self.store
        }
    }

    impl std::ops::DerefMut for TempStore {
        fn deref_mut(&mut self) -> &mut (dyn Store + 'static) {
            &mut self.store
        }
    }

    fn fresh() -> Option<TempStore> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = SqliteStore::open(&dir.path().join("annals.db")).expect("open");
        Some(TempStore { store, _dir: dir })
    }

    contract::contract_tests!(fresh);

    /// Writers in separate stores (processes) queue: `put_document` begins `IMMEDIATE`, so
    /// one that would have read before another committed waits for the write lock instead
    /// of failing with "database is locked".
    #[test]
    fn puts_from_several_stores_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("annals.db");
        drop(SqliteStore::open(&db).unwrap());
        contract::puts_from_several_stores_at_once(&|| {
            Box::new(SqliteStore::open(&db).expect("open")) as Box<dyn Store>
        });
    }

    #[test]
    fn a_database_file_is_one_identity_whatever_path_names_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let a = SqliteStore::open(&dir.path().join("annals.db")).unwrap();
        let b = SqliteStore::open(&dir.path().join("sub/../annals.db")).unwrap();
        let other = SqliteStore::open(&dir.path().join("sub/annals.db")).unwrap();
        assert_eq!(a.identity().unwrap(), b.identity().unwrap());
        assert_ne!(a.identity().unwrap(), other.identity().unwrap());
    }

    #[test]
    fn the_curation_log_refuses_update_and_delete_in_sql() {
        let mut s = fresh().unwrap();
        s.append_curation(&NewCurationRow {
            who: "h".into(),
            action: "confirm".into(),
            target: serde_json::json!({}),
            field: None,
            old_value: serde_json::Value::Null,
            new_value: serde_json::Value::Null,
            reason: "checked".into(),
            request_id: None,
        })
        .unwrap();
        let c = s.store.conn().unwrap();
        for sql in [
            "UPDATE curation_log SET reason = 'x'",
            "DELETE FROM curation_log",
        ] {
            let err = c.execute(sql, []).expect_err(sql);
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(s.curations().unwrap().len(), 1);
    }
}
