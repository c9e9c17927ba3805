//! `annals serve` without a browser: the JSON API against its OpenAPI description,
//! pagination, errors as JSON with a reason, and the safety rules (document ids are never
//! paths, writes need the token, a public address needs a token, bodies are limited,
//! security headers, queries time out with a reason). Each test ingests the reference corpus
//! into a temporary folder and starts the built binary as a child process (killed when the
//! test ends, also on panic), talking to it over a hand-written HTTP/1.1 client.

#[path = "browser/harness.rs"]
mod harness;

use harness::{Response, Server, TOKEN, corpus_data, enc};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// The API routes the server answers (method, path template): the OpenAPI description must
/// list every one of them.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/status"),
    ("get", "/api/search"),
    ("get", "/api/timeline"),
    ("get", "/api/events/{id}"),
    ("get", "/api/entities"),
    ("get", "/api/entities/{id}"),
    ("get", "/api/series"),
    ("get", "/api/series/{key}"),
    ("get", "/api/conflicts"),
    ("get", "/api/tables"),
    ("get", "/api/tables/{id}"),
    ("get", "/api/ask"),
    ("get", "/api/documents"),
    ("get", "/api/documents/{id}"),
    ("get", "/api/documents/{id}/text"),
    ("get", "/api/export"),
    ("post", "/api/curation"),
    ("get", "/api/audit"),
];

const QUESTION: &str = "When did Vietnam join the CMEA?";

fn auth() -> String {
    format!("Bearer {TOKEN}")
}

/// Asserts a JSON error: `status`, `error.status` equal to it and a non-empty reason.
fn assert_json_error(r: &Response, status: u16, what: &str) -> String {
    assert_eq!(
        r.status,
        status,
        "{what}: expected {status}, got {}",
        r.describe()
    );
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{what}: an error must be JSON, got {}",
        r.describe()
    );
    let v = r.json();
    assert_eq!(
        v["error"]["status"].as_u64(),
        Some(status as u64),
        "{what}: error.status in {v}"
    );
    r.reason()
}

/// Real ids of each kind, from the API itself.
struct Ids {
    event: String,
    entity: String,
    series: String,
    table: String,
    document: String,
}

fn ids(s: &Server) -> Ids {
    let first = |path: &str, field: &str| -> String {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.describe());
        let v = r.json();
        let items = v.get("items").unwrap_or(&v);
        items[0][field]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: no {field} in the first item of {v:.300}"))
            .to_string()
    };
    Ids {
        event: first("/api/timeline?limit=1", "id"),
        entity: first("/api/entities?limit=1", "entity_id"),
        series: first("/api/series", "key"),
        table: first("/api/tables?limit=1", "id"),
        document: first("/api/documents?limit=1", "id"),
    }
}

/// The OpenAPI description lists every route the server answers, with its parameters, and
/// every documented `/api/` path answers.
#[test]
fn openapi_describes_every_route_and_every_documented_route_answers() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let r = s.get("/openapi.json");
    assert_eq!(r.status, 200, "{}", r.describe());
    let api = r.json();
    let paths = api["paths"].as_object().expect("paths object");

    let missing: Vec<String> = ROUTES
        .iter()
        .filter(|(m, p)| paths.get(*p).and_then(|o| o.get(*m)).is_none())
        .map(|(m, p)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "/openapi.json does not describe {missing:?}; it has {:?}",
        paths.keys().collect::<Vec<_>>()
    );

    // Documented parameters, as the handlers declare them.
    let params = |path: &str, method: &str| -> Vec<(String, String, bool)> {
        paths[path][method]["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| {
                        (
                            p["name"].as_str().unwrap_or("").to_string(),
                            p["in"].as_str().unwrap_or("").to_string(),
                            p["required"].as_bool().unwrap_or(false),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let search = params("/api/search", "get");
    for want in [
        ("q", "query", true),
        ("lang", "query", false),
        ("doc", "query", false),
        ("limit", "query", false),
        ("offset", "query", false),
    ] {
        assert!(
            search
                .iter()
                .any(|(n, i, r)| n == want.0 && i == want.1 && *r == want.2),
            "/api/search should document {want:?}; it documents {search:?}"
        );
    }
    let timeline = params("/api/timeline", "get");
    for name in ["from", "to", "field", "actor", "type", "limit", "offset"] {
        assert!(
            timeline.iter().any(|(n, i, _)| n == name && i == "query"),
            "/api/timeline should document the query parameter {name}; it documents {timeline:?}"
        );
    }
    let event = params("/api/events/{id}", "get");
    assert!(
        event.iter().any(|(n, i, r)| n == "id" && i == "path" && *r),
        "/api/events/{{id}} should document its path parameter: {event:?}"
    );
    assert!(
        paths["/api/search"]["get"]["responses"]
            .get("400")
            .is_some(),
        "/api/search should document its 400 answer"
    );

    // Every documented API path answers: GETs with real ids and required parameters, writes
    // (without the token) with 401, never 404 or 405.
    let ids = ids(&s);
    let mut probed = 0;
    for (path, ops) in paths {
        if !path.starts_with("/api/") {
            continue;
        }
        for (method, op) in ops.as_object().expect("operations") {
            let mut url = path.clone();
            for (name, value) in [
                ("{id}", path_id(path, &ids)),
                ("{key}", ids.series.clone()),
                ("{n}", "1".to_string()),
            ] {
                url = url.replace(name, &enc(&value));
            }
            assert!(!url.contains('{'), "{path}: a path parameter I cannot fill");
            let mut query = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "query" && p["required"].as_bool() == Some(true) {
                    let name = p["name"].as_str().unwrap_or("");
                    let value = match (path.as_str(), name) {
                        ("/api/ask", "q") => QUESTION,
                        (_, "q") => "lien xo",
                        _ => panic!("{path}: required query parameter {name} I cannot fill"),
                    };
                    query.push(format!("{name}={}", enc(value)));
                }
            }
            if !query.is_empty() {
                url = format!("{url}?{}", query.join("&"));
            }
            let r = if method == "get" {
                s.get(&url)
            } else {
                s.request(&method.to_uppercase(), &url, &[], Some(b"{}"))
            };
            if path.ends_with("/pages/{n}") {
                // The corpus is text: a page image answers the documented 404 with its reason
                // (tests/pdf.rs gets pages of PDFs).
                assert_eq!(r.status, 404, "GET {url}: {}", r.describe());
                assert!(r.reason().contains("no pages"), "{}", r.describe());
            } else if method == "get" {
                assert_eq!(
                    r.status,
                    200,
                    "GET {url} (documented as {path}): {}",
                    r.describe()
                );
            } else {
                assert_eq!(
                    r.status,
                    401,
                    "{} {url} without the token (documented as {path}): {}",
                    method.to_uppercase(),
                    r.describe()
                );
            }
            probed += 1;
        }
    }
    assert!(probed >= ROUTES.len(), "probed only {probed} operations");
}

fn path_id(path: &str, ids: &Ids) -> String {
    if path.starts_with("/api/events/") {
        ids.event.clone()
    } else if path.starts_with("/api/entities/") {
        ids.entity.clone()
    } else if path.starts_with("/api/tables/") {
        ids.table.clone()
    } else if path.starts_with("/api/documents/") {
        ids.document.clone()
    } else {
        String::new()
    }
}

/// Lists answer `total`, `offset`, `limit` and a window of `items`.
#[test]
fn lists_are_paginated() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);

    let page = |path: &str| -> Value {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.describe());
        r.json()
    };
    let items = |v: &Value| v["items"].as_array().expect("items").clone();

    let d = page("/api/documents?limit=2");
    assert_eq!(
        d["total"], 5,
        "5 documents in the reference corpus: {d:.300}"
    );
    assert_eq!(
        (d["offset"].as_u64(), d["limit"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(items(&d).len(), 2);
    let tail = page("/api/documents?offset=4&limit=2");
    assert_eq!(items(&tail).len(), 1, "offset 4 of 5: {tail:.300}");
    assert_eq!(items(&page("/api/documents?offset=10")).len(), 0);

    // A window is a slice of the whole list, in the same order.
    let all = items(&page("/api/timeline?limit=500"));
    assert!(all.len() >= 10, "the corpus gives at least 10 events");
    let w = page("/api/timeline?offset=3&limit=4");
    assert_eq!(w["total"].as_u64(), Some(all.len() as u64));
    let got: Vec<Value> = items(&w).iter().map(|e| e["id"].clone()).collect();
    let want: Vec<Value> = all[3..7].iter().map(|e| e["id"].clone()).collect();
    assert_eq!(got, want, "timeline offset=3 limit=4 is not items 3..7");

    // Search: pages do not overlap, and `total` counts every hit, not the page.
    let p1 = page("/api/search?q=lien+xo&limit=3");
    let p2 = page("/api/search?q=lien+xo&limit=3&offset=3");
    let big = page("/api/search?q=lien+xo&limit=200");
    let key = |h: &Value| format!("{}@{}", h["doc"], h["start"]);
    let k1: BTreeSet<String> = items(&p1).iter().map(key).collect();
    let k2: BTreeSet<String> = items(&p2).iter().map(key).collect();
    assert_eq!((k1.len(), k2.len()), (3, 3), "lien xo has more than 6 hits");
    assert!(k1.is_disjoint(&k2), "search pages overlap: {k1:?} {k2:?}");
    let bigs: Vec<String> = items(&big).iter().map(key).collect();
    assert_eq!(
        bigs[3..6].iter().cloned().collect::<BTreeSet<_>>(),
        k2,
        "search offset=3 limit=3 is not hits 3..6"
    );
    let e = page("/api/entities?limit=1");
    assert_eq!(items(&e).len(), 1);
    assert!(e["total"].as_u64() > Some(1));
    assert_eq!(
        p1["total"], big["total"],
        "search `total` must count the hits of the query, not of the page asked for (limit=3 gave {}, limit=200 gave {})",
        p1["total"], big["total"]
    );
}

/// A bad `limit` or `offset`, a missing or empty `q`, an unknown language, date or format is
/// a 400 with a JSON reason (every failure is listed, not only the first).
#[test]
fn bad_parameters_are_400_json() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let mut failures = Vec::new();
    for path in [
        "/api/documents?limit=0",
        "/api/documents?limit=501",
        "/api/documents?limit=100000000000000000000000",
        "/api/documents?limit=-1",
        "/api/documents?limit=abc",
        "/api/documents?offset=abc",
        "/api/timeline?limit=0",
        "/api/timeline?limit=abc",
        "/api/search?q=lien+xo&limit=0",
        "/api/search?q=lien+xo&limit=abc",
        "/api/entities?limit=9999",
        "/api/tables?limit=abc",
        "/api/search?q=",
        "/api/search",
        "/api/search?q=lien&lang=xx",
        "/api/ask",
        "/api/timeline?from=not-a-date",
        "/api/export?format=..%2F..%2Fetc%2Fpasswd",
    ] {
        let r = s.get(path);
        let json = r
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json"));
        let reason = serde_json::from_slice::<Value>(&r.body)
            .ok()
            .and_then(|v| v["error"]["reason"].as_str().map(str::to_string));
        if r.status != 400 || !json || reason.as_deref().is_none_or(|r| r.len() < 6) {
            failures.push(format!("{path}: {}", r.describe()));
        }
    }
    assert!(
        failures.is_empty(),
        "expected 400 with a JSON error.reason:\n{}",
        failures.join("\n")
    );
    let reason = assert_json_error(&s.get("/api/documents?limit=501"), 400, "limit 501");
    assert!(
        reason.contains("limit"),
        "the reason names the parameter: {reason}"
    );
}

/// Unknown ids are 404 with a JSON reason (pages: 404 too).
#[test]
fn unknown_ids_are_404_json() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    for path in [
        "/api/events/ev-1066-10-14-battle-00000000",
        "/api/entities/no-such-entity-xyz",
        "/api/series/no-such-series",
        "/api/tables/no-such-table",
        "/api/documents/no-such-document.txt",
        "/api/documents/no-such-document.txt/text",
        "/api/no-such-endpoint",
        "/api/events/",
    ] {
        let reason = assert_json_error(&s.get(path), 404, path);
        assert!(!reason.is_empty());
    }
    for path in [
        "/events/ev-1066-10-14-battle-00000000",
        "/entities/no-such-entity-xyz",
        "/series/no-such-series",
        "/documents/no-such-document.txt",
        "/no-such-page",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}: {}", r.describe());
    }
}

/// Document ids are looked up in the store, never used as paths: encoded `..`, absolute
/// paths and the data folder's own files give 404 and never a file's contents.
#[test]
fn document_ids_are_never_paths() {
    let (tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let corpus_file = harness::corpus_dir().join("000_72782bffc1e52755.txt");
    let corpus_text = std::fs::read_to_string(&corpus_file).expect("corpus file");
    let abs = enc(corpus_file.to_str().expect("UTF-8 path"));
    let db = enc(data.join("annals.db").to_str().expect("UTF-8 path"));
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let passwd_line = passwd.lines().next().unwrap_or("root:x:0:0").to_string();
    let cargo_toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let hostile = [
        "/api/documents/..%2F..%2Fetc%2Fpasswd".to_string(),
        "/api/documents/..%2F..%2Fetc%2Fpasswd/text".to_string(),
        "/api/documents/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd/text".to_string(),
        "/api/documents/..%252F..%252Fetc%252Fpasswd/text".to_string(),
        "/api/documents/%2Fetc%2Fpasswd/text".to_string(),
        "/api/documents/..%5C..%5Cetc%5Cpasswd/text".to_string(),
        "/api/documents/..%2F..%2FCargo.toml/text".to_string(),
        format!("/api/documents/{abs}/text"),
        format!("/api/documents/{db}/text"),
        "/api/documents/annals.db/text".to_string(),
        "/api/documents/..%2Fannals.db/text".to_string(),
        "/api/documents/%00/text".to_string(),
        "/api/documents/../../etc/passwd".to_string(),
        "/documents/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_string(),
        "/documents/..%2F..%2Fetc%2Fpasswd".to_string(),
        "/documents/../../etc/passwd".to_string(),
        format!("/documents/{abs}"),
        "/documents/%2Fetc%2Fpasswd".to_string(),
        "/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/..%2F..%2FCargo.toml".to_string(),
        "/annals.db".to_string(),
        "/index/meta.json".to_string(),
        "/static/..%2F..%2FCargo.toml".to_string(),
    ];
    for path in &hostile {
        let r = s.get(path);
        assert!(
            r.status == 404 || r.status == 400,
            "{path}: expected 404, got {}",
            r.describe()
        );
        if path.starts_with("/api/") {
            assert_eq!(r.status, 404, "{path}: {}", r.describe());
            r.reason();
        }
        let body = r.text();
        for (what, secret) in [
            ("/etc/passwd", passwd_line.as_str()),
            ("Cargo.toml", "[package]"),
            ("a corpus file", &corpus_text[..200.min(corpus_text.len())]),
            ("the SQLite store", "SQLite format"),
        ] {
            assert!(
                secret.is_empty() || !body.contains(secret),
                "{path} answered the contents of {what}: {}",
                r.describe()
            );
        }
        assert!(!body.contains(&cargo_toml[..100]));
    }
    // Ids given to filters are ids too.
    let r = s.get("/api/search?q=root&doc=..%2F..%2F..%2Fetc%2Fpasswd");
    assert!(
        !r.text().contains(&passwd_line),
        "search with a path as doc answered /etc/passwd"
    );
    // The real ids work, so the 404s above are not everything being 404.
    let doc = s.get("/api/documents?limit=1").json()["items"][0]["id"]
        .as_str()
        .expect("a document")
        .to_string();
    let r = s.get(&format!("/api/documents/{}/text", enc(&doc)));
    assert_eq!(r.status, 200, "{}", r.describe());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/plain")),
        "the source text is served as text/plain: {:?}",
        r.header("content-type")
    );
    drop(tmp);
}

/// Every write needs the token: none, a wrong one, a prefix of it or a longer one is 401,
/// and nothing is recorded.
#[test]
fn writes_need_the_token() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let fact = some_fact(&s);
    let body = json!({"action": "confirm", "target": {"fact": fact}, "reason": "checked", "who": "intruder"});
    let prefix = format!("Bearer {}", &TOKEN[..TOKEN.len() - 1]);
    let longer = format!("Bearer {TOKEN}x");
    let lower = format!("Bearer {}", TOKEN.to_uppercase());
    let wrong: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("Authorization", "Bearer wrong-token-0123456789")],
        vec![("Authorization", prefix.as_str())],
        vec![("Authorization", longer.as_str())],
        vec![("Authorization", lower.as_str())],
        vec![("Authorization", "Bearer ")],
        vec![("Authorization", TOKEN)],
        vec![("X-Annals-Token", "wrong-token-0123456789")],
        vec![("X-Annals-Token", "")],
        vec![("Cookie", "token=wrong-token-0123456789")],
    ];
    for h in &wrong {
        let r = s.post_json("/api/curation", h, &body);
        let reason = assert_json_error(&r, 401, &format!("POST /api/curation with {h:?}"));
        assert!(
            reason.to_lowercase().contains("token"),
            "the 401 reason should say a token is needed: {reason}"
        );
    }
    // The token in the URL is not accepted either (URLs end up in logs and history).
    let r = s.post_json(&format!("/api/curation?token={TOKEN}"), &[], &body);
    assert_eq!(r.status, 401, "token in the query string: {}", r.describe());
    let audit = s.get("/api/audit");
    assert_eq!(audit.status, 200, "{}", audit.describe());
    assert!(
        !audit.text().contains("intruder"),
        "a write without the token was recorded: {}",
        audit.describe()
    );
}

/// A fact id from the reference corpus (a timex of the first document).
fn some_fact(s: &Server) -> i64 {
    let doc = s.get("/api/documents?limit=1").json()["items"][0]["id"]
        .as_str()
        .expect("a document")
        .to_string();
    let d = s.get(&format!("/api/documents/{}", enc(&doc))).json();
    d["facts"]
        .as_array()
        .expect("facts")
        .iter()
        .find(|f| f["kind"] == "timex")
        .and_then(|f| f["fact_id"].as_i64())
        .unwrap_or_else(|| panic!("no timex with a fact_id in {doc}"))
}

/// With the token, a decision is recorded and listed by the audit log; a decision without
/// a reason is a 400 with a reason.
#[test]
fn curation_through_the_api_is_audited() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let fact = some_fact(&s);
    let auth = auth();
    let h = [("Authorization", auth.as_str())];

    let r = s.post_json(
        "/api/curation",
        &h,
        &json!({"action": "reject", "target": {"fact": fact}, "reason": "", "who": "api-test"}),
    );
    let reason = assert_json_error(&r, 400, "a decision without a reason");
    assert!(reason.contains("reason"), "{reason}");

    let why = "Checked against the treaty's published text (server_api test).";
    let r = s.post_json(
        "/api/curation",
        &h,
        &json!({"action": "confirm", "target": {"fact": fact}, "reason": why, "who": "api-test"}),
    );
    assert!(
        (200..300).contains(&r.status),
        "POST /api/curation with the token: {}",
        r.describe()
    );
    let r = s.post_json(
        "/api/curation",
        &[("X-Annals-Token", TOKEN)],
        &json!({"action": "reject", "target": {"fact": fact}, "reason": "second thoughts", "who": "api-test"}),
    );
    assert!(
        (200..300).contains(&r.status),
        "POST /api/curation with X-Annals-Token: {}",
        r.describe()
    );
    let audit = s.get("/api/audit");
    assert_eq!(audit.status, 200, "{}", audit.describe());
    let text = audit.text();
    assert!(
        text.contains(why) && text.contains("second thoughts"),
        "the audit log lists both decisions: {}",
        audit.describe()
    );
}

/// `annals serve` on a non-loopback address without a token exits with an error naming the
/// reason; a short token is refused too.
#[test]
fn public_address_without_a_token_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    for (args, want) in [
        (vec!["--addr", "0.0.0.0:0"], vec!["token", "loopback"]),
        (vec!["--addr", "[::]:0"], vec!["token", "loopback"]),
        (
            vec!["--addr", "127.0.0.1:0", "--token", "short"],
            vec!["16"],
        ),
    ] {
        let mut child = harness::ChildGuard(
            harness::bin()
                .arg("--data")
                .arg(&data)
                .arg("serve")
                .args(&args)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start annals serve"),
        );
        let t0 = Instant::now();
        let status = loop {
            if let Some(st) = child.0.try_wait().expect("wait") {
                break st;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "annals serve {args:?} is still running after 60 s: it must refuse to start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut err = String::new();
        let mut out = String::new();
        use std::io::Read;
        child
            .0
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut err)
            .ok();
        child
            .0
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut out)
            .ok();
        assert!(
            !status.success(),
            "annals serve {args:?} must fail; stdout:\n{out}\nstderr:\n{err}"
        );
        for w in want {
            assert!(
                err.contains(w),
                "annals serve {args:?}: the error should name the reason ({w:?}):\n{err}"
            );
        }
        assert!(
            !out.contains("serving"),
            "annals serve {args:?} said it was serving:\n{out}"
        );
    }
}

/// A request body over the limit (1 MiB) gets 413, with a JSON reason and the security
/// headers; the server goes on answering.
#[test]
fn bodies_over_the_limit_get_413() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let fact = some_fact(&s);
    let big = "x".repeat(2 << 20);
    let body = json!({"action": "confirm", "target": {"fact": fact}, "reason": big, "who": "big"});
    let auth = auth();
    let r = s.post_json("/api/curation", &[("Authorization", auth.as_str())], &body);
    assert_eq!(r.status, 413, "a 2 MiB body: {}", r.describe());
    assert!(
        r.header("content-security-policy").is_some(),
        "413 without security headers"
    );
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "413 should be JSON with a reason like every API error: {}",
        r.describe()
    );
    r.reason();
    assert_eq!(s.get("/api/status").status, 200);
    assert!(
        !s.get("/api/audit").text().contains("xxxxxxxxxx"),
        "the oversized decision was recorded"
    );
}

/// Every answer (pages, API, errors, the source text) carries CSP, nosniff, no framing.
#[test]
fn security_headers_on_every_answer() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let doc = s.get("/api/documents?limit=1").json()["items"][0]["id"]
        .as_str()
        .expect("a document")
        .to_string();
    let e = enc(&doc);
    for path in [
        "/".to_string(),
        "/search?q=lien+xo".to_string(),
        format!("/documents/{e}"),
        "/api/status".to_string(),
        "/api/search?q=lien+xo".to_string(),
        format!("/api/documents/{e}/text"),
        "/openapi.json".to_string(),
        "/no-such-page".to_string(),
        "/api/no-such-endpoint".to_string(),
        "/api/documents?limit=0".to_string(),
        "/api/documents?limit=abc".to_string(),
        "/api/search".to_string(),
    ] {
        let r = s.get(&path);
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy ({})", r.describe()));
        for d in [
            "default-src",
            "script-src",
            "object-src 'none'",
            "frame-ancestors",
        ] {
            assert!(csp.contains(d), "{path}: CSP without {d}: {csp}");
        }
        assert!(
            !csp.contains("script-src 'self' 'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
            "{path}: CSP lets inline scripts run: {csp}"
        );
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}: no nosniff"
        );
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
        assert!(
            r.header("referrer-policy").is_some(),
            "{path}: no Referrer-Policy"
        );
        assert!(
            r.header("access-control-allow-origin").is_none(),
            "{path}: CORS is open: {:?}",
            r.header("access-control-allow-origin")
        );
    }
}

/// A query that runs past the timeout is answered 503 with a reason, quickly, and the
/// server goes on answering.
#[test]
fn slow_queries_get_503_with_a_reason() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &["--query-timeout-ms", "1"]);
    let t0 = Instant::now();
    let r = s.get(&format!("/api/ask?q={}", enc(QUESTION)));
    let took = t0.elapsed();
    let reason = assert_json_error(&r, 503, "ask with a 1 ms timeout");
    assert!(
        reason.contains("1 ms") || reason.contains("took longer") || reason.contains("busy"),
        "the reason should say the query ran out of time: {reason}"
    );
    assert!(
        took < Duration::from_secs(10),
        "the 503 took {took:?}: the server waited for the query"
    );
    // The page answers with a status too (not a hang, not a 200 hiding the failure).
    let page = s.get(&format!("/ask?q={}", enc(QUESTION)));
    assert!(
        page.status == 503 || page.status == 404,
        "the ask page with a 1 ms timeout: {}",
        page.describe()
    );
    let st = s.get("/api/status");
    assert_eq!(st.status, 200, "{}", st.describe());
}

/// Where the OpenAPI validator (PyPI `openapi-spec-validator`) is installed.
fn openapi_validator() -> Option<std::path::PathBuf> {
    harness::python_tool("openapi_spec_validator", "openapi-spec-validator")
}

/// `/openapi.json` is a valid OpenAPI 3.1 document by a validator from a registry, and
/// every response has a description (3.1 requires one).
#[test]
fn openapi_validates_as_openapi_3_1() {
    let Some(pythonpath) = openapi_validator() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let s = Server::start(&data, &[]);
    let r = s.get("/openapi.json");
    assert_eq!(r.status, 200, "{}", r.describe());
    let api = r.json();
    assert!(
        api["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "openapi is {:?}",
        api["openapi"]
    );
    let file = tmp.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(&api).expect("json")).expect("write");
    let out = std::process::Command::new("python3")
        .env("PYTHONPATH", &pythonpath)
        .args([
            "-c",
            "import json,sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator\nspec=json.load(open(sys.argv[1]))\nerrs=[str(e).splitlines()[0]+' at '+'/'.join(map(str,e.absolute_path)) for e in OpenAPIV31SpecValidator(spec).iter_errors()]\nprint('\\n'.join(errs[:40]))\nsys.exit(1 if errs else 0)",
        ])
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "/openapi.json is not valid OpenAPI 3.1:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // A test that cannot fail is no test: the validator refuses a response without a
    // description.
    let mut broken = api.clone();
    if let Some(op) = broken["paths"]["/api/status"]["get"]["responses"]["200"].as_object_mut() {
        op.remove("description");
    }
    std::fs::write(&file, serde_json::to_vec(&broken).expect("json")).expect("write");
    let out = std::process::Command::new("python3")
        .env("PYTHONPATH", &pythonpath)
        .args([
            "-c",
            "import json,sys\nfrom openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator\nsys.exit(1 if list(OpenAPIV31SpecValidator(json.load(open(sys.argv[1]))).iter_errors()) else 0)",
        ])
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        !out.status.success(),
        "the validator accepts a response without a description"
    );
}

/// Search finds other names and translations after the words as typed, says which, counts
/// every hit and facets them; facets and a date range narrow; bad filters are 400.
#[test]
fn search_expands_counts_and_facets() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let get = |q: &str| {
        let r = s.get(&format!("/api/search?{q}"));
        assert_eq!(r.status, 200, "{q}: {}", r.describe());
        r.json()
    };
    for (q, form) in [
        ("Brezhnev", "Brêgiơnép"),
        ("Брежнев", "Brêgiơnép"),
        ("CMEA", "SEV"),
    ] {
        let v = get(&format!("q={}&limit=50", enc(q)));
        let also = v["also_searched"].as_array().expect("also_searched");
        assert!(
            also.iter().any(|a| a["type"] == "entity"),
            "{q}: also searched {also:?}"
        );
        let items = v["items"].as_array().expect("items");
        assert!(
            items
                .iter()
                .any(|h| h["tier"] == "expanded"
                    && h["text"].as_str().is_some_and(|t| t.contains(form))),
            "{q}: no hit by another name shows {form:?}"
        );
        assert!(v["total"].as_u64().unwrap() >= items.len() as u64);
        // The words as typed come first.
        let tiers: Vec<&str> = items.iter().map(|h| h["tier"].as_str().unwrap()).collect();
        let mut sorted = tiers.clone();
        sorted.sort_by_key(|t| ["exact", "folded", "expanded"].iter().position(|x| x == t));
        assert_eq!(tiers, sorted, "{q}: tiers out of order");
        // exact=true: the words only.
        let e = get(&format!("q={}&exact=true&limit=50", enc(q)));
        assert!(e["also_searched"].as_array().unwrap().is_empty());
        assert!(
            e["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|h| h["tier"] != "expanded"),
            "{q}: exact=true still expands"
        );
        assert!(e["total"].as_u64() < v["total"].as_u64(), "{q}");
    }
    // Facets count the whole list; choosing one narrows to it.
    let v = get("q=treaty+friendship&limit=5");
    let total = v["total"].as_u64().unwrap();
    let langs = v["facets"]["languages"]
        .as_array()
        .expect("languages facet");
    assert!(langs.len() >= 2, "{langs:?}");
    let sum: u64 = langs.iter().map(|l| l["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, total, "language counts do not add up to the total");
    let vi = langs.iter().find(|l| l["value"] == "vi").expect("vi hits");
    let n = get("q=treaty+friendship&lang=vi&limit=5");
    assert_eq!(n["total"], vi["count"]);
    let ent = &v["facets"]["entities"][0];
    let by_entity = get(&format!(
        "q=treaty+friendship&entity={}",
        enc(ent["value"].as_str().unwrap())
    ));
    assert_eq!(by_entity["total"], ent["count"]);
    let dec = v["facets"]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["value"] == "1970")
        .expect("a 1970s facet");
    let by_decade = get("q=treaty+friendship&from=1970&to=1979");
    assert_eq!(by_decade["total"], dec["count"]);
    assert!(by_decade["total"].as_u64().unwrap() < total);
    let events = get("q=treaty+friendship&kind=event_statement");
    assert!(events["total"].as_u64().unwrap() < total);
    for bad in ["q=x&kind=nonsense", "q=x&from=last+year", "q=x&to=19"] {
        let r = s.get(&format!("/api/search?{bad}"));
        assert_eq!(r.status, 400, "{bad}: {}", r.describe());
    }
}

/// An event merged into another by curation keeps its address: the page redirects to the
/// survivor, the API says where it went; CSV exports carry the list's filters and are
/// named by them.
#[test]
fn merged_events_redirect_and_exports_are_named() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let tl = s.get("/api/timeline?from=1978&to=1978&limit=2").json();
    let ids: Vec<String> = tl["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "two events in 1978");
    let auth = auth();
    let r = s.post_json(
        "/api/curation",
        &[("Authorization", auth.as_str())],
        &json!({"action": "merge", "target": {"event": ids[0]}, "with": [ids[1]],
                "reason": "the same event (server_api test)", "who": "api-test"}),
    );
    assert!((200..300).contains(&r.status), "merge: {}", r.describe());
    let n = r.json()["id"].as_i64().expect("audit id");
    let t0 = Instant::now();
    while s.get("/api/status").json()["curation_version"].as_i64() < Some(n) {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "the view never showed the merge"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let page = s.get(&format!("/events/{}", enc(&ids[1])));
    assert_eq!(page.status, 308, "{}", page.describe());
    let to = page.header("location").unwrap_or_default().to_string();
    assert!(
        to.starts_with(&format!("/events/{}", enc(&ids[0]))),
        "redirects to {to}"
    );
    assert_eq!(s.get(&to).status, 200);
    let api = s.get(&format!("/api/events/{}", enc(&ids[1])));
    let reason = assert_json_error(&api, 404, "a merged-away event");
    assert!(reason.contains(&ids[0]), "{reason}");
    assert_eq!(s.get("/events/ev-no-such-event").status, 404);

    // Exports: the timeline's filters apply and name the file.
    let all = s.get("/api/export?format=csv&kind=events");
    assert_eq!(
        all.header("content-disposition"),
        Some("attachment; filename=\"annals-events.csv\"")
    );
    let r = s.get("/api/export?format=csv&kind=events&from=1978&to=1978&type=treaty");
    assert_eq!(r.status, 200, "{}", r.describe());
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"annals-events-1978-treaty.csv\"")
    );
    let rows = r.text().lines().count() - 1;
    let want = s
        .get("/api/timeline?from=1978&to=1978&type=treaty&limit=1")
        .json()["total"]
        .as_u64()
        .unwrap() as usize;
    assert!(rows > 0 && rows == want, "{rows} rows for {want} events");
    assert!(rows < all.text().lines().count() - 1);
    let tj = s.get("/api/export?format=timelinejs&from=1978&to=1978");
    assert_eq!(
        tj.header("content-disposition"),
        Some("attachment; filename=\"annals-timeline-1978.json\"")
    );
    let series = s.get("/api/series").json();
    let key = series[0]["key"].as_str().expect("a series").to_string();
    let one = s.get(&format!(
        "/api/export?format=csv&kind=series&series={}",
        enc(&key)
    ));
    assert!(
        one.text().lines().skip(1).all(|l| l.starts_with(&key)),
        "another series in the CSV of {key}"
    );
    for bad in [
        "format=csv&kind=events&from=soon",
        "format=csv&kind=events&type=nonsense",
    ] {
        assert_eq!(s.get(&format!("/api/export?{bad}")).status, 400, "{bad}");
    }
}

/// A historian corrects a source's citation: the pages, the document list, the CSL-JSON of
/// the source and the audit show the correction with the machine's reading kept; a
/// retraction restores what the source states; wrong fields and values are 400.
#[test]
fn a_sources_citation_is_corrected_by_curation() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let doc = "003_e1f2f0e4f1247df1.txt";
    let auth = auth();
    let h = [("Authorization", auth.as_str())];
    let wait_for = |n: i64| {
        let t0 = Instant::now();
        while s.get("/api/status").json()["curation_version"].as_i64() < Some(n) {
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "the view never showed #{n}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let title = "Quan hệ Việt Nam – Liên Xô (1976–1991) (server_api test)";
    let mut ids = Vec::new();
    for (field, value) in [
        ("title", json!(title)),
        ("year", json!("2017")),
        ("authors", json!("Tác Giả Một; Tác Giả Hai")),
    ] {
        let r = s.post_json(
            "/api/curation",
            &h,
            &json!({"action": "edit", "target": {"document": doc}, "field": field, "value": value,
                    "reason": "the title page reads so (server_api test)", "who": "api-test"}),
        );
        assert!((200..300).contains(&r.status), "{field}: {}", r.describe());
        ids.push(r.json()["id"].as_i64().expect("audit id"));
    }
    wait_for(*ids.last().unwrap());
    let page = s.get(&format!("/documents/{}", enc(doc))).text();
    assert!(
        page.contains(&format!("<h1>{title}</h1>")),
        "the reader's title"
    );
    assert!(
        page.contains("meta-curated"),
        "the correction is not marked as one"
    );
    let csl = s
        .get(&format!("/api/export?format=csl-sources&doc={}", enc(doc)))
        .json();
    assert_eq!(csl[0]["title"], json!(title));
    assert_eq!(csl[0]["issued"]["date-parts"][0][0], json!(2017));
    assert_eq!(csl[0]["author"][1]["literal"], json!("Tác Giả Hai"));
    assert!(csl[0]["annals"]["corrected"]["title"]["by"] == json!("api-test"));
    assert!(
        s.get("/documents").text().contains(title),
        "the document list names it"
    );
    let audit = s.get("/audit").text();
    assert!(
        audit.contains("source <a class=\"target\""),
        "the audit names the source"
    );
    // Retracting the title's correction gives the source's own reading back.
    let r = s.post_json(
        "/api/curation",
        &h,
        &json!({"action": "retract", "target": {"audit": ids[0]}, "reason": "wrong page (server_api test)", "who": "api-test"}),
    );
    assert!((200..300).contains(&r.status), "retract: {}", r.describe());
    wait_for(r.json()["id"].as_i64().unwrap());
    let csl = s
        .get(&format!("/api/export?format=csl-sources&doc={}", enc(doc)))
        .json();
    assert_ne!(csl[0]["title"], json!(title));
    assert_eq!(
        csl[0]["issued"]["date-parts"][0][0],
        json!(2017),
        "the other corrections stay"
    );
    // A field a citation does not have breaks the decision's documented shape (400); a value
    // the field cannot take does not fit the target (409).
    for (field, value, status, what) in [
        ("colour", json!("red"), 400, "an unknown field"),
        ("year", json!("soon"), 409, "a year that is not one"),
    ] {
        let r = s.post_json(
            "/api/curation",
            &h,
            &json!({"action": "edit", "target": {"document": doc}, "field": field, "value": value, "reason": "x", "who": "api-test"}),
        );
        assert_json_error(&r, status, what);
    }
    let r = s.post_json(
        "/api/curation",
        &h,
        &json!({"action": "confirm", "target": {"document": doc}, "reason": "x", "who": "api-test"}),
    );
    assert_json_error(&r, 400, "confirm of a source");
    let r = s.post_json(
        "/api/curation",
        &h,
        &json!({"action": "edit", "target": {"document": "no-such.txt"}, "field": "title", "value": "x", "reason": "x", "who": "api-test"}),
    );
    assert_json_error(&r, 404, "a citation of a document that does not exist");
}

/// The answers the description declares are the ones given, on the cases that decide
/// between them (tests/schemathesis.rs generates the rest): a query without a word matches
/// nothing (200, with a note); vocabularies are exact; an unknown actor is not found; a page
/// number starts at 1; a decision that names nothing stored is 404, one that does not fit
/// its target 409; ids may be written `1.0`, as JSON Schema counts integers. Every operation
/// declares 421, and 400 where it takes a parameter or a body.
#[test]
fn answers_are_the_declared_ones() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let api = s.get("/openapi.json").json();
    for (path, ops) in api["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            let declared = |code: &str| op["responses"].get(code).is_some();
            assert!(declared("421"), "{method} {path} does not declare 421");
            let takes = op["parameters"].as_array().is_some_and(|p| !p.is_empty())
                || op.get("requestBody").is_some();
            assert_eq!(
                declared("400"),
                takes,
                "{method} {path}: 400 declared iff it takes input"
            );
        }
    }

    let r = s.get("/api/search?q=%22%22%22%28%28");
    assert_eq!(r.status, 200, "a query without a word: {}", r.describe());
    let v = r.json();
    assert_eq!(v["total"], 0, "{v}");
    assert!(
        v["note"].as_str().is_some_and(|n| n.contains("no word")),
        "{v}"
    );
    assert!(s.get("/api/search?q=lien+xo").json().get("note").is_none());
    for (path, status) in [
        ("/api/search?q=lien&kind=%20timex", 400),
        ("/api/search?q=lien&lang=VI", 400),
        ("/api/search?q=lien&lang=&kind=&from=%201975%20", 200),
        ("/api/search?q=%20%20", 400),
        ("/api/timeline?field=military", 400),
        (
            "/api/timeline?field=military_defence&type=&from=1978-02-29",
            400,
        ),
        (
            "/api/timeline?field=military_defence&type=&from=1976-02-29",
            200,
        ),
        ("/api/timeline?actor=no-such-actor-xyz", 404),
        (
            "/api/export?format=csv&kind=events&actor=no-such-actor-xyz",
            404,
        ),
        ("/api/export?format=jsonl&kind=nonsense", 400),
        ("/api/export?format=", 400),
        ("/api/documents/000_72782bffc1e52755.txt/pages/0", 400),
    ] {
        let r = s.get(path);
        if status == 200 {
            assert_eq!(r.status, 200, "{path}: {}", r.describe());
        } else {
            assert_json_error(&r, status, path);
        }
    }

    let auth = auth();
    let h = [("Authorization", auth.as_str())];
    let fact = some_fact(&s);
    let decide = |body: Value, headers: &[(&str, &str)]| {
        let mut all = h.to_vec();
        all.extend_from_slice(headers);
        s.post_json("/api/curation", &all, &body)
    };
    let who = |more: Value| {
        let mut d = json!({"reason": "server_api test", "who": "api-test"});
        d.as_object_mut()
            .unwrap()
            .extend(more.as_object().unwrap().clone());
        d
    };
    let r = decide(
        who(json!({"action": "confirm", "target": {"fact": fact as f64}})),
        &[],
    );
    assert_eq!(
        r.status,
        200,
        "a fact id written {}.0: {}",
        fact,
        r.describe()
    );
    let entry = r.json()["id"].as_i64().expect("audit id");
    for (body, status, what) in [
        (
            json!({"action": "confirm", "target": {"fact": -1}}),
            404,
            "a fact that does not exist",
        ),
        (
            json!({"action": "confirm", "target": {"fact": fact, "event": "x"}}),
            400,
            "a target naming two things",
        ),
        (
            json!({"action": "edit", "target": {"fact": fact}, "field": "colour", "value": "red"}),
            409,
            "a field the fact does not have",
        ),
        (
            json!({"action": "retract", "target": {"audit": 999_999}}),
            404,
            "an entry that does not exist",
        ),
        (
            json!({"action": "retract", "target": {"fact": fact}}),
            400,
            "a retraction of a fact",
        ),
        (
            json!({"action": "merge", "target": {"event": "ev-no-such"}, "with": ["ev-other"]}),
            404,
            "an event that does not exist",
        ),
    ] {
        assert_json_error(&decide(who(body), &[]), status, what);
    }
    let retract = who(json!({"action": "retract", "target": {"audit": entry}}));
    assert_eq!(decide(retract.clone(), &[]).status, 200);
    assert_json_error(&decide(retract, &[]), 409, "a second retraction");
    let r = decide(
        who(json!({"action": "confirm", "target": {"fact": fact}, "request_id": "one"})),
        &[("Idempotency-Key", "two")],
    );
    assert_json_error(&r, 409, "a header and a body naming two request ids");
}

/// No query string makes a server error: the API's search and the search page answer any
/// `q` with results (200) or a 400 that says why. The shapes that once gave 500 (quotes,
/// asterisks, opening brackets, combining marks alone), then strings drawn from a hostile
/// alphabet (operators, quotes, marks, controls, surrogate-free astral characters, words),
/// then arbitrary Unicode drawn by proptest.
#[test]
fn no_query_string_makes_a_server_error() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let mut queries: Vec<String> = vec![
        "\"\"\"\"\"\"\"\"".into(),
        "**********".into(),
        "((((((((((".into(),
        "\u{301}".repeat(10),
        "\"*\"".into(),
        "-".into(),
        "NOT".into(),
        "a\u{301}\u{301}\u{301}".into(),
        "\u{0}".into(),
        "\u{feff}".into(),
    ];
    let alphabet: Vec<char> = "\"*()-+:^~!?[]{}\\/|&,.;' \t\u{301}\u{303}\u{309}\u{200b}\u{feff}\u{1}\u{7f}ăđЖж😀𝔸aLiênXôСССР1978"
        .chars()
        .collect();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..200 {
        let mut q = String::new();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        for _ in 0..(1 + x % 24) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            q.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        queries.push(q);
    }
    // And arbitrary Unicode (every plane, controls, unpaired marks), drawn by proptest.
    {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let any = proptest::arbitrary::any::<String>();
        for _ in 0..150 {
            queries.push(any.new_tree(&mut runner).unwrap().current());
        }
    }
    for q in &queries {
        for path in [
            format!("/api/search?q={}", enc(q)),
            format!("/search?q={}", enc(q)),
        ] {
            let r = s.get(&path);
            assert!(
                r.status == 200 || r.status == 400,
                "{path} ({q:?}): {}",
                r.describe()
            );
            if r.status == 400 && path.starts_with("/api/") {
                let reason = assert_json_error(&r, 400, &path);
                assert!(!reason.is_empty(), "{path}: a 400 without a reason");
            }
        }
    }
    // A query with no word finds nothing, and the API and the page both say why.
    for q in &queries[..4] {
        let r = s.get(&format!("/api/search?q={}", enc(q)));
        assert_eq!(r.status, 200, "{q:?}: {}", r.describe());
        let v = r.json();
        assert_eq!(v["total"], 0, "{q:?}: {v}");
        assert!(
            v["note"].as_str().is_some_and(|n| n.contains("no word")),
            "{q:?}: no reason given: {v}"
        );
        let page = s.get(&format!("/search?q={}&ui=ru", enc(q)));
        assert!(
            page.text().contains("id=\"search-note\"") && page.text().contains("нет слова"),
            "{q:?}: the search page does not say why nothing was found"
        );
    }
}

/// The timeline page takes a field by a part of its name ("military"), the API only by its
/// exact name: the page's export links name the field it matched, so they answer.
#[test]
fn the_timeline_pages_export_links_answer_for_a_field_typed_in_part() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let page = s.get("/timeline?field=military");
    assert_eq!(page.status, 200, "{}", page.describe());
    let html = page.text();
    let links: Vec<String> = html
        .match_indices("href=\"/api/export?")
        .map(|(i, _)| {
            let from = i + "href=\"".len();
            let end = html[from..].find('"').unwrap() + from;
            html[from..end].replace("&amp;", "&")
        })
        .collect();
    assert_eq!(links.len(), 2, "export links: {links:?}");
    for l in &links {
        assert!(l.contains("field=military_"), "{l}");
        let r = s.get(l);
        assert_eq!(r.status, 200, "{l}: {}", r.describe());
    }
}

/// DNS rebinding: a request naming another host (a page's own domain resolved to this
/// machine) gets 421 with a reason, the API and the pages alike; the address listened on
/// and `localhost` are answered. No response carries CORS headers, whatever the Origin.
#[test]
fn other_hosts_are_refused_and_nothing_allows_cross_origin_reads() {
    let (_tmp, data) = corpus_data();
    let s = Server::start(&data, &[]);
    let port = s.addr.port();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        String::new(),
    ] {
        for path in ["/api/export?format=jsonl", "/api/status", "/"] {
            let r = harness::http(s.addr, "GET", path, &[("Host", host.as_str())], None)
                .expect("request");
            assert_eq!(r.status, 421, "Host {host:?} {path}: {}", r.describe());
            assert!(
                r.reason().contains("host"),
                "the 421 should say why: {}",
                r.describe()
            );
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        let r = harness::http(
            s.addr,
            "GET",
            "/api/status",
            &[("Host", host.as_str())],
            None,
        )
        .expect("request");
        assert_eq!(r.status, 200, "Host {host:?}: {}", r.describe());
    }
    for (method, path) in [
        ("GET", "/api/export?format=jsonl"),
        ("OPTIONS", "/api/curation"),
    ] {
        let r = harness::http(
            s.addr,
            method,
            path,
            &[
                ("Origin", "http://evil.example"),
                ("Access-Control-Request-Method", "POST"),
            ],
            None,
        )
        .expect("request");
        for h in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-allow-methods",
        ] {
            assert!(
                r.header(h).is_none(),
                "{method} {path} answers {h}: {}",
                r.describe()
            );
        }
    }
}
