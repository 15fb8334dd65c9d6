//! Setting a study up with the console's forms instead of a study file. The form's fields are
//! filled from a starting point (blank, the example study, a template) or from a study's
//! settings, and turned back into a study file checked by exactly the rules `study create`
//! applies: every problem at once, each named by the form field it belongs to. The study file
//! stays the exchange format: a study made here exports a `study.toml` that `study create`
//! accepts back.
//!
//! `form` holds the form's fields and reads a posted form, `priorities` its priority-setting part
//! (method, criteria, CHNRI, ranking, ideas), `check` turns it into a study file, `starting` gives a new study's first form, `create` makes the study and `settings` saves the
//! Settings page.

mod check;
mod create;
mod form;
mod keys;
mod priorities;
mod scale_choice;
mod settings;
mod starting;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use create::create;
pub use form::{Label, Row, SetupForm, SPARE_ROWS};
pub use keys::slug_from;
pub use priorities::{ChnriRow, PriorityForm};
pub use scale_choice::ScaleChoice;
pub use settings::{items_inline, settings_state, update, SettingsState};
pub use starting::starting_form;

/// Where a new study starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Blank,
    /// The lactation example, with its items.
    Example,
    /// A COMET-style core outcome set.
    CoreOutcomeSet,
    /// A RAND/UCLA appropriateness panel.
    Appropriateness,
    /// Research priorities on a 1–5 scale.
    Priorities,
}

impl Start {
    pub const ALL: [Start; 5] = [
        Start::Blank,
        Start::Example,
        Start::CoreOutcomeSet,
        Start::Appropriateness,
        Start::Priorities,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Start::Blank => "blank",
            Start::Example => "example",
            Start::CoreOutcomeSet => "core-outcome-set",
            Start::Appropriateness => "appropriateness",
            Start::Priorities => "priorities",
        }
    }

    pub fn parse(text: &str) -> Option<Start> {
        Start::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A form field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(field: &str, message: impl Into<String>) -> Problem {
        Problem {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}
