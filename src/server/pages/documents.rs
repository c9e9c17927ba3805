//! `/documents` (the stored sources) and `/documents/{id}` (the reader: the source text with
//! its extracted facts highlighted, a legend with toggles, and the curation panel).
//!
//! The text is rendered by walking the facts' byte offsets over the original bytes
//! ([`super::reader`]), so a UTF-16 or legacy-encoded file shows exactly the bytes its facts
//! point at. `?at=START&end=END` marks a span (`#target`) and the browser scrolls to it.

use super::curation::fact_form;
use super::layout::{Nav, page};
use super::reader::{Mark, render};
use super::{PageError, PageResult, esc, lang_badge, pager, url_enc};
use crate::fact::FactBody;
use crate::server::state::AppState;
use crate::store::StoredFact;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    pub offset: Option<usize>,
    pub limit: Option<usize>,
}

pub async fn list(
    State(st): State<Arc<AppState>>,
    q: Result<Query<ListParams>, QueryRejection>,
) -> PageResult {
    let Query(p) = q?;
    let (offset, limit) = super::window(p.offset, p.limit, 50)?;
    let v = st.view();
    let mut b = format!(
        "<h1>{}</h1><p class=\"lead\"><span class=\"count-total\">{}</span> {}</p>{}",
        esc(super::ui::t("documents_title")),
        v.documents.len(),
        esc(super::ui::count_label("lead_documents", v.documents.len())),
        super::downloads(&[
            ("CSV", "/api/export?format=csv&kind=documents".to_string()),
            (
                super::ui::t("dl_references"),
                "/api/export?format=csl".to_string()
            ),
            ("BibTeX", "/api/export?format=bibtex".to_string()),
        ])
    );
    {
        let t = super::ui::t;
        let _ = write!(
            b,
            "<table id=\"documents\" class=\"list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            esc(t("th_document")),
            esc(t("th_language")),
            esc(t("th_encoding")),
            esc(t("th_format")),
            esc(t("th_size")),
            esc(t("th_sentences")),
            esc(t("th_facts")),
        );
    }
    for d in v.documents.iter().skip(offset).take(limit) {
        let _ = write!(
            b,
            "<tr class=\"document-row\" data-id=\"{id}\"><td><a href=\"/documents/{href}\">{name}</a>{byline}<div class=\"doc-file\">{id}</div>{aliases}</td>\
             <td>{lang}</td><td>{enc}</td><td>{fmt}</td><td class=\"num\">{kb}</td><td class=\"num\">{sents}</td><td class=\"num\">{facts}</td></tr>",
            id = esc(&d.id),
            href = url_enc(&d.id),
            name = esc(&super::source_name(&v, &d.id)),
            byline = v
                .citation(&d.id)
                .map(|c| {
                    let m = &c.meta;
                    let mut parts: Vec<String> = Vec::new();
                    if !m.authors.is_empty() {
                        parts.push(m.authors.join("; "));
                    }
                    if let Some(y) = m.year {
                        parts.push(y.to_string());
                    }
                    if let Some(ven) = &m.venue {
                        parts.push(ven.clone());
                    }
                    if parts.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "<div class=\"doc-byline\">{}</div>",
                            esc(&parts.join(" · "))
                        )
                    }
                })
                .unwrap_or_default(),
            aliases = if d.aliases.is_empty() {
                String::new()
            } else {
                format!(
                    "<div class=\"aliases\">{} {}</div>",
                    esc(super::ui::t("also_as")),
                    esc(&d.aliases.join(", "))
                )
            },
            lang = lang_badge(&d.lang),
            enc = esc(&d.encoding),
            fmt = esc(&d.format),
            kb = size(d.bytes),
            sents = d.sentences,
            facts = d.facts,
        );
    }
    b.push_str("</tbody></table>");
    if v.documents.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_documents")).replace("{cmd}", "<code>annals ingest PATH</code>")
        );
    }
    b.push_str(&pager(
        "/documents",
        offset,
        limit,
        v.documents.len(),
        false,
    ));
    Ok(page("Documents", Nav::Documents, "page-documents", &b))
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ReaderParams {
    /// Byte offset of the span to show.
    pub at: Option<usize>,
    /// Its end.
    pub end: Option<usize>,
    /// The part of a long document (parts of [`PART_BYTES`]).
    pub part: Option<usize>,
    /// The page shown beside the text of a PDF or a scan (default: the target's, or 1).
    pub page: Option<u32>,
    /// "original": the source as its bytes lay it out (line breaks, running heads); default
    /// the repaired text (paragraphs and headings).
    pub layout: Option<String>,
    /// The kinds of fact highlighted at first, separated by commas (timex, duration,
    /// quantity, mention, event); default none. The legend turns the others on.
    pub show: Option<String>,
}

/// Documents longer than this are shown in parts.
pub const PART_BYTES: usize = 1 << 20;

/// The kinds the reader highlights, with their legend names.
pub const KINDS: [(&str, &str); 5] = [
    ("event", "event statements"),
    ("mention", "names (entities)"),
    ("timex", "dates"),
    ("duration", "durations"),
    ("quantity", "quantities"),
];

fn s<'a>(r: &'a Value, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or("")
}

/// The machine's value of a curated fact, for display.
fn machine_display(kind: &str, m: &Value) -> String {
    match kind {
        "timex" => super::date_range(s(m, "value_start"), s(m, "value_end")),
        "event" => super::date_range(s(m, "date_start"), s(m, "date_end")),
        "mention" => s(m, "entity_id").to_string(),
        _ => m
            .as_object()
            .map(|o| {
                o.values()
                    .map(super::json_text)
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default(),
    }
}

/// The mark of one stored fact; `events` sends an event statement's fact id to its merged
/// event.
pub fn fact_mark(f: &StoredFact, events: &HashMap<i64, (String, String)>) -> Mark {
    let r = &f.record;
    let kind = if f.kind == "event_statement" {
        "event"
    } else {
        f.kind.as_str()
    };
    let iso = |p: Option<crate::fact::Point>| p.map(|p| p.iso()).unwrap_or_default();
    let (title, href, value) = match &f.body {
        FactBody::EventStatement(e) => {
            let date = super::date_range(&iso(e.date_start), &iso(e.date_end));
            match events.get(&f.id) {
                Some((id, summary)) => (
                    format!("{} {summary}", super::ui::t("tip_event")),
                    Some(format!("/events/{}", url_enc(id))),
                    date,
                ),
                None => (
                    format!(
                        "{} {}",
                        super::ui::t(if e.polarity == "negative" {
                            "tip_unmerged_negated"
                        } else if e.date_start.is_none() {
                            "tip_unmerged_undated"
                        } else {
                            "tip_unmerged_carried"
                        }),
                        e.summary
                    ),
                    None,
                    date,
                ),
            }
        }
        FactBody::Mention(x) => {
            let matched = x.matched.as_str();
            (
                format!(
                    "{} ({}){}",
                    x.entity,
                    super::entities::entity_type_label(&x.entity_type),
                    if matched.is_empty() || matched == "exact" {
                        String::new()
                    } else {
                        format!(
                            ", {}",
                            super::ui::try_t(&format!("matched_{matched}")).unwrap_or(matched)
                        )
                    }
                ),
                (!x.entity_id.is_empty()).then(|| format!("/entities/{}", url_enc(&x.entity_id))),
                x.entity.clone(),
            )
        }
        FactBody::Timex(t) => {
            let d = super::date_range(&iso(t.value_start), &iso(t.value_end));
            (format!("{} {d}", super::ui::t("tip_date")), None, d)
        }
        FactBody::Duration(t) => {
            let d = t.duration.clone().unwrap_or_default();
            (format!("{} {d}", super::ui::t("tip_duration")), None, d)
        }
        FactBody::Quantity(q) => {
            let v = format!("{} {}", crate::fact::number_text(q.value), q.unit);
            let measure = q.measure.as_deref().unwrap_or("");
            (
                format!(
                    "{} {v}{}",
                    super::ui::t("tip_quantity"),
                    if measure.is_empty() {
                        String::new()
                    } else {
                        format!(" ({measure})")
                    }
                ),
                None,
                v,
            )
        }
        _ => (f.kind.clone(), None, String::new()),
    };
    let mut m = Mark::span(
        f.start as usize,
        f.end as usize,
        format!("fact fact-{kind}"),
    )
    .with_id(format!("f-{}", f.id))
    .focusable()
    .with_attr("data-kind", kind)
    .with_attr("data-fact", f.id.to_string())
    .with_attr("data-start", f.start.to_string())
    .with_attr("data-end", f.end.to_string())
    .with_attr("data-value", value)
    .with_attr("title", title);
    if let Some(h) = href {
        m = m.with_attr("data-href", h);
    }
    if let Some(c) = r.get("curation").filter(|c| c.is_object()) {
        let status = c.get("status").and_then(Value::as_str).unwrap_or("curated");
        m.class.push_str(" is-curated cur-");
        m.class
            .push_str(&status.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
        m = m.with_attr(
            "data-curation",
            format!(
                "{} {} {} — {}",
                super::ui::try_t(&format!("status_{status}")).unwrap_or(status),
                super::ui::t("by"),
                s(c, "by"),
                s(c, "reason")
            ),
        );
        let machine = machine_display(kind, &c["machine"]);
        if !machine.is_empty() {
            m = m.with_attr("data-machine", machine);
        }
    }
    m
}

pub async fn reader(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    q: Result<Query<ReaderParams>, QueryRejection>,
) -> PageResult {
    let Query(p) = q?;
    if let (Some(a), Some(e)) = (p.at, p.end)
        && e < a
    {
        return Err(PageError::bad_request(format!(
            "end ({e}) is before at ({a})"
        )));
    }
    // The query runs on a blocking thread, outside the request's task: it renders labels
    // in the request's language.
    let lang = super::ui::lang();
    let (doc, bytes, facts, events, pages, blocks, tables, cite, title) = st
        .query(move |v, _| {
            super::ui::with_lang(lang, || {
                let d = v.document(&id).cloned().ok_or_else(|| {
                    crate::server::error::ApiError::not_found(format!(
                        "no document has the id {id:?}"
                    ))
                })?;
                let data = v.doc(&id).ok_or_else(|| {
                    crate::server::error::ApiError::not_found(format!(
                        "the source of {id:?} is missing"
                    ))
                })?;
                let bytes = data.bytes.clone();
                // The facts as curated (the snapshot applied the decisions once).
                let facts: Vec<crate::store::StoredFact> = v
                    .facts_of(&d.id)
                    .filter(|c| c.fact.kind != "table")
                    .map(|c| c.fact.clone())
                    .collect();
                let mut events: HashMap<i64, (String, String)> = HashMap::new();
                for e in v.history.events.iter().chain(&v.history.rejected) {
                    for s in &e.statements {
                        if s.evidence.doc == d.id {
                            events.insert(s.fact, (e.id.clone(), super::timeline::event_title(e)));
                        }
                    }
                }
                // Its tables, drawn as tables in the repaired text; a cell that a series reads
                // links to that series.
                let mut cell_series: HashMap<usize, String> = HashMap::new();
                for s in &v.history.series {
                    for p in &s.points {
                        for val in &p.values {
                            for src in &val.sources {
                                if src.span.doc == d.id
                                    && src.origin == crate::history::series::Origin::Table
                                {
                                    cell_series
                                        .entry(src.span.start)
                                        .or_insert_with(|| s.key.clone());
                                }
                            }
                        }
                    }
                }
                let tables: Vec<(std::ops::Range<usize>, String)> = v
                    .facts_of(&d.id)
                    .filter(|c| c.status != Some(crate::curation::Status::Rejected))
                    .filter_map(|c| {
                        let t = c.fact.body.table()?;
                        Some((
                            c.fact.start as usize..c.fact.end as usize,
                            table_html(&d.id, &data.bytes, d.encoding(), t, &cell_series),
                        ))
                    })
                    .collect();
                let cite = v
                    .citation(&d.id)
                    .map(|c| cite_html(&d.id, &c))
                    .unwrap_or_default();
                let title = v.source_title(&d.id);
                Ok((
                    d,
                    bytes,
                    facts,
                    events,
                    data.pages.clone(),
                    data.blocks(),
                    tables,
                    cite,
                    title,
                ))
            })
        })
        .await
        .map_err(PageError::from)?;
    let enc = doc.encoding();
    let parts = bytes.len().div_ceil(PART_BYTES).max(1);
    let part = match (p.part, p.at) {
        (Some(n), _) if n >= parts => {
            return Err(PageError::bad_request(format!(
                "part {n} does not exist: the document has {parts} part{}",
                if parts == 1 { "" } else { "s" }
            )));
        }
        (Some(n), _) => n,
        (None, Some(a)) => (a / PART_BYTES).min(parts - 1),
        (None, None) => 0,
    };
    let window = part * PART_BYTES..((part + 1) * PART_BYTES).min(bytes.len());
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut marks: Vec<Mark> = Vec::with_capacity(facts.len() + 1);
    for f in &facts {
        let m = fact_mark(f, &events);
        let kind = if f.kind == "event_statement" {
            "event"
        } else {
            f.kind.as_str()
        };
        *counts.entry(kind).or_default() += 1;
        marks.push(m);
    }
    if let Some(a) = p.at {
        if a > bytes.len() {
            return Err(PageError::bad_request(format!(
                "at ({a}) is beyond the end of the document ({} bytes)",
                bytes.len()
            )));
        }
        let e = p.end.unwrap_or(a).min(bytes.len());
        marks.push(
            Mark::marked(a, e, "target")
                .with_id("target")
                .with_attr("title", format!("bytes {a}–{e}")),
        );
    }
    let original = p.layout.as_deref() == Some("original") || blocks.blocks.is_empty();
    let text = if original {
        render(&bytes, enc, window.clone(), &marks)
    } else {
        render_blocks(&bytes, enc, window.clone(), &marks, &blocks.blocks, &tables)
    };
    let mut b = format!(
        "<article id=\"document\" data-id=\"{}\"><p class=\"crumbs\"><a href=\"/documents\">{}</a> ›</p><h1>{}</h1>{cite}",
        esc(&doc.id),
        esc(super::ui::t("documents_title")),
        esc(title.as_deref().unwrap_or(&doc.id))
    );
    let _ = write!(
        b,
        "<p class=\"meta\">{} <span class=\"doc-name\">{}</span> · {} · {} · {} · {} · {} · {} {}{} · <a href=\"/api/documents/{}/text\">{}</a> · <a href=\"/search?doc={}\">{}</a> · <a class=\"download\" href=\"/api/export?format=csv&amp;kind=facts&amp;doc={}\" download>{}</a></p>",
        lang_badge(&doc.lang),
        esc(&doc.id),
        esc(&doc.encoding),
        esc(&doc.format),
        size(doc.bytes),
        esc(&super::ui::count("n_sentences", doc.sentences as usize)),
        esc(&super::ui::count("n_facts", doc.facts as usize)),
        esc(super::ui::t("ingested")),
        esc(&super::ui::readable_time(&doc.ingested_at)),
        if doc.aliases.is_empty() {
            String::new()
        } else {
            format!(
                " · {} {}",
                esc(super::ui::t("also_as")),
                esc(&doc.aliases.join(", "))
            )
        },
        url_enc(&doc.id),
        esc(super::ui::t("plain_text")),
        url_enc(&doc.id),
        esc(super::ui::t("search_in_it")),
        url_enc(&doc.id),
        esc(super::ui::t("facts_as_csv")),
    );
    if let Some(a) = p.at {
        let _ = write!(
            b,
            "<p class=\"target-note\">{} <a href=\"#target\">{a}–{}</a>.</p>",
            esc(super::ui::t("showing_bytes")),
            p.end.unwrap_or(a)
        );
    }
    // The page beside the text, for a PDF or a scan.
    let page_view = match &pages {
        Some(map) => Some(page_view(&doc.id, &bytes, map, &facts, &p)?),
        None => None,
    };
    // Legend and toggles.
    match &page_view {
        Some(view) => {
            b.push_str("<div class=\"reader paged\">");
            b.push_str(view);
            b.push_str("<div class=\"reader-text\"><div id=\"legend\" class=\"legend\">");
        }
        None => b.push_str(
            "<div class=\"reader\"><div class=\"reader-text\"><div id=\"legend\" class=\"legend\">",
        ),
    }
    let shown: Vec<&str> = p
        .show
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    let _ = write!(
        b,
        "<span class=\"legend-title\">{}</span>",
        esc(super::ui::t("highlight"))
    );
    for (kind, _) in KINDS {
        let name = esc(super::ui::t(&format!("layer_{kind}")));
        let n = counts.get(kind).copied().unwrap_or(0);
        let _ = write!(
            b,
            "<label class=\"legend-item key-{kind}\"><input type=\"checkbox\" class=\"toggle\" data-kind=\"{kind}\"{}> <span class=\"swatch fact-{kind}\"></span> {name} <span class=\"count\">{n}</span></label>",
            if shown.contains(&kind) {
                " checked"
            } else {
                ""
            }
        );
    }
    // The other layout, one click away (the target and the layers kept).
    {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(a) = p.at {
            pairs.push(("at", a.to_string()));
        }
        if let Some(e) = p.end {
            pairs.push(("end", e.to_string()));
        }
        if let Some(n) = p.part {
            pairs.push(("part", n.to_string()));
        }
        if let Some(s) = &p.show {
            pairs.push(("show", s.clone()));
        }
        if !original {
            pairs.push(("layout", "original".into()));
        }
        let _ = write!(
            b,
            "<a class=\"layout-switch\" href=\"/documents/{}{}{}\">{}</a>",
            url_enc(&doc.id),
            esc(&super::query_string(&pairs)),
            if p.at.is_some() { "#target" } else { "" },
            esc(super::ui::t(if original {
                "show_repaired"
            } else {
                "show_original"
            }))
        );
    }
    let _ = write!(
        b,
        "<label class=\"legend-item curate\"><input type=\"checkbox\" id=\"curate-mode\"> {}</label></div>",
        esc(super::ui::t("curate_mode"))
    );
    if parts > 1 {
        b.push_str(&part_nav(&doc.id, part, parts));
    }
    if !original {
        b.push_str(&contents(&doc.id, &bytes, enc, &blocks.blocks, parts));
    }
    let _ = write!(
        b,
        "<div id=\"source-text\" class=\"source-text{}\" lang=\"{}\">{text}</div>",
        if original { " original" } else { " repaired" },
        esc(&doc.lang)
    );
    if parts > 1 {
        b.push_str(&part_nav(&doc.id, part, parts));
    }
    let _ = write!(
        b,
        "</div><aside id=\"fact-panel\" class=\"fact-panel\"><h2>{}</h2><div id=\"fact-detail\" class=\"hint\">{}</div>",
        esc(super::ui::t("fact_heading")),
        esc(super::ui::t("fact_hint"))
    );
    b.push_str(&fact_form());
    b.push_str("</aside></div></article>");
    Ok(page(
        title.as_deref().unwrap_or(&doc.id),
        Nav::Documents,
        "page-document",
        &b,
    ))
}

/// The page image of a PDF or a scan with the boxes of its facts: each box links to its
/// passage in the text; the target's boxes stand out. Boxes are placed in percentages of the
/// page, so the image scales with the column and needs no script.
fn page_view(
    id: &str,
    bytes: &[u8],
    map: &crate::source::pages::PageMap,
    facts: &[crate::store::StoredFact],
    p: &ReaderParams,
) -> Result<String, PageError> {
    let pages = map.pages.len() as u32;
    let target = p.at.and_then(|a| {
        let end = p.end.unwrap_or(a).max(a + 1).min(bytes.len());
        map.place(bytes, a..end)
    });
    let n = match p.page {
        Some(n) if n == 0 || n > pages => {
            return Err(PageError::bad_request(format!(
                "page {n} does not exist: the document has {pages} pages"
            )));
        }
        Some(n) => n,
        None => target.as_ref().map_or(1, |t| t.page),
    };
    let info = &map.pages[n as usize - 1];
    let (w, h) = (info.width.max(1.0), info.height.max(1.0));
    let pct = |r: &crate::span::Rect| {
        let [x0, y0, x1, y1] = r.units();
        format!(
            "left:{:.3}%;top:{:.3}%;width:{:.3}%;height:{:.3}%",
            x0 / w * 100.0,
            y0 / h * 100.0,
            (x1 - x0) / w * 100.0,
            (y1 - y0) / h * 100.0
        )
    };
    let mut s = format!(
        "<section id=\"page-view\" class=\"page-view\" data-page=\"{n}\"><nav class=\"pager pages\">"
    );
    let link = |k: u32, label: &str| {
        format!(
            "<a href=\"/documents/{}?page={k}\" rel=\"{}\">{label}</a> ",
            url_enc(id),
            if k < n { "prev" } else { "next" }
        )
    };
    if n > 1 {
        s.push_str(&link(n - 1, &format!("‹ {}", super::ui::t("previous"))));
    }
    let page_of = super::ui::tf(
        "page_of",
        &[("n", &n.to_string()), ("pages", &pages.to_string())],
    );
    let _ = write!(s, "<span>{}</span> ", esc(&page_of));
    if n < pages {
        s.push_str(&link(n + 1, &format!("{} ›", super::ui::t("next"))));
    }
    s.push_str("</nav>");
    let _ = write!(
        s,
        "<div class=\"page\" style=\"aspect-ratio:{w:.2}/{h:.2}\"><img src=\"/api/documents/{}/pages/{n}\" alt=\"{} — {}\">",
        url_enc(id),
        esc(&page_of),
        esc(id)
    );
    for f in facts {
        // Names, dates and figures: an event statement's box is its whole sentence, which
        // would cover the page.
        let kind = match f.kind.as_str() {
            k @ ("mention" | "timex" | "duration" | "quantity") => k,
            _ => continue,
        };
        let Some(place) = f.place().filter(|pl| pl.page == n) else {
            continue;
        };
        for r in &place.boxes {
            let _ = write!(
                s,
                "<a class=\"box fact-{kind}\" data-kind=\"{kind}\" style=\"{}\" href=\"/documents/{}?at={}&amp;end={}#target\" title=\"{}\"></a>",
                pct(r),
                url_enc(id),
                f.start,
                f.end,
                esc(f.text())
            );
        }
    }
    if let Some(t) = target.as_ref().filter(|t| t.page == n) {
        for r in &t.boxes {
            let _ = write!(s, "<div class=\"box target\" style=\"{}\"></div>", pct(r));
        }
    }
    s.push_str("</div>");
    let how = esc(super::ui::t(if info.ocr {
        "page_ocr"
    } else {
        "page_text_layer"
    }));
    let note = info
        .note
        .as_deref()
        .map(|n| format!(" · {}", esc(n)))
        .unwrap_or_default();
    let _ = write!(
        s,
        "<p class=\"page-note\">{how}{note} · {} {}</p></section>",
        esc(super::ui::t("boxes_in")),
        map.kind.unit()
    );
    Ok(s)
}

/// The repaired text of `bytes[window]`: each paragraph the layout repair found, as a
/// heading, a list item or running text (its line breaks joined by the browser), with the
/// marks inside it. What lies between paragraphs (running heads, page numbers) is left out;
/// the original layout shows it.
pub fn render_blocks(
    bytes: &[u8],
    enc: crate::source::decode::Encoding,
    window: std::ops::Range<usize>,
    marks: &[Mark],
    blocks: &[crate::snapshot::Block],
    tables: &[(std::ops::Range<usize>, String)],
) -> String {
    // Marks by start, to take those of each block without scanning them all.
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by_key(|&i| marks[i].start);
    let longest = marks
        .iter()
        .map(|m| m.end.saturating_sub(m.start))
        .max()
        .unwrap_or(0);
    let mut out = String::with_capacity(window.len() * 2);
    let mut drawn = vec![false; tables.len()];
    for (i, bl) in blocks.iter().enumerate() {
        if bl.src.end <= window.start || bl.src.start >= window.end {
            continue;
        }
        // A paragraph inside a table the extractor read: the table, drawn once.
        if let Some(k) = tables
            .iter()
            .position(|(r, _)| r.start <= bl.src.start && bl.src.start < r.end)
        {
            if !drawn[k] {
                drawn[k] = true;
                out.push_str(&tables[k].1);
            }
            continue;
        }
        let (a, e) = (bl.src.start.max(window.start), bl.src.end.min(window.end));
        let from = order.partition_point(|&k| marks[k].start < a.saturating_sub(longest));
        let to = order.partition_point(|&k| marks[k].start <= e);
        let mine: Vec<Mark> = order[from..to]
            .iter()
            .map(|&k| &marks[k])
            .filter(|m| m.end >= a && m.start <= e)
            .map(|m| {
                let mut m = m.clone();
                // Begun in an earlier paragraph: its id and Tab stop are there.
                if m.start < a {
                    m.id = None;
                    m.focusable = false;
                }
                m
            })
            .collect();
        let inner = render(bytes, enc, a..e, &mine);
        let _ = match bl.kind {
            crate::text::layout::BlockKind::Heading => {
                write!(out, "<h2 class=\"block heading\" id=\"h-{i}\">{inner}</h2>")
            }
            crate::text::layout::BlockKind::Item => {
                write!(out, "<p class=\"block item\">{inner}</p>")
            }
            crate::text::layout::BlockKind::Body => write!(out, "<p class=\"block\">{inner}</p>"),
        };
    }
    out
}

/// How to cite a source, as it states itself: authors, year, title, venue, volume, issue,
/// pages, DOI and URL, each linked to the passage it was read from; with its CSL-JSON.
/// Empty when the source states none of these.
pub fn cite_html(doc: &str, c: &crate::snapshot::Citation) -> String {
    use crate::source::meta::MetaField;
    let meta = &c.meta;
    let edited = |field: &str| c.edits.get(field);
    // A value: corrected by a historian (who, when, why and the machine's value in its
    // tooltip), else linked to the n-th place the source states it.
    let linked = |field: MetaField, name: &str, n: usize, text: &str| -> String {
        if let Some(e) = edited(name) {
            return format!(
                "<span class=\"meta-curated\" data-field=\"{name}\" title=\"{}\">{}</span>",
                esc(&super::ui::tf(
                    "corrected_by",
                    &[
                        ("who", &e.by),
                        ("when", &super::ui::readable_time(&e.at)),
                        ("n", &e.audit_id.to_string()),
                        ("why", &e.reason),
                        ("machine", &super::json_text(&e.machine)),
                    ]
                )),
                esc(text)
            );
        }
        match c
            .machine
            .source_evidence
            .iter()
            .filter(|(f, _, _)| *f == field)
            .nth(n)
        {
            Some(&(_, a, e)) => format!(
                "<a class=\"meta-evidence\" data-field=\"{name}\" href=\"{}\" title=\"{}\">{}</a>",
                esc(&super::reader_href(doc, a as u64, e as u64)),
                esc(super::ui::t("read_from_here")),
                esc(text)
            ),
            None => esc(text),
        }
    };
    let mut parts: Vec<String> = Vec::new();
    if !meta.authors.is_empty() {
        let names: Vec<String> = meta
            .authors
            .iter()
            .enumerate()
            .map(|(i, a)| linked(MetaField::Author, "authors", i, a))
            .collect();
        parts.push(names.join("; "));
    }
    if let Some(y) = meta.year {
        parts.push(format!(
            "({})",
            linked(MetaField::Year, "year", 0, &y.to_string())
        ));
    }
    if let Some(t) = &meta.title {
        parts.push(format!(
            "<cite>{}</cite>.",
            linked(MetaField::Title, "title", 0, t)
        ));
    }
    let mut venue = String::new();
    if let Some(v) = &meta.venue {
        venue.push_str(&linked(MetaField::Venue, "venue", 0, v));
    }
    if let Some(v) = &meta.volume {
        let _ = write!(
            venue,
            ", {} {}",
            esc(super::ui::t("cite_volume")),
            linked(MetaField::Volume, "volume", 0, v)
        );
    }
    if let Some(i) = &meta.issue {
        let _ = write!(
            venue,
            ", {} {}",
            esc(super::ui::t("cite_issue")),
            linked(MetaField::Issue, "issue", 0, i)
        );
    }
    if let Some((a, e)) = meta.pages {
        let p = if a == e {
            format!("{} {a}", super::ui::t("cite_page"))
        } else {
            format!("{} {a}–{e}", super::ui::t("cite_pages"))
        };
        let _ = write!(venue, ", {}", linked(MetaField::Pages, "pages", 0, &p));
    }
    if !venue.is_empty() {
        parts.push(format!("{venue}."));
    }
    if let Some(d) = &meta.doi {
        parts.push(format!("DOI {}", linked(MetaField::Doi, "doi", 0, d)));
    }
    if let Some(u) = &meta.url {
        parts.push(linked(MetaField::Url, "url", 0, u));
    }
    let cite = if parts.is_empty() {
        format!(
            "<span class=\"none\">{}</span>",
            esc(super::ui::t("no_citation"))
        )
    } else {
        parts.join(" ")
    };
    let mut options = String::new();
    for f in crate::curation::value::SOURCE_FIELDS {
        let _ = write!(
            options,
            "<option value=\"{f}\">{}</option>",
            esc(super::ui::try_t(&format!("meta_{f}")).unwrap_or(f))
        );
    }
    format!(
        "<section id=\"source-meta\" class=\"source-meta\"><p class=\"cite\">{}{cite}</p><p class=\"hint\">{} <a class=\"download\" href=\"/api/export?format=csl-sources&amp;doc={}\" download>CSL-JSON</a></p>\
         <details class=\"cite-edit\"><summary>{}</summary>\
         <form class=\"cite-form box\" data-doc=\"{}\"><div class=\"row\">\
         <label>{} <select name=\"field\">{options}</select></label>\
         <label class=\"grow\">{} <input name=\"value\" placeholder=\"{}\"></label></div>\
         <div class=\"row\"><label class=\"grow\">{} <input name=\"reason\" required placeholder=\"{}\"></label>\
         <label>{} <input name=\"who\" autocomplete=\"name\"></label>\
         <label>{} <input name=\"token\" type=\"password\" autocomplete=\"off\"></label>\
         <button type=\"submit\">{}</button></div><output role=\"status\" aria-live=\"polite\"></output></form></details></section>",
        meta.kind
            .map(|k| {
                let k = format!("{k:?}").to_lowercase();
                format!(
                    "<span class=\"meta-kind\">{}</span> ",
                    esc(super::ui::try_t(&format!("metakind_{k}")).unwrap_or(&k))
                )
            })
            .unwrap_or_default(),
        esc(super::ui::t("cite_hint")),
        url_enc(doc),
        esc(super::ui::t("cite_correct")),
        esc(doc),
        esc(super::ui::t("cite_part")),
        esc(super::ui::t("cite_value")),
        esc(super::ui::t("cite_value_hint")),
        esc(super::ui::t("cur_reason")),
        esc(super::ui::t("cite_reason_hint")),
        esc(super::ui::t("cur_who")),
        esc(super::ui::t("cur_token")),
        esc(super::ui::t("cur_record")),
    )
}

/// A table the extractor read, drawn as a table: its caption and unit, its header, each
/// cell as the source writes it; a cell a series reads links to that series, any other
/// cell to its place in the source.
fn table_html(
    doc: &str,
    bytes: &[u8],
    enc: crate::source::decode::Encoding,
    t: &crate::fact::Table,
    cell_series: &HashMap<usize, String>,
) -> String {
    let mut s = format!(
        "<figure class=\"source-table\" data-table=\"{}\"><figcaption>{}{}{}</figcaption><div class=\"scroll\"><table class=\"list\">",
        esc(&t.id),
        esc(t.label.as_deref().unwrap_or("")),
        t.caption
            .as_ref()
            .map(|c| format!(" {}", esc(c)))
            .unwrap_or_default(),
        t.unit
            .as_ref()
            .map(|u| format!(" <span class=\"unit\">({})</span>", esc(u)))
            .unwrap_or_default(),
    );
    if t.columns.iter().any(|c| !c.is_empty()) {
        s.push_str("<thead><tr>");
        for c in &t.columns {
            let _ = write!(s, "<th scope=\"col\">{}</th>", esc(c));
        }
        s.push_str("</tr></thead>");
    }
    s.push_str("<tbody>");
    for (r, row) in t.rows.iter().enumerate() {
        s.push_str("<tr>");
        for (c, value) in row.iter().enumerate() {
            let span = t
                .cells
                .get(r)
                .and_then(|x| x.get(c))
                .and_then(|x| x.as_ref());
            let text = match (span, value) {
                (Some(sp), _) => crate::source::decode::decode_range(bytes, enc, sp.start..sp.end),
                (None, Some(crate::fact::CellValue::Text(x))) => x.clone(),
                (None, Some(crate::fact::CellValue::Number(n))) => crate::fact::number_text(*n),
                (None, None) => String::new(),
            };
            let numeric = matches!(value, Some(crate::fact::CellValue::Number(_)));
            let cell = match span {
                Some(sp) if numeric => match cell_series.get(&sp.start) {
                    Some(key) => format!(
                        "<a href=\"/series/{}\" title=\"{} {}\">{}</a>",
                        url_enc(key),
                        esc(super::ui::t("in_the_series")),
                        esc(key),
                        esc(&text)
                    ),
                    None => format!(
                        "<a href=\"{}\">{}</a>",
                        esc(&super::reader_href(doc, sp.start as u64, sp.end as u64)),
                        esc(&text)
                    ),
                },
                _ => esc(&text),
            };
            let tag = if c == 0 && !numeric {
                "th scope=\"row\""
            } else {
                "td"
            };
            let close = if c == 0 && !numeric { "th" } else { "td" };
            let _ = write!(
                s,
                "<{tag}{}>{cell}</{close}>",
                if numeric { " class=\"num\"" } else { "" }
            );
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    if let Some(src) = &t.source {
        let _ = write!(s, "<p class=\"hint\">{}</p>", esc(src));
    }
    s.push_str("</figure>");
    s
}

/// The table of contents: the document's headings, each linking to its place (its part for
/// a long document).
fn contents(
    id: &str,
    bytes: &[u8],
    enc: crate::source::decode::Encoding,
    blocks: &[crate::snapshot::Block],
    parts: usize,
) -> String {
    const MAX: usize = 400;
    let heads: Vec<(usize, &crate::snapshot::Block)> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind == crate::text::layout::BlockKind::Heading)
        .take(MAX)
        .collect();
    if heads.len() < 2 {
        return String::new();
    }
    let mut s = format!(
        "<nav id=\"toc\" class=\"toc\" aria-label=\"{c}\"><details{}><summary>{c} ({})</summary><ol>",
        if heads.len() <= 12 { " open" } else { "" },
        heads.len(),
        c = esc(super::ui::t("contents"))
    );
    for (i, b) in heads {
        let text = crate::source::decode::decode_range(bytes, enc, b.src.clone());
        let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = line.chars().take(110).collect();
        let part = b.src.start / PART_BYTES;
        let href = if parts > 1 {
            format!("/documents/{}?part={part}#h-{i}", url_enc(id))
        } else {
            format!("#h-{i}")
        };
        let _ = write!(
            s,
            "<li><a href=\"{}\">{}{}</a></li>",
            esc(&href),
            esc(&short),
            if short.len() < line.len() { "…" } else { "" }
        );
    }
    s.push_str("</ol></details></nav>");
    s
}

fn part_nav(id: &str, part: usize, parts: usize) -> String {
    let mut s = format!(
        "<nav class=\"pager parts\">{} ",
        esc(&super::ui::tf(
            "part_of",
            &[
                ("n", &(part + 1).to_string()),
                ("parts", &parts.to_string())
            ]
        ))
    );
    if part > 0 {
        let _ = write!(
            s,
            "<a class=\"pager-prev\" href=\"/documents/{}?part={}\">← {}</a> ",
            url_enc(id),
            part - 1,
            esc(super::ui::t("previous_part"))
        );
    }
    if part + 1 < parts {
        let _ = write!(
            s,
            "<a class=\"pager-next\" href=\"/documents/{}?part={}\">{} →</a>",
            url_enc(id),
            part + 1,
            esc(super::ui::t("next_part"))
        );
    }
    s.push_str("</nav>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decode::Encoding;
    use serde_json::json;

    fn fact(id: i64, kind: &str, start: u64, end: u64, record: Value) -> StoredFact {
        let record = crate::fact::testing::record(kind, record);
        StoredFact::from_record(id, "d".into(), start, end, record).unwrap()
    }

    #[test]
    fn reader_nests_mentions_in_statements_and_escapes() {
        let text = "<script>alert(1)</script> Liên Xô ký Hiệp ước ngày 3-11-1978.";
        let b = text.as_bytes();
        let lx = text.find("Liên Xô").unwrap();
        let d = text.find("3-11-1978").unwrap();
        let facts = [
            fact(
                1,
                "event_statement",
                lx as u64,
                b.len() as u64,
                json!({"date_start": "1978-11-03", "date_end": "1978-11-03", "summary": "<b>treaty</b>"}),
            ),
            fact(
                2,
                "mention",
                lx as u64,
                (lx + "Liên Xô".len()) as u64,
                json!({"entity": "Soviet Union", "entity_id": "soviet-union", "entity_type": "country"}),
            ),
            fact(
                3,
                "timex",
                d as u64,
                (d + 9) as u64,
                json!({"value_start": "1978-11-03", "value_end": "1978-11-03", "type": "date"}),
            ),
        ];
        let mut events = HashMap::new();
        events.insert(1, ("ev-1\"".to_string(), "<i>Treaty</i>".to_string()));
        let marks: Vec<Mark> = facts.iter().map(|f| fact_mark(f, &events)).collect();
        let h = render(b, Encoding::Utf8, 0..b.len(), &marks);
        assert!(h.starts_with("&lt;script&gt;alert(1)&lt;/script&gt; "));
        assert!(!h.contains("<script") && !h.contains("<i>") && !h.contains("<b>"));
        let ev = h.find("class=\"fact fact-event\"").unwrap();
        let me = h.find("class=\"fact fact-mention\"").unwrap();
        let ti = h.find("class=\"fact fact-timex\"").unwrap();
        assert!(ev < me && me < ti);
        assert!(h.contains("data-href=\"/events/ev-1%22\""));
        assert!(h.contains("data-href=\"/entities/soviet-union\""));
        assert!(h.contains(">Liên Xô</span>"));
        assert!(h.contains(">3-11-1978</span>.</span>"));
    }
}
