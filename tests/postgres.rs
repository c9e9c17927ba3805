//! The archive on PostgreSQL (`--data postgresql://…`): the reference corpus ingested
//! there gives exactly what the embedded store gives. Runs against the server named by
//! `ANNALS_TEST_POSTGRES` (CI starts a throwaway cluster with `scripts/pg-test-cluster`);
//! skipped without one unless `ANNALS_POSTGRES_TESTS=required`.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The export's records without what differs by when they were made (`ingested_at`).
fn export_without_times(data: &Path) -> Vec<Value> {
    common::export(data)
        .into_iter()
        .map(|mut r| {
            if let Some(o) = r.as_object_mut() {
                o.remove("ingested_at");
            }
            r
        })
        .collect()
}

fn kinds(records: &[Value]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in records {
        *out.entry(r["kind"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
    }
    out
}

fn hits(data: &Path, q: &str) -> Vec<(String, u64, u64)> {
    common::search(data, q, 100_000)
        .iter()
        .map(|h| {
            (
                h["doc"].as_str().unwrap_or("").to_string(),
                h["start"].as_u64().unwrap_or(0),
                h["end"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn the_corpus_in_postgresql_gives_what_the_embedded_store_gives() {
    let Some(url) = annals::pg::fresh_test_db() else {
        eprintln!("skipped: no ANNALS_TEST_POSTGRES");
        return;
    };
    let pg = Path::new(&url);
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path();
    let corpus = common::corpus_dir();
    let on_pg = common::ingest_json(pg, &[], &corpus);
    common::ingest_json(folder, &[], &corpus);
    assert!(
        on_pg["files"].as_array().is_some_and(|f| !f.is_empty()),
        "the PostgreSQL ingest read nothing: {on_pg}"
    );

    // The same facts, record for record, in the same order.
    let (a, b) = (export_without_times(pg), export_without_times(folder));
    assert_eq!(kinds(&a), kinds(&b), "facts per kind");
    assert!(
        kinds(&a).get("event_statement").copied().unwrap_or(0) > 100,
        "{:?}",
        kinds(&a)
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "the exports differ");
    }
    common::check_ok(pg);

    // Search and answers from PostgreSQL: every hit (ranks differ: tantivy's BM25 against
    // PostgreSQL's ts_rank_cd, so a page cut through a tier could differ).
    for q in ["lien xo", "\"Hiệp ước hữu nghị\"", "Brezhnev", "договор*"] {
        let (on_pg, embedded) = (hits(pg, q), hits(folder, q));
        assert!(!on_pg.is_empty(), "no hit for {q:?} on PostgreSQL");
        let (mut s1, mut s2) = (on_pg.clone(), embedded.clone());
        s1.sort();
        s2.sort();
        assert_eq!(s1, s2, "hits for {q:?}");
    }
    let ask = |data: &Path| -> Value {
        serde_json::from_str(&common::run_ok(
            data,
            &["ask", "--format", "json", "When did Vietnam join the CMEA?"],
        ))
        .unwrap()
    };
    let (x, y) = (ask(pg), ask(folder));
    assert_eq!(x["value"], y["value"], "answers: {x} / {y}");
    assert!(!x["value"].is_null(), "no answer from PostgreSQL: {x}");

    // A second ingest of the same files stores nothing twice.
    let again = common::ingest_json(pg, &[], &corpus);
    let (docs, _) = common::documents(pg);
    let (docs_folder, _) = common::documents(folder);
    assert_eq!(docs.len(), docs_folder.len(), "after a rerun: {again}");
    common::check_ok(pg);
}

/// A database that cannot be reached is a clear error naming the location, without its
/// password; nothing is created or written.
#[test]
fn an_unreachable_database_is_a_clear_error_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "postgresql://historian:s3cret-pw@/annals?host={}",
        dir.path().join("no-server").display()
    );
    let o = common::run(Path::new(&url), &["check"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "check succeeded: {}",
        common::describe(&o)
    );
    assert!(
        err.contains("postgresql://historian:***@/annals") && err.contains("cannot connect"),
        "the error does not say where and why: {err}"
    );
    assert!(!err.contains("s3cret-pw"), "the password shows: {err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
