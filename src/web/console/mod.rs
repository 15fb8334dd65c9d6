//! The facilitator console. Every page requires signing in: a study's pages through the
//! `access` extractors (`StudyAccess<R>`, `StudyForm<R, T>`: a role in the study of the path),
//! the others through `Facilitator`. Pages render inside `templates/console/layout.hbs`, which
//! carries the navigation and the sign-out form; `render` adds what that layout needs.
//!
//! One module per part of the console: `study` (overview and dashboard), `rounds` (open,
//! remind, close), `imports` (new study, items and panel), `results` (tables, charts and
//! downloads), `suggestions` (triage of suggested items), `audit` (the audit log), `team`
//! (roles), `content` (sections, items and groups), `rule` (the consensus-rule editor) and
//! `accounts` (administrators only).

// Named apart from `service::accounts`, which this module uses.
mod access;
#[path = "accounts.rs"]
mod account_admin;
mod audit;
mod content;
mod imports;
mod results;
mod rounds;
mod rule;
mod study;
mod suggestions;
mod team;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::auth::Facilitator;
use super::{templates, AppState};
use crate::i18n;
use crate::service::accounts;
use crate::service::ServiceError;
use crate::web::error::{AppError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console", web::get().to(home));
    imports::configure(cfg);
    study::configure(cfg);
    rounds::configure(cfg);
    results::configure(cfg);
    audit::configure(cfg);
    suggestions::configure(cfg);
    team::configure(cfg);
    account_admin::configure(cfg);
    content::configure(cfg);
    rule::configure(cfg);
}

/// A console message without arguments, in `lang`.
fn t(lang: &str, key: &str) -> String {
    i18n::translate(lang, key, &[])
}

/// 303 to `location` after a POST, so a reload does not send the form again.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// A use case's refusal (a round already open, a bad file …) as a console page naming the
/// reason, with a way back; failures of ours stay the generic error page.
pub fn refusal(
    facilitator: &Facilitator,
    error: ServiceError,
    back: &str,
) -> Result<HttpResponse, PageError> {
    if !error.is_bad_input() {
        return Err(PageError(error.into()));
    }
    let app: AppError = error.into();
    let lang = facilitator.lang;
    render(
        facilitator,
        app.kind.status(),
        "console/refused",
        json!({
            "title": i18n::translate(lang, "console2-refused-title", &[]),
            "message": app.message,
            "back": back,
        }),
    )
}

/// Renders console page `name` (e.g. `console/home`) with `context`, adding `lang`, `me` (name
/// and email) and `csrf` for the layout. `context` must be a JSON object.
pub fn render(
    facilitator: &Facilitator,
    status: StatusCode,
    name: &str,
    context: serde_json::Value,
) -> Result<HttpResponse, PageError> {
    let mut context = context;
    if let Some(map) = context.as_object_mut() {
        map.insert("lang".into(), json!(facilitator.lang));
        map.insert(
            "me".into(),
            json!({ "name": facilitator.name, "email": facilitator.email, "is_admin": facilitator.is_admin }),
        );
        map.insert("csrf".into(), json!(facilitator.csrf));
    }
    let html = templates::render(name, &context).map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// The studies the facilitator has a role in.
pub async fn home(facilitator: Facilitator, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let id = facilitator.id;
    let studies = state
        .store
        .run(move |conn| accounts::my_studies(conn, id))
        .await?;
    let lang = facilitator.lang;
    let rows: Vec<serde_json::Value> = studies
        .iter()
        .map(|s| {
            json!({
                "href": format!("/console/s/{}", s.slug),
                "slug": s.slug,
                "title": s.title,
                "status": i18n::translate(lang, &format!("console-status-{}", s.status), &[]),
                "role": i18n::translate(lang, &format!("console-role-{}", s.role.as_str()), &[]),
            })
        })
        .collect();
    render(
        &facilitator,
        StatusCode::OK,
        "console/home",
        json!({
            "title": i18n::translate(lang, "console-home-title", &[]),
            "studies": rows,
            "can_create": true,
        }),
    )
}
