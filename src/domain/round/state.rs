//! The life of a round: draft, then open for answers, then closed for good.

use serde::{Deserialize, Serialize};

/// draft → open → closed; nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    Draft,
    Open,
    Closed,
}

impl RoundState {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundState::Draft => "draft",
            RoundState::Open => "open",
            RoundState::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<RoundState> {
        match text {
            "draft" => Some(RoundState::Draft),
            "open" => Some(RoundState::Open),
            "closed" => Some(RoundState::Closed),
            _ => None,
        }
    }

    /// Answers are accepted (and may still change) only while the round is open.
    pub fn accepts_answers(self) -> bool {
        self == RoundState::Open
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
        for state in [Draft, Open, Closed] {
            assert_eq!(RoundState::parse(state.as_str()), Some(state));
        }
    }
}
