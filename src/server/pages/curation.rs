//! The curation controls (a form that `/assets/annals.js` turns into a JSON decision POSTed to
//! `/api/curation` with the token) and the display of curated values beside the machine's.

use super::{esc, json_text};
use crate::history::merge::Event;
use serde_json::Value;
use std::fmt::Write as _;

/// The decisions, with their labels' keys (`data/ui`).
const ACTIONS: [(&str, &str); 5] = [
    ("confirm", "cur_confirm"),
    ("reject", "cur_reject"),
    ("edit", "cur_edit"),
    ("merge", "cur_merge"),
    ("split", "cur_split"),
];

fn common_tail(out: &mut String) {
    let t = super::ui::t;
    let _ = write!(
        out,
        "<label class=\"wide\">{} <textarea id=\"cur-reason\" name=\"reason\" rows=\"2\" required placeholder=\"…\"></textarea></label>\
         <div class=\"row\"><label>{} <input id=\"cur-who\" name=\"who\" autocomplete=\"name\"></label>\
         <label>{} <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\"></label>\
         <button id=\"cur-submit\" type=\"submit\">{}</button></div>\
         <output id=\"curation-result\" role=\"status\" aria-live=\"polite\"></output></form>",
        esc(t("cur_reason")),
        esc(t("cur_who")),
        esc(t("cur_token")),
        esc(t("cur_record")),
    );
}

fn actions(out: &mut String, allowed: &[&str]) {
    let _ = write!(
        out,
        "<label>{} <select id=\"cur-action\" name=\"action\">",
        esc(super::ui::t("cur_decision"))
    );
    for (a, label) in ACTIONS.iter().filter(|(a, _)| allowed.contains(a)) {
        let _ = write!(
            out,
            "<option value=\"{a}\">{}</option>",
            esc(super::ui::t(label))
        );
    }
    out.push_str("</select></label>");
}

/// A curated field's name in the interface language ("date", "participants").
pub fn field_name(f: &str) -> String {
    super::ui::try_t(&format!("curfield_{f}")).map_or_else(|| f.replace('_', " "), str::to_string)
}

/// The form on an event page: confirm, reject, edit (date, participants, type, field,
/// place, summary), merge with another event, split a statement out.
pub fn event_form(e: &Event, others: &[(&str, String)]) -> String {
    let date = if e.date_start == e.date_end {
        e.date_start.clone()
    } else {
        format!("{}/{}", e.date_start, e.date_end)
    };
    let mut s = format!(
        "<form id=\"curation-form\" class=\"curation-form box\" data-target-kind=\"event\" data-target=\"{}\" \
         data-current-date=\"{}\" data-current-participants=\"{}\" data-current-type=\"{}\" data-current-field=\"{}\" \
         data-current-place=\"{}\" data-current-summary=\"{}\">",
        esc(&e.id),
        esc(&date),
        esc(&e.participants.join(", ")),
        esc(&e.ty),
        esc(&e.field),
        esc(e.place.as_deref().unwrap_or("")),
        esc(&e.summary),
    );
    s.push_str("<div class=\"row\">");
    actions(&mut s, &["confirm", "reject", "edit", "merge", "split"]);
    let _ = write!(
        s,
        "<label class=\"for-edit\">{} <select id=\"cur-field\" name=\"field\">\
         {}</select></label>",
        esc(super::ui::t("cur_field")),
        ["date", "participants", "type", "field", "place", "summary"]
            .iter()
            .map(|f| format!("<option value=\"{f}\">{}</option>", esc(&field_name(f))))
            .collect::<String>()
    );
    let _ = write!(
        s,
        "<label class=\"for-edit grow\">{} <input id=\"cur-value\" name=\"value\" value=\"{}\" placeholder=\"{}\"></label>",
        esc(super::ui::t("cur_value")),
        esc(super::ui::t("cur_value_hint")),
        esc(&date)
    );
    // Types and fields are chosen from the ontology, never typed as keys.
    let onto = crate::knowledge::events::ontology();
    let _ = write!(
        s,
        "<label class=\"for-edit grow\" hidden>{} <select id=\"cur-value-type\" class=\"cur-choice\" data-for=\"type\">",
        esc(super::ui::t("cur_new_type"))
    );
    let mut types: Vec<(&String, &str)> = onto
        .types
        .iter()
        .map(|(k, t)| (k, t.label.as_str()))
        .collect();
    types.sort_by_key(|(_, l)| l.to_lowercase());
    for (k, label) in types {
        let _ = write!(
            s,
            "<option value=\"{}\"{}>{}</option>",
            esc(k),
            if *k == e.ty { " selected" } else { "" },
            esc(label)
        );
    }
    let _ = write!(
        s,
        "</select></label><label class=\"for-edit grow\" hidden>{} <select id=\"cur-value-field\" class=\"cur-choice\" data-for=\"field\">",
        esc(super::ui::t("cur_new_field"))
    );
    for f in &onto.fields {
        let _ = write!(
            s,
            "<option value=\"{}\"{}>{}</option>",
            esc(f),
            if *f == e.field { " selected" } else { "" },
            esc(&f.replace('_', " "))
        );
    }
    s.push_str("</select></label>");
    let _ = write!(
        s,
        "<label class=\"for-merge grow\">{} <input id=\"cur-merge-with\" name=\"merge_with\" list=\"cur-merge-list\" placeholder=\"ev-…\"></label><datalist id=\"cur-merge-list\">",
        esc(super::ui::t("cur_other"))
    );
    for (id, label) in others {
        let _ = write!(s, "<option value=\"{}\">{}</option>", esc(id), esc(label));
    }
    let _ = write!(
        s,
        "</datalist><label class=\"for-split grow\">{} <select id=\"cur-statement\" name=\"statement\">",
        esc(super::ui::t("cur_statement"))
    );
    for st in &e.statements {
        let _ = write!(
            s,
            "<option value=\"{}\" data-doc=\"{}\" data-start=\"{}\" data-end=\"{}\">{} @ {}–{} ({})</option>",
            st.fact,
            esc(&st.evidence.doc),
            st.evidence.start,
            st.evidence.end,
            esc(&st.evidence.doc),
            st.evidence.start,
            st.evidence.end,
            esc(&st.lang)
        );
    }
    s.push_str("</select></label></div>");
    // Participants are picked from the entities annals knows (any of their names works).
    s.push_str("<datalist id=\"cur-entities\">");
    for name in entity_names() {
        let _ = write!(s, "<option value=\"{}\"></option>", esc(name));
    }
    s.push_str("</datalist>");
    common_tail(&mut s);
    s
}

/// The names of the gazetteer's people, countries and organizations, sorted (the
/// participants an event may have).
fn entity_names() -> &'static [String] {
    static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<String> = crate::knowledge::gazetteer::builtin()
            .entities
            .iter()
            .filter(|e| matches!(e.kind.as_str(), "person" | "country" | "organization"))
            .map(|e| e.name.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    });
    &NAMES
}

/// A small form that retracts (undoes) the decision `audit_id`, with its reason; the
/// script posts it with the token and name given once in any curation form.
pub fn retract_form(audit_id: i64, label: &str) -> String {
    format!(
        "<form class=\"retract-form\" data-audit=\"{audit_id}\"><label>{} <input name=\"reason\" required></label> <button type=\"submit\" class=\"secondary\">{}</button> <output role=\"status\" aria-live=\"polite\"></output></form>",
        esc(&super::ui::tf("why_undo", &[("n", &audit_id.to_string())])),
        esc(label)
    )
}

/// The form in the reader, for the fact selected (filled in by the script).
pub fn fact_form() -> String {
    let mut s = String::from(
        "<form id=\"curation-form\" class=\"curation-form\" data-target-kind=\"fact\" data-target=\"\" hidden>\
         <div class=\"row\">",
    );
    actions(&mut s, &["confirm", "reject", "edit"]);
    let _ = write!(
        s,
        "<label class=\"for-edit\">{} <select id=\"cur-field\" name=\"field\"></select></label>\
         <label class=\"for-edit grow\">{} <input id=\"cur-value\" name=\"value\" placeholder=\"{}\"></label></div>",
        esc(super::ui::t("cur_field")),
        esc(super::ui::t("cur_value")),
        esc(super::ui::t("cur_fact_value_hint"))
    );
    common_tail(&mut s);
    s
}

/// A record's curation (its `curation` member: status, who, when, why, and under
/// `machine` the machine's value of every curated field): the status, and each field whose
/// curated value differs from the machine's, both shown.
pub fn curation_html(record: &Value) -> String {
    let Some(c) = record.get("curation").filter(|c| c.is_object()) else {
        return String::new();
    };
    let get = |k: &str| c.get(k).map(json_text).unwrap_or_default();
    let status = get("status");
    let mut s = format!(
        "<section class=\"curation-note status-{st}\" data-status=\"{st}\"><p><span class=\"curation-status\">{}</span> {} <b class=\"curation-by\">{}</b> <time datetime=\"{}\">{}</time>",
        esc(&super::ui::try_t(&format!("status_{status}"))
            .map_or_else(|| status.clone(), str::to_string)),
        esc(super::ui::t("by")),
        esc(&get("by")),
        esc(&get("at")),
        esc(&super::ui::readable_time(&get("at"))),
        st = esc(&status),
    );
    let reason = get("reason");
    if !reason.is_empty() {
        let _ = write!(s, " — <q class=\"curation-reason\">{}</q>", esc(&reason));
    }
    let latest = c.get("audit_id").and_then(Value::as_i64);
    if let Some(id) = latest {
        let _ = write!(
            s,
            " <a class=\"audit-ref\" href=\"/audit#audit-{id}\">#{id}</a>"
        );
    }
    s.push_str("</p>");
    if let Some(id) = latest {
        s.push_str(&retract_form(id, super::ui::t("undo_decision")));
    }
    let note = get("note");
    if !note.is_empty() {
        let _ = write!(
            s,
            "<p class=\"curation-stale\">{} {}</p>",
            esc(super::ui::t("not_applied")),
            esc(&note)
        );
    }
    let mut rows = String::new();
    if let Some(machine) = c.get("machine").and_then(Value::as_object) {
        // An interval shows as one date.
        let mut machine = machine.clone();
        let mut record = record.clone();
        for (a, b) in [("date_start", "date_end"), ("value_start", "value_end")] {
            if let (Some(ms), Some(me), Some(rs), Some(re)) = (
                machine.get(a).and_then(Value::as_str),
                machine.get(b).and_then(Value::as_str),
                record.get(a).and_then(Value::as_str),
                record.get(b).and_then(Value::as_str),
            ) {
                let (m, r) = (super::date_range(ms, me), super::date_range(rs, re));
                machine.remove(a);
                machine.remove(b);
                machine.insert("date".into(), Value::String(m));
                record["date"] = Value::String(r);
            }
        }
        for (k, mv) in &machine {
            let cur = record.get(k).unwrap_or(&Value::Null);
            if cur == mv {
                continue;
            }
            let _ = write!(
                rows,
                "<li class=\"curated\" data-field=\"{k}\"><span class=\"curation-field\">{}</span>: <span class=\"curated-value\">{}</span> <span class=\"machine-value\" title=\"{}\">{} {}</span></li>",
                esc(&field_name(k)),
                esc(&json_text(cur)),
                esc(super::ui::t("machine_value")),
                esc(super::ui::t("machine_said")),
                esc(&json_text(mv)),
                k = esc(k),
            );
        }
    }
    for m in c
        .get("merged_from")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = m
            .get("id")
            .or_else(|| m.get("event_id"))
            .map(json_text)
            .unwrap_or_else(|| json_text(m));
        let _ = write!(
            rows,
            "<li class=\"merged-from\">{} {}</li>",
            esc(super::ui::t("merged_from")),
            esc(&id)
        );
    }
    let split = get("split_from");
    if !split.is_empty() {
        let _ = write!(
            rows,
            "<li class=\"split-from\">{} <a href=\"/events/{}\">{}</a></li>",
            esc(super::ui::t("split_from")),
            super::url_enc(&split),
            esc(&split)
        );
    }
    if !rows.is_empty() {
        let _ = write!(s, "<ul>{rows}</ul>");
    }
    s.push_str("</section>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn curated_and_machine_values_both_show_escaped() {
        let r = json!({"date_start": "1978-11-03", "date_end": "1978-11-03", "type": "treaty",
            "curation": {"status": "edited", "by": "<b>lan</b>", "at": "2024-05-01T09:30:00Z",
                "reason": "<script>alert(1)</script>", "audit_id": 7,
                "machine": {"date_start": "1978", "date_end": "1978", "type": "treaty"}}});
        let h = curation_html(&r);
        assert!(h.contains("status-edited") && h.contains("href=\"/audit#audit-7\""));
        assert!(h.contains("data-field=\"date\"><span class=\"curation-field\">date</span>: <span class=\"curated-value\">1978-11-03</span>"));
        assert!(h.contains("machine: 1978<"));
        assert!(!h.contains("data-field=\"type\""));
        assert!(!h.contains("<script") && !h.contains("<b>lan"));
        assert_eq!(curation_html(&json!({"type": "x"})), "");
    }
}
