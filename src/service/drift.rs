//! Drift (docs/statistics.md, "Drift"): for every item rated in two consecutive closed rating
//! rounds, how far the panel's scores moved toward the previous round's median, and how much of
//! that happened after the experts saw the feedback. Figures by `domain::drift`; this module
//! only gathers the stored answers (the panel's: test experts never count).
//!
//! A study with criteria gets the figures per criterion: its experts score the criteria, not
//! the item, and each criterion had its own median in the feedback.

use std::collections::{BTreeMap, HashMap};

use super::studies::load;
use super::ServiceError;
use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::ratings::Rating;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Group;
use crate::db::DbConnection;
use crate::domain::drift::{item_drift, Cohort, ExpertScores, ItemDrift};
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::stats::Counts;
use crate::domain::study::FeedbackTiming;

/// One item (or one criterion of an item) from round `previous_round` to `round`.
#[derive(Debug, Clone)]
pub struct DriftLine {
    pub previous_round: i32,
    pub round: i32,
    pub item_code: String,
    pub item_text: String,
    /// The criterion, in a study with criteria; `None` otherwise.
    pub criterion: Option<String>,
    pub drift: ItemDrift,
}

#[derive(Debug, Clone)]
pub struct DriftTable {
    pub study: String,
    /// The stakeholder groups' keys in the study's order: every line has figures for each
    /// (with nobody counted when the group had no answer).
    pub groups: Vec<String>,
    /// `[feedback] timing = "after_rating"`: pre-feedback scores were asked for.
    pub after_rating: bool,
    /// The study's first closed rating round: experts who first answered in it are `early`.
    pub first_round: i32,
    /// How many rating rounds have closed (drift needs two).
    pub closed_rounds: usize,
    /// By round, then in round `round`'s item order, then criterion order.
    pub lines: Vec<DriftLine>,
}

impl DriftTable {
    /// The rounds `r` that have lines, each once, in order.
    pub fn rounds(&self) -> Vec<i32> {
        let mut rounds: Vec<i32> = self.lines.iter().map(|l| l.round).collect();
        rounds.dedup();
        rounds
    }
}

/// One expert's answer to one item (or criterion) in one round; `None` scores are "unable".
#[derive(Clone, Copy)]
struct Answered {
    score: Option<i32>,
    pre_feedback: Option<i32>,
}

type Key = (i64, String);

/// Drift into round `round` (or into every closed rating round after another).
pub fn drift(conn: &mut DbConnection, slug: &str, round: Option<i32>) -> Result<DriftTable, ServiceError> {
    let study = load(conn, slug)?;
    let rounds: Vec<Round> = Round::of_study(conn, study.id)?
        .into_iter()
        .filter(|r| r.status == RoundState::Closed && r.kind == RoundKind::Rating)
        .collect();
    super::stability::compared_round(slug, round, &rounds, "round", "drift", "a closed rating round")?;
    let groups = Group::of_study(conn, study.id)?;
    let group_key: HashMap<i64, &str> = groups.iter().map(|g| (g.id, g.key.as_str())).collect();
    let expert_group: HashMap<i64, String> = Expert::of_study(conn, study.id)?
        .into_iter()
        .map(|e| {
            (
                e.id,
                group_key.get(&e.group_id).copied().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let items: HashMap<i64, (String, String)> = Item::of_study(conn, study.id)?
        .into_iter()
        .map(|i| (i.id, (i.code, i.text)))
        .collect();
    let criteria: Vec<&str> = study.file.criteria.iter().map(|c| c.key.as_str()).collect();

    // Every closed rating round's answers: the cohorts need each expert's first response.
    let mut answers: Vec<BTreeMap<Key, BTreeMap<i64, Answered>>> = Vec::with_capacity(rounds.len());
    let mut first_response: HashMap<i64, i32> = HashMap::new();
    for r in &rounds {
        let mut by_key: BTreeMap<Key, BTreeMap<i64, Answered>> = BTreeMap::new();
        for rating in Rating::of_round(conn, r.id)? {
            // A blank (a comment without a score) is no answer.
            if rating.score.is_none() && !rating.unable {
                continue;
            }
            first_response.entry(rating.expert_id).or_insert(r.number);
            by_key
                .entry((rating.item_id, rating.criterion))
                .or_default()
                .insert(
                    rating.expert_id,
                    Answered {
                        score: rating.score,
                        pre_feedback: rating.pre_feedback_score,
                    },
                );
        }
        answers.push(by_key);
    }
    let first_round = rounds.first().map_or(1, |r| r.number);
    let cohort = |expert: i64| {
        let first = first_response.get(&expert).copied().unwrap_or(first_round);
        Cohort::of(
            u32::try_from(first).unwrap_or(0),
            u32::try_from(first_round).unwrap_or(0),
        )
    };

    let mut lines = Vec::new();
    for (at, pair) in rounds.windows(2).enumerate() {
        let (previous, current) = (&pair[0], &pair[1]);
        if current.number != previous.number + 1 || round.is_some_and(|n| n != current.number) {
            continue;
        }
        let (before, after) = (&answers[at], &answers[at + 1]);
        let mut keyed: Vec<(usize, usize, &Key)> = Vec::new();
        let position: HashMap<i64, usize> = Round::items(conn, current.id)?
            .into_iter()
            .enumerate()
            .map(|(n, ri)| (ri.item_id, n))
            .collect();
        for key in after.keys().filter(|k| before.contains_key(*k)) {
            let criterion = criteria.iter().position(|c| *c == key.1).unwrap_or(0);
            keyed.push((
                position.get(&key.0).copied().unwrap_or(usize::MAX),
                criterion,
                key,
            ));
        }
        keyed.sort();
        for (_, _, key) in keyed {
            let (then, now) = (&before[key], &after[key]);
            // On the criterion's own scale, when it has one.
            let mut counts = Counts::new(study.scale_of(&key.1));
            for answer in then.values() {
                match answer.score {
                    // A stored score is on the scale (the form and the import check it).
                    Some(score) => counts.record(score).map_err(|e| {
                        ServiceError::Conflict(format!(
                            "round {}: a stored score is off the scale: {e}",
                            previous.number
                        ))
                    })?,
                    None => counts.record_unable(),
                }
            }
            let mut experts: Vec<i64> = then.keys().chain(now.keys()).copied().collect();
            experts.sort_unstable();
            experts.dedup();
            let scores: Vec<ExpertScores> = experts
                .into_iter()
                .map(|expert| ExpertScores {
                    group: expert_group.get(&expert).cloned().unwrap_or_default(),
                    cohort: cohort(expert),
                    previous: then.get(&expert).and_then(|a| a.score),
                    pre_feedback: now.get(&expert).and_then(|a| a.pre_feedback),
                    current: now.get(&expert).and_then(|a| a.score),
                })
                .collect();
            let (code, text) = items.get(&key.0).cloned().unwrap_or_default();
            lines.push(DriftLine {
                previous_round: previous.number,
                round: current.number,
                item_code: code,
                item_text: text,
                criterion: (!criteria.is_empty()).then(|| key.1.clone()),
                drift: item_drift(&counts, &scores),
            });
        }
    }
    Ok(DriftTable {
        study: study.slug.clone(),
        groups: groups.into_iter().map(|g| g.key).collect(),
        after_rating: study.file.feedback.timing == FeedbackTiming::AfterRating,
        first_round,
        closed_rounds: rounds.len(),
        lines,
    })
}
