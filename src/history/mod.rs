//! History: what the sources say together, as algorithms over facts: event statements
//! merged into events across documents and languages ([`merge`]), series of measures
//! ([`series`]), the conflicts between sources ([`conflict`]), and the timeline's filters
//! ([`timeline`]).
//!
//! Nothing here knows curation or the store's layout: the read model
//! ([`crate::snapshot`]) gives these algorithms the curated facts and applies the event
//! decisions to what [`merge`] makes (its [`crate::snapshot::History`]).

pub mod conflict;
pub mod merge;
pub mod series;
pub mod timeline;
