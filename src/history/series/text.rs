//! Running text: which quantities measure a series, between whom, and for which period.
//!
//! Each sentence with a money or people quantity is read as a stream of tokens in which
//! its quantities and timexes are markers. A quantity is read in its *local sentence* (the
//! stored sentence cut at sentence ends the splitter missed) and its *stretch* (the tokens
//! after the quantity before it). See the module documentation of [`super`] for the rules.

use super::{Context, DocText, Observation, Origin, Period, Source, half_unit};
use crate::knowledge::series::{self as lexicon, Class, Lexicon, Tok, tokenize};
use crate::span::Span;
use crate::store::StoredFact;
use crate::text::lang::Lang;
use std::collections::BTreeMap;

/// Ends a local sentence (a sentence end the splitter missed).
const BOUNDARY: char = '\u{E000}';
/// How many words that no list knows may stand between a concept word and its number.
const GAP_WORDS: usize = 6;

/// A stored quantity, as the attribution needs it.
#[derive(Debug, Clone)]
struct Q<'a> {
    f: &'a StoredFact,
    start: usize,
    end: usize,
    text: String,
    number: f64,
    scale: f64,
    value: f64,
    unit: String,
    approx: Option<String>,
    ambiguous: bool,
    lang: Lang,
}

fn parse(f: &StoredFact) -> Option<Q<'_>> {
    let q = f.body.quantity()?;
    Some(Q {
        f,
        start: f.start as usize,
        end: f.end as usize,
        text: f.text().to_string(),
        number: q.number,
        scale: q.scale,
        value: q.value,
        unit: q.unit.clone(),
        approx: q.approx.clone(),
        ambiguous: q.decimal_ambiguous,
        lang: q.lang,
    })
}

fn wanted(unit: &str) -> bool {
    matches!(unit, "RUB" | "USD" | "person")
}

/// The observations the running text of every document in `ctx` gives. Quantities inside a
/// table (`tables`: document, start, end) are left to the table.
pub fn observations(
    quantities: &[&StoredFact],
    ctx: &Context,
    tables: &[(&str, u64, u64)],
) -> Vec<Observation> {
    let in_table = |f: &StoredFact| {
        tables
            .iter()
            .any(|&(d, a, b)| d == f.doc && f.start < b && a < f.end)
    };
    let mut by_doc: BTreeMap<&str, Vec<Q>> = BTreeMap::new();
    for f in quantities
        .iter()
        .copied()
        .filter(|f| f.kind == "quantity" && !in_table(f))
    {
        if let Some(q) = parse(f) {
            by_doc.entry(f.doc.as_str()).or_default().push(q);
        }
    }
    let mut out = Vec::new();
    for (doc, mut qs) in by_doc {
        let Some(d) = ctx.doc(doc) else { continue };
        qs.sort_by_key(|q| (q.start, q.end));
        for &(s0, s1) in &d.sentences {
            let a = qs.partition_point(|q| q.start < s0);
            let b = qs.partition_point(|q| q.start < s1);
            let inside: Vec<&Q> = qs[a..b].iter().filter(|q| q.end <= s1).collect();
            if !inside.iter().any(|q| wanted(&q.unit)) {
                continue;
            }
            Sentence::new(doc, d, s0, s1, &inside).read(&mut out);
        }
    }
    out
}

/// One stored sentence as a token stream.
struct Sentence<'a> {
    doc: &'a str,
    d: &'a DocText,
    qs: Vec<&'a Q<'a>>,
    toks: Vec<Tok>,
}

impl<'a> Sentence<'a> {
    fn new(doc: &'a str, d: &'a DocText, s0: usize, s1: usize, inside: &[&'a Q<'a>]) -> Self {
        // Markers: quantities other than durations, and timexes that no quantity overlaps.
        let qs: Vec<&Q> = inside
            .iter()
            .copied()
            .filter(|q| q.unit != "year")
            .collect();
        let mut marks: Vec<(usize, usize, Tok)> = qs
            .iter()
            .enumerate()
            .map(|(k, q)| (q.start, q.end, Tok::Quantity(k)))
            .collect();
        let t0 = d.timexes.partition_point(|t| t.start < s0);
        for (j, t) in d.timexes.iter().enumerate().skip(t0) {
            if t.start >= s1 {
                break;
            }
            if t.end <= s1 && !qs.iter().any(|q| q.start < t.end && t.start < q.end) {
                marks.push((t.start, t.end, Tok::Timex(j)));
            }
        }
        marks.sort_by_key(|m| (m.0, m.1));
        let mut toks = Vec::new();
        let mut pos = s0;
        for (a, b, m) in marks {
            if a < pos {
                continue;
            }
            gap(d, pos, a, &mut toks);
            toks.push(m);
            pos = b;
        }
        gap(d, pos, s1, &mut toks);
        Sentence { doc, d, qs, toks }
    }

    fn read(&self, out: &mut Vec<Observation>) {
        let mut concepts: Vec<Option<String>> = vec![None; self.qs.len()];
        for qi in 0..self.toks.len() {
            let Tok::Quantity(k) = self.toks[qi] else {
                continue;
            };
            let q = self.qs[k];
            let lex = lexicon::knowledge().lexicon(q.lang);
            let r = Reading::new(self, lex, qi);
            concepts[k] = r.concept(q, &concepts);
            if !wanted(&q.unit) || q.ambiguous {
                continue;
            }
            if let Some(o) = r.observe(q, concepts[k].clone(), &concepts) {
                out.push(o);
            }
        }
    }
}

/// Decodes a stretch between markers into tokens, marking missed sentence ends.
fn gap(d: &DocText, a: usize, b: usize, toks: &mut Vec<Tok>) {
    if a >= b || b > d.bytes.len() {
        return;
    }
    let s = crate::source::decode::decode_range(&d.bytes, d.encoding, a..b);
    let s = mark_boundaries(&s);
    tokenize(&s, toks);
}

/// Replaces a sentence-final `.`, `!` or `?` followed by space and a capital with
/// [`BOUNDARY`].
fn mark_boundaries(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in cs.iter().enumerate() {
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < cs.len() && cs[j].is_whitespace() {
                j += 1;
            }
            if j > i + 1
                && j < cs.len()
                && (cs[j].is_uppercase() || matches!(cs[j], '“' | '"' | '«'))
            {
                out.push(BOUNDARY);
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// One segment of a token stream: a known phrase (its classes) or a single token.
#[derive(Debug, Clone)]
struct Item<'k> {
    /// Index of its first token in the stream.
    at: usize,
    len: usize,
    classes: &'k [Class],
}

impl Item<'_> {
    fn is(&self, c: &Class) -> bool {
        self.classes.contains(c)
    }

    fn concept(&self) -> Option<&str> {
        self.classes.iter().find_map(|c| match c {
            Class::Concept(id) => Some(id.as_str()),
            _ => None,
        })
    }

    /// Words no list knows.
    fn unknown_word(&self, toks: &[Tok]) -> bool {
        self.classes.is_empty() && matches!(toks[self.at], Tok::Word(_))
    }
}

/// Cuts `toks[range]` into items, longest phrase first, left to right.
fn segment<'k>(lex: &'k Lexicon, toks: &[Tok], idx: &[usize]) -> Vec<Item<'k>> {
    // `idx` lists the stream positions to segment (a cleaned view of the stream).
    let view: Vec<Tok> = idx.iter().map(|&i| toks[i].clone()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < view.len() {
        match lex.at(&view, i) {
            Some((n, cs)) => {
                out.push(Item {
                    at: idx[i],
                    len: n,
                    classes: cs,
                });
                i += n;
            }
            None => {
                out.push(Item {
                    at: idx[i],
                    len: 1,
                    classes: &[],
                });
                i += 1;
            }
        }
    }
    out
}

/// One quantity read in its sentence.
struct Reading<'s, 'k> {
    s: &'s Sentence<'s>,
    lex: &'k Lexicon,
    /// Stream positions of the local sentence before the quantity, closed parentheses
    /// removed (their timexes kept).
    pre: Vec<usize>,
    /// Before the quantity, as written (positions).
    raw_pre: Vec<usize>,
    /// After the quantity, to the end of the local sentence (positions).
    post: Vec<usize>,
    /// Inside an open parenthesis.
    in_parens: bool,
}

impl<'s, 'k> Reading<'s, 'k> {
    fn new(s: &'s Sentence<'s>, lex: &'k Lexicon, qi: usize) -> Self {
        let toks = &s.toks;
        let bound = |t: &Tok| *t == Tok::Punct(BOUNDARY);
        let ls = toks[..qi].iter().rposition(bound).map_or(0, |i| i + 1);
        let le = toks[qi + 1..]
            .iter()
            .position(bound)
            .map_or(toks.len(), |i| qi + 1 + i);
        let raw_pre: Vec<usize> = (ls..qi).collect();
        let mut pre = Vec::new();
        let mut depth = 0usize;
        let mut stack: Vec<usize> = Vec::new();
        for i in ls..qi {
            match toks[i] {
                Tok::Punct('(' | '[') => {
                    depth += 1;
                    stack.push(pre.len());
                }
                Tok::Punct(')' | ']') if depth > 0 => {
                    depth -= 1;
                    // Drop the group, keep its timexes.
                    let from = stack.pop().unwrap_or(pre.len());
                    let kept: Vec<usize> = pre[from..]
                        .iter()
                        .copied()
                        .filter(|&p| matches!(toks[p], Tok::Timex(_)))
                        .collect();
                    pre.truncate(from);
                    pre.extend(kept);
                    continue;
                }
                _ => {}
            }
            if !matches!(toks[i], Tok::Punct('(' | '[')) {
                pre.push(i);
            }
        }
        Reading {
            s,
            lex,
            pre,
            raw_pre,
            post: (qi + 1..le).collect(),
            in_parens: depth > 0,
        }
    }

    fn toks(&self) -> &[Tok] {
        &self.s.toks
    }

    /// The stretch: the cleaned local sentence after the last quantity marker; with `clause`, starting after the first comma that follows the quantity
    /// before (the words right after a number belong to it: "20.000 người có trình độ đại
    /// học, trên 20.000 người").
    fn stretch_from(&self, clause: bool) -> (Vec<Item<'k>>, Option<usize>) {
        let toks = self.toks();
        let last_q = self
            .pre
            .iter()
            .rposition(|&p| matches!(toks[p], Tok::Quantity(_)));
        let mut from = last_q.map_or(0, |i| i + 1);
        if clause && last_q.is_some() {
            from = self.pre[from..]
                .iter()
                .position(|&p| matches!(toks[p], Tok::Punct(',' | ';' | ':')))
                .map_or(self.pre.len(), |i| from + i + 1);
        }
        let prev = last_q.and_then(|i| match toks[self.pre[i]] {
            Tok::Quantity(k) => Some(k),
            _ => None,
        });
        (segment(self.lex, toks, &self.pre[from..]), prev)
    }

    /// What the quantity measures: its counted noun (people), else the nearest concept word
    /// of its stretch, else the concept of the quantity before it when the stretch between
    /// them only repeats the measure ("in 1986 it was 1,026").
    fn concept(&self, q: &Q, done: &[Option<String>]) -> Option<String> {
        if !wanted(&q.unit) {
            return None;
        }
        let k = lexicon::knowledge();
        let fits = |id: &str| k.concept(id).is_some_and(|c| c.units.contains(&q.unit));
        let mut generic = false;
        if q.unit == "person" {
            match self.counted(q) {
                Counted::Concept(c) => return fits(&c).then_some(c),
                Counted::Other => return None,
                Counted::Generic => generic = true,
            }
        }
        let toks = self.toks();
        let (items, prev) = self.stretch_from(generic);
        if let Some(ci) = items.iter().rposition(|it| it.concept().is_some_and(fits)) {
            let id = items[ci].concept().unwrap_or_default().to_string();
            let gap = &items[ci + 1..];
            if gap.iter().any(|it| it.is(&Class::Blocker)) {
                return None;
            }
            if gap.iter().filter(|it| it.unknown_word(toks)).count() > GAP_WORDS {
                return None;
            }
            // "Liên Xô xuất ...": the counterpart's exports are Vietnam's imports.
            if matches!(id.as_str(), "exports" | "imports")
                && ci > 0
                && items[ci - 1].is(&Class::Counterpart)
                && !items[ci].is(&Class::Counterpart)
            {
                return None;
            }
            return Some(id);
        }
        let repeats = items.iter().all(|it| {
            it.is(&Class::Neutral)
                || it.is(&Class::Counterpart)
                || it.is(&Class::Vietnam)
                || it.is(&Class::Subset)
                || matches!(toks[it.at], Tok::Timex(_) | Tok::Punct(',' | ':'))
        });
        if repeats {
            return prev.and_then(|p| done.get(p).cloned().flatten());
        }
        None
    }

    /// The counted noun of a people quantity.
    fn counted(&self, q: &Q) -> Counted {
        let mut own = Vec::new();
        tokenize(&q.text, &mut own);
        // Skip the approximation and the number.
        let first_digit = own
            .iter()
            .position(|t| matches!(t, Tok::Word(w) if w.chars().all(|c| c.is_ascii_digit())));
        let mut i = first_digit.map_or(own.len(), |i| i + 1);
        while i < own.len()
            && (matches!(&own[i], Tok::Punct('.' | ',' | '\u{a0}'))
                || matches!(&own[i], Tok::Word(w) if w.chars().all(|c| c.is_ascii_digit())))
        {
            i += 1;
        }
        let mut ct: Vec<Tok> = own[i..].to_vec();
        let tail_from = ct.len();
        ct.extend(self.post.iter().map(|&p| self.toks()[p].clone()));
        if tail_from == 0 {
            return Counted::Generic;
        }
        match self.lex.at(&ct, 0) {
            Some((n, cs)) => {
                let concept = cs.iter().find_map(|c| match c {
                    Class::Concept(id) => Some(id.clone()),
                    _ => None,
                });
                match concept {
                    Some(c) => {
                        // "2.000 thực tập sinh và nghiên cứu sinh": two groups in one number.
                        if let Some((m, cs2)) = self.lex.at(&ct, n)
                            && cs2.contains(&Class::Conjunction)
                            && self.lex.at(&ct, n + m).is_some_and(|(_, cs3)| {
                                cs3.iter().any(|c| matches!(c, Class::Concept(_)))
                            })
                        {
                            return Counted::Other;
                        }
                        Counted::Concept(c)
                    }
                    None if cs.contains(&Class::Neutral) => Counted::Generic,
                    None => Counted::Other,
                }
            }
            None => Counted::Other,
        }
    }

    /// The observation, when the quantity has a concept, a scope and a period.
    fn observe(
        &self,
        q: &Q,
        concept: Option<String>,
        done: &[Option<String>],
    ) -> Option<Observation> {
        let concept = concept?;
        if self.in_parens || self.in_range() || self.planned() {
            return None;
        }
        let period = self.period()?;
        let scope = self.scope(&concept, q.unit == "person")?;
        let written = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(Observation {
            scope: scope.to_string(),
            unit: q.unit.clone(),
            period,
            value: q.value,
            half_unit: half_unit(q.number) * q.scale,
            basis: self.basis(),
            concept: concept.clone(),
            source: Source {
                span: Span {
                    doc: self.s.doc.to_string(),
                    start: q.start,
                    end: q.end,
                    text: q.text.clone(),
                    place: q.f.place(),
                },
                origin: Origin::Text,
                fact: q.f.id,
                written,
                approx: q.approx.clone(),
                table: None,
                qualifier: self.qualifier(&concept, done),
                lang: q.lang.code().to_string(),
            },
        })
    }

    /// One end of a range ("từ 350 đến 400 triệu rúp").
    fn in_range(&self) -> bool {
        let toks = self.toks();
        let before = segment(self.lex, toks, &self.raw_pre);
        if let Some(last) = before.last() {
            if last.is(&Class::RangeOpen) {
                return true;
            }
            if last.is(&Class::RangeJoin)
                && before.len() >= 2
                && matches!(toks[before[before.len() - 2].at], Tok::Quantity(_))
            {
                return true;
            }
        }
        let after = segment(self.lex, toks, &self.post);
        matches!(after.as_slice(), [j, n, ..] if j.is(&Class::RangeJoin)
            && matches!(toks[n.at], Tok::Quantity(_)))
    }

    /// Plans, quotas, agreements: what was to be.
    fn planned(&self) -> bool {
        segment(self.lex, self.toks(), &self.pre)
            .iter()
            .any(|it| it.is(&Class::Plan))
    }

    /// Whether the timex at stream position `p` can be a period: whole years, not after a
    /// comparison, a price basis or "the first months of". Two timexes joined by a range
    /// word ("from 1962 to early 1965") make one interval, of whole years or none.
    fn valid_period(&self, p: usize) -> Option<Period> {
        let toks = self.toks();
        let Tok::Timex(j) = toks[p] else { return None };
        let t = &self.s.d.timexes[j];
        if !t.whole_years {
            return None;
        }
        let lo = p.saturating_sub(6);
        let from = toks[lo..p]
            .iter()
            .rposition(|t| matches!(t, Tok::Quantity(_) | Tok::Punct(';' | BOUNDARY)))
            .map_or(lo, |i| lo + i + 1);
        let idx: Vec<usize> = (from..p).collect();
        let before = segment(self.lex, toks, &idx);
        let bad = before.iter().any(|it| {
            it.is(&Class::Baseline) || it.is(&Class::Price) || it.is(&Class::PartialYear)
        });
        if bad {
            return None;
        }
        let after: Vec<usize> = (p + 1..(p + 4).min(toks.len())).collect();
        let after = segment(self.lex, toks, &after);
        if let [j, n, ..] = after.as_slice()
            && j.is(&Class::RangeJoin)
            && let Tok::Timex(j2) = toks[n.at]
        {
            let t2 = &self.s.d.timexes[j2];
            return (t2.whole_years && t2.to >= t.from).then(|| Period::years(t.from, t2.to));
        }
        if let Some(j) = before.last()
            && j.is(&Class::RangeJoin)
            && j.at > 0
            && let Tok::Timex(j0) = toks[j.at - 1]
        {
            let t0 = &self.s.d.timexes[j0];
            return (t0.whole_years && t0.from <= t.to).then(|| Period::years(t0.from, t.to));
        }
        Some(Period::years(t.from, t.to))
    }

    /// The nearest valid timex before the quantity in its local sentence (not across `;`),
    /// else the first after it in its clause.
    fn period(&self) -> Option<Period> {
        let toks = self.toks();
        for &p in self.pre.iter().rev() {
            match toks[p] {
                Tok::Punct(';') => break,
                Tok::Timex(_) => {
                    if let Some(per) = self.valid_period(p) {
                        return Some(per);
                    }
                }
                _ => {}
            }
        }
        for &p in &self.post {
            match toks[p] {
                Tok::Punct(',' | ';') | Tok::Quantity(_) => break,
                Tok::Timex(_) => {
                    if let Some(per) = self.valid_period(p) {
                        return Some(per);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// "vn-total" when an "of which with the USSR" follows, or when the words from the
    /// concept word on name the total ("tổng kim ngạch xuất khẩu của Việt Nam là");
    /// "vn-ussr" when the local sentence names the counterpart.
    fn scope(&self, concept: &str, person: bool) -> Option<&'static str> {
        let toks = self.toks();
        let post = segment(self.lex, toks, &self.post);
        let mut it = post
            .iter()
            .skip_while(|i| matches!(toks[i.at], Tok::Punct(',')));
        if let Some(first) = it.next()
            && first.is(&Class::Subset)
            && it.take(4).any(|i| i.is(&Class::Counterpart))
        {
            return Some("vn-total");
        }
        let (stretch, _) = self.stretch_from(person);
        let from = stretch
            .iter()
            .rposition(|i| i.concept() == Some(concept))
            .unwrap_or(0);
        if stretch[from..].iter().any(|i| i.is(&Class::Total)) {
            return Some("vn-total");
        }
        let view: Vec<Tok> = self
            .raw_pre
            .iter()
            .chain(&self.post)
            .map(|&p| toks[p].clone())
            .collect();
        if self.lex.mentions(&view, &Class::Counterpart) {
            return Some("vn-ussr");
        }
        None
    }

    /// The price basis stated right after the quantity.
    fn basis(&self) -> Option<String> {
        let toks = self.toks();
        let post = segment(self.lex, toks, &self.post);
        for (i, it) in post.iter().enumerate() {
            if matches!(toks[it.at], Tok::Punct(';' | BOUNDARY) | Tok::Quantity(_)) {
                break;
            }
            if matches!(toks[it.at], Tok::Punct(',')) && i > 0 {
                break;
            }
            if it.is(&Class::CurrentPrices) {
                return Some("current prices".into());
            }
            if it.is(&Class::Price)
                && let Some(Tok::Timex(j)) = post.get(i + 1).map(|n| &toks[n.at])
            {
                return Some(format!("prices of {}", self.s.d.timexes[*j].from));
            }
        }
        None
    }

    /// What the source says is left out ("không kể thiết bị toàn bộ"). It applies to the
    /// quantity when it follows it before any other quantity, or when it comes before it
    /// after a quantity of the same concept ("nhập 5,2 tỷ rúp, không kể thiết bị toàn bộ,
    /// trong đó … nhập 1,5 tỷ rúp").
    fn qualifier(&self, concept: &str, done: &[Option<String>]) -> Option<String> {
        let toks = self.toks();
        let post_q = self
            .post
            .iter()
            .position(|&p| matches!(toks[p], Tok::Quantity(_)))
            .unwrap_or(self.post.len());
        let after = segment(self.lex, toks, &self.post[..post_q]);
        let before = segment(self.lex, toks, &self.raw_pre);
        let found = after
            .iter()
            .find(|it| it.is(&Class::Excluding))
            .or_else(|| {
                let i = before.iter().rposition(|it| it.is(&Class::Excluding))?;
                let prev = before[..i].iter().rev().find_map(|it| match toks[it.at] {
                    Tok::Quantity(k) => Some(k),
                    _ => None,
                });
                match prev {
                    Some(k) if done.get(k).cloned().flatten().as_deref() == Some(concept) => {
                        Some(&before[i])
                    }
                    _ => None,
                }
            })?;
        let mut words = Vec::new();
        let mut p = found.at;
        while let Some(Tok::Word(w)) = toks.get(p) {
            words.push(w.clone());
            p += 1;
            if words.len() >= found.len + 4 {
                break;
            }
        }
        Some(words.join(" "))
    }
}

enum Counted {
    /// A counted noun that names a concept.
    Concept(String),
    /// "people", "người": the measure is in the words before.
    Generic,
    /// Something else is counted.
    Other,
}
