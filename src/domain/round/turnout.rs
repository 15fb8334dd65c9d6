//! How many of a round's invited experts responded, by the one definition every page and file
//! uses (docs/statistics.md, "Who responded"): an expert **responded** to a round when they
//! answered at least one of its items with a score or "unable to score" — the definition of the
//! exports contract (`responded` in results.csv), of the invitation policy
//! `previous_responders` and of the attrition check, and the answers the results are computed
//! from, submitted or not. Responders are told apart by whether they also pressed Submit.

use serde::Serialize;

/// Invited experts of a round (or of one stakeholder group in it) and how they responded;
/// `responded = submitted + answered_not_submitted` always.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Turnout {
    pub invited: usize,
    /// Answered at least one item (a score or "unable to score").
    pub responded: usize,
    /// Responders who also submitted their answers.
    pub submitted: usize,
    /// Responders who did not submit: their answers are saved and count all the same.
    pub answered_not_submitted: usize,
}

impl Turnout {
    /// Counts one invited expert. An expert who submitted without answering anything did not
    /// respond: there is nothing of theirs in the results.
    pub fn add(&mut self, answered: bool, submitted: bool) {
        self.invited += 1;
        if answered {
            self.responded += 1;
            if submitted {
                self.submitted += 1;
            } else {
                self.answered_not_submitted += 1;
            }
        }
    }

    /// Responders per invited expert, in whole percent (0 when nobody was invited).
    pub fn rate(&self) -> u32 {
        if self.invited == 0 {
            0
        } else {
            // Exact integer rounding, half up: (200·r + i) / (2·i).
            ((200 * self.responded + self.invited) / (2 * self.invited)) as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Turnout;

    #[test]
    fn responders_split_into_submitted_and_answered_without_submitting() {
        let mut t = Turnout::default();
        for (answered, submitted) in [(true, true); 4] {
            t.add(answered, submitted);
        }
        t.add(true, false);
        t.add(false, true); // submitted a blank form: not a responder
        t.add(false, false);
        assert_eq!(
            t,
            Turnout {
                invited: 7,
                responded: 5,
                submitted: 4,
                answered_not_submitted: 1
            }
        );
        assert_eq!(t.responded, t.submitted + t.answered_not_submitted);
        assert_eq!(t.rate(), 71);
    }

    #[test]
    fn rate_rounds_half_up_and_survives_an_empty_round() {
        let rate = |responded, invited| {
            let mut t = Turnout::default();
            for i in 0..invited {
                t.add(i < responded, false);
            }
            t.rate()
        };
        assert_eq!(rate(0, 0), 0);
        assert_eq!(rate(1, 3), 33);
        assert_eq!(rate(2, 3), 67);
        assert_eq!(rate(1, 8), 13);
        assert_eq!(rate(5, 5), 100);
        assert_eq!(rate(4, 5), 80);
    }
}
