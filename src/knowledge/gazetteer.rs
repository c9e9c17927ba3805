//! The gazetteer: `data/gazetteer/*.toml` loaded into [`Entity`]s with their aliases, and
//! validated (ids unique, types known, QIDs well formed, no alias that is a common word unless
//! it needs context, and no alias shared by two entities unless both mark it `ambiguous`).

use super::morph::{self, Shape};
use super::translit;
use super::variants::all_caps;
use super::variants::{self, Abbrev};
use crate::text::fold::fold;
use crate::text::lang::{ByLang, Lang};
use std::sync::LazyLock;

static GAZETTEER: LazyLock<Gazetteer> =
    LazyLock::new(|| Gazetteer::load_builtin().expect("data/gazetteer is valid"));

/// The compiled-in gazetteer, loaded and checked once.
pub fn builtin() -> &'static Gazetteer {
    &GAZETTEER
}

/// The entity named `name`: any alias, label or id, in any language, folded or not. None
/// when no entity or several (see [`resolve_all`]).
pub fn resolve(name: &str) -> Option<&'static Entity> {
    let all = resolve_all(name);
    (all.len() == 1).then(|| all[0])
}

/// Every entity named `name` (any alias, label or id, folded or not).
pub fn resolve_all(name: &str) -> Vec<&'static Entity> {
    GAZETTEER.lookup(name)
}
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The entity types of the export contract.
pub const TYPES: [&str; 7] = [
    "person",
    "country",
    "organization",
    "place",
    "treaty",
    "event",
    "other",
];

/// How an alias may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AliasKind {
    /// One of the entity's labels (en, vi, ru).
    Label,
    /// An alias that names the entity anywhere.
    Alias,
    /// A transliteration (hyphen, space and case variants also match).
    Transliteration,
    /// An abbreviation (listed, or made from the abbreviation table).
    Abbreviation,
    /// Names the entity only with context evidence ("Nga" is Russia in "Việt – Nga").
    Guarded,
    /// A bare name that counts only after a title ("President Triet").
    Titled,
    /// A surname that counts only after initials or a title ("L.I. Brêgiơnép", "J.J.Carter").
    Surname,
}

impl AliasKind {
    /// True for kinds that name the entity without context.
    pub fn standalone(self) -> bool {
        matches!(
            self,
            AliasKind::Label
                | AliasKind::Alias
                | AliasKind::Transliteration
                | AliasKind::Abbreviation
        )
    }
}

/// One surface form of an entity.
#[derive(Debug, Clone)]
pub struct Alias {
    pub text: String,
    pub kind: AliasKind,
    /// Deliberately shared with another entity.
    pub ambiguous: bool,
    /// Made by the abbreviation table, an engine (transliteration, case forms) or the
    /// generator (`data/gazetteer/generated/`) rather than written by hand: it gives way to a
    /// hand-written alias of another entity.
    pub generated: bool,
    /// Matched on its letters only, whatever the diacritics (a Vietnamese phonetic rendering
    /// of a Russian name: writers differ in tone marks).
    pub loose: bool,
    /// A proper name of several words, each capitalized: each must be capitalized in the text
    /// too ("Hòa Bình" the province, not "Hòa bình", peace).
    pub proper: bool,
}

/// One entity of the gazetteer.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    /// person, country, organization, place, treaty, event or other.
    pub kind: String,
    /// The canonical label: the label in the registry's fallback language (in our data, the
    /// English Wikipedia article title).
    pub name: String,
    /// Its label in each language of the registry, where the data gives one; the fallback
    /// language's is always [`Entity::name`].
    pub labels: ByLang<Option<String>>,
    pub qid: Option<String>,
    /// Life dates or the span of existence ("1906/1982").
    pub dates: Option<String>,
    /// Terms of office where they matter.
    pub terms: Option<String>,
    pub aliases: Vec<Alias>,
    /// The letters a person's first initial may be written with, in every script ("Л", "L"
    /// for Leonid); empty when the given name is not known.
    pub initials: Vec<char>,
    /// The last year of the person's life, if known (for the evidence of a later year).
    pub died: Option<i32>,
    /// The language the person's names come from ("vi", "ru"), when the source says.
    pub origin: Option<String>,
}

impl Entity {
    /// Its labels in the other languages, in the registry's order and unlike its name, for
    /// `entity_labels`.
    pub fn other_labels(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for l in self.labels.values().flatten() {
            if *l != self.name && !v.contains(l) {
                v.push(l.clone());
            }
        }
        v
    }

    /// Its label in `lang`, if the data gives one.
    pub fn label(&self, lang: Lang) -> Option<&str> {
        self.labels.get(lang).as_deref()
    }
}

/// An entity as a data file writes it. Its labels are the keys that are language codes
/// (`en = "Soviet Union"`, `vi = "Liên Xô"`): checked against the registry at load, so a key
/// that is neither a field nor a language is an error.
#[derive(Debug, Deserialize)]
struct RawEntity {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    /// Labels by language code; the fallback language's is required.
    #[serde(flatten)]
    labels: BTreeMap<String, String>,
    qid: Option<String>,
    dates: Option<String>,
    terms: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    transliterations: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
    #[serde(default)]
    guarded: Vec<String>,
    #[serde(default)]
    titled: Vec<String>,
    #[serde(default)]
    surnames: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<String>,
    /// Made by scripts/gazetteer/generate.py: merges into a hand-written entity of the same
    /// id, and its aliases give way to hand-written ones.
    #[serde(default)]
    generated: bool,
    /// The language the name comes from ("ru", "vi"), which decides its transliterations.
    origin: Option<String>,
    /// Aliases merged in from a generated entity of the same id.
    #[serde(skip)]
    merged: HashSet<String>,
}

#[derive(Debug, Deserialize)]
struct RawFile {
    #[serde(default)]
    entity: Vec<RawEntity>,
}

/// Context knowledge (`data/gazetteer/context.toml`).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Context {
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub after: Vec<String>,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub personal: Vec<String>,
    #[serde(default)]
    pub language: Vec<String>,
    #[serde(default)]
    pub generic_heads: Vec<String>,
    #[serde(default)]
    pub compounds: Vec<String>,
    #[serde(default)]
    pub common_words: Vec<String>,
    /// Vietnamese family names (open-world person names, `src/discover.rs`).
    #[serde(default)]
    pub vi_surnames: Vec<String>,
    /// Endings of Russian patronymics in every case.
    #[serde(default)]
    pub ru_patronymic_endings: Vec<String>,
    /// Words that make a name an organization.
    #[serde(default)]
    pub org_heads: Vec<String>,
    /// The language of each state's own officials' names (CLDR's official language of the
    /// territory): a "Vietnamese minister" is a person whose names are Vietnamese.
    #[serde(default)]
    pub state_languages: BTreeMap<String, String>,
    /// Words that make a name a place (inside it, or right before it).
    #[serde(default)]
    pub place_heads: Vec<String>,
    /// Words after a country's name that make it part of a currency's ("US dollars").
    #[serde(default)]
    pub currency_words: Vec<String>,
    /// Words after a city's name that make it its region's ("Kaluga region").
    #[serde(default)]
    pub region_words: Vec<String>,
}

/// The abbreviation table: rows by language code.
type RawAbbrevs = BTreeMap<String, Vec<Abbrev>>;

/// The gazetteer files, compiled in.
pub const ENTITY_FILES: [(&str, &str); 12] = [
    (
        "countries.toml",
        include_str!("../../data/gazetteer/countries.toml"),
    ),
    (
        "people.toml",
        include_str!("../../data/gazetteer/people.toml"),
    ),
    (
        "organizations.toml",
        include_str!("../../data/gazetteer/organizations.toml"),
    ),
    (
        "places.toml",
        include_str!("../../data/gazetteer/places.toml"),
    ),
    (
        "agreements.toml",
        include_str!("../../data/gazetteer/agreements.toml"),
    ),
    (
        "events.toml",
        include_str!("../../data/gazetteer/events.toml"),
    ),
    (
        "generated/countries.toml",
        include_str!("../../data/gazetteer/generated/countries.toml"),
    ),
    (
        "generated/states.toml",
        include_str!("../../data/gazetteer/generated/states.toml"),
    ),
    (
        "generated/organizations.toml",
        include_str!("../../data/gazetteer/generated/organizations.toml"),
    ),
    (
        "generated/people.toml",
        include_str!("../../data/gazetteer/generated/people.toml"),
    ),
    (
        "generated/places.toml",
        include_str!("../../data/gazetteer/generated/places.toml"),
    ),
    (
        "generated/equipment.toml",
        include_str!("../../data/gazetteer/generated/equipment.toml"),
    ),
];
pub const CONTEXT_FILE: &str = include_str!("../../data/gazetteer/context.toml");
pub const ABBREV_FILE: &str = include_str!("../../data/gazetteer/abbreviations.toml");

/// The loaded, validated gazetteer.
#[derive(Debug)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
    pub context: Context,
    pub abbreviations: Vec<Abbrev>,
    /// Folded key (and hyphen-joined key) of every alias and id → entities.
    index: HashMap<String, Vec<usize>>,
}

/// Why the gazetteer does not load.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{file}: {msg}")]
    Parse { file: String, msg: String },
    #[error("invalid gazetteer: {0}")]
    Invalid(String),
}

impl Gazetteer {
    /// Loads the compiled-in gazetteer.
    pub fn load_builtin() -> Result<Gazetteer, GazetteerError> {
        Gazetteer::load(&ENTITY_FILES, CONTEXT_FILE, ABBREV_FILE)
    }

    /// Loads and validates entity files (name, text), the context and the abbreviation table.
    pub fn load(
        files: &[(&str, &str)],
        context: &str,
        abbrevs: &str,
    ) -> Result<Gazetteer, GazetteerError> {
        let context: Context = toml::from_str(context).map_err(|e| GazetteerError::Parse {
            file: "context.toml".into(),
            msg: e.to_string(),
        })?;
        let ab: RawAbbrevs = toml::from_str(abbrevs).map_err(|e| GazetteerError::Parse {
            file: "abbreviations.toml".into(),
            msg: e.to_string(),
        })?;
        let abbreviations: Vec<Abbrev> = ByLang::from_codes(ab, |_| Vec::new())
            .map_err(|msg| GazetteerError::Parse {
                file: "abbreviations.toml".into(),
                msg,
            })?
            .values()
            .flatten()
            .cloned()
            .collect();
        let mut raw = Vec::new();
        for (name, text) in files {
            let f: RawFile = toml::from_str(text).map_err(|e| GazetteerError::Parse {
                file: (*name).to_string(),
                msg: e.to_string(),
            })?;
            raw.extend(f.entity);
        }
        let raw = merge_generated(raw)?;
        let common: HashSet<String> = context
            .common_words
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        // Function words of every language: a generated alias never is one.
        let lang_common: HashSet<String> = crate::text::lang::Lang::all()
            .iter()
            .flat_map(|l| {
                let d = l.data();
                d.not_names.iter().chain(d.function_words.iter()).cloned()
            })
            .map(|w| variants::key(&w))
            .collect();
        let mut ids = HashSet::new();
        let mut entities = Vec::new();
        for mut r in raw {
            let gen_all = r.generated;
            let merged = std::mem::take(&mut r.merged);
            if !ids.insert(r.id.clone()) {
                return Err(GazetteerError::Invalid(format!("duplicate id {}", r.id)));
            }
            if !TYPES.contains(&r.kind.as_str()) {
                return Err(GazetteerError::Invalid(format!(
                    "{}: unknown type {}",
                    r.id, r.kind
                )));
            }
            if let Some(q) = &r.qid
                && !(q.len() > 1
                    && q.starts_with('Q')
                    && q[1..].bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(GazetteerError::Invalid(format!("{}: bad qid {q}", r.id)));
            }
            if let Some(o) = &r.origin
                && Lang::from_code(o).is_none()
            {
                return Err(GazetteerError::Invalid(format!(
                    "{}: origin {o:?} is no language of data/lang",
                    r.id
                )));
            }
            let ambiguous: HashSet<String> = r.ambiguous.iter().map(|a| variants::key(a)).collect();
            let mut aliases: Vec<Alias> = Vec::new();
            let mut seen: HashSet<(String, bool)> = HashSet::new();
            let mut push =
                |aliases: &mut Vec<Alias>, text: &str, kind: AliasKind, generated: bool| {
                    let text = text.trim();
                    if text.is_empty() {
                        return;
                    }
                    // One alias per exact text; the first (strongest) kind wins.
                    if !seen.insert((text.to_string(), kind.standalone())) {
                        return;
                    }
                    aliases.push(Alias {
                        text: text.to_string(),
                        kind,
                        ambiguous: ambiguous.contains(&variants::key(text)),
                        generated: generated || gen_all || merged.contains(text),
                        loose: false,
                        proper: false,
                    });
                };
            let by_code = std::mem::take(&mut r.labels)
                .into_iter()
                .map(|(code, label)| (code, Some(label)))
                .collect();
            let labels = ByLang::from_codes(by_code, |_| None)
                .map_err(|e| GazetteerError::Invalid(format!("{}: {e}", r.id)))?;
            let Some(name) = labels.get(Lang::fallback()).clone() else {
                return Err(GazetteerError::Invalid(format!(
                    "{}: no label in {}, the fallback language",
                    r.id,
                    Lang::fallback()
                )));
            };
            let restricted: HashSet<&String> = r
                .guarded
                .iter()
                .chain(&r.titled)
                .chain(&r.surnames)
                .collect();
            // The fallback language's label first, then the others in the registry's order.
            let written: Vec<&String> = std::iter::once(&name)
                .chain(labels.values().flatten().filter(|l| **l != name))
                .collect();
            for l in written {
                if restricted.contains(l) {
                    continue;
                }
                let kind = if all_caps(l) {
                    AliasKind::Abbreviation
                } else {
                    AliasKind::Label
                };
                push(&mut aliases, l, kind, false);
            }
            for a in &r.aliases {
                push(&mut aliases, a, AliasKind::Alias, false);
            }
            for a in &r.transliterations {
                push(&mut aliases, a, AliasKind::Transliteration, false);
            }
            for a in &r.abbreviations {
                push(&mut aliases, a, AliasKind::Abbreviation, false);
            }
            for a in &r.guarded {
                push(&mut aliases, a, AliasKind::Guarded, false);
            }
            for a in &r.titled {
                push(&mut aliases, a, AliasKind::Titled, false);
            }
            for a in &r.surnames {
                push(&mut aliases, a, AliasKind::Surname, false);
            }
            // Generated: abbreviation-table variants of standalone aliases.
            let written: Vec<(String, AliasKind)> = aliases
                .iter()
                .filter(|a| a.kind.standalone())
                .map(|a| (a.text.clone(), a.kind))
                .collect();
            for (t, kind) in &written {
                for v in variants::abbreviated(t, &abbreviations) {
                    push(&mut aliases, &v, AliasKind::Abbreviation, true);
                }
                if *kind == AliasKind::Abbreviation
                    && let Some(v) = variants::respaced(t)
                {
                    push(&mut aliases, &v, AliasKind::Abbreviation, true);
                }
            }
            for a in &aliases {
                if a.kind.standalone()
                    && !a.generated
                    && common.contains(&a.text.to_lowercase())
                    && !all_caps(&a.text)
                {
                    return Err(GazetteerError::Invalid(format!(
                        "{}: alias {:?} is a common word; make it guarded or titled",
                        r.id, a.text
                    )));
                }
            }
            let mut e = Entity {
                id: r.id,
                kind: r.kind,
                name,
                labels,
                qid: r.qid,
                dates: r.dates,
                terms: r.terms,
                aliases,
                initials: Vec::new(),
                died: None,
                origin: r.origin.clone(),
            };
            expand(&mut e, r.origin.as_deref(), &common, &lang_common);
            entities.push(e);
        }
        // Generated variants that collide with another entity are dropped; written ones must
        // be marked ambiguous on every entity that has them.
        let mut owners: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for (i, e) in entities.iter().enumerate() {
            for a in e.aliases.iter().filter(|a| !a.generated) {
                owners.entry(variants::key(&a.text)).or_default().insert(i);
            }
        }
        for (i, e) in entities.iter_mut().enumerate() {
            e.aliases.retain(|a| {
                !a.generated
                    || owners
                        .get(&variants::key(&a.text))
                        .is_none_or(|o| o.iter().all(|&j| j == i))
            });
        }
        // Generated aliases two entities share are ambiguous: resolved per document.
        let mut gen_owners: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            for a in e.aliases.iter().filter(|a| a.generated) {
                gen_owners
                    .entry(variants::key(&a.text))
                    .or_default()
                    .insert(i);
            }
        }
        for (i, e) in entities.iter_mut().enumerate() {
            for a in e.aliases.iter_mut().filter(|a| a.generated) {
                let k = variants::key(&a.text);
                let shared = gen_owners.get(&k).is_some_and(|o| o.len() > 1)
                    || owners.get(&k).is_some_and(|o| o.iter().any(|&j| j != i));
                a.ambiguous |= shared;
            }
        }
        for (k, o) in &owners {
            if o.len() < 2 {
                continue;
            }
            for &i in o {
                let e = &entities[i];
                let marked = e
                    .aliases
                    .iter()
                    .any(|a| !a.generated && variants::key(&a.text) == *k && a.ambiguous);
                if !marked {
                    let others: Vec<&str> = o.iter().map(|&j| entities[j].id.as_str()).collect();
                    return Err(GazetteerError::Invalid(format!(
                        "alias {k:?} is shared by {others:?} but not marked ambiguous in {}",
                        e.id
                    )));
                }
            }
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            let mut keys = vec![fold(&e.id), e.id.clone()];
            for a in &e.aliases {
                keys.push(variants::key(&a.text));
                keys.push(variants::joined_key(&a.text));
            }
            keys.sort();
            keys.dedup();
            for k in keys {
                index.entry(k).or_default().push(i);
            }
        }
        Ok(Gazetteer {
            entities,
            context,
            abbreviations,
            index,
        })
    }

    /// A gazetteer `factor` times as large, for benchmarks: each entity repeated with every
    /// alias given an extra word that no text contains, so the automaton grows and the hits
    /// stay the same.
    pub fn scaled(&self, factor: usize) -> Gazetteer {
        let mut entities = self.entities.clone();
        for k in 1..factor {
            for e in &self.entities {
                let mut c = e.clone();
                c.id = format!("{}-copy{k}", e.id);
                for a in &mut c.aliases {
                    a.text = format!("{} Qzxk{k}", a.text);
                }
                entities.push(c);
            }
        }
        Gazetteer {
            entities,
            context: Context::default(),
            abbreviations: self.abbreviations.clone(),
            index: HashMap::new(),
        }
    }

    /// The number of aliases of every entity.
    pub fn alias_count(&self) -> usize {
        self.entities.iter().map(|e| e.aliases.len()).sum()
    }

    /// The entity with this id.
    pub fn by_id(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// Every entity one of whose aliases (or labels, or id) has this folded form.
    pub fn lookup(&self, name: &str) -> Vec<&Entity> {
        let mut ids: Vec<usize> = Vec::new();
        for k in [
            name.to_string(),
            variants::key(name),
            variants::joined_key(name),
        ] {
            if let Some(v) = self.index.get(&k) {
                ids.extend(v);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|i| &self.entities[i]).collect()
    }
}

/// Merges each generated entity into an earlier entity of the same id (its aliases marked as
/// merged, its missing fields filled); any other repeated id is an error.
fn merge_generated(raw: Vec<RawEntity>) -> Result<Vec<RawEntity>, GazetteerError> {
    let mut out: Vec<RawEntity> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for r in raw {
        let Some(&i) = at.get(&r.id) else {
            at.insert(r.id.clone(), out.len());
            out.push(r);
            continue;
        };
        if !r.generated {
            return Err(GazetteerError::Invalid(format!("duplicate id {}", r.id)));
        }
        let t = &mut out[i];
        let mut names: Vec<String> = labels_in_order(&r.labels);
        names.extend(r.aliases);
        // What the hand-written entity already has stays hand-written.
        let had: HashSet<String> = labels_in_order(&t.labels)
            .into_iter()
            .chain(t.aliases.iter().cloned())
            .chain(t.transliterations.iter().cloned())
            .chain(t.abbreviations.iter().cloned())
            .chain(t.guarded.iter().cloned())
            .chain(t.titled.iter().cloned())
            .chain(t.surnames.iter().cloned())
            .collect();
        for n in names {
            if !had.contains(&n) {
                t.merged.insert(n.clone());
                t.aliases.push(n);
            }
        }
        for (from, to) in [
            (r.transliterations, &mut t.transliterations),
            (r.abbreviations, &mut t.abbreviations),
            (r.guarded, &mut t.guarded),
            (r.titled, &mut t.titled),
            (r.surnames, &mut t.surnames),
        ] {
            for a in from {
                if !had.contains(&a) {
                    t.merged.insert(a.clone());
                    to.push(a);
                }
            }
        }
        t.qid = t.qid.take().or(r.qid);
        for (code, label) in r.labels {
            t.labels.entry(code).or_insert(label);
        }
        t.dates = t.dates.take().or(r.dates);
        t.terms = t.terms.take().or(r.terms);
        t.origin = t.origin.take().or(r.origin);
    }
    Ok(out)
}

/// The labels of a raw entity: the fallback language's first, then the others in the
/// registry's order (a key that is no language is refused at load).
fn labels_in_order(labels: &BTreeMap<String, String>) -> Vec<String> {
    Lang::fallback_first()
        .filter_map(|l| labels.get(l.code()).cloned())
        .collect()
}

/// True when `s` is written in the letters of a language whose words are syllables
/// (Vietnamese): one such word is also a common word or a given name.
fn syllabic(s: &str) -> bool {
    Lang::all().iter().any(|l| l.data().syllabic && l.writes(s))
}

/// The language a person's names come from, read from the labels: the first language but
/// the fallback whose letters write the name, or whose label is the name ("Võ Nguyên Giáp"
/// in both); else the first of another script than the fallback's whose label is written in
/// its own letters ("Леонид Брежнев"). A label in the fallback's script is often the name
/// rendered for that language's readers ("Rôgachốp" for Rogachev), which says nothing of
/// where the name comes from.
fn origin_of(e: &Entity) -> Option<Lang> {
    let others = || Lang::fallback_first().skip(1);
    let script = Lang::fallback().data().script;
    others()
        .find(|&l| l.writes(&e.name) || e.label(l) == Some(e.name.as_str()))
        .or_else(|| {
            others().find(|&l| l.data().script != script && e.label(l).is_some_and(|t| l.writes(t)))
        })
}

/// The entity's name in `lang`: its label there, or its name when written in that language's
/// letters.
fn name_in(e: &Entity, lang: Lang) -> Option<String> {
    e.label(lang)
        .map(str::to_string)
        .or_else(|| lang.writes(&e.name).then(|| e.name.clone()))
}

/// The letters of the alias, for length limits.
fn letter_count(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

/// Adds what the engines give an entity: the Russian case forms of its Cyrillic names
/// ([`morph`]), the Latin and Vietnamese forms of Russian names and the Russian forms of
/// Vietnamese names ([`translit`]), and its initials and death year. Generated forms that are
/// common words are left out.
fn expand(
    e: &mut Entity,
    origin: Option<&str>,
    common: &HashSet<String>,
    lang_common: &HashSet<String>,
) {
    let person = e.kind == "person";
    let origin_lang = origin
        .and_then(Lang::from_code)
        .or_else(|| person.then(|| origin_of(e)).flatten());
    let origin = origin_lang.map(Lang::code);
    let mut extra: Vec<Alias> = Vec::new();
    let mut add = |text: String, kind: AliasKind, loose: bool, proper: bool| {
        extra.push(Alias {
            text,
            kind,
            ambiguous: false,
            generated: true,
            loose,
            proper,
        });
    };
    let written: Vec<Alias> = e.aliases.clone();
    // Vietnamese names in Russian (Kontsevich), before the case forms so they get theirs.
    let mut cyrillic: Vec<(String, AliasKind)> = written
        .iter()
        .filter(|a| translit::has_cyrillic(&a.text))
        .map(|a| (a.text.clone(), a.kind))
        .collect();
    if origin == Some(translit::VIETNAMESE)
        && let Some(vi) = origin_lang.and_then(|l| name_in(e, l))
    {
        let name = vi.trim_end_matches(" province").to_string();
        for f in translit::vi_ru(&name, !person) {
            cyrillic.push((f.clone(), AliasKind::Transliteration));
            add(f, AliasKind::Transliteration, false, false);
        }
    }
    for (text, kind) in &cyrillic {
        let shape = match (person, origin) {
            (true, Some(translit::RUSSIAN)) => Shape::Person,
            (true, _) => Shape::ForeignPerson,
            _ => Shape::Phrase,
        };
        if kind.standalone() || matches!(kind, AliasKind::Surname | AliasKind::Titled) {
            for f in morph::ru_forms(text, shape) {
                add(f, *kind, false, false);
            }
        }
        // Russian names in Latin and in Vietnamese renderings.
        let russian_name = (person && origin == Some(translit::RUSSIAN))
            || (origin == Some(translit::RUSSIAN) && !text.contains(' '))
            || (e.kind == "country" && !text.contains(' ') && !person);
        if !russian_name
            || !matches!(
                kind,
                AliasKind::Label
                    | AliasKind::Alias
                    | AliasKind::Surname
                    | AliasKind::Transliteration
            )
        {
            continue;
        }
        let out_kind = if *kind == AliasKind::Surname {
            AliasKind::Surname
        } else {
            AliasKind::Transliteration
        };
        if person {
            for f in translit::ru_latin(text) {
                add(f, out_kind, false, true);
            }
        }
        for f in translit::ru_vi(text) {
            if letter_count(&f) >= 6 {
                add(f, out_kind, true, false);
            }
        }
    }
    // A generated one-syllable Vietnamese name ("Đức", "Nga", "Ý") is also a common word or
    // a given name: it needs context, like the hand-written ones that are guarded.
    for a in e
        .aliases
        .iter_mut()
        .filter(|a| a.generated && a.kind.standalone())
    {
        if !a.text.contains(' ') && syllabic(&a.text) && a.kind != AliasKind::Abbreviation {
            a.kind = AliasKind::Guarded;
        }
    }
    // Multi-word Latin names of people and places are proper names: each capital counts.
    if matches!(e.kind.as_str(), "person" | "place") && e.aliases.iter().any(|a| a.generated) {
        for a in e.aliases.iter_mut().filter(|a| a.generated) {
            a.proper = a.text.contains(' ') && !translit::has_cyrillic(&a.text);
        }
    }
    let have: HashSet<(String, bool)> = e
        .aliases
        .iter()
        .map(|a| (a.text.clone(), a.kind.standalone()))
        .collect();
    let mut seen = have;
    for a in extra {
        let k = variants::key(&a.text);
        if k.is_empty() || common.contains(&k) || lang_common.contains(&k) {
            continue;
        }
        if seen.insert((a.text.clone(), a.kind.standalone())) {
            e.aliases.push(a);
        }
    }
    // Generated aliases that are common words are dropped too.
    e.aliases.retain(|a| {
        !a.generated || {
            let k = variants::key(&a.text);
            !common.contains(&k) && !lang_common.contains(&k)
        }
    });
    if person {
        e.died = e
            .dates
            .as_deref()
            .and_then(|d| d.split('/').nth(1))
            .and_then(|y| y.get(..4))
            .and_then(|y| y.parse().ok());
        let mut initials: Vec<char> = Vec::new();
        let given = |s: &str| -> Option<String> {
            let w: Vec<&str> = s.split(' ').collect();
            (w.len() >= 2).then(|| w[0].to_string())
        };
        if origin == Some(translit::RUSSIAN) {
            // The given name: the first word of the longest Russian form of the full name.
            let full = e
                .aliases
                .iter()
                .filter(|a| {
                    !a.generated || a.kind == AliasKind::Alias || a.kind == AliasKind::Label
                })
                .map(|a| a.text.as_str())
                .filter(|t| translit::has_cyrillic(t))
                .max_by_key(|t| t.split(' ').count())
                .map(str::to_string);
            if let Some(g) = full.as_deref().and_then(given) {
                for f in std::iter::once(g.clone())
                    .chain(translit::ru_latin(&g))
                    .chain(translit::ru_vi(&g))
                {
                    initials.extend(f.chars().next().and_then(|c| c.to_uppercase().next()));
                }
            }
            if let Some(g) = given(&e.name) {
                initials.extend(g.chars().next().and_then(|c| c.to_uppercase().next()));
            }
        }
        initials.sort_unstable();
        initials.dedup();
        e.initials = initials;
    }
}
