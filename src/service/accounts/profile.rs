//! What every facilitator changes about themselves: their name and their password.

use serde_json::json;

use crate::db::models::audit::AuditEntry;
use crate::db::models::facilitators::Facilitator;
use crate::db::models::password_resets::PasswordReset;
use crate::db::models::sessions::Session;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::account;
use crate::service::ServiceError;

/// The stored password hash of an active account, to check the current password before a
/// change (`password_matches`).
pub fn password_hash_of(
    conn: &mut DbConnection,
    facilitator_id: i64,
) -> Result<Option<String>, ServiceError> {
    Ok(Facilitator::by_id(conn, facilitator_id)?
        .filter(|f| f.is_active() && f.has_joined())
        .map(|f| f.password_hash))
}

/// Renames the account. Audited with the old and the new name.
pub fn rename(conn: &mut DbConnection, facilitator_id: i64, name: &str) -> Result<(), ServiceError> {
    let name = account::check_name(name).map_err(|p| ServiceError::invalid(p.field(), p.key()))?;
    write_transaction(conn, |conn| {
        let facilitator = Facilitator::by_id(conn, facilitator_id)?
            .ok_or_else(|| ServiceError::NotFound("this account no longer exists".into()))?;
        Facilitator::set_name(conn, facilitator.id, name)?;
        AuditEntry::append(
            conn,
            None,
            &facilitator.email,
            "facilitator.rename",
            &json!({ "facilitator": facilitator.id, "from": facilitator.name, "to": name }),
            now(),
        )?;
        Ok(())
    })
}

/// Sets a new password (`password_hash` from `hash_password`), spends any reset link still in
/// the mailbox and signs out every other session of the account; returns how many ended.
pub fn change_password(
    conn: &mut DbConnection,
    facilitator_id: i64,
    keep_session: i64,
    password_hash: &str,
) -> Result<usize, ServiceError> {
    write_transaction(conn, |conn| {
        let facilitator = Facilitator::by_id(conn, facilitator_id)?
            .ok_or_else(|| ServiceError::NotFound("this account no longer exists".into()))?;
        let at = now();
        Facilitator::set_password(conn, facilitator.id, password_hash)?;
        PasswordReset::use_all_of(conn, facilitator.id, at)?;
        let ended = Session::delete_others_of(conn, facilitator.id, keep_session)?;
        AuditEntry::append(
            conn,
            None,
            &facilitator.email,
            "facilitator.password_change",
            &json!({ "facilitator": facilitator.id, "sessions_ended": ended }),
            at,
        )?;
        Ok(ended)
    })
}
