//! A study's team over the API: who has which role, and granting, changing and removing roles.
//! Owners only; the rules (the last owner stays, unknown accounts are refused) are
//! `service::team`'s, shared with the console's Team page.

use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::json;

use super::extract::{JsonBody, StudyCall};
use super::studies::ok;
use crate::domain::role::Role;
use crate::service::accounts::normalise_email;
use crate::service::{team, ServiceError};
use crate::web::console::Key;
use crate::web::error::ApiError;

pub async fn list(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let members = call.run(team::members).await?;
    Ok(ok(json!({ "roles": members })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleBody {
    role: String,
}

/// Gives the account `email` the body's role, replacing the one it had.
pub async fn put(call: StudyCall, Key(email): Key, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let body: RoleBody = body.parse("body")?;
    let role: Role = body
        .role
        .parse()
        .map_err(|reason: String| ApiError::from(ServiceError::invalid("role", reason)))?;
    let actor = call.actor();
    let who = email.clone();
    let change = call
        .run(move |conn, slug| team::set_role(conn, slug, &who, role, &actor))
        .await?;
    Ok(ok(json!({
        "email": normalise_email(&email),
        "role": change.role,
        "previous": change.previous,
    })))
}

/// Removes the account `email`'s role in the study.
pub async fn delete(call: StudyCall, Key(email): Key) -> Result<HttpResponse, ApiError> {
    let actor = call.actor();
    let who = email.clone();
    let removed = call
        .run(move |conn, slug| team::remove(conn, slug, &who, &actor))
        .await?;
    Ok(ok(
        json!({ "email": normalise_email(&email), "removed": removed }),
    ))
}
