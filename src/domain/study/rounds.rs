//! The `[rounds]` settings of a study and their defaults.

use serde::{Deserialize, Serialize};

use crate::domain::order::ItemOrder;
use crate::domain::round::policy::{CarryForward, InvitePolicy, ReminderOffset};

/// Round settings; each key left out of `[rounds]` (or the whole table) takes the default shown
/// on [`RoundsSettings::default`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundsSettings {
    pub max: u32,
    pub carry_forward: CarryForward,
    pub invite: InvitePolicy,
    /// Rounds in which experts may propose new items; sorted, no duplicates.
    pub suggestions_in: Vec<u32>,
    /// Ask "why?" when a score moves to another band.
    pub reason_on_band_change: bool,
    /// A stakeholder group's distribution is hidden when fewer experts of it responded.
    pub min_group_feedback: u32,
    pub stop_when_all_resolved: bool,
    /// Automatic reminders to non-submitters, this long before a round's deadline; earliest
    /// first. Studies stored before the key existed get the default.
    #[serde(default = "default_reminders")]
    pub reminders: Vec<ReminderOffset>,
    /// The scheduler closes a round whose deadline has passed.
    #[serde(default = "default_close_at_deadline")]
    pub close_at_deadline: bool,
    /// The order of the items on each expert's page (issue 16). This key and the four below
    /// are left out of the stored settings while default, so that studies which do not use
    /// them are stored and exported exactly as before they existed.
    #[serde(default, skip_serializing_if = "is_fixed")]
    pub order: ItemOrder,
    /// With a random order, keep the sections in the study's order.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sections_fixed: bool,
    /// Balanced subsets: each expert rates this many of a round's items; `None`: every item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_per_expert: Option<u32>,
    /// With `items_per_expert`: the close refuses an item with fewer raters.
    #[serde(default = "default_min_raters", skip_serializing_if = "is_default_min_raters")]
    pub min_raters: u32,
    /// What every draw of the study starts from (page orders, subsets); at most `i64::MAX`,
    /// the largest integer TOML can write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// `[rounds] min_raters` when the file leaves it out.
pub const DEFAULT_MIN_RATERS: u32 = 5;

fn default_min_raters() -> u32 {
    DEFAULT_MIN_RATERS
}

fn is_default_min_raters(n: &u32) -> bool {
    *n == DEFAULT_MIN_RATERS
}

fn is_fixed(order: &ItemOrder) -> bool {
    *order == ItemOrder::Fixed
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl RoundsSettings {
    /// Whether anything is drawn from the study's seed: a random order or subsets.
    pub fn draws(&self) -> bool {
        self.order == ItemOrder::Random || self.items_per_expert.is_some()
    }
}

fn default_reminders() -> Vec<ReminderOffset> {
    ["3d", "1d"]
        .iter()
        .filter_map(|text| ReminderOffset::parse(text).ok())
        .collect()
}

fn default_close_at_deadline() -> bool {
    true
}

impl Default for RoundsSettings {
    /// Three rounds, carrying forward unresolved items to previous responders, suggestions in
    /// round 1 only, as in most published COMET-style Delphi studies.
    fn default() -> Self {
        Self {
            max: 3,
            carry_forward: CarryForward::Unresolved,
            invite: InvitePolicy::PreviousResponders,
            suggestions_in: vec![1],
            reason_on_band_change: true,
            min_group_feedback: 3,
            stop_when_all_resolved: true,
            reminders: default_reminders(),
            close_at_deadline: default_close_at_deadline(),
            order: ItemOrder::Fixed,
            sections_fixed: false,
            items_per_expert: None,
            min_raters: DEFAULT_MIN_RATERS,
            seed: None,
        }
    }
}
