use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::values;
use crate::db::schema::{facilitators, studies, study_roles};
use crate::db::DbConnection;

/// The role row of the facilitator in the study (at most one).
type RoleOf = diesel::dsl::Filter<
    diesel::dsl::Filter<study_roles::table, diesel::dsl::Eq<study_roles::study_id, i64>>,
    diesel::dsl::Eq<study_roles::facilitator_id, i64>,
>;

fn role_of(study_id: i64, facilitator_id: i64) -> RoleOf {
    study_roles::table
        .filter(study_roles::study_id.eq(study_id))
        .filter(study_roles::facilitator_id.eq(facilitator_id))
}

/// One study a facilitator has a role in, for lists.
#[derive(Debug, Clone, Queryable)]
pub struct StudyWithRole {
    pub study_id: i64,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub role: String,
}

/// One facilitator's role in a study, with their account, for the study's team page.
#[derive(Debug, Clone, Queryable)]
pub struct Member {
    pub facilitator_id: i64,
    pub email: String,
    pub name: String,
    pub disabled_at: Option<NaiveDateTime>,
    pub role: String,
    pub since: NaiveDateTime,
}

pub struct StudyRole;

impl StudyRole {
    /// The facilitator's role in the study (`owner`, `editor`, `viewer`), if any.
    pub fn of(conn: &mut DbConnection, study_id: i64, facilitator_id: i64) -> QueryResult<Option<String>> {
        role_of(study_id, facilitator_id)
            .select(study_roles::role)
            .first(conn)
            .optional()
    }

    /// Gives the facilitator `role` in the study, replacing a role they had; returns the
    /// previous role.
    pub fn set(
        conn: &mut DbConnection,
        study_id: i64,
        facilitator_id: i64,
        role: &str,
        at: NaiveDateTime,
    ) -> QueryResult<Option<String>> {
        let previous = StudyRole::of(conn, study_id, facilitator_id)?;
        if previous.is_some() {
            diesel::update(role_of(study_id, facilitator_id))
                .set(study_roles::role.eq(role))
                .execute(conn)?;
        } else {
            diesel::insert_into(study_roles::table)
                .values(values!(study_roles {
                    study_id,
                    facilitator_id,
                    role,
                    created_at: at
                }))
                .execute(conn)?;
        }
        Ok(previous)
    }

    /// The studies a facilitator has a role in, most recent first.
    pub fn studies_of(conn: &mut DbConnection, facilitator_id: i64) -> QueryResult<Vec<StudyWithRole>> {
        study_roles::table
            .inner_join(studies::table)
            .filter(study_roles::facilitator_id.eq(facilitator_id))
            .order((studies::created_at.desc(), studies::id.desc()))
            .select((
                studies::id,
                studies::slug,
                studies::title,
                studies::status,
                study_roles::role,
            ))
            .load(conn)
    }

    /// Everyone with a role in the study, by email.
    pub fn members(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Member>> {
        study_roles::table
            .inner_join(facilitators::table)
            .filter(study_roles::study_id.eq(study_id))
            .order(facilitators::email.asc())
            .select((
                facilitators::id,
                facilitators::email,
                facilitators::name,
                facilitators::disabled_at,
                study_roles::role,
                study_roles::created_at,
            ))
            .load(conn)
    }

    /// Takes the study's role rows under a row lock (PostgreSQL), so that two owners demoting
    /// each other at the same moment cannot both pass the last-owner check. SQLite's write
    /// transactions already run one at a time.
    pub fn lock_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<()> {
        if let DbConnection::Postgres(pg) = conn {
            study_roles::table
                .filter(study_roles::study_id.eq(study_id))
                .select(study_roles::id)
                .for_update()
                .load::<i64>(pg)?;
        }
        Ok(())
    }

    /// Removes the facilitator's role in the study; returns the number of rows removed.
    pub fn remove(conn: &mut DbConnection, study_id: i64, facilitator_id: i64) -> QueryResult<usize> {
        diesel::delete(role_of(study_id, facilitator_id)).execute(conn)
    }
}
