//! The audit log of a study: the latest entries and whether the hash chain is intact.

use actix_web::{web, HttpResponse};
use fluent_bundle::FluentValue;
use serde_json::{json, Value};

use super::access::{StudyAccess, Viewer};
use crate::i18n;
use crate::service::audit::{self, AuditCheck};
use crate::web::error::PageError;

/// Entries shown; the command line (`delphi audit`) has them all.
const SHOWN: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/audit", web::get().to(page));
}

/// Who did it, as people say it: a facilitator's name, "the command line (user)", "the
/// scheduler"; anything else (an expert's pseudonym, an address no longer an account) as it is.
fn who(lang: &str, actor: &str, name: Option<&str>) -> String {
    if let Some(name) = name {
        return name.to_string();
    }
    if let Some(user) = actor.strip_prefix("cli:") {
        return i18n::translate(lang, "audit-actor-cli", &[("user", user.to_string().into())]);
    }
    match actor {
        "scheduler" => i18n::translate(lang, "audit-actor-scheduler", &[]),
        other => other.to_string(),
    }
}

/// The entry as a sentence (`audit-ACTION` with the details' fields as arguments), or `None`
/// for an action without one: the page then shows the action's name and its raw details.
fn sentence(lang: &str, action: &str, details: &str) -> Option<String> {
    let key = format!("audit-{}", action.replace(['.', '_'], "-"));
    if !i18n::has(lang, &key) {
        return None;
    }
    let fields: serde_json::Map<String, Value> = serde_json::from_str(details).unwrap_or_default();
    let args: Vec<(&str, FluentValue<'_>)> = fields
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::Number(n) => n.as_f64().map(FluentValue::from).unwrap_or(FluentValue::None),
                Value::String(text) => FluentValue::from(text.clone()),
                Value::Null => FluentValue::from("-"),
                other => FluentValue::from(other.to_string()),
            };
            (name.as_str(), value)
        })
        .collect();
    Some(i18n::translate(lang, &key, &args))
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
                "at": e.local_at,
                "utc": e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                "actor": who(lang, &e.actor, e.actor_name.as_deref()),
                "actor_id": e.actor,
                "action": e.action,
                "sentence": sentence(lang, &e.action, &e.named_details),
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
