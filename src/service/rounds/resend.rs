//! An expert's invitation sent again with a new link.

use serde::Serialize;

use super::open_round;
use crate::db::models::invitations::Invitation;
use crate::db::models::outbox::OutboxEmail;
use crate::db::{now, DbConnection};
use crate::domain::link::LinkBase;
use crate::service::{audit, studies};
use crate::service::{tokens, Actor, ServiceError};

use super::expert_by_email;

#[derive(Debug, Clone, Serialize)]
pub struct Resent {
    pub round: i32,
    pub pseudonym: String,
    pub links_revoked: usize,
    /// Emails of this invitation still waiting in the outbox, cancelled (their links are dead).
    pub emails_cancelled: usize,
}

/// Sends an expert's invitation to the open round again with a new link; every earlier link
/// of that invitation stops working (the usual reason to resend is a forwarded or leaked email).
pub fn resend(
    conn: &mut DbConnection,
    slug: &str,
    email: &str,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Resent, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let expert = expert_by_email(conn, study, email)?;
        if expert.withdrawn_at.is_some() {
            return Err(ServiceError::Conflict(format!(
                "{} ({email}) has withdrawn from `{slug}`; nothing is sent to them",
                expert.pseudonym
            )));
        }
        let round = open_round(conn, study)?;
        let invitation = Invitation::find(conn, round.id, expert.id)?
            .filter(|i| i.revoked_at.is_none())
            .ok_or_else(|| {
                ServiceError::Conflict(format!(
                    "{} ({email}) is not invited to round {} of `{slug}`",
                    expert.pseudonym, round.number
                ))
            })?;
        let at = now();
        let links_revoked = Invitation::revoke_tokens(conn, invitation.id, at)?;
        // An email still waiting would carry a link that no longer works.
        let emails_cancelled = OutboxEmail::cancel_queued_links_of_invitation(
            conn,
            invitation.id,
            "cancelled: the invitation was resent with a new link",
        )?;
        let (token, hash) = tokens::generate();
        // A resent invitation is an invitation (the purpose column allows no other word for it).
        Invitation::add_token(conn, invitation.id, &hash, "invitation", at)?;
        let email_row = super::invitation_email(
            conn,
            study,
            &round,
            &expert,
            links,
            &token,
            invitation.id,
            Some("resend"),
            at,
        )?;
        OutboxEmail::enqueue(conn, std::slice::from_ref(&email_row))?;
        audit::log(
            conn,
            study,
            actor,
            "invitation.resend",
            serde_json::json!({
                "round": round.number, "expert": expert.pseudonym, "links_revoked": links_revoked,
                "emails_cancelled": emails_cancelled,
            }),
            at,
        )?;
        Ok(Resent {
            round: round.number,
            pseudonym: expert.pseudonym,
            links_revoked,
            emails_cancelled,
        })
    })
}
