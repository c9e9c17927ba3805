//! Curation on the reference corpus: decisions on facts and events through `annals curate`,
//! the audit log (`annals audit`), curated values in the export, the timeline and answers,
//! and decisions surviving (or flagged stale by) a re-ingest. Facts and events are chosen
//! by what they are (kind, unit, number of statements), never by their sentences.

mod common;

use annals::curation::{Action, NewDecision, TargetRef};
use annals::store::Store;
use annals::store::sqlite::SqliteStore;
use serde_json::{Value, json};
use std::path::Path;

const WHO: &str = "tester";

/// A temporary store holding the whole reference corpus.
fn corpus_store() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    common::ingest_json(data.path(), &[], &common::corpus_dir());
    data
}

/// `annals curate ARGS --who tester --format json`: the audit entry.
fn curate(data: &Path, args: &[&str]) -> Value {
    let mut a = vec!["curate"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--who", WHO, "--format", "json"]);
    let out = common::run_ok(data, &a);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// `annals curate ARGS` that must fail; returns stderr.
fn curate_err(data: &Path, args: &[&str]) -> String {
    let mut a = vec!["curate"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--who", WHO]);
    let o = common::run(data, &a);
    assert!(
        !o.status.success(),
        "{args:?} succeeded: {}",
        common::describe(&o)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn audit(data: &Path, stale: bool) -> Vec<Value> {
    let mut a = vec!["audit", "--format", "json"];
    if stale {
        a.push("--stale");
    }
    serde_json::from_str(&common::run_ok(data, &a)).unwrap()
}

fn timeline(data: &Path) -> Vec<Value> {
    serde_json::from_str(&common::run_ok(data, &["timeline", "--format", "json"])).unwrap()
}

/// `DOC@START-END:KIND` of a fact record.
fn span_ref(r: &Value) -> String {
    format!(
        "{}@{}-{}:{}",
        r["doc"].as_str().unwrap(),
        r["start"],
        r["end"],
        r["kind"].as_str().unwrap()
    )
}

/// The export record at the same span and kind as `r`.
fn same_fact<'a>(records: &'a [Value], r: &Value) -> &'a Value {
    records
        .iter()
        .find(|x| {
            x["kind"] == r["kind"]
                && x["doc"] == r["doc"]
                && x["start"] == r["start"]
                && x["end"] == r["end"]
        })
        .unwrap_or_else(|| panic!("no record at {}", span_ref(r)))
}

fn event<'a>(events: &'a [Value], id: &str) -> Option<&'a Value> {
    events.iter().find(|e| e["id"] == id)
}

/// `a` or `a/b`: how an interval is written in the audit log.
fn interval(r: &Value, start: &str, end: &str) -> String {
    let (a, b) = (r[start].as_str().unwrap(), r[end].as_str().unwrap());
    if a == b {
        a.to_string()
    } else {
        format!("{a}/{b}")
    }
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && s.ends_with('Z')
}

#[test]
fn facts_confirmed_rejected_edited_and_audited() {
    let data = corpus_store();
    let d = data.path();
    let records = common::export(d);
    let doc0 = |r: &&Value| r["doc"].as_str().is_some_and(|d| d.starts_with("000"));
    let timexes: Vec<&Value> = records
        .iter()
        .filter(doc0)
        .filter(|r| r["kind"] == "timex" && r["type"] == "date")
        .collect();
    let (confirmed, edited) = (timexes[0], timexes[1]);
    let rejected = records
        .iter()
        .filter(doc0)
        .find(|r| r["kind"] == "quantity" && r["unit"] == "RUB")
        .expect("a RUB quantity in 000");

    // A reason is required; nothing is recorded without one.
    let err = curate_err(d, &["confirm", &span_ref(confirmed), "--reason", "  "]);
    assert!(err.contains("reason is required"), "{err}");
    let err = curate_err(d, &["confirm", &span_ref(confirmed)]);
    assert!(err.contains("reason is required"), "{err}");
    // Precise errors for bad edits and targets.
    let err = curate_err(
        d,
        &[
            "edit",
            &span_ref(edited),
            "--field",
            "start",
            "--value",
            "3",
            "--reason",
            "r",
        ],
    );
    assert!(err.contains("cannot edit \"start\""), "{err}");
    let err = curate_err(
        d,
        &[
            "edit",
            &span_ref(edited),
            "--field",
            "date",
            "--value",
            "3 May",
            "--reason",
            "r",
        ],
    );
    assert!(err.contains("not an ISO date"), "{err}");
    let err = curate_err(d, &["reject", "000_nothing.txt@1-2", "--reason", "r"]);
    assert!(err.contains("no fact"), "{err}");
    assert!(audit(d, false).is_empty());

    let c = curate(
        d,
        &[
            "confirm",
            &span_ref(confirmed),
            "--reason",
            "checked the source",
        ],
    );
    assert_eq!(c["action"], "confirm");
    assert_eq!(c["state"], "applies");
    let r = curate(
        d,
        &["reject", &span_ref(rejected), "--reason", "a page number"],
    );
    let machine_date = interval(edited, "value_start", "value_end");
    let e = curate(
        d,
        &[
            "edit",
            &span_ref(edited),
            "--field",
            "date",
            "--value",
            "1901-02-03",
            "--reason",
            "misprint",
        ],
    );
    assert_eq!(e["old_value"], json!(machine_date.clone()));
    assert_eq!(e["new_value"], "1901-02-03");
    // An edit after an edit is a new entry; the latest wins, and its old value is the
    // previous curated one.
    let e2 = curate(
        d,
        &[
            "edit",
            &span_ref(edited),
            "--field",
            "date",
            "--value",
            "1901-02-04",
            "--reason",
            "second look",
        ],
    );
    assert_eq!(e2["old_value"], "1901-02-03");

    let log = audit(d, false);
    assert_eq!(log.len(), 4);
    for (entry, action) in log.iter().zip(["confirm", "reject", "edit", "edit"]) {
        assert_eq!(entry["action"], action);
        assert_eq!(entry["who"], WHO);
        assert!(is_rfc3339_utc(entry["at"].as_str().unwrap()), "{entry}");
        assert!(!entry["reason"].as_str().unwrap().is_empty());
        assert_eq!(entry["state"], "applies");
        assert_eq!(entry["target"]["target"], "fact");
    }
    assert!(
        log.windows(2)
            .all(|w| w[0]["id"].as_i64() < w[1]["id"].as_i64())
    );
    assert_eq!(log[1]["reason"], "a page number");
    assert_eq!(log[2]["target"]["text"], edited["text"]);

    // The export: curated values, the machine's kept, rejected facts kept and marked.
    let after = common::export(d);
    let x = same_fact(&after, confirmed);
    assert_eq!(x["curation"]["status"], "confirmed");
    assert_eq!(x["curation"]["by"], WHO);
    assert_eq!(x["curation"]["audit_id"], c["id"]);
    assert_eq!(x["value_start"], confirmed["value_start"]);
    let x = same_fact(&after, rejected);
    assert_eq!(x["curation"]["status"], "rejected");
    assert_eq!(x["curation"]["reason"], "a page number");
    assert_eq!(x["value"], rejected["value"]);
    let x = same_fact(&after, edited);
    assert_eq!(x["curation"]["status"], "edited");
    assert_eq!(
        (&x["value_start"], &x["value_end"]),
        (&json!("1901-02-04"), &json!("1901-02-04"))
    );
    assert_eq!(
        x["curation"]["machine"]["value_start"],
        edited["value_start"]
    );
    assert_eq!(x["curation"]["machine"]["value_end"], edited["value_end"]);
    assert_eq!(x["curation"]["audit_ids"], json!([e["id"], e2["id"]]));
    // Other records are untouched, and the spans still match the files.
    assert_eq!(after.len(), records.len());
    common::check_export_spans(&after, |doc| {
        std::fs::read(common::corpus_dir().join(doc)).ok()
    });
    assert_eq!(
        after.iter().filter(|r| r.get("curation").is_some()).count(),
        3
    );

    // Answers read the curated facts: the rejected quantity is gone, the edited date is used.
    {
        let store = SqliteStore::open(&d.join("annals.db")).unwrap();
        let snapshot = annals::snapshot::Snapshot::build(&store).unwrap();
        let k = &snapshot.asker.knowledge;
        let doc = rejected["doc"].as_str().unwrap();
        let in_doc = || {
            k.sents()
                .filter(move |&(_, d, _)| k.doc_id(d) == doc)
                .map(|(_, _, s)| s)
        };
        assert!(
            !in_doc()
                .flat_map(|s| &s.quantities)
                .any(|q| q.start == rejected["start"].as_u64().unwrap())
        );
        let t = in_doc()
            .flat_map(|s| &s.timexes)
            .find(|t| t.start == edited["start"].as_u64().unwrap())
            .expect("the edited timex");
        assert_eq!(t.value_start, "1901-02-04");
    }

    // Retracting is a new entry; the rejected fact is back to the machine's.
    let rid = r["id"].as_i64().unwrap().to_string();
    let back = curate(d, &["retract", &rid, "--reason", "wrong fact"]);
    assert_eq!(back["action"], "retract");
    let err = curate_err(d, &["retract", &rid, "--reason", "again"]);
    assert!(err.contains("already retracted"), "{err}");
    let log = audit(d, false);
    assert_eq!(log.len(), 5);
    assert_eq!(log[1]["state"], "retracted");
    assert!(
        same_fact(&common::export(d), rejected)
            .get("curation")
            .is_none()
    );
    common::check_ok(d);
}

#[test]
fn events_edited_rejected_merged_and_split() {
    let data = corpus_store();
    let d = data.path();
    let before = timeline(d);
    let exported_events = |d: &Path| -> Vec<Value> {
        common::export(d)
            .into_iter()
            .filter(|r| r["kind"] == "event")
            .collect()
    };
    let events_before = exported_events(d).len();
    let single: Vec<&Value> = before
        .iter()
        .filter(|e| e["evidence"].as_array().unwrap().len() == 1)
        .collect();
    let (dated, rejected, m1, m2) = (single[0], single[1], single[2], single[3]);
    let to_split = before
        .iter()
        .find(|e| {
            let ev = e["evidence"].as_array().unwrap();
            ev.len() >= 2 && ev[0]["fact"] != ev[1]["fact"]
        })
        .expect("an event with two statements");
    let id = |e: &Value| e["id"].as_str().unwrap().to_string();

    // Edit a date: the timeline shows the curated date, the export keeps the machine's.
    let entry = curate(
        d,
        &[
            "edit",
            &id(dated),
            "--field",
            "date",
            "--value",
            "1901-02-03",
            "--reason",
            "archive",
        ],
    );
    assert_eq!(entry["target"]["target"], "event");
    assert_eq!(
        entry["old_value"],
        json!(interval(dated, "date_start", "date_end"))
    );
    let tl = timeline(d);
    let e = event(&tl, &id(dated)).expect("the edited event stays");
    assert_eq!(
        (&e["date_start"], &e["date_end"]),
        (&json!("1901-02-03"), &json!("1901-02-03"))
    );
    let exported = common::export(d);
    let events: Vec<Value> = exported
        .iter()
        .filter(|r| r["kind"] == "event")
        .cloned()
        .collect();
    let x = event(&events, &id(dated)).unwrap();
    assert_eq!(x["date_start"], "1901-02-03");
    assert_eq!(x["curation"]["status"], "edited");
    assert_eq!(x["curation"]["machine"]["date_start"], dated["date_start"]);
    assert_eq!(x["curation"]["machine"]["date_end"], dated["date_end"]);

    // Reject: gone from the timeline, kept in the export.
    curate(d, &["reject", &id(rejected), "--reason", "not an event"]);
    // Merge two events into one, and split a statement out of another.
    let m = curate(
        d,
        &[
            "merge",
            &id(m1),
            "--with",
            &id(m2),
            "--reason",
            "same meeting",
        ],
    );
    assert_eq!(m["new_value"]["with"], json!([id(m2)]));
    let err = curate_err(d, &["merge", &id(m1), "--with", &id(m1), "--reason", "r"]);
    assert!(err.contains("with itself"), "{err}");
    let second = to_split["evidence"][1]["fact"].to_string();
    curate(
        d,
        &[
            "split",
            &id(to_split),
            "--statement",
            &second,
            "--reason",
            "two visits",
        ],
    );
    let err = curate_err(d, &["split", &id(m1), "--statement", "1", "--reason", "r"]);
    assert!(err.contains("not part of event"), "{err}");

    let tl = timeline(d);
    assert!(
        event(&tl, &id(rejected)).is_none(),
        "a rejected event is not in the timeline"
    );
    assert!(
        event(&tl, &id(m2)).is_none(),
        "a merged event is part of the other"
    );
    let merged = event(&tl, &id(m1)).expect("the merged event");
    let spans = |e: &Value| -> Vec<(Value, Value)> {
        e["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["doc"].clone(), s["start"].clone()))
            .collect()
    };
    let mut want = spans(m1);
    want.extend(spans(m2));
    want.sort_by_key(|(d, s)| (d.to_string(), s.as_u64()));
    assert_eq!(spans(merged), want);
    let rest = event(&tl, &id(to_split)).expect("the event split from");
    assert_eq!(
        rest["evidence"].as_array().unwrap().len(),
        to_split["evidence"].as_array().unwrap().len() - 1
    );
    assert_eq!(tl.len(), before.len() - 2 + 1);

    let exported = common::export(d);
    let events: Vec<Value> = exported
        .iter()
        .filter(|r| r["kind"] == "event")
        .cloned()
        .collect();
    // One merged away, one split out; the rejected one stays.
    assert_eq!(events.len(), events_before - 1 + 1);
    let x = event(&events, &id(rejected)).expect("a rejected event stays in the export");
    assert_eq!(x["curation"]["status"], "rejected");
    assert_eq!(x["curation"]["reason"], "not an event");
    let x = event(&events, &id(m1)).unwrap();
    assert_eq!(x["curation"]["merged_from"][0]["id"], json!(id(m2)));
    let split_out: Vec<&Value> = events
        .iter()
        .filter(|e| e["curation"]["split_from"] == json!(id(to_split)))
        .collect();
    assert_eq!(split_out.len(), 1);
    assert_eq!(split_out[0]["evidence"][0]["fact"].to_string(), second);
    assert!(event(&tl, split_out[0]["id"].as_str().unwrap()).is_some());
    // The answers' events are the curated ones.
    let store = SqliteStore::open(&d.join("annals.db")).unwrap();
    let snapshot = annals::snapshot::Snapshot::build(&store).unwrap();
    let (k, h) = (&snapshot.asker.knowledge, &snapshot.history);
    assert_eq!(h.rejected.len(), 1);
    assert_eq!(
        k.merged.iter().map(|e| &e.id).collect::<Vec<_>>(),
        h.events.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
    assert!(k.merged.iter().all(|e| e.id != id(rejected)));
    let log = audit(d, false);
    assert_eq!(log.len(), 4);
    assert!(log.iter().all(|e| e["state"] == "applies"), "{log:#?}");
    common::check_ok(d);
}

/// Byte offset of the only occurrence of `needle` in `hay`, if it occurs once.
fn unique(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut at = hay
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle);
    let first = at.next()?.0;
    at.next().is_none().then_some(first)
}

#[test]
fn reingest_keeps_what_still_applies_and_flags_what_does_not() {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let name = std::fs::read_dir(common::corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("000"))
        .unwrap();
    let file = src.path().join(&name);
    std::fs::copy(common::corpus_dir().join(&name), &file).unwrap();
    common::ingest_json(d, &["--threads", "1"], src.path());
    let bytes = std::fs::read(&file).unwrap();
    // Two quantities whose texts occur once in the file, the first before the second.
    let quantities: Vec<Value> = common::export(d)
        .into_iter()
        .filter(|r| r["kind"] == "quantity")
        .filter(|r| unique(&bytes, r["text"].as_str().unwrap().as_bytes()).is_some())
        .collect();
    let (changed, kept) = (&quantities[0], &quantities[1]);
    assert!(changed["end"].as_u64() <= kept["start"].as_u64());
    let rej = curate(d, &["reject", &span_ref(changed), "--reason", "garbled"]);
    let new_value = kept["value"].as_f64().unwrap() + 1.0;
    let ed = curate(
        d,
        &[
            "edit",
            &span_ref(kept),
            "--field",
            "value",
            "--value",
            &new_value.to_string(),
            "--reason",
            "sum of the table",
        ],
    );

    // Change the first quantity's text (one more digit: the second one moves by a byte).
    let at = changed["start"].as_u64().unwrap() as usize;
    let mut changed_bytes = bytes[..at].to_vec();
    changed_bytes.push(b'9');
    changed_bytes.extend_from_slice(&bytes[at..]);
    std::fs::write(&file, &changed_bytes).unwrap();
    let summary = common::ingest_json(d, &["--threads", "1"], src.path());
    assert_eq!(summary["replaced"], 1, "{summary}");

    let log = audit(d, false);
    assert_eq!(log.len(), 2, "the log survives the re-ingest");
    let state = |id: &Value| log.iter().find(|e| e["id"] == *id).unwrap()["state"].clone();
    assert_eq!(state(&rej["id"]), "stale");
    assert_eq!(state(&ed["id"]), "reanchored");
    let stale = audit(d, true);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["id"], rej["id"]);
    assert!(stale[0]["note"].as_str().unwrap().contains("gone"));
    let text = common::run_ok(d, &["audit", "--stale"]);
    assert!(text.contains("[stale: "), "{text}");

    let after = common::export(d);
    let moved = after
        .iter()
        .find(|r| {
            r["kind"] == "quantity"
                && r["text"] == kept["text"]
                && r["start"].as_u64() == Some(kept["start"].as_u64().unwrap() + 1)
        })
        .expect("the kept quantity, one byte later");
    assert_eq!(moved["value"].as_f64(), Some(new_value));
    assert_eq!(moved["curation"]["status"], "edited");
    assert_eq!(moved["curation"]["reanchored"], true);
    assert_eq!(moved["curation"]["machine"]["value"], kept["value"]);
    // The stale decision is applied nowhere.
    assert!(after.iter().all(|r| r["curation"]["status"] != "rejected"));
    // A stale decision is resolved by retracting it (a new entry).
    curate(
        d,
        &[
            "retract",
            &format!("#{}", rej["id"]),
            "--reason",
            "text fixed upstream",
        ],
    );
    assert!(audit(d, true).is_empty());
    let summary: Vec<Value> = audit(d, false)
        .iter()
        .map(|e| json!({"action": e["action"], "field": e["field"], "state": e["state"], "target": e["target"]["target"]}))
        .collect();
    insta::assert_json_snapshot!("reingest_audit", summary);
    common::check_ok(d);
}

#[test]
fn library_api_json_bodies_and_the_append_only_log() {
    // The HTTP API's body.
    let d: NewDecision = serde_json::from_value(json!({
        "action": "edit", "target": {"event": "ev-1978-treaty-00000000"}, "field": "date",
        "value": "1978-11-03", "reason": "r", "who": "w"
    }))
    .unwrap();
    assert_eq!(d.action, Action::Edit);
    assert_eq!(d.target, TargetRef::Event("ev-1978-treaty-00000000".into()));
    let t: TargetRef = serde_json::from_value(
        json!({"span": {"doc": "a.txt", "start": 1, "end": 4, "kind": "timex"}}),
    )
    .unwrap();
    assert_eq!(t, "a.txt@1-4:timex".parse().unwrap());
    assert_eq!("fact:12".parse::<TargetRef>().unwrap(), TargetRef::Fact(12));
    assert_eq!("#3".parse::<TargetRef>().unwrap(), TargetRef::Audit(3));
    assert!("nonsense".parse::<TargetRef>().is_err());

    // Errors are typed; the log is append-only and has its own table.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("annals.db");
    let mut store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        annals::store::sqlite::SCHEMA_VERSION
    );
    let no_reason = NewDecision {
        reason: " ".into(),
        ..d.clone()
    };
    assert!(matches!(
        annals::curation::decide(&mut store, no_reason),
        Err(annals::curation::CurationError::MissingReason)
    ));
    assert!(matches!(
        annals::curation::decide(&mut store, d),
        Err(annals::curation::CurationError::NoSuchEvent(_))
    ));
    let row_once = || annals::store::NewCurationRow {
        who: "w".into(),
        action: "confirm".into(),
        target: json!({"target": "fact", "doc": "a.txt", "kind": "timex", "start": 0, "end": 1, "text": "x", "value": {}}),
        field: None,
        old_value: Value::Null,
        new_value: json!("confirmed"),
        reason: "r".into(),
        request_id: Some("once".into()),
    };
    let row = store.append_curation(&row_once()).unwrap();
    // The same request id again: the row already there, not a second one.
    let again = store.append_curation(&row_once()).unwrap();
    assert_eq!(again.id, row.id);
    assert_eq!(store.curations().unwrap().len(), 1);
    drop(store);
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert!(conn.execute("DELETE FROM curation_log", []).is_err());
    assert!(
        conn.execute("UPDATE curation_log SET reason = 'x'", [])
            .is_err()
    );
    drop(conn);
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.curations().unwrap(), vec![row]);
    let log = annals::curation::audit_log(&store).unwrap();
    assert_eq!(log[0].state, annals::curation::DecisionState::Stale);
}
