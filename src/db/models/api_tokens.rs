use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, setters};
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
    insert(NewApiToken<'_>);
    of_facilitator(facilitator_id) by api_tokens::id.asc();
});

setters!(ApiToken in api_tokens {
    touch(at: NaiveDateTime) sets last_used_at;
    /// Revokes the token unless it already is; returns 1 when this call revoked it.
    revoke(at: NaiveDateTime) sets revoked_at once;
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
    /// Retention: deletes tokens revoked before `before` (an active token is never touched).
    pub fn purge_revoked(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(api_tokens::table.filter(api_tokens::revoked_at.lt(before))).execute(conn)
    }
}
