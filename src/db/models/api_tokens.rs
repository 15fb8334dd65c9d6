use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::api_tokens;
use crate::db::DbConnection;

/// A bearer token for the JSON API, stored as the SHA-256 of the token.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub facilitator_id: i64,
    pub token_hash: String,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// `domain::token::TokenScope`.
    pub scope: String,
}

lookups!(ApiToken in api_tokens {
    by_token_hash;
    by_id;
});

#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    pub facilitator_id: i64,
    pub token_hash: &'a str,
    pub label: &'a str,
    pub created_at: NaiveDateTime,
    pub scope: &'a str,
}

impl ApiToken {
    pub fn insert(conn: &mut DbConnection, new: &NewApiToken<'_>) -> QueryResult<ApiToken> {
        diesel::insert_into(api_tokens::table)
            .values(new)
            .returning(api_tokens::all_columns)
            .get_result(conn)
    }

    pub fn of_facilitator(conn: &mut DbConnection, facilitator_id: i64) -> QueryResult<Vec<ApiToken>> {
        api_tokens::table
            .filter(api_tokens::facilitator_id.eq(facilitator_id))
            .order(api_tokens::id.asc())
            .select(ApiToken::as_select())
            .load(conn)
    }

    pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(at))
            .execute(conn)
    }

    /// Revokes the token unless it already is; returns 1 when this call revoked it.
    pub fn revoke(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(
            api_tokens::table
                .find(id)
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(at))
        .execute(conn)
    }
}

impl ApiToken {
    /// Retention: deletes tokens revoked before `before` (an active token is never touched).
    pub fn purge_revoked(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(api_tokens::table.filter(api_tokens::revoked_at.lt(before))).execute(conn)
    }
}
