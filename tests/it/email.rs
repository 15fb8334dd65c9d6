//! Email: delivery over a real (in-process) SMTP server, retries, permanent failures,
//! interrupted sends, the file and log transports, templates in every language, and the
//! lost-link and unsubscribe pages.

use delphi::config::EmailTransportKind;
use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::rounds::Round;
use delphi::db::schema::outbox;
use delphi::db::{now, Db};
use delphi::domain::outbox::INTERRUPTED;
use delphi::email::messages::{self, AnswerCopy};
use delphi::email::render::{self, Override, Overrides};
use delphi::service::notify::recipient;
use delphi::service::outbox::{Summary, Worker};
use delphi::service::studies;
use delphi::service::Store;
use diesel::prelude::*;

use crate::support::app::{spawn_app, TestDatabase, PUBLIC_URL};
use crate::support::cli::Cli;
use crate::support::fixtures::{actor, SLUG};
use crate::support::mail::{decoded, outbox_emails, token_after};
use crate::support::rounds::{load_demo, open_round};
use crate::support::smtp::{smtp_settings, Mode, SmtpServer};

/// Demo study with round 1 open; returns how many invitations were queued.
fn open_demo_round(db: &Db) -> usize {
    let mut conn = db.get().unwrap();
    load_demo(&mut conn);
    open_round(&mut conn, SLUG)
}

/// The outbox worker of `database` (open as `db`), sending to the relay on `port`.
fn worker_on(database: &TestDatabase, db: &Db, port: u16) -> Worker {
    Worker::new(Store::from_db(db.clone()), smtp_settings(database, port)).unwrap()
}

/// Makes every queued email due now (instead of sleeping through the backoff).
fn make_due(db: &Db) {
    diesel::update(outbox::table.filter(outbox::status.eq("queued")))
        .set(outbox::next_attempt_at.eq(now()))
        .execute(&mut db.get().unwrap())
        .unwrap();
}

#[tokio::test]
async fn invitations_go_out_over_smtp_with_working_links() {
    let server = SmtpServer::start().await;
    let database = TestDatabase::new();
    let db = database.connect();
    let queued = open_demo_round(&db);
    assert!(queued > 0);

    let worker = worker_on(&database, &db, server.port());
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.sent, queued, "{summary:?}");
    assert_eq!(server.received().len(), queued);

    let message = &server.received()[0];
    let text = decoded(&message.data);
    assert!(text.contains("multipart/alternative"), "{text}");
    assert!(text.contains("Message-ID: <outbox-"), "{text}");
    assert!(text.contains("@delphi.test>"), "{text}");
    assert!(text.contains("\nDate: "), "{text}");
    assert!(
        text.contains("List-Unsubscribe: <http://delphi.test/u/"),
        "{text}"
    );
    assert!(
        text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{text}"
    );
    assert!(text.contains("text/html"), "{text}");
    assert!(!text.contains("<img"), "no tracking pixels");

    let token = token_after(&text, "http://delphi.test/r/");
    let mut conn = db.get().unwrap();
    let invitation = Invitation::by_token_hash(&mut conn, &delphi::domain::token::hash(&token))
        .unwrap()
        .expect("the link in the email opens an invitation");
    let expert = Expert::by_id(&mut conn, invitation.expert_id).unwrap().unwrap();
    assert!(message.to[0].contains(expert.email.as_deref().unwrap()));

    // Delivered rows keep no personal link, and nothing is sent twice.
    for email in outbox_emails(&mut db.get().unwrap()) {
        assert_eq!(email.status.as_str(), "sent");
        assert!(email.message_id.is_some());
        assert!(!email.body_text.contains(&token));
        assert!(!email.body_text.contains("/r/"), "{}", email.body_text);
        assert!(!email.headers.clone().unwrap_or_default().contains("/u/"));
    }
    assert_eq!(worker.deliver_due().await.unwrap(), Summary::default());
    assert_eq!(server.received().len(), queued);
}

#[tokio::test]
async fn server_down_then_back_delivers_each_message_once() {
    let mut server = SmtpServer::start().await;
    let database = TestDatabase::new();
    let db = database.connect();
    let queued = open_demo_round(&db);
    let worker = worker_on(&database, &db, server.port());

    server.stop().await;
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.retrying, queued, "{summary:?}");
    for email in outbox_emails(&mut db.get().unwrap()) {
        assert_eq!(email.status.as_str(), "queued");
        assert_eq!(email.attempts, 1);
        assert!(email.last_error.is_some());
        assert!(email.next_attempt_at > email.created_at, "backoff applies");
    }
    // Not due yet: nothing is attempted.
    assert_eq!(worker.deliver_due().await.unwrap(), Summary::default());

    // A 4xx is transient too.
    server.restart().await;
    server.set_mode(Mode::Transient);
    make_due(&db);
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.retrying, queued, "{summary:?}");
    assert!(outbox_emails(&mut db.get().unwrap())[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("try again later"));

    server.set_mode(Mode::Accept);
    make_due(&db);
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.sent, queued, "{summary:?}");
    make_due(&db);
    assert_eq!(worker.deliver_due().await.unwrap(), Summary::default());
    let received = server.received();
    assert_eq!(received.len(), queued);
    let mut recipients: Vec<String> = received.iter().map(|r| r.to.join(",")).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), queued, "each message exactly once");
}

#[tokio::test]
async fn retries_stop_at_the_configured_limit() {
    let mut server = SmtpServer::start().await;
    let database = TestDatabase::new();
    let db = database.connect();
    let queued = open_demo_round(&db);
    let worker = worker_on(&database, &db, server.port());
    server.stop().await;
    for _ in 0..2 {
        assert_eq!(worker.deliver_due().await.unwrap().retrying, queued);
        make_due(&db);
    }
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.failed, queued, "max_attempts = 3: {summary:?}");
    let email = &outbox_emails(&mut db.get().unwrap())[0];
    assert_eq!(email.status.as_str(), "failed");
    assert!(email
        .last_error
        .as_deref()
        .unwrap()
        .contains("gave up after 3 attempts"));
}

#[tokio::test]
async fn a_permanent_refusal_fails_with_the_servers_reason() {
    let server = SmtpServer::start().await;
    server.set_mode(Mode::Permanent);
    let database = TestDatabase::new();
    let db = database.connect();
    let queued = open_demo_round(&db);
    let worker = worker_on(&database, &db, server.port());
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.failed, queued, "{summary:?}");
    let email = &outbox_emails(&mut db.get().unwrap())[0];
    assert_eq!(email.status.as_str(), "failed");
    assert_eq!(email.attempts, 1);
    assert!(
        email
            .last_error
            .as_deref()
            .unwrap()
            .contains("mailbox unavailable"),
        "{:?}",
        email.last_error
    );
    // Facilitators see it in the outbox listing.
    let pending = OutboxEmail::pending(&mut db.get().unwrap(), None).unwrap();
    assert_eq!(pending.len(), queued);
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn an_interrupted_send_is_never_resent() {
    let server = SmtpServer::start().await;
    let database = TestDatabase::new();
    let db = database.connect();
    let queued = open_demo_round(&db);
    // A process claimed a row, then died before recording the outcome.
    let claimed = OutboxEmail::claim_due(&mut db.get().unwrap(), "dead:1", 1, now()).unwrap();
    assert_eq!(claimed.len(), 1);
    diesel::update(outbox::table.find(claimed[0].id))
        .set(outbox::claimed_at.eq(now() - chrono::Duration::minutes(11)))
        .execute(&mut db.get().unwrap())
        .unwrap();

    let worker = worker_on(&database, &db, server.port());
    let summary = worker.deliver_due().await.unwrap();
    assert_eq!(summary.interrupted, 1);
    assert_eq!(summary.sent, queued - 1);
    let row = OutboxEmail::by_id(&mut db.get().unwrap(), claimed[0].id)
        .unwrap()
        .unwrap();
    assert_eq!(row.status.as_str(), "failed");
    assert_eq!(row.last_error.as_deref(), Some(INTERRUPTED));
    assert_eq!(worker.deliver_due().await.unwrap(), Summary::default());
    assert_eq!(server.received().len(), queued - 1);
    assert!(!server
        .received()
        .iter()
        .any(|r| r.to.join(",").contains(&row.recipient)));
}

#[tokio::test]
async fn a_recent_claim_is_left_alone() {
    let database = TestDatabase::new();
    let db = database.connect();
    open_demo_round(&db);
    let claimed = OutboxEmail::claim_due(&mut db.get().unwrap(), "busy:1", 1, now()).unwrap();
    let again = OutboxEmail::claim_due(&mut db.get().unwrap(), "other:2", 1000, now()).unwrap();
    assert!(
        again.iter().all(|e| e.id != claimed[0].id),
        "claimed rows are not claimed twice"
    );
    assert_eq!(
        OutboxEmail::fail_interrupted(&mut db.get().unwrap(), now() - chrono::Duration::minutes(10)).unwrap(),
        0
    );
}

#[tokio::test]
async fn the_file_transport_writes_readable_eml_files() {
    let database = TestDatabase::new();
    let db = database.connect();
    let queued = open_demo_round(&db);
    let mut settings = database.settings();
    settings.server.public_url = PUBLIC_URL.into();
    let dir = settings.outbox_dir();
    let summary = Worker::new(Store::from_db(db.clone()), settings)
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    assert_eq!(summary.sent, queued);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), queued);
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.contains("-invitation-") && name.ends_with(".eml"), "{name}");
    let text = decoded(&std::fs::read_to_string(&files[0]).unwrap());
    assert!(text.contains("Subject: "), "{text}");
    assert!(text.contains("http://delphi.test/r/"), "{text}");
}

#[tokio::test]
async fn the_log_transport_sends_nothing_but_marks_sent() {
    let database = TestDatabase::new();
    let db = database.connect();
    let queued = open_demo_round(&db);
    let mut settings = database.settings();
    settings.email.transport = EmailTransportKind::Log;
    let summary = Worker::new(Store::from_db(db.clone()), settings.clone())
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    assert_eq!(summary.sent, queued);
    assert!(!settings.outbox_dir().exists());
    assert!(outbox_emails(&mut db.get().unwrap())
        .iter()
        .all(|e| e.status.as_str() == "sent"));
}

#[test]
fn every_email_renders_in_every_language() {
    let answers = vec![
        AnswerCopy {
            code: "M01".into(),
            text: "Maternal haemoglobin".into(),
            score: Some(8),
            label: Some("critical".into()),
            unable: false,
            comment: Some("Needs <a standard> assay".into()),
        },
        AnswerCopy {
            code: "M02".into(),
            text: "Serum zinc".into(),
            score: None,
            label: None,
            unable: true,
            comment: None,
        },
    ];
    for lang in delphi::i18n::expert_languages() {
        for name in render::NAMES {
            let context = serde_json::json!({
                "lang": lang,
                "study": "L'étude «Lactation»",
                "name": "Ada O'Neil",
                "round": 2,
                "items": 12,
                "minutes": 5,
                "agreed": 3,
                "deadline": "2026-12-01 17:00 (Africa/Nairobi)",
                "link": format!("{PUBLIC_URL}/r/{}", "ab".repeat(32)),
                "unsubscribe": format!("{PUBLIC_URL}/u/{}", "ab".repeat(32)),
                "answers": answers,
            });
            let rendered = render::render(name, &context).unwrap_or_else(|e| panic!("{lang} {name}: {e}"));
            let html = rendered.html.clone().expect("every email has an HTML part");
            for part in [&rendered.subject, &rendered.text, &html] {
                assert!(!part.contains("{{"), "{lang} {name}: {part}");
                assert!(!part.contains("email-"), "{lang} {name}: missing key in {part}");
                assert!(!part.trim().is_empty(), "{lang} {name}");
            }
            assert!(!rendered.subject.contains('\n'));
            assert!(
                rendered.text.contains("L'étude «Lactation»"),
                "text is not escaped: {}",
                rendered.text
            );
            assert!(!html.contains("<img"), "no tracking pixels");
            if *name == "thank_you" {
                assert!(rendered.text.contains("M01") && rendered.text.contains("8 (critical)"));
                assert!(html.contains("&lt;a standard&gt;"), "HTML is escaped: {html}");
            } else {
                assert!(rendered.text.contains("/r/abab"), "{lang} {name}");
            }
        }
    }
    let fr = render::render(
        "invitation",
        &serde_json::json!({
            "lang": "fr", "study": "S", "name": "N", "round": 1, "items": 3, "minutes": 5,
            "deadline": null, "link": "L", "unsubscribe": "U", "answers": [],
        }),
    )
    .unwrap();
    assert!(fr.subject.contains("tour 1"), "{}", fr.subject);
}

#[test]
fn the_expert_language_is_used_when_supported() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    load_demo(&mut conn);
    let study = studies::load(&mut conn, "lmn-2024").unwrap();
    let mut expert = Expert::of_study(&mut conn, study.id).unwrap().remove(0);
    expert.language = Some("fr-CA".into());
    assert_eq!(messages::language(&study, &recipient(&expert)), "fr");
    expert.language = Some("sw".into());
    assert_eq!(
        messages::language(&study, &recipient(&expert)),
        delphi::i18n::negotiate_expert(&study.file.language)
    );
    let email =
        messages::thank_you(&study, &Overrides::none(), &recipient(&expert), 1, &[], 7, now()).unwrap();
    assert_eq!(email.kind, "thank_you");
    assert!(email.idempotency_key.starts_with("thank_you:7:"));
    assert!(email.headers.is_none(), "no unsubscribe link without a token");
}

#[tokio::test]
async fn lost_link_page_is_neutral_and_rate_limited() {
    let app = spawn_app().await;
    open_demo_round(&app.db);
    let known = {
        let mut conn = app.db.get().unwrap();
        let study = studies::load(&mut conn, "lmn-2024").unwrap();
        Expert::of_study(&mut conn, study.id).unwrap()[0]
            .email
            .clone()
            .unwrap()
    };
    let page = app.get("/link").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("name=\"email\""));

    let post = |email: String| {
        let client = app.client.clone();
        let url = app.url("/link");
        async move { client.post(url).form(&[("email", email)]).send().await.unwrap() }
    };
    let known_answer = post(known.clone()).await;
    assert_eq!(known_answer.status(), 200);
    let known_body = known_answer.text().await.unwrap();
    let unknown_answer = post("nobody@example.org".into()).await;
    assert_eq!(unknown_answer.status(), 200);
    assert_eq!(
        known_body,
        unknown_answer.text().await.unwrap(),
        "the answer reveals nothing"
    );
    assert!(known_body.contains("a new link is on its way"));

    let new_links: Vec<OutboxEmail> = outbox_emails(&mut app.db.get().unwrap())
        .into_iter()
        .filter(|e| e.kind == "new_link")
        .collect();
    assert_eq!(new_links.len(), 1);
    assert_eq!(new_links[0].recipient, known);

    // The limit (5 in a burst) is reached: the 6th and later requests wait.
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(post("nobody@example.org".into()).await.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[tokio::test]
async fn unsubscribing_asks_then_withdraws() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let study = studies::load(&mut conn, "lmn-2024").unwrap();
    open_round(&mut conn, SLUG);
    let round = Round::open_of_study(&mut conn, study.id).unwrap().unwrap();
    let invitation = Invitation::of_round(&mut conn, round.id).unwrap()[0].clone();
    let (token, hash) = delphi::service::tokens::generate();
    Invitation::add_token(&mut conn, invitation.id, &hash, "new_link", now()).unwrap();
    drop(conn);

    let page = app.get(&format!("/u/{token}")).await;
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(
        body.contains(&study.title) || body.contains("Leave the study"),
        "{body}"
    );
    assert!(body.contains(&format!("action=\"/u/{token}\"")));
    let expert_id = invitation.expert_id;
    let withdrawn = |db: &Db| {
        Expert::by_id(&mut db.get().unwrap(), expert_id)
            .unwrap()
            .unwrap()
            .withdrawn_at
    };
    assert!(withdrawn(&app.db).is_none(), "a GET changes nothing");

    let done = app
        .client
        .post(app.url(&format!("/u/{token}")))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("You have left"));
    assert!(withdrawn(&app.db).is_some());
    assert!(
        outbox_emails(&mut app.db.get().unwrap())
            .iter()
            .filter(|e| e.expert_id == Some(expert_id))
            .all(|e| e.status.as_str() != "queued"),
        "nothing more goes to an expert who left"
    );

    assert_eq!(app.get(&format!("/u/{}", "0".repeat(64))).await.status(), 404);
    assert_eq!(app.get("/u/nonsense").await.status(), 404);
}

#[test]
fn study_overrides_are_checked_and_applied() {
    use delphi::service::email_templates;
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let actor = actor();
    load_demo(&mut conn);

    let bad = Override {
        subject: "{{study}} round {{round}}".into(),
        body_text: "Hello {{nmae}}, {{link}}".into(),
        body_html: None,
    };
    let err = email_templates::set(&mut conn, "lmn-2024", "invitation", "en", &bad, &actor).unwrap_err();
    assert!(
        err.to_string().contains("the text of the invitation email"),
        "{err}"
    );
    assert!(err.to_string().contains("nmae"), "{err}");
    let unclosed = Override {
        subject: "{{#if study}}".into(),
        ..bad.clone()
    };
    let err = email_templates::set(&mut conn, "lmn-2024", "invitation", "en", &unclosed, &actor).unwrap_err();
    assert!(
        err.to_string().contains("the subject of the invitation email"),
        "{err}"
    );
    let err = email_templates::set(&mut conn, "lmn-2024", "welcome", "en", &bad, &actor).unwrap_err();
    assert!(err.to_string().contains("no email is called"), "{err}");
    let err = email_templates::set(&mut conn, "lmn-2024", "invitation", "xx", &bad, &actor).unwrap_err();
    assert!(err.to_string().contains("--lang"), "{err}");

    let good = Override {
        subject: "Our study {{study}} needs you (round {{round}})".into(),
        body_text: "Dear {{name}}, please answer here: {{link}}\n".into(),
        body_html: None,
    };
    let preview = email_templates::set(&mut conn, "lmn-2024", "invitation", "en", &good, &actor).unwrap();
    assert!(preview.subject.starts_with("Our study"));
    assert_eq!(email_templates::list(&mut conn, "lmn-2024").unwrap().len(), 1);
    open_round(&mut conn, SLUG);
    let emails = outbox_emails(&mut conn);
    let english: Vec<_> = emails
        .iter()
        .filter(|e| e.subject.starts_with("Our study"))
        .collect();
    assert!(!english.is_empty(), "the override is used");
    assert!(english
        .iter()
        .all(|e| e.body_html.is_none() && e.body_text.contains("/r/")));

    assert!(email_templates::clear(&mut conn, "lmn-2024", "invitation", "en", &actor).unwrap());
    assert!(!email_templates::clear(&mut conn, "lmn-2024", "invitation", "en", &actor).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_sends_the_outbox_and_manages_overrides() {
    let server = SmtpServer::start().await;
    let database = TestDatabase::new();
    let port = server.port().to_string();
    let cli = Cli::new(&database)
        .env("DELPHI__SERVER__PUBLIC_URL", PUBLIC_URL)
        .env("DELPHI__EMAIL__TRANSPORT", "smtp")
        .env("DELPHI__EMAIL__SMTP__HOST", "127.0.0.1")
        .env("DELPHI__EMAIL__SMTP__PORT", &port)
        .env("DELPHI__EMAIL__SMTP__SECURITY", "none");
    let ok = |args: &[&str]| cli.ok(args);
    ok(&["demo"]);
    let text = database.dir.path().join("invitation.txt");
    std::fs::write(&text, "Dear {{name}}: {{link}}\n").unwrap();
    let set = ok(&[
        "email",
        "template",
        "set",
        "lmn-2024",
        "invitation",
        "--lang",
        "en",
        "--subject",
        "Please join {{study}}",
        "--text",
        text.to_str().unwrap(),
    ]);
    assert!(set.contains("Subject: Please join"), "{set}");
    assert!(ok(&["email", "template", "show", "lmn-2024"]).contains("invitation\ten"));
    std::fs::write(&text, "Dear {{nmae}}\n").unwrap();
    let refused = cli.refused(&[
        "email",
        "template",
        "set",
        "lmn-2024",
        "invitation",
        "--lang",
        "en",
        "--subject",
        "x",
        "--text",
        text.to_str().unwrap(),
    ]);
    assert!(refused.contains("nmae"), "{refused}");

    ok(&["round", "open", "lmn-2024"]);
    let sent = ok(&["outbox", "--send"]);
    assert!(sent.contains(" sent, 0 retrying later, 0 failed"), "{sent}");
    let received = server.received();
    assert!(!received.is_empty());
    let emails = outbox_emails(&mut database.connect().get().unwrap());
    assert_eq!(received.len(), emails.len(), "each queued email went once");
    assert!(emails.iter().any(|e| e.subject.starts_with("Please join")));
    assert!(ok(&["outbox"]).contains("the outbox is empty"));
}

#[tokio::test]
async fn the_server_runs_the_outbox_worker() {
    let app = spawn_app().await;
    let queued = open_demo_round(&app.db);
    // The worker runs every workers.outbox_interval_secs (5 s by default).
    let mut sent = 0;
    for _ in 0..60 {
        sent = outbox_emails(&mut app.db.get().unwrap())
            .iter()
            .filter(|e| e.status.as_str() == "sent")
            .count();
        if sent == queued {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(sent, queued);
    let files = std::fs::read_dir(app.database.data_dir().join("outbox"))
        .unwrap()
        .count();
    assert_eq!(
        files, queued,
        "the default file transport wrote one .eml per email"
    );
}
