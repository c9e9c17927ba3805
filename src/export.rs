//! Exports: the whole store as JSON Lines (the contract in `shared/eval/README.md`, record
//! shapes in [`crate::record`]) and, in the submodules, the formats of neighbouring tools.
//! Every export reads one [`crate::snapshot::Snapshot`], so curated values reach them all.

use crate::history::event_record;
use serde_json::{Value, json};

pub mod annotation;
pub mod bibliography;
pub mod csl;
pub mod csv;
pub mod timelinejs;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The evaluation contract (every record, JSON Lines).
    Jsonl,
    /// One table (see [`csv::CsvKind`]).
    Csv(csv::CsvKind),
    /// TimelineJS 3 JSON of the merged events.
    Timelinejs,
    /// Every fact as a W3C Web Annotation, JSON Lines.
    Annotations,
    /// Every fact in one Web Annotation collection (JSON-LD).
    AnnotationCollection,
    /// The works the sources cite, as CSL-JSON.
    Csl,
    /// The same as BibTeX.
    Bibtex,
    /// The sources themselves as CSL-JSON, described as they state themselves
    /// ([`crate::snapshot::DocData::meta`]).
    SourcesCsl,
}

impl Format {
    /// The format's name as the CLI and the API take it ("jsonl", "csv", …).
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv(_) => "csv",
            Format::Timelinejs => "timelinejs",
            Format::Annotations => "annotations",
            Format::AnnotationCollection => "annotation-collection",
            Format::Csl => "csl",
            Format::Bibtex => "bibtex",
            Format::SourcesCsl => "csl-sources",
        }
    }

    /// Every format's name, as [`Format::parse`] takes them (`/openapi.json` lists them).
    pub const NAMES: [&'static str; 8] = [
        "jsonl",
        "csv",
        "timelinejs",
        "annotations",
        "annotation-collection",
        "csl",
        "bibtex",
        "csl-sources",
    ];

    /// The format named `name`; `csv_kind` for CSV ("events" when not given).
    pub fn parse(name: &str, csv_kind: Option<&str>) -> Result<Format, String> {
        Ok(match name {
            "jsonl" => Format::Jsonl,
            "csv" => Format::Csv(csv_kind.unwrap_or("events").parse()?),
            "timelinejs" => Format::Timelinejs,
            "annotations" => Format::Annotations,
            "annotation-collection" => Format::AnnotationCollection,
            "csl" => Format::Csl,
            "bibtex" => Format::Bibtex,
            "csl-sources" => Format::SourcesCsl,
            other => {
                let (last, rest) = Format::NAMES.split_last().expect("formats");
                return Err(format!(
                    "unknown export format {other:?}: use {} or {last}",
                    rest.join(", ")
                ));
            }
        })
    }

    /// The media type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jsonl | Format::Annotations => "application/x-ndjson; charset=utf-8",
            Format::Csv(_) => "text/csv; charset=utf-8",
            Format::Timelinejs | Format::Csl | Format::SourcesCsl => {
                "application/json; charset=utf-8"
            }
            Format::AnnotationCollection => "application/ld+json; charset=utf-8",
            Format::Bibtex => "application/x-bibtex; charset=utf-8",
        }
    }

    /// A file name for a download: `annals-events.csv`, `annals-timeline.json`, …
    pub fn file_name(self) -> String {
        match self {
            Format::Jsonl => "annals.jsonl".into(),
            Format::Csv(k) => format!("annals-{}.csv", k.name()),
            Format::Timelinejs => "annals-timeline.json".into(),
            Format::Annotations => "annals-annotations.jsonl".into(),
            Format::AnnotationCollection => "annals-annotations.jsonld".into(),
            Format::Csl => "annals-references.json".into(),
            Format::Bibtex => "annals-references.bib".into(),
            Format::SourcesCsl => "annals-sources.json".into(),
        }
    }
}

/// What part of the store an export covers: everything by default; a list page's export
/// carries the page's filters.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Events (CSV of events, TimelineJS): only those this timeline filter keeps.
    pub events: Option<crate::history::timeline::Filter>,
    /// CSV of series: only the series with this key.
    pub series: Option<String>,
    /// CSV of facts and of documents: only this document.
    pub doc: Option<String>,
}

impl Scope {
    /// Words for a file name ("1978", "visit", the series key), safe in any file system.
    fn words(&self, format: Format) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        let uses_events = matches!(
            format,
            Format::Csv(csv::CsvKind::Events) | Format::Timelinejs
        );
        if let (true, Some(f)) = (uses_events, &self.events) {
            match (&f.from, &f.to) {
                (Some(a), Some(b)) if a == b => v.push(a.clone()),
                (Some(a), Some(b)) => v.push(format!("{a}-to-{b}")),
                (Some(a), None) => v.push(format!("from-{a}")),
                (None, Some(b)) => v.push(format!("to-{b}")),
                (None, None) => {}
            }
            v.extend(f.ty.iter().cloned());
            v.extend(f.field.iter().cloned());
            v.extend(f.actor.iter().cloned());
        }
        if let (Format::Csv(csv::CsvKind::Series), Some(k)) = (format, &self.series) {
            v.push(k.clone());
        }
        if let (
            Format::Csv(csv::CsvKind::Facts | csv::CsvKind::Documents) | Format::SourcesCsl,
            Some(d),
        ) = (format, &self.doc)
        {
            v.push(d.trim_end_matches(".txt").to_string());
        }
        v.into_iter()
            .map(|w| {
                // ASCII only: a header's file name (diacritics folded: "Brêgiơnép" →
                // "Bregionep"; other scripts become dashes and are dropped).
                let clean: String = crate::text::fold::fold(&w)
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect();
                clean.trim_matches('-').chars().take(60).collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// The download's file name: the format's, with the scope's words before the
    /// extension (`annals-events-1978-visit.csv`), in ASCII.
    ///
    /// # Examples
    /// ```
    /// use annals::export::{Format, Scope};
    /// use annals::history::timeline::Filter;
    /// let s = Scope {
    ///     events: Some(Filter { from: Some("1978".into()), to: Some("1978".into()), ty: Some("visit".into()), ..Filter::default() }),
    ///     ..Scope::default()
    /// };
    /// assert_eq!(s.file_name(Format::parse("csv", Some("events")).unwrap()), "annals-events-1978-visit.csv");
    /// assert_eq!(s.file_name(Format::Timelinejs), "annals-timeline-1978-visit.json");
    /// assert_eq!(Scope::default().file_name(Format::Timelinejs), "annals-timeline.json");
    /// ```
    pub fn file_name(&self, format: Format) -> String {
        let base = format.file_name();
        let words = self.words(format);
        if words.is_empty() {
            return base;
        }
        let (stem, ext) = base.split_once('.').unwrap_or((&base, ""));
        format!("{stem}-{}.{ext}", words.join("-"))
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Records, rows, slides, annotations or works.
    pub items: usize,
    /// Events left out of a TimelineJS file for want of a known year.
    pub skipped: usize,
}

/// Writes a snapshot in `format` (`base_url`: the IRI base of Web Annotation targets).
pub fn write(
    snapshot: &crate::snapshot::Snapshot,
    format: Format,
    base_url: Option<String>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<Written> {
    write_scoped(snapshot, format, base_url, &Scope::default(), out)
}

/// Writes the part of a snapshot that `scope` covers in `format` (the formats a scope does
/// not concern are written whole).
///
/// # Errors
/// A timeline filter that names no field or type ([`crate::history::timeline::filter`]),
/// or a failed write.
pub fn write_scoped(
    snapshot: &crate::snapshot::Snapshot,
    format: Format,
    base_url: Option<String>,
    scope: &Scope,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<Written> {
    let events: Vec<&crate::history::merge::Event> = match &scope.events {
        Some(f) => crate::history::timeline::filter(&snapshot.history.events, f)?,
        None => snapshot.history.events.iter().collect(),
    };
    let anno = annotation::AnnotationOptions { base_url };
    let items = match format {
        Format::Jsonl => {
            write_store(snapshot, out)?;
            0
        }
        Format::Csv(kind) => csv::write_csv_scoped(snapshot, kind, &events, scope, out)?,
        Format::Timelinejs => {
            let stats = timelinejs::write_timelinejs_of(snapshot, &events, out)?;
            return Ok(Written {
                items: stats.events,
                skipped: stats.skipped,
            });
        }
        Format::Annotations => annotation::write_annotations(snapshot, &anno, out)?,
        Format::AnnotationCollection => {
            annotation::write_annotation_collection(snapshot, &anno, out)?
        }
        Format::Csl => csl::write_csl(snapshot, out)?,
        Format::Bibtex => csl::write_bibtex(snapshot, out)?,
        Format::SourcesCsl => csl::write_sources_csl(snapshot, scope.doc.as_deref(), out)?,
    };
    Ok(Written { items, skipped: 0 })
}

/// Writes every record of a snapshot as JSON Lines: per document (by id), its `document`
/// record, its `sentence` records, then its facts; then the events, series and conflicts.
/// Curated values replace the machine's (kept under `curation.machine`); rejected facts and
/// events stay, marked, so that nothing a historian judged disappears.
pub fn write_store(
    snapshot: &crate::snapshot::Snapshot,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    for d in snapshot.docs() {
        let doc = &d.doc;
        let enc = doc.encoding();
        let text_of = |s: u64, e: u64| {
            crate::source::decode::decode_range(&d.bytes, enc, s as usize..e as usize)
        };
        let mut rec = json!({
            "kind": "document",
            "doc": doc.id,
            "sha256": doc.sha256,
            "bytes": doc.bytes,
            "encoding": doc.encoding,
            "encoding_confidence": doc.encoding_confidence,
            "format": doc.format,
            "lang": doc.lang,
            "title": doc.title,
            "paragraphs": doc.paragraphs,
            "sentences": doc.sentences,
            "aliases": doc.aliases,
            "ingested_at": doc.ingested_at,
        });
        if let (Some(p), Some(m)) = (&d.pages, rec.as_object_mut()) {
            m.insert("pages".into(), p.pages.len().into());
            m.insert("ocr_pages".into(), p.ocr_pages().into());
            m.insert("unit".into(), p.kind.unit().into());
        }
        writeln!(out, "{rec}")?;
        for s in &d.sentences {
            let mut rec = json!({
                "kind": "sentence",
                "doc": s.doc,
                "start": s.start,
                "end": s.end,
                "text": text_of(s.start, s.end),
                "clean": s.clean,
                "lang": s.lang,
                "seq": s.seq,
                "paragraph": s.paragraph,
            });
            if let Some(m) = rec.as_object_mut() {
                crate::record::insert_place(m, d.place(s.start, s.end).as_ref());
            }
            writeln!(out, "{rec}")?;
        }
        for f in snapshot.facts_of(&doc.id) {
            writeln!(out, "{}", f.fact.record)?;
        }
    }
    let history = &snapshot.history;
    for e in history.events.iter().chain(&history.rejected) {
        writeln!(out, "{}", history.event_record(e))?;
    }
    // Series and conflicts (the events are written above, with their curation).
    write_series_and_conflicts(history, out)
}

/// Writes the history (events, series, conflicts) as JSON Lines.
pub fn write_history(
    h: &crate::snapshot::History,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    for e in &h.events {
        writeln!(out, "{}", event_record(e))?;
    }
    write_series_and_conflicts(h, out)
}

/// Writes the series and conflicts of the history as JSON Lines.
fn write_series_and_conflicts(
    h: &crate::snapshot::History,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    for s in &h.series {
        let mut v = serde_json::to_value(s)?;
        if let Value::Object(m) = &mut v {
            m.insert("kind".into(), "series".into());
        }
        writeln!(out, "{v}")?;
    }
    for c in &h.conflicts {
        let mut v = serde_json::to_value(c)?;
        if let Value::Object(m) = &mut v {
            m.insert(
                "conflict_kind".into(),
                m.get("kind").cloned().unwrap_or(Value::Null),
            );
            m.insert("kind".into(), "conflict".into());
        }
        writeln!(out, "{v}")?;
    }
    Ok(())
}
