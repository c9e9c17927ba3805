//! History: what the sources say together. Built from the facts stored per document:
//! event statements merged into events across documents and languages ([`merge`]), series
//! of measures ([`series`]), and the conflicts between sources ([`conflict`]).
//!
//! Nothing here is stored: a [`History`] is rebuilt from the store's facts when asked for,
//! so it always agrees with what is stored (on the reference corpus this takes a few
//! milliseconds).

pub mod conflict;
pub mod merge;
pub mod series;
pub mod timeline;

use crate::store::{Store, StoredFact};
use conflict::Conflict;
use merge::{Event, Statement};
use series::Series;

/// Events, series and conflicts of everything stored.
#[derive(Debug, Clone)]
pub struct History {
    pub events: Vec<Event>,
    pub series: Vec<Series>,
    pub conflicts: Vec<Conflict>,
}

impl History {
    /// Builds the history from the store's facts.
    pub fn build(store: &dyn Store) -> anyhow::Result<History> {
        let mut statements = Vec::new();
        let mut quantities: Vec<StoredFact> = Vec::new();
        let mut tables: Vec<StoredFact> = Vec::new();
        store.facts(None, &mut |f| {
            match f.kind.as_str() {
                "event_statement" => statements.extend(Statement::from_fact(&f)),
                "quantity" => quantities.push(f),
                "table" => tables.push(f),
                _ => {}
            }
            Ok(())
        })?;
        let ctx = series::Context::from_store(store)?;
        Ok(History::from_parts(statements, &quantities, &tables, &ctx))
    }

    /// Builds the history from statements, quantities and tables already read; `ctx` holds
    /// the sentences the series read running-text figures from.
    pub fn from_parts(
        statements: Vec<Statement>,
        quantities: &[StoredFact],
        tables: &[StoredFact],
        ctx: &series::Context,
    ) -> History {
        let ordering = conflict::orderings(&statements);
        let events = merge::merge(statements);
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
        }
    }
}
