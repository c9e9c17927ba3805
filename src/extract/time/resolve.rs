//! Underspecified and relative dates get their missing parts from an anchor, and the anchor's
//! span is recorded (`year_from`); with no anchor they stay partial ("XXXX-09") or
//! unresolved: nothing is guessed.
//!
//! Two anchors:
//! - the document's **reference date** ([`reference`]): a dateline ("HANOI, April 16"), a
//!   cable's date-time group, a memo's or a page's date line at the head of the document.
//!   Deictic expressions ("yesterday", "last year", "в прошлом году", "hôm qua", "on
//!   Monday") count from it; a year-less date takes the year that puts it nearest to it
//!   ("since late November" in a memo of February 1965 is November 1964). A reference date
//!   without a year takes the year its story gives, when the story gives one consistently
//!   ([`reference_year`]: an anniversary on the day, the first months of a year in progress,
//!   checked against a weekday the story names).
//! - the **narrative's last date**: the nearest preceding explicit date of the paragraph,
//!   else of the section (its last interval for "the same period last year"). Anaphoric expressions ("the same year", "năm sau", "в том же
//!   году") count from it. When the document has no reference date, deictic expressions
//!   count from the narrative's last full date (day, month and year) in their paragraph: a
//!   history's "5 years ago" in a paragraph of periods stays unresolved.
//!
//! A year-less date takes the year of an explicit date earlier in its own paragraph first,
//! then the reference date's, then the section's. In a dated document, a bare year earlier
//! in the paragraph that disagrees with the reference date (or a reference date without a
//! year) leaves the year unknown.

use super::data::RelUnit;
use super::engine::{Kind, Rel, RelTo, Timex};
use super::value::{Point, add_days, days_between, weekday};
use crate::document::Document;
use crate::text::layout::BlockKind;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A date and the clean range it was read from.
#[derive(Debug, Clone)]
pub struct Dated {
    pub point: Point,
    pub range: Range<usize>,
}

/// How far into a document its reference date may be, in bytes of clean text.
const HEAD: usize = 1500;
/// How many paragraphs into a document its reference date may be.
const HEAD_PARAGRAPHS: usize = 8;
/// A paragraph this short (in characters) that holds a date is a date line.
const DATE_LINE: usize = 100;

/// A dateline's place: up to four capitalized words and a comma at the start of a
/// paragraph ("HANOI, ", "ХАНОЙ, ", "Washington, ").
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\p{Lu}[\p{L}.'’\-]*\.?\s+){0,3}\p{Lu}[\p{L}.'’\-]*\.?\s*,\s*$")
        .expect("valid regex")
});

/// The document's reference date: the first date with a day and a month (a year if the text
/// gives one) at the head of the document that stands in a date line of its own ("Thursday,
/// 2 May, 2002, 14:29 GMT", "N°53, 27 марта 2002"), in a dateline after a place name
/// ("HANOI, April 16 (RIA Novosti) -"), among the labels of a header ("Secret N2 45 29
/// September 1967 No. 0309/67B"), or that a cable's date-time group gives ("O 041230Z NOV
/// 78"). A date in running prose is never one.
pub fn reference(doc: &Document, atoms: &[(Timex, usize)]) -> Option<Dated> {
    let text = doc.text.as_str();
    atoms
        .iter()
        .take_while(|(t, pi)| t.range.start < HEAD && *pi < HEAD_PARAGRAPHS)
        .find(|(t, pi)| {
            if t.kind != Kind::Date || t.start.m.is_none() || t.start.d.is_none() {
                return false;
            }
            if t.dateline {
                return true;
            }
            let p = &doc.paragraphs[*pi];
            let para = &text[p.range.clone()];
            let before = &text[p.range.start..t.range.start];
            let after = &text[t.range.end..p.range.end];
            para.chars().count() <= DATE_LINE
                || DATELINE.is_match(before)
                || !in_prose(before, after)
                || heads_the_source(doc, t)
        })
        .map(|(t, _)| Dated {
            point: t.start,
            range: t.range.clone(),
        })
}

/// The year of a dated document whose date gives none ("HANOI, April 16 (RIA Novosti)",
/// "ХАНОЙ, 23 июл"), read from what news items say about their own present, and the clean
/// range it is read from. Two facts of the genre, each enough alone:
/// - **an anniversary on the day**: a story dated on the day and month of an explicit date
///   of year Y that marks the story's N-th anniversary ("25-летие … полета"; "23 июля 1980
///   года") is of year Y + N; with no explicit date on that day, the years of the
///   anniversary's own paragraph are its bases;
/// - **a year in progress**: a statistic for the first part of the latest year the story
///   names ("the first quarter of 2019", "6 tháng đầu năm 2019", "за январь–май 2019
///   года"), already over at the story's date, makes that year the story's.
///
/// A weekday the head calls the story's day ("on Monday", "в субботу") must fall on the
/// dated day in the year found; candidates that disagree with each other or with the
/// weekday give no year: nothing is guessed.
pub fn reference_year(
    doc: &Document,
    atoms: &[(Timex, usize)],
    r: &Dated,
) -> Option<(i32, Range<usize>)> {
    let (m, d) = (r.point.m?, r.point.d?);
    if r.point.y.is_some() {
        return None;
    }
    let text = doc.text.as_str();
    let explicit = || {
        atoms.iter().filter(|(t, _)| {
            t.range != r.range
                && matches!(t.kind, Kind::Date | Kind::Interval | Kind::Season)
                && t.start.y.is_some()
        })
    };
    let mut candidates: Vec<(i32, Range<usize>)> = Vec::new();

    // An anniversary in the head.
    for (pi, p) in doc.paragraphs.iter().enumerate().take(HEAD_PARAGRAPHS) {
        let ptext = &text[p.range.clone()];
        for re in &super::data::of(p.lang).anniversary {
            for c in re.captures_iter(ptext) {
                let (Some(n), Some(all)) = (c.name("n"), c.get(0)) else {
                    continue;
                };
                let Ok(n) = n.as_str().parse::<i32>() else {
                    continue;
                };
                let on_the_day: Vec<i32> = explicit()
                    .filter(|(t, _)| t.kind == Kind::Date && t.start.m == Some(m))
                    .filter(|(t, _)| t.start.d == Some(d))
                    .filter_map(|(t, _)| t.start.y)
                    .collect();
                let bases = if on_the_day.is_empty() {
                    explicit()
                        .filter(|(t, i)| *i == pi && t.kind == Kind::Date)
                        .filter_map(|(t, _)| t.start.y)
                        .collect()
                } else {
                    on_the_day
                };
                let range = p.range.start + all.start()..p.range.start + all.end();
                candidates.extend(bases.into_iter().map(|y| (y + n, range.clone())));
            }
        }
    }

    // A year in progress: the latest year named, a statistic for its first months.
    if let Some(latest) = explicit().filter_map(|(t, _)| t.end.y.max(t.start.y)).max() {
        let so_far = explicit().find(|(t, _)| {
            t.kind == Kind::Interval
                && t.start.y == Some(latest)
                && t.end.y == Some(latest)
                && t.start.m == Some(1)
                && t.end.m.is_some_and(|em| em < 12 && em < m)
        });
        if let Some((t, _)) = so_far {
            candidates.push((latest, t.range.clone()));
        }
    }

    // The weekday the head gives the story's day.
    let weekdays: Vec<u8> = atoms
        .iter()
        .filter(|(_, pi)| *pi < HEAD_PARAGRAPHS)
        .filter_map(|(t, _)| match t.rel {
            Some(Rel {
                unit: RelTo::Weekday(w),
                offset: 0,
                deictic: true,
            }) => Some(w),
            _ => None,
        })
        .collect();
    candidates.retain(|(y, _)| {
        Point::ymd(*y, m, d).valid()
            && (weekdays.is_empty() || weekday(*y, m, d).is_some_and(|w| weekdays.contains(&w)))
    });
    let (y, range) = candidates.first()?.clone();
    candidates
        .iter()
        .all(|(c, _)| *c == y)
        .then_some((y, range))
}

/// Whether a date stands in running prose: a lowercase word among the three before or after
/// it ("date back to 30 January 1950, when", "On Saturday July 25, Vietnam and Russia"), not
/// in a header's run of names, numbers and labels ("Secret N2 45 29 September 1967 No.
/// 0309/67B").
/// Whether the date stands, without prose, on one of the first lines of the source as
/// written: a date line that the layout repair joined to the headline below it (a page's
/// text, a scan's OCR, keeps lines a text file would have kept apart).
fn heads_the_source(doc: &Document, t: &Timex) -> bool {
    const FIRST_LINES: usize = 3;
    let src = doc.text.source_range(t.range.clone());
    let bytes = &doc.source.bytes;
    if src.end > bytes.len()
        || matches!(
            doc.source.encoding,
            crate::source::decode::Encoding::Utf16Le | crate::source::decode::Encoding::Utf16Be
        )
    {
        return false;
    }
    let line_start = bytes[..src.start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[src.end..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| src.end + i);
    let lines_before = bytes[..line_start]
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count();
    if lines_before >= FIRST_LINES {
        return false;
    }
    let before = doc.source.text_of(line_start..src.start);
    let after = doc.source.text_of(src.end..line_end);
    (before.chars().count() + after.chars().count()) <= DATE_LINE / 2 && !in_prose(&before, &after)
}

fn in_prose(before: &str, after: &str) -> bool {
    // Three words on each side, within the line.
    let before = before.rsplit('\n').next().unwrap_or("");
    let after = after.split('\n').next().unwrap_or("");
    let lower = |w: &str| {
        w.chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_lowercase)
    };
    before.split_whitespace().rev().take(3).any(lower)
        || after.split_whitespace().take(3).any(lower)
}

/// The year that puts month `m` (day `d`) nearest to `r`: within six months of it.
fn nearest_year(r: &Point, m: u8, d: Option<u8>) -> Option<i32> {
    let (ry, rm) = (r.y?, r.m?);
    let months = |y: i32, mm: u8| y * 12 + i32::from(mm);
    let here = months(ry, rm) * 31 + i32::from(r.d.unwrap_or(15));
    [ry - 1, ry, ry + 1]
        .into_iter()
        .min_by_key(|&y| (months(y, m) * 31 + i32::from(d.unwrap_or(15)) - here).abs())
}

/// The value of a relative expression counted from `a`, or `None` when `a` is not precise
/// enough (a day from a year).
fn count_from(a: &Point, rel: Rel) -> Option<(Point, Point)> {
    let y = a.y?;
    let one = |p: Point| Some((p, p));
    match rel.unit {
        RelTo::Unit(RelUnit::Year) | RelTo::YearOf => one(Point::year(y + rel.offset)),
        RelTo::Unit(RelUnit::Month) => {
            let k = y * 12 + i32::from(a.m?) - 1 + rel.offset;
            one(Point::ym(k.div_euclid(12), (k.rem_euclid(12) + 1) as u8))
        }
        RelTo::Unit(RelUnit::Quarter) => {
            let q = y * 4 + (i32::from(a.m?) - 1) / 3 + rel.offset;
            let (qy, qn) = (q.div_euclid(4), q.rem_euclid(4) as u8);
            Some((Point::ym(qy, 3 * qn + 1), Point::ym(qy, 3 * qn + 3)))
        }
        RelTo::Unit(RelUnit::Day) => one(add_days(a, i64::from(rel.offset))?),
        // Counted from the narrative's last interval, not from a point (`Anchor::relative`).
        RelTo::Unit(RelUnit::Period) => None,
        RelTo::Unit(RelUnit::Weekend) => {
            // Saturday and Sunday of the anchor's week (Monday to Sunday), or of the week
            // before or after.
            let wd = i64::from(weekday(y, a.m?, a.d?)?);
            let week = 7 * i64::from(rel.offset);
            Some((add_days(a, 6 - wd + week)?, add_days(a, 7 - wd + week)?))
        }
        RelTo::Weekday(w) => {
            let wd = i64::from(weekday(y, a.m?, a.d?)?);
            let ahead = (i64::from(w) - wd).rem_euclid(7);
            let off = match rel.offset {
                // "on Monday": the nearest such day, at most three days away.
                0 if ahead > 3 => ahead - 7,
                0 => ahead,
                // "last Monday": the latest one before; "next Monday": the first one after.
                o if o < 0 => ahead - 7,
                _ if ahead == 0 => 7,
                _ => ahead,
            };
            one(add_days(a, off)?)
        }
        RelTo::Month(m) => {
            let am = a.m?;
            let yy = match rel.offset {
                0 => y,
                o if o < 0 => {
                    if m < am {
                        y
                    } else {
                        y - 1
                    }
                }
                _ => {
                    if m > am {
                        y
                    } else {
                        y + 1
                    }
                }
            };
            one(Point::ym(yy, m))
        }
    }
}

/// The running anchors of a document.
#[derive(Debug, Default, Clone)]
pub struct Anchor {
    reference: Option<Dated>,
    /// The last explicit date of the paragraph being read.
    paragraph: Option<Dated>,
    /// The last explicit (or resolved) date of the section.
    section: Option<Dated>,
    /// The last full date (a day of a month of a year) of the paragraph: what deictic
    /// expressions count from when the document has no reference date.
    full: Option<Dated>,
    /// The last interval of the paragraph with its end ("the first quarter of 2004"): what
    /// "the same period last year" counts from.
    period: Option<(Dated, Point)>,
}

impl Anchor {
    pub fn new(reference: Option<Dated>) -> Anchor {
        Anchor {
            reference,
            ..Anchor::default()
        }
    }

    /// A new paragraph starts (a heading starts a new section too).
    pub fn paragraph(&mut self, kind: BlockKind) {
        self.paragraph = None;
        self.full = None;
        self.period = None;
        if kind == BlockKind::Heading {
            self.section = None;
        }
    }

    fn set(&mut self, point: Point, range: Range<usize>) {
        let d = Dated { point, range };
        if point.y.is_some() && point.m.is_some() && point.d.is_some() {
            self.full = Some(d.clone());
        }
        self.paragraph = Some(d.clone());
        self.section = Some(d);
    }

    /// Resolves `t` (ranges absolute in the clean text) and updates the anchors.
    pub fn apply(&mut self, t: &mut Timex) {
        self.resolve(t);
        if t.kind == Kind::Interval && t.start.y.is_some() && t.end.y.is_some() {
            let start = Dated {
                point: t.start,
                range: t.range.clone(),
            };
            self.period = Some((start, t.end));
        }
    }

    fn resolve(&mut self, t: &mut Timex) {
        match t.kind {
            Kind::Date | Kind::Season if t.start.y.is_some() => {
                self.set(t.start, t.range.clone());
            }
            Kind::Date => {
                if let Some(rel) = t.rel {
                    // "11 ноября текущего года": the year counts from the reference.
                    self.relative(t, rel);
                    return;
                }
                let Some((p, a)) = self.year_for(&t.start) else {
                    return;
                };
                t.start = p;
                t.end = p;
                t.year_from = Some((a.range.clone(), a.point.iso()));
                self.set(p, a.range);
            }
            Kind::Relative => {
                if let Some(rel) = t.rel {
                    self.relative(t, rel);
                }
            }
            Kind::Interval if t.start.y.is_none() || t.end.y.is_none() => {
                let probe = if t.start.m.is_some() { t.start } else { t.end };
                if let Some((p, a)) = self.year_for(&probe) {
                    let y = p.y;
                    if t.start.y.is_none() {
                        t.start.y = y;
                    }
                    if t.end.y.is_none() {
                        t.end.y = y;
                    }
                    // An interval across the new year ("December 30 - January 2").
                    if t.start.le(&t.end) == Some(false)
                        && let Some(ey) = t.end.y
                    {
                        t.end.y = Some(ey + 1);
                    }
                    t.year_from = Some((a.range, a.point.iso()));
                }
            }
            _ => {}
        }
    }

    /// The year of a year-less date `p` and the date it comes from: an explicit date earlier
    /// in the paragraph, else the reference date (the year nearest to it), else the
    /// section's last date.
    fn year_for(&self, p: &Point) -> Option<(Point, Dated)> {
        let with_year = |y: Option<i32>, from: &Dated| -> Option<(Point, Dated)> {
            let mut s = *p;
            s.y = Some(y?);
            if s.m.is_none() && s.d.is_some() {
                s.m = from.point.m;
                s.m?;
            }
            s.valid().then(|| (s, from.clone()))
        };
        if let Some(a) = &self.paragraph
            && let Some(r) = with_year(a.point.y, a)
        {
            // A dated document (a dateline, a memo's date) places its year-less dates near
            // its own date; a bare year earlier in the paragraph ("the agreement of 2016 …
            // his visit due on May 20-23") names another time. When the two disagree, or the
            // document's date has no year, the year is not known: nothing is guessed. A
            // paragraph date with a month ("on 3 November 1978 … on November 5") still
            // governs.
            if a.point.m.is_none()
                && let Some(rf) = &self.reference
                && let Some(m) = p.m
                && rf.point.m.is_some()
            {
                let near = nearest_year(&rf.point, m, p.d);
                if near != a.point.y {
                    // Unless the date is within a month of the document's own: news speaks
                    // of its present ("due on May 20-23" under "HANOI, May 20").
                    let close = near.is_some_and(|y| {
                        let day = Point {
                            y: Some(y),
                            d: p.d.or(Some(15)),
                            ..*p
                        };
                        days_between(&rf.point, &day).is_some_and(|n| n.abs() <= 31)
                    });
                    return if close { with_year(near, rf) } else { None };
                }
            }
            return Some(r);
        }
        if let Some(r) = &self.reference
            && let Some(m) = p.m
            && r.point.m.is_some()
        {
            // A reference date without a year gives none.
            return with_year(nearest_year(&r.point, m, p.d), r);
        }
        let a = self.section.as_ref()?;
        with_year(a.point.y, a)
    }

    /// A relative expression: deictic ones count from the reference date when the document
    /// has one, anaphoric ones from the narrative's last date; either falls back on the
    /// other.
    fn relative(&mut self, t: &mut Timex, rel: Rel) {
        if rel.unit == RelTo::Unit(RelUnit::Period) {
            // "the same period last year": the months of the last interval, a year off.
            let Some((a, end)) = &self.period else { return };
            let shift = |p: Point| Point {
                y: p.y.map(|y| y + rel.offset),
                ..p
            };
            let (s, e) = (shift(a.point), shift(*end));
            if s.valid() && e.valid() {
                t.start = s;
                t.end = e;
                t.year_from = Some((a.range.clone(), a.point.iso()));
            }
            return;
        }
        let anchor = if rel.deictic {
            // "today" in prose with no date of writing is "nowadays".
            let now = rel.unit == RelTo::Unit(RelUnit::Day) && rel.offset == 0;
            self.reference
                .clone()
                .or_else(|| self.full.clone().filter(|_| !now))
        } else {
            self.paragraph
                .as_ref()
                .or(self.section.as_ref())
                .or(self.reference.as_ref())
                .cloned()
        };
        let Some(a) = anchor else { return };
        let Some((s, e)) = (match rel.unit {
            RelTo::YearOf => {
                let y = a.point.y.map(|y| y + rel.offset);
                let mut p = t.start;
                p.y = y;
                (y.is_some() && p.valid()).then_some((p, p))
            }
            _ => count_from(&a.point, rel),
        }) else {
            return;
        };
        t.start = s;
        t.end = e;
        t.year_from = Some((a.range.clone(), a.point.iso()));
        if !rel.deictic && s == e {
            // "Năm sau, …": the year it names is the narrative's year from now on.
            self.section = Some(Dated {
                point: s,
                range: a.range,
            });
        }
    }
}
