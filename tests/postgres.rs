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
    // One thread each: documents are stored as their analyses finish, and fact ids follow
    // that order, so two parallel ingests may number the same facts differently.
    let on_pg = common::ingest_json(pg, &["--threads", "1"], &corpus);
    common::ingest_json(folder, &["--threads", "1"], &corpus);
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

/// `annals --data DATA ingest --quiet --output json --worker NAME PATHS...`, started.
fn worker(data: &Path, name: &str, paths: &[&Path]) -> std::process::Child {
    let mut c = common::bin();
    c.arg("--data")
        .arg(data)
        .args(["ingest", "--quiet", "--output", "json", "--threads", "1"])
        .args(["--worker", name])
        .args(paths)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    c.spawn().expect("start annals")
}

fn summary(child: std::process::Child) -> Value {
    let o = child.wait_with_output().expect("wait for annals");
    assert!(
        o.status.success(),
        "a worker failed: {}",
        common::describe(&o)
    );
    serde_json::from_slice(&o.stdout).expect("the summary is JSON")
}

fn count(s: &Value, key: &str) -> u64 {
    s[key].as_u64().unwrap_or_else(|| panic!("no {key} in {s}"))
}

/// The acceptance bar of shared ingest: two workers started together on the corpus and 20
/// generated files, one killed after 2 s, then a rerun. Every document is stored once, the
/// check is clean, the facts per kind are the embedded store's, and search and ask answer
/// from PostgreSQL. The surviving worker waits for the killed one's files, takes them over
/// and accounts for every file of the batch.
#[test]
fn two_workers_one_killed_then_a_rerun_store_every_document_once() {
    let Some(url) = annals::pg::fresh_test_db() else {
        eprintln!("skipped: no ANNALS_TEST_POSTGRES");
        return;
    };
    let pg = Path::new(&url);
    let tmp = tempfile::tempdir().unwrap();
    let generated = tmp.path().join("generated");
    std::fs::create_dir(&generated).unwrap();
    let mut rng = common::Rng::new(19);
    for i in 0..20 {
        let text = common::prose(&mut rng, 20_000 + 3_000 * i, &format!("worker-test-{i}"));
        std::fs::write(generated.join(format!("chronicle-{i:02}.txt")), text).unwrap();
    }
    // Two names, one content: stored once, the other name its alias, whoever reads which.
    std::fs::copy(
        generated.join("chronicle-03.txt"),
        generated.join("chronicle-03-copy.txt"),
    )
    .unwrap();
    let corpus = common::corpus_dir();
    let paths = [corpus.as_path(), generated.as_path()];
    let files = 21 + std::fs::read_dir(&corpus).unwrap().count() as u64;

    let killed = worker(pg, "killed", &paths);
    let survivor = worker(pg, "survivor", &paths);
    std::thread::sleep(std::time::Duration::from_secs(2));
    let mut killed = killed;
    killed.kill().expect("kill -9 the first worker");
    let _ = killed.wait();
    let s = summary(survivor);
    assert_eq!(s["worker"]["name"], "survivor", "{s}");
    let accounted = [
        "added",
        "replaced",
        "unchanged",
        "duplicates",
        "rejected",
        "other_workers",
    ]
    .iter()
    .map(|k| count(&s, k))
    .sum::<u64>();
    assert_eq!(
        accounted, files,
        "the survivor accounts for every file: {s}"
    );
    assert!(count(&s, "duplicates") >= 1, "the copy is an alias: {s}");

    // The rerun finds everything stored.
    let again = summary(worker(pg, "rerun", &paths));
    assert_eq!(
        count(&again, "added") + count(&again, "replaced"),
        0,
        "{again}"
    );

    // Once each, consistent, the same facts as the embedded store.
    let folder = tmp.path().join("embedded");
    let o = common::run(
        &folder,
        &[
            "ingest",
            "--quiet",
            corpus.to_str().unwrap(),
            generated.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", common::describe(&o));
    let (docs, rejected) = common::documents(pg);
    let (docs_folder, rejected_folder) = common::documents(&folder);
    assert_eq!(
        docs.keys().collect::<Vec<_>>(),
        docs_folder.keys().collect::<Vec<_>>(),
        "documents"
    );
    for (id, d) in &docs {
        assert_eq!(d["aliases"], docs_folder[id]["aliases"], "aliases of {id}");
    }
    assert_eq!(
        rejected.keys().collect::<Vec<_>>(),
        rejected_folder.keys().collect::<Vec<_>>()
    );
    common::check_ok(pg);
    let (a, b) = (export_without_times(pg), export_without_times(&folder));
    assert_eq!(kinds(&a), kinds(&b), "facts per kind");
    assert_eq!(a.len(), b.len());
    for q in ["Brezhnev", "worker-test-7"] {
        let (mut x, mut y) = (hits(pg, q), hits(&folder, q));
        assert!(!x.is_empty(), "no hit for {q:?} on PostgreSQL");
        x.sort();
        y.sort();
        assert_eq!(x, y, "hits for {q:?}");
    }
    let answer = common::run_ok(
        pg,
        &["ask", "--format", "json", "When did Vietnam join the CMEA?"],
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert!(
        !answer["value"].is_null(),
        "no answer from PostgreSQL: {answer}"
    );
}

#[path = "browser/harness.rs"]
mod harness;

/// Waits up to 30 s for `ok`; false if it never held.
fn within_30s(mut ok: impl FnMut() -> bool) -> bool {
    let t0 = std::time::Instant::now();
    while t0.elapsed() < std::time::Duration::from_secs(30) {
        if ok() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Servers on one PostgreSQL database hear of each other's changes as they commit
/// (LISTEN/NOTIFY): with their own look for changes set to once an hour, a document ingested
/// by another process reaches both, and a decision made through one reaches the other.
#[test]
fn servers_on_one_database_hear_each_others_changes() {
    let Some(url) = annals::pg::fresh_test_db() else {
        eprintln!("skipped: no ANNALS_TEST_POSTGRES");
        return;
    };
    let pg = Path::new(&url);
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = common::Rng::new(4);
    for (folder, marker) in [("first", "notify-one"), ("second", "notify-two")] {
        let dir = tmp.path().join(folder);
        std::fs::create_dir(&dir).unwrap();
        let text = format!(
            "On 3 November 1978 the treaty was signed in Moscow.\n\n{}",
            common::prose(&mut rng, 4_000, marker)
        );
        std::fs::write(dir.join(format!("{marker}.txt")), text).unwrap();
    }
    common::ingest_json(pg, &[], &tmp.path().join("first"));
    let slow = ["--poll-seconds", "3600"];
    let (a, b) = (
        harness::Server::start(pg, &slow),
        harness::Server::start(pg, &slow),
    );
    let status = |s: &harness::Server| s.get("/api/status").json();
    assert_eq!(status(&a)["documents"], 1);
    assert_eq!(status(&b)["documents"], 1);

    common::ingest_json(pg, &[], &tmp.path().join("second"));
    assert!(
        within_30s(|| status(&a)["documents"] == 2 && status(&b)["documents"] == 2),
        "the servers did not hear of the new document: {} / {}",
        status(&a),
        status(&b)
    );

    let doc = a.get("/api/documents?limit=1").json()["items"][0]["id"]
        .as_str()
        .expect("a document")
        .to_string();
    let facts = a
        .get(&format!("/api/documents/{}", harness::enc(&doc)))
        .json();
    let fact = facts["facts"][0]["fact_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no fact id in {facts}"));
    let before = status(&b)["curation_version"].as_i64().unwrap_or(0);
    let auth = format!("Bearer {}", harness::TOKEN);
    let r = a.post_json(
        "/api/curation",
        &[("Authorization", auth.as_str())],
        &serde_json::json!({"action": "confirm", "target": {"fact": fact},
                            "reason": "checked against the treaty text", "who": "tester"}),
    );
    assert!(r.status < 300, "the decision was refused: {}", r.describe());
    assert!(
        within_30s(|| status(&b)["curation_version"].as_i64().unwrap_or(0) > before),
        "the other server did not hear of the decision: {}",
        status(&b)
    );
}
