//! Server-rendered HTML pages. Every piece of source text and every value from the store is
//! HTML-escaped ([`esc`]): the sources are untrusted input. Pages read the same data the API
//! does (the view, and the store on a blocking thread within the query timeout); errors are
//! HTML pages with a reason (404 for unknown ids, 400 for bad filters).
//!
//! No inline scripts or handlers (CSP `script-src 'self'`): all behaviour is in
//! `/assets/annals.js`, styles in `/assets/annals.css` (both `include_str!` of
//! `pages/assets/`).
//!
//! # Routes
//!
//! `/` home · `/search` · `/timeline` · `/events/{id}` · `/entities` · `/entities/{id}` ·
//! `/series` · `/series/{key}` · `/documents` · `/documents/{id}` (`?at=START&end=END#target`)
//! · `/conflicts` · `/ask` · `/audit` · `/assets/annals.css` · `/assets/annals.js`.
//!
//! # Selectors (stable, for browser tests)
//!
//! - every page: `header.site`, `nav.site-nav a[data-nav=NAME]`, `a.active` for the current
//!   page, `main#main`, `.error` + `.error-reason` on error pages (`body.page-error`),
//!   `.lang-badge` (text: vi/en/ru, `data-lang`), `a.evidence-link` (document + byte span),
//!   `.pager`, `a.pager-next`, `a.pager-prev`, `.count-total`.
//! - body classes: `page-home`, `page-search`, `page-timeline`, `page-event`, `page-entities`,
//!   `page-entity`, `page-series-list`, `page-series`, `page-documents`, `page-document`,
//!   `page-conflicts`, `page-ask`, `page-audit`.
//! - home: `#status` (`[data-documents]`, `[data-events]`…), `#ingest[data-state]`,
//!   `#search-form`, `#q`, `#ask-form`, `#ask-q`.
//! - search: `#search-form`, `#q`, `#lang`, `#doc`, `#results`, `.hit` (`data-doc`,
//!   `data-start`, `data-end`), `.hit mark`, `.hit a.evidence-link`, `.no-results`.
//! - timeline: `#timeline-filters` (inputs `#from`, `#to`, `#field`, `#actor`, `#type`,
//!   `#zoom`), `#timeline-chart` (SVG; `.bin` bars with `data-bin`, `a.zoom-in`, `.mark`),
//!   `#zoom-out`, `#events`, `.event` (`data-id`), `.event-date`, `.event-type`,
//!   `.event-field`, `.participants`, `.summary`, `.source-count` (`data-sources`).
//! - event: `#event` (`data-id`), `.event-date`, `#statements`, `.statement` (`data-fact`,
//!   `data-doc`), `.statement .lang-badge`, `.statement .date-text`, `.statement .sentence`,
//!   `#conflicts`, `.conflict`, `#related`, `#curation`, `#curation-form`,
//!   `#curation-result`, `.curation-note` (`data-status`: confirmed, rejected, edited,
//!   stale), `.curated` (`data-field`), `.curated-value`, `.machine-value` (the machine's
//!   original), `.machine-date`, `.rejected-banner` (a rejected event's page).
//! - curation form (event page and reader): `#curation-form` (`data-target-kind` = event or
//!   fact, `data-target`), `#cur-action` (confirm, reject, edit, merge, split), `#cur-field`,
//!   `#cur-value`, `#cur-merge-with`, `#cur-statement`, `#cur-reason` (required), `#cur-who`,
//!   `#token` (kept in localStorage `annals-token`), `#cur-submit`, `#curation-result`
//!   (`.ok` / `.failed`).
//! - entities: `#entity-search` (`#entity-q`, `#entity-type`), `#entities`, `.entity-row`
//!   (`data-id`); entity: `#entity` (`data-id`), `#labels`, `#forms`, `.form-count`,
//!   `#mentions`, `.doc-mentions`, `#co-occurring`, `#entity-events`, `#entity-histogram`.
//! - series: `#series`, `.series-row` (`data-key`); one series: `#series-chart` (SVG, `.point`
//!   with `data-period`, `<title>` listing the sources), `#points`, `.point-row`, `.source`.
//! - documents: `#documents`, `.document-row` (`data-id`); reader: `#document` (`data-id`),
//!   `#legend`, `input.toggle[data-kind]` (timex, duration, quantity, mention, event),
//!   `#source-text`, `.fact` (`data-kind`, `data-fact`, `data-start`, `data-end`,
//!   `data-href` when it opens an event or entity), `.fact-timex`, `.fact-duration`,
//!   `.fact-quantity`, `.fact-mention`, `.fact-event`, `#target` (the `?at=` span),
//!   `#curate-mode` (when checked, clicking a fact selects it for curation instead of
//!   opening it; a fact with no page is always selected), `#fact-panel`, `#fact-detail`,
//!   `.fact.selected`, `.fact.is-curated` (`.cur-edited`, `.cur-rejected`…, `data-machine`),
//!   `#curation-form`; `f-FACTID` anchors on every fact.
//! - conflicts: `#conflicts`, `.conflict` (`data-id`, `data-kind`), `.claim`, `.claim-value`,
//!   `.evidence`, `.note`, `.series-link`.
//! - ask: `#ask-form`, `#ask-q`, `#answer` (`data-value-null` when insufficient), `.answer-text`,
//!   `.answer-value`, `.confidence` (`data-confidence`), `.insufficient`, `.citation`,
//!   `.citation mark`, `.disagreement`.
//! - audit: `#audit-log`, `.audit-row` (`data-id`, `data-action`), `#stale`, `.stale-row`.

mod ask;
mod assets;
mod audit;
mod conflicts;
mod curation;
mod documents;
mod entities;
mod event;
mod home;
pub mod layout;
pub mod reader;
mod search;
mod series;
pub mod svg;
mod timeline;
pub mod ui;

use super::error::ApiError;
use super::state::AppState;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::fmt::Write as _;
use std::sync::Arc;

/// The page routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home::home))
        .route("/search", get(search::search))
        .route("/timeline", get(timeline::timeline))
        .route("/events/{id}", get(event::event))
        .route("/entities", get(entities::list))
        .route("/entities/{id}", get(entities::one))
        .route("/series", get(series::list))
        .route("/series/{key}", get(series::one))
        .route("/documents", get(documents::list))
        .route("/documents/{id}", get(documents::reader))
        .route("/conflicts", get(conflicts::conflicts))
        .route("/ask", get(ask::ask))
        .route("/audit", get(audit::audit))
        .route("/assets/annals.css", get(assets::css))
        .route("/assets/annals.js", get(assets::js))
        .layer(axum::middleware::from_fn(ui::middleware))
}

/// HTML-escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn url_enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A query string from pairs, empty values left out (`?a=1&b=x`), or "" when nothing is left.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let kept: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", url_enc(k), url_enc(v)))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

/// An error shown as an HTML page with its reason.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub reason: String,
}

impl PageError {
    pub fn bad_request(reason: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::BAD_REQUEST,
            reason: reason.into(),
        }
    }
    pub fn not_found(reason: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::NOT_FOUND,
            reason: reason.into(),
        }
    }
    /// A permanent redirect (308) to `location` (a path of this site).
    pub fn redirect(location: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::PERMANENT_REDIRECT,
            reason: location.into(),
        }
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError {
            status: e.status,
            reason: e.reason,
        }
    }
}

impl From<QueryRejection> for PageError {
    fn from(e: QueryRejection) -> PageError {
        PageError::bad_request(format!(
            "the address's parameters cannot be read: {}",
            e.body_text()
        ))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.status.is_redirection() {
            return (
                self.status,
                [(axum::http::header::LOCATION, self.reason)],
                String::new(),
            )
                .into_response();
        }
        let title = ui::t(match self.status {
            StatusCode::NOT_FOUND => "error_not_found",
            StatusCode::BAD_REQUEST => "error_bad_request",
            StatusCode::SERVICE_UNAVAILABLE => "error_busy",
            _ => "error_other",
        });
        let body = format!(
            "<section class=\"error\"><h1>{} <span class=\"status\">{}</span></h1>\
             <p class=\"error-reason\">{}</p>\
             <p><a href=\"/\">{}</a></p></section>",
            esc(title),
            self.status.as_u16(),
            esc(&self.reason),
            esc(ui::t("nav_home"))
        );
        (
            self.status,
            layout::page(title, layout::Nav::None, "page-error", &body),
        )
            .into_response()
    }
}

/// What page handlers return.
pub type PageResult = Result<Html<String>, PageError>;

/// A language code as a small badge.
pub fn lang_badge(lang: &str) -> String {
    if lang.is_empty() {
        return String::new();
    }
    format!(
        "<span class=\"lang-badge lang-{l}\" data-lang=\"{l}\" title=\"{label}: {name}\">{l}</span>",
        l = esc(lang),
        label = esc(ui::t("search_language")),
        name = esc(lang_name(lang))
    )
}

/// The name of a language code in the interface language (`lang_<code>` in `data/ui`),
/// else its English name (`data/lang/<code>.toml`), else the code itself.
pub fn lang_name(code: &str) -> &str {
    if let Some(n) = ui::try_t(&format!("lang_{code}")) {
        return n;
    }
    match crate::text::lang::Lang::from_code(code) {
        Some(l) => &l.data().name,
        None => code,
    }
}

/// "Download: CSV · TimelineJS" links for a list page: each `(label, href)` an export of
/// the list as shown (its filters in the address; the server names the file).
pub fn downloads(links: &[(&str, String)]) -> String {
    let items: Vec<String> = links
        .iter()
        .map(|(label, href)| {
            format!(
                "<a class=\"download\" href=\"{}\" download>{}</a>",
                esc(href),
                esc(label)
            )
        })
        .collect();
    format!(
        "<p class=\"downloads\">{}: {}</p>",
        esc(ui::t("download_list")),
        items.join(" · ")
    )
}

/// A series' name in the interface language, else its English name.
pub fn series_name(s: &crate::history::series::Series) -> String {
    Some(s.names.get(ui::lang()))
        .filter(|n| !n.is_empty())
        .unwrap_or(&s.name)
        .clone()
}

/// How a source is named to a reader: its title where one is known, else its id.
pub fn source_name(v: &crate::server::state::View, doc: &str) -> String {
    v.source_title(doc).unwrap_or_else(|| doc.to_string())
}

/// A link to the reader at a span, as a historian cites it: the source's title, the page
/// for a PDF or a scan ("p. 112"), and the byte span (the address of the evidence);
/// `show`: the kind of fact the reader highlights at first ("event", "mention", or "").
pub fn cite_link(
    v: &crate::server::state::View,
    doc: &str,
    start: u64,
    end: u64,
    show: &str,
) -> String {
    let name = source_name(v, doc);
    // A PDF's or a scan's page, else the page number a text source prints.
    let page = v
        .doc(doc)
        .and_then(|d| {
            d.place(start, end)
                .map(|p| p.page)
                .or_else(|| d.printed_page(start as usize))
        })
        .map(|p| format!("{} {p} · ", ui::t("cite_page")))
        .unwrap_or_default();
    let href = reader_href_showing(doc, start, end, show);
    format!(
        "<a class=\"evidence-link\" href=\"{}\" title=\"{} — {}\"><span class=\"doc-name\">{}</span> <span class=\"span\">{}{} {start}–{end}</span></a>",
        esc(&href),
        esc(doc),
        esc(ui::t("open_at_span")),
        esc(&name),
        esc(&page),
        esc(ui::t("bytes_label"))
    )
}

/// The reader's address for a span of a document.
pub fn reader_href(doc: &str, start: u64, end: u64) -> String {
    format!("/documents/{}?at={start}&end={end}#target", url_enc(doc))
}

/// The reader's address for a span, with the kind of fact it highlights at first ("" for
/// none).
pub fn reader_href_showing(doc: &str, start: u64, end: u64, show: &str) -> String {
    if show.is_empty() {
        return reader_href(doc, start, end);
    }
    format!(
        "/documents/{}?at={start}&end={end}&show={}#target",
        url_enc(doc),
        url_enc(show)
    )
}

/// A link to the reader at a span: the document's name and the byte span.
pub fn evidence_link(doc: &str, start: u64, end: u64) -> String {
    format!(
        "<a class=\"evidence-link\" href=\"{}\" title=\"{}\"><span class=\"doc-name\">{}</span> <span class=\"span\">{} {start}–{end}</span></a>",
        esc(&reader_href(doc, start, end)),
        esc(ui::t("open_at_span")),
        esc(doc),
        esc(ui::t("bytes_label"))
    )
}

/// An ISO date interval for display ("1978-11-03", "1975 – 1991").
pub fn date_range(start: &str, end: &str) -> String {
    if start == end || end.is_empty() {
        start.to_string()
    } else {
        format!("{start} – {end}")
    }
}

/// A `<time>` element for an ISO interval.
pub fn date_html(start: &str, end: &str) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        esc(start),
        esc(&date_range(start, end))
    )
}

/// True for an ISO date prefix: `1978`, `1978-11`, `1978-11-03`.
pub fn is_iso_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Previous/next links for a list: `base` is the page's address without `offset`/`limit`
/// (its own query string, if any, is kept).
pub fn pager(base: &str, offset: usize, limit: usize, total: usize, more: bool) -> String {
    if offset == 0 && !more && total <= limit {
        return String::new();
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    let href = |o: usize| esc(&format!("{base}{sep}offset={o}&limit={limit}"));
    let mut s = String::from("<nav class=\"pager\">");
    if offset > 0 {
        let _ = write!(
            s,
            "<a class=\"pager-prev\" href=\"{}\">← previous</a>",
            href(offset.saturating_sub(limit))
        );
    }
    let last = (offset + limit).min(total);
    if more {
        let _ = write!(
            s,
            " <span class=\"pager-where\">{}–{}</span> ",
            offset + 1,
            offset + limit
        );
    } else if total > 0 {
        let _ = write!(
            s,
            " <span class=\"pager-where\">{}–{} of {}</span> ",
            (offset + 1).min(total),
            last,
            total
        );
    }
    if more || offset + limit < total {
        let _ = write!(
            s,
            "<a class=\"pager-next\" href=\"{}\">next →</a>",
            href(offset + limit)
        );
    }
    s.push_str("</nav>");
    s
}

/// Offset and limit of a list page (default limit `default`, at most the API's largest).
pub fn window(
    offset: Option<usize>,
    limit: Option<usize>,
    default: usize,
) -> Result<(usize, usize), PageError> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > super::api::MAX_LIMIT {
        return Err(PageError::bad_request(format!(
            "limit must be between 1 and {}, not {limit}",
            super::api::MAX_LIMIT
        )));
    }
    Ok((offset.unwrap_or(0), limit))
}

/// An empty string becomes `None`.
pub fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A value from a JSON record as display text (strings bare, the rest as JSON).
pub fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(json_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A page for any path that is not a route (the API's paths get JSON).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found(format!("no API endpoint at {}", uri.path())).into_response()
    } else {
        PageError::not_found(format!("There is no page at {}.", uri.path())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_hostile_text() {
        let s = esc("<script>alert(1)</script> \"x\" 'y' & z");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('"') && !s.contains('\''));
        assert!(s.contains("&lt;script&gt;") && s.contains("&amp; z"));
        let b = lang_badge("\"><img src=x onerror=alert(1)>");
        assert!(!b.contains("<img"));
        let l = evidence_link("<b>doc</b>\".txt", 1, 2);
        assert!(!l.contains("<b>") && l.contains("%3Cb%3E"));
    }

    #[test]
    fn urls_are_encoded() {
        assert_eq!(url_enc("a b/ç?&#"), "a%20b%2F%C3%A7%3F%26%23");
        assert_eq!(
            query_string(&[("q", "Liên Xô".into()), ("lang", String::new())]),
            "?q=Li%C3%AAn%20X%C3%B4"
        );
        assert_eq!(query_string(&[("q", String::new())]), "");
    }

    #[test]
    fn iso_prefixes() {
        assert!(is_iso_prefix("1978") && is_iso_prefix("1978-11") && is_iso_prefix("1978-11-03"));
        assert!(!is_iso_prefix("78") && !is_iso_prefix("1978-1") && !is_iso_prefix("<script>"));
    }

    #[test]
    fn pager_links() {
        let p = pager("/entities?q=a", 50, 50, 120, false);
        assert!(p.contains("offset=0&amp;limit=50") && p.contains("offset=100&amp;limit=50"));
        assert!(p.contains("51–100 of 120"));
        assert_eq!(pager("/x", 0, 50, 10, false), "");
    }
}
