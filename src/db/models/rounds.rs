use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, values};
use crate::db::schema::{items, round_items, rounds, studies};
use crate::db::{natively, DbConnection};
use crate::domain::round::{Origin, RoundKind, RoundState};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = rounds)]
pub struct Round {
    pub id: i64,
    pub study_id: i64,
    pub number: i32,
    #[diesel(deserialize_as = String)]
    pub status: RoundState,
    pub opened_at: Option<NaiveDateTime>,
    pub deadline: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_by: Option<String>,
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = String)]
    pub kind: RoundKind,
}

lookups!(Round in rounds {
    by_id;
});

/// Rounds the study has run or runs: every state but `draft`. A draft round is the next round
/// rehearsed by test experts before it opens; it is not a round of the study until then, so
/// no count, result, export or plan that lists rounds sees it.
fn run() -> diesel::dsl::NotEq<rounds::status, &'static str> {
    rounds::status.ne(RoundState::Draft.as_str())
}

/// The study's rounds that are run (see `run`), the ideas round among them.
type RunOf = diesel::dsl::Filter<
    diesel::dsl::Filter<rounds::table, diesel::dsl::Eq<rounds::study_id, i64>>,
    diesel::dsl::NotEq<rounds::status, &'static str>,
>;

fn run_of(study_id: i64) -> RunOf {
    rounds::table.filter(rounds::study_id.eq(study_id)).filter(run())
}

/// The round with this id while it is in `state`. Every change of state updates through it,
/// so a change applies once and whoever comes second finds no row to change.
type WhileIn =
    diesel::dsl::Filter<diesel::dsl::Find<rounds::table, i64>, diesel::dsl::Eq<rounds::status, &'static str>>;

fn while_in(id: i64, state: RoundState) -> WhileIn {
    rounds::table.find(id).filter(rounds::status.eq(state.as_str()))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = round_items)]
pub struct RoundItem {
    pub id: i64,
    pub round_id: i64,
    pub item_id: i64,
    pub position: i32,
    pub item_version: i32,
    #[diesel(deserialize_as = String)]
    pub origin: Origin,
}

lookups!(RoundItem in round_items {
    /// The round's items in the order the round asks them.
    of_round(round_id) by round_items::position.asc();
});

impl Round {
    pub fn items(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<RoundItem>> {
        RoundItem::of_round(conn, round_id)
    }

    /// How many rounds the study has opened (open or closed; not a draft, see `run`; not the
    /// ideas round, see `of_study`).
    pub fn count_of(conn: &mut DbConnection, study_id: i64) -> QueryResult<i64> {
        run_of(study_id)
            .filter(rounds::kind.ne(RoundKind::Ideas.as_str()))
            .count()
            .get_result(conn)
    }

    /// The study's rounds, in order, without the draft (see `run`) and without the ideas round
    /// (round 0, see `ideas_of_study`): every result, export, plan and count that lists rounds
    /// lists the rounds in which items are judged, numbered from 1 as before ideas rounds existed.
    pub fn of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Round>> {
        run_of(study_id)
            .filter(rounds::kind.ne(RoundKind::Ideas.as_str()))
            .order(rounds::number.asc())
            .select(Round::as_select())
            .load(conn)
    }

    /// The study's ideas round (round 0), open or closed.
    pub fn ideas_of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Option<Round>> {
        run_of(study_id)
            .filter(rounds::kind.eq(RoundKind::Ideas.as_str()))
            .select(Round::as_select())
            .get_result(conn)
            .optional()
    }

    pub fn by_number(conn: &mut DbConnection, study_id: i64, number: i32) -> QueryResult<Option<Round>> {
        run_of(study_id)
            .filter(rounds::number.eq(number))
            .select(Round::as_select())
            .get_result(conn)
            .optional()
    }

    pub fn open_of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Option<Round>> {
        Round::of_study_in(conn, study_id, RoundState::Open)
    }

    /// The study's round in `state`: the use cases keep at most one open and one draft round
    /// per study.
    fn of_study_in(conn: &mut DbConnection, study_id: i64, state: RoundState) -> QueryResult<Option<Round>> {
        rounds::table
            .filter(rounds::study_id.eq(study_id))
            .filter(rounds::status.eq(state.as_str()))
            .select(Round::as_select())
            .get_result(conn)
            .optional()
    }

    /// Inserts round `number` of the study, opened `at` when `status` is open, else a draft
    /// (the next round as test experts rehearse it), which has no opening time nor deadline.
    pub fn insert(
        conn: &mut DbConnection,
        study_id: i64,
        number: i32,
        kind: RoundKind,
        status: RoundState,
        deadline: Option<NaiveDateTime>,
        at: NaiveDateTime,
    ) -> QueryResult<Round> {
        let opened_at = (status == RoundState::Open).then_some(at);
        diesel::insert_into(rounds::table)
            .values(values!(rounds {
                study_id,
                number,
                kind: kind.as_str(),
                status: status.as_str(),
                opened_at,
                deadline,
                created_at: at,
            }))
            .returning(rounds::all_columns)
            .get_result(conn)
    }

    /// Re-reads the round under a row lock. On PostgreSQL, a closing transaction takes it
    /// `FOR UPDATE` and a rating takes it `FOR SHARE`, so a rating either commits before the
    /// close counts or waits and then sees the round closed. SQLite needs no lock: its write
    /// transactions (`BEGIN IMMEDIATE`) already run one at a time.
    pub fn lock(conn: &mut DbConnection, id: i64, exclusive: bool) -> QueryResult<Round> {
        match conn {
            DbConnection::Postgres(pg) => {
                let query = rounds::table.find(id).select(rounds::all_columns);
                if exclusive {
                    query.for_update().get_result(pg)
                } else {
                    query.for_share().get_result(pg)
                }
            }
            DbConnection::Sqlite(c) => rounds::table.find(id).select(Round::as_select()).get_result(c),
        }
    }

    /// Marks the round closed if it is still open; returns false when someone else closed it.
    pub fn mark_closed(conn: &mut DbConnection, id: i64, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(while_in(id, RoundState::Open))
            .set(values!(rounds {
                status: RoundState::Closed.as_str(),
                closed_at: at,
                closed_by: by
            }))
            .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn item_count(conn: &mut DbConnection, round_id: i64) -> QueryResult<i64> {
        round_items::table
            .filter(round_items::round_id.eq(round_id))
            .count()
            .get_result(conn)
    }

    /// The round's items by code (answers saved together look each one up here).
    pub fn item_ids_by_code(
        conn: &mut DbConnection,
        round_id: i64,
    ) -> QueryResult<std::collections::HashMap<String, i64>> {
        let rows: Vec<(String, i64)> = natively!(conn, |c| round_items::table
            .inner_join(items::table)
            .filter(round_items::round_id.eq(round_id))
            .select((items::code, items::id))
            .load(c))?;
        Ok(rows.into_iter().collect())
    }

    /// The id of the item with `code` if it is part of the round.
    pub fn item_by_code(conn: &mut DbConnection, round_id: i64, code: &str) -> QueryResult<Option<i64>> {
        round_items::table
            .inner_join(items::table)
            .filter(round_items::round_id.eq(round_id))
            .filter(items::code.eq(code))
            .select(items::id)
            .get_result(conn)
            .optional()
    }

    pub fn add_item(
        conn: &mut DbConnection,
        round_id: i64,
        item_id: i64,
        position: i32,
        item_version: i32,
        origin: Origin,
    ) -> QueryResult<usize> {
        diesel::insert_into(round_items::table)
            .values(values!(round_items {
                round_id,
                item_id,
                position,
                item_version,
                origin: origin.as_str(),
            }))
            .execute(conn)
    }
}

impl Round {
    /// The study's draft round (the next round as test experts rehearse it), if there is one.
    pub fn draft_of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Option<Round>> {
        Round::of_study_in(conn, study_id, RoundState::Draft)
    }

    /// Opens a draft round for real; false if it was not a draft any more.
    pub fn promote(
        conn: &mut DbConnection,
        id: i64,
        deadline: Option<NaiveDateTime>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(while_in(id, RoundState::Draft))
            .set(values!(rounds {
                status: RoundState::Open.as_str(),
                opened_at: at,
                deadline
            }))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Deletes a draft round with its test invitations and answers (cascade); never another.
    pub fn delete_draft(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(while_in(id, RoundState::Draft)).execute(conn)
    }

    /// Makes the round ask exactly `planned` (item id, version, origin), in that order: items
    /// no longer planned are taken out with their answers (the foreign key cascades), the
    /// others added or updated. Whether anything changed.
    pub fn set_items(
        conn: &mut DbConnection,
        round_id: i64,
        planned: &[(i64, i32, Origin)],
    ) -> QueryResult<bool> {
        let existing: std::collections::HashMap<i64, RoundItem> = Round::items(conn, round_id)?
            .into_iter()
            .map(|ri| (ri.item_id, ri))
            .collect();
        let keep: std::collections::HashSet<i64> = planned.iter().map(|(id, _, _)| *id).collect();
        let gone: Vec<i64> = existing.keys().filter(|id| !keep.contains(id)).copied().collect();
        let mut changed = !gone.is_empty();
        if changed {
            diesel::delete(
                round_items::table
                    .filter(round_items::round_id.eq(round_id))
                    .filter(round_items::item_id.eq_any(&gone)),
            )
            .execute(conn)?;
        }
        for (index, &(item_id, version, origin)) in planned.iter().enumerate() {
            let position = index as i32 + 1;
            match existing.get(&item_id) {
                None => {
                    Round::add_item(conn, round_id, item_id, position, version, origin)?;
                    changed = true;
                }
                Some(ri) if (ri.position, ri.item_version, ri.origin) != (position, version, origin) => {
                    diesel::update(round_items::table.find(ri.id))
                        .set(values!(round_items {
                            position,
                            item_version: version,
                            origin: origin.as_str(),
                        }))
                        .execute(conn)?;
                    changed = true;
                }
                Some(_) => {}
            }
        }
        Ok(changed)
    }
}

impl Round {
    /// Open rounds that have a deadline, with their study's slug: what the scheduler watches.
    pub fn open_with_deadline(conn: &mut DbConnection) -> QueryResult<Vec<(Round, String)>> {
        rounds::table
            .inner_join(studies::table)
            .filter(rounds::status.eq(RoundState::Open.as_str()))
            .filter(rounds::deadline.is_not_null())
            .order(rounds::id.asc())
            .select((Round::as_select(), studies::slug))
            .load(conn)
    }

    /// Takes the round for this transaction if it is still open and nobody else holds it;
    /// `None` otherwise. On PostgreSQL `FOR UPDATE SKIP LOCKED`: a second `serve` instance
    /// ticking at the same moment skips the round instead of waiting and doing the work again
    /// (and, as the lock is taken on the row's latest version, a round closed meanwhile no
    /// longer matches `status = 'open'`). SQLite runs one write transaction at a time
    /// (`BEGIN IMMEDIATE`), so reading the status inside it is enough.
    pub fn claim_open(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Round>> {
        let query = while_in(id, RoundState::Open).select(rounds::all_columns);
        match conn {
            DbConnection::Postgres(pg) => query.for_update().skip_locked().get_result(pg).optional(),
            DbConnection::Sqlite(_) => query.get_result(conn).optional(),
        }
    }

    pub fn set_deadline(conn: &mut DbConnection, id: i64, deadline: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(while_in(id, RoundState::Open))
            .set(rounds::deadline.eq(deadline))
            .execute(conn)
    }
}
