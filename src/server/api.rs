//! The JSON API. Every handler is annotated for OpenAPI (`utoipa`), and the router is built
//! from the same annotations (`utoipa_axum::routes!`), so `/openapi.json` cannot drift from
//! the handlers. Lists are paginated (`offset`, `limit`, and `total` in the answer); errors
//! are `{"error": {"status", "reason"}}`. Every parameter's schema states what its handler
//! checks (`super::openapi`), and every status a handler can answer is declared: those all
//! operations share (421, 400) once, in `super::openapi::complete`.

use super::error::{ApiError, ErrorBody};
use super::openapi as doc;
use super::state::{AppState, IngestStatus, View};
use crate::history::timeline::{Filter, filter};
use crate::search::SearchRequest;
use crate::text::lang::{ByLang, Lang};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use utoipa::{IntoParams, IntoResponses, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The limits the handlers check, stated where `/openapi.json` states them.
pub use super::openapi::{MAX_LIMIT, MAX_QUERY_CHARS, MAX_QUESTION_CHARS};
const DEFAULT_LIMIT: usize = 50;

/// 500: a handler that reads the store or the search index failed to.
#[derive(IntoResponses)]
pub enum Internal {
    /// The store or the search index could not be read (the reason says what failed).
    #[response(status = 500)]
    Failed(ErrorBody),
}

/// 503: a handler that runs a query under the server's limits (`--query-timeout-ms`, at
/// most 64 queries at once) gave up.
#[derive(IntoResponses)]
pub enum Busy {
    /// The server is busy (no query slot freed in time), or the query took longer than the
    /// timeout and was abandoned; the reason says which.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// A parameter's value from a closed vocabulary, as `/openapi.json` lists it: absent or ""
/// is none; anything else must be one of `allowed`, exactly.
fn one_of<'a>(
    name: &str,
    value: Option<&str>,
    allowed: impl IntoIterator<Item = &'a str>,
) -> Result<Option<String>, ApiError> {
    let Some(v) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let allowed: Vec<&str> = allowed.into_iter().collect();
    if allowed.contains(&v) {
        return Ok(Some(v.to_string()));
    }
    Err(ApiError::bad_request(format!(
        "{name} must be one of {}, not {v:?}",
        allowed.join(", ")
    )))
}

type S = State<Arc<AppState>>;

/// The API's routes with their OpenAPI description.
pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(document_page))
        .routes(routes!(search))
        .routes(routes!(timeline))
        .routes(routes!(event))
        .routes(routes!(entities))
        .routes(routes!(entity))
        .routes(routes!(series_list))
        .routes(routes!(series_one))
        .routes(routes!(conflicts))
        .routes(routes!(tables))
        .routes(routes!(table))
        .routes(routes!(ask))
        .routes(routes!(documents))
        .routes(routes!(document))
        .routes(routes!(document_text))
        .routes(routes!(export))
        .routes(routes!(curate))
        .routes(routes!(audit))
}

/// Paging of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Items to skip (default 0).
    #[param(inline, value_type = doc::Offset, required = false)]
    pub offset: Option<usize>,
    /// Items to return (default 50, at most 500).
    #[param(inline, value_type = doc::Limit, required = false)]
    pub limit: Option<usize>,
}

impl Paging {
    fn window(&self) -> Result<(usize, usize), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}, not {limit}"
            )));
        }
        Ok((self.offset.unwrap_or(0), limit))
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// Items in the whole list (after filters).
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub items: Vec<T>,
}

fn page<T: Clone>(all: &[T], offset: usize, limit: usize) -> Page<T> {
    Page {
        total: all.len(),
        offset,
        limit,
        items: all.iter().skip(offset).take(limit).cloned().collect(),
    }
}

/// The store's counts and the ingest's progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    pub documents: usize,
    pub events: usize,
    pub series: usize,
    pub conflicts: usize,
    /// Increases whenever the view is rebuilt after a change.
    pub generation: u64,
    /// The latest curation decision (audit id) the view shows: after recording decision
    /// `n`, pages and answers show it once this is `n` or more.
    pub curation_version: i64,
    pub ingest: IngestStatus,
}

/// Counts and ingest progress.
#[utoipa::path(get, path = "/api/status", tag = "store",
    responses((status = 200, description = "OK", body = Status)))]
pub async fn status(State(st): S) -> Json<Status> {
    let v = st.view();
    let ingest = st.ingest.lock().unwrap_or_else(|e| e.into_inner()).clone();
    Json(Status {
        documents: v.documents.len(),
        events: v.history.events.len(),
        series: v.history.series.len(),
        conflicts: v.history.conflicts.len(),
        generation: v.generation,
        curation_version: v.curation_version,
        ingest,
    })
}

/// Search parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words (all must match; "double quotes" for a phrase). Diacritics optional: "lien xo"
    /// finds "Liên Xô". A name or a domain term also finds its other names and
    /// translations ("Brezhnev": "Brêgiơnép", "Брежнев"; "treaty": "hiệp ước", "договор"),
    /// ranked after the words as typed. Not blank, at most 1000 characters; a query
    /// without a word (only quotes, operators, marks or symbols) matches nothing.
    #[param(inline, value_type = doc::QueryWords, required = true)]
    pub q: String,
    /// Only sentences in this language: vi, en or ru ("": any).
    #[param(inline, value_type = doc::Language, required = false)]
    pub lang: Option<String>,
    /// Only this document (its id).
    pub doc: Option<String>,
    /// Only sentences naming this entity (its id, as the facets give it).
    pub entity: Option<String>,
    /// Only sentences holding a fact of this kind: timex, quantity, mention or
    /// event_statement ("": any).
    #[param(inline, value_type = doc::FactKind, required = false)]
    pub kind: Option<String>,
    /// Only sentences holding a date that ends on or after this ISO prefix ("1975").
    #[param(inline, value_type = doc::IsoPrefix, required = false)]
    pub from: Option<String>,
    /// Only sentences holding a date that starts on or before this ISO prefix ("1979").
    #[param(inline, value_type = doc::IsoPrefix, required = false)]
    pub to: Option<String>,
    /// true: the words only, no other names or translations.
    pub exact: Option<bool>,
    #[param(inline, value_type = doc::Offset, required = false)]
    pub offset: Option<usize>,
    #[param(inline, value_type = doc::Limit, required = false)]
    pub limit: Option<usize>,
}

/// A sentence that matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    pub doc: String,
    /// Byte span in the original file.
    pub start: u64,
    pub end: u64,
    /// The sentence, repaired.
    pub text: String,
    /// Shortened around the matches, matched words between `**`.
    pub snippet: String,
    pub score: f32,
    /// How it matched: "exact" (the words as typed), "folded" (without diacritics) or
    /// "expanded" (another name or translation of a word).
    pub tier: String,
    pub lang: String,
    /// Byte ranges in `text` of the matched words.
    pub highlights: Vec<(usize, usize)>,
}

/// A facet's value with its count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    /// The filter's value (document id, language code, decade's first year, entity id,
    /// fact kind).
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// The hits counted by document, language, decade, entity and kind of fact.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SearchFacets {
    pub documents: Vec<FacetValue>,
    pub languages: Vec<FacetValue>,
    /// By decade (`value` its first year: from=value&to=value+9 narrows to it).
    pub periods: Vec<FacetValue>,
    pub entities: Vec<FacetValue>,
    pub kinds: Vec<FacetValue>,
}

/// What a word of the query was also searched as.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlsoSearched {
    /// The words as typed.
    pub typed: String,
    /// "entity" or "concept".
    #[serde(rename = "type")]
    pub ty: String,
    /// The entity's or concept's id.
    pub id: String,
    /// Its other names or translations (the main ones; every case form is searched too).
    pub forms: Vec<String>,
}

/// One page of search hits, with counts and facets of all of them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// Sentences matching (after filters; counted up to 10,000).
    pub total: usize,
    /// Of those, matching the words as typed or without diacritics.
    pub total_words: usize,
    pub offset: usize,
    pub limit: usize,
    pub items: Vec<Hit>,
    pub facets: SearchFacets,
    /// Other names and translations searched beside the words (empty with exact=true).
    pub also_searched: Vec<AlsoSearched>,
    /// Why nothing was searched: the query has no word (only quotes, operators, marks or
    /// symbols), so it matches nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Refuses a `from` or `to` that is not an ISO date or prefix (blank ones mean no bound).
pub fn check_period(from: Option<&str>, to: Option<&str>) -> Result<(), ApiError> {
    for (name, d) in [("from", from), ("to", to)] {
        if let Some(d) = d.filter(|d| !d.trim().is_empty())
            && !crate::curation::value::is_iso_prefix(d.trim())
        {
            return Err(ApiError::bad_request(format!(
                "{name} must be an ISO date or prefix (1978, 1978-11, 1978-11-03), not {d:?}"
            )));
        }
    }
    Ok(())
}

/// A language parameter: absent or "" is any language, else a language's code exactly.
pub fn parse_lang(s: Option<&str>) -> Result<Option<Lang>, ApiError> {
    Ok(one_of("lang", s, Lang::all().iter().map(|l| l.code()))?.and_then(|c| Lang::from_code(&c)))
}

/// Ranked sentences (BM25; exact forms before diacritic-folded ones, then other names and
/// translations), counted and faceted.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchParams),
    responses((status = 200, description = "A page of hits with counts and facets", body = SearchResults),
              Internal, Busy))]
pub async fn search(
    State(st): S,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchResults>, ApiError> {
    Ok(Json(search_page(&st, p).await?))
}

fn facet_values(v: Vec<crate::search::facets::FacetCount>) -> Vec<FacetValue> {
    v.into_iter()
        .map(|f| FacetValue {
            value: f.value,
            label: f.label,
            count: f.count,
        })
        .collect()
}

/// The search the API and the search page share.
pub async fn search_page(st: &Arc<AppState>, p: SearchParams) -> Result<SearchResults, ApiError> {
    use crate::search::{Tier, expand, facets};
    let (offset, limit) = Paging {
        offset: p.offset,
        limit: p.limit,
    }
    .window()?;
    if p.q.trim().is_empty() {
        return Err(ApiError::bad_request(
            "q is empty: give words to search for",
        ));
    }
    if p.q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "q is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let lang = parse_lang(p.lang.as_deref())?;
    let nonempty = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let filters = facets::Filters {
        entity: nonempty(p.entity),
        kind: one_of("kind", p.kind.as_deref(), facets::KINDS)?,
        from: nonempty(p.from),
        to: nonempty(p.to),
    };
    check_period(filters.from.as_deref(), filters.to.as_deref())?;
    let expansion = (!p.exact.unwrap_or(false)).then(|| expand::expand(&p.q));
    let also_searched: Vec<AlsoSearched> = expansion
        .iter()
        .flat_map(|x| x.groups.iter())
        .filter(|g| !g.forms.is_empty())
        .filter_map(|g| {
            let (ty, id) = match g.meaning.as_ref()? {
                expand::Meaning::Entity { id, .. } => ("entity", id.clone()),
                expand::Meaning::Concept { id } => ("concept", id.clone()),
            };
            Some(AlsoSearched {
                typed: g.typed.clone(),
                ty: ty.to_string(),
                id,
                forms: g.shown.clone(),
            })
        })
        .collect();
    let req = SearchRequest {
        query: p.q,
        doc: nonempty(p.doc),
        lang,
        limit: facets::MAX_HITS,
        expansion,
    };
    st.query(move |view, archive| {
        // A query without a word is a valid query that matches nothing: answered with no
        // hits and the reason.
        let (all, note) = match archive.index.search(&req) {
            Ok(all) => (all, None),
            Err(e @ crate::search::SearchError::EmptyQuery) => (Vec::new(), Some(e.to_string())),
            Err(e) => return Err(ApiError::internal(e)),
        };
        let (kept, found) = facets::narrow(view, all, &filters);
        let total_words = kept.iter().filter(|h| h.tier != Tier::Expanded).count();
        let window: Vec<_> = kept.iter().skip(offset).take(limit).cloned().collect();
        let hits = crate::search::resolve(
            archive.store.as_ref(),
            archive.index.as_ref(),
            &req,
            &window,
        )
        .map_err(ApiError::internal)?;
        let items: Vec<Hit> = hits
            .into_iter()
            .map(|h| Hit {
                doc: h.doc,
                start: h.start,
                end: h.end,
                text: h.text,
                snippet: h.snippet,
                score: h.score,
                tier: match h.tier {
                    Tier::Exact => "exact",
                    Tier::Folded => "folded",
                    Tier::Expanded => "expanded",
                }
                .to_string(),
                lang: h.lang.code().to_string(),
                highlights: h.highlights,
            })
            .collect();
        Ok(SearchResults {
            total: kept.len(),
            total_words,
            offset,
            limit,
            items,
            facets: SearchFacets {
                documents: facet_values(found.documents),
                languages: facet_values(found.languages),
                periods: facet_values(found.periods),
                entities: facet_values(found.entities),
                kinds: facet_values(found.kinds),
            },
            also_searched,
            note,
        })
    })
    .await
}

/// Timeline filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// Earliest date, an ISO prefix ("1975", "1978-11").
    #[param(inline, value_type = doc::IsoPrefix, required = false)]
    pub from: Option<String>,
    /// Latest date, an ISO prefix.
    #[param(inline, value_type = doc::IsoPrefix, required = false)]
    pub to: Option<String>,
    /// Field of the event ontology ("military_defence"; "": any).
    #[param(inline, value_type = doc::EventField, required = false)]
    pub field: Option<String>,
    /// Any name of an actor in any language ("Brezhnev", "Liên Xô", "Брежнев"); a name no
    /// entity has, or several have, is a 404 with the reason.
    pub actor: Option<String>,
    /// Event type of the ontology ("visit", "treaty"; "": any).
    #[serde(rename = "type")]
    #[param(rename = "type", inline, value_type = doc::EventType, required = false)]
    pub ty: Option<String>,
    #[param(inline, value_type = doc::Offset, required = false)]
    pub offset: Option<usize>,
    #[param(inline, value_type = doc::Limit, required = false)]
    pub limit: Option<usize>,
}

impl TimelineParams {
    /// The filter, checked as `/openapi.json` states it.
    pub fn filter(&self) -> Result<Filter, ApiError> {
        event_filter(&self.from, &self.to, &self.field, &self.actor, &self.ty)
    }
}

/// The events' filter of a timeline or an export, checked: dates ISO prefixes (blank: no
/// bound), field and type from the ontology exactly ("" for any).
fn event_filter(
    from: &Option<String>,
    to: &Option<String>,
    field: &Option<String>,
    actor: &Option<String>,
    ty: &Option<String>,
) -> Result<Filter, ApiError> {
    let o = crate::knowledge::events::ontology();
    let trimmed = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let f = Filter {
        from: trimmed(from),
        to: trimmed(to),
        field: one_of(
            "field",
            field.as_deref(),
            o.fields.iter().map(String::as_str),
        )?,
        actor: trimmed(actor),
        ty: one_of("type", ty.as_deref(), o.types.keys().map(String::as_str))?,
    };
    check_period(f.from.as_deref(), f.to.as_deref())?;
    Ok(f)
}

/// The events `f` keeps: an actor no entity is named, or several are, is not found (404),
/// like `/api/entities/{id}` of that name.
fn events_of<'a>(
    v: &'a View,
    f: &Filter,
) -> Result<Vec<&'a crate::history::merge::Event>, ApiError> {
    use crate::history::timeline::FilterError;
    filter(&v.history.events, f).map_err(|e| match e {
        FilterError::UnknownActor(_) | FilterError::AmbiguousActor(..) => {
            ApiError::not_found(e.to_string())
        }
        FilterError::UnknownField(..) | FilterError::UnknownType(..) => {
            ApiError::bad_request(e.to_string())
        }
    })
}

/// The merged events, in date order, filtered; each with its statements as evidence.
#[utoipa::path(get, path = "/api/timeline", tag = "history", params(TimelineParams),
    responses((status = 200, description = "OK", body = Page<Object>),
              (status = 404, description = "No entity has the name `actor`, or several have it (the body names them)", body = ErrorBody)))]
pub async fn timeline(
    State(st): S,
    Query(p): Query<TimelineParams>,
) -> Result<Json<Page<Value>>, ApiError> {
    let (offset, limit) = Paging {
        offset: p.offset,
        limit: p.limit,
    }
    .window()?;
    let f = p.filter()?;
    let v = st.view();
    let events = events_of(&v, &f)?;
    let all: Vec<Value> = events
        .iter()
        .skip(offset)
        .take(limit)
        .map(|e| v.history.event_record(e))
        .collect();
    Ok(Json(Page {
        total: events.len(),
        offset,
        limit,
        items: all,
    }))
}

/// One event: its record, its statements side by side, and the conflicts that involve it.
#[utoipa::path(get, path = "/api/events/{id}", tag = "history",
    params(("id" = String, Path, description = "Event id, as the timeline gives it")),
    responses((status = 200, description = "OK", body = Object), (status = 404, description = "No such thing (the body says what was looked for)", body = ErrorBody)))]
pub async fn event(State(st): S, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let v = st.view();
    event_json(&v, &id).map(Json)
}

/// The event `id` with its conflicts.
pub fn event_json(v: &View, id: &str) -> Result<Value, ApiError> {
    let e = v
        .history
        .events
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| match v.history.merged_into(id) {
            Some(s) => ApiError::not_found(format!(
                "event {id:?} was merged into {:?} by curation: /api/events/{}",
                s.id, s.id
            )),
            None => ApiError::not_found(format!("no event has the id {id:?}")),
        })?;
    let conflicts: Vec<&crate::history::conflict::Conflict> = v
        .history
        .conflicts
        .iter()
        .filter(|c| {
            c.claims.iter().any(|cl| {
                cl.evidence.iter().any(|sp| {
                    e.statements.iter().any(|s| {
                        s.evidence.doc == sp.doc
                            && s.evidence.start < sp.end
                            && sp.start < s.evidence.end
                    })
                })
            })
        })
        .collect();
    Ok(json!({"event": v.history.event_record(e), "conflicts": conflicts}))
}

/// Entity list filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntityParams {
    /// Part of a name in any language, diacritics optional.
    pub q: Option<String>,
    /// person, state, party, organization, place, agreement, event.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub ty: Option<String>,
    #[param(inline, value_type = doc::Offset, required = false)]
    pub offset: Option<usize>,
    #[param(inline, value_type = doc::Limit, required = false)]
    pub limit: Option<usize>,
}

/// An entity of the gazetteer with its mention count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntitySummary {
    pub entity_id: String,
    pub entity: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub qid: Option<String>,
    /// The entity's label in each language, by code (null where the data gives none).
    #[schema(value_type = HashMap<String, Option<String>>)]
    pub labels: ByLang<Option<String>>,
    pub mentions: usize,
}

/// Entities, most mentioned first.
#[utoipa::path(get, path = "/api/entities", tag = "entities", params(EntityParams),
    responses((status = 200, description = "OK", body = Page<EntitySummary>)))]
pub async fn entities(
    State(st): S,
    Query(p): Query<EntityParams>,
) -> Result<Json<Page<EntitySummary>>, ApiError> {
    let (offset, limit) = Paging {
        offset: p.offset,
        limit: p.limit,
    }
    .window()?;
    let v = st.view();
    Ok(Json(page(
        &entity_list(&v, p.q.as_deref(), p.ty.as_deref()),
        offset,
        limit,
    )))
}

/// Entities matching `q` and `ty`, most mentioned first.
pub fn entity_list(v: &View, q: Option<&str>, ty: Option<&str>) -> Vec<EntitySummary> {
    let fold = |s: &str| crate::text::fold::fold(s).to_lowercase();
    let q = q.map(str::trim).filter(|s| !s.is_empty()).map(fold);
    let g = crate::knowledge::gazetteer::builtin();
    let mut rows: Vec<EntitySummary> = g
        .entities
        .iter()
        .filter(|e| ty.is_none_or(|t| t.is_empty() || e.kind == t))
        .filter(|e| {
            q.as_ref().is_none_or(|q| {
                std::iter::once(&e.name)
                    .chain(e.labels.values().flatten())
                    .chain(e.aliases.iter().map(|a| &a.text))
                    .any(|n| fold(n).contains(q.as_str()))
            })
        })
        .map(|e| EntitySummary {
            entity_id: e.id.clone(),
            entity: e.name.clone(),
            ty: e.kind.clone(),
            qid: e.qid.clone(),
            labels: e.labels.clone(),
            mentions: v.mentions.get(&e.id).copied().unwrap_or(0),
        })
        .collect();
    rows.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.entity.cmp(&b.entity)));
    rows
}

/// One entity: labels, aliases seen in the sources, mentions by document, co-occurring
/// entities, and the events it takes part in.
#[utoipa::path(get, path = "/api/entities/{id}", tag = "entities",
    params(("id" = String, Path, description = "Entity id, or any of its names")),
    responses((status = 200, description = "OK", body = Object), (status = 404, description = "No entity has this id or name, or several have the name (the body names them)", body = ErrorBody),
              Internal, Busy))]
pub async fn entity(State(st): S, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    st.query(move |v, _| entity_json(v, &id)).await.map(Json)
}

/// The entity page as JSON.
pub fn entity_json(v: &View, id: &str) -> Result<Value, ApiError> {
    let e = crate::entity_page::find(id).map_err(ApiError::not_found)?;
    Ok(crate::entity_page::entity_record(v, e))
}

/// Every series with its points and their sources.
#[utoipa::path(get, path = "/api/series", tag = "history",
    responses((status = 200, description = "OK", body = [Object])))]
pub async fn series_list(State(st): S) -> Json<Value> {
    let v = st.view();
    Json(json!(v.history.series))
}

/// One series, by key.
#[utoipa::path(get, path = "/api/series/{key}", tag = "history",
    params(("key" = String, Path, description = "Series key, e.g. vn-ussr-exports-rub")),
    responses((status = 200, description = "OK", body = Object), (status = 404, description = "No such thing (the body says what was looked for)", body = ErrorBody)))]
pub async fn series_one(State(st): S, Path(key): Path<String>) -> Result<Json<Value>, ApiError> {
    let v = st.view();
    let s = v
        .history
        .series_by_key(&key)
        .ok_or_else(|| ApiError::not_found(format!("no series has the key {key:?}")))?;
    Ok(Json(json!(s)))
}

/// Where the sources disagree: every side with its evidence.
#[utoipa::path(get, path = "/api/conflicts", tag = "history",
    responses((status = 200, description = "OK", body = [Object])))]
pub async fn conflicts(State(st): S) -> Json<Value> {
    let v = st.view();
    Json(json!(v.history.conflicts))
}

/// The tables found in the sources (id, label, caption, unit, document, span).
#[utoipa::path(get, path = "/api/tables", tag = "sources", params(Paging),
    responses((status = 200, description = "OK", body = Page<Object>), Internal, Busy))]
pub async fn tables(State(st): S, Query(p): Query<Paging>) -> Result<Json<Page<Value>>, ApiError> {
    let (offset, limit) = p.window()?;
    st.query(move |v, _| {
        let all: Vec<Value> = v
            .tables()
            .filter(|c| !c.rejected())
            .filter_map(|c| {
                let (f, t) = (c.fact, c.fact.body.table()?);
                Some(json!({
                    "id": t.id, "label": t.label, "caption": t.caption, "unit": t.unit,
                    "doc": f.doc, "start": f.start, "end": f.end,
                    "rows": t.rows.len(),
                    "columns": t.columns.len(),
                }))
            })
            .collect();
        Ok(Json(page(&all, offset, limit)))
    })
    .await
}

/// One table with its cells and their spans.
#[utoipa::path(get, path = "/api/tables/{id}", tag = "sources",
    params(("id" = String, Path, description = "Table id")),
    responses((status = 200, description = "The table's fact record: kind, doc, start, end, text and these fields", body = crate::fact::Table), (status = 404, description = "No such thing (the body says what was looked for)", body = ErrorBody),
              Internal, Busy))]
pub async fn table(State(st): S, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    st.query(move |v, _| {
        v.table(&id)
            .map(|c| Json(c.fact.record.clone()))
            .ok_or_else(|| ApiError::not_found(format!("no table has the id {id:?}")))
    })
    .await
}

/// A question.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AskParams {
    /// The question, in English, Vietnamese or Russian: not blank, at most 2000 characters.
    #[param(inline, value_type = doc::Question, required = true)]
    pub q: String,
}

/// The answer with its citations (or "insufficient evidence" and a null value).
#[utoipa::path(get, path = "/api/ask", tag = "ask", params(AskParams),
    responses((status = 200, description = "OK", body = Object), Internal, Busy))]
pub async fn ask(State(st): S, Query(p): Query<AskParams>) -> Result<Json<Value>, ApiError> {
    ask_answer(&st, p.q).await.map(|a| Json(json!(a)))
}

/// Answers `q` within the query limits.
pub async fn ask_answer(st: &Arc<AppState>, q: String) -> Result<crate::ask::Answer, ApiError> {
    if q.trim().is_empty() {
        return Err(ApiError::bad_request("q is empty: ask a question"));
    }
    if q.chars().count() > MAX_QUESTION_CHARS {
        return Err(ApiError::bad_request(format!(
            "the question is longer than {MAX_QUESTION_CHARS} characters"
        )));
    }
    st.query(move |v, _| Ok(v.asker.ask(&q))).await
}

/// The stored documents (without their text).
#[utoipa::path(get, path = "/api/documents", tag = "sources", params(Paging),
    responses((status = 200, description = "OK", body = Page<Object>)))]
pub async fn documents(
    State(st): S,
    Query(p): Query<Paging>,
) -> Result<Json<Page<Value>>, ApiError> {
    let (offset, limit) = p.window()?;
    let v = st.view();
    let all: Vec<Value> = v.documents.iter().map(|d| json!(d)).collect();
    Ok(Json(page(&all, offset, limit)))
}

/// One document: its record and its facts (kind, span, text, value), in text order.
#[utoipa::path(get, path = "/api/documents/{id}", tag = "sources",
    params(("id" = String, Path, description = "Document id (URL-encoded)")),
    responses((status = 200, description = "OK", body = Object), (status = 404, description = "No such thing (the body says what was looked for)", body = ErrorBody),
              Internal, Busy))]
pub async fn document(State(st): S, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    st.query(move |v, _| {
        let d = v
            .document(&id)
            .ok_or_else(|| ApiError::not_found(format!("no document has the id {id:?}")))?;
        // The facts as curated (each with its `curation` when a decision is about it).
        let facts: Vec<Value> = v
            .facts_of(&d.id)
            .filter(|c| c.fact.kind != "table")
            .map(|c| {
                let mut r = c.fact.record.clone();
                if let Value::Object(m) = &mut r {
                    m.insert("fact_id".into(), c.fact.id.into());
                }
                r
            })
            .collect();
        Ok(Json(json!({"document": d, "facts": facts})))
    })
    .await
}

/// The document's text, decoded (UTF-8), exactly as stored.
#[utoipa::path(get, path = "/api/documents/{id}/text", tag = "sources",
    params(("id" = String, Path, description = "Document id (URL-encoded)")),
    responses((status = 200, description = "OK", body = String, content_type = "text/plain"), (status = 404, description = "No such thing (the body says what was looked for)", body = ErrorBody),
              Internal, Busy))]
pub async fn document_text(State(st): S, Path(id): Path<String>) -> Result<Response, ApiError> {
    st.query(move |v, a| {
        let d = v
            .document(&id)
            .ok_or_else(|| ApiError::not_found(format!("no document has the id {id:?}")))?;
        let bytes = a
            .store
            .source_bytes(&d.id)
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::not_found(format!("the source of {id:?} is missing")))?;
        let text = crate::source::decode::decode_range(&bytes, d.encoding(), 0..bytes.len());
        Ok((
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            text,
        )
            .into_response())
    })
    .await
}

/// Page image parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Resolution of a PDF page's image, 36 to 200 dots per inch (default 96).
    #[param(minimum = 36, maximum = 200)]
    pub dpi: Option<u32>,
}

/// A page of a PDF as a PNG image rendered by the engine that read its text (Poppler), or a
/// scan as it was ingested; the boxes of the page's facts are in points (PDF) or pixels
/// (image) of the page whose size `/api/documents/{id}/pages` gives.
#[utoipa::path(get, path = "/api/documents/{id}/pages/{n}", tag = "sources",
    params(("id" = String, Path, description = "Document id (URL-encoded)"),
           ("n" = inline(doc::PageNumber), Path, description = "Page number, from 1"), PageParams),
    responses((status = 200, description = "The page image", content_type = "image/png"),
              (status = 404, description = "No such thing (the body says what was looked for)", body = ErrorBody),
              Internal, Busy))]
pub async fn document_page(
    State(st): S,
    Path((id, n)): Path<(String, u32)>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    if n == 0 {
        return Err(ApiError::bad_request(
            "n is a page number: pages count from 1",
        ));
    }
    let dpi = p.dpi.unwrap_or(96);
    if !(36..=200).contains(&dpi) {
        return Err(ApiError::bad_request(format!(
            "dpi must be between 36 and 200, not {dpi}"
        )));
    }
    st.query(move |v, a| {
        let d = v
            .document(&id)
            .ok_or_else(|| ApiError::not_found(format!("no document has the id {id:?}")))?;
        let paged = a
            .store
            .paged(&d.id)
            .map_err(ApiError::internal)?
            .ok_or_else(|| {
                ApiError::not_found(format!("{id:?} is a text document: it has no pages"))
            })?;
        let pages = paged.map.pages.len();
        let page = (n as usize)
            .checked_sub(1)
            .and_then(|i| paged.map.pages.get(i))
            .ok_or_else(|| ApiError::not_found(format!("{id:?} has {pages} pages, not {n}")))?;
        let (bytes, mime) = match paged.map.kind {
            crate::source::pages::PagedKind::Image => {
                let mime = match crate::source::ocr::image_kind(&paged.file) {
                    "PNG" => "image/png",
                    "JPEG" => "image/jpeg",
                    _ => "image/tiff",
                };
                (paged.file, mime)
            }
            crate::source::pages::PagedKind::Pdf => {
                let dpi = crate::source::pdf::fit_dpi(page.width, page.height, dpi, 16_000_000)
                    .unwrap_or(36);
                let png = crate::source::pdf::page_png(&paged.file, n, dpi)
                    .map_err(|e| ApiError::internal(format!("page {n} of {id:?}: {e}")))?;
                (png, "image/png")
            }
        };
        Ok((
            [
                (header::CONTENT_TYPE, mime),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "private, max-age=3600"),
            ],
            bytes,
        )
            .into_response())
    })
    .await
}

/// Export parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// jsonl (the evaluation contract; default), csv, timelinejs, annotations (W3C Web
    /// Annotation, JSON Lines), annotation-collection (one JSON-LD collection), csl
    /// (CSL-JSON of the references the sources cite), bibtex, csl-sources (the sources
    /// themselves as CSL-JSON, as each states its title, authors, year and venue).
    #[param(inline, value_type = doc::ExportFormat, required = false)]
    pub format: Option<String>,
    /// What a csv lists: events (default), facts, series, conflicts, documents (checked
    /// whatever the format; only csv uses it).
    #[param(inline, value_type = doc::CsvKind, required = false)]
    pub kind: Option<String>,
    /// The machine's values, without the historians' curation (default false).
    pub machine: Option<bool>,
    /// Events (csv of events, timelinejs): earliest date, an ISO prefix.
    #[param(inline, value_type = doc::IsoPrefix, required = false)]
    pub from: Option<String>,
    /// Events: latest date, an ISO prefix.
    #[param(inline, value_type = doc::IsoPrefix, required = false)]
    pub to: Option<String>,
    /// Events: field of the event ontology ("": any).
    #[param(inline, value_type = doc::EventField, required = false)]
    pub field: Option<String>,
    /// Events: any name of an actor in any language (404 when no entity, or several, have
    /// it).
    pub actor: Option<String>,
    /// Events: event type of the ontology ("": any).
    #[serde(rename = "type")]
    #[param(rename = "type", inline, value_type = doc::EventType, required = false)]
    pub ty: Option<String>,
    /// csv of series: only this series (its key).
    pub series: Option<String>,
    /// csv of facts or documents: only this document (its id).
    pub doc: Option<String>,
}

/// The whole store in an export format, as a download. Every format shows the curated
/// values (the jsonl records keep the machine's beside them, under `curation.machine`);
/// `machine=true` exports the machine's view instead.
#[utoipa::path(get, path = "/api/export", tag = "export", params(ExportParams),
    responses((status = 200, description = "The export file"),
              (status = 404, description = "No entity has the name `actor`, or several have it (the body names them)", body = ErrorBody),
              Internal, Busy))]
pub async fn export(State(st): S, Query(p): Query<ExportParams>) -> Result<Response, ApiError> {
    // A kind is one of the CSV kinds, whatever the format (only CSV uses it).
    if let Some(k) = &p.kind {
        k.parse::<crate::export::csv::CsvKind>()
            .map_err(ApiError::bad_request)?;
    }
    let format =
        crate::export::Format::parse(p.format.as_deref().unwrap_or("jsonl"), p.kind.as_deref())
            .map_err(ApiError::bad_request)?;
    let machine = p.machine.unwrap_or(false);
    let f = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
    let events = event_filter(&p.from, &p.to, &p.field, &p.actor, &p.ty)?;
    let any_event_filter = events.from.is_some()
        || events.to.is_some()
        || events.field.is_some()
        || events.actor.is_some()
        || events.ty.is_some();
    let scope = crate::export::Scope {
        events: any_event_filter.then_some(events),
        series: f(&p.series),
        doc: f(&p.doc),
    };
    if let Some(e) = &scope.events {
        events_of(&st.view(), e)?;
    }
    st.query(move |v, a| {
        let mut out = Vec::new();
        // The machine's view: a snapshot without the curation.
        let machine_view;
        let snapshot = if machine {
            machine_view = v.machine(a.store.as_ref()).map_err(ApiError::internal)?;
            &machine_view
        } else {
            v
        };
        crate::export::write_scoped(snapshot, format, None, &scope, &mut out)
            .map_err(ApiError::internal)?;
        Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, format.content_type().to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", scope.file_name(format)),
                ),
            ],
            out,
        )
            .into_response())
    })
    .await
}

/// Records a curation decision (confirm, reject, edit, merge, split, retract) with its
/// reason, in the audit log. Answers as soon as the decision is committed; pages, answers
/// and exports show it once the view is rebuilt, in the background, moments later. Needs
/// the write token.
///
/// Body: `{"action": "confirm|reject|edit|merge|split|retract", "target": {"fact": 12} |
/// {"event": "ev-…"}, "field": "date", "value": "1978-11-03", "with": ["ev-…"],
/// "statement": {"fact": 34}, "reason": "…", "who": "…", "request_id": "…"}`.
///
/// Retries: give the request an id (`request_id` in the body, or an `Idempotency-Key`
/// header); a retry with the same id returns the entry already recorded (`"replayed":
/// true`) instead of recording the decision twice; the same id with another decision is
/// a 409.
///
/// Answers: 400 when the body is not a decision of the documented shape (an action with a
/// target it does not take, a part it needs missing, a blank reason); 404 when what it
/// names does not exist; 409 when it does not fit its target as stored (a field the fact
/// does not have, a value that field cannot take, an entry already retracted, several facts
/// at the span) or its request id conflicts.
#[utoipa::path(post, path = "/api/curation", tag = "curation",
    request_body(content = doc::Decision, description = "The decision (see above)", content_type = "application/json",
        example = json!({"action": "confirm", "target": {"fact": 1}, "reason": "the date is in the source's dateline", "who": "lan"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "The request's id, for safe retries (same as `request_id` in the body): 1 to 200 printable ASCII characters",
            min_length = 1, max_length = 200, pattern = "^[\\u0021-\\u007e]([\\u0020-\\u007e]*[\\u0021-\\u007e])?$")),
    responses((status = 200, description = "The audit entry as recorded", body = Object),
        (status = 400, description = "The body is not a decision of the documented shape, or the Idempotency-Key header is not text (the body says why)", body = ErrorBody),
        (status = 401, description = "No or a wrong token", body = ErrorBody),
        (status = 404, description = "The target, an event to merge or the statement to split does not exist (the body says which)", body = ErrorBody),
        (status = 409, description = "The decision does not fit its target as stored (a field it does not have, a value that field cannot take, an entry already retracted, several facts at the span), or its request id was used for another decision or differs from the Idempotency-Key header", body = ErrorBody),
        (status = 413, description = "The request body is too large (over 1 MiB)", body = ErrorBody),
        Internal),
    security(("token" = [])))]
pub async fn curate(
    State(st): S,
    _auth: super::auth::Authorized,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let mut d: crate::curation::NewDecision = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the decision is not valid JSON of the expected shape: {e}"
        ))
    })?;
    if let Some(key) = headers.get("idempotency-key") {
        let key = key
            .to_str()
            .map_err(|_| ApiError::bad_request("the Idempotency-Key header is not text"))?;
        match &d.request_id {
            Some(id) if id != key => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "the Idempotency-Key header and the body's request_id differ",
                ));
            }
            _ => d.request_id = Some(key.to_string()),
        }
    }
    let state = st.clone();
    let entry = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let mut store = crate::store::open(&state.data).map_err(ApiError::internal)?;
        let target = d.target.clone();
        let entry =
            crate::curation::decide(store.as_mut(), d).map_err(|e| curation_error(e, &target))?;
        // Committed: answer now; the view catches up in the background.
        if !entry.replayed {
            state.refresh_soon();
        }
        Ok(json!(entry))
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(entry))
}

/// A refused decision's status: 400 for what the documented shape of a decision rules out,
/// 404 for what does not exist, 409 for what does not fit the target as stored.
fn curation_error(
    e: crate::curation::CurationError,
    target: &crate::curation::TargetRef,
) -> ApiError {
    use crate::curation::{CurationError as E, TargetRef};
    let status = match &e {
        E::Store(_) | E::History(_) => return ApiError::internal(e),
        E::MissingReason
        | E::MissingWho
        | E::Missing { .. }
        | E::WrongTarget { .. }
        | E::BadTarget { .. }
        | E::BadRequestId => StatusCode::BAD_REQUEST,
        // The fields of an event and of a source's citation are the schema's; those of a
        // fact are its record's.
        E::UnknownField { .. }
            if matches!(target, TargetRef::Event(_) | TargetRef::Document(_)) =>
        {
            StatusCode::BAD_REQUEST
        }
        E::NoSuchFact(_)
        | E::NoFactAtSpan(_)
        | E::NoSuchEvent(_)
        | E::NoSuchEntry(_)
        | E::NoSuchDocument(_) => StatusCode::NOT_FOUND,
        E::AmbiguousSpan { .. }
        | E::RetractRetraction(_)
        | E::AlreadyRetracted { .. }
        | E::UnknownField { .. }
        | E::InvalidValue { .. }
        | E::SelfMerge(_)
        | E::NotInEvent { .. }
        | E::NothingToSplit(_)
        | E::RequestIdReused { .. } => StatusCode::CONFLICT,
    };
    ApiError::new(status, e.to_string())
}

/// Audit filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only decisions that no longer apply after a re-ingest.
    pub stale: Option<bool>,
    #[param(inline, value_type = doc::Offset, required = false)]
    pub offset: Option<usize>,
    #[param(inline, value_type = doc::Limit, required = false)]
    pub limit: Option<usize>,
}

/// The audit log: every decision (who, when, what, why), newest first, with how it stands
/// against the store now (applies, reanchored, stale, retracted).
#[utoipa::path(get, path = "/api/audit", tag = "curation", params(AuditParams),
    responses((status = 200, description = "OK", body = Page<Object>), Internal, Busy))]
pub async fn audit(
    State(st): S,
    Query(p): Query<AuditParams>,
) -> Result<Json<Page<Value>>, ApiError> {
    let (offset, limit) = Paging {
        offset: p.offset,
        limit: p.limit,
    }
    .window()?;
    let stale = p.stale.unwrap_or(false);
    st.query(move |v, a| {
        // A committed decision is in the log at once, before the view catches up: when the
        // view is behind the store, the log is read from the store.
        let current = v.is_current(a.store.as_ref()).map_err(ApiError::internal)?;
        let entries = if current {
            v.audit_log()
        } else {
            crate::curation::audit_log(a.store.as_ref()).map_err(ApiError::internal)?
        };
        let mut all: Vec<Value> = entries
            .iter()
            .filter(|e| !stale || e.state == crate::curation::DecisionState::Stale)
            .map(|e| json!(e))
            .collect();
        all.reverse();
        Ok(Json(page(&all, offset, limit)))
    })
    .await
}
