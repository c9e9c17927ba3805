//! The table extractor's language knowledge: `data/table/<code>.toml` of every language,
//! loaded once and merged (a Vietnamese thesis may carry an English "Table 3"). A language's
//! decimal mark is in its profile (`Lang::data().decimal`).
//!
//! Guarantee: every phrase is stored lowercased; matching ([`TableData::starts_with`]) is
//! case-insensitive, on whole words, and returns byte offsets into the string it was given.

use crate::text::lang::Lang;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::LazyLock;

#[derive(Deserialize)]
struct File {
    code: String,
    captions: std::collections::BTreeMap<String, String>,
    words: Words,
    units: Units,
}

#[derive(Deserialize)]
struct Words {
    unit_line: Vec<String>,
    unit_phrase: Vec<String>,
    unit_column: Vec<String>,
    source_line: Vec<String>,
    note_line: Vec<String>,
    joiners: Vec<String>,
    empty_marks: Vec<String>,
}

#[derive(Deserialize)]
struct Units {
    scales: Vec<String>,
    words: Vec<String>,
}

/// What the table extractor knows about table furniture in every language it reads.
#[derive(Debug, Default)]
pub struct TableData {
    /// Caption label words ("phụ lục") and the id prefix they give ("appendix"), longest
    /// first.
    pub captions: Vec<(String, String)>,
    /// Words that, followed by ":", make a unit line.
    pub unit_line: Vec<String>,
    /// Phrases that make a unit line by themselves ("in million").
    pub unit_phrase: Vec<String>,
    /// Header cells that name a unit column.
    pub unit_column: Vec<String>,
    /// Words that, followed by ":", make a source line.
    pub source_line: Vec<String>,
    /// Words that, followed by ":", start the notes.
    pub note_line: Vec<String>,
    /// Words after which a header fragment continues on the next line.
    pub joiners: HashSet<String>,
    /// Cells that stand for "no value".
    pub empty_marks: HashSet<String>,
    /// Scale words of unit phrases ("nghìn", "million").
    pub scales: HashSet<String>,
    /// Unit words, as lowercase word sequences ("tấn", ["đô", "la"]).
    pub unit_words: Vec<Vec<String>>,
}

fn lower_all(v: &[String]) -> Vec<String> {
    v.iter().map(|s| s.to_lowercase()).collect()
}

/// Adds one language's file to `into`; returns the code it names.
fn load(src: &str, into: &mut TableData) -> String {
    let f: File = toml::from_str(src).expect("embedded table data is valid TOML");
    for (k, v) in f.captions {
        into.captions.push((k.to_lowercase(), v));
    }
    into.unit_line.extend(lower_all(&f.words.unit_line));
    into.unit_phrase.extend(lower_all(&f.words.unit_phrase));
    into.unit_column.extend(lower_all(&f.words.unit_column));
    into.source_line.extend(lower_all(&f.words.source_line));
    into.note_line.extend(lower_all(&f.words.note_line));
    into.joiners.extend(lower_all(&f.words.joiners));
    into.empty_marks.extend(lower_all(&f.words.empty_marks));
    into.scales.extend(lower_all(&f.units.scales));
    for w in f.units.words {
        into.unit_words.push(
            w.to_lowercase()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        );
    }
    f.code
}

static DATA: LazyLock<TableData> = LazyLock::new(|| {
    let mut d = TableData::default();
    for l in Lang::all() {
        let src = crate::data::required_lang_file("table", l.code());
        let code = load(src, &mut d);
        assert_eq!(
            code,
            l.code(),
            "data/table/{}.toml holds the wrong language",
            l.code()
        );
    }
    d.captions
        .sort_by_key(|(k, _)| std::cmp::Reverse(k.chars().count()));
    for v in [
        &mut d.unit_line,
        &mut d.unit_phrase,
        &mut d.unit_column,
        &mut d.source_line,
        &mut d.note_line,
    ] {
        v.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
        v.dedup();
    }
    d
});

/// The merged table knowledge.
pub fn data() -> &'static TableData {
    &DATA
}

impl TableData {
    /// When `s` starts (case-insensitively) with one of `phrases` as whole words, the byte
    /// length of `s` that the phrase covers.
    pub fn starts_with(s: &str, phrases: &[String]) -> Option<usize> {
        phrases.iter().find_map(|p| prefix_ci(s, p))
    }

    /// True when the lowercase word sequence `words` is a unit phrase: an optional scale
    /// word, then a unit word; or a scale word alone.
    pub fn is_unit_phrase(&self, words: &[String]) -> bool {
        if words.is_empty() {
            return false;
        }
        if words.len() == 1 && self.scales.contains(&words[0]) {
            return true;
        }
        let body = if self.scales.contains(&words[0]) {
            &words[1..]
        } else {
            words
        };
        !body.is_empty() && self.unit_words.iter().any(|u| u.as_slice() == body)
    }

    /// The number of trailing words of `words` (lowercase) that form a unit phrase, the
    /// longest such, or 0.
    pub fn unit_suffix(&self, words: &[String]) -> usize {
        for n in (1..=words.len().min(3)).rev() {
            if self.is_unit_phrase(&words[words.len() - n..]) {
                return n;
            }
        }
        0
    }
}

/// When `s` starts with `phrase` (lowercase) compared case-insensitively, followed by a
/// non-alphanumeric char or the end, the byte length covered in `s`.
fn prefix_ci(s: &str, phrase: &str) -> Option<usize> {
    let mut it = s.char_indices();
    let mut end = 0;
    for pc in phrase.chars() {
        let (i, c) = it.next()?;
        let mut low = c.to_lowercase();
        if low.next() != Some(pc) || low.next().is_some() {
            return None;
        }
        end = i + c.len_utf8();
    }
    let last_alnum = phrase.chars().last().is_some_and(char::is_alphanumeric);
    match s[end..].chars().next() {
        Some(c) if last_alnum && c.is_alphanumeric() => None,
        _ => Some(end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_matches() {
        let d = data();
        assert!(
            d.captions
                .iter()
                .any(|(k, v)| k == "phụ lục" && v == "appendix")
        );
        assert_eq!(
            TableData::starts_with(
                "PHỤ LỤC 3",
                &d.captions.iter().map(|c| c.0.clone()).collect::<Vec<_>>()
            ),
            Some("PHỤ LỤC".len())
        );
        assert_eq!(
            TableData::starts_with("Tablet", &["table".to_string()]),
            None
        );
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(d.unit_suffix(&w("than nghìn tấn")), 2);
        assert_eq!(d.unit_suffix(&w("tinh dầu tấn")), 1);
        assert_eq!(d.unit_suffix(&w("cao su")), 0);
    }
}
