//! The RAND/UCLA disagreement figures (Fitch et al. 2001, ch. 8): interpercentile range, and on
//! the 1–9 scale the asymmetry index and disagreement index around its midpoint 5.

use std::cmp::Ordering;

use super::counts::Counts;
use super::exact::Ratio;
use super::quantile::QuantileType;

impl Counts {
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

#[cfg(test)]
mod tests {
    use super::super::counts::UnablePolicy;
    use super::super::quantile::QuantileType::{Seven, Six};
    use super::super::statistics::Statistics;
    use super::super::testing::counts;
    use super::*;

    #[test]
    fn rand_ucla_asymmetry_only_on_the_one_to_nine_scale() {
        let c = counts(1, 5, &[1, 2, 3, 4, 5]);
        let s = Statistics::compute(&c, Seven, UnablePolicy::Exclude);
        assert_eq!((s.figures.p30, s.figures.p70), (Some(2.2), Some(3.8)));
        assert!((s.figures.ipr.unwrap() - 1.6).abs() < 1e-15);
        assert_eq!(
            (s.iprcp, s.ai, s.figures.ipras, s.figures.di),
            (None, None, None, None)
        );
        assert_eq!(s.disagreement, None);
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
            assert_eq!(s.figures.median, Some(7.0));
            assert_eq!(
                (s.figures.p30, s.figures.p70, s.figures.ipr),
                (Some(7.0), Some(8.0), Some(1.0))
            );
            assert_eq!(
                (s.iprcp, s.ai, s.figures.ipras),
                (Some(7.5), Some(2.5), Some(6.1))
            );
            // di = 1 / 6.1 = 10/61 exactly; `1.0 / 6.1` would divide by a rounded 6.1.
            assert_eq!(s.figures.di, Some(10.0 / 61.0));
            assert_eq!(s.disagreement, Some(false));
        }
    }
}
