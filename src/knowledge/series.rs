//! The series knowledge: `data/series/series.toml` (concepts, scopes, units, each named in
//! every language) and the words of each language (`data/series/<code>.toml`, with how a
//! series is named in it), loaded once into a phrase matcher over simple tokens.

use crate::text::lang::{ByLang, Lang};
use crate::text::phrase::{Keyed, PhraseSet};
use crate::text::token::{Kind, Options, tokenize as cut};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What a phrase of the lexicon is.
#[derive(Debug, Clone, PartialEq)]
pub enum Class {
    /// Names a concept (its id).
    Concept(String),
    /// Looks like a concept word but is not one ("sản xuất").
    NotConcept,
    Counterpart,
    /// Vietnam itself.
    Vietnam,
    Total,
    Subset,
    Neutral,
    Blocker,
    Baseline,
    Price,
    CurrentPrices,
    PartialYear,
    Plan,
    Excluding,
    RangeOpen,
    RangeJoin,
    Conjunction,
    TableNeutral,
    /// Before a year that closes a cumulative total ("đến năm 1988").
    UpTo,
    Scale(f64),
    Unit(String),
}

/// A name in every language of the registry, checked at load to hold each language and no
/// other key.
pub type Labels = ByLang<String>;

/// Reads the language-code keys of a record of `data/series/series.toml`.
///
/// # Panics
/// When a language has no name or a key is no language (the data is embedded).
fn read_labels(what: &str, m: BTreeMap<String, String>) -> Labels {
    ByLang::from_codes(m, |l| {
        panic!(
            "data/series/series.toml: {what} has no name in {}",
            l.code()
        )
    })
    .unwrap_or_else(|e| panic!("data/series/series.toml: {what}: {e}"))
}

/// `template` (a language's `series_name`) with its `{concept}`, `{scope}` and `{unit}`
/// filled in.
pub fn fill_name(template: &str, concept: &str, scope: &str, unit: &str) -> String {
    template
        .replace("{concept}", concept)
        .replace("{scope}", scope)
        .replace("{unit}", unit)
}

/// A concept: what is measured.
#[derive(Debug, Clone)]
pub struct Concept {
    pub id: String,
    pub units: Vec<String>,
    pub names: Labels,
}

/// A scope: between whom.
#[derive(Debug, Clone)]
pub struct Scope {
    pub id: String,
    pub names: Labels,
}

#[derive(Deserialize)]
struct RawConcept {
    id: String,
    #[serde(default)]
    units: Vec<String>,
    #[serde(flatten)]
    names: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawScope {
    id: String,
    #[serde(flatten)]
    names: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Defs {
    concept: Vec<RawConcept>,
    scope: Vec<RawScope>,
    units: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LangFile {
    /// How a series is named in this language: `{concept}`, `{scope}` and `{unit}` filled in.
    series_name: String,
    concepts: BTreeMap<String, Vec<String>>,
    not_concepts: Vec<String>,
    counterpart: Vec<String>,
    vietnam: Vec<String>,
    total: Vec<String>,
    subset: Vec<String>,
    neutral: Vec<String>,
    blockers: Vec<String>,
    baseline: Vec<String>,
    price: Vec<String>,
    current_prices: Vec<String>,
    partial_year: Vec<String>,
    plan: Vec<String>,
    excluding: Vec<String>,
    range_open: Vec<String>,
    range_join: Vec<String>,
    conjunctions: Vec<String>,
    table_neutral: Vec<String>,
    up_to: Vec<String>,
    scales: BTreeMap<String, f64>,
    units: BTreeMap<String, String>,
}

/// A token of text: a run of letters and digits (lowercased), one other non-space char, or
/// a marker standing for a fact (a timex or a quantity) by its index.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Word(String),
    Punct(char),
    Timex(usize),
    Quantity(usize),
}

impl Keyed for Tok {
    fn with_key<R>(&self, f: impl FnOnce(Option<&str>) -> R) -> R {
        match self {
            Tok::Word(w) => f(Some(w)),
            Tok::Punct(c) => f(Some(c.encode_utf8(&mut [0; 4]))),
            _ => f(None),
        }
    }
}

/// How the series builder cuts text: numbers as runs of digits (a quantity's own text is
/// read around its digits).
const OPTIONS: Options = Options {
    space_groups: false,
    compounds: false,
    digit_runs: true,
};

/// Cuts `s` into tokens (the one tokenizer's, lowercased; symbols as punctuation).
pub fn tokenize(s: &str, out: &mut Vec<Tok>) {
    out.extend(cut(s, OPTIONS).into_iter().map(|t| match t.kind {
        Kind::Sym => Tok::Punct(t.lower.chars().next().unwrap_or(' ')),
        Kind::Word | Kind::Num => Tok::Word(t.lower),
    }));
}

/// One language's phrases, each with its classes.
#[derive(Debug)]
pub struct Lexicon {
    phrases: PhraseSet<Vec<Class>>,
    /// How a series is named in this language (`{concept}`, `{scope}`, `{unit}`).
    pub series_name: String,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon {
            phrases: PhraseSet::new(OPTIONS),
            series_name: "{scope}: {concept} ({unit})".into(),
        }
    }
}

impl Lexicon {
    fn insert(&mut self, phrase: &str, class: Class) {
        match self.phrases.get_mut(phrase) {
            Some(cs) => {
                if !cs.contains(&class) {
                    cs.push(class);
                }
            }
            None => self.phrases.insert(phrase, vec![class]),
        }
    }

    /// The longest phrase starting at `toks[i]`: (token count, its classes).
    pub fn at(&self, toks: &[Tok], i: usize) -> Option<(usize, &[Class])> {
        self.phrases
            .longest_at(toks, i)
            .map(|f| (f.toks.len(), f.value.as_slice()))
    }

    /// True when some phrase with class `c` starts anywhere in `toks` (not only the
    /// longest one at its place: "của Việt Nam" is neutral and also names Vietnam).
    pub fn mentions(&self, toks: &[Tok], c: &Class) -> bool {
        (0..toks.len()).any(|i| {
            self.phrases
                .all_at(toks, i)
                .iter()
                .any(|f| f.value.contains(c))
        })
    }
    fn from_file(lang: Lang, f: LangFile) -> Lexicon {
        let mut l = Lexicon {
            series_name: f.series_name.clone(),
            ..Lexicon::default()
        };
        let file = format!("data/series/{lang}.toml");
        for (id, words) in &f.concepts {
            for w in super::domain::expand(&file, lang, words) {
                l.insert(&w, Class::Concept(id.clone()));
            }
        }
        let lists: [(&Vec<String>, Class); 18] = [
            (&f.up_to, Class::UpTo),
            (&f.not_concepts, Class::NotConcept),
            (&f.vietnam, Class::Vietnam),
            (&f.counterpart, Class::Counterpart),
            (&f.total, Class::Total),
            (&f.subset, Class::Subset),
            (&f.neutral, Class::Neutral),
            (&f.blockers, Class::Blocker),
            (&f.baseline, Class::Baseline),
            (&f.price, Class::Price),
            (&f.current_prices, Class::CurrentPrices),
            (&f.partial_year, Class::PartialYear),
            (&f.plan, Class::Plan),
            (&f.excluding, Class::Excluding),
            (&f.range_open, Class::RangeOpen),
            (&f.range_join, Class::RangeJoin),
            (&f.conjunctions, Class::Conjunction),
            (&f.table_neutral, Class::TableNeutral),
        ];
        for (words, class) in lists {
            for w in words {
                l.insert(w, class.clone());
            }
        }
        for (w, s) in &f.scales {
            l.insert(w, Class::Scale(*s));
        }
        for (w, u) in &f.units {
            l.insert(w, Class::Unit(u.clone()));
        }
        l
    }
}

/// Everything the series builder knows.
#[derive(Debug)]
pub struct Knowledge {
    pub concepts: Vec<Concept>,
    pub scopes: Vec<Scope>,
    /// Each unit's names.
    pub units: BTreeMap<String, Labels>,
    /// Per language, by [`Lang::index`].
    langs: Vec<Lexicon>,
}

impl Knowledge {
    /// The lexicon of a language.
    pub fn lexicon(&self, lang: Lang) -> &Lexicon {
        &self.langs[lang.index()]
    }

    /// A concept by id.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    /// A scope by id.
    pub fn scope(&self, id: &str) -> Option<&Scope> {
        self.scopes.iter().find(|c| c.id == id)
    }
}

fn parse_lang(lang: Lang, src: &str) -> Lexicon {
    let f: LangFile =
        toml::from_str(src).unwrap_or_else(|e| panic!("data/series/{lang}.toml is invalid: {e}"));
    Lexicon::from_file(lang, f)
}

/// The knowledge, loaded once.
pub fn knowledge() -> &'static Knowledge {
    static K: LazyLock<Knowledge> = LazyLock::new(|| {
        let defs: Defs = toml::from_str(
            crate::data::file("series/series.toml").expect("data/series/series.toml is embedded"),
        )
        .unwrap_or_else(|e| panic!("data/series/series.toml is invalid: {e}"));
        let langs = Lang::all()
            .iter()
            .map(|l| parse_lang(*l, crate::data::required_lang_file("series", l.code())))
            .collect();
        Knowledge {
            concepts: defs
                .concept
                .into_iter()
                .map(|c| Concept {
                    names: read_labels(&format!("concept {}", c.id), c.names),
                    id: c.id,
                    units: c.units,
                })
                .collect(),
            scopes: defs
                .scope
                .into_iter()
                .map(|s| Scope {
                    names: read_labels(&format!("scope {}", s.id), s.names),
                    id: s.id,
                })
                .collect(),
            units: defs
                .units
                .into_iter()
                .map(|(u, names)| {
                    let names = read_labels(&format!("unit {u}"), names);
                    (u, names)
                })
                .collect(),
            langs,
        }
    });
    &K
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every concept, scope and unit is named in every language of the registry; a record
    /// missing one, or holding a key that is no language, is refused.
    #[test]
    fn names_are_maps_by_language() {
        let k = knowledge();
        let all = k
            .concepts
            .iter()
            .map(|c| &c.names)
            .chain(k.scopes.iter().map(|s| &s.names))
            .chain(k.units.values());
        for names in all {
            for &l in Lang::all() {
                assert!(!names.get(l).trim().is_empty(), "{names:?} in {l}");
            }
        }
        let m = |kv: &[(&str, &str)]| {
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let full = m(&[("en", "trade"), ("vi", "thương mại"), ("ru", "торговля")]);
        assert_eq!(
            read_labels("x", full.clone()).get(Lang::of("ru")),
            "торговля"
        );
        let missing = m(&[("en", "trade"), ("vi", "thương mại")]);
        assert!(std::panic::catch_unwind(|| read_labels("x", missing)).is_err());
        let mut extra = full;
        extra.insert("fr".into(), "commerce".into());
        assert!(std::panic::catch_unwind(|| read_labels("x", extra)).is_err());
    }

    /// A series is named by its language's pattern: Vietnamese puts the concept first.
    #[test]
    fn series_names_follow_each_languages_pattern() {
        let k = knowledge();
        let name = |code: &str| {
            let l = Lang::of(code);
            fill_name(&k.lexicon(l).series_name, "C", "S", "U")
        };
        assert_eq!(name("en"), "S: C (U)");
        assert_eq!(name("vi"), "C, S (U)");
        assert_eq!(name("ru"), "S: C (U)");
    }

    #[test]
    fn data_loads_and_every_concept_word_names_a_defined_concept() {
        let k = knowledge();
        for lex in &k.langs {
            for c in lex.phrases.values().flatten() {
                if let Class::Concept(id) = c {
                    assert!(k.concept(id).is_some(), "undefined concept {id}");
                }
                if let Class::Unit(u) = c {
                    assert!(k.units.contains_key(u), "undefined unit {u}");
                }
            }
        }
    }

    #[test]
    fn longest_phrase_wins() {
        let k = knowledge();
        let mut t = Vec::new();
        tokenize("Tổng kim ngạch xuất khẩu của Việt Nam", &mut t);
        let (n, cs) = k.lexicon(Lang::of("vi")).at(&t, 0).unwrap();
        assert_eq!(n, 8);
        assert!(cs.contains(&Class::Concept("exports".into())));
        assert!(cs.contains(&Class::Total));
        t.clear();
        tokenize("sản xuất", &mut t);
        assert_eq!(
            k.lexicon(Lang::of("vi")).at(&t, 0).unwrap().1,
            &[Class::NotConcept]
        );
    }
}
