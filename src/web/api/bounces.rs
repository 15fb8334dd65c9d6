//! `POST /api/v1/bounces`: a returned message (a bounce or an auto-reply) handed over by a mail
//! service that forwards them over HTTP; the same use case as `delphi bounce receive`. Needs a
//! token of the `bounces` scope (the route table says so).

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::studies::ok;
use super::ApiCaller;
use crate::service::{bounces, ServiceError};
use crate::web::error::{ApiError, AppError, ErrorKind};
use crate::web::AppState;

/// Records the raw RFC 5322 message of the body; 400 with the reason when it is not a bounce
/// or auto-reply of an email Delphi sent (nothing changes then).
pub async fn receive(
    _caller: ApiCaller,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let bounce_address = state.settings.email.bounce_address().map(str::to_string);
    let recorded = state
        .store
        .run(move |conn| bounces::receive(conn, &body, None, bounce_address.as_deref()))
        .await
        .map_err(|e| match e {
            ServiceError::Invalid { field, reason } => {
                let mut error = AppError::new(ErrorKind::BadRequest, reason);
                error.field = Some(field);
                ApiError(error)
            }
            other => ApiError::from(other),
        })?;
    Ok(ok(json!({ "recorded": recorded })))
}
