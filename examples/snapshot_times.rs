//! Profiling aid: builds the read model of an existing data folder in full, then again from
//! the first with nothing changed (the derived part alone), and prints how long each took.
fn main() {
    let dir = std::env::args().nth(1).expect("data folder");
    let a = annals::archive::Archive::open(std::path::Path::new(&dir)).expect("archive");
    let t = std::time::Instant::now();
    let full = annals::snapshot::Snapshot::build(a.store.as_ref()).expect("snapshot");
    println!("full {:.2} s {:?}", t.elapsed().as_secs_f64(), full.stats);
    let t = std::time::Instant::now();
    let again =
        annals::snapshot::Snapshot::apply_change(Some(&full), a.store.as_ref(), 2).expect("again");
    println!("again {:.2} s {:?}", t.elapsed().as_secs_f64(), again.stats);
}
