//! Discovery of candidate entities: names the gazetteer does not know yet.
//!
//! A candidate is a run of capitalised words inside a sentence (English and Russian), or a
//! run of capitalised syllables (Vietnamese names are written syllable by syllable: "Phạm
//! Văn Đồng"), that no stored mention covers. A sentence's first word counts only as part
//! of a longer run. Candidates are grouped by their folded form and counted, each with
//! example spans, for a person to curate into the gazetteer.

use crate::document::{Document, ReadOptions};
use crate::source::decode::Encoding;
use crate::span::Span;
use crate::store::{Result, Store};
use crate::text::fold::fold;
use crate::text::lang::Lang;
use serde::Serialize;
use std::collections::HashMap;

/// A name seen in the sources that no gazetteer entity matched.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// The most frequent written form.
    pub name: String,
    /// How often it occurs.
    pub count: usize,
    /// Up to three places where it occurs.
    pub examples: Vec<Span>,
}

fn is_capitalised(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.clone().count() < 40
}

/// Candidate name runs in one sentence's clean text in language `lang`: byte ranges in
/// `text`. Vietnamese capitalises many common nouns ("Đảng", "Nhà nước"), and its names are
/// several syllables, so a Vietnamese candidate needs two capitalised syllables at least.
pub fn name_runs(text: &str, lang: Lang) -> Vec<std::ops::Range<usize>> {
    let not_names = |w: &str| {
        let w = w.to_lowercase();
        Lang::ALL.iter().any(|l| l.data().not_names.contains(&w))
    };
    let min_single = if lang == Lang::Vi { usize::MAX } else { 3 };
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || c == '-' || c == '\'' || c == '’' || c == '.';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    let mut runs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let ok = |w: &str| {
            let w = w.trim_end_matches('.');
            is_capitalised(w) && w.chars().any(char::is_lowercase) && !not_names(w)
        };
        if !ok(words[i].1) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        // Words of one run are separated by a single space or hyphen.
        while j < words.len() && ok(words[j].1) {
            let gap = &text[words[j - 1].0 + words[j - 1].1.len()..words[j].0];
            if gap != " " {
                break;
            }
            j += 1;
        }
        let first_of_sentence = words[i].0 == 0;
        let len = j - i;
        if len >= 2
            || (!first_of_sentence
                && words[i].1.trim_end_matches('.').chars().count() >= min_single)
        {
            let s = words[i].0;
            let last = words[j - 1];
            let e = last.0 + last.1.trim_end_matches('.').len();
            runs.push(s..e);
        }
        i = j;
    }
    runs
}

/// The occurrences of one folded name.
#[derive(Default)]
struct Group {
    /// Written forms and their counts.
    forms: HashMap<String, usize>,
    count: usize,
    examples: Vec<Span>,
}

/// Candidates across the store, most frequent first, at least `min_count` times.
pub fn candidates(store: &dyn Store, min_count: usize) -> Result<Vec<Candidate>> {
    // Spans the gazetteer already covers, by document.
    let mut covered: HashMap<String, Vec<(u64, u64)>> = HashMap::new();
    store.facts(Some("mention"), &mut |f| {
        covered.entry(f.doc).or_default().push((f.start, f.end));
        Ok(())
    })?;
    let mut groups: HashMap<String, Group> = HashMap::new();
    for d in store.documents()? {
        let Some(bytes) = store.source_bytes(&d.id)? else {
            continue;
        };
        let opts = ReadOptions {
            encoding: Encoding::from_name(&d.encoding),
            ..ReadOptions::default()
        };
        let Ok(doc) = Document::read(&d.id, bytes, opts) else {
            continue;
        };
        let known = covered.get(&d.id).map(Vec::as_slice).unwrap_or(&[]);
        for s in &doc.sentences {
            let text = doc.sentence_text(s);
            for r in name_runs(text, s.lang) {
                let clean = s.range.start + r.start..s.range.start + r.end;
                let span = doc.span_of(clean);
                let (a, b) = (span.start as u64, span.end as u64);
                if known.iter().any(|&(x, y)| x < b && a < y) {
                    continue;
                }
                let name = text[r].to_string();
                let g = groups.entry(fold(&name)).or_default();
                *g.forms.entry(name).or_default() += 1;
                g.count += 1;
                if g.examples.len() < 3 {
                    g.examples.push(span);
                }
            }
        }
    }
    let mut out: Vec<Candidate> = groups
        .into_values()
        .filter(|g| g.count >= min_count)
        .map(
            |Group {
                 forms,
                 count,
                 examples,
             }| {
                let name = forms
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|f| f.0)
                    .unwrap_or_default();
                Candidate {
                    name,
                    count,
                    examples,
                }
            },
        )
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str, lang: Lang) -> Vec<&str> {
        name_runs(t, lang).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn runs_of_capitalised_words() {
        assert_eq!(
            names("Premier Alexei Kosygin visited Hanoi in 1964.", Lang::En),
            vec!["Premier Alexei Kosygin", "Hanoi"]
        );
        assert_eq!(
            names(
                "Thủ tướng Phạm Văn Đồng sang thăm Liên Xô, gặp Đảng.",
                Lang::Vi
            ),
            vec!["Phạm Văn Đồng", "Liên Xô"]
        );
        assert_eq!(
            names("Визит Алексея Косыгина в Ханой.", Lang::Ru),
            vec!["Визит Алексея Косыгина", "Ханой"]
        );
        // A sentence's first word alone, all-capitals and function words are not names.
        assert!(names("Then it rained.", Lang::En).is_empty());
        assert!(names("In the USSR the Vietnamese met.", Lang::En).is_empty());
    }
}
