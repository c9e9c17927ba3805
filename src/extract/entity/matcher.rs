//! Matching: one Aho-Corasick automaton over the folded keys of every alias (and their
//! hyphen-joined and OCR-damaged forms), run over folded streams of the clean text. Each hit
//! on word boundaries becomes a [`Hit`] for verification ([`super::verify`]).

use super::gazetteer::{AliasKind, Gazetteer};
use super::ocr;
use super::variants::{self, is_dash, is_sep};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;
use std::ops::Range;

/// What one automaton pattern stands for.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub entity: u32,
    pub alias: u32,
    /// The confidence of the OCR confusion, for a damaged key.
    pub fuzzy: Option<f32>,
}

/// A raw hit: a clean-text range whose folded form is a key.
#[derive(Debug, Clone)]
pub struct Hit {
    pub range: Range<usize>,
    pub target: Target,
}

/// The automaton and its targets.
pub struct Matcher {
    ac: AhoCorasick,
    targets: Vec<Vec<Target>>,
    keys: HashMap<String, usize>,
}

impl Matcher {
    pub fn build(g: &Gazetteer) -> Matcher {
        let mut exact: HashMap<String, Vec<Target>> = HashMap::new();
        for (ei, e) in g.entities.iter().enumerate() {
            for (ai, a) in e.aliases.iter().enumerate() {
                let t = Target {
                    entity: ei as u32,
                    alias: ai as u32,
                    fuzzy: None,
                };
                let k = variants::key(&a.text);
                let kj = variants::joined_key(&a.text);
                for k in [k, kj] {
                    if k.is_empty() {
                        continue;
                    }
                    let v = exact.entry(k).or_default();
                    if !v.iter().any(|x| x.entity == t.entity && x.alias == t.alias) {
                        v.push(t);
                    }
                }
            }
        }
        let mut fuzzy: HashMap<String, Vec<Target>> = HashMap::new();
        let common: std::collections::HashSet<String> = g
            .context
            .common_words
            .iter()
            .map(|w| variants::key(w))
            .collect();
        for (ei, e) in g.entities.iter().enumerate() {
            for (ai, a) in e.aliases.iter().enumerate() {
                if !a.kind.standalone()
                    || a.kind == AliasKind::Abbreviation
                    || a.generated
                    || a.ambiguous
                {
                    continue;
                }
                for (k, conf) in ocr::MODEL.variants(&a.text) {
                    if exact.contains_key(&k) || common.contains(&k) {
                        continue;
                    }
                    let v = fuzzy.entry(k).or_default();
                    if !v.iter().any(|x| x.entity == ei as u32) {
                        v.push(Target {
                            entity: ei as u32,
                            alias: ai as u32,
                            fuzzy: Some(conf),
                        });
                    }
                }
            }
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut keys = HashMap::new();
        let mut all: Vec<(String, Vec<Target>)> = exact.into_iter().chain(fuzzy).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, t) in all {
            keys.insert(k.clone(), patterns.len());
            patterns.push(k);
            targets.push(t);
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("the gazetteer automaton builds");
        Matcher { ac, targets, keys }
    }

    /// The targets of an exact folded key.
    pub fn targets_of_key(&self, key: &str) -> &[Target] {
        self.keys
            .get(key)
            .map(|&i| self.targets[i].as_slice())
            .unwrap_or(&[])
    }

    /// Number of keys in the automaton.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// True when the automaton has no keys.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Every hit in `text` (clean text), on word boundaries, from both the spaced stream and,
    /// where the text has hyphens inside words, the joined stream.
    pub fn hits(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        self.scan(&Stream::new(text, false), &mut out);
        if has_intra_hyphen(text) {
            self.scan(&Stream::new(text, true), &mut out);
        }
        out.sort_by_key(|h| (h.range.start, h.range.end, h.target.entity, h.target.alias));
        out.dedup_by(|a, b| {
            a.range == b.range
                && a.target.entity == b.target.entity
                && a.target.alias == b.target.alias
        });
        out
    }

    fn scan(&self, s: &Stream, out: &mut Vec<Hit>) {
        for m in self.ac.find_overlapping_iter(&s.text) {
            let (a, b) = (m.start(), m.end());
            let before = s.text[..a].chars().next_back();
            let after = s.text[b..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let range = s.start[a] as usize..s.end[b - 1] as usize;
            for &t in &self.targets[m.pattern().as_usize()] {
                out.push(Hit {
                    range: range.clone(),
                    target: t,
                });
            }
        }
    }
}

fn has_intra_hyphen(text: &str) -> bool {
    let mut prev = ' ';
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_dash(c)
            && prev.is_alphanumeric()
            && (it.peek().is_some_and(|n| n.1.is_alphanumeric())
                || line_break_hyphen(&text[i + c.len_utf8()..]).is_some())
        {
            return true;
        }
        prev = c;
    }
    false
}

/// After a hyphen that ends a word, the bytes of the break to skip when the word goes on
/// past it in lower case: "Mon- golia", "Mon-\ngolia" (a word hyphenated at the end of a
/// line, the line joined by text extraction). At most three spaces and one line break.
fn line_break_hyphen(after: &str) -> Option<usize> {
    let mut newlines = 0;
    for (i, c) in after.char_indices().take(4) {
        if c == '\n' {
            newlines += 1;
        } else if !c.is_whitespace() {
            return (i > 0 && newlines <= 1 && c.is_lowercase()).then_some(i);
        }
    }
    None
}

/// The chars below this have their folded form in [`FOLDED`].
const TABLE: usize = 0x2000;

/// The folded form of every char below [`TABLE`] (Latin with its diacritics, Vietnamese,
/// Cyrillic) when it is one char, else '\0': folding the text is a table look-up, not a
/// Unicode decomposition per char.
static FOLDED: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
    (0..TABLE as u32)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return '\0';
            };
            let mut f = String::new();
            crate::text::fold::fold_char_into(c, &mut f);
            let mut it = f.chars();
            match (it.next(), it.next()) {
                (Some(x), None) => x,
                _ => '\0',
            }
        })
        .collect()
});

/// The one-char folded form of `c`, from the table.
#[inline]
fn fast_fold(c: char) -> Option<char> {
    let u = c as usize;
    if u < 128 {
        return Some(c.to_ascii_lowercase());
    }
    let f = *FOLDED.get(u)?;
    (f != '\0').then_some(f)
}

/// The folded form of a text with, for each of its bytes, the clean range of its source char.
struct Stream {
    text: String,
    start: Vec<u32>,
    end: Vec<u32>,
}

impl Stream {
    fn new(clean: &str, joined: bool) -> Stream {
        let mut text = String::with_capacity(clean.len());
        let mut start = Vec::with_capacity(clean.len());
        let mut end = Vec::with_capacity(clean.len());
        let mut pending: Option<(usize, usize)> = None;
        let mut prev = ' ';
        let mut buf = String::new();
        let mut it = clean.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            let next = it.peek().map(|x| x.1);
            let was = prev;
            prev = c;
            if joined && is_dash(c) && was.is_alphanumeric() {
                if next.is_some_and(|n| n.is_alphanumeric()) {
                    continue;
                }
                if let Some(skip) = line_break_hyphen(&clean[i + c.len_utf8()..]) {
                    // "Mon- golia": the break goes with the hyphen.
                    let resume = i + c.len_utf8() + skip;
                    while it.peek().is_some_and(|&(j, _)| j < resume) {
                        it.next();
                    }
                    continue;
                }
            }
            if is_sep(c) {
                if pending.is_none() {
                    pending = Some((i, i + c.len_utf8()));
                }
                continue;
            }
            if let Some((ps, pe)) = pending.take() {
                text.push(' ');
                start.push(ps as u32);
                end.push(pe as u32);
            }
            buf.clear();
            let ce = i + c.len_utf8();
            let c = match c {
                '’' | '‘' | 'ʼ' | '`' => '\'',
                _ => c,
            };
            if let Some(f) = fast_fold(c) {
                for _ in 0..f.len_utf8() {
                    start.push(i as u32);
                    end.push(ce as u32);
                }
                text.push(f);
                continue;
            }
            crate::text::fold::fold_char_into(c, &mut buf);
            for _ in 0..buf.len() {
                start.push(i as u32);
                end.push(ce as u32);
            }
            text.push_str(&buf);
        }
        Stream { text, start, end }
    }
}
