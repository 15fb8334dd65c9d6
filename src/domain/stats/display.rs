//! How each statistic is shown to people: one number of decimals per statistic, shared by the
//! report, the workbook and the console (docs/exports.md, "Number formats"). Data files (CSV,
//! JSON) are not shown here: they keep every digit, for scripts.
//!
//! Rounding is half away from zero on the value's shortest decimal form, the rule spreadsheets
//! apply to a number format: a quartile of 7.25 reads 7.3 in the report and in Excel alike
//! (`format!("{:.1}")` would round the binary value half to even and print 7.2).

/// A kind of number, each with its own display. `Stat::Quantile` covers the quartiles and the
/// 30th and 70th percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// Counts, rounds, scores: whole numbers.
    Count,
    Mean,
    Sd,
    /// Always a multiple of 0.5 on an integer scale.
    Median,
    /// Q1, Q3, P30, P70: multiples of 0.25 (quartiles) or 0.1 (P30, P70) on an integer scale.
    Quantile,
    Iqr,
    Ipr,
    Ipras,
    Di,
    /// A share in percent (0–100), as every export carries shares: one decimal, so that a
    /// 69.6% share does not read as the 70% threshold it missed.
    Percent,
    /// A difference of two percentages, in percentage points, with its sign.
    PercentPoints,
    /// A difference of two medians, with its sign.
    MedianChange,
    /// A difference of two mean distances (drift's "toward the median"), with its sign.
    DistanceChange,
}

impl Stat {
    /// Digits after the decimal point.
    pub const fn decimals(self) -> usize {
        match self {
            Stat::Count => 0,
            Stat::Median | Stat::Quantile | Stat::Iqr | Stat::Percent => 1,
            Stat::PercentPoints | Stat::MedianChange => 1,
            Stat::Mean | Stat::Sd | Stat::Ipr | Stat::Ipras | Stat::Di | Stat::DistanceChange => 2,
        }
    }

    /// Whether a positive value is written with `+`: differences between rounds.
    pub const fn signed(self) -> bool {
        matches!(
            self,
            Stat::PercentPoints | Stat::MedianChange | Stat::DistanceChange
        )
    }

    /// The matching spreadsheet number format code (ECMA-376 `numFmt`), which rounds the
    /// stored value for display exactly as [`Stat::format`] does. Percentages are percent
    /// numbers (68.75), not fractions, so their format has no `%`: the column header says it.
    pub const fn number_format(self) -> &'static str {
        match (self.decimals(), self.signed()) {
            (0, _) => "0",
            (1, false) => "0.0",
            (1, true) => "+0.0;-0.0;0.0",
            (_, false) => "0.00",
            (_, true) => "+0.00;-0.00;0.00",
        }
    }

    /// `value` as shown, e.g. `7.5`, `0.82`, `+33.3`. A value that rounds to zero is `0.0`, never
    /// `-0.0` or `+0.0`.
    pub fn format(self, value: f64) -> String {
        let digits = round_half_away(value, self.decimals());
        let zero = digits.bytes().all(|b| b == b'0' || b == b'.' || b == b'-');
        match digits.strip_prefix('-') {
            Some(positive) if zero => positive.to_string(),
            None if self.signed() && !zero => format!("+{digits}"),
            _ => digits,
        }
    }

    /// As [`Stat::format`], or [`MISSING`] when there is no value (nobody scored the item, one
    /// score has no SD).
    pub fn show(self, value: Option<f64>) -> String {
        match value {
            Some(v) if v.is_finite() => self.format(v),
            _ => MISSING.to_string(),
        }
    }
}

/// Shown where a statistic has no value: an en dash, as tables in print have it.
pub const MISSING: &str = "–";

/// `mean(value)` is `Stat::Mean.show(value)`, and so on: the names reports and pages call.
macro_rules! shown {
    ($($(#[$doc:meta])* $name:ident => $stat:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(value: Option<f64>) -> String {
                Stat::$stat.show(value)
            }
        )*
    };
}

shown! {
    count => Count;
    mean => Mean;
    sd => Sd;
    median => Median;
    /// Q1, Q3, P30 or P70.
    quantile => Quantile;
    iqr => Iqr;
    ipr => Ipr;
    ipras => Ipras;
    di => Di;
}

/// A share given in percent (0–100): `69.6%`. Statuses are decided on the exact share
/// (`stats::Share`), never on this text.
pub fn percent(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{}%", Stat::Percent.format(v)),
        _ => MISSING.to_string(),
    }
}

/// `part` of `whole` in percent, `–` when `whole` is 0: response rates.
pub fn rate(part: usize, whole: usize) -> String {
    percent((whole > 0).then(|| 100.0 * part as f64 / whole as f64))
}

/// A change of a share between rounds, in percentage points: `+33.3`.
pub fn percent_points(value: Option<f64>) -> String {
    Stat::PercentPoints.show(value)
}

pub fn median_change(value: Option<f64>) -> String {
    Stat::MedianChange.show(value)
}

/// Drift's "toward the median" and "feedback shift": `+0.40`, `-1.75`.
pub fn distance_change(value: Option<f64>) -> String {
    Stat::DistanceChange.show(value)
}

/// The median with its quartiles, as tables in papers print it: `7.5 (7.0–8.3)`; the median
/// alone when the quartiles are missing.
pub fn median_quartiles(median: Option<f64>, q1: Option<f64>, q3: Option<f64>) -> String {
    match (median, q1, q3) {
        (Some(_), Some(_), Some(_)) => {
            format!("{} ({}–{})", self::median(median), quantile(q1), quantile(q3))
        }
        _ => self::median(median),
    }
}

/// `value` with `decimals` digits after the point, rounded half away from zero on its shortest
/// decimal form (the digits that read back to the same `f64`), so 1.005 rounds to 1.01 as a
/// reader and a spreadsheet expect. The result may be `-0.0`; `Stat::format` drops that sign.
fn round_half_away(value: f64, decimals: usize) -> String {
    // Display of an f64 never uses an exponent, so the digits are all there.
    let shortest = format!("{}", value.abs());
    let (whole, fraction) = shortest.split_once('.').unwrap_or((&shortest, ""));
    let mut digits: Vec<u8> = whole.bytes().collect();
    let mut kept: Vec<u8> = fraction.bytes().take(decimals).collect();
    kept.resize(decimals, b'0');
    digits.extend(&kept);
    if fraction.as_bytes().get(decimals).is_some_and(|d| *d >= b'5') {
        // Add one in the last kept place, carrying leftwards; 9.96 → 10.0.
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let point = digits.len() - decimals;
    let mut out = String::with_capacity(digits.len() + 2);
    if value.is_sign_negative() {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[..point]).unwrap_or("0"));
    if decimals > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&digits[point..]).unwrap_or("0"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statistic_has_one_format() {
        assert_eq!(count(Some(12.0)), "12");
        assert_eq!(mean(Some(6.666666666666667)), "6.67");
        assert_eq!(sd(Some(0.8366600265340756)), "0.84");
        assert_eq!(median(Some(7.0)), "7.0");
        assert_eq!(median(Some(7.5)), "7.5");
        assert_eq!(
            quantile(Some(7.25)),
            "7.3",
            "half away from zero, as spreadsheets"
        );
        assert_eq!(quantile(Some(7.75)), "7.8");
        assert_eq!(iqr(Some(1.75)), "1.8");
        assert_eq!(ipr(Some(1.2)), "1.20");
        assert_eq!(ipras(Some(6.025)), "6.03");
        assert_eq!(di(Some(0.029197080291970802)), "0.03");
        assert_eq!(percent(Some(69.6)), "69.6%");
        assert_eq!(percent(Some(200.0 / 3.0)), "66.7%");
        assert_eq!(percent(Some(100.0)), "100.0%");
        assert_eq!(percent_points(Some(33.333333333333336)), "+33.3");
        assert_eq!(percent_points(Some(-33.333333333333336)), "-33.3");
        assert_eq!(median_change(Some(-0.5)), "-0.5");
        assert_eq!(median_change(Some(0.0)), "0.0");
    }

    #[test]
    fn a_missing_value_is_a_dash_and_zero_has_no_sign() {
        for stat in [Stat::Mean, Stat::Median, Stat::Percent, Stat::PercentPoints] {
            assert_eq!(stat.show(None), MISSING);
            assert_eq!(stat.show(Some(f64::NAN)), MISSING);
        }
        assert_eq!(percent(None), "–");
        assert_eq!(mean(Some(-0.001)), "0.00");
        assert_eq!(percent_points(Some(-0.01)), "0.0");
        assert_eq!(percent_points(Some(0.04)), "0.0");
        assert_eq!(mean(Some(-1.005)), "-1.01");
    }

    #[test]
    fn rounding_carries_and_uses_the_shortest_decimal_form() {
        assert_eq!(round_half_away(9.96, 1), "10.0");
        assert_eq!(round_half_away(99.95, 1), "100.0");
        assert_eq!(round_half_away(0.05, 1), "0.1");
        assert_eq!(round_half_away(1.005, 2), "1.01");
        assert_eq!(round_half_away(2.5, 0), "3");
        assert_eq!(round_half_away(0.000_000_1, 2), "0.00");
        assert_eq!(round_half_away(7.0, 2), "7.00");
        assert_eq!(round_half_away(1e21, 1), "1000000000000000000000.0");
    }

    #[test]
    fn rates_and_median_with_quartiles() {
        assert_eq!(rate(5, 24), "20.8%");
        assert_eq!(rate(0, 0), "–");
        assert_eq!(
            median_quartiles(Some(7.5), Some(7.25), Some(8.75)),
            "7.5 (7.3–8.8)"
        );
        assert_eq!(median_quartiles(Some(8.0), None, None), "8.0");
        assert_eq!(median_quartiles(None, None, None), "–");
    }

    #[test]
    fn spreadsheet_formats_match_the_decimals() {
        assert_eq!(Stat::Count.number_format(), "0");
        assert_eq!(Stat::Median.number_format(), "0.0");
        assert_eq!(Stat::Quantile.number_format(), "0.0");
        assert_eq!(Stat::Percent.number_format(), "0.0");
        assert_eq!(Stat::Mean.number_format(), "0.00");
        assert_eq!(Stat::Di.number_format(), "0.00");
        assert_eq!(Stat::PercentPoints.number_format(), "+0.0;-0.0;0.0");
    }
}
