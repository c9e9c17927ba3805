//! What `/openapi.json` states beyond each handler's own annotation, written once:
//!
//! - the schemas of parameters whose limits the handlers check: a page's `offset` and
//!   `limit`, ISO dates, text that must not be blank, the vocabularies of filters (taken
//!   from the same data the handlers check against, so the document cannot drift from them);
//! - the answers every operation shares ([`complete`]): 421 when the request's `Host` is not
//!   the server's ([`super::HostCheck`]), 400 wherever a parameter or a body can be malformed;
//! - the body of a curation decision ([`Decision`]): one branch per action, each naming the
//!   targets it takes and the parts it needs.
//!
//! Patterns are regular expressions that read alike in ECMA-262 (the dialect of JSON Schema)
//! and in Python (what property-based testers such as schemathesis generate from): ASCII
//! classes and `\uXXXX` escapes only.

use std::borrow::Cow;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType,
    Type,
};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response};

/// Largest page any list returns.
pub const MAX_LIMIT: usize = 500;
/// Longest search query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 2000;

/// What Rust's `str::trim` removes (`char::is_whitespace`, Unicode White_Space), as the body of
/// a regular expression's class: what "blank" means in every check of the handlers.
pub const WHITE_SPACE: &str =
    r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Text holding something besides white space.
pub fn not_blank_pattern() -> String {
    format!("[^{WHITE_SPACE}]")
}

/// An ISO date or prefix as `curation::value::is_iso_prefix` takes it (`1978`, `1978-11`,
/// `1978-11-03`, `X` for an unknown digit; the date must exist, 29 February only in a leap
/// year or one with an unknown digit), or nothing; white space around it is dropped.
pub fn iso_prefix_pattern() -> String {
    let year = "[0-9X]{4}";
    let month = "(0[1-9]|1[0-2]|X[0-9X]|[0-9]X)";
    let unknown = "(X[0-9X]|[0-9]X)";
    // Days every month has, or with an unknown digit; 29 and 30 in every month but
    // February, 31 in the long months; any of them when the month has an unknown digit.
    let day = format!(
        "({month}-(X[0-9X]|[0-9]X|0[1-9]|1[0-9]|2[0-8])|{unknown}-(29|30|31)|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
    );
    let leap = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00|X[0-9X]{3}|[0-9]X[0-9X]{2}|[0-9]{2}X[0-9X]|[0-9]{3}X)";
    format!("^[{WHITE_SPACE}]*({year}(-{month}|-{day})?|{leap}-02-29)?[{WHITE_SPACE}]*$")
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn integer(min: impl Into<utoipa::Number>, max: impl Into<utoipa::Number>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(min))
        .maximum(Some(max))
}

/// Parameter schemas, each a type of its own so that a handler's parameter names it
/// (`#[param(inline, value_type = doc::Limit, required = false)]`) and keeps its description.
macro_rules! parameter_schemas {
    ($($(#[$doc:meta])* $name:ident => $schema:expr;)*) => {
        $(
            $(#[$doc])*
            pub struct $name;

            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    RefOr::T(Schema::Object($schema))
                }
            }

            impl utoipa::ToSchema for $name {}
        )*
    };
}

parameter_schemas! {
    /// `offset`: items to skip, any count (a window past the end is empty).
    Offset => integer(0usize, usize::MAX).build();
    /// `limit`: items to return, 1 to [`MAX_LIMIT`].
    Limit => integer(1usize, MAX_LIMIT).build();
    /// A page number: from 1, a `u32`.
    PageNumber => integer(1u32, u32::MAX).build();
    /// A search query (`/api/search`'s `q`).
    QueryWords => words(MAX_QUERY_CHARS);
    /// A question (`/api/ask`'s `q`).
    Question => words(MAX_QUESTION_CHARS);
    /// An ISO date or prefix, or blank for no bound.
    IsoPrefix => string().pattern(Some(iso_prefix_pattern())).build();
    /// A language code, or "" for any.
    Language => vocabulary(crate::text::lang::Lang::all().iter().map(|l| l.code()), true);
    /// A kind of fact a sentence holds, or "" for any.
    FactKind => vocabulary(crate::search::facets::KINDS, true);
    /// A field of the event ontology, or "" for any.
    EventField => vocabulary(
        crate::knowledge::events::ontology().fields.iter().map(String::as_str),
        true,
    );
    /// An event type of the ontology, or "" for any.
    EventType => vocabulary(
        crate::knowledge::events::ontology().types.keys().map(String::as_str),
        true,
    );
    /// An export format.
    ExportFormat => vocabulary(crate::export::Format::NAMES, false);
    /// What a CSV export lists.
    CsvKind => vocabulary(crate::export::csv::CsvKind::ALL.map(|k| k.name()), false);
}

/// Text that must say something: not blank, at most `max_chars` characters.
fn words(max_chars: usize) -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(max_chars))
        .pattern(Some(not_blank_pattern()))
        .build()
}

/// One of `values` exactly; with `blank`, also "" (no filter).
fn vocabulary<'a>(values: impl IntoIterator<Item = &'a str>, blank: bool) -> Object {
    let values: Vec<&str> = blank.then_some("").into_iter().chain(values).collect();
    string().enum_values(Some(values)).build()
}

/// The body of every error.
fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        Response::builder()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ErrorBody"))),
            )
            .build(),
    )
}

/// The operations of a path, in a fixed order.
fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

/// Adds the answers every operation shares, where its annotation does not give them: 421 to
/// every operation (the `Host` check runs before any handler), 400 to those with a parameter
/// or a body (one that does not parse: a number that is none, a percent-encoding that is no
/// UTF-8, a parameter given twice). A path parameter is never empty (an empty segment is
/// another path, answered 404).
pub fn complete(api: &mut OpenApi) {
    for item in api.paths.paths.values_mut() {
        for op in operations(item) {
            let params = op.parameters.as_deref().unwrap_or_default();
            let malformed = !params.is_empty() || op.request_body.is_some();
            let responses = &mut op.responses.responses;
            responses.entry("421".into()).or_insert_with(|| {
                error_response(
                    "The request names another host than this server's (`Host`): refused, against DNS rebinding",
                )
            });
            if malformed {
                responses.entry("400".into()).or_insert_with(|| {
                    error_response(
                        "A parameter or the body is invalid (the body says which and why)",
                    )
                });
            }
            for p in op.parameters.iter_mut().flatten() {
                if let RefOr::T(p) = p
                    && p.parameter_in == ParameterIn::Path
                    && let Some(RefOr::T(Schema::Object(o))) = &mut p.schema
                    && o.schema_type == SchemaType::Type(Type::String)
                    && o.min_length.is_none()
                {
                    o.min_length = Some(1);
                }
            }
        }
    }
}

/// An object with exactly the property `key`.
fn single(key: &str, value: impl Into<RefOr<Schema>>) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(key, value)
        .required(key)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .into()
}

/// The targets of a decision, each a component of its own.
const TARGETS: [&str; 5] = [
    "FactTarget",
    "SpanTarget",
    "EventTarget",
    "AuditTarget",
    "DocumentTarget",
];

fn targets() -> Vec<(String, RefOr<Schema>)> {
    let id = |d: &str| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .description(Some(d))
            .build()
    };
    let nullable =
        || ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null]));
    let span = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("doc", string().description(Some("Document id")))
        .property("start", integer(0u64, u64::MAX))
        .property("end", integer(0u64, u64::MAX))
        .property(
            "kind",
            nullable().description(Some("The fact's kind, when several facts share the span")),
        )
        .property(
            "type",
            nullable().description(Some("An event statement's type, when several share it")),
        )
        .required("doc")
        .required("start")
        .required("end")
        .description(Some(
            "A fact by its span: document and byte range (as the export gives them)",
        ));
    let schemas: [Schema; 5] = [
        single("fact", id("A fact by its current id")),
        single("span", span),
        single(
            "event",
            string().description(Some("An event by its current id (ev-…)")),
        ),
        single(
            "audit",
            id("An entry of the audit log (what `retract` undoes)"),
        ),
        single(
            "document",
            string().description(Some("A source's citation, by the document's id")),
        ),
    ];
    TARGETS
        .iter()
        .map(|n| n.to_string())
        .zip(schemas.into_iter().map(RefOr::T))
        .collect()
}

/// Any of the named targets.
fn target(names: &[&str]) -> RefOr<Schema> {
    let mut one = OneOfBuilder::new();
    for n in names {
        one = one.item(Ref::from_schema_name(*n));
    }
    RefOr::T(one.into())
}

/// The body of `POST /api/curation`, as `curation::NewDecision` reads it and
/// `curation::decide` checks it before it looks at the store.
pub struct Decision;

impl utoipa::PartialSchema for Decision {
    fn schema() -> RefOr<Schema> {
        use crate::curation::value::{EVENT_FIELDS, SOURCE_FIELDS};
        let any_value = || ObjectBuilder::new().schema_type(SchemaType::AnyValue);
        let not_null = || {
            ObjectBuilder::new().schema_type(SchemaType::from_iter([
                Type::String,
                Type::Number,
                Type::Boolean,
                Type::Array,
                Type::Object,
            ]))
        };
        let with = || ArrayBuilder::new().items(string());
        // One branch: the actions it covers, the targets they take, and what they need
        // beyond the parts every decision has.
        let branch = |actions: &[&str],
                      targets: &[&str],
                      needs: Vec<(&str, RefOr<Schema>)>,
                      note: &str|
         -> Schema {
            let mut o = ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(note))
                .property(
                    "action",
                    string().enum_values(Some(actions.to_vec())),
                )
                .property("target", target(targets))
                .property(
                    "reason",
                    string()
                        .pattern(Some(not_blank_pattern()))
                        .description(Some("Why (required, not blank)")),
                )
                .property(
                    "who",
                    string()
                        .pattern(Some(not_blank_pattern()))
                        .description(Some("Who decides (required, not blank)")),
                )
                .property(
                    "request_id",
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                        .min_length(Some(1))
                        .max_length(Some(200))
                        .pattern(Some("^[^\\u0000-\\u001f\\u007f-\\u009f]*$"))
                        .description(Some(
                            "The client's id for this decision (1 to 200 characters, no control characters): a retry with the same id returns the entry already recorded",
                        )),
                )
                .property(
                    "field",
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::String, Type::Null])),
                )
                .property("value", any_value())
                .property("with", with())
                .property(
                    "statement",
                    RefOr::T(
                        OneOfBuilder::new()
                            .item(Ref::from_schema_name("FactTarget"))
                            .item(Ref::from_schema_name("SpanTarget"))
                            .item(Ref::from_schema_name("EventTarget"))
                            .item(Ref::from_schema_name("AuditTarget"))
                            .item(Ref::from_schema_name("DocumentTarget"))
                            .item(ObjectBuilder::new().schema_type(Type::Null))
                            .into(),
                    ),
                );
            for req in ["action", "target", "reason", "who"] {
                o = o.required(req);
            }
            for (name, schema) in needs {
                o = o.property(name, schema).required(name);
            }
            o.into()
        };
        let fields = |names: &[&str]| RefOr::T(string().enum_values(Some(names.to_vec())).into());
        let edit = |names: Option<&[&str]>| {
            vec![
                (
                    "field",
                    names.map_or_else(|| RefOr::T(string().into()), fields),
                ),
                ("value", RefOr::T(not_null().into())),
            ]
        };
        let branches = [
            branch(
                &["confirm", "reject"],
                &["FactTarget", "SpanTarget", "EventTarget"],
                vec![],
                "The value of a fact or an event is right (confirm) or wrong (reject)",
            ),
            branch(
                &["edit"],
                &["FactTarget", "SpanTarget"],
                edit(None),
                "A field of a fact gets another value: a field its record has (timex and event statement: date; mention: entity; any value field of the record), a value of the machine's type",
            ),
            branch(
                &["edit"],
                &["EventTarget"],
                edit(Some(&EVENT_FIELDS)),
                "A field of an event gets another value (date: an ISO date or interval; type and field: the ontology's; participants: names)",
            ),
            branch(
                &["edit"],
                &["DocumentTarget"],
                edit(Some(&SOURCE_FIELDS)),
                "A source's citation is corrected (year: 1 to 2100; authors: names; pages: A-B; the rest one line of text)",
            ),
            branch(
                &["merge"],
                &["EventTarget"],
                vec![("with", RefOr::T(with().min_items(Some(1)).into()))],
                "The events `with` are the same event as the target",
            ),
            branch(
                &["split"],
                &["EventTarget"],
                vec![("statement", target(&["FactTarget", "SpanTarget"]))],
                "A statement of the event becomes an event of its own",
            ),
            branch(
                &["retract"],
                &["AuditTarget"],
                vec![],
                "Undoes an earlier decision (its audit entry)",
            ),
        ];
        let mut one = OneOfBuilder::new().description(Some(
            "A curation decision: one of these shapes, by its action and target",
        ));
        for b in branches {
            one = one.item(b);
        }
        RefOr::T(one.into())
    }
}

impl utoipa::ToSchema for Decision {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Decision")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.extend(targets());
    }
}
