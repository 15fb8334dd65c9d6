//! Times as people read and type them: in the study's time zone, while everything stored is UTC.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// `2026-12-01 17:00 (Africa/Nairobi)`: a UTC time in the study's zone, named.
pub fn local_time(tz: Tz, utc: NaiveDateTime) -> String {
    let local = utc.and_utc().with_timezone(&tz);
    format!("{} ({})", local.format("%Y-%m-%d %H:%M"), tz.name())
}

/// Why a typed deadline was refused; the message names what was typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error(
        "{0:?} is not an RFC 3339 time such as 2026-12-01T17:00:00+03:00, nor a date and time in \
         the study's time zone such as 2026-12-01T17:00"
    )]
    Unreadable(String),
    #[error("{0} does not exist in {1} (a clock change); choose another time")]
    Skipped(String, String),
}

/// A deadline as typed: RFC 3339 with an offset (`2026-12-01T17:00:00+03:00`, the command line
/// and the API), or a local date and time without one (`2026-12-01T17:00`, what a browser's
/// date-time field sends), read in the study's zone `tz`. Returns UTC.
pub fn parse_deadline(text: &str, tz: Tz) -> Result<NaiveDateTime, DeadlineError> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc).naive_utc());
    }
    let local = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .ok_or_else(|| DeadlineError::Unreadable(text.to_string()))?;
    // In the hour a clock goes back, the earlier of the two; in the hour it skips, none.
    tz.from_local_datetime(&local)
        .earliest()
        .map(|zoned| zoned.naive_utc())
        .ok_or_else(|| DeadlineError::Skipped(text.to_string(), tz.name().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn offsets_win_and_local_times_are_read_in_the_zone() {
        let nairobi: Tz = "Africa/Nairobi".parse().unwrap();
        assert_eq!(
            parse_deadline("2026-12-01T17:00:00+01:00", nairobi).unwrap(),
            utc("2026-12-01 16:00")
        );
        assert_eq!(
            parse_deadline("2026-12-01T17:00", nairobi).unwrap(),
            utc("2026-12-01 14:00")
        );
        assert_eq!(
            parse_deadline(" 2026-12-01 17:00:30 ", nairobi).unwrap(),
            utc("2026-12-01 14:00") + chrono::Duration::seconds(30)
        );
        assert_eq!(
            local_time(nairobi, utc("2026-12-01 14:00")),
            "2026-12-01 17:00 (Africa/Nairobi)"
        );
    }

    #[test]
    fn bad_and_skipped_times_are_named() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let err = parse_deadline("next friday", paris).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("\"next friday\" is not an RFC 3339 time"),
            "{err}"
        );
        // 2026-03-29 02:30 does not exist in Paris: the clocks jump from 02:00 to 03:00.
        let err = parse_deadline("2026-03-29T02:30", paris).unwrap_err();
        assert_eq!(
            err,
            DeadlineError::Skipped("2026-03-29T02:30".into(), "Europe/Paris".into())
        );
        assert!(err.to_string().contains("does not exist in Europe/Paris"));
    }

    proptest! {
        #[test]
        fn a_local_time_reads_back_as_written(minutes in 0i64..(60 * 24 * 365 * 5)) {
            let tz: Tz = "America/Sao_Paulo".parse().unwrap();
            let at = utc("2025-01-01 00:00") + chrono::Duration::minutes(minutes);
            let shown = at.and_utc().with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
            let back = parse_deadline(&shown, tz).unwrap();
            // The one ambiguous hour a year reads as its earlier instance.
            prop_assert!(back == at || back + chrono::Duration::hours(1) == at);
        }
    }
}
