//! Profiling aid: for each file given, the time and the most memory each stage of reading
//! and analysing it takes (decode, NFC, legacy repair, layout, the whole read, the
//! extractors), also per byte of input. Counts with the binary's allocator
//! (`annals::budget::Counting`).
use annals::budget::{self, Counting, Limits};
use annals::document::{Document, ReadOptions};
use annals::extract::Pipeline;
use annals::source::{decode, legacy};
use annals::text::lang::Lang;
use annals::text::layout::{self, Format};
use annals::text::normalize;

#[global_allocator]
static ALLOC: Counting = Counting;

fn stage<T>(name: &str, len: usize, f: impl FnOnce() -> T) -> T {
    let t = std::time::Instant::now();
    let mut kept = 0;
    let (r, peak) = budget::within_measured(Limits::none(), || {
        let out = f();
        kept = budget::held();
        out
    });
    let out = r.expect("no limits");
    println!(
        "  {name:<10} {:>8.2} s {:>10} {:>6.1} B/byte, kept {:>10}",
        t.elapsed().as_secs_f64(),
        budget::mib(peak),
        peak as f64 / len.max(1) as f64,
        budget::mib(kept)
    );
    out
}

fn main() {
    let pipeline = Pipeline::standard();
    for p in std::env::args().skip(1) {
        let bytes = std::fs::read(&p).expect("readable file");
        let n = bytes.len();
        println!("{p}: {}", budget::mib(n));
        let d = stage("decode", n, || decode::decode(&bytes).expect("decodes"));
        let t = stage("nfc", n, || normalize::nfc(&d.text));
        let t = stage("legacy", n, || legacy::repair(&t));
        let l = stage("layout", n, || {
            layout::repair(&t, Format::Plain, Lang::fallback())
        });
        drop((d, t, l));
        let doc = stage("read", n, || {
            Document::read(&p, bytes.clone(), ReadOptions::default()).expect("readable")
        });
        let mut facts = Vec::new();
        for e in pipeline.extractors() {
            let mut found = Vec::new();
            stage(e.name(), n, || e.extract_after(&doc, &facts, &mut found));
            facts.append(&mut found);
        }
        println!(
            "  {} paragraphs (longest {} bytes), {} sentences, {} facts",
            doc.paragraphs.len(),
            doc.paragraphs
                .iter()
                .map(|p| p.range.len())
                .max()
                .unwrap_or(0),
            doc.sentences.len(),
            facts.len()
        );
    }
}
