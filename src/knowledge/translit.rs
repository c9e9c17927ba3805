//! Transliteration as an engine: every name of the gazetteer in the scripts and conventions
//! the sources write it in, so a new entry gets all its forms without hand work.
//!
//! Three directions, each driven by the tables of `data/gazetteer/translit.toml`:
//! - Russian → Latin ([`ru_latin`]): scholarly (ISO 9), BGN/PCGN and the popular English
//!   usage ("Брежнев" → "Brežnev", "Brezhnev"; "Ельцин" → "Yeltsin").
//! - Russian → Vietnamese phonetic rendering ([`ru_vi`]): the convention of Vietnamese
//!   publications ("Брежнев" → "Brêgiơnêp", "Косыгин" → "Côxưghin", "Узбекистан" →
//!   "Udơbêkixtan"). These forms vary in tone marks from writer to writer, so they are matched
//!   on their letters only (see `Alias::loose`).
//! - Vietnamese → Russian ([`vi_ru`]): the Kontsevich system ("Võ Nguyên Giáp" → "Во Нгуен
//!   Зяп", "Trường Chinh" → "Чыонг Тинь"), place names written as one word ("Ханой").

/// The language codes of this engine's directions: names from Vietnamese ([`vi_ru`]) and
/// from Russian ([`ru_latin`], [`ru_vi`]). An entity whose names come from another language
/// gets no transliterations.
pub const VIETNAMESE: &str = "vi";
/// See [`VIETNAMESE`].
pub const RUSSIAN: &str = "ru";

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LatinConvention {
    name: String,
    map: BTreeMap<String, String>,
    #[serde(default)]
    start: BTreeMap<String, String>,
    #[serde(default)]
    end: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuVi {
    vowels: BTreeMap<String, String>,
    initial_vowels: BTreeMap<String, String>,
    onsets: BTreeMap<String, String>,
    front: BTreeMap<String, String>,
    codas: BTreeMap<String, String>,
    r_coda_vowels: BTreeMap<String, String>,
    clusters: Vec<String>,
    expand: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ViRu {
    initials: BTreeMap<String, String>,
    rhymes: BTreeMap<String, String>,
    gi_vowels: BTreeMap<String, String>,
    alternatives: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tables {
    ru_latin: Vec<LatinConvention>,
    ru_vi: RuVi,
    vi_ru: ViRu,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/gazetteer/translit.toml"))
        .expect("data/gazetteer/translit.toml is valid")
});

/// True for a Cyrillic letter.
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// True when `s` has a Cyrillic letter.
pub fn has_cyrillic(s: &str) -> bool {
    s.chars().any(is_cyrillic)
}

const RU_VOWELS: &str = "аеёиоуыэюя";

fn ru_vowel(c: char) -> bool {
    RU_VOWELS.contains(c)
}

/// `out` with its first letter uppercased when `like` starts with an uppercase letter.
fn cased(out: String, like: &str) -> String {
    if like.chars().next().is_some_and(char::is_uppercase) {
        let mut cs = out.chars();
        match cs.next() {
            Some(f) => f.to_uppercase().chain(cs).collect(),
            None => out,
        }
    } else {
        out
    }
}

/// Applies `f` to every word of `s` (words split on spaces and hyphens, separators kept);
/// each word gives one or more forms, and the phrase's forms are their combinations (at most
/// `MAX_FORMS`).
fn per_word(s: &str, f: &dyn Fn(&str) -> Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    let mut word = String::new();
    let flush = |out: &mut Vec<String>, word: &mut String| {
        if word.is_empty() {
            return;
        }
        let forms = f(word);
        let mut next = Vec::new();
        for o in out.iter() {
            for w in &forms {
                if next.len() < MAX_FORMS {
                    next.push(format!("{o}{w}"));
                }
            }
        }
        *out = next;
        word.clear();
    };
    for c in s.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut out, &mut word);
            for o in out.iter_mut() {
                o.push(c);
            }
        }
    }
    flush(&mut out, &mut word);
    out.sort();
    out.dedup();
    out
}

/// The most forms one name gets from one direction.
const MAX_FORMS: usize = 8;

/// Russian → Latin, every convention; words that are not Cyrillic are kept as they are.
pub fn ru_latin(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for conv in &TABLES.ru_latin {
        let forms = per_word(s, &|w: &str| {
            if !has_cyrillic(w) {
                return vec![w.to_string()];
            }
            vec![cased(latin_word(conv, &w.to_lowercase()), w)]
        });
        out.extend(forms);
    }
    out.sort();
    out.dedup();
    out
}

/// The convention's name of each form [`ru_latin`] gives, in table order (for tests).
pub fn ru_latin_by(convention: &str, s: &str) -> Option<String> {
    let conv = TABLES.ru_latin.iter().find(|c| c.name == convention)?;
    per_word(s, &|w: &str| {
        if !has_cyrillic(w) {
            return vec![w.to_string()];
        }
        vec![cased(latin_word(conv, &w.to_lowercase()), w)]
    })
    .into_iter()
    .next()
}

fn latin_word(conv: &LatinConvention, w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        if let Some(v) = conv.end.get(&rest) {
            out.push_str(v);
            break;
        }
        let after_vowel = i == 0 || ru_vowel(chars[i - 1]) || matches!(chars[i - 1], 'ъ' | 'ь');
        if after_vowel && let Some(v) = conv.start.get(&chars[i].to_string()) {
            out.push_str(v);
            i += 1;
            continue;
        }
        if i + 1 < chars.len() {
            let two: String = chars[i..i + 2].iter().collect();
            if let Some(v) = conv.map.get(&two) {
                out.push_str(v);
                i += 2;
                continue;
            }
        }
        match conv.map.get(&chars[i].to_string()) {
            Some(v) => out.push_str(v),
            None => out.push(chars[i]),
        }
        i += 1;
    }
    out
}

/// Russian → Vietnamese phonetic rendering: each word's forms (clusters kept, and clusters
/// broken by "ơ" where the convention breaks them).
pub fn ru_vi(s: &str) -> Vec<String> {
    per_word(s, &|w: &str| {
        if !has_cyrillic(w) {
            return vec![w.to_string()];
        }
        let lw = w.to_lowercase();
        let mut forms: Vec<String> = [false, true]
            .into_iter()
            .filter_map(|keep| vi_word(&lw, keep))
            .map(|f| cased(f, w))
            .collect();
        forms.dedup();
        forms
    })
}

/// One Russian word in Vietnamese syllables. `keep_clusters`: onset clusters are written
/// together ("Khrútsốp") rather than broken where the convention breaks them ("Khơrútsốp").
fn vi_word(w: &str, keep_clusters: bool) -> Option<String> {
    let t = &TABLES.ru_vi;
    let mut letters: Vec<char> = Vec::new();
    for c in w.chars() {
        match t.expand.get(&c.to_string()) {
            Some(x) => letters.extend(x.chars()),
            None => letters.push(c),
        }
    }
    if !letters.iter().all(|c| is_cyrillic(*c)) || !letters.iter().any(|c| ru_vowel(*c)) {
        return None;
    }
    // Syllables: (onset consonants, vowel, coda consonant).
    let mut syl: Vec<(Vec<char>, Option<char>, Option<char>)> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    // Consonants that cannot close a syllable become syllables of their own with "ơ".
    let orphan = |syl: &mut Vec<(Vec<char>, Option<char>, Option<char>)>, c: char| {
        syl.push((vec![c], None, None));
    };
    let codable = |c: char| t.codas.contains_key(&c.to_string());
    for &c in &letters {
        if !ru_vowel(c) {
            run.push(c);
            continue;
        }
        if let Some(last) = syl.last_mut().filter(|_| !run.is_empty()) {
            // Split the run between the previous syllable's coda and this onset.
            let mut r = std::mem::take(&mut run);
            if r.len() == 1 && r[0] == 'й' && last.2.is_none() && last.1.is_some() {
                last.2 = Some('й');
                r.clear();
            } else if r.len() >= 2 {
                let first = r[0];
                if first == 'с' {
                    // "ст", "ск": the s opens a cluster of the next syllable.
                } else if codable(first) && last.1.is_some() && last.2.is_none() {
                    last.2 = Some(first);
                    r.remove(0);
                } else {
                    orphan(&mut syl, first);
                    r.remove(0);
                }
                while r.len() > 1 && !cluster_ok(&r, t) {
                    orphan(&mut syl, r.remove(0));
                }
            }
            syl.push((r, Some(c), None));
        } else {
            let r = std::mem::take(&mut run);
            syl.push((r, Some(c), None));
        }
    }
    // The final run.
    if !run.is_empty() {
        let mut r = run;
        if let Some(last) = syl.last_mut() {
            let first = r[0];
            if codable(first) && first != 'с' && last.2.is_none() {
                last.2 = Some(first);
                r.remove(0);
            }
        }
        if !r.is_empty() {
            syl.push((r, None, None));
        }
    }
    let mut out = String::new();
    let mut first = true;
    for (onset, vowel, coda) in syl {
        let mut v = match vowel {
            Some(v) => {
                let k = v.to_string();
                if first && onset.is_empty() {
                    t.initial_vowels.get(&k).or(t.vowels.get(&k))?.clone()
                } else if onset.is_empty() && out.ends_with('i') && matches!(v, 'я' | 'ю') {
                    // "ия" → "ia", "ию" → "iu".
                    (if v == 'я' { "a" } else { "u" }).to_string()
                } else {
                    t.vowels.get(&k)?.clone()
                }
            }
            None => "ơ".to_string(),
        };
        let mut ons: Vec<String> = Vec::new();
        for c in &onset {
            ons.push(t.onsets.get(&c.to_string())?.clone());
        }
        let joined: String = ons.concat();
        let mut o = if ons.len() <= 1 || keep_clusters || t.clusters.contains(&joined) {
            joined
        } else {
            // Break the cluster: "ơ" after every consonant but the last.
            let n = ons.len();
            ons.iter()
                .enumerate()
                .map(|(i, s)| {
                    if i + 1 < n {
                        format!("{s}ơ")
                    } else {
                        s.clone()
                    }
                })
                .collect()
        };
        if v.starts_with(['ê', 'e', 'i']) {
            for (from, to) in &t.front {
                if o.ends_with(from.as_str()) && !o.ends_with(to.as_str()) {
                    o.truncate(o.len() - from.len());
                    o.push_str(to);
                    break;
                }
            }
        }
        let mut c = String::new();
        if let Some(cc) = coda {
            if cc == 'р'
                && let Some(lv) = t.r_coda_vowels.get(&v)
            {
                v = lv.clone();
            }
            c = t.codas.get(&cc.to_string())?.clone();
        }
        out.push_str(&o);
        out.push_str(&v);
        out.push_str(&c);
        first = false;
    }
    Some(out.nfc().collect())
}

fn cluster_ok(r: &[char], t: &RuVi) -> bool {
    let s: Option<String> = r
        .iter()
        .map(|c| t.onsets.get(&c.to_string()).cloned())
        .collect();
    s.is_some_and(|s| t.clusters.contains(&s)) || r.len() == 1
}

/// Vietnamese tone marks (kept out of the Russian rendering).
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A Vietnamese syllable without its tone mark, lowercase, composed.
fn toneless(s: &str) -> String {
    s.to_lowercase()
        .nfd()
        .filter(|c| !TONES.contains(c))
        .nfc()
        .collect()
}

/// One Vietnamese syllable in Russian (Kontsevich), or None when it is not a Vietnamese
/// syllable the tables know.
pub fn vi_syllable(s: &str, word_initial: bool) -> Option<String> {
    let t = &TABLES.vi_ru;
    let syl = toneless(s);
    let chars: Vec<char> = syl.chars().collect();
    // The longest initial whose rest is a known rhyme.
    for n in (0..=chars.len().min(3)).rev() {
        let ini: String = chars[..n].iter().collect();
        let rhy: String = chars[n..].iter().collect();
        let ri = if n == 0 {
            Some(String::new())
        } else {
            t.initials.get(&ini).cloned()
        };
        let (Some(ri), Some(rr)) = (ri, t.rhymes.get(&rhy)) else {
            continue;
        };
        let mut rr = rr.clone();
        let mut ri = ri;
        if ini == "gi"
            && let Some(first) = rr.chars().next()
            && let Some(io) = t.gi_vowels.get(&first.to_string())
        {
            rr = format!("{io}{}", &rr[first.len_utf8()..]);
        }
        if ri.ends_with('ь') && rr.starts_with(['и', 'е']) {
            ri.pop();
        }
        if n == 0 && word_initial && rr.starts_with('е') {
            rr = format!("э{}", &rr['е'.len_utf8()..]);
        }
        return Some(format!("{ri}{rr}"));
    }
    None
}

/// Vietnamese → Russian: a name's words (syllables) in Russian; `joined` writes the syllables
/// as one word (place names: "Hà Nội" → "Ханой"), else one word per syllable (people). Words
/// already in Cyrillic or not Vietnamese syllables give nothing.
pub fn vi_ru(s: &str, joined: bool) -> Vec<String> {
    let sylls: Vec<&str> = s.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    if sylls.is_empty() {
        return Vec::new();
    }
    let mut ru: Vec<String> = Vec::new();
    for w in &sylls {
        if !w.chars().all(char::is_alphabetic) || has_cyrillic(w) {
            return Vec::new();
        }
        let Some(r) = vi_syllable(w, true) else {
            return Vec::new();
        };
        ru.push(r);
    }
    let caps = |w: &str| cased(w.to_string(), "A");
    let base: String = if joined {
        caps(&ru.concat())
    } else {
        ru.iter().map(|w| caps(w)).collect::<Vec<_>>().join(" ")
    };
    let mut out = vec![base.clone()];
    for (from, to) in &TABLES.vi_ru.alternatives {
        let more: Vec<String> = out
            .iter()
            .filter(|f| f.contains(from.as_str()))
            .map(|f| f.replace(from.as_str(), to))
            .collect();
        for m in more {
            if out.len() < MAX_FORMS && !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        assert_eq!(vi_syllable("Nguyễn", true).as_deref(), Some("нгуен"));
        assert_eq!(vi_syllable("Giáp", true).as_deref(), Some("зяп"));
        assert_eq!(vi_syllable("xyz", true), None);
    }
}
