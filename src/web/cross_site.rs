//! No state changes from other sites: a POST, PUT, PATCH or DELETE that the browser says comes
//! from another site is refused (403, a page saying why) before any handler runs, so nothing
//! is changed and nobody is signed in. This stands beside the CSRF tokens (the session's for
//! console forms, the pre-session one of the sign-in form): a token missing from an old page or
//! leaked somewhere still does not let another site act, and the sign-in, set-up, invitation
//! and password forms, which have no session yet, are covered too.
//!
//! What the browser says, in order:
//! - `Sec-Fetch-Site` (Fetch Metadata, every current browser): `cross-site` is refused;
//!   `same-origin` is allowed — the browser compares the page with the address it actually
//!   requested, which no other site can influence.
//! - Otherwise (an older browser, or `same-site`/`none`), `Origin`: allowed only when it is the
//!   origin of `[server] public_url`, or, with no public URL configured, the request's own
//!   `Host` (with the scheme of `client_addr::scheme`); `Origin: null` (a sandboxed or
//!   privacy-redirected page) is refused.
//! - Neither header: allowed. Browsers send at least one of them on every POST, so such a
//!   request comes from a script or a very old browser, and the CSRF tokens decide.
//!
//! Not checked:
//! - Requests with an `Authorization` header: the API authenticates by bearer token only,
//!   never by cookie, and no other site's page can add that header without a CORS preflight,
//!   which this server never grants.
//! - `POST /u/{token}`, the RFC 8058 one-click unsubscribe: mail providers send it from their
//!   own servers or web mail pages, cross-site by design. It needs the secret link token and
//!   only withdraws the expert the link belongs to.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, ResponseError};

use super::error::{ApiError, AppError, ErrorKind, PageError};
use super::{client_addr, AppState};

/// Paths whose state-changing requests other sites may send (see the module's comment).
const CROSS_SITE_ALLOWED: &[&str] = &["/u/"];

const REFUSED: &str = "This request came from another website, so it was refused and nothing \
                       was changed. If you meant to do this, open Delphi at its own address and \
                       try again from its page.";

/// Why a request was refused, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `Sec-Fetch-Site: cross-site`.
    CrossSite,
    /// An `Origin` that is not ours (or `null`).
    ForeignOrigin,
}

impl Refusal {
    fn as_str(self) -> &'static str {
        match self {
            Refusal::CrossSite => "Sec-Fetch-Site: cross-site",
            Refusal::ForeignOrigin => "Origin of another site",
        }
    }
}

/// Whether a request may go on. `own_origin` is asked only when the `Origin` header decides.
pub fn check(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    own_origin: impl FnOnce() -> Option<String>,
) -> Result<(), Refusal> {
    let safe = matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if safe
        || headers.contains_key(header::AUTHORIZATION)
        || CROSS_SITE_ALLOWED.iter().any(|prefix| path.starts_with(prefix))
    {
        return Ok(());
    }
    let fetch_site = headers
        .get("sec-fetch-site")
        .map(|v| v.to_str().unwrap_or("").trim().to_ascii_lowercase());
    match fetch_site.as_deref() {
        Some("cross-site") => return Err(Refusal::CrossSite),
        Some("same-origin") => return Ok(()),
        _ => {}
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().ok().and_then(origin_of);
    match (origin, own_origin()) {
        (Some(origin), Some(own)) if origin == own => Ok(()),
        _ => Err(Refusal::ForeignOrigin),
    }
}

/// The ASCII serialization of a URL's origin (`https://delphi.example.org`, default port
/// dropped, host lower-cased), so that spellings of one origin compare equal; `None` for
/// `null` and anything that is not a URL with a host.
pub fn origin_of(url: &str) -> Option<String> {
    let origin = url::Url::parse(url.trim()).ok()?.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// This server's origin as browsers should see it: the public URL's, or, without one, the
/// request's own scheme and `Host`.
fn own_origin(req: &HttpRequest) -> Option<String> {
    let public_url = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.server.public_url.clone())
        .unwrap_or_default();
    if !public_url.is_empty() {
        return origin_of(&public_url);
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))?;
    origin_of(&format!("{}://{host}", client_addr::scheme(req)))
}

/// The middleware (wired in `startup` with `middleware::from_fn`, inside `security_headers` so
/// that its refusals carry them): a refused request never reaches its handler.
pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let checked = check(req.method(), req.path(), req.headers(), || {
        own_origin(req.request())
    });
    let Err(refusal) = checked else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // The path is not logged: expert and set-up links carry their secret in it.
    tracing::warn!(
        method = %req.method(),
        client = %client_addr::client_addr(req.request()),
        reason = refusal.as_str(),
        "cross-site request refused"
    );
    let error = AppError::new(ErrorKind::Forbidden, REFUSED);
    let response = if req.path().starts_with("/api/") || super::asks_for_json(req.headers()) {
        ApiError(error).error_response()
    } else {
        PageError(error).error_response()
    };
    Ok(req.into_response(response))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        map
    }

    fn ours() -> Option<String> {
        Some("https://delphi.example.org".into())
    }

    fn post(path: &str, pairs: &[(&'static str, &'static str)]) -> Result<(), Refusal> {
        check(&Method::POST, path, &headers(pairs), ours)
    }

    #[test]
    fn other_sites_cannot_post() {
        assert_eq!(
            post("/login", &[("sec-fetch-site", "cross-site")]),
            Err(Refusal::CrossSite)
        );
        assert_eq!(
            post("/login", &[("origin", "https://evil.example")]),
            Err(Refusal::ForeignOrigin)
        );
        assert_eq!(post("/login", &[("origin", "null")]), Err(Refusal::ForeignOrigin));
        // A sibling subdomain is same-site, not same-origin.
        assert_eq!(
            post(
                "/console/studies",
                &[
                    ("sec-fetch-site", "same-site"),
                    ("origin", "https://files.example.org")
                ]
            ),
            Err(Refusal::ForeignOrigin)
        );
        assert_eq!(
            check(
                &Method::DELETE,
                "/console/x",
                &headers(&[("sec-fetch-site", "cross-site")]),
                ours
            ),
            Err(Refusal::CrossSite)
        );
    }

    #[test]
    fn this_site_scripts_links_and_mail_providers_can() {
        assert_eq!(post("/login", &[("sec-fetch-site", "same-origin")]), Ok(()));
        assert_eq!(
            post("/login", &[("origin", "HTTPS://Delphi.Example.org:443")]),
            Ok(())
        );
        assert_eq!(post("/login", &[]), Ok(()), "no browser said anything");
        assert_eq!(
            post(
                "/api/v1/studies",
                &[("authorization", "Bearer x"), ("sec-fetch-site", "cross-site")]
            ),
            Ok(())
        );
        assert_eq!(
            post(
                "/u/abc",
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://mail.example")
                ]
            ),
            Ok(()),
            "RFC 8058 one-click unsubscribe"
        );
        assert_eq!(
            check(
                &Method::GET,
                "/r/abc",
                &headers(&[("sec-fetch-site", "cross-site")]),
                ours
            ),
            Ok(()),
            "a link in an email is a cross-site GET"
        );
    }

    #[test]
    fn origins_compare_by_scheme_host_and_port() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/"),
            Some("http://127.0.0.1:8080".into())
        );
        assert_eq!(
            origin_of("http://Delphi.test:80"),
            Some("http://delphi.test".into())
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("data:text/plain,x"), None);
        assert_ne!(origin_of("http://delphi.test"), origin_of("https://delphi.test"));
    }
}
