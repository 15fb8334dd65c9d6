//! Exact fractions for the second implementations of the statistics (reference_stats, and the
//! CHNRI and ranking recomputations): every value is computed exactly and turned into a double
//! once, at the end, as the CSV prints it.

/// p/q, q > 0, in lowest terms when made by [`Frac::new`] or the arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frac(pub i128, pub i128);

impl Frac {
    pub fn new(p: i128, q: i128) -> Frac {
        fn gcd(a: i128, b: i128) -> i128 {
            if b == 0 {
                a.abs()
            } else {
                gcd(b, a % b)
            }
        }
        let (p, q) = if q < 0 { (-p, -q) } else { (p, q) };
        let g = gcd(p, q).max(1);
        Frac(p / g, q / g)
    }
    pub fn int(v: i64) -> Frac {
        Frac(v as i128, 1)
    }
    pub fn add(self, o: Frac) -> Frac {
        Frac::new(self.0 * o.1 + o.0 * self.1, self.1 * o.1)
    }
    pub fn sub(self, o: Frac) -> Frac {
        Frac::new(self.0 * o.1 - o.0 * self.1, self.1 * o.1)
    }
    pub fn mul(self, o: Frac) -> Frac {
        Frac::new(self.0 * o.0, self.1 * o.1)
    }
    pub fn div(self, o: Frac) -> Frac {
        Frac::new(self.0 * o.1, self.1 * o.0)
    }
    pub fn abs(self) -> Frac {
        Frac(self.0.abs(), self.1)
    }
    pub fn lt(self, o: Frac) -> bool {
        self.0 * o.1 < o.0 * self.1
    }
    /// The double nearest to p/q. Both fit in 2^53 for any panel a test builds, so the one
    /// division below is correctly rounded by IEEE 754.
    pub fn to_f64(self) -> f64 {
        assert!(
            self.0.abs() < (1 << 53) && self.1 < (1 << 53),
            "test values stay small"
        );
        self.0 as f64 / self.1 as f64
    }
    /// The value as a CSV cell prints it: the shortest form of the double, zero as `0`.
    pub fn cell(self) -> String {
        let v = self.0 as f64 / self.1 as f64;
        if v == 0.0 {
            "0".into()
        } else {
            format!("{v}")
        }
    }
}
