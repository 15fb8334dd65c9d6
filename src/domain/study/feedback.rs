//! `[feedback]`: when, in rounds 2 and later, an expert sees the group's answers to an item.

use serde::{Deserialize, Serialize};

use crate::domain::named::named;

named! {
    /// `before` (default): the feedback shows from the start; `after_rating`: first only the
    /// expert's own previous score, the feedback once they have rated the item again (both
    /// answers kept: the pre-feedback and the final score).
    #[derive(Default)]
    pub enum FeedbackTiming {
        #[default]
        Before = "before",
        AfterRating = "after_rating",
    }
}

/// The `[feedback]` settings of a study; studies stored before the table existed get the
/// default, today's behaviour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackSettings {
    #[serde(default)]
    pub timing: FeedbackTiming,
}

impl FeedbackSettings {
    /// Left out of the study file written back and of the stored settings when default, so
    /// that studies that do not use it read exactly as before the table existed.
    pub fn is_default(&self) -> bool {
        *self == FeedbackSettings::default()
    }
}
