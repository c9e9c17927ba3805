//! The one tokenizer: words, numbers and single symbols, each with its byte range in the
//! text it was cut from, in a canonical lowercase form.
//!
//! Every extractor and `ask` cut text with [`tokenize`], and cut the phrases of their data
//! with it too, so that a phrase and a sentence meet token for token (matching lives in
//! [`crate::text::phrase`]). What a consumer needs beyond the tokens is an option
//! ([`Options`]) or a key it derives from them (`ask` adds the diacritic-folded form), never
//! a tokenizer of its own.
//!
//! Guarantees: tokens are in text order, do not overlap, lie on char boundaries and never
//! cover whitespace; every non-whitespace char of the text is in exactly one token (symbols
//! are tokens too). Never panics.
//!
//! ```
//! use annals::text::token::{tokenize, Kind, Options};
//! let t = tokenize("Trade rose 12.5% in 1976-1980.", Options::default());
//! let s: Vec<&str> = t.iter().map(|t| t.lower.as_str()).collect();
//! assert_eq!(s, ["trade", "rose", "12.5", "%", "in", "1976", "-", "1980", "."]);
//! assert_eq!(t[2].kind, Kind::Num);
//! assert!(t[0].cap && t[1].space && !t[3].space);
//! ```

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, then letters or digits: "rubles", "K50", "m2" (with [`Options::compounds`],
    /// also words joined by an inner hyphen or apostrophe: "import-export", "didn't").
    Word,
    /// ASCII digits with inner "." / "," before a digit (and, with
    /// [`Options::space_groups`], a space before a group of three): "1.540,6", "206.5".
    Num,
    /// Any other single non-space character: "%", "$", "-", ".".
    Sym,
}

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: Kind,
    /// Byte range in the tokenized text.
    pub range: Range<usize>,
    /// Whitespace (or the start of the text) comes before it.
    pub space: bool,
    /// The canonical form (see [`canon`]); numbers and symbols as written.
    pub lower: String,
    /// Starts with an uppercase letter.
    pub cap: bool,
}

impl Token {
    /// A word or a number (not a symbol).
    pub fn is_word(&self) -> bool {
        self.kind != Kind::Sym
    }

    /// A symbol (punctuation).
    pub fn is_sym(&self) -> bool {
        self.kind == Kind::Sym
    }
}

/// How to cut.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// "1 540" (one space, or a no-break space, then exactly three digits) is one number:
    /// for languages that group digits with spaces.
    pub space_groups: bool,
    /// Words joined by an inner hyphen or apostrophe ("Xô-viết", "didn't") and a number
    /// glued to letters ("1976г") are one word.
    pub compounds: bool,
    /// A number is a run of digits, its inner "." and "," symbols of their own ("2,14" is
    /// three tokens): for rules that count tokens as distances and were tuned so.
    pub digit_runs: bool,
}

/// The old-style Vietnamese tone placements and their new-style forms.
const TONE_PLACEMENT: [(&str, &str); 15] = [
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
];

/// The canonical form of a word: lowercase, with the old and new Vietnamese tone
/// placements made one ("hoá" and "hóa" are "hóa") and the "ǎ" (a with caron) that PDF
/// text extraction writes for "ă" read as "ă" ("nǎm" is "năm"). ASCII words only lowercase.
///
/// ```
/// use annals::text::token::canon;
/// assert_eq!(canon("Hoá"), canon("hóa"));
/// assert_eq!(canon("Thuỷ"), "thủy");
/// assert_eq!(canon("nǎm"), "năm");
/// ```
pub fn canon(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut s = word.to_lowercase();
    if s.contains('ǎ') {
        s = s.replace('ǎ', "ă");
    }
    if old_tone_placement(&s) {
        s = new_tone_placement(&s);
    }
    s
}

/// Whether `s` (lowercase) has an "o" or "u" followed by a toned vowel that
/// [`TONE_PLACEMENT`] moves: one pass, no search per pattern.
fn old_tone_placement(s: &str) -> bool {
    let mut prev = ' ';
    s.chars().any(|c| {
        let hit = match prev {
            'o' => matches!(c, 'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ'),
            'u' => matches!(c, 'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ'),
            _ => false,
        };
        prev = c;
        hit
    })
}

/// Moves the tone mark of an open "oa", "oe" or "uy" syllable to its first vowel
/// ("hoà" → "hòa", "thuỷ" → "thủy"). With a final consonant both styles put it on the
/// second vowel ("toàn", "khoảng" stay as they are).
fn new_tone_placement(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'scan: while !rest.is_empty() {
        for (old, new) in TONE_PLACEMENT {
            if let Some(after) = rest.strip_prefix(old)
                && !after.chars().next().is_some_and(char::is_alphabetic)
            {
                out.push_str(new);
                rest = after;
                continue 'scan;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A char that continues a word: letters and digits, the Latin, Vietnamese and Cyrillic
/// letters without a table lookup (but × and ÷), and combining marks.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' | '\u{400}'..='\u{4ff}' | '\u{300}'..='\u{36f}')
        && c != '\u{d7}'
        && c != '\u{f7}'
        || c.is_alphanumeric()
}

/// A char that starts a word: a letter (or a combining mark, in text that is not NFC).
fn starts_word(c: char) -> bool {
    c.is_ascii_alphabetic()
        || !c.is_ascii() && (c.is_alphabetic() || matches!(c, '\u{300}'..='\u{36f}'))
}

/// The end of the number that starts at `i` (an ASCII digit).
fn number_end(text: &str, i: usize, space_groups: bool) -> usize {
    let b = text.as_bytes();
    let mut end = i + 1;
    loop {
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end + 1 < b.len() && (b[end] == b'.' || b[end] == b',') && b[end + 1].is_ascii_digit() {
            end += 1;
            continue;
        }
        if space_groups {
            // "1 540" or "1\u{a0}540": a single space then exactly three digits.
            let sep_len = if b.get(end) == Some(&b' ') {
                1
            } else if text[end..].starts_with('\u{a0}') || text[end..].starts_with('\u{202f}') {
                text[end..].chars().next().map_or(1, char::len_utf8)
            } else {
                0
            };
            if sep_len > 0 {
                let g = end + sep_len;
                let three = g + 3 <= b.len() && b[g..g + 3].iter().all(u8::is_ascii_digit);
                let after_ok = g + 3 >= b.len() || !b[g + 3].is_ascii_digit();
                if three && after_ok {
                    end = g + 3;
                    continue;
                }
            }
        }
        return end;
    }
}

/// Cuts `text` into tokens.
pub fn tokenize(text: &str, opts: Options) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut space = true;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let (kind, end) = if c.is_ascii_digit() {
            let end = if opts.digit_runs {
                i + text[i..].bytes().take_while(u8::is_ascii_digit).count()
            } else {
                number_end(text, i, opts.space_groups)
            };
            while it.peek().is_some_and(|&(j, _)| j < end) {
                it.next();
            }
            (Kind::Num, end)
        } else if starts_word(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if !is_word_char(d) {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
            (Kind::Word, end)
        } else {
            (Kind::Sym, i + c.len_utf8())
        };
        let s = &text[i..end];
        out.push(Token {
            kind,
            range: i..end,
            space,
            lower: match kind {
                Kind::Word => canon(s),
                _ => s.to_string(),
            },
            cap: kind == Kind::Word && c.is_uppercase(),
        });
        space = false;
    }
    if opts.compounds {
        join_compounds(text, &mut out);
    }
    out
}

/// Joins, with nothing between them, a word or number, an inner hyphen or apostrophe and
/// a word or number ("Xô-viết", "didn't", "1976-1980"), and a number glued to a word
/// ("1976г").
fn join_compounds(text: &str, toks: &mut Vec<Token>) {
    let joiner = |t: &Token| t.kind == Kind::Sym && matches!(t.lower.as_str(), "-" | "'" | "’");
    let mut out: Vec<Token> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let mut t = toks[i].clone();
        i += 1;
        let mut joined = false;
        while t.is_word() {
            match (toks.get(i), toks.get(i + 1)) {
                (Some(j), Some(n)) if joiner(j) && !j.space && n.is_word() && !n.space => {
                    t.range.end = n.range.end;
                    i += 2;
                }
                (Some(n), _) if n.is_word() && !n.space => {
                    t.range.end = n.range.end;
                    i += 1;
                }
                _ => break,
            }
            joined = true;
        }
        if joined {
            t.kind = Kind::Word;
            t.lower = canon(&text[t.range.clone()]);
        }
        out.push(t);
    }
    *toks = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lowers(text: &str, opts: Options) -> Vec<String> {
        tokenize(text, opts).into_iter().map(|t| t.lower).collect()
    }

    #[test]
    fn words_numbers_symbols() {
        let t = tokenize(
            "Sinh viên đại học (12.345), tăng 37% năm 1976-1980.",
            Options::default(),
        );
        let w: Vec<&str> = t.iter().map(|t| t.lower.as_str()).collect();
        assert_eq!(
            w,
            [
                "sinh", "viên", "đại", "học", "(", "12.345", ")", ",", "tăng", "37", "%", "năm",
                "1976", "-", "1980", "."
            ]
        );
        assert!(t[0].cap && !t[1].cap);
        assert_eq!(t[5].kind, Kind::Num);
        assert_eq!(t[4].kind, Kind::Sym);
    }

    #[test]
    fn space_groups_join_groups_of_three() {
        let o = Options {
            space_groups: true,
            ..Options::default()
        };
        assert_eq!(lowers("1 540,6 млн", o), ["1 540,6", "млн"]);
        assert_eq!(lowers("1\u{a0}540 руб", o), ["1\u{a0}540", "руб"]);
        // Not a group: four digits, or two.
        assert_eq!(lowers("в 1 1976 году", o), ["в", "1", "1976", "году"]);
        assert_eq!(lowers("1 54", o), ["1", "54"]);
        assert_eq!(lowers("1 540", Options::default()), ["1", "540"]);
    }

    #[test]
    fn compounds_are_one_word() {
        let o = Options {
            compounds: true,
            ..Options::default()
        };
        assert_eq!(
            lowers("Import-export rose; khoa học - kỹ thuật, didn't 1976г.", o),
            [
                "import-export",
                "rose",
                ";",
                "khoa",
                "học",
                "-",
                "kỹ",
                "thuật",
                ",",
                "didn't",
                "1976г",
                "."
            ]
        );
        // A trailing hyphen joins nothing.
        assert_eq!(
            lowers("pre- and post-war", o),
            ["pre", "-", "and", "post-war"]
        );
    }

    #[test]
    fn canonical_forms() {
        for (a, b) in [
            ("Hoá", "hóa"),
            ("thuỷ", "thủy"),
            ("hoà-bình", "hòa-bình"),
            ("nǎm", "năm"),
            ("MOSCOW", "moscow"),
            // A final consonant keeps the mark where both styles put it.
            ("toàn", "toàn"),
            ("Khoảng", "khoảng"),
            ("huyện", "huyện"),
        ] {
            assert_eq!(canon(a), b);
        }
        assert_eq!(lowers("Брежнев", Options::default()), ["брежнев"]);
    }

    proptest! {
        #[test]
        fn the_one_pass_check_finds_every_old_placement(s in "[houaàáảãạèéẻẽẹỳýỷỹỵnt ]{0,12}") {
            let any = TONE_PLACEMENT.iter().any(|(old, _)| s.contains(old));
            prop_assert_eq!(old_tone_placement(&s), any);
        }

        #[test]
        fn tokens_tile_the_non_space_text(
            s in "\\PC{0,60}", groups: bool, compounds: bool, digit_runs: bool,
        ) {
            let toks = tokenize(&s, Options { space_groups: groups, compounds, digit_runs });
            let mut at = 0;
            for t in &toks {
                prop_assert!(t.range.start >= at && t.range.start < t.range.end);
                prop_assert!(s.is_char_boundary(t.range.start) && s.is_char_boundary(t.range.end));
                // Between tokens: whitespace only (or, inside a space-grouped number, none).
                prop_assert!(s[at..t.range.start].chars().all(char::is_whitespace));
                prop_assert_eq!(t.space, t.range.start == 0 || at < t.range.start);
                at = t.range.end;
            }
            prop_assert!(s[at..].chars().all(char::is_whitespace));
        }
    }
}
