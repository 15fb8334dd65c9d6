//! The landing page: what Delphi is and what a newcomer does next.

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::{templates, AppState};
use crate::service::accounts;
use crate::web::error::{AppError, PageError};

pub async fn home(state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let needs_setup = state.store.run(accounts::needs_setup).await?;
    let context = json!({
        "needs_setup": needs_setup,
        "lang": "en",
        "title": "Delphi",
        "version": env!("CARGO_PKG_VERSION"),
        "database": state.store.backend(),
        "outbox_dir": state.settings.outbox_dir().display().to_string(),
        "transport": state.settings.email.transport.as_str(),
    });
    let html = templates::render("pages/home", &context).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// Anything not routed: an HTML 404 for people, JSON for API clients.
pub async fn not_found(req: actix_web::HttpRequest) -> actix_web::Result<HttpResponse> {
    let error = AppError::not_found(format!("There is nothing at {}.", req.path()));
    if req.path().starts_with("/api/") {
        Err(crate::web::error::ApiError(error).into())
    } else {
        Err(PageError(error).into())
    }
}
