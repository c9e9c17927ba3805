//! Debugging aid: the event statements of a text, with the timexes and mentions they were
//! built from.
//!
//! usage: `cargo run --release --example events -- LANG TEXT` (LANG: vi, en or ru; TEXT `-`
//! reads standard input).

use annals::document::{Document, ReadOptions};
use annals::extract::Pipeline;
use annals::text::lang::Lang;
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang = args
        .get(1)
        .and_then(|l| Lang::from_code(l))
        .unwrap_or(Lang::of("en"));
    let mut text = args.get(2).cloned().unwrap_or_else(|| "-".into());
    if text == "-" {
        text.clear();
        std::io::stdin()
            .read_to_string(&mut text)
            .expect("readable input");
    }
    let doc = Document::read(
        "t",
        text.into_bytes(),
        ReadOptions {
            lang: Some(lang),
            ..Default::default()
        },
    )
    .expect("readable text");
    for f in Pipeline::standard().run(&doc) {
        let b = &f.fields();
        let g = |k: &str| b.get(k).cloned().unwrap_or_default();
        match f.kind() {
            "timex" => println!(
                "timex {:?} {} {}",
                f.evidence.text,
                g("value_start"),
                g("value_end")
            ),
            "mention" => println!(
                "mention {:?} {} {}",
                f.evidence.text,
                g("entity"),
                g("entity_type")
            ),
            "event_statement" => println!(
                "EVENT {} {}..{} trigger={} date={} origin={} {} {} circ={} parts={}",
                g("type"),
                g("date_start"),
                g("date_end"),
                g("trigger"),
                g("date_text"),
                g("date_origin"),
                g("polarity"),
                g("modality"),
                g("circumstance"),
                g("participants")
            ),
            _ => {}
        }
    }
}
