//! `[ideas]`: an ideas round before round 1, in which experts propose items (a text and an
//! optional rationale per proposal) for the facilitator to merge into items or set aside.

use serde::{Deserialize, Serialize};

use crate::domain::named::named;

/// The `[ideas]` settings of a study; a study without the table has no ideas round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeasSettings {
    /// What experts are asked (translated by `[translations.LANG] ideas_prompt`).
    pub prompt: String,
    /// Proposals per expert and section, at least 1.
    pub per_expert: u32,
    /// The sections experts may propose items for, in the study's order; every section when the
    /// file leaves the key out (written out in full by `to_toml_string`).
    pub sections: Vec<String>,
}

named! {
    /// Why the facilitator set a proposal aside, as written in `ideas.csv`'s `outcome` column.
    pub enum SetAside {
        OutOfScope = "out_of_scope",
        Duplicate = "duplicate",
        AlreadyAnswered = "already_answered",
        Unclear = "unclear",
    }
}
