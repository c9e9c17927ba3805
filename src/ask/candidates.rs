//! Candidate answers inside one sentence, by the type the question asks for: its timexes
//! (dates), quantities (numbers; bare numbers beside the asked-for noun as a fallback),
//! mentions (people, places, entities), proper names beside a noun that introduces one
//! ("tỉnh Nghệ An", "pseudonym Ba", "Đại tướng Văn Tiến Dũng"), and fields. Each
//! candidate lies inside the sentence, so the sentence that is cited contains the answer.

use super::knowledge::{Knowledge, Sent};
use super::question::{self, Gran, Key, Markers, QData, QType, Question};
use crate::extract::quantity::number::{self, Decimal};
use crate::knowledge::domain::{Hit, lexicon};
use crate::knowledge::gazetteer::Entity;
use crate::text::folded::Tok;
use crate::text::lang::Lang;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// One candidate answer.
#[derive(Debug, Clone)]
pub struct Cand {
    /// Index of its sentence.
    pub sent: usize,
    /// The normalized value (ISO date, number, canonical label).
    pub value: Value,
    /// Grouping key: candidates with one key are one answer.
    pub key: String,
    /// The answer as a short text.
    pub answer: String,
    /// Where it stands in the sentence's clean text.
    pub pos: Range<usize>,
    /// How well it fits what is asked (0..1).
    pub fit: f64,
    /// The source span of the fact that states it, when a fact does.
    pub span: Option<(u64, u64)>,
    /// What to cite instead of the sentence (a table row): (document, start, end).
    pub cite: Option<(usize, u64, u64)>,
}

/// Days since year 0 at the start and end of an ISO value (year, month or day).
pub fn iso_range(iso: &str) -> Option<(i64, i64)> {
    let mut p = iso.split('-');
    let y: i64 = p.next()?.parse().ok()?;
    let m: Option<i64> = p.next().map(|s| s.parse()).transpose().ok()?;
    let d: Option<i64> = p.next().map(|s| s.parse()).transpose().ok()?;
    let k = |y: i64, m: i64, d: i64| y * 372 + (m - 1) * 31 + (d - 1);
    Some(match (m, d) {
        (None, _) => (k(y, 1, 1), k(y, 12, 31)),
        (Some(m), None) => (k(y, m, 1), k(y, m, 31)),
        (Some(m), Some(d)) => (k(y, m, d), k(y, m, d)),
    })
}

/// The days covered by an interval of ISO values.
pub fn interval(vs: &str, ve: &str) -> Option<(i64, i64)> {
    Some((iso_range(vs)?.0, iso_range(ve)?.1))
}

/// Whether two intervals share a day.
pub fn overlap(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9_f64.max(a.abs() * 1e-6)
}

pub fn num_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!((v * 1e6).round() / 1e6)
    }
}

pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{}", (v * 1e6).round() / 1e6)
    }
}

/// Who holds the number at `at`: the actor named just before it in its sentence (within 60
/// bytes: "Liên Xô: viện trợ 29.996 tấn, Trung Quốc viện trợ 19.589 tấn"; a capital stands
/// for its government, "Hà Nội sẽ trả lại cho Moscow 1,7 tỷ"). A name after a preposition
/// of place is where, not who ("students in the Soviet Union was 1,022"): no holder.
fn holder(s: &super::knowledge::Sent, at: u64) -> Option<&str> {
    const ACTORS: [&str; 4] = ["country", "person", "organization", "place"];
    let m = s
        .mentions
        .iter()
        .filter(|m| m.end <= at && at - m.end <= 60 && ACTORS.contains(&m.kind.as_str()))
        .max_by_key(|m| m.end)?;
    let mut cut = s.clean_pos(m.start).min(s.clean.len());
    while !s.clean.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &s.clean[..cut];
    let last = |t: &str| {
        t.trim_end()
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .len()
    };
    let before = before.trim_end();
    let mut word = before[before.len() - last(before)..].to_lowercase();
    // "in the Soviet Union": past an article.
    if matches!(word.as_str(), "the" | "a" | "an") {
        let rest = before[..before.len() - word.len()].trim_end();
        word = rest[rest.len() - last(rest)..].to_lowercase();
    }
    let d = question::data(s.lang);
    if d.locatives.contains(&word) {
        return None;
    }
    // In the same clause: no comma, semicolon or joining word between the name and the
    // number ("83% … of Russia and 89% …": Russia does not hold the 89%).
    let (mut a, mut b) = (
        s.clean_pos(m.end).min(s.clean.len()),
        s.clean_pos(at).min(s.clean.len()),
    );
    while !s.clean.is_char_boundary(a) {
        a -= 1;
    }
    while !s.clean.is_char_boundary(b) {
        b -= 1;
    }
    let gap = s.clean.get(a..b.max(a)).unwrap_or("");
    if gap.contains([',', ';'])
        || gap
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| d.joiners.contains(&w.to_lowercase()))
    {
        return None;
    }
    Some(m.entity_id.as_str())
}

/// How well the holder of the number at `at` fits a question about the actors `asked`: 1.1
/// when it is one of them; 0.8 when another actor; for a number nobody holds, 0.7 when
/// the sentence gives an asked actor a number of its own ("the port received 6,300 tonnes:
/// … the Soviet Union sent 4,400"), else 1.
fn holder_factor(asked: &[&str], s: &super::knowledge::Sent, at: u64) -> f64 {
    if asked.is_empty() {
        return 1.0;
    }
    match holder(s, at) {
        Some(h) if asked.contains(&h) => 1.1,
        Some(_) => 0.8,
        None if s
            .quantities
            .iter()
            .any(|x| holder(s, x.start).is_some_and(|h| asked.contains(&h))) =>
        {
            0.7
        }
        None => 1.0,
    }
}

/// The question's entity ids.
fn q_entities(q: &Question) -> Vec<&str> {
    q.features
        .iter()
        .filter_map(|f| match &f.key {
            Key::Entity(e) => Some(e.as_str()),
            _ => None,
        })
        .collect()
}

fn q_concepts(q: &Question) -> Vec<usize> {
    q.features
        .iter()
        .filter_map(|f| match f.key {
            Key::Concept(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// A run of capitalised words starting at token `i` (names: "Nghệ An", "Nguyen Van Ba",
/// "L.I. Brêgiơnép"), at most four words, all in `text` separated by spaces, hyphens or
/// initials' dots only.
fn name_run(text: &str, toks: &[Tok], i: usize, forward: bool) -> Option<Range<usize>> {
    let ok = |t: &Tok| t.cap && !t.num;
    let joined = |a: &Tok, b: &Tok| {
        let gap = &text[a.range.end..b.range.start];
        gap.len() <= 3 && gap.chars().all(|c| c == ' ' || c == '-' || c == '.')
    };
    if forward {
        let mut j = i;
        if !ok(toks.get(j)?) {
            return None;
        }
        while j + 1 < toks.len()
            && j + 1 - i < 4
            && ok(&toks[j + 1])
            && joined(&toks[j], &toks[j + 1])
        {
            j += 1;
        }
        Some(toks[i].range.start..toks[j].range.end)
    } else {
        let mut j = i;
        if !ok(toks.get(j)?) {
            return None;
        }
        while j > 0 && i - (j - 1) < 4 && ok(&toks[j - 1]) && joined(&toks[j - 1], &toks[j]) {
            j -= 1;
        }
        Some(toks[j].range.start..toks[i].range.end)
    }
}

/// The gazetteer's names, indexed once (its own lookup scans every alias).
static NAMES: LazyLock<HashMap<String, Vec<usize>>> = LazyLock::new(|| {
    use crate::knowledge::variants::{joined_key, key};
    let mut m: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in crate::knowledge::gazetteer::builtin()
        .entities
        .iter()
        .enumerate()
    {
        let mut keys = vec![crate::text::fold::fold(&e.id)];
        for a in &e.aliases {
            keys.push(key(&a.text));
            keys.push(joined_key(&a.text));
        }
        keys.sort();
        keys.dedup();
        for k in keys {
            m.entry(k).or_default().push(i);
        }
    }
    m
});

/// The one gazetteer entity a name names, if exactly one.
pub fn resolve(name: &str) -> Option<&'static Entity> {
    use crate::knowledge::variants::{joined_key, key};
    let mut ids: Vec<usize> = Vec::new();
    for k in [key(name), joined_key(name)] {
        if let Some(v) = NAMES.get(&k) {
            ids.extend(v);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    match ids.as_slice() {
        [i] => crate::knowledge::gazetteer::builtin().entities.get(*i),
        _ => None,
    }
}

/// A name as an entity value: the gazetteer's label when it knows the name.
fn name_value(name: &str, format: Option<&str>) -> (Value, String) {
    if let Some(e) = resolve(name) {
        return (json!(e.name), e.name.clone());
    }
    let v = match format {
        Some(f) => f.replace("{}", name),
        None => name.to_string(),
    };
    (json!(v), v)
}

fn decimal(lang: Lang) -> Decimal {
    lang.data().decimal
}

/// The asked-for noun's concepts that say what is counted (not its unit).
pub fn counted_head(q: &Question) -> Vec<usize> {
    let lx = lexicon();
    if !matches!(
        q.unit.as_deref(),
        None | Some("person" | "count" | "amount")
    ) {
        return Vec::new(); // a rate or a sum: the head is the measure, not a counted thing
    }
    q.head_concepts
        .iter()
        .copied()
        .filter(|&c| lx.concepts[c].class.as_deref() != Some("measure"))
        .collect()
}

/// How much of the counted head `found` covers: a fit factor (1 when all, 0.6 when none).
pub fn head_factor(head: &[usize], found: &[usize]) -> f64 {
    if head.is_empty() {
        return 1.0;
    }
    let n = head.iter().filter(|c| found.contains(c)).count();
    0.6 + 0.4 * n as f64 / head.len() as f64
}

/// Candidates in sentence `si`; `toks` and `hits` are the sentence's tokens and concepts.
pub fn generate(q: &Question, k: &Knowledge, si: usize, toks: &[Tok], hits: &[Hit]) -> Vec<Cand> {
    let s = k.sent(si);
    let mut out = Vec::new();
    match &q.qtype {
        QType::Date => dates(q, s, si, &mut out),
        QType::Number => numbers(q, s, si, toks, hits, &mut out),
        QType::Person | QType::Place | QType::Entity(_) => {
            // "Who was ambassador …": a person answers only from a sentence that states the
            // role asked for; any person named near the other words is no answer.
            let lx = lexicon();
            let roles: Vec<usize> = q
                .features
                .iter()
                .filter_map(|f| match f.key {
                    super::question::Key::Concept(c) => Some(c),
                    _ => None,
                })
                .filter(|&c| lx.concepts[c].class.as_deref() == Some("person"))
                .collect();
            if q.qtype == QType::Person
                && !roles.is_empty()
                && !hits.iter().any(|h| roles.contains(&h.concept))
            {
                return out;
            }
            entities(q, s, si, &mut out);
            names(q, s, si, toks, hits, &mut out);
        }
        QType::Name => names(q, s, si, toks, hits, &mut out),
        QType::Field => fields(q, s, si, hits, &mut out),
        QType::Events => {}
    }
    out
}

/// Fit kept by a date a state holds from ("since 1979") for a question not asking when it
/// began.
const STATE_START: f64 = 0.6;

fn dates(q: &Question, s: &Sent, si: usize, out: &mut Vec<Cand>) {
    let qd: Vec<(i64, i64)> = q.dates.iter().filter_map(|(a, b)| interval(a, b)).collect();
    for t in &s.timexes {
        // A relative date counts once resolved from its anchor ("last October" under a
        // dateline of May 2002): the value is the anchor's reading, a little less sure.
        if matches!(t.ty.as_str(), "citation" | "duration" | "vague")
            || t.value_start.is_empty()
            || t.value_start.contains('X')
            || t.value_end.contains('X')
            || q.dates
                .iter()
                .any(|(a, b)| *a == t.value_start && *b == t.value_end)
        {
            continue;
        }
        let Some(iv) = interval(&t.value_start, &t.value_end) else {
            continue;
        };
        let tg = Gran::of(&t.value_start);
        let mut fit = match t.ty.as_str() {
            "decade" | "century" | "season" => 0.45,
            "relative" => 0.85,
            _ => 1.0,
        };
        let value = match q.gran {
            Some(g) => {
                if tg < g {
                    fit *= 0.45;
                }
                let (a, b) = (g.cut(&t.value_start), g.cut(&t.value_end));
                match q.bound {
                    _ if a == b => a,
                    // "When did the visit begin?": the start of "from 26 to 30 July".
                    Some(super::question::Bound::Start) => a,
                    Some(super::question::Bound::End) => b,
                    None => {
                        fit *= 0.6;
                        a
                    }
                }
            }
            None if t.value_start == t.value_end => t.value_start.clone(),
            None => {
                // A single point answers "when" better than a span.
                fit *= 0.8;
                format!("{}/{}", t.value_start, t.value_end)
            }
        };
        // "Had reduced since the beginning of the year", "leased it since 1979": where a
        // state starts, not when an act took place, unless the start is asked.
        if q.bound != Some(super::question::Bound::Start) {
            let mut cut = s.clean_pos(t.start).min(s.clean.len());
            while !s.clean.is_char_boundary(cut) {
                cut -= 1;
            }
            if after_marker(&s.clean[..cut], |d| &d.state_starts) {
                fit *= STATE_START;
            }
        }
        if !qd.is_empty() {
            let inside = qd.iter().any(|d| d.0 <= iv.0 && iv.1 <= d.1 && iv != *d);
            let meets = qd.iter().any(|d| overlap(*d, iv));
            fit *= if inside {
                1.1
            } else if meets {
                0.9
            } else {
                0.8
            };
        }
        out.push(Cand {
            sent: si,
            key: value.clone(),
            answer: format!(
                "{value} (“{}”)",
                t.text.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
            value: json!(value),
            pos: s.clean_pos(t.start)..s.clean_pos(t.end),
            fit,
            span: Some((t.start, t.end)),
            cite: None,
        });
    }
}

pub fn unit_fit(want: Option<&str>, unit: &str, qualifier: Option<&str>) -> f64 {
    match want {
        None => match unit {
            "year" | "month" | "week" | "day" => 0.3,
            "percent" => 0.7,
            // "more than twice" answers "how much" only when nothing better is stated.
            "times" => 0.4,
            _ => 1.0,
        },
        Some(w) if w == unit => 1.0,
        // "How much oil": an amount, not a count of things.
        Some("amount") => match unit {
            "count" | "person" => 0.35,
            _ => unit_fit(None, unit, qualifier),
        },
        // "What sum": any currency.
        Some("money") if crate::fact::is_currency(unit) => 1.0,
        Some("person") if unit == "count" => 0.8,
        Some("count") if unit == "person" => 0.8,
        Some("other") if unit == "other" && qualifier.is_some() => 1.0,
        Some(_) => 0.25,
    }
}

/// Concepts of the tokens beside a range (three words before, two after).
fn near_concepts<'a>(
    toks: &'a [Tok],
    hits: &'a [Hit],
    r: Range<usize>,
) -> impl Iterator<Item = usize> + 'a {
    let first = toks.partition_point(|t| t.range.end <= r.start);
    let last = toks.partition_point(|t| t.range.start < r.end);
    let lo = toks
        .get(first.saturating_sub(3))
        .map_or(0, |t| t.range.start);
    let hi = toks
        .get((last + 1).min(toks.len().saturating_sub(1)))
        .map_or(usize::MAX, |t| t.range.end);
    hits.iter()
        .filter(move |h| h.range.start >= lo && h.range.end <= hi)
        .map(|h| h.concept)
}

/// Whether the clause of `before` (a sentence up to a number) holds a marker that introduces
/// the parts of a whole ("of which", "trong đó", "в том числе"), in any language: a sentence
/// is read whatever the question's language.
fn after_parts(before: &str) -> bool {
    // A clause ends at a semicolon or a full stop before a space (not "517.393").
    let clause = ["; ", ". ", ";\n", ".\n"]
        .iter()
        .filter_map(|b| before.rfind(b).map(|i| i + b.len()))
        .max()
        .unwrap_or(0);
    let toks = crate::text::folded::tokenize(&before[clause..]);
    any_language(|d| d.parts.occur_in(&toks))
}

/// Whether `before` (a sentence up to a number) ends with a word that makes the number a
/// change ("grew by", "up", "tăng", "вырос на"), in any language.
fn after_change(before: &str) -> bool {
    after_marker(before, |d| &d.changes)
}

/// Whether `before` (a sentence up to a number) ends with one of the markers `list` picks
/// from a language's question data, in any language.
fn after_marker(before: &str, list: fn(&QData) -> &Markers) -> bool {
    let toks = crate::text::folded::tokenize(before);
    any_language(|d| list(d).end(&toks))
}

/// Whether `f` holds for the question data of some language.
fn any_language(f: impl Fn(&QData) -> bool) -> bool {
    crate::text::lang::Lang::all()
        .iter()
        .any(|&l| f(question::data(l)))
}

/// Whether the tokens before a number end with a designation noun of any language
/// ("project", "проекта", "dự án"): the number names a thing.
fn after_designation(before: &[Tok]) -> bool {
    any_language(|d| d.designations.end(before))
}

fn numbers(q: &Question, s: &Sent, si: usize, toks: &[Tok], hits: &[Hit], out: &mut Vec<Cand>) {
    let qd: Vec<(i64, i64)> = q.dates.iter().filter_map(|(a, b)| interval(a, b)).collect();
    let lx = lexicon();
    let head = counted_head(q);
    let express = |value: f64, number: f64, unit: &str| -> f64 {
        if unit == "percent" || unit == "times" {
            number
        } else if let Some(sc) = q.scale {
            value / sc
        } else {
            value
        }
    };
    let asked = q_entities(q);
    for x in &s.quantities {
        if q.numbers
            .iter()
            .any(|&n| near(n, x.value) || near(n, x.number))
        {
            continue;
        }
        let mut fit = unit_fit(q.unit.as_deref(), &x.unit, x.qualifier.as_deref());
        // What it counts: its own words and the words beside it in the sentence.
        let (a, b) = (s.clean_pos(x.start), s.clean_pos(x.end));
        let found: Vec<usize> = lx
            .find(&crate::text::folded::tokenize(&x.about))
            .iter()
            .map(|h| h.concept)
            .chain(near_concepts(toks, hits, a..b))
            .collect();
        // The counted noun beside the number, or else anywhere in its sentence ("the number
        // of Vietnamese students … by 1987, this number had increased to 1,550 people").
        let in_sentence: Vec<usize> = hits.iter().map(|h| h.concept).collect();
        fit *= head_factor(&head, &found).max(0.85 * head_factor(&head, &in_sentence));
        // Bound to another act ("exported 3.3 million tonnes" for "how much did it extract").
        let acts: Vec<usize> = q_concepts(q)
            .into_iter()
            .filter(|&c| lx.concepts[c].act)
            .collect();
        if !acts.is_empty()
            && !found.iter().any(|c| acts.contains(c))
            && found.iter().any(|&c| lx.concepts[c].act)
        {
            fit *= 0.3;
        }
        let mut cut = a.min(s.clean.len());
        while !s.clean.is_char_boundary(cut) {
            cut -= 1;
        }
        let is_change = after_change(&s.clean[..cut]);
        if matches!(q.unit.as_deref(), None | Some("amount"))
            && !q.change
            && x.unit == "percent"
            && is_change
        {
            // "How much was trade" is not answered by "grew by 31%".
            fit *= 0.4;
        } else if q.change && !is_change {
            // "By how much did it grow" is not answered by the amount it reached.
            fit *= 0.5;
        }
        // "To what level did it fall": not the level it fell from ("с 28 … до 5").
        let other_end = match q.bound {
            Some(super::question::Bound::End) => after_marker(&s.clean[..cut], |d| &d.range_from),
            Some(super::question::Bound::Start) => after_marker(&s.clean[..cut], |d| &d.range_to),
            None => false,
        };
        if other_end {
            fit *= 0.5;
        }
        if q.total && after_parts(&s.clean[..cut]) {
            // A part of a whole for a question about the whole.
            fit *= 0.3;
        }
        fit *= holder_factor(&asked, s, x.start);
        if !qd.is_empty()
            && let Some((a, b)) = &x.period
            && let Some(iv) = interval(a, b)
        {
            // The period asked, or a part of it (a year of a five-year span), or another.
            fit *= if qd.contains(&iv) {
                1.1
            } else if qd.iter().any(|d| overlap(*d, iv)) {
                0.85
            } else {
                0.5
            };
        } else if !qd.is_empty() && x.period.is_none() {
            // A dated question, a number whose sentence states no time of its own.
            fit *= 0.85;
        }
        let v = express(x.value, x.number, &x.unit);
        let unit = match x.unit.as_str() {
            "percent" => "%".to_string(),
            u => format!(" {u}"),
        };
        out.push(Cand {
            sent: si,
            key: format!("{:.6e}", v),
            answer: format!(
                "{}{unit} (“{}”)",
                fmt_num(v),
                x.text.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
            value: num_value(v),
            pos: s.clean_pos(x.start)..s.clean_pos(x.end),
            fit,
            span: Some((x.start, x.end)),
            cite: None,
        });
    }
    // Bare numbers no quantity took, beside the asked-for noun ("sinh viên đại học
    // (12.345)"): a weaker fallback.
    let covered: Vec<Range<usize>> = s
        .quantities
        .iter()
        .map(|x| s.clean_pos(x.start)..s.clean_pos(x.end) + 1)
        .chain(
            s.timexes
                .iter()
                .map(|t| s.clean_pos(t.start).saturating_sub(1)..s.clean_pos(t.end) + 1),
        )
        .collect();
    let scales = &question::data(s.lang);
    for (i, t) in toks.iter().enumerate() {
        if !t.num || covered.iter().any(|r| r.contains(&t.range.start)) {
            continue;
        }
        let Some(n) = number::parse(&t.lower, decimal(s.lang)) else {
            continue;
        };
        let mut v = n.value();
        if n.plain && (1000.0..=2100.0).contains(&v) && v.fract() == 0.0 {
            continue; // a year
        }
        if after_designation(&toks[..i]) {
            continue; // "проекта 636": a name, not an amount
        }
        let mut end = t.range.end;
        if let Some(nt) = toks.get(i + 1)
            && let Some(sc) = scales.scale(&nt.lower)
        {
            v *= sc;
            end = nt.range.end;
        }
        if q.numbers.iter().any(|&x| near(x, v)) {
            continue;
        }
        let v = match q.scale {
            Some(sc) => v / sc,
            None => v,
        };
        let found: Vec<usize> = near_concepts(toks, hits, t.range.start..end).collect();
        let beside = !head.is_empty() && head.iter().all(|c| found.contains(c));
        out.push(Cand {
            sent: si,
            key: format!("{:.6e}", v),
            answer: format!("{} (“{}”)", fmt_num(v), &s.clean[t.range.start..end]),
            value: num_value(v),
            pos: t.range.start..end,
            fit: if beside { 0.8 } else { 0.35 } * unit_fit(q.unit.as_deref(), "count", None),
            span: None,
            cite: None,
        });
    }
}

/// Whether an entity's years of existence ("1906/1982") exclude every date of the
/// question (Brezhnev in 1985).
fn out_of_time(q: &Question, id: &str) -> bool {
    let Some(e) = crate::knowledge::gazetteer::builtin().by_id(id) else {
        return false;
    };
    let Some(span) = e.dates.as_deref() else {
        return false;
    };
    let mut p = span.split('/');
    let (Some(a), Some(b)) = (p.next(), p.next()) else {
        return false;
    };
    let life = match (iso_range(a), iso_range(b)) {
        (Some(x), Some(y)) => (x.0, y.1),
        (Some(x), None) => (x.0, i64::MAX),
        _ => return false,
    };
    let qd: Vec<(i64, i64)> = q.dates.iter().filter_map(|(a, b)| interval(a, b)).collect();
    !qd.is_empty() && !qd.iter().any(|d| overlap(*d, life))
}

/// The languages of the states named in the asked-for noun of a "who" question ("Bộ
/// trưởng Tài chính Việt Nam", "Vietnam's finance minister"): the person must come from one
/// of them. Empty when no such state is named or its language is not known.
fn head_state_languages(q: &Question) -> Vec<&'static str> {
    let g = crate::knowledge::gazetteer::builtin();
    q.role_states
        .iter()
        .filter_map(|e| g.context.state_languages.get(e).map(String::as_str))
        .collect()
}

/// Whether person `id` comes from another state than the one the question's role names.
fn of_another_state(states: &[&str], id: &str) -> bool {
    if states.is_empty() {
        return false;
    }
    crate::knowledge::gazetteer::builtin()
        .by_id(id)
        .and_then(|e| e.origin.as_deref())
        .is_some_and(|o| !states.contains(&o))
}

fn entities(q: &Question, s: &Sent, si: usize, out: &mut Vec<Cand>) {
    let qe = q_entities(q);
    let states = if q.qtype == QType::Person {
        head_state_languages(q)
    } else {
        Vec::new()
    };
    for m in &s.mentions {
        if qe.contains(&m.entity_id.as_str()) {
            continue;
        }
        if m.kind == "person" && of_another_state(&states, &m.entity_id) {
            continue;
        }
        let era = if out_of_time(q, &m.entity_id) {
            0.3
        } else {
            1.0
        };
        let fit = era
            * match (&q.qtype, m.kind.as_str()) {
                (QType::Person, "person") => 1.0,
                (QType::Person, "organization") => 0.3,
                (QType::Person, _) => 0.1,
                (QType::Place, "place") => 1.0,
                (QType::Place, "country") => 0.7,
                (QType::Place, _) => 0.15,
                (QType::Entity(Some(k)), kind) if k == kind => 1.0,
                (QType::Entity(Some(_)), _) => 0.25,
                (QType::Entity(None), "country") => 0.5,
                (QType::Entity(None), _) => 0.8,
                _ => 0.0,
            };
        if fit <= 0.0 {
            continue;
        }
        let written = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let answer = if written == m.entity {
            m.entity.clone()
        } else {
            format!("{} (“{written}”)", m.entity)
        };
        out.push(Cand {
            sent: si,
            key: format!("entity:{}", m.entity_id),
            answer,
            value: json!(m.entity),
            pos: s.clean_pos(m.start)..s.clean_pos(m.end),
            fit,
            span: Some((m.start, m.end)),
            cite: None,
        });
    }
}

/// Proper names standing beside a noun that introduces one: the asked-for noun when it
/// takes a name ("tỉnh nào", "which pseudonym"), and, for "who", a role or title.
fn names(q: &Question, s: &Sent, si: usize, toks: &[Tok], hits: &[Hit], out: &mut Vec<Cand>) {
    let lx = lexicon();
    let qe = q_entities(q);
    let states = if q.qtype == QType::Person {
        head_state_languages(q)
    } else {
        Vec::new()
    };
    for h in hits {
        let c = &lx.concepts[h.concept];
        let asked = q.head_concepts.contains(&h.concept) && c.names_follow;
        let role = q.qtype == QType::Person && c.class.as_deref() == Some("person");
        if !asked && !role {
            continue;
        }
        let mut runs = Vec::new();
        if let Some(r) = name_run(&s.clean, toks, h.toks.end, true) {
            runs.push(r);
        }
        // "Nghệ An Province": the name before a capitalised noun (where names precede
        // their noun: English).
        if s.lang.data().names_precede_their_noun
            && toks[h.toks.start].cap
            && h.toks.start > 0
            && let Some(r) = name_run(&s.clean, toks, h.toks.start - 1, false)
        {
            runs.push(r);
        }
        // "the province of Nghệ An"
        if let Some(of) = toks.get(h.toks.end)
            && (of.lower == "of" || of.lower == "под")
            && let Some(r) = name_run(&s.clean, toks, h.toks.end + 1, true)
        {
            runs.push(r);
        }
        for r in runs {
            let name = s.clean[r.clone()].to_string();
            // A capitalised common noun ("Ngoại giao") is no name; nor is one Vietnamese
            // syllable.
            if hits.iter().any(|x| x.range.start == r.start)
                || (s.lang.data().syllabic && !name.contains([' ', '-', '.']))
            {
                continue;
            }
            if lx
                .find(&crate::text::folded::tokenize(&name))
                .iter()
                .any(|x| x.range.start == 0)
            {
                continue; // another noun, not a name
            }
            let format = match c.id.as_str() {
                "province" => Some("{} Province"),
                _ => None,
            };
            let (value, label) = name_value(&name, format);
            if let Some(e) = resolve(&name)
                && (qe.contains(&e.id.as_str())
                    || (q.qtype == QType::Person && e.kind != "person")
                    || (q.qtype == QType::Person && of_another_state(&states, &e.id))
                    || (q.qtype == QType::Place && !matches!(e.kind.as_str(), "place" | "country")))
            {
                continue;
            }
            let fit = if asked { 1.0 } else { 0.7 };
            out.push(Cand {
                sent: si,
                key: format!("name:{}", crate::text::fold::fold(&label)),
                answer: if label == name {
                    name.clone()
                } else {
                    format!("{label} (“{name}”)")
                },
                value,
                pos: r,
                fit,
                span: None,
                cite: None,
            });
        }
    }
}

fn fields(q: &Question, s: &Sent, si: usize, hits: &[Hit], out: &mut Vec<Cand>) {
    let lx = lexicon();
    let qc = q_concepts(q);
    let mut group: Vec<&Hit> = Vec::new();
    let mut flush = |group: &mut Vec<&Hit>| {
        if group.is_empty() {
            return;
        }
        let mut labels: Vec<String> = Vec::new();
        for h in group.iter() {
            let l = lx.concepts[h.concept].label.clone().unwrap_or_default();
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        let r = group[0].range.start..group[group.len() - 1].range.end;
        let label = labels.join(" and ");
        out.push(Cand {
            sent: si,
            key: format!("field:{label}"),
            answer: format!("{label} (“{}”)", &s.clean[r.clone()]),
            value: json!(label),
            pos: r,
            fit: 1.0,
            span: None,
            cite: None,
        });
        group.clear();
    };
    for h in hits {
        let c = &lx.concepts[h.concept];
        if c.class.as_deref() != Some("field") || qc.contains(&h.concept) {
            continue;
        }
        if let Some(last) = group.last() {
            let gap = &s.clean[last.range.end.min(h.range.start)..h.range.start];
            let joined = gap.len() <= 8
                && crate::text::folded::tokenize(gap)
                    .iter()
                    .all(|t| matches!(t.lower.as_str(), "and" | "và" | "и" | "or" | "hoặc"));
            if !joined {
                flush(&mut group);
            }
        }
        group.push(h);
    }
    flush(&mut group);
}
