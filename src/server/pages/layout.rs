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
    (Nav::Search, "search", "/search", "Search"),
    (Nav::Timeline, "timeline", "/timeline", "Timeline"),
    (Nav::Entities, "entities", "/entities", "Entities"),
    (Nav::Series, "series", "/series", "Series"),
    (Nav::Documents, "documents", "/documents", "Documents"),
    (Nav::Conflicts, "conflicts", "/conflicts", "Conflicts"),
    (Nav::Ask, "ask", "/ask", "Ask"),
    (Nav::Audit, "audit", "/audit", "Audit"),
    (Nav::Home, "home", "/", "Home"),
];

/// A whole page: `title` (plain text, escaped here), the current navigation entry, a class
/// for `<body>` and the main content (HTML, already escaped by the caller).
pub fn page(title: &str, nav: Nav, body_class: &str, main: &str) -> Html<String> {
    let mut links = String::new();
    for (n, key, href, label) in ENTRIES.iter().filter(|e| e.0 != Nav::Home) {
        let active = if *n == nav {
            " class=\"active\" aria-current=\"page\""
        } else {
            ""
        };
        links.push_str(&format!(
            "<a href=\"{href}\" data-nav=\"{key}\"{active}>{label}</a>"
        ));
    }
    let home_active = if nav == Nav::Home { " active" } else { "" };
    Html(format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · annals</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/annals.css\">\n\
         <script src=\"/assets/annals.js\" defer></script>\n</head>\n\
         <body class=\"{body_class}\">\n\
         <header class=\"site\"><a class=\"brand{home_active}\" href=\"/\" data-nav=\"home\">annals</a>\
         <span class=\"tagline\">Vietnam – Soviet Union / Russia in the sources</span>\
         <nav class=\"site-nav\">{links}</nav></header>\n\
         <main id=\"main\">\n{main}\n</main>\n\
         <footer class=\"site\">Every fact points at the bytes of the source that state it. \
         <a href=\"/openapi.json\">API description</a></footer>\n</body>\n</html>\n",
        title = esc(title),
        body_class = esc(body_class),
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
