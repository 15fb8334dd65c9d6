//! Delivery history (`deliveries`: what became of each email after the outbox handed it over)
//! and the addresses that bounced for good (`undeliverable`), issue 18.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::models::outbox::OutboxEmail;
use crate::db::schema::{deliveries, experts, outbox, undeliverable};
use crate::db::DbConnection;
use crate::domain::delivery::DeliveryEvent;
use crate::domain::outbox::OutboxStatus;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRecord {
    pub id: i64,
    pub outbox_id: i64,
    #[diesel(deserialize_as = String)]
    pub event: DeliveryEvent,
    pub status: Option<String>,
    pub detail: String,
    pub at: NaiveDateTime,
}

/// One entry of an email's history as written; only a message received has a fingerprint.
#[derive(Insertable)]
#[diesel(table_name = deliveries)]
struct NewDelivery<'a> {
    outbox_id: i64,
    event: &'a str,
    status: Option<&'a str>,
    detail: &'a str,
    at: NaiveDateTime,
    fingerprint: Option<&'a str>,
}

impl<'a> NewDelivery<'a> {
    /// An entry of the outbox's own attempts, which have no fingerprint.
    fn sent(
        outbox_id: i64,
        event: DeliveryEvent,
        status: Option<&'a str>,
        detail: &'a str,
        at: NaiveDateTime,
    ) -> Self {
        NewDelivery {
            outbox_id,
            event: event.as_str(),
            status,
            detail,
            at,
            fingerprint: None,
        }
    }
}

lookups!(DeliveryRecord in deliveries {
    /// The entry of the message with this fingerprint received for email `outbox_id`.
    by_fingerprint(outbox_id: i64, fingerprint: &str) unique;
});

impl DeliveryRecord {
    pub fn insert(
        conn: &mut DbConnection,
        outbox_id: i64,
        event: DeliveryEvent,
        status: Option<&str>,
        detail: &str,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let entry = NewDelivery::sent(outbox_id, event, status, detail, at);
        diesel::insert_into(deliveries::table)
            .values(&entry)
            .execute(conn)
    }

    /// Records a bounce or auto-reply received, unless one with this `fingerprint` is already
    /// recorded for the email (`false` then). The unique index decides, so of two deliveries of the same
    /// message at once one is recorded: the other waits for it and finds it there.
    pub fn insert_received(
        conn: &mut DbConnection,
        outbox_id: i64,
        event: DeliveryEvent,
        status: Option<&str>,
        detail: &str,
        fingerprint: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let entry = NewDelivery {
            fingerprint: Some(fingerprint),
            ..NewDelivery::sent(outbox_id, event, status, detail, at)
        };
        let inserted = crate::db::natively!(conn, |c| diesel::insert_into(deliveries::table)
            .values(&entry)
            // ON CONFLICT is written per backend: the multi-backend connection has no such clause.
            .on_conflict((deliveries::outbox_id, deliveries::fingerprint))
            .do_nothing()
            .execute(c))?;
        Ok(inserted == 1)
    }

    /// The history of every email of a study, with each email's expert and kind, oldest first.
    pub fn of_study(
        conn: &mut DbConnection,
        study_id: i64,
    ) -> QueryResult<Vec<(DeliveryRecord, Option<i64>, String)>> {
        deliveries::table
            .inner_join(outbox::table)
            .filter(outbox::study_id.eq(study_id))
            .order((deliveries::at.asc(), deliveries::id.asc()))
            .select((DeliveryRecord::as_select(), outbox::expert_id, outbox::kind))
            .load(conn)
    }

    /// How many entries of `event` the emails of a study have.
    pub fn count_of_study(conn: &mut DbConnection, study_id: i64, event: DeliveryEvent) -> QueryResult<i64> {
        deliveries::table
            .inner_join(outbox::table)
            .filter(outbox::study_id.eq(study_id))
            .filter(deliveries::event.eq(event.as_str()))
            .count()
            .get_result(conn)
    }
}

impl OutboxEmail {
    /// The email that was sent with this `Message-ID`.
    pub fn by_message_id(conn: &mut DbConnection, message_id: &str) -> QueryResult<Option<OutboxEmail>> {
        outbox::table
            .filter(outbox::message_id.eq(message_id))
            .select(OutboxEmail::as_select())
            .first(conn)
            .optional()
    }

    /// A sent email bounced for good: failed, with the remote server's reason.
    pub fn mark_bounced(conn: &mut DbConnection, id: i64, reason: &str) -> QueryResult<usize> {
        diesel::update(outbox::table.find(id))
            .set((
                outbox::status.eq(OutboxStatus::Failed.as_str()),
                outbox::last_error.eq(reason),
            ))
            .execute(conn)
    }
}

/// An expert's address that bounced for good.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = undeliverable)]
pub struct Undeliverable {
    pub expert_id: i64,
    pub address: String,
    pub reason: String,
    pub outbox_id: Option<i64>,
    pub marked_at: NaiveDateTime,
}

lookups!(Undeliverable in undeliverable {
    /// The expert's address that bounced for good, if it did.
    of_expert(expert_id: i64) unique;
});

impl Undeliverable {
    /// Marks (or marks again, with the latest reason) the expert's `address` undeliverable.
    pub fn mark(
        conn: &mut DbConnection,
        expert_id: i64,
        address: &str,
        reason: &str,
        outbox_id: i64,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        Undeliverable::clear(conn, expert_id)?;
        diesel::insert_into(undeliverable::table)
            .values((
                undeliverable::expert_id.eq(expert_id),
                undeliverable::address.eq(address),
                undeliverable::reason.eq(reason),
                undeliverable::outbox_id.eq(outbox_id),
                undeliverable::marked_at.eq(at),
            ))
            .execute(conn)
    }

    /// The address is usable again (a facilitator corrected it).
    pub fn clear(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::delete(undeliverable::table.filter(undeliverable::expert_id.eq(expert_id))).execute(conn)
    }

    /// The study's undeliverable experts, oldest mark first.
    pub fn of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Undeliverable>> {
        undeliverable::table
            .inner_join(experts::table)
            .filter(experts::study_id.eq(study_id))
            .order(undeliverable::marked_at.asc())
            .select(Undeliverable::as_select())
            .load(conn)
    }

    /// Of these experts, those marked undeliverable.
    pub fn of_experts(conn: &mut DbConnection, expert_ids: &[i64]) -> QueryResult<Vec<Undeliverable>> {
        let mut marked = Vec::new();
        for chunk in expert_ids.chunks(2_000) {
            marked.extend(
                undeliverable::table
                    .filter(undeliverable::expert_id.eq_any(chunk))
                    .select(Undeliverable::as_select())
                    .load(conn)?,
            );
        }
        Ok(marked)
    }
}
