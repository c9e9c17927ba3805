//! Ranking: which sentences cover the question, and which candidate inside them answers it.
//!
//! A sentence's *coverage* is the weighted share of the question's features it holds:
//! entities, lexicon concepts (whatever the sentence's language), words and numbers (in the
//! question's own language), and the question's dates (a timex or a quantity's period that
//! overlaps them). Weights are inverse sentence frequencies; the asked-for noun counts more;
//! the sentence before in the same paragraph lends half its matches (a date or a subject
//! stated just before). Inside a sentence, each candidate takes the features near it (same
//! clause fully, farther ones less), so "40% … of X and 60% … of Y" gives X to
//! 40%. Score = coverage × fit to the asked type × nearness; candidates with one value
//! are one answer, and more sentences stating it add a little.

use super::candidates::{self, Cand, interval, overlap};
use super::knowledge::{Knowledge, Sent, Table};
use super::object::{self, Named};
use super::question::{self, Key, QType, Question};
use crate::knowledge::domain::{Extreme, Hit, lexicon};
use crate::text::folded::{Tok, tokenize};
use crate::text::lang::Lang;
use crate::text::phrase::PhraseSet;
use std::collections::HashMap;
use std::ops::Range;

/// How many sentences are examined closely.
const TOP: usize = 80;
/// Weight of one date of the question.
const DATE_WEIGHT: f64 = 3.0;
/// Coverage kept by a sentence that does not state the question's act (calibrated with
/// `scripts/calibrate` on both development sets).
const MISSING_ACT: f64 = 0.6;
/// Fit kept by a date standing in a clause another act's subordinator opens ("since he
/// took office on …"); low enough that a full match alone stays below the threshold.
const OTHER_CLAUSE: f64 = 0.35;

/// Coverage kept by a sentence stating the asked directed act with another party in the
/// question's place ("visited Mongolia" for "visit Laos"): it states another act, which
/// says less for the asked one than not naming it at all.
const OTHER_PARTY: f64 = 0.35;

/// A candidate with its score.
#[derive(Debug, Clone)]
pub struct Scored {
    pub cand: Cand,
    pub score: f64,
    pub coverage: f64,
    /// Its sentence (or the one before) states the question's act, or the question names
    /// none, and the value does not stand in another act's clause ("since he took office
    /// on …"): only such an answer may stand below the threshold for lack of rivals.
    pub states_act: bool,
    /// Its sentence states the question's ordinal ("the first visit"), when it names one
    /// with an [`Extreme`].
    pub states_extreme: bool,
}

/// One answer: candidates sharing a value.
#[derive(Debug, Clone)]
pub struct Group {
    pub key: String,
    pub score: f64,
    /// Best first; at most one per sentence.
    pub members: Vec<Scored>,
}

fn base_weight(key: &Key) -> f64 {
    match key {
        Key::Entity(_) => 1.2,
        Key::Concept(_) => 1.0,
        Key::Word(_) => 0.6,
        Key::Num(_) => 1.0,
    }
}

/// Clause boundaries of a sentence (byte offsets): punctuation and the conjunctions of the
/// question data (`joiners`).
fn boundaries(text: &str, toks: &[Tok]) -> Vec<usize> {
    let mut b: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| matches!(c, ',' | ';' | ':' | '–' | '—'))
        .map(|(i, _)| i)
        .collect();
    // The joiners of every language's question data ("and", "but", "và", "nhưng", "и",
    // "но"): a sentence of one language may quote another.
    for t in toks {
        if crate::text::lang::Lang::all()
            .iter()
            .any(|&l| question::data(l).joiners.contains(&t.lower))
        {
            b.push(t.range.start);
        }
    }
    b.sort_unstable();
    // A short lead ("Ngày 31-10-1989, …", "In February 1979, …") belongs to its clause.
    let mut out: Vec<usize> = Vec::new();
    for x in b {
        let from = out.last().copied().unwrap_or(0);
        if x - from >= 24 {
            out.push(x);
        }
    }
    out
}

fn segment(bounds: &[usize], pos: usize) -> usize {
    bounds.partition_point(|&b| b <= pos)
}

fn gap(a: &Range<usize>, b: &Range<usize>) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// Whether some event concept of the question stands in the sentence only right after a
/// reference word ("before the flight", "sau chuyến bay", "до полёта"; up to one word
/// between: "after his flight"), in any language's list.
fn only_as_reference(q: &Question, toks: &[Tok], hits: &[Hit]) -> bool {
    let after_ref = |h: &Hit| {
        let start = h.toks.start;
        (0..=1.min(start)).any(|gap| {
            crate::text::lang::Lang::all()
                .iter()
                .any(|&l| question::data(l).references.end_at(toks, start - gap))
        })
    };
    q.features.iter().any(|f| match f.key {
        Key::Concept(c) => {
            let of_c: Vec<&Hit> = hits.iter().filter(|h| h.concept == c).collect();
            !of_c.is_empty() && of_c.iter().all(|h| after_ref(h))
        }
        _ => false,
    })
}

/// Where the sequential subordinators of the event lexicons ("since", "kể từ khi", "после
/// того как"; of every language) stand in a sentence's tokens: byte ranges.
fn sequential_openers(toks: &[Tok]) -> Vec<Range<usize>> {
    static OPENERS: std::sync::LazyLock<PhraseSet<()>> = std::sync::LazyLock::new(|| {
        let mut set = crate::text::folded::phrases();
        for l in crate::text::lang::Lang::all() {
            for p in &crate::knowledge::events::lexicon(*l).sequential {
                set.insert(p, ());
                // PDF text may drop the spaces inside a phrase ("kểtừkhi").
                let joined: String = p.split_whitespace().collect();
                if joined != *p {
                    set.insert(&joined, ());
                }
            }
        }
        set
    });
    (0..toks.len())
        .flat_map(|i| OPENERS.all_at(toks, i))
        .map(|f| toks[f.toks.start].range.start..toks[f.toks.end - 1].range.end)
        .collect()
}

/// Whether a sentence states the question's directed act only with another party of the
/// same type in its place: another object ("visited Russia" for "visit Vietnam", "joined
/// ASEAN" for "join the CMEA") while naming none of the question's objects after the act
/// ("a tour of Laos and Vietnam" may hold the asked visit), or another actor before it ("Ho
/// Chi Minh's first visit" for "when did Putin first visit") while naming none of the
/// question's actors.
fn other_party(q: &Question, s: &Sent, toks: &[Tok], hits: &[Hit]) -> bool {
    if q.objects.is_empty() && q.subjects.is_empty() {
        return false;
    }
    let acts: Vec<&Hit> = hits
        .iter()
        .filter(|h| Some(h.concept) == q.predicate)
        .collect();
    let Some(first) = acts.iter().map(|h| h.range.start).min() else {
        return false;
    };
    let names: Vec<Named> = s
        .mentions
        .iter()
        .map(|m| Named {
            id: &m.entity_id,
            kind: &m.kind,
            range: s.clean_pos(m.start)..s.clean_pos(m.end),
        })
        .collect();
    let other = |asked: &[(String, String)], said: &[(String, String)]| {
        said.iter().any(|(id, kind)| {
            asked
                .iter()
                .any(|(o, k)| k == kind && object::contemporaries(o, id))
        })
    };
    let named = |asked: &[(String, String)], after: bool| {
        names
            .iter()
            .any(|n| asked.iter().any(|(o, _)| o == n.id) && (!after || n.range.start >= first))
    };
    if !q.objects.is_empty() && !named(&q.objects, true) {
        let said: Vec<(String, String)> = acts
            .iter()
            .flat_map(|h| object::objects(&s.clean, toks, h, &names, s.lang))
            .collect();
        if other(&q.objects, &said) {
            return true;
        }
    }
    if !q.subjects.is_empty() && !named(&q.subjects, false) {
        let said: Vec<(String, String)> = acts
            .iter()
            .flat_map(|h| object::subjects(h, &names))
            .filter(|(id, _)| !q.objects.iter().any(|(o, _)| o == id))
            .collect();
        if other(&q.subjects, &said) {
            return true;
        }
    }
    false
}

/// Where the question's features stand in a sentence: (feature index, range).
fn feature_spots(q: &Question, s: &Sent, toks: &[Tok], hits: &[Hit]) -> Vec<(usize, Range<usize>)> {
    let mut out = Vec::new();
    for (j, f) in q.features.iter().enumerate() {
        match &f.key {
            Key::Entity(e) => {
                for m in s.mentions.iter().filter(|m| m.entity_id == *e) {
                    out.push((j, s.clean_pos(m.start)..s.clean_pos(m.end)));
                }
            }
            Key::Concept(c) => {
                for h in hits.iter().filter(|h| h.concept == *c) {
                    out.push((j, h.range.clone()));
                }
            }
            Key::Word(w) => {
                for t in toks.iter().filter(|t| t.folded == *w) {
                    out.push((j, t.range.clone()));
                }
            }
            Key::Num(n) => {
                for t in toks.iter().filter(|t| t.lower == *n) {
                    out.push((j, t.range.clone()));
                }
            }
        }
    }
    out
}

/// Whether a sentence states one of the question's dates: where, and how well (1 when it
/// states that very date or interval, or a date inside it; for a number, a part of the
/// interval asked counts half).
fn date_match(s: &Sent, d: (i64, i64), number: bool) -> Option<(Range<usize>, f64)> {
    let how = |iv: (i64, i64)| {
        if iv == d || !number { 1.0 } else { 0.5 }
    };
    let mut best: Option<(Range<usize>, f64)> = None;
    let spans = s
        .timexes
        .iter()
        .filter(|t| t.ty != "citation")
        .map(|t| (t.start, t.end, t.value_start.as_str(), t.value_end.as_str()))
        .chain(s.quantities.iter().filter_map(|x| {
            let (a, b) = x.period.as_ref()?;
            Some((x.start, x.end, a.as_str(), b.as_str()))
        }));
    for (a, b, vs, ve) in spans {
        if let Some(iv) = interval(vs, ve)
            && overlap(iv, d)
            && best.as_ref().is_none_or(|x| x.1 < how(iv))
        {
            best = Some((s.clean_pos(a)..s.clean_pos(b), how(iv)));
        }
    }
    best
}

/// Scores every candidate answer of `q` and groups them by value, best first.
pub fn rank(q: &Question, k: &Knowledge) -> Vec<Group> {
    let feats: Vec<_> = q.features.iter().take(64).collect();
    let postings: Vec<Vec<u32>> = feats.iter().map(|f| k.postings(&f.key)).collect();
    let weights: Vec<f64> = feats
        .iter()
        .zip(&postings)
        .map(|(f, p)| {
            // A word the sources never use weighs as much as a concept: the question asks
            // about something they do not say.
            let base = match f.key {
                Key::Word(_) if p.is_empty() => 1.0,
                ref key => base_weight(key),
            };
            base * k.idf(p.len()) * f.share * if f.head { 1.5 } else { 1.0 }
        })
        .collect();
    // Sentences holding any feature: matched weight and which features, in one array over
    // all sentences (a hash map per question costs hundreds of milliseconds on a large store).
    let mut pre: Vec<(f64, u64)> = vec![(0.0, 0); k.sent_count()];
    let mut touched: Vec<u32> = Vec::new();
    for (j, list) in postings.iter().enumerate() {
        for &si in list {
            let e = &mut pre[si as usize];
            if e.1 == 0 {
                touched.push(si);
            }
            e.0 += weights[j];
            e.1 |= 1 << j;
        }
    }
    let by_weight = |a: &u32, b: &u32| {
        pre[*b as usize]
            .0
            .total_cmp(&pre[*a as usize].0)
            .then(a.cmp(b))
    };
    if touched.len() > TOP {
        touched.select_nth_unstable_by(TOP, by_weight);
        touched.truncate(TOP);
    }
    touched.sort_by(by_weight);
    let mut chosen: Vec<usize> = touched.iter().map(|&s| s as usize).collect();
    let next: Vec<usize> = chosen
        .iter()
        .filter_map(|&s| (s + 1 < k.sent_count() && k.prev(s + 1) == Some(s)).then_some(s + 1))
        .collect();
    chosen.extend(next);
    chosen.sort_unstable();
    chosen.dedup();

    let qdates: Vec<(i64, i64)> = q.dates.iter().filter_map(|(a, b)| interval(a, b)).collect();
    // The asked act's feature: a sentence that states it, or follows one that does, answers.
    let act_bit: u64 = q
        .predicate
        .and_then(|p| feats.iter().position(|f| f.key == Key::Concept(p)))
        .map_or(0, |j| 1 << j);
    let lx = lexicon();
    // The ordinal picking one end of a series ("when did Putin **first** visit Vietnam").
    let extreme = feats.iter().enumerate().find_map(|(j, f)| match f.key {
        Key::Concept(c) if q.qtype == QType::Date => lx.concepts[c].extreme.map(|e| (j, e)),
        _ => None,
    });
    let mut scored: Vec<Scored> = Vec::new();
    if q.qtype == QType::Number {
        scored.extend(tables(q, k, &feats, &weights, &qdates));
    }
    for si in chosen {
        if k.in_table(si) {
            continue; // its numbers are the table's, read by column above
        }
        let s = k.sent(si);
        let doc = k.doc_of(si);
        let own = pre[si].1;
        let prev = k.prev(si);
        // What the sentence before says, or the lead-in of the list the sentence is an
        // item of, holds for it too (half weight).
        let before = prev.or_else(|| k.lead(si)).map_or(0, |p| pre[p].1);
        let same_lang = s.lang == q.lang;
        let (mut matched, mut total) = (0.0, 0.0);
        for (j, f) in feats.iter().enumerate() {
            // A word of the question's language cannot be matched in another language's
            // sentence: it counts half there, unless the sources never use it (then the
            // question asks what they do not say, and it counts fully everywhere).
            let w = if matches!(f.key, Key::Word(_)) && !same_lang && !postings[j].is_empty() {
                0.5 * weights[j]
            } else {
                weights[j]
            };
            total += w;
            if own & (1 << j) != 0 {
                matched += weights[j];
            } else if before & (1 << j) != 0 {
                matched += 0.5 * weights[j];
            } else if let Key::Entity(id) = &f.key
                && k.doc_names(doc, id)
            {
                // Named elsewhere in its document: the sentence is likely about it ("the
                // talks of Linh and Gorbachev … inflation fell to 5%").
                matched += 0.25 * weights[j];
            }
        }
        let mut date_spots = Vec::new();
        let number = q.qtype == QType::Number;
        let mut dated_near = false;
        for &d in &qdates {
            total += DATE_WEIGHT;
            if let Some((r, how)) = date_match(s, d, number) {
                matched += how * DATE_WEIGHT;
                date_spots.push(r);
                dated_near = true;
            } else if let Some((_, how)) = prev.and_then(|p| date_match(k.sent(p), d, number)) {
                matched += 0.5 * how * DATE_WEIGHT;
                dated_near = true;
            }
        }
        if total <= 0.0 {
            continue;
        }
        let mut coverage = matched / total;
        // The question names a time and the sentence states only other times: it is about
        // something else ("the 1978 treaty" against a sentence on a 2008 visit). Not for
        // people: a role holds over years, so "TBT … in 1986" still speaks of 1985.
        if !qdates.is_empty()
            && q.qtype != QType::Person
            && !dated_near
            && s.timexes.iter().any(|t| t.ty != "citation")
        {
            coverage *= 0.5;
        }
        if !same_lang {
            coverage *= 0.92;
        }
        // The question asks about an act the sentence does not state ("when was the
        // agreement signed" against "the plan was approved in 2009"): it only names the
        // same things.
        let mut states_act = act_bit == 0 || (own | before) & act_bit != 0;
        if !states_act {
            coverage *= MISSING_ACT;
        }
        if coverage < 0.15 {
            continue;
        }
        let toks = tokenize(&s.clean);
        let hits = s.concept_hits(&toks);
        // The asked act stated with another party only ("visited Russia" for "when did
        // Putin visit Vietnam", "Ho Chi Minh's visit" for Putin's): another act.
        if states_act && other_party(q, s, &toks, &hits) {
            states_act = false;
            coverage *= OTHER_PARTY;
        }
        // The sentence states the opposite of what is asked and not the asked thing ("the
        // first boat was handed over" for "when was the last one"): another thing.
        let opposed = feats.iter().any(|f| match f.key {
            Key::Concept(c) => lx.concepts[c].opposite.is_some_and(|o| {
                hits.iter().any(|h| h.concept == o) && !hits.iter().any(|h| h.concept == c)
            }),
            _ => false,
        });
        if opposed {
            coverage *= 0.6;
        }
        // "When did he fly" against "before the flight he was a pilot, in 1972 …": the
        // asked event named only as a reference point dates something else.
        if q.qtype == QType::Date && only_as_reference(q, &toks, &hits) {
            coverage *= 0.6;
        }
        let cands = candidates::generate(q, k, si, &toks, &hits);
        if cands.is_empty() {
            continue;
        }
        let spots = feature_spots(q, s, &toks, &hits);
        let bounds = boundaries(&s.clean, &toks);
        // Each spot belongs to one candidate: the one it touches, else the one before it
        // (what follows a name, a date or a number describes it), a title right before a
        // candidate going to that candidate.
        let mut starts: Vec<(usize, usize)> = cands
            .iter()
            .enumerate()
            .map(|(i, c)| (c.pos.start, i))
            .collect();
        starts.sort_unstable();
        let owner = |r: &Range<usize>| -> Option<usize> {
            if let Some((i, _)) = cands
                .iter()
                .enumerate()
                .find(|(_, c)| r.start < c.pos.end.max(c.pos.start + 1) && c.pos.start < r.end)
            {
                return Some(i);
            }
            let next = starts.partition_point(|&(p, _)| p < r.end);
            if let Some(&(p, i)) = starts.get(next)
                && p.saturating_sub(r.end) <= 3
            {
                return Some(i);
            }
            // Far before every candidate: nobody's.
            (next > 0).then(|| starts[next - 1].1)
        };
        let owners: Vec<Option<usize>> = spots.iter().map(|(_, r)| owner(r)).collect();
        let date_owners: Vec<Option<usize>> = date_spots.iter().map(owner).collect();
        let local: Vec<f64> = cands
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let seg = segment(&bounds, c.pos.start);
                let near = |r: &Range<usize>, own: Option<usize>| {
                    if own == Some(ci) {
                        1.0
                    } else if segment(&bounds, r.start) == seg {
                        0.6
                    } else {
                        0.3 * (-(gap(r, &c.pos) as f64) / 50.0).exp()
                    }
                };
                // Summed in feature order: a hash map's order would make the last bits of
                // the sum, and so the order of equal answers, differ from run to run.
                let mut best: std::collections::BTreeMap<usize, f64> = Default::default();
                for ((j, r), own) in spots.iter().zip(&owners) {
                    let w = weights[*j] * if feats[*j].head { 2.0 } else { 1.0 };
                    let v = w * near(r, *own);
                    let e = best.entry(*j).or_default();
                    *e = e.max(v);
                }
                let mut sum: f64 = best.values().sum();
                for (r, own) in date_spots.iter().zip(&date_owners) {
                    sum += DATE_WEIGHT * near(r, *own);
                }
                sum
            })
            .collect();
        let max_local = local.iter().cloned().fold(0.0, f64::max);
        let openers = if q.qtype == QType::Date {
            sequential_openers(&toks)
        } else {
            Vec::new()
        };
        for (mut c, l) in cands.into_iter().zip(local) {
            // A date in a clause that "since", "sau khi" or "после того как" opens after the
            // asked act is that clause's ("the first meeting since he took office (7/5/2012)").
            let in_other_clause = openers.iter().any(|o| {
                o.end < c.pos.start
                    && segment(&bounds, o.start) == segment(&bounds, c.pos.start)
                    && toks
                        .iter()
                        .any(|t| t.range.start >= o.end && t.range.end <= c.pos.start)
                    && !hits.iter().any(|h| {
                        Some(h.concept) == q.predicate
                            && h.range.start >= o.end
                            && h.range.end <= c.pos.start
                    })
            });
            if in_other_clause {
                c.fit *= OTHER_CLAUSE;
            }
            let states_act = states_act && !in_other_clause;
            let share = if max_local > 0.0 { l / max_local } else { 1.0 };
            let score = coverage * c.fit * (0.55 + 0.45 * share);
            scored.push(Scored {
                cand: c,
                score,
                coverage,
                states_act,
                states_extreme: extreme.is_some_and(|(j, _)| own & (1 << j) != 0),
            });
        }
    }
    let mut groups = group(scored);
    if let Some((_, end)) = extreme {
        beyond_extreme(&mut groups, end);
    }
    groups
}

/// Score kept by a date that cannot be the asked end of a series.
const BEYOND_EXTREME: f64 = 0.7;

/// "When did Putin **first** visit Vietnam": a date whose sentences do not say "first" is
/// not the first visit while another answer, nearly as strong and covering the question as
/// well, dates the act earlier (and "last" the other way round). Sentences stating the
/// ordinal keep their score.
fn beyond_extreme(groups: &mut [Group], end: Extreme) {
    // The days a date spans (a year: all of it), so that "2001" is not before "2001-03".
    let span = |g: &Group| {
        let mut ends = g.key.split('/');
        let from = candidates::iso_range(ends.next()?)?;
        let to = ends.next().and_then(candidates::iso_range).unwrap_or(from);
        Some((from.0, to.1))
    };
    // Each answer's days, score and coverage.
    type Seen = (Option<(i64, i64)>, f64, f64);
    let spans: Vec<Seen> = groups
        .iter()
        .map(|g| (span(g), g.score, g.members[0].coverage))
        .collect();
    for g in groups.iter_mut() {
        if g.members.iter().any(|m| m.states_extreme) {
            continue;
        }
        let Some(at) = span(g) else {
            continue;
        };
        let beyond = spans.iter().any(|&(other, score, coverage)| {
            other.is_some_and(|o| match end {
                Extreme::Earliest => o.1 < at.0,
                Extreme::Latest => o.0 > at.1,
            }) && score >= 0.8 * g.score
                && coverage >= g.members[0].coverage
        });
        if beyond {
            g.score *= BEYOND_EXTREME;
        }
    }
    groups.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
}

/// The years a caption names ("… từ năm 1981-1985", "… đến năm 1988"), as an interval.
fn caption_years(caption: &str) -> Option<(i64, i64)> {
    let ys: Vec<i64> = tokenize(caption)
        .iter()
        .filter_map(|t| t.lower.parse::<i64>().ok())
        .filter(|y| (1800..=2100).contains(y))
        .collect();
    let (a, b) = (*ys.iter().min()?, *ys.iter().max()?);
    interval(&format!("{a:04}"), &format!("{b:04}"))
}

/// The scale and unit a table states for a cell (row unit, column header, table unit).
fn cell_unit(t: &Table, row_unit: Option<&str>, column: &str) -> (f64, Option<String>) {
    let lx = lexicon();
    let d = question::data(t.lang);
    let mut scale = None;
    let mut unit = None;
    for text in [
        row_unit.unwrap_or(""),
        column,
        t.unit.as_deref().unwrap_or(""),
    ] {
        let toks = tokenize(text);
        if scale.is_none() {
            scale = toks.iter().find_map(|x| d.scale(&x.lower));
        }
        if unit.is_none() {
            unit = lx
                .find(&toks)
                .iter()
                .find_map(|h| lx.concepts[h.concept].unit.clone());
        }
    }
    (scale.unwrap_or(1.0), unit)
}

/// Candidates from table cells: a row whose label the question names, a column whose
/// period and header agree with it; the table's caption counts for the whole table.
fn tables(
    q: &Question,
    k: &Knowledge,
    feats: &[&question::Feature],
    weights: &[f64],
    qdates: &[(i64, i64)],
) -> Vec<Scored> {
    let mut out = Vec::new();
    let head = candidates::counted_head(q);
    let q_concepts: Vec<usize> = feats
        .iter()
        .filter_map(|f| match f.key {
            Key::Concept(c) => Some(c),
            _ => None,
        })
        .collect();
    // Only rows whose label holds a feature of the question can answer it.
    let mut rows: Vec<(u32, u32)> = feats.iter().flat_map(|f| k.row_postings(&f.key)).collect();
    rows.sort_unstable();
    rows.dedup();
    // Which of the question's features a list of keys holds, as bits.
    let mask = |keys: &[Key]| -> u64 {
        feats
            .iter()
            .enumerate()
            .filter(|(_, f)| keys.contains(&f.key))
            .fold(0, |m, (j, _)| m | 1 << j)
    };
    let mut cap_years = None;
    let mut last_table = None;
    let mut cap_mask = 0;
    let mut col_masks: Vec<u64> = Vec::new();
    let mut col_periods: Vec<Option<(i64, i64)>> = Vec::new();
    let mut found_cells: Vec<FoundCell> = Vec::new();
    type UnitKey<'a> = (Lang, Option<&'a str>, &'a str, Option<&'a str>);
    let mut units: HashMap<UnitKey, (f64, Option<String>)> = HashMap::new();
    for (ti, ri) in rows {
        let (t, _) = k.table(ti as usize);
        if last_table != Some(ti) {
            cap_years = caption_years(&t.caption);
            cap_mask = mask(&t.caption_keys);
            col_masks = t.column_keys.iter().map(|c| mask(c)).collect();
            col_periods = t
                .column_periods
                .iter()
                .map(|p| p.as_ref().and_then(|(a, b)| interval(a, b)))
                .collect();
            last_table = Some(ti);
        }
        let row = &t.rows[ri as usize];
        // Not 0: the row came from the postings of one of its keys.
        let row_mask = mask(&row.keys);
        // A row label the question names all of beats one it names a part of.
        let named = row
            .label_words
            .iter()
            .filter(|(folded, concepts)| {
                q.words.contains(folded) || concepts.iter().any(|c| q_concepts.contains(c))
            })
            .count();
        let label_head = head.is_empty()
            || row
                .keys
                .iter()
                .any(|k| matches!(k, Key::Concept(c) if head.contains(c)));
        let label_fit = (0.7 + 0.3 * named as f64 / row.label_words.len().max(1) as f64)
            * if label_head { 1.0 } else { 0.85 };
        for (ci, cell) in &row.cells {
            let col_keys = t.column_keys.get(*ci).map_or(&[][..], Vec::as_slice);
            let held = row_mask | cap_mask | col_masks.get(*ci).copied().unwrap_or(0);
            let (mut matched, mut total) = (0.0, 0.0);
            for (j, (f, w)) in feats.iter().zip(weights).enumerate() {
                if matches!(f.key, Key::Word(_)) && t.lang != q.lang {
                    continue;
                }
                total += w;
                if held & (1 << j) != 0 {
                    matched += w;
                }
            }
            let period = col_periods.get(*ci).copied().flatten();
            if let Some(p) = period
                && !qdates.is_empty()
                && !qdates.iter().any(|d| overlap(*d, p))
            {
                continue; // another period's column
            }
            if period.is_none()
                && let Some(c) = cap_years
                && !qdates.is_empty()
                && !qdates.iter().any(|d| overlap(*d, c))
            {
                continue; // a table of another period
            }
            for d in qdates {
                total += DATE_WEIGHT;
                if period.is_some_and(|p| overlap(p, *d)) {
                    matched += DATE_WEIGHT;
                } else if cap_years.is_some_and(|p| overlap(p, *d)) {
                    matched += 0.8 * DATE_WEIGHT;
                }
            }
            if total <= 0.0 || 0.95 * matched / total < 0.15 {
                continue;
            }
            let column = t.columns.get(*ci).map_or("", String::as_str);
            // One reading per distinct header text (copies of a table share them).
            let (scale, unit) = units
                .entry((t.lang, row.unit.as_deref(), column, t.unit.as_deref()))
                .or_insert_with(|| cell_unit(t, row.unit.as_deref(), column))
                .clone();
            let mut fit = match &unit {
                Some(u) => candidates::unit_fit(q.unit.as_deref(), u, Some("table")),
                None => 0.8,
            };
            let found: Vec<usize> = row
                .keys
                .iter()
                .chain(col_keys)
                .chain(&t.caption_keys)
                .filter_map(|k| match k {
                    Key::Concept(c) => Some(*c),
                    _ => None,
                })
                .collect();
            fit *= candidates::head_factor(&head, &found) * label_fit;
            let abs = cell.value * scale;
            let v = if unit.as_deref() == Some("percent") {
                cell.value
            } else {
                q.scale.map_or(abs, |sc| abs / sc)
            };
            let coverage = 0.95 * matched / total;
            found_cells.push(FoundCell {
                key: format!("{v:.6e}"),
                score: coverage * fit,
                coverage,
                fit,
                v,
                at: (ti as usize, ri as usize, *ci),
                cell: (cell.value, cell.start, cell.end),
            });
        }
    }
    // A value's best cells only (a table copied into many documents gives thousands of
    // cells with one value): the answer's text is written for those alone.
    found_cells.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.at.cmp(&b.at)));
    let mut per_value: HashMap<&str, usize> = HashMap::new();
    for c in &found_cells {
        let n = per_value.entry(c.key.as_str()).or_default();
        *n += 1;
        if *n > CELLS_PER_VALUE {
            continue;
        }
        let (t, doc) = k.table(c.at.0);
        let row = &t.rows[c.at.1];
        let column = t.columns.get(c.at.2).map_or("", String::as_str);
        let cand = Cand {
            sent: usize::MAX,
            value: candidates::num_value(c.v),
            key: c.key.clone(),
            answer: format!(
                "{} ({}: {} / {} = {})",
                candidates::fmt_num(c.v),
                t.caption,
                row.label,
                column,
                candidates::fmt_num(c.cell.0)
            ),
            pos: 0..0,
            fit: c.fit,
            span: Some((c.cell.1, c.cell.2)),
            cite: Some((doc, row.start, row.end)),
        };
        out.push(Scored {
            score: c.score,
            coverage: c.coverage,
            cand,
            states_act: true,
            states_extreme: false,
        });
    }
    out
}

/// Table cells kept per value: more than the answer's citations and support need.
const CELLS_PER_VALUE: usize = 8;

/// A table cell that answers, before its answer text is written.
struct FoundCell {
    key: String,
    score: f64,
    coverage: f64,
    fit: f64,
    v: f64,
    /// (table, row, column).
    at: (usize, usize, usize),
    /// The cell's value and source span.
    cell: (f64, u64, u64),
}

fn group(scored: Vec<Scored>) -> Vec<Group> {
    let mut by_key: HashMap<String, Vec<Scored>> = HashMap::new();
    for s in scored {
        by_key.entry(s.cand.key.clone()).or_default().push(s);
    }
    let mut groups: Vec<Group> = by_key
        .into_iter()
        .map(|(key, mut members)| {
            members.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then(a.cand.sent.cmp(&b.cand.sent))
            });
            // One per sentence (or table row).
            let mut seen = Vec::new();
            members.retain(|m| {
                let at = (m.cand.sent, m.cand.cite);
                if seen.contains(&at) {
                    false
                } else {
                    seen.push(at);
                    true
                }
            });
            let top = members[0].score;
            let cov = members[0].coverage;
            let support = members
                .iter()
                .skip(1)
                .filter(|m| m.score >= 0.7 * top && m.coverage >= 0.75 * cov)
                .count()
                .min(3);
            Group {
                key,
                score: top * (1.0 + 0.04 * support as f64),
                members,
            }
        })
        .collect();
    groups.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
    groups
}
