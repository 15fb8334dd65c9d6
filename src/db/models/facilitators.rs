use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, setters};
use crate::db::schema::facilitators;
use crate::db::DbConnection;

/// A facilitator account. `password_hash` is an argon2id PHC string; emails are stored
/// lowercased so that lookups need no case folding in SQL.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = facilitators)]
pub struct Facilitator {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
}

lookups!(Facilitator in facilitators {
    by_id;
    by_email(email: &str) unique;
    /// By email.
    all by facilitators::email.asc();
    insert(NewFacilitator<'_>);
});

#[derive(Debug, Insertable)]
#[diesel(table_name = facilitators)]
pub struct NewFacilitator<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
    pub created_at: NaiveDateTime,
}

setters!(Facilitator in facilitators {
    set_password(password_hash: &str);
    record_login(at: NaiveDateTime) sets last_login_at;
    set_name(name: &str);
});

impl Facilitator {
    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }

    /// An invited facilitator has no password until they follow the invitation's link.
    pub fn has_joined(&self) -> bool {
        !self.password_hash.is_empty()
    }

    /// Whether any account exists (none: Delphi is waiting for its set-up link).
    pub fn any(conn: &mut DbConnection) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(facilitators::table.select(facilitators::id))).get_result(conn)
    }

    /// Disables the account (`Some(at)`) or enables it again (`None`); returns 1 when the
    /// account changed state.
    pub fn set_disabled(conn: &mut DbConnection, id: i64, at: Option<NaiveDateTime>) -> QueryResult<usize> {
        let target = facilitators::table.find(id);
        match at {
            Some(at) => diesel::update(target.filter(facilitators::disabled_at.is_null()))
                .set(facilitators::disabled_at.eq(Some(at)))
                .execute(conn),
            None => diesel::update(target.filter(facilitators::disabled_at.is_not_null()))
                .set(facilitators::disabled_at.eq(None::<NaiveDateTime>))
                .execute(conn),
        }
    }
}
