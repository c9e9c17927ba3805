//! Narrowing a search and counting what it found: facets by document, language, period
//! (decade), entity and kind of fact, and a date-range filter, read from the facts inside
//! each matched sentence as the read model ([`Snapshot`]) holds them (curated: a rejected
//! fact neither counts nor filters).
//!
//! The index gives every matching sentence in rank order (up to
//! [`MAX_HITS`]); [`narrow`] keeps those the filters allow, in the same order, and counts
//! them by facet, so counts always describe the list shown.

use super::IndexHit;
use crate::snapshot::Snapshot;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A search counts and narrows at most this many matching sentences.
pub const MAX_HITS: usize = 10_000;
/// The most values a facet lists (the most frequent first).
pub const MAX_VALUES: usize = 12;
/// A date spanning more decades than this counts in no decade ("the 20th century").
const MAX_DECADES: i32 = 2;

/// The kinds of fact a sentence may hold, by their contract names.
pub const KINDS: [&str; 4] = ["timex", "quantity", "mention", "event_statement"];

/// Filters applied after the index matched (document and language are the index's own).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Filters {
    /// Only sentences naming this entity (its gazetteer id).
    pub entity: Option<String>,
    /// Only sentences holding a fact of this kind ([`KINDS`]).
    pub kind: Option<String>,
    /// Only sentences holding a date that ends on or after this ISO prefix ("1975").
    pub from: Option<String>,
    /// Only sentences holding a date that starts on or before this ISO prefix ("1979-12").
    pub to: Option<String>,
}

/// One value of a facet and how many of the hits have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// What a filter takes: a document id, a language code, a decade's first year, an
    /// entity id, a fact kind.
    pub value: String,
    /// What a reader sees: the document's title, the language's name, "1970s", the
    /// entity's name, "dates".
    pub label: String,
    pub count: usize,
}

/// The hits counted by facet, most frequent first (periods in time order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub documents: Vec<FacetCount>,
    pub languages: Vec<FacetCount>,
    pub periods: Vec<FacetCount>,
    pub entities: Vec<FacetCount>,
    pub kinds: Vec<FacetCount>,
}

/// What a reader calls a kind of fact.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "timex" => "dates",
        "quantity" => "figures",
        "mention" => "names",
        "event_statement" => "events",
        k => k,
    }
}

/// True when a date from `start` to `end` (ISO values) overlaps the filter's range.
fn in_range(start: &str, end: &str, from: Option<&str>, to: Option<&str>) -> bool {
    let after = from.is_none_or(|f| end >= f);
    let before = to.is_none_or(|t| start.get(..t.len()).unwrap_or(start) <= t);
    after && before
}

fn year(iso: &str) -> Option<i32> {
    let digits: String = iso.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// The hits the filters allow, in order, and their facets.
pub fn narrow(snapshot: &Snapshot, hits: Vec<IndexHit>, f: &Filters) -> (Vec<IndexHit>, Facets) {
    let mut docs: HashMap<String, usize> = HashMap::new();
    let mut langs: HashMap<String, usize> = HashMap::new();
    let mut decades: BTreeMap<i32, usize> = BTreeMap::new();
    let mut entities: HashMap<String, (String, usize)> = HashMap::new();
    let mut kinds: HashMap<&'static str, usize> = HashMap::new();
    let mut kept = Vec::with_capacity(hits.len());
    for h in hits {
        let Some((sent, event)) = snapshot.sentence_facts(&h.sentence.doc, h.sentence.seq) else {
            continue; // a sentence the read model does not hold yet: not shown
        };
        if let Some(e) = &f.entity
            && !sent.mentions.iter().any(|m| &m.entity_id == e)
        {
            continue;
        }
        let has = |k: &str| match k {
            "timex" => !sent.timexes.is_empty(),
            "quantity" => !sent.quantities.is_empty(),
            "mention" => !sent.mentions.is_empty(),
            "event_statement" => event,
            _ => false,
        };
        if let Some(k) = &f.kind
            && !has(k)
        {
            continue;
        }
        if (f.from.is_some() || f.to.is_some())
            && !sent.timexes.iter().any(|t| {
                in_range(
                    &t.value_start,
                    &t.value_end,
                    f.from.as_deref(),
                    f.to.as_deref(),
                )
            })
        {
            continue;
        }
        *docs.entry(h.sentence.doc.clone()).or_default() += 1;
        *langs.entry(sent.lang.code().to_string()).or_default() += 1;
        let mut seen_decades: Vec<i32> = Vec::new();
        for t in &sent.timexes {
            if let (Some(a), Some(b)) = (year(&t.value_start), year(&t.value_end)) {
                let (a, b) = (a.div_euclid(10) * 10, b.div_euclid(10) * 10);
                if b >= a && (b - a) / 10 < MAX_DECADES {
                    seen_decades.extend((a..=b).step_by(10));
                }
            }
        }
        seen_decades.sort_unstable();
        seen_decades.dedup();
        for d in seen_decades {
            *decades.entry(d).or_default() += 1;
        }
        let mut seen_entities: Vec<&str> = Vec::new();
        for m in &sent.mentions {
            if !seen_entities.contains(&m.entity_id.as_str()) {
                seen_entities.push(&m.entity_id);
                entities
                    .entry(m.entity_id.clone())
                    .or_insert_with(|| (m.entity.clone(), 0))
                    .1 += 1;
            }
        }
        for k in KINDS {
            if has(k) {
                *kinds.entry(k).or_default() += 1;
            }
        }
        kept.push(h);
    }
    let top = |mut v: Vec<FacetCount>| {
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        v.truncate(MAX_VALUES);
        v
    };
    let facets = Facets {
        documents: top(docs
            .into_iter()
            .map(|(id, count)| FacetCount {
                label: snapshot.source_title(&id).unwrap_or_else(|| id.clone()),
                value: id,
                count,
            })
            .collect()),
        languages: top(langs
            .into_iter()
            .map(|(code, count)| FacetCount {
                label: crate::text::lang::Lang::from_code(&code)
                    .map_or_else(|| code.clone(), |l| l.data().name.clone()),
                value: code,
                count,
            })
            .collect()),
        periods: decades
            .into_iter()
            .map(|(d, count)| FacetCount {
                value: d.to_string(),
                label: format!("{d}s"),
                count,
            })
            .collect(),
        entities: top(entities
            .into_iter()
            .map(|(id, (name, count))| FacetCount {
                value: id,
                label: name,
                count,
            })
            .collect()),
        kinds: KINDS
            .iter()
            .filter_map(|k| {
                kinds.get(k).map(|&count| FacetCount {
                    value: k.to_string(),
                    label: kind_label(k).to_string(),
                    count,
                })
            })
            .collect(),
    };
    (kept, facets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ranges_overlap_by_iso_prefix() {
        assert!(in_range(
            "1978-11-03",
            "1978-11-03",
            Some("1978"),
            Some("1978")
        ));
        assert!(in_range("1976", "1980", Some("1979"), None));
        assert!(!in_range("1976", "1980", Some("1981"), None));
        assert!(!in_range("1982-01", "1982-01", None, Some("1981-12")));
        assert!(in_range("1981-12-31", "1981-12-31", None, Some("1981-12")));
        assert!(in_range("1950", "1950", None, None));
    }

    #[test]
    fn years_are_four_digits() {
        assert_eq!(year("1978-11"), Some(1978));
        assert_eq!(year("197"), None);
        assert_eq!(year("X"), None);
    }
}
