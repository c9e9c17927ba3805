//! The time extractor's language knowledge: `data/time/{en,vi,ru}.toml` (written by hand)
//! over `data/time/generated/{en,vi,ru}.toml` (month, weekday and era names and the relative
//! phrases of CLDR, every Russian case form; made by `scripts/gen-lang-data`), loaded once
//! and compiled into rules (regular expressions with named groups) and word tables. Numbers
//! in words come from the quantity extractor's numeral tables, so both read "twenty-first"
//! and "двадцать пятого" the same way.
//!
//! A rule's regex is written with placeholders that the engine expands from the same file:
//! `@MONTH` (case as the file says), `@MONTHI` (any case), `@WEEKDAY`, `@ERA`, `@SEASON`,
//! `@MOD`, `@REL`, `@ANA`, `@DEICTIC`, `@DIR`, `@UNIT` (this language's word lists, longest first),
//! `@NUMW` and `@ORDW` (a cardinal or ordinal number in words), and the shared number shapes
//! `@Y` (1000–2099), `@Y2` (two digits), `@YA` (any year of an era), `@D`, `@M`, `@DASH`,
//! `@ROMAN`. A literal space in a rule matches any run of whitespace (the clean text may hold
//! a joined line break); ` ?` matches optional whitespace.

use crate::text::lang::Lang;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// What kind of expression a rule finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Date,
    Interval,
    Decade,
    Century,
    Season,
    Duration,
    Relative,
    /// A quarter or a half of a year (group `q` or `half`).
    Part,
    /// A time of day (groups `h`, `mi`, `s`).
    Clock,
}

#[derive(Deserialize)]
struct RuleFile {
    kind: String,
    re: String,
    #[serde(default)]
    unit: Option<String>,
    /// What this rule finds dates a whole document wherever it stands in the head (a
    /// cable's date-time group).
    #[serde(default)]
    dateline: bool,
    /// What must come right before the match (a regex the engine anchors at the end): a
    /// preposition before a bare month ("in May"), so that the rule's own pattern can start
    /// with the month and be found quickly.
    #[serde(default)]
    before: Option<String>,
}

#[derive(Deserialize)]
struct LangFile {
    code: String,
    numeric_order: String,
    #[serde(default)]
    months_case_sensitive: bool,
    #[serde(default)]
    months: HashMap<String, u8>,
    #[serde(default)]
    weekdays: HashMap<String, u8>,
    #[serde(default)]
    eras: HashMap<String, String>,
    seasons: HashMap<String, String>,
    modifiers: HashMap<String, String>,
    relative: HashMap<String, i32>,
    /// Phrases relative to the document's reference date: "unit:offset".
    #[serde(default)]
    deictic: HashMap<String, String>,
    /// Phrases relative to the narrative's last date, in days or months: "unit:offset" ("the
    /// next day", "cùng ngày").
    #[serde(default)]
    anaphoric: HashMap<String, String>,
    /// Words naming the first or the second half of a year ("nửa đầu").
    #[serde(default)]
    halves: HashMap<String, u8>,
    /// Words that place a month name before or after the reference date ("last October").
    #[serde(default)]
    directions: HashMap<String, i32>,
    /// Units of "N units ago": word → day, month or year.
    #[serde(default)]
    units: HashMap<String, String>,
    /// Words before a month or a date that make it part of a name ("Cách mạng Tháng Tám").
    #[serde(default)]
    name_before: Vec<String>,
    /// Letters that text extraction writes for another (Vietnamese "ǎ" for "ă").
    #[serde(default)]
    letter_variants: HashMap<String, Vec<String>>,
    #[serde(default)]
    relative_trigger: Option<String>,
    approx: Vec<String>,
    interval_open: Vec<String>,
    interval_join: Vec<String>,
    join_needs_open: Vec<String>,
    count_nouns: Vec<String>,
    page_markers: Vec<String>,
    source_prefixes: Vec<String>,
    publisher_markers: Vec<String>,
    #[serde(default)]
    author_joiners: Vec<String>,
    /// Words right before a date that make it a record's date, not the narrative's: a
    /// release stamp, a retrieval date ("Approved For Release", "Retrieved", "Truy cập").
    #[serde(default)]
    citation_markers: Vec<String>,
    #[serde(default)]
    mod_blockers: Vec<String>,
    /// Patterns of an anniversary's count ("25th anniversary", "25-летие", "kỷ niệm 25
    /// năm"), the number in the group `n`: what a year-less dateline's year is read from.
    #[serde(default)]
    anniversary: Vec<String>,
    rule: Vec<RuleFile>,
}

/// The order of the parts of an all-numeric date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOrder {
    Dmy,
    Mdy,
    /// Decided per document from dates whose order is unambiguous.
    Context,
}

/// The generated name tables (`data/time/generated/{lang}.toml`).
#[derive(Deserialize, Default)]
struct Generated {
    #[serde(default)]
    months: HashMap<String, u8>,
    #[serde(default)]
    weekdays: HashMap<String, u8>,
    #[serde(default)]
    eras: HashMap<String, String>,
    #[serde(default)]
    deictic: HashMap<String, String>,
}

/// What a relative expression counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelUnit {
    Day,
    Month,
    Quarter,
    Year,
    /// The weekend (Saturday and Sunday) of the reference week.
    Weekend,
    /// The period of the narrative's last interval ("the same period last year": its months a
    /// year before).
    Period,
}

impl RelUnit {
    fn parse(s: &str) -> Option<RelUnit> {
        Some(match s {
            "day" => RelUnit::Day,
            "month" => RelUnit::Month,
            "quarter" => RelUnit::Quarter,
            "year" => RelUnit::Year,
            "weekend" => RelUnit::Weekend,
            "period" => RelUnit::Period,
            _ => return None,
        })
    }
}

/// A "unit:offset" value of a deictic table.
fn deictic_value(code: &str, v: &str) -> (RelUnit, i32) {
    let parsed = v
        .split_once(':')
        .and_then(|(u, o)| Some((RelUnit::parse(u)?, o.parse().ok()?)));
    parsed.unwrap_or_else(|| panic!("time data ({code}): bad relative value {v:?}"))
}

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub kind: RuleKind,
    pub re: Regex,
    /// Duration unit ("Y", "M").
    pub unit: Option<String>,
    pub lang: Lang,
    /// Position in the language file: earlier rules win ties.
    pub order: usize,
    pub dateline: bool,
    /// What must end the text before the match.
    pub before: Option<Regex>,
    /// Every match holds an ASCII digit: the rule need only be run near digits.
    pub needs_digit: bool,
    /// Literals one of which every match holds, when they are few enough to list and long
    /// enough to tell: the rule is run only on a paragraph that holds one of them.
    pub required: Option<Vec<Vec<u8>>>,
}

/// A set of literals, one of which every match holds: the longest its shortest literal,
/// the better it tells a paragraph that cannot match (`None`: no such set is known).
type Required = Option<Vec<Vec<u8>>>;

/// How many literals a required set may hold.
const REQUIRED_MAX: usize = 4096;

/// The shortest literal of a set (the set's worth as a filter).
fn worth(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// A class of at most eight members as a set of literals.
fn small_set<T>(members: impl Iterator<Item = T>, bytes: impl Fn(T) -> Vec<u8>) -> Required {
    let set: Vec<Vec<u8>> = members.take(9).map(bytes).collect();
    (!set.is_empty() && set.len() <= 8).then_some(set)
}

/// Literals one of which every match of `hir` holds (see [`Required`]).
fn required(hir: &regex_syntax::hir::Hir) -> Required {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(l) => Some(vec![l.0.to_vec()]),
        HirKind::Class(Class::Unicode(c)) => {
            small_set(c.ranges().iter().flat_map(|r| r.start()..=r.end()), |c| {
                c.to_string().into_bytes()
            })
        }
        HirKind::Class(Class::Bytes(c)) => {
            small_set(c.ranges().iter().flat_map(|r| r.start()..=r.end()), |b| {
                vec![b]
            })
        }
        HirKind::Repetition(r) if r.min > 0 => required(&r.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Alternation(v) => {
            let mut all = Vec::new();
            for h in v {
                all.extend(required(h)?);
                if all.len() > REQUIRED_MAX {
                    return None;
                }
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(v) => {
            // The best of the children's sets and of the runs of adjacent children whose
            // sets are joined letter to letter ("[Tt][Hh][Ee]" → "The", "the", …).
            let mut best: Required = None;
            let keep = |cand: &Vec<Vec<u8>>, best: &mut Required| {
                if best.as_ref().is_none_or(|b| worth(cand) > worth(b)) {
                    *best = Some(cand.clone());
                }
            };
            let mut run: Option<Vec<Vec<u8>>> = None;
            for h in v {
                // Only a child that matches exactly its literals extends a run.
                let exact = matches!(h.kind(), HirKind::Literal(_) | HirKind::Class(_));
                let set = required(h);
                if let Some(set) = &set {
                    keep(set, &mut best);
                }
                match (exact, set, run.take()) {
                    (true, Some(set), Some(r)) if r.len() * set.len() <= REQUIRED_MAX => {
                        let joined: Vec<Vec<u8>> = r
                            .iter()
                            .flat_map(|a| set.iter().map(move |b| [a.as_slice(), b].concat()))
                            .collect();
                        keep(&joined, &mut best);
                        run = Some(joined);
                    }
                    (true, Some(set), _) => run = Some(set),
                    _ => {}
                }
            }
            best
        }
    }
}

/// One pass over a paragraph tells where its rules can match: an automaton over the
/// literals one of which each rule's every match holds. Rules with the same literals (all
/// the rules that start with a month name, say) form one class and share their stretches.
#[derive(Debug)]
pub struct Triggers {
    ac: aho_corasick::AhoCorasick,
    /// Pattern → the classes (indices into the stretches `windows` gives) it belongs to.
    classes_of: Vec<Vec<usize>>,
    /// Rule → its class, `None` for a rule without required literals (it always runs).
    class: Vec<Option<usize>>,
    classes: usize,
}

impl Triggers {
    fn new(rules: &[Rule]) -> Triggers {
        let mut index: HashMap<&[u8], usize> = HashMap::new();
        let mut pats: Vec<&[u8]> = Vec::new();
        let mut classes_of: Vec<Vec<usize>> = Vec::new();
        let mut class_ids: HashMap<&[Vec<u8>], usize> = HashMap::new();
        let mut class = Vec::with_capacity(rules.len());
        for r in rules {
            let Some(ps) = &r.required else {
                class.push(None);
                continue;
            };
            let next = class_ids.len();
            let c = *class_ids.entry(ps.as_slice()).or_insert(next);
            class.push(Some(c));
            if c < next {
                continue; // Its literals already point at the class.
            }
            for p in ps {
                let id = *index.entry(p.as_slice()).or_insert_with(|| {
                    pats.push(p.as_slice());
                    classes_of.push(Vec::new());
                    pats.len() - 1
                });
                if classes_of[id].last() != Some(&c) {
                    classes_of[id].push(c);
                }
            }
        }
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            // A DFA: the paragraph is scanned in overlapping mode, where it is the fastest.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&pats)
            .expect("trigger literals build an automaton");
        Triggers {
            ac,
            classes_of,
            class,
            classes: class_ids.len(),
        }
    }

    /// Where in `text` the rules may match: for each class of rules, the stretches within
    /// [`NEAR_LITERAL`] bytes of one of its literals, widened to whitespace and merged
    /// (empty: nowhere). A match holds one of its rule's literals and spans less than
    /// [`NEAR_LITERAL`] bytes on either side of it, so it lies inside one stretch.
    pub fn windows(&self, text: &str) -> Windows<'_> {
        let mut near_class: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.classes];
        if self.classes > 0 {
            for m in self.ac.find_overlapping_iter(text) {
                let w = near(text, m.start(), m.end(), NEAR_LITERAL);
                for &c in &self.classes_of[m.pattern().as_usize()] {
                    push_near_last(&mut near_class[c], w.clone());
                }
            }
            // Overlapping matches come in the order of their ends, not their starts.
            for v in &mut near_class {
                *v = sorted_merged(std::mem::take(v));
            }
        }
        Windows {
            triggers: self,
            near_class,
        }
    }
}

/// Where each rule of a language may match in one paragraph (see [`Triggers::windows`]).
pub struct Windows<'t> {
    triggers: &'t Triggers,
    near_class: Vec<Vec<Range<usize>>>,
}

impl Windows<'_> {
    /// The stretches rule `i` may match in, `None` where it may match anywhere.
    pub fn of(&self, i: usize) -> Option<&[Range<usize>]> {
        self.triggers.class[i].map(|c| self.near_class[c].as_slice())
    }
}

/// How far from one of its required literals a rule's match may reach, in bytes: more than
/// any time expression spans on one side of a word of it (a Russian date in words, "с
/// двадцать пятого по тридцатое сентября тысяча девятьсот сорок пятого года", is 140 bytes
/// in all).
pub const NEAR_LITERAL: usize = 192;

/// `lo..hi` widened by `by` bytes on each side and then to whitespace (or the text's ends),
/// so that no word is cut; a "word" longer than `by` bytes is cut, so that a text without
/// whitespace costs no more per hit than one with it.
pub fn near(text: &str, lo: usize, hi: usize, by: usize) -> Range<usize> {
    let b = text.as_bytes();
    let mut lo = lo.saturating_sub(by);
    let floor = lo.saturating_sub(by);
    while lo > floor && !b[lo - 1].is_ascii_whitespace() {
        lo -= 1;
    }
    let mut hi = (hi + by).min(b.len());
    let ceiling = (hi + by).min(b.len());
    while hi < ceiling && !b[hi].is_ascii_whitespace() {
        hi += 1;
    }
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    lo..hi
}

/// Adds `w` to a list of stretches, merged with the last one where they meet.
fn push_near_last(v: &mut Vec<Range<usize>>, w: Range<usize>) {
    match v.last_mut() {
        Some(last) if w.start <= last.end && w.end >= last.start => {
            last.start = last.start.min(w.start);
            last.end = last.end.max(w.end);
        }
        _ => v.push(w),
    }
}

/// A list of stretches sorted and merged where they meet.
fn sorted_merged(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(l) if r.start <= l.end => l.end = l.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The stretches both lists cover (each a list of disjoint stretches in order).
pub fn intersect(a: &[Range<usize>], b: &[Range<usize>]) -> Vec<Range<usize>> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let lo = a[i].start.max(b[j].start);
        let hi = a[i].end.min(b[j].end);
        if lo < hi {
            out.push(lo..hi);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Whether every match of the pattern `hir` holds an ASCII digit.
fn needs_digit(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(l) => l.0.iter().any(u8::is_ascii_digit),
        HirKind::Class(Class::Unicode(c)) => {
            !c.ranges().is_empty()
                && c.ranges()
                    .iter()
                    .all(|r| r.start() >= '0' && r.end() <= '9')
        }
        HirKind::Class(Class::Bytes(c)) => {
            !c.ranges().is_empty()
                && c.ranges()
                    .iter()
                    .all(|r| r.start() >= b'0' && r.end() <= b'9')
        }
        HirKind::Repetition(r) => r.min > 0 && needs_digit(&r.sub),
        HirKind::Capture(c) => needs_digit(&c.sub),
        HirKind::Concat(v) => v.iter().any(needs_digit),
        HirKind::Alternation(v) => v.iter().all(needs_digit),
    }
}

/// One language's compiled time knowledge.
#[derive(Debug)]
pub struct TimeLang {
    pub lang: Lang,
    pub numeric_order: NumericOrder,
    pub months_case_sensitive: bool,
    /// Month words as written (case-sensitive lookups) and lowercased.
    pub months: HashMap<String, u8>,
    pub months_folded: HashMap<String, u8>,
    /// Weekday names, lowercased: ISO number (Monday = 1).
    pub weekdays: HashMap<String, u8>,
    /// Era names as written: true before Christ.
    pub eras: HashMap<String, bool>,
    pub seasons: HashMap<String, String>,
    pub modifiers: HashMap<String, String>,
    /// Anaphoric year phrases ("the following year"): offset from the narrative's year.
    pub relative: HashMap<String, i32>,
    /// Deictic phrases ("yesterday", "в прошлом году"): unit and offset from the reference.
    pub deictic: HashMap<String, (RelUnit, i32)>,
    /// Anaphoric day and month phrases ("the next day"): unit and offset from the narrative.
    pub anaphoric: HashMap<String, (RelUnit, i32)>,
    pub halves: HashMap<String, u8>,
    pub directions: HashMap<String, i32>,
    pub units: HashMap<String, RelUnit>,
    /// A name word right before a date ("cách mạng"), anchored at the end.
    pub name_before: Option<Regex>,
    /// Weekday name right before a date ("Thursday, "), anchored at the end.
    pub weekday_before: Regex,
    /// Variant letter → the letter it stands for.
    pub variants: Vec<(char, char)>,
    pub relative_trigger: Option<Regex>,
    /// Modifier or approximate word right before an expression: `(?P<mod>…)|(?P<approx>…)`
    /// then optional space/hyphen, anchored at the end of the text before it.
    pub prefix: Regex,
    /// Interval opener right before an expression, anchored at the end.
    pub open: Regex,
    /// A join between two expressions (the whole gap).
    pub join: Regex,
    pub join_needs_open: Vec<String>,
    /// Count noun at the start of the text after a number.
    pub count_after: Regex,
    /// Page or section marker at the end of the text before a number.
    pub page_before: Regex,
    pub source_prefixes: Vec<String>,
    /// Publisher marker shortly before a year (a reference entry).
    pub publisher_before: Regex,
    pub author_joiners: Vec<String>,
    /// A citation marker right before a date, anchored at the end.
    pub citation_before: Option<Regex>,
    /// Words that, right before a modifier word, make it part of another word ("bắt đầu").
    pub mod_blockers: Vec<String>,
    /// An anniversary's count, in the group `n` ("25th anniversary", "25-летие").
    pub anniversary: Vec<Regex>,
    pub rules: Vec<Rule>,
    pub triggers: Triggers,
}

fn alternation(words: impl Iterator<Item = String>) -> String {
    let mut w: Vec<String> = words.collect();
    w.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    w.dedup();
    let parts: Vec<String> = w.iter().map(|s| spaced(&regex::escape(s))).collect();
    format!("(?:{})", parts.join("|"))
}

/// `s` with its first letter in capitals.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Each word as written, in lower case, capitalized, with every word capitalized (a title:
/// "Tháng Mười Một") and in capitals.
fn case_forms(words: impl Iterator<Item = String>) -> impl Iterator<Item = String> {
    words.flat_map(|w| {
        let lower = w.to_lowercase();
        let cap = capitalized(&lower);
        let title = lower
            .split(' ')
            .map(capitalized)
            .collect::<Vec<_>>()
            .join(" ");
        let upper = w.to_uppercase();
        [w, lower, cap, title, upper]
    })
}

/// A word list matched in any of its usual cases (lower, capitalized, capitals) by literal
/// alternatives: a case-insensitive match of a long list of non-ASCII words makes the regex
/// automaton far larger and slower than the three spellings do.
fn any_case(words: impl Iterator<Item = String>) -> String {
    format!("(?-i:{})", alternation_or_never(case_forms(words)))
}

/// An alternation that never matches, for an empty word list.
const NEVER: &str = r"(?:[^\s\S])";

fn alternation_or_never(words: impl Iterator<Item = String>) -> String {
    let mut w = words.peekable();
    if w.peek().is_none() {
        NEVER.to_string()
    } else {
        alternation(w)
    }
}

/// Lets every letter with a variant match the variant too ("ă" → "[ăǎ]"), outside and
/// inside character classes.
fn with_variants(re: &str, variants: &[(char, char)]) -> String {
    if variants.is_empty() {
        return re.to_string();
    }
    let mut out = String::with_capacity(re.len() + 16);
    let mut in_class = false;
    let mut escaped = false;
    for c in re.chars() {
        let alts: Vec<char> = variants
            .iter()
            .filter(|(_, canon)| *canon == c)
            .map(|(v, _)| *v)
            .collect();
        if escaped || alts.is_empty() {
            match c {
                '[' if !escaped => in_class = true,
                ']' if !escaped => in_class = false,
                _ => {}
            }
            escaped = !escaped && c == '\\';
            out.push(c);
            continue;
        }
        if in_class {
            out.push(c);
            out.extend(alts);
        } else {
            out.push('[');
            out.push(c);
            out.extend(alts);
            out.push(']');
        }
    }
    out
}

/// Spaces in a pattern match any whitespace run; ` ?` matches optional whitespace.
fn spaced(re: &str) -> String {
    let mut out = String::with_capacity(re.len() + 16);
    let mut in_class = false;
    let mut escaped = false;
    let mut chars = re.chars().peekable();
    while let Some(c) = chars.next() {
        if escaped {
            out.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            ' ' if !in_class => {
                if chars.peek() == Some(&'?') {
                    chars.next();
                    out.push_str(r"\s*");
                } else {
                    out.push_str(r"\s+");
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The word lists a rule's placeholders stand for, as regex alternations.
struct Placeholders {
    months: String,
    months_any_case: String,
    weekdays: String,
    eras: String,
    seasons: String,
    mods: String,
    rel: String,
    ana: String,
    deictic: String,
    dirs: String,
    units: String,
    numw: String,
    ordw: String,
}

impl Placeholders {
    fn new(f: &LangFile, num: &crate::extract::quantity::numeral::Numerals) -> Placeholders {
        let months = || f.months.keys().cloned();
        let card = any_case(num.cardinal_forms.iter().cloned());
        let join = any_case(num.joiner_forms.iter().cloned());
        let ord = any_case(num.ordinal_forms.iter().cloned());
        let tens = any_case(num.tens_forms.iter().cloned());
        // What a time needs in words, kept small so that the patterns stay fast: a cardinal
        // of up to three words ("twenty-five years", "сто двадцать лет"), an ordinal of one or
        // two ("fifth", "twenty-first", "двадцать пятого": days, centuries, quarters). The
        // numeral grammar checks what the pattern lets through.
        let numw = format!(r"(?:{card}(?:(?:\s+|\s*-\s*)(?:{join}\s+)?{card}){{0,2}})");
        let ordw = format!(r"(?:(?:{tens}(?:\s+|-))?{ord})");
        Placeholders {
            months: if f.months_case_sensitive {
                format!("(?-i:{})", alternation(months()))
            } else {
                any_case(months())
            },
            months_any_case: any_case(months()),
            weekdays: if f.months_case_sensitive {
                format!("(?-i:{})", alternation_or_never(f.weekdays.keys().cloned()))
            } else {
                any_case(f.weekdays.keys().cloned())
            },
            eras: format!("(?-i:{})", alternation_or_never(f.eras.keys().cloned())),
            seasons: any_case(f.seasons.keys().cloned()),
            mods: any_case(f.modifiers.keys().cloned()),
            rel: any_case(f.relative.keys().cloned()),
            ana: any_case(f.anaphoric.keys().cloned()),
            deictic: any_case(f.deictic.keys().cloned()),
            dirs: any_case(f.directions.keys().cloned()),
            units: any_case(f.units.keys().cloned()),
            numw,
            ordw,
        }
    }
}

fn expand(re: &str, p: &Placeholders) -> String {
    let mut out = String::with_capacity(re.len() * 2);
    let mut rest = re;
    while let Some(i) = rest.find('@') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let n = after
            .find(|c: char| !c.is_ascii_uppercase() && !c.is_ascii_digit())
            .unwrap_or(after.len());
        let name = &after[..n];
        let rep: &str = match name {
            "Y" => r"(?:1[0-9]|20)[0-9]{2}",
            "Y2" => r"[0-9]{2}",
            "YA" => r"[1-9][0-9]{0,3}",
            // Longer alternatives first: the leftmost-first match must not stop at "1" of
            // "16".
            "D" => r"(?:3[01]|[12][0-9]|0?[1-9])",
            "M" => r"(?:1[0-2]|0?[1-9])",
            "DASH" => r"\s*(?:--|[-–—−])\s*",
            "ROMAN" => r"(?-i:[IVXL]{1,6})",
            "MONTH" => &p.months,
            "MONTHI" => &p.months_any_case,
            "WEEKDAY" => &p.weekdays,
            "ERA" => &p.eras,
            "SEASON" => &p.seasons,
            "MOD" => &p.mods,
            "REL" => &p.rel,
            "ANA" => &p.ana,
            "DEICTIC" => &p.deictic,
            "DIR" => &p.dirs,
            "UNIT" => &p.units,
            "NUMW" => &p.numw,
            "ORDW" => &p.ordw,
            _ => {
                out.push('@');
                rest = after;
                continue;
            }
        };
        out.push_str(rep);
        rest = &after[n..];
    }
    out.push_str(rest);
    spaced(&out)
}

fn words_re(words: &[String]) -> String {
    alternation(words.iter().map(|w| w.to_lowercase()))
}

/// The hand-written file over the generated one: a hand-written entry wins.
fn merged<V: Clone>(
    generated: &HashMap<String, V>,
    hand: &HashMap<String, V>,
) -> HashMap<String, V> {
    let mut m = generated.clone();
    m.extend(hand.iter().map(|(k, v)| (k.clone(), v.clone())));
    m
}

fn load(src: &str, generated: &str, lang: Lang) -> TimeLang {
    let mut f: LangFile = toml::from_str(src).expect("embedded time data is valid TOML");
    let g: Generated = toml::from_str(generated).expect("generated time data is valid TOML");
    assert_eq!(
        f.code,
        lang.code(),
        "time data file holds the wrong language"
    );
    f.months = merged(&g.months, &f.months);
    f.weekdays = merged(&g.weekdays, &f.weekdays);
    f.eras = merged(&g.eras, &f.eras);
    f.deictic = merged(&g.deictic, &f.deictic);
    // A phrase in both tables is anaphoric: the narrative's year, not the reference's.
    f.deictic
        .retain(|k, _| !f.relative.keys().any(|r| spaced_key(r) == spaced_key(k)));
    let variants: Vec<(char, char)> = f
        .letter_variants
        .iter()
        .flat_map(|(canon, vs)| {
            let c = canon.chars().next().expect("a letter");
            vs.iter()
                .filter_map(move |v| v.chars().next().map(|v| (v, c)))
        })
        .collect();
    let compile = |re: &str| {
        let re = with_variants(re, &variants);
        Regex::new(&re).unwrap_or_else(|e| panic!("time data ({}): bad regex {re}: {e}", f.code))
    };
    let numerals = &crate::extract::quantity::data::data(lang).numerals;
    let ph = Placeholders::new(&f, numerals);
    let rules: Vec<Rule> = f
        .rule
        .iter()
        .enumerate()
        .map(|(order, r)| {
            let kind = match r.kind.as_str() {
                "date" => RuleKind::Date,
                "interval" => RuleKind::Interval,
                "decade" => RuleKind::Decade,
                "century" => RuleKind::Century,
                "season" => RuleKind::Season,
                "duration" => RuleKind::Duration,
                "relative" => RuleKind::Relative,
                "part" => RuleKind::Part,
                "clock" => RuleKind::Clock,
                k => panic!("time data ({}): unknown rule kind {k}", f.code),
            };
            let body = expand(&r.re, &ph);
            let pattern = with_variants(&format!("(?i){body}"), &variants);
            let hir = regex_syntax::parse(&pattern)
                .unwrap_or_else(|e| panic!("time data ({}): bad regex {pattern}: {e}", f.code));
            // Month words may be case-sensitive; everything else is not.
            Rule {
                kind,
                needs_digit: needs_digit(&hir),
                required: required(&hir).filter(|r| worth(r) >= 2),
                re: compile(&format!("(?i){body}")),
                unit: r.unit.clone(),
                lang,
                order,
                dateline: r.dateline,
                before: r.before.as_deref().map(|b| {
                    compile(&format!(
                        r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:{})$",
                        spaced(&expand(b, &ph))
                    ))
                }),
            }
        })
        .collect();
    let mods = alternation(f.modifiers.keys().cloned());
    let approx = alternation(f.approx.iter().cloned());
    let low = |m: &HashMap<String, String>| {
        m.iter()
            .map(|(k, v)| (k.to_lowercase(), v.clone()))
            .collect::<HashMap<_, _>>()
    };
    let code = f.code.clone();
    TimeLang {
        lang,
        numeric_order: match f.numeric_order.as_str() {
            "dmy" => NumericOrder::Dmy,
            "mdy" => NumericOrder::Mdy,
            _ => NumericOrder::Context,
        },
        months_case_sensitive: f.months_case_sensitive,
        months: f.months.clone(),
        months_folded: f
            .months
            .iter()
            .map(|(k, v)| (k.to_lowercase(), *v))
            .collect(),
        weekdays: f
            .weekdays
            .iter()
            .map(|(k, v)| (spaced_key(k), *v))
            .collect(),
        eras: f.eras.iter().map(|(k, v)| (k.clone(), v == "bc")).collect(),
        seasons: low(&f.seasons),
        modifiers: low(&f.modifiers),
        relative: f
            .relative
            .iter()
            .map(|(k, v)| (spaced_key(k), *v))
            .collect(),
        deictic: f
            .deictic
            .iter()
            .map(|(k, v)| (spaced_key(k), deictic_value(&code, v)))
            .collect(),
        anaphoric: f
            .anaphoric
            .iter()
            .map(|(k, v)| (spaced_key(k), deictic_value(&code, v)))
            .collect(),
        halves: f.halves.iter().map(|(k, v)| (spaced_key(k), *v)).collect(),
        directions: f
            .directions
            .iter()
            .map(|(k, v)| (spaced_key(k), *v))
            .collect(),
        units: f
            .units
            .iter()
            .map(|(k, v)| {
                let u = RelUnit::parse(v)
                    .unwrap_or_else(|| panic!("time data ({code}): bad unit {v:?}"));
                (spaced_key(k), u)
            })
            .collect(),
        name_before: (!f.name_before.is_empty()).then(|| {
            compile(&format!(
                r"(?i)(?:^|[^\p{{L}}\p{{N}}]){}\s*$",
                words_re(&f.name_before)
            ))
        }),
        weekday_before: compile(&format!(
            r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?P<wd>{})\.?,?\s*$",
            ph.weekdays
        )),
        variants: variants.clone(),
        relative_trigger: f.relative_trigger.as_deref().map(compile),
        prefix: compile(&format!(
            r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:(?P<mod>{mods})|(?P<approx>{approx}))[\s-]*$"
        )),
        open: compile(&format!(
            r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?P<open>{})\s*$",
            words_re(&f.interval_open)
        )),
        join: compile(&format!(
            r"(?i)^\s*(?P<join>{})\s*$",
            words_re(&f.interval_join)
        )),
        join_needs_open: f.join_needs_open.iter().map(|s| s.to_lowercase()).collect(),
        count_after: compile(&format!(
            r"(?i)^\s*(?:{})(?:$|[^\p{{L}}\p{{N}}])",
            words_re(&f.count_nouns)
        )),
        page_before: compile(&format!(
            r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:{})\s*(?:[0-9]+\s*[-–,]\s*)?$",
            words_re(&f.page_markers)
        )),
        source_prefixes: f.source_prefixes.iter().map(|s| s.to_lowercase()).collect(),
        publisher_before: compile(&format!(
            r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:{})[^\n\[\]()“”]{{0,80}}[,.:]\s*$",
            words_re(&f.publisher_markers)
        )),
        author_joiners: f.author_joiners.clone(),
        citation_before: (!f.citation_markers.is_empty()).then(|| {
            compile(&format!(
                r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:{})\s*[:,]?\s*$",
                words_re(&f.citation_markers)
            ))
        }),
        mod_blockers: f.mod_blockers.iter().map(|s| s.to_lowercase()).collect(),
        anniversary: f
            .anniversary
            .iter()
            .map(|a| compile(&format!("(?i){a}")))
            .collect(),
        triggers: Triggers::new(&rules),
        rules,
    }
}

/// Replaces variant letters by the letters they stand for ("nǎm" → "năm").
pub fn canonical(tl: &TimeLang, s: &str) -> String {
    if tl.variants.is_empty() || !s.chars().any(|c| tl.variants.iter().any(|(v, _)| *v == c)) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            tl.variants
                .iter()
                .find(|(v, _)| *v == c)
                .map_or(c, |(_, canon)| *canon)
        })
        .collect()
}

/// Collapses whitespace runs so a matched phrase finds its table entry.
pub fn spaced_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

static DATA: LazyLock<Vec<TimeLang>> = LazyLock::new(|| {
    Lang::all()
        .iter()
        .map(|&l| {
            load(
                crate::data::required_lang_file("time", l.code()),
                crate::data::generated_lang_file("time", l.code()).unwrap_or(""),
                l,
            )
        })
        .collect()
});

/// The time knowledge of every language, in [`Lang::all`] order.
pub fn all() -> &'static [TimeLang] {
    &DATA
}

/// One language's time knowledge.
pub fn of(lang: Lang) -> &'static TimeLang {
    &DATA[lang.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_loads() {
        for &l in Lang::all() {
            let tl = of(l);
            assert_eq!(tl.lang, l);
            assert!(!tl.rules.is_empty());
        }
    }

    #[test]
    fn spaces_in_rules_match_whitespace_runs() {
        assert_eq!(spaced("a b"), r"a\s+b");
        assert_eq!(spaced("a ?b"), r"a\s*b");
        assert_eq!(spaced("[ -]"), "[ -]");
    }
}
