//! The quantity extractor's language knowledge: `data/quantity/{en,vi,ru}.toml`, loaded once
//! into phrase tables that match token sequences forwards (after a number) or backwards
//! (before it).

use super::numeral::{Builder, Numerals, Roles};
use super::phrases::Lookup;
pub use super::phrases::Phrases;
use super::token::Tok;
use crate::text::lang::Lang;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

impl QData {
    /// Whether `w` can start a scale word, a unit or a counted thing.
    pub fn knows(&self, w: &str) -> bool {
        self.scales.has_first(w) || self.units.has_first(w) || self.counted.has_first(w)
    }

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
    /// Dictionary forms whose every form (from the generated forms table) is a word of the
    /// unit: "скважина" gives "скважин", "скважинам", …
    #[serde(default)]
    lemmas: Vec<String>,
    #[serde(default)]
    prefix: Vec<String>,
}

/// The number words of a language (see [`super::numeral`]); in a language with a generated
/// forms table, each key is a dictionary form standing for all its forms.
#[derive(Deserialize, Default)]
struct NumeralFile {
    #[serde(default)]
    cardinal: BTreeMap<String, f64>,
    /// Cardinals that only continue a number ("mốt" in "hai mươi mốt").
    #[serde(default)]
    inner: BTreeMap<String, f64>,
    #[serde(default)]
    multiplier: BTreeMap<String, f64>,
    #[serde(default)]
    ordinal: BTreeMap<String, f64>,
    #[serde(default)]
    denominator: BTreeMap<String, f64>,
    #[serde(default)]
    fraction: BTreeMap<String, f64>,
    #[serde(default)]
    one: Vec<String>,
    #[serde(default)]
    joiners: Vec<String>,
    #[serde(default)]
    over: Vec<String>,
    #[serde(default)]
    half: Vec<String>,
    #[serde(default)]
    ordinal_prefix: Vec<String>,
}

/// The generated forms table (`data/quantity/generated/{lang}.toml`).
#[derive(Deserialize, Default)]
struct FormsFile {
    #[serde(default)]
    forms: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct MeasureFile {
    label: String,
    words: Vec<String>,
    /// A change of something ("growth"), not a level: an amount of money or things is the
    /// level of what the sentence names before it ("trade grew by 31% and reached $3.55
    /// billion": the $3.55 billion is trade).
    #[serde(default)]
    relative: bool,
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
    /// Words after a fraction that make it a part of something ("a third of").
    #[serde(default)]
    fraction_of: Vec<String>,
    /// Number words that are also an article ("một", "один"): they count only a unit proper.
    #[serde(default)]
    article_numbers: Vec<String>,
    /// Nouns that after "two" name the two parties of a relation ("hai nước", "two sides").
    #[serde(default)]
    pair_nouns: Vec<String>,
    /// Spans of time: a fraction of one is a duration, not a part of something ("a quarter
    /// of a century", "четверть века", "nửa thế kỷ"). Russian entries are dictionary forms.
    #[serde(default)]
    time_spans: Vec<String>,
    /// Short words that may stand between a fraction and its noun ("of", "a").
    #[serde(default)]
    fraction_gap: Vec<String>,
}

#[derive(Deserialize)]
struct QFile {
    code: String,
    space_groups: bool,
    plural_fallback: bool,
    /// Endings of a plural noun that, after a number, is what it counts ("provinces",
    /// "направлениям"), and endings that are no plural ("-ss").
    #[serde(default)]
    plural_suffixes: Vec<String>,
    #[serde(default)]
    plural_exceptions: Vec<String>,
    /// Endings of an adjective that agrees with a counted noun it stands before
    /// ("вьетнамских студентов"): words skipped on the way to the noun.
    #[serde(default)]
    modifier_suffixes: Vec<String>,
    #[serde(default = "yes")]
    word_counted: bool,
    /// A fraction in words measures the noun right after it ("две трети экспорта").
    #[serde(default)]
    fraction_before_noun: bool,
    approx: BTreeMap<String, String>,
    scales: BTreeMap<String, f64>,
    #[serde(default)]
    numeral: NumeralFile,
    multiplier_words: BTreeMap<String, f64>,
    lists: Lists,
    unit: Vec<UnitFile>,
    counted: Vec<UnitFile>,
    measure: Vec<MeasureFile>,
}

/// What the quantity engine knows about one language.
#[derive(Debug)]
pub struct QData {
    pub space_groups: bool,
    pub plural_fallback: bool,
    pub plural_suffixes: Vec<String>,
    pub plural_exceptions: Vec<String>,
    /// Endings of a modifier that agrees with the counted noun after it (any word, where
    /// `plural_fallback`).
    pub modifier_suffixes: Vec<String>,
    /// A number in words may count things ("two ships"), not only units ("hai năm").
    pub word_counted: bool,
    pub fraction_before_noun: bool,
    pub approx: Phrases<String>,
    pub scales: Phrases<f64>,
    /// Numbers in words.
    pub numerals: Numerals,
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
    pub fraction_of: Phrases<()>,
    pub article_numbers: Phrases<()>,
    pub pair_nouns: Phrases<()>,
    pub time_spans: Phrases<()>,
    pub fraction_gap: Phrases<()>,
    pub units: Phrases<Unit>,
    pub prefix_units: Phrases<Unit>,
    pub counted: Phrases<Unit>,
    pub measures: Phrases<String>,
    /// The labels of measures that are changes ("growth"), not levels.
    pub relative_measures: std::collections::HashSet<String>,
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

/// The words of a unit entry: its `words`, and every form of each of its `lemmas`.
fn unit_words<'a>(u: &'a UnitFile, forms: &'a FormsFile) -> impl Iterator<Item = &'a String> {
    u.words
        .iter()
        .chain(u.lemmas.iter().flat_map(move |l| forms_of(forms, l)))
}

/// Every form of `word` the forms table knows, else the word itself.
fn forms_of<'a>(forms: &'a FormsFile, word: &'a String) -> &'a [String] {
    forms
        .forms
        .get(word)
        .map_or(std::slice::from_ref(word), Vec::as_slice)
}

fn numerals(f: &QFile, forms: &FormsFile) -> Numerals {
    let n = &f.numeral;
    let mut b = Builder::default();
    let mut table = |m: &BTreeMap<String, f64>, role: fn(f64) -> Roles| {
        for (k, &v) in m {
            for w in forms_of(forms, k) {
                b.add(w, role(v));
            }
        }
    };
    table(&n.cardinal, |v| Roles {
        card: Some(v),
        ..Roles::default()
    });
    table(&n.inner, |v| Roles {
        card: Some(v),
        inner: true,
        ..Roles::default()
    });
    table(&n.multiplier, |v| Roles {
        mult: Some(v),
        ..Roles::default()
    });
    table(&n.ordinal, |v| Roles {
        ord: Some(v),
        ..Roles::default()
    });
    table(&n.denominator, |v| Roles {
        denom: Some(v),
        ..Roles::default()
    });
    table(&n.fraction, |v| Roles {
        fraction: Some(v),
        ..Roles::default()
    });
    table(&f.scales, |v| Roles {
        scale: Some(v),
        ..Roles::default()
    });
    let mut flag = |words: &[String], role: Roles| {
        for k in words {
            for w in forms_of(forms, k) {
                b.add(w, role);
            }
        }
    };
    flag(
        &n.one,
        Roles {
            one: true,
            ..Roles::default()
        },
    );
    flag(
        &n.joiners,
        Roles {
            joiner: true,
            ..Roles::default()
        },
    );
    flag(
        &n.over,
        Roles {
            over: true,
            ..Roles::default()
        },
    );
    flag(
        &n.half,
        Roles {
            half: true,
            ..Roles::default()
        },
    );
    flag(
        &n.ordinal_prefix,
        Roles {
            ord_prefix: true,
            ..Roles::default()
        },
    );
    b.build()
}

fn load(src: &str, generated: &str, lang: Lang) -> QData {
    let want = lang.code();
    let f: QFile = toml::from_str(src).expect("embedded quantity data is valid TOML");
    assert_eq!(f.code, want, "quantity data file holds the wrong language");
    let forms: FormsFile =
        toml::from_str(generated).expect("generated quantity data is valid TOML");
    let mut units = Phrases::default();
    let mut prefix_units = Phrases::default();
    for u in &f.unit {
        let unit = Unit {
            unit: unit_code(&u.unit),
            qualifier: u.qualifier.clone(),
            counted: None,
        };
        for w in unit_words(u, &forms) {
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
        // Every form of a lemma counts the lemma ("скважин", "скважинам": "скважина").
        for l in &c.lemmas {
            for w in forms_of(&forms, l) {
                counted.insert(
                    w,
                    Unit {
                        unit: unit_code(&c.unit),
                        qualifier: None,
                        counted: Some(l.to_lowercase()),
                    },
                );
            }
        }
    }
    let mut measures = Phrases::default();
    let mut relative_measures = std::collections::HashSet::new();
    let file = format!("data/quantity/{want}.toml");
    for m in &f.measure {
        for w in crate::knowledge::domain::expand(&file, lang, &m.words) {
            measures.insert(&w, m.label.clone());
        }
        if m.relative {
            relative_measures.insert(m.label.clone());
        }
    }
    let l = &f.lists;
    QData {
        space_groups: f.space_groups,
        plural_fallback: f.plural_fallback,
        plural_suffixes: f.plural_suffixes.clone(),
        plural_exceptions: f.plural_exceptions.clone(),
        modifier_suffixes: f.modifier_suffixes.clone(),
        word_counted: f.word_counted,
        fraction_before_noun: f.fraction_before_noun,
        approx: map(&f.approx),
        scales: {
            let mut p = Phrases::default();
            for (k, &v) in &f.scales {
                for w in forms_of(&forms, k) {
                    p.insert(w, v);
                }
            }
            p
        },
        numerals: numerals(&f, &forms),
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
        fraction_of: set(&l.fraction_of),
        article_numbers: set(&l
            .article_numbers
            .iter()
            .flat_map(|w| forms_of(&forms, w).iter().cloned())
            .collect::<Vec<_>>()),
        pair_nouns: set(&l
            .pair_nouns
            .iter()
            .flat_map(|w| forms_of(&forms, w).iter().cloned())
            .collect::<Vec<_>>()),
        time_spans: set(&l
            .time_spans
            .iter()
            .flat_map(|w| forms_of(&forms, w).iter().cloned())
            .collect::<Vec<_>>()),
        fraction_gap: set(&l.fraction_gap),
        units,
        prefix_units,
        counted,
        measures,
        relative_measures,
        comparison: l.comparison.iter().map(|w| w.to_lowercase()).collect(),
    }
}

static DATA: LazyLock<Vec<QData>> = LazyLock::new(|| {
    Lang::all()
        .iter()
        .map(|l| {
            load(
                crate::data::required_lang_file("quantity", l.code()),
                crate::data::generated_lang_file("quantity", l.code()).unwrap_or(""),
                *l,
            )
        })
        .collect()
});

/// The quantity knowledge of `lang`.
pub fn data(lang: Lang) -> &'static QData {
    &DATA[lang.index()]
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
            // A marker that starts with a sign ("% on" in "grew by 31% on 2016") follows
            // its number directly.
            let signed = m.chars().next().is_some_and(|c| !c.is_alphanumeric());
            norm.ends_with(m.as_str())
                && (signed
                    || norm[..norm.len() - m.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric()))
        })
    })
}

/// The number words of each language's data, read by [`super::numeral`].
#[cfg(test)]
mod numeral_tests {
    use super as data;
    use super::super::token::tokenize;
    use crate::text::lang::Lang;

    fn read(s: &str, lang: Lang) -> Option<(f64, usize, bool)> {
        let toks = tokenize(s, false);
        let n = data::data(lang).numerals.parse(&toks, 0)?;
        Some((n.value, n.len, n.ordinal))
    }

    fn v(s: &str, lang: Lang) -> f64 {
        let toks = tokenize(s, false);
        let n = data::data(lang)
            .numerals
            .parse(&toks, 0)
            .unwrap_or_else(|| panic!("{s:?}: no number"));
        assert_eq!(n.len, toks.len(), "{s:?}: read {n:?}");
        n.value
    }

    #[test]
    fn english_grammar() {
        let en = Lang::of("en");
        assert_eq!(v("twenty-five", en), 25.0);
        assert_eq!(v("one hundred and five", en), 105.0);
        assert_eq!(v("twenty-five hundred", en), 2500.0);
        assert_eq!(v("two million three hundred thousand", en), 2_300_000.0);
        assert_eq!(v("a hundred", en), 100.0);
        assert_eq!(v("twenty-first", en), 21.0);
        assert_eq!(v("two-thirds", en), 2.0 / 3.0);
        assert_eq!(v("a third", en), 1.0 / 3.0);
        assert_eq!(v("two and a half", en), 2.5);
        // "five twenty" is two numbers.
        assert_eq!(read("five twenty", en).map(|r| r.1), Some(1));
        assert!(read("a", en).is_none());
        assert!(read("and", en).is_none());
    }

    #[test]
    fn vietnamese_grammar() {
        let vi = Lang::of("vi");
        assert_eq!(v("hai mươi mốt", vi), 21.0);
        assert_eq!(v("hai trăm năm mươi", vi), 250.0);
        assert_eq!(v("một trăm linh năm", vi), 105.0);
        assert_eq!(v("mười lăm", vi), 15.0);
        assert_eq!(v("hai phần ba", vi), 2.0 / 3.0);
        assert_eq!(v("ba triệu rưỡi", vi), 3_500_000.0);
        assert_eq!(v("một trăm rưỡi", vi), 150.0);
    }

    #[test]
    fn russian_grammar() {
        let ru = Lang::of("ru");
        assert_eq!(v("двадцать пятого", ru), 25.0);
        assert_eq!(v("двухсот пятидесяти", ru), 250.0);
        assert_eq!(v("пять миллиардов триста пятьдесят миллионов", ru), 5.35e9);
        assert_eq!(v("две трети", ru), 2.0 / 3.0);
        assert_eq!(v("три четверти", ru), 0.75);
        assert_eq!(v("две пятых", ru), 0.4);
        assert_eq!(v("полтора миллиона", ru), 1.5e6);
    }
}
