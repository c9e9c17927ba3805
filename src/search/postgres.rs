//! The PostgreSQL search backend: sentences indexed in the store's database, for several
//! ingest processes (on several machines) writing at once.
//!
//! # Tables
//!
//! - `search_meta (id = 1, version)`: the layout version of the rows below
//!   ([`SEARCH_VERSION`]). A database of an older layout has its `search_sentences` dropped
//!   on open (the index is derived: the archive's reconcile indexes every document again);
//!   one of a newer layout is refused ([`SearchError::TooNew`]).
//! - `search_sentences (doc, seq, lang, exact, folded)`: one row per sentence, named by its
//!   key (document id and sentence number, the same in every store backend; never a row
//!   id), primary key `(doc, seq)`. `exact` is a `tsvector` of the sentence's words as
//!   typed (lowercased), `folded` one of its folded words (Liên → lien, đ → d), NULL for a
//!   sentence of ASCII only, the only ones folding does not change, exactly as the tantivy
//!   backend fills its folded field. Sentence text itself is not stored: hits are resolved
//!   through the store.
//!
//! Both are created idempotently by [`PgSearch::open`] in one transaction under a
//! `pg_advisory_xact_lock`, so two processes opening a new database at once do not race.
//!
//! # Indexes and words
//!
//! A GIN index on `exact` and one on `folded`. The lexemes and their positions are not
//! computed by PostgreSQL's text search parser: they are the words of
//! [`super::Words`] (the analyzers the tantivy backend indexes with), written as a
//! `tsvector` literal at insert time, and queries are `tsquery` literals of the same words.
//! This is the `simple` configuration's behaviour (no stemming, no stop words: the
//! sentences are in three languages), but with the word boundaries and the folding of the
//! other backend: the parser of `to_tsvector('simple', …)` cuts hyphenated words, URLs and
//! numbers its own way, and `unaccent`'s rules file is another table than the tantivy
//! backend's ASCII folding (it folds Vietnamese alike, but also Cyrillic `ё` to `е`, which
//! ASCII folding keeps), so a query would find different sentences on the two backends.
//! Neither `unaccent` nor `pg_trgm` is therefore needed, and neither is created:
//! the folded form is computed in Rust, and the tantivy backend has no fuzzy matching for
//! trigrams to mirror (a misspelt name finds nothing on either backend; another name of it
//! comes from the expansion, [`super::expand`]).
//!
//! # Ranking
//!
//! The tiers of the trait, as the tantivy backend makes them: first the sentences that hold
//! every part of the query in the form typed (`exact @@ q`), then those that hold them
//! folded (`folded @@ q`, the parts that must not fold on `exact`), then those that match
//! an expansion group by group (the typed words exact or folded, or one of the other
//! forms, on `exact`). Within a tier, hits are ordered by the sum of `ts_rank_cd` (cover
//! density, normalised by the log of the sentence's length) over the tsqueries that
//! matched, then by key. The tantivy backend ranks by BM25, so within a tier the order may
//! differ; the hits of each tier and the tiers are the same.
//!
//! # Writes
//!
//! PostgreSQL has no single writer: [`SearchIndex::acquire_writer`] always succeeds. Changes
//! are kept in the struct until [`SearchIndex::commit`], which writes them in one
//! transaction, so a reader never sees a document half replaced (its old sentences deleted,
//! its new ones not yet added, or a mix). The transaction first takes a transaction-level
//! advisory lock per document it changes (in one order, so two writers never deadlock): a
//! second process replacing the same document waits, then deletes what the first wrote.
//! The buffer holds what an ingest writes between two commits (64 MiB of sources by
//! default, `IngestOptions::commit_every_bytes`) as tsvector literals, a few times the
//! sentences' text; [`SearchIndex::release_writer`] drops it, as the tantivy backend drops
//! what its writer did not commit. Searches take a connection from a pool of four and read
//! their tiers in one read-only snapshot.
//!
//! # Other differences from tantivy
//!
//! - A prefix (`договор*`) matches every word it begins; tantivy expands it to its first 64
//!   words in the index.
//! - PostgreSQL keeps word positions up to 16,383 and 256 positions per word: a phrase
//!   beyond the 16,383rd word of one sentence is not found. A sentence's tsvector is kept
//!   under PostgreSQL's 1 MB limit by leaving out its last words in alphabetical order (a
//!   sentence of hundreds of thousands of distinct words, which only a broken file gives).
//! - Adding a sentence whose key is already indexed replaces it (tantivy would hold both).

use super::{
    GroupPlan, IndexHit, Part, QueryPart, Result, SearchError, SearchIndex, SearchRequest, Tier,
    TierQuery, Word, Words,
};
use crate::pg::Pool;
use crate::store::{SentenceKey, StoredSentence};
use postgres::types::ToSql;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// The layout version of the `search_` tables this build writes.
pub const SEARCH_VERSION: i32 = 1;

/// The advisory lock taken while the tables are created or checked ("annalsS1").
const SCHEMA_LOCK: i64 = 0x616e_6e61_6c73_5331;
/// The first key of the per-document advisory locks of a commit ("annS"; the second is a
/// hash of the document id).
const DOC_LOCK: i32 = 0x616e_6e53;
/// Sentences per INSERT statement.
const INSERT_CHUNK: usize = 2000;
/// The longest `tsvector` literal written (PostgreSQL refuses a tsvector over 1 MB).
const MAX_TSVECTOR: usize = 900_000;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS search_sentences (
    doc text NOT NULL,
    seq bigint NOT NULL,
    lang text NOT NULL,
    exact tsvector NOT NULL,
    folded tsvector,
    PRIMARY KEY (doc, seq)
);
CREATE INDEX IF NOT EXISTS search_sentences_exact ON search_sentences USING gin (exact);
CREATE INDEX IF NOT EXISTS search_sentences_folded ON search_sentences USING gin (folded);
";

/// Sentences indexed in PostgreSQL (`search_` tables), for any number of processes at once.
pub struct PgSearch {
    pool: Pool,
    /// Where the database is, without its password (for messages).
    url: String,
    words: Words,
    /// Changes not yet committed.
    pending: Pending,
}

/// Uncommitted changes, reduced to their effect: whether everything goes first, then per
/// document whether its old sentences go and which sentences it gets.
#[derive(Default)]
struct Pending {
    clear: bool,
    docs: BTreeMap<String, DocChange>,
}

#[derive(Default)]
struct DocChange {
    /// Delete the document's indexed sentences first.
    replace: bool,
    /// Its new sentences by number.
    rows: BTreeMap<u64, Row>,
}

/// One sentence as written: its language and its two tsvector literals.
struct Row {
    lang: &'static str,
    exact: String,
    folded: Option<String>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        !self.clear && self.docs.is_empty()
    }
}

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

impl PgSearch {
    /// Opens the search tables in the database at `url` (a `postgresql://` URL), creating
    /// them if absent; drops the rows of an older layout (to be indexed again from the
    /// store). Safe when several processes open the same database at once.
    ///
    /// Errors: the server cannot be reached or refuses the login; the tables were written
    /// by a newer annals ([`SearchError::TooNew`]); the user may not create tables.
    pub fn open(url: &str) -> anyhow::Result<PgSearch> {
        let pool = crate::pg::pool(url, 4)?;
        let mut c = pool.get()?;
        let mut tx = c.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS search_meta (
                id int PRIMARY KEY CHECK (id = 1),
                version int NOT NULL
            )",
        )?;
        let found: Option<i32> = tx
            .query_opt("SELECT version FROM search_meta WHERE id = 1", &[])?
            .map(|r| r.get(0));
        match found {
            Some(v) if v > SEARCH_VERSION => {
                return Err(SearchError::TooNew {
                    path: crate::pg::redact(url),
                    found: v as u32,
                    supported: SEARCH_VERSION as u32,
                }
                .into());
            }
            Some(v) if v < SEARCH_VERSION => {
                tx.batch_execute("DROP TABLE IF EXISTS search_sentences")?;
            }
            _ => {}
        }
        tx.batch_execute(SCHEMA)?;
        tx.execute(
            "INSERT INTO search_meta (id, version) VALUES (1, $1)
             ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version",
            &[&SEARCH_VERSION],
        )?;
        tx.commit()?;
        drop(c);
        Ok(PgSearch {
            pool,
            url: crate::pg::redact(url),
            words: Words::new(),
            pending: Pending::default(),
        })
    }

    fn client(&self) -> Result<r2d2::PooledConnection<PgManager>> {
        self.pool
            .get()
            .map_err(|e| err(format!("cannot connect to {}: {e}", self.url)))
    }

    /// The best `limit` hits of `cond` under `filters`, skipping the sentences in `skip`.
    fn top(
        &self,
        tx: &mut postgres::Transaction<'_>,
        cond: &Cond,
        filters: &Filters,
        limit: usize,
        skip: &HashSet<SentenceKey>,
        tier: Tier,
    ) -> Result<Vec<IndexHit>> {
        let mut params: Vec<String> = Vec::new();
        let mut rank: Vec<String> = Vec::new();
        let mut sql = String::from("SELECT doc, seq, ");
        let mut cond_sql = String::new();
        cond.render(&mut cond_sql, &mut params, &mut rank);
        let _ = write!(sql, "({})::real AS score", rank.join(" + "));
        let _ = write!(sql, " FROM search_sentences WHERE {cond_sql}");
        filters.render(&mut sql, &mut params);
        let want = limit.saturating_add(skip.len()).min(i64::MAX as usize);
        let _ = write!(sql, " ORDER BY score DESC, doc, seq LIMIT {want}");
        let args: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = tx.query(&sql, &args).map_err(err)?;
        let mut out = Vec::with_capacity(limit.min(rows.len()));
        for r in rows {
            let sentence = SentenceKey {
                doc: r.get(0),
                seq: r.get::<_, i64>(1) as u64,
            };
            if !skip.contains(&sentence) && out.len() < limit {
                out.push(IndexHit {
                    sentence,
                    score: r.get(2),
                    tier,
                });
            }
        }
        Ok(out)
    }

    fn count(&self, doc: Option<&str>) -> Result<u64> {
        let mut c = self.client()?;
        let row = match doc {
            Some(d) => c.query_one(
                "SELECT count(*) FROM search_sentences WHERE doc = $1",
                &[&d],
            ),
            None => c.query_one("SELECT count(*) FROM search_sentences", &[]),
        }
        .map_err(err)?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    /// Writes `pending` in one transaction.
    fn write(&self, pending: &Pending) -> Result<()> {
        let mut c = self.client()?;
        let mut tx = c.transaction().map_err(err)?;
        // One lock per document changed, in one order for every writer (no deadlock): a
        // second writer of the same document waits here, then sees what this one wrote.
        let mut keys: Vec<i32> = pending.docs.keys().map(|d| doc_lock_key(d)).collect();
        keys.sort_unstable();
        keys.dedup();
        if !keys.is_empty() {
            tx.query(
                "SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int4[]) AS k",
                &[&DOC_LOCK, &keys],
            )
            .map_err(err)?;
        }
        if pending.clear {
            tx.batch_execute("DELETE FROM search_sentences")
                .map_err(err)?;
        }
        let replaced: Vec<&str> = pending
            .docs
            .iter()
            .filter(|(_, c)| c.replace)
            .map(|(d, _)| d.as_str())
            .collect();
        if !replaced.is_empty() && !pending.clear {
            tx.execute(
                "DELETE FROM search_sentences WHERE doc = ANY($1)",
                &[&replaced],
            )
            .map_err(err)?;
        }
        let rows: Vec<(&str, u64, &Row)> = pending
            .docs
            .iter()
            .flat_map(|(d, c)| c.rows.iter().map(move |(s, r)| (d.as_str(), *s, r)))
            .collect();
        for chunk in rows.chunks(INSERT_CHUNK) {
            let docs: Vec<&str> = chunk.iter().map(|r| r.0).collect();
            let seqs: Vec<i64> = chunk.iter().map(|r| r.1 as i64).collect();
            let langs: Vec<&str> = chunk.iter().map(|r| r.2.lang).collect();
            let exact: Vec<&str> = chunk.iter().map(|r| r.2.exact.as_str()).collect();
            let folded: Vec<Option<&str>> = chunk.iter().map(|r| r.2.folded.as_deref()).collect();
            tx.execute(
                "INSERT INTO search_sentences (doc, seq, lang, exact, folded)
                 SELECT d, s, l, e::tsvector, f::tsvector
                 FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[])
                      AS u(d, s, l, e, f)
                 ON CONFLICT (doc, seq) DO UPDATE
                 SET lang = EXCLUDED.lang, exact = EXCLUDED.exact, folded = EXCLUDED.folded",
                &[&docs, &seqs, &langs, &exact, &folded],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }
}

type PgManager = r2d2_postgres::PostgresConnectionManager<postgres::NoTls>;

/// The second key of a document's advisory lock: FNV-1a of its id (the same in every
/// process and build; two documents sharing a key only wait for each other).
fn doc_lock_key(doc: &str) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in doc.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as i32
}

/// A word quoted as a tsvector or tsquery lexeme: taken as it is, never parsed again.
fn lexeme(w: &str) -> String {
    format!("'{}'", w.replace('\\', "\\\\").replace('\'', "''"))
}

/// The `tsvector` literal of `words`: each word with its positions (from 1, at most
/// 16,383, at most 256 per word, as PostgreSQL keeps them); the words in alphabetical
/// order, the last ones left out where the literal would pass [`MAX_TSVECTOR`] bytes.
fn tsvector(words: &[Word]) -> String {
    let mut at: BTreeMap<&str, Vec<u16>> = BTreeMap::new();
    for w in words {
        let p = (w.position + 1).min(16_383) as u16;
        let ps = at.entry(w.text.as_str()).or_default();
        if ps.last() != Some(&p) && ps.len() < 256 {
            ps.push(p);
        }
    }
    let mut out = String::new();
    for (w, ps) in at {
        let before = out.len();
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&lexeme(w));
        for (i, p) in ps.iter().enumerate() {
            let _ = write!(out, "{}{p}", if i == 0 { ':' } else { ',' });
        }
        if out.len() > MAX_TSVECTOR {
            out.truncate(before);
            break;
        }
    }
    out
}

/// A query part as a tsquery: a word, or a phrase of words one after the other.
fn part_tsquery(p: &QueryPart) -> String {
    match p {
        QueryPart::Term(t) => lexeme(t),
        QueryPart::Phrase(ws) => phrase_tsquery(ws, false),
    }
}

/// Words one after the other (`<->`), the last one a prefix when `prefix`.
fn phrase_tsquery(words: &[String], prefix: bool) -> String {
    let mut q: Vec<String> = words.iter().map(|w| lexeme(w)).collect();
    if prefix && let Some(last) = q.last_mut() {
        last.push_str(":*");
    }
    format!("({})", q.join(" <-> "))
}

/// Tsqueries joined by `op` (`&` or `|`).
fn join_tsquery(qs: impl IntoIterator<Item = String>, op: &str) -> String {
    let qs: Vec<String> = qs.into_iter().collect();
    format!("({})", qs.join(&format!(" {op} ")))
}

/// A tsvector column.
#[derive(Debug, Clone, Copy)]
enum Column {
    Exact,
    Folded,
}

/// A search condition: tsqueries on the columns, combined.
#[derive(Debug)]
enum Cond {
    Match(Column, String),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

impl Cond {
    /// Appends the condition's SQL to `sql`, its tsqueries to `params` (as `$n`) and, for
    /// each, its rank term to `rank` (0 where it does not match).
    fn render(&self, sql: &mut String, params: &mut Vec<String>, rank: &mut Vec<String>) {
        match self {
            Cond::Match(col, q) => {
                params.push(q.clone());
                let n = params.len();
                let col = match col {
                    Column::Exact => "exact",
                    Column::Folded => "folded",
                };
                let _ = write!(sql, "{col} @@ ${n}::text::tsquery");
                rank.push(format!(
                    "coalesce(ts_rank_cd({col}, ${n}::text::tsquery, 1), 0)"
                ));
            }
            Cond::All(cs) | Cond::Any(cs) => {
                let op = if matches!(self, Cond::All(_)) {
                    " AND "
                } else {
                    " OR "
                };
                sql.push('(');
                for (i, c) in cs.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(op);
                    }
                    c.render(sql, params, rank);
                }
                sql.push(')');
            }
        }
    }

    /// The query's parts in the form typed, all on `exact` (the first tier).
    fn exact(parts: &[Part]) -> Cond {
        Cond::Match(
            Column::Exact,
            join_tsquery(parts.iter().map(|(ex, _, _)| part_tsquery(ex)), "&"),
        )
    }

    /// The parts that may fold on `folded`, the others on `exact` (the second tier).
    fn folded(parts: &[Part]) -> Cond {
        let (fold, keep): (Vec<&Part>, Vec<&Part>) = parts.iter().partition(|p| p.2);
        let mut all = vec![Cond::Match(
            Column::Folded,
            join_tsquery(fold.iter().map(|(_, fo, _)| part_tsquery(fo)), "&"),
        )];
        if !keep.is_empty() {
            all.push(Cond::Match(
                Column::Exact,
                join_tsquery(keep.iter().map(|(ex, _, _)| part_tsquery(ex)), "&"),
            ));
        }
        Cond::All(all)
    }

    /// Every group of an expansion ([`Words::expansion`]): its typed words (each exact,
    /// or folded where allowed) or one of its other forms (the third tier).
    fn expanded(plan: &[GroupPlan]) -> Cond {
        let mut all = Vec::new();
        for g in plan {
            let mut any = Vec::new();
            let typed: Vec<Cond> = g
                .typed
                .iter()
                .map(|(ex, fo, fold_ok)| {
                    let e = Cond::Match(Column::Exact, part_tsquery(ex));
                    if *fold_ok {
                        Cond::Any(vec![e, Cond::Match(Column::Folded, part_tsquery(fo))])
                    } else {
                        e
                    }
                })
                .collect();
            if !typed.is_empty() {
                any.push(Cond::All(typed));
            }
            if !g.forms.is_empty() {
                let forms = g.forms.iter().map(|(ws, p)| phrase_tsquery(ws, *p));
                any.push(Cond::Match(Column::Exact, join_tsquery(forms, "|")));
            }
            all.push(Cond::Any(any));
        }
        Cond::All(all)
    }
}

/// The request's document and language filters.
struct Filters {
    doc: Option<String>,
    lang: Option<&'static str>,
}

impl Filters {
    fn render(&self, sql: &mut String, params: &mut Vec<String>) {
        if let Some(d) = &self.doc {
            params.push(d.clone());
            let _ = write!(sql, " AND doc = ${}", params.len());
        }
        if let Some(l) = self.lang {
            params.push(l.to_string());
            let _ = write!(sql, " AND lang = ${}", params.len());
        }
    }
}

impl SearchIndex for PgSearch {
    fn delete_document(&mut self, doc: &str) -> Result<()> {
        self.pending.docs.insert(
            doc.to_string(),
            DocChange {
                replace: true,
                rows: BTreeMap::new(),
            },
        );
        Ok(())
    }

    fn add_sentences(&mut self, sentences: &[StoredSentence]) -> Result<()> {
        for s in sentences {
            let folded = (!s.clean.is_ascii()).then(|| tsvector(&self.words.folded(&s.clean)));
            let row = Row {
                lang: s.lang.code(),
                exact: tsvector(&self.words.exact(&s.clean)),
                folded,
            };
            self.pending
                .docs
                .entry(s.doc.clone())
                .or_default()
                .rows
                .insert(s.seq, row);
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        // Kept until written, so that a failed commit can be tried again.
        self.write(&self.pending)?;
        self.pending = Pending::default();
        Ok(())
    }

    fn is_transactional(&self) -> bool {
        true
    }

    fn release_writer(&mut self) {
        // As with the tantivy backend, what was not committed is lost.
        self.pending = Pending::default();
    }

    fn clear(&mut self) -> Result<()> {
        self.pending = Pending {
            clear: true,
            docs: BTreeMap::new(),
        };
        Ok(())
    }

    fn search(&self, req: &SearchRequest) -> Result<Vec<IndexHit>> {
        let filters = Filters {
            doc: req.doc.clone(),
            lang: req.lang.map(|l| l.code()),
        };
        let mut c = self.client()?;
        // One snapshot for the three tiers: a commit between them changes nothing here.
        let mut tx = c
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(err)?;
        let out = super::search_tiers(&self.words, req, |tq, limit, skip| {
            let cond = match tq {
                TierQuery::Exact(parts) => Cond::exact(parts),
                TierQuery::Folded(parts) => Cond::folded(parts),
                TierQuery::Expanded(plan) => Cond::expanded(plan),
            };
            self.top(&mut tx, &cond, &filters, limit, skip, tq.tier())
        })?;
        tx.commit().map_err(err)?;
        Ok(out)
    }

    fn highlight(&self, query: &str, forms: &[String], text: &str) -> Vec<(usize, usize)> {
        super::highlight::highlight(&self.words, query, forms, text)
    }

    fn len(&self) -> Result<u64> {
        self.count(None)
    }

    fn doc_len(&self, doc: &str) -> Result<u64> {
        self.count(Some(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::expand::{Expansion, Group, expand};
    use crate::search::tantivy_index::TantivyIndex;
    use crate::text::lang::Lang;

    fn sentence(doc: &str, seq: u64, lang: &str, text: &str) -> StoredSentence {
        StoredSentence {
            id: 0,
            doc: doc.into(),
            seq,
            paragraph: 0,
            start: 0,
            end: text.len() as u64,
            lang: Lang::of(lang),
            clean: text.into(),
        }
    }

    fn corpus() -> Vec<StoredSentence> {
        vec![
            sentence(
                "a",
                0,
                "vi",
                "Liên Xô ký Hiệp ước hữu nghị với Việt Nam năm 1978.",
            ),
            sentence("a", 1, "vi", "Hiệp định thương mại được ký tại Hà Nội."),
            sentence("a", 2, "vi", "Liền xó là một từ khác, không phải tên nước."),
            sentence("b", 0, "ru", "Договор о дружбе подписан в Москве."),
            sentence("b", 1, "ru", "Договоры о сотрудничестве были продлены."),
            sentence(
                "c",
                0,
                "en",
                "The Soviet Union signed a treaty of friendship.",
            ),
            sentence(
                "c",
                1,
                "en",
                "Trade between the two countries grew in 1979.",
            ),
            sentence("c", 2, "en", "The lien on the property was released."),
        ]
    }

    /// A fresh database's URL; None (the test skips) without a test server.
    fn test_db() -> Option<String> {
        let url = crate::pg::fresh_test_db();
        if url.is_none() {
            println!("skipped: no ANNALS_TEST_POSTGRES");
        }
        url
    }

    /// Hits as `(tier, "doc#seq")`, sorted within each tier (the backends rank within a tier
    /// by different scores, BM25 and ts_rank_cd).
    fn hits(ix: &dyn SearchIndex, req: &SearchRequest) -> Vec<(Tier, String)> {
        let mut v: Vec<(Tier, String)> = ix
            .search(req)
            .expect("search")
            .into_iter()
            .map(|h| (h.tier, format!("{}#{}", h.sentence.doc, h.sentence.seq)))
            .collect();
        let tiers: Vec<Tier> = v.iter().map(|h| h.0).collect();
        assert!(tiers.is_sorted(), "tiers out of order: {v:?}");
        v.sort();
        v
    }

    fn q(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 20,
            ..Default::default()
        }
    }

    fn ex(tier: Tier, keys: &[&str]) -> Vec<(Tier, String)> {
        keys.iter().map(|k| (tier, k.to_string())).collect()
    }

    /// The same requests on any backend; asserts what they must find and returns every
    /// outcome, to compare two backends.
    fn scenario(ix: &mut dyn SearchIndex) -> Vec<(String, Vec<(Tier, String)>)> {
        use Tier::{Exact, Expanded, Folded};
        let mut log = Vec::new();
        let mut check = |ix: &dyn SearchIndex,
                         name: &str,
                         req: SearchRequest,
                         want: Option<Vec<(Tier, String)>>| {
            let got = hits(ix, &req);
            if let Some(w) = want {
                assert_eq!(got, w, "{name}");
            }
            log.push((name.to_string(), got));
        };
        ix.acquire_writer().unwrap();
        ix.delete_document("a").unwrap();
        ix.add_sentences(&corpus()).unwrap();
        // Nothing is visible before the commit.
        assert_eq!(ix.len().unwrap(), 0);
        ix.commit().unwrap();
        ix.release_writer();
        assert_eq!(ix.len().unwrap(), 8);
        assert_eq!(ix.doc_len("a").unwrap(), 3);
        assert_eq!(ix.doc_len("none").unwrap(), 0);
        assert!(!ix.is_empty().unwrap());

        let both = [ex(Exact, &["a#0"]), ex(Folded, &["a#2"])].concat();
        let cases = [
            ("typed words", "Liên Xô", both.clone()),
            (
                "typed words, folded",
                "lien xo",
                ex(Folded, &["a#0", "a#2"]),
            ),
            // An ASCII sentence has no folded words: "Liên" does not find "lien".
            ("one word", "Liên", both),
            (
                "one ascii word",
                "lien",
                [ex(Exact, &["c#2"]), ex(Folded, &["a#0", "a#2"])].concat(),
            ),
            ("phrase", "\"hữu nghị\"", ex(Exact, &["a#0"])),
            ("phrase, folded", "\"huu nghi\" 1978", ex(Folded, &["a#0"])),
            ("phrase out of order", "\"nghị hữu\"", vec![]),
            ("russian", "договор", ex(Exact, &["b#0"])),
            // A `*` typed is no operator: the word is searched whole.
            ("typed star", "договор*", ex(Exact, &["b#0"])),
            // "the" never folds; "treaty" has nothing to fold in English sentences.
            ("function word", "the treaty", ex(Exact, &["c#0"])),
            ("no match", "zzz", vec![]),
        ];
        for (name, query, want) in cases {
            check(ix, name, q(query), Some(want));
        }
        let mut r = q("lien");
        r.lang = Some(Lang::of("vi"));
        check(ix, "language vi", r, Some(ex(Folded, &["a#0", "a#2"])));
        let mut r = q("lien");
        r.lang = Some(Lang::of("en"));
        check(ix, "language en", r, Some(ex(Exact, &["c#2"])));
        let mut r = q("ký");
        r.doc = Some("a".into());
        check(ix, "document", r, Some(ex(Exact, &["a#0", "a#1"])));
        let mut r = q("ký");
        r.doc = Some("b".into());
        check(ix, "other document", r, Some(vec![]));
        let mut r = q("Liên Xô");
        r.limit = 1;
        check(ix, "limit", r, Some(ex(Exact, &["a#0"])));

        // Other forms, a prefix among them, rank after the typed words.
        let mut r = q("treaty");
        r.expansion = Some(Expansion {
            groups: vec![Group {
                typed: "treaty".into(),
                phrase: false,
                meaning: None,
                forms: vec!["договор*".into(), "hiệp ước".into()],
                shown: vec![],
            }],
        });
        let mut want = ex(Exact, &["c#0"]);
        want.extend(ex(Expanded, &["a#0", "b#0", "b#1"]));
        check(ix, "expansion", r.clone(), Some(want));
        r.lang = Some(Lang::of("ru"));
        check(
            ix,
            "expansion, language",
            r,
            Some(ex(Expanded, &["b#0", "b#1"])),
        );
        // What annals itself expands; the backends must agree, whatever it finds.
        for query in [
            "treaty friendship",
            "Brezhnev",
            "Soviet Union",
            "\"hữu nghị\" treaty",
        ] {
            let mut r = q(query);
            r.expansion = Some(expand(query));
            check(ix, query, r, None);
        }
        let text = &corpus()[0].clean;
        let h = ix.highlight("lien xo", &["hiệp ư*".into()], text);
        let marked: Vec<&str> = h.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(marked, ["Liên", "Xô", "Hiệp", "ước"]);

        // A document replaced: the old sentences go, the new come, both at the commit.
        ix.delete_document("a").unwrap();
        ix.add_sentences(&[sentence("a", 0, "vi", "Hội nghị ở Hà Nội.")])
            .unwrap();
        check(ix, "before the commit", q("Liên"), None);
        ix.commit().unwrap();
        check(ix, "deleted", q("Liên"), Some(vec![]));
        check(ix, "replaced", q("hoi nghi"), Some(ex(Folded, &["a#0"])));
        assert_eq!(ix.doc_len("a").unwrap(), 1);
        ix.delete_document("a").unwrap();
        ix.commit().unwrap();
        assert_eq!((ix.len().unwrap(), ix.doc_len("a").unwrap()), (5, 0));
        assert!(matches!(ix.search(&q(" , ")), Err(SearchError::EmptyQuery)));

        ix.clear().unwrap();
        assert_eq!(ix.len().unwrap(), 5);
        ix.commit().unwrap();
        assert_eq!(ix.len().unwrap(), 0);
        assert!(ix.is_empty().unwrap());
        log
    }

    #[test]
    fn the_scenario_holds_on_tantivy() {
        let dir = tempfile::tempdir().unwrap();
        scenario(&mut TantivyIndex::open(dir.path()).unwrap());
    }

    #[test]
    fn postgres_and_tantivy_give_the_same_hits_in_the_same_tiers() {
        let Some(url) = test_db() else { return };
        let mut pg = PgSearch::open(&url).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let tantivy = scenario(&mut TantivyIndex::open(dir.path()).unwrap());
        let postgres = scenario(&mut pg);
        assert_eq!(tantivy.len(), postgres.len());
        for (t, p) in tantivy.iter().zip(&postgres) {
            assert_eq!(t, p, "the backends disagree on {:?}", t.0);
        }
    }

    #[test]
    fn uncommitted_changes_are_invisible_to_other_processes_and_lost_on_release() {
        let Some(url) = test_db() else { return };
        let mut w = PgSearch::open(&url).unwrap();
        let r = PgSearch::open(&url).unwrap();
        w.add_sentences(&corpus()).unwrap();
        w.commit().unwrap();
        w.delete_document("b").unwrap();
        w.add_sentences(&[sentence("b", 0, "ru", "Новый договор.")])
            .unwrap();
        assert_eq!(r.doc_len("b").unwrap(), 2);
        w.commit().unwrap();
        assert_eq!(r.doc_len("b").unwrap(), 1);
        assert_eq!(hits(&r, &q("новый")), ex(Tier::Exact, &["b#0"]));
        w.delete_document("c").unwrap();
        w.release_writer();
        w.commit().unwrap();
        assert_eq!(r.doc_len("c").unwrap(), 3);
        // Adding a sentence already indexed replaces it.
        w.add_sentences(&[sentence("b", 0, "ru", "Старый договор.")])
            .unwrap();
        w.commit().unwrap();
        assert_eq!(r.doc_len("b").unwrap(), 1);
        assert_eq!(hits(&r, &q("старый")), ex(Tier::Exact, &["b#0"]));
    }

    #[test]
    fn writers_of_one_document_never_leave_a_mix() {
        let Some(url) = test_db() else { return };
        // Two processes open a new database at once.
        let opened: Vec<PgSearch> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..2)
                .map(|_| s.spawn(|| PgSearch::open(&url).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        // Each replaces documents "x" and "y" with its own sentences, many times, in turn
        // with the other: x and y are always wholly one writer's.
        std::thread::scope(|s| {
            for (n, mut ix) in opened.into_iter().enumerate() {
                s.spawn(move || {
                    let word = ["alpha", "beta"][n];
                    let count = 2 + n as u64 * 3;
                    for round in 0..20 {
                        for doc in if round % 2 == 0 {
                            ["x", "y"]
                        } else {
                            ["y", "x"]
                        } {
                            ix.delete_document(doc).unwrap();
                            let batch: Vec<StoredSentence> = (0..count)
                                .map(|i| sentence(doc, i, "en", &format!("{word} {round}")))
                                .collect();
                            ix.add_sentences(&batch).unwrap();
                        }
                        ix.commit().unwrap();
                    }
                });
            }
        });
        let ix = PgSearch::open(&url).unwrap();
        for doc in ["x", "y"] {
            let n = ix.doc_len(doc).unwrap();
            let mut r = q("alpha");
            r.doc = Some(doc.into());
            let alpha = ix.search(&r).unwrap().len() as u64;
            r.query = "beta".into();
            let beta = ix.search(&r).unwrap().len() as u64;
            assert!(
                (n, alpha, beta) == (2, 2, 0) || (n, alpha, beta) == (5, 0, 5),
                "{doc}: {n} sentences, {alpha} alpha, {beta} beta"
            );
        }
    }

    #[test]
    fn a_newer_layout_is_refused_and_an_older_one_dropped() {
        let Some(url) = test_db() else { return };
        let mut ix = PgSearch::open(&url).unwrap();
        ix.add_sentences(&corpus()).unwrap();
        ix.commit().unwrap();
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        // Opened again: the rows stay.
        assert_eq!(PgSearch::open(&url).unwrap().len().unwrap(), 8);
        c.execute(
            "UPDATE search_meta SET version = $1",
            &[&(SEARCH_VERSION + 1)],
        )
        .unwrap();
        let e = PgSearch::open(&url)
            .err()
            .expect("a newer layout is refused");
        assert!(
            matches!(
                e.downcast_ref::<SearchError>(),
                Some(SearchError::TooNew { .. })
            ),
            "{e}"
        );
        c.execute("UPDATE search_meta SET version = 0", &[])
            .unwrap();
        let ix = PgSearch::open(&url).unwrap();
        assert_eq!(ix.len().unwrap(), 0);
        let v: i32 = c
            .query_one("SELECT version FROM search_meta", &[])
            .unwrap()
            .get(0);
        assert_eq!(v, SEARCH_VERSION);
    }

    #[test]
    fn words_are_written_as_they_are_cut() {
        let w = Words::new();
        assert_eq!(
            tsvector(&w.exact("Liên Xô, liên minh")),
            "'liên':1,3 'minh':4 'xô':2"
        );
        assert_eq!(lexeme("it's"), "'it''s'");
        assert_eq!(
            phrase_tsquery(&["hiệp".into(), "ư".into()], true),
            "('hiệp' <-> 'ư':*)"
        );
        // A word too long to index leaves its position unused.
        let long = "x".repeat(60);
        assert_eq!(tsvector(&w.exact(&format!("a {long} b"))), "'a':1 'b':3");
    }
}
