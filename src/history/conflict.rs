//! Conflicts: places where sources (or one source) disagree. Every side is kept with its
//! evidence; nothing is resolved here.

use crate::span::Span;
use serde::Serialize;

/// What the sides disagree about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// One event, different dates.
    EventDate,
    /// One measure and period, values that differ beyond rounding.
    MeasureValue,
    /// Orderings that contradict each other ("one of the first" against "the second").
    Ordering,
}

/// One side of a conflict: a value and the spans that state it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// The value as a short display string ("1950-01-30", "593.8 million RUB", "second").
    pub value: String,
    /// The value in machine form (ISO date interval, number, rank...).
    pub value_json: serde_json::Value,
    /// The spans that state this value.
    pub evidence: Vec<Span>,
}

/// A disagreement, with every side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// Stable id ("conflict-<kind>-<n>").
    pub id: String,
    pub kind: ConflictKind,
    /// What is disputed ("treaty 1978, Vietnam–Soviet Union: date"; "Vietnam–USSR trade turnover, 1980").
    pub topic: String,
    /// At least two sides.
    pub claims: Vec<Claim>,
    /// Why these were judged to be about the same thing, and what differs (English).
    pub note: String,
    /// The same as `note`, as a code with its values, for an interface to say in its own
    /// language (`{"code": "once", "event_type": "treaty", "parties": […]}`).
    pub reason: Reason,
}

/// Why two claims were judged to be about one thing: [`Conflict::note`] as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Both sides name the same document (a treaty by its title).
    SameDocument {
        name: String,
        event_type: String,
        parties: Vec<String>,
    },
    /// An event of a type that happens once between the same parties (a treaty, a
    /// membership, diplomatic relations established).
    Once {
        event_type: String,
        parties: Vec<String>,
    },
    /// The same participants in the same year: two events, or one told with two dates.
    SameYear {
        event_type: String,
        parties: Vec<String>,
    },
    /// One measure and period, values beyond rounding of each other.
    Values {
        series: String,
        period: String,
        basis: Option<String>,
        /// The pairs of values that differ ("593.8 million RUB", "1 billion RUB").
        pairs: Vec<(String, String)>,
        /// What sources say to qualify the measure ("including credits").
        qualifiers: Vec<String>,
    },
    /// The sources rank the same actor differently in the same kind of event.
    Rank,
}

use super::merge::{Event, overlaps};

/// Types of events that happen once between the same parties: two dates for one of them is
/// a conflict whatever the years.
const SINGULAR: [&str; 5] = [
    "treaty",
    "membership",
    "establish_relations",
    "recognition",
    "collapse",
];

fn interval(start: &str, end: &str) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start}/{end}")
    }
}

fn claim_of(e: &Event) -> Claim {
    Claim {
        value: interval(&e.date_start, &e.date_end),
        value_json: serde_json::json!({"date_start": e.date_start, "date_end": e.date_end, "event": e.id}),
        evidence: e.statements.iter().map(|s| s.evidence.clone()).collect(),
    }
}

fn same_parties(a: &Event, b: &Event) -> bool {
    let pa: std::collections::BTreeSet<&String> = a.participants.iter().collect();
    let pb: std::collections::BTreeSet<&String> = b.participants.iter().collect();
    pa.len() >= 2 && pa == pb
}

/// Holders of `role` in any statement of `e`.
fn role_holders<'a>(e: &'a Event, role: &str) -> std::collections::BTreeSet<&'a str> {
    e.statements
        .iter()
        .flat_map(|s| &s.roles)
        .filter(|r| r.role.as_deref() == Some(role))
        .map(|r| r.entity.as_str())
        .collect()
}

/// The same visitor to the same host.
fn same_visitor(a: &Event, b: &Event) -> bool {
    let (va, vb) = (role_holders(a, "visitor"), role_holders(b, "visitor"));
    let (ha, hb) = (role_holders(a, "host"), role_holders(b, "host"));
    !va.is_disjoint(&vb) && !ha.is_disjoint(&hb)
}

/// Date conflicts between events that look like one event told with different dates.
///
/// Two events are taken to be one when they have the same type and either name the same
/// treaty or agreement, or (for a type that happens once between the same parties:
/// treaty, membership, relations, recognition, dissolution) name the same participants; for
/// visits and other repeatable types, only when the same participants are named and the
/// dates fall in the same year at month precision or finer. Their dates must not overlap.
pub fn event_dates(events: &[Event]) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = Vec::new();
    let mut seen: std::collections::BTreeSet<(usize, usize)> = Default::default();
    // Only dates stated in the event's own sentence, for the main event of it, to the
    // month or finer, are weighed against each other.
    let firm: Vec<bool> = events
        .iter()
        .map(|e| {
            e.date_start.len() >= 7
                && e.statements
                    .iter()
                    .all(|s| s.date_origin != "paragraph" && !s.circumstance)
        })
        .collect();
    for i in (0..events.len()).filter(|&i| firm[i]) {
        for j in (i + 1..events.len()).filter(|&j| firm[j]) {
            let (a, b) = (&events[i], &events[j]);
            if a.ty != b.ty || a.modality != b.modality {
                continue;
            }
            if overlaps((&a.date_start, &a.date_end), (&b.date_start, &b.date_end)) {
                continue;
            }
            let same_treaty = a.about.iter().any(|x| b.about.contains(x)) && a.ty == "treaty";
            let singular = SINGULAR.contains(&a.ty.as_str()) && same_parties(a, b);
            let fine =
                |e: &Event| e.date_start.len() >= 7 && e.date_start.get(..4) == e.date_end.get(..4);
            let same_year_visit = !SINGULAR.contains(&a.ty.as_str())
                && same_visitor(a, b)
                && fine(a)
                && fine(b)
                && a.date_start.get(..4) == b.date_start.get(..4)
                && matches!(a.ty.as_str(), "visit");
            if !(same_treaty || singular || same_year_visit) || !seen.insert((i, j)) {
                continue;
            }
            let (why, reason) = if same_treaty {
                let name = a
                    .about
                    .iter()
                    .find(|x| b.about.contains(x))
                    .cloned()
                    .unwrap_or_default();
                (
                    format!("both name {name}"),
                    Reason::SameDocument {
                        name,
                        event_type: a.ty.clone(),
                        parties: a.participants.clone(),
                    },
                )
            } else if singular {
                (
                    format!(
                        "a {} between the same parties ({}) happens once",
                        a.ty,
                        a.participants.join(", ")
                    ),
                    Reason::Once {
                        event_type: a.ty.clone(),
                        parties: a.participants.clone(),
                    },
                )
            } else {
                (
                    format!(
                        "same participants ({}) in the same year: perhaps two {}s, perhaps one told with two dates",
                        a.participants.join(", "),
                        a.ty
                    ),
                    Reason::SameYear {
                        event_type: a.ty.clone(),
                        parties: a.participants.clone(),
                    },
                )
            };
            out.push(Conflict {
                id: String::new(),
                kind: ConflictKind::EventDate,
                topic: format!("{} — {}: date", a.ty, a.participants.join(", ")),
                claims: vec![claim_of(a), claim_of(b)],
                note: why,
                reason,
            });
        }
    }
    out
}

/// Ordering conflicts: statements that rank the same participant differently in the same
/// kind of event ("one of the first, along with China" against "the second, after China").
///
/// Reads the `ordinal` the event extractor records: `{"rank": n, "tied_with": [...],
/// "after": [...]}`. A claim of rank 1 (or tied with X) and a claim of rank 2 after X about
/// the same actor and counterpart contradict each other.
pub fn orderings<'a>(
    statements: impl IntoIterator<Item = &'a super::merge::Statement>,
) -> Vec<Conflict> {
    use std::collections::BTreeMap;
    // Recognition and establishing relations are one ranking: who came first.
    fn family(t: &str) -> &str {
        match t {
            "recognition" | "establish_relations" => "recognition",
            other => other,
        }
    }
    let mut groups: BTreeMap<(String, String), Vec<&super::merge::Statement>> = BTreeMap::new();
    for st in statements {
        let Some(o) = &st.ordinal else {
            continue;
        };
        if st.polarity == "negative" {
            continue;
        }
        let ranked_against: Vec<&str> = o
            .after
            .iter()
            .chain(&o.tied_with)
            .map(String::as_str)
            .collect();
        let Some(first) = st
            .participants
            .iter()
            .find(|p| !ranked_against.contains(&p.as_str()))
        else {
            continue;
        };
        groups
            .entry((family(&st.ty).to_string(), first.clone()))
            .or_default()
            .push(st);
    }
    let mut out = Vec::new();
    for ((ty, actor), sts) in groups {
        let mut values: BTreeMap<String, Vec<&super::merge::Statement>> = BTreeMap::new();
        for s in &sts {
            let (r, after) = s
                .ordinal
                .as_ref()
                .map_or((0, 0), |o| (o.rank, o.after.len()));
            let key = if r <= 1 && after == 0 {
                "first (or among the first)".to_string()
            } else {
                format!("rank {r}")
            };
            values.entry(key).or_default().push(s);
        }
        if values.len() < 2 {
            continue;
        }
        out.push(Conflict {
            id: String::new(),
            kind: ConflictKind::Ordering,
            topic: format!("{ty}: where {actor} ranks"),
            claims: values
                .into_iter()
                .map(|(v, ss)| Claim {
                    value: v.clone(),
                    value_json: serde_json::to_value(&ss[0].ordinal).unwrap_or_default(),
                    evidence: ss.iter().map(|s| s.evidence.clone()).collect(),
                })
                .collect(),
            note: "the sources rank the same actor differently in the same kind of event".into(),
            reason: Reason::Rank,
        });
    }
    out
}
