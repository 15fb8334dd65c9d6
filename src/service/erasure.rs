//! Erasing an expert on request (docs/operations.md): their identity goes, their answers stay
//! under the pseudonym, so every result computed from them is unchanged.
//!
//! - email, country and language are cleared and the name replaced by the pseudonym;
//!   `erased_at` (and `withdrawn_at`) set;
//! - every link they were sent stops working (tokens revoked; `expert::resolve` also refuses
//!   an erased expert);
//! - every email to them is deleted from the outbox: queued ones never go out, and sent ones
//!   held their address and name;
//! - comments and reasons are kept unless `drop_comments`: they are part of the study's
//!   qualitative record, but free text can identify its writer, so the facilitator decides;
//! - the audit entry names the pseudonym only. Audit entries never held an expert's email or
//!   name (they use pseudonyms and ids), so the hash chain is left as it is and still verifies.

use serde::Serialize;

use super::rounds::expert_by_email;
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::ratings::Rating;
use crate::db::{now, DbConnection};
use crate::service::studies;

/// What an erasure did.
#[derive(Debug, Clone, Serialize)]
pub struct Erased {
    pub pseudonym: String,
    pub links_revoked: usize,
    /// Queued emails that will now never be sent.
    pub emails_dropped: usize,
    /// Every email row deleted (queued, sent, failed, cancelled).
    pub emails_deleted: usize,
    /// Answers whose comment or reason was blanked (0 unless asked).
    pub comments_cleared: usize,
}

/// Erases the expert of study `slug` with `email`. An unknown email (or one erased already:
/// its address is gone) is refused naming it.
pub fn erase(
    conn: &mut DbConnection,
    slug: &str,
    email: &str,
    drop_comments: bool,
    actor: &Actor,
) -> Result<Erased, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let expert = expert_by_email(conn, study, email).map_err(|e| match e {
            ServiceError::NotFound(_) => ServiceError::NotFound(format!(
                "EMAIL: no expert of `{slug}` has the email {} (an erased expert's email is no longer known)",
                email.trim()
            )),
            other => other,
        })?;
        erase_in(conn, &expert, drop_comments, actor)
    })
}

fn erase_in(
    conn: &mut DbConnection,
    expert: &Expert,
    drop_comments: bool,
    actor: &Actor,
) -> Result<Erased, ServiceError> {
    let at = now();
    if !Expert::erase(conn, expert.id, at)? {
        return Err(ServiceError::Conflict(format!(
            "{} is erased already",
            expert.pseudonym
        )));
    }
    let links_revoked = Invitation::revoke_tokens_of_expert(conn, expert.id, at)?;
    let (emails_dropped, emails_deleted) =
        OutboxEmail::delete_for_expert(conn, expert.study_id, expert.id, expert.email.as_deref())?;
    // Their delivery history went with the emails (ON DELETE CASCADE); the bounced address too.
    crate::db::models::deliveries::Undeliverable::clear(conn, expert.id)?;
    let comments_cleared = if drop_comments {
        Rating::clear_texts_of_expert(conn, expert.id)?
    } else {
        0
    };
    let erased = Erased {
        pseudonym: expert.pseudonym.clone(),
        links_revoked,
        emails_dropped,
        emails_deleted,
        comments_cleared,
    };
    AuditEntry::append(
        conn,
        Some(expert.study_id),
        &actor.0,
        "expert.erase",
        &serde_json::json!({
            "expert": erased.pseudonym,
            "links_revoked": links_revoked,
            "emails_deleted": emails_deleted,
            "comments_cleared": comments_cleared,
        }),
        at,
    )?;
    Ok(erased)
}
