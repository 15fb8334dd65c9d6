//! Administrators invite facilitators by email: the account exists at once (so roles can be
//! granted straight away), without a password, and the invitee chooses their name and password
//! through the emailed link. Until then the account cannot sign in.

use chrono::Duration;
use serde_json::json;

use super::facilitators::{add_facilitator_in, facilitator_by_email, Account};
use super::resets::{live_reset, queue_link};
use crate::db::models::audit::AuditEntry;
use crate::db::models::facilitators::Facilitator;
use crate::db::models::password_resets::PasswordReset;
use crate::db::models::sessions::Session;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::account::LinkPurpose;
use crate::domain::link::LinkBase;
use crate::service::audit;
use crate::service::{tokens, Actor, ServiceError};

/// How an invitation is sent: where its link points, in which language, for how long.
#[derive(Debug, Clone)]
pub struct InvitationLetter {
    /// The public URL of this server.
    pub link_base: String,
    pub lang: &'static str,
    pub valid_for: Duration,
    /// The inviting administrator's name, as the email introduces them.
    pub inviter_name: String,
}

/// Creates the account of `email` (no password yet) and queues its invitation. Audited.
pub fn invite(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    is_admin: bool,
    letter: &InvitationLetter,
    actor: &Actor,
) -> Result<Account, ServiceError> {
    write_transaction(conn, |conn| {
        let at = now();
        let created = add_facilitator_in(conn, email, name, "", is_admin, &actor.0, at)?;
        queue_invitation(conn, &created, letter, actor)?;
        Ok(Account::from(created))
    })
}

/// Sends a fresh invitation to an account that has not joined yet; earlier links stop
/// working. Conflict when the account has joined already (it can reset its password instead).
pub fn reinvite(
    conn: &mut DbConnection,
    email: &str,
    letter: &InvitationLetter,
    actor: &Actor,
) -> Result<Account, ServiceError> {
    write_transaction(conn, |conn| {
        let facilitator = facilitator_by_email(conn, email)?;
        if facilitator.has_joined() {
            return Err(ServiceError::Conflict(format!(
                "email: {} has already joined; they can reset their password from the sign-in page",
                facilitator.email
            )));
        }
        PasswordReset::use_all_of(conn, facilitator.id, now())?;
        queue_invitation(conn, &facilitator, letter, actor)?;
        Ok(Account::from(facilitator))
    })
}

fn queue_invitation(
    conn: &mut DbConnection,
    facilitator: &Facilitator,
    letter: &InvitationLetter,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let (token, hash) = tokens::generate();
    let link = LinkBase(letter.link_base.clone()).join_link(&token);
    let days = (letter.valid_for.num_hours() as f64 / 24.0).ceil().max(1.0) as i64;
    let context = json!({
        "lang": letter.lang, "name": facilitator.name, "inviter": letter.inviter_name,
        "link": link, "days": days,
    });
    let invitation = queue_link(
        conn,
        facilitator,
        LinkPurpose::Invitation,
        &hash,
        letter.valid_for,
        &context,
    )?;
    audit::log_account(
        conn,
        actor,
        "facilitator.invite",
        json!({ "facilitator": facilitator.id, "email": facilitator.email, "expires_at": invitation.expires_at }),
        invitation.created_at,
    )?;
    Ok(())
}

/// Who an invitation link is for, to greet them on the join page.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub email: String,
    pub name: String,
}

/// The invitee of a live invitation link (unknown, used, expired, or the account disabled
/// or already joined: `None`).
pub fn invitation(conn: &mut DbConnection, link_token: &str) -> Result<Option<Invitee>, ServiceError> {
    Ok(live_invitation(conn, link_token)?.map(|f| Invitee {
        email: f.email,
        name: f.name,
    }))
}

fn live_invitation(conn: &mut DbConnection, link_token: &str) -> Result<Option<Facilitator>, ServiceError> {
    let Some(link) = live_reset(conn, link_token)?.filter(|r| r.purpose == LinkPurpose::Invitation) else {
        return Ok(None);
    };
    Ok(Facilitator::by_id(conn, link.facilitator_id)?.filter(|f| f.is_active() && !f.has_joined()))
}

/// The invitee sets their name and password (`password_hash` from `hash_password`); the link
/// is spent. `None`, changing nothing, when the link no longer works.
pub fn join(
    conn: &mut DbConnection,
    link_token: &str,
    name: &str,
    password_hash: &str,
) -> Result<Option<Account>, ServiceError> {
    write_transaction(conn, |conn| {
        let Some(facilitator) = live_invitation(conn, link_token)? else {
            return Ok(None);
        };
        let name = name.trim();
        let at = now();
        PasswordReset::use_all_of(conn, facilitator.id, at)?;
        Facilitator::set_name(conn, facilitator.id, name)?;
        Facilitator::set_password(conn, facilitator.id, password_hash)?;
        Session::delete_all_of(conn, facilitator.id)?;
        AuditEntry::append(
            conn,
            None,
            &facilitator.email,
            "facilitator.join",
            &json!({ "facilitator": facilitator.id, "name": name }),
            at,
        )?;
        Ok(Some(Account {
            name: name.to_string(),
            ..Account::from(facilitator)
        }))
    })
}
