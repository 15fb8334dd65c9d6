//! `[feedback] timing = "after_rating"` end to end: in round 2 an item shows only the expert's
//! own previous score until they answer it — the group's feedback is in neither the page nor
//! the feedback fragment before — then the feedback; the first answer is kept as the
//! pre-feedback score while later ones change only the score; a default study is unchanged.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use delphi::db::models::ratings::Rating;
use delphi::db::DbConnection;

use crate::criteria::{criteria_study, responses};
use crate::support::app::{spawn_app, TestApp};
use crate::support::cli::Cli;
use crate::support::fixtures::{create_study_from, example_files, example_study_in, SLUG};
use crate::support::forms::{location, post_form};
use crate::support::rating_page::{autosave, fragment, item_of};
use crate::support::rounds::{current_round, experts, load_demo, open_round_with_links, run_round_one};

/// Markers of the group's feedback on a page: the chart, a group's line, a comment of round 1.
pub(crate) const CHART: &str = "<svg class=hist ";
const GROUP_LINE: &str = "Researchers and academics (6)";
const COMMENT: &str = "Anonymous remark 0";
/// The note where an item's feedback waits, and the one over it once shown.
pub(crate) const HELD: &str = "Rate this item first: then you will see how the panel rated it";
pub(crate) const REVEALED: &str = "The panel&#x27;s answers from the previous round are now shown.";

/// The example study with `[feedback] timing = "after_rating"`, as a study file.
pub(crate) fn after_rating_study(dir: &Path) -> PathBuf {
    after_rating(example_study_in(dir, SLUG))
}

/// The study file at `path` with `[feedback] timing = "after_rating"` added.
fn after_rating(path: PathBuf) -> PathBuf {
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("[feedback]"));
    std::fs::write(&path, format!("{text}\n[feedback]\ntiming = \"after_rating\"\n")).unwrap();
    path
}

/// The after_rating study with round 1 answered and closed and round 2 open; an English-speaking
/// researcher who answered round 1: their link token and their round-1 score on every item.
pub(crate) fn round_two_of_after_rating(app: &TestApp, conn: &mut DbConnection) -> (String, i64, i32) {
    create_study_from(&app.db, &after_rating_study(app.database.dir.path()), None);
    round_two(app, conn)
}

/// Round 1 answered and closed, round 2 open: Trần Thị Mai's link, id and round-1 score.
fn round_two(app: &TestApp, conn: &mut DbConnection) -> (String, i64, i32) {
    let links: HashMap<i64, String> = run_round_one(app, conn);
    let panel = experts(conn, SLUG);
    let index = panel.iter().position(|e| e.name == "Trần Thị Mai").unwrap();
    let expert = &panel[index];
    let own = [2, 5, 8, 5, 8, 2, 5, 8][index % 8];
    (links[&expert.id].clone(), expert.id, own)
}

type Row = (Option<i32>, bool, Option<i32>, bool);

/// The expert's row for `code` in the open round: (score, unable, pre-feedback score, shown).
fn row_of(conn: &mut DbConnection, expert_id: i64, code: &str) -> Option<Row> {
    row_on(conn, expert_id, code, "")
}

/// [`row_of`] on one criterion (`""`: the item itself).
fn row_on(conn: &mut DbConnection, expert_id: i64, code: &str, criterion: &str) -> Option<Row> {
    let round = current_round(conn, SLUG);
    let item_id = delphi::db::models::rounds::Round::item_by_code(conn, round.id, code)
        .unwrap()
        .unwrap();
    Rating::of_expert(conn, round.id, expert_id)
        .unwrap()
        .into_iter()
        .find(|r| r.item_id == item_id && r.criterion == criterion)
        .map(|r| (r.score, r.unable, r.pre_feedback_score, r.feedback_shown))
}

async fn page(app: &TestApp, token: &str) -> String {
    let response = app.get(&format!("/r/{token}")).await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

#[tokio::test]
async fn round_two_shows_each_items_feedback_only_after_it_is_rated() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    let (token, expert_id, own) = round_two_of_after_rating(&app, &mut conn);

    // Before rating: the expert's own previous score and the note, no trace of the group's.
    let html = page(&app, &token).await;
    assert!(html.contains("Round 2"));
    assert!(
        html.contains("Rate each item first."),
        "the page says how it works"
    );
    for marker in [CHART, GROUP_LINE, COMMENT, "<p>Round 1: "] {
        assert!(!html.contains(marker), "feedback before rating: {marker}");
    }
    let m01 = item_of(&html, "M01");
    assert!(m01.contains(&format!("Your previous score: {own}")), "{m01}");
    assert!(m01.contains(HELD) && m01.contains("aria-live=polite"), "{m01}");
    let (status, body) = fragment(&app, &token, "M01").await;
    assert_eq!(status, 404, "no fragment before rating");
    assert!(!body.contains(CHART));

    // Without JavaScript: the whole form posted, the page reloads with M01's feedback shown.
    let response = post_form(
        &app,
        &format!("/r/{token}"),
        &[("s_M01", "3"), ("action", "save")],
    )
    .await;
    assert_eq!(location(&response), format!("/r/{token}?saved=1"));
    let html = page(&app, &format!("{token}?saved=1")).await;
    let m01 = item_of(&html, "M01");
    assert!(
        m01.contains(CHART) && m01.contains(GROUP_LINE) && m01.contains(COMMENT),
        "{m01}"
    );
    assert!(m01.contains(REVEALED), "{m01}");
    assert!(!m01.contains(HELD));
    assert_eq!(
        html.matches(CHART).count(),
        1,
        "only the rated item shows feedback"
    );
    assert!(item_of(&html, "M02").contains(HELD));
    assert_eq!(
        row_of(&mut conn, expert_id, "M01"),
        Some((Some(3), false, Some(3), true))
    );

    // A changed answer changes the score, never the pre-feedback one.
    post_form(
        &app,
        &format!("/r/{token}"),
        &[("s_M01", "7"), ("action", "save")],
    )
    .await;
    assert_eq!(
        row_of(&mut conn, expert_id, "M01"),
        Some((Some(7), false, Some(3), true))
    );

    // With autosave: the fragment is served once the answer is saved. A first answer of
    // "unable to score" reveals the feedback and keeps no pre-feedback score.
    autosave(&app, &token, "M02", "U").await;
    let (status, body) = fragment(&app, &token, "M02").await;
    assert_eq!(status, 200);
    assert!(body.contains(CHART) && body.contains(REVEALED), "{body}");
    assert!(body.len() < 8_000, "a small fragment: {} bytes", body.len());
    autosave(&app, &token, "M02", "6").await;
    assert_eq!(
        row_of(&mut conn, expert_id, "M02"),
        Some((Some(6), false, None, true))
    );
    // A comment alone is not an answer: the feedback stays held.
    post_form(
        &app,
        &format!("/r/{token}/answer"),
        &[("item", "M03"), ("score", ""), ("comment", "Unsure")],
    )
    .await;
    assert_eq!(fragment(&app, &token, "M03").await.0, 404);
    assert_eq!(
        row_of(&mut conn, expert_id, "M03"),
        Some((None, false, None, false))
    );

    // Clearing an answer keeps what the expert saw: the row stays, blank, with its
    // pre-feedback score, the feedback stays shown, and the next answer is not a first one.
    assert_eq!(
        autosave(&app, &token, "M01", "").await,
        1,
        "a cleared answer is not counted"
    );
    assert_eq!(
        row_of(&mut conn, expert_id, "M01"),
        Some((None, false, Some(3), true))
    );
    let html = page(&app, &token).await;
    assert!(item_of(&html, "M01").contains(CHART));
    autosave(&app, &token, "M01", "5").await;
    assert_eq!(
        row_of(&mut conn, expert_id, "M01"),
        Some((Some(5), false, Some(3), true))
    );
}

#[tokio::test]
async fn a_study_with_the_default_timing_shows_the_feedback_from_the_start() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let (token, expert_id, _) = round_two(&app, &mut conn);

    let html = page(&app, &token).await;
    assert!(item_of(&html, "M01").contains(CHART));
    assert!(!html.contains(HELD) && !html.contains(REVEALED) && !html.contains("Rate each item first."));
    assert_eq!(fragment(&app, &token, "M01").await.0, 404, "no fragment to fetch");
    autosave(&app, &token, "M01", "4").await;
    autosave(&app, &token, "M01", "6").await;
    assert_eq!(
        row_of(&mut conn, expert_id, "M01"),
        Some((Some(6), false, None, false))
    );
    let (_, body) = fragment(&app, &token, "M01").await;
    assert!(!body.contains(REVEALED));
}

#[tokio::test]
async fn with_criteria_each_criterions_feedback_waits_for_its_own_answer() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    let dir = app.database.dir.path();
    create_study_from(&app.db, &after_rating(criteria_study(dir, "all")), None);
    open_round_with_links(&app, &mut conn, SLUG);
    let ex = example_files();
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let who: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let file = responses(dir, "round1.csv", 1, &ex, &codes, &who);
    let cli = Cli::new(&app.database);
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let expert = experts(&mut conn, SLUG)
        .into_iter()
        .find(|e| e.email.as_deref() == Some(ex.experts[0].0.as_str()))
        .unwrap();
    // A French-speaking expert: the note is in French (the markers are the markup's).
    let token = &links[&expert.id];

    let html = page(&app, token).await;
    let items = html.matches("class=\"item crits\"").count();
    assert!(items > 0);
    assert_eq!(html.matches(CHART).count(), 0, "nothing shown before rating");
    assert_eq!(
        html.matches("fbslot held").count(),
        items * 2,
        "a held slot per criterion"
    );
    let marker = "<fieldset id=i-";
    let at = html.find(marker).unwrap() + marker.len();
    let code = &html[at..at + html[at..].find(' ').unwrap()];

    let response = app
        .client
        .post(app.url(&format!("/r/{token}/answer")))
        .json(&serde_json::json!({ "item": code, "criterion": "importance", "score": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (status, body) = fragment(&app, token, &format!("{code}&criterion=importance")).await;
    assert_eq!(status, 200);
    assert!(body.contains(CHART) && body.contains("class=fbnew "), "{body}");
    assert_eq!(
        fragment(&app, token, &format!("{code}&criterion=feasibility"))
            .await
            .0,
        404
    );
    let html = page(&app, token).await;
    assert_eq!(html.matches(CHART).count(), 1, "only the answered criterion");
    let answered = html.find(&format!("id=i-{code}~importance ")).unwrap();
    assert!(html[answered..].contains(CHART));
    assert_eq!(
        row_on(&mut conn, expert.id, code, "importance"),
        Some((Some(5), false, Some(5), true))
    );
}
