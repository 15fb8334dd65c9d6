//! Use cases behind the expert's email pages: asking for a new link, and leaving a study
//! through the unsubscribe link (or being withdrawn by a facilitator, the same act).

use super::studies::load;
use super::{tokens, Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::studies::StudyRow;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::study::Study;
use crate::service::notify::link_email;
use crate::service::studies;

/// Queues a `new_link` email with a fresh token for every open-round invitation of `email`;
/// returns how many. The caller must not tell the requester the number: whether an address is
/// on a panel is nobody else's business.
pub fn request_new_link(
    conn: &mut DbConnection,
    email: &str,
    links: &LinkBase,
) -> Result<usize, ServiceError> {
    let email = email.trim();
    if email.is_empty() || !email.contains('@') {
        return Ok(0);
    }
    write_transaction(conn, |conn| {
        let at = now();
        let mut found = Invitation::open_for_email(conn, email)?;
        let lower = email.to_lowercase();
        if lower != email {
            found.extend(Invitation::open_for_email(conn, &lower)?);
        }
        let mut emails = Vec::with_capacity(found.len());
        for (invitation, expert, round) in found {
            let study = study_of(conn, expert.study_id)?;
            let overrides = super::email_templates::overrides(conn, study.id)?;
            let (token, hash) = tokens::generate();
            Invitation::add_token(conn, invitation.id, &hash, "new_link", at)?;
            let email = link_email(
                &study,
                &overrides,
                &round,
                &expert,
                links,
                &token,
                invitation.id,
                at,
            );
            emails.push(crate::email::messages::new_link(&email)?);
        }
        Ok(OutboxEmail::enqueue(conn, &emails)?)
    })
}

/// What the unsubscribe page shows: the study the token's expert would leave.
#[derive(Debug, Clone)]
pub struct Membership {
    pub study_title: String,
    pub expert_id: i64,
    pub already_withdrawn: bool,
}

/// The expert behind an unsubscribe token; `NotFound` for an unknown or revoked token.
pub fn membership(conn: &mut DbConnection, link_token: &str) -> Result<Membership, ServiceError> {
    let unknown = || ServiceError::NotFound("this link is not valid (any more)".into());
    let invitation =
        tokens::find(link_token, |hash| Invitation::by_token_hash(conn, hash))?.ok_or_else(unknown)?;
    let expert = Expert::by_id(conn, invitation.expert_id)?.ok_or_else(unknown)?;
    let study = StudyRow::by_id(conn, expert.study_id)?;
    Ok(Membership {
        study_title: study.title,
        expert_id: expert.id,
        already_withdrawn: expert.withdrawn_at.is_some(),
    })
}

/// Withdraws the token's expert from the study (idempotent), with an audit entry.
pub fn withdraw(conn: &mut DbConnection, link_token: &str) -> Result<Membership, ServiceError> {
    write_transaction(conn, |conn| {
        let membership = membership(conn, link_token)?;
        withdraw_in(
            conn,
            membership.expert_id,
            &Actor("expert".into()),
            "unsubscribe link",
        )?;
        Ok(membership)
    })
}

/// What a facilitator's withdrawal did.
#[derive(Debug, Clone)]
pub struct Withdrawn {
    pub pseudonym: String,
    /// Already withdrawn (by themselves or earlier): nothing changed.
    pub already: bool,
    /// Queued emails (reminders, invitations) that will not go out.
    pub emails_cancelled: usize,
}

/// Withdraws the study's expert with `email`, as if they had used their unsubscribe link:
/// no more invitations or reminders, queued ones cancelled; their answers stay. Idempotent.
pub fn withdraw_expert(
    conn: &mut DbConnection,
    slug: &str,
    email: &str,
    actor: &Actor,
) -> Result<Withdrawn, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let expert = super::rounds::expert_by_email(conn, study, email)?;
        let cancelled = withdraw_in(conn, expert.id, actor, "facilitator")?;
        Ok(Withdrawn {
            pseudonym: expert.pseudonym,
            already: cancelled.is_none(),
            emails_cancelled: cancelled.unwrap_or(0),
        })
    })
}

/// Marks the expert withdrawn and cancels what was still queued for them, inside the caller's
/// transaction; `None` when they had withdrawn already.
fn withdraw_in(
    conn: &mut DbConnection,
    expert_id: i64,
    actor: &Actor,
    via: &str,
) -> Result<Option<usize>, ServiceError> {
    let at = now();
    if !Expert::withdraw(conn, expert_id, at)? {
        return Ok(None);
    }
    // Whatever was still waiting (a reminder queued this morning) must not go out.
    let cancelled = OutboxEmail::cancel_queued_for_expert(conn, expert_id)?;
    let expert = Expert::by_id(conn, expert_id)?;
    AuditEntry::append(
        conn,
        expert.map(|e| e.study_id),
        &actor.0,
        "expert.withdraw",
        &serde_json::json!({
            "expert_id": expert_id,
            "via": via,
            "emails_cancelled": cancelled,
        }),
        at,
    )?;
    Ok(Some(cancelled))
}

fn study_of(conn: &mut DbConnection, study_id: i64) -> Result<Study, ServiceError> {
    let study = StudyRow::by_id(conn, study_id)?;
    load(conn, &study.slug)
}
