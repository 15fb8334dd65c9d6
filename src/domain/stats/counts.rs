//! The counts everything else is computed from: how often each point was chosen, plus "unable
//! to score" answers, and the shares of a panel they give.

use serde::{Deserialize, Serialize};

use super::exact::Share;
use crate::domain::scale::Scale;

/// Whether "unable to score" answers count in the denominator of shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnablePolicy {
    #[default]
    Exclude,
    Include,
}

impl UnablePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            UnablePolicy::Exclude => "exclude",
            UnablePolicy::Include => "include",
        }
    }

    pub fn parse(text: &str) -> Option<UnablePolicy> {
        match text {
            "exclude" => Some(UnablePolicy::Exclude),
            "include" => Some(UnablePolicy::Include),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountsError {
    #[error("score {score} is outside the scale {min}–{max}")]
    ScoreOutsideScale { score: i32, min: i32, max: i64 },
    #[error("counts over different scales cannot be combined")]
    DifferentScales,
}

/// How often each scale point was chosen for one item in one round, plus the number of
/// "unable to score" answers. Blank answers are not counted anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    min: i32,
    per_point: Vec<u64>,
    unable: u64,
}

impl Counts {
    /// Zero counts for every point of `scale`.
    pub fn new(scale: &Scale) -> Counts {
        Counts {
            min: scale.min(),
            per_point: vec![0; scale.len()],
            unable: 0,
        }
    }

    /// Counts for the points `min, min + 1, …`, one entry of `per_point` each.
    pub fn from_slice(min: i32, per_point: &[u64], unable: u64) -> Counts {
        Counts {
            min,
            per_point: per_point.to_vec(),
            unable,
        }
    }

    pub fn record(&mut self, score: i32) -> Result<(), CountsError> {
        self.add(score, 1)
    }

    /// Adds `times` ratings of `score` at once: a close reads counts the database already
    /// aggregated, never individual ratings.
    pub fn add(&mut self, score: i32, times: u64) -> Result<(), CountsError> {
        let index = self.index_of(score).ok_or(CountsError::ScoreOutsideScale {
            score,
            min: self.min,
            max: self.max_point(),
        })?;
        if let Some(slot) = self.per_point.get_mut(index) {
            *slot = slot.saturating_add(times);
        }
        Ok(())
    }

    pub fn add_unable(&mut self, times: u64) {
        self.unable = self.unable.saturating_add(times);
    }

    pub fn record_unable(&mut self) {
        self.unable = self.unable.saturating_add(1);
    }

    /// Adds another group's counts, e.g. to pool stakeholder groups.
    pub fn merge(&mut self, other: &Counts) -> Result<(), CountsError> {
        if self.min != other.min || self.per_point.len() != other.per_point.len() {
            return Err(CountsError::DifferentScales);
        }
        for (mine, theirs) in self.per_point.iter_mut().zip(&other.per_point) {
            *mine = mine.saturating_add(*theirs);
        }
        self.unable = self.unable.saturating_add(other.unable);
        Ok(())
    }

    pub(in crate::domain) fn set_count(&mut self, score: i32, count: u64) {
        if let Some(slot) = self.index_of(score).and_then(|i| self.per_point.get_mut(i)) {
            *slot = count;
        }
    }

    pub(in crate::domain) fn set_unable(&mut self, count: u64) {
        self.unable = count;
    }

    fn index_of(&self, score: i32) -> Option<usize> {
        let offset = i64::from(score) - i64::from(self.min);
        usize::try_from(offset).ok().filter(|&i| i < self.per_point.len())
    }

    pub fn min_point(&self) -> i32 {
        self.min
    }

    /// Highest point counted; `i64` because an empty `from_slice` has `min − 1` here.
    pub fn max_point(&self) -> i64 {
        i64::from(self.min) + self.per_point.len() as i64 - 1
    }

    pub fn per_point(&self) -> &[u64] {
        &self.per_point
    }

    /// The points with their counts, lowest first.
    pub fn iter(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        // Index arithmetic in i64: a `RangeFrom<i32>` would overflow after yielding i32::MAX.
        self.per_point.iter().enumerate().filter_map(move |(i, &count)| {
            let point = i64::from(self.min) + i64::try_from(i).ok()?;
            Some((i32::try_from(point).ok()?, count))
        })
    }

    pub fn count(&self, score: i32) -> u64 {
        self.index_of(score)
            .and_then(|i| self.per_point.get(i))
            .copied()
            .unwrap_or(0)
    }

    pub fn unable(&self) -> u64 {
        self.unable
    }

    /// Number of numeric scores.
    pub fn m(&self) -> u64 {
        self.per_point
            .iter()
            .fold(0u64, |total, &c| total.saturating_add(c))
    }

    /// Denominator of shares under `policy`.
    pub fn n(&self, policy: UnablePolicy) -> u64 {
        match policy {
            UnablePolicy::Exclude => self.m(),
            UnablePolicy::Include => self.m().saturating_add(self.unable),
        }
    }

    /// Whether these counts are over the 1–9 scale that the RAND/UCLA indices assume.
    pub fn is_one_to_nine(&self) -> bool {
        self.min == 1 && self.per_point.len() == 9
    }

    /// Share of answers scoring `lo..=hi` (plus unable answers when `with_unable`) out of
    /// `n(policy)`. `with_unable` only makes sense with [`UnablePolicy::Include`]; rules reject
    /// the other combination.
    pub fn share(&self, lo: i32, hi: i32, with_unable: bool, policy: UnablePolicy) -> Option<Share> {
        let in_range = self
            .iter()
            .filter(|&(point, _)| lo <= point && point <= hi)
            .fold(0u64, |total, (_, c)| total.saturating_add(c));
        let num = if with_unable {
            in_range.saturating_add(self.unable)
        } else {
            in_range
        };
        Share::new(num, self.n(policy))
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::super::exact::Ratio;
    use super::super::testing::counts;
    use super::*;

    #[test]
    fn shares_are_exact() {
        let c = Counts::from_slice(1, &[0, 0, 0, 1, 1, 1, 2, 3, 2], 1);
        let top = c.share(7, 9, false, UnablePolicy::Exclude).unwrap();
        assert_eq!((top.num(), top.den()), (7, 10));
        assert_eq!(top.percent(), 70.0);
        assert_eq!(top.cmp_percent(Ratio::integer(70)), Ordering::Equal);
        let with_unable = c.share(7, 9, false, UnablePolicy::Include).unwrap();
        assert_eq!((with_unable.num(), with_unable.den()), (7, 11));
        let counted = c.share(7, 9, true, UnablePolicy::Include).unwrap();
        assert_eq!((counted.num(), counted.den()), (8, 11));
        // 2 of 3 is 66.66…%, below 66.7 (= 667/10) and above 66.6.
        let two_thirds = Share::new(2, 3).unwrap();
        let t = |x: f64| Ratio::from_decimal(x).unwrap();
        assert_eq!(two_thirds.cmp_percent(t(66.7)), Ordering::Less);
        assert_eq!(two_thirds.cmp_percent(t(66.6)), Ordering::Greater);
        // The shortest decimal of 200/3 is 66.66666666666667, which 2 of 3 does not reach.
        assert_eq!(two_thirds.cmp_percent(t(200.0 / 3.0)), Ordering::Less);
        assert_eq!(Share::new(1, 0), None);
        assert_eq!(Share::new(1, 2), Share::new(2, 4));
    }

    #[test]
    fn record_rejects_scores_off_the_scale_and_merge_pools() {
        let mut c = counts(1, 5, &[1, 5]);
        assert!(c.record(6).is_err());
        assert!(c.record(0).is_err());
        let other = counts(1, 5, &[3]);
        c.merge(&other).unwrap();
        assert_eq!(c.per_point(), &[1, 0, 1, 0, 1]);
        assert!(c.merge(&counts(1, 9, &[])).is_err());
        assert_eq!(c.count(3), 1);
        assert_eq!(c.count(42), 0);
        // A scale ending at i32::MAX iterates without overflowing.
        let top = counts(i32::MAX - 2, i32::MAX, &[i32::MAX]);
        assert_eq!(top.exact_max(), Some(i128::from(i32::MAX)));
    }
}
