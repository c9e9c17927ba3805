//! A document's rows as a store holds them, for moving a whole archive from one store to
//! another without reading its sources again ([`super::Store::document_rows`],
//! [`super::Store::put_rows`], `annals copy`).
//!
//! Every value is the one stored: ids, hashes, counts, times as the store gives them (RFC
//! 3339 text), languages and kinds as their stored codes (a code this build's registry no
//! longer knows travels unchanged), a fact's record and a page map as their stored JSON text
//! (never parsed and written again, so they arrive byte for byte), and the store-wide ids of
//! sentences and facts, which the exports and the API show (a copy into a store that holds
//! none of them names every fact as the source did).

use super::{Result, StoreError, StoredDocument};

/// Everything stored of one document: its row, its original bytes, its page file and map,
/// its paragraphs, sentences, furniture, facts and aliases.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRows {
    /// The document's row, `ingested_at` included. [`super::Store::put_rows`] writes it
    /// unindexed whatever `indexed` says (the destination's index does not hold it yet), and
    /// takes the aliases from [`DocumentRows::aliases`], not from `document.aliases`.
    pub document: StoredDocument,
    /// The original bytes (`sources`): the file, or a PDF's or an image's text.
    pub source: Vec<u8>,
    /// A PDF's or an image's file and page map; `None` for a text document.
    pub pages: Option<PagesRow>,
    /// In order of `seq`.
    pub paragraphs: Vec<ParagraphRow>,
    /// In order of `seq`.
    pub sentences: Vec<SentenceRow>,
    /// By position (start, end, kind).
    pub furniture: Vec<FurnitureRow>,
    /// By id.
    pub facts: Vec<FactRow>,
    /// By alias.
    pub aliases: Vec<AliasRow>,
}

/// A PDF's or an image's file and its page map, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PagesRow {
    pub file: Vec<u8>,
    /// The page map's stored JSON text.
    pub map: String,
}

/// A paragraph as stored: its number, its byte range of the source, its block kind and
/// language code.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphRow {
    pub seq: u64,
    pub start: u64,
    pub end: u64,
    pub block: String,
    pub lang: String,
}

/// A sentence as stored, with its store-wide id.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceRow {
    pub id: i64,
    pub seq: u64,
    pub paragraph: u64,
    pub start: u64,
    pub end: u64,
    pub lang: String,
    pub clean: String,
}

/// A line layout repair left out (a running header, a page number), as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FurnitureRow {
    pub start: u64,
    pub end: u64,
    pub kind: String,
}

/// A fact as stored, with its store-wide id; its record is the stored JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    pub id: i64,
    pub kind: String,
    pub start: u64,
    pub end: u64,
    pub record: String,
}

/// Another name of the document, with when it was recorded (RFC 3339).
#[derive(Debug, Clone, PartialEq)]
pub struct AliasRow {
    pub alias: String,
    pub recorded_at: String,
}

impl DocumentRows {
    /// Checks that the rows agree with the counts their document row records (the
    /// consistency [`super::Store::check`] asks of a stored document), so that a store never
    /// writes a document it would then report broken.
    ///
    /// Errors: [`StoreError::Corrupt`] naming the document and what disagrees.
    pub fn validate(&self) -> Result<()> {
        let d = &self.document;
        let want = [d.sentences, d.paragraphs, d.facts, d.bytes];
        let got = [
            self.sentences.len() as u64,
            self.paragraphs.len() as u64,
            self.facts.len() as u64,
            self.source.len() as u64,
        ];
        if want != got {
            return Err(StoreError::Corrupt(format!(
                "{}: (sentences, paragraphs, facts, source bytes) recorded {want:?} but the rows hold {got:?}",
                d.id
            )));
        }
        Ok(())
    }
}
