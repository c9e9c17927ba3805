//! Running the external engines that read PDFs and scans (Poppler, Tesseract) in a child
//! process bounded in time, memory and output.
//!
//! Why child processes and not a library linked in: a PDF or an image is untrusted input, and
//! the parsers that read every real-world PDF well (Poppler, PDFium) are large C/C++ code
//! bases. In a child, a crash or a runaway allocation on one hostile file costs that file
//! (rejected with the reason) and never the batch, and the kernel enforces the memory limit
//! (`RLIMIT_AS`) and we the deadline (the child is killed). The engines install from the
//! distribution (`poppler-utils`, `tesseract-ocr`), which the README's set-up and `.ci/run` do.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Limits of one run of an external engine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time after which the child is killed.
    pub time: Duration,
    /// Address space of the child, in bytes (`RLIMIT_AS`).
    pub memory: u64,
    /// Largest standard output kept; more is an error.
    pub output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(120),
            memory: 3 << 30,
            output: 512 << 20,
        }
    }
}

/// Why an external engine gave no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ToolError {
    /// The program is not installed.
    #[error("{program} is not installed (Debian package {package}; see the README's set-up)")]
    Missing {
        program: String,
        package: &'static str,
    },
    /// It ran past its time limit and was killed.
    #[error("{program} ran past its limit of {seconds} s and was stopped")]
    Timeout { program: String, seconds: u64 },
    /// It exited with an error; its first line of complaint.
    #[error("{program} failed: {message}")]
    Failed { program: String, message: String },
    /// It wrote more than the output limit.
    #[error("{program} wrote more than {limit} bytes")]
    TooMuchOutput { program: String, limit: usize },
}

/// How many engines run at once in this process: one per core. Documents are analysed in
/// parallel and a document's pages are OCR'd in parallel; without this bound a batch of
/// scans on many cores would start cores² engines of a few hundred megabytes each.
static SLOTS: std::sync::LazyLock<(std::sync::Mutex<usize>, std::sync::Condvar)> =
    std::sync::LazyLock::new(|| {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        (std::sync::Mutex::new(n), std::sync::Condvar::new())
    });

/// Slots free now (tests).
#[cfg(test)]
fn free_slots() -> usize {
    *SLOTS.0.lock().unwrap_or_else(|e| e.into_inner())
}

/// A slot to run one engine in, given back on drop.
struct Slot;

impl Slot {
    /// Waits for a free slot, at most `wait`; None when none came free in time.
    fn take(wait: Duration) -> Option<Slot> {
        let (lock, freed) = &*SLOTS;
        let free = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (mut free, _) = freed
            .wait_timeout_while(free, wait, |n| *n == 0)
            .unwrap_or_else(|e| e.into_inner());
        if *free == 0 {
            return None;
        }
        *free -= 1;
        Some(Slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (lock, freed) = &*SLOTS;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        freed.notify_one();
    }
}

/// The Debian package of a program annals runs.
fn package_of(program: &str) -> &'static str {
    match program {
        "tesseract" => "tesseract-ocr",
        _ => "poppler-utils",
    }
}

/// Runs `program args…` (in `dir` when given) and returns its standard output.
///
/// Errors: [`ToolError::Missing`] when the program is not on the `PATH`, `Timeout` when it
/// runs past `limits.time` (it is killed), `Failed` with the first line of its standard error
/// when it exits with an error (or is killed by a signal, such as the memory limit's), and
/// `TooMuchOutput`.
pub fn run(
    program: &str,
    args: &[&std::ffi::OsStr],
    dir: Option<&Path>,
    limits: Limits,
) -> Result<Vec<u8>, ToolError> {
    let started = Instant::now();
    let Some(_slot) = Slot::take(limits.time) else {
        return Err(ToolError::Timeout {
            program: program.into(),
            seconds: limits.time.as_secs(),
        });
    };
    // The time spent waiting for a slot counts against the limit.
    let limits = Limits {
        time: limits.time.saturating_sub(started.elapsed()),
        ..limits
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("OMP_THREAD_LIMIT", "1");
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let memory = limits.memory;
    // SAFETY: the closure runs in the child between fork and exec and only calls
    // async-signal-safe setrlimit on a value computed before the fork.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: memory as libc::rlim_t,
                rlim_max: memory as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ToolError::Missing {
                program: program.into(),
                package: package_of(program),
            });
        }
        Err(e) => {
            return Err(ToolError::Failed {
                program: program.into(),
                message: e.to_string(),
            });
        }
    };
    let cap = limits.output;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let r = (&mut out).take(cap as u64 + 1).read_to_end(&mut buf);
        // Drain the rest so that the child is never blocked on a full pipe.
        let _ = std::io::copy(&mut out, &mut std::io::sink());
        r.map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut err).take(64 * 1024).read_to_end(&mut buf);
        let _ = std::io::copy(&mut err, &mut std::io::sink());
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() >= limits.time => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = out_reader.join();
                let _ = err_reader.join();
                return Err(ToolError::Timeout {
                    program: program.into(),
                    seconds: limits.time.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                return Err(ToolError::Failed {
                    program: program.into(),
                    message: e.to_string(),
                });
            }
        }
    };
    let stdout = out_reader
        .join()
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        let text = String::from_utf8_lossy(&stderr);
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(|l| crate::terminal::printable(l).into_owned())
            .unwrap_or_else(|| match status.code() {
                Some(c) => format!("exit status {c}"),
                None => "stopped by a signal (out of memory?)".to_string(),
            });
        return Err(ToolError::Failed {
            program: program.into(),
            message: first,
        });
    }
    if stdout.len() > cap {
        return Err(ToolError::TooMuchOutput {
            program: program.into(),
            limit: cap,
        });
    }
    Ok(stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_program_says_which_package_brings_it() {
        let e = run("annals-no-such-tool", &[], None, Limits::default()).unwrap_err();
        assert!(matches!(e, ToolError::Missing { .. }), "{e}");
    }

    #[test]
    fn a_program_past_its_time_is_stopped() {
        let limits = Limits {
            time: Duration::from_millis(200),
            ..Limits::default()
        };
        let t = Instant::now();
        let e = run("sleep", &["5".as_ref()], None, limits).unwrap_err();
        assert!(matches!(e, ToolError::Timeout { .. }), "{e}");
        assert!(t.elapsed() < Duration::from_secs(4));
    }

    #[test]
    fn many_runs_at_once_share_the_slots_and_give_them_back() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let handles: Vec<_> = (0..cores * 3)
            .map(|i| {
                std::thread::spawn(move || {
                    run(
                        "sh",
                        &["-c".as_ref(), format!("echo {i}").as_ref()],
                        None,
                        Limits::default(),
                    )
                })
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            assert_eq!(h.join().unwrap().unwrap(), format!("{i}\n").into_bytes());
        }
        // Every slot comes back (other tests of this process may hold one a moment).
        let t = Instant::now();
        while free_slots() != cores && t.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(free_slots(), cores);
    }

    #[test]
    fn a_failing_program_gives_its_complaint() {
        let e = run(
            "sh",
            &["-c".as_ref(), "echo 'bad thing' >&2; exit 3".as_ref()],
            None,
            Limits::default(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            ToolError::Failed {
                program: "sh".into(),
                message: "bad thing".into()
            }
        );
    }
}
