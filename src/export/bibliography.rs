//! Bibliographic references the sources cite: found in the documents' paragraphs and parsed
//! into structured entries (read by [`super::csl`] to write CSL-JSON and BibTeX).
//!
//! Three places are read, each a [`Context`]:
//! - **Reference lists** ([`Context::List`]): the paragraphs after a heading that names one
//!   ("References", "Bibliography", "TÀI LIỆU THAM KHẢO", "Список литературы", …; the whole
//!   heading must be such a name), split into entries at numbered markers (`[5]`, `5.`)
//!   that count up, or one entry per paragraph when the list is not numbered.
//! - **Inline citations** ([`Context::Inline`]): the literature-review form
//!   `Author (Year), Title [N]`, where `[N]` is the number of the work in the source's own
//!   reference list. Only a bracketed bare number closes one: an author-year in running text
//!   without it is not taken.
//! - **Source notes** ([`Context::SourceNote`]): `Nguồn: …` / `Source: …` / `Источник: …`
//!   under tables and appendices, when what follows is an author-year reference or a dated
//!   newspaper issue ("Báo Nhân Dân, ngày 04-11-1978").
//!
//! [`parse_entry`] reads one entry. Shapes it reads: author-year with a comma
//! (`Nguyễn Văn A (2001), Tên sách, Nxb Chính trị quốc gia, Hà Nội.`), author-year with a
//! period (APA: `Smith, J. (1985). Title. Journal, 12(3), 45–67.`), and the GOST form
//! (`Иванов И.И. Название. – М.: Наука, 1985. – 300 с.`). Precision over coverage: what it
//! cannot read keeps the raw text as its title, `parsed: false`, and a note saying why.
//! Never panics, on any input.

use crate::document::{Document, ReadOptions};
use crate::source::decode::Encoding;
use crate::text::lang::Lang;
use crate::text::layout::{BlockKind, Format};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

/// Where in a source a reference was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// An entry of a reference list.
    List,
    /// `Author (Year), Title [N]` in running text.
    Inline,
    /// A `Nguồn:` / `Source:` note under a table or appendix.
    SourceNote,
}

impl Context {
    /// Stable name ("list", "inline", "source_note").
    pub fn name(self) -> &'static str {
        match self {
            Context::List => "list",
            Context::Inline => "inline",
            Context::SourceNote => "source_note",
        }
    }
}

/// What kind of work a reference is: CSL item types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RefType {
    Book,
    Chapter,
    ArticleJournal,
    ArticleNewspaper,
    /// A quoted title with no container.
    Article,
    Thesis,
    Report,
    Webpage,
    /// An archival record, or a work whose type the reference does not state.
    Document,
}

impl RefType {
    /// The CSL type name.
    pub fn csl(self) -> &'static str {
        match self {
            RefType::Book => "book",
            RefType::Chapter => "chapter",
            RefType::ArticleJournal => "article-journal",
            RefType::ArticleNewspaper => "article-newspaper",
            RefType::Article => "article",
            RefType::Thesis => "thesis",
            RefType::Report => "report",
            RefType::Webpage => "webpage",
            RefType::Document => "document",
        }
    }
}

/// A name: a person (family and given) or an organization (literal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Name {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
}

impl Name {
    fn literal(s: &str) -> Name {
        Name {
            literal: Some(s.to_string()),
            ..Name::default()
        }
    }

    fn person(family: &str, given: &str) -> Name {
        Name {
            family: Some(family.to_string()),
            given: (!given.is_empty()).then(|| given.to_string()),
            literal: None,
        }
    }

    /// The name as one string ("Lưu Văn Lợi", "Smith, J.", "Học viện …").
    pub fn display(&self) -> String {
        match (&self.literal, &self.family, &self.given) {
            (Some(l), _, _) => l.clone(),
            (None, Some(f), Some(g)) => format!("{f}, {g}"),
            (None, Some(f), None) => f.clone(),
            (None, None, Some(g)) => g.clone(),
            (None, None, None) => String::new(),
        }
    }
}

/// One parsed reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    #[serde(rename = "type")]
    pub ty: RefType,
    pub authors: Vec<Name>,
    pub editors: Vec<Name>,
    pub year: Option<i32>,
    /// A full date when the reference gives one (a newspaper issue).
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub title: Option<String>,
    /// Journal, newspaper or book the work is part of.
    pub container: Option<String>,
    pub publisher: Option<String>,
    pub place: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub page: Option<String>,
    pub url: Option<String>,
    pub accessed: Option<(i32, u32, u32)>,
    /// Thesis kind ("Luận án tiến sĩ lịch sử"), proceedings, report.
    pub genre: Option<String>,
    pub archive: Option<String>,
    pub archive_location: Option<String>,
    /// False when the entry's shape was not recognised (then `title` is the raw text).
    pub parsed: bool,
    pub note: Option<String>,
}

impl Entry {
    fn empty() -> Entry {
        Entry {
            ty: RefType::Document,
            authors: Vec::new(),
            editors: Vec::new(),
            year: None,
            month: None,
            day: None,
            title: None,
            container: None,
            publisher: None,
            place: None,
            volume: None,
            issue: None,
            page: None,
            url: None,
            accessed: None,
            genre: None,
            archive: None,
            archive_location: None,
            parsed: false,
            note: None,
        }
    }

    fn unparsed(raw: &str, why: &str) -> Entry {
        Entry {
            title: Some(raw.to_string()),
            note: Some(format!("not parsed: {why}")),
            ..Entry::empty()
        }
    }
}

/// A reference found in a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    pub doc: String,
    /// Byte range of the original file.
    pub start: usize,
    pub end: usize,
    /// The reference as read (repaired text, whitespace collapsed).
    pub text: String,
    pub context: Context,
    /// The number the source gives the work (`[5]`, `5.`).
    pub number: Option<u32>,
    /// The pages cited at this place ("tr.125"), for inline citations and source notes.
    pub locator: Option<String>,
    pub lang: Lang,
    pub entry: Entry,
}

// ---------------------------------------------------------------------------------------
// Small helpers.

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims whitespace and the punctuation that separates fields.
fn trim_field(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | '–' | '—'))
}

/// Like [`trim_field`] but keeps a final period that ends an abbreviation or initial.
fn trim_keep_abbrev(s: &str) -> &str {
    let t = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    if let Some(stripped) = t.strip_suffix('.') {
        let last_word = stripped.rsplit(' ').next().unwrap_or("");
        let is_initial = last_word.chars().count() <= 3
            && last_word
                .chars()
                .any(|c| c.is_uppercase() || c.is_lowercase())
            && last_word.chars().last().is_some_and(|c| c.is_uppercase());
        if !is_initial && !last_word.contains('.') {
            return stripped.trim_end();
        }
    }
    t
}

fn year_ok(y: i32) -> bool {
    (1500..=2100).contains(&y)
}

fn first_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn opt(s: &str) -> Option<String> {
    let t = trim_field(s);
    (!t.is_empty()).then(|| t.to_string())
}

/// Removes wrapping quotes from a title; true when it was quoted.
fn unquote(s: &str) -> (String, bool) {
    let t = s.trim();
    for (open, close) in [('“', '”'), ('"', '"'), ('«', '»'), ('„', '“'), ('\'', '\'')] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && !inner.contains(close)
        {
            return (inner.trim().to_string(), true);
        }
    }
    (t.to_string(), false)
}

// ---------------------------------------------------------------------------------------
// Names.

/// Vietnamese family names (folded), to read a Vietnamese name family-first.
#[rustfmt::skip]
const VI_FAMILY: &[&str] = &[
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dinh", "doan", "luu", "truong", "mai", "dao", "cao", "lam",
    "ha", "to", "trinh", "ta", "chu", "luong", "la", "thai", "kieu", "khong", "trieu", "quach",
    "ton", "mac", "hua", "vuong", "phung", "lai", "dam", "tang", "cu", "nghiem", "doan", "au",
    "luc", "tu", "khuat", "giang", "tong", "ong", "lo", "kim", "van", "nong", "thach", "quan",
    "lieu", "bach", "diep", "hau", "tieu", "than",
];

/// Words that make a name an organization's (folded; whole words or phrases).
#[rustfmt::skip]
const ORG_WORDS: &[&str] = &[
    "bo", "ban", "vien", "hoc vien", "trung tam", "cuc", "tong cuc", "dang cong san",
    "nha xuat ban", "nxb", "dai hoc", "truong dai hoc", "hoi dong", "uy ban", "van phong",
    "ky yeu", "bao cao", "luu tru", "quoc hoi", "chinh phu", "thong tan", "tap the", "hoi thao",
    "case study", "university", "institute", "ministry", "committee", "council", "office",
    "department", "press", "agency", "association", "academy", "center", "centre", "bureau",
    "commission", "government", "party", "archive", "archives", "library", "foundation",
    "society", "коллектив", "министерство", "институт", "университет", "академия", "центр",
    "комитет", "архив", "издательство", "совет", "инистерство",
];

fn folded_words(s: &str) -> Vec<String> {
    crate::text::fold::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_org(s: &str) -> bool {
    let words = folded_words(s);
    let joined = format!(" {} ", words.join(" "));
    ORG_WORDS.iter().any(|w| {
        if w.contains(' ') {
            joined.contains(&format!(" {w} "))
        } else {
            // Single words: anywhere for unambiguous ones, first word for "bo", "ban", "cuc".
            match *w {
                "bo" | "ban" | "cuc" | "vien" | "party" | "press" | "office" => {
                    words.first().is_some_and(|f| f == w)
                }
                _ => words.iter().any(|x| x == w),
            }
        }
    })
}

fn is_initial_token(t: &str) -> bool {
    // "L.", "L.I.", "A.G.", "A.X", "Th.", "Yu.": letters in runs of one or two, with dots.
    let t = t.trim();
    let parts: Vec<&str> = t.split('.').filter(|p| !p.is_empty()).collect();
    t.contains('.')
        && first_upper(t)
        && !parts.is_empty()
        && (t.ends_with('.') || parts.len() >= 2)
        && parts.iter().all(|p| {
            let n = p.chars().count();
            n <= 2 && p.chars().all(char::is_alphabetic)
        })
}

#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "van", "von", "de", "da", "der", "den", "del", "della", "di", "du", "la", "le", "bin",
    "ibn", "al", "ter", "ten", "y",
];

fn looks_like_patronymic(w: &str) -> bool {
    let l = w.to_lowercase();
    ["vich", "vna", "ovich", "evich", "ич", "вна", "ична"]
        .iter()
        .any(|s| l.ends_with(s))
}

/// Splits tokens glued to initials: "L.I.Brêgiơnép" → ["L.I.", "Brêgiơnép"];
/// "V.Gaiduk" → ["V.", "Gaiduk"].
fn tokens_of_name(s: &str) -> Vec<String> {
    static LEADING: OnceLock<Regex> = OnceLock::new();
    static GLUED: OnceLock<Regex> = OnceLock::new();
    // Initials glued before a word: "L.I.Brêgiơnép" → ["L.I.", "Brêgiơnép"].
    let leading = re(&LEADING, r"^((?:\p{Lu}\.){1,3})(\p{Lu}[\p{L}\p{M}'’-]+)$");
    // Initials glued after a word: "Ixaép.M.P" → ["Ixaép", "M.P"].
    let glued = re(
        &GLUED,
        r"^(\p{Lu}[\p{Ll}\p{M}'’-]{2,})\.((?:\p{Lu}\.?){1,3})$",
    );
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        if is_initial_token(w) {
            out.push(w.to_string());
        } else if let Some(c) = leading.captures(w) {
            out.push(c[1].to_string());
            out.push(c[2].to_string());
        } else if let Some(c) = glued.captures(w) {
            out.push(c[1].to_string());
            out.push(c[2].to_string());
        } else {
            out.push(w.to_string());
        }
    }
    out
}

/// Reads one person's or organization's name.
fn parse_one_name(s: &str) -> Option<Name> {
    let s = trim_keep_abbrev(s);
    let s = s.trim();
    if s.is_empty() || !s.chars().any(char::is_alphabetic) {
        return None;
    }
    if is_org(s) {
        return Some(Name::literal(s));
    }
    // "Porter, Bruce", "Smith, J.", "Иванов, И. И."
    if let Some((fam, giv)) = s.split_once(',') {
        let (fam, giv) = (fam.trim(), giv.trim());
        if !fam.is_empty()
            && !giv.is_empty()
            && !fam.contains(' ')
            && first_upper(fam)
            && first_upper(giv)
            && giv.split_whitespace().count() <= 3
        {
            return Some(Name::person(fam, giv));
        }
        return Some(Name::literal(s));
    }
    let toks = tokens_of_name(s);
    if toks.is_empty() || toks.len() > 6 {
        return Some(Name::literal(s));
    }
    let lower_ok = |t: &str| first_upper(t) || PARTICLES.contains(&t.to_lowercase().as_str());
    if !toks.iter().all(|t| lower_ok(t))
        || toks.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()))
    {
        return Some(Name::literal(s));
    }
    let initial: Vec<bool> = toks.iter().map(|t| is_initial_token(t)).collect();
    if initial.iter().all(|&b| b) {
        return Some(Name::literal(s));
    }
    if toks.len() == 1 {
        return Some(Name::person(&toks[0], ""));
    }
    if initial.iter().any(|&b| b) {
        // Initials last ("Иванов И.И.", "Isaev M.P."): family first.
        let last_non_initial = initial.iter().rposition(|&b| !b).unwrap_or(0);
        if last_non_initial == 0 {
            let family = toks[0].trim_end_matches('.');
            return Some(Name::person(family, &toks[1..].join(" ")));
        }
        // Otherwise family last ("L.I. Brêgiơnép", "Lien-Hang T. Nguyen").
        let n = toks.len();
        return Some(Name::person(&toks[n - 1], &toks[..n - 1].join(" ")));
    }
    let first_folded = crate::text::fold::fold(&toks[0]);
    let is_cyrillic = s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    if VI_FAMILY.contains(&first_folded.as_str()) && toks.len() <= 5 {
        // Vietnamese order: family name first.
        return Some(Name::person(&toks[0], &toks[1..].join(" ")));
    }
    if toks.len() == 3 && (looks_like_patronymic(&toks[2]) || is_cyrillic) {
        // Russian "Family Given Patronymic".
        return Some(Name::person(&toks[0], &toks[1..].join(" ")));
    }
    if toks.len() > 4 {
        return Some(Name::literal(s));
    }
    let n = toks.len();
    // A particle belongs to the family name ("Ludwig van Beethoven").
    let mut fam_start = n - 1;
    while fam_start > 1 && PARTICLES.contains(&toks[fam_start - 1].to_lowercase().as_str()) {
        fam_start -= 1;
    }
    Some(Name::person(
        &toks[fam_start..].join(" "),
        &toks[..fam_start].join(" "),
    ))
}

/// The names of an author part: "A, B và C", "Smith, J., & Jones, K.", an organization.
/// Returns the names and whether they are editors.
pub fn parse_names(s: &str) -> (Vec<Name>, bool) {
    static ROLE: OnceLock<Regex> = OnceLock::new();
    static ETAL: OnceLock<Regex> = OnceLock::new();
    let role = re(
        &ROLE,
        r"(?i)\(\s*(?:chủ biên|đồng chủ biên|cb|cb\.|eds?\.?|editors?|hrsg\.?|под ред\.?|ред\.?|biên soạn|chủ nhiệm|tổng chủ biên)\s*\)",
    );
    let etal = re(
        &ETAL,
        r"(?i)(?:,?\s*et al\.?|,?\s*và cộng sự|,?\s*và nnk\.?|,?\s*và các tác giả khác|,?\s*и др\.?)\s*$",
    );
    let editors = role.is_match(s);
    let s = role.replace_all(s, " ");
    let s = etal.replace(s.trim(), "");
    let s = squash(&s);
    let s = trim_keep_abbrev(&s);
    if s.is_empty() {
        return (Vec::new(), editors);
    }
    if is_org(s) {
        return (vec![Name::literal(s)], editors);
    }
    // Split on "và", "and", "&", "и", ";".
    static SEP: OnceLock<Regex> = OnceLock::new();
    let sep = re(&SEP, r"\s*(?:;|\s&\s|,?\s+and\s+|\s+và\s+|\s+и\s+)\s*");
    let mut names = Vec::new();
    for part in sep.split(s) {
        let part = part.trim().trim_start_matches('&').trim();
        if part.is_empty() {
            continue;
        }
        // Commas: "Family, I., Family, I." pairs, or "A, B, C" names.
        let pieces: Vec<&str> = part
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if pieces.len() <= 1 {
            names.extend(parse_one_name(part));
            continue;
        }
        let initials_or_given = |p: &str| {
            p.split_whitespace().all(is_initial_token)
                || (pieces.len() == 2 && p.split_whitespace().count() <= 2 && !p.contains('.'))
        };
        let paired = pieces.len().is_multiple_of(2)
            && pieces
                .chunks(2)
                .all(|c| !c[0].contains(' ') && initials_or_given(c[1]));
        if paired {
            for c in pieces.chunks(2) {
                names.extend(parse_one_name(&format!("{}, {}", c[0], c[1])));
            }
        } else {
            for p in pieces {
                names.extend(parse_one_name(p));
            }
        }
    }
    (names, editors)
}

fn names_valid(raw: &str) -> bool {
    let t = raw.trim();
    !t.is_empty()
        && t.chars().count() <= 160
        && t.split_whitespace().count() <= 14
        && first_upper(t)
        && !t
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '“' | '”' | '"' | '[' | ']'))
}

// ---------------------------------------------------------------------------------------
// Fields after the title.

/// Places publishers are in (folded, without final period).
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "ha noi", "hanoi", "hn", "tp ho chi minh", "tp. ho chi minh", "tp.ho chi minh",
    "thanh pho ho chi minh", "tp hcm", "tp. hcm", "tp.hcm", "ho chi minh city", "sai gon",
    "saigon", "hue", "da nang", "hai phong", "can tho", "matxcova", "mat-xco-va", "moscow",
    "moskva", "москва", "м", "спб", "санкт-петербург", "ленинград", "л", "london", "new york",
    "paris", "cambridge", "oxford", "washington", "washington dc", "washington, d.c", "berlin",
    "beijing", "bac kinh", "boston", "chicago", "princeton", "stanford", "berkeley",
    "singapore", "tokyo", "canberra", "ithaca", "new haven", "lanham", "armonk", "boulder",
    "westport", "abingdon", "basingstoke", "houndmills", "leiden", "amsterdam", "stockholm",
    "vladivostok", "владивосток", "bangkok", "kuala lumpur", "jakarta", "manila", "phnom penh",
    "vientiane", "nghe an", "thai binh", "nam dinh", "thanh hoa", "vinh",
];

fn is_place(p: &str) -> bool {
    let f = crate::text::fold::fold(trim_field(p));
    let f = f.trim_end_matches('.').trim();
    !f.is_empty() && PLACES.contains(&f)
}

#[derive(Debug)]
enum Field {
    Publisher(String),
    PlacePublisher(String, String),
    Place(String),
    Journal(String),
    Newspaper(String),
    Volume(String),
    Issue(String),
    VolumeIssue(String, String),
    Page(String),
    Thesis(String),
    In(String),
    Archive(String),
    Year(i32),
}

fn field_of(piece: &str) -> Option<Field> {
    static PUB: OnceLock<Regex> = OnceLock::new();
    static PLACE_PUB: OnceLock<Regex> = OnceLock::new();
    static JOURNAL: OnceLock<Regex> = OnceLock::new();
    static NEWS: OnceLock<Regex> = OnceLock::new();
    static VOL: OnceLock<Regex> = OnceLock::new();
    static ISSUE: OnceLock<Regex> = OnceLock::new();
    static VOLISS: OnceLock<Regex> = OnceLock::new();
    static PAGE: OnceLock<Regex> = OnceLock::new();
    static THESIS: OnceLock<Regex> = OnceLock::new();
    static IN: OnceLock<Regex> = OnceLock::new();
    static ARCHIVE: OnceLock<Regex> = OnceLock::new();
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let p = piece.trim();
    if p.is_empty() {
        return None;
    }
    let publisher = re(
        &PUB,
        r"^(?i:nxb\.?|nhà xuất bản|nhà xb|nhà in|изд-во|издательство)\s*(.+)$",
    );
    if let Some(c) = publisher.captures(p) {
        return Some(Field::Publisher(trim_keep_abbrev(&c[1]).to_string()));
    }
    if let Some(c) = re(&THESIS, r"^(?i:luận án|luận văn|khóa luận|khoá luận|(?:ph\.?\s?d\.?|doctoral|master'?s?|m\.?a\.?|bachelor'?s?)\s+(?:thesis|dissertation)|thesis|dissertation|диссертация|дис\.|автореферат)").captures(p) {
        let _ = c;
        return Some(Field::Thesis(trim_keep_abbrev(p).to_string()));
    }
    if let Some(c) = re(
        &IN,
        r"^(?:In|Trong|В кн\.|В сб\.|В:|In:|Trong:)\s*:?\s*(.+)$",
    )
    .captures(p)
    {
        return Some(Field::In(trim_keep_abbrev(&c[1]).to_string()));
    }
    if re(&JOURNAL, r"(?i)^(?:tạp chí|tạp san|thông tin|thông báo)\b|journal\b|review\b|quarterly\b|^журнал|^вестник|studies\b").is_match(p) {
        return Some(Field::Journal(trim_keep_abbrev(p).to_string()));
    }
    if re(&NEWS, r"^(?:Báo|báo|Газета|газета|Newspaper)\s+\S").is_match(p) {
        let name = p.split_once(char::is_whitespace).map(|x| x.1).unwrap_or(p);
        return Some(Field::Newspaper(trim_keep_abbrev(name).to_string()));
    }
    if let Some(c) = re(
        &VOLISS,
        r"^(\d{1,4})\s*\((\d{1,4}(?:\s*[-–]\s*\d{1,4})?)\)$",
    )
    .captures(p)
    {
        return Some(Field::VolumeIssue(c[1].to_string(), c[2].to_string()));
    }
    if let Some(c) = re(
        &VOL,
        r"^(?i:vol\.?|volume|tập|т\.|tome)\s*([0-9IVXLC]{1,6})\.?$",
    )
    .captures(p)
    {
        return Some(Field::Volume(c[1].to_string()));
    }
    if let Some(c) = re(
        &ISSUE,
        r"^(?i:số|no\.?|№|issue|вып\.|выпуск|n°)\s*(\d{1,5}(?:\s*[-–/]\s*\d{1,5})?)\.?$",
    )
    .captures(p)
    {
        return Some(Field::Issue(c[1].to_string()));
    }
    if let Some(c) = re(&PAGE, r"^(?i:tr\.?|trang|pp?\.?|с\.|стр\.|pages?)\s*(\d{1,5}(?:\s*[-–]\s*\d{1,5})?)\.?$|^(\d{1,5}\s*[-–]\s*\d{1,5})\.?$").captures(p) {
        let g = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str()).unwrap_or("");
        return Some(Field::Page(g.replace(' ', "")));
    }
    if let Some(c) = re(&YEAR, r"^(1[5-9]\d\d|20\d\d)\.?$").captures(p)
        && let Ok(y) = c[1].parse::<i32>()
    {
        return Some(Field::Year(y));
    }
    if re(&ARCHIVE, r"^(?i:phông|fond|фонд|ф\.|hồ sơ|hs\.?|đơn vị bảo quản|đvbq|оп\.|опись|д\.|дело|file|folder|box|reel)\s*\S").is_match(p) {
        return Some(Field::Archive(trim_keep_abbrev(p).to_string()));
    }
    if let Some(c) = re(&PLACE_PUB, r"^([^:]{1,40}):\s*(.{2,120})$").captures(p)
        && is_place(&c[1])
    {
        return Some(Field::PlacePublisher(
            trim_field(&c[1]).to_string(),
            trim_keep_abbrev(&c[2]).to_string(),
        ));
    }
    if is_place(p) {
        return Some(Field::Place(trim_keep_abbrev(p).to_string()));
    }
    None
}

/// Splits at ", " outside parentheses, brackets and quotes.
fn split_commas(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut quote = false;
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            '“' | '«' => quote = true,
            '”' | '»' => quote = false,
            '"' => quote = !quote,
            _ => {}
        }
        if c == ',' && depth == 0 && !quote && chars.peek().is_some_and(|n| n.is_whitespace()) {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Applies the fields of `pieces` (after the title) to `e`. Returns the pieces that were
/// not recognised.
fn apply_fields(e: &mut Entry, pieces: &[String]) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut after_thesis = false;
    let mut archive_parts: Vec<String> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        match field_of(p) {
            Some(Field::Publisher(x)) => e.publisher = Some(x),
            Some(Field::PlacePublisher(pl, pb)) => {
                e.place = Some(pl);
                e.publisher = Some(pb);
            }
            Some(Field::Place(pl)) => {
                // "…, Publisher, Place": an unrecognised piece right before a place is the
                // publisher.
                if e.publisher.is_none() && i > 0 && unknown.last() == Some(&pieces[i - 1]) {
                    e.publisher = unknown.pop();
                }
                e.place = Some(pl);
            }
            Some(Field::Journal(j)) => {
                e.container = Some(j);
                e.ty = RefType::ArticleJournal;
            }
            Some(Field::Newspaper(n)) => {
                e.container = Some(n);
                e.ty = RefType::ArticleNewspaper;
            }
            Some(Field::Volume(v)) => e.volume = Some(v),
            Some(Field::Issue(x)) => e.issue = Some(x),
            Some(Field::VolumeIssue(v, x)) => {
                e.volume = Some(v);
                e.issue = Some(x);
                if e.container.is_none() && !unknown.is_empty() {
                    e.container = unknown.pop();
                }
                e.ty = RefType::ArticleJournal;
            }
            Some(Field::Page(pg)) => e.page = Some(pg),
            Some(Field::Thesis(g)) => {
                e.genre = Some(g);
                e.ty = RefType::Thesis;
                after_thesis = true;
            }
            Some(Field::In(c)) => {
                e.container = Some(c);
                e.ty = RefType::Chapter;
            }
            Some(Field::Archive(a)) => archive_parts.push(a),
            Some(Field::Year(y)) => {
                if e.year.is_none() {
                    e.year = Some(y);
                }
            }
            None => {
                if after_thesis && e.publisher.is_none() {
                    // The institution granting a thesis.
                    e.publisher = Some(trim_keep_abbrev(p).to_string());
                } else if after_thesis {
                    let prev = e.publisher.take().unwrap_or_default();
                    e.publisher = Some(format!("{prev}, {}", trim_keep_abbrev(p)));
                } else {
                    unknown.push(p.clone());
                }
            }
        }
    }
    if !archive_parts.is_empty() {
        e.archive_location = Some(archive_parts.join(", "));
    }
    unknown
}

// ---------------------------------------------------------------------------------------
// Entries.

/// The number marker at the start of an entry (`[5]`, `5.`, `5)`) and the rest.
pub fn split_number(text: &str) -> (Option<u32>, &str) {
    static NUM: OnceLock<Regex> = OnceLock::new();
    let num = re(&NUM, r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+");
    match num.captures(text) {
        Some(c) => {
            let n = c
                .get(1)
                .or_else(|| c.get(2))
                .and_then(|m| m.as_str().parse().ok());
            let end = c.get(0).map_or(0, |m| m.end());
            (n, &text[end..])
        }
        None => (None, text),
    }
}

fn take_url(text: &str, e: &mut Entry) -> String {
    static URL: OnceLock<Regex> = OnceLock::new();
    static ACCESSED: OnceLock<Regex> = OnceLock::new();
    static LEAD: OnceLock<Regex> = OnceLock::new();
    let url = re(&URL, r"(?i)\b(?:https?://|www\.)[^\s<>\x22“”]+");
    let accessed = re(
        &ACCESSED,
        r"(?i)[(\[]?\s*(?:truy cập|ngày truy cập|accessed(?: on)?|retrieved(?: on)?|дата обращения)\s*(?:ngày)?\s*:?\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*[)\]]?\.?",
    );
    let mut s = text.to_string();
    if let Some(c) = accessed.captures(&s) {
        let d: u32 = c[1].parse().unwrap_or(0);
        let m: u32 = c[2].parse().unwrap_or(0);
        let y: i32 = c[3].parse().unwrap_or(0);
        if year_ok(y) && (1..=12).contains(&m) && (1..=31).contains(&d) {
            e.accessed = Some((y, m, d));
        }
        let r = c.get(0).map_or(0..0, |m| m.range());
        s.replace_range(r, " ");
    }
    if let Some((u, r)) = url.find(&s).map(|m| (m.as_str().to_string(), m.range())) {
        let u = u.trim_end_matches(['.', ',', ';', ')', ']', '>']);
        e.url = Some(u.to_string());
        s.replace_range(r.clone(), " ");
        let lead = re(
            &LEAD,
            r"(?i)(?:,|\.)?\s*(?:url|available (?:at|from)|retrieved from|nguồn|link|\[online\]|режим доступа)\s*:?\s*$",
        );
        let head_end = lead.find(&s[..r.start]).map(|x| x.start());
        if let Some(h) = head_end {
            s.replace_range(h..r.start, " ");
        }
    }
    squash(&s)
}

/// Reads one reference (without its number marker; see [`split_number`]). Never panics.
pub fn parse_entry(text: &str) -> Entry {
    let raw = squash(text);
    let raw = raw.trim();
    if raw.is_empty() {
        return Entry::unparsed("", "empty");
    }
    if raw.chars().count() > 2000 {
        return Entry::unparsed(raw, "too long for one reference");
    }
    let mut e = Entry::empty();
    let body = take_url(raw, &mut e);
    if let Some(done) = author_year(&body, &mut e) {
        return done;
    }
    if let Some(done) = newspaper_issue(&body, &mut e) {
        return done;
    }
    if let Some(done) = gost(&body, &mut e) {
        return done;
    }
    if e.url.is_some() {
        // A bare web reference: "Title, URL (accessed …)".
        let title = trim_field(&body);
        if !title.is_empty() {
            e.title = Some(title.to_string());
        }
        e.ty = RefType::Webpage;
        e.parsed = true;
        return e;
    }
    Entry::unparsed(raw, "no author-year or place: publisher, year shape")
}

/// `Author (Year), Title, …` and `Author (Year). Title. …`.
fn author_year(body: &str, e: &mut Entry) -> Option<Entry> {
    static AY: OnceLock<Regex> = OnceLock::new();
    let ay = re(&AY, r"\(\s*(1[5-9]\d\d|20\d\d)[a-zđ]?\s*\)");
    let m = ay.captures_iter(body).find(|c| {
        c.get(0).is_some_and(|m| {
            // The year closes the author part: no other year-like parenthesis before it.
            m.start() <= 240
        })
    })?;
    let whole = m.get(0)?;
    let year: i32 = m[1].parse().ok()?;
    let author_raw = body[..whole.start()].trim();
    let rest = body[whole.end()..].trim_start();
    let mut e = e.clone();
    e.year = Some(year);
    read_authors(author_raw, &mut e);
    let (sep, rest) = match rest.chars().next() {
        Some(c @ ('.' | ',' | ':')) => (c, rest[c.len_utf8()..].trim_start()),
        _ => (',', rest),
    };
    if rest.is_empty() {
        e.parsed = !e.authors.is_empty() || e.genre.is_some() || e.publisher.is_some();
        e.note = Some("no title".into());
        return Some(e);
    }
    read_title_and_fields(rest, sep, &mut e);
    finish_type(&mut e);
    e.parsed = true;
    Some(e)
}

/// Sets authors (or genre / publisher for "Kỷ yếu …", "Báo cáo …", "Nxb …") from the part
/// before the year.
fn read_authors(author_raw: &str, e: &mut Entry) {
    let a = trim_keep_abbrev(author_raw).trim();
    if a.is_empty() {
        return;
    }
    let folded = crate::text::fold::fold(a);
    if folded.starts_with("ky yeu") {
        e.genre = Some(a.to_string());
        e.ty = RefType::Book;
        return;
    }
    if folded.starts_with("bao cao") {
        e.genre = Some(a.to_string());
        e.ty = RefType::Report;
        return;
    }
    static NXB: OnceLock<Regex> = OnceLock::new();
    if let Some(c) = re(&NXB, r"^(?i:nhà xuất bản|nxb\.?)\s+(.+)$").captures(a) {
        e.publisher = Some(c[1].trim().to_string());
        e.ty = RefType::Book;
        return;
    }
    if !names_valid(a) {
        e.note = Some(format!("author not recognised: {a}"));
        return;
    }
    let (names, editors) = parse_names(a);
    if editors {
        e.editors = names;
    } else {
        e.authors = names;
    }
}

fn read_title_and_fields(rest: &str, sep: char, e: &mut Entry) {
    // A quoted title.
    let trimmed = rest.trim();
    for (open, close) in [('“', '”'), ('"', '"'), ('«', '»')] {
        if let Some(after_open) = trimmed.strip_prefix(open)
            && let Some(endq) = after_open.find(close)
        {
            let title = after_open[..endq].trim();
            let after = &after_open[endq + close.len_utf8()..];
            e.title = opt(title);
            e.ty = RefType::Article;
            let pieces = split_commas(trim_field(after));
            let unknown = apply_fields(e, &pieces);
            if e.container.is_none()
                && let Some(first) = unknown.first()
            {
                // "“Title”, Name of the journal, số 5": the piece after a quoted
                // title is where it appeared.
                e.container = Some(trim_keep_abbrev(first).to_string());
                if e.ty == RefType::Article {
                    e.ty = RefType::ArticleJournal;
                }
                note_unknown(e, &unknown[1..]);
                return;
            }
            note_unknown(e, &unknown);
            return;
        }
    }
    if sep == '.' {
        // APA: the title runs to the first sentence end.
        let (title, after) = split_sentence(trimmed);
        e.title = opt(title);
        let after = trim_field(after);
        // "Journal, 12(3), 45–67" or "Place: Publisher".
        let pieces = split_sentences_then_commas(after);
        let unknown = apply_fields(e, &pieces);
        if e.container.is_none() && e.publisher.is_none() && unknown.len() == 1 {
            e.publisher = Some(trim_keep_abbrev(&unknown[0]).to_string());
        } else {
            note_unknown(e, &unknown);
        }
        return;
    }
    // Comma style: the title runs to the first piece that is a field.
    let pieces = split_commas(trimmed);
    let first_field = pieces
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, p)| field_of(p).is_some())
        .map(|(i, _)| i)
        .unwrap_or(pieces.len());
    // "Title, Publisher, Place": leave the piece before a trailing place to the fields.
    let mut title_end = first_field;
    if first_field < pieces.len()
        && matches!(field_of(&pieces[first_field]), Some(Field::Place(_)))
        && first_field >= 2
    {
        title_end = first_field - 1;
    }
    let title = pieces[..title_end].join(", ");
    let (title, quoted) = unquote(trim_keep_abbrev(&title));
    e.title = opt(&title);
    if quoted {
        e.ty = RefType::Article;
    }
    let unknown = apply_fields(e, &pieces[title_end..]);
    note_unknown(e, &unknown);
}

fn note_unknown(e: &mut Entry, unknown: &[String]) {
    if !unknown.is_empty() {
        let s = format!("unrecognised: {}", unknown.join(", "));
        e.note = Some(match e.note.take() {
            Some(n) => format!("{n}; {s}"),
            None => s,
        });
    }
}

/// Splits at the first ". " (or "? ", "! ") that ends a sentence, not an initial.
fn split_sentence(s: &str) -> (&str, &str) {
    let mut prev_word_start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_whitespace() {
            prev_word_start = i + c.len_utf8();
            continue;
        }
        if matches!(c, '.' | '?' | '!') && iter.peek().is_none_or(|(_, n)| n.is_whitespace()) {
            let word = &s[prev_word_start..i];
            let initial = c == '.' && word.chars().count() <= 2 && first_upper(word);
            if !initial {
                let cut = i + c.len_utf8();
                let title_end = if c == '.' { i } else { cut };
                return (&s[..title_end], &s[cut..]);
            }
        }
    }
    (s, "")
}

fn split_sentences_then_commas(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut guard = 0;
    while !rest.trim().is_empty() && guard < 64 {
        guard += 1;
        let (a, b) = split_sentence(rest);
        out.extend(split_commas(a));
        if b.len() >= rest.len() {
            break;
        }
        rest = b;
    }
    out
}

fn finish_type(e: &mut Entry) {
    if matches!(
        e.ty,
        RefType::Thesis
            | RefType::ArticleJournal
            | RefType::ArticleNewspaper
            | RefType::Chapter
            | RefType::Report
    ) {
        return;
    }
    if e.archive_location.is_some() {
        e.ty = RefType::Document;
        let lead = e
            .authors
            .first()
            .and_then(|a| a.literal.clone())
            .filter(|l| {
                let f = crate::text::fold::fold(l);
                f.contains("luu tru") || f.contains("archive") || l.contains("рхив")
            });
        if let Some(a) = lead {
            e.archive = Some(a);
        }
        return;
    }
    if e.ty == RefType::Article {
        return;
    }
    if e.publisher.is_some() || e.place.is_some() || e.ty == RefType::Book {
        e.ty = RefType::Book;
        return;
    }
    if e.url.is_some() {
        e.ty = RefType::Webpage;
        return;
    }
    e.ty = RefType::Document;
    let n = "type not stated";
    e.note = Some(match e.note.take() {
        Some(x) => format!("{n}; {x}"),
        None => n.to_string(),
    });
}

/// "Báo Nhân Dân, ngày 04-11-1978": a newspaper issue.
fn newspaper_issue(body: &str, e: &mut Entry) -> Option<Entry> {
    static NEWS: OnceLock<Regex> = OnceLock::new();
    let news = re(
        &NEWS,
        r"^(?:Báo|báo|Newspaper|Газета|газета)\s+([^,]{2,80}?),\s*(?:số\s*\d+\s*,?\s*)?(?:ngày|số ra ngày|of|от)?\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\.?$",
    );
    let c = news.captures(body.trim())?;
    let d: u32 = c[2].parse().ok()?;
    let m: u32 = c[3].parse().ok()?;
    let y: i32 = c[4].parse().ok()?;
    if !year_ok(y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut e = e.clone();
    e.ty = RefType::ArticleNewspaper;
    e.container = Some(c[1].trim().to_string());
    e.year = Some(y);
    e.month = Some(m);
    e.day = Some(d);
    e.parsed = true;
    e.note = Some("a newspaper issue, no article title".into());
    Some(e)
}

/// GOST: `Иванов И.И. Название. – М.: Наука, 1985. – 300 с.`
fn gost(body: &str, e: &mut Entry) -> Option<Entry> {
    static G: OnceLock<Regex> = OnceLock::new();
    let g = re(
        &G,
        r"^(?P<auth>\p{Lu}[\p{L}'’-]+,?\s+(?:\p{Lu}\.\s?){1,3})\s*(?P<title>[^–—]+?)\s*(?:/\s*(?P<resp>[^–—]*?))?\s*[–—]\s*(?P<place>[^:–—]{1,40}):\s*(?P<pub>[^,–—]{1,120}),\s*(?P<year>1[5-9]\d\d|20\d\d)\.?(?:\s*[–—]\s*(?P<rest>.*))?$",
    );
    let c = g.captures(body.trim())?;
    let mut e = e.clone();
    let (names, _) = parse_names(&c["auth"]);
    e.authors = names;
    e.title = opt(&c["title"]);
    e.place = Some(trim_keep_abbrev(&c["place"]).to_string()).filter(|p| !p.is_empty());
    e.publisher = opt(&c["pub"]);
    e.year = c["year"].parse().ok();
    e.ty = RefType::Book;
    e.parsed = true;
    if let Some(r) = c.name("rest") {
        let pieces = split_commas(trim_field(r.as_str()));
        let unknown = apply_fields(&mut e, &pieces);
        // "300 с." is the number of pages: not a page range, not unknown.
        let unknown: Vec<String> = unknown
            .into_iter()
            .filter(|p| !p.trim_end_matches('.').ends_with(" с") && !p.ends_with(" p."))
            .collect();
        note_unknown(&mut e, &unknown);
    }
    Some(e)
}

// ---------------------------------------------------------------------------------------
// Finding references in a document.

/// Headings that open a reference list (folded, lowercase, whitespace collapsed).
const LIST_HEADINGS: &[&str] = &[
    "tai lieu tham khao",
    "danh muc tai lieu tham khao",
    "danh muc cac tai lieu tham khao",
    "danh muc tai lieu",
    "thu muc",
    "thu muc tham khao",
    "references",
    "reference",
    "reference list",
    "bibliography",
    "select bibliography",
    "selected bibliography",
    "works cited",
    "literature",
    "literature cited",
    "references and notes",
    "notes and references",
    "sources",
    "sources and literature",
    "further reading",
    "список литературы",
    "литература",
    "библиография",
    "список использованных источников",
    "список использованной литературы",
    "список источников и литературы",
    "источники и литература",
    "использованная литература",
];

/// Headings that end a reference list.
const END_HEADINGS: &[&str] = &[
    "phu luc",
    "appendix",
    "appendices",
    "приложение",
    "приложения",
    "see also",
    "external links",
    "notes",
    "chu thich",
    "примечания",
    "index",
    "acknowledgements",
    "acknowledgments",
];

fn heading_key(text: &str) -> String {
    static LEAD: OnceLock<Regex> = OnceLock::new();
    let lead = re(
        &LEAD,
        r"^(?:[=#*\s]*)(?:(?:[IVXLC]+|\d{1,2}|[A-Z])[.)]\s+)?|[=#*:\s.]*$",
    );
    let t = lead.replace_all(text.trim(), "");
    let f = crate::text::fold::fold(&t);
    squash(&f)
}

fn is_list_heading(text: &str) -> bool {
    text.chars().count() <= 80 && LIST_HEADINGS.contains(&heading_key(text).as_str())
}

fn is_end_heading(text: &str) -> bool {
    let k = heading_key(text);
    END_HEADINGS
        .iter()
        .any(|h| k == *h || k.starts_with(&format!("{h} ")))
}

fn has_year(s: &str) -> bool {
    static Y: OnceLock<Regex> = OnceLock::new();
    re(&Y, r"\b(?:1[5-9]\d\d|20\d\d)\b").is_match(s)
}

/// Entry starts inside a paragraph: a marker at a token start that continues the count.
fn markers(text: &str) -> Vec<(usize, u32)> {
    static M: OnceLock<Regex> = OnceLock::new();
    let m = re(&M, r"(?:^|\s)(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+\S");
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some(c) = m.captures_at(text, at) else {
            break;
        };
        let Some(whole) = c.get(0) else { break };
        let num = c.get(1).or_else(|| c.get(2));
        if let Some(n) = num.and_then(|x| x.as_str().parse::<u32>().ok()) {
            let start = c.get(1).map_or_else(
                || c.get(2).map_or(whole.start(), |x| x.start()),
                |x| x.start() - 1,
            );
            out.push((start, n));
        }
        // Continue after the marker (not after the first char of the entry).
        let next = num.map_or(whole.end(), |x| x.end());
        at = next.max(at + 1);
        while at < text.len() && !text.is_char_boundary(at) {
            at += 1;
        }
    }
    out
}

/// The references of a read document, in document order.
pub fn find_in_document(doc: &Document) -> Vec<Citation> {
    let mut out = Vec::new();
    find_lists(doc, &mut out);
    find_inline(doc, &mut out);
    find_source_notes(doc, &mut out);
    out.sort_by_key(|c| (c.start, c.end));
    out.dedup_by(|a, b| a.start < b.end && b.start < a.end && a.context == b.context);
    out
}

fn citation(doc: &Document, range: Range<usize>, lang: Lang, context: Context) -> Citation {
    let span = doc.span_of(range.clone());
    let text = squash(&doc.text.as_str()[range]);
    Citation {
        doc: doc.source.id.clone(),
        start: span.start,
        end: span.end,
        text,
        context,
        number: None,
        locator: None,
        lang,
        entry: Entry::empty(),
    }
}

fn find_lists(doc: &Document, out: &mut Vec<Citation>) {
    let text = doc.text.as_str();
    let paras = &doc.paragraphs;
    let mut i = 0;
    while i < paras.len() {
        let ptext = &text[paras[i].range.clone()];
        if !is_list_heading(ptext) {
            i += 1;
            continue;
        }
        // The list: entries as (clean range, number, lang).
        let mut entries: Vec<(Range<usize>, Option<u32>, Lang)> = Vec::new();
        let mut last_num: Option<u32> = None;
        let mut misses = 0;
        let mut j = i + 1;
        while j < paras.len() {
            let p = &paras[j];
            let pt = &text[p.range.clone()];
            if is_list_heading(pt) {
                break;
            }
            let starts_entry = split_number(pt).0.is_some_and(|n| match last_num {
                None => true,
                Some(prev) => n > prev && n <= prev + 3,
            });
            if !starts_entry
                && (p.kind == BlockKind::Heading || (pt.chars().count() < 40 && !has_year(pt)))
            {
                if is_end_heading(pt) {
                    break;
                }
                if p.kind == BlockKind::Heading && pt.split_whitespace().count() > 8 {
                    break;
                }
                // A sub-heading ("Tiếng Việt", "Books").
                j += 1;
                continue;
            }
            let ms: Vec<(usize, u32)> = {
                let mut keep = Vec::new();
                let mut expect = last_num;
                for (pos, n) in markers(pt) {
                    let ok = match expect {
                        None => pos == 0,
                        Some(prev) => n == prev + 1 || (pos == 0 && n > prev && n <= prev + 3),
                    };
                    if ok {
                        keep.push((pos, n));
                        expect = Some(n);
                    }
                }
                keep
            };
            if ms.is_empty() {
                let numbered = last_num.is_some();
                if numbered && !entries.is_empty() {
                    // A continuation of the entry before (layout broke it).
                    if has_year(pt) || pt.chars().count() < 300 {
                        if let Some(last) = entries.last_mut() {
                            last.0.end = p.range.end;
                        }
                        misses = 0;
                    } else {
                        misses += 1;
                    }
                } else if has_year(pt) && pt.chars().count() <= 1500 {
                    entries.push((p.range.clone(), None, p.lang));
                    misses = 0;
                } else {
                    misses += 1;
                }
                if misses >= 3 {
                    break;
                }
                j += 1;
                continue;
            }
            misses = 0;
            if ms[0].0 > 0
                && let Some(last) = entries.last_mut()
            {
                last.0.end = p.range.start
                    + text[p.range.start..p.range.start + ms[0].0]
                        .trim_end()
                        .len();
            }
            for (k, &(pos, n)) in ms.iter().enumerate() {
                let s = p.range.start + pos;
                let e = ms
                    .get(k + 1)
                    .map_or(p.range.end, |&(np, _)| p.range.start + np);
                let e = s + text[s..e].trim_end().len();
                entries.push((s..e, Some(n), p.lang));
                last_num = Some(n);
            }
            j += 1;
        }
        for (range, number, lang) in entries {
            if range.is_empty() {
                continue;
            }
            let mut c = citation(doc, range, lang, Context::List);
            let (n, rest) = split_number(&c.text);
            c.number = number.or(n);
            c.entry = parse_entry(rest);
            out.push(c);
        }
        i = j.max(i + 1);
    }
}

fn find_inline(doc: &Document, out: &mut Vec<Citation>) {
    static Y: OnceLock<Regex> = OnceLock::new();
    static NUM: OnceLock<Regex> = OnceLock::new();
    static THESIS_AFTER: OnceLock<Regex> = OnceLock::new();
    static PUB_AFTER: OnceLock<Regex> = OnceLock::new();
    let y = re(&Y, r"\(\s*(1[5-9]\d\d|20\d\d)\s*\)\s*,\s*");
    let num = re(&NUM, r"\[(\d{1,4})\]");
    let thesis_after = re(
        &THESIS_AFTER,
        r"^\s*(?:-|–|,)?\s*((?i:luận án|luận văn|khóa luận|khoá luận|ph\.?d\.? thesis|doctoral dissertation|диссертация)[^;]{0,200}?)(?:;|\.\s|\.$|$)",
    );
    let pub_after = re(
        &PUB_AFTER,
        r"^\s*(?i:của nhà xuất bản|của nxb\.?)\s+([^.;]{2,80}?)(?:\s*\([^)]*\))?(?:[.;]|$)",
    );
    let text = doc.text.as_str();
    for p in &doc.paragraphs {
        if p.kind == BlockKind::Heading {
            continue;
        }
        let pt = &text[p.range.clone()];
        if !pt.contains('[') {
            continue;
        }
        for m in y.captures_iter(pt) {
            let Some(whole) = m.get(0) else { continue };
            let Some(ym) = m.get(1) else { continue };
            // The title: up to "[N]", before any other "(YYYY)," or sentence break.
            let after = &pt[whole.end()..];
            let limit = after
                .char_indices()
                .nth(400)
                .map_or(after.len(), |(i, _)| i);
            let window = &after[..limit];
            let Some(nm) = num.captures(window) else {
                continue;
            };
            let Some(nwhole) = nm.get(0) else { continue };
            let title_raw = &window[..nwhole.start()];
            if title_raw.contains(';')
                || y.is_match(title_raw)
                || title_raw.contains('[')
                || has_sentence_break(title_raw)
                || title_raw.trim().is_empty()
            {
                continue;
            }
            // The author part: back to a delimiter.
            let before = &pt[..whole.start()];
            let (a_start, author) = inline_author(before);
            let mut end = whole.end() + nwhole.end();
            let mut e = Entry::empty();
            e.year = ym.as_str().parse().ok();
            if author.is_empty() {
                e.note = Some("author not recognised".into());
            } else {
                read_authors(author, &mut e);
            }
            let (title, quoted) = unquote(trim_keep_abbrev(title_raw));
            let title_pieces = split_commas(&title);
            // "Title, Nxb X, Hà Nội [N]": fields after the title, as in a list entry.
            let first_field = title_pieces
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, p)| field_of(p).is_some())
                .map(|(i, _)| i);
            match first_field {
                Some(ff) => {
                    e.title = opt(&title_pieces[..ff].join(", "));
                    let unknown = apply_fields(&mut e, &title_pieces[ff..]);
                    note_unknown(&mut e, &unknown);
                }
                None => e.title = opt(&title),
            }
            if quoted {
                e.ty = RefType::Article;
            }
            // What follows "[N]": a thesis, a publisher.
            let tail = &pt[end..];
            if let Some(t) = thesis_after.captures(tail) {
                if let Some(g) = t.get(1) {
                    let pieces = split_commas(g.as_str().trim_end_matches('.'));
                    let unknown = apply_fields(&mut e, &pieces);
                    note_unknown(&mut e, &unknown);
                    end += g.end();
                }
            } else if let Some(t) = pub_after.captures(tail)
                && let (Some(g), Some(all)) = (t.get(1), t.get(0))
            {
                e.publisher = Some(g.as_str().trim().to_string());
                end += all.end();
                while end > 0 && !pt.is_char_boundary(end) {
                    end -= 1;
                }
                let trimmed = pt[..end].trim_end_matches(['.', ';', ' ']).len();
                end = trimmed;
            }
            finish_type(&mut e);
            e.parsed = true;
            let range = p.range.start + a_start..p.range.start + end;
            let mut c = citation(doc, range, p.lang, Context::Inline);
            c.number = nm[1].parse().ok();
            c.entry = e;
            out.push(c);
        }
    }
}

fn has_sentence_break(s: &str) -> bool {
    // ". X" where the period does not end an initial.
    let (a, b) = split_sentence(s);
    !b.trim().is_empty() && a.len() < s.len() && b.trim_start().starts_with(char::is_uppercase)
}

/// Where the author part before "(Year)" starts: after the last delimiter (`;`, `:`, a
/// sentence end that does not end an initial, quotes, a bullet).
fn author_segment_start(before: &str) -> usize {
    let mut start = 0;
    let chars: Vec<(usize, char)> = before.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|x| x.1);
        let after = i + c.len_utf8();
        match c {
            ';' | ':' | '\n' | '“' | '”' | '*' | '…' => start = after,
            '.' | '?' | '!' if next.is_none_or(char::is_whitespace) => {
                // Not after an initial ("L. Brezhnev"), nor before one ("Trécnưsép. A.X").
                let word_start = before[..i]
                    .char_indices()
                    .rfind(|&(_, x)| x.is_whitespace() || x == '.')
                    .map_or(0, |(w, x)| w + x.len_utf8());
                let word = &before[word_start..i];
                let initial = word.chars().count() == 1 && first_upper(word);
                let next_word = before[after..].split_whitespace().next().unwrap_or("");
                let next_initial = is_initial_token(next_word)
                    || (next_word.chars().nth(1) == Some('.') && first_upper(next_word));
                if !(c == '.' && (initial || next_initial)) {
                    start = after;
                }
            }
            _ => {}
        }
    }
    start
}

/// Words that open an organization's name.
#[rustfmt::skip]
const ORG_START: &[&str] = &[
    "vien", "hoc vien", "trung tam", "bo", "ban", "cuc", "tong cuc", "nha xuat ban", "hoi dong",
    "uy ban", "dai hoc", "truong", "dang cong san", "university", "institute", "ministry",
    "committee", "коллектив", "министерство", "институт", "центр",
];

/// The author part of an inline citation: its offset in `before` and its text (empty when
/// no name can be told apart from the running text).
fn inline_author(before: &str) -> (usize, &str) {
    static ROLE_END: OnceLock<Regex> = OnceLock::new();
    let role_end = re(
        &ROLE_END,
        r"(?i)\(\s*(?:chủ biên|đồng chủ biên|cb\.?|eds?\.?|biên soạn|tổng chủ biên)\s*\)\s*$",
    );
    // "Nguyễn Văn A (Chủ biên) (2002)": the role stays with the name.
    let search_end = role_end.find(before).map_or(before.len(), |m| m.start());
    let start = author_segment_start(&before[..search_end]);
    let seg_full = &before[start..];
    let lead = seg_full.len() - seg_full.trim_start().len();
    let seg = seg_full.trim();
    let off = start + lead;
    let words: Vec<(usize, &str)> = seg
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - seg.as_ptr() as usize, w))
        .collect();
    if words.is_empty() {
        return (off, "");
    }
    let name_word = |w: &str| {
        first_upper(w)
            || w == "và"
            || w == "and"
            || w.starts_with('(')
            || w.ends_with(')')
            || PARTICLES.contains(&w.to_lowercase().as_str())
    };
    if first_upper(seg) && is_org(seg) && words.len() <= 20 && !is_org_phrase_inside(seg) {
        return (off, seg);
    }
    if words.len() <= 12 && words.iter().all(|(_, w)| name_word(w)) && first_upper(seg) {
        return (off, seg);
    }
    // An organization named at the end of a longer run ("… phối hợp với Viện …").
    let tail_from = words.len().saturating_sub(16);
    for k in tail_from..words.len() {
        let (o, w) = words[k];
        if !first_upper(w) {
            continue;
        }
        let rest = &seg[o..];
        let folded = crate::text::fold::fold(rest);
        if ORG_START
            .iter()
            .any(|p| folded.starts_with(&format!("{p} ")))
            && words.len() - k <= 20
        {
            return (off + o, rest);
        }
    }
    // Otherwise a person's name: the capitalised words just before the year.
    let tail = capitalised_tail(seg);
    let n = tail.split_whitespace().count();
    if (2..=8).contains(&n) {
        return (off + (seg.len() - tail.len()), tail);
    }
    (off, "")
}

/// True when an organization word sits inside a run that starts with something else
/// ("Ngoài ra, còn … của Nxb"): such a run is not one name.
fn is_org_phrase_inside(seg: &str) -> bool {
    seg.contains(", ") && !seg.split(", ").all(|p| first_upper(p.trim()))
}

/// The trailing run of capitalised words (a person's or an organization's name).
fn capitalised_tail(s: &str) -> &str {
    let words: Vec<(usize, &str)> = s
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
        .collect();
    let mut k = words.len();
    while k > 0 && (first_upper(words[k - 1].1) || words[k - 1].1 == "và") {
        k -= 1;
    }
    // Do not start on "và".
    while k < words.len() && words[k].1 == "và" {
        k += 1;
    }
    match words.get(k) {
        Some(&(off, _)) => &s[off..],
        None => "",
    }
}

fn find_source_notes(doc: &Document, out: &mut Vec<Citation>) {
    static NOTE: OnceLock<Regex> = OnceLock::new();
    static LOC: OnceLock<Regex> = OnceLock::new();
    let note = re(
        &NOTE,
        r"(?:^|[\s(])(?i:nguồn|nguồn số liệu|source|sources|источник|источники)\s*:\s*",
    );
    let loc = re(
        &LOC,
        r"(?i),\s*((?:tr\.?|trang|pp?\.|с\.)\s*\d{1,5}(?:\s*[-–]\s*\d{1,5})?)\.?\s*\)?\s*$",
    );
    let text = doc.text.as_str();
    for s in &doc.sentences {
        let st = &text[s.range.clone()];
        let Some(m) = note.find(st) else { continue };
        let body_start = m.end();
        let mut body_end = st.len();
        let mut body = &st[body_start..body_end];
        // "(Nguồn: …)": drop the closing parenthesis.
        if m.as_str().starts_with('(')
            && let Some(close) = body.rfind(')')
        {
            body_end = body_start + close;
            body = &st[body_start..body_end];
        }
        let trimmed_len = body.trim_end().len();
        body_end = body_start + trimmed_len;
        let body = &st[body_start..body_end];
        if body.trim().is_empty() {
            continue;
        }
        let mut locator = None;
        let mut main = body.to_string();
        if let Some(c) = loc.captures(body)
            && let (Some(all), Some(g)) = (c.get(0), c.get(1))
        {
            locator = Some(g.as_str().split_whitespace().collect::<String>());
            main = body[..all.start()].to_string();
        }
        let entry = parse_entry(&main);
        if !entry.parsed
            || (entry.authors.is_empty()
                && entry.ty != RefType::ArticleNewspaper
                && entry.publisher.is_none()
                && entry.genre.is_none())
        {
            continue;
        }
        let range = s.range.start + body_start..s.range.start + body_end;
        let mut c = citation(doc, range, s.lang, Context::SourceNote);
        c.locator = locator;
        c.entry = entry;
        out.push(c);
    }
}

/// Reads a stored document again (same encoding and format as when it was stored) for its
/// paragraphs and their exact source map.
pub fn read_stored(d: &crate::snapshot::DocData) -> Option<Document> {
    let format = match d.doc.format.as_str() {
        "markdown" => Format::Markdown,
        "wiki" => Format::Wiki,
        "html" => Format::Html,
        _ => Format::Plain,
    };
    let opts = ReadOptions {
        encoding: Some(Encoding::from_name(&d.doc.encoding).unwrap_or(Encoding::Utf8)),
        format: Some(format),
        // As `ingest` reads (no language forced), so that paragraphs come out the same.
        lang: None,
        ocr: Default::default(),
    };
    Document::read(&d.doc.id, d.bytes.to_vec(), opts).ok()
}

/// Every reference found in the documents of a snapshot, by document and position.
pub fn find_in_snapshot(snapshot: &crate::snapshot::Snapshot) -> Vec<Citation> {
    let mut out = Vec::new();
    for d in snapshot.docs() {
        if let Some(doc) = read_stored(d) {
            out.extend(find_in_document(&doc));
        }
    }
    out
}
