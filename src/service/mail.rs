//! Use cases behind the expert's email pages: asking for a new link, and leaving a study
//! through the unsubscribe link.

use super::rounds::LinkBase;
use super::studies::{load, LoadedStudy};
use super::{tokens, Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::studies::Study;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::token;

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
            let overrides = super::email_templates::overrides(conn, study.id())?;
            let (token, hash) = tokens::generate();
            Invitation::add_token(conn, invitation.id, &hash, "new_link", at)?;
            emails.push(crate::email::messages::new_link(
                &study,
                &overrides,
                &expert,
                round.number,
                round.deadline,
                links,
                &token,
                invitation.id,
                at,
            )?);
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
    if !token::is_well_formed(link_token) {
        return Err(unknown());
    }
    let invitation = Invitation::by_token_hash(conn, &token::hash(link_token))?.ok_or_else(unknown)?;
    let expert = Expert::by_id(conn, invitation.expert_id)?.ok_or_else(unknown)?;
    let study = Study::by_id(conn, expert.study_id)?;
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
        let at = now();
        if Expert::withdraw(conn, membership.expert_id, at)? {
            // Whatever was still waiting (a reminder queued this morning) must not go out.
            let cancelled = OutboxEmail::cancel_queued_for_expert(conn, membership.expert_id)?;
            let expert = Expert::by_id(conn, membership.expert_id)?;
            AuditEntry::append(
                conn,
                expert.map(|e| e.study_id),
                &Actor("expert".into()).0,
                "expert.withdraw",
                &serde_json::json!({
                    "expert_id": membership.expert_id,
                    "via": "unsubscribe link",
                    "emails_cancelled": cancelled,
                }),
                at,
            )?;
        }
        Ok(membership)
    })
}

fn study_of(conn: &mut DbConnection, study_id: i64) -> Result<LoadedStudy, ServiceError> {
    let study = Study::by_id(conn, study_id)?;
    load(conn, &study.slug)
}
