//! Discovery of candidate entities: names the gazetteer does not know yet.
//!
//! A candidate is a run of capitalised words inside a sentence (English and Russian), or a
//! run of capitalised syllables (Vietnamese names are written syllable by syllable: "Phạm
//! Văn Đồng"), that no stored mention covers. A sentence's first word counts only as part
//! of a longer run; initials join a run ("В.В. Путин", "L.I. Brezhnev"). Each name is typed
//! ([`name_type`]: a Russian patronymic, initials, a Vietnamese family name or a title make a
//! person; an organization or place word makes those) and clustered across scripts and
//! spellings ([`cluster_key`]: Russian transliterated to Latin, case endings and vowels left
//! out, so "Кирилл Комаров", "Кирилла Комарова" and "Kirill Komarov" are one entity), with a
//! stable id made from that key. Candidates are counted, each with example spans, for a person
//! to curate into the gazetteer.

use crate::document::{Document, ReadOptions};
use crate::source::decode::Encoding;
use crate::span::Span;
use crate::store::{Result, Store};
use crate::text::fold::fold;
use crate::text::lang::Lang;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// A name seen in the sources that no gazetteer entity matched.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// The most frequent written form.
    pub name: String,
    /// How often it occurs.
    pub count: usize,
    /// Up to three places where it occurs.
    pub examples: Vec<Span>,
    /// A stable id of the discovered entity ("cand-" and a hash of its cluster key): the same
    /// name in any script or spelling gets the same id in every run.
    pub id: String,
    /// person, organization, place or other.
    pub entity_type: &'static str,
    /// Every written form clustered into it, with counts, most frequent first.
    pub forms: Vec<(String, usize)>,
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
        Lang::all().iter().any(|l| l.data().not_names.contains(&w))
    };
    let min_single = if lang.data().syllabic { usize::MAX } else { 3 };
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
            let t = w.trim_end_matches('.');
            initials(w) || (is_capitalised(t) && t.chars().any(char::is_lowercase) && !not_names(t))
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
        // Initials alone are no name; a run needs a word.
        if (i..j).all(|k| initials(words[k].1)) {
            i = j;
            continue;
        }
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

/// Initials: one or two capitals, each followed by a dot ("В.", "L.I.").
fn initials(w: &str) -> bool {
    let cs: Vec<char> = w.chars().collect();
    !cs.is_empty()
        && cs.len() <= 4
        && cs
            .chunks(2)
            .all(|c| c.len() == 2 && c[0].is_uppercase() && c[1] == '.')
}

/// The type of a discovered name in its sentence: `before` is the sentence text before it.
pub fn name_type(name: &str, before: &str) -> &'static str {
    let ctx = &crate::knowledge::gazetteer::builtin().context;
    let words: Vec<&str> = name.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let has_word = |list: &[String]| {
        list.iter().any(|h| {
            let hw: Vec<&str> = h.split(' ').collect();
            words.windows(hw.len()).any(|w| w == hw.as_slice())
        })
    };
    if has_word(&ctx.org_heads) {
        return "organization";
    }
    if has_word(&ctx.place_heads) {
        return "place";
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let patronymic = lower.iter().skip(1).any(|w| {
        ctx.ru_patronymic_endings
            .iter()
            .any(|e| w.ends_with(e.as_str()) && w.chars().count() > e.chars().count() + 2)
    });
    let initialed = words.iter().any(|w| initials(w));
    let vi_person = words.len() >= 2
        && words.len() <= 4
        && ctx.vi_surnames.iter().any(|s| s == words[0])
        && words.iter().all(|w| w.chars().count() <= 7);
    let b = before.trim_end();
    let titled = ctx.titles.iter().any(|t| {
        b.strip_suffix(t.as_str())
            .is_some_and(|r| !r.chars().next_back().is_some_and(char::is_alphanumeric))
    });
    if patronymic || initialed || vi_person || titled {
        return "person";
    }
    let last = b.rsplit(' ').next().unwrap_or("");
    if !last.is_empty() && ctx.place_heads.iter().any(|h| h == last) {
        return "place";
    }
    "other"
}

/// The key that clusters spellings of one name across scripts: every word transliterated to
/// Latin (Russian by the popular convention), folded, and reduced to its first consonants
/// (vowels and case endings vary between spellings, consonants much less), initials left out.
pub fn cluster_key(name: &str) -> String {
    use crate::knowledge::translit;
    let mut parts: Vec<String> = Vec::new();
    for w in name
        .split([' ', '-'])
        .filter(|w| !w.is_empty() && !initials(w))
    {
        let latin = if translit::has_cyrillic(w) {
            translit::ru_latin_by("popular", w).unwrap_or_else(|| w.to_string())
        } else {
            w.to_string()
        };
        let f = fold(&latin);
        let mut sk = String::new();
        for (i, c) in f.chars().filter(|c| c.is_alphanumeric()).enumerate() {
            let vowel = "aeiouy".contains(c);
            if (i == 0 || !vowel) && !sk.ends_with(c) {
                sk.push(c);
            }
        }
        // Case endings add consonants at the end: keep the stem's first four.
        parts.push(sk.chars().take(4).collect());
    }
    parts.join(" ")
}

/// The occurrences of one folded name.
#[derive(Default)]
struct Group {
    /// Written forms and their counts.
    forms: HashMap<String, usize>,
    count: usize,
    examples: Vec<Span>,
    /// Votes for each type.
    types: BTreeMap<&'static str, usize>,
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
                let ty = name_type(&text[r.clone()], &text[..r.start]);
                let name = text[r].to_string();
                let g = groups.entry(cluster_key(&name)).or_default();
                *g.types.entry(ty).or_default() += 1;
                *g.forms.entry(name).or_default() += 1;
                g.count += 1;
                if g.examples.len() < 3 {
                    g.examples.push(span);
                }
            }
        }
    }
    let mut out: Vec<Candidate> = groups
        .into_iter()
        .filter(|(_, g)| g.count >= min_count)
        .map(
            |(
                key,
                Group {
                    forms,
                    count,
                    examples,
                    types,
                },
            )| {
                let mut forms: Vec<(String, usize)> = forms.into_iter().collect();
                forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let name = forms.first().map(|f| f.0.clone()).unwrap_or_default();
                // The type most occurrences give, a known type before "other".
                let entity_type = types
                    .iter()
                    .max_by_key(|(t, n)| (**t != "other", **n))
                    .map(|(t, _)| *t)
                    .unwrap_or("other");
                let h = Sha256::digest(key.as_bytes());
                let id = format!(
                    "cand-{}",
                    h.iter()
                        .take(6)
                        .map(|b| format!("{b:02x}"))
                        .collect::<String>()
                );
                Candidate {
                    name,
                    count,
                    examples,
                    id,
                    entity_type,
                    forms,
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
            names(
                "Premier Alexei Kosygin visited Hanoi in 1964.",
                Lang::of("en")
            ),
            vec!["Premier Alexei Kosygin", "Hanoi"]
        );
        assert_eq!(
            names(
                "Thủ tướng Phạm Văn Đồng sang thăm Liên Xô, gặp Đảng.",
                Lang::of("vi")
            ),
            vec!["Phạm Văn Đồng", "Liên Xô"]
        );
        assert_eq!(
            names("Визит Алексея Косыгина в Ханой.", Lang::of("ru")),
            vec!["Визит Алексея Косыгина", "Ханой"]
        );
        // A sentence's first word alone, all-capitals and function words are not names.
        assert!(names("Then it rained.", Lang::of("en")).is_empty());
        assert!(names("In the USSR the Vietnamese met.", Lang::of("en")).is_empty());
        // Initials join the surname they stand before.
        assert_eq!(
            names("Встреча с В.В. Путиным прошла.", Lang::of("ru")),
            vec!["В.В. Путиным"]
        );
    }

    #[test]
    fn types_and_clusters() {
        assert_eq!(name_type("Кирилл Владимирович Комаров", ""), "person");
        assert_eq!(name_type("В.В. Путиным", ""), "person");
        assert_eq!(name_type("Nguyễn Sinh Hùng", ""), "person");
        assert_eq!(name_type("Kaluga Oblast", ""), "place");
        assert_eq!(name_type("National Park Service", ""), "organization");
        assert_eq!(name_type("Glassboro", "They met in "), "place");
        assert_eq!(name_type("Glassboro", "They met "), "other");
        // One entity across scripts and cases; another name is another entity.
        let k = cluster_key("Kirill Komarov");
        assert_eq!(cluster_key("Кирилл Комаров"), k);
        assert_eq!(cluster_key("Кирилла Комарова"), k);
        assert_eq!(cluster_key("К. Комаров"), cluster_key("Komarov"));
        assert_ne!(cluster_key("Kirill Komarov"), cluster_key("Kirill Kuzmin"));
    }
}
