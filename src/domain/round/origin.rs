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

impl Participation {
    /// How far an invited expert has got, from what their invitation records: submitted
    /// counts first (a withdrawn expert's submitted answers stand), then withdrawn, started,
    /// opened.
    pub fn of(submitted: bool, withdrawn: bool, started: bool, opened: bool) -> Participation {
        if submitted {
            Participation::Submitted
        } else if withdrawn {
            Participation::Withdrawn
        } else if started {
            Participation::InProgress
        } else if opened {
            Participation::Opened
        } else {
            Participation::Invited
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Participation;

    #[test]
    fn the_furthest_step_wins() {
        use Participation::*;
        assert_eq!(Participation::of(true, true, true, true), Submitted);
        assert_eq!(Participation::of(false, true, true, true), Withdrawn);
        assert_eq!(Participation::of(false, false, true, true), InProgress);
        assert_eq!(Participation::of(false, false, false, true), Opened);
        assert_eq!(Participation::of(false, false, false, false), Invited);
    }
}
