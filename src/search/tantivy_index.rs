//! The embedded search backend: a tantivy index in `<data>/index/`.
//!
//! One tantivy document per sentence: its key (document id and sentence number, `doc` and
//! `seq`, the same in every store backend; never a backend's row id), its language, and
//! its clean text twice: `exact` (lowercased words) and `folded` (lowercased, diacritics
//! removed, đ→d). The folded field is filled only for sentences with non-ASCII letters, the
//! only ones folding changes. Sentence text itself is not stored here: hits are resolved
//! through the store, which is the source of truth.

use super::expand::Expansion;
use super::{
    IndexHit, QueryPart, Result, SearchError, SearchIndex, SearchRequest, Tier, parse_query,
};
use crate::store::{SentenceKey, StoredSentence};
use crate::text::lang::Lang;
use std::path::{Path, PathBuf};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
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
    exact: TextAnalyzer,
    folded: TextAnalyzer,
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

fn analyzers() -> (TextAnalyzer, TextAnalyzer) {
    let exact = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .build();
    let folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    (exact, folded)
}

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

fn tokens(an: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
    let mut ts = an.token_stream(text);
    let mut out = Vec::new();
    while ts.advance() {
        let t = ts.token();
        out.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    out
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
        let (exact, folded) = analyzers();
        index.tokenizers().register(EXACT, exact.clone());
        index.tokenizers().register(FOLDED, folded.clone());
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
            exact,
            folded,
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

    fn parts(&self, query: &str) -> Vec<(QueryPart, QueryPart, bool)> {
        // (exact form, folded form, folding allowed)
        let mut exact_an = self.exact.clone();
        let mut folded_an = self.folded.clone();
        // A word some language never folds ("the" is no "thé").
        let exact_only = |w: &String| {
            Lang::all()
                .iter()
                .any(|l| l.data().search_exact_only.contains(w))
        };
        let mut out = Vec::new();
        for (phrase, raw) in parse_query(query) {
            let ex: Vec<String> = tokens(&mut exact_an, &raw)
                .into_iter()
                .map(|t| t.0)
                .collect();
            let fo: Vec<String> = tokens(&mut folded_an, &raw)
                .into_iter()
                .map(|t| t.0)
                .collect();
            if ex.is_empty() {
                continue;
            }
            if phrase && ex.len() > 1 {
                let fold_ok = !ex.iter().all(exact_only);
                out.push((QueryPart::Phrase(ex), QueryPart::Phrase(fo), fold_ok));
            } else {
                for (e, f) in ex.into_iter().zip(fo) {
                    let fold_ok = !exact_only(&e);
                    out.push((QueryPart::Term(e), QueryPart::Term(f), fold_ok));
                }
            }
        }
        out
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
    /// The query of an expansion: each group must match, in the form typed (exact or
    /// folded) or as one of its other forms. A group of function words only ("of", "the")
    /// is left out, so that "treaty of friendship" finds "hiệp ước hữu nghị". None when
    /// nothing is left.
    fn expanded_query(&self, x: &Expansion) -> Option<Vec<(Occur, Box<dyn Query>)>> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for g in &x.groups {
            let typed = if g.phrase {
                format!("\"{}\"", g.typed)
            } else {
                g.typed.clone()
            };
            let parts = self.parts(&typed);
            if g.forms.is_empty() && parts.iter().all(|(_, _, fold_ok)| !fold_ok) {
                continue;
            }
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            // The words as typed, exact or folded, all of them.
            let as_typed: Vec<(Occur, Box<dyn Query>)> = parts
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
            for f in &g.forms {
                if let Some(q) = self.form_query(f) {
                    any.push((Occur::Should, q));
                }
            }
            if any.is_empty() {
                continue;
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        (!must.is_empty()).then_some(must)
    }

    /// One form of an expansion on the exact field: a word, a phrase, or (a trailing `*`)
    /// a prefix of its last word.
    fn form_query(&self, form: &str) -> Option<Box<dyn Query>> {
        let prefix = form.ends_with('*');
        let mut an = self.exact.clone();
        let words: Vec<String> = tokens(&mut an, form.trim_end_matches('*'))
            .into_iter()
            .map(|t| t.0)
            .collect();
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(self.f.exact, w))
            .collect();
        match (terms.len(), prefix) {
            (0, _) => None,
            (_, true) => {
                let mut q = PhrasePrefixQuery::new(terms);
                q.set_max_expansions(64);
                Some(Box::new(q))
            }
            (1, false) => Some(Box::new(TermQuery::new(
                terms.into_iter().next().expect("one term"),
                IndexRecordOption::WithFreqs,
            ))),
            (_, false) => Some(Box::new(PhraseQuery::new(terms))),
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
        let parts = self.parts(&req.query);
        if parts.is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        let limit = req.limit.max(1);
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
        let conjunction = |folded: bool| {
            let mut must: Vec<(Occur, Box<dyn Query>)> = parts
                .iter()
                .map(|(ex, fo, fold_ok)| {
                    let q = if folded && *fold_ok {
                        self.part_query(self.f.folded, fo)
                    } else {
                        self.part_query(self.f.exact, ex)
                    };
                    (Occur::Must, q)
                })
                .collect();
            must.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
            BooleanQuery::new(must)
        };
        // Phase 1: every word in the form typed. These rank first.
        let mut out = self.top(&conjunction(false), limit, &Default::default(), Tier::Exact)?;
        // Phase 2: the folded forms, for the rest.
        if out.len() < limit && parts.iter().any(|(_, _, fold_ok)| *fold_ok) {
            let seen = out.iter().map(|h| h.sentence.clone()).collect();
            let more = self.top(&conjunction(true), limit - out.len(), &seen, Tier::Folded)?;
            out.extend(more);
        }
        // Phase 3: other names and translations of the words, for the rest.
        if out.len() < limit
            && let Some(x) = req.expansion.as_ref().filter(|x| x.expands())
            && let Some(mut q) = self.expanded_query(x)
        {
            q.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
            let seen = out.iter().map(|h| h.sentence.clone()).collect();
            let more = self.top(
                &BooleanQuery::new(q),
                limit - out.len(),
                &seen,
                Tier::Expanded,
            )?;
            out.extend(more);
        }
        Ok(out)
    }

    fn highlight(&self, query: &str, forms: &[String], text: &str) -> Vec<(usize, usize)> {
        let parts = self.parts(query);
        // Another name's words, as whole forms: a word sequence (a trailing `*`: its last
        // word a prefix), so "for" of "Council for Mutual Economic Assistance" is marked
        // only inside that name.
        let mut also: Vec<(Vec<String>, bool)> = Vec::new();
        {
            let mut an = self.exact.clone();
            for f in forms {
                let ws: Vec<String> = tokens(&mut an, f.trim_end_matches('*'))
                    .into_iter()
                    .map(|t| t.0)
                    .collect();
                if !ws.is_empty() {
                    also.push((ws, f.ends_with('*')));
                }
            }
        }
        let mut want_exact = std::collections::HashSet::new();
        let mut want_folded = std::collections::HashSet::new();
        for (ex, fo, fold_ok) in parts {
            match (ex, fo) {
                (QueryPart::Term(e), QueryPart::Term(f)) => {
                    want_exact.insert(e);
                    if fold_ok {
                        want_folded.insert(f);
                    }
                }
                (QueryPart::Phrase(e), QueryPart::Phrase(f)) => {
                    want_exact.extend(e);
                    if fold_ok {
                        want_folded.extend(f);
                    }
                }
                _ => {}
            }
        }
        let mut exact_an = self.exact.clone();
        let mut folded_an = self.folded.clone();
        let ex = tokens(&mut exact_an, text);
        let fo = tokens(&mut folded_an, text);
        let mut marked = vec![false; ex.len()];
        for (i, (e, f)) in ex.iter().zip(fo.iter()).enumerate() {
            if want_exact.contains(&e.0) || want_folded.contains(&f.0) {
                marked[i] = true;
            }
        }
        for (ws, prefix) in &also {
            if ws.len() > ex.len() {
                continue;
            }
            for i in 0..=ex.len() - ws.len() {
                let last = ws.len() - 1;
                let hit = ws.iter().enumerate().all(|(k, w)| {
                    let t = &ex[i + k].0;
                    if k == last && *prefix {
                        t.starts_with(w.as_str())
                    } else {
                        t == w
                    }
                });
                if hit {
                    marked[i..i + ws.len()].iter_mut().for_each(|m| *m = true);
                }
            }
        }
        let mut out: Vec<(usize, usize)> = ex
            .iter()
            .zip(marked)
            .filter(|(_, m)| *m)
            .map(|(e, _)| (e.1, e.2))
            .collect();
        out.dedup();
        out
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
