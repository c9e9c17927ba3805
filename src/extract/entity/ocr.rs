//! The OCR confusion model (`data/gazetteer/ocr.toml`): the keys an alias takes when PDF text
//! extraction damages one of its letters ("Hồ Chí Minh" → "H6 Chi Minh", "Hd Chi Minh",
//! "Ho6 Chi Minh"; "Vietnam" → "Vietham"; "Liên Xô" → "Lién X6"), each with a confidence.
//! These keys are matched only where no exact or folded match covers the text.

use crate::knowledge::variants::{is_sep, key};
use crate::text::fold::fold_char_into;
use serde::Deserialize;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VowelRule {
    base: char,
    #[serde(default)]
    marked_only: bool,
    to: Vec<String>,
    confidence: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LetterRule {
    from: String,
    to: Vec<String>,
    confidence: f32,
}

/// The confusion model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    min_letters: usize,
    #[serde(default)]
    vowels: Vec<VowelRule>,
    #[serde(default)]
    letters: Vec<LetterRule>,
}

/// The model compiled into the binary.
pub static MODEL: LazyLock<Model> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../data/gazetteer/ocr.toml"))
        .expect("data/gazetteer/ocr.toml is valid")
});

/// Base letter (lowercase) of `c` and whether it carries a diacritic.
fn base_of(c: char) -> (char, bool) {
    if c == 'đ' || c == 'Đ' {
        return ('d', true);
    }
    let mut it = std::iter::once(c).nfd();
    let b = it.next().unwrap_or(c);
    let marked = it.next().is_some();
    (b.to_lowercase().next().unwrap_or(b), marked)
}

impl Model {
    /// The OCR-damaged keys of `alias` (one confusion each), with confidences. Only Latin
    /// aliases of at least five letters; letter swaps only inside words of aliases of at least
    /// `min_letters` letters.
    pub fn variants(&self, alias: &str) -> Vec<(String, f32)> {
        let letters = alias.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 5 || alias.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}')) {
            return Vec::new();
        }
        let base = key(alias);
        // Folded pieces, one per char, separators collapsed as in `key`.
        let mut pieces: Vec<(char, String)> = Vec::new();
        let mut pending = false;
        for c in alias.trim().chars() {
            if is_sep(c) {
                pending = !pieces.is_empty();
                continue;
            }
            if pending {
                pieces.push((' ', " ".into()));
                pending = false;
            }
            let mut f = String::new();
            fold_char_into(c, &mut f);
            pieces.push((c, f));
        }
        let mut out: Vec<(String, f32)> = Vec::new();
        for (i, (c, _)) in pieces.iter().enumerate() {
            let (b, marked) = base_of(*c);
            for r in &self.vowels {
                if r.base != b || (r.marked_only && !marked) {
                    continue;
                }
                for t in &r.to {
                    let mut k = String::new();
                    for (j, (_, f)) in pieces.iter().enumerate() {
                        k.push_str(if i == j { t } else { f });
                    }
                    out.push((k, r.confidence));
                }
            }
        }
        if letters >= self.min_letters && base.is_ascii() {
            let bytes = base.as_bytes();
            for r in &self.letters {
                for (p, _) in base.match_indices(r.from.as_str()) {
                    // Inside a word only: not its first letter.
                    if p == 0 || !bytes[p - 1].is_ascii_alphabetic() {
                        continue;
                    }
                    for t in &r.to {
                        let k = format!("{}{}{}", &base[..p], t, &base[p + r.from.len()..]);
                        out.push((k, r.confidence));
                    }
                }
            }
        }
        out.retain(|(k, _)| *k != base);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusions() {
        let v: Vec<String> = MODEL
            .variants("Hồ Chí Minh")
            .into_iter()
            .map(|x| x.0)
            .collect();
        for want in [
            "h6 chi minh",
            "hd chi minh",
            "hb chi minh",
            "h5 chi minh",
            "ho6 chi minh",
        ] {
            assert!(v.contains(&want.to_string()), "{want} in {v:?}");
        }
        let v: Vec<String> = MODEL.variants("Vietnam").into_iter().map(|x| x.0).collect();
        assert!(v.contains(&"vietham".to_string()));
    }
}
