//! What every backend reads the same way: a result row turned into the store's values, the
//! text forms of the JSON it keeps, and the problems [`super::Store::check`] reports.
//!
//! Each backend selects its columns in the order the functions here name and implements
//! [`Row`] for its driver's row type; the values, and the errors for stored data that does
//! not read back ([`StoreError::Corrupt`]), are then the same in every backend.

use super::{
    AliasRow, CurationRow, FactRow, FurnitureRow, NewCurationRow, ParagraphRow, PutOutcome, Result,
    SentenceRow, StoreError, StoredDocument, StoredFact, StoredSentence,
};
use crate::source::pages::PageMap;
use crate::text::lang::Lang;

/// A result row of a backend, read by column position ([`impl_row!`] implements it). Errors
/// are the backend's, as [`StoreError::Backend`]; a flag is stored as a boolean or as an
/// integer (not 0: true).
pub(crate) trait Row {
    fn int(&self, i: usize) -> Result<i64>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>>;
    fn real(&self, i: usize) -> Result<f64>;
    fn text(&self, i: usize) -> Result<String>;
    fn opt_text(&self, i: usize) -> Result<Option<String>>;
    fn flag(&self, i: usize) -> Result<bool>;
}

/// Implements [`Row`] for a driver's row type whose method `$get(i)` reads a column as any
/// of the types [`Row`] asks for (its errors convert into [`StoreError`]).
macro_rules! impl_row {
    ($row:ty, $get:ident) => {
        impl $crate::store::rows::Row for $row {
            fn int(&self, i: usize) -> $crate::store::Result<i64> {
                Ok(self.$get(i)?)
            }
            fn opt_int(&self, i: usize) -> $crate::store::Result<Option<i64>> {
                Ok(self.$get(i)?)
            }
            fn real(&self, i: usize) -> $crate::store::Result<f64> {
                Ok(self.$get(i)?)
            }
            fn text(&self, i: usize) -> $crate::store::Result<String> {
                Ok(self.$get(i)?)
            }
            fn opt_text(&self, i: usize) -> $crate::store::Result<Option<String>> {
                Ok(self.$get(i)?)
            }
            fn flag(&self, i: usize) -> $crate::store::Result<bool> {
                Ok(self.$get(i)?)
            }
        }
    };
}
pub(crate) use impl_row;

/// The language of a stored code (the registry's fallback for a code it no longer has).
pub(crate) fn lang_of(code: &str) -> Lang {
    Lang::from_code(code).unwrap_or_else(Lang::fallback)
}

/// A document from the columns `id, sha256, bytes, encoding, encoding_confidence, format,
/// lang, title, paragraphs, sentences, facts, ingested_at (RFC 3339 text), indexed`, without
/// its aliases.
pub(crate) fn document(r: &dyn Row) -> Result<StoredDocument> {
    Ok(StoredDocument {
        id: r.text(0)?,
        sha256: r.text(1)?,
        bytes: r.int(2)? as u64,
        encoding: r.text(3)?,
        encoding_confidence: r.real(4)?,
        format: r.text(5)?,
        lang: r.text(6)?,
        title: r.opt_text(7)?,
        paragraphs: r.int(8)? as u64,
        sentences: r.int(9)? as u64,
        facts: r.int(10)? as u64,
        ingested_at: r.text(11)?,
        indexed: r.flag(12)?,
        aliases: Vec::new(),
    })
}

/// A sentence from the columns `id, doc_id, seq, paragraph, start, end, lang, clean`.
pub(crate) fn sentence(r: &dyn Row) -> Result<StoredSentence> {
    Ok(StoredSentence {
        id: r.int(0)?,
        doc: r.text(1)?,
        seq: r.int(2)? as u64,
        paragraph: r.int(3)? as u64,
        start: r.int(4)? as u64,
        end: r.int(5)? as u64,
        lang: lang_of(&r.text(6)?),
        clean: r.text(7)?,
    })
}

/// A fact from the columns `id, doc_id, kind, start, end, record (JSON text)`; its body is
/// read from the record.
pub(crate) fn fact(r: &dyn Row) -> Result<StoredFact> {
    let record = r.text(5)?;
    StoredFact::from_record(
        r.int(0)?,
        r.text(1)?,
        r.int(3)? as u64,
        r.int(4)? as u64,
        serde_json::from_str(&record)
            .map_err(|e| StoreError::Corrupt(format!("fact record: {e}")))?,
    )
}

/// A curation row from the columns `id, at (RFC 3339 text), who, action, target, field,
/// old_value, new_value, reason, request_id` (the three values JSON text).
pub(crate) fn curation(r: &dyn Row) -> Result<CurationRow> {
    let json = |s: String| {
        serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("curation row: {e}")))
    };
    Ok(CurationRow {
        id: r.int(0)?,
        at: r.text(1)?,
        who: r.text(2)?,
        action: r.text(3)?,
        target: json(r.text(4)?)?,
        field: r.opt_text(5)?,
        old_value: json(r.text(6)?)?,
        new_value: json(r.text(7)?)?,
        reason: r.text(8)?,
        request_id: r.opt_text(9)?,
    })
}

/// A paragraph as stored, from the columns `seq, start, end, block, lang`.
pub(crate) fn paragraph_row(r: &dyn Row) -> Result<ParagraphRow> {
    Ok(ParagraphRow {
        seq: r.int(0)? as u64,
        start: r.int(1)? as u64,
        end: r.int(2)? as u64,
        block: r.text(3)?,
        lang: r.text(4)?,
    })
}

/// A sentence as stored, from the columns `id, seq, paragraph, start, end, lang, clean`.
pub(crate) fn sentence_row(r: &dyn Row) -> Result<SentenceRow> {
    Ok(SentenceRow {
        id: r.int(0)?,
        seq: r.int(1)? as u64,
        paragraph: r.int(2)? as u64,
        start: r.int(3)? as u64,
        end: r.int(4)? as u64,
        lang: r.text(5)?,
        clean: r.text(6)?,
    })
}

/// Furniture as stored, from the columns `start, end, kind`.
pub(crate) fn furniture_row(r: &dyn Row) -> Result<FurnitureRow> {
    Ok(FurnitureRow {
        start: r.int(0)? as u64,
        end: r.int(1)? as u64,
        kind: r.text(2)?,
    })
}

/// A fact as stored, from the columns `id, kind, start, end, record (JSON text)`.
pub(crate) fn fact_row(r: &dyn Row) -> Result<FactRow> {
    Ok(FactRow {
        id: r.int(0)?,
        kind: r.text(1)?,
        start: r.int(2)? as u64,
        end: r.int(3)? as u64,
        record: r.text(4)?,
    })
}

/// The refusal of a curation row kept as stored whose id does not follow the log's latest.
pub(crate) fn out_of_order(id: i64, latest: i64) -> StoreError {
    StoreError::Refused(format!(
        "curation row #{id} cannot follow the log's latest row #{latest}: the log keeps its ids increasing"
    ))
}

/// An alias as stored, from the columns `alias, recorded_at (RFC 3339 text)`.
pub(crate) fn alias_row(r: &dyn Row) -> Result<AliasRow> {
    Ok(AliasRow {
        alias: r.text(0)?,
        recorded_at: r.text(1)?,
    })
}

/// The error of a document stored without its source row.
pub(crate) fn no_source(id: &str) -> StoreError {
    StoreError::Corrupt(format!("{id}: no source bytes stored"))
}

/// What a put did, from whether the id was stored before.
pub(crate) fn put_outcome(existed: bool) -> PutOutcome {
    if existed {
        PutOutcome::Replaced
    } else {
        PutOutcome::Added
    }
}

/// The row `new` became once stored with `id` at `at`.
pub(crate) fn appended(id: i64, at: String, new: &NewCurationRow) -> CurationRow {
    CurationRow {
        id,
        at,
        who: new.who.clone(),
        action: new.action.clone(),
        target: new.target.clone(),
        field: new.field.clone(),
        old_value: new.old_value.clone(),
        new_value: new.new_value.clone(),
        reason: new.reason.clone(),
        request_id: new.request_id.clone(),
    }
}

/// The stored text of document `id`'s page map.
pub(crate) fn page_map_text(id: &str, map: &PageMap) -> Result<String> {
    serde_json::to_string(map).map_err(|e| StoreError::Corrupt(format!("{id}: page map: {e}")))
}

/// Document `id`'s page map from its stored text.
pub(crate) fn page_map(id: &str, text: &str) -> Result<PageMap> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{id}: page map: {e}")))
}

/// The stored name of a kind of furniture (`page-number`, `running-header`).
pub(crate) fn furniture_kind(kind: crate::text::layout::FurnitureKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The tables whose rows belong to a document (`doc_id`), checked for orphans.
pub(crate) const DOCUMENT_TABLES: [&str; 6] = [
    "sentences",
    "paragraphs",
    "facts",
    "sources",
    "furniture",
    "pages",
];

/// The problems of one document, from the columns `id, sentences, paragraphs, facts` (as
/// recorded), the counts of its stored sentences, paragraphs and facts, the length of its
/// stored source (NULL when missing) and `bytes` (as recorded).
pub(crate) fn document_problems(r: &dyn Row, problems: &mut Vec<String>) -> Result<()> {
    let id = r.text(0)?;
    let want = [r.int(1)?, r.int(2)?, r.int(3)?];
    let got = [r.int(4)?, r.int(5)?, r.int(6)?];
    let src_len = r.opt_int(7)?;
    let bytes = r.int(8)?;
    if want != got {
        problems.push(format!(
            "{id}: counts (sentences, paragraphs, facts) recorded {want:?} but stored {got:?}"
        ));
    }
    if src_len != Some(bytes) {
        problems.push(format!("{id}: source bytes missing or of the wrong length"));
    }
    Ok(())
}

/// The problem of `n` orphan rows in `table`, if any.
pub(crate) fn orphans(table: &str, n: i64) -> Option<String> {
    (n > 0).then(|| format!("{n} orphan rows in {table}"))
}
