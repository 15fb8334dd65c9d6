//! HTTP: routes, shared state, and the middleware every request passes through.

pub mod api;
pub mod assets;
pub mod auth;
pub mod client_addr;
pub mod console;
pub mod cross_site;
pub mod error;
pub mod expert;
pub mod health;
pub mod home;
pub mod html;
pub mod mail_pages;
pub mod metrics;
pub mod rate_limit;
pub mod request_log;
pub mod templates;

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::config::Settings;
use crate::service::Store;

fn accept_language(req: &actix_web::HttpRequest) -> &str {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// A facilitator's language from the request's `Accept-Language` (q-values and order
/// honoured) among the console's languages, else English: the sign-in, set-up and password
/// pages and the whole console are in it.
pub fn console_language_of(req: &actix_web::HttpRequest) -> &'static str {
    crate::i18n::negotiate_console(accept_language(req))
}

/// An expert's language from the request's `Accept-Language` among the experts' languages,
/// else English: the expert pages reached without a working link (lost link, unknown link,
/// unsubscribe) are in it.
pub fn expert_language_of(req: &actix_web::HttpRequest) -> &'static str {
    crate::i18n::negotiate_expert(accept_language(req))
}

/// The application's state, which every request's extractors start from.
pub fn app_state(req: &actix_web::HttpRequest) -> Result<web::Data<AppState>, error::AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| error::AppError::internal(anyhow::anyhow!("AppState is not registered")))
}

/// What every handler can reach.
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub limits: rate_limit::Limits,
    /// What the expert pages of a round share, built once per change (expert::view).
    pub expert_cache: Arc<expert::view::ExpertPages>,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The global body limits (see DEFAULT_BODY_LIMIT); scopes that need more set their own.
    cfg.app_data(web::PayloadConfig::new(DEFAULT_BODY_LIMIT))
        .app_data(web::FormConfig::default().limit(DEFAULT_BODY_LIMIT))
        .app_data(web::JsonConfig::default().limit(DEFAULT_BODY_LIMIT));
    // The router tries each pattern in turn, and a pattern with a `{segment}` is a regular
    // expression run over the path: the experts' pages, the most requested, come before the
    // other such patterns (none of which can match an `/r/…` path), so that their requests
    // run one instead of four (benches/request_cost.rs).
    cfg.route("/", web::get().to(home::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/metrics", web::get().to(metrics::metrics))
        .configure(expert::configure)
        .route("/static/{path:.*}", web::get().to(assets::serve))
        .route("/link", web::get().to(mail_pages::link_form))
        .route("/link", web::post().to(mail_pages::link_request))
        .route("/u/{token}", web::get().to(mail_pages::unsubscribe_form))
        .route("/u/{token}", web::post().to(mail_pages::unsubscribe))
        .configure(auth::configure)
        .configure(console::configure)
        .configure(api::configure);
}

/// The headers every response carries (see `security_headers`).
const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];

/// One year; no `includeSubDomains`, which would bind hosts this server knows nothing about.
const HSTS: &str = "max-age=31536000";

/// Seconds a rate-limited client is told to wait: long enough for every limit of
/// `rate_limit::Limits` to have refilled at least one attempt.
const RETRY_AFTER_SECS: &str = "60";

/// The default limit of a request body for every route that does not set its own: forms,
/// JSON and raw bodies (`web::Bytes`). Expert pages (`expert::configure`), the API
/// (`api::extract::BODY_LIMIT`) and console uploads raise it deliberately.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

const TOO_LARGE: &str = "413 Payload Too Large: the request is larger than this address accepts, \
                         so nothing was saved. Shorten the text or split the file, then try again.";

/// Whether a request sends or accepts JSON: script clients (the API, autosave) read errors as
/// JSON, people read pages.
pub fn asks_for_json(headers: &header::HeaderMap) -> bool {
    [header::CONTENT_TYPE, header::ACCEPT].iter().any(|name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"))
    })
}

/// Headers for every response. No page needs inline script, so the policy forbids it; the
/// referrer is never sent because expert links carry their token in the path. HSTS is added
/// only behind TLS: when the configured public URL is https, or the request came over https
/// (directly or, behind a trusted proxy, with `X-Forwarded-Proto: https`; see
/// `client_addr::scheme`). Browsers ignore HSTS on plain http anyway; sending it only there
/// keeps a plain-http test server usable. Every 429 gets a `Retry-After`, and a 413 whose body
/// is not JSON says plainly what happened. Wired in `startup` with `middleware::from_fn`.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let public_https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.settings.server.public_url.starts_with("https://"));
    let tls = public_https || client_addr::scheme(req.request()) == "https";
    let wants_json = asks_for_json(req.headers());
    let mut res = next.call(req).await?.map_into_boxed_body();
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let json = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            let answer = if wants_json {
                HttpResponse::PayloadTooLarge()
                    .json(serde_json::json!({ "error": "too_large", "message": TOO_LARGE }))
            } else {
                HttpResponse::PayloadTooLarge()
                    .content_type("text/plain; charset=utf-8")
                    .body(TOO_LARGE)
            };
            res = res.into_response(answer);
        }
    }
    let headers = res.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        let name = HeaderName::from_static(name);
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if tls {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if res.status() == StatusCode::TOO_MANY_REQUESTS && !res.headers().contains_key(header::RETRY_AFTER) {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECS));
    }
    Ok(res)
}
