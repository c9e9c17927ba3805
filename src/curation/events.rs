//! Event decisions, replayed in log order on the machine's merged events: confirm, reject,
//! edit (date, type, field, participants, place, summary), merge, split.
//!
//! An event decision finds its event by its statements: the event now holding every one of
//! its (resolved, not rejected) statements. When there is none (the statements are no
//! longer one event), when a statement's anchor is stale, or when the machine's type or
//! dates of that event changed since the decision, the decision is stale: kept, listed,
//! not applied.

use super::anchor::{EventAnchor, Resolution, event_value};
use super::{Action, Curation, DecisionState, Entry, Resolved, Status, Target, value};
use crate::history::merge::{Event, Statement};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The curation of one (curated) event: the `curation` object of its export record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventCuration {
    pub status: Status,
    /// Who made the latest decision, when, why, and its audit id.
    pub by: String,
    pub at: String,
    pub reason: String,
    pub audit_id: i64,
    /// Every decision applied to it, oldest first.
    pub audit_ids: Vec<i64>,
    /// The machine's type and dates, and the machine's value of every edited field.
    pub machine: Map<String, Value>,
    /// Events merged into this one (their ids, types and dates as they were).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<Value>,
    /// The event this one was split out of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_from: Option<String>,
    /// Why it is stale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What event curation did, for the history and the audit log.
#[derive(Debug, Clone, Default)]
pub struct EventCurations {
    /// By (curated) event id: the events some decision is about.
    pub info: BTreeMap<String, EventCuration>,
    /// How each event decision stands, by audit id (facts' states are in the entries).
    pub states: BTreeMap<i64, (DecisionState, Option<String>)>,
    /// The machine's type and dates of curated events, by id.
    machine: BTreeMap<String, Value>,
}

impl EventCurations {
    /// The machine's type and dates of `e` (before curation).
    pub fn machine_value(&self, e: &Event) -> Value {
        self.machine
            .get(&e.id)
            .cloned()
            .unwrap_or_else(|| event_value(e))
    }

    /// The `curation` object of event `id`, if a decision is about it.
    pub fn record(&self, id: &str) -> Option<Value> {
        serde_json::to_value(self.info.get(id)?).ok()
    }
}

/// Events after curation.
#[derive(Debug, Clone, Default)]
pub struct CuratedEvents {
    /// The timeline: every event not rejected, in date order.
    pub events: Vec<Event>,
    /// Rejected events (kept for the export).
    pub rejected: Vec<Event>,
    pub curation: EventCurations,
}

/// An event being curated.
struct Working {
    ev: Event,
    machine: Event,
    cur: Option<EventCuration>,
    /// Machine values of edited fields.
    originals: Map<String, Value>,
    edited: BTreeSet<String>,
    dead: bool,
    stale: Option<(i64, String)>,
}

fn field_value(e: &Event, k: &str) -> Value {
    match k {
        "date_start" => json!(e.date_start),
        "date_end" => json!(e.date_end),
        "type" => json!(e.ty),
        "field" => json!(e.field),
        "participants" => json!(e.participants),
        "place" => json!(e.place),
        "summary" => json!(e.summary),
        _ => Value::Null,
    }
}

fn set_field(e: &mut Event, k: &str, v: &Value) {
    let s = || v.as_str().unwrap_or_default().to_string();
    match k {
        "date_start" => e.date_start = s(),
        "date_end" => e.date_end = s(),
        "type" => e.ty = s(),
        "field" => e.field = s(),
        "participants" => {
            e.participants = v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        }
        "place" => e.place = v.as_str().map(str::to_string),
        "summary" => e.summary = s(),
        _ => {}
    }
}

/// Recomputes what an event derives from its statements (after a merge or a split).
fn refresh(w: &mut Working) {
    let e = &mut w.ev;
    e.statements.sort_by(|a, b| {
        (&a.evidence.doc, a.evidence.start).cmp(&(&b.evidence.doc, b.evidence.start))
    });
    let docs: BTreeSet<&str> = e
        .statements
        .iter()
        .map(|s| s.evidence.doc.as_str())
        .collect();
    e.sources = docs.len();
    e.languages = e
        .statements
        .iter()
        .map(|s| s.lang.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut about: Vec<String> = Vec::new();
    for st in &e.statements {
        for a in &st.about {
            if !about.contains(a) {
                about.push(a.clone());
            }
        }
    }
    e.about = about;
    if !w.edited.contains("participants") {
        // As the merge does: most often named first.
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut order = 0;
        for st in &e.statements {
            for p in &st.participants {
                let c = counts.entry(p.as_str()).or_insert((0, order));
                c.0 += 1;
                order += 1;
            }
        }
        let mut ps: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
        ps.sort_by_key(|(_, (n, o))| (std::cmp::Reverse(*n), *o));
        e.participants = ps.into_iter().map(|(p, _)| p.to_string()).collect();
    }
    if !w.edited.contains("place") && e.place.is_none() {
        e.place = e.statements.iter().find_map(|s| s.place.clone());
    }
}

/// The live event holding every present statement of `rs`; whether any was re-anchored.
fn find(ws: &[Working], rs: &[Resolution]) -> Result<(usize, bool), String> {
    let mut ids = Vec::with_capacity(rs.len());
    for r in rs {
        match r {
            Resolution::Stale { why, .. } => return Err(format!("a statement: {why}")),
            _ => ids.extend(r.fact()),
        }
    }
    let holds = |w: &Working, id: i64| w.ev.statements.iter().any(|s| s.fact == id);
    let present: Vec<i64> = ids
        .into_iter()
        .filter(|id| ws.iter().any(|w| !w.dead && holds(w, *id)))
        .collect();
    if present.is_empty() {
        return Err("its statements are in no event now (rejected, or no longer dated)".into());
    }
    let i = ws
        .iter()
        .position(|w| !w.dead && present.iter().all(|id| holds(w, *id)))
        .ok_or_else(|| "its statements are no longer one event".to_string())?;
    let re = rs
        .iter()
        .any(|r| matches!(r, Resolution::Reanchored { .. }));
    Ok((i, re))
}

fn check_value(w: &Working, want: &Value) -> Result<(), String> {
    let now = event_value(&w.machine);
    if &now == want {
        Ok(())
    } else {
        Err(format!(
            "the machine's event changed: was {want}, now {now}"
        ))
    }
}

fn touch(w: &mut Working, e: &Entry, status: Status) {
    let a = &e.audit;
    let c = w.cur.get_or_insert_with(|| EventCuration {
        status,
        by: String::new(),
        at: String::new(),
        reason: String::new(),
        audit_id: 0,
        audit_ids: Vec::new(),
        machine: Map::new(),
        merged_from: Vec::new(),
        split_from: None,
        note: None,
    });
    c.status = status;
    c.by = a.who.clone();
    c.at = a.at.clone();
    c.reason = a.reason.clone();
    c.audit_id = a.id;
    c.audit_ids.push(a.id);
}

/// Applies one decision; `Ok(reanchored)` or `Err(why it is stale)`.
fn replay(
    ws: &mut Vec<Working>,
    e: &Entry,
    anchor: &EventAnchor,
    statements: &[Resolution],
    with: &[(Vec<Resolution>, Value)],
    split: Option<&Resolution>,
) -> Result<bool, String> {
    let (i, mut re) = find(ws, statements)?;
    if let Err(why) = check_value(&ws[i], &anchor.value) {
        ws[i].stale.get_or_insert((e.audit.id, why.clone()));
        return Err(why);
    }
    let a = &e.audit;
    match a.action {
        Action::Confirm => touch(&mut ws[i], e, Status::Confirmed),
        Action::Reject => touch(&mut ws[i], e, Status::Rejected),
        Action::Edit => {
            let field = a.field.as_deref().unwrap_or_default();
            let w = &mut ws[i];
            for (k, v) in value::expand_event(field, &a.new_value) {
                let orig = field_value(&w.machine, &k);
                w.originals.entry(k.clone()).or_insert(orig);
                w.edited.insert(k.clone());
                set_field(&mut w.ev, &k, &v);
            }
            touch(w, e, Status::Edited);
        }
        Action::Merge => {
            let mut others = Vec::new();
            for (rs, value) in with {
                let (j, r) = find(ws, rs).map_err(|w| format!("an event to merge: {w}"))?;
                if j == i || others.contains(&j) {
                    continue;
                }
                check_value(&ws[j], value).map_err(|w| format!("an event to merge: {w}"))?;
                re |= r;
                others.push(j);
            }
            if others.is_empty() {
                return Err("the events are one event already".into());
            }
            for j in others {
                let moved = std::mem::take(&mut ws[j].ev.statements);
                ws[j].dead = true;
                let from = json!({
                    "id": ws[j].ev.id, "type": ws[j].ev.ty,
                    "date_start": ws[j].ev.date_start, "date_end": ws[j].ev.date_end,
                });
                ws[i].ev.statements.extend(moved);
                touch(&mut ws[i], e, Status::Edited);
                if let Some(c) = ws[i].cur.as_mut() {
                    c.merged_from.push(from);
                }
            }
            let w = &mut ws[i];
            refresh(w);
            let docs = w.ev.sources;
            w.ev.merge_reason = format!(
                "merged by curation (#{}): {} statements in {} document(s)",
                a.id,
                w.ev.statements.len(),
                docs
            );
            w.ev.merge_why = crate::history::merge::MergeWhy::Curated {
                audit: a.id,
                statements: w.ev.statements.len(),
                documents: docs,
            };
        }
        Action::Split => {
            let r = split.ok_or("the statement to split is not recorded")?;
            if let Resolution::Stale { why, .. } = r {
                return Err(format!("the statement to split: {why}"));
            }
            re |= matches!(r, Resolution::Reanchored { .. });
            let fact = r.fact().unwrap_or_default();
            let Some(pos) = ws[i].ev.statements.iter().position(|s| s.fact == fact) else {
                return Err("the statement to split is no longer part of the event".into());
            };
            if ws[i].ev.statements.len() < 2 {
                return Err("the event has a single statement now".into());
            }
            let st: Statement = ws[i].ev.statements.remove(pos);
            let Some(mut new) = crate::history::merge::merge(vec![st.clone()]).pop() else {
                ws[i].ev.statements.insert(pos, st);
                return Err("the statement is no longer an event of its own".into());
            };
            if ws.iter().any(|w| w.ev.id == new.id) {
                new.id = format!("{}-split{}", new.id, a.id);
            }
            let from = ws[i].ev.id.clone();
            refresh(&mut ws[i]);
            touch(&mut ws[i], e, Status::Edited);
            let mut w = Working {
                machine: new.clone(),
                ev: new,
                cur: None,
                originals: Map::new(),
                edited: BTreeSet::new(),
                dead: false,
                stale: None,
            };
            touch(&mut w, e, Status::Edited);
            if let Some(c) = w.cur.as_mut() {
                c.split_from = Some(from);
            }
            ws.push(w);
        }
        Action::Retract => {}
    }
    Ok(re)
}

impl Curation {
    /// Applies the event decisions, in log order, to the machine's merged events. Events a
    /// decision rejects move to `rejected`; the rest are returned in date order.
    pub fn apply_events(&self, machine: Vec<Event>) -> CuratedEvents {
        if !self
            .entries
            .iter()
            .any(|e| matches!(e.audit.target, Target::Event(_)))
        {
            return CuratedEvents {
                events: machine,
                ..CuratedEvents::default()
            };
        }
        let mut ws: Vec<Working> = machine
            .into_iter()
            .map(|e| Working {
                machine: e.clone(),
                ev: e,
                cur: None,
                originals: Map::new(),
                edited: BTreeSet::new(),
                dead: false,
                stale: None,
            })
            .collect();
        let mut states = BTreeMap::new();
        for e in &self.entries {
            let Target::Event(anchor) = &e.audit.target else {
                continue;
            };
            if e.retracted_by.is_some() || e.audit.action == Action::Retract {
                states.insert(e.audit.id, (e.audit.state, e.audit.note.clone()));
                continue;
            }
            let Resolved::Event {
                statements,
                with,
                split,
            } = &e.resolved
            else {
                continue;
            };
            let state = match replay(&mut ws, e, anchor, statements, with, split.as_ref()) {
                Ok(false) => (DecisionState::Applies, None),
                Ok(true) => (
                    DecisionState::Reanchored,
                    Some("its statements were found elsewhere in their documents".into()),
                ),
                Err(why) => (DecisionState::Stale, Some(why)),
            };
            states.insert(e.audit.id, state);
        }
        let mut out = CuratedEvents::default();
        let live: BTreeSet<String> = ws
            .iter()
            .filter(|w| !w.dead)
            .map(|w| w.ev.id.clone())
            .collect();
        for mut w in ws {
            if w.dead {
                continue;
            }
            w.ev.related.retain(|r| live.contains(r));
            if w.cur.is_none()
                && let Some((id, why)) = &w.stale
            {
                let a = self
                    .entries
                    .iter()
                    .find(|x| x.audit.id == *id)
                    .map(|x| &x.audit);
                w.cur = Some(EventCuration {
                    status: Status::Stale,
                    by: a.map(|a| a.who.clone()).unwrap_or_default(),
                    at: a.map(|a| a.at.clone()).unwrap_or_default(),
                    reason: a.map(|a| a.reason.clone()).unwrap_or_default(),
                    audit_id: *id,
                    audit_ids: vec![*id],
                    machine: Map::new(),
                    merged_from: Vec::new(),
                    split_from: None,
                    note: Some(why.clone()),
                });
            }
            let mut rejected = false;
            if let Some(mut c) = w.cur.take() {
                let mut m = match event_value(&w.machine) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                for (k, v) in &w.originals {
                    m.insert(k.clone(), v.clone());
                }
                c.machine = m;
                rejected = c.status == Status::Rejected;
                out.curation
                    .machine
                    .insert(w.ev.id.clone(), event_value(&w.machine));
                out.curation.info.insert(w.ev.id.clone(), c);
            }
            if rejected {
                out.rejected.push(w.ev);
            } else {
                out.events.push(w.ev);
            }
        }
        for list in [&mut out.events, &mut out.rejected] {
            list.sort_by(|a, b| {
                (&a.date_start, &a.date_end, &a.ty, &a.id).cmp(&(
                    &b.date_start,
                    &b.date_end,
                    &b.ty,
                    &b.id,
                ))
            });
        }
        out.curation.states = states;
        out
    }
}
