//! Words and phrases: the small matching engine the event extractor applies to its data.
//!
//! A sentence is cut into [`Word`]s (letter/digit runs, with inner hyphens and apostrophes,
//! and single punctuation marks), each with its byte range in the clean text and a
//! canonical form: lowercase, with the old and new Vietnamese tone placements made one
//! ("hoá" and "hóa" both become "hóa"). A phrase of the data is cut the same way; a word of
//! a phrase that ends in `*` matches any word that starts with it.
//!
//! Written here rather than reusing a crate: the matching is word-aligned with per-word
//! wildcards over a few hundred phrases, which an Aho-Corasick automaton over bytes does not
//! express without a second pass; this is a few dozen lines.

use std::collections::HashMap;
use std::ops::Range;

/// One word of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text that was cut.
    pub range: Range<usize>,
    /// Canonical form (lowercase, one Vietnamese tone placement).
    pub canon: String,
    /// Starts with an upper-case letter (a name's word, mid-sentence).
    pub upper: bool,
}

impl Word {
    /// True for a punctuation mark.
    pub fn is_punct(&self) -> bool {
        !self.canon.chars().next().is_some_and(char::is_alphanumeric)
    }
}

/// The old-style Vietnamese tone placements and their new-style forms.
const TONE_PLACEMENT: [(&str, &str); 15] = [
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
];

/// The canonical form of one word.
pub fn canon(word: &str) -> String {
    let mut s = word.to_lowercase();
    if !s.is_ascii() {
        for (old, new) in TONE_PLACEMENT {
            if s.contains(old) {
                s = s.replace(old, new);
            }
        }
    }
    s
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// Cuts `text` into words and punctuation marks (whitespace dropped).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if is_word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    it.next();
                } else if matches!(d, '-' | '\'' | '’') {
                    // Inner hyphen or apostrophe: part of the word when a letter follows.
                    let next = text[j + d.len_utf8()..].chars().next();
                    if next.is_some_and(is_word_char) {
                        end = j + d.len_utf8();
                        it.next();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            out.push(Word {
                range: i..end,
                canon: canon(&text[i..end]),
                upper: c.is_uppercase(),
            });
        } else {
            let end = i + c.len_utf8();
            out.push(Word {
                range: i..end,
                canon: c.to_string(),
                upper: false,
            });
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Pat {
    Exact(String),
    Prefix(String),
}

impl Pat {
    fn matches(&self, w: &str) -> bool {
        match self {
            Pat::Exact(p) => p == w,
            Pat::Prefix(p) => w.starts_with(p.as_str()),
        }
    }
}

/// A set of phrases, each with a value, matched word by word.
#[derive(Debug, Clone)]
pub struct PhraseSet<T> {
    phrases: Vec<(Vec<Pat>, T)>,
    by_first: HashMap<String, Vec<usize>>,
    wild_first: Vec<usize>,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            phrases: Vec::new(),
            by_first: HashMap::new(),
            wild_first: Vec::new(),
        }
    }
}

/// A phrase found in a word sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a, T> {
    /// Word indexes `start..end`.
    pub words: Range<usize>,
    pub value: &'a T,
}

impl<T> PhraseSet<T> {
    /// Adds `phrase` (cut into words like a sentence; `*` ends a prefix word).
    pub fn insert(&mut self, phrase: &str, value: T) {
        let pats: Vec<Pat> = phrase
            .split_whitespace()
            .flat_map(|w| {
                let wild = w.ends_with('*') && w.len() > 1;
                let w = w.trim_end_matches('*');
                let mut parts: Vec<Pat> =
                    words(w).into_iter().map(|x| Pat::Exact(x.canon)).collect();
                if wild && let Some(Pat::Exact(last)) = parts.pop() {
                    parts.push(Pat::Prefix(last));
                }
                parts
            })
            .collect();
        if pats.is_empty() {
            return;
        }
        let idx = self.phrases.len();
        match &pats[0] {
            Pat::Exact(w) => self.by_first.entry(w.clone()).or_default().push(idx),
            Pat::Prefix(_) => self.wild_first.push(idx),
        }
        self.phrases.push((pats, value));
    }

    /// True when no phrase was added.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The longest phrase that starts at word `at`, if any.
    pub fn longest_at<'a>(&'a self, ws: &[Word], at: usize) -> Option<Found<'a, T>> {
        let first = &ws.get(at)?.canon;
        let mut best: Option<(usize, usize)> = None;
        let exact = self
            .by_first
            .get(first.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for &i in exact.iter().chain(self.wild_first.iter()) {
            let pats = &self.phrases[i].0;
            if at + pats.len() > ws.len() {
                continue;
            }
            if pats.iter().zip(&ws[at..]).all(|(p, w)| p.matches(&w.canon))
                && best.is_none_or(|(len, _)| pats.len() > len)
            {
                best = Some((pats.len(), i));
            }
        }
        best.map(|(len, i)| Found {
            words: at..at + len,
            value: &self.phrases[i].1,
        })
    }

    /// Every longest, non-overlapping phrase in `ws`, left to right.
    pub fn find_all<'a>(&'a self, ws: &[Word]) -> Vec<Found<'a, T>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            // Prefer the longest match starting here or overlapping it from the left.
            match self.longest_at(ws, i) {
                Some(f) => {
                    i = f.words.end;
                    out.push(f);
                }
                None => i += 1,
            }
        }
        out
    }

    /// True when some phrase ends exactly at word `end` (exclusive) and starts at or after
    /// `from`.
    pub fn ends_at(&self, ws: &[Word], from: usize, end: usize) -> bool {
        (from..end).any(|s| {
            self.longest_at(&ws[..end], s)
                .is_some_and(|f| f.words.end == end)
        })
    }

    /// True when some phrase occurs within words `range`.
    pub fn occurs_in(&self, ws: &[Word], range: Range<usize>) -> bool {
        let end = range.end.min(ws.len());
        (range.start..end).any(|s| self.longest_at(&ws[..end], s).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_ranges_and_inner_hyphens() {
        let t = "Import-export rose; khoa học - kỹ thuật, didn't.";
        let ws = words(t);
        let c: Vec<&str> = ws.iter().map(|w| w.canon.as_str()).collect();
        assert_eq!(
            c,
            [
                "import-export",
                "rose",
                ";",
                "khoa",
                "học",
                "-",
                "kỹ",
                "thuật",
                ",",
                "didn't",
                "."
            ]
        );
        for w in &ws {
            assert_eq!(canon(&t[w.range.clone()]), w.canon);
        }
    }

    #[test]
    fn tone_placements_are_one() {
        assert_eq!(canon("Hoá"), canon("hóa"));
        assert_eq!(canon("Uỷ"), canon("ủy"));
    }

    #[test]
    fn phrases_match_longest_with_wildcards() {
        let mut p = PhraseSet::default();
        p.insert("visit*", 1);
        p.insert("thăm", 2);
        p.insert("thăm dò", 0);
        p.insert("установ* дипломатическ*", 3);
        let ws = words("He visited; thăm dò; thăm Liên Xô; установили дипломатические");
        let found: Vec<i32> = p.find_all(&ws).iter().map(|f| *f.value).collect();
        assert_eq!(found, [1, 0, 2, 3]);
    }
}
