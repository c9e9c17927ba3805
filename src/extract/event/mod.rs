//! The event extractor: who did what, with whom, when, in which field, per sentence.
//!
//! It runs after the time and entity extractors and builds on their facts. In each sentence it
//! finds trigger phrases ([`lexicon`], data in `data/event/{vi,en,ru}.toml`) typed by the
//! ontology (`data/event/ontology.toml`); groups the sentence's dates ([`date`]: "from 1977 …
//! to 1978" is one interval, "1978 and 1979" too, "March 2022 and February 2023" are two
//! dates of one kind of event); gives each trigger its nearest date, preferring dates outside
//! quoted titles; and lets the strongest trigger of each date decide the event's type, with
//! circumstances ("when …", "after …", "khi …") giving way to the main clause. A sentence with
//! a trigger and no date takes the date of the sentence before it in its paragraph, and says
//! so (`date_origin: "paragraph"`). Participants and their roles come from the entity
//! mentions around the trigger ([`roles`]); negation and plans from cue words before it.
//!
//! Each finding is an `event_statement` fact whose evidence is the sentence. Statements of one
//! event across sentences, documents and languages are merged later (`crate::history`).

pub mod data;
pub mod date;
pub mod lexicon;
pub mod roles;

use super::{Extractor, Fact};
use crate::document::Document;
use crate::text::layout::BlockKind;
use date::DateGroup;
use lexicon::Word;
use serde_json::{Map, Value, json};

/// The event extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct EventExtractor;

/// A trigger found in a sentence.
#[derive(Debug, Clone)]
struct Trigger {
    ty: &'static str,
    words: std::ops::Range<usize>,
    priority: u32,
    /// Told as a circumstance ("when …"), not as the sentence's event.
    subordinate: bool,
    negated: bool,
    planned: bool,
}

impl Extractor for EventExtractor {
    fn name(&self) -> &'static str {
        "event"
    }

    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        self.extract_after(doc, &[], out);
    }

    fn extract_after(&self, doc: &Document, earlier: &[Fact], out: &mut Vec<Fact>) {
        let mut timexes: Vec<&Fact> = earlier.iter().filter(|f| f.kind == "timex").collect();
        timexes.sort_by_key(|f| f.evidence.start);
        let mut mentions: Vec<&Fact> = earlier.iter().filter(|f| f.kind == "mention").collect();
        mentions.sort_by_key(|f| f.evidence.start);
        // Table regions hold rows, not statements.
        let tables: Vec<(usize, usize)> = earlier
            .iter()
            .filter(|f| f.kind == "table")
            .map(|f| (f.evidence.start, f.evidence.end))
            .collect();
        let ontology = data::ontology();
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
            let quoted = date::quoted_words(&ws);
            let groups = date::group(&dated, &ws, lex, &quoted);
            let sentence_mentions: Vec<&Fact> = slice_of(&mentions, s.src.start, s.src.end)
                .iter()
                .filter(in_sentence)
                .copied()
                .collect();

            let triggers = find_triggers(&ws, lex);
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
            // Each trigger to its nearest date group. A sentence without a date takes the
            // date of the sentence right before it in its paragraph, only when it names an
            // actor.
            let (groups, origin) = if had_date {
                (groups, "sentence")
            } else {
                match previous_date {
                    Some((_, g)) if !sentence_mentions.is_empty() => {
                        paragraph_date = Some((s_index, g.clone()));
                        (vec![g.inherited()], "paragraph")
                    }
                    _ => continue,
                }
            };
            let mut by_group: Vec<Vec<&Trigger>> = vec![Vec::new(); groups.len()];
            let signed = lex.signing.occurs_in(&ws, 0..ws.len());
            for t in &triggers {
                if ontology.get(t.ty).needs_act
                    && !signed
                    && !groups.iter().any(|g| g.value_start.len() == 10)
                {
                    continue;
                }
                if let Some(g) = date::nearest(&groups, &ws, t.words.clone(), origin == "paragraph")
                {
                    by_group[g].push(t);
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
            let sentence_span = doc.span_of(s.range.clone());
            for (g, ts) in groups.iter().zip(&by_group) {
                let Some(main) = choose(ts, g) else { continue };
                let ty = ontology.get(main.ty);
                let trig_range = ws[main.words.start].range.start..ws[main.words.end - 1].range.end;
                let trig_span =
                    doc.span_of(s.range.start + trig_range.start..s.range.start + trig_range.end);
                let field = roles::field(ty, &ws, lex);
                let parts = roles::participants(
                    &sentence_mentions,
                    &ws,
                    main.words.clone(),
                    &word_of,
                    ty,
                    lex,
                );
                let mut body = Map::new();
                body.insert("type".into(), main.ty.into());
                body.insert("label".into(), ty.label.clone().into());
                body.insert("field".into(), field.into());
                body.insert("date_start".into(), g.value_start.clone().into());
                body.insert("date_end".into(), g.value_end.clone().into());
                body.insert("date_text".into(), g.text.clone().into());
                body.insert(
                    "date_span".into(),
                    json!({"start": g.src.start, "end": g.src.end}),
                );
                body.insert(
                    "date_origin".into(),
                    if origin == "paragraph" {
                        "paragraph".into()
                    } else {
                        g.origin.into()
                    },
                );
                body.insert("participants".into(), parts.labels().into());
                body.insert("participant_ids".into(), parts.ids().into());
                body.insert("roles".into(), parts.roles_json());
                body.insert(
                    "place".into(),
                    parts.place.clone().map(Value::from).unwrap_or(Value::Null),
                );
                body.insert("about".into(), parts.about.clone().into());
                body.insert("trigger".into(), trig_span.text.clone().into());
                body.insert(
                    "trigger_span".into(),
                    json!({"start": trig_span.start, "end": trig_span.end}),
                );
                body.insert(
                    "polarity".into(),
                    if main.negated { "negative" } else { "positive" }.into(),
                );
                body.insert(
                    "modality".into(),
                    if main.planned { "planned" } else { "asserted" }.into(),
                );
                body.insert("circumstance".into(), main.subordinate.into());
                body.insert(
                    "ordinal".into(),
                    ordinal(main, &ws, lex, &sentence_mentions, &word_of).unwrap_or(Value::Null),
                );
                body.insert("lang".into(), s.lang.code().into());
                body.insert(
                    "summary".into(),
                    roles::summary(ty, &parts, &g.value_start, &g.value_end).into(),
                );
                out.push(Fact {
                    kind: "event_statement",
                    evidence: sentence_span.clone(),
                    body,
                });
            }
        }
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
            && ws[g.words.start - 1].canon == "("
            && ws.get(g.words.end).is_some_and(|w| w.canon == ")")
            && ws
                .get(g.words.end + 1)
                .is_some_and(|w| matches!(w.canon.as_str(), "," | "." | ":"))
    })
}

/// The facts among `sorted` (by start) that start inside `start..end`.
fn slice_of<'a, 'f>(sorted: &'a [&'f Fact], start: usize, end: usize) -> &'a [&'f Fact] {
    let a = sorted.partition_point(|f| f.evidence.start < start);
    let b = sorted.partition_point(|f| f.evidence.start < end);
    &sorted[a..b.max(a)]
}

/// The triggers of a sentence, with their negation, plan and circumstance flags.
fn find_triggers(ws: &[Word], lex: &data::EventLexicon) -> Vec<Trigger> {
    let ontology = data::ontology();
    let mut out = Vec::new();
    for f in lex.triggers.find_all(ws) {
        if f.value.is_empty() {
            continue; // a phrase that only looks like a trigger
        }
        let ty: &'static str = ontology
            .types
            .get_key_value(f.value.as_str())
            .map_or("other", |(k, _)| k.as_str());
        let start = f.words.start;
        let clause_start = (0..start)
            .rev()
            .find(|&i| matches!(ws[i].canon.as_str(), "," | ";" | ":" | "("))
            .map_or(0, |i| i + 1);
        let window = |n: usize| start.saturating_sub(n).max(clause_start)..start;
        out.push(Trigger {
            ty,
            words: f.words.clone(),
            priority: ontology.get(ty).priority,
            subordinate: lex.subordinate.occurs_in(ws, clause_start..start),
            negated: lex.negation.occurs_in(ws, window(lex.negation_window)),
            planned: lex.planned.occurs_in(ws, window(lex.planned_window)),
        });
    }
    out
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
) -> Option<Value> {
    if !RANKED.contains(&t.ty) {
        return None;
    }
    let found = lex.ordinals.find_all(&ws[..t.words.start]);
    let rank = *found.last()?.value;
    let mut after = Vec::new();
    let mut tied = Vec::new();
    let starts: Vec<usize> = mentions.iter().map(|m| word_of(m.evidence.start)).collect();
    for (m, &w) in mentions.iter().zip(&starts) {
        let Some(label) = m.body.get("entity").and_then(Value::as_str) else {
            continue;
        };
        // A cue up to six words before the mention, with no other mention in between.
        let cued = |set: &lexicon::PhraseSet<()>| {
            (w.saturating_sub(6)..w).rev().any(|c| {
                set.longest_at(ws, c).is_some_and(|f| f.words.end <= w)
                    && !starts.iter().any(|&o| o > c && o < w)
            })
        };
        if cued(&lex.ordinal_after) {
            after.push(label.to_string());
        } else if cued(&lex.ordinal_tied) {
            tied.push(label.to_string());
        }
    }
    Some(json!({"rank": rank, "after": after, "tied_with": tied}))
}

/// The trigger that decides a date's event: main clause over circumstance, then priority.
///
/// Main clause over circumstance; a positive trigger over a negated one (what "did not take
/// military action, but provided support" did was support); a trigger near the date over a
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
    ts.iter().copied().max_by_key(|t| {
        (
            !t.subordinate,
            !t.negated,
            std::cmp::Reverse(distance(t) / 6),
            t.priority,
            std::cmp::Reverse(t.words.start),
        )
    })
}
