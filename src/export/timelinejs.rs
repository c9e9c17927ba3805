//! The merged events in the JSON that TimelineJS 3 reads
//! (`{"title": slide, "events": [slide, …]}`, each slide with `start_date`, optional
//! `end_date`, `text.headline`, `text.text` (HTML), `group`, `unique_id`).
//!
//! Each event's text gives how many documents state it and, for every statement, the
//! document, the byte span of the original file and the sentence (repaired text), HTML-
//! escaped. Dates are the event's ISO dates at the granularity the sources give ("1978",
//! "1978-11", "1978-11-03"): a year-only event has only `year`. An event whose year is
//! unknown ("XXXX-02") cannot be placed on a timeline and is left out (counted in
//! [`TimelineStats::skipped`]).

use crate::history::merge::Event;
use crate::snapshot::Snapshot;
use serde_json::{Map, Value, json};

/// What [`write_timelinejs`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimelineStats {
    pub events: usize,
    /// Events without a known year.
    pub skipped: usize,
}

/// A TimelineJS date object from an ISO date ("1978", "1978-11", "1978-11-03", "-0500");
/// `None` when the year is unknown.
pub fn date_object(iso: &str) -> Option<Value> {
    let (neg, body) = match iso.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, iso),
    };
    let mut parts = body.split('-');
    let y = parts.next()?;
    if y.is_empty() || !y.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut year: i64 = y.parse().ok()?;
    if neg {
        year = -year;
    }
    let mut m = Map::new();
    m.insert("year".into(), year.into());
    if let Some(mo) = parts.next().and_then(|x| x.parse::<u32>().ok()) {
        // EDTF seasons (21–24) and other codes are not months.
        if (1..=12).contains(&mo) {
            m.insert("month".into(), mo.into());
            if let Some(d) = parts.next().and_then(|x| x.parse::<u32>().ok())
                && (1..=31).contains(&d)
            {
                m.insert("day".into(), d.into());
            }
        }
    }
    Some(Value::Object(m))
}

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

fn human(s: &str) -> String {
    s.replace('_', " ")
}

/// One event as a TimelineJS slide; `None` when its year is unknown.
pub fn event_slide(e: &Event, snapshot: &Snapshot) -> Option<Value> {
    let start = date_object(&e.date_start)?;
    let mut slide = Map::new();
    slide.insert("start_date".into(), start);
    if !e.date_end.is_empty()
        && e.date_end != e.date_start
        && let Some(end) = date_object(&e.date_end)
    {
        slide.insert("end_date".into(), end);
    }
    let docs = e.sources;
    let mut html = String::new();
    html.push_str(&format!(
        "<p>{} · {} · stated in {} source{} ({})</p>",
        esc(&human(&e.ty)),
        esc(&human(&e.field)),
        docs,
        if docs == 1 { "" } else { "s" },
        esc(&e.languages.join(", "))
    ));
    if !e.participants.is_empty() {
        html.push_str(&format!(
            "<p>Participants: {}</p>",
            esc(&e.participants.join(", "))
        ));
    }
    html.push_str("<ol>");
    for st in &e.statements {
        let ev = &st.evidence;
        let sentence = snapshot
            .sentence_at(&ev.doc, ev.start as u64)
            .map(|s| s.clean.clone())
            .unwrap_or_else(|| ev.text.split_whitespace().collect::<Vec<_>>().join(" "));
        html.push_str(&format!(
            "<li><cite>{}</cite>, bytes {}–{} ({}): “{}”</li>",
            esc(&ev.doc),
            ev.start,
            ev.end,
            esc(&st.lang),
            esc(&sentence)
        ));
    }
    html.push_str("</ol>");
    slide.insert(
        "text".into(),
        json!({ "headline": esc(&e.summary), "text": html }),
    );
    slide.insert("group".into(), human(&e.field).into());
    slide.insert("unique_id".into(), e.id.clone().into());
    // Not read by TimelineJS; kept for other readers of the file.
    slide.insert(
        "annals".into(),
        json!({
            "type": e.ty,
            "sources": e.sources,
            "evidence": e.statements.iter().map(|s| json!({
                "doc": s.evidence.doc, "start": s.evidence.start, "end": s.evidence.end,
            })).collect::<Vec<_>>(),
        }),
    );
    Some(Value::Object(slide))
}

/// The TimelineJS document of a snapshot's merged events (curated).
pub fn timeline(snapshot: &Snapshot) -> (Value, TimelineStats) {
    let events: Vec<&Event> = snapshot.history.events.iter().collect();
    timeline_of(snapshot, &events)
}

/// The TimelineJS document of the events given (a filtered timeline).
pub fn timeline_of(snapshot: &Snapshot, given: &[&Event]) -> (Value, TimelineStats) {
    let docs = snapshot.documents.len();
    let mut stats = TimelineStats::default();
    let mut events = Vec::with_capacity(given.len());
    for e in given {
        match event_slide(e, snapshot) {
            Some(s) => {
                events.push(s);
                stats.events += 1;
            }
            None => stats.skipped += 1,
        }
    }
    let doc = json!({
        "title": {
            "text": {
                "headline": "annals: events stated in the sources",
                "text": format!(
                    "<p>{} events merged from {} document{}; each with the sentences that state it.</p>",
                    stats.events,
                    docs,
                    if docs == 1 { "" } else { "s" }
                ),
            }
        },
        "scale": "human",
        "events": events,
    });
    (doc, stats)
}

/// Writes the TimelineJS JSON of the store's merged events.
pub fn write_timelinejs(
    snapshot: &Snapshot,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<TimelineStats> {
    let (doc, stats) = timeline(snapshot);
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(stats)
}

/// Writes the TimelineJS JSON of the events given.
pub fn write_timelinejs_of(
    snapshot: &Snapshot,
    events: &[&Event],
    out: &mut dyn std::io::Write,
) -> anyhow::Result<TimelineStats> {
    let (doc, stats) = timeline_of(snapshot, events);
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(stats)
}
