//! `[limits] shared = true`: the rate limits' buckets in the PostgreSQL database, one budget for
//! every `delphi serve` on it; refused on SQLite, where one process owns the file. "Send me a
//! new link" (POST /link) allows 5 requests in a burst per address, then one every 12 seconds.

use delphi::config::Settings;
use delphi::domain::token_bucket::TokenBucket;
use delphi::service::{rate_limits, retention, Store};
use delphi::startup::Application;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Double;

use crate::support::app::{Server, TestDatabase};
use crate::support::cli::Cli;

/// POST /link to `server`; the status.
async fn ask_for_a_link(client: &reqwest::Client, server: &Server) -> u16 {
    client
        .post(format!("{}/link", server.address()))
        .form(&[("email", "nobody@example.org")])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn shared(settings: &mut Settings) {
    settings.limits.shared = true;
}

#[tokio::test]
async fn instances_on_one_postgres_database_share_one_budget() {
    let database = TestDatabase::new();
    if !database.is_postgres() {
        // One process owns a SQLite file: the setting is refused at start, by name.
        let mut settings = database.settings();
        shared(&mut settings);
        let Err(e) = Application::build(settings).await else {
            panic!("limits.shared = true started on SQLite");
        };
        let said = e.to_string();
        assert!(
            said.contains("limits.shared") && said.contains("PostgreSQL"),
            "{said}"
        );
        return;
    }
    let (a, b) = (
        database.serve_with(shared).await,
        database.serve_with(shared).await,
    );
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for server in [&a, &b, &a, &b, &a, &b, &a] {
        statuses.push(ask_for_a_link(&client, server).await);
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 200, 200, 429, 429],
        "5 requests across both instances, then both refuse"
    );
}

#[tokio::test]
async fn without_sharing_each_instance_counts_on_its_own() {
    let database = TestDatabase::new();
    let (a, b) = (
        database.serve_with(|_| {}).await,
        database.serve_with(|_| {}).await,
    );
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(ask_for_a_link(&client, &a).await);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    assert_eq!(
        ask_for_a_link(&client, &b).await,
        200,
        "b has a budget of its own"
    );
}

#[test]
fn the_command_line_refuses_shared_limits_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("delphi.db").display());
    let said = Cli::on(dir.path(), &url)
        .env("DELPHI__LIMITS__SHARED", "true")
        .refused(&["migrate"]);
    assert!(
        said.contains("limits.shared") && said.contains("PostgreSQL"),
        "{said}"
    );
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Double)]
    tokens: f64,
    #[diesel(sql_type = Double)]
    updated_at: f64,
}

fn row(store: &Store, bucket: &str) -> Row {
    let mut conn = store.connection().unwrap();
    diesel::sql_query(format!(
        "SELECT tokens, updated_at FROM rate_limits WHERE bucket = '{bucket}'"
    ))
    .get_result(&mut *conn)
    .unwrap()
}

/// The shared statement does `TokenBucket::take`'s arithmetic: time is moved by moving a
/// bucket's last refill back, which is all the statement reads of the clock.
#[test]
fn the_shared_statement_does_the_buckets_arithmetic() {
    let database = TestDatabase::new();
    let store = Store::from_db(database.connect());
    // One token an hour, so that the test's own running time counts for next to nothing (a
    // hundredth of a token is 36 seconds).
    let limit = TokenBucket {
        capacity: 3.0,
        refill_per_sec: 1.0 / 3_600.0,
    };
    let near = |got: Option<f64>, expected: Option<f64>| match (got, expected) {
        (Some(got), Some(expected)) => (got - expected).abs() < 0.01,
        (got, expected) => got == expected,
    };
    let take = |bucket: &str| {
        let mut conn = store.connection().unwrap();
        rate_limits::take(&mut conn, bucket, limit)
    };
    if !database.is_postgres() {
        let e = take("logins/192.0.2.1").unwrap_err();
        assert!(e.to_string().contains("PostgreSQL"), "{e}");
        return;
    }
    for expected in [Some(2.0), Some(1.0), Some(0.0), None] {
        let got = take("logins/192.0.2.1").unwrap();
        assert!(near(got, expected), "{got:?} left, {expected:?} expected");
    }
    assert_eq!(take("logins/192.0.2.2").unwrap(), Some(2.0), "another client");

    // A refused request changes nothing.
    let before = row(&store, "logins/192.0.2.1");
    assert_eq!(take("logins/192.0.2.1").unwrap(), None);
    assert_eq!(row(&store, "logins/192.0.2.1"), before);

    // An hour and a half later: one and a half tokens back, one taken.
    let back = |secs: f64| {
        let mut conn = store.connection().unwrap();
        conn.batch_execute(&format!(
            "UPDATE rate_limits SET updated_at = updated_at - {secs} WHERE bucket = 'logins/192.0.2.1'"
        ))
        .unwrap();
    };
    back(5_400.0);
    let (got, expected) = (take("logins/192.0.2.1").unwrap(), limit.take(0.0, 5_400.0));
    assert!(near(got, expected), "{got:?} left, {expected:?} expected");
    assert_eq!(take("logins/192.0.2.1").unwrap(), None);
    // A day later: full, never more.
    back(86_400.0);
    assert_eq!(take("logins/192.0.2.1").unwrap(), Some(limit.first()));

    // The retention purge forgets the buckets untouched for an hour, and only those.
    back(2.0 * rate_limits::KEPT_SECS);
    let settings = database.settings();
    let mut conn = store.connection().unwrap();
    let purged = retention::purge(&mut conn, &settings, delphi::db::now()).unwrap();
    assert_eq!(purged.rate_limits, 1);
    drop(conn);
    assert_eq!(row(&store, "logins/192.0.2.2").tokens, 2.0);
}
