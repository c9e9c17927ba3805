//! Merging: statements of one event, in any language and any document, become one [`Event`]
//! that keeps every statement's evidence.
//!
//! The rule, kept simple so that it can be explained on every event page:
//! - only statements of the same type, the same date interval (as normalized) and the same
//!   modality merge ("will visit" never merges with a visit); negated statements, and
//!   statements whose date was carried over from the sentence before, are not events;
//! - within those, statements merge when they share a participant, and never when they name
//!   different treaties or agreements; a statement typed `other` says too little of what
//!   happened to be matched by participants and date alone ("leased since 1979" and
//!   "selected in 1979", both about Vietnam): it merges only with one of the same trigger
//!   word, and one naming no participant stays alone;
//! - statements whose dates differ are never merged, even when one date contains the other
//!   ("1978" and "3 November 1978"): the event with the coarser date is linked to the finer
//!   one as `related`, and disjoint dates of what looks like one event are a conflict
//!   (`super::conflict`), never a silent choice.

use crate::span::Span;
use crate::store::StoredFact;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One statement of an event, as stored by the event extractor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// The stored fact's id.
    pub fact: i64,
    pub evidence: Span,
    pub lang: String,
    pub ty: String,
    pub field: String,
    pub date_start: String,
    pub date_end: String,
    /// Where the date came from: "sentence", "range", "coordinated", "paragraph".
    pub date_origin: String,
    pub date_text: String,
    pub participants: Vec<String>,
    pub participant_ids: Vec<String>,
    pub roles: Vec<crate::fact::Role>,
    pub place: Option<String>,
    pub about: Vec<String>,
    pub trigger: String,
    pub polarity: String,
    pub modality: String,
    pub circumstance: bool,
    pub summary: String,
    pub ordinal: Option<crate::fact::Ordinal>,
}

impl Statement {
    /// Reads a stored `event_statement` fact.
    pub fn from_fact(f: &StoredFact) -> Option<Statement> {
        let e = f.body.event()?;
        let date = |p: Option<crate::fact::Point>| p.map(|p| p.iso()).unwrap_or_default();
        Some(Statement {
            fact: f.id,
            evidence: f.span(),
            lang: e.lang.code().to_string(),
            ty: e.ty.clone(),
            field: e.field.clone(),
            date_start: date(e.date_start),
            date_end: date(e.date_end),
            date_origin: e.date_origin.clone(),
            date_text: e.date_text.clone(),
            participants: e.participants.clone(),
            participant_ids: e.participant_ids.clone(),
            roles: e.roles.clone(),
            place: e.place.clone(),
            about: e.about.clone(),
            trigger: e.trigger.clone(),
            polarity: e.polarity.clone(),
            modality: e.modality.clone(),
            circumstance: e.circumstance,
            summary: e.summary.clone(),
            ordinal: e.ordinal.clone(),
        })
    }
}

/// Why an event's statements were taken as one event.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum MergeWhy {
    /// One statement: nothing was merged.
    #[default]
    One,
    /// Statements of the same type and date sharing participants (and, for a type-less
    /// event, the same predicate).
    Same {
        statements: usize,
        documents: usize,
        date: String,
        same_predicate: bool,
    },
    /// Merged by a historian's decision (`audit`: its number in the log).
    Curated {
        audit: i64,
        statements: usize,
        documents: usize,
    },
}

/// One event, with every statement of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Stable id: derived from the type, the date and the first statement's span.
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub field: String,
    pub date_start: String,
    pub date_end: String,
    /// Canonical labels, most often named first.
    pub participants: Vec<String>,
    pub place: Option<String>,
    /// Treaties, agreements, wars named by the statements.
    pub about: Vec<String>,
    pub modality: String,
    pub summary: String,
    /// Every statement, in document order.
    pub statements: Vec<Statement>,
    /// How many documents state it.
    pub sources: usize,
    /// The languages it is stated in.
    pub languages: Vec<String>,
    /// Why these statements were merged (English).
    pub merge_reason: String,
    /// The same as `merge_reason`, as data, for an interface to say in its own language.
    #[serde(skip)]
    pub merge_why: MergeWhy,
    /// Events that may be the same one told with a coarser or finer date.
    pub related: Vec<String>,
}

impl Event {
    /// The evidence spans, one per statement.
    pub fn evidence(&self) -> Vec<&Span> {
        self.statements.iter().map(|s| &s.evidence).collect()
    }
}

/// What statements merge under: their type, date interval and modality. Statements of
/// different groups never merge, so a group's events depend on its statements alone (a read
/// model re-merges only the groups a changed document touches: [`crate::snapshot`]).
pub type GroupKey = (String, String, String, String);

/// The group of a statement; `None` for one that is not an event. Negated statements are
/// not events; a date carried over from the sentence before is kept on the statement (for
/// curation) but too weak to make an event.
pub fn group_key(st: &Statement) -> Option<GroupKey> {
    if st.polarity == "negative" || st.date_start.is_empty() || st.date_origin == "paragraph" {
        return None;
    }
    Some((
        st.ty.clone(),
        st.date_start.clone(),
        st.date_end.clone(),
        st.modality.clone(),
    ))
}

/// Groups statements into events (see the module doc for the rule).
pub fn merge(statements: Vec<Statement>) -> Vec<Event> {
    let mut by_key: BTreeMap<GroupKey, Vec<Statement>> = BTreeMap::new();
    for st in statements {
        if let Some(key) = group_key(&st) {
            by_key.entry(key).or_default().push(st);
        }
    }
    finish(by_key.into_values().flat_map(merge_group).collect())
}

/// The events of one group's statements (all of one [`GroupKey`]), before [`finish`]. The
/// statements are taken in document order (document id, then span, then fact id), whatever
/// order they come in.
pub fn merge_group(mut statements: Vec<Statement>) -> Vec<Event> {
    statements.sort_by(|a, b| {
        (&a.evidence.doc, a.evidence.start, a.evidence.end, a.fact).cmp(&(
            &b.evidence.doc,
            b.evidence.start,
            b.evidence.end,
            b.fact,
        ))
    });
    cluster(statements).into_iter().map(build).collect()
}

/// Links the events of every group that may be one told with a coarser or finer date, and
/// puts them in timeline order.
pub fn finish(mut events: Vec<Event>) -> Vec<Event> {
    link_related(&mut events);
    events.sort_by(|a, b| {
        (&a.date_start, &a.date_end, &a.ty, &a.id).cmp(&(&b.date_start, &b.date_end, &b.ty, &b.id))
    });
    events
}

/// Clusters statements of one type and date: linked when they share a participant and name
/// no different treaties.
fn cluster(group: Vec<Statement>) -> Vec<Vec<Statement>> {
    let n = group.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        p[i] = r;
        r
    }
    let compatible = |a: &Statement, b: &Statement| {
        let share = a
            .participant_ids
            .iter()
            .any(|x| b.participant_ids.contains(x));
        let about_clash = !a.about.is_empty()
            && !b.about.is_empty()
            && !a.about.iter().any(|x| b.about.contains(x));
        // "other" says nothing of what happened: the same predicate must say it.
        let same_act = a.ty != "other" || fold_trigger(&a.trigger) == fold_trigger(&b.trigger);
        // One sentence telling one type on one date tells one event.
        let same_sentence = a.evidence.doc == b.evidence.doc
            && a.evidence.start == b.evidence.start
            && a.evidence.end == b.evidence.end;
        same_sentence || (share && !about_clash && same_act)
    };
    for i in 0..n {
        for j in i + 1..n {
            if compatible(&group[i], &group[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    // Statements naming no participant join the only cluster there is, if there is one.
    let roots: BTreeSet<usize> = (0..n)
        .filter(|&i| !group[i].participant_ids.is_empty())
        .map(|i| find(&mut parent, i))
        .collect();
    let vague = group.first().is_some_and(|s| s.ty == "other");
    if roots.len() == 1 && !vague {
        let r = *roots.iter().next().unwrap_or(&0);
        for i in 0..n {
            if group[i].participant_ids.is_empty() {
                parent[i] = r;
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<Statement>> = BTreeMap::new();
    for (i, st) in group.into_iter().enumerate() {
        let r = find(&mut parent, i);
        clusters.entry(r).or_default().push(st);
    }
    clusters.into_values().collect()
}

/// A trigger as compared across statements: lowercased, spaces collapsed.
fn fold_trigger(t: &str) -> String {
    t.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn short_hash(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h >> 32)
}

fn build(mut sts: Vec<Statement>) -> Event {
    sts.sort_by(|a, b| {
        (&a.evidence.doc, a.evidence.start).cmp(&(&b.evidence.doc, b.evidence.start))
    });
    let first = &sts[0];
    let id = format!(
        "ev-{}-{}-{}",
        first.date_start,
        first.ty,
        short_hash(&format!(
            "{}:{}:{}",
            first.evidence.doc, first.evidence.start, first.date_end
        ))
    );
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut order = 0;
    for st in &sts {
        for p in &st.participants {
            let e = counts.entry(p.as_str()).or_insert((0, order));
            e.0 += 1;
            order += 1;
        }
    }
    let mut participants: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
    participants.sort_by_key(|(_, (n, o))| (std::cmp::Reverse(*n), *o));
    let participants: Vec<String> = participants
        .into_iter()
        .map(|(p, _)| p.to_string())
        .collect();
    let docs: BTreeSet<&str> = sts.iter().map(|s| s.evidence.doc.as_str()).collect();
    let languages: BTreeSet<String> = sts.iter().map(|s| s.lang.clone()).collect();
    let mut about: Vec<String> = Vec::new();
    for st in &sts {
        for a in &st.about {
            if !about.contains(a) {
                about.push(a.clone());
            }
        }
    }
    // The field most statements give; the summary of the statement naming most participants.
    let mut fields: BTreeMap<&str, usize> = BTreeMap::new();
    for st in &sts {
        *fields.entry(st.field.as_str()).or_default() += 1;
    }
    let field = fields
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(f, _)| f.to_string())
        .unwrap_or_default();
    let summary = sts
        .iter()
        .max_by_key(|s| (s.participants.len(), std::cmp::Reverse(s.evidence.start)))
        .map(|s| s.summary.clone())
        .unwrap_or_default();
    let merge_why = if sts.len() == 1 {
        MergeWhy::One
    } else {
        MergeWhy::Same {
            statements: sts.len(),
            documents: docs.len(),
            date: if first.date_start == first.date_end {
                first.date_start.clone()
            } else {
                format!("{}/{}", first.date_start, first.date_end)
            },
            same_predicate: first.ty == "other",
        }
    };
    let merge_reason = if sts.len() == 1 {
        "one statement".to_string()
    } else {
        format!(
            "{} statements in {} document(s): same type ({}), same date ({}), shared participants",
            sts.len(),
            docs.len(),
            first.ty,
            if first.date_start == first.date_end {
                first.date_start.clone()
            } else {
                format!("{}/{}", first.date_start, first.date_end)
            }
        ) + if first.ty == "other" {
            ", same predicate"
        } else {
            ""
        }
    };
    Event {
        id,
        ty: first.ty.clone(),
        field,
        date_start: first.date_start.clone(),
        date_end: first.date_end.clone(),
        participants,
        place: sts.iter().find_map(|s| s.place.clone()),
        about,
        modality: first.modality.clone(),
        summary,
        sources: docs.len(),
        languages: languages.into_iter().collect(),
        merge_reason,
        merge_why,
        related: Vec::new(),
        statements: sts,
    }
}

/// The last instant of an ISO prefix as a sequence to compare: the prefix followed by the
/// highest character ("1978" ends after every "1978-…").
fn hi(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().chain(std::iter::once('\u{10ffff}'))
}

/// True when interval `a` lies inside `b` (ISO prefixes compare as intervals).
pub fn within(a: (&str, &str), b: (&str, &str)) -> bool {
    a.0 >= b.0 && hi(a.1).le(hi(b.1))
}

/// True when two intervals share a day.
pub fn overlaps(a: (&str, &str), b: (&str, &str)) -> bool {
    a.0.chars().le(hi(b.1)) && b.0.chars().le(hi(a.1))
}

/// Links events of one type and shared participants whose dates nest (one told with a
/// coarser date than the other).
fn link_related(events: &mut [Event]) {
    let n = events.len();
    let mut links: Vec<(usize, usize)> = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i == j || events[i].ty != events[j].ty {
                continue;
            }
            let (a, b) = (&events[i], &events[j]);
            let nested = (a.date_start != b.date_start || a.date_end != b.date_end)
                && within((&a.date_start, &a.date_end), (&b.date_start, &b.date_end));
            let share = a.participants.iter().any(|p| b.participants.contains(p));
            if nested && share {
                links.push((i, j));
            }
        }
    }
    for (i, j) in links {
        let (a, b) = (events[i].id.clone(), events[j].id.clone());
        if !events[i].related.contains(&b) {
            events[i].related.push(b);
        }
        if !events[j].related.contains(&a) {
            events[j].related.push(a);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(fact: i64, doc: &str, ty: &str, trigger: &str, ids: &[&str]) -> Statement {
        Statement {
            fact,
            evidence: Span {
                doc: doc.into(),
                start: 0,
                end: 10,
                text: String::new(),
                place: None,
            },
            lang: "en".into(),
            ty: ty.into(),
            field: "politics".into(),
            date_start: "1979".into(),
            date_end: "1979".into(),
            date_origin: "sentence".into(),
            date_text: "1979".into(),
            participants: ids.iter().map(|s| s.to_string()).collect(),
            participant_ids: ids.iter().map(|s| s.to_string()).collect(),
            roles: Vec::new(),
            place: None,
            about: Vec::new(),
            trigger: trigger.into(),
            polarity: "positive".into(),
            modality: "asserted".into(),
            circumstance: false,
            summary: String::new(),
            ordinal: None,
        }
    }

    proptest::proptest! {
        /// The interval comparisons read an ISO prefix's end as the prefix followed by the
        /// highest character, without building that string.
        #[test]
        fn interval_comparisons_read_a_prefix_as_its_whole_span(
            a in "[0-9]{4}(-[01][0-9](-[0-3][0-9])?)?",
            b in "[0-9]{4}(-[01][0-9](-[0-3][0-9])?)?",
            c in "[0-9]{4}(-[01][0-9](-[0-3][0-9])?)?",
            d in "[0-9]{4}(-[01][0-9](-[0-3][0-9])?)?",
        ) {
            let hi = |s: &str| format!("{s}\u{10ffff}");
            proptest::prop_assert_eq!(
                within((&a, &b), (&c, &d)),
                a >= c && hi(&b) <= hi(&d)
            );
            proptest::prop_assert_eq!(
                overlaps((&a, &b), (&c, &d)),
                a <= hi(&d) && c <= hi(&b)
            );
        }
    }

    #[test]
    fn a_coarser_date_contains_a_finer_one() {
        assert!(within(("1978-11-03", "1978-11-03"), ("1978", "1978")));
        assert!(!within(("1978", "1978"), ("1978-11-03", "1978-11-03")));
        assert!(overlaps(("1978", "1978"), ("1978-11-03", "1978-11-03")));
        assert!(!overlaps(("1978", "1979"), ("1980-01", "1980-02")));
        assert!(overlaps(("1975", "1991"), ("1991-12", "1991-12")));
    }

    /// Typed statements of one date sharing a participant merge, and one naming nobody joins
    /// them; statements typed `other` merge only on the same trigger word, and one naming
    /// nobody stays alone.
    #[test]
    fn other_statements_merge_only_on_the_same_predicate() {
        let typed = merge(vec![
            st(1, "a", "visit", "visited", &["vietnam"]),
            st(2, "b", "visit", "thăm", &["vietnam", "soviet-union"]),
            st(3, "c", "visit", "visit", &[]),
        ]);
        assert_eq!(typed.len(), 1);
        let other = merge(vec![
            st(1, "a", "other", "leased", &["vietnam"]),
            st(2, "b", "other", "được tuyển chọn", &["vietnam"]),
            st(3, "c", "other", "Leased", &["vietnam"]),
            st(4, "d", "other", "opened", &[]),
            // The same sentence, another trigger: one event.
            st(5, "d", "other", "reached", &[]),
        ]);
        let mut sizes: Vec<usize> = other.iter().map(|e| e.evidence().len()).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![1, 2, 2]);
    }
}
