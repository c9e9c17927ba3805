//! Hostile shapes of text through the `annals` binary (issue 20): one huge line, a huge
//! paragraph without punctuation, a million short lines (scaled down), deep HTML and
//! Markdown nesting, a huge table, invalid UTF-8 in the middle. At a size the default budgets
//! admit, each is ingested whole with exact spans (a long paragraph is cut into windows of
//! at most `MAX_BLOCK_BYTES`); over a small memory budget, each is rejected with the reason
//! while the batch goes on, and the process stays small. Full sizes (200 MB) are measured by
//! `annals bench --hostile`.

mod common;

use annals::bench::hostile::{SHAPES, wait_measured, write_shape};
use common::{bin, check_export_spans, check_ok, export, files_by_doc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

const GOOD: &str = "The Treaty of Friendship and Cooperation between Vietnam and the Soviet Union was signed in Moscow on 3 November 1978.\n";

fn file_name(shape: &str) -> String {
    let ext = match shape {
        "html-nesting" => "html",
        "markdown-nesting" => "md",
        _ => "txt",
    };
    format!("{shape}.{ext}")
}

/// `annals ingest` of `input` with `extra` options, as a child whose peak resident memory is
/// measured: the summary's files by document id, and the peak in MB.
fn ingest_measured(data: &Path, input: &Path, extra: &[&str]) -> (BTreeMap<String, Value>, f64) {
    let out = data.with_extension("summary.json");
    let child = bin()
        .arg("--data")
        .arg(data)
        .args(["ingest", "--quiet", "--output", "json"])
        .args(extra)
        .arg(input)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start annals");
    let (killed, peak_mb) = wait_measured(child, Duration::from_secs(600)).unwrap();
    assert!(!killed, "the ingest ran for ten minutes and was killed");
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap())
        .unwrap_or_else(|e| panic!("no JSON summary: {e}"));
    (files_by_doc(&summary), peak_mb)
}

#[test]
fn hostile_shapes_the_budget_admits_are_ingested_whole_with_exact_spans() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // 400 kB each: every long paragraph is cut into several windows.
    for (shape, _) in SHAPES {
        write_shape(shape, 400_000, &input.join(file_name(shape))).unwrap();
    }
    std::fs::write(input.join("good.txt"), GOOD).unwrap();
    let data = tmp.path().join("data");
    let (files, _) = ingest_measured(&data, &input, &[]);
    for (shape, _) in SHAPES {
        let f = &files[&file_name(shape)];
        assert_eq!(f["outcome"], "added", "{shape}: {f}");
        assert!(
            f["peak_memory"].as_u64().is_some_and(|b| b > 0),
            "{shape}: the analysis's peak memory is reported: {f}"
        );
    }
    assert_eq!(files["good.txt"]["outcome"], "added");
    check_ok(&data);
    let records = export(&data);
    // Spans are the files' exact bytes; the file with invalid bytes is read lossily, so its
    // spans are compared with the lossy reading of their bytes.
    let checked = check_export_spans(&records, |doc| {
        (doc != "invalid-utf8.txt")
            .then(|| std::fs::read(input.join(doc)).ok())
            .flatten()
    });
    assert!(checked > 1000, "only {checked} spans checked");
    let bytes = std::fs::read(input.join("invalid-utf8.txt")).unwrap();
    let mut lossy = 0;
    for r in records.iter().filter(|r| r["doc"] == "invalid-utf8.txt") {
        let (Some(s), Some(e)) = (r["start"].as_u64(), r["end"].as_u64()) else {
            continue;
        };
        let want = String::from_utf8_lossy(&bytes[s as usize..e as usize]);
        assert_eq!(r["text"].as_str(), Some(want.as_ref()), "{r}");
        lossy += 1;
    }
    assert!(lossy > 100, "only {lossy} spans of the invalid file");
    // A paragraph longer than a window is cut, and no unit after layout exceeds one.
    let max = annals::text::layout::MAX_BLOCK_BYTES as u64;
    for r in records.iter().filter(|r| r["kind"] == "document") {
        let doc = r["doc"].as_str().unwrap();
        if doc.starts_with("one-line") || doc.starts_with("paragraph-without") {
            assert!(
                r["paragraphs"].as_u64().unwrap() >= 400_000 / max,
                "{doc} was not cut into windows: {r}"
            );
        }
    }
    for r in records.iter().filter(|r| r["kind"] == "paragraph") {
        let len = r["end"].as_u64().unwrap() - r["start"].as_u64().unwrap();
        // Source bytes of a window: its clean text plus the line breaks it joined.
        assert!(
            len <= 2 * max,
            "a paragraph of {len} source bytes: {}",
            r["doc"]
        );
    }
}

#[test]
fn hostile_shapes_over_the_memory_budget_are_rejected_with_the_reason_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // 4 MB each against a budget of 8 MiB: reading alone would need more, so each is refused
    // before its copies are made.
    for (shape, _) in SHAPES {
        write_shape(shape, 4_000_000, &input.join(file_name(shape))).unwrap();
    }
    std::fs::write(input.join("good.txt"), GOOD).unwrap();
    let data = tmp.path().join("data");
    let (files, peak_mb) = ingest_measured(
        &data,
        &input,
        &["--max-memory-per-file", "8MiB", "--threads", "2"],
    );
    for (shape, _) in SHAPES {
        let f = &files[&file_name(shape)];
        assert_eq!(f["outcome"], "rejected", "{shape}: {f}");
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.contains("would need at least") && reason.contains("--max-memory-per-file"),
            "{shape}: {reason}"
        );
    }
    assert_eq!(files["good.txt"]["outcome"], "added");
    // Eight files of 4 MB, none analysed: the process never held one file's copies.
    assert!(peak_mb < 400.0, "peak resident memory {peak_mb:.0} MB");

    // A file that reading admits but analysis outgrows is stopped when it passes the budget,
    // not at its end.
    let one = tmp.path().join("one");
    std::fs::create_dir(&one).unwrap();
    write_shape("one-line", 2_000_000, &one.join("one-line.txt")).unwrap();
    std::fs::write(one.join("good.txt"), GOOD).unwrap();
    let (files, peak_mb) = ingest_measured(
        &tmp.path().join("data-one"),
        &one,
        &["--max-memory-per-file", "24MiB"],
    );
    let f = &files["one-line.txt"];
    assert_eq!(f["outcome"], "rejected", "{f}");
    let reason = f["reason"].as_str().unwrap();
    assert!(
        reason.contains("held more memory than the budget of 24 MiB"),
        "{reason}"
    );
    assert_eq!(files["good.txt"]["outcome"], "added");
    assert!(peak_mb < 400.0, "peak resident memory {peak_mb:.0} MB");
    check_ok(&tmp.path().join("data-one"));

    // Without a memory budget the same file is analysed whole.
    let (files, _) = ingest_measured(
        &tmp.path().join("data-whole"),
        &one,
        &["--max-memory-per-file", "0"],
    );
    assert_eq!(files["one-line.txt"]["outcome"], "added");
}

#[test]
fn a_memory_size_is_read_with_its_unit_and_a_bad_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("good.txt"), GOOD).unwrap();
    for bad in ["lots", "12XB", "-5MiB", "1e400"] {
        let opt = format!("--max-memory-per-file={bad}");
        let o = common::run(
            &tmp.path().join("d"),
            &["ingest", &opt, input.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", common::describe(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("--max-memory-per-file"),
            "{bad}: {}",
            common::describe(&o)
        );
    }
    for good in ["1GiB", "300M", "1048576000", "0.5g"] {
        let o = common::run(
            &tmp.path().join("d"),
            &[
                "ingest",
                "--quiet",
                "--max-memory-per-file",
                good,
                input.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{good}: {}", common::describe(&o));
    }
}
