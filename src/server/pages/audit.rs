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

/// A decision's state in the interface language.
fn state_label(s: DecisionState) -> &'static str {
    super::ui::t(&format!("state_{}", state_name(s)))
}

/// A decision's action ("confirm", "retract") in the interface language.
pub fn action_label(name: &str) -> String {
    super::ui::try_t(&format!("action_{name}")).map_or_else(|| name.to_string(), str::to_string)
}

fn state_name(s: DecisionState) -> &'static str {
    match s {
        DecisionState::Applies => "applies",
        DecisionState::Reanchored => "reanchored",
        DecisionState::Stale => "stale",
        DecisionState::Retracted => "retracted",
        DecisionState::Retraction => "retraction",
    }
}

/// What a decision is about, linked: the fact's span in the reader, or the event (by its
/// date and summary where the view still knows it, `titles`).
fn target_html(t: &Target, titles: &dyn Fn(&str) -> Option<String>) -> String {
    match t {
        Target::Fact(a) => format!(
            "<a class=\"target\" href=\"{}\">{} <span class=\"span\">{}–{}</span></a> <span class=\"kind\">{}</span> <q>{}</q>",
            esc(&reader_href(&a.doc, a.start, a.end)),
            esc(&a.doc),
            a.start,
            a.end,
            esc(super::ui::try_t(&format!("kind_{}", a.kind)).unwrap_or(&a.kind)),
            esc(&a.text)
        ),
        Target::Document(d) => format!(
            "{} <a class=\"target\" href=\"/documents/{}\">{}</a>",
            esc(super::ui::t("target_source")),
            url_enc(&d.doc),
            esc(&titles(&format!("document:{}", d.doc)).unwrap_or_else(|| d.doc.clone()))
        ),
        Target::Event(e) => {
            let id = e.event_id.as_deref().unwrap_or("");
            let mut s = if id.is_empty() {
                esc(super::ui::t("claim_event"))
            } else {
                let title = titles(id).unwrap_or_else(|| id.to_string());
                format!(
                    "{} <a class=\"target\" href=\"/events/{}\" title=\"{}\">{}</a>",
                    esc(super::ui::t("claim_event")),
                    url_enc(id),
                    esc(id),
                    esc(&title)
                )
            };
            let _ = write!(
                s,
                " <span class=\"hint\">({})</span>",
                esc(&super::ui::count("n_statements", e.statements.len()))
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
            "<span class=\"value\">{} {}</span>",
            esc(super::ui::t("merged_with")),
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
            "<span class=\"value\">{} <a href=\"{}\">{} {a}–{b}</a></span>",
            esc(super::ui::t("split_out")),
            esc(&reader_href(doc, a, b)),
            esc(doc)
        );
    }
    if let Some(n) = v.get("retracts").and_then(Value::as_i64) {
        return format!(
            "<span class=\"value\">{} <a href=\"#audit-{n}\">#{n}</a></span>",
            esc(super::ui::t("retracts"))
        );
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
pub fn row_html(a: &AuditEntry, class: &str, titles: &dyn Fn(&str) -> Option<String>) -> String {
    let undo = if a.action.name() != "retract"
        && matches!(
            a.state,
            DecisionState::Applies | DecisionState::Reanchored | DecisionState::Stale
        ) {
        super::curation::retract_form(a.id, super::ui::t("retract"))
    } else {
        String::new()
    };
    format!(
        "<tr class=\"{class}\" id=\"audit-{id}\" data-id=\"{id}\" data-action=\"{action}\" data-state=\"{state}\">\
         <td class=\"num\">#{id}</td><td><time datetime=\"{at}\">{at_text}</time></td><td class=\"who\">{who}</td><td class=\"action\">{action_label}</td>\
         <td>{target}{field}</td><td class=\"change\">{old}{arrow}{new}</td><td class=\"reason\">{reason}</td>\
         <td><span class=\"state state-{state}\">{state_label}</span>{note}{undo}</td></tr>",
        id = a.id,
        at = esc(&a.at),
        at_text = esc(&super::ui::readable_time(&a.at)),
        who = esc(&a.who),
        action = esc(a.action.name()),
        action_label = esc(&action_label(a.action.name())),
        target = target_html(&a.target, titles),
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
        state_label = esc(state_label(a.state)),
        note = a
            .note
            .as_ref()
            .map(|n| format!("<div class=\"note\">{}</div>", esc(n)))
            .unwrap_or_default(),
    )
}

/// The log's header row, in the interface language.
fn head() -> String {
    let t = super::ui::t;
    format!(
        "<thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        esc(t("th_when")),
        esc(t("th_who")),
        esc(t("th_decision")),
        esc(t("th_about")),
        esc(t("th_change")),
        esc(t("th_why")),
        esc(t("th_now"))
    )
}

pub async fn audit(State(st): State<Arc<AppState>>) -> PageResult {
    let log = st
        .query(|v, _| Ok(v.audit_log()))
        .await
        .map_err(PageError::from)?;
    let v = st.view();
    // An event's title: its date and summary, as the view holds it (merged-away events by
    // the event they went into).
    let titles = |id: &str| -> Option<String> {
        if let Some(doc) = id.strip_prefix("document:") {
            return v.source_title(doc);
        }
        let h = &v.history;
        let e = h
            .events
            .iter()
            .chain(h.rejected.iter())
            .find(|e| e.id == id)
            .or_else(|| h.merged_into(id))?;
        Some(format!(
            "{} · {}",
            super::date_range(&e.date_start, &e.date_end),
            super::timeline::event_title(e)
        ))
    };
    let stale: Vec<&AuditEntry> = log
        .iter()
        .filter(|a| a.state == DecisionState::Stale)
        .collect();
    let mut b = format!(
        "<h1>{}</h1><p class=\"lead\"><span class=\"count-total\">{}</span> {}</p>",
        esc(super::ui::t("audit_title")),
        log.len(),
        esc(super::ui::count_label("lead_audit", log.len()))
    );
    // Who retracts, with which token: given once here (or in any curation form).
    let _ = write!(
        b,
        "<form id=\"audit-auth\" class=\"box\" autocomplete=\"off\"><div class=\"row\"><label>{} <input id=\"cur-who\" name=\"who\" autocomplete=\"name\"></label><label>{} <input id=\"token\" name=\"token\" type=\"password\"></label><span class=\"hint\">{}</span></div></form>",
        esc(super::ui::t("cur_who")),
        esc(super::ui::t("cur_token")),
        esc(super::ui::t("token_hint")),
    );
    let _ = write!(
        b,
        "<section id=\"stale\"><h2>{} ({})</h2>",
        esc(super::ui::t("h_stale")),
        stale.len()
    );
    if stale.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_stale"))
        );
    } else {
        let _ = write!(
            b,
            "<div class=\"scroll\"><table class=\"list audit\">{}<tbody>",
            head()
        );
        for a in &stale {
            b.push_str(&row_html(a, "stale-row", &titles));
        }
        b.push_str("</tbody></table></div>");
    }
    let _ = write!(
        b,
        "</section><section><h2>{}</h2><div class=\"scroll\"><table id=\"audit-log\" class=\"list audit\">{}<tbody>",
        esc(super::ui::t("h_every_decision")),
        head()
    );
    for a in &log {
        b.push_str(&row_html(a, "audit-row", &titles));
    }
    b.push_str("</tbody></table></div>");
    if log.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_decisions"))
        );
    }
    b.push_str("</section>");
    Ok(page(
        super::ui::t("audit_title"),
        Nav::Audit,
        "page-audit",
        &b,
    ))
}
