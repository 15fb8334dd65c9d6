//! Round control in the console over HTTP: the confirmation pages of withdraw, resend and extend
//! (a GET that changes nothing, then the CSRF form that acts), the notice after every action
//! naming whom and how many, experts by name in a named study, the bad paths; and one count of
//! responses (responded = submitted + answered without submitting) on the close page, the
//! dashboard and in the exports.

use delphi::db::models::audit::AuditEntry;
use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::items::Item;
use delphi::db::models::rounds::Round;
use delphi::db::schema::studies;
use delphi::db::Db;
use delphi::domain::role::Role;
use delphi::service::expert as expert_service;
use diesel::prelude::*;

use crate::support::app::{spawn_app_keeping_emails, TestApp};
use crate::support::files::parse_csv;
use crate::support::fixtures::create_study;
use crate::support::forms::{location, unescape};
use crate::support::rounds::{current_round, experts, open_round, record_score};
use crate::support::sign_in::{add_facilitator, grant, Session};

const SLUG: &str = "rc-study";
const OWNER: &str = "owner@example.org";

/// The example study under [`SLUG`], owned by [`OWNER`], with round 1 open (no deadline).
async fn study_with_open_round() -> TestApp {
    let app = spawn_app_keeping_emails().await;
    add_facilitator(&app.db, OWNER);
    create_study(&app, SLUG, Some(OWNER));
    open_round(&mut app.db.get().unwrap(), SLUG);
    app
}

fn audits(db: &Db, action: &str) -> usize {
    AuditEntry::all(&mut db.get().unwrap())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .count()
}

fn expert(db: &Db, pseudonym: &str) -> Expert {
    experts(&mut db.get().unwrap(), SLUG)
        .into_iter()
        .find(|e| e.pseudonym == pseudonym)
        .unwrap()
}

fn withdrawn(db: &Db) -> usize {
    experts(&mut db.get().unwrap(), SLUG)
        .iter()
        .filter(|e| e.withdrawn_at.is_some())
        .count()
}

/// A confirmation page: a POST form to `action` carrying the CSRF token, and Cancel back to
/// the dashboard.
fn assert_confirmation(page: &str, action: &str, csrf: &str) {
    assert!(
        page.contains(&format!("<form method=\"post\" action=\"{action}\"")),
        "{page}"
    );
    assert!(
        page.contains(&format!("name=\"csrf\" value=\"{csrf}\"")),
        "{page}"
    );
    assert!(
        page.contains(&format!("href=\"/console/s/{SLUG}#dashboard\">Cancel</a>")),
        "{page}"
    );
}

#[tokio::test]
async fn withdraw_asks_first_then_withdraws_and_says_whom() {
    let app = study_with_open_round().await;
    let me = Session::sign_in(&app, OWNER).await;

    // The dashboard links to the confirmation; it has no one-click form any more.
    let board = me.page(&format!("/console/s/{SLUG}")).await;
    assert!(board.contains(&format!("href=\"/console/s/{SLUG}/experts/E003/withdraw\"")));
    assert!(!board.contains(&format!("action=\"/console/s/{SLUG}/experts/E003/withdraw\"")));

    let page = unescape(&me.page(&format!("/console/s/{SLUG}/experts/E003/withdraw")).await);
    assert!(page.contains("Withdraw E003 from the study?"), "{page}");
    assert!(page.contains("Their answers so far are kept."));
    assert!(page.contains("Yes, withdraw E003"));
    assert_confirmation(
        &page,
        &format!("/console/s/{SLUG}/experts/E003/withdraw"),
        &me.csrf,
    );
    assert_eq!(withdrawn(&app.db), 0, "the confirmation page changes nothing");

    let response = me
        .post(&format!("/console/s/{SLUG}/experts/E003/withdraw"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(to, format!("/console/s/{SLUG}?done=withdrawn&who=E003"));
    assert!(expert(&app.db, "E003").withdrawn_at.is_some());
    assert_eq!(withdrawn(&app.db), 1);
    let notice = unescape(&me.page(&to).await);
    assert!(
        notice.contains("E003 was withdrawn: nothing more is sent to them; their answers so far are kept."),
        "{notice}"
    );

    // Asking again is refused with the reason; posting again changes nothing and says so.
    let again = me.get(&format!("/console/s/{SLUG}/experts/E003/withdraw")).await;
    assert_eq!(again.status(), 409);
    assert!(unescape(&again.text().await.unwrap()).contains("E003 has already withdrawn"));
    let response = me
        .post(&format!("/console/s/{SLUG}/experts/E003/withdraw"), &[])
        .await;
    let notice = unescape(&me.page(&location(&response)).await);
    assert!(
        notice.contains("E003 had already withdrawn; nothing was changed."),
        "{notice}"
    );
    assert_eq!(audits(&app.db, "expert.withdraw"), 1);
}

#[tokio::test]
async fn resend_asks_first_then_sends_a_new_link_and_says_to_whom() {
    let app = study_with_open_round().await;
    let me = Session::sign_in(&app, OWNER).await;

    let page = unescape(&me.page(&format!("/console/s/{SLUG}/experts/E001/resend")).await);
    assert!(page.contains("Send E001 a new link?"), "{page}");
    assert!(page.contains("A new invitation to round 1 goes to their email address"));
    assert!(page.contains("Their answers so far are kept."));
    assert_confirmation(&page, &format!("/console/s/{SLUG}/experts/E001/resend"), &me.csrf);
    assert_eq!(
        audits(&app.db, "invitation.resend"),
        0,
        "the confirmation page sends nothing"
    );

    let response = me
        .post(&format!("/console/s/{SLUG}/experts/E001/resend"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(to, format!("/console/s/{SLUG}?done=resent&n=1&who=E001"));
    assert_eq!(audits(&app.db, "invitation.resend"), 1);
    let notice = unescape(&me.page(&to).await);
    assert!(
        notice.contains("A new link was sent to E001; the links they had no longer work."),
        "{notice}"
    );

    // A withdrawn expert gets nothing: the confirmation says so before anyone confirms.
    me.post(&format!("/console/s/{SLUG}/experts/E002/withdraw"), &[])
        .await;
    let refused = me.get(&format!("/console/s/{SLUG}/experts/E002/resend")).await;
    assert_eq!(refused.status(), 409);
    assert!(unescape(&refused.text().await.unwrap()).contains("E002 has withdrawn; nothing is sent to them"));
    assert_eq!(audits(&app.db, "invitation.resend"), 1);
}

#[tokio::test]
async fn extend_asks_first_showing_the_new_deadline_then_moves_it() {
    let app = study_with_open_round().await;
    let me = Session::sign_in(&app, OWNER).await;

    // The study page's form asks by GET (no CSRF needed: nothing changes yet).
    let board = me.page(&format!("/console/s/{SLUG}")).await;
    assert!(board.contains(&format!(
        "<form method=\"get\" action=\"/console/s/{SLUG}/rounds/extend\""
    )));

    let page = unescape(
        &me.page(&format!(
            "/console/s/{SLUG}/rounds/extend?deadline=2099-02-01T17%3A00"
        ))
        .await,
    );
    assert!(page.contains("Extend the deadline of round 1?"), "{page}");
    assert!(
        page.contains("The round has no deadline yet; it will end at 2099-02-01 17:00 (Africa/Nairobi)."),
        "{page}"
    );
    assert!(
        page.contains("name=\"deadline\" value=\"2099-02-01T17:00\""),
        "{page}"
    );
    assert_confirmation(&page, &format!("/console/s/{SLUG}/rounds/extend"), &me.csrf);
    assert!(current_round(&mut app.db.get().unwrap(), SLUG).deadline.is_none());

    let response = me
        .post(
            &format!("/console/s/{SLUG}/rounds/extend"),
            &[("deadline", "2099-02-01T17:00")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(to, format!("/console/s/{SLUG}?done=extended&n=1"));
    let notice = unescape(&me.page(&to).await);
    assert!(
        notice.contains("The deadline of round 1 is now 2099-02-01 17:00 (Africa/Nairobi)."),
        "{notice}"
    );

    // With a deadline, the page shows both; an earlier, past, unreadable or empty one is
    // refused on the confirmation page already, and nothing moves.
    let page = unescape(
        &me.page(&format!(
            "/console/s/{SLUG}/rounds/extend?deadline=2099-03-01T09:30"
        ))
        .await,
    );
    assert!(
        page.contains(
            "The deadline moves from 2099-02-01 17:00 (Africa/Nairobi) to 2099-03-01 09:30 (Africa/Nairobi)."
        ),
        "{page}"
    );
    for (typed, reason) in [
        ("2099-01-05T17:00", "is not later than the current deadline"),
        ("2001-01-05T17:00", "is in the past"),
        ("next+tuesday", "is not an RFC 3339 time"),
        ("", "choose the new deadline"),
    ] {
        let refused = me
            .get(&format!("/console/s/{SLUG}/rounds/extend?deadline={typed}"))
            .await;
        assert_eq!(refused.status(), 422, "{typed}");
        let body = unescape(&refused.text().await.unwrap());
        assert!(body.contains(reason), "{typed}: {body}");
    }
    assert_eq!(
        current_round(&mut app.db.get().unwrap(), SLUG)
            .deadline
            .unwrap()
            .to_string(),
        "2099-02-01 14:00:00"
    );
    assert_eq!(audits(&app.db, "round.extend"), 1);
}

#[tokio::test]
async fn reminders_say_how_many_were_queued() {
    let app = study_with_open_round().await;
    let me = Session::sign_in(&app, OWNER).await;
    let panel = experts(&mut app.db.get().unwrap(), SLUG).len();
    me.post(&format!("/console/s/{SLUG}/experts/E001/withdraw"), &[])
        .await;

    let response = me.post(&format!("/console/s/{SLUG}/rounds/remind"), &[]).await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(to, format!("/console/s/{SLUG}?done=reminded&n={}", panel - 1));
    let notice = me.page(&to).await;
    assert!(
        notice.contains(&format!(
            "Reminders were queued for {} experts who have not submitted.",
            panel - 1
        )),
        "{notice}"
    );
    let one = me.page(&format!("/console/s/{SLUG}?done=reminded&n=1")).await;
    assert!(one.contains("A reminder was queued for 1 expert who has not submitted."));
    let none = unescape(&me.page(&format!("/console/s/{SLUG}?done=reminded&n=0")).await);
    assert!(none.contains("Nobody was reminded: every invited expert has submitted or withdrawn."));
}

#[tokio::test]
async fn unknown_experts_and_crafted_notices_change_and_show_nothing() {
    let app = study_with_open_round().await;
    let me = Session::sign_in(&app, OWNER).await;

    // An unknown expert: a clear 404 on the confirmation page and on the POST; nothing changes.
    for action in ["withdraw", "resend"] {
        let page = me.get(&format!("/console/s/{SLUG}/experts/E999/{action}")).await;
        assert_eq!(page.status(), 404, "{action}");
        let body = unescape(&page.text().await.unwrap());
        assert!(body.contains("has no expert E999"), "{body}");
        assert!(
            body.contains(&format!("href=\"/console/s/{SLUG}\"")),
            "a way back: {body}"
        );
        let posted = me
            .post(&format!("/console/s/{SLUG}/experts/E999/{action}"), &[])
            .await;
        assert_eq!(posted.status(), 404, "{action}");
        assert!(unescape(&posted.text().await.unwrap()).contains("has no expert E999"));
    }
    assert_eq!(withdrawn(&app.db), 0);
    assert_eq!(audits(&app.db, "invitation.resend"), 0);

    // The notice shows names from the database only: a `who` that is no expert of the round
    // gives the notice without a name, and markup in it never reaches the page.
    let crafted = me
        .page(&format!(
            "/console/s/{SLUG}?done=withdrawn&who=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
        ))
        .await;
    assert!(!crafted.contains("alert(1)"), "{crafted}");
    assert!(crafted.contains("The expert was withdrawn"), "{crafted}");
    let other = me.page(&format!("/console/s/{SLUG}?done=resent&who=E999")).await;
    assert!(!other.contains("E999"));
    let unknown = me.page(&format!("/console/s/{SLUG}?done=%3Cb%3Ehi")).await;
    assert!(!unknown.contains("<b>hi") && !unknown.contains("class=\"notice\""));

    // Viewers may look at the dashboard but not reach the confirmation pages.
    add_facilitator(&app.db, "viewer@example.org");
    grant(&app.db, SLUG, "viewer@example.org", Role::Viewer);
    let viewer = Session::sign_in(&app, "viewer@example.org").await;
    for path in [
        "experts/E003/withdraw",
        "experts/E003/resend",
        "rounds/extend?deadline=2099-02-01T17:00",
    ] {
        assert_eq!(
            viewer.get(&format!("/console/s/{SLUG}/{path}")).await.status(),
            403,
            "{path}"
        );
    }
    let board = viewer.page(&format!("/console/s/{SLUG}")).await;
    assert!(!board.contains("/experts/E003/withdraw"));
}

#[tokio::test]
async fn a_named_study_shows_names_and_a_pseudonymous_one_only_codes() {
    let app = study_with_open_round().await;
    let me = Session::sign_in(&app, OWNER).await;
    let diallo = experts(&mut app.db.get().unwrap(), SLUG)
        .into_iter()
        .find(|e| e.name == "Aïssatou Diallo")
        .unwrap();
    let code = diallo.pseudonym.clone();

    // The example study is pseudonymous: codes only, everywhere.
    let board = me.page(&format!("/console/s/{SLUG}")).await;
    assert!(
        board.contains(&format!("<th scope=\"row\">{code}</th>")),
        "{board}"
    );
    assert!(!board.contains("Aïssatou"));
    let confirm = me
        .page(&format!("/console/s/{SLUG}/experts/{code}/withdraw"))
        .await;
    assert!(!confirm.contains("Aïssatou"));

    diesel::update(studies::table.filter(studies::slug.eq(SLUG)))
        .set(studies::anonymity.eq("named"))
        .execute(&mut app.db.get().unwrap())
        .unwrap();
    let board = me.page(&format!("/console/s/{SLUG}")).await;
    assert!(
        board.contains(&format!(
            "<th scope=\"row\">Aïssatou Diallo <span class=\"meta\">({code})</span></th>"
        )),
        "{board}"
    );
    assert!(board.contains(&format!(
        "aria-label=\"Withdraw Aïssatou Diallo ({code}) from the study\""
    )));
    let confirm = unescape(
        &me.page(&format!("/console/s/{SLUG}/experts/{code}/withdraw"))
            .await,
    );
    assert!(
        confirm.contains(&format!("Withdraw Aïssatou Diallo ({code}) from the study?")),
        "{confirm}"
    );
    let response = me
        .post(&format!("/console/s/{SLUG}/experts/{code}/resend"), &[])
        .await;
    let notice = unescape(&me.page(&location(&response)).await);
    assert!(
        notice.contains(&format!("A new link was sent to Aïssatou Diallo ({code})")),
        "{notice}"
    );
    let status: serde_json::Value = me.json(&format!("/console/s/{SLUG}/status.json")).await;
    assert!(status["round"]["experts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["label"] == "Aïssatou Diallo"));
}

/// The first sheet's "Rounds" table, as the names of its header and round 1's cells.
fn workbook_round_one(bytes: Vec<u8>) -> Vec<(String, String)> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let head = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("Round") && r.contains(&"Responded".into()))
        .unwrap();
    rows[head]
        .iter()
        .cloned()
        .zip(rows[head + 1].iter().cloned())
        .collect()
}

#[tokio::test]
async fn close_page_dashboard_and_exports_count_responses_the_same_way() {
    let app = study_with_open_round().await;
    let me = Session::sign_in(&app, OWNER).await;
    {
        // Of the 24 invited: 4 answer and submit, 1 answers without submitting, 1 submits
        // without answering anything (not a responder), the rest do nothing.
        let mut conn = app.db.get().unwrap();
        let round = current_round(&mut conn, SLUG);
        let item = Round::items(&mut conn, round.id).unwrap()[0].item_id;
        let code = Item::by_id(&mut conn, item).unwrap().unwrap().code;
        let panel = experts(&mut conn, SLUG);
        assert_eq!(panel.len(), 24);
        for (n, e) in panel.iter().take(6).enumerate() {
            let invitation = Invitation::find(&mut conn, round.id, e.id).unwrap().unwrap();
            if n < 5 {
                record_score(&mut conn, invitation.id, &code, 7);
            }
            if n != 4 {
                expert_service::submit(&mut conn, invitation.id).unwrap();
            }
        }
    }
    let counted = |page: &str| {
        for (key, n) in [
            ("invited", 24),
            ("responded", 5),
            ("submitted", 4),
            ("answered_not_submitted", 1),
            ("rate", 21),
        ] {
            assert!(
                page.contains(&format!("data-live=\"{key}\">{n}<")),
                "{key}: {page}"
            );
        }
    };

    // The dashboard, its JSON and the close page.
    counted(&me.page(&format!("/console/s/{SLUG}")).await);
    let status: serde_json::Value = me.json(&format!("/console/s/{SLUG}/status.json")).await;
    let round = &status["round"];
    assert_eq!(
        (
            &round["invited"],
            &round["responded"],
            &round["submitted"],
            &round["answered_not_submitted"]
        ),
        (&24.into(), &5.into(), &4.into(), &1.into())
    );
    let close = me.page(&format!("/console/s/{SLUG}/rounds/close")).await;
    assert!(
        close.contains("5 of 24 invited experts responded (21 %)."),
        "{close}"
    );
    assert!(
        close.contains("4 submitted; 1 answered without submitting."),
        "{close}"
    );

    me.post(&format!("/console/s/{SLUG}/rounds/close"), &[]).await;
    counted(&me.page(&format!("/console/s/{SLUG}")).await);

    // The workbook, the report (its table and the participant flow), study.json and
    // participants.csv.
    let xlsx = me.get(&format!("/console/s/{SLUG}/export/study.xlsx")).await;
    assert_eq!(xlsx.status(), 200);
    let cells = workbook_round_one(xlsx.bytes().await.unwrap().to_vec());
    for (column, value) in [
        ("Invited", "24"),
        ("Responded", "5"),
        ("Submitted", "4"),
        ("Answered without submitting", "1"),
    ] {
        assert!(
            cells.contains(&(column.to_string(), value.to_string())),
            "{column}: {cells:?}"
        );
    }
    let report = me.page(&format!("/console/s/{SLUG}/export/report.html")).await;
    assert!(
        report.contains(
            "<td class=\"n\">24</td><td class=\"n\">5</td><td class=\"n\">20.8%</td><td class=\"n\">4</td><td class=\"n\">1</td>"
        ),
        "{report}"
    );
    assert!(
        report.contains("Round 1: 5 of 24 invited responded (4 submitted, 1 answered without submitting)")
    );
    let json: serde_json::Value = me.json(&format!("/console/s/{SLUG}/export/study.json")).await;
    let r1 = &json["rounds"][0];
    assert_eq!(
        (
            &r1["invited"],
            &r1["responded"],
            &r1["submitted"],
            &r1["answered_not_submitted"]
        ),
        (&24.into(), &5.into(), &4.into(), &1.into())
    );
    let (header, people) = parse_csv(
        &me.page(&format!("/console/s/{SLUG}/export/participants.csv"))
            .await,
    );
    assert_eq!(header[header.len() - 2], "submitted_rounds");
    assert_eq!(header.last().unwrap(), "delivery_state");
    let total = |column: &str| {
        people
            .iter()
            .map(|p| p[column].parse::<u32>().unwrap())
            .sum::<u32>()
    };
    assert_eq!((total("responded_rounds"), total("submitted_rounds")), (5, 4));
}
