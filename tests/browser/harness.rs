//! What the server tests share (`tests/browser.rs`, `tests/server_api.rs`): a data folder
//! with the reference corpus ingested by the built binary, an `annals serve` child process
//! that is killed when its guard drops (also when a test panics), and a small HTTP/1.1
//! client over `std::net::TcpStream` that sends paths exactly as written (so that encoded
//! `..` and other hostile paths reach the server untouched).

#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The token the test servers are started with (16+ characters).
pub const TOKEN: &str = "test-token-0123456789abcdef";

/// The `annals` binary built for these tests.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_annals"));
    c.env_remove("ANNALS_DATA").env_remove("ANNALS_TOKEN");
    c
}

/// The reference corpus (`../shared/corpus`); the test fails when it is missing.
pub fn corpus_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        d.is_dir(),
        "the reference corpus must be at {} (shared/ beside the repository)",
        d.display()
    );
    d
}

/// Runs `annals --data DATA ingest --quiet EXTRA... PATH` and fails the test unless it
/// succeeds.
pub fn ingest(data: &Path, extra: &[&str], path: &Path) {
    let out = bin()
        .arg("--data")
        .arg(data)
        .args(["ingest", "--quiet"])
        .args(extra)
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("start annals ingest");
    assert!(
        out.status.success(),
        "annals ingest {} failed: {}\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A temporary folder holding `data/` with the reference corpus ingested.
pub fn corpus_data() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    ingest(&data, &[], &corpus_dir());
    (tmp, data)
}

/// Where the Python checkers from PyPI are installed: `.ci/run` installs them into
/// `target/tools/py`; `ANNALS_OPENAPI_PYTHONPATH` points elsewhere. `Some(folder)` when
/// `module` (as Python imports it) is there; `None` with a "SKIPPED:" line when it is not,
/// unless `ANNALS_OPENAPI_TESTS=required` (CI), where its absence fails the test.
pub fn python_tool(module: &str, package: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("ANNALS_OPENAPI_PYTHONPATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools/py"));
    if dir.join(module).is_dir() {
        return Some(dir);
    }
    let required = std::env::var("ANNALS_OPENAPI_TESTS").is_ok_and(|v| v == "required");
    assert!(
        !required,
        "ANNALS_OPENAPI_TESTS=required but {package} is not in {}: pip install --target {} {package}",
        dir.display(),
        dir.display()
    );
    eprintln!(
        "SKIPPED: {package} is not installed in {} (pip install --target {} {package})",
        dir.display(),
        dir.display()
    );
    None
}

/// A running `annals serve`; killed (and reaped) when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub token: String,
    log: PathBuf,
}

impl Server {
    /// Starts `annals --data DATA serve --addr 127.0.0.1:0 --token TOKEN EXTRA...` and waits
    /// until it answers `/api/status`. The address is read from the line it prints.
    pub fn start(data: &Path, extra: &[&str]) -> Server {
        static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // Beside the data folder; a PostgreSQL archive has none, so the temporary folder.
        let log = if data.to_str().is_some_and(annals::pg::is_url) {
            std::env::temp_dir().join(format!("annals-serve-{}-{n}.log", std::process::id()))
        } else {
            data.with_extension(format!("serve-{n}.log"))
        };
        let err = std::fs::File::create(&log).expect("server log file");
        let mut child = bin()
            .arg("--data")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0", "--token", TOKEN])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .expect("start annals serve");
        let stdout = child.stdout.take().expect("piped stdout");
        // The guard exists from here on, so a failure below still kills the child.
        let mut server = Server {
            child,
            addr: "127.0.0.1:1".parse().expect("placeholder"),
            token: TOKEN.to_string(),
            log,
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("http://").nth(1) {
                    let addr = rest.split('/').next().unwrap_or("").to_string();
                    let _ = tx.send(addr);
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(a) => a,
            Err(_) => panic!(
                "annals serve did not say where it listens within 120 s; exit: {:?}; log:\n{}",
                server.child.try_wait(),
                server.log()
            ),
        };
        server.addr = addr
            .parse()
            .unwrap_or_else(|e| panic!("bad address {addr:?} printed by annals serve: {e}"));
        let t0 = Instant::now();
        loop {
            if let Ok(r) = server.try_get("/api/status")
                && r.status == 200
            {
                break;
            }
            if let Ok(Some(st)) = server.child.try_wait() {
                panic!("annals serve exited ({st}); log:\n{}", server.log());
            }
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "annals serve does not answer /api/status; log:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// `http://ADDR`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Whether the server process has exited (and how).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// GET `path` (sent as written).
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], None)
    }

    fn try_get(&self, path: &str) -> std::io::Result<Response> {
        http(self.addr, "GET", path, &[], None)
    }

    /// One request; fails the test when the server does not answer.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        http(self.addr, method, path, headers, body).unwrap_or_else(|e| {
            panic!(
                "{method} {path}: no answer from the server ({e}); log:\n{}",
                self.log()
            )
        })
    }

    /// POST a JSON body.
    pub fn post_json(&self, path: &str, headers: &[(&str, &str)], body: &Value) -> Response {
        let mut h = vec![("Content-Type", "application/json")];
        h.extend_from_slice(headers);
        self.request("POST", path, &h, Some(body.to_string().as_bytes()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A child process killed (and reaped) when dropped.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; fails the test (showing the body) when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "expected a JSON body ({e}); status {}, content-type {:?}, body:\n{}",
                self.status,
                self.header("content-type"),
                short(&self.text(), 2000)
            )
        })
    }

    /// `error.reason` of a JSON error body; fails the test when there is none.
    pub fn reason(&self) -> String {
        let v = self.json();
        v["error"]["reason"]
            .as_str()
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| panic!("no error.reason in {v}"))
            .to_string()
    }

    /// A one-line description for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "{} {:?}: {}",
            self.status,
            self.header("content-type"),
            short(&self.text(), 600)
        )
    }
}

/// At most `n` bytes of `s` (on a character boundary).
pub fn short(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

/// Percent-encodes everything but unreserved characters (for ids in paths and queries).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One HTTP/1.1 request with `Connection: close`; the whole response is read.
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    s.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    // The address as Host, unless the caller names another (a test of the Host check).
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    if let Some(b) = body {
        // A server may answer (413, 401) and close before reading a large body: the answer
        // is what counts, so a failed write is not an error here.
        let _ = s.write_all(b);
    }
    // Read until the response is complete (by Content-Length or the last chunk) or the peer
    // closes: not every server closes after `Connection: close` (chromedriver does not).
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if complete(&raw) {
                    break;
                }
            }
            // A reset after the answer was sent (the server closed with our body unread).
            Err(e) if raw.is_empty() => return Err(e),
            Err(_) => break,
        }
    }
    parse_response(&raw)
}

/// Whether `raw` holds a whole response.
fn complete(raw: &[u8]) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let body = &raw[end + 4..];
    for line in head.split("\r\n") {
        if let Some(v) = line.strip_prefix("content-length:") {
            return v.trim().parse::<usize>().is_ok_and(|n| body.len() >= n);
        }
        if line.starts_with("transfer-encoding:") && line.contains("chunked") {
            return body.ends_with(b"0\r\n\r\n") && dechunk(body).is_some();
        }
    }
    false
}

fn parse_response(raw: &[u8]) -> std::io::Result<Response> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("headers not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(&b[..eol]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}
