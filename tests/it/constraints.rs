//! The schema itself refuses impossible states, on both backends alike.

use delphi::db::schema::*;
use delphi::db::{now, DbConnection};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use crate::support::app::TestDatabase;

struct Fixture {
    round: i64,
    item: i64,
    other_item: i64,
    expert: i64,
    uninvited_expert: i64,
}

fn id_of<T>(result: QueryResult<T>) -> T {
    result.expect("fixture insert")
}

/// One study with one open round, two items (one in the round), two experts (one invited).
fn fixture(conn: &mut DbConnection) -> Fixture {
    let t = now();
    let study: i64 = id_of(
        diesel::insert_into(studies::table)
            .values((
                studies::slug.eq("constraints"),
                studies::title.eq("Constraints"),
                studies::description.eq(""),
                studies::language.eq("en"),
                studies::timezone.eq("UTC"),
                studies::definition.eq("{}"),
                studies::rule_set.eq("{}"),
                studies::created_at.eq(t),
                studies::updated_at.eq(t),
            ))
            .returning(studies::id)
            .get_result(conn),
    );
    let group: i64 = id_of(
        diesel::insert_into(stakeholder_groups::table)
            .values((
                stakeholder_groups::study_id.eq(study),
                stakeholder_groups::key.eq("researcher"),
                stakeholder_groups::name.eq("Researchers"),
                stakeholder_groups::position.eq(1),
            ))
            .returning(stakeholder_groups::id)
            .get_result(conn),
    );
    let section: i64 = id_of(
        diesel::insert_into(sections::table)
            .values((
                sections::study_id.eq(study),
                sections::key.eq("maternal"),
                sections::title.eq("Maternal"),
                sections::position.eq(1),
            ))
            .returning(sections::id)
            .get_result(conn),
    );
    let mut item_ids = Vec::new();
    for (i, code) in ["M01", "M02"].into_iter().enumerate() {
        item_ids.push(id_of(
            diesel::insert_into(items::table)
                .values((
                    items::study_id.eq(study),
                    items::section_id.eq(section),
                    items::code.eq(code),
                    items::text.eq("Haemoglobin concentration"),
                    items::position.eq(i as i32 + 1),
                    items::origin.eq("study_file"),
                    items::created_at.eq(t),
                    items::updated_at.eq(t),
                ))
                .returning(items::id)
                .get_result::<i64>(conn),
        ));
    }
    let mut expert_ids = Vec::new();
    for (i, email) in ["a@example.org", "b@example.org"].into_iter().enumerate() {
        expert_ids.push(id_of(
            diesel::insert_into(experts::table)
                .values((
                    experts::study_id.eq(study),
                    experts::group_id.eq(group),
                    experts::email.eq(email),
                    experts::name.eq("Expert"),
                    experts::pseudonym.eq(format!("E{:03}", i + 1)),
                    experts::created_at.eq(t),
                    experts::updated_at.eq(t),
                ))
                .returning(experts::id)
                .get_result::<i64>(conn),
        ));
    }
    let round: i64 = id_of(
        diesel::insert_into(rounds::table)
            .values((
                rounds::study_id.eq(study),
                rounds::number.eq(1),
                rounds::status.eq("open"),
                rounds::opened_at.eq(t),
                rounds::created_at.eq(t),
            ))
            .returning(rounds::id)
            .get_result(conn),
    );
    id_of(
        diesel::insert_into(round_items::table)
            .values((
                round_items::round_id.eq(round),
                round_items::item_id.eq(item_ids[0]),
                round_items::position.eq(1),
                round_items::item_version.eq(1),
                round_items::origin.eq("new"),
            ))
            .execute(conn),
    );
    id_of(
        diesel::insert_into(invitations::table)
            .values((
                invitations::round_id.eq(round),
                invitations::expert_id.eq(expert_ids[0]),
                invitations::created_at.eq(t),
            ))
            .execute(conn),
    );
    Fixture {
        round,
        item: item_ids[0],
        other_item: item_ids[1],
        expert: expert_ids[0],
        uninvited_expert: expert_ids[1],
    }
}

fn rate(
    conn: &mut DbConnection,
    round: i64,
    item: i64,
    expert: i64,
    score: Option<i32>,
    unable: bool,
) -> QueryResult<usize> {
    diesel::insert_into(ratings::table)
        .values((
            ratings::round_id.eq(round),
            ratings::item_id.eq(item),
            ratings::expert_id.eq(expert),
            ratings::score.eq(score),
            ratings::unable.eq(unable),
            ratings::saved_at.eq(now()),
        ))
        .execute(conn)
}

fn kind(result: QueryResult<usize>) -> DatabaseErrorKind {
    match result {
        Err(Error::DatabaseError(kind, _)) => kind,
        other => panic!("expected a database error, got {other:?}"),
    }
}

#[test]
fn a_duplicate_rating_is_refused() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let f = fixture(&mut conn);
    assert_eq!(
        rate(&mut conn, f.round, f.item, f.expert, Some(7), false).unwrap(),
        1
    );
    assert!(matches!(
        kind(rate(&mut conn, f.round, f.item, f.expert, Some(8), false)),
        DatabaseErrorKind::UniqueViolation
    ));
    let stored: Option<i32> = ratings::table.select(ratings::score).first(&mut conn).unwrap();
    assert_eq!(stored, Some(7), "the refused write changed nothing");
}

#[test]
fn dangling_foreign_keys_are_refused() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let f = fixture(&mut conn);
    // An item that exists but is not in the round.
    assert!(matches!(
        kind(rate(&mut conn, f.round, f.other_item, f.expert, Some(5), false)),
        DatabaseErrorKind::ForeignKeyViolation
    ));
    // An expert who exists but was not invited to the round.
    assert!(matches!(
        kind(rate(
            &mut conn,
            f.round,
            f.item,
            f.uninvited_expert,
            Some(5),
            false
        )),
        DatabaseErrorKind::ForeignKeyViolation
    ));
    // A round that does not exist at all.
    assert!(matches!(
        kind(rate(&mut conn, f.round + 999, f.item, f.expert, Some(5), false)),
        DatabaseErrorKind::ForeignKeyViolation
    ));
    let count: i64 = ratings::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 0);
}

#[test]
fn a_rating_cannot_be_both_a_score_and_unable() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let f = fixture(&mut conn);
    assert!(matches!(
        kind(rate(&mut conn, f.round, f.item, f.expert, Some(5), true)),
        DatabaseErrorKind::CheckViolation
    ));
    assert_eq!(rate(&mut conn, f.round, f.item, f.expert, None, true).unwrap(), 1);
}

#[test]
fn timestamps_round_trip_exactly() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let f = fixture(&mut conn);
    let opened: Option<chrono::NaiveDateTime> = rounds::table
        .find(f.round)
        .select(rounds::opened_at)
        .first(&mut conn)
        .unwrap();
    let t = now();
    diesel::update(rounds::table.find(f.round))
        .set(rounds::deadline.eq(t))
        .execute(&mut conn)
        .unwrap();
    let deadline: Option<chrono::NaiveDateTime> = rounds::table
        .find(f.round)
        .select(rounds::deadline)
        .first(&mut conn)
        .unwrap();
    assert_eq!(deadline, Some(t));
    assert!(opened.is_some());
}

#[test]
fn write_transactions_roll_back_on_error() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let f = fixture(&mut conn);
    let outcome: Result<(), Error> = delphi::db::write_transaction(&mut conn, |conn| {
        rate(conn, f.round, f.item, f.expert, Some(9), false)?;
        rate(conn, f.round, f.item, f.expert, Some(9), false)?;
        Ok(())
    });
    assert!(outcome.is_err());
    let count: i64 = ratings::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 0, "the first insert was rolled back with the second");
    delphi::db::write_transaction::<_, Error, _>(&mut conn, |conn| {
        rate(conn, f.round, f.item, f.expert, Some(9), false).map(|_| ())
    })
    .unwrap();
    let count: i64 = ratings::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 1);
}
