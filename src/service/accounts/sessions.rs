//! Browser sessions of the console: started at sign-in, checked on every request, ended at
//! sign-out or when idle too long.

use chrono::Duration;
use serde::Serialize;

use super::facilitators::Account;
use crate::db::models::facilitators::Facilitator;
use crate::db::models::sessions::{NewSession, Session};
use crate::db::{now, write_transaction, DbConnection};
use crate::service::{tokens, ServiceError};

/// How long sessions live (from `[accounts]` in the settings).
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub lifetime: Duration,
}

impl SessionPolicy {
    pub fn from_settings(settings: &crate::config::AccountSettings) -> SessionPolicy {
        SessionPolicy {
            idle: seconds(settings.session_idle_secs),
            lifetime: seconds(settings.session_lifetime_secs),
        }
    }

    /// `last_seen_at` is rewritten at most once a minute (fewer writes), but often enough that
    /// a short idle timeout cannot end a session that is in use.
    fn refresh_after(&self) -> Duration {
        (self.idle / 2).min(Duration::minutes(1))
    }
}

/// Settings are checked to be at most `config::MAX_ACCOUNT_SECS`; the clamp only keeps a
/// bad value from overflowing a timestamp.
pub fn seconds(secs: u64) -> Duration {
    Duration::seconds(secs.min(crate::config::MAX_ACCOUNT_SECS) as i64)
}

/// A new session: the token goes in the cookie and is never stored; the CSRF token goes in forms.
#[derive(Debug, Clone)]
pub struct StartedSession {
    pub token: String,
    pub csrf: String,
}

/// Starts a session for a facilitator whose password was just checked.
pub fn start_session(
    conn: &mut DbConnection,
    facilitator_id: i64,
    policy: &SessionPolicy,
) -> Result<StartedSession, ServiceError> {
    let (token, hash) = tokens::generate();
    let (csrf, _) = tokens::generate();
    write_transaction(conn, |conn| {
        let at = now();
        Session::delete_stale(conn, at - policy.idle, at)?;
        Session::insert(
            conn,
            &NewSession {
                facilitator_id,
                token_hash: &hash,
                csrf_token: &csrf,
                created_at: at,
                last_seen_at: at,
                expires_at: at + policy.lifetime,
            },
        )?;
        Facilitator::record_login(conn, facilitator_id, at)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(StartedSession { token, csrf })
}

/// The signed-in facilitator of a request.
#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    #[serde(flatten)]
    pub account: Account,
    #[serde(skip)]
    pub session_id: i64,
    #[serde(skip)]
    pub csrf: String,
}

/// The session a cookie token belongs to, if it is still valid; refreshes its `last_seen_at`.
/// An idle or expired session is deleted.
pub fn session(
    conn: &mut DbConnection,
    cookie_token: &str,
    policy: &SessionPolicy,
) -> Result<Option<SignedIn>, ServiceError> {
    let Some(session) = tokens::find(cookie_token, |hash| Session::by_token_hash(conn, hash))? else {
        return Ok(None);
    };
    let at = now();
    if session.expires_at <= at || session.last_seen_at + policy.idle < at {
        Session::delete(conn, session.id)?;
        return Ok(None);
    }
    let Some(facilitator) = Facilitator::by_id(conn, session.facilitator_id)?.filter(Facilitator::is_active)
    else {
        Session::delete(conn, session.id)?;
        return Ok(None);
    };
    if at - session.last_seen_at >= policy.refresh_after() {
        Session::touch(conn, session.id, at)?;
    }
    Ok(Some(SignedIn {
        account: Account::from(facilitator),
        session_id: session.id,
        csrf: session.csrf_token,
    }))
}

pub fn end_session(conn: &mut DbConnection, session_id: i64) -> Result<(), ServiceError> {
    Session::delete(conn, session_id)?;
    Ok(())
}
