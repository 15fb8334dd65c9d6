//! Rounds of a study as tests set them up: the demo loaded, rounds opened (with the experts'
//! links read from the invitations, in the outbox or as delivered) and closed, answers recorded
//! as the rating page records them.

use std::collections::HashMap;
use std::time::Duration;

use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::items::Item;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::page_items::PageItem;
use delphi::db::models::rounds::Round;
use delphi::db::models::studies::Group;
use delphi::db::{Db, DbConnection};
use delphi::domain::answer::Answer;
use delphi::domain::link::LinkBase;
use delphi::service::ratings::{self, AnswerInput};
use delphi::service::rounds;
use delphi::service::{demo, studies};

use crate::support::app::{TestApp, TestDatabase, PUBLIC_URL};
use crate::support::fixtures::{actor, SLUG};
use crate::support::mail::{decoded, link_token, token_after};
use crate::support::smtp::SmtpServer;
use crate::support::wait::wait_for;

/// The example study, as `delphi demo` loads it.
pub fn load_demo(conn: &mut DbConnection) {
    demo::load(conn, &actor()).unwrap();
}

/// Opens the next round of `slug`, its links pointing to [`PUBLIC_URL`]; how many emails it
/// queued.
pub fn open_round(conn: &mut DbConnection, slug: &str) -> usize {
    rounds::open(conn, slug, None, &LinkBase(PUBLIC_URL.into()), &actor())
        .unwrap()
        .emails_queued
}

/// Opens the next round of `slug` and returns each invited expert's link token, by expert id,
/// taken from the invitation emails queued for that round.
pub fn open_round_with_links(app: &TestApp, conn: &mut DbConnection, slug: &str) -> HashMap<i64, String> {
    let opened = rounds::open(conn, slug, None, &LinkBase(app.address.clone()), &actor()).unwrap();
    links_of_round(&app.database, conn, slug, opened.number)
}

/// Opens the ideas round (round 0) of `slug`, which has an `[ideas]` table, and returns each
/// invited expert's link token, by expert id, as [`open_round_with_links`] does.
pub fn open_ideas_round(app: &TestApp, conn: &mut DbConnection, slug: &str) -> HashMap<i64, String> {
    let link_base = LinkBase(app.address.clone());
    rounds::open_as(conn, slug, rounds::Opening::Ideas, None, &link_base, &actor()).unwrap();
    links_of_round(&app.database, conn, slug, 0)
}

/// Each invited expert's link token of round `number` of `slug`, by expert id, taken from the
/// round's invitation emails, whether the server of `database` has sent them meanwhile or not
/// ([`link_token`]).
pub fn links_of_round(
    database: &TestDatabase,
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
) -> HashMap<i64, String> {
    let (study_id, keys) = invitation_keys(conn, slug, number);
    OutboxEmail::all(conn, Some(study_id))
        .unwrap()
        .into_iter()
        .filter_map(|e| Some((*keys.get(&e.idempotency_key)?, link_token(database, &e, "/r/"))))
        .collect()
}

/// Each invited expert's link token of round `number` of `slug`, by expert id, taken from the
/// invitations as the relay `smtp` received them: waits (up to 30 s) until the server's outbox
/// worker has delivered every one. For a server that sends while the test reads: a sent row
/// keeps no link, so the outbox cannot be read.
pub async fn links_delivered(db: &Db, smtp: &SmtpServer, slug: &str, number: i32) -> HashMap<i64, String> {
    let what = format!("round {number}'s invitations delivered");
    wait_for(Duration::from_secs(30), &what, || {
        // The pool may be all taken for a moment (the worker records what it sent on as many
        // connections as it sends at once): try again, within the bound, rather than fail.
        let mut conn = db.get().ok()?;
        let (study_id, keys) = invitation_keys(&mut conn, slug, number);
        let received: Vec<String> = smtp.received().iter().map(|m| decoded(&m.data)).collect();
        let mut links = HashMap::new();
        for email in OutboxEmail::all(&mut conn, Some(study_id)).unwrap() {
            let Some(&expert_id) = keys.get(&email.idempotency_key) else {
                continue;
            };
            // Sent: the relay accepted it, under the Message-ID the row keeps.
            let header = format!("Message-ID: {}", email.message_id?);
            let message = received.iter().find(|m| m.contains(&header))?;
            links.insert(expert_id, token_after(message, "/r/"));
        }
        Some(links)
    })
    .await
}

/// The study id of `slug`, and the idempotency keys of the invitation emails of its round
/// `number`, whatever their language, with the invited expert's id.
fn invitation_keys(conn: &mut DbConnection, slug: &str, number: i32) -> (i64, HashMap<String, i64>) {
    let study = studies::load(conn, slug).unwrap();
    let round = Round::by_number(conn, study.id, number).unwrap().unwrap();
    let keys = Invitation::of_round(conn, round.id)
        .unwrap()
        .into_iter()
        .map(|i| (format!("invitation:{}", i.id), i.expert_id))
        .collect();
    (study.id, keys)
}

pub fn close_round(conn: &mut DbConnection, slug: &str) {
    rounds::close(conn, slug, "facilitator", &actor()).unwrap();
}

/// The open round of `slug`.
pub fn current_round(conn: &mut DbConnection, slug: &str) -> Round {
    let study = studies::load(conn, slug).unwrap();
    Round::open_of_study(conn, study.id).unwrap().unwrap()
}

/// The panel of `slug`.
pub fn experts(conn: &mut DbConnection, slug: &str) -> Vec<Expert> {
    let study = studies::load(conn, slug).unwrap();
    Expert::of_study(conn, study.id).unwrap()
}

/// The first expert of `panel` whose language is `language`.
pub fn speaking<'a>(panel: &'a [Expert], language: &str) -> &'a Expert {
    panel
        .iter()
        .find(|e| e.language.as_deref() == Some(language))
        .unwrap_or_else(|| panic!("an expert speaking {language}"))
}

/// An answer to `code` with no comment.
pub fn answer_input(code: &str, answer: Answer) -> AnswerInput {
    AnswerInput {
        item_code: code.into(),
        answer,
        comment: None,
        reason: None,
    }
}

/// Records `score` for `code` on the invitation, as the rating page does.
pub fn record_score(conn: &mut DbConnection, invitation_id: i64, code: &str, score: i32) {
    ratings::record(conn, invitation_id, &answer_input(code, Answer::Score(score))).unwrap();
}

/// The demo's round 1 opened, answered by all researchers (6) and two clinicians with spread
/// scores and a few comments, and closed; round 2 opened. The links of round 2, by expert id.
/// The demo's experts who answer round 1 in the tests with group figures: the six researchers
/// and the first two clinicians, each with their place on the panel (the scores depend on it).
pub fn round_one_responders(conn: &mut DbConnection) -> Vec<(usize, Expert)> {
    let study = studies::load(conn, SLUG).unwrap();
    let groups: HashMap<i64, String> = Group::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .map(|g| (g.id, g.key))
        .collect();
    let mut clinicians = 0;
    let mut responders = Vec::new();
    for (n, expert) in experts(conn, SLUG).into_iter().enumerate() {
        let answers = match groups[&expert.group_id].as_str() {
            "researcher" => true,
            "clinician" if clinicians < 2 => {
                clinicians += 1;
                true
            }
            _ => false,
        };
        if answers {
            responders.push((n, expert));
        }
    }
    responders
}

/// The codes of the demo's items, in the study's order.
pub fn item_codes(conn: &mut DbConnection) -> Vec<String> {
    let study = studies::load(conn, SLUG).unwrap();
    Item::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .map(|i| i.code)
        .collect()
}

pub fn run_round_one(app: &TestApp, conn: &mut DbConnection) -> HashMap<i64, String> {
    open_round_with_links(app, conn, SLUG);
    let round_id = current_round(conn, SLUG).id;
    for (n, expert) in round_one_responders(conn) {
        let invitation = Invitation::find(conn, round_id, expert.id).unwrap().unwrap();
        for ri in Round::items(conn, round_id).unwrap() {
            let code = Item::by_id(conn, ri.item_id).unwrap().unwrap().code;
            // Spread scores: no item reaches consensus, so all are carried into round 2.
            let score = [2, 5, 8, 5, 8, 2, 5, 8][n % 8];
            let comment = (code == "M01" && n < 3).then(|| format!("Anonymous remark {n}"));
            ratings::record(
                conn,
                invitation.id,
                &AnswerInput {
                    item_code: code,
                    answer: Answer::Score(score),
                    comment,
                    reason: None,
                },
            )
            .unwrap();
        }
    }
    close_round(conn, SLUG);
    open_round_with_links(app, conn, SLUG)
}

/// Every panel expert of round `number` of `slug` answers every item of their drawn page (a
/// study with `items_per_expert`), scores spread over the scale.
pub fn answer_every_page(conn: &mut DbConnection, slug: &str, number: i32) {
    let study = studies::load(conn, slug).unwrap();
    let round = Round::by_number(conn, study.id, number).unwrap().unwrap();
    let codes: HashMap<i64, String> = Item::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .map(|i| (i.id, i.code))
        .collect();
    let invitations: HashMap<i64, i64> = Invitation::of_round(conn, round.id)
        .unwrap()
        .into_iter()
        .map(|i| (i.expert_id, i.id))
        .collect();
    for row in PageItem::of_round(conn, round.id).unwrap() {
        let score = (row.expert_id + row.item_id) % 9 + 1;
        let input = answer_input(&codes[&row.item_id], Answer::Score(score as i32));
        ratings::record(conn, invitations[&row.expert_id], &input).unwrap();
    }
}
