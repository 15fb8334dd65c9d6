//! Drift: how far an item's scores moved toward the previous round's median between two
//! consecutive rounds, and — when experts rated before seeing the feedback — how far seeing
//! it moved them. Per item, for the panel, each stakeholder group and the experts who joined
//! in the first round or later; exact (docs/statistics.md, "Drift").

use std::collections::BTreeMap;

use crate::domain::named::named;
use crate::domain::stats::{Counts, Ratio};

named! {
    /// Whether an expert first responded in the study's first rating round (`early`) or in a
    /// later one (`later`).
    pub enum Cohort {
        Early = "early",
        Later = "later",
    }
}

impl Cohort {
    /// The cohort of an expert whose first response was in round `first_responded`, in a
    /// study whose first rating round is `first_round`.
    pub fn of(first_responded: u32, first_round: u32) -> Cohort {
        if first_responded <= first_round {
            Cohort::Early
        } else {
            Cohort::Later
        }
    }
}

/// One expert's numeric scores of one item: in round `r − 1`, and in round `r` before seeing
/// the feedback and as left (final). "Unable to score" and blanks are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertScores {
    pub group: String,
    pub cohort: Cohort,
    pub previous: Option<i32>,
    pub pre_feedback: Option<i32>,
    pub current: Option<i32>,
}

/// How many experts' distance from the median shrank, grew, or stayed the same.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Movement {
    pub toward: u64,
    pub away: u64,
    pub stayed: u64,
}

/// Distances from the median before and after one step (round to round, or pre-feedback to
/// final), over the experts with a numeric score on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    pub experts: u64,
    /// Mean `|before − median|`; `None` with no experts.
    pub distance_before: Option<Ratio>,
    /// Mean `|after − median|`; `None` with no experts.
    pub distance_after: Option<Ratio>,
    /// `distance_before − distance_after`: positive when the scores drew toward the median.
    pub toward_median: Option<Ratio>,
    pub movement: Movement,
}

/// The drift figures of one set of experts (the panel, a group, a cohort).
#[derive(Debug, Clone, PartialEq)]
pub struct DriftFigures {
    /// Round `r − 1` score to round `r` final score.
    pub between_rounds: Shift,
    /// Pre-feedback to final score in round `r`, over the experts of `between_rounds` who also
    /// gave a numeric pre-feedback score; `None` when none did.
    pub after_feedback: Option<Shift>,
}

/// One item's drift from round `r − 1` to round `r`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDrift {
    /// The item's round `r − 1` median, over every numeric score of that round: the reference.
    pub median: Option<Ratio>,
    pub pooled: DriftFigures,
    /// By group key, every group of the experts given.
    pub groups: BTreeMap<String, DriftFigures>,
    pub early: DriftFigures,
    pub later: DriftFigures,
    /// Later joiners' `toward_median` between rounds minus the early experts'; `None` when
    /// either cohort has nobody.
    pub later_minus_early: Option<Ratio>,
}

/// The drift of one item. `previous_round` holds every answer of round `r − 1` (its median is
/// the reference); `experts` every expert with an answer in either round.
pub fn item_drift(previous_round: &Counts, experts: &[ExpertScores]) -> ItemDrift {
    let median = previous_round.exact_median();
    let figures = |keep: &dyn Fn(&ExpertScores) -> bool| {
        let chosen: Vec<&ExpertScores> = experts.iter().filter(|e| keep(e)).collect();
        drift_figures(median, &chosen)
    };
    let mut groups = BTreeMap::new();
    for expert in experts {
        if !groups.contains_key(&expert.group) {
            groups.insert(expert.group.clone(), figures(&|e| e.group == expert.group));
        }
    }
    let early = figures(&|e| e.cohort == Cohort::Early);
    let later = figures(&|e| e.cohort == Cohort::Later);
    let later_minus_early = later
        .between_rounds
        .toward_median
        .zip(early.between_rounds.toward_median)
        .and_then(|(l, e)| l.checked_sub(e));
    ItemDrift {
        median,
        pooled: figures(&|_| true),
        groups,
        early,
        later,
        later_minus_early,
    }
}

fn drift_figures(median: Option<Ratio>, experts: &[&ExpertScores]) -> DriftFigures {
    let Some(median) = median else {
        return DriftFigures {
            between_rounds: shift(Ratio::integer(0), &[]),
            after_feedback: None,
        };
    };
    let paired: Vec<&ExpertScores> = experts
        .iter()
        .copied()
        .filter(|e| e.previous.is_some() && e.current.is_some())
        .collect();
    let rounds: Vec<(i32, i32)> = paired.iter().filter_map(|e| e.previous.zip(e.current)).collect();
    let feedback: Vec<(i32, i32)> = paired
        .iter()
        .filter_map(|e| e.pre_feedback.zip(e.current))
        .collect();
    DriftFigures {
        between_rounds: shift(median, &rounds),
        after_feedback: (!feedback.is_empty()).then(|| shift(median, &feedback)),
    }
}

fn shift(median: Ratio, pairs: &[(i32, i32)]) -> Shift {
    let distance = |score: i32| {
        Ratio::integer(i128::from(score))
            .checked_sub(median)
            .map(Ratio::abs)
    };
    let mut movement = Movement::default();
    let mut before = Some(Ratio::integer(0));
    let mut after = Some(Ratio::integer(0));
    for &(from, to) in pairs {
        let (Some(d_from), Some(d_to)) = (distance(from), distance(to)) else {
            continue;
        };
        match d_to.cmp(&d_from) {
            std::cmp::Ordering::Less => movement.toward += 1,
            std::cmp::Ordering::Greater => movement.away += 1,
            std::cmp::Ordering::Equal => movement.stayed += 1,
        }
        before = before.and_then(|sum| sum.checked_add(d_from));
        after = after.and_then(|sum| sum.checked_add(d_to));
    }
    let experts = pairs.len() as u64;
    let mean = |sum: Option<Ratio>| {
        sum.filter(|_| experts > 0)
            .and_then(|s| s.checked_div(Ratio::integer(i128::from(experts))))
    };
    let distance_before = mean(before);
    let distance_after = mean(after);
    Shift {
        experts,
        distance_before,
        distance_after,
        toward_median: distance_before
            .zip(distance_after)
            .and_then(|(b, a)| b.checked_sub(a)),
        movement,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Round `r − 1`'s answers on a 1–9 scale.
    fn counts(scores: &[i32], unable: u64) -> Counts {
        let mut counts = Counts::from_slice(1, &[0; 9], unable);
        for &score in scores {
            counts.record(score).unwrap();
        }
        counts
    }

    fn expert(
        group: &str,
        cohort: Cohort,
        previous: Option<i32>,
        pre: Option<i32>,
        current: Option<i32>,
    ) -> ExpertScores {
        ExpertScores {
            group: group.to_owned(),
            cohort,
            previous,
            pre_feedback: pre,
            current,
        }
    }

    fn r(num: i128, den: i128) -> Option<Ratio> {
        Ratio::new(num, den)
    }

    fn movement(toward: u64, away: u64, stayed: u64) -> Movement {
        Movement { toward, away, stayed }
    }

    /// docs/statistics.md, "Drift", the worked example: item M01's round 2 answers and its
    /// experts' scores (docs/exports.md prints its drift.csv rows from the same).
    pub(crate) fn worked_example() -> (Counts, Vec<ExpertScores>) {
        use Cohort::{Early, Later};
        let experts = vec![
            expert("clinician", Early, Some(9), Some(9), Some(8)),
            expert("clinician", Early, Some(8), Some(8), Some(8)),
            expert("patient", Early, Some(7), Some(6), Some(7)),
            expert("patient", Early, Some(4), Some(4), Some(6)),
            expert("clinician", Later, Some(3), Some(3), Some(2)),
            expert("patient", Early, None, None, Some(7)),
            expert("patient", Later, Some(6), None, None),
        ];
        (counts(&[9, 8, 7, 4, 3, 6], 1), experts)
    }

    /// docs/statistics.md, "Drift", the worked example: item M01, rounds 2 and 3.
    #[test]
    fn the_worked_example_of_the_documentation() {
        let (round2, experts) = worked_example();
        let drift = item_drift(&round2, &experts);
        assert_eq!(drift.median, r(13, 2));
        let rounds = &drift.pooled.between_rounds;
        assert_eq!(rounds.experts, 5);
        assert_eq!(
            (rounds.distance_before, rounds.distance_after),
            (r(21, 10), r(17, 10))
        );
        assert_eq!(rounds.toward_median, r(2, 5));
        assert_eq!(rounds.movement, movement(2, 1, 2));
        let feedback = drift.pooled.after_feedback.as_ref().unwrap();
        assert_eq!(feedback.experts, 5);
        assert_eq!(
            (feedback.distance_before, feedback.distance_after),
            (r(21, 10), r(17, 10))
        );
        assert_eq!(feedback.movement, movement(2, 1, 2));

        let clinician = &drift.groups["clinician"].between_rounds;
        assert_eq!((clinician.experts, clinician.toward_median), (3, r(0, 1)));
        assert_eq!(clinician.movement, movement(1, 1, 1));
        let patient = &drift.groups["patient"].between_rounds;
        assert_eq!(
            (patient.distance_before, patient.distance_after),
            (r(3, 2), r(1, 2))
        );
        assert_eq!(patient.movement, movement(1, 0, 1));

        assert_eq!(drift.early.between_rounds.toward_median, r(3, 4));
        assert_eq!(drift.later.between_rounds.toward_median, r(-1, 1));
        assert_eq!(drift.later_minus_early, r(-7, 4));
    }

    #[test]
    fn without_pre_feedback_scores_there_is_no_feedback_shift() {
        let drift = item_drift(
            &counts(&[5, 7], 0),
            &[expert("g", Cohort::Early, Some(5), None, Some(6))],
        );
        assert_eq!(drift.pooled.after_feedback, None);
        assert_eq!(drift.later.between_rounds.experts, 0);
        assert_eq!(drift.later.between_rounds.distance_before, None);
        assert_eq!(drift.later_minus_early, None);
    }

    #[test]
    fn a_previous_round_without_scores_has_no_reference() {
        let drift = item_drift(
            &counts(&[], 3),
            &[expert("g", Cohort::Early, None, None, Some(6))],
        );
        assert_eq!(drift.median, None);
        assert_eq!(drift.pooled.between_rounds.experts, 0);
    }

    #[test]
    fn cohorts_by_first_response() {
        assert_eq!(Cohort::of(1, 1), Cohort::Early);
        assert_eq!(Cohort::of(2, 1), Cohort::Later);
    }

    fn score() -> impl Strategy<Value = Option<i32>> {
        prop_oneof![Just(None), (1i32..=9).prop_map(Some)]
    }

    proptest! {
        /// The figures recomputed in floating point from their definitions, and the groups and
        /// cohorts adding up to the panel.
        #[test]
        fn the_figures_follow_their_definitions(
            rows in prop::collection::vec((0usize..3, any::<bool>(), score(), score(), score()), 0..20),
        ) {
            let experts: Vec<ExpertScores> = rows
                .iter()
                .map(|&(g, later, previous, pre, current)| {
                    let cohort = if later { Cohort::Later } else { Cohort::Early };
                    expert(&format!("g{g}"), cohort, previous, pre, current)
                })
                .collect();
            let previous: Vec<i32> = experts.iter().filter_map(|e| e.previous).collect();
            let drift = item_drift(&counts(&previous, 0), &experts);
            let mut sorted = previous.clone();
            sorted.sort_unstable();
            let median = match sorted.len() {
                0 => None,
                m if m % 2 == 1 => Some(f64::from(sorted[m / 2])),
                m => Some(f64::from(sorted[m / 2 - 1] + sorted[m / 2]) / 2.0),
            };
            prop_assert_eq!(drift.median.map(Ratio::to_f64), median);
            let paired: Vec<(i32, i32)> = experts.iter().filter_map(|e| e.previous.zip(e.current)).collect();
            let rounds = &drift.pooled.between_rounds;
            prop_assert_eq!(rounds.experts, paired.len() as u64);
            if let (Some(m), false) = (median, paired.is_empty()) {
                let n = paired.len() as f64;
                let before = paired.iter().map(|(b, _)| (f64::from(*b) - m).abs()).sum::<f64>() / n;
                let after = paired.iter().map(|(_, a)| (f64::from(*a) - m).abs()).sum::<f64>() / n;
                prop_assert!((rounds.distance_before.map_or(f64::NAN, Ratio::to_f64) - before).abs() < 1e-9);
                prop_assert!((rounds.distance_after.map_or(f64::NAN, Ratio::to_f64) - after).abs() < 1e-9);
            }
            let moved = rounds.movement;
            prop_assert_eq!(moved.toward + moved.away + moved.stayed, rounds.experts);
            let group_total: u64 = drift.groups.values().map(|g| g.between_rounds.experts).sum();
            prop_assert_eq!(group_total, rounds.experts);
            prop_assert_eq!(
                drift.early.between_rounds.experts + drift.later.between_rounds.experts,
                rounds.experts
            );
            let with_pre = experts
                .iter()
                .filter(|e| e.previous.is_some() && e.current.is_some() && e.pre_feedback.is_some())
                .count() as u64;
            prop_assert_eq!(drift.pooled.after_feedback.map_or(0, |f| f.experts), with_pre);
        }
    }
}
