//! Connection pool over the multi connection, with per-backend session settings.

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

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        Ok(conn.batch_execute("SELECT 1")?)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        // A connection returned mid-transaction (a panic in a closure) must not be reused.
        match conn {
            DbConnection::Sqlite(c) => c.transaction_state_broken(),
            DbConnection::Postgres(c) => c.transaction_state_broken(),
        }
    }
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
    backend: Backend,
    url: String,
}

impl Db {
    /// Opens the database, applies pending migrations and builds the pool. The first connection
    /// is made directly so that its error (wrong password, unreadable file) reaches the user.
    pub fn connect(url: &str, settings: &PoolOptions) -> Result<Db, DbError> {
        let parsed = DatabaseUrl::parse(url).map_err(DbError::BadUrl)?;
        let manager = Manager::new(parsed.clone(), settings.busy_timeout_ms);
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
            // A PostgreSQL connection can die with its server and is tested before use; an
            // SQLite connection is a file handle that cannot, and the test query cost every
            // request a statement.
            .test_on_check_out(parsed.backend() == Backend::Postgres)
            .error_handler(Box::new(TracingErrorHandler))
            .build_unchecked(manager);
        Ok(Db {
            pool,
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

    /// The URL with any password redacted, for messages.
    pub fn display_url(&self) -> &str {
        &self.url
    }

    /// A connection for blocking code (the CLI, workers already on a blocking thread).
    pub fn get(&self) -> Result<PooledConn, DbError> {
        self.pool.get().map_err(|e| DbError::Unavailable(e.to_string()))
    }

    /// Runs blocking database work on tokio's blocking pool so the async executor never waits
    /// on SQLite locks or network round trips.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get()?;
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
