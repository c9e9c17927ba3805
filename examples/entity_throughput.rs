//! Throughput of entity matching alone (every paragraph's mentions, one core) on the files
//! given, for profiling: `entity_throughput ROUNDS FILE...`. Prints one JSON object.
use annals::document::{Document, ReadOptions};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let mut texts = Vec::new();
    for p in args {
        let b = std::fs::read(&p).expect("readable file");
        if let Ok(d) = Document::read(&p, b, ReadOptions::default()) {
            for para in &d.paragraphs {
                texts.push(d.paragraph_text(para).to_string());
            }
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    annals::extract::entity::mentions("warm");
    let mut n = 0;
    let t = Instant::now();
    for _ in 0..rounds {
        for x in &texts {
            n += annals::extract::entity::paragraph_mentions(x).len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{{\"bytes\": {bytes}, \"mentions\": {}, \"mb_s\": {:.2}}}",
        n / rounds.max(1),
        (bytes * rounds) as f64 / 1e6 / secs
    );
}
