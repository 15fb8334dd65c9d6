//! The round cycle's decisions: which state a round is in and what may happen next, which items
//! go on to the next round, and when the study stops.

use serde::{Deserialize, Serialize};

use super::rule::Status;
use super::study_file::CarryForward;

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

/// An item of the previous round with its primary pooled status there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemCarry {
    pub item_id: i64,
    pub status: Status,
}

/// Items of the previous round that go on to the next one, in their previous order.
/// `unresolved` carries only items with no decision (`none`): an item already `in` or `out` is
/// settled and asking again would only invite drift. `all` re-rates everything, which some
/// protocols use to measure stability of decided items too.
pub fn carried_items(previous: &[ItemCarry], policy: CarryForward) -> Vec<i64> {
    previous
        .iter()
        .filter(|item| match policy {
            CarryForward::All => true,
            CarryForward::Unresolved => item.status == Status::None,
        })
        .map(|item| item.item_id)
        .collect()
}

/// Whether the study goes on after a round closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopDecision {
    Continue,
    /// Every item of the round reached `in` or `out` (and `stop_when_all_resolved` is on).
    AllResolved,
    /// The round was the last one `rounds.max` allows.
    MaxRounds,
}

impl StopDecision {
    pub fn reason(self) -> &'static str {
        match self {
            StopDecision::Continue => "continuing",
            StopDecision::AllResolved => "all items resolved",
            StopDecision::MaxRounds => "maximum number of rounds reached",
        }
    }
}

/// Decided after round `round` closes with `unresolved` items still at `none`. Reaching a
/// decision on every item wins over the round limit when both hold, because it is the more
/// informative reason to report.
pub fn stop_decision(
    round: u32,
    max_rounds: u32,
    unresolved: usize,
    stop_when_all_resolved: bool,
) -> StopDecision {
    if stop_when_all_resolved && unresolved == 0 {
        StopDecision::AllResolved
    } else if round >= max_rounds {
        StopDecision::MaxRounds
    } else {
        StopDecision::Continue
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

    #[test]
    fn carry_forward_policies() {
        let previous = [
            ItemCarry {
                item_id: 1,
                status: Status::In,
            },
            ItemCarry {
                item_id: 2,
                status: Status::None,
            },
            ItemCarry {
                item_id: 3,
                status: Status::Out,
            },
            ItemCarry {
                item_id: 4,
                status: Status::None,
            },
        ];
        assert_eq!(carried_items(&previous, CarryForward::Unresolved), vec![2, 4]);
        assert_eq!(carried_items(&previous, CarryForward::All), vec![1, 2, 3, 4]);
    }

    #[test]
    fn stopping_rule() {
        assert_eq!(stop_decision(1, 3, 5, true), StopDecision::Continue);
        assert_eq!(stop_decision(1, 3, 0, true), StopDecision::AllResolved);
        assert_eq!(stop_decision(1, 3, 0, false), StopDecision::Continue);
        assert_eq!(stop_decision(3, 3, 5, true), StopDecision::MaxRounds);
        assert_eq!(stop_decision(3, 3, 0, true), StopDecision::AllResolved);
        assert_eq!(stop_decision(4, 3, 1, false), StopDecision::MaxRounds);
    }
}
