//! The read model made by `Snapshot::apply_change` from an earlier one is the read model
//! built from scratch: after documents are added and rewritten and decisions are recorded
//! and retracted, every output (the exports, the history's events, series and conflicts,
//! the mention counts, the answers) is the same, while only the changed documents are read
//! and derived again; and the machine's view made from a read model (`Snapshot::machine`)
//! is the one built from scratch.
//!
//! The texts are our own, in the three languages, written to hold events of one date told
//! by several documents (so that merge groups span documents), figures of a series, and
//! names; the unseen excerpts of the evaluation folder are ingested beside them when they
//! are there.

mod common;

use annals::archive::Archive;
use annals::curation::{self, Action, NewDecision, TargetRef};
use annals::extract::Pipeline;
use annals::ingest::{self, IngestOptions, Silent};
use annals::snapshot::Snapshot;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const EN: &str = "Relations in brief.\n\n\
On 3 November 1978 Vietnam and the Soviet Union signed the Treaty of Friendship and \
Cooperation in Moscow. In 1985 trade between the Soviet Union and Vietnam reached 1.5 billion \
rubles. Leonid Brezhnev received Le Duan in Moscow in 1978.\n\n\
In 2001 Vladimir Putin visited Hanoi. Vietnam joined the Council for Mutual Economic \
Assistance in June 1978.\n";

const EN_REWRITTEN: &str = "Relations in brief, revised.\n\n\
On 3 November 1978 Vietnam and the Soviet Union signed the Treaty of Friendship and \
Cooperation in Moscow. In 1986 trade between the Soviet Union and Vietnam reached 1.7 billion \
rubles.\n\n\
In March 2001 Vladimir Putin visited Hanoi and met Tran Duc Luong.\n";

const VI: &str = "Quan hệ Việt - Xô.\n\n\
Ngày 3 tháng 11 năm 1978, Việt Nam và Liên Xô ký Hiệp ước Hữu nghị và Hợp tác tại Mát-xcơ-va. \
Năm 1985, kim ngạch thương mại giữa Liên Xô và Việt Nam đạt 1,5 tỷ rúp.\n\n\
Tháng 6 năm 1978, Việt Nam gia nhập Hội đồng Tương trợ Kinh tế.\n";

const RU: &str = "Советско-вьетнамские отношения.\n\n\
3 ноября 1978 года СССР и Вьетнам подписали Договор о дружбе и сотрудничестве в Москве. \
В 1985 году товарооборот между СССР и Вьетнамом составил 1,5 млрд рублей.\n\n\
В 2001 году Владимир Путин посетил Ханой.\n";

const NEW: &str = "A later note.\n\n\
In 1985 trade between the Soviet Union and Vietnam reached 1.6 billion rubles. On 3 November \
1978 the Soviet Union and Vietnam signed a treaty of friendship.\n";

/// Everything a reader of `s` sees, as one JSON value.
fn render(s: &Snapshot) -> Value {
    let export = |format| {
        let mut out = Vec::new();
        annals::export::write(s, format, None, &mut out).expect("export");
        String::from_utf8(out).expect("utf-8")
    };
    let mut mentions: Vec<(&String, &usize)> = s.mentions.iter().collect();
    mentions.sort();
    let questions = [
        "When did Vietnam and the Soviet Union sign the Treaty of Friendship and Cooperation?",
        "How much was trade between the Soviet Union and Vietnam in 1985?",
        "When did Vladimir Putin visit Hanoi?",
        "What happened in 1978?",
        "Việt Nam gia nhập Hội đồng Tương trợ Kinh tế khi nào?",
        "Когда Путин посетил Ханой?",
    ];
    json!({
        "jsonl": export(annals::export::Format::Jsonl),
        "timelinejs": export(annals::export::Format::Timelinejs),
        "annotations": export(annals::export::Format::Annotations),
        "events": s.history.events.iter().map(|e| s.history.event_record(e)).collect::<Vec<_>>(),
        "rejected": s.history.rejected.iter().map(|e| s.history.event_record(e)).collect::<Vec<_>>(),
        "series": s.history.series,
        "conflicts": s.history.conflicts,
        "mentions": mentions,
        "answers": questions.iter().map(|q| s.asker.ask(q)).collect::<Vec<_>>(),
        "audit": s.audit_log().iter().map(|e| e.line()).collect::<Vec<_>>(),
    })
}

/// The first difference between two renderings, as a path and both values.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let w = y.get(k).unwrap_or(&Value::Null);
                if let Some(d) = first_difference(v, w, &format!("{at}.{k}")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{at}: keys differ"))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(v, w, &format!("{at}[{i}]")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{at}: {} against {} items", x.len(), y.len()))
        }
        (Value::String(x), Value::String(y)) if x != y => {
            let n = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
            let from = n.saturating_sub(80);
            let cut = |s: &str| s.chars().skip(from).take(240).collect::<String>();
            Some(format!(
                "{at} at char {n}:\n  apply_change: {}\n  build:        {}",
                cut(x),
                cut(y)
            ))
        }
        _ => (a != b).then(|| format!("{at}: {a} against {b}")),
    }
}

/// Makes the next read model from `prev` and from scratch, checks that readers see the
/// same in both, and returns the incremental one.
fn step(archive: &Archive, prev: &Snapshot, what: &str) -> Snapshot {
    let store = archive.store.as_ref();
    let next = Snapshot::apply_change(Some(prev), store, prev.generation + 1).expect("apply");
    let full = Snapshot::build(store).expect("build");
    if let Some(d) = first_difference(&render(&next), &render(&full), "") {
        panic!("after {what}, apply_change and build differ: {d}");
    }
    // The machine's view made from the read model is the one built from scratch.
    let machine = next.machine(store).expect("machine view");
    let scratch = Snapshot::build_machine(store).expect("machine build");
    if let Some(d) = first_difference(&render(&machine), &render(&scratch), "") {
        panic!("after {what}, the machine's views differ: {d}");
    }
    assert!(next.is_current(store).unwrap());
    next
}

fn ingest_dir(archive: &mut Archive, dir: &Path) {
    let summary = ingest::ingest(
        archive,
        &[dir.to_path_buf()],
        &IngestOptions::default(),
        &Pipeline::standard(),
        &Silent,
    )
    .expect("ingest");
    assert_eq!(summary.rejected, 0, "{summary:?}");
}

fn decide(
    archive: &mut Archive,
    action: Action,
    target: TargetRef,
    edit: Option<(&str, Value)>,
) -> i64 {
    let (field, value) = edit.unzip();
    curation::decide(
        archive.store.as_mut(),
        NewDecision {
            action,
            target,
            field: field.map(str::to_string),
            value,
            with: Vec::new(),
            statement: None,
            reason: "checked against the source".into(),
            who: "test".into(),
            request_id: None,
        },
    )
    .expect("decision")
    .id
}

/// The first fact of `kind` in document `doc` (as the snapshot shows it).
fn fact_of(s: &Snapshot, doc: &str, kind: &str) -> i64 {
    s.facts_of(doc)
        .find(|c| c.fact.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} in {doc}"))
        .fact
        .id
}

#[test]
fn apply_change_equals_a_build_from_scratch() {
    let tmp = tempfile::tempdir().unwrap();
    let src: PathBuf = tmp.path().join("sources");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("en.txt"), EN).unwrap();
    std::fs::write(src.join("vi.txt"), VI).unwrap();
    std::fs::write(src.join("ru.txt"), RU).unwrap();
    let mut archive = Archive::open(&tmp.path().join("data")).unwrap();
    ingest_dir(&mut archive, &src);
    let unseen = common::corpus_dir().join("../eval/unseen/docs");
    if unseen.is_dir() {
        ingest_dir(&mut archive, &unseen);
    }
    let s0 = Snapshot::build(archive.store.as_ref()).unwrap();
    let docs = s0.documents.len();
    assert!(
        s0.history.events.iter().any(|e| e.sources >= 2),
        "an event told by two documents"
    );

    // Nothing changed: nothing read, nothing derived.
    let s1 = step(&archive, &s0, "no change");
    assert_eq!(
        (s1.stats.read, s1.stats.derived, s1.stats.reused),
        (0, 0, docs)
    );

    // A document added: it alone is read and derived.
    let more = tmp.path().join("more");
    std::fs::create_dir_all(&more).unwrap();
    std::fs::write(more.join("new.txt"), NEW).unwrap();
    ingest_dir(&mut archive, &more);
    let s2 = step(&archive, &s1, "a document added");
    assert_eq!((s2.stats.read, s2.stats.derived), (1, 1));

    // A document rewritten: its events move to other dates, its figures to other years.
    std::fs::write(src.join("en.txt"), EN_REWRITTEN).unwrap();
    ingest_dir(&mut archive, &src);
    let s3 = step(&archive, &s2, "a document rewritten");
    assert_eq!((s3.stats.read, s3.stats.derived), (1, 1));

    // Decisions about facts: each document they touch is derived again, no other.
    let doc = s3
        .documents
        .iter()
        .find(|d| d.id.ends_with("ru.txt"))
        .expect("ru.txt")
        .id
        .clone();
    let statement = fact_of(&s3, &doc, "event_statement");
    let quantity = fact_of(&s3, &doc, "quantity");
    let mention = fact_of(&s3, &doc, "mention");
    let rejected = decide(
        &mut archive,
        Action::Reject,
        TargetRef::Fact(statement),
        None,
    );
    decide(
        &mut archive,
        Action::Edit,
        TargetRef::Fact(quantity),
        Some(("value", json!(1.45e9))),
    );
    decide(&mut archive, Action::Reject, TargetRef::Fact(mention), None);
    let s4 = step(&archive, &s3, "decisions about facts");
    assert_eq!((s4.stats.read, s4.stats.derived), (0, 1));

    // Decisions about events: an edited date, a rejection; then a retraction.
    let event = s4.history.events[0].id.clone();
    decide(
        &mut archive,
        Action::Edit,
        TargetRef::Event(event),
        Some(("date", json!("1978-11-04"))),
    );
    let other = s4.history.events.last().unwrap().id.clone();
    decide(&mut archive, Action::Reject, TargetRef::Event(other), None);
    let s5 = step(&archive, &s4, "decisions about events");
    decide(
        &mut archive,
        Action::Retract,
        TargetRef::Audit(rejected),
        None,
    );
    let s6 = step(&archive, &s5, "a retraction");
    assert_eq!((s6.stats.read, s6.stats.derived), (0, 1));
}
