//! `annals copy`: a whole archive moved between data locations through the binary. The
//! reference corpus, ingested and curated in a folder, copied to another folder, or to a
//! PostgreSQL database and back to a folder, reads the same everywhere (exports record for
//! record, `ingested_at` included, the audit log, documents, aliases, rejections, search
//! hits); a rerun copies nothing; refused copies write nothing.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `annals curate ARGS --who tester --format json`.
fn curate(data: &Path, args: &[&str]) -> Value {
    let mut a = vec!["curate"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--who", "tester", "--format", "json"]);
    let out = common::run_ok(data, &a);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
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

/// The export without curation (`annals export --machine`).
fn machine_export(data: &Path) -> Vec<Value> {
    common::json_lines(&common::run_ok(data, &["export", "--machine"]))
}

/// The audit log, ids and states included (a copy keeps the ids: a retraction names its
/// row by id).
fn audit(data: &Path) -> Vec<Value> {
    serde_json::from_str(&common::run_ok(data, &["audit", "--format", "json"])).unwrap()
}

/// The hits of a few queries, as (query, doc, start, end, tier) sorted: the same sentences
/// whatever the backend ranks them by.
fn hits(data: &Path) -> Vec<(String, String, u64, u64, String)> {
    let mut out = Vec::new();
    for q in ["Soviet Union", "Việt Nam", "1950", "Moscow"] {
        let found = common::search(data, q, 10_000);
        assert!(!found.is_empty(), "no hit for {q:?} in {}", data.display());
        for h in found {
            out.push((
                q.to_string(),
                h["doc"].as_str().unwrap().to_string(),
                h["start"].as_u64().unwrap(),
                h["end"].as_u64().unwrap(),
                h["tier"].to_string(),
            ));
        }
    }
    out.sort();
    out
}

/// Everything an archive shows of what it holds.
#[derive(Debug, PartialEq)]
struct Shown {
    machine: Vec<Value>,
    curated: Vec<Value>,
    audit: Vec<Value>,
    documents: BTreeMap<String, Value>,
    rejections: BTreeMap<String, Value>,
    hits: Vec<(String, String, u64, u64, String)>,
}

/// Fails, showing the first difference only (an archive's export is long), unless `a` and
/// `b` are equal.
fn assert_same<T: PartialEq + std::fmt::Debug>(a: &[T], b: &[T], what: &str) {
    if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
        panic!(
            "{what}: {} and {} items; the first difference, at {i}:\n{:#?}\n{:#?}",
            a.len(),
            b.len(),
            a.get(i),
            b.get(i)
        );
    }
}

/// Fails unless two archives show the same, naming the first difference.
fn assert_shown(a: &Shown, b: &Shown) {
    assert_same(&a.machine, &b.machine, "export --machine");
    assert_same(&a.curated, &b.curated, "export");
    assert_same(&a.audit, &b.audit, "audit log");
    let docs = |s: &Shown| {
        s.documents
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_same(&docs(a), &docs(b), "documents");
    let rejections = |s: &Shown| {
        s.rejections
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_same(&rejections(a), &rejections(b), "rejections");
    assert_same(&a.hits, &b.hits, "search hits");
    assert_eq!(a, b);
}

fn shown(data: &Path) -> Shown {
    common::check_ok(data);
    let (documents, rejections) = common::documents(data);
    Shown {
        machine: machine_export(data),
        curated: common::export(data),
        audit: audit(data),
        documents,
        rejections,
        hits: hits(data),
    }
}

/// A folder holding the reference corpus, a copy of one of its files under another name (an
/// alias), an empty file (a rejection), and five decisions (a confirmation, a rejection, two
/// edits of one fact, and the retraction of the rejection).
fn curated_corpus() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    common::ingest_json(d, &[], &common::corpus_dir());
    let extra = tempfile::tempdir().unwrap();
    let first = std::fs::read_dir(common::corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    std::fs::copy(&first, extra.path().join("copy-of-first.txt")).unwrap();
    std::fs::write(extra.path().join("empty.txt"), b"").unwrap();
    common::ingest_json(d, &[], extra.path());

    let records = machine_export(d);
    let timexes: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] == "timex" && r["type"] == "date")
        .collect();
    let quantity = records
        .iter()
        .find(|r| r["kind"] == "quantity")
        .expect("a quantity");
    curate(
        d,
        &[
            "confirm",
            &span_ref(timexes[0]),
            "--reason",
            "checked the source",
        ],
    );
    let rejected = curate(
        d,
        &["reject", &span_ref(quantity), "--reason", "a page number"],
    );
    for (value, reason) in [("1901-02-03", "misprint"), ("1901-02-04", "second look")] {
        curate(
            d,
            &[
                "edit",
                &span_ref(timexes[1]),
                "--field",
                "date",
                "--value",
                value,
                "--reason",
                reason,
            ],
        );
    }
    let id = rejected["id"].to_string();
    curate(
        d,
        &["retract", &id, "--reason", "it was a figure after all"],
    );
    data
}

/// `annals copy --from FROM --to TO --quiet ARGS`.
fn copy(from: &Path, to: &Path, args: &[&str]) -> std::process::Output {
    common::bin()
        .args(["copy", "--quiet", "--from"])
        .arg(from)
        .arg("--to")
        .arg(to)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("start annals")
}

/// A copy that must succeed and verify: its JSON summary.
fn copy_ok(from: &Path, to: &Path) -> Value {
    let o = copy(from, to, &["--output", "json"]);
    assert!(o.status.success(), "copy failed: {}", common::describe(&o));
    let s: Value = serde_json::from_slice(&o.stdout).expect("a JSON summary");
    assert_eq!(s["verified"], true, "{s:#}");
    assert_eq!(s["source"], s["destination"], "{s:#}");
    s
}

/// A copy that must be refused: its stderr.
fn copy_refused(from: &Path, to: &Path) -> String {
    let o = copy(from, to, &[]);
    assert!(
        !o.status.success(),
        "copy succeeded: {}",
        common::describe(&o)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The counts of a summary as numbers, checked against what the archive shows.
fn assert_counts(s: &Value, want: &Shown) {
    let c = &s["source"];
    assert_eq!(c["documents"].as_u64(), Some(want.documents.len() as u64));
    assert_eq!(c["rejections"].as_u64(), Some(want.rejections.len() as u64));
    assert_eq!(c["curation_rows"].as_u64(), Some(want.audit.len() as u64));
    let aliases: usize = want
        .documents
        .values()
        .map(|d| d["aliases"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(c["aliases"].as_u64(), Some(aliases as u64));
    let sentences = want
        .machine
        .iter()
        .filter(|r| r["kind"] == "sentence")
        .count();
    assert_eq!(c["sentences"].as_u64(), Some(sentences as u64));
    let facts: u64 = c["facts"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert!(facts > 0);
}

/// The state of the archive at `data` as it matters to a refused copy.
fn state(data: &Path) -> (Vec<Value>, Vec<Value>, BTreeMap<String, Value>) {
    let (docs, rejections) = common::documents(data);
    let mut all = docs;
    all.extend(rejections);
    (machine_export(data), audit(data), all)
}

#[test]
fn a_folder_copies_to_a_folder_as_stored_and_a_rerun_copies_nothing() {
    let src = curated_corpus();
    let before = shown(src.path());
    assert_eq!(before.audit.len(), 5);
    assert_eq!(before.audit[1]["state"], "retracted", "{:#?}", before.audit);
    assert_eq!(before.rejections.len(), 1);
    assert!(
        before
            .documents
            .values()
            .any(|d| d["aliases"].as_array().is_some_and(|a| !a.is_empty())),
        "an alias"
    );
    let out = tempfile::tempdir().unwrap();
    let dst = out.path().join("copy");

    let s = copy_ok(src.path(), &dst);
    let n = before.documents.len() as u64;
    assert_eq!(s["documents_copied"].as_u64(), Some(n));
    assert_eq!(s["documents_skipped"].as_u64(), Some(0));
    assert_eq!(s["curation_appended"].as_u64(), Some(5));
    assert_eq!(s["rejections_copied"].as_u64(), Some(1));
    assert_eq!(s["indexed"].as_u64(), Some(n));
    assert_counts(&s, &before);
    assert_shown(&shown(&dst), &before);
    assert_shown(&shown(src.path()), &before);

    // Again: nothing new, text summary with the counts side by side.
    let o = copy(src.path(), &dst, &[]);
    assert!(o.status.success(), "{}", common::describe(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("0 copied"), "{text}");
    assert!(
        text.contains("destination") && text.contains("verified"),
        "{text}"
    );
    assert!(text.contains("curation rows"), "{text}");
    let again = copy_ok(src.path(), &dst);
    assert_eq!(again["documents_copied"].as_u64(), Some(0));
    assert_eq!(again["documents_skipped"].as_u64(), Some(n));
    assert_eq!(again["curation_appended"].as_u64(), Some(0));
    assert_eq!(again["curation_skipped"].as_u64(), Some(5));
    assert_eq!(again["rejections_copied"].as_u64(), Some(0));
    assert_eq!(again["indexed"].as_u64(), Some(0));
    assert_shown(&shown(&dst), &before);

    // A decision made in the source after the copy: a rerun carries it, and only it.
    let records = machine_export(src.path());
    let fact = records
        .iter()
        .filter(|r| r["kind"] == "timex")
        .nth(2)
        .unwrap();
    curate(
        src.path(),
        &["confirm", &span_ref(fact), "--reason", "later"],
    );
    let more = copy_ok(src.path(), &dst);
    assert_eq!(more["curation_appended"].as_u64(), Some(1));
    assert_eq!(more["documents_copied"].as_u64(), Some(0));
    assert_eq!(audit(&dst), audit(src.path()));
}

#[test]
fn refused_copies_write_nothing() {
    let src = curated_corpus();
    let first = common::documents(src.path()).0.into_keys().next().unwrap();

    // A destination holding a document of the same id with other content.
    let dst = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join(&first),
        "In 1991 Kyiv and Minsk left the union. Nothing else happened.\n",
    )
    .unwrap();
    std::fs::write(
        other.path().join("zz-own.txt"),
        "The treaty of 1978 was signed in Moscow.\n",
    )
    .unwrap();
    common::ingest_json(dst.path(), &[], other.path());
    let before = state(dst.path());
    let err = copy_refused(src.path(), dst.path());
    assert!(err.contains("refusing"), "{err}");
    assert!(err.contains(&first), "names the document: {err}");
    assert!(
        err.contains(&src.path().display().to_string())
            && err.contains(&dst.path().display().to_string()),
        "names both locations: {err}"
    );
    assert_eq!(state(dst.path()), before);
    common::check_ok(dst.path());

    // The source itself, by another path.
    let src_state = state(src.path());
    let err = copy_refused(src.path(), &src.path().join("."));
    assert!(err.contains("same archive"), "{err}");
    assert_eq!(state(src.path()), src_state);

    // A folder that holds no archive: refused, and no destination made.
    let nothing = tempfile::tempdir().unwrap();
    let target: PathBuf = nothing.path().join("target");
    let err = copy_refused(nothing.path(), &target);
    assert!(err.contains("no archive"), "{err}");
    assert!(!target.exists());
}

#[test]
fn a_folder_goes_to_postgresql_and_back() {
    let Some(url) = annals::pg::fresh_test_db() else {
        println!("skipped: no ANNALS_TEST_POSTGRES");
        return;
    };
    let db = PathBuf::from(&url);
    let src = curated_corpus();
    let before = shown(src.path());

    let there = copy_ok(src.path(), &db);
    assert_eq!(
        there["documents_copied"].as_u64(),
        Some(before.documents.len() as u64)
    );
    assert_counts(&there, &before);
    assert_shown(&shown(&db), &before);

    let out = tempfile::tempdir().unwrap();
    let back = out.path().join("back");
    let home = copy_ok(&db, &back);
    assert_counts(&home, &before);
    assert_shown(&shown(&back), &before);

    // Reruns copy nothing, both ways.
    for (from, to) in [(src.path(), db.as_path()), (db.as_path(), back.as_path())] {
        let s = copy_ok(from, to);
        assert_eq!(s["documents_copied"].as_u64(), Some(0), "{s:#}");
        assert_eq!(s["curation_appended"].as_u64(), Some(0), "{s:#}");
        assert_eq!(s["rejections_copied"].as_u64(), Some(0), "{s:#}");
    }
    assert_same(&audit(&db), &before.audit, "audit log");

    // The database itself is the same archive; a conflicting folder is refused, the
    // database left as it was.
    let err = copy_refused(&db, &db);
    assert!(err.contains("same archive"), "{err}");
    let first = before.documents.keys().next().unwrap().clone();
    let other = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    std::fs::write(
        files.path().join(&first),
        "Another text of 1962 about Hanoi.\n",
    )
    .unwrap();
    common::ingest_json(other.path(), &[], files.path());
    let held = state(&db);
    let err = copy_refused(other.path(), &db);
    assert!(err.contains("refusing") && err.contains(&first), "{err}");
    assert!(err.contains("postgresql://"), "names the database: {err}");
    assert_eq!(state(&db), held);
}
