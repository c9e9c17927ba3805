//! The domain lexicon (`data/lexicon/*.toml`): key terms as concepts with their forms in
//! English, Vietnamese and Russian, so that a question's words meet a sentence written in
//! another language. A form is a word sequence; a trailing `*` on a word matches any word
//! that starts so (Russian and English inflection). Multi-word and long forms also match
//! diacritic-folded (a question typed without diacritics); short single words match only as
//! written, since folding joins distinct Vietnamese words.

use crate::text::folded::Tok;
use crate::text::lang::{ByLang, Lang};
use crate::text::phrase::{Pat, PhraseSet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

/// The lexicon files, compiled in.
pub const FILES: [(&str, &str); 1] = [(
    "domain.toml",
    include_str!("../../data/lexicon/domain.toml"),
)];

/// One concept.
#[derive(Debug, Clone)]
pub struct Concept {
    pub id: String,
    /// What a question asking for this noun wants (person, place, name, event,
    /// organization, field, field_noun, measure), if anything.
    pub class: Option<String>,
    /// The quantity unit a measure or counted thing implies.
    pub unit: Option<String>,
    /// English label of a field.
    pub label: Option<String>,
    /// A proper name stands beside this noun ("tỉnh Nghệ An", "pseudonym Ba").
    pub names_follow: bool,
    /// An act whose numbers are its own ("exported 3.3 million tonnes"): a number bound to
    /// another act does not answer a question about this one.
    pub act: bool,
    /// The concept that excludes this one ("first" and "last", "increase" and "decrease"):
    /// a sentence stating only the opposite speaks of another thing. Symmetric.
    pub opposite: Option<usize>,
    /// The wider concept this one is a kind of (a spacecraft, a spaceport and a cosmonaut
    /// are of "space"): a sentence naming this one speaks of the wider one too; not the
    /// other way round (a question about a spacecraft is not answered by "space").
    pub broader: Option<usize>,
    /// A predicate (an act a question asks the date, place or size of: sign, visit, join,
    /// abandon...): an answer must come from a sentence stating it, not from one that only
    /// names the same things.
    pub predicate: bool,
    /// A verb of saying (announce, declare): a predicate that reports another one; a
    /// question "when did X announce it was abandoning Y" is about the abandoning.
    pub reporting: bool,
    /// A directed act (visit, join, aid, export...): what stands right after it, or after a
    /// role cue ("to", "thăm", "во"), is its goal or recipient, not a second party that could
    /// change places with the first as in "sign with" or "talks with". "Visited Russia" is
    /// not an answer to "when did Putin visit Vietnam".
    pub directed: bool,
    /// An ordinal that picks one end of a series of acts: `Earliest` for "first" ("lần đầu",
    /// "впервые"), `Latest` for "last". Of several dates of the asked act, none stated with
    /// the ordinal, a later one cannot be the first.
    pub extreme: Option<Extreme>,
    /// Its forms in each language: lowercased word sequences, a trailing `*` a prefix.
    pub forms: ByLang<Vec<String>>,
}

/// Which end of a series an ordinal picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Extreme {
    Earliest,
    Latest,
}

/// A concept as the file writes it. Its forms are the keys that are language codes
/// (`en = ["trade"]`, `vi = ["thương mại"]`), checked against the registry at load.
#[derive(Debug, Deserialize)]
struct RawConcept {
    id: String,
    class: Option<String>,
    unit: Option<String>,
    label: Option<String>,
    #[serde(default)]
    names_follow: bool,
    #[serde(default)]
    act: bool,
    opposite: Option<String>,
    broader: Option<String>,
    #[serde(default)]
    predicate: bool,
    #[serde(default)]
    reporting: bool,
    #[serde(default)]
    directed: bool,
    extreme: Option<Extreme>,
    #[serde(flatten)]
    forms: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct RawFile {
    #[serde(default)]
    concept: Vec<RawConcept>,
}

/// A concept found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub concept: usize,
    /// Token range.
    pub toks: Range<usize>,
    /// Byte range in the text.
    pub range: Range<usize>,
}

/// The lexicon: concepts and their forms, each form's value its concept.
#[derive(Debug)]
pub struct Lexicon {
    pub concepts: Vec<Concept>,
    forms: PhraseSet<usize>,
}

/// Errors in the lexicon data.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}: {msg}")]
    Invalid { file: String, msg: String },
}

static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::load(&FILES).expect("data/lexicon is valid"));

/// The compiled-in lexicon.
pub fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// The mark of a concept reference in an engine's word list: `"@trade"` stands for every
/// form of the concept `trade` in the list's language.
pub const REFERENCE: char = '@';

/// A word list of an engine's data file (`data/event/`, `data/quantity/`, `data/series/`)
/// with its concept references replaced by the concept's forms in `lang`, in place; words
/// repeated by a reference are kept once, where they first stand. So one concept file
/// defines "trade" for events, series, quantities and `ask`, and an engine adds only the
/// words that are its own.
///
/// # Panics
/// When a reference names no concept (the data is embedded): the message names `file`.
///
/// # Examples
/// ```
/// use annals::knowledge::domain::expand;
/// use annals::text::lang::Lang;
/// let en: Lang = "en".parse().unwrap();
/// let words = expand("example", en, &["@export".to_string(), "shipped".to_string()]);
/// assert!(words.contains(&"export*".to_string()) && words.ends_with(&["shipped".to_string()]));
/// ```
pub fn expand(file: &str, lang: Lang, words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for w in words {
        let forms: &[String] = match w.strip_prefix(REFERENCE) {
            Some(id) => lexicon().forms(id, lang).unwrap_or_else(|| {
                panic!("{file}: {w:?} names no concept of data/lexicon/domain.toml")
            }),
            None => std::slice::from_ref(w),
        };
        for f in forms {
            if !out.contains(f) {
                out.push(f.clone());
            }
        }
    }
    out
}

impl Lexicon {
    /// Loads and validates lexicon files.
    pub fn load(files: &[(&str, &str)]) -> Result<Lexicon, LexiconError> {
        let mut lx = Lexicon {
            concepts: Vec::new(),
            forms: crate::text::folded::phrases(),
        };
        let mut opposites: Vec<(String, usize, String)> = Vec::new();
        let mut broaders: Vec<(String, usize, String)> = Vec::new();
        let classes = [
            "person",
            "place",
            "name",
            "event",
            "organization",
            "field",
            "field_noun",
            "measure",
        ];
        for (name, src) in files {
            let bad = |msg: String| LexiconError::Invalid {
                file: name.to_string(),
                msg,
            };
            let raw: RawFile = toml::from_str(src).map_err(|e| bad(e.to_string()))?;
            for c in raw.concept {
                if lx.concepts.iter().any(|x| x.id == c.id) {
                    return Err(bad(format!("concept {:?} defined twice", c.id)));
                }
                if let Some(k) = &c.class
                    && !classes.contains(&k.as_str())
                {
                    return Err(bad(format!("concept {:?}: unknown class {k:?}", c.id)));
                }
                if c.reporting && !c.predicate {
                    return Err(bad(format!(
                        "concept {:?}: a reporting verb is a predicate too",
                        c.id
                    )));
                }
                if c.directed && !c.predicate {
                    return Err(bad(format!(
                        "concept {:?}: only a predicate can be directed",
                        c.id
                    )));
                }
                if c.class.as_deref() == Some("field") && c.label.is_none() {
                    return Err(bad(format!("field concept {:?} needs a label", c.id)));
                }
                let ci = lx.concepts.len();
                if let Some(o) = &c.opposite {
                    opposites.push((name.to_string(), ci, o.clone()));
                }
                if let Some(b) = &c.broader {
                    broaders.push((name.to_string(), ci, b.clone()));
                }
                let forms = ByLang::from_codes(c.forms, |_| Vec::new())
                    .map_err(|e| bad(format!("concept {:?}: {e}", c.id)))?;
                for f in forms.values().flatten() {
                    let parts = lx.forms.parse(f);
                    let Some(first) = parts.first() else {
                        return Err(bad(format!("concept {:?}: empty form {f:?}", c.id)));
                    };
                    // Several words, or a long one, also match folded; a short word folded
                    // would meet distinct Vietnamese words.
                    let long = matches!(first, Pat::Exact(w) if w.chars().count() >= 6);
                    let folded = parts.len() > 1 || long;
                    lx.forms.insert_parsed(parts, folded, ci);
                }
                lx.concepts.push(Concept {
                    id: c.id,
                    class: c.class,
                    unit: c.unit,
                    label: c.label,
                    names_follow: c.names_follow,
                    act: c.act,
                    opposite: None,
                    broader: None,
                    predicate: c.predicate,
                    reporting: c.reporting,
                    directed: c.directed,
                    extreme: c.extreme,
                    forms,
                });
            }
        }
        for (file, ci, o) in opposites {
            let Some(oi) = lx.concept(&o) else {
                return Err(LexiconError::Invalid {
                    file,
                    msg: format!("concept {:?}: unknown opposite {o:?}", lx.concepts[ci].id),
                });
            };
            lx.concepts[ci].opposite = Some(oi);
            lx.concepts[oi].opposite = Some(ci);
        }
        for (file, ci, b) in broaders {
            let bad = |msg: String| LexiconError::Invalid {
                file: file.clone(),
                msg,
            };
            let id = &lx.concepts[ci].id;
            let Some(bi) = lx.concept(&b) else {
                return Err(bad(format!("concept {id:?}: unknown broader {b:?}")));
            };
            if bi == ci {
                return Err(bad(format!("concept {id:?} is broader than itself")));
            }
            lx.concepts[ci].broader = Some(bi);
        }
        // One level only: a chain would make "narrower" depend on the order of files.
        for c in &lx.concepts {
            if let Some(b) = c.broader
                && lx.concepts[b].broader.is_some()
            {
                return Err(LexiconError::Invalid {
                    file: "lexicon".into(),
                    msg: format!(
                        "concept {:?}: its broader {:?} has a broader of its own",
                        c.id, lx.concepts[b].id
                    ),
                });
            }
        }
        Ok(lx)
    }

    /// The forms of the concept `id` in `lang`; None when no concept has that id.
    pub fn forms(&self, id: &str, lang: Lang) -> Option<&[String]> {
        let c = self.concept(id)?;
        Some(self.concepts[c].forms.get(lang))
    }

    /// Index of the concept `id`.
    pub fn concept(&self, id: &str) -> Option<usize> {
        self.concepts.iter().position(|c| c.id == id)
    }

    /// Every concept found in `toks` (tokens of `text`). A hit inside a longer hit of
    /// another concept is dropped ("chủ tịch" inside "chủ tịch hội đồng bộ trưởng").
    pub fn find(&self, toks: &[Tok]) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for i in 0..toks.len() {
            for f in self.forms.all_at(toks, i) {
                hits.push(Hit {
                    concept: *f.value,
                    range: toks[f.toks.start].range.start..toks[f.toks.end - 1].range.end,
                    toks: f.toks,
                });
            }
        }
        hits.sort_by_key(|h| (h.toks.start, std::cmp::Reverse(h.toks.end), h.concept));
        hits.dedup_by(|a, b| a.concept == b.concept && a.toks == b.toks);
        // Inside a longer hit: the longer one names it.
        let keep: Vec<bool> = hits
            .iter()
            .map(|h| {
                !hits.iter().any(|o| {
                    o.toks != h.toks
                        && o.toks.start <= h.toks.start
                        && h.toks.end <= o.toks.end
                        && o.toks.len() > h.toks.len()
                })
            })
            .collect();
        hits.into_iter()
            .zip(keep)
            .filter_map(|(h, k)| k.then_some(h))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::folded::tokenize;

    fn ids(text: &str) -> Vec<String> {
        let lx = lexicon();
        lx.find(&tokenize(text))
            .into_iter()
            .map(|h| lx.concepts[h.concept].id.clone())
            .collect()
    }

    /// A stem takes the forms of its word, not another word that begins the same way: the
    /// engines share these forms (events, quantities, series), so a stem that also begins a
    /// common word of another meaning is written out instead.
    #[test]
    fn stems_do_not_catch_other_words() {
        for (word, not) in [
            ("important", "import"),
            ("conventional", "agreement"),
            ("authorities", "write"),
            ("organization", "held"),
            ("займёт", "loan"),
            ("займут", "loan"),
        ] {
            assert!(!ids(word).contains(&not.to_string()), "{word} is no {not}");
        }
        for (word, is) in [
            ("imports", "import"),
            ("exporters", "export"),
            ("займа", "loan"),
            ("товарооборота", "turnover"),
            ("conventions", "agreement"),
        ] {
            assert!(ids(word).contains(&is.to_string()), "{word} is {is}");
        }
    }

    /// A reference in an engine's list is the concept's forms in the list's language, in
    /// its place and each once; an unknown reference names the file.
    #[test]
    fn references_expand_to_the_concepts_forms() {
        let vi = Lang::of("vi");
        let words: Vec<String> = ["xuất", "@export", "xuất khẩu", "@import"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let got = expand("t.toml", vi, &words);
        assert_eq!(
            got,
            ["xuất", "xuất khẩu", "xuất sang", "nhập khẩu", "nhập từ"]
        );
        let bad = std::panic::catch_unwind(|| expand("t.toml", vi, &["@nowhere".to_string()]));
        let msg = bad.unwrap_err();
        let msg = msg.downcast_ref::<String>().unwrap();
        assert!(msg.contains("t.toml") && msg.contains("@nowhere"), "{msg}");
    }

    /// Opposites exclude each other both ways ("first" and "last").
    #[test]
    fn opposites_are_symmetric() {
        let lx = lexicon();
        for (a, b) in [("first", "last"), ("increase", "decrease")] {
            let (a, b) = (lx.concept(a).unwrap(), lx.concept(b).unwrap());
            assert_eq!(lx.concepts[a].opposite, Some(b));
            assert_eq!(lx.concepts[b].opposite, Some(a));
        }
        let bad = "[[concept]]\nid = \"a\"\nopposite = \"nowhere\"\nen = [\"a\"]\n";
        assert!(Lexicon::load(&[("bad.toml", bad)]).is_err());
    }

    /// A narrower concept names its broader one; the data's links are checked: an unknown
    /// broader, a concept broader than itself and a chain are refused.
    #[test]
    fn broader_concepts_are_one_level_and_known() {
        let lx = lexicon();
        let space = lx.concept("space_field").unwrap();
        for narrow in ["spacecraft", "spaceport", "cosmonaut"] {
            let c = lx.concept(narrow).unwrap();
            assert_eq!(lx.concepts[c].broader, Some(space), "{narrow}");
        }
        assert_eq!(lx.concepts[space].broader, None);
        let concept = |id: &str, broader: &str| {
            format!("[[concept]]\nid = \"{id}\"\nbroader = \"{broader}\"\nen = [\"{id}\"]\n")
        };
        for bad in [
            concept("a", "nowhere"),
            concept("a", "a"),
            concept("a", "b") + &concept("b", "c") + "[[concept]]\nid = \"c\"\nen = [\"c\"]\n",
        ] {
            assert!(Lexicon::load(&[("bad.toml", &bad)]).is_err(), "{bad}");
        }
        let good = concept("a", "b") + "[[concept]]\nid = \"b\"\nen = [\"b\"]\n";
        assert!(Lexicon::load(&[("good.toml", &good)]).is_ok());
    }

    #[test]
    fn stems_take_their_word_not_its_neighbours() {
        for (text, not) in [
            ("после визита", "ambassador"),
            ("газета «Правда»", "oil_gas"),
            ("долга СССР", "percent"),
            ("the United States", "statement"),
            ("an article on artillery", "culture"),
            ("pollution of the river", "poll"),
            ("according to the minister", "agreement"),
            ("tàu ngầm lớp Kilo", "spacecraft"),
        ] {
            assert!(
                !ids(text).contains(&not.to_string()),
                "{text:?} -> {:?}",
                ids(text)
            );
        }
        for (text, is) in [
            ("посла Вьетнама", "ambassador"),
            ("добыча газа", "oil_gas"),
            ("доля рынка", "percent"),
            ("he stated that", "statement"),
            ("a poll found", "poll"),
            ("the accords were signed", "agreement"),
            ("tàu ngầm lớp Kilo", "submarine"),
            ("142 vòng quanh quỹ đạo", "orbit_turns"),
            ("совершили 142 витка", "orbit_turns"),
        ] {
            assert!(
                ids(text).contains(&is.to_string()),
                "{text:?} -> {:?}",
                ids(text)
            );
        }
    }

    #[test]
    fn loads_and_matches_three_languages() {
        // Turnover is trade measured: its own concept, narrower than trade.
        for text in ["kim ngạch thương mại", "trade turnover", "товарооборота"] {
            assert_eq!(ids(text), vec!["turnover"], "{text}");
        }
        let lx = lexicon();
        let turnover = lx.concept("turnover").unwrap();
        assert_eq!(lx.concepts[turnover].broader, lx.concept("trade"));
        assert!(ids("торговля и товарообмен").contains(&"trade".to_string()));
        assert!(!ids("товарооборот").contains(&"goods".to_string()));
        assert!(ids("подписали договор").contains(&"treaty".to_string()));
        assert!(ids("luu hoc sinh").contains(&"students".to_string()));
        // Nested hits of other concepts give way to the longer one.
        assert_eq!(ids("Chủ tịch Hội đồng Bộ trưởng"), vec!["prime_minister"]);
    }
}
