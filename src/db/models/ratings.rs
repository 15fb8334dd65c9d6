use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::schema::{experts, ratings};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ratings)]
pub struct Rating {
    pub id: i64,
    pub round_id: i64,
    pub item_id: i64,
    pub expert_id: i64,
    pub score: Option<i32>,
    pub unable: bool,
    pub comment: Option<String>,
    pub reason: Option<String>,
    pub saved_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ratings)]
pub struct NewRating {
    pub round_id: i64,
    pub item_id: i64,
    pub expert_id: i64,
    pub score: Option<i32>,
    pub unable: bool,
    pub comment: Option<String>,
    pub reason: Option<String>,
    pub saved_at: NaiveDateTime,
}

/// One row of the aggregate a close reads: how many experts of a group gave `score` (or
/// "unable") to an item. Counting happens in the database, so closing a round of a million
/// ratings moves a few thousand rows, not a million.
#[derive(Debug, Clone, Queryable)]
pub struct CountRow {
    pub item_id: i64,
    pub group_id: i64,
    pub score: Option<i32>,
    pub unable: bool,
    pub count: i64,
}

// The upsert is the same statement on both backends, but diesel's multi connection cannot
// express ON CONFLICT, so it is written once here and run on the concrete connection.
macro_rules! upsert_ratings {
    ($conn:expr, $rows:expr) => {
        diesel::insert_into(ratings::table)
            .values($rows)
            .on_conflict((ratings::round_id, ratings::item_id, ratings::expert_id))
            .do_update()
            .set((
                ratings::score.eq(excluded(ratings::score)),
                ratings::unable.eq(excluded(ratings::unable)),
                ratings::comment.eq(excluded(ratings::comment)),
                ratings::reason.eq(excluded(ratings::reason)),
                ratings::saved_at.eq(excluded(ratings::saved_at)),
            ))
            .execute($conn)
    };
}

impl Rating {
    /// Inserts or replaces the answer of one expert to one item in one round.
    pub fn upsert(conn: &mut DbConnection, row: &NewRating) -> QueryResult<usize> {
        match conn {
            DbConnection::Sqlite(c) => upsert_ratings!(c, row),
            DbConnection::Postgres(c) => upsert_ratings!(c, row),
        }
    }

    /// Many answers at once (imports). Rows are sent in chunks that stay under both backends'
    /// limits on bound parameters (SQLite: 32766, PostgreSQL: 65535).
    pub fn upsert_many(conn: &mut DbConnection, rows: &[NewRating]) -> QueryResult<usize> {
        let mut written = 0;
        for chunk in rows.chunks(2_000) {
            written += match conn {
                DbConnection::Sqlite(c) => {
                    // SQLite's batch upsert needs one statement per row in diesel; inside the
                    // caller's transaction these are cheap prepared-statement executions.
                    let mut n = 0;
                    for row in chunk {
                        n += upsert_ratings!(&mut *c, row)?;
                    }
                    n
                }
                DbConnection::Postgres(c) => upsert_ratings!(c, chunk)?,
            };
        }
        Ok(written)
    }

    pub fn delete(
        conn: &mut DbConnection,
        round_id: i64,
        item_id: i64,
        expert_id: i64,
    ) -> QueryResult<usize> {
        diesel::delete(
            ratings::table
                .filter(ratings::round_id.eq(round_id))
                .filter(ratings::item_id.eq(item_id))
                .filter(ratings::expert_id.eq(expert_id)),
        )
        .execute(conn)
    }

    pub fn of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<Rating>> {
        ratings::table
            .filter(ratings::round_id.eq(round_id))
            .order((ratings::item_id.asc(), ratings::expert_id.asc()))
            .select(Rating::as_select())
            .load(conn)
    }

    pub fn of_expert(conn: &mut DbConnection, round_id: i64, expert_id: i64) -> QueryResult<Vec<Rating>> {
        ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::expert_id.eq(expert_id))
            .select(Rating::as_select())
            .load(conn)
    }

    /// Counts per item × stakeholder group × answer for one round.
    pub fn counts(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<CountRow>> {
        ratings::table
            .inner_join(experts::table)
            .filter(ratings::round_id.eq(round_id))
            .group_by((
                ratings::item_id,
                experts::group_id,
                ratings::score,
                ratings::unable,
            ))
            .select((
                ratings::item_id,
                experts::group_id,
                ratings::score,
                ratings::unable,
                diesel::dsl::count_star(),
            ))
            .load(conn)
    }

    /// (expert, item, score) of every numeric answer in a round: for stability and attrition.
    pub fn scores_of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<(i64, i64, i32)>> {
        ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::score.is_not_null())
            .select((
                ratings::expert_id,
                ratings::item_id,
                ratings::score.assume_not_null(),
            ))
            .load(conn)
    }
}
