//! The JSON API under property-based testing from its own description: schemathesis (PyPI)
//! reads `/openapi.json` of a live server on loopback, generates requests from it (valid ones
//! and invalid ones) and checks every answer against it, with all its checks: no server
//! error, only declared status codes, bodies, content types and headers as declared, valid
//! data accepted, invalid data rejected, writes refused without the token. It runs twice,
//! without the token and with it, on a small archive (two documents of the reference corpus),
//! with a fixed seed and a bounded number of examples, and must find nothing.
//!
//! `.ci/run` installs schemathesis into `target/tools/py`; elsewhere the test is skipped
//! with a "SKIPPED:" line, unless `ANNALS_OPENAPI_TESTS=required`. By hand, against any
//! server: `PYTHONPATH=target/tools/py python3 -m schemathesis.cli run
//! http://127.0.0.1:8080/openapi.json --checks all` (README).

#[path = "browser/harness.rs"]
mod harness;

use harness::{Server, TOKEN};
use std::process::Command;
use std::time::Instant;

/// Test cases per operation and phase: enough to reach every declared answer, few enough
/// that both runs take about a minute on two cores.
const MAX_EXAMPLES: &str = "40";
/// The seed, so that a run is reproduced exactly (`--seed`).
const SEED: &str = "20";

/// The two smallest documents of the reference corpus, ingested.
fn small_archive() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    for name in ["000_72782bffc1e52755.txt", "004_cd795ec2e604cef1.txt"] {
        harness::ingest(&data, &[], &harness::corpus_dir().join(name));
    }
    (tmp, data)
}

/// What one run found: schemathesis's own summary.
struct Run {
    ok: bool,
    output: String,
    seconds: f64,
}

impl Run {
    /// The summary's lines (operations, phases, failures, test cases), for the log.
    fn summary(&self) -> String {
        let from = self
            .output
            .rfind("SUMMARY")
            .map_or(0, |i| self.output[..i].rfind('\n').map_or(0, |n| n + 1));
        let tail = &self.output[from..];
        tail.lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The number after `label` in the summary ("Tested: 19", "1532 generated").
    fn count(&self, label: &str) -> Option<u64> {
        let s = self.summary();
        s.lines().find_map(|l| {
            let l = l.trim();
            if let Some(rest) = l.strip_prefix(label) {
                return rest
                    .trim()
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse()
                    .ok();
            }
            let (n, rest) = l.split_once(' ')?;
            rest.starts_with(label).then(|| n.parse().ok())?
        })
    }
}

/// `schemathesis run` against the server, with `headers`; its output and whether it passed.
fn schemathesis(pythonpath: &std::path::Path, s: &Server, headers: &[String]) -> Run {
    let work = tempfile::tempdir().expect("temp dir");
    let t0 = Instant::now();
    let mut cmd = Command::new("python3");
    cmd.current_dir(work.path())
        .env("PYTHONPATH", pythonpath)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .args(["-m", "schemathesis.cli", "run"])
        .arg(s.url("/openapi.json"))
        .args([
            "--checks",
            "all",
            "--max-examples",
            MAX_EXAMPLES,
            "--seed",
            SEED,
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--no-color",
        ]);
    for h in headers {
        cmd.args(["--header", h]);
    }
    let out = cmd.output().expect("python3 runs");
    Run {
        ok: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        seconds: t0.elapsed().as_secs_f64(),
    }
}

/// Every operation of `/openapi.json` holds under schemathesis's checks, without the token and
/// with it: 0 failures, 0 errors. Without the token no decision is recorded; with it some are
/// (the description's example decision, at least), so the writes were reached.
#[test]
fn the_api_holds_under_schemathesis() {
    let Some(pythonpath) = harness::python_tool("schemathesis", "schemathesis") else {
        return;
    };
    let (_tmp, data) = small_archive();
    let s = Server::start(&data, &[]);
    let operations = s.get("/openapi.json").json()["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|p| p.as_object().map_or(0, |m| m.len()))
        .sum::<usize>() as u64;
    let decisions = || s.get("/api/audit?limit=1").json()["total"].as_u64();
    let mut failed = Vec::new();
    for (what, headers, recorded) in [
        ("without the token", vec![], false),
        (
            "with the token",
            vec![format!("Authorization: Bearer {TOKEN}")],
            true,
        ),
    ] {
        let run = schemathesis(&pythonpath, &s, &headers);
        println!(
            "schemathesis {what} ({:.0} s, seed {SEED}, at most {MAX_EXAMPLES} examples per operation and phase):\n{}\n",
            run.seconds,
            run.summary()
        );
        let tested = run.count("Tested:");
        let generated = run.count("generated");
        if !run.ok || tested != Some(operations) || generated.is_none_or(|n| n == 0) {
            failed.push(format!(
                "schemathesis {what}: passed {}, tested {tested:?} of {operations} operations, {generated:?} test cases; its output:\n{}",
                run.ok,
                harness::short(&run.output, 40_000)
            ));
        }
        let n = decisions();
        if n.is_none_or(|n| (n > 0) != recorded) {
            failed.push(format!(
                "schemathesis {what}: the audit log holds {n:?} decisions"
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{}\nserver log:\n{}",
        failed.join("\n\n"),
        s.log()
    );
}
