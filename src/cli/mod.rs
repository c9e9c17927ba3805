//! The command line's commands (binary side): each takes its parsed arguments, calls the
//! library, and prints. No knowledge lives here: what a command shows comes from the
//! library (a [`annals::snapshot::Snapshot`] for everything read), this only renders it.

pub mod copy;
pub mod curate;
pub mod ingest;
pub mod read;

use annals::archive::Archive;
use anyhow::{Context, Result};
use clap::ValueEnum;
use std::path::Path;

/// Text for people, JSON for programs.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum OutFormat {
    Text,
    Json,
}

/// Opens the data folder's archive.
pub fn open(data: &Path) -> Result<Archive> {
    Archive::open(data).with_context(|| format!("opening the store in {}", annals::pg::shown(data)))
}

/// The snapshot of the data folder's store (everything read goes through it).
pub fn snapshot(data: &Path) -> Result<annals::snapshot::Snapshot> {
    let archive = open(data)?;
    annals::snapshot::Snapshot::build(archive.store.as_ref())
}
