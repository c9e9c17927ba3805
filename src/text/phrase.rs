//! The one phrase matcher: phrases of the language data (token sequences with a value),
//! found in a token sequence by their first or last token, the longest first.
//!
//! A phrase is written as in the data files: words separated by spaces, cut by the one
//! tokenizer ([`crate::text::token`]) so that it meets a sentence token for token; a word
//! ending in `*` matches any token that starts so ("visit*" is "visits", "visited"). A
//! phrase may also match diacritic-folded ([`PhraseSet::insert_folded`]), for a question
//! typed without diacritics.
//!
//! Every extractor and `ask` hold their phrases in a [`PhraseSet`]; what a consumer matches
//! over (tokens, tokens with markers for facts, tokens with a folded form) says what its
//! key is through [`Keyed`].
//!
//! Written here rather than taken from a crate: matching is token-aligned, with per-token
//! prefixes and an optional folded form, over a few thousand phrases; an Aho-Corasick
//! automaton over bytes does not express that without a second pass.
//!
//! ```
//! use annals::text::phrase::PhraseSet;
//! use annals::text::token::{tokenize, Options};
//! let mut p = PhraseSet::new(Options::default());
//! p.insert("visit*", "visit");
//! p.insert("thăm", "visit");
//! p.insert("thăm dò", "survey");
//! let toks = tokenize("Họ thăm dò, rồi visited Moscow", Options::default());
//! let found: Vec<&str> = p.find_all(&toks).iter().map(|f| *f.value).collect();
//! assert_eq!(found, ["survey", "visit"]);
//! ```

use super::fold::fold;
use super::token::{Options, Token, tokenize};
use rustc_hash::FxHashMap;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// What a token shows the phrase matcher.
pub trait Keyed {
    /// Calls `f` with the token's key (`None`: the token matches no phrase word).
    fn with_key<R>(&self, f: impl FnOnce(Option<&str>) -> R) -> R;
    /// The key diacritic-folded, for phrases that match folded (`None`: no folded form).
    fn folded(&self) -> Option<&str> {
        None
    }
}

impl Keyed for Token {
    fn with_key<R>(&self, f: impl FnOnce(Option<&str>) -> R) -> R {
        f(Some(&self.lower))
    }
}

/// One word of a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pat {
    /// Matches a token whose key is this.
    Exact(String),
    /// Matches a token whose key starts with this (`visit*`).
    Prefix(String),
}

#[derive(Debug, Clone)]
struct Phrase<T> {
    pats: Vec<Pat>,
    /// The folded form of each word, when the phrase also matches folded.
    folded: Option<Vec<String>>,
    value: T,
}

impl<T> Phrase<T> {
    fn word_ok(&self, k: usize, t: &impl Keyed) -> bool {
        let exact = t.with_key(|key| {
            key.is_some_and(|key| match &self.pats[k] {
                Pat::Exact(p) => p == key,
                Pat::Prefix(p) => key.starts_with(p.as_str()),
            })
        });
        exact
            || matches!(self.pats[k], Pat::Exact(_))
                && self
                    .folded
                    .as_ref()
                    .is_some_and(|f| t.folded() == Some(f[k].as_str()))
    }

    fn matches(&self, toks: &[impl Keyed], at: usize) -> bool {
        at + self.pats.len() <= toks.len()
            && (0..self.pats.len()).all(|k| self.word_ok(k, &toks[at + k]))
    }
}

/// A phrase found in a token sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a, T> {
    /// Token indexes `start..end`.
    pub toks: Range<usize>,
    pub value: &'a T,
}

/// Phrases with a value, matched token by token.
#[derive(Debug, Clone)]
pub struct PhraseSet<T> {
    opts: Options,
    /// The tokens of a phrase that are words of it (those the text's tokens keep).
    keep: fn(&Token) -> bool,
    phrases: Vec<Phrase<T>>,
    by_first: FxHashMap<String, Vec<usize>>,
    by_first_folded: FxHashMap<String, Vec<usize>>,
    by_first_prefix: FxHashMap<String, Vec<usize>>,
    /// The longest first-word prefix, in chars.
    max_prefix: usize,
    by_last: FxHashMap<String, Vec<usize>>,
    /// Phrases whose last word is a prefix.
    wild_last: Vec<usize>,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet::new(Options::default())
    }
}

impl<T> PhraseSet<T> {
    /// An empty set whose phrases are cut with `opts` (those the text is cut with).
    pub fn new(opts: Options) -> Self {
        PhraseSet::keeping(opts, |_| true)
    }

    /// An empty set whose phrases are cut with `opts` and keep the tokens `keep` accepts:
    /// the tokens the text's are filtered to (`ask` keeps words, numbers and `%`).
    pub fn keeping(opts: Options, keep: fn(&Token) -> bool) -> Self {
        PhraseSet {
            opts,
            keep,
            phrases: Vec::new(),
            by_first: FxHashMap::default(),
            by_first_folded: FxHashMap::default(),
            by_first_prefix: FxHashMap::default(),
            max_prefix: 0,
            by_last: FxHashMap::default(),
            wild_last: Vec::new(),
        }
    }

    /// The words of `phrase`: its tokens, the last token of a space-separated word that
    /// ends in `*` a prefix.
    pub fn parse(&self, phrase: &str) -> Vec<Pat> {
        // Texts are read in NFC; so are the data's phrases, whatever the file has.
        let phrase: String = phrase.nfc().collect();
        let mut pats = Vec::new();
        for w in phrase.split_whitespace() {
            let (w, star) = match w.strip_suffix('*') {
                Some(s) if !s.is_empty() => (s, true),
                _ => (w, false),
            };
            let toks: Vec<Token> = tokenize(w, self.opts)
                .into_iter()
                .filter(|t| (self.keep)(t))
                .collect();
            let n = toks.len();
            for (k, t) in toks.into_iter().enumerate() {
                pats.push(if star && k + 1 == n {
                    Pat::Prefix(t.lower)
                } else {
                    Pat::Exact(t.lower)
                });
            }
        }
        pats
    }

    /// Adds `phrase` with `value`. A phrase with no token is ignored.
    pub fn insert(&mut self, phrase: &str, value: T) {
        let pats = self.parse(phrase);
        self.push(pats, None, value);
    }

    /// Adds `phrase` with `value`, matching also where the text's tokens, folded, equal its
    /// words folded (prefix words still match only as written).
    pub fn insert_folded(&mut self, phrase: &str, value: T) {
        let pats = self.parse(phrase);
        self.insert_parsed(pats, true, value);
    }

    /// Adds a phrase already cut by [`PhraseSet::parse`], matching folded too if `folded`.
    pub fn insert_parsed(&mut self, pats: Vec<Pat>, folded: bool, value: T) {
        if !folded {
            return self.push(pats, None, value);
        }
        let folded = pats
            .iter()
            .map(|p| match p {
                Pat::Exact(w) | Pat::Prefix(w) => fold(w),
            })
            .collect();
        self.push(pats, Some(folded), value);
    }

    fn push(&mut self, pats: Vec<Pat>, folded: Option<Vec<String>>, value: T) {
        let (Some(first), Some(last)) = (pats.first(), pats.last()) else {
            return;
        };
        let i = self.phrases.len();
        match first {
            Pat::Exact(w) => {
                self.by_first.entry(w.clone()).or_default().push(i);
                if let Some(f) = &folded {
                    self.by_first_folded
                        .entry(f[0].clone())
                        .or_default()
                        .push(i);
                }
            }
            Pat::Prefix(p) => {
                self.max_prefix = self.max_prefix.max(p.chars().count());
                self.by_first_prefix.entry(p.clone()).or_default().push(i);
            }
        }
        match last {
            Pat::Exact(w) => self.by_last.entry(w.clone()).or_default().push(i),
            Pat::Prefix(_) => self.wild_last.push(i),
        }
        self.phrases.push(Phrase {
            pats,
            folded,
            value,
        });
    }

    /// The value of the phrase written `phrase` (cut the same way), to change it.
    pub fn get_mut(&mut self, phrase: &str) -> Option<&mut T> {
        let pats = self.parse(phrase);
        let Some(Pat::Exact(first) | Pat::Prefix(first)) = pats.first() else {
            return None;
        };
        let lists = [self.by_first.get(first), self.by_first_prefix.get(first)];
        let i = lists
            .into_iter()
            .flatten()
            .flatten()
            .copied()
            .find(|&i| self.phrases[i].pats == pats)?;
        Some(&mut self.phrases[i].value)
    }

    /// True when no phrase was added.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Every phrase's value, in the order they were added.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.phrases.iter().map(|p| &p.value)
    }

    /// Whether some phrase starts with the word `w` as written.
    pub fn has_first(&self, w: &str) -> bool {
        self.by_first.contains_key(w)
    }

    /// The phrases that could start at `t`, exact first words first, then prefixes, then
    /// folded; each in the order added. May repeat a phrase.
    fn starting(&self, t: &impl Keyed, out: &mut Vec<usize>) {
        out.clear();
        t.with_key(|key| {
            let Some(key) = key else { return };
            if let Some(v) = self.by_first.get(key) {
                out.extend(v);
            }
            if self.max_prefix > 0 {
                let from = out.len();
                for (n, (j, c)) in key.char_indices().enumerate() {
                    if n >= self.max_prefix {
                        break;
                    }
                    if let Some(v) = self.by_first_prefix.get(&key[..j + c.len_utf8()]) {
                        out.extend(v);
                    }
                }
                // In the order added, whatever their length.
                out[from..].sort_unstable();
            }
        });
        if !self.by_first_folded.is_empty()
            && let Some(f) = t.folded()
            && let Some(v) = self.by_first_folded.get(f)
        {
            out.extend(v);
        }
    }

    /// Every phrase that starts at token `at`, each once, in the order
    /// [`PhraseSet::longest_at`] prefers among equally long ones.
    pub fn all_at<'a>(&'a self, toks: &[impl Keyed], at: usize) -> Vec<Found<'a, T>> {
        let Some(t) = toks.get(at) else {
            return Vec::new();
        };
        let mut cand = Vec::new();
        self.starting(t, &mut cand);
        let mut seen: Vec<usize> = Vec::with_capacity(cand.len());
        let mut out = Vec::new();
        for i in cand {
            if seen.contains(&i) {
                continue;
            }
            seen.push(i);
            let p = &self.phrases[i];
            if p.matches(toks, at) {
                out.push(Found {
                    toks: at..at + p.pats.len(),
                    value: &p.value,
                });
            }
        }
        out
    }

    /// The longest phrase that starts at token `at` (of equally long ones: exact first word
    /// before prefix before folded, then the one added first).
    pub fn longest_at<'a>(&'a self, toks: &[impl Keyed], at: usize) -> Option<Found<'a, T>> {
        let t = toks.get(at)?;
        let mut cand = Vec::new();
        self.starting(t, &mut cand);
        let mut best: Option<usize> = None;
        for i in cand {
            let p = &self.phrases[i];
            if best.is_none_or(|b| p.pats.len() > self.phrases[b].pats.len()) && p.matches(toks, at)
            {
                best = Some(i);
            }
        }
        best.map(|i| Found {
            toks: at..at + self.phrases[i].pats.len(),
            value: &self.phrases[i].value,
        })
    }

    /// The longest phrase that ends at token `last` (inclusive).
    pub fn longest_ending_at<'a>(
        &'a self,
        toks: &[impl Keyed],
        last: usize,
    ) -> Option<Found<'a, T>> {
        let t = toks.get(last)?;
        let exact = t.with_key(|k| k.and_then(|k| self.by_last.get(k)));
        let mut best: Option<usize> = None;
        for i in exact.into_iter().flatten().chain(&self.wild_last).copied() {
            let p = &self.phrases[i];
            let n = p.pats.len();
            if n <= last + 1
                && best.is_none_or(|b| n > self.phrases[b].pats.len())
                && p.matches(toks, last + 1 - n)
            {
                best = Some(i);
            }
        }
        best.map(|i| {
            let n = self.phrases[i].pats.len();
            Found {
                toks: last + 1 - n..last + 1,
                value: &self.phrases[i].value,
            }
        })
    }

    /// Every longest, non-overlapping phrase in `toks`, left to right.
    pub fn find_all<'a>(&'a self, toks: &[impl Keyed]) -> Vec<Found<'a, T>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match self.longest_at(toks, i) {
                Some(f) => {
                    i = f.toks.end;
                    out.push(f);
                }
                None => i += 1,
            }
        }
        out
    }

    /// True when some phrase ends exactly at token `end` (exclusive) and starts at or
    /// after `from`.
    pub fn ends_at(&self, toks: &[impl Keyed], from: usize, end: usize) -> bool {
        let end = end.min(toks.len());
        (from..end).any(|s| {
            self.longest_at(&toks[..end], s)
                .is_some_and(|f| f.toks.end == end)
        })
    }

    /// True when some phrase lies within tokens `range`.
    pub fn occurs_in(&self, toks: &[impl Keyed], range: Range<usize>) -> bool {
        let end = range.end.min(toks.len());
        (range.start..end).any(|s| self.longest_at(&toks[..end], s).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Token> {
        tokenize(s, Options::default())
    }

    #[test]
    fn longest_first_with_prefixes() {
        let mut p = PhraseSet::default();
        p.insert("visit*", 1);
        p.insert("thăm", 2);
        p.insert("thăm dò", 0);
        p.insert("установ* дипломатическ*", 3);
        let t = toks("He visited; thăm dò; thăm Liên Xô; установили дипломатические");
        let found: Vec<i32> = p.find_all(&t).iter().map(|f| *f.value).collect();
        assert_eq!(found, [1, 0, 2, 3]);
    }

    #[test]
    fn ending_at_and_all_at() {
        let mut p = PhraseSet::default();
        p.insert("tỷ", "bn");
        p.insert("nghìn tỷ", "tn");
        p.insert("đồng", "dong");
        let t = toks("3 nghìn tỷ đồng");
        let f = p.longest_ending_at(&t, 2).unwrap();
        assert_eq!((f.toks, *f.value), (1..3, "tn"));
        assert_eq!(p.longest_ending_at(&t, 0), None);
        let all: Vec<&str> = p.all_at(&t, 1).iter().map(|f| *f.value).collect();
        assert_eq!(all, ["tn"]);
        let all: Vec<&str> = p.all_at(&t, 2).iter().map(|f| *f.value).collect();
        assert_eq!(all, ["bn"]);
    }

    #[test]
    fn folded_phrases_match_text_without_diacritics() {
        struct F(Token, String);
        impl Keyed for F {
            fn with_key<R>(&self, f: impl FnOnce(Option<&str>) -> R) -> R {
                self.0.with_key(f)
            }
            fn folded(&self) -> Option<&str> {
                Some(&self.1)
            }
        }
        let mut p = PhraseSet::default();
        p.insert_folded("hiệp ước", "treaty");
        p.insert("ước", "wish");
        let t: Vec<F> = toks("hiep uoc; hiệp ước; uoc")
            .into_iter()
            .map(|t| {
                let f = fold(&t.lower);
                F(t, f)
            })
            .collect();
        let found: Vec<(Range<usize>, &str)> = p
            .find_all(&t)
            .into_iter()
            .map(|f| (f.toks, *f.value))
            .collect();
        // "uoc" alone is no "ước": that phrase matches only as written.
        assert_eq!(found, [(0..2, "treaty"), (3..5, "treaty")]);
    }

    #[test]
    fn get_mut_finds_a_phrase_as_written() {
        let mut p: PhraseSet<Vec<u8>> = PhraseSet::default();
        p.insert("Việt Nam", vec![1]);
        p.get_mut("việt  nam").unwrap().push(2);
        assert!(p.get_mut("việt").is_none());
        assert_eq!(p.values().collect::<Vec<_>>(), [&vec![1, 2]]);
    }
}
