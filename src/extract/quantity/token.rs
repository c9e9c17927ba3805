//! A small tokenizer for the quantity engine: words, numbers and single symbols, each with
//! its byte range in the text it was cut from and whether whitespace precedes it.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters (then letters or digits): "rubles", "K50", "m2".
    Word,
    /// ASCII digits with inner "." / "," (and, where the language groups with spaces,
    /// " " before a group of three): "1.540,6", "206.5".
    Num,
    /// Any other single non-space character: "%", "$", "-", ".".
    Sym,
}

/// One token.
#[derive(Debug, Clone)]
pub struct Tok {
    pub kind: Kind,
    /// Byte range in the tokenized text.
    pub start: usize,
    pub end: usize,
    /// Whitespace comes before it.
    pub space: bool,
    /// Lowercased text (numbers and symbols as written).
    pub lower: String,
    /// Starts with an uppercase letter.
    pub cap: bool,
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // The letters of Vietnamese and Russian without a table lookup: Latin-1 and Latin
    // Extended (but × and ÷), Latin Extended Additional, Cyrillic, combining marks.
    matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' | '\u{400}'..='\u{4ff}' | '\u{300}'..='\u{36f}')
        && c != '\u{d7}'
        && c != '\u{f7}'
        || c.is_alphanumeric()
}

/// Lowercase, without Unicode tables for ASCII words.
fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        fold_variants(s.to_lowercase())
    }
}

/// Cuts `text` into tokens. `space_groups`: "1 540" is one number.
pub fn tokenize(text: &str, space_groups: bool) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut space = true;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == ' ' || c.is_whitespace() {
            space = true;
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = i + 1;
            loop {
                // digits
                while end < b.len() && b[end].is_ascii_digit() {
                    end += 1;
                }
                if end + 1 < b.len()
                    && (b[end] == b'.' || b[end] == b',')
                    && b[end + 1].is_ascii_digit()
                {
                    end += 1;
                    continue;
                }
                if space_groups {
                    // "1 540" or "1\u{a0}540": a single space then exactly three digits.
                    let (sep_len, ok) = if end < b.len() && b[end] == b' ' {
                        (1, true)
                    } else if text[end..].starts_with('\u{a0}')
                        || text[end..].starts_with('\u{202f}')
                    {
                        (text[end..].chars().next().map_or(1, char::len_utf8), true)
                    } else {
                        (0, false)
                    };
                    if ok {
                        let g = end + sep_len;
                        let three = g + 3 <= b.len() && b[g..g + 3].iter().all(u8::is_ascii_digit);
                        let after_ok = g + 3 >= b.len() || !b[g + 3].is_ascii_digit();
                        if three && after_ok {
                            end = g + 3;
                            continue;
                        }
                    }
                }
                break;
            }
            while it.peek().is_some_and(|&(j, _)| j < end) {
                it.next();
            }
            out.push(Tok {
                kind: Kind::Num,
                start: i,
                end,
                space,
                lower: text[i..end].to_string(),
                cap: false,
            });
        } else if c.is_ascii_alphabetic() || !c.is_ascii() && is_word_char(c) && c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Tok {
                kind: Kind::Word,
                start: i,
                end,
                space,
                lower: lower(&text[i..end]),
                cap: c.is_uppercase(),
            });
        } else {
            let end = i + c.len_utf8();
            out.push(Tok {
                kind: Kind::Sym,
                start: i,
                end,
                space,
                lower: text[i..end].to_string(),
                cap: false,
            });
        }
        space = false;
    }
    out
}

/// Vietnamese text extracted from PDFs writes "ǎ" (a with caron) for "ă": "nǎm" is "năm".
fn fold_variants(s: String) -> String {
    if s.contains('ǎ') {
        s.replace('ǎ', "ă")
    } else {
        s
    }
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
                    end: n.end,
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
                let at = t.end - digits;
                out.push(Tok {
                    end: at,
                    lower: t.lower[..cut].to_string(),
                    ..t.clone()
                });
                out.push(Tok {
                    kind: Kind::Num,
                    start: at,
                    end: t.end,
                    space: false,
                    lower: text[at..t.end].to_string(),
                    cap: false,
                });
                continue;
            }
        }
        out.push(t);
    }
    out
}

/// The tokens of a phrase from the data files, lowercased.
pub fn phrase_tokens(phrase: &str) -> Vec<String> {
    tokenize(phrase, false)
        .into_iter()
        .map(|t| t.lower)
        .collect()
}
