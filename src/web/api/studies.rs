//! Studies, their items and their panel.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::{json, Value};

use super::extract::{actor, invalid, rows_refused, JsonBody, StudyCall};
use super::ApiCaller;
use crate::domain::file_error::FileErrors;
use crate::domain::role::Role;
use crate::service::accounts;
use crate::service::studies::{self, ImportSummary, StudyOverview};
use crate::service::{api_input, listings, Actor, Connection, ServiceError};
use crate::web::error::ApiError;
use crate::web::AppState;

pub fn ok(body: impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// The caller's studies with their role in each.
pub async fn list(caller: ApiCaller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = caller.0.id;
    let studies = state
        .store
        .run(move |conn| accounts::my_studies(conn, id))
        .await?;
    Ok(ok(json!({ "studies": studies })))
}

/// Creates a study from the JSON form of the study file; the caller becomes its owner.
pub async fn create(
    caller: ApiCaller,
    state: web::Data<AppState>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let value = body.required("the study, as the study file's structure in JSON")?;
    let bundle = api_input::study_from_json(value).map_err(invalid)?;
    let actor = actor(&caller);
    let owner = caller.0.email.clone();
    let created = state
        .store
        .run(move |conn| studies::create_owned(conn, &bundle, Some(&owner), &actor))
        .await
        .map_err(|e| match e {
            ServiceError::File(errors) => invalid(errors),
            other => ApiError::from(other),
        })?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, format!("/api/v1/studies/{}", created.slug)))
        .json(created))
}

#[derive(Serialize)]
struct Keyed {
    key: String,
    name: String,
    count: usize,
}

fn overview_json(overview: StudyOverview, role: Role) -> serde_json::Value {
    let keyed = |rows: Vec<(String, String, usize)>| {
        rows.into_iter()
            .map(|(key, name, count)| Keyed { key, name, count })
            .collect::<Vec<_>>()
    };
    json!({
        "slug": overview.slug,
        "title": overview.title,
        "status": overview.status,
        "language": overview.language,
        "timezone": overview.timezone,
        "scale": overview.scale,
        "rule_hash": overview.rule_hash,
        "rule_locked_at": overview.rule_locked_at,
        "rules": overview.rules,
        "max_rounds": overview.max_rounds,
        "sections": keyed(overview.sections),
        "groups": keyed(overview.groups),
        "rounds": overview.rounds,
        "finish_reason": overview.finish_reason,
        "role": role,
    })
}

pub async fn show(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let role = call.role;
    let overview = call.run(studies::show).await?;
    Ok(ok(overview_json(overview, role)))
}

pub async fn items(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let items = call.run(listings::items).await?;
    Ok(ok(json!({ "items": items })))
}

/// Adds and updates items by code, all or nothing, as `delphi items import` does.
pub async fn import_items(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let read = api_input::items_from_json;
    import_rows(
        call,
        body,
        "items",
        "an array of items",
        read,
        studies::import_items,
    )
    .await
}

pub async fn panel(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let panel = call.run(listings::panel).await?;
    Ok(ok(json!({ "panel": panel })))
}

/// Adds and updates experts by email, all or nothing, as `delphi panel import` does.
pub async fn import_panel(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let read = api_input::panel_from_json;
    import_rows(
        call,
        body,
        "panel",
        "an array of experts",
        read,
        studies::import_panel,
    )
    .await
}

/// A use case importing rows `R` into the study, as a file of the name given.
type Import<R> = fn(&mut Connection, &str, &str, &[R], &Actor) -> Result<ImportSummary, ServiceError>;

/// The body's array `array` (`expected` says what it holds when there is none) read into rows
/// by `read` and imported by `import` as a file of that name; a refused row is named by its
/// place in the array.
async fn import_rows<R: Send + 'static>(
    call: StudyCall,
    body: JsonBody,
    array: &'static str,
    expected: &str,
    read: fn(Value) -> Result<Vec<R>, FileErrors>,
    import: Import<R>,
) -> Result<HttpResponse, ApiError> {
    let rows = read(body.required(expected)?).map_err(invalid)?;
    let actor = call.actor();
    let summary = call
        .run(move |conn, slug| import(conn, slug, array, &rows, &actor))
        .await
        .map_err(|e| rows_refused(array, e))?;
    Ok(ok(summary))
}
