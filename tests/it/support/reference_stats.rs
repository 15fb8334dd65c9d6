//! A second, deliberately simple implementation of docs/statistics.md over sorted score lists,
//! written separately from src/domain so that the production code is checked, not repeated.
//!
//! Every value is computed exactly as a fraction of integers and rounded to a double once at
//! the end, which is what "agrees to the last digit" means: the CSV must print exactly the
//! double nearest to the true value.

use std::collections::BTreeMap;

use crate::support::frac::Frac;

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

/// Hyndman & Fan type 6 or 7 with p in percent; h kept as the integer 100·h.
fn quantile(sorted: &[i64], percent: i64, kind: u32) -> Option<Frac> {
    let m = sorted.len() as i64;
    if m == 0 {
        return None;
    }
    let h100 = match kind {
        7 => (m - 1) * percent + 100,
        _ => (m + 1) * percent,
    }
    .clamp(100, m * 100);
    let lo = (h100 / 100) as usize; // 1-based
    let frac = Frac(i128::from(h100 % 100), 100);
    let x_lo = sorted[lo - 1];
    let x_hi = if lo < sorted.len() { sorted[lo] } else { x_lo };
    Some(Frac::int(x_lo).add(frac.mul(Frac::int(x_hi - x_lo))))
}

impl Stats {
    pub fn of(scores: &[i32], _unable: usize, kind: u32) -> Stats {
        let mut x: Vec<i64> = scores.iter().map(|s| i64::from(*s)).collect();
        x.sort();
        let m = x.len() as i64;
        let f = |v: Option<Frac>| v.map(Frac::to_f64);
        let mean = (m > 0).then(|| Frac::new(x.iter().map(|v| *v as i128).sum(), m as i128));
        let variance = (m > 1).then(|| {
            let mu = mean.unwrap();
            let squares = x.iter().fold(Frac::int(0), |acc, v| {
                let d = Frac::int(*v).sub(mu);
                acc.add(d.mul(d))
            });
            squares.div(Frac::int(m - 1))
        });
        let median = (m > 0).then(|| {
            let n = x.len();
            if n % 2 == 1 {
                Frac::int(x[n / 2])
            } else {
                Frac::int(x[n / 2 - 1] + x[n / 2]).div(Frac::int(2))
            }
        });
        let q1 = quantile(&x, 25, kind);
        let q3 = quantile(&x, 75, kind);
        let p30 = quantile(&x, 30, kind);
        let p70 = quantile(&x, 70, kind);
        let ipr = p30.zip(p70).map(|(a, b)| b.sub(a));
        // ipras = 2.35 + 1.5·|5 − (p30 + p70)/2|, all exact.
        let ipras = p30.zip(p70).map(|(a, b)| {
            let centre = a.add(b).div(Frac::int(2));
            Frac(235, 100).add(Frac(3, 2).mul(Frac::int(5).sub(centre).abs()))
        });
        Stats {
            mean: f(mean),
            // The square root of the correctly rounded variance: IEEE sqrt is correctly rounded.
            sd: variance.map(|v| v.to_f64().sqrt()),
            median: f(median),
            q1: f(q1),
            q3: f(q3),
            iqr: f(q1.zip(q3).map(|(a, b)| b.sub(a))),
            p30: f(p30),
            p70: f(p70),
            ipr: f(ipr),
            ipras: f(ipras),
            di: f(ipr.zip(ipras).map(|(a, b)| a.div(b))),
        }
    }
}

/// COMET on counts, with the comparisons done in integers.
pub fn comet(scores: &[i32]) -> &'static str {
    comet_like(scores, 7..=9, 1..=3)
}

/// COMET's shape on any scale: in when ≥ 70 % score in `top` and < 15 % in `bottom`, out the
/// other way round; the comparisons done in integers.
pub fn comet_like(
    scores: &[i32],
    top: std::ops::RangeInclusive<i32>,
    bottom: std::ops::RangeInclusive<i32>,
) -> &'static str {
    let n = scores.len();
    if n == 0 {
        return "none";
    }
    let top = scores.iter().filter(|s| top.contains(*s)).count();
    let bottom = scores.iter().filter(|s| bottom.contains(*s)).count();
    let in_ = top * 100 >= 70 * n && bottom * 100 < 15 * n;
    let out = bottom * 100 >= 70 * n && top * 100 < 15 * n;
    match (in_, out) {
        (true, false) => "in",
        (false, true) => "out",
        _ => "none",
    }
}

/// The CSV must hold exactly the double nearest to the true value: compared bit for bit.
pub fn assert_exact(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (None, None) => {}
        (Some(a), Some(e)) => assert_eq!(a.to_bits(), e.to_bits(), "{what}: {a} vs {e}"),
        _ => panic!("{what}: {actual:?} vs {expected:?}"),
    }
}

/// A results.csv row's counts for `scores` and `unable` "unable to rate" answers: `n`,
/// `unable`, `responded` (both), and `c{v}` for each point `v` of the scale. `what` names the
/// row.
pub fn assert_counts(
    row: &BTreeMap<String, String>,
    scores: &[i32],
    unable: usize,
    scale: std::ops::RangeInclusive<i32>,
    what: &str,
) {
    assert_eq!(row["n"], scores.len().to_string(), "{what}: n");
    assert_eq!(row["unable"], unable.to_string(), "{what}: unable");
    assert_eq!(
        row["responded"],
        (scores.len() + unable).to_string(),
        "{what}: responded"
    );
    for v in scale {
        let count = scores.iter().filter(|s| **s == v).count();
        assert_eq!(row[&format!("c{v}")], count.to_string(), "{what}: c{v}");
    }
}

/// A results.csv row's statistics (mean to di) and COMET status, checked against this
/// implementation for `scores` with quantiles of type `kind`. `what` names the row.
pub fn assert_row(row: &BTreeMap<String, String>, scores: &[i32], unable: usize, kind: u32, what: &str) {
    assert_figures(row, &Stats::of(scores, unable, kind), what);
    assert_eq!(row["status"], comet(scores), "{what}: COMET status");
}

/// The figures of a row on a scale other than 1–9, where IPRAS and DI (defined around 5 of
/// the 1–9 scale) stay empty; the status is the caller's to check, under its own rule.
pub fn assert_row_off_nine(
    row: &BTreeMap<String, String>,
    scores: &[i32],
    unable: usize,
    kind: u32,
    what: &str,
) {
    let stats = Stats {
        ipras: None,
        di: None,
        ..Stats::of(scores, unable, kind)
    };
    assert_figures(row, &stats, what);
}

fn assert_figures(row: &BTreeMap<String, String>, stats: &Stats, what: &str) {
    let num = |k: &str| -> Option<f64> { (!row[k].is_empty()).then(|| row[k].parse().unwrap()) };
    for (column, expected) in [
        ("mean", stats.mean),
        ("sd", stats.sd),
        ("median", stats.median),
        ("q1", stats.q1),
        ("q3", stats.q3),
        ("iqr", stats.iqr),
        ("p30", stats.p30),
        ("p70", stats.p70),
        ("ipr", stats.ipr),
        ("ipras", stats.ipras),
        ("di", stats.di),
    ] {
        assert_exact(num(column), expected, &format!("{what}: {column}"));
    }
}
