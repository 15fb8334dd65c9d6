//! Roles per study: which studies a facilitator has, what they may do in one, and granting.

use serde::Serialize;
use serde_json::json;

use super::facilitators::facilitator_by_email;
use crate::db::models::audit::AuditEntry;
use crate::db::models::facilitators::Facilitator;
use crate::db::models::studies::StudyRow;
use crate::db::models::study_roles::{StudyRole, StudyWithRole};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::role::Role;
use crate::domain::study::Study;
use crate::service::{Actor, ServiceError};

/// One study as a facilitator sees it in their list.
#[derive(Debug, Clone, Serialize)]
pub struct MyStudy {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub role: Role,
}

/// The studies the facilitator has a role in, newest first.
pub fn my_studies(conn: &mut DbConnection, facilitator_id: i64) -> Result<Vec<MyStudy>, ServiceError> {
    StudyRole::studies_of(conn, facilitator_id)?
        .into_iter()
        .map(|row: StudyWithRole| {
            Ok(MyStudy {
                role: row.role.parse().map_err(|e: String| {
                    ServiceError::Db(crate::db::DbError::Query(
                        diesel::result::Error::DeserializationError(e.into()),
                    ))
                })?,
                slug: row.slug,
                title: row.title,
                status: row.status,
            })
        })
        .collect()
}

/// What a facilitator may do in a study.
#[derive(Debug, Clone)]
pub enum Access {
    /// The study, with the facilitator's role in it.
    Granted { study: Box<Study>, role: Role },
    /// The facilitator's role (if any) does not include the one needed.
    Denied { role: Option<Role> },
}

/// Checks that the facilitator's role in study `slug` includes `needed`. An unknown study is a
/// NotFound.
pub fn access(
    conn: &mut DbConnection,
    facilitator_id: i64,
    slug: &str,
    needed: Role,
) -> Result<Access, ServiceError> {
    let study = StudyRow::by_slug(conn, slug)?
        .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))?;
    let role = StudyRole::of(conn, study.id, facilitator_id)?.and_then(|r| r.parse::<Role>().ok());
    Ok(match role {
        Some(role) if role.includes(needed) => Access::Granted {
            study: Box::new(study.into_study()?),
            role,
        },
        role => Access::Denied { role },
    })
}

/// Gives a facilitator a role in a study (replacing the role they had). Audited.
pub fn grant(
    conn: &mut DbConnection,
    slug: &str,
    email: &str,
    role: Role,
    actor: &Actor,
) -> Result<Option<Role>, ServiceError> {
    write_transaction(conn, |conn| {
        let study = StudyRow::by_slug(conn, slug)?
            .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))?;
        let facilitator = facilitator_by_email(conn, email)?;
        grant_in_transaction(conn, &study, &facilitator, role, actor)
    })
}

/// `grant` inside the caller's transaction (study creation makes its owner this way).
pub fn grant_in_transaction(
    conn: &mut DbConnection,
    study: &StudyRow,
    facilitator: &Facilitator,
    role: Role,
    actor: &Actor,
) -> Result<Option<Role>, ServiceError> {
    let at = now();
    let previous = StudyRole::set(conn, study.id, facilitator.id, role.as_str(), at)?;
    AuditEntry::append(
        conn,
        Some(study.id),
        &actor.0,
        "study.grant",
        &json!({ "facilitator": facilitator.email, "role": role.as_str(), "previous": previous }),
        at,
    )?;
    Ok(previous.and_then(|r| r.parse().ok()))
}
