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

/// A time stamp as a reader of the interface language says it: "5 Dec 2026, 01:51 UTC",
/// "5 дек. 2026, 01:51 UTC" (ISO 8601 in; anything else shown as it is). The month names
/// and the order are labels (`month_short_N`, `time_format`).
pub fn readable_time(at: &str) -> String {
    let parse = || -> Option<String> {
        let (date, time) = at.split_once('T')?;
        let mut d = date.split('-');
        let (y, m, day) = (d.next()?, d.next()?, d.next()?);
        let m: usize = m.parse().ok()?;
        let day: u32 = day.parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
            return None;
        }
        let hm = time.get(..5)?;
        Some(format!(
            "{}{}",
            tf(
                "time_format",
                &[
                    ("day", &day.to_string()),
                    ("month", t(&format!("month_short_{m}"))),
                    ("month_number", &format!("{m:02}")),
                    ("year", y),
                    ("time", hm),
                ],
            ),
            if time.ends_with('Z') { " UTC" } else { "" }
        ))
    };
    parse().unwrap_or_else(|| at.to_string())
}

/// The CLDR plural category of `n` in `lang` ("one", "few", "many", "other"), from the
/// Unicode plural rules (`intl_pluralrules`); "other" for a language the rules do not know.
///
/// ```
/// # use annals::text::lang::Lang;
/// # use annals::server::pages::ui::plural_category;
/// let ru = Lang::from_code("ru").unwrap();
/// assert_eq!(plural_category(ru, 21), "one");
/// assert_eq!(plural_category(ru, 3), "few");
/// assert_eq!(plural_category(ru, 11), "many");
/// ```
pub fn plural_category(lang: Lang, n: usize) -> &'static str {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    static RULES: LazyLock<Vec<Option<PluralRules>>> = LazyLock::new(|| {
        Lang::all()
            .iter()
            .map(|l| {
                let id: unic_langid::LanguageIdentifier = l.code().parse().ok()?;
                PluralRules::create(id, PluralRuleType::CARDINAL).ok()
            })
            .collect()
    });
    let Some(rules) = &RULES[lang.index()] else {
        return "other";
    };
    match rules.select(n as u64) {
        Ok(PluralCategory::ZERO) => "zero",
        Ok(PluralCategory::ONE) => "one",
        Ok(PluralCategory::TWO) => "two",
        Ok(PluralCategory::FEW) => "few",
        Ok(PluralCategory::MANY) => "many",
        _ => "other",
    }
}

/// The label `key` for the count `n`, in the request's language: `key-one`, `key-few`,
/// `key-many`… as the language's plural rules choose, else `key-other`; `{n}` is filled
/// with the number. English outside a request.
pub fn count(key: &str, n: usize) -> String {
    count_in(lang(), key, n)
}

/// [`count`] in a given language.
pub fn count_in(lang: Lang, key: &str, n: usize) -> String {
    count_label_in(lang, key, n).replace("{n}", &n.to_string())
}

/// The label `key` for the count `n` with `{n}` left in place (for a caller that marks
/// the number up).
pub fn count_label(key: &str, n: usize) -> &'static str {
    count_label_in(lang(), key, n)
}

fn count_label_in(lang: Lang, key: &str, n: usize) -> &'static str {
    let pick = |l: Lang| {
        let labels = &LABELS[l.index()];
        labels
            .get(&format!("{key}-{}", plural_category(l, n)))
            .or_else(|| labels.get(&format!("{key}-other")))
            .map(String::as_str)
    };
    pick(lang)
        .or_else(|| pick(fallback()))
        .unwrap_or_else(|| Box::leak(key.to_string().into_boxed_str()))
}

/// The interface language of the request being answered (English outside a request).
pub fn lang() -> Lang {
    UI.try_with(|u| u.lang).unwrap_or_else(|_| fallback())
}

/// Runs `f` as if answering a request in `lang` (for tests and batch rendering).
pub fn with_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    UI.sync_scope(
        Ui {
            lang,
            here: "/".into(),
        },
        f,
    )
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

/// The label `key` in the request's language, else in English; `None` when no language
/// has it (for labels looked up by a data value: an event type, a field, a code).
pub fn try_t(key: &str) -> Option<&'static str> {
    LABELS[lang().index()]
        .get(key)
        .or_else(|| LABELS[fallback().index()].get(key))
        .map(String::as_str)
}

/// The scripts' labels (keys `js_…`, without the prefix) in the request's language, as a
/// JSON object (the page puts it, escaped, in the body's `data-ui-text`).
pub fn script_labels() -> String {
    let lang = lang();
    let mut out: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for l in [fallback(), lang] {
        for (k, v) in &LABELS[l.index()] {
            if let Some(k) = k.strip_prefix("js_") {
                out.insert(k, v);
            }
        }
    }
    serde_json::to_string(&out).unwrap_or_else(|_| "{}".into())
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
        // A counted label has one key per plural category of its language ("-one", "-few",
        // "-many", "-other"…): compared by its base, and the categories each language's
        // rules give for 0..=1000 must all be there.
        const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];
        let base = |k: &str| -> Option<String> {
            let (b, cat) = k.rsplit_once('-')?;
            CATEGORIES.contains(&cat).then(|| b.to_string())
        };
        let plain = |m: &HashMap<String, String>| -> Vec<String> {
            m.keys().filter(|k| base(k).is_none()).cloned().collect()
        };
        let counted = |m: &HashMap<String, String>| -> Vec<String> {
            let mut b: Vec<String> = m.keys().filter_map(|k| base(k)).collect();
            b.sort();
            b.dedup();
            b
        };
        for l in languages() {
            let mine = &LABELS[l.index()];
            assert_eq!(counted(mine), counted(en), "{}: counted labels", l.code());
            for b in counted(en) {
                assert!(
                    mine.contains_key(&format!("{b}-other")),
                    "data/ui/{}.toml: {b}-other is missing",
                    l.code()
                );
                for n in 0..=1000 {
                    let k = format!("{b}-{}", plural_category(l, n));
                    assert!(
                        mine.contains_key(&k) || k.ends_with("-other"),
                        "data/ui/{}.toml: {k} is missing (for {n})",
                        l.code()
                    );
                    let holes = |s: &str| s.matches('{').count();
                    assert_eq!(
                        holes(mine.get(&k).unwrap_or(&mine[&format!("{b}-other")])),
                        holes(&en[&format!("{b}-other")]),
                        "{}: {k} has other placeholders",
                        l.code()
                    );
                }
            }
            let (en_plain, my_plain) = (plain(en), plain(mine));
            let missing: Vec<&String> = en_plain.iter().filter(|k| !my_plain.contains(k)).collect();
            let extra: Vec<&String> = my_plain.iter().filter(|k| !en_plain.contains(k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "data/ui/{}.toml: missing {missing:?}, unknown {extra:?}",
                l.code()
            );
            for (k, v) in mine.iter().filter(|(k, _)| base(k).is_none()) {
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

    #[test]
    fn times_read_as_people_write_them() {
        assert_eq!(
            readable_time("2026-12-05T01:51:17Z"),
            "5 Dec 2026, 01:51 UTC"
        );
        assert_eq!(readable_time("1999-01-31T23:05:00"), "31 Jan 1999, 23:05");
        for odd in ["", "yesterday", "2026-13-05T01:51:17Z", "2026-12-05"] {
            assert_eq!(readable_time(odd), odd);
        }
        let ru = with_lang(Lang::from_code("ru").unwrap(), || {
            readable_time("2026-12-05T01:51:17Z")
        });
        assert_eq!(ru, "5 дек. 2026, 01:51 UTC");
        let vi = with_lang(Lang::from_code("vi").unwrap(), || {
            readable_time("2026-05-31T23:05:00")
        });
        assert_eq!(vi, "31 thg 5 2026, 23:05");
    }

    #[test]
    fn every_event_type_and_field_has_a_label_in_every_language() {
        let o = crate::knowledge::events::ontology();
        for l in languages() {
            let labels = &LABELS[l.index()];
            for ty in o.types.keys() {
                assert!(
                    labels.contains_key(&format!("type_{ty}")),
                    "{}: type_{ty}",
                    l.code()
                );
            }
            for f in &o.fields {
                assert!(
                    labels.contains_key(&format!("field_{f}")),
                    "{}: field_{f}",
                    l.code()
                );
            }
            for other in Lang::all() {
                let k = format!("lang_{}", other.code());
                assert!(labels.contains_key(&k), "{}: {k}", l.code());
            }
        }
    }

    #[test]
    fn counts_follow_each_languages_plural_rules() {
        let (en, vi, ru) = (
            Lang::from_code("en").unwrap(),
            Lang::from_code("vi").unwrap(),
            Lang::from_code("ru").unwrap(),
        );
        // CLDR: Russian one 1, 21, 101; few 2–4, 22–24; many 0, 5–20, 25–30, 111–114.
        for (n, cat) in [
            (0, "many"),
            (1, "one"),
            (2, "few"),
            (4, "few"),
            (5, "many"),
            (11, "many"),
            (12, "many"),
            (14, "many"),
            (21, "one"),
            (22, "few"),
            (25, "many"),
            (101, "one"),
            (111, "many"),
            (112, "many"),
            (122, "few"),
        ] {
            assert_eq!(plural_category(ru, n), cat, "ru {n}");
        }
        for n in [0, 1, 2, 5, 21] {
            assert_eq!(plural_category(vi, n), "other", "vi {n}");
        }
        assert_eq!(plural_category(en, 1), "one");
        assert_eq!(plural_category(en, 0), "other");
        assert_eq!(count_in(ru, "n_sources", 1), "1 источник");
        assert_eq!(count_in(ru, "n_sources", 3), "3 источника");
        assert_eq!(count_in(ru, "n_sources", 11), "11 источников");
        assert_eq!(count_in(ru, "n_sources", 21), "21 источник");
        assert_eq!(count_in(en, "n_sources", 1), "1 source");
        assert_eq!(count_in(en, "n_sources", 2), "2 sources");
        assert_eq!(count_in(vi, "n_sources", 2), "2 nguồn");
    }
}
