//! The four answers to a CHNRI question.

use crate::domain::named::named;
use crate::domain::stats::exact::Ratio;

named! {
    /// `undecided` is "informed but undecided"; `dont_know` is an expert saying the question is
    /// outside what they know, which (like no answer) counts nowhere.
    pub enum ChnriAnswer {
        Yes = "yes",
        Undecided = "undecided",
        No = "no",
        DontKnow = "dont_know",
    }
}

impl ChnriAnswer {
    /// Points towards the criterion score: yes 1, undecided 1/2, no 0; `None` for don't know,
    /// which is left out of the denominator as well.
    pub fn points(self) -> Option<Ratio> {
        match self {
            ChnriAnswer::Yes => Some(Ratio::integer(1)),
            ChnriAnswer::Undecided => Ratio::new(1, 2),
            ChnriAnswer::No => Some(Ratio::integer(0)),
            ChnriAnswer::DontKnow => None,
        }
    }
}
