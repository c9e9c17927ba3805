//! `annals series` on the reference corpus: series from running text and tables, exact
//! evidence, reconciled units, value conflicts.

mod common;

use serde_json::Value;
use std::sync::LazyLock;

/// One store holding the reference corpus, shared by the tests of this file.
static DATA: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let data = tempfile::tempdir().unwrap();
    common::ingest_json(data.path(), &[], &common::corpus_dir());
    data
});

fn series_json(args: &[&str]) -> Value {
    let mut a = vec!["series"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    let out = common::run_ok(DATA.path(), &a);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// Every series, in full (with conflicts), by key.
fn all() -> Vec<Value> {
    let list = series_json(&[]);
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let one = series_json(&[s["key"].as_str().unwrap()]);
            assert_eq!(one.as_array().unwrap().len(), 1, "a key selects one series");
            one[0].clone()
        })
        .collect()
}

fn point(s: &Value, start: i64, end: i64) -> &Value {
    s["series"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"]["start"] == start && p["period"]["end"] == end)
        .unwrap_or_else(|| panic!("no point {start}-{end} in {}", s["series"]["key"]))
}

fn source_text(doc: &str, start: usize, end: usize) -> String {
    let bytes = std::fs::read(common::corpus_dir().join(doc)).unwrap();
    common::nfc(&String::from_utf8_lossy(&bytes[start..end]))
}

#[test]
fn trade_turnover_has_1976_and_1980_from_the_english_article() {
    let s = &series_json(&["vn-ussr-trade-turnover-rub"])[0];
    assert_eq!(s["series"]["unit"], "RUB");
    let p76 = point(s, 1976, 1976);
    assert_eq!(p76["values"][0]["value"], 206.5e6);
    let p80 = point(s, 1980, 1980);
    assert_eq!(p80["values"][0]["value"], 593.8e6);
    for p in [p76, p80] {
        let src = &p["values"][0]["sources"][0];
        assert_eq!(src["origin"], "text");
        let sp = &src["span"];
        let (doc, a, b) = (
            sp["doc"].as_str().unwrap(),
            sp["start"].as_u64().unwrap() as usize,
            sp["end"].as_u64().unwrap() as usize,
        );
        assert!(doc.starts_with("000_"), "{doc}");
        assert_eq!(source_text(doc, a, b), sp["text"].as_str().unwrap());
    }
}

#[test]
fn every_point_is_exact_source_bytes_in_one_unit() {
    let all = all();
    assert!(all.len() >= 8, "{} series", all.len());
    for s in &all {
        let unit = s["series"]["unit"].as_str().unwrap();
        assert!(matches!(unit, "RUB" | "USD" | "person"), "{unit}");
        assert!(s["series"]["key"].as_str().unwrap().ends_with(&match unit {
            "person" => String::new(),
            u => format!("-{}", u.to_lowercase()),
        }));
        for p in s["series"]["points"].as_array().unwrap() {
            for v in p["values"].as_array().unwrap() {
                let value = v["value"].as_f64().unwrap();
                assert!(value > 0.0);
                for src in v["sources"].as_array().unwrap() {
                    let sp = &src["span"];
                    let text = source_text(
                        sp["doc"].as_str().unwrap(),
                        sp["start"].as_u64().unwrap() as usize,
                        sp["end"].as_u64().unwrap() as usize,
                    );
                    assert_eq!(text, sp["text"].as_str().unwrap(), "{}", s["series"]["key"]);
                    // The written number is in the span.
                    assert!(text.chars().any(|c| c.is_ascii_digit()), "{text:?}");
                }
            }
        }
    }
}

#[test]
fn text_and_table_agree_on_exports_to_the_ussr_and_the_total_stays_apart() {
    let ussr = &series_json(&["vn-ussr-exports-rub"])[0];
    let p = point(ussr, 1976, 1980);
    assert_eq!(p["values"].as_array().unwrap().len(), 1, "{p:#}");
    assert_eq!(p["values"][0]["value"], 700e6);
    let origins: Vec<&str> = p["values"][0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["origin"].as_str().unwrap())
        .collect();
    assert!(
        origins.contains(&"text") && origins.contains(&"table"),
        "{origins:?}"
    );
    // "Tổng số" beside "Trong đó với Liên Xô": Vietnam's total, another series.
    let total = &series_json(&["vn-total-exports-rub"])[0];
    assert_eq!(point(total, 1976, 1980)["values"][0]["value"], 1500e6);
    // Yearly points from appendix 11.
    assert_eq!(point(ussr, 1990, 1990)["values"][0]["value"], 1000e6);
}

#[test]
fn students_by_level_and_their_conflict_are_listed_with_every_side() {
    let s = &series_json(&["vn-ussr-students-postgraduate"])[0];
    let p = point(s, 1976, 1980);
    let values: Vec<f64> = p["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, vec![593.0, 680.0]);
    let c = s["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["topic"].as_str().unwrap().ends_with("1976–1980"))
        .expect("the 1976–1980 conflict");
    assert_eq!(c["kind"], "measure_value");
    assert_eq!(c["claims"].as_array().unwrap().len(), 2);
    for cl in c["claims"].as_array().unwrap() {
        assert!(!cl["evidence"].as_array().unwrap().is_empty());
    }
    // The yearly counts of university students come from appendix 8.
    let u = &series_json(&["vn-ussr-students-university"])[0];
    assert_eq!(point(u, 1978, 1978)["values"][0]["value"], 648.0);
}

#[test]
fn a_name_in_any_language_selects_series() {
    for name in [
        "trade",
        "kim ngạch xuất nhập khẩu",
        "товарооборот",
        "nghiên cứu sinh",
    ] {
        let found = series_json(&[name]);
        assert!(!found.as_array().unwrap().is_empty(), "{name}");
    }
    let o = common::run(DATA.path(), &["series", "no such measure"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("vn-ussr-trade-turnover-rub"));
    let text = common::run_ok(DATA.path(), &["series", "vn-ussr-imports-rub"]);
    assert!(
        text.contains("period") && text.contains("conflicts"),
        "{text}"
    );
}

/// The series of the reference corpus: keys, periods, values, origins and spans (no
/// sentences).
#[test]
fn series_snapshot() {
    let mut out = String::new();
    for s in all() {
        out += &format!("{}\n", s["series"]["key"].as_str().unwrap());
        for p in s["series"]["points"].as_array().unwrap() {
            let per = &p["period"];
            let period = match per["start"].as_i64() {
                Some(a) if a == per["end"].as_i64().unwrap() => a.to_string(),
                Some(a) => format!("{a}-{}", per["end"]),
                None => format!("..{}", per["end"]),
            };
            for v in p["values"].as_array().unwrap() {
                let srcs: Vec<String> = v["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| {
                        format!(
                            "{}:{}-{} {}",
                            &x["span"]["doc"].as_str().unwrap()[..3],
                            x["span"]["start"],
                            x["span"]["end"],
                            x["origin"].as_str().unwrap()
                        )
                    })
                    .collect();
                let mut extra = String::new();
                if v["approx"] == true {
                    extra += " ~";
                }
                if let Some(b) = v["basis"].as_str() {
                    extra += &format!(" [{b}]");
                }
                out += &format!("  {period} = {}{extra}: {}\n", v["value"], srcs.join(", "));
            }
        }
        for c in s["conflicts"].as_array().unwrap() {
            out += &format!("  conflict: {}\n", c["topic"].as_str().unwrap());
        }
    }
    insta::assert_snapshot!("series_reference_corpus", out);
}
