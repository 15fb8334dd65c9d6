//! The study file's `[ranking]` table.

use serde::{Deserialize, Serialize};

use crate::domain::named::named;

named! {
    /// How the stakeholder groups' points make an item's score.
    ///
    /// `equal_groups` (the default) divides each group's points by that group's total, so every
    /// group that answered carries the same weight whatever its size: Delphi panels are seldom
    /// balanced (often many researchers, few policy makers), and a pooled sum would let the
    /// largest group decide the order alone. `pooled` adds the points of every expert.
    #[derive(Default)]
    pub enum Combine {
        #[default]
        EqualGroups = "equal_groups",
        Pooled = "pooled",
    }
}

/// `[ranking]` as checked: `choose ≥ 1`, `sections` naming sections of the study (empty: all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingSettings {
    pub choose: u32,
    #[serde(default)]
    pub combine: Combine,
    /// Only these sections' items are offered; empty offers every section's.
    #[serde(default)]
    pub sections: Vec<String>,
}

impl RankingSettings {
    /// Whether an item of section `key` may be offered.
    pub fn offers_section(&self, key: &str) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| s == key)
    }

    /// The points of position `p` (1-based): `choose − p + 1`; 0 outside `1..=choose`.
    pub fn points(&self, position: u32) -> u32 {
        if position == 0 || position > self.choose {
            0
        } else {
            self.choose - position + 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_fall_by_one_per_position() {
        let settings = RankingSettings {
            choose: 3,
            combine: Combine::default(),
            sections: Vec::new(),
        };
        assert_eq!(
            (0..=4).map(|p| settings.points(p)).collect::<Vec<_>>(),
            [0, 3, 2, 1, 0]
        );
        assert_eq!(Combine::default(), Combine::EqualGroups);
        assert!(settings.offers_section("any"));
    }
}
