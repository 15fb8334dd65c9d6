//! A close at the deadline refused because items are short of `[rounds] min_raters`: the
//! scheduler records it once per round and deadline (audit `round.close_refused`), and the
//! dashboard tells the facilitator, who otherwise would only see the round stay open.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::pages::{self, RaterCounts};
use super::{audit, Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::rounds::Round;
use crate::db::DbConnection;
use crate::domain::round::RoundState;
use crate::domain::study::Study;

/// The audit action of a refused close at the deadline.
pub const ACTION: &str = "round.close_refused";

/// What the dashboard says about a refused close.
#[derive(Debug, Clone, Serialize)]
pub struct CloseRefusal {
    pub min_raters: u32,
    /// The items still short, with their answers so far, as "code (n)".
    pub short: Vec<String>,
}

/// Whether `entry` records the refusal of `round` at its current deadline: a new deadline
/// that passes again is a new refusal.
fn records(entry: &AuditEntry, round: &Round) -> bool {
    serde_json::from_str::<serde_json::Value>(&entry.details).is_ok_and(|d| {
        d["round"] == serde_json::json!(round.number) && d["deadline"] == serde_json::json!(round.deadline)
    })
}

fn recorded(conn: &mut DbConnection, study: &Study, round: &Round) -> Result<bool, ServiceError> {
    Ok(AuditEntry::of_study_action(conn, study.id, ACTION)?
        .iter()
        .any(|e| records(e, round)))
}

/// Inside the scheduler's write transaction, before closing at the deadline: `None` when the
/// round may close; otherwise the refusal is audited unless it already was, and
/// `Some(newly_recorded)` says whether this call recorded it.
pub(crate) fn check_at_deadline(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    actor: &Actor,
    at: NaiveDateTime,
) -> Result<Option<bool>, ServiceError> {
    let Some(counts) = pages::rater_counts(conn, study, round)? else {
        return Ok(None);
    };
    if counts.short.is_empty() {
        return Ok(None);
    }
    if recorded(conn, study, round)? {
        return Ok(Some(false));
    }
    let short: Vec<serde_json::Value> = counts
        .short
        .iter()
        .map(|(code, n)| serde_json::json!({ "item": code, "raters": n }))
        .collect();
    audit::log(
        conn,
        study,
        actor,
        ACTION,
        serde_json::json!({
            "round": round.number,
            "deadline": round.deadline,
            "min_raters": counts.min_raters,
            "short": short,
        }),
        at,
    )?;
    Ok(Some(true))
}

/// For the dashboard: the refusal of the open `round` at its current deadline, with the items
/// short of raters now (`counts`, the dashboard's own); `None` once the round has closed, its
/// deadline moved or enough answered.
pub(crate) fn notice(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    counts: &RaterCounts,
) -> Result<Option<CloseRefusal>, ServiceError> {
    if round.status != RoundState::Open || counts.short.is_empty() || !recorded(conn, study, round)? {
        return Ok(None);
    }
    Ok(Some(CloseRefusal {
        min_raters: counts.min_raters,
        short: counts
            .short
            .iter()
            .map(|(code, n)| format!("{code} ({n})"))
            .collect(),
    }))
}
