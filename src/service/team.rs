//! A study's team: who has which role, and owners granting, changing and removing roles. The
//! console's Team page, the API's `/roles` endpoints and `delphi study grant` share these rules.
//!
//! A study always keeps at least one owner whose account is active: without one nobody could
//! grant roles or download identified exports any more, short of editing the database.

use serde::Serialize;
use serde_json::json;

use super::accounts;
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::facilitators::Facilitator;
use crate::db::models::studies::StudyRow;
use crate::db::models::study_roles::{Member, StudyRole};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::role::Role;

/// One member of a study's team.
#[derive(Debug, Clone, Serialize)]
pub struct TeamMember {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// False when the account is disabled: the role stays, but cannot be used.
    pub active: bool,
    /// When the facilitator first got a role in the study.
    pub since: String,
}

/// What a grant changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoleChange {
    pub role: Role,
    /// The role the facilitator had before, if any.
    pub previous: Option<Role>,
}

fn study(conn: &mut DbConnection, slug: &str) -> Result<StudyRow, ServiceError> {
    StudyRow::by_slug(conn, slug)?
        .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))
}

fn parse_role(member: &Member) -> Result<Role, ServiceError> {
    member.role.parse().map_err(|e: String| {
        ServiceError::Db(crate::db::DbError::Query(
            diesel::result::Error::DeserializationError(e.into()),
        ))
    })
}

/// Everyone with a role in study `slug`, by email.
pub fn members(conn: &mut DbConnection, slug: &str) -> Result<Vec<TeamMember>, ServiceError> {
    let study = study(conn, slug)?;
    StudyRole::members(conn, study.id)?
        .iter()
        .map(|m| {
            Ok(TeamMember {
                email: m.email.clone(),
                name: m.name.clone(),
                role: parse_role(m)?,
                active: m.disabled_at.is_none(),
                since: m.since.format("%Y-%m-%d %H:%M UTC").to_string(),
            })
        })
        .collect()
}

/// Refuses a change that would leave the study without an active owner: `leaving` is the
/// facilitator who stops being an owner.
fn keep_an_owner(members: &[Member], leaving: &Facilitator, slug: &str) -> Result<(), ServiceError> {
    let others = members
        .iter()
        .filter(|m| {
            m.facilitator_id != leaving.id && m.role == Role::Owner.as_str() && m.disabled_at.is_none()
        })
        .count();
    if others == 0 {
        return Err(ServiceError::Conflict(format!(
            "{} is the last owner of the study `{slug}`; a study must keep an owner. Make \
             someone else owner first, then change this role. Nothing was changed.",
            leaving.email
        )));
    }
    Ok(())
}

/// Gives facilitator `email` the role `role` in study `slug`, replacing the role they had.
/// The account must exist (accounts are created with `delphi admin add`). Refused when it
/// would demote the study's last owner. Audited (`study.grant`) when something changed.
pub fn set_role(
    conn: &mut DbConnection,
    slug: &str,
    email: &str,
    role: Role,
    actor: &Actor,
) -> Result<RoleChange, ServiceError> {
    write_transaction(conn, |conn| {
        let study = study(conn, slug)?;
        let facilitator = accounts::facilitator_by_email(conn, email)?;
        StudyRole::lock_study(conn, study.id)?;
        let members = StudyRole::members(conn, study.id)?;
        let previous = match members.iter().find(|m| m.facilitator_id == facilitator.id) {
            Some(member) => Some(parse_role(member)?),
            None => None,
        };
        if previous == Some(role) {
            return Ok(RoleChange { role, previous });
        }
        if previous == Some(Role::Owner) {
            keep_an_owner(&members, &facilitator, slug)?;
        }
        accounts::grant_in_transaction(conn, &study, &facilitator, role, actor)?;
        Ok(RoleChange { role, previous })
    })
}

/// Removes facilitator `email`'s role in study `slug`. Refused for someone with no role
/// (NotFound) and for the last owner. Audited (`study.revoke`). Returns the role removed.
pub fn remove(conn: &mut DbConnection, slug: &str, email: &str, actor: &Actor) -> Result<Role, ServiceError> {
    write_transaction(conn, |conn| {
        let study = study(conn, slug)?;
        let facilitator = accounts::facilitator_by_email(conn, email)?;
        StudyRole::lock_study(conn, study.id)?;
        let members = StudyRole::members(conn, study.id)?;
        let Some(member) = members.iter().find(|m| m.facilitator_id == facilitator.id) else {
            return Err(ServiceError::NotFound(format!(
                "email: {} has no role in the study `{slug}`",
                facilitator.email
            )));
        };
        let role = parse_role(member)?;
        if role == Role::Owner {
            keep_an_owner(&members, &facilitator, slug)?;
        }
        let at = now();
        StudyRole::remove(conn, study.id, facilitator.id)?;
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "study.revoke",
            &json!({ "facilitator": facilitator.email, "previous": role.as_str() }),
            at,
        )?;
        Ok(role)
    })
}
