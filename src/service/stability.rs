//! Between-round stability and attrition (docs/statistics.md), for every item rated in two
//! consecutive closed rounds; in a study with criteria, for every item and criterion (the
//! scores that move are the criterion's).

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
use crate::domain::study::Study;

/// One item in round r compared with round r − 1.
#[derive(Debug, Clone, Serialize)]
pub struct StabilityLine {
    pub round: i32,
    pub item_code: String,
    /// The criterion's key; empty (and left out of JSON) in a study without criteria.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub criterion: String,
    pub previous_status: Status,
    pub status: Status,
    pub change: RoundChange,
    pub bands: BandMovement,
    pub attrition: Attrition,
}

#[derive(Debug, Clone, Serialize)]
pub struct StabilityTable {
    pub study: String,
    /// The study rates items on criteria: its lines are per item and criterion.
    pub by_criterion: bool,
    /// The `in` share ranges of the primary rule, as `lo–hi`, in the order of each line's
    /// `change.shares`.
    pub share_ranges: Vec<String>,
    pub lines: Vec<StabilityLine>,
}

/// Refuses a comparison with the round before (stability, drift) asked of round 1, or of a round
/// not among `rounds`, the study's closed rounds of the kind compared; the refusal names the
/// `field`, the `comparison` and that `kind` of round.
pub(crate) fn compared_round(
    slug: &str,
    round: Option<i32>,
    rounds: &[Round],
    field: &str,
    comparison: &str,
    kind: &str,
) -> Result<(), ServiceError> {
    let Some(number) = round else {
        return Ok(());
    };
    if number < 2 {
        return Err(ServiceError::invalid(
            field,
            format!("{comparison} compares a round with the one before: use 2 or later"),
        ));
    }
    if !rounds.iter().any(|r| r.number == number) {
        return Err(ServiceError::Conflict(format!(
            "round {number} of `{slug}` is not {kind} (or does not exist)"
        )));
    }
    Ok(())
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
    compared_round(slug, round, &rounds, "--round", "stability", "closed")?;
    let codes: HashMap<i64, String> = Item::codes_of_study(conn, study.id)?;
    // The empty key stands for the item itself in a study without criteria; a criterion's
    // status is under its own rule, as in results.csv.
    let subjects: Vec<(String, String)> = if study.file.criteria.is_empty() {
        vec![(String::new(), PRIMARY.to_owned())]
    } else {
        study
            .file
            .criteria
            .iter()
            .map(|c| (c.key.clone(), c.rule.clone()))
            .collect()
    };
    let mut lines = Vec::new();
    for pair in rounds.windows(2) {
        let (previous, current) = (&pair[0], &pair[1]);
        if current.number != previous.number + 1 || round.is_some_and(|n| n != current.number) {
            continue;
        }
        let before = Answers::of_round(conn, previous.id, &study)?;
        let after = Answers::of_round(conn, current.id, &study)?;
        // Responding to round r means answering at least one of its items (a score or
        // "unable"), the same definition that decides who is invited to the next round.
        let responders = &after.responders;
        let invited: Vec<i64> = Invitation::of_round(conn, current.id)?
            .into_iter()
            .map(|i| i.expert_id)
            .collect();
        let round_items = Round::items(conn, current.id)?;
        for ri in &round_items {
            for (criterion, rule_name) in &subjects {
                let key = (criterion.clone(), ri.item_id);
                let pooled = |answers: &Answers| {
                    answers
                        .pooled
                        .get(&(criterion.clone(), rule_name.clone(), ri.item_id))
                        .cloned()
                };
                let (Some((prev_counts, prev_status)), Some((cur_counts, cur_status))) =
                    (pooled(&before), pooled(&after))
                else {
                    continue;
                };
                let none = HashMap::new();
                let scores_before = before.scores.get(&key).unwrap_or(&none);
                let scores_after = after.scores.get(&key).unwrap_or(&none);
                let pairs: Vec<ScorePair> = invited
                    .iter()
                    .filter_map(|expert| {
                        let previous = *scores_before.get(expert)?;
                        let current = *scores_after.get(expert)?;
                        Some(ScorePair { previous, current })
                    })
                    .collect();
                let previous_scores = |experts: &mut dyn Iterator<Item = &i64>| -> Vec<i32> {
                    experts.filter_map(|e| scores_before.get(e).copied()).collect()
                };
                let scale = study.scale_of(criterion);
                // The primary rule's shares for every line, so that the columns are the same
                // whichever rule a criterion's status is under; on a criterion's own scale a
                // range it does not have stays empty.
                let mut change = stability::round_change(&study.rules.primary, &prev_counts, &cur_counts);
                for share in &mut change.shares {
                    if !(scale.contains(share.lo) && scale.contains(share.hi)) {
                        (share.previous, share.current, share.delta) = (None, None, None);
                    }
                }
                let stayed = previous_scores(&mut invited.iter().filter(|e| responders.contains(e)));
                let left = previous_scores(&mut invited.iter().filter(|e| !responders.contains(e)));
                lines.push(StabilityLine {
                    round: current.number,
                    item_code: codes.get(&ri.item_id).cloned().unwrap_or_default(),
                    criterion: criterion.clone(),
                    previous_status: prev_status,
                    status: cur_status,
                    change,
                    bands: stability::band_movement(scale, &pairs),
                    attrition: stability::attrition(&stayed, &left),
                });
            }
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
        by_criterion: !study.file.criteria.is_empty(),
        share_ranges,
        lines,
    })
}

/// A closed round's answers as stability compares them, keyed by criterion (empty for the item
/// itself in a study without criteria).
struct Answers {
    /// Pooled counts and status by (criterion, rule, item), from the stored results.
    pooled: HashMap<(String, String, i64), (Counts, Status)>,
    /// Numeric scores by (criterion, item), then expert.
    scores: HashMap<(String, i64), HashMap<i64, i32>>,
    /// Experts who answered anything (a score or "unable").
    responders: HashSet<i64>,
}

impl Answers {
    /// Counts on each criterion's own scale (the study's unless it has one).
    fn of_round(conn: &mut DbConnection, round_id: i64, study: &Study) -> Result<Answers, ServiceError> {
        let pooled = ResultRow::of_round_with_criteria(conn, round_id)?
            .into_iter()
            .filter(|r| r.group_key.is_empty())
            .map(|r| {
                let per_point: Vec<u64> = serde_json::from_str(&r.counts).unwrap_or_default();
                let unable = u64::try_from(r.unable).unwrap_or(0);
                let min = study.scale_of(&r.criterion).min();
                (
                    (r.criterion, r.rule, r.item_id),
                    (Counts::from_slice(min, &per_point, unable), r.status),
                )
            })
            .collect();
        let mut scores: HashMap<(String, i64), HashMap<i64, i32>> = HashMap::new();
        let mut responders = HashSet::new();
        for rating in Rating::of_round(conn, round_id)? {
            if rating.score.is_some() || rating.unable {
                responders.insert(rating.expert_id);
            }
            if let Some(score) = rating.score {
                scores
                    .entry((rating.criterion, rating.item_id))
                    .or_default()
                    .insert(rating.expert_id, score);
            }
        }
        Ok(Answers {
            pooled,
            scores,
            responders,
        })
    }
}
