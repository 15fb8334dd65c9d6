use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::lookups::lookups;
use crate::db::schema::audit_log;
use crate::db::DbConnection;

/// The hash an empty log starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub study_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub details: String,
    pub created_at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

lookups!(AuditEntry in audit_log {
    /// The whole log, oldest first (a verification walks its chain).
    all by audit_log::id.asc();
});

/// SHA-256 over the previous hash and every field of the entry, unambiguously delimited.
pub fn entry_hash(
    prev_hash: &str,
    study_id: Option<i64>,
    actor: &str,
    action: &str,
    details: &str,
    created_at: NaiveDateTime,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        prev_hash,
        &study_id.map(|id| id.to_string()).unwrap_or_default(),
        actor,
        action,
        details,
        &created_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

impl AuditEntry {
    /// Appends an entry chained to the last one. Must run inside the caller's write
    /// transaction; on PostgreSQL a transaction-scoped advisory lock makes concurrent appends
    /// queue instead of both chaining to the same predecessor.
    pub fn append(
        conn: &mut DbConnection,
        study_id: Option<i64>,
        actor: &str,
        action: &str,
        details: &serde_json::Value,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        if let DbConnection::Postgres(pg) = conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock(727001)").execute(pg)?;
        }
        let prev: String = audit_log::table
            .order(audit_log::id.desc())
            .select(audit_log::hash)
            .first(conn)
            .optional()?
            .unwrap_or_else(|| GENESIS.to_string());
        let details = details.to_string();
        let hash = entry_hash(&prev, study_id, actor, action, &details, at);
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::study_id.eq(study_id),
                audit_log::actor.eq(actor),
                audit_log::action.eq(action),
                audit_log::details.eq(&details),
                audit_log::created_at.eq(at),
                audit_log::prev_hash.eq(&prev),
                audit_log::hash.eq(&hash),
            ))
            .execute(conn)?;
        Ok(())
    }
}

impl AuditEntry {
    /// A study's entries, newest first, at most `limit` (the console's audit page).
    pub fn of_study(conn: &mut DbConnection, study_id: i64, limit: i64) -> QueryResult<Vec<AuditEntry>> {
        audit_log::table
            .filter(audit_log::study_id.eq(study_id))
            .order(audit_log::id.desc())
            .limit(limit)
            .select(AuditEntry::as_select())
            .load(conn)
    }
    /// A study's entries of one `action`, oldest first.
    pub fn of_study_action(
        conn: &mut DbConnection,
        study_id: i64,
        action: &str,
    ) -> QueryResult<Vec<AuditEntry>> {
        audit_log::table
            .filter(audit_log::study_id.eq(study_id))
            .filter(audit_log::action.eq(action))
            .order(audit_log::id.asc())
            .select(AuditEntry::as_select())
            .load(conn)
    }
}
