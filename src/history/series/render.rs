//! `annals series [NAME]`: the list of series, or one series as a table with its sources,
//! as text or JSON.

use super::{Series, conflicts, find};
use crate::history::conflict::Conflict;
use serde_json::{Value, json};

fn conflicts_of<'a>(s: &Series, all: &'a [Conflict]) -> Vec<&'a Conflict> {
    all.iter()
        .filter(|c| {
            c.claims
                .first()
                .is_some_and(|cl| cl.value_json["series"] == s.key.as_str())
        })
        .collect()
}

fn periods(s: &Series) -> String {
    match (s.points.first(), s.points.last()) {
        (Some(a), Some(b)) if s.points.len() > 1 => {
            format!("{} … {}", a.period.display(), b.period.display())
        }
        (Some(a), _) => a.period.display(),
        _ => String::new(),
    }
}

/// The list of series as text: key, points, sources, conflicts, periods, name.
pub fn list_text(series: &[Series]) -> String {
    let all = conflicts(series);
    let mut out = String::new();
    if series.is_empty() {
        out.push_str(
            "no series: no statistic found could be placed in one (a series takes a figure \
             with its unit, what it measures and its period; a figure whose decimal separator \
             is ambiguous is left out, as is one of a measure the series data does not know)\n",
        );
        return out;
    }
    let w = series.iter().map(|s| s.key.len()).max().unwrap_or(3).max(3);
    out += &format!(
        "{:<w$}  {:>6}  {:>7}  {:>9}  {:<22}  name\n",
        "key", "points", "sources", "conflicts", "periods"
    );
    for s in series {
        out += &format!(
            "{:<w$}  {:>6}  {:>7}  {:>9}  {:<22}  {}\n",
            s.key,
            s.points.len(),
            s.source_count(),
            conflicts_of(s, &all).len(),
            periods(s),
            s.name
        );
    }
    out
}

/// The list of series as JSON.
pub fn list_json(series: &[Series]) -> Value {
    let all = conflicts(series);
    Value::Array(
        series
            .iter()
            .map(|s| {
                json!({
                    "key": s.key,
                    "name": s.name,
                    "names": s.names,
                    "concept": s.concept,
                    "scope": s.scope,
                    "unit": s.unit,
                    "points": s.points.len(),
                    "sources": s.source_count(),
                    "conflicts": conflicts_of(s, &all).len(),
                    "periods": s.points.iter().map(|p| p.period.display()).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// One series as a table: period, value, and each source (document, byte span, origin, as
/// written); then its conflicts.
pub fn series_text(s: &Series, all: &[Conflict]) -> String {
    let mut out = format!("{}  [{}]\n", s.name, s.key);
    // Its name in the other languages (the fallback language's is the name).
    let fallback = crate::text::lang::Lang::fallback();
    for (l, name) in s.names.iter().filter(|(l, _)| *l != fallback) {
        out += &format!("  {l}: {name}\n");
    }
    out += &format!("  {:<11}  {:<24}  sources\n", "period", "value");
    for p in &s.points {
        let mut first = true;
        for v in &p.values {
            let mut val = v.display.clone();
            if v.approx {
                val = format!("~{val}");
            }
            let mut extra = Vec::new();
            if let Some(b) = &v.basis {
                extra.push(format!("at {b}"));
            }
            for (i, src) in v.sources.iter().enumerate() {
                let per = if first {
                    p.period.display()
                } else {
                    String::new()
                };
                let shown = if i == 0 { val.as_str() } else { "" };
                let mut line = format!(
                    "  {:<11}  {:<24}  {} {}-{} {} \"{}\"",
                    per,
                    shown,
                    src.span.doc,
                    src.span.start,
                    src.span.end,
                    match src.origin {
                        super::Origin::Text => "text",
                        super::Origin::Table => "table",
                    },
                    src.written
                );
                if let Some(t) = &src.table {
                    line += &format!(" ({t})");
                }
                if let Some(q) = &src.qualifier {
                    line += &format!(" [{q}]");
                }
                if i == 0 && !extra.is_empty() {
                    line += &format!(" [{}]", extra.join("; "));
                }
                out += &line;
                out.push('\n');
                first = false;
            }
        }
    }
    let cs = conflicts_of(s, all);
    if !cs.is_empty() {
        out += &format!("  conflicts ({}):\n", cs.len());
        for c in cs {
            out += &format!("    {}: {}\n", c.id, c.topic);
            for cl in &c.claims {
                let ev: Vec<String> = cl
                    .evidence
                    .iter()
                    .map(|e| format!("{} {}-{}", e.doc, e.start, e.end))
                    .collect();
                out += &format!("      {}  ({})\n", cl.value, ev.join(", "));
            }
            out += &format!("      {}\n", c.note);
        }
    }
    out
}

/// One series as JSON, with its conflicts.
pub fn series_json(s: &Series, all: &[Conflict]) -> Value {
    json!({
        "series": s,
        "conflicts": conflicts_of(s, all),
    })
}

/// The command's output: the list (no NAME), or every series NAME selects. Err when NAME
/// selects none (the message lists the keys).
pub fn command(series: &[Series], name: Option<&str>, as_json: bool) -> Result<String, String> {
    let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
        return Ok(if as_json {
            format!(
                "{}\n",
                serde_json::to_string_pretty(&list_json(series)).unwrap_or_default()
            )
        } else {
            list_text(series)
        });
    };
    let found = find(series, name);
    if found.is_empty() {
        return Err(format!(
            "no series is named {name:?}; the series are: {}",
            series
                .iter()
                .map(|s| s.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let all = conflicts(series);
    if as_json {
        let v: Vec<Value> = found.iter().map(|s| series_json(s, &all)).collect();
        return Ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&Value::Array(v)).unwrap_or_default()
        ));
    }
    Ok(found
        .iter()
        .map(|s| series_text(s, &all))
        .collect::<Vec<_>>()
        .join("\n"))
}
