//! The language data embedded in the binary: every `data/<module>/*.toml` (and its
//! `generated/` files), found by `build.rs` when the binary is built.
//!
//! Code never lists a language's files: a module asks for its file of a language
//! ([`lang_file`]) for every language the registry holds ([`crate::text::lang::Lang::all`]),
//! and the registry is the files under `data/lang/`. Adding a language is adding data files.
//!
//! # Examples
//! ```
//! use annals::data;
//! assert!(data::file("lang/languages.toml").is_some());
//! assert!(data::file("no/such.toml").is_none());
//! ```

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/data_files.rs"));
}

/// The text of the embedded file at `path` (relative to `data/`, with `/`), if there is one.
pub fn file(path: &str) -> Option<&'static str> {
    embedded::FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| embedded::FILES[i].1)
}

/// The files directly in folder `dir` of `data/` (not in its subfolders), sorted by path:
/// `(file stem, text)`.
pub fn files_in(dir: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    embedded::FILES.iter().filter_map(move |(p, text)| {
        let rest = p.strip_prefix(dir)?.strip_prefix('/')?;
        if rest.contains('/') {
            return None;
        }
        Some((rest.strip_suffix(".toml").unwrap_or(rest), *text))
    })
}

/// Module `module`'s file for language `code` (`data/<module>/<code>.toml`), if it has one.
pub fn lang_file(module: &str, code: &str) -> Option<&'static str> {
    file(&format!("{module}/{code}.toml"))
}

/// Module `module`'s file for language `code`, which every language has: an engine's data
/// may hold no words of a language, but its file says so.
///
/// # Panics
/// When the file is missing (a language added without its engines' files).
pub fn required_lang_file(module: &str, code: &str) -> &'static str {
    lang_file(module, code).unwrap_or_else(|| {
        panic!("data/{module}/{code}.toml is missing: every language in data/lang has one")
    })
}

/// Module `module`'s generated file for language `code`
/// (`data/<module>/generated/<code>.toml`), if it has one.
pub fn generated_lang_file(module: &str, code: &str) -> Option<&'static str> {
    file(&format!("{module}/generated/{code}.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_sorted_and_found() {
        assert!(embedded::FILES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(lang_file("time", "vi").is_some());
        assert!(generated_lang_file("time", "ru").is_some());
        assert!(lang_file("time", "xx").is_none());
        let langs: Vec<&str> = files_in("lang").map(|(s, _)| s).collect();
        assert!(langs.contains(&"vi") && langs.contains(&"languages"));
        assert!(files_in("time").all(|(s, _)| s != "generated/vi"));
    }
}
