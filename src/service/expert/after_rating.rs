//! `[feedback] timing = "after_rating"`: in rounds 2 and later an expert rates each item
//! before seeing the group's answers to it, so that the feedback's pull on their judgement
//! can be measured (the pre-feedback and the final score are both kept).

use std::collections::BTreeMap;

use super::ExpertSession;
use crate::db::models::ratings::Rating;
use crate::domain::study::{FeedbackTiming, Study};
use crate::service::ratings::Recorded;
use crate::service::{Connection, ServiceError};

/// Whether the session's form holds each item's group feedback back until the expert has
/// answered it. Round 1 has no feedback to hold.
pub fn holds_feedback(session: &ExpertSession) -> bool {
    holds_in(&session.study, session.round.number)
}

/// [`holds_feedback`] for round `number` of `study`.
pub(super) fn holds_in(study: &Study, number: i32) -> bool {
    study.file.feedback.timing == FeedbackTiming::AfterRating && number >= 2
}

/// Keeps the answers just saved (each with its criterion) as the expert's pre-feedback answers
/// where they are their first to the item in the round; from then on the page shows those
/// items' feedback.
pub(super) fn note_answers(
    conn: &mut Connection,
    session: &ExpertSession,
    saved: &[(Recorded, &str)],
) -> Result<(), ServiceError> {
    if !holds_feedback(session) {
        return Ok(());
    }
    // One statement per criterion (one in a study without criteria): the answers are all
    // the session's, in its round.
    let mut by_criterion: BTreeMap<(i64, i64, &str), Vec<i64>> = BTreeMap::new();
    for (at, criterion) in saved {
        by_criterion
            .entry((at.round_id, at.expert_id, criterion))
            .or_default()
            .push(at.item_id);
    }
    for ((round_id, expert_id, criterion), item_ids) in by_criterion {
        Rating::note_first_answers(conn, round_id, expert_id, criterion, &item_ids)?;
    }
    Ok(())
}
