//! Exact numbers: a checked rational, and a share of a panel read as a percentage. Statistics
//! are computed as rationals and rounded once; thresholds compare against them without rounding.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// An exact rational `num / den` with `den > 0`.
///
/// Arithmetic is checked: an overflow yields `None` rather than a wrong number. With scale
/// points bounded to 101 values, the sums behind every statistic fit comfortably in `i128` for
/// any panel below 2^50 answers. Comparison falls back to `f64` only when the cross products
/// overflow, which needs a threshold or value astronomically far from the other side, where the
/// floating comparison is decisive anyway.
#[derive(Debug, Clone, Copy)]
pub struct Ratio {
    num: i128,
    den: i128,
}

impl Ratio {
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        match den.cmp(&0) {
            Ordering::Equal => None,
            Ordering::Greater => Some(Ratio { num, den }),
            Ordering::Less => Some(Ratio {
                num: num.checked_neg()?,
                den: den.checked_neg()?,
            }),
        }
    }

    pub fn integer(value: i128) -> Ratio {
        Ratio { num: value, den: 1 }
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    /// The exact value of what the author wrote: the shortest decimal string that round-trips to
    /// `value` (Rust's `Display` for `f64`), read as `digits / 10^decimals`. So `66.7` is 667/10,
    /// not the binary double 66.70000000000000284…, and `70` is exactly 70. `None` for NaN,
    /// infinities, and values whose decimal form does not fit in `i128`.
    pub fn from_decimal(value: f64) -> Option<Ratio> {
        if !value.is_finite() {
            return None;
        }
        let text = format!("{value}");
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let mut num: i128 = 0;
        let mut den: i128 = 1;
        for c in whole.chars() {
            num = num.checked_mul(10)?.checked_add(i128::from(c.to_digit(10)?))?;
        }
        for c in fraction.chars() {
            num = num.checked_mul(10)?.checked_add(i128::from(c.to_digit(10)?))?;
            den = den.checked_mul(10)?;
        }
        Ratio::new(if negative { -num } else { num }, den)
    }

    /// Nearest `f64`. Reducing first keeps numerator and denominator below 2^53 for every
    /// statistic of a realistic panel, so the single division is correctly rounded.
    pub fn to_f64(self) -> f64 {
        let divisor = gcd(self.num.unsigned_abs(), self.den.unsigned_abs());
        let divisor = i128::try_from(divisor).unwrap_or(1).max(1);
        (self.num / divisor) as f64 / (self.den / divisor) as f64
    }

    pub fn checked_add(self, other: Ratio) -> Option<Ratio> {
        let num = self
            .num
            .checked_mul(other.den)?
            .checked_add(other.num.checked_mul(self.den)?)?;
        Ratio::new(num, self.den.checked_mul(other.den)?)
    }

    pub fn checked_sub(self, other: Ratio) -> Option<Ratio> {
        self.checked_add(Ratio {
            num: other.num.checked_neg()?,
            den: other.den,
        })
    }

    pub fn checked_mul(self, other: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(other.num)?, self.den.checked_mul(other.den)?)
    }

    pub fn checked_div(self, other: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(other.den)?, self.den.checked_mul(other.num)?)
    }

    pub fn abs(self) -> Ratio {
        Ratio {
            num: self.num.checked_abs().unwrap_or(i128::MAX),
            den: self.den,
        }
    }

    pub fn is_negative(self) -> bool {
        self.num < 0
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.num.checked_mul(other.den), other.num.checked_mul(self.den)) {
            (Some(left), Some(right)) => left.cmp(&right),
            _ => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// An exact share `num / den` of a panel, read as the percentage `100 · num / den`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Share {
    num: u64,
    den: u64,
}

impl Share {
    /// `None` when `den` is 0: a share of nobody is undefined, not 0%.
    pub fn new(num: u64, den: u64) -> Option<Share> {
        (den > 0).then_some(Share { num, den })
    }

    pub fn num(self) -> u64 {
        self.num
    }

    pub fn den(self) -> u64 {
        self.den
    }

    /// For display only; rules compare with [`Share::cmp_percent`].
    pub fn percent(self) -> f64 {
        self.percent_exact().to_f64()
    }

    /// The percentage as an exact rational.
    pub fn percent_exact(self) -> Ratio {
        Ratio {
            num: 100 * i128::from(self.num),
            den: i128::from(self.den),
        }
    }

    /// Compares `100 · num / den` with an exact percentage threshold without rounding, so that
    /// 7 of 10 is exactly 70%.
    pub fn cmp_percent(self, threshold: Ratio) -> Ordering {
        self.percent_exact().cmp(&threshold)
    }
}

impl PartialEq for Share {
    fn eq(&self, other: &Self) -> bool {
        u128::from(self.num) * u128::from(other.den) == u128::from(other.num) * u128::from(self.den)
    }
}

impl Eq for Share {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thresholds_read_as_written_decimals() {
        let r = |x: f64| Ratio::from_decimal(x).map(|r| (r.numer(), r.denom()));
        assert_eq!(r(66.7), Some((667, 10)));
        assert_eq!(r(70.0), Some((70, 1)));
        assert_eq!(r(-0.5), Some((-5, 10)));
        assert_eq!(r(1e-7), Some((1, 10_000_000)));
        assert_eq!(r(f64::NAN), None);
        assert_eq!(r(f64::INFINITY), None);
        assert_eq!(r(1e300), None);
        assert_eq!(Ratio::new(1, -2).unwrap().to_f64(), -0.5);
        assert_eq!(Ratio::new(1, 0), None);
        assert!(Ratio::new(1, 3) < Ratio::from_decimal(0.33334));
        assert!(Ratio::new(1, 3) > Ratio::from_decimal(0.33333));
    }

    proptest! {
        #[test]
        fn share_comparison_is_exact(n in 1u64..=400, k_frac in 0.0f64..=1.0, tenths in 0i64..=1000) {
            // k of n against a threshold with one decimal (e.g. 66.7): holds exactly when
            // 1000·k ≥ tenths·n, with no rounding of either side.
            let k = ((n as f64) * k_frac).floor() as u64;
            let share = Share::new(k, n).unwrap();
            let threshold = Ratio::from_decimal(tenths as f64 / 10.0).unwrap();
            let expected = (1000 * i128::from(k)).cmp(&(i128::from(tenths) * i128::from(n)));
            prop_assert_eq!(share.cmp_percent(threshold), expected);
        }
    }
}
