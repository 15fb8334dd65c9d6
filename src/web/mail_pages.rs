//! The expert's email pages: "I lost my link" and leaving a study from the unsubscribe link.
//! Neither needs a session, so neither needs a CSRF token: the lost-link form only ever sends
//! an email to the address on file, and the unsubscribe POST needs the secret link token. The
//! unsubscribe POST is also the one state-changing request `web::cross_site` lets other sites
//! send: RFC 8058 one-click unsubscribes come from mail providers, cross-site by design.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::client_addr::client_addr;
use super::html::titled_page;
use super::{expert_language_of, AppState};
use crate::service::{mail, ServiceError};
use crate::web::error::{AppError, ErrorKind, PageError};

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    email: String,
}

/// What a page that emails a link on request says (this lost-link page, and the console's
/// forgotten password): the form, "if the address is known, a link is on its way", or "too many
/// requests from here" (429).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    Ask,
    Sent,
    TooMany,
}

impl Requested {
    /// 429 after too many requests from one address, 200 otherwise.
    pub fn status(self) -> StatusCode {
        if self == Requested::TooMany {
            StatusCode::TOO_MANY_REQUESTS
        } else {
            StatusCode::OK
        }
    }

    /// What the page's template tests: `ask`, `sent` and `too_many`.
    pub fn shown(self) -> Value {
        json!({
            "ask": self == Requested::Ask,
            "sent": self == Requested::Sent,
            "too_many": self == Requested::TooMany,
        })
    }
}

fn link_page(lang: &str, said: Requested) -> Result<HttpResponse, PageError> {
    titled_page(said.status(), "pages/link", lang, "link-page-title", said.shown())
}

pub async fn link_form(req: HttpRequest) -> Result<HttpResponse, PageError> {
    link_page(expert_language_of(&req), Requested::Ask)
}

/// Always the same answer, whether or not the address is on a panel; failures are logged, not
/// shown, for the same reason.
pub async fn link_request(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, PageError> {
    let lang = expert_language_of(&req);
    let client = client_addr(&req);
    if !state.limits.link_requests.allow(client).await {
        return link_page(lang, Requested::TooMany);
    }
    let email = form.into_inner().email;
    let links = state.settings.links();
    let outcome = state
        .store
        .run(move |conn| mail::request_new_link(conn, &email, &links))
        .await;
    if let Err(e) = outcome {
        tracing::error!(error = %e, "a new-link request failed");
    }
    link_page(lang, Requested::Sent)
}

fn not_found(e: ServiceError) -> PageError {
    match e {
        ServiceError::NotFound(message) => PageError(AppError::not_found(message)),
        e @ ServiceError::Db(_) => PageError(AppError::from(e)),
        other => PageError(AppError::internal(anyhow::anyhow!(other.to_string()))),
    }
}

/// An unknown unsubscribe link is a guessed token like an unknown expert link, and counts
/// against the same per-address budget, so `/u/` is no way around the limit on `/r/`.
async fn unknown_link(state: &AppState, req: &HttpRequest, e: ServiceError) -> PageError {
    let client = client_addr(req);
    if matches!(e, ServiceError::NotFound(_)) && !state.limits.bad_tokens.allow(client).await {
        return PageError(AppError::new(
            ErrorKind::TooManyRequests,
            "too many unknown links from this address; try again in a minute",
        ));
    }
    not_found(e)
}

/// GET /u/{token}: the confirmation page (or "already done").
pub async fn unsubscribe_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    membership_page(req, state, path.into_inner(), false).await
}

/// Also the RFC 8058 one-click target: mail clients POST `List-Unsubscribe=One-Click` here,
/// from their own servers or web mail pages, so `web::cross_site` lets it through.
pub async fn unsubscribe(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    membership_page(req, state, path.into_inner(), true).await
}

/// The unsubscribe page for `token`, after withdrawing its expert when `withdraw` is set.
async fn membership_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: String,
    withdraw: bool,
) -> Result<HttpResponse, PageError> {
    let lookup = token.clone();
    let membership = state
        .store
        .run(move |conn| {
            if withdraw {
                mail::withdraw(conn, &lookup)
            } else {
                mail::membership(conn, &lookup)
            }
        })
        .await;
    let membership = match membership {
        Ok(membership) => membership,
        Err(e) => return Err(unknown_link(&state, &req, e).await),
    };
    let context = json!({
        "study": membership.study_title,
        "done": withdraw || membership.already_withdrawn,
        "token": token,
    });
    let lang = expert_language_of(&req);
    titled_page(
        StatusCode::OK,
        "pages/unsubscribe",
        lang,
        "unsubscribe-title",
        context,
    )
}
