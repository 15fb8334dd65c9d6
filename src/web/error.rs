//! Errors as users see them.
//!
//! `AppError` is what every web handler returns: a kind that fixes the HTTP status, a stable
//! machine code, a message safe to show, and (for 500s) the cause, which is logged with its
//! whole chain and never shown. `PageError` renders it as an HTML page, `ApiError` as JSON
//! `{"error": code, "message": ...}`.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::service::ServiceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400: the request itself is malformed.
    BadRequest,
    /// 401: no valid credentials.
    Unauthorized,
    /// 403: valid credentials, not allowed.
    Forbidden,
    /// 404
    NotFound,
    /// 409: conflicts with the current state (round already open, duplicate slug).
    Conflict,
    /// 422: well-formed but invalid input; `field` names what was wrong.
    Invalid,
    /// 429
    TooManyRequests,
    /// 503: the database is unreachable or overloaded; try again.
    Unavailable,
    /// 500: a bug or an unexpected failure; details are only in the log.
    Internal,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Invalid => "invalid",
            ErrorKind::TooManyRequests => "too_many_requests",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }
}

pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
    cause: Option<anyhow::Error>,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AppError {
            kind,
            message: message.into(),
            field: None,
            cause: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::new(ErrorKind::NotFound, message)
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError {
            field: Some(field.into()),
            ..AppError::new(ErrorKind::Invalid, message)
        }
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        AppError {
            cause: Some(cause.into()),
            ..AppError::new(
                ErrorKind::Internal,
                "Something went wrong on our side. It has been logged; please try again.",
            )
        }
    }

    fn log(&self) {
        if let Some(cause) = &self.cause {
            tracing::error!(error = ?cause, kind = self.kind.code(), "request failed");
        }
    }

    fn body(&self) -> ErrorBody<'_> {
        ErrorBody {
            error: self.kind.code(),
            message: &self.message,
            field: self.field.as_deref(),
        }
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, " ({cause:#})")?;
        }
        Ok(())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::File(errors) => AppError::new(ErrorKind::Invalid, errors.to_string()),
            ServiceError::Invalid { field, reason } => AppError::invalid(field, reason),
            ServiceError::NotFound(message) => AppError::not_found(message),
            ServiceError::Conflict(message) => AppError::new(ErrorKind::Conflict, message),
            e if e.is_unavailable() => AppError {
                cause: Some(e.into()),
                ..AppError::new(
                    ErrorKind::Unavailable,
                    "The database is not reachable right now. Nothing was changed; please try again in a moment.",
                )
            },
            e => AppError::internal(e),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// What both answers of an `AppError` (`ApiError`, `PageError`) have alike: made from anything
/// that becomes an `AppError` (so `?` works on service errors), shown as it, answered with its
/// kind's status after logging its cause; only the body differs, drawn by `$body`.
macro_rules! wraps_app_error {
    ($answer:ident, $body:path) => {
        impl<E: Into<AppError>> From<E> for $answer {
            fn from(e: E) -> Self {
                $answer(e.into())
            }
        }

        impl fmt::Display for $answer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl ResponseError for $answer {
            fn status_code(&self) -> StatusCode {
                self.0.kind.status()
            }

            fn error_response(&self) -> HttpResponse {
                self.0.log();
                $body(&self.0)
            }
        }
    };
}

/// An error answered as JSON, for `/api` and machine endpoints.
#[derive(Debug)]
pub struct ApiError(pub AppError);

wraps_app_error!(ApiError, json_answer);

fn json_answer(error: &AppError) -> HttpResponse {
    HttpResponse::build(error.kind.status()).json(error.body())
}

/// An error answered as an HTML page, for everything people open in a browser.
#[derive(Debug)]
pub struct PageError(pub AppError);

wraps_app_error!(PageError, page_answer);

fn page_answer(error: &AppError) -> HttpResponse {
    let status = error.kind.status();
    let context = serde_json::json!({
        "lang": "en",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "message": error.message,
    });
    let html = crate::web::templates::render("pages/error", &context).unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page template failed");
        format!("<!doctype html><title>{}</title><p>{}", status.as_u16(), status)
    });
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html)
}
