//! `annals copy --from LOCATION --to LOCATION`: a whole archive moved to another data
//! location (the library's [`annals::copy`]), its summary printed.

use super::OutFormat;
use annals::copy::{CopyError, CopySummary, Step};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Copy a whole archive (documents as stored, rejections, the curation log) from one data
/// location to another (a folder or a postgresql:// URL), build the destination's index and
/// verify both sides. Run again, it goes on where an interrupted copy stopped.
#[derive(clap::Args)]
pub struct CopyArgs {
    /// The archive to copy: a data folder or a postgresql:// URL.
    #[arg(long)]
    pub from: PathBuf,
    /// Where to copy it: a data folder or a postgresql:// URL (created when missing).
    #[arg(long)]
    pub to: PathBuf,
    /// Summary as text or JSON.
    #[arg(long, value_enum, default_value = "text")]
    pub output: OutFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the copy and prints its summary (also when it does not verify, before the error).
pub fn run(a: CopyArgs) -> Result<()> {
    let bar = (!a.quiet && std::io::stderr().is_terminal()).then(|| {
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        pb
    });
    let result = annals::copy::copy(&a.from, &a.to, &mut |step| {
        let Some(pb) = &bar else { return };
        match step {
            Step::Planned { copy, .. } => pb.set_length(copy as u64),
            Step::Copied { id } => {
                pb.inc(1);
                pb.set_message(annals::terminal::printable(id).into_owned());
            }
            Step::Stage(what) => pb.set_message(what),
        }
    });
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    match result {
        Ok(summary) => print_summary(&summary, a.output),
        Err(CopyError::Unverified {
            summary,
            from,
            to,
            differences,
        }) => {
            print_summary(&summary, a.output)?;
            Err(CopyError::Unverified {
                summary,
                from,
                to,
                differences,
            }
            .into())
        }
        Err(e) => Err(e.into()),
    }
}

fn print_summary(s: &CopySummary, format: OutFormat) -> Result<()> {
    if format == OutFormat::Json {
        println!("{}", serde_json::to_string_pretty(s)?);
        return Ok(());
    }
    println!("copy: {} -> {}", s.from, s.to);
    println!(
        "  documents: {} copied, {} already there; rejections: {} copied; curation rows: {} appended, {} already there; {} documents indexed ({:.2} s)",
        s.documents_copied,
        s.documents_skipped,
        s.rejections_copied,
        s.curation_appended,
        s.curation_skipped,
        s.indexed,
        s.seconds
    );
    let rows = s.source.beside(&s.destination);
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    println!("  {:width$}  {:>12}  {:>12}", "", "source", "destination");
    for (label, a, b) in rows {
        let mark = if a == b { "" } else { "  <- differs" };
        println!(
            "  {:width$}  {a:>12}  {b:>12}{mark}",
            annals::terminal::printable(&label)
        );
    }
    if s.verified {
        println!("verified: check clean on both sides, every count equal");
    }
    Ok(())
}
