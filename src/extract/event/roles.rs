//! Participants, roles, field and summary of an event statement.

use crate::extract::Fact;
use crate::knowledge::event_words::Word;
use crate::knowledge::events::{EventLexicon, EventType};
use std::collections::BTreeMap;
use std::ops::Range;

/// Entity types that take part in events (places say where, treaties and wars say what).
const ACTOR_TYPES: [&str; 3] = ["country", "person", "organization"];

/// One participant.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// Canonical label.
    pub label: String,
    pub id: String,
    /// The role the sentence gives it, if it gives one.
    pub role: Option<String>,
}

/// The participants of one statement, with the place and what it is about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Participants {
    pub list: Vec<Participant>,
    /// The first place named.
    pub place: Option<String>,
    /// Treaties, wars, conferences named.
    pub about: Vec<String>,
}

/// The words whose actors may take part in one predicate's event: its clause, and the
/// sentence's subject (used when the clause names no actor before the predicate).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub clause: Range<usize>,
    pub subject: Range<usize>,
}

impl Participants {
    /// Adds the participants of `other` not named yet (the place and what it is about too).
    pub fn extend(&mut self, other: Participants) {
        for p in other.list {
            if !self.list.iter().any(|q| q.id == p.id) {
                self.list.push(p);
            }
        }
        if self.place.is_none() {
            self.place = other.place;
        }
        for a in other.about {
            if !self.about.contains(&a) {
                self.about.push(a);
            }
        }
    }

    pub fn labels(&self) -> Vec<String> {
        self.list.iter().map(|p| p.label.clone()).collect()
    }
    pub fn ids(&self) -> Vec<String> {
        self.list.iter().map(|p| p.id.clone()).collect()
    }
    pub fn roles(&self) -> Vec<crate::fact::Role> {
        self.list
            .iter()
            .map(|p| crate::fact::Role {
                entity: p.label.clone(),
                role: p.role.clone(),
            })
            .collect()
    }
    fn with_role(&self, role: &str) -> Vec<&str> {
        self.list
            .iter()
            .filter(|p| p.role.as_deref() == Some(role))
            .map(|p| p.label.as_str())
            .collect()
    }
}

/// The participants of a statement whose trigger covers `trigger` words: the actors named in
/// its `scope`, in order, each once (the sentence's subject only when the clause names no
/// actor before the trigger). With two roles, an actor before the trigger takes the first
/// role ("Lê Duẩn" visits), one right after it or after a role cue ("to", "thăm", "cho") the
/// second (the host, the recipient), any other the first. The place and what the statement
/// is about (treaties, wars) come from the whole sentence.
pub fn participants(
    mentions: &[&Fact],
    ws: &[Word],
    trigger: Range<usize>,
    scope: &Scope,
    word_of: &dyn Fn(usize) -> usize,
    ty: &EventType,
    lex: &EventLexicon,
) -> Participants {
    let mut out = Participants::default();
    let subject_needed = !mentions.iter().any(|m| {
        let w = word_of(m.evidence.start);
        m.body
            .mention()
            .is_some_and(|x| ACTOR_TYPES.contains(&x.entity_type.as_str()))
            && scope.clause.contains(&w)
            && w < trigger.start
    });
    for m in mentions {
        let Some(x) = m.body.mention() else {
            continue;
        };
        let (label, id, et) = (
            x.entity.as_str(),
            x.entity_id.as_str(),
            x.entity_type.as_str(),
        );
        match et {
            "place" => {
                if out.place.is_none() {
                    out.place = Some(label.to_string());
                }
                continue;
            }
            "treaty" | "event" => {
                if !out.about.iter().any(|a| a == label) {
                    out.about.push(label.to_string());
                }
                continue;
            }
            t if !ACTOR_TYPES.contains(&t) => continue,
            _ => {}
        }
        if out.list.iter().any(|p| p.id == id) {
            continue;
        }
        let w = word_of(m.evidence.start);
        if !(scope.clause.contains(&w) || (subject_needed && scope.subject.contains(&w))) {
            continue;
        }
        let role = if ty.roles.len() < 2 {
            ty.roles.first().cloned()
        } else if w < trigger.start {
            Some(ty.roles[0].clone())
        } else {
            let gap = trigger.end..w.max(trigger.end);
            let cue = gap.is_empty()
                || lex
                    .second_role_cues
                    .occurs_in(ws, w.saturating_sub(3).max(trigger.end)..w);
            Some(ty.roles[if cue { 1 } else { 0 }].clone())
        };
        out.list.push(Participant {
            label: label.to_string(),
            id: id.to_string(),
            role,
        });
    }
    out
}

/// The statement's field: the type's own, or, where the type allows it, the field whose cues
/// the sentence names most.
pub fn field(ty: &EventType, ws: &[Word], lex: &EventLexicon) -> String {
    if !ty.field_from_context {
        return ty.field.clone();
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in lex.fields.find_all(ws) {
        *counts.entry(f.value.as_str()).or_default() += 1;
    }
    let own = counts.get(ty.field.as_str()).copied().unwrap_or(0);
    match counts.iter().max_by_key(|(f, n)| (**n, **f == ty.field)) {
        Some((f, n)) if *n > own => f.to_string(),
        _ => ty.field.clone(),
    }
}

/// Fills an event summary template: `{label}` (the type's label), `{participants}` (`all`),
/// `{first}` and `{second}` (the holders of the type's first and second role, else `all`).
/// A template that names a role nobody is known to hold reads wrongly ("Vietnam, USSR visits
/// Vietnam, USSR"): then `neutral` is filled instead. A lower-case first letter is
/// upper-cased.
///
/// ```
/// use annals::extract::event::roles::fill_summary;
/// let none = |_: usize| Vec::<String>::new();
/// assert_eq!(
///     fill_summary("{first} visits {second}", "{label}: {participants}", "visit", "A, B", &none),
///     "Visit: A, B"
/// );
/// let roles = |i: usize| vec![["A", "B"][i].to_string()];
/// assert_eq!(
///     fill_summary("{first} visits {second}", "{label}: {participants}", "visit", "A, B", &roles),
///     "A visits B"
/// );
/// ```
pub fn fill_summary(
    template: &str,
    neutral: &str,
    label: &str,
    all: &str,
    holders: &dyn Fn(usize) -> Vec<String>,
) -> String {
    let roles_known = (!template.contains("{first}") || !holders(0).is_empty())
        && (!template.contains("{second}") || !holders(1).is_empty());
    let template = if roles_known { template } else { neutral };
    let role_or_all = |i: usize| {
        let h = holders(i);
        if h.is_empty() {
            all.to_string()
        } else {
            h.join(", ")
        }
    };
    let mut s = template
        .replace("{label}", label)
        .replace("{participants}", all)
        .replace("{first}", &role_or_all(0))
        .replace("{second}", &role_or_all(1));
    let mut chars = s.chars();
    if let Some(c) = chars.next().filter(|c| c.is_lowercase()) {
        s = c.to_uppercase().collect::<String>() + chars.as_str();
    }
    s
}

/// A one-line English summary from the type's template.
pub fn summary(ty: &EventType, p: &Participants, start: &str, end: &str) -> String {
    let all = p.labels().join(", ");
    let all = if all.is_empty() {
        "unnamed parties".to_string()
    } else {
        all
    };
    let holders = |i: usize| -> Vec<String> {
        ty.roles
            .get(i)
            .map(|r| p.with_role(r).into_iter().map(str::to_string).collect())
            .unwrap_or_default()
    };
    let s = fill_summary(
        &ty.summary,
        "{label}: {participants}",
        &ty.label,
        &all,
        &holders,
    );
    let date = if start == end {
        start.to_string()
    } else {
        format!("{start}/{end}")
    };
    format!("{s} ({date})")
}
