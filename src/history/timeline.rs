//! The timeline: events filtered by period, field, actor and type, and its text rendering.
//! Also the text rendering of conflicts. (`annals timeline`, `annals conflicts`.)

use super::conflict::Conflict;
use super::merge::{Event, overlaps};
use crate::text::fold::fold;
use std::fmt::Write as _;

/// What to keep of the timeline. Empty fields keep everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Earliest date (ISO prefix: "1975", "1978-11").
    pub from: Option<String>,
    /// Latest date (ISO prefix).
    pub to: Option<String>,
    /// Field, by name or prefix ("military" = "military_defence").
    pub field: Option<String>,
    /// Actor: any name of an entity in any language ("Brezhnev", "Liên Xô").
    pub actor: Option<String>,
    /// Event type ("visit", "treaty").
    pub ty: Option<String>,
}

/// Why a filter cannot be applied.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FilterError {
    #[error("no entity is named {0:?} (try `annals entities` for the list)")]
    UnknownActor(String),
    #[error("{0:?} names several entities: {1}")]
    AmbiguousActor(String, String),
    #[error("no field is named {0:?}; fields: {1}")]
    UnknownField(String, String),
    #[error("no event type is named {0:?}; types: {1}")]
    UnknownType(String, String),
}

/// A filter with its names resolved.
struct Resolved {
    from: String,
    to: String,
    field: Option<String>,
    actor: Option<String>,
    ty: Option<String>,
}

/// The ontology's field that `name` names, as a reader types it: exactly, or its start or a
/// part of it, in any case, with spaces or hyphens for underscores ("military" →
/// "military_security").
///
/// # Errors
/// When no field matches; the error lists them.
pub fn field_named(name: &str) -> Result<String, FilterError> {
    let ontology = crate::knowledge::events::ontology();
    let n = fold(name).replace([' ', '-'], "_");
    ontology
        .fields
        .iter()
        .find(|x| **x == n || x.starts_with(&n) || x.contains(&n))
        .cloned()
        .ok_or_else(|| FilterError::UnknownField(name.to_string(), ontology.fields.join(", ")))
}

fn resolve(f: &Filter) -> Result<Resolved, FilterError> {
    let ontology = crate::knowledge::events::ontology();
    let field = match &f.field {
        None => None,
        Some(name) => Some(field_named(name)?),
    };
    let ty = match &f.ty {
        None => None,
        Some(name) => {
            let n = fold(name).replace([' ', '-'], "_");
            if !ontology.types.contains_key(&n) {
                let all: Vec<&str> = ontology.types.keys().map(String::as_str).collect();
                return Err(FilterError::UnknownType(name.clone(), all.join(", ")));
            }
            Some(n)
        }
    };
    let actor = match &f.actor {
        None => None,
        Some(name) => {
            let all = crate::knowledge::gazetteer::resolve_all(name);
            match all.len() {
                0 => return Err(FilterError::UnknownActor(name.clone())),
                1 => Some(all[0].name.clone()),
                _ => {
                    let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
                    return Err(FilterError::AmbiguousActor(name.clone(), names.join(", ")));
                }
            }
        }
    };
    Ok(Resolved {
        from: f.from.clone().unwrap_or_else(|| "0000".into()),
        to: f.to.clone().unwrap_or_else(|| "9999".into()),
        field,
        actor,
        ty,
    })
}

/// The events that pass `f`, in date order.
pub fn filter<'a>(events: &'a [Event], f: &Filter) -> Result<Vec<&'a Event>, FilterError> {
    let r = resolve(f)?;
    Ok(events
        .iter()
        .filter(|e| overlaps((&e.date_start, &e.date_end), (&r.from, &r.to)))
        .filter(|e| r.field.as_ref().is_none_or(|x| &e.field == x))
        .filter(|e| r.ty.as_ref().is_none_or(|x| &e.ty == x))
        .filter(|e| r.actor.as_ref().is_none_or(|x| e.participants.contains(x)))
        .collect())
}

fn date(e: &Event) -> String {
    if e.date_start == e.date_end {
        e.date_start.clone()
    } else {
        format!("{}/{}", e.date_start, e.date_end)
    }
}

/// One line per event: date, type, summary, and its sources (document and byte offset of
/// each statement, with its language). With `evidence`, each statement's text follows.
pub fn render_text(events: &[&Event], evidence: bool) -> String {
    let mut out = String::new();
    let w = events
        .iter()
        .map(|e| date(e).chars().count())
        .max()
        .unwrap_or(10);
    for e in events {
        let sources: Vec<String> = e
            .statements
            .iter()
            .map(|s| format!("{}@{} ({})", s.evidence.doc, s.evidence.start, s.lang))
            .collect();
        let planned = if e.modality == "planned" {
            " [planned]"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<w$}  {:<19} {}{}  [{} source{}: {}]",
            date(e),
            e.ty,
            e.summary,
            planned,
            e.sources,
            if e.sources == 1 { "" } else { "s" },
            sources.join(", "),
        );
        if evidence {
            for s in &e.statements {
                let text: String = s
                    .evidence
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let _ = writeln!(
                    out,
                    "{:w$}    {} {}-{}: {}",
                    "", s.evidence.doc, s.evidence.start, s.evidence.end, text
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "{} event{}",
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    );
    out
}

/// Every conflict with every side and its evidence.
pub fn render_conflicts(conflicts: &[Conflict]) -> String {
    let mut out = String::new();
    for c in conflicts {
        let _ = writeln!(out, "{}  {}", c.id, c.topic);
        let _ = writeln!(out, "  why: {}", c.note);
        for cl in &c.claims {
            let _ = writeln!(out, "  • {}", cl.value);
            for ev in &cl.evidence {
                let text: String = ev.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let _ = writeln!(out, "      {} {}-{}: {}", ev.doc, ev.start, ev.end, text);
            }
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} conflict{}",
        conflicts.len(),
        if conflicts.len() == 1 { "" } else { "s" }
    );
    out
}
