//! What annals knows of the world and the domain, loaded once from `data/`: the bottom floor
//! that every engine (the extractors, the history, `ask`) stands on.
//!
//! - [`gazetteer`]: entities with their names in every script and case ([`translit`],
//!   [`morph`], [`variants`] make the forms the data does not write);
//! - [`events`]: the event ontology (fields, types, roles) and each language's triggers and
//!   cue words, cut by [`event_words`];
//! - [`domain`]: the bilingual domain lexicon `ask` reads questions and sentences with;
//! - [`series`]: what a statistic measures, per language, for series.
//!
//! Boundary: this module imports only `text`, `data` and crates: never an engine, the
//! history, the store or a reader (`tests/architecture.rs` checks it), so every engine can
//! share one piece of knowledge without importing another engine.

pub mod domain;
pub mod event_words;
pub mod events;
pub mod gazetteer;
pub mod morph;
pub mod series;
pub mod translit;
pub mod variants;
