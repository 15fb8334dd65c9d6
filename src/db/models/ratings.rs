use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::models::experts::on_panel;
use crate::db::schema::{experts, invitations, ratings};
use crate::db::{in_chunks, DbConnection};

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
    /// The criterion the answer is about; empty in a study without criteria.
    pub criterion: String,
    /// The first answer given in the round, before the group's feedback showed (`[feedback]
    /// timing = "after_rating"`); `None` otherwise.
    pub pre_feedback_score: Option<i32>,
    /// The group's feedback on the item shows on the expert's page (`after_rating`: set by
    /// their first answer, never unset).
    pub feedback_shown: bool,
}

impl Rating {
    /// The panel's answers in the round (test experts' are not among them), by item, then
    /// expert.
    pub fn of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<Rating>> {
        ratings::table
            .inner_join(experts::table)
            .filter(ratings::round_id.eq(round_id))
            .filter(on_panel())
            .order((ratings::item_id.asc(), ratings::expert_id.asc()))
            .select(Rating::as_select())
            .load(conn)
    }
}

/// One expert's answer as their form shows it: what a page needs and no more (decoding the
/// timestamps of 60 ratings was a tenth of the cost of a page).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ratings)]
pub struct Answer {
    pub item_id: i64,
    pub score: Option<i32>,
    pub unable: bool,
    pub comment: Option<String>,
    pub reason: Option<String>,
    pub feedback_shown: bool,
}

impl Answer {
    /// The expert's answers to the items themselves (a study without criteria).
    pub fn of_expert(conn: &mut DbConnection, round_id: i64, expert_id: i64) -> QueryResult<Vec<Answer>> {
        ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::expert_id.eq(expert_id))
            .filter(ratings::criterion.eq(""))
            .select(Answer::as_select())
            .load(conn)
    }

    /// The expert's answers on the criteria of a study with criteria, each with its criterion.
    pub fn of_expert_on_criteria(
        conn: &mut DbConnection,
        round_id: i64,
        expert_id: i64,
    ) -> QueryResult<Vec<(String, Answer)>> {
        ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::expert_id.eq(expert_id))
            .filter(ratings::criterion.ne(""))
            .select((ratings::criterion, Answer::as_select()))
            .load(conn)
    }
}

// NULL is written as NULL (not DEFAULT) so that SQLite can take many rows in one statement.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ratings, treat_none_as_default_value = false)]
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

/// An answer on one criterion (a study with criteria); a plain [`NewRating`] is written with
/// the criterion `''`, the column's default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ratings, treat_none_as_default_value = false)]
pub struct NewCriterionRating {
    #[diesel(embed)]
    pub rating: NewRating,
    pub criterion: String,
}

/// One row of the aggregate a close reads: how many experts of a group gave `score` (or
/// "unable") to an item. Counting happens in the database, so closing a round of a million
/// ratings moves a few thousand rows, not a million.
#[derive(Debug, Clone, Queryable)]
pub struct CountRow {
    pub item_id: i64,
    /// Empty in a study without criteria.
    pub criterion: String,
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
            .on_conflict((
                ratings::round_id,
                ratings::item_id,
                ratings::expert_id,
                ratings::criterion,
            ))
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

    /// Many answers at once (imports). Rows are sent in chunks of 2,000 (16,000 bound
    /// parameters), under both backends' limits (SQLite: 32,766, PostgreSQL: 65,535).
    pub fn upsert_many(conn: &mut DbConnection, rows: &[NewRating]) -> QueryResult<usize> {
        // A big import touches four indexes in random order; SQLite's default 2 MB page cache
        // would reread pages from disk for most rows. A 64 MB cache for the duration halves
        // the time of a 600,000-answer import (BENCHMARKS.md) without keeping the memory.
        let big_import = rows.len() > 10_000;
        if big_import {
            if let DbConnection::Sqlite(c) = conn {
                c.batch_execute("PRAGMA cache_size = -65536")?;
            }
        }
        let written = Rating::upsert_chunks(conn, rows);
        if big_import {
            if let DbConnection::Sqlite(c) = conn {
                c.batch_execute("PRAGMA cache_size = -2000")?;
            }
        }
        written
    }

    /// [`Rating::upsert_many`] for answers on criteria (imports of a study with criteria).
    pub fn upsert_many_on_criteria(
        conn: &mut DbConnection,
        rows: &[NewCriterionRating],
    ) -> QueryResult<usize> {
        // 9 columns a row, as `upsert_chunks`.
        in_chunks(rows, 2_000, |chunk| match conn {
            DbConnection::Sqlite(c) => upsert_ratings!(c, chunk),
            DbConnection::Postgres(c) => upsert_ratings!(c, chunk),
        })
    }

    fn upsert_chunks(conn: &mut DbConnection, rows: &[NewRating]) -> QueryResult<usize> {
        in_chunks(rows, 2_000, |chunk| match conn {
            DbConnection::Sqlite(c) => upsert_ratings!(c, chunk),
            DbConnection::Postgres(c) => upsert_ratings!(c, chunk),
        })
    }

    /// Keeps the answer just saved as the pre-feedback one when it is the first answer (a score,
    /// or "unable to score", which keeps none) of the expert to the item in the round; later
    /// answers change nothing. Whether the row was marked (the feedback shows from now on).
    pub fn note_first_answer(
        conn: &mut DbConnection,
        round_id: i64,
        item_id: i64,
        expert_id: i64,
        criterion: &str,
    ) -> QueryResult<bool> {
        diesel::update(
            ratings::table
                .filter(ratings::round_id.eq(round_id))
                .filter(ratings::item_id.eq(item_id))
                .filter(ratings::expert_id.eq(expert_id))
                .filter(ratings::criterion.eq(criterion))
                .filter(ratings::feedback_shown.eq(false))
                .filter(ratings::score.is_not_null().or(ratings::unable.eq(true))),
        )
        .set((
            ratings::pre_feedback_score.eq(ratings::score),
            ratings::feedback_shown.eq(true),
        ))
        .execute(conn)
        .map(|n| n > 0)
    }

    /// Clears the expert's answer to the item: deletes it, unless the group's feedback was
    /// shown for it (`after_rating`), whose row stays, blank, with its pre-feedback score:
    /// an expert cannot unsee the feedback, so their next answer is not a first one.
    pub fn clear(
        conn: &mut DbConnection,
        round_id: i64,
        item_id: i64,
        expert_id: i64,
        criterion: &str,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let row = ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::item_id.eq(item_id))
            .filter(ratings::expert_id.eq(expert_id))
            .filter(ratings::criterion.eq(criterion));
        let blanked = diesel::update(row.filter(ratings::feedback_shown.eq(true)))
            .set((
                ratings::score.eq(None::<i32>),
                ratings::unable.eq(false),
                ratings::comment.eq(None::<String>),
                ratings::reason.eq(None::<String>),
                ratings::saved_at.eq(at),
            ))
            .execute(conn)?;
        let deleted = diesel::delete(row.filter(ratings::feedback_shown.eq(false))).execute(conn)?;
        Ok(blanked + deleted)
    }

    pub fn of_expert(conn: &mut DbConnection, round_id: i64, expert_id: i64) -> QueryResult<Vec<Rating>> {
        ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::expert_id.eq(expert_id))
            .select(Rating::as_select())
            .load(conn)
    }

    /// Items the expert has answered (a score or "unable to score") in the round.
    pub fn answered_count(conn: &mut DbConnection, round_id: i64, expert_id: i64) -> QueryResult<i64> {
        ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::expert_id.eq(expert_id))
            .filter(ratings::score.is_not_null().or(ratings::unable.eq(true)))
            .count()
            .get_result(conn)
    }

    /// Counts per item × stakeholder group × answer for one round.
    ///
    /// PostgreSQL aggregates in the server (a few thousand rows cross the wire instead of a
    /// million). SQLite runs in-process, where sorting the joined rows for GROUP BY costs more
    /// than reading them: there the rows are read in index order and counted in a hash map,
    /// three times faster on 600,000 ratings (BENCHMARKS.md).
    pub fn counts(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<CountRow>> {
        match conn {
            DbConnection::Postgres(pg) => ratings::table
                .inner_join(experts::table)
                .filter(ratings::round_id.eq(round_id))
                .filter(on_panel())
                .group_by((
                    ratings::item_id,
                    ratings::criterion,
                    experts::group_id,
                    ratings::score,
                    ratings::unable,
                ))
                .select((
                    ratings::item_id,
                    ratings::criterion,
                    experts::group_id,
                    ratings::score,
                    ratings::unable,
                    diesel::dsl::count_star(),
                ))
                .load(pg),
            DbConnection::Sqlite(lite) => {
                // Only the panel is in the map, so test experts' answers are skipped below.
                let groups: std::collections::HashMap<i64, i64> = experts::table
                    .inner_join(invitations::table)
                    .filter(invitations::round_id.eq(round_id))
                    .filter(on_panel())
                    .select((experts::id, experts::group_id))
                    .load::<(i64, i64)>(lite)?
                    .into_iter()
                    .collect();
                let answers: Vec<(i64, i64, String, Option<i32>, bool)> = ratings::table
                    .filter(ratings::round_id.eq(round_id))
                    .select((
                        ratings::item_id,
                        ratings::expert_id,
                        ratings::criterion,
                        ratings::score,
                        ratings::unable,
                    ))
                    .load(lite)?;
                type Key = (i64, String, i64, Option<i32>, bool);
                let mut tally: std::collections::HashMap<Key, i64> = std::collections::HashMap::new();
                for (item_id, expert_id, criterion, score, unable) in answers {
                    // Every rating has an invitation (foreign key), so its expert is in the map
                    // unless they are a test expert.
                    if let Some(&group_id) = groups.get(&expert_id) {
                        *tally
                            .entry((item_id, criterion, group_id, score, unable))
                            .or_default() += 1;
                    }
                }
                Ok(tally
                    .into_iter()
                    .map(
                        |((item_id, criterion, group_id, score, unable), count)| CountRow {
                            item_id,
                            criterion,
                            group_id,
                            score,
                            unable,
                            count,
                        },
                    )
                    .collect())
            }
        }
    }

    /// (expert, item, score) of every numeric answer of the panel in a round: for stability and
    /// attrition.
    pub fn scores_of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<(i64, i64, i32)>> {
        ratings::table
            .inner_join(experts::table)
            .filter(ratings::round_id.eq(round_id))
            .filter(on_panel())
            .filter(ratings::score.is_not_null())
            // Stability compares one answer per expert and item: a study with criteria has none.
            .filter(ratings::criterion.eq(""))
            .select((
                ratings::expert_id,
                ratings::item_id,
                ratings::score.assume_not_null(),
            ))
            .load(conn)
    }
}

impl Rating {
    /// Deletes every answer of the expert, in every round (a test expert's, removed from the
    /// test run); returns how many.
    pub fn delete_of_expert(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::delete(ratings::table.filter(ratings::expert_id.eq(expert_id))).execute(conn)
    }

    /// Blanks the free-text comment and reason of every answer of the expert (an erasure that
    /// asks for it); scores stay, so results do not change. Returns the answers changed.
    pub fn clear_texts_of_expert(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::update(
            ratings::table
                .filter(ratings::expert_id.eq(expert_id))
                .filter(ratings::comment.is_not_null().or(ratings::reason.is_not_null())),
        )
        .set((
            ratings::comment.eq(None::<String>),
            ratings::reason.eq(None::<String>),
        ))
        .execute(conn)
    }
}
