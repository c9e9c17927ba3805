//! Evidence: where in which source a fact is stated.

use serde::{Deserialize, Serialize};

/// A range of the original bytes of one source, with the text those bytes decode to.
///
/// Guarantee: `text == decode(source_bytes[start..end])` (NFC), for every span annals
/// produces. This is what makes every fact checkable against its source.
///
/// For a PDF or an image, the "original bytes" are the text annals read from it (its text
/// layer or its OCR; `annals text DOC` prints it), and [`Span::place`] says where on which
/// page the span stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Document id: the path relative to the folder given to `ingest`.
    pub doc: String,
    /// Byte offset of the first byte, in the file as stored on disk (for a PDF or an image,
    /// in the text annals read from it).
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    pub text: String,
    /// Where the span stands on a page of a PDF or an image; `None` for a text document.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
}

impl Span {
    /// True when both spans are in one document and share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.doc == other.doc && self.start < other.end && other.start < self.end
    }
}

/// The evidence of a fact: the span that states it (more spans when a later layer merges
/// statements of one fact).
pub type Evidence = Span;

/// Where a span stands on the page: the page of its first character and one rectangle per
/// line it covers on that page.
///
/// Boxes are in PDF points (1/72 inch) from the page's top left corner for a PDF, in pixels
/// for an image. A span that runs onto the next page (a sentence across a page break) keeps
/// the page of its start and the boxes of its lines there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    /// 1-based page number of the span's first character.
    pub page: u32,
    /// One rectangle per line the span covers on `page`, in reading order.
    pub boxes: Vec<Rect>,
    /// True when the text of the span was read by OCR (not a PDF's text layer).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
    /// The OCR engine's mean word confidence over the span, 0..=100 (OCR'd text only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<Conf>,
}

/// An axis-aligned rectangle `[x0, y0, x1, y1]`, top-left origin, in hundredths of the
/// page's unit (so that rectangles compare and hash exactly); serialized as numbers of the
/// unit with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect(pub [i32; 4]);

impl Rect {
    /// From coordinates in the page's unit (rounded to hundredths).
    pub fn from_units(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        let c = |v: f64| (v * 100.0).round().clamp(i32::MIN as f64, i32::MAX as f64) as i32;
        Rect([c(x0), c(y0), c(x1), c(y1)])
    }

    /// The coordinates in the page's unit.
    pub fn units(&self) -> [f64; 4] {
        self.0.map(|v| v as f64 / 100.0)
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        Rect([
            self.0[0].min(o.0[0]),
            self.0[1].min(o.0[1]),
            self.0[2].max(o.0[2]),
            self.0[3].max(o.0[3]),
        ])
    }
}

impl Serialize for Rect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.units().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Rect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rect, D::Error> {
        let [x0, y0, x1, y1] = <[f64; 4]>::deserialize(d)?;
        Ok(Rect::from_units(x0, y0, x1, y1))
    }
}

/// A confidence 0..=100 kept in tenths (so that it compares and hashes exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Conf(pub u16);

impl Conf {
    pub fn from_percent(v: f64) -> Conf {
        Conf((v.clamp(0.0, 100.0) * 10.0).round() as u16)
    }
    pub fn percent(&self) -> f64 {
        self.0 as f64 / 10.0
    }
}

impl Serialize for Conf {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.percent().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Conf {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Conf, D::Error> {
        Ok(Conf::from_percent(f64::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_without_a_place_serializes_as_before() {
        let s = Span {
            doc: "a.txt".into(),
            start: 1,
            end: 3,
            text: "ab".into(),
            place: None,
        };
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"doc": "a.txt", "start": 1, "end": 3, "text": "ab"})
        );
        assert_eq!(serde_json::from_value::<Span>(v).unwrap(), s);
    }

    #[test]
    fn a_place_serializes_beside_the_span_and_reads_back() {
        let s = Span {
            doc: "a.pdf".into(),
            start: 0,
            end: 4,
            text: "1945".into(),
            place: Some(Place {
                page: 2,
                boxes: vec![Rect::from_units(10.0, 20.5, 40.25, 31.0)],
                ocr: true,
                ocr_confidence: Some(Conf::from_percent(91.46)),
            }),
        };
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["page"], 2);
        assert_eq!(v["boxes"], serde_json::json!([[10.0, 20.5, 40.25, 31.0]]));
        assert_eq!(v["ocr_confidence"], 91.5);
        assert_eq!(serde_json::from_value::<Span>(v).unwrap(), s);
    }
}
