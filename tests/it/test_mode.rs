//! Test mode: a facilitator invites test experts from the console's Test run page, before round
//! 1 opens (they rehearse it as a draft) and during round 1; they answer through the emailed
//! link like anyone, and nothing of theirs reaches results, response rates, exports, the report,
//! reminders or the next round's invitations. The bad paths: a viewer, bad fields (all listed at
//! once, each named), a panel member's address, removals, a panel import reusing a test address.

use std::collections::BTreeMap;

use delphi::db::models::audit::AuditEntry;
use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::ratings::Rating;
use delphi::db::models::rounds::Round;
use delphi::db::Db;
use delphi::domain::panel_file::parse_panel_csv;
use delphi::domain::role::Role;
use delphi::domain::round::RoundState;
use delphi::service::content::{self, ItemChange};
use delphi::service::{panel, rounds as round_service, studies};

use crate::support::app::{spawn_app_keeping_emails, TestApp, PUBLIC_URL};
use crate::support::files::{parse_csv, unzip};
use crate::support::fixtures::{actor, create_study};
use crate::support::forms::{location, unescape};
use crate::support::mail::{link_token, outbox_emails};
use crate::support::rating_page::submit;
use crate::support::rounds::{current_round, experts, open_round, record_score};
use crate::support::sign_in::{add_facilitator, add_named_facilitator, grant, Session};

const SLUG: &str = "rehearsal";
const OWNER: &str = "ada@example.org";
/// The example panel's size: everyone is invited to round 1.
const PANEL: usize = 24;
/// Panel members who answer round 1 (every item 9; the test expert answers 1 everywhere).
const RESPONDERS: usize = 6;

/// The example study under [`SLUG`], owned by Ada Lovelace, nothing opened.
async fn study() -> TestApp {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, OWNER, "Ada Lovelace");
    create_study(&app, SLUG, Some(OWNER));
    app
}

fn study_id(db: &Db) -> i64 {
    studies::load(&mut db.get().unwrap(), SLUG).unwrap().id
}

/// The link token of the last test invitation emailed to `to`, with the email's subject.
pub(crate) fn test_link(app: &TestApp, to: &str) -> (String, String) {
    let email = outbox_emails(&mut app.db.get().unwrap())
        .into_iter()
        .rfind(|e| e.recipient == to && e.kind == "invitation")
        .unwrap_or_else(|| panic!("no invitation to {to}"));
    let token = link_token(&app.database, &email, &format!("{PUBLIC_URL}/r/"));
    (token, email.subject)
}

fn tests_of(db: &Db) -> Vec<Expert> {
    Expert::tests_of_study(&mut db.get().unwrap(), study_id(db)).unwrap()
}

/// The codes of the items a round asks, in order.
fn round_codes(db: &Db, round: &Round) -> Vec<String> {
    let mut conn = db.get().unwrap();
    let items: BTreeMap<i64, String> = delphi::db::models::items::Item::of_study(&mut conn, round.study_id)
        .unwrap()
        .into_iter()
        .map(|i| (i.id, i.code))
        .collect();
    Round::items(&mut conn, round.id)
        .unwrap()
        .iter()
        .map(|ri| items[&ri.item_id].clone())
        .collect()
}

/// The test expert answers 1 to every item of their page (the form without JavaScript), then
/// submits.
async fn answer_all_with_ones(app: &TestApp, token: &str, codes: &[String]) {
    let scores: Vec<(String, String)> = codes
        .iter()
        .map(|c| (format!("s_{c}"), "1".to_string()))
        .chain([("action".to_string(), "save".to_string())])
        .collect();
    let saved = app
        .client
        .post(app.url(&format!("/r/{token}")))
        .form(&scores)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let submitted = submit(app, token).await.unwrap();
    assert_eq!(submitted.status(), 303);
}

/// The panel's first [`RESPONDERS`] experts answer 9 to every item of the open round.
fn panel_answers_nines(db: &Db) {
    let mut conn = db.get().unwrap();
    let round = current_round(&mut conn, SLUG);
    let codes = round_codes(db, &round);
    for expert in experts(&mut conn, SLUG).iter().take(RESPONDERS) {
        let invitation = Invitation::find(&mut conn, round.id, expert.id).unwrap().unwrap();
        for code in &codes {
            record_score(&mut conn, invitation.id, code, 9);
        }
    }
}

fn audits(db: &Db, action: &str) -> Vec<serde_json::Value> {
    AuditEntry::all(&mut db.get().unwrap())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| serde_json::from_str(&e.details).unwrap())
        .collect()
}

async fn invite(me: &Session<'_>, email: &str, name: &str, group: &str, language: &str) -> reqwest::Response {
    me.post(
        &format!("/console/s/{SLUG}/test"),
        &[
            ("email", email),
            ("name", name),
            ("group", group),
            ("language", language),
        ],
    )
    .await
}

async fn download(me: &Session<'_>, file: &str) -> Vec<u8> {
    let response = me.get(&format!("/console/s/{SLUG}/export/{file}")).await;
    assert_eq!(response.status(), 200, "{file}");
    response.bytes().await.unwrap().to_vec()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn a_test_expert_rehearses_round_one_then_is_left_out_of_every_figure_and_file() {
    let app = study().await;
    let me = Session::sign_in(&app, OWNER).await;

    // The study page offers the test run; the page fills in the facilitator's own address.
    let board = unescape(&me.page(&format!("/console/s/{SLUG}")).await);
    assert!(
        board.contains(&format!("href=\"/console/s/{SLUG}/test\"")),
        "{board}"
    );
    let page = unescape(&me.page(&format!("/console/s/{SLUG}/test")).await);
    assert!(page.contains("Round 1 has not opened yet."), "{page}");
    assert!(page.contains(&format!("value=\"{OWNER}\"")), "{page}");
    assert!(page.contains("value=\"Ada Lovelace\""), "{page}");
    assert!(page.contains("No test expert yet."));

    // Invited before round 1 opens: a draft round 1 with the items as planned, nothing locked.
    let response = invite(&me, OWNER, "Ada Lovelace", "researcher", "").await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(to, format!("/console/s/{SLUG}/test?done=invited&who=T001"));
    let page = unescape(&me.page(&to).await);
    assert!(
        page.contains(&format!(
            "Ada Lovelace (T001) was invited to try round 1 before it opens: the email with their personal link is on its way to {OWNER}."
        )),
        "{page}"
    );
    assert!(page.contains("data-test-expert=\"T001\""), "{page}");
    assert!(page.contains("1 (not opened yet)"), "{page}");
    let sid = study_id(&app.db);
    {
        let mut conn = app.db.get().unwrap();
        let study = studies::load(&mut conn, SLUG).unwrap();
        assert!(study.rule_hash.is_none(), "a test run does not lock the rule");
        assert!(
            Round::of_study(&mut conn, sid).unwrap().is_empty(),
            "no round has opened"
        );
        let draft = Round::draft_of_study(&mut conn, sid).unwrap().unwrap();
        assert_eq!((draft.number, draft.status), (1, RoundState::Draft));
        assert_eq!(Round::items(&mut conn, draft.id).unwrap().len(), 34);
    }
    assert_eq!(audits(&app.db, "test.invite").len(), 1);
    assert_eq!(audits(&app.db, "test.invite")[0]["expert"], "T001");
    let board = unescape(&me.page(&format!("/console/s/{SLUG}")).await);
    assert!(
        board.contains("No round has been opened yet."),
        "the draft is no round: {board}"
    );
    assert!(
        board.contains("data-test-expert=\"T001\""),
        "the dashboard lists test experts: {board}"
    );

    // The emailed link works like a panel member's, marked as a test.
    let (token, subject) = test_link(&app, OWNER);
    assert!(subject.starts_with("[Test] "), "{subject}");
    let form = unescape(&app.text(&format!("/r/{token}")).await);
    assert!(
        form.contains("Test run: round 1 has not opened yet. Your answers are kept apart"),
        "{form}"
    );
    assert!(form.contains("id=i-M01 ") && form.contains("id=i-M02 "));
    let draft = Round::draft_of_study(&mut app.db.get().unwrap(), sid)
        .unwrap()
        .unwrap();
    answer_all_with_ones(&app, &token, &round_codes(&app.db, &draft)).await;
    let t001 = tests_of(&app.db).remove(0);
    assert_eq!(
        Rating::of_expert(&mut app.db.get().unwrap(), draft.id, t001.id)
            .unwrap()
            .len(),
        34
    );

    // Edits before round 1 opens show to the test expert: a retired item leaves the page (with
    // its test answer), a reworded one is reworded in place (no panel member has seen it).
    for (code, change) in [
        (
            "M02",
            ItemChange {
                retired: Some(true),
                ..Default::default()
            },
        ),
        (
            "M01",
            ItemChange {
                text: Some("Haemoglobin, measured on site".into()),
                ..Default::default()
            },
        ),
    ] {
        let edited = content::edit_item(&mut app.db.get().unwrap(), SLUG, code, &change, &actor()).unwrap();
        assert!(
            !edited.new_version,
            "{code}: a rehearsal does not version an item"
        );
    }
    let form = unescape(&app.text(&format!("/r/{token}")).await);
    assert!(!form.contains("id=i-M02 "), "{form}");
    assert!(form.contains("Haemoglobin, measured on site"));
    assert_eq!(
        Rating::of_expert(&mut app.db.get().unwrap(), draft.id, t001.id)
            .unwrap()
            .len(),
        33
    );

    // Round 1 opens for real: the same round, the plan as it stands, the panel invited; the
    // test expert keeps their link and their answers.
    let opened = me
        .post(&format!("/console/s/{SLUG}/rounds/open"), &[("deadline", "")])
        .await;
    assert_eq!(opened.status(), 303);
    let round = current_round(&mut app.db.get().unwrap(), SLUG);
    assert_eq!(round.id, draft.id);
    assert_eq!(round_codes(&app.db, &round).len(), 33);
    assert!(studies::load(&mut app.db.get().unwrap(), SLUG)
        .unwrap()
        .rule_hash
        .is_some());
    let invited: Vec<OutboxEmail> = outbox_emails(&mut app.db.get().unwrap())
        .into_iter()
        .filter(|e| e.kind == "invitation" && e.recipient != OWNER)
        .collect();
    assert_eq!(invited.len(), PANEL);
    assert!(invited.iter().all(|e| !e.subject.starts_with("[Test]")));
    let form = unescape(&app.text(&format!("/r/{token}")).await);
    assert!(form.contains("Test run: your answers are kept apart"), "{form}");
    assert!(form.contains("33 of 33 items answered"), "{form}");
    panel_answers_nines(&app.db);

    // The dashboard counts the panel only, and shows the test expert apart.
    let board = unescape(&me.page(&format!("/console/s/{SLUG}")).await);
    assert!(
        board.contains(&format!("<span data-live=\"invited\">{PANEL}</span>")),
        "{board}"
    );
    assert!(board.contains(&format!("<span data-live=\"responded\">{RESPONDERS}</span>")));
    assert!(
        !board.contains("data-expert=\"T001\""),
        "not among the panel: {board}"
    );
    assert!(board.contains("data-test-expert=\"T001\""));
    let status: serde_json::Value = me.json(&format!("/console/s/{SLUG}/status.json")).await;
    assert_eq!(status["round"]["invited"], PANEL);
    assert_eq!(status["round"]["responded"], RESPONDERS);

    // Reminders go to the panel members who have not submitted (all 24: the six answered
    // without submitting), never to the test expert.
    let reminded = me.post(&format!("/console/s/{SLUG}/rounds/remind"), &[]).await;
    assert_eq!(
        location(&reminded),
        format!("/console/s/{SLUG}?done=reminded&n={PANEL}")
    );
    assert!(outbox_emails(&mut app.db.get().unwrap())
        .iter()
        .all(|e| !(e.kind == "reminder" && e.recipient == OWNER)));

    // Closed: the close page, the results and every export know nothing of the test answers.
    let close_page = unescape(&me.page(&format!("/console/s/{SLUG}/rounds/close")).await);
    assert!(
        close_page.contains(&format!(
            "{RESPONDERS} of {PANEL} invited experts responded (25 %)."
        )),
        "{close_page}"
    );
    let closed = me.post(&format!("/console/s/{SLUG}/rounds/close"), &[]).await;
    assert_eq!(closed.status(), 303);

    // results.csv: were T001's answers (all 1) counted, `c1` would be 1 and `n` 7 for every
    // item, and no item would be in consensus. This is the check that fails if any of the
    // lookups behind results loses its panel filter.
    let (_, results) = parse_csv(&text(&download(&me, "results.csv").await));
    assert_eq!(results.len(), 33);
    for row in &results {
        assert_eq!(row["invited"], PANEL.to_string(), "{row:?}");
        assert_eq!(row["responded"], RESPONDERS.to_string(), "{row:?}");
        assert_eq!(row["n"], RESPONDERS.to_string(), "{row:?}");
        assert_eq!(row["c1"], "0", "{row:?}");
        assert_eq!(row["c9"], RESPONDERS.to_string(), "{row:?}");
        assert_eq!(row["median"], "9", "{row:?}");
        assert_eq!(row["status"], "in", "{row:?}");
    }
    let (_, by_group) = parse_csv(&text(&download(&me, "results_by_group.csv").await));
    assert!(by_group.iter().all(|r| r["c1"] == "0"));
    let (_, ratings) = parse_csv(&text(&download(&me, "ratings.csv").await));
    assert_eq!(ratings.len(), RESPONDERS * 33);
    assert!(ratings
        .iter()
        .all(|r| r["expert"].starts_with('E') && r["score"] == "9"));
    let (_, participants) = parse_csv(&text(&download(&me, "participants.csv").await));
    assert_eq!(participants.len(), PANEL);
    let responded: usize = participants
        .iter()
        .filter(|p| p["responded_rounds"] == "1")
        .count();
    assert_eq!(responded, RESPONDERS);
    let (_, consensus) = parse_csv(&text(&download(&me, "consensus.csv").await));
    assert!(consensus.iter().all(|c| c["status"] == "in"));
    let json: serde_json::Value = serde_json::from_slice(&download(&me, "study.json").await).unwrap();
    let report = text(&download(&me, "report.html").await);
    let workbook = unzip(&download(&me, "study.xlsx").await);
    let package = unzip(&download(&me, "package.zip").await);
    let mut everything = vec![json.to_string(), report.clone()];
    everything.extend(workbook.values().chain(package.values()).map(|b| text(b)));
    for file in &everything {
        for trace in ["T001", OWNER, "Ada Lovelace"] {
            assert!(!file.contains(trace), "{trace} in an export");
        }
    }
    assert_eq!(json["rounds"][0]["invited"], PANEL);
    assert_eq!(json["rounds"][0]["responded"], RESPONDERS);

    // Round 2: the test expert is not invited (invite = previous_responders counts the panel).
    let emails_before = outbox_emails(&mut app.db.get().unwrap()).len();
    round_service::open(
        &mut app.db.get().unwrap(),
        SLUG,
        None,
        &delphi::domain::link::LinkBase(PUBLIC_URL.into()),
        &actor(),
    )
    .unwrap_err(); // every item reached consensus: nothing is left to rate
    let rounds_of_t001: Vec<i32> = Invitation::of_test_experts(&mut app.db.get().unwrap(), sid)
        .unwrap()
        .into_iter()
        .map(|(_, r)| r.number)
        .collect();
    assert_eq!(rounds_of_t001, vec![1]);
    assert_eq!(outbox_emails(&mut app.db.get().unwrap()).len(), emails_before);
}

#[tokio::test]
async fn a_test_expert_invited_during_round_one_answers_apart_and_is_not_invited_to_round_two() {
    let app = study().await;
    open_round(&mut app.db.get().unwrap(), SLUG);
    let me = Session::sign_in(&app, OWNER).await;
    let page = unescape(&me.page(&format!("/console/s/{SLUG}/test")).await);
    assert!(
        page.contains("Round 1 is open: a test expert invited now answers round 1"),
        "{page}"
    );

    let response = invite(&me, "colleague@example.org", "Bob Colleague", "clinician", "fr").await;
    let page = unescape(&me.page(&location(&response)).await);
    assert!(
        page.contains("Bob Colleague (T001) was invited to round 1 as a test expert: the email with their personal link is on its way to colleague@example.org."),
        "{page}"
    );
    let (token, subject) = test_link(&app, "colleague@example.org");
    assert!(subject.starts_with("[Test] "), "{subject}");
    // In French, as asked, and marked as a test.
    let form = unescape(&app.text(&format!("/r/{token}")).await);
    assert!(form.contains("Essai : vos réponses sont tenues à part"), "{form}");
    let round = current_round(&mut app.db.get().unwrap(), SLUG);
    let codes = round_codes(&app.db, &round);
    answer_all_with_ones(&app, &token, &codes).await;
    // Only part of the panel answers, some with 1s too, so that a wrong count shows.
    {
        let mut conn = app.db.get().unwrap();
        let panel = experts(&mut conn, SLUG);
        for (n, expert) in panel.iter().take(4).enumerate() {
            let invitation = Invitation::find(&mut conn, round.id, expert.id).unwrap().unwrap();
            record_score(&mut conn, invitation.id, "M01", if n == 0 { 1 } else { 8 });
        }
    }
    let board = unescape(&me.page(&format!("/console/s/{SLUG}")).await);
    assert!(
        board.contains("<span data-live=\"responded\">4</span>"),
        "{board}"
    );
    assert!(board.contains("data-test-expert=\"T001\""));
    let row = board.split("data-test-expert=\"T001\"").nth(1).unwrap();
    assert!(
        row.contains("submitted") && row.contains(&format!("{0} of {0}", codes.len())),
        "{row}"
    );

    let closed = me.post(&format!("/console/s/{SLUG}/rounds/close"), &[]).await;
    assert_eq!(closed.status(), 303);
    let (_, results) = parse_csv(&text(&download(&me, "results.csv").await));
    let m01 = results.iter().find(|r| r["item_code"] == "M01").unwrap();
    assert_eq!(
        (m01["n"].as_str(), m01["c1"].as_str(), m01["c8"].as_str()),
        ("4", "1", "3")
    );
    let m03 = results.iter().find(|r| r["item_code"] == "M03").unwrap();
    assert_eq!(
        (m03["n"].as_str(), m03["c1"].as_str()),
        ("0", "0"),
        "only T001 answered M03"
    );

    // Round 2 invites the panel's responders, not the test expert.
    let opened = me
        .post(&format!("/console/s/{SLUG}/rounds/open"), &[("deadline", "")])
        .await;
    assert_eq!(opened.status(), 303);
    let mut conn = app.db.get().unwrap();
    let round_two = current_round(&mut conn, SLUG);
    assert_eq!(round_two.number, 2);
    assert_eq!(Invitation::of_round(&mut conn, round_two.id).unwrap().len(), 4);
    let sid = study_id(&app.db);
    let t001_rounds: Vec<i32> = Invitation::of_test_experts(&mut conn, sid)
        .unwrap()
        .into_iter()
        .map(|(_, r)| r.number)
        .collect();
    assert_eq!(t001_rounds, vec![1]);
    // Invited again, as a test, they answer round 2 with a new link.
    drop(conn);
    let again = invite(&me, "colleague@example.org", "Bob Colleague", "clinician", "fr").await;
    assert_eq!(
        location(&again),
        format!("/console/s/{SLUG}/test?done=invited&who=T001")
    );
    let (token_two, _) = test_link(&app, "colleague@example.org");
    assert_ne!(token_two, token);
    assert_eq!(app.get(&format!("/r/{token_two}")).await.status(), 200);
}

#[tokio::test]
async fn viewers_cannot_invite_and_bad_fields_are_all_named_with_nothing_saved() {
    let app = study().await;
    add_facilitator(&app.db, "viewer@example.org");
    grant(&app.db, SLUG, "viewer@example.org", Role::Viewer);
    let viewer = Session::sign_in(&app, "viewer@example.org").await;
    assert_eq!(viewer.get(&format!("/console/s/{SLUG}/test")).await.status(), 403);
    let refused = invite(&viewer, "v@example.org", "V", "researcher", "").await;
    assert_eq!(refused.status(), 403);
    let board = viewer.page(&format!("/console/s/{SLUG}")).await;
    assert!(
        !board.contains(&format!("href=\"/console/s/{SLUG}/test\"")),
        "no link for viewers"
    );

    let me = Session::sign_in(&app, OWNER).await;
    // Two problems at once, each linked to its field, what was typed kept.
    let response = invite(&me, "not an email", "  ", "researcher", "").await;
    assert_eq!(response.status(), 422);
    let page = unescape(&response.text().await.unwrap());
    assert!(
        page.contains("<a href=\"#email\">Enter an email address like name@example.org.</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"#name\">Enter the test expert's name.</a>"),
        "{page}"
    );
    assert!(page.contains("value=\"not an email\""), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));
    let response = invite(&me, "", "Ada", "", "").await;
    let page = unescape(&response.text().await.unwrap());
    assert!(
        page.contains("<a href=\"#email\">Enter the test expert's email address.</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"#group\">Choose one of the study's stakeholder groups.</a>"),
        "{page}"
    );
    // A forged group or language, and a panel member's address, named by field.
    for (email, group, language, field, message) in [
        (
            "x@example.org",
            "nobody",
            "",
            "group",
            "Choose one of the study's stakeholder groups.",
        ),
        (
            "x@example.org",
            "researcher",
            "xx",
            "language",
            "Choose one of the languages offered.",
        ),
        (
            "a.diallo@example.org",
            "researcher",
            "",
            "email",
            "This address belongs to an expert of the panel.",
        ),
    ] {
        let response = invite(&me, email, "X", group, language).await;
        assert_eq!(response.status(), 422, "{field}");
        let page = unescape(&response.text().await.unwrap());
        assert!(
            page.contains(&format!("<a href=\"#{field}\">{message}")),
            "{page}"
        );
        assert!(
            page.contains(&format!("value=\"{email}\"")),
            "typed values are kept"
        );
    }
    // Nothing was saved: no test expert, no draft round, no email, no audit entry.
    assert!(tests_of(&app.db).is_empty());
    assert!(
        Round::draft_of_study(&mut app.db.get().unwrap(), study_id(&app.db))
            .unwrap()
            .is_none()
    );
    assert!(outbox_emails(&mut app.db.get().unwrap()).is_empty());
    assert!(audits(&app.db, "test.invite").is_empty());
    // In French, the same problems in French.
    let fr = app
        .client
        .post(app.url(&format!("/console/s/{SLUG}/test")))
        .header("Cookie", &me.cookie)
        .header("Accept-Language", "fr")
        .form(&[
            ("csrf", me.csrf.as_str()),
            ("email", ""),
            ("name", ""),
            ("group", "researcher"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(fr.status(), 422);
    let fr = unescape(&fr.text().await.unwrap());
    assert!(
        fr.contains("Saisissez l'adresse électronique de l'expert de test."),
        "{fr}"
    );
    assert!(fr.contains("Saisissez le nom de l'expert de test."), "{fr}");
}

#[tokio::test]
async fn test_answers_and_test_experts_are_removed_on_request_and_their_addresses_stay_theirs() {
    let app = study().await;
    let me = Session::sign_in(&app, OWNER).await;
    invite(&me, "t1@example.org", "Tess One", "researcher", "").await;
    invite(&me, "t2@example.org", "Tom Two", "programme", "").await;
    let tests = tests_of(&app.db);
    assert_eq!(
        tests.iter().map(|e| e.pseudonym.as_str()).collect::<Vec<_>>(),
        ["T001", "T002"]
    );
    // The panel's pseudonyms go on from E024, with no gap for the test experts.
    let panel = experts(&mut app.db.get().unwrap(), SLUG);
    assert_eq!(panel.len(), PANEL);
    assert_eq!(panel.last().unwrap().pseudonym, "E024");
    let (token, _) = test_link(&app, "t1@example.org");
    let draft = Round::draft_of_study(&mut app.db.get().unwrap(), study_id(&app.db))
        .unwrap()
        .unwrap();
    answer_all_with_ones(&app, &token, &round_codes(&app.db, &draft)[..3]).await;

    // Remove answers: asked first, then done; the link still works, blank.
    let confirm = unescape(&me.page(&format!("/console/s/{SLUG}/test/T001/clear")).await);
    assert!(
        confirm.contains("Remove the answers of Tess One (T001)?"),
        "{confirm}"
    );
    assert!(confirm.contains("Their 3 answers"), "{confirm}");
    assert!(confirm.contains(&format!("href=\"/console/s/{SLUG}/test\">Cancel</a>")));
    assert_eq!(
        audits(&app.db, "test.clear").len(),
        0,
        "the confirmation changes nothing"
    );
    let cleared = me.post(&format!("/console/s/{SLUG}/test/T001/clear"), &[]).await;
    let to = location(&cleared);
    assert_eq!(to, format!("/console/s/{SLUG}/test?done=cleared&n=3&who=T001"));
    let page = unescape(&me.page(&to).await);
    assert!(
        page.contains("The 3 answers of Tess One (T001) were removed; their link still works."),
        "{page}"
    );
    let form = unescape(&app.text(&format!("/r/{token}")).await);
    assert!(form.contains("0 of 34 items answered"), "{form}");
    assert_eq!(audits(&app.db, "test.clear")[0]["answers"], 3);

    // Remove the test expert: their link stops working, their emails are gone.
    let confirm = unescape(&me.page(&format!("/console/s/{SLUG}/test/T001/remove")).await);
    assert!(confirm.contains("Remove Tess One (T001)?"), "{confirm}");
    let removed = me.post(&format!("/console/s/{SLUG}/test/T001/remove"), &[]).await;
    let page = unescape(&me.page(&location(&removed)).await);
    assert!(
        page.contains("T001 was removed with their 0 answers; their links no longer work."),
        "{page}"
    );
    assert_eq!(app.get(&format!("/r/{token}")).await.status(), 404);
    assert!(outbox_emails(&mut app.db.get().unwrap())
        .iter()
        .all(|e| e.recipient != "t1@example.org"));
    assert_eq!(tests_of(&app.db).len(), 1);
    assert_eq!(audits(&app.db, "test.remove")[0]["expert"], "T001");
    // Unknown or panel pseudonyms are refused, naming them; a crafted `who` shows nothing.
    for who in ["T001", "E001", "T999"] {
        let response = me
            .post(&format!("/console/s/{SLUG}/test/{who}/remove"), &[])
            .await;
        assert_eq!(response.status(), 404, "{who}");
        let body = unescape(&response.text().await.unwrap());
        assert!(
            body.contains(&format!("has no test expert {who}; nothing was changed")),
            "{body}"
        );
    }
    assert_eq!(experts(&mut app.db.get().unwrap(), SLUG).len(), PANEL);
    let crafted = me
        .page(&format!(
            "/console/s/{SLUG}/test?done=removed&who=%3Cb%3Ehi%3C/b%3E"
        ))
        .await;
    assert!(!crafted.contains("<b>hi</b>") && !crafted.contains("was removed"));

    // The panel cannot take a test expert's address: the line is named, nothing imported.
    let csv = "email,name,group\nnew@example.org,New,researcher\nt2@example.org,Tom,programme\n";
    let rows = parse_panel_csv("panel.csv", csv).unwrap();
    let refused =
        studies::import_panel(&mut app.db.get().unwrap(), SLUG, "panel.csv", &rows, &actor()).unwrap_err();
    let said = refused.to_string();
    assert!(
        said.contains("panel.csv: line 3") && said.contains("test expert T002"),
        "{said}"
    );
    assert_eq!(experts(&mut app.db.get().unwrap(), SLUG).len(), PANEL);
    // Nor can one expert added by the panel's form, nor pasted ones.
    let typed = panel::ExpertInput {
        email: "t2@example.org".into(),
        name: "Tom".into(),
        group: "programme".into(),
        ..Default::default()
    };
    let refused = panel::add_expert(&mut app.db.get().unwrap(), SLUG, &typed, &actor()).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("field `email`: t2@example.org is the address of test expert T002"),
        "{refused}"
    );
    let pasted = "new@example.org | New | researcher\nt2@example.org | Tom | programme";
    let refused = panel::paste_experts(&mut app.db.get().unwrap(), SLUG, pasted, &actor()).unwrap_err();
    assert!(refused.to_string().contains("line 2, field `email`"), "{refused}");
    assert_eq!(experts(&mut app.db.get().unwrap(), SLUG).len(), PANEL);

    // The audit log tells it in words.
    let audit = unescape(&me.page(&format!("/console/s/{SLUG}/audit")).await);
    assert!(audit.contains("Invited test expert T002 to round 1."), "{audit}");
    assert!(audit.contains("Removed test expert T001"), "{audit}");
}

#[tokio::test]
async fn between_rounds_test_experts_rehearse_the_next_round_until_the_study_finishes() {
    let app = study().await;
    {
        let mut conn = app.db.get().unwrap();
        open_round(&mut conn, SLUG);
        let round = current_round(&mut conn, SLUG);
        let expert = experts(&mut conn, SLUG).remove(0);
        let invitation = Invitation::find(&mut conn, round.id, expert.id).unwrap().unwrap();
        record_score(&mut conn, invitation.id, "M01", 5);
        round_service::close(&mut conn, SLUG, "facilitator", &actor()).unwrap();
    }
    let me = Session::sign_in(&app, OWNER).await;
    let page = unescape(&me.page(&format!("/console/s/{SLUG}/test")).await);
    assert!(page.contains("Round 2 has not opened yet."), "{page}");
    let response = invite(&me, OWNER, "Ada Lovelace", "researcher", "").await;
    assert_eq!(
        location(&response),
        format!("/console/s/{SLUG}/test?done=invited&who=T001")
    );
    let sid = study_id(&app.db);
    {
        let mut conn = app.db.get().unwrap();
        assert_eq!(
            Round::of_study(&mut conn, sid).unwrap().len(),
            1,
            "the draft is no round yet"
        );
        assert_eq!(Round::draft_of_study(&mut conn, sid).unwrap().unwrap().number, 2);
    }
    let (token, _) = test_link(&app, OWNER);
    let form = unescape(&app.text(&format!("/r/{token}")).await);
    assert!(form.contains("Test run: round 2 has not opened yet."), "{form}");
    assert!(
        form.contains("how the panel rated it in the previous round"),
        "round 1's feedback: {form}"
    );

    // Finishing the study ends the rehearsal: the draft goes, and with it the test link.
    let finished = me
        .post(
            &format!("/console/s/{SLUG}/finish"),
            &[("reason", "Enough agreement")],
        )
        .await;
    assert_eq!(finished.status(), 303);
    assert!(Round::draft_of_study(&mut app.db.get().unwrap(), sid)
        .unwrap()
        .is_none());
    assert_eq!(app.get(&format!("/r/{token}")).await.status(), 404);
    let page = unescape(&me.page(&format!("/console/s/{SLUG}/test")).await);
    assert!(
        page.contains("The study is finished: there is no round left to try."),
        "{page}"
    );
    assert!(!page.contains("Send the test invitation"));
    let refused = invite(&me, OWNER, "Ada Lovelace", "researcher", "").await;
    assert_eq!(refused.status(), 409);
}

/// The Test run in a real browser: the form prefilled and sent, a refused form, the list, a
/// test expert's page and the dashboard, each without serious accessibility violations. (The
/// pages without JavaScript are what the tests above post to.)
#[cfg(feature = "browser-tests")]
mod in_a_browser {
    use super::*;
    use crate::support::browser::Browser;

    #[tokio::test]
    async fn the_test_run_pages_pass_axe() {
        let app = study().await;
        let browser = Browser::start(true).await;
        browser.sign_in(&app, OWNER).await;

        browser.goto(&app.url(&format!("/console/s/{SLUG}/test"))).await;
        browser.assert_accessible("the test run page").await;
        browser.click("form.stack button.primary").await;
        browser.wait_for_path("done=invited&who=T001").await;
        browser
            .wait_for_text("was invited to try round 1 before it opens")
            .await;
        browser
            .assert_accessible("the test run page with a test expert")
            .await;

        // A refused form: the summary links to the field.
        browser.goto(&app.url(&format!("/console/s/{SLUG}/test"))).await;
        browser
            .script(
                "document.getElementById('email').value = 'ada@';",
                serde_json::json!([]),
            )
            .await;
        browser.click("form.stack button.primary").await;
        browser
            .wait_for_text("Enter an email address like name@example.org.")
            .await;
        browser
            .assert_accessible("the test run page refusing a form")
            .await;

        let (token, _) = test_link(&app, OWNER);
        browser.goto(&app.url(&format!("/r/{token}"))).await;
        browser
            .wait_for_text("Test run: round 1 has not opened yet.")
            .await;
        browser.assert_accessible("a test expert's page").await;

        browser.goto(&app.url(&format!("/console/s/{SLUG}"))).await;
        browser.wait_for_text("data-test-expert=\"T001\"").await;
        browser
            .assert_accessible("the dashboard with a test expert")
            .await;
    }
}
