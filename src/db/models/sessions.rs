use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, setters};
use crate::db::schema::facilitator_sessions;
use crate::db::DbConnection;

/// A browser session of a facilitator. Only the SHA-256 of the cookie's token is stored; the
/// CSRF token is kept in clear because the pages must repeat it in every form.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = facilitator_sessions)]
pub struct Session {
    pub id: i64,
    pub facilitator_id: i64,
    pub token_hash: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = facilitator_sessions)]
pub struct NewSession<'a> {
    pub facilitator_id: i64,
    pub token_hash: &'a str,
    pub csrf_token: &'a str,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

lookups!(Session in facilitator_sessions {
    by_token_hash;
});

setters!(Session in facilitator_sessions {
    touch(at: NaiveDateTime) sets last_seen_at;
});

impl Session {
    pub fn insert(conn: &mut DbConnection, new: &NewSession<'_>) -> QueryResult<usize> {
        diesel::insert_into(facilitator_sessions::table)
            .values(new)
            .execute(conn)
    }

    pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(facilitator_sessions::table.find(id)).execute(conn)
    }

    /// Ends every session of a facilitator (after a password change).
    pub fn delete_all_of(conn: &mut DbConnection, facilitator_id: i64) -> QueryResult<usize> {
        diesel::delete(
            facilitator_sessions::table.filter(facilitator_sessions::facilitator_id.eq(facilitator_id)),
        )
        .execute(conn)
    }

    /// Ends every session of the facilitator but `keep` (after a password change, the browser
    /// that changed it stays signed in; any other, perhaps a thief's, is signed out).
    pub fn delete_others_of(conn: &mut DbConnection, facilitator_id: i64, keep: i64) -> QueryResult<usize> {
        diesel::delete(
            facilitator_sessions::table
                .filter(facilitator_sessions::facilitator_id.eq(facilitator_id))
                .filter(facilitator_sessions::id.ne(keep)),
        )
        .execute(conn)
    }

    /// Forgets sessions that can no longer be used, so the table does not grow without end.
    pub fn delete_stale(
        conn: &mut DbConnection,
        idle_since: NaiveDateTime,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::delete(
            facilitator_sessions::table.filter(
                facilitator_sessions::last_seen_at
                    .lt(idle_since)
                    .or(facilitator_sessions::expires_at.le(now)),
            ),
        )
        .execute(conn)
    }
}
