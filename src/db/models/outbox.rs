use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::outbox;
use crate::db::{in_chunks, DbConnection};
use crate::domain::outbox::{Delivery, NewEmail, OutboxStatus, INTERRUPTED};

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
    #[diesel(deserialize_as = String)]
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub message_id: Option<String>,
    pub created_at: NaiveDateTime,
}

lookups!(OutboxEmail in outbox {
    by_id;
});

/// The columns of a new outbox row.
macro_rules! columns {
    ($e:expr) => {
        (
            outbox::idempotency_key.eq(&$e.idempotency_key),
            outbox::kind.eq(&$e.kind),
            outbox::study_id.eq($e.study_id),
            outbox::expert_id.eq($e.expert_id),
            outbox::facilitator_id.eq($e.facilitator_id),
            outbox::recipient.eq(&$e.recipient),
            outbox::subject.eq(&$e.subject),
            outbox::body_text.eq(&$e.body_text),
            outbox::body_html.eq(&$e.body_html),
            outbox::headers.eq(&$e.headers),
            outbox::next_attempt_at.eq($e.next_attempt_at),
            outbox::created_at.eq($e.created_at),
        )
    };
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
        in_chunks(emails, 2_000, |chunk| match conn {
            DbConnection::Sqlite(c) => {
                let mut n = 0;
                for email in chunk {
                    n += enqueue_ignoring_duplicates!(&mut *c, columns!(email))?;
                }
                Ok(n)
            }
            DbConnection::Postgres(c) => {
                let rows: Vec<_> = chunk.iter().map(|email| columns!(email)).collect();
                enqueue_ignoring_duplicates!(c, rows)
            }
        })
    }

    /// Queued and failed emails (not the ones sent or cancelled), oldest first.
    pub fn pending(conn: &mut DbConnection, study_id: Option<i64>) -> QueryResult<Vec<OutboxEmail>> {
        let pending = [OutboxStatus::Queued, OutboxStatus::Sending, OutboxStatus::Failed];
        OutboxEmail::listed(conn, study_id, Some(&pending))
    }

    /// The emails of a study (or all), oldest first; only those in `statuses` when given.
    fn listed(
        conn: &mut DbConnection,
        study_id: Option<i64>,
        statuses: Option<&[OutboxStatus]>,
    ) -> QueryResult<Vec<OutboxEmail>> {
        let mut query = outbox::table
            .order(outbox::id.asc())
            .select(OutboxEmail::as_select())
            .into_boxed();
        if let Some(study_id) = study_id {
            query = query.filter(outbox::study_id.eq(study_id));
        }
        if let Some(statuses) = statuses {
            query =
                query.filter(outbox::status.eq_any(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
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

impl OutboxEmail {
    /// Claims up to `limit` due emails for `worker` and commits the claim before anything is
    /// sent, so a second worker (or process) never picks the same row. PostgreSQL skips rows
    /// another worker is claiming (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time,
    /// which `BEGIN IMMEDIATE` gives us.
    pub fn claim_due(
        conn: &mut DbConnection,
        worker: &str,
        limit: i64,
        at: NaiveDateTime,
    ) -> QueryResult<Vec<OutboxEmail>> {
        crate::db::write_transaction(conn, |conn| {
            let due = outbox::table
                .filter(outbox::status.eq(OutboxStatus::Queued.as_str()))
                .filter(outbox::next_attempt_at.le(at))
                .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
                .limit(limit)
                .select(outbox::id);
            let ids: Vec<i64> = match conn {
                DbConnection::Postgres(c) => due.for_update().skip_locked().load(c)?,
                DbConnection::Sqlite(c) => due.load(c)?,
            };
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set((
                    outbox::status.eq(OutboxStatus::Sending.as_str()),
                    outbox::claimed_by.eq(worker),
                    outbox::claimed_at.eq(at),
                ))
                .execute(conn)?;
            outbox::table
                .filter(outbox::id.eq_any(&ids))
                .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
                .select(OutboxEmail::as_select())
                .load(conn)
        })
    }

    /// Records the outcome of an attempt on a claimed row. A sent email keeps no personal
    /// link: `scrubbed_text`, `scrubbed_html` and `scrubbed_headers` replace the stored bodies.
    pub fn record(
        conn: &mut DbConnection,
        email: &OutboxEmail,
        delivery: &Delivery,
        scrubbed: Option<(String, Option<String>, Option<String>)>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let row = outbox::table
            .find(email.id)
            .filter(outbox::status.eq(OutboxStatus::Sending.as_str()));
        match delivery {
            Delivery::Sent { message_id, .. } => {
                let (text, html, headers) = scrubbed.unwrap_or_else(|| {
                    (
                        email.body_text.clone(),
                        email.body_html.clone(),
                        email.headers.clone(),
                    )
                });
                diesel::update(row)
                    .set((
                        outbox::status.eq(OutboxStatus::Sent.as_str()),
                        outbox::attempts.eq(email.attempts + 1),
                        outbox::sent_at.eq(at),
                        outbox::message_id.eq(message_id),
                        outbox::last_error.eq(None::<String>),
                        outbox::body_text.eq(text),
                        outbox::body_html.eq(html),
                        outbox::headers.eq(headers),
                    ))
                    .execute(conn)
            }
            Delivery::Retry {
                error,
                next_attempt_at,
            } => diesel::update(row)
                .set((
                    outbox::status.eq(OutboxStatus::Queued.as_str()),
                    outbox::attempts.eq(email.attempts + 1),
                    outbox::next_attempt_at.eq(next_attempt_at),
                    outbox::last_error.eq(error),
                    outbox::claimed_by.eq(None::<String>),
                    outbox::claimed_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn),
            Delivery::Failed { error } => diesel::update(row)
                .set((
                    outbox::status.eq(OutboxStatus::Failed.as_str()),
                    outbox::attempts.eq(email.attempts + 1),
                    outbox::last_error.eq(error),
                ))
                .execute(conn),
        }
    }

    /// Rows claimed before `claimed_before` and still `sending` belong to a process that died
    /// mid-send: the server may or may not have the message, so they are marked failed rather
    /// than sent again (at most once), for a facilitator to resend by hand.
    pub fn fail_interrupted(conn: &mut DbConnection, claimed_before: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(
            outbox::table
                .filter(outbox::status.eq(OutboxStatus::Sending.as_str()))
                .filter(outbox::claimed_at.lt(claimed_before)),
        )
        .set((
            outbox::status.eq(OutboxStatus::Failed.as_str()),
            outbox::last_error.eq(INTERRUPTED),
        ))
        .execute(conn)
    }

    /// Every email of a study (or all), oldest first; for tests and the CLI.
    pub fn all(conn: &mut DbConnection, study_id: Option<i64>) -> QueryResult<Vec<OutboxEmail>> {
        OutboxEmail::listed(conn, study_id, None)
    }
}

impl OutboxEmail {
    /// Cancels the emails still waiting for an expert (who has just left the study).
    pub fn cancel_queued_for_expert(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::update(
            outbox::table
                .filter(outbox::expert_id.eq(expert_id))
                .filter(outbox::status.eq(OutboxStatus::Queued.as_str())),
        )
        .set((
            outbox::status.eq(OutboxStatus::Cancelled.as_str()),
            outbox::last_error.eq("cancelled: the expert left the study"),
        ))
        .execute(conn)
    }
}

impl OutboxEmail {
    /// Cancels the emails still waiting that carry a link of invitation `invitation_id`
    /// (invitation, resends, reminders, new links), whose links have just been revoked.
    pub fn cancel_queued_links_of_invitation(
        conn: &mut DbConnection,
        invitation_id: i64,
        reason: &str,
    ) -> QueryResult<usize> {
        let id = invitation_id;
        diesel::update(
            outbox::table
                .filter(outbox::status.eq(OutboxStatus::Queued.as_str()))
                .filter(
                    outbox::idempotency_key
                        .eq(format!("invitation:{id}"))
                        .or(outbox::idempotency_key.like(format!("invitation:{id}:%")))
                        .or(outbox::idempotency_key.like(format!("reminder:{id}:%")))
                        .or(outbox::idempotency_key.like(format!("new_link:{id}:%"))),
                ),
        )
        .set((
            outbox::status.eq(OutboxStatus::Cancelled.as_str()),
            outbox::last_error.eq(reason),
        ))
        .execute(conn)
    }
}

impl OutboxEmail {
    /// Emails queued or being sent; queued and due at `at`; failed for good.
    pub fn depth(conn: &mut DbConnection, at: NaiveDateTime) -> QueryResult<(i64, i64, i64)> {
        let queued = outbox::table
            .filter(outbox::status.eq_any([OutboxStatus::Queued.as_str(), OutboxStatus::Sending.as_str()]))
            .count()
            .get_result(conn)?;
        let due = outbox::table
            .filter(outbox::status.eq(OutboxStatus::Queued.as_str()))
            .filter(outbox::next_attempt_at.le(at))
            .count()
            .get_result(conn)?;
        let failed = outbox::table
            .filter(outbox::status.eq(OutboxStatus::Failed.as_str()))
            .count()
            .get_result(conn)?;
        Ok((queued, due, failed))
    }

    /// Deletes every email to the expert (queued, sent, failed or cancelled: recipient and body
    /// carry their identity), and those of the study addressed to `email`; a row being sent
    /// right now is left to its worker and to retention. Returns (queued dropped, all deleted).
    pub fn delete_for_expert(
        conn: &mut DbConnection,
        study_id: i64,
        expert_id: i64,
        email: Option<&str>,
    ) -> QueryResult<(usize, usize)> {
        let mine = |statuses: &[OutboxStatus]| {
            let status: Vec<&'static str> = statuses.iter().map(|s| s.as_str()).collect();
            let mut query = outbox::table
                .filter(outbox::status.eq_any(status.clone()))
                .filter(outbox::expert_id.eq(expert_id))
                .select(outbox::id)
                .into_boxed();
            if let Some(email) = email {
                query = query.or_filter(
                    outbox::study_id
                        .eq(study_id)
                        .and(outbox::recipient.eq(email.to_string()))
                        .and(outbox::status.eq_any(status)),
                );
            }
            query
        };
        use OutboxStatus::{Cancelled, Failed, Queued, Sent};
        let queued: Vec<i64> = mine(&[Queued]).load(conn)?;
        let all: Vec<i64> = mine(&[Queued, Sent, Failed, Cancelled]).load(conn)?;
        let deleted = diesel::delete(outbox::table.filter(outbox::id.eq_any(&all))).execute(conn)?;
        Ok((queued.len(), deleted))
    }

    /// Retention: deletes sent and cancelled emails older than `before` (by when they were
    /// sent, or queued when never sent), and failed ones queued before `failed_before`.
    pub fn purge(
        conn: &mut DbConnection,
        before: Option<NaiveDateTime>,
        failed_before: Option<NaiveDateTime>,
    ) -> QueryResult<(usize, usize)> {
        let sent = match before {
            Some(before) => diesel::delete(
                outbox::table.filter(
                    outbox::status
                        .eq(OutboxStatus::Sent.as_str())
                        .and(outbox::sent_at.lt(before))
                        .or(outbox::status
                            .eq(OutboxStatus::Cancelled.as_str())
                            .and(outbox::created_at.lt(before))),
                ),
            )
            .execute(conn)?,
            None => 0,
        };
        let failed = match failed_before {
            Some(before) => diesel::delete(
                outbox::table
                    .filter(outbox::status.eq(OutboxStatus::Failed.as_str()))
                    .filter(outbox::created_at.lt(before)),
            )
            .execute(conn)?,
            None => 0,
        };
        Ok((sent, failed))
    }
}
