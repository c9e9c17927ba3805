//! Question parsing: the language, what is asked (a date, a number, a person, a place, an
//! entity, a name, a field, a list of events), at what granularity or in what unit and
//! scale, and what the question says about it: entities (the gazetteer's identities, one
//! across languages), dates (the time extractor run on the question), lexicon concepts and
//! the remaining content words.
//!
//! Question words are data (`data/question/{en,vi,ru}.toml`): phrases with the type they
//! ask for; the longest phrase found wins. "which X" questions take their type from the
//! asked-for noun X (after the question word in English and Russian, before "nào" in
//! Vietnamese) through the lexicon's classes.

use crate::document::{Document, ReadOptions};
use crate::extract::{FactBody, Pipeline};
use crate::knowledge::domain::{self as lexicon, Hit};
use crate::text::fold::fold;
use crate::text::folded::{Tok, tokenize};
use crate::text::lang::{self, Lang};
use crate::text::phrase::{Pat, PhraseSet};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

/// What a question asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QType {
    Date,
    Number,
    Person,
    Place,
    /// An entity of this gazetteer type (any type when `None`).
    Entity(Option<String>),
    /// A proper name standing beside a noun of the question ("bút danh", "pseudonym").
    Name,
    /// A field of cooperation or activity.
    Field,
    /// What happened at a date.
    Events,
}

impl QType {
    pub fn name(&self) -> &'static str {
        match self {
            QType::Date => "date",
            QType::Number => "number",
            QType::Person => "person",
            QType::Place => "place",
            QType::Entity(_) => "entity",
            QType::Name => "name",
            QType::Field => "field",
            QType::Events => "events",
        }
    }
}

/// The granularity a date question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gran {
    Year,
    Month,
    Day,
}

impl Gran {
    /// The granularity of an ISO value ("1978", "1978-11", "1978-11-03").
    pub fn of(iso: &str) -> Gran {
        match iso.len() {
            0..=4 => Gran::Year,
            5..=7 => Gran::Month,
            _ => Gran::Day,
        }
    }

    /// `iso` cut to this granularity.
    pub fn cut(self, iso: &str) -> String {
        let n = match self {
            Gran::Year => 4,
            Gran::Month => 7,
            Gran::Day => 10,
        };
        iso.chars().take(n).collect()
    }
}

/// What a feature of the question is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// A gazetteer entity id.
    Entity(String),
    /// A lexicon concept.
    Concept(usize),
    /// A content word (folded), matched only in the same spelling.
    Word(String),
    /// A number written in the question ("Soyuz 37", "Article 2").
    Num(String),
}

/// One thing the question says.
#[derive(Debug, Clone)]
pub struct Feature {
    pub key: Key,
    /// Part of the asked-for noun ("which harbour", "Bộ trưởng Ngoại giao … nào").
    pub head: bool,
    /// Its share of weight: words that name several concepts at once ("thăm dò": explore
    /// and poll) split one feature's weight.
    pub share: f64,
}

/// A parsed question.
#[derive(Debug, Clone)]
pub struct Question {
    pub text: String,
    pub lang: Lang,
    pub qtype: QType,
    pub gran: Option<Gran>,
    /// The unit a number question asks in (percent, RUB, USD, person, ...).
    pub unit: Option<String>,
    /// The scale a number question asks in ("bao nhiêu triệu rúp": 1e6).
    pub scale: Option<f64>,
    pub features: Vec<Feature>,
    /// Dates and intervals the question names: (value_start, value_end).
    pub dates: Vec<(String, String)>,
    /// Numbers the question names (never the answer).
    pub numbers: Vec<f64>,
    /// The asked-for noun's concepts (for names: the noun a name stands beside).
    pub head_concepts: Vec<usize>,
    /// Every word of the question, folded.
    pub words: HashSet<String>,
    /// States that qualify a role the question names ("Bộ trưởng Tài chính **Nga**",
    /// "министр финансов **России**", "**Russia**'s finance minister"): entity ids.
    pub role_states: Vec<String>,
    /// The question asks for a whole ("the total", "tổng khối lượng", "всего"): a number
    /// that a sentence gives as a part ("…, of which the USSR 226,969 tonnes") does not
    /// answer it.
    pub total: bool,
    /// The question asks by how much something changed: a change answers it.
    pub change: bool,
    /// Which end of an interval the question asks for: its start ("bắt đầu vào ngày nào",
    /// "when did … begin") or its end; `None` for the whole.
    pub bound: Option<Bound>,
    /// The act the question asks about (its main predicate): the first predicate concept
    /// outside the question word, a verb of saying only when no other act follows ("when did
    /// Russia announce it was abandoning the base": abandon). An answer's sentence should
    /// state it.
    pub predicate: Option<usize>,
    /// The entities the act goes to, when it is a directed one ("visit **Vietnam**", "join
    /// **the CMEA**", "aid **to Vietnam**"): (id, type). An answer's sentence stating the
    /// act with another object of the same type only ("visited Russia") states another act.
    pub objects: Vec<(String, String)>,
    /// Who does the directed act: the actors named before it ("when did **Putin** first
    /// visit Vietnam"): (id, type).
    pub subjects: Vec<(String, String)>,
}

/// An end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Start,
    End,
}

#[derive(Debug, Deserialize)]
struct RawPattern {
    phrases: Vec<String>,
    #[serde(rename = "type")]
    kind: String,
    granularity: Option<String>,
    unit: Option<String>,
    head: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawFile {
    code: String,
    #[serde(default)]
    stop: Vec<String>,
    #[serde(default)]
    pattern: Vec<RawPattern>,
    #[serde(default)]
    scales: HashMap<String, f64>,
    /// Words of a question that ask for a whole ("total", "tổng", "всего").
    #[serde(default)]
    totals: Vec<String>,
    /// Words of a sentence that introduce the parts of a whole ("of which", "trong đó", "в
    /// том числе"): a number after them is a part.
    #[serde(default)]
    parts: Vec<String>,
    /// Words of a question that ask when something began ("bắt đầu", "began", "начался")
    /// or ended: the start or the end of an interval answers it in full.
    /// Words right before a number that make it a change ("grew by 31%", "tăng 31%", "вырос
    /// на 31%"): a rate of change, not the amount "how much was it" asks for.
    #[serde(default)]
    changes: Vec<String>,
    /// Words of a question that ask for a change ("by how much", "на сколько").
    #[serde(default)]
    change_questions: Vec<String>,
    /// Words right before a number that make it where a change started ("с 28 процентов",
    /// "from 28%", "từ 28%") and where it ended ("до 5 процентов", "to 5%", "xuống 5%"):
    /// a question about one end is not answered by the other.
    #[serde(default)]
    range_from: Vec<String>,
    #[serde(default)]
    range_to: Vec<String>,
    /// Words right before a date that make it the start of a state lasting since ("since
    /// 1979", "kể từ năm 1979", "начиная с 1979 года"): the date a thing holds from, not
    /// the date of an act, unless the question asks when it began.
    #[serde(default)]
    state_starts: Vec<String>,
    /// Words before an event noun that make it another event's reference point ("before
    /// the flight", "trước chuyến bay", "до полёта"): a date beside it is not that event's.
    #[serde(default)]
    references: Vec<String>,
    /// Nouns a number right after which names a thing, not an amount ("project 636",
    /// "проекта 636", "dự án 636", "№ 5"); a trailing "*" takes any ending.
    #[serde(default)]
    designations: Vec<String>,
    /// Prepositions of place ("in", "tại", "в"): a name right after one is where, not who.
    #[serde(default)]
    locatives: Vec<String>,
    /// Words that join two clauses or two items ("and", "và", "и"): a name before one does
    /// not hold a number after it.
    #[serde(default)]
    joiners: Vec<String>,
    #[serde(default)]
    starts: Vec<String>,
    #[serde(default)]
    ends: Vec<String>,
}

/// A question pattern: what its phrase asks for.
#[derive(Debug)]
struct Pattern {
    kind: String,
    gran: Option<Gran>,
    unit: Option<String>,
    head_after: Option<bool>,
}

/// One language's question words.
#[derive(Debug)]
pub struct QData {
    stop: HashSet<String>,
    patterns: Vec<Pattern>,
    /// Every pattern's phrase, its value the pattern's index (the one phrase matcher).
    phrases: PhraseSet<usize>,
    scales: HashMap<String, f64>,
    totals: Markers,
    pub parts: Markers,
    pub changes: Markers,
    pub range_from: Markers,
    pub range_to: Markers,
    pub state_starts: Markers,
    pub references: Markers,
    pub designations: Markers,
    pub locatives: HashSet<String>,
    pub joiners: HashSet<String>,
    change_questions: Markers,
    starts: Markers,
    ends: Markers,
}

/// A list of marker phrases of the question data ("of which", "since", "до"), cut and
/// matched like the words of a question or sentence (the one tokenizer and phrase
/// matcher: exact words, a trailing `*` a prefix).
#[derive(Debug)]
pub struct Markers(PhraseSet<()>);

impl Markers {
    fn new(list: &[String]) -> Markers {
        let mut set = crate::text::folded::phrases();
        for m in list {
            set.insert(m, ());
        }
        Markers(set)
    }

    /// Where a marker stands in `toks`: the token range of every one, overlapping or not.
    pub fn spans(&self, toks: &[Tok]) -> Vec<Range<usize>> {
        (0..toks.len())
            .flat_map(|i| self.0.all_at(toks, i).into_iter().map(|f| f.toks))
            .collect()
    }

    /// Whether a marker stands anywhere in `toks`.
    pub fn occur_in(&self, toks: &[Tok]) -> bool {
        self.0.occurs_in(toks, 0..toks.len())
    }

    /// Whether a marker ends right before token `end` (exclusive).
    pub fn end_at(&self, toks: &[Tok], end: usize) -> bool {
        end > 0 && self.0.longest_ending_at(&toks[..end], end - 1).is_some()
    }

    /// Whether `toks` end with a marker.
    pub fn end(&self, toks: &[Tok]) -> bool {
        self.end_at(toks, toks.len())
    }
}

impl QData {
    /// The multiplier of a scale word ("triệu": 1e6).
    pub fn scale(&self, word: &str) -> Option<f64> {
        self.scales.get(word).copied()
    }
}

fn load(code: &str, src: &str) -> Result<QData, String> {
    let f: RawFile = toml::from_str(src).map_err(|e| format!("data/question/{code}.toml: {e}"))?;
    if f.code != code {
        return Err(format!("data/question/{code}.toml holds {:?}", f.code));
    }
    let mut patterns = Vec::new();
    let mut phrases = crate::text::folded::phrases();
    for p in f.pattern {
        if !matches!(
            p.kind.as_str(),
            "date" | "number" | "person" | "place" | "which" | "events"
        ) {
            return Err(format!(
                "data/question/{code}.toml: unknown type {:?}",
                p.kind
            ));
        }
        let gran = match p.granularity.as_deref() {
            None => None,
            Some("year") => Some(Gran::Year),
            Some("month") => Some(Gran::Month),
            Some("day") => Some(Gran::Day),
            Some(g) => return Err(format!("data/question/{code}.toml: granularity {g:?}")),
        };
        let head_after = match p.head.as_deref() {
            None => None,
            Some("after") => Some(true),
            Some("before") => Some(false),
            Some(h) => return Err(format!("data/question/{code}.toml: head {h:?}")),
        };
        for ph in p.phrases {
            let pats = phrases.parse(&ph);
            if pats.is_empty() {
                continue;
            }
            // A phrase written without diacritics also meets words written with them; one
            // written with them only as written ("năm nào", which year, is not "Nam nào").
            let plain = pats.iter().all(|p| match p {
                Pat::Exact(w) | Pat::Prefix(w) => fold(w) == *w,
            });
            phrases.insert_parsed(pats, plain, patterns.len());
            patterns.push(Pattern {
                kind: p.kind.clone(),
                gran,
                unit: p.unit.clone(),
                head_after,
            });
        }
    }
    Ok(QData {
        stop: f.stop.iter().map(|s| s.to_lowercase()).collect(),
        patterns,
        phrases,
        scales: f.scales,
        totals: Markers::new(&f.totals),
        parts: Markers::new(&f.parts),
        changes: Markers::new(&f.changes),
        range_from: Markers::new(&f.range_from),
        range_to: Markers::new(&f.range_to),
        state_starts: Markers::new(&f.state_starts),
        references: Markers::new(&f.references),
        designations: Markers::new(&f.designations),
        locatives: f.locatives.iter().map(|p| p.to_lowercase()).collect(),
        joiners: f.joiners.iter().map(|p| p.to_lowercase()).collect(),
        change_questions: Markers::new(&f.change_questions),
        starts: Markers::new(&f.starts),
        ends: Markers::new(&f.ends),
    })
}

static DATA: LazyLock<Vec<QData>> = LazyLock::new(|| {
    Lang::all()
        .iter()
        .map(|l| {
            load(
                l.code(),
                crate::data::required_lang_file("question", l.code()),
            )
            .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
});

/// The question data of `lang`.
pub fn data(lang: Lang) -> &'static QData {
    &DATA[lang.index()]
}

/// The language of a question: a script of its own decides (Cyrillic is Russian); otherwise
/// the Latin-script language whose question words and function words the question uses most
/// (a name written in Vietnamese inside an English question leaves it English), a language's
/// own letters breaking ties, then the fallback language.
fn language(toks: &[Tok], text: &str) -> Lang {
    let all = Lang::all();
    if let Some(&l) = all
        .iter()
        .find(|l| l.data().script != lang::Script::Latin && l.writes(text))
    {
        return l;
    }
    let score = |l: Lang| -> usize {
        let d = data(l);
        let fw = &l.data().function_words;
        toks.iter()
            .filter(|t| d.stop.contains(&t.lower) || fw.contains(&t.lower))
            .count()
            + (0..toks.len())
                .filter_map(|i| d.phrases.longest_at(toks, i))
                .map(|f| f.toks.len())
                .max()
                .unwrap_or(0)
                * 2
    };
    let scores: Vec<(Lang, usize)> = all
        .iter()
        .filter(|l| l.data().script == lang::Script::Latin)
        .map(|&l| (l, score(l)))
        .collect();
    let max = scores.iter().map(|s| s.1).max().unwrap_or(0);
    let tied = || scores.iter().filter(|s| s.1 == max).map(|s| s.0);
    let fallback = Lang::fallback();
    if let Some(l) = tied().find(|l| l.writes(text)) {
        l
    } else if max > 0 {
        tied()
            .find(|&l| l == fallback)
            .or_else(|| tied().next())
            .unwrap_or(fallback)
    } else {
        lang::identify(text, fallback)
    }
}

struct Found {
    toks: Range<usize>,
    kind: String,
    gran: Option<Gran>,
    unit: Option<String>,
    head_after: Option<bool>,
}

/// The question's pattern: the longest phrase of a pattern, the first of the longest; the
/// patterns that share its words add what they say to it.
fn find_pattern(d: &QData, toks: &[Tok]) -> Option<Found> {
    let mut best: Option<Found> = None;
    for i in 0..toks.len() {
        let mut here: Vec<(usize, usize)> = d
            .phrases
            .all_at(toks, i)
            .iter()
            .map(|f| (*f.value, f.toks.len()))
            .collect();
        // In the data's order, as the merge below reads them.
        here.sort_unstable();
        for (pi, n) in here {
            let p = &d.patterns[pi];
            match &mut best {
                Some(b) if b.toks == (i..i + n) => {
                    // The same words in several patterns: the specific one adds to the
                    // general one.
                    if b.kind == "which" || (b.kind == "number" && p.kind == "number") {
                        b.kind = p.kind.clone();
                    }
                    b.gran = b.gran.or(p.gran);
                    b.unit = b.unit.clone().or(p.unit.clone());
                    b.head_after = b.head_after.or(p.head_after);
                }
                Some(b) if b.toks.len() >= n => {}
                _ => {
                    best = Some(Found {
                        toks: i..i + n,
                        kind: p.kind.clone(),
                        gran: p.gran,
                        unit: p.unit.clone(),
                        head_after: p.head_after,
                    })
                }
            }
        }
    }
    best
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Parses a question.
pub fn parse(text: &str) -> Question {
    let toks = tokenize(text);
    let lang = language(&toks, text);
    let d = data(lang);
    let lx = lexicon::lexicon();
    let found = find_pattern(d, &toks);

    // What the extractors find in the question.
    let mut dates = Vec::new();
    let mut numbers = Vec::new();
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut times: Vec<Range<usize>> = Vec::new();
    let mut entities: Vec<(String, Range<usize>, String)> = Vec::new();
    if let Ok(doc) = Document::read(
        "question",
        text.as_bytes().to_vec(),
        ReadOptions {
            lang: Some(lang),
            ..Default::default()
        },
    ) {
        for f in Pipeline::standard().run(&doc) {
            let r = f.evidence.start..f.evidence.end;
            match &f.body {
                FactBody::Timex(t) => {
                    if let (Some(s), Some(e)) = (t.value_start, t.value_end)
                        && s.y.is_some()
                        && t.ty != "citation"
                    {
                        dates.push((s.iso(), e.iso()));
                        times.push(r.clone());
                        taken.push(r);
                    }
                }
                FactBody::Quantity(q) => {
                    numbers.push(q.value);
                    numbers.push(q.number);
                }
                FactBody::Mention(m) => {
                    entities.push((m.entity_id.clone(), r.clone(), m.entity_type.clone()));
                    taken.push(r);
                }
                _ => {}
            }
        }
    }

    let pat_toks = found.as_ref().map(|f| f.toks.clone()).unwrap_or(0..0);
    let pat_range = if pat_toks.is_empty() {
        0..0
    } else {
        toks[pat_toks.start].range.start..toks[pat_toks.end - 1].range.end
    };
    // The asked-for noun: the noun phrase beside the question word, up to a stop word or
    // punctuation (leading stop words skipped after it: "what was the country's growth rate").
    let head_after = found.as_ref().and_then(|f| f.head_after);
    let breaks = |a: &Tok, b: &Tok| {
        text[a.range.end..b.range.start]
            .chars()
            .any(|c| !c.is_whitespace() && c != '\'' && c != '’' && c != '-')
    };
    let head_toks: Range<usize> = match head_after {
        Some(true) => {
            let mut i = pat_toks.end;
            while i < toks.len() && d.stop.contains(&toks[i].lower) && i < pat_toks.end + 3 {
                i += 1;
            }
            let mut j = i;
            while j < toks.len()
                && j < i + 6
                && !d.stop.contains(&toks[j].lower)
                && (j == i || !breaks(&toks[j - 1], &toks[j]))
            {
                j += 1;
            }
            pat_toks.start..j.max(pat_toks.end)
        }
        Some(false) => {
            let mut i = pat_toks.start;
            while i > 0
                && i + 6 > pat_toks.start
                && !d.stop.contains(&toks[i - 1].lower)
                && !breaks(&toks[i - 1], &toks[i])
            {
                i -= 1;
            }
            i..pat_toks.end
        }
        None => pat_toks.clone(),
    };
    let head_range = if head_toks.is_empty() {
        0..0
    } else {
        toks[head_toks.start].range.start..toks[head_toks.end - 1].range.end
    };

    let all_hits = lx.find(&toks);
    let hits: Vec<Hit> = all_hits
        .iter()
        .filter(|h| {
            !entities
                .iter()
                .map(|(_, r, _)| r)
                .chain(&times)
                .any(|r| r.start <= h.range.start && h.range.end <= r.end)
        })
        .cloned()
        .collect();
    // Head concepts from the left: the first classed one names what is asked (English
    // "Chinese Prime Minister": the role; Vietnamese "Bộ trưởng Ngoại giao … nào": the
    // head noun comes first).
    let head_hits: Vec<&Hit> = all_hits
        .iter()
        .filter(|h| overlaps(&h.range, &head_range))
        .collect();
    let mut head_concepts: Vec<usize> = head_hits.iter().map(|h| h.concept).collect();
    // A question with no question word is a noun phrase ("Товарооборот России и Вьетнама в
    // 2021 году?", "Trade turnover in 2021?"): the noun it opens with is what is asked.
    if found.is_none() && head_concepts.is_empty() {
        head_concepts = all_hits
            .iter()
            .filter(|h| h.toks.start <= 1)
            .map(|h| h.concept)
            .collect();
    }

    // The type.
    let mut gran = found.as_ref().and_then(|f| f.gran);
    let mut unit = found.as_ref().and_then(|f| f.unit.clone());
    let kind = found.as_ref().map_or("which", |f| f.kind.as_str());
    let class_of = |c: usize| lx.concepts[c].class.as_deref();
    let qtype = match kind {
        "date" => QType::Date,
        "number" => QType::Number,
        "person" => QType::Person,
        "events" => QType::Events,
        "place" => QType::Place,
        _ => {
            // "which X": X decides.
            let mut t = None;
            for &c in &head_concepts {
                t = match class_of(c) {
                    Some("person") => Some(QType::Person),
                    Some("place") => Some(QType::Place),
                    Some("name") => Some(QType::Name),
                    Some("event") => Some(QType::Entity(Some("event".into()))),
                    Some("organization") => Some(QType::Entity(Some("organization".into()))),
                    Some("field" | "field_noun") => Some(QType::Field),
                    Some("measure") => {
                        unit = unit.or(lx.concepts[c].unit.clone());
                        Some(QType::Number)
                    }
                    _ => None,
                };
                if t.is_some() {
                    break;
                }
            }
            t.unwrap_or(QType::Entity(None))
        }
    };
    if qtype != QType::Date {
        gran = None;
    }
    // Unit and scale of a number question, from the words after the question word.
    let mut scale = None;
    if qtype == QType::Number {
        for t in &toks[head_toks.clone()] {
            if let Some(s) = d.scales.get(&t.lower) {
                scale = Some(*s);
                break;
            }
        }
        if unit.is_none() {
            unit = head_concepts
                .iter()
                .find_map(|&c| lx.concepts[c].unit.clone());
        } else if unit.as_deref() == Some("amount") {
            // A unit the question names ("how much aid in rubles", "how much oil in
            // tonnes") says more than "an amount".
            let named = |u: &String| crate::fact::is_currency(u) || u == "tonne" || u == "percent";
            unit = head_concepts
                .iter()
                .find_map(|&c| lx.concepts[c].unit.clone())
                .or_else(|| {
                    all_hits
                        .iter()
                        .filter(|h| class_of(h.concept) == Some("measure"))
                        .filter_map(|h| lx.concepts[h.concept].unit.clone())
                        .find(named)
                })
                .or(unit);
        } else if unit.as_deref() == Some("money") {
            // "What sum … in rubles": the currency named.
            if let Some(u) = head_concepts
                .iter()
                .filter_map(|&c| lx.concepts[c].unit.clone())
                .find(|u| crate::fact::is_currency(u))
            {
                unit = Some(u);
            }
        }
    }

    // Features.
    let mut features = Vec::new();
    let mut seen: HashSet<Key> = HashSet::new();
    let mut push = |key: Key, head: bool, share: f64, features: &mut Vec<Feature>| {
        if seen.insert(key.clone()) {
            features.push(Feature { key, head, share });
        } else if head && let Some(f) = features.iter_mut().find(|f| f.key == key) {
            f.head = true;
        }
    };
    for (id, r, _) in &entities {
        push(
            Key::Entity(id.clone()),
            overlaps(r, &head_range) && qtype != QType::Place,
            1.0,
            &mut features,
        );
    }
    for h in &hits {
        // The question word's own nouns ("tháng năm nào") are not content.
        let in_pattern = pat_range.start <= h.range.start
            && h.range.end <= pat_range.end
            && matches!(qtype, QType::Date | QType::Number | QType::Events);
        if in_pattern {
            continue;
        }
        let head = head_concepts.contains(&h.concept)
            || (qtype == QType::Person && class_of(h.concept) == Some("person"));
        let same = hits.iter().filter(|x| x.range == h.range).count().max(1);
        // A measure of a wider thing ("trade turnover" of trade) has typed the question;
        // a sentence about the wider thing answers it ("bilateral trade reached …").
        let c = &lx.concepts[h.concept];
        let key = match c.broader {
            Some(b) if c.class.as_deref() == Some("measure") => b,
            _ => h.concept,
        };
        push(Key::Concept(key), head, 1.0 / same as f64, &mut features);
    }
    let fw = &lang.data().function_words;
    for (i, t) in toks.iter().enumerate() {
        if pat_toks.contains(&i)
            || taken.iter().any(|r| overlaps(r, &t.range))
            || hits.iter().any(|h| h.toks.contains(&i))
            || d.stop.contains(&t.lower)
            || d.scales.contains_key(&t.lower)
        {
            continue;
        }
        if t.num {
            push(Key::Num(t.lower.clone()), false, 1.0, &mut features);
            continue;
        }
        if (!lang.data().syllabic && fw.contains(&t.lower)) || t.lower.chars().count() < 2 {
            continue;
        }
        let head = head_toks.contains(&i) && !pat_toks.contains(&i);
        push(Key::Word(t.folded.clone()), head, 1.0, &mut features);
    }
    // A country right after a role, or right before it, with at most three content words
    // between (no function word, no punctuation): the state the role belongs to.
    let tok_at = |pos: usize| toks.iter().position(|t| t.range.start >= pos);
    let content = |a: usize, b: usize| {
        b >= a
            && b - a <= 3
            && toks[a..b]
                .iter()
                .all(|t| !d.stop.contains(&t.lower) && !t.num)
            && text
                .get(
                    toks.get(a.saturating_sub(1)).map_or(0, |t| t.range.end)
                        ..toks.get(b).map_or(text.len(), |t| t.range.start),
                )
                .is_some_and(|gap| !gap.contains([',', ';', ':', '.', '?', '(', ')']))
    };
    let total = d.totals.occur_in(&toks);
    let change = d.change_questions.occur_in(&toks);
    let bound = match (d.starts.occur_in(&toks), d.ends.occur_in(&toks)) {
        (true, false) => Some(Bound::Start),
        (false, true) => Some(Bound::End),
        _ => None,
    };
    // Where the words asking for one end stand (not acts: "when did the fair end").
    let bound_toks: Vec<Range<usize>> = match bound {
        Some(Bound::Start) => d.starts.spans(&toks),
        Some(Bound::End) => d.ends.spans(&toks),
        None => Vec::new(),
    };
    // A word that is an act in one sense and something else in another ("thăm dò": poll
    // and prospect) names no act for sure. Only dates and numbers are bound to an act; a
    // person or a thing is asked about through the act's other words as well.
    let acts_matter = matches!(qtype, QType::Date | QType::Number);
    let mut acts: Vec<&Hit> = hits
        .iter()
        .filter(|h| acts_matter && lx.concepts[h.concept].predicate)
        .filter(|h| !overlaps(&h.range, &pat_range))
        // "When did the fair end": the end asked, not an act of ending.
        .filter(|h| {
            bound.is_none()
                || !bound_toks
                    .iter()
                    .any(|r| h.toks.start < r.end && r.start < h.toks.end)
        })
        .filter(|h| {
            hits.iter()
                .all(|o| o.range != h.range || lx.concepts[o.concept].predicate)
        })
        .collect();
    acts.sort_by_key(|h| h.range.start);
    let act = acts
        .iter()
        .find(|h| !lx.concepts[h.concept].reporting)
        .or(acts.first());
    let predicate = act.map(|h| h.concept);
    let names: Vec<super::object::Named> = entities
        .iter()
        .map(|(id, r, kind)| super::object::Named {
            id,
            kind,
            range: r.clone(),
        })
        .collect();
    let directed = act.filter(|h| lx.concepts[h.concept].directed);
    let objects = directed
        .map(|h| super::object::objects(text, &toks, h, &names, lang))
        .unwrap_or_default();
    let subjects = directed
        .map(|h| {
            super::object::subjects(h, &names)
                .into_iter()
                .filter(|(id, _)| {
                    // In the act's clause, after the question word when it comes first:
                    // not the asked-for noun's ("which country did Putin visit first"),
                    // not a source's ("according to the US memorandum, how much aid …").
                    entities.iter().any(|(e, r, _)| {
                        e == id
                            && !overlaps(r, &pat_range)
                            && (pat_range.end > h.range.start || r.start >= pat_range.end)
                            && text
                                .get(r.end..h.range.start)
                                .is_some_and(|gap| !gap.contains([',', ';', ':', '(', ')']))
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let role_states: Vec<String> = entities
        .iter()
        .filter(|(_, _, kind)| kind == "country")
        .filter(|(_, r, _)| {
            all_hits
                .iter()
                .filter(|h| class_of(h.concept) == Some("person"))
                .any(|h| {
                    let (Some(e0), Some(e1)) = (tok_at(r.start), tok_at(r.end)) else {
                        // The entity ends the question: tokens up to the end.
                        return tok_at(r.start)
                            .is_some_and(|e0| e0 >= h.toks.end && content(h.toks.end, e0));
                    };
                    (e0 >= h.toks.end && content(h.toks.end, e0))
                        || (e1 <= h.toks.start
                            && content(e1, h.toks.start)
                            && h.toks.start - e1 <= 2)
                })
        })
        .map(|(id, _, _)| id.clone())
        .collect();
    Question {
        text: text.to_string(),
        lang,
        qtype,
        gran,
        unit,
        scale,
        features,
        dates,
        numbers,
        head_concepts,
        words: toks.iter().map(|t| t.folded.clone()).collect(),
        role_states,
        total,
        change,
        bound,
        predicate,
        objects,
        subjects,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept_ids(q: &Question) -> Vec<String> {
        let lx = lexicon::lexicon();
        q.features
            .iter()
            .filter_map(|f| match f.key {
                Key::Concept(c) => Some(lx.concepts[c].id.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn types_granularity_unit_scale() {
        let q = parse("In which month and year did the Soviet Union sign the treaty?");
        assert_eq!((q.qtype.clone(), q.gran), (QType::Date, Some(Gran::Month)));
        assert!(concept_ids(&q).contains(&"sign".to_string()));
        assert!(
            q.features
                .iter()
                .any(|f| f.key == Key::Entity("soviet-union".into()))
        );
        let q = parse("Giai đoạn 1981-1985, Việt Nam xuất khẩu bao nhiêu triệu rúp?");
        assert_eq!(q.lang, Lang::of("vi"));
        assert_eq!(q.qtype, QType::Number);
        assert_eq!(q.scale, Some(1e6));
        assert_eq!(q.unit.as_deref(), Some("RUB"));
        assert_eq!(q.dates, vec![("1981".to_string(), "1985".to_string())]);
        let q = parse("Сколько процентов составил рост?");
        assert_eq!((q.lang, q.qtype.clone()), (Lang::of("ru"), QType::Number));
        assert_eq!(q.unit.as_deref(), Some("percent"));
        let q = parse("Tác giả ký bài báo dưới bút danh nào?");
        assert_eq!(q.qtype, QType::Name);
        let q = parse("Who signed the treaty?");
        assert_eq!(q.qtype, QType::Person);
        let q = parse("Lĩnh vực nào được ưu tiên?");
        assert_eq!(q.qtype, QType::Field);
    }

    /// Marker lists are phrases of the one matcher: a stem takes its endings, a marker ends a
    /// text whatever punctuation follows it, and one stands anywhere in a clause.
    #[test]
    fn markers_are_phrases() {
        let m =
            |list: &[&str]| Markers::new(&list.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        let toks = |t: &str| tokenize(t);
        let ends = m(&["закончил*", "до какого"]);
        assert!(ends.occur_in(&toks("Когда закончилась война?")));
        assert!(ends.end(&toks("снизилась до какого")));
        assert!(!ends.occur_in(&toks("Когда началась война?")));
        let changes = m(&["grew by", "up"]);
        assert!(changes.end(&toks("Trade grew by ")));
        assert!(changes.end(&toks("Trade grew by (")));
        assert!(!changes.end(&toks("Trade grew by 5%, reaching")));
        let parts = m(&["в том числе", "of which"]);
        assert_eq!(parts.spans(&toks("всего 10, в том числе 3")), vec![2..5]);
        assert!(parts.end_at(&toks("all of which were"), 3));
        assert!(!parts.end_at(&toks("all of which were"), 4));
    }

    /// A question phrase written without diacritics meets words written with them ("how
    /// many" in any case); one written with them only as written: "nào" after "Việt Nam"
    /// asks "which", not "năm nào" (which year).
    #[test]
    fn question_phrases_fold_only_when_written_plain() {
        let q = parse("Bộ trưởng Quốc phòng Việt Nam nào đã thăm Liên Xô vào tháng 03-1977?");
        assert_ne!(q.qtype, QType::Date, "{q:?}");
        let q = parse("Năm nào Liên Xô thăm Việt Nam?");
        assert_eq!((q.qtype.clone(), q.gran), (QType::Date, Some(Gran::Year)));
        let q = parse("HOW MANY Soviet specialists worked in Vietnam?");
        assert_eq!(q.qtype, QType::Number);
    }

    /// A directed act's object and actor, in the three languages and in the forms a
    /// question takes (verb or noun, a role cue or none); a symmetric act has neither.
    #[test]
    fn a_directed_act_has_an_object_and_an_actor() {
        let ids = |v: &[(String, String)]| v.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
        for (text, objects, subjects) in [
            (
                "When did Putin first visit Vietnam?",
                vec!["vietnam"],
                vec!["vladimir-putin"],
            ),
            (
                "Khi nào Putin thăm Việt Nam lần đầu?",
                vec!["vietnam"],
                vec!["vladimir-putin"],
            ),
            (
                "Когда Путин впервые посетил Вьетнам?",
                vec!["vietnam"],
                vec!["vladimir-putin"],
            ),
            (
                "When did Putin make his first visit to Vietnam?",
                vec!["vietnam"],
                vec!["vladimir-putin"],
            ),
            (
                "When did Vietnam join the CMEA?",
                vec!["cmea"],
                vec!["vietnam"],
            ),
            (
                "Việt Nam gia nhập SEV vào năm nào?",
                vec!["cmea"],
                vec!["vietnam"],
            ),
            (
                "Когда Вьетнам вступил в СЭВ?",
                vec!["cmea"],
                vec!["vietnam"],
            ),
            // A source named before the question word is nobody's actor.
            (
                "According to the US memorandum, how much aid had the Soviet Union given?",
                vec![],
                vec![],
            ),
            // Parties of a symmetric act can change places.
            (
                "When did Vietnam sign the treaty with the Soviet Union?",
                vec![],
                vec![],
            ),
        ] {
            let q = parse(text);
            assert_eq!(ids(&q.objects), objects, "{text}");
            assert_eq!(ids(&q.subjects), subjects, "{text}");
        }
    }

    /// "What sum" asks for money in any currency, or in the one it names; a debt ("долга")
    /// is no share ("доля").
    #[test]
    fn a_sum_is_money() {
        for (text, unit) in [
            (
                "Какую сумму Вьетнам должен вернуть по соглашению о долге?",
                "money",
            ),
            ("На какую сумму в рублях была оказана помощь?", "RUB"),
            ("How much money did the Soviet Union lend in 1985?", "money"),
            ("What sum in dollars did Vietnam pay?", "USD"),
            ("Việt Nam phải trả bao nhiêu tiền cho Nga?", "money"),
        ] {
            let q = parse(text);
            assert_eq!(q.qtype, QType::Number, "{text}");
            assert_eq!(q.unit.as_deref(), Some(unit), "{text}");
        }
        let q = parse("Сколько составил долг СССР?");
        assert_ne!(q.unit.as_deref(), Some("percent"));
        // The value of a thing is money; "how much" of something uncounted is an amount,
        // unless the asked noun names its unit.
        for (text, unit) in [
            (
                "What was the value of the trade between Laos and Mongolia?",
                "money",
            ),
            ("Какова стоимость контракта?", "money"),
            ("How much coal did the company extract?", "amount"),
            ("How much aid in rubles did the Soviet Union give?", "RUB"),
        ] {
            let q = parse(text);
            assert_eq!(q.qtype, QType::Number, "{text}");
            assert_eq!(q.unit.as_deref(), Some(unit), "{text}");
        }
    }

    /// "To what level" asks for the end of a change, "from what level" for its start, in
    /// every language; a modal verb ("could", "могла") is no content word.
    #[test]
    fn the_end_of_a_change_and_modals() {
        for (text, bound) in [
            ("To what level did inflation fall?", Bound::End),
            ("From what level did inflation fall?", Bound::Start),
            ("До какого уровня снизилась инфляция?", Bound::End),
            ("С какого уровня снизилась инфляция?", Bound::Start),
            ("Lạm phát giảm xuống mức nào?", Bound::End),
        ] {
            let q = parse(text);
            assert_eq!(q.qtype, QType::Number, "{text}");
            assert_eq!(q.bound, Some(bound), "{text}");
        }
        for text in [
            "How many troops could the base house?",
            "Сколько военнослужащих могла вместить база?",
        ] {
            let q = parse(text);
            assert!(
                !q.features.iter().any(|f| matches!(
                    &f.key, Key::Word(w) if w == "could" || w == "могла"
                )),
                "{text}: {:?}",
                q.features
            );
            assert!(concept_ids(&q).contains(&"troops".to_string()), "{text}");
        }
    }
}
