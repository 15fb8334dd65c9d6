//! `delphi backup` and `delphi restore` (docs/operations.md). SQLite only: PostgreSQL has
//! `pg_dump` and `pg_restore`, which do this better than we could.

use std::path::{Path, PathBuf};

use super::ServiceError;
use crate::config::Settings;
use crate::db::{backup, migrations, Backend, DatabaseUrl, Db};

/// Where the PostgreSQL commands are documented; named in the refusal.
pub const PG_GUIDE: &str = "docs/operations.md (pg_dump --format=custom / pg_restore)";

/// What a backup wrote.
#[derive(Debug)]
pub struct BackedUp {
    pub out: PathBuf,
    pub bytes: u64,
}

/// Writes a consistent copy of the configured SQLite database to `out`, while `serve` may be
/// running and writing. Refuses an existing `out` and a PostgreSQL database.
pub fn backup(settings: &Settings, out: &Path) -> Result<BackedUp, ServiceError> {
    sqlite_path(settings, "backup")?;
    if out.exists() {
        return Err(ServiceError::invalid(
            "--out",
            format!(
                "{} already exists; Delphi never overwrites a backup",
                out.display()
            ),
        ));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(ServiceError::invalid(
                "--out",
                format!("the folder {} does not exist", parent.display()),
            ));
        }
    }
    let db = Db::connect(
        &settings.database_url(),
        &super::store::pool_options(&settings.database),
    )?;
    let mut conn = db.get()?;
    backup::sqlite_copy(&mut conn, out)?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(BackedUp {
        out: out.to_path_buf(),
        bytes,
    })
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub target: PathBuf,
    pub studies: i64,
    /// The backup's last migration, and the migrations applied on top of it now.
    pub from_migration: String,
    pub migrated: Vec<String>,
}

/// Makes the configured SQLite database a copy of the backup `from`, then migrates it forward.
/// `from` must be a Delphi database whose migrations this build knows; an existing target is
/// replaced only with `force` (and `serve` must be stopped: see docs/operations.md).
pub fn restore(settings: &Settings, from: &Path, force: bool) -> Result<Restored, ServiceError> {
    let target = sqlite_path(settings, "restore")?;
    let bad = |reason: String| ServiceError::invalid("--from", format!("{}: {reason}", from.display()));
    let inspected = backup::inspect(from).map_err(|e| bad(e.to_string()))?;
    let known = migrations::known(Backend::Sqlite)?;
    if let Some(unknown) = inspected.migrations.iter().find(|v| !known.contains(v)) {
        return Err(bad(format!(
            "it has migration {unknown}, which this version of Delphi does not know; restore it with the version that wrote it"
        )));
    }
    let Some(from_migration) = inspected.migrations.last().cloned() else {
        return Err(bad("it is not a Delphi database: no migration was applied".into()));
    };
    if same_file(from, &target) {
        return Err(bad("this is the database being restored into".into()));
    }
    if target.exists() {
        if !force {
            return Err(ServiceError::invalid(
                "--force",
                format!(
                    "{} already exists; stop `delphi serve` and pass --force to replace it",
                    target.display()
                ),
            ));
        }
        // The WAL and shared-memory files belong to the database being replaced: left behind,
        // SQLite would replay the old WAL into the restored file.
        for path in [target.clone(), sidecar(&target, "-wal"), sidecar(&target, "-shm")] {
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| {
                    ServiceError::invalid("--force", format!("cannot remove {}: {e}", path.display()))
                })?;
            }
        }
    } else if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            ServiceError::invalid(
                "database.url",
                format!("cannot create the folder {}: {e}", parent.display()),
            )
        })?;
    }
    backup::copy_file(from, &target).map_err(|e| bad(e.to_string()))?;
    let url = format!("sqlite://{}", target.display());
    let db = Db::connect(&url, &super::store::pool_options(&settings.database))?;
    let mut conn = db.get()?;
    let applied = migrations::applied(&mut conn)?;
    let migrated = applied
        .into_iter()
        .filter(|v| !inspected.migrations.contains(v))
        .collect();
    Ok(Restored {
        target,
        studies: inspected.studies,
        from_migration,
        migrated,
    })
}

fn sqlite_path(settings: &Settings, verb: &str) -> Result<PathBuf, ServiceError> {
    match DatabaseUrl::parse(&settings.database_url()).map_err(|r| ServiceError::invalid("database.url", r))? {
        DatabaseUrl::Sqlite(path) if path.as_os_str() == ":memory:" => Err(ServiceError::invalid(
            "database.url",
            format!("an in-memory database cannot {verb}"),
        )),
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgres(_) => Err(ServiceError::invalid(
            "database.url",
            format!("`delphi {verb}` is for SQLite; on PostgreSQL use pg_dump and pg_restore as shown in {PG_GUIDE}"),
        )),
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
