//! Edited values: which fields of a fact or an event may be edited, how a value given by a
//! historian is checked and normalized, and how one edited field becomes record fields.
//!
//! A field is named as the historian thinks of it (`date`, `participants`, `entity`); its
//! normalized value is what the audit log keeps, and [`expand_fact`] / [`expand_event`]
//! turn it into the record fields it sets (`date` of a timex sets `value_start` and
//! `value_end`).

use super::CurationError;
use serde_json::{Map, Value, json};

/// Record fields that are the span, never values.
const SPAN_FIELDS: [&str; 6] = ["kind", "doc", "start", "end", "text", "curation"];

/// The event fields a historian may edit.
pub const EVENT_FIELDS: [&str; 8] = [
    "date",
    "date_start",
    "date_end",
    "type",
    "field",
    "participants",
    "place",
    "summary",
];

/// The fields of a source's citation a historian may correct.
pub const SOURCE_FIELDS: [&str; 9] = [
    "title", "authors", "year", "venue", "volume", "issue", "pages", "url", "doi",
];

/// A citation field's value as the machine read it (`Value::Null` when it read none).
pub fn source_field(m: &crate::source::meta::SourceMeta, field: &str) -> Value {
    let s = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    match field {
        "title" => s(&m.title),
        "authors" if m.authors.is_empty() => Value::Null,
        "authors" => Value::Array(m.authors.iter().cloned().map(Value::String).collect()),
        "year" => m.year.map_or(Value::Null, Value::from),
        "venue" => s(&m.venue),
        "volume" => s(&m.volume),
        "issue" => s(&m.issue),
        "pages" => m
            .pages
            .map_or(Value::Null, |(a, e)| Value::String(format!("{a}-{e}"))),
        "url" => s(&m.url),
        "doi" => s(&m.doi),
        _ => Value::Null,
    }
}

/// A corrected citation field, checked and in its canonical form: `year` a year (1 to
/// 2100), `authors` names (a list, or one text with `;` between names), `pages` `A-B` or
/// one page, the rest one line of text (at most 1000 characters). `null` removes what the
/// machine read.
///
/// # Errors
/// An unknown field ([`SOURCE_FIELDS`]) or a value of the wrong kind.
pub fn normalize_source(field: &str, v: &Value) -> Result<Value, CurationError> {
    if !SOURCE_FIELDS.contains(&field) {
        return Err(CurationError::UnknownField {
            field: field.to_string(),
            target: "a source".into(),
            allowed: SOURCE_FIELDS.join(", "),
        });
    }
    if v.is_null() {
        return Ok(Value::Null);
    }
    let line = |s: &str| -> Result<String, CurationError> {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Err(invalid(field, "empty: give a value, or null to remove it"));
        }
        if t.chars().count() > 1000 {
            return Err(invalid(field, "longer than 1000 characters"));
        }
        if t.chars().any(char::is_control) {
            return Err(invalid(field, "control characters"));
        }
        Ok(t)
    };
    match field {
        "year" => {
            let y = match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            match y {
                Some(y) if (1..=2100).contains(&y) => Ok(Value::from(y)),
                _ => Err(invalid(field, "a year from 1 to 2100")),
            }
        }
        "authors" => {
            let names: Vec<String> = match v {
                Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| invalid(field, "names as texts"))?,
                Value::String(s) => s.split(';').map(str::to_string).collect(),
                _ => {
                    return Err(invalid(
                        field,
                        "names: a list, or one text with ; between them",
                    ));
                }
            };
            let names: Vec<Value> = names
                .iter()
                .filter(|n| !n.trim().is_empty())
                .map(|n| line(n).map(Value::String))
                .collect::<Result<_, _>>()?;
            if names.is_empty() {
                return Err(invalid(field, "no name given"));
            }
            Ok(Value::Array(names))
        }
        "pages" => {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(invalid(field, "pages as A-B or one page")),
            };
            let t = s.replace(['–', '—'], "-");
            let parts: Vec<&str> = t.split('-').map(str::trim).collect();
            let ok =
                |p: &str| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit());
            match parts.as_slice() {
                [a] if ok(a) => Ok(Value::String(a.to_string())),
                [a, b] if ok(a) && ok(b) => Ok(Value::String(format!("{a}-{b}"))),
                _ => Err(invalid(field, "pages as A-B or one page (digits)")),
            }
        }
        _ => match v {
            Value::String(s) => Ok(Value::String(line(s)?)),
            _ => Err(invalid(field, "a text")),
        },
    }
}

fn invalid(field: &str, why: impl Into<String>) -> CurationError {
    CurationError::InvalidValue {
        field: field.to_string(),
        why: why.into(),
    }
}

/// True for an ISO date prefix (`1978`, `1978-11`, `1978-11-03`); `X` stands for an
/// unknown digit (`XXXX-09`), as in partial timexes.
/// The date must exist: month 01–12, a day the month has (29 February only in a leap
/// year); a part with an unknown digit is checked as far as it is known.
pub fn is_iso_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(|c| c.is_ascii_digit() || *c == b'X');
    let shape = match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    };
    if !shape {
        return false;
    }
    // A known number, or None when a digit is unknown.
    let known = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    let month = if b.len() >= 7 { known(5..7) } else { None };
    if month.is_some_and(|m| !(1..=12).contains(&m)) || (b.len() >= 7 && &s[5..7] == "00") {
        return false;
    }
    if b.len() == 10 {
        let day = known(8..10);
        if &s[8..10] == "00" || day.is_some_and(|d| d > 31) {
            return false;
        }
        if let (Some(m), Some(d)) = (month, day) {
            let leap = known(0..4).is_none_or(|y| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
            let days = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if d > days {
                return false;
            }
        }
    }
    true
}

/// A date interval from `"1978-11-03"`, `"1975/1991"`, `["1975", "1991"]` or
/// `{"start": .., "end": ..}` (also `date_start`/`date_end`, `value_start`/`value_end`).
pub fn date_interval(field: &str, v: &Value) -> Result<(String, String), CurationError> {
    let (a, b) = match v {
        // A year given as a number (`--value 1978`).
        Value::Number(n) if n.as_u64().is_some_and(|y| y <= 9999) => {
            let y = format!("{:04}", n.as_u64().unwrap_or_default());
            (y.clone(), y)
        }
        Value::String(s) => match s.trim().split_once('/') {
            Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
            None => (s.trim().to_string(), s.trim().to_string()),
        },
        Value::Array(a) if a.len() == 2 => match (a[0].as_str(), a[1].as_str()) {
            (Some(x), Some(y)) => (x.to_string(), y.to_string()),
            _ => return Err(invalid(field, "two ISO dates expected")),
        },
        Value::Object(m) => {
            let get = |keys: [&str; 3]| keys.iter().find_map(|k| m.get(*k)?.as_str());
            match (
                get(["start", "date_start", "value_start"]),
                get(["end", "date_end", "value_end"]),
            ) {
                (Some(x), Some(y)) => (x.to_string(), y.to_string()),
                _ => return Err(invalid(field, "an object with start and end expected")),
            }
        }
        _ => {
            return Err(invalid(
                field,
                "an ISO date (1978-11-03) or interval (1975/1991) expected",
            ));
        }
    };
    for d in [&a, &b] {
        if !is_iso_prefix(d) {
            return Err(invalid(
                field,
                format!("{d:?} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
            ));
        }
    }
    if a > b {
        return Err(invalid(field, format!("{a} is after {b}")));
    }
    Ok((a, b))
}

/// The display form of an interval: `"1978"` or `"1975/1991"`.
pub fn interval_text(a: &str, b: &str) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}/{b}")
    }
}

fn one_date(field: &str, v: &Value) -> Result<Value, CurationError> {
    if let Some(y) = v.as_u64().filter(|y| *y <= 9999) {
        return Ok(Value::String(format!("{y:04}")));
    }
    match v.as_str().map(str::trim) {
        Some(s) if is_iso_prefix(s) => Ok(Value::String(s.to_string())),
        _ => Err(invalid(
            field,
            "an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) expected",
        )),
    }
}

fn event_type(field: &str, v: &Value) -> Result<Value, CurationError> {
    let ontology = crate::knowledge::events::ontology();
    let s = v
        .as_str()
        .ok_or_else(|| invalid(field, "a type name expected"))?;
    if ontology.types.contains_key(s) {
        Ok(Value::String(s.to_string()))
    } else {
        let all: Vec<&str> = ontology.types.keys().map(String::as_str).collect();
        Err(invalid(
            field,
            format!("unknown event type {s:?}; types: {}", all.join(", ")),
        ))
    }
}

fn event_field(field: &str, v: &Value) -> Result<Value, CurationError> {
    let ontology = crate::knowledge::events::ontology();
    let s = v
        .as_str()
        .ok_or_else(|| invalid(field, "a field name expected"))?;
    if ontology.fields.iter().any(|f| f == s) {
        Ok(Value::String(s.to_string()))
    } else {
        Err(invalid(
            field,
            format!(
                "unknown field {s:?}; fields: {}",
                ontology.fields.join(", ")
            ),
        ))
    }
}

/// Participants: a list of names, or one string of names separated by commas or
/// semicolons. Each name that names exactly one gazetteer entity (in any language) becomes
/// its canonical label; a name the gazetteer lacks is kept as written.
fn participants(field: &str, v: &Value) -> Result<Value, CurationError> {
    let names: Vec<String> = match v {
        Value::String(s) => s
            .split([',', ';'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(|s| s.trim().to_string())
                    .ok_or_else(|| invalid(field, "names expected"))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(invalid(field, "a list of names expected")),
    };
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let found = crate::knowledge::gazetteer::resolve_all(&n);
        let label = match found.as_slice() {
            [e] => e.name.clone(),
            [] => n,
            many => {
                return Err(invalid(
                    field,
                    format!(
                        "{n:?} names several entities: {}",
                        many.iter()
                            .map(|e| e.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        };
        if !out.contains(&label) {
            out.push(label);
        }
    }
    Ok(json!(out))
}

/// The gazetteer id of a canonical label, when it names exactly one entity.
fn entity_id(label: &str) -> Option<String> {
    match crate::knowledge::gazetteer::resolve_all(label).as_slice() {
        [e] => Some(e.id.clone()),
        _ => None,
    }
}

fn optional_string(field: &str, v: &Value) -> Result<Value, CurationError> {
    match v {
        Value::Null => Ok(Value::Null),
        Value::String(s) => Ok(Value::String(s.trim().to_string())),
        _ => Err(invalid(field, "a text expected")),
    }
}

/// Checks and normalizes an edit of `field` of an event. Returns the normalized value.
pub fn normalize_event(field: &str, v: &Value) -> Result<Value, CurationError> {
    match field {
        "date" => {
            let (a, b) = date_interval(field, v)?;
            Ok(Value::String(interval_text(&a, &b)))
        }
        "date_start" | "date_end" => one_date(field, v),
        "type" => event_type(field, v),
        "field" => event_field(field, v),
        "participants" => participants(field, v),
        "place" | "summary" => optional_string(field, v),
        _ => Err(CurationError::UnknownField {
            field: field.to_string(),
            target: "an event".to_string(),
            allowed: EVENT_FIELDS.join(", "),
        }),
    }
}

/// The event fields an edit of `field` sets.
pub fn expand_event(field: &str, v: &Value) -> Vec<(String, Value)> {
    match field {
        "date" => match date_interval(field, v) {
            Ok((a, b)) => vec![
                ("date_start".into(), a.into()),
                ("date_end".into(), b.into()),
            ],
            Err(_) => Vec::new(),
        },
        _ => vec![(field.to_string(), v.clone())],
    }
}

/// The fields of a fact record of `kind` a historian may edit.
pub fn fact_fields(kind: &str, record: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match kind {
        "timex" | "event_statement" => out.push("date".into()),
        "mention" => out.push("entity".into()),
        _ => {}
    }
    if let Some(m) = record.as_object() {
        for k in m.keys() {
            if !SPAN_FIELDS.contains(&k.as_str()) && !k.ends_with("_span") && !out.contains(k) {
                out.push(k.clone());
            }
        }
    }
    out
}

fn same_json_type(machine: &Value, v: &Value) -> bool {
    matches!(
        (machine, v),
        (Value::Null, _)
            | (_, Value::Null)
            | (Value::Bool(_), Value::Bool(_))
            | (Value::Number(_), Value::Number(_))
            | (Value::String(_), Value::String(_))
            | (Value::Array(_), Value::Array(_))
            | (Value::Object(_), Value::Object(_))
    )
}

/// Checks and normalizes an edit of `field` of a fact of `kind` whose machine record is
/// `record`. Returns the normalized value.
pub fn normalize_fact(
    kind: &str,
    record: &Value,
    field: &str,
    v: &Value,
) -> Result<Value, CurationError> {
    let allowed = fact_fields(kind, record);
    if !allowed.iter().any(|f| f == field) {
        return Err(CurationError::UnknownField {
            field: field.to_string(),
            target: format!("the {kind} fact"),
            allowed: allowed.join(", "),
        });
    }
    match (kind, field) {
        (_, "date") => {
            let (a, b) = date_interval(field, v)?;
            return Ok(Value::String(interval_text(&a, &b)));
        }
        ("mention", "entity") => {
            let name = v
                .as_str()
                .ok_or_else(|| invalid(field, "an entity name expected"))?;
            return match crate::knowledge::gazetteer::resolve_all(name).as_slice() {
                [e] => Ok(Value::String(e.name.clone())),
                [] => Err(invalid(field, format!("no entity is named {name:?}"))),
                many => Err(invalid(
                    field,
                    format!(
                        "{name:?} names several entities: {}",
                        many.iter()
                            .map(|e| e.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            };
        }
        ("quantity", "unit") => {
            let u = v
                .as_str()
                .ok_or_else(|| invalid(field, "a unit code expected"))?;
            let codes = crate::extract::quantity::data::UNIT_CODES;
            if !codes.contains(&u) {
                return Err(invalid(
                    field,
                    format!("{u:?} is not a unit; one of: {}", codes.join(", ")),
                ));
            }
            return Ok(Value::String(u.to_string()));
        }
        ("event_statement", "participants") => return participants(field, v),
        ("event_statement", "type") => return event_type(field, v),
        ("event_statement", "field") => return event_field(field, v),
        (_, "value_start" | "value_end" | "date_start" | "date_end") => {
            return one_date(field, v);
        }
        _ => {}
    }
    if let Some(s) = v.as_str()
        && (s.chars().count() > 1000 || s.chars().any(char::is_control))
    {
        return Err(invalid(
            field,
            "text of at most 1,000 characters without control characters expected",
        ));
    }
    let machine = record.get(field).unwrap_or(&Value::Null);
    if !same_json_type(machine, v) {
        return Err(invalid(
            field,
            format!("the machine's value is {machine}; give a value of the same type"),
        ));
    }
    Ok(v.clone())
}

/// The record fields an edit of `field` of a fact of `kind` sets.
pub fn expand_fact(kind: &str, field: &str, v: &Value) -> Vec<(String, Value)> {
    match (kind, field) {
        (_, "date") => {
            let Ok((a, b)) = date_interval(field, v) else {
                return Vec::new();
            };
            let (ks, ke) = if kind == "event_statement" {
                ("date_start", "date_end")
            } else {
                ("value_start", "value_end")
            };
            vec![(ks.into(), a.into()), (ke.into(), b.into())]
        }
        ("mention", "entity") => {
            let name = v.as_str().unwrap_or_default();
            match crate::knowledge::gazetteer::resolve_all(name).as_slice() {
                [e] => vec![
                    ("entity".into(), e.name.clone().into()),
                    ("entity_id".into(), e.id.clone().into()),
                    ("entity_type".into(), e.kind.clone().into()),
                    ("qid".into(), json!(e.qid)),
                    ("entity_labels".into(), json!(e.other_labels())),
                ],
                _ => Vec::new(),
            }
        }
        ("event_statement", "participants") => {
            let labels: Vec<String> = v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let ids: Vec<String> = labels.iter().filter_map(|l| entity_id(l)).collect();
            vec![
                ("participants".into(), json!(labels)),
                ("participant_ids".into(), json!(ids)),
            ]
        }
        _ => vec![(field.to_string(), v.clone())],
    }
}

/// The current value of `field` (as a historian names it) in a record or event object.
pub fn current(obj: &Map<String, Value>, kind: &str, field: &str) -> Value {
    match field {
        "date" => {
            let (ks, ke) = if kind == "timex" {
                ("value_start", "value_end")
            } else {
                ("date_start", "date_end")
            };
            match (
                obj.get(ks).and_then(Value::as_str),
                obj.get(ke).and_then(Value::as_str),
            ) {
                (Some(a), Some(b)) => Value::String(interval_text(a, b)),
                _ => Value::Null,
            }
        }
        _ => obj.get(field).cloned().unwrap_or(Value::Null),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn source_fields_are_checked_and_canonical() {
        use serde_json::json;
        assert_eq!(
            normalize_source("year", &json!("1986")).unwrap(),
            json!(1986)
        );
        assert_eq!(normalize_source("year", &json!(1986)).unwrap(), json!(1986));
        assert!(normalize_source("year", &json!("19x6")).is_err());
        assert!(normalize_source("year", &json!(3000)).is_err());
        assert_eq!(
            normalize_source("authors", &json!("Trần Hoàng;  Nguyễn Văn A ; ")).unwrap(),
            json!(["Trần Hoàng", "Nguyễn Văn A"])
        );
        assert!(normalize_source("authors", &json!(" ; ")).is_err());
        assert_eq!(
            normalize_source("pages", &json!("12–25")).unwrap(),
            json!("12-25")
        );
        assert_eq!(normalize_source("pages", &json!(7)).unwrap(), json!("7"));
        assert!(normalize_source("pages", &json!("twelve")).is_err());
        assert_eq!(
            normalize_source("title", &json!("  Quan hệ\nViệt – Xô ")).unwrap(),
            json!("Quan hệ Việt – Xô")
        );
        assert!(normalize_source("title", &json!("")).is_err());
        assert_eq!(
            normalize_source("venue", &json!(null)).unwrap(),
            json!(null)
        );
        assert!(matches!(
            normalize_source("colour", &json!("red")),
            Err(CurationError::UnknownField { .. })
        ));
    }

    use super::*;

    #[test]
    fn dates_are_checked_and_normalized() {
        assert!(is_iso_prefix("1978") && is_iso_prefix("1978-11-03") && is_iso_prefix("XXXX-09"));
        assert!(!is_iso_prefix("78") && !is_iso_prefix("1978-1") && !is_iso_prefix("abcd"));
        // Dates that do not exist.
        for bad in [
            "1978-02-30",
            "1978-02-29",
            "1978-13",
            "1978-00",
            "1978-04-31",
            "1978-01-00",
            "1978-01-32",
            "1978-XX-32",
        ] {
            assert!(!is_iso_prefix(bad), "{bad} accepted");
        }
        for good in [
            "1976-02-29",
            "2000-02-29",
            "1978-12-31",
            "1978-04-30",
            "XXXX-02-29",
            "1978-XX-31",
            "1978-1X",
        ] {
            assert!(is_iso_prefix(good), "{good} refused");
        }
        assert!(!is_iso_prefix("1900-02-29"));
        assert_eq!(
            normalize_event("date", &json!("1978-11-03")).unwrap(),
            json!("1978-11-03")
        );
        assert_eq!(
            normalize_event("date", &json!({"start": "1975", "end": "1991"})).unwrap(),
            json!("1975/1991")
        );
        assert!(normalize_event("date", &json!("1991/1975")).is_err());
        assert_eq!(
            normalize_event("date", &json!(1978)).unwrap(),
            json!("1978")
        );
        assert_eq!(
            normalize_event("date_end", &json!(1991)).unwrap(),
            json!("1991")
        );
        assert!(normalize_event("colour", &json!("red")).is_err());
        assert_eq!(
            expand_fact("timex", "date", &json!("1975/1991")),
            vec![
                ("value_start".to_string(), json!("1975")),
                ("value_end".to_string(), json!("1991"))
            ]
        );
    }

    #[test]
    fn fact_edits_keep_the_machine_type() {
        let r = json!({"kind": "quantity", "doc": "d", "start": 0, "end": 1, "text": "x",
                       "value": 1.0, "unit": "RUB"});
        assert_eq!(
            normalize_fact("quantity", &r, "value", &json!(2.5)).unwrap(),
            json!(2.5)
        );
        assert!(normalize_fact("quantity", &r, "value", &json!("two")).is_err());
        assert!(normalize_fact("quantity", &r, "start", &json!(3)).is_err());
    }
}
