//! The engine: applies every language's rules to a paragraph, checks each match against its
//! context (counts, page references, id-like numbers), keeps the longest non-overlapping
//! matches, joins "from A to B" into intervals, and adds modifiers and approximation marks.

use super::data::{self, NumericOrder, RelUnit, Rule, RuleKind, TimeLang};
use super::value::{Point, roman, weekday};
use crate::text::lang::Lang;
use regex::Captures;
use std::ops::Range;

/// The kind of a temporal expression, as exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Date,
    Interval,
    Decade,
    Century,
    Season,
    Duration,
    Relative,
    Citation,
    Vague,
    /// A time of day ("14:29 GMT", "1 giờ 33 phút"): exported as `vague` with its clock.
    Clock,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::Interval => "interval",
            Kind::Decade => "decade",
            Kind::Century => "century",
            Kind::Season => "season",
            Kind::Duration => "duration",
            Kind::Relative => "relative",
            Kind::Citation => "citation",
            Kind::Vague | Kind::Clock => "vague",
        }
    }
}

/// One temporal expression found in the clean text.
#[derive(Debug, Clone)]
pub struct Timex {
    /// Byte range in the paragraph text (made absolute by the caller).
    pub range: Range<usize>,
    pub kind: Kind,
    pub start: Point,
    pub end: Point,
    /// early / mid / late.
    pub modifier: Option<&'static str>,
    pub approx: bool,
    /// spring / summer / autumn / winter.
    pub season: Option<&'static str>,
    /// ISO 8601 duration ("P5Y").
    pub duration: Option<String>,
    /// What a relative expression counts from its anchor, and whether that anchor is the
    /// document's reference date (deictic: "yesterday", "last year") or the narrative's
    /// last date (anaphoric: "the following year").
    pub rel: Option<Rel>,
    /// A time of day, "HH:MM[:SS]".
    pub clock: Option<String>,
    /// Where an underspecified year came from: clean range of the anchor and its value.
    pub year_from: Option<(Range<usize>, String)>,
    /// An all-numeric date whose day/month order nothing decided.
    pub ambiguous: bool,
    /// A decade whose century was not written ("the 80s").
    pub century_assumed: bool,
    /// The kind before it was marked a citation.
    pub was: Kind,
    /// Found by a rule that dates a whole document (a cable's date-time group).
    pub dateline: bool,
    /// The document's reference date ([`super::resolve::reference`]): what its deictic
    /// expressions count from.
    pub reference: bool,
    rank: (bool, usize),
}

fn season_of(s: &str) -> Option<&'static str> {
    match s {
        "spring" => Some("spring"),
        "summer" => Some("summer"),
        "autumn" => Some("autumn"),
        "winter" => Some("winter"),
        _ => None,
    }
}

fn modifier_of(s: &str) -> Option<&'static str> {
    match s {
        "early" => Some("early"),
        "mid" => Some("mid"),
        "late" => Some("late"),
        _ => None,
    }
}

/// The text before `pos`, at most about `n` bytes, cut on a char boundary.
pub fn tail(text: &str, pos: usize, n: usize) -> &str {
    let mut k = pos.saturating_sub(n);
    while !text.is_char_boundary(k) {
        k += 1;
    }
    &text[k..pos]
}

/// The text after `pos`, at most about `n` bytes, cut on a char boundary.
pub fn head(text: &str, pos: usize, n: usize) -> &str {
    let mut k = (pos + n).min(text.len());
    while !text.is_char_boundary(k) {
        k -= 1;
    }
    &text[pos..k]
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

fn num(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// A relative expression: so many units from its anchor, or a weekday or a named month
/// near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rel {
    pub unit: RelTo,
    pub offset: i32,
    pub deictic: bool,
}

/// What a relative expression is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelTo {
    Unit(RelUnit),
    /// The nearest such weekday (ISO number) to the anchor ("on Monday", "в субботу").
    Weekday(u8),
    /// A month before (-1), of (0) or after (+1) the anchor's ("last October").
    Month(u8),
    /// Only the year is relative: "11 ноября текущего года", "ngày 5/9 năm nay".
    YearOf,
}

/// Per-document context the rules need.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocCtx {
    /// Order decided from unambiguous all-numeric dates in the document, if any.
    pub numeric: Option<NumericOrder>,
}

fn month_of(tl: &TimeLang, s: &str) -> Option<u8> {
    if let Some(n) = num(s) {
        return u8::try_from(n).ok().filter(|m| (1..=12).contains(m));
    }
    let s = data::canonical(tl, s);
    let k: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    // The rule's pattern decided whether case matters; any case is found here.
    tl.months
        .get(&k)
        .or_else(|| tl.months.get(k.trim_end_matches('.')))
        .or_else(|| tl.months_folded.get(&k.to_lowercase()))
        .or_else(|| {
            tl.months_folded
                .get(k.trim_end_matches('.').to_lowercase().as_str())
        })
        .copied()
}

fn weekday_of(tl: &TimeLang, s: &str) -> Option<u8> {
    let k = data::spaced_key(&data::canonical(tl, s));
    tl.weekdays
        .get(&k)
        .or_else(|| tl.weekdays.get(k.trim_end_matches('.')))
        .copied()
}

/// A number written in words in `lang` (the whole of `s`): its value and whether it is an
/// ordinal.
pub fn words_value(lang: Lang, s: &str) -> Option<(u32, bool)> {
    let toks = crate::extract::quantity::token::tokenize(s, false);
    let n = crate::extract::quantity::data::data(lang)
        .numerals
        .parse(&toks, 0)?;
    if n.len != toks.len() || n.fraction || n.value.fract() != 0.0 || n.value < 0.0 {
        return None;
    }
    Some((n.value as u32, n.ordinal))
}

/// A day of the month in digits or words ("5", "пятого", "twenty-first").
fn day_of(tl: &TimeLang, c: &Captures) -> Option<u32> {
    if let Some(d) = g(c, "d") {
        return num(d);
    }
    let (v, _) = words_value(tl.lang, g(c, "dw")?)?;
    (1..=31).contains(&v).then_some(v)
}

/// The year of a match: four digits, two digits (the century assumed), or a year of an era
/// ("208 TCN" is -207 in ISO 8601's astronomical numbering: 1 BC is year 0).
fn year_in(tl: &TimeLang, c: &Captures) -> Option<(i32, bool)> {
    let bc = g(c, "era").and_then(|e| tl.eras.get(e.trim())).copied();
    let (y, assumed) = if let Some(y) = g(c, "y").or(g(c, "ya")).and_then(year_of) {
        (y, false)
    } else {
        // Two digits: 30-99 are 1930-1999, 00-29 are 2000-2029.
        let y2 = year_of(g(c, "yy")?)?;
        (if y2 >= 30 { 1900 + y2 } else { 2000 + y2 }, true)
    };
    Some((if bc == Some(true) { 1 - y } else { y }, assumed))
}

fn year_of(s: &str) -> Option<i32> {
    s.parse().ok()
}

fn g<'a>(c: &'a Captures, name: &str) -> Option<&'a str> {
    c.name(name).map(|m| m.as_str())
}

fn century_of(tl: &TimeLang, s: &str) -> Option<u32> {
    num(s)
        .or_else(|| roman(s))
        .or_else(|| words_value(tl.lang, s).map(|(v, _)| v))
        .filter(|c| (1..=21).contains(c))
}

fn mod_range(lo: i32, span: i32, m: Option<&'static str>) -> (i32, i32) {
    // Decades: early = 0-3, mid = 4-6, late = 6-9 (GOLD_SPEC); centuries by thirds.
    match (m, span) {
        (Some("early"), 10) => (lo, lo + 3),
        (Some("mid"), 10) => (lo + 4, lo + 6),
        (Some("late"), 10) => (lo + 6, lo + 9),
        (Some("early"), _) => (lo, lo + span / 3 - 1),
        (Some("mid"), _) => (lo + span / 3, lo + 2 * span / 3 - 1),
        (Some("late"), _) => (lo + 2 * span / 3, lo + span - 1),
        _ => (lo, lo + span - 1),
    }
}

fn new_timex(range: Range<usize>, kind: Kind, start: Point, end: Point) -> Timex {
    Timex {
        range,
        kind,
        start,
        end,
        modifier: None,
        approx: false,
        season: None,
        duration: None,
        rel: None,
        clock: None,
        year_from: None,
        ambiguous: false,
        century_assumed: false,
        was: kind,
        dateline: false,
        reference: false,
        rank: (false, 0),
    }
}

/// A date with a year; `None` when the values make no sense.
fn date(
    c: &Captures,
    tl: &TimeLang,
    plang: Lang,
    ctx: DocCtx,
    range: Range<usize>,
) -> Option<Timex> {
    let year = year_in(tl, c);
    let y = year.map(|(y, _)| y);
    let (mut d, mut m) = (day_of(tl, c), g(c, "m").and_then(|s| month_of(tl, s)));
    if (g(c, "d").is_some() || g(c, "dw").is_some()) && d.is_none() {
        return None;
    }
    let mut ambiguous = false;
    if let (Some(n1), Some(n2)) = (g(c, "n1").and_then(num), g(c, "n2").and_then(num)) {
        let order = match data::of(plang).numeric_order {
            NumericOrder::Context => ctx.numeric,
            o => Some(o),
        };
        let (dd, mm) = if n1 > 12 {
            (n1, n2)
        } else if n2 > 12 {
            (n2, n1)
        } else {
            match order {
                Some(NumericOrder::Dmy) => (n1, n2),
                Some(NumericOrder::Mdy) => (n2, n1),
                _ => {
                    ambiguous = n1 != n2;
                    (n2, n1)
                }
            }
        };
        d = Some(dd);
        m = u8::try_from(mm).ok();
    }
    if g(c, "m").is_some() && m.is_none() || g(c, "n1").is_some() && m.is_none() {
        return None;
    }
    let p = Point {
        y,
        m,
        d: d.and_then(|d| u8::try_from(d).ok()),
    };
    if p.is_empty() || !p.valid() {
        return None;
    }
    // A weekday written with a full date must be its weekday ("Thursday, 2 May 2002").
    if let (Some(wd), Some(yy), Some(mm), Some(dd)) =
        (g(c, "wd").and_then(|w| weekday_of(tl, w)), p.y, p.m, p.d)
        && weekday(yy, mm, dd) != Some(wd)
    {
        return None;
    }
    let mut t = new_timex(range, Kind::Date, p, p);
    t.ambiguous = ambiguous;
    t.century_assumed = year.is_some_and(|(_, a)| a);
    // "11 ноября текущего года": the year is the reference's.
    if p.y.is_none()
        && let Some((RelUnit::Year, off)) = g(c, "ydei").and_then(|w| {
            tl.deictic
                .get(&data::spaced_key(&data::canonical(tl, w)))
                .copied()
        })
    {
        t.rel = Some(Rel {
            unit: RelTo::YearOf,
            offset: off,
            deictic: true,
        });
    }
    Some(t)
}

/// The two ends of an interval written as one phrase; `None` when they make no sense.
fn interval(c: &Captures, tl: &TimeLang, range: Range<usize>) -> Option<Timex> {
    let y1 = g(c, "y").and_then(year_of);
    let mut y2 = g(c, "y2").and_then(|s| {
        let v = year_of(s)?;
        if s.len() == 2 {
            let base = y1? / 100 * 100;
            Some(base + v)
        } else {
            Some(v)
        }
    });
    if y2.is_none() {
        y2 = y1;
    }
    let (d1, d2) = (
        g(c, "d").and_then(num).and_then(|d| u8::try_from(d).ok()),
        g(c, "d2").and_then(num).and_then(|d| u8::try_from(d).ok()),
    );
    let m1 = g(c, "m").and_then(|s| month_of(tl, s));
    let m2 = g(c, "m2").and_then(|s| month_of(tl, s));
    if g(c, "m").is_some() && m1.is_none() || g(c, "m2").is_some() && m2.is_none() {
        return None;
    }
    // A bare range of days shares its month and year ("May 20-23", "ngày 10-14/9").
    let s = Point {
        y: y1.or(y2),
        m: m1.or(if d1.is_some() { m2 } else { None }),
        d: d1,
    };
    let e = Point {
        y: y2.or(y1),
        m: m2.or(if d2.is_some() { m1 } else { None }),
        d: d2,
    };
    if !s.valid() || !e.valid() || s == e {
        return None;
    }
    let ordered = match s.le(&e) {
        Some(o) => o,
        // No year: the month and day order them.
        None => (s.m, s.d) <= (e.m, e.d),
    };
    if !ordered {
        return None;
    }
    if d1.is_none() && s.m.is_none() && e.y.zip(s.y).is_some_and(|(b, a)| b - a > 200) {
        return None;
    }
    Some(new_timex(range, Kind::Interval, s, e))
}

/// A quarter, a half or the first or last months of a year: "the first quarter of 2004", "quý
/// I/2004", "первой половине 1988 года", "5 tháng đầu năm 2004", "за пять месяцев 2004 года".
fn part(c: &Captures, tl: &TimeLang, range: Range<usize>) -> Option<Timex> {
    let y = year_in(tl, c)?.0;
    let ordinal = |s: &str| {
        num(s)
            .or_else(|| roman(s))
            .or_else(|| words_value(tl.lang, s).map(|(v, _)| v))
    };
    let half = |s: &str| {
        tl.halves
            .get(&data::spaced_key(s))
            .map(|&h| u32::from(h))
            .or_else(|| ordinal(s))
    };
    let months = |s: &str| {
        ordinal(s)
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| (1..12).contains(n))
    };
    let (a, b) = if let Some(n) = g(c, "months").and_then(months) {
        // "the first five months of 2019".
        (1, n)
    } else if let Some(n) = g(c, "months_last").and_then(months) {
        (13 - n, 12)
    } else if let Some(q) = g(c, "q").or(g(c, "q2")).and_then(ordinal) {
        let q = u8::try_from(q).ok().filter(|q| (1..=4).contains(q))?;
        (3 * q - 2, 3 * q)
    } else {
        let h = g(c, "half").and_then(half)?;
        match h {
            1 => (1, 6),
            2 => (7, 12),
            _ => return None,
        }
    };
    Some(new_timex(
        range,
        Kind::Interval,
        Point::ym(y, a),
        Point::ym(y, b),
    ))
}

/// A relative expression: anaphoric ("the following year"), deictic ("yesterday", "в
/// прошлом году", "3 years ago"), a weekday ("on Monday"), a named month ("last October").
fn relative(c: &Captures, tl: &TimeLang, text: &str, start: usize) -> Option<Rel> {
    let key = |name: &str| g(c, name).map(|w| data::spaced_key(&data::canonical(tl, w)));
    if let Some(k) = key("rel") {
        let off = *tl.relative.get(&k)?;
        if let Some(tr) = &tl.relative_trigger
            && !tr.is_match(tail(text, start, 48))
        {
            return None;
        }
        return Some(Rel {
            unit: RelTo::Unit(RelUnit::Year),
            offset: off,
            deictic: false,
        });
    }
    if let Some(k) = key("ana") {
        let (u, off) = *tl.anaphoric.get(&k)?;
        return Some(Rel {
            unit: RelTo::Unit(u),
            offset: off,
            deictic: false,
        });
    }
    let deictic = |unit, offset| {
        Some(Rel {
            unit,
            offset,
            deictic: true,
        })
    };
    if let Some(k) = key("dei") {
        let (u, off) = *tl.deictic.get(&k)?;
        return deictic(RelTo::Unit(u), off);
    }
    if let Some(k) = key("unit") {
        // "3 years ago", "год назад", "hai năm trước".
        let u = *tl.units.get(&k)?;
        let n = match g(c, "num") {
            Some(n) => num(n).or_else(|| words_value(tl.lang, n).map(|(v, _)| v))?,
            None => 1,
        };
        let n = i32::try_from(n).ok().filter(|n| *n <= 1000)?;
        return deictic(RelTo::Unit(u), -n);
    }
    // "this weekend", "last Monday", "on Monday", "last October".
    let dir = match key("dir") {
        Some(k) => *tl.directions.get(&k)?,
        None => 0,
    };
    if g(c, "weekend").is_some() {
        return deictic(RelTo::Unit(RelUnit::Weekend), dir);
    }
    if let Some(w) = g(c, "wd") {
        return deictic(RelTo::Weekday(weekday_of(tl, w)?), dir);
    }
    let m = month_of(tl, g(c, "m")?)?;
    key("dir")?;
    deictic(RelTo::Month(m), dir)
}

/// Builds the expression a rule matched, or `None` when the values make no sense.
fn build(
    rule: &Rule,
    tl: &TimeLang,
    c: &Captures,
    text: &str,
    plang: Lang,
    ctx: DocCtx,
) -> Option<Timex> {
    let whole = c.get(0)?;
    let span = c.name("span").unwrap_or(whole);
    let range = span.start()..span.end();
    let modifier = g(c, "mod").and_then(|m| tl.modifiers.get(&data::spaced_key(m)).copied_str());
    let t = match rule.kind {
        RuleKind::Date => date(c, tl, plang, ctx, range)?,
        RuleKind::Interval => interval(c, tl, range)?,
        RuleKind::Part => part(c, tl, range)?,
        RuleKind::Decade => {
            let dec = g(c, "dec").or(g(c, "dec2"))?;
            let v = num(dec)? as i32;
            let cent = g(c, "cent").and_then(|s| century_of(tl, s));
            let (lo, assumed) = if dec.len() == 4 {
                (v, false)
            } else if let Some(cn) = cent {
                ((cn as i32 - 1) * 100 + v, false)
            } else {
                (1900 + v, true)
            };
            let (a, b) = mod_range(lo, 10, modifier);
            let mut t = new_timex(range, Kind::Decade, Point::year(a), Point::year(b));
            t.modifier = modifier;
            t.century_assumed = assumed;
            t
        }
        RuleKind::Century => {
            let cn = century_of(tl, g(c, "cent")?)? as i32;
            let bc = g(c, "era").and_then(|e| tl.eras.get(e.trim())).copied() == Some(true);
            // The 3rd century BC is 300-201 BC: -299..-200 in astronomical years.
            let lo = if bc {
                -(cn * 100) + 1
            } else {
                (cn - 1) * 100 + 1
            };
            let kind = if modifier.is_some() {
                Kind::Vague
            } else {
                Kind::Century
            };
            let (a, b) = mod_range(lo, 100, modifier);
            let mut t = new_timex(range, kind, Point::year(a), Point::year(b));
            t.modifier = modifier;
            t
        }
        RuleKind::Season => {
            let y = year_in(tl, c)?.0;
            let season = tl
                .seasons
                .get(&data::spaced_key(g(c, "season")?))
                .and_then(|s| season_of(s))?;
            let (s, e) = match season {
                "spring" => (Point::ym(y, 3), Point::ym(y, 5)),
                "summer" => (Point::ym(y, 6), Point::ym(y, 8)),
                "autumn" => (Point::ym(y, 9), Point::ym(y, 11)),
                _ => (Point::ym(y, 12), Point::ym(y + 1, 2)),
            };
            let mut t = new_timex(range, Kind::Season, s, e);
            t.season = Some(season);
            t
        }
        RuleKind::Relative => {
            let rel = relative(c, tl, text, whole.start())?;
            let mut t = new_timex(range, Kind::Relative, Point::default(), Point::default());
            t.rel = Some(rel);
            t
        }
        RuleKind::Clock => {
            let h = num(g(c, "h")?)?;
            let mi = g(c, "mi").map_or(Some(0), num)?;
            let sec = g(c, "s").map(num);
            if h > 24 || mi > 59 || sec.flatten().is_some_and(|s| s > 60) {
                return None;
            }
            let mut t = new_timex(range, Kind::Clock, Point::default(), Point::default());
            t.clock = Some(match sec.flatten() {
                Some(s) => format!("{h:02}:{mi:02}:{s:02}"),
                None => format!("{h:02}:{mi:02}"),
            });
            t
        }
        RuleKind::Duration => {
            let n = g(c, "num")?;
            let v = num(n).or_else(|| words_value(tl.lang, n).map(|(v, _)| v))?;
            // A unit may be a multiple of an ISO unit: "10Y" is a decade.
            let unit = rule.unit.as_deref().unwrap_or("Y");
            let letter = unit.trim_start_matches(|c: char| c.is_ascii_digit());
            let times: u64 = unit[..unit.len() - letter.len()].parse().unwrap_or(1);
            let mut t = new_timex(range, Kind::Duration, Point::default(), Point::default());
            t.duration = Some(format!("P{}{letter}", u64::from(v) * times));
            t
        }
    };
    let mut t = t;
    if t.modifier.is_none() {
        t.modifier = modifier;
    }
    t.rank = (rule.lang == plang, rule.order);
    t.dateline = rule.dateline;
    Some(t)
}

trait CopiedStr {
    fn copied_str(self) -> Option<&'static str>;
}

impl CopiedStr for Option<&String> {
    fn copied_str(self) -> Option<&'static str> {
        self.and_then(|s| modifier_of(s))
    }
}

/// Whether a number-led or number-ended match is really a count, a page, an id or a
/// measure rather than a time.
fn rejected_by_context(t: &Timex, text: &str, whole: Range<usize>) -> bool {
    let m = &text[whole.clone()];
    let before = tail(text, whole.start, 64);
    let after = head(text, whole.end, 48);
    let starts_digit = m.starts_with(|c: char| c.is_ascii_digit());
    let ends_digit = m.ends_with(|c: char| c.is_ascii_digit());
    let mut prev = before.chars().rev();
    let p1 = prev.next();
    let p2 = prev.next();
    let mut next = after.chars();
    let n1 = next.next();
    let n2 = next.next();
    if starts_digit {
        if matches!(
            p1,
            Some('$' | '€' | '£' | '¥' | '#' | '№' | '+' | '/' | '\\')
        ) || p1.is_some_and(|c| c.is_ascii_digit())
        {
            return true;
        }
        if matches!(p1, Some('.' | ',' | ':' | '-' | '–')) && p2.is_some_and(|c| c.is_ascii_digit())
        {
            return true;
        }
        // After a page or issue marker a number is a page ("pp. 12, 27"), unless it opens a
        // whole calendar date: no page reference is written as day, month and year ("№53,
        // 27 марта 2002" is a newspaper's issue and date line).
        let whole_date = t.kind == Kind::Date
            && t.start.y.is_some()
            && t.start.m.is_some()
            && t.start.d.is_some();
        if !whole_date && data::all().iter().any(|tl| tl.page_before.is_match(before)) {
            return true;
        }
        // Phone- and id-like: a number group right before a year ("024 1990").
        if t.kind == Kind::Date
            && t.start.m.is_none()
            && p1 == Some(' ')
            && p2.is_some_and(|c| c.is_ascii_digit())
        {
            return true;
        }
    }
    if ends_digit {
        if matches!(n1, Some('%' | '‰')) || n1.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        if matches!(n1, Some('.' | ',')) && n2.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        if matches!(n1, Some('/' | '-' | '–')) && n2.is_some_and(|c| c.is_alphanumeric()) {
            return true;
        }
        if n1 == Some(' ') && n2.is_some_and(|c| c.is_ascii_digit()) && {
            let rest = &after[1..];
            rest.chars().take_while(|c| c.is_ascii_digit()).count() >= 3
        } {
            return true;
        }
        if data::all().iter().any(|tl| tl.count_after.is_match(after)) {
            return true;
        }
    }
    if t.kind == Kind::Decade {
        let a = after.trim_start();
        if a.starts_with(['-', '–']) {
            let r = a.trim_start_matches(['-', '–']).trim_start();
            if r.starts_with(|c: char| c.is_ascii_digit()) {
                return true;
            }
        }
    }
    false
}

/// Whether the rules of `lang` are run on `text`: on a paragraph of that language, or on text
/// holding letters only that language writes (Cyrillic for Russian, Vietnamese letters for
/// Vietnamese; the rules of a language without letters of its own, English, always run). The common numeric forms are in every language's rules, so an English
/// paragraph still gets its years and ranges; what it loses is the day-first dotted form
/// ("11.5.2025") that only the Vietnamese and Russian rules read.
fn applicable(lang: Lang, text: &str, plang: Lang) -> bool {
    lang == plang || lang.data().own_letters.is_empty() || lang.writes(text)
}

/// How far from a digit a rule that needs one is looked for, in bytes: more than any time
/// expression spans on one side of its digits.
const NEAR_DIGIT: usize = 64;

/// The stretches of `text` within [`NEAR_DIGIT`] bytes of a digit, widened to whitespace so
/// that no word is cut, merged where they meet.
fn digit_windows(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(u8::is_ascii_digit) {
        let d = i + k;
        let mut e = d;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        let w = data::near(text, d, e, NEAR_DIGIT);
        match out.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
        i = e;
    }
    out
}

/// Where [`find_with`] runs a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// Only near what every match of the rule holds: a digit, one of its literals.
    Narrowed,
    /// Over the whole paragraph: the reference that `Narrowed` must equal.
    Everywhere,
}

/// Finds the temporal expressions of one paragraph (ranges relative to `text`).
pub fn find(text: &str, plang: Lang, ctx: DocCtx) -> Vec<Timex> {
    find_with(text, plang, ctx, Scan::Narrowed)
}

/// [`find`], with the rules run where `scan` says: the same expressions either way.
pub fn find_with(text: &str, plang: Lang, ctx: DocCtx, scan: Scan) -> Vec<Timex> {
    let mut cands: Vec<Timex> = Vec::new();
    // A rule whose every match holds a digit runs only near digits: most prose has none.
    let windows = digit_windows(text);
    let whole = 0..text.len();
    let whole_text = std::slice::from_ref(&whole);
    for tl in data::all() {
        if !applicable(tl.lang, text, plang) {
            continue;
        }
        // Only where the rules can match in this paragraph (see `data::Triggers`).
        let near_literals = (scan == Scan::Narrowed).then(|| tl.triggers.windows(text));
        for (i, rule) in tl.rules.iter().enumerate() {
            let near = near_literals.as_ref().and_then(|w| w.of(i));
            let both;
            let spans: &[Range<usize>] = match (rule.needs_digit && scan == Scan::Narrowed, near) {
                (_, Some([])) => continue,
                (true, Some(near)) => {
                    both = data::intersect(&windows, near);
                    &both
                }
                (true, None) => &windows,
                (false, Some(near)) => near,
                (false, None) => whole_text,
            };
            for w in spans {
                // A window ends at whitespace, so a match in it is a match in the text.
                let hay = &text[..w.end];
                let mut at = w.start;
                while at <= hay.len() {
                    let Some(c) = rule.re.captures_at(hay, at) else {
                        break;
                    };
                    let Some(whole) = c.get(0) else { break };
                    let (s, e) = (whole.start(), whole.end());
                    let m = whole.as_str();
                    let before = text[..s].chars().next_back();
                    let after = text[e..].chars().next();
                    // A match that starts inside a word ("từngày 26") is looked for again from the
                    // next character: a later start may stand on its own ("26 đến 30 tháng 7").
                    if s == e || m.starts_with(is_word) && before.is_some_and(is_word) {
                        at = s + m.chars().next().map_or(1, char::len_utf8);
                        continue;
                    }
                    at = e;
                    if m.ends_with(is_word) && after.is_some_and(is_word) {
                        continue;
                    }
                    if let Some(b) = &rule.before
                        && !b.is_match(tail(text, s, 32))
                    {
                        continue;
                    }
                    let Some(t) = build(rule, tl, &c, text, plang, ctx) else {
                        continue;
                    };
                    if !matches!(t.kind, Kind::Duration | Kind::Clock)
                        && rejected_by_context(&t, text, s..e)
                    {
                        continue;
                    }
                    // A month or a date inside a name ("Cách mạng Tháng Tám").
                    if let Some(nb) = &tl.name_before
                        && nb.is_match(tail(text, t.range.start, 40))
                    {
                        continue;
                    }
                    // "12 tháng trước", "4-6 năm tới": after a number, a relative phrase that
                    // starts with its unit is part of a duration ("12 months before").
                    if t.kind == Kind::Relative
                        && !m.starts_with(|c: char| c.is_ascii_digit())
                        && after_number(text, t.range.start, tl.lang)
                    {
                        continue;
                    }
                    // A release stamp or a retrieval date is a citation: "Approved For Release
                    // 2006/12/26", "Retrieved 20 March 2014".
                    let mut t = t;
                    if data::all().iter().any(|l| {
                        l.citation_before
                            .as_ref()
                            .is_some_and(|cb| cb.is_match(tail(text, t.range.start, 48)))
                    }) {
                        t.was = t.kind;
                        t.kind = Kind::Citation;
                    }
                    cands.push(t);
                }
            }
        }
    }
    // Longest first; then the paragraph's own language; then the earlier rule; durations
    // last.
    cands.sort_by(|a, b| {
        let la = a.range.len();
        let lb = b.range.len();
        lb.cmp(&la)
            .then((b.kind != Kind::Duration).cmp(&(a.kind != Kind::Duration)))
            .then(b.rank.0.cmp(&a.rank.0))
            .then(a.rank.1.cmp(&b.rank.1))
            .then(a.range.start.cmp(&b.range.start))
    });
    let mut taken = vec![false; text.len() + 1];
    let mut out: Vec<Timex> = Vec::new();
    for t in cands {
        if taken[t.range.clone()].iter().any(|&b| b) {
            continue;
        }
        for b in &mut taken[t.range.clone()] {
            *b = true;
        }
        out.push(t);
    }
    out.sort_by_key(|t| t.range.start);
    // Modifiers first, so that "конце 2000 -- начале 2001 года" joins its two ends.
    add_prefixes(text, plang, &mut out);
    // "On Saturday July 25": the weekday belongs to the date after it.
    let mut out = {
        let mut keep = Vec::with_capacity(out.len());
        let mut it = out.into_iter().peekable();
        while let Some(t) = it.next() {
            let weekday_before_date = matches!(
                t.rel,
                Some(Rel {
                    unit: RelTo::Weekday(_),
                    offset: 0,
                    ..
                })
            ) && it.peek().is_some_and(|n| {
                n.kind == Kind::Date
                    && n.start.m.is_some()
                    && text[t.range.end..n.range.start]
                        .chars()
                        .all(|c| c.is_whitespace() || c == ',')
            });
            if !weekday_before_date {
                keep.push(t);
            }
        }
        keep
    };
    add_weekdays(text, plang, &mut out);
    join_intervals(text, plang, out)
}

/// Whether the text before `pos` ends with a number (digits, or a number in words).
fn after_number(text: &str, pos: usize, lang: Lang) -> bool {
    let before = tail(text, pos, 24).trim_end();
    if before.ends_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let last = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !last.is_empty() && words_value(lang, last).is_some_and(|(_, ord)| !ord)
}

/// A weekday written before a date belongs to it ("Thursday, 2 May, 2002", "thứ Hai ngày
/// 5/5/1975"); with a full date it must be that date's weekday.
fn add_weekdays(text: &str, plang: Lang, atoms: &mut [Timex]) {
    let mut prev_end = 0;
    for t in atoms.iter_mut() {
        let floor = prev_end;
        prev_end = t.range.end;
        if t.kind != Kind::Date || t.start.m.is_none() {
            continue;
        }
        let before = tail(text, t.range.start, 40);
        let found = langs_first(plang).find_map(|tl| {
            let c = tl.weekday_before.captures(before)?;
            let w = c.name("wd")?;
            Some((w.start(), weekday_of(tl, w.as_str())?))
        });
        let Some((at, wd)) = found else { continue };
        let start = t.range.start - before.len() + at;
        if start < floor {
            continue;
        }
        if let (Some(y), Some(m), Some(d)) = (t.start.y, t.start.m, t.start.d)
            && weekday(y, m, d) != Some(wd)
        {
            continue;
        }
        t.range.start = start;
    }
}

/// The paragraph's language first, then the others.
fn langs_first(plang: Lang) -> impl Iterator<Item = &'static TimeLang> {
    std::iter::once(data::of(plang)).chain(data::all().iter().filter(move |tl| tl.lang != plang))
}

fn pointlike(k: Kind) -> bool {
    matches!(k, Kind::Date | Kind::Decade | Kind::Season)
}

/// "from 1975 to 1991", "từ tháng 05-1950 đến tháng 06-1954", "с 1975 по 1991 год",
/// "between 1981 and 1985": two adjacent expressions and a join become one interval.
fn join_intervals(text: &str, plang: Lang, atoms: Vec<Timex>) -> Vec<Timex> {
    let langs: Vec<&TimeLang> = langs_first(plang).collect();
    let mut out: Vec<Timex> = Vec::with_capacity(atoms.len());
    let mut i = 0;
    while i < atoms.len() {
        let a = &atoms[i];
        if i + 1 < atoms.len() && pointlike(a.kind) && pointlike(atoms[i + 1].kind) {
            let b = &atoms[i + 1];
            let gap = &text[a.range.end..b.range.start];
            let before = tail(text, a.range.start, 24);
            let prev_end = out.last().map_or(0, |t| t.range.end);
            let joined = langs.iter().find_map(|tl| {
                let j = tl.join.captures(gap)?;
                let jw = j.name("join")?.as_str().to_lowercase();
                let open = tl.open.captures(before).and_then(|o| o.name("open"));
                let open_start = open.map(|o| a.range.start - before.len() + o.start());
                let open_start = open_start.filter(|&s| s >= prev_end);
                if open_start.is_none() && tl.join_needs_open.contains(&jw) {
                    return None;
                }
                Some(open_start.unwrap_or(a.range.start))
            });
            if let Some(start) = joined {
                let mut s = a.start;
                let mut e = b.end;
                if s.y.is_none() {
                    s.y = e.y;
                    if s.m.is_none() && s.d.is_some() {
                        s.m = e.m;
                    }
                }
                if e.y.is_none() {
                    e.y = s.y;
                }
                let ordered = s
                    .le(&e)
                    .unwrap_or(s.y.is_none() && e.y.is_none() && (s.m, s.d) <= (e.m, e.d));
                if s.valid() && e.valid() && ordered && s != e {
                    let mut t = new_timex(start..b.range.end, Kind::Interval, s, e);
                    t.approx = a.approx || b.approx;
                    out.push(t);
                    i += 2;
                    continue;
                }
            }
        }
        out.push(atoms[i].clone());
        i += 1;
    }
    out
}

/// Modifiers and approximation words written before an expression: "cuối năm 1988",
/// "late October 1988", "mid-1975", "c. 1950", "khoảng năm 1950".
fn add_prefixes(text: &str, plang: Lang, atoms: &mut [Timex]) {
    let langs: Vec<&TimeLang> = langs_first(plang).collect();
    let mut prev_end = 0;
    for t in atoms.iter_mut() {
        let floor = prev_end;
        prev_end = t.range.end;
        if !matches!(
            t.kind,
            Kind::Date | Kind::Season | Kind::Decade | Kind::Interval
        ) {
            continue;
        }
        let before = tail(text, t.range.start, 40);
        for tl in &langs {
            let Some(c) = tl.prefix.captures(before) else {
                continue;
            };
            let (w, is_mod) = match (c.name("mod"), c.name("approx")) {
                (Some(m), _) => (m, true),
                (None, Some(a)) => (a, false),
                _ => continue,
            };
            let start = t.range.start - before.len() + w.start();
            if start < floor {
                break;
            }
            if is_mod {
                if t.modifier.is_some() || t.kind == Kind::Interval {
                    break;
                }
                // "bắt đầu", "hàng đầu": the modifier word is part of another word.
                let pre = tail(text, start, 12);
                let last = pre.split_whitespace().next_back().unwrap_or("");
                if !pre.ends_with(|c: char| c.is_alphanumeric())
                    && tl.mod_blockers.iter().any(|b| b == &last.to_lowercase())
                {
                    break;
                }
                let Some(m) = tl
                    .modifiers
                    .get(&data::spaced_key(w.as_str()))
                    .and_then(|s| modifier_of(s))
                else {
                    break;
                };
                t.modifier = Some(m);
                if t.kind == Kind::Decade
                    && let Some(lo) = t.start.y
                {
                    let lo = lo - lo.rem_euclid(10);
                    let (a, b) = mod_range(lo, 10, Some(m));
                    t.start = Point::year(a);
                    t.end = Point::year(b);
                }
            } else {
                t.approx = true;
            }
            t.range.start = start;
            break;
        }
    }
}
