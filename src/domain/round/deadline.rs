//! What the scheduler does about an open round as time passes: remind non-submitters before the
//! deadline, close the round after it.

use chrono::NaiveDateTime;

use super::policy::ReminderOffset;

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

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
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
