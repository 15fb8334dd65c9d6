//! SQLite copies for `delphi backup` and `delphi restore`.
//!
//! `VACUUM INTO` writes a consistent snapshot from one read transaction: it sees the committed
//! state of the WAL as well as the main file, and writers carry on meanwhile (a plain file copy
//! of a WAL database can miss commits or tear pages). The copy is compact and self-contained
//! (no -wal or -shm file beside it).

use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;

use super::DbConnection;

/// Writes a consistent copy of the connection's SQLite database to `out`, which must not exist
/// (SQLite refuses to overwrite it, so a race with another writer of `out` cannot clobber it).
pub fn sqlite_copy(conn: &mut DbConnection, out: &Path) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(conn) => vacuum_into(conn, out),
        DbConnection::Postgres(_) => Err(diesel::result::Error::QueryBuilderError(
            "VACUUM INTO is for SQLite; use pg_dump for PostgreSQL".into(),
        )),
    }
}

fn vacuum_into(conn: &mut SqliteConnection, out: &Path) -> QueryResult<()> {
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(out.to_string_lossy().into_owned())
        .execute(conn)
        .map(|_| ())
}

/// What a file offered for a restore holds.
#[derive(Debug)]
pub struct Inspected {
    /// Migration versions applied in it, oldest first.
    pub migrations: Vec<String>,
    pub studies: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("cannot open it as an SQLite database: {0}")]
    Open(String),
    #[error("it is not a Delphi database: {0}")]
    NotDelphi(String),
    #[error("it is damaged: {0}")]
    Damaged(String),
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    quick_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Opens `path` read-only (never creating or changing it) and reports its migrations and
/// studies, after SQLite's quick integrity check.
pub fn inspect(path: &Path) -> Result<Inspected, InspectError> {
    let mut conn = open_read_only(path)?;
    let check: Vec<Check> = diesel::sql_query("PRAGMA quick_check")
        .load(&mut conn)
        .map_err(|e| InspectError::Open(e.to_string()))?;
    let problems: Vec<&str> = check
        .iter()
        .map(|c| c.quick_check.as_str())
        .filter(|c| *c != "ok")
        .collect();
    if !problems.is_empty() {
        return Err(InspectError::Damaged(problems.join("; ")));
    }
    let mut migrations: Vec<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
            .load::<Version>(&mut conn)
            .map_err(|_| InspectError::NotDelphi("it has no migration table".into()))?
            .into_iter()
            .map(|v| v.version)
            .collect();
    migrations.sort();
    let studies = diesel::sql_query("SELECT COUNT(*) AS n FROM studies")
        .get_result::<Count>(&mut conn)
        .map_err(|_| InspectError::NotDelphi("it has no studies table".into()))?
        .n;
    Ok(Inspected { migrations, studies })
}

/// Copies the SQLite database at `from` into `to` (which must not exist), consistently,
/// without changing `from`.
pub fn copy_file(from: &Path, to: &Path) -> Result<(), InspectError> {
    let mut conn = open_read_only(from)?;
    vacuum_into(&mut conn, to).map_err(|e| InspectError::Open(e.to_string()))
}

fn open_read_only(path: &Path) -> Result<SqliteConnection, InspectError> {
    if !path.is_file() {
        return Err(InspectError::Open("no such file".into()));
    }
    let uri =
        url::Url::from_file_path(std::path::absolute(path).map_err(|e| InspectError::Open(e.to_string()))?)
            .map_err(|()| InspectError::Open("the path cannot be written as a file URI".into()))?;
    let mut conn = SqliteConnection::establish(&format!("{uri}?mode=ro"))
        .map_err(|e| InspectError::Open(e.to_string()))?;
    // A file that is not SQLite opens lazily and fails on the first read.
    diesel::sql_query("SELECT COUNT(*) AS n FROM sqlite_master")
        .get_result::<Count>(&mut conn)
        .map_err(|e| InspectError::Open(e.to_string()))?;
    Ok(conn)
}
