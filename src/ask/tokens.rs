//! Word tokens of a question or a sentence: lowercased and diacritic-folded, with byte ranges.

use crate::text::fold::fold;
use std::ops::Range;

/// One word (a run of letters and digits, or a `%`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    /// Byte range in the text tokenized.
    pub range: Range<usize>,
    /// Lowercased.
    pub lower: String,
    /// Lowercased, diacritics removed (đ → d).
    pub folded: String,
    /// Starts with an uppercase letter.
    pub cap: bool,
    /// Digits (with inner `.` or `,` groups: "12.345", "1,540.6").
    pub num: bool,
}

/// Splits `text` into words. Digits keep their inner separators ("1.540,6" is one token).
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == '%' {
            out.push(mk(text, i..i + 1));
            continue;
        }
        if !c.is_alphanumeric() {
            continue;
        }
        let digit = c.is_ascii_digit();
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek() {
            if d.is_alphanumeric() && (digit == d.is_ascii_digit() || !digit) {
                end = j + d.len_utf8();
                it.next();
            } else if digit
                && (d == '.' || d == ',')
                && b.get(j + 1).is_some_and(|x| x.is_ascii_digit())
            {
                it.next();
                end = j + 1;
            } else {
                break;
            }
        }
        out.push(mk(text, i..end));
    }
    out
}

fn mk(text: &str, range: Range<usize>) -> Tok {
    let s = &text[range.clone()];
    let lower = s.to_lowercase();
    let folded = fold(s);
    Tok {
        cap: s.chars().next().is_some_and(char::is_uppercase),
        num: s.chars().next().is_some_and(|c| c.is_ascii_digit()),
        range,
        lower,
        folded,
    }
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
