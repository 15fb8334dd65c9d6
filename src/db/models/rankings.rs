//! The answers of ranking rounds: one row per item an expert chose, at its position.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::experts::on_panel;
use crate::db::schema::{experts, rankings};
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

impl Ranking {
    /// The panel's lists in the round (test experts' are not among them), by expert, then
    /// position.
    pub fn of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<Ranking>> {
        rankings::table
            .inner_join(experts::table)
            .filter(rankings::round_id.eq(round_id))
            .filter(on_panel())
            .order((rankings::expert_id.asc(), rankings::position.asc()))
            .select(Ranking::as_select())
            .load(conn)
    }

    /// One expert's list, first choice first (test experts' too: it is their own page).
    pub fn of_expert(conn: &mut DbConnection, round_id: i64, expert_id: i64) -> QueryResult<Vec<Ranking>> {
        rankings::table
            .filter(rankings::round_id.eq(round_id))
            .filter(rankings::expert_id.eq(expert_id))
            .order(rankings::position.asc())
            .select(Ranking::as_select())
            .load(conn)
    }

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
