//! Raters per item in a study of balanced subsets (`[rounds] items_per_expert`): the report
//! states the design and each item's raters (and a plain study's report is unchanged), and the
//! scheduler's close at the deadline, refused while items are short of `min_raters`, is audited
//! once and shown on the dashboard until the deadline moves.

use chrono::Duration;
use delphi::db::models::rounds::Round;
use delphi::db::schema::audit_log;
use delphi::db::{now, DbConnection};
use delphi::domain::link::LinkBase;
use delphi::domain::round::RoundState;
use delphi::service::rounds;
use delphi::service::scheduler::tick;
use delphi::service::studies;
use diesel::prelude::*;

use crate::page_order::{create_drawn_study, SLUG};
use crate::support::app::spawn_app;
use crate::support::files::parse_csv;
use crate::support::fixtures::actor;
use crate::support::forms::unescape;
use crate::support::rounds::{answer_every_page, current_round, load_demo, run_round_one};
use crate::support::sign_in::{editor_and_viewer, Session};

const REFUSED: &str = "round.close_refused";

fn refusals(conn: &mut DbConnection) -> Vec<String> {
    audit_log::table
        .filter(audit_log::action.eq(REFUSED))
        .select(audit_log::details)
        .load(conn)
        .unwrap()
}

#[tokio::test]
async fn the_report_says_how_many_raters_each_item_had() {
    let app = spawn_app().await;
    create_drawn_study(&app);
    let mut conn = app.db.get().unwrap();
    rounds::open(&mut conn, SLUG, None, &LinkBase(app.address.clone()), &actor()).unwrap();
    answer_every_page(&mut conn, SLUG, 1);
    rounds::close(&mut conn, SLUG, "facilitator", &actor()).unwrap();
    let seed = studies::load(&mut conn, SLUG).unwrap().file.rounds.seed.unwrap();

    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let report = unescape(&ed.page(&format!("/console/s/{SLUG}/report")).await);
    // 24 experts × 10 items over 34 items: 7 or 8 raters each (balanced within one).
    assert!(
        report.contains(&format!(
            "Each expert rated 10 of a round's items (all of them when the round had fewer): \
             balanced subsets allocated from the study's seed {seed}"
        )),
        "{report}"
    );
    assert!(report.contains("fewer than 6 raters"), "{report}");
    assert!(report.contains("Raters per item"), "{report}");
    assert!(report.contains("round 1: 7–8"), "{report}");
    assert!(report.contains("<th class=\"n\">Raters</th>"), "{report}");
    assert!(
        report.contains("Raters: experts whose page held the item"),
        "{report}"
    );
    // The rows carry the column too: every row of the final list has one more cell.
    let row = report
        .split("<table class=\"appendix\" id=\"final-undecided\"")
        .nth(1)
        .and_then(|t| t.split("<tr><td><code>").nth(1))
        .unwrap();
    let cells = row.split("</tr>").next().unwrap().matches("<td").count();
    let bands = studies::load(&mut conn, SLUG).unwrap().scale.bands().len();
    assert_eq!(cells, 6 + bands, "{row}");

    // results.csv's `responded` is the same count: the M01 row's raters cell equals it.
    let (_, rows) = parse_csv(&ed.page(&format!("/console/s/{SLUG}/export/results.csv")).await);
    let m01 = rows.iter().find(|r| r["item_code"] == "M01").unwrap();
    let cell = format!(
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">",
        m01["n"], m01["responded"]
    );
    let m01_row = report
        .split("<tr><td><code>M01</code>")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert!(m01_row.contains(&cell), "{cell} in {m01_row}");
}

#[tokio::test]
async fn a_plain_studys_report_has_no_raters() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    run_round_one(&app, &mut conn);
    let slug = crate::support::fixtures::SLUG;
    editor_and_viewer(&app.db, slug);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let report = ed.page(&format!("/console/s/{slug}/report")).await;
    assert!(report.contains("id=\"final-undecided\""), "{report}");
    assert!(!report.contains("Raters"), "{report}");
    assert!(!report.contains("Each expert rated"), "{report}");
}

#[tokio::test]
async fn a_refused_close_at_the_deadline_is_recorded_once_and_shown_on_the_dashboard() {
    let app = spawn_app().await;
    create_drawn_study(&app);
    let mut conn = app.db.get().unwrap();
    let start = now();
    let deadline = start + Duration::days(2);
    let links = LinkBase(app.address.clone());
    rounds::open(&mut conn, SLUG, Some(deadline), &links, &actor()).unwrap();
    let round = current_round(&mut conn, SLUG);

    // Nobody answered: every tick after the deadline is refused, audited the first time only.
    for minutes in 1..=5 {
        let ticked = tick(&mut conn, &links, deadline + Duration::minutes(minutes)).unwrap();
        assert_eq!(ticked.refused, vec![(SLUG.to_string(), 1)]);
        assert!(ticked.closed.is_empty());
        assert_eq!(ticked.failed, 0);
    }
    let logged = refusals(&mut conn);
    assert_eq!(logged.len(), 1, "{logged:?}");
    let details: serde_json::Value = serde_json::from_str(&logged[0]).unwrap();
    assert_eq!(details["round"], 1);
    assert_eq!(details["min_raters"], 6);
    assert_eq!(details["short"].as_array().unwrap().len(), 34);
    assert_eq!(details["short"][0]["raters"], 0);
    let still = Round::by_id(&mut conn, round.id).unwrap().unwrap();
    assert_eq!(still.status, RoundState::Open);

    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let board = unescape(&ed.page(&format!("/console/s/{SLUG}")).await);
    assert!(
        board.contains(
            "The deadline passed but the round could not close: 34 items have fewer than 6 raters: "
        ),
        "{board}"
    );
    assert!(board.contains("Extend the deadline and remind, or close when enough have answered."));

    // A new deadline takes the notice away; when it passes too, that refusal is recorded once.
    let later = deadline + Duration::days(3);
    rounds::extend(&mut conn, SLUG, later, &actor()).unwrap();
    let board = unescape(&ed.page(&format!("/console/s/{SLUG}")).await);
    assert!(!board.contains("id=\"close-refused\""), "{board}");
    for minutes in 1..=3 {
        tick(&mut conn, &links, later + Duration::minutes(minutes)).unwrap();
    }
    assert_eq!(refusals(&mut conn).len(), 2);

    // Once every page is answered the next tick closes the round, and the notice is gone.
    answer_every_page(&mut conn, SLUG, 1);
    let closed = tick(&mut conn, &links, later + Duration::hours(1)).unwrap();
    assert_eq!(closed.closed, vec![(SLUG.to_string(), 1)]);
    assert!(closed.refused.is_empty());
    assert_eq!(refusals(&mut conn).len(), 2);
    let board = unescape(&ed.page(&format!("/console/s/{SLUG}")).await);
    assert!(!board.contains("id=\"close-refused\""), "{board}");
}
