//! Every descriptive number of one item in one round, as published, each rounded once from its
//! exact value.

use serde::{Deserialize, Serialize};

use super::counts::{Counts, UnablePolicy};
use super::exact::Ratio;
use super::quantile::QuantileType;

impl Counts {
    pub fn statistics(&self, kind: QuantileType, policy: UnablePolicy) -> Statistics {
        Statistics::compute(self, kind, policy)
    }
}

/// Every descriptive number for one item in one round. `None` where the definition has
/// nothing to say: no scores (`m = 0`), `sd` with fewer than two, and the RAND/UCLA asymmetry
/// figures off the 1–9 scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// Denominator of shares under the unable policy.
    pub n: u64,
    /// Number of numeric scores.
    pub m: u64,
    /// Number of "unable to score" answers.
    pub unable: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// What results tables publish, and what closing a round stores.
    #[serde(flatten)]
    pub figures: Figures,
    pub iprcp: Option<f64>,
    pub ai: Option<f64>,
    /// RAND/UCLA disagreement: `di > 1`, decided exactly.
    pub disagreement: Option<bool>,
}

/// The figures of one item in one round that every results table prints (results.csv, the
/// API, the console, the report), in that order; each rounded once from its exact value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub iqr: Option<f64>,
    pub p30: Option<f64>,
    pub p70: Option<f64>,
    pub ipr: Option<f64>,
    pub ipras: Option<f64>,
    pub di: Option<f64>,
}

impl Figures {
    /// The column names, in order.
    pub const NAMES: [&'static str; 11] = [
        "mean", "sd", "median", "q1", "q3", "iqr", "p30", "p70", "ipr", "ipras", "di",
    ];

    /// The values in the order of `NAMES`.
    pub fn in_order(&self) -> [Option<f64>; 11] {
        [
            self.mean,
            self.sd,
            self.median,
            self.q1,
            self.q3,
            self.iqr,
            self.p30,
            self.p70,
            self.ipr,
            self.ipras,
            self.di,
        ]
    }
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
            min: counts.exact_min().map(|v| v as f64),
            max: counts.exact_max().map(|v| v as f64),
            figures: Figures {
                mean: f(counts.exact_mean()),
                // sqrt of the correctly rounded variance: at most one ulp from the exact root.
                sd: counts.exact_variance().map(|v| v.to_f64().sqrt()),
                median: f(counts.exact_median()),
                q1: f(q1),
                q3: f(q3),
                iqr: f(iqr),
                p30: f(rand.map(|r| r.p30)),
                p70: f(rand.map(|r| r.p70)),
                ipr: f(rand.map(|r| r.ipr)),
                ipras: f(asymmetry.map(|a| a.ipras)),
                di: f(asymmetry.map(|a| a.di)),
            },
            iprcp: f(asymmetry.map(|a| a.iprcp)),
            ai: f(asymmetry.map(|a| a.ai)),
            disagreement: rand.and_then(|r| r.disagreement()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::exact::Share;
    use super::super::quantile::QuantileType::{Seven, Six};
    use super::super::testing::{counts, q, sample};
    use super::*;
    use proptest::prelude::*;

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

    #[test]
    fn one_to_nine_once_each_type_7_and_type_6() {
        let c = counts(1, 9, &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let s7 = Statistics::compute(&c, Seven, UnablePolicy::Exclude);
        assert_eq!(s7.m, 9);
        assert_eq!(s7.figures.mean, Some(5.0));
        // Σ(v − 5)² = 60, 60 / 8 = 7.5.
        assert_eq!(s7.figures.sd, Some(7.5f64.sqrt()));
        assert_eq!(
            (s7.min, s7.max, s7.figures.median),
            (Some(1.0), Some(9.0), Some(5.0))
        );
        // Type 7: h = 8p + 1 → q1 at 3, q3 at 7, p30 at 3.4, p70 at 6.6.
        assert_eq!(
            (s7.figures.q1, s7.figures.q3, s7.figures.iqr),
            (Some(3.0), Some(7.0), Some(4.0))
        );
        assert_eq!((s7.figures.p30, s7.figures.p70), (Some(3.4), Some(6.6)));
        assert_eq!(s7.figures.ipr, Some(3.2));
        assert_eq!(
            (s7.iprcp, s7.ai, s7.figures.ipras),
            (Some(5.0), Some(0.0), Some(2.35))
        );
        // 3.2 / 2.35 = 64/47 exactly.
        assert_eq!(s7.figures.di, Some(64.0 / 47.0));
        assert_eq!(s7.disagreement, Some(true));

        // Type 6: h = 10p → q1 at 2.5, q3 at 7.5, p30 at 3, p70 at 7.
        let s6 = Statistics::compute(&c, Six, UnablePolicy::Exclude);
        assert_eq!(
            (s6.figures.q1, s6.figures.q3, s6.figures.iqr),
            (Some(2.5), Some(7.5), Some(5.0))
        );
        assert_eq!(
            (s6.figures.p30, s6.figures.p70, s6.figures.ipr),
            (Some(3.0), Some(7.0), Some(4.0))
        );
        assert_eq!(s6.figures.di, Some(80.0 / 47.0));
        assert_eq!(s6.figures.median, s7.figures.median);
    }

    #[test]
    fn empty_panel_has_no_statistics() {
        let mut c = counts(1, 9, &[]);
        c.record_unable();
        c.record_unable();
        let s = Statistics::compute(&c, Seven, UnablePolicy::Include);
        assert_eq!((s.n, s.m, s.unable), (2, 0, 2));
        assert_eq!(
            (
                s.figures.mean,
                s.figures.sd,
                s.min,
                s.max,
                s.figures.median,
                s.figures.q1,
                s.figures.p30,
                s.figures.di
            ),
            (None, None, None, None, None, None, None, None)
        );
        assert_eq!(s.disagreement, None);
        assert_eq!(Statistics::compute(&c, Seven, UnablePolicy::Exclude).n, 0);
        assert_eq!(c.share(1, 9, false, UnablePolicy::Exclude), None);
        assert_eq!(c.share(1, 9, false, UnablePolicy::Include), Share::new(0, 2));
    }

    #[test]
    fn a_million_ratings_are_counting_work() {
        // 10^6 ratings spread evenly over 1–5 (200,000 each), plus huge counts on 1–9.
        let c = Counts::from_slice(1, &[200_000; 5], 0);
        let s = Statistics::compute(&c, Seven, UnablePolicy::Exclude);
        assert_eq!(s.m, 1_000_000);
        assert_eq!(
            (s.figures.mean, s.figures.median, s.figures.q1, s.figures.q3),
            (Some(3.0), Some(3.0), Some(2.0), Some(4.0))
        );
        // Σ(v − 3)² = 10^6 · 2, divided by m − 1.
        assert_eq!(s.figures.sd, Some((2_000_000.0f64 / 999_999.0).sqrt()));

        let big = Counts::from_slice(1, &[1_000_000_000_000; 9], 0);
        let s = Statistics::compute(&big, Six, UnablePolicy::Exclude);
        assert_eq!((s.figures.mean, s.figures.median), (Some(5.0), Some(5.0)));
        assert!((s.figures.sd.unwrap() - (20.0f64 / 3.0).sqrt()).abs() < 1e-9);
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
                prop_assert_eq!(s.figures.mean, Some(naive_mean(&x)));
                prop_assert_eq!(s.figures.median, Some(naive_median(&x)));
                prop_assert_eq!(s.min, x.first().copied());
                prop_assert_eq!(s.max, x.last().copied());
                for p in [0u8, 10, 25, 30, 50, 70, 75, 90, 100] {
                    prop_assert_eq!(q(&c, p, kind), naive_quantile(&x, p, kind), "p = {}", p);
                }
                match s.figures.sd {
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
                    s.min.unwrap(), s.figures.q1.unwrap(), s.figures.median.unwrap(), s.figures.q3.unwrap(), s.max.unwrap(),
                );
                prop_assert!(lo_v <= q1 && q1 <= med && med <= q3 && q3 <= hi_v);
                prop_assert!(s.figures.p30.unwrap() <= s.figures.p70.unwrap());
                prop_assert!(s.figures.iqr.unwrap() >= 0.0);
                prop_assert!(s.figures.sd.is_none_or(|sd| sd >= 0.0));
                prop_assert!(lo_v <= s.figures.mean.unwrap() && s.figures.mean.unwrap() <= hi_v);
            }
            let share = c.share(lo, lo + len, false, UnablePolicy::Exclude).unwrap();
            prop_assert!((0.0..=100.0).contains(&share.percent()));
        }
    }
}
