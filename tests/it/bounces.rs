//! Issue 18: every invitation's delivery known. VERP return paths over the in-process SMTP
//! server, DSNs piped to `delphi bounce receive` and posted to `/api/v1/bounces`, soft bounces
//! and auto-replies recorded without marking anyone, garbage refused without a change, the
//! dashboard, the history page, participants.csv and the corrected address.

use delphi::db::models::deliveries::{DeliveryRecord, Undeliverable};
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::Db;
use delphi::domain::delivery::DeliveryEvent;
use delphi::domain::outbox::OutboxStatus;
use delphi::service::outbox::Worker;
use delphi::service::Store;
use reqwest::Method;

use crate::support::api::Api;
use crate::support::app::{spawn_app_keeping_emails_with, TestApp};
use crate::support::cli::Cli;
use crate::support::fixtures::SLUG;
use crate::support::mail::outbox_emails;
use crate::support::rounds::{load_demo, open_round};
use crate::support::sign_in::{add_owner, api_token, bounces_token, Session};
use crate::support::smtp::{send_through, smtp_settings, SmtpServer};

const BOUNCES: &str = "bounces@example.org";
pub const OWNER: &str = "owner@example.org";

/// The example study with round 1 open and its invitations delivered over SMTP with VERP
/// return paths, an owner signed up; the server and the SMTP relay.
pub async fn delivered() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    // The server's own worker sends through the same relay, should its first run come late.
    let app = spawn_app_keeping_emails_with(|s| {
        send_through(s, smtp.port());
        s.email.bounce_address = BOUNCES.into();
    })
    .await;
    {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
        assert!(open_round(&mut conn, SLUG) > 0);
    }
    add_owner(&app.db, SLUG, OWNER);
    deliver(&app, &smtp).await;
    (app, smtp)
}

/// Runs the outbox worker once over the test relay, with the bounce address set, and waits
/// for what the server's own worker may have claimed.
async fn deliver(app: &TestApp, smtp: &SmtpServer) {
    let mut settings = smtp_settings(&app.database, smtp.port());
    settings.email.bounce_address = BOUNCES.into();
    Worker::new(Store::from_db(app.db.clone()), settings)
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    for _ in 0..100 {
        let waiting = outbox_emails(&mut app.db.get().unwrap())
            .iter()
            .any(|e| matches!(e.status, OutboxStatus::Queued | OutboxStatus::Sending));
        if !waiting {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("emails still waiting in the outbox");
}

/// The sent invitations, oldest first.
pub fn invitations(db: &Db) -> Vec<OutboxEmail> {
    outbox_emails(&mut db.get().unwrap())
        .into_iter()
        .filter(|e| e.kind == "invitation")
        .collect()
}

fn history(db: &Db) -> Vec<DeliveryRecord> {
    let mut conn = db.get().unwrap();
    let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
    DeliveryRecord::of_study(&mut conn, study.id)
        .unwrap()
        .into_iter()
        .map(|(record, _, _)| record)
        .collect()
}

fn undeliverable(db: &Db) -> Vec<Undeliverable> {
    let mut conn = db.get().unwrap();
    let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
    Undeliverable::of_study(&mut conn, study.id).unwrap()
}

/// A DSN as Postfix writes it: multipart/report with a human part, the delivery-status part
/// and the original's headers; to the email's VERP address.
pub fn dsn(email: &OutboxEmail, action: &str, status: &str, diagnostic: &str) -> String {
    format!(
        "Return-Path: <>\r
Delivered-To: bounces+{id}@example.org\r
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r
To: bounces+{id}@example.org\r
Subject: Undelivered Mail Returned to Sender\r
Date: Mon, 7 Dec 2026 08:00:00 +0000\r
Auto-Submitted: auto-replied\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status;\r
\tboundary=\"8C1A2.1765094400/mx.example.net\"\r
Message-Id: <20261207080000.8C1A2@mx.example.net>\r
\r
This is a MIME-encapsulated message.\r
\r
--8C1A2.1765094400/mx.example.net\r
Content-Description: Notification\r
Content-Type: text/plain; charset=us-ascii\r
\r
This is the mail system at host mx.example.net.\r
\r
I'm sorry to have to inform you that your message could not\r
be delivered to one or more recipients.\r
\r
--8C1A2.1765094400/mx.example.net\r
Content-Description: Delivery report\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; mx.example.net\r
X-Postfix-Queue-ID: 8C1A2\r
Arrival-Date: Mon,  7 Dec 2026 07:59:58 +0000 (UTC)\r
\r
Final-Recipient: rfc822; {to}\r
Original-Recipient: rfc822;{to}\r
Action: {action}\r
Status: {status}\r
Remote-MTA: dns; mail.example.com\r
Diagnostic-Code: smtp; {diagnostic}\r
\r
--8C1A2.1765094400/mx.example.net\r
Content-Description: Undelivered Message Headers\r
Content-Type: text/rfc822-headers\r
\r
From: Delphi <delphi@localhost>\r
To: {to}\r
Subject: {subject}\r
Message-ID: {message_id}\r
\r
--8C1A2.1765094400/mx.example.net--\r
",
        id = email.id,
        to = email.recipient,
        subject = email.subject,
        message_id = email.message_id.as_deref().unwrap_or(""),
    )
}

pub fn hard_bounce(email: &OutboxEmail) -> String {
    dsn(
        email,
        "failed",
        "5.1.1",
        &format!(
            "550 5.1.1 <{}>: Recipient address rejected: User unknown",
            email.recipient
        ),
    )
}

/// Posts a raw message to `/api/v1/bounces`: the status and the JSON answer.
async fn post_bounce(app: &TestApp, token: &str, body: String) -> (u16, serde_json::Value) {
    let response = app
        .client
        .post(app.url("/api/v1/bounces"))
        .bearer_auth(token)
        .header("content-type", "message/rfc822")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The same bounce as `raw`, as another MTA (or the same, later) would write it: its own id.
fn another_bounce(raw: &str) -> String {
    raw.replace(
        "Message-Id: <20261207080000.8C1A2@mx.example.net>",
        "Message-Id: <20261207090000.9D3B4@mx.example.net>",
    )
}

/// The history without the relay's acceptances: (email, event).
fn received(db: &Db) -> Vec<(i64, DeliveryEvent)> {
    history(db)
        .into_iter()
        .filter(|r| r.event != DeliveryEvent::Accepted)
        .map(|r| (r.outbox_id, r.event))
        .collect()
}

fn cli(app: &TestApp) -> Cli {
    Cli::new(&app.database).env("DELPHI__EMAIL__BOUNCE_ADDRESS", BOUNCES)
}

#[tokio::test]
async fn invitations_carry_verp_return_paths_and_the_relays_words() {
    let (app, smtp) = delivered().await;
    let sent = invitations(&app.db);
    assert!(!sent.is_empty());
    let received = smtp.received();
    assert_eq!(received.len(), sent.len());
    for email in &sent {
        assert_eq!(email.status, OutboxStatus::Sent, "{email:?}");
        let message = received
            .iter()
            .find(|r| r.to == vec![format!("<{}>", email.recipient)])
            .unwrap_or_else(|| panic!("nothing to {}", email.recipient));
        assert_eq!(message.from, format!("<bounces+{}@example.org>", email.id));
        // The From header stays the configured sender.
        assert!(
            message.data.contains("From: Delphi <delphi@localhost>"),
            "{}",
            message.data
        );
    }
    // One acceptance per email, in the relay's words; on a loaded machine an attempt may also
    // have timed out first, and is then in the history as refused.
    let history = history(&app.db);
    let accepted: Vec<&DeliveryRecord> = history
        .iter()
        .filter(|r| r.event == DeliveryEvent::Accepted)
        .collect();
    assert_eq!(accepted.len(), sent.len(), "{history:?}");
    for record in accepted {
        assert_eq!(record.detail, "250 2.0.0 queued");
        assert_eq!(record.status.as_deref(), Some("2.0.0"));
    }
    assert!(history
        .iter()
        .all(|r| matches!(r.event, DeliveryEvent::Accepted | DeliveryEvent::Refused)));
}

#[tokio::test]
async fn a_hard_bounce_piped_to_bounce_receive_marks_the_expert_undeliverable() {
    let (app, smtp) = delivered().await;
    let email = invitations(&app.db).remove(0);
    let out = cli(&app).ok_with_input(&["bounce", "receive"], &hard_bounce(&email));
    assert!(out.contains("undeliverable"), "{out}");

    let failed = OutboxEmail::by_id(&mut app.db.get().unwrap(), email.id)
        .unwrap()
        .unwrap();
    assert_eq!(failed.status, OutboxStatus::Failed);
    assert!(
        failed.last_error.as_deref().unwrap().contains("5.1.1"),
        "{failed:?}"
    );
    let marked = undeliverable(&app.db);
    assert_eq!(marked.len(), 1);
    assert_eq!(Some(marked[0].expert_id), email.expert_id);
    assert_eq!(marked[0].address, email.recipient);
    let pseudonym = {
        let mut conn = app.db.get().unwrap();
        delphi::db::models::experts::Expert::by_id(&mut conn, email.expert_id.unwrap())
            .unwrap()
            .unwrap()
            .pseudonym
    };

    // The dashboard lists the expert apart; the history is one click away.
    let session = Session::sign_in(&app, OWNER).await;
    let dashboard = session.page(&format!("/console/s/{SLUG}")).await;
    let apart = &dashboard[dashboard.find("id=\"undeliverable\"").unwrap()..];
    assert!(apart.contains(&pseudonym), "{apart}");
    assert!(apart.contains("User unknown"), "{apart}");
    // The study is pseudonymous: the server's words are shown without the address.
    assert!(!dashboard.contains(&email.recipient), "{dashboard}");
    assert!(apart.contains("[address hidden]"), "{apart}");
    let row = &dashboard[dashboard.find(&format!("data-expert=\"{pseudonym}\"")).unwrap()..];
    assert!(
        row[..row.find("</tr>").unwrap()].contains(">undeliverable"),
        "{row}"
    );
    let deliveries = format!("/console/s/{SLUG}/experts/{pseudonym}/deliveries");
    assert!(row.contains(&deliveries), "{row}");
    let page = session.page(&deliveries).await;
    assert!(page.contains("bounced for good"), "{page}");
    assert!(page.contains("accepted by the relay"), "{page}");
    assert!(page.contains("250 2.0.0 queued"), "{page}");
    assert!(!page.contains(&email.recipient), "{page}");

    // participants.csv: the state in the last column, the others unchanged.
    let out = tempfile::tempdir().unwrap();
    cli(&app).export_csv(SLUG, out.path());
    let csv = std::fs::read_to_string(out.path().join("participants.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "expert,group,country,invited_rounds,responded_rounds,submitted_rounds,delivery_state"
    );
    let states: Vec<(&str, &str)> = lines
        .map(|l| (l.split(',').next().unwrap(), l.rsplit(',').next().unwrap()))
        .collect();
    assert!(states.contains(&(pseudonym.as_str(), "undeliverable")), "{csv}");
    assert!(
        states.iter().filter(|(_, s)| *s == "delivered").count() >= 1,
        "{csv}"
    );

    // Nothing more goes to the address: a reminder is failed unsent, with the reason.
    let before = smtp.per_recipient();
    cli(&app).ok(&["round", "remind", SLUG]);
    deliver(&app, &smtp).await;
    let reminder = outbox_emails(&mut app.db.get().unwrap())
        .into_iter()
        .find(|e| e.kind == "reminder" && e.expert_id == email.expert_id)
        .unwrap();
    assert_eq!(reminder.status, OutboxStatus::Failed);
    assert!(
        reminder.last_error.as_deref().unwrap().starts_with("not sent"),
        "{reminder:?}"
    );
    let to = format!("<{}>", email.recipient);
    assert_eq!(smtp.per_recipient().get(&to), before.get(&to));
    assert!(history(&app.db)
        .iter()
        .any(|r| r.outbox_id == reminder.id && r.event == DeliveryEvent::Skipped));

    // A bad address is refused on the page and changes nothing; a good one clears the mark
    // and sends the invitation again.
    let correct = format!("/console/s/{SLUG}/experts/{pseudonym}/address");
    session
        .post_refused(&correct, &[("email", "not an address")], 422)
        .await;
    assert_eq!(undeliverable(&app.db).len(), 1);
    session
        .post_ok(&correct, &[("email", "Right@Example.ORG")], "corrected_resent")
        .await;
    assert!(undeliverable(&app.db).is_empty());
    let resent = outbox_emails(&mut app.db.get().unwrap())
        .into_iter()
        .rfind(|e| e.kind == "invitation" && e.expert_id == email.expert_id)
        .unwrap();
    assert_eq!(resent.recipient, "Right@example.org");
    assert_eq!(resent.status, OutboxStatus::Queued);
}

#[tokio::test]
async fn soft_bounces_and_auto_replies_are_recorded_without_marking_anyone() {
    let (app, _smtp) = delivered().await;
    let sent = invitations(&app.db);
    let (first, second) = (&sent[0], &sent[1]);
    let soft = dsn(first, "delayed", "4.2.2", "452 4.2.2 Mailbox full");
    let out = cli(&app).ok_with_input(&["bounce", "receive"], &soft);
    assert!(out.contains("soft bounce"), "{out}");
    // An auto-reply found by the Message-ID it answers (no VERP address in it).
    let auto = format!(
        "From: {to}\r\nTo: delphi@localhost\r\nSubject: Automatic reply: {subject}\r\nAuto-Submitted: auto-replied\r\nIn-Reply-To: {id}\r\nDate: Mon, 7 Dec 2026 08:00:00 +0000\r\n\r\nI am away until Monday.\r\n",
        to = second.recipient,
        subject = second.subject,
        id = second.message_id.as_deref().unwrap(),
    );
    let out = cli(&app).ok_with_input(&["bounce", "receive"], &auto);
    assert!(out.contains("auto-reply"), "{out}");

    assert!(undeliverable(&app.db).is_empty());
    let events: Vec<(i64, DeliveryEvent, Option<String>)> = history(&app.db)
        .into_iter()
        .filter(|r| r.event != DeliveryEvent::Accepted)
        .map(|r| (r.outbox_id, r.event, r.status))
        .collect();
    assert_eq!(
        events,
        vec![
            (first.id, DeliveryEvent::SoftBounce, Some("4.2.2".into())),
            (second.id, DeliveryEvent::AutoReply, None),
        ]
    );
    for email in [first, second] {
        let now = OutboxEmail::by_id(&mut app.db.get().unwrap(), email.id)
            .unwrap()
            .unwrap();
        assert_eq!(now.status, OutboxStatus::Sent);
    }
    let session = Session::sign_in(&app, OWNER).await;
    let dashboard = session.page(&format!("/console/s/{SLUG}")).await;
    assert!(dashboard.contains("delayed (temporary failure)"), "{dashboard}");
    assert!(dashboard.contains("delivered (automatic reply)"), "{dashboard}");
    assert!(
        dashboard.contains("No address has bounced for good."),
        "{dashboard}"
    );
}

#[tokio::test]
async fn garbage_and_unrelated_mail_exit_2_and_change_nothing() {
    let (app, _smtp) = delivered().await;
    let email = invitations(&app.db).remove(0);
    let before = history(&app.db).len();
    let cli = cli(&app).quiet();
    let refusals = [
        ("", "empty"),
        ("\u{0}\u{1}binary garbage without any header", "not an email message"),
        (
            "From: ada@example.org\r\nTo: delphi@localhost\r\nSubject: Re: round 1\r\n\r\nThanks, I will answer tomorrow.\r\n",
            "neither a delivery status notification",
        ),
    ];
    for (input, reason) in refusals {
        let line = cli.refused_with_input(&["bounce", "receive"], input);
        assert!(line.contains(reason), "{line}");
    }
    // A bounce of a message Delphi never sent, and one naming someone else.
    let mut stranger = email.clone();
    stranger.id = 999_999;
    stranger.message_id = Some("<outbox-999999.00@delphi.test>".into());
    let line = cli.refused_with_input(&["bounce", "receive"], &hard_bounce(&stranger));
    assert!(line.contains("999999"), "{line}");
    let mut someone_else = email.clone();
    someone_else.recipient = "someone.else@example.net".into();
    let line = cli.refused_with_input(&["bounce", "receive"], &hard_bounce(&someone_else));
    assert!(line.contains("another address"), "{line}");

    assert_eq!(history(&app.db).len(), before);
    assert!(undeliverable(&app.db).is_empty());
    let unchanged = OutboxEmail::by_id(&mut app.db.get().unwrap(), email.id)
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.status, OutboxStatus::Sent);
}

#[tokio::test]
async fn bounces_posted_to_the_api_need_a_bounces_token() {
    let (app, _smtp) = delivered().await;
    let email = invitations(&app.db).remove(0);
    let whole_api = api_token(&app.db, OWNER, "scripts");
    let bounces = bounces_token(&app.db, OWNER);

    let (status, body) = post_bounce(&app, &whole_api, hard_bounce(&email)).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("`bounces` scope"),
        "{body}"
    );
    let (status, body) = Api::new(&app, &bounces)
        .json(Method::GET, "/api/v1/studies", None)
        .await;
    assert_eq!(status, 403, "{body}");

    let (status, body) = post_bounce(&app, &bounces, "garbage".into()).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("not an email message"),
        "{body}"
    );
    let (status, body) = post_bounce(&app, &bounces, dsn(&email, "delivered", "2.0.0", "250 2.0.0 ok")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("reports no failure"),
        "{body}"
    );
    assert!(undeliverable(&app.db).is_empty());
    assert!(history(&app.db)
        .iter()
        .all(|r| r.event == DeliveryEvent::Accepted));

    let (status, body) = post_bounce(&app, &bounces, hard_bounce(&email)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recorded"]["event"], "hard_bounce");
    assert_eq!(body["recorded"]["status"], "5.1.1");
    assert_eq!(body["recorded"]["message"], email.id);
    assert_eq!(body["recorded"]["undeliverable"], true);
    assert_eq!(undeliverable(&app.db).len(), 1);

    // The OpenAPI document describes the endpoint with its raw body.
    let document = Api::anonymous(&app)
        .expect(Method::GET, "/api/v1/openapi.json", None, 200)
        .await;
    let operation = &document["paths"]["/api/v1/bounces"]["post"];
    assert_eq!(operation["operationId"], "receiveBounce");
    assert!(
        operation["requestBody"]["content"]["message/rfc822"].is_object(),
        "{operation}"
    );
}

#[tokio::test]
async fn the_same_bounce_piped_twice_is_recorded_once() {
    let (app, _smtp) = delivered().await;
    let sent = invitations(&app.db);
    let (first, second) = (&sent[0], &sent[1]);
    let bounce = hard_bounce(first);
    let out = cli(&app).ok_with_input(&["bounce", "receive"], &bounce);
    assert!(out.contains("undeliverable"), "{out}");
    // The MTA retries its pipe: exit 0, one line saying so, nothing more recorded.
    let out = cli(&app).ok_with_input(&["bounce", "receive"], &bounce);
    assert!(
        out.contains("already recorded (hard_bounce), nothing changed"),
        "{out}"
    );
    assert!(out.contains(&format!("message {}", first.id)), "{out}");
    assert_eq!(received(&app.db), vec![(first.id, DeliveryEvent::HardBounce)]);
    assert_eq!(undeliverable(&app.db).len(), 1);

    // A soft bounce (with a Message-ID) and an auto-reply (without: its bytes decide), twice each.
    let soft = dsn(second, "delayed", "4.2.2", "452 4.2.2 Mailbox full");
    let auto = format!(
        "From: {to}\r\nTo: delphi@localhost\r\nSubject: Automatic reply\r\nAuto-Submitted: auto-replied\r\nIn-Reply-To: {id}\r\nDate: Mon, 7 Dec 2026 08:00:00 +0000\r\n\r\nI am away until Monday.\r\n",
        to = second.recipient,
        id = second.message_id.as_deref().unwrap(),
    );
    for (message, said) in [(&soft, "soft_bounce"), (&auto, "auto_reply")] {
        cli(&app).ok_with_input(&["bounce", "receive"], message);
        let out = cli(&app).ok_with_input(&["bounce", "receive"], message);
        assert!(out.contains(&format!("already recorded ({said})")), "{out}");
    }
    // Two different bounces of the same email are two entries.
    let out = cli(&app).ok_with_input(&["bounce", "receive"], &another_bounce(&soft));
    assert!(out.contains("soft bounce"), "{out}");
    assert_eq!(
        received(&app.db),
        vec![
            (first.id, DeliveryEvent::HardBounce),
            (second.id, DeliveryEvent::SoftBounce),
            (second.id, DeliveryEvent::AutoReply),
            (second.id, DeliveryEvent::SoftBounce),
        ]
    );
}

#[tokio::test]
async fn the_same_bounce_posted_twice_or_at_once_is_recorded_once() {
    let (app, _smtp) = delivered().await;
    let sent = invitations(&app.db);
    let (first, second) = (&sent[0], &sent[1]);
    let token = bounces_token(&app.db, OWNER);
    let bounce = hard_bounce(first);
    let (status, body) = post_bounce(&app, &token, bounce.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recorded"]["duplicate"], false, "{body}");
    // The forwarder timed out and posts again: the entry recorded then, said to be a duplicate.
    let (status, again) = post_bounce(&app, &token, bounce).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["recorded"]["duplicate"], true, "{again}");
    for field in ["message", "event", "status", "detail", "expert", "undeliverable"] {
        assert_eq!(
            again["recorded"][field], body["recorded"][field],
            "{field}: {again}"
        );
    }
    assert_eq!(received(&app.db), vec![(first.id, DeliveryEvent::HardBounce)]);

    // Several deliveries of one bounce at once: the unique index decides, the others are told
    // it is a duplicate, none fails.
    let soft = dsn(second, "delayed", "4.4.1", "451 4.4.1 Connection timed out");
    let answers =
        futures_util::future::join_all((0..4).map(|_| post_bounce(&app, &token, soft.clone()))).await;
    let mut duplicates = 0;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
        assert_eq!(body["recorded"]["message"], second.id, "{body}");
        if body["recorded"]["duplicate"] == true {
            duplicates += 1;
        }
    }
    assert_eq!(duplicates, answers.len() - 1, "{answers:?}");
    assert_eq!(
        received(&app.db),
        vec![
            (first.id, DeliveryEvent::HardBounce),
            (second.id, DeliveryEvent::SoftBounce),
        ]
    );
}
