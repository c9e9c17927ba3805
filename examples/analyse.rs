//! Profiling aid: analyses the files given, N times, and prints throughput.
use annals::document::{Document, ReadOptions};
fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let files: Vec<(String, Vec<u8>)> = args
        .map(|p| (p.clone(), std::fs::read(&p).expect("readable file")))
        .collect();
    let t = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        for (id, b) in &files {
            bytes += b.len();
            let d = Document::read(id, b.clone(), ReadOptions::default()).expect("readable");
            std::hint::black_box(d);
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "{:.1} MB in {:.2} s: {:.1} MB/s",
        bytes as f64 / 1e6,
        s,
        bytes as f64 / 1e6 / s
    );
}
