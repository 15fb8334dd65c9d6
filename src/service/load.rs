//! Loading a study by its slug, and the write transaction that every use case changing a
//! study runs in: below every other use case (`studies` re-exports them), so that the audit
//! log, which names a study's entries in its time zone, can load one without importing the
//! use cases that write to it.

use super::ServiceError;
use crate::db::models::studies::StudyRow;
use crate::db::{write_transaction, DbConnection};
use crate::domain::study::Study;

/// The study named `slug`, or a NotFound naming it.
pub fn load(conn: &mut DbConnection, slug: &str) -> Result<Study, ServiceError> {
    let study = StudyRow::by_slug(conn, slug)?
        .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))?;
    from_row(study)
}

/// Runs `f` on the study `slug` in one write transaction: the shape of every use case that
/// changes a study.
pub fn write<T>(
    conn: &mut DbConnection,
    slug: &str,
    f: impl FnOnce(&mut DbConnection, &Study) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        f(conn, &study)
    })
}

/// The study of a stored row.
pub fn from_row(row: StudyRow) -> Result<Study, ServiceError> {
    Ok(row.into_study()?)
}
