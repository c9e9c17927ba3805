//! Languages and the per-language knowledge the text layer reads from `data/lang/*.toml`.
//!
//! One engine, many data files: adding a language means adding a file and a variant.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::LazyLock;

/// A language annals reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
    Ru,
}

impl Lang {
    /// All languages, in a fixed order.
    pub const ALL: [Lang; 3] = [Lang::Vi, Lang::En, Lang::Ru];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Parses an ISO 639-1 code.
    pub fn from_code(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// This language's data.
    pub fn data(self) -> &'static LangData {
        &DATA[self as usize]
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Lang::from_code(s).ok_or_else(|| format!("unknown language {s:?} (expected vi, en or ru)"))
    }
}

#[derive(Deserialize)]
struct LangFile {
    code: String,
    abbreviations: Vec<String>,
    function_words: Vec<String>,
    search_exact_only: Vec<String>,
    #[serde(default)]
    not_names: Vec<String>,
}

/// What the text layer knows about one language.
#[derive(Debug)]
pub struct LangData {
    /// Lowercased tokens (without the final ".") after which "." does not end a sentence.
    pub abbreviations: HashSet<String>,
    /// Frequent words, lowercased, used to identify a paragraph's language.
    pub function_words: HashSet<String>,
    /// Query words never expanded to their diacritic-folded form.
    pub search_exact_only: HashSet<String>,
    /// Capitalised words that are never a name by themselves (lowercased).
    pub not_names: HashSet<String>,
}

fn load(src: &str, want: &str) -> LangData {
    let f: LangFile = toml::from_str(src).expect("embedded language data is valid TOML");
    assert_eq!(f.code, want, "language data file holds the wrong language");
    let set = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase()).collect();
    LangData {
        abbreviations: set(f.abbreviations),
        function_words: set(f.function_words),
        search_exact_only: set(f.search_exact_only),
        not_names: set(f.not_names),
    }
}

/// FNV-1a: a fast hash for the short keys of the function-word table (the table is our own
/// data, so no collision attack is possible).
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// Function words of every language in one table: word → bit set of languages.
static FUNCTION_WORDS: LazyLock<std::collections::HashMap<String, u8, FnvBuild>> =
    LazyLock::new(|| {
        let mut m = std::collections::HashMap::default();
        for l in Lang::ALL {
            for w in &l.data().function_words {
                *m.entry(w.clone()).or_insert(0) |= 1 << (l as u8);
            }
        }
        m
    });

/// Longest function word, in bytes: longer words are not looked up.
static LONGEST_FUNCTION_WORD: LazyLock<usize> =
    LazyLock::new(|| FUNCTION_WORDS.keys().map(String::len).max().unwrap_or(0));

static DATA: LazyLock<[LangData; 3]> = LazyLock::new(|| {
    [
        load(include_str!("../../data/lang/vi.toml"), "vi"),
        load(include_str!("../../data/lang/en.toml"), "en"),
        load(include_str!("../../data/lang/ru.toml"), "ru"),
    ]
});

/// True for letters that only Vietnamese (among our languages) writes: ă â đ ê ô ơ ư and
/// vowels carrying a tone mark.
pub fn is_vietnamese_letter(c: char) -> bool {
    matches!(
        c,
        'ă' | 'â'
            | 'đ'
            | 'ê'
            | 'ô'
            | 'ơ'
            | 'ư'
            | 'Ă'
            | 'Â'
            | 'Đ'
            | 'Ê'
            | 'Ô'
            | 'Ơ'
            | 'Ư'
            | 'à'
            | 'á'
            | 'ả'
            | 'ã'
            | 'ạ'
            | 'ằ'
            | 'ắ'
            | 'ẳ'
            | 'ẵ'
            | 'ặ'
            | 'ầ'
            | 'ấ'
            | 'ẩ'
            | 'ẫ'
            | 'ậ'
            | 'è'
            | 'é'
            | 'ẻ'
            | 'ẽ'
            | 'ẹ'
            | 'ề'
            | 'ế'
            | 'ể'
            | 'ễ'
            | 'ệ'
            | 'ì'
            | 'í'
            | 'ỉ'
            | 'ĩ'
            | 'ị'
            | 'ò'
            | 'ó'
            | 'ỏ'
            | 'õ'
            | 'ọ'
            | 'ồ'
            | 'ố'
            | 'ổ'
            | 'ỗ'
            | 'ộ'
            | 'ờ'
            | 'ớ'
            | 'ở'
            | 'ỡ'
            | 'ợ'
            | 'ù'
            | 'ú'
            | 'ủ'
            | 'ũ'
            | 'ụ'
            | 'ừ'
            | 'ứ'
            | 'ử'
            | 'ữ'
            | 'ự'
            | 'ỳ'
            | 'ý'
            | 'ỷ'
            | 'ỹ'
            | 'ỵ'
            | 'À'
            | 'Á'
            | 'Ả'
            | 'Ã'
            | 'Ạ'
            | 'Ằ'
            | 'Ắ'
            | 'Ẳ'
            | 'Ẵ'
            | 'Ặ'
            | 'Ầ'
            | 'Ấ'
            | 'Ẩ'
            | 'Ẫ'
            | 'Ậ'
            | 'È'
            | 'É'
            | 'Ẻ'
            | 'Ẽ'
            | 'Ẹ'
            | 'Ề'
            | 'Ế'
            | 'Ể'
            | 'Ễ'
            | 'Ệ'
            | 'Ì'
            | 'Í'
            | 'Ỉ'
            | 'Ĩ'
            | 'Ị'
            | 'Ò'
            | 'Ó'
            | 'Ỏ'
            | 'Õ'
            | 'Ọ'
            | 'Ồ'
            | 'Ố'
            | 'Ổ'
            | 'Ỗ'
            | 'Ộ'
            | 'Ờ'
            | 'Ớ'
            | 'Ở'
            | 'Ỡ'
            | 'Ợ'
            | 'Ù'
            | 'Ú'
            | 'Ủ'
            | 'Ũ'
            | 'Ụ'
            | 'Ừ'
            | 'Ứ'
            | 'Ử'
            | 'Ữ'
            | 'Ự'
            | 'Ỳ'
            | 'Ý'
            | 'Ỷ'
            | 'Ỹ'
            | 'Ỵ'
    )
}

/// `c.is_alphabetic()`, with fast answers for the scripts annals reads.
#[inline]
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\u{00C0}'..='\u{024F}' => c != '×' && c != '÷',
        '\u{0400}'..='\u{04FF}' | '\u{1EA0}'..='\u{1EF9}' => true,
        '\u{2000}'..='\u{206F}' | '\u{00A0}'..='\u{00BF}' => false,
        _ => c.is_alphabetic(),
    }
}

/// Appends the lowercase of `c`, with fast paths for Latin, Vietnamese and Cyrillic.
#[inline]
fn push_lower(out: &mut String, c: char) {
    let u = c as u32;
    let lower = match u {
        0x41..=0x5A => u + 0x20,
        0x00..=0x7F | 0xDF..=0xFF | 0x0430..=0x045F => u,
        0x0100..=0x012F | 0x0132..=0x0137 | 0x014A..=0x0177 | 0x1EA0..=0x1EF9
            if !u.is_multiple_of(2) =>
        {
            u
        }
        0x01A1 | 0x01B0 => u,
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        0x0100..=0x012F | 0x0132..=0x0137 | 0x014A..=0x0177 | 0x1EA0..=0x1EF9
            if u.is_multiple_of(2) =>
        {
            u + 1
        }
        0x0410..=0x042F => u + 0x20,
        0x0400..=0x040F => u + 0x50,
        0x01A0 | 0x01AF => u + 1,
        _ => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push(char::from_u32(lower).unwrap_or(c));
}

/// How much of a text the word pass of [`LangScore::of`] reads.
const WORD_SAMPLE_BYTES: usize = 600;

/// Evidence about the language of a piece of text.
#[derive(Debug, Clone, Copy, Default)]
pub struct LangScore {
    letters: u32,
    cyrillic: u32,
    vietnamese: u32,
    words: [u32; 3],
}

impl LangScore {
    /// Scores `text`. Linear, one pass; only words short enough to be function words are
    /// looked up.
    pub fn of(text: &str) -> LangScore {
        // Letters alone decide most text (Cyrillic, Vietnamese diacritics); words are read
        // only when they do not.
        let letters = LangScore::letters_of(text);
        if letters.decisive().is_some() {
            return letters;
        }
        // A few hundred bytes hold enough function words to tell English from the rest.
        let mut end = text.len().min(WORD_SAMPLE_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        LangScore::words_of(&text[..end])
    }

    fn letters_of(text: &str) -> LangScore {
        let mut s = LangScore::default();
        for c in text.chars() {
            if c.is_ascii() {
                s.letters += u32::from(c.is_ascii_alphabetic());
            } else if is_letter(c) {
                s.letters += 1;
                if ('\u{0400}'..='\u{04FF}').contains(&c) {
                    s.cyrillic += 1;
                } else if is_vietnamese_letter(c) {
                    s.vietnamese += 1;
                }
            }
        }
        s
    }

    /// The language the letters alone show, if they show one.
    fn decisive(&self) -> Option<Lang> {
        if self.letters < 12 {
            return None;
        }
        let l = self.letters as f32;
        if self.cyrillic as f32 > 0.3 * l {
            Some(Lang::Ru)
        } else if self.vietnamese as f32 > 0.08 * l {
            Some(Lang::Vi)
        } else {
            None
        }
    }

    fn words_of(text: &str) -> LangScore {
        let mut s = LangScore::default();
        let longest = *LONGEST_FUNCTION_WORD;
        let mut word = String::with_capacity(16);
        let mut too_long = false;
        let flush = |word: &mut String, too_long: &mut bool, s: &mut LangScore| {
            if !word.is_empty()
                && !*too_long
                && let Some(bits) = FUNCTION_WORDS.get(word.as_str())
            {
                for l in Lang::ALL {
                    if bits & (1 << (l as u8)) != 0 {
                        s.words[l as usize] += 1;
                    }
                }
            }
            word.clear();
            *too_long = false;
        };
        for c in text.chars() {
            let letter = if c.is_ascii() {
                c.is_ascii_alphabetic()
            } else {
                is_letter(c)
            };
            if !letter {
                flush(&mut word, &mut too_long, &mut s);
                continue;
            }
            s.letters += 1;
            if !c.is_ascii() {
                if ('\u{0400}'..='\u{04FF}').contains(&c) {
                    s.cyrillic += 1;
                } else if is_vietnamese_letter(c) {
                    s.vietnamese += 1;
                }
            }
            if !too_long {
                if word.len() + c.len_utf8() > longest {
                    too_long = true;
                } else {
                    push_lower(&mut word, c);
                }
            }
        }
        flush(&mut word, &mut too_long, &mut s);
        s
    }

    /// Number of letters scored.
    pub fn letters(&self) -> u32 {
        self.letters
    }

    /// The most likely language, or `None` when the text holds too little evidence.
    pub fn best(&self) -> Option<Lang> {
        if self.letters < 12 {
            return None;
        }
        let l = self.letters as f32;
        if self.cyrillic as f32 > 0.3 * l {
            return Some(Lang::Ru);
        }
        let vi_share = self.vietnamese as f32 / l;
        let vi = vi_share * 20.0 + self.words[Lang::Vi as usize] as f32 * 0.5;
        let en = self.words[Lang::En as usize] as f32 * 0.7;
        if vi_share > 0.08 || vi > en {
            Some(Lang::Vi)
        } else if en > 0.0 || self.cyrillic == 0 {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// The language of `text`, falling back to `default` when the text is too short to tell.
pub fn identify(text: &str, default: Lang) -> Lang {
    LangScore::of(text).best().unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_three_languages() {
        assert_eq!(
            identify(
                "Liên Xô là một trong những nước đầu tiên công nhận Việt Nam",
                Lang::En
            ),
            Lang::Vi
        );
        assert_eq!(
            identify(
                "The Soviet Union was one of the first countries to recognize it",
                Lang::Vi
            ),
            Lang::En
        );
        assert_eq!(
            identify(
                "Советский Союз установил дипломатические отношения с Вьетнамом",
                Lang::En
            ),
            Lang::Ru
        );
        // Too short: the default stands.
        assert_eq!(identify("1978", Lang::Ru), Lang::Ru);
    }

    #[test]
    fn fast_paths_agree_with_std() {
        let sample = "AaĐđƠơƯưĂăÂâÊêÔôÀàẠạẾếỆệỲỳỸỹЁёЖжЯяÉé×÷“”–…ÆæŁłİ";
        for c in sample.chars() {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c}");
            let mut fast = String::new();
            push_lower(&mut fast, c);
            assert_eq!(fast, c.to_lowercase().to_string(), "{c}");
        }
    }

    #[test]
    fn data_loads() {
        assert!(Lang::Vi.data().abbreviations.contains("tr"));
        assert!(Lang::Ru.data().abbreviations.contains("г"));
        assert!(Lang::En.data().search_exact_only.contains("the"));
    }
}
