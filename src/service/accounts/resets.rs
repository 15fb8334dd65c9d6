//! Password resets by email: a link that works once, for a limited time.

use chrono::Duration;
use serde_json::json;

use super::passwords::normalise_email;
use crate::db::models::audit::AuditEntry;
use crate::db::models::facilitators::Facilitator;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::password_resets::{NewPasswordReset, PasswordReset};
use crate::db::models::sessions::Session;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::account::LinkPurpose;
use crate::domain::outbox::NewEmail;
use crate::service::{tokens, ServiceError};

/// Queues a reset link to the address if it belongs to an active account; does nothing
/// otherwise (the caller answers the same either way). `link_base` is the public URL.
pub fn request_password_reset(
    conn: &mut DbConnection,
    email: &str,
    link_base: &str,
    lang: &str,
    valid_for: Duration,
) -> Result<(), ServiceError> {
    let Some(facilitator) =
        Facilitator::by_email(conn, &normalise_email(email))?.filter(Facilitator::is_active)
    else {
        return Ok(());
    };
    let (token, hash) = tokens::generate();
    let link = format!("{}/password/reset/{token}", link_base.trim_end_matches('/'));
    let minutes = valid_for.num_minutes().max(1);
    let context = json!({ "lang": lang, "name": facilitator.name, "link": link, "minutes": minutes });
    write_transaction(conn, |conn| {
        queue_link(conn, &facilitator, LinkPurpose::Reset, &hash, valid_for, &context)?;
        Ok(())
    })
}

/// Stores an account's one-time link (the hash of its token), valid for `valid_for` from now,
/// and queues the email that carries it, rendered from `context`.
pub(super) fn queue_link(
    conn: &mut DbConnection,
    facilitator: &Facilitator,
    purpose: LinkPurpose,
    token_hash: &str,
    valid_for: Duration,
    context: &serde_json::Value,
) -> Result<PasswordReset, ServiceError> {
    let kind = match purpose {
        LinkPurpose::Reset => "password_reset",
        LinkPurpose::Invitation => "account_invitation",
    };
    let rendered = crate::email::render::render(kind, context)
        .map_err(|reason| ServiceError::invalid(format!("email template {kind}"), reason))?;
    let at = now();
    let link = PasswordReset::insert(
        conn,
        &NewPasswordReset {
            facilitator_id: facilitator.id,
            token_hash,
            created_at: at,
            expires_at: at + valid_for,
            purpose: purpose.as_str(),
        },
    )?;
    OutboxEmail::enqueue(
        conn,
        &[NewEmail {
            idempotency_key: format!("{kind}:{}", link.id),
            kind: kind.into(),
            study_id: None,
            expert_id: None,
            facilitator_id: Some(facilitator.id),
            recipient: facilitator.email.clone(),
            subject: rendered.subject,
            body_text: rendered.text,
            body_html: rendered.html,
            headers: None,
            next_attempt_at: at,
            created_at: at,
        }],
    )?;
    Ok(link)
}

/// The unused, unexpired reset a link token belongs to.
pub(super) fn live_reset(
    conn: &mut DbConnection,
    reset_token: &str,
) -> Result<Option<PasswordReset>, ServiceError> {
    Ok(
        tokens::find(reset_token, |hash| PasswordReset::by_token_hash(conn, hash))?
            .filter(|r| r.used_at.is_none() && r.expires_at > now()),
    )
}

/// Whether the reset link still works (to show the form or explain that it does not).
pub fn reset_link_works(conn: &mut DbConnection, reset_token: &str) -> Result<bool, ServiceError> {
    Ok(live_reset(conn, reset_token)?.is_some())
}

/// Sets the new password (`password_hash` from `hash_password`) if the link still works, spends
/// the link (and any other of the same account) and ends every session of the account.
/// Returns false, changing nothing, when the link is unknown, used or expired.
pub fn reset_password(
    conn: &mut DbConnection,
    reset_token: &str,
    password_hash: &str,
) -> Result<bool, ServiceError> {
    write_transaction(conn, |conn| {
        let Some(reset) = live_reset(conn, reset_token)? else {
            return Ok(false);
        };
        let Some(facilitator) = Facilitator::by_id(conn, reset.facilitator_id)? else {
            return Ok(false);
        };
        let at = now();
        PasswordReset::use_all_of(conn, facilitator.id, at)?;
        Facilitator::set_password(conn, facilitator.id, password_hash)?;
        let ended = Session::delete_all_of(conn, facilitator.id)?;
        AuditEntry::append(
            conn,
            None,
            &facilitator.email,
            "facilitator.password_reset",
            &json!({ "facilitator": facilitator.id, "sessions_ended": ended }),
            at,
        )?;
        Ok(true)
    })
}
