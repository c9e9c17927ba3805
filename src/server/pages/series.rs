//! `/series` (every series, grouped by unit) and `/series/{key}` (an SVG chart drawn by the
//! server, each point with its sources as a tooltip, and the table of points with source
//! links). A series has one unit: RUB and USD are never drawn on one axis.

use super::layout::{Nav, page};
use super::svg::{W, nice_ticks, short_number};
use super::{PageError, PageResult, esc, lang_badge, reader_href, url_enc};
use crate::history::series::{Origin, Period, Point, Series};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use std::fmt::Write as _;
use std::sync::Arc;

fn unit_label(unit: &str) -> &str {
    super::ui::try_t(&format!("unit_{unit}")).unwrap_or(unit)
}

/// The first and last year a period covers (a "…1988" total is drawn at its end year).
fn span(p: &Period) -> (f64, f64) {
    let s = p.start.unwrap_or(p.end);
    (s as f64, p.end as f64 + 1.0)
}

fn years(points: &[&Point]) -> Option<(f64, f64)> {
    let lo = points.iter().map(|p| span(&p.period).0).reduce(f64::min)?;
    let hi = points.iter().map(|p| span(&p.period).1).reduce(f64::max)?;
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

/// Which figures of a series one chart draws: figures of different kinds never share an
/// axis (a five-year total dwarfs the annual values beside it, a cumulative figure means
/// something else again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// One year each.
    Annual,
    /// A total over several years ("1976–1980").
    Totals,
    /// A total up to a year ("by 1988").
    Cumulative,
}

impl Marks {
    pub const ALL: [Marks; 3] = [Marks::Annual, Marks::Totals, Marks::Cumulative];

    /// The kind of a period's figure.
    pub fn of(p: &Period) -> Marks {
        match p.start {
            None => Marks::Cumulative,
            Some(s) if s == p.end => Marks::Annual,
            Some(_) => Marks::Totals,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Marks::Annual => "annual",
            Marks::Totals => "totals",
            Marks::Cumulative => "cumulative",
        }
    }

    /// A heading for its chart, in the interface language.
    pub fn heading(self) -> &'static str {
        super::ui::t(match self {
            Marks::Annual => "marks_annual",
            Marks::Totals => "marks_totals",
            Marks::Cumulative => "marks_cumulative",
        })
    }
}

/// The chart of one series' figures of one kind (`marks`; None: the first kind the series
/// has, for a thumbnail). Annual values are joined by a line only between consecutive
/// years: a gap in the sources is a gap in the line.
pub fn chart(s: &Series, id: &str, height: f64, axes: bool, marks: Option<Marks>) -> String {
    let marks = marks.or_else(|| {
        Marks::ALL
            .into_iter()
            .find(|m| s.points.iter().any(|p| Marks::of(&p.period) == *m))
    });
    let Some(marks) = marks else {
        return String::new();
    };
    let mine: Vec<&Point> = s
        .points
        .iter()
        .filter(|p| Marks::of(&p.period) == marks)
        .collect();
    let Some((x0, x1)) = years(&mine) else {
        return String::new();
    };
    let (left, right, top, bottom) = if axes {
        (74.0, 16.0, 16.0, 34.0)
    } else {
        (2.0, 2.0, 3.0, 3.0)
    };
    let width = if axes { W } else { 160.0 };
    let vmax = mine
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
        "<svg id=\"{}\" class=\"chart series-chart marks-{}\" data-marks=\"{}\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"{}\">",
        esc(id),
        marks.name(),
        marks.name(),
        esc(&format!(
            "{}: {}",
            super::series_name(s),
            marks.heading().to_lowercase()
        ))
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
    // Lines through annual values of consecutive years only (the first value of each): a
    // year the sources do not give breaks the line.
    if marks == Marks::Annual {
        let mut run: Vec<(i32, String)> = Vec::new();
        let flush = |run: &mut Vec<(i32, String)>, out: &mut String| {
            if run.len() > 1 {
                let pts: Vec<&str> = run.iter().map(|(_, p)| p.as_str()).collect();
                let _ = write!(
                    out,
                    "<polyline class=\"trend\" points=\"{}\"/>",
                    pts.join(" ")
                );
            }
            run.clear();
        };
        for p in &mine {
            let Some(v) = p.values.first() else { continue };
            if run.last().is_some_and(|(yr, _)| p.period.end != yr + 1) {
                flush(&mut run, &mut out);
            }
            run.push((
                p.period.end,
                format!("{:.1},{:.1}", x(p.period.end as f64 + 0.5), y(v.value)),
            ));
        }
        flush(&mut run, &mut out);
    }
    let r = if axes { 5.0 } else { 2.0 };
    for p in &mine {
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
    let mut b = format!(
        "<h1>{}</h1><p class=\"lead\">{}</p>{}<section id=\"series\">",
        esc(super::ui::t("series_title")),
        esc(super::ui::t("lead_series")),
        super::downloads(&[("CSV", "/api/export?format=csv&kind=series".to_string())]),
    );
    if v.history.series.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_series"))
        );
    }
    for unit in ["RUB", "USD", "person"] {
        let group: Vec<&Series> = v.history.series.iter().filter(|s| s.unit == unit).collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(
            b,
            "<h2>{}</h2><table class=\"list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            esc(&super::ui::tf("in_unit", &[("unit", unit_label(unit))])),
            esc(super::ui::t("th_series")),
            esc(super::ui::t("th_chart")),
            esc(super::ui::t("th_years")),
            esc(super::ui::t("th_points")),
            esc(super::ui::t("th_sources")),
        );
        for s in group {
            let yrs = years(&s.points.iter().collect::<Vec<_>>())
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
                name = esc(&super::series_name(s)),
                names = other_names(s),
                spark = chart(s, &format!("spark-{}", s.key), 40.0, false, None),
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
            esc(&super::series_name(s)),
            esc(&s.unit)
        );
    }
    b.push_str("</section>");
    Ok(page(
        super::ui::t("series_title"),
        Nav::Series,
        "page-series-list",
        &b,
    ))
}

pub async fn one(State(st): State<Arc<AppState>>, Path(key): Path<String>) -> PageResult {
    let v = st.view();
    let s = v
        .history
        .series_by_key(&key)
        .ok_or_else(|| PageError::not_found(format!("no series has the key {key:?}")))?;
    let mut b = format!(
        "<article id=\"series-page\" data-key=\"{}\"><p class=\"crumbs\"><a href=\"/series\">{}</a> ›</p><h1>{}</h1>\
         <p class=\"names\">{}</p>\
         <p class=\"meta\">{} <b class=\"unit\">{}</b> · {} · {}. {}</p>{}",
        esc(&s.key),
        esc(super::ui::t("series_title")),
        esc(&super::series_name(s)),
        other_names(s),
        esc(super::ui::t("unit_label")),
        esc(unit_label(&s.unit)),
        esc(&super::ui::count("n_points", s.points.len())),
        esc(&super::ui::count("n_sources", s.source_count())),
        esc(super::ui::t("chart_hint")),
        super::downloads(&[(
            "CSV",
            format!(
                "/api/export{}",
                super::query_string(&[
                    ("format", "csv".into()),
                    ("kind", "series".into()),
                    ("series", s.key.clone())
                ])
            )
        )]),
    );
    // One chart per kind of figure, each with its own axis.
    let kinds: Vec<Marks> = Marks::ALL
        .into_iter()
        .filter(|m| s.points.iter().any(|p| Marks::of(&p.period) == *m))
        .collect();
    for (i, m) in kinds.iter().enumerate() {
        let _ = write!(
            b,
            "<div class=\"chart-box\" data-marks=\"{}\">{}{}<p class=\"legend-line\"><span class=\"key key-point\"></span> {}{} · <span class=\"key key-disputed\"></span> {}</p></div>",
            m.name(),
            if kinds.len() > 1 {
                format!("<h2 class=\"chart-title\">{}</h2>", m.heading())
            } else {
                String::new()
            },
            chart(
                s,
                &if i == 0 {
                    "series-chart".to_string()
                } else {
                    format!("series-chart-{}", m.name())
                },
                if *m == Marks::Annual { 340.0 } else { 220.0 },
                true,
                Some(*m)
            ),
            esc(super::ui::t("legend_value")),
            match m {
                Marks::Annual => format!(" ({})", esc(super::ui::t("legend_annual"))),
                Marks::Totals => format!(
                    " · <span class=\"key key-interval\"></span> {}",
                    esc(super::ui::t("legend_totals"))
                ),
                Marks::Cumulative => format!(" {}", esc(super::ui::t("legend_cumulative"))),
            },
            esc(super::ui::t("legend_disputed"))
        );
    }
    let _ = write!(
        b,
        "<table id=\"points\" class=\"list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(super::ui::t("th_period")),
        esc(super::ui::t("th_value")),
        esc(super::ui::t("th_sources"))
    );
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
                    format!(
                        " <span class=\"approx\">{}</span>",
                        esc(super::ui::t("approx"))
                    )
                } else {
                    String::new()
                },
                val.basis
                    .as_ref()
                    .map(|b| format!(" <span class=\"basis\">{}</span>", esc(b)))
                    .unwrap_or_default(),
            );
            for src in &val.sources {
                let origin = match src.origin {
                    Origin::Text => super::ui::t("origin_text").to_string(),
                    Origin::Table => super::ui::tf(
                        "origin_table",
                        &[("table", src.table.as_deref().unwrap_or(""))],
                    ),
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
                    super::cite_link(
                        &v,
                        &src.span.doc,
                        src.span.start as u64,
                        src.span.end as u64,
                        "quantity"
                    ),
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
        let _ = write!(
            b,
            "<section id=\"conflicts\"><h2>{}</h2>",
            esc(super::ui::t("h_disagree"))
        );
        for c in conflicts {
            b.push_str(&super::conflicts::conflict_html(
                Some(&v),
                &serde_json::json!(c),
            ));
        }
        b.push_str("</section>");
    }
    b.push_str("</article>");
    Ok(page(&super::series_name(s), Nav::Series, "page-series", &b))
}

/// A series' names other than its title ([`series_name`]), each marked with its language:
/// `<span lang="vi">…</span> · <span lang="ru">…</span>`.
fn other_names(s: &crate::history::series::Series) -> String {
    let title = super::series_name(s);
    s.names
        .iter()
        .filter(|(_, n)| !n.is_empty() && **n != title)
        .map(|(l, n)| format!("<span lang=\"{l}\">{}</span>", esc(n)))
        .collect::<Vec<_>>()
        .join(" · ")
}
