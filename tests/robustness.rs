//! The batch and the server under the ways real use goes wrong: names that are not UTF-8 or
//! hold a backslash or a terminal escape, hidden files, one slow file in a batch, two
//! ingests at once, clients that hang up mid-answer or stall, retried and invalid curation
//! requests, unusable tokens, a full disk.

mod common;
#[path = "browser/harness.rs"]
mod harness;

use annals::archive::Archive;
use annals::ingest::{self, FileReport, IngestOptions, Progress};
use common::{Rng, files_by_doc, ingest_json, prose, run, run_ok};
use harness::Server;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).expect("folder");
    }
    std::fs::write(path, text).expect("write file");
}

/// Three Cyrillic names of the same length in Windows-1251 (not UTF-8), and a name holding
/// a backslash beside a folder path that a backslash-to-slash conversion would make equal:
/// five files, five documents, and a second run finds them all unchanged.
#[test]
fn names_that_are_not_utf8_or_hold_a_backslash_stay_distinct() {
    let tmp = tempfile::tempdir().expect("temp");
    let root = tmp.path().join("R");
    std::fs::create_dir_all(root.join("a")).expect("folder");
    // "мир", "дом", "лес" in Windows-1251.
    let names: [&[u8]; 3] = [
        b"\xec\xe8\xf0.txt",
        b"\xe4\xee\xec.txt",
        b"\xeb\xe5\xf1.txt",
    ];
    for (i, n) in names.iter().enumerate() {
        let p = root.join(std::ffi::OsStr::from_bytes(n));
        std::fs::write(
            p,
            format!("Document number {i} of the test, about the year 19{i}5.\n"),
        )
        .expect("write");
    }
    write(
        &root.join("a\\b.txt"),
        "The file whose name holds a backslash.\n",
    );
    write(&root.join("a").join("b.txt"), "The file in the folder a.\n");
    let data = tmp.path().join("data");
    let s = ingest_json(&data, &[], &root);
    assert_eq!(s["added"], 5, "five files, five documents: {s:#}");
    let docs = files_by_doc(&s);
    assert_eq!(docs.len(), 5, "five distinct ids: {:?}", docs.keys());
    assert!(
        docs.contains_key("a\\b.txt") && docs.contains_key("a/b.txt"),
        "{:?}",
        docs.keys()
    );
    assert!(
        docs.keys().any(|k| k.contains("%EC%E8%F0")),
        "a name that is not UTF-8 keeps its bytes as escapes: {:?}",
        docs.keys()
    );
    let again = ingest_json(&data, &[], &root);
    assert_eq!(again["unchanged"], 5, "{again:#}");
    assert_eq!(again["replaced"], 0, "{again:#}");
    assert_eq!(again["added"], 0, "{again:#}");
}

/// Hidden files and folders are not read, and the summary says so for each.
#[test]
fn hidden_files_are_reported_as_skipped() {
    let tmp = tempfile::tempdir().expect("temp");
    let root = tmp.path().join("src");
    write(&root.join("seen.txt"), "A visible source about 1978.\n");
    write(&root.join(".notes.txt"), "A hidden note.\n");
    write(&root.join(".git").join("HEAD"), "ref: refs/heads/main\n");
    let data = tmp.path().join("data");
    let s = ingest_json(&data, &[], &root);
    assert_eq!(s["added"], 1, "{s:#}");
    assert_eq!(s["skipped"], 2, "{s:#}");
    let files = files_by_doc(&s);
    for id in [".notes.txt", ".git"] {
        let f = &files[id];
        assert_eq!(f["outcome"], "skipped", "{f}");
        assert!(
            f["reason"].as_str().is_some_and(|r| r.contains("hidden")),
            "{f}"
        );
    }
    let text = run_ok(&data, &["ingest", "--quiet", root.to_str().expect("path")]);
    assert!(
        text.contains("skipped") && text.contains(".notes.txt"),
        "{text}"
    );
}

/// A file name with a terminal escape is printed escaped, never raw.
#[test]
fn control_characters_in_names_are_printed_escaped() {
    let tmp = tempfile::tempdir().expect("temp");
    let root = tmp.path().join("src");
    write(
        &root.join("evil\u{1b}[2J\u{1b}]0;owned\u{7}.txt"),
        "A source about 1954.\n",
    );
    // An empty file is rejected, and its name printed in the summary.
    write(&root.join("empty\u{1b}[31m.txt"), "");
    let data = tmp.path().join("data");
    let o = run(&data, &["ingest", root.to_str().expect("path")]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("empty\\u{1b}[31m.txt"),
        "the rejection names the file, escaped:\n{out}"
    );
    let docs = run_ok(&data, &["documents"]);
    for printed in [out.as_ref(), docs.as_str()] {
        assert!(
            !printed.contains('\u{1b}') && !printed.contains('\u{7}'),
            "raw control characters printed:\n{printed:?}"
        );
    }
    assert!(docs.contains("evil\\u{1b}[2J"), "{docs}");
}

/// Records the order in which files finish.
struct Order(Mutex<Vec<String>>);

impl Progress for Order {
    fn file_done(&self, r: &FileReport) {
        self.0.lock().expect("lock").push(r.doc.clone());
    }
}

/// One large file first in the input order does not hold back the 21 small files after it:
/// they are stored while it is analysed. A file over its time budget is rejected with the
/// reason, and the rest of the batch is stored.
#[test]
fn one_slow_file_does_not_hold_back_the_batch() {
    let tmp = tempfile::tempdir().expect("temp");
    let root = tmp.path().join("src");
    let mut rng = Rng::new(21);
    write(
        &root.join("a-large.txt"),
        &prose(&mut rng, 6_000_000, "large"),
    );
    for i in 0..21 {
        write(
            &root.join(format!("small-{i:02}.txt")),
            &prose(&mut rng, 1500, &format!("small {i}")),
        );
    }
    // Lazily loaded language data is loaded before anything is timed.
    annals::extract::Pipeline::standard().run(&common::read_as(
        "Hà Nội, 1978.",
        annals::text::lang::Lang::of("vi"),
    ));

    let mut archive = Archive::open(&tmp.path().join("data")).expect("archive");
    let order = Order(Mutex::new(Vec::new()));
    let opts = IngestOptions {
        threads: 2,
        ..Default::default()
    };
    let s = ingest::ingest(
        &mut archive,
        std::slice::from_ref(&root),
        &opts,
        &annals::extract::Pipeline::standard(),
        &order,
    )
    .expect("ingest");
    assert_eq!(s.added, 22);
    let order = order.0.into_inner().expect("lock");
    assert_eq!(
        order.last().map(String::as_str),
        Some("a-large.txt"),
        "the large file finishes last: {order:?}"
    );
    // The summary still lists the files in input order.
    assert_eq!(s.files[0].doc, "a-large.txt");

    // A budget the large file cannot meet: it is rejected, the small ones are stored.
    let mut archive = Archive::open(&tmp.path().join("data2")).expect("archive");
    let opts = IngestOptions {
        threads: 2,
        max_seconds_per_file: Some(Duration::from_millis(300)),
        ..Default::default()
    };
    let s = ingest::ingest(
        &mut archive,
        &[root],
        &opts,
        &annals::extract::Pipeline::standard(),
        &ingest::Silent,
    )
    .expect("ingest");
    assert_eq!(
        (s.added, s.rejected),
        (21, 1),
        "{:#?}",
        s.files
            .iter()
            .filter(|f| f.doc == "a-large.txt")
            .collect::<Vec<_>>()
    );
    let large = s
        .files
        .iter()
        .find(|f| f.doc == "a-large.txt")
        .expect("reported");
    let reason = serde_json::to_value(&large.outcome).expect("json")["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        reason.contains("budget") && reason.contains("--max-seconds-per-file"),
        "{reason}"
    );
    assert!(archive.store.check().expect("check").is_empty());
}

/// Two ingests into one data folder at once: the second waits for the first to give the
/// index back instead of failing, and every document of both is stored once.
#[test]
fn a_second_ingest_waits_for_the_first() {
    let tmp = tempfile::tempdir().expect("temp");
    let mut rng = Rng::new(7);
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    for i in 0..3 {
        write(
            &one.join(format!("big-{i}.txt")),
            &prose(&mut rng, 1_500_000, &format!("one {i}")),
        );
        write(
            &two.join(format!("small-{i}.txt")),
            &prose(&mut rng, 3000, &format!("two {i}")),
        );
    }
    let data = tmp.path().join("data");
    let first = harness::bin()
        .arg("--data")
        .arg(&data)
        .args(["ingest", "--quiet", "--output", "json"])
        .arg(&one)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the first ingest");
    std::thread::sleep(Duration::from_millis(300));
    let second = run(
        &data,
        &[
            "ingest",
            "--quiet",
            "--output",
            "json",
            two.to_str().expect("path"),
        ],
    );
    assert!(
        second.status.success(),
        "the second ingest failed: {}",
        common::describe(&second)
    );
    let out = first.wait_with_output().expect("first ingest");
    assert!(
        out.status.success(),
        "the first ingest failed: {}",
        common::describe(&out)
    );
    let docs = run_ok(&data, &["documents", "--format", "json"]);
    assert_eq!(
        docs.lines().filter(|l| l.contains("\"id\"")).count(),
        6,
        "{docs}"
    );
    let check = run_ok(&data, &["check"]);
    assert!(check.starts_with("ok"), "{check}");
}

/// Reads one HTTP/1.1 response with a Content-Length (headers and body); false when the
/// connection ends first.
fn read_response(s: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

/// Clients that hang up while an answer is being made or written, 100 times, as a browser
/// does when its user leaves a page: each asks for a document's reader page, reads it,
/// asks again on the same connection and leaves before (or while) the second answer comes.
/// The server's write then meets a closed socket (EPIPE), which kills a process that has
/// SIGPIPE at its default action. The server stays up and goes on answering.
#[test]
fn clients_that_hang_up_mid_answer_do_not_stop_the_server() {
    let (_tmp, data) = harness::corpus_data();
    let mut server = Server::start(&data, &[]);
    let docs = server.get("/api/documents?limit=50").json();
    let mut ids: Vec<(u64, String)> = docs["items"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["bytes"].as_u64().unwrap_or(0),
                d["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    ids.sort();
    // The largest document's page (an answer of megabytes, slow to make and written in
    // many pieces), and every fourth time the smallest one's.
    let (small, large) = (ids[0].1.clone(), ids[ids.len() - 1].1.clone());
    for i in 0..100u64 {
        let doc = if i % 4 == 3 { &small } else { &large };
        let request = format!(
            "GET /documents/{} HTTP/1.1\r\nHost: {}\r\n\r\n",
            harness::enc(doc),
            server.addr
        );
        let Ok(mut s) = TcpStream::connect(server.addr) else {
            panic!(
                "the server stopped accepting after {i} hang-ups: {:?}\n{}",
                server.exited(),
                server.log()
            );
        };
        s.write_all(request.as_bytes()).expect("send");
        read_response(&mut s);
        let _ = s.write_all(request.as_bytes());
        std::thread::sleep(Duration::from_millis(i % 4 * 50));
        if i % 2 == 1 {
            let mut buf = [0u8; 1000];
            let _ = s.read(&mut buf);
        }
        drop(s);
        if let Some(status) = server.exited() {
            panic!(
                "the server died after {} hang-ups ({status}):\n{}",
                i + 1,
                server.log()
            );
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.exited().is_none(),
        "the server died: {:?}\n{}",
        server.exited(),
        server.log()
    );
    assert_eq!(server.get("/api/status").status, 200);
    assert_eq!(
        server
            .get(&format!("/documents/{}", harness::enc(&small)))
            .status,
        200
    );
}

/// A data folder with one large document.
fn large_store() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp");
    let src = tmp.path().join("src");
    let mut rng = Rng::new(141);
    write(
        &src.join("large.txt"),
        &prose(&mut rng, 3_000_000, "stalls"),
    );
    let data = tmp.path().join("data");
    ingest_json(&data, &[], &src);
    (tmp, data)
}

/// Connections that stall while sending headers or a body are closed after the read
/// timeout; the server answers others meanwhile.
#[test]
fn stalled_clients_are_disconnected() {
    let (_tmp, data) = large_store();
    let server = Server::start(&data, &["--read-timeout-ms", "500"]);
    let mut stalled = Vec::new();
    for i in 0..40 {
        let mut s = TcpStream::connect(server.addr).expect("connect");
        if i % 2 == 0 {
            // Headers that never end.
            write!(
                s,
                "GET /api/status HTTP/1.1\r\nHost: {}\r\nX-Slow: ",
                server.addr
            )
            .expect("send");
        } else {
            // A body that never arrives.
            write!(
                s,
                "POST /api/curation HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"action\"",
                server.addr, harness::TOKEN
            )
            .expect("send");
        }
        stalled.push(s);
    }
    assert_eq!(
        server.get("/api/status").status,
        200,
        "the server answers while others stall"
    );
    std::thread::sleep(Duration::from_millis(2500));
    for (i, mut s) in stalled.into_iter().enumerate() {
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut rest = Vec::new();
        // The server closed it: reading ends (after an error answer, if any) instead of
        // waiting for the read timeout.
        let t = Instant::now();
        let r = s.read_to_end(&mut rest);
        assert!(
            t.elapsed() < Duration::from_secs(4),
            "stalled connection {i} is still open after the read timeout ({r:?}, {:?})",
            String::from_utf8_lossy(&rest)
        );
    }
    assert_eq!(server.get("/api/status").status, 200);
}

/// The id of some fact of `kind` in the store.
fn some_fact(server: &Server, kind: &str) -> Option<i64> {
    let docs = server.get("/api/documents?limit=50").json();
    docs["items"].as_array()?.iter().find_map(|d| {
        let id = d["id"].as_str()?;
        let d = server
            .get(&format!("/api/documents/{}", harness::enc(id)))
            .json();
        d["facts"]
            .as_array()?
            .iter()
            .find(|f| f["kind"] == kind)
            .and_then(|f| f["fact_id"].as_i64())
    })
}

/// A curation request retried with the same request id is recorded once; the answer comes
/// when the decision is committed; dates that do not exist and units that are not units are
/// refused with a reason.
#[test]
fn curation_requests_are_idempotent_and_checked() {
    let (_tmp, data) = harness::corpus_data();
    let server = Server::start(&data, &[]);
    let auth = format!("Bearer {}", harness::TOKEN);
    let fact = some_fact(&server, "timex").expect("a timex");
    let decision = json!({"action": "confirm", "target": {"fact": fact}, "reason": "checked (robustness test)", "who": "tester", "request_id": "req-0001"});
    let a = server.post_json("/api/curation", &[("Authorization", &auth)], &decision);
    assert_eq!(a.status, 200, "{}", a.describe());
    let b = server.post_json("/api/curation", &[("Authorization", &auth)], &decision);
    assert_eq!(b.status, 200, "{}", b.describe());
    assert_eq!(
        a.json()["id"],
        b.json()["id"],
        "a retry answers with the entry recorded the first time"
    );
    assert_eq!(b.json()["replayed"], true);
    // The same id in the header.
    let mut by_header = decision.clone();
    by_header
        .as_object_mut()
        .expect("object")
        .remove("request_id");
    let c = server.post_json(
        "/api/curation",
        &[("Authorization", &auth), ("Idempotency-Key", "req-0001")],
        &by_header,
    );
    assert_eq!(c.json()["id"], a.json()["id"], "{}", c.describe());
    let audit = server.get("/api/audit?limit=500").json();
    let n = audit["items"].as_array().map_or(0, |v| {
        v.iter().filter(|e| e["request_id"] == "req-0001").count()
    });
    assert_eq!(n, 1, "recorded once: {audit:#}");
    // The same id for another decision is a conflict.
    let other = json!({"action": "reject", "target": {"fact": fact}, "reason": "another decision", "who": "tester", "request_id": "req-0001"});
    let r = server.post_json("/api/curation", &[("Authorization", &auth)], &other);
    assert_eq!(r.status, 409, "{}", r.describe());

    // A date that does not exist: a value the target's field cannot take, 409 with the reason
    // (the body itself has the shape the API declares).
    let bad_date = json!({"action": "edit", "target": {"fact": fact}, "field": "date", "value": "1978-02-30", "reason": "typo test", "who": "tester"});
    let r = server.post_json("/api/curation", &[("Authorization", &auth)], &bad_date);
    assert_eq!(r.status, 409, "{}", r.describe());
    assert!(
        r.reason().contains("1978-02-30") || r.reason().contains("date"),
        "{}",
        r.reason()
    );
    // A unit that is not a unit.
    let q = some_fact(&server, "quantity").expect("a quantity");
    let bad_unit = json!({"action": "edit", "target": {"fact": q}, "field": "unit", "value": "<b>bogus</b>", "reason": "markup test", "who": "tester"});
    let r = server.post_json("/api/curation", &[("Authorization", &auth)], &bad_unit);
    assert_eq!(r.status, 409, "{}", r.describe());
    assert!(r.reason().contains("not a unit"), "{}", r.reason());
    let r = server.get("/api/timeline?from=1978-02-30");
    assert_eq!(r.status, 400, "{}", r.describe());
}

/// A token that cannot be typed into a header (spaces, control characters) is refused at
/// start with the reason.
#[test]
fn unusable_tokens_are_refused_at_start() {
    let tmp = tempfile::tempdir().expect("temp");
    for token in [
        "                ",
        "abcdefgh ijklmnopq",
        "abcdefghijklmnop\u{7}",
    ] {
        let o = harness::bin()
            .arg("--data")
            .arg(tmp.path().join("data"))
            .args(["serve", "--addr", "127.0.0.1:0", "--token", token])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run annals serve");
        assert!(!o.status.success(), "token {token:?} accepted");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("printable") && err.contains("spaces"), "{err}");
    }
}

/// On a full disk (a small tmpfs; needs root), `ingest --output json` still prints its
/// summary with the error and the files it did not store, and reading commands work.
#[test]
fn a_full_disk_is_reported_and_reads_go_on() {
    let tmp = tempfile::tempdir().expect("temp");
    let mnt = tmp.path().join("small");
    std::fs::create_dir_all(&mnt).expect("folder");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&mnt)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root); CI runs it as root");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mnt);
    let src = tmp.path().join("src");
    let mut rng = Rng::new(3);
    write(&src.join("a.txt"), &prose(&mut rng, 20_000, "first"));
    write(
        &src.join("b.txt"),
        &prose(&mut rng, 6_000_000, "too big for the disk"),
    );
    let data = mnt.join("data");
    let o = run(
        &data,
        &[
            "ingest",
            "--quiet",
            "--output",
            "json",
            "--threads",
            "1",
            src.to_str().expect("path"),
        ],
    );
    assert!(!o.status.success(), "{}", common::describe(&o));
    let s: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("no JSON summary ({e}): {}", common::describe(&o)));
    assert!(
        s["error"].as_str().is_some_and(|e| e.contains("full")),
        "{s:#}"
    );
    let files = files_by_doc(&s);
    assert_eq!(files["b.txt"]["outcome"], "not_stored", "{s:#}");
    // Reads go on.
    run_ok(&data, &["documents"]);
    run_ok(&data, &["export", "--format", "jsonl"]);
    let o = run(&data, &["search", "first"]);
    assert!(o.status.success(), "{}", common::describe(&o));
}

/// `annals documents` pages through a store: `--limit` stops and names the next page's
/// command, `--after` starts there, and the pages together are the whole list; an empty
/// page says so.
#[test]
fn documents_are_listed_a_page_at_a_time() {
    let src = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    for (name, year) in [("a", 1950), ("b", 1955), ("c", 1978)] {
        std::fs::write(
            src.path().join(format!("{name}.txt")),
            format!("The Soviet Union and Vietnam signed an agreement in {year}.\n"),
        )
        .expect("write");
    }
    let src_path = src.path().to_str().expect("path");
    run_ok(data.path(), &["ingest", "--quiet", src_path]);
    let first = run_ok(data.path(), &["documents", "--limit", "2"]);
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines.len(), 3, "{first}");
    assert!(
        lines[0].starts_with("a.txt") && lines[1].starts_with("b.txt"),
        "{first}"
    );
    assert_eq!(
        lines[2],
        "more documents: annals documents --after b.txt --limit 2"
    );
    let next = run_ok(
        data.path(),
        &["documents", "--after", "b.txt", "--limit", "2"],
    );
    assert_eq!(next.lines().collect::<Vec<_>>().len(), 1, "{next}");
    assert!(next.starts_with("c.txt"), "{next}");
    let json = run_ok(
        data.path(),
        &["documents", "--after", "a.txt", "--format", "json"],
    );
    let ids: Vec<String> = json
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"b.txt\"", "\"c.txt\""]);
    let none = run_ok(data.path(), &["documents", "--after", "c.txt"]);
    assert_eq!(none.trim(), "no documents after c.txt");
    let zero = run(data.path(), &["documents", "--limit", "0"]);
    assert!(!zero.status.success());
    let err = String::from_utf8_lossy(&zero.stderr);
    assert!(err.contains("--limit"), "{err}");
}
