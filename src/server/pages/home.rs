//! `/`: what is in the store, the ingest's progress, the search and ask boxes, and every page.

use super::layout::{Nav, page};
use super::ui::{t, tf};
use super::{PageResult, esc};
use crate::server::state::AppState;
use axum::extract::State;
use std::fmt::Write as _;
use std::sync::Arc;

/// The search box (shared with the search page's look).
pub fn search_box(q: &str) -> String {
    format!(
        "<form id=\"search-form\" class=\"box\" action=\"/search\" method=\"get\" role=\"search\">\
         <label for=\"q\">{}</label>\
         <div class=\"row\"><input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" placeholder=\"lien xo hiep uoc · Brezhnev · договор\" autocomplete=\"off\">\
         <button type=\"submit\">{}</button></div>\
         <p class=\"hint\">{}</p></form>",
        esc(t("search_sources")),
        esc(q),
        esc(t("search_button")),
        esc(t("search_box_hint")),
    )
}

/// The question box.
pub fn ask_box(q: &str) -> String {
    let names: Vec<&str> = crate::text::lang::Lang::fallback_first()
        .map(|l| l.data().name.as_str())
        .collect();
    let langs = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {} {last}", rest.join(", "), t("or")),
        _ => names.concat(),
    };
    format!(
        "<form id=\"ask-form\" class=\"box\" action=\"/ask\" method=\"get\">\
         <label for=\"ask-q\">{}</label>\
         <div class=\"row\"><input id=\"ask-q\" name=\"q\" type=\"text\" value=\"{}\" placeholder=\"{}\" autocomplete=\"off\">\
         <button type=\"submit\">{}</button></div></form>",
        esc(&tf("ask_question", &[("langs", &langs)])),
        esc(q),
        esc(t("ask_placeholder")),
        esc(t("ask_button")),
    )
}

pub async fn home(State(st): State<Arc<AppState>>) -> PageResult {
    let v = st.view();
    let ingest = st.ingest.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let sentences: u64 = v.documents.iter().map(|d| d.sentences).sum();
    let facts: u64 = v.documents.iter().map(|d| d.facts).sum();
    let entities = v.mentions.values().filter(|n| **n > 0).count();
    let mut b = String::new();
    let _ = write!(b, "<h1>{}</h1>", esc(t("home_title")));
    let _ = write!(
        b,
        "<section id=\"status\" class=\"counts\" data-documents=\"{d}\" data-events=\"{e}\" data-series=\"{s}\" data-conflicts=\"{c}\">\
         <a class=\"count\" href=\"/documents\"><b>{d}</b> {l_d}</a>\
         <span class=\"count\"><b>{sentences}</b> {l_sen}</span>\
         <span class=\"count\"><b>{facts}</b> {l_f}</span>\
         <a class=\"count\" href=\"/timeline\"><b>{e}</b> {l_e}</a>\
         <a class=\"count\" href=\"/entities\"><b>{entities}</b> {l_ent}</a>\
         <a class=\"count\" href=\"/series\"><b>{s}</b> {l_s}</a>\
         <a class=\"count\" href=\"/conflicts\"><b>{c}</b> {l_c}</a></section>",
        l_d = esc(t("count_documents")),
        l_sen = esc(t("count_sentences")),
        l_f = esc(t("count_facts")),
        l_e = esc(t("count_events")),
        l_ent = esc(t("count_entities")),
        l_s = esc(t("count_series")),
        l_c = esc(t("count_conflicts")),
        d = v.documents.len(),
        e = v.history.events.len(),
        s = v.history.series.len(),
        c = v.history.conflicts.len(),
    );
    let pct = if ingest.files_total > 0 {
        100.0 * ingest.files_done as f64 / ingest.files_total as f64
    } else {
        0.0
    };
    let _ = write!(
        b,
        "<section id=\"ingest\" class=\"ingest ingest-{state}\" data-state=\"{state}\">",
        state = esc(&ingest.state)
    );
    match ingest.state.as_str() {
        "running" => {
            let _ = write!(
                b,
                "<p>{} <progress max=\"100\" value=\"{pct:.0}\"></progress> <span class=\"ingest-last\">{}</span></p>",
                esc(t("ingesting"))
                    .replace(
                        "{done}",
                        &format!("<span class=\"ingest-done\">{}</span>", ingest.files_done)
                    )
                    .replace(
                        "{total}",
                        &format!("<span class=\"ingest-total\">{}</span>", ingest.files_total)
                    ),
                esc(ingest.last.as_deref().unwrap_or(""))
            );
        }
        "done" => {
            let _ = write!(
                b,
                "<p>{}</p>",
                esc(&tf(
                    "ingest_done",
                    &[
                        ("n", &ingest.files_done.to_string()),
                        ("seconds", &format!("{:.1}", ingest.seconds))
                    ]
                ))
            );
        }
        "failed" => {
            let _ = write!(
                b,
                "<p class=\"failed\">{} {}</p>",
                esc(t("ingest_failed")),
                esc(ingest.error.as_deref().unwrap_or(""))
            );
        }
        _ => {}
    }
    if !ingest.rejected.is_empty() {
        let _ = write!(
            b,
            "<details><summary>{}</summary><ul>",
            esc(t("rejected_files"))
        );
        for r in &ingest.rejected {
            let _ = write!(b, "<li>{}</li>", esc(r));
        }
        b.push_str("</ul></details>");
    }
    b.push_str("</section>");
    if v.documents.is_empty() && ingest.state != "running" {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(t("store_empty"))
                .replace("{a}", "<code>annals ingest PATH</code>")
                .replace("{b}", "<code>annals serve</code>")
        );
    }
    b.push_str("<div class=\"boxes\">");
    b.push_str(&search_box(""));
    b.push_str(&ask_box(""));
    b.push_str("</div>");
    let _ = write!(
        b,
        "<section class=\"pages\"><h2>{}</h2><dl>{}</dl></section>",
        esc(t("pages_heading")),
        [
            ("/search", "nav_search", "page_search_desc"),
            ("/timeline", "nav_timeline", "page_timeline_desc"),
            ("/entities", "nav_entities", "page_entities_desc"),
            ("/series", "nav_series", "page_series_desc"),
            ("/documents", "nav_documents", "page_documents_desc"),
            ("/conflicts", "nav_conflicts", "page_conflicts_desc"),
            ("/ask", "nav_ask", "page_ask_desc"),
            ("/audit", "nav_audit", "page_audit_desc"),
        ]
        .iter()
        .map(|(href, name, desc)| format!(
            "<dt><a href=\"{href}\">{}</a></dt><dd>{}</dd>",
            esc(t(name)),
            esc(t(desc))
        ))
        .collect::<String>(),
    );
    Ok(page(t("nav_home"), Nav::Home, "page-home", &b))
}
