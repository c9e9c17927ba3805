//! The embedded search backend: a tantivy index in `<data>/index/`.
//!
//! One tantivy document per sentence: its key (document id and sentence number, `doc` and
//! `seq`, the same in every store backend; never a backend's row id), its language, and
//! its clean text twice: `exact` (lowercased words) and `folded` (lowercased, diacritics
//! removed, đ→d). The folded field is filled only for sentences with non-ASCII letters, the
//! only ones folding changes. Sentence text itself is not stored here: hits are resolved
//! through the store, which is the source of truth.

use super::{
    GroupPlan, IndexHit, Part, QueryPart, Result, SearchError, SearchIndex, SearchRequest, Tier,
    TierQuery, Words,
};
use crate::store::{SentenceKey, StoredSentence};
use std::path::{Path, PathBuf};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term, doc};

/// The index layout version this build writes. Version 1 named sentences by the SQLite row
/// id; an index of an older version is dropped on open and rebuilt from the store.
pub const INDEX_VERSION: u32 = 2;
const VERSION_FILE: &str = "annals-index.json";
const EXACT: &str = "annals_exact";
const FOLDED: &str = "annals_folded";

struct Fields {
    seq: Field,
    doc: Field,
    lang: Field,
    exact: Field,
    folded: Field,
}

/// A tantivy index of sentences.
pub struct TantivyIndex {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    f: Fields,
    /// How text and queries are cut into words (shared with every backend).
    words: Words,
}

fn schema() -> Schema {
    let mut sb = Schema::builder();
    sb.add_u64_field("seq", INDEXED | STORED | FAST);
    sb.add_text_field("doc", STRING | STORED | FAST);
    sb.add_text_field("lang", STRING);
    let text = |tok: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tok)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    sb.add_text_field("exact", text(EXACT));
    sb.add_text_field("folded", text(FOLDED));
    sb.build()
}

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

impl TantivyIndex {
    /// Opens the index in `dir`, creating it if absent. Fails on an index written by a newer
    /// annals.
    pub fn open(dir: &Path) -> Result<TantivyIndex> {
        std::fs::create_dir_all(dir).map_err(err)?;
        let vfile = dir.join(VERSION_FILE);
        if let Ok(s) = std::fs::read_to_string(&vfile) {
            let found = serde_json::from_str::<serde_json::Value>(&s)
                .ok()
                .and_then(|v| v.get("index_version").and_then(|x| x.as_u64()))
                .unwrap_or(0) as u32;
            if found > INDEX_VERSION {
                return Err(SearchError::TooNew {
                    path: dir.display().to_string(),
                    found,
                    supported: INDEX_VERSION,
                });
            }
            if found < INDEX_VERSION {
                // An older layout: the index is derived from the store, so drop it; the
                // archive's reconcile indexes every document again.
                std::fs::remove_dir_all(dir).map_err(err)?;
                std::fs::create_dir_all(dir).map_err(err)?;
            }
        } else if dir.join("meta.json").exists() {
            // An index from before version files (version 0).
            std::fs::remove_dir_all(dir).map_err(err)?;
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let index = if dir.join("meta.json").exists() {
            Index::open_in_dir(dir).map_err(err)?
        } else {
            let i = Index::create_in_dir(dir, schema()).map_err(err)?;
            std::fs::write(&vfile, format!("{{\"index_version\": {INDEX_VERSION}}}\n"))
                .map_err(err)?;
            i
        };
        let words = Words::new();
        index.tokenizers().register(EXACT, words.exact_analyzer());
        index.tokenizers().register(FOLDED, words.folded_analyzer());
        let s = index.schema();
        let field = |n: &str| s.get_field(n).map_err(err);
        let f = Fields {
            seq: field("seq")?,
            doc: field("doc")?,
            lang: field("lang")?,
            exact: field("exact")?,
            folded: field("folded")?,
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok(TantivyIndex {
            path: dir.to_path_buf(),
            index,
            reader,
            writer: None,
            f,
            words,
        })
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let w = self.index.writer(128_000_000).map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Locked {
                    path: self.path.display().to_string(),
                },
                e => err(e),
            })?;
            // A process killed during a commit leaves files the index no longer names (a
            // `.del` file, say) whose names the next commit would reuse: remove them first.
            w.garbage_collect_files().wait().map_err(err)?;
            self.writer = Some(w);
        }
        Ok(self.writer.as_mut().expect("writer just set"))
    }

    fn part_query(&self, field: Field, p: &QueryPart) -> Box<dyn Query> {
        match p {
            QueryPart::Term(t) => Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            )),
            QueryPart::Phrase(ws) => Box::new(PhraseQuery::new(
                ws.iter().map(|w| Term::from_field_text(field, w)).collect(),
            )),
        }
    }
}

impl TantivyIndex {
    /// The query of an expansion ([`super::Words::expansion`]): each group must match, in
    /// the form typed (exact or folded) or as one of its other forms.
    fn expanded_query(&self, plan: &[GroupPlan]) -> Vec<(Occur, Box<dyn Query>)> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for g in plan {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            // The words as typed, exact or folded, all of them.
            let as_typed: Vec<(Occur, Box<dyn Query>)> = g
                .typed
                .iter()
                .map(|(ex, fo, fold_ok)| {
                    let q: Box<dyn Query> = if *fold_ok {
                        Box::new(BooleanQuery::new(vec![
                            (Occur::Should, self.part_query(self.f.exact, ex)),
                            (Occur::Should, self.part_query(self.f.folded, fo)),
                        ]))
                    } else {
                        self.part_query(self.f.exact, ex)
                    };
                    (Occur::Must, q)
                })
                .collect();
            if !as_typed.is_empty() {
                any.push((Occur::Should, Box::new(BooleanQuery::new(as_typed))));
            }
            for (words, prefix) in &g.forms {
                any.push((Occur::Should, self.form_query(words, *prefix)));
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        must
    }

    /// One form of an expansion on the exact field: a word, a phrase, or (a trailing `*`)
    /// a prefix of its last word.
    fn form_query(&self, words: &[String], prefix: bool) -> Box<dyn Query> {
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(self.f.exact, w))
            .collect();
        if prefix {
            let mut q = PhrasePrefixQuery::new(terms);
            q.set_max_expansions(64);
            Box::new(q)
        } else if terms.len() == 1 {
            Box::new(TermQuery::new(
                terms.into_iter().next().expect("one term"),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(terms))
        }
    }

    /// The best `limit` hits of `q`, skipping the sentences in `skip`.
    fn top(
        &self,
        q: &dyn Query,
        limit: usize,
        skip: &std::collections::HashSet<SentenceKey>,
        tier: Tier,
    ) -> Result<Vec<IndexHit>> {
        let searcher = self.reader.searcher();
        let top = searcher
            .search(q, &TopDocs::with_limit(limit + skip.len()))
            .map_err(err)?;
        let mut out = Vec::with_capacity(limit);
        for (score, addr) in top {
            // The key is in fast fields: no stored document to decompress.
            let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
            let seq = fast.u64("seq").map_err(err)?.first(addr.doc_id);
            let docs = fast
                .str("doc")
                .map_err(err)?
                .ok_or_else(|| err("the index has no document column"))?;
            let mut doc = String::new();
            let ord = docs.term_ords(addr.doc_id).next();
            let found = match ord {
                Some(o) => docs.ord_to_str(o, &mut doc).map_err(err)?,
                None => false,
            };
            if let (Some(seq), true) = (seq, found) {
                let sentence = SentenceKey { doc, seq };
                if !skip.contains(&sentence) && out.len() < limit {
                    out.push(IndexHit {
                        sentence,
                        score,
                        tier,
                    });
                }
            }
        }
        Ok(out)
    }
}

impl SearchIndex for TantivyIndex {
    fn delete_document(&mut self, doc: &str) -> Result<()> {
        let term = Term::from_field_text(self.f.doc, doc);
        self.writer()?.delete_term(term);
        Ok(())
    }

    fn add_sentences(&mut self, sentences: &[StoredSentence]) -> Result<()> {
        let (seq, docf, lang, exact, folded) = (
            self.f.seq,
            self.f.doc,
            self.f.lang,
            self.f.exact,
            self.f.folded,
        );
        let w = self.writer()?;
        for s in sentences {
            let mut d = doc!(
                seq => s.seq,
                docf => s.doc.as_str(),
                lang => s.lang.code(),
                exact => s.clean.as_str(),
            );
            if !s.clean.is_ascii() {
                d.add_text(folded, &s.clean);
            }
            w.add_document(d).map_err(err)?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        if let Some(w) = self.writer.as_mut() {
            w.commit().map_err(err)?;
        }
        self.reader.reload().map_err(err)?;
        Ok(())
    }

    fn acquire_writer(&mut self) -> Result<()> {
        self.writer().map(|_| ())
    }

    fn release_writer(&mut self) {
        // Dropping the writer waits for its threads and frees the lock.
        self.writer = None;
    }

    fn clear(&mut self) -> Result<()> {
        self.writer()?.delete_all_documents().map_err(err)?;
        Ok(())
    }

    fn search(&self, req: &SearchRequest) -> Result<Vec<IndexHit>> {
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(d) = &req.doc {
            filters.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.f.doc, d),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(l) = req.lang {
            filters.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.f.lang, l.code()),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let conjunction = |parts: &[Part], folded: bool| -> Vec<(Occur, Box<dyn Query>)> {
            parts
                .iter()
                .map(|(ex, fo, fold_ok)| {
                    let q = if folded && *fold_ok {
                        self.part_query(self.f.folded, fo)
                    } else {
                        self.part_query(self.f.exact, ex)
                    };
                    (Occur::Must, q)
                })
                .collect()
        };
        super::search_tiers(&self.words, req, |tq, limit, skip| {
            let mut q: Vec<(Occur, Box<dyn Query>)> = match tq {
                TierQuery::Exact(parts) => conjunction(parts, false),
                TierQuery::Folded(parts) => conjunction(parts, true),
                TierQuery::Expanded(plan) => self.expanded_query(plan),
            };
            q.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
            self.top(&BooleanQuery::new(q), limit, skip, tq.tier())
        })
    }

    fn highlight(&self, query: &str, forms: &[String], text: &str) -> Vec<(usize, usize)> {
        super::highlight::highlight(&self.words, query, forms, text)
    }

    fn doc_len(&self, doc: &str) -> Result<u64> {
        let q = TermQuery::new(
            Term::from_field_text(self.f.doc, doc),
            IndexRecordOption::Basic,
        );
        Ok(self.reader.searcher().search(&q, &Count).map_err(err)? as u64)
    }

    fn len(&self) -> Result<u64> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&AllQuery, &Count).map_err(err)? as u64)
    }
}
