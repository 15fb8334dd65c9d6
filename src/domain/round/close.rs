//! What follows when a round closes: which items go on to the next round, and whether the
//! study stops.

use super::policy::CarryForward;
use crate::domain::rule::Status;

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
    /// Every item reached `in` or `out` and none waits for its first round (and
    /// `stop_when_all_resolved` is on).
    AllResolved,
    /// Every item is decided, none is new, and only unresolved items are carried forward: a
    /// next round would have nothing to ask, whatever `stop_when_all_resolved` says.
    NothingLeft,
    /// The round was the last one `rounds.max` allows.
    MaxRounds,
}

impl StopDecision {
    pub fn reason(self) -> &'static str {
        match self {
            StopDecision::Continue => "continuing",
            StopDecision::AllResolved => "all items resolved",
            StopDecision::NothingLeft => "no item left to rate",
            StopDecision::MaxRounds => "maximum number of rounds reached",
        }
    }
}

/// What the stopping rule looks at when a round closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundOutcome {
    /// The round that just closed.
    pub round: u32,
    pub max_rounds: u32,
    /// Items of the round still at `none` under the primary rule.
    pub unresolved: usize,
    /// Items added to the study (imported, accepted suggestions) that no round has asked yet.
    pub waiting: usize,
    pub stop_when_all_resolved: bool,
    pub carry_forward: CarryForward,
}

/// Decided after a round closes. Reaching a decision on every item wins over the round limit
/// when both hold, because it is the more informative reason to report. Items waiting for their
/// first round keep the study going (until the round limit): stopping would leave them unrated.
pub fn stop_decision(outcome: RoundOutcome) -> StopDecision {
    let nothing_open = outcome.unresolved == 0 && outcome.waiting == 0;
    if nothing_open && outcome.stop_when_all_resolved {
        StopDecision::AllResolved
    } else if outcome.round >= outcome.max_rounds {
        StopDecision::MaxRounds
    } else if nothing_open && outcome.carry_forward == CarryForward::Unresolved {
        StopDecision::NothingLeft
    } else {
        StopDecision::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let outcome = |round, unresolved, waiting, stop, carry| RoundOutcome {
            round,
            max_rounds: 3,
            unresolved,
            waiting,
            stop_when_all_resolved: stop,
            carry_forward: carry,
        };
        use CarryForward::{All, Unresolved};
        use StopDecision::*;
        assert_eq!(stop_decision(outcome(1, 5, 0, true, Unresolved)), Continue);
        assert_eq!(stop_decision(outcome(1, 0, 0, true, Unresolved)), AllResolved);
        assert_eq!(stop_decision(outcome(3, 5, 0, true, Unresolved)), MaxRounds);
        assert_eq!(stop_decision(outcome(3, 0, 0, true, Unresolved)), AllResolved);
        // New items waiting for their first round keep the study going, up to the limit.
        assert_eq!(stop_decision(outcome(1, 0, 2, true, Unresolved)), Continue);
        assert_eq!(stop_decision(outcome(3, 0, 2, true, Unresolved)), MaxRounds);
        // Without the all-resolved stop, a study that re-rates everything goes on...
        assert_eq!(stop_decision(outcome(1, 0, 0, false, All)), Continue);
        // ...but one that only carries unresolved items has nothing left to ask.
        assert_eq!(stop_decision(outcome(1, 0, 0, false, Unresolved)), NothingLeft);
        assert_eq!(stop_decision(outcome(4, 1, 0, false, All)), MaxRounds);
    }
}
