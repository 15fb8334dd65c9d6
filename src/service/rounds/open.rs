//! Opening the next round: the plan (which items, whom to invite), its preview, and applying it
//! — the rule locked, the round with its items and invitations, the invitation emails queued.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::rounds::Round;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::round::InvitePolicy;
use crate::domain::round::{self, ItemCarry, ItemOrigin, Origin};
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::rule::Status;
use crate::domain::study::Study;
use crate::service::audit;
use crate::service::notify::link_email;
use crate::service::pages;
use crate::service::studies;
use crate::service::studies::load;
use crate::service::{tokens, Actor, ServiceError};

use super::{all_round_item_ids, primary_statuses, responders_of};

#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub number: i32,
    pub kind: RoundKind,
    pub items: usize,
    pub carried: usize,
    pub new_items: usize,
    pub invited: usize,
    pub emails_queued: usize,
    pub rule_hash: String,
    pub deadline: Option<NaiveDateTime>,
}

/// What opening the next round would do; computed without writing, shared by `open` (which
/// then applies it) and `preview` (which shows it).
pub(crate) struct NextRound {
    pub(crate) number: i32,
    pub(crate) kind: RoundKind,
    /// In the study's order.
    pub(crate) items: Vec<(Item, Origin)>,
    pub(crate) invitees: Vec<Expert>,
    /// The rule is locked by this opening (round 1), not already.
    pub(crate) locks_rule: bool,
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
    // The ideas round is not among `rounds` (see `Round::of_study`), so the open round is asked for.
    if let Some(open) = Round::open_of_study(conn, study.id)?.filter(|r| r.status == RoundState::Open) {
        return Err(ServiceError::Conflict(match open.kind {
            RoundKind::Ideas => format!("the ideas round of `{slug}` is still open; close it first"),
            _ => format!("round {} of `{slug}` is still open; close it first", open.number),
        }));
    }
    if rounds.is_empty() {
        crate::service::ideas::refuse_while_pending(conn, study)?;
    }
    let number = rounds.last().map(|r| r.number + 1).unwrap_or(1);
    if number as u32 > study.file.rounds.max {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` allows at most {} rounds (rounds.max)",
            study.file.rounds.max
        )));
    }
    let previous = rounds.last();
    let chosen = plan_items(conn, study, &rounds)?;

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
        kind: study.file.method.round_kind(),
        items: chosen,
        invitees,
        locks_rule: study.rule_hash.is_none(),
    })
}

/// The items the round after `rounds` would ask, in the study's order: those carried forward
/// from the last round by policy, plus items never put to the panel. Items of a round that has
/// not closed have no decision yet, so they count as unresolved: for an open round this is the
/// plan if no item reaches consensus (what the expert preview shows for the round after it).
fn plan_items(
    conn: &mut DbConnection,
    study: &Study,
    rounds: &[Round],
) -> Result<Vec<(Item, Origin)>, ServiceError> {
    let slug = &study.slug;
    let previous = rounds.last();
    // Items: carried forward by policy, plus items never put to the panel yet.
    let items = Item::of_study(conn, study.id)?;
    let ever_in_round: HashSet<i64> = all_round_item_ids(conn, rounds)?;
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
            } else if item.origin == ItemOrigin::Suggestion {
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
    Ok(chosen)
}

/// (item id, version, origin) in order, as `Round::set_items` takes them.
pub(crate) fn item_rows(items: &[(Item, Origin)]) -> Vec<(i64, i32, Origin)> {
    items
        .iter()
        .map(|(item, origin)| (item.id, item.version, *origin))
        .collect()
}

/// The items of the round after the study's last one, planned as `open` would plan them, but
/// also while that round is still open (see `plan_items`). Writes nothing.
pub(crate) fn planned_items(
    conn: &mut DbConnection,
    study: &Study,
) -> Result<Vec<(Item, Origin)>, ServiceError> {
    let rounds = Round::of_study(conn, study.id)?;
    plan_items(conn, study, &rounds)
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

/// Which round [`open_as`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// The next round: a ranking round when the study's method is `ranking`, else a rating
    /// round.
    Next,
    /// A ranking round, whatever the method.
    Ranking,
    /// The ideas round (round 0): the whole active panel is invited to propose items; no item
    /// is asked and the consensus rule stays unlocked until round 1.
    Ideas,
}

/// Opens the next round in one transaction.
pub fn open(
    conn: &mut DbConnection,
    slug: &str,
    deadline: Option<NaiveDateTime>,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Opened, ServiceError> {
    open_as(conn, slug, Opening::Next, deadline, links, actor)
}

fn refuse_past(deadline: Option<NaiveDateTime>, at: NaiveDateTime) -> Result<(), ServiceError> {
    match deadline {
        Some(deadline) if deadline <= at => {
            Err(ServiceError::invalid("deadline", "the deadline is in the past"))
        }
        _ => Ok(()),
    }
}

/// Opens the round `opening` names, in one transaction, unless the deadline has passed.
pub fn open_as(
    conn: &mut DbConnection,
    slug: &str,
    opening: Opening,
    deadline: Option<NaiveDateTime>,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Opened, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let at = now();
        refuse_past(deadline, at)?;
        let ranking =
            opening == Opening::Ranking || study.file.method == crate::domain::study::Method::Ranking;
        let plan = match opening {
            Opening::Ideas => plan_ideas(conn, study)?,
            _ if ranking => crate::service::ranking::plan(conn, study)?,
            _ => plan_next(conn, study)?,
        };
        apply(conn, study, plan, deadline, links, actor, at)
    })
}

/// The ideas round, or why it cannot open: the study needs `[ideas]`, and the round comes
/// once, before round 1.
fn plan_ideas(conn: &mut DbConnection, study: &Study) -> Result<NextRound, ServiceError> {
    let slug = &study.slug;
    if study.file.ideas.is_none() {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` has no [ideas] table; add one to the study file to open an ideas round"
        )));
    }
    if study.is_finished() {
        return Err(ServiceError::Conflict(format!("study `{slug}` is finished")));
    }
    if Round::ideas_of_study(conn, study.id)?.is_some() {
        return Err(ServiceError::Conflict(format!(
            "the ideas round of `{slug}` was already opened; a study has one"
        )));
    }
    if Round::count_of(conn, study.id)? > 0 {
        return Err(ServiceError::Conflict(format!(
            "round 1 of `{slug}` has already opened; the ideas round comes before it"
        )));
    }
    let invitees: Vec<Expert> = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter(|e| e.withdrawn_at.is_none() && e.email.is_some())
        .collect();
    if invitees.is_empty() {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` has no experts to invite; import a panel first"
        )));
    }
    Ok(NextRound {
        number: 0,
        kind: RoundKind::Ideas,
        items: Vec::new(),
        invitees,
        locks_rule: false,
    })
}

/// Writes a planned round: locks the rule, creates the round, its items and invitations, and
/// queues the invitation emails.
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
        kind,
        items: chosen,
        invitees,
        ..
    } = plan;
    let rule_hash = match &study.rule_hash {
        Some(hash) => hash.clone(),
        // The rule is locked by round 1, when the first item is judged.
        None if kind == RoundKind::Ideas => String::new(),
        None => {
            let hash = study.rules.hash();
            StudyRow::lock_rule(conn, study.id, &hash, at)?;
            hash
        }
    };
    // A round that test experts rehearsed opens for real: the same row, so their links keep
    // working, now with the plan as it stands (their answers to items no longer asked go).
    // A rating study that the stopping rule finished runs again for its ranking round.
    if study.is_finished() {
        StudyRow::resume(conn, study.id, at)?;
    }
    let round = match Round::draft_of_study(conn, study.id)?.filter(|d| d.number == number && d.kind == kind)
    {
        Some(draft) => {
            Round::promote(conn, draft.id, deadline, at)?;
            // Pages cached from the draft's items are rebuilt.
            StudyRow::touch(conn, study.id, at)?;
            Round {
                status: RoundState::Open,
                opened_at: Some(at),
                deadline,
                ..draft
            }
        }
        None => Round::insert(conn, study.id, number, kind, RoundState::Open, deadline, at)?,
    };
    Round::set_items(conn, round.id, &item_rows(&chosen))?;
    let overrides = crate::service::email_templates::overrides(conn, study.id)?;
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
        let email = link_email(study, &overrides, &round, expert, links, token, invitation_id, at);
        emails.push(crate::email::messages::invitation(&email, kind, chosen.len())?);
    }
    let emails_queued = OutboxEmail::enqueue(conn, &emails)?;
    // After the invitations: every page belongs to one.
    let seed = if pages::draws(study, kind) {
        let seed = pages::seed(conn, study, actor, at)?;
        pages::draw(conn, study, seed, &round)?;
        Some(seed)
    } else {
        None
    };
    audit::log(
        conn,
        study,
        actor,
        "round.open",
        serde_json::json!({
            "round": number, "kind": kind, "items": chosen.len(), "invited": invitees.len(),
            "rule_hash": rule_hash, "deadline": deadline.map(|d| d.to_string()), "seed": seed,
        }),
        at,
    )?;
    let carried = chosen.iter().filter(|(_, o)| *o == Origin::Carried).count();
    Ok(Opened {
        number,
        kind,
        items: chosen.len(),
        carried,
        new_items: chosen.len() - carried,
        invited: invitees.len(),
        emails_queued,
        rule_hash,
        deadline,
    })
}
