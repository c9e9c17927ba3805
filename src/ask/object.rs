//! The object of a directed act: what a visit goes to, what a state joins, whom aid or an
//! export goes to. A question "when did Putin first visit Vietnam" asks about a visit to
//! Vietnam; a sentence stating a visit to Russia, and to nothing the question names, states
//! another act, however many of the question's words it shares.
//!
//! The same holds for who acts in a directed act: "Ho Chi Minh's first visit" is not
//! Putin's ([`subjects`]).
//!
//! The object is read the same way in the question and in the sentence, in every language:
//! a name right after the act's words (one word between at most: "visited the USSR"), or a
//! name after a role cue of the event lexicon of the text's language ("a visit **to**
//! Vietnam", "chuyến thăm đầu tiên của ông **đến** LB Nga", "визит Путина **во** Вьетнам"),
//! inside the same clause. Which acts are directed is the lexicon's data
//! (`directed = true`); acts whose parties can change places ("sign with", "talks with")
//! are not.

use crate::knowledge::domain::Hit;
use crate::text::folded::Tok;
use crate::text::lang::Lang;
use std::ops::Range;

/// How many words may stand between the act and its object's cue.
const REACH: usize = 5;

/// A name found in a text: its entity, the entity's type and where it stands (bytes).
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub range: Range<usize>,
}

/// The entities `act` (a hit of a directed concept in `text`) takes as its object or goal:
/// (id, type), in text order.
pub fn objects(
    text: &str,
    toks: &[Tok],
    act: &Hit,
    names: &[Named],
    lang: Lang,
) -> Vec<(String, String)> {
    let cues = &crate::knowledge::events::lexicon(lang).second_role_words;
    let mut out: Vec<(String, String)> = Vec::new();
    for n in names {
        let Some(e0) = toks.iter().position(|t| t.range.end > n.range.start) else {
            continue;
        };
        if e0 < act.toks.end || e0 - act.toks.end > REACH || n.range.start < act.range.end {
            continue;
        }
        let between = text.get(act.range.end..n.range.start).unwrap_or("");
        if between.contains([',', ';', ':', '.', '(', ')', '?', '!']) {
            continue;
        }
        let cued = e0 - act.toks.end <= 1
            || toks[(e0.saturating_sub(2)).max(act.toks.end)..e0]
                .iter()
                .any(|t| cues.contains(&t.lower));
        if cued && !out.iter().any(|(id, _)| id == n.id) {
            out.push((n.id.to_string(), n.kind.to_string()));
        }
    }
    out
}

/// Actors (people, states, organizations) named before `act`: who does it. "When did
/// **Putin** first visit Vietnam" asks about Putin's visit; "Ho Chi Minh's first visit"
/// is another one.
pub fn subjects(act: &Hit, names: &[Named]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for n in names {
        if n.range.end <= act.range.start
            && ACTORS.contains(&n.kind)
            && !out.iter().any(|(id, _)| id == n.id)
        {
            out.push((n.id.to_string(), n.kind.to_string()));
        }
    }
    out
}

/// Entity types that act.
const ACTORS: [&str; 3] = ["person", "country", "organization"];

/// Whether two entities could be one act's object at one time: not when both have years of
/// existence in the gazetteer and these do not meet (the Soviet Union and the Russian
/// Federation are two states, but a question may name the one a source calls by the other
/// era's name).
pub fn contemporaries(a: &str, b: &str) -> bool {
    let g = crate::knowledge::gazetteer::builtin();
    let years = |id: &str| -> Option<(i32, i32)> {
        let span = g.by_id(id)?.dates.clone()?;
        let mut p = span.split('/');
        let from: i32 = p.next()?.get(..4)?.parse().ok()?;
        let to: i32 = p
            .next()
            .and_then(|y| y.get(..4))
            .and_then(|y| y.parse().ok())
            .unwrap_or(i32::MAX);
        Some((from, to))
    };
    match (years(a), years(b)) {
        (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
        _ => true,
    }
}
