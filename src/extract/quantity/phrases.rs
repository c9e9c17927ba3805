//! Phrases: token sequences with a value, looked up by their first or last token, the
//! longest first. The one phrase table of the quantity extractor's language data and its
//! number words.

use super::token::{Tok, phrase_tokens};
use rustc_hash::FxHashMap;

/// Phrases (token sequences) with a value, matched at or ending at a token.
#[derive(Debug)]
pub struct Phrases<T> {
    first: FxHashMap<String, Vec<(Vec<String>, T)>>,
    last: FxHashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            first: FxHashMap::default(),
            last: FxHashMap::default(),
        }
    }
}

impl<T: Clone> Phrases<T> {
    pub fn insert(&mut self, phrase: &str, v: T) {
        let toks = phrase_tokens(phrase);
        let (Some(f), Some(l)) = (toks.first().cloned(), toks.last().cloned()) else {
            return;
        };
        let fv = self.first.entry(f).or_default();
        fv.push((toks.clone(), v.clone()));
        fv.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let lv = self.last.entry(l).or_default();
        lv.push((toks, v));
        lv.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }
}

impl<T> Phrases<T> {
    /// The longest phrase starting at `toks[i]`: (token count, value).
    pub fn at(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)> {
        let cands = self.first.get(&toks.get(i)?.lower)?;
        cands
            .iter()
            .find(|(p, _)| {
                i + p.len() <= toks.len() && p.iter().zip(&toks[i..]).all(|(a, t)| *a == t.lower)
            })
            .map(|(p, v)| (p.len(), v))
    }

    /// The longest phrase ending at `toks[i]` (inclusive): (token count, value).
    pub fn ending(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)> {
        let cands = self.last.get(&toks.get(i)?.lower)?;
        cands
            .iter()
            .find(|(p, _)| {
                p.len() <= i + 1
                    && p.iter()
                        .zip(&toks[i + 1 - p.len()..=i])
                        .all(|(a, t)| *a == t.lower)
            })
            .map(|(p, v)| (p.len(), v))
    }

    /// Whether some phrase starts with the word `w`.
    pub fn has_first(&self, w: &str) -> bool {
        self.first.contains_key(w)
    }

    pub fn contains_at(&self, toks: &[Tok], i: usize) -> bool {
        self.at(toks, i).is_some()
    }

    pub fn contains_ending(&self, toks: &[Tok], i: usize) -> bool {
        self.ending(toks, i).is_some()
    }
}
