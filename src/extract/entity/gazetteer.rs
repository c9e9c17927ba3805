//! The gazetteer: `data/gazetteer/*.toml` loaded into [`Entity`]s with their aliases, and
//! validated (ids unique, types known, QIDs well formed, no alias that is a common word unless
//! it needs context, and no alias shared by two entities unless both mark it `ambiguous`).

use super::variants;
use crate::text::fold::fold;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

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
    /// Made by the abbreviation table or a hyphen variant rather than written in the data.
    pub generated: bool,
}

/// One entity of the gazetteer.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    /// person, country, organization, place, treaty, event or other.
    pub kind: String,
    /// Canonical English label (the English Wikipedia article title).
    pub en: String,
    pub vi: Option<String>,
    pub ru: Option<String>,
    pub qid: Option<String>,
    /// Life dates or the span of existence ("1906/1982").
    pub dates: Option<String>,
    /// Terms of office where they matter.
    pub terms: Option<String>,
    pub aliases: Vec<Alias>,
}

impl Entity {
    /// Its labels in the other languages (vi, ru), for `entity_labels`.
    pub fn other_labels(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for l in [&self.vi, &self.ru].into_iter().flatten() {
            if *l != self.en && !v.contains(l) {
                v.push(l.clone());
            }
        }
        v
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    en: String,
    vi: Option<String>,
    ru: Option<String>,
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
}

/// One row of the abbreviation table.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Abbrev {
    pub abbr: String,
    pub full: String,
}

#[derive(Debug, Deserialize, Default)]
struct RawAbbrevs {
    #[serde(default)]
    vi: Vec<Abbrev>,
    #[serde(default)]
    en: Vec<Abbrev>,
    #[serde(default)]
    ru: Vec<Abbrev>,
}

/// The gazetteer files, compiled in.
pub const ENTITY_FILES: [(&str, &str); 6] = [
    (
        "countries.toml",
        include_str!("../../../data/gazetteer/countries.toml"),
    ),
    (
        "people.toml",
        include_str!("../../../data/gazetteer/people.toml"),
    ),
    (
        "organizations.toml",
        include_str!("../../../data/gazetteer/organizations.toml"),
    ),
    (
        "places.toml",
        include_str!("../../../data/gazetteer/places.toml"),
    ),
    (
        "agreements.toml",
        include_str!("../../../data/gazetteer/agreements.toml"),
    ),
    (
        "events.toml",
        include_str!("../../../data/gazetteer/events.toml"),
    ),
];
pub const CONTEXT_FILE: &str = include_str!("../../../data/gazetteer/context.toml");
pub const ABBREV_FILE: &str = include_str!("../../../data/gazetteer/abbreviations.toml");

/// The loaded, validated gazetteer.
#[derive(Debug)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
    pub context: Context,
    pub abbreviations: Vec<Abbrev>,
}

/// Why the gazetteer does not load.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{file}: {msg}")]
    Parse { file: String, msg: String },
    #[error("invalid gazetteer: {0}")]
    Invalid(String),
}

/// True when every letter of `s` is uppercase and it has at least two letters.
pub fn all_caps(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
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
        let abbreviations: Vec<Abbrev> = ab.vi.into_iter().chain(ab.en).chain(ab.ru).collect();
        let mut raw = Vec::new();
        for (name, text) in files {
            let f: RawFile = toml::from_str(text).map_err(|e| GazetteerError::Parse {
                file: (*name).to_string(),
                msg: e.to_string(),
            })?;
            raw.extend(f.entity);
        }
        let common: HashSet<String> = context
            .common_words
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        let mut ids = HashSet::new();
        let mut entities = Vec::new();
        for r in raw {
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
                        generated,
                    });
                };
            let labels: Vec<&String> = std::iter::once(&r.en)
                .chain(r.vi.iter())
                .chain(r.ru.iter())
                .collect();
            let restricted: HashSet<&String> = r
                .guarded
                .iter()
                .chain(&r.titled)
                .chain(&r.surnames)
                .collect();
            for l in &labels {
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
            for (t, _) in &written {
                for v in variants::abbreviated(t, &abbreviations) {
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
            entities.push(Entity {
                id: r.id,
                kind: r.kind,
                en: r.en,
                vi: r.vi,
                ru: r.ru,
                qid: r.qid,
                dates: r.dates,
                terms: r.terms,
                aliases,
            });
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
        Ok(Gazetteer {
            entities,
            context,
            abbreviations,
        })
    }

    /// The entity with this id.
    pub fn by_id(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// Every entity one of whose aliases (or labels, or id) has this folded form.
    pub fn lookup(&self, name: &str) -> Vec<&Entity> {
        let k = variants::key(name);
        let kj = variants::joined_key(name);
        let mut out: Vec<&Entity> = Vec::new();
        for e in &self.entities {
            let hit = e.id == name
                || fold(&e.id) == k
                || e.aliases.iter().any(|a| {
                    let ak = variants::key(&a.text);
                    ak == k || ak == kj || variants::joined_key(&a.text) == kj
                });
            if hit {
                out.push(e);
            }
        }
        out
    }
}
