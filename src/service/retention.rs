//! Retention: forgets what Delphi keeps that is not study data, after `[retention]` days
//! (docs/operations.md). Run by the scheduler inside `serve` and by `delphi purge`, always with
//! the clock passed in, so tests can move time.
//!
//! Never touched: studies, items, the panel, rounds, invitations, ratings and comments,
//! suggestions, results and the audit log.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

use super::accounts::SessionPolicy;
use super::ServiceError;
use crate::config::Settings;
use crate::db::models::api_tokens::ApiToken;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::password_resets::PasswordReset;
use crate::db::models::sessions::Session;
use crate::db::{write_transaction, DbConnection};

/// What one purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Sent and cancelled emails, with their bodies.
    pub sent_emails: usize,
    pub failed_emails: usize,
    /// Facilitator sessions past their idle timeout or lifetime.
    pub sessions: usize,
    pub password_resets: usize,
    pub revoked_api_tokens: usize,
    /// Shared rate-limit buckets full again (`[limits] shared = true`).
    pub rate_limits: usize,
}

impl Purged {
    pub fn total(&self) -> usize {
        self.sent_emails
            + self.failed_emails
            + self.sessions
            + self.password_resets
            + self.revoked_api_tokens
            + self.rate_limits
    }
}

/// `days` before `at`, or `None` (keep for ever) when `days` is 0.
fn cutoff(at: NaiveDateTime, days: u32) -> Option<NaiveDateTime> {
    (days > 0).then(|| at - Duration::days(i64::from(days)))
}

/// Removes, as of `at`, everything `[retention]` says is old enough, in one transaction.
/// `purge` as of now.
pub fn purge_now(conn: &mut DbConnection, settings: &Settings) -> Result<Purged, ServiceError> {
    purge(conn, settings, crate::db::now())
}

pub fn purge(
    conn: &mut DbConnection,
    settings: &Settings,
    at: NaiveDateTime,
) -> Result<Purged, ServiceError> {
    let keep = &settings.retention;
    let sessions = SessionPolicy::from_settings(&settings.accounts);
    write_transaction(conn, |conn| {
        let (sent_emails, failed_emails) = OutboxEmail::purge(
            conn,
            cutoff(at, keep.outbox_sent_days),
            cutoff(at, keep.outbox_failed_days),
        )?;
        let sessions = Session::delete_stale(conn, at - sessions.idle, at)?;
        let password_resets = match cutoff(at, keep.password_resets_days) {
            Some(before) => PasswordReset::purge(conn, before, at)?,
            None => 0,
        };
        let revoked_api_tokens = match cutoff(at, keep.revoked_api_tokens_days) {
            Some(before) => ApiToken::purge_revoked(conn, before)?,
            None => 0,
        };
        let rate_limits = super::rate_limits::purge(conn, at.and_utc().timestamp() as f64)?;
        Ok(Purged {
            sent_emails,
            failed_emails,
            sessions,
            password_resets,
            revoked_api_tokens,
            rate_limits,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_days_keeps_for_ever() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap();
        assert_eq!(cutoff(at, 0), None);
        assert_eq!(cutoff(at, 90), Some(at - Duration::days(90)));
    }
}
