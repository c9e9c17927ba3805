//! The PostgreSQL store: one database on a server, shared by every annals process that names
//! it (ingest workers on several machines, a server), for archives that outgrow one machine.
//!
//! Tables (the concepts of [`super::sqlite`], in PostgreSQL types):
//! - `documents`: one row per document id, with its hash, encoding, format, counts, when it
//!   was ingested (`timestamptz`) and whether the search index holds this version
//!   (`indexed`);
//! - `sources`: the original bytes of each document (`bytea`); `pages`: a PDF's or an
//!   image's file (`bytea`) and page map (`json`);
//! - `document_aliases`: other file names found holding the same content;
//! - `paragraphs`, `sentences`, `furniture`: spans of the original bytes, with language and
//!   clean text; a sentence has a store-wide `bigint` identity id and its key (document,
//!   number in the document);
//! - `facts`: every extracted fact, its export record as `json`, by kind and span; `bigint`
//!   identity ids;
//! - `rejections`: files that could not be ingested, with the reason;
//! - `curation_log`: the historians' decisions, append-only, tied to no document row (it
//!   survives re-ingest);
//! - `ingest_queue`: the files ingest workers share, claimed with leases
//!   ([`super::pg_claims`]);
//! - `schema_version`: one row per migration applied.
//!
//! Every table of a document refers to `documents(id)` with `ON DELETE CASCADE`. Ids, paths
//! and kinds are `text COLLATE "C"`, so they sort by their bytes as in SQLite whatever the
//! database's locale (a page of documents is the same page in both backends). JSON is kept
//! as `json`, not `jsonb`: `json` checks the text and keeps it as written, so a record or a
//! decision reads back byte for byte what SQLite gives; `jsonb` would rewrite it (numbers
//! as `numeric`, keys reordered) and refuses `\u0000` in a string, which a historian's
//! value may hold. Nothing queries inside the JSON, so `jsonb`'s operators are not needed.
//!
//! Versions: [`MIGRATIONS`] in order, each applied in its own transaction under a
//! transaction-level advisory lock, so processes that open a new database together migrate
//! it once; a database of a newer version is refused with [`StoreError::TooNew`].
//!
//! Guarantees:
//! - [`Store::put_document`] writes a document and everything derived from it in one
//!   transaction: a reader, or a process killed at any point, sees the old version or the
//!   new one, never a mix. Puts of different documents run side by side; puts of the same
//!   id take turns on its `documents` row (its insert, or its row lock), so the last one to
//!   commit is the one version left.
//! - The curation log is append-only in the database itself: a plpgsql trigger function
//!   refuses every UPDATE and DELETE of a row, and TRUNCATE, whoever issues them. Appends
//!   take turns (a table lock that readers do not wait for), so ids become visible in
//!   increasing order and [`Store::curation_version`] never passes over a decision still to
//!   commit.
//!
//! Every change readers should see is announced with `NOTIFY` on [`crate::pg::CHANGES`] when
//! its transaction commits (a document stored, an alias, a rejection, a curation, documents
//! marked indexed), so servers on the same database refresh at once ([`crate::pg::listen`]).
//!
//! The driver is the synchronous `postgres` crate with an r2d2 pool ([`crate::pg`]): the
//! [`Store`] trait is synchronous, and an async driver would need a runtime inside every
//! call; unlike sqlx, nothing needs a database at compile time, the SQL is plain strings. A
//! call takes a connection from the pool for its duration; a callback that calls the store
//! again takes another one. Queries over the whole store (`facts`, `sentences`) read through
//! a cursor a batch at a time, so memory stays bounded.

use super::rows;
use super::{
    CurationRow, DocumentRows, NewCurationRow, PagesRow, PutOutcome, Rejection, Result,
    SentenceKey, Store, StoreError, StoredDocument, StoredFact, StoredSentence,
};
use crate::document::{Document, Paged};
use crate::extract::Fact;
use crate::record;
use postgres::types::ToSql;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 3;

const _: () = assert!(MIGRATIONS.len() as i64 == SCHEMA_VERSION);

/// Migrations: entry `i` takes a database from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE documents (
    id text COLLATE "C" PRIMARY KEY,
    sha256 text NOT NULL,
    bytes bigint NOT NULL,
    encoding text NOT NULL,
    encoding_confidence double precision NOT NULL,
    format text NOT NULL,
    lang text NOT NULL,
    title text,
    paragraphs bigint NOT NULL,
    sentences bigint NOT NULL,
    facts bigint NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    indexed boolean NOT NULL DEFAULT false
);
CREATE INDEX documents_sha256 ON documents (sha256, id);
CREATE INDEX documents_unindexed ON documents (id) WHERE NOT indexed;
CREATE TABLE sources (
    doc_id text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    bytes bytea NOT NULL
);
CREATE TABLE pages (
    doc_id text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    file bytea NOT NULL,
    map json NOT NULL
);
CREATE TABLE document_aliases (
    alias text COLLATE "C" PRIMARY KEY,
    doc_id text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_aliases_doc ON document_aliases (doc_id, alias);
CREATE TABLE paragraphs (
    doc_id text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    start bigint NOT NULL,
    "end" bigint NOT NULL,
    block text NOT NULL,
    lang text NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
CREATE TABLE sentences (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    paragraph bigint NOT NULL,
    start bigint NOT NULL,
    "end" bigint NOT NULL,
    lang text NOT NULL,
    clean text NOT NULL,
    UNIQUE (doc_id, seq)
);
CREATE TABLE furniture (
    doc_id text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start bigint NOT NULL,
    "end" bigint NOT NULL,
    kind text NOT NULL
);
CREATE INDEX furniture_doc ON furniture (doc_id);
CREATE TABLE facts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind text COLLATE "C" NOT NULL,
    start bigint NOT NULL,
    "end" bigint NOT NULL,
    record json NOT NULL
);
CREATE INDEX facts_kind ON facts (kind, doc_id, start);
CREATE INDEX facts_span ON facts (doc_id, start, "end");
CREATE TABLE rejections (
    path text COLLATE "C" PRIMARY KEY,
    reason text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
"#,
    // 2: the curation audit log. No foreign key to `documents`: replacing a document must
    // keep the decisions about it (they are re-anchored, or flagged stale, when read).
    r#"
CREATE TABLE curation_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    who text NOT NULL,
    action text NOT NULL,
    target json NOT NULL,
    field text,
    old_value json NOT NULL,
    new_value json NOT NULL,
    reason text NOT NULL,
    request_id text
);
CREATE UNIQUE INDEX curation_log_request ON curation_log (request_id) WHERE request_id IS NOT NULL;
CREATE FUNCTION curation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the curation log is append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER curation_log_no_update BEFORE UPDATE ON curation_log
    FOR EACH ROW EXECUTE FUNCTION curation_log_append_only();
CREATE TRIGGER curation_log_no_delete BEFORE DELETE ON curation_log
    FOR EACH ROW EXECUTE FUNCTION curation_log_append_only();
CREATE TRIGGER curation_log_no_truncate BEFORE TRUNCATE ON curation_log
    FOR EACH STATEMENT EXECUTE FUNCTION curation_log_append_only();
"#,
    // 3: the queue ingest workers share ([`super::pg_claims`]): one row per file offered,
    // who holds or finished it, and how it ended.
    r#"
CREATE TABLE ingest_queue (
    doc_id text COLLATE "C" PRIMARY KEY,
    sha256 text NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'claimed', 'done')),
    worker text,
    holder_key integer,
    lease_until timestamptz,
    claims integer NOT NULL DEFAULT 0,
    outcome text,
    queued_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX ingest_queue_open ON ingest_queue (sha256) WHERE state <> 'done';
"#,
];

/// The key of the advisory lock migrations are applied under ("annals" in ASCII).
const MIGRATION_LOCK: i64 = 0x616e_6e61_6c73;

/// Connections a store holds at most.
const POOL_SIZE: u32 = 8;

/// Rows a cursor fetches at a time.
const BATCH: i32 = 512;

/// A timestamp column as the store gives it: UTC, RFC 3339, to the second.
macro_rules! rfc3339 {
    ($col:literal) => {
        concat!(
            "to_char(",
            $col,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        )
    };
}

/// The columns of [`rows::document`], then the document's aliases in order.
const DOC_COLUMNS: &str = concat!(
    "id, sha256, bytes, encoding, encoding_confidence, format, lang, title, paragraphs, \
     sentences, facts, ",
    rfc3339!("ingested_at"),
    ", indexed, \
     ARRAY(SELECT a.alias FROM document_aliases a WHERE a.doc_id = documents.id ORDER BY a.alias)"
);

/// The columns of [`rows::sentence`].
const SENTENCE_COLUMNS: &str =
    "s.id, s.doc_id, s.seq, s.paragraph, s.start, s.\"end\", s.lang, s.clean";

/// The columns of [`rows::fact`].
const FACT_COLUMNS: &str = "id, doc_id, kind, start, \"end\", record::text";

/// The columns of [`rows::curation`].
const CURATION_COLUMNS: &str = concat!(
    "id, ",
    rfc3339!("at"),
    ", who, action, target::text, field, old_value::text, new_value::text, reason, request_id"
);

/// The channel every change readers should see is announced on ([`crate::pg::CHANGES`]).
const CHANGES: &str = crate::pg::CHANGES;

/// Announces `what` on [`CHANGES`] when `tx` commits (a notification of a transaction that
/// rolls back is never sent). The payload names what changed; the listeners read the store
/// again per document, so a payload cut to PostgreSQL's limit loses nothing.
fn notify(tx: &mut postgres::Transaction<'_>, what: &str) -> Result<()> {
    let mut end = what.len().min(7000);
    while !what.is_char_boundary(end) {
        end -= 1;
    }
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANGES, &&what[..end]])?;
    Ok(())
}

/// `sql` (an INSERT, UPDATE or DELETE), announced on the channel in parameter `channel`
/// when it changed a row: one statement, and nothing announced when nothing changed (an
/// unchanged file re-ingested clears no rejection, and wakes no server).
fn changed(sql: &str, channel: &str) -> String {
    let returning = if sql.contains("RETURNING") {
        ""
    } else {
        " RETURNING 1"
    };
    format!(
        "WITH changed AS ({sql}{returning}) SELECT pg_notify({channel}, 'changed') \
         FROM (SELECT count(*) AS n FROM changed) c WHERE c.n > 0"
    )
}

/// The PostgreSQL store. `Send + Sync`: every call takes a connection of its own from the
/// pool.
pub struct PgStore {
    pool: crate::pg::Pool,
    /// The database's URL without its password, for messages.
    location: String,
}

/// A connection taken from the pool, given back when dropped.
type Conn = r2d2::PooledConnection<r2d2_postgres::PostgresConnectionManager<postgres::NoTls>>;

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        let message = match (e.as_db_error(), std::error::Error::source(&e)) {
            (Some(db), _) => match db.detail() {
                Some(detail) => format!("{} ({detail})", db.message()),
                None => db.message().to_string(),
            },
            (None, Some(cause)) => format!("{e}: {cause}"),
            (None, None) => e.to_string(),
        };
        StoreError::Backend(message)
    }
}

rows::impl_row!(postgres::Row, try_get);

/// A document from the row of [`DOC_COLUMNS`], with its aliases.
fn document_row(r: &postgres::Row) -> Result<StoredDocument> {
    let mut d = rows::document(r)?;
    d.aliases = r.try_get(13)?;
    Ok(d)
}

impl PgStore {
    /// Opens the database at `url` (`postgresql://user@host/db`; see [`crate::pg`]) and
    /// migrates it to [`SCHEMA_VERSION`]; processes that open a new database at once
    /// migrate it once.
    ///
    /// Errors: the server cannot be reached or refuses the login; the database was written
    /// by a newer annals ([`StoreError::TooNew`], which the error downcasts to); a
    /// migration fails (nothing of that step is left).
    pub fn open(url: &str) -> anyhow::Result<PgStore> {
        let store = PgStore {
            pool: crate::pg::pool(url, POOL_SIZE)?,
            location: crate::pg::redact(url),
        };
        store.migrate()?;
        Ok(store)
    }

    /// A connection for one call.
    fn conn(&self) -> Result<Conn> {
        self.pool
            .get()
            .map_err(|e| StoreError::Backend(format!("no connection to {}: {e}", self.location)))
    }

    /// Applies the migrations this database lacks, each in its own transaction that first
    /// takes the migration lock, so a process that waited finds the step applied.
    fn migrate(&self) -> Result<()> {
        let mut c = self.conn()?;
        loop {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_version (
                     version bigint PRIMARY KEY,
                     applied_at timestamptz NOT NULL DEFAULT now()
                 )",
            )?;
            let version: i64 = tx
                .query_one("SELECT COALESCE(max(version), 0) FROM schema_version", &[])?
                .try_get(0)?;
            if version > SCHEMA_VERSION {
                return Err(StoreError::TooNew {
                    path: self.location.clone(),
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
            let step = usize::try_from(version)
                .map_err(|_| StoreError::Corrupt(format!("schema version {version}")))?;
            let Some(sql) = MIGRATIONS.get(step) else {
                tx.commit()?;
                return Ok(());
            };
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&(version + 1)],
            )?;
            tx.commit()?;
        }
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .value("SELECT max(version) FROM schema_version", &[])?
            .unwrap_or(0))
    }

    /// Runs one statement.
    fn exec(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<()> {
        self.conn()?.execute(sql, params)?;
        Ok(())
    }

    /// The first column of the first row of `sql`, if any (NULL is `None`).
    fn value<T>(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<T>>
    where
        T: for<'a> postgres::types::FromSql<'a>,
    {
        let row = self.conn()?.query_opt(sql, params)?;
        Ok(row.and_then(|r| r.try_get(0).transpose()).transpose()?)
    }

    /// Calls `f` with every row of `sql`, read through a cursor a batch at a time (in a
    /// read-only transaction, so the rows are one snapshot).
    fn each_row(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        f: &mut dyn FnMut(&postgres::Row) -> Result<()>,
    ) -> Result<()> {
        let mut c = self.conn()?;
        let mut tx = c
            .build_transaction()
            .read_only(true)
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()?;
        let portal = tx.bind(sql, params)?;
        loop {
            let batch = tx.query_portal(&portal, BATCH)?;
            if batch.is_empty() {
                break;
            }
            for r in &batch {
                f(r)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Facts selected and ordered by `tail` (SQL after FROM facts).
    fn fact_rows(
        &self,
        tail: &str,
        params: &[&(dyn ToSql + Sync)],
        f: &mut dyn FnMut(StoredFact) -> Result<()>,
    ) -> Result<()> {
        self.each_row(
            &format!("SELECT {FACT_COLUMNS} FROM facts {tail}"),
            params,
            &mut |r| f(rows::fact(r)?),
        )
    }

    /// Every row of `sql`, read by `read`.
    fn all<T>(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        read: impl Fn(&postgres::Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.conn()?.query(sql, params)?.iter().map(read).collect()
    }

    /// Documents selected and ordered by `tail` (SQL after FROM documents).
    fn document_rows(
        &self,
        tail: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<StoredDocument>> {
        let sql = format!("SELECT {DOC_COLUMNS} FROM documents {tail}");
        self.all(&sql, params, document_row)
    }

    /// Rows of the curation log, selected and ordered by `tail` (SQL after FROM).
    fn curation_rows(
        &self,
        tail: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<CurationRow>> {
        let sql = format!("SELECT {CURATION_COLUMNS} FROM curation_log {tail}");
        self.all(&sql, params, |r| rows::curation(r))
    }
}

/// Writes what is derived from `doc` (its source, pages, paragraphs, sentences, furniture and
/// facts) in `tx`; returns the sentences' ids in document order.
/// Inserts the row of a document, or replaces the row of that id and deletes everything
/// derived from its old version (paragraphs, sentences, facts, sources, pages, aliases);
/// returns whether the id existed. `columns`: id, sha256, bytes, encoding, confidence,
/// format, lang, title, paragraphs, sentences, facts, and `ingested_at` (RFC 3339 text, or
/// NULL for now).
///
/// A new id is inserted; an insert of the same id by another transaction makes this one
/// wait for it, then find the row. The row lock (FOR UPDATE, which an alias being added
/// waits for too) makes replacements of the same id take turns: the next one deletes what
/// this one writes.
fn put_document_row(
    tx: &mut postgres::Transaction<'_>,
    id: &str,
    columns: &[&(dyn ToSql + Sync); 12],
) -> Result<bool> {
    let inserted = tx.execute(
        "INSERT INTO documents (id, sha256, bytes, encoding, encoding_confidence, format, \
                                lang, title, paragraphs, sentences, facts, ingested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 COALESCE($12::text::timestamptz, now())) \
         ON CONFLICT (id) DO NOTHING",
        columns,
    )?;
    if inserted == 1 {
        return Ok(false);
    }
    tx.execute("SELECT 1 FROM documents WHERE id = $1 FOR UPDATE", &[&id])?;
    let updated = tx.execute(
        "UPDATE documents SET sha256 = $2, bytes = $3, encoding = $4, \
             encoding_confidence = $5, format = $6, lang = $7, title = $8, \
             paragraphs = $9, sentences = $10, facts = $11, \
             ingested_at = COALESCE($12::text::timestamptz, now()), indexed = false \
         WHERE id = $1",
        columns,
    )?;
    if updated != 1 {
        return Err(StoreError::Backend(format!(
            "{id}: the document disappeared while it was replaced"
        )));
    }
    for table in rows::DOCUMENT_TABLES
        .iter()
        .chain(std::iter::once(&"document_aliases"))
    {
        tx.execute(&format!("DELETE FROM {table} WHERE doc_id = $1"), &[&id])?;
    }
    Ok(true)
}

fn put_derived(
    tx: &mut postgres::Transaction<'_>,
    doc: &Document,
    facts: &[Fact],
) -> Result<Vec<i64>> {
    let id = doc.source.id.as_str();
    tx.execute(
        "INSERT INTO sources (doc_id, bytes) VALUES ($1, $2)",
        &[&id, &doc.source.bytes.as_slice()],
    )?;
    if let Some(p) = &doc.source.paged {
        let map = rows::page_map_text(id, &p.map)?;
        tx.execute(
            "INSERT INTO pages (doc_id, file, map) VALUES ($1, $2, $3::text::json)",
            &[&id, &p.file.as_slice(), &map],
        )?;
    }
    let int = |v: usize| v as i64;

    let seq: Vec<i64> = (0..doc.paragraphs.len()).map(int).collect();
    let start: Vec<i64> = doc.paragraphs.iter().map(|p| int(p.src.start)).collect();
    let end: Vec<i64> = doc.paragraphs.iter().map(|p| int(p.src.end)).collect();
    let block: Vec<&str> = doc.paragraphs.iter().map(|p| p.kind.name()).collect();
    let lang: Vec<&str> = doc.paragraphs.iter().map(|p| p.lang.code()).collect();
    tx.execute(
        "INSERT INTO paragraphs (doc_id, seq, start, \"end\", block, lang) \
         SELECT $1, t.seq, t.start, t.stop, t.block, t.lang \
         FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) \
              AS t(seq, start, stop, block, lang)",
        &[&id, &seq, &start, &end, &block, &lang],
    )?;

    let seq: Vec<i64> = (0..doc.sentences.len()).map(int).collect();
    let paragraph: Vec<i64> = doc.sentences.iter().map(|s| int(s.paragraph)).collect();
    let start: Vec<i64> = doc.sentences.iter().map(|s| int(s.src.start)).collect();
    let end: Vec<i64> = doc.sentences.iter().map(|s| int(s.src.end)).collect();
    let lang: Vec<&str> = doc.sentences.iter().map(|s| s.lang.code()).collect();
    let clean: Vec<&str> = doc.sentences.iter().map(|s| doc.sentence_text(s)).collect();
    // Rows are inserted in the order selected, so ids increase in document order.
    let mut ids: Vec<(i64, i64)> = tx
        .query(
            "INSERT INTO sentences (doc_id, seq, paragraph, start, \"end\", lang, clean) \
             SELECT $1, t.seq, t.paragraph, t.start, t.stop, t.lang, t.clean \
             FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], \
                         $7::text[]) AS t(seq, paragraph, start, stop, lang, clean) \
             ORDER BY t.seq \
             RETURNING seq, id",
            &[&id, &seq, &paragraph, &start, &end, &lang, &clean],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_>>()?;
    ids.sort_unstable();

    let start: Vec<i64> = doc.furniture.iter().map(|f| int(f.src.start)).collect();
    let end: Vec<i64> = doc.furniture.iter().map(|f| int(f.src.end)).collect();
    let kind: Vec<String> = doc
        .furniture
        .iter()
        .map(|f| rows::furniture_kind(f.kind))
        .collect();
    tx.execute(
        "INSERT INTO furniture (doc_id, start, \"end\", kind) \
         SELECT $1, t.start, t.stop, t.kind \
         FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS t(start, stop, kind)",
        &[&id, &start, &end, &kind],
    )?;

    let kind: Vec<&str> = facts.iter().map(Fact::kind).collect();
    let start: Vec<i64> = facts.iter().map(|f| int(f.evidence.start)).collect();
    let end: Vec<i64> = facts.iter().map(|f| int(f.evidence.end)).collect();
    let record: Vec<String> = facts
        .iter()
        .map(|f| record::fact_record(f).to_string())
        .collect();
    tx.execute(
        "INSERT INTO facts (doc_id, kind, start, \"end\", record) \
         SELECT $1, t.kind, t.start, t.stop, t.record::json \
         FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[]) WITH ORDINALITY \
              AS t(kind, start, stop, record, n) \
         ORDER BY t.n",
        &[&id, &kind, &start, &end, &record],
    )?;
    Ok(ids.into_iter().map(|(_, id)| id).collect())
}

/// Every row of `sql` (whose one parameter is a document id), read by `read`.
fn rows_of<T>(
    tx: &mut postgres::Transaction<'_>,
    sql: &str,
    id: &str,
    read: fn(&dyn rows::Row) -> Result<T>,
) -> Result<Vec<T>> {
    tx.query(sql, &[&id])?.iter().map(|r| read(r)).collect()
}

/// Moves the identity sequence of `table`'s `id` past every id the table holds (and never
/// back), so that ids drawn after rows written with their ids kept follow those.
fn follow_kept_ids(tx: &mut postgres::Transaction<'_>, table: &str) -> Result<()> {
    tx.execute(
        &format!(
            "SELECT setval(q.seq, q.v) FROM ( \
                 SELECT s.seq, GREATEST((SELECT max(id) FROM {table}), \
                                        pg_sequence_last_value(s.seq::regclass)) AS v \
                 FROM (SELECT pg_get_serial_sequence('{table}', 'id') AS seq) s \
             ) q WHERE q.v IS NOT NULL"
        ),
        &[],
    )?;
    Ok(())
}

/// Writes the rows of a document (its source, pages, paragraphs, sentences, furniture, facts
/// and aliases) as they are, ids of sentences and facts kept, in `tx`.
fn put_stored_rows(tx: &mut postgres::Transaction<'_>, rows: &DocumentRows) -> Result<()> {
    let id = rows.document.id.as_str();
    let int = |v: u64| v as i64;
    tx.execute(
        "INSERT INTO sources (doc_id, bytes) VALUES ($1, $2)",
        &[&id, &rows.source.as_slice()],
    )?;
    if let Some(p) = &rows.pages {
        tx.execute(
            "INSERT INTO pages (doc_id, file, map) VALUES ($1, $2, $3::text::json)",
            &[&id, &p.file.as_slice(), &p.map],
        )?;
    }

    let p = &rows.paragraphs;
    let seq: Vec<i64> = p.iter().map(|x| int(x.seq)).collect();
    let start: Vec<i64> = p.iter().map(|x| int(x.start)).collect();
    let end: Vec<i64> = p.iter().map(|x| int(x.end)).collect();
    let block: Vec<&str> = p.iter().map(|x| x.block.as_str()).collect();
    let lang: Vec<&str> = p.iter().map(|x| x.lang.as_str()).collect();
    tx.execute(
        "INSERT INTO paragraphs (doc_id, seq, start, \"end\", block, lang) \
         SELECT $1, t.seq, t.start, t.stop, t.block, t.lang \
         FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) \
              AS t(seq, start, stop, block, lang)",
        &[&id, &seq, &start, &end, &block, &lang],
    )?;

    let s = &rows.sentences;
    let ids: Vec<i64> = s.iter().map(|x| x.id).collect();
    let seq: Vec<i64> = s.iter().map(|x| int(x.seq)).collect();
    let paragraph: Vec<i64> = s.iter().map(|x| int(x.paragraph)).collect();
    let start: Vec<i64> = s.iter().map(|x| int(x.start)).collect();
    let end: Vec<i64> = s.iter().map(|x| int(x.end)).collect();
    let lang: Vec<&str> = s.iter().map(|x| x.lang.as_str()).collect();
    let clean: Vec<&str> = s.iter().map(|x| x.clean.as_str()).collect();
    tx.execute(
        "INSERT INTO sentences (id, doc_id, seq, paragraph, start, \"end\", lang, clean) \
         OVERRIDING SYSTEM VALUE \
         SELECT t.id, $1, t.seq, t.paragraph, t.start, t.stop, t.lang, t.clean \
         FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], \
                     $7::text[], $8::text[]) AS t(id, seq, paragraph, start, stop, lang, clean)",
        &[&id, &ids, &seq, &paragraph, &start, &end, &lang, &clean],
    )?;

    let f = &rows.furniture;
    let start: Vec<i64> = f.iter().map(|x| int(x.start)).collect();
    let end: Vec<i64> = f.iter().map(|x| int(x.end)).collect();
    let kind: Vec<&str> = f.iter().map(|x| x.kind.as_str()).collect();
    tx.execute(
        "INSERT INTO furniture (doc_id, start, \"end\", kind) \
         SELECT $1, t.start, t.stop, t.kind \
         FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS t(start, stop, kind)",
        &[&id, &start, &end, &kind],
    )?;

    let f = &rows.facts;
    let ids: Vec<i64> = f.iter().map(|x| x.id).collect();
    let kind: Vec<&str> = f.iter().map(|x| x.kind.as_str()).collect();
    let start: Vec<i64> = f.iter().map(|x| int(x.start)).collect();
    let end: Vec<i64> = f.iter().map(|x| int(x.end)).collect();
    let record: Vec<&str> = f.iter().map(|x| x.record.as_str()).collect();
    tx.execute(
        "INSERT INTO facts (id, doc_id, kind, start, \"end\", record) \
         OVERRIDING SYSTEM VALUE \
         SELECT t.id, $1, t.kind, t.start, t.stop, t.record::json \
         FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[]) \
              AS t(id, kind, start, stop, record)",
        &[&id, &ids, &kind, &start, &end, &record],
    )?;
    follow_kept_ids(tx, "sentences")?;
    follow_kept_ids(tx, "facts")?;

    let alias: Vec<&str> = rows.aliases.iter().map(|a| a.alias.as_str()).collect();
    let at: Vec<&str> = rows
        .aliases
        .iter()
        .map(|a| a.recorded_at.as_str())
        .collect();
    tx.execute(
        "INSERT INTO document_aliases (alias, doc_id, recorded_at) \
         SELECT t.alias, $1, t.at::timestamptz \
         FROM unnest($2::text[], $3::text[]) AS t(alias, at) \
         ON CONFLICT (alias) DO UPDATE SET doc_id = EXCLUDED.doc_id, \
                                           recorded_at = EXCLUDED.recorded_at",
        &[&id, &alias, &at],
    )?;
    Ok(())
}

impl Store for PgStore {
    fn document_hash(&self, id: &str) -> Result<Option<String>> {
        self.value("SELECT sha256 FROM documents WHERE id = $1", &[&id])
    }

    fn find_by_hash(&self, sha256: &str) -> Result<Option<String>> {
        self.value(
            "SELECT id FROM documents WHERE sha256 = $1 ORDER BY id LIMIT 1",
            &[&sha256],
        )
    }

    fn put_document(&mut self, doc: &Document, facts: &[Fact]) -> Result<(PutOutcome, Vec<i64>)> {
        let id = doc.source.id.as_str();
        let columns: [&(dyn ToSql + Sync); 12] = [
            &id,
            &doc.source.sha256,
            &(doc.source.bytes.len() as i64),
            &doc.source.encoding.name(),
            &(doc.source.encoding_confidence as f64),
            &doc.source.format_name(),
            &doc.lang.code(),
            &doc.title,
            &(doc.paragraphs.len() as i64),
            &(doc.sentences.len() as i64),
            &(facts.len() as i64),
            &None::<&str>,
        ];
        let mut c = self.conn()?;
        let mut tx = c.transaction()?;
        let existed = put_document_row(&mut tx, id, &columns)?;
        let ids = put_derived(&mut tx, doc, facts)?;
        tx.execute("DELETE FROM rejections WHERE path = $1", &[&id])?;
        notify(&mut tx, &format!("document {id}"))?;
        tx.commit()?;
        Ok((rows::put_outcome(existed), ids))
    }

    fn add_alias(&mut self, alias: &str, doc_id: &str) -> Result<()> {
        self.exec(
            &changed(
                "INSERT INTO document_aliases (alias, doc_id) VALUES ($1, $2) \
                 ON CONFLICT (alias) DO UPDATE SET doc_id = EXCLUDED.doc_id, recorded_at = now()",
                "$3",
            ),
            &[&alias, &doc_id, &CHANGES],
        )
    }

    fn record_rejection(&mut self, path: &str, reason: &str) -> Result<()> {
        self.exec(
            &changed(
                "INSERT INTO rejections (path, reason) VALUES ($1, $2) \
                 ON CONFLICT (path) DO UPDATE SET reason = EXCLUDED.reason, at = now()",
                "$3",
            ),
            &[&path, &reason, &CHANGES],
        )
    }

    fn clear_rejection(&mut self, path: &str) -> Result<()> {
        self.exec(
            &changed("DELETE FROM rejections WHERE path = $1", "$2"),
            &[&path, &CHANGES],
        )
    }

    fn rejections(&self) -> Result<Vec<Rejection>> {
        let sql = concat!(
            "SELECT path, reason, ",
            rfc3339!("at"),
            " FROM rejections ORDER BY path"
        );
        self.all(sql, &[], |r| {
            Ok(Rejection {
                path: r.try_get(0)?,
                reason: r.try_get(1)?,
                at: r.try_get(2)?,
            })
        })
    }

    fn documents(&self) -> Result<Vec<StoredDocument>> {
        self.document_rows("ORDER BY id", &[])
    }

    fn documents_page(&self, after: Option<&str>, limit: usize) -> Result<Vec<StoredDocument>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.document_rows(
            "WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2",
            &[&after, &limit],
        )
    }

    fn document(&self, id: &str) -> Result<Option<StoredDocument>> {
        Ok(self.document_rows("WHERE id = $1", &[&id])?.pop())
    }

    fn source_bytes(&self, id: &str) -> Result<Option<Vec<u8>>> {
        self.value("SELECT bytes FROM sources WHERE doc_id = $1", &[&id])
    }

    fn paged(&self, id: &str) -> Result<Option<Paged>> {
        let row = self.conn()?.query_opt(
            "SELECT file, map::text FROM pages WHERE doc_id = $1",
            &[&id],
        )?;
        row.map(|r| {
            Ok(Paged {
                file: r.try_get(0)?,
                map: rows::page_map(id, r.try_get(1)?)?,
            })
        })
        .transpose()
    }

    fn page_map(&self, id: &str) -> Result<Option<crate::source::pages::PageMap>> {
        let map: Option<String> =
            self.value("SELECT map::text FROM pages WHERE doc_id = $1", &[&id])?;
        map.map(|m| rows::page_map(id, &m)).transpose()
    }

    fn sentences(
        &self,
        doc: Option<&str>,
        f: &mut dyn FnMut(StoredSentence) -> Result<()>,
    ) -> Result<()> {
        let mut each = |r: &postgres::Row| f(rows::sentence(r)?);
        match doc {
            Some(d) => self.each_row(
                &format!(
                    "SELECT {SENTENCE_COLUMNS} FROM sentences s WHERE s.doc_id = $1 ORDER BY s.seq"
                ),
                &[&d],
                &mut each,
            ),
            None => self.each_row(
                &format!("SELECT {SENTENCE_COLUMNS} FROM sentences s ORDER BY s.doc_id, s.seq"),
                &[],
                &mut each,
            ),
        }
    }

    fn sentences_by_key(&self, keys: &[SentenceKey]) -> Result<Vec<StoredSentence>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let docs: Vec<&str> = keys.iter().map(|k| k.doc.as_str()).collect();
        let seqs: Vec<i64> = keys
            .iter()
            .map(|k| i64::try_from(k.seq).unwrap_or(i64::MAX))
            .collect();
        let sql = format!(
            "SELECT {SENTENCE_COLUMNS} \
             FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS k(doc, seq, n) \
             JOIN sentences s ON s.doc_id = k.doc AND s.seq = k.seq \
             ORDER BY k.n"
        );
        self.all(&sql, &[&docs, &seqs], |r| rows::sentence(r))
    }

    fn facts(&self, kind: Option<&str>, f: &mut dyn FnMut(StoredFact) -> Result<()>) -> Result<()> {
        self.fact_rows(
            "WHERE $1::text IS NULL OR kind = $1 ORDER BY doc_id, start, id",
            &[&kind],
            f,
        )
    }

    fn facts_of(&self, doc: &str, f: &mut dyn FnMut(StoredFact) -> Result<()>) -> Result<()> {
        self.fact_rows("WHERE doc_id = $1 ORDER BY start, id", &[&doc], f)
    }

    fn facts_at(&self, doc: &str, start: u64, end: u64) -> Result<Vec<StoredFact>> {
        let (Ok(start), Ok(end)) = (i64::try_from(start), i64::try_from(end)) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT {FACT_COLUMNS} FROM facts \
             WHERE doc_id = $1 AND start = $2 AND \"end\" = $3 ORDER BY id"
        );
        self.all(&sql, &[&doc, &start, &end], |r| rows::fact(r))
    }

    fn unindexed(&self) -> Result<Vec<String>> {
        self.all(
            "SELECT id FROM documents WHERE NOT indexed ORDER BY id",
            &[],
            |r| Ok(r.try_get(0)?),
        )
    }

    fn mark_indexed(&mut self, ids: &[String]) -> Result<()> {
        self.exec(
            &changed(
                "UPDATE documents SET indexed = true WHERE id = ANY($1) AND NOT indexed",
                "$2",
            ),
            &[&ids, &CHANGES],
        )
    }

    fn mark_all_unindexed(&mut self) -> Result<()> {
        self.exec(
            &changed("UPDATE documents SET indexed = false WHERE indexed", "$1"),
            &[&CHANGES],
        )
    }

    fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        self.each_row(
            "SELECT d.id, d.sentences, d.paragraphs, d.facts, \
               (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id), \
               (SELECT count(*) FROM paragraphs p WHERE p.doc_id = d.id), \
               (SELECT count(*) FROM facts f WHERE f.doc_id = d.id), \
               (SELECT octet_length(x.bytes)::bigint FROM sources x WHERE x.doc_id = d.id), \
               d.bytes \
             FROM documents d ORDER BY d.id",
            &[],
            &mut |r| rows::document_problems(r, &mut problems),
        )?;
        let mut c = self.conn()?;
        for table in rows::DOCUMENT_TABLES {
            let n: i64 = c
                .query_one(
                    &format!(
                        "SELECT count(*) FROM {table} t \
                         WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = t.doc_id)"
                    ),
                    &[],
                )?
                .try_get(0)?;
            problems.extend(rows::orphans(table, n));
        }
        // What SQLite's integrity check stands for here: the log's guard is in place.
        let guards: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_trigger \
                 WHERE tgrelid = 'curation_log'::regclass AND tgenabled <> 'D' \
                   AND tgname IN ('curation_log_no_update', 'curation_log_no_delete', \
                                  'curation_log_no_truncate')",
                &[],
            )?
            .try_get(0)?;
        if guards != 3 {
            problems.push(
                "integrity: the curation log's append-only triggers are missing or disabled"
                    .to_string(),
            );
        }
        Ok(problems)
    }

    fn fact(&self, id: i64) -> Result<Option<StoredFact>> {
        let sql = format!("SELECT {FACT_COLUMNS} FROM facts WHERE id = $1");
        Ok(self.all(&sql, &[&id], |r| rows::fact(r))?.pop())
    }

    fn append_curation(&mut self, row: &NewCurationRow) -> Result<CurationRow> {
        let mut c = self.conn()?;
        let mut tx = c.transaction()?;
        // Appends take turns (readers do not wait): an id is drawn and committed before the
        // next append draws one, so ids become visible in increasing order.
        tx.batch_execute("LOCK TABLE curation_log IN EXCLUSIVE MODE")?;
        let inserted = tx.query_opt(
            concat!(
                "INSERT INTO curation_log (who, action, target, field, old_value, new_value, \
                                           reason, request_id) \
                 VALUES ($1, $2, $3::text::json, $4, $5::text::json, $6::text::json, $7, $8) \
                 ON CONFLICT (request_id) WHERE request_id IS NOT NULL DO NOTHING \
                 RETURNING id, ",
                rfc3339!("at")
            ),
            &[
                &row.who,
                &row.action,
                &row.target.to_string(),
                &row.field,
                &row.old_value.to_string(),
                &row.new_value.to_string(),
                &row.reason,
                &row.request_id,
            ],
        )?;
        let stored = match inserted {
            Some(r) => rows::appended(r.try_get(0)?, r.try_get(1)?, row),
            // The same request was recorded before: that row is the answer.
            None => {
                let found = tx.query_opt(
                    &format!("SELECT {CURATION_COLUMNS} FROM curation_log WHERE request_id = $1"),
                    &[&row.request_id],
                )?;
                let id = row.request_id.as_deref().unwrap_or_default();
                rows::curation(&found.ok_or_else(|| {
                    StoreError::Corrupt(format!("request id {id:?} refused but not found"))
                })?)?
            }
        };
        notify(&mut tx, &format!("curation {}", stored.id))?;
        tx.commit()?;
        Ok(stored)
    }

    fn curations(&self) -> Result<Vec<CurationRow>> {
        self.curation_rows("ORDER BY id", &[])
    }

    fn curation_by_request(&self, request_id: &str) -> Result<Option<CurationRow>> {
        Ok(self
            .curation_rows("WHERE request_id = $1", &[&request_id])?
            .pop())
    }

    fn curation_version(&self) -> Result<i64> {
        Ok(self
            .value("SELECT max(id) FROM curation_log", &[])?
            .unwrap_or(0))
    }
    fn document_rows(&self, id: &str) -> Result<Option<DocumentRows>> {
        let mut c = self.conn()?;
        // One snapshot: every query below sees the same version of the document.
        let mut tx = c
            .build_transaction()
            .read_only(true)
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()?;
        let found = tx.query_opt(
            &format!("SELECT {DOC_COLUMNS} FROM documents WHERE id = $1"),
            &[&id],
        )?;
        let Some(found) = found else {
            return Ok(None);
        };
        let document = document_row(&found)?;
        let aliases = rows_of(
            &mut tx,
            concat!(
                "SELECT alias, ",
                rfc3339!("recorded_at"),
                " FROM document_aliases WHERE doc_id = $1 ORDER BY alias"
            ),
            id,
            rows::alias_row,
        )?;
        let paragraphs = rows_of(
            &mut tx,
            "SELECT seq, start, \"end\", block, lang FROM paragraphs WHERE doc_id = $1 ORDER BY seq",
            id,
            rows::paragraph_row,
        )?;
        let sentences = rows_of(
            &mut tx,
            "SELECT id, seq, paragraph, start, \"end\", lang, clean FROM sentences \
             WHERE doc_id = $1 ORDER BY seq",
            id,
            rows::sentence_row,
        )?;
        let furniture = rows_of(
            &mut tx,
            "SELECT start, \"end\", kind FROM furniture WHERE doc_id = $1 \
             ORDER BY start, \"end\", kind COLLATE \"C\"",
            id,
            rows::furniture_row,
        )?;
        let facts = rows_of(
            &mut tx,
            "SELECT id, kind, start, \"end\", record::text FROM facts WHERE doc_id = $1 ORDER BY id",
            id,
            rows::fact_row,
        )?;
        let source: Vec<u8> = tx
            .query_opt("SELECT bytes FROM sources WHERE doc_id = $1", &[&id])?
            .ok_or_else(|| rows::no_source(id))?
            .try_get(0)?;
        let pages = tx
            .query_opt(
                "SELECT file, map::text FROM pages WHERE doc_id = $1",
                &[&id],
            )?
            .map(|r| -> Result<PagesRow> {
                Ok(PagesRow {
                    file: r.try_get(0)?,
                    map: r.try_get(1)?,
                })
            })
            .transpose()?;
        tx.commit()?;
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
        let id = d.id.as_str();
        let columns: [&(dyn ToSql + Sync); 12] = [
            &id,
            &d.sha256,
            &(d.bytes as i64),
            &d.encoding,
            &d.encoding_confidence,
            &d.format,
            &d.lang,
            &d.title,
            &(d.paragraphs as i64),
            &(d.sentences as i64),
            &(d.facts as i64),
            &Some(d.ingested_at.as_str()),
        ];
        let mut c = self.conn()?;
        let mut tx = c.transaction()?;
        let existed = put_document_row(&mut tx, id, &columns)?;
        put_stored_rows(&mut tx, rows)?;
        tx.execute("DELETE FROM rejections WHERE path = $1", &[&id])?;
        notify(&mut tx, &format!("document {id}"))?;
        tx.commit()?;
        Ok(rows::put_outcome(existed))
    }

    fn put_rejection(&mut self, r: &Rejection) -> Result<()> {
        self.exec(
            &changed(
                "INSERT INTO rejections (path, reason, at) VALUES ($1, $2, $3::text::timestamptz) \
                 ON CONFLICT (path) DO UPDATE SET reason = EXCLUDED.reason, at = EXCLUDED.at",
                "$4",
            ),
            &[&r.path, &r.reason, &r.at, &CHANGES],
        )
    }

    fn append_curation_as_stored(&mut self, row: &CurationRow) -> Result<CurationRow> {
        let mut c = self.conn()?;
        let mut tx = c.transaction()?;
        // Appends take turns, as in `append_curation`: the latest id read stays the latest.
        tx.batch_execute("LOCK TABLE curation_log IN EXCLUSIVE MODE")?;
        if let Some(request) = &row.request_id {
            let found = tx.query_opt(
                &format!("SELECT {CURATION_COLUMNS} FROM curation_log WHERE request_id = $1"),
                &[request],
            )?;
            if let Some(there) = found {
                let there = rows::curation(&there)?;
                tx.commit()?;
                return Ok(there);
            }
        }
        let latest: i64 = tx
            .query_one("SELECT COALESCE(max(id), 0) FROM curation_log", &[])?
            .try_get(0)?;
        if row.id <= latest {
            return Err(rows::out_of_order(row.id, latest));
        }
        tx.execute(
            "INSERT INTO curation_log (id, at, who, action, target, field, old_value, \
                                       new_value, reason, request_id) \
             OVERRIDING SYSTEM VALUE \
             VALUES ($1, $2::text::timestamptz, $3, $4, $5::text::json, $6, $7::text::json, \
                     $8::text::json, $9, $10)",
            &[
                &row.id,
                &row.at,
                &row.who,
                &row.action,
                &row.target.to_string(),
                &row.field,
                &row.old_value.to_string(),
                &row.new_value.to_string(),
                &row.reason,
                &row.request_id,
            ],
        )?;
        follow_kept_ids(&mut tx, "curation_log")?;
        let stored = tx.query_one(
            &format!("SELECT {CURATION_COLUMNS} FROM curation_log WHERE id = $1"),
            &[&row.id],
        )?;
        let stored = rows::curation(&stored)?;
        notify(&mut tx, &format!("curation {}", stored.id))?;
        tx.commit()?;
        Ok(stored)
    }

    fn identity(&self) -> Result<String> {
        // The database's name and oid on a server started at that moment: the same through
        // any URL that reaches it (a socket or TCP, another host name), different for
        // another database or another server.
        let found: Option<String> = self.value(
            "SELECT 'postgresql:' || d.datname || '/' || d.oid::text || '@' \
                    || extract(epoch FROM pg_postmaster_start_time())::text \
             FROM pg_database d WHERE d.datname = current_database()",
            &[],
        )?;
        found.ok_or_else(|| StoreError::Corrupt("the current database is not listed".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::contract;

    /// A fresh database of the test server (`ANNALS_TEST_POSTGRES`), or `None`, having said
    /// so, when none is configured.
    fn fresh_url() -> Option<String> {
        let url = crate::pg::fresh_test_db();
        if url.is_none() {
            println!("skipped: no ANNALS_TEST_POSTGRES");
        }
        url
    }

    fn fresh() -> Option<Box<dyn Store>> {
        let url = fresh_url()?;
        Some(Box::new(PgStore::open(&url).expect("open")))
    }

    contract::contract_tests!(fresh);

    /// Stores opened at once on a new database (so migrating it together too), one a
    /// thread, putting documents at once.
    #[test]
    fn puts_from_several_stores_at_once() {
        let Some(url) = fresh_url() else { return };
        contract::puts_from_several_stores_at_once(&|| {
            Box::new(PgStore::open(&url).expect("open")) as Box<dyn Store>
        });
    }

    #[test]
    fn processes_opening_a_new_database_together_migrate_it_once() {
        let Some(url) = fresh_url() else { return };
        std::thread::scope(|scope| {
            let opened: Vec<_> = (0..6)
                .map(|_| scope.spawn(|| PgStore::open(&url).map(|s| s.schema_version())))
                .collect();
            for o in opened {
                assert_eq!(o.join().unwrap().expect("open").unwrap(), SCHEMA_VERSION);
            }
        });
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let versions: Vec<i64> = c
            .query("SELECT version FROM schema_version ORDER BY version", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    }

    #[test]
    fn the_curation_log_refuses_update_delete_and_truncate_in_sql() {
        let Some(url) = fresh_url() else { return };
        let mut s = PgStore::open(&url).unwrap();
        let row = s
            .append_curation(&NewCurationRow {
                who: "h".into(),
                action: "confirm".into(),
                target: serde_json::json!({"doc": "a.txt"}),
                field: None,
                old_value: serde_json::Value::Null,
                new_value: serde_json::Value::Null,
                reason: "checked".into(),
                request_id: Some("r".into()),
            })
            .unwrap();
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        for sql in [
            "UPDATE curation_log SET reason = 'x'",
            "UPDATE curation_log SET request_id = NULL WHERE id > 0",
            "DELETE FROM curation_log",
            "TRUNCATE curation_log",
        ] {
            let err = c.batch_execute(sql).expect_err(sql);
            let message = StoreError::from(err).to_string();
            assert!(message.contains("append-only"), "{sql}: {message}");
        }
        assert_eq!(s.curations().unwrap(), [row]);
        // Disabling the guard is a problem `check` reports.
        assert!(s.check().unwrap().is_empty());
        c.batch_execute("ALTER TABLE curation_log DISABLE TRIGGER curation_log_no_delete")
            .unwrap();
        let problems = s.check().unwrap();
        assert!(
            problems.iter().any(|p| p.contains("append-only")),
            "{problems:?}"
        );
    }

    /// The contract's moves between the two backends, both ways: what one backend stores
    /// is what the other stores.
    #[test]
    fn documents_and_logs_move_between_the_backends() {
        let Some(url) = fresh_url() else { return };
        let dir = tempfile::tempdir().unwrap();
        let lite = |name: &str| {
            crate::store::sqlite::SqliteStore::open(&dir.path().join(name)).expect("open")
        };
        let pg = || PgStore::open(&fresh_url().expect("a test server")).expect("open");
        contract::documents_move_to_another_store_as_stored(
            &mut lite("a.db"),
            &mut PgStore::open(&url).unwrap(),
        );
        contract::documents_move_to_another_store_as_stored(&mut pg(), &mut lite("b.db"));
        contract::rejections_and_curation_move_to_another_store_as_stored(
            &mut lite("c.db"),
            &mut pg(),
        );
        contract::rejections_and_curation_move_to_another_store_as_stored(
            &mut pg(),
            &mut lite("d.db"),
        );
    }

    #[test]
    fn a_database_is_one_identity_whatever_url_names_it() {
        let Some(url) = fresh_url() else { return };
        let a = PgStore::open(&url).unwrap();
        let b = PgStore::open(&url).unwrap();
        assert_eq!(a.identity().unwrap(), b.identity().unwrap());
        let other = PgStore::open(&fresh_url().unwrap()).unwrap();
        assert_ne!(a.identity().unwrap(), other.identity().unwrap());
    }

    #[test]
    fn a_database_of_a_newer_annals_is_refused() {
        let Some(url) = fresh_url() else { return };
        drop(PgStore::open(&url).unwrap());
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute("INSERT INTO schema_version (version) VALUES (99)")
            .unwrap();
        let err = match PgStore::open(&url) {
            Ok(_) => panic!("a newer database was opened"),
            Err(e) => e,
        };
        match err.downcast_ref::<StoreError>() {
            Some(StoreError::TooNew {
                found: 99,
                supported: SCHEMA_VERSION,
                path,
            }) => assert!(path.starts_with("postgres"), "{path}"),
            _ => panic!("wrong error: {err:#}"),
        }
        assert!(err.to_string().contains("newer annals"), "{err}");
    }

    #[test]
    fn check_finds_counts_and_sources_that_disagree() {
        let Some(url) = fresh_url() else { return };
        let mut s = PgStore::open(&url).unwrap();
        let doc = contract::document("a.txt", contract::TWO_SENTENCES);
        s.put_document(&doc, &contract::facts_of(&doc)).unwrap();
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(
            "DELETE FROM sentences WHERE seq = 1; UPDATE sources SET bytes = 'x'::bytea",
        )
        .unwrap();
        let problems = s.check().unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("a.txt: counts"), "{problems:?}");
        assert!(problems[1].contains("source bytes"), "{problems:?}");
    }
}
