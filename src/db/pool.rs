//! Connection pool over the multi connection, with per-backend session settings.

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use super::{migrations, Backend, DatabaseUrl, DbConnection};

pub type PooledConn = r2d2::PooledConnection<Manager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    BadUrl(String),
    #[error("cannot open the database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("no database connection became free in time: {0}")]
    Unavailable(String),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("the database worker stopped: {0}")]
    Worker(String),
}

impl DbError {
    /// Failures that say "try again later" rather than "this request is wrong".
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Unavailable(_) | DbError::Connect { .. } => true,
            DbError::Query(e) => connection_lost(e),
            _ => false,
        }
    }
}

/// The connection died under the query (the server stopped or restarted), as opposed to the
/// query being wrong. A commit that fails that way reports its failed rollback too.
fn connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        Error::RollbackErrorOnCommit { commit_error, .. } => connection_lost(commit_error),
        _ => false,
    }
}

/// Opens connections for the pool. Our own `ManageConnection` (rather than diesel's generic
/// `ConnectionManager`) so that SQLite gets its PRAGMAs on every connection and a failed
/// connection reports the backend's own message.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
    busy_timeout_ms: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("{0}")]
    Setup(#[from] diesel::result::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Manager {
    pub fn new(url: DatabaseUrl, busy_timeout_ms: u32) -> Self {
        Manager { url, busy_timeout_ms }
    }

    fn open(&self) -> Result<DbConnection, ConnectError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers proceed while one writer commits; foreign keys are off by
                // default in SQLite and the schema relies on them; NORMAL sync is durable in WAL
                // mode except across a power cut, where the last commits may roll back.
                // secure_delete zeroes what a row update or delete frees: a personal link
                // scrubbed from a sent email must not survive in a free page of the file.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA secure_delete = ON;",
                    self.busy_timeout_ms
                ))?;
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                conn.batch_execute("SET TIME ZONE 'UTC'")?;
                Ok(DbConnection::Postgres(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        self.open()
    }

    /// The pool's check-out test (PostgreSQL only, see `Db::connect`), without a round trip.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        match conn {
            DbConnection::Sqlite(c) => Ok(c.batch_execute("SELECT 1")?),
            DbConnection::Postgres(c) => match server_hung_up(c) {
                Some(e) => Err(e.into()),
                None => Ok(()),
            },
        }
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        // A connection returned mid-transaction (a panic in a closure) must not be reused, nor
        // one whose server has gone.
        match conn {
            DbConnection::Sqlite(c) => c.transaction_state_broken(),
            DbConnection::Postgres(c) => c.transaction_state_broken() || server_hung_up(c).is_some(),
        }
    }
}

/// Whether the server has closed an idle connection, asked of the socket rather than the
/// server: libpq reads whatever has arrived without waiting (`PQconsumeInput`, which is all
/// `notifications_iter` does before it finds no notification) and fails once it reads the end of
/// the stream — which a server that stopped or restarted, or that ended the session, has sent.
/// A `SELECT 1` found the same on every check-out at the price of a round trip, half the round
/// trips of an autosave. What it cannot see (a server that vanished without a word) the first
/// statement finds, and its error answers 503 (`DbError::is_unavailable`).
///
/// Asked twice: a server that ends a session first says why (an error message), and the read
/// that takes in the message stops before the end of the stream behind it.
fn server_hung_up(conn: &mut PgConnection) -> Option<diesel::result::Error> {
    (0..2).find_map(|_| conn.notifications_iter().find_map(Result::err))
}

trait BrokenTransaction {
    fn transaction_state_broken(&mut self) -> bool;
}

impl<C> BrokenTransaction for C
where
    C: Connection<TransactionManager = diesel::connection::AnsiTransactionManager>,
{
    fn transaction_state_broken(&mut self) -> bool {
        use diesel::connection::TransactionManager;
        !matches!(
            diesel::connection::AnsiTransactionManager::transaction_manager_status_mut(self)
                .transaction_depth(),
            Ok(None)
        )
    }
}

/// r2d2 reports connection failures through the `log` crate; route them to tracing.
#[derive(Debug)]
struct TracingErrorHandler;

impl r2d2::HandleError<ConnectError> for TracingErrorHandler {
    fn handle_error(&self, error: ConnectError) {
        tracing::warn!(error = %error, "database connection failed");
    }
}

/// How the pool opens and shares connections (`[database]` in the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolOptions {
    /// How long an SQLite statement waits for another process's write lock.
    pub busy_timeout_ms: u32,
    pub pool_size: u32,
    /// How long a request waits for a free connection before answering "try again".
    pub connect_timeout_secs: u64,
}

/// The application's handle on the database: a pool plus which backend it is.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    /// Opens the connections a worker keeps outside the pool (`dedicated`).
    opener: Arc<Manager>,
    /// One per pooled connection: `run` takes one before it takes a thread (see there).
    turns: Arc<tokio::sync::Semaphore>,
    /// How long a request waits for a connection (`connect_timeout_secs`).
    wait: Duration,
    backend: Backend,
    url: String,
}

impl Db {
    /// Opens the database, applies pending migrations and builds the pool. The first connection
    /// is made directly so that its error (wrong password, unreadable file) reaches the user.
    pub fn connect(url: &str, settings: &PoolOptions) -> Result<Db, DbError> {
        let parsed = DatabaseUrl::parse(url).map_err(DbError::BadUrl)?;
        let manager = Manager::new(parsed.clone(), settings.busy_timeout_ms);
        let opener = Arc::new(Manager::new(parsed.clone(), settings.busy_timeout_ms));
        let mut first = manager.open().map_err(|e| DbError::Connect {
            url: parsed.to_string(),
            reason: e.to_string(),
        })?;
        migrations::run_pending(&mut first)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(settings.connect_timeout_secs))
            // A PostgreSQL connection can die with its server and is tested before use (on its
            // socket: `server_hung_up`); an SQLite connection is a file handle that cannot, and
            // a test query cost every request a statement.
            .test_on_check_out(parsed.backend() == Backend::Postgres)
            .error_handler(Box::new(TracingErrorHandler))
            .build_unchecked(manager);
        Ok(Db {
            pool,
            opener,
            turns: Arc::new(tokio::sync::Semaphore::new(settings.pool_size.max(1) as usize)),
            wait: Duration::from_secs(settings.connect_timeout_secs),
            backend: parsed.backend(),
            url: parsed.to_string(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Connections the pool holds, and how many of them are idle (the metrics endpoint).
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// How long a request waits for a connection (`connect_timeout_secs`).
    pub fn patience(&self) -> Duration {
        self.wait
    }

    /// The URL with any password redacted, for messages.
    pub fn display_url(&self) -> &str {
        &self.url
    }

    /// A connection for blocking code (the CLI, workers already on a blocking thread).
    pub fn get(&self) -> Result<PooledConn, DbError> {
        self.pool.get().map_err(|e| DbError::Unavailable(e.to_string()))
    }

    /// A connection of its own, outside the pool, for a worker that keeps one open (the
    /// autosave committer), with the pool's session settings. On PostgreSQL its lock waits give
    /// up after `lock_wait` (SQLSTATE 55P03) instead of queueing: such a worker serves many
    /// requests at once, and must neither stall them all behind one long transaction nor
    /// hold locks while it waits (it fails first, before PostgreSQL's deadlock check picks a
    /// victim). SQLite's writers queue in-process (`write_transaction`) instead.
    pub fn dedicated(&self, lock_wait: Duration) -> Result<DbConnection, DbError> {
        let mut conn = self.opener.open().map_err(|e| DbError::Connect {
            url: self.url.clone(),
            reason: e.to_string(),
        })?;
        if let DbConnection::Postgres(c) = &mut conn {
            c.batch_execute(&format!("SET lock_timeout = {}", lock_wait.as_millis().max(1)))?;
        }
        Ok(conn)
    }

    /// Runs blocking database work on tokio's blocking pool so the async executor never waits
    /// on SQLite locks or network round trips.
    ///
    /// Requests queue for a turn first, in arrival order and without a thread each: at most as
    /// many run at once as the pool has connections. Without the queue, 64 concurrent requests
    /// took 64 blocking threads, 56 of them asleep in the pool's wait for a connection and woken
    /// in no particular order — the futex traffic and the slowest requests of a busy server.
    /// The wait for a turn and for the connection share the one limit, `connect_timeout_secs`.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let started = std::time::Instant::now();
        let turn = match tokio::time::timeout(self.wait, Arc::clone(&self.turns).acquire_owned()).await {
            Ok(Ok(turn)) => turn,
            Ok(Err(closed)) => return Err(E::from(DbError::Worker(closed.to_string()))),
            Err(_) => {
                return Err(E::from(DbError::Unavailable(
                    "timed out waiting for a turn".into(),
                )))
            }
        };
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let left = db.wait.saturating_sub(started.elapsed());
            let mut conn = db
                .pool
                .get_timeout(left)
                .map_err(|e| DbError::Unavailable(e.to_string()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| E::from(DbError::Worker(e.to_string())))?
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error};

    use super::DbError;

    fn database_error(kind: DatabaseErrorKind) -> Error {
        Error::DatabaseError(kind, Box::new("server closed the connection".to_string()))
    }

    #[test]
    fn a_lost_connection_is_unavailable_and_a_bad_query_is_not() {
        for kind in [
            DatabaseErrorKind::ClosedConnection,
            DatabaseErrorKind::UnableToSendCommand,
        ] {
            assert!(DbError::Query(database_error(kind)).is_unavailable());
        }
        assert!(!DbError::Query(database_error(DatabaseErrorKind::UniqueViolation)).is_unavailable());
        assert!(!DbError::Query(Error::NotFound).is_unavailable());
        // A COMMIT that failed because the server went away, and whose rollback failed too.
        let commit = Error::RollbackErrorOnCommit {
            rollback_error: Box::new(database_error(DatabaseErrorKind::ClosedConnection)),
            commit_error: Box::new(database_error(DatabaseErrorKind::ClosedConnection)),
        };
        assert!(DbError::Query(commit).is_unavailable());
        let refused = Error::RollbackErrorOnCommit {
            rollback_error: Box::new(database_error(DatabaseErrorKind::ClosedConnection)),
            commit_error: Box::new(database_error(DatabaseErrorKind::SerializationFailure)),
        };
        assert!(!DbError::Query(refused).is_unavailable());
    }
}
