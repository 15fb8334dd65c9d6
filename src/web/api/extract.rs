//! Reading requests for the API so that every refusal is a JSON error: bodies (size, media
//! type, syntax, then shape with the key path), query strings, and roles in a study.

use std::fmt;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::endpoint::{self, Access};
use super::ApiCaller;
use crate::domain::file_error::{FileErrors, Location};
use crate::domain::role::Role;
use crate::domain::study::Study;
use crate::service::accounts;
use crate::service::api_input::{self, BODY};
use crate::service::{Actor, Connection, ServiceError};
use crate::web::error::{ApiError, AppError, ErrorKind};
use crate::web::AppState;

/// Bodies larger than this are refused with 413: a study of a few thousand items fits.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// A refusal whose status `ErrorKind` has no name for (413, 415), as the same JSON shape.
#[derive(Debug)]
pub struct Rejection {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl ResponseError for Rejection {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status).json(json!({ "error": self.code, "message": self.message }))
    }
}

fn bad_request(message: String) -> actix_web::Error {
    ApiError(AppError::new(ErrorKind::BadRequest, message)).into()
}

/// A JSON request body, read whole (up to `BODY_LIMIT`). An empty body reads as `null`, so
/// that endpoints whose body is optional accept none.
#[derive(Debug)]
pub struct JsonBody(pub Value);

impl FromRequest for JsonBody {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("").to_ascii_lowercase());
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            let too_large = || -> actix_web::Error {
                Rejection {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "too_large",
                    message: format!("the request body is larger than {} bytes", BODY_LIMIT),
                }
                .into()
            };
            if declared.is_some_and(|n| n > BODY_LIMIT) {
                return Err(too_large());
            }
            let mut bytes = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk =
                    chunk.map_err(|e| bad_request(format!("the request body could not be read: {e}")))?;
                if bytes.len() + chunk.len() > BODY_LIMIT {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(JsonBody(Value::Null));
            }
            let is_json = content_type.as_deref().is_some_and(|t| {
                let essence = t.split(';').next().unwrap_or("").trim();
                essence == "application/json" || essence.ends_with("+json")
            });
            if !is_json {
                return Err(Rejection {
                    status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    code: "unsupported_media_type",
                    message: "send the body as JSON with `Content-Type: application/json`".into(),
                }
                .into());
            }
            serde_json::from_slice(&bytes)
                .map(JsonBody)
                .map_err(|e| bad_request(format!("the request body is not valid JSON: {e}")))
        })
    }
}

impl JsonBody {
    /// The body as a `T`, or 422 naming the key path that did not fit.
    pub fn parse<T: DeserializeOwned>(self, what: &str) -> Result<T, ApiError> {
        let value = match self.0 {
            Value::Null => json!({}),
            other => other,
        };
        serde_path_to_error::deserialize(value).map_err(|e| {
            let mut path = e.path().to_string();
            let message = e.inner().to_string();
            if let Some(key) = message
                .split_once("unknown field `")
                .and_then(|(_, rest)| rest.split_once('`'))
                .map(|(key, _)| key)
            {
                if path == "." {
                    path = key.to_owned();
                } else if path != key && !path.ends_with(&format!(".{key}")) {
                    path = format!("{path}.{key}");
                }
            }
            let path = if path == "." { what.to_owned() } else { path };
            ApiError(AppError::invalid(path, message))
        })
    }

    /// The body, which must be present.
    pub fn required(self, what: &str) -> Result<Value, ApiError> {
        match self.0 {
            Value::Null => Err(ApiError(AppError::new(
                ErrorKind::BadRequest,
                format!("this endpoint needs a JSON body: {what}"),
            ))),
            other => Ok(other),
        }
    }
}

/// The query string as a `T`, or 400 naming what did not fit.
pub fn query<T: DeserializeOwned>(req: &HttpRequest) -> Result<T, ApiError> {
    serde_urlencoded::from_str(req.query_string()).map_err(|e| {
        let mut error = AppError::new(
            ErrorKind::BadRequest,
            format!("the query string does not fit: {e}"),
        );
        error.field = Some("query".into());
        ApiError(error)
    })
}

/// 422 for input problems: `field` is the first problem's key path, the message lists them all.
pub fn invalid(errors: FileErrors) -> ApiError {
    let field = errors
        .iter()
        .next()
        .map(|e| match &e.location {
            Location::Key(key) => key.clone(),
            Location::LineField { line, field } => format!("[{line}].{field}"),
            Location::Line(line) => format!("[{line}]"),
            Location::Whole => BODY.to_owned(),
        })
        .unwrap_or_else(|| BODY.to_owned());
    let message = errors
        .iter()
        .map(|e| match &e.location {
            Location::Key(key) => format!("{key}: {}", e.reason),
            _ => e.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    ApiError(AppError::invalid(field, message))
}

/// A service's refusal of rows from array `array` (line = 1-based index), as key paths.
pub fn rows_refused(array: &str, e: ServiceError) -> ApiError {
    match e {
        ServiceError::File(errors) => invalid(
            errors
                .into_vec()
                .into_iter()
                .map(|e| api_input::row_error(array, e, 0))
                .collect(),
        ),
        other => ApiError::from(other),
    }
}

/// Who to write in the audit log for an API call.
pub fn actor(caller: &ApiCaller) -> Actor {
    Actor(format!("api:{}", caller.0.email))
}

/// A call on one study: the caller (by token), the study of the path's `{slug}`, and the
/// caller's role in it, checked against the access the route table states for this endpoint
/// (`routes::ENDPOINTS`), so no handler names a role. 401 without a valid token, 404 for an
/// unknown study, 403 for a study the caller has no role in or too small a role.
pub struct StudyCall {
    pub caller: ApiCaller,
    pub study: Study,
    pub role: Role,
    state: web::Data<AppState>,
}

impl FromRequest for StudyCall {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = ApiCaller::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let caller = caller.await?;
            let state = crate::web::app_state(&req).map_err(ApiError)?;
            let needed = match endpoint::endpoint_of(&req).map(|e| e.access) {
                Some(Access::Study(role)) => role,
                other => {
                    return Err(ApiError(AppError::internal(anyhow::anyhow!(
                        "{} {} is not a study endpoint of the route table ({other:?})",
                        req.method(),
                        req.match_pattern().unwrap_or_default()
                    )))
                    .into())
                }
            };
            let slug = req.match_info().get("slug").unwrap_or_default().to_owned();
            let (study, role) = access(&state, &caller, &slug, needed).await?;
            Ok(StudyCall {
                caller,
                study,
                role,
                state,
            })
        })
    }
}

impl StudyCall {
    pub fn slug(&self) -> &str {
        &self.study.slug
    }

    pub fn actor(&self) -> Actor {
        actor(&self.caller)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Refuses the call unless the caller's role also includes `needed` (a stricter variant of
    /// the endpoint: identified exports need the owner).
    pub fn needs(&self, needed: Role) -> Result<(), ApiError> {
        if self.role.includes(needed) {
            Ok(())
        } else {
            Err(forbidden(&self.study.slug, Some(self.role), needed))
        }
    }

    /// Runs a use case on this study.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut Connection, &str) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.state.store.on_study(&self.study.slug, f).await
    }
}

/// The study `slug` if the caller's role in it includes `needed`.
async fn access(
    state: &AppState,
    caller: &ApiCaller,
    slug: &str,
    needed: Role,
) -> Result<(Study, Role), ApiError> {
    let facilitator_id = caller.0.id;
    let lookup = slug.to_owned();
    let access = state
        .store
        .run(move |conn| accounts::access(conn, facilitator_id, &lookup, needed))
        .await?;
    match access {
        accounts::Access::Granted { study, role } => Ok((*study, role)),
        accounts::Access::Denied { role } => Err(forbidden(slug, role, needed)),
    }
}

fn forbidden(slug: &str, role: Option<Role>, needed: Role) -> ApiError {
    ApiError(AppError::new(
        ErrorKind::Forbidden,
        match role {
            Some(role) => format!(
                "you are {} of the study `{slug}`; this needs the {} role",
                role.as_str(),
                needed.as_str()
            ),
            None => format!("you have no role in the study `{slug}`"),
        },
    ))
}
