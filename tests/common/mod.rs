//! Helpers shared by the end-to-end tests that drive the `annals` binary: running it,
//! parsing its JSON output, checking export spans against the files on disk, and a small
//! deterministic pseudo-random generator for building corpora.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The `annals` binary built for these tests.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_annals"));
    c.env_remove("ANNALS_DATA");
    c
}

/// Runs `annals --data DATA ARGS...` to completion and returns its output.
pub fn run(data: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--data")
        .arg(data)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("start annals")
}

/// Stdout and stderr of a run, for assertion messages.
pub fn describe(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        truncate(&String::from_utf8_lossy(&o.stdout), 4000),
        truncate(&String::from_utf8_lossy(&o.stderr), 4000)
    )
}

fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &s[..end], s.len())
}

/// Runs a command that must succeed; returns its stdout.
pub fn run_ok(data: &Path, args: &[&str]) -> String {
    let o = run(data, args);
    assert!(
        o.status.success(),
        "annals {args:?} failed: {}",
        describe(&o)
    );
    String::from_utf8(o.stdout).expect("stdout is UTF-8")
}

/// `annals ingest --quiet --output json EXTRA... PATH`: the summary object. Fails the test
/// unless the exit status is 0.
pub fn ingest_json(data: &Path, extra: &[&str], path: &Path) -> Value {
    let mut args = vec!["ingest", "--quiet", "--output", "json"];
    args.extend_from_slice(extra);
    let p = path.to_str().expect("UTF-8 temp path");
    args.push(p);
    let out = run_ok(data, &args);
    serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("ingest summary is not JSON ({e}):\n{out}"))
}

/// The `files` of an ingest summary, by document id.
pub fn files_by_doc(summary: &Value) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    for f in summary["files"].as_array().expect("files array") {
        let doc = f["doc"].as_str().expect("doc").to_string();
        assert!(
            m.insert(doc.clone(), f.clone()).is_none(),
            "{doc} reported twice in {summary:#}"
        );
    }
    m
}

/// Parses JSON Lines.
pub fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// `annals export`: every record.
pub fn export(data: &Path) -> Vec<Value> {
    json_lines(&run_ok(data, &["export"]))
}

/// `annals documents --format json`: (documents by id, rejections by path).
pub fn documents(data: &Path) -> (BTreeMap<String, Value>, BTreeMap<String, Value>) {
    let mut docs = BTreeMap::new();
    let mut rejected = BTreeMap::new();
    for v in json_lines(&run_ok(data, &["documents", "--format", "json"])) {
        if let Some(id) = v.get("id").and_then(Value::as_str) {
            assert!(
                docs.insert(id.to_string(), v.clone()).is_none(),
                "{id} listed twice"
            );
        } else if let Some(p) = v.get("rejected").and_then(Value::as_str) {
            rejected.insert(p.to_string(), v.clone());
        } else {
            panic!("unexpected documents line {v}");
        }
    }
    (docs, rejected)
}

/// `annals check` must succeed and say "ok"; returns its output.
pub fn check_ok(data: &Path) -> String {
    let o = run(data, &["check"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success() && out.lines().any(|l| l.starts_with("ok: ")),
        "annals check found problems: {}",
        describe(&o)
    );
    out
}

/// `annals search QUERY --format json -n LIMIT`: the hits.
pub fn search(data: &Path, query: &str, limit: usize) -> Vec<Value> {
    let n = limit.to_string();
    json_lines(&run_ok(
        data,
        &["search", query, "--format", "json", "-n", &n],
    ))
}

/// The NFC form of `s`.
pub fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

/// Checks every span record of an export (`sentence` records and facts: anything but
/// `document` records) of the UTF-8 documents against `file_of(doc)`, the bytes now on
/// disk: `text` must be the NFC form of those bytes at `start..end`, the range inside the
/// file and on character boundaries. Also checks that sentence `seq`s run 0, 1, 2, ... and
/// that each document's sentence count matches its record. Returns the number of span
/// records checked. Documents for which `file_of` returns `None` are skipped.
pub fn check_export_spans(
    records: &[Value],
    mut file_of: impl FnMut(&str) -> Option<Vec<u8>>,
) -> usize {
    let mut checked = 0;
    let mut current: Option<(String, Option<Vec<u8>>, u64, u64)> = None; // doc, bytes, want, seen
    let finish = |c: &Option<(String, Option<Vec<u8>>, u64, u64)>| {
        if let Some((doc, _, want, seen)) = c {
            assert_eq!(
                want, seen,
                "{doc}: document record says {want} sentences, export holds {seen}"
            );
        }
    };
    for r in records {
        let kind = r["kind"].as_str().expect("record kind");
        if kind == "document" {
            finish(&current);
            let doc = r["doc"].as_str().expect("doc").to_string();
            let utf8 = matches!(r["encoding"].as_str(), Some("utf-8"));
            let bytes = if utf8 { file_of(&doc) } else { None };
            if let Some(b) = &bytes {
                assert_eq!(
                    r["bytes"].as_u64(),
                    Some(b.len() as u64),
                    "{doc}: stored length differs from the file"
                );
            }
            let want = r["sentences"].as_u64().expect("sentences count");
            current = Some((doc, bytes, want, 0));
            continue;
        }
        // Records of the history (events, series, conflicts) span documents; their evidence
        // spans are checked by tests/event.rs and tests/series.rs.
        if matches!(kind, "event" | "series" | "conflict") {
            continue;
        }
        let doc = r["doc"].as_str().expect("record doc");
        let cur = current
            .as_mut()
            .unwrap_or_else(|| panic!("{kind} record before any document record: {r}"));
        assert_eq!(cur.0, doc, "record of {doc} among the records of {}", cur.0);
        if kind == "sentence" {
            assert_eq!(
                r["seq"].as_u64(),
                Some(cur.3),
                "{doc}: sentence seq out of order: {r}"
            );
            cur.3 += 1;
        }
        let Some(bytes) = &cur.1 else { continue };
        let (Some(s), Some(e)) = (r["start"].as_u64(), r["end"].as_u64()) else {
            continue;
        };
        let (s, e) = (s as usize, e as usize);
        assert!(
            s <= e && e <= bytes.len(),
            "{doc}: span {s}..{e} outside the file ({} bytes): {r}",
            bytes.len()
        );
        let want = std::str::from_utf8(&bytes[s..e])
            .unwrap_or_else(|_| panic!("{doc}: span {s}..{e} not on character boundaries"));
        assert_eq!(
            r["text"].as_str(),
            Some(nfc(want).as_str()),
            "{doc}: {kind} text differs from the file's bytes {s}..{e}"
        );
        checked += 1;
    }
    finish(&current);
    checked
}

/// xorshift64*: a small deterministic generator, so runs are reproducible without a crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den < num
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.next_u64() as usize % xs.len()]
    }
}

const EN_WORDS: &[&str] = &[
    "the",
    "emperor",
    "dynasty",
    "court",
    "army",
    "river",
    "battle",
    "northern",
    "southern",
    "capital",
    "treaty",
    "envoy",
    "rice",
    "tax",
    "village",
    "scholar",
    "examination",
    "temple",
    "king",
    "general",
    "rebellion",
    "harbour",
    "merchant",
    "province",
    "governor",
    "chronicle",
    "annals",
    "monk",
    "fleet",
    "citadel",
    "famine",
    "reform",
    "census",
    "tribute",
    "frontier",
    "of",
    "and",
    "in",
    "was",
    "with",
    "against",
    "after",
    "before",
    "under",
];

const VI_WORDS: &[&str] = &[
    "nhà", "Trần", "đánh", "thắng", "quân", "Nguyên", "ba", "lần", "trên", "sông", "Bạch", "Đằng",
    "vua", "lên", "ngôi", "triều", "đình", "kinh", "thành", "Thăng", "Long", "sử", "biên", "niên",
    "nông", "dân", "khởi", "nghĩa", "Lê", "Lợi", "Tây", "Sơn", "Huế", "làng", "thuế", "chùa",
    "tướng", "quân", "giặc", "năm", "của", "và", "các", "những",
];

/// Generated prose of about `bytes` bytes (English and Vietnamese sentences, paragraphs),
/// NFC UTF-8. `marker` is written into the first sentence, so that each file can be made
/// unique and found by search.
pub fn prose(rng: &mut Rng, bytes: usize, marker: &str) -> String {
    let mut out = String::with_capacity(bytes + 256);
    out.push_str(&format!("Chronicle {marker} begins here.\n\n"));
    while out.len() < bytes {
        let words = if rng.chance(1, 3) { VI_WORDS } else { EN_WORDS };
        let n = rng.range(6, 18);
        let mut s = String::new();
        for i in 0..n {
            let w = *rng.pick(words);
            if i == 0 {
                let mut cs = w.chars();
                let first = cs.next().expect("non-empty word");
                s.extend(first.to_uppercase());
                s.push_str(cs.as_str());
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        if rng.chance(1, 6) {
            s.push_str(&format!(" in {}", rng.range(938, 1945)));
        }
        s.push('.');
        out.push_str(&s);
        out.push(if rng.chance(1, 8) { '\n' } else { ' ' });
        if rng.chance(1, 10) {
            out.push_str("\n\n");
        }
    }
    out.push('\n');
    out
}

/// `text` read as a document whose short paragraphs default to `lang`.
pub fn read_as(text: &str, lang: annals::text::lang::Lang) -> annals::document::Document {
    annals::document::Document::read(
        "t",
        text.as_bytes().to_vec(),
        annals::document::ReadOptions {
            lang: Some(lang),
            ..annals::document::ReadOptions::default()
        },
    )
    .expect("readable")
}

/// The reference corpus, read at test time. A test that needs it fails when it is missing:
/// it must never pass by checking nothing.
pub fn corpus_dir() -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        d.is_dir(),
        "the reference corpus must be at {} (shared/ beside the repository)",
        d.display()
    );
    d
}

/// The corpus document whose file name starts with `prefix`, read.
pub fn corpus_doc(prefix: &str) -> annals::document::Document {
    let path = std::fs::read_dir(corpus_dir())
        .expect("readable corpus folder")
        .map(|e| e.expect("readable entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no corpus file {prefix}*"));
    let id = path
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    let bytes = std::fs::read(&path).expect("readable corpus file");
    annals::document::Document::read(&id, bytes, annals::document::ReadOptions::default())
        .expect("the corpus reads")
}
