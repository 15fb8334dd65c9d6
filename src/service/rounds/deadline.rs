//! The open round's deadline: read as typed, and moved later.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::open_round;
use crate::db::models::rounds::Round;
use crate::db::{now, DbConnection};
use crate::domain::study::Study;
use crate::service::audit;
use crate::service::studies;
use crate::service::studies::load;
use crate::service::{Actor, ServiceError};

/// A deadline as typed (`domain::time::parse_deadline`) for the study `slug`, in UTC.
pub fn parse_deadline(
    conn: &mut DbConnection,
    slug: &str,
    text: &str,
) -> Result<NaiveDateTime, ServiceError> {
    let study = load(conn, slug)?;
    crate::domain::time::parse_deadline(text, study.file.timezone.tz())
        .map_err(|e| ServiceError::invalid("deadline", e.to_string()))
}

#[derive(Debug, Clone, Serialize)]
pub struct Extended {
    pub round: i32,
    pub previous: Option<NaiveDateTime>,
    pub deadline: NaiveDateTime,
    /// The two deadlines as experts see them, in the study's time zone.
    pub previous_local: Option<String>,
    pub deadline_local: String,
}

/// Moves the open round's deadline later (see `later_than_now_and_current`). Queues nothing;
/// reminder offsets not yet sent follow the new deadline, those sent are not sent again.
pub fn extend(
    conn: &mut DbConnection,
    slug: &str,
    deadline: NaiveDateTime,
    actor: &Actor,
) -> Result<Extended, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let open = open_round(conn, study)?;
        let round = Round::lock(conn, open.id, true)?;
        let at = now();
        later_than_now_and_current(study, &round, deadline, at)?;
        if Round::set_deadline(conn, round.id, deadline)? != 1 {
            return Err(ServiceError::Conflict(format!(
                "round {} of `{slug}` was closed meanwhile",
                round.number
            )));
        }
        audit::log(
            conn,
            study,
            actor,
            "round.extend",
            serde_json::json!({
                "round": round.number,
                "from": round.deadline.map(|d| d.to_string()),
                "to": deadline.to_string(),
            }),
            at,
        )?;
        Ok(extended(study, &round, deadline))
    })
}

/// What `extend` would do, checked the same way, writing nothing: the console's confirmation
/// page shows it before the facilitator confirms.
pub fn check_extend(
    conn: &mut DbConnection,
    slug: &str,
    deadline: NaiveDateTime,
) -> Result<Extended, ServiceError> {
    let study = load(conn, slug)?;
    let round = open_round(conn, &study)?;
    later_than_now_and_current(&study, &round, deadline, now())?;
    Ok(extended(&study, &round, deadline))
}

fn extended(study: &Study, round: &Round, deadline: NaiveDateTime) -> Extended {
    Extended {
        round: round.number,
        previous: round.deadline,
        deadline,
        previous_local: round.deadline.map(|d| study.local_time(d)),
        deadline_local: study.local_time(deadline),
    }
}

/// Only later: an earlier end is `round close`, and a deadline that could move both ways would
/// let a typo close a round early.
fn later_than_now_and_current(
    study: &Study,
    round: &Round,
    deadline: NaiveDateTime,
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    if deadline <= at {
        return Err(ServiceError::invalid(
            "deadline",
            format!("{} is in the past", study.local_time(deadline)),
        ));
    }
    if let Some(current) = round.deadline {
        if deadline <= current {
            return Err(ServiceError::invalid(
                "deadline",
                format!(
                    "{} is not later than the current deadline, {}; to end the round now, use `delphi round close`",
                    study.local_time(deadline),
                    study.local_time(current)
                ),
            ));
        }
    }
    Ok(())
}
