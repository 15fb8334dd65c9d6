//! `GET /healthz`: is the process up and can it reach its database?

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::AppState;
use crate::service::store::Health;

#[derive(Serialize)]
struct Answer {
    status: &'static str,
    version: &'static str,
    database: &'static str,
    migrations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
}

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let version = env!("CARGO_PKG_VERSION");
    let database = state.store.backend();
    match state.store.health().await {
        Health::Up { migrations } => HttpResponse::Ok().json(Answer {
            status: "ok",
            version,
            database,
            migrations: Some(migrations),
            error: None,
        }),
        Health::Down { reason } => HttpResponse::ServiceUnavailable().json(Answer {
            status: "unavailable",
            version,
            database,
            migrations: None,
            error: Some(reason),
        }),
    }
}
