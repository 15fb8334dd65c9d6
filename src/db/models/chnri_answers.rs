//! Answers to the CHNRI questions (`chnri_answers`): one row per expert, item, criterion and
//! question; no answer is no row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, upsert};
use crate::db::schema::chnri_answers;
use crate::db::{in_chunks, DbConnection};
use crate::domain::chnri::ChnriAnswer;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = chnri_answers)]
pub struct ChnriAnswerRow {
    pub item_id: i64,
    pub expert_id: i64,
    pub criterion: String,
    pub question: i32,
    #[diesel(deserialize_as = String)]
    pub answer: ChnriAnswer,
    pub saved_at: NaiveDateTime,
}

// Many rows in one statement on SQLite needs diesel to write every value (no DEFAULT).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = chnri_answers, treat_none_as_default_value = false)]
pub struct NewChnriAnswer {
    pub round_id: i64,
    pub item_id: i64,
    pub expert_id: i64,
    pub criterion: String,
    pub question: i32,
    pub answer: String,
    pub saved_at: NaiveDateTime,
}

lookups!(ChnriAnswerRow in chnri_answers {
    /// The panel's answers, by item, expert, criterion and question.
    of_round(round_id) on panel by (
        chnri_answers::item_id.asc(),
        chnri_answers::expert_id.asc(),
        chnri_answers::criterion.asc(),
        chnri_answers::question.asc(),
    );
    /// One expert's answers in the round, for their page.
    of_expert(round_id, expert_id) by (
        chnri_answers::item_id.asc(),
        chnri_answers::criterion.asc(),
        chnri_answers::question.asc(),
    );
});

impl ChnriAnswerRow {
    /// Inserts or replaces answers, in chunks of 1,000 rows (7,000 bound parameters, under
    /// both backends' limits).
    pub fn upsert_many(conn: &mut DbConnection, rows: &[NewChnriAnswer]) -> QueryResult<usize> {
        in_chunks(rows, 1_000, |chunk| {
            upsert!(conn, chnri_answers, chunk,
                on (round_id, item_id, expert_id, criterion, question)
                replacing (answer, saved_at))
        })
    }

    /// Removes one answer (the expert took it back); returns how many rows went.
    pub fn delete(
        conn: &mut DbConnection,
        round_id: i64,
        item_id: i64,
        expert_id: i64,
        criterion: &str,
        question: i32,
    ) -> QueryResult<usize> {
        diesel::delete(
            chnri_answers::table
                .filter(chnri_answers::round_id.eq(round_id))
                .filter(chnri_answers::item_id.eq(item_id))
                .filter(chnri_answers::expert_id.eq(expert_id))
                .filter(chnri_answers::criterion.eq(criterion))
                .filter(chnri_answers::question.eq(question)),
        )
        .execute(conn)
    }

    /// Deletes every answer of the expert, in every round (a test expert removed).
    pub fn delete_of_expert(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::delete(chnri_answers::table.filter(chnri_answers::expert_id.eq(expert_id))).execute(conn)
    }
}
