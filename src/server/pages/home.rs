//! `/`: what is in the store, the ingest's progress, the search and ask boxes, and every page.

use super::layout::{Nav, page};
use super::{PageResult, esc};
use crate::server::state::AppState;
use axum::extract::State;
use std::fmt::Write as _;
use std::sync::Arc;

/// The search box (shared with the search page's look).
pub fn search_box(q: &str) -> String {
    format!(
        "<form id=\"search-form\" class=\"box\" action=\"/search\" method=\"get\" role=\"search\">\
         <label for=\"q\">Search the sources</label>\
         <div class=\"row\"><input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" placeholder=\"lien xo hiep uoc · Brezhnev · договор\" autocomplete=\"off\">\
         <button type=\"submit\">Search</button></div>\
         <p class=\"hint\">Diacritics are optional: “lien xo” finds “Liên Xô”. “Double quotes” for a phrase.</p></form>",
        esc(q)
    )
}

/// The question box.
pub fn ask_box(q: &str) -> String {
    let names: Vec<&str> = crate::text::lang::Lang::fallback_first()
        .map(|l| l.data().name.as_str())
        .collect();
    let langs = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    };
    format!(
        "<form id=\"ask-form\" class=\"box\" action=\"/ask\" method=\"get\">\
         <label for=\"ask-q\">Ask a question ({})</label>\
         <div class=\"row\"><input id=\"ask-q\" name=\"q\" type=\"text\" value=\"{}\" placeholder=\"When did Vietnam join the CMEA?\" autocomplete=\"off\">\
         <button type=\"submit\">Ask</button></div></form>",
        esc(&langs),
        esc(q)
    )
}

pub async fn home(State(st): State<Arc<AppState>>) -> PageResult {
    let v = st.view();
    let ingest = st.ingest.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let sentences: u64 = v.documents.iter().map(|d| d.sentences).sum();
    let facts: u64 = v.documents.iter().map(|d| d.facts).sum();
    let entities = v.mentions.values().filter(|n| **n > 0).count();
    let mut b = String::new();
    b.push_str("<h1>The sources, read together</h1>");
    let _ = write!(
        b,
        "<section id=\"status\" class=\"counts\" data-documents=\"{d}\" data-events=\"{e}\" data-series=\"{s}\" data-conflicts=\"{c}\">\
         <a class=\"count\" href=\"/documents\"><b>{d}</b> documents</a>\
         <span class=\"count\"><b>{sentences}</b> sentences</span>\
         <span class=\"count\"><b>{facts}</b> facts</span>\
         <a class=\"count\" href=\"/timeline\"><b>{e}</b> events</a>\
         <a class=\"count\" href=\"/entities\"><b>{entities}</b> entities mentioned</a>\
         <a class=\"count\" href=\"/series\"><b>{s}</b> series</a>\
         <a class=\"count\" href=\"/conflicts\"><b>{c}</b> conflicts</a></section>",
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
                "<p>Ingesting: <span class=\"ingest-done\">{}</span> of <span class=\"ingest-total\">{}</span> files \
                 <progress max=\"100\" value=\"{pct:.0}\"></progress> <span class=\"ingest-last\">{}</span></p>",
                ingest.files_done,
                ingest.files_total,
                esc(ingest.last.as_deref().unwrap_or(""))
            );
        }
        "done" => {
            let _ = write!(
                b,
                "<p>The last ingest finished: {} files in {:.1} s.</p>",
                ingest.files_done, ingest.seconds
            );
        }
        "failed" => {
            let _ = write!(
                b,
                "<p class=\"failed\">The ingest failed: {}</p>",
                esc(ingest.error.as_deref().unwrap_or("unknown error"))
            );
        }
        _ => {}
    }
    if !ingest.rejected.is_empty() {
        b.push_str("<details><summary>Rejected files</summary><ul>");
        for r in &ingest.rejected {
            let _ = write!(b, "<li>{}</li>", esc(r));
        }
        b.push_str("</ul></details>");
    }
    b.push_str("</section>");
    if v.documents.is_empty() && ingest.state != "running" {
        b.push_str("<p class=\"empty\">The store is empty. Ingest sources with <code>annals ingest PATH</code>, or give paths to <code>annals serve</code>.</p>");
    }
    b.push_str("<div class=\"boxes\">");
    b.push_str(&search_box(""));
    b.push_str(&ask_box(""));
    b.push_str("</div>");
    b.push_str(
        "<section class=\"pages\"><h2>Pages</h2><dl>\
         <dt><a href=\"/search\">Search</a></dt><dd>Sentences of every source, ranked; matched words highlighted.</dd>\
         <dt><a href=\"/timeline\">Timeline</a></dt><dd>The events the sources state, merged across documents and languages; by period, field, actor and type.</dd>\
         <dt><a href=\"/entities\">Entities</a></dt><dd>People, states, parties, organizations, places and agreements: their names in the sources, mentions and events.</dd>\
         <dt><a href=\"/series\">Series</a></dt><dd>Trade, aid and students over time, each figure with its sources.</dd>\
         <dt><a href=\"/documents\">Documents</a></dt><dd>The sources themselves, with their extracted facts highlighted.</dd>\
         <dt><a href=\"/conflicts\">Conflicts</a></dt><dd>Where the sources disagree: every side with its evidence.</dd>\
         <dt><a href=\"/ask\">Ask</a></dt><dd>Questions answered from the sources, with citations.</dd>\
         <dt><a href=\"/audit\">Audit</a></dt><dd>Every curation decision: who, when, what and why.</dd>\
         </dl></section>",
    );
    Ok(page("Home", Nav::Home, "page-home", &b))
}
