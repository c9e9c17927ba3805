//! `annals bench`: ingest throughput, peak memory and search latency, on the reference
//! corpus and on a synthetic corpus made at bench time by repeating and perturbing it.
//!
//! Measurements are taken in-process on fresh data folders; the figures are printed, never
//! asserted (speed is measured here, not in timed tests).

pub mod hostile;
pub mod pdf;
pub mod serve;

use crate::archive::Archive;
use crate::extract::Pipeline;
use crate::ingest::{self, IngestOptions, IngestSummary, Silent, Timings};
use crate::search::SearchRequest;
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The fixed query list: Vietnamese with and without diacritics, English, phrases, names.
pub const QUERIES: [&str; 50] = [
    "lien xo hiep uoc",
    "Liên Xô",
    "hiệp ước hữu nghị",
    "treaty of friendship",
    "\"Treaty of Friendship and Cooperation\"",
    "Soviet Union",
    "CMEA",
    "Hội đồng tương trợ kinh tế",
    "hoi dong tuong tro kinh te",
    "Brezhnev",
    "Brêgiơnép",
    "Ho Chi Minh",
    "Hồ Chí Minh",
    "Le Duan Moscow",
    "Lê Duẩn",
    "trade turnover",
    "kim ngạch thương mại",
    "kim ngach",
    "rúp chuyển nhượng",
    "million rubles",
    "lưu học sinh",
    "luu hoc sinh",
    "students Moscow",
    "chuyên gia",
    "experts",
    "Vietsovpetro",
    "dầu khí",
    "Hòa Bình thủy điện",
    "hoa binh",
    "Cam Ranh",
    "Gorbachev perestroika",
    "đổi mới",
    "doi moi",
    "viện trợ quân sự",
    "military aid",
    "1978",
    "năm 1950",
    "January 1950",
    "diplomatic relations",
    "quan hệ ngoại giao",
    "\"quan hệ ngoại giao\"",
    "Comintern",
    "Toilers of the East",
    "Russia Vietnam strategic partnership",
    "Liên bang Nga",
    "Putin",
    "kế hoạch 5 năm",
    "five-year plan",
    "Đại hội Đảng",
    "Kosygin Hanoi",
];

/// Latency figures over repeated runs of the query list.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub queries: usize,
    pub runs: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_hits: f64,
}

/// One corpus's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub name: String,
    pub files: usize,
    pub megabytes: f64,
    pub sentences: u64,
    pub ingest_seconds: f64,
    pub mb_per_s: f64,
    pub cores: usize,
    pub mb_per_s_per_core: f64,
    /// Single-thread throughput of reading and analysis alone (decode, NFC, layout,
    /// sentences, extractors).
    pub analyse_mb_per_s_one_core: f64,
    pub timings: Timings,
    pub peak_rss_mb: f64,
    pub search: Latency,
    pub store_mb: f64,
    /// The read model ([`crate::snapshot::Snapshot`]) built from the whole store, seconds.
    pub snapshot_full_s: f64,
    /// The read model made again from the previous one after one document was added
    /// ([`crate::snapshot::Snapshot::apply_change`]), seconds.
    pub snapshot_change_s: f64,
}

/// One extractor's throughput on the reference corpus (documents already read), each
/// given the facts of the extractors before it, as in the pipeline.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractorSpeed {
    pub name: String,
    pub mb_per_s: f64,
    pub facts: usize,
    /// Milliseconds it adds to one ingest of the reference corpus (one core).
    pub ms_per_corpus: f64,
}

/// The gazetteer's size and cost, and how matching scales with it.
#[derive(Debug, Clone, Serialize)]
pub struct GazetteerBench {
    pub entities: usize,
    pub aliases: usize,
    /// Keys of the matching automaton (folded, joined and OCR-damaged forms).
    pub keys: usize,
    /// Loading and validating the data, expanding forms, building the automaton.
    pub load_ms: f64,
    /// Resident memory the loaded gazetteer and automaton add.
    pub memory_mb: f64,
    /// Entity matching alone (every paragraph's mentions, one core) on the reference corpus.
    pub match_mb_per_s: f64,
    /// The automaton scan alone with the gazetteer as it is and ten times as large
    /// ([`crate::knowledge::gazetteer::Gazetteer::scaled`]).
    pub scan_mb_per_s_1x: f64,
    pub scan_mb_per_s_10x: f64,
    /// The extra time the 10× automaton takes over the reference corpus, as a share of one
    /// single-core ingest of it (reading and analysis).
    pub ingest_slowdown_10x_pct: f64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub gazetteer: Option<GazetteerBench>,
    pub extractors: Vec<ExtractorSpeed>,
    pub phases: Vec<Phase>,
    /// `ask` latency on the reference corpus (store warm).
    pub ask: Option<crate::ask::latency::AskLatency>,
    /// The same questions on the synthetic corpus's store, when one was built: how `ask`
    /// scales with the store's size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask_synthetic: Option<crate::ask::latency::AskLatency>,
    /// The server's timeline and `ask` under load, idle and while an ingest runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serve: Option<serve::ServeBench>,
    /// PDF ingest (text layer and OCR), when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<pdf::PdfBench>,
    /// Why the PDF bench did not run (Poppler or Tesseract missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf_error: Option<String>,
    /// Hostile shapes of input at full size, each ingested by the binary.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hostile: Vec<hostile::HostileCase>,
}

impl BenchReport {
    /// Human-readable form.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        if let Some(g) = &self.gazetteer {
            s += &format!(
                "gazetteer: {} entities, {} aliases, {} automaton keys; load {:.0} ms, {:.0} MB resident\n  entity matching alone {:.1} MB/s on one core; automaton scan {:.1} MB/s, with a 10x gazetteer {:.1} MB/s (ingest slower by {:.1}%)\n",
                g.entities,
                g.aliases,
                g.keys,
                g.load_ms,
                g.memory_mb,
                g.match_mb_per_s,
                g.scan_mb_per_s_1x,
                g.scan_mb_per_s_10x,
                g.ingest_slowdown_10x_pct
            );
        }
        for e in &self.extractors {
            s += &format!(
                "extractor {}: {:.1} MB/s alone, {} facts, {:.1} ms per reference-corpus ingest\n",
                e.name, e.mb_per_s, e.facts, e.ms_per_corpus
            );
        }
        for p in &self.phases {
            s += &format!(
                "{}: {} files, {:.1} MB, {} sentences\n  ingest {:.2} s = {:.1} MB/s on {} cores ({:.1} MB/s per core); analysis alone {:.1} MB/s on one core\n  time: read+analyse {:.2} s (CPU, all workers), extract {:.2} s, store {:.2} s, index {:.2} s, commit {:.2} s\n  peak RSS {:.0} MB; store on disk {:.0} MB\n  search: {} queries x {} runs: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, {:.1} hits per query\n",
                p.name,
                p.files,
                p.megabytes,
                p.sentences,
                p.ingest_seconds,
                p.mb_per_s,
                p.cores,
                p.mb_per_s_per_core,
                p.analyse_mb_per_s_one_core,
                p.timings.read_analyse,
                p.timings.extract,
                p.timings.store,
                p.timings.index,
                p.timings.commit,
                p.peak_rss_mb,
                p.store_mb,
                p.search.queries,
                p.search.runs,
                p.search.p50_ms,
                p.search.p99_ms,
                p.search.max_ms,
                p.search.mean_hits
            );
            s += &format!(
                "  read model: full build {:.2} s; after one document is added, {:.2} s ({:.0}% of a full build)\n",
                p.snapshot_full_s,
                p.snapshot_change_s,
                p.snapshot_change_s / p.snapshot_full_s.max(1e-9) * 100.0
            );
        }
        // The two number and date parsers beside the whole analysis, all on one core (CPU
        // time): the time and quantity extractors should each stay at 20 MB/s or more.
        let alone = |name: &str| {
            self.extractors
                .iter()
                .find(|e| e.name == name)
                .map_or(f64::NAN, |e| e.mb_per_s)
        };
        if let Some(p) = self.phases.first() {
            s += &format!(
                "one core: time extractor {:.1} MB/s, quantity extractor {:.1} MB/s (bar: 20 each); full analysis {:.1} MB/s\n",
                alone("time"),
                alone("quantity"),
                p.analyse_mb_per_s_one_core
            );
        }
        for (on, a) in [
            ("reference corpus", &self.ask),
            ("synthetic corpus", &self.ask_synthetic),
        ]
        .into_iter()
        .filter_map(|(on, a)| Some((on, a.as_ref()?)))
        {
            s += &format!(
                "ask on the {on} ({} questions from {}, x {} runs, store warm; load once {:.0} ms): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.0}% answered\n",
                a.questions,
                a.questions_from,
                a.runs,
                a.load_ms,
                a.p50_ms,
                a.p99_ms,
                a.max_ms,
                a.answered * 100.0
            );
        }
        if let Some(p) = &self.pdf {
            s += &p.to_text();
        }
        if let Some(e) = &self.pdf_error {
            s += &format!("PDF: not measured: {e}\n");
        }
        if let Some(v) = &self.serve {
            s += &format!(
                "serving the reference corpus ({} connections, {:.0} s per endpoint), idle -> while ingesting {} files ({:.1} MB in {:.1} s{}; {} read models made):\n",
                v.connections,
                v.seconds,
                v.ingest_files,
                v.ingest_mb,
                v.ingest_seconds,
                if v.ingest_throughout {
                    ""
                } else {
                    ", ended before the last window"
                },
                v.view_rebuilds
            );
            for e in &v.endpoints {
                s += &format!(
                    "  {}: {:.0} -> {:.0} req/s; p50 {:.1} -> {:.1} ms, p99 {:.1} -> {:.1} ms; failed {} -> {}\n",
                    e.path,
                    e.idle.req_per_s,
                    e.ingesting.req_per_s,
                    e.idle.p50_ms,
                    e.ingesting.p50_ms,
                    e.idle.p99_ms,
                    e.ingesting.p99_ms,
                    e.idle.failed,
                    e.ingesting.failed
                );
            }
        }
        if !self.hostile.is_empty() {
            s += &hostile::to_text(&self.hostile);
        }
        s
    }
}

/// A figure of `/proc/self/status` given in kB (`VmRSS`, `VmHWM`), in MB; 0 when unknown.
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn rss_mb() -> f64 {
    status_mb("VmRSS")
}

/// The gazetteer figures on the documents of `corpus`.
pub fn gazetteer_bench(corpus: &Path) -> Result<GazetteerBench> {
    use crate::extract::entity::matcher::Matcher;
    use crate::knowledge::gazetteer::Gazetteer;
    let mut texts: Vec<String> = Vec::new();
    let mut bytes = 0usize;
    let mut analyse = 0.0;
    for p in files_in(corpus)? {
        let b = std::fs::read(&p)?;
        bytes += b.len();
        let t = Instant::now();
        if let Ok(d) = crate::document::Document::read("g", b, Default::default()) {
            std::hint::black_box(Pipeline::standard().run(&d));
            analyse += t.elapsed().as_secs_f64();
            for para in &d.paragraphs {
                texts.push(d.paragraph_text(para).to_string());
            }
        }
    }
    let before = rss_mb();
    let t = Instant::now();
    let g = Gazetteer::load_builtin().map_err(|e| anyhow::anyhow!("{e}"))?;
    let m = Matcher::build(&g);
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let memory_mb = (rss_mb() - before).max(0.0);
    let time = |f: &dyn Fn(&str)| {
        let t = Instant::now();
        for _ in 0..3 {
            for x in &texts {
                f(x);
            }
        }
        t.elapsed().as_secs_f64() / 3.0
    };
    // Warm the compiled-in gazetteer before timing the matching.
    crate::extract::entity::mentions("warm");
    let matching = time(&|x| {
        std::hint::black_box(crate::extract::entity::paragraph_mentions(x));
    });
    let scan1 = time(&|x| {
        std::hint::black_box(m.hits(x));
    });
    let g10 = g.scaled(10);
    let m10 = Matcher::build(&g10);
    let scan10 = time(&|x| {
        std::hint::black_box(m10.hits(x));
    });
    let mb = bytes as f64 / 1e6;
    Ok(GazetteerBench {
        entities: g.entities.len(),
        aliases: g.alias_count(),
        keys: m.len(),
        load_ms,
        memory_mb,
        match_mb_per_s: mb / matching.max(1e-9),
        scan_mb_per_s_1x: mb / scan1.max(1e-9),
        scan_mb_per_s_10x: mb / scan10.max(1e-9),
        ingest_slowdown_10x_pct: (scan10 - scan1).max(0.0) / analyse.max(1e-9) * 100.0,
    })
}

pub(crate) fn reset_peak_rss() {
    // Linux: writing 5 to clear_refs resets the peak resident set size.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub(crate) fn peak_rss_mb() -> f64 {
    status_mb("VmHWM")
}

fn dir_size(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let m = match e.metadata() {
                Ok(m) => m,
                Err(_) => continue,
            };
            n += if m.is_dir() {
                dir_size(&e.path())
            } else {
                m.len()
            };
        }
    }
    n
}

fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    Ok(v)
}

/// Writes a synthetic corpus of at least `mb` megabytes into `dir`: copies of the reference
/// documents, each copy with its digits rotated, a subset of word swaps chosen by the copy
/// number, and its own title line, so that every file is distinct (none is skipped as a
/// duplicate) and the index sees new numbers and new term statistics.
pub fn make_synthetic(reference: &Path, dir: &Path, mb: u64) -> Result<usize> {
    std::fs::create_dir_all(dir)?;
    let sources: Vec<(String, String)> = files_in(reference)?
        .into_iter()
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).ok()?;
            Some((name, text))
        })
        .collect();
    anyhow::ensure!(
        !sources.is_empty(),
        "no reference documents in {}",
        reference.display()
    );
    let swaps = [
        ("Soviet", "Socialist"),
        ("Vietnam", "Viet Nam"),
        ("Liên Xô", "Liên bang Xô viết"),
        ("quan hệ", "mối quan hệ"),
        ("treaty", "agreement"),
        ("hợp tác", "cộng tác"),
    ];
    let target = mb * 1_000_000;
    let mut written = 0u64;
    let mut files = 0usize;
    let mut k = 0u32;
    while written < target {
        k += 1;
        for (name, text) in &sources {
            let rot = (k % 9 + 1) as u8;
            let mut t: String = text
                .chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        (b'0' + (c as u8 - b'0' + rot) % 10) as char
                    } else {
                        c
                    }
                })
                .collect();
            for (bit, (a, b)) in swaps.iter().enumerate() {
                if (k >> bit) & 1 == 1 {
                    t = t.replace(a, b);
                }
            }
            t.insert_str(0, &format!("Synthetic copy {k} of {name}\n\n"));
            let path = dir.join(format!("{name}_copy{k:04}.txt"));
            std::fs::write(&path, &t)?;
            written += t.len() as u64;
            files += 1;
            if written >= target {
                break;
            }
        }
    }
    Ok(files)
}

/// Seconds of CPU time this thread has used: a measure of one core's work that other
/// processes on a busy machine do not inflate.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn analyse_one_core(files: &[PathBuf]) -> Result<f64> {
    let pipeline = Pipeline::standard();
    // Warm up: compile every extractor's rules before timing.
    if let Some(p) = files.first() {
        let b = std::fs::read(p)?;
        if let Ok(doc) = crate::document::Document::read("warm-up", b, Default::default()) {
            std::hint::black_box(pipeline.run(&doc));
        }
    }
    let mut bytes = 0u64;
    let mut secs = 0.0;
    for p in files {
        let b = std::fs::read(p)?;
        bytes += b.len() as u64;
        let id = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let t = thread_cpu_seconds();
        if let Ok(doc) = crate::document::Document::read(&id, b, Default::default()) {
            std::hint::black_box(pipeline.run(&doc));
        }
        secs += thread_cpu_seconds() - t;
    }
    Ok(bytes as f64 / 1e6 / f64::max(secs, 1e-9))
}

/// Each extractor of the standard pipeline, timed alone (CPU time of this thread, the best
/// of `rounds` passes) over the documents of `corpus`.
fn extractor_speeds(corpus: &Path, rounds: usize) -> Result<Vec<ExtractorSpeed>> {
    let mut docs = Vec::new();
    let mut bytes = 0usize;
    for p in files_in(corpus)? {
        let b = std::fs::read(&p)?;
        bytes += b.len();
        let id = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Ok(d) = crate::document::Document::read(&id, b, Default::default()) {
            docs.push(d);
        }
    }
    let pipeline = Pipeline::standard();
    let mut earlier: Vec<Vec<crate::extract::Fact>> = vec![Vec::new(); docs.len()];
    let mut out = Vec::new();
    for e in pipeline.extractors() {
        let mut facts = 0;
        let mut found: Vec<Vec<crate::extract::Fact>> = vec![Vec::new(); docs.len()];
        for (d, f) in docs.iter().zip(found.iter_mut()) {
            e.extract_after(d, &[], f); // warm up
            f.clear();
        }
        // The best round counts: work elsewhere on the machine only ever slows a round.
        let mut secs = f64::INFINITY;
        for _ in 0..rounds {
            let t = thread_cpu_seconds();
            for ((d, before), f) in docs.iter().zip(&earlier).zip(found.iter_mut()) {
                f.clear();
                e.extract_after(d, before, f);
            }
            secs = secs.min(thread_cpu_seconds() - t);
        }
        for (before, f) in earlier.iter_mut().zip(found) {
            facts += f.len();
            before.extend(f);
        }
        out.push(ExtractorSpeed {
            name: e.name().to_string(),
            mb_per_s: bytes as f64 / 1e6 / secs.max(1e-9),
            facts,
            ms_per_corpus: secs * 1e3,
        });
    }
    Ok(out)
}

/// Search latency on the archive at `data` as it is (a folder or a PostgreSQL URL): the
/// bench's query list, `runs` times, after one warm-up round. Nothing is ingested.
pub fn search_latency(data: &Path, runs: usize) -> Result<Latency> {
    latency(&Archive::open(data)?, runs)
}

fn latency(archive: &Archive, runs: usize) -> Result<Latency> {
    let mut samples = Vec::with_capacity(QUERIES.len() * runs);
    let mut hits = 0usize;
    // Warm up.
    for q in QUERIES {
        let _ = archive.search(&SearchRequest {
            query: q.into(),
            limit: 10,
            ..Default::default()
        });
    }
    for _ in 0..runs {
        for q in QUERIES {
            let req = SearchRequest {
                query: q.into(),
                limit: 10,
                ..Default::default()
            };
            let t = Instant::now();
            let r = archive.search(&req)?;
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            hits += r.len();
        }
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| percentile(&samples, p);
    Ok(Latency {
        queries: QUERIES.len(),
        runs,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        max_ms: *samples.last().unwrap_or(&0.0),
        mean_hits: hits as f64 / samples.len().max(1) as f64,
    })
}

/// Ingests `path` into `archive` with the default options and pipeline, printing nothing.
fn ingest_quietly(archive: &mut Archive, path: &Path) -> Result<IngestSummary> {
    Ok(ingest::ingest(
        archive,
        &[path.to_path_buf()],
        &IngestOptions::default(),
        &Pipeline::standard(),
        &Silent,
    )?)
}

pub use crate::ask::latency::percentile;

fn phase(name: &str, corpus: &Path, data: &Path, sample_for_analysis: usize) -> Result<Phase> {
    let files = files_in(corpus)?;
    let one_core = analyse_one_core(&files[..files.len().min(sample_for_analysis)])?;
    reset_peak_rss();
    let mut archive = Archive::open(data)?;
    let summary: IngestSummary = ingest_quietly(&mut archive, corpus)?;
    let peak = peak_rss_mb();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mb = summary.bytes as f64 / 1e6;
    let mut sentences = 0u64;
    for d in archive.store.documents()? {
        sentences += d.sentences;
    }
    let search = latency(&archive, 10)?;
    let (snapshot_full_s, snapshot_change_s) = snapshot_times(&mut archive, corpus, data)?;
    let mbps = mb / summary.seconds.max(1e-9);
    Ok(Phase {
        name: name.into(),
        files: files.len(),
        megabytes: mb,
        sentences,
        ingest_seconds: summary.seconds,
        mb_per_s: mbps,
        cores,
        mb_per_s_per_core: mbps / cores as f64,
        analyse_mb_per_s_one_core: one_core,
        timings: summary.timings,
        peak_rss_mb: peak,
        search,
        store_mb: dir_size(data) as f64 / 1e6,
        snapshot_full_s,
        snapshot_change_s,
    })
}

/// The read model of the store in `archive` built in full, then one document (a copy of a
/// corpus file with a line of its own) added and the read model made again from the first
/// one: (full seconds, change seconds).
fn snapshot_times(archive: &mut Archive, corpus: &Path, data: &Path) -> Result<(f64, f64)> {
    use crate::snapshot::Snapshot;
    let t = Instant::now();
    let full = Snapshot::build(archive.store.as_ref())?;
    let full_s = t.elapsed().as_secs_f64();
    let extra = data.with_extension("one-more");
    std::fs::create_dir_all(&extra)?;
    let first = files_in(corpus)?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("{}: no files", corpus.display()))?;
    let mut text = std::fs::read(&first)?;
    text.extend_from_slice(b"\n\nOne more paragraph, added by annals bench.\n");
    std::fs::write(extra.join("one-more.txt"), text)?;
    ingest_quietly(archive, &extra)?;
    let t = Instant::now();
    let changed = Snapshot::apply_change(Some(&full), archive.store.as_ref(), 2)?;
    let change_s = t.elapsed().as_secs_f64();
    std::hint::black_box(changed);
    Ok((full_s, change_s))
}

/// `ask`'s latency over the store in `data`: its read model built once, then every
/// question answered `runs` times.
fn ask_latency(
    data: &Path,
    questions: &[String],
    from: &str,
    runs: usize,
) -> Result<crate::ask::latency::AskLatency> {
    let archive = Archive::open(data)?;
    let t = Instant::now();
    let snapshot = crate::snapshot::Snapshot::build(archive.store.as_ref())?;
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    Ok(crate::ask::latency::measure(
        &snapshot.asker,
        load_ms,
        questions,
        from,
        runs,
    ))
}

/// How long one hostile case may run before it is killed and reported as timed out.
pub const HOSTILE_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Runs the benchmark: the reference corpus, then (unless `synthetic_mb` is 0) a synthetic
/// corpus of that size.
pub fn run(
    corpus: &Path,
    synthetic_mb: u64,
    serve_mb: u64,
    pdf_pages: usize,
    hostile_mb: u64,
    workdir: Option<&Path>,
) -> Result<BenchReport> {
    let tmp;
    let work = match workdir {
        Some(w) => w.to_path_buf(),
        None => {
            tmp = std::env::temp_dir().join(format!("annals-bench-{}", std::process::id()));
            tmp
        }
    };
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let mut phases = vec![phase(
        "reference corpus",
        corpus,
        &work.join("data-reference"),
        usize::MAX,
    )?];
    // `ask` over the dev questions when the evaluation folder sits beside the corpus.
    let dev = corpus.join("../eval/gold/qa.jsonl");
    let (questions, from) = match crate::ask::latency::read_questions(&dev) {
        Some(q) => (q, dev.display().to_string()),
        None => (
            crate::ask::latency::QUESTIONS
                .iter()
                .map(|q| q.to_string())
                .collect(),
            "annals::ask::latency::QUESTIONS".to_string(),
        ),
    };
    let ask = Some(ask_latency(
        &work.join("data-reference"),
        &questions,
        &from,
        10,
    )?);
    let mut ask_synthetic = None;
    if synthetic_mb > 0 {
        let syn = work.join("synthetic");
        make_synthetic(corpus, &syn, synthetic_mb)?;
        phases.push(phase(
            &format!("synthetic corpus ({synthetic_mb} MB)"),
            &syn,
            &work.join("data-synthetic"),
            40,
        )?);
        ask_synthetic = Some(ask_latency(
            &work.join("data-synthetic"),
            &questions,
            &from,
            3,
        )?);
    }
    let serve = if serve_mb > 0 {
        let batch = serve::make_batch(corpus, &work, serve_mb)?;
        Some(serve::run(corpus, &batch, &work, 5.0, 8)?)
    } else {
        None
    };
    let (pdf, pdf_error) = if pdf_pages > 0 {
        match pdf::bench(&work, pdf_pages, 4) {
            Ok(b) => (Some(b), None),
            Err(e) => (None, Some(format!("{e:#}"))),
        }
    } else {
        (None, None)
    };
    let hostile = if hostile_mb > 0 {
        hostile::run(&std::env::current_exe()?, &work, hostile_mb, HOSTILE_LIMIT)?
    } else {
        Vec::new()
    };
    if workdir.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    Ok(BenchReport {
        pdf,
        pdf_error,
        hostile,
        gazetteer: Some(gazetteer_bench(corpus)?),
        extractors: extractor_speeds(corpus, 10)?,
        phases,
        ask,
        ask_synthetic,
        serve,
    })
}
