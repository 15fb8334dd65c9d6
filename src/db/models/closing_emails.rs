use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::closing_emails;

/// The closing email of a finished study, queued once (the unique key on `study_id`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = closing_emails)]
pub struct ClosingEmail {
    pub id: i64,
    pub study_id: i64,
    pub queued_at: NaiveDateTime,
    pub queued_by: String,
    /// How many experts it was queued for.
    pub experts: i32,
}

lookups!(ClosingEmail in closing_emails {
    /// The study's closing email, if it was queued.
    of_study(study_id: i64) unique;
    /// Records that the closing email was queued, by whom and for how many experts.
    record(study_id: i64, queued_by: &str, experts: i32, queued_at: NaiveDateTime) inserts;
});
