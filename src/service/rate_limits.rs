//! Rate limits shared by every `delphi serve` on one PostgreSQL database (`[limits] shared =
//! true`, docs/operations.md): each check is one statement, so the price is one round trip to
//! the database per limited request (unknown links, sign-in attempts, "send me a new link").

use super::{Connection, ServiceError};
use crate::db::models::rate_limits;
use crate::domain::token_bucket::TokenBucket;

/// How long an untouched bucket is kept: far longer than any limit takes to refill, so that the
/// instances' clocks (the purge's) and the database's (the buckets') may disagree by minutes.
pub const KEPT_SECS: f64 = 3_600.0;

/// Takes a token of `limit` for `bucket` (the limit's name and the client): the tokens left
/// when the request is allowed, `None` when it must wait.
pub fn take(conn: &mut Connection, bucket: &str, limit: TokenBucket) -> Result<Option<f64>, ServiceError> {
    Ok(rate_limits::take(conn, bucket, limit)?)
}

/// Deletes the buckets untouched for `KEPT_SECS` as of `at` (seconds since the epoch), inside
/// the retention purge's transaction.
pub(super) fn purge(conn: &mut Connection, at: f64) -> Result<usize, ServiceError> {
    Ok(rate_limits::purge(conn, at - KEPT_SECS)?)
}
