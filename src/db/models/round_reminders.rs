use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::round_reminders;

/// An automatic reminder batch already queued for one offset before a round's deadline.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = round_reminders)]
pub struct RoundReminder {
    pub id: i64,
    pub round_id: i64,
    pub offset_label: String,
    pub queued_at: NaiveDateTime,
    pub reminded: i32,
}

lookups!(RoundReminder in round_reminders {
    of_round(round_id) by round_reminders::id.asc();
    /// Records the offset as done. The unique key (round, offset) is the last line of defence:
    /// a second scheduler that got this far would fail here and roll its emails back.
    record(round_id: i64, offset_label: &str, reminded: i32, queued_at: NaiveDateTime) inserts;
});
