//! Facilitator authentication for the console: the session cookie and the `Facilitator` and
//! `CsrfForm` extractors (the console's study extractors build on them). The pages (sign in and
//! out, password reset) are in `pages`.
//!
//! The session cookie holds a random 256-bit token; the database keeps only its SHA-256, so a
//! copy of the database does not let anyone in. Every console POST carries the session's CSRF
//! token in a hidden field `csrf`; SameSite=Lax alone would still let another site's form post
//! from a top-level navigation in older browsers. The sign-in form has a token of its own
//! (`login_token`), and `web::cross_site` refuses what browsers say comes from other sites.

pub mod join;
pub mod login_token;
pub mod one_time;
pub mod pages;
pub mod problems;
pub mod setup;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::service::accounts::{self, SessionPolicy, SignedIn};
use crate::service::Actor;
use crate::web::client_addr::{self, client_addr};
use crate::web::error::{AppError, ErrorKind, PageError};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "delphi_session";

/// Where a facilitator lands after signing in when the login link named no page.
pub const CONSOLE_HOME: &str = "/console";

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Runs when the server starts (once, whatever the number of workers), not on a request.
    accounts::warm_up();
    pages::configure(cfg);
    setup::configure(cfg);
    join::configure(cfg);
}

/// Starts a session for the facilitator `id` and sends the browser to `location` with its
/// cookie (after signing in, setting Delphi up, or joining).
pub async fn start_session(
    req: &HttpRequest,
    state: &crate::web::AppState,
    id: i64,
    location: &str,
) -> Result<HttpResponse, PageError> {
    let policy = SessionPolicy::from_settings(&state.settings.accounts);
    let session = state
        .store
        .run(move |conn| accounts::start_session(conn, id, &policy))
        .await?;
    tracing::info!(facilitator = id, "signed in");
    Ok(HttpResponse::SeeOther()
        .cookie(session_cookie(
            req,
            state.settings.accounts.secure_cookies,
            &session.token,
        ))
        .insert_header((header::LOCATION, location.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// The signed-in facilitator of a console request. Extracting it without a valid session
/// answers 303 to `/login?next=…` (the page asked for, for GETs).
#[derive(Debug, Clone)]
pub struct Facilitator {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: String,
    pub session_id: i64,
    /// The language of the console pages, from Accept-Language.
    pub lang: &'static str,
}

impl Facilitator {
    fn new(signed_in: SignedIn, lang: &'static str) -> Facilitator {
        Facilitator {
            id: signed_in.account.id,
            email: signed_in.account.email,
            name: signed_in.account.name,
            is_admin: signed_in.account.is_admin,
            csrf: signed_in.csrf,
            session_id: signed_in.session_id,
            lang,
        }
    }

    /// The facilitator of the request's session, or the 303 to the sign-in page.
    pub async fn of(req: &HttpRequest) -> Result<Facilitator, actix_web::Error> {
        match signed_in(req).await? {
            Some(facilitator) => Ok(facilitator),
            None => Err(sign_in_first(req)),
        }
    }

    /// The facilitator as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor(self.email.clone())
    }

    /// The CSRF check for a token that reached the handler some other way (a multipart upload):
    /// 403 unless it is this session's token.
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), PageError> {
        match submitted {
            Some(token) if accounts::constant_time_eq(token, &self.csrf) => Ok(()),
            _ => Err(csrf_refused()),
        }
    }
}

impl FromRequest for Facilitator {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Facilitator::of(&req).await })
    }
}

/// A console form: the signed-in facilitator and the decoded form, extracted only if the form's
/// `csrf` field is the session's token (403 otherwise). `T` must ignore the `csrf` field (serde
/// does by default, unless `deny_unknown_fields`).
pub struct CsrfForm<T> {
    pub facilitator: Facilitator,
    pub form: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = checked_form(req, payload);
        Box::pin(async move {
            let (facilitator, body) = checked.await?;
            let form = decode_form(&body)?;
            Ok(CsrfForm { facilitator, form })
        })
    }
}

/// The first steps of every console form: the signed-in facilitator (or the 303 to sign in),
/// then the body, accepted only if its `csrf` field is the session's token (403 otherwise).
pub fn checked_form(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<(Facilitator, web::Bytes), actix_web::Error>> {
    let req = req.clone();
    let body = web::Bytes::from_request(&req, payload);
    Box::pin(async move {
        let facilitator = Facilitator::of(&req).await?;
        let body = body.await?;
        let submitted = url::form_urlencoded::parse(&body)
            .find(|(key, _)| key == "csrf")
            .map(|(_, value)| value.into_owned());
        facilitator.check_csrf(submitted.as_deref())?;
        Ok((facilitator, body))
    })
}

/// A form body as `T` (400 when it cannot be read).
pub fn decode_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, PageError> {
    serde_urlencoded::from_bytes::<T>(body).map_err(|e| {
        PageError(AppError::new(
            ErrorKind::BadRequest,
            format!("The form could not be read: {e}."),
        ))
    })
}

fn csrf_refused() -> PageError {
    PageError(AppError::new(
        ErrorKind::Forbidden,
        "This form could not be accepted: it has expired or did not come from this site \
         (security check failed). Nothing was changed. Go back, reload the page and try again.",
    ))
}

/// The facilitator of the request's session cookie, if the session is valid; looked up once
/// per request.
pub async fn signed_in(req: &HttpRequest) -> Result<Option<Facilitator>, PageError> {
    if let Some(found) = req.extensions().get::<Facilitator>() {
        return Ok(Some(found.clone()));
    }
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let state = super::app_state(req)?;
    let token = cookie.value().to_string();
    let policy = SessionPolicy::from_settings(&state.settings.accounts);
    let found = state
        .store
        .run(move |conn| accounts::session(conn, &token, &policy))
        .await?;
    let facilitator = found.map(|s| Facilitator::new(s, super::console_language_of(req)));
    if let Some(facilitator) = &facilitator {
        req.extensions_mut().insert(facilitator.clone());
    }
    Ok(facilitator)
}

/// 303 to the sign-in page, remembering the page asked for (GETs only: a POST cannot be
/// replayed by a redirect).
fn sign_in_first(req: &HttpRequest) -> actix_web::Error {
    let location = if req.method() == actix_web::http::Method::GET {
        let target = req
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or(CONSOLE_HOME);
        format!("/login?next={}", encode(target))
    } else {
        "/login".to_string()
    };
    let response = crate::web::html::see_other(&location);
    actix_web::error::InternalError::from_response("sign in first", response).into()
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The page to go to after signing in: a local path only, so the login link cannot send people
/// to another site (`//evil.example` and `/\evil.example` are other sites to a browser).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.chars().any(char::is_control) =>
        {
            next.to_string()
        }
        _ => CONSOLE_HOME.to_string(),
    }
}

/// How a link token that opens nothing is answered: 404, then 429 once the address has
/// guessed too much (the limit shared by expert, reset, set-up and invitation links, so that
/// scanners see 429s and go away; guessing 256 bits is hopeless anyway).
pub async fn guessed_token_status(
    req: &HttpRequest,
    state: &crate::web::AppState,
) -> actix_web::http::StatusCode {
    if state.limits.bad_tokens.allow(client_addr(req)).await {
        actix_web::http::StatusCode::NOT_FOUND
    } else {
        actix_web::http::StatusCode::TOO_MANY_REQUESTS
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on other sites'
/// POSTs), Path=/, and Secure when the request came over TLS or the settings say so. No
/// Max-Age: it ends with the browser, and the server ends it sooner when idle.
pub fn session_cookie(req: &HttpRequest, secure_setting: bool, token: &str) -> Cookie<'static> {
    let secure = secure_setting || client_addr::scheme(req) == "https";
    Cookie::build(SESSION_COOKIE, token.to_string())
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(secure)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/console/studies?x=1")), "/console/studies?x=1");
        for bad in [
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "console",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/console", "{bad}");
        }
        assert_eq!(safe_next(None), "/console");
    }
}
