//! Rounds, answers, results and exports.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::extract::{actor, invalid, query, require, rows_refused, JsonBody};
use super::studies::ok;
use super::ApiCaller;
use crate::domain::role::Role;
use crate::export::files::ExportFile;
use crate::export::{results_csv, stability_csv};
use crate::service::export::{collect, ExportOptions};
use crate::service::results::{self, Scope};
use crate::service::rounds;
use crate::service::{api_input, ratings, stability, studies};
use crate::web::error::{ApiError, AppError, ErrorKind};
use crate::web::AppState;

pub async fn list(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Viewer).await?;
    let slug = slug.into_inner();
    let overview = state.store.run(move |conn| studies::show(conn, &slug)).await?;
    Ok(ok(json!({ "rounds": overview.rounds })))
}

/// Body of "open the next round".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenRound {
    /// RFC 3339, e.g. `2026-12-01T17:00:00+03:00`.
    #[serde(default)]
    pub deadline: Option<String>,
}

pub async fn open(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Editor).await?;
    let body: OpenRound = body.parse("body")?;
    let links = state.settings.links();
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let opened = state
        .store
        .run(move |conn| {
            let deadline = body
                .deadline
                .map(|text| rounds::parse_deadline(conn, &slug, &text))
                .transpose()?;
            rounds::open(conn, &slug, deadline, &links, &actor)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(opened))
}

pub async fn close(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Editor).await?;
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let closed = state
        .store
        .run(move |conn| rounds::close(conn, &slug, "facilitator", &actor))
        .await?;
    Ok(ok(json!({
        "number": closed.number,
        "items": closed.items,
        "in": closed.in_,
        "out": closed.out,
        "none": closed.none,
        "study_finished": closed.study_finished,
    })))
}

pub async fn remind(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Editor).await?;
    let links = state.settings.links();
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let reminded = state
        .store
        .run(move |conn| rounds::remind(conn, &slug, &links, &actor))
        .await?;
    Ok(ok(reminded))
}

/// Answers into the open round, as `delphi responses import` writes them.
pub async fn responses(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Editor).await?;
    let parsed = api_input::responses_from_json(body.required("an array of answers")?).map_err(invalid)?;
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let imported = state
        .store
        .run(move |conn| ratings::import_responses(conn, &slug, &parsed, &actor))
        .await
        .map_err(|e| rows_refused("responses", e))?;
    Ok(ok(imported))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    #[serde(default)]
    pub round: Option<i32>,
    #[serde(default)]
    pub by_group: Option<bool>,
    #[serde(default)]
    pub format: Option<TableFormat>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    Json,
    Csv,
}

fn csv(text: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("text/csv; charset=utf-8")
        .body(text)
}

fn export_failed(e: impl Into<anyhow::Error>) -> ApiError {
    ApiError(AppError::internal(e))
}

/// Results of closed rounds, as `delphi results` gives them (`format=csv`: the same CSV).
pub async fn results(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Viewer).await?;
    let q: ResultsQuery = query(&req)?;
    let by_group = q.by_group.unwrap_or(false);
    let scope = if by_group { Scope::ByGroup } else { Scope::Pooled };
    let slug = slug.into_inner();
    let table = state
        .store
        .run(move |conn| results::results(conn, &slug, q.round, scope))
        .await?;
    match q.format.unwrap_or(TableFormat::Json) {
        TableFormat::Csv => Ok(csv(results_csv::write(&table, by_group).map_err(export_failed)?)),
        TableFormat::Json => Ok(ok(table)),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StabilityQuery {
    #[serde(default)]
    pub round: Option<i32>,
    #[serde(default)]
    pub format: Option<TableFormat>,
}

pub async fn stability(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Viewer).await?;
    let q: StabilityQuery = query(&req)?;
    let slug = slug.into_inner();
    let table = state
        .store
        .run(move |conn| stability::stability(conn, &slug, q.round))
        .await?;
    match q.format.unwrap_or(TableFormat::Json) {
        TableFormat::Csv => Ok(csv(stability_csv::write(&table).map_err(export_failed)?)),
        TableFormat::Json => Ok(ok(table)),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    #[serde(default)]
    pub identified: Option<bool>,
}

/// One export file. Identified exports (experts' emails and names) are for owners and are
/// written to the audit log before anything is sent.
pub async fn export(
    caller: ApiCaller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (slug, file) = path.into_inner();
    let q: ExportQuery = query(&req)?;
    let identified = q.identified.unwrap_or(false);
    require(
        &state,
        &caller,
        &slug,
        if identified { Role::Owner } else { Role::Viewer },
    )
    .await?;
    let Some(export) = ExportFile::named(&file) else {
        let mut error = AppError::new(
            ErrorKind::NotFound,
            format!(
                "there is no export file `{file}`; choose one of {}",
                ExportFile::names().join(", ")
            ),
        );
        error.field = Some("file".into());
        return Err(ApiError(error));
    };
    let options = ExportOptions {
        identified,
        format: export.format.to_owned(),
    };
    let actor = actor(&caller);
    let data = state
        .store
        .run(move |conn| collect(conn, &slug, &options, &actor))
        .await?;
    let bytes = export.build(&data).map_err(export_failed)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}-{}\"", data.study.slug, export.name),
        ))
        .content_type(export.media_type)
        .body(bytes))
}

/// What opening the next round would do, written nowhere.
pub async fn preview(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Viewer).await?;
    let slug = slug.into_inner();
    let preview = state.store.run(move |conn| rounds::preview(conn, &slug)).await?;
    Ok(ok(preview))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extend {
    pub deadline: String,
}

/// Moves the open round's deadline later.
pub async fn extend(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Editor).await?;
    let body: Extend = JsonBody(body.required("{\"deadline\": …}")?).parse("body")?;
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let extended = state
        .store
        .run(move |conn| {
            let deadline = rounds::parse_deadline(conn, &slug, &body.deadline)?;
            rounds::extend(conn, &slug, deadline, &actor)
        })
        .await?;
    Ok(ok(extended))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertEmail {
    pub email: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erasure {
    pub email: String,
    #[serde(default)]
    pub drop_comments: bool,
}

/// Erases an expert on request (docs/operations.md); owners only, as identified exports.
pub async fn erase(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Owner).await?;
    let body: Erasure = JsonBody(body.required("{\"email\": …}")?).parse("body")?;
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let erased = state
        .store
        .run(move |conn| crate::service::erasure::erase(conn, &slug, &body.email, body.drop_comments, &actor))
        .await?;
    Ok(ok(json!(erased)))
}

/// Sends an expert's invitation to the open round again with a new link.
pub async fn resend(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Editor).await?;
    let body: ExpertEmail = JsonBody(body.required("{\"email\": …}")?).parse("body")?;
    let links = state.settings.links();
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let resent = state
        .store
        .run(move |conn| rounds::resend(conn, &slug, &body.email, &links, &actor))
        .await?;
    Ok(ok(resent))
}

/// Withdraws an expert from the study (no more emails; their answers stay). Idempotent.
pub async fn withdraw(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Editor).await?;
    let body: ExpertEmail = JsonBody(body.required("{\"email\": …}")?).parse("body")?;
    let actor = actor(&caller);
    let slug = slug.into_inner();
    let withdrawn = state
        .store
        .run(move |conn| crate::service::mail::withdraw_expert(conn, &slug, &body.email, &actor))
        .await?;
    Ok(ok(json!({
        "pseudonym": withdrawn.pseudonym,
        "already": withdrawn.already,
        "emails_cancelled": withdrawn.emails_cancelled,
    })))
}
