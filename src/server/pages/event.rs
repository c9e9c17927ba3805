//! `/events/{id}`: one merged event: its testimonies side by side, the conflicts that
//! involve it, related events, and the curation controls.

use super::conflicts::conflict_html;
use super::curation::{curation_html, event_form};
use super::layout::{Nav, page};
use super::reader::{Mark, render};
use super::timeline::{field_label, participants_html, type_label};
use super::{PageError, PageResult, date_html, esc, json_text, lang_badge, url_enc};
use crate::history::merge::Statement;
use crate::server::api::event_json;
use crate::server::state::AppState;
use crate::source::decode::Encoding;
use axum::extract::{Path, State};
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::Arc;

/// The statement's sentence with its date and trigger words marked.
pub fn sentence_html(text: &str, date_text: &str, trigger: &str) -> String {
    let mut marks = Vec::new();
    if !date_text.is_empty()
        && let Some(i) = text.find(date_text)
    {
        marks.push(Mark::marked(i, i + date_text.len(), "date-mark"));
    }
    if !trigger.is_empty()
        && let Some(i) = text.find(trigger)
    {
        marks.push(Mark::marked(i, i + trigger.len(), "trigger-mark"));
    }
    render(text.as_bytes(), Encoding::Utf8, 0..text.len(), &marks)
}

/// The machine's date under a curated one, when they differ.
fn machine_date(rec: &Value) -> String {
    let m = &rec["curation"]["machine"];
    match (m["date_start"].as_str(), m["date_end"].as_str()) {
        (Some(a), Some(b))
            if Some(a) != rec["date_start"].as_str() || Some(b) != rec["date_end"].as_str() =>
        {
            format!(
                "<div class=\"machine-value machine-date\" title=\"{}\">{}</div>",
                esc(super::ui::t("machine_date")),
                esc(&super::date_range(a, b))
            )
        }
        _ => String::new(),
    }
}

/// Where a statement's date was read, in the interface language ("origin_sentence" …);
/// an unknown origin as it is.
fn origin_label(o: &str) -> String {
    super::ui::try_t(&format!("origin_{o}")).map_or_else(|| o.replace('_', " "), str::to_string)
}

/// Why an event's statements were taken as one, in the interface language.
fn merge_why(e: &crate::history::merge::Event) -> String {
    use super::ui::{count, t, tf};
    use crate::history::merge::MergeWhy;
    match &e.merge_why {
        MergeWhy::One => t("merge_one").to_string(),
        MergeWhy::Same {
            statements,
            documents,
            date,
            same_predicate,
        } => {
            let mut s = tf(
                "merge_same",
                &[
                    ("statements", &count("n_statements", *statements)),
                    ("documents", &count("n_in_documents", *documents)),
                    ("type", &super::timeline::type_label(&e.ty)),
                    ("date", date),
                ],
            );
            if *same_predicate {
                s.push_str(t("merge_same_predicate"));
            }
            s
        }
        MergeWhy::Curated {
            audit,
            statements,
            documents,
        } => tf(
            "merge_curated",
            &[
                ("n", &audit.to_string()),
                ("statements", &count("n_statements", *statements)),
                ("documents", &count("n_in_documents", *documents)),
            ],
        ),
    }
}

fn statement_html(v: &crate::server::state::View, s: &Statement, record: Option<&Value>) -> String {
    let mut out = format!(
        "<article class=\"statement\" data-fact=\"{}\" data-doc=\"{}\" lang=\"{}\">\
         <header>{} {}</header>",
        s.fact,
        esc(&s.evidence.doc),
        esc(&s.lang),
        lang_badge(&s.lang),
        super::cite_link(
            v,
            &s.evidence.doc,
            s.evidence.start as u64,
            s.evidence.end as u64,
            "event"
        ),
    );
    let _ = write!(
        out,
        "<p class=\"date-line\"><span class=\"statement-date\">{}</span> · {} <q class=\"date-text\">{}</q> <span class=\"date-origin\">({})</span></p>",
        date_html(&s.date_start, &s.date_end),
        esc(super::ui::t("as_written")),
        esc(&s.date_text),
        esc(&origin_label(&s.date_origin))
    );
    let _ = write!(
        out,
        "<blockquote class=\"sentence\">{}</blockquote>",
        sentence_html(&s.evidence.text, &s.date_text, &s.trigger)
    );
    let mut meta = Vec::new();
    if !s.trigger.is_empty() {
        meta.push(format!(
            "{} <q>{}</q>",
            esc(super::ui::t("stated_by_words")),
            esc(&s.trigger)
        ));
    }
    if !s.participants.is_empty() {
        meta.push(format!(
            "{} {}",
            esc(super::ui::t("names_label")),
            participants_html(&s.participants)
        ));
    }
    if let Some(p) = &s.place {
        // The place is an entity: named in the interface language, as in the event's table.
        meta.push(format!(
            "{} {}",
            esc(super::ui::t("place_label")),
            esc(&super::timeline::participant_name(p))
        ));
    }
    if s.modality != "asserted" && !s.modality.is_empty() {
        meta.push(esc(&super::timeline::modality_label(&s.modality)));
    }
    if !meta.is_empty() {
        let _ = write!(out, "<p class=\"statement-meta\">{}</p>", meta.join(" · "));
    }
    if let Some(r) = record {
        out.push_str(&curation_html(r));
    }
    out.push_str("</article>");
    out
}

pub async fn event(State(st): State<Arc<AppState>>, Path(id): Path<String>) -> PageResult {
    let v = st.view();
    // An event merged into another by curation: its address leads to the survivor.
    if !v.history.events.iter().any(|e| e.id == id)
        && !v.history.rejected.iter().any(|e| e.id == id)
        && let Some(s) = v.history.merged_into(&id)
    {
        return Err(PageError::redirect(format!(
            "/events/{}?merged_from={}",
            super::url_enc(&s.id),
            super::url_enc(&id)
        )));
    }
    // A rejected event has left the timeline but keeps its page (with its curation).
    let (e, conflicts) = match v.history.events.iter().find(|e| e.id == id) {
        Some(e) => {
            let json = event_json(&v, &id).map_err(PageError::from)?;
            (e, json.get("conflicts").cloned().unwrap_or(Value::Null))
        }
        None => (
            v.history
                .rejected
                .iter()
                .find(|e| e.id == id)
                .ok_or_else(|| PageError::not_found(format!("no event has the id {id:?}")))?,
            Value::Null,
        ),
    };
    let record = v.history.event_record(e);
    let rec = &record;
    let get = |k: &str| rec.get(k).map(json_text).unwrap_or_default();
    let (ds, de) = (get("date_start"), get("date_end"));
    let mut b = format!(
        "<article id=\"event\" data-id=\"{}\"><p class=\"crumbs\"><a href=\"/timeline\">{crumb}</a> ›</p>\
         <div class=\"event-head\"><div class=\"event-date big\">{}{}</div><div><h1>{}</h1>\
         <p class=\"meta\"><span class=\"event-type\">{}</span> · <span class=\"event-field\">{}</span> · \
         <span class=\"source-count\" data-sources=\"{n}\">{stated}</span> {statements} {}</p></div></div>",
        esc(&e.id),
        date_html(&ds, &de),
        machine_date(rec),
        esc(&super::timeline::event_title(e)),
        esc(&type_label(&get("type"))),
        esc(&field_label(&get("field"))),
        e.languages
            .iter()
            .map(|l| lang_badge(l))
            .collect::<String>(),
        n = e.sources,
        stated = super::timeline::stated_by(e.sources),
        statements = super::timeline::statements(e.statements.len()),
        crumb = esc(super::ui::t("nav_timeline")),
    );
    if !v.history.events.iter().any(|x| x.id == e.id) {
        let _ = write!(
            b,
            "<p class=\"rejected-banner\">{}</p>",
            esc(super::ui::t("event_rejected"))
        );
    }
    b.push_str(&curation_html(rec));
    b.push_str("<dl class=\"facts-table\">");
    let participants: Vec<String> = rec
        .get("participants")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(json_text).collect())
        .unwrap_or_default();
    if !participants.is_empty() {
        let _ = write!(
            b,
            "<dt>{}</dt><dd class=\"participants\">{}</dd>",
            esc(super::ui::t("dt_participants")),
            participants_html(&participants)
        );
    }
    // A place and what the event is about (a treaty, a war) are entities: named in the
    // interface language where the gazetteer has a label.
    let list = |k: &str| -> Vec<String> {
        match rec.get(k) {
            Some(Value::Array(a)) => a.iter().map(json_text).collect(),
            Some(v) if !v.is_null() => vec![json_text(v)],
            _ => Vec::new(),
        }
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect()
    };
    for (label, vals) in [("dt_place", &list("place")), ("dt_about", &list("about"))] {
        if !vals.is_empty() {
            let _ = write!(
                b,
                "<dt>{}</dt><dd>{}</dd>",
                esc(super::ui::t(label)),
                esc(&vals
                    .iter()
                    .map(|x| super::timeline::participant_name(x))
                    .collect::<Vec<_>>()
                    .join(", "))
            );
        }
    }
    let modality = get("modality");
    if !modality.is_empty() && modality != "asserted" {
        let _ = write!(
            b,
            "<dt>{}</dt><dd class=\"modality\">{}</dd>",
            esc(super::ui::t("dt_modality")),
            esc(&super::timeline::modality_label(&modality))
        );
    }
    let _ = write!(
        b,
        "<dt>{}</dt><dd class=\"merge-reason\">{}</dd></dl>",
        esc(super::ui::t("dt_why_merged")),
        esc(&merge_why(e))
    );
    // Testimonies, side by side.
    let _ = write!(
        b,
        "<section id=\"statements\"><h2>{}</h2><div class=\"side-by-side\">",
        esc(super::ui::t("h_testimonies"))
    );
    let evidence = rec.get("evidence").and_then(Value::as_array);
    for s in &e.statements {
        let r = evidence.and_then(|ev| {
            ev.iter()
                .find(|x| x.get("fact").and_then(Value::as_i64) == Some(s.fact))
        });
        b.push_str(&statement_html(&v, s, r));
    }
    b.push_str("</div></section>");
    // Conflicts.
    if let Some(cs) = conflicts.as_array().filter(|c| !c.is_empty()) {
        let _ = write!(
            b,
            "<section id=\"conflicts\"><h2>{}</h2>",
            esc(super::ui::t("h_disagree"))
        );
        for c in cs {
            b.push_str(&conflict_html(Some(&v), c));
        }
        b.push_str("</section>");
    }
    // Related events.
    if !e.related.is_empty() {
        let _ = write!(
            b,
            "<section id=\"related\"><h2>{}</h2><p class=\"hint\">{}</p><ul>",
            esc(super::ui::t("h_related")),
            esc(super::ui::t("related_hint"))
        );
        for r in &e.related {
            match v.history.events.iter().find(|x| &x.id == r) {
                Some(x) => {
                    let _ = write!(
                        b,
                        "<li>{} <a href=\"/events/{}\">{}</a> <span class=\"source-count\">({})</span></li>",
                        date_html(&x.date_start, &x.date_end),
                        url_enc(&x.id),
                        esc(&super::timeline::event_title(x)),
                        esc(&super::ui::count("n_sources", x.sources))
                    );
                }
                None => {
                    let _ = write!(b, "<li>{}</li>", esc(r));
                }
            }
        }
        b.push_str("</ul></section>");
    }
    // Curation.
    let others: Vec<(&str, String)> = v
        .history
        .events
        .iter()
        .filter(|x| x.id != e.id && x.ty == e.ty)
        .map(|x| {
            (
                x.id.as_str(),
                format!(
                    "{} {}",
                    super::date_range(&x.date_start, &x.date_end),
                    super::timeline::event_title(x)
                ),
            )
        })
        .collect();
    let _ = write!(
        b,
        "<section id=\"curation\"><h2>{}</h2><p class=\"hint\">{}</p>",
        esc(super::ui::t("h_curation")),
        esc(super::ui::t("curation_hint")).replace(
            "{audit}",
            &format!(
                "<a href=\"/audit\">{}</a>",
                esc(super::ui::t("audit_log_link"))
            )
        )
    );
    b.push_str(&event_form(e, &others));
    b.push_str("</section></article>");
    Ok(page(
        &super::timeline::event_title(e),
        Nav::Timeline,
        "page-event",
        &b,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_marks_and_escapes() {
        let h = sentence_html("<b>Ngày 3-11-1978</b>, ký Hiệp ước", "3-11-1978", "ký");
        assert!(h.contains("<mark class=\"date-mark\">3-11-1978</mark>"));
        assert!(h.contains("<mark class=\"trigger-mark\">ký</mark>"));
        assert!(h.starts_with("&lt;b&gt;"));
    }
}
