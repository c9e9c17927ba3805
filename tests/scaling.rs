//! Every stage from bytes to facts is linear in the size of its input: each pathological
//! shape (a long table, one long sentence full of dates and numbers, one long paragraph full
//! of names) is analysed at two sizes, and each stage's time must grow like the size, not
//! like its square. This compares a ratio of times measured in the same run (the best of
//! several), never a time against a fixed limit, so a slow machine does not fail it.

use annals::document::{Document, ReadOptions};
use annals::extract::{Fact, Pipeline};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How much larger the second input is.
const GROWTH: usize = 4;
/// A stage whose time grows by more than this for a 4× input is not linear (a quadratic
/// one grows 16×; a linear one 4×, a little more with cache effects).
const LIMIT: f64 = 9.0;
/// Below this (on the larger input) a stage is too fast for a ratio to mean anything.
const NOISE: Duration = Duration::from_millis(20);
/// Runs of each size; the best is kept.
const RUNS: usize = 5;

/// One measurement at a time in this binary: tests running side by side would measure
/// each other.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The time of each stage (reading, then each extractor) on `text`, one run.
fn stage_times(text: &str) -> Vec<(String, Duration)> {
    let pipeline = Pipeline::standard();
    let mut times = Vec::new();
    let t = Instant::now();
    let doc = Document::read(
        "scaling.txt",
        text.as_bytes().to_vec(),
        ReadOptions::default(),
    )
    .expect("readable");
    times.push(("read".to_string(), t.elapsed()));
    let mut out: Vec<Fact> = Vec::new();
    for e in pipeline.extractors() {
        let t = Instant::now();
        let mut found = Vec::new();
        e.extract_after(&doc, &out, &mut found);
        times.push((e.name().to_string(), t.elapsed()));
        out.append(&mut found);
    }
    times
}

/// Keeps the smaller time of each stage.
fn keep_best(best: &mut Vec<(String, Duration)>, times: Vec<(String, Duration)>) {
    if best.is_empty() {
        *best = times;
    } else {
        for (b, (_, t)) in best.iter_mut().zip(times) {
            b.1 = b.1.min(t);
        }
    }
}

/// Asserts that every stage is linear on `make(n)` against `make(GROWTH * n)`. The two
/// sizes are measured in turns (small, large, small, …), so that load from elsewhere on
/// the machine weighs on both alike, and the best run of each is compared.
fn assert_linear(shape: &str, n: usize, make: impl Fn(usize) -> String) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (small, large) = (make(n), make(GROWTH * n));
    // Warm up lazily loaded data (gazetteer, rules) before measuring.
    stage_times(&make(1));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        keep_best(&mut a, stage_times(&small));
        keep_best(&mut b, stage_times(&large));
    }
    let mut report = String::new();
    let mut bad = Vec::new();
    for ((stage, ta), (_, tb)) in a.iter().zip(&b) {
        let ratio = tb.as_secs_f64() / ta.as_secs_f64().max(1e-6);
        report.push_str(&format!(
            "  {stage}: {:.1} ms -> {:.1} ms (x{ratio:.1})\n",
            ta.as_secs_f64() * 1e3,
            tb.as_secs_f64() * 1e3
        ));
        if *tb >= NOISE && ratio > LIMIT {
            bad.push(stage.clone());
        }
    }
    eprintln!(
        "{shape}: {} -> {} bytes\n{report}",
        small.len(),
        large.len()
    );
    assert!(
        bad.is_empty(),
        "{shape}: not linear in {bad:?} (input x{GROWTH}, limit x{LIMIT}):\n{report}"
    );
}

#[test]
fn a_long_markdown_table_is_linear() {
    assert_linear("markdown table", 1500, |rows| {
        let mut s = String::from(
            "| Năm | Xuất khẩu (triệu rúp) | Nhập khẩu | Tỷ lệ |\n|---|---|---|---|\n",
        );
        for i in 0..rows {
            s.push_str(&format!(
                "| {} | {},{} | {} {:03} | {}% |\n",
                1950 + i % 70,
                100 + i % 900,
                i % 10,
                1 + i % 9,
                i % 1000,
                i % 100
            ));
        }
        s
    });
}

#[test]
fn one_long_sentence_of_dates_and_numbers_is_linear() {
    assert_linear("one sentence of dates and numbers", 600, |n| {
        let mut s = String::new();
        for i in 0..n {
            let (d, y) = (1 + i % 28, 1950 + i % 70);
            match i % 3 {
                0 => s.push_str(&format!(
                    "ngày {d} tháng {} năm {y} có {} người sang học, ",
                    1 + i % 12,
                    100 + i
                )),
                1 => s.push_str(&format!(
                    "on {d} March {y} trade reached {}.5 million rubles, ",
                    10 + i
                )),
                _ => s.push_str(&format!(
                    "{d} мая {y} года было поставлено {} тонн, ",
                    20 + i
                )),
            }
        }
        s.push_str("và hết.\n");
        s
    });
}

#[test]
fn one_long_paragraph_of_names_is_linear() {
    assert_linear("one paragraph of names", 1500, |n| {
        let names = [
            "Liên Xô và Việt Nam",
            "Brezhnev",
            "Hồ Chí Minh",
            "Mỹ, Lào và Campuchia",
            "Nga",
            "Đảng Cộng sản Liên Xô",
            "Советский Союз",
            "Ле Зуан",
            "Moscow – Hà Nội",
            "Pháp",
        ];
        let mut s = String::new();
        for i in 0..n {
            s.push_str(names[i % names.len()]);
            s.push_str(" gặp ");
        }
        s.push('\n');
        s
    });
}

#[test]
fn a_run_of_digits_is_linear() {
    assert_linear("a run of digits", 25_000, |n| {
        let mut s = "7".repeat(n);
        s.push('\n');
        s
    });
}

#[test]
fn month_names_in_a_row_are_linear() {
    let months = [
        "January",
        "tháng Tám",
        "мая",
        "Dec.",
        "сентября",
        "tháng 12",
        "March",
        "июля",
    ];
    assert_linear("month names in a row", 2_500, |n| {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(months[i % months.len()]);
            s.push(' ');
        }
        s.push('\n');
        s
    });
}

/// Trigger words and glued capitals with no whitespace at all: each hit's window must not
/// reach back to the start of the text.
#[test]
fn words_without_spaces_are_linear() {
    assert_linear("month words without spaces", 5_000, |n| {
        let mut s = "tháng".repeat(n);
        s.push('\n');
        s
    });
    assert_linear("glued capitals without spaces", 10_000, |n| {
        let mut s = "aB".repeat(n);
        s.push('\n');
        s
    });
}

#[test]
fn a_line_of_grouped_millions_is_linear() {
    assert_linear("a line of grouped millions", 25_000, |n| {
        let mut s = "1 000 000 ".repeat(n);
        s.push('\n');
        s
    });
}
