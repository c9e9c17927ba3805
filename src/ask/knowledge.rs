//! What `ask` knows: every sentence with the facts stored inside it (timexes, quantities,
//! mentions) and the lexicon concepts and words it holds, an inverted index from those
//! features to sentences, tables, and the merged events.
//!
//! It is made of one [`DocKnowledge`] per document, built from that document's sentences
//! and facts alone and shared (`Arc`) between read models while the document and the
//! decisions about its facts stay the same; [`Knowledge`] puts them in a row and numbers
//! their sentences and tables one after the other. Changing one document rebuilds its
//! part only (`crate::snapshot::Snapshot::apply_change`).

use super::question::Key;
use crate::fact::FactBody;
use crate::knowledge::domain as lexicon;
use crate::text::folded::tokenize;
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
    pub fn concept_hits(&self, toks: &[crate::text::folded::Tok]) -> Vec<lexicon::Hit> {
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
    /// Its sentence, by position in its document.
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

fn parse_table(t: &crate::fact::Table, start: u64, end: u64) -> Option<Table> {
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
        lang: t.lang.unwrap_or_else(Lang::fallback),
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
    pub bytes: std::sync::Arc<[u8]>,
    pub encoding: crate::source::decode::Encoding,
    /// A PDF's or a scan's pages: a citation says where on which page it stands.
    pub pages: Option<std::sync::Arc<crate::source::pages::PageMap>>,
}

type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// What `ask` reads of one document: its sentences with their facts, its tables and event
/// statements, and its own inverted index (sentences and table rows by position in the
/// document).
#[derive(Debug, Default)]
pub struct DocKnowledge {
    pub id: String,
    pub source: Option<DocSource>,
    /// In the order given (the store's: by position).
    pub sents: Vec<Sent>,
    pub tables: Vec<Table>,
    pub events: Vec<EventRef>,
    /// Feature → sentences holding it (sorted, unique).
    postings: FxMap<Key, Vec<u32>>,
    /// Feature → table rows whose label holds it: (table, row), sorted, unique.
    row_postings: FxMap<Key, Vec<(u32, u32)>>,
    /// The entities the document names anywhere (what a sentence of it is about, beyond its
    /// own words).
    entities: std::collections::HashSet<String>,
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

impl DocKnowledge {
    /// Builds one document's part from its sentences (in the store's order) and the facts
    /// to use (as readers see them: curated, rejected ones left out).
    pub fn build<'a>(
        id: &str,
        source: Option<DocSource>,
        sentences: &[crate::store::StoredSentence],
        facts: impl IntoIterator<Item = &'a crate::store::StoredFact>,
    ) -> DocKnowledge {
        let mut k = DocKnowledge {
            id: id.to_string(),
            source,
            ..DocKnowledge::default()
        };
        k.sents = sentences
            .iter()
            .map(|s| Sent {
                start: s.start,
                end: s.end,
                paragraph: s.paragraph,
                lang: s.lang,
                clean: s.clean.clone(),
                timexes: Vec::new(),
                quantities: Vec::new(),
                mentions: Vec::new(),
            })
            .collect();
        // Sentences by start, to find each fact's.
        let mut order: Vec<usize> = (0..k.sents.len()).collect();
        order.sort_by_key(|&i| k.sents[i].start);
        for f in facts {
            k.add_fact(&order, f);
        }
        k.index();
        k
    }

    /// Puts one fact into its sentence (or among the tables).
    fn add_fact(&mut self, order: &[usize], f: &crate::store::StoredFact) {
        if let Some(t) = f.body.table() {
            if let Some(t) = parse_table(t, f.start, f.end) {
                self.tables.push(t);
            }
            return;
        }
        let sents = &mut self.sents;
        let at = order.partition_point(|&i| sents[i].start <= f.start);
        let Some(&si) = at.checked_sub(1).and_then(|a| order.get(a)) else {
            return;
        };
        let s = &mut sents[si];
        if f.end > s.end {
            return;
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
                    return;
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
                if let (Some(a), Some(b)) = (e.date_start, e.date_end) {
                    self.events.push(EventRef {
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
    }

    /// Builds the inverted index over the sentences' features and the table rows' labels.
    fn index(&mut self) {
        let mut postings: FxMap<Key, Vec<u32>> = FxMap::default();
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
                self.entities.insert(m.entity_id.clone());
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
        postings.shrink_to_fit();
        self.postings = postings;
        let mut rows: FxMap<Key, Vec<(u32, u32)>> = FxMap::default();
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
}

/// Everything `ask` reads: the documents' parts in a row, their sentences and tables
/// numbered one after the other (a sentence's number is its document's first number plus
/// its position there), and the merged events.
#[derive(Debug, Default)]
pub struct Knowledge {
    docs: Vec<std::sync::Arc<DocKnowledge>>,
    /// Document → its first sentence number; one more entry holds the count.
    sent_base: Vec<u32>,
    /// Document → its first table number; one more entry holds the count.
    table_base: Vec<u32>,
    /// Document id → its position.
    doc_ix: HashMap<String, usize>,
    /// The statements merged into events across documents (`crate::history::merge`), with
    /// the historians' decisions applied (`crate::curation`).
    pub merged: Vec<crate::history::merge::Event>,
}

impl Knowledge {
    /// Puts the documents' parts in a row (in the order given) beside the merged events.
    pub fn new(
        docs: Vec<std::sync::Arc<DocKnowledge>>,
        merged: Vec<crate::history::merge::Event>,
    ) -> Knowledge {
        let base = |count: &dyn Fn(&DocKnowledge) -> usize| {
            let mut v = Vec::with_capacity(docs.len() + 1);
            let mut n = 0u32;
            v.push(0);
            for d in &docs {
                n += count(d) as u32;
                v.push(n);
            }
            v
        };
        let sent_base = base(&|d| d.sents.len());
        let table_base = base(&|d| d.tables.len());
        let doc_ix = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Knowledge {
            docs,
            sent_base,
            table_base,
            doc_ix,
            merged,
        }
    }

    /// How many sentences there are.
    pub fn sent_count(&self) -> usize {
        self.sent_base.last().copied().unwrap_or(0) as usize
    }

    /// The document (by position) of sentence `i`.
    pub fn doc_of(&self, i: usize) -> usize {
        self.sent_base.partition_point(|&b| b as usize <= i) - 1
    }

    /// Sentence `i`.
    pub fn sent(&self, i: usize) -> &Sent {
        let d = self.doc_of(i);
        &self.docs[d].sents[i - self.sent_base[d] as usize]
    }

    /// Sentence `i`, if there is one.
    pub fn get_sent(&self, i: usize) -> Option<&Sent> {
        (i < self.sent_count()).then(|| self.sent(i))
    }

    /// Every sentence with its number and document (by position), in order.
    pub fn sents(&self) -> impl Iterator<Item = (usize, usize, &Sent)> + '_ {
        self.docs.iter().enumerate().flat_map(move |(d, k)| {
            let base = self.sent_base[d] as usize;
            k.sents
                .iter()
                .enumerate()
                .map(move |(i, s)| (base + i, d, s))
        })
    }

    /// The id of document `d` (by position).
    pub fn doc_id(&self, d: usize) -> &str {
        &self.docs[d].id
    }

    /// Table `t` and its document (by position).
    pub fn table(&self, t: usize) -> (&Table, usize) {
        let d = self.table_base.partition_point(|&b| b as usize <= t) - 1;
        (&self.docs[d].tables[t - self.table_base[d] as usize], d)
    }

    /// An event statement by its document's id and its fact's id, with its sentence's
    /// number.
    pub fn event_ref(&self, doc: &str, fact: i64) -> Option<(usize, &EventRef)> {
        let &d = self.doc_ix.get(doc)?;
        let r = self.docs[d].events.iter().find(|r| r.fact == fact)?;
        Some((self.sent_base[d] as usize + r.sent, r))
    }

    /// The table rows whose label holds `key`: (table, row), in order.
    pub fn row_postings(&self, key: &Key) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (d, k) in self.docs.iter().enumerate() {
            if let Some(v) = k.row_postings.get(key) {
                let base = self.table_base[d];
                out.extend(v.iter().map(|&(t, r)| (base + t, r)));
            }
        }
        out
    }

    /// Whether document `doc` names entity `id` somewhere.
    pub fn doc_names(&self, doc: usize, id: &str) -> bool {
        self.docs[doc].entities.contains(id)
    }

    /// The sentences holding `key`, in order.
    pub fn postings(&self, key: &Key) -> Vec<u32> {
        let mut out = Vec::new();
        for (d, k) in self.docs.iter().enumerate() {
            if let Some(v) = k.postings.get(key) {
                let base = self.sent_base[d];
                out.extend(v.iter().map(|&i| base + i));
            }
        }
        out
    }

    /// Inverse document frequency of a feature held by `df` sentences.
    pub fn idf(&self, df: usize) -> f64 {
        let n = self.sent_count().max(1) as f64;
        (1.0 + n / (df as f64 + 1.0)).ln()
    }

    /// The exact text of a source range (the original bytes, decoded).
    pub fn source_text(&self, doc: usize, start: u64, end: u64) -> Option<String> {
        let s = self.docs.get(doc)?.source.as_ref()?;
        Some(crate::source::decode::decode_range(
            &s.bytes,
            s.encoding,
            start as usize..end as usize,
        ))
    }

    /// A citation of a source range: its exact text, and for a PDF or a scan its page and
    /// boxes.
    pub fn cite(
        &self,
        doc: usize,
        start: u64,
        end: u64,
        answer_span: Option<(u64, u64)>,
    ) -> Option<super::Citation> {
        let s = self.docs.get(doc)?.source.as_ref()?;
        Some(super::Citation {
            doc: self.doc_id(doc).to_string(),
            start,
            end,
            text: self.source_text(doc, start, end)?,
            answer_span,
            place: s
                .pages
                .as_ref()
                .and_then(|p| p.place(&*s.bytes, start as usize..end as usize)),
        })
    }

    /// Whether sentence `i` lies inside a table (its facts are the table's).
    pub fn in_table(&self, i: usize) -> bool {
        let s = self.sent(i);
        self.docs[self.doc_of(i)]
            .tables
            .iter()
            .any(|t| t.start < s.end && s.start < t.end && !t.rows.is_empty())
    }

    /// The sentence before `i` in the same paragraph.
    pub fn prev(&self, i: usize) -> Option<usize> {
        let p = i.checked_sub(1)?;
        (self.doc_of(p) == self.doc_of(i) && self.sent(p).paragraph == self.sent(i).paragraph)
            .then_some(p)
    }

    /// The lead-in of a list item: when `i` stands alone in its paragraph, the sentence
    /// ending in a colon that opens the list it belongs to (the items between it and `i`
    /// stand alone in their paragraphs too, at most [`LIST_ITEMS`] of them). "Aid by
    /// period:" governs "1965-1968: 517,393 tonnes".
    pub fn lead(&self, i: usize) -> Option<usize> {
        let d = self.doc_of(i);
        let base = self.sent_base[d] as usize;
        let sents = &self.docs[d].sents;
        let alone = |j: usize| {
            let p = sents[j].paragraph;
            let same = |k: usize| sents.get(k).is_some_and(|o| o.paragraph == p);
            !(same(j + 1) || (j > 0 && same(j - 1)))
        };
        let mut j = i - base;
        if !alone(j) {
            return None;
        }
        for _ in 0..=LIST_ITEMS {
            j = j.checked_sub(1)?;
            if sents[j].clean.trim_end().ends_with(':') {
                return Some(base + j);
            }
            if !alone(j) {
                return None;
            }
        }
        None
    }
}
