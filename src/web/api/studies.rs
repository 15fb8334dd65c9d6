//! Studies, their items and their panel.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::json;

use super::extract::{actor, invalid, rows_refused, JsonBody, StudyCall};
use super::ApiCaller;
use crate::domain::role::Role;
use crate::service::accounts;
use crate::service::studies::{self, StudyOverview};
use crate::service::{api_input, listings, ServiceError};
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
    let rows = api_input::items_from_json(body.required("an array of items")?).map_err(invalid)?;
    let actor = call.actor();
    let summary = call
        .run(move |conn, slug| studies::import_items(conn, slug, "items", &rows, &actor))
        .await
        .map_err(|e| rows_refused("items", e))?;
    Ok(ok(summary))
}

pub async fn panel(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let panel = call.run(listings::panel).await?;
    Ok(ok(json!({ "panel": panel })))
}

/// Adds and updates experts by email, all or nothing, as `delphi panel import` does.
pub async fn import_panel(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let rows = api_input::panel_from_json(body.required("an array of experts")?).map_err(invalid)?;
    let actor = call.actor();
    let summary = call
        .run(move |conn, slug| studies::import_panel(conn, slug, "panel", &rows, &actor))
        .await
        .map_err(|e| rows_refused("panel", e))?;
    Ok(ok(summary))
}
