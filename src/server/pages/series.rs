//! `/series` (every series, grouped by unit) and `/series/{key}` (an SVG chart drawn by the
//! server, each point with its sources as a tooltip, and the table of points with source
//! links). A series has one unit: RUB and USD are never drawn on one axis.

use super::layout::{Nav, page};
use super::svg::{W, nice_ticks, short_number};
use super::{PageError, PageResult, esc, evidence_link, lang_badge, reader_href, url_enc};
use crate::history::series::{Origin, Period, Point, Series};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use std::fmt::Write as _;
use std::sync::Arc;

fn unit_label(unit: &str) -> &str {
    match unit {
        "RUB" => "roubles (RUB)",
        "USD" => "US dollars (USD)",
        "person" => "persons",
        other => other,
    }
}

/// The first and last year a period covers (a "…1988" total is drawn at its end year).
fn span(p: &Period) -> (f64, f64) {
    let s = p.start.unwrap_or(p.end);
    (s as f64, p.end as f64 + 1.0)
}

fn years(s: &Series) -> Option<(f64, f64)> {
    let lo = s
        .points
        .iter()
        .map(|p| span(&p.period).0)
        .reduce(f64::min)?;
    let hi = s
        .points
        .iter()
        .map(|p| span(&p.period).1)
        .reduce(f64::max)?;
    Some((lo, hi))
}

/// The tooltip of one value: the period, the value and every source.
fn tooltip(p: &Point, v: &crate::history::series::PointValue) -> String {
    let mut t = format!("{}: {}", p.period.display(), v.display);
    if let Some(b) = &v.basis {
        let _ = write!(t, " ({b})");
    }
    for s in &v.sources {
        let _ = write!(
            t,
            "\n• {} bytes {}–{} ({}): {}",
            s.span.doc, s.span.start, s.span.end, s.lang, s.written
        );
    }
    t
}

/// The chart of one series.
pub fn chart(s: &Series, id: &str, height: f64, axes: bool) -> String {
    let Some((x0, x1)) = years(s) else {
        return String::new();
    };
    let (left, right, top, bottom) = if axes {
        (74.0, 16.0, 16.0, 34.0)
    } else {
        (2.0, 2.0, 3.0, 3.0)
    };
    let width = if axes { W } else { 160.0 };
    let vmax = s
        .points
        .iter()
        .flat_map(|p| &p.values)
        .map(|v| v.value)
        .fold(0.0, f64::max);
    let ticks = nice_ticks(0.0, if vmax > 0.0 { vmax } else { 1.0 }, 5);
    let ymax = ticks.last().copied().unwrap_or(1.0).max(vmax).max(1e-9);
    let (pw, ph) = (width - left - right, height - top - bottom);
    let x = |yr: f64| left + pw * (yr - x0) / (x1 - x0).max(1.0);
    let y = |v: f64| top + ph * (1.0 - v / ymax);
    let mut out = format!(
        "<svg id=\"{}\" class=\"chart series-chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(id),
        esc(&format!("{} by period", s.name))
    );
    if axes {
        for t in &ticks {
            let _ = write!(
                out,
                "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                width - right,
                left - 6.0,
                y(*t) + 4.0,
                esc(&short_number(*t)),
                yy = y(*t)
            );
        }
        let span_years = x1 - x0;
        let step = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
            .into_iter()
            .find(|st| span_years / st <= 16.0)
            .unwrap_or(100.0);
        let mut yr = (x0 / step).ceil() * step;
        while yr <= x1 {
            let _ = write!(
                out,
                "<line class=\"xtick\" x1=\"{xx:.1}\" x2=\"{xx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"label\" x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                top + ph,
                top + ph + 5.0,
                height - 12.0,
                yr as i64,
                xx = x(yr)
            );
            yr += step;
        }
        let _ = write!(
            out,
            "<line class=\"axis\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"unit\" x=\"{left}\" y=\"11\">{}</text>",
            width - right,
            top + ph,
            top + ph,
            esc(unit_label(&s.unit))
        );
    }
    // A line through the single-year points, in order (the first value of each).
    let line: Vec<String> = s
        .points
        .iter()
        .filter(|p| p.period.start == Some(p.period.end))
        .filter_map(|p| p.values.first().map(|v| (p, v)))
        .map(|(p, v)| format!("{:.1},{:.1}", x(p.period.end as f64 + 0.5), y(v.value)))
        .collect();
    if line.len() > 1 {
        let _ = write!(
            out,
            "<polyline class=\"trend\" points=\"{}\"/>",
            line.join(" ")
        );
    }
    let r = if axes { 5.0 } else { 2.0 };
    for p in &s.points {
        let (a, b) = span(&p.period);
        let disputed = p.values.len() > 1;
        for v in &p.values {
            let yy = y(v.value);
            let cx = x((a + b) / 2.0);
            let class = format!(
                "point{}{}",
                if disputed { " disputed" } else { "" },
                if v.approx { " approx" } else { "" }
            );
            let mut inner = String::new();
            if b - a > 1.0 {
                let _ = write!(
                    inner,
                    "<line class=\"interval\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/>",
                    x(a) + 1.0,
                    x(b) - 1.0
                );
            }
            let _ = write!(
                inner,
                "<circle cx=\"{cx:.1}\" cy=\"{yy:.1}\" r=\"{r}\"/><title>{}</title>",
                esc(&tooltip(p, v))
            );
            let href = v
                .sources
                .first()
                .map(|s| reader_href(&s.span.doc, s.span.start as u64, s.span.end as u64));
            match href.filter(|_| axes) {
                Some(h) => {
                    let _ = write!(
                        out,
                        "<a href=\"{}\"><g class=\"{class}\" data-period=\"{}\">{inner}</g></a>",
                        esc(&h),
                        esc(&p.period.display())
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<g class=\"{class}\" data-period=\"{}\">{inner}</g>",
                        esc(&p.period.display())
                    );
                }
            }
        }
    }
    out.push_str("</svg>");
    out
}

pub async fn list(State(st): State<Arc<AppState>>) -> PageResult {
    let v = st.view();
    let mut b = String::from(
        "<h1>Series</h1><p class=\"lead\">Figures the sources give over time, from running text and tables. Every point keeps the sources that state it; roubles and dollars are separate series and never converted.</p><section id=\"series\">",
    );
    if v.history.series.is_empty() {
        b.push_str("<p class=\"empty\">No series yet.</p>");
    }
    for unit in ["RUB", "USD", "person"] {
        let group: Vec<&Series> = v.history.series.iter().filter(|s| s.unit == unit).collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(
            b,
            "<h2>In {}</h2><table class=\"list\"><thead><tr><th>Series</th><th>Chart</th><th>Years</th><th class=\"num\">Points</th><th class=\"num\">Sources</th></tr></thead><tbody>",
            esc(unit_label(unit))
        );
        for s in group {
            let yrs = years(s)
                .map(|(a, b)| {
                    if b - a <= 1.0 {
                        format!("{a}")
                    } else {
                        format!("{a}–{}", b - 1.0)
                    }
                })
                .unwrap_or_default();
            let _ = write!(
                b,
                "<tr class=\"series-row\" data-key=\"{key}\"><td><a href=\"/series/{href}\">{name}</a>\
                 <div class=\"names\">{names}</div></td>\
                 <td class=\"spark\">{spark}</td><td class=\"years\">{yrs}</td><td class=\"num\">{n}</td><td class=\"num\">{src}</td></tr>",
                key = esc(&s.key),
                href = url_enc(&s.key),
                name = esc(&s.name),
                names = other_names(s),
                spark = chart(s, &format!("spark-{}", s.key), 40.0, false),
                n = s.points.len(),
                src = s.source_count(),
            );
        }
        b.push_str("</tbody></table>");
    }
    // Any other unit, listed plainly.
    for s in v
        .history
        .series
        .iter()
        .filter(|s| !["RUB", "USD", "person"].contains(&s.unit.as_str()))
    {
        let _ = write!(
            b,
            "<p class=\"series-row\" data-key=\"{}\"><a href=\"/series/{}\">{}</a> ({})</p>",
            esc(&s.key),
            url_enc(&s.key),
            esc(&s.name),
            esc(&s.unit)
        );
    }
    b.push_str("</section>");
    Ok(page("Series", Nav::Series, "page-series-list", &b))
}

pub async fn one(State(st): State<Arc<AppState>>, Path(key): Path<String>) -> PageResult {
    let v = st.view();
    let s = v
        .history
        .series_by_key(&key)
        .ok_or_else(|| PageError::not_found(format!("no series has the key {key:?}")))?;
    let mut b = format!(
        "<article id=\"series-page\" data-key=\"{}\"><p class=\"crumbs\"><a href=\"/series\">Series</a> ›</p><h1>{}</h1>\
         <p class=\"names\">{}</p>\
         <p class=\"meta\">Unit: <b class=\"unit\">{}</b> · {} point{} · {} source{}. Hover a point for its sources; click it to read the first.</p>",
        esc(&s.key),
        esc(&s.name),
        other_names(s),
        esc(unit_label(&s.unit)),
        s.points.len(),
        if s.points.len() == 1 { "" } else { "s" },
        s.source_count(),
        if s.source_count() == 1 { "" } else { "s" },
    );
    let _ = write!(
        b,
        "<div class=\"chart-box\">{}<p class=\"legend-line\"><span class=\"key key-point\"></span> a value · <span class=\"key key-interval\"></span> a value for several years · <span class=\"key key-disputed\"></span> sources disagree</p></div>",
        chart(s, "series-chart", 340.0, true)
    );
    b.push_str("<table id=\"points\" class=\"list\"><thead><tr><th>Period</th><th>Value</th><th>Sources</th></tr></thead><tbody>");
    for p in &s.points {
        for (i, val) in p.values.iter().enumerate() {
            let _ = write!(
                b,
                "<tr class=\"point-row{}\" data-period=\"{}\"><td class=\"period\">{}</td><td class=\"value\"><b>{}</b>{}{}</td><td><ul class=\"sources\">",
                if p.values.len() > 1 { " disputed" } else { "" },
                esc(&p.period.display()),
                if i == 0 {
                    esc(&p.period.display())
                } else {
                    String::new()
                },
                esc(&val.display),
                if val.approx {
                    " <span class=\"approx\">approx.</span>"
                } else {
                    ""
                },
                val.basis
                    .as_ref()
                    .map(|b| format!(" <span class=\"basis\">{}</span>", esc(b)))
                    .unwrap_or_default(),
            );
            for src in &val.sources {
                let origin = match src.origin {
                    Origin::Text => "running text".to_string(),
                    Origin::Table => format!("table {}", src.table.as_deref().unwrap_or("")),
                };
                let _ = write!(
                    b,
                    "<li class=\"source\">{} <q class=\"written\">{}</q> <span class=\"origin\">{}</span>{}{} {}</li>",
                    lang_badge(&src.lang),
                    esc(&src.written),
                    esc(origin.trim()),
                    src.approx
                        .as_ref()
                        .map(|a| format!(" <span class=\"approx\">{}</span>", esc(a)))
                        .unwrap_or_default(),
                    src.qualifier
                        .as_ref()
                        .map(|q| format!(" <span class=\"qualifier\">{}</span>", esc(q)))
                        .unwrap_or_default(),
                    evidence_link(&src.span.doc, src.span.start as u64, src.span.end as u64),
                );
            }
            b.push_str("</ul></td></tr>");
        }
    }
    b.push_str("</tbody></table>");
    let conflicts: Vec<&crate::history::conflict::Conflict> = v
        .history
        .conflicts
        .iter()
        .filter(|c| c.topic.starts_with(&format!("{}, ", s.name)))
        .collect();
    if !conflicts.is_empty() {
        b.push_str("<section id=\"conflicts\"><h2>Sources disagree</h2>");
        for c in conflicts {
            b.push_str(&super::conflicts::conflict_html(&serde_json::json!(c)));
        }
        b.push_str("</section>");
    }
    b.push_str("</article>");
    Ok(page(&s.name, Nav::Series, "page-series", &b))
}

/// A series' names in the languages other than the fallback's (whose name is its title), each
/// marked with its language: `<span lang="vi">…</span> · <span lang="ru">…</span>`.
fn other_names(s: &crate::history::series::Series) -> String {
    let fallback = crate::text::lang::Lang::fallback();
    s.names
        .iter()
        .filter(|(l, _)| *l != fallback)
        .map(|(l, n)| format!("<span lang=\"{l}\">{}</span>", esc(n)))
        .collect::<Vec<_>>()
        .join(" · ")
}
