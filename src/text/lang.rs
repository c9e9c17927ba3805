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
}

fn load(src: &str, want: &str) -> LangData {
    let f: LangFile = toml::from_str(src).expect("embedded language data is valid TOML");
    assert_eq!(f.code, want, "language data file holds the wrong language");
    let set = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase()).collect();
    LangData {
        abbreviations: set(f.abbreviations),
        function_words: set(f.function_words),
        search_exact_only: set(f.search_exact_only),
    }
}

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

/// Evidence about the language of a piece of text.
#[derive(Debug, Clone, Copy, Default)]
pub struct LangScore {
    letters: u32,
    cyrillic: u32,
    vietnamese: u32,
    words: [u32; 3],
}

impl LangScore {
    /// Scores `text`.
    pub fn of(text: &str) -> LangScore {
        let mut s = LangScore::default();
        for c in text.chars() {
            if c.is_alphabetic() {
                s.letters += 1;
                if ('\u{0400}'..='\u{04FF}').contains(&c) {
                    s.cyrillic += 1;
                } else if is_vietnamese_letter(c) {
                    s.vietnamese += 1;
                }
            }
        }
        for w in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            let lw = w.to_lowercase();
            for l in Lang::ALL {
                if l.data().function_words.contains(&lw) {
                    s.words[l as usize] += 1;
                }
            }
        }
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
    fn data_loads() {
        assert!(Lang::Vi.data().abbreviations.contains("tr"));
        assert!(Lang::Ru.data().abbreviations.contains("г"));
        assert!(Lang::En.data().search_exact_only.contains("the"));
    }
}
