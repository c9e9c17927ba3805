//! Diacritic folding: the form a user types without Vietnamese diacritics.
//!
//! `fold("Liên Xô Đảng")` is `"lien xo dang"`: lowercase, combining marks removed, đ→d.
//! Folding is per char, so it never changes token boundaries.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The folded form of one char, appended to `out`.
#[inline]
pub fn fold_char_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        'đ' | 'Đ' => out.push('d'),
        _ => {
            for d in std::iter::once(c).nfd() {
                if !is_combining_mark(d) {
                    for l in d.to_lowercase() {
                        out.push(l);
                    }
                }
            }
        }
    }
}

/// Lowercased, diacritic-free form of `s` (đ→d).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char_into(c, &mut out);
    }
    out
}

/// True when `s` carries something folding removes (a diacritic or đ).
pub fn has_diacritics(s: &str) -> bool {
    s.chars().any(|c| {
        !c.is_ascii() && c.is_alphabetic() && fold(&c.to_string()) != c.to_lowercase().to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Liên Xô Hiệp ước Đảng"), "lien xo hiep uoc dang");
        assert_eq!(fold("Брежнев"), "брежнев");
        assert!(has_diacritics("Hiệp"));
        assert!(!has_diacritics("hiep"));
        assert!(!has_diacritics("Брежнев"));
    }
}
