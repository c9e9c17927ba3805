//! `/conflicts`: where the sources disagree, every side with its evidence and the note.

use super::layout::{Nav, page};
use super::{PageResult, esc, evidence_link, json_text};
use crate::server::state::AppState;
use axum::extract::State;
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::Arc;

/// One conflict (as the API serializes it) with its sides side by side.
pub fn conflict_html(v: Option<&crate::server::state::View>, c: &Value) -> String {
    let s = |k: &str| c.get(k).map(json_text).unwrap_or_default();
    let kind = s("kind");
    let mut out = format!(
        "<article class=\"conflict\" id=\"{id}\" data-id=\"{id}\" data-kind=\"{kind}\">\
         <h3><span class=\"conflict-kind\">{kind_label}</span> {topic}</h3><div class=\"claims\">",
        id = esc(&s("id")),
        kind = esc(&kind),
        kind_label = esc(&kind.replace('_', " ")),
        topic = esc(&s("topic")),
    );
    for (i, claim) in c
        .get("claims")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let value = claim.get("value").map(json_text).unwrap_or_default();
        let _ = write!(
            out,
            "<section class=\"claim\"><h4><span class=\"side\">side {}</span> <span class=\"claim-value\">{}</span></h4>",
            i + 1,
            esc(&value)
        );
        if let Some(ev) = claim
            .get("value_json")
            .and_then(|v| v.get("event"))
            .and_then(Value::as_str)
        {
            let _ = write!(
                out,
                "<p class=\"claim-event\">event <a href=\"/events/{}\">{}</a></p>",
                super::url_enc(ev),
                esc(ev)
            );
        }
        out.push_str("<ul class=\"evidence-list\">");
        for sp in claim
            .get("evidence")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let doc = sp.get("doc").and_then(Value::as_str).unwrap_or("");
            let start = sp.get("start").and_then(Value::as_u64).unwrap_or(0);
            let end = sp.get("end").and_then(Value::as_u64).unwrap_or(0);
            let text = sp.get("text").and_then(Value::as_str).unwrap_or("");
            let _ = write!(
                out,
                "<li class=\"evidence\">{}<blockquote>{}</blockquote></li>",
                match v {
                    Some(v) => super::cite_link(v, doc, start, end, "event"),
                    None => evidence_link(doc, start, end),
                },
                esc(text)
            );
        }
        out.push_str("</ul></section>");
    }
    let _ = write!(
        out,
        "</div><p class=\"note\"><b>Note:</b> {}</p></article>",
        esc(&s("note"))
    );
    out
}

pub async fn conflicts(State(st): State<Arc<AppState>>) -> PageResult {
    let v = st.view();
    let mut b = format!(
        "<h1>{}</h1><p class=\"lead\"><span class=\"count-total\">{}</span> {}</p>{}<section id=\"conflicts\">",
        esc(super::ui::t("conflicts_title")),
        v.history.conflicts.len(),
        esc(super::ui::t("lead_conflicts")),
        super::downloads(&[("CSV", "/api/export?format=csv&kind=conflicts".to_string())]),
    );
    if v.history.conflicts.is_empty() {
        b.push_str(
            "<p class=\"empty\">The sources do not disagree on anything annals can compare.</p>",
        );
    }
    for c in &v.history.conflicts {
        let mut h = conflict_html(Some(&v), &serde_json::json!(c));
        // A figure's conflict links to its series.
        if let Some(s) = v
            .history
            .series
            .iter()
            .find(|s| c.topic.starts_with(&format!("{}, ", s.name)))
        {
            let link = format!(
                "<p class=\"series-link\">In the series <a href=\"/series/{}\">{}</a></p></article>",
                super::url_enc(&s.key),
                esc(&s.name)
            );
            h = h.replacen("</article>", &link, 1);
        }
        b.push_str(&h);
    }
    b.push_str("</section>");
    Ok(page("Conflicts", Nav::Conflicts, "page-conflicts", &b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_claims_are_escaped() {
        let c = serde_json::json!({
            "id": "c-1\"", "kind": "event_date", "topic": "<b>t</b>", "note": "<script>",
            "claims": [{"value": "<i>1950</i>", "value_json": {"event": "ev-\"x"},
                        "evidence": [{"doc": "d<.txt", "start": 1, "end": 2, "text": "<script>alert(1)</script>"}]}]
        });
        let h = conflict_html(None, &c);
        assert!(!h.contains("<script") && !h.contains("<b>t") && !h.contains("<i>1950"));
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
