//! The `[rounds]` settings of a study and their defaults.

use serde::{Deserialize, Serialize};

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
        }
    }
}
