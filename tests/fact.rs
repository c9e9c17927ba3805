//! Facts are typed end to end: what an extractor emits is serialized once (the record) and
//! read back once (`FactBody::from_record`) into the same value, for every fact the
//! pipeline finds in the reference corpus and the unseen excerpts; a record that is no fact
//! of its kind is refused, naming why.

use annals::document::{Document, ReadOptions};
use annals::extract::{FactBody, Pipeline};
use annals::record::fact_record;
use serde_json::json;
use std::path::PathBuf;

fn sources() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut out = Vec::new();
    for dir in ["corpus", "eval/unseen/docs"] {
        let d = root.join(dir);
        assert!(d.is_dir(), "missing {}", d.display());
        for e in std::fs::read_dir(&d).unwrap() {
            out.push(e.unwrap().path());
        }
    }
    out.sort();
    out
}

#[test]
fn every_fact_reads_back_from_its_record_unchanged() {
    let pipeline = Pipeline::standard();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for path in sources() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let doc = Document::read(&name, bytes, ReadOptions::default()).unwrap();
        for f in pipeline.run(&doc) {
            let record = fact_record(&f);
            let back = FactBody::from_record(&record)
                .unwrap_or_else(|e| panic!("{name}: {} does not read back: {e}", f.kind()));
            assert_eq!(back, f.body, "{name}: {record}");
            // And the record written from what was read is the same record.
            let again = fact_record(&annals::extract::Fact {
                evidence: f.evidence.clone(),
                body: back,
            });
            assert_eq!(again, record);
            *kinds.entry(f.kind().to_string()).or_default() += 1;
        }
    }
    // Every kind the pipeline emits was seen (so the check covered each of them).
    for k in [
        "timex",
        "duration",
        "quantity",
        "mention",
        "event_statement",
        "table",
    ] {
        assert!(
            kinds.get(k).copied().unwrap_or(0) > 0,
            "no {k} in {kinds:?}"
        );
    }
}

#[test]
fn a_record_that_is_no_fact_of_its_kind_is_refused() {
    let ok = annals::fact::testing::record("timex", json!({"value_start": "1978-11-03"}));
    assert!(FactBody::from_record(&ok).is_ok());
    for (kind, bad, why) in [
        ("timex", json!({"value_start": "1978-13-03"}), "not a date"),
        ("timex", json!({"value_start": "3 November"}), "not a date"),
        ("quantity", json!({"value": "five"}), "invalid type"),
        ("mention", json!({"confidence": null}), "invalid type"),
        ("event_statement", json!({"roles": "all"}), "invalid type"),
    ] {
        let r = annals::fact::testing::record(kind, bad);
        let e = FactBody::from_record(&r).expect_err(kind).to_string();
        assert!(e.contains(why), "{kind}: {e}");
    }
    let e = FactBody::from_record(&json!({"value_start": "1978"})).unwrap_err();
    assert!(e.to_string().contains("kind"), "{e}");
}

#[test]
fn a_kind_it_does_not_know_keeps_its_fields() {
    let r = json!({"kind": "weather", "doc": "d", "start": 0, "end": 4, "text": "rain",
                   "mm": 12.5, "station": ["Hà Nội"]});
    let b = FactBody::from_record(&r).unwrap();
    assert_eq!(b.kind(), "weather");
    assert_eq!(b.fields()["mm"], 12.5);
    assert_eq!(serde_json::to_value(&b).unwrap()["station"][0], "Hà Nội");
    assert_eq!(b.value_text(), "");
}

#[test]
fn the_openapi_description_shows_each_kind_of_fact() {
    let api = serde_json::to_value(annals::server::openapi()).unwrap();
    let schemas = &api["components"]["schemas"];
    for (name, field) in [
        ("Timex", "value_start"),
        ("Quantity", "unit"),
        ("Mention", "entity_id"),
        ("EventStatement", "participants"),
        ("Table", "cells"),
    ] {
        assert!(
            schemas[name]["properties"][field].is_object(),
            "{name}.{field} is not described: {}",
            schemas[name]
        );
    }
    assert_eq!(
        schemas["FactBody"]["oneOf"].as_array().map(Vec::len),
        Some(5)
    );
    // A date is described as a string, not an object.
    assert!(
        schemas["Timex"]["properties"]["value_start"]["type"]
            .to_string()
            .contains("string")
    );
    let table = &api["paths"]["/api/tables/{id}"]["get"]["responses"]["200"];
    assert!(
        table.to_string().contains("#/components/schemas/Table"),
        "{table}"
    );
}
