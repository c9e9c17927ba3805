//! The workbench end to end in headless Chromium, driven through chromedriver (WebDriver,
//! `fantoccini`): every page on the reference corpus shows real content, search folds
//! diacritics, the 1978 treaty shows statements in two languages, a series chart draws its
//! points, a fact is confirmed and rejected through the curation form (and the audit page
//! lists both), and source text holding `<script>` and `onerror=` is shown as text and never
//! runs. A screenshot of every page is written to `target/browser-artifacts/`.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian: `apt-get install chromium
//! chromium-driver`; `ANNALS_CHROMIUM` / `ANNALS_CHROMEDRIVER` point elsewhere). Without
//! them the test is skipped with a loud message, unless `ANNALS_BROWSER_TESTS=required`
//! (CI sets it in `.ci/run`), where it fails.

#[path = "browser/harness.rs"]
mod harness;

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::{Client, ClientBuilder, Locator};
use harness::{ChildGuard, Server, TOKEN, corpus_data, enc};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;
/// Screenshots are taken of the whole page up to this height.
const MAX_SHOT_HEIGHT: u32 = 5000;
const QUESTION: &str = "When did Vietnam join the CMEA?";

/// A plain-text source whose text holds markup: it must be shown, never run.
const XSS_TEXT: &str = "Zebrafinch probe. The zebrafinch note reads <script>window.__pwned=1</script> and then <img src=x onerror=\"window.__pwned=2\"> in the margin, which the reader must show as text.\n\nA second paragraph mentions Liên Xô and the zebrafinch again, with <b>bold</b> and <iframe src=\"javascript:window.__pwned=3\"></iframe> as text.\n";

/// An HTML source: escaped markup becomes text that holds `<script>`; its real script is
/// dropped by ingest, and the reader shows the original bytes as text.
const XSS_HTML: &str = "<!doctype html><html><head><title>Kingfisher probe</title><script>window.__pwned=5</script></head><body><p>Kingfisher probe: the letter quotes &lt;script&gt;window.__pwned=4&lt;/script&gt; and &lt;img src=x onerror=&quot;window.__pwned=6&quot;&gt; verbatim.</p><p onclick=\"window.__pwned=7\">A second kingfisher paragraph.</p></body></html>\n";

fn tool(env: &str, default: &str) -> PathBuf {
    std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// Chromium and chromedriver, or None (skipped loudly) when missing and not required.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let chromium = tool("ANNALS_CHROMIUM", "/usr/bin/chromium");
    let driver = tool("ANNALS_CHROMEDRIVER", "/usr/bin/chromedriver");
    let missing: Vec<String> = [&chromium, &driver]
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Some((chromium, driver));
    }
    let required = std::env::var("ANNALS_BROWSER_TESTS").is_ok_and(|v| v == "required");
    if required {
        panic!(
            "ANNALS_BROWSER_TESTS=required but {} missing: apt-get install -y chromium chromium-driver (or set ANNALS_CHROMIUM / ANNALS_CHROMEDRIVER)",
            missing.join(" and ")
        );
    }
    let bar = "!".repeat(78);
    // Straight to the process's stderr: the test harness captures eprintln! of a passing
    // test, and this must be seen.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!! SKIPPED tests/browser.rs: {} not found.\n!! The workbench pages were NOT tested in a browser.\n!! Install them (Debian: apt-get install -y chromium chromium-driver) or set\n!! ANNALS_CHROMIUM / ANNALS_CHROMEDRIVER; CI sets ANNALS_BROWSER_TESTS=required.\n{bar}\n",
        missing.join(" and ")
    );
    None
}

/// A free local port (bound and released: chromedriver takes a port number).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts chromedriver and waits until it answers `/status`.
fn start_chromedriver(driver: &Path, log: &Path) -> (ChildGuard, u16) {
    for _attempt in 0..3 {
        let port = free_port();
        let log_file = std::fs::File::create(log).expect("chromedriver log");
        let mut child = ChildGuard(
            Command::new(driver)
                .arg(format!("--port={port}"))
                .args(std::env::var_os("ANNALS_BROWSER_VERBOSE").map(|_| "--verbose"))
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().expect("log"))
                .stderr(log_file)
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", driver.display())),
        );
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(30) {
            if let Ok(r) = harness::http(addr, "GET", "/status", &[], None)
                && r.status == 200
            {
                return (child, port);
            }
            if let Ok(Some(_)) = child.0.try_wait() {
                break; // the port was taken meanwhile: try another
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    panic!(
        "chromedriver did not start; its log:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// What every step shares.
struct Ctx {
    c: Client,
    server: Arc<Server>,
    artifacts: PathBuf,
    shots: Mutex<Vec<PathBuf>>,
}

impl Ctx {
    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// GET an API path (blocking client, off the async workers).
    fn api(&self, path: &str) -> Result<Value> {
        let r = tokio::task::block_in_place(|| self.server.get(path));
        ensure!(r.status == 200, "GET {path}: {}", r.describe());
        serde_json::from_slice(&r.body).with_context(|| format!("GET {path}: not JSON"))
    }

    /// Opens `path` and waits for `main#main`; fails on an error page.
    async fn open(&self, path: &str) -> Result<()> {
        self.c
            .goto(&self.url(path))
            .await
            .with_context(|| format!("goto {path}"))?;
        self.wait_for("main#main")
            .await
            .with_context(|| format!("{path}: no main#main"))?;
        if let Ok(e) = self.c.find(Locator::Css("body.page-error")).await {
            bail!(
                "{path} is an error page: {}",
                e.text().await.unwrap_or_default()
            );
        }
        Ok(())
    }

    async fn wait_for(&self, css: &str) -> Result<fantoccini::elements::Element> {
        self.c
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    async fn all(&self, css: &str) -> Result<Vec<fantoccini::elements::Element>> {
        Ok(self.c.find_all(Locator::Css(css)).await?)
    }

    async fn count(&self, css: &str) -> Result<usize> {
        Ok(self.all(css).await?.len())
    }

    /// The rendered text of the first element matching `css` (found again when the page
    /// was replaced between finding it and reading it: a reload after a decision).
    async fn text(&self, css: &str) -> Result<String> {
        let mut tries = 0;
        loop {
            let e = self
                .c
                .find(Locator::Css(css))
                .await
                .with_context(|| format!("no {css}"))?;
            match e.text().await {
                Ok(t) => return Ok(t),
                Err(err) if tries < 5 && err.to_string().contains("stale element") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }

    async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.c.execute(script, vec![]).await?)
    }

    /// Writes a screenshot of the whole page (up to MAX_SHOT_HEIGHT) to the artifacts.
    async fn shot(&self, name: &str) -> Result<()> {
        let h = self
            .js("return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);")
            .await?
            .as_u64()
            .unwrap_or(HEIGHT as u64) as u32;
        self.c
            .set_window_size(WIDTH, h.clamp(HEIGHT, MAX_SHOT_HEIGHT) + 140)
            .await?;
        let png = self.c.screenshot().await?;
        self.c.set_window_size(WIDTH, HEIGHT).await?;
        let path = self.artifacts.join(format!("{name}.png"));
        std::fs::write(&path, png).with_context(|| format!("write {}", path.display()))?;
        println!("screenshot: {}", path.display());
        self.shots.lock().expect("shots").push(path);
        Ok(())
    }

    /// No inline script anywhere, nothing ran from the sources, no element made from their
    /// markup.
    async fn assert_inert(&self, where_: &str) -> Result<()> {
        let pwned = self.js("return typeof window.__pwned;").await?;
        ensure!(
            pwned == json!("undefined"),
            "{where_}: window.__pwned is {pwned}: markup from a source ran"
        );
        let inline = self
            .js("return Array.from(document.querySelectorAll('script')).filter(s => !s.src || /pwned/.test(s.textContent)).length;")
            .await?;
        ensure!(
            inline == json!(0),
            "{where_}: {inline} inline <script> elements"
        );
        let made = self
            .js("return document.querySelectorAll('img[src=\"x\"], iframe, [onerror], [onclick]').length + Array.from(document.querySelectorAll('b')).filter(b => b.textContent === 'bold').length;")
            .await?;
        ensure!(
            made == json!(0),
            "{where_}: {made} elements made from the source's markup (img src=x, iframe, onerror, onclick, <b>bold</b>)"
        );
        Ok(())
    }
}

/// Whitespace collapsed (pages may join the sources' broken lines).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `n` words of `s`.
fn words(s: &str, n: usize) -> String {
    s.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn workbench_in_headless_chromium() {
    let Some((chromium, driver)) = browser_tools() else {
        return;
    };
    let artifacts = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("browser-artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts dir");
    for e in std::fs::read_dir(&artifacts)
        .expect("artifacts dir")
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "png") {
            let _ = std::fs::remove_file(e.path());
        }
    }

    // The reference corpus, and two hostile sources of our own.
    let t0 = Instant::now();
    let (tmp, data) = corpus_data();
    let extra = tmp.path().join("extra");
    std::fs::create_dir_all(&extra).expect("extra dir");
    std::fs::write(extra.join("xss-probe.txt"), XSS_TEXT).expect("write probe");
    harness::ingest(&data, &["--format", "plain"], &extra.join("xss-probe.txt"));
    std::fs::write(extra.join("xss-probe.html"), XSS_HTML).expect("write probe");
    harness::ingest(&data, &[], &extra.join("xss-probe.html"));

    println!("ingested ({:.1} s)", t0.elapsed().as_secs_f64());
    let server = Arc::new(Server::start(&data, &[]));
    println!(
        "serving at {} ({:.1} s)",
        server.url("/"),
        t0.elapsed().as_secs_f64()
    );
    let driver_log = artifacts.join("chromedriver.log");
    let (_driver, port) = start_chromedriver(&driver, &driver_log);
    println!("chromedriver ({:.1} s)", t0.elapsed().as_secs_f64());
    let profile = tmp.path().join("chromium-profile");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium.to_str().expect("UTF-8 path"),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", profile.display()),
                format!("--window-size={WIDTH},{HEIGHT}"),
                "--lang=en-US", "--hide-scrollbars", "--force-color-profile=srgb",
            ],
        }),
    );
    let client = ClientBuilder::rustls()
        .expect("rustls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "no WebDriver session ({e}); chromedriver log:\n{}",
                std::fs::read_to_string(&driver_log).unwrap_or_default()
            )
        });
    println!("browser session ({:.1} s)", t0.elapsed().as_secs_f64());
    let ctx = Arc::new(Ctx {
        c: client.clone(),
        server: server.clone(),
        artifacts,
        shots: Mutex::new(Vec::new()),
    });

    // Each step runs on its own task, so one failing (or panicking) step does not hide the
    // others; all failures are reported at the end.
    type Step =
        fn(Arc<Ctx>) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + Send>>;
    let steps: Vec<(&str, Step)> = vec![
        ("every page shows real content", |c| Box::pin(pages(c))),
        ("search 'lien xo' finds 'Liên Xô'", |c| {
            Box::pin(search(c))
        }),
        (
            "search knows other names and translations; facets narrow",
            |c| Box::pin(search_other_names(c)),
        ),
        ("the 1978 treaty in two languages", |c| Box::pin(treaty(c))),
        ("a series chart draws its points", |c| {
            Box::pin(series_chart(c))
        }),
        ("markup in sources is text", |c| Box::pin(markup_is_text(c))),
        ("confirm and reject a fact; audit lists them", |c| {
            Box::pin(curation(c))
        }),
        ("exports from list pages, named by their filters", |c| {
            Box::pin(exports(c))
        }),
        (
            "the reader: repaired text, contents, layers asked for, keyboard",
            |c| Box::pin(reader_layout(c)),
        ),
        ("the interface in Vietnamese and Russian", |c| {
            Box::pin(interface_languages(c))
        }),
        (
            "no English interface words in a Russian or Vietnamese page",
            |c| Box::pin(interface_words(c)),
        ),
        ("sources named as they state themselves", |c| {
            Box::pin(sources_cited(c))
        }),
        ("timeline points first, spans folded, quoted", |c| {
            Box::pin(timeline_points(c))
        }),
        ("axe-core: no WCAG 2.1 AA violations", |c| {
            Box::pin(accessibility(c))
        }),
        ("a 360 px phone: no page wider than the screen", |c| {
            Box::pin(phone(c))
        }),
    ];
    let mut failures = Vec::new();
    for (name, step) in steps {
        let t0 = Instant::now();
        let task = tokio::spawn(tokio::time::timeout(
            Duration::from_secs(240),
            step(ctx.clone()),
        ));
        let outcome = match task.await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(format!("{e:#}")),
            Ok(Err(_)) => Err("timed out after 240 s".to_string()),
            Err(e) => Err(format!("panicked: {e}")),
        };
        let secs = t0.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => println!("ok      {name} ({secs:.1} s)"),
            Err(e) => {
                println!("FAILED  {name} ({secs:.1} s): {e}");
                let shot = format!("failed-{}", failures.len() + 1);
                let _ = ctx.shot(&shot).await;
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    let _ = client.close().await;
    println!(
        "screenshots ({}): {}",
        ctx.shots.lock().expect("shots").len(),
        ctx.artifacts.display()
    );
    let log = server.log();
    assert!(
        failures.is_empty(),
        "{} browser check(s) failed:\n- {}\nserver log:\n{}",
        failures.len(),
        failures.join("\n- "),
        harness::short(&log, 4000)
    );
}

/// The treaty of 3 November 1978 (en and vi statements), from the API.
fn treaty_event(ctx: &Ctx) -> Result<Value> {
    let v = ctx.api("/api/timeline?type=treaty&from=1978-11&to=1978-11&limit=50")?;
    v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| {
            e["date_start"]
                .as_str()
                .is_some_and(|d| d.starts_with("1978-11"))
                && e["languages"]
                    .as_array()
                    .is_some_and(|l| l.contains(&json!("en")) && l.contains(&json!("vi")))
        })
        .cloned()
        .ok_or_else(|| anyhow!("no 1978-11 treaty with en and vi statements in {v:.500}"))
}

/// Each page on the reference corpus, with a check that it shows what it is for.
async fn pages(ctx: Arc<Ctx>) -> Result<()> {
    let mut problems = Vec::new();
    let docs = ctx.api("/api/documents?limit=50")?;
    let doc_ids: Vec<String> = docs["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect();
    let english = doc_ids
        .iter()
        .find(|d| d.starts_with("000_"))
        .cloned()
        .ok_or_else(|| anyhow!("no 000_ document in {doc_ids:?}"))?;
    let event = treaty_event(&ctx)?;
    let event_id = event["id"].as_str().unwrap_or_default().to_string();
    let ussr = ctx.api("/api/entities?q=lien+xo&limit=5")?;
    let ussr = ussr["items"][0].clone();
    let ussr_id = ussr["entity_id"].as_str().unwrap_or_default().to_string();
    let series = ctx.api("/api/series")?;
    let longest = series
        .as_array()
        .into_iter()
        .flatten()
        .max_by_key(|s| s["points"].as_array().map_or(0, Vec::len))
        .cloned()
        .ok_or_else(|| anyhow!("no series"))?;
    let series_key = longest["key"].as_str().unwrap_or_default().to_string();
    let conflicts = ctx.api("/api/conflicts")?;
    let n_conflicts = conflicts.as_array().map_or(0, Vec::len);
    let source = tokio::task::block_in_place(|| {
        ctx.server
            .get(&format!("/api/documents/{}/text", enc(&english)))
    })
    .text();
    // A line of the source of some length, from the middle: the reader must show it.
    let line = source
        .lines()
        .skip(source.lines().count() / 2)
        .find(|l| l.split_whitespace().count() >= 8)
        .map(|l| words(l, 6))
        .unwrap_or_default();

    let pages: Vec<(&str, String, &str)> = vec![
        ("01-home", "/".into(), "page-home"),
        ("02-search", "/search?q=lien+xo".into(), "page-search"),
        ("03-timeline", "/timeline".into(), "page-timeline"),
        (
            "04-event",
            format!("/events/{}", enc(&event_id)),
            "page-event",
        ),
        ("05-entities", "/entities".into(), "page-entities"),
        (
            "06-entity",
            format!("/entities/{}", enc(&ussr_id)),
            "page-entity",
        ),
        ("07-series-list", "/series".into(), "page-series-list"),
        (
            "08-series",
            format!("/series/{}", enc(&series_key)),
            "page-series",
        ),
        ("09-documents", "/documents".into(), "page-documents"),
        (
            "10-reader",
            format!("/documents/{}", enc(&english)),
            "page-document",
        ),
        ("11-conflicts", "/conflicts".into(), "page-conflicts"),
        ("12-ask", format!("/ask?q={}", enc(QUESTION)), "page-ask"),
        ("13-audit", "/audit".into(), "page-audit"),
    ];
    for (name, path, class) in pages {
        let r: Result<()> = async {
            ctx.open(&path).await?;
            let body_class = ctx
                .c
                .find(Locator::Css("body"))
                .await?
                .attr("class")
                .await?
                .unwrap_or_default();
            ensure!(
                body_class.split_whitespace().any(|c| c == class),
                "body class is {body_class:?}, not {class}"
            );
            let title = ctx.c.title().await?;
            ensure!(!title.trim().is_empty(), "no <title>");
            ensure!(
                ctx.count("nav.site-nav a[data-nav]").await? >= 8,
                "the site navigation is missing"
            );
            ctx.assert_inert(&path).await?;
            let main = ctx.text("main#main").await?;
            ensure!(main.len() > 80, "main#main shows only {main:?}");
            match name {
                "01-home" => {
                    let n = ctx
                        .c
                        .find(Locator::Css("#status"))
                        .await?
                        .attr("data-documents")
                        .await?
                        .unwrap_or_default();
                    ensure!(
                        n.parse::<usize>().is_ok_and(|n| n >= 5),
                        "#status[data-documents] is {n:?}"
                    );
                    ctx.wait_for("#search-form #q").await?;
                    ctx.wait_for("#ask-form #ask-q").await?;
                }
                "02-search" => {
                    let hits = ctx.count(".hit").await?;
                    ensure!(hits >= 5, "{hits} hits for lien xo");
                    ensure!(ctx.count(".hit mark").await? > 0, "no highlighted match");
                    ensure!(
                        ctx.count(".hit a.evidence-link").await? > 0,
                        "hits do not link to their source"
                    );
                    ensure!(
                        ctx.count(".hit .lang-badge").await? > 0,
                        "hits do not show their language"
                    );
                }
                "03-timeline" => {
                    let n = ctx.count(".event").await?;
                    ensure!(n >= 10, "{n} events on the timeline");
                    ensure!(
                        ctx.count("svg#timeline-chart, #timeline-chart svg").await? == 1,
                        "no timeline chart"
                    );
                    ensure!(ctx.count("#timeline-chart .bin").await? > 0, "no bars");
                    let date = ctx.text(".event .event-date").await?;
                    ensure!(
                        date.chars().any(|c| c.is_ascii_digit()),
                        "the first event has no date: {date:?}"
                    );
                }
                "04-event" => {
                    let n = ctx.count(".statement").await?;
                    ensure!(n >= 2, "{n} statements");
                    let date = ctx.text("#event .event-date, .event-date").await?;
                    ensure!(date.contains("1978"), "event date {date:?}");
                    ensure!(ctx.count("#curation-form").await? == 1, "no curation form");
                }
                "05-entities" => {
                    let n = ctx.count(".entity-row").await?;
                    ensure!(n >= 10, "{n} entities");
                    ensure!(main.contains("Soviet Union"), "no Soviet Union in the list");
                }
                "06-entity" => {
                    let labels = ctx.text("#labels").await?;
                    for lang in ["en", "vi", "ru"] {
                        let want = &ussr["labels"][lang];
                        let want = want
                            .as_str()
                            .or_else(|| want[0].as_str())
                            .unwrap_or_default();
                        ensure!(
                            want.is_empty() || labels.contains(want),
                            "#labels {labels:?} lacks the {lang} label {want:?}"
                        );
                    }
                    ensure!(
                        ctx.count("#mentions .doc-mentions").await? >= 2,
                        "mentions in fewer than 2 documents"
                    );
                    ensure!(ctx.count("#co-occurring").await? == 1, "no co-occurring");
                }
                "07-series-list" => {
                    let n = ctx.count(".series-row").await?;
                    ensure!(n >= 5, "{n} series");
                }
                "08-series" => {
                    ensure!(
                        ctx.count("#series-chart .point").await? >= 3,
                        "chart without points"
                    );
                    ensure!(ctx.count(".point-row").await? >= 3, "no point table");
                }
                "09-documents" => {
                    let n = ctx.count(".document-row").await?;
                    ensure!(n >= 5, "{n} document rows");
                    ensure!(main.contains(&english), "{english} not listed");
                }
                "10-reader" => {
                    let text = squash(&ctx.text("#source-text").await?);
                    ensure!(
                        !line.is_empty() && text.contains(&squash(&line)),
                        "the reader does not show the source line {line:?}"
                    );
                    let facts = ctx.count("#source-text .fact").await?;
                    ensure!(facts >= 10, "{facts} facts marked");
                    ensure!(ctx.count(".fact-timex").await? > 0, "no timex marked");
                    ensure!(ctx.count("#legend input.toggle").await? >= 3, "no legend");
                }
                "11-conflicts" => {
                    let n = ctx.count(".conflict").await?;
                    ensure!(
                        n == n_conflicts && n > 0,
                        "{n} conflicts shown, the API has {n_conflicts}"
                    );
                    ensure!(
                        ctx.count(".claim").await? >= 2 * n,
                        "conflicts without claims"
                    );
                    ensure!(ctx.count(".conflict .evidence").await? >= n, "no evidence");
                }
                "12-ask" => {
                    let answer = ctx.text("#answer").await?;
                    ensure!(answer.contains("1978"), "the answer {answer:?} lacks 1978");
                    ensure!(ctx.count(".citation").await? > 0, "no citation");
                }
                "13-audit" => {
                    ctx.wait_for("#audit-log").await?;
                }
                _ => {}
            }
            Ok(())
        }
        .await;
        let shot = ctx.shot(name).await;
        if let Err(e) = r.and(shot) {
            problems.push(format!("{name} ({path}): {e:#}"));
        }
    }
    ensure!(problems.is_empty(), "{}", problems.join("; "));
    Ok(())
}

/// Types "lien xo" into the search form and sees hits that say "Liên Xô".
async fn search(ctx: Arc<Ctx>) -> Result<()> {
    ctx.open("/search").await?;
    let q = ctx.wait_for("#search-form #q").await?;
    q.clear().await?;
    q.send_keys("lien xo").await?;
    let form = ctx.c.form(Locator::Css("#search-form")).await?;
    form.submit_direct().await?;
    ctx.wait_for(".hit").await?;
    let url = ctx.c.current_url().await?;
    ensure!(
        url.query().is_some_and(|q| q.contains("q=lien")),
        "the search is not in the URL: {url}"
    );
    let mut with = 0;
    let hits = ctx.all(".hit").await?;
    for h in &hits {
        if h.text().await?.contains("Liên Xô") {
            with += 1;
        }
    }
    ensure!(
        with >= 3,
        "{with} of {} hits show \"Liên Xô\" for the query lien xo",
        hits.len()
    );
    let marked = ctx.text(".hit mark").await?;
    ensure!(
        squash(&marked).to_lowercase().contains("liên") || marked.to_lowercase().contains("xô"),
        "the highlight is {marked:?}, not the folded match"
    );
    // Following a hit opens the reader at its span.
    let link = ctx.c.find(Locator::Css(".hit a.evidence-link")).await?;
    link.click().await?;
    ctx.wait_for("body.page-document #target").await?;
    let target = ctx.text("#target").await?;
    ensure!(
        !target.trim().is_empty(),
        "the reader's #target (the hit's span) is empty"
    );
    ctx.shot("14-search-typed-hit-in-reader").await?;
    Ok(())
}

/// The pages every accessibility and phone check visits.
fn checked_pages(ctx: &Ctx) -> Result<Vec<(String, String)>> {
    let treaty = treaty_event(ctx)?;
    let ev = treaty["id"].as_str().unwrap_or_default().to_string();
    let series = ctx.api("/api/series")?;
    let key = series[0]["key"].as_str().context("no series")?.to_string();
    let thesis = "003_e1f2f0e4f1247df1.txt";
    Ok(vec![
        ("home".into(), "/".into()),
        ("search".into(), "/search?q=Brezhnev".into()),
        ("timeline".into(), "/timeline?from=1978&to=1978".into()),
        ("event".into(), format!("/events/{}", enc(&ev))),
        ("entities".into(), "/entities".into()),
        ("entity".into(), "/entities/Leonid%20Brezhnev".into()),
        ("series-list".into(), "/series".into()),
        ("series".into(), format!("/series/{}", enc(&key))),
        ("documents".into(), "/documents".into()),
        (
            "reader".into(),
            format!("/documents/{}?show=event", enc(thesis)),
        ),
        ("conflicts".into(), "/conflicts".into()),
        ("ask".into(), format!("/ask?q={}", enc(QUESTION))),
        ("audit".into(), "/audit".into()),
    ])
}

/// axe-core (npm), as `.ci/run` installs it; None (skipped loudly) when missing and not
/// required.
fn axe_source() -> Result<Option<String>> {
    let path = std::env::var_os("ANNALS_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/tools/js/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            let required = std::env::var("ANNALS_BROWSER_TESTS").is_ok_and(|v| v == "required");
            ensure!(
                !required,
                "axe-core is not at {} ({e}): npm install --prefix target/tools/js axe-core@4",
                path.display()
            );
            println!("SKIPPED axe-core: not at {} ({e})", path.display());
            Ok(None)
        }
    }
}

/// Runs axe-core's WCAG 2.0/2.1 A and AA rules on every checked page; no violation may
/// remain. The findings are written to `axe.json` beside the screenshots.
async fn accessibility(ctx: Arc<Ctx>) -> Result<()> {
    let Some(axe) = axe_source()? else {
        return Ok(());
    };
    let mut report = serde_json::Map::new();
    let mut problems = Vec::new();
    for (name, path) in checked_pages(&ctx)? {
        ctx.open(&path).await?;
        ctx.js(&axe).await?;
        let found = ctx
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})\
                   .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, first: v.nodes[0].target.join(' '), html: v.nodes[0].html.slice(0, 160)}))))\
                   .catch(e => done([{id: 'axe-error', help: String(e), nodes: 1}]));",
                vec![],
            )
            .await?;
        if let Some(list) = found.as_array() {
            for v in list {
                problems.push(format!(
                    "{name}: {} ({} node{}; {}) {} e.g. {}",
                    v["id"].as_str().unwrap_or("?"),
                    v["nodes"],
                    if v["nodes"] == json!(1) { "" } else { "s" },
                    v["impact"].as_str().unwrap_or(""),
                    v["help"].as_str().unwrap_or(""),
                    v["html"].as_str().unwrap_or("")
                ));
            }
        }
        report.insert(name, found);
    }
    let _ = std::fs::write(
        ctx.artifacts.join("axe.json"),
        serde_json::to_vec_pretty(&Value::Object(report)).unwrap_or_default(),
    );
    println!("axe-core: {} violation(s)", problems.len());
    ensure!(
        problems.is_empty(),
        "axe-core found {} violation(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    Ok(())
}

/// At 360 px wide (a small phone; 390 is the common width), no checked page scrolls
/// sideways, in any interface language; screenshots of a few.
async fn phone(ctx: Arc<Ctx>) -> Result<()> {
    ctx.c.set_window_size(360, 800).await?;
    let mut wide = Vec::new();
    let result: Result<()> = async {
        let mut pages = checked_pages(&ctx)?;
        pages.push(("timeline-ru".into(), "/timeline?ui=ru".into()));
        pages.push(("search-vi".into(), "/search?q=CMEA&ui=vi".into()));
        for (name, path) in pages {
            ctx.open(&path).await?;
            let w = ctx
                .js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")
                .await?;
            let (sw, cw) = (w[0].as_u64().unwrap_or(0), w[1].as_u64().unwrap_or(0));
            if sw > cw + 1 {
                let culprit = ctx
                    .js("const cw = document.documentElement.clientWidth; const e = Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > cw + 1).pop(); return e ? e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) : '';")
                    .await?;
                wide.push(format!("{name} ({path}): {sw} px wide in {cw} px, e.g. {culprit}"));
            }
            if matches!(name.as_str(), "timeline" | "series" | "entity" | "reader") {
                let png = ctx.c.screenshot().await?;
                let p = ctx.artifacts.join(format!("30-phone-{name}.png"));
                std::fs::write(&p, png)?;
                ctx.shots.lock().expect("shots").push(p);
            }
        }
        Ok(())
    }
    .await;
    ctx.c.set_window_size(WIDTH, HEIGHT).await?;
    result?;
    ensure!(
        wide.is_empty(),
        "pages wider than a phone:\n  {}",
        wide.join("\n  ")
    );
    Ok(())
}

/// Every list page links to its exports, with its filters, and the file is named by them.
async fn exports(ctx: Arc<Ctx>) -> Result<()> {
    for (path, want) in [
        ("/timeline?from=1978&to=1978", "format=csv"),
        ("/series", "kind=series"),
        ("/documents", "kind=documents"),
        ("/conflicts", "kind=conflicts"),
        ("/search?q=treaty", "/api/search"),
    ] {
        ctx.open(path).await?;
        let mut hrefs = Vec::new();
        for a in ctx.all(".downloads a.download").await? {
            hrefs.push(a.attr("href").await?.unwrap_or_default());
        }
        ensure!(
            hrefs.iter().any(|h| h.contains(want)),
            "{path}: no download link with {want}: {hrefs:?}"
        );
        if path.starts_with("/timeline") {
            ensure!(
                hrefs
                    .iter()
                    .all(|h| h.contains("from=1978") && h.contains("to=1978")),
                "{path}: the downloads drop the filters: {hrefs:?}"
            );
            let r = tokio::task::block_in_place(|| ctx.server.get(&hrefs[0]));
            ensure!(r.status == 200, "{}: {}", hrefs[0], r.describe());
            let disposition = r.header("content-disposition").unwrap_or_default();
            ensure!(
                disposition.contains("annals-events-1978.csv"),
                "the timeline's CSV is named {disposition:?}"
            );
            let body = String::from_utf8_lossy(&r.body).to_string();
            let rows = body.lines().count().saturating_sub(1);
            let all = ctx.api("/api/timeline?from=1978&to=1978&limit=1")?;
            ensure!(
                rows as u64 == all["total"].as_u64().unwrap_or(0),
                "the timeline's CSV has {rows} rows for {} events",
                all["total"]
            );
        }
    }
    Ok(())
}

/// The reader shows paragraphs and headings (not the source's line breaks), a table of
/// contents for a long document, only the layer asked for, the original layout one click
/// away; a fact is reached and opened by the keyboard.
async fn reader_layout(ctx: Arc<Ctx>) -> Result<()> {
    let thesis = "003_e1f2f0e4f1247df1.txt";
    ctx.open(&format!("/documents/{}?show=event", enc(thesis)))
        .await?;
    ensure!(
        ctx.count("#source-text.repaired p.block").await? > 50,
        "the thesis is not shown as paragraphs"
    );
    ensure!(ctx.count("#toc li a").await? >= 5, "no table of contents");
    // Its tables are drawn as tables, their figures linked to the series that read them.
    ensure!(
        ctx.count("#source-text figure.source-table table td")
            .await?
            > 10,
        "the thesis's tables are not drawn as tables"
    );
    ensure!(
        ctx.count("#source-text figure.source-table a[href^='/series/']")
            .await?
            > 0,
        "no table cell links to its series"
    );
    let checked: Vec<String> = {
        let mut v = Vec::new();
        for b in ctx.all("input.toggle").await? {
            if b.prop("checked").await?.as_deref() == Some("true") {
                v.push(b.attr("data-kind").await?.unwrap_or_default());
            }
        }
        v
    };
    ensure!(
        checked == ["event"],
        "layers on: {checked:?}, not only the one asked for"
    );
    let hidden = ctx
        .js("const t = document.getElementById('source-text'); return ['timex','quantity','mention'].every(k => t.classList.contains('hide-' + k)) && !t.classList.contains('hide-event');")
        .await?;
    ensure!(hidden == json!(true), "the other layers are not hidden");
    // Keyboard: Tab reaches an event fact; Enter opens its event (reading, not curating).
    let mode = ctx.wait_for("#curate-mode").await?;
    if mode.prop("checked").await?.as_deref() == Some("true") {
        mode.click().await?;
    }
    let focusable = ctx.count(".fact-event[tabindex='0']").await?;
    ensure!(focusable > 0, "no event fact takes the keyboard focus");
    let first = ctx
        .js("const e = document.querySelector(\".fact-event[tabindex='0'][data-href]\"); e.focus(); return document.activeElement === e ? e.dataset.href : null;")
        .await?;
    let href = first
        .as_str()
        .context("an event fact with a link cannot be focused")?
        .to_string();
    ctx.c
        .active_element()
        .await?
        .send_keys(&fantoccini::key::Key::Enter.to_string())
        .await?;
    ctx.wait_for("body.page-event").await?;
    let url = ctx.c.current_url().await?;
    ensure!(
        url.path() == href.split('?').next().unwrap_or(&href),
        "Enter on a fact went to {url}, not {href}"
    );
    // The original layout is one click away.
    ctx.open(&format!("/documents/{}", enc(thesis))).await?;
    ctx.c
        .find(Locator::Css("a.layout-switch"))
        .await?
        .click()
        .await?;
    ctx.wait_for("#source-text.original").await?;
    ctx.shot("21-reader-original-layout").await?;
    Ok(())
}

/// The switch in the header puts the interface in another language, which stays (a
/// cookie) until switched back; labels, the page's `lang` and the search page's words follow.
async fn interface_languages(ctx: Arc<Ctx>) -> Result<()> {
    ctx.open("/search?q=CMEA").await?;
    let lang = ctx.js("return document.documentElement.lang;").await?;
    ensure!(lang == json!("en"), "the default interface is {lang}");
    ctx.c
        .find(Locator::Css("nav.ui-langs a[hreflang=vi]"))
        .await
        .context("no switch to Vietnamese")?
        .click()
        .await?;
    ctx.wait_for("html[lang=vi]").await?;
    let nav = ctx.text("nav.site-nav a[data-nav=search]").await?;
    ensure!(
        nav == "Tìm kiếm",
        "the Vietnamese search link reads {nav:?}"
    );
    ensure!(
        ctx.text("#hit-count").await?.contains("câu"),
        "the hit count is not in Vietnamese"
    );
    ensure!(
        ctx.c
            .current_url()
            .await?
            .query()
            .is_some_and(|q| q.contains("q=CMEA")),
        "switching the language lost the search"
    );
    // Remembered on the next page.
    ctx.open("/timeline").await?;
    ensure!(
        ctx.text("h1").await? == "Dòng thời gian",
        "the timeline forgot the chosen language"
    );
    ctx.shot("23-timeline-vi").await?;
    ctx.open("/timeline?ui=ru").await?;
    ensure!(ctx.text("h1").await? == "Хронология", "no Russian timeline");
    ctx.open("/?ui=en").await?;
    let lang = ctx.js("return document.documentElement.lang;").await?;
    ensure!(lang == json!("en"), "switching back gave {lang}");
    Ok(())
}

/// Every page in Russian and in Vietnamese says its own words in that language: with the
/// sources' words taken out (anything marked with a language of its own: quotations,
/// snippets, names as written, citations), no English word of the interface is left.
async fn interface_words(ctx: Arc<Ctx>) -> Result<()> {
    // Pages of every kind, found as a user finds them.
    let first_href = |path: &'static str, css: &'static str| {
        let ctx = ctx.clone();
        async move {
            ctx.open(path).await?;
            let v = ctx
                .js(&format!(
                    "var a = document.querySelector({css:?}); return a ? a.getAttribute('href') : null;"
                ))
                .await?;
            v.as_str()
                .map(str::to_string)
                .with_context(|| format!("no {css} on {path}"))
        }
    };
    let pages = vec![
        first_href("/timeline?from=1978&to=1978", "#events a.summary").await?,
        first_href("/series", "tr.series-row a").await?,
        first_href("/entities", "tr.entity-row a").await?,
        "/conflicts".to_string(),
        "/audit".to_string(),
        "/documents".to_string(),
        "/documents/001_4df3fe32bbe0cb43.txt?show=event".to_string(),
        "/search?q=CMEA".to_string(),
        "/timeline?from=1978&to=1979&zoom=month".to_string(),
        "/ask?q=%D0%9A%D0%BE%D0%B3%D0%B4%D0%B0%20%D0%92%D1%8C%D0%B5%D1%82%D0%BD%D0%B0%D0%BC%20%D0%B2%D1%81%D1%82%D1%83%D0%BF%D0%B8%D0%BB%20%D0%B2%20%D0%A1%D0%AD%D0%92%3F".to_string(),
        "/ask?q=zzzz%20qqqq".to_string(),
    ];
    // Words only the English interface says (none of them is a name or a figure), and the
    // English name of a place the gazetteer names in every language (a testimony's place).
    const ENGLISH: &str = r"\b(sources?|statements?|mentions?|sentences?|Participants|Curation|Related events|Unit|as written|stated by|Why merged|Not applied|Also known as|On the timeline|Hover a point|sources disagree|Insufficient evidence|Correct this citation|Decision|Record|Reason|Your name|Previous|previous|next|Page|events? per|zoom|Filters|Home|Search|Timeline|Entities|Series|Documents|Conflicts|Audit|Ask|Value|Confidence|Cited|Stale decisions|machine|merged|retract|Retract|Undo|Why|side \d|Note|plain text|search in it|ingested|also as|approx\.|running text|table \d|Per year|Totals over|Cumulative|Showing bytes|For example|the document|dated|visit|treaty|agreement|Europe)\b";
    let script = format!(
        "var main = document.querySelector('main').cloneNode(true);\
         var page = document.documentElement.lang;\
         main.querySelectorAll('[lang], code, q, blockquote, .reason, .curation-reason, .doc-name, .doc-file, .form, .qid, .cite, .snippet, .claim-value, .written, .value, .answer-text, .chart text.unit, option, datalist').forEach(function (e) {{\
           if (!e.hasAttribute('lang') || e.getAttribute('lang') !== page) {{ e.remove(); }}\
         }});\
         var text = main.innerText;\
         var re = new RegExp({ENGLISH:?}, 'g');\
         var found = {{}};\
         var m;\
         while ((m = re.exec(text)) !== null) {{\
           var at = Math.max(0, m.index - 30);\
           found[m[0]] = text.slice(at, m.index + m[0].length + 30).replace(/\\s+/g, ' ');\
         }}\
         return found;"
    );
    let mut problems = Vec::new();
    for ui in ["ru", "vi"] {
        for path in &pages {
            let sep = if path.contains('?') { '&' } else { '?' };
            ctx.open(&format!("{path}{sep}ui={ui}")).await?;
            let found = ctx.js(&script).await?;
            if path == &pages[0] {
                ctx.shot(&format!("24-event-{ui}")).await?;
            }
            if let Some(o) = found.as_object().filter(|o| !o.is_empty()) {
                problems.push(format!("{ui} {path}: {o:?}"));
            }
        }
    }
    ensure!(
        problems.is_empty(),
        "English left in the interface:\n{}",
        problems.join("\n")
    );
    Ok(())
}

/// A source is named as it states itself: the journal article's page says its title,
/// author, year and journal, each linked to where the source says so; the document list
/// and search name sources by title; the CSL-JSON of the source has the same.
async fn sources_cited(ctx: Arc<Ctx>) -> Result<()> {
    let article = "001_4df3fe32bbe0cb43.txt";
    ctx.open(&format!("/documents/{}", enc(article))).await?;
    let cite = ctx.text("#source-meta .cite").await?;
    ensure!(
        cite.contains("2022"),
        "the article's citation lacks its year: {cite:?}"
    );
    ensure!(
        ctx.count("#source-meta a.meta-evidence[data-field=title]")
            .await?
            == 1,
        "the title does not link to where the source states it"
    );
    let h1 = ctx.text("h1").await?;
    ensure!(
        !h1.contains(".txt"),
        "the page is titled by its file name: {h1:?}"
    );
    ctx.c
        .find(Locator::Css(
            "#source-meta a.meta-evidence[data-field=title]",
        ))
        .await?
        .click()
        .await?;
    ctx.wait_for("#target").await?;
    let target = squash(&ctx.text("#target").await?).to_lowercase();
    ensure!(
        !target.is_empty()
            && h1
                .to_lowercase()
                .starts_with(&target[..target.len().min(20)]),
        "the title's evidence is {target:?}, not the title {h1:?}"
    );
    ctx.open("/documents").await?;
    let row = ctx
        .text(&format!(".document-row[data-id=\"{article}\"] a"))
        .await?;
    ensure!(
        !row.contains(".txt"),
        "the document list names the article {row:?}"
    );
    let items = ctx.api(&format!(
        "/api/export?format=csl-sources&doc={}",
        enc(article)
    ))?;
    let item = &items[0];
    ensure!(
        item["issued"]["date-parts"][0][0] == json!(2022) && item["title"].is_string(),
        "CSL-JSON of the source: {item}"
    );
    // A historian corrects the venue through the form; the page marks the correction.
    ctx.open(&format!("/documents/{}", enc(article))).await?;
    ctx.c
        .find(Locator::Css("details.cite-edit summary"))
        .await?
        .click()
        .await?;
    let form = ctx.c.find(Locator::Css("form.cite-form")).await?;
    form.find(Locator::Css("select[name=field] option[value=venue]"))
        .await?
        .click()
        .await?;
    for (name, text) in [
        (
            "value",
            "European Journal of Social Sciences Studies (browser test)",
        ),
        ("reason", "The journal's cover reads so (browser test)."),
        ("who", "browser-test"),
        ("token", TOKEN),
    ] {
        let input = form
            .find(Locator::Css(&format!("input[name={name}]")))
            .await?;
        input.clear().await?;
        input.send_keys(text).await?;
    }
    form.find(Locator::Css("button")).await?.click().await?;
    let t0 = Instant::now();
    loop {
        ensure!(
            t0.elapsed() < Duration::from_secs(30),
            "the corrected venue never showed"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        if let Ok(e) = ctx
            .c
            .find(Locator::Css("#source-meta .meta-curated[data-field=venue]"))
            .await
            && e.text().await?.contains("(browser test)")
        {
            break;
        }
    }
    Ok(())
}

/// Filtered to 1978, the timeline lists dated points first (the treaty of 3 November near
/// the top, quoted), and folds the events that span years.
async fn timeline_points(ctx: Arc<Ctx>) -> Result<()> {
    ctx.open("/timeline?from=1978&to=1978").await?;
    let rows = ctx.all("#events article.event").await?;
    ensure!(!rows.is_empty(), "no dated events in 1978");
    let mut treaty_at = None;
    for (i, r) in rows.iter().enumerate() {
        let date = r
            .find(Locator::Css("time"))
            .await?
            .attr("datetime")
            .await?
            .unwrap_or_default();
        ensure!(
            date.starts_with("1978"),
            "row {i} is dated {date:?} in a 1978 list of points"
        );
        if date == "1978-11-03" && treaty_at.is_none() {
            treaty_at = Some(i);
        }
    }
    let at = treaty_at.context("the 3 November 1978 treaty is not among the points")?;
    ensure!(at < 20, "the treaty is row {} of the points", at + 1);
    ensure!(
        ctx.count("#events article.event blockquote.quote").await? >= rows.len() / 2,
        "most rows quote no statement"
    );
    ensure!(
        ctx.count("#spans details article.event").await? > 0,
        "no folded spans (1978 falls inside longer events)"
    );
    ctx.shot("22-timeline-points-first").await?;
    Ok(())
}

/// The hit count the search page states.
async fn hit_count(ctx: &Ctx) -> Result<usize> {
    let t = ctx.text("#hit-count strong").await?;
    t.trim()
        .parse()
        .with_context(|| format!("the hit count is {t:?}"))
}

/// A name in one script finds the others ("Brezhnev", "Брежнев": the thesis writes
/// "Brêgiơnép"), an abbreviation its translations ("CMEA": "SEV"), domain terms theirs
/// ("treaty friendship": "Hiệp ước hữu nghị"); the page says what it also searched and
/// counts the hits; a facet and a date range narrow them, and the words typed rank first.
async fn search_other_names(ctx: Arc<Ctx>) -> Result<()> {
    for (q, want) in [
        ("Brezhnev", "Brêgiơnép"),
        ("Брежнев", "Brêgiơnép"),
        ("CMEA", "SEV"),
        ("treaty friendship", "Hiệp ước hữu nghị"),
    ] {
        ctx.open(&format!("/search?q={}", enc(q))).await?;
        ctx.wait_for("#hit-count").await?;
        let n = hit_count(&ctx).await?;
        ensure!(n >= 3, "{q:?}: {n} hits");
        let also = ctx.text("#also-searched").await?;
        ensure!(
            !also.trim().is_empty(),
            "{q:?}: the page does not say what else it searched"
        );
        let mut with = 0;
        for h in ctx.all(".hit").await? {
            if h.text().await?.contains(want) {
                with += 1;
            }
        }
        ensure!(with >= 1, "{q:?}: no hit on the page shows {want:?}");
        ensure!(
            ctx.count(".facets .facet").await? >= 3,
            "{q:?}: fewer than 3 facets"
        );
        if q == "Brezhnev" {
            ctx.shot("20-search-other-names").await?;
        }
    }
    // The words as typed rank before other names: "treaty friendship" lists the English
    // sentences that say it first.
    ctx.open("/search?q=treaty+friendship").await?;
    let tiers: Vec<String> = {
        let mut v = Vec::new();
        for h in ctx.all(".hit").await? {
            v.push(h.attr("data-tier").await?.unwrap_or_default());
        }
        v
    };
    let first_expanded = tiers.iter().position(|t| t == "expanded");
    ensure!(
        first_expanded.is_none_or(|i| tiers[..i].iter().all(|t| t != "expanded")
            && tiers[i..].iter().all(|t| t == "expanded")),
        "other names rank among the words as typed: {tiers:?}"
    );
    let all = hit_count(&ctx).await?;
    // A language facet narrows to that language's sentences.
    let vi = ctx
        .c
        .find(Locator::Css(".facet[data-facet=lang] a"))
        .await?;
    vi.click().await?;
    ctx.wait_for(".chips .chip").await?;
    let narrowed = hit_count(&ctx).await?;
    ensure!(
        narrowed < all && narrowed > 0,
        "the language facet gave {narrowed} of {all}"
    );
    let langs: Vec<String> = {
        let mut v = Vec::new();
        for b in ctx.all(".hit .lang-badge").await? {
            v.push(b.text().await?);
        }
        v
    };
    ensure!(
        langs.windows(2).all(|w| w[0] == w[1]),
        "a language facet shows several languages: {langs:?}"
    );
    // A date range keeps sentences holding a date in it.
    ctx.open("/search?q=treaty+friendship&from=1978&to=1978")
        .await?;
    ctx.wait_for("#hit-count").await?;
    let dated = hit_count(&ctx).await?;
    ensure!(
        dated > 0 && dated < all,
        "from=1978&to=1978 gave {dated} of {all}"
    );
    ensure!(
        ctx.text("#results").await?.contains("1978"),
        "no hit in 1978 shows the year"
    );
    Ok(())
}

/// The treaty of 3 November 1978, found through the timeline page, shows statements in
/// English and Vietnamese.
async fn treaty(ctx: Arc<Ctx>) -> Result<()> {
    let e = treaty_event(&ctx)?;
    let id = e["id"].as_str().unwrap_or_default().to_string();
    ctx.open("/timeline?type=treaty&from=1978-11&to=1978-11")
        .await?;
    let row = ctx.wait_for(&format!(".event[data-id=\"{id}\"]")).await?;
    let link = row
        .find(Locator::Css("a[href*=\"/events/\"]"))
        .await
        .with_context(|| format!("the timeline row of {id} has no link to its event"))?;
    link.click().await?;
    ctx.wait_for(&format!("#event[data-id=\"{id}\"]")).await?;
    let mut langs = std::collections::BTreeSet::new();
    for b in ctx.all(".statement .lang-badge").await? {
        langs.insert(b.text().await?.trim().to_lowercase());
    }
    ensure!(
        langs.contains("en") && langs.contains("vi"),
        "statement languages shown: {langs:?}"
    );
    let shown = squash(&ctx.text("#statements").await?);
    for lang in ["en", "vi"] {
        let s = e["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["lang"] == lang)
            .min_by_key(|s| {
                s["text"]
                    .as_str()
                    .map_or(usize::MAX, |t| t.matches('\n').count())
            })
            .ok_or_else(|| anyhow!("no {lang} statement in the API's event"))?;
        let want = words(s["text"].as_str().unwrap_or_default(), 6);
        ensure!(
            shown.contains(&want),
            "the {lang} statement {want:?} is not shown"
        );
    }
    ensure!(
        shown.contains("November 3, 1978") && shown.contains("03-11-1978"),
        "the dates as each source writes them are not both shown"
    );
    ctx.shot("15-treaty-event").await?;
    Ok(())
}

/// A series page draws an SVG chart with one visible point per period.
async fn series_chart(ctx: Arc<Ctx>) -> Result<()> {
    let series = ctx.api("/api/series")?;
    let s = series
        .as_array()
        .into_iter()
        .flatten()
        .max_by_key(|s| s["points"].as_array().map_or(0, Vec::len))
        .cloned()
        .ok_or_else(|| anyhow!("no series"))?;
    let key = s["key"].as_str().unwrap_or_default();
    let points = s["points"].as_array().map_or(0, Vec::len);
    ctx.open("/series").await?;
    let row = ctx
        .wait_for(&format!(".series-row[data-key=\"{key}\"]"))
        .await?;
    row.find(Locator::Css("a")).await?.click().await?;
    let chart = ctx.wait_for("#series-chart").await?;
    let tag = chart.tag_name().await?.to_lowercase();
    let svg = if tag == "svg" {
        chart
    } else {
        chart.find(Locator::Css("svg")).await?
    };
    let (_, _, w, h) = svg.rectangle().await?;
    ensure!(w > 200.0 && h > 100.0, "the chart is {w}×{h}");
    let shown = ctx.all("#series-chart .point").await?;
    ensure!(
        shown.len() >= points.min(3),
        "{} points drawn for a series of {points}",
        shown.len()
    );
    let mut visible = 0;
    for p in &shown {
        let (_, _, pw, ph) = p.rectangle().await?;
        if pw > 0.0 && ph > 0.0 && p.is_displayed().await? {
            visible += 1;
        }
    }
    ensure!(
        visible >= 3,
        "{visible} of {} points are visible",
        shown.len()
    );
    let titled = ctx
        .js("return document.querySelectorAll('#series-chart .point title, #series-chart title').length;")
        .await?;
    ensure!(
        titled.as_u64() > Some(0),
        "points have no <title> naming their sources"
    );
    ctx.shot("16-series-chart").await?;
    Ok(())
}

/// Sources holding `<script>`, `onerror=` and escaped markup are shown as text in the reader
/// and in search, and nothing runs; a query holding markup is echoed as text.
async fn markup_is_text(ctx: Arc<Ctx>) -> Result<()> {
    ctx.open("/documents/xss-probe.txt").await?;
    let text = ctx.text("#source-text").await?;
    for want in [
        "<script>window.__pwned=1</script>",
        "<img src=x onerror=\"window.__pwned=2\">",
        "<iframe src=\"javascript:window.__pwned=3\"></iframe>",
    ] {
        ensure!(
            text.contains(want),
            "the reader does not show {want:?} as text: {:?}",
            harness::short(&text, 400)
        );
    }
    ctx.assert_inert("reader of xss-probe.txt").await?;
    ctx.shot("17-reader-markup-as-text").await?;

    ctx.open("/search?q=zebrafinch").await?;
    let hits = ctx.text("#results").await?;
    for want in [
        "<script>window.__pwned=1</script>",
        "<img src=x onerror=\"window.__pwned=2\">",
        "<b>bold</b>",
    ] {
        ensure!(
            hits.contains(want),
            "the search hits do not show {want:?} as text: {hits:?}"
        );
    }
    ctx.assert_inert("search zebrafinch").await?;
    ctx.shot("18-search-markup-as-text").await?;

    ctx.open("/documents/xss-probe.html").await?;
    let text = ctx.text("#source-text").await?;
    ensure!(
        text.contains("Kingfisher probe"),
        "the HTML source is not shown: {:?}",
        harness::short(&text, 400)
    );
    ctx.assert_inert("reader of xss-probe.html").await?;

    // Markup in the query itself (reflected into the page and the form).
    let q = "<img src=x onerror=\"window.__pwned=8\"> lien xo";
    ctx.open(&format!("/search?q={}", enc(q))).await?;
    ctx.assert_inert("search with markup in the query").await?;
    let value = ctx
        .c
        .find(Locator::Css("#q"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    ensure!(value == q, "the query box shows {value:?}, not the query");
    let q = "<script>window.__pwned=9</script> When did Vietnam join the CMEA?";
    ctx.c.goto(&ctx.url(&format!("/ask?q={}", enc(q)))).await?;
    ctx.wait_for("main#main").await?;
    ctx.assert_inert("ask with markup in the question").await?;
    Ok(())
}

/// Submits the curation form on the current page; returns the result's text. `ok` says
/// whether success is expected.
async fn submit_curation(
    ctx: &Ctx,
    action: &str,
    reason: &str,
    token: &str,
    ok: bool,
) -> Result<String> {
    let form = ctx.wait_for("#curation-form").await?;
    ensure!(
        form.is_displayed().await?,
        "the curation form is not visible"
    );
    ctx.c
        .find(Locator::Css("#cur-action"))
        .await?
        .select_by_value(action)
        .await
        .with_context(|| format!("#cur-action has no option {action}"))?;
    for (css, value) in [
        ("#cur-reason", reason),
        ("#cur-who", "browser-test"),
        ("#token", token),
    ] {
        let e = ctx.c.find(Locator::Css(css)).await?;
        e.clear().await?;
        e.send_keys(value).await?;
    }
    let chosen = ctx
        .c
        .find(Locator::Css("#cur-action"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    ensure!(
        chosen == action,
        "#cur-action shows {chosen:?} after choosing {action:?}"
    );
    // A stale result must not be mistaken for this one; the marker tells when the page
    // reloads after a decision.
    ctx.js("var r = document.getElementById('curation-result'); if (r) { r.className = ''; r.textContent = ''; } window.__beforeDecision = true; return null;")
        .await?;
    ctx.c
        .find(Locator::Css("#cur-submit"))
        .await?
        .click()
        .await?;
    let want = if ok {
        "#curation-result.ok"
    } else {
        "#curation-result.failed"
    };
    // The result shows until the page reloads with the decision; a fast rebuild may reload
    // the page before the result is seen, which for a decision that must succeed is as good.
    let t0 = Instant::now();
    let text = loop {
        if let Ok(got) = ctx
            .c
            .find(Locator::Css("#curation-result.ok, #curation-result.failed"))
            .await
        {
            let (Ok(text), Ok(class)) = (got.text().await, got.attr("class").await) else {
                continue; // The page went away under us: look again.
            };
            let class = class.unwrap_or_default();
            ensure!(
                ctx.count(want).await? == 1,
                "{action} with {} token: expected {want}, got class {class:?}: {text:?}",
                if ok { "the right" } else { "a wrong" }
            );
            break text;
        }
        let reloaded = ctx
            .js("return typeof window.__beforeDecision === 'undefined' && document.readyState === 'complete';")
            .await
            .unwrap_or(Value::Bool(false));
        if ok && reloaded == Value::Bool(true) {
            break "reloaded with the decision".to_string();
        }
        ensure!(
            t0.elapsed() < Duration::from_secs(20),
            "no #curation-result.ok or .failed after submitting, and no reload"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    if ok {
        // The page reloads after a decision: wait for it, so that the next step does not
        // act on a page about to go away.
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(10) {
            let reloaded = ctx
                .js("return typeof window.__beforeDecision === 'undefined' && document.readyState === 'complete';")
                .await
                .unwrap_or(Value::Bool(false));
            if reloaded == Value::Bool(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ctx.wait_for("main#main").await?;
    }
    Ok(text)
}

/// Confirms one fact and rejects another through the reader's curation form (a wrong token
/// first, which must fail), confirms the treaty event on its page, and finds all on /audit.
async fn curation(ctx: Arc<Ctx>) -> Result<()> {
    let docs = ctx.api("/api/documents?limit=50")?;
    let english = docs["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .find(|d| d.starts_with("000_"))
        .ok_or_else(|| anyhow!("no 000_ document"))?
        .to_string();
    // The dates layer, asked for (the reader highlights no layer unless asked).
    ctx.open(&format!("/documents/{}?show=timex", enc(&english)))
        .await?;
    let mode = ctx.wait_for("#curate-mode").await?;
    if mode.prop("checked").await?.as_deref() != Some("true") {
        mode.click().await?;
    }
    let n = ctx.count("#source-text .fact-timex").await?;
    ensure!(n >= 2, "{n} timex facts in the reader");
    let mut decided = Vec::new();
    for (i, (action, reason)) in [
        (
            "confirm",
            "Date checked against the treaty text (browser test).",
        ),
        (
            "reject",
            "Not a date of this event: a citation year (browser test).",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mode = ctx.wait_for("#curate-mode").await?;
        if mode.prop("checked").await?.as_deref() != Some("true") {
            mode.click().await?;
        }
        // Looked up again each time: a decision reloads the page.
        let fact = ctx
            .all("#source-text .fact-timex")
            .await?
            .into_iter()
            .nth(i)
            .ok_or_else(|| anyhow!("timex {i} is gone after a decision"))?;
        let fact_id = fact.attr("data-fact").await?.unwrap_or_default();
        fact.click().await?;
        let form = ctx.wait_for("#curation-form").await?;
        let target = form.attr("data-target").await?.unwrap_or_default();
        ensure!(
            target.contains(&fact_id),
            "clicking fact {fact_id} in curate mode selected {target:?}"
        );
        if i == 0 {
            let text = submit_curation(&ctx, action, reason, "wrong-token-0123456789", false)
                .await
                .context("with a wrong token")?;
            ensure!(
                text.to_lowercase().contains("token"),
                "the failure does not say the token is wrong: {text:?}"
            );
        }
        submit_curation(&ctx, action, reason, TOKEN, true)
            .await
            .with_context(|| format!("{action} fact {fact_id}"))?;
        // After the reload the reader comes back to the fact, showing the decision.
        let panel = squash(&ctx.text("#fact-panel").await?);
        ensure!(
            panel.contains(reason),
            "after {action}, the fact panel does not show the decision: {panel:?}"
        );
        if i == 0 {
            ctx.shot("19-reader-curation-done").await?;
        }
        decided.push((action, reason, fact_id));
    }

    // The event page's form.
    let e = treaty_event(&ctx)?;
    let id = e["id"].as_str().unwrap_or_default();
    ctx.open(&format!("/events/{}", enc(id))).await?;
    let event_reason = "Date confirmed by both treaty texts (browser test).";
    submit_curation(&ctx, "confirm", event_reason, TOKEN, true)
        .await
        .context("confirm the treaty event")?;

    ctx.open("/audit").await?;
    let rows = ctx.all("#audit-log .audit-row").await?;
    let mut seen = Vec::new();
    for r in &rows {
        seen.push((
            r.attr("data-action").await?.unwrap_or_default(),
            squash(&r.text().await?),
        ));
    }
    for (action, reason, fact) in &decided {
        ensure!(
            seen.iter().any(|(a, t)| a == action && t.contains(reason)),
            "/audit has no {action} row with the reason {reason:?} (fact {fact}); rows: {seen:?}"
        );
    }
    ensure!(
        seen.iter()
            .any(|(a, t)| a == "confirm" && t.contains(event_reason)),
        "/audit has no row for the event decision; rows: {seen:?}"
    );
    ensure!(
        seen.iter().all(|(_, t)| t.contains("browser-test")),
        "audit rows do not say who decided: {seen:?}"
    );
    ensure!(
        seen.len() == 3,
        "{} audit rows for 3 decisions (the wrong-token attempt must not be recorded): {seen:?}",
        seen.len()
    );
    // Times read as people write them, events by their titles, not ids.
    let audit_text = ctx.text("#audit-log").await?;
    ensure!(
        !regex_like_iso(&audit_text),
        "the audit shows raw ISO time stamps: {}",
        words(&audit_text, 40)
    );
    ensure!(
        audit_text.contains("1978-11-03"),
        "the event row does not name the event by its date and summary"
    );
    ctx.shot("20-audit-after-curation").await?;
    // Undo the event decision from the audit page (name and token remembered from the
    // curation form).
    let event_row = {
        let mut found = None;
        for r in ctx.all("#audit-log .audit-row").await? {
            if squash(&r.text().await?).contains(event_reason) {
                found = Some(r.attr("data-id").await?.unwrap_or_default());
            }
        }
        found.context("the event decision's row")?
    };
    let form = ctx
        .c
        .find(Locator::Css(&format!(
            "#audit-{event_row} form.retract-form"
        )))
        .await
        .context("no retract form on the event decision's row")?;
    form.find(Locator::Css("input[name=reason]"))
        .await?
        .send_keys("Undone in the browser test.")
        .await?;
    form.find(Locator::Css("button")).await?.click().await?;
    let t0 = Instant::now();
    loop {
        if t0.elapsed() > Duration::from_secs(30) {
            bail!("the retraction did not show on /audit");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        if let Ok(r) = ctx
            .c
            .find(Locator::Css(&format!("#audit-{event_row}")))
            .await
            && r.attr("data-state").await?.as_deref() == Some("retracted")
        {
            break;
        }
    }
    Ok(())
}

/// True when the text holds an ISO 8601 time stamp ("2026-12-05T01:51:17").
fn regex_like_iso(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(19).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[7] == b'-'
            && w[10] == b'T'
            && w[13] == b':'
    })
}
