//! `annals ingest`: the batch, its progress bar and its summary.

use super::OutFormat;
use annals::document::ReadOptions;
use annals::extract::Pipeline;
use annals::ingest::{self, FileOutcome, FileReport, IngestOptions, IngestSummary, Progress};
use annals::source::decode::Encoding;
use annals::source::ocr::{self, OcrMode, OcrOptions};
use annals::terminal::printable;
use annals::text::layout::Format;
use anyhow::Result;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Ingest files and folders (recursively) into the store.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// Files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Reject files larger than this many bytes.
    #[arg(long, default_value_t = ingest::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Read every file in this encoding instead of detecting it (utf-8, windows-1258,
    /// tcvn3, vni-windows, windows-1251, koi8-r).
    #[arg(long, value_parser = parse_encoding)]
    pub encoding: Option<Encoding>,
    /// Read every file in this format instead of detecting it.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Summary as text or JSON.
    #[arg(long, value_enum, default_value = "text")]
    pub output: OutFormat,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Reject a file whose analysis takes longer than this many seconds (0: no limit).
    #[arg(long, default_value_t = ingest::DEFAULT_MAX_SECONDS_PER_FILE)]
    pub max_seconds_per_file: f64,
    /// Reject a file whose reading and analysis would hold more memory than this at once: a
    /// number of bytes, or with a unit (KiB, MiB, GiB; K, M, G are the same); 0: no limit.
    /// Analysis holds about 20 to 30 bytes per byte of dense text, so the default admits
    /// text files of about 20 MB.
    #[arg(long, default_value = "512MiB", value_parser = parse_memory)]
    pub max_memory_per_file: Memory,
    /// This worker's name, when several ingests share a PostgreSQL archive (default: host
    /// name and process id). Each file is analysed by one worker; the summary says which.
    #[arg(long)]
    pub worker: Option<String>,
    /// On a shared archive, seconds a claim on a file lasts unrenewed: a hung worker's
    /// files go to the others after this (a killed worker's go at once).
    #[arg(long, default_value_t = annals::store::claims::DEFAULT_LEASE.as_secs_f64())]
    pub lease_seconds: f64,
    #[command(flatten)]
    pub ocr: OcrArgs,
}

/// How PDFs and scans are read.
#[derive(clap::Args, Clone)]
pub struct OcrArgs {
    /// When to OCR a PDF's pages: pages without a usable text layer (auto), every page
    /// (always), or none (never). Images are always OCR'd.
    #[arg(long, value_enum, default_value = "auto")]
    pub ocr: OcrModeArg,
    /// Languages to OCR with, as codes joined by '+' ("vi", "vi+ru"); by default chosen
    /// from the first page's text.
    #[arg(long)]
    pub ocr_lang: Option<String>,
    /// Resolution at which PDF pages are rendered for OCR.
    #[arg(long, default_value_t = ocr::DEFAULT_DPI, value_parser = clap::value_parser!(u32).range(72..=1200))]
    pub ocr_dpi: u32,
    /// Refuse PDFs with more pages than this.
    #[arg(long, default_value_t = ocr::DEFAULT_MAX_PAGES)]
    pub max_pdf_pages: u32,
    /// Refuse images larger than this many pixels (width × height); a PDF page is rendered
    /// for OCR within it.
    #[arg(long, default_value_t = ocr::DEFAULT_MAX_PIXELS)]
    pub max_image_pixels: u64,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OcrModeArg {
    Auto,
    Always,
    Never,
}

impl OcrArgs {
    /// The options these arguments ask for; an unknown language is an error naming it.
    pub fn options(&self) -> Result<OcrOptions> {
        let mut o = OcrOptions {
            mode: match self.ocr {
                OcrModeArg::Auto => OcrMode::Auto,
                OcrModeArg::Always => OcrMode::Always,
                OcrModeArg::Never => OcrMode::Never,
            },
            dpi: self.ocr_dpi,
            max_pages: self.max_pdf_pages,
            max_pixels: self.max_image_pixels,
            ..OcrOptions::default()
        };
        if let Some(l) = &self.ocr_lang {
            o = o
                .with_langs(l)
                .map_err(|e| anyhow::anyhow!("--ocr-lang: {e}"))?;
        }
        Ok(o)
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Plain,
    Markdown,
    Wiki,
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Plain => Format::Plain,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Wiki => Format::Wiki,
            FormatArg::Html => Format::Html,
        }
    }
}

pub fn parse_encoding(s: &str) -> Result<Encoding, String> {
    Encoding::from_name(s).ok_or_else(|| format!("unknown encoding {s:?}"))
}

/// Runs the ingest and prints its summary; exit status 2 when every file was rejected.
pub fn run(data: &Path, a: IngestArgs) -> Result<()> {
    let IngestArgs {
        paths,
        quiet,
        max_bytes,
        encoding,
        format,
        output,
        threads,
        max_seconds_per_file,
        max_memory_per_file,
        worker,
        lease_seconds,
        ocr,
    } = a;
    if !(lease_seconds.is_finite() && lease_seconds >= 1.0) {
        anyhow::bail!("--lease-seconds must be at least 1 (got {lease_seconds})");
    }
    let mut archive = super::open(data)?;
    let opts = IngestOptions {
        max_seconds_per_file: seconds_budget(max_seconds_per_file)?,
        max_memory_per_file: max_memory_per_file.0,
        max_bytes,
        read: ReadOptions {
            encoding,
            format: format.map(Into::into),
            lang: None,
            ocr: ocr.options()?,
        },
        threads,
        worker,
        lease: std::time::Duration::from_secs_f64(lease_seconds),
        ..Default::default()
    };
    let bar = Bar::new(quiet || !std::io::stderr().is_terminal());
    let result = ingest::ingest(&mut archive, &paths, &opts, &Pipeline::standard(), &bar);
    bar.finish();
    let summary = match result {
        Ok(s) => s,
        Err(failed) => {
            // What was done is reported (as JSON too) before the error.
            print_summary(&failed.summary, output)?;
            return Err(anyhow::Error::new(failed.error)
                .context("the ingest stopped: documents stored before this are kept; run it again once the cause is fixed"));
        }
    };
    print_summary(&summary, output)?;
    if summary.added
        + summary.replaced
        + summary.unchanged
        + summary.duplicates
        + summary.other_workers
        == 0
        && summary.rejected > 0
    {
        std::process::exit(2);
    }
    Ok(())
}

fn print_summary(s: &IngestSummary, format: OutFormat) -> Result<()> {
    if format == OutFormat::Json {
        println!("{}", serde_json::to_string_pretty(s)?);
        return Ok(());
    }
    let mb = s.bytes as f64 / 1e6;
    println!(
        "ingest: {} added, {} unchanged, {} replaced, {} duplicates, {} rejected ({:.1} MB in {:.2} s)",
        s.added, s.unchanged, s.replaced, s.duplicates, s.rejected, mb, s.seconds
    );
    if s.recovered > 0 {
        println!(
            "  recovered: indexed {} documents an interrupted run had stored",
            s.recovered
        );
    }
    if s.skipped > 0 {
        println!("  skipped: {} hidden files or folders", s.skipped);
    }
    if let Some(w) = s
        .worker
        .as_ref()
        .filter(|w| s.other_workers > 0 || !w.taken_over.is_empty() || !w.lease_lost.is_empty())
    {
        let others: Vec<String> = w
            .others
            .iter()
            .map(|(name, n)| format!("{} {n}", printable(name)))
            .collect();
        println!(
            "  worker {}: the counts above are this worker's; other workers finished {} files of this batch{}",
            printable(&w.name),
            s.other_workers,
            if others.is_empty() {
                String::new()
            } else {
                format!(" ({})", others.join(", "))
            }
        );
        for t in &w.taken_over {
            println!(
                "  taken over {}: from worker {}, which was lost before it finished",
                printable(&t.doc),
                printable(&t.from)
            );
        }
        for d in &w.lease_lost {
            println!(
                "  lease lost {}: stored after another worker had taken it over",
                printable(d)
            );
        }
    }
    for f in &s.files {
        let path = printable(&f.path);
        match &f.outcome {
            FileOutcome::Rejected { reason } => {
                println!("  rejected   {path}: {}", printable(reason))
            }
            FileOutcome::Skipped { reason } => println!("  skipped    {path}: {reason}"),
            FileOutcome::NotStored { reason } => println!("  not stored {path}: {reason}"),
            FileOutcome::Duplicate { of } => {
                println!(
                    "  duplicate  {path}: same content as {}; recorded as another name of it",
                    printable(of)
                )
            }
            _ => {}
        }
        if let Some(enc) = &f.converted_from {
            println!(
                "  converted  {path}: from {enc} to UTF-8 (detection confidence {:.2})",
                f.encoding_confidence.unwrap_or(1.0)
            );
        }
        if let Some(p) = &f.pages {
            if p.ocr > 0 {
                println!(
                    "  ocr        {path}: {} of {} page{} read by OCR",
                    p.ocr,
                    p.pages,
                    if p.pages == 1 { "" } else { "s" }
                );
            }
            for u in &p.unread {
                println!("  unread     {path}: {}", printable(u));
            }
        }
    }
    Ok(())
}

/// The terminal progress bar.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(hidden: bool) -> Bar {
        if hidden {
            return Bar(None);
        }
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} [{bar:30}] {bytes}/{total_bytes} {msg} ({eta})",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        Bar(Some(pb))
    }

    fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, _files: usize, bytes: u64) {
        if let Some(pb) = &self.0 {
            pb.set_length(bytes);
        }
    }

    fn file_done(&self, r: &FileReport) {
        if let Some(pb) = &self.0 {
            pb.inc(r.bytes);
            pb.set_message(printable(&r.doc).into_owned());
        }
    }

    fn waiting(&self, reason: &str) {
        match &self.0 {
            Some(pb) => pb.println(format!("note: {reason}")),
            None => eprintln!("note: {reason}"),
        }
    }
}

/// A per-file memory budget from the command line (None: no limit).
#[derive(Debug, Clone, Copy)]
pub struct Memory(pub Option<usize>);

/// Reads "512MiB", "1G", "300000000", "0" (no limit).
fn parse_memory(s: &str) -> std::result::Result<Memory, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" | "kib" => 1024.0,
        "m" | "mb" | "mib" => 1024.0 * 1024.0,
        "g" | "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "{s:?}: a size is a number of bytes, or a number with KiB, MiB or GiB (0: no limit)"
            ));
        }
    };
    let n: f64 = num.parse().map_err(|_| {
        format!(
            "{s:?}: a size is a number of bytes, or a number with KiB, MiB or GiB (0: no limit)"
        )
    })?;
    let bytes = n * scale;
    if !bytes.is_finite() || bytes >= usize::MAX as f64 {
        return Err(format!("{s:?}: too large"));
    }
    Ok(Memory((bytes >= 1.0).then_some(bytes as usize)))
}

/// A per-file time budget from the command line: seconds, 0 for none.
fn seconds_budget(s: f64) -> Result<Option<std::time::Duration>> {
    if !s.is_finite() || s < 0.0 {
        anyhow::bail!("--max-seconds-per-file must be a number of seconds ≥ 0 (0: no limit)");
    }
    Ok((s > 0.0).then(|| std::time::Duration::from_secs_f64(s)))
}
