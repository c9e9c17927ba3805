//! CSL-JSON and BibTeX for the works the sources cite (found by [`super::bibliography`]).
//!
//! One item per work: the places that cite the same work are merged (the same document and
//! reference number, or the same authors, year and title), and every place is kept in the
//! item's `annals` extension field (`occurrences`: document, byte span, context, number,
//! cited pages). The item's own fields come from the best-read place (a reference-list
//! entry over an inline citation). An entry that could not be parsed keeps its raw text as
//! `title` with a `note`.

use super::bibliography::{Citation, Context, Entry, Name, RefType, find_in_snapshot};
use crate::snapshot::Snapshot;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// A cited work with every place that cites it.
#[derive(Debug, Clone)]
pub struct Work {
    /// CSL id and BibTeX key: first author's family name (or first word), year, and a
    /// letter when two works share them ("luu1998", "trungtam1985b").
    pub id: String,
    pub entry: Entry,
    /// In document order; the first is the one the fields were read from.
    pub citations: Vec<Citation>,
}

/// Cyrillic letters in Latin (for ids only).
fn translit(c: char) -> &'static str {
    const CYR: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
    const LAT: [&str; 33] = [
        "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
        "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    ];
    CYR.chars().position(|x| x == c).map_or("", |i| LAT[i])
}

fn fold_key(s: &str) -> String {
    let mut out = String::new();
    for c in crate::text::fold::fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase().map(translit).flat_map(str::chars));
        }
    }
    out
}

fn text_key(e: &Entry) -> Option<String> {
    let title = fold_key(e.title.as_deref()?);
    if title.is_empty() || !e.parsed {
        return None;
    }
    let names: Vec<String> = e
        .authors
        .iter()
        .chain(&e.editors)
        .map(|n| fold_key(&n.display()))
        .collect();
    Some(format!(
        "{}|{}|{}|{}",
        names.join(","),
        e.year.unwrap_or(0),
        title,
        fold_key(e.publisher.as_deref().unwrap_or(""))
    ))
}

fn rank(c: &Citation) -> (u8, usize) {
    let ctx = match c.context {
        Context::List => 0,
        Context::SourceNote => 1,
        Context::Inline => 2,
    };
    let e = &c.entry;
    let filled = [
        e.container.is_some(),
        e.publisher.is_some(),
        e.place.is_some(),
        e.page.is_some(),
        e.url.is_some(),
        e.genre.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    (ctx, usize::MAX - filled)
}

fn id_base(e: &Entry) -> String {
    let name = e.authors.first().or_else(|| e.editors.first());
    let word = match name {
        Some(Name {
            family: Some(f), ..
        }) => fold_key(f),
        Some(n) => n
            .display()
            .split_whitespace()
            .take(2)
            .map(fold_key)
            .collect::<String>(),
        None => e
            .container
            .as_deref()
            .or(e.publisher.as_deref())
            .or(e.title.as_deref())
            .unwrap_or("ref")
            .split_whitespace()
            .take(2)
            .map(fold_key)
            .collect(),
    };
    let mut word: String = word.to_lowercase().chars().take(24).collect();
    if word.is_empty() || word.starts_with(|c: char| c.is_ascii_digit()) {
        word = format!("ref{word}");
    }
    match e.year {
        Some(y) => format!("{word}{y}"),
        None => format!("{word}nd"),
    }
}

/// Groups citations into works and gives each an id.
pub fn works(citations: Vec<Citation>) -> Vec<Work> {
    let mut groups: Vec<Vec<Citation>> = Vec::new();
    let mut by_number: HashMap<(String, u32), usize> = HashMap::new();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for c in citations {
        let num_key = c.number.map(|n| (c.doc.clone(), n));
        let tkey = text_key(&c.entry);
        let hit = num_key
            .as_ref()
            .and_then(|k| by_number.get(k).copied())
            .or_else(|| tkey.as_ref().and_then(|k| by_text.get(k).copied()));
        let g = match hit {
            Some(g) => {
                groups[g].push(c);
                g
            }
            None => {
                groups.push(vec![c]);
                groups.len() - 1
            }
        };
        if let Some(k) = num_key {
            by_number.entry(k).or_insert(g);
        }
        if let Some(k) = tkey {
            by_text.entry(k).or_insert(g);
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    groups
        .into_iter()
        .map(|mut cs| {
            cs.sort_by_key(rank);
            let entry = cs[0].entry.clone();
            cs.sort_by(|a, b| (&a.doc, a.start).cmp(&(&b.doc, b.start)));
            let base = id_base(&entry);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 {
                base
            } else {
                // b, c, …, z, then numbers.
                let k = *n - 1;
                if k < 26 {
                    format!("{base}{}", (b'a' + k as u8) as char)
                } else {
                    format!("{base}-{}", *n)
                }
            };
            Work {
                id,
                entry,
                citations: cs,
            }
        })
        .collect()
}

/// The works cited by the documents of a snapshot.
pub fn works_in(snapshot: &Snapshot) -> Vec<Work> {
    works(find_in_snapshot(snapshot))
}

fn name_json(n: &Name) -> Value {
    serde_json::to_value(n).unwrap_or(Value::Null)
}

fn date_parts(y: i32, m: Option<u32>, d: Option<u32>) -> Value {
    let mut parts = vec![json!(y)];
    if let Some(m) = m {
        parts.push(json!(m));
        if let Some(d) = d {
            parts.push(json!(d));
        }
    }
    json!({ "date-parts": [parts] })
}

fn occurrence(c: &Citation) -> Value {
    json!({
        "doc": c.doc,
        "start": c.start,
        "end": c.end,
        "context": c.context.name(),
        "number": c.number,
        "locator": c.locator,
        "lang": c.lang.code(),
    })
}

/// One work as a CSL-JSON item.
pub fn csl_item(w: &Work) -> Value {
    let e = &w.entry;
    let mut m = Map::new();
    m.insert("id".into(), w.id.clone().into());
    m.insert("type".into(), e.ty.csl().into());
    if !e.authors.is_empty() {
        m.insert(
            "author".into(),
            Value::Array(e.authors.iter().map(name_json).collect()),
        );
    }
    if !e.editors.is_empty() {
        m.insert(
            "editor".into(),
            Value::Array(e.editors.iter().map(name_json).collect()),
        );
    }
    if let Some(y) = e.year {
        m.insert("issued".into(), date_parts(y, e.month, e.day));
    }
    let mut put = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(k.into(), v.clone().into());
        }
    };
    put("title", &e.title);
    put("container-title", &e.container);
    put("publisher", &e.publisher);
    put("publisher-place", &e.place);
    put("volume", &e.volume);
    put("issue", &e.issue);
    put("page", &e.page);
    put("URL", &e.url);
    put("genre", &e.genre);
    put("archive", &e.archive);
    put("archive_location", &e.archive_location);
    put("note", &e.note);
    if let Some((y, mo, d)) = e.accessed {
        m.insert("accessed".into(), date_parts(y, Some(mo), Some(d)));
    }
    let first = &w.citations[0];
    let lead = w.citations.iter().min_by_key(|c| rank(c)).unwrap_or(first);
    m.insert(
        "annals".into(),
        json!({
            "doc": lead.doc,
            "start": lead.start,
            "end": lead.end,
            "text": lead.text,
            "context": lead.context.name(),
            "number": lead.number,
            "parsed": e.parsed,
            "occurrences": w.citations.iter().map(occurrence).collect::<Vec<_>>(),
        }),
    );
    Value::Object(m)
}

/// The CSL-JSON items of the cited works.
pub fn csl_items(snapshot: &Snapshot) -> Vec<Value> {
    works_in(snapshot).iter().map(csl_item).collect()
}

/// The sources themselves as CSL-JSON items (all, or one document `doc`), each described as
/// it states itself; `annals` holds the document id, its hash and where each value was
/// read (byte ranges of the source).
pub fn source_items(snapshot: &Snapshot, doc: Option<&str>) -> Vec<Value> {
    use crate::source::meta::MetaKind;
    let mut out = Vec::new();
    for d in snapshot.docs() {
        if doc.is_some_and(|x| x != d.doc.id) {
            continue;
        }
        let Some(c) = snapshot.citation(&d.doc.id) else {
            continue;
        };
        let m = &c.machine;
        let meta = &c.meta;
        let ty = match meta.kind {
            Some(MetaKind::Article) => "article-journal",
            Some(MetaKind::Thesis) => "thesis",
            Some(MetaKind::Book) => "book",
            Some(MetaKind::Chapter) => "chapter",
            Some(MetaKind::Encyclopedia) => "entry-encyclopedia",
            Some(MetaKind::News) => "article-newspaper",
            Some(MetaKind::Web) => "webpage",
            None => "document",
        };
        let mut item = Map::new();
        item.insert("id".into(), d.doc.id.clone().into());
        item.insert("type".into(), ty.into());
        let title = meta.title.clone().or_else(|| d.doc.title.clone());
        if let Some(t) = title {
            item.insert("title".into(), t.into());
        }
        if !meta.authors.is_empty() {
            item.insert(
                "author".into(),
                Value::Array(meta.authors.iter().map(|a| json!({"literal": a})).collect()),
            );
        }
        if let Some(y) = meta.year {
            item.insert("issued".into(), date_parts(y, None, None));
        }
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                item.insert(k.into(), v.clone().into());
            }
        };
        put("container-title", &meta.venue);
        put("volume", &meta.volume);
        put("issue", &meta.issue);
        put("DOI", &meta.doi);
        put("URL", &meta.url);
        if let Some((a, e)) = meta.pages {
            item.insert("page".into(), format!("{a}-{e}").into());
        }
        item.insert("language".into(), d.doc.lang.clone().into());
        item.insert(
            "annals".into(),
            json!({
                "doc": d.doc.id,
                "sha256": d.doc.sha256,
                "evidence": m.source_evidence.iter().map(|(f, a, e)| json!({"field": f, "start": a, "end": e})).collect::<Vec<_>>(),
                "corrected": c.edits,
            }),
        );
        out.push(Value::Object(item));
    }
    out
}

/// Writes the sources (all, or `doc`) as one CSL-JSON array. Returns the number of items.
pub fn write_sources_csl(
    snapshot: &Snapshot,
    doc: Option<&str>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let items = source_items(snapshot, doc);
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)?;
    Ok(items.len())
}

/// Writes the cited works as one CSL-JSON array (pretty-printed). Returns the number of
/// items.
pub fn write_csl(snapshot: &Snapshot, out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    let items = csl_items(snapshot);
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)?;
    Ok(items.len())
}

/// Escapes text for a braced BibTeX field.
pub fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '&' => out.push_str("\\&"),
            '%' => out.push_str("\\%"),
            '$' => out.push_str("\\$"),
            '#' => out.push_str("\\#"),
            '_' => out.push_str("\\_"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn bib_name(n: &Name) -> String {
    match (&n.literal, &n.family, &n.given) {
        (Some(l), _, _) => format!("{{{}}}", bibtex_escape(l)),
        (None, Some(f), Some(g)) => format!("{}, {}", bibtex_escape(f), bibtex_escape(g)),
        (None, Some(f), None) => bibtex_escape(f),
        (None, None, Some(g)) => format!("{{{}}}", bibtex_escape(g)),
        (None, None, None) => String::new(),
    }
}

/// One work as a BibTeX entry, preceded by a `%` comment giving its place in the sources.
pub fn bibtex_entry(w: &Work) -> String {
    let e = &w.entry;
    let genre = crate::text::fold::fold(e.genre.as_deref().unwrap_or(""));
    let kind = match e.ty {
        RefType::Book => "book",
        RefType::Chapter => "incollection",
        RefType::ArticleJournal | RefType::ArticleNewspaper => "article",
        RefType::Thesis
            if genre.contains("luan van")
                || genre.contains("master")
                || genre.contains("thac si") =>
        {
            "mastersthesis"
        }
        RefType::Thesis => "phdthesis",
        RefType::Report if e.publisher.is_some() => "techreport",
        _ => "misc",
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    let names = |ns: &[Name]| ns.iter().map(bib_name).collect::<Vec<_>>().join(" and ");
    if !e.authors.is_empty() {
        fields.push(("author", names(&e.authors)));
    }
    if !e.editors.is_empty() {
        fields.push(("editor", names(&e.editors)));
    }
    if let Some(t) = &e.title {
        // Double braces keep the title's capitalisation (many titles are not English).
        fields.push(("title", format!("{{{}}}", bibtex_escape(t))));
    }
    if let Some(c) = &e.container {
        let k = if e.ty == RefType::Chapter {
            "booktitle"
        } else {
            "journal"
        };
        fields.push((k, bibtex_escape(c)));
    }
    if let Some(y) = e.year {
        fields.push(("year", y.to_string()));
    }
    if let Some(m) = e.month {
        fields.push(("month", m.to_string()));
    }
    if let Some(p) = &e.publisher {
        let k = match kind {
            "phdthesis" | "mastersthesis" => "school",
            "techreport" => "institution",
            _ => "publisher",
        };
        fields.push((k, bibtex_escape(p)));
    }
    if let Some(p) = &e.place {
        fields.push(("address", bibtex_escape(p)));
    }
    if let Some(v) = &e.volume {
        fields.push(("volume", bibtex_escape(v)));
    }
    if let Some(i) = &e.issue {
        fields.push(("number", bibtex_escape(i)));
    }
    if let Some(p) = &e.page {
        fields.push(("pages", bibtex_escape(&p.replace(['-', '–'], "--"))));
    }
    if let Some(g) = &e.genre {
        fields.push(("type", bibtex_escape(g)));
    }
    if let Some(u) = &e.url {
        fields.push(("url", bibtex_escape(u)));
    }
    if let Some((y, m, d)) = e.accessed {
        fields.push(("urldate", format!("{y:04}-{m:02}-{d:02}")));
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(a) = &e.archive {
        notes.push(a.clone());
    }
    if let Some(a) = &e.archive_location {
        notes.push(a.clone());
    }
    if let Some(n) = &e.note {
        notes.push(n.clone());
    }
    if !notes.is_empty() {
        fields.push(("note", bibtex_escape(&notes.join("; "))));
    }
    let places: Vec<String> = w
        .citations
        .iter()
        .map(|c| {
            format!(
                "{} bytes {}-{} ({}{})",
                c.doc.replace(['@', '\n', '\r'], "_"),
                c.start,
                c.end,
                c.context.name(),
                c.number.map(|n| format!(" [{n}]")).unwrap_or_default()
            )
        })
        .collect();
    let mut s = format!("% annals: {}\n@{kind}{{{},\n", places.join("; "), w.id);
    for (k, v) in &fields {
        s.push_str(&format!("  {k} = {{{v}}},\n"));
    }
    s.push_str("}\n");
    s
}

/// Writes the cited works as BibTeX. Returns the number of entries.
pub fn write_bibtex(snapshot: &Snapshot, out: &mut dyn std::io::Write) -> anyhow::Result<usize> {
    let ws = works_in(snapshot);
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", bibtex_entry(w))?;
    }
    Ok(ws.len())
}
