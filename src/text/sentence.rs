//! Sentence splitting of one paragraph.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes and brackets after it)
//! when whitespace and a sentence opener follow, except after:
//! - an abbreviation of the paragraph's language or of English (`data/lang/*.toml`:
//!   "tr.", "TS.", "p.", "pp.", "No.", "г."),
//! - initials ("L.I. Brêgiơnép", "V.I. Lenin"),
//! - an enumerator opening the paragraph ("1.", "1.1.", "IV."),
//!
//! and never inside a number ("1.540,6", "206.5": no whitespace follows the mark).
//! Sentences longer than [`MAX_SENTENCE_BYTES`] are cut at a space, so hostile input cannot
//! make one unbounded record.

use super::lang::Lang;
use std::ops::Range;

/// Longest sentence kept whole, in bytes.
pub const MAX_SENTENCE_BYTES: usize = 4096;

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»', '›'];
const OPENERS: &[char] = &[
    '"', '\'', '“', '‘', '(', '[', '«', '‹', '-', '–', '—', '*', '•',
];

/// Splits `text` (one paragraph) into sentence byte ranges, trimmed of whitespace.
pub fn split(text: &str, lang: Lang) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = skip_ws(text, 0);
    let bytes = text.as_bytes();
    let mut i = start;
    while i < text.len() {
        let c = text[i..].chars().next().expect("char at boundary");
        let clen = c.len_utf8();
        if matches!(c, '.' | '!' | '?' | '…') {
            // Swallow repeated marks and closers.
            let mut end = i + clen;
            while end < text.len() {
                let d = text[end..].chars().next().expect("char");
                if matches!(d, '.' | '!' | '?' | '…') || CLOSERS.contains(&d) {
                    end += d.len_utf8();
                } else {
                    break;
                }
            }
            let next = skip_ws(text, end);
            let has_ws = next > end;
            let ellipsis = c == '…' || text[i..end].starts_with("..");
            if has_ws
                && (next >= text.len() || opens_sentence(&text[next..]))
                && !(c == '.' && protected(&text[start..i], lang))
                // The closers swallowed count: "(… in Vietnam.) This year …" ends a
                // sentence that the bracket held whole; an ellipsis closing a bracket
                // ("các loại…)") trails a list, it ends nothing.
                && !inside_brackets(&text[start..if ellipsis { i } else { end }])
            {
                push(&mut out, text, start..end);
                start = next;
                i = next;
                continue;
            }
            i = end;
            continue;
        }
        if i - start >= MAX_SENTENCE_BYTES && bytes[i] == b' ' {
            push(&mut out, text, start..i);
            start = skip_ws(text, i);
            i = start;
            continue;
        }
        i += clen;
    }
    if start < text.len() {
        push(&mut out, text, start..text.len());
    }
    out
}

fn push(out: &mut Vec<Range<usize>>, text: &str, r: Range<usize>) {
    let s = &text[r.clone()];
    let t = s.trim_end();
    if !t.trim_start().is_empty() {
        out.push(r.start..r.start + t.len());
    }
}

fn skip_ws(text: &str, mut i: usize) -> usize {
    while i < text.len() {
        let c = text[i..].chars().next().expect("char");
        if !c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

fn opens_sentence(rest: &str) -> bool {
    let mut chars = rest.chars();
    let Some(c) = chars.next() else { return true };
    if c.is_uppercase() || c.is_ascii_digit() {
        return true;
    }
    if OPENERS.contains(&c) {
        return chars.next().is_none_or(|d| {
            d.is_uppercase() || d.is_ascii_digit() || d == ' ' || OPENERS.contains(&d)
        });
    }
    false
}

/// True when `before` ends inside a bracket opened not long before ("[Ho so... 1964: 55]",
/// "(ed.)"). Only the last [`BRACKET_REACH`] bytes count, so a stray bracket cannot glue a
/// whole paragraph together.
fn inside_brackets(before: &str) -> bool {
    let mut from = before.len().saturating_sub(BRACKET_REACH);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let mut depth = 0i32;
    for c in before[from..].chars().rev() {
        match c {
            ']' | ')' => depth -= 1,
            '[' | '(' => {
                depth += 1;
                if depth > 0 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// How far back an open bracket keeps a sentence from ending.
const BRACKET_REACH: usize = 160;

/// True when the "." ending `before` does not end a sentence.
fn protected(before: &str, lang: Lang) -> bool {
    let token = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '[' || c == '“' || c == '"')
        .next()
        .unwrap_or("");
    if token.is_empty() {
        return false;
    }
    let lower = token.to_lowercase();
    if lang
        .data()
        .abbreviation_langs
        .iter()
        .any(|l| l.data().abbreviations.contains(lower.as_str()))
    {
        return true;
    }
    // Initials: "V", "L.I", "M.X" — single capitals joined by dots.
    if token.split('.').all(|p| {
        let mut cs = p.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
    }) {
        return true;
    }
    // An enumerator opening the paragraph: "1", "1.1", "IV", "a".
    if before.trim() == token
        && (token
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            || token.bytes().all(|b| b"IVXL".contains(&b)))
    {
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(s: &str, lang: Lang) -> Vec<&str> {
        split(s, lang).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn abbreviations_initials_numbers() {
        let s = "Đồng chí L.I. Brêgiơnép tiếp đoàn [85, tr. 297]. Kim ngạch đạt 1.540,6 triệu rúp. Năm sau tăng.";
        assert_eq!(
            sents(s, Lang::of("vi")),
            vec![
                "Đồng chí L.I. Brêgiơnép tiếp đoàn [85, tr. 297].",
                "Kim ngạch đạt 1.540,6 triệu rúp.",
                "Năm sau tăng."
            ]
        );
        let e = "See pp. 89-90 and No. 5. V.I. Lenin wrote it. Trade reached 206.5 million rubles. Done!";
        assert_eq!(
            sents(e, Lang::of("en")),
            vec![
                "See pp. 89-90 and No. 5.",
                "V.I. Lenin wrote it.",
                "Trade reached 206.5 million rubles.",
                "Done!"
            ]
        );
        let r = "Договор подписан в 1978 г. в Москве. Он действовал долго.";
        assert_eq!(
            sents(r, Lang::of("ru")),
            vec![
                "Договор подписан в 1978 г. в Москве.",
                "Он действовал долго."
            ]
        );
    }

    #[test]
    fn enumerators_and_quotes() {
        assert_eq!(
            sents("1. INTRODUCTION", Lang::of("en")),
            vec!["1. INTRODUCTION"]
        );
        assert_eq!(
            sents("1.1. Tổng quan tình hình", Lang::of("vi")),
            vec!["1.1. Tổng quan tình hình"]
        );
        let q = "He said: “We won.” Then he left.";
        assert_eq!(
            sents(q, Lang::of("en")),
            vec!["He said: “We won.”", "Then he left."]
        );
    }

    #[test]
    fn no_split_inside_a_citation_bracket() {
        let s = "He wrote to Moscow [Ho so... 1964: 55]. Then aid came.";
        assert_eq!(
            sents(s, Lang::of("en")),
            vec!["He wrote to Moscow [Ho so... 1964: 55].", "Then aid came."]
        );
    }

    /// A sentence held whole in brackets ends with them, in every language; a bracket that
    /// is still open keeps the sentence going, and an abbreviation before the bracket
    /// closes it does not end one.
    #[test]
    fn a_sentence_in_brackets_ends_with_them() {
        for (text, lang, want) in [
            (
                "(The plant was built in 1984.) Output grew later.",
                Lang::of("en"),
                vec!["(The plant was built in 1984.)", "Output grew later."],
            ),
            (
                "(Nhà máy xây năm 1984.) Sản lượng tăng sau đó.",
                Lang::of("vi"),
                vec!["(Nhà máy xây năm 1984.)", "Sản lượng tăng sau đó."],
            ),
            (
                "[Завод построили в 1984 году.] Выпуск вырос позже.",
                Lang::of("ru"),
                vec!["[Завод построили в 1984 году.]", "Выпуск вырос позже."],
            ),
            (
                "Aid came (see the report. It was late) and then more.",
                Lang::of("en"),
                vec!["Aid came (see the report. It was late) and then more."],
            ),
        ] {
            assert_eq!(sents(text, lang), want, "{text}");
        }
    }

    #[test]
    fn bounded_length() {
        let s = "word ".repeat(5000);
        let parts = split(&s, Lang::of("en"));
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES + 8));
    }
}
