//! Where items and an expert stand in the round cycle: how an item came to the study and to a
//! round, and how far an invited expert has got.

use crate::domain::named::named;

named! {
    /// How an item came to the study.
    pub enum ItemOrigin {
        /// In the study file it was created from.
        StudyFile = "study_file",
        /// An items file imported later.
        Import = "import",
        /// Added on the console's content page.
        Editor = "editor",
        /// An expert's suggestion a facilitator accepted.
        Suggestion = "suggestion",
    }
}

named! {
    /// Where an item of a round comes from.
    pub enum Origin {
        /// Asked in the previous round and carried forward by `rounds.carry_forward`.
        Carried = "carried",
        /// An accepted suggestion of an expert, never asked yet.
        Suggestion = "suggestion",
        /// Imported, never asked yet.
        New = "new",
    }
}

named! {
    /// How far an invited expert has got in a round.
    pub enum Participation {
        Invited = "invited",
        Opened = "opened",
        InProgress = "in_progress",
        Submitted = "submitted",
        Withdrawn = "withdrawn",
    }
}
