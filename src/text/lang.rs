//! Languages: a registry loaded from `data/lang/`, each language a code and a profile.
//!
//! A [`Lang`] is a small copyable handle into the registry, which `data/lang/languages.toml`
//! orders and each `data/lang/<code>.toml` describes: its script and own letters, decimal
//! mark, abbreviations, frequent words, how its words make names and how its lines break, and
//! the weights that identify it ([`LangScore`]). Engines ask a language for these properties;
//! no code names a language. Adding a language is adding its data files (see
//! [`crate::data`]).
//!
//! # Examples
//! ```
//! use annals::text::lang::{Decimal, Lang};
//! let vi: Lang = "vi".parse().unwrap();
//! assert_eq!(vi.code(), "vi");
//! assert_eq!(vi.data().decimal, Decimal::Comma);
//! assert!(vi.writes("Liên Xô") && !vi.writes("Lien Xo"));
//! assert!("xx".parse::<Lang>().is_err());
//! ```

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::LazyLock;

/// The most languages the registry holds (a language is a bit in a `u16` set).
pub const MAX_LANGS: usize = 16;

/// A language annals reads: a handle into the registry of `data/lang/`.
///
/// Copy, compared and ordered by its place in `data/lang/languages.toml`; written as its
/// ISO 639-1 code (serde, `Display`), read from it (`FromStr`, serde: an unknown code is an
/// error naming the known ones).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    /// Every language of the registry, in its order.
    pub fn all() -> &'static [Lang] {
        &REGISTRY.langs
    }

    /// The language of text too short to tell, when nobody names one (`languages.toml`).
    pub fn fallback() -> Lang {
        REGISTRY.fallback
    }

    /// Every language, the fallback first, then the others in the registry's order: the order
    /// in which labels are shown (an entity's name is its fallback label).
    pub fn fallback_first() -> impl Iterator<Item = Lang> {
        let fallback = Lang::fallback();
        std::iter::once(fallback).chain(Lang::all().iter().copied().filter(move |&l| l != fallback))
    }

    /// The language's place in the registry, `0..Lang::all().len()`: an index for tables per
    /// language.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        &self.data().code
    }

    /// Parses an ISO 639-1 code (any case).
    pub fn from_code(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        REGISTRY.langs.iter().copied().find(|l| l.code() == s)
    }

    /// The language with code `code`, which the caller knows the registry holds (tests, data
    /// files checked at load).
    ///
    /// # Panics
    /// When the registry has no such language.
    pub fn of(code: &str) -> Lang {
        Lang::from_code(code).unwrap_or_else(|| panic!("no language {code:?} in data/lang"))
    }

    /// This language's profile and word lists.
    pub fn data(self) -> &'static LangData {
        &REGISTRY.data[self.index()]
    }

    /// True when `c` is one of the letters only this language writes among ours.
    pub fn owns(self, c: char) -> bool {
        own_bits(c) & (1 << self.0) != 0
    }

    /// True when `text` holds a letter only this language writes (Cyrillic for Russian,
    /// Vietnamese letters for Vietnamese); never for a language without letters of its own.
    pub fn writes(self, text: &str) -> bool {
        !self.data().own_letters.is_empty() && text.chars().any(|c| self.owns(c))
    }
}

impl Default for Lang {
    fn default() -> Lang {
        Lang::fallback()
    }
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The registry's codes, for messages: "vi, en, ru".
fn known_codes() -> String {
    let known: Vec<&str> = Lang::all().iter().map(|l| l.code()).collect();
    known.join(", ")
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Lang::from_code(s)
            .ok_or_else(|| format!("unknown language {s:?} (expected {})", known_codes()))
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A value for each language of the registry: a map by language, indexed by
/// [`Lang::index`] and serialized as a map from language code to value, in the registry's
/// order.
///
/// # Examples
/// ```
/// use annals::text::lang::{ByLang, Lang};
/// let codes = ByLang::from_fn(|l| l.code().to_uppercase());
/// let vi: Lang = "vi".parse().unwrap();
/// assert_eq!(codes.get(vi), "VI");
/// assert_eq!(codes.iter().count(), Lang::all().len());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ByLang<T>(Vec<T>);

impl<T> ByLang<T> {
    /// The value `f` gives each language of the registry.
    pub fn from_fn(f: impl FnMut(Lang) -> T) -> ByLang<T> {
        ByLang(Lang::all().iter().copied().map(f).collect())
    }

    /// The value of `lang`.
    pub fn get(&self, lang: Lang) -> &T {
        &self.0[lang.index()]
    }

    /// The value of `lang`, to change.
    pub fn get_mut(&mut self, lang: Lang) -> &mut T {
        &mut self.0[lang.index()]
    }

    /// Every language with its value, in the registry's order.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &T)> {
        Lang::all().iter().copied().zip(self.0.iter())
    }

    /// The values, in the registry's order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    /// Reads a map from language code to value (a record of a data file), every key checked
    /// against the registry; a language the map lacks gets `missing(lang)`.
    ///
    /// # Errors
    /// The first key that is no language of the registry, with the known codes.
    pub fn from_codes(
        mut map: std::collections::BTreeMap<String, T>,
        mut missing: impl FnMut(Lang) -> T,
    ) -> Result<ByLang<T>, String> {
        let values = ByLang::from_fn(|l| map.remove(l.code()).unwrap_or_else(|| missing(l)));
        match map.keys().next() {
            Some(k) => Err(format!(
                "{k:?} is no language of data/lang (known: {})",
                known_codes()
            )),
            None => Ok(values),
        }
    }
}

impl<T: Serialize> Serialize for ByLang<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (l, v) in self.iter() {
            m.serialize_entry(l.code(), v)?;
        }
        m.end()
    }
}

/// How a language writes the decimal mark when a text's numbers do not show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decimal {
    /// "3.5" is three and a half; "3,148" is 3148.
    Point,
    /// "3,5" is three and a half; "3.148" is 3148.
    Comma,
}

/// The script a language is written in. A script other than Latin is a language's own among
/// ours, so its letters identify the language before any word does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    Latin,
    Cyrillic,
}

/// What a hyphen at the end of a line, between two lowercase letters, is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEndHyphen {
    /// Part of the word: a compound split by the line ("Xô-viết").
    Keep,
    /// The typesetter's: the word was broken there ("diplo-" + "matic").
    Drop,
}

/// How a paragraph's language is scored (see [`LangScore`]).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identify {
    /// A share of the language's own letters above this decides alone.
    pub letter_share: f32,
    /// Weight of the share of own letters in the score.
    pub letter_weight: f32,
    /// Weight of each frequent word in the score.
    pub word_weight: f32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LangFile {
    code: String,
    name: String,
    script: Script,
    own_letters: String,
    decimal: Decimal,
    syllabic: bool,
    names_precede_their_noun: bool,
    line_end_hyphen: LineEndHyphen,
    months_capitalised: bool,
    also_abbreviations_of: Vec<String>,
    insufficient_evidence: String,
    identify: Identify,
    abbreviations: Vec<String>,
    function_words: Vec<String>,
    search_exact_only: Vec<String>,
    #[serde(default)]
    not_names: Vec<String>,
    ocr: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderFile {
    order: Vec<String>,
    default: String,
}

/// What annals knows about one language: its profile and the text layer's word lists
/// (`data/lang/<code>.toml`).
#[derive(Debug)]
pub struct LangData {
    /// ISO 639-1 code.
    pub code: String,
    /// English name.
    pub name: String,
    /// Its script.
    pub script: Script,
    /// Letters only it writes among ours, both cases (empty: none).
    pub own_letters: HashSet<char>,
    /// The decimal mark when a text's numbers do not show it.
    pub decimal: Decimal,
    /// A written word is one syllable: one capitalised word alone is no name, and its
    /// frequent words hold content syllables (so they are not a question's stop words).
    pub syllabic: bool,
    /// Names stand before the noun they name ("Nghệ An Province").
    pub names_precede_their_noun: bool,
    /// What a hyphen ending a line between lowercase letters is.
    pub line_end_hyphen: LineEndHyphen,
    /// Month names are capitalised, so a lowercase one is another word ("may").
    pub months_capitalised: bool,
    /// Languages whose abbreviations also protect a "." in this one's text (itself first).
    pub abbreviation_langs: Vec<Lang>,
    /// What `ask` says when the sources do not answer.
    pub insufficient_evidence: String,
    /// How its text is recognised.
    pub identify: Identify,
    /// Lowercased tokens (without the final ".") after which "." does not end a sentence.
    pub abbreviations: HashSet<String>,
    /// Frequent words, lowercased, used to identify a paragraph's language.
    pub function_words: HashSet<String>,
    /// Query words never expanded to their diacritic-folded form.
    pub search_exact_only: HashSet<String>,
    /// Capitalised words that are never a name by themselves (lowercased).
    pub not_names: HashSet<String>,
    /// The OCR engine's name for the language (Tesseract's traineddata: "vie").
    pub ocr: String,
}

/// The letters of `spec`: characters, and ranges written "a-z"; each with its capital.
fn letters_of_spec(spec: &str) -> HashSet<char> {
    let cs: Vec<char> = spec.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = HashSet::new();
    let mut i = 0;
    while i < cs.len() {
        let (a, b) = if i + 2 < cs.len() && cs[i + 1] == '-' {
            i += 3;
            (cs[i - 3], cs[i - 1])
        } else {
            i += 1;
            (cs[i - 1], cs[i - 1])
        };
        for c in a..=b {
            out.insert(c);
            out.extend(c.to_uppercase());
        }
    }
    out
}

/// The registry: every language's data, in order.
struct Registry {
    langs: Vec<Lang>,
    data: Vec<LangData>,
    fallback: Lang,
    /// Bit set of the languages owning each character below [`OWN_TABLE`].
    own_table: Vec<u16>,
    /// The same for characters above it.
    own_other: std::collections::HashMap<char, u16>,
}

/// Characters below this are looked up in an array (Latin, Cyrillic, Vietnamese letters).
const OWN_TABLE: usize = 0x2000;

fn load_registry() -> Registry {
    let order: OrderFile = toml::from_str(
        crate::data::file("lang/languages.toml").expect("data/lang/languages.toml is embedded"),
    )
    .unwrap_or_else(|e| panic!("data/lang/languages.toml: {e}"));
    for (stem, _) in crate::data::files_in("lang") {
        assert!(
            stem == "languages" || order.order.iter().any(|c| c == stem),
            "data/lang/{stem}.toml is not listed in data/lang/languages.toml"
        );
    }
    assert!(
        !order.order.is_empty() && order.order.len() <= MAX_LANGS,
        "data/lang/languages.toml: between 1 and {MAX_LANGS} languages"
    );
    let langs: Vec<Lang> = (0..order.order.len())
        .map(|i| Lang(u8::try_from(i).expect("at most MAX_LANGS")))
        .collect();
    let index = |code: &str, whose: &str| -> Lang {
        order
            .order
            .iter()
            .position(|c| c == code)
            .map(|i| langs[i])
            .unwrap_or_else(|| panic!("{whose}: language {code:?} is not in languages.toml"))
    };
    let mut data = Vec::new();
    for (i, code) in order.order.iter().enumerate() {
        let path = format!("data/lang/{code}.toml");
        let src =
            crate::data::lang_file("lang", code).unwrap_or_else(|| panic!("{path} is missing"));
        let f: LangFile = toml::from_str(src).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(&f.code, code, "{path} holds the wrong language");
        let set = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase()).collect();
        let mut abbreviation_langs = vec![langs[i]];
        for c in &f.also_abbreviations_of {
            let l = index(c, &path);
            if !abbreviation_langs.contains(&l) {
                abbreviation_langs.push(l);
            }
        }
        data.push(LangData {
            code: f.code,
            name: f.name,
            script: f.script,
            own_letters: letters_of_spec(&f.own_letters),
            decimal: f.decimal,
            syllabic: f.syllabic,
            names_precede_their_noun: f.names_precede_their_noun,
            line_end_hyphen: f.line_end_hyphen,
            months_capitalised: f.months_capitalised,
            abbreviation_langs,
            insufficient_evidence: f.insufficient_evidence,
            identify: f.identify,
            abbreviations: set(f.abbreviations),
            function_words: set(f.function_words),
            search_exact_only: set(f.search_exact_only),
            not_names: set(f.not_names),
            ocr: f.ocr,
        });
    }
    let mut own_table = vec![0u16; OWN_TABLE];
    let mut own_other = std::collections::HashMap::new();
    for (i, d) in data.iter().enumerate() {
        for &c in &d.own_letters {
            assert!(
                is_letter(c),
                "data/lang/{}.toml: {c:?} is no letter",
                d.code
            );
            let slot = match own_table.get_mut(c as usize) {
                Some(s) => s,
                None => own_other.entry(c).or_insert(0),
            };
            *slot |= 1 << i;
        }
    }
    Registry {
        fallback: index(&order.default, "data/lang/languages.toml"),
        langs,
        data,
        own_table,
        own_other,
    }
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(load_registry);

/// The languages owning letter `c`, as a bit set by [`Lang::index`].
#[inline]
fn own_bits(c: char) -> u16 {
    REGISTRY.own_bits(c)
}

impl Registry {
    #[inline]
    fn own_bits(&self, c: char) -> u16 {
        match self.own_table.get(c as usize) {
            Some(b) => *b,
            None => self.own_other.get(&c).copied().unwrap_or(0),
        }
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
static FUNCTION_WORDS: LazyLock<std::collections::HashMap<String, u16, FnvBuild>> =
    LazyLock::new(|| {
        let mut m = std::collections::HashMap::default();
        for &l in Lang::all() {
            for w in &l.data().function_words {
                *m.entry(w.clone()).or_insert(0) |= 1 << l.0;
            }
        }
        m
    });

/// Longest function word, in bytes: longer words are not looked up.
static LONGEST_FUNCTION_WORD: LazyLock<usize> =
    LazyLock::new(|| FUNCTION_WORDS.keys().map(String::len).max().unwrap_or(0));

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

/// Evidence about the language of a piece of text: its letters, the letters each language
/// owns, and each language's frequent words.
#[derive(Debug, Clone, Copy, Default)]
pub struct LangScore {
    letters: u32,
    own: [u32; MAX_LANGS],
    words: [u32; MAX_LANGS],
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

    /// Counts a non-ASCII letter's owners.
    #[inline]
    fn own_letter(&mut self, r: &Registry, c: char) {
        let mut bits = r.own_bits(c);
        while bits != 0 {
            self.own[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
    }

    fn letters_of(text: &str) -> LangScore {
        let r = &*REGISTRY;
        let mut s = LangScore::default();
        for c in text.chars() {
            if c.is_ascii() {
                s.letters += u32::from(c.is_ascii_alphabetic());
            } else if is_letter(c) {
                s.letters += 1;
                s.own_letter(r, c);
            }
        }
        s
    }

    /// The share of `l`'s own letters decides: above its `letter_share`.
    fn owned(&self, l: Lang) -> bool {
        let d = l.data();
        !d.own_letters.is_empty()
            && self.own[l.index()] as f32 > d.identify.letter_share * self.letters as f32
    }

    /// The language the letters alone show, if they show one: a script of its own first, then
    /// the letters a Latin-script language alone writes.
    fn decisive(&self) -> Option<Lang> {
        if self.letters < 12 {
            return None;
        }
        let all = Lang::all();
        all.iter()
            .filter(|l| l.data().script != Script::Latin)
            .chain(all.iter().filter(|l| l.data().script == Script::Latin))
            .copied()
            .find(|&l| self.owned(l))
    }

    fn words_of(text: &str) -> LangScore {
        let r = &*REGISTRY;
        let mut s = LangScore::default();
        let longest = *LONGEST_FUNCTION_WORD;
        let mut word = String::with_capacity(16);
        let mut too_long = false;
        let flush = |word: &mut String, too_long: &mut bool, s: &mut LangScore| {
            if !word.is_empty()
                && !*too_long
                && let Some(&bits) = FUNCTION_WORDS.get(word.as_str())
            {
                let mut bits = bits;
                while bits != 0 {
                    s.words[bits.trailing_zeros() as usize] += 1;
                    bits &= bits - 1;
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
                s.own_letter(r, c);
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
    ///
    /// Letters decide first ([`LangScore::decisive`]). Otherwise each Latin-script language
    /// scores its share of own letters × `letter_weight` + its frequent words ×
    /// `word_weight` (`data/lang/*.toml`, `[identify]`); the best wins, ties going to the
    /// fallback language. With no evidence at all, text without letters of another script is
    /// the fallback language's; text with a few is nobody's.
    pub fn best(&self) -> Option<Lang> {
        if self.letters < 12 {
            return None;
        }
        if let Some(l) = self.decisive() {
            return Some(l);
        }
        let l = self.letters as f32;
        let fallback = Lang::fallback();
        let mut best: Option<(Lang, f32)> = None;
        for &lang in Lang::all() {
            let d = lang.data();
            if d.script != Script::Latin {
                continue;
            }
            let share = self.own[lang.index()] as f32 / l;
            let score = share * d.identify.letter_weight
                + self.words[lang.index()] as f32 * d.identify.word_weight;
            best = match best {
                Some((_, b)) if score > b => Some((lang, score)),
                Some((_, b)) if score == b && lang == fallback => Some((lang, score)),
                None => Some((lang, score)),
                keep => keep,
            };
        }
        match best {
            Some((lang, score)) if score > 0.0 => Some(lang),
            _ => {
                let other_script = Lang::all()
                    .iter()
                    .any(|x| x.data().script != Script::Latin && self.own[x.index()] > 0);
                (!other_script).then_some(fallback)
            }
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

    /// A map by language holds every language of the registry, reads codes, refuses a key
    /// that is no language and serializes as a map in the registry's order.
    #[test]
    fn by_lang_is_a_map_over_the_registry() {
        let m: std::collections::BTreeMap<String, u32> =
            [("ru".to_string(), 3), ("vi".to_string(), 1)].into();
        let by = ByLang::from_codes(m, |_| 0).unwrap();
        assert_eq!(*by.get(Lang::of("vi")), 1);
        assert_eq!(*by.get(Lang::of("en")), 0);
        assert_eq!(*by.get(Lang::of("ru")), 3);
        assert_eq!(by.iter().count(), Lang::all().len());
        let codes: Vec<&str> = by.iter().map(|(l, _)| l.code()).collect();
        let registry: Vec<&str> = Lang::all().iter().map(|l| l.code()).collect();
        assert_eq!(codes, registry);
        let json = serde_json::to_string(&by).unwrap();
        assert!(json.starts_with('{') && json.contains("\"ru\":3"), "{json}");
        let bad: std::collections::BTreeMap<String, u32> = [("xx".to_string(), 1)].into();
        let e = ByLang::from_codes(bad, |_| 0).unwrap_err();
        assert!(e.contains("\"xx\"") && e.contains("vi, en, ru"), "{e}");
        let mut by = by;
        *by.get_mut(Lang::of("en")) = 2;
        assert_eq!(by.values().copied().collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    /// The fallback language comes first, then the others in the registry's order.
    #[test]
    fn fallback_first_orders_labels() {
        let order: Vec<Lang> = Lang::fallback_first().collect();
        assert_eq!(order[0], Lang::fallback());
        assert_eq!(order.len(), Lang::all().len());
        let mut sorted = order[1..].to_vec();
        sorted.sort();
        assert_eq!(sorted, order[1..].to_vec());
    }

    #[test]
    fn identifies_three_languages() {
        assert_eq!(
            identify(
                "Liên Xô là một trong những nước đầu tiên công nhận Việt Nam",
                Lang::of("en")
            ),
            Lang::of("vi")
        );
        assert_eq!(
            identify(
                "The Soviet Union was one of the first countries to recognize it",
                Lang::of("vi")
            ),
            Lang::of("en")
        );
        assert_eq!(
            identify(
                "Советский Союз установил дипломатические отношения с Вьетнамом",
                Lang::of("en")
            ),
            Lang::of("ru")
        );
        // Too short: the default stands.
        assert_eq!(identify("1978", Lang::of("ru")), Lang::of("ru"));
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
        assert!(Lang::of("vi").data().abbreviations.contains("tr"));
        assert!(Lang::of("ru").data().abbreviations.contains("г"));
        assert!(Lang::of("en").data().search_exact_only.contains("the"));
        let codes: Vec<&str> = Lang::all().iter().map(|l| l.code()).collect();
        assert_eq!(codes, ["vi", "en", "ru"]);
        assert_eq!(Lang::fallback(), Lang::of("en"));
        assert!(
            Lang::all()
                .iter()
                .all(|&l| Lang::from_code(l.code()) == Some(l))
        );
    }

    #[test]
    fn own_letters_are_each_languages_alone() {
        let (vi, en, ru) = (Lang::of("vi"), Lang::of("en"), Lang::of("ru"));
        for c in "ăâđêôơưĂÂĐÊÔƠƯàÀảẢỹỸỵỴ".chars() {
            assert!(vi.owns(c) && !ru.owns(c) && !en.owns(c), "{c}");
        }
        for c in "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАЯЁ".chars()
        {
            assert!(ru.owns(c) && !vi.owns(c), "{c}");
        }
        for c in "aeiouyzAZçñ".chars() {
            assert!(Lang::all().iter().all(|l| !l.owns(c)), "{c}");
        }
        assert!(!en.writes("anything at all: ăб"));
        assert_eq!(vi.data().own_letters.len(), 134);
    }

    #[test]
    fn languages_read_and_write_as_codes() {
        let vi = Lang::of("vi");
        assert_eq!(serde_json::to_string(&vi).unwrap(), "\"vi\"");
        assert_eq!(
            serde_json::from_str::<Lang>("\"ru\"").unwrap(),
            Lang::of("ru")
        );
        let err = serde_json::from_str::<Lang>("\"xx\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("xx") && err.contains("vi, en, ru"), "{err}");
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::of("en")));
        assert!(Lang::of("vi") < Lang::of("en") && Lang::of("en") < Lang::of("ru"));
    }
}
