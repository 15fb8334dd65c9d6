//! Embedded migrations, one folder per backend with the same migration names.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::{Backend, DbConnection, DbError};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

fn source(backend: Backend) -> EmbeddedMigrations {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

fn failed(e: Box<dyn std::error::Error + Send + Sync>) -> DbError {
    DbError::Migration(e.to_string())
}

/// Applies what is pending and returns the versions applied now.
pub fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let migrations = source(conn.backend());
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(migrations),
        DbConnection::Postgres(c) => c.run_pending_migrations(migrations),
    }
    .map_err(failed)?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Versions this build knows for `backend`, oldest first (a restore refuses newer ones).
pub fn known(backend: Backend) -> Result<Vec<String>, DbError> {
    use diesel::migration::MigrationSource;
    let migrations = match backend {
        Backend::Sqlite => MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
            .map(|all| all.iter().map(|m| m.name().version().to_string()).collect()),
        Backend::Postgres => MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES)
            .map(|all| all.iter().map(|m| m.name().version().to_string()).collect()),
    };
    let mut versions: Vec<String> = migrations.map_err(failed)?;
    versions.sort();
    Ok(versions)
}

/// Versions applied so far, oldest first.
pub fn applied(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let versions = match conn {
        DbConnection::Sqlite(c) => c.applied_migrations(),
        DbConnection::Postgres(c) => c.applied_migrations(),
    }
    .map_err(failed)?;
    let mut versions: Vec<String> = versions.iter().map(|v| v.to_string()).collect();
    versions.sort();
    Ok(versions)
}

/// Reverts every applied migration, newest first (used by the up → down → up test).
pub fn revert_all(conn: &mut DbConnection) -> Result<usize, DbError> {
    let migrations = source(conn.backend());
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(migrations),
        DbConnection::Postgres(c) => c.revert_all_migrations(migrations),
    }
    .map_err(failed)?;
    Ok(reverted.len())
}
