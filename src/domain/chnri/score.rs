//! CHNRI scores of one item, as exact rationals (docs/statistics.md, "CHNRI"): criterion scores
//! CS, RPS, wRPS, AEA and threshold flags; and the rank of items by wRPS.
//!
//! The same functions serve the pooled panel and one stakeholder group: the caller chooses whose
//! answers it counts.

use std::cmp::Ordering;

use super::answer::ChnriAnswer;
use super::criteria::Criterion;
use crate::domain::stats::exact::Ratio;

/// Yes, undecided and no answers to one question of one item; don't know and blank count nowhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerCount {
    pub yes: u64,
    pub undecided: u64,
    pub no: u64,
}

impl AnswerCount {
    pub fn add(&mut self, answer: ChnriAnswer) {
        match answer {
            ChnriAnswer::Yes => self.yes += 1,
            ChnriAnswer::Undecided => self.undecided += 1,
            ChnriAnswer::No => self.no += 1,
            ChnriAnswer::DontKnow => {}
        }
    }

    pub fn n(self) -> u64 {
        self.yes + self.undecided + self.no
    }

    fn merge(self, other: AnswerCount) -> AnswerCount {
        AnswerCount {
            yes: self.yes + other.yes,
            undecided: self.undecided + other.undecided,
            no: self.no + other.no,
        }
    }
}

/// The scores of one item. `None` is "undefined" (an empty cell in the exports).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemScores {
    /// `CS(i,c)` in percent, one per criterion in the study's order.
    pub cs: Vec<Option<Ratio>>,
    pub rps: Option<Ratio>,
    pub wrps: Option<Ratio>,
    /// Average expert agreement, a fraction between 1/3 and 1.
    pub aea: Option<Ratio>,
    /// Keys of the criteria whose CS is below their threshold, in the study's order.
    pub below: Vec<String>,
}

/// Scores of one item from `counts[c][q]`, the answers to question `q` of criterion `c` (both in
/// the study's order; a criterion may have fewer count rows than questions, the rest unanswered).
pub fn score_item(criteria: &[Criterion], counts: &[Vec<AnswerCount>]) -> ItemScores {
    let empty: Vec<AnswerCount> = Vec::new();
    let per_criterion = |c: usize| counts.get(c).unwrap_or(&empty);
    let cs: Vec<Option<Ratio>> = (0..criteria.len())
        .map(|c| {
            let total = per_criterion(c)
                .iter()
                .fold(AnswerCount::default(), |sum, q| sum.merge(*q));
            criterion_score(total)
        })
        .collect();
    let all: Option<Vec<Ratio>> = cs.iter().copied().collect();
    let (rps, wrps) = match all {
        Some(values) if !values.is_empty() => {
            let count = Ratio::integer(values.len() as i128);
            let rps = sum(values.iter().copied())
                .and_then(|s| s.checked_div(count))
                .map(reduced);
            let weights: Vec<Ratio> = criteria.iter().map(Criterion::weight_exact).collect();
            let weighted = sum(values
                .iter()
                .zip(&weights)
                .filter_map(|(v, w)| v.checked_mul(*w).map(reduced)));
            let wrps = weighted
                .zip(sum(weights.iter().copied()))
                .and_then(|(top, bottom)| top.checked_div(bottom))
                .map(reduced);
            (rps, wrps)
        }
        _ => (None, None),
    };
    let agreements: Vec<Ratio> = counts
        .iter()
        .take(criteria.len())
        .flatten()
        .filter(|q| q.n() > 0)
        .filter_map(|q| {
            let most = q.yes.max(q.undecided).max(q.no);
            Ratio::new(i128::from(most), i128::from(q.n()))
        })
        .collect();
    let aea = if agreements.is_empty() {
        None
    } else {
        let questions = Ratio::integer(agreements.len() as i128);
        sum(agreements.into_iter())
            .and_then(|s| s.checked_div(questions))
            .map(reduced)
    };
    let below = criteria
        .iter()
        .zip(&cs)
        .filter_map(|(criterion, score)| {
            let threshold = criterion.threshold_exact()?;
            (score.as_ref()? < &threshold).then(|| criterion.key.clone())
        })
        .collect();
    ItemScores {
        cs,
        rps,
        wrps,
        aea,
        below,
    }
}

/// `100 · (Y + U/2) / n`, undefined when nobody answered yes, undecided or no.
fn criterion_score(total: AnswerCount) -> Option<Ratio> {
    let n = i128::from(total.n());
    if n == 0 {
        return None;
    }
    // 100 · (2Y + U) / 2n keeps the numerator an integer.
    let points = 2 * i128::from(total.yes) + i128::from(total.undecided);
    Ratio::new(100 * points, 2 * n).map(reduced)
}

fn sum(mut values: impl Iterator<Item = Ratio>) -> Option<Ratio> {
    values.try_fold(Ratio::integer(0), |acc, v| acc.checked_add(v).map(reduced))
}

/// Lowest terms, so that sums over many criteria and questions do not grow their denominators.
fn reduced(value: Ratio) -> Ratio {
    let (mut a, mut b) = (value.numer().unsigned_abs(), value.denom().unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    match i128::try_from(a) {
        Ok(divisor) if divisor > 1 => {
            Ratio::new(value.numer() / divisor, value.denom() / divisor).unwrap_or(value)
        }
        _ => value,
    }
}

/// Orders items for the results: by wRPS descending, equal values sharing the smallest rank (1,
/// 2, 2, 4), ties by code; items without a wRPS last, unranked, by code. Takes `(code, wRPS)`
/// and gives back `(index into the input, rank)` in that order.
pub fn rank(items: &[(&str, Option<Ratio>)]) -> Vec<(usize, Option<u32>)> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        let (code_a, score_a) = items[a];
        let (code_b, score_b) = items[b];
        match (score_a, score_b) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| code_a.cmp(code_b))
    });
    let mut ranked = Vec::with_capacity(order.len());
    let mut previous: Option<(Ratio, u32)> = None;
    for (position, &index) in order.iter().enumerate() {
        let rank = items[index].1.map(|score| match previous {
            Some((last, rank)) if last == score => rank,
            _ => {
                let rank = position as u32 + 1;
                previous = Some((score, rank));
                rank
            }
        });
        ranked.push((index, rank));
    }
    ranked
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn criterion(key: &str, weight: f64, threshold: Option<f64>, questions: usize) -> Criterion {
        Criterion {
            key: key.to_owned(),
            label: key.to_owned(),
            weight,
            threshold,
            questions: (1..=questions).map(|q| format!("Q{q}")).collect(),
            translations: BTreeMap::new(),
        }
    }

    fn count(yes: u64, undecided: u64, no: u64) -> AnswerCount {
        AnswerCount { yes, undecided, no }
    }

    fn r(num: i128, den: i128) -> Ratio {
        Ratio::new(num, den).unwrap()
    }

    /// The worked example of docs/statistics.md, "CHNRI": four experts, two criteria.
    #[test]
    fn the_worked_example() {
        let criteria = [
            criterion("answerability", 1.0, Some(60.0), 2),
            criterion("equity", 2.0, Some(50.0), 1),
        ];
        // answerability Q1: yes, yes, undecided, no; Q2: yes, no, no, don't know.
        // equity Q1: yes, undecided, undecided, don't know.
        let counts = vec![vec![count(2, 1, 1), count(1, 0, 2)], vec![count(1, 2, 0)]];
        let scores = score_item(&criteria, &counts);
        // CS(answerability) = 100 · (3 + 1/2) / 7 = 50; CS(equity) = 100 · (1 + 2/2) / 3 = 200/3.
        assert_eq!(scores.cs, vec![Some(r(50, 1)), Some(r(200, 3))]);
        // RPS = (50 + 200/3) / 2 = 175/3; wRPS = (50 + 2 · 200/3) / 3 = 550/9.
        assert_eq!(scores.rps, Some(r(175, 3)));
        assert_eq!(scores.wrps, Some(r(550, 9)));
        // AEA = (2/4 + 2/3 + 2/3) / 3 = 11/18.
        assert_eq!(scores.aea, Some(r(11, 18)));
        assert_eq!(scores.below, vec!["answerability".to_owned()]);
    }

    #[test]
    fn nobody_answering_a_criterion_leaves_the_totals_undefined() {
        let criteria = [criterion("a", 1.0, Some(50.0), 1), criterion("b", 1.0, None, 1)];
        let scores = score_item(&criteria, &[vec![count(0, 0, 1)], vec![count(0, 0, 0)]]);
        assert_eq!(scores.cs, vec![Some(r(0, 1)), None]);
        assert_eq!((scores.rps, scores.wrps), (None, None));
        assert_eq!(scores.aea, Some(r(1, 1)));
        assert_eq!(scores.below, vec!["a".to_owned()]);
        let none = score_item(&criteria, &[]);
        assert_eq!((none.cs, none.aea), (vec![None, None], None));
    }

    #[test]
    fn ranks_share_the_smallest_and_undefined_come_last() {
        let items = [
            ("C", Some(r(50, 1))),
            ("A", None),
            ("B", Some(r(70, 1))),
            ("D", Some(r(50, 1))),
            ("E", Some(r(10, 1))),
        ];
        let ranked = rank(&items);
        let codes: Vec<(&str, Option<u32>)> = ranked.iter().map(|&(i, rk)| (items[i].0, rk)).collect();
        assert_eq!(
            codes,
            [
                ("B", Some(1)),
                ("C", Some(2)),
                ("D", Some(2)),
                ("E", Some(4)),
                ("A", None)
            ]
        );
    }

    /// Naive recomputation in floating point, a different route to the same numbers.
    fn naive(criteria: &[Criterion], counts: &[Vec<AnswerCount>]) -> (Vec<Option<f64>>, Option<f64>) {
        let cs: Vec<Option<f64>> = counts
            .iter()
            .map(|qs| {
                let (mut points, mut n) = (0.0, 0.0);
                for q in qs {
                    points += q.yes as f64 + q.undecided as f64 / 2.0;
                    n += q.n() as f64;
                }
                (n > 0.0).then(|| 100.0 * points / n)
            })
            .collect();
        let wrps = cs.iter().copied().collect::<Option<Vec<f64>>>().map(|v| {
            let top: f64 = v.iter().zip(criteria).map(|(s, c)| s * c.weight).sum();
            top / criteria.iter().map(|c| c.weight).sum::<f64>()
        });
        (cs, wrps)
    }

    proptest! {
        #[test]
        fn scores_agree_with_a_naive_recomputation_and_stay_in_range(
            weights in prop::collection::vec(1u32..20, 1..5),
            answers in prop::collection::vec((0u64..6, 0u64..6, 0u64..6), 1..30),
        ) {
            let criteria: Vec<Criterion> = weights
                .iter()
                .enumerate()
                .map(|(i, w)| criterion(&format!("c{i}"), f64::from(*w) / 4.0, Some(50.0), 3))
                .collect();
            let counts: Vec<Vec<AnswerCount>> = (0..criteria.len())
                .map(|c| (0..3).map(|q| {
                    let (y, u, n) = answers[(c * 3 + q) % answers.len()];
                    count(y, u, n)
                }).collect())
                .collect();
            let scores = score_item(&criteria, &counts);
            let (cs, wrps) = naive(&criteria, &counts);
            for (exact, float) in scores.cs.iter().zip(&cs) {
                prop_assert_eq!(exact.is_some(), float.is_some());
                if let (Some(e), Some(f)) = (exact, float) {
                    prop_assert!((e.to_f64() - f).abs() < 1e-9);
                    prop_assert!(e.to_f64() >= 0.0 && e.to_f64() <= 100.0);
                }
            }
            prop_assert_eq!(scores.wrps.is_some(), wrps.is_some());
            if let (Some(e), Some(f)) = (scores.wrps, wrps) {
                prop_assert!((e.to_f64() - f).abs() < 1e-9);
            }
            if let Some(aea) = scores.aea {
                prop_assert!(aea >= r(1, 3) && aea <= r(1, 1));
            }
        }

        #[test]
        fn ranks_are_dense_from_one_and_follow_the_scores(
            scores in prop::collection::vec(prop::option::of(0i128..5), 0..12),
        ) {
            let codes: Vec<String> = (0..scores.len()).map(|i| format!("I{i:02}")).collect();
            let items: Vec<(&str, Option<Ratio>)> = codes
                .iter()
                .zip(&scores)
                .map(|(c, s)| (c.as_str(), s.map(Ratio::integer)))
                .collect();
            let ranked = rank(&items);
            prop_assert_eq!(ranked.len(), items.len());
            for &(index, rk) in &ranked {
                match items[index].1 {
                    None => prop_assert_eq!(rk, None),
                    Some(score) => {
                        let better = items.iter().filter(|(_, s)| s.is_some_and(|s| s > score)).count();
                        prop_assert_eq!(rk, Some(better as u32 + 1));
                    }
                }
            }
        }
    }
}
