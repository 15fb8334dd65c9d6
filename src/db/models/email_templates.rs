use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, values};
use crate::db::schema::email_templates;
use crate::db::DbConnection;

/// A study's own wording of one email in one language.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = email_templates)]
pub struct EmailTemplate {
    pub id: i64,
    pub study_id: i64,
    pub name: String,
    pub language: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub updated_at: NaiveDateTime,
}

lookups!(EmailTemplate in email_templates {
    of_study(study_id) by (email_templates::name.asc(), email_templates::language.asc());
});

impl EmailTemplate {
    /// Replaces the study's wording of `name` in `language` (delete + insert: portable, and
    /// the caller's transaction makes it atomic).
    #[allow(clippy::too_many_arguments)]
    pub fn set(
        conn: &mut DbConnection,
        study_id: i64,
        name: &str,
        language: &str,
        subject: &str,
        body_text: &str,
        body_html: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        EmailTemplate::clear(conn, study_id, name, language)?;
        diesel::insert_into(email_templates::table)
            .values(values!(email_templates {
                study_id,
                name,
                language,
                subject,
                body_text,
                body_html,
                updated_at: at,
            }))
            .execute(conn)
    }

    pub fn clear(conn: &mut DbConnection, study_id: i64, name: &str, language: &str) -> QueryResult<usize> {
        diesel::delete(
            email_templates::table
                .filter(email_templates::study_id.eq(study_id))
                .filter(email_templates::name.eq(name))
                .filter(email_templates::language.eq(language)),
        )
        .execute(conn)
    }
}
