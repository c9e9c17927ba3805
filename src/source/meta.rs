//! A source's own bibliographic metadata, read from its text: the title, authors, year,
//! venue, kind, volume, issue, pages, URL and DOI that a historian would cite it by.
//!
//! [`read`] looks at the *head* of the text (its first 8 KB, up to the first long body
//! paragraph or a line that opens the text proper: "Abstract", "MỞ ĐẦU", "Введение") and
//! recognises the shapes sources open with:
//! - **thesis title pages**: university lines, the author, the title, "LUẬN ÁN TIẾN SĨ …" /
//!   "ДИССЕРТАЦИЯ на соискание …" / "A dissertation submitted …", labels ("Chuyên ngành",
//!   "Научный руководитель"), the city and year ("HÀ NỘI - 2015");
//! - **article headers**: a journal line ("Tạp chí …", "Вестник …", "… Journal …") with its
//!   volume, issue, pages and year ("Tập 5, Số 3 (2015), tr. 12-25", "№ 3 (2015). С. 12–25",
//!   "Volume 8 | Issue 1 | 2022"), ISSN and DOI lines, the title, the author lines (with
//!   degrees "PGS.TS.", "к.и.н.", "Dr." and affiliations);
//! - **encyclopedia pages**: the title line and its marker ("From Wikipedia, the free
//!   encyclopedia", "Материал из Википедии"), or a wiki heading `= Title =`;
//! - **news**: the headline, a date line ("Thursday, 2 May, 2002"), a dateline with its
//!   agency ("HANOI, April 16 (RIA Novosti) -"), a byline ("By …"), a source line at the end
//!   ("Theo TTXVN");
//! - **running heads** repeated on many pages ("Journal of X, Vol 3, 2015"), over the whole
//!   text, when the head names no venue.
//!
//! The words of these shapes are data: `data/meta/<code>.toml` of every language of the
//! registry, merged (a Vietnamese article may carry an English journal header). No code
//! names a language; adding one is adding its file.
//!
//! # Guarantees
//! - Never panics, on any input; linear in the text's length (the head is bounded, the
//!   running-head count is one pass with a hash map).
//! - Precision over coverage: a field is left `None` (or empty) when the head does not state
//!   it in a shape read here. A title must be short (at most 25 words; 45 in a language
//!   whose written words are syllables), stand at the head on a line (or a few wrapped lines)
//!   of its own, not end in a sentence's period, and be borne out: by an author line after
//!   it, a thesis or encyclopedia page, the HTML `<title>` ([`MetaHint::html_title`]), or by
//!   being the text's first title-shaped line with a break after it. A body sentence is never
//!   taken.
//! - Every field found has at least one [`MetaEvidence`]: the byte range of `text` it was
//!   read from (char boundaries, inside the text). For the title, each author, the volume,
//!   the issue, the URL and the DOI, the range's text with its whitespace runs made one
//!   space *is* the value (a title wrapped over two lines is joined with a space). The year
//!   and pages ranges hold their digits; each range of the venue holds a part of it
//!   (a thesis's venue is its degree line and its university line, joined by ", "), except
//!   an encyclopedia's site, which is named by the data of the marker its range points at.
//!
//! # Examples
//! ```
//! use annals::source::meta::{read, MetaField, MetaHint, MetaKind};
//! let text = "Tạp chí Nghiên cứu Lịch sử, Số 3 (2015), tr. 12-25\n\n\
//!             QUAN HỆ VIỆT NAM - LIÊN XÔ\nTRONG NHỮNG NĂM 1975-1991\n\n\
//!             PGS.TS. Nguyễn Văn Hùng\n\nTóm tắt: Bài viết phân tích …\n";
//! let m = read(text, MetaHint::default());
//! assert_eq!(m.title.as_deref(), Some("QUAN HỆ VIỆT NAM - LIÊN XÔ TRONG NHỮNG NĂM 1975-1991"));
//! assert_eq!(m.authors, vec!["Nguyễn Văn Hùng".to_string()]);
//! assert_eq!(m.venue.as_deref(), Some("Tạp chí Nghiên cứu Lịch sử"));
//! assert_eq!((m.year, m.issue.as_deref(), m.pages), (Some(2015), Some("3"), Some((12, 25))));
//! assert_eq!(m.kind, Some(MetaKind::Article));
//! let ev = m.evidence.iter().find(|e| e.field == MetaField::Author).unwrap();
//! assert_eq!(&text[ev.start..ev.end], "Nguyễn Văn Hùng");
//! ```

use crate::text::lang::Lang;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// What kind of work a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaKind {
    Article,
    Thesis,
    Book,
    Chapter,
    Encyclopedia,
    News,
    Web,
}

/// The field a piece of evidence is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaField {
    Title,
    Author,
    Year,
    Venue,
    Kind,
    Volume,
    Issue,
    Pages,
    Url,
    Doi,
}

/// Where a field was read: `text[start..end]`, byte offsets of the text given to [`read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetaEvidence {
    pub field: MetaField,
    pub start: usize,
    pub end: usize,
}

/// A source's bibliographic metadata as its own text states it (see the module's
/// guarantees).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SourceMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub kind: Option<MetaKind>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<(u32, u32)>,
    pub url: Option<String>,
    pub doi: Option<String>,
    pub evidence: Vec<MetaEvidence>,
}

/// What the caller knows beside the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct MetaHint<'a> {
    /// The HTML `<title>` of the source, when it is a web page: a line of the head that it
    /// names is taken as the title (the hint is never the value itself, which must point
    /// at the text).
    pub html_title: Option<&'a str>,
    /// The text's language, when known (else identified from the head): it sets how many
    /// words a title may have.
    pub lang: Option<Lang>,
}

// ---------------------------------------------------------------------------------------
// Data.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    code: String,
    thesis: Vec<String>,
    university: Vec<String>,
    journal: Vec<String>,
    journal_words: Vec<String>,
    newspaper: Vec<String>,
    publisher: Vec<String>,
    volume: Vec<String>,
    issue: Vec<String>,
    pages: Vec<String>,
    labels: Vec<String>,
    head_end: Vec<String>,
    byline: Vec<String>,
    news_source: Vec<String>,
    url_cues: Vec<String>,
    and: Vec<String>,
    connectors: Vec<String>,
    degrees: Vec<String>,
    name_stopwords: Vec<String>,
    places: Vec<String>,
    dates: Vec<String>,
    #[serde(default)]
    encyclopedia: Vec<EncyFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EncyFile {
    marker: String,
    venue: String,
}

/// Every language's words merged; phrase lists lowercased, longest first.
#[derive(Default)]
struct Data {
    thesis: Vec<String>,
    university: Vec<String>,
    journal: Vec<String>,
    journal_words: Vec<String>,
    newspaper: Vec<String>,
    publisher: Vec<String>,
    labels: Vec<String>,
    head_end: Vec<String>,
    byline: Vec<String>,
    news_source: Vec<String>,
    url_cues: Vec<String>,
    and: Vec<String>,
    degrees: Vec<String>,
    connectors: std::collections::HashSet<String>,
    /// Abbreviations of every language (a title may end in one: "1975–1991 гг.").
    abbreviations: std::collections::HashSet<String>,
    name_stopwords: std::collections::HashSet<String>,
    places: std::collections::HashSet<String>,
    dates: std::collections::HashSet<String>,
    encyclopedia: Vec<(String, String)>,
    volume_re: Option<Regex>,
    issue_re: Option<Regex>,
    pages_re: Option<Regex>,
}

/// A regex of `markers` (escaped, longest first) at a word start, then `tail`.
fn marker_re(markers: &[String], tail: &str) -> Option<Regex> {
    if markers.is_empty() {
        return None;
    }
    let alt: Vec<String> = markers.iter().map(|m| regex::escape(m)).collect();
    let re = format!(r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:{})\s*{tail}", alt.join("|"));
    Some(Regex::new(&re).expect("meta markers make a valid regex"))
}

static DATA: LazyLock<Data> = LazyLock::new(|| {
    let mut d = Data::default();
    let (mut vol, mut iss, mut pag) = (Vec::new(), Vec::new(), Vec::new());
    for l in Lang::all() {
        let path = format!("data/meta/{}.toml", l.code());
        let f: File = toml::from_str(crate::data::required_lang_file("meta", l.code()))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(f.code, l.code(), "{path} holds the wrong language");
        let low = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase());
        d.thesis.extend(low(f.thesis));
        d.university.extend(low(f.university));
        d.journal.extend(low(f.journal));
        d.journal_words.extend(low(f.journal_words));
        d.newspaper.extend(low(f.newspaper));
        d.publisher.extend(low(f.publisher));
        d.labels.extend(low(f.labels));
        d.head_end.extend(low(f.head_end));
        d.byline.extend(low(f.byline));
        d.news_source.extend(low(f.news_source));
        d.url_cues.extend(low(f.url_cues));
        d.and.extend(low(f.and));
        d.degrees.extend(low(f.degrees));
        d.connectors.extend(low(f.connectors));
        d.abbreviations
            .extend(l.data().abbreviations.iter().cloned());
        d.name_stopwords.extend(low(f.name_stopwords));
        d.places.extend(low(f.places));
        d.dates.extend(low(f.dates));
        vol.extend(low(f.volume));
        iss.extend(low(f.issue));
        pag.extend(low(f.pages));
        for e in f.encyclopedia {
            d.encyclopedia.push((e.marker.to_lowercase(), e.venue));
        }
        // Words a language says are never a name by themselves.
        d.name_stopwords.extend(l.data().not_names.iter().cloned());
    }
    for v in [
        &mut d.thesis,
        &mut d.university,
        &mut d.journal,
        &mut d.journal_words,
        &mut d.newspaper,
        &mut d.publisher,
        &mut d.labels,
        &mut d.head_end,
        &mut d.byline,
        &mut d.news_source,
        &mut d.url_cues,
        &mut d.and,
        &mut d.degrees,
        &mut vol,
        &mut iss,
        &mut pag,
    ] {
        v.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
        v.dedup();
    }
    d.volume_re = marker_re(&vol, r"(\d{1,4}|[IVXLC]{1,6}\b)");
    d.issue_re = marker_re(&iss, r"(\d{1,5})");
    d.pages_re = marker_re(&pag, r"(\d{1,5})\s*[-–—]\s*(\d{1,5})");
    d
});

// ---------------------------------------------------------------------------------------
// Matching.

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The byte length of the prefix of `s` that spells `phrase` (lowercase; a space in it
/// matches a run of whitespace) case-insensitively, ending at a word boundary.
fn prefix_ci(s: &str, phrase: &str) -> Option<usize> {
    let mut it = s.char_indices().peekable();
    let mut end = 0;
    for p in phrase.chars() {
        let (i, c) = it.next()?;
        if p == ' ' {
            if !c.is_whitespace() {
                return None;
            }
            end = i + c.len_utf8();
            while let Some(&(j, w)) = it.peek() {
                if !w.is_whitespace() {
                    break;
                }
                end = j + w.len_utf8();
                it.next();
            }
            continue;
        }
        if lower(c) != p {
            return None;
        }
        end = i + c.len_utf8();
    }
    let word_end = phrase.chars().last().is_some_and(char::is_alphanumeric);
    if word_end && s[end..].chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some(end)
}

/// The first phrase of `list` that `s` starts with: the byte length it covers.
fn starts_any(s: &str, list: &[String]) -> Option<usize> {
    list.iter().find_map(|p| prefix_ci(s, p))
}

/// Where a phrase of `list` first stands in `s` at a word start: its byte range.
fn find_any(s: &str, list: &[String]) -> Option<(usize, usize)> {
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        let word_start = prev.is_none_or(|p| !p.is_alphanumeric()) || !c.is_alphanumeric();
        if word_start && let Some(n) = starts_any(&s[i..], list) {
            return Some((i, i + n));
        }
        prev = Some(c);
    }
    None
}

fn words(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn has_lower(s: &str) -> bool {
    s.chars().any(char::is_lowercase)
}

fn starts_lower(s: &str) -> bool {
    s.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase)
}

/// Letters all capitals (and at least two of them).
fn all_caps(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !has_lower(s)
}

/// Whitespace runs made one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid built-in regex")
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"(?:19|20)\d\d|2100"));
static DOI: LazyLock<Regex> = LazyLock::new(|| re(r"\b10\.\d{4,9}/[^\s<>\x22“”]+"));
static URL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:https?://|www\.)[^\s<>\x22“”]+"));
static ISSN: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:e-|p-)?issn\b"));
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|[IVXLC]{1,6}[.)])\s+"));
static WIKI_HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^=\s*([^=\s][^=]*?)\s*=$"));
/// "HANOI, April 16 (RIA Novosti) -", "HANOI, May 20. /TASS/.", "ХАНОЙ, 23 июл - РИА "Новости",".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^\p{Lu}[\p{Lu}\p{M}'’ \-]{2,30},\s*([^()/\n]{1,40}?)\s*(?:\(([^()]{2,30})\)|/([^/]{2,20})/|[-–—]\s*(\p{Lu}[^,.\-–—]{1,30}?)\s*[,.])"#,
    )
});
static NAME_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:\p{Lu}\p{Ll}?\.[-‐]?)+|(?:\p{Lu}\.[-‐]?)+\p{Lu}[\p{Ll}\p{M}]+|\p{Lu}[\p{Ll}\p{M}]+(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*|\p{Lu}[\p{Lu}\p{M}]+(?:[-'’]\p{Lu}[\p{Lu}\p{M}]*)*|\p{Lu})$",
    )
});

/// A year 1900–2100 in `s` that is no part of a longer number or of a range of years:
/// its byte range and value.
fn find_year(s: &str) -> Option<(usize, usize, i32)> {
    let b = s.as_bytes();
    for m in YEAR.find_iter(s) {
        let (a, z) = (m.start(), m.end());
        if a > 0 && b[a - 1].is_ascii_digit() || z < b.len() && b[z].is_ascii_digit() {
            continue;
        }
        let before = s[..a].trim_end_matches([' ', '-', '–', '—']);
        let after = s[z..].trim_start_matches([' ', '-', '–', '—']);
        let dashed_before =
            before.len() < s[..a].len() && s[before.len()..a].contains(['-', '–', '—']);
        let dashed_after = after.len() < s[z..].len()
            && s[z..z + (s[z..].len() - after.len())].contains(['-', '–', '—']);
        let year_before = dashed_before && before.len() >= 4 && {
            let t = &before[before.len() - 4..];
            t.bytes().all(|c| c.is_ascii_digit())
        };
        let year_after = dashed_after
            && after.len() >= 4
            && after.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        if year_before || year_after {
            continue;
        }
        if let Ok(y) = m.as_str().parse() {
            return Some((a, z, y));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Lines of the head.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    Blank,
    /// `= Title =`: the title's byte range within the line.
    Wiki(usize, usize),
    /// An encyclopedia marker: its index in the data, and its range within the line.
    Ency(usize, usize, usize),
    Stop,
    Thesis,
    Dateline,
    Imprint,
    Label,
    /// A byline: the start of the names after the cue, within the line.
    Byline(usize),
    Univ,
    Date,
    CityYear,
    Affil,
    Name,
    Skip,
    Plain,
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// Trimmed.
    s: &'a str,
    start: usize,
    kind: K,
    words: usize,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.s.len()
    }
    fn content(&self) -> bool {
        !matches!(self.kind, K::Blank | K::Skip)
    }
}

struct Limits {
    title_words: usize,
    body_line_words: usize,
}

/// The names of an author line: each name's byte range within `s`; `None` when the line is
/// no author line (its first part must be a person's name).
fn author_names(s: &str, d: &Data) -> Option<Vec<(usize, usize)>> {
    if s.chars().count() > 160 {
        return None;
    }
    // Parts: split at , ; & and the data's "and" words.
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if matches!(c, ',' | ';' | '&') {
            parts.push((start, i));
            i += c.len_utf8();
            start = i;
            continue;
        }
        if c.is_whitespace()
            && let Some(n) = starts_any(rest.trim_start(), &d.and)
        {
            let ws = rest.len() - rest.trim_start().len();
            let after = &rest[ws + n..];
            if after.starts_with(char::is_whitespace) {
                parts.push((start, i));
                i += ws + n;
                start = i;
                continue;
            }
        }
        i += c.len_utf8();
    }
    parts.push((start, s.len()));
    let mut names = Vec::new();
    for (k, &(a, b)) in parts.iter().enumerate() {
        let Some((x, y)) = strip_person(&s[a..b], d) else {
            if k == 0 {
                return None;
            }
            break;
        };
        if x == y {
            continue; // a degree alone ("к.и.н.")
        }
        names.push((a + x, a + y));
    }
    (!names.is_empty()).then_some(names)
}

/// A part of an author line without its degrees and footnote marks: the name's range
/// within `p`, empty when the part is degrees only; `None` when it is no person's name.
fn strip_person(p: &str, d: &Data) -> Option<(usize, usize)> {
    let mut a = p.len() - p.trim_start().len();
    loop {
        let rest = &p[a..];
        let Some(n) = starts_any(rest, &d.degrees) else {
            break;
        };
        let after = &rest[n..];
        let skip = after.len() - after.trim_start_matches([' ', '.', ',']).len();
        a += n + skip;
    }
    let rest = &p[a..];
    let t = rest.trim_end_matches(|c: char| {
        c.is_whitespace()
            || c.is_ascii_digit()
            || matches!(c, '*' | '†' | '‡' | ',' | ')' | '(')
            || ('\u{2070}'..='\u{209f}').contains(&c)
            || matches!(c, '¹' | '²' | '³')
    });
    if t.is_empty() {
        return Some((a, a));
    }
    let b = a + t.len();
    is_person(t, d).then_some((a, b))
}

/// A person's name: 2–5 capitalised words or initials, no stop word, no place.
fn is_person(t: &str, d: &Data) -> bool {
    let toks: Vec<&str> = t.split_whitespace().collect();
    if !(2..=5).contains(&toks.len()) || t.chars().count() > 60 {
        return false;
    }
    if d.places.contains(&squash(t).to_lowercase()) {
        return false;
    }
    let mut full = 0;
    for (i, w) in toks.iter().enumerate() {
        if !NAME_TOKEN.is_match(w) {
            return false;
        }
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 1 && !w.contains('.') && i + 1 != toks.len() {
            return false;
        }
        if d.name_stopwords.contains(&w.to_lowercase()) {
            return false;
        }
        if letters >= 2 && !w.ends_with('.') {
            full += 1;
        }
    }
    full >= 1
}

/// A short line of a date: month and weekday words, capitals, numbers. `Some(true)` when
/// it names a month or weekday.
fn is_date_line(s: &str, d: &Data) -> Option<bool> {
    if s.len() > 80 || words(s) > 10 || !s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut month = false;
    let mut run = String::new();
    let mut ok = true;
    let mut check = |run: &mut String| {
        if !run.is_empty() {
            let l = run.to_lowercase();
            if d.dates.contains(&l) {
                month = true;
            } else if has_lower(run) {
                ok = false;
            }
            run.clear();
        }
    };
    for c in s.chars() {
        if c.is_alphabetic() {
            run.push(c);
        } else {
            check(&mut run);
        }
    }
    check(&mut run);
    let numeric_date = s
        .split(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.')))
        .any(|t| t.split(['-', '/', '.']).filter(|x| !x.is_empty()).count() == 3);
    // A month or date word counts with a day's number ("May 20", "ngày 5").
    let day = s
        .split(|c: char| !c.is_ascii_digit())
        .any(|t| (1..=2).contains(&t.len()));
    (ok && (month && day || find_year(s).is_some() || numeric_date)).then_some(month)
}

/// "HÀ NỘI - 2015", "Москва – 2010", "Hà Nội, 2015": a few capitalised words, a year last.
fn is_city_year(s: &str) -> bool {
    let toks: Vec<&str> = s.split_whitespace().collect();
    let Some(last) = toks.last() else {
        return false;
    };
    let y = last.trim_end_matches('.');
    if !(y.len() == 4 && find_year(y).is_some()) || toks.len() > 6 {
        return false;
    }
    let before = &toks[..toks.len() - 1];
    let mut word = false;
    for t in before {
        let t = t.trim_matches([',', '-', '–', '—']);
        if t.is_empty() {
            continue;
        }
        if !t.chars().next().is_some_and(char::is_uppercase)
            || t.chars().any(|c| c.is_ascii_digit())
        {
            return false;
        }
        word = true;
    }
    word
}

fn classify(s: &str, first_content: bool, d: &Data) -> K {
    if s.is_empty() {
        return K::Blank;
    }
    if !s.chars().any(char::is_alphabetic) {
        let y = s.trim_end_matches('.');
        if y.len() == 4 && find_year(y).is_some() {
            return K::CityYear;
        }
        if is_date_line(s, d).is_some() {
            return K::Date;
        }
        return K::Skip;
    }
    if first_content && let Some(c) = WIKI_HEADING.captures(s) {
        let m = c.get(1).expect("group 1");
        return K::Wiki(m.start(), m.end());
    }
    for (k, (marker, _)) in d.encyclopedia.iter().enumerate() {
        if let Some((a, b)) = find_any(s, std::slice::from_ref(marker)) {
            return K::Ency(k, a, b);
        }
    }
    let unnumbered = NUMBERED.find(s).map_or(s, |m| &s[m.end()..]);
    if let Some(n) = starts_any(unnumbered, &d.head_end) {
        let rest = unnumbered[n..].trim_start();
        let opens = rest.is_empty()
            || rest.starts_with([':', '.', '-', '–', '—'])
            || rest.starts_with(|c: char| c.is_ascii_digit())
            || NUMBERED.is_match(&format!(
                "{} ",
                rest.split_whitespace().next().unwrap_or("")
            ));
        if opens {
            return K::Stop;
        }
    }
    if starts_any(s, &d.thesis).is_some() {
        return K::Thesis;
    }
    if let Some(c) = DATELINE.captures(s)
        && c.get(1)
            .is_some_and(|m| m.as_str().chars().any(|c| c.is_ascii_digit()))
        && agency(&c).is_some()
    {
        return K::Dateline;
    }
    let n = words(s);
    if n > 30 {
        return K::Plain;
    }
    let markers = [&d.volume_re, &d.issue_re, &d.pages_re]
        .iter()
        .any(|r| r.as_ref().is_some_and(|r| r.is_match(s)));
    if let Some(month) = is_date_line(s, d)
        && (month || !markers)
    {
        return K::Date;
    }
    if ISSN.is_match(s) || DOI.is_match(s) || venue_line(s, d).is_some() || markers {
        return K::Imprint;
    }
    if starts_any(s, &d.labels).is_some() {
        return K::Label;
    }
    if let Some(n) = starts_any(s, &d.byline) {
        let rest = s[n..].trim_start_matches([' ', ':', '\t']);
        let at = s.len() - rest.len();
        if rest.is_empty() || author_names(rest, d).is_some() {
            return K::Byline(at);
        }
    }
    if n <= 15 && find_any(s, &d.university).is_some() {
        return K::Univ;
    }
    if is_city_year(s) {
        return K::CityYear;
    }
    if s.contains('@') {
        return K::Affil;
    }
    if author_names(s, d).is_some() {
        return K::Name;
    }
    K::Plain
}

/// The agency of a dateline's captures: its range in the line.
fn agency(c: &regex::Captures<'_>) -> Option<(usize, usize)> {
    let m = c.get(2).or_else(|| c.get(3)).or_else(|| c.get(4))?;
    let t = m.as_str().trim();
    let ok = !t.is_empty()
        && t.split_whitespace().count() <= 3
        && t.split_whitespace().all(|w| {
            w.trim_start_matches(['"', '«', '“'])
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        });
    ok.then(|| {
        let a = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
        (a, a + t.len())
    })
}

/// The venue a line names (journal, newspaper, publisher): its range in the line and the
/// kind it gives.
fn venue_line(s: &str, d: &Data) -> Option<(usize, usize, MetaKind)> {
    let cap_next = |n: usize| {
        s[n..]
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '"' || c == '«' || c == '“')
    };
    let kind = if let Some(n) = starts_any(s, &d.journal) {
        cap_next(n).then_some(MetaKind::Article)
    } else if let Some(n) = starts_any(s, &d.newspaper) {
        cap_next(n).then_some(MetaKind::News)
    } else if starts_any(s, &d.publisher).is_some() {
        Some(MetaKind::Book)
    } else if words(s) <= 15
        && s.chars().next().is_some_and(char::is_uppercase)
        && find_any(s, &d.journal_words).is_some()
    {
        Some(MetaKind::Article)
    } else {
        None
    }?;
    // The venue's name: up to the first separator before its numbers.
    let mut end = s.len();
    for r in [&d.volume_re, &d.issue_re, &d.pages_re]
        .into_iter()
        .flatten()
    {
        if let Some(m) = r.find(s) {
            end = end.min(m.start());
        }
    }
    if let Some((a, _, _)) = find_year(s) {
        end = end.min(a);
    }
    if let Some(m) = DOI.find(s).or_else(|| ISSN.find(s)).or_else(|| URL.find(s)) {
        end = end.min(m.start());
    }
    if let Some(i) = s[..end].find(['|', ',', '(', '/']) {
        end = i;
    }
    let name = s[..end]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '-' | '–' | '—' | ':'));
    (words(name) >= 1 && name.chars().any(char::is_alphabetic)).then_some((0, name.len(), kind))
}

// ---------------------------------------------------------------------------------------
// Reading.

struct Out<'t> {
    text: &'t str,
    m: SourceMeta,
}

impl Out<'_> {
    fn ev(&mut self, field: MetaField, start: usize, end: usize) {
        self.m.evidence.push(MetaEvidence { field, start, end });
    }
    fn set_title(&mut self, start: usize, end: usize) {
        self.m.title = Some(squash(&self.text[start..end]));
        self.ev(MetaField::Title, start, end);
    }
    fn add_author(&mut self, start: usize, end: usize) {
        let a = squash(&self.text[start..end]);
        if !self.m.authors.contains(&a) && self.m.authors.len() < 12 {
            self.m.authors.push(a);
            self.ev(MetaField::Author, start, end);
        }
    }
    fn set_kind(&mut self, kind: MetaKind, start: usize, end: usize) {
        if self.m.kind.is_none() {
            self.m.kind = Some(kind);
            self.ev(MetaField::Kind, start, end);
        }
    }
    fn set_year(&mut self, line: &Line<'_>) -> bool {
        if self.m.year.is_none()
            && let Some((a, b, y)) = find_year(line.s)
        {
            self.m.year = Some(y);
            self.ev(MetaField::Year, line.start + a, line.start + b);
            return true;
        }
        false
    }
}

/// What a stored source states of itself: its bytes decoded as `enc` (an HTML page reduced
/// to its text first), read by [`read`]; each piece of evidence also as a byte range of
/// `bytes` (field, start, end). Empty when the bytes do not decode.
pub fn read_source(
    bytes: &[u8],
    enc: crate::source::decode::Encoding,
    html: bool,
    hint: MetaHint<'_>,
) -> (SourceMeta, Vec<(MetaField, usize, usize)>) {
    let Ok(decoded) = crate::source::decode::decode_as(bytes, enc) else {
        return (SourceMeta::default(), Vec::new());
    };
    let text = if html {
        crate::source::html::html_to_text(&decoded.text).text
    } else {
        decoded.text
    };
    let meta = read(text.as_str(), hint);
    let at = meta
        .evidence
        .iter()
        .map(|e| {
            let r = text.source_range(e.start..e.end);
            (e.field, r.start, r.end)
        })
        .collect();
    (meta, at)
}

/// Reads the bibliographic metadata `text` states of itself (see the module's
/// documentation). `text` is the document's text as the user sees it.
pub fn read(text: &str, hint: MetaHint<'_>) -> SourceMeta {
    let d = &*DATA;
    let head_len = text.floor_char_boundary(8 * 1024);
    let head = &text[..head_len];
    let lang = hint.lang.unwrap_or_else(|| {
        crate::text::lang::identify(&head[..head.floor_char_boundary(2000)], Lang::fallback())
    });
    let syllabic = lang.data().syllabic;
    let lim = Limits {
        title_words: if syllabic { 45 } else { 25 },
        body_line_words: if syllabic { 54 } else { 30 },
    };
    // The head's lines, up to the text proper.
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut pos = 0;
    let mut seen_content = false;
    for raw in head.split_inclusive('\n') {
        let start_raw = pos;
        pos += raw.len();
        let lead = raw.len() - raw.trim_start().len();
        let s = raw.trim();
        let kind = classify(s, !seen_content, d);
        let n = words(s);
        let line = Line {
            s,
            start: start_raw + if s.is_empty() { 0 } else { lead },
            kind,
            words: n,
        };
        if kind == K::Stop || kind == K::Plain && n > lim.body_line_words {
            break;
        }
        let dateline = kind == K::Dateline;
        lines.push(line);
        if dateline && n > lim.body_line_words / 2 {
            break;
        }
        seen_content |= line.content();
    }
    // A date inside running text is not the source's date line: one in brackets (an aside),
    // or one the next line goes on from (". Cuộc gặp…", ", when…", a lowercase word).
    for i in 0..lines.len() {
        if lines[i].kind != K::Date {
            continue;
        }
        let s = lines[i].s;
        let bracketed = s.starts_with(['(', '[']) && s.ends_with([')', ']']);
        let continued = lines[i + 1..]
            .iter()
            .find(|l| !l.s.is_empty())
            .is_some_and(|l| {
                l.s.starts_with(['.', ',', ';', ':', ')', ']'])
                    || l.s.chars().next().is_some_and(char::is_lowercase)
            });
        if bracketed || continued {
            lines[i].kind = K::Skip;
        }
    }
    let mut out = Out {
        text,
        m: SourceMeta::default(),
    };
    let body_at = choose_title(&lines, &lim, &hint, d, &mut out);
    let lines = &lines[..body_at.min(lines.len())];
    fields(lines, d, &mut out);
    if out.m.venue.is_none() {
        running_head(text, d, &mut out);
    }
    if out.m.venue.is_none() {
        news_source(text, d, &mut out);
    }
    if out.m.kind.is_none()
        && out.m.title.is_some()
        && hint.html_title.is_some()
        && let Some(e) = out
            .m
            .evidence
            .iter()
            .find(|e| e.field == MetaField::Title)
            .copied()
    {
        out.set_kind(MetaKind::Web, e.start, e.end);
    }
    out.m
}

/// The title built from the plain line at `i`: the index of its last line, or `Err` when
/// the lines run on as wrapped prose (a body paragraph).
fn build_title(lines: &[Line<'_>], i: usize, lim: &Limits) -> Result<usize, ()> {
    let mut last = i;
    let mut n = lines[i].words;
    loop {
        // The next content line, across at most one blank line.
        let mut j = last + 1;
        let mut blanks = 0;
        while j < lines.len() && !lines[j].content() {
            blanks += usize::from(lines[j].kind == K::Blank);
            j += 1;
        }
        if j >= lines.len() || blanks > 1 {
            break;
        }
        let (cur, next) = (&lines[last], &lines[j]);
        if !matches!(next.kind, K::Plain | K::Name) {
            break;
        }
        let cur_last = cur.s.split_whitespace().last().unwrap_or("").to_lowercase();
        let next_first = next
            .s
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase();
        let joins = starts_lower(next.s)
            || (blanks == 0
                && (cur.s.ends_with(['-', '–', '—', ':', ','])
                    || DATA.connectors.contains(&cur_last)
                    || all_caps(cur.s) && DATA.connectors.contains(&next_first)
                    || all_caps(cur.s) && all_caps(next.s)));
        if !joins {
            break;
        }
        last = j;
        n += next.words;
        if last - i >= 6 || n > lim.title_words + 10 {
            return Err(());
        }
    }
    let lines_used = lines[i..=last].iter().filter(|l| l.content()).count();
    if lines_used > 4 || n > lim.body_line_words {
        return Err(());
    }
    Ok(last)
}

/// A title's shape: short, capitalised, no sentence's period, not a numbered heading.
fn title_shape(t: &str, lim: &Limits, min_words: usize) -> bool {
    let n = words(t);
    if n < min_words || n > lim.title_words || t.chars().count() > 300 {
        return false;
    }
    let Some(first) = t.chars().next() else {
        return false;
    };
    if !(first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(first, '"' | '«' | '“' | '„' | '\''))
    {
        return false;
    }
    if NUMBERED.is_match(t) && !t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()) {
        return false;
    }
    let quoted = t.ends_with(['"', '»', '”', '\'']);
    let last = t.split_whitespace().last().unwrap_or("");
    let abbreviation = t.ends_with('.')
        && DATA
            .abbreviations
            .contains(&last.trim_end_matches('.').to_lowercase());
    if !quoted && !abbreviation && t.ends_with(['.', ',', ';', ':']) && !t.ends_with("...") {
        return false;
    }
    if t.ends_with("...") || t.contains('@') || URL.is_match(t) {
        return false;
    }
    let toks: Vec<&str> = t.split_whitespace().collect();
    let digits = toks
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count();
    if digits * 3 >= toks.len().max(1) && toks.len() < 6 {
        return false;
    }
    if toks
        .iter()
        .any(|w| matches!(*w, "*" | "|" | "•" | ">" | "»" | "/" | "·" | "::"))
    {
        return false;
    }
    t.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

fn next_content(lines: &[Line<'_>], from: usize) -> (Option<usize>, bool) {
    let mut blank = false;
    for (j, l) in lines.iter().enumerate().skip(from) {
        if l.content() {
            return (Some(j), blank);
        }
        blank |= l.kind == K::Blank;
    }
    (None, blank)
}

/// Normalised for comparing a line with the HTML title.
fn norm(s: &str) -> String {
    squash(&s.to_lowercase())
}

/// Chooses the title (and authors, kind from the page's shape); returns the index of the
/// line where the body begins (the head's end) when wrapped prose was met.
fn choose_title(
    lines: &[Line<'_>],
    lim: &Limits,
    hint: &MetaHint<'_>,
    d: &Data,
    out: &mut Out<'_>,
) -> usize {
    let text_title = |l: &[Line<'_>], i: usize, last: usize| (l[i].start, l[last].end());
    // A wiki heading.
    if let Some(l) = lines.iter().find(|l| l.content())
        && let K::Wiki(a, b) = l.kind
    {
        out.set_title(l.start + a, l.start + b);
        out.set_kind(MetaKind::Encyclopedia, l.start, l.end());
        return lines.len();
    }
    // An encyclopedia marker: the title is the content line before it.
    if let Some((m, k, a, b)) = lines.iter().enumerate().find_map(|(m, l)| match l.kind {
        K::Ency(k, a, b) => Some((m, k, a, b)),
        _ => None,
    }) {
        let start = lines[m].start;
        out.m.venue = Some(d.encyclopedia[k].1.clone());
        out.ev(MetaField::Venue, start + a, start + b);
        out.set_kind(MetaKind::Encyclopedia, start + a, start + b);
        if let Some(t) = lines[..m].iter().rev().find(|l| l.content())
            && matches!(t.kind, K::Plain | K::Name)
            && title_shape(t.s, lim, 1)
        {
            out.set_title(t.start, t.end());
        }
        return lines.len();
    }
    // A thesis title page.
    if let Some(t) = lines.iter().position(|l| l.kind == K::Thesis) {
        thesis(lines, t, lim, d, out);
        return lines.len();
    }
    // Any other head.
    let html = hint.html_title.map(norm).filter(|h| !h.is_empty());
    let names_html = |t: &str| {
        html.as_ref().is_some_and(|h| {
            let n = norm(t);
            n.len() >= 8
                && (h == &n
                    || h.starts_with(&n)
                    || h.ends_with(&n)
                    || words(t) >= 3 && h.contains(&n))
        })
    };
    // A line the HTML title names comes first.
    if html.is_some() {
        for i in 0..lines.len() {
            if !matches!(lines[i].kind, K::Plain | K::Name) {
                continue;
            }
            let Ok(last) = build_title(lines, i, lim) else {
                break;
            };
            let (a, b) = text_title(lines, i, last);
            let t = squash(&out.text[a..b]);
            if title_shape(&t, lim, 1) && names_html(&t) {
                out.set_title(a, b);
                for (x, y) in authors_after(lines, last + 1, d) {
                    out.add_author(x, y);
                }
                return lines.len();
            }
        }
    }
    let mut first = true;
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let continues = l.kind == K::Name && build_title(lines, i, lim).is_ok_and(|e| e > i);
        if l.kind != K::Plain && !continues {
            i += 1;
            continue;
        }
        let Ok(last) = build_title(lines, i, lim) else {
            return i;
        };
        let (a, b) = text_title(lines, i, last);
        let t = squash(&out.text[a..b]);
        if title_shape(&t, lim, 2) {
            let by_html = names_html(&t);
            let after = authors_after(lines, last + 1, d);
            let (nx, blank) = next_content(lines, last + 1);
            let breaks = match nx {
                None => true,
                Some(j) if blank || lines[j].kind != K::Plain => true,
                Some(j) => lines[j].words >= 15 || build_title(lines, j, lim).is_ok_and(|e| e == j),
            };
            let first_ok = first && breaks && words(&t) >= 3;
            if by_html || !after.is_empty() || first_ok {
                out.set_title(a, b);
                for (x, y) in after {
                    out.add_author(x, y);
                }
                if out.m.authors.is_empty() {
                    for (x, y) in authors_before(lines, i, d) {
                        out.add_author(x, y);
                    }
                }
                return lines.len();
            }
        }
        if words(&t) > 6 {
            first = false;
        }
        i = last + 1;
    }
    lines.len()
}

/// The authors named right after a title: name lines and bylines, past affiliation lines.
fn authors_after(lines: &[Line<'_>], from: usize, d: &Data) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut expect_names = false;
    let mut subtitles = 0;
    for l in lines.iter().skip(from).take(24) {
        match l.kind {
            K::Blank | K::Skip => {}
            K::Name => {
                for (a, b) in author_names(l.s, d).unwrap_or_default() {
                    found.push((l.start + a, l.start + b));
                }
                expect_names = false;
            }
            K::Byline(at) => {
                let rest = &l.s[at..];
                if rest.is_empty() {
                    expect_names = true;
                }
                for (a, b) in author_names(rest, d).unwrap_or_default() {
                    found.push((l.start + at + a, l.start + at + b));
                }
            }
            K::Affil | K::Univ if !found.is_empty() => {}
            K::Date | K::Imprint if !found.is_empty() || expect_names => {}
            K::Plain if !found.is_empty() && l.words <= 12 && !l.s.ends_with('.') => {}
            // One subtitle line may stand between the title and its authors.
            K::Plain
                if found.is_empty()
                    && subtitles == 0
                    && l.words <= 12
                    && !expect_names
                    && !starts_lower(l.s) =>
            {
                subtitles += 1;
            }
            _ => break,
        }
    }
    found
}

/// The authors named right before a title (a thesis page, a Russian journal's header).
fn authors_before(lines: &[Line<'_>], title: usize, d: &Data) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut seen = 0;
    for (k, l) in lines[..title].iter().enumerate().rev() {
        match l.kind {
            K::Blank | K::Skip => continue,
            K::Name if !after_label(lines, k) => {
                let mut here: Vec<(usize, usize)> = author_names(l.s, d)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(a, b)| (l.start + a, l.start + b))
                    .collect();
                here.extend(found);
                found = here;
            }
            K::Affil | K::Univ | K::Imprint | K::Label if found.is_empty() && seen < 2 => {}
            _ => break,
        }
        seen += 1;
        if seen > 4 {
            break;
        }
    }
    found
}

/// True when the content line before `k` is a label that a value follows
/// ("NGƯỜI HƯỚNG DẪN KHOA HỌC:", "Научный руководитель:").
fn after_label(lines: &[Line<'_>], k: usize) -> bool {
    lines[..k]
        .iter()
        .rev()
        .find(|l| l.content())
        .is_some_and(|l| l.kind == K::Label && l.s.ends_with(':'))
}

/// A thesis title page: the marker at line `t`.
fn thesis(lines: &[Line<'_>], t: usize, lim: &Limits, d: &Data, out: &mut Out<'_>) {
    let marker = &lines[t];
    // The degree line, with the lines that continue it ("на соискание …", "of the
    // requirements … Doctor of Philosophy"), up to a blank line or a university line.
    let mut v_end = marker.end();
    let mut k = t + 1;
    while k < lines.len() && k <= t + 5 {
        let l = &lines[k];
        let goes_on = match l.kind {
            K::Plain => true,
            K::Blank | K::Name | K::Univ | K::Date | K::CityYear | K::Skip => false,
            _ => starts_lower(l.s),
        };
        if !goes_on {
            break;
        }
        v_end = l.end();
        k += 1;
    }
    out.set_kind(MetaKind::Thesis, marker.start, marker.end());
    let mut venue = squash(&out.text[marker.start..v_end]);
    out.ev(MetaField::Venue, marker.start, v_end);
    // The university: the university line nearest the marker.
    let univ = (0..lines.len())
        .filter(|&k| lines[k].kind == K::Univ)
        .min_by_key(|&k| (k.abs_diff(t), k > t));
    if let Some(k) = univ
        && !venue.contains(lines[k].s)
    {
        venue = format!("{venue}, {}", squash(lines[k].s));
        out.ev(MetaField::Venue, lines[k].start, lines[k].end());
    }
    out.m.venue = Some(venue);
    // The title: the first title-shaped block before the marker (else after it) that is
    // not one name line alone; the names alone are the authors.
    let mut title: Option<(usize, usize)> = None;
    let mut names: Vec<usize> = Vec::new();
    for range in [0..t, t + 1..lines.len()] {
        let mut i = range.start;
        while i < range.end && title.is_none() {
            let l = &lines[i];
            if !matches!(l.kind, K::Plain | K::Name) || after_label(lines, i) {
                i += 1;
                continue;
            }
            let Ok(last) = build_title(&lines[..range.end], i, lim) else {
                break;
            };
            if l.kind == K::Name && last == i {
                if range.start == 0 {
                    names.push(i);
                }
            } else if title_shape(&squash(&out.text[l.start..lines[last].end()]), lim, 2) {
                title = Some((i, last));
            }
            i = last + 1;
        }
        if title.is_some() {
            break;
        }
    }
    // Only name-shaped lines before the marker: the one nearest it is an all-caps title.
    if title.is_none() && names.len() >= 2 {
        let k = names.pop().expect("two names");
        title = Some((k, k));
    }
    let Some((i, last)) = title else {
        thesis_year(lines, t, out);
        return;
    };
    out.set_title(lines[i].start, lines[last].end());
    let mut authors: Vec<(usize, usize)> = Vec::new();
    for &k in &names {
        for (a, b) in author_names(lines[k].s, d).unwrap_or_default() {
            authors.push((lines[k].start + a, lines[k].start + b));
        }
    }
    if authors.is_empty() {
        authors = authors_after(lines, last + 1, d);
    }
    for (a, b) in authors {
        out.add_author(a, b);
    }
    thesis_year(lines, t, out);
}

/// A thesis's year: a city-year or date line, after the marker first.
fn thesis_year(lines: &[Line<'_>], t: usize, out: &mut Out<'_>) {
    for k in (t..lines.len()).chain(0..t) {
        if matches!(lines[k].kind, K::CityYear | K::Date) && out.set_year(&lines[k]) {
            break;
        }
    }
}

/// Venue, numbers, year, DOI and URL from the head's imprint lines.
fn fields(lines: &[Line<'_>], d: &Data, out: &mut Out<'_>) {
    let mut venue_found = out.m.venue.is_some();
    for l in lines {
        let st = l.start;
        match l.kind {
            K::Imprint => {
                if !venue_found && let Some((a, b, kind)) = venue_line(l.s, d) {
                    out.m.venue = Some(squash(&l.s[a..b]));
                    out.ev(MetaField::Venue, st + a, st + b);
                    out.set_kind(kind, st + a, st + b);
                    venue_found = true;
                }
                if venue_found || ISSN.is_match(l.s) || DOI.is_match(l.s) {
                    numbers(l, d, out);
                    out.set_year(l);
                }
            }
            K::Dateline => {
                if let Some(c) = DATELINE.captures(l.s) {
                    if !venue_found && let Some((a, b)) = agency(&c) {
                        out.m.venue = Some(squash(&l.s[a..b]));
                        out.ev(MetaField::Venue, st + a, st + b);
                        out.set_kind(MetaKind::News, st + a, st + b);
                        venue_found = true;
                    }
                    if out.m.year.is_none()
                        && let Some(m) = c.get(1)
                        && let Some((a, b, y)) = find_year(m.as_str())
                    {
                        out.m.year = Some(y);
                        out.ev(MetaField::Year, st + m.start() + a, st + m.start() + b);
                    }
                }
            }
            _ => {}
        }
        if out.m.doi.is_none()
            && let Some(m) = DOI.find(l.s)
        {
            let v = m.as_str().trim_end_matches(['.', ',', ';', ')', ']']);
            out.m.doi = Some(v.to_string());
            out.ev(MetaField::Doi, st + m.start(), st + m.start() + v.len());
        }
        if out.m.url.is_none()
            && starts_any(l.s, &d.url_cues).is_some()
            && let Some(m) = URL.find(l.s)
        {
            let v = m.as_str().trim_end_matches(['.', ',', ';', ')', ']']);
            out.m.url = Some(v.to_string());
            out.ev(MetaField::Url, st + m.start(), st + m.start() + v.len());
        }
    }
    // The year of a date line or a city-year line, when no imprint gave one.
    let title_at = out
        .m
        .evidence
        .iter()
        .find(|e| e.field == MetaField::Title)
        .map(|e| e.start);
    for l in lines {
        if matches!(l.kind, K::Date | K::CityYear) && out.set_year(l) {
            if l.kind == K::Date && title_at.is_some_and(|t| t.abs_diff(l.start) < 600) {
                out.set_kind(MetaKind::News, l.start, l.end());
            }
            break;
        }
    }
    for l in lines {
        if l.kind == K::Date
            && out.m.issue.is_none()
            && out.m.kind == Some(MetaKind::News)
            && let Some(r) = &d.issue_re
            && let Some(c) = r.captures(l.s)
            && let Some(g) = c.get(1)
        {
            out.m.issue = Some(g.as_str().to_string());
            out.ev(MetaField::Issue, l.start + g.start(), l.start + g.end());
        }
    }
}

/// Volume, issue and pages of an imprint line.
fn numbers(l: &Line<'_>, d: &Data, out: &mut Out<'_>) {
    let st = l.start;
    if out.m.volume.is_none()
        && let Some(r) = &d.volume_re
        && let Some(g) = r.captures(l.s).and_then(|c| c.get(1))
    {
        out.m.volume = Some(g.as_str().to_string());
        out.ev(MetaField::Volume, st + g.start(), st + g.end());
    }
    if out.m.issue.is_none()
        && let Some(r) = &d.issue_re
        && let Some(g) = r.captures(l.s).and_then(|c| c.get(1))
    {
        out.m.issue = Some(g.as_str().to_string());
        out.ev(MetaField::Issue, st + g.start(), st + g.end());
    }
    if out.m.pages.is_none()
        && let Some(r) = &d.pages_re
        && let Some(c) = r.captures(l.s)
        && let (Some(x), Some(y)) = (c.get(1), c.get(2))
        && let (Ok(a), Ok(b)) = (x.as_str().parse::<u32>(), y.as_str().parse::<u32>())
        && a <= b
        && b - a <= 2000
    {
        out.m.pages = Some((a, b));
        out.ev(MetaField::Pages, st + x.start(), st + y.end());
    }
}

/// A journal's name in a line repeated on three or more pages (a running head).
fn running_head(text: &str, d: &Data, out: &mut Out<'_>) {
    let mut count: HashMap<&str, (u32, usize)> = HashMap::new();
    let mut pos = 0;
    for raw in text.split_inclusive('\n') {
        let s = raw.trim();
        if (8..=150).contains(&s.len()) {
            let start = pos + (raw.len() - raw.trim_start().len());
            count.entry(s).or_insert((0, start)).0 += 1;
        }
        pos += raw.len();
    }
    let best = count
        .iter()
        .filter(|(_, (n, _))| *n >= 3)
        .filter_map(|(s, (n, at))| venue_line(s, d).map(|v| (*at, *n, *s, v)))
        .min_by_key(|(at, n, _, _)| (std::cmp::Reverse(*n), *at));
    if let Some((at, _, s, (a, b, kind))) = best {
        out.m.venue = Some(squash(&s[a..b]));
        out.ev(MetaField::Venue, at + a, at + b);
        out.set_kind(kind, at + a, at + b);
        let l = Line {
            s,
            start: at,
            kind: K::Imprint,
            words: words(s),
        };
        numbers(&l, d, out);
        out.set_year(&l);
    }
}

/// "Theo TTXVN" on one of the last lines of a news text.
fn news_source(text: &str, d: &Data, out: &mut Out<'_>) {
    let from = text.floor_char_boundary(text.len().saturating_sub(1500));
    let tail = &text[from..];
    let mut pos = from;
    let mut found = None;
    for raw in tail.split_inclusive('\n') {
        let s = raw
            .trim()
            .trim_start_matches('(')
            .trim_end_matches([')', '.']);
        let s_start = pos + (s.as_ptr() as usize - raw.as_ptr() as usize);
        pos += raw.len();
        if s.is_empty() || words(s) > 6 {
            continue;
        }
        if let Some(n) = starts_any(s, &d.news_source) {
            let rest = s[n..].trim_start_matches([' ', ':']);
            let a = s.len() - rest.len();
            if rest.chars().next().is_some_and(char::is_uppercase) && words(rest) <= 4 {
                found = Some((s_start + a, s_start + s.len()));
            }
        }
    }
    if let Some((a, b)) = found {
        out.m.venue = Some(squash(&text[a..b]));
        out.ev(MetaField::Venue, a, b);
        out.set_kind(MetaKind::News, a, b);
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_date_inside_running_text_is_not_the_sources_date() {
        // A hard-wrapped body whose date stands alone on a line, in brackets, the sentence
        // going on after it: no year of the source.
        let text = "Chuyến thăm này diễn ra ngay sau khi\nông nhậm chức lần thứ ba\n(7/5/2012)\n. Cuộc gặp cấp cao đầu tiên của\nhai nhà lãnh đạo diễn ra tại thủ đô\nvà kéo dài trong hai ngày liền.\n";
        assert_eq!(read(text, MetaHint::default()).year, None);
        let text = "The visit came soon after he took\noffice for the third time on\n7-5-2012\nwhen the two leaders first met in the\ncapital for two days of talks.\n";
        assert_eq!(read(text, MetaHint::default()).year, None);
    }

    use super::*;
    use proptest::prelude::*;

    fn vi() -> MetaHint<'static> {
        MetaHint {
            html_title: None,
            lang: Some(Lang::of("vi")),
        }
    }

    /// Every evidence range is a char-boundary range inside `text`, and the fields copied
    /// from the text are the text of their ranges (whitespace runs made one space).
    fn check(text: &str, m: &SourceMeta) {
        for e in &m.evidence {
            assert!(
                e.start <= e.end && e.end <= text.len(),
                "{e:?} out of {}",
                text.len()
            );
            assert!(
                text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
                "{e:?}"
            );
        }
        let of = |f: MetaField| -> Vec<String> {
            m.evidence
                .iter()
                .filter(|e| e.field == f)
                .map(|e| squash(&text[e.start..e.end]))
                .collect()
        };
        let one = |f: MetaField, v: &Option<String>| match v {
            Some(v) => assert_eq!(of(f), vec![v.clone()], "{f:?}"),
            None => assert!(of(f).is_empty(), "{f:?} has evidence but no value"),
        };
        one(MetaField::Title, &m.title);
        one(MetaField::Volume, &m.volume);
        one(MetaField::Issue, &m.issue);
        one(MetaField::Url, &m.url);
        one(MetaField::Doi, &m.doi);
        one(MetaField::Year, &m.year.map(|y| y.to_string()));
        assert_eq!(of(MetaField::Author), m.authors);
        match m.pages {
            Some((a, b)) => {
                let p = of(MetaField::Pages);
                assert_eq!(p.len(), 1);
                assert!(p[0].starts_with(&a.to_string()) && p[0].ends_with(&b.to_string()));
            }
            None => assert!(of(MetaField::Pages).is_empty()),
        }
        match &m.venue {
            Some(v) if m.kind != Some(MetaKind::Encyclopedia) => {
                let parts = of(MetaField::Venue);
                assert!(!parts.is_empty());
                assert!(
                    parts.iter().all(|p| v.contains(p.as_str())),
                    "{v:?} {parts:?}"
                );
            }
            Some(_) => assert!(!of(MetaField::Venue).is_empty()),
            None => assert!(of(MetaField::Venue).is_empty()),
        }
        assert_eq!(m.kind.is_some(), !of(MetaField::Kind).is_empty());
        if let Some(t) = &m.title {
            assert!(t.chars().count() <= 300);
        }
    }

    fn read_checked(text: &str, hint: MetaHint<'_>) -> SourceMeta {
        let m = read(text, hint);
        check(text, &m);
        m
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn vietnamese_thesis_title_page() {
        let text = "ĐẠI HỌC QUỐC GIA HÀ NỘI\nTRƯỜNG ĐẠI HỌC KHOA HỌC XÃ HỘI VÀ NHÂN VĂN\n\
                    ---------------------\n\nNGUYỄN THỊ MAI\n\n\
                    QUAN HỆ VIỆT NAM – LIÊN XÔ\nTRONG LĨNH VỰC GIÁO DỤC (1975 – 1991)\n\n\
                    LUẬN ÁN TIẾN SĨ LỊCH SỬ\nChuyên ngành: Lịch sử Việt Nam\nMã số: 62 22 03 13\n\n\
                    NGƯỜI HƯỚNG DẪN KHOA HỌC:\nPGS.TS. Trần Văn Bình\n\nHÀ NỘI - 2016\n";
        let m = read_checked(text, vi());
        assert_eq!(
            m.title,
            s("QUAN HỆ VIỆT NAM – LIÊN XÔ TRONG LĨNH VỰC GIÁO DỤC (1975 – 1991)")
        );
        assert_eq!(m.authors, vec!["NGUYỄN THỊ MAI".to_string()]);
        assert_eq!(m.year, Some(2016));
        assert_eq!(m.kind, Some(MetaKind::Thesis));
        assert_eq!(
            m.venue,
            s("LUẬN ÁN TIẾN SĨ LỊCH SỬ, TRƯỜNG ĐẠI HỌC KHOA HỌC XÃ HỘI VÀ NHÂN VĂN")
        );
    }

    #[test]
    fn russian_thesis_title_page() {
        let text = "МОСКОВСКИЙ ГОСУДАРСТВЕННЫЙ УНИВЕРСИТЕТ имени М. В. ЛОМОНОСОВА\n\
                    Исторический факультет\n\nНа правах рукописи\n\nПетров Сергей Николаевич\n\n\
                    СОВЕТСКО-ВЬЕТНАМСКИЕ ОТНОШЕНИЯ\nВ 1975–1991 гг.\n\n\
                    Специальность 07.00.03 – всеобщая история\n\nДИССЕРТАЦИЯ\n\
                    на соискание ученой степени\nкандидата исторических наук\n\n\
                    Научный руководитель:\nдоктор исторических наук, профессор\nИванов И. И.\n\n\
                    Москва – 2010\n";
        let m = read_checked(text, MetaHint::default());
        assert_eq!(m.title, s("СОВЕТСКО-ВЬЕТНАМСКИЕ ОТНОШЕНИЯ В 1975–1991 гг."));
        assert_eq!(m.authors, vec!["Петров Сергей Николаевич".to_string()]);
        assert_eq!(m.year, Some(2010));
        assert_eq!(m.kind, Some(MetaKind::Thesis));
        let v = m.venue.unwrap();
        assert!(
            v.starts_with("ДИССЕРТАЦИЯ на соискание ученой степени кандидата"),
            "{v}"
        );
        assert!(v.contains("Исторический факультет"), "{v}");
    }

    #[test]
    fn english_thesis_title_page() {
        let text = "SOVIET AID AND THE VIETNAMESE ECONOMY, 1975–1991\n\nby\n\nThomas J. Miller\n\n\
                    A dissertation submitted in partial fulfillment\nof the requirements for the degree of\n\
                    Doctor of Philosophy\n(History)\nin the University of Michigan\n2012\n\n\
                    Doctoral Committee:\nProfessor Anna K. Lee, Chair\n";
        let m = read_checked(text, MetaHint::default());
        assert_eq!(
            m.title,
            s("SOVIET AID AND THE VIETNAMESE ECONOMY, 1975–1991")
        );
        assert_eq!(m.authors, vec!["Thomas J. Miller".to_string()]);
        assert_eq!(m.year, Some(2012));
        assert_eq!(m.kind, Some(MetaKind::Thesis));
        let v = m.venue.unwrap();
        assert!(
            v.starts_with("A dissertation submitted") && v.ends_with("University of Michigan"),
            "{v}"
        );
    }

    #[test]
    fn vietnamese_journal_article_header() {
        let text = "TẠP CHÍ KHOA HỌC XÃ HỘI VIỆT NAM, Số 5 (2018), tr. 45-56\n\n\
                    NGUYỄN VĂN HÙNG*\n\n\
                    CHÍNH SÁCH CỦA LIÊN XÔ ĐỐI VỚI VIỆT NAM\nGIAI ĐOẠN 1975-1985\n\n\
                    Tóm tắt: Bài viết phân tích chính sách của Liên Xô đối với Việt Nam.\n\
                    Năm 1978, hai nước ký Hiệp ước.\n";
        let m = read_checked(text, vi());
        assert_eq!(
            m.title,
            s("CHÍNH SÁCH CỦA LIÊN XÔ ĐỐI VỚI VIỆT NAM GIAI ĐOẠN 1975-1985")
        );
        assert_eq!(m.authors, vec!["NGUYỄN VĂN HÙNG".to_string()]);
        assert_eq!(m.venue, s("TẠP CHÍ KHOA HỌC XÃ HỘI VIỆT NAM"));
        assert_eq!(
            (m.issue.as_deref(), m.year, m.pages),
            (Some("5"), Some(2018), Some((45, 56)))
        );
        assert_eq!(m.kind, Some(MetaKind::Article));
    }

    #[test]
    fn russian_journal_article_header() {
        let text = "ВЕСТНИК МОСКОВСКОГО УНИВЕРСИТЕТА. СЕР. 8. ИСТОРИЯ. 2015. № 3. С. 12–25\n\n\
                    УДК 94(597)\n\nН. И. Иванов, А. П. Смирнова\n\n\
                    СОВЕТСКО-ВЬЕТНАМСКОЕ СОТРУДНИЧЕСТВО\nВ ОБЛАСТИ ОБРАЗОВАНИЯ\n\n\
                    Аннотация. В статье рассматривается сотрудничество СССР и СРВ.\n";
        let m = read_checked(text, MetaHint::default());
        assert_eq!(
            m.title,
            s("СОВЕТСКО-ВЬЕТНАМСКОЕ СОТРУДНИЧЕСТВО В ОБЛАСТИ ОБРАЗОВАНИЯ")
        );
        assert_eq!(
            m.authors,
            vec!["Н. И. Иванов".to_string(), "А. П. Смирнова".to_string()]
        );
        assert_eq!(
            m.venue,
            s("ВЕСТНИК МОСКОВСКОГО УНИВЕРСИТЕТА. СЕР. 8. ИСТОРИЯ")
        );
        assert_eq!(
            (m.issue.as_deref(), m.year, m.pages),
            (Some("3"), Some(2015), Some((12, 25)))
        );
        assert_eq!(m.kind, Some(MetaKind::Article));
    }

    #[test]
    fn english_journal_article_header_with_a_wrapped_title() {
        let text = "Journal of Cold War Studies, Vol. 12, No. 3 (2010), pp. 45–78\n\
                    https://doi.org/10.1162/JCWS_a_00001\n\n\
                    Soviet Advisers in Hanoi and the Politics\nof Alliance, 1965–1975\n\n\
                    John A. Smith and Mary K. Jones\nUniversity of Wisconsin–Madison\n\n\
                    Abstract\nThis article examines the Soviet advisers.\n";
        let m = read_checked(text, MetaHint::default());
        assert_eq!(
            m.title,
            s("Soviet Advisers in Hanoi and the Politics of Alliance, 1965–1975")
        );
        assert_eq!(
            m.authors,
            vec!["John A. Smith".to_string(), "Mary K. Jones".to_string()]
        );
        assert_eq!(m.venue, s("Journal of Cold War Studies"));
        assert_eq!(m.volume, s("12"));
        assert_eq!(m.issue, s("3"));
        assert_eq!((m.year, m.pages), (Some(2010), Some((45, 78))));
        assert_eq!(m.doi, s("10.1162/JCWS_a_00001"));
        assert_eq!(m.kind, Some(MetaKind::Article));
    }

    #[test]
    fn encyclopedia_pages() {
        let en = "Cam Ranh Base\nFrom Wikipedia, the free encyclopedia\n\n\
                  Cam Ranh Base is a military installation in Khánh Hòa Province.\n";
        let m = read_checked(en, MetaHint::default());
        assert_eq!(m.title, s("Cam Ranh Base"));
        assert_eq!(
            (m.venue.as_deref(), m.kind),
            (Some("Wikipedia"), Some(MetaKind::Encyclopedia))
        );
        let vi_page = "Quan hệ Nga – Việt Nam\nBách khoa toàn thư mở Wikipedia\n\n\
                       Quan hệ Nga – Việt Nam là quan hệ ngoại giao giữa hai nước.\n";
        let m = read_checked(vi_page, vi());
        assert_eq!(m.title, s("Quan hệ Nga – Việt Nam"));
        assert_eq!(m.kind, Some(MetaKind::Encyclopedia));
        let ru = "Советско-вьетнамские отношения\nМатериал из Википедии — свободной энциклопедии\n\n\
                  Советско-вьетнамские отношения — двусторонние отношения.\n";
        let m = read_checked(ru, MetaHint::default());
        assert_eq!(m.title, s("Советско-вьетнамские отношения"));
        assert_eq!(
            (m.venue.as_deref(), m.kind),
            (Some("Википедия"), Some(MetaKind::Encyclopedia))
        );
        let markup = "= Soviet–Vietnamese Treaty =\n\nThe treaty was signed in Moscow.\n";
        let m = read_checked(markup, MetaHint::default());
        assert_eq!(m.title, s("Soviet–Vietnamese Treaty"));
        assert_eq!(m.kind, Some(MetaKind::Encyclopedia));
    }

    #[test]
    fn news_articles() {
        let body = "Russia formally handed back the naval base on Thursday, ending a presence \
                    that began in 1979, when the Soviet Union leased the deep-water port for \
                    free, officials of both countries said at a ceremony in the port.";
        let en = format!(
            "Russia hands over Cam Ranh Bay to Vietnam\nBy Andrew Collins\nThursday, 2 May 2002\n\n\
             HANOI, May 2 (Reuters) - {body}\n"
        );
        let m = read_checked(&en, MetaHint::default());
        assert_eq!(m.title, s("Russia hands over Cam Ranh Bay to Vietnam"));
        assert_eq!(m.authors, vec!["Andrew Collins".to_string()]);
        assert_eq!((m.venue.as_deref(), m.year), (Some("Reuters"), Some(2002)));
        assert_eq!(m.kind, Some(MetaKind::News));

        let vi_news = "Việt Nam và Nga ký thỏa thuận hợp tác dầu khí\nThứ Hai, 12/03/2012 - 10:15\n\n\
                       (Chinhphu.vn) - Sáng nay tại Hà Nội, đại diện hai nước đã ký thỏa thuận hợp tác \
                       trong lĩnh vực thăm dò và khai thác dầu khí ở thềm lục địa phía Nam của Việt Nam, \
                       mở ra giai đoạn mới trong quan hệ kinh tế giữa hai nước.\n\nTheo TTXVN\n";
        let m = read_checked(vi_news, vi());
        assert_eq!(m.title, s("Việt Nam và Nga ký thỏa thuận hợp tác dầu khí"));
        assert_eq!((m.venue.as_deref(), m.year), (Some("TTXVN"), Some(2012)));
        assert_eq!(m.kind, Some(MetaKind::News));
        assert!(m.authors.is_empty());

        let ru = "Россия и Вьетнам подписали соглашение о сотрудничестве\n12 марта 2012, 14:20\n\n\
                  МОСКВА, 12 марта - РИА Новости. Россия и Вьетнам подписали в понедельник \
                  соглашение о сотрудничестве в области энергетики, сообщили в министерстве, \
                  отметив, что документ рассчитан на десять лет и продлевается автоматически.\n";
        let m = read_checked(ru, MetaHint::default());
        assert_eq!(
            m.title,
            s("Россия и Вьетнам подписали соглашение о сотрудничестве")
        );
        assert_eq!(
            (m.venue.as_deref(), m.year),
            (Some("РИА Новости"), Some(2012))
        );
        assert_eq!(m.kind, Some(MetaKind::News));
    }

    #[test]
    fn a_body_gives_no_title() {
        let long = "The relationship between the two countries developed rapidly after 1950, when \
                    the Soviet Union recognised the Democratic Republic of Vietnam and began to send \
                    advisers, credits and equipment to Hanoi in growing numbers.\n\
                    Moscow's aid grew after 1965.\n";
        let wrapped = "Soviet aid to Vietnam grew steadily after 1975 and\n\
                       reached its peak in the early 1980s, when advisers\n\
                       worked in every ministry in Hanoi and in the\n\
                       provinces, and trade doubled in five years.\n";
        let mid =
            "the war ended in 1975, and the Soviet Union\nbecame the main partner of Vietnam.\n";
        let short = "Trade grew every year.\nThe Soviet Union sent advisers in 1980.\n";
        for t in [long, wrapped, mid, short] {
            let m = read_checked(t, MetaHint::default());
            assert_eq!(m.title, None, "{t}");
            assert!(m.authors.is_empty() && m.year.is_none(), "{t}");
        }
        // A section heading opening a text is no title.
        let m = read_checked(
            "1. INTRODUCTION\n\nThe war ended in 1975.\n",
            MetaHint::default(),
        );
        assert_eq!(m.title, None);
    }

    #[test]
    fn an_ocr_damaged_head_is_read_as_it_stands() {
        let text = "TƯ TƯỞNG H6 CHÍ MINH VỀ QUAN HỆ VỚI LIÊN XÔ\n\nTrần Văn Nam\n\
                    Học viện Chính trị quốc gia H6 Chi Minh\n\nTóm tắt: Bài viết …\n";
        let m = read_checked(text, vi());
        assert_eq!(m.title, s("TƯ TƯỞNG H6 CHÍ MINH VỀ QUAN HỆ VỚI LIÊN XÔ"));
        assert_eq!(m.authors, vec!["Trần Văn Nam".to_string()]);
        // A damaged name is no author.
        let m = read_checked(
            "Soviet Aid in Review\n\nH6 Chi Minh\n\nAbstract\n",
            MetaHint::default(),
        );
        assert!(m.authors.is_empty());
    }

    #[test]
    fn a_hard_wrapped_title_is_joined() {
        let text = "Soviet Military Aid to North Vietnam and\nthe Air War, 1965–1968\n\n\
                    Robert T. Brown\n\nThis article follows the aid.\n";
        let m = read_checked(text, MetaHint::default());
        assert_eq!(
            m.title,
            s("Soviet Military Aid to North Vietnam and the Air War, 1965–1968")
        );
        assert_eq!(m.authors, vec!["Robert T. Brown".to_string()]);
        assert_eq!(m.year, None, "a year of the title is no imprint year");
    }

    #[test]
    fn the_html_title_bears_out_a_line() {
        let text = "Skip to main content\nAid to Hanoi doubled\n\
                    The Soviet Union doubled its aid to Hanoi by the end of the decade, officials \
                    said on Monday in Moscow, adding that credits would follow in the spring.\n";
        let hint = MetaHint {
            html_title: Some("Aid to Hanoi doubled - The Daily"),
            lang: None,
        };
        let m = read_checked(text, hint);
        assert_eq!(m.title, s("Aid to Hanoi doubled"));
        assert_eq!(m.kind, Some(MetaKind::Web));
    }

    #[test]
    fn a_running_head_names_the_journal() {
        let page = "Body text of the page goes on here and on, about the Soviet aid to Vietnam.\n";
        let mut text = String::from("Some opening words of the article\n");
        for n in 1..=4 {
            text.push_str(&format!(
                "Journal of Asian History, Vol. 3, 2015\n{page}{page}{n}\n"
            ));
        }
        let m = read_checked(&text, MetaHint::default());
        assert_eq!(m.venue, s("Journal of Asian History"));
        assert_eq!((m.volume.as_deref(), m.year), (Some("3"), Some(2015)));
    }

    /// Lines of the shapes the reader looks at, for the property test.
    fn shaped_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("LUẬN ÁN TIẾN SĨ LỊCH SỬ".to_string()),
            Just("Tạp chí Lịch sử Đảng, Số 3 (2015), tr. 12-25".to_string()),
            Just("№ 3 (2015). С. 12–25".to_string()),
            Just("From Wikipedia, the free encyclopedia".to_string()),
            Just("= Title =".to_string()),
            Just("HANOI, May 2 (Reuters) - Aid grew.".to_string()),
            Just("Н. И. Иванов, к.и.н.".to_string()),
            Just("By John Smith".to_string()),
            Just("HÀ NỘI - 2016".to_string()),
            Just("Theo TTXVN".to_string()),
            Just("DOI: 10.1000/xyz.1 Volume 8 | Issue 1 | 2022".to_string()),
            "[A-ZĐƯÀ][a-zđưà ]{0,40}",
            "\\PC{0,60}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_and_evidence_points_at_the_text(text in "\\PC{0,400}") {
            let m = read(&text, MetaHint::default());
            check(&text, &m);
        }

        #[test]
        fn shaped_heads_keep_the_invariants(lines in prop::collection::vec(shaped_line(), 0..14)) {
            let text = lines.join("\n");
            let m = read(&text, MetaHint { html_title: Some("Title"), lang: None });
            check(&text, &m);
        }
    }

    /// The reference corpus and the unseen documents (read at run time, never copied):
    /// no panic, evidence in bounds and pointing at the values, titles short.
    #[test]
    fn real_documents_keep_the_invariants() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["../shared/corpus", "../shared/eval/unseen/docs"] {
            let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_none_or(|x| x != "txt") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let m = read(&text, MetaHint::default());
                check(&text, &m);
            }
        }
    }
}
