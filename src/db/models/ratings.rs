use std::sync::LazyLock;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};

use crate::db::lookups::{lookups, upsert};
use crate::db::models::experts::on_panel;
use crate::db::models::invitations::RESULTS;
use crate::db::schema::{experts, invitations, ratings};
use crate::db::{in_chunks, natively, write_transaction, Backend, DbConnection};
use crate::domain::round::{RoundKind, RoundState};

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

lookups!(Rating in ratings {
    /// The panel's answers in the round, by item, then expert.
    of_round(round_id) on panel by (ratings::item_id.asc(), ratings::expert_id.asc());
});

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
        natively!(conn, |c| ratings::table
            .filter(ratings::round_id.eq(round_id))
            .filter(ratings::expert_id.eq(expert_id))
            .filter(ratings::criterion.eq(""))
            .select(Answer::as_select())
            .load(c))
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

/// The answer of an expert to an item (on a criterion) in a round, inserted or replaced.
macro_rules! upsert_ratings {
    ($conn:expr, $rows:expr) => {
        upsert!($conn, ratings, $rows,
            on (round_id, item_id, expert_id, criterion)
            replacing (score, unable, comment, reason, saved_at))
    };
}

/// An autosave that [`Rating::save_checked`] writes only if everything the database knows
/// allows it. It owns its texts, so that it can wait in the autosave committer's queue.
#[derive(Debug, Clone)]
pub struct CheckedAnswer {
    /// The hash of the expert's personal link.
    pub token_hash: String,
    /// The study's `updated_at` as the caller knows it: what the caller checked against the
    /// study's definition (the scale, the criteria, the feedback timing) still holds.
    pub study_stamp: NaiveDateTime,
    pub round_number: i32,
    pub item_code: String,
    pub criterion: String,
    pub score: Option<i32>,
    pub unable: bool,
    pub comment: Option<String>,
    pub reason: Option<String>,
    pub saved_at: NaiveDateTime,
    /// The answer lets the group's feedback show (`after_rating`): if it is the first, it is
    /// kept as the pre-feedback answer and the row marked, as [`Rating::note_first_answers`].
    pub reveals_feedback: bool,
}

/// What [`Rating::save_checked`] returns besides "saved": the figures of the expert's progress.
#[derive(Debug, Clone, QueryableByName)]
pub struct CheckedSave {
    /// Answers (a score or "unable to score") of the expert in the round, other than this one.
    #[diesel(sql_type = BigInt)]
    pub answered_elsewhere: i64,
    /// Items on the expert's drawn page (0: no page drawn).
    #[diesel(sql_type = BigInt)]
    pub page_items: i64,
    #[diesel(sql_type = BigInt)]
    pub round_items: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub expert_language: Option<String>,
}

/// The autosave as one statement: the link (unrevoked, not a results link, its invitation
/// unrevoked and started, its expert not erased), the round (open, a rating round, the
/// expected one), the study (unchanged since the caller's checks), the item (in the round and
/// on the expert's page when pages are drawn) are the conditions of an INSERT … SELECT, so a
/// refused answer writes no row and returns none. The pre-feedback answer is kept as
/// `note_first_answers` keeps it. `FOR SHARE OF r` (PostgreSQL): a close holding the round's
/// row waits for us, or we wait for it and then see the round closed, as `Round::lock`.
/// `+o.round_id` keeps SQLite from counting through the round's index (every rating of the
/// round) instead of the expert's; PostgreSQL reads it as the same number.
const CHECKED_SAVE: &str = "\
INSERT INTO ratings (round_id, item_id, expert_id, criterion, score, unable, comment, reason, \
                     saved_at, pre_feedback_score, feedback_shown) \
SELECT r.id, i.id, v.expert_id, $1, $2, $3, $4, $5, $6, $7, $8 \
FROM invitation_tokens t \
JOIN invitations v ON v.id = t.invitation_id \
JOIN experts e ON e.id = v.expert_id \
JOIN rounds r ON r.id = v.round_id \
JOIN studies s ON s.id = r.study_id \
JOIN round_items ri ON ri.round_id = r.id \
JOIN items i ON i.id = ri.item_id \
WHERE t.token_hash = $9 AND t.revoked_at IS NULL AND t.purpose <> $10 \
  AND v.revoked_at IS NULL AND v.started_at IS NOT NULL AND e.erased_at IS NULL \
  AND r.status = $11 AND r.kind = $12 AND r.number = $13 \
  AND s.updated_at = $14 AND i.code = $15 \
  AND (NOT EXISTS (SELECT 1 FROM page_items p WHERE p.round_id = r.id AND p.expert_id = v.expert_id) \
       OR EXISTS (SELECT 1 FROM page_items p \
                  WHERE p.round_id = r.id AND p.expert_id = v.expert_id AND p.item_id = i.id)) \
LOCK \
ON CONFLICT (round_id, item_id, expert_id, criterion) DO UPDATE SET \
  score = excluded.score, unable = excluded.unable, comment = excluded.comment, \
  reason = excluded.reason, saved_at = excluded.saved_at, \
  pre_feedback_score = CASE WHEN ratings.feedback_shown OR NOT excluded.feedback_shown \
                            THEN ratings.pre_feedback_score ELSE excluded.pre_feedback_score END, \
  feedback_shown = ratings.feedback_shown OR excluded.feedback_shown \
RETURNING \
  (SELECT count(*) FROM ratings o \
   WHERE o.expert_id = ratings.expert_id AND +o.round_id = ratings.round_id \
     AND (o.score IS NOT NULL OR o.unable) \
     AND NOT (o.item_id = ratings.item_id AND o.criterion = ratings.criterion)) AS answered_elsewhere, \
  (SELECT count(*) FROM page_items p \
   WHERE p.round_id = ratings.round_id AND p.expert_id = ratings.expert_id) AS page_items, \
  (SELECT count(*) FROM round_items ri WHERE ri.round_id = ratings.round_id) AS round_items, \
  (SELECT e.language FROM experts e WHERE e.id = ratings.expert_id) AS expert_language";

/// [`CHECKED_SAVE`] cut at its parameters (`$1` … `$15`, each once and in order), so that
/// diesel writes each backend's own placeholders and keeps the statement prepared: sent as
/// text (`sql_query`) it was prepared and planned again on every autosave, which on PostgreSQL
/// cost more than the round trips it saved. SQLite has no row locks (its one writer at a time
/// is the lock).
static CHECKED_SAVE_POSTGRES: LazyLock<Vec<String>> =
    LazyLock::new(|| at_parameters(&CHECKED_SAVE.replace("LOCK", "FOR SHARE OF r")));
static CHECKED_SAVE_SQLITE: LazyLock<Vec<String>> =
    LazyLock::new(|| at_parameters(&CHECKED_SAVE.replace("LOCK", "")));

/// `sql` cut at each `$N`.
fn at_parameters(sql: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            pieces.push(String::new());
        } else if let Some(last) = pieces.last_mut() {
            last.push(c);
        }
    }
    pieces
}

/// The statement with its binds, prepared once per connection like any query of diesel's DSL.
struct CheckedSaveQuery<'a> {
    pieces: &'static [String],
    answer: &'a CheckedAnswer,
    /// The score kept as the pre-feedback one if this answer is the first to show the feedback.
    pre_feedback_score: Option<i32>,
}

impl<'a> CheckedSaveQuery<'a> {
    fn new(pieces: &'static [String], answer: &'a CheckedAnswer) -> Self {
        CheckedSaveQuery {
            pieces,
            answer,
            pre_feedback_score: answer.score.filter(|_| answer.reveals_feedback),
        }
    }
}

impl diesel::query_builder::QueryId for CheckedSaveQuery<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for CheckedSaveQuery<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Conn> RunQueryDsl<Conn> for CheckedSaveQuery<'_> {}

impl<DB> diesel::query_builder::QueryFragment<DB> for CheckedSaveQuery<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<Integer>
        + diesel::sql_types::HasSqlType<Bool>
        + diesel::sql_types::HasSqlType<Timestamp>,
    str: diesel::serialize::ToSql<Text, DB>,
    Option<String>: diesel::serialize::ToSql<Nullable<Text>, DB>,
    Option<i32>: diesel::serialize::ToSql<Nullable<Integer>, DB>,
    i32: diesel::serialize::ToSql<Integer, DB>,
    bool: diesel::serialize::ToSql<Bool, DB>,
    NaiveDateTime: diesel::serialize::ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        // The statement's pieces with the binds between them, `$1` … `$15` in order.
        let mut pieces = self.pieces.iter().map(String::as_str);
        macro_rules! binds {
            ($($sql_type:ty => $value:expr),+ $(,)?) => {
                $(
                    out.push_sql(pieces.next().unwrap_or_default());
                    out.push_bind_param::<$sql_type, _>($value)?;
                )+
                out.push_sql(pieces.next().unwrap_or_default());
            };
        }
        let a = self.answer;
        binds!(
            Text => a.criterion.as_str(),
            Nullable<Integer> => &a.score,
            Bool => &a.unable,
            Nullable<Text> => &a.comment,
            Nullable<Text> => &a.reason,
            Timestamp => &a.saved_at,
            Nullable<Integer> => &self.pre_feedback_score,
            Bool => &a.reveals_feedback,
            Text => a.token_hash.as_str(),
            Text => RESULTS,
            Text => RoundState::Open.as_str(),
            Text => RoundKind::Rating.as_str(),
            Integer => &a.round_number,
            Timestamp => &a.study_stamp,
            Text => a.item_code.as_str(),
        );
        Ok(())
    }
}

impl Rating {
    /// Saves an autosaved answer in one statement if the link, round, study and item allow
    /// it (see [`CHECKED_SAVE`]); `None` when they do not, with nothing written: the caller
    /// finds out why through the full path, which words the refusal.
    pub fn save_checked(conn: &mut DbConnection, answer: &CheckedAnswer) -> QueryResult<Option<CheckedSave>> {
        let mut saved = Rating::save_checked_together(conn, std::slice::from_ref(answer))?;
        Ok(saved.pop().flatten())
    }

    /// [`Rating::save_checked`] for several answers, one after the other in one transaction
    /// and one commit (group commit: on PostgreSQL each commit waits for its WAL to reach the
    /// disk), each with its own outcome, as if saved in turn: a later statement sees what an
    /// earlier one wrote. A declined answer writes nothing and does not stop the others; an
    /// error rolls them all back.
    pub fn save_checked_together(
        conn: &mut DbConnection,
        answers: &[CheckedAnswer],
    ) -> QueryResult<Vec<Option<CheckedSave>>> {
        let run = |conn: &mut DbConnection| {
            answers
                .iter()
                .map(|answer| {
                    let rows = match &mut *conn {
                        DbConnection::Sqlite(c) => {
                            CheckedSaveQuery::new(&CHECKED_SAVE_SQLITE, answer).load::<CheckedSave>(c)
                        }
                        DbConnection::Postgres(c) => {
                            CheckedSaveQuery::new(&CHECKED_SAVE_POSTGRES, answer).load::<CheckedSave>(c)
                        }
                    };
                    rows.map(|rows| rows.into_iter().next())
                })
                .collect::<QueryResult<Vec<_>>>()
        };
        match (conn.backend(), answers.len()) {
            // On PostgreSQL one statement is its own transaction: one round trip.
            (Backend::Postgres, 1) => run(conn),
            // SQLite's writers queue in-process, in order (`write_transaction`), instead of
            // polling in its busy handler; BEGIN and COMMIT are calls, not round trips.
            _ => write_transaction(conn, run),
        }
    }

    /// Inserts or replaces the answer of one expert to one item in one round.
    pub fn upsert(conn: &mut DbConnection, row: &NewRating) -> QueryResult<usize> {
        upsert_ratings!(conn, row)
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
        in_chunks(rows, 2_000, |chunk| upsert_ratings!(conn, chunk))
    }

    fn upsert_chunks(conn: &mut DbConnection, rows: &[NewRating]) -> QueryResult<usize> {
        in_chunks(rows, 2_000, |chunk| upsert_ratings!(conn, chunk))
    }

    /// Keeps the answers just saved to `item_ids` (on `criterion`) as the pre-feedback ones
    /// where each is the first answer (a score, or "unable to score", which keeps none) of the
    /// expert to the item in the round; later answers change nothing. One statement however
    /// many answers a form saved. Returns how many rows were marked (their feedback shows from
    /// now on).
    pub fn note_first_answers(
        conn: &mut DbConnection,
        round_id: i64,
        expert_id: i64,
        criterion: &str,
        item_ids: &[i64],
    ) -> QueryResult<usize> {
        diesel::update(
            ratings::table
                .filter(ratings::round_id.eq(round_id))
                .filter(ratings::item_id.eq_any(item_ids))
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
