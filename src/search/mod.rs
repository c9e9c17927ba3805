//! Sentence search: ranked matching over the exact and the diacritic-folded form of every
//! sentence.
//!
//! [`SearchIndex`] is the narrow interface a backend implements: tantivy embedded in the
//! data folder ([`tantivy_index::TantivyIndex`], BM25) and PostgreSQL in the store's
//! database ([`postgres::PgSearch`], `ts_rank_cd`). A query is parsed here into
//! [`QueryPart`]s (terms and quoted phrases); each part must match (AND). Hits come in
//! tiers ([`Tier`]): first the sentences that hold every part in the form typed, then, if
//! there is room, those that hold them in folded form, then those that match another name
//! or translation of the words ([`expand`]). So "Liên Xô" ranks sentences that write "Liên
//! Xô" above those that write "liền xó", and "lien xo hiep uoc" still finds "Liên Xô …
//! Hiệp ước". English function words ("the", "an": `data/lang/en.toml`) are never folded,
//! so an English query is not flooded with Vietnamese homographs.
//!
//! What a word is, in a sentence and in a query, is decided here, once, for every backend
//! ([`Words`]: the exact and the folded form of each word, the parts of a query, the groups
//! of an expansion); so is highlighting ([`highlight::highlight`]). A backend only stores
//! and matches those words.
//!
//! # Writing another backend
//!
//! A backend must give the same hits in the same tiers as the tantivy backend for the same
//! sentences and requests (the order within a tier follows its own score). What it must do,
//! with OpenSearch as the worked example:
//!
//! - **Store two forms of each sentence**, keyed by [`SentenceKey`] (document id and
//!   sentence number; never a row id of its own), with the language code beside it. The
//!   words are [`Words::exact`] and [`Words::folded`] of the sentence's clean text; the
//!   folded form only for a sentence that is not all ASCII (folding changes nothing else,
//!   and an English "lien" must not be found by "Liên"). In OpenSearch: one document per
//!   sentence, `_id` = `"{doc}\u{1f}{seq}"`, mapping `doc` and `lang` as `keyword`, `seq`
//!   as `long`, and `exact` and `folded` as `text` fields with `"analyzer": "whitespace"`
//!   and `"index_options": "positions"`, filled with the words [`Words`] gives joined by
//!   spaces: OpenSearch's own `standard` tokenizer and `asciifolding` filter come close,
//!   but cut words otherwise (apostrophes, numbers with dots), and the backends would
//!   disagree. Positions must be the words' [`Word::position`] (a word too long to index
//!   leaves a gap): with a `whitespace` analyzer, write a dropped word as `_`, a token no
//!   query word can equal (a word is alphanumeric).
//! - **Match the tiers in order, one query each**, as [`tantivy_index`] does: tier 1 every
//!   part of [`Words::parts`] on `exact`; tier 2 (only when some part may fold) the parts
//!   that may fold on `folded`, the others on `exact`; tier 3 (only with an expansion that
//!   [`expand::Expansion::expands`]) every group of [`Words::expansion`]: its typed parts
//!   (each exact, or folded where allowed) or one of its forms on `exact`. Each tier asks
//!   for the hits still wanted plus as many as the earlier tiers found, and skips those.
//!   In OpenSearch a tier is a `bool` query: `must` holds one clause per part (`term` for a
//!   word, `match_phrase` with `slop: 0` for a phrase, `match_phrase_prefix` with
//!   `max_expansions: 64`, as tantivy, for a form ending in `*`), and an "either" (exact
//!   or folded; typed words or a form) is a nested `bool` of `should` clauses with
//!   `minimum_should_match: 1`. The three tiers could be one request instead: the tiers'
//!   queries as `should` clauses of one `bool` (`minimum_should_match: 1`), boosted far
//!   apart (tier 1 × 10⁶, tier 2 × 10³, tier 3 × 1), each `_name`d so that
//!   `matched_queries` tells a hit's tier (the best one it matched). But a sentence of
//!   tier 1 matches the others' clauses too, and BM25 is unbounded, so boosts only come
//!   close to the order: prefer a request per tier, as the other backends do.
//! - **Filter** on `doc` and `lang` (a `filter` clause of `term`s), never score by them.
//! - **Write atomically per commit**: [`SearchIndex::add_sentences`] and
//!   [`SearchIndex::delete_document`] may be buffered; after [`SearchIndex::commit`] a
//!   reader sees each document's old or new sentences, never a mix, and
//!   [`SearchIndex::release_writer`] drops what was not committed. OpenSearch has no
//!   transactions, but searches only see what a refresh made visible: set the index's
//!   `refresh_interval` to `-1`, send a commit's changes as one `_bulk` request (a
//!   document's deletes, by `_id` of the sentences it had or a `delete_by_query` on `doc`
//!   sent just before with `refresh: false`, then its new sentences), and end the commit
//!   with `_refresh`, so that what was committed is searchable when `commit` returns. With
//!   several writers one's refresh can show another's half-sent bulk, and a failed bulk is
//!   partly applied: say so, and let the store decide (a document is marked indexed only
//!   after the commit; the archive's reconcile compares counts and indexes it again).
//!   [`SearchIndex::acquire_writer`] fails with [`SearchError::Locked`] only where the
//!   engine has a single writer.
//! - **Highlight and count alike**: [`SearchIndex::highlight`] calls
//!   [`highlight::highlight`] (the engine's own highlighter cuts words its way);
//!   [`SearchIndex::len`] and [`SearchIndex::doc_len`] count sentences (`_count`, with a
//!   `term` on `doc`).
//! - **Version its layout**: refuse one written by a newer annals
//!   ([`SearchError::TooNew`]); drop one of an older layout (the index is derived: the
//!   archive's reconcile indexes everything again). In OpenSearch: the version in the index
//!   mapping's `_meta`, the index name holding it (`annals-sentences-v1`) and an alias
//!   pointing at it.
//! - **Test it as the PostgreSQL backend is tested** (`src/search/postgres.rs`): the same
//!   scenario function run on the new backend and on a `TantivyIndex` in a temporary
//!   folder, comparing hits and tiers request by request; each test on its own index (a
//!   unique index name), skipped with a message when no server is configured (an
//!   `ANNALS_TEST_OPENSEARCH` URL, as `ANNALS_TEST_POSTGRES` for PostgreSQL, and a script
//!   starting a throwaway single-node server for CI).

pub mod expand;
pub mod facets;
pub mod highlight;
pub mod postgres;
pub mod tantivy_index;

use crate::store::{SentenceKey, Store, StoredSentence};
use crate::text::lang::Lang;
use serde::Serialize;
use std::collections::HashSet;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// Errors of a search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Index(String),
    #[error(
        "the search index at {path} was written by a newer annals (index version {found}; this annals reads up to {supported})"
    )]
    TooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("the search index at {path} is locked by another annals process")]
    Locked { path: String },
    /// The query has no word: only quotes, brackets, operators or combining marks.
    #[error(
        "the query has no word to search for (quotes, brackets, operators and marks alone match nothing)"
    )]
    EmptyQuery,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Result of a search operation.
pub type Result<T> = std::result::Result<T, SearchError>;

/// One part of a query: all parts must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryPart {
    Term(String),
    Phrase(Vec<String>),
}

/// A parsed search request.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query as typed: words, and phrases in double quotes.
    pub query: String,
    /// Only this document.
    pub doc: Option<String>,
    /// Only sentences in this language.
    pub lang: Option<Lang>,
    /// How many hits at most.
    pub limit: usize,
    /// What else the query's words mean ([`expand::expand`]): searched after the words as
    /// typed and their folded forms, so those rank first. None: the words only.
    pub expansion: Option<expand::Expansion>,
}

/// A sentence that matched, as the index knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexHit {
    /// The sentence, by its document and number (the same in every store backend).
    pub sentence: SentenceKey,
    pub score: f32,
    /// Which tier matched: the words as typed, their folded forms, or another name or
    /// translation of them.
    pub tier: Tier,
}

/// How a sentence matched a query; tiers rank in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Every word in the form typed.
    Exact,
    /// Some word only without its diacritics ("lien xo" for "Liên Xô").
    Folded,
    /// Some word only by another name or translation ("Brêgiơnép" for "Brezhnev").
    Expanded,
}

/// A search result, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub doc: String,
    /// Byte range of the original source.
    pub start: u64,
    pub end: u64,
    /// The whole sentence, as repaired (line breaks joined, headers removed).
    pub text: String,
    /// The sentence with the matched words marked `**like this**`, shortened around them.
    pub snippet: String,
    pub score: f32,
    pub tier: Tier,
    pub lang: Lang,
    /// Byte ranges, in `text`, of the matched words.
    pub highlights: Vec<(usize, usize)>,
}

/// The search backend interface.
pub trait SearchIndex {
    /// Removes every sentence of document `doc`.
    fn delete_document(&mut self, doc: &str) -> Result<()>;
    /// Adds sentences (their document's old sentences must be deleted first).
    fn add_sentences(&mut self, sentences: &[StoredSentence]) -> Result<()>;
    /// Makes all changes durable and visible.
    fn commit(&mut self) -> Result<()>;
    /// Takes the right to write (a backend with one writer at a time takes its lock here);
    /// [`SearchError::Locked`] while another process writes. Writes take it themselves when
    /// needed; an ingest takes it first so that it can wait its turn.
    fn acquire_writer(&mut self) -> Result<()> {
        Ok(())
    }
    /// Gives the right to write back after a commit, so that another process can write
    /// between this one's batches. Uncommitted changes are lost: commit first.
    fn release_writer(&mut self) {}
    /// True when a commit is a database transaction, which a killed process cannot leave
    /// half done, and several processes may write at once (PostgreSQL). Then a sentence
    /// count that differs from the store's is another writer at work, not a sign of drift,
    /// and [`crate::archive::Archive::reconcile`] trusts the store's marks alone.
    fn is_transactional(&self) -> bool {
        false
    }
    /// Removes everything.
    fn clear(&mut self) -> Result<()>;
    /// The best `req.limit` sentences for `req`, best first: exact-form matches before
    /// folded-form matches (`score` is comparable only within a tier).
    fn search(&self, req: &SearchRequest) -> Result<Vec<IndexHit>>;
    /// Byte ranges of `text` that match the query's words, or any of `forms` (another
    /// name's words; a trailing `*` a prefix), for highlighting.
    fn highlight(&self, query: &str, forms: &[String], text: &str) -> Vec<(usize, usize)>;
    /// Number of sentences indexed.
    fn len(&self) -> Result<u64>;
    /// Number of sentences indexed for document `doc`.
    fn doc_len(&self, doc: &str) -> Result<u64>;
    /// True when nothing is indexed.
    fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }
}

/// Splits a query into terms and double-quoted phrases (raw words; the index tokenizes).
pub fn parse_query(q: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = q;
    while !rest.is_empty() {
        if let Some(start) = rest.find(['"', '“', '”']) {
            let (before, after) = rest.split_at(start);
            for w in before.split_whitespace() {
                out.push((false, w.to_string()));
            }
            let q_len = after.chars().next().map_or(1, char::len_utf8);
            let inner = &after[q_len..];
            match inner.find(['"', '“', '”']) {
                Some(end) => {
                    out.push((true, inner[..end].to_string()));
                    let close = inner[end..].chars().next().map_or(1, char::len_utf8);
                    rest = &inner[end + close..];
                }
                None => {
                    out.push((true, inner.to_string()));
                    rest = "";
                }
            }
        } else {
            for w in rest.split_whitespace() {
                out.push((false, w.to_string()));
            }
            rest = "";
        }
    }
    out.retain(|(_, s)| !s.trim().is_empty());
    out
}

/// A word of a text as every backend cuts it ([`Words`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Its indexed form: lowercased (and, from [`Words::folded`], folded).
    pub text: String,
    /// Its byte range in the text it was cut from.
    pub from: usize,
    pub to: usize,
    /// Its number among the text's words, from 0 (a word too long to index leaves its
    /// number unused, so a phrase never spans it).
    pub position: usize,
}

/// A query part in the form typed and folded, and whether folding is allowed for it (a word
/// some language never folds, "the", is searched as typed only).
pub type Part = (QueryPart, QueryPart, bool);

/// One group of an expansion as a backend searches it ([`Words::expansion`]): the typed
/// words (each exact, or folded where allowed: all of them), or any of the other forms.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPlan {
    /// The typed words' parts; empty when they have no word.
    pub typed: Vec<Part>,
    /// The other forms: their words (never empty) and whether the last word is a prefix.
    pub forms: Vec<(Vec<String>, bool)>,
}

/// How every backend cuts text and queries into words, so that all of them agree on what a
/// word, its exact form and its folded form are: words are runs of alphanumeric chars,
/// lowercased, a word of 48 bytes or more dropped; the folded form is ASCII folding
/// (Liên → lien, đ → d; Cyrillic unchanged). The analyzers are tantivy's, used here only
/// as a tokenizer library: a backend without tantivy (PostgreSQL) indexes the words they
/// give rather than cutting text its own way.
#[derive(Clone)]
pub struct Words {
    exact: TextAnalyzer,
    folded: TextAnalyzer,
}

impl Default for Words {
    fn default() -> Self {
        Self::new()
    }
}

impl Words {
    /// The analyzers.
    pub fn new() -> Words {
        let exact = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .build();
        let folded = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
        Words { exact, folded }
    }

    /// The analyzer of the exact form (for tantivy to register).
    pub fn exact_analyzer(&self) -> TextAnalyzer {
        self.exact.clone()
    }

    /// The analyzer of the folded form (for tantivy to register).
    pub fn folded_analyzer(&self) -> TextAnalyzer {
        self.folded.clone()
    }

    /// The words of `text`, exact form.
    pub fn exact(&self, text: &str) -> Vec<Word> {
        cut(&mut self.exact.clone(), text)
    }

    /// The words of `text`, folded form (the same words as [`Words::exact`]: folding is per
    /// word).
    pub fn folded(&self, text: &str) -> Vec<Word> {
        cut(&mut self.folded.clone(), text)
    }

    /// The parts of `query`, each in the form typed and folded: a quoted phrase of several
    /// words is one part, every other word a part of its own.
    pub fn parts(&self, query: &str) -> Vec<Part> {
        // A word some language never folds ("the" is no "thé").
        let exact_only = |w: &String| {
            Lang::all()
                .iter()
                .any(|l| l.data().search_exact_only.contains(w))
        };
        let mut out = Vec::new();
        for (phrase, raw) in parse_query(query) {
            let ex: Vec<String> = self.exact(&raw).into_iter().map(|t| t.text).collect();
            let fo: Vec<String> = self.folded(&raw).into_iter().map(|t| t.text).collect();
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

    /// The words of one form of an expansion (exact form) and whether its last word is a
    /// prefix (a trailing `*`); no words: None.
    pub fn form(&self, form: &str) -> Option<(Vec<String>, bool)> {
        let words: Vec<String> = self
            .exact(form.trim_end_matches('*'))
            .into_iter()
            .map(|t| t.text)
            .collect();
        (!words.is_empty()).then(|| (words, form.ends_with('*')))
    }

    /// What a backend searches for an expansion: each group must match (AND), by its typed
    /// words or by one of its forms (OR). A group of function words only ("of", "the":
    /// nothing to fold, nothing else to say) is left out, so that "treaty of friendship"
    /// finds "hiệp ước hữu nghị"; so is a group with nothing to search. Empty when nothing
    /// is left.
    pub fn expansion(&self, x: &expand::Expansion) -> Vec<GroupPlan> {
        let mut out = Vec::new();
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
            let forms: Vec<(Vec<String>, bool)> =
                g.forms.iter().filter_map(|f| self.form(f)).collect();
            if parts.is_empty() && forms.is_empty() {
                continue;
            }
            out.push(GroupPlan {
                typed: parts,
                forms,
            });
        }
        out
    }
}

/// What one tier of a search matches ([`search_tiers`]).
#[derive(Debug, Clone, PartialEq)]
pub enum TierQuery<'a> {
    /// Every part in the form typed.
    Exact(&'a [Part]),
    /// Every part: those that may fold in folded form (on a sentence that has one: not all
    /// ASCII), the others in the form typed.
    Folded(&'a [Part]),
    /// Every group of an expansion (never empty).
    Expanded(Vec<GroupPlan>),
}

impl TierQuery<'_> {
    /// The tier its hits are in.
    pub fn tier(&self) -> Tier {
        match self {
            TierQuery::Exact(_) => Tier::Exact,
            TierQuery::Folded(_) => Tier::Folded,
            TierQuery::Expanded(_) => Tier::Expanded,
        }
    }
}

/// The tiers of `req` in order, for every backend alike: `top(query, n, skip)` gives the best
/// `n` sentences that match `query` (and the request's document and language), leaving out
/// those in `skip` (the earlier tiers' hits). A tier is asked only while fewer than
/// `req.limit` hits are found: the folded one when some part may fold, the expanded one when
/// the request has an expansion with something to search.
///
/// Errors: [`SearchError::EmptyQuery`] when the query has no word; `top`'s errors.
pub fn search_tiers(
    words: &Words,
    req: &SearchRequest,
    mut top: impl FnMut(&TierQuery, usize, &HashSet<SentenceKey>) -> Result<Vec<IndexHit>>,
) -> Result<Vec<IndexHit>> {
    let parts = words.parts(&req.query);
    if parts.is_empty() {
        return Err(SearchError::EmptyQuery);
    }
    let limit = req.limit.max(1);
    // Tier 1: every word in the form typed. These rank first.
    let mut out = top(&TierQuery::Exact(&parts), limit, &HashSet::new())?;
    let mut next = |q: TierQuery, out: &mut Vec<IndexHit>| -> Result<()> {
        if out.len() < limit {
            let seen = out.iter().map(|h| h.sentence.clone()).collect();
            let more = top(&q, limit - out.len(), &seen)?;
            out.extend(more);
        }
        Ok(())
    };
    // Tier 2: the folded forms, for the rest.
    if parts.iter().any(|(_, _, fold_ok)| *fold_ok) {
        next(TierQuery::Folded(&parts), &mut out)?;
    }
    // Tier 3: other names and translations of the words, for the rest.
    if let Some(x) = req.expansion.as_ref().filter(|x| x.expands()) {
        let plan = words.expansion(x);
        if !plan.is_empty() {
            next(TierQuery::Expanded(plan), &mut out)?;
        }
    }
    Ok(out)
}

fn cut(an: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut ts = an.token_stream(text);
    let mut out = Vec::new();
    while ts.advance() {
        let t = ts.token();
        out.push(Word {
            text: t.text.clone(),
            from: t.offset_from,
            to: t.offset_to,
            position: t.position,
        });
    }
    out
}

/// Runs `req` against `index` and resolves the hits through `store`.
pub fn search(
    store: &dyn Store,
    index: &dyn SearchIndex,
    req: &SearchRequest,
) -> Result<Vec<SearchHit>> {
    let hits = index.search(req)?;
    resolve(store, index, req, &hits)
}

/// The sentences of `hits` (in their order) read from `store`, highlighted for `req`.
pub fn resolve(
    store: &dyn Store,
    index: &dyn SearchIndex,
    req: &SearchRequest,
    hits: &[IndexHit],
) -> Result<Vec<SearchHit>> {
    let forms: Vec<String> = req
        .expansion
        .iter()
        .flat_map(|x| x.groups.iter().flat_map(|g| g.forms.iter().cloned()))
        .collect();
    let keys: Vec<SentenceKey> = hits.iter().map(|h| h.sentence.clone()).collect();
    let sentences = store.sentences_by_key(&keys)?;
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        let Some(sent) = sentences
            .iter()
            .find(|x| x.doc == h.sentence.doc && x.seq == h.sentence.seq)
        else {
            continue; // the index is ahead of the store: skip rather than invent
        };
        let also: &[String] = if h.tier == Tier::Expanded {
            &forms
        } else {
            &[]
        };
        let highlights = index.highlight(&req.query, also, &sent.clean);
        out.push(SearchHit {
            doc: sent.doc.clone(),
            start: sent.start,
            end: sent.end,
            snippet: snippet(&sent.clean, &highlights, 240),
            text: sent.clean.clone(),
            score: h.score,
            tier: h.tier,
            lang: sent.lang,
            highlights,
        });
    }
    Ok(out)
}

/// `text` shortened to about `max` bytes around the first highlight, with every
/// highlight inside marked `**…**`.
pub fn snippet(text: &str, highlights: &[(usize, usize)], max: usize) -> String {
    let first = highlights.first().map_or(0, |h| h.0);
    let mut from = first.saturating_sub(max / 3);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    // Start at a word boundary.
    if from > 0
        && let Some(sp) = text[from..first.max(from)].find(' ')
    {
        from += sp + 1;
    }
    let mut to = (from + max).min(text.len());
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    if to < text.len()
        && let Some(sp) = text[from..to].rfind(' ')
    {
        to = from + sp;
    }
    let mut out = String::with_capacity(to - from + 16);
    if from > 0 {
        out.push('…');
    }
    let mut pos = from;
    for &(a, b) in highlights {
        if a < pos || b > to || a > b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&text[pos..a]);
        out.push_str("**");
        out.push_str(&text[a..b]);
        out.push_str("**");
        pos = b;
    }
    out.push_str(&text[pos..to]);
    if to < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_phrases_and_terms() {
        assert_eq!(
            parse_query(r#"hiệp ước "Liên Xô" 1978"#),
            vec![
                (false, "hiệp".to_string()),
                (false, "ước".to_string()),
                (true, "Liên Xô".to_string()),
                (false, "1978".to_string())
            ]
        );
        assert_eq!(
            parse_query("\"unclosed phrase"),
            vec![(true, "unclosed phrase".to_string())]
        );
        assert!(parse_query("  \"\" ").is_empty());
    }

    #[test]
    fn snippet_marks_and_shortens() {
        let t = "Liên Xô là một trong những nước đầu tiên công nhận Việt Nam";
        let s = snippet(t, &[(0, 5), (6, 9)], 240);
        assert_eq!(
            s,
            "**Liên** **Xô** là một trong những nước đầu tiên công nhận Việt Nam"
        );
        let long = format!("{} treaty {}", "word ".repeat(100), "word ".repeat(100));
        let at = long.find("treaty").unwrap();
        let s = snippet(&long, &[(at, at + 6)], 60);
        assert!(s.contains("**treaty**") && s.starts_with('…') && s.ends_with('…'));
        assert!(s.len() < 80);
    }
}
