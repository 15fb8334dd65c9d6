//! The JSON API for scripts under `/api/v1`, authenticated by bearer tokens
//! (`delphi token create`). Every route is an entry of `routes::ENDPOINTS`, which both registers
//! it and describes it in the OpenAPI document (`/api/v1/openapi.json`). docs/api.md.

pub mod bounces;
pub mod endpoint;
pub mod extract;
pub mod items;
pub mod openapi;
pub mod roles;
pub mod rounds;
pub mod routes;
pub mod schemas;
pub mod studies;

use std::fmt;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use serde_json::json;

use super::AppState;
use crate::domain::token::TokenScope;
use crate::service::accounts::{self, Account};
use crate::web::error::{ApiError, AppError, ErrorKind};

pub fn configure(cfg: &mut web::ServiceConfig) {
    routes::configure(cfg);
}

/// The facilitator behind the request's `Authorization: Bearer …` token. Without a token, or
/// with an unknown or revoked one, the request is answered 401 with a JSON error.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Account);

/// 401 with `{"error": "unauthorized", "message": …}` and a `WWW-Authenticate` challenge.
#[derive(Debug)]
pub struct Unauthorized(&'static str);

impl fmt::Display for Unauthorized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl ResponseError for Unauthorized {
    fn status_code(&self) -> StatusCode {
        StatusCode::UNAUTHORIZED
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"delphi\""))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(json!({ "error": "unauthorized", "message": self.0 }))
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

impl FromRequest for ApiCaller {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(token) = bearer(&req) else {
                return Err(Unauthorized(
                    "this endpoint needs an API token: send `Authorization: Bearer TOKEN` \
                     (create one with `delphi token create`)",
                )
                .into());
            };
            let state = super::app_state(&req).map_err(ApiError)?;
            let caller = state
                .store
                .run(move |conn| accounts::api_caller(conn, &token))
                .await
                .map_err(ApiError::from)?;
            let Some((account, scope)) = caller else {
                return Err(Unauthorized("the API token is unknown or revoked").into());
            };
            // The route table says which scope an endpoint needs; every other endpoint needs
            // the whole API.
            let needed = match endpoint::endpoint_of(&req).map(|e| e.access) {
                Some(endpoint::Access::Scope(scope)) => scope,
                _ => TokenScope::Api,
            };
            if scope != needed {
                return Err(ApiError(AppError::new(
                    ErrorKind::Forbidden,
                    match scope {
                        TokenScope::Bounces => {
                            "this token's scope is `bounces`: it may only POST /api/v1/bounces".into()
                        }
                        TokenScope::Api => format!(
                            "this endpoint needs a token of the `{needed}` scope \
                             (`delphi token create --scope {needed}`)"
                        ),
                    },
                ))
                .into());
            }
            Ok(ApiCaller(account))
        })
    }
}

/// Who the token belongs to, and their studies with roles.
pub async fn me(caller: ApiCaller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ApiCaller(facilitator) = caller;
    let id = facilitator.id;
    let studies = state
        .store
        .run(move |conn| accounts::my_studies(conn, id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({
            "email": facilitator.email,
            "name": facilitator.name,
            "is_admin": facilitator.is_admin,
            "studies": studies,
        })))
}
