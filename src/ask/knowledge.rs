//! What `ask` knows, loaded once per process from the store: every sentence with the facts
//! stored inside it (timexes, quantities, mentions) and the lexicon concepts and words it
//! holds, plus an inverted index from those features to sentences, and tables.

use super::lexicon;
use super::question::Key;
use super::tokens::tokenize;
use crate::fact::FactBody;
use crate::store::Store;
use crate::text::lang::Lang;
use std::collections::HashMap;

/// A timex inside a sentence.
#[derive(Debug, Clone)]
pub struct TimexRef {
    pub start: u64,
    pub end: u64,
    pub text: String,
    pub value_start: String,
    pub value_end: String,
    pub ty: String,
}

/// A quantity inside a sentence.
#[derive(Debug, Clone)]
pub struct QuantityRef {
    pub start: u64,
    pub end: u64,
    pub text: String,
    pub number: f64,
    pub value: f64,
    pub scale: f64,
    pub unit: String,
    pub qualifier: Option<String>,
    /// The counted thing and the measure, as one text.
    pub about: String,
    pub period: Option<(String, String)>,
}

/// A mention inside a sentence.
#[derive(Debug, Clone)]
pub struct MentionRef {
    pub start: u64,
    pub end: u64,
    pub text: String,
    pub entity_id: String,
    pub entity: String,
    pub kind: String,
}

/// How many list items may stand between a list's lead-in and an item of it.
const LIST_ITEMS: usize = 12;

/// A sentence and what was extracted inside it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub doc: usize,
    pub start: u64,
    pub end: u64,
    pub paragraph: u64,
    pub lang: Lang,
    pub clean: String,
    pub timexes: Vec<TimexRef>,
    pub quantities: Vec<QuantityRef>,
    pub mentions: Vec<MentionRef>,
}

impl Sent {
    /// The approximate byte offset in `clean` of a source offset inside the sentence.
    pub fn clean_pos(&self, src: u64) -> usize {
        let len = (self.end - self.start).max(1) as f64;
        let r = (src.saturating_sub(self.start)) as f64 / len;
        ((r * self.clean.len() as f64) as usize).min(self.clean.len())
    }

    /// The lexicon's concepts in this sentence (`toks`: its clean text's tokens), less those
    /// inside one of its dates: "last" in "last October" is the date's word, not "the last".
    /// Each hit of a concept with a broader one is also a hit of the broader one, on the
    /// same words.
    pub fn concept_hits(&self, toks: &[super::tokens::Tok]) -> Vec<lexicon::Hit> {
        let dates: Vec<(usize, usize)> = self
            .timexes
            .iter()
            .map(|t| (self.clean_pos(t.start), self.clean_pos(t.end)))
            .collect();
        let lx = lexicon::lexicon();
        let hits: Vec<lexicon::Hit> = lx
            .find(toks)
            .into_iter()
            .filter(|h| {
                !dates
                    .iter()
                    .any(|&(a, b)| a <= h.range.start + 2 && h.range.end <= b + 2)
            })
            .collect();
        // A narrower concept speaks of its broader one too ("tàu vũ trụ" of space).
        let wider: Vec<lexicon::Hit> = hits
            .iter()
            .filter_map(|h| {
                lx.concepts[h.concept].broader.map(|b| lexicon::Hit {
                    concept: b,
                    ..h.clone()
                })
            })
            .collect();
        hits.into_iter().chain(wider).collect()
    }
}

/// A table cell with a number.
#[derive(Debug, Clone)]
pub struct Cell {
    pub value: f64,
    pub start: u64,
    pub end: u64,
}

/// A table row: its label, features, unit and numeric cells by column.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    /// The label's words, folded, each with the lexicon concepts of the phrases covering
    /// it (read once here, not on every question).
    pub label_words: Vec<(String, Vec<usize>)>,
    pub unit: Option<String>,
    pub keys: Vec<Key>,
    /// (column, cell) for every numeric cell.
    pub cells: Vec<(usize, Cell)>,
    /// Source span of the whole row.
    pub start: u64,
    pub end: u64,
}

/// A stored table (`table` facts: caption, columns with periods, rows, cells with spans).
#[derive(Debug, Clone)]
pub struct Table {
    pub doc: usize,
    pub lang: Lang,
    pub caption: String,
    pub unit: Option<String>,
    pub caption_keys: Vec<Key>,
    pub columns: Vec<String>,
    pub column_keys: Vec<Vec<Key>>,
    pub column_periods: Vec<Option<(String, String)>>,
    pub rows: Vec<Row>,
    pub start: u64,
    pub end: u64,
}

/// An event statement (`event_statement` facts): a dated act with its participants.
#[derive(Debug, Clone)]
pub struct EventRef {
    /// The `event_statement` fact's id.
    pub fact: i64,
    pub sent: usize,
    pub start: u64,
    pub end: u64,
    pub date_start: String,
    pub date_end: String,
    pub ty: String,
    pub summary: String,
}

/// The features of a short text (a caption, a row label, a column header).
pub fn text_keys(text: &str) -> Vec<Key> {
    let lx = lexicon::lexicon();
    let toks = tokenize(text);
    let mut keys: Vec<Key> = Vec::new();
    for m in crate::extract::entity::mentions(text) {
        keys.push(Key::Entity(m.entity().id.clone()));
    }
    for h in lx.find(&toks) {
        keys.push(Key::Concept(h.concept));
    }
    for t in &toks {
        keys.push(if t.num {
            Key::Num(t.lower.clone())
        } else {
            Key::Word(t.folded.clone())
        });
    }
    keys.sort_by_key(|k| format!("{k:?}"));
    keys.dedup();
    keys
}

fn parse_table(doc: usize, t: &crate::fact::Table, start: u64, end: u64) -> Option<Table> {
    use crate::fact::CellValue;
    let columns = t.columns.clone();
    let caption = t.caption.clone().unwrap_or_default();
    let periods: Vec<Option<(String, String)>> = t
        .column_periods
        .iter()
        .map(|p| p.map(|[a, b]| (format!("{a:04}"), format!("{b:04}"))))
        .collect();
    let row_units = &t.row_units;
    let mut rows = Vec::new();
    for (ri, row) in t.rows.iter().enumerate() {
        let label = match row.first() {
            Some(Some(CellValue::Text(x))) => x.clone(),
            _ => String::new(),
        };
        let spans = t.cells.get(ri);
        let span_of = |ci: usize| -> Option<(u64, u64)> {
            let c = spans?.get(ci)?.as_ref()?;
            Some((c.start as u64, c.end as u64))
        };
        let mut cells = Vec::new();
        let (mut rs, mut re) = (u64::MAX, 0);
        for (ci, v) in row.iter().enumerate() {
            if let Some((a, b)) = span_of(ci) {
                rs = rs.min(a);
                re = re.max(b);
                if let Some(CellValue::Number(x)) = v {
                    cells.push((
                        ci,
                        Cell {
                            value: *x,
                            start: a,
                            end: b,
                        },
                    ));
                }
            }
        }
        if cells.is_empty() || rs >= re {
            continue;
        }
        let unit = row_units.get(ri).cloned().flatten();
        let label_words = {
            let toks = tokenize(&label);
            let hits = lexicon::lexicon().find(&toks);
            toks.iter()
                .enumerate()
                .map(|(i, t)| {
                    let concepts = hits
                        .iter()
                        .filter(|h| h.toks.contains(&i))
                        .map(|h| h.concept)
                        .collect();
                    (t.folded.clone(), concepts)
                })
                .collect()
        };
        rows.push(Row {
            keys: text_keys(&format!("{label} {}", unit.clone().unwrap_or_default())),
            label_words,
            label,
            unit,
            cells,
            start: rs,
            end: re,
        });
    }
    Some(Table {
        doc,
        lang: t.lang.unwrap_or(Lang::Vi),
        caption_keys: text_keys(&caption),
        caption,
        unit: t.unit.clone(),
        column_keys: columns.iter().map(|c| text_keys(c)).collect(),
        columns,
        column_periods: periods,
        rows,
        start,
        end,
    })
}

/// A document's original bytes, for exact citation texts.
#[derive(Debug, Clone)]
pub struct DocSource {
    pub bytes: Vec<u8>,
    pub encoding: crate::source::decode::Encoding,
}

/// Everything `ask` reads, in memory.
#[derive(Debug, Default)]
pub struct Knowledge {
    pub docs: Vec<String>,
    pub sources: Vec<Option<DocSource>>,
    pub sents: Vec<Sent>,
    pub tables: Vec<Table>,
    pub events: Vec<EventRef>,
    /// The statements merged into events across documents (`crate::history::merge`), with
    /// the historians' decisions applied (`crate::curation`).
    pub merged: Vec<crate::history::merge::Event>,
    /// Feature → sentences holding it (sorted, unique).
    postings: HashMap<Key, Vec<u32>>,
    /// Document → the entities it names anywhere (what a sentence of it is about, beyond
    /// its own words).
    doc_entities: HashMap<usize, std::collections::HashSet<String>>,
    /// Feature → table rows whose label holds it: (table, row), sorted, unique.
    row_postings: HashMap<Key, Vec<(u32, u32)>>,
}

/// The number and unit of a one-unit ISO 8601 duration ("P12M" → 12 month); None for
/// compound or time-of-day durations, which questions do not ask for.
fn duration_unit(iso: &str) -> Option<(f64, &'static str)> {
    let body = iso.strip_prefix('P')?;
    let unit = match body.chars().last()? {
        'Y' => "year",
        'M' => "month",
        'W' => "week",
        'D' => "day",
        _ => return None,
    };
    let n: f64 = body[..body.len() - 1].parse().ok()?;
    Some((n, unit))
}

/// A source of items: called with a visitor, it calls the visitor once per item (how the
/// store streams sentences and facts).
pub type Each<'a, T> =
    &'a mut dyn FnMut(&mut dyn FnMut(T) -> crate::store::Result<()>) -> crate::store::Result<()>;

impl Knowledge {
    /// Loads sentences and facts from `store`, with its curation applied.
    pub fn load(store: &dyn Store) -> crate::store::Result<Knowledge> {
        let curation = crate::curation::Curation::load(store)?;
        let mut sources: Vec<(String, Option<DocSource>)> = Vec::new();
        for d in store.documents()? {
            let bytes = store.source_bytes(&d.id)?;
            let encoding = d.encoding();
            sources.push((d.id, bytes.map(|bytes| DocSource { bytes, encoding })));
        }
        Knowledge::build(
            &mut |f| store.sentences(None, f),
            sources,
            &mut |f| {
                store.facts(None, &mut |mut x| {
                    if curation.apply_to_fact(&mut x) == Some(crate::curation::Status::Rejected) {
                        return Ok(());
                    }
                    f(x)
                })
            },
            &mut |statements| {
                curation
                    .apply_events(crate::history::merge::merge(statements))
                    .events
            },
        )
    }

    /// Builds the knowledge from every sentence (`sentences` calls its argument for each),
    /// the documents' sources, every fact to use (`facts`: curated, rejected ones left
    /// out), and `events`, which turns the statements into the merged, curated events.
    pub fn build(
        sentences: Each<'_, crate::store::StoredSentence>,
        sources: Vec<(String, Option<DocSource>)>,
        facts: Each<'_, crate::store::StoredFact>,
        merge: &mut dyn FnMut(
            Vec<crate::history::merge::Statement>,
        ) -> Vec<crate::history::merge::Event>,
    ) -> crate::store::Result<Knowledge> {
        let mut k = Knowledge::default();
        let mut doc_ix: HashMap<String, usize> = HashMap::new();
        sentences(&mut |s| {
            let d = match doc_ix.get(&s.doc) {
                Some(&d) => d,
                None => {
                    k.docs.push(s.doc.clone());
                    doc_ix.insert(s.doc.clone(), k.docs.len() - 1);
                    k.docs.len() - 1
                }
            };
            k.sents.push(Sent {
                doc: d,
                start: s.start,
                end: s.end,
                paragraph: s.paragraph,
                lang: s.lang,
                clean: s.clean,
                timexes: Vec::new(),
                quantities: Vec::new(),
                mentions: Vec::new(),
            });
            Ok(())
        })?;
        let mut sources: HashMap<String, Option<DocSource>> = sources.into_iter().collect();
        for id in &k.docs {
            k.sources.push(sources.remove(id).flatten());
        }
        // Sentences of each document, by start.
        let mut by_doc: Vec<Vec<usize>> = vec![Vec::new(); k.docs.len()];
        for (i, s) in k.sents.iter().enumerate() {
            by_doc[s.doc].push(i);
        }
        for v in &mut by_doc {
            v.sort_by_key(|&i| k.sents[i].start);
        }
        let sents = &mut k.sents;
        let tables = &mut k.tables;
        let events = &mut k.events;
        let mut statements = Vec::new();
        // Curation: rejected facts are not given; edited values replace the machine's.
        facts(&mut |f| {
            let Some(&d) = doc_ix.get(&f.doc) else {
                return Ok(());
            };
            if let Some(t) = f.body.table() {
                if let Some(t) = parse_table(d, t, f.start, f.end) {
                    tables.push(t);
                }
                return Ok(());
            }
            let list = &by_doc[d];
            let at = list.partition_point(|&i| sents[i].start <= f.start);
            let Some(&si) = at.checked_sub(1).and_then(|a| list.get(a)) else {
                return Ok(());
            };
            let s = &mut sents[si];
            if f.end > s.end {
                return Ok(());
            }
            let text = f.text().to_string();
            match &f.body {
                FactBody::Timex(t) => {
                    if let (Some(vs), Some(ve)) = (t.value_start, t.value_end) {
                        s.timexes.push(TimexRef {
                            start: f.start,
                            end: f.end,
                            text,
                            value_start: vs.iso(),
                            value_end: ve.iso(),
                            ty: t.ty.clone(),
                        });
                    }
                }
                FactBody::Quantity(q) => {
                    let about = [q.counted.clone(), q.measure.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let period = q
                        .period
                        .as_ref()
                        .and_then(|p| Some((p.value_start?.iso(), p.value_end?.iso())));
                    s.quantities.push(QuantityRef {
                        start: f.start,
                        end: f.end,
                        text,
                        number: q.number,
                        value: q.value,
                        scale: q.scale,
                        unit: q.unit.clone(),
                        qualifier: q.unit_qualifier.clone(),
                        about,
                        period,
                    });
                }
                FactBody::Duration(t) => {
                    // "12 tháng" (P12M), "25 years" (P25Y): numbers in a time unit, for
                    // questions that ask "how many months".
                    let Some((n, unit)) = t.duration.as_deref().and_then(duration_unit) else {
                        return Ok(());
                    };
                    s.quantities.push(QuantityRef {
                        start: f.start,
                        end: f.end,
                        text,
                        number: n,
                        value: n,
                        scale: 1.0,
                        unit: unit.to_string(),
                        qualifier: None,
                        about: "duration".to_string(),
                        period: None,
                    });
                }
                FactBody::Mention(m) => {
                    s.mentions.push(MentionRef {
                        start: f.start,
                        end: f.end,
                        text,
                        entity_id: m.entity_id.clone(),
                        entity: m.entity.clone(),
                        kind: m.entity_type.clone(),
                    });
                }
                FactBody::EventStatement(e) => {
                    statements.extend(crate::history::merge::Statement::from_fact(&f));
                    if let (Some(a), Some(b)) = (e.date_start, e.date_end) {
                        events.push(EventRef {
                            fact: f.id,
                            sent: si,
                            start: f.start,
                            end: f.end,
                            date_start: a.iso(),
                            date_end: b.iso(),
                            ty: e.ty.clone(),
                            summary: e.summary.clone(),
                        });
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        // The merged events as curated (rejected events left out, edits, merges, splits).
        k.merged = merge(statements);
        k.index();
        Ok(k)
    }

    /// Builds the inverted index over every sentence's features.
    fn index(&mut self) {
        let mut postings: HashMap<Key, Vec<u32>> = HashMap::new();
        self.doc_entities.clear();
        for (i, s) in self.sents.iter().enumerate() {
            let i = i as u32;
            let toks = tokenize(&s.clean);
            let mut add = |key: Key| {
                let v = postings.entry(key).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            };
            for m in &s.mentions {
                add(Key::Entity(m.entity_id.clone()));
                self.doc_entities
                    .entry(s.doc)
                    .or_default()
                    .insert(m.entity_id.clone());
            }
            for h in s.concept_hits(&toks) {
                add(Key::Concept(h.concept));
            }
            for t in &toks {
                if t.num {
                    add(Key::Num(t.lower.clone()));
                } else {
                    add(Key::Word(t.folded.clone()));
                }
            }
        }
        self.postings = postings;
        let mut rows: HashMap<Key, Vec<(u32, u32)>> = HashMap::new();
        for (ti, t) in self.tables.iter().enumerate() {
            for (ri, r) in t.rows.iter().enumerate() {
                for key in &r.keys {
                    let v = rows.entry(key.clone()).or_default();
                    let at = (ti as u32, ri as u32);
                    if v.last() != Some(&at) {
                        v.push(at);
                    }
                }
            }
        }
        self.row_postings = rows;
    }

    /// The table rows whose label holds `key`: (table, row).
    pub fn row_postings(&self, key: &Key) -> &[(u32, u32)] {
        self.row_postings.get(key).map_or(&[], Vec::as_slice)
    }

    /// The sentences holding `key`.
    /// Whether document `doc` names entity `id` somewhere.
    pub fn doc_names(&self, doc: usize, id: &str) -> bool {
        self.doc_entities.get(&doc).is_some_and(|e| e.contains(id))
    }

    pub fn postings(&self, key: &Key) -> &[u32] {
        self.postings.get(key).map_or(&[], Vec::as_slice)
    }

    /// Inverse document frequency of a feature (over sentences).
    pub fn idf(&self, key: &Key) -> f64 {
        let n = self.sents.len().max(1) as f64;
        let df = self.postings(key).len() as f64;
        (1.0 + n / (df + 1.0)).ln()
    }

    /// The exact text of a source range (the original bytes, decoded).
    pub fn source_text(&self, doc: usize, start: u64, end: u64) -> Option<String> {
        let s = self.sources.get(doc)?.as_ref()?;
        Some(crate::source::decode::decode_range(
            &s.bytes,
            s.encoding,
            start as usize..end as usize,
        ))
    }

    /// Whether sentence `i` lies inside a table (its facts are the table's).
    pub fn in_table(&self, i: usize) -> bool {
        let s = &self.sents[i];
        self.tables
            .iter()
            .any(|t| t.doc == s.doc && t.start < s.end && s.start < t.end && !t.rows.is_empty())
    }

    /// The sentence before `i` in the same paragraph.
    pub fn prev(&self, i: usize) -> Option<usize> {
        let p = i.checked_sub(1)?;
        let (a, b) = (&self.sents[p], &self.sents[i]);
        (a.doc == b.doc && a.paragraph == b.paragraph).then_some(p)
    }

    /// The lead-in of a list item: when `i` stands alone in its paragraph, the sentence
    /// ending in a colon that opens the list it belongs to (the items between it and `i`
    /// stand alone in their paragraphs too, at most [`LIST_ITEMS`] of them). "Aid by
    /// period:" governs "1965-1968: 517,393 tonnes".
    pub fn lead(&self, i: usize) -> Option<usize> {
        let alone = |j: usize| {
            let s = &self.sents[j];
            let same = |k: usize| {
                self.sents
                    .get(k)
                    .is_some_and(|o| o.doc == s.doc && o.paragraph == s.paragraph)
            };
            !(same(j + 1) || (j > 0 && same(j - 1)))
        };
        if !alone(i) {
            return None;
        }
        let doc = self.sents[i].doc;
        let mut j = i;
        for _ in 0..=LIST_ITEMS {
            j = j.checked_sub(1)?;
            let s = &self.sents[j];
            if s.doc != doc {
                return None;
            }
            if s.clean.trim_end().ends_with(':') {
                return Some(j);
            }
            if !alone(j) {
                return None;
            }
        }
        None
    }
}
