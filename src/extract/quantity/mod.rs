//! The quantity extractor: every number that measures something, with its scale, unit,
//! what it measures, approximation and period.
//!
//! Language knowledge lives in `data/quantity/{en,vi,ru}.toml` ([`data`]); one engine
//! applies it. Each paragraph is cut into tokens ([`token`]); its decimal convention is read
//! from the shapes of its own numbers, else from the document's paragraphs in the same
//! language, else from the language ([`number`]). Every number token that is not a date, a
//! page, a section, a footnote or a designation ([`exclude`]) takes its scale words and unit
//! or counted thing ([`units`]), and an approximation marker before it. Numbers in words
//! count only before a unit (or a counted thing, where the language allows). Ranges and
//! ratios share their scale and unit ("$75-$125 million", "2.14/1.16 billion rubles",
//! "4 đến 6 tàu"); a bare number takes the unit of the quantity before it in its sentence
//! ("1,022 people …, in 1986 it was 1,026"). The measure and the period come from the
//! sentence ([`context`]).

pub mod context;
pub mod data;
pub mod exclude;
pub mod number;
pub mod numeral;
pub mod phrases;
pub mod token;
pub mod units;

use super::{Extractor, Fact, FactBody};
use crate::document::Document;
use crate::text::lang::Lang;
use crate::text::layout::BlockKind;
use data::{QData, Unit};
use number::Decimal;
use phrases::Lookup;
use std::ops::Range;
use token::{Kind, Tok};

/// The quantity extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct QuantityExtractor;

/// One quantity found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte range in the clean text.
    pub range: Range<usize>,
    /// The number as written, decimal mark resolved.
    pub number: f64,
    /// The number as written.
    pub number_text: String,
    pub scale: f64,
    pub value: f64,
    pub unit: &'static str,
    pub unit_qualifier: Option<String>,
    pub counted: Option<String>,
    pub measure: Option<String>,
    pub approx: Option<String>,
    pub decimal_ambiguous: bool,
    pub lang: Lang,
    /// `{"value_start", "value_end"}` of the nearest year or interval in the sentence.
    pub period: Option<crate::fact::Period>,
    /// Index of its sentence in [`Document::sentences`].
    pub sentence: Option<usize>,
}

#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    number: f64,
    exact: Option<number::Num>,
    text: String,
    scale: Option<f64>,
    unit: Option<Unit>,
    approx: Option<String>,
    ambiguous: bool,
}

impl Cand {
    fn value(&self) -> f64 {
        let s = self.scale.unwrap_or(1.0);
        self.exact.map_or(self.number * s, |n| n.times(s))
    }
}

/// Votes of the number shapes of a paragraph for each convention: (comma, point).
fn votes(toks: &[Tok], in_brackets: &[bool]) -> (u32, u32) {
    let (mut c, mut p) = (0, 0);
    for (t, &b) in toks.iter().zip(in_brackets) {
        if t.kind == Kind::Num && !b {
            match number::evidence(&t.lower) {
                Some(Decimal::Comma) => c += 1,
                Some(Decimal::Point) => p += 1,
                None => {}
            }
        }
    }
    (c, p)
}

fn decide(v: (u32, u32)) -> Option<Decimal> {
    match v {
        (c, p) if c > p => Some(Decimal::Comma),
        (c, p) if p > c => Some(Decimal::Point),
        _ => None,
    }
}

fn fraction(s: &str) -> Option<f64> {
    Some(match s {
        "½" => 0.5,
        "¼" => 0.25,
        "¾" => 0.75,
        "⅓" => 1.0 / 3.0,
        "⅔" => 2.0 / 3.0,
        _ => return None,
    })
}

fn is_duration(u: &Unit) -> bool {
    u.unit == "year"
        || (u.unit == "other"
            && matches!(
                u.qualifier.as_deref(),
                Some("month" | "day" | "week" | "hour")
            ))
}

struct Para<'a> {
    d: &'static QData,
    lang: Lang,
    toks: &'a [Tok],
    text: &'a str,
    /// Where the paragraph starts in the clean text, and the clean text (to map a token to
    /// its source bytes).
    base: usize,
    doc_text: &'a crate::text::mapped::MappedText,
    /// Source ranges of the document's timexes, ordered and disjoint.
    timexes: &'a [Range<usize>],
    brackets: Vec<bool>,
    heading: bool,
    conv: Decimal,
    decided: bool,
}

impl Para<'_> {
    /// Whether token `i` lies in a timex: a date's day, month or year is not an amount
    /// ("1991 года", "30 tháng 7", "May 20-23").
    fn in_timex(&self, i: usize) -> bool {
        let t = &self.toks[i];
        let src = self
            .doc_text
            .source_range(self.base + t.range.start..self.base + t.range.end);
        // The timexes are disjoint and ordered: only the last one starting before the token's
        // end can overlap it.
        let k = self.timexes.partition_point(|r| r.start < src.end);
        k > 0 && self.timexes[k - 1].end > src.start
    }

    /// Approximation marker ending just before token `start`: (tokens, marker).
    fn approx_before(&self, start: usize) -> Option<(usize, String)> {
        let k = start.checked_sub(1)?;
        self.d
            .approx
            .ending(self.toks, k)
            .map(|(n, a)| (n, a.clone()))
    }

    /// A relative duration ("5 years ago", "the previous five years").
    fn relative(&self, start: usize, end: usize, unit: &Unit) -> bool {
        is_duration(unit)
            && (self.d.relative_after.contains_at(self.toks, end)
                || start
                    .checked_sub(1)
                    .is_some_and(|k| self.d.relative_before.contains_ending(self.toks, k)))
    }

    fn num_cand(&self, i: usize) -> Option<Cand> {
        let (d, toks) = (self.d, self.toks);
        let t = &toks[i];
        exclude::excluded(
            d,
            self.lang,
            toks,
            i,
            self.text,
            &self.brackets,
            self.heading,
        )
        .is_none()
        .then_some(())?;
        if self.in_timex(i) {
            return None;
        }
        let n = number::parse(&t.lower, self.conv)?;
        let mut tail = units::tail(d, toks, i + 1, true);
        let mut start = i;
        if let Some((np, pu)) = i
            .checked_sub(1)
            .and_then(|k| d.prefix_units.ending(toks, k))
        {
            let short = toks[i - np].lower.chars().count() < 2 && pu.unit == "times";
            match &tail.unit {
                Some(u) if u.unit == pu.unit => start = i - np,
                None if !short => {
                    start = i - np;
                    tail.unit = Some(pu.clone());
                    tail.direct = true;
                }
                _ => {}
            }
        }
        // A year-shaped number counts only before a unit proper ("1500 tấn"), not before a
        // counted noun ("his 2018 works", "in 1979 ships").
        let measured = tail.direct && tail.unit.as_ref().is_some_and(|u| u.counted.is_none());
        let plain_year = exclude::year_shaped(t) && tail.scale.is_none() && !measured;
        if plain_year {
            return None;
        }
        if let Some(u) = &tail.unit
            && self.relative(start, tail.end, u)
        {
            return None;
        }
        // A count of people or things is whole: "12.000 người", "1,500 specialists" are
        // thousands in either convention (nobody counts people to three decimals), so one
        // separator before three digits groups them.
        let whole = tail.scale.is_none()
            && !tail.fallback
            && tail
                .unit
                .as_ref()
                .is_some_and(|u| u.counted.is_some() || matches!(u.unit, "person" | "count"));
        let n = if whole && n.shape_ambiguous {
            number::Num {
                places: 0,
                shape_ambiguous: false,
                ..n
            }
        } else {
            n
        };
        let mut approx = None;
        if let Some((na, a)) = self.approx_before(start) {
            start -= na;
            approx = Some(a);
        }
        Some(Cand {
            start,
            end: tail.end.max(i + 1),
            number: n.value() + tail.plus,
            exact: (tail.plus == 0.0).then_some(n),
            text: t.lower.clone(),
            scale: tail.scale,
            unit: tail.unit,
            approx,
            ambiguous: n.shape_ambiguous && !self.decided,
        })
    }

    fn word_cand(&self, i: usize) -> Option<Cand> {
        let (d, toks) = (self.d, self.toks);
        if i > 0 && toks[i - 1].kind == Kind::Num && !toks[i].space {
            return None;
        }
        if let Some((n, &v)) = d.multiplier_words.at(toks, i) {
            let mut start = i;
            let mut approx = None;
            if let Some((na, a)) = self.approx_before(i) {
                start -= na;
                approx = Some(a);
            }
            return Some(Cand {
                start,
                end: i + n,
                number: v,
                exact: None,
                text: toks[i..i + n]
                    .iter()
                    .map(|t| t.lower.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                scale: None,
                unit: Some(Unit {
                    unit: "times",
                    qualifier: None,
                    counted: None,
                }),
                approx,
                ambiguous: false,
            });
        }
        let num = d.numerals.parse(toks, i)?;
        // An ordinal is a rank, not an amount; a number word right after a date word names a
        // day or a month ("tháng Tám", "ngày mồng một").
        if num.ordinal || self.in_timex(i) || i > 0 && d.date_markers.contains_ending(toks, i - 1) {
            return None;
        }
        let n = num.len;
        let (v, own_scale) = match num.scale {
            Some(s) => (num.value / s, Some(s)),
            None => (num.value, None),
        };
        let mut tail = units::tail(d, toks, i + n, d.word_counted);
        if let Some(s) = own_scale {
            tail.scale = Some(s * tail.scale.unwrap_or(1.0));
        }
        // A fraction of a span of time is a duration ("a quarter of a century", "четверть
        // века", "nửa thế kỷ"), not a part of something.
        if tail.unit.is_none() && num.fraction {
            let mut k = i + n;
            while k < i + n + 2 && d.fraction_gap.contains_at(toks, k) {
                k += 1;
            }
            if d.time_spans.contains_at(toks, k) {
                return None;
            }
        }
        // A fraction in words measures a part of something ("two-thirds of the aid", "một
        // nửa số", or where the language says so any noun after it: "две трети экспорта"),
        // not a rank ("a third country") or a part of a time ("nửa đầu năm").
        if tail.unit.is_none() && num.fraction {
            let of = d.of_join.contains_at(toks, i + n)
                || d.fraction_of.contains_at(toks, i + n)
                || d.fraction_before_noun
                    && toks
                        .get(i + n)
                        .is_some_and(|t| t.kind == Kind::Word && !t.cap);
            if !of {
                return None;
            }
            tail.unit = Some(Unit {
                unit: "times",
                qualifier: None,
                counted: None,
            });
        }
        let unit = tail.unit.as_ref()?;
        if tail.fallback || (unit.unit == "times" && v < 2.0 && !num.fraction) {
            return None;
        }
        if i > 0 && d.definite.contains_ending(toks, i - 1) {
            return None;
        }
        // A word that is also an article ("một", "один") counts only a unit proper: "một
        // chuyên gia" is "an expert".
        if unit.counted.is_some() && d.article_numbers.contains_at(toks, i) && n == 1 {
            return None;
        }
        // "hai nước", "two countries": the two parties of a relation, not a count; nor an
        // amount where the pair noun is longer than the unit word it begins ("hai đồng
        // minh", two allies, is not two đồng).
        if v == 2.0
            && let Some((pair_len, _)) = d.pair_nouns.at(toks, i + n)
            && (unit.counted.is_some() || i + n + pair_len > tail.end)
        {
            return None;
        }
        if self.relative(i, tail.end, unit) {
            return None;
        }
        let mut start = i;
        let mut approx = None;
        if let Some((na, a)) = self.approx_before(i) {
            start -= na;
            approx = Some(a);
        }
        Some(Cand {
            start,
            end: tail.end,
            number: v + tail.plus,
            exact: None,
            text: self.text[toks[i].range.start..toks[i + n - 1].range.end].to_string(),
            scale: tail.scale,
            unit: tail.unit,
            approx,
            ambiguous: false,
        })
    }

    fn fraction_cand(&self, i: usize) -> Option<Cand> {
        let v = fraction(&self.toks[i].lower)?;
        let tail = units::tail(self.d, self.toks, i + 1, true);
        let unit = tail.unit.unwrap_or(Unit {
            unit: "times",
            qualifier: None,
            counted: None,
        });
        Some(Cand {
            start: i,
            end: tail.end.max(i + 1),
            number: v,
            exact: None,
            text: self.toks[i].lower.clone(),
            scale: tail.scale,
            unit: Some(unit),
            approx: None,
            ambiguous: false,
        })
    }

    fn candidates(&self) -> Vec<Cand> {
        let mut out: Vec<Cand> = Vec::new();
        let mut i = 0;
        while i < self.toks.len() {
            let c = match self.toks[i].kind {
                Kind::Num => self.num_cand(i),
                Kind::Word => self.word_cand(i),
                Kind::Sym => self.fraction_cand(i),
            };
            match c {
                Some(c) if out.last().is_none_or(|p| p.end <= c.start) => {
                    i = c.end.max(i + 1);
                    out.push(c);
                }
                _ => i += 1,
            }
        }
        out
    }

    /// The join between two candidates, when the tokens between them are exactly one
    /// range or ratio join: its text.
    fn join(&self, a: &Cand, b: &Cand) -> Option<String> {
        let (d, toks) = (self.d, self.toks);
        let gap = a.end..b.start;
        if gap.is_empty() {
            return None;
        }
        let (n, _) = d.range_joins.at(toks, gap.start)?;
        if n != gap.len() {
            return None;
        }
        if d.range_needs_open
            .at(toks, gap.start)
            .is_some_and(|(m, _)| m == n)
        {
            let open = a
                .start
                .checked_sub(1)
                .is_some_and(|k| d.range_open.contains_ending(toks, k));
            if !open {
                return None;
            }
        }
        Some(
            toks[gap.start..gap.end]
                .iter()
                .map(|t| t.lower.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// Finds every quantity of `doc`. `timexes`: the source ranges of its temporal expressions
/// (ordered, disjoint); no number inside one is an amount.
pub fn find_all(doc: &Document, timexes: &[Range<usize>]) -> Vec<Quantity> {
    let text = doc.text.as_str();
    // A paragraph's tokens are made twice (for the document's decimal votes, then for its
    // quantities) rather than held for the whole document at once: memory stays that of
    // one paragraph, whatever the document's size.
    let tokens = |p: &crate::document::Paragraph| {
        let d = data::data(p.lang);
        let ptext = &text[p.range.clone()];
        let toks = token::repair(ptext, token::tokenize(ptext, d.space_groups), |w| {
            d.knows(w)
        });
        let brackets = exclude::bracketed(&toks);
        (toks, brackets)
    };
    let mut para_votes: Vec<(u32, u32)> = Vec::with_capacity(doc.paragraphs.len());
    for p in &doc.paragraphs {
        if crate::budget::expired() {
            return Vec::new();
        }
        let (t, b) = tokens(p);
        para_votes.push(votes(&t, &b));
    }
    let mut lang_votes = vec![(0u32, 0u32); Lang::all().len()];
    for (p, v) in doc.paragraphs.iter().zip(&para_votes) {
        let e = &mut lang_votes[p.lang.index()];
        e.0 += v.0;
        e.1 += v.1;
    }
    let mut out = Vec::new();
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        if crate::budget::expired() {
            break;
        }
        let (ptoks, brackets) = tokens(p);
        let ptoks = &ptoks;
        if !ptoks
            .iter()
            .any(|t| t.kind == Kind::Num || t.kind == Kind::Word)
        {
            continue;
        }
        let d = data::data(p.lang);
        let (conv, decided) =
            match decide(para_votes[pi]).or_else(|| decide(lang_votes[p.lang.index()])) {
                Some(c) => (c, true),
                None => (p.lang.data().decimal, false),
            };
        let para = Para {
            d,
            lang: p.lang,
            toks: ptoks,
            text: &text[p.range.clone()],
            base: p.range.start,
            doc_text: &doc.text,
            timexes,
            brackets,
            heading: p.kind == BlockKind::Heading,
            conv,
            decided,
        };
        paragraph(doc, pi, &para, &mut out);
    }
    out
}

fn paragraph(doc: &Document, pi: usize, para: &Para, out: &mut Vec<Quantity>) {
    let p = &doc.paragraphs[pi];
    let toks = para.toks;
    let mut cands = para.candidates();
    if cands.is_empty() {
        return;
    }
    // Ranges and ratios: the first part takes the scale and unit of the second. Walking
    // backwards, `k + 1` is always still present when `k` is looked at (only `k` itself can
    // absorb it), so absorbed candidates are marked and dropped in one pass at the end
    // instead of being removed one by one (which was quadratic in a long table).
    let mut absorbed = vec![false; cands.len()];
    let mut k = cands.len() - 1;
    while k > 0 {
        k -= 1;
        let Some(j) = para.join(&cands[k], &cands[k + 1]) else {
            continue;
        };
        let next = cands[k + 1].clone();
        if j == "/"
            && cands[k].unit.is_none()
            && next.unit.is_none()
            && next.scale.is_none()
            && next.number != 0.0
        {
            // "1/3,96": one ratio.
            let c = &mut cands[k];
            c.number /= next.number;
            c.exact = None;
            c.text = format!("{}/{}", c.text, next.text);
            c.end = next.end;
            c.unit = Some(Unit {
                unit: "times",
                qualifier: None,
                counted: None,
            });
            absorbed[k + 1] = true;
            continue;
        }
        let c = &mut cands[k];
        let same = match (&c.unit, &next.unit) {
            (None, _) => true,
            (Some(a), Some(b)) => a.unit == b.unit,
            _ => false,
        };
        if same {
            if c.unit.is_none() {
                c.unit = next.unit.clone();
            }
            if c.scale.is_none() {
                c.scale = next.scale;
            }
        }
    }
    if absorbed.iter().any(|&a| a) {
        let mut keep = absorbed.iter().map(|a| !a);
        cands.retain(|_| keep.next().unwrap_or(true));
    }
    // A bare number takes the unit of the quantity before it in its sentence.
    let sent_of = |tok: usize| -> usize {
        let off = p.range.start + toks[tok].range.start;
        doc.sentences
            .partition_point(|s| s.range.start <= off)
            .saturating_sub(1)
    };
    // The money unit of the nearest earlier candidate that has one (kept as the loop goes,
    // so the look-back is constant time).
    let mut last_money: Option<Unit> = None;
    let money_of = |c: &Cand| {
        c.unit
            .as_ref()
            .filter(|u| matches!(u.unit, "RUB" | "USD"))
            .cloned()
    };
    for k in 0..cands.len() {
        if cands[k].unit.is_some() {
            if let Some(m) = money_of(&cands[k]) {
                last_money = Some(m);
            }
            continue;
        }
        let sk = sent_of(cands[k].start);
        // Not in a run of numbers (a table row), not after a name ("Nhà máy số 1").
        let (a, b) = (cands[k].start, cands[k].end);
        // Nor joined by a dash or a slash to another number ("15-4", "3/4"): a date, a
        // score or a ratio, not a repeated amount.
        let dash_num = |k: usize, n: usize| {
            toks.get(k)
                .is_some_and(|t| t.kind == Kind::Sym && matches!(t.lower.as_str(), "-" | "–" | "/"))
                && toks.get(n).is_some_and(|t| t.kind == Kind::Num)
        };
        let in_run = (a > 0 && toks[a - 1].kind == Kind::Num)
            || toks.get(b).is_some_and(|t| t.kind == Kind::Num)
            || (a > 0 && toks[a - 1].cap)
            || dash_num(b, b + 1)
            || (a >= 2 && dash_num(a - 1, a - 2));
        if in_run {
            continue;
        }
        // With a scale word ("90 triệu"), the nearest scaled quantity; else the nearest;
        // close by, in its sentence, of a unit that a bare number can repeat.
        let scaled = cands[k].scale.is_some();
        let same_sentence = |j: usize| {
            cands[j]
                .unit
                .as_ref()
                .is_some_and(|u| !matches!(u.unit, "year" | "times" | "percent"))
                && sent_of(cands[j].start) == sk
                && a - cands[j].end <= 30
        };
        // A scaled number ("2 billion") repeats only a scaled quantity: "30,000 students …
        // 2 billion" is not two billion students.
        // Candidates are ordered and disjoint: those more than 30 tokens back can stop
        // the look-back.
        let near = || (0..k).rev().take_while(|&j| a - cands[j].end <= 30);
        let prev = near()
            .find(|&j| same_sentence(j) && (!scaled || cands[j].scale.is_some()))
            .or_else(|| near().find(|&j| same_sentence(j) && !scaled));
        if let Some(j) = prev {
            let (u, s) = (cands[j].unit.clone(), cands[j].scale);
            let c = &mut cands[k];
            c.unit = u;
            if c.scale.is_none() {
                c.scale = s;
            }
        } else if cands[k].scale.is_some() {
            cands[k].unit = Some(last_money.clone().unwrap_or(Unit {
                unit: "other",
                qualifier: None,
                counted: None,
            }));
        }
        if let Some(m) = money_of(&cands[k]) {
            last_money = Some(m);
        }
    }
    let base = p.range.start;
    let measures = context::MeasureEnds::new(para.d, toks);
    // The years of the sentence, found once per sentence (not once per quantity).
    let mut years: Option<(Range<usize>, context::Years)> = None;
    for c in cands {
        let Some(unit) = c.unit.clone() else { continue };
        let range = base + toks[c.start].range.start..base + toks[c.end - 1].range.end;
        let si = sent_of(c.start);
        let (sent_range, sent_tok_start, sent_tok_end) = match doc.sentences.get(si) {
            Some(s) if s.paragraph == pi => {
                let a = toks.partition_point(|t| base + t.range.start < s.range.start);
                let b = toks.partition_point(|t| base + t.range.start < s.range.end);
                (s.range.clone(), a, b)
            }
            _ => (p.range.clone(), 0, toks.len()),
        };
        let measure = match (&unit.counted, unit.unit) {
            (Some(thing), "count" | "person") => Some(thing.clone()),
            _ => measures
                .measure(
                    para.d,
                    toks,
                    sent_tok_start,
                    c.start,
                    c.end,
                    sent_tok_end,
                    !matches!(unit.unit, "percent" | "times"),
                )
                .or_else(|| is_duration(&unit).then(|| "duration".to_string())),
        };
        if years.as_ref().is_none_or(|(r, _)| *r != sent_range) {
            let sent = &doc.text.as_str()[sent_range.clone()];
            years = Some((sent_range.clone(), context::Years::new(sent)));
        }
        let period = years.as_ref().and_then(|(_, y)| {
            y.nearest(
                range.start.saturating_sub(sent_range.start)
                    ..range.end.saturating_sub(sent_range.start),
            )
        });
        out.push(Quantity {
            range,
            number: c.number,
            number_text: c.text.clone(),
            scale: c.scale.unwrap_or(1.0),
            value: c.value(),
            unit: unit.unit,
            unit_qualifier: unit.qualifier.clone(),
            counted: unit.counted.clone(),
            measure,
            approx: c.approx.clone(),
            decimal_ambiguous: c.ambiguous,
            lang: para.lang,
            period,
            sentence: doc
                .sentences
                .get(si)
                .filter(|s| s.paragraph == pi)
                .map(|_| si),
        });
    }
}

impl Quantity {
    /// The fact's body.
    pub fn body(&self) -> crate::fact::Quantity {
        crate::fact::Quantity {
            number: self.number,
            number_text: self.number_text.clone(),
            scale: self.scale,
            value: self.value,
            unit: self.unit.to_string(),
            unit_qualifier: self.unit_qualifier.clone(),
            counted: self.counted.clone(),
            measure: self.measure.clone(),
            approx: self.approx.clone(),
            decimal_ambiguous: self.decimal_ambiguous,
            lang: self.lang,
            period: self.period.clone(),
        }
    }
}

impl Extractor for QuantityExtractor {
    fn name(&self) -> &'static str {
        "quantity"
    }

    /// Alone, it runs what the standard pipeline runs before it (the dates: a date is never
    /// an amount).
    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        let earlier = super::Pipeline::standard().facts_before(doc, self.name());
        self.extract_after(doc, &earlier, out);
    }

    /// The period is the timex of the sentence nearest to the quantity in its clause (one
    /// before it wins a tie), else the nearest before it, else after it, when the time
    /// extractor ran first; else the sentence's nearest year. A timex
    /// that a comparison introduces ("so với năm 1980", "compared with 1980") is the
    /// baseline, not the period.
    fn extract_after(&self, doc: &Document, earlier: &[Fact], out: &mut Vec<Fact>) {
        let mut timexes: Vec<&Fact> = earlier
            .iter()
            .filter(|f| {
                matches!(&f.body, FactBody::Timex(t)
                    if !matches!(t.ty.as_str(), "duration" | "citation")
                        && t.value_start.is_some())
            })
            .collect();
        timexes.sort_by_key(|t| (t.evidence.start, t.evidence.end));
        // Every timex (citation years and times of day too, not durations) covers numbers
        // that are no amounts.
        let mut spans: Vec<Range<usize>> = earlier
            .iter()
            .filter(|f| matches!(f.body, FactBody::Timex(_)))
            .map(|f| f.evidence.start..f.evidence.end)
            .collect();
        spans.sort_by_key(|r| (r.start, r.end));
        // Keep them disjoint (the time extractor's are; a nested one adds nothing).
        spans.dedup_by(|b, a| {
            if b.start < a.end {
                a.end = a.end.max(b.end);
                true
            } else {
                false
            }
        });
        // The timexes of the sentence being read, prepared once per sentence.
        let mut current: Option<(usize, SentenceTimexes)> = None;
        for q in find_all(doc, &spans) {
            let evidence = doc.span_of(q.range.clone());
            let mut body = q.body();
            if let Some((si, s)) = q.sentence.and_then(|i| Some((i, doc.sentences.get(i)?))) {
                if current.as_ref().is_none_or(|(i, _)| *i != si) {
                    current = Some((si, SentenceTimexes::new(doc, s, &timexes)));
                }
                let st = &current.as_ref().expect("just set").1;
                if let Some((t, x)) = st
                    .best(evidence.start..evidence.end)
                    .and_then(|t| Some((t, t.body.timex()?)))
                {
                    body.period = Some(crate::fact::Period {
                        value_start: x.value_start,
                        value_end: x.value_end,
                        timex: Some(crate::fact::At {
                            start: t.evidence.start,
                            end: t.evidence.end,
                        }),
                    });
                }
            }
            out.push(Fact {
                evidence,
                body: FactBody::Quantity(body),
            });
        }
    }
}

/// The timexes of one sentence that can be a quantity's period (not a comparison's
/// baseline), with the sentence's commas: built once per sentence, so choosing the period of
/// each quantity is logarithmic, not a scan of every timex with the sentence text decoded
/// again for each pair (which was quadratic in a long sentence).
struct SentenceTimexes<'a> {
    /// Ordered by start (then end); all inside the sentence.
    by_start: Vec<&'a Fact>,
    /// The same, ordered by end (then start).
    by_end: Vec<&'a Fact>,
    /// The sentence's commas and semicolons: source range, and whether whitespace follows.
    commas: Vec<(Range<usize>, bool)>,
}

/// How far before a timex its comparison marker is looked for, in source bytes (even, so a
/// UTF-16 window stays on code unit boundaries).
const MARKER_WINDOW: usize = 256;

impl<'a> SentenceTimexes<'a> {
    fn new(doc: &Document, s: &crate::document::Sentence, all: &[&'a Fact]) -> Self {
        let sent = s.src.clone();
        let from = all.partition_point(|t| t.evidence.start < sent.start);
        let to = all.partition_point(|t| t.evidence.start < sent.end);
        let by_start: Vec<&Fact> = all[from..to]
            .iter()
            .copied()
            .filter(|t| {
                let e = &t.evidence;
                let window = e.start.saturating_sub(MARKER_WINDOW).max(sent.start)..e.start;
                e.end <= sent.end && !data::introduces_comparison(&doc.source.text_of(window))
            })
            .collect();
        let mut by_end = by_start.clone();
        by_end.sort_by_key(|t| (t.evidence.end, t.evidence.start));
        let clean = doc.sentence_text(s);
        let commas = clean
            .char_indices()
            .filter(|&(_, c)| c == ',' || c == ';')
            .map(|(i, _)| {
                let at = s.range.start + i;
                let ws = clean[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace);
                (doc.text.source_range(at..at + 1), ws)
            })
            .collect();
        SentenceTimexes {
            by_start,
            by_end,
            commas,
        }
    }

    /// Whether the source text `gap` crosses a clause boundary: a
    /// comma or semicolon in it followed by whitespace, or ending it (not the thousands comma
    /// of "1,022").
    fn crosses(&self, gap: Range<usize>) -> bool {
        let i = self.commas.partition_point(|(r, _)| r.start < gap.start);
        self.commas[i..]
            .iter()
            .take_while(|(r, _)| r.end <= gap.end)
            .any(|(r, ws)| *ws || r.end == gap.end)
    }

    /// The period of the quantity at `q`: the nearest timex in its clause (the one before
    /// wins a tie), else the nearest before it, else the nearest after it. Only the nearest
    /// timex on each side can win: a farther one on the same side has a longer gap, which
    /// crosses every break the nearer one's does.
    fn best(&self, q: Range<usize>) -> Option<&'a Fact> {
        // Before: the one ending last at or before the quantity (the earliest of those
        // ending there). After: the first starting at or after its end.
        let n = self.by_end.partition_point(|t| t.evidence.end <= q.start);
        let before = n.checked_sub(1).map(|i| {
            let end = self.by_end[i].evidence.end;
            self.by_end[self.by_end[..=i].partition_point(|t| t.evidence.end < end)]
        });
        let after = self
            .by_start
            .get(self.by_start.partition_point(|t| t.evidence.start < q.end))
            .copied();
        let key = |t: &Fact, after: bool| {
            let e = &t.evidence;
            let gap = if after {
                q.end..e.start
            } else {
                e.end..q.start
            };
            let len = gap.end - gap.start;
            match (self.crosses(gap), after) {
                (false, _) => (0, 2 * len + after as usize),
                (true, false) => (1, len),
                (true, true) => (2, len),
            }
        };
        match (before, after) {
            (Some(b), Some(a)) => Some(if key(a, true) < key(b, false) { a } else { b }),
            (b, a) => b.or(a),
        }
    }
}
