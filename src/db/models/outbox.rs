use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = outbox)]
pub struct OutboxEmail {
    pub id: i64,
    pub idempotency_key: String,
    pub kind: String,
    pub study_id: Option<i64>,
    pub expert_id: Option<i64>,
    pub facilitator_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub headers: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub message_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewEmail {
    pub idempotency_key: String,
    pub kind: String,
    pub study_id: Option<i64>,
    pub expert_id: Option<i64>,
    pub facilitator_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub headers: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

macro_rules! enqueue_ignoring_duplicates {
    ($conn:expr, $rows:expr) => {
        diesel::insert_into(outbox::table)
            .values($rows)
            .on_conflict(outbox::idempotency_key)
            .do_nothing()
            .execute($conn)
    };
}

impl OutboxEmail {
    /// Queues emails; a key already queued is left as it is (and not counted), so queuing the
    /// same logical email twice — a retried request, a second instance — sends it once.
    pub fn enqueue(conn: &mut DbConnection, emails: &[NewEmail]) -> QueryResult<usize> {
        let mut queued = 0;
        for chunk in emails.chunks(2_000) {
            queued += match conn {
                DbConnection::Sqlite(c) => {
                    let mut n = 0;
                    for email in chunk {
                        n += enqueue_ignoring_duplicates!(&mut *c, email)?;
                    }
                    n
                }
                DbConnection::Postgres(c) => enqueue_ignoring_duplicates!(c, chunk)?,
            };
        }
        Ok(queued)
    }

    /// Queued and failed emails (not the ones sent or cancelled), oldest first.
    pub fn pending(conn: &mut DbConnection, study_id: Option<i64>) -> QueryResult<Vec<OutboxEmail>> {
        let mut query = outbox::table
            .filter(outbox::status.eq_any(["queued", "sending", "failed"]))
            .order(outbox::id.asc())
            .select(OutboxEmail::as_select())
            .into_boxed();
        if let Some(study_id) = study_id {
            query = query.filter(outbox::study_id.eq(study_id));
        }
        query.load(conn)
    }

    pub fn count_by_kind(conn: &mut DbConnection, study_id: i64, kind: &str) -> QueryResult<i64> {
        outbox::table
            .filter(outbox::study_id.eq(study_id))
            .filter(outbox::kind.eq(kind))
            .count()
            .get_result(conn)
    }
}
