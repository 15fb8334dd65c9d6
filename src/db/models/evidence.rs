use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{item_evidence, items};
use crate::db::DbConnection;

/// An evidence note of an item (a citation and an optional link), shown to experts as the
/// item's background.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = item_evidence)]
pub struct Evidence {
    pub id: i64,
    pub item_id: i64,
    pub position: i32,
    pub citation: String,
    pub link: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Evidence {
    /// The evidence notes of the study's items, by item then position.
    pub fn of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Evidence>> {
        item_evidence::table
            .filter(
                item_evidence::item_id.eq_any(
                    items::table
                        .filter(items::study_id.eq(study_id))
                        .select(items::id),
                ),
            )
            .order((item_evidence::item_id.asc(), item_evidence::position.asc()))
            .select(Evidence::as_select())
            .load(conn)
    }

    /// Adds a note after the item's others.
    pub fn append(
        conn: &mut DbConnection,
        item_id: i64,
        citation: &str,
        link: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let last: Option<i32> = item_evidence::table
            .filter(item_evidence::item_id.eq(item_id))
            .select(diesel::dsl::max(item_evidence::position))
            .first(conn)?;
        diesel::insert_into(item_evidence::table)
            .values((
                item_evidence::item_id.eq(item_id),
                item_evidence::position.eq(last.unwrap_or(0) + 1),
                item_evidence::citation.eq(citation),
                item_evidence::link.eq(link),
                item_evidence::created_at.eq(at),
            ))
            .execute(conn)
    }
}
