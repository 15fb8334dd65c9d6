//! Finishing a study by hand, after any closed round: the facilitator decides that the rounds
//! so far are enough (the stopping rule finishes it on its own when it is met).

use serde::Serialize;

use crate::db::models::rounds::Round;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::round::RoundState;
use crate::domain::study::Study;
use crate::service::audit;
use crate::service::studies;
use crate::service::{Actor, ServiceError};

/// A reason is kept in the study and the audit log; a paragraph at most.
pub const MAX_REASON_CHARS: usize = 1000;

#[derive(Debug, Clone, Serialize)]
pub struct Finished {
    /// The last closed round: its results are the study's final list.
    pub after_round: i32,
    pub reason: String,
}

/// Finishes the study `slug` with `reason`. Refused while a round is open (close it first),
/// before any round has closed, once finished, and without a reason. Audited as `study.finish`.
pub fn finish(
    conn: &mut DbConnection,
    slug: &str,
    reason: &str,
    actor: &Actor,
) -> Result<Finished, ServiceError> {
    let reason = check_reason(reason)?;
    studies::write(conn, slug, |conn, study| finish_in(conn, study, reason, actor))
}

/// The reason, trimmed, or why it cannot be recorded (checked before any transaction).
pub(crate) fn check_reason(reason: &str) -> Result<&str, ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "say why the study ends now (for example: \"consensus reached on the core items\")",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ServiceError::invalid(
            "reason",
            format!("must be at most {MAX_REASON_CHARS} characters long"),
        ));
    }
    Ok(reason)
}

/// Finishes `study` inside the caller's write transaction (a checked `reason`), so that what
/// goes with finishing (the closing email) commits or fails with it.
pub(crate) fn finish_in(
    conn: &mut DbConnection,
    study: &Study,
    reason: &str,
    actor: &Actor,
) -> Result<Finished, ServiceError> {
    let slug = &study.slug;
    if let Some(at) = study.finished_at {
        return Err(ServiceError::Conflict(format!(
            "the study `{slug}` finished already ({}: {})",
            study.local_time(at),
            study.finish_reason.as_deref().unwrap_or("no reason recorded")
        )));
    }
    let rounds = Round::of_study(conn, study.id)?;
    if let Some(open) = rounds.iter().find(|r| r.status == RoundState::Open) {
        return Err(ServiceError::Conflict(format!(
            "round {} is open: close it first, then finish the study",
            open.number
        )));
    }
    let Some(last) = rounds
        .iter()
        .filter(|r| r.status == RoundState::Closed)
        .map(|r| r.number)
        .max()
    else {
        return Err(ServiceError::Conflict(
            "no round has closed yet: a study finishes after at least one closed round".into(),
        ));
    };
    let at = now();
    StudyRow::finish(conn, study.id, reason, at)?;
    crate::service::test_run::drop_draft(conn, study.id)?;
    audit::log(
        conn,
        study,
        actor,
        "study.finish",
        serde_json::json!({ "after_round": last, "reason": reason }),
        at,
    )?;
    Ok(Finished {
        after_round: last,
        reason: reason.to_string(),
    })
}
