//! CSV exports for spreadsheets: one table per `kind` (events, facts, series, conflicts,
//! documents), UTF-8 without a byte-order mark, a header row, RFC 4180 quoting.
//!
//! **Formula injection.** A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` (and,
//! in some programs, a tab or carriage return) as a formula; a source can contain such text
//! (`=HYPERLINK(…)`). Every cell starting with one of these characters, also after leading
//! spaces or invisible characters that a spreadsheet trims (`"  =HYPERLINK(…)"`), is written
//! with a single quote (`'`) in front, whatever the column, so `-2` becomes `'-2`. This includes
//! negative numbers rendered as text: the CSV is for reading and filtering, and a value that
//! must stay numeric is in the JSON Lines export with its type. The header names never start
//! with these characters.

use crate::history::merge::Event;
use crate::snapshot::{History, Snapshot};
use std::borrow::Cow;

/// Which table [`write_csv`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    /// One row per merged event.
    Events,
    /// One row per stored fact (timex, quantity, mention, event statement, table, …).
    Facts,
    /// One row per source of a value of a series point.
    Series,
    /// One row per evidence span of a side of a conflict.
    Conflicts,
    /// One row per stored document.
    Documents,
}

impl CsvKind {
    /// Every kind.
    pub const ALL: [CsvKind; 5] = [
        CsvKind::Events,
        CsvKind::Facts,
        CsvKind::Series,
        CsvKind::Conflicts,
        CsvKind::Documents,
    ];

    /// Stable name ("events", "facts", …).
    pub fn name(self) -> &'static str {
        match self {
            CsvKind::Events => "events",
            CsvKind::Facts => "facts",
            CsvKind::Series => "series",
            CsvKind::Conflicts => "conflicts",
            CsvKind::Documents => "documents",
        }
    }
}

impl std::str::FromStr for CsvKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        CsvKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                format!("unknown CSV kind {s:?} (events, facts, series, conflicts, documents)")
            })
    }
}

/// The cell as written: a `'` in front when it starts with a tab or carriage return, or when
/// its first character after any leading whitespace, control or invisible characters (which
/// spreadsheets trim: `"  =HYPERLINK(…)"`) is `=`, `+`, `-` or `@` (or their full-width
/// forms). See the module docs.
///
/// ```
/// use annals::export::csv::neutralize;
/// assert_eq!(neutralize("=1+1"), "'=1+1");
/// assert_eq!(neutralize("  =HYPERLINK(\"x\")"), "'  =HYPERLINK(\"x\")");
/// assert_eq!(neutralize("\u{a0}\u{200b}@SUM(A1)"), "'\u{a0}\u{200b}@SUM(A1)");
/// assert_eq!(neutralize("a=b"), "a=b");
/// ```
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    let invisible = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
    };
    let first = cell.trim_start_matches(invisible);
    if cell.starts_with(['\t', '\r'])
        || first.starts_with([
            '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
        ])
    {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV writer that neutralises every cell.
pub struct SafeWriter<'a> {
    inner: ::csv::Writer<&'a mut dyn std::io::Write>,
    rows: usize,
}

impl<'a> SafeWriter<'a> {
    pub fn new(out: &'a mut dyn std::io::Write) -> SafeWriter<'a> {
        SafeWriter {
            inner: ::csv::WriterBuilder::new()
                .quote_style(::csv::QuoteStyle::Necessary)
                .from_writer(out),
            rows: 0,
        }
    }

    /// Writes the header row (not counted as a row).
    pub fn header(&mut self, names: &[&str]) -> anyhow::Result<()> {
        self.inner
            .write_record(names.iter().map(|n| neutralize(n).into_owned()))?;
        Ok(())
    }

    /// Writes one row.
    pub fn row<I, S>(&mut self, cells: I) -> anyhow::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| neutralize(c.as_ref()).into_owned())
            .collect();
        self.inner.write_record(&cells)?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes; returns the number of rows written (without the header).
    pub fn finish(mut self) -> anyhow::Result<usize> {
        self.inner.flush()?;
        Ok(self.rows)
    }
}

/// Writes one table of a snapshot as CSV. Returns the number of rows (without the header).
pub fn write_csv(
    snapshot: &Snapshot,
    kind: CsvKind,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let events: Vec<&Event> = snapshot.history.events.iter().collect();
    write_csv_scoped(snapshot, kind, &events, &super::Scope::default(), out)
}

/// Writes one table of the part of a snapshot that `scope` covers: `events` (those its
/// timeline filter kept), its series, its document.
pub fn write_csv_scoped(
    snapshot: &Snapshot,
    kind: CsvKind,
    events: &[&Event],
    scope: &super::Scope,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    match kind {
        CsvKind::Events => write_event_rows(events, out),
        CsvKind::Series => write_series_of(&snapshot.history, scope.series.as_deref(), out),
        CsvKind::Conflicts => write_conflicts(&snapshot.history, out),
        CsvKind::Facts => write_facts_of(snapshot, scope.doc.as_deref(), out),
        CsvKind::Documents => write_documents_of(snapshot, scope.doc.as_deref(), out),
    }
}

/// The merged events, one row each; `evidence` lists `doc@start-end` per statement.
pub fn write_events(h: &History, out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    let events: Vec<&Event> = h.events.iter().collect();
    write_event_rows(&events, out)
}

/// The events given, one row each.
pub fn write_event_rows(events: &[&Event], out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    let mut w = SafeWriter::new(out);
    w.header(&[
        "id",
        "type",
        "field",
        "date_start",
        "date_end",
        "participants",
        "place",
        "about",
        "modality",
        "summary",
        "sources",
        "statements",
        "languages",
        "evidence",
        "merge_reason",
        "related",
    ])?;
    for e in events {
        let evidence: Vec<String> = e
            .statements
            .iter()
            .map(|s| format!("{}@{}-{}", s.evidence.doc, s.evidence.start, s.evidence.end))
            .collect();
        w.row([
            e.id.clone(),
            e.ty.clone(),
            e.field.clone(),
            e.date_start.clone(),
            e.date_end.clone(),
            e.participants.join("; "),
            e.place.clone().unwrap_or_default(),
            e.about.join("; "),
            e.modality.clone(),
            e.summary.clone(),
            e.sources.to_string(),
            e.statements.len().to_string(),
            e.languages.join("; "),
            evidence.join("; "),
            e.merge_reason.clone(),
            e.related.join("; "),
        ])?;
    }
    w.finish()
}

/// Every stored fact: span, text, normalized value, and the whole record as JSON.
pub fn write_facts(snapshot: &Snapshot, out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    write_facts_of(snapshot, None, out)
}

/// The facts of one document (`doc`), or of all.
pub fn write_facts_of(
    snapshot: &Snapshot,
    doc: Option<&str>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let mut w = SafeWriter::new(out);
    w.header(&[
        "doc", "kind", "start", "end", "text", "value", "unit", "type", "qid", "lang", "curation",
        "record",
    ])?;
    for cf in snapshot.facts() {
        let f = cf.fact;
        if doc.is_some_and(|d| d != f.doc) {
            continue;
        }
        let b = &f.body;
        w.row([
            f.doc.clone(),
            f.kind.clone(),
            f.start.to_string(),
            f.end.to_string(),
            f.text().to_string(),
            b.value_text(),
            b.unit().unwrap_or_default(),
            b.type_name().unwrap_or_default(),
            b.qid().unwrap_or_default(),
            b.lang().map(|l| l.code().to_string()).unwrap_or_default(),
            cf.status.map(|x| x.name().to_string()).unwrap_or_default(),
            f.record.to_string(),
        ])?;
    }
    w.finish()
}

/// The series: one row per source of each value of each point.
pub fn write_series(h: &History, out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    write_series_of(h, None, out)
}

/// One series (`key`), or all.
pub fn write_series_of(
    h: &History,
    key: Option<&str>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let mut w = SafeWriter::new(out);
    w.header(&[
        "series", "name", "concept", "scope", "unit", "period", "value", "display", "approx",
        "basis", "doc", "start", "end", "written", "origin", "lang",
    ])?;
    for se in h.series.iter().filter(|s| key.is_none_or(|k| k == s.key)) {
        for p in &se.points {
            for v in &p.values {
                for src in &v.sources {
                    let origin = serde_json::to_value(src.origin)
                        .ok()
                        .and_then(|x| x.as_str().map(str::to_string))
                        .unwrap_or_default();
                    w.row([
                        se.key.clone(),
                        se.name.clone(),
                        se.concept.clone(),
                        se.scope.clone(),
                        se.unit.clone(),
                        p.period.display(),
                        v.value.to_string(),
                        v.display.clone(),
                        v.approx.to_string(),
                        v.basis.clone().unwrap_or_default(),
                        src.span.doc.clone(),
                        src.span.start.to_string(),
                        src.span.end.to_string(),
                        src.written.clone(),
                        origin,
                        src.lang.clone(),
                    ])?;
                }
            }
        }
    }
    w.finish()
}

/// The conflicts: one row per evidence span of each side.
pub fn write_conflicts(h: &History, out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    let mut w = SafeWriter::new(out);
    w.header(&[
        "conflict", "kind", "topic", "claim", "value", "doc", "start", "end", "text", "note",
    ])?;
    for c in &h.conflicts {
        let kind = serde_json::to_value(c.kind)
            .ok()
            .and_then(|x| x.as_str().map(str::to_string))
            .unwrap_or_default();
        for (i, cl) in c.claims.iter().enumerate() {
            for ev in &cl.evidence {
                w.row([
                    c.id.clone(),
                    kind.clone(),
                    c.topic.clone(),
                    (i + 1).to_string(),
                    cl.value.clone(),
                    ev.doc.clone(),
                    ev.start.to_string(),
                    ev.end.to_string(),
                    ev.text.clone(),
                    c.note.clone(),
                ])?;
            }
        }
    }
    w.finish()
}

/// The stored documents.
pub fn write_documents(snapshot: &Snapshot, out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    write_documents_of(snapshot, None, out)
}

/// One document (`doc`), or all.
pub fn write_documents_of(
    snapshot: &Snapshot,
    doc: Option<&str>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let mut w = SafeWriter::new(out);
    w.header(&[
        "doc",
        "sha256",
        "bytes",
        "encoding",
        "format",
        "lang",
        "title",
        "paragraphs",
        "sentences",
        "facts",
        "ingested_at",
        "aliases",
    ])?;
    for d in snapshot
        .documents
        .iter()
        .filter(|d| doc.is_none_or(|x| x == d.id))
    {
        w.row([
            d.id.clone(),
            d.sha256.clone(),
            d.bytes.to_string(),
            d.encoding.clone(),
            d.format.clone(),
            d.lang.clone(),
            d.title.clone().unwrap_or_default(),
            d.paragraphs.to_string(),
            d.sentences.to_string(),
            d.facts.to_string(),
            d.ingested_at.clone(),
            d.aliases.join("; "),
        ])?;
    }
    w.finish()
}
