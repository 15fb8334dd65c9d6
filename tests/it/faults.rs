//! Faults that break things for real: `kill -9` of the `delphi` binary while experts save, while
//! a round closes and while the outbox sends; an SMTP relay that is down for a while; a
//! PostgreSQL restart under load; answers racing a close. Each test is bounded in time.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use delphi::db::models::invitations::Invitation;
use delphi::db::models::items::Item;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::ratings::{NewRating, Rating};
use delphi::db::models::results::ResultRow;
use delphi::db::models::rounds::Round;
use delphi::db::schema::audit_log;
use delphi::db::{now, write_transaction, DbConnection};
use delphi::service::studies;
use diesel::prelude::*;
use reqwest::Method;

use crate::support::api::Api;
use crate::support::app::{spawn_app, spawn_app_with, TestApp, TestDatabase, PUBLIC_URL};
use crate::support::cli::{app_of, child_process, repoint, Served};
use crate::support::fixtures::SLUG;
use crate::support::mail::outbox_emails;
use crate::support::rating_page::submit;
use crate::support::rounds::{close_round, current_round, load_demo, open_round, open_round_with_links};
use crate::support::sign_in::{add_owner, api_token, Session};
use crate::support::smtp::SmtpServer;
use crate::support::wait::wait_until;

/// `email.smtp.pool_size` of the servers under test: at most this many emails are in flight.
const SMTP_POOL: usize = 4;

/// The codes of the round's items, by item id, in code order.
fn item_codes(conn: &mut DbConnection, round_id: i64) -> Vec<(i64, String)> {
    let in_round: HashSet<i64> = Round::items(conn, round_id)
        .unwrap()
        .into_iter()
        .map(|ri| ri.item_id)
        .collect();
    let study_id = Round::by_id(conn, round_id).unwrap().unwrap().study_id;
    let mut codes: Vec<(i64, String)> = Item::of_study(conn, study_id)
        .unwrap()
        .into_iter()
        .filter(|i| in_round.contains(&i.id))
        .map(|i| (i.id, i.code))
        .collect();
    codes.sort_by(|a, b| a.1.cmp(&b.1));
    codes
}

/// A score on the demo's 1–9 scale that differs between experts, items and passes.
fn score_for(expert_id: i64, index: usize) -> i32 {
    1 + ((expert_id as usize * 7 + index * 3) % 9) as i32
}

/// The round's stored scores by (expert, item).
fn stored_scores(conn: &mut DbConnection, round_id: i64) -> HashMap<(i64, i64), Option<i32>> {
    Rating::of_round(conn, round_id)
        .unwrap()
        .into_iter()
        .map(|r| ((r.expert_id, r.item_id), r.score))
        .collect()
}

/// Waits until no other session of this database is busy. On PostgreSQL the backend of a killed
/// client can still finish a COMMIT it had received; only then is the database what a restarted
/// process finds. (On SQLite a dead process cannot commit anything.)
fn wait_for_quiet_database(conn: &mut DbConnection) {
    let DbConnection::Postgres(pg) = conn else {
        return;
    };
    let started = Instant::now();
    loop {
        let busy: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND state <> 'idle')",
        ))
        .get_result(pg)
        .unwrap();
        if busy == 0 {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "sessions of the killed process still busy after 10 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

async fn autosave(app: &TestApp, token: &str, code: &str, score: i32) -> reqwest::Result<reqwest::Response> {
    app.client
        .post(app.url(&format!("/r/{token}/answer")))
        .json(&serde_json::json!({ "item": code, "score": score }))
        .send()
        .await
}

/// What experts' requests got: answers acknowledged (2xx), answers sent whatever came back,
/// submits acknowledged, and any answer that is neither a 2xx nor an expected refusal.
#[derive(Default)]
struct Outcomes {
    acked: HashMap<(i64, i64), i32>,
    sent: HashMap<(i64, i64), HashSet<i32>>,
    submitted: HashSet<i64>,
    refused: usize,
    unexpected: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// kill -9 while experts save and submit

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_experts_save_keeps_every_acknowledged_answer() {
    let database = TestDatabase::new();
    let mut served = Served::start(&database, &[]).await;
    let app = app_of(database, &served);
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round_id = current_round(&mut conn, SLUG).id;
    let codes = item_codes(&mut conn, round_id);
    let possible = links.len() * codes.len();

    let app = Arc::new(app);
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let acked = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (&expert_id, token) in &links {
        let (app, outcomes, acked, codes, token) = (
            app.clone(),
            outcomes.clone(),
            acked.clone(),
            codes.clone(),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for (index, (item_id, code)) in codes.iter().enumerate() {
                let score = score_for(expert_id, index);
                outcomes
                    .lock()
                    .unwrap()
                    .sent
                    .entry((expert_id, *item_id))
                    .or_default()
                    .insert(score);
                match autosave(&app, &token, code, score).await {
                    Ok(r) if r.status() == 204 => {
                        outcomes
                            .lock()
                            .unwrap()
                            .acked
                            .insert((expert_id, *item_id), score);
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(r) => {
                        let line = format!("{code}: {}", r.status());
                        outcomes.lock().unwrap().unexpected.push(line);
                    }
                    // The server is gone.
                    Err(_) => return,
                }
                if index == 8 {
                    match submit(&app, &token).await {
                        Ok(r) if r.status() == 303 => {
                            outcomes.lock().unwrap().submitted.insert(expert_id);
                        }
                        Ok(r) => {
                            let line = format!("submit: {}", r.status());
                            outcomes.lock().unwrap().unexpected.push(line);
                        }
                        Err(_) => return,
                    }
                }
            }
        }));
    }
    wait_until(Duration::from_secs(20), "150 answers acknowledged", || {
        acked.load(Ordering::SeqCst) >= 150
    })
    .await;
    served.kill_9();
    for task in tasks {
        task.await.unwrap();
    }
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    assert!(outcomes.unexpected.is_empty(), "{:?}", outcomes.unexpected);
    assert!(
        outcomes.acked.len() < possible,
        "the kill came before the experts finished ({} of {possible})",
        outcomes.acked.len()
    );

    // Restarted on the same database: every acknowledged answer is there with its value, and
    // nothing is stored that was not sent.
    let served = Served::start(&app.database, &[]).await;
    let mut app = Arc::into_inner(app).expect("tasks are done");
    repoint(&mut app, &served);
    let stored = stored_scores(&mut conn, round_id);
    for (key, score) in &outcomes.acked {
        assert_eq!(
            stored.get(key),
            Some(&Some(*score)),
            "acknowledged answer {key:?}"
        );
    }
    for (key, score) in &stored {
        let sent = outcomes.sent.get(key).cloned().unwrap_or_default();
        assert!(
            score.is_some_and(|s| sent.contains(&s)),
            "{key:?} stored {score:?}, sent {sent:?}"
        );
    }
    assert!(
        stored.len() <= outcomes.acked.len() + links.len(),
        "at most one in flight per expert"
    );
    for expert_id in &outcomes.submitted {
        let invitation = Invitation::find(&mut conn, round_id, *expert_id)
            .unwrap()
            .unwrap();
        assert!(
            invitation.submitted_at.is_some(),
            "acknowledged submit of {expert_id}"
        );
    }

    // The restarted server shows the answers and takes new ones.
    let (&expert_id, token) = links
        .iter()
        .find(|(id, _)| outcomes.acked.contains_key(&(**id, codes[0].0)))
        .expect("someone's first answer was acknowledged");
    let html = app.text(&format!("/r/{token}")).await;
    let first = outcomes.acked[&(expert_id, codes[0].0)];
    assert!(
        html.contains(&format!("name=s_{} value={first} checked", codes[0].1)),
        "the form shows the saved answer"
    );
    let last = &codes[codes.len() - 1].1;
    assert_eq!(autosave(&app, token, last, 5).await.unwrap().status(), 204);
}

// ---------------------------------------------------------------------------------------------
// kill -9 while `round close` runs

#[test]
fn kill_9_during_round_close_leaves_the_round_fully_closed_or_fully_open() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    load_demo(&mut conn);
    open_round(&mut conn, SLUG);
    let round_id = current_round(&mut conn, SLUG).id;
    // Every expert answers every item, so that the close has work to do.
    let codes = item_codes(&mut conn, round_id);
    let rows: Vec<NewRating> = Invitation::of_round(&mut conn, round_id)
        .unwrap()
        .iter()
        .flat_map(|inv| {
            codes.iter().enumerate().map(|(index, (item_id, _))| NewRating {
                round_id,
                item_id: *item_id,
                expert_id: inv.expert_id,
                score: Some(score_for(inv.expert_id, index)),
                unable: false,
                comment: None,
                reason: None,
                saved_at: now(),
            })
        })
        .collect();
    write_transaction(&mut conn, |conn| Rating::upsert_many(conn, &rows)).unwrap();
    let study = studies::load(&mut conn, SLUG).unwrap();
    let complete = codes.len() * (study.file.groups.len() + 1) * study.rules.rules().count();

    // Kill `round close` after 0, 5, 10, … ms until one run gets to the end; after every kill
    // the round is either closed with all its results or open with none. The steps are short
    // enough for several kills to land inside the close's transaction.
    const STEP_MS: u64 = 5;
    let mut interrupted = 0;
    let mut closed = None;
    for attempt in 0..150u64 {
        let mut child = child_process(&database)
            .args(["round", "close", SLUG])
            .spawn()
            .expect("delphi round close starts");
        std::thread::sleep(Duration::from_millis(attempt * STEP_MS));
        let finished = child.try_wait().unwrap();
        if finished.is_none() {
            let _ = child.kill();
            interrupted += 1;
        }
        let status = child.wait().unwrap();
        if finished.is_some() {
            assert!(status.success(), "round close failed on its own: {status}");
        }
        wait_for_quiet_database(&mut conn);
        let round = Round::by_id(&mut conn, round_id).unwrap().unwrap();
        let results = ResultRow::of_round(&mut conn, round_id).unwrap().len();
        match round.status.as_str() {
            "closed" => {
                assert_eq!(results, complete, "a closed round has all its results");
                closed = Some(attempt * STEP_MS);
                break;
            }
            "open" => assert_eq!(results, 0, "an open round has no results (attempt {attempt})"),
            other => panic!("round status {other}"),
        }
    }
    let Some(after_ms) = closed else {
        panic!("round close never finished");
    };
    assert!(interrupted >= 3, "only {interrupted} kills landed while it ran");
    eprintln!(
        "round close: killed {interrupted} times, the run left alone for {after_ms} ms closed the round"
    );
    let closes: i64 = audit_log::table
        .filter(audit_log::action.eq("round.close"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(closes, 1, "one close recorded");
    // The ratings are the ones written: nothing was lost or half-written by the kills.
    assert_eq!(Rating::of_round(&mut conn, round_id).unwrap().len(), rows.len());
}

// ---------------------------------------------------------------------------------------------
// The outbox: kill -9 mid-send, and an SMTP relay that is down for a while

fn smtp_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("DELPHI__SERVER__PUBLIC_URL", PUBLIC_URL.into()),
        ("DELPHI__EMAIL__TRANSPORT", "smtp".into()),
        ("DELPHI__EMAIL__SMTP__HOST", "127.0.0.1".into()),
        ("DELPHI__EMAIL__SMTP__PORT", port.to_string()),
        ("DELPHI__EMAIL__SMTP__SECURITY", "none".into()),
        ("DELPHI__EMAIL__SMTP__TIMEOUT_SECS", "5".into()),
        ("DELPHI__EMAIL__SMTP__POOL_SIZE", SMTP_POOL.to_string()),
        ("DELPHI__EMAIL__RETRY_BASE_SECS", "1".into()),
        ("DELPHI__WORKERS__OUTBOX_INTERVAL_SECS", "1".into()),
    ]
}

/// The bare address of a recipient written `Name <address>` or `address`.
fn address(recipient: &str) -> String {
    match recipient.rsplit_once('<') {
        Some((_, rest)) => rest.trim_end_matches('>').trim().to_string(),
        None => recipient.trim().to_string(),
    }
}

/// Messages the relay accepted, per bare recipient address.
fn received_per_address(smtp: &SmtpServer) -> HashMap<String, usize> {
    let mut per = HashMap::new();
    for (to, n) in smtp.per_recipient() {
        *per.entry(address(&to)).or_default() += n;
    }
    per
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_sending_never_sends_an_invitation_twice() {
    let smtp = SmtpServer::start().await;
    // A slow relay: sending the 24 invitations takes more than a second.
    smtp.set_accept_delay(Duration::from_millis(150));
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    load_demo(&mut conn);
    let queued = open_round(&mut conn, SLUG);
    assert!(queued >= 20, "{queued}");

    let env = smtp_env(smtp.port());
    let mut served = Served::start(&database, &env).await;
    wait_until(Duration::from_secs(20), "the first messages", || {
        smtp.received().len() >= SMTP_POOL + 2
    })
    .await;
    served.kill_9();
    // Sessions the dead process left mid-DATA still end at the relay: a message accepted there
    // after its sender died is the window at-most-once cannot close. Once every session it had
    // open has ended, nothing more of it arrives.
    wait_until(
        Duration::from_secs(30),
        "the killed sender's SMTP sessions to end",
        || smtp.open_sessions() == 0,
    )
    .await;
    wait_for_quiet_database(&mut conn);

    let rows = outbox_emails(&mut conn);
    let stranded: Vec<&OutboxEmail> = rows.iter().filter(|e| e.status.as_str() == "sending").collect();
    let received = received_per_address(&smtp);
    assert!(received.values().all(|&n| n == 1), "a duplicate: {received:?}");
    assert!(
        stranded.len() <= SMTP_POOL,
        "only the emails in flight are stranded by a crash: {} of {queued}",
        stranded.len()
    );
    let accepted_but_unrecorded = stranded
        .iter()
        .filter(|e| received.contains_key(&address(&e.recipient)))
        .count();
    assert!(
        rows.iter().any(|e| e.status.as_str() == "queued"),
        "the kill came before the end"
    );

    // Restarted: the rest goes out, nothing twice; the stranded rows wait for a person.
    let served = Served::start(&database, &env).await;
    // Drained: nothing queued, and every row the new process claimed recorded (its message was
    // accepted before that), so only the killed process's rows may still be `sending`.
    let stranded_ids: HashSet<i64> = stranded.iter().map(|e| e.id).collect();
    wait_until(Duration::from_secs(30), "the outbox to drain", || {
        outbox_emails(&mut conn).iter().all(|e| match e.status.as_str() {
            "queued" => false,
            "sending" => stranded_ids.contains(&e.id),
            _ => true,
        })
    })
    .await;
    drop(served);
    let rows = outbox_emails(&mut conn);
    let received = received_per_address(&smtp);
    assert!(received.values().all(|&n| n == 1), "a duplicate: {received:?}");
    let mut still_stranded = 0;
    for email in &rows {
        let got = received.get(&address(&email.recipient)).copied().unwrap_or(0);
        match email.status.as_str() {
            "sent" => assert_eq!(got, 1, "sent exactly once: {}", email.recipient),
            "sending" => {
                still_stranded += 1;
                assert!(
                    stranded.iter().any(|s| s.id == email.id),
                    "only rows of the killed process stay in sending"
                );
            }
            other => panic!("email {} is {other}", email.id),
        }
    }
    assert_eq!(still_stranded, stranded.len(), "stranded rows are not resent");
    assert_eq!(
        received.len(),
        queued - stranded.len() + accepted_but_unrecorded,
        "everyone else got their invitation"
    );
    eprintln!(
        "outbox kill: {} of {queued} stranded in `sending`, {accepted_but_unrecorded} of them accepted by the relay before the kill",
        stranded.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_down_for_a_while_loses_nothing_and_delivers_once_when_back() {
    let mut smtp = SmtpServer::start().await;
    smtp.stop().await;
    let database = TestDatabase::new();
    let served = Served::start(&database, &smtp_env(smtp.port())).await;
    let app = app_of(database, &served);
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    // Invitations, and a thank-you queued while the relay is down.
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let token = links.values().next().unwrap();
    let saved = autosave(&app, token, "M01", 7).await.unwrap();
    assert_eq!(saved.status(), 204);
    let submitted = submit(&app, token).await.unwrap();
    assert_eq!(submitted.status(), 303);

    // While it is down every row is tried, stays queued, and waits longer after each failure.
    wait_until(Duration::from_secs(15), "two failed attempts per email", || {
        outbox_emails(&mut conn).iter().all(|e| e.attempts >= 2)
    })
    .await;
    let rows = outbox_emails(&mut conn);
    assert!(rows.len() > links.len(), "invitations and a thank-you");
    for email in &rows {
        // `sending` for the instant the worker holds it.
        assert!(
            email.status.as_str() == "queued" || email.status.as_str() == "sending",
            "{}: {} {:?}",
            email.id,
            email.status,
            email.last_error
        );
        assert!(email.last_error.is_some());
    }
    assert!(smtp.received().is_empty());

    smtp.restart().await;
    wait_until(Duration::from_secs(20), "every email sent", || {
        outbox_emails(&mut conn)
            .iter()
            .all(|e| e.status.as_str() == "sent")
    })
    .await;
    // One more worker run finds nothing to send again.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let rows = outbox_emails(&mut conn);
    let mut expected: HashMap<String, usize> = HashMap::new();
    for email in &rows {
        *expected.entry(address(&email.recipient)).or_default() += 1;
    }
    assert_eq!(received_per_address(&smtp), expected, "each email exactly once");
    assert_eq!(smtp.received().len(), rows.len());
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL restarted under load

/// `DELPHI_CI_PG_CTL`: a `pg_ctl -D … -l … -o …` prefix that stops and starts the cluster of
/// `TEST_DATABASE_URL`. Set by `.ci/run` for this test alone, because stopping the cluster
/// would break every other test running at the same time.
fn pg_ctl(action: &str) {
    let prefix = std::env::var("DELPHI_CI_PG_CTL").unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{prefix} {action}"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctl {action}: {status}");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Up,
    Stopping,
    Down,
    Starting,
    Back,
}

/// One autosave during the restart: the phase when it was sent and when it was answered, the
/// status (0: no HTTP answer at all), and the seconds it took.
#[derive(Debug, Clone, Copy)]
struct Sample {
    sent: Phase,
    done: Phase,
    status: u16,
    secs: f64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restart_under_load_answers_503_then_recovers() {
    let ctl = std::env::var("DELPHI_CI_PG_CTL").unwrap_or_default();
    let url = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
    if ctl.is_empty() || url.is_empty() {
        eprintln!(
            "skipped: set TEST_DATABASE_URL and DELPHI_CI_PG_CTL (a pg_ctl command for that cluster; see .ci/run) to restart PostgreSQL under load"
        );
        return;
    }
    const CONNECT_TIMEOUT: u64 = 2;
    let database = TestDatabase::new();
    let served = Served::start(
        &database,
        &[(
            "DELPHI__DATABASE__CONNECT_TIMEOUT_SECS",
            CONNECT_TIMEOUT.to_string(),
        )],
    )
    .await;
    let app = app_of(database, &served);
    let links = {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
        open_round_with_links(&app, &mut conn, SLUG)
    };

    let app = Arc::new(app);
    let phase = Arc::new(Mutex::new(Phase::Up));
    let samples = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (n, token) in links.values().take(4).enumerate() {
        let (app, phase, samples, stop, token) = (
            app.clone(),
            phase.clone(),
            samples.clone(),
            stop.clone(),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let sent = *phase.lock().unwrap();
                let started = Instant::now();
                let status = match autosave(&app, &token, "M01", score_for(n as i64, i)).await {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        if status == 503 {
                            let body: serde_json::Value = r.json().await.unwrap_or_default();
                            assert_eq!(body["error"], "unavailable", "{body}");
                        }
                        status
                    }
                    Err(_) => 0,
                };
                let done = *phase.lock().unwrap();
                let secs = started.elapsed().as_secs_f64();
                samples.lock().unwrap().push(Sample {
                    sent,
                    done,
                    status,
                    secs,
                });
                i += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    let set = |p: Phase| *phase.lock().unwrap() = p;
    tokio::time::sleep(Duration::from_millis(800)).await;
    set(Phase::Stopping);
    tokio::task::spawn_blocking(|| pg_ctl("stop -m fast"))
        .await
        .unwrap();
    set(Phase::Down);
    tokio::time::sleep(Duration::from_secs(CONNECT_TIMEOUT * 2 + 1)).await;
    set(Phase::Starting);
    let starting = Instant::now();
    tokio::task::spawn_blocking(|| pg_ctl("start")).await.unwrap();
    set(Phase::Back);
    wait_until(
        Duration::from_secs(15),
        "a saved answer after the restart",
        || {
            samples
                .lock()
                .unwrap()
                .iter()
                .any(|s| s.sent == Phase::Back && s.status == 204)
        },
    )
    .await;
    let recovered_after = starting.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::SeqCst);
    for task in tasks {
        task.await.unwrap();
    }
    let samples = samples.lock().unwrap().clone();
    assert!(
        samples.iter().all(|s| s.status == 204 || s.status == 503),
        "only saved or 503, never a 500 or a dropped connection: {samples:?}"
    );
    assert!(
        samples
            .iter()
            .filter(|s| s.sent == Phase::Up && s.done == Phase::Up)
            .all(|s| s.status == 204),
        "{samples:?}"
    );
    let down: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.sent == Phase::Down && s.done == Phase::Down)
        .collect();
    assert!(
        !down.is_empty(),
        "requests while the database was down: {samples:?}"
    );
    assert!(down.iter().all(|s| s.status == 503), "{down:?}");
    let bound = (CONNECT_TIMEOUT + 3) as f64;
    assert!(
        samples.iter().all(|s| s.secs < bound),
        "no request hangs beyond {bound} s: {samples:?}"
    );
    let last: Vec<&Sample> = samples.iter().rev().take(4).collect();
    assert!(last.iter().all(|s| s.status == 204), "recovered: {last:?}");
    eprintln!(
        "postgres restart: {} requests while down, all 503; saving again {:.1} s after `pg_ctl start` began",
        down.len(),
        recovered_after.as_secs_f64()
    );
}

/// No connection for the request: every way in answers "try again" (503), never "our bug" (500),
/// and the same requests work again once a connection is free. Unlike the restart test above
/// this needs no `pg_ctl`: one pooled connection, held by the test, is the outage.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_without_a_free_connection_is_503_on_every_way_in() {
    let app = spawn_app_with(|settings| {
        settings.database.pool_size = 1;
        settings.database.connect_timeout_secs = 1;
    })
    .await;
    let token = {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
        let links = open_round_with_links(&app, &mut conn, SLUG);
        links.values().next().unwrap().clone()
    };
    add_owner(&app.db, SLUG, "ops@example.org");
    let api = Api::new(&app, &api_token(&app.db, "ops@example.org", "ops"));
    let me = Session::sign_in(&app, "ops@example.org").await;
    let study_page = format!("/console/s/{SLUG}");
    let form_page = format!("/r/{token}");

    let held = {
        let db = app.db.clone();
        tokio::task::spawn_blocking(move || db.get().unwrap())
            .await
            .unwrap()
    };
    let saved = autosave(&app, &token, "M01", 4).await.unwrap();
    assert_eq!(saved.status(), 503, "autosave");
    let body: serde_json::Value = saved.json().await.unwrap();
    assert_eq!(body["error"], "unavailable", "{body}");
    assert_eq!(app.get(&form_page).await.status(), 503, "the expert's form");
    assert_eq!(me.get(&study_page).await.status(), 503, "the console");
    let (status, body) = api.json(Method::GET, "/api/v1/studies", None).await;
    assert_eq!(
        (status, &body["error"]),
        (503, &serde_json::json!("unavailable")),
        "the API: {body}"
    );
    assert_eq!(app.get("/healthz").await.status(), 503, "the health check");
    drop(held);

    assert_eq!(autosave(&app, &token, "M01", 4).await.unwrap().status(), 204);
    assert_eq!(app.get(&form_page).await.status(), 200);
    assert_eq!(me.get(&study_page).await.status(), 200);
    assert_eq!(api.json(Method::GET, "/api/v1/studies", None).await.0, 200);
}

/// PostgreSQL ends the pool's idle sessions (as a restart, a failover or an idle-session
/// timeout does): the next requests are answered on new connections, none with an error. The
/// pool tests each connection on its socket at check-out (`db::pool`), with no round trip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_the_server_ended_are_replaced_before_a_request_uses_them() {
    use diesel::connection::SimpleConnection;
    let app = spawn_app().await;
    if !app.database.is_postgres() {
        eprintln!("skipped: set TEST_DATABASE_URL (a PostgreSQL server ends the sessions)");
        return;
    }
    let links = {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
        open_round_with_links(&app, &mut conn, SLUG)
    };
    let tokens: Vec<String> = links.values().take(8).cloned().collect();
    let save_all = |pass: i32| {
        let app = &app;
        let tokens = &tokens;
        async move {
            let saves = tokens
                .iter()
                .map(|token| async move { autosave(app, token, "M01", pass).await.unwrap().status() });
            futures_util::future::join_all(saves).await
        }
    };
    // Every pooled connection in use at least once.
    assert!(save_all(3).await.iter().all(|s| *s == 204));
    let mut admin = PgConnection::establish(&app.database.url).unwrap();
    let sessions: Vec<i32> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
        "pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    ))
    .load(&mut admin)
    .unwrap();
    assert!(!sessions.is_empty(), "the server has sessions");
    let pids = sessions.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
    admin
        .batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM unnest(ARRAY[{pids}]) AS pid"
        ))
        .unwrap();
    wait_until(Duration::from_secs(10), "the ended sessions gone", || {
        let left: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT count(*) FROM pg_stat_activity WHERE pid IN ({pids}))"
        )))
        .get_result(&mut admin)
        .unwrap();
        left == 0
    })
    .await;
    // A backend leaves pg_stat_activity before its process exits, and only the exit closes the
    // socket: until then the client holds the "terminating connection" message but no end of
    // stream, and no check short of a statement can tell. A server restart ends its sessions
    // long before any request; here the test itself gives the exits that time.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        save_all(5).await,
        vec![204; tokens.len()],
        "autosaves after the sessions ended"
    );
    assert_eq!(app.get(&format!("/r/{}", tokens[0])).await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

// ---------------------------------------------------------------------------------------------
// Answers racing a close

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_racing_a_close_are_in_the_results_or_refused_as_closed() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round_id = current_round(&mut conn, SLUG).id;
    let codes = item_codes(&mut conn, round_id);

    let app = Arc::new(app);
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let acked = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (&expert_id, token) in &links {
        let (app, outcomes, acked, codes, token) = (
            app.clone(),
            outcomes.clone(),
            acked.clone(),
            codes.clone(),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            // Each expert goes through the items again and again, changing answers, and
            // submits now and then, until the round refuses them.
            for step in 0..(codes.len() * 4) {
                let (item_id, code) = &codes[step % codes.len()];
                let score = score_for(expert_id, step);
                let response = autosave(&app, &token, code, score).await.unwrap();
                let status = response.status().as_u16();
                let body = response.text().await.unwrap();
                let go_on = {
                    let mut out = outcomes.lock().unwrap();
                    match status {
                        204 => {
                            out.acked.insert((expert_id, *item_id), score);
                            acked.fetch_add(1, Ordering::SeqCst);
                            true
                        }
                        409 if body.contains("\"error\":\"conflict\"")
                            && body.contains("round 1 is closed; answers can no longer be changed") =>
                        {
                            out.refused += 1;
                            false
                        }
                        _ => {
                            out.unexpected.push(format!("{code}: {status} {body}"));
                            false
                        }
                    }
                };
                if !go_on {
                    break;
                }
                if step % 10 == 9 {
                    let response = submit(&app, &token).await.unwrap();
                    let status = response.status().as_u16();
                    let body = response.text().await.unwrap();
                    let mut out = outcomes.lock().unwrap();
                    match status {
                        303 => {
                            out.submitted.insert(expert_id);
                        }
                        // The closed page, in the expert's language (English or French).
                        409 if body.contains("<h1>Round 1 is closed</h1>")
                            || body.contains("<h1>Le tour 1 est clos</h1>") =>
                        {
                            out.refused += 1;
                            break;
                        }
                        _ => {
                            out.unexpected.push(format!("submit: {status} {body}"));
                            break;
                        }
                    }
                }
            }
        }));
    }
    wait_until(Duration::from_secs(20), "200 answers acknowledged", || {
        acked.load(Ordering::SeqCst) >= 200
    })
    .await;
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || close_round(&mut db.get().unwrap(), SLUG))
        .await
        .unwrap();
    for task in tasks {
        task.await.unwrap();
    }
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    assert!(outcomes.unexpected.is_empty(), "{:?}", outcomes.unexpected);
    assert!(
        outcomes.refused > 0,
        "the close came while experts were answering"
    );

    // What was acknowledged is exactly what the closed round holds, and what its results count.
    let stored = stored_scores(&mut conn, round_id);
    let acked: HashMap<(i64, i64), Option<i32>> = outcomes
        .acked
        .iter()
        .map(|(key, score)| (*key, Some(*score)))
        .collect();
    assert_eq!(stored, acked, "the stored answers are the acknowledged ones");
    let results = ResultRow::of_round(&mut conn, round_id).unwrap();
    for (item_id, code) in &codes {
        let answered = acked.keys().filter(|(_, item)| item == item_id).count() as i32;
        for row in results
            .iter()
            .filter(|r| r.item_id == *item_id && r.group_key.is_empty())
        {
            assert_eq!(row.n, answered, "{code} ({})", row.rule);
        }
    }
    for expert_id in &outcomes.submitted {
        let invitation = Invitation::find(&mut conn, round_id, *expert_id)
            .unwrap()
            .unwrap();
        assert!(invitation.submitted_at.is_some());
    }
}
