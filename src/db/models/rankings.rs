//! The answers of ranking rounds: one row per item an expert chose, at its position.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::rankings;
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rankings)]
pub struct Ranking {
    pub id: i64,
    pub round_id: i64,
    pub expert_id: i64,
    pub item_id: i64,
    pub position: i32,
    pub saved_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = rankings)]
pub struct NewRanking {
    pub round_id: i64,
    pub expert_id: i64,
    pub item_id: i64,
    pub position: i32,
    pub saved_at: NaiveDateTime,
}

lookups!(Ranking in rankings {
    /// The panel's lists, by expert, then position.
    of_round(round_id) on panel by (rankings::expert_id.asc(), rankings::position.asc());
    /// One expert's list, first choice first (test experts' too: it is their own page).
    of_expert(round_id, expert_id) by rankings::position.asc();
});

impl Ranking {
    /// Replaces an expert's whole list: a list is one answer, so a new one never mixes with
    /// the old (positions would collide). The caller holds the transaction.
    pub fn replace(
        conn: &mut DbConnection,
        round_id: i64,
        expert_id: i64,
        rows: &[NewRanking],
    ) -> QueryResult<usize> {
        diesel::delete(
            rankings::table
                .filter(rankings::round_id.eq(round_id))
                .filter(rankings::expert_id.eq(expert_id)),
        )
        .execute(conn)?;
        // One statement per row: a list is at most `choose` rows, and the multi-backend
        // connection has no batch insert common to both backends.
        let mut written = 0;
        for row in rows {
            written += diesel::insert_into(rankings::table).values(row).execute(conn)?;
        }
        Ok(written)
    }

    /// Removes every list of one expert (a test expert starting again); how many rows went.
    pub fn delete_of_expert(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::delete(rankings::table.filter(rankings::expert_id.eq(expert_id))).execute(conn)
    }
}
