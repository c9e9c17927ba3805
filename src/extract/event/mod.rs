//! The event extractor: who did what, with whom, when, in which field, per clause.
//!
//! It runs after the time, quantity and entity extractors and builds on their facts. An event
//! is a *frame*: a predicate (a verb or an event noun) with the date, the actors and the
//! object of its clause. In each sentence it finds the cues of its language ([`lexicon`],
//! data in `data/event/{vi,en,ru}.toml`): predicates typed by the ontology
//! (`data/event/ontology.toml`), generic predicates ("signed", "reached", "bàn giao") that
//! take the type of the object noun of their clause ("treaty", "trade", "căn cứ"), and object
//! nouns, which are no event alone. Names never trigger: a cue inside an entity mention or a
//! run of capitalised words ("Cold War", "Council for Mutual Economic Assistance",
//! "Советский Союз") is part of a name; a named event ("the Sino-Vietnamese War") is an
//! event only with a date beside it. Cues inside short quoted titles do not predicate.
//!
//! Dates ([`date`]): the sentence's timexes grouped ("from 1977 … to 1978" is one interval);
//! a predicate in a circumstance clause ("after …", "sau khi …", "until the collapse of
//! the USSR") takes only a date of its own clause after the subordinator, and such a date is
//! then no longer the main clause's; a reporting verb ("said that … 2028") does not take the
//! dates of what it reports; otherwise the nearest date, outside quoted titles. The
//! strongest predicate of each date decides the event's type: main clause over circumstance,
//! asserted over negated or planned, near over far, then the type's priority. A sentence
//! with a predicate and no date takes the date of the sentence before it in its paragraph,
//! and says so (`date_origin: "paragraph"`). Participants ([`roles`]) are the actors of the
//! predicate's clause, and the sentence's subject when the clause names none.
//!
//! Each finding is an `event_statement` fact whose evidence is the sentence. Statements of one
//! event across sentences, documents and languages are merged later (`crate::history`).

pub mod date;
pub mod roles;

use super::{Extractor, Fact, FactBody};
use crate::document::Document;
use crate::knowledge::event_words::{self as lexicon, Word};
use crate::knowledge::events::{self as data, CueKind};
use crate::text::layout::BlockKind;
use date::DateGroup;
use std::ops::Range;

/// The event extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct EventExtractor;

/// A predicate found in a sentence, typed.
#[derive(Debug, Clone)]
struct Trigger {
    ty: &'static str,
    words: Range<usize>,
    priority: u32,
    /// Told as a circumstance ("when …"), not as the sentence's event.
    subordinate: bool,
    /// Where the circumstance clause's subordinator ends: its dates come after it.
    sub_from: usize,
    negated: bool,
    planned: bool,
    /// Part of a name ("the Sino-Vietnamese War"): an event only with a date beside the
    /// name, which ends before this word.
    named: Option<usize>,
    /// Where its subordinator starts (a date right before it may be the one the circumstance
    /// clause describes: "in October 1975, when …").
    sub_at: Option<usize>,
    /// Its subordinator tells a simultaneous circumstance ("when", "khi", "когда"), not one
    /// before or after the date ("ahead of", "sau khi", "после того как").
    sub_simultaneous: bool,
    /// A reporting verb: the dates of its complement are not its own.
    reporting: bool,
    /// Its clause.
    clause: usize,
    /// An object noun standing alone for its event because a quantity measures it ("45.480
    /// tấn vũ khí"): a typed predicate of the same date tells the event better.
    measured_object: bool,
    /// A typed predicate ("viện trợ", "visited"), not a generic one ("reached", "đạt") nor
    /// an object noun.
    typed: bool,
}

/// What the extractor knows of one sentence's words.
struct SentenceView<'a> {
    ws: &'a [Word],
    /// Clause index of each word.
    clause: Vec<usize>,
    /// Each word inside an entity mention: the mention's entity type.
    in_mention: Vec<Option<&'a str>>,
    /// Each word inside quotation marks.
    quoted: Vec<bool>,
    /// Each word inside a quotation of speech.
    speech: Vec<bool>,
    /// Words of quantities (not durations) of the sentence.
    quantity: Vec<bool>,
    /// The sentence is set in capitals (a cable, a heading): capitals say nothing.
    all_caps: bool,
}

impl Extractor for EventExtractor {
    fn name(&self) -> &'static str {
        "event"
    }

    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        self.extract_after(doc, &[], out);
    }

    fn extract_after(&self, doc: &Document, earlier: &[Fact], out: &mut Vec<Fact>) {
        let sorted = |kind: &str| {
            let mut v: Vec<&Fact> = earlier.iter().filter(|f| f.kind() == kind).collect();
            v.sort_by_key(|f| f.evidence.start);
            v
        };
        let timexes = sorted("timex");
        // Every expression of time, dated or not: a sentence with one is not the story's
        // present ("has supplied arms for decades").
        let mut times: Vec<&Fact> = earlier
            .iter()
            .filter(|f| matches!(f.kind(), "timex" | "duration" | "timex_unresolved"))
            .collect();
        times.sort_by_key(|f| f.evidence.start);
        // The document's reference date (a dateline), when it gives the day.
        let story_date = timexes
            .iter()
            .find(|f| f.body.timex().is_some_and(|t| t.reference))
            .and_then(|f| date::Dated::from_fact(f, 0, 0))
            .filter(|d| d.value_start.len() == 10 && d.value_start == d.value_end)
            .map(|d| date::DateGroup::story(&d));
        let mentions = sorted("mention");
        let quantities = sorted("quantity");
        // Table regions hold rows, not statements.
        let tables: Vec<(usize, usize)> = earlier
            .iter()
            .filter(|f| f.kind() == "table")
            .map(|f| (f.evidence.start, f.evidence.end))
            .collect();
        let ontology = data::ontology();
        let pair = document_pair(&mentions);
        let states: std::collections::HashSet<&str> = mentions
            .iter()
            .filter_map(|m| m.body.mention())
            .filter(|x| x.entity_type == "country")
            .map(|x| x.entity_id.as_str())
            .collect();
        // The last date stated, with the index of the sentence that stated it, for a
        // sentence right after it that states none.
        let mut paragraph_date: Option<(usize, DateGroup)> = None;
        for (s_index, s) in doc.sentences.iter().enumerate() {
            if crate::budget::expired() {
                break;
            }
            let para = &doc.paragraphs[s.paragraph];
            if para.kind == BlockKind::Heading
                || tables
                    .iter()
                    .any(|&(a, b)| s.src.start < b && a < s.src.end)
            {
                continue;
            }
            if s_index > 0 && doc.sentences[s_index - 1].paragraph != s.paragraph {
                paragraph_date = None;
            }
            let text = doc.sentence_text(s);
            let ws = lexicon::words(text);
            if ws.is_empty() {
                continue;
            }
            // Source offset of each word, to place the facts of earlier extractors.
            let src: Vec<usize> = ws
                .iter()
                .map(|w| doc.text.source_point(s.range.start + w.range.start))
                .collect();
            let in_sentence =
                |f: &&&Fact| f.evidence.start >= s.src.start && f.evidence.end <= s.src.end;
            let word_of = |pos: usize| src.partition_point(|&p| p < pos);
            let lex = data::lexicon(s.lang);

            let dated: Vec<date::Dated> = slice_of(&timexes, s.src.start, s.src.end)
                .iter()
                .filter(in_sentence)
                .filter_map(|f| {
                    date::Dated::from_fact(f, word_of(f.evidence.start), word_of(f.evidence.end))
                })
                .collect();
            // Quoted words: titles, or speech when a reporting verb stands beside the quote
            // ("«…», — заявил Лавров", "he said: “…”"). Speech predicates; titles do not.
            let mut quoted = date::quoted_words(&ws);
            let speech = speech_words(&ws, &quoted, lex);
            for (q, sp) in quoted.iter_mut().zip(&speech) {
                *q &= !sp;
            }
            let groups = date::group(&dated, &ws, lex, &quoted);
            let sentence_mentions: Vec<&Fact> = slice_of(&mentions, s.src.start, s.src.end)
                .iter()
                .filter(in_sentence)
                .copied()
                .collect();
            let mut view = SentenceView {
                ws: &ws,
                clause: Vec::new(),
                in_mention: vec![None; ws.len()],
                quoted,
                speech,
                quantity: vec![false; ws.len()],
                all_caps: all_caps(text),
            };
            for m in &sentence_mentions {
                let et = m.body.mention().map_or("other", |x| x.entity_type.as_str());
                let (a, b) = (word_of(m.evidence.start), word_of(m.evidence.end));
                for w in view.in_mention.iter_mut().take(b.min(ws.len())).skip(a) {
                    *w = Some(et);
                }
            }
            view.clause = clauses(&ws, &groups, &view.in_mention);
            for q in slice_of(&quantities, s.src.start, s.src.end)
                .iter()
                .filter(in_sentence)
            {
                if q.body.quantity().is_some_and(|x| x.unit == "year") {
                    continue;
                }
                let (a, b) = (word_of(q.evidence.start), word_of(q.evidence.end));
                for w in view.quantity.iter_mut().take(b.min(ws.len())).skip(a) {
                    *w = true;
                }
            }

            let triggers = find_triggers(&view, lex, &groups);
            let had_date = !groups.is_empty();
            let previous_date = paragraph_date.take().filter(|(seq, _)| *seq + 1 == s_index);
            if let Some(last) = groups.last() {
                paragraph_date = Some((s_index, last.clone()));
            }
            if triggers.is_empty() || is_reference_entry(text, &ws, &groups) {
                continue;
            }
            // A sentence about the literature ("the author surveys … from 1975 to 1991")
            // states events only where it gives a month or a day.
            let framing = lex.framing.occurs_in(&ws, 0..ws.len());
            let groups: Vec<DateGroup> = if framing {
                groups
                    .into_iter()
                    .filter(|g| g.value_start.len() >= 7)
                    .collect()
            } else {
                groups
            };
            if framing && groups.is_empty() {
                continue;
            }
            // A sentence without a date takes the date of the sentence right before it in
            // its paragraph, only when it names an actor.
            // Else, in a dated story, what it reports as just done ("Russia has signed") with
            // no time of its own takes the story's date.
            let mut triggers = triggers;
            let (groups, origin) = if had_date {
                (groups, "sentence")
            } else {
                match previous_date {
                    Some((_, g)) if !sentence_mentions.is_empty() => {
                        paragraph_date = Some((s_index, g.clone()));
                        (vec![g.inherited()], "paragraph")
                    }
                    _ => {
                        let Some(story) = &story_date else { continue };
                        if slice_of(&times, s.src.start, s.src.end)
                            .iter()
                            .any(|f| in_sentence(&f))
                        {
                            continue;
                        }
                        triggers.retain(|t| {
                            t.ty != "other"
                                && !t.planned
                                && lex.news_present.ends_at(&ws, 0, t.words.start)
                                && lex.news_verb_forms.admit(&ws[t.words.start].lower)
                        });
                        if triggers.is_empty() {
                            continue;
                        }
                        (vec![story.clone()], "dateline")
                    }
                }
            };
            let by_group = assign_dates(&triggers, &groups, &view, lex, origin != "sentence");
            let subject = subject_end(&triggers, &view);
            let sentence_span = doc.span_of(s.range.clone());
            for (g, ts) in groups.iter().zip(&by_group) {
                let Some(main) = choose(ts, g) else { continue };
                let ty = ontology.get(main.ty);
                let trig_range = ws[main.words.start].range.start..ws[main.words.end - 1].range.end;
                let trig_span =
                    doc.span_of(s.range.start + trig_range.start..s.range.start + trig_range.end);
                let field = roles::field(ty, &ws, lex);
                // The actors of the clauses of every predicate of this type on this date
                // ("Liên Xô viện trợ …, Trung Quốc viện trợ …"), the main one's first.
                let mut parts = roles::Participants::default();
                let same: Vec<&Trigger> = std::iter::once(main)
                    .chain(ts.iter().copied().filter(|t| {
                        t.ty == main.ty
                            && t.words != main.words
                            && t.subordinate == main.subordinate
                    }))
                    .collect();
                for t in same {
                    let scope = clause_scope(&view, t, subject);
                    parts.extend(roles::participants(
                        &sentence_mentions,
                        &ws,
                        t.words.clone(),
                        &scope,
                        &word_of,
                        ty,
                        lex,
                    ));
                }
                // "The two countries", "bilateral", "hai nước": the document's two states,
                // when the statement does not name two states of its own.
                let named_states = parts
                    .list
                    .iter()
                    .filter(|p| states.contains(p.id.as_str()))
                    .count();
                // The clause a predicate-first clause continues speaks of the same parties
                // ("trade between the two countries grew, reaching …").
                let continued = (!main.subordinate)
                    .then(|| continued_clause(&view, main.words.start))
                    .flatten()
                    .map(|c| {
                        let a = (0..ws.len()).position(|i| view.clause[i] == c).unwrap_or(0);
                        a..main.words.start
                    });
                let scope = clause_scope(&view, main, subject).clause;
                if let Some(two) = &pair
                    && named_states < 2
                    && (lex.pair.occurs_in(&ws, scope)
                        || continued.is_some_and(|r| lex.pair.occurs_in(&ws, r)))
                {
                    for (id, label) in two {
                        if !parts.list.iter().any(|p| &p.id == id) {
                            parts.list.push(roles::Participant {
                                label: label.clone(),
                                id: id.clone(),
                                role: None,
                            });
                        }
                    }
                }
                let body = crate::fact::EventStatement {
                    ty: main.ty.to_string(),
                    label: ty.label.clone(),
                    field: field.to_string(),
                    date_start: g.value_start.parse().ok(),
                    date_end: g.value_end.parse().ok(),
                    date_text: g.text.clone(),
                    date_span: crate::fact::At {
                        start: g.src.start,
                        end: g.src.end,
                    },
                    date_origin: if origin == "paragraph" {
                        "paragraph".to_string()
                    } else {
                        g.origin.to_string()
                    },
                    participants: parts.labels(),
                    participant_ids: parts.ids(),
                    roles: parts.roles(),
                    place: parts.place.clone(),
                    about: parts.about.clone(),
                    trigger: trig_span.text.clone(),
                    trigger_span: crate::fact::At {
                        start: trig_span.start,
                        end: trig_span.end,
                    },
                    polarity: if main.negated { "negative" } else { "positive" }.to_string(),
                    modality: if main.planned || g.planned {
                        "planned"
                    } else {
                        "asserted"
                    }
                    .to_string(),
                    circumstance: main.subordinate,
                    ordinal: ordinal(main, &ws, lex, &sentence_mentions, &word_of),
                    lang: s.lang,
                    summary: roles::summary(ty, &parts, &g.value_start, &g.value_end),
                };
                out.push(Fact {
                    evidence: sentence_span.clone(),
                    body: FactBody::EventStatement(body),
                });
            }
        }
    }
}

/// The two states a document names most (ties: the one named first), when it names two:
/// whom "the two countries" and "bilateral" stand for. Each as (id, label).
fn document_pair(mentions: &[&Fact]) -> Option<[(String, String); 2]> {
    let mut counts: std::collections::BTreeMap<&str, (usize, usize, &str)> = Default::default();
    for m in mentions {
        let Some(x) = m.body.mention() else { continue };
        if x.entity_type != "country" {
            continue;
        }
        let e =
            counts
                .entry(x.entity_id.as_str())
                .or_insert((0, m.evidence.start, x.entity.as_str()));
        e.0 += 1;
    }
    let mut v: Vec<(&str, (usize, usize, &str))> = counts.into_iter().collect();
    v.sort_by_key(|(_, (n, first, _))| (std::cmp::Reverse(*n), *first));
    match v.as_slice() {
        [a, b, ..] => Some([
            (a.0.to_string(), a.1.2.to_string()),
            (b.0.to_string(), b.1.2.to_string()),
        ]),
        _ => None,
    }
}

/// A bibliography entry: "Nguyễn Văn A (2013), Title …": a bare year in brackets early in
/// the sentence, right after a name.
fn is_reference_entry(text: &str, ws: &[Word], groups: &[DateGroup]) -> bool {
    groups.iter().any(|g| {
        g.value_start.len() == 4
            && g.value_start == g.value_end
            && g.words.start >= 2
            && text[ws[g.words.start - 2].range.clone()].starts_with(char::is_uppercase)
            && g.words.start <= 8
            && ws[g.words.start - 1].lower == "("
            && ws.get(g.words.end).is_some_and(|w| w.lower == ")")
            && ws
                .get(g.words.end + 1)
                .is_some_and(|w| matches!(w.lower.as_str(), "," | "." | ":"))
    })
}

/// The facts among `sorted` (by start) that start inside `start..end`.
fn slice_of<'a, 'f>(sorted: &'a [&'f Fact], start: usize, end: usize) -> &'a [&'f Fact] {
    let a = sorted.partition_point(|f| f.evidence.start < start);
    let b = sorted.partition_point(|f| f.evidence.start < end);
    &sorted[a..b.max(a)]
}

/// Clause index of each word: clauses end at ",", ";", ":" and free-standing dashes, never
/// inside a date ("December 21, 1991"). Brackets are not boundaries: "(ngày 14-1-1950)"
/// belongs to the clause it follows. A date that is a clause of its own belongs to the
/// clause after it when fronted ("Ngày 19-01-1980, Nghị quyết …", "In 1988, …"), to the one
/// before it when it closes the sentence ("… at Glassboro, New Jersey, in 1967."); so does a
/// clause that only names ("Glassboro, New Jersey, …"), unless a colon follows it: then it
/// heads the clause after it ("…; trong đó, Liên Xô: viện trợ 29.996 tấn").
fn clauses(ws: &[Word], groups: &[DateGroup], in_mention: &[Option<&str>]) -> Vec<usize> {
    let in_date = |i: usize| groups.iter().any(|g| !g.inherited && g.words.contains(&i));
    let boundary = |i: usize| {
        matches!(ws[i].lower.as_str(), "," | ";" | ":" | "–" | "—" | "-")
            && !in_date(i)
            && in_mention[i].is_none()
    };
    // Cut into raw clauses: (start, end, kind) with kind 0 plain, 1 only a date, 2 only names.
    let mut raw: Vec<(usize, usize, u8)> = Vec::new();
    let mut start = 0;
    for i in 0..=ws.len() {
        if i == ws.len() || boundary(i) {
            let words: Vec<usize> = (start..i).filter(|&k| !ws[k].is_sym()).collect();
            let dated = words.iter().filter(|&&k| in_date(k)).count();
            let named = words.iter().filter(|&&k| in_mention[k].is_some()).count();
            let kind = if dated > 0
                && words.len() - dated <= 2
                && ws.get(i).is_none_or(|w| w.lower == ",")
            {
                1
            } else if !words.is_empty() && named == words.len() {
                // A name before a colon heads what follows ("Liên Xô: viện trợ 29.996 tấn").
                // Not the second half of a dashed pair ("tình hữu nghị Việt - Xô: “…”").
                let after_dash =
                    start > 0 && matches!(ws[start - 1].lower.as_str(), "–" | "—" | "-");
                if ws.get(i).is_some_and(|w| w.lower == ":") && !after_dash {
                    3
                } else {
                    2
                }
            } else {
                0
            };
            raw.push((start, (i + 1).min(ws.len()), kind));
            start = i + 1;
        }
    }
    // Number them, joining date-only and name-only clauses to a neighbour.
    let mut ids = vec![0usize; raw.len()];
    let mut next = 0;
    for (k, &(_, _, kind)) in raw.iter().enumerate() {
        let last = k + 1 == raw.len();
        ids[k] = match kind {
            // fronted: shares the number of the clause after it
            1 | 3 if !last => next,
            1..=3 if k > 0 => ids[k - 1],
            _ => {
                let id = next;
                next += 1;
                id
            }
        };
        if kind == 0 || (kind == 2 && k == 0) || (kind == 1 && last && k == 0) {
            next = next.max(ids[k] + 1);
        }
    }
    let mut out = vec![0; ws.len()];
    for (k, &(a, b, _)) in raw.iter().enumerate() {
        for o in out.iter_mut().take(b).skip(a) {
            *o = ids[k];
        }
    }
    out
}

/// The quoted words that are speech: quotes with a reporting verb within a few words after
/// their closing mark or before their opening one.
fn speech_words(ws: &[Word], quoted: &[bool], lex: &data::EventLexicon) -> Vec<bool> {
    let mut out = vec![false; ws.len()];
    let mut i = 0;
    while i < ws.len() {
        if !quoted[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < ws.len() && quoted[i] {
            i += 1;
        }
        let reports = |r: Range<usize>| {
            r.clone()
                .any(|k| lex.reporting.longest_at(&ws[..r.end], k).is_some())
        };
        let after = i..(i + 4).min(ws.len());
        let before = start.saturating_sub(3)..start;
        if reports(after) || reports(before) {
            out[start..i].iter_mut().for_each(|w| *w = true);
        }
    }
    // A quotation begun in an earlier sentence: a closing mark with no opening one before it,
    // a reporting verb right after ("… с 1991 года\", — заявил Лавров").
    let opener = |w: &Word| matches!(w.lower.as_str(), "“" | "«" | "„" | "\"");
    if let Some(close) = ws
        .iter()
        .position(|w| matches!(w.lower.as_str(), "”" | "»" | "\""))
        && !ws[..close].iter().any(opener)
        && !quoted[close]
    {
        let after = close + 1..(close + 4).min(ws.len());
        if after
            .clone()
            .any(|k| lex.reporting.longest_at(&ws[..after.end], k).is_some())
        {
            out[..=close].iter_mut().for_each(|w| *w = true);
        }
    }
    out
}

/// Whether a text is set in capitals (most of its letters upper case).
fn all_caps(text: &str) -> bool {
    let (mut up, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if c.is_uppercase() {
            up += 1;
        }
    }
    letters > 0 && up * 10 >= letters * 6
}

/// How a cue stands to the names of its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameUse {
    /// Not inside a name.
    Free,
    /// Inside a name: no cue ("Soviet Union", "Council for Mutual Economic Assistance").
    Name,
    /// Inside the name of an event or a treaty ("the Sino-Vietnamese War", "Cold War"): an
    /// event only with a date beside the name, which ends at this word.
    Named(usize),
}

/// How the cue at `r` stands to the names of its sentence. Inside an entity mention it is a
/// name, unless the mention names an event or a treaty. Mid-sentence, a capitalised cue
/// word beside another capitalised word ("Cold War") names an event too; capitals say
/// nothing in a text set in capitals.
fn in_name(v: &SentenceView, r: &Range<usize>) -> NameUse {
    let ws = v.ws;
    if let Some(et) = r.clone().find_map(|i| v.in_mention[i]) {
        if !matches!(et, "event" | "treaty") {
            return NameUse::Name;
        }
        let mut end = r.end;
        while end < ws.len() && v.in_mention[end] == Some(et) {
            end += 1;
        }
        return NameUse::Named(end);
    }
    if v.all_caps {
        return NameUse::Free;
    }
    let cap = |i: usize| ws.get(i).is_some_and(|w| w.cap);
    let opens = |i: usize| {
        i == 0
            || matches!(
                ws[i - 1].lower.as_str(),
                "." | ":" | "\"" | "“" | "«" | "„" | "(" | "[" | "-" | "–" | "—" | ";" | "!" | "?"
            )
    };
    let cue_cap = r.clone().any(|i| cap(i) && !opens(i));
    let neighbour = (r.start > 0 && cap(r.start - 1) && !opens(r.start - 1)) || cap(r.end);
    if !(cue_cap && neighbour) {
        return NameUse::Free;
    }
    let mut end = r.end;
    while cap(end) {
        end += 1;
    }
    NameUse::Named(end)
}

/// The predicates of a sentence: typed predicates, generic predicates typed by the object of
/// their clause, and object nouns of a `by_quantity` type with a quantity in their clause;
/// with their negation, plan, circumstance, name and reporting flags.
fn find_triggers(v: &SentenceView, lex: &data::EventLexicon, groups: &[DateGroup]) -> Vec<Trigger> {
    let ontology = data::ontology();
    let ws = v.ws;
    // Clauses holding a date to the day.
    let day_dated: Vec<usize> = groups
        .iter()
        .filter(|g| !g.inherited && g.value_start.len() == 10 && g.words.start < ws.len())
        .map(|g| v.clause[g.words.start])
        .collect();
    let found = lex.cues.find_all(ws);
    let intern = |ty: &str| -> &'static str {
        ontology
            .types
            .get_key_value(ty)
            .map_or("other", |(k, _)| k.as_str())
    };
    // Object nouns usable in each clause: (clause, words, type). Nouns inside a name count
    // only where the name is a treaty's or an event's ("Hiệp ước Hữu nghị …").
    let mut objects: Vec<(usize, Range<usize>, &'static str)> = Vec::new();
    for f in &found {
        if f.value.kind != CueKind::Object {
            continue;
        }
        if in_name(v, &f.toks) != NameUse::Name {
            objects.push((v.clause[f.toks.start], f.toks.clone(), intern(&f.value.ty)));
        }
    }
    let mut in_date = vec![false; ws.len()];
    for g in groups.iter().filter(|g| !g.inherited) {
        for w in in_date
            .iter_mut()
            .take(g.words.end.min(ws.len()))
            .skip(g.words.start)
        {
            *w = true;
        }
    }
    let mut out = Vec::new();
    let mut push = |words: Range<usize>,
                    ty: &'static str,
                    named: Option<usize>,
                    typed: bool,
                    measured_object: bool| {
        let start = words.start;
        let clause_start = (0..start)
            .rev()
            .find(|&i| v.clause[i] != v.clause[start])
            .map_or(0, |i| i + 1);
        // The `n` words before the predicate in its clause, dates and quantities not counted
        // ("намерены в течение 2014 года поставить").
        let window = |n: usize| {
            let mut from = start;
            let mut counted = 0;
            while from > clause_start && counted < n {
                from -= 1;
                if !in_date[from] && !v.quantity[from] {
                    counted += 1;
                }
            }
            from..start
        };
        // The last subordinator between the clause's start and the predicate.
        let mut sub_from = None;
        let mut sub_at = None;
        let mut sub_simultaneous = false;
        let mut k = clause_start;
        while k < start {
            match lex.subordinate.longest_at(&ws[..start], k) {
                Some(f) => {
                    sub_from = Some(f.toks.end);
                    sub_at = Some(f.toks.start);
                    sub_simultaneous = lex
                        .simultaneous
                        .longest_at(ws, f.toks.start)
                        .is_some_and(|g| g.toks.end == f.toks.end);
                    k = f.toks.end;
                }
                None => k += 1,
            }
        }
        out.push(Trigger {
            ty,
            words: words.clone(),
            priority: ontology.get(ty).priority,
            subordinate: sub_from.is_some(),
            sub_from: sub_from.unwrap_or(clause_start),
            sub_at,
            sub_simultaneous,
            negated: lex.negation.occurs_in(ws, window(lex.negation_window)),
            planned: lex.planned.occurs_in(ws, window(lex.planned_window)),
            named,
            reporting: lex
                .reporting
                .longest_at(ws, start)
                .is_some_and(|f| f.toks.end >= words.end),
            clause: v.clause[start],
            measured_object,
            typed,
        });
    };
    for f in &found {
        // Predicates inside short quoted titles do not predicate.
        if f.value.kind != CueKind::Object && v.quoted[f.toks.start] {
            continue;
        }
        match f.value.kind {
            CueKind::Not => {}
            CueKind::Predicate | CueKind::Generic => {
                let named = match in_name(v, &f.toks) {
                    NameUse::Name => continue,
                    NameUse::Named(end) => Some(end),
                    NameUse::Free => None,
                };
                let ty = if f.value.kind == CueKind::Generic {
                    // The object of its clause with the highest priority ("a trade agreement"
                    // is an agreement), else its own type.
                    // A clause opening with its predicate continues the one before
                    // ("trade … grew, reaching $4.5 billion": trade reached it).
                    let of_clause = |c: usize| {
                        objects
                            .iter()
                            .filter(|(oc, _, _)| *oc == c)
                            .map(|(_, _, t)| *t)
                            .max_by_key(|t| ontology.get(t).priority)
                    };
                    of_clause(v.clause[f.toks.start])
                        .or_else(|| continued_clause(v, f.toks.start).and_then(of_clause))
                        .unwrap_or_else(|| intern(&f.value.ty))
                } else {
                    intern(&f.value.ty)
                };
                push(
                    f.toks.clone(),
                    ty,
                    named,
                    f.value.kind == CueKind::Predicate,
                    false,
                );
            }
            CueKind::Object => {
                // An object states an event alone in two cases: a measured one with a quantity
                // in its clause ("kim ngạch năm 1985: 1,5 tỷ rúp"), a document with a date to
                // the day in its clause ("Hiệp định “…” ngày 23-01-1981").
                let ty = intern(&f.value.ty);
                let t = ontology.get(ty);
                let use_ = in_name(v, &f.toks);
                if use_ == NameUse::Name {
                    continue;
                }
                let c = v.clause[f.toks.start];
                let counted =
                    t.by_quantity && (0..ws.len()).any(|i| v.quantity[i] && v.clause[i] == c);
                let dated = t.by_day_date && day_dated.contains(&c);
                // A document with its own date after it, in a clause with a predicate:
                // "became a strategic partner in 2001 and a comprehensive one in 2012".
                let own_date = t.by_day_date
                    && groups.iter().any(|g| {
                        !g.inherited
                            && g.words.start >= f.toks.end
                            && g.words.start - f.toks.end <= 3
                            && g.words.start < ws.len()
                            && v.clause[g.words.start] == c
                    })
                    && found.iter().any(|p| {
                        matches!(p.value.kind, CueKind::Predicate | CueKind::Generic)
                            && v.clause[p.toks.start] == c
                            && !v.quoted[p.toks.start]
                    });
                if counted || dated || own_date {
                    push(
                        f.toks.clone(),
                        ty,
                        None,
                        false,
                        counted && !dated && !own_date,
                    );
                }
            }
        }
    }
    out
}

/// The end of the sentence's subject: the actors before the first main predicate are the
/// subject of a clause that names none ("Việt Nam gia nhập SEV, tháng 11 ký Hiệp ước …").
fn subject_end(triggers: &[Trigger], _v: &SentenceView) -> usize {
    triggers
        .iter()
        .filter(|t| !t.subordinate)
        .map(|t| t.words.start)
        .min()
        .unwrap_or(0)
}

/// The clause that the one opening with the predicate at word `start` continues: a clause
/// whose first word is its predicate has no subject of its own (", reaching $4.5 billion",
/// ", đạt 4,5 tỷ USD", ", достигнув …"); it goes on with the clause before it.
fn continued_clause(v: &SentenceView, start: usize) -> Option<usize> {
    (start > 0 && v.clause[start - 1] != v.clause[start]).then(|| v.clause[start - 1])
}

/// The words whose actors take part in `t`'s event: its clause, and the sentence's subject
/// when its clause names no actor before it.
fn clause_scope(v: &SentenceView, t: &Trigger, subject_end: usize) -> roles::Scope {
    let words: Vec<usize> = (0..v.ws.len())
        .filter(|&i| v.clause[i] == t.clause)
        .collect();
    let (a, b) = (
        words.first().copied().unwrap_or(0),
        words.last().map_or(0, |l| l + 1),
    );
    roles::Scope {
        clause: a..b,
        subject: if t.subordinate { 0..0 } else { 0..subject_end },
    }
}

/// Each date group's predicates. A circumstance predicate takes only a date of its own clause
/// after its subordinator, and that date is then not the main clause's; a reporting verb
/// does not take a date after its complementizer; a named event only a date beside it.
fn assign_dates<'a>(
    triggers: &'a [Trigger],
    groups: &[DateGroup],
    v: &SentenceView,
    lex: &data::EventLexicon,
    inherited: bool,
) -> Vec<Vec<&'a Trigger>> {
    let ws = v.ws;
    let mut by_group: Vec<Vec<&Trigger>> = vec![Vec::new(); groups.len()];
    let mut owned = vec![false; groups.len()];
    // A date beside a name: right after it in its clause, or just before it.
    let beside = |t: &Trigger, end: usize, g: &DateGroup| {
        let after = g.words.start >= end
            && g.words.start - end <= 3
            && (end..g.words.start).all(|i| v.clause[i] == t.clause);
        let before = g.words.end <= t.words.start && t.words.start - g.words.end <= 3;
        after || before
    };
    // The date a circumstance clause describes: "in October 1975 when …", "ngày …, khi …".
    // Before "after" or "ahead of" only a year does ("năm 1978, sau khi … ký Hiệp ước": a
    // year holds both); a day or month is the main clause's ("on May 18 ahead of his visit
    // on May 20-23").
    let described = |t: &Trigger, g: &DateGroup| {
        let holds_both = t.sub_simultaneous || (g.value_start.len() == 4 && g.value_end.len() == 4);
        holds_both
            && t.sub_at.is_some_and(|at| {
                g.words.end <= at
                    && (g.words.end..at).all(|k| ws[k].is_sym())
                    && at - g.words.end <= 1
            })
    };
    // Circumstances first: they own the dates of their clause.
    for (pass, want_sub) in [(0, true), (1, false)] {
        for t in triggers.iter().filter(|t| t.subordinate == want_sub) {
            let allowed_with = |owned_ok: bool| -> Vec<bool> {
                groups
                    .iter()
                    .enumerate()
                    .map(|(i, g)| {
                        if inherited {
                            return true;
                        }
                        if let Some(end) = t.named
                            && !beside(t, end, g)
                        {
                            return false;
                        }
                        // A bound ("after 2004") dates only the clause that describes it.
                        if g.bound {
                            return described(t, g);
                        }
                        if pass == 0 {
                            return described(t, g)
                                || (g.words.start >= t.sub_from
                                    && (g.words.start..g.words.end.min(ws.len()))
                                        .all(|k| v.clause[k] == t.clause));
                        }
                        if owned[i] && !owned_ok {
                            return false;
                        }
                        // A date after a sequential subordinator that follows the predicate is
                        // its clause's, even when no trigger of ours names that clause's act
                        // ("the first meeting since Putin took office (7/5/2012)"); a
                        // simultaneous one ("during", "khi") shares its time.
                        if !t.subordinate
                            && g.words.start > t.words.end
                            && sequential_between(ws, lex, t.words.end, g.words.start)
                        {
                            return false;
                        }
                        // A quotation's dates are not the reporting verb's ("«… с 1991 года», —
                        // заявил Лавров").
                        if t.reporting
                            && v.speech.get(g.words.start) == Some(&true)
                            && !v.speech[t.words.start]
                        {
                            return false;
                        }
                        if t.reporting && g.words.start > t.words.end {
                            let complement = (t.words.end..g.words.start)
                                .any(|k| lex.complementizers.longest_at(ws, k).is_some());
                            if complement {
                                return false;
                            }
                        }
                        true
                    })
                    .collect()
            };
            let pick_among = |allowed: &[bool]| {
                date::nearest_among(
                    groups,
                    ws,
                    t.words.clone(),
                    inherited,
                    allowed,
                    &|g: &DateGroup| {
                        g.words.start < ws.len() && v.clause[g.words.start] != t.clause
                    },
                    v.quoted[t.words.start],
                )
            };
            // A main clause with no date of its own happens when its circumstance does
            // ("In 1979, when the border war broke out, the Soviet Union supported …";
            // "provided support during the 1979 war").
            let pick = pick_among(&allowed_with(false)).or_else(|| {
                if pass == 1 {
                    pick_among(&allowed_with(true))
                } else {
                    None
                }
            });
            if let Some(g) = pick {
                if pass == 0 {
                    owned[g] = true;
                }
                by_group[g].push(t);
            }
        }
    }
    // A date coordinated with a date that has a trigger shares it.
    for g in 0..groups.len() {
        if by_group[g].is_empty()
            && let Some(p) = groups[g].coordinated_with
            && p < groups.len()
            && !by_group[p].is_empty()
        {
            by_group[g] = by_group[p].clone();
        }
    }
    by_group
}

/// Whether a sequential subordinator ("after", "since", "sau khi", "kể từ khi", "после
/// того как"; not a simultaneous one like "when" or "khi") stands in `from..to`.
///
/// A subordinator right before the date is a preposition ("aid since 1955"): the date
/// bounds the predicate's own state, so it does not count.
fn sequential_between(ws: &[Word], lex: &data::EventLexicon, from: usize, to: usize) -> bool {
    (from..to).any(|k| {
        lex.subordinate.longest_at(&ws[..to], k).is_some_and(|f| {
            let simultaneous = lex
                .simultaneous
                .longest_at(ws, f.toks.start)
                .is_some_and(|g| g.toks.end == f.toks.end);
            f.toks.end < to && !simultaneous
        })
    })
}

/// Types whose statements may rank an actor ("the second country to recognize").
const RANKED: [&str; 3] = ["recognition", "establish_relations", "membership"];

/// A rank claim before the trigger of a ranked type: `{"rank", "after": [...], "tied_with":
/// [...]}`.
fn ordinal(
    t: &Trigger,
    ws: &[Word],
    lex: &data::EventLexicon,
    mentions: &[&Fact],
    word_of: &dyn Fn(usize) -> usize,
) -> Option<crate::fact::Ordinal> {
    if !RANKED.contains(&t.ty) {
        return None;
    }
    let found = lex.ordinals.find_all(&ws[..t.words.start]);
    let rank = *found.last()?.value;
    let mut after = Vec::new();
    let mut tied = Vec::new();
    let starts: Vec<usize> = mentions.iter().map(|m| word_of(m.evidence.start)).collect();
    for (m, &w) in mentions.iter().zip(&starts) {
        let Some(label) = m.body.mention().map(|x| x.entity.as_str()) else {
            continue;
        };
        // A cue up to six words before the mention, with no other mention in between.
        let cued = |set: &lexicon::PhraseSet<()>| {
            (w.saturating_sub(6)..w).rev().any(|c| {
                set.longest_at(ws, c).is_some_and(|f| f.toks.end <= w)
                    && !starts.iter().any(|&o| o > c && o < w)
            })
        };
        if cued(&lex.ordinal_after) {
            after.push(label.to_string());
        } else if cued(&lex.ordinal_tied) {
            tied.push(label.to_string());
        }
    }
    Some(crate::fact::Ordinal {
        rank: rank.into(),
        after,
        tied_with: tied,
    })
}

/// The trigger that decides a date's event: main clause over circumstance, then priority.
///
/// Main clause over circumstance; a positive trigger over a negated one (what "did not take
/// military action, but provided support" did was support); an asserted one over a plan; a
/// typed predicate over an object noun a quantity made an event ("45.480 tấn vũ khí …; Liên
/// Xô viện trợ 29.996 tấn": aid); a trigger near the date over a
/// far one (in steps of six words: "abstained … to condemn the invasion" is an abstention);
/// then the type's priority.
fn choose<'a>(ts: &[&'a Trigger], date: &DateGroup) -> Option<&'a Trigger> {
    let distance = |t: &Trigger| {
        if date.inherited {
            0
        } else if date.words.end <= t.words.start {
            t.words.start - date.words.end
        } else {
            date.words.start.saturating_sub(t.words.end)
        }
    };
    let typed = ts.iter().any(|t| t.typed);
    ts.iter().copied().max_by_key(|t| {
        (
            !t.subordinate,
            !t.negated,
            !t.planned,
            !(typed && t.measured_object),
            std::cmp::Reverse(distance(t) / 6),
            t.priority,
            std::cmp::Reverse(t.words.start),
        )
    })
}
