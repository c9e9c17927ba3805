//! Every stored fact as a W3C Web Annotation (JSON-LD, <http://www.w3.org/ns/anno.jsonld>).
//!
//! - **Target**: `source` is the document's IRI (`urn:annals:doc:<id, percent-encoded>`, or
//!   `<base URL><id>` when a base is given), with two selectors of the same text: a
//!   `TextQuoteSelector` (`exact`, 32 characters of `prefix` and `suffix`) and a
//!   `TextPositionSelector`. Web Annotation positions count characters (Unicode code
//!   points) of the document's text; annals offsets are bytes of the original file, which
//!   may be UTF-16 or a legacy encoding. So the document's text here is **the file decoded in
//!   its stored encoding, without normalization and without a byte-order mark**, and
//!   `start`/`end` count its code points; `exact` is that text between them (its NFC form is
//!   the fact's `text`). The byte offsets are kept as `annals:byteStart` / `annals:byteEnd`
//!   on the target, with `annals:sha256` and `annals:encoding` of the file they refer to.
//!   For an HTML source the text is the file's markup as text, not the rendered page.
//! - **Body**: a `TextualBody` with purpose `classifying` (the fact's kind, and its type when
//!   it has one: `timex/date`), a `TextualBody` with purpose `describing` (what the fact
//!   says, normalized: `1978-11-03`, `206500000 RUB; trade turnover`, `Soviet Union`), and for
//!   a mention with a Wikidata id a `SpecificResource` whose source is the Wikidata entity,
//!   purpose `identifying`.
//! - **PDFs and scans**: the text the positions count in is the text annals read from the
//!   file (`annals text DOC`; `annals:format` says "pdf" or "image", and `annals:sha256` is
//!   the file's). A third selector places the fact on the page: a `FragmentSelector` with
//!   `page=N&viewrect=left,top,width,height` (RFC 8118, in points from the page's top left
//!   corner, the rectangle around the fact's boxes on its first page) for a PDF, and
//!   `xywh=pixel:x,y,w,h` (Media Fragments) for an image.
//! - The whole fact record (less its span) is `annals:fact`, a JSON literal.
//!
//! [`write_annotations`] writes JSON Lines, one annotation per line, each with its
//! `@context`; [`write_annotation_collection`] one `AnnotationCollection` holding every
//! annotation in one `AnnotationPage`.

use crate::snapshot::Snapshot;
use crate::source::decode::{Encoding, decode_forced};
use crate::store::{StoredDocument, StoredFact};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::ops::Range;

/// Characters of context in `prefix` and `suffix`.
pub const CONTEXT_CHARS: usize = 32;

/// Options of the annotation export.
#[derive(Debug, Clone, Default)]
pub struct AnnotationOptions {
    /// Documents are `<base_url><percent-encoded id>` (for a server that serves them)
    /// instead of `urn:annals:doc:<percent-encoded id>`.
    pub base_url: Option<String>,
}

/// The JSON-LD context: the Web Annotation context and the `annals:` terms.
pub fn context() -> Value {
    json!([
        "http://www.w3.org/ns/anno.jsonld",
        {
            "annals": "urn:annals:vocab:",
            "annals:fact": { "@type": "@json" }
        }
    ])
}

/// Percent-encodes a document id for an IRI (keeps unreserved characters and `/`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The IRI of a document.
pub fn document_iri(doc: &str, opts: &AnnotationOptions) -> String {
    match &opts.base_url {
        Some(base) => format!("{base}{}", percent_encode(doc)),
        None => format!("urn:annals:doc:{}", percent_encode(doc)),
    }
}

/// A document's decoded text with, for every character, the bytes of the original file it
/// was decoded from: turns byte offsets into character (code point) offsets.
#[derive(Debug, Clone)]
pub struct CharIndex {
    text: String,
    /// Byte offset in `text` of each char, and `text.len()` at the end.
    char_at: Vec<usize>,
    /// Source byte range of each char.
    src_start: Vec<usize>,
    src_end: Vec<usize>,
}

impl CharIndex {
    /// Decodes `bytes` in `enc` (as stored; no detection, no normalization).
    pub fn new(bytes: &[u8], enc: Encoding) -> CharIndex {
        let mapped = decode_forced(bytes, enc);
        let text = mapped.as_str().to_string();
        let n = text.chars().count();
        let mut char_at = Vec::with_capacity(n + 1);
        let mut src_start = Vec::with_capacity(n);
        let mut src_end = Vec::with_capacity(n);
        for (i, c) in text.char_indices() {
            let r = mapped.source_range(i..i + c.len_utf8());
            char_at.push(i);
            src_start.push(r.start);
            src_end.push(r.end);
        }
        char_at.push(text.len());
        // Keep both sequences non-decreasing so that binary search is sound.
        for k in 1..src_start.len() {
            src_start[k] = src_start[k].max(src_start[k - 1]);
            src_end[k] = src_end[k].max(src_end[k - 1]);
        }
        CharIndex {
            text,
            char_at,
            src_start,
            src_end,
        }
    }

    /// The decoded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.src_start.len()
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.src_start.is_empty()
    }

    /// The characters decoded from the bytes `bytes`: from the first char that starts at or
    /// after `bytes.start` to the last that ends at or before `bytes.end`.
    pub fn char_range(&self, bytes: Range<usize>) -> Range<usize> {
        let start = self.src_start.partition_point(|&s| s < bytes.start);
        let end = self.src_end.partition_point(|&e| e <= bytes.end);
        start..end.max(start)
    }

    /// The text of the characters `chars`.
    pub fn slice(&self, chars: Range<usize>) -> &str {
        let n = self.len();
        let (s, e) = (chars.start.min(n), chars.end.min(n));
        &self.text[self.char_at[s]..self.char_at[e.max(s)]]
    }
}

/// One fact as a Web Annotation (without `@context`). `n` distinguishes facts of one kind
/// with the same span (0 for the first).
pub fn annotation(
    f: &StoredFact,
    doc: &StoredDocument,
    idx: &CharIndex,
    opts: &AnnotationOptions,
    n: usize,
) -> Value {
    let (bs, be) = (f.start as usize, f.end as usize);
    let chars = idx.char_range(bs..be);
    let exact = idx.slice(chars.clone());
    let prefix = idx.slice(chars.start.saturating_sub(CONTEXT_CHARS)..chars.start);
    let suffix = idx.slice(chars.end..chars.end + CONTEXT_CHARS);
    let r = &f.record;
    let sha: String = doc.sha256.chars().take(16).collect();
    let mut id = format!(
        "urn:annals:annotation:{sha}:{}:{}-{}",
        percent_encode(&f.kind),
        bs,
        be
    );
    if n > 0 {
        id.push_str(&format!(":{}", n + 1));
    }
    let class = match f.body.type_name().filter(|t| !t.is_empty()) {
        Some(t) if t != f.kind => format!("{}/{t}", f.kind),
        _ => f.kind.clone(),
    };
    let mut body = vec![json!({
        "type": "TextualBody",
        "purpose": "classifying",
        "value": class,
        "format": "text/plain",
    })];
    let described = f.body.describe();
    if !described.is_empty() {
        body.push(json!({
            "type": "TextualBody",
            "purpose": "describing",
            "value": described,
            "format": "text/plain",
        }));
    }
    let mut motivation = "describing";
    if f.kind == "mention" {
        motivation = "identifying";
        if let Some(q) = f.body.qid().filter(|q| q.starts_with('Q')) {
            body.push(json!({
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": format!("http://www.wikidata.org/entity/{q}"),
            }));
        }
    }
    let mut fact = Map::new();
    if let Value::Object(m) = r {
        for (k, v) in m {
            if !matches!(k.as_str(), "doc" | "start" | "end" | "text") {
                fact.insert(k.clone(), v.clone());
            }
        }
    }
    let mut selectors = vec![
        json!({
            "type": "TextQuoteSelector",
            "exact": exact,
            "prefix": prefix,
            "suffix": suffix,
        }),
        json!({
            "type": "TextPositionSelector",
            "start": chars.start,
            "end": chars.end,
        }),
    ];
    if let Some(sel) = f.place().and_then(|p| fragment_selector(&p, &doc.format)) {
        selectors.push(sel);
    }
    json!({
        "id": id,
        "type": "Annotation",
        "motivation": motivation,
        "created": doc.ingested_at,
        "generator": {
            "id": "urn:annals:software",
            "type": "Software",
            "name": format!("annals {}", env!("CARGO_PKG_VERSION")),
        },
        "body": body,
        "target": {
            "source": document_iri(&doc.id, opts),
            "selector": selectors,
            "annals:doc": doc.id,
            "annals:byteStart": bs,
            "annals:byteEnd": be,
            "annals:sha256": doc.sha256,
            "annals:encoding": doc.encoding,
            "annals:format": doc.format,
        },
        "annals:fact": Value::Object(fact),
    })
}

/// The selector of a fact's place on its page: RFC 8118's `page=N&viewrect=l,t,w,h` (points)
/// for a PDF, Media Fragments' `xywh=pixel:x,y,w,h` for an image; the rectangle holds the
/// fact's boxes on its first page. None without boxes.
pub fn fragment_selector(p: &crate::span::Place, format: &str) -> Option<Value> {
    let first = p.boxes.first()?;
    let r = p.boxes.iter().fold(*first, |r, b| r.union(b));
    let [x0, y0, x1, y1] = r.units();
    let n = |v: f64| {
        let s = format!("{:.2}", v.max(0.0));
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    Some(if format == "image" {
        json!({
            "type": "FragmentSelector",
            "conformsTo": "http://www.w3.org/TR/media-frags/",
            "value": format!("xywh=pixel:{},{},{},{}", n(x0), n(y0), n(x1 - x0), n(y1 - y0)),
        })
    } else {
        json!({
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc8118",
            "value": format!(
                "page={}&viewrect={},{},{},{}",
                p.page,
                n(x0),
                n(y0),
                n(x1 - x0),
                n(y1 - y0)
            ),
        })
    })
}

/// Calls `f` with every fact's annotation, by document (by id) and position.
pub fn for_each_annotation(
    snapshot: &Snapshot,
    opts: &AnnotationOptions,
    f: &mut dyn FnMut(Value) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut count = 0;
    for d in snapshot.docs() {
        if d.facts.is_empty() {
            continue;
        }
        let idx = CharIndex::new(&d.bytes, d.doc.encoding());
        let mut facts: Vec<&StoredFact> = snapshot.facts_of(&d.doc.id).map(|c| c.fact).collect();
        facts.sort_by_key(|x| (x.start, x.end, x.id));
        let mut seen: HashMap<(String, u64, u64), usize> = HashMap::new();
        for fact in facts {
            let n = seen
                .entry((fact.kind.clone(), fact.start, fact.end))
                .or_insert(0);
            let a = annotation(fact, &d.doc, &idx, opts, *n);
            *n += 1;
            f(a)?;
            count += 1;
        }
    }
    Ok(count)
}

/// Writes every fact as a Web Annotation, one JSON object per line (each with its
/// `@context`). Returns the number of annotations.
pub fn write_annotations(
    snapshot: &Snapshot,
    opts: &AnnotationOptions,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let ctx = context();
    for_each_annotation(snapshot, opts, &mut |a| {
        let mut m = Map::new();
        m.insert("@context".into(), ctx.clone());
        if let Value::Object(rest) = a {
            m.extend(rest);
        }
        writeln!(out, "{}", Value::Object(m))?;
        Ok(())
    })
}

/// Writes every fact as one `AnnotationCollection` (one page). Returns the number of
/// annotations.
pub fn write_annotation_collection(
    snapshot: &Snapshot,
    opts: &AnnotationOptions,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let mut items = Vec::new();
    let n = for_each_annotation(snapshot, opts, &mut |a| {
        items.push(a);
        Ok(())
    })?;
    let doc = json!({
        "@context": context(),
        "id": "urn:annals:annotations",
        "type": "AnnotationCollection",
        "label": "annals: every extracted fact",
        "total": n,
        "first": {
            "id": "urn:annals:annotations:page:1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(n)
}
