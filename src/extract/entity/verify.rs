//! Verification of a hit against the alias it matched: case (a capitalized alias needs a
//! capital; an all-caps word needs all caps) and diacritics (a word written with different
//! diacritics is a different Vietnamese word: "lao" is not "Lào"; a word written without any
//! is a folded match; old and new tone placement, "hoà"/"hòa", are the same word).

use crate::knowledge::variants::words;
pub use crate::knowledge::variants::{TONES, all_caps, has_vi_diacritics};
use unicode_normalization::UnicodeNormalization;

/// How well a span's text agrees with an alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
    /// Same letters and diacritics (tone placement aside); case may differ where allowed.
    Exact,
    /// Same letters, case differs (an all-caps heading).
    Case,
    /// Written without diacritics.
    Folded,
}

/// A word's letters (base lowercase, vowel marks), its sorted tone marks, and whether it
/// carries any diacritic.
type Letters = (Vec<(char, Vec<char>)>, Vec<char>, bool);

/// The [`Letters`] of a word.
fn letters(w: &str) -> Letters {
    let mut out = Vec::new();
    let mut tones = Vec::new();
    let mut marked = false;
    for c in w.chars().filter(|c| c.is_alphanumeric()) {
        if c == 'đ' || c == 'Đ' {
            out.push(('d', vec!['đ']));
            marked = true;
            continue;
        }
        let mut it = std::iter::once(c).nfd();
        let b = it.next().unwrap_or(c);
        let mut marks = Vec::new();
        for m in it {
            marked = true;
            if TONES.contains(&m) {
                tones.push(m);
            } else {
                marks.push(m);
            }
        }
        out.push((b.to_lowercase().next().unwrap_or(b), marks));
    }
    tones.sort_unstable();
    (out, tones, marked)
}

fn word_quality(alias: &str, text: &str) -> Option<Quality> {
    if alias == text {
        return Some(Quality::Exact);
    }
    let (al, at, _) = letters(alias);
    let (tl, tt, tmarked) = letters(text);
    if al.len() != tl.len() {
        return None;
    }
    if al == tl && at == tt {
        return Some(Quality::Exact);
    }
    let same_base = al.iter().zip(&tl).all(|(a, t)| a.0 == t.0);
    if same_base && !tmarked {
        return Some(Quality::Folded);
    }
    None
}

/// The quality of `text` as the alias `alias`, or None when it is a different word.
/// `generic`: the alias starts with a generic head and needs no capital.
pub fn verify(alias: &str, text: &str, generic: bool) -> Option<Quality> {
    // Written exactly as the alias: same case, same letters, same marks.
    if alias == text {
        return Some(Quality::Exact);
    }
    let aw = words(alias);
    let tw = words(text);
    let (aw, tw): (Vec<String>, Vec<String>) = if aw.len() == tw.len() {
        (
            aw.iter().map(|s| s.to_string()).collect(),
            tw.iter().map(|s| s.to_string()).collect(),
        )
    } else {
        (vec![aw.concat()], vec![tw.concat()])
    };
    if !case_ok(alias, text, &aw, &tw, generic) {
        return None;
    }
    let mut q = Quality::Exact;
    for (a, t) in aw.iter().zip(&tw) {
        q = q.max(word_quality(a, t)?);
    }
    if q == Quality::Exact && alias != text && words(alias).concat() != words(text).concat() {
        let differs = aw
            .iter()
            .zip(&tw)
            .any(|(a, t)| a.nfc().collect::<String>() != t.nfc().collect::<String>());
        if differs && all_caps(text) && !all_caps(alias) {
            q = Quality::Case;
        }
    }
    Some(q)
}

/// A proper name of several words: each alias word written with a capital has one in the
/// text too, unless the text is all capitals.
pub fn proper_ok(alias: &str, text: &str) -> bool {
    if all_caps(text) {
        return true;
    }
    let aw = words(alias);
    let tw = words(text);
    aw.len() != tw.len()
        || aw.iter().zip(&tw).all(|(a, t)| {
            !a.chars().next().is_some_and(char::is_uppercase)
                || t.chars().next().is_some_and(char::is_uppercase)
        })
}

/// Case: a capitalized alias needs a capitalized text; all-caps alias words need all caps.
pub fn case_ok(alias: &str, text: &str, aw: &[String], tw: &[String], generic: bool) -> bool {
    let af = alias.chars().find(|c| c.is_alphabetic());
    let tf = text.chars().find(|c| c.is_alphabetic());
    if !generic && af.is_some_and(char::is_uppercase) && !tf.is_some_and(char::is_uppercase) {
        return false;
    }
    for (a, t) in aw.iter().zip(tw) {
        if all_caps(a) && !all_caps(t) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualities() {
        assert_eq!(verify("Liên Xô", "Liên Xô", false), Some(Quality::Exact));
        assert_eq!(verify("Cộng hoà", "Cộng hòa", false), Some(Quality::Exact));
        assert_eq!(verify("Lê Duẩn", "Le Duan", false), Some(Quality::Folded));
        assert_eq!(verify("Lào", "lao", false), None);
        assert_eq!(verify("Lào", "Láo", false), None);
        assert_eq!(verify("SEV", "Sev", false), None);
        assert_eq!(
            verify("Brêgiơnép", "BRÊ-GIƠ-NÉP", false),
            Some(Quality::Case)
        );
        assert_eq!(
            verify("Liên hợp quốc", "Liên Hợp quốc", false),
            Some(Quality::Exact)
        );
    }
}
