//! `annals entity NAME` and `annals entities --candidates` on the reference corpus.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn annals(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// A fresh store holding the reference corpus.
fn ingested() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let out = annals(
        data.path(),
        &["ingest", "--quiet", corpus().to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    data
}

#[test]
fn any_alias_in_any_language_opens_the_same_entity_page() {
    let data = ingested();
    let page = |name: &str| -> Value {
        let out = annals(data.path(), &["entity", name, "--format", "json"]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let a = page("Brezhnev");
    for alias in ["Brêgiơnép", "bregionep", "Брежнев", "Leonid Brezhnev"] {
        assert_eq!(page(alias)["entity_id"], a["entity_id"], "{alias}");
    }
    assert_eq!(a["entity"], "Leonid Brezhnev");
    assert!(a["page"]["mentions"].as_u64().unwrap() > 0);
    // Every listed mention is exactly its source's bytes.
    for d in a["page"]["documents"].as_array().unwrap() {
        let bytes = std::fs::read(corpus().join(d["doc"].as_str().unwrap())).unwrap();
        for m in d["mentions"].as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                std::str::from_utf8(&bytes[s..e]).unwrap(),
                m["text"].as_str().unwrap()
            );
        }
    }
    let soviet = page("lien xo");
    assert_eq!(soviet["entity"], "Soviet Union");
    // An unknown name is a clear error.
    let out = annals(data.path(), &["entity", "Nobody Atall"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no entity is named"));
}

#[test]
fn candidates_point_at_their_source_bytes() {
    let data = ingested();
    let out = annals(
        data.path(),
        &["entities", "--candidates", "--format", "json"],
    );
    assert!(out.status.success());
    let cands: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(cands.len() > 10);
    let mut last = u64::MAX;
    for c in &cands {
        let n = c["count"].as_u64().unwrap();
        assert!(n >= 2 && n <= last, "sorted by count, at least 2");
        last = n;
        for e in c["examples"].as_array().unwrap() {
            let bytes = std::fs::read(corpus().join(e["doc"].as_str().unwrap())).unwrap();
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                std::str::from_utf8(&bytes[s..t]).unwrap(),
                e["text"].as_str().unwrap()
            );
        }
        // Known entities are not candidates.
        assert_ne!(c["name"], "Liên Xô");
        assert_ne!(c["name"], "Soviet Union");
    }
}
