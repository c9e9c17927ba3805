//! Sentence search: BM25 over the exact and the diacritic-folded form of every sentence.
//!
//! [`SearchIndex`] is the narrow interface a backend implements (tantivy embedded,
//! [`tantivy_index::TantivyIndex`]; a distributed engine later). A query is parsed here
//! into [`QueryPart`]s (terms and quoted phrases); each part must match (AND). Hits come in
//! two tiers: first the sentences that hold every part in the form typed (ranked by BM25),
//! then, if there is room, those that hold them in folded form. So "Liên Xô" ranks
//! sentences that write "Liên Xô" above those that write "liền xó", and "lien xo hiep uoc"
//! still finds "Liên Xô … Hiệp ước". English function words ("the", "an":
//! `data/lang/en.toml`) are never folded, so an English query is not flooded with
//! Vietnamese homographs.

pub mod expand;
pub mod facets;
pub mod tantivy_index;

use crate::store::{SentenceKey, Store, StoredSentence};
use crate::text::lang::Lang;
use serde::Serialize;

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
    #[error("empty query")]
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
