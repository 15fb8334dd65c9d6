//! The round-cycle settings a study chooses in `[rounds]`: which items a new round asks again,
//! who is invited, and when reminders go out before a deadline.

use std::fmt;

use chrono::Duration;

use crate::domain::named::named;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

named! {
    /// Which items a new round asks about again.
    pub enum CarryForward {
        /// Only items that reached neither consensus in nor consensus out.
        Unresolved = "unresolved",
        All = "all",
    }
}

named! {
    /// Who is invited to a new round.
    pub enum InvitePolicy {
        /// Only experts who answered the previous round (the usual Delphi attrition rule).
        PreviousResponders = "previous_responders",
        All = "all",
    }
}

/// How long before a round's deadline an automatic reminder goes out: `3d`, `12h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReminderOffset {
    hours: u32,
    /// Written in days (`3d`) rather than hours; kept so the label reads as the user wrote it.
    in_days: bool,
}

/// A year: a longer offset is almost certainly a typo (`30d` meant as `3d` still passes).
const MAX_OFFSET_HOURS: u64 = 366 * 24;

impl ReminderOffset {
    /// `Nd` (days) or `Nh` (hours), N a whole number from 1; at most a year.
    pub fn parse(text: &str) -> Result<ReminderOffset, String> {
        let wrong = || {
            format!(
                "`{text}` is not a time before the deadline: write a whole number of days or hours, \
                 such as `3d` or `12h`"
            )
        };
        let trimmed = text.trim();
        let (number, in_days) = if let Some(n) = trimmed.strip_suffix('d') {
            (n, true)
        } else if let Some(n) = trimmed.strip_suffix('h') {
            (n, false)
        } else {
            return Err(wrong());
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(wrong());
        }
        let n: u64 = number.parse().map_err(|_| wrong())?;
        let hours = if in_days { n.saturating_mul(24) } else { n };
        if n == 0 {
            return Err(format!(
                "`{text}` is zero: a reminder at the deadline itself comes too late"
            ));
        }
        if hours > MAX_OFFSET_HOURS {
            return Err(format!("`{text}` is more than a year before the deadline"));
        }
        Ok(ReminderOffset {
            hours: hours as u32,
            in_days,
        })
    }

    pub fn duration(self) -> Duration {
        Duration::hours(i64::from(self.hours))
    }

    /// The canonical label (`3d`, `36h`), also the key under which a sent reminder is recorded.
    pub fn label(self) -> String {
        if self.in_days {
            format!("{}d", self.hours / 24)
        } else {
            format!("{}h", self.hours)
        }
    }
}

impl fmt::Display for ReminderOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for ReminderOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for ReminderOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ReminderOffset::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_offsets_parse_and_print() {
        assert_eq!(ReminderOffset::parse("3d").unwrap().duration(), Duration::days(3));
        assert_eq!(
            ReminderOffset::parse("12h").unwrap().duration(),
            Duration::hours(12)
        );
        assert_eq!(ReminderOffset::parse("3d").unwrap().label(), "3d");
        assert_eq!(ReminderOffset::parse("36h").unwrap().label(), "36h");
        for bad in [
            "3",
            "d",
            "-1d",
            "1.5d",
            "3 days",
            "3w",
            "",
            "0h",
            "400d",
            "99999999999999999999h",
        ] {
            assert!(ReminderOffset::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(ReminderOffset::parse("3x").unwrap_err().contains("`3x`"));
    }
}
