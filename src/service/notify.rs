//! Emails the expert pages queue. Deliberately plain: the templated emails replace these when
//! the email work is merged; until then the outbox carries a readable plain-text message.

use super::ServiceError;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::outbox::{NewEmail, OutboxEmail};
use crate::db::models::ratings::Rating;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Study;
use crate::db::{now, DbConnection};

/// Queues the thank-you for a submitted invitation, listing the expert's answers. Runs inside
/// the caller's transaction. The key includes the submission time, so a resubmission after
/// edits is confirmed again while a retried request is not sent twice.
pub fn thank_you(conn: &mut DbConnection, invitation_id: i64) -> Result<usize, ServiceError> {
    let invitation = Invitation::by_id(conn, invitation_id)?
        .ok_or_else(|| ServiceError::NotFound("this invitation does not exist".into()))?;
    let expert = Expert::by_id(conn, invitation.expert_id)?
        .ok_or_else(|| ServiceError::NotFound("this expert does not exist".into()))?;
    let Some(recipient) = expert.email.clone() else {
        // Erased or paper-only experts have no address: nothing to send.
        return Ok(0);
    };
    let round = Round::by_id(conn, invitation.round_id)?
        .ok_or_else(|| ServiceError::NotFound("this round does not exist".into()))?;
    let study = Study::by_id(conn, round.study_id)?;
    let items = Item::of_study(conn, study.id)?;
    let answers = Rating::of_expert(conn, round.id, expert.id)?;
    let mut lines = Vec::new();
    for item in &items {
        if let Some(rating) = answers.iter().find(|r| r.item_id == item.id) {
            let answer = match (rating.score, rating.unable) {
                (Some(score), _) => score.to_string(),
                (None, true) => "unable to score".to_string(),
                (None, false) => "no score".to_string(),
            };
            lines.push(format!("- {}: {answer}", item.code));
        }
    }
    let at = now();
    let submitted = invitation.submitted_at.unwrap_or(at);
    let email = NewEmail {
        idempotency_key: format!(
            "thank_you:{invitation_id}:{}",
            submitted.and_utc().timestamp_micros()
        ),
        kind: "thank_you".into(),
        study_id: Some(study.id),
        expert_id: Some(expert.id),
        facilitator_id: None,
        recipient,
        subject: format!(
            "{}: thank you for your answers to round {}",
            study.title, round.number
        ),
        body_text: format!(
            "Dear {},\n\nThank you: your answers to round {} of \"{}\" are saved.\n\n{}\n\n\
             You can change them with your personal link until the round closes.\n",
            expert.name,
            round.number,
            study.title,
            lines.join("\n")
        ),
        body_html: None,
        headers: None,
        next_attempt_at: at,
        created_at: at,
    };
    Ok(OutboxEmail::enqueue(conn, &[email])?)
}
