//! An expert's ranking on their page: the list they saved, and saving a new one from the form
//! (a position per item, "not chosen" by default) with the same rules as an import: distinct
//! positions from 1 without a gap, at most `choose`, items of the round only. A refused list
//! saves nothing and says which items are in conflict, so the page can show them again.

use std::collections::HashMap;

use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::rankings::{NewRanking, Ranking};
use crate::db::models::rounds::Round;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::ranking::{check_list, ListProblem};
use crate::service::expert::ExpertSession;
use crate::service::ServiceError;

/// Why a posted list was refused, naming the items (codes) in conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RankingProblem {
    /// A position field that is not a number from 1 to `choose`.
    NotAPosition { code: String, value: String },
    /// Several items at one position.
    Repeated { codes: Vec<String>, position: u32 },
    /// A position above `choose`.
    AboveChoose { code: String, position: u32 },
    /// Nothing at `missing` though a later position is used.
    Gap { missing: u32 },
    /// A field for an item the round does not offer.
    NotInRound { code: String },
}

impl RankingProblem {
    /// The items it is about (none for a gap), for the page to mark them.
    pub fn codes(&self) -> Vec<&str> {
        match self {
            RankingProblem::NotAPosition { code, .. }
            | RankingProblem::AboveChoose { code, .. }
            | RankingProblem::NotInRound { code } => vec![code.as_str()],
            RankingProblem::Repeated { codes, .. } => codes.iter().map(String::as_str).collect(),
            RankingProblem::Gap { .. } => Vec::new(),
        }
    }

    /// The form field it is about: the first item's position field (`p_CODE`), or the whole
    /// list (`ranking`) for a gap.
    pub fn field(&self) -> String {
        match self.codes().first() {
            Some(code) => format!("p_{code}"),
            None => "ranking".to_owned(),
        }
    }
}

/// The position fields of a posted ranking form (`p_CODE`), as (item code, position text)
/// pairs in page order; other fields are ignored.
pub fn parse_ranking_form(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .filter_map(|(name, value)| {
            name.strip_prefix("p_")
                .filter(|code| !code.is_empty())
                .map(|code| (code.to_owned(), value))
        })
        .collect()
}

/// A posted list (`parse_ranking_form`) checked against the round: `ids` gives each item code
/// of the study its id, `in_round` the ids the round offers, `choose` the most positions. The
/// chosen items with their positions, or every problem; empty fields mean "not chosen".
pub fn check_ranking(
    posted: &[(String, String)],
    ids: &HashMap<String, i64>,
    in_round: &[i64],
    choose: u32,
) -> Result<Vec<(i64, u32)>, Vec<RankingProblem>> {
    let mut problems = Vec::new();
    let mut list: Vec<(usize, u32)> = Vec::new();
    let mut chosen: Vec<(&str, i64)> = Vec::new();
    for (code, raw) in posted {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let Some(&item_id) = ids.get(code).filter(|id| in_round.contains(id)) else {
            problems.push(RankingProblem::NotInRound { code: code.clone() });
            continue;
        };
        match raw.parse::<u32>() {
            Ok(position) if position >= 1 => {
                list.push((chosen.len(), position));
                chosen.push((code.as_str(), item_id));
            }
            _ => problems.push(RankingProblem::NotAPosition {
                code: code.clone(),
                value: raw.to_owned(),
            }),
        }
    }
    for problem in check_list(&list, choose) {
        problems.push(match problem {
            ListProblem::RepeatedPosition { position, items } => RankingProblem::Repeated {
                codes: items.iter().map(|&i| chosen[i].0.to_owned()).collect(),
                position,
            },
            ListProblem::AboveChoose { item, position } => RankingProblem::AboveChoose {
                code: chosen[item].0.to_owned(),
                position,
            },
            ListProblem::Gap { missing } => RankingProblem::Gap { missing },
            // A form has one field per item: an item cannot come twice.
            ListProblem::RepeatedItem { item } => RankingProblem::NotInRound {
                code: chosen[item].0.to_owned(),
            },
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(chosen
        .iter()
        .zip(&list)
        .map(|((_, item_id), (_, position))| (*item_id, *position))
        .collect())
}

/// The outcome of saving a posted list.
#[derive(Debug)]
pub enum RankingSaved {
    /// Saved; the number of items chosen.
    Saved(usize),
    Refused(Vec<RankingProblem>),
}

/// The expert's saved list: item code → position.
pub fn saved_positions(
    conn: &mut DbConnection,
    session: &ExpertSession,
) -> Result<HashMap<String, u32>, ServiceError> {
    let codes: HashMap<i64, String> = Item::codes_of_study(conn, session.study.id)?;
    Ok(Ranking::of_expert(conn, session.round.id, session.expert_id)?
        .into_iter()
        .filter_map(|r| Some((codes.get(&r.item_id)?.clone(), u32::try_from(r.position).ok()?)))
        .collect())
}

/// The study's items by code → wording, to name them in a refusal.
pub fn item_names(
    conn: &mut DbConnection,
    session: &ExpertSession,
) -> Result<HashMap<String, String>, ServiceError> {
    Ok(Item::of_study(conn, session.study.id)?
        .into_iter()
        .map(|i| (i.code, i.text))
        .collect())
}

/// Saves the list posted as (item code, position field) pairs, empty fields meaning "not
/// chosen". The whole list replaces the saved one, or nothing changes. A saved list counts as
/// the expert's submitted answer (a ranking has no separate review step).
pub fn save(
    conn: &mut DbConnection,
    session: &ExpertSession,
    posted: &[(String, String)],
) -> Result<RankingSaved, ServiceError> {
    if session.round.kind != crate::domain::round::RoundKind::Ranking {
        return Err(ServiceError::invalid(
            "ranking",
            "this round asks for scores, not a ranking",
        ));
    }
    let choose = session
        .study
        .file
        .ranking
        .as_ref()
        .map(|r| r.choose)
        .ok_or_else(|| {
            ServiceError::Conflict(format!("study `{}` has no [ranking] table", session.study.slug))
        })?;
    write_transaction(conn, |conn| {
        let round = Round::lock(conn, session.round.id, false)?;
        crate::service::ratings::require_taking_answers(&round, session.is_test)?;
        let ids: HashMap<String, i64> = Item::of_study(conn, session.study.id)?
            .into_iter()
            .map(|i| (i.code, i.id))
            .collect();
        let in_round: Vec<i64> = Round::items(conn, round.id)?
            .into_iter()
            .map(|ri| ri.item_id)
            .collect();
        let chosen = match check_ranking(posted, &ids, &in_round, choose) {
            Ok(chosen) => chosen,
            Err(problems) => return Ok(RankingSaved::Refused(problems)),
        };
        let at = now();
        let rows: Vec<NewRanking> = chosen
            .iter()
            .map(|(item_id, position)| NewRanking {
                round_id: round.id,
                expert_id: session.expert_id,
                item_id: *item_id,
                position: i32::try_from(*position).unwrap_or(i32::MAX),
                saved_at: at,
            })
            .collect();
        Ranking::replace(conn, round.id, session.expert_id, &rows)?;
        Invitation::mark_started(conn, session.invitation_id, at)?;
        if !rows.is_empty() {
            Invitation::mark_submitted(conn, session.invitation_id, at)?;
        }
        Ok(RankingSaved::Saved(rows.len()))
    })
}
