//! annals: historical sources into a knowledge base in which every fact points at the exact
//! bytes of the source that state it. See `ARCHITECTURE.md` for the codemap.

pub mod source {
    //! Reading sources: bytes to decoded, format-stripped text with an exact offset map.
    pub mod decode;
    pub mod html;
    pub mod legacy;
    pub mod meta;
    pub mod ocr;
    pub mod pages;
    pub mod pdf;
    pub mod tools;
}
pub mod archive;
pub mod ask;
pub mod bench;
pub mod budget;
pub mod copy;
pub mod curation;
pub mod data;
pub mod discover;
pub mod document;
pub mod entity_page;
pub mod export;
pub mod extract;
pub mod fact;
pub mod history;
pub mod ingest;
pub mod knowledge;
pub mod pg;
pub mod record;
pub mod search;
pub mod server;
pub mod snapshot;
pub mod span;
pub mod store;
pub mod terminal;
pub mod text {
    //! Text analysis that every extractor stands on.
    pub mod fold;
    pub mod folded;
    pub mod intervals;
    pub mod lang;
    pub mod layout;
    pub mod mapped;
    pub mod normalize;
    pub mod phrase;
    pub mod sentence;
    pub mod token;
}
