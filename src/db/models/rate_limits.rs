//! The shared rate limits' token buckets (`[limits] shared = true`, PostgreSQL only): one row
//! per limit and client, taken from in one statement.

use diesel::prelude::*;
use diesel::sql_types::{Double, Text};

use crate::db::schema::rate_limits;
use crate::db::DbConnection;
use crate::domain::token_bucket::TokenBucket;

/// `TokenBucket::take` as one atomic upsert, timed by the database's clock. A new bucket starts
/// full less one; an existing one is refilled for the time since its last allowed request and
/// loses a token, but only when the refilled bucket holds one: otherwise the `WHERE` leaves the
/// row as it was and nothing is returned. The row lock of `ON CONFLICT DO UPDATE` serialises
/// concurrent requests of one client across every instance.
const TAKE: &str = "\
INSERT INTO rate_limits AS b (bucket, tokens, updated_at)
VALUES ($1, $2 - 1, extract(epoch FROM clock_timestamp())::double precision)
ON CONFLICT (bucket) DO UPDATE
SET tokens = least($2, b.tokens + $3 * greatest(0, EXCLUDED.updated_at - b.updated_at)) - 1,
    updated_at = EXCLUDED.updated_at
WHERE least($2, b.tokens + $3 * greatest(0, EXCLUDED.updated_at - b.updated_at)) >= 1
RETURNING tokens";

#[derive(QueryableByName)]
struct Left {
    #[diesel(sql_type = Double)]
    tokens: f64,
}

/// Takes a token from `bucket` (its limits in `limit`): the tokens left when the request is
/// allowed, `None` when it must wait. PostgreSQL only: on SQLite there is nothing to share
/// (`serve` refuses the setting), and this says so as an error.
pub fn take(conn: &mut DbConnection, bucket: &str, limit: TokenBucket) -> QueryResult<Option<f64>> {
    let DbConnection::Postgres(pg) = conn else {
        return Err(diesel::result::Error::QueryBuilderError(
            "shared rate limits need PostgreSQL".into(),
        ));
    };
    let left: Vec<Left> = diesel::sql_query(TAKE)
        .bind::<Text, _>(bucket)
        .bind::<Double, _>(limit.capacity)
        .bind::<Double, _>(limit.refill_per_sec)
        .load(pg)?;
    Ok(left.first().map(|l| l.tokens))
}

/// Deletes the buckets untouched since `before` (seconds since the epoch): they are full
/// again, exactly as if the client had never come.
pub fn purge(conn: &mut DbConnection, before: f64) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::updated_at.lt(before))).execute(conn)
}
