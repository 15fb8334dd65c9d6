//! Operations (docs/operations.md): `delphi backup` / `restore` while `serve` writes, erasing
//! an expert, retention with an injected clock, and `GET /metrics`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::Duration;
use delphi::config::Settings;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::password_resets::{NewPasswordReset, PasswordReset};
use delphi::db::models::sessions::{NewSession, Session};
use delphi::db::schema::{
    api_tokens, audit_log, experts, facilitator_sessions, outbox, password_resets, ratings, rounds,
};
use delphi::db::{now, DbConnection};
use delphi::domain::outbox::NewEmail;
use delphi::service::{accounts, retention};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::support::app::{keep_emails, TestDatabase};
use crate::support::cli::Cli;
use crate::support::files::{parse_csv, read};
use crate::support::fixtures::{actor, example, example_files, responses_file, SLUG};
use crate::support::mail::{outbox_emails, token_after};
use crate::support::rounds::load_demo;
use crate::support::sign_in::add_named_facilitator;

/// The example study with round 1 answered by all but the last expert and closed; returns the
/// codes of the items still unresolved (round 2's items).
fn study_with_closed_round(cli: &Cli) -> Vec<String> {
    let ex = example_files();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG, "--deadline", "2099-01-31T17:00:00+03:00"]);
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let responders: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let file = responses_file(cli.dir(), 1, &ex, &codes, &responders);
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    let (_, rows) = parse_csv(&cli.ok(&["results", SLUG, "--format", "csv"]));
    rows.iter()
        .filter(|r| r["status"] == "none")
        .map(|r| r["item_code"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_restores_a_copy_with_the_same_results() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let work = database.dir.path().to_path_buf();
    let backup = work.join("delphi-backup.db");
    if database.is_postgres() {
        // PostgreSQL has its own tools; both verbs say where they are documented.
        let refusal = cli.refused(&["backup", "--out", backup.to_str().unwrap()]);
        assert!(
            refusal.contains("pg_dump") && refusal.contains("docs/operations.md"),
            "{refusal}"
        );
        let refusal = cli.refused(&["restore", "--from", backup.to_str().unwrap()]);
        assert!(refusal.contains("pg_restore"), "{refusal}");
        assert!(!backup.exists());
        return;
    }
    let unresolved = study_with_closed_round(&cli);
    cli.ok(&["round", "open", SLUG]);
    let ex = example_files();
    let responders: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let round2 = responses_file(&work, 2, &ex, &unresolved, &responders);

    // `serve` runs on the database while another process keeps writing answers into it.
    let port = database.serve_with(|_| {}).await.port;
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (stop, writes, cli, round2) = (stop.clone(), writes.clone(), cli.clone(), round2.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                cli.ok(&["responses", "import", SLUG, round2.to_str().unwrap()]);
                writes.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    while writes.load(Ordering::Relaxed) < 1 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let client = reqwest::Client::new();
    let healthy = client
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert!(healthy.status().is_success());

    let said = cli.ok(&["backup", "--out", backup.to_str().unwrap()]);
    assert!(said.contains("backup written to"), "{said}");
    let writes_during = writes.load(Ordering::Relaxed);
    // Writes go on after the backup, and a second backup never overwrites the first.
    while writes.load(Ordering::Relaxed) < writes_during + 1 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let refusal = cli.refused(&["backup", "--out", backup.to_str().unwrap()]);
    assert!(refusal.contains("already exists"), "{refusal}");
    let refusal = cli.refused(&["backup", "--out", work.join("no/such/dir/x.db").to_str().unwrap()]);
    assert!(refusal.contains("does not exist"), "{refusal}");
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer thread");

    // Restore into a fresh data folder.
    let fresh = tempfile::tempdir().unwrap();
    let fresh_url = format!("sqlite://{}", fresh.path().join("data/delphi.db").display());
    let on_copy = Cli::on(fresh.path(), &fresh_url);
    let said = on_copy.ok(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(said.contains("1 studies"), "{said}");
    let again = on_copy.refused(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(again.contains("--force"), "{again}");
    on_copy.ok(&["restore", "--from", backup.to_str().unwrap(), "--force"]);

    // Same results and exports as the live database, whose closed round nobody can change.
    for args in [
        vec!["results", SLUG, "--format", "csv"],
        vec!["results", SLUG, "--format", "json"],
        vec!["results", SLUG, "--format", "csv", "--by-group"],
    ] {
        let live = cli.ok(&args);
        let restored = on_copy.ok(&args);
        assert_eq!(live, restored, "{args:?}");
    }
    let live_dir = work.join("live-export");
    let copy_dir = work.join("copy-export");
    cli.export_csv(SLUG, &live_dir);
    on_copy.export_csv(SLUG, &copy_dir);
    for file in ["results.csv", "results_by_group.csv", "consensus.csv"] {
        assert_eq!(read(&live_dir.join(file)), read(&copy_dir.join(file)), "{file}");
    }
    // participants.csv's last column, `delivery_state`, is where each expert's email stands:
    // the live server went on sending after the backup, so only the study's columns compare.
    let study_columns = |dir: &std::path::Path| -> Vec<String> {
        read(&dir.join("participants.csv"))
            .lines()
            .map(|line| line.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    assert_eq!(
        study_columns(&live_dir),
        study_columns(&copy_dir),
        "participants.csv"
    );
    // The copy holds the answers to the open round 2 written before the backup.
    let copy = delphi::db::Db::connect(
        &fresh_url,
        &delphi::service::store::pool_options(&database.settings().database),
    )
    .unwrap();
    let round2_answers: i64 = ratings::table
        .filter(ratings::round_id.eq_any(rounds::table.filter(rounds::number.eq(2)).select(rounds::id)))
        .count()
        .get_result(&mut copy.get().unwrap())
        .unwrap();
    assert!(round2_answers > 0);
    on_copy.ok(&["audit", "verify"]);

    // What is not a Delphi database is refused, naming the file.
    let junk = work.join("junk.db");
    std::fs::write(&junk, "not a database at all, just some text that is long enough").unwrap();
    let other = tempfile::tempdir().unwrap();
    let other_url = format!("sqlite://{}", other.path().join("delphi.db").display());
    let on_other = Cli::on(other.path(), &other_url);
    let stderr = on_other.refused(&["restore", "--from", junk.to_str().unwrap()]);
    assert!(stderr.contains("junk.db"), "{stderr}");
    let empty = work.join("empty.db");
    diesel::SqliteConnection::establish(empty.to_str().unwrap())
        .unwrap()
        .batch_execute("CREATE TABLE t (x INTEGER)")
        .unwrap();
    let stderr = on_other.refused(&["restore", "--from", empty.to_str().unwrap()]);
    assert!(stderr.contains("not a Delphi database"), "{stderr}");
    assert!(
        !other.path().join("delphi.db").exists(),
        "a refused restore creates nothing"
    );
}

/// The token of the first `/r/{token}` link in an email to `email`.
fn link_token_of(conn: &mut DbConnection, email: &str) -> String {
    let body = outbox_emails(conn)
        .into_iter()
        .find(|e| e.recipient == email && e.body_text.contains("/r/"))
        .expect("an email with a link")
        .body_text;
    token_after(&body, "/r/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasing_an_expert_removes_the_identity_and_keeps_the_results() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let work = database.dir.path().to_path_buf();
    study_with_closed_round(&cli);
    cli.ok(&["round", "open", SLUG]);
    let panel = parse_csv(&read(&example("panel.csv"))).1;
    let (email, name) = (panel[1]["email"].clone(), panel[1]["name"].clone());

    // The link is read before `serve` starts: its outbox worker sends (and scrubs) emails.
    let token = link_token_of(&mut database.connect().get().unwrap(), &email);
    let server = database.serve_with(keep_emails).await;
    let (db, port) = (server.db, server.port);
    let mut conn = db.get().unwrap();
    let client = reqwest::Client::new();
    let link = format!("http://127.0.0.1:{port}/r/{token}");
    assert_eq!(client.get(&link).send().await.unwrap().status(), 200);

    let results_before = cli.ok(&["results", SLUG, "--format", "csv"]);
    let json_before = cli.ok(&["results", SLUG, "--format", "json"]);
    let before = work.join("before");
    cli.export_csv(SLUG, &before);
    let audit_before = audit_log::table.count().get_result::<i64>(&mut conn).unwrap();

    let said = cli.ok(&["expert", "erase", SLUG, &email]);
    assert!(said.contains("E002 of `lmn-2024` is erased"), "{said}");
    assert!(said.contains("comments kept"), "{said}");

    // Results and every pseudonymised file are bit-identical.
    assert_eq!(cli.ok(&["results", SLUG, "--format", "csv"]), results_before);
    assert_eq!(cli.ok(&["results", SLUG, "--format", "json"]), json_before);
    let after = work.join("after");
    cli.export_csv(SLUG, &after);
    for file in ["results.csv", "ratings.csv", "consensus.csv"] {
        if before.join(file).exists() {
            assert_eq!(read(&before.join(file)), read(&after.join(file)), "{file}");
        }
    }
    // An identified export no longer knows who E002 was.
    let named = work.join("named");
    cli.export_identified(SLUG, &named);
    for file in ["participants.csv", "ratings.csv"] {
        let text = read(&named.join(file));
        assert!(
            !text.contains(&email) && !text.contains(&name),
            "{file} still names them"
        );
    }
    let (_, people) = parse_csv(&read(&named.join("participants.csv")));
    let erased = people.iter().find(|p| p["expert"] == "E002").expect("E002 stays");
    assert_eq!((erased["email"].as_str(), erased["name"].as_str()), ("", "E002"));
    assert_eq!(erased["country"], "");
    assert_eq!(erased["responded_rounds"], "1", "their answers stay theirs");

    // The link is dead, no email to them is left, the audit entry names only the pseudonym.
    assert_eq!(client.get(&link).send().await.unwrap().status(), 404);
    let to_them = outbox::table
        .filter(outbox::recipient.eq(&email))
        .count()
        .get_result::<i64>(&mut conn)
        .unwrap();
    assert_eq!(to_them, 0);
    let entries: Vec<(String, String)> = audit_log::table
        .order(audit_log::id.asc())
        .select((audit_log::action, audit_log::details))
        .load(&mut conn)
        .unwrap();
    let erasures: Vec<&String> = entries
        .iter()
        .filter(|(action, _)| action == "expert.erase")
        .map(|(_, details)| details)
        .collect();
    assert_eq!(erasures.len(), 1);
    assert!(erasures[0].contains("\"E002\""), "{}", erasures[0]);
    // The erasure and the identified export, nothing else.
    assert_eq!(entries.len() as i64, audit_before + 2);
    assert!(
        entries
            .iter()
            .all(|(_, d)| !d.contains(&email) && !d.contains(&name)),
        "no audit entry holds the identity"
    );
    let erased_at: Option<chrono::NaiveDateTime> = experts::table
        .filter(experts::pseudonym.eq("E002"))
        .select(experts::erased_at)
        .get_result(&mut conn)
        .unwrap();
    assert!(erased_at.is_some());
    cli.ok(&["audit", "verify"]);

    // Twice, or an unknown email: exit 2 naming it.
    let refusal = cli.refused(&["expert", "erase", SLUG, &email]);
    assert!(refusal.contains(&email), "{refusal}");
    let refusal = cli.refused(&["expert", "erase", SLUG, "nobody@example.org"]);
    assert!(refusal.contains("nobody@example.org"), "{refusal}");
    let refusal = cli.refused(&["expert", "erase", "no-such-study", &email]);
    assert!(refusal.contains("no-such-study"), "{refusal}");

    // Comments are kept by default (E002 wrote one); --drop-comments blanks them too, and
    // still leaves the results alone.
    let with_text = |conn: &mut DbConnection, pseudonym: &str| -> i64 {
        ratings::table
            .inner_join(experts::table)
            .filter(experts::pseudonym.eq(pseudonym))
            .filter(ratings::comment.is_not_null())
            .count()
            .get_result(conn)
            .unwrap()
    };
    assert_eq!(with_text(&mut conn, "E002"), 1);
    let e003: i64 = experts::table
        .filter(experts::pseudonym.eq("E003"))
        .select(experts::id)
        .get_result(&mut conn)
        .unwrap();
    diesel::update(ratings::table.filter(ratings::expert_id.eq(e003)))
        .set(ratings::comment.eq("I work at the district hospital in Thiès"))
        .execute(&mut conn)
        .unwrap();
    assert!(with_text(&mut conn, "E003") > 0);
    let said = cli.ok(&["expert", "erase", SLUG, &panel[2]["email"], "--drop-comments"]);
    assert!(said.contains("blanked"), "{said}");
    assert_eq!(with_text(&mut conn, "E003"), 0);
    assert_eq!(cli.ok(&["results", SLUG, "--format", "csv"]), results_before);
    cli.ok(&["audit", "verify"]);
}

fn email_row(key: &str, recipient: &str, at: chrono::NaiveDateTime) -> NewEmail {
    NewEmail {
        idempotency_key: key.into(),
        kind: "test".into(),
        study_id: None,
        expert_id: None,
        facilitator_id: None,
        recipient: recipient.into(),
        subject: "s".into(),
        body_text: "b".into(),
        body_html: None,
        headers: None,
        next_attempt_at: at,
        created_at: at,
    }
}

/// Queues an email created at `at` and gives it `status` (sent at `at` when sent).
fn email_with_status(conn: &mut DbConnection, key: &str, status: &str, at: chrono::NaiveDateTime) {
    OutboxEmail::enqueue(conn, &[email_row(key, "x@example.org", at)]).unwrap();
    let sent_at = (status == "sent").then_some(at);
    diesel::update(outbox::table.filter(outbox::idempotency_key.eq(key)))
        .set((outbox::status.eq(status), outbox::sent_at.eq(sent_at)))
        .execute(conn)
        .unwrap();
}

fn keys(conn: &mut DbConnection) -> Vec<String> {
    outbox::table
        .order(outbox::idempotency_key.asc())
        .select(outbox::idempotency_key)
        .load(conn)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_purges_old_operational_rows_and_never_study_data() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let actor = actor();
    load_demo(&mut conn);
    let t0 = now();
    let day = Duration::days(1);
    email_with_status(&mut conn, "sent-old", "sent", t0 - day * 100);
    email_with_status(&mut conn, "sent-new", "sent", t0 - day * 10);
    email_with_status(&mut conn, "cancelled-old", "cancelled", t0 - day * 100);
    email_with_status(&mut conn, "queued-old", "queued", t0 - day * 500);
    email_with_status(&mut conn, "failed-old", "failed", t0 - day * 400);
    email_with_status(&mut conn, "failed-new", "failed", t0 - day * 100);
    let owner = add_named_facilitator(&db, "f@example.org", "F");
    for (token, last_seen) in [("stale", t0 - day * 2), ("live", t0)] {
        Session::insert(
            &mut conn,
            &NewSession {
                facilitator_id: owner,
                token_hash: token,
                csrf_token: token,
                created_at: last_seen,
                last_seen_at: last_seen,
                expires_at: t0 + day,
            },
        )
        .unwrap();
    }
    for (token, created) in [("reset-old", t0 - day * 40), ("reset-new", t0)] {
        PasswordReset::insert(
            &mut conn,
            &NewPasswordReset {
                facilitator_id: owner,
                token_hash: token,
                created_at: created,
                expires_at: created + Duration::hours(1),
                purpose: "reset",
            },
        )
        .unwrap();
    }
    let revoked = accounts::create_api_token(&mut conn, "f@example.org", "old", &actor).unwrap();
    accounts::revoke_api_token(&mut conn, revoked.id, &actor).unwrap();
    accounts::create_api_token(&mut conn, "f@example.org", "active", &actor).unwrap();
    let count_study_data = |conn: &mut DbConnection| -> (i64, i64, i64) {
        (
            experts::table.count().get_result(conn).unwrap(),
            ratings::table.count().get_result(conn).unwrap(),
            audit_log::table.count().get_result(conn).unwrap(),
        )
    };
    let study_data = count_study_data(&mut conn);

    let settings = database.settings();
    let purged = retention::purge(&mut conn, &settings, t0).unwrap();
    assert_eq!(
        purged,
        retention::Purged {
            sent_emails: 2,
            failed_emails: 1,
            sessions: 1,
            password_resets: 1,
            revoked_api_tokens: 0,
            rate_limits: 0,
        }
    );
    assert_eq!(keys(&mut conn), ["failed-new", "queued-old", "sent-new"]);
    let sessions: Vec<String> = facilitator_sessions::table
        .select(facilitator_sessions::token_hash)
        .load(&mut conn)
        .unwrap();
    assert_eq!(sessions, ["live"]);
    let resets: Vec<String> = password_resets::table
        .select(password_resets::token_hash)
        .load(&mut conn)
        .unwrap();
    assert_eq!(resets, ["reset-new"]);
    // Nothing more is due at the same instant.
    assert_eq!(retention::purge(&mut conn, &settings, t0).unwrap().total(), 0);

    // Ninety-one days later the revoked token goes, the active one stays; a queued email is
    // never purged however old.
    let later = t0 + day * 91;
    let purged = retention::purge(&mut conn, &settings, later).unwrap();
    assert_eq!(purged.revoked_api_tokens, 1);
    assert_eq!(purged.sent_emails, 1);
    let labels: Vec<String> = api_tokens::table
        .select(api_tokens::label)
        .load(&mut conn)
        .unwrap();
    assert_eq!(labels, ["active"]);
    assert!(keys(&mut conn).contains(&"queued-old".to_string()));
    // 0 days keeps for ever.
    let mut forever = database.settings();
    forever.retention.outbox_failed_days = 0;
    assert_eq!(
        retention::purge(&mut conn, &forever, t0 + day * 10_000)
            .unwrap()
            .failed_emails,
        0
    );
    // Study data and the audit log are untouched (the token revocation added one entry).
    let after = count_study_data(&mut conn);
    assert_eq!((after.0, after.1), (study_data.0, study_data.1));
    assert_eq!(after.2, study_data.2);
    drop(conn);

    // `delphi purge` prints what it removed.
    let mut conn = db.get().unwrap();
    email_with_status(&mut conn, "sent-cli", "sent", now() - day * 100);
    let cli = Cli::new(&database);
    let said = cli.ok(&["purge"]);
    assert!(
        said.starts_with("purged: 1 sent or cancelled emails, 0 failed emails"),
        "{said}"
    );
    assert!(!keys(&mut conn).contains(&"sent-cli".to_string()));
    cli.ok(&["audit", "verify"]);

    // The scheduler inside `serve` applies it too, on its first tick.
    email_with_status(&mut conn, "sent-serve", "sent", now() - day * 100);
    database.serve_with(keep_emails).await;
    let mut gone = false;
    for _ in 0..100 {
        if !keys(&mut conn).contains(&"sent-serve".to_string()) {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(gone, "the scheduler purged the old email");
    assert!(keys(&mut conn).contains(&"queued-old".to_string()));
}

#[test]
fn retention_due_once_an_hour() {
    use delphi::service::scheduler::retention_due;
    let t0 = now();
    assert!(retention_due(None, t0));
    assert!(!retention_due(Some(t0), t0 + Duration::minutes(59)));
    assert!(retention_due(Some(t0), t0 + Duration::minutes(60)));
}

fn series_value(body: &str, series: &str) -> Option<u64> {
    body.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_report_the_outbox() {
    let database = TestDatabase::new();
    // The outbox worker runs once at start, then not again during the test.
    let base = database
        .serve_with(|s| s.workers.outbox_interval_secs = 3_600)
        .await
        .address();
    let client = reqwest::Client::new();
    let secret = "Zq7".repeat(15);
    for _ in 0..3 {
        client.get(format!("{base}/healthz")).send().await.unwrap();
    }
    let link = client.get(format!("{base}/r/{secret}")).send().await.unwrap();
    assert_eq!(link.status(), 404);
    client
        .get(format!("{base}/no/such/{secret}"))
        .send()
        .await
        .unwrap();
    {
        let db = database.connect();
        let mut conn = db.get().unwrap();
        let at = now();
        OutboxEmail::enqueue(
            &mut conn,
            &[email_row("due", "a@example.org", at - Duration::minutes(1))],
        )
        .unwrap();
        OutboxEmail::enqueue(
            &mut conn,
            &[email_row("later", "b@example.org", at + Duration::days(1))],
        )
        .unwrap();
    }

    let response = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let body = response.text().await.unwrap();
    assert_eq!(
        series_value(
            &body,
            "delphi_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"
        ),
        Some(3),
        "{body}"
    );
    assert_eq!(
        series_value(
            &body,
            "delphi_http_requests_total{method=\"GET\",route=\"/r/{token}\",status=\"404\"}"
        ),
        Some(1),
        "{body}"
    );
    assert!(!body.contains(&secret), "a token reached a label:\n{body}");
    assert!(body.contains("route=\"(unrouted)\""), "{body}");
    assert_eq!(
        series_value(
            &body,
            "delphi_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\",status=\"200\"}"
        ),
        Some(3),
        "{body}"
    );
    assert!(body.contains("# TYPE delphi_http_request_duration_seconds histogram"));
    assert_eq!(
        series_value(&body, "delphi_outbox_depth{state=\"queued\"}"),
        Some(2),
        "{body}"
    );
    assert_eq!(
        series_value(&body, "delphi_outbox_depth{state=\"due\"}"),
        Some(1),
        "{body}"
    );
    assert_eq!(series_value(&body, "delphi_outbox_failed"), Some(0), "{body}");
    assert!(
        body.contains("delphi_db_pool_connections{state=\"open\"}"),
        "{body}"
    );

    // Without a token, a request that came through a proxy is refused even from loopback.
    let proxied = client
        .get(format!("{base}/metrics"))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 403);
}

#[tokio::test]
async fn metrics_with_a_token_need_it_and_can_be_switched_off() {
    let database = TestDatabase::new();
    let token = "a-scrape-token-of-some-length";
    let base = database
        .serve_with(|s| s.metrics.token = token.into())
        .await
        .address();
    let client = reqwest::Client::new();
    let get = |auth: Option<String>| {
        let mut request = client.get(format!("{base}/metrics"));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        request.send()
    };
    assert_eq!(get(None).await.unwrap().status(), 401);
    assert_eq!(get(Some("Bearer wrong".into())).await.unwrap().status(), 401);
    let ok = get(Some(format!("Bearer {token}"))).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("delphi_outbox_depth"));

    let off = database.serve_with(|s| s.metrics.enabled = false).await.address();
    assert_eq!(
        client
            .get(format!("{off}/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // A short token is refused when the settings load, naming the key.
    let e = Settings::load(&delphi::config::Sources {
        env: vec![("DELPHI__METRICS__TOKEN".into(), "short".into())],
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.key, "metrics.token");
}
