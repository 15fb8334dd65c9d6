//! Counts built from scores, and samples of scores, that the statistics tests share.

use proptest::prelude::*;

use super::counts::Counts;
use super::quantile::QuantileType;

/// Counts over `min..=max` built one score at a time.
pub(super) fn counts(min: i32, max: i32, scores: &[i32]) -> Counts {
    let mut c = Counts::from_slice(min, &vec![0; (max - min + 1) as usize], 0);
    for &s in scores {
        c.record(s).unwrap();
    }
    c
}

pub(super) fn q(c: &Counts, percent: u8, kind: QuantileType) -> f64 {
    c.exact_quantile(percent, kind).unwrap().to_f64()
}

/// A scale (min, number of points) and scores on it, plus the same scores shuffled.
pub(super) fn sample() -> impl Strategy<Value = (i32, i32, Vec<i32>, Vec<i32>)> {
    (-5i32..=5, 2i32..=12)
        .prop_flat_map(|(min, len)| {
            let max = min + len - 1;
            (Just(min), Just(max), prop::collection::vec(min..=max, 1..60))
        })
        .prop_flat_map(|(min, max, scores)| {
            let shuffled = Just(scores.clone()).prop_shuffle();
            (Just(min), Just(max), Just(scores), shuffled)
        })
}
