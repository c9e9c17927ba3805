//! Tokens with their folded form: the one tokenizer's words and numbers
//! ([`crate::text::token`]) and `%`, each with its diacritic-folded form, the key a
//! question typed without diacritics meets a sentence by.

use crate::text::fold::fold;
use crate::text::phrase::Keyed;
use crate::text::token::{Kind, Options, Token, tokenize as cut};

/// One word (a word, a number, or a `%`), with its folded form.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    /// The token: byte range, canonical lowercase form, capital.
    pub token: Token,
    /// Lowercased, diacritics removed (đ → d).
    pub folded: String,
    /// Digits (with inner `.` or `,` groups: "12.345", "1,540.6").
    pub num: bool,
}

impl std::ops::Deref for Tok {
    type Target = Token;
    fn deref(&self) -> &Token {
        &self.token
    }
}

impl Keyed for Tok {
    fn with_key<R>(&self, f: impl FnOnce(Option<&str>) -> R) -> R {
        f(Some(&self.token.lower))
    }
    fn folded(&self) -> Option<&str> {
        Some(&self.folded)
    }
}

/// Splits `text` into words, numbers (which keep their inner separators: "1.540,6" is one
/// token) and `%`; other symbols are left out.
pub fn tokenize(text: &str) -> Vec<Tok> {
    cut(text, Options::default())
        .into_iter()
        .filter(|t| t.is_word() || t.lower == "%")
        .map(|t| Tok {
            folded: fold(&t.lower),
            num: t.kind == Kind::Num,
            token: t,
        })
        .collect()
}

/// An empty phrase set whose phrases are cut like [`tokenize`] cuts text (words, numbers and
/// `%`).
pub fn phrases<T>() -> crate::text::phrase::PhraseSet<T> {
    crate::text::phrase::PhraseSet::keeping(Options::default(), |t| t.is_word() || t.lower == "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_percent() {
        let t = tokenize("Sinh viên đại học (12.345), tăng 37% năm 1976-1980.");
        let w: Vec<&str> = t.iter().map(|t| t.lower.as_str()).collect();
        assert_eq!(
            w,
            [
                "sinh", "viên", "đại", "học", "12.345", "tăng", "37", "%", "năm", "1976", "1980"
            ]
        );
        assert!(t[0].cap && t[4].num);
        assert_eq!(t[2].folded, "dai");
    }
}
