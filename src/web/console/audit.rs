//! The audit log of a study: the latest entries and whether the hash chain is intact.

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::access::{StudyAccess, Viewer};
use crate::i18n;
use crate::service::audit::{self, AuditCheck};
use crate::web::error::PageError;

/// Entries shown; the command line (`delphi audit`) has them all.
const SHOWN: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/audit", web::get().to(page));
}

pub async fn page(access: StudyAccess<Viewer>) -> Result<HttpResponse, PageError> {
    let (entries, check) = access.run(|conn, slug| audit::latest(conn, slug, SHOWN)).await?;
    let lang = access.lang();
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
    access.render(
        "console/audit",
        json!({
            "title": access.titled("console2-audit-title"),
            "intact": intact,
            "chain": chain,
            "entries": rows,
            "limit": SHOWN,
        }),
    )
}
