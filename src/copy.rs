//! Moving a whole archive from one data location to another (`annals copy`): a folder (the
//! embedded store and its index) to a PostgreSQL database, a database to a folder, or either
//! to one of its own kind.
//!
//! Guarantees:
//! - Everything stored is copied as stored, nothing is read or extracted again: each
//!   document's rows ([`crate::store::DocumentRows`]: its row with `ingested_at`, original
//!   bytes, page file and map, paragraphs, sentences, furniture, facts with their records as
//!   stored, aliases), the rejections with their times, and the curation log in its order
//!   with every row's time. Each document is written in one transaction
//!   ([`crate::store::Store::put_rows`]).
//! - The ids of sentences, facts and curation rows are kept (the exports and the API show
//!   fact ids, a retraction names the row it retracts by its id), so the destination names
//!   everything as the source does.
//! - Refused before anything is written: a source folder that holds no archive, a source
//!   whose store has problems, a destination that is the source itself (by any path or URL:
//!   [`crate::store::Store::identity`]), and a destination holding anything the source does
//!   not: a document of the same id with other content, a document or a rejection the
//!   source lacks, a curation log that is not the beginning of the source's (any of these
//!   would leave the two sides unequal). The errors name both locations (a URL without its
//!   password).
//! - Resumable: run again after an interruption, it skips the documents the destination
//!   already holds with the same id and content (and the same aliases), the rejections it
//!   holds as they are, and the curation rows it already holds (the beginning of the log,
//!   row for row: the same id, time, request id and decision), appending the rest.
//! - Verified: the destination's search index is built from its store, then `check` must be
//!   clean on both sides and the counts equal (documents, sentences, facts of each kind,
//!   aliases, rejections, curation rows), and every document of the source must be in the
//!   destination with the same content; otherwise the copy is an error naming what differs
//!   ([`CopyError::Unverified`], which carries the summary).
//!
//! A copy is not a merge: an archive is copied into an empty destination, or into one an
//! earlier copy of the same source filled (a part of it, when interrupted). Nothing else
//! should write to either side while it runs.

use crate::archive::{Archive, ArchiveError};
use crate::store::{CurationRow, Rejection, Store, StoredDocument};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Why a copy was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The source is a folder that holds no archive.
    #[error("{from} holds no archive (no annals.db); nothing was copied")]
    NoSource { from: String },
    /// The two locations are one archive.
    #[error("{from} and {to} are the same archive; nothing was copied")]
    SameArchive { from: String, to: String },
    /// The source's store is not consistent: copying it would carry its problems over.
    #[error(
        "refusing to copy {from} into {to}: the source has problems ({}); run `annals check` on it. Nothing was written",
        .problems.join("; ")
    )]
    SourceProblems {
        from: String,
        to: String,
        problems: Vec<String>,
    },
    /// The destination holds what the source does not (`what` says what, naming
    /// documents).
    #[error(
        "refusing to copy {from} into {to}: {to} holds {}; copy into an empty archive, or into an earlier copy of this one. Nothing was written",
        .what.join("; ")
    )]
    Conflict {
        from: String,
        to: String,
        what: Vec<String>,
    },
    /// The copy finished but the two sides do not agree.
    #[error("the copy of {from} into {to} does not verify: {}", .differences.join("; "))]
    Unverified {
        from: String,
        to: String,
        differences: Vec<String>,
        summary: Box<CopySummary>,
    },
    /// Opening, reading or writing one of the two archives failed.
    #[error("{location}: {source}")]
    Archive {
        location: String,
        #[source]
        source: ArchiveError,
    },
}

/// The first few of `ids`, for a message.
fn shorten(ids: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = ids
        .iter()
        .take(SHOWN)
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        s.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    s
}

/// What an archive holds, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub documents: u64,
    pub sentences: u64,
    /// Facts by kind.
    pub facts: BTreeMap<String, u64>,
    /// Other names of documents.
    pub aliases: u64,
    pub rejections: u64,
    /// Rows of the curation log.
    pub curation_rows: u64,
}

impl Counts {
    /// The counts as labelled lines, in a fixed order (facts by kind, then all of them).
    pub fn lines(&self) -> Vec<(String, u64)> {
        let mut out = vec![
            ("documents".to_string(), self.documents),
            ("sentences".to_string(), self.sentences),
        ];
        for (kind, n) in &self.facts {
            out.push((format!("facts: {kind}"), *n));
        }
        out.push(("facts".to_string(), self.facts.values().sum()));
        out.push(("aliases".to_string(), self.aliases));
        out.push(("rejections".to_string(), self.rejections));
        out.push(("curation rows".to_string(), self.curation_rows));
        out
    }

    /// The counts of `self` (the source) and `other` (the destination) side by side, every
    /// label of either, in order.
    pub fn beside(&self, other: &Counts) -> Vec<(String, u64, u64)> {
        let theirs: HashMap<String, u64> = other.lines().into_iter().collect();
        let mut out: Vec<(String, u64, u64)> = self
            .lines()
            .into_iter()
            .map(|(label, n)| {
                let m = theirs.get(&label).copied().unwrap_or(0);
                (label, n, m)
            })
            .collect();
        let mine: HashSet<String> = out.iter().map(|(l, _, _)| l.clone()).collect();
        for (label, m) in other.lines() {
            if !mine.contains(&label) {
                out.push((label, 0, m));
            }
        }
        out
    }
}

/// What a copy did and found.
#[derive(Debug, Clone, Serialize)]
pub struct CopySummary {
    /// The source, as shown (a URL without its password).
    pub from: String,
    /// The destination, as shown.
    pub to: String,
    /// Documents written to the destination.
    pub documents_copied: usize,
    /// Documents the destination already held with the same content.
    pub documents_skipped: usize,
    /// Rejections written (new, or of another reason or time).
    pub rejections_copied: usize,
    /// Curation rows appended.
    pub curation_appended: usize,
    /// Curation rows the destination already held.
    pub curation_skipped: usize,
    /// Documents the destination's search index took in.
    pub indexed: usize,
    /// What the source holds.
    pub source: Counts,
    /// What the destination holds.
    pub destination: Counts,
    /// Both sides checked clean and their counts equal.
    pub verified: bool,
    pub seconds: f64,
}

/// Where a copy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// The documents were compared: `copy` will be written, `skip` are there already.
    Planned { copy: usize, skip: usize },
    /// One document was written.
    Copied { id: &'a str },
    /// A later stage began: `"rejections"`, `"curation log"`, `"index"` or `"verify"`.
    Stage(&'static str),
}

/// Copies the archive at `from` into the archive at `to` (each a folder or a
/// `postgresql://` URL; the destination is created when missing), builds the destination's
/// search index and verifies the two sides (see the module's guarantees). `progress` hears
/// of each step.
///
/// Errors: [`CopyError::NoSource`], [`CopyError::SourceProblems`], [`CopyError::SameArchive`] and
/// [`CopyError::Conflict`] before anything is written; [`CopyError::Archive`] when a store
/// or an index fails (the documents written before stay, and a rerun goes on from there);
/// [`CopyError::Unverified`] after the copy, when the sides disagree.
pub fn copy(
    from: &Path,
    to: &Path,
    progress: &mut dyn FnMut(Step<'_>),
) -> Result<CopySummary, CopyError> {
    let started = std::time::Instant::now();
    let from_shown = crate::pg::shown(from);
    let to_shown = crate::pg::shown(to);
    let at = |location: &String| {
        let location = location.clone();
        move |e: ArchiveError| CopyError::Archive {
            location: location.clone(),
            source: e,
        }
    };
    let store_at = |location: &String| {
        let f = at(location);
        move |e: crate::store::StoreError| f(ArchiveError::Store(e))
    };

    // Refusals first: nothing is written (nor the destination created) before these pass.
    let is_url = |p: &Path| p.to_str().is_some_and(crate::pg::is_url);
    if !is_url(from) && !from.join("annals.db").is_file() {
        return Err(CopyError::NoSource { from: from_shown });
    }
    if same_folder(from, to) {
        return Err(CopyError::SameArchive {
            from: from_shown,
            to: to_shown,
        });
    }
    let mut src = Archive::open(from).map_err(at(&from_shown))?;
    let problems = src.store.check().map_err(store_at(&from_shown))?;
    if !problems.is_empty() {
        return Err(CopyError::SourceProblems {
            from: from_shown,
            to: to_shown,
            problems,
        });
    }
    let mut dst = Archive::open(to).map_err(at(&to_shown))?;
    let same = src.store.identity().map_err(store_at(&from_shown))?
        == dst.store.identity().map_err(store_at(&to_shown))?;
    if same {
        return Err(CopyError::SameArchive {
            from: from_shown,
            to: to_shown,
        });
    }
    let source_docs = src.store.documents().map_err(store_at(&from_shown))?;
    let there: HashMap<String, StoredDocument> = dst
        .store
        .documents()
        .map_err(store_at(&to_shown))?
        .into_iter()
        .map(|d| (d.id.clone(), d))
        .collect();
    let mut pending = Vec::new();
    let mut changed = Vec::new();
    for d in &source_docs {
        match there.get(&d.id) {
            None => pending.push(d.id.as_str()),
            Some(t) if t.sha256 != d.sha256 => changed.push(d.id.clone()),
            // The same content whose aliases differ is written again (a replacement).
            Some(t) if t.aliases != d.aliases => pending.push(d.id.as_str()),
            Some(_) => {}
        }
    }
    let ours: HashSet<&str> = source_docs.iter().map(|d| d.id.as_str()).collect();
    let mut theirs: Vec<String> = there
        .into_keys()
        .filter(|id| !ours.contains(id.as_str()))
        .collect();
    theirs.sort();
    let rejections = src.store.rejections().map_err(store_at(&from_shown))?;
    let rejected: HashSet<&str> = rejections.iter().map(|r| r.path.as_str()).collect();
    let other_rejections: Vec<String> = dst
        .store
        .rejections()
        .map_err(store_at(&to_shown))?
        .into_iter()
        .map(|r| r.path)
        .filter(|p| !rejected.contains(p.as_str()))
        .collect();
    let log = src.store.curations().map_err(store_at(&from_shown))?;
    let held = dst.store.curations().map_err(store_at(&to_shown))?;
    let mut what = Vec::new();
    if !changed.is_empty() {
        what.push(format!(
            "{} document(s) of the same id with other content ({})",
            changed.len(),
            shorten(&changed)
        ));
    }
    if !theirs.is_empty() {
        what.push(format!(
            "{} document(s) the source does not ({})",
            theirs.len(),
            shorten(&theirs)
        ));
    }
    if !other_rejections.is_empty() {
        what.push(format!(
            "{} rejection(s) the source does not ({})",
            other_rejections.len(),
            shorten(&other_rejections)
        ));
    }
    if let Some(why) = log_differs(&log, &held) {
        what.push(why);
    }
    if !what.is_empty() {
        return Err(CopyError::Conflict {
            from: from_shown,
            to: to_shown,
            what,
        });
    }
    let skipped = source_docs.len() - pending.len();
    progress(Step::Planned {
        copy: pending.len(),
        skip: skipped,
    });

    for id in &pending {
        let rows = src
            .store
            .document_rows(id)
            .map_err(store_at(&from_shown))?
            .ok_or_else(|| {
                store_at(&from_shown)(crate::store::StoreError::Corrupt(format!(
                    "{id}: removed from the source while it was copied"
                )))
            })?;
        dst.store.put_rows(&rows).map_err(store_at(&to_shown))?;
        progress(Step::Copied { id });
    }

    progress(Step::Stage("rejections"));
    let rejections_copied =
        copy_rejections(rejections, dst.store.as_mut()).map_err(store_at(&to_shown))?;

    progress(Step::Stage("curation log"));
    // The destination's log is the beginning of the source's (checked above).
    let curation_skipped = held.len();
    for row in &log[curation_skipped..] {
        dst.store
            .append_curation_as_stored(row)
            .map_err(store_at(&to_shown))?;
    }
    let curation_appended = log.len() - curation_skipped;

    progress(Step::Stage("index"));
    let indexed = dst.reconcile().map_err(at(&to_shown))?;

    progress(Step::Stage("verify"));
    let mut differences = Vec::new();
    let source = side(&mut src, "the source", &mut differences).map_err(at(&from_shown))?;
    let destination = side(&mut dst, "the destination", &mut differences).map_err(at(&to_shown))?;
    for (label, a, b) in source.beside(&destination) {
        if a != b {
            differences.push(format!(
                "{label}: {a} in the source, {b} in the destination"
            ));
        }
    }
    let now_there: HashMap<String, String> = dst
        .store
        .documents()
        .map_err(store_at(&to_shown))?
        .into_iter()
        .map(|d| (d.id, d.sha256))
        .collect();
    let missing: Vec<String> = source_docs
        .iter()
        .filter(|d| now_there.get(&d.id) != Some(&d.sha256))
        .map(|d| d.id.clone())
        .collect();
    if !missing.is_empty() {
        differences.push(format!(
            "{} document(s) of the source are not in the destination as they are in the source ({})",
            missing.len(),
            shorten(&missing)
        ));
    }
    let summary = CopySummary {
        from: from_shown.clone(),
        to: to_shown.clone(),
        documents_copied: pending.len(),
        documents_skipped: skipped,
        rejections_copied,
        curation_appended,
        curation_skipped,
        indexed,
        source,
        destination,
        verified: differences.is_empty(),
        seconds: started.elapsed().as_secs_f64(),
    };
    if differences.is_empty() {
        Ok(summary)
    } else {
        Err(CopyError::Unverified {
            from: from_shown,
            to: to_shown,
            differences,
            summary: Box::new(summary),
        })
    }
}

/// True when `from` and `to` are folders that exist and are one folder. (A folder that does
/// not exist yet is no archive; databases are compared by their stores' identity.)
fn same_folder(from: &Path, to: &Path) -> bool {
    let folder = |p: &Path| {
        let url = p.to_str().is_some_and(crate::pg::is_url);
        (!url).then(|| std::fs::canonicalize(p).ok()).flatten()
    };
    matches!((folder(from), folder(to)), (Some(a), Some(b)) if a == b)
}

/// Puts each of `rejections` the destination does not hold as it is; returns how many.
fn copy_rejections(rejections: Vec<Rejection>, dst: &mut dyn Store) -> crate::store::Result<usize> {
    let there: HashMap<String, Rejection> = dst
        .rejections()?
        .into_iter()
        .map(|r| (r.path.clone(), r))
        .collect();
    let mut n = 0;
    for r in rejections {
        if there.get(&r.path) != Some(&r) {
            dst.put_rejection(&r)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Why the destination's curation log `held` is not the beginning of the source's `log`,
/// row for row (id, time, decision, request id); `None` when it is.
fn log_differs(log: &[CurationRow], held: &[CurationRow]) -> Option<String> {
    if held.len() > log.len() {
        return Some(format!(
            "a curation log of {} rows, the source's {}",
            held.len(),
            log.len()
        ));
    }
    let i = held.iter().zip(log).position(|(a, b)| a != b)?;
    Some(format!(
        "a curation log that is not the source's: its row #{} differs from the source's row #{}",
        held[i].id, log[i].id
    ))
}

/// Checks one side (`check`, as `annals check` does) and counts what it holds; its problems
/// go into `differences`, named by `name`.
fn side(
    archive: &mut Archive,
    name: &str,
    differences: &mut Vec<String>,
) -> Result<Counts, ArchiveError> {
    let report = archive.check()?;
    differences.extend(report.problems.iter().map(|p| format!("{name}: {p}")));
    let store = archive.store.as_ref();
    let mut facts: BTreeMap<String, u64> = BTreeMap::new();
    store.facts(None, &mut |f| {
        *facts.entry(f.kind).or_default() += 1;
        Ok(())
    })?;
    let documents = store.documents()?;
    Ok(Counts {
        documents: documents.len() as u64,
        sentences: report.sentences,
        facts,
        aliases: documents.iter().map(|d| d.aliases.len() as u64).sum(),
        rejections: store.rejections()?.len() as u64,
        curation_rows: store.curations()?.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewCurationRow;
    use crate::store::contract::{self, CHANGED, OTHER, TWO_SENTENCES};

    /// Puts the document of the file `id` holding `text`, with its facts.
    fn put(store: &mut dyn Store, id: &str, text: &str) {
        let doc = contract::document(id, text);
        store.put_document(&doc, &contract::facts_of(&doc)).unwrap();
    }

    /// A folder archive of three documents (one with an alias), a rejection and three
    /// decisions, the second retracting the first.
    fn source() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Archive::open(dir.path()).unwrap();
        put(a.store.as_mut(), "a.txt", TWO_SENTENCES);
        put(a.store.as_mut(), "b.txt", OTHER);
        put(a.store.as_mut(), "c.txt", CHANGED);
        a.store.add_alias("copy-of-b.txt", "b.txt").unwrap();
        a.store.record_rejection("x.bin", "binary").unwrap();
        for (action, value) in [
            ("confirm", serde_json::Value::Null),
            ("retract", serde_json::json!({"retracts": 1})),
            ("confirm", serde_json::Value::Null),
        ] {
            a.store
                .append_curation(&NewCurationRow {
                    who: "h".into(),
                    action: action.into(),
                    target: serde_json::json!({"doc": "a.txt", "start": 3, "end": 7}),
                    field: None,
                    old_value: serde_json::Value::Null,
                    new_value: value,
                    reason: "checked".into(),
                    request_id: None,
                })
                .unwrap();
        }
        a.reconcile().unwrap();
        dir
    }

    #[test]
    fn an_interrupted_copy_goes_on_where_it_stopped() {
        let from = source();
        let to = tempfile::tempdir().unwrap();
        // What an interrupted copy left: one document, the first row of the log.
        {
            let src = crate::store::open(from.path()).unwrap();
            let mut dst = crate::store::open(to.path()).unwrap();
            dst.put_rows(&src.document_rows("b.txt").unwrap().unwrap())
                .unwrap();
            dst.append_curation_as_stored(&src.curations().unwrap()[0])
                .unwrap();
        }
        let mut steps = Vec::new();
        let s = copy(from.path(), to.path(), &mut |step| {
            steps.push(format!("{step:?}"))
        })
        .unwrap();
        assert_eq!((s.documents_copied, s.documents_skipped), (2, 1));
        assert_eq!((s.curation_appended, s.curation_skipped), (2, 1));
        assert_eq!(s.rejections_copied, 1);
        assert_eq!(s.indexed, 3);
        assert!(s.verified);
        assert_eq!(s.source, s.destination);
        assert_eq!(
            (s.source.documents, s.source.aliases, s.source.curation_rows),
            (3, 1, 3)
        );
        assert_eq!(
            steps[..3],
            [
                "Planned { copy: 2, skip: 1 }",
                "Copied { id: \"a.txt\" }",
                "Copied { id: \"c.txt\" }"
            ]
        );
        let src = crate::store::open(from.path()).unwrap();
        let dst = crate::store::open(to.path()).unwrap();
        assert_eq!(dst.curations().unwrap(), src.curations().unwrap());
        assert_eq!(dst.rejections().unwrap(), src.rejections().unwrap());
        assert_eq!(dst.documents().unwrap().len(), 3);
        drop((src, dst));

        let again = copy(from.path(), to.path(), &mut |_| {}).unwrap();
        assert_eq!((again.documents_copied, again.curation_appended), (0, 0));
    }

    #[test]
    fn a_destination_holding_what_the_source_does_not_is_refused_untouched() {
        let from = source();
        let to = tempfile::tempdir().unwrap();
        {
            let mut dst = crate::store::open(to.path()).unwrap();
            put(dst.as_mut(), "a.txt", CHANGED);
            put(dst.as_mut(), "z.txt", OTHER);
            dst.record_rejection("y.bin", "binary").unwrap();
        }
        let before = crate::store::open(to.path()).unwrap().documents().unwrap();
        let err = copy(from.path(), to.path(), &mut |_| {}).unwrap_err();
        let CopyError::Conflict { what, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(what.len(), 3, "{what:?}");
        let message = err.to_string();
        for part in ["\"a.txt\"", "\"z.txt\"", "\"y.bin\"", "Nothing was written"] {
            assert!(message.contains(part), "{part}: {message}");
        }
        assert!(
            message.contains(&to.path().display().to_string()),
            "{message}"
        );
        let dst = crate::store::open(to.path()).unwrap();
        assert_eq!(dst.documents().unwrap(), before);
        assert!(dst.curations().unwrap().is_empty());

        // A log of other decisions is refused too.
        let other = tempfile::tempdir().unwrap();
        let mut o = crate::store::open(other.path()).unwrap();
        let mut row = crate::store::open(from.path())
            .unwrap()
            .curations()
            .unwrap()[0]
            .clone();
        row.reason = "another reason".into();
        o.append_curation_as_stored(&row).unwrap();
        drop(o);
        let err = copy(from.path(), other.path(), &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("curation log"), "{err}");
    }

    #[test]
    fn a_copy_whose_sides_disagree_is_an_error_naming_what_differs() {
        let from = source();
        let to = tempfile::tempdir().unwrap();
        {
            // The same content under the same id, stored without its facts: skipped as
            // already there, so the facts cannot agree.
            let mut dst = crate::store::open(to.path()).unwrap();
            let doc = contract::document("a.txt", TWO_SENTENCES);
            dst.put_document(&doc, &[]).unwrap();
        }
        let err = copy(from.path(), to.path(), &mut |_| {}).unwrap_err();
        let CopyError::Unverified {
            differences,
            summary,
            ..
        } = &err
        else {
            panic!("{err}")
        };
        assert!(!summary.verified);
        assert_eq!(summary.documents_skipped, 1);
        assert!(
            differences.iter().any(|d| d.starts_with("facts: ")),
            "{differences:?}"
        );
        assert!(err.to_string().contains("does not verify"), "{err}");
    }

    #[test]
    fn the_same_archive_is_refused() {
        let from = source();
        let err = copy(from.path(), &from.path().join("."), &mut |_| {}).unwrap_err();
        assert!(matches!(err, CopyError::SameArchive { .. }), "{err}");
    }

    #[test]
    fn counts_side_by_side_name_every_label_of_either() {
        let a = Counts {
            documents: 2,
            sentences: 5,
            facts: [("timex".to_string(), 3)].into(),
            ..Counts::default()
        };
        let b = Counts {
            documents: 2,
            sentences: 4,
            facts: [("quantity".to_string(), 1), ("timex".to_string(), 3)].into(),
            ..Counts::default()
        };
        let rows = a.beside(&b);
        let get = |l: &str| rows.iter().find(|r| r.0 == l).map(|r| (r.1, r.2));
        assert_eq!(get("documents"), Some((2, 2)));
        assert_eq!(get("sentences"), Some((5, 4)));
        assert_eq!(get("facts: timex"), Some((3, 3)));
        assert_eq!(get("facts: quantity"), Some((0, 1)));
        assert_eq!(get("facts"), Some((3, 4)));
        assert_eq!(get("curation rows"), Some((0, 0)));
        assert_eq!(a.beside(&a).iter().filter(|r| r.1 != r.2).count(), 0);
    }

    #[test]
    fn a_long_list_of_ids_is_shortened() {
        let ids: Vec<String> = (0..8).map(|i| format!("{i}.txt")).collect();
        assert_eq!(
            shorten(&ids),
            "\"0.txt\", \"1.txt\", \"2.txt\", \"3.txt\", \"4.txt\" and 3 more"
        );
        assert_eq!(shorten(&ids[..1]), "\"0.txt\"");
    }
}
