//! The commands that read: search, extract, export, documents, entities, ask, timeline,
//! conflicts, series, audit, check. Each reads one snapshot (or the search index) and
//! renders what the library made of it.

use super::OutFormat;
use annals::document::{Document, ReadOptions};
use annals::extract::Pipeline;
use annals::record;
use annals::search::SearchRequest;
use annals::snapshot::Snapshot;
use annals::store::StoredDocument;
use annals::terminal::printable;
use annals::text::lang::Lang;
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Search sentences (BM25; Vietnamese with or without diacritics; "quoted phrases").
#[derive(clap::Args)]
pub struct SearchArgs {
    pub query: Vec<String>,
    /// Only this document.
    #[arg(long)]
    pub doc: Option<String>,
    /// Only sentences in this language (vi, en, ru).
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Number of hits.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// The words only: no other names or translations of them ("Brezhnev" also finds
    /// "Brêgiơnép" and "Брежнев" without it, ranked after the words as typed).
    #[arg(long)]
    pub exact: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn search(data: &Path, a: SearchArgs) -> Result<()> {
    let mut archive = super::open(data)?;
    match archive.try_reconcile() {
        Ok(Some(_)) => {}
        Ok(None) => eprintln!("note: an ingest is running; searching what it has committed so far"),
        // Reading must not need room to write (a full disk, a read-only copy).
        Err(e) => eprintln!(
            "note: the search index could not be brought up to date ({e}); searching what it holds"
        ),
    }
    let query = a.query.join(" ");
    let expansion = (!a.exact).then(|| annals::search::expand::expand(&query));
    if let Some(x) = expansion.as_ref().filter(|x| x.expands()) {
        eprintln!(
            "also searched (ranked after the words as typed; --exact for the words only): {}",
            printable(&x.shown().join(", "))
        );
    }
    let req = SearchRequest {
        query,
        doc: a.doc,
        lang: a.lang,
        limit: a.limit,
        expansion,
    };
    let hits = archive.search(&req)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if a.format == OutFormat::Json {
        for h in &hits {
            serde_json::to_writer(&mut out, h)?;
            writeln!(out)?;
        }
        return Ok(out.flush()?);
    }
    if hits.is_empty() {
        let stored = archive.store.documents()?.len();
        if stored == 0 {
            writeln!(out, "the store is empty: run `annals ingest PATH` first")?;
        } else if archive.index.is_empty()? {
            writeln!(
                out,
                "the search index holds nothing yet although {stored} documents are stored; `annals check` indexes them"
            )?;
        } else {
            writeln!(out, "no sentence matches {:?}", req.query)?;
        }
    }
    let color = std::io::stdout().is_terminal();
    for (i, h) in hits.iter().enumerate() {
        writeln!(
            out,
            "{:>2}. {} [{}..{}] {} score {:.2}{}",
            i + 1,
            printable(&h.doc),
            h.start,
            h.end,
            h.lang,
            h.score,
            if h.tier == annals::search::Tier::Expanded {
                " (another name or translation)"
            } else {
                ""
            }
        )?;
        let snippet = printable(&h.snippet);
        let snippet = if color {
            bold_marks(&snippet)
        } else {
            snippet.into_owned()
        };
        writeln!(out, "    {snippet}")?;
    }
    Ok(out.flush()?)
}

/// `**marked**` words in bold yellow on a terminal.
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

/// Run the pipeline on text from stdin (or --file) without storing; print JSON Lines.
#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Read this file instead of stdin.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Language hint for short inputs.
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Format of the input.
    #[arg(long, value_enum)]
    pub format: Option<super::ingest::FormatArg>,
    /// Also print paragraph records.
    #[arg(long)]
    pub paragraphs: bool,
    #[command(flatten)]
    pub ocr: super::ingest::OcrArgs,
}

pub fn extract(a: ExtractArgs) -> Result<()> {
    let (id, bytes) = match &a.file {
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
    let opts = ReadOptions {
        encoding: None,
        format: a.format.map(Into::into),
        lang: a.lang,
        ocr: a.ocr.options()?,
    };
    let doc = Document::read(&id, bytes, opts).with_context(|| format!("{id}: cannot read"))?;
    let facts = Pipeline::standard().run(&doc);
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(out, "{}", record::document_record(&doc, &[]))?;
    if a.paragraphs {
        for r in record::paragraph_records(&doc) {
            writeln!(out, "{r}")?;
        }
    }
    for r in record::sentence_records(&doc) {
        writeln!(out, "{r}")?;
    }
    for f in &facts {
        writeln!(out, "{}", record::fact_record(f))?;
    }
    Ok(out.flush()?)
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum ExportFormat {
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
    /// The sources themselves, CSL-JSON: each as it states its title, authors, year and
    /// venue, with where it says so.
    CslSources,
}

/// The table `export --format csv` writes.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum CsvKindArg {
    Events,
    Facts,
    Series,
    Conflicts,
    Documents,
}

/// Export the whole store (curated values; --machine for the machine's).
#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// The table written by --format csv.
    #[arg(long, value_enum, default_value = "events")]
    pub kind: CsvKindArg,
    /// Annotations: documents are BASE_URL + id instead of urn:annals:doc:id.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Write here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The machine's values, without the historians' curation.
    #[arg(long)]
    pub machine: bool,
}

pub fn export(data: &Path, a: ExportArgs) -> Result<()> {
    use annals::export::{Format, csv::CsvKind};
    let archive = super::open(data)?;
    let snapshot = if a.machine {
        Snapshot::build_machine(archive.store.as_ref())?
    } else {
        Snapshot::build(archive.store.as_ref())?
    };
    let format = match a.format {
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Csv => Format::Csv(match a.kind {
            CsvKindArg::Events => CsvKind::Events,
            CsvKindArg::Facts => CsvKind::Facts,
            CsvKindArg::Series => CsvKind::Series,
            CsvKindArg::Conflicts => CsvKind::Conflicts,
            CsvKindArg::Documents => CsvKind::Documents,
        }),
        ExportFormat::Timelinejs => Format::Timelinejs,
        ExportFormat::Annotations => Format::Annotations,
        ExportFormat::AnnotationCollection => Format::AnnotationCollection,
        ExportFormat::Csl => Format::Csl,
        ExportFormat::Bibtex => Format::Bibtex,
        ExportFormat::CslSources => Format::SourcesCsl,
    };
    let sink: Box<dyn Write> = match &a.output {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let written = annals::export::write(&snapshot, format, a.base_url, &mut out)?;
    if written.skipped > 0 {
        eprintln!("{} events without a known year left out", written.skipped);
    }
    Ok(out.flush()?)
}

/// Print the text annals read from a document: for a PDF or an image, the text of its text
/// layer or OCR, which the offsets of its records count in; for a text file, its text as
/// decoded.
#[derive(clap::Args)]
pub struct TextArgs {
    /// The document's id (as `annals documents` lists it).
    pub doc: String,
    /// Only this page (1-based) of a PDF or an image, with its byte range on stderr.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: Option<u32>,
}

pub fn text(data: &Path, a: TextArgs) -> Result<()> {
    let archive = super::open(data)?;
    let store = &archive.store;
    let Some(d) = store.document(&a.doc)? else {
        anyhow::bail!(
            "no document {} in the store (annals documents lists them)",
            printable(&a.doc)
        );
    };
    let bytes = store.source_bytes(&d.id)?.unwrap_or_default();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let Some(n) = a.page else {
        let text = annals::source::decode::decode_range(&bytes, d.encoding(), 0..bytes.len());
        out.write_all(text.as_bytes())?;
        return Ok(out.flush()?);
    };
    let Some(paged) = store.paged(&d.id)? else {
        anyhow::bail!("{} is a text document: it has no pages", printable(&d.id));
    };
    let pages = paged.map.pages.len();
    if n as usize > pages {
        anyhow::bail!("{} has {pages} pages, not {n}", printable(&d.id));
    }
    let on_page: Vec<_> = paged.map.words.iter().filter(|w| w.2 + 1 == n).collect();
    let (Some(first), Some(last)) = (on_page.first(), on_page.last()) else {
        eprintln!("page {n}: no text");
        return Ok(());
    };
    let (start, end) = (first.0 as usize, last.1 as usize);
    eprintln!("page {n}: bytes {start}..{end}");
    out.write_all(bytes.get(start..end).unwrap_or_default())?;
    out.write_all(b"\n")?;
    Ok(out.flush()?)
}

/// List stored documents (and files that were rejected).
#[derive(clap::Args)]
pub struct DocumentsArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
    /// Start after this document id (the list is by id; the rejected files come with the
    /// first page only).
    #[arg(long)]
    pub after: Option<String>,
    /// List at most this many documents, one or more (the text output ends with the command
    /// for the next page).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
}

/// Documents read from the store at a time: the list streams, whatever the store's size.
const DOCUMENTS_PAGE: usize = 500;

pub fn documents(data: &Path, a: DocumentsArgs) -> Result<()> {
    let archive = super::open(data)?;
    let store = &archive.store;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let json = a.format == OutFormat::Json;
    let want = a.limit.map_or(usize::MAX, |n| n as usize);
    let mut after = a.after.clone();
    let mut shown = 0usize;
    let mut more = false;
    while shown < want {
        let page = store.documents_page(after.as_deref(), DOCUMENTS_PAGE.min(want - shown))?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for d in &page {
            write_document(&mut out, d, json)?;
        }
        shown += page.len();
        if shown == want {
            more = !store.documents_page(after.as_deref(), 1)?.is_empty();
        }
    }
    if shown == 0 && !json {
        match &a.after {
            None => writeln!(out, "no documents yet: run `annals ingest PATH`")?,
            Some(id) => writeln!(out, "no documents after {}", printable(id))?,
        }
    }
    if more && !json {
        let next = after.as_deref().unwrap_or_default();
        writeln!(
            out,
            "more documents: annals documents --after {} --limit {want}",
            printable(next)
        )?;
    }
    if a.after.is_none() {
        for r in &store.rejections()? {
            if json {
                let v = serde_json::json!({"rejected": r.path, "reason": r.reason, "at": r.at});
                writeln!(out, "{v}")?;
            } else {
                writeln!(
                    out,
                    "rejected  {}: {}",
                    printable(&r.path),
                    printable(&r.reason)
                )?;
            }
        }
    }
    Ok(out.flush()?)
}

/// One line of `annals documents`: the record as JSON, or its id, size, encoding, format,
/// language, counts, other names and title.
fn write_document(out: &mut impl Write, d: &StoredDocument, json: bool) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(d)?)?;
        return Ok(());
    }
    let aliases = if d.aliases.is_empty() {
        String::new()
    } else {
        format!("  also as: {}", printable(&d.aliases.join(", ")))
    };
    let title = d
        .title
        .as_ref()
        .map(|t| format!("  “{}”", printable(t)))
        .unwrap_or_default();
    writeln!(
        out,
        "{}  {} bytes  {}  {}  {}  {} paragraphs  {} sentences{aliases}{title}",
        printable(&d.id),
        d.bytes,
        d.encoding,
        d.format,
        d.lang,
        d.paragraphs,
        d.sentences,
    )?;
    Ok(())
}

/// Show one entity: labels, mentions by document, co-occurring entities, events. NAME is
/// any alias in any language, with or without diacritics ("Brezhnev", "Brêgiơnép",
/// "Брежнев", "lien xo").
#[derive(clap::Args)]
pub struct EntityArgs {
    pub name: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn entity(data: &Path, a: EntityArgs) -> Result<()> {
    let e = annals::entity_page::find(&a.name.join(" ")).map_err(anyhow::Error::msg)?;
    let snapshot = super::snapshot(data)?;
    if a.format == OutFormat::Json {
        let v = annals::entity_page::entity_record(&snapshot, e);
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let page = annals::entity_page::entity_page(&snapshot, &e.id);
    let mut head = format!("{} ({}", e.name, e.kind);
    if let Some(q) = &e.qid {
        head += &format!(", {q}");
    }
    if let Some(d) = &e.dates {
        head += &format!(", {d}");
    }
    println!("{head})");
    let fallback = annals::text::lang::Lang::fallback();
    let labels: Vec<String> = e
        .labels
        .iter()
        .filter(|(l, _)| *l != fallback)
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
            .map(|(f, n)| format!("{} ({n})", printable(f)))
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
            printable(&d.doc),
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
    Ok(())
}

/// List the gazetteer's entities with their mention counts, or (--candidates) names in the
/// sources that no entity matched, for curation.
#[derive(clap::Args)]
pub struct EntitiesArgs {
    /// Names not in the gazetteer, with counts and example spans.
    #[arg(long)]
    pub candidates: bool,
    /// With --candidates: only names seen at least this often.
    #[arg(long, default_value_t = 2)]
    pub min_count: usize,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn entities(data: &Path, a: EntitiesArgs) -> Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    if a.candidates {
        let archive = super::open(data)?;
        let found = annals::discover::candidates(archive.store.as_ref(), a.min_count)?;
        for c in &found {
            match a.format {
                OutFormat::Json => writeln!(out, "{}", serde_json::to_string(c)?)?,
                OutFormat::Text => {
                    let at: Vec<String> = c
                        .examples
                        .iter()
                        .map(|e| format!("{} [{}..{}]", printable(&e.doc), e.start, e.end))
                        .collect();
                    writeln!(
                        out,
                        "{:>5}  {}   {}   [{} {}]",
                        c.count,
                        printable(&c.name),
                        at.join(", "),
                        c.entity_type,
                        c.id
                    )?;
                }
            }
        }
        return Ok(out.flush()?);
    }
    // Mention counts as curated, from the snapshot.
    let snapshot = super::snapshot(data)?;
    let mut rows: Vec<(&annals::knowledge::gazetteer::Entity, usize)> =
        annals::knowledge::gazetteer::builtin()
            .entities
            .iter()
            .map(|e| (e, snapshot.mentions.get(&e.id).copied().unwrap_or(0)))
            .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(&b.0.name)));
    for (e, n) in rows {
        match a.format {
            OutFormat::Json => writeln!(
                out,
                "{}",
                serde_json::json!({"entity_id": e.id, "entity": e.name, "type": e.kind, "qid": e.qid, "mentions": n})
            )?,
            OutFormat::Text => writeln!(out, "{n:>5}  {} ({}, {})", e.name, e.kind, e.id)?,
        }
    }
    Ok(out.flush()?)
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum AskFormat {
    Text,
    Json,
    Jsonl,
}

/// Answer a question from the sources, with citations (English, Vietnamese, Russian).
#[derive(clap::Args)]
pub struct AskArgs {
    /// The question.
    pub question: Vec<String>,
    /// Answer every {"id","question"} line of this file (JSON Lines out).
    #[arg(long)]
    pub batch: Option<PathBuf>,
    /// text or json (one question); jsonl (batch).
    #[arg(long, value_enum, default_value = "text")]
    pub format: AskFormat,
}

pub fn ask(data: &Path, a: AskArgs) -> Result<()> {
    if a.batch.is_none() && a.question.is_empty() {
        bail!("give a question, or --batch FILE");
    }
    let snapshot = super::snapshot(data)?;
    let asker = &snapshot.asker;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if let Some(path) = a.batch {
        let input = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        annals::ask::batch(asker, &input, &mut out)?;
    } else {
        let answer = asker.ask(&a.question.join(" "));
        match a.format {
            AskFormat::Text => write!(out, "{}", annals::ask::render::text(&answer))?,
            AskFormat::Json | AskFormat::Jsonl => {
                serde_json::to_writer_pretty(&mut out, &answer)?;
                writeln!(out)?;
            }
        }
    }
    Ok(out.flush()?)
}

/// The events of the sources, merged across documents and languages: one line per event
/// with its sources.
#[derive(clap::Args)]
pub struct TimelineArgs {
    /// Earliest date (ISO prefix: 1975, 1978-11).
    #[arg(long)]
    pub from: Option<String>,
    /// Latest date (ISO prefix).
    #[arg(long)]
    pub to: Option<String>,
    /// Field: politics, economy, education, science, military, culture.
    #[arg(long)]
    pub field: Option<String>,
    /// An actor, by any name in any language ("Brezhnev", "Liên Xô").
    #[arg(long)]
    pub actor: Option<String>,
    /// Event type (visit, treaty, agreement, aid, trade, membership, war, ...).
    #[arg(long = "type")]
    pub ty: Option<String>,
    /// Print each statement's text under its event.
    #[arg(long)]
    pub evidence: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn timeline(data: &Path, a: TimelineArgs) -> Result<()> {
    use annals::history::timeline;
    let snapshot = super::snapshot(data)?;
    let history = &snapshot.history;
    let filter = timeline::Filter {
        from: a.from,
        to: a.to,
        field: a.field,
        actor: a.actor,
        ty: a.ty,
    };
    let events = timeline::filter(&history.events, &filter)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match a.format {
        OutFormat::Text => write!(out, "{}", timeline::render_text(&events, a.evidence))?,
        OutFormat::Json => {
            let records: Vec<serde_json::Value> =
                events.iter().map(|e| history.event_record(e)).collect();
            serde_json::to_writer_pretty(&mut out, &records)?;
            writeln!(out)?;
        }
    }
    Ok(out.flush()?)
}

/// Where the sources disagree: event dates, figures, orderings; every side with its
/// evidence.
#[derive(clap::Args)]
pub struct ConflictsArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn conflicts(data: &Path, a: ConflictsArgs) -> Result<()> {
    let snapshot = super::snapshot(data)?;
    let conflicts = &snapshot.history.conflicts;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match a.format {
        OutFormat::Text => write!(
            out,
            "{}",
            annals::history::timeline::render_conflicts(conflicts)
        )?,
        OutFormat::Json => {
            serde_json::to_writer_pretty(&mut out, conflicts)?;
            writeln!(out)?;
        }
    }
    Ok(out.flush()?)
}

/// List the series of measures over time (trade, aid, students...), or show the series
/// NAME selects (its key, or a name in any language: "trade", "kim ngạch", "товарооборот")
/// as a table with its sources and its value conflicts.
#[derive(clap::Args)]
pub struct SeriesArgs {
    pub name: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn series(data: &Path, a: SeriesArgs) -> Result<()> {
    let snapshot = super::snapshot(data)?;
    let name = a.name.join(" ");
    let out = annals::history::series::render::command(
        &snapshot.history.series,
        Some(name.as_str()),
        a.format == OutFormat::Json,
    )
    .map_err(anyhow::Error::msg)?;
    print!("{out}");
    Ok(())
}

/// The curation audit log (who, when, what, old and new value, why), each entry with how
/// it stands now: applies, reanchored, stale, retracted.
#[derive(clap::Args)]
pub struct AuditArgs {
    /// Only the decisions that no longer apply (their text or the machine's value changed
    /// when a document was re-ingested).
    #[arg(long)]
    pub stale: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutFormat,
}

pub fn audit(data: &Path, a: AuditArgs) -> Result<()> {
    let snapshot = super::snapshot(data)?;
    let entries: Vec<_> = snapshot
        .audit_log()
        .into_iter()
        .filter(|e| !a.stale || e.state == annals::curation::DecisionState::Stale)
        .collect();
    match a.format {
        OutFormat::Json => println!("{}", serde_json::to_string_pretty(&entries)?),
        OutFormat::Text => {
            if entries.is_empty() {
                println!(
                    "{}",
                    if a.stale {
                        "no stale decisions"
                    } else {
                        "no decisions yet"
                    }
                );
            }
            for e in &entries {
                println!("{}", printable(&e.line()));
            }
        }
    }
    Ok(())
}

/// `annals check`: the store's consistency and the index's agreement with it.
pub fn check(data: &Path) -> Result<()> {
    let mut archive = super::open(data)?;
    let r = archive.check()?;
    if r.reindexed > 0 {
        println!(
            "{} documents were not indexed (an interrupted ingest); indexed them",
            r.reindexed
        );
    }
    if r.problems.is_empty() {
        println!(
            "ok: {} documents, {} sentences, store and index agree",
            r.documents, r.sentences
        );
        return Ok(());
    }
    for p in &r.problems {
        println!("problem: {p}");
    }
    bail!("{} problems found", r.problems.len())
}

/// `annals reindex`: the search index rebuilt from the store.
pub fn reindex(data: &Path) -> Result<()> {
    let mut archive = super::open(data)?;
    let n = archive.rebuild_index()?;
    println!("reindexed {n} documents");
    Ok(())
}
