//! History: what the sources say together. Built from the facts stored per document:
//! event statements merged into events across documents and languages ([`merge`]), series
//! of measures ([`series`]), and the conflicts between sources ([`conflict`]).
//!
//! Nothing here is stored: a [`History`] is rebuilt from the store's facts when asked for,
//! so it always agrees with what is stored (on the reference corpus this takes a few
//! milliseconds).
//!
//! Curation ([`crate::curation`]) is applied while building: rejected facts are left out,
//! edited fact values are used, and event decisions (reject, edit, merge, split) are applied
//! to the merged events. Rejected events leave [`History::events`] (the timeline) for
//! [`History::rejected`]; [`History::event_record`] carries each event's curation.

pub mod conflict;
pub mod merge;
pub mod series;
pub mod timeline;

use crate::curation::{Curation, EventCurations, Status};
use crate::store::{Store, StoredFact};
use conflict::Conflict;
use merge::{Event, Statement};
use series::Series;

/// Events, series and conflicts of everything stored.
#[derive(Debug, Clone)]
pub struct History {
    /// The timeline: merged events after curation, rejected ones left out.
    pub events: Vec<Event>,
    pub series: Vec<Series>,
    pub conflicts: Vec<Conflict>,
    /// Events a historian rejected (kept, with their curation, for the export).
    pub rejected: Vec<Event>,
    /// The curation of events (by id) and how each event decision stands.
    pub curation: EventCurations,
}

impl History {
    /// Builds the history from the store's facts, with the store's curation applied.
    pub fn build(store: &dyn Store) -> anyhow::Result<History> {
        let curation = Curation::load(store)?;
        History::build_with(store, &curation)
    }

    /// Builds the history from the store's facts with `curation` applied.
    pub fn build_with(store: &dyn Store, curation: &Curation) -> anyhow::Result<History> {
        let mut statements = Vec::new();
        let mut quantities: Vec<StoredFact> = Vec::new();
        let mut tables: Vec<StoredFact> = Vec::new();
        store.facts(None, &mut |mut f| {
            if curation.apply_to_fact(&mut f) == Some(Status::Rejected) {
                return Ok(());
            }
            match f.kind.as_str() {
                "event_statement" => statements.extend(Statement::from_fact(&f)),
                "quantity" => quantities.push(f),
                "table" => tables.push(f),
                _ => {}
            }
            Ok(())
        })?;
        let ctx = series::Context::from_store(store)?;
        Ok(History::from_parts_curated(
            statements,
            &quantities,
            &tables,
            &ctx,
            curation,
        ))
    }

    /// Builds the history from statements, quantities and tables already read; `ctx` holds
    /// the sentences the series read running-text figures from. No event curation.
    pub fn from_parts(
        statements: Vec<Statement>,
        quantities: &[StoredFact],
        tables: &[StoredFact],
        ctx: &series::Context,
    ) -> History {
        History::from_parts_curated(statements, quantities, tables, ctx, &Curation::default())
    }

    /// [`History::from_parts`] with the event decisions of `curation` applied to the merged
    /// events (the statements, quantities and tables are expected curated already).
    pub fn from_parts_curated(
        statements: Vec<Statement>,
        quantities: &[StoredFact],
        tables: &[StoredFact],
        ctx: &series::Context,
        curation: &Curation,
    ) -> History {
        let ordering = conflict::orderings(&statements);
        let curated = curation.apply_events(merge::merge(statements));
        let events = curated.events;
        let series = series::build_with(quantities, tables, ctx);
        let mut conflicts = conflict::event_dates(&events);
        conflicts.extend(ordering);
        conflicts.extend(series::conflicts(&series));
        for (i, c) in conflicts.iter_mut().enumerate() {
            if c.id.is_empty() {
                let kind = serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                c.id = format!("conflict-{}-{}", kind.replace('_', "-"), i + 1);
            }
        }
        History {
            events,
            series,
            conflicts,
            rejected: curated.rejected,
            curation: curated.curation,
        }
    }

    /// An event's export record ([`crate::export::event_record`]) with its curation:
    /// `"curation": {"status", "by", "at", "reason", "audit_id", "audit_ids", "machine", ...}`
    /// when a decision is about it.
    pub fn event_record(&self, e: &Event) -> serde_json::Value {
        let mut r = crate::export::event_record(e);
        if let (Some(c), serde_json::Value::Object(m)) = (self.curation.record(&e.id), &mut r) {
            m.insert("curation".into(), c);
        }
        r
    }
}
