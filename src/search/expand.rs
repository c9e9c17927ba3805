//! What else a query's words mean: an entity's other names and a domain concept's
//! translations, searched after the words as typed.
//!
//! A historian types "Brezhnev" and the Vietnamese thesis writes "Brêgiơnép", the Russian
//! article "Брежнева"; they type "CMEA" and the sources say "SEV", "СЭВ", "Hội đồng Tương
//! trợ Kinh tế"; "treaty friendship" should find "Hiệp ước hữu nghị" and "договор о
//! дружбе". [`expand`] reads the query with the knowledge annals already has: a run of
//! words that names one entity of the gazetteer ([`crate::knowledge::gazetteer::resolve`])
//! becomes that entity, with every label, alias, transliteration, abbreviation and case
//! form; a run that is a form of a concept of the domain lexicon
//! ([`crate::knowledge::domain`]) becomes that concept, with its forms in every language
//! (a trailing `*` a prefix: "договор*"). The longest run at each word wins; an entity
//! wins a tie (a name is more specific than a term). Words in double quotes are never
//! expanded: a phrase asks for itself.
//!
//! The backend searches the expansion only after the words as typed and their folded
//! forms, so exact matches always rank first ([`super::SearchIndex::search`]), and the
//! search page says what it also searched ([`Group::shown`]).
//!
//! # Examples
//! ```
//! use annals::search::expand::{expand, Meaning};
//! let x = expand("Brezhnev");
//! assert!(matches!(x.groups[0].meaning, Some(Meaning::Entity { .. })));
//! assert!(x.groups[0].forms.iter().any(|f| f == "Брежнев"));
//! ```

use crate::knowledge::{domain, gazetteer};
use crate::text::lang::Lang;
use serde::Serialize;

/// The most forms one group searches (an entity with many case forms keeps its labels,
/// aliases and abbreviations first).
pub const MAX_FORMS: usize = 96;
/// The longest run of words read as one name or term.
const MAX_RUN: usize = 8;

/// What a run of the query's words was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Meaning {
    /// An entity of the gazetteer.
    Entity { id: String, name: String },
    /// A concept of the domain lexicon.
    Concept { id: String },
}

/// A run of the query's words: each group must match (AND); within a group, the words as
/// typed or any of `forms` (OR).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The words as typed (a quoted phrase in its quotes' place).
    pub typed: String,
    /// True when the words were in double quotes (searched as a phrase).
    pub phrase: bool,
    /// What the words were read as, if anything.
    pub meaning: Option<Meaning>,
    /// The other forms searched for them (never the typed words themselves): word
    /// sequences, a trailing `*` on the last word a prefix. Empty without a meaning.
    pub forms: Vec<String>,
    /// A few of `forms` to tell the reader (an entity's label in each language, a
    /// concept's first form in each language).
    pub shown: Vec<String>,
}

/// A query read for search: its groups in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Expansion {
    pub groups: Vec<Group>,
}

impl Expansion {
    /// True when some group has other forms to search.
    pub fn expands(&self) -> bool {
        self.groups.iter().any(|g| !g.forms.is_empty())
    }

    /// Every form shown to the reader, once each, in order.
    pub fn shown(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for g in &self.groups {
            for s in &g.shown {
                if !v.iter().any(|x| x.to_lowercase() == s.to_lowercase()) {
                    v.push(s.clone());
                }
            }
        }
        v
    }
}

/// Reads `query` ("Brezhnev", "treaty friendship", "\"Liên Xô\" CMEA") into groups, each
/// with its other forms. Never fails: words nothing knows stay groups of their own.
pub fn expand(query: &str) -> Expansion {
    let mut groups = Vec::new();
    let mut plain: Vec<String> = Vec::new();
    for (phrase, raw) in super::parse_query(query) {
        if phrase {
            groups.extend(read_run(&std::mem::take(&mut plain)));
            groups.push(Group {
                typed: raw,
                phrase: true,
                meaning: None,
                forms: Vec::new(),
                shown: Vec::new(),
            });
        } else {
            plain.push(raw);
        }
    }
    groups.extend(read_run(&plain));
    Expansion { groups }
}

/// Reads a run of plain words: the longest run at each word that names an entity or a
/// concept becomes one group.
fn read_run(words: &[String]) -> Vec<Group> {
    if words.is_empty() {
        return Vec::new();
    }
    let text = words.join(" ");
    let toks = crate::text::folded::tokenize(&text);
    // Concept hits by their first token.
    let lx = domain::lexicon();
    let hits = lx.find(&toks);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut best: Option<(usize, Option<Meaning>)> = None;
        for len in (1..=MAX_RUN.min(toks.len() - i)).rev() {
            let span = &text[toks[i].range.start..toks[i + len - 1].range.end];
            if let Some(e) = entity(span) {
                best = Some((
                    len,
                    Some(Meaning::Entity {
                        id: e.id.clone(),
                        name: e.name.clone(),
                    }),
                ));
                break;
            }
            if let Some(h) = hits
                .iter()
                .find(|h| h.toks.start == i && h.toks.len() == len)
            {
                best = Some((
                    len,
                    Some(Meaning::Concept {
                        id: lx.concepts[h.concept].id.clone(),
                    }),
                ));
                break;
            }
        }
        let (len, meaning) = best.unwrap_or((1, None));
        let start = toks[i].range.start;
        let end = toks[i + len - 1].range.end;
        let typed = text[start..end].to_string();
        let (forms, shown) = match &meaning {
            Some(Meaning::Entity { id, .. }) => entity_forms(id, &typed),
            Some(Meaning::Concept { id }) => concept_forms(id, &typed),
            None => (Vec::new(), Vec::new()),
        };
        out.push(Group {
            typed,
            phrase: false,
            meaning,
            forms,
            shown,
        });
        i += len;
    }
    out
}

/// The one entity `span` names, when it is a name: two letters at least, not a number,
/// and not a common word of a language (a stop word names nothing in a search).
fn entity(span: &str) -> Option<&'static gazetteer::Entity> {
    if span.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    let lower = span.to_lowercase();
    if Lang::all().iter().any(|l| {
        let d = l.data();
        d.search_exact_only.contains(&lower)
    }) {
        return None;
    }
    gazetteer::resolve(span)
}

fn same(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

fn push_form(forms: &mut Vec<String>, typed: &str, f: &str) {
    let f = f.trim();
    if f.is_empty() || same(f, typed) || forms.iter().any(|x| same(x, f)) {
        return;
    }
    if forms.len() < MAX_FORMS {
        forms.push(f.to_string());
    }
}

/// An entity's labels first, then its hand-written names, then the rest (generated case
/// forms and transliterations).
fn entity_forms(id: &str, typed: &str) -> (Vec<String>, Vec<String>) {
    let Some(e) = gazetteer::builtin().by_id(id) else {
        return (Vec::new(), Vec::new());
    };
    let mut forms = Vec::new();
    let mut shown = Vec::new();
    for l in std::iter::once(e.name.as_str()).chain(e.labels.values().flatten().map(|s| s.as_str()))
    {
        push_form(&mut forms, typed, l);
        if !same(l, typed) && !shown.iter().any(|x: &String| same(x, l)) {
            shown.push(l.to_string());
        }
    }
    let mut aliases: Vec<&gazetteer::Alias> = e.aliases.iter().collect();
    aliases.sort_by_key(|a| (a.generated, a.kind));
    for a in aliases {
        push_form(&mut forms, typed, &a.text);
        if !a.generated
            && a.kind == gazetteer::AliasKind::Abbreviation
            && shown.len() < 6
            && !same(&a.text, typed)
            && !shown.iter().any(|x| same(x, &a.text))
        {
            shown.push(a.text.clone());
        }
    }
    (forms, shown)
}

/// A concept's forms in every language; its first form in each language shown.
fn concept_forms(id: &str, typed: &str) -> (Vec<String>, Vec<String>) {
    let lx = domain::lexicon();
    let mut forms = Vec::new();
    let mut shown = Vec::new();
    for &l in Lang::all() {
        let Some(fs) = lx.forms(id, l) else {
            continue;
        };
        for (k, f) in fs.iter().enumerate() {
            push_form(&mut forms, typed, f);
            if k == 0 && !same(f, typed) {
                shown.push(
                    f.trim_end_matches('*').to_string() + if f.ends_with('*') { "…" } else { "" },
                );
            }
        }
    }
    (forms, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity_of(x: &Expansion, i: usize) -> Option<&str> {
        match &x.groups.get(i)?.meaning {
            Some(Meaning::Entity { id, .. }) => Some(id),
            _ => None,
        }
    }

    fn has(x: &Expansion, i: usize, form: &str) -> bool {
        x.groups[i].forms.iter().any(|f| f == form)
    }

    #[test]
    fn a_name_in_any_script_gives_the_others() {
        for q in ["Brezhnev", "Брежнев", "Brêgiơnép", "brezhnev"] {
            let x = expand(q);
            assert_eq!(x.groups.len(), 1, "{q}");
            let id = entity_of(&x, 0).unwrap_or_else(|| panic!("{q}: no entity"));
            let e = gazetteer::builtin().by_id(id).unwrap();
            assert_eq!(e.name, "Leonid Brezhnev", "{q}");
            for f in ["Brezhnev", "Брежнев", "Brêgiơnép"] {
                assert!(same(f, q) || has(&x, 0, f), "{q} lacks {f}");
            }
            assert!(
                !has(&x, 0, q),
                "{q}: the typed words are not a form of their own"
            );
        }
    }

    #[test]
    fn an_organization_gives_its_abbreviations_and_translations() {
        let x = expand("CMEA");
        assert!(entity_of(&x, 0).is_some());
        for f in ["SEV", "СЭВ", "Comecon"] {
            assert!(
                x.groups[0].forms.iter().any(|g| same(g, f)),
                "CMEA lacks {f}"
            );
        }
        let y = expand("Comecon");
        assert_eq!(entity_of(&x, 0), entity_of(&y, 0));
    }

    #[test]
    fn concepts_give_their_forms_in_every_language() {
        let x = expand("treaty friendship");
        assert_eq!(x.groups.len(), 2);
        assert!(matches!(&x.groups[0].meaning, Some(Meaning::Concept { id }) if id == "treaty"));
        assert!(has(&x, 0, "hiệp ước"), "{:?}", x.groups[0].forms);
        assert!(x.groups[0].forms.iter().any(|f| f.starts_with("договор")));
        assert!(matches!(
            &x.groups[1].meaning,
            Some(Meaning::Concept { .. })
        ));
        assert!(x.expands());
        assert!(!x.shown().is_empty());
    }

    #[test]
    fn a_name_of_several_words_is_one_group() {
        let x = expand("Liên Xô trade");
        assert_eq!(x.groups.len(), 2, "{x:?}");
        assert_eq!(entity_of(&x, 0), entity_of(&expand("Soviet Union"), 0));
        assert!(entity_of(&x, 0).is_some());
        assert_eq!(x.groups[0].typed, "Liên Xô");
    }

    #[test]
    fn quoted_phrases_and_unknown_words_stay_as_typed() {
        let x = expand("\"Brezhnev\" zebrafinch");
        assert_eq!(x.groups.len(), 2);
        assert!(x.groups[0].phrase && x.groups[0].forms.is_empty());
        assert!(x.groups[1].meaning.is_none() && x.groups[1].forms.is_empty());
        assert!(!x.expands());
        assert!(!expand("the of and").expands());
    }
}
