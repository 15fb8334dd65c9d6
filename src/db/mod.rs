//! The only module that knows which database is underneath.
//!
//! One diesel code path serves SQLite and PostgreSQL through `#[derive(MultiConnection)]`. The
//! backend is chosen from the URL scheme by our own code, not by the derive's `establish`,
//! because the derive tries each backend in turn and reports only that none matched — the
//! user would never see "password authentication failed" or "unable to open database file".
//!
//! Lookups by a unique key use `get_result`, not `first`: `first` adds `LIMIT ?`, and SQLite
//! (3.47+) re-prepares a statement whose LIMIT is a bound parameter on every execution, which
//! cost the expert pages a quarter of their time in parsing SQL.

pub mod backup;
pub(crate) mod lookups;
pub mod migrations;
pub mod models;
pub mod pool;
pub mod schema;

use std::fmt;
use std::path::PathBuf;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

pub use pool::{Db, DbError, PoolOptions, PooledConn};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Postgres(_) => Backend::Postgres,
        }
    }
}

/// A database URL whose scheme we understand.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path (created when missing) or `:memory:`.
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err("sqlite URL has no file path (use e.g. sqlite://./data/delphi.db)".into());
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(rest)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_string()))
        } else {
            Err(format!(
                "{:?} is not a database URL Delphi understands: use sqlite://PATH or postgres://USER@HOST/DB",
                redact(url)
            ))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

// URLs carry passwords; Debug and Display show them redacted so they can be logged.
impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// Replaces the password of a URL with `***`.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Runs a query on the backend's own connection rather than on `DbConnection`:
/// `natively!(conn, |c| query.get_result(c))`, the query written once and built for each
/// backend. Diesel's multi-backend connection renders a query's SQL text again on every pass
/// over it, several per execution, even when its prepared statement is cached; the backend's own
/// connection finds the statement by the query's type. A tenth of an expert page's time went to
/// rendering the link lookup's SQL; used for the statements of every expert request.
macro_rules! natively {
    ($conn:expr, |$c:ident| $query:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $query,
            $crate::db::DbConnection::Postgres($c) => $query,
        }
    };
}
pub(crate) use natively;

/// SQLite has one writer at a time. Writers of this process queue here, in order, instead of
/// in SQLite's busy handler, which polls with sleeps of up to 100 ms: under 64 concurrent
/// autosaves that polling, not the writes, made the slowest answers wait 100+ ms.
static SQLITE_WRITERS: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

/// How long a writer queues in-process before it falls back to SQLite's own busy handling (a
/// long import holds the lock for seconds; nothing may wait on us forever).
const SQLITE_QUEUE_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `f` in a write transaction. On SQLite it starts with `BEGIN IMMEDIATE`: a deferred
/// transaction that reads first and writes later cannot wait for another writer (SQLite returns
/// SQLITE_BUSY at once to avoid a deadlock), while an immediate one queues on the busy timeout.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    // Inside `rolled_back`: a savepoint of the transaction already holding the write lock.
    let nested = match conn {
        DbConnection::Sqlite(inner) => in_transaction(inner),
        DbConnection::Postgres(_) => false,
    };
    match conn {
        DbConnection::Postgres(_) => diesel::Connection::transaction(conn, f),
        DbConnection::Sqlite(_) if nested => diesel::Connection::transaction(conn, f),
        DbConnection::Sqlite(_) => {
            // Writers in other processes (the command line next to `serve`) still meet in
            // SQLite's busy handler. Handed over fairly, in arrival order, or the slowest
            // writers would keep losing the race.
            let turn = SQLITE_WRITERS.try_lock_for(SQLITE_QUEUE_LIMIT);
            let outcome = sqlite_transaction(conn, f);
            if let Some(turn) = turn {
                parking_lot::MutexGuard::unlock_fair(turn);
            }
            outcome
        }
    }
}

fn in_transaction(conn: &mut SqliteConnection) -> bool {
    AnsiTransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .is_ok_and(|depth| depth.is_some())
}

/// Why `rolled_back`'s transaction ended: always rolled back, or the database failed.
enum DryRun {
    RolledBack,
    Failed(diesel::result::Error),
}

impl From<diesel::result::Error> for DryRun {
    fn from(e: diesel::result::Error) -> Self {
        Self::Failed(e)
    }
}

/// Runs `f` in a write transaction that is always rolled back: what a use case would do and
/// answer, every check included, with nothing kept (an import's preview). `f` may itself
/// call `write_transaction`, which then becomes a savepoint.
pub fn rolled_back<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let mut answer = None;
    let outcome = write_transaction(conn, |conn| {
        answer = Some(f(conn));
        Err::<(), _>(DryRun::RolledBack)
    });
    match (answer, outcome) {
        (Some(answer), Err(DryRun::RolledBack)) => answer,
        (_, Err(DryRun::Failed(e))) => Err(E::from(e)),
        (None, _) | (_, Ok(())) => Err(E::from(diesel::result::Error::RollbackTransaction)),
    }
}

fn sqlite_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Postgres(_) => diesel::Connection::transaction(conn, f),
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            let outcome = f(conn);
            let DbConnection::Sqlite(inner) = conn else {
                unreachable!("the variant cannot change inside the transaction")
            };
            match outcome {
                Ok(value) => {
                    AnsiTransactionManager::commit_transaction(inner)?;
                    Ok(value)
                }
                Err(e) => {
                    AnsiTransactionManager::rollback_transaction(inner)?;
                    Err(e)
                }
            }
        }
    }
}

/// Writes `rows` `size` at a time (one statement binds only so many parameters on either
/// backend) and adds up the rows each chunk wrote; the first failure stops it.
pub(crate) fn in_chunks<T>(
    rows: &[T],
    size: usize,
    mut write: impl FnMut(&[T]) -> diesel::QueryResult<usize>,
) -> diesel::QueryResult<usize> {
    rows.chunks(size).map(&mut write).sum()
}

/// Now, in UTC, truncated to microseconds: the precision both backends store, so a value read
/// back compares equal to the value written.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/x.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("./data/x.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/d").unwrap().backend(),
            Backend::Postgres
        );
        assert!(DatabaseUrl::parse("mysql://u@h/d").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        let url = DatabaseUrl::parse("postgres://delphi:s3cret@db:5432/delphi").unwrap();
        assert!(!url.to_string().contains("s3cret"));
        assert!(!format!("{url:?}").contains("s3cret"));
        assert_eq!(redact("postgres://u@h/d"), "postgres://u@h/d");
    }

    #[test]
    fn now_is_truncated_to_microseconds() {
        use chrono::Timelike;
        assert_eq!(now().nanosecond() % 1_000, 0);
    }
}
