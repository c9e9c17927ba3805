//! `/audit`: the curation audit log (who, when, what, why, and how each decision stands now)
//! and the stale decisions (kept, not applied, for a historian to look at again).

use super::layout::{Nav, page};
use super::{PageError, PageResult, esc, json_text, reader_href, url_enc};
use crate::curation::{AuditEntry, DecisionState, Target};
use crate::server::state::AppState;
use axum::extract::State;
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::Arc;

fn state_name(s: DecisionState) -> &'static str {
    match s {
        DecisionState::Applies => "applies",
        DecisionState::Reanchored => "reanchored",
        DecisionState::Stale => "stale",
        DecisionState::Retracted => "retracted",
        DecisionState::Retraction => "retraction",
    }
}

/// What a decision is about, linked: the fact's span in the reader, or the event.
fn target_html(t: &Target) -> String {
    match t {
        Target::Fact(a) => format!(
            "<a class=\"target\" href=\"{}\">{} <span class=\"span\">{}–{}</span></a> <span class=\"kind\">{}</span> <q>{}</q>",
            esc(&reader_href(&a.doc, a.start, a.end)),
            esc(&a.doc),
            a.start,
            a.end,
            esc(&a.kind),
            esc(&a.text)
        ),
        Target::Event(e) => {
            let id = e.event_id.as_deref().unwrap_or("");
            let mut s = if id.is_empty() {
                "event".to_string()
            } else {
                format!(
                    "event <a class=\"target\" href=\"/events/{}\">{}</a>",
                    url_enc(id),
                    esc(id)
                )
            };
            let _ = write!(
                s,
                " <span class=\"hint\">({} statement{})</span>",
                e.statements.len(),
                if e.statements.len() == 1 { "" } else { "s" }
            );
            s
        }
    }
}

fn value_html(v: &Value) -> String {
    if v.is_null() {
        return String::new();
    }
    // Merges, splits and retractions, said plainly.
    if let Some(with) = v.get("with").and_then(Value::as_array) {
        let ids: Vec<String> = with
            .iter()
            .map(json_text)
            .map(|id| format!("<a href=\"/events/{}\">{}</a>", url_enc(&id), esc(&id)))
            .collect();
        return format!(
            "<span class=\"value\">merged with {}</span>",
            ids.join(", ")
        );
    }
    if let Some(st) = v.get("statement").filter(|s| s.is_object()) {
        let doc = st.get("doc").and_then(Value::as_str).unwrap_or("");
        let (a, b) = (
            st.get("start").and_then(Value::as_u64).unwrap_or(0),
            st.get("end").and_then(Value::as_u64).unwrap_or(0),
        );
        return format!(
            "<span class=\"value\">split out the statement <a href=\"{}\">{} {a}–{b}</a></span>",
            esc(&reader_href(doc, a, b)),
            esc(doc)
        );
    }
    if let Some(n) = v.get("retracts").and_then(Value::as_i64) {
        return format!("<span class=\"value\">retracts <a href=\"#audit-{n}\">#{n}</a></span>");
    }
    let t = json_text(v);
    let short: String = t.chars().take(160).collect();
    let cut = if short.len() < t.len() { "…" } else { "" };
    format!(
        "<span class=\"value\" title=\"{}\">{}{cut}</span>",
        esc(&v.to_string()),
        esc(&short)
    )
}

/// One row of the log.
pub fn row_html(a: &AuditEntry, class: &str) -> String {
    format!(
        "<tr class=\"{class}\" id=\"audit-{id}\" data-id=\"{id}\" data-action=\"{action}\" data-state=\"{state}\">\
         <td class=\"num\">#{id}</td><td><time datetime=\"{at}\">{at_text}</time></td><td class=\"who\">{who}</td><td class=\"action\">{action}</td>\
         <td>{target}{field}</td><td class=\"change\">{old}{arrow}{new}</td><td class=\"reason\">{reason}</td>\
         <td><span class=\"state state-{state}\">{state}</span>{note}</td></tr>",
        id = a.id,
        at = esc(&a.at),
        at_text = esc(a.at.replacen('T', " ", 1).trim_end_matches('Z')),
        who = esc(&a.who),
        action = esc(a.action.name()),
        target = target_html(&a.target),
        field = a
            .field
            .as_ref()
            .map(|f| format!(" · <span class=\"field\">{}</span>", esc(f)))
            .unwrap_or_default(),
        old = value_html(&a.old_value),
        arrow = if a.old_value.is_null() && a.new_value.is_null() {
            ""
        } else {
            " → "
        },
        new = value_html(&a.new_value),
        reason = esc(&a.reason),
        state = state_name(a.state),
        note = a
            .note
            .as_ref()
            .map(|n| format!("<div class=\"note\">{}</div>", esc(n)))
            .unwrap_or_default(),
    )
}

const HEAD: &str = "<thead><tr><th>#</th><th>When</th><th>Who</th><th>Decision</th><th>About</th><th>Change</th><th>Why</th><th>Now</th></tr></thead>";

pub async fn audit(State(st): State<Arc<AppState>>) -> PageResult {
    let log = st
        .query(|v, _| Ok(v.audit_log()))
        .await
        .map_err(PageError::from)?;
    let stale: Vec<&AuditEntry> = log
        .iter()
        .filter(|a| a.state == DecisionState::Stale)
        .collect();
    let mut b = format!(
        "<h1>Curation audit log</h1><p class=\"lead\"><span class=\"count-total\">{}</span> decision{}, oldest first. Nothing is ever deleted: a retraction is a new entry. A decision whose source changed since is <em>stale</em>: kept, listed, not applied.</p>",
        log.len(),
        if log.len() == 1 { "" } else { "s" }
    );
    let _ = write!(
        b,
        "<section id=\"stale\"><h2>Stale decisions ({})</h2>",
        stale.len()
    );
    if stale.is_empty() {
        b.push_str("<p class=\"empty\">None: every decision still applies.</p>");
    } else {
        let _ = write!(
            b,
            "<div class=\"scroll\"><table class=\"list audit\">{HEAD}<tbody>"
        );
        for a in &stale {
            b.push_str(&row_html(a, "stale-row"));
        }
        b.push_str("</tbody></table></div>");
    }
    b.push_str("</section><section><h2>Every decision</h2>");
    let _ = write!(
        b,
        "<div class=\"scroll\"><table id=\"audit-log\" class=\"list audit\">{HEAD}<tbody>"
    );
    for a in &log {
        b.push_str(&row_html(a, "audit-row"));
    }
    b.push_str("</tbody></table></div>");
    if log.is_empty() {
        b.push_str("<p class=\"empty\">No decisions yet. Confirm, reject or correct events on their pages, and facts in the document reader.</p>");
    }
    b.push_str("</section>");
    Ok(page("Audit", Nav::Audit, "page-audit", &b))
}
