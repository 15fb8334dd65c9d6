//! The life of a round: draft, then open for answers, then closed for good.

use crate::domain::named::named;

named! {
    /// draft → open → closed; nothing else.
    pub enum RoundState {
        Draft = "draft",
        Open = "open",
        Closed = "closed",
    }
}

impl RoundState {
    /// Answers are accepted (and may still change) only while the round is open.
    pub fn accepts_answers(self) -> bool {
        self == RoundState::Open
    }

    /// Whether an expert's answers are taken: the panel's while the round is open; a test
    /// expert's also while it is a draft, which is how a questionnaire is rehearsed before it
    /// opens for real.
    pub fn takes_answers(self, test_expert: bool) -> bool {
        self.accepts_answers() || (test_expert && self == RoundState::Draft)
    }

    pub fn can_become(self, next: RoundState) -> bool {
        matches!(
            (self, next),
            (RoundState::Draft, RoundState::Open) | (RoundState::Open, RoundState::Closed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_only_move_forward() {
        use RoundState::*;
        assert!(Draft.can_become(Open));
        assert!(Open.can_become(Closed));
        for (from, to) in [
            (Closed, Open),
            (Open, Draft),
            (Closed, Draft),
            (Draft, Closed),
            (Open, Open),
        ] {
            assert!(!from.can_become(to), "{from:?} → {to:?}");
        }
        assert!(Open.accepts_answers());
        assert!(!Closed.accepts_answers() && !Draft.accepts_answers());
        assert!(Open.takes_answers(false) && Open.takes_answers(true));
        assert!(Draft.takes_answers(true) && !Draft.takes_answers(false));
        assert!(!Closed.takes_answers(true) && !Closed.takes_answers(false));
        for state in [Draft, Open, Closed] {
            assert_eq!(RoundState::parse(state.as_str()), Some(state));
        }
    }
}
