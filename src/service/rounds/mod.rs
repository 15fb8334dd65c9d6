//! The round cycle: open (lock the rule, choose items and experts, queue invitations), remind,
//! close (freeze, compute and store results, decide whether the study stops).

mod close;
mod deadline;
mod finish;
mod open;
mod remind;
mod resend;

pub(crate) use close::close_in;
pub use close::{close, Closed};
pub use deadline::{check_extend, extend, parse_deadline, Extended};
pub(crate) use finish::{check_reason, finish_in};
pub use finish::{finish, Finished, MAX_REASON_CHARS};
pub(crate) use open::{item_rows, planned_items, NextRound};
pub use open::{open, open_as, preview, Opened, Opening, Preview, PreviewExpert, PreviewItem};
pub(crate) use remind::remind_in;
pub use remind::{remind, Reminded};
pub use resend::{resend, Resent};

use std::collections::{HashMap, HashSet};

use crate::db::models::chnri_answers::ChnriAnswerRow;
use crate::db::models::experts::Expert;
use crate::db::models::ratings::Rating;
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::DbConnection;
use crate::domain::rule::{Status, PRIMARY};
use crate::domain::study::Study;
use crate::service::notify::link_email;
use crate::service::ServiceError;

/// The study's open round; a Conflict saying there is none.
pub(super) fn open_round(conn: &mut DbConnection, study: &Study) -> Result<Round, ServiceError> {
    Round::open_of_study(conn, study.id)?
        .ok_or_else(|| ServiceError::Conflict(format!("study `{}` has no open round", study.slug)))
}

/// Every item asked in any of `rounds`.
pub(super) fn all_round_item_ids(
    conn: &mut DbConnection,
    rounds: &[Round],
) -> Result<HashSet<i64>, ServiceError> {
    let mut ids = HashSet::new();
    for round in rounds {
        ids.extend(Round::items(conn, round.id)?.into_iter().map(|ri| ri.item_id));
    }
    Ok(ids)
}

/// Primary pooled status of every item of a closed round.
pub(crate) fn primary_statuses(
    conn: &mut DbConnection,
    round_id: i64,
) -> Result<HashMap<i64, Status>, ServiceError> {
    Ok(ResultRow::of_round(conn, round_id)?
        .into_iter()
        .filter(|r| r.rule == PRIMARY && r.group_key.is_empty())
        .map(|r| (r.item_id, r.status))
        .collect())
}

/// Experts who answered at least one item (a score or "unable to score") in the round, or, in
/// a ranking round, placed at least one item.
pub(crate) fn responders_of(conn: &mut DbConnection, round_id: i64) -> Result<HashSet<i64>, ServiceError> {
    let mut responders: HashSet<i64> = Rating::of_round(conn, round_id)?
        .into_iter()
        .filter(|r| r.score.is_some() || r.unable)
        .map(|r| r.expert_id)
        .collect();
    responders.extend(
        crate::db::models::rankings::Ranking::of_round(conn, round_id)?
            .into_iter()
            .map(|r| r.expert_id),
    );
    // A CHNRI round's answers are in their own table: an expert who answered any question
    // responded (don't know included, as "unable to score" is for a rating).
    responders.extend(
        ChnriAnswerRow::of_round(conn, round_id)?
            .into_iter()
            .map(|a| a.expert_id),
    );
    Ok(responders)
}

/// The study's expert with this email (as written, then in lower case); `NotFound` naming it.
pub(crate) fn expert_by_email(
    conn: &mut DbConnection,
    study: &Study,
    email: &str,
) -> Result<Expert, ServiceError> {
    let email = email.trim();
    let found = match Expert::by_email(conn, study.id, email)? {
        Some(expert) => Some(expert),
        None => Expert::by_email(conn, study.id, &email.to_lowercase())?,
    };
    found.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "--email: no expert of `{}` has the email {email}",
            study.slug
        ))
    })
}

/// The invitation email of `expert` to `round` carrying the new link `token`, in the study's
/// wording. `again` ("resend", "test") marks a later email for an invitation that already had
/// one: the first holds the key `invitation:{id}`, so each new link gets a key of its own
/// (with the link's digest) instead of being taken for that first email and never sent.
#[allow(clippy::too_many_arguments)]
pub(crate) fn invitation_email(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    expert: &Expert,
    links: &crate::domain::link::LinkBase,
    token: &str,
    invitation_id: i64,
    again: Option<&str>,
    at: chrono::NaiveDateTime,
) -> Result<crate::domain::outbox::NewEmail, ServiceError> {
    let overrides = crate::service::email_templates::overrides(conn, study.id)?;
    let items = Round::items(conn, round.id)?.len();
    let personal = link_email(study, &overrides, round, expert, links, token, invitation_id, at);
    let mut email = crate::email::messages::invitation(&personal, round.kind, items)?;
    if let Some(why) = again {
        let digest = crate::domain::token::hash(token);
        email.idempotency_key = format!("invitation:{invitation_id}:{why}:{}", &digest[..16]);
    }
    Ok(email)
}
