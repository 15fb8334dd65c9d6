//! A study's time zone, in which deadlines are shown and set.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A valid IANA time zone name. Kept as the zone itself so that code showing deadlines never
/// has to handle a name that does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZoneName(chrono_tz::Tz);

impl TimeZoneName {
    /// The zone a study falls back to while its own name is reported as wrong.
    pub const UTC: TimeZoneName = TimeZoneName(chrono_tz::UTC);

    /// Exact (case-sensitive) IANA name, e.g. `Africa/Nairobi` or `UTC`.
    pub fn parse(name: &str) -> Option<Self> {
        name.parse::<chrono_tz::Tz>().ok().map(Self)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for TimeZoneName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for TimeZoneName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not an IANA time zone name")))
    }
}
