//! Scores and ranks of a ranking round, exactly as the contract defines them:
//!
//! - position `p` earns `choose − p + 1` points, an item not chosen 0;
//! - `T(i,g)`: the points group `g`'s experts gave item `i`; `P(g) = Σ_j T(j,g)`;
//! - `pooled`: `score(i) = Σ_g T(i,g)`; `equal_groups`: `score(i) = Σ_{g: P(g) > 0} T(i,g)/P(g)`;
//! - `rank`: by score descending, equal scores share the smallest rank (1, 2, 2, 4), ties listed
//!   by item code; `rank_<g>` the same over `T(·,g)` (none when `P(g) = 0`: nobody of the group
//!   ranked anything, so an order would be invented).
//!
//! Every score is an exact rational; nothing is rounded before it is written out.

use std::cmp::Ordering;

use super::settings::{Combine, RankingSettings};
use crate::domain::stats::Ratio;

/// One expert's ordered list: `group` indexes the study's groups, `items` the round's items,
/// first choice first. Lists are checked before they get here (`check_list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub group: usize,
    pub items: Vec<usize>,
}

/// One group's figures for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupScore {
    /// `T(i,g)`.
    pub points: u64,
    /// `T(i,g)/P(g)`; None when `P(g) = 0`.
    pub share: Option<Ratio>,
    /// Rank over `T(·,g)`; None when `P(g) = 0`.
    pub rank: Option<u32>,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemScore {
    /// Index of the item in the round's items.
    pub item: usize,
    /// Experts who chose it.
    pub chosen: u64,
    /// Experts who put it first.
    pub first: u64,
    /// `Σ_g T(i,g)`.
    pub points: u64,
    /// In the study's group order.
    pub groups: Vec<GroupScore>,
    pub score: Ratio,
    pub rank: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RankingError {
    #[error("the ranking scores are too large to compute exactly")]
    Overflow,
    #[error("a ranking names item {0} or group {1}, which the round does not have")]
    Unknown(usize, usize),
}

/// Scores the `codes.len()` items of a round from the experts' lists; `groups` is the number of
/// stakeholder groups. The result is in listing order: by rank, ties by item code.
pub fn score(
    settings: &RankingSettings,
    codes: &[String],
    groups: usize,
    ballots: &[Ballot],
) -> Result<Vec<ItemScore>, RankingError> {
    let n = codes.len();
    // totals[g][i] = T(i,g)
    let mut totals = vec![vec![0u64; n]; groups];
    let mut chosen = vec![0u64; n];
    let mut first = vec![0u64; n];
    for ballot in ballots {
        for (index, &item) in ballot.items.iter().enumerate() {
            let row = totals
                .get_mut(ballot.group)
                .ok_or(RankingError::Unknown(item, ballot.group))?;
            let cell = row
                .get_mut(item)
                .ok_or(RankingError::Unknown(item, ballot.group))?;
            let position = u32::try_from(index + 1).map_err(|_| RankingError::Overflow)?;
            *cell += u64::from(settings.points(position));
            chosen[item] += 1;
            if index == 0 {
                first[item] += 1;
            }
        }
    }
    let group_totals: Vec<u64> = totals.iter().map(|row| row.iter().sum()).collect();
    let group_ranks: Vec<Option<Vec<u32>>> = totals
        .iter()
        .zip(&group_totals)
        .map(|(row, &total)| (total > 0).then(|| ranks(row)))
        .collect();
    let mut scores = Vec::with_capacity(n);
    for item in 0..n {
        let score = match settings.combine {
            Combine::Pooled => {
                let sum: u64 = totals.iter().map(|row| row[item]).sum();
                Ratio::integer(i128::from(sum))
            }
            Combine::EqualGroups => {
                let mut sum = Ratio::integer(0);
                for (row, &total) in totals.iter().zip(&group_totals) {
                    if total > 0 {
                        let share = Ratio::new(i128::from(row[item]), i128::from(total))
                            .ok_or(RankingError::Overflow)?;
                        sum = reduce(sum.checked_add(share).ok_or(RankingError::Overflow)?);
                    }
                }
                sum
            }
        };
        scores.push(score);
    }
    let overall = ranks(&scores);
    let mut result: Vec<ItemScore> = (0..n)
        .map(|item| ItemScore {
            item,
            chosen: chosen[item],
            first: first[item],
            points: totals.iter().map(|row| row[item]).sum(),
            groups: (0..groups)
                .map(|g| GroupScore {
                    points: totals[g][item],
                    share: (group_totals[g] > 0)
                        .then(|| Ratio::new(i128::from(totals[g][item]), i128::from(group_totals[g])))
                        .flatten()
                        .map(reduce),
                    rank: group_ranks[g].as_ref().map(|r| r[item]),
                })
                .collect(),
            score: scores[item],
            rank: overall[item],
        })
        .collect();
    result.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then_with(|| codes[a.item].cmp(&codes[b.item]))
    });
    Ok(result)
}

/// Competition ranks ("1224") of `values`, largest first: one more than the number of values
/// strictly larger.
fn ranks<T: Ord>(values: &[T]) -> Vec<u32> {
    values
        .iter()
        .map(|v| {
            let larger = values.iter().filter(|w| w.cmp(&v) == Ordering::Greater).count();
            u32::try_from(larger + 1).unwrap_or(u32::MAX)
        })
        .collect()
}

/// `r` in lowest terms, so that sums over many groups keep small denominators.
fn reduce(r: Ratio) -> Ratio {
    let (mut a, mut b) = (r.numer().unsigned_abs(), r.denom().unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    match i128::try_from(a) {
        Ok(g) if g > 1 => Ratio::new(r.numer() / g, r.denom() / g).unwrap_or(r),
        _ => r,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn settings(choose: u32, combine: Combine) -> RankingSettings {
        RankingSettings {
            choose,
            combine,
            sections: Vec::new(),
        }
    }

    fn codes(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("I{i:02}")).collect()
    }

    fn ballot(group: usize, items: &[usize]) -> Ballot {
        Ballot {
            group,
            items: items.to_vec(),
        }
    }

    /// The worked example of docs/statistics.md, "Ranking": choose = 2, items A B C, group r
    /// with three experts (A,B), (A,C), (B,A) and group p with one expert (C,B).
    #[test]
    fn the_hand_worked_example() {
        let codes: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
        let ballots = [
            ballot(0, &[0, 1]),
            ballot(0, &[0, 2]),
            ballot(0, &[1, 0]),
            ballot(1, &[2, 1]),
        ];
        // T(·,r) = A 5, B 3, C 1 (P = 9); T(·,p) = A 0, B 1, C 2 (P = 3).
        let pooled = score(&settings(2, Combine::Pooled), &codes, 2, &ballots).unwrap();
        let order: Vec<(usize, i128, u32)> =
            pooled.iter().map(|s| (s.item, s.score.numer(), s.rank)).collect();
        assert_eq!(order, [(0, 5, 1), (1, 4, 2), (2, 3, 3)]);
        let equal = score(&settings(2, Combine::EqualGroups), &codes, 2, &ballots).unwrap();
        // A: 5/9 + 0 = 5/9; B: 3/9 + 1/3 = 2/3; C: 1/9 + 2/3 = 7/9.
        let by_item = |i: usize| equal.iter().find(|s| s.item == i).unwrap().clone();
        assert_eq!(by_item(0).score, Ratio::new(5, 9).unwrap());
        assert_eq!(by_item(1).score, Ratio::new(2, 3).unwrap());
        assert_eq!(by_item(2).score, Ratio::new(7, 9).unwrap());
        assert_eq!(equal.iter().map(|s| s.item).collect::<Vec<_>>(), [2, 1, 0]);
        assert_eq!(by_item(0).chosen, 3);
        assert_eq!(by_item(0).first, 2);
        assert_eq!(by_item(0).points, 5);
        assert_eq!(by_item(0).groups[0].rank, Some(1));
        assert_eq!(by_item(0).groups[1].rank, Some(3));
        assert_eq!(by_item(2).groups[1].share, Ratio::new(2, 3));
    }

    #[test]
    fn ties_share_the_smallest_rank_and_are_listed_by_code() {
        let codes: Vec<String> = ["Z", "B", "A", "C"].iter().map(|s| s.to_string()).collect();
        // Z 4 points, B 1, A 1, C 0: ranks 1, 2, 2, 4.
        let ballots = [ballot(0, &[0, 1]), ballot(0, &[0, 2])];
        let result = score(&settings(2, Combine::Pooled), &codes, 1, &ballots).unwrap();
        let listed: Vec<(&str, u32)> = result.iter().map(|s| (codes[s.item].as_str(), s.rank)).collect();
        assert_eq!(listed, [("Z", 1), ("A", 2), ("B", 2), ("C", 4)]);
    }

    #[test]
    fn a_group_without_answers_has_no_share_and_no_rank() {
        let result = score(
            &settings(1, Combine::EqualGroups),
            &codes(2),
            2,
            &[ballot(0, &[1])],
        )
        .unwrap();
        assert!(result
            .iter()
            .all(|s| s.groups[1].share.is_none() && s.groups[1].rank.is_none()));
        assert_eq!(result[0].item, 1);
        assert_eq!(result[0].score, Ratio::integer(1));
    }

    #[test]
    fn an_unknown_item_is_an_error_not_a_panic() {
        let result = score(&settings(1, Combine::Pooled), &codes(1), 1, &[ballot(0, &[3])]);
        assert!(result.is_err());
    }

    fn ballots_strategy() -> impl Strategy<Value = (usize, Vec<Ballot>)> {
        (1usize..6).prop_flat_map(|n| {
            let ballot = (
                0usize..3,
                proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 0..=n.min(3)).prop_shuffle(),
            )
                .prop_map(|(group, items)| Ballot { group, items });
            (Just(n), proptest::collection::vec(ballot, 0..12))
        })
    }

    proptest! {
        /// Every group weighs the same under equal_groups, so doubling a group's experts (each
        /// list given twice) changes no score.
        #[test]
        fn equal_groups_ignores_a_groups_size((n, ballots) in ballots_strategy(), group in 0usize..3) {
            let s = settings(3, Combine::EqualGroups);
            let before = score(&s, &codes(n), 3, &ballots).unwrap();
            let mut doubled = ballots.clone();
            doubled.extend(ballots.iter().filter(|b| b.group == group).cloned());
            let after = score(&s, &codes(n), 3, &doubled).unwrap();
            let scores = |r: &[ItemScore]| r.iter().map(|s| (s.item, s.score, s.rank)).collect::<Vec<_>>();
            prop_assert_eq!(scores(&before), scores(&after));
        }

        /// Pooled scores are the points; equal_groups scores sum to the number of groups that
        /// answered; ranks are 1 + the number of strictly better items.
        #[test]
        fn totals_and_ranks_hold((n, ballots) in ballots_strategy()) {
            let pooled = score(&settings(3, Combine::Pooled), &codes(n), 3, &ballots).unwrap();
            for s in &pooled {
                prop_assert_eq!(s.score, Ratio::integer(i128::from(s.points)));
                let better = pooled.iter().filter(|o| o.score > s.score).count() as u32;
                prop_assert_eq!(s.rank, better + 1);
            }
            let equal = score(&settings(3, Combine::EqualGroups), &codes(n), 3, &ballots).unwrap();
            let answered = (0..3).filter(|g| ballots.iter().any(|b| b.group == *g && !b.items.is_empty())).count();
            let mut sum = Ratio::integer(0);
            for s in &equal {
                sum = reduce(sum.checked_add(s.score).unwrap());
            }
            prop_assert_eq!(sum, Ratio::integer(answered as i128));
            let names = codes(n);
            let listed: Vec<(u32, &str)> = equal.iter().map(|s| (s.rank, names[s.item].as_str())).collect();
            prop_assert!(listed.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
