//! Surface-form keys and variants: the folded key every alias and text is matched under
//! (separators collapsed, hyphens optional inside words), and abbreviation-table variants.

use crate::text::fold::{fold, fold_char_into};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// The five Vietnamese tone marks, as combining characters.
pub const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// True when `s` carries a Vietnamese diacritic (a tone, a vowel mark, đ).
pub fn has_vi_diacritics(s: &str) -> bool {
    s.chars().any(|c| matches!(c, 'đ' | 'Đ'))
        || s.nfd()
            .any(|m| TONES.contains(&m) || matches!(m, '\u{302}' | '\u{306}' | '\u{31B}'))
}

/// True when every letter of `s` is uppercase and it has at least two letters.
pub fn all_caps(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// One row of the abbreviation table.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Abbrev {
    pub abbr: String,
    pub full: String,
}

/// Separators that collapse to one space in a key.
#[inline]
pub fn is_sep(c: char) -> bool {
    c.is_whitespace() || is_dash(c)
}

/// Hyphens and dashes.
#[inline]
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '\u{00AD}')
}

/// Apostrophes fold to `'`.
#[inline]
fn norm_char(c: char) -> char {
    match c {
        '’' | '‘' | 'ʼ' | '`' => '\'',
        _ => c,
    }
}

/// The matching key of `s`: folded (lowercase, no diacritics), separator runs as one space,
/// trimmed.
pub fn key(s: &str) -> String {
    build(s, false)
}

/// Like [`key`], with hyphens inside words dropped ("Brê-giơ-nép" → "bregionep").
pub fn joined_key(s: &str) -> String {
    build(s, true)
}

fn build(s: &str, joined: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for (i, &c) in chars.iter().enumerate() {
        if joined && is_dash(c) && intra_word(&chars, i) {
            continue;
        }
        if is_sep(c) {
            pending = !out.is_empty();
            continue;
        }
        if pending {
            out.push(' ');
            pending = false;
        }
        fold_char_into(norm_char(c), &mut out);
    }
    out
}

/// A hyphen at `i` with a letter right before and right after it.
pub fn intra_word(chars: &[char], i: usize) -> bool {
    i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
}

/// Splits into words on separators.
pub fn words(s: &str) -> Vec<&str> {
    s.split(is_sep).filter(|w| !w.is_empty()).collect()
}

/// Variants of `alias` with an abbreviation-table phrase replaced by its abbreviation
/// ("Đảng Cộng sản Việt Nam" → "ĐCS Việt Nam"). Matches whole words, ignoring case and
/// diacritics; the alias must keep at least one other word.
pub fn abbreviated(alias: &str, table: &[Abbrev]) -> Vec<String> {
    let aw = words(alias);
    let akeys: Vec<String> = aw.iter().map(|w| fold(w)).collect();
    let mut out = Vec::new();
    for ab in table {
        let fw: Vec<String> = words(&ab.full).iter().map(|w| fold(w)).collect();
        if fw.is_empty() || fw.len() >= aw.len() {
            continue;
        }
        let mut i = 0;
        while i + fw.len() <= aw.len() {
            if akeys[i..i + fw.len()] == fw[..] {
                let mut v: Vec<&str> = aw[..i].to_vec();
                v.push(&ab.abbr);
                v.extend_from_slice(&aw[i + fw.len()..]);
                out.push(v.join(" "));
                i += fw.len();
            } else {
                i += 1;
            }
        }
    }
    out
}

/// The other spacing of an abbreviation's inner periods: writers put a space after the period
/// of a shortened word or leave it out ("TP.HCM" and "TP. HCM", "U.S.A." and "U. S. A.").
/// Only periods between two letters or after a letter before a space count; None when the
/// alias has no such period.
///
/// ```
/// use annals::knowledge::variants::respaced;
/// assert_eq!(respaced("TP.HCM").as_deref(), Some("TP. HCM"));
/// assert_eq!(respaced("TP. HCM").as_deref(), Some("TP.HCM"));
/// assert_eq!(respaced("HCMC"), None);
/// ```
pub fn respaced(alias: &str) -> Option<String> {
    let chars: Vec<char> = alias.chars().collect();
    let mut out = String::with_capacity(alias.len() + 4);
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        let after_letter = i > 0 && chars[i - 1].is_alphabetic();
        if c == '.' && after_letter {
            match chars.get(i + 1) {
                Some(n) if n.is_alphabetic() => {
                    out.push(' ');
                    changed = true;
                }
                Some(' ') if chars.get(i + 2).is_some_and(|n| n.is_alphabetic()) => {
                    i += 1; // drop the space
                    changed = true;
                }
                _ => {}
            }
        }
        i += 1;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(key("Liên bang Xô - Viết"), "lien bang xo viet");
        assert_eq!(joined_key("Brê-giơ-nép"), "bregionep");
        assert_eq!(key("Brê-giơ-nép"), "bre gio nep");
        assert_eq!(key("People’s Army"), "people's army");
    }
}
