//! Hostile input at full size: each pathological shape of text (one huge line, a huge
//! paragraph without punctuation, a million short lines, deep nesting in HTML and Markdown, a
//! huge table, invalid UTF-8 in the middle of a large file) is written to a folder of its own
//! and ingested by the `annals` binary as a child process, with the default budgets, and
//! measured: wall time, the child's peak resident memory (its `maxrss`, from `wait4`), the
//! outcome and its reason, and the most memory the analysis held by its own count.
//!
//! The acceptance it answers: a file of this kind ingests or is rejected with a reason, in
//! minutes and well under a gigabyte on two cores, and the batch goes on (each case also
//! holds a small good file, which must be added).

use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// One shape, ingested.
#[derive(Debug, Clone, Serialize)]
pub struct HostileCase {
    pub shape: &'static str,
    pub bytes: u64,
    /// `added`, `rejected`, … as the ingest summary says; `timed out` when it was killed.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub seconds: f64,
    /// The ingest process's peak resident memory, in MB.
    pub peak_rss_mb: f64,
    /// The most memory the file's analysis held by its own count, in MB (when it was
    /// analysed whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis_peak_mb: Option<f64>,
    /// Whether the small good file beside it was added (the batch went on).
    pub batch_went_on: bool,
}

/// The shapes, by name: what each file holds.
pub const SHAPES: &[(&str, &str)] = &[
    (
        "one-line",
        "sentences in three languages with dates and figures, no line break",
    ),
    ("one-word", "one letter repeated, no space, no line break"),
    (
        "paragraph-without-punctuation",
        "lower-case words, wrapped lines, no sentence end, no blank line",
    ),
    ("short-lines", "one short word per line"),
    ("html-nesting", "<div> nested to the depth the size allows"),
    (
        "markdown-nesting",
        "quote markers, list markers, emphasis and brackets nested",
    ),
    (
        "table",
        "tab-separated rows of a year and six figures, no caption",
    ),
    (
        "invalid-utf8",
        "the one-line text with invalid bytes in the middle",
    ),
];

/// Words of the generated text (test data, in three languages).
const WORDS: &[&str] = &[
    "the",
    "soviet",
    "union",
    "signed",
    "a",
    "treaty",
    "of",
    "friendship",
    "with",
    "vietnam",
    "in",
    "1978",
    "and",
    "trade",
    "grew",
    "to",
    "million",
    "rubles",
    "while",
    "students",
    "went",
    "moscow",
    "hà",
    "nội",
    "liên",
    "xô",
    "hiệp",
    "ước",
    "năm",
    "договор",
    "о",
    "дружбе",
    "года",
    "москва",
];

/// A small deterministic generator (xorshift), so every run writes the same files.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

/// Writes the shape `shape` of about `bytes` bytes to `path`, streaming (the generator holds
/// no copy of the file).
pub fn write_shape(shape: &str, bytes: u64, path: &Path) -> Result<()> {
    let f = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = Out {
        w: BufWriter::with_capacity(1 << 20, f),
        n: 0,
    };
    let mut rng = Rng(0x5EED_0BAD_F11E);
    match shape {
        "one-line" | "invalid-utf8" => {
            let mut middle = shape == "invalid-utf8";
            while out.n < bytes {
                let len = 8 + rng.below(12);
                let mut s = String::with_capacity(160);
                for k in 0..len {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(rng.word());
                }
                s.push_str(". ");
                out.put(&s)?;
                if middle && out.n >= bytes / 2 {
                    out.w.write_all(b"\xff\xfe\x80 ")?;
                    middle = false;
                }
            }
        }
        "one-word" => {
            let chunk = "a".repeat(1 << 16);
            while out.n < bytes {
                out.put(&chunk)?;
            }
        }
        "paragraph-without-punctuation" => {
            while out.n < bytes {
                let mut s = String::with_capacity(120);
                for k in 0..12 {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(rng.word());
                }
                s.push('\n');
                out.put(&s)?;
            }
        }
        "short-lines" => {
            while out.n < bytes {
                let s = format!("{}\n", rng.word());
                out.put(&s)?;
            }
        }
        "html-nesting" => {
            let depth = (bytes / 11).max(1);
            out.put("<!DOCTYPE html><html><body>")?;
            for _ in 0..depth {
                out.put("<div>")?;
            }
            out.put("The treaty was signed on 3 November 1978.")?;
            for _ in 0..depth {
                out.put("</div>")?;
            }
            out.put("</body></html>\n")?;
        }
        "markdown-nesting" => {
            let depth = (bytes / 8).max(1);
            for (open, close) in [("> ", "\n"), ("- ", "\n"), ("*", ""), ("[", "\n")] {
                for _ in 0..depth {
                    out.put(open)?;
                }
                out.put("The treaty was signed on 3 November 1978.")?;
                for _ in 0..depth {
                    out.put(close)?;
                    if close.is_empty() {
                        out.put("*")?;
                    }
                }
                out.put("\n\n")?;
            }
        }
        "table" => {
            while out.n < bytes {
                let mut s = format!("{}", 1950 + rng.below(41));
                for _ in 0..6 {
                    s.push('\t');
                    s.push_str(&(1 + rng.below(99_999)).to_string());
                }
                s.push('\n');
                out.put(&s)?;
            }
        }
        other => bail!("no hostile shape named {other:?}"),
    }
    out.w.flush()?;
    Ok(())
}

/// A file being written, and its size so far.
struct Out {
    w: BufWriter<std::fs::File>,
    n: u64,
}

impl Out {
    fn put(&mut self, s: &str) -> Result<()> {
        self.w.write_all(s.as_bytes())?;
        self.n += s.len() as u64;
        Ok(())
    }
}

/// A small good file beside each hostile one: the batch must go on and add it.
const GOOD: &str = "The Treaty of Friendship and Cooperation between Vietnam and the Soviet Union was signed in Moscow on 3 November 1978.\n";

/// Writes every shape at `mb` megabytes under `work` and ingests each, with the binary `exe`,
/// on two threads with the default budgets; a case running past `limit` is killed and
/// reported as timed out.
pub fn run(exe: &Path, work: &Path, mb: u64, limit: Duration) -> Result<Vec<HostileCase>> {
    let mut out = Vec::new();
    for (shape, _) in SHAPES {
        let dir = work.join(format!("hostile-{shape}"));
        let _ = std::fs::remove_dir_all(&dir);
        let input = dir.join("in");
        std::fs::create_dir_all(&input)?;
        let ext = match *shape {
            "html-nesting" => "html",
            "markdown-nesting" => "md",
            _ => "txt",
        };
        let file = input.join(format!("{shape}.{ext}"));
        write_shape(shape, mb * 1_000_000, &file)?;
        std::fs::write(input.join("good.txt"), GOOD)?;
        let bytes = std::fs::metadata(&file)?.len();
        let case = ingest_child(exe, &dir, shape, bytes, limit);
        // The files are large: keep the disk free for the next case.
        let _ = std::fs::remove_dir_all(&dir);
        out.push(case?);
    }
    Ok(out)
}

/// Runs `annals ingest` on `dir/in` into `dir/data` as a child process and reads its summary.
fn ingest_child(
    exe: &Path,
    dir: &Path,
    shape: &'static str,
    bytes: u64,
    limit: Duration,
) -> Result<HostileCase> {
    let summary_path = dir.join("summary.json");
    let stdout = std::fs::File::create(&summary_path)?;
    let t = Instant::now();
    let child = std::process::Command::new(exe)
        .arg("--data")
        .arg(dir.join("data"))
        .args(["ingest", "--quiet", "--output", "json", "--threads", "2"])
        .arg(dir.join("in"))
        .stdout(stdout)
        .stderr(std::process::Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    let (timed_out, peak_rss_mb) = wait_measured(child, limit)?;
    let seconds = t.elapsed().as_secs_f64();
    let mut case = HostileCase {
        shape,
        bytes,
        outcome: "timed out".into(),
        reason: None,
        seconds,
        peak_rss_mb,
        analysis_peak_mb: None,
        batch_went_on: false,
    };
    if timed_out {
        return Ok(case);
    }
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&summary_path)?)
        .with_context(|| format!("the ingest summary of {shape}"))?;
    for f in summary["files"].as_array().into_iter().flatten() {
        let doc = f["doc"].as_str().unwrap_or_default();
        if doc == "good.txt" {
            case.batch_went_on = f["outcome"] == "added";
        } else {
            case.outcome = f["outcome"].as_str().unwrap_or("unknown").to_string();
            case.reason = f["reason"].as_str().map(str::to_string);
            case.analysis_peak_mb = f["peak_memory"].as_f64().map(|b| b / 1e6);
        }
    }
    Ok(case)
}

/// Waits for `child` (killing it after `limit`), and gives whether it was killed and its peak
/// resident memory in MB, from the kernel's account of that child alone (`wait4`).
pub fn wait_measured(child: std::process::Child, limit: Duration) -> Result<(bool, f64)> {
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + limit;
    let mut killed = false;
    loop {
        let mut status = 0;
        // SAFETY: `rusage` is plain data the call fills; `pid` is our own child, which
        // `std::process::Child` never waits for once dropped.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            // ru_maxrss is in kilobytes on Linux.
            return Ok((killed, usage.ru_maxrss as f64 * 1024.0 / 1e6));
        }
        if r < 0 {
            bail!(
                "waiting for the ingest: {}",
                std::io::Error::last_os_error()
            );
        }
        if !killed && Instant::now() >= deadline {
            // SAFETY: signalling our own child, not yet reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The cases as a table.
pub fn to_text(cases: &[HostileCase]) -> String {
    let mut s = String::from(
        "hostile input (annals ingest, 2 threads, default budgets):\n  shape                          size      outcome    time    peak RSS  analysis peak  batch\n",
    );
    for c in cases {
        s += &format!(
            "  {:<30} {:>7.1} MB {:<9} {:>6.2} s {:>7.0} MB {:>11}  {}\n",
            c.shape,
            c.bytes as f64 / 1e6,
            c.outcome,
            c.seconds,
            c.peak_rss_mb,
            c.analysis_peak_mb
                .map_or("-".to_string(), |m| format!("{m:.0} MB")),
            if c.batch_went_on {
                "went on"
            } else {
                "STOPPED"
            }
        );
        if let Some(r) = &c.reason {
            s += &format!("      {r}\n");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_writes_about_its_size_and_the_same_bytes_each_time() {
        let dir = tempfile::tempdir().unwrap();
        for (shape, _) in SHAPES {
            let a = dir.path().join(format!("{shape}-a"));
            let b = dir.path().join(format!("{shape}-b"));
            write_shape(shape, 100_000, &a).unwrap();
            write_shape(shape, 100_000, &b).unwrap();
            let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
            assert_eq!(x, y, "{shape} is not deterministic");
            assert!(
                (100_000..140_000).contains(&x.len()),
                "{shape}: {} bytes",
                x.len()
            );
            let valid = std::str::from_utf8(&x).is_ok();
            assert_eq!(valid, *shape != "invalid-utf8", "{shape}");
        }
        assert!(write_shape("nothing", 10, &dir.path().join("x")).is_err());
    }
}
