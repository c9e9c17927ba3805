//! The workbench's labels in the reader's language.
//!
//! Labels are data: `data/ui/<code>.toml`, one file per language of the registry, the same
//! keys in each (a test checks), so adding a language to the interface is adding its file.
//! The language of a request is, in order: `?ui=<code>` (which also sets the `annals_ui`
//! cookie, so the choice stays), the cookie, the browser's `Accept-Language`, English.
//! [`middleware`] decides it once per request and keeps it in a task-local, so any page
//! code asks [`t`] for a label without threading the request through.

use crate::text::lang::Lang;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The cookie that keeps a chosen interface language.
pub const COOKIE: &str = "annals_ui";

/// What a request's pages are written in, and where the request went (for the language
/// switch's links).
#[derive(Debug, Clone)]
pub struct Ui {
    pub lang: Lang,
    /// The request's path and query, without `ui=`.
    pub here: String,
}

tokio::task_local! {
    static UI: Ui;
}

/// Labels by language index, then key.
static LABELS: LazyLock<Vec<HashMap<String, String>>> = LazyLock::new(|| {
    Lang::all()
        .iter()
        .map(|l| {
            crate::data::lang_file("ui", l.code())
                .map(|text| {
                    toml::from_str::<HashMap<String, String>>(text)
                        .unwrap_or_else(|e| panic!("data/ui/{}.toml: {e}", l.code()))
                })
                .unwrap_or_default()
        })
        .collect()
});

/// The languages that have an interface file, in the registry's order.
pub fn languages() -> Vec<Lang> {
    Lang::all()
        .iter()
        .copied()
        .filter(|l| !LABELS[l.index()].is_empty())
        .collect()
}

/// The registry's fallback language (`data/lang/languages.toml`), or the first language
/// with labels.
fn fallback() -> Lang {
    Some(Lang::fallback())
        .filter(|l| !LABELS[l.index()].is_empty())
        .or_else(|| languages().first().copied())
        .expect("data/ui has at least one language")
}

/// The interface language of the request being answered (English outside a request).
pub fn lang() -> Lang {
    UI.try_with(|u| u.lang).unwrap_or_else(|_| fallback())
}

/// The request's path and query without `ui=` ("/" outside a request).
pub fn here() -> String {
    UI.try_with(|u| u.here.clone())
        .unwrap_or_else(|_| "/".to_string())
}

/// The label `key` in the request's language, else in English, else the key itself (a
/// missing key shows, it never breaks a page).
pub fn t(key: &str) -> &'static str {
    label(lang(), key)
}

/// The label `key` in `lang`, falling back as [`t`] does.
pub fn label(lang: Lang, key: &str) -> &'static str {
    if let Some(v) = LABELS[lang.index()].get(key) {
        return v.as_str();
    }
    if let Some(v) = LABELS[fallback().index()].get(key) {
        return v.as_str();
    }
    // Interned: a missing key is a programming error the data test catches; leaking its
    // name once is harmless.
    Box::leak(key.to_string().into_boxed_str())
}

/// The label `key` with its `{name}` placeholders filled (values as given: escape HTML
/// before or after, as the caller needs).
pub fn tf(key: &str, values: &[(&str, &str)]) -> String {
    let mut s = t(key).to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// The interface language a request asks for: `ui` from the query, the cookie, then
/// `Accept-Language` (its first language that has labels, by weight), else English.
pub fn choose(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let known = |code: &str| {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        Lang::from_code(primary).filter(|l| !LABELS[l.index()].is_empty())
    };
    if let Some(l) = query.and_then(ui_param).and_then(|c| known(&c)) {
        return l;
    }
    for c in headers.get_all(header::COOKIE) {
        for part in c.to_str().unwrap_or("").split(';') {
            if let Some((k, v)) = part.trim().split_once('=')
                && k == COOKIE
                && let Some(l) = known(v)
            {
                return l;
            }
        }
    }
    if let Some(al) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        let mut prefs: Vec<(f32, &str)> = al
            .split(',')
            .filter_map(|item| {
                let mut it = item.split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        if let Some(l) = prefs.iter().find_map(|(_, tag)| known(tag)) {
            return l;
        }
    }
    fallback()
}

/// The `ui` parameter of a query string.
fn ui_param(query: &str) -> Option<String> {
    query.split('&').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k == "ui").then(|| v.to_string())
    })
}

/// The query string without its `ui` parameter.
fn without_ui(query: &str) -> String {
    query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("ui="))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decides the interface language of a page request and answers it in that language; a
/// `?ui=` choice is remembered in a cookie.
pub async fn middleware(req: Request, next: Next) -> Response {
    let query = req.uri().query().map(str::to_string);
    let lang = choose(query.as_deref(), req.headers());
    let rest = query.as_deref().map(without_ui).unwrap_or_default();
    let here = if rest.is_empty() {
        req.uri().path().to_string()
    } else {
        format!("{}?{rest}", req.uri().path())
    };
    let chosen = query.as_deref().and_then(ui_param).is_some();
    let mut res = UI.scope(Ui { lang, here }, next.run(req)).await;
    let h = res.headers_mut();
    h.append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    if chosen
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        ))
    {
        h.append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_label() {
        let en = &LABELS[fallback().index()];
        assert!(en.len() > 30, "data/ui/en.toml has {} labels", en.len());
        for l in languages() {
            let mine = &LABELS[l.index()];
            let missing: Vec<&String> = en.keys().filter(|k| !mine.contains_key(*k)).collect();
            let extra: Vec<&String> = mine.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "data/ui/{}.toml: missing {missing:?}, unknown {extra:?}",
                l.code()
            );
            for (k, v) in mine {
                let holes = |s: &str| {
                    let mut h: Vec<String> = s
                        .split('{')
                        .skip(1)
                        .filter_map(|p| p.split_once('}').map(|x| x.0.to_string()))
                        .collect();
                    h.sort();
                    h
                };
                assert_eq!(
                    holes(v),
                    holes(&en[k]),
                    "{}: {k} has other placeholders",
                    l.code()
                );
            }
        }
        assert!(languages().len() >= 3);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_language_is_asked_for_remembered_or_the_browsers() {
        let code = |q: Option<&str>, h: &[(&'static str, &'static str)]| {
            choose(q, &headers(h)).code().to_string()
        };
        assert_eq!(code(None, &[]), "en");
        assert_eq!(code(Some("q=x&ui=vi"), &[]), "vi");
        assert_eq!(code(Some("ui=xx"), &[("cookie", "annals_ui=ru")]), "ru");
        assert_eq!(code(None, &[("cookie", "a=b; annals_ui=vi")]), "vi");
        assert_eq!(
            code(None, &[("accept-language", "fr-FR,ru;q=0.8,en;q=0.5")]),
            "ru"
        );
        assert_eq!(
            code(None, &[("accept-language", "en;q=0.4, vi-VN;q=0.9")]),
            "vi"
        );
        assert_eq!(code(None, &[("accept-language", "de")]), "en");
        assert_eq!(without_ui("q=a&ui=vi&lang=ru"), "q=a&lang=ru");
    }

    #[test]
    fn labels_fall_back_and_fill_placeholders() {
        assert_eq!(
            label(Lang::from_code("vi").unwrap(), "nav_search"),
            "Tìm kiếm"
        );
        assert_eq!(label(Lang::from_code("ru").unwrap(), "nav_search"), "Поиск");
        assert_eq!(t("no_such_label_anywhere"), "no_such_label_anywhere");
        assert_eq!(tf("also_for", &[("q", "CMEA")]), "for “CMEA”");
    }
}
