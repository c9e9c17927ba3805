//! Words and phrases of the event extractor: the one tokenizer ([`crate::text::token`])
//! with compounds joined ("import-export", "Xô-viết" and "didn't" are one word, as the
//! event data writes them) and numbers as runs of digits (the extractor's distances count
//! "2,14" as three words), and the one phrase matcher ([`crate::text::phrase`]) over them.

pub use crate::text::phrase::{Found, PhraseSet};
pub use crate::text::token::Token as Word;
use crate::text::token::{Options, tokenize};

/// How the event extractor cuts sentences and its phrases.
pub const OPTIONS: Options = Options {
    space_groups: false,
    compounds: true,
    digit_runs: true,
};

/// Cuts `text` into words and punctuation marks (whitespace dropped).
pub fn words(text: &str) -> Vec<Word> {
    tokenize(text, OPTIONS)
}

/// An empty phrase set cut like the sentences.
pub fn phrases<T>() -> PhraseSet<T> {
    PhraseSet::new(OPTIONS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the event extractor's words are beyond the tokenizer's defaults: compounds are
    /// one word, a number with separators is several, and phrases are cut alike.
    #[test]
    fn compounds_are_words_and_numbers_are_digit_runs() {
        let ws = words("Xô-viết đạt 2,14 tỷ, didn't 1976г");
        let c: Vec<&str> = ws.iter().map(|w| w.lower.as_str()).collect();
        assert_eq!(
            c,
            [
                "xô-viết",
                "đạt",
                "2",
                ",",
                "14",
                "tỷ",
                ",",
                "didn't",
                "1976г"
            ]
        );
        let mut p = phrases();
        p.insert("Xô-viết*", 1);
        p.insert("xô", 2);
        let found: Vec<i32> = p.find_all(&ws).iter().map(|f| *f.value).collect();
        assert_eq!(found, [1]);
    }
}
