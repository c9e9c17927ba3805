//! `/search`: the search form and ranked sentences, matched words highlighted, each linking
//! to the reader at its span.

use super::layout::{Nav, page};
use super::reader::highlight;
use super::{PageError, PageResult, esc, evidence_link, lang_badge, nonempty, pager, query_string};
use crate::server::api::{SearchParams, search_page};
use crate::server::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use std::fmt::Write as _;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub q: Option<String>,
    pub lang: Option<String>,
    pub doc: Option<String>,
    pub offset: Option<usize>,
    pub limit: Option<usize>,
}

fn form(v: &crate::server::state::View, p: &Params) -> String {
    let q = p.q.as_deref().unwrap_or("");
    let lang = nonempty(&p.lang).unwrap_or("");
    let doc = nonempty(&p.doc).unwrap_or("");
    let mut s = format!(
        "<form id=\"search-form\" class=\"box filters\" action=\"/search\" method=\"get\" role=\"search\">\
         <div class=\"row\"><label class=\"grow\">Words <input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" placeholder=\"lien xo hiep uoc\" autofocus autocomplete=\"off\"></label>\
         <label>Language <select id=\"lang\" name=\"lang\">",
        esc(q)
    );
    let langs = crate::text::lang::Lang::all()
        .iter()
        .map(|l| (l.code(), l.data().name.as_str()));
    for (code, name) in std::iter::once(("", "any")).chain(langs) {
        let _ = write!(
            s,
            "<option value=\"{code}\"{}>{name}</option>",
            if code == lang { " selected" } else { "" }
        );
    }
    s.push_str("</select></label><label>Document <select id=\"doc\" name=\"doc\"><option value=\"\">all</option>");
    for d in &v.documents {
        let _ = write!(
            s,
            "<option value=\"{}\"{}>{}</option>",
            esc(&d.id),
            if d.id == doc { " selected" } else { "" },
            esc(&d.id)
        );
    }
    s.push_str(
        "</select></label><button type=\"submit\">Search</button></div>\
         <p class=\"hint\">All words must match; diacritics are optional (“lien xo” finds “Liên Xô”); “double quotes” for a phrase.</p></form>",
    );
    s
}

pub async fn search(
    State(st): State<Arc<AppState>>,
    q: Result<Query<Params>, QueryRejection>,
) -> PageResult {
    let Query(p) = q?;
    let v = st.view();
    let mut b = String::from("<h1>Search</h1>");
    b.push_str(&form(&v, &p));
    let Some(words) = nonempty(&p.q).map(str::to_string) else {
        return Ok(page("Search", Nav::Search, "page-search", &b));
    };
    let (offset, limit) = super::window(p.offset, p.limit, 20)?;
    let res = search_page(
        &st,
        SearchParams {
            q: words.clone(),
            lang: nonempty(&p.lang).map(str::to_string),
            doc: nonempty(&p.doc).map(str::to_string),
            offset: Some(offset),
            limit: Some(limit),
        },
    )
    .await
    .map_err(PageError::from)?;
    b.push_str("<section id=\"results\">");
    if res.items.is_empty() {
        let _ = write!(
            b,
            "<p class=\"no-results\">No sentence matches “{}”{}.</p>",
            esc(&words),
            if offset > 0 { " on this page" } else { "" }
        );
    }
    for h in &res.items {
        let _ = write!(
            b,
            "<article class=\"hit\" data-doc=\"{}\" data-start=\"{}\" data-end=\"{}\">\
             <header>{} {}</header><p class=\"snippet\">{}</p></article>",
            esc(&h.doc),
            h.start,
            h.end,
            lang_badge(&h.lang),
            evidence_link(&h.doc, h.start, h.end),
            highlight(&h.text, &h.highlights, 360),
        );
    }
    let base = format!(
        "/search{}",
        query_string(&[
            ("q", words.clone()),
            ("lang", nonempty(&p.lang).unwrap_or("").to_string()),
            ("doc", nonempty(&p.doc).unwrap_or("").to_string()),
        ])
    );
    b.push_str(&pager(
        &base,
        offset,
        limit,
        res.total,
        res.items.len() == limit,
    ));
    b.push_str("</section>");
    Ok(page(
        &format!("Search: {words}"),
        Nav::Search,
        "page-search",
        &b,
    ))
}
