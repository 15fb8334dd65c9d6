//! The round cycle's decisions: which state a round is in and what may happen next, which items
//! go on to the next round, and when the study stops.

use std::fmt;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// How long before a round's deadline an automatic reminder goes out: `3d`, `12h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReminderOffset {
    hours: u32,
    /// Written in days (`3d`) rather than hours; kept so the label reads as the user wrote it.
    in_days: bool,
}

/// A year: a longer offset is almost certainly a typo (`30d` meant as `3d` still passes).
const MAX_OFFSET_HOURS: u64 = 366 * 24;

impl ReminderOffset {
    /// `Nd` (days) or `Nh` (hours), N a whole number from 1; at most a year.
    pub fn parse(text: &str) -> Result<ReminderOffset, String> {
        let wrong = || {
            format!(
                "`{text}` is not a time before the deadline: write a whole number of days or hours, \
                 such as `3d` or `12h`"
            )
        };
        let trimmed = text.trim();
        let (number, in_days) = if let Some(n) = trimmed.strip_suffix('d') {
            (n, true)
        } else if let Some(n) = trimmed.strip_suffix('h') {
            (n, false)
        } else {
            return Err(wrong());
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(wrong());
        }
        let n: u64 = number.parse().map_err(|_| wrong())?;
        let hours = if in_days { n.saturating_mul(24) } else { n };
        if n == 0 {
            return Err(format!(
                "`{text}` is zero: a reminder at the deadline itself comes too late"
            ));
        }
        if hours > MAX_OFFSET_HOURS {
            return Err(format!("`{text}` is more than a year before the deadline"));
        }
        Ok(ReminderOffset {
            hours: hours as u32,
            in_days,
        })
    }

    pub fn duration(self) -> Duration {
        Duration::hours(i64::from(self.hours))
    }

    /// The canonical label (`3d`, `36h`), also the key under which a sent reminder is recorded.
    pub fn label(self) -> String {
        if self.in_days {
            format!("{}d", self.hours / 24)
        } else {
            format!("{}h", self.hours)
        }
    }
}

impl fmt::Display for ReminderOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for ReminderOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for ReminderOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ReminderOffset::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What the scheduler should do about one open round at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineAction {
    Nothing,
    /// The deadline has passed and the study closes rounds automatically.
    Close,
    /// Queue one reminder batch and record every listed offset as done. Several offsets come due
    /// together only when the scheduler was not running; experts then get one reminder, not a
    /// burst.
    Remind(Vec<ReminderOffset>),
}

/// An open round as the scheduler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineWatch<'a> {
    pub opened_at: NaiveDateTime,
    pub deadline: NaiveDateTime,
    pub close_at_deadline: bool,
    pub reminders: &'a [ReminderOffset],
}

/// Decides the scheduler's action. An offset is due from `deadline - offset` until the
/// deadline; one whose time had already passed when the round opened is skipped for good (a
/// two-day round does not get its three-day reminder the moment it opens). After the deadline no
/// reminder goes out, whether or not the round closes automatically.
pub fn deadline_action(
    watch: DeadlineWatch<'_>,
    already_sent: &[String],
    now: NaiveDateTime,
) -> DeadlineAction {
    if now >= watch.deadline {
        return if watch.close_at_deadline {
            DeadlineAction::Close
        } else {
            DeadlineAction::Nothing
        };
    }
    let due: Vec<ReminderOffset> = watch
        .reminders
        .iter()
        .copied()
        .filter(|offset| {
            let at = watch.deadline - offset.duration();
            at <= now && at >= watch.opened_at && !already_sent.contains(&offset.label())
        })
        .collect();
    if due.is_empty() {
        DeadlineAction::Nothing
    } else {
        DeadlineAction::Remind(due)
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

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    #[test]
    fn reminder_offsets_parse_and_print() {
        assert_eq!(ReminderOffset::parse("3d").unwrap().duration(), Duration::days(3));
        assert_eq!(
            ReminderOffset::parse("12h").unwrap().duration(),
            Duration::hours(12)
        );
        assert_eq!(ReminderOffset::parse("3d").unwrap().label(), "3d");
        assert_eq!(ReminderOffset::parse("36h").unwrap().label(), "36h");
        for bad in [
            "3",
            "d",
            "-1d",
            "1.5d",
            "3 days",
            "3w",
            "",
            "0h",
            "400d",
            "99999999999999999999h",
        ] {
            assert!(ReminderOffset::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(ReminderOffset::parse("3x").unwrap_err().contains("`3x`"));
    }

    #[test]
    fn the_scheduler_closes_after_the_deadline_only_when_asked() {
        let offsets = [ReminderOffset::parse("1d").unwrap()];
        let mut watch = DeadlineWatch {
            opened_at: at(1, 9),
            deadline: at(10, 17),
            close_at_deadline: true,
            reminders: &offsets,
        };
        assert_eq!(deadline_action(watch, &[], at(10, 17)), DeadlineAction::Close);
        watch.close_at_deadline = false;
        assert_eq!(deadline_action(watch, &[], at(11, 0)), DeadlineAction::Nothing);
    }

    #[test]
    fn reminders_come_due_once_and_skip_offsets_past_at_opening() {
        let offsets = [
            ReminderOffset::parse("3d").unwrap(),
            ReminderOffset::parse("1d").unwrap(),
        ];
        let watch = DeadlineWatch {
            opened_at: at(1, 9),
            deadline: at(10, 17),
            close_at_deadline: true,
            reminders: &offsets,
        };
        assert_eq!(deadline_action(watch, &[], at(7, 16)), DeadlineAction::Nothing);
        assert_eq!(
            deadline_action(watch, &[], at(7, 17)),
            DeadlineAction::Remind(vec![offsets[0]])
        );
        assert_eq!(
            deadline_action(watch, &["3d".into()], at(8, 0)),
            DeadlineAction::Nothing
        );
        assert_eq!(
            deadline_action(watch, &["3d".into()], at(9, 17)),
            DeadlineAction::Remind(vec![offsets[1]])
        );
        // The scheduler was down for both: one batch, both recorded.
        assert_eq!(
            deadline_action(watch, &[], at(10, 0)),
            DeadlineAction::Remind(offsets.to_vec())
        );
        // A two-day round: the three-day reminder was already past when it opened.
        let short = DeadlineWatch {
            opened_at: at(8, 17),
            ..watch
        };
        assert_eq!(deadline_action(short, &[], at(8, 18)), DeadlineAction::Nothing);
        assert_eq!(
            deadline_action(short, &[], at(9, 18)),
            DeadlineAction::Remind(vec![offsets[1]])
        );
    }
}
