//! Measures between consecutive rounds of the same item: how the `in` shares and the median
//! moved, whether individual experts changed band (the Scheibe stability rule), and whether
//! the experts who dropped out had rated differently from those who stayed (attrition).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::rule::{Condition, Rule};
use super::scale::Scale;
use super::stats::{Counts, Ratio, Share};

/// Scheibe, Skutsch & Schofer (1975): responses are stable when fewer than 15% of the experts
/// who rated in both rounds changed band.
pub const SCHEIBE_THRESHOLD_PERCENT: u64 = 15;

/// Change of one `in` share range between two rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareChange {
    pub lo: i32,
    pub hi: i32,
    pub with_unable: bool,
    pub previous: Option<Share>,
    pub current: Option<Share>,
    /// Current minus previous, in percentage points; `None` if either share is undefined.
    pub delta: Option<f64>,
}

/// Round-to-round change of one item's distribution under one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundChange {
    /// One entry per distinct share range of the rule's `in` list, in list order.
    pub shares: Vec<ShareChange>,
    pub previous_median: Option<f64>,
    pub current_median: Option<f64>,
    /// Current minus previous median.
    pub delta_median: Option<f64>,
}

/// Compares an item's counts in two consecutive rounds under `rule` (its unable policy decides
/// the share denominators).
pub fn round_change(rule: &Rule, previous: &Counts, current: &Counts) -> RoundChange {
    let mut ranges: Vec<(i32, i32, bool)> = Vec::new();
    for condition in &rule.in_ {
        if let Condition::Share(share) = condition {
            let range = (share.lo, share.hi, share.with_unable);
            if !ranges.contains(&range) {
                ranges.push(range);
            }
        }
    }
    let shares = ranges
        .into_iter()
        .map(|(lo, hi, with_unable)| {
            let before = previous.share(lo, hi, with_unable, rule.unable);
            let after = current.share(lo, hi, with_unable, rule.unable);
            let delta = before.zip(after).and_then(|(b, a)| {
                a.percent_exact()
                    .checked_sub(b.percent_exact())
                    .map(Ratio::to_f64)
            });
            ShareChange {
                lo,
                hi,
                with_unable,
                previous: before,
                current: after,
                delta,
            }
        })
        .collect();
    let previous_median = previous.exact_median();
    let current_median = current.exact_median();
    RoundChange {
        shares,
        previous_median: previous_median.map(Ratio::to_f64),
        current_median: current_median.map(Ratio::to_f64),
        delta_median: previous_median
            .zip(current_median)
            .and_then(|(b, a)| a.checked_sub(b))
            .map(Ratio::to_f64),
    }
}

/// One expert's numeric scores for the same item in two consecutive rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorePair {
    pub previous: i32,
    pub current: i32,
}

/// Band changes among experts who gave a numeric score in both rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandMovement {
    /// Experts counted: both scores on the scale.
    pub paired: u64,
    /// Of those, experts whose score moved to another band.
    pub moved: u64,
    /// `moved / paired`; `None` with nobody paired or a scale without bands.
    pub moved_share: Option<Share>,
    /// Scheibe rule: `moved_share < 15%`, decided exactly.
    pub stable: Option<bool>,
}

/// Counts band changes between two rounds. Unbanded gaps count as bands of their own (see
/// [`Scale::zone_of`]); a pair with a score off the scale is not a pair of ratings and is
/// ignored. A scale without bands has nothing to move between, so the share is `None` rather
/// than a misleading 0%.
pub fn band_movement(scale: &Scale, pairs: &[ScorePair]) -> BandMovement {
    let mut paired: u64 = 0;
    let mut moved: u64 = 0;
    for pair in pairs {
        if let (Some(before), Some(after)) = (scale.zone_of(pair.previous), scale.zone_of(pair.current)) {
            paired += 1;
            if before != after {
                moved += 1;
            }
        }
    }
    let moved_share = if scale.bands().is_empty() {
        None
    } else {
        Share::new(moved, paired)
    };
    let threshold = Ratio::integer(i128::from(SCHEIBE_THRESHOLD_PERCENT));
    BandMovement {
        paired,
        moved,
        moved_share,
        stable: moved_share.map(|share| share.cmp_percent(threshold) == Ordering::Less),
    }
}

/// Attrition check for round r ≥ 2: round r−1 scores of the experts who responded in round r
/// against those of the experts invited to round r who did not respond.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attrition {
    pub responders: u64,
    pub non_responders: u64,
    pub responders_mean: Option<f64>,
    pub non_responders_mean: Option<f64>,
    /// Responders' mean minus non-responders' mean; `None` if either group is empty.
    pub difference: Option<f64>,
}

/// `responders` and `non_responders` hold the previous-round numeric scores of each group
/// (experts without a numeric score in round r−1 are left out by the caller).
pub fn attrition(responders: &[i32], non_responders: &[i32]) -> Attrition {
    let stayed = exact_mean(responders);
    let left = exact_mean(non_responders);
    Attrition {
        responders: responders.len() as u64,
        non_responders: non_responders.len() as u64,
        responders_mean: stayed.map(Ratio::to_f64),
        non_responders_mean: left.map(Ratio::to_f64),
        difference: stayed
            .zip(left)
            .and_then(|(s, l)| s.checked_sub(l))
            .map(Ratio::to_f64),
    }
}

fn exact_mean(scores: &[i32]) -> Option<Ratio> {
    let sum: i128 = scores.iter().map(|&s| i128::from(s)).sum();
    Ratio::new(sum, i128::try_from(scores.len()).ok()?)
}

#[cfg(test)]
mod tests {
    use super::super::rule::RuleSet;
    use super::super::scale::nine_points;
    use super::super::spec::ConsensusSpec;
    use super::*;

    fn comet() -> Rule {
        let spec = ConsensusSpec {
            preset: Some("comet".into()),
            ..ConsensusSpec::default()
        };
        RuleSet::compile(&spec, &nine_points(true)).unwrap().primary
    }

    fn pairs(list: &[(i32, i32)]) -> Vec<ScorePair> {
        list.iter()
            .map(|&(previous, current)| ScorePair { previous, current })
            .collect()
    }

    #[test]
    fn share_and_median_changes_follow_the_in_list() {
        let previous = Counts::from_slice(1, &[1, 0, 1, 1, 1, 0, 2, 2, 2], 0);
        let current = Counts::from_slice(1, &[0, 0, 1, 0, 1, 0, 2, 3, 3], 0);
        let change = round_change(&comet(), &previous, &current);
        // COMET's `in` list: share 7–9 (60% → 80%) and share 1–3 (20% → 10%).
        assert_eq!(change.shares.len(), 2);
        let top = &change.shares[0];
        assert_eq!((top.lo, top.hi, top.with_unable), (7, 9, false));
        assert_eq!(top.previous, Share::new(6, 10));
        assert_eq!(top.current, Share::new(8, 10));
        assert_eq!(top.delta, Some(20.0));
        assert_eq!(change.shares[1].delta, Some(-10.0));
        // Median 7 → 8.
        assert_eq!(change.previous_median, Some(7.0));
        assert_eq!(change.current_median, Some(8.0));
        assert_eq!(change.delta_median, Some(1.0));
    }

    #[test]
    fn share_change_is_exact_and_undefined_without_answers() {
        // 1 of 3 → 2 of 3 is 33.33… percentage points, computed as one division of 100/3.
        let previous = Counts::from_slice(1, &[2, 0, 0, 0, 0, 0, 1, 0, 0], 0);
        let current = Counts::from_slice(1, &[1, 0, 0, 0, 0, 0, 2, 0, 0], 0);
        let change = round_change(&comet(), &previous, &current);
        assert_eq!(change.shares[0].delta, Some(100.0 / 3.0));
        let empty = Counts::from_slice(1, &[0; 9], 0);
        let change = round_change(&comet(), &empty, &current);
        assert_eq!(change.shares[0].previous, None);
        assert_eq!(change.shares[0].delta, None);
        assert_eq!(change.delta_median, None);
    }

    #[test]
    fn rules_without_share_conditions_report_only_the_median() {
        let spec = ConsensusSpec {
            preset: Some("rand-ucla".into()),
            ..ConsensusSpec::default()
        };
        let rule = RuleSet::compile(&spec, &nine_points(true)).unwrap().primary;
        let counts = Counts::from_slice(1, &[0, 0, 0, 0, 1, 1, 0, 0, 0], 0);
        let change = round_change(&rule, &counts, &counts);
        assert!(change.shares.is_empty());
        assert_eq!(change.delta_median, Some(0.0));
    }

    #[test]
    fn scheibe_rule_is_strictly_below_fifteen_percent() {
        let scale = nine_points(true);
        // 3 of 20 moved band (15%): not stable.
        let mut list = vec![(8, 9); 17];
        list.extend([(3, 4), (6, 7), (9, 1)]);
        let movement = band_movement(&scale, &pairs(&list));
        assert_eq!((movement.paired, movement.moved), (20, 3));
        assert_eq!(movement.moved_share.map(Share::percent), Some(15.0));
        assert_eq!(movement.stable, Some(false));
        // 2 of 20 (10%): stable. Moving within a band does not count.
        let mut list = vec![(7, 9); 18];
        list.extend([(3, 4), (6, 7)]);
        let movement = band_movement(&scale, &pairs(&list));
        assert_eq!(movement.moved, 2);
        assert_eq!(movement.stable, Some(true));
    }

    #[test]
    fn band_movement_edge_cases() {
        // Nobody rated twice: undefined.
        let none = band_movement(&nine_points(true), &[]);
        assert_eq!((none.paired, none.moved_share, none.stable), (0, None, None));
        // Scores off the scale are not pairs of ratings.
        let off = band_movement(&nine_points(true), &pairs(&[(0, 5), (5, 10), (5, 5)]));
        assert_eq!((off.paired, off.moved), (1, 0));
        // A scale without bands gives no share rather than a misleading 0%.
        let unbanded = band_movement(&nine_points(false), &pairs(&[(1, 9)]));
        assert_eq!(
            (unbanded.paired, unbanded.moved_share, unbanded.stable),
            (1, None, None)
        );
    }

    #[test]
    fn attrition_compares_previous_round_means() {
        let a = attrition(&[7, 8, 9], &[5, 6]);
        assert_eq!((a.responders, a.non_responders), (3, 2));
        assert_eq!(a.responders_mean, Some(8.0));
        assert_eq!(a.non_responders_mean, Some(5.5));
        assert_eq!(a.difference, Some(2.5));
        // One division: 7/3 − 1 = 4/3, not 2.3333333333333335 − 1.
        let a = attrition(&[1, 2, 4], &[1]);
        assert_eq!(a.difference, Some(4.0 / 3.0));
        let nobody_left = attrition(&[7, 8], &[]);
        assert_eq!(nobody_left.non_responders_mean, None);
        assert_eq!(nobody_left.difference, None);
        assert_eq!(nobody_left.responders_mean, Some(7.5));
    }
}
