//! Cells as spreadsheets and analysis scripts should read them.

/// A text cell, neutralised against spreadsheet formula injection: text that would start with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`. Numbers (e.g. `-1.5`) are
/// left alone, since they cannot run anything and scripts must read them as numbers.
pub fn text(value: &str) -> String {
    let dangerous = matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    // Only a plain finite number is safe to leave as it is: "-inf", "NaN" or "\t5" are text.
    let number = value.parse::<f64>().is_ok_and(f64::is_finite) && value.bytes().any(|b| b.is_ascii_digit());
    if dangerous && !number {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// A number with the shortest representation that reads back to the same double (so scripts
/// recompute identical values), or an empty cell for null.
pub fn number(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => {
            // Avoid "-0" for a zero difference.
            if v == 0.0 {
                "0".into()
            } else {
                format!("{v}")
            }
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_but_numbers_are_not() {
        let neutralised = [
            "=HYPERLINK(\"x\")",
            "+1 555",
            "@SUM(A1)",
            "\tx",
            "-inf",
            "\t5",
            "-",
        ];
        for value in neutralised {
            assert_eq!(text(value), format!("'{value}"), "{value:?}");
        }
        for value in ["-1.5", "+3", "Haemoglobin", ""] {
            assert_eq!(text(value), value, "{value:?}");
        }
    }

    #[test]
    fn numbers_round_trip() {
        assert_eq!(number(Some(7.0)), "7");
        assert_eq!(number(Some(7.5)), "7.5");
        assert_eq!(number(Some(-0.0)), "0");
        assert_eq!(number(None), "");
        let third = 1.0 / 3.0;
        assert_eq!(number(Some(third)).parse::<f64>().unwrap(), third);
    }
}
