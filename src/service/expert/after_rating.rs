//! `[feedback] timing = "after_rating"`: in rounds 2 and later an expert rates each item
//! before seeing the group's answers to it, so that the feedback's pull on their judgement
//! can be measured (the pre-feedback and the final score are both kept).

use super::ExpertSession;
use crate::db::models::ratings::Rating;
use crate::domain::study::FeedbackTiming;
use crate::service::ratings::Recorded;
use crate::service::{Connection, ServiceError};

/// Whether the session's form holds each item's group feedback back until the expert has
/// answered it. Round 1 has no feedback to hold.
pub fn holds_feedback(session: &ExpertSession) -> bool {
    session.study.file.feedback.timing == FeedbackTiming::AfterRating && session.round.number >= 2
}

/// Keeps the answer just saved as the expert's pre-feedback answer when it is their first to
/// the item in the round; from then on the page shows the item's feedback.
pub(super) fn note_answer(
    conn: &mut Connection,
    session: &ExpertSession,
    at: Recorded,
    criterion: &str,
) -> Result<(), ServiceError> {
    if holds_feedback(session) {
        Rating::note_first_answer(conn, at.round_id, at.item_id, at.expert_id, criterion)?;
    }
    Ok(())
}
