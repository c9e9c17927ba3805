//! Profiling aid: times each bench query against an existing data folder.
fn main() {
    let dir = std::env::args().nth(1).expect("data folder");
    let a = annals::archive::Archive::open(std::path::Path::new(&dir)).expect("archive");
    let mut rows = Vec::new();
    for q in annals::bench::QUERIES {
        let req = annals::search::SearchRequest {
            query: q.into(),
            limit: 10,
            ..Default::default()
        };
        let _ = a.search(&req);
        let t = std::time::Instant::now();
        for _ in 0..5 {
            std::hint::black_box(a.search(&req).expect("search"));
        }
        rows.push((t.elapsed().as_secs_f64() * 1e3 / 5.0, q));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, q) in rows.iter().take(12) {
        println!("{ms:8.3} ms  {q}");
    }
}
