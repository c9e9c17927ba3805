//! The entity extractor: every mention of a gazetteer entity, whatever the language, the
//! transliteration, the abbreviation or the OCR damage.
//!
//! The gazetteer is data (`data/gazetteer/*.toml`, [`gazetteer`]), validated on load. One
//! Aho-Corasick automaton ([`matcher`]) holds the folded key of every alias, its
//! hyphen-joined form, its abbreviation-table variants ([`variants`]) and its OCR-damaged forms
//! ([`ocr`]). Each hit is verified against its alias ([`verify`]: case, and diacritics, since a
//! Vietnamese word with other diacritics is another word), and aliases that need context get
//! it ([`context`]: titles, initials, trigger words, linked countries, personal-name vetoes).
//! Overlaps keep the longest, best hit; OCR-damaged hits count only where nothing exact or
//! folded covers the text; an alias deliberately shared by two entities goes to the one the
//! document names unambiguously elsewhere, or to none.

pub mod context;
pub mod matcher;
pub mod ocr;
pub mod verify;

use super::{Extractor, Fact};
use crate::document::Document;
use crate::knowledge::gazetteer::{AliasKind, Entity, Gazetteer};
use crate::knowledge::variants;
use crate::text::intervals::{Disjoint, Intervals};
use matcher::Matcher;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;
use verify::Quality;

/// The longest text between two names that can be a link ("–", ", ", " và "), in bytes;
/// names farther apart are not looked at as linked.
const LINK_GAP: usize = 64;

static MATCHER: LazyLock<Matcher> = LazyLock::new(|| Matcher::build(gazetteer()));

pub use crate::knowledge::gazetteer::{builtin as gazetteer, resolve, resolve_all};

/// The entity extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct EntityExtractor;

/// One mention found in a clean text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte range in the text given.
    pub range: Range<usize>,
    /// The entity (index into [`Gazetteer::entities`]).
    pub entity: usize,
    /// "exact", "folded", "fuzzy", "abbreviation" or "initials".
    pub matched: &'static str,
    pub confidence: f32,
    /// Inside a longer mention of an organization, treaty or event that names it
    /// ("ĐCS Liên Xô" in "BCHTƯ ĐCS Liên Xô").
    pub nested: bool,
    /// Other entities the same words could name (an ambiguous alias), resolved per document.
    pub alternatives: Vec<usize>,
    /// A bare surname that needs the document to name the person in full elsewhere
    /// ([`disambiguate`] decides).
    pub pending: bool,
}

impl Mention {
    pub fn entity(&self) -> &'static Entity {
        &gazetteer().entities[self.entity]
    }
}

#[derive(Debug, Clone)]
struct Cand {
    range: Range<usize>,
    entity: usize,
    matched: &'static str,
    confidence: f32,
    fuzzy: bool,
    /// A bare surname: kept only if the document names the person in full elsewhere.
    pending: bool,
    /// A generated one-word name: vetoed inside a run of capitalized words ("George
    /// Washington", "Chad Smith").
    name_run: bool,
    guarded: bool,
    /// A one-word alias of one Vietnamese syllable ("Pháp", "Mỹ", "Lào").
    syllable: bool,
}

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

/// The mentions in one clean text (a paragraph) that need no other evidence.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut ms = paragraph_mentions(text);
    ms.retain(|m| !m.pending);
    ms
}

/// True when a currency sign follows the range right away ("US$").
fn currency_next(text: &str, r: &Range<usize>) -> bool {
    text[r.end..]
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '$' | '€' | '£' | '¥' | '₫'))
        || text[..r.start].ends_with(['$', '€', '£', '¥'])
}

/// The mentions in one clean text (a paragraph), before document-level disambiguation;
/// bare surnames are kept as pending.
pub fn paragraph_mentions(text: &str) -> Vec<Mention> {
    let g: &Gazetteer = gazetteer();
    let ctx = &g.context;
    let mut cands: Vec<Cand> = Vec::new();
    for h in MATCHER.hits(text) {
        let e = &g.entities[h.target.entity as usize];
        let a = &e.aliases[h.target.alias as usize];
        // Variant letters after a designation only for equipment ("Su-30MK2").
        if h.variant > 0 && e.kind != "other" {
            continue;
        }
        let span = &text[h.range.start..h.range.end - h.variant];
        let mut range = h.range.clone();
        let (mut matched, mut conf) = if let Some(c) = h.target.fuzzy {
            let af = a.text.chars().find(|c| c.is_alphabetic());
            let tf = span.chars().find(|c| c.is_alphabetic());
            if af.is_some_and(char::is_uppercase) != tf.is_some_and(char::is_uppercase) {
                continue;
            }
            ("fuzzy", c)
        } else {
            // A generic head starts the alias as a whole word, with more words after it.
            let generic = ctx.generic_heads.iter().any(|h| {
                a.text
                    .strip_prefix(h.as_str())
                    .is_some_and(|rest| rest.starts_with(' '))
            });
            let q = verify::verify(&a.text, span, generic).or_else(|| {
                // A loose alias matches on its letters, whatever the diacritics.
                (a.loose && verify::case_ok(&a.text, span, &[], &[], false))
                    .then_some(Quality::Exact)
            });
            let Some(q) = q else {
                continue;
            };
            if a.proper && !verify::proper_ok(&a.text, span) {
                continue;
            }
            // An abbreviation written against a currency sign is the currency ("US$"); a
            // country before a currency word too ("US dollars"); a city before a region word
            // names the region ("Kaluga region").
            if a.kind == AliasKind::Abbreviation && currency_next(text, &h.range) {
                continue;
            }
            let next = context::word_after(text, h.range.end);
            if e.kind == "country"
                && next.is_some_and(|w| ctx.currency_words.iter().any(|c| c == w))
            {
                continue;
            }
            if e.kind == "place"
                && a.generated
                && next.is_some_and(|w| ctx.region_words.iter().any(|c| c == w))
            {
                continue;
            }
            if q == Quality::Folded
                && a.kind.standalone()
                && variants::words(&a.text).len() == 1
                && letters(&a.text) < 6
            {
                continue;
            }
            match (a.kind, q) {
                (AliasKind::Abbreviation, Quality::Folded) => ("abbreviation", 0.85),
                (AliasKind::Abbreviation, _) => ("abbreviation", 0.9),
                (_, Quality::Exact) => ("exact", 1.0),
                (_, Quality::Case) => ("folded", 0.95),
                (_, Quality::Folded) => ("folded", 0.9),
            }
        };
        let initials = if e.kind == "person" {
            context::initials_before(text, range.start)
        } else {
            None
        };
        if e.kind == "person" {
            // Initials that are not the person's own name another person ("V. Zhukov" is not
            // Georgy Zhukov); a year after the person's death right after a bare surname is a
            // citation of a later author ("Zhukov, 2015").
            // Only initials that stand for the given name: not "N." after "Aleksei".
            if let Some(s) = initials
                && !e.initials.is_empty()
                && !context::given_name_before(text, s)
                && text[s..]
                    .chars()
                    .next()
                    .and_then(|c| c.to_uppercase().next())
                    .is_some_and(|c| !e.initials.contains(&c))
            {
                continue;
            }
            if let Some(d) = e.died
                && !a.text.contains(' ')
                && context::year_after(text, range.end).is_some_and(|y| y > d + 1)
            {
                continue;
            }
        }
        let mut pending = false;
        match a.kind {
            AliasKind::Titled | AliasKind::Surname => {
                let titled = context::title_before(ctx, text, range.start);
                if !titled && initials.is_none() {
                    if a.kind == AliasKind::Titled {
                        continue;
                    }
                    // A bare surname counts only where the document names the person in full.
                    pending = true;
                    conf *= 0.9;
                }
                conf *= 0.9;
            }
            AliasKind::Guarded => conf *= 0.9,
            _ => {}
        }
        if let Some(s) = initials {
            range.start = s;
            if matched != "fuzzy" {
                matched = "initials";
            }
        }
        cands.push(Cand {
            range,
            entity: h.target.entity as usize,
            matched,
            confidence: conf,
            fuzzy: h.target.fuzzy.is_some(),
            pending,
            name_run: a.generated
                && a.kind.standalone()
                && matches!(e.kind.as_str(), "place" | "country" | "person")
                && !a.text.contains(' ')
                && !verify::all_caps(&a.text),
            guarded: a.kind == AliasKind::Guarded,
            syllable: a.kind.standalone()
                && !a.text.contains(' ')
                && verify::has_vi_diacritics(&a.text)
                && letters(&a.text) <= 7,
        });
    }
    // Guarded hits need evidence and no veto. Every look at the other hits is an interval
    // query ([`Intervals`]), not a scan, so a long paragraph stays linear.
    let firm = Intervals::new(
        cands
            .iter()
            .filter(|c| !c.guarded && !c.fuzzy)
            .map(|c| c.range.clone()),
    );
    let all = Intervals::new(cands.iter().filter(|c| !c.fuzzy).map(|c| c.range.clone()));
    let covered = |p: usize| all.covers(p);
    // Countries, for "linked" evidence: by end and by start.
    let mut countries: Vec<Range<usize>> = cands
        .iter()
        .filter(|c| !c.fuzzy && g.entities[c.entity].kind == "country")
        .map(|c| c.range.clone())
        .collect();
    countries.sort_by_key(|r| (r.end, r.start));
    let mut countries_by_start = countries.clone();
    countries_by_start.sort_by_key(|r| (r.start, r.end));
    let linked_country = |c: &Range<usize>| {
        // A link is a short word or sign between spaces: look only at countries ending or
        // starting within a short gap of the hit.
        let lo = countries.partition_point(|r| r.end < c.start.saturating_sub(LINK_GAP));
        let hi = countries.partition_point(|r| r.end <= c.start);
        let before = countries[lo..hi]
            .iter()
            .any(|r| r != c && context::linked(ctx, &text[r.end..c.start]));
        let lo = countries_by_start.partition_point(|r| r.start < c.end);
        let hi = countries_by_start.partition_point(|r| r.start <= c.end + LINK_GAP);
        before
            || countries_by_start[lo..hi]
                .iter()
                .any(|r| r != c && context::linked(ctx, &text[c.end..r.start]))
    };
    // People, for "qualifier" evidence: a state's name between a role and its holder's name
    // ("Bộ trưởng Tài chính Nga Alexey Kudrin", "Tổng thống Nga Putin") qualifies the role.
    // The holder's names must come from the state's language (context data), or at least not
    // be Vietnamese where the state's language is unknown: a Vietnamese name after a guarded
    // syllable is a name run ("Nga Nguyễn Thị Bình").
    let mut people: Vec<(usize, Option<&str>)> = cands
        .iter()
        .filter(|c| !c.guarded && !c.fuzzy && g.entities[c.entity].kind == "person")
        .map(|c| (c.range.start, g.entities[c.entity].origin.as_deref()))
        .collect();
    people.sort_unstable();
    let person_after = |c: &Cand| {
        let gap = &text[c.range.end..];
        let ws = gap.len() - gap.trim_start_matches([' ', '\u{a0}']).len();
        let at = c.range.end + ws;
        let state = ctx
            .state_languages
            .get(&g.entities[c.entity].id)
            .map(String::as_str);
        let lo = people.partition_point(|p| p.0 < at);
        ws > 0
            && people[lo..]
                .iter()
                .take_while(|p| p.0 == at)
                .any(|p| match state {
                    Some(lang) => p.1 == Some(lang),
                    None => p.1 != Some("vi"),
                })
    };
    let keep: Vec<bool> = cands
        .iter()
        .map(|c| {
            if !c.guarded {
                if c.name_run
                    && !verify::all_caps(&text[c.range.clone()])
                    && !firm.contains_other(&c.range)
                    && context::vetoed(ctx, text, c.range.start, c.range.end, &covered)
                {
                    return false;
                }
                if c.syllable && !firm.contains_other(&c.range) {
                    return !context::syllable_vetoed(
                        ctx,
                        text,
                        c.range.start,
                        c.range.end,
                        &covered,
                    );
                }
                return true;
            }
            // Inside a longer firm hit: the overlap resolution decides.
            if firm.contains(&c.range) {
                return true;
            }
            if context::vetoed(ctx, text, c.range.start, c.range.end, &covered) {
                return false;
            }
            if context::trigger(ctx, text, c.range.start, c.range.end) {
                return true;
            }
            (g.entities[c.entity].kind == "country" && person_after(c)) || linked_country(&c.range)
        })
        .collect();
    let mut cands: Vec<Cand> = cands
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect();
    // OCR-damaged hits only where nothing exact or folded covers the text.
    let solid = Intervals::new(cands.iter().filter(|c| !c.fuzzy).map(|c| c.range.clone()));
    cands.retain(|c| !c.fuzzy || !solid.overlaps(&c.range));
    // Longest first, then the most confident; ties between entities are ambiguities.
    cands.sort_by(|a, b| {
        (b.range.len(), b.confidence)
            .partial_cmp(&(a.range.len(), a.confidence))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.range.start.cmp(&b.range.start))
            .then(a.entity.cmp(&b.entity))
    });
    let mut out: Vec<Mention> = Vec::new();
    let mut taken = Disjoint::new();
    for (i, c) in cands.iter().enumerate() {
        if !taken.take(c.range.clone()) {
            continue;
        }
        // Hits of the same range and confidence are next to each other in this order.
        let alternatives: BTreeSet<usize> = cands[i + 1..]
            .iter()
            .take_while(|d| d.range == c.range && d.confidence == c.confidence)
            .filter(|d| d.entity != c.entity)
            .map(|d| d.entity)
            .collect();
        out.push(Mention {
            range: c.range.clone(),
            entity: c.entity,
            matched: c.matched,
            confidence: c.confidence,
            alternatives: alternatives.into_iter().collect(),
            nested: false,
            pending: c.pending,
        });
    }
    // Nested: entities named inside an organization, treaty or event.
    let outers = Intervals::new(
        out.iter()
            .filter(|m| {
                matches!(
                    m.entity().kind.as_str(),
                    "organization" | "treaty" | "event"
                )
            })
            .map(|m| m.range.clone()),
    );
    let mut inner_taken = Disjoint::new();
    for c in &cands {
        if c.fuzzy || c.guarded || c.range.len() < 2 {
            continue;
        }
        // Strictly inside, not at its start: the head of an organ is the organ itself
        // ("BCHTƯ" in "BCHTƯ ĐCS Liên Xô"), what follows names its owner.
        if !outers.encloses_from_before(&c.range) {
            continue;
        }
        if !matches!(
            g.entities[c.entity].kind.as_str(),
            "country" | "organization" | "person" | "place"
        ) || !inner_taken.take(c.range.clone())
        {
            continue;
        }
        out.push(Mention {
            range: c.range.clone(),
            entity: c.entity,
            matched: c.matched,
            confidence: c.confidence,
            alternatives: Vec::new(),
            nested: true,
            pending: c.pending,
        });
    }
    out.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    out
}

/// Resolves ambiguous mentions of one document: to the one candidate entity the document
/// names unambiguously elsewhere, else dropped.
pub fn disambiguate(ms: Vec<Mention>) -> Vec<Mention> {
    let mut named: HashMap<usize, usize> = HashMap::new();
    for m in ms
        .iter()
        .filter(|m| m.alternatives.is_empty() && !m.pending)
    {
        *named.entry(m.entity).or_default() += 1;
    }
    // Bare surnames: only of people the document names in full.
    let ms: Vec<Mention> = ms
        .into_iter()
        .filter(|m| !m.pending || (m.alternatives.is_empty() && named.contains_key(&m.entity)))
        .map(|mut m| {
            m.pending = false;
            m
        })
        .collect();
    ms.into_iter()
        .filter_map(|mut m| {
            if m.alternatives.is_empty() {
                return Some(m);
            }
            let opts: Vec<usize> = std::iter::once(m.entity)
                .chain(m.alternatives.iter().copied())
                .filter(|e| named.contains_key(e))
                .collect();
            (opts.len() == 1).then(|| {
                m.entity = opts[0];
                m.alternatives.clear();
                m.confidence *= 0.9;
                m
            })
        })
        .collect()
}

/// The export body of a mention.
pub fn body(m: &Mention) -> crate::fact::Mention {
    let e = m.entity();
    crate::fact::Mention {
        entity: e.name.clone(),
        entity_id: e.id.clone(),
        qid: e.qid.clone(),
        entity_type: e.kind.to_string(),
        entity_labels: e.other_labels(),
        confidence: (m.confidence as f64 * 1000.0).round() / 1000.0,
        matched: m.matched.to_string(),
        nested: m.nested,
    }
}

/// The mentions of a document, in clean-text ranges.
pub fn document_mentions(doc: &Document) -> Vec<Mention> {
    let mut all = Vec::new();
    for p in &doc.paragraphs {
        if crate::budget::expired() {
            break;
        }
        let text = doc.paragraph_text(p);
        for mut m in paragraph_mentions(text) {
            m.range = m.range.start + p.range.start..m.range.end + p.range.start;
            all.push(m);
        }
    }
    if crate::budget::expired() {
        return Vec::new(); // the caller drops a partial result
    }
    disambiguate(all)
}

impl Extractor for EntityExtractor {
    fn name(&self) -> &'static str {
        "entity"
    }

    fn extract(&self, doc: &Document, out: &mut Vec<Fact>) {
        for (i, m) in document_mentions(doc).into_iter().enumerate() {
            if i % 1024 == 1023 && crate::budget::expired() {
                return; // the caller drops a partial result
            }
            out.push(Fact {
                evidence: doc.span_of(m.range.clone()),
                body: super::FactBody::Mention(body(&m)),
            });
        }
    }
}
