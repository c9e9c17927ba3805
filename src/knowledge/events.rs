//! Loads the event knowledge: the ontology (`data/event/ontology.toml`) and the per-language
//! frame lexicons (`data/event/{vi,en,ru}.toml`). The data is embedded at build time and
//! checked when first used: every type named must be a type of the ontology.
//!
//! A language file names three kinds of cue, matched together (the longest phrase wins):
//! - `[predicates]`: verbs and event nominalizations that state an event of their own type
//!   ("visited", "accession", "вступила", "gia nhập");
//! - `[generic]`: predicates with no type of their own ("signed", "reached", "передала",
//!   "bàn giao"): they take the type of the object noun in their clause, else the type they
//!   are listed under;
//! - `[objects]`: nouns that say what an event is about ("treaty", "base", "товарооборот",
//!   "kim ngạch"): never an event alone, they type a generic predicate of their clause.

use super::event_words::PhraseSet;
use crate::text::lang::Lang;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One event type of the ontology.
#[derive(Debug, Clone, Deserialize)]
pub struct EventType {
    /// Human label ("visit", "diplomatic recognition").
    pub label: String,
    /// The field a statement of this type belongs to unless a field cue says otherwise.
    pub field: String,
    /// Which type wins when one clause has triggers of several types.
    pub priority: u32,
    /// Participant roles, first and second ("visitor", "host").
    pub roles: Vec<String>,
    /// English summary template.
    pub summary: String,
    /// Whether field cues in the sentence may change the field.
    #[serde(default)]
    pub field_from_context: bool,
    /// An object noun of this type with a quantity in its clause states an event without a
    /// verb ("trade turnover in 1985: 1.5 billion rubles").
    #[serde(default)]
    pub by_quantity: bool,
    /// An object noun of this type with a date to the day in its clause states an event
    /// without a verb (a dated document: "Hiệp định “…” ngày 23-01-1981").
    #[serde(default)]
    pub by_day_date: bool,
}

#[derive(Debug, Deserialize)]
struct OntologyFile {
    fields: Vec<String>,
    types: BTreeMap<String, EventType>,
}

/// The ontology: types by name, and the fields.
#[derive(Debug)]
pub struct Ontology {
    pub fields: Vec<String>,
    pub types: BTreeMap<String, EventType>,
}

impl Ontology {
    /// The type named `name`. Panics on an unknown name: names come from validated data.
    pub fn get(&self, name: &str) -> &EventType {
        &self.types[name]
    }
}

#[derive(Debug, Deserialize)]
struct LexiconFile {
    code: String,
    predicates: BTreeMap<String, Vec<String>>,
    generic: BTreeMap<String, Vec<String>>,
    objects: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    not_triggers: Vec<String>,
    negation: Vec<String>,
    negation_window: usize,
    planned: Vec<String>,
    planned_window: usize,
    #[serde(default)]
    planned_after: Vec<String>,
    #[serde(default)]
    archival: Vec<String>,
    news_present: Vec<String>,
    #[serde(default)]
    news_verb_forms: Vec<String>,
    #[serde(default)]
    comparison: Vec<String>,
    #[serde(default)]
    bound: Vec<String>,
    subordinate: Vec<String>,
    #[serde(default)]
    simultaneous: Vec<String>,
    reporting: Vec<String>,
    complementizers: Vec<String>,
    range_from: Vec<String>,
    range_to: Vec<String>,
    until: Vec<String>,
    coordination: Vec<String>,
    second_role_cues: Vec<String>,
    fields: BTreeMap<String, Vec<String>>,
    ordinal_after: Vec<String>,
    ordinal_tied: Vec<String>,
    framing: Vec<String>,
    #[serde(default)]
    pair: Vec<String>,
    ordinals: BTreeMap<String, u32>,
}

/// What a cue phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A predicate that states an event of its own type.
    Predicate,
    /// A predicate typed by the object noun of its clause (else by its own type).
    Generic,
    /// A noun that types a generic predicate; no event alone.
    Object,
    /// A phrase that only looks like a cue ("thăm dò" is exploration, not a visit).
    Not,
}

/// A cue phrase: its kind and the ontology type it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub kind: CueKind,
    /// The ontology type ("" for [`CueKind::Not`]).
    pub ty: String,
}

/// The event knowledge of one language.
#[derive(Debug)]
pub struct EventLexicon {
    /// Predicates, generic predicates, objects and non-cues, matched together.
    pub cues: PhraseSet<Cue>,
    pub negation: PhraseSet<()>,
    pub negation_window: usize,
    pub planned: PhraseSet<()>,
    pub planned_window: usize,
    /// Words after a predicate in its clause that make it a plan ("подписание … намечено").
    pub planned_after: PhraseSet<()>,
    /// Archival stamps ("Approved For Release", "Declassified"): the date after one is the
    /// copy's, no event's.
    pub archival: PhraseSet<()>,
    /// Words before the base of a comparison ("up 31% on 2016", "so với năm 2016"): a year
    /// after one is the base, not the date of the predicate.
    pub comparison: PhraseSet<()>,
    /// Prepositions right before a date that make it a bound ("after 2004", "trước năm
    /// 1975"): what happened is not dated by it.
    pub bound: PhraseSet<()>,
    pub subordinate: PhraseSet<()>,
    /// The subordinators of a circumstance told as simultaneous ("when", "khi", "когда"): a
    /// date right before one dates the circumstance ("in October 1975, when …"). After the
    /// others ("ahead of", "sau khi", "после") such a date is the main clause's.
    pub simultaneous: PhraseSet<()>,
    /// The other subordinators, as written in the data ("since", "sau khi", "после того
    /// как"): a date in a clause one opens is that clause's. For readers with their own
    /// tokens (`annals ask`).
    pub sequential: Vec<String>,
    /// Reporting verbs ("said", "сообщил", "cho biết"): the dates of what they report are
    /// not theirs.
    pub reporting: PhraseSet<()>,
    /// Words that open a reported clause ("that", "что", "rằng").
    pub complementizers: PhraseSet<()>,
    pub range_from: PhraseSet<()>,
    pub range_to: PhraseSet<()>,
    /// Words that make the date after them an end bound ("until 2004").
    pub until: PhraseSet<()>,
    pub coordination: PhraseSet<()>,
    pub second_role_cues: PhraseSet<()>,
    /// The same cues as written in the data, for readers with their own tokens (`annals
    /// ask`).
    pub second_role_words: Vec<String>,
    /// Field cues; the value is the field.
    pub fields: PhraseSet<String>,
    /// Rank phrases ("the second" = 2).
    pub ordinals: PhraseSet<u32>,
    /// Words before the actor a rank is counted after ("after China").
    pub ordinal_after: PhraseSet<()>,
    /// Words before an actor sharing the rank ("along with China").
    pub ordinal_tied: PhraseSet<()>,
    /// Words of sentences about the literature, which state no event.
    pub framing: PhraseSet<()>,
    /// Words naming the two parties of a relation without naming them ("the two countries",
    /// "bilateral", "hai nước", "двусторонний"): the two states the document names most.
    pub pair: PhraseSet<()>,
    /// Words right before a predicate that report its act as just done, at the story's
    /// present ("has signed", "vừa ký", "только что подписал"): in a dated document (a
    /// dateline) a sentence that gives no time of its own states it on the story's date.
    pub news_present: PhraseSet<()>,
    /// The forms a predicate takes after a `news_present` word (English "has" wants a past
    /// participle: "has signed", not "has aid programs"); any form when empty.
    pub news_verb_forms: WordForms,
}

/// Word forms given as whole words ("held") or endings ("*ed").
#[derive(Debug, Default)]
pub struct WordForms {
    words: std::collections::HashSet<String>,
    endings: Vec<String>,
}

impl WordForms {
    fn new(list: &[String]) -> WordForms {
        let mut f = WordForms::default();
        for w in list {
            let w = w.to_lowercase();
            match w.strip_prefix('*') {
                Some(end) => f.endings.push(end.to_string()),
                None => {
                    f.words.insert(w);
                }
            }
        }
        f
    }

    /// Whether `word` (lowercase) is one of the forms; true for every word when none are
    /// given.
    pub fn admit(&self, word: &str) -> bool {
        (self.words.is_empty() && self.endings.is_empty())
            || self.words.contains(word)
            || self.endings.iter().any(|e| word.ends_with(e.as_str()))
    }
}

fn unit_set(words: &[String]) -> PhraseSet<()> {
    let mut s = super::event_words::phrases();
    for w in words {
        s.insert(w, ());
    }
    s
}

fn load_lexicon(src: &str, lang: Lang, ontology: &Ontology) -> EventLexicon {
    let want = lang.code();
    let file = format!("data/event/{want}.toml");
    let f: LexiconFile = toml::from_str(src).expect("embedded event data is valid TOML");
    assert_eq!(f.code, want, "event data file holds the wrong language");
    let mut cues = super::event_words::phrases();
    for (kind, table) in [
        (CueKind::Predicate, &f.predicates),
        (CueKind::Generic, &f.generic),
        (CueKind::Object, &f.objects),
    ] {
        for (ty, phrases) in table {
            assert!(
                ontology.types.contains_key(ty),
                "event data ({want}): unknown type {ty}"
            );
            for p in super::domain::expand(&file, lang, phrases) {
                cues.insert(
                    &p,
                    Cue {
                        kind,
                        ty: ty.clone(),
                    },
                );
            }
        }
    }
    for p in &f.not_triggers {
        cues.insert(
            p,
            Cue {
                kind: CueKind::Not,
                ty: String::new(),
            },
        );
    }
    let mut fields = super::event_words::phrases();
    for (field, phrases) in &f.fields {
        assert!(
            ontology.fields.contains(field),
            "event data ({want}): unknown field {field}"
        );
        for p in super::domain::expand(&file, lang, phrases) {
            fields.insert(&p, field.clone());
        }
    }
    EventLexicon {
        cues,
        negation: unit_set(&f.negation),
        negation_window: f.negation_window,
        planned: unit_set(&f.planned),
        planned_window: f.planned_window,
        planned_after: unit_set(&f.planned_after),
        archival: unit_set(&f.archival),
        news_present: unit_set(&f.news_present),
        news_verb_forms: WordForms::new(&f.news_verb_forms),
        comparison: unit_set(&f.comparison),
        bound: unit_set(&f.bound),
        subordinate: unit_set(&f.subordinate),
        simultaneous: unit_set(&f.simultaneous),
        sequential: f
            .subordinate
            .iter()
            .filter(|w| !f.simultaneous.contains(w))
            .cloned()
            .collect(),
        reporting: unit_set(&f.reporting),
        complementizers: unit_set(&f.complementizers),
        range_from: unit_set(&f.range_from),
        range_to: unit_set(&f.range_to),
        until: unit_set(&f.until),
        coordination: unit_set(&f.coordination),
        second_role_cues: unit_set(&f.second_role_cues),
        second_role_words: f.second_role_cues.clone(),
        fields,
        ordinals: {
            let mut o = super::event_words::phrases();
            for (p, r) in &f.ordinals {
                o.insert(p, *r);
            }
            o
        },
        ordinal_after: unit_set(&f.ordinal_after),
        ordinal_tied: unit_set(&f.ordinal_tied),
        framing: unit_set(&f.framing),
        pair: unit_set(&f.pair),
    }
}

static ONTOLOGY: LazyLock<Ontology> = LazyLock::new(|| {
    let f: OntologyFile = toml::from_str(
        crate::data::file("event/ontology.toml").expect("data/event/ontology.toml is embedded"),
    )
    .expect("embedded event ontology is valid TOML");
    for (name, t) in &f.types {
        assert!(
            f.fields.contains(&t.field),
            "ontology: type {name} has unknown field {}",
            t.field
        );
        assert!(!t.roles.is_empty(), "ontology: type {name} has no roles");
    }
    Ontology {
        fields: f.fields,
        types: f.types,
    }
});

static LEXICONS: LazyLock<Vec<EventLexicon>> = LazyLock::new(|| {
    let o = &*ONTOLOGY;
    Lang::all()
        .iter()
        .map(|l| load_lexicon(crate::data::required_lang_file("event", l.code()), *l, o))
        .collect()
});

/// The event ontology.
pub fn ontology() -> &'static Ontology {
    &ONTOLOGY
}

/// The event knowledge of `lang`.
pub fn lexicon(lang: Lang) -> &'static EventLexicon {
    &LEXICONS[lang.index()]
}
