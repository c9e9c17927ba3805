//! Facts, typed end to end: what an extractor found, with the span that states it.
//!
//! A [`Fact`] is its [`Evidence`] and a [`FactBody`]: one variant per kind of the export
//! contract (`shared/eval/README.md`), each a struct with the kind's fields and their types
//! (dates as [`Point`], numbers as `f64`, languages as [`Lang`]). Extractors emit these; the
//! store serializes a fact once, as its record (`kind`, `doc`, `start`, `end`, `text` and the
//! body's fields), and reads it back once into this type, so no reader re-parses JSON by
//! field name.
//!
//! Kinds this module does not know (an extractor added by a plugin or a test) travel as
//! [`FactBody::Other`], their fields kept as they are.
//!
//! This is the bottom floor of the read side: it imports nothing above `text` and `span`.

pub mod date;

pub use date::Point;

use crate::span::Evidence;
use crate::text::lang::Lang;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// One extracted fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The span of the original source that states the fact.
    pub evidence: Evidence,
    /// The kind and its fields.
    pub body: FactBody,
}

impl Fact {
    /// The record kind in the export contract ("timex", "quantity", "mention", ...).
    pub fn kind(&self) -> &str {
        self.body.kind()
    }

    /// The body's fields as the export writes them (without `kind` and the span), for
    /// readers that want the contract's JSON view.
    pub fn fields(&self) -> Map<String, Value> {
        self.body.fields()
    }
}

/// A span of the source, as byte offsets (`{"start": …, "end": …}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct At {
    pub start: usize,
    pub end: usize,
}

impl At {
    /// The range `start..end`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// The kind's own fields of every fact.
#[derive(Debug, Clone, PartialEq)]
pub enum FactBody {
    /// A date or an interval.
    Timex(Timex),
    /// A relative expression nothing anchors ("last year" with no date in sight); no value
    /// is guessed (`value_start` is `XXXX`).
    TimexUnresolved(Timex),
    /// A length of time ("three years"), not a point in time.
    Duration(Timex),
    /// An amount with its unit, scale, measure and period.
    Quantity(Quantity),
    /// A name of a known entity.
    Mention(Mention),
    /// An event as one sentence states it.
    EventStatement(EventStatement),
    /// A table read from the text.
    Table(Table),
    /// A kind this module does not know: its fields as they are.
    Other {
        kind: String,
        fields: Map<String, Value>,
    },
}

impl FactBody {
    /// The kind's name in the export contract.
    pub fn kind(&self) -> &str {
        match self {
            FactBody::Timex(_) => "timex",
            FactBody::TimexUnresolved(_) => "timex_unresolved",
            FactBody::Duration(_) => "duration",
            FactBody::Quantity(_) => "quantity",
            FactBody::Mention(_) => "mention",
            FactBody::EventStatement(_) => "event_statement",
            FactBody::Table(_) => "table",
            FactBody::Other { kind, .. } => kind,
        }
    }

    /// The fields as the export writes them, without `kind`.
    pub fn fields(&self) -> Map<String, Value> {
        let r = match self {
            FactBody::Timex(x) | FactBody::TimexUnresolved(x) | FactBody::Duration(x) => {
                serde_json::to_value(x)
            }
            FactBody::Quantity(x) => serde_json::to_value(x),
            FactBody::Mention(x) => serde_json::to_value(x),
            FactBody::EventStatement(x) => serde_json::to_value(x),
            FactBody::Table(x) => serde_json::to_value(x),
            FactBody::Other { fields, .. } => return fields.clone(),
        };
        match r {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }

    /// Reads a record (an export record or a body with its `kind`). Fields beyond the
    /// kind's (`doc`, `start`, `end`, `text`, `curation`) are ignored.
    ///
    /// Errors: the record has no `kind`, or a known kind's field has the wrong type.
    pub fn from_record(r: &Value) -> Result<FactBody, serde_json::Error> {
        use serde::de::Error;
        let kind = r
            .get("kind")
            .and_then(Value::as_str)
            .ok_or_else(|| serde_json::Error::custom("a fact record needs a kind"))?;
        Ok(match kind {
            "timex" => FactBody::Timex(Timex::deserialize(r)?),
            "timex_unresolved" => FactBody::TimexUnresolved(Timex::deserialize(r)?),
            "duration" => FactBody::Duration(Timex::deserialize(r)?),
            "quantity" => FactBody::Quantity(Quantity::deserialize(r)?),
            "mention" => FactBody::Mention(Mention::deserialize(r)?),
            "event_statement" => FactBody::EventStatement(EventStatement::deserialize(r)?),
            "table" => FactBody::Table(Table::deserialize(r)?),
            other => {
                let mut fields = r.as_object().cloned().unwrap_or_default();
                for k in [
                    "kind",
                    "doc",
                    "start",
                    "end",
                    "text",
                    "curation",
                    "page",
                    "boxes",
                    "ocr",
                    "ocr_confidence",
                ] {
                    fields.remove(k);
                }
                FactBody::Other {
                    kind: other.to_string(),
                    fields,
                }
            }
        })
    }

    /// The date or interval of a timex (of any of its three kinds).
    pub fn timex(&self) -> Option<&Timex> {
        match self {
            FactBody::Timex(x) | FactBody::TimexUnresolved(x) | FactBody::Duration(x) => Some(x),
            _ => None,
        }
    }

    /// The quantity, when this is one.
    pub fn quantity(&self) -> Option<&Quantity> {
        match self {
            FactBody::Quantity(x) => Some(x),
            _ => None,
        }
    }

    /// The mention, when this is one.
    pub fn mention(&self) -> Option<&Mention> {
        match self {
            FactBody::Mention(x) => Some(x),
            _ => None,
        }
    }

    /// The event statement, when this is one.
    pub fn event(&self) -> Option<&EventStatement> {
        match self {
            FactBody::EventStatement(x) => Some(x),
            _ => None,
        }
    }

    /// The table, when this is one.
    pub fn table(&self) -> Option<&Table> {
        match self {
            FactBody::Table(x) => Some(x),
            _ => None,
        }
    }
}

impl FactBody {
    /// The normalized value in one line: a timex's `start/end`, a duration's ISO length, a
    /// quantity's value, a mention's entity, an event statement's `type date`, a table's
    /// caption; for another kind its `value`, `entity`, `label` or `type` field.
    pub fn value_text(&self) -> String {
        let span = |a: Option<Point>, b: Option<Point>| {
            let a = a.map(|p| p.iso()).unwrap_or_default();
            match b.map(|p| p.iso()) {
                Some(b) if !b.is_empty() && a != b => format!("{a}/{b}"),
                _ => a,
            }
        };
        match self {
            FactBody::Timex(t) => span(t.value_start, t.value_end),
            FactBody::Duration(t) => match &t.duration {
                Some(d) if !d.is_empty() => d.clone(),
                _ => t.value_start.map(|p| p.iso()).unwrap_or_default(),
            },
            FactBody::TimexUnresolved(t) => t.ty.clone(),
            FactBody::Quantity(q) => number_text(q.value),
            FactBody::Mention(m) => m.entity.clone(),
            FactBody::EventStatement(e) => format!("{} {}", e.ty, span(e.date_start, e.date_end))
                .trim()
                .to_string(),
            FactBody::Table(t) => t.caption.clone().unwrap_or_default(),
            FactBody::Other { fields, .. } => ["value", "entity", "label", "type"]
                .iter()
                .map(|k| field_text(fields, k))
                .find(|x| !x.is_empty())
                .unwrap_or_default(),
        }
    }

    /// What the fact says, for a reader, in one line: a timex's EDTF, a quantity's value
    /// with its unit and measure, an event statement's summary; else [`FactBody::value_text`].
    pub fn describe(&self) -> String {
        match self {
            FactBody::Timex(t) => match &t.edtf {
                Some(e) if !e.is_empty() => e.clone(),
                _ => self.value_text(),
            },
            FactBody::Quantity(q) => {
                let v = number_text(q.value);
                let mut s = if q.unit.is_empty() {
                    v
                } else {
                    format!("{v} {}", q.unit)
                };
                if let Some(m) = q.measure.as_deref().filter(|m| !m.is_empty()) {
                    s = format!("{s}; {m}");
                }
                s
            }
            FactBody::EventStatement(e) if !e.summary.is_empty() => e.summary.clone(),
            FactBody::EventStatement(e) if !e.label.is_empty() => e.label.clone(),
            _ => self.value_text(),
        }
    }

    /// The unit of a quantity or a table.
    pub fn unit(&self) -> Option<String> {
        match self {
            FactBody::Quantity(q) => Some(q.unit.clone()),
            FactBody::Table(t) => t.unit.clone(),
            FactBody::Other { fields, .. } => {
                Some(field_text(fields, "unit")).filter(|x| !x.is_empty())
            }
            _ => None,
        }
    }

    /// The type of a timex or an event statement.
    pub fn type_name(&self) -> Option<String> {
        match self {
            FactBody::Timex(t) | FactBody::TimexUnresolved(t) | FactBody::Duration(t) => {
                Some(t.ty.clone())
            }
            FactBody::EventStatement(e) => Some(e.ty.clone()),
            FactBody::Other { fields, .. } => {
                Some(field_text(fields, "type")).filter(|x| !x.is_empty())
            }
            _ => None,
        }
    }

    /// The Wikidata id of a mention's entity.
    pub fn qid(&self) -> Option<String> {
        match self {
            FactBody::Mention(m) => m.qid.clone(),
            FactBody::Other { fields, .. } => {
                Some(field_text(fields, "qid")).filter(|x| !x.is_empty())
            }
            _ => None,
        }
    }

    /// The language of the passage that states the fact.
    pub fn lang(&self) -> Option<Lang> {
        match self {
            FactBody::Timex(t) | FactBody::TimexUnresolved(t) | FactBody::Duration(t) => {
                Some(t.lang)
            }
            FactBody::Quantity(q) => Some(q.lang),
            FactBody::EventStatement(e) => Some(e.lang),
            FactBody::Table(t) => t.lang,
            FactBody::Mention(_) => None,
            FactBody::Other { fields, .. } => fields
                .get("lang")
                .and_then(Value::as_str)
                .and_then(Lang::from_code),
        }
    }
}

/// A number as the contract writes it (whole numbers without a fraction), as text.
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        (v as i64).to_string()
    } else {
        serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string())
    }
}

/// A field of an unknown kind as text (arrays joined by "; ").
fn field_text(fields: &Map<String, Value>, k: &str) -> String {
    match fields.get(k) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(x)) => x.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}

impl Serialize for FactBody {
    /// `{"kind": …, fields…}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = self.fields();
        m.insert("kind".into(), self.kind().into());
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for FactBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FactBody, D::Error> {
        let v = Value::deserialize(d)?;
        FactBody::from_record(&v).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for FactBody {
    /// One of the kinds' bodies; a record carries `kind` (which one), `doc`, `start`, `end`
    /// and `text` beside them.
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{OneOfBuilder, Ref};
        OneOfBuilder::new()
            .description(Some(
                "A fact's fields, by its kind (timex, timex_unresolved and duration: Timex; \
                 quantity; mention; event_statement; table). The record adds kind, doc, start, \
                 end (byte offsets into the original file) and text.",
            ))
            .item(Ref::from_schema_name("Timex"))
            .item(Ref::from_schema_name("Quantity"))
            .item(Ref::from_schema_name("Mention"))
            .item(Ref::from_schema_name("EventStatement"))
            .item(Ref::from_schema_name("Table"))
            .into()
    }
}

impl utoipa::ToSchema for FactBody {
    fn schemas(
        out: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        fn add<T: utoipa::ToSchema>(
            out: &mut Vec<(
                String,
                utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
            )>,
        ) {
            out.push((T::name().into_owned(), T::schema()));
            T::schemas(out);
        }
        add::<Timex>(out);
        add::<Quantity>(out);
        add::<Mention>(out);
        add::<EventStatement>(out);
        add::<Table>(out);
    }
}

/// Writes a number as the contract does: an integer when the value is whole.
pub mod whole {
    use serde::Serializer;

    /// Serializes `v` as an integer when whole (and small enough to be exact).
    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            s.serialize_i64(*v as i64)
        } else {
            s.serialize_f64(*v)
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The year a two-digit or elided year was completed from ("'79" → 1979).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct YearFrom {
    pub start: usize,
    pub end: usize,
    pub value: String,
}

/// A date, an interval, a duration or an unresolved relative expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Timex {
    /// First day's point at the expression's granularity; `None` for durations and times
    /// of day.
    #[schema(value_type = Option<String>, example = "1950-01")]
    pub value_start: Option<Point>,
    /// Last point (equal to `value_start` for a single date).
    #[schema(value_type = Option<String>)]
    pub value_end: Option<Point>,
    /// "date", "interval", "relative", "citation", "duration", "vague", "clock"...
    #[serde(rename = "type")]
    pub ty: String,
    /// "early", "mid", "late", "before", "after"...
    #[serde(rename = "mod")]
    pub modifier: Option<String>,
    pub approx: bool,
    /// The value in EDTF (seasons, uncertainty).
    pub edtf: Option<String>,
    /// Where an incomplete year was completed from.
    pub year_from: Option<YearFrom>,
    #[schema(value_type = String)]
    pub lang: Lang,
    /// For a citation year: what kind of expression it would have been.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited_as: Option<String>,
    /// For a duration: ISO 8601 duration ("P3Y").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    /// Two readings were possible (a day/month order).
    #[serde(default, skip_serializing_if = "is_false")]
    pub ambiguous: bool,
    /// A two-digit year whose century was assumed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub century_assumed: bool,
    /// A time of day ("14:30").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
    /// The document's reference date: its dateline or date line, what its deictic
    /// expressions ("yesterday", "this weekend") and the acts its news reports as just done
    /// ("has signed") count from.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reference: bool,
}

impl Timex {
    /// Whether this is a point or interval in time (not a citation, a duration, an
    /// unresolved or a vague expression, a time of day) with a known start.
    pub fn is_calendar(&self) -> bool {
        !matches!(
            self.ty.as_str(),
            "citation" | "duration" | "relative" | "vague" | "clock"
        ) && self.value_start.is_some()
    }
}

/// The period an amount is for: a timex of its sentence, or a year near it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Period {
    #[schema(value_type = Option<String>)]
    pub value_start: Option<Point>,
    #[schema(value_type = Option<String>)]
    pub value_end: Option<Point>,
    /// The timex it comes from, when one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timex: Option<At>,
}

/// Whether a quantity unit is a currency (an ISO 4217 code: the units of money the quantity
/// data knows are written so, "RUB", "USD"; no other unit is three capital letters).
pub fn is_currency(unit: &str) -> bool {
    unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_uppercase())
}

/// An amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Quantity {
    /// The number as written, read ("1,5" → 1.5).
    #[serde(serialize_with = "whole::serialize")]
    pub number: f64,
    pub number_text: String,
    /// The scale word's factor ("million" → 1e6); 1 when none.
    #[serde(serialize_with = "whole::serialize")]
    pub scale: f64,
    /// `number × scale`.
    #[serde(serialize_with = "whole::serialize")]
    pub value: f64,
    /// "RUB", "USD", "person", "percent", "t"...
    pub unit: String,
    /// "transferable" (rubles), "current prices"...
    pub unit_qualifier: Option<String>,
    /// What is counted ("students", "specialists").
    pub counted: Option<String>,
    /// What the amount measures ("trade turnover", "aid").
    pub measure: Option<String>,
    /// "about", "over", "nearly"...
    pub approx: Option<String>,
    /// The decimal mark could be read either way.
    pub decimal_ambiguous: bool,
    #[schema(value_type = String)]
    pub lang: Lang,
    pub period: Option<Period>,
}

/// A name of a gazetteer entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Mention {
    /// The entity's English label.
    pub entity: String,
    pub entity_id: String,
    /// Wikidata id.
    pub qid: Option<String>,
    /// "country", "person", "organization", "city"...
    pub entity_type: String,
    /// Its labels in the other languages.
    pub entity_labels: Vec<String>,
    /// 0..1, three decimals.
    pub confidence: f64,
    /// How it matched: "exact", "folded", "inflected", "fuzzy", "context"...
    pub matched: String,
    /// Inside a longer name.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nested: bool,
}

/// A participant and its role in one statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Role {
    pub entity: String,
    pub role: Option<String>,
}

/// "the first … after X, tied with Y".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ordinal {
    pub rank: i64,
    pub after: Vec<String>,
    pub tied_with: Vec<String>,
}

/// An event as one sentence states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventStatement {
    /// The ontology's type ("visit", "treaty", ...).
    #[serde(rename = "type")]
    pub ty: String,
    pub label: String,
    pub field: String,
    #[schema(value_type = Option<String>)]
    pub date_start: Option<Point>,
    #[schema(value_type = Option<String>)]
    pub date_end: Option<Point>,
    pub date_text: String,
    pub date_span: At,
    /// Where the date came from: "sentence", "paragraph", "heading"...
    pub date_origin: String,
    pub participants: Vec<String>,
    pub participant_ids: Vec<String>,
    pub roles: Vec<Role>,
    pub place: Option<String>,
    /// Treaties, wars, conferences named.
    pub about: Vec<String>,
    pub trigger: String,
    pub trigger_span: At,
    /// "positive" or "negative".
    pub polarity: String,
    /// "asserted" or "planned".
    pub modality: String,
    /// Stated in a subordinate clause.
    pub circumstance: bool,
    pub ordinal: Option<Ordinal>,
    #[schema(value_type = String)]
    pub lang: Lang,
    pub summary: String,
}

/// A cell value: a number, a text, or empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum CellValue {
    Number(#[serde(serialize_with = "whole::serialize")] f64),
    Text(String),
}

/// Where a cell is in the source, and how it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CellSpan {
    pub start: usize,
    pub end: usize,
    /// A range cell ("12–15").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<f64>>)]
    pub range: Option<[CellNumber; 2]>,
    /// A ratio cell ("3/4").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<f64>>)]
    pub ratio: Option<[CellNumber; 2]>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub percent: bool,
    /// A mark that says "none" ("-", "—").
    #[serde(default, skip_serializing_if = "is_false")]
    pub empty_mark: bool,
    /// A value in brackets after the cell's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub sub: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_span: Option<At>,
}

/// A number of a range or ratio cell (written whole when whole).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CellNumber(#[serde(serialize_with = "whole::serialize")] pub f64);

/// A table read from the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Table {
    /// Unique in its document ("bảng-2", "table-3").
    pub id: String,
    pub label: Option<String>,
    pub caption: Option<String>,
    pub unit: Option<String>,
    pub columns: Vec<String>,
    /// Cell values by row.
    #[schema(value_type = Vec<Vec<Object>>)]
    pub rows: Vec<Vec<Option<CellValue>>>,
    /// Cell spans by row (`None` for a cell not in the source).
    pub cells: Vec<Vec<Option<CellSpan>>>,
    pub source: Option<String>,
    pub notes: Vec<String>,
    pub ambiguous: bool,
    #[schema(value_type = Option<String>)]
    pub lang: Option<Lang>,
    /// The year or years each column header names.
    pub column_periods: Vec<Option<[i32; 2]>>,
    /// A unit per row, when rows have their own.
    pub row_units: Vec<Option<String>>,
}

/// Records written by hand (tests, tools): a known kind's fields at their empty values.
#[doc(hidden)]
pub mod testing {
    use serde_json::{Value, json};

    /// `fields` (an object) over the empty record of `kind`, with `kind` set: every field
    /// the kind needs is there, so the result reads back with [`super::FactBody::from_record`].
    pub fn record(kind: &str, fields: Value) -> Value {
        let mut base = match kind {
            "timex" | "timex_unresolved" | "duration" => json!({
                "value_start": null, "value_end": null, "type": "date", "mod": null,
                "approx": false, "edtf": null, "year_from": null, "lang": "en"}),
            "quantity" => json!({
                "number": 0, "number_text": "", "scale": 1, "value": 0, "unit": "",
                "unit_qualifier": null, "counted": null, "measure": null, "approx": null,
                "decimal_ambiguous": false, "lang": "en", "period": null}),
            "mention" => json!({
                "entity": "", "entity_id": "", "qid": null, "entity_type": "other",
                "entity_labels": [], "confidence": 1.0, "matched": "exact"}),
            "event_statement" => json!({
                "type": "other", "label": "", "field": "", "date_start": null,
                "date_end": null, "date_text": "", "date_span": {"start": 0, "end": 0},
                "date_origin": "sentence", "participants": [], "participant_ids": [],
                "roles": [], "place": null, "about": [], "trigger": "",
                "trigger_span": {"start": 0, "end": 0}, "polarity": "positive",
                "modality": "asserted", "circumstance": false, "ordinal": null,
                "lang": "en", "summary": ""}),
            "table" => json!({
                "id": "", "label": null, "caption": null, "unit": null, "columns": [],
                "rows": [], "cells": [], "source": null, "notes": [], "ambiguous": false,
                "lang": null, "column_periods": [], "row_units": []}),
            _ => json!({}),
        };
        if let (Value::Object(b), Value::Object(f)) = (&mut base, fields) {
            b.extend(f);
        }
        base["kind"] = kind.into();
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_reads_back_into_the_same_body() {
        let r = json!({
            "kind": "quantity", "doc": "d", "start": 1, "end": 9, "text": "5 million",
            "number": 5, "number_text": "5", "scale": 1000000, "value": 5000000,
            "unit": "RUB", "unit_qualifier": null, "counted": null, "measure": "trade",
            "approx": null, "decimal_ambiguous": false, "lang": "en",
            "period": {"value_start": "1985", "value_end": "1985",
                       "timex": {"start": 20, "end": 24}}
        });
        let b = FactBody::from_record(&r).unwrap();
        let q = b.quantity().unwrap();
        assert_eq!(q.value, 5e6);
        assert_eq!(
            q.period.as_ref().unwrap().value_start,
            Some(Point::year(1985))
        );
        let mut back = serde_json::to_value(&b).unwrap();
        for (k, v) in [("doc", json!("d")), ("start", json!(1)), ("end", json!(9))] {
            back[k] = v;
        }
        back["text"] = json!("5 million");
        assert_eq!(back, r);
    }

    #[test]
    fn an_unknown_kind_keeps_its_fields() {
        let r = json!({"kind": "year", "doc": "d", "start": 0, "end": 4, "text": "1978",
                       "years": 2});
        let b = FactBody::from_record(&r).unwrap();
        assert_eq!(b.kind(), "year");
        assert_eq!(b.fields().get("years"), Some(&json!(2)));
        assert!(b.fields().get("doc").is_none());
    }

    #[test]
    fn a_wrong_field_type_is_an_error_not_a_default() {
        let r = json!({"kind": "mention", "entity": 3});
        assert!(FactBody::from_record(&r).is_err());
        assert!(FactBody::from_record(&json!({"entity": "x"})).is_err());
    }
}
