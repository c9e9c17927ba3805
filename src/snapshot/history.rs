//! The history of a snapshot: merged events after curation, series, conflicts.

use crate::curation::{Curation, EventCurations};
use crate::history::conflict::{self, Conflict};
use crate::history::merge::{Event, Statement};
use crate::history::series::{self, Series};

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
    /// The event that `id` was merged into by curation (followed through later merges),
    /// when `id` names no event of its own any more.
    pub fn merged_into(&self, id: &str) -> Option<&Event> {
        let mut at = id.to_string();
        for _ in 0..16 {
            let (survivor, _) = self.curation.info.iter().find(|(_, c)| {
                c.merged_from
                    .iter()
                    .any(|m| m.get("id").and_then(|x| x.as_str()) == Some(at.as_str()))
            })?;
            if let Some(e) = self
                .events
                .iter()
                .chain(self.rejected.iter())
                .find(|e| &e.id == survivor)
            {
                return Some(e);
            }
            at = survivor.clone();
        }
        None
    }

    /// The series with the key `key`.
    pub fn series_by_key(&self, key: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.key == key)
    }

    /// The history of everything stored, curated (a whole [`super::Snapshot`] is built;
    /// keep the snapshot when more than its history is needed).
    pub fn build(store: &dyn crate::store::Store) -> anyhow::Result<History> {
        Ok(super::Snapshot::build(store)?.history)
    }

    /// Builds the history from every document's event statements, the events merged from
    /// them ([`crate::history::merge::merge`], or its groups kept between read models) and every document's
    /// series observations (all as readers see them: curated, rejected ones left out), with
    /// the event decisions of `curation` applied to the merged events.
    pub fn assemble<'a>(
        statements: impl IntoIterator<Item = &'a Statement>,
        merged: Vec<Event>,
        observed: impl Iterator<Item = &'a series::Observed> + Clone,
        curation: &Curation,
    ) -> History {
        let ordering = conflict::orderings(statements);
        let curated = curation.apply_events(merged);
        let events = curated.events;
        // Every document's running-text observations first, then every table's.
        let series = series::assemble(
            observed
                .clone()
                .flat_map(|o| o.text.iter().cloned())
                .chain(observed.flat_map(|o| o.tables.iter().cloned())),
        );
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

    /// An event's export record ([`crate::history::event_record`]) with its curation:
    /// `"curation": {"status", "by", "at", "reason", "audit_id", "audit_ids", "machine", ...}`
    /// when a decision is about it.
    pub fn event_record(&self, e: &Event) -> serde_json::Value {
        let mut r = crate::history::event_record(e);
        if let (Some(c), serde_json::Value::Object(m)) = (self.curation.record(&e.id), &mut r) {
            m.insert("curation".into(), c);
        }
        r
    }
}
