//! Signing in and out, and resetting a forgotten password.
//!
//! The sign-in answer for a wrong password and for an unknown email is the same page, and takes
//! the same time (an unknown email is checked against a decoy hash). The "forgot" form answers
//! the same whether or not the email has an account.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::one_time::{dead, Live, OneTime};
use super::{login_token, safe_next, session_cookie, signed_in, CsrfForm, SESSION_COOKIE};
use crate::service::accounts::{self, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::service::{Connection, ServiceError};
use crate::web::auth::setup::setup_first;
use crate::web::client_addr::client_addr;
use crate::web::error::{AppError, PageError};
use crate::web::html::{see_other, titled_page};
use crate::web::mail_pages::Requested;
use crate::web::{console_language_of, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/password/forgot", web::get().to(forgot_form))
        .route("/password/forgot", web::post().to(forgot))
        .route("/password/reset/{token}", web::get().to(reset_form))
        .route("/password/reset/{token}", web::post().to(reset));
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// A notice to show: `signed_out` or `password_changed`.
    done: Option<String>,
}

/// What the sign-in page shows besides the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LoginState {
    Ask,
    Failed,
    TooMany,
    /// The form's token was missing or not the browser's (login CSRF).
    Expired,
    SignedOut,
    PasswordChanged,
}

impl LoginState {
    fn status(self) -> StatusCode {
        match self {
            LoginState::Ask | LoginState::SignedOut | LoginState::PasswordChanged => StatusCode::OK,
            LoginState::Failed => StatusCode::UNPROCESSABLE_ENTITY,
            LoginState::TooMany => StatusCode::TOO_MANY_REQUESTS,
            LoginState::Expired => StatusCode::FORBIDDEN,
        }
    }
}

/// The sign-in page, with the form's token (and the cookie that holds it, when the browser has
/// none yet).
fn login_page(
    req: &HttpRequest,
    app: &AppState,
    state: LoginState,
    next: &str,
    email: &str,
) -> Result<HttpResponse, PageError> {
    let lang = console_language_of(req);
    let (csrf, cookie) = login_token::issue(req, app.settings.accounts.secure_cookies);
    let context = json!({
        "next": next,
        "email": email,
        "csrf": csrf,
        "failed": state == LoginState::Failed,
        "too_many": state == LoginState::TooMany,
        "expired": state == LoginState::Expired,
        "signed_out": state == LoginState::SignedOut,
        "password_changed": state == LoginState::PasswordChanged,
    });
    let mut response = titled_page(state.status(), "pages/login", lang, "login-title", context)?;
    if let Some(cookie) = cookie {
        response
            .add_cookie(&cookie)
            .map_err(|e| AppError::internal(anyhow::anyhow!("cookie {}: {e}", login_token::LOGIN_COOKIE)))?;
    }
    Ok(response)
}

pub async fn login_form(
    req: HttpRequest,
    app: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let next = safe_next(query.next.as_deref());
    if signed_in(&req).await?.is_some() {
        return Ok(see_other(&next));
    }
    if let Some(redirect) = setup_first(&req).await? {
        return Ok(redirect);
    }
    let state = match query.done.as_deref() {
        Some("signed_out") => LoginState::SignedOut,
        Some("password_changed") => LoginState::PasswordChanged,
        _ => LoginState::Ask,
    };
    login_page(&req, &app, state, &next, "")
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
    /// The sign-in form's token (`login_token`).
    #[serde(default)]
    csrf: String,
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let LoginForm {
        email,
        password,
        next,
        csrf,
    } = form.into_inner();
    let next = safe_next(next.as_deref());
    // Before anything else: a form this browser was not given signs nobody in (login CSRF).
    if !login_token::accepted(&req, &csrf) {
        tracing::info!(client = %client_addr(&req), "sign-in refused: the form's token was missing or wrong");
        return login_page(&req, &state, LoginState::Expired, &next, &email);
    }
    let client = client_addr(&req);
    if !state.limits.logins.allow(client).await {
        tracing::info!(client = %client, "sign-in refused: too many attempts");
        return login_page(&req, &state, LoginState::TooMany, &next, &email);
    }
    let lookup = email.clone();
    let candidate = state
        .store
        .run(move |conn| accounts::login_candidate(conn, &lookup))
        .await?;
    let (id, stored) = match candidate {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    // Argon2 takes a while on purpose: off the async workers.
    let matches = web::block(move || accounts::password_matches(stored.as_deref(), &password))
        .await
        .map_err(AppError::internal)?;
    let Some(id) = id.filter(|_| matches) else {
        tracing::info!(email = %mask(&email), client = %client, "sign-in refused");
        return login_page(&req, &state, LoginState::Failed, &next, &email);
    };
    super::start_session(&req, &state, id, &next).await
}

/// `a***@example.org`: enough to follow a log, not enough to harvest addresses.
fn mask(email: &str) -> String {
    match email.trim().split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('?')),
        None => "***".into(),
    }
}

#[derive(Debug, Deserialize)]
pub struct NoFields {}

pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let session_id = form.facilitator.session_id;
    state
        .store
        .run(move |conn| accounts::end_session(conn, session_id))
        .await?;
    let mut response = see_other("/login?done=signed_out");
    let cookie = session_cookie(&req, state.settings.accounts.secure_cookies, "");
    response
        .add_removal_cookie(&cookie)
        .map_err(|e| AppError::internal(anyhow::anyhow!("removal cookie for {SESSION_COOKIE}: {e}")))?;
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Password reset

fn reset_minutes(state: &AppState) -> i64 {
    (state.settings.accounts.password_reset_secs / 60).max(1) as i64
}

fn forgot_page(lang: &str, said: Requested, minutes: i64) -> Result<HttpResponse, PageError> {
    let mut context = said.shown();
    context["minutes"] = json!(minutes);
    titled_page(
        said.status(),
        "pages/password_forgot",
        lang,
        "password-forgot-title",
        context,
    )
}

pub async fn forgot_form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    forgot_page(console_language_of(&req), Requested::Ask, reset_minutes(&state))
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// Always the same answer; failures are logged, not shown, for the same reason.
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, PageError> {
    let lang = console_language_of(&req);
    let minutes = reset_minutes(&state);
    if !state.limits.link_requests.allow(client_addr(&req)).await {
        return forgot_page(lang, Requested::TooMany, minutes);
    }
    let email = form.into_inner().email;
    let base = state.settings.public_url();
    let valid_for = accounts::seconds(state.settings.accounts.password_reset_secs);
    let outcome = state
        .store
        .run(move |conn| accounts::request_password_reset(conn, &email, &base, lang, valid_for))
        .await;
    if let Err(e) = outcome {
        tracing::error!(error = %e, "a password-reset request failed");
    }
    forgot_page(lang, Requested::Sent, minutes)
}

/// What the reset page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResetState {
    Ask,
    /// The link is unknown, used or expired.
    Dead,
    Mismatch,
    TooShort,
    TooLong,
}

fn reset_page(
    status: StatusCode,
    lang: &str,
    state: ResetState,
    token: &str,
) -> Result<HttpResponse, PageError> {
    let context = json!({
        "token": token,
        "min": MIN_PASSWORD_CHARS,
        "dead": state == ResetState::Dead,
        "mismatch": state == ResetState::Mismatch,
        "too_short": state == ResetState::TooShort,
        "too_long": state == ResetState::TooLong,
        "max": MAX_PASSWORD_CHARS,
    });
    titled_page(
        status,
        "pages/password_reset",
        lang,
        "password-reset-title",
        context,
    )
}

/// The link of a password-reset email.
pub enum ResetLink {}

impl OneTime for ResetLink {
    type Found = ();

    fn find(conn: &mut Connection, token: &str) -> Result<Option<()>, ServiceError> {
        Ok(accounts::reset_link_works(conn, token)?.then_some(()))
    }

    fn dead_page(req: &HttpRequest, status: StatusCode) -> Result<HttpResponse, PageError> {
        reset_page(status, console_language_of(req), ResetState::Dead, "")
    }
}

pub async fn reset_form(req: HttpRequest, link: Live<ResetLink>) -> Result<HttpResponse, PageError> {
    reset_page(
        StatusCode::OK,
        console_language_of(&req),
        ResetState::Ask,
        &link.token,
    )
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ResetForm>,
    link: Live<ResetLink>,
) -> Result<HttpResponse, PageError> {
    let token = link.token;
    let lang = console_language_of(&req);
    let ResetForm { password, confirm } = form.into_inner();
    let refused = if password != confirm {
        Some(ResetState::Mismatch)
    } else if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(ResetState::TooShort)
    } else if password.chars().count() > MAX_PASSWORD_CHARS {
        Some(ResetState::TooLong)
    } else {
        None
    };
    if let Some(refused) = refused {
        return reset_page(StatusCode::UNPROCESSABLE_ENTITY, lang, refused, &token);
    }
    let hash = super::problems::hashed(password).await?;
    let spent = token.clone();
    let changed = state
        .store
        .run(move |conn| accounts::reset_password(conn, &spent, &hash))
        .await?;
    if !changed {
        // Used by a concurrent request between the check above and now.
        return dead::<ResetLink>(&req, &state).await;
    }
    Ok(see_other("/login?done=password_changed"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails_are_masked_in_logs() {
        assert_eq!(super::mask(" ada@example.org"), "a***@example.org");
        assert_eq!(super::mask("nonsense"), "***");
    }
}
