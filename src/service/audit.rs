//! The audit log: the latest entries of a study, and the check of the hash chain that every
//! entry of every study belongs to.

use chrono::NaiveDateTime;
use std::collections::HashMap;

use serde::Serialize;

use super::accounts::constant_time_eq;
use super::{Actor, Connection, ServiceError};
use crate::db::models::audit::{entry_hash, AuditEntry, GENESIS};
use crate::db::models::facilitators::Facilitator;
use crate::db::models::studies::StudyRow;
use crate::db::DbConnection;
use crate::domain::study::Study;

/// Appends what `actor` did to `study` to the audit log, inside the caller's write transaction.
pub(crate) fn log(
    conn: &mut DbConnection,
    study: &Study,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    Ok(AuditEntry::append(
        conn,
        Some(study.id),
        &actor.0,
        action,
        &details,
        at,
    )?)
}

/// Appends what `actor` did to an account (theirs or another's), which belongs to no study.
pub(crate) fn log_account(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    Ok(AuditEntry::append(conn, None, &actor.0, action, &details, at)?)
}

/// The outcome of walking the audit log's hash chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every entry checked (of the study, with `--study`) is intact.
    Intact { entries: usize },
    /// The first entry whose hash or link is wrong.
    Broken { id: i64, reason: String },
}

/// Walks the whole chain: each entry's hash must be the hash of its own fields and its
/// predecessor's hash, and each `prev_hash` must be the hash of the entry before it. With
/// `study`, only that study's entries are checked and counted (each still against the entry
/// before it in the one chain all studies share).
pub fn verify_audit_log(conn: &mut DbConnection, study: Option<&str>) -> Result<AuditCheck, ServiceError> {
    let study_id = match study {
        Some(slug) => Some(
            StudyRow::by_slug(conn, slug)?
                .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))?
                .id,
        ),
        None => None,
    };
    let entries = AuditEntry::all(conn)?;
    let mut previous = GENESIS.to_string();
    let mut checked = 0;
    for entry in &entries {
        let wanted = study_id.is_none() || entry.study_id == study_id;
        if wanted {
            if entry.prev_hash != previous {
                return Ok(AuditCheck::Broken {
                    id: entry.id,
                    reason:
                        "its link to the entry before it is wrong (an entry was removed, inserted or changed)"
                            .into(),
                });
            }
            let recomputed = entry_hash(
                &entry.prev_hash,
                entry.study_id,
                &entry.actor,
                &entry.action,
                &entry.details,
                entry.created_at,
            );
            if !constant_time_eq(&recomputed, &entry.hash) {
                return Ok(AuditCheck::Broken {
                    id: entry.id,
                    reason: "its contents do not match its hash (the entry was changed)".into(),
                });
            }
            checked += 1;
        }
        previous = entry.hash.clone();
    }
    Ok(AuditCheck::Intact { entries: checked })
}

/// `details` (JSON) with each top-level text that is a facilitator's email replaced by their
/// name; anything else, or details that are not an object, as they are.
fn with_names(details: &str, names: &HashMap<String, String>) -> String {
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str::<serde_json::Value>(details) else {
        return details.to_owned();
    };
    for value in fields.values_mut() {
        let name = value
            .as_str()
            .and_then(|text| names.get(&text.to_ascii_lowercase()));
        if let Some(name) = name {
            *value = serde_json::Value::String(name.clone());
        }
    }
    serde_json::Value::Object(fields).to_string()
}

/// One entry of the log as people read it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: NaiveDateTime,
    /// `at` in the study's time zone.
    pub local_at: String,
    /// The facilitator's email, `cli:USER`, `scheduler` or an expert's pseudonym.
    pub actor: String,
    /// The facilitator's name when the actor is an account.
    pub actor_name: Option<String>,
    pub action: String,
    /// JSON.
    pub details: String,
    /// `details` with the email of every facilitator account it names replaced by their name,
    /// for the sentence people read ("Gave Bea Ng the role editor").
    pub named_details: String,
}

/// The study's latest `limit` entries, newest first, and whether the chain is intact.
pub fn latest(
    conn: &mut Connection,
    slug: &str,
    limit: i64,
) -> Result<(Vec<AuditLine>, AuditCheck), ServiceError> {
    let check = verify_audit_log(conn, Some(slug))?;
    let study = super::load::load(conn, slug)?;
    let names: HashMap<String, String> = Facilitator::all(conn)?
        .into_iter()
        .map(|f| (f.email, f.name))
        .collect();
    let lines = AuditEntry::of_study(conn, study.id, limit)?
        .into_iter()
        .map(|e| AuditLine {
            id: e.id,
            at: e.created_at,
            local_at: study.local_time(e.created_at),
            actor_name: names.get(&e.actor).cloned(),
            named_details: with_names(&e.details, &names),
            actor: e.actor,
            action: e.action,
            details: e.details,
        })
        .collect();
    Ok((lines, check))
}
