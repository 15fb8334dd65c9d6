//! Order statistics: extremes, the median and Hyndman & Fan sample quantiles, found by walking
//! cumulative counts with the quantile position kept as an exact integer.

use serde::{Deserialize, Serialize};

use super::counts::Counts;
use super::exact::Ratio;

/// Hyndman & Fan (1996) sample-quantile definition used for q1, q3, p30 and p70.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum QuantileType {
    /// Type 6, `h = (m + 1)·p`: SPSS, Minitab, Excel PERCENTILE.EXC.
    Six,
    /// Type 7, `h = (m − 1)·p + 1`: R's and numpy's default, Excel PERCENTILE.INC.
    #[default]
    Seven,
}

impl QuantileType {
    pub fn number(self) -> u8 {
        match self {
            QuantileType::Six => 6,
            QuantileType::Seven => 7,
        }
    }

    pub fn from_number(number: u8) -> Option<QuantileType> {
        match number {
            6 => Some(QuantileType::Six),
            7 => Some(QuantileType::Seven),
            _ => None,
        }
    }
}

impl TryFrom<u8> for QuantileType {
    type Error = String;

    fn try_from(number: u8) -> Result<Self, Self::Error> {
        QuantileType::from_number(number).ok_or_else(|| format!("quantile type must be 6 or 7, got {number}"))
    }
}

impl From<QuantileType> for u8 {
    fn from(kind: QuantileType) -> u8 {
        kind.number()
    }
}

impl Counts {
    /// The `rank`-th smallest score (1-based), found by walking cumulative counts.
    fn order_statistic(&self, rank: u64) -> Option<i128> {
        let mut seen: u64 = 0;
        for (point, count) in self.iter() {
            seen = seen.saturating_add(count);
            if count > 0 && seen >= rank {
                return Some(i128::from(point));
            }
        }
        None
    }

    pub fn exact_min(&self) -> Option<i128> {
        self.iter()
            .find(|&(_, c)| c > 0)
            .map(|(point, _)| i128::from(point))
    }

    pub fn exact_max(&self) -> Option<i128> {
        self.iter()
            .filter(|&(_, c)| c > 0)
            .last()
            .map(|(point, _)| i128::from(point))
    }

    /// Middle score, or the mean of the two middle scores when `m` is even.
    pub fn exact_median(&self) -> Option<Ratio> {
        let m = self.m();
        if m == 0 {
            return None;
        }
        let lower = self.order_statistic(m.div_ceil(2))?;
        let upper = self.order_statistic(m / 2 + 1)?;
        Ratio::new(lower.checked_add(upper)?, 2)
    }

    /// Hyndman & Fan quantile at `percent / 100`. The 1-based position `h` is kept as the exact
    /// integer `100·h`, clamped into `[100, 100·m]`, so its whole and fractional parts are exact;
    /// the result is `(100·x[j] + f·(x[j+1] − x[j])) / 100` with `j = ⌊h⌋`, `f = 100·(h − j)`.
    pub fn exact_quantile(&self, percent: u8, kind: QuantileType) -> Option<Ratio> {
        let m = u128::from(self.m());
        if m == 0 {
            return None;
        }
        let p = u128::from(percent.min(100));
        let h100 = match kind {
            QuantileType::Seven => (m - 1).checked_mul(p)?.checked_add(100)?,
            QuantileType::Six => (m + 1).checked_mul(p)?,
        };
        let h100 = h100.clamp(100, m.checked_mul(100)?);
        let j = u64::try_from(h100 / 100).ok()?;
        let fraction = i128::try_from(h100 % 100).ok()?;
        let lower = self.order_statistic(j)?;
        if fraction == 0 {
            return Some(Ratio::integer(lower));
        }
        let upper = self.order_statistic(j + 1)?;
        let num = lower
            .checked_mul(100)?
            .checked_add(fraction.checked_mul(upper - lower)?)?;
        Ratio::new(num, 100)
    }

    /// Interquartile range `q3 − q1`.
    pub fn exact_iqr(&self, kind: QuantileType) -> Option<Ratio> {
        self.exact_quantile(75, kind)?
            .checked_sub(self.exact_quantile(25, kind)?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::counts::UnablePolicy;
    use super::super::statistics::Statistics;
    use super::super::testing::{counts, q, sample};
    use super::QuantileType::{Seven, Six};
    use proptest::prelude::*;

    #[test]
    fn small_panels_clamp_the_position() {
        // m = 1: every quantile is the single score, and sd is undefined.
        let one = counts(1, 9, &[4]);
        for kind in [Six, Seven] {
            for p in [0, 25, 30, 50, 70, 75, 100] {
                assert_eq!(q(&one, p, kind), 4.0);
            }
        }
        let s = Statistics::compute(&one, Seven, UnablePolicy::Exclude);
        assert_eq!(
            (s.figures.mean, s.figures.sd, s.figures.median),
            (Some(4.0), None, Some(4.0))
        );

        // m = 2, x = {2, 8}.
        let two = counts(1, 9, &[8, 2]);
        assert_eq!(q(&two, 25, Seven), 3.5); // h = 1.25
        assert_eq!(q(&two, 75, Seven), 6.5); // h = 1.75
        assert_eq!(q(&two, 30, Seven), 3.8); // h = 1.3
        assert_eq!(q(&two, 25, Six), 2.0); // h = 0.75, clamped to 1
        assert_eq!(q(&two, 75, Six), 8.0); // h = 2.25, clamped to 2
        assert_eq!(q(&two, 30, Six), 2.0); // h = 0.9, clamped to 1
        assert_eq!(two.exact_median().unwrap().to_f64(), 5.0);
        // sd of {2, 8}: (9 + 9) / 1 = 18.
        assert_eq!(
            Statistics::compute(&two, Seven, UnablePolicy::Exclude).figures.sd,
            Some(18f64.sqrt())
        );

        // m = 3, x = {1, 5, 9}.
        let three = counts(1, 9, &[9, 1, 5]);
        assert_eq!(q(&three, 25, Seven), 3.0); // h = 1.5
        assert_eq!(q(&three, 75, Seven), 7.0); // h = 2.5
        assert_eq!(q(&three, 25, Six), 1.0); // h = 1
        assert_eq!(q(&three, 75, Six), 9.0); // h = 3
        assert_eq!(q(&three, 30, Six), 1.8); // h = 1.2: 1 + 0.2·(5 − 1)
    }

    #[test]
    fn floating_h_picks_the_wrong_order_statistic() {
        // x = 1..=91: type 7 puts p70 at h = 90·0.7 + 1 = 64 exactly, but in floating point
        // 90.0 * 0.7 + 1.0 is 63.99999999999999, so ⌊h⌋ = 63 and the result is just below 64.
        let scores: Vec<i32> = (1..=91).collect();
        let c = counts(1, 91, &scores);
        let p = std::hint::black_box(0.7);
        let floating_h = 90.0 * p + 1.0;
        assert!(floating_h < 64.0);
        assert_eq!(q(&c, 70, Seven), 64.0);
        // Type 6 has the same trap at m = 89: h = 90·0.7 = 63.
        let scores: Vec<i32> = (1..=89).collect();
        let c = counts(1, 89, &scores);
        assert!(90.0 * p < 63.0);
        assert_eq!(q(&c, 70, Six), 63.0);
    }

    #[test]
    fn excel_percentile_inc_example_is_type_7() {
        // Microsoft Support, "PERCENTILE.INC function": PERCENTILE.INC({1,3,2,4}, 0.3) = 1.9.
        let c = counts(1, 4, &[1, 3, 2, 4]);
        assert_eq!(q(&c, 30, Seven), 1.9);
    }

    #[test]
    fn excel_quartile_exc_example_is_type_6() {
        // Microsoft Support, "QUARTILE.EXC function" (and Google Sheets' QUARTILE.EXC help):
        // data 6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49 → quartile 1 = 15, 2 = 40, 3 = 43.
        let c = counts(6, 49, &[6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49]);
        assert_eq!(q(&c, 25, Six), 15.0);
        assert_eq!(c.exact_median().unwrap().to_f64(), 40.0);
        assert_eq!(q(&c, 75, Six), 43.0);
    }

    #[test]
    fn google_sheets_percentile_exc_example_is_type_6() {
        // Google Docs Editors Help, "PERCENTILE.EXC function": data 15, 20, 35, 40, 50 →
        // 0.4 → 26, 0.5 → 35, 0.8 → 48. Sheets answers #NUM! for 0.15 and 0.9, where h falls
        // outside [1, m]; the Delphi spec clamps h instead, giving the extremes.
        let c = counts(15, 50, &[15, 20, 35, 40, 50]);
        assert_eq!(q(&c, 40, Six), 26.0);
        assert_eq!(q(&c, 50, Six), 35.0);
        assert_eq!(q(&c, 80, Six), 48.0);
        assert_eq!(q(&c, 15, Six), 15.0);
        assert_eq!(q(&c, 90, Six), 50.0);
    }

    #[test]
    fn mescius_quartile_exc_example_is_type_6() {
        // MESCIUS Document Solutions formula reference, QUARTILE.EXC:
        // QUARTILE.EXC({11,21,42,27,18,29,32,52}, 1) = 18.75.
        let c = counts(11, 52, &[11, 21, 42, 27, 18, 29, 32, 52]);
        assert_eq!(q(&c, 25, Six), 18.75);
    }

    #[test]
    fn numpy_percentile_docstring_example() {
        // numpy.percentile documentation: a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50)
        // = 3.5 (the flattened array; numpy's default 'linear' method is type 7).
        let c = counts(1, 10, &[10, 7, 4, 3, 2, 1]);
        assert_eq!(q(&c, 50, Seven), 3.5);
        assert_eq!(c.exact_median().unwrap().to_f64(), 3.5);
    }

    proptest! {
        #[test]
        fn types_six_and_seven_agree_at_the_median((min, max, scores, _s) in sample()) {
            let c = counts(min, max, &scores);
            let median = c.exact_median();
            prop_assert_eq!(c.exact_quantile(50, Six), median);
            prop_assert_eq!(c.exact_quantile(50, Seven), median);
        }
    }
}
