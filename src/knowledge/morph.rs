//! Russian morphology for matching: the oblique-case forms of a nominative name, so that
//! "Хо Ши Мина", "Ле Зуаном", "Монголии", "Кубе", "Советского Союза" or "Адмиралтейских
//! верфей" match the entry written in the nominative.
//!
//! The paradigms are data (`data/gazetteer/morph_ru.toml`, endings by class); this module
//! decides which words of a name decline and how (the shape of the name, [`Shape`]), and for
//! common nouns checks each generated form against the Snowball stemmer (`rust-stemmers`): a
//! form whose stem differs from the nominative's is not a form of that noun and is dropped.

use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;
use std::sync::LazyLock;

/// How a name declines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A Russian personal name: every word declines, the last as a surname ("Леонид Ильич
    /// Брежнев" → "Леонида Ильича Брежнева").
    Person,
    /// A foreign personal name written in Russian: only the last word declines, and only
    /// when it ends in a consonant, "а" or "я" ("Хо Ши Мин" → "Хо Ши Мина").
    ForeignPerson,
    /// Any other name: agreeing adjectives and the head noun decline, the words after the head
    /// (genitive complements) stay ("Коммунистическая партия Советского Союза" →
    /// "Коммунистической партии Советского Союза").
    Phrase,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Paradigm {
    class: String,
    ending: String,
    cases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    indeclinable_endings: Vec<String>,
    paradigm: Vec<Paradigm>,
}

static DATA: LazyLock<Data> = LazyLock::new(|| {
    let mut d: Data = toml::from_str(include_str!("../../data/gazetteer/morph_ru.toml"))
        .expect("data/gazetteer/morph_ru.toml is valid");
    // Longest ending first, so the first that fits is the most specific.
    d.paradigm
        .sort_by_key(|p| std::cmp::Reverse(p.ending.chars().count()));
    d
});

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));

/// The number of cases a paradigm lists (genitive, dative, accusative, instrumental,
/// prepositional).
const CASES: usize = 5;

fn cyrillic_word(w: &str) -> bool {
    w.chars().all(super::translit::is_cyrillic) && w.chars().any(char::is_lowercase)
}

/// The case forms of one word of class `class` (or of any of `classes`, first fitting wins):
/// one list of spellings per case; None when no paradigm fits.
fn word_cases(w: &str, classes: &[&str]) -> Option<Vec<Vec<String>>> {
    let lw = w.to_lowercase();
    let p = DATA
        .paradigm
        .iter()
        .filter(|p| classes.contains(&p.class.as_str()))
        .find(|p| lw.ends_with(p.ending.as_str()))?;
    let last_alpha = lw.chars().next_back().is_some_and(char::is_alphabetic);
    if !last_alpha {
        return None;
    }
    // Keep the written stem (its case) and replace the ending.
    let k = p.ending.chars().count();
    let nchars = w.chars().count();
    let cut = w.char_indices().nth(nchars - k).map_or(w.len(), |(i, _)| i);
    let stem = &w[..cut];
    let common = w.chars().next().is_some_and(char::is_lowercase);
    let nom_stem = STEMMER.stem(&lw).into_owned();
    let cases = p
        .cases
        .iter()
        .take(CASES)
        .map(|alts| {
            alts.split('|')
                .map(|e| format!("{stem}{e}"))
                .filter(|f| !common || STEMMER.stem(&f.to_lowercase()) == nom_stem)
                .collect()
        })
        .collect();
    Some(cases)
}

/// The case forms of the last hyphen part of a word ("Улан-Батор" → "Улан-Батора").
fn hyphened_cases(w: &str, classes: &[&str]) -> Option<Vec<Vec<String>>> {
    match w.rfind('-') {
        Some(i) => {
            let (head, last) = (&w[..=i], &w[i + 1..]);
            if !cyrillic_word(last) {
                return None;
            }
            let c = word_cases(last, classes)?;
            Some(
                c.into_iter()
                    .map(|alts| alts.into_iter().map(|a| format!("{head}{a}")).collect())
                    .collect(),
            )
        }
        None => word_cases(w, classes),
    }
}

fn indeclinable(w: &str) -> bool {
    let lw = w.to_lowercase();
    DATA.indeclinable_endings
        .iter()
        .any(|e| lw.ends_with(e.as_str()))
        && !["ство", "ие", "ье"].iter().any(|e| lw.ends_with(e))
}

fn adjective_ending(w: &str) -> bool {
    let lw = w.to_lowercase();
    DATA.paradigm
        .iter()
        .any(|p| p.class == "adjective" && lw.ends_with(p.ending.as_str()))
}

/// The oblique-case forms of a Russian name in the nominative (the name itself excluded),
/// or nothing for a name that is not Cyrillic or does not decline.
pub fn ru_forms(name: &str, shape: Shape) -> Vec<String> {
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Per word: Some(cases) when it declines, None when it stays.
    let mut decl: Vec<Option<Vec<Vec<String>>>> = vec![None; words.len()];
    let n = words.len();
    match shape {
        Shape::Person => {
            for (i, w) in words.iter().enumerate() {
                let base = w.rsplit('-').next().unwrap_or(w);
                if !cyrillic_word(base) {
                    continue;
                }
                let classes: &[&str] = if i + 1 == n {
                    &["indeclinable", "surname", "adjective", "noun"]
                } else {
                    &["noun"]
                };
                if i + 1 < n && indeclinable(base) {
                    continue;
                }
                decl[i] = hyphened_cases(w, classes);
            }
        }
        Shape::ForeignPerson => {
            let w = words[n - 1];
            let lw = w.to_lowercase();
            if cyrillic_word(w) && !indeclinable(w) && !lw.ends_with(['о', 'ы']) {
                decl[n - 1] = hyphened_cases(w, &["noun"]);
            }
        }
        Shape::Phrase => {
            for (i, w) in words.iter().enumerate() {
                let base = w.rsplit('-').next().unwrap_or(w);
                if !cyrillic_word(base) {
                    break;
                }
                let agreeing = i + 1 < n
                    && adjective_ending(base)
                    && cyrillic_word(words[i + 1].rsplit('-').next().unwrap_or(""));
                if agreeing {
                    decl[i] = hyphened_cases(w, &["adjective"]);
                    continue;
                }
                if n == 1 && indeclinable(base) {
                    break;
                }
                decl[i] = hyphened_cases(w, &["noun"]);
                break;
            }
        }
    }
    if decl.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for case in 0..CASES {
        let mut forms: Vec<String> = vec![String::new()];
        for (i, w) in words.iter().enumerate() {
            let alts: Vec<String> = match &decl[i] {
                Some(c) => c.get(case).cloned().unwrap_or_default(),
                None => vec![(*w).to_string()],
            };
            if alts.is_empty() {
                forms.clear();
                break;
            }
            let mut next = Vec::new();
            for f in &forms {
                for a in &alts {
                    if next.len() < 8 {
                        next.push(if f.is_empty() {
                            a.clone()
                        } else {
                            format!("{f} {a}")
                        });
                    }
                }
            }
            forms = next;
        }
        out.extend(forms);
    }
    out.retain(|f| f != name && !f.is_empty());
    out.sort();
    out.dedup();
    out
}
