//! Which items a ranking round offers and whom it invites.

use std::collections::HashMap;

use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Section;
use crate::db::DbConnection;
use crate::domain::round::{InvitePolicy, Origin, RoundKind, RoundState};
use crate::domain::rule::Status;
use crate::domain::study::{Method, Study};
use crate::service::rounds::{primary_statuses, responders_of, NextRound};
use crate::service::ServiceError;

/// Plans the ranking round of `study`: the items in consensus (`in`) of its last closed rating
/// round (every item for a `ranking` study), limited to `[ranking] sections`; the experts by
/// the study's invitation policy. Refused, in one line, when the study has no `[ranking]`, when
/// no rating round has closed yet, when a ranking round already ran, or when no item qualifies.
pub(crate) fn plan(conn: &mut DbConnection, study: &Study) -> Result<NextRound, ServiceError> {
    let slug = &study.slug;
    let Some(settings) = &study.file.ranking else {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` has no [ranking] table in its study file (e.g. `[ranking]` with `choose = 10`), so it cannot open a ranking round"
        )));
    };
    let rounds = Round::of_study(conn, study.id)?;
    if let Some(open) = rounds.iter().find(|r| r.status == RoundState::Open) {
        return Err(ServiceError::Conflict(format!(
            "round {} of `{slug}` is still open; close it first",
            open.number
        )));
    }
    if rounds.iter().any(|r| r.kind == RoundKind::Ranking) {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` already had its ranking round; a ranking round ends the study"
        )));
    }
    let last_rating = rounds
        .iter()
        .rev()
        .find(|r| r.kind == RoundKind::Rating && r.status == RoundState::Closed);
    let ranking_study = study.file.method == Method::Ranking;
    if !ranking_study && last_rating.is_none() {
        return Err(ServiceError::Conflict(format!(
            "no rating round of `{slug}` has closed yet: a ranking round offers the items in consensus after one"
        )));
    }
    let sections: HashMap<i64, String> = Section::keys_of_study(conn, study.id)?;
    let offered = |item: &Item| {
        sections
            .get(&item.section_id)
            .is_some_and(|key| settings.offers_section(key))
    };
    let items: Vec<(Item, Origin)> = match last_rating {
        Some(round) if !ranking_study => {
            let statuses = primary_statuses(conn, round.id)?;
            let asked: HashMap<i64, ()> = Round::items(conn, round.id)?
                .into_iter()
                .map(|ri| (ri.item_id, ()))
                .collect();
            Item::of_study(conn, study.id)?
                .into_iter()
                .filter(|item| asked.contains_key(&item.id) && item.retired_at.is_none())
                .filter(|item| statuses.get(&item.id) == Some(&Status::In))
                .filter(|item| offered(item))
                .map(|item| (item, Origin::Carried))
                .collect()
        }
        _ => Item::of_study(conn, study.id)?
            .into_iter()
            .filter(|item| item.retired_at.is_none() && offered(item))
            .map(|item| (item, Origin::New))
            .collect(),
    };
    if items.is_empty() {
        let within = if settings.sections.is_empty() {
            String::new()
        } else {
            format!(
                " in the sections of `ranking.sections` ({})",
                settings.sections.join(", ")
            )
        };
        return Err(ServiceError::Conflict(match last_rating {
            Some(round) if !ranking_study => format!(
                "no item of `{slug}` reached consensus (in) in round {}{within}: there is nothing to rank",
                round.number
            ),
            _ => format!("study `{slug}` has no items{within} to rank; import items first"),
        }));
    }
    let experts = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter(|e| e.withdrawn_at.is_none() && e.email.is_some() && !e.is_test);
    let invitees: Vec<Expert> = match (last_rating, study.file.rounds.invite) {
        (Some(round), InvitePolicy::PreviousResponders) if !ranking_study => {
            let responders = responders_of(conn, round.id)?;
            experts.filter(|e| responders.contains(&e.id)).collect()
        }
        _ => experts.collect(),
    };
    if invitees.is_empty() {
        return Err(ServiceError::Conflict(format!(
            "study `{slug}` has no experts to invite to its ranking round"
        )));
    }
    Ok(NextRound {
        number: rounds.last().map(|r| r.number + 1).unwrap_or(1),
        kind: RoundKind::Ranking,
        items,
        invitees,
        locks_rule: study.rule_hash.is_none(),
    })
}
