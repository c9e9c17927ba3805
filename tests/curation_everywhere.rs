//! One curation decision shows in every output that carries the fact (issue 15): the JSONL
//! export, the CSV facts table, the Web Annotations, the series, the API, the reader page and,
//! for an event, TimelineJS, the timeline API and the event page. The machine's value stays
//! beside the curated one, and `--machine` / `machine=true` still shows the machine's view.
//! The fact and the event are chosen by what they are (a quantity in a series, read from a
//! sentence; the first event of the timeline), never by their text.

mod common;
#[path = "browser/harness.rs"]
mod harness;

use serde_json::Value;
use std::path::Path;

/// A quantity read from running text that stands in a series: (series key, fact id,
/// doc, start, end, value).
fn series_quantity(data: &Path) -> (String, i64, String, u64, u64, f64) {
    let list: Vec<Value> =
        serde_json::from_str(&common::run_ok(data, &["series", "--format", "json"])).unwrap();
    for s in &list {
        let key = s["key"].as_str().unwrap().to_string();
        let one: Vec<Value> =
            serde_json::from_str(&common::run_ok(data, &["series", &key, "--format", "json"]))
                .unwrap();
        for p in one[0]["series"]["points"].as_array().unwrap() {
            for v in p["values"].as_array().unwrap() {
                for src in v["sources"].as_array().unwrap() {
                    if src["origin"] != "table" {
                        return (
                            key,
                            src["fact"].as_i64().unwrap(),
                            src["span"]["doc"].as_str().unwrap().to_string(),
                            src["span"]["start"].as_u64().unwrap(),
                            src["span"]["end"].as_u64().unwrap(),
                            v["value"].as_f64().unwrap(),
                        );
                    }
                }
            }
        }
    }
    panic!("no series point read from running text in the reference corpus");
}

/// The values a series gives for fact `fact`.
fn series_values(data: &Path, key: &str, fact: i64) -> Vec<f64> {
    let one: Vec<Value> =
        serde_json::from_str(&common::run_ok(data, &["series", key, "--format", "json"])).unwrap();
    let mut out = Vec::new();
    for p in one[0]["series"]["points"].as_array().unwrap() {
        for v in p["values"].as_array().unwrap() {
            if v["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["fact"] == fact)
            {
                out.push(v["value"].as_f64().unwrap());
            }
        }
    }
    out
}

fn export(data: &Path, args: &[&str]) -> String {
    let mut a = vec!["export"];
    a.extend_from_slice(args);
    common::run_ok(data, &a)
}

/// The JSONL record of the quantity at doc/start/end.
fn jsonl_quantity(text: &str, doc: &str, start: u64, end: u64) -> Value {
    common::json_lines(text)
        .into_iter()
        .find(|r| {
            r["kind"] == "quantity" && r["doc"] == doc && r["start"] == start && r["end"] == end
        })
        .unwrap_or_else(|| panic!("no quantity at {doc}@{start}-{end} in the export"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn one_edit_shows_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path();
    common::ingest_json(data, &[], &common::corpus_dir());
    let (key, fact, doc, start, end, machine) = series_quantity(data);
    let curated = machine * 2.0 + 1_000.0;
    let value = format!("{curated}");
    let fact_arg = fact.to_string();
    let why = "Checked against the source's table (curation everywhere test).";
    common::run_ok(
        data,
        &[
            "curate", "edit", &fact_arg, "--field", "value", "--value", &value, "--reason", why,
            "--who", "tester",
        ],
    );

    // JSONL: the curated value, the machine's beside it; --machine: the machine's.
    let r = jsonl_quantity(&export(data, &["--format", "jsonl"]), &doc, start, end);
    assert!(close(r["value"].as_f64().unwrap(), curated), "JSONL: {r}");
    assert!(
        close(r["curation"]["machine"]["value"].as_f64().unwrap(), machine),
        "JSONL keeps the machine's value: {r}"
    );
    let m = jsonl_quantity(
        &export(data, &["--format", "jsonl", "--machine"]),
        &doc,
        start,
        end,
    );
    assert!(
        close(m["value"].as_f64().unwrap(), machine),
        "--machine: {m}"
    );

    // CSV facts: the value column and the curation column.
    let csv = export(data, &["--format", "csv", "--kind", "facts"]);
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let col = |n: &str| {
        head.iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("no {n} column in {head:?}"))
    };
    let (c_doc, c_kind, c_start, c_value, c_cur) = (
        col("doc"),
        col("kind"),
        col("start"),
        col("value"),
        col("curation"),
    );
    let row = rd
        .records()
        .map(Result::unwrap)
        .find(|row| {
            row[c_doc] == doc && row[c_kind] == *"quantity" && row[c_start] == start.to_string()
        })
        .expect("the fact's CSV row");
    assert!(
        close(row[c_value].parse::<f64>().unwrap(), curated),
        "CSV value: {row:?}"
    );
    assert!(
        row[c_cur].contains("edit") || row[c_cur].contains("edited"),
        "CSV curation: {row:?}"
    );

    // Web Annotations: the annotation of the fact carries the curated value.
    let annos = common::json_lines(&export(data, &["--format", "annotations"]));
    let a = annos
        .iter()
        .find(|a| {
            let f = &a["annals:fact"];
            f["kind"] == "quantity" && f["start"] == start && f["end"] == end && f["doc"] == doc
        })
        .or_else(|| {
            annos.iter().find(|a| {
                let f = &a["annals:fact"];
                f["kind"] == "quantity"
                    && a.to_string().contains(&doc)
                    && f["value"].as_f64().is_some_and(|v| close(v, curated))
            })
        })
        .unwrap_or_else(|| panic!("no annotation of the fact with the curated value"));
    assert!(
        close(a["annals:fact"]["value"].as_f64().unwrap(), curated),
        "annotation: {a}"
    );

    // The series.
    let vals = series_values(data, &key, fact);
    assert!(!vals.is_empty(), "the fact left series {key}");
    assert!(
        vals.iter().all(|v| close(*v, curated)),
        "series {key}: {vals:?}"
    );

    // An event: its date edited.
    let events: Vec<Value> =
        serde_json::from_str(&common::run_ok(data, &["timeline", "--format", "json"])).unwrap();
    let ev = events[0]["id"].as_str().expect("an event id").to_string();
    let machine_start = events[0]["date_start"].clone();
    common::run_ok(
        data,
        &[
            "curate",
            "edit",
            &ev,
            "--field",
            "date",
            "--value",
            "1901-02-03",
            "--reason",
            why,
            "--who",
            "tester",
        ],
    );
    let tl: Value = serde_json::from_str(&export(data, &["--format", "timelinejs"])).unwrap();
    assert!(
        tl["events"].as_array().unwrap().iter().any(|e| {
            e["start_date"]["year"].to_string().trim_matches('"') == "1901"
                && e["start_date"]["month"].to_string().trim_matches('"') == "2"
                && e["start_date"]["day"].to_string().trim_matches('"') == "3"
        }),
        "TimelineJS has no event on 1901-02-03"
    );
    let events: Vec<Value> =
        serde_json::from_str(&common::run_ok(data, &["timeline", "--format", "json"])).unwrap();
    let e = events
        .iter()
        .find(|e| e["id"] == ev.as_str())
        .expect("the event in the timeline");
    assert_eq!(e["date_start"], "1901-02-03", "timeline: {e}");

    // The server: the API and the pages.
    let server = harness::Server::start(data, &[]);
    let d = server
        .get(&format!("/api/documents/{}", harness::enc(&doc)))
        .json();
    let f = d["facts"]
        .as_array()
        .expect("facts")
        .iter()
        .find(|f| f["fact_id"] == fact)
        .unwrap_or_else(|| panic!("fact {fact} not in the documents API"));
    assert!(
        close(f["value"].as_f64().unwrap(), curated),
        "documents API: {f}"
    );
    let s = server.get(&format!("/api/series/{key}")).json();
    assert!(
        s.to_string().contains(&format!("{}", curated as i64)) || s.to_string().contains(&value),
        "series API: {}",
        harness::short(&s.to_string(), 2000)
    );
    let t = server.get("/api/timeline?limit=500").json();
    let item = t["items"]
        .as_array()
        .expect("timeline items")
        .iter()
        .find(|e| e["id"] == ev.as_str())
        .unwrap_or_else(|| panic!("event {ev} not in the timeline API"));
    assert_eq!(item["date_start"], "1901-02-03", "timeline API: {item}");
    assert_eq!(
        item["curation"]["machine"]["date_start"], machine_start,
        "timeline API keeps the machine's date: {item}"
    );
    let page = server
        .get(&format!("/documents/{}", harness::enc(&doc)))
        .text();
    let at = page
        .find(&format!("data-fact=\"{fact}\""))
        .unwrap_or_else(|| panic!("fact {fact} not in the reader page"));
    let tag = &page[page[..at].rfind('<').unwrap()..at + page[at..].find('>').unwrap()];
    assert!(tag.contains("is-curated"), "reader: {tag}");
    let ev_page = server.get(&format!("/events/{}", harness::enc(&ev))).text();
    assert!(
        ev_page.contains("1901"),
        "the event page does not show the curated date"
    );
    let m = server.get("/api/export?format=jsonl&machine=true").text();
    let r = jsonl_quantity(&m, &doc, start, end);
    assert!(
        close(r["value"].as_f64().unwrap(), machine),
        "API machine=true: {r}"
    );
}
