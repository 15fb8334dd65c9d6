//! A second, deliberately simple implementation of docs/statistics.md over sorted score lists,
//! written separately from src/domain so that the production code is checked, not repeated.

pub struct Stats {
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

/// Hyndman & Fan type 6 or 7 with p given in percent; h computed in integers (percent · m is
/// exact) so that the floor cannot be off by one.
pub fn quantile(sorted: &[f64], percent: u32, kind: u32) -> Option<f64> {
    let m = sorted.len() as i64;
    if m == 0 {
        return None;
    }
    // h = (m − 1)p + 1 (type 7) or (m + 1)p (type 6), as a fraction over 100.
    let h100 = match kind {
        7 => (m - 1) * percent as i64 + 100,
        _ => (m + 1) * percent as i64,
    };
    let h100 = h100.clamp(100, m * 100);
    let lo = (h100 / 100) as usize; // 1-based
    let frac = (h100 % 100) as f64 / 100.0;
    let x_lo = sorted[lo - 1];
    let x_hi = if lo < sorted.len() { sorted[lo] } else { x_lo };
    Some(x_lo + frac * (x_hi - x_lo))
}

impl Stats {
    pub fn of(scores: &[i32], _unable: usize, kind: u32) -> Stats {
        let mut x: Vec<f64> = scores.iter().map(|s| *s as f64).collect();
        x.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let m = x.len();
        let mean = (m > 0).then(|| x.iter().sum::<f64>() / m as f64);
        let sd = (m > 1).then(|| {
            let mu = mean.unwrap();
            (x.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (m - 1) as f64).sqrt()
        });
        let median = (m > 0).then(|| {
            if m % 2 == 1 {
                x[m / 2]
            } else {
                (x[m / 2 - 1] + x[m / 2]) / 2.0
            }
        });
        let q1 = quantile(&x, 25, kind);
        let q3 = quantile(&x, 75, kind);
        let p30 = quantile(&x, 30, kind);
        let p70 = quantile(&x, 70, kind);
        let ipr = p30.zip(p70).map(|(a, b)| b - a);
        let ipras = p30
            .zip(p70)
            .map(|(a, b)| 2.35 + 1.5 * (5.0 - (a + b) / 2.0).abs());
        Stats {
            mean,
            sd,
            median,
            q1,
            q3,
            iqr: q1.zip(q3).map(|(a, b)| b - a),
            p30,
            p70,
            ipr,
            ipras,
            di: ipr.zip(ipras).map(|(a, b)| a / b),
        }
    }
}

/// COMET on counts, with the comparisons done in integers.
pub fn comet(scores: &[i32]) -> &'static str {
    let n = scores.len();
    if n == 0 {
        return "none";
    }
    let top = scores.iter().filter(|s| (7..=9).contains(*s)).count();
    let bottom = scores.iter().filter(|s| (1..=3).contains(*s)).count();
    let in_ = top * 100 >= 70 * n && bottom * 100 < 15 * n;
    let out = bottom * 100 >= 70 * n && top * 100 < 15 * n;
    match (in_, out) {
        (true, false) => "in",
        (false, true) => "out",
        _ => "none",
    }
}

pub fn assert_close(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (None, None) => {}
        (Some(a), Some(e)) => assert!((a - e).abs() <= 1e-12 * e.abs().max(1.0), "{what}: {a} vs {e}"),
        _ => panic!("{what}: {actual:?} vs {expected:?}"),
    }
}
