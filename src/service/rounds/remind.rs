//! Reminders to the invited experts of the open round who have not submitted.
use std::collections::HashMap;

use serde::Serialize;

use super::open_round;
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::rounds::Round;
use crate::db::{now, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::study::Study;
use crate::service::notify::link_email;
use crate::service::studies;
use crate::service::{tokens, Actor, ServiceError};

#[derive(Debug, Clone, Serialize)]
pub struct Reminded {
    pub round: i32,
    pub reminded: usize,
}

/// Queues a reminder to every invited expert of the open round who has not submitted.
pub fn remind(
    conn: &mut DbConnection,
    slug: &str,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Reminded, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let round = open_round(conn, study)?;
        remind_in(conn, study, &round, links, actor, &[])
    })
}

/// The reminder batch, inside the caller's write transaction: `round remind` and the
/// scheduler's automatic reminders (`offsets` names the offsets before the deadline that
/// triggered it, for the audit log) share it.
pub(crate) fn remind_in(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    links: &LinkBase,
    actor: &Actor,
    offsets: &[String],
) -> Result<Reminded, ServiceError> {
    let experts: HashMap<i64, Expert> = Expert::of_study(conn, study.id)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let at = now();
    let overrides = crate::service::email_templates::overrides(conn, study.id)?;
    let mut emails = Vec::new();
    for invitation in Invitation::of_round(conn, round.id)? {
        if invitation.submitted_at.is_some() || invitation.revoked_at.is_some() {
            continue;
        }
        let Some(expert) = experts
            .get(&invitation.expert_id)
            .filter(|e| e.withdrawn_at.is_none())
        else {
            continue;
        };
        if expert.email.is_none() {
            continue;
        }
        // The original token is not stored, so a reminder carries a fresh link for the same
        // invitation; the link in the first email keeps working.
        let (token, hash) = tokens::generate();
        Invitation::add_token(conn, invitation.id, &hash, "reminder", at)?;
        Invitation::mark_reminded(conn, invitation.id, at)?;
        let email = link_email(study, &overrides, round, expert, links, &token, invitation.id, at);
        emails.push(crate::email::messages::reminder(
            &email,
            invitation.reminders_sent + 1,
        )?);
    }
    let reminded = OutboxEmail::enqueue(conn, &emails)?;
    let mut details = serde_json::json!({ "round": round.number, "reminded": reminded });
    if !offsets.is_empty() {
        details["before_deadline"] = serde_json::json!(offsets);
    }
    AuditEntry::append(conn, Some(study.id), &actor.0, "round.remind", &details, at)?;
    Ok(Reminded {
        round: round.number,
        reminded,
    })
}
