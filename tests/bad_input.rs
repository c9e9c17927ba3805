//! Bad input, end to end through the `annals` binary: one folder holding good text files
//! and every kind of bad file the ingest must survive. Each bad file is rejected with a
//! reason naming the cause, the rest of the batch goes on, the same content under two
//! names is stored once with both names recorded, re-ingesting is a no-op, and a changed
//! file replaces its old version without leftovers.

mod common;

use common::{
    Rng, check_export_spans, check_ok, documents, export, files_by_doc, ingest_json, run,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The size limit of the main batch. The hostile HTML (a 5 MiB attribute) stays under it;
/// `too_big.txt` is one byte over it.
const MAX_BYTES: u64 = 8_000_000;

const EN_BACH_DANG: &str = "The Battle of Bach Dang was fought in 938 on the Bach Dang River. \
Ngo Quyen planted iron-tipped stakes in the riverbed and waited for the tide to turn. \
The Southern Han fleet was destroyed, and a thousand years of northern rule came to an end.\n\n\
Ngo Quyen proclaimed himself king the following year and made Co Loa his capital.\n";

const EN_TAY_SON: &str = "The Tay Son brothers rose against the Nguyen lords in 1771. \
Their army took Gia Dinh, then turned north against the Trinh. \
In 1789 Nguyen Hue defeated a Qing army near Thang Long during the Lunar New Year.\n";

const VI_TRAN_HUNG_DAO: &str = "Trần Hưng Đạo là danh tướng của nhà Trần. \
Năm 1288, ông chỉ huy quân dân Đại Việt đánh tan thủy quân Nguyên trên sông Bạch Đằng. \
Bài Hịch tướng sĩ của ông được truyền tụng qua nhiều thế hệ.\n";

const VI_LE_LOI_OLD: &str = "Lê Lợi dựng cờ khởi nghĩa ở Lam Sơn vào năm 1418. \
Nghĩa quân chiến đấu gian khổ suốt mười năm ở miền núi Thanh Hóa. \
Sau chiến thắng Chi Lăng, quân Minh phải rút về nước.\n";

const VI_LE_LOI_NEW: &str = "Nguyễn Trãi viết Bình Ngô đại cáo vào mùa xuân năm 1428. \
Bài cáo tuyên bố nền độc lập của Đại Việt sau mười năm kháng chiến. \
Cùng năm đó Lê Thái Tổ lên ngôi ở Đông Kinh.\n";

const CHRONICLE_OLD: &str = "The Ly dynasty moved the capital to Thang Long in 1010. \
Ly Thai To issued the edict on the transfer of the capital. \
The Temple of Literature was founded in 1070.\n";

const CHRONICLE_NEW: &str = "The Ho dynasty lasted only from 1400 to 1407. \
Ho Quy Ly built a stone citadel in Thanh Hoa that still stands.\n";

/// A real 1×1 PNG: signature, IHDR, IDAT, IEND.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A real ZIP archive (one stored entry, `notes.txt`, holding a line of text).
const ZIP: &[u8] = &[
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x12, 0x61,
    0x73, 0xd0, 0x15, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x6e, 0x6f,
    0x74, 0x65, 0x73, 0x2e, 0x74, 0x78, 0x74, 0x48, 0x75, 0x65, 0x20, 0x77, 0x61, 0x73, 0x20, 0x74,
    0x68, 0x65, 0x20, 0x63, 0x61, 0x70, 0x69, 0x74, 0x61, 0x6c, 0x2e, 0x0a, 0x50, 0x4b, 0x01, 0x02,
    0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x12, 0x61, 0x73, 0xd0,
    0x15, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6e, 0x6f, 0x74, 0x65, 0x73, 0x2e,
    0x74, 0x78, 0x74, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x37,
    0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// Words of the hostile page's scripts and markup that must never reach the text.
const HOSTILE_LEFTOVERS: &[&str] = &[
    "alert",
    "<script",
    "document.write",
    "injected",
    "<div",
    "AAAAAAAA",
];

/// Hostile HTML: scripts (in the head, between paragraphs, one writing markup), 50 000
/// nested `div`s, and a 5 MiB attribute that itself holds a script and `>` characters.
fn hostile_html() -> Vec<u8> {
    let mut h = String::with_capacity(6 << 20);
    h.push_str("<!DOCTYPE html>\n<html><head><title>A hostile page about the Tay Son</title>\n");
    h.push_str("<script>alert(1)</script></head>\n<body>\n");
    h.push_str("<p>The Tay Son army crossed the Hai Van pass in the spring of 1786.</p>\n");
    h.push_str(
        "<script type=\"text/javascript\">alert(2); document.write('<p>injected</p>');</script>\n",
    );
    h.push_str("<div title=\"");
    h.push_str("<script>alert(3)</script> > ");
    h.push_str(&"A".repeat(5 << 20));
    h.push_str("\">Quang Trung reorganised the examinations after his victory.</div>\n");
    for _ in 0..50_000 {
        h.push_str("<div>");
    }
    h.push_str("Deep inside fifty thousand nested divisions, the court kept its registers.");
    for _ in 0..50_000 {
        h.push_str("</div>");
    }
    h.push_str("\n<script>\nalert(4)\n</script>\n</body></html>\n");
    h.into_bytes()
}

/// Random high bytes and spaces: not UTF-8, and nothing like Vietnamese or Russian text in
/// any legacy encoding.
fn junk_bytes() -> Vec<u8> {
    let mut rng = Rng::new(0x5EED_0BAD_B17E);
    (0..2000)
        .map(|_| {
            if rng.chance(3, 20) {
                b' '
            } else {
                rng.range(0x80, 0xFF) as u8
            }
        })
        .collect()
}

/// Puts permissions back on drop, so the temporary folder can be removed even when the
/// test fails half way.
struct RestorePerms(Vec<PathBuf>);

impl Drop for RestorePerms {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// How a bad file must be reported: every listed word must appear in the reason
/// (case-insensitive).
struct Bad {
    id: &'static str,
    words: &'static [&'static str],
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn outcome(files: &BTreeMap<String, Value>, id: &str) -> String {
    files
        .get(id)
        .unwrap_or_else(|| panic!("{id} missing from the ingest report: {files:#?}"))["outcome"]
        .as_str()
        .expect("outcome")
        .to_string()
}

fn assert_rejected(files: &BTreeMap<String, Value>, bad: &Bad) {
    let f = files
        .get(bad.id)
        .unwrap_or_else(|| panic!("{} missing from the ingest report: {files:#?}", bad.id));
    assert_eq!(f["outcome"], "rejected", "{} must be rejected: {f}", bad.id);
    let reason = f["reason"]
        .as_str()
        .expect("a rejection has a reason")
        .to_lowercase();
    for w in bad.words {
        assert!(
            reason.contains(&w.to_lowercase()),
            "{}: reason {reason:?} should mention {w:?}",
            bad.id
        );
    }
}

fn sentences_of<'a>(records: &'a [Value], doc: &str) -> Vec<&'a Value> {
    records
        .iter()
        .filter(|r| r["kind"] == "sentence" && r["doc"] == doc)
        .collect()
}

/// Search hits for `query` (a quoted phrase) in document `doc`.
fn hits_in(data: &Path, query: &str, doc: &str) -> usize {
    let q = format!("\"{query}\"");
    let hits = common::json_lines(&common::run_ok(
        data,
        &["search", &q, "--doc", doc, "--format", "json", "-n", "50"],
    ));
    assert!(
        hits.iter().all(|h| h["doc"] == doc),
        "--doc {doc} gave {hits:#?}"
    );
    hits.len()
}

#[test]
fn bad_input_is_rejected_with_reasons_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sources");
    let data = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    let mut restore = RestorePerms(Vec::new());

    // Good files.
    write(&dir, "en_bach_dang.txt", EN_BACH_DANG.as_bytes());
    write(&dir, "en_tay_son.txt", EN_TAY_SON.as_bytes());
    write(&dir, "vi_tran_hung_dao.txt", VI_TRAN_HUNG_DAO.as_bytes());
    write(&dir, "vi_le_loi.txt", VI_LE_LOI_OLD.as_bytes());
    write(&dir, "chronicle.txt", CHRONICLE_OLD.as_bytes());
    write(&dir, "chronicle_copy.txt", CHRONICLE_OLD.as_bytes());
    write(&dir, "hostile.html", &hostile_html());

    // Bad files.
    write(&dir, "image.png", PNG);
    write(&dir, "archive.zip", ZIP);
    write(&dir, "empty.txt", b"");
    write(&dir, "junk.txt", &junk_bytes());
    let mut big = EN_TAY_SON
        .repeat(MAX_BYTES as usize / EN_TAY_SON.len() + 1)
        .into_bytes();
    big.truncate(MAX_BYTES as usize);
    big.push(b'\n');
    assert_eq!(big.len() as u64, MAX_BYTES + 1);
    write(&dir, "too_big.txt", &big);
    symlink(".", &dir.join("loop"));
    symlink("self", &dir.join("self"));
    symlink("pong", &dir.join("ping"));
    symlink("ping", &dir.join("pong"));
    symlink("no_such_file.txt", &dir.join("dangling.txt"));

    // A file and a folder without permissions. Root reads them anyway: then they are good
    // files, and the dangling link above is the unreadable-path case.
    let noperm = write(
        &dir,
        "noperm.txt",
        "Hue became the capital in 1802.\n".as_bytes(),
    );
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).unwrap();
    write(
        &locked,
        "inner.txt",
        "Gia Long unified the country in 1802.\n".as_bytes(),
    );
    std::fs::set_permissions(&noperm, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    restore.0.push(noperm.clone());
    restore.0.push(locked.clone());
    let permissions_enforced = std::fs::File::open(&noperm).is_err();
    if !permissions_enforced {
        eprintln!(
            "note: running with permission checks bypassed (root?): chmod 000 does not stop \
             reading, so the permission-denied assertions are skipped; the unreadable-path \
             case is covered by a dangling symlink"
        );
    }

    // A named pipe: reading it would block forever.
    let fifo_made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe"))
        .status()
        .is_ok_and(|s| s.success());
    if !fifo_made {
        eprintln!("note: mkfifo unavailable; the named-pipe case is skipped");
    }

    let mut good: Vec<&str> = vec![
        "chronicle.txt",
        "en_bach_dang.txt",
        "en_tay_son.txt",
        "hostile.html",
        "vi_le_loi.txt",
        "vi_tran_hung_dao.txt",
    ];
    let mut bad = vec![
        Bad {
            // A blank image: read by OCR, which finds nothing to read.
            id: "image.png",
            words: &["png image", "no text"],
        },
        Bad {
            id: "archive.zip",
            words: &["binary", "zip"],
        },
        Bad {
            id: "empty.txt",
            words: &["empty"],
        },
        Bad {
            id: "junk.txt",
            words: &["encoding"],
        },
        Bad {
            id: "too_big.txt",
            words: &["too large", "8000000"],
        },
        Bad {
            id: "loop",
            words: &["symlink loop"],
        },
        Bad {
            id: "self",
            words: &["symlink loop"],
        },
        Bad {
            id: "ping",
            words: &["symlink loop"],
        },
        Bad {
            id: "pong",
            words: &["symlink loop"],
        },
        Bad {
            id: "dangling.txt",
            words: &["no such file"],
        },
    ];
    if fifo_made {
        bad.push(Bad {
            id: "pipe",
            words: &["not a regular file"],
        });
    }
    if permissions_enforced {
        bad.push(Bad {
            id: "noperm.txt",
            words: &["permission denied"],
        });
        bad.push(Bad {
            id: "locked",
            words: &["permission denied"],
        });
    } else {
        good.push("noperm.txt");
        good.push("locked/inner.txt");
    }
    good.sort_unstable();
    let max = MAX_BYTES.to_string();
    let opts = ["--max-bytes", max.as_str()];

    // First ingest: good files added, bad ones rejected with reasons, the copy a duplicate.
    let s1 = ingest_json(&data, &opts, &dir);
    let f1 = files_by_doc(&s1);
    for g in &good {
        assert_eq!(outcome(&f1, g), "added", "{g}: {}", f1[*g]);
    }
    for b in &bad {
        assert_rejected(&f1, b);
    }
    assert_eq!(
        f1["chronicle_copy.txt"]["outcome"], "duplicate",
        "{}",
        f1["chronicle_copy.txt"]
    );
    assert_eq!(f1["chronicle_copy.txt"]["of"], "chronicle.txt");
    assert_eq!(s1["added"], good.len());
    assert_eq!(s1["rejected"], bad.len());
    assert_eq!(s1["duplicates"], 1);
    assert_eq!(
        f1.len(),
        good.len() + bad.len() + 1,
        "unexpected files reported: {f1:#?}"
    );

    // The store: the good files once each, the copy as an alias, the rejections recorded.
    let (docs, rejections) = documents(&data);
    let ids: Vec<&str> = docs.keys().map(String::as_str).collect();
    assert_eq!(ids, good, "stored documents");
    assert_eq!(
        docs["chronicle.txt"]["aliases"],
        serde_json::json!(["chronicle_copy.txt"])
    );
    for d in docs.values() {
        assert!(
            d["sentences"].as_u64().unwrap() > 0,
            "a document without sentences: {d}"
        );
    }
    assert_eq!(docs["hostile.html"]["format"], "html");
    let rejected_ids: BTreeSet<&str> = rejections.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = bad.iter().map(|b| b.id).collect();
    assert_eq!(rejected_ids, want, "recorded rejections");
    check_ok(&data);

    // Export: spans point at the files' bytes; the hostile page's text holds no script.
    let file_of = |doc: &str| std::fs::read(dir.join(doc)).ok();
    let records = export(&data);
    assert!(check_export_spans(&records, file_of) > 10);
    let hostile = sentences_of(&records, "hostile.html");
    assert!(
        hostile.iter().any(|r| r["clean"]
            .as_str()
            .unwrap()
            .contains("Deep inside fifty thousand")),
        "the text inside 50 000 nested divs is lost: {hostile:#?}"
    );
    assert!(
        hostile.iter().any(|r| r["clean"]
            .as_str()
            .unwrap()
            .contains("Quang Trung reorganised")),
        "the text after the 5 MiB attribute is lost: {hostile:#?}"
    );
    for r in &hostile {
        for field in ["clean", "text"] {
            let t = r[field].as_str().unwrap();
            for w in HOSTILE_LEFTOVERS {
                assert!(
                    !t.contains(w),
                    "hostile.html: sentence {field} holds {w:?}: {t:.200}"
                );
            }
        }
    }
    assert!(hits_in(&data, "Hai Van pass", "hostile.html") > 0);
    assert_eq!(hits_in(&data, "alert", "hostile.html"), 0);

    // Second ingest, as text: unchanged, and every rejected file named with its reason.
    let o = run(
        &data,
        &[
            "ingest",
            "--quiet",
            "--max-bytes",
            &max,
            dir.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", common::describe(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!(
            "ingest: 0 added, {} unchanged, 0 replaced, 1 duplicates, {} rejected",
            good.len(),
            bad.len()
        )),
        "summary line: {out}"
    );
    for b in &bad {
        let path = dir.join(b.id).display().to_string();
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with("rejected") && l.contains(&format!("{path}: ")))
            .unwrap_or_else(|| panic!("no `rejected` line names {path}:\n{out}"));
        for w in b.words {
            assert!(
                line.to_lowercase().contains(&w.to_lowercase()),
                "{line:?} should mention {w:?}"
            );
        }
    }
    let copy = dir.join("chronicle_copy.txt").display().to_string();
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("duplicate")
            && l.contains(&copy)
            && l.contains("chronicle.txt")),
        "no `duplicate` line for {copy}:\n{out}"
    );

    // Third ingest: a no-op for every good file.
    let s3 = ingest_json(&data, &opts, &dir);
    let f3 = files_by_doc(&s3);
    for g in &good {
        assert_eq!(outcome(&f3, g), "unchanged", "{g}");
    }
    assert_eq!(f3["chronicle_copy.txt"]["outcome"], "duplicate");
    for b in &bad {
        assert_rejected(&f3, b);
    }
    let (docs3, _) = documents(&data);
    for (id, d) in &docs {
        assert_eq!(docs3[id]["sha256"], d["sha256"], "{id}");
        assert_eq!(
            docs3[id]["ingested_at"], d["ingested_at"],
            "{id} was rewritten"
        );
    }

    // A changed file replaces its old version: only the new sentences remain, everywhere.
    write(&dir, "vi_le_loi.txt", VI_LE_LOI_NEW.as_bytes());
    let s4 = ingest_json(&data, &opts, &dir);
    let f4 = files_by_doc(&s4);
    assert_eq!(outcome(&f4, "vi_le_loi.txt"), "replaced");
    for g in good.iter().filter(|g| **g != "vi_le_loi.txt") {
        assert_eq!(outcome(&f4, g), "unchanged", "{g}");
    }
    assert_eq!(s4["replaced"], 1);
    check_ok(&data);
    let records = export(&data);
    check_export_spans(&records, file_of);
    let le_loi = sentences_of(&records, "vi_le_loi.txt");
    assert_eq!(le_loi.len(), 3, "{le_loi:#?}");
    for r in &le_loi {
        let clean = r["clean"].as_str().unwrap();
        assert!(
            VI_LE_LOI_NEW.contains(clean),
            "a sentence not from the new version: {clean:?}"
        );
    }
    let doc_rec = records
        .iter()
        .find(|r| r["kind"] == "document" && r["doc"] == "vi_le_loi.txt")
        .unwrap();
    assert_eq!(doc_rec["sha256"], sha256_hex(VI_LE_LOI_NEW.as_bytes()));
    assert_eq!(
        hits_in(&data, "Lam Sơn", "vi_le_loi.txt"),
        0,
        "the index still holds the old version"
    );
    assert!(
        hits_in(&data, "Bình Ngô", "vi_le_loi.txt") > 0,
        "the index lacks the new version"
    );

    // Changing the original of a duplicate: the old content lives on under the copy's name.
    write(&dir, "chronicle.txt", CHRONICLE_NEW.as_bytes());
    let s5 = ingest_json(&data, &opts, &dir);
    let f5 = files_by_doc(&s5);
    assert_eq!(outcome(&f5, "chronicle.txt"), "replaced");
    assert_eq!(outcome(&f5, "chronicle_copy.txt"), "added");
    let (docs5, _) = documents(&data);
    assert_eq!(docs5["chronicle.txt"]["aliases"], serde_json::json!([]));
    assert_eq!(
        docs5["chronicle.txt"]["sha256"],
        sha256_hex(CHRONICLE_NEW.as_bytes())
    );
    assert_eq!(
        docs5["chronicle_copy.txt"]["sha256"],
        sha256_hex(CHRONICLE_OLD.as_bytes())
    );
    check_ok(&data);
    check_export_spans(&export(&data), file_of);
    assert!(hits_in(&data, "Temple of Literature", "chronicle_copy.txt") > 0);
    assert_eq!(hits_in(&data, "Temple of Literature", "chronicle.txt"), 0);
    drop(restore);
}

/// `--max-bytes N`: a file of exactly N bytes is read, one of N + 1 bytes is rejected.
#[test]
fn max_bytes_is_inclusive() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    let mut text = EN_BACH_DANG.repeat(10).into_bytes();
    text.truncate(999);
    text.push(b'\n');
    write(&dir, "exactly_1000.txt", &text);
    text.insert(0, b' ');
    write(&dir, "over_1000.txt", &text);
    let s = ingest_json(&tmp.path().join("data"), &["--max-bytes", "1000"], &dir);
    let f = files_by_doc(&s);
    assert_eq!(outcome(&f, "exactly_1000.txt"), "added");
    assert_rejected(
        &f,
        &Bad {
            id: "over_1000.txt",
            words: &["too large", "1001", "1000"],
        },
    );
}

/// Without `--max-bytes` the limit is 256 MiB; a (sparse) file one byte over it is
/// rejected before it is read.
#[test]
fn default_size_limit_is_256_mib() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    write(&dir, "small.txt", EN_TAY_SON.as_bytes());
    let f = std::fs::File::create(dir.join("huge.txt")).unwrap();
    f.set_len(256 * 1024 * 1024 + 1).unwrap();
    drop(f);
    let s = ingest_json(&tmp.path().join("data"), &[], &dir);
    let files = files_by_doc(&s);
    assert_eq!(outcome(&files, "small.txt"), "added");
    assert_rejected(
        &files,
        &Bad {
            id: "huge.txt",
            words: &["too large", "268435457", "268435456"],
        },
    );
}

/// When every file is rejected the ingest exits 2, and still names each file and reason.
#[test]
fn all_rejected_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    write(&dir, "empty.txt", b"");
    write(&dir, "image.png", PNG);
    let missing = tmp.path().join("missing.txt");
    let data = tmp.path().join("data");
    let o = run(
        &data,
        &[
            "ingest",
            "--quiet",
            dir.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", common::describe(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    for (path, why) in [
        (dir.join("empty.txt"), "empty"),
        (dir.join("image.png"), "png"),
        (missing, "no such file"),
    ] {
        let p = path.display().to_string();
        assert!(
            out.lines()
                .any(|l| l.contains(&format!("{p}: ")) && l.to_lowercase().contains(why)),
            "no line names {p} with {why:?}:\n{out}"
        );
    }
    check_ok(&data);
}
