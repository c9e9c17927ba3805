//! "What happened in <date>": the statements of events at that date: the event extractor's
//! `event_statement` facts when the store has them, else the sentences that date an act the
//! lexicon knows (sign, visit, establish, launch, join, war, aid, congress, ...). Merged
//! events from `crate::history` plug in here as one more source when they land.

use super::candidates::{interval, overlap};
use super::lexicon::lexicon;
use super::question::Question;
use super::tokens::tokenize;
use super::{Answer, Asker, Citation};
use serde_json::{Value, json};

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
    // Event statements of the event extractor first: dated, typed, with participants.
    let mut seen: Vec<usize> = Vec::new();
    for e in &k.events {
        if found.len() >= 20 || seen.contains(&e.sent) || !within(&e.date_start, &e.date_end) {
            continue;
        }
        let s = &k.sents[e.sent];
        let Some(text) = k.source_text(s.doc, s.start, s.end) else {
            continue;
        };
        seen.push(e.sent);
        let what = if e.summary.is_empty() {
            format!("{}: {}", e.date_start, e.ty)
        } else {
            e.summary.clone()
        };
        found.push((
            what,
            Citation {
                doc: k.docs[s.doc].clone(),
                start: s.start,
                end: s.end,
                text,
                answer_span: Some((e.start, e.end)),
            },
        ));
    }
    // Else the dated sentences that name an act.
    if !dates.is_empty() && found.is_empty() {
        for s in &k.sents {
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
            let Some(text) = k.source_text(s.doc, s.start, s.end) else {
                continue;
            };
            let what = format!("{}: {}", t.value_start, lx.concepts[h.concept].id);
            found.push((
                what,
                Citation {
                    doc: k.docs[s.doc].clone(),
                    start: s.start,
                    end: s.end,
                    text,
                    answer_span: Some((t.start, t.end)),
                },
            ));
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
    };
    if !found.is_empty() {
        a.answer = format!(
            "{} event statements: {}",
            found.len(),
            found
                .iter()
                .map(|f| f.0.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        );
        a.value = json!(found.iter().map(|f| f.0.clone()).collect::<Vec<_>>());
        a.confidence = 1.0;
        a.citations = found.into_iter().map(|f| f.1).collect();
    }
    a
}
