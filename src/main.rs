//! The `annals` command line: parses arguments, calls the library (through the commands of
//! [`cli`]), prints. No logic lives here.

mod cli;

/// Counts each thread's allocations, so that a document's analysis keeps to its memory
/// budget (`annals::budget`).
#[global_allocator]
static ALLOC: annals::budget::Counting = annals::budget::Counting;

use clap::{Parser, Subcommand};
use cli::OutFormat;
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

#[derive(Subcommand)]
enum Command {
    Ingest(cli::ingest::IngestArgs),
    Search(cli::read::SearchArgs),
    Extract(cli::read::ExtractArgs),
    Export(cli::read::ExportArgs),
    Documents(cli::read::DocumentsArgs),
    Text(cli::read::TextArgs),
    Entity(cli::read::EntityArgs),
    Entities(cli::read::EntitiesArgs),
    Ask(cli::read::AskArgs),
    Timeline(cli::read::TimelineArgs),
    Conflicts(cli::read::ConflictsArgs),
    Series(cli::read::SeriesArgs),
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
        /// How often, in seconds, to look for changes other processes made to the archive
        /// (an ingest, another server's curation). A server on PostgreSQL is also told of
        /// them as they commit (LISTEN/NOTIFY); the look is then a safety net.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
        poll_seconds: u64,
        /// A host name, besides the address listened on, that requests may name (their
        /// `Host` header); repeat for several. Others get 421: a defence against DNS
        /// rebinding.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
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
        /// Size in MB of the batch ingested while the server is loaded (0 to skip serving).
        #[arg(long, default_value_t = 60)]
        serve_mb: u64,
        /// Pages of the text-layer PDF ingested (then 4 pages OCR'd); 0 skips PDFs.
        #[arg(long, default_value_t = 500)]
        pdf_pages: usize,
        /// Size in MB of each hostile input (one huge line, a paragraph without
        /// punctuation, short lines, deep HTML and Markdown nesting, a huge table, invalid
        /// UTF-8), each ingested by this binary with its time and peak memory (0 to skip).
        #[arg(long, default_value_t = 200)]
        hostile_mb: u64,
        /// Only ingest the hostile inputs (--hostile-mb), and stop.
        #[arg(long)]
        hostile: bool,
        /// Where to build the bench stores (a temporary folder by default).
        #[arg(long)]
        workdir: Option<PathBuf>,
        /// Only write the synthetic corpus (--synthetic-mb) into this folder, for benches
        /// of one's own (scripts/bench-workers), and stop.
        #[arg(long)]
        write_synthetic: Option<PathBuf>,
        /// Only measure search latency on the archive at --data as it is (p50/p99 over the
        /// bench's queries), and stop.
        #[arg(long)]
        search_latency: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: OutFormat,
    },
    /// Confirm, reject or edit a fact or an event, merge or split events, or retract a
    /// decision. Every decision needs --reason and goes into the audit log.
    Curate {
        #[command(subcommand)]
        action: cli::curate::CurateCommand,
    },
    Audit(cli::read::AuditArgs),
    Copy(cli::copy::CopyArgs),
}

fn main() {
    let args = Cli::parse();
    // Die quietly on a closed pipe (`annals export | head`), as command-line tools do,
    // instead of panicking in println!. Never for the server: a browser that leaves a page
    // closes its connection while the answer is written, and that must cost the server
    // one response (an error it handles), not its life.
    if !matches!(args.command, Command::Serve { .. }) {
        // SAFETY: called in main before any thread exists; restores the default action.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    if let Err(e) = run(args) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Cli) -> anyhow::Result<()> {
    let data = args.data.as_path();
    match args.command {
        Command::Ingest(a) => cli::ingest::run(data, a),
        Command::Search(a) => cli::read::search(data, a),
        Command::Extract(a) => cli::read::extract(a),
        Command::Export(a) => cli::read::export(data, a),
        Command::Documents(a) => cli::read::documents(data, a),
        Command::Text(a) => cli::read::text(data, a),
        Command::Entity(a) => cli::read::entity(data, a),
        Command::Entities(a) => cli::read::entities(data, a),
        Command::Ask(a) => cli::read::ask(data, a),
        Command::Timeline(a) => cli::read::timeline(data, a),
        Command::Conflicts(a) => cli::read::conflicts(data, a),
        Command::Series(a) => cli::read::series(data, a),
        Command::Check => cli::read::check(data),
        Command::Reindex => cli::read::reindex(data),
        Command::Serve {
            addr,
            token,
            query_timeout_ms,
            read_timeout_ms,
            max_connections,
            poll_seconds,
            allow_hosts,
            paths,
        } => {
            let ms = std::time::Duration::from_millis;
            let opts = annals::server::ServeOptions {
                data: data.to_path_buf(),
                addr,
                token,
                paths,
                limits: annals::server::state::Limits {
                    query_timeout: ms(query_timeout_ms),
                    read_timeout: ms(read_timeout_ms),
                    max_connections: max_connections as usize,
                    ..Default::default()
                },
                ingest: Default::default(),
                poll_every: std::time::Duration::from_secs(poll_seconds),
                allowed_hosts: allow_hosts,
            };
            annals::server::serve(opts, |addr, token| {
                println!(
                    "annals is serving http://{addr}/  (data: {})",
                    annals::pg::shown(data)
                );
                println!("write token (curation): {token}");
                println!("press Ctrl-C to stop");
            })
        }
        Command::Bench {
            corpus,
            synthetic_mb,
            serve_mb,
            pdf_pages,
            hostile_mb,
            hostile,
            workdir,
            write_synthetic,
            search_latency,
            format,
        } => {
            if hostile {
                let work = workdir.unwrap_or_else(|| {
                    std::env::temp_dir().join(format!("annals-hostile-{}", std::process::id()))
                });
                let cases = annals::bench::hostile::run(
                    &std::env::current_exe()?,
                    &work,
                    hostile_mb.max(1),
                    annals::bench::HOSTILE_LIMIT,
                );
                let _ = std::fs::remove_dir_all(&work);
                let cases = cases?;
                match format {
                    OutFormat::Json => println!("{}", serde_json::to_string_pretty(&cases)?),
                    OutFormat::Text => print!("{}", annals::bench::hostile::to_text(&cases)),
                }
                return Ok(());
            }
            if let Some(dir) = write_synthetic {
                let files = annals::bench::make_synthetic(&corpus, &dir, synthetic_mb)?;
                println!("{files} files written to {}", dir.display());
                return Ok(());
            }
            if search_latency {
                let l = annals::bench::search_latency(data, 20)?;
                match format {
                    OutFormat::Json => println!("{}", serde_json::to_string_pretty(&l)?),
                    OutFormat::Text => println!(
                        "search on {}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} queries x {} runs, {:.1} hits each)",
                        annals::pg::shown(data),
                        l.p50_ms,
                        l.p99_ms,
                        l.max_ms,
                        l.queries,
                        l.runs,
                        l.mean_hits
                    ),
                }
                return Ok(());
            }
            let report = annals::bench::run(
                &corpus,
                synthetic_mb,
                serve_mb,
                pdf_pages,
                hostile_mb,
                workdir.as_deref(),
            )?;
            match format {
                OutFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                OutFormat::Text => print!("{}", report.to_text()),
            }
            Ok(())
        }
        Command::Curate { action } => cli::curate::run(data, action),
        Command::Audit(a) => cli::read::audit(data, a),
        Command::Copy(a) => cli::copy::run(a),
    }
}
