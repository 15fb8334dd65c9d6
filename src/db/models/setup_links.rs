use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::setup_links;
use crate::db::DbConnection;

/// The one-time link that creates the first administrator (see the migration for why its
/// token is stored as it is).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = setup_links)]
pub struct SetupLink {
    pub id: i64,
    pub token: String,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

impl SetupLink {
    /// The newest link nobody has used yet.
    pub fn unused(conn: &mut DbConnection) -> QueryResult<Option<SetupLink>> {
        setup_links::table
            .filter(setup_links::used_at.is_null())
            .order(setup_links::id.desc())
            .select(SetupLink::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(conn: &mut DbConnection, token: &str, at: NaiveDateTime) -> QueryResult<SetupLink> {
        diesel::insert_into(setup_links::table)
            .values((setup_links::token.eq(token), setup_links::created_at.eq(at)))
            .returning(setup_links::all_columns)
            .get_result(conn)
    }

    /// Spends every unused link; returns how many there were.
    pub fn use_all(conn: &mut DbConnection, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(setup_links::table.filter(setup_links::used_at.is_null()))
            .set(setup_links::used_at.eq(at))
            .execute(conn)
    }
}
