//! The quantity engine's tokens: the one tokenizer's ([`crate::text::token`]), with numbers
//! grouped by spaces where the language does so, and repaired where text extraction broke
//! words the quantity data knows.

pub use crate::text::token::{Kind, Token as Tok};
use crate::text::token::{Options, tokenize as cut};

/// Cuts `text` into tokens. `space_groups`: "1 540" is one number.
pub fn tokenize(text: &str, space_groups: bool) -> Vec<Tok> {
    cut(
        text,
        Options {
            space_groups,
            compounds: false,
            digit_runs: false,
        },
    )
}

/// Repairs what text extraction did to words the language knows (`known`: a word that can
/// start a scale, a unit or a counted thing):
/// - a word hyphenated across a line ("bil- lion") is one word again;
/// - a footnote number glued to a word ("rúp3") is cut off, so the word is found and the
///   number, glued to a word, is no amount.
pub fn repair(text: &str, toks: Vec<Tok>, known: impl Fn(&str) -> bool) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut it = toks.into_iter().peekable();
    while let Some(t) = it.next() {
        if t.kind == Kind::Word
            && let Some(h) = it.peek()
            && h.kind == Kind::Sym
            && matches!(h.lower.as_str(), "-" | "‐" | "\u{ad}")
            && !h.space
            && !known(&t.lower)
        {
            let hyphen = it.next().expect("peeked");
            if let Some(n) = it.peek()
                && n.kind == Kind::Word
                && n.space
                && known(&format!("{}{}", t.lower, n.lower))
            {
                let n = it.next().expect("peeked");
                out.push(Tok {
                    lower: format!("{}{}", t.lower, n.lower),
                    range: t.range.start..n.range.end,
                    ..t
                });
                continue;
            }
            out.push(t);
            out.push(hyphen);
            continue;
        }
        if t.kind == Kind::Word
            && t.lower.ends_with(|c: char| c.is_ascii_digit())
            && !known(&t.lower)
        {
            let cut = t.lower.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let digits = t.lower.len() - cut;
            if cut > 0 && digits <= 2 && known(&t.lower[..cut]) {
                let at = t.range.end - digits;
                out.push(Tok {
                    range: t.range.start..at,
                    lower: t.lower[..cut].to_string(),
                    ..t.clone()
                });
                out.push(Tok {
                    kind: Kind::Num,
                    range: at..t.range.end,
                    space: false,
                    lower: text[at..t.range.end].to_string(),
                    cap: false,
                });
                continue;
            }
        }
        out.push(t);
    }
    out
}
