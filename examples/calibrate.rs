//! Calibration aid for `ask`'s abstention: answers every question of a batch file at
//! threshold 0 and prints each answer as a JSON line with its confidence and the score of
//! its nearest rival value, so that `scripts/calibrate` can score other thresholds.
//!
//! `cargo run --release --example calibrate -- DATA QUESTIONS.jsonl`
fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let data = args.next().expect("a data folder");
    let questions = args
        .next()
        .expect("a questions file (JSON lines: id, question)");
    let archive = annals::archive::Archive::open(std::path::Path::new(&data))?;
    let snapshot = annals::snapshot::Snapshot::build(archive.store.as_ref())?;
    for line in std::fs::read_to_string(&questions)?.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let q: annals::ask::BatchQuestion = serde_json::from_str(line)?;
        let a = snapshot.asker.ask_with(&q.question, 0.0);
        let mut v = serde_json::to_value(&a)?;
        v["id"] = q.id.clone();
        v["rival"] = serde_json::json!(a.rival);
        v["states_act"] = serde_json::json!(a.states_act);
        println!("{v}");
    }
    Ok(())
}
