//! Between-round stability and attrition (docs/statistics.md), for every item rated in two
//! consecutive closed rounds.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::studies::load;
use super::ServiceError;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::ratings::Rating;
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::DbConnection;
use crate::domain::round::RoundState;
use crate::domain::rule::{Status, PRIMARY};
use crate::domain::stability::{self, Attrition, BandMovement, RoundChange, ScorePair};
use crate::domain::stats::Counts;

/// One item in round r compared with round r − 1.
#[derive(Debug, Clone, Serialize)]
pub struct StabilityLine {
    pub round: i32,
    pub item_code: String,
    pub previous_status: Status,
    pub status: Status,
    pub change: RoundChange,
    pub bands: BandMovement,
    pub attrition: Attrition,
}

#[derive(Debug, Clone, Serialize)]
pub struct StabilityTable {
    pub study: String,
    /// The `in` share ranges of the primary rule, as `lo–hi`, in the order of each line's
    /// `change.shares`.
    pub share_ranges: Vec<String>,
    pub lines: Vec<StabilityLine>,
}

/// Stability of round `round` (or of every closed round ≥ 2) against the round before.
pub fn stability(
    conn: &mut DbConnection,
    slug: &str,
    round: Option<i32>,
) -> Result<StabilityTable, ServiceError> {
    let study = load(conn, slug)?;
    let rounds: Vec<Round> = Round::of_study(conn, study.id)?
        .into_iter()
        .filter(|r| r.status == RoundState::Closed)
        .collect();
    if let Some(number) = round {
        if number < 2 {
            return Err(ServiceError::invalid(
                "--round",
                "stability compares a round with the one before: use 2 or later",
            ));
        }
        if !rounds.iter().any(|r| r.number == number) {
            return Err(ServiceError::Conflict(format!(
                "round {number} of `{slug}` is not closed (or does not exist)"
            )));
        }
    }
    let codes: HashMap<i64, String> = Item::codes_of_study(conn, study.id)?;
    let rule = &study.rules.primary;
    let mut lines = Vec::new();
    for pair in rounds.windows(2) {
        let (previous, current) = (&pair[0], &pair[1]);
        if current.number != previous.number + 1 || round.is_some_and(|n| n != current.number) {
            continue;
        }
        let before = pooled(conn, previous.id, study.scale.min())?;
        let after = pooled(conn, current.id, study.scale.min())?;
        let scores_before: HashMap<(i64, i64), i32> = Rating::scores_of_round(conn, previous.id)?
            .into_iter()
            .map(|(expert, item, score)| ((expert, item), score))
            .collect();
        let scores_after: HashMap<(i64, i64), i32> = Rating::scores_of_round(conn, current.id)?
            .into_iter()
            .map(|(expert, item, score)| ((expert, item), score))
            .collect();
        // Responding to round r means answering at least one of its items (a score or
        // "unable"), the same definition that decides who is invited to the next round.
        let responders: HashSet<i64> = Rating::of_round(conn, current.id)?
            .into_iter()
            .filter(|r| r.score.is_some() || r.unable)
            .map(|r| r.expert_id)
            .collect();
        let invited: Vec<i64> = Invitation::of_round(conn, current.id)?
            .into_iter()
            .map(|i| i.expert_id)
            .collect();
        for ri in Round::items(conn, current.id)? {
            let (Some((prev_counts, prev_status)), Some((cur_counts, cur_status))) =
                (before.get(&ri.item_id), after.get(&ri.item_id))
            else {
                continue;
            };
            let pairs: Vec<ScorePair> = invited
                .iter()
                .filter_map(|expert| {
                    let previous = *scores_before.get(&(*expert, ri.item_id))?;
                    let current = *scores_after.get(&(*expert, ri.item_id))?;
                    Some(ScorePair { previous, current })
                })
                .collect();
            let previous_scores = |experts: &mut dyn Iterator<Item = &i64>| -> Vec<i32> {
                experts
                    .filter_map(|e| scores_before.get(&(*e, ri.item_id)).copied())
                    .collect()
            };
            let stayed = previous_scores(&mut invited.iter().filter(|e| responders.contains(e)));
            let left = previous_scores(&mut invited.iter().filter(|e| !responders.contains(e)));
            lines.push(StabilityLine {
                round: current.number,
                item_code: codes.get(&ri.item_id).cloned().unwrap_or_default(),
                previous_status: *prev_status,
                status: *cur_status,
                change: stability::round_change(rule, prev_counts, cur_counts),
                bands: stability::band_movement(&study.scale, &pairs),
                attrition: stability::attrition(&stayed, &left),
            });
        }
    }
    let share_ranges = lines
        .first()
        .map(|l| {
            l.change
                .shares
                .iter()
                .map(|s| format!("{}–{}", s.lo, s.hi))
                .collect()
        })
        .unwrap_or_default();
    Ok(StabilityTable {
        study: study.slug.clone(),
        share_ranges,
        lines,
    })
}

/// Pooled counts and primary status of every item of a closed round, from its stored results.
fn pooled(
    conn: &mut DbConnection,
    round_id: i64,
    min: i32,
) -> Result<HashMap<i64, (Counts, Status)>, ServiceError> {
    Ok(ResultRow::of_round(conn, round_id)?
        .into_iter()
        .filter(|r| r.rule == PRIMARY && r.group_key.is_empty())
        .map(|r| {
            let per_point: Vec<u64> = serde_json::from_str(&r.counts).unwrap_or_default();
            let unable = u64::try_from(r.unable).unwrap_or(0);
            (r.item_id, (Counts::from_slice(min, &per_point, unable), r.status))
        })
        .collect())
}
