//! HTTP: routes, shared state, and the middleware every request passes through.

pub mod api;
pub mod assets;
pub mod auth;
pub mod console;
pub mod expert;
pub mod health;
pub mod home;
pub mod mail_pages;
pub mod metrics;
pub mod rate_limit;
pub mod request_log;
pub mod templates;

use std::sync::Arc;

use actix_web::middleware::DefaultHeaders;
use actix_web::web;

use crate::config::Settings;
use crate::db::Db;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub limits: rate_limit::Limits,
    /// What the expert pages of a round share, built once per change (service::expert).
    pub expert_cache: Arc<crate::service::expert::ExpertCache>,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/metrics", web::get().to(metrics::metrics))
        .route("/static/{path:.*}", web::get().to(assets::serve))
        .route("/link", web::get().to(mail_pages::link_form))
        .route("/link", web::post().to(mail_pages::link_request))
        .route("/u/{token}", web::get().to(mail_pages::unsubscribe_form))
        .route("/u/{token}", web::post().to(mail_pages::unsubscribe))
        .configure(expert::configure)
        .configure(auth::configure)
        .configure(console::configure)
        .configure(api::configure);
}

/// Headers for every response. No page needs inline script, so the policy forbids it; the
/// referrer is never sent because expert links carry their token in the path.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
}
