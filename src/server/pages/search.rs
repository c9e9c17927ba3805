//! `/search`: the search form, how many sentences matched and by what (the words as typed,
//! without diacritics, or another name or translation of them), facets that narrow the
//! list (document, language, decade, entity, kind of fact) and a date range, and ranked
//! sentences with the matched words highlighted, each linking to the reader at its span.

use super::layout::{Nav, page};
use super::reader::highlight;
use super::ui::{t, tf};
use super::{PageError, PageResult, esc, lang_badge, nonempty, pager, query_string};
use crate::server::api::{FacetValue, SearchParams, SearchResults, search_page};
use crate::server::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use std::fmt::Write as _;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize, Clone)]
pub struct Params {
    pub q: Option<String>,
    pub lang: Option<String>,
    pub doc: Option<String>,
    pub entity: Option<String>,
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// "1": the words only.
    pub exact: Option<String>,
    pub offset: Option<usize>,
    pub limit: Option<usize>,
}

impl Params {
    fn exact(&self) -> bool {
        matches!(self.exact.as_deref(), Some("1" | "true" | "on"))
    }

    /// The query string of these parameters with `key` set to `value` (empty: removed),
    /// the page reset to the first.
    fn with(&self, changes: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("q", self.q.clone().unwrap_or_default()),
            ("lang", self.lang.clone().unwrap_or_default()),
            ("doc", self.doc.clone().unwrap_or_default()),
            ("entity", self.entity.clone().unwrap_or_default()),
            ("kind", self.kind.clone().unwrap_or_default()),
            ("from", self.from.clone().unwrap_or_default()),
            ("to", self.to.clone().unwrap_or_default()),
            ("exact", if self.exact() { "1" } else { "" }.to_string()),
        ];
        for (k, v) in changes {
            if let Some(p) = pairs.iter_mut().find(|p| p.0 == *k) {
                p.1 = v.to_string();
            }
        }
        format!("/search{}", query_string(&pairs))
    }
}

fn form(v: &crate::server::state::View, p: &Params) -> String {
    let q = p.q.as_deref().unwrap_or("");
    let lang = nonempty(&p.lang).unwrap_or("");
    let doc = nonempty(&p.doc).unwrap_or("");
    let mut s = format!(
        "<form id=\"search-form\" class=\"box filters\" action=\"/search\" method=\"get\" role=\"search\">\
         <div class=\"row\"><label class=\"grow\">{} <input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" placeholder=\"{}\" autofocus autocomplete=\"off\"></label>\
         <label>{} <select id=\"lang\" name=\"lang\">",
        esc(t("search_words")),
        esc(q),
        esc(t("search_placeholder")),
        esc(t("search_language")),
    );
    let langs = crate::text::lang::Lang::all()
        .iter()
        .map(|l| (l.code(), l.data().name.as_str()));
    for (code, name) in std::iter::once(("", t("search_any"))).chain(langs) {
        let _ = write!(
            s,
            "<option value=\"{code}\"{}>{name}</option>",
            if code == lang { " selected" } else { "" }
        );
    }
    let _ = write!(
        s,
        "</select></label><label>{} <select id=\"doc\" name=\"doc\"><option value=\"\">{}</option>",
        esc(t("search_document")),
        esc(t("search_all"))
    );
    for d in &v.documents {
        let _ = write!(
            s,
            "<option value=\"{}\"{}>{}</option>",
            esc(&d.id),
            if d.id == doc { " selected" } else { "" },
            esc(&super::source_name(v, &d.id))
        );
    }
    let _ = write!(
        s,
        "</select></label></div><div class=\"row\">\
         <label>{} <input id=\"from\" name=\"from\" value=\"{}\" placeholder=\"1975\" size=\"10\" pattern=\"-?[0-9]{{4}}(-[0-9]{{2}}(-[0-9]{{2}})?)?\" title=\"{}\"></label>\
         <label>{} <input id=\"to\" name=\"to\" value=\"{}\" placeholder=\"1991\" size=\"10\" pattern=\"-?[0-9]{{4}}(-[0-9]{{2}}(-[0-9]{{2}})?)?\" title=\"{}\"></label>\
         <label class=\"check\"><input id=\"exact\" name=\"exact\" type=\"checkbox\" value=\"1\"{}> {}</label>",
        esc(t("search_from")),
        esc(nonempty(&p.from).unwrap_or("")),
        esc(t("date_hint")),
        esc(t("search_to")),
        esc(nonempty(&p.to).unwrap_or("")),
        esc(t("date_hint")),
        if p.exact() { " checked" } else { "" },
        esc(t("search_exact")),
    );
    for (k, val) in [("entity", &p.entity), ("kind", &p.kind)] {
        if let Some(val) = nonempty(val) {
            let _ = write!(
                s,
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                esc(val)
            );
        }
    }
    let _ = write!(
        s,
        "<button type=\"submit\">{}</button></div><p class=\"hint\">{}</p></form>",
        esc(t("search_button")),
        esc(t("search_hint"))
    );
    s
}

/// One facet as a list of links that narrow the search (the chosen value marked).
fn facet(
    p: &Params,
    key: &str,
    title: &str,
    values: &[FacetValue],
    chosen: Option<&str>,
) -> String {
    if values.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "<section class=\"facet\" data-facet=\"{key}\"><h3>{}</h3><ul>",
        esc(title)
    );
    for f in values {
        let on = chosen == Some(f.value.as_str());
        let href = if key == "period" {
            let to = f
                .value
                .parse::<i32>()
                .map(|y| (y + 9).to_string())
                .unwrap_or_default();
            if on {
                p.with(&[("from", ""), ("to", "")])
            } else {
                p.with(&[("from", &f.value), ("to", &to)])
            }
        } else if on {
            p.with(&[(key, "")])
        } else {
            p.with(&[(key, &f.value)])
        };
        let _ = write!(
            s,
            "<li{}><a href=\"{}\"{}>{}</a> <span class=\"count\">{}</span></li>",
            if on { " class=\"on\"" } else { "" },
            esc(&href),
            if on {
                format!(
                    " aria-current=\"true\" title=\"{}\"",
                    esc(t("remove_filter"))
                )
            } else {
                String::new()
            },
            esc(&if key == "kind" {
                t(&format!("kind_{}", f.value)).to_string()
            } else {
                f.label.clone()
            }),
            f.count
        );
    }
    s.push_str("</ul></section>");
    s
}

fn facets(p: &Params, r: &SearchResults) -> String {
    let period = match (nonempty(&p.from), nonempty(&p.to)) {
        (Some(f), Some(t)) if t.parse::<i32>().ok() == f.parse::<i32>().ok().map(|y| y + 9) => {
            Some(f)
        }
        _ => None,
    };
    let mut s = format!(
        "<aside class=\"facets\" aria-label=\"{}\">",
        esc(t("facets"))
    );
    let all: [(&str, &str, &[FacetValue], Option<&str>); 5] = [
        (
            "doc",
            "facet_document",
            &r.facets.documents,
            nonempty(&p.doc),
        ),
        (
            "lang",
            "facet_language",
            &r.facets.languages,
            nonempty(&p.lang),
        ),
        ("period", "facet_period", &r.facets.periods, period),
        (
            "entity",
            "facet_names",
            &r.facets.entities,
            nonempty(&p.entity),
        ),
        ("kind", "facet_holds", &r.facets.kinds, nonempty(&p.kind)),
    ];
    for (key, title, values, chosen) in all {
        s.push_str(&facet(p, key, t(title), values, chosen));
    }
    s.push_str("</aside>");
    s
}

/// The filters in force, each with a link that removes it.
fn chips(v: &crate::server::state::View, p: &Params) -> String {
    let mut out = Vec::new();
    let mut add = |label: String, href: String| {
        out.push(format!(
            "<a class=\"chip\" href=\"{}\" title=\"{}\">{} ✕</a>",
            esc(&href),
            esc(t("remove_filter")),
            esc(&label)
        ));
    };
    if let Some(d) = nonempty(&p.doc) {
        let name = super::source_name(v, d);
        add(
            format!("{}: {name}", t("facet_document")),
            p.with(&[("doc", "")]),
        );
    }
    if let Some(l) = nonempty(&p.lang) {
        add(
            format!("{}: {}", t("facet_language"), super::lang_name(l)),
            p.with(&[("lang", "")]),
        );
    }
    if let Some(e) = nonempty(&p.entity) {
        let name = crate::knowledge::gazetteer::builtin()
            .by_id(e)
            .map_or_else(|| e.to_string(), |x| x.name.clone());
        add(
            format!("{}: {name}", t("facet_names")),
            p.with(&[("entity", "")]),
        );
    }
    if let Some(k) = nonempty(&p.kind) {
        add(
            format!("{}: {}", t("facet_holds"), t(&format!("kind_{k}"))),
            p.with(&[("kind", "")]),
        );
    }
    if nonempty(&p.from).is_some() || nonempty(&p.to).is_some() {
        add(
            format!(
                "{}: {} – {}",
                t("chip_dates"),
                nonempty(&p.from).unwrap_or("…"),
                nonempty(&p.to).unwrap_or("…")
            ),
            p.with(&[("from", ""), ("to", "")]),
        );
    }
    if out.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"chips\" aria-label=\"{}\">{}</p>",
        esc(t("filters")),
        out.join(" ")
    )
}

pub async fn search(
    State(st): State<Arc<AppState>>,
    q: Result<Query<Params>, QueryRejection>,
) -> PageResult {
    let Query(p) = q?;
    let v = st.view();
    let mut b = format!("<h1>{}</h1>", esc(t("search_title")));
    b.push_str(&form(&v, &p));
    let Some(words) = nonempty(&p.q).map(str::to_string) else {
        return Ok(page(t("search_title"), Nav::Search, "page-search", &b));
    };
    let (offset, limit) = super::window(p.offset, p.limit, 20)?;
    let res = search_page(
        &st,
        SearchParams {
            q: words.clone(),
            lang: nonempty(&p.lang).map(str::to_string),
            doc: nonempty(&p.doc).map(str::to_string),
            entity: nonempty(&p.entity).map(str::to_string),
            kind: nonempty(&p.kind).map(str::to_string),
            from: nonempty(&p.from).map(str::to_string),
            to: nonempty(&p.to).map(str::to_string),
            exact: Some(p.exact()),
            offset: Some(offset),
            limit: Some(limit),
        },
    )
    .await
    .map_err(PageError::from)?;
    b.push_str(&chips(&v, &p));
    let _ = write!(
        b,
        "<p id=\"hit-count\" class=\"hit-count\" role=\"status\"><strong>{}</strong> {}",
        res.total,
        esc(&super::ui::count_label("hits", res.total).replace("{q}", &words)),
    );
    if res.total > res.total_words {
        let _ = write!(
            b,
            ": {}",
            esc(&tf(
                "hits_split",
                &[
                    ("typed", &res.total_words.to_string()),
                    ("other", &(res.total - res.total_words).to_string())
                ]
            ))
        );
    }
    b.push_str(".</p>");
    if res.note.is_some() {
        // A query of quotes, operators or marks alone: say why nothing was found.
        let _ = write!(
            b,
            "<p id=\"search-note\" class=\"note\" role=\"note\">{}</p>",
            esc(t("search_no_word"))
        );
    }
    {
        let mut api = p.with(&[]).replacen("/search", "/api/search", 1);
        api.push_str(if api.contains('?') { "&" } else { "?" });
        api.push_str(&format!("limit={}", crate::server::api::MAX_LIMIT));
        b.push_str(&super::downloads(&[("JSON", api)]));
    }
    if !res.also_searched.is_empty() {
        let _ = write!(
            b,
            "<p id=\"also-searched\" class=\"also-searched\">{}: ",
            esc(t("also_searched"))
        );
        let parts: Vec<String> = res
            .also_searched
            .iter()
            .map(|a| {
                let forms: Vec<String> = a
                    .forms
                    .iter()
                    .map(|f| format!("<span class=\"form\">{}</span>", esc(f)))
                    .collect();
                let what = if a.ty == "entity" {
                    format!(
                        " (<a href=\"/entities/{}\">{}</a>)",
                        esc(&super::url_enc(&a.id)),
                        esc(t("etype_entity"))
                    )
                } else {
                    String::new()
                };
                format!(
                    "{}: {}{what}",
                    esc(&tf("also_for", &[("q", &a.typed)])),
                    forms.join(", ")
                )
            })
            .collect();
        b.push_str(&parts.join("; "));
        let _ = write!(
            b,
            ". <a href=\"{}\">{}</a>.</p>",
            esc(&p.with(&[("exact", "1")])),
            esc(t("only_typed"))
        );
    }
    b.push_str("<div class=\"search-body\">");
    b.push_str(&facets(&p, &res));
    b.push_str("<section id=\"results\">");
    if res.items.is_empty() {
        let _ = write!(
            b,
            "<p class=\"no-results\">{}</p>",
            esc(&tf("no_results", &[("q", &words)]))
        );
    }
    for h in &res.items {
        let _ = write!(
            b,
            "<article class=\"hit tier-{}\" data-doc=\"{}\" data-start=\"{}\" data-end=\"{}\" data-tier=\"{}\">\
             <header>{} {}{}</header><p class=\"snippet\" lang=\"{}\">{}</p></article>",
            esc(&h.tier),
            esc(&h.doc),
            h.start,
            h.end,
            esc(&h.tier),
            lang_badge(&h.lang),
            super::cite_link(&v, &h.doc, h.start, h.end, ""),
            if h.tier == "expanded" {
                format!(" <span class=\"tier-note\">{}</span>", esc(t("other_name")))
            } else {
                String::new()
            },
            esc(&h.lang),
            highlight(&h.text, &h.highlights, 360),
        );
    }
    let base = p.with(&[]);
    b.push_str(&pager(&base, offset, limit, res.total, false));
    b.push_str("</section></div>");
    Ok(page(
        &format!("{}: {words}", t("search_title")),
        Nav::Search,
        "page-search",
        &b,
    ))
}
