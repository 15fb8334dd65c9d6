//! The parts of a rule: a condition compares a share of the panel or a statistic with a
//! threshold written in the study file. Here: what a condition is, when it holds for one
//! distribution (compared exactly, see `stats`), and how it reads in reports and in the canonical
//! form of a rule set.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::scale::Scale;
use crate::domain::stats::{Counts, QuantileType, Ratio, UnablePolicy};

/// Comparison of a statistic or share against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    AtLeast,
    Above,
    AtMost,
    Below,
}

impl Op {
    pub const ALL: [Op; 4] = [Op::AtLeast, Op::Above, Op::AtMost, Op::Below];

    /// The study-file key.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::AtLeast => "at_least",
            Op::Above => "above",
            Op::AtMost => "at_most",
            Op::Below => "below",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::Above => ">",
            Op::AtMost => "≤",
            Op::Below => "<",
        }
    }

    /// Whether `value ⋈ threshold` given `value.cmp(threshold)`.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::AtLeast => ordering != Ordering::Less,
            Op::Above => ordering == Ordering::Greater,
            Op::AtMost => ordering != Ordering::Greater,
            Op::Below => ordering == Ordering::Less,
        }
    }
}

/// Statistics a condition may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatName {
    Median,
    Mean,
    Sd,
    Iqr,
    Q1,
    Q3,
    P30,
    P70,
    Ipr,
    Ipras,
    Di,
    N,
}

impl StatName {
    pub const ALL: [StatName; 12] = [
        StatName::Median,
        StatName::Mean,
        StatName::Sd,
        StatName::Iqr,
        StatName::Q1,
        StatName::Q3,
        StatName::P30,
        StatName::P70,
        StatName::Ipr,
        StatName::Ipras,
        StatName::Di,
        StatName::N,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatName::Median => "median",
            StatName::Mean => "mean",
            StatName::Sd => "sd",
            StatName::Iqr => "iqr",
            StatName::Q1 => "q1",
            StatName::Q3 => "q3",
            StatName::P30 => "p30",
            StatName::P70 => "p70",
            StatName::Ipr => "ipr",
            StatName::Ipras => "ipras",
            StatName::Di => "di",
            StatName::N => "n",
        }
    }

    pub fn parse(text: &str) -> Option<StatName> {
        StatName::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// IPRAS and DI measure asymmetry around 5, the midpoint of the 1–9 scale.
    pub fn needs_one_to_nine(self) -> bool {
        matches!(self, StatName::Ipras | StatName::Di)
    }
}

/// A threshold as written in the study file together with its exact decimal value (see
/// [`Ratio::from_decimal`]): `66.7` means 667/10, so 667 of 1000 ratings meet `at_least = 66.7`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Threshold {
    value: f64,
    exact: Ratio,
}

impl Threshold {
    pub fn new(value: f64) -> Option<Threshold> {
        // -0.0 and 0.0 mean the same; normalising keeps the canonical JSON (and hash) equal.
        let value = if value == 0.0 { 0.0 } else { value };
        Ratio::from_decimal(value).map(|exact| Threshold { value, exact })
    }

    pub fn value(self) -> f64 {
        self.value
    }

    pub fn exact(self) -> Ratio {
        self.exact
    }
}

impl PartialEq for Threshold {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl TryFrom<f64> for Threshold {
    type Error = String;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Threshold::new(value).ok_or_else(|| format!("{value} is not a usable threshold"))
    }
}

impl From<Threshold> for f64 {
    fn from(threshold: Threshold) -> f64 {
        threshold.value
    }
}

/// A threshold for a small whole number, which always has an exact decimal form.
pub(super) fn constant(value: f64) -> Threshold {
    let exact = Ratio::integer(value as i128);
    Threshold { value, exact }
}

/// One compiled condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    Share(ShareCondition),
    Stat {
        stat: StatName,
        op: Op,
        value: Threshold,
    },
}

impl Condition {
    /// Whether the condition holds for one distribution. A condition on an undefined statistic
    /// or share (no answers, `sd` of one score) does not hold.
    pub fn holds(&self, counts: &Counts, quantiles: QuantileType, unable: UnablePolicy) -> bool {
        match *self {
            Condition::Share(share) => counts
                .share(share.lo, share.hi, share.with_unable, unable)
                .is_some_and(|measured| share.op.holds(measured.cmp_percent(share.percent.exact()))),
            Condition::Stat { stat, op, value } => {
                stat_ordering(stat, value.exact(), counts, quantiles, unable)
                    .is_some_and(|ordering| op.holds(ordering))
            }
        }
    }

    /// The condition in the canonical JSON of a rule set (see `canonical`).
    pub(super) fn canonical(&self) -> Value {
        let mut map = Map::new();
        match *self {
            Condition::Share(share) => {
                map.insert(share.op.as_str().into(), Value::from(share.percent.value()));
                map.insert("share".into(), Value::from(vec![share.lo, share.hi]));
                map.insert("with_unable".into(), Value::from(share.with_unable));
            }
            Condition::Stat { stat, op, value } => {
                map.insert(op.as_str().into(), Value::from(value.value()));
                map.insert("stat".into(), Value::from(stat.as_str()));
            }
        }
        Value::Object(map)
    }

    /// The condition as people read it in reports: `share 7–9 ≥ 70%`, `median ≥ 7`.
    pub fn describe(&self) -> String {
        match self {
            Condition::Share(share) => {
                let (lo, hi, op) = (share.lo, share.hi, share.op.symbol());
                let unable = if share.with_unable { " (with unable)" } else { "" };
                format!("share {lo}–{hi}{unable} {op} {}%", share.percent.value())
            }
            Condition::Stat { stat, op, value } => {
                format!("{} {} {}", stat.as_str(), op.symbol(), value.value())
            }
        }
    }

    /// Whether the condition means something on `scale`: its range inside it, a statistic
    /// defined on it (IPRAS and DI on 1–9 only), and a threshold on a score (median, mean,
    /// quartiles, P30, P70) between its ends, since beyond them the condition could never
    /// change its answer. A rule compiled against one scale judges answers on another only then.
    pub fn fits(&self, scale: &Scale) -> bool {
        match *self {
            Condition::Share(share) => scale.contains(share.lo) && scale.contains(share.hi),
            Condition::Stat { stat, value, .. } => {
                let on_points = matches!(
                    stat,
                    StatName::Median
                        | StatName::Mean
                        | StatName::Q1
                        | StatName::Q3
                        | StatName::P30
                        | StatName::P70
                );
                (!stat.needs_one_to_nine() || scale.is_one_to_nine())
                    && (!on_points
                        || (f64::from(scale.min())..=f64::from(scale.max())).contains(&value.value()))
            }
        }
    }

    /// Whether the condition depends on the distribution only through the counts of whole
    /// share ranges and the totals (true for share conditions and `n`).
    pub(super) fn depends_only_on_ranges(&self) -> bool {
        match self {
            Condition::Share(_) => true,
            Condition::Stat { stat, .. } => *stat == StatName::N,
        }
    }
}

/// A condition on the share of answers in a range of the scale:
/// `100 · (Σ_{lo≤v≤hi} c[v] (+ u)) / n  ⋈  percent`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShareCondition {
    pub lo: i32,
    pub hi: i32,
    pub with_unable: bool,
    pub op: Op,
    pub percent: Threshold,
}

/// `statistic.cmp(threshold)`, exactly; `None` when the statistic is undefined.
fn stat_ordering(
    stat: StatName,
    threshold: Ratio,
    counts: &Counts,
    quantiles: QuantileType,
    unable: UnablePolicy,
) -> Option<Ordering> {
    let value = match stat {
        StatName::Median => counts.exact_median()?,
        StatName::Mean => counts.exact_mean()?,
        StatName::Sd => return sd_ordering(counts.exact_variance()?, threshold),
        StatName::Iqr => counts.exact_iqr(quantiles)?,
        StatName::Q1 => counts.exact_quantile(25, quantiles)?,
        StatName::Q3 => counts.exact_quantile(75, quantiles)?,
        StatName::P30 => counts.exact_rand_ucla(quantiles)?.p30,
        StatName::P70 => counts.exact_rand_ucla(quantiles)?.p70,
        StatName::Ipr => counts.exact_rand_ucla(quantiles)?.ipr,
        StatName::Ipras => counts.exact_rand_ucla(quantiles)?.asymmetry?.ipras,
        StatName::Di => counts.exact_rand_ucla(quantiles)?.asymmetry?.di,
        StatName::N => Ratio::integer(i128::from(counts.n(unable))),
    };
    Some(value.cmp(&threshold))
}

/// Compares `sqrt(variance)` with the threshold through squares, which is exact and monotone
/// for a non-negative threshold; every standard deviation exceeds a negative one.
fn sd_ordering(variance: Ratio, threshold: Ratio) -> Option<Ordering> {
    if threshold.is_negative() {
        return Some(Ordering::Greater);
    }
    match threshold.checked_mul(threshold) {
        Some(square) => Some(variance.cmp(&square)),
        // Only a threshold beyond ~10^19 overflows; no scale of 101 points comes near it.
        None => Some(Ordering::Less),
    }
}
