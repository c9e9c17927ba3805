//! Latency of `ask` with the store warm, for `annals bench`: the read model is built once
//! (by the caller), then each question is answered `runs` times; p50, p99 and max per
//! question.

use super::Asker;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

/// Questions of our own (not the gold's), in the three languages, used when no question
/// file is given.
pub const QUESTIONS: [&str; 8] = [
    "When did Vietnam join the Council for Mutual Economic Assistance?",
    "Who received Vladimir Putin in Hanoi in January 2001?",
    "Liên Xô công nhận Việt Nam Dân chủ Cộng hòa vào tháng năm nào?",
    "Bao nhiêu người Việt Nam sống ở Nam Cực năm 1960?",
    "Когда Вьетнам вступил в СЭВ?",
    "В каком году Вьетнам и США нормализовали дипломатические отношения?",
    "How many Soviet specialists worked in Vietnam?",
    "What happened in 1978?",
];

/// Measured latency of `ask`.
#[derive(Debug, Clone, Serialize)]
pub struct AskLatency {
    /// Where the questions came from.
    pub questions_from: String,
    pub questions: usize,
    pub runs: usize,
    /// Building the read model that holds the knowledge (`crate::snapshot::Snapshot`), once
    /// per process.
    pub load_ms: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Share of questions answered (not abstained).
    pub answered: f64,
}

/// The questions of a `{"id","question"}` JSON Lines file (the dev questions), if readable.
pub fn read_questions(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let qs: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("question")?.as_str().map(str::to_string))
        .collect();
    (!qs.is_empty()).then_some(qs)
}

/// The value at quantile `p` (0 to 1) of `sorted` (ascending); 0 when it is empty.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

/// Answers every question `runs` times with `asker` (made in `load_ms`).
pub fn measure(
    asker: &Asker,
    load_ms: f64,
    questions: &[String],
    from: &str,
    runs: usize,
) -> AskLatency {
    let mut answered = 0;
    for q in questions {
        answered += usize::from(!asker.ask(q).value.is_null()); // warm-up
    }
    let mut samples = Vec::with_capacity(questions.len() * runs);
    for _ in 0..runs {
        for q in questions {
            let t = Instant::now();
            let a = asker.ask(q);
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(a);
        }
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| percentile(&samples, p);
    AskLatency {
        questions_from: from.to_string(),
        questions: questions.len(),
        runs,
        load_ms,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        max_ms: samples.last().copied().unwrap_or(0.0),
        answered: answered as f64 / questions.len().max(1) as f64,
    }
}
