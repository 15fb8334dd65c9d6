//! Emails the expert pages queue, composed from the email templates (src/email/messages.rs).

use super::studies::load;
use super::{email_templates, ServiceError};
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::ratings::Rating;
use crate::db::models::rounds::Round;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::study::Study;
use crate::email::messages::{self, AnswerCopy, LinkEmail, Recipient};
use crate::email::render::Overrides;
use chrono::NaiveDateTime;

/// Queues the thank-you for a submitted invitation, with a copy of the expert's answers in the
/// order of the round. Runs inside the caller's transaction. The key includes the submission
/// time, so a resubmission after edits is confirmed again while a retried request is not sent
/// twice.
pub fn thank_you(conn: &mut DbConnection, invitation_id: i64) -> Result<usize, ServiceError> {
    let invitation = Invitation::by_id(conn, invitation_id)?
        .ok_or_else(|| ServiceError::NotFound("this invitation does not exist".into()))?;
    let expert = Expert::by_id(conn, invitation.expert_id)?
        .ok_or_else(|| ServiceError::NotFound("this expert does not exist".into()))?;
    if expert.email.is_none() {
        // Erased or paper-only experts have no address: nothing to send.
        return Ok(0);
    }
    let round = Round::by_id(conn, invitation.round_id)?
        .ok_or_else(|| ServiceError::NotFound("this round does not exist".into()))?;
    let slug = StudyRow::by_id(conn, round.study_id)?.slug;
    let study = load(conn, &slug)?;
    let ratings = Rating::of_expert(conn, round.id, expert.id)?;
    let mut answers = Vec::new();
    for round_item in Round::items(conn, round.id)? {
        let Some(rating) = ratings.iter().find(|r| r.item_id == round_item.item_id) else {
            continue;
        };
        let Some(item) = Item::by_id(conn, round_item.item_id)? else {
            continue;
        };
        let text = crate::service::content::asked_text(conn, &item, round_item.item_version)?;
        answers.push(AnswerCopy {
            code: item.code.clone(),
            text,
            score: rating.score,
            label: rating
                .score
                .and_then(|s| study.scale_of(&rating.criterion).label(s))
                .map(str::to_string),
            unable: rating.unable,
            comment: rating.comment.clone(),
        });
    }
    let submitted = invitation.submitted_at.unwrap_or_else(now);
    let overrides = email_templates::overrides(conn, study.id)?;
    let email = messages::thank_you(
        &study,
        &overrides,
        &recipient(&expert),
        round.number,
        &answers,
        invitation_id,
        submitted,
    )?;
    Ok(OutboxEmail::enqueue(conn, &[email])?)
}

/// An expert as the emails address them.
pub fn recipient(expert: &Expert) -> Recipient<'_> {
    Recipient {
        expert_id: expert.id,
        name: &expert.name,
        email: expert.email.as_deref().unwrap_or_default(),
        language: expert.language.as_deref(),
    }
}

/// The personal-link email (invitation, reminder, new link) to `expert` about `round`, carrying
/// the plain `token` of invitation `invitation_id`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn link_email<'a>(
    study: &'a Study,
    overrides: &'a Overrides,
    round: &Round,
    expert: &'a Expert,
    links: &'a LinkBase,
    token: &'a str,
    invitation_id: i64,
    at: NaiveDateTime,
) -> LinkEmail<'a> {
    LinkEmail {
        study,
        overrides,
        to: recipient(expert),
        round: round.number,
        deadline: round.deadline,
        links,
        token,
        invitation_id,
        at,
    }
}
