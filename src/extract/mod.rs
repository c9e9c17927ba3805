//! Extractors: each finds one kind of fact in an analysed [`Document`].
//!
//! An extractor is one module behind the small [`Extractor`] trait; the [`Pipeline`] runs
//! them in order over a document and collects their [`Fact`]s. Every fact carries its
//! evidence: the span of the original source that states it. The store keeps facts
//! generically (kind, span, the body serialized once), so a new extractor needs no schema change.
//!
//! The time, quantity, entity, event and table extractors plug in here.

pub mod entity;
pub mod event;
pub mod quantity;
pub mod table;
pub mod time;

use crate::document::Document;
pub use crate::fact::{Fact, FactBody};

/// Finds one kind of fact.
pub trait Extractor: Send + Sync {
    /// A short stable name ("time", "quantity", ...).
    fn name(&self) -> &'static str;
    /// Appends the facts found in `doc` to `out`. Must not panic on any document.
    fn extract(&self, doc: &Document, out: &mut Vec<Fact>);

    /// Like [`Extractor::extract`], for extractors that build on what earlier ones found
    /// (a quantity's period is a timex; an event's participants are mentions): `earlier`
    /// holds the facts of the extractors before this one in the pipeline, in order.
    fn extract_after(&self, doc: &Document, earlier: &[Fact], out: &mut Vec<Fact>) {
        let _ = earlier;
        self.extract(doc, out);
    }
}

/// The extractors to run, in order.
#[derive(Default)]
pub struct Pipeline {
    extractors: Vec<Box<dyn Extractor>>,
}

impl Pipeline {
    /// The standard pipeline. Extractors are added here as they are built.
    pub fn standard() -> Pipeline {
        Pipeline::default()
            .with(Box::new(time::TimeExtractor))
            .with(Box::new(quantity::QuantityExtractor))
            .with(Box::new(entity::EntityExtractor))
            .with(Box::new(table::TableExtractor))
            .with(Box::new(event::EventExtractor))
    }

    /// Adds an extractor at the end.
    pub fn with(mut self, e: Box<dyn Extractor>) -> Pipeline {
        self.extractors.push(e);
        self
    }

    /// The extractors, in order.
    pub fn extractors(&self) -> &[Box<dyn Extractor>] {
        &self.extractors
    }

    /// Names of the extractors, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.extractors.iter().map(|e| e.name()).collect()
    }

    /// The facts of the extractors before the one named `name`, as [`Pipeline::run`] gives
    /// them to it: what an extractor run alone needs first (a quantity needs the dates, so
    /// that a year is never an amount). The composition lives here, in the pipeline, so an
    /// extractor never imports the extractors before it.
    pub fn facts_before(&self, doc: &Document, name: &str) -> Vec<Fact> {
        let mut out = Vec::new();
        for e in self.extractors.iter().take_while(|e| e.name() != name) {
            let mut found = Vec::new();
            e.extract_after(doc, &out, &mut found);
            out.append(&mut found);
        }
        out
    }

    /// Loads what every extractor loads on first use (the gazetteer, the phrase sets, each
    /// language's data) by running the pipeline once over a small text in each language,
    /// outside any budget: ingest calls it before the first document's budget begins, so
    /// that no document is charged for the knowledge the process keeps for all of them.
    /// The text is made of each language's own function words (`data/lang`), a year and
    /// a figure, so it names no language here.
    pub fn warm_up(&self) {
        let mut text = String::new();
        for lang in crate::text::lang::Lang::all() {
            let mut words: Vec<&str> = lang
                .data()
                .function_words
                .iter()
                .map(String::as_str)
                .collect();
            words.sort_unstable();
            words.truncate(24);
            text.push_str(&words.join(" "));
            text.push_str(" 1978 12,5 3.4 100%.\n\n");
        }
        if let Ok(doc) = crate::document::Document::read(
            "warm-up",
            text.into_bytes(),
            crate::document::ReadOptions::default(),
        ) {
            std::hint::black_box(self.run(&doc));
        }
    }

    /// Runs every extractor over `doc`. Stops early when this thread's analysis budget
    /// ([`crate::budget`]) has run out; the caller then drops the partial result.
    pub fn run(&self, doc: &Document) -> Vec<Fact> {
        let mut out = Vec::new();
        for e in &self.extractors {
            if crate::budget::expired() {
                break;
            }
            let mut found = Vec::new();
            e.extract_after(doc, &out, &mut found);
            out.append(&mut found);
        }
        out
    }
}
