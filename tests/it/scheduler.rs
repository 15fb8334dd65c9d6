//! The scheduler inside `serve`: closes at the deadline, reminders before it, exactly once even
//! with two `serve` instances on one database. Ticks are driven directly with an injected clock;
//! one test lets the real server's scheduler do it.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::round_reminders::RoundReminder;
use delphi::db::models::rounds::Round;
use delphi::db::schema::{audit_log, results, studies as studies_table};
use delphi::db::{now, Db, DbConnection};
use delphi::domain::link::LinkBase;
use delphi::service::rounds;
use delphi::service::scheduler::{tick, Tick};
use delphi::service::{expert, mail, studies};
use diesel::prelude::*;

use crate::support::app::{keep_emails, TestDatabase};
use crate::support::fixtures::{actor, SLUG};
use crate::support::rounds::{close_round, load_demo, record_score};

fn links() -> LinkBase {
    LinkBase("https://delphi.example.org".into())
}

/// A `serve` instance on `database`; its own scheduler ticks every `scheduler_secs`, and emails
/// stay in the outbox. Returns its database pool.
async fn serve_on(database: &TestDatabase, scheduler_secs: u64) -> Db {
    database
        .serve_with(|settings| {
            settings.workers.scheduler_interval_secs = scheduler_secs;
            keep_emails(settings);
        })
        .await
        .db
}

/// The demo study with round 1 open until `deadline`; returns the round.
fn open_demo_round(conn: &mut DbConnection, deadline: NaiveDateTime) -> Round {
    load_demo(conn);
    rounds::open(conn, SLUG, Some(deadline), &links(), &actor()).unwrap();
    let study = studies::load(conn, SLUG).unwrap();
    Round::open_of_study(conn, study.id).unwrap().unwrap()
}

/// The status of the round `round_id` as stored (`open`, `closed`, …).
fn round_status(conn: &mut DbConnection, round_id: i64) -> String {
    Round::by_id(conn, round_id).unwrap().unwrap().status.to_string()
}

/// The study file stored with the demo study, as JSON text.
fn stored_definition(conn: &mut DbConnection) -> String {
    studies_table::table
        .select(studies_table::definition)
        .first(conn)
        .unwrap()
}

/// Stores `definition` as the demo study's file, as if the study had been saved with it.
fn store_definition(conn: &mut DbConnection, definition: &str) {
    diesel::update(studies_table::table)
        .set(studies_table::definition.eq(definition))
        .execute(conn)
        .unwrap();
}

fn study_id(conn: &mut DbConnection) -> i64 {
    studies::load(conn, SLUG).unwrap().id
}

/// Audit entries of `action` written by the scheduler.
fn scheduler_audits(conn: &mut DbConnection, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::actor.eq("scheduler"))
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(conn)
        .unwrap()
}

/// Reminder emails per expert id.
fn reminders_per_expert(conn: &mut DbConnection) -> HashMap<i64, usize> {
    let id = study_id(conn);
    let mut per = HashMap::new();
    for email in OutboxEmail::all(conn, Some(id)).unwrap() {
        if email.kind == "reminder" {
            *per.entry(email.expert_id.unwrap()).or_default() += 1;
        }
    }
    per
}

fn sum(ticks: &[Tick]) -> (usize, usize, usize) {
    ticks.iter().fold((0, 0, 0), |(c, r, f), t| {
        (c + t.closed.len(), r + t.reminded, f + t.failed)
    })
}

#[tokio::test]
async fn a_tick_after_the_deadline_closes_the_round_as_round_close_does() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let start = now();
    let round = open_demo_round(&mut conn, start + Duration::days(2));

    // Before the deadline nothing closes (the 1-day reminder is not due yet either).
    let quiet = tick(&mut conn, &links(), start + Duration::hours(1)).unwrap();
    assert_eq!(quiet, Tick::default());

    let done = tick(&mut conn, &links(), start + Duration::days(2)).unwrap();
    assert_eq!(done.closed, vec![(SLUG.to_string(), 1)]);
    assert_eq!(done.failed, 0);
    let closed = Round::by_id(&mut conn, round.id).unwrap().unwrap();
    assert_eq!(closed.status.as_str(), "closed");
    assert_eq!(closed.closed_by.as_deref(), Some("scheduler"));
    assert_eq!(scheduler_audits(&mut conn, "round.close"), 1);
    let rows: i64 = results::table
        .filter(results::round_id.eq(round.id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(rows > 0, "the close computed and stored the results");

    // Later ticks find nothing to do.
    for hours in [1, 2, 48] {
        let again = tick(
            &mut conn,
            &links(),
            start + Duration::days(2) + Duration::hours(hours),
        )
        .unwrap();
        assert_eq!(again, Tick::default());
    }
    assert_eq!(scheduler_audits(&mut conn, "round.close"), 1);
}

#[tokio::test]
async fn a_failing_round_is_counted_and_retried_at_the_next_tick() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let start = now();
    let round = open_demo_round(&mut conn, start + Duration::days(2));
    let definition = stored_definition(&mut conn);
    store_definition(&mut conn, "{ not json");
    let after = start + Duration::days(3);
    let failed = tick(&mut conn, &links(), after).unwrap();
    assert_eq!((failed.closed.len(), failed.failed), (0, 1));
    assert_eq!(round_status(&mut conn, round.id), "open");

    store_definition(&mut conn, &definition);
    let retried = tick(&mut conn, &links(), after + Duration::seconds(30)).unwrap();
    assert_eq!(retried.closed, vec![(SLUG.to_string(), 1)]);
    assert_eq!(retried.failed, 0);
}

#[tokio::test]
async fn close_at_deadline_false_leaves_the_round_open_and_sends_no_late_reminder() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let start = now();
    let round = open_demo_round(&mut conn, start + Duration::days(2));
    // The stored study file, as `close_at_deadline = false` in [rounds] would have made it.
    let mut file: serde_json::Value = serde_json::from_str(&stored_definition(&mut conn)).unwrap();
    file["rounds"]["close_at_deadline"] = false.into();
    store_definition(&mut conn, &file.to_string());

    let after = tick(&mut conn, &links(), start + Duration::days(3)).unwrap();
    assert_eq!(after, Tick::default());
    assert_eq!(round_status(&mut conn, round.id), "open");
    assert!(reminders_per_expert(&mut conn).is_empty());
    // The facilitator still closes it by hand.
    close_round(&mut conn, SLUG);
}

#[tokio::test]
async fn reminders_go_once_per_offset_to_those_who_have_not_submitted_nor_withdrawn() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let start = now();
    let round = open_demo_round(&mut conn, start + Duration::days(5));
    let invitations = Invitation::of_round(&mut conn, round.id).unwrap();
    let invited = invitations.len();
    assert!(invited >= 3);

    // One expert submits, one withdraws: neither is reminded.
    let submitter = &invitations[0];
    record_score(&mut conn, submitter.id, "M01", 8);
    expert::submit(&mut conn, submitter.id).unwrap();
    let leaver = delphi::db::models::experts::Expert::by_id(&mut conn, invitations[1].expert_id)
        .unwrap()
        .unwrap();
    mail::withdraw_expert(&mut conn, SLUG, leaver.email.as_deref().unwrap(), &actor()).unwrap();

    // Nothing is due two days in.
    assert_eq!(
        tick(&mut conn, &links(), start + Duration::days(1)).unwrap(),
        Tick::default()
    );

    // The 3-day reminder: due from day 2 on, queued once however often the scheduler ticks.
    let at_3d = start + Duration::days(2) + Duration::minutes(1);
    let ticks: Vec<Tick> = (0..10)
        .map(|i| tick(&mut conn, &links(), at_3d + Duration::minutes(i)).unwrap())
        .collect();
    assert_eq!(sum(&ticks), (0, invited - 2, 0));
    let per = reminders_per_expert(&mut conn);
    assert_eq!(per.len(), invited - 2);
    assert!(per.values().all(|&n| n == 1), "{per:?}");
    assert!(
        !per.contains_key(&submitter.expert_id),
        "the submitter is not reminded"
    );
    assert!(
        !per.contains_key(&leaver.id),
        "the withdrawn expert is not reminded"
    );

    // The 1-day reminder.
    let at_1d = start + Duration::days(4) + Duration::minutes(1);
    let ticks: Vec<Tick> = (0..10)
        .map(|i| tick(&mut conn, &links(), at_1d + Duration::minutes(i)).unwrap())
        .collect();
    assert_eq!(sum(&ticks), (0, invited - 2, 0));
    let per = reminders_per_expert(&mut conn);
    assert!(per.values().all(|&n| n == 2), "{per:?}");
    let recorded: Vec<String> = RoundReminder::of_round(&mut conn, round.id)
        .unwrap()
        .into_iter()
        .map(|r| r.offset_label)
        .collect();
    assert_eq!(recorded, ["3d", "1d"]);
    assert_eq!(scheduler_audits(&mut conn, "round.remind"), 2);
}

#[tokio::test]
async fn an_offset_already_past_when_the_round_opened_is_skipped() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let start = now();
    // A two-day round: its 3-day reminder would have been due before it opened.
    let round = open_demo_round(&mut conn, start + Duration::days(2));
    assert_eq!(
        tick(&mut conn, &links(), start + Duration::minutes(5)).unwrap(),
        Tick::default()
    );
    let one_day_before = tick(
        &mut conn,
        &links(),
        start + Duration::days(1) + Duration::minutes(1),
    )
    .unwrap();
    assert!(one_day_before.reminded > 0);
    let recorded: Vec<String> = RoundReminder::of_round(&mut conn, round.id)
        .unwrap()
        .into_iter()
        .map(|r| r.offset_label)
        .collect();
    assert_eq!(recorded, ["1d"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_close_once_and_remind_once() {
    let database = TestDatabase::new();
    // Two `serve` instances on the same database (the same SQLite file, or the same PostgreSQL
    // database); their own schedulers tick too, with the real clock, before the deadline.
    let first = serve_on(&database, 1).await;
    let second = serve_on(&database, 1).await;
    let start = now();
    let round = open_demo_round(&mut first.get().unwrap(), start + Duration::days(5));
    let invited = Invitation::of_round(&mut first.get().unwrap(), round.id)
        .unwrap()
        .len();

    // Both instances tick many times at once: first when the 3-day reminder is due, then after
    // the deadline.
    let race = |at: NaiveDateTime| -> Vec<Tick> {
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|scope| {
            let handles: Vec<_> = [&first, &second]
                .into_iter()
                .map(|db| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        let mut conn = db.get().unwrap();
                        barrier.wait();
                        (0..25)
                            .map(|_| tick(&mut conn, &links(), at).unwrap())
                            .collect::<Vec<Tick>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        })
    };

    let reminded = race(start + Duration::days(2) + Duration::minutes(1));
    assert_eq!(sum(&reminded), (0, invited, 0));
    let mut conn = first.get().unwrap();
    let per = reminders_per_expert(&mut conn);
    assert_eq!(per.len(), invited);
    assert!(per.values().all(|&n| n == 1), "one reminder per expert: {per:?}");
    let id = study_id(&mut conn);
    let keys: std::collections::HashSet<String> = OutboxEmail::all(&mut conn, Some(id))
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "reminder")
        .map(|e| e.idempotency_key)
        .collect();
    assert_eq!(keys.len(), invited, "one idempotency key per expert and offset");
    assert_eq!(scheduler_audits(&mut conn, "round.remind"), 1);

    let closed = race(start + Duration::days(5) + Duration::minutes(1));
    assert_eq!(sum(&closed), (1, 0, 0));
    assert_eq!(scheduler_audits(&mut conn, "round.close"), 1);
    let round = Round::by_id(&mut conn, round.id).unwrap().unwrap();
    assert_eq!(round.status.as_str(), "closed");
    let rows: i64 = results::table
        .filter(results::round_id.eq(round.id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let items = Round::items(&mut conn, round.id).unwrap().len() as i64;
    let study = studies::load(&mut conn, SLUG).unwrap();
    let per_item = (study.file.groups.len() as i64 + 1) * study.rules.rules().count() as i64;
    assert_eq!(rows, items * per_item, "each result row once");
}

#[tokio::test]
async fn the_server_closes_a_round_when_its_deadline_passes() {
    let database = TestDatabase::new();
    let db = serve_on(&database, 1).await;
    let mut conn = db.get().unwrap();
    // Opened with a far deadline, then moved 2 s ahead: loading the demo study can itself take
    // more than 2 s on a busy machine, and the open refuses a deadline already past.
    let round = open_demo_round(&mut conn, now() + Duration::days(1));
    Round::set_deadline(&mut conn, round.id, now() + Duration::seconds(2)).unwrap();
    let mut status = String::new();
    for _ in 0..60 {
        status = round_status(&mut conn, round.id);
        if status == "closed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(status, "closed", "closed within 15 s of a 2 s deadline");
    let round = Round::by_id(&mut conn, round.id).unwrap().unwrap();
    assert_eq!(round.closed_by.as_deref(), Some("scheduler"));
    assert!(round.closed_at.unwrap() >= round.deadline.unwrap());
    assert_eq!(scheduler_audits(&mut conn, "round.close"), 1);
}
