//! The audit log of a study: the latest entries and whether the hash chain is intact.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::render;
use crate::i18n;
use crate::service::audit::{self, AuditCheck};
use crate::web::auth::require_role;
use crate::web::auth::{Facilitator, Role};
use crate::web::error::PageError;
use crate::web::AppState;

/// Entries shown; the command line (`delphi audit`) has them all.
const SHOWN: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/audit", web::get().to(page));
}

pub async fn page(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let (study, _) = require_role(&state, &facilitator, &slug, Role::Viewer).await?;
    let lookup = slug.clone();
    let (entries, check) = state
        .store
        .run(move |conn| audit::latest(conn, &lookup, SHOWN))
        .await?;
    let lang = facilitator.lang;
    let (intact, chain) = match check {
        AuditCheck::Intact { entries } => (
            true,
            i18n::translate(lang, "console2-audit-intact", &[("n", (entries as i64).into())]),
        ),
        AuditCheck::Broken { id, reason } => (
            false,
            i18n::translate(
                lang,
                "console2-audit-broken",
                &[("id", id.into()), ("reason", reason.into())],
            ),
        ),
    };
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "at": e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                "actor": e.actor,
                "action": e.action,
                "details": e.details,
            })
        })
        .collect();
    render(
        &facilitator,
        StatusCode::OK,
        "console/audit",
        json!({
            "title": i18n::translate(lang, "console2-audit-title", &[("study", study.title.clone().into())]),
            "slug": slug,
            "intact": intact,
            "chain": chain,
            "entries": rows,
            "limit": SHOWN,
        }),
    )
}
