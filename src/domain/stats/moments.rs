//! Mean and sample variance, from integer sums over the counts.

use super::counts::Counts;
use super::exact::Ratio;

impl Counts {
    /// Integer sums of offsets from the lowest point: `(m, Σ c·o, Σ c·o²)`. Offsets (at most
    /// 100) rather than raw scores keep the variance numerator small; it is shift-invariant.
    fn moments(&self) -> Option<(i128, i128, i128)> {
        let mut m: i128 = 0;
        let mut s1: i128 = 0;
        let mut s2: i128 = 0;
        for (offset, &count) in self.per_point().iter().enumerate() {
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
        let sum = i128::from(self.min_point()).checked_mul(m)?.checked_add(s1)?;
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::counts;

    #[test]
    fn mean_is_one_correctly_rounded_division() {
        let c = counts(1, 9, &[1, 1, 2]);
        assert_eq!(c.exact_mean().unwrap().to_f64(), 4.0 / 3.0);
        let c = counts(-3, 3, &[-3, -2, 3]);
        assert_eq!(c.exact_mean().unwrap().to_f64(), -2.0 / 3.0);
        assert_eq!(c.exact_min(), Some(-3));
        assert_eq!(c.exact_max(), Some(3));
    }
}
