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
        kind_label = esc(&super::ui::try_t(&format!("conflict_{kind}"))
            .map_or_else(|| kind.replace('_', " "), str::to_string)),
        topic = esc(&topic(v, c).unwrap_or_else(|| s("topic"))),
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
            "<section class=\"claim\"><h4><span class=\"side\">{}</span> <span class=\"claim-value\">{}</span></h4>",
            esc(&super::ui::tf("side_n", &[("n", &(i + 1).to_string())])),
            esc(&value)
        );
        if let Some(ev) = claim
            .get("value_json")
            .and_then(|v| v.get("event"))
            .and_then(Value::as_str)
        {
            let _ = write!(
                out,
                "<p class=\"claim-event\">{} <a href=\"/events/{}\">{}</a></p>",
                esc(super::ui::t("claim_event")),
                super::url_enc(ev),
                esc(&v
                    .and_then(|v| v.history.events.iter().find(|e| e.id == ev))
                    .map_or_else(|| ev.to_string(), super::timeline::event_title))
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
        "</div><p class=\"note\"><b>{}</b> {}</p></article>",
        esc(super::ui::t("note_label")),
        esc(&reason(v, c).unwrap_or_else(|| s("note")))
    );
    out
}

/// A series' name in the interface language (its English name, else its key).
fn series_name(v: Option<&crate::server::state::View>, key: &str) -> String {
    v.and_then(|v| v.history.series.iter().find(|s| s.key == key))
        .map_or_else(|| key.to_string(), super::series_name)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// What a conflict is about, in the interface language, from its reason; `None` for a
/// reason this page does not know (the topic is shown as stored).
fn topic(v: Option<&crate::server::state::View>, c: &Value) -> Option<String> {
    let r = c.get("reason")?;
    let str_of = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    match r.get("code")?.as_str()? {
        "same_document" | "once" | "same_year" => {
            let ty = str_of("event_type");
            let parties = strings(r.get("parties").unwrap_or(&Value::Null));
            Some(super::ui::tf(
                "topic_event_date",
                &[
                    ("type", &super::timeline::type_label(&ty)),
                    ("parties", &parties.join(", ")),
                ],
            ))
            .filter(|_| !ty.is_empty() && !parties.is_empty())
        }
        "values" => Some(format!(
            "{}, {}",
            series_name(v, &str_of("series")),
            str_of("period")
        )),
        _ => None,
    }
}

/// Why the sides were judged to be about one thing, in the interface language.
fn reason(v: Option<&crate::server::state::View>, c: &Value) -> Option<String> {
    let r = c.get("reason")?;
    let str_of = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let parties = || strings(r.get("parties").unwrap_or(&Value::Null)).join(", ");
    let ty = || super::timeline::type_label(&str_of("event_type"));
    Some(match r.get("code")?.as_str()? {
        "same_document" => super::ui::tf("reason_same_document", &[("name", &str_of("name"))]),
        "once" => super::ui::tf("reason_once", &[("type", &ty()), ("parties", &parties())]),
        "same_year" => super::ui::tf(
            "reason_same_year",
            &[("type", &ty()), ("parties", &parties())],
        ),
        "rank" => super::ui::t("reason_rank").to_string(),
        "values" => {
            let pairs: Vec<String> = r
                .get("pairs")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| Some(format!("{} ≠ {}", p.get(0)?.as_str()?, p.get(1)?.as_str()?)))
                .collect();
            let mut s = super::ui::tf(
                "reason_values",
                &[
                    ("series", &series_name(v, &str_of("series"))),
                    ("period", &str_of("period")),
                    ("pairs", &pairs.join("; ")),
                ],
            );
            if let Some(b) = r.get("basis").and_then(Value::as_str) {
                s.push_str(&super::ui::tf("reason_basis", &[("basis", b)]));
            }
            let quals = strings(r.get("qualifiers").unwrap_or(&Value::Null));
            if !quals.is_empty() {
                s.push_str(&super::ui::tf(
                    "reason_qualified",
                    &[("qualifiers", &quals.join("; "))],
                ));
            }
            s
        }
        _ => return None,
    })
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
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_conflicts"))
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
                "<p class=\"series-link\">{} <a href=\"/series/{}\">{}</a></p></article>",
                esc(super::ui::t("in_the_series")),
                super::url_enc(&s.key),
                esc(&series_name(Some(&v), &s.key))
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
