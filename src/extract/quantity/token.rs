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
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Cuts `text` into tokens. `space_groups`: "1 540" is one number.
pub fn tokenize(text: &str, space_groups: bool) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut space = true;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
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
        } else if c.is_alphabetic() {
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
                lower: text[i..end].to_lowercase(),
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

/// The tokens of a phrase from the data files, lowercased.
pub fn phrase_tokens(phrase: &str) -> Vec<String> {
    tokenize(phrase, false)
        .into_iter()
        .map(|t| t.lower)
        .collect()
}
