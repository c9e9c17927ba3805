//! Throughput of the time extractor on the files given: alone (documents read once), and
//! with reading (decode, layout, sentences) included. Prints one JSON object.
use annals::document::{Document, ReadOptions};
use annals::extract::Extractor;
use annals::extract::time::TimeExtractor;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let files: Vec<(String, Vec<u8>)> = args
        .map(|p| (p.clone(), std::fs::read(&p).expect("readable file")))
        .collect();
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    let read = || -> Vec<Document> {
        files
            .iter()
            .filter_map(|(id, b)| Document::read(id, b.clone(), ReadOptions::default()).ok())
            .collect()
    };
    let docs = read();
    let mut out = Vec::new();
    for d in &docs {
        TimeExtractor.extract(d, &mut out); // warm up compiled rules
    }
    let t = Instant::now();
    for _ in 0..rounds {
        out.clear();
        for d in &docs {
            TimeExtractor.extract(d, &mut out);
        }
    }
    let alone = (bytes * rounds) as f64 / 1e6 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..rounds {
        out.clear();
        for d in read() {
            TimeExtractor.extract(&d, &mut out);
        }
    }
    let with_read = (bytes * rounds) as f64 / 1e6 / t.elapsed().as_secs_f64();
    println!(
        "{{\"bytes\": {bytes}, \"expressions\": {}, \"extractor_mb_s\": {alone:.2}, \"read_and_extract_mb_s\": {with_read:.2}}}",
        out.len()
    );
}
