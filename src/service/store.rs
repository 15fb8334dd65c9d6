//! The application's one handle on its data. Every way in (the web server, the command line,
//! the workers) holds a `Store` and runs use cases through it; none of them sees a table or a
//! query. A use case takes the `Connection` it is given and opens its own transaction.

use std::ops::DerefMut;
use std::sync::Arc;

use serde::Serialize;

use super::expert::autosave::Autosaves;
use super::ServiceError;
use crate::config::DatabaseSettings;
use crate::db::{migrations, Db, DbError, PoolOptions};

/// The unit of work a use case runs on. Only `service` can do anything with it beyond passing
/// it on: the tables and queries live in `db`, which nothing outside `service` imports.
pub use crate::db::DbConnection as Connection;

#[derive(Clone)]
pub struct Store {
    db: Db,
    /// The autosave committer (`[database] autosave_batch`).
    autosaves: Arc<Autosaves>,
}

impl Store {
    /// Opens the database named by `url`, applying pending migrations first.
    pub fn open(url: &str, settings: &DatabaseSettings) -> Result<Store, ServiceError> {
        let db = Db::connect(url, &pool_options(settings))?;
        Ok(Store {
            autosaves: Arc::new(Autosaves::new(db.clone(), settings.autosave_batch)),
            db,
        })
    }

    /// `open` on tokio's blocking pool, for async callers (the server's start).
    pub async fn open_async(url: String, settings: DatabaseSettings) -> Result<Store, ServiceError> {
        tokio::task::spawn_blocking(move || Store::open(&url, &settings))
            .await
            .map_err(|e| ServiceError::Db(DbError::Worker(e.to_string())))?
    }

    /// A store over an already open database (tests and benches build their own `Db`), whose
    /// autosaves commit one by one.
    pub fn from_db(db: Db) -> Store {
        Store {
            autosaves: Arc::new(Autosaves::new(db.clone(), 1)),
            db,
        }
    }

    /// The autosave committer, for `expert::autosave`.
    pub(crate) fn autosaves(&self) -> &Autosaves {
        &self.autosaves
    }

    /// The database itself, for this layer and for tests and benchmarks that read it
    /// directly; the ways in (`web`, `cli`) call use cases through `run` and `connection`.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        self.db.backend().as_str()
    }

    /// The database URL with any password redacted, for messages.
    pub fn display_url(&self) -> &str {
        self.db.display_url()
    }

    /// Connections the pool holds, and how many of them are idle (the metrics endpoint).
    pub fn pool_state(&self) -> (u32, u32) {
        self.db.pool_state()
    }

    /// A connection for code that is already allowed to block (the command line, workers on
    /// a blocking thread).
    pub fn connection(&self) -> Result<impl DerefMut<Target = Connection>, ServiceError> {
        Ok(self.db.get()?)
    }

    /// Runs blocking use cases on tokio's blocking pool so the async executor never waits on
    /// SQLite locks or network round trips.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<ServiceError> + Send + 'static,
    {
        self.db
            .run(move |conn| f(conn).map_err(Wrapped))
            .await
            .map_err(|e: Wrapped<E>| e.0)
    }

    /// Migrations applied so far, oldest first.
    pub fn applied_migrations(&self) -> Result<Vec<String>, ServiceError> {
        Ok(migrations::applied(&mut *self.db.get()?)?)
    }

    /// `run` for a use case on one study, given its slug.
    pub async fn on_study<T, F>(&self, slug: &str, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut Connection, &str) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.on_text(slug, f).await
    }

    /// `run` for a use case given one piece of text (a slug, a link's token).
    pub async fn on_text<T, F>(&self, text: &str, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut Connection, &str) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let text = text.to_owned();
        self.run(move |conn| f(conn, &text)).await
    }

    /// Whether the database answers, and how far it is migrated (`GET /healthz`).
    pub async fn health(&self) -> Health {
        let applied = self
            .db
            .run(|conn| migrations::applied(conn).map(|v| v.len()))
            .await;
        match applied {
            Ok(migrations) => Health::Up { migrations },
            Err(e) => {
                tracing::warn!(error = %e, "health check: database unreachable");
                Health::Down {
                    reason: if e.is_unavailable() {
                        "database unreachable"
                    } else {
                        "database error"
                    },
                }
            }
        }
    }
}

/// The pool's share of `[database]`.
pub fn pool_options(settings: &DatabaseSettings) -> PoolOptions {
    PoolOptions {
        busy_timeout_ms: settings.busy_timeout_ms,
        pool_size: settings.pool_size,
        connect_timeout_secs: settings.connect_timeout_secs,
    }
}

/// What the health check found.
#[derive(Debug, Clone, Serialize)]
pub enum Health {
    Up { migrations: usize },
    Down { reason: &'static str },
}

/// Carries the caller's error through `Db::run`, whose errors must come from `DbError`.
struct Wrapped<E>(E);

impl<E: From<ServiceError>> From<DbError> for Wrapped<E> {
    fn from(e: DbError) -> Self {
        Wrapped(E::from(ServiceError::Db(e)))
    }
}
