//! "What happened in <date>": the statements of events at that date: the event extractor's
//! `event_statement` facts when the store has them, else the sentences that date an act the
//! lexicon knows (sign, visit, establish, launch, join, war, aid, congress, ...). Events are
//! the merged ones of `crate::history::merge`, so one event stated by five sources is one
//! answer with its sources' sentences.

use super::candidates::{interval, overlap};
use super::question::Question;
use super::{Answer, Asker, Citation};
use crate::knowledge::domain::lexicon;
use crate::text::folded::tokenize;
use serde_json::{Value, json};

/// At most this many events are listed, in date order.
const MAX_EVENTS: usize = 40;
/// Citations per event (different documents first).
const CITES_PER_EVENT: usize = 3;

/// Concepts that make a dated sentence an event statement.
const ACTS: [&str; 16] = [
    "sign",
    "visit",
    "establish",
    "launch",
    "war",
    "join",
    "aid",
    "congress",
    "conference",
    "talks",
    "complete",
    "organize",
    "recognize",
    "collapse",
    "treaty",
    "agreement",
];

/// The events stated at the question's dates.
pub fn what_happened(q: &Question, asker: &Asker) -> Answer {
    let k = &asker.knowledge;
    let lx = lexicon();
    let acts: Vec<usize> = ACTS.iter().filter_map(|a| lx.concept(a)).collect();
    let dates: Vec<(i64, i64)> = q.dates.iter().filter_map(|(a, b)| interval(a, b)).collect();
    let mut found: Vec<(String, Citation)> = Vec::new();
    let within = |vs: &str, ve: &str| {
        interval(vs, ve).is_some_and(|iv| {
            dates
                .iter()
                .any(|d| overlap(*d, iv) && iv.1 - iv.0 <= d.1 - d.0)
        })
    };
    // Merged events first: one answer per event, however many sources state it, dated,
    // typed, with participants; the citations are its statements (at most three, one per
    // document first, so that both languages show when both state it).
    let mut merged: Vec<&crate::history::merge::Event> = k
        .merged
        .iter()
        .filter(|e| e.modality == "asserted" && within(&e.date_start, &e.date_end))
        .collect();
    merged.sort_by(|a, b| (&a.date_start, &a.date_end).cmp(&(&b.date_start, &b.date_end)));
    for (n, e) in merged.into_iter().enumerate() {
        if n >= MAX_EVENTS {
            break;
        }
        let mut cites: Vec<Citation> = Vec::new();
        let mut docs_cited: Vec<usize> = Vec::new();
        for pass in 0..2 {
            for st in &e.statements {
                let Some((si, r)) = k.event_ref(&st.evidence.doc, st.fact) else {
                    continue;
                };
                let (s, doc) = (k.sent(si), k.doc_of(si));
                if cites.len() >= CITES_PER_EVENT
                    || (pass == 0 && docs_cited.contains(&doc))
                    || cites
                        .iter()
                        .any(|c| c.start == s.start && c.doc == k.doc_id(doc))
                {
                    continue;
                }
                let Some(cite) = k.cite(doc, s.start, s.end, Some((r.start, r.end))) else {
                    continue;
                };
                docs_cited.push(doc);
                cites.push(cite);
            }
        }
        if cites.is_empty() {
            continue;
        }
        let what = if e.summary.is_empty() {
            format!("{}: {}", e.date_start, e.ty)
        } else {
            e.summary.clone()
        };
        let what = match e.sources {
            0 | 1 => what,
            n => format!("{what} ({n} sources)"),
        };
        for c in cites {
            found.push((what.clone(), c));
        }
    }
    // Else the dated sentences that name an act.
    if !dates.is_empty() && found.is_empty() {
        for (_, doc, s) in k.sents() {
            let Some(t) = s.timexes.iter().find(|t| {
                t.ty != "citation"
                    && interval(&t.value_start, &t.value_end).is_some_and(|iv| {
                        dates
                            .iter()
                            .any(|d| overlap(*d, iv) && iv.1 - iv.0 <= d.1 - d.0)
                    })
            }) else {
                continue;
            };
            let hits = lx.find(&tokenize(&s.clean));
            let Some(h) = hits.iter().find(|h| acts.contains(&h.concept)) else {
                continue;
            };
            let Some(cite) = k.cite(doc, s.start, s.end, Some((t.start, t.end))) else {
                continue;
            };
            let what = format!("{}: {}", t.value_start, lx.concepts[h.concept].id);
            found.push((what, cite));
            if found.len() >= 20 {
                break;
            }
        }
    }
    let mut a = Answer {
        question: q.text.clone(),
        lang: q.lang.code().into(),
        qtype: q.qtype.name().into(),
        answer: super::insufficient(q),
        value: Value::Null,
        confidence: 0.0,
        citations: Vec::new(),
        disagreement: Vec::new(),
        rival: 0.0,
        states_act: true,
    };
    if !found.is_empty() {
        let mut whats: Vec<String> = Vec::new();
        for (w, _) in &found {
            if !whats.contains(w) {
                whats.push(w.clone());
            }
        }
        a.answer = format!(
            "{} {}: {}",
            whats.len(),
            if whats.len() == 1 { "event" } else { "events" },
            whats.join("; ")
        );
        a.value = json!(whats);
        a.confidence = 1.0;
        a.citations = found.into_iter().map(|f| f.1).collect();
    }
    a
}
