//! `/entities` (the gazetteer's entities, searchable, most mentioned first) and
//! `/entities/{id}` (labels, names as written in the sources, mentions by document,
//! co-occurring entities, events over time).

use super::layout::{Nav, page};
use super::svg::{Bar, bars};
use super::{
    PageError, PageResult, date_html, esc, json_text, nonempty, pager, query_string, url_enc,
};
use crate::server::api::{entity_json, entity_list};
use crate::server::state::AppState;
use crate::text::lang::Lang;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub offset: Option<usize>,
    pub limit: Option<usize>,
}

pub async fn list(
    State(st): State<Arc<AppState>>,
    q: Result<Query<Params>, QueryRejection>,
) -> PageResult {
    let Query(p) = q?;
    let (offset, limit) = super::window(p.offset, p.limit, 50)?;
    let v = st.view();
    let g = crate::knowledge::gazetteer::builtin();
    let mut kinds: Vec<&str> = g.entities.iter().map(|e| e.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let ty = nonempty(&p.ty);
    if let Some(t) = ty
        && !kinds.contains(&t)
    {
        return Err(PageError::bad_request(format!(
            "no entity type is named {t:?}; types: {}",
            kinds.join(", ")
        )));
    }
    let rows = entity_list(&v, nonempty(&p.q), ty);
    let mut b = format!("<h1>{}</h1>", esc(super::ui::t("entities_title")));
    let _ = write!(
        b,
        "<form id=\"entity-search\" class=\"box filters\" action=\"/entities\" method=\"get\"><div class=\"row\">\
         <label class=\"grow\">{} <input id=\"entity-q\" name=\"q\" type=\"search\" value=\"{}\" placeholder=\"Brezhnev, Brêgiơnép, Брежнев, lien xo\"></label>\
         <label>{} <select id=\"entity-type\" name=\"type\"><option value=\"\">{}</option>",
        esc(super::ui::t("entity_name")),
        esc(nonempty(&p.q).unwrap_or("")),
        esc(super::ui::t("th_type")),
        esc(super::ui::t("search_any")),
    );
    for k in &kinds {
        let _ = write!(
            b,
            "<option value=\"{}\"{}>{}</option>",
            esc(k),
            if Some(*k) == ty { " selected" } else { "" },
            esc(&entity_type_label(k))
        );
    }
    let _ = write!(
        b,
        "</select></label><button type=\"submit\">{}</button></div></form>",
        esc(super::ui::t("find"))
    );
    let _ = write!(
        b,
        "<p class=\"lead\"><span class=\"count-total\">{}</span> {}</p>",
        rows.len(),
        esc(super::ui::t("lead_entities"))
    );
    // A column for each language but the fallback, whose label is the entity's name.
    let others: Vec<Lang> = Lang::all()
        .iter()
        .copied()
        .filter(|&l| l != Lang::fallback())
        .collect();
    let _ = write!(
        b,
        "<table id=\"entities\" class=\"list\"><thead><tr><th>{}</th><th>{}</th>",
        esc(super::ui::t("th_entity")),
        esc(super::ui::t("th_type"))
    );
    for l in &others {
        let _ = write!(b, "<th>{}</th>", esc(&l.data().name));
    }
    let _ = write!(
        b,
        "<th>Wikidata</th><th class=\"num\">{}</th></tr></thead><tbody>",
        esc(super::ui::t("th_mentions"))
    );
    for r in rows.iter().skip(offset).take(limit) {
        let _ = write!(
            b,
            "<tr class=\"entity-row\" data-id=\"{id}\"><td><a href=\"/entities/{href}\">{name}</a></td><td>{ty}</td>",
            id = esc(&r.entity_id),
            href = url_enc(&r.entity_id),
            name = esc(&r.entity),
            ty = esc(&entity_type_label(&r.ty)),
        );
        for &l in &others {
            let label = r.labels.get(l).as_deref().unwrap_or("");
            let _ = write!(b, "<td lang=\"{l}\">{}</td>", esc(label));
        }
        let _ = write!(
            b,
            "<td>{qid}</td><td class=\"num\">{n}</td></tr>",
            qid = esc(r.qid.as_deref().unwrap_or("")),
            n = r.mentions,
        );
    }
    b.push_str("</tbody></table>");
    if rows.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_entity"))
        );
    }
    let base = format!(
        "/entities{}",
        query_string(&[
            ("q", nonempty(&p.q).unwrap_or("").to_string()),
            ("type", ty.unwrap_or("").to_string()),
        ])
    );
    b.push_str(&pager(&base, offset, limit, rows.len(), false));
    Ok(page(
        super::ui::t("entities_title"),
        Nav::Entities,
        "page-entities",
        &b,
    ))
}

/// An entity type ("person", "country") in the interface language.
pub fn entity_type_label(ty: &str) -> String {
    super::ui::try_t(&format!("etype_{ty}")).map_or_else(|| ty.replace('_', " "), str::to_string)
}

/// Mentions shown per document before "and N more".
const MENTIONS_SHOWN: usize = 40;

pub async fn one(State(st): State<Arc<AppState>>, Path(id): Path<String>) -> PageResult {
    let j = st
        .query(move |v, _| entity_json(v, &id))
        .await
        .map_err(PageError::from)?;
    let v = st.view();
    let s = |k: &str| j.get(k).map(json_text).unwrap_or_default();
    let id = s("entity_id");
    // The name in the interface language where the gazetteer has one.
    let title = j["labels"]
        .get(super::ui::lang().code())
        .map(json_text)
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| s("entity"));
    let mut b = format!(
        "<article id=\"entity\" data-id=\"{}\"><p class=\"crumbs\"><a href=\"/entities\">{}</a> ›</p><h1>{}</h1>\
         <p class=\"meta\"><span class=\"entity-type\">{}</span>",
        esc(&id),
        esc(super::ui::t("entities_title")),
        esc(&title),
        esc(&entity_type_label(&s("type"))),
    );
    let dates = s("dates");
    if !dates.is_empty() {
        let _ = write!(
            b,
            " · <span class=\"life-dates\">{}</span>",
            esc(&dates.replace('/', " – "))
        );
    }
    let qid = s("qid");
    if !qid.is_empty() {
        let _ = write!(
            b,
            " · Wikidata <a class=\"qid\" href=\"https://www.wikidata.org/wiki/{}\" rel=\"noreferrer\">{}</a>",
            url_enc(&qid),
            esc(&qid)
        );
    }
    b.push_str("</p>");
    // Labels.
    let _ = write!(
        b,
        "<section id=\"labels\"><h2>{}</h2><dl class=\"facts-table\">",
        esc(super::ui::t("h_names"))
    );
    for lang in crate::text::lang::Lang::fallback_first() {
        let (code, name) = (lang.code(), &lang.data().name);
        let l = j["labels"].get(code).map(json_text).unwrap_or_default();
        let _ = write!(
            b,
            "<dt>{name}</dt><dd lang=\"{code}\" class=\"label-{code}\">{}</dd>",
            if l.is_empty() {
                "<span class=\"none\">—</span>".to_string()
            } else {
                esc(&l)
            }
        );
    }
    let aliases: Vec<String> = j["aliases"]
        .as_array()
        .map(|a| a.iter().map(json_text).collect())
        .unwrap_or_default();
    if !aliases.is_empty() {
        let _ = write!(
            b,
            "<dt>{}</dt><dd class=\"aliases\">{}</dd>",
            esc(super::ui::t("also_known_as")),
            aliases
                .iter()
                .map(|a| esc(a))
                .collect::<Vec<_>>()
                .join(" · ")
        );
    }
    b.push_str("</dl></section>");
    let pg = &j["page"];
    // Forms as written.
    let forms = pg["forms"].as_array().cloned().unwrap_or_default();
    let _ = write!(
        b,
        "<section id=\"forms\"><h2>{}</h2><p class=\"hint\">{}</p><ul class=\"forms\">",
        esc(super::ui::t("h_as_written")),
        esc(&super::ui::count(
            "forms_hint",
            pg["mentions"].as_u64().unwrap_or(0) as usize
        )),
    );
    for f in &forms {
        let text = f.get(0).map(json_text).unwrap_or_default();
        let n = f.get(1).and_then(Value::as_u64).unwrap_or(0);
        let _ = write!(
            b,
            "<li><span class=\"form\">{}</span> <span class=\"form-count\">×{n}</span></li>",
            esc(&text)
        );
    }
    if forms.is_empty() {
        let _ = write!(
            b,
            "<li class=\"empty\">{}</li>",
            esc(super::ui::t("not_mentioned"))
        );
    }
    b.push_str("</ul></section>");
    // Events over time.
    let events = j["events"].as_array().cloned().unwrap_or_default();
    if !events.is_empty() {
        let mut by_year: BTreeMap<i32, usize> = BTreeMap::new();
        for e in &events {
            if let Some(y) = e["date_start"]
                .as_str()
                .and_then(|d| d.get(..4)?.parse().ok())
            {
                *by_year.entry(y).or_default() += 1;
            }
        }
        let _ = write!(
            b,
            "<section id=\"entity-events\"><h2>{}</h2>",
            esc(super::ui::t("h_events"))
        );
        if let (Some((&lo, _)), Some((&hi, _))) =
            (by_year.first_key_value(), by_year.last_key_value())
        {
            let lo = lo.min(hi - 4);
            let bars_: Vec<Bar> = (lo..=hi)
                .map(|y| {
                    let n = by_year.get(&y).copied().unwrap_or(0);
                    Bar {
                        label: y.to_string(),
                        value: n,
                        title: format!("{y}: {}", super::ui::count("n_events", n)),
                        href: (n > 0).then(|| {
                            format!("/timeline?actor={}&from={y}&to={y}", url_enc(&s("entity")))
                        }),
                        key: y.to_string(),
                    }
                })
                .collect();
            b.push_str(&bars(
                "entity-histogram",
                super::ui::t("events_by_year"),
                &bars_,
                &[],
                150.0,
            ));
        }
        b.push_str("<ul class=\"event-list\">");
        for e in &events {
            let g = |k: &str| e.get(k).map(json_text).unwrap_or_default();
            let n = e["sources"].as_u64().unwrap_or(0);
            let _ = write!(
                b,
                "<li class=\"event\" data-id=\"{}\">{} <a href=\"/events/{}\">{}</a> <span class=\"source-count\" data-sources=\"{n}\">({})</span></li>",
                esc(&g("id")),
                date_html(&g("date_start"), &g("date_end")),
                url_enc(&g("id")),
                esc(&v
                    .history
                    .events
                    .iter()
                    .find(|x| x.id == g("id"))
                    .map_or_else(|| g("summary"), super::timeline::event_title)),
                esc(&super::ui::count("n_sources", n as usize))
            );
        }
        let _ = write!(
            b,
            "</ul><p><a href=\"/timeline?actor={}\">{} →</a></p></section>",
            url_enc(&s("entity")),
            esc(super::ui::t("on_the_timeline"))
        );
    }
    // Co-occurring.
    let co = pg["co_occurring"].as_array().cloned().unwrap_or_default();
    if !co.is_empty() {
        let _ = write!(
            b,
            "<section id=\"co-occurring\"><h2>{}</h2><ul class=\"co\">",
            esc(super::ui::t("h_co")),
        );
        for c in co.iter().take(40) {
            let _ = write!(
                b,
                "<li><a href=\"/entities/{}\">{}</a> <span class=\"count\">{}</span></li>",
                url_enc(c["entity_id"].as_str().unwrap_or("")),
                esc(c["entity"].as_str().unwrap_or("")),
                esc(&super::ui::count(
                    "n_sentences",
                    c["sentences"].as_u64().unwrap_or(0) as usize
                ))
            );
        }
        b.push_str("</ul></section>");
    }
    // Mentions by document.
    let docs = pg["documents"].as_array().cloned().unwrap_or_default();
    let _ = write!(
        b,
        "<section id=\"mentions\"><h2>{}</h2>",
        esc(super::ui::t("h_mentions_by_doc"))
    );
    for d in &docs {
        let doc = d["doc"].as_str().unwrap_or("");
        let ms = d["mentions"].as_array().cloned().unwrap_or_default();
        let _ = write!(
            b,
            "<details class=\"doc-mentions\" data-doc=\"{}\"{}><summary>{} — {}</summary><p class=\"doc-open\"><a href=\"/documents/{}?show=mention\">{}</a></p><ul class=\"mention-list\">",
            esc(doc),
            if docs.len() <= 2 { " open" } else { "" },
            esc(&super::source_name(&v, doc)),
            esc(&super::ui::count("n_mentions", ms.len())),
            url_enc(doc),
            esc(doc),
        );
        for m in ms.iter().take(MENTIONS_SHOWN) {
            let (start, end) = (
                m["start"].as_u64().unwrap_or(0),
                m["end"].as_u64().unwrap_or(0),
            );
            let matched = m["matched"].as_str().unwrap_or("");
            let _ = write!(
                b,
                "<li><a class=\"mention\" href=\"{}\">{}</a> <span class=\"span\">{start}–{end}</span>{}</li>",
                esc(&super::reader_href_showing(doc, start, end, "mention")),
                esc(m["text"].as_str().unwrap_or("")),
                if matched.is_empty() || matched == "exact" {
                    String::new()
                } else {
                    format!(
                        " <span class=\"matched\">{}</span>",
                        esc(super::ui::try_t(&format!("matched_{matched}")).unwrap_or(matched))
                    )
                }
            );
        }
        if ms.len() > MENTIONS_SHOWN {
            let _ = write!(
                b,
                "<li class=\"more\">{}</li>",
                esc(&super::ui::tf(
                    "more_in_document",
                    &[("n", &(ms.len() - MENTIONS_SHOWN).to_string())]
                ))
                .replace(
                    "{document}",
                    &format!(
                        "<a href=\"/documents/{}\">{}</a>",
                        url_enc(doc),
                        esc(super::ui::t("the_document"))
                    )
                )
            );
        }
        b.push_str("</ul></details>");
    }
    if docs.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_mentions"))
        );
    }
    b.push_str("</section></article>");
    Ok(page(&title, Nav::Entities, "page-entity", &b))
}
