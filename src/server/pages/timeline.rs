//! `/timeline`: the merged events, filtered by period, field, actor and type, with an SVG
//! axis drawn by the server (events per decade, year or month; a bar zooms into its period)
//! and the list of events beneath.

use super::layout::{Nav, page};
use super::svg::{Bar, Rug, bars};
use super::{
    PageError, PageResult, date_html, esc, is_iso_prefix, lang_badge, nonempty, pager,
    query_string, url_enc,
};
use crate::history::merge::Event;
use crate::history::timeline::{Filter, filter};
use crate::server::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use std::fmt::Write as _;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub from: Option<String>,
    pub to: Option<String>,
    pub field: Option<String>,
    pub actor: Option<String>,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// decade, year or month.
    pub zoom: Option<String>,
    pub offset: Option<usize>,
    pub limit: Option<usize>,
}

/// The granularity of the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoom {
    Decade,
    Year,
    Month,
}

impl Zoom {
    fn name(self) -> &'static str {
        match self {
            Zoom::Decade => "decade",
            Zoom::Year => "year",
            Zoom::Month => "month",
        }
    }
}

/// A position in fractional years ("1978-11-03" → 1978.84).
pub fn year_pos(iso: &str, end: bool) -> Option<f64> {
    let y: i32 = iso.get(..4)?.parse().ok()?;
    let m: Option<u32> = iso.get(5..7).and_then(|s| s.parse().ok());
    let d: Option<u32> = iso.get(8..10).and_then(|s| s.parse().ok());
    let y = y as f64;
    Some(match (m, d) {
        (None, _) => y + if end { 1.0 } else { 0.0 },
        (Some(m), None) => y + (m as f64 - 1.0 + if end { 1.0 } else { 0.0 }) / 12.0,
        (Some(m), Some(d)) => {
            y + (m as f64 - 1.0) / 12.0 + (d as f64 - 1.0 + if end { 1.0 } else { 0.0 }) / 372.0
        }
    })
}

/// One bin of the axis: its label, its start and end in fractional years, and the filter
/// period that zooms into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    pub label: String,
    pub lo: f64,
    pub hi: f64,
    pub from: String,
    pub to: String,
}

/// The bins covering the years `lo..=hi` (months `m_lo` of `lo` to `m_hi` of `hi` at month
/// zoom), at most a few hundred.
pub fn bins(zoom: Zoom, lo: i32, hi: i32, m_lo: u32, m_hi: u32) -> Vec<Bin> {
    let mut out = Vec::new();
    match zoom {
        Zoom::Decade => {
            let mut d = lo.div_euclid(10) * 10;
            while d <= hi && out.len() < 300 {
                out.push(Bin {
                    label: format!("{d}s"),
                    lo: d as f64,
                    hi: d as f64 + 10.0,
                    from: format!("{d:04}"),
                    to: format!("{:04}", d + 9),
                });
                d += 10;
            }
        }
        Zoom::Year => {
            for y in lo..=hi.min(lo + 299) {
                out.push(Bin {
                    label: y.to_string(),
                    lo: y as f64,
                    hi: y as f64 + 1.0,
                    from: format!("{y:04}"),
                    to: format!("{y:04}"),
                });
            }
        }
        Zoom::Month => {
            let (mut y, mut m) = (lo, m_lo.clamp(1, 12));
            while (y, m) <= (hi, m_hi.clamp(1, 12)) && out.len() < 300 {
                let name = super::ui::t(&format!("month_short_{m}"));
                let label = if m == 1 || out.is_empty() {
                    format!("{name} {y}")
                } else {
                    name.to_string()
                };
                let lo = y as f64 + (m as f64 - 1.0) / 12.0;
                out.push(Bin {
                    label,
                    lo,
                    hi: lo + 1.0 / 12.0,
                    from: format!("{y:04}-{m:02}"),
                    to: format!("{y:04}-{m:02}"),
                });
                if m == 12 {
                    y += 1;
                    m = 1;
                } else {
                    m += 1;
                }
            }
        }
    }
    out
}

fn year_of(s: &str) -> Option<i32> {
    s.get(..4)?.parse().ok()
}

fn month_of(s: &str) -> Option<u32> {
    s.get(5..7)?.parse().ok()
}

/// An entity's name in the interface language: the gazetteer's label in that language for
/// `id`, else `label` (the canonical name the statement carries).
pub fn entity_name(id: &str, label: &str) -> String {
    crate::knowledge::gazetteer::builtin()
        .by_id(id)
        .and_then(|e| e.labels.get(super::ui::lang()).clone())
        .unwrap_or_else(|| label.to_string())
}

/// An event's one-line title in the interface language: the type's summary template
/// (`summary_<type>` in `data/ui`, else `summary_default`) filled with the participants'
/// names in that language, by role where the template names roles and the statement
/// knows them, then the date. In the fallback language it is the event's own summary (the
/// one the exports carry).
pub fn event_title(e: &Event) -> String {
    let lang = super::ui::lang();
    if lang == crate::text::lang::Lang::fallback() {
        return e.summary.clone();
    }
    // The statement the summary was taken from (the one naming most participants).
    let Some(st) = e
        .statements
        .iter()
        .find(|s| s.summary == e.summary)
        .or_else(|| e.statements.first())
    else {
        return e.summary.clone();
    };
    let name = |label: &str| -> String {
        st.participants
            .iter()
            .position(|p| p == label)
            .and_then(|i| st.participant_ids.get(i))
            .map_or_else(|| label.to_string(), |id| entity_name(id, label))
    };
    let all: Vec<String> = st.participants.iter().map(|p| name(p)).collect();
    let all = if all.is_empty() {
        super::ui::t("unnamed_parties").to_string()
    } else {
        all.join(", ")
    };
    let roles = crate::knowledge::events::ontology()
        .types
        .get(&e.ty)
        .map(|t| t.roles.clone())
        .unwrap_or_default();
    let holders = |i: usize| -> Vec<String> {
        let Some(role) = roles.get(i) else {
            return Vec::new();
        };
        st.roles
            .iter()
            .filter(|r| r.role.as_deref() == Some(role.as_str()))
            .map(|r| name(&r.entity))
            .collect()
    };
    let template = super::ui::try_t(&format!("summary_{}", e.ty))
        .unwrap_or_else(|| super::ui::t("summary_default"));
    let s = crate::extract::event::roles::fill_summary(
        template,
        super::ui::t("summary_default"),
        &type_label(&e.ty),
        &all,
        &holders,
    );
    let date = if e.date_start == e.date_end {
        e.date_start.clone()
    } else {
        format!("{}/{}", e.date_start, e.date_end)
    };
    format!("{s} ({date})")
}

/// The type's label in the ontology ("visit", "diplomatic recognition").
pub fn type_label(ty: &str) -> String {
    match super::ui::try_t(&format!("type_{ty}")) {
        Some(l) => l.to_string(),
        None => crate::knowledge::events::ontology()
            .types
            .get(ty)
            .map_or_else(|| ty.replace('_', " "), |t| t.label.clone()),
    }
}

/// A field for display ("politics_diplomacy" → "politics diplomacy").
pub fn field_label(f: &str) -> String {
    super::ui::try_t(&format!("field_{f}")).map_or_else(|| f.replace('_', " "), str::to_string)
}

/// Links to the entity page of each participant (by name: the entity page resolves names).
pub fn participants_html(names: &[String]) -> String {
    names
        .iter()
        .map(|n| {
            format!(
                "<a class=\"participant\" href=\"/entities/{}\">{}</a>",
                url_enc(n),
                esc(&participant_name(n))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A participant's canonical name in the interface language (the gazetteer's label there
/// when the name is one entity's), else as given.
pub fn participant_name(n: &str) -> String {
    if super::ui::lang() == crate::text::lang::Lang::fallback() {
        return n.to_string();
    }
    crate::knowledge::gazetteer::resolve(n)
        .and_then(|e| e.labels.get(super::ui::lang()).clone())
        .unwrap_or_else(|| n.to_string())
}

/// "stated by <b>3</b> sources", in the interface language.
pub fn stated_by(n: usize) -> String {
    esc(super::ui::count_label("stated_by", n)).replace("{n}", &format!("<b>{n}</b>"))
}

/// "(5 statements)", in the interface language.
pub fn statements(m: usize) -> String {
    esc(&super::ui::count("statements", m))
}

/// What a statement's modality means to a reader ("planned": the source speaks of a plan,
/// not of something done); unknown values as they are.
pub fn modality_label(m: &str) -> String {
    match m {
        "planned" => super::ui::t("modality_planned").to_string(),
        other => other.replace('_', " "),
    }
}

/// True when an event's date is one point at the scale of a timeline: its interval ends in
/// the year it starts (a day, a month, a season, a year). Longer intervals are spans.
pub fn is_point(e: &Event) -> bool {
    matches!((year_of(&e.date_start), year_of(&e.date_end)), (Some(a), Some(b)) if a == b)
}

/// The statement a row quotes: the first testimony's sentence (its language marked), up to
/// `max` bytes, linked to the reader at its span.
pub fn quote_html(v: &crate::server::state::View, e: &Event, max: usize) -> String {
    let Some(st) = e.statements.first() else {
        return String::new();
    };
    let ev = &st.evidence;
    let text = v
        .sentence_at(&ev.doc, ev.start as u64)
        .map(|s| s.clean.as_str())
        .unwrap_or(ev.text.as_str());
    let mut cut = text.len().min(max);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let short = if cut < text.len() {
        format!("{}…", text[..cut].trim_end())
    } else {
        text.to_string()
    };
    format!(
        "<blockquote class=\"quote\" lang=\"{}\"><a href=\"{}\" title=\"{}\">{}</a></blockquote>",
        esc(&st.lang),
        esc(&super::reader_href_showing(
            &ev.doc,
            ev.start as u64,
            ev.end as u64,
            "event"
        )),
        esc(super::ui::t("read_in_source")),
        esc(&short)
    )
}

/// A row of the timeline, with the quotation of its key statement (HTML, or empty).
pub fn event_item_quoted(e: &Event, quote: &str) -> String {
    let langs: String = e.languages.iter().map(|l| lang_badge(l)).collect();
    let mut s = format!(
        "<article class=\"event\" data-id=\"{id}\">\
         <div class=\"event-date\">{date}</div><div class=\"event-body\">\
         <h3><a class=\"summary\" href=\"/events/{href}\">{summary}</a></h3>\
         <p class=\"meta\"><span class=\"event-type\">{ty}</span> · <span class=\"event-field\">{field}</span> · \
         <span class=\"source-count\" data-sources=\"{n}\">{stated}</span>\
         <span class=\"statement-count\"> {statements}</span> {langs}</p>",
        id = esc(&e.id),
        href = url_enc(&e.id),
        date = date_html(&e.date_start, &e.date_end),
        summary = esc(&event_title(e)),
        ty = esc(&type_label(&e.ty)),
        field = esc(&field_label(&e.field)),
        n = e.sources,
        stated = stated_by(e.sources),
        statements = statements(e.statements.len()),
    );
    if !e.participants.is_empty() {
        let _ = write!(
            s,
            "<p class=\"participants\">{}</p>",
            participants_html(&e.participants)
        );
    }
    if e.modality != "asserted" && !e.modality.is_empty() {
        let _ = write!(
            s,
            "<p class=\"modality\">{}</p>",
            esc(&modality_label(&e.modality))
        );
    }
    s.push_str(quote);
    s.push_str("</div></article>");
    s
}

fn select(id: &str, name: &str, options: &[(String, String)], current: &str) -> String {
    let mut s = format!(
        "<select id=\"{id}\" name=\"{name}\"><option value=\"\">{}</option>",
        esc(super::ui::t("search_any"))
    );
    for (v, label) in options {
        let _ = write!(
            s,
            "<option value=\"{}\"{}>{}</option>",
            esc(v),
            if v == current { " selected" } else { "" },
            esc(label)
        );
    }
    s.push_str("</select>");
    s
}

fn form(p: &Params, zoom: Zoom) -> String {
    let o = crate::knowledge::events::ontology();
    let fields: Vec<(String, String)> = o
        .fields
        .iter()
        .map(|f| (f.clone(), field_label(f)))
        .collect();
    let types: Vec<(String, String)> = o.types.keys().map(|k| (k.clone(), type_label(k))).collect();
    let v = |s: &Option<String>| esc(nonempty(s).unwrap_or(""));
    let mut s = format!(
        "<form id=\"timeline-filters\" class=\"box filters\" action=\"/timeline\" method=\"get\">\
         <div class=\"row\">\
         <label>{l_from} <input id=\"from\" name=\"from\" value=\"{}\" placeholder=\"1975\" size=\"10\" pattern=\"[0-9]{{4}}(-[0-9]{{2}}(-[0-9]{{2}})?)?\" title=\"{l_date_hint}\"></label>\
         <label>{l_to} <input id=\"to\" name=\"to\" value=\"{}\" placeholder=\"1991\" size=\"10\" pattern=\"[0-9]{{4}}(-[0-9]{{2}}(-[0-9]{{2}})?)?\" title=\"{l_date_hint}\"></label>\
         <label>{l_field} {}</label><label>{l_type} {}</label>\
         <label>{l_actor} <input id=\"actor\" name=\"actor\" value=\"{}\" placeholder=\"Brezhnev, Liên Xô, Брежнев\" size=\"18\"></label>\
         <label>{l_zoom} <select id=\"zoom\" name=\"zoom\">",
        v(&p.from),
        v(&p.to),
        select("field", "field", &fields, nonempty(&p.field).unwrap_or("")),
        select("type", "type", &types, nonempty(&p.ty).unwrap_or("")),
        v(&p.actor),
        l_from = esc(super::ui::t("search_from")),
        l_to = esc(super::ui::t("search_to")),
        l_field = esc(super::ui::t("tl_field")),
        l_type = esc(super::ui::t("th_type")),
        l_actor = esc(super::ui::t("tl_actor")),
        l_zoom = esc(super::ui::t("tl_zoom")),
        l_date_hint = esc(super::ui::t("date_hint")),
    );
    for z in [Zoom::Decade, Zoom::Year, Zoom::Month] {
        let _ = write!(
            s,
            "<option value=\"{}\"{}>{}</option>",
            z.name(),
            if z == zoom { " selected" } else { "" },
            esc(super::ui::t(&format!("zoom_{}", z.name())))
        );
    }
    let _ = write!(
        s,
        "</select></label><button type=\"submit\">{}</button> <a class=\"clear\" href=\"/timeline\">{}</a></div></form>",
        esc(super::ui::t("tl_show")),
        esc(super::ui::t("tl_clear"))
    );
    s
}

/// The address of the timeline with these parameters.
fn href(p: &Params, from: &str, to: &str, zoom: Zoom) -> String {
    let f = |s: &Option<String>| nonempty(s).unwrap_or("").to_string();
    format!(
        "/timeline{}",
        query_string(&[
            ("from", from.to_string()),
            ("to", to.to_string()),
            ("field", f(&p.field)),
            ("actor", f(&p.actor)),
            ("type", f(&p.ty)),
            ("zoom", zoom.name().to_string()),
        ])
    )
}

/// The chart (SVG), the zoom-out link, and how many events span more than one bar.
fn chart(p: &Params, events: &[&Event], zoom: Zoom) -> (String, String, usize) {
    let from = nonempty(&p.from);
    let to = nonempty(&p.to);
    let starts = events.iter().filter_map(|e| year_of(&e.date_start));
    let ends = events.iter().filter_map(|e| year_of(&e.date_end));
    let lo = from.and_then(year_of).or_else(|| starts.min());
    let hi = to.and_then(year_of).or_else(|| ends.max());
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return (String::new(), String::new(), 0);
    };
    let hi = hi.max(lo);
    let m_lo = from.and_then(month_of).unwrap_or(1);
    let m_hi = to.and_then(month_of).unwrap_or(12);
    let bins = bins(zoom, lo, hi, m_lo, m_hi);
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else {
        return (String::new(), String::new(), 0);
    };
    let (x0, x1) = (first.lo, last.hi);
    let next = match zoom {
        Zoom::Decade => Zoom::Year,
        Zoom::Year | Zoom::Month => Zoom::Month,
    };
    let mut counts = vec![0usize; bins.len()];
    let mut spanning = 0usize;
    let mut rug = Vec::new();
    for e in events {
        let (Some(a), Some(b)) = (year_pos(&e.date_start, false), year_pos(&e.date_end, true))
        else {
            continue;
        };
        // A bar counts the events dated within its period; an event of a longer or coarser
        // period (a year at month zoom, "1945/1975" at decade zoom) is only a line below.
        match bins
            .iter()
            .position(|bin| a >= bin.lo - 1e-9 && b <= bin.hi + 1e-9)
        {
            Some(i) => counts[i] += 1,
            None if b > x0 && a < x1 => spanning += 1,
            None => {}
        }
        if b >= x0 && a < x1 {
            rug.push(Rug {
                from: (a - x0) / (x1 - x0),
                to: if b - a > 1.5 * (x1 - x0) / bins.len() as f64 {
                    (b - x0) / (x1 - x0)
                } else {
                    (a - x0) / (x1 - x0)
                },
                title: format!(
                    "{} — {}",
                    super::date_range(&e.date_start, &e.date_end),
                    event_title(e)
                ),
                href: format!("/events/{}", url_enc(&e.id)),
            });
        }
    }
    let bars_: Vec<Bar> = bins
        .iter()
        .zip(&counts)
        .map(|(bin, &n)| Bar {
            label: bin.label.clone(),
            value: n,
            title: format!(
                "{}: {}",
                if bin.from == bin.to {
                    bin.from.clone()
                } else {
                    format!("{}–{}", bin.from, bin.to)
                },
                super::ui::count("bar_events", n)
            ),
            href: Some(href(p, &bin.from, &bin.to, next)),
            key: bin.from.clone(),
        })
        .collect();
    let svg = bars(
        "timeline-chart",
        super::ui::t(&format!("events_per_{}", zoom.name())),
        &bars_,
        &rug,
        230.0,
    );
    // Zooming out: month → the decade around, year → everything.
    let out = match zoom {
        Zoom::Decade => String::new(),
        Zoom::Year => format!(
            "<a id=\"zoom-out\" href=\"{}\">← {}</a>",
            esc(&href(p, "", "", Zoom::Decade)),
            esc(super::ui::t("zoom_out_decades"))
        ),
        Zoom::Month => {
            let d = lo.div_euclid(10) * 10;
            format!(
                "<a id=\"zoom-out\" href=\"{}\">← {}</a>",
                esc(&href(
                    p,
                    &format!("{d:04}"),
                    &format!("{:04}", d + 9),
                    Zoom::Year
                )),
                esc(&super::ui::tf(
                    "zoom_out_years",
                    &[("from", &d.to_string()), ("to", &(d + 9).to_string())]
                ))
            )
        }
    };
    (svg, out, spanning)
}

pub async fn timeline(
    State(st): State<Arc<AppState>>,
    q: Result<Query<Params>, QueryRejection>,
) -> PageResult {
    let Query(p) = q?;
    for (name, v) in [("from", &p.from), ("to", &p.to)] {
        if let Some(d) = nonempty(v)
            && !is_iso_prefix(d)
        {
            return Err(PageError::bad_request(format!(
                "{name} must be a year, a year and month or a date (1975, 1978-11, 1978-11-03), not {d:?}"
            )));
        }
    }
    if let (Some(a), Some(b)) = (nonempty(&p.from), nonempty(&p.to))
        && a > b
    {
        return Err(PageError::bad_request(format!(
            "the period is empty: from ({a}) is after to ({b})"
        )));
    }
    let (offset, limit) = super::window(p.offset, p.limit, 50)?;
    let f = |s: &Option<String>| nonempty(s).map(str::to_string);
    let flt = Filter {
        from: f(&p.from),
        to: f(&p.to),
        field: f(&p.field),
        actor: f(&p.actor),
        ty: f(&p.ty),
    };
    let v = st.view();
    let events =
        filter(&v.history.events, &flt).map_err(|e| PageError::bad_request(e.to_string()))?;
    let zoom = match nonempty(&p.zoom) {
        Some("decade") => Zoom::Decade,
        Some("year") => Zoom::Year,
        Some("month") => Zoom::Month,
        Some(other) => {
            return Err(PageError::bad_request(format!(
                "zoom must be decade, year or month, not {other:?}"
            )));
        }
        None => {
            let lo = flt
                .from
                .as_deref()
                .and_then(year_of)
                .or_else(|| events.iter().filter_map(|e| year_of(&e.date_start)).min());
            let hi = flt
                .to
                .as_deref()
                .and_then(year_of)
                .or_else(|| events.iter().filter_map(|e| year_of(&e.date_end)).max());
            match (lo, hi) {
                (Some(a), Some(b)) if b - a < 2 => Zoom::Month,
                (Some(a), Some(b)) if b - a < 25 => Zoom::Year,
                _ => Zoom::Decade,
            }
        }
    };
    let mut b = format!("<h1>{}</h1>", esc(super::ui::t("timeline_title")));
    b.push_str(&form(&p, zoom));
    {
        let ne = |s: &Option<String>| s.clone().unwrap_or_default();
        let filters = [
            ("from", ne(&p.from)),
            ("to", ne(&p.to)),
            // The API takes a field by its exact name; the page also by a part of it.
            (
                "field",
                nonempty(&p.field).map_or_else(String::new, |f| {
                    crate::history::timeline::field_named(f).unwrap_or_else(|_| f.to_string())
                }),
            ),
            ("actor", ne(&p.actor)),
            ("type", ne(&p.ty)),
        ];
        let with = |fmt: &[(&str, String)]| {
            let mut all: Vec<(&str, String)> = fmt.to_vec();
            all.extend(filters.iter().cloned());
            format!("/api/export{}", super::query_string(&all))
        };
        b.push_str(&super::downloads(&[
            (
                "CSV",
                with(&[("format", "csv".into()), ("kind", "events".into())]),
            ),
            ("TimelineJS", with(&[("format", "timelinejs".into())])),
        ]));
    }
    let (svg, out, spanning) = chart(&p, &events, zoom);
    let _ = write!(
        b,
        "<section class=\"chart-box\" data-zoom=\"{}\"><div class=\"chart-head\"><span class=\"count-total\">{}</span> <span class=\"hint\">{}{}</span> {}</div>{svg}</section>",
        zoom.name(),
        esc(&super::ui::count("n_events", events.len())),
        esc(super::ui::t(&format!("chart_hint_{}", zoom.name()))),
        if spanning > 0 {
            format!(" · {}", esc(&super::ui::count("spanning_marks", spanning)))
        } else {
            String::new()
        },
        out
    );
    // Dated points first (a day, a month, a year), paged; events spanning years apart,
    // folded, so that a long war does not bury the treaty signed on one day.
    let (points, spans): (Vec<&Event>, Vec<&Event>) = events.iter().partition(|e| is_point(e));
    b.push_str("<section id=\"events\">");
    if events.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_events"))
        );
    } else if points.is_empty() {
        let _ = write!(
            b,
            "<p class=\"empty\">{}</p>",
            esc(super::ui::t("no_points"))
        );
    }
    for e in points.iter().skip(offset).take(limit) {
        b.push_str(&event_item_quoted(e, &quote_html(&v, e, 280)));
    }
    b.push_str("</section>");
    let base = {
        let f = |s: &Option<String>| nonempty(s).unwrap_or("").to_string();
        format!(
            "/timeline{}",
            query_string(&[
                ("from", f(&p.from)),
                ("to", f(&p.to)),
                ("field", f(&p.field)),
                ("actor", f(&p.actor)),
                ("type", f(&p.ty)),
                ("zoom", f(&p.zoom)),
            ])
        )
    };
    b.push_str(&pager(&base, offset, limit, points.len(), false));
    if !spans.is_empty() && offset == 0 {
        let _ = write!(
            b,
            "<section id=\"spans\"><details><summary><b>{}</b> {}</summary>",
            spans.len(),
            esc(super::ui::t("spans_summary"))
        );
        for e in spans.iter().take(super::super::api::MAX_LIMIT) {
            b.push_str(&event_item_quoted(e, &quote_html(&v, e, 200)));
        }
        b.push_str("</details></section>");
    }
    Ok(page(
        super::ui::t("timeline_title"),
        Nav::Timeline,
        "page-timeline",
        &b,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_bins() {
        assert_eq!(year_pos("1978", false), Some(1978.0));
        assert_eq!(year_pos("1978", true), Some(1979.0));
        assert!((year_pos("1978-11", false).unwrap() - (1978.0 + 10.0 / 12.0)).abs() < 1e-9);
        assert_eq!(year_pos("abc", false), None);
        let d = bins(Zoom::Decade, 1950, 1991, 1, 12);
        assert_eq!(d.len(), 5);
        assert_eq!((d[0].from.as_str(), d[0].to.as_str()), ("1950", "1959"));
        let m = bins(Zoom::Month, 1978, 1979, 11, 2);
        let labels: Vec<&str> = m.iter().map(|b| b.from.as_str()).collect();
        assert_eq!(labels, ["1978-11", "1978-12", "1979-01", "1979-02"]);
        assert_eq!(m[2].label, "Jan 1979");
        assert_eq!(bins(Zoom::Year, 1975, 1977, 1, 12).len(), 3);
    }

    #[test]
    fn hostile_event_text_is_escaped() {
        let e = Event {
            id: "ev-\"><script>".into(),
            ty: "visit".into(),
            field: "<i>".into(),
            date_start: "1978".into(),
            date_end: "1978".into(),
            participants: vec!["<script>alert(1)</script>".into()],
            place: None,
            about: vec![],
            modality: "asserted".into(),
            summary: "<img src=x onerror=alert(1)>".into(),
            statements: vec![],
            sources: 1,
            languages: vec!["vi".into()],
            merge_reason: String::new(),
            merge_why: Default::default(),
            related: vec![],
        };
        let h = event_item_quoted(&e, "");
        assert!(!h.contains("<script") && !h.contains("<img") && !h.contains("<i>"));
        assert!(h.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    fn statement(participants: &[(&str, &str, Option<&str>)]) -> crate::history::merge::Statement {
        crate::history::merge::Statement {
            fact: 1,
            evidence: crate::span::Span {
                doc: "d".into(),
                start: 0,
                end: 1,
                text: String::new(),
                place: None,
            },
            lang: "vi".into(),
            ty: String::new(),
            field: String::new(),
            date_start: String::new(),
            date_end: String::new(),
            date_origin: "sentence".into(),
            date_text: String::new(),
            participants: participants.iter().map(|p| p.0.to_string()).collect(),
            participant_ids: participants.iter().map(|p| p.1.to_string()).collect(),
            roles: participants
                .iter()
                .map(|p| crate::fact::Role {
                    entity: p.0.to_string(),
                    role: p.2.map(str::to_string),
                })
                .collect(),
            place: None,
            about: vec![],
            trigger: String::new(),
            polarity: "positive".into(),
            modality: "asserted".into(),
            circumstance: false,
            summary: "S".into(),
            ordinal: None,
        }
    }

    fn event(ty: &str, st: crate::history::merge::Statement) -> Event {
        Event {
            id: "ev-1".into(),
            ty: ty.into(),
            field: "politics_diplomacy".into(),
            date_start: "1978-11-03".into(),
            date_end: "1978-11-03".into(),
            participants: st.participants.clone(),
            place: None,
            about: vec![],
            modality: "asserted".into(),
            summary: "S".into(),
            statements: vec![st],
            sources: 1,
            languages: vec!["vi".into()],
            merge_reason: String::new(),
            merge_why: Default::default(),
            related: vec![],
        }
    }

    #[test]
    fn event_titles_speak_the_interface_language() {
        let g = crate::knowledge::gazetteer::builtin();
        let (su, vn) = (
            crate::knowledge::gazetteer::resolve("Liên Xô").expect("the Soviet Union"),
            crate::knowledge::gazetteer::resolve("Việt Nam").expect("Vietnam"),
        );
        let lang = |c: &str| crate::text::lang::Lang::from_code(c).unwrap();
        let label = |e: &crate::knowledge::gazetteer::Entity, c: &str| {
            e.labels
                .get(lang(c))
                .clone()
                .unwrap_or_else(|| e.name.clone())
        };
        assert!(g.by_id(&su.id).is_some());
        let treaty = event(
            "treaty",
            statement(&[
                (&su.name, &su.id, Some("signatory")),
                (&vn.name, &vn.id, Some("signatory")),
            ]),
        );
        // The fallback language shows the summary the exports carry.
        let en = super::super::ui::with_lang(lang("en"), || event_title(&treaty));
        assert_eq!(en, "S");
        let ru = super::super::ui::with_lang(lang("ru"), || event_title(&treaty));
        assert_eq!(
            ru,
            format!(
                "Договор: подписали {}, {} (1978-11-03)",
                label(su, "ru"),
                label(vn, "ru")
            )
        );
        let vi = super::super::ui::with_lang(lang("vi"), || event_title(&treaty));
        assert_eq!(
            vi,
            format!(
                "Ký hiệp ước: {}, {} (1978-11-03)",
                label(su, "vi"),
                label(vn, "vi")
            )
        );
        // A template naming roles falls back to the neutral form when the roles are unknown.
        let visit = event(
            "visit",
            statement(&[(&su.name, &su.id, None), (&vn.name, &vn.id, None)]),
        );
        let vi = super::super::ui::with_lang(lang("vi"), || event_title(&visit));
        assert_eq!(
            vi,
            format!(
                "Chuyến thăm: {}, {} (1978-11-03)",
                label(su, "vi"),
                label(vn, "vi")
            )
        );
        let visit = event(
            "visit",
            statement(&[
                (&su.name, &su.id, Some("visitor")),
                (&vn.name, &vn.id, Some("host")),
            ]),
        );
        let vi = super::super::ui::with_lang(lang("vi"), || event_title(&visit));
        assert_eq!(
            vi,
            format!("{} thăm {} (1978-11-03)", label(su, "vi"), label(vn, "vi"))
        );
    }
}
