//! The `annals` command line: parses arguments, calls the library, prints.

use annals::archive::Archive;
use annals::document::{Document, ReadOptions};
use annals::export;
use annals::extract::Pipeline;
use annals::ingest::{self, FileOutcome, FileReport, IngestOptions, IngestSummary, Progress};
use annals::search::SearchRequest;
use annals::source::decode::Encoding;
use annals::terminal::printable;
use annals::text::lang::Lang;
use annals::text::layout::Format;
use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "annals",
    version,
    about = "Historical sources into an evidence-backed knowledge base"
)]
struct Cli {
    /// Data folder holding the store and the search index.
    #[arg(
        long,
        global = true,
        env = "ANNALS_DATA",
        default_value = "annals-data"
    )]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum OutFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum AskFormat {
    Text,
    Json,
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ExportFormat {
    /// Every record, JSON Lines (the contract in shared/eval/README.md).
    Jsonl,
    /// One table as CSV (--kind); cells starting with = + - @ get a leading '.
    Csv,
    /// The merged events as TimelineJS 3 JSON.
    Timelinejs,
    /// Every fact as a W3C Web Annotation, JSON Lines (one annotation a line).
    Annotations,
    /// Every fact as one W3C Web Annotation AnnotationCollection (JSON-LD).
    AnnotationCollection,
    /// The works the sources cite, CSL-JSON.
    Csl,
    /// The works the sources cite, BibTeX.
    Bibtex,
}

/// The table `export --format csv` writes.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum CsvKindArg {
    Events,
    Facts,
    Series,
    Conflicts,
    Documents,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
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

#[derive(Subcommand)]
enum Command {
    /// Ingest files and folders (recursively) into the store.
    Ingest {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Reject files larger than this many bytes.
        #[arg(long, default_value_t = ingest::DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// Read every file in this encoding instead of detecting it (utf-8, windows-1258,
        /// tcvn3, vni-windows, windows-1251, koi8-r).
        #[arg(long, value_parser = parse_encoding)]
        encoding: Option<Encoding>,
        /// Read every file in this format instead of detecting it.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Summary as text or JSON.
        #[arg(long, value_enum, default_value = "text")]
        output: OutFormat,
        /// Worker threads (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Reject a file whose analysis takes longer than this many seconds (0: no limit).
        #[arg(long, default_value_t = ingest::DEFAULT_MAX_SECONDS_PER_FILE)]
        max_seconds_per_file: f64,
    },
    /// Search sentences (BM25; Vietnamese with or without diacritics; "quoted phrases").
    Search {
        query: Vec<String>,
        /// Only this document.
        #[arg(long)]
        doc: Option<String>,
        /// Only sentences in this language (vi, en, ru).
        #[arg(long)]
        lang: Option<Lang>,
        /// Number of hits.
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// Run the pipeline on text from stdin (or --file) without storing; print JSON Lines.
    Extract {
        /// Read this file instead of stdin.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Language hint for short inputs.
        #[arg(long)]
        lang: Option<Lang>,
        /// Format of the input.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Also print paragraph records.
        #[arg(long)]
        paragraphs: bool,
    },
    /// Export the whole store.
    Export {
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExportFormat,
        /// The table written by --format csv.
        #[arg(long, value_enum, default_value = "events")]
        kind: CsvKindArg,
        /// Annotations: documents are BASE_URL + id instead of urn:annals:doc:id.
        #[arg(long)]
        base_url: Option<String>,
        /// Write here instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// List stored documents (and files that were rejected).
    Documents {
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// Show one entity: labels, mentions by document, co-occurring entities. NAME is any
    /// alias in any language, with or without diacritics ("Brezhnev", "Brêgiơnép",
    /// "Брежнев", "lien xo").
    Entity {
        name: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// List the gazetteer's entities with their mention counts, or (--candidates) names in
    /// the sources that no entity matched, for curation.
    Entities {
        /// Names not in the gazetteer, with counts and example spans.
        #[arg(long)]
        candidates: bool,
        /// With --candidates: only names seen at least this often.
        #[arg(long, default_value_t = 2)]
        min_count: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// Answer a question from the sources, with citations (English, Vietnamese, Russian).
    Ask {
        /// The question.
        question: Vec<String>,
        /// Answer every {"id","question"} line of this file (JSON Lines out).
        #[arg(long)]
        batch: Option<PathBuf>,
        /// text or json (one question); jsonl (batch).
        #[arg(long, value_enum, default_value = "text")]
        format: AskFormat,
    },
    /// The events of the sources, merged across documents and languages: one line per
    /// event with its sources.
    Timeline {
        /// Earliest date (ISO prefix: 1975, 1978-11).
        #[arg(long)]
        from: Option<String>,
        /// Latest date (ISO prefix).
        #[arg(long)]
        to: Option<String>,
        /// Field: politics, economy, education, science, military, culture.
        #[arg(long)]
        field: Option<String>,
        /// An actor, by any name in any language ("Brezhnev", "Liên Xô").
        #[arg(long)]
        actor: Option<String>,
        /// Event type (visit, treaty, agreement, aid, trade, membership, war, ...).
        #[arg(long = "type")]
        ty: Option<String>,
        /// Print each statement's text under its event.
        #[arg(long)]
        evidence: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// Where the sources disagree: event dates, figures, orderings; every side with its
    /// evidence.
    Conflicts {
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// List the series of measures over time (trade, aid, students...), or show the series
    /// NAME selects (its key, or a name in any language: "trade", "kim ngạch", "товарооборот")
    /// as a table with its sources and its value conflicts.
    Series {
        name: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// Check the store's consistency and the index's agreement with it.
    Check,
    /// Rebuild the search index from the store.
    Reindex,
    /// Serve the workbench: web pages and the JSON API (OpenAPI at /openapi.json); PATHs
    /// given are ingested in the background while serving.
    Serve {
        /// Address to listen on. Anything but loopback needs --token.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Token every write (curation) needs; made at start and printed when not given.
        #[arg(long, env = "ANNALS_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// A query running longer than this many milliseconds is abandoned with a reason.
        #[arg(long, default_value_t = 5000)]
        query_timeout_ms: u64,
        /// A client must send a request's headers, and its body, within this many
        /// milliseconds; a stalled connection is closed.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
        read_timeout_ms: u64,
        /// Connections open at once; more wait to be accepted.
        #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..))]
        max_connections: u64,
        /// Files and folders to ingest once serving.
        paths: Vec<PathBuf>,
    },
    /// Measure ingest throughput, memory and search latency.
    Bench {
        /// The reference corpus.
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Size of the synthetic corpus in MB (0 to skip).
        #[arg(long, default_value_t = 200)]
        synthetic_mb: u64,
        /// Where to build the bench stores (a temporary folder by default).
        #[arg(long)]
        workdir: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    // --- curation (`annals curate ...`, `annals audit`) ---
    /// Confirm, reject or edit a fact or an event, merge or split events, or retract a
    /// decision. Every decision needs --reason and goes into the audit log.
    Curate {
        #[command(subcommand)]
        action: CurateCommand,
    },
    /// The curation audit log (who, when, what, old and new value, why), each entry with
    /// how it stands now: applies, reanchored, stale, retracted.
    Audit {
        /// Only the decisions that no longer apply (their text or the machine's value
        /// changed when a document was re-ingested).
        #[arg(long)]
        stale: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    // --- end of curation ---
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    Encoding::from_name(s).ok_or_else(|| format!("unknown encoding {s:?}"))
}

fn main() {
    let cli = Cli::parse();
    // Die quietly on a closed pipe (`annals export | head`), as command-line tools do,
    // instead of panicking in println!. Never for the server: a browser that leaves a page
    // closes its connection while the answer is written, and that must cost the server
    // one response (an error it handles), not its life.
    if !matches!(cli.command, Command::Serve { .. }) {
        // SAFETY: called in main before any thread exists; restores the default action.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    if let Err(e) = run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn open(data: &std::path::Path) -> Result<Archive> {
    Archive::open(data).with_context(|| format!("opening the store in {}", data.display()))
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Ingest {
            paths,
            quiet,
            max_bytes,
            encoding,
            format,
            output,
            threads,
            max_seconds_per_file,
        } => {
            let mut archive = open(&cli.data)?;
            let opts = IngestOptions {
                max_seconds_per_file: seconds_budget(max_seconds_per_file)?,
                max_bytes,
                read: ReadOptions {
                    encoding,
                    format: format.map(Into::into),
                    lang: None,
                },
                threads,
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
            if summary.added + summary.replaced + summary.unchanged + summary.duplicates == 0
                && summary.rejected > 0
            {
                std::process::exit(2);
            }
            Ok(())
        }
        Command::Search {
            query,
            doc,
            lang,
            limit,
            format,
        } => {
            let mut archive = open(&cli.data)?;
            match archive.try_reconcile() {
                Ok(Some(_)) => {}
                Ok(None) => {
                    eprintln!("note: an ingest is running; searching what it has committed so far")
                }
                // Reading must not need room to write (a full disk, a read-only copy).
                Err(e) => eprintln!(
                    "note: the search index could not be brought up to date ({e}); searching what it holds"
                ),
            }
            let req = SearchRequest {
                query: query.join(" "),
                doc,
                lang,
                limit,
            };
            let hits = archive.search(&req)?;
            let out = std::io::stdout();
            let mut out = BufWriter::new(out.lock());
            match format {
                OutFormat::Json => {
                    for h in &hits {
                        serde_json::to_writer(&mut out, h)?;
                        writeln!(out)?;
                    }
                }
                OutFormat::Text => {
                    if hits.is_empty() {
                        if archive.index.is_empty()? {
                            let stored = archive.store.documents()?.len();
                            if stored == 0 {
                                writeln!(
                                    out,
                                    "the store is empty: run `annals ingest PATH` first"
                                )?;
                            } else {
                                writeln!(
                                    out,
                                    "the search index holds nothing yet although {stored} documents are stored; `annals check` indexes them"
                                )?;
                            }
                        } else {
                            writeln!(out, "no sentence matches {:?}", req.query)?;
                        }
                    }
                    let color = std::io::stdout().is_terminal();
                    for (i, h) in hits.iter().enumerate() {
                        writeln!(
                            out,
                            "{:>2}. {} [{}..{}] {} score {:.2}",
                            i + 1,
                            h.doc,
                            h.start,
                            h.end,
                            h.lang,
                            h.score
                        )?;
                        let snip = if color {
                            bold_marks(&h.snippet)
                        } else {
                            h.snippet.clone()
                        };
                        writeln!(out, "    {snip}")?;
                    }
                }
            }
            out.flush()?;
            Ok(())
        }
        Command::Extract {
            file,
            lang,
            format,
            paragraphs,
        } => {
            let (id, bytes) = match &file {
                Some(p) => (
                    p.file_name()
                        .map_or("input".into(), |n| n.to_string_lossy().into_owned()),
                    std::fs::read(p).with_context(|| format!("reading {}", p.display()))?,
                ),
                None => {
                    let mut b = Vec::new();
                    std::io::stdin()
                        .read_to_end(&mut b)
                        .context("reading stdin")?;
                    ("stdin".to_string(), b)
                }
            };
            let doc = Document::read(
                &id,
                bytes,
                ReadOptions {
                    encoding: None,
                    format: format.map(Into::into),
                    lang,
                },
            )
            .with_context(|| format!("{id}: cannot read"))?;
            let facts = Pipeline::standard().run(&doc);
            let out = std::io::stdout();
            let mut out = BufWriter::new(out.lock());
            writeln!(out, "{}", export::document_record(&doc, &[]))?;
            if paragraphs {
                for r in export::paragraph_records(&doc) {
                    writeln!(out, "{r}")?;
                }
            }
            for r in export::sentence_records(&doc) {
                writeln!(out, "{r}")?;
            }
            for f in &facts {
                writeln!(out, "{}", export::fact_record(f))?;
            }
            out.flush()?;
            Ok(())
        }
        Command::Export {
            format,
            kind,
            base_url,
            output,
        } => {
            use annals::export::{annotation, csl, csv, timelinejs};
            let archive = open(&cli.data)?;
            let sink: Box<dyn Write> = match &output {
                Some(p) => Box::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut out = BufWriter::new(sink);
            let store = archive.store.as_ref();
            let anno = annotation::AnnotationOptions { base_url };
            match format {
                ExportFormat::Jsonl => annals::export::write_store(store, &mut out)?,
                ExportFormat::Csv => {
                    let kind = match kind {
                        CsvKindArg::Events => csv::CsvKind::Events,
                        CsvKindArg::Facts => csv::CsvKind::Facts,
                        CsvKindArg::Series => csv::CsvKind::Series,
                        CsvKindArg::Conflicts => csv::CsvKind::Conflicts,
                        CsvKindArg::Documents => csv::CsvKind::Documents,
                    };
                    csv::write_csv(store, kind, &mut out)?;
                }
                ExportFormat::Timelinejs => {
                    let stats = timelinejs::write_timelinejs(store, &mut out)?;
                    if stats.skipped > 0 {
                        eprintln!("{} events without a known year left out", stats.skipped);
                    }
                }
                ExportFormat::Annotations => {
                    annotation::write_annotations(store, &anno, &mut out)?;
                }
                ExportFormat::AnnotationCollection => {
                    annotation::write_annotation_collection(store, &anno, &mut out)?;
                }
                ExportFormat::Csl => {
                    csl::write_csl(store, &mut out)?;
                }
                ExportFormat::Bibtex => {
                    csl::write_bibtex(store, &mut out)?;
                }
            }
            out.flush()?;
            Ok(())
        }
        Command::Documents { format } => {
            let archive = open(&cli.data)?;
            let docs = archive.store.documents()?;
            let rejected = archive.store.rejections()?;
            match format {
                OutFormat::Json => {
                    for d in &docs {
                        println!("{}", serde_json::to_string(d)?);
                    }
                    for r in &rejected {
                        println!(
                            "{}",
                            serde_json::json!({"rejected": r.path, "reason": r.reason, "at": r.at})
                        );
                    }
                }
                OutFormat::Text => {
                    if docs.is_empty() {
                        println!("no documents yet: run `annals ingest PATH`");
                    }
                    for d in &docs {
                        println!(
                            "{}  {} bytes  {}  {}  {}  {} paragraphs  {} sentences{}{}",
                            printable(&d.id),
                            d.bytes,
                            d.encoding,
                            d.format,
                            d.lang,
                            d.paragraphs,
                            d.sentences,
                            if d.aliases.is_empty() {
                                String::new()
                            } else {
                                format!("  also as: {}", printable(&d.aliases.join(", ")))
                            },
                            d.title
                                .as_ref()
                                .map(|t| format!("  “{}”", printable(t)))
                                .unwrap_or_default()
                        );
                    }
                    for r in &rejected {
                        println!("rejected  {}: {}", printable(&r.path), printable(&r.reason));
                    }
                }
            }
            Ok(())
        }
        Command::Entity { name, format } => {
            let archive = open(&cli.data)?;
            let name = name.join(" ");
            let found = annals::extract::entity::resolve_all(&name);
            let e = match found.as_slice() {
                [] => bail!(
                    "no entity is named {name:?} (see `annals entities`, or `annals entities --candidates` for names not in the gazetteer)"
                ),
                [e] => *e,
                many => bail!(
                    "{name:?} names {} entities: {}; use one of their ids",
                    many.len(),
                    many.iter()
                        .map(|e| format!("{} ({})", e.en, e.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let page = annals::entity_page::entity_page(archive.store.as_ref(), &e.id)?;
            match format {
                OutFormat::Json => {
                    let v = serde_json::json!({
                        "entity_id": e.id,
                        "entity": e.en,
                        "type": e.kind,
                        "qid": e.qid,
                        "labels": {"en": e.en, "vi": e.vi, "ru": e.ru},
                        "aliases": e.aliases.iter().map(|a| a.text.clone()).collect::<Vec<_>>(),
                        "dates": e.dates,
                        "page": page,
                    });
                    println!("{}", serde_json::to_string_pretty(&v)?);
                }
                OutFormat::Text => {
                    let mut head = format!("{} ({}", e.en, e.kind);
                    if let Some(q) = &e.qid {
                        head += &format!(", {q}");
                    }
                    if let Some(d) = &e.dates {
                        head += &format!(", {d}");
                    }
                    println!("{head})");
                    let labels: Vec<String> = [("vi", &e.vi), ("ru", &e.ru)]
                        .iter()
                        .filter_map(|(l, v)| v.as_ref().map(|v| format!("{l}: {v}")))
                        .collect();
                    if !labels.is_empty() {
                        println!("  {}", labels.join("   "));
                    }
                    println!(
                        "  {} mentions in {} documents",
                        page.mentions,
                        page.documents.len()
                    );
                    if !page.forms.is_empty() {
                        let forms: Vec<String> = page
                            .forms
                            .iter()
                            .take(8)
                            .map(|(f, n)| format!("{f} ({n})"))
                            .collect();
                        println!("  written as: {}", forms.join(", "));
                    }
                    for d in &page.documents {
                        let at: Vec<String> = d
                            .mentions
                            .iter()
                            .take(6)
                            .map(|m| format!("{}..{}", m.start, m.end))
                            .collect();
                        let more = if d.mentions.len() > 6 { ", …" } else { "" };
                        println!(
                            "  {}: {} [{}{more}]",
                            d.doc,
                            d.mentions.len(),
                            at.join(", ")
                        );
                    }
                    if !page.co_occurring.is_empty() {
                        let co: Vec<String> = page
                            .co_occurring
                            .iter()
                            .take(10)
                            .map(|c| format!("{} ({})", c.entity, c.sentences))
                            .collect();
                        println!("  in the same sentences: {}", co.join(", "));
                    }
                }
            }
            Ok(())
        }
        Command::Entities {
            candidates,
            min_count,
            format,
        } => {
            let archive = open(&cli.data)?;
            if candidates {
                let found = annals::discover::candidates(archive.store.as_ref(), min_count)?;
                match format {
                    OutFormat::Json => {
                        for c in &found {
                            println!("{}", serde_json::to_string(c)?);
                        }
                    }
                    OutFormat::Text => {
                        for c in &found {
                            let at: Vec<String> = c
                                .examples
                                .iter()
                                .map(|e| format!("{} [{}..{}]", e.doc, e.start, e.end))
                                .collect();
                            println!(
                                "{:>5}  {}   {}   [{} {}]",
                                c.count,
                                c.name,
                                at.join(", "),
                                c.entity_type,
                                c.id
                            );
                        }
                    }
                }
                return Ok(());
            }
            let mut counts: std::collections::HashMap<String, usize> = Default::default();
            archive.store.facts(Some("mention"), &mut |f| {
                *counts
                    .entry(
                        f.record["entity_id"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    )
                    .or_default() += 1;
                Ok(())
            })?;
            let mut rows: Vec<(&annals::extract::entity::gazetteer::Entity, usize)> =
                annals::extract::entity::gazetteer()
                    .entities
                    .iter()
                    .map(|e| (e, counts.get(&e.id).copied().unwrap_or(0)))
                    .collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.en.cmp(&b.0.en)));
            for (e, n) in rows {
                match format {
                    OutFormat::Json => println!(
                        "{}",
                        serde_json::json!({"entity_id": e.id, "entity": e.en, "type": e.kind, "qid": e.qid, "mentions": n})
                    ),
                    OutFormat::Text => println!("{n:>5}  {} ({}, {})", e.en, e.kind, e.id),
                }
            }
            Ok(())
        }
        Command::Ask {
            question,
            batch,
            format,
        } => {
            let archive = open(&cli.data)?;
            let asker = annals::ask::Asker::load(archive.store.as_ref())?;
            let out = std::io::stdout();
            let mut out = BufWriter::new(out.lock());
            if let Some(path) = batch {
                let input = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                annals::ask::batch(&asker, &input, &mut out)?;
            } else {
                if question.is_empty() {
                    bail!("give a question, or --batch FILE");
                }
                let a = asker.ask(&question.join(" "));
                match format {
                    AskFormat::Text => write!(out, "{}", annals::ask::render::text(&a))?,
                    AskFormat::Json | AskFormat::Jsonl => {
                        serde_json::to_writer_pretty(&mut out, &a)?;
                        writeln!(out)?;
                    }
                }
            }
            out.flush()?;
            Ok(())
        }
        Command::Timeline {
            from,
            to,
            field,
            actor,
            ty,
            evidence,
            format,
        } => {
            let archive = open(&cli.data)?;
            let history = annals::history::History::build(archive.store.as_ref())?;
            let filter = annals::history::timeline::Filter {
                from,
                to,
                field,
                actor,
                ty,
            };
            let events = annals::history::timeline::filter(&history.events, &filter)?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            match format {
                OutFormat::Text => write!(
                    out,
                    "{}",
                    annals::history::timeline::render_text(&events, evidence)
                )?,
                OutFormat::Json => {
                    let records: Vec<serde_json::Value> =
                        events.iter().map(|e| history.event_record(e)).collect();
                    serde_json::to_writer_pretty(&mut out, &records)?;
                    writeln!(out)?;
                }
            }
            out.flush()?;
            Ok(())
        }
        Command::Conflicts { format } => {
            let archive = open(&cli.data)?;
            let history = annals::history::History::build(archive.store.as_ref())?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            match format {
                OutFormat::Text => write!(
                    out,
                    "{}",
                    annals::history::timeline::render_conflicts(&history.conflicts)
                )?,
                OutFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &history.conflicts)?;
                    writeln!(out)?;
                }
            }
            out.flush()?;
            Ok(())
        }
        Command::Series { name, format } => {
            let archive = open(&cli.data)?;
            let series = annals::history::series::load(archive.store.as_ref())?;
            let name = name.join(" ");
            let out = annals::history::series::render::command(
                &series,
                Some(name.as_str()),
                matches!(format, OutFormat::Json),
            )
            .map_err(|e| anyhow::anyhow!(e))?;
            print!("{out}");
            Ok(())
        }
        Command::Check => {
            let mut archive = open(&cli.data)?;
            let mut problems = archive.store.check()?;
            let pending = archive.store.unindexed()?;
            if !pending.is_empty() {
                println!(
                    "{} documents were not indexed (an interrupted ingest); indexing them now",
                    pending.len()
                );
                archive.reconcile()?;
            }
            let mut stored = 0u64;
            archive.store.sentences(None, &mut |_| {
                stored += 1;
                Ok(())
            })?;
            let indexed = archive.index.len()?;
            if stored != indexed {
                problems.push(format!(
                    "the index holds {indexed} sentences, the store {stored} (run `annals reindex`)"
                ));
            }
            let docs = archive.store.documents()?.len();
            if problems.is_empty() {
                println!("ok: {docs} documents, {stored} sentences, store and index agree");
                Ok(())
            } else {
                for p in &problems {
                    println!("problem: {p}");
                }
                bail!("{} problems found", problems.len())
            }
        }
        Command::Reindex => {
            let mut archive = open(&cli.data)?;
            let n = archive.rebuild_index()?;
            println!("reindexed {n} documents");
            Ok(())
        }
        Command::Serve {
            addr,
            token,
            query_timeout_ms,
            read_timeout_ms,
            max_connections,
            paths,
        } => {
            let opts = annals::server::ServeOptions {
                data: cli.data.clone(),
                addr,
                token,
                paths,
                limits: annals::server::state::Limits {
                    query_timeout: std::time::Duration::from_millis(query_timeout_ms),
                    read_timeout: std::time::Duration::from_millis(read_timeout_ms),
                    max_connections: max_connections as usize,
                    ..Default::default()
                },
                ingest: Default::default(),
                poll_every: std::time::Duration::from_secs(3),
            };
            annals::server::serve(opts, |addr, token| {
                println!(
                    "annals is serving http://{addr}/  (data: {})",
                    cli.data.display()
                );
                println!("write token (curation): {token}");
                println!("press Ctrl-C to stop");
            })
        }
        Command::Bench {
            corpus,
            synthetic_mb,
            workdir,
            format,
        } => {
            let report = annals::bench::run(&corpus, synthetic_mb, workdir.as_deref())?;
            match format {
                OutFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                OutFormat::Text => print!("{}", report.to_text()),
            }
            Ok(())
        }
        // --- curation ---
        Command::Curate { action } => curate(&cli.data, action),
        Command::Audit { stale, format } => {
            let archive = open(&cli.data)?;
            let entries = if stale {
                annals::curation::stale(archive.store.as_ref())?
            } else {
                annals::curation::audit_log(archive.store.as_ref())?
            };
            match format {
                OutFormat::Json => println!("{}", serde_json::to_string_pretty(&entries)?),
                OutFormat::Text => {
                    if entries.is_empty() {
                        println!(
                            "{}",
                            if stale {
                                "no stale decisions"
                            } else {
                                "no decisions yet"
                            }
                        );
                    }
                    for e in &entries {
                        println!("{}", e.line());
                    }
                }
            }
            Ok(())
        } // --- end of curation ---
    }
}

// --- curation (`annals curate ...`) ---

/// What every decision takes.
#[derive(clap::Args)]
struct DecisionArgs {
    /// Why (required).
    #[arg(long)]
    reason: Option<String>,
    /// Who decides (default: $USER).
    #[arg(long, env = "USER")]
    who: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutFormat,
}

#[derive(Subcommand)]
enum CurateCommand {
    /// The fact or event is right. TARGET: a fact id, DOC@START-END[:KIND[:TYPE]] (the
    /// export's spans), or an event id (ev-..., `annals timeline --format json`).
    Confirm {
        target: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// The fact or event is wrong: it is no longer used (answers, timeline) but stays in the
    /// export, marked.
    Reject {
        target: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// Give a field another value. Facts: date, entity, or a record field (value, unit,
    /// value_start...); events: date, date_start, date_end, type, field, participants,
    /// place, summary. VALUE: text, or JSON (2.5, ["A","B"]); dates as 1978-11-03 or
    /// 1975/1991; participants as "A, B".
    Edit {
        target: String,
        #[arg(long)]
        field: String,
        #[arg(long)]
        value: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// The events --with are the same event as EVENT: one event with every statement.
    Merge {
        event: String,
        #[arg(long = "with", required = true)]
        with: Vec<String>,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// A statement of EVENT (its fact id or DOC@START-END) is an event of its own.
    Split {
        event: String,
        #[arg(long)]
        statement: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
    /// Undo an earlier decision (its audit id: 7 or #7); recorded as a new entry.
    Retract {
        entry: String,
        #[command(flatten)]
        d: DecisionArgs,
    },
}

fn curate(data: &std::path::Path, cmd: CurateCommand) -> Result<()> {
    use annals::curation::{Action, NewDecision, TargetRef};
    let (action, target, field, value, with, statement, d) = match cmd {
        CurateCommand::Confirm { target, d } => {
            (Action::Confirm, target, None, None, vec![], None, d)
        }
        CurateCommand::Reject { target, d } => {
            (Action::Reject, target, None, None, vec![], None, d)
        }
        CurateCommand::Edit {
            target,
            field,
            value,
            d,
        } => (
            Action::Edit,
            target,
            Some(field),
            Some(annals::curation::cli_value(&value)),
            vec![],
            None,
            d,
        ),
        CurateCommand::Merge { event, with, d } => {
            (Action::Merge, event, None, None, with, None, d)
        }
        CurateCommand::Split {
            event,
            statement,
            d,
        } => (Action::Split, event, None, None, vec![], Some(statement), d),
        CurateCommand::Retract { entry, d } => (
            Action::Retract,
            TargetRef::audit(&entry)?.to_string(),
            None,
            None,
            vec![],
            None,
            d,
        ),
    };
    let decision = NewDecision {
        action,
        target: target.parse()?,
        field,
        value,
        with,
        statement: statement.map(|s| s.parse()).transpose()?,
        reason: d.reason.unwrap_or_default(),
        who: d.who.unwrap_or_default(),
        request_id: None,
    };
    let mut archive = open(data)?;
    let entry = annals::curation::decide(archive.store.as_mut(), decision)?;
    match d.format {
        OutFormat::Json => println!("{}", serde_json::to_string_pretty(&entry)?),
        OutFormat::Text => println!("{}", entry.line()),
    }
    Ok(())
}

// --- end of curation ---

fn bold_marks(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in s.split("**").enumerate() {
        if i % 2 == 1 {
            out.push_str("\x1b[1;33m");
            out.push_str(part);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(part);
        }
    }
    out
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

/// A per-file time budget from the command line: seconds, 0 for none.
fn seconds_budget(s: f64) -> Result<Option<std::time::Duration>> {
    if !s.is_finite() || s < 0.0 {
        anyhow::bail!("--max-seconds-per-file must be a number of seconds ≥ 0 (0: no limit)");
    }
    Ok((s > 0.0).then(|| std::time::Duration::from_secs_f64(s)))
}
