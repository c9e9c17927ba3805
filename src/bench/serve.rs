//! The server under load while an ingest writes into its data folder: `annals serve` is
//! started in-process on a loopback port over a store of the reference corpus; each
//! endpoint is loaded by keep-alive HTTP/1.1 connections for a few seconds with nothing else
//! running, then again while a batch of synthetic sources is ingested into the same folder
//! (by another archive handle, as a second process would; the server's poller notices the
//! new documents and makes its read model again).
//!
//! The client, the server and the ingest share the machine's cores: the figures say how
//! readers fare while an ingest competes with them, not the server's best throughput
//! (`bench/serve/run.sh` measures that with `wrk`).

use crate::archive::Archive;
use crate::ingest::IngestOptions;
use anyhow::{Context, Result};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use serde::Serialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The endpoints measured: the timeline page, the timeline API and a question.
pub const ENDPOINTS: [&str; 3] = [
    "/timeline",
    "/api/timeline",
    "/api/ask?q=When+did+Vietnam+join+the+Council+for+Mutual+Economic+Assistance%3F",
];

/// Requests answered in one measurement window.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Load {
    /// Answers with a 2xx status, read whole.
    pub answered: u64,
    /// Other statuses, broken connections.
    pub failed: u64,
    pub req_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// One endpoint, idle and while ingesting.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointLoad {
    pub path: String,
    pub idle: Load,
    pub ingesting: Load,
}

/// The serving figures.
#[derive(Debug, Clone, Serialize)]
pub struct ServeBench {
    pub connections: usize,
    /// Length of each measurement window.
    pub seconds: f64,
    /// The batch ingested while measuring.
    pub ingest_files: usize,
    pub ingest_mb: f64,
    pub ingest_seconds: f64,
    /// Whether the ingest was still running at the end of every window measured while
    /// ingesting (else the later windows measured an idle server).
    pub ingest_throughout: bool,
    /// Read models the server made while the batch was ingested.
    pub view_rebuilds: u64,
    pub endpoints: Vec<EndpointLoad>,
}

/// Serves a store of `corpus` (made in `work`), loads every endpoint for `seconds` with
/// `connections` connections, then ingests `batch` into it and loads every endpoint again.
pub fn run(
    corpus: &Path,
    batch: &Path,
    work: &Path,
    seconds: f64,
    connections: usize,
) -> Result<ServeBench> {
    let data = work.join("data-serve");
    let _ = std::fs::remove_dir_all(&data);
    {
        let mut archive = Archive::open(&data)?;
        super::ingest_quietly(&mut archive, corpus)?;
    }
    let (addr_tx, addr_rx) = std::sync::mpsc::channel::<SocketAddr>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let opts = crate::server::ServeOptions {
        data: data.clone(),
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: None,
        paths: Vec::new(),
        limits: crate::server::state::Limits::default(),
        ingest: IngestOptions::default(),
        poll_every: Duration::from_millis(250),
        allowed_hosts: Vec::new(),
    };
    let server = std::thread::spawn(move || {
        crate::server::serve_until(
            opts,
            |addr, _| {
                let _ = addr_tx.send(addr);
            },
            async {
                let _ = stop_rx.await;
            },
        )
    });
    let addr = addr_rx
        .recv_timeout(Duration::from_secs(600))
        .context("the server did not start")?;
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let window = Duration::from_secs_f64(seconds);
    let mut idle = Vec::new();
    for path in ENDPOINTS {
        idle.push(client.block_on(load(addr, path, connections, window)));
    }
    let generation_before = client.block_on(generation(addr)).unwrap_or(0);

    let files = super::files_in(batch)?;
    let ingest_mb = files
        .iter()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len() as f64 / 1e6)
        .sum();
    let running = Arc::new(AtomicBool::new(true));
    let ingest = {
        let (data, batch, running) = (data.clone(), batch.to_path_buf(), running.clone());
        std::thread::spawn(move || -> Result<f64> {
            let t = Instant::now();
            let mut archive = Archive::open(&data)?;
            let r = super::ingest_quietly(&mut archive, &batch);
            running.store(false, Ordering::SeqCst);
            r?;
            Ok(t.elapsed().as_secs_f64())
        })
    };
    let mut ingesting = Vec::new();
    let mut throughout = true;
    for path in ENDPOINTS {
        ingesting.push(client.block_on(load(addr, path, connections, window)));
        throughout &= running.load(Ordering::SeqCst);
    }
    let ingest_seconds = ingest
        .join()
        .map_err(|_| anyhow::anyhow!("the ingest thread panicked"))??;
    let generation_after = client.block_on(generation(addr)).unwrap_or(0);
    let _ = stop_tx.send(());
    server
        .join()
        .map_err(|_| anyhow::anyhow!("the server thread panicked"))??;
    let _ = std::fs::remove_dir_all(&data);
    Ok(ServeBench {
        connections,
        seconds,
        ingest_files: files.len(),
        ingest_mb,
        ingest_seconds,
        ingest_throughout: throughout,
        view_rebuilds: generation_after.saturating_sub(generation_before),
        endpoints: ENDPOINTS
            .iter()
            .zip(idle.into_iter().zip(ingesting))
            .map(|(p, (idle, ingesting))| EndpointLoad {
                path: p.to_string(),
                idle,
                ingesting,
            })
            .collect(),
    })
}

/// Loads `path` with `connections` keep-alive connections for `window`.
async fn load(addr: SocketAddr, path: &str, connections: usize, window: Duration) -> Load {
    let until = Instant::now() + window;
    let t = Instant::now();
    let tasks: Vec<_> = (0..connections.max(1))
        .map(|_| {
            let path = path.to_string();
            tokio::spawn(async move { connection(addr, &path, until).await })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for task in tasks {
        if let Ok((l, f)) = task.await {
            latencies.extend(l);
            failed += f;
        }
    }
    let elapsed = t.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| super::percentile(&latencies, p);
    Load {
        answered: latencies.len() as u64,
        failed,
        req_per_s: latencies.len() as f64 / elapsed.max(1e-9),
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
    }
}

/// One connection's requests until `until`: the latency of each answered one (ms) and how
/// many failed. A broken connection is opened again.
async fn connection(addr: SocketAddr, path: &str, until: Instant) -> (Vec<f64>, u64) {
    let mut latencies = Vec::new();
    let mut failed = 0;
    while Instant::now() < until {
        let Ok(stream) = tokio::net::TcpStream::connect(addr).await else {
            failed += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let Ok((mut sender, conn)) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await
        else {
            failed += 1;
            continue;
        };
        tokio::spawn(conn);
        while Instant::now() < until {
            let Ok(req) = hyper::Request::get(path)
                .header("host", addr.to_string())
                .body(Empty::<Bytes>::new())
            else {
                return (latencies, failed + 1);
            };
            let t = Instant::now();
            let ok = match sender.send_request(req).await {
                Ok(resp) => {
                    let status = resp.status();
                    resp.into_body().collect().await.is_ok() && status.is_success()
                }
                Err(_) => {
                    failed += 1;
                    break; // the connection is gone: open another
                }
            };
            if ok {
                latencies.push(t.elapsed().as_secs_f64() * 1e3);
            } else {
                failed += 1;
            }
        }
    }
    (latencies, failed)
}

/// The generation of the server's read model (`/api/status`).
async fn generation(addr: SocketAddr) -> Option<u64> {
    let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .ok()?;
    tokio::spawn(conn);
    let req = hyper::Request::get("/api/status")
        .header("host", addr.to_string())
        .body(Empty::<Bytes>::new())
        .ok()?;
    let body = sender
        .send_request(req)
        .await
        .ok()?
        .into_body()
        .collect()
        .await
        .ok()?
        .to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&body).ok()?;
    v.get("generation")?.as_u64()
}

/// Where the batch of sources ingested while measuring is made: a synthetic corpus of `mb`
/// megabytes ([`super::make_synthetic`]) in `work`.
pub fn make_batch(corpus: &Path, work: &Path, mb: u64) -> Result<PathBuf> {
    let dir = work.join("serve-batch");
    let _ = std::fs::remove_dir_all(&dir);
    super::make_synthetic(corpus, &dir, mb)?;
    Ok(dir)
}
