use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, setters};
use crate::db::schema::password_resets;
use crate::db::DbConnection;
use crate::domain::account::LinkPurpose;

/// An emailed link that sets a password (a reset or an invitation to join), stored as the
/// SHA-256 of its token.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = password_resets)]
pub struct PasswordReset {
    pub id: i64,
    pub facilitator_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = String)]
    pub purpose: LinkPurpose,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = password_resets)]
pub struct NewPasswordReset<'a> {
    pub facilitator_id: i64,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub purpose: &'a str,
}

lookups!(PasswordReset in password_resets {
    by_token_hash;
    insert(NewPasswordReset<'_>);
});

impl PasswordReset {
    /// The newest link of the facilitator for `purpose`, used or not.
    pub fn latest_of(
        conn: &mut DbConnection,
        facilitator_id: i64,
        purpose: LinkPurpose,
    ) -> QueryResult<Option<PasswordReset>> {
        password_resets::table
            .filter(password_resets::facilitator_id.eq(facilitator_id))
            .filter(password_resets::purpose.eq(purpose.as_str()))
            .order(password_resets::id.desc())
            .select(PasswordReset::as_select())
            .first(conn)
            .optional()
    }
}

setters!(PasswordReset in password_resets {
    /// Marks every unused link of the facilitator used: one reset spends them all, so an older
    /// email lying in the inbox cannot undo the new password.
    use_all_of(at: NaiveDateTime) of facilitator_id sets used_at once;
});

impl PasswordReset {
    /// Retention: deletes links created before `before` that can no longer be used (used, or
    /// expired by `at`).
    pub fn purge(conn: &mut DbConnection, before: NaiveDateTime, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(
            password_resets::table
                .filter(password_resets::created_at.lt(before))
                .filter(
                    password_resets::used_at
                        .is_not_null()
                        .or(password_resets::expires_at.le(at)),
                ),
        )
        .execute(conn)
    }
}
