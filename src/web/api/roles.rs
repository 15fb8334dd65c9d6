//! A study's team over the API: who has which role, and granting, changing and removing roles.
//! Owners only; the rules (the last owner stays, unknown accounts are refused) are
//! `service::team`'s, shared with the console's Team page.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::extract::{actor, require, JsonBody};
use super::studies::ok;
use super::ApiCaller;
use crate::domain::role::Role;
use crate::service::accounts::normalise_email;
use crate::service::{team, ServiceError};
use crate::web::error::ApiError;
use crate::web::AppState;

pub async fn list(
    caller: ApiCaller,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require(&state, &caller, &slug, Role::Owner).await?;
    let slug = slug.into_inner();
    let members = state.store.run(move |conn| team::members(conn, &slug)).await?;
    Ok(ok(json!({ "roles": members })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleBody {
    role: String,
}

/// Gives the account `email` the body's role, replacing the one it had.
pub async fn put(
    caller: ApiCaller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let (slug, email) = path.into_inner();
    require(&state, &caller, &slug, Role::Owner).await?;
    let body: RoleBody = body.parse("body")?;
    let role: Role = body
        .role
        .parse()
        .map_err(|reason: String| ApiError::from(ServiceError::invalid("role", reason)))?;
    let actor = actor(&caller);
    let who = email.clone();
    let change = state
        .store
        .run(move |conn| team::set_role(conn, &slug, &who, role, &actor))
        .await?;
    Ok(ok(json!({
        "email": normalise_email(&email),
        "role": change.role,
        "previous": change.previous,
    })))
}

/// Removes the account `email`'s role in the study.
pub async fn delete(
    caller: ApiCaller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, email) = path.into_inner();
    require(&state, &caller, &slug, Role::Owner).await?;
    let actor = actor(&caller);
    let who = email.clone();
    let removed = state
        .store
        .run(move |conn| team::remove(conn, &slug, &who, &actor))
        .await?;
    Ok(ok(
        json!({ "email": normalise_email(&email), "removed": removed }),
    ))
}
