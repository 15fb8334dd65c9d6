//! The outbox seen from outside: how many emails wait (the metrics endpoint).

use super::{Connection, ServiceError};
use crate::db::models::outbox::OutboxEmail;
use crate::db::now;

/// How many emails wait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxDepth {
    /// Queued (due now or later) or being sent.
    pub queued: i64,
    /// Queued and due now.
    pub due: i64,
    /// Failed for good, waiting for a facilitator.
    pub failed: i64,
}

pub fn depth(conn: &mut Connection) -> Result<OutboxDepth, ServiceError> {
    let (queued, due, failed) = OutboxEmail::depth(conn, now())?;
    Ok(OutboxDepth { queued, due, failed })
}
