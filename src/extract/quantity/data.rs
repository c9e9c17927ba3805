//! The quantity extractor's language knowledge: `data/quantity/{en,vi,ru}.toml`, loaded once
//! into phrase tables that match token sequences forwards (after a number) or backwards
//! (before it).

use super::token::{Tok, phrase_tokens};
use crate::text::lang::Lang;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// Phrases (token sequences) with a value, matched at or ending at a token.
#[derive(Debug)]
pub struct Phrases<T> {
    first: HashMap<String, Vec<(Vec<String>, T)>>,
    last: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            first: HashMap::new(),
            last: HashMap::new(),
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

impl QData {
    /// A label marker ("p.", "tr.", "Article") ends at token `k`.
    pub fn marker_ending(&self, toks: &[Tok], k: usize) -> bool {
        match self.markers.ending(toks, k) {
            Some((n, _)) => self
                .marker_exceptions
                .ending(toks, k)
                .is_none_or(|(m, _)| m <= n),
            None => false,
        }
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

    pub fn contains_at(&self, toks: &[Tok], i: usize) -> bool {
        self.at(toks, i).is_some()
    }

    pub fn contains_ending(&self, toks: &[Tok], i: usize) -> bool {
        self.ending(toks, i).is_some()
    }
}

/// A unit: the normalized code, an optional qualifier, and for counted things their label.
#[derive(Debug, Clone)]
pub struct Unit {
    pub unit: &'static str,
    pub qualifier: Option<String>,
    pub counted: Option<String>,
}

#[derive(Deserialize)]
struct UnitFile {
    unit: String,
    #[serde(default)]
    qualifier: Option<String>,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    prefix: Vec<String>,
}

#[derive(Deserialize)]
struct MeasureFile {
    label: String,
    words: Vec<String>,
}

#[derive(Deserialize)]
struct Lists {
    definite: Vec<String>,
    markers: Vec<String>,
    #[serde(default)]
    marker_exceptions: Vec<String>,
    months: Vec<String>,
    date_markers: Vec<String>,
    relative_after: Vec<String>,
    relative_before: Vec<String>,
    range_joins: Vec<String>,
    range_needs_open: Vec<String>,
    range_open: Vec<String>,
    not_counted: Vec<String>,
    of_join: Vec<String>,
    /// Words that introduce a comparison's baseline ("so với", "compared with").
    #[serde(default)]
    comparison: Vec<String>,
}

#[derive(Deserialize)]
struct QFile {
    code: String,
    decimal: String,
    space_groups: bool,
    plural_fallback: bool,
    #[serde(default = "yes")]
    word_counted: bool,
    approx: BTreeMap<String, String>,
    scales: BTreeMap<String, f64>,
    number_words: BTreeMap<String, f64>,
    multiplier_words: BTreeMap<String, f64>,
    lists: Lists,
    unit: Vec<UnitFile>,
    counted: Vec<UnitFile>,
    measure: Vec<MeasureFile>,
}

/// What the quantity engine knows about one language.
#[derive(Debug)]
pub struct QData {
    /// The decimal mark is "," when the text does not tell.
    pub decimal_comma: bool,
    pub space_groups: bool,
    pub plural_fallback: bool,
    /// A number in words may count things ("two ships"), not only units ("hai năm").
    pub word_counted: bool,
    pub approx: Phrases<String>,
    pub scales: Phrases<f64>,
    pub number_words: Phrases<f64>,
    pub multiplier_words: Phrases<f64>,
    pub definite: Phrases<()>,
    pub markers: Phrases<()>,
    pub marker_exceptions: Phrases<()>,
    pub months: Phrases<()>,
    pub date_markers: Phrases<()>,
    pub relative_after: Phrases<()>,
    pub relative_before: Phrases<()>,
    pub range_joins: Phrases<()>,
    pub range_needs_open: Phrases<()>,
    pub range_open: Phrases<()>,
    pub not_counted: Phrases<()>,
    pub of_join: Phrases<()>,
    pub units: Phrases<Unit>,
    pub prefix_units: Phrases<Unit>,
    pub counted: Phrases<Unit>,
    pub measures: Phrases<String>,
    /// Lowercased comparison markers.
    pub comparison: Vec<String>,
}

fn yes() -> bool {
    true
}

/// Every unit code a quantity can carry ("other" for a unit the data names but the code
/// does not know).
pub const UNIT_CODES: &[&str] = &[
    "RUB", "USD", "person", "tonne", "m2", "m3", "percent", "times", "count", "year", "other",
];

fn unit_code(s: &str) -> &'static str {
    UNIT_CODES
        .iter()
        .find(|c| **c == s)
        .copied()
        .unwrap_or("other")
}

fn set(words: &[String]) -> Phrases<()> {
    let mut p = Phrases::default();
    for w in words {
        p.insert(w, ());
    }
    p
}

fn map<T: Clone>(m: &BTreeMap<String, T>) -> Phrases<T> {
    let mut p = Phrases::default();
    for (k, v) in m {
        p.insert(k, v.clone());
    }
    p
}

fn load(src: &str, want: &str) -> QData {
    let f: QFile = toml::from_str(src).expect("embedded quantity data is valid TOML");
    assert_eq!(f.code, want, "quantity data file holds the wrong language");
    let mut units = Phrases::default();
    let mut prefix_units = Phrases::default();
    for u in &f.unit {
        let unit = Unit {
            unit: unit_code(&u.unit),
            qualifier: u.qualifier.clone(),
            counted: None,
        };
        for w in &u.words {
            units.insert(w, unit.clone());
        }
        for w in &u.prefix {
            prefix_units.insert(w, unit.clone());
        }
    }
    let mut counted = Phrases::default();
    for c in &f.counted {
        for w in &c.words {
            counted.insert(
                w,
                Unit {
                    unit: unit_code(&c.unit),
                    qualifier: None,
                    counted: Some(w.to_lowercase()),
                },
            );
        }
    }
    let mut measures = Phrases::default();
    for m in &f.measure {
        for w in &m.words {
            measures.insert(w, m.label.clone());
        }
    }
    let l = &f.lists;
    QData {
        decimal_comma: f.decimal == "comma",
        space_groups: f.space_groups,
        plural_fallback: f.plural_fallback,
        word_counted: f.word_counted,
        approx: map(&f.approx),
        scales: map(&f.scales),
        number_words: map(&f.number_words),
        multiplier_words: map(&f.multiplier_words),
        definite: set(&l.definite),
        markers: set(&l.markers),
        marker_exceptions: set(&l.marker_exceptions),
        months: set(&l.months),
        date_markers: set(&l.date_markers),
        relative_after: set(&l.relative_after),
        relative_before: set(&l.relative_before),
        range_joins: set(&l.range_joins),
        range_needs_open: set(&l.range_needs_open),
        range_open: set(&l.range_open),
        not_counted: set(&l.not_counted),
        of_join: set(&l.of_join),
        units,
        prefix_units,
        counted,
        measures,
        comparison: l.comparison.iter().map(|w| w.to_lowercase()).collect(),
    }
}

static DATA: LazyLock<[QData; 3]> = LazyLock::new(|| {
    [
        load(include_str!("../../../data/quantity/vi.toml"), "vi"),
        load(include_str!("../../../data/quantity/en.toml"), "en"),
        load(include_str!("../../../data/quantity/ru.toml"), "ru"),
    ]
});

/// The quantity knowledge of `lang`.
pub fn data(lang: Lang) -> &'static QData {
    &DATA[lang as usize]
}

/// The most words any comparison marker has.
static MARKER_WORDS: LazyLock<usize> = LazyLock::new(|| {
    DATA.iter()
        .flat_map(|d| d.comparison.iter())
        .map(|m| m.split_whitespace().count())
        .max()
        .unwrap_or(0)
});

/// True when `before` (the text before a timex, within its sentence) ends with a comparison
/// marker of any language, optionally followed by a date word: the timex is a baseline
/// ("so với năm 1980", "compared with 1980", "по сравнению с 1980 годом").
pub fn introduces_comparison(before: &str) -> bool {
    // Only the last words can hold a marker: one more than the longest marker has, so the
    // character before a marker is still in view. (Normalizing the whole text before a
    // timex made a long sentence quadratic.)
    let words = MARKER_WORDS.saturating_add(1);
    let mut tail: Vec<&str> = before.split_whitespace().rev().take(words).collect();
    tail.reverse();
    let norm: String = tail.join(" ").to_lowercase();
    let norm = norm.trim_end();
    DATA.iter().any(|d| {
        d.comparison.iter().any(|m| {
            norm.ends_with(m.as_str())
                && norm[..norm.len() - m.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}
