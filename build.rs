//! Embeds the per-language data files (`data/<module>/*.toml`, `data/<module>/generated/*.toml`)
//! into the binary as one table, so that a language is found by listing `data/lang/`, not by a
//! list in the code: adding a language is adding its files.

use std::fmt::Write as _;
use std::path::Path;

/// The data folders of per-language engines, whose files are embedded here and read through
/// `annals::data`. (The gazetteer and the domain lexicon embed their own files.)
const MODULES: &[&str] = &[
    "lang", "time", "quantity", "event", "question", "series", "table", "meta", "ui",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut files = Vec::new();
    for m in MODULES {
        for sub in ["", "generated"] {
            let dir = root.join(m).join(sub);
            // Only folders that exist: a missing path would make cargo run this every build.
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            println!("cargo:rerun-if-changed={}", dir.display());
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "toml") && p.is_file() {
                    let rel = p.strip_prefix(&root).expect("under data/");
                    files.push((
                        rel.to_string_lossy().replace('\\', "/"),
                        p.to_string_lossy().into_owned(),
                    ));
                }
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Every embedded data file: its path under `data/` and its text, sorted by path.\n",
    );
    out.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for (rel, abs) in &files {
        writeln!(out, "    ({rel:?}, include_str!({abs:?})),").expect("write to string");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("data_files.rs");
    std::fs::write(dest, out).expect("write data_files.rs");
}
