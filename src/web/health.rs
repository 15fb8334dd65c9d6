//! `GET /healthz`: is the process up and can it reach its database?

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::AppState;
use crate::db::{migrations, DbError};

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
    migrations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let applied = state
        .db
        .run(|conn| migrations::applied(conn).map(|v| v.len()))
        .await;
    let database = state.db.backend().as_str();
    let version = env!("CARGO_PKG_VERSION");
    match applied {
        Ok(count) => HttpResponse::Ok().json(Health {
            status: "ok",
            version,
            database,
            migrations: Some(count),
            error: None,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            let message = match e {
                DbError::Unavailable(_) | DbError::Connect { .. } => "database unreachable",
                _ => "database error",
            };
            HttpResponse::ServiceUnavailable().json(Health {
                status: "unavailable",
                version,
                database,
                migrations: None,
                error: Some(message.into()),
            })
        }
    }
}
