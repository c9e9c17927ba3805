//! The quantity engine's view of the one phrase matcher ([`crate::text::phrase`]): the
//! longest phrase at or ending at a token, as (token count, value).

use super::token::Tok;
pub use crate::text::phrase::PhraseSet as Phrases;

/// Lookups the quantity rules make, in token counts.
pub trait Lookup<T> {
    /// The longest phrase starting at `toks[i]`: (token count, value).
    fn at(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)>;
    /// The longest phrase ending at `toks[i]` (inclusive): (token count, value).
    fn ending(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)>;
    fn contains_at(&self, toks: &[Tok], i: usize) -> bool {
        self.at(toks, i).is_some()
    }
    fn contains_ending(&self, toks: &[Tok], i: usize) -> bool {
        self.ending(toks, i).is_some()
    }
}

impl<T> Lookup<T> for Phrases<T> {
    fn at(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)> {
        self.longest_at(toks, i).map(|f| (f.toks.len(), f.value))
    }

    fn ending(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)> {
        self.longest_ending_at(toks, i)
            .map(|f| (f.toks.len(), f.value))
    }
}
