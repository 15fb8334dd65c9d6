//! Items proposed by experts, and the facilitator's triage of them.

use crate::domain::named::named;

named! {
    /// pending → accepted (a new item), merged (into an existing item) or rejected (with a reason).
    pub enum SuggestionStatus {
        Pending = "pending",
        Accepted = "accepted",
        Merged = "merged",
        Rejected = "rejected",
    }
}
