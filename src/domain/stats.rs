//! Agreement statistics for one item in one round, computed from per-point counts.
//!
//! Everything is derived from [`Counts`] in time proportional to the number of scale points, so a
//! round of a million ratings costs no more than a round of ten: order statistics are found by
//! walking cumulative counts, never by materialising the sorted scores.
//!
//! Every statistic is first computed as an exact rational ([`Ratio`]) from integer sums and
//! integer quantile positions, then turned into `f64` by a single division. This is what makes
//! the published numbers agree with the definitions to the last digit, and what lets consensus
//! rules compare against thresholds without rounding: a floating `h = (m − 1)·0.3 + 1` can land
//! on 2.9999999 and pick the wrong order statistic, and a floating 7/10 compared with 70% can
//! fall on either side.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::scale::Scale;

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

    pub(super) fn set_count(&mut self, score: i32, count: u64) {
        if let Some(slot) = self.index_of(score).and_then(|i| self.per_point.get_mut(i)) {
            *slot = count;
        }
    }

    pub(super) fn set_unable(&mut self, count: u64) {
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

    /// Integer sums of offsets from the lowest point: `(m, Σ c·o, Σ c·o²)`. Offsets (at most
    /// 100) rather than raw scores keep the variance numerator small; it is shift-invariant.
    fn moments(&self) -> Option<(i128, i128, i128)> {
        let mut m: i128 = 0;
        let mut s1: i128 = 0;
        let mut s2: i128 = 0;
        for (offset, &count) in self.per_point.iter().enumerate() {
            let offset = i128::try_from(offset).ok()?;
            let count = i128::from(count);
            m = m.checked_add(count)?;
            s1 = s1.checked_add(count.checked_mul(offset)?)?;
            s2 = s2.checked_add(count.checked_mul(offset.checked_mul(offset)?)?)?;
        }
        Some((m, s1, s2))
    }

    /// `Σ v·c[v] / m`.
    pub fn exact_mean(&self) -> Option<Ratio> {
        let (m, s1, _) = self.moments()?;
        if m == 0 {
            return None;
        }
        let sum = i128::from(self.min).checked_mul(m)?.checked_add(s1)?;
        Ratio::new(sum, m)
    }

    /// Sample variance `(m·S2 − S1²) / (m·(m − 1))`; `None` below two scores.
    pub fn exact_variance(&self) -> Option<Ratio> {
        let (m, s1, s2) = self.moments()?;
        if m < 2 {
            return None;
        }
        let numerator = m.checked_mul(s2)?.checked_sub(s1.checked_mul(s1)?)?;
        Ratio::new(numerator, m.checked_mul(m - 1)?)
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

    /// The RAND/UCLA disagreement figures (Fitch et al. 2001, ch. 8). `None` without scores;
    /// the asymmetry-based parts are `None` off the 1–9 scale, whose midpoint 5 they assume.
    pub fn exact_rand_ucla(&self, kind: QuantileType) -> Option<RandUcla> {
        let p30 = self.exact_quantile(30, kind)?;
        let p70 = self.exact_quantile(70, kind)?;
        let ipr = p70.checked_sub(p30)?;
        let asymmetry = if self.is_one_to_nine() {
            RandUcla::asymmetry(p30, p70, ipr)
        } else {
            None
        };
        Some(RandUcla {
            p30,
            p70,
            ipr,
            asymmetry,
        })
    }

    pub fn statistics(&self, kind: QuantileType, policy: UnablePolicy) -> Statistics {
        Statistics::compute(self, kind, policy)
    }
}

/// Exact RAND/UCLA interpercentile figures for one distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandUcla {
    pub p30: Ratio,
    pub p70: Ratio,
    /// `p70 − p30`.
    pub ipr: Ratio,
    /// Only on the 1–9 scale.
    pub asymmetry: Option<RandUclaAsymmetry>,
}

/// The parts of the RAND/UCLA method that depend on the 1–9 midpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandUclaAsymmetry {
    /// IPR central point `(p30 + p70) / 2`.
    pub iprcp: Ratio,
    /// Asymmetry index `|5 − iprcp|`.
    pub ai: Ratio,
    /// IPR adjusted for symmetry `2.35 + 1.5·ai`.
    pub ipras: Ratio,
    /// Disagreement index `ipr / ipras`; disagreement when above 1.
    pub di: Ratio,
}

impl RandUcla {
    fn asymmetry(p30: Ratio, p70: Ratio, ipr: Ratio) -> Option<RandUclaAsymmetry> {
        let iprcp = p30.checked_add(p70)?.checked_div(Ratio::integer(2))?;
        let ai = Ratio::integer(5).checked_sub(iprcp)?.abs();
        let ipras = Ratio::new(235, 100)?.checked_add(Ratio::new(3, 2)?.checked_mul(ai)?)?;
        let di = ipr.checked_div(ipras)?;
        Some(RandUclaAsymmetry { iprcp, ai, ipras, di })
    }

    pub fn disagreement(&self) -> Option<bool> {
        self.asymmetry
            .map(|a| a.di.cmp(&Ratio::integer(1)) == Ordering::Greater)
    }
}

/// Every descriptive number for one item in one round, as published. `None` where the
/// definition has nothing to say: no scores (`m = 0`), `sd` with fewer than two, and the
/// RAND/UCLA asymmetry figures off the 1–9 scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// Denominator of shares under the unable policy.
    pub n: u64,
    /// Number of numeric scores.
    pub m: u64,
    /// Number of "unable to score" answers.
    pub unable: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub iqr: Option<f64>,
    pub p30: Option<f64>,
    pub p70: Option<f64>,
    pub ipr: Option<f64>,
    pub iprcp: Option<f64>,
    pub ai: Option<f64>,
    pub ipras: Option<f64>,
    pub di: Option<f64>,
    /// RAND/UCLA disagreement: `di > 1`, decided exactly.
    pub disagreement: Option<bool>,
}

impl Statistics {
    pub fn compute(counts: &Counts, kind: QuantileType, policy: UnablePolicy) -> Statistics {
        let f = |r: Option<Ratio>| r.map(Ratio::to_f64);
        let q1 = counts.exact_quantile(25, kind);
        let q3 = counts.exact_quantile(75, kind);
        let iqr = q1.zip(q3).and_then(|(lo, hi)| hi.checked_sub(lo));
        let rand = counts.exact_rand_ucla(kind);
        let asymmetry = rand.and_then(|r| r.asymmetry);
        Statistics {
            n: counts.n(policy),
            m: counts.m(),
            unable: counts.unable(),
            mean: f(counts.exact_mean()),
            // sqrt of the correctly rounded variance: at most one ulp from the exact root.
            sd: counts.exact_variance().map(|v| v.to_f64().sqrt()),
            min: counts.exact_min().map(|v| v as f64),
            max: counts.exact_max().map(|v| v as f64),
            median: f(counts.exact_median()),
            q1: f(q1),
            q3: f(q3),
            iqr: f(iqr),
            p30: f(rand.map(|r| r.p30)),
            p70: f(rand.map(|r| r.p70)),
            ipr: f(rand.map(|r| r.ipr)),
            iprcp: f(asymmetry.map(|a| a.iprcp)),
            ai: f(asymmetry.map(|a| a.ai)),
            ipras: f(asymmetry.map(|a| a.ipras)),
            di: f(asymmetry.map(|a| a.di)),
            disagreement: rand.and_then(|r| r.disagreement()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Counts over `min..=max` built one score at a time.
    fn counts(min: i32, max: i32, scores: &[i32]) -> Counts {
        let mut c = Counts::from_slice(min, &vec![0; (max - min + 1) as usize], 0);
        for &s in scores {
            c.record(s).unwrap();
        }
        c
    }

    fn q(c: &Counts, percent: u8, kind: QuantileType) -> f64 {
        c.exact_quantile(percent, kind).unwrap().to_f64()
    }

    use QuantileType::{Seven, Six};

    // ---- naive reference over a sorted Vec<f64> -------------------------------------------

    /// Textbook definitions over the materialised sorted sample. The position h is still
    /// computed in integers (as 100·h): that is the definition, and floating h is precisely
    /// the bug `exact_quantile` exists to avoid (see `floating_h_picks_the_wrong_order_statistic`).
    fn naive_quantile(x: &[f64], percent: u8, kind: QuantileType) -> f64 {
        let m = x.len() as i64;
        let p = i64::from(percent);
        let h100 = match kind {
            Seven => (m - 1) * p + 100,
            Six => (m + 1) * p,
        }
        .clamp(100, 100 * m);
        let j = (h100 / 100) as usize;
        let f = (h100 % 100) as f64;
        if f == 0.0 {
            x[j - 1]
        } else {
            (100.0 * x[j - 1] + f * (x[j] - x[j - 1])) / 100.0
        }
    }

    fn naive_median(x: &[f64]) -> f64 {
        let m = x.len();
        if m % 2 == 1 {
            x[m / 2]
        } else {
            (x[m / 2 - 1] + x[m / 2]) / 2.0
        }
    }

    fn naive_mean(x: &[f64]) -> f64 {
        x.iter().sum::<f64>() / x.len() as f64
    }

    fn naive_sd(x: &[f64]) -> f64 {
        let mean = naive_mean(x);
        let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
        (ss / (x.len() as f64 - 1.0)).sqrt()
    }

    // ---- hand-computed examples ------------------------------------------------------------

    #[test]
    fn one_to_nine_once_each_type_7_and_type_6() {
        let c = counts(1, 9, &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let s7 = Statistics::compute(&c, Seven, UnablePolicy::Exclude);
        assert_eq!(s7.m, 9);
        assert_eq!(s7.mean, Some(5.0));
        // Σ(v − 5)² = 60, 60 / 8 = 7.5.
        assert_eq!(s7.sd, Some(7.5f64.sqrt()));
        assert_eq!((s7.min, s7.max, s7.median), (Some(1.0), Some(9.0), Some(5.0)));
        // Type 7: h = 8p + 1 → q1 at 3, q3 at 7, p30 at 3.4, p70 at 6.6.
        assert_eq!((s7.q1, s7.q3, s7.iqr), (Some(3.0), Some(7.0), Some(4.0)));
        assert_eq!((s7.p30, s7.p70), (Some(3.4), Some(6.6)));
        assert_eq!(s7.ipr, Some(3.2));
        assert_eq!((s7.iprcp, s7.ai, s7.ipras), (Some(5.0), Some(0.0), Some(2.35)));
        // 3.2 / 2.35 = 64/47 exactly.
        assert_eq!(s7.di, Some(64.0 / 47.0));
        assert_eq!(s7.disagreement, Some(true));

        // Type 6: h = 10p → q1 at 2.5, q3 at 7.5, p30 at 3, p70 at 7.
        let s6 = Statistics::compute(&c, Six, UnablePolicy::Exclude);
        assert_eq!((s6.q1, s6.q3, s6.iqr), (Some(2.5), Some(7.5), Some(5.0)));
        assert_eq!((s6.p30, s6.p70, s6.ipr), (Some(3.0), Some(7.0), Some(4.0)));
        assert_eq!(s6.di, Some(80.0 / 47.0));
        assert_eq!(s6.median, s7.median);
    }

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
        assert_eq!((s.mean, s.sd, s.median), (Some(4.0), None, Some(4.0)));

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
            Statistics::compute(&two, Seven, UnablePolicy::Exclude).sd,
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
    fn empty_panel_has_no_statistics() {
        let mut c = counts(1, 9, &[]);
        c.record_unable();
        c.record_unable();
        let s = Statistics::compute(&c, Seven, UnablePolicy::Include);
        assert_eq!((s.n, s.m, s.unable), (2, 0, 2));
        assert_eq!(
            (s.mean, s.sd, s.min, s.max, s.median, s.q1, s.p30, s.di),
            (None, None, None, None, None, None, None, None)
        );
        assert_eq!(s.disagreement, None);
        assert_eq!(Statistics::compute(&c, Seven, UnablePolicy::Exclude).n, 0);
        assert_eq!(c.share(1, 9, false, UnablePolicy::Exclude), None);
        assert_eq!(c.share(1, 9, false, UnablePolicy::Include), Share::new(0, 2));
    }

    #[test]
    fn rand_ucla_asymmetry_only_on_the_one_to_nine_scale() {
        let c = counts(1, 5, &[1, 2, 3, 4, 5]);
        let s = Statistics::compute(&c, Seven, UnablePolicy::Exclude);
        assert_eq!((s.p30, s.p70), (Some(2.2), Some(3.8)));
        assert!((s.ipr.unwrap() - 1.6).abs() < 1e-15);
        assert_eq!((s.iprcp, s.ai, s.ipras, s.di), (None, None, None, None));
        assert_eq!(s.disagreement, None);
    }

    #[test]
    fn mean_is_one_correctly_rounded_division() {
        let c = counts(1, 9, &[1, 1, 2]);
        assert_eq!(c.exact_mean().unwrap().to_f64(), 4.0 / 3.0);
        let c = counts(-3, 3, &[-3, -2, 3]);
        assert_eq!(c.exact_mean().unwrap().to_f64(), -2.0 / 3.0);
        assert_eq!(c.exact_min(), Some(-3));
        assert_eq!(c.exact_max(), Some(3));
    }

    #[test]
    fn a_million_ratings_are_counting_work() {
        // 10^6 ratings spread evenly over 1–5 (200,000 each), plus huge counts on 1–9.
        let c = Counts::from_slice(1, &[200_000; 5], 0);
        let s = Statistics::compute(&c, Seven, UnablePolicy::Exclude);
        assert_eq!(s.m, 1_000_000);
        assert_eq!(
            (s.mean, s.median, s.q1, s.q3),
            (Some(3.0), Some(3.0), Some(2.0), Some(4.0))
        );
        // Σ(v − 3)² = 10^6 · 2, divided by m − 1.
        assert_eq!(s.sd, Some((2_000_000.0f64 / 999_999.0).sqrt()));

        let big = Counts::from_slice(1, &[1_000_000_000_000; 9], 0);
        let s = Statistics::compute(&big, Six, UnablePolicy::Exclude);
        assert_eq!((s.mean, s.median), (Some(5.0), Some(5.0)));
        assert!((s.sd.unwrap() - (20.0f64 / 3.0).sqrt()).abs() < 1e-9);
    }

    // ---- published worked examples ---------------------------------------------------------

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

    #[test]
    fn rand_ucla_worked_example_from_basger_2012() {
        // Basger, Chen & Moles, "Validation of prescribing appropriateness criteria for older
        // Australians using the RAND/UCLA appropriateness method", BMJ Open 2012;2:e001431,
        // Table 1: 15 panellists on the 1–9 scale rated 4, 5, 6 once each, 7 and 8 five times
        // each and 9 twice (the table lists the counts 1 1 1 5 5 2 under the points; this
        // placement is the one consistent with every figure it reports). Reported: median 7.0,
        // 30th percentile 7.0, 70th percentile 8.0, IPR 1.0, IPRCP 7.5, AI 2.5, IPRAS 6.1, so no
        // disagreement. (The table's formula text says "2.5 + AI × 1.5", but 6.1 is
        // 2.35 + 2.5 × 1.5, the RAND/UCLA manual's constant.)
        let c = Counts::from_slice(1, &[0, 0, 0, 1, 1, 1, 5, 5, 2], 0);
        for kind in [Seven, Six] {
            let s = Statistics::compute(&c, kind, UnablePolicy::Exclude);
            assert_eq!(s.m, 15);
            assert_eq!(s.median, Some(7.0));
            assert_eq!((s.p30, s.p70, s.ipr), (Some(7.0), Some(8.0), Some(1.0)));
            assert_eq!((s.iprcp, s.ai, s.ipras), (Some(7.5), Some(2.5), Some(6.1)));
            // di = 1 / 6.1 = 10/61 exactly; `1.0 / 6.1` would divide by a rounded 6.1.
            assert_eq!(s.di, Some(10.0 / 61.0));
            assert_eq!(s.disagreement, Some(false));
        }
    }

    // ---- shares and exact rationals --------------------------------------------------------

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

    // ---- properties ------------------------------------------------------------------------

    /// A scale (min, number of points) and scores on it, plus the same scores shuffled.
    fn sample() -> impl Strategy<Value = (i32, i32, Vec<i32>, Vec<i32>)> {
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

    proptest! {
        #[test]
        fn counts_match_the_naive_sorted_vector((min, max, scores, shuffled) in sample()) {
            let c = counts(min, max, &scores);
            // Order of recording does not matter.
            prop_assert_eq!(&c, &counts(min, max, &shuffled));
            let mut x: Vec<f64> = scores.iter().map(|&s| f64::from(s)).collect();
            x.sort_by(f64::total_cmp);
            for kind in [Six, Seven] {
                let s = Statistics::compute(&c, kind, UnablePolicy::Exclude);
                prop_assert_eq!(s.mean, Some(naive_mean(&x)));
                prop_assert_eq!(s.median, Some(naive_median(&x)));
                prop_assert_eq!(s.min, x.first().copied());
                prop_assert_eq!(s.max, x.last().copied());
                for p in [0u8, 10, 25, 30, 50, 70, 75, 90, 100] {
                    prop_assert_eq!(q(&c, p, kind), naive_quantile(&x, p, kind), "p = {}", p);
                }
                match s.sd {
                    None => prop_assert!(x.len() < 2),
                    Some(sd) => {
                        let reference = naive_sd(&x);
                        prop_assert!((sd - reference).abs() <= 1e-12 * reference.max(1.0));
                    }
                }
            }
        }

        #[test]
        fn statistics_are_ordered_and_bounded((min, max, scores, _s) in sample(), lo in -6i32..=17, len in 0i32..8) {
            let c = counts(min, max, &scores);
            for kind in [Six, Seven] {
                let s = Statistics::compute(&c, kind, UnablePolicy::Exclude);
                let (lo_v, q1, med, q3, hi_v) = (
                    s.min.unwrap(), s.q1.unwrap(), s.median.unwrap(), s.q3.unwrap(), s.max.unwrap(),
                );
                prop_assert!(lo_v <= q1 && q1 <= med && med <= q3 && q3 <= hi_v);
                prop_assert!(s.p30.unwrap() <= s.p70.unwrap());
                prop_assert!(s.iqr.unwrap() >= 0.0);
                prop_assert!(s.sd.is_none_or(|sd| sd >= 0.0));
                prop_assert!(lo_v <= s.mean.unwrap() && s.mean.unwrap() <= hi_v);
            }
            let share = c.share(lo, lo + len, false, UnablePolicy::Exclude).unwrap();
            prop_assert!((0.0..=100.0).contains(&share.percent()));
        }

        #[test]
        fn types_six_and_seven_agree_at_the_median((min, max, scores, _s) in sample()) {
            let c = counts(min, max, &scores);
            let median = c.exact_median();
            prop_assert_eq!(c.exact_quantile(50, Six), median);
            prop_assert_eq!(c.exact_quantile(50, Seven), median);
        }

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
