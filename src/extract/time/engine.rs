//! The engine: applies every language's rules to a paragraph, checks each match against its
//! context (counts, page references, id-like numbers), keeps the longest non-overlapping
//! matches, joins "from A to B" into intervals, and adds modifiers and approximation marks.

use super::data::{self, NumericOrder, Rule, RuleKind, TimeLang};
use super::value::{Point, roman};
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
            Kind::Vague => "vague",
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
    /// Year offset of a relative phrase from its anchor.
    pub rel_offset: Option<i32>,
    /// Where an underspecified year came from: clean range of the anchor and its value.
    pub year_from: Option<(Range<usize>, String)>,
    /// An all-numeric date whose day/month order nothing decided.
    pub ambiguous: bool,
    /// A decade whose century was not written ("the 80s").
    pub century_assumed: bool,
    /// The kind before it was marked a citation.
    pub was: Kind,
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
    let key = data::spaced_key(s);
    if tl.months_case_sensitive {
        let k: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        tl.months
            .get(k.trim_end_matches('.'))
            .or_else(|| tl.months.get(&key))
            .copied()
    } else {
        tl.months.get(key.trim_end_matches('.')).copied()
    }
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
        .or_else(|| tl.ordinal_words.get(&data::spaced_key(s)).copied())
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
        rel_offset: None,
        year_from: None,
        ambiguous: false,
        century_assumed: false,
        was: kind,
        rank: (false, 0),
    }
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
        RuleKind::Date => {
            let y = g(c, "y").and_then(year_of);
            let (mut d, mut m) = (
                g(c, "d").and_then(num),
                g(c, "m").and_then(|s| month_of(tl, s)),
            );
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
            let mut t = new_timex(range, Kind::Date, p, p);
            t.ambiguous = ambiguous;
            t
        }
        RuleKind::Interval => {
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
            if !s.valid() || !e.valid() || s.le(&e) != Some(true) || s == e {
                return None;
            }
            if d1.is_none() && s.m.is_none() && e.y.zip(s.y).is_some_and(|(b, a)| b - a > 200) {
                return None;
            }
            new_timex(range, Kind::Interval, s, e)
        }
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
            let lo = (cn - 1) * 100 + 1;
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
            let y = g(c, "y").and_then(year_of)?;
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
            let off = *tl.relative.get(&data::spaced_key(g(c, "rel")?))?;
            if let Some(tr) = &tl.relative_trigger
                && !tr.is_match(tail(text, whole.start(), 48))
            {
                return None;
            }
            let mut t = new_timex(range, Kind::Relative, Point::default(), Point::default());
            t.rel_offset = Some(off);
            t
        }
        RuleKind::Duration => {
            let n = g(c, "num")?;
            let v = num(n).or_else(|| tl.number_words.get(&data::spaced_key(n)).copied())?;
            let unit = rule.unit.as_deref().unwrap_or("Y");
            let mut t = new_timex(range, Kind::Duration, Point::default(), Point::default());
            t.duration = Some(format!("P{v}{unit}"));
            t
        }
    };
    let mut t = t;
    if t.modifier.is_none() {
        t.modifier = modifier;
    }
    t.rank = (rule.lang == plang, rule.order);
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
        if data::all().iter().any(|tl| tl.page_before.is_match(before)) {
            return true;
        }
        // Phone- and id-like: a number group right before ("024 1990").
        if t.kind == Kind::Date && p1 == Some(' ') && p2.is_some_and(|c| c.is_ascii_digit()) {
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

/// Finds the temporal expressions of one paragraph (ranges relative to `text`).
/// Whether the rules of `lang` are run on `text`: on a paragraph of that language, or on text
/// holding its script (Cyrillic for Russian, Vietnamese letters for Vietnamese; English rules
/// always run). The common numeric forms are in every language's rules, so an English
/// paragraph still gets its years and ranges; what it loses is the day-first dotted form
/// ("11.5.2025") that only the Vietnamese and Russian rules read.
fn applicable(lang: Lang, text: &str, plang: Lang) -> bool {
    lang == plang
        || match lang {
            Lang::En => true,
            Lang::Ru => text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)),
            Lang::Vi => text.chars().any(crate::text::lang::is_vietnamese_letter),
        }
}

pub fn find(text: &str, plang: Lang, ctx: DocCtx) -> Vec<Timex> {
    let mut cands: Vec<Timex> = Vec::new();
    for tl in data::all() {
        if !applicable(tl.lang, text, plang) {
            continue;
        }
        for rule in &tl.rules {
            for c in rule.re.captures_iter(text) {
                let Some(whole) = c.get(0) else { continue };
                let (s, e) = (whole.start(), whole.end());
                if s == e {
                    continue;
                }
                let m = whole.as_str();
                let before = text[..s].chars().next_back();
                let after = text[e..].chars().next();
                if m.starts_with(is_word) && before.is_some_and(is_word) {
                    continue;
                }
                if m.ends_with(is_word) && after.is_some_and(is_word) {
                    continue;
                }
                let Some(t) = build(rule, tl, &c, text, plang, ctx) else {
                    continue;
                };
                if t.kind != Kind::Duration && rejected_by_context(&t, text, s..e) {
                    continue;
                }
                cands.push(t);
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
    let mut out = join_intervals(text, plang, out);
    add_prefixes(text, plang, &mut out);
    out
}

fn pointlike(k: Kind) -> bool {
    matches!(k, Kind::Date | Kind::Decade | Kind::Season)
}

/// "from 1975 to 1991", "từ tháng 05-1950 đến tháng 06-1954", "с 1975 по 1991 год",
/// "between 1981 and 1985": two adjacent expressions and a join become one interval.
fn join_intervals(text: &str, plang: Lang, atoms: Vec<Timex>) -> Vec<Timex> {
    let langs: Vec<&TimeLang> = std::iter::once(data::of(plang))
        .chain(data::all().iter().filter(|tl| tl.lang != plang))
        .collect();
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
                if s.valid() && e.valid() && s.le(&e) == Some(true) && s != e {
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
    let langs: Vec<&TimeLang> = std::iter::once(data::of(plang))
        .chain(data::all().iter().filter(|tl| tl.lang != plang))
        .collect();
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
