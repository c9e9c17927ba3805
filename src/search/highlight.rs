//! Which words of a sentence a query matched, for every backend alike.
//!
//! Highlighting needs no index: it cuts the sentence with the same [`Words`] the backends
//! index with and marks the words the query asks for, so every backend
//! ([`super::SearchIndex::highlight`]) marks the same words.

use super::{QueryPart, Words};
use std::collections::HashSet;

/// Byte ranges of `text` that match the words of `query` (in the form typed, or folded
/// where the query allows folding), or any of `forms` (another name's words, as a whole
/// word sequence; a trailing `*` makes its last word a prefix), in text order, each once.
pub fn highlight(words: &Words, query: &str, forms: &[String], text: &str) -> Vec<(usize, usize)> {
    let parts = words.parts(query);
    // Another name's words, as whole forms: a word sequence (a trailing `*`: its last
    // word a prefix), so "for" of "Council for Mutual Economic Assistance" is marked
    // only inside that name.
    let also: Vec<(Vec<String>, bool)> = forms.iter().filter_map(|f| words.form(f)).collect();
    let mut want_exact = HashSet::new();
    let mut want_folded = HashSet::new();
    for (ex, fo, fold_ok) in parts {
        match (ex, fo) {
            (QueryPart::Term(e), QueryPart::Term(f)) => {
                want_exact.insert(e);
                if fold_ok {
                    want_folded.insert(f);
                }
            }
            (QueryPart::Phrase(e), QueryPart::Phrase(f)) => {
                want_exact.extend(e);
                if fold_ok {
                    want_folded.extend(f);
                }
            }
            _ => {}
        }
    }
    let ex = words.exact(text);
    let fo = words.folded(text);
    let mut marked = vec![false; ex.len()];
    for (i, (e, f)) in ex.iter().zip(fo.iter()).enumerate() {
        if want_exact.contains(&e.text) || want_folded.contains(&f.text) {
            marked[i] = true;
        }
    }
    for (ws, prefix) in &also {
        if ws.len() > ex.len() {
            continue;
        }
        for i in 0..=ex.len() - ws.len() {
            let last = ws.len() - 1;
            let hit = ws.iter().enumerate().all(|(k, w)| {
                let t = &ex[i + k].text;
                if k == last && *prefix {
                    t.starts_with(w.as_str())
                } else {
                    t == w
                }
            });
            if hit {
                marked[i..i + ws.len()].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    let mut out: Vec<(usize, usize)> = ex
        .iter()
        .zip(marked)
        .filter(|(_, m)| *m)
        .map(|(e, _)| (e.from, e.to))
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_typed_folded_and_other_forms() {
        let w = Words::new();
        let t = "Liên Xô ký Hiệp ước hữu nghị với Việt Nam";
        // Typed without diacritics: the folded words are marked.
        assert_eq!(highlight(&w, "lien xo", &[], t), vec![(0, 5), (6, 9)]);
        // A phrase's words; another name's words only as a whole sequence, a prefix.
        let h = highlight(&w, "\"Việt Nam\"", &["hiệp ư*".to_string()], t);
        let marked: Vec<&str> = h.iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(marked, ["Hiệp", "ước", "Việt", "Nam"]);
        assert_eq!(highlight(&w, "the", &[], "thé the"), vec![(5, 8)]);
    }
}
