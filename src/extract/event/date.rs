//! An event's date: the sentence's timexes grouped into the dates events can take, and the
//! choice of a trigger's date.

use crate::extract::Fact;
use crate::knowledge::event_words::Word;
use crate::knowledge::events::EventLexicon;
use std::ops::Range;

/// A timex of the sentence usable as an event date.
#[derive(Debug, Clone)]
pub struct Dated {
    /// Word indexes it covers.
    pub words: Range<usize>,
    pub value_start: String,
    pub value_end: String,
    pub src: Range<usize>,
    pub text: String,
}

impl Dated {
    /// A timex fact as a date, unless it cannot date an event (a citation year, a duration,
    /// a phrase with no value).
    pub fn from_fact(f: &Fact, first_word: usize, end_word: usize) -> Option<Dated> {
        let t = f.body.timex()?;
        let ty = t.ty.as_str();
        if matches!(
            ty,
            "citation" | "duration" | "vague" | "relative_unresolved"
        ) {
            return None;
        }
        let vs = t.value_start?.iso();
        let ve = t.value_end?.iso();
        // Centuries are too coarse to date an event.
        if ty == "century" {
            return None;
        }
        Some(Dated {
            words: first_word..end_word.max(first_word + 1),
            value_start: vs,
            value_end: ve,
            src: f.evidence.start..f.evidence.end,
            text: f.evidence.text.clone(),
        })
    }
}

/// A date an event can take: one timex, or two joined into a range.
#[derive(Debug, Clone)]
pub struct DateGroup {
    pub words: Range<usize>,
    pub value_start: String,
    pub value_end: String,
    pub src: Range<usize>,
    pub text: String,
    /// How it was formed: "sentence" (one timex), "range" (from … to …), "coordinated"
    /// (consecutive years joined by "and"), "dateline" (the story's date).
    pub origin: &'static str,
    /// Inside a quoted title.
    pub quoted: bool,
    /// The group it is coordinated with ("March 2022 and February 2023"), if any.
    pub coordinated_with: Option<usize>,
    /// Taken from an earlier sentence (its word positions mean nothing here).
    pub inherited: bool,
    /// Introduced by an "until" word ("đến năm 2004"): an end bound, not an event's date.
    pub until: bool,
    /// Introduced by a plan word ("намечено на 2014 год", "scheduled for 2016"): what takes
    /// this date is a plan.
    pub planned: bool,
    /// Right after "before" or "after" ("после 2004 года"): a bound, the date only of the
    /// circumstance clause that follows it ("…, когда истекает срок аренды").
    pub bound: bool,
}

impl DateGroup {
    /// One timex as a date group.
    fn of(d: &Dated, quoted: &[bool]) -> DateGroup {
        DateGroup {
            words: d.words.clone(),
            value_start: d.value_start.clone(),
            value_end: d.value_end.clone(),
            src: d.src.clone(),
            text: d.text.clone(),
            origin: "sentence",
            quoted: quoted.get(d.words.start).copied().unwrap_or(false),
            coordinated_with: None,
            inherited: false,
            until: false,
            planned: false,
            bound: false,
        }
    }

    /// The story's date (its dateline) as the date of a sentence that gives none: what it
    /// reports as just done ("has signed") happened by then.
    pub fn story(d: &Dated) -> DateGroup {
        DateGroup {
            origin: "dateline",
            ..DateGroup::of(d, &[]).inherited()
        }
    }

    /// The same date, carried to a later sentence of the paragraph.
    pub fn inherited(mut self) -> DateGroup {
        self.inherited = true;
        self.coordinated_with = None;
        self
    }
}

/// For each word, whether it lies inside quotation marks. A quote left open at the end of
/// its list item (";") or sentence marks nothing: OCR often loses closing quotes.
pub fn quoted_words(ws: &[Word]) -> Vec<bool> {
    let mut out = vec![false; ws.len()];
    let mut open: Option<usize> = None;
    for (i, w) in ws.iter().enumerate() {
        match w.lower.as_str() {
            "“" | "«" | "„" => open = Some(i),
            "\"" if open.is_none() => open = Some(i),
            "”" | "»" | "\"" => {
                if let Some(o) = open.take() {
                    out[o..=i].iter_mut().for_each(|q| *q = true);
                }
            }
            ";" => open = None,
            _ => {}
        }
    }
    out
}

/// An "until" date ("đến năm 2004", "until 2002") after an earlier date of the sentence: the
/// end of a span that began at that earlier date. Not when the phrase opens its clause and
/// ends with a comma ("đến tháng 02-1976, Lê Duẩn …" means "then, in February 1976").
fn is_until(ws: &[Word], lex: &EventLexicon, a: &Dated, earlier_date: bool) -> bool {
    if !earlier_date {
        return false;
    }
    let Some(k) = (1..=2).find(|&k| {
        a.words.start >= k
            && lex
                .until
                .longest_at(ws, a.words.start - k)
                .is_some_and(|f| f.toks.end + k > a.words.start)
    }) else {
        return false;
    };
    let opens_clause = a.words.start - k == 0
        || matches!(ws[a.words.start - k - 1].lower.as_str(), "," | ";" | ":");
    let comma_after = ws.get(a.words.end).is_some_and(|w| w.lower == ",");
    !(opens_clause && comma_after)
}

fn is_bare_year(v: &str) -> bool {
    v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit())
}

/// Groups the sentence's dates: ranges ("from X … to Y"), consecutive years joined by
/// "and" (one interval), other coordinated dates (kept apart but linked).
pub fn group(dated: &[Dated], ws: &[Word], lex: &EventLexicon, quoted: &[bool]) -> Vec<DateGroup> {
    let mut out: Vec<DateGroup> = Vec::new();
    let mut i = 0;
    while i < dated.len() {
        let a = &dated[i];
        let mut g = DateGroup::of(a, quoted);
        g.until = is_until(ws, lex, a, i > 0);
        if let Some(b) = dated.get(i + 1) {
            let between = a.words.end..b.words.start.max(a.words.end);
            let joined_only_by = |set: &crate::knowledge::event_words::PhraseSet<()>| {
                !between.is_empty() && between.clone().all(|k| set.longest_at(ws, k).is_some())
            };
            let ordered = a.value_start <= b.value_start;
            let short = between.len() <= 8;
            let from_before = lex
                .range_from
                .occurs_in(ws, a.words.start.saturating_sub(10)..a.words.start);
            let to_between = lex.range_to.occurs_in(ws, between.clone());
            let clause_break = between
                .clone()
                .any(|k| matches!(ws[k].lower.as_str(), ";" | "."));
            // Two dates joined by a dash alone are one range ("конце 2000 -- начале 2001").
            let dashed = !between.is_empty()
                && between
                    .clone()
                    .all(|k| matches!(ws[k].lower.as_str(), "-" | "–" | "—"));
            if ordered && ((short && from_before && to_between && !clause_break) || dashed) {
                g.value_end = b.value_end.clone();
                g.words = a.words.start..b.words.end;
                g.src = a.src.start..b.src.end;
                g.text = format!("{} … {}", a.text, b.text);
                g.origin = "range";
                out.push(g);
                i += 2;
                continue;
            }
            if joined_only_by(&lex.coordination) {
                let consecutive_years = is_bare_year(&a.value_start)
                    && is_bare_year(&b.value_start)
                    && a.value_start == a.value_end
                    && b.value_start == b.value_end
                    && b.value_start.parse::<i32>().ok()
                        == a.value_start.parse::<i32>().ok().map(|y| y + 1);
                if consecutive_years {
                    g.value_end = b.value_end.clone();
                    g.words = a.words.start..b.words.end;
                    g.src = a.src.start..b.src.end;
                    g.text = format!("{} … {}", a.text, b.text);
                    g.origin = "coordinated";
                    out.push(g);
                    i += 2;
                    continue;
                }
                // Keep apart, but let the second share the first's event.
                let idx = out.len();
                out.push(g);
                out.push(DateGroup {
                    coordinated_with: Some(idx),
                    ..DateGroup::of(b, quoted)
                });
                i += 2;
                continue;
            }
        }
        out.push(g);
        i += 1;
    }
    // "from 26 to 30 July 2012", "từ ngày 26 đến 30 tháng 7 năm 2012", "с 26 по 30 июля":
    // a bare day before a "to" word and a full date is the range's first day, in the same
    // month.
    for g in out
        .iter_mut()
        .filter(|g| g.origin == "sentence" && g.value_start.len() == 10)
    {
        let s = g.words.start;
        let Some(to) = (1..=2).find(|&k| {
            s >= k
                && lex
                    .range_to
                    .longest_at(&ws[..s], s - k)
                    .is_some_and(|f| f.toks.end == s)
        }) else {
            continue;
        };
        let Some(d) = (s - to).checked_sub(1) else {
            continue;
        };
        let day: Option<u32> = ws[d].lower.parse().ok();
        let last: Option<u32> = g.value_start[8..].parse().ok();
        let (Some(day), Some(last)) = (day, last) else {
            continue;
        };
        let from = lex.range_from.occurs_in(ws, d.saturating_sub(2)..d);
        if (1..last).contains(&day) && from {
            g.value_start = format!("{}-{day:02}", &g.value_start[..7]);
            g.words = d..g.words.end;
            g.text = format!("{} … {}", ws[d].lower, g.text);
            g.origin = "range";
        }
    }
    let before = |g: &DateGroup, set: &crate::knowledge::event_words::PhraseSet<()>, n: usize| {
        (g.words.start.saturating_sub(n)..g.words.start).any(|k| {
            set.longest_at(&ws[..g.words.start], k)
                .is_some_and(|f| f.toks.end + 2 >= g.words.start)
        })
    };
    for g in &mut out {
        g.planned = before(g, &lex.planned_after, 4);
        g.bound = (g.words.start.saturating_sub(3)..g.words.start).any(|k| {
            lex.bound
                .longest_at(&ws[..g.words.start], k)
                .is_some_and(|f| f.toks.end == g.words.start)
        });
    }
    // A date after an archival stamp is the copy's; a year after a comparison word is the
    // base of a comparison ("up 31% on 2016"). Neither dates an event.
    let keep: Vec<bool> = out
        .iter()
        .map(|g| {
            !(before(g, &lex.archival, 8)
                || (is_bare_year(&g.value_start) && before(g, &lex.comparison, 2)))
        })
        .collect();
    // New positions, so that coordination links keep naming their groups.
    let mut index = vec![None; out.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            index[i] = Some(n);
            n += 1;
        }
    }
    out.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(mut g, _)| {
            g.coordinated_with = g.coordinated_with.and_then(|p| index[p]);
            g
        })
        .collect()
}

/// The date group a trigger at `trigger` takes among the `allowed` ones: the nearest, in
/// words, preferring dates outside quoted titles (for a predicate outside quotes) and dates of its own clause (`elsewhere`
/// says which are not). With `inherited`, the single inherited group. Dates across a ";"
/// from the trigger (another item of a list) and "until" dates weigh less.
pub fn nearest_among(
    groups: &[DateGroup],
    ws: &[Word],
    trigger: Range<usize>,
    inherited: bool,
    allowed: &[bool],
    elsewhere: &dyn Fn(&DateGroup) -> bool,
    trigger_quoted: bool,
) -> Option<usize> {
    if inherited {
        return (!groups.is_empty() && allowed.first() == Some(&true)).then_some(0);
    }
    let any_unquoted = groups.iter().any(|g| !g.quoted);
    groups
        .iter()
        .enumerate()
        .filter(|(i, g)| g.coordinated_with.is_none() && allowed.get(*i) == Some(&true))
        .map(|(i, g)| {
            let d = if g.words.end <= trigger.start {
                trigger.start - g.words.end
            } else {
                g.words.start.saturating_sub(trigger.end)
            };
            let between = if g.words.end <= trigger.start {
                g.words.end..trigger.start
            } else {
                trigger.end..g.words.start.max(trigger.end)
            };
            let lists = ws[between].iter().filter(|w| w.lower == ";").count();
            // A quoted title's date, unless the predicate is quoted too (a quotation).
            let penalty = if g.quoted && any_unquoted && !trigger_quoted {
                1000
            } else {
                0
            } + if g.until { 300 } else { 0 }
                + if elsewhere(g) { 12 } else { 0 }
                + 200 * lists;
            (d + penalty, i)
        })
        .min()
        .map(|(_, i)| i)
}
