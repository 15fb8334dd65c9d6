//! The round cycle: open (lock the rule, choose items and experts, queue invitations), remind,
//! close (freeze, compute and store results, decide whether the study stops).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::studies::load;
use super::{tokens, Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::ratings::Rating;
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, StudyRow};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::round::InvitePolicy;
use crate::domain::round::RoundState;
use crate::domain::round::{self, ItemCarry, RoundOutcome, StopDecision};
use crate::domain::rule::{Status, PRIMARY};
use crate::domain::stats::{Counts, Statistics};
use crate::domain::study::Study;

#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub number: i32,
    pub items: usize,
    pub carried: usize,
    pub new_items: usize,
    pub invited: usize,
    pub emails_queued: usize,
    pub rule_hash: String,
    pub deadline: Option<NaiveDateTime>,
}

/// Where an item of the next round comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Asked in the previous round and carried forward by `rounds.carry_forward`.
    Carried,
    /// An accepted suggestion of an expert, never asked yet.
    Suggestion,
    /// Imported, never asked yet.
    New,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Carried => "carried",
            Origin::Suggestion => "suggestion",
            Origin::New => "new",
        }
    }
}

/// What opening the next round would do; computed without writing, shared by `open` (which
/// then applies it) and `preview` (which shows it).
struct NextRound {
    number: i32,
    /// In the study's order.
    items: Vec<(Item, Origin)>,
    invitees: Vec<Expert>,
    /// The rule is locked by this opening (round 1), not already.
    locks_rule: bool,
}

/// Plans the next round of `study`, or says why none can open now.
fn plan_next(conn: &mut DbConnection, study: &Study) -> Result<NextRound, ServiceError> {
    let slug = &study.slug;
    if study.is_finished() {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` is finished ({}); no further rounds can be opened",
            study.finish_reason.as_deref().unwrap_or("stopping rule met")
        )));
    }
    let rounds = Round::of_study(conn, study.id)?;
    if let Some(open) = rounds.iter().find(|r| r.status == RoundState::Open) {
        return Err(ServiceError::Conflict(format!(
            "round {} of `{slug}` is still open; close it first",
            open.number
        )));
    }
    let number = rounds.last().map(|r| r.number + 1).unwrap_or(1);
    if number as u32 > study.file.rounds.max {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` allows at most {} rounds (rounds.max)",
            study.file.rounds.max
        )));
    }
    let previous = rounds.last();

    // Items: carried forward by policy, plus items never put to the panel yet.
    let items = Item::of_study(conn, study.id)?;
    let ever_in_round: HashSet<i64> = all_round_item_ids(conn, &rounds)?;
    let carried: Vec<ItemCarry> = match previous {
        None => Vec::new(),
        Some(prev) => {
            let statuses = primary_statuses(conn, prev.id)?;
            Round::items(conn, prev.id)?
                .into_iter()
                .map(|ri| ItemCarry {
                    item_id: ri.item_id,
                    status: statuses.get(&ri.item_id).copied().unwrap_or(Status::None),
                })
                .collect()
        }
    };
    let carried_ids: HashSet<i64> = round::carried_items(&carried, study.file.rounds.carry_forward)
        .into_iter()
        .collect();
    let mut chosen: Vec<(Item, Origin)> = items
        .into_iter()
        .filter_map(|item| {
            let origin = if carried_ids.contains(&item.id) {
                Origin::Carried
            } else if item.retired_at.is_some() || ever_in_round.contains(&item.id) {
                return None;
            } else if item.origin == "suggestion" {
                Origin::Suggestion
            } else {
                Origin::New
            };
            Some((item, origin))
        })
        .collect();
    if chosen.is_empty() {
        return Err(ServiceError::Conflict(match previous {
            None => format!("study `{slug}` has no items to rate; import items first"),
            Some(_) => format!("no item of `{slug}` is left to rate: every item has reached a decision"),
        }));
    }
    // Present items in the study's order, whatever their origin.
    chosen.sort_by_key(|(item, _)| (item.position, item.id));

    // Experts: the whole active panel in round 1, then by the invitation policy.
    let experts = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter(|e| e.withdrawn_at.is_none() && e.email.is_some());
    let invitees: Vec<Expert> = match (previous, study.file.rounds.invite) {
        (Some(prev), InvitePolicy::PreviousResponders) => {
            let responders = responders_of(conn, prev.id)?;
            experts.filter(|e| responders.contains(&e.id)).collect()
        }
        _ => experts.collect(),
    };
    if invitees.is_empty() {
        return Err(ServiceError::Conflict(match previous {
            None => format!("study `{slug}` has no experts to invite; import a panel first"),
            Some(_) => format!(
                "nobody answered round {} of `{slug}`, so nobody can be invited",
                number - 1
            ),
        }));
    }
    Ok(NextRound {
        number,
        items: chosen,
        invitees,
        locks_rule: study.rule_hash.is_none(),
    })
}

/// One item of a previewed round.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewItem {
    pub code: String,
    pub text: String,
    pub origin: Origin,
}

/// One expert a previewed round would invite.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewExpert {
    pub pseudonym: String,
    pub email: String,
    pub name: String,
}

/// What `open` would do now, written nowhere.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub number: i32,
    pub items: Vec<PreviewItem>,
    pub carried: usize,
    pub suggestions: usize,
    pub new_items: usize,
    pub invite: Vec<PreviewExpert>,
    /// Opening this round locks the consensus rule (it is the first).
    pub locks_rule: bool,
}

/// Shows what opening the next round would do: the same plan `open` applies, without writing.
pub fn preview(conn: &mut DbConnection, slug: &str) -> Result<Preview, ServiceError> {
    let study = load(conn, slug)?;
    let plan = plan_next(conn, &study)?;
    let count = |origin| plan.items.iter().filter(|(_, o)| *o == origin).count();
    Ok(Preview {
        number: plan.number,
        carried: count(Origin::Carried),
        suggestions: count(Origin::Suggestion),
        new_items: count(Origin::New),
        items: plan
            .items
            .iter()
            .map(|(item, origin)| PreviewItem {
                code: item.code.clone(),
                text: item.text.clone(),
                origin: *origin,
            })
            .collect(),
        invite: plan
            .invitees
            .iter()
            .map(|e| PreviewExpert {
                pseudonym: e.pseudonym.clone(),
                email: e.email.clone().unwrap_or_default(),
                name: e.name.clone(),
            })
            .collect(),
        locks_rule: plan.locks_rule,
    })
}

/// Opens the next round in one transaction.
pub fn open(
    conn: &mut DbConnection,
    slug: &str,
    deadline: Option<NaiveDateTime>,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Opened, ServiceError> {
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let at = now();
        if let Some(deadline) = deadline {
            if deadline <= at {
                return Err(ServiceError::invalid("deadline", "the deadline is in the past"));
            }
        }
        let plan = plan_next(conn, &study)?;
        apply(conn, &study, plan, deadline, links, actor, at)
    })
}

/// Writes a planned round: locks the rule, creates the round, its items and invitations, and
/// queues the invitation emails.
fn apply(
    conn: &mut DbConnection,
    study: &Study,
    plan: NextRound,
    deadline: Option<NaiveDateTime>,
    links: &LinkBase,
    actor: &Actor,
    at: NaiveDateTime,
) -> Result<Opened, ServiceError> {
    let NextRound {
        number,
        items: chosen,
        invitees,
        ..
    } = plan;
    let rule_hash = match &study.rule_hash {
        Some(hash) => hash.clone(),
        None => {
            let hash = study.rules.hash();
            StudyRow::lock_rule(conn, study.id, &hash, at)?;
            hash
        }
    };
    let round = Round::insert_open(conn, study.id, number, deadline, at)?;
    for (position, (item, origin)) in chosen.iter().enumerate() {
        Round::add_item(
            conn,
            round.id,
            item.id,
            position as i32 + 1,
            item.version,
            origin.as_str(),
        )?;
    }
    let overrides = super::email_templates::overrides(conn, study.id)?;
    let mut emails = Vec::with_capacity(invitees.len());
    let fresh: Vec<(String, String)> = invitees.iter().map(|_| tokens::generate()).collect();
    let pairs: Vec<(i64, String)> = invitees
        .iter()
        .zip(&fresh)
        .map(|(expert, (_, hash))| (expert.id, hash.clone()))
        .collect();
    let invitation_of: HashMap<i64, i64> = Invitation::insert_many(conn, round.id, &pairs, at)?
        .into_iter()
        .map(|i| (i.expert_id, i.id))
        .collect();
    for (expert, (token, _)) in invitees.iter().zip(&fresh) {
        let invitation_id = invitation_of.get(&expert.id).copied().ok_or_else(|| {
            ServiceError::Conflict(format!("the invitation of expert {} was not created", expert.id))
        })?;
        emails.push(crate::email::messages::invitation(
            study,
            &overrides,
            &super::notify::recipient(expert),
            number,
            chosen.len(),
            deadline,
            links,
            token,
            invitation_id,
            at,
        )?);
    }
    let emails_queued = OutboxEmail::enqueue(conn, &emails)?;
    AuditEntry::append(
        conn,
        Some(study.id),
        &actor.0,
        "round.open",
        &serde_json::json!({
            "round": number, "items": chosen.len(), "invited": invitees.len(),
            "rule_hash": rule_hash, "deadline": deadline.map(|d| d.to_string()),
        }),
        at,
    )?;
    let carried = chosen.iter().filter(|(_, o)| *o == Origin::Carried).count();
    Ok(Opened {
        number,
        items: chosen.len(),
        carried,
        new_items: chosen.len() - carried,
        invited: invitees.len(),
        emails_queued,
        rule_hash,
        deadline,
    })
}

fn all_round_item_ids(conn: &mut DbConnection, rounds: &[Round]) -> Result<HashSet<i64>, ServiceError> {
    let mut ids = HashSet::new();
    for round in rounds {
        ids.extend(Round::items(conn, round.id)?.into_iter().map(|ri| ri.item_id));
    }
    Ok(ids)
}

/// Primary pooled status of every item of a closed round.
fn primary_statuses(conn: &mut DbConnection, round_id: i64) -> Result<HashMap<i64, Status>, ServiceError> {
    Ok(ResultRow::of_round(conn, round_id)?
        .into_iter()
        .filter(|r| r.rule == PRIMARY && r.group_key.is_empty())
        .map(|r| (r.item_id, r.status))
        .collect())
}

/// Experts who answered at least one item (a score or "unable to score") in the round.
fn responders_of(conn: &mut DbConnection, round_id: i64) -> Result<HashSet<i64>, ServiceError> {
    Ok(Rating::of_round(conn, round_id)?
        .into_iter()
        .filter(|r| r.score.is_some() || r.unable)
        .map(|r| r.expert_id)
        .collect())
}

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
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let round = Round::open_of_study(conn, study.id)?
            .ok_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no open round")))?;
        remind_in(conn, &study, &round, links, actor, &[])
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
    let overrides = super::email_templates::overrides(conn, study.id)?;
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
        emails.push(crate::email::messages::reminder(
            study,
            &overrides,
            &super::notify::recipient(expert),
            round.number,
            round.deadline,
            links,
            &token,
            invitation.id,
            invitation.reminders_sent + 1,
            at,
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

#[derive(Debug, Clone, Serialize)]
pub struct Closed {
    pub number: i32,
    pub items: usize,
    pub in_: usize,
    pub out: usize,
    pub none: usize,
    pub study_finished: Option<String>,
}

/// Closes the open round: in one transaction, no more answers are accepted, statistics and
/// statuses are computed under every rule, pooled and per group, and stored; then the stopping
/// rule decides whether the study is finished.
pub fn close(
    conn: &mut DbConnection,
    slug: &str,
    closed_by: &str,
    actor: &Actor,
) -> Result<Closed, ServiceError> {
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let open = Round::open_of_study(conn, study.id)?
            .ok_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no open round")))?;
        let round = Round::lock(conn, open.id, true)?;
        close_in(conn, &study, &round, closed_by, actor)
    })
}

/// The close itself, inside the caller's write transaction with the round row locked:
/// `round close` and the scheduler's close at the deadline share it.
pub(crate) fn close_in(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    closed_by: &str,
    actor: &Actor,
) -> Result<Closed, ServiceError> {
    let slug = &study.slug;
    let at = now();
    if !Round::mark_closed(conn, round.id, closed_by, at)? {
        return Err(ServiceError::Conflict(format!(
            "round {} of `{slug}` was closed meanwhile",
            round.number
        )));
    }
    let rows = compute_results(conn, study, round)?;
    let mut tally = HashMap::<Status, usize>::new();
    let primary = rows
        .iter()
        .filter(|r| r.rule == PRIMARY && r.group_key.is_empty());
    for row in primary {
        *tally.entry(row.status).or_default() += 1;
    }
    let items = tally.values().sum();
    ResultRow::insert_many(conn, rows)?;
    let unresolved = tally.get(&Status::None).copied().unwrap_or(0);
    let rounds_so_far = Round::of_study(conn, study.id)?;
    let asked = all_round_item_ids(conn, &rounds_so_far)?;
    let waiting = Item::of_study(conn, study.id)?
        .iter()
        .filter(|i| i.retired_at.is_none() && !asked.contains(&i.id))
        .count();
    let decision = round::stop_decision(RoundOutcome {
        round: round.number as u32,
        max_rounds: study.file.rounds.max,
        unresolved,
        waiting,
        stop_when_all_resolved: study.file.rounds.stop_when_all_resolved,
        carry_forward: study.file.rounds.carry_forward,
    });
    let study_finished = match decision {
        StopDecision::Continue => None,
        stop => {
            let reason = stop.reason().to_string();
            StudyRow::finish(conn, study.id, &reason, at)?;
            Some(reason)
        }
    };
    AuditEntry::append(
        conn,
        Some(study.id),
        &actor.0,
        "round.close",
        &serde_json::json!({
            "round": round.number, "closed_by": closed_by, "in": tally.get(&Status::In),
            "out": tally.get(&Status::Out), "none": unresolved, "study_finished": study_finished,
        }),
        at,
    )?;
    Ok(Closed {
        number: round.number,
        items,
        in_: tally.get(&Status::In).copied().unwrap_or(0),
        out: tally.get(&Status::Out).copied().unwrap_or(0),
        none: unresolved,
        study_finished,
    })
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

/// Moves the open round's deadline later. Only later: an earlier end is `round close`, and a
/// deadline that could move both ways would let a typo close a round early. Queues nothing;
/// reminder offsets not yet sent follow the new deadline, those sent are not sent again.
pub fn extend(
    conn: &mut DbConnection,
    slug: &str,
    deadline: NaiveDateTime,
    actor: &Actor,
) -> Result<Extended, ServiceError> {
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let open = Round::open_of_study(conn, study.id)?
            .ok_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no open round")))?;
        let round = Round::lock(conn, open.id, true)?;
        let at = now();
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
        if Round::set_deadline(conn, round.id, deadline)? != 1 {
            return Err(ServiceError::Conflict(format!(
                "round {} of `{slug}` was closed meanwhile",
                round.number
            )));
        }
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "round.extend",
            &serde_json::json!({
                "round": round.number,
                "from": round.deadline.map(|d| d.to_string()),
                "to": deadline.to_string(),
            }),
            at,
        )?;
        Ok(Extended {
            round: round.number,
            previous: round.deadline,
            deadline,
            previous_local: round.deadline.map(|d| study.local_time(d)),
            deadline_local: study.local_time(deadline),
        })
    })
}

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
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let expert = expert_by_email(conn, &study, email)?;
        if expert.withdrawn_at.is_some() {
            return Err(ServiceError::Conflict(format!(
                "{} ({email}) has withdrawn from `{slug}`; nothing is sent to them",
                expert.pseudonym
            )));
        }
        let round = Round::open_of_study(conn, study.id)?
            .ok_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no open round")))?;
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
        let overrides = super::email_templates::overrides(conn, study.id)?;
        let items = Round::items(conn, round.id)?.len();
        let mut email_row = crate::email::messages::invitation(
            &study,
            &overrides,
            &super::notify::recipient(&expert),
            round.number,
            items,
            round.deadline,
            links,
            &token,
            invitation.id,
            at,
        )?;
        // The first invitation holds `invitation:{id}`; each resend is a new email of its own.
        let digest = crate::domain::token::hash(&token);
        email_row.idempotency_key = format!("invitation:{}:resend:{}", invitation.id, &digest[..16]);
        OutboxEmail::enqueue(conn, std::slice::from_ref(&email_row))?;
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "invitation.resend",
            &serde_json::json!({
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

/// Builds every result row of a round from the database's per-item, per-group answer counts.
fn compute_results(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
) -> Result<Vec<ResultRow>, ServiceError> {
    let groups = Group::of_study(conn, study.id)?;
    let group_index: HashMap<i64, usize> = groups.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
    let experts: HashMap<i64, i64> = Expert::of_study(conn, study.id)?
        .into_iter()
        .map(|e| (e.id, e.group_id))
        .collect();
    let mut invited = vec![0i32; groups.len()];
    for invitation in Invitation::of_round(conn, round.id)? {
        if let Some(index) = experts
            .get(&invitation.expert_id)
            .and_then(|g| group_index.get(g))
        {
            invited[*index] += 1;
        }
    }
    let round_items = Round::items(conn, round.id)?;
    let empty = Counts::new(&study.scale);
    let mut per_item: HashMap<i64, Vec<Counts>> = round_items
        .iter()
        .map(|ri| (ri.item_id, vec![empty.clone(); groups.len()]))
        .collect();
    for row in Rating::counts(conn, round.id)? {
        let (Some(counts), Some(&g)) = (per_item.get_mut(&row.item_id), group_index.get(&row.group_id))
        else {
            continue;
        };
        let n = u64::try_from(row.count).unwrap_or(0);
        match (row.score, row.unable) {
            (_, true) => counts[g].add_unable(n),
            (Some(score), false) => counts[g]
                .add(score, n)
                .map_err(|e| ServiceError::invalid("ratings", format!("stored score off the scale: {e}")))?,
            (None, false) => {}
        }
    }
    let total_invited: i32 = invited.iter().sum();
    let mut rows =
        Vec::with_capacity(round_items.len() * (groups.len() + 1) * (1 + study.rules.alternatives.len()));
    for ri in &round_items {
        let group_counts = &per_item[&ri.item_id];
        let mut pooled = empty.clone();
        for counts in group_counts {
            pooled
                .merge(counts)
                .map_err(|e| ServiceError::invalid("ratings", e.to_string()))?;
        }
        for (rule_name, rule) in study.rules.rules() {
            let status = rule.evaluate(&pooled, group_counts);
            rows.push(result_row(
                round.id,
                ri.item_id,
                rule_name,
                "",
                total_invited,
                &pooled,
                rule,
                status,
            ));
            for (g, group) in groups.iter().enumerate() {
                let own = std::slice::from_ref(&group_counts[g]);
                let group_status = rule.evaluate(&group_counts[g], own);
                rows.push(result_row(
                    round.id,
                    ri.item_id,
                    rule_name,
                    &group.key,
                    invited[g],
                    &group_counts[g],
                    rule,
                    group_status,
                ));
            }
        }
    }
    Ok(rows)
}

#[allow(clippy::too_many_arguments)]
fn result_row(
    round_id: i64,
    item_id: i64,
    rule_name: &str,
    group_key: &str,
    invited: i32,
    counts: &Counts,
    rule: &crate::domain::rule::Rule,
    status: Status,
) -> ResultRow {
    let stats = Statistics::compute(counts, rule.quantiles, rule.unable);
    let as_i32 = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
    ResultRow {
        round_id,
        item_id,
        rule: rule_name.to_string(),
        group_key: group_key.to_string(),
        invited,
        responded: as_i32(counts.m() + counts.unable()),
        n: as_i32(stats.n),
        unable: as_i32(stats.unable),
        counts: serde_json::to_string(counts.per_point()).unwrap_or_else(|_| "[]".into()),
        min_score: stats.min,
        max_score: stats.max,
        figures: stats.figures,
        status,
    }
}
