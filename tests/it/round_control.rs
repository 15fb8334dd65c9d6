//! Round control from the command line: preview, extend, resend and withdraw, good and bad
//! paths; the resent link is tried against a running server.

use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::ratings::Rating;
use delphi::db::models::rounds::Round;
use delphi::db::schema::{audit_log, items};
use delphi::db::DbConnection;
use delphi::service::studies;
use diesel::prelude::*;

use crate::support::app::{keep_emails, TestDatabase};
use crate::support::cli::Cli;
use crate::support::fixtures::{example_study_in, example_text, SLUG};
use crate::support::mail::{link_token, outbox_emails, token_after};
use crate::support::rounds::{current_round, record_score};

const EXPERT: &str = "m.tran@example.org";

fn audits(conn: &mut DbConnection, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(conn)
        .unwrap()
}

fn expert(conn: &mut DbConnection, email: &str) -> Expert {
    let study = studies::load(conn, SLUG).unwrap();
    Expert::by_email(conn, study.id, email).unwrap().unwrap()
}

#[test]
fn preview_shows_what_open_will_do_and_writes_nothing() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let db = database.connect();
    let mut conn = db.get().unwrap();
    cli.refused(&["round", "preview", "no-such-study"]);
    cli.ok(&["demo"]);
    let audited = audit_log::table.count().get_result::<i64>(&mut conn).unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&cli.ok(&["round", "preview", SLUG, "--json"])).unwrap();
    let items = json["items"].as_array().unwrap().len();
    let invite = json["invite"].as_array().unwrap().len();
    assert_eq!(json["number"], 1);
    assert_eq!(json["locks_rule"], true);
    assert_eq!(items, 34);
    assert!(invite > 3);
    assert!(json["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["origin"] == "new"));
    let text = cli.ok(&["round", "preview", SLUG]);
    assert!(
        text.starts_with(&format!(
            "round 1 of `lmn-2024` would ask 34 items (0 carried forward, 0 from accepted suggestions, 34 new) and invite {invite} experts"
        )),
        "{text}"
    );
    assert!(text.contains(EXPERT), "{text}");

    // Nothing was written.
    let study = studies::load(&mut conn, SLUG).unwrap();
    assert!(Round::of_study(&mut conn, study.id).unwrap().is_empty());
    assert_eq!(outbox_emails(&mut conn).len(), 0);
    assert!(study.rule_hash.is_none(), "the rule is not locked by a preview");
    assert_eq!(
        audit_log::table.count().get_result::<i64>(&mut conn).unwrap(),
        audited
    );

    // Opening does what the preview said.
    let opened = cli.ok(&["round", "open", SLUG]);
    assert!(
        opened.contains(&format!(
            "34 items (0 carried forward, 34 new), {invite} experts invited"
        )),
        "{opened}"
    );
    let line = cli.refused(&["round", "preview", SLUG]);
    assert!(line.contains("round 1 of `lmn-2024` is still open"), "{line}");

    // Round 1 closed without answers: the next round would invite nobody; preview and open
    // refuse for the same reason.
    cli.ok(&["round", "close", SLUG]);
    let line = cli.refused(&["round", "preview", SLUG]);
    assert!(line.contains("nobody answered round 1"), "{line}");
    assert_eq!(cli.refused(&["round", "open", SLUG]), line);
}

#[test]
fn preview_of_round_two_shows_carried_items_suggestions_and_responders() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let db = database.connect();
    let mut conn = db.get().unwrap();
    cli.ok(&["demo"]);
    cli.ok(&["round", "open", SLUG]);
    let dir = database.dir.path();
    std::fs::write(
        dir.join("round1.csv"),
        "expert,item,score\na.diallo@example.org,M01,9\nh.lefevre@example.org,M01,8\n",
    )
    .unwrap();
    cli.ok(&[
        "responses",
        "import",
        SLUG,
        dir.join("round1.csv").to_str().unwrap(),
    ]);
    cli.ok(&["round", "close", SLUG]);
    std::fs::write(
        dir.join("new.csv"),
        "code,section,text\nM99,maternal,Maternal vitamin D status (25(OH)D)\n",
    )
    .unwrap();
    cli.ok(&["items", "import", SLUG, dir.join("new.csv").to_str().unwrap()]);
    // Accepting a suggestion (facilitator console, not in this branch) makes an item of origin
    // `suggestion`; stand in for it.
    diesel::update(items::table.filter(items::code.eq("M99")))
        .set(items::origin.eq("suggestion"))
        .execute(&mut conn)
        .unwrap();

    let text = cli.ok(&["round", "preview", SLUG]);
    assert!(
        text.starts_with(
            "round 2 of `lmn-2024` would ask 34 items (33 carried forward, 1 from accepted suggestions, 0 new) and invite 2 experts"
        ),
        "{text}"
    );
    assert!(!text.contains("locks the consensus rule"), "{text}");
    assert!(
        text.contains("  M99        suggested  Maternal vitamin D status"),
        "{text}"
    );
    assert!(
        !text.contains("  M01 "),
        "M01 reached consensus and is not asked again: {text}"
    );
    assert!(text.contains("<a.diallo@example.org>") && text.contains("<h.lefevre@example.org>"));
    assert!(!text.contains(EXPERT), "{text}");

    let opened = cli.ok(&["round", "open", SLUG]);
    assert!(
        opened.contains(
            "round 2 of `lmn-2024` is open: 34 items (33 carried forward, 1 new), 2 experts invited"
        ),
        "{opened}"
    );
}

#[test]
fn bad_reminder_settings_are_refused_naming_the_key() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let study = example_study_in(database.dir.path(), SLUG);
    let toml = example_text("study.toml");
    assert_eq!(toml.matches("reminders = [\"3d\", \"1d\"]").count(), 1);
    for (setting, expected) in [
        (
            "reminders = [\"3d\", \"3x\"]",
            "key `rounds.reminders`: `3x` is not a time before the deadline",
        ),
        (
            "reminders = [\"1d\", \"24h\"]",
            "`24h` is the same time before the deadline as `1d`",
        ),
        ("reminders = \"3d\"", "rounds.reminders"),
    ] {
        std::fs::write(&study, toml.replace("reminders = [\"3d\", \"1d\"]", setting)).unwrap();
        let line = cli.refused(&["study", "create", study.to_str().unwrap()]);
        assert!(line.contains(expected), "{setting}: {line}");
    }
    std::fs::write(
        &study,
        toml.replace("close_at_deadline = true", "close_at_deadline = \"no\""),
    )
    .unwrap();
    let line = cli.refused(&["study", "create", study.to_str().unwrap()]);
    assert!(line.contains("rounds.close_at_deadline"), "{line}");
    // Nothing was created by the refused files; the example itself is accepted.
    assert!(cli.ok(&["study", "list"]).is_empty());
    std::fs::write(&study, &toml).unwrap();
    assert_eq!(cli.ok(&["study", "create", study.to_str().unwrap()]).trim(), SLUG);
}

#[test]
fn extend_moves_the_deadline_later_only() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let db = database.connect();
    let mut conn = db.get().unwrap();
    cli.ok(&["demo"]);
    let line = cli.refused(&["round", "extend", SLUG, "--deadline", "2099-02-07T17:00:00Z"]);
    assert!(line.contains("has no open round"), "{line}");
    cli.ok(&["round", "open", SLUG, "--deadline", "2099-01-31T17:00:00+03:00"]);
    let queued = outbox_emails(&mut conn).len();

    for (deadline, expected) in [
        ("next week", "is not an RFC 3339 time"),
        ("2001-01-01T00:00:00Z", "is in the past"),
        ("2099-01-30T00:00:00Z", "is not later than the current deadline"),
        ("2099-01-31T14:00:00Z", "is not later than the current deadline"),
    ] {
        let line = cli.refused(&["round", "extend", SLUG, "--deadline", deadline]);
        assert!(
            line.contains("--deadline") && line.contains(expected),
            "{deadline}: {line}"
        );
    }
    cli.refused(&["round", "extend", SLUG]);
    let unchanged = current_round(&mut conn, SLUG).deadline.unwrap();
    assert_eq!(unchanged.to_string(), "2099-01-31 14:00:00");

    let out = cli.ok(&["round", "extend", SLUG, "--deadline", "2099-02-07T17:00:00+03:00"]);
    assert!(
        out.contains("deadline moved from 2099-01-31 17:00 (Africa/Nairobi) to 2099-02-07 17:00 (Africa/Nairobi); no email was sent"),
        "{out}"
    );
    assert_eq!(
        current_round(&mut conn, SLUG).deadline.unwrap().to_string(),
        "2099-02-07 14:00:00"
    );
    assert_eq!(audits(&mut conn, "round.extend"), 1);
    assert_eq!(
        outbox_emails(&mut conn).len(),
        queued,
        "extending queues no email"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_revokes_the_old_link_and_the_new_one_works() {
    let database = TestDatabase::new();
    let server = database
        .serve_with(|settings| {
            settings.workers.scheduler_interval_secs = 3_600;
            keep_emails(settings);
        })
        .await;
    let (db, port) = (server.db, server.port);
    let cli = Cli::new(&database);
    let http = reqwest::Client::new();
    let get = |token: String| {
        let http = http.clone();
        async move {
            http.get(format!("http://127.0.0.1:{port}/r/{token}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    cli.ok(&["demo"]);
    let line = cli.refused(&["round", "resend", SLUG, "--email", EXPERT]);
    assert!(line.contains("has no open round"), "{line}");
    cli.ok(&["round", "open", SLUG]);
    let mut conn = db.get().unwrap();
    let round = current_round(&mut conn, SLUG);
    let tran = expert(&mut conn, EXPERT);
    let invitation = Invitation::find(&mut conn, round.id, tran.id).unwrap().unwrap();
    let first_key = format!("invitation:{}", invitation.id);
    let all = outbox_emails(&mut conn);
    let first = all.iter().find(|e| e.idempotency_key == first_key).unwrap();
    let old = link_token(&database, first, "/r/");
    assert_eq!(get(old.clone()).await, 200);

    let line = cli.refused(&["round", "resend", SLUG, "--email", "nobody@example.org"]);
    assert!(
        line.contains("--email: no expert of `lmn-2024` has the email nobody@example.org"),
        "{line}"
    );
    cli.refused(&["round", "resend", "no-such-study", "--email", EXPERT]);

    let out = cli.ok(&["round", "resend", SLUG, "--email", EXPERT]);
    assert!(
        out.contains(&format!("invitation of {} queued again", tran.pseudonym)),
        "{out}"
    );
    let resent: Vec<OutboxEmail> = outbox_emails(&mut conn)
        .into_iter()
        .filter(|e| e.idempotency_key.starts_with(&format!("{first_key}:resend:")))
        .collect();
    assert_eq!(resent.len(), 1);
    assert_eq!(resent[0].recipient, EXPERT);
    assert_eq!(resent[0].status.as_str(), "queued");
    let new = token_after(&resent[0].body_text, "/r/");
    assert_ne!(new, old);
    assert!(
        out.contains("1 earlier link(s) revoked, 1 unsent email(s) with an old link cancelled"),
        "{out}"
    );
    let first = OutboxEmail::by_id(&mut conn, first.id).unwrap().unwrap();
    assert_eq!(
        first.status.as_str(),
        "cancelled",
        "the unsent first invitation carried a dead link"
    );
    assert_eq!(get(old).await, 404, "the old link is revoked");
    assert_eq!(get(new.clone()).await, 200, "the new link works");
    assert_eq!(audits(&mut conn, "invitation.resend"), 1);

    // A second resend is a second email, and revokes the first resend's link.
    cli.ok(&["round", "resend", SLUG, "--email", EXPERT]);
    assert_eq!(get(new).await, 404);
    let resends: Vec<String> = outbox_emails(&mut conn)
        .into_iter()
        .filter(|e| e.idempotency_key.starts_with(&format!("{first_key}:resend:")))
        .map(|e| e.status.to_string())
        .collect();
    assert_eq!(resends, ["cancelled", "queued"]);
    let others = outbox_emails(&mut conn)
        .into_iter()
        .filter(|e| e.expert_id != Some(tran.id) && e.status.as_str() == "cancelled")
        .count();
    assert_eq!(others, 0, "nobody else's email is touched");

    // Withdrawn experts get nothing; a closed round has nothing to resend.
    cli.ok(&["expert", "withdraw", SLUG, "--email", EXPERT]);
    let line = cli.refused(&["round", "resend", SLUG, "--email", EXPERT]);
    assert!(line.contains("has withdrawn"), "{line}");
    cli.ok(&["round", "close", SLUG]);
    let line = cli.refused(&["round", "resend", SLUG, "--email", "a.diallo@example.org"]);
    assert!(line.contains("has no open round"), "{line}");
}

#[test]
fn a_withdrawn_expert_keeps_their_answers_and_gets_no_more_email() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let db = database.connect();
    let mut conn = db.get().unwrap();
    cli.ok(&["demo"]);
    cli.ok(&["round", "open", SLUG]);
    let round = current_round(&mut conn, SLUG);
    let tran = expert(&mut conn, EXPERT);
    let invitation = Invitation::find(&mut conn, round.id, tran.id).unwrap().unwrap();
    record_score(&mut conn, invitation.id, "M01", 7);

    cli.refused(&["expert", "withdraw", SLUG, "--email", "nobody@example.org"]);
    cli.refused(&["expert", "withdraw", "no-such-study", "--email", EXPERT]);
    cli.refused(&["expert", "withdraw", SLUG]);

    let out = cli.ok(&["expert", "withdraw", SLUG, "--email", "M.Tran@Example.org"]);
    assert!(out.contains(&format!("{} is withdrawn", tran.pseudonym)), "{out}");
    assert!(out.contains("1 queued email(s) cancelled"), "{out}");
    assert!(expert(&mut conn, EXPERT).withdrawn_at.is_some());
    let theirs: Vec<OutboxEmail> = outbox_emails(&mut conn)
        .into_iter()
        .filter(|e| e.expert_id == Some(tran.id))
        .collect();
    assert!(
        theirs.iter().all(|e| e.status.as_str() == "cancelled"),
        "{theirs:?}"
    );
    let answers = Rating::of_round(&mut conn, round.id).unwrap();
    assert!(answers
        .iter()
        .any(|r| r.expert_id == tran.id && r.score == Some(7)));

    let invited = Invitation::of_round(&mut conn, round.id).unwrap().len();
    let out = cli.ok(&["round", "remind", SLUG]);
    assert!(
        out.contains(&format!("{} reminders queued", invited - 1)),
        "{out}"
    );
    let reminded_them = outbox_emails(&mut conn)
        .iter()
        .any(|e| e.kind == "reminder" && e.expert_id == Some(tran.id));
    assert!(!reminded_them);

    let again = cli.ok(&["expert", "withdraw", SLUG, "--email", EXPERT]);
    assert!(again.contains("had already withdrawn"), "{again}");
    assert_eq!(audits(&mut conn, "expert.withdraw"), 1);
}
