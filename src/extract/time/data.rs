//! The time extractor's language knowledge: `data/time/{en,vi,ru}.toml`, loaded once and
//! compiled into rules (regular expressions with named groups) and word tables.
//!
//! A rule's regex is written with placeholders that the engine expands from the same file:
//! `@MONTH`, `@SEASON`, `@MOD`, `@REL`, `@NUMW`, `@ORDW` (this language's word lists,
//! longest first), and the shared number shapes `@Y`, `@D`, `@M`, `@DASH`, `@ROMAN`.
//! A literal space in a rule matches any run of whitespace (the clean text may hold a
//! joined line break); ` ?` matches optional whitespace.

use crate::text::lang::Lang;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
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
}

#[derive(Deserialize)]
struct RuleFile {
    kind: String,
    re: String,
    #[serde(default)]
    unit: Option<String>,
}

#[derive(Deserialize)]
struct LangFile {
    code: String,
    numeric_order: String,
    #[serde(default)]
    months_case_sensitive: bool,
    months: HashMap<String, u8>,
    seasons: HashMap<String, String>,
    modifiers: HashMap<String, String>,
    number_words: HashMap<String, u32>,
    #[serde(default)]
    ordinal_words: HashMap<String, u32>,
    relative: HashMap<String, i32>,
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
    #[serde(default)]
    mod_blockers: Vec<String>,
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
}

/// One language's compiled time knowledge.
#[derive(Debug)]
pub struct TimeLang {
    pub lang: Lang,
    pub numeric_order: NumericOrder,
    pub months_case_sensitive: bool,
    /// Month words, lowercased unless case-sensitive.
    pub months: HashMap<String, u8>,
    pub seasons: HashMap<String, String>,
    pub modifiers: HashMap<String, String>,
    pub number_words: HashMap<String, u32>,
    pub ordinal_words: HashMap<String, u32>,
    pub relative: HashMap<String, i32>,
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
    /// Words that, right before a modifier word, make it part of another word ("bắt đầu").
    pub mod_blockers: Vec<String>,
    pub rules: Vec<Rule>,
}

fn alternation(words: impl Iterator<Item = String>) -> String {
    let mut w: Vec<String> = words.collect();
    w.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    w.dedup();
    let parts: Vec<String> = w.iter().map(|s| spaced(&regex::escape(s))).collect();
    format!("(?:{})", parts.join("|"))
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

fn expand(re: &str, f: &LangFile) -> String {
    let mut out = String::with_capacity(re.len() * 2);
    let mut rest = re;
    while let Some(i) = rest.find('@') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let n = after
            .find(|c: char| !c.is_ascii_uppercase())
            .unwrap_or(after.len());
        let name = &after[..n];
        let rep = match name {
            "Y" => r"(?:1[0-9]|20)[0-9]{2}".to_string(),
            "D" => r"(?:0?[1-9]|[12][0-9]|3[01])".to_string(),
            "M" => r"(?:0?[1-9]|1[0-2])".to_string(),
            "DASH" => r"\s*[-–—−]\s*".to_string(),
            "ROMAN" => r"(?-i:[IVXL]{1,6})".to_string(),
            "MONTH" => {
                let a = alternation(f.months.keys().cloned());
                if f.months_case_sensitive {
                    format!("(?-i:{a})")
                } else {
                    format!("(?i:{a})")
                }
            }
            "SEASON" => alternation(f.seasons.keys().cloned()),
            "MOD" => alternation(f.modifiers.keys().cloned()),
            "REL" => alternation(f.relative.keys().cloned()),
            "NUMW" => alternation(f.number_words.keys().cloned()),
            "ORDW" => {
                if f.ordinal_words.is_empty() {
                    "(?:[^\\s\\S])".to_string()
                } else {
                    alternation(f.ordinal_words.keys().cloned())
                }
            }
            _ => {
                out.push('@');
                rest = after;
                continue;
            }
        };
        out.push_str(&rep);
        rest = &after[n..];
    }
    out.push_str(rest);
    spaced(&out)
}

fn words_re(words: &[String]) -> String {
    alternation(words.iter().map(|w| w.to_lowercase()))
}

fn load(src: &str, lang: Lang) -> TimeLang {
    let f: LangFile = toml::from_str(src).expect("embedded time data is valid TOML");
    assert_eq!(
        f.code,
        lang.code(),
        "time data file holds the wrong language"
    );
    let compile = |re: &str| {
        Regex::new(re).unwrap_or_else(|e| panic!("time data ({}): bad regex {re}: {e}", f.code))
    };
    let rules = f
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
                k => panic!("time data ({}): unknown rule kind {k}", f.code),
            };
            let body = expand(&r.re, &f);
            // Month words may be case-sensitive; everything else is not.
            Rule {
                kind,
                re: compile(&format!("(?i){body}")),
                unit: r.unit.clone(),
                lang,
                order,
            }
        })
        .collect();
    let mods = alternation(f.modifiers.keys().cloned());
    let approx = alternation(f.approx.iter().cloned());
    let lower_months = |m: &HashMap<String, u8>| {
        if f.months_case_sensitive {
            m.clone()
        } else {
            m.iter().map(|(k, v)| (k.to_lowercase(), *v)).collect()
        }
    };
    let low = |m: &HashMap<String, String>| {
        m.iter()
            .map(|(k, v)| (k.to_lowercase(), v.clone()))
            .collect::<HashMap<_, _>>()
    };
    let lown = |m: &HashMap<String, u32>| {
        m.iter()
            .map(|(k, v)| (k.to_lowercase(), *v))
            .collect::<HashMap<_, _>>()
    };
    TimeLang {
        lang,
        numeric_order: match f.numeric_order.as_str() {
            "dmy" => NumericOrder::Dmy,
            "mdy" => NumericOrder::Mdy,
            _ => NumericOrder::Context,
        },
        months_case_sensitive: f.months_case_sensitive,
        months: lower_months(&f.months),
        seasons: low(&f.seasons),
        modifiers: low(&f.modifiers),
        number_words: lown(&f.number_words),
        ordinal_words: lown(&f.ordinal_words),
        relative: f
            .relative
            .iter()
            .map(|(k, v)| (spaced_key(k), *v))
            .collect(),
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
        mod_blockers: f.mod_blockers.iter().map(|s| s.to_lowercase()).collect(),
        rules,
    }
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
    vec![
        load(include_str!("../../../data/time/vi.toml"), Lang::Vi),
        load(include_str!("../../../data/time/en.toml"), Lang::En),
        load(include_str!("../../../data/time/ru.toml"), Lang::Ru),
    ]
});

/// The time knowledge of every language, in [`Lang::ALL`] order.
pub fn all() -> &'static [TimeLang] {
    &DATA
}

/// One language's time knowledge.
pub fn of(lang: Lang) -> &'static TimeLang {
    &DATA[lang as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_loads() {
        for l in Lang::ALL {
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
