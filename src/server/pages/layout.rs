//! The frame every page shares: head (UTF-8, the stylesheet and the script), the header
//! with the navigation, and the footer.

use super::esc;
use axum::response::Html;

/// Which navigation entry is the current page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    None,
    Home,
    Search,
    Timeline,
    Entities,
    Series,
    Documents,
    Conflicts,
    Ask,
    Audit,
}

const ENTRIES: [(Nav, &str, &str, &str); 9] = [
    (Nav::Search, "search", "/search", "nav_search"),
    (Nav::Timeline, "timeline", "/timeline", "nav_timeline"),
    (Nav::Entities, "entities", "/entities", "nav_entities"),
    (Nav::Series, "series", "/series", "nav_series"),
    (Nav::Documents, "documents", "/documents", "nav_documents"),
    (Nav::Conflicts, "conflicts", "/conflicts", "nav_conflicts"),
    (Nav::Ask, "ask", "/ask", "nav_ask"),
    (Nav::Audit, "audit", "/audit", "nav_audit"),
    (Nav::Home, "home", "/", "nav_home"),
];

/// Links to this page in each interface language (the current one marked).
fn language_switch() -> String {
    let here = super::ui::here();
    let sep = if here.contains('?') { '&' } else { '?' };
    let cur = super::ui::lang();
    let links: Vec<String> = super::ui::languages()
        .into_iter()
        .map(|l| {
            let name = super::ui::label(l, "name");
            if l == cur {
                format!(
                    "<span class=\"ui-lang current\" lang=\"{c}\" aria-current=\"true\">{}</span>",
                    esc(name),
                    c = l.code()
                )
            } else {
                format!(
                    "<a class=\"ui-lang\" lang=\"{c}\" hreflang=\"{c}\" href=\"{}\">{}</a>",
                    esc(&format!("{here}{sep}ui={}", l.code())),
                    esc(name),
                    c = l.code()
                )
            }
        })
        .collect();
    format!(
        "<nav class=\"ui-langs\" aria-label=\"{}\">{}</nav>",
        esc(super::ui::t("interface_language")),
        links.join(" · ")
    )
}

/// A whole page: `title` (plain text, escaped here), the current navigation entry, a class
/// for `<body>` and the main content (HTML, already escaped by the caller). Written in the
/// request's interface language ([`super::ui`]).
pub fn page(title: &str, nav: Nav, body_class: &str, main: &str) -> Html<String> {
    let t = super::ui::t;
    let mut links = String::new();
    for (n, key, href, label) in ENTRIES.iter().filter(|e| e.0 != Nav::Home) {
        let active = if *n == nav {
            " class=\"active\" aria-current=\"page\""
        } else {
            ""
        };
        links.push_str(&format!(
            "<a href=\"{href}\" data-nav=\"{key}\"{active}>{}</a>",
            esc(t(label))
        ));
    }
    let home_active = if nav == Nav::Home { " active" } else { "" };
    Html(format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · annals</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/annals.css\">\n\
         <script src=\"/assets/annals.js\" defer></script>\n</head>\n\
         <body class=\"{body_class}\" data-ui-text=\"{labels}\">\n\
         <header class=\"site\"><a class=\"brand{home_active}\" href=\"/\" data-nav=\"home\">annals</a>\
         <span class=\"tagline\">{tagline}</span>\
         <nav class=\"site-nav\" aria-label=\"annals\">{links}</nav>{switch}</header>\n\
         <main id=\"main\">\n{main}\n</main>\n\
         <footer class=\"site\">{footer} \
         <a href=\"/openapi.json\">{api}</a></footer>\n</body>\n</html>\n",
        lang = super::ui::lang().code(),
        title = esc(title),
        body_class = esc(body_class),
        tagline = esc(t("tagline")),
        switch = language_switch(),
        footer = esc(t("footer")),
        api = esc(t("footer_api")),
        labels = esc(&super::ui::script_labels()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_escaped_and_nav_marked() {
        let h = page(
            "<script>x</script>",
            Nav::Timeline,
            "page-timeline",
            "<p>ok</p>",
        )
        .0;
        assert!(h.contains("&lt;script&gt;x&lt;/script&gt; · annals"));
        assert!(h.contains("<meta charset=\"utf-8\">"));
        assert!(h.contains("data-nav=\"timeline\" class=\"active\""));
        assert!(!h.contains("onclick") && !h.contains("<script>"));
    }
}
