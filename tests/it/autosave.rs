//! Autosave in one statement (`service::expert::autosave`, `Rating::save_checked`): once a
//! link has saved through the full path, its next answers are written by one INSERT that checks
//! the link, the round, the item and the expert's page itself. What the statement declines
//! writes nothing, and the expert still gets the full path's answer: saved, or refused in the
//! same words as before.
//!
//! The server commits these statements in groups (`[database] autosave_batch`, group commit):
//! many experts' concurrent autosaves all land, each answered only after its group's commit,
//! and an answer the statement declines, or one that fails, keeps its own answer without
//! failing the others.

use delphi::db::models::invitations::Invitation;
use delphi::db::models::page_items::PageItem;
use delphi::db::models::ratings::{CheckedAnswer, Rating};
use delphi::db::models::studies::StudyRow;
use delphi::db::{now, DbConnection};
use delphi::domain::token;
use delphi::service::expert::autosave::{self, SavedLinks};
use delphi::service::expert::{self, ExpertCache, PostedAnswer, Resolved};
use serde_json::Value;

use crate::page_order::{create_drawn_study, SLUG as DRAWN};
use crate::support::app::TestDatabase;
use crate::support::app::{spawn_app, TestApp};
use crate::support::cli::Cli;
use crate::support::fixtures::{create_study_from, example_study_in, SLUG};
use crate::support::rounds::{close_round, current_round, experts, load_demo, open_round_with_links};

/// An autosave over HTTP as the page's script sends it; the status and the JSON body.
async fn autosave(app: &TestApp, token: &str, item: &str, score: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/r/{token}/answer")))
        .header("Accept", "application/json")
        .form(&[("item", item), ("score", score)])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The statement alone, with the study as it is now: what the link's checks decide.
fn save_checked(conn: &mut DbConnection, token: &str, item: &str, score: i32) -> bool {
    let hash = token::hash(token);
    let round = Invitation::by_token_hash(conn, &hash)
        .unwrap()
        .map(|invitation| invitation.round_id);
    let Some(round_id) = round else {
        // A revoked link opens no invitation; the statement is asked all the same.
        return statement(conn, &hash, 1, now(), item, score);
    };
    let round = delphi::db::models::rounds::Round::by_id(conn, round_id)
        .unwrap()
        .unwrap();
    let stamp = StudyRow::stamp(conn, round.study_id).unwrap();
    statement(conn, &hash, round.number, stamp, item, score)
}

fn statement(
    conn: &mut DbConnection,
    hash: &str,
    round_number: i32,
    stamp: chrono::NaiveDateTime,
    item: &str,
    score: i32,
) -> bool {
    Rating::save_checked(
        conn,
        &CheckedAnswer {
            token_hash: hash.into(),
            study_stamp: stamp,
            round_number,
            item_code: item.into(),
            criterion: String::new(),
            score: Some(score),
            unable: false,
            comment: None,
            reason: None,
            saved_at: now(),
            reveals_feedback: false,
        },
    )
    .unwrap()
    .is_some()
}

/// The expert's stored score for `item` in the open (or just closed) round.
fn stored(conn: &mut DbConnection, round_id: i64, expert_id: i64, item: &str) -> Option<i32> {
    let items = delphi::db::models::rounds::Round::item_ids_by_code(conn, round_id).unwrap();
    Rating::of_expert(conn, round_id, expert_id)
        .unwrap()
        .into_iter()
        .find(|r| Some(&r.item_id) == items.get(item))
        .and_then(|r| r.score)
}

fn posted(item: &str, score: &str, comment: &str) -> PostedAnswer {
    PostedAnswer {
        code: item.into(),
        score: score.into(),
        comment: comment.into(),
        ..PostedAnswer::default()
    }
}

#[tokio::test]
async fn a_link_that_saved_once_saves_in_one_statement_with_the_same_progress() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let grace = experts(&mut conn, SLUG)
        .into_iter()
        .find(|e| e.name == "Grace Wanjiru Kamau")
        .unwrap();
    let token = links[&grace.id].clone();
    let round = current_round(&mut conn, SLUG);

    // A link never seen takes the full path, which remembers it.
    let saved_links = SavedLinks::default();
    assert!(
        autosave::save(&mut conn, &saved_links, &token, &posted("M01", "5", ""))
            .unwrap()
            .is_none()
    );
    let (status, first) = autosave(&app, &token, "M01", "5").await;
    assert_eq!(status, 200, "{first}");
    let Resolved::Found(session) = expert::resolve(&mut conn, &ExpertCache::default(), &token).unwrap()
    else {
        panic!("the link opens the round");
    };
    autosave::remember(&saved_links, &token, &session);

    // Then one statement: saved, with the progress the full path reports.
    let quick = autosave::save(&mut conn, &saved_links, &token, &posted("M02", "6", ""))
        .unwrap()
        .expect("saved in one statement");
    assert_eq!(quick.progress.answered, 2);
    assert_eq!(
        quick.progress.total as u64,
        first["progress"]["total"].as_u64().unwrap()
    );
    assert_eq!(quick.lang, "en");
    assert_eq!(stored(&mut conn, round.id, grace.id, "M02"), Some(6));
    // A comment alone is saved and is not an answer; a changed score replaces the old one.
    let commented = autosave::save(&mut conn, &saved_links, &token, &posted("M03", "", "Too costly"))
        .unwrap()
        .expect("a comment saved in one statement");
    assert_eq!(commented.progress.answered, 2);
    let changed = autosave::save(&mut conn, &saved_links, &token, &posted("M02", "8", ""))
        .unwrap()
        .unwrap();
    assert_eq!(changed.progress.answered, 2);
    assert_eq!(stored(&mut conn, round.id, grace.id, "M02"), Some(8));

    // Over HTTP the server's own path gives the same figures as the full one did.
    let (status, body) = autosave(&app, &token, "M04", "7").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["progress"]["answered"], 3);
    assert_eq!(body["progress"]["total"], first["progress"]["total"]);
    assert!(body["progress_text"].as_str().unwrap().contains('3'), "{body}");

    // What the one statement would refuse it leaves to the full path, writing nothing: a score
    // off the scale, an unknown item, a cleared answer.
    for (item, score) in [("M05", "10"), ("NOPE", "5"), ("M02", "")] {
        assert!(
            autosave::save(&mut conn, &saved_links, &token, &posted(item, score, ""))
                .unwrap()
                .is_none(),
            "{item} = {score:?}"
        );
    }
    assert_eq!(stored(&mut conn, round.id, grace.id, "M05"), None);
    assert_eq!(stored(&mut conn, round.id, grace.id, "M02"), Some(8));
    let (status, body) = autosave(&app, &token, "M05", "10").await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "M05");
    assert!(
        body["message"].as_str().unwrap().contains("not on the scale"),
        "{body}"
    );
    assert_eq!(stored(&mut conn, round.id, grace.id, "M05"), None);
}

#[tokio::test]
async fn a_closed_round_and_a_revoked_link_are_refused_by_the_one_statement_as_before() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round = current_round(&mut conn, SLUG);
    let mut panel = experts(&mut conn, SLUG)
        .into_iter()
        .filter(|e| links.contains_key(&e.id));
    let (revoked, closing) = (panel.next().unwrap(), panel.next().unwrap());
    for expert in [&revoked, &closing] {
        // The first answer (full path) starts the invitation; the next is one statement.
        let (status, body) = autosave(&app, &links[&expert.id], "M01", "4").await;
        assert_eq!(status, 200, "{body}");
        assert!(save_checked(&mut conn, &links[&expert.id], "M02", 4));
        assert_eq!(stored(&mut conn, round.id, expert.id, "M02"), Some(4));
    }

    // A revoked link: the statement writes nothing; over HTTP the unknown link's answer.
    let invitation = Invitation::by_token_hash(&mut conn, &token::hash(&links[&revoked.id]))
        .unwrap()
        .unwrap();
    Invitation::revoke_tokens(&mut conn, invitation.id, now()).unwrap();
    let token = &links[&revoked.id];
    let hash = token::hash(token);
    let stamp = StudyRow::stamp(&mut conn, round.study_id).unwrap();
    assert!(!statement(&mut conn, &hash, round.number, stamp, "M02", 9));
    let (status, body) = autosave(&app, token, "M02", "9").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");
    assert_eq!(body["message"], "this link does not open any questionnaire");
    assert_eq!(stored(&mut conn, round.id, revoked.id, "M02"), Some(4));

    // A closed round: nothing written, and the closed round's refusal, word for word.
    close_round(&mut conn, SLUG);
    let token = &links[&closing.id];
    assert!(!save_checked(&mut conn, token, "M02", 9));
    let (status, body) = autosave(&app, token, "M02", "9").await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "conflict");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("round 1 is closed; answers can no longer be changed"),
        "{body}"
    );
    assert_eq!(stored(&mut conn, round.id, closing.id, "M02"), Some(4));
}

#[tokio::test]
async fn an_item_off_the_experts_drawn_page_is_refused_by_the_one_statement_as_before() {
    let app = spawn_app().await;
    create_drawn_study(&app);
    let mut conn = app.db.get().unwrap();
    let links = open_round_with_links(&app, &mut conn, DRAWN);
    let round = current_round(&mut conn, DRAWN);
    let (&expert_id, token) = links.iter().next().unwrap();
    let items = delphi::db::models::rounds::Round::item_ids_by_code(&mut conn, round.id).unwrap();
    let page: Vec<i64> = PageItem::of_expert(&mut conn, round.id, expert_id)
        .unwrap()
        .into_iter()
        .map(|row| row.item_id)
        .collect();
    let code_of = |wanted: i64| {
        items
            .iter()
            .find(|(_, &id)| id == wanted)
            .map(|(code, _)| code.clone())
            .unwrap()
    };
    let mine: Vec<String> = page.iter().map(|&id| code_of(id)).collect();
    let other = items
        .iter()
        .find(|(_, id)| !page.contains(id))
        .map(|(code, _)| code.clone())
        .unwrap();

    let (status, body) = autosave(&app, token, &mine[0], "5").await;
    assert_eq!(status, 200, "{body}");
    assert!(save_checked(&mut conn, token, &mine[1], 6), "an item on the page");
    assert!(!save_checked(&mut conn, token, &other, 6), "an item off the page");
    assert_eq!(stored(&mut conn, round.id, expert_id, &other), None);
    let (status, body) = autosave(&app, token, &other, "6").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], other.as_str());
    assert_eq!(stored(&mut conn, round.id, expert_id, &other), None);
    // The progress counts the page only, as the full path's.
    let (status, body) = autosave(&app, token, &mine[2], "7").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["progress"]["answered"], 3);
    assert_eq!(body["progress"]["total"], mine.len());
}

/// A second study like the demo, with its round 1 open; its links by expert id.
fn other_study(app: &TestApp, conn: &mut DbConnection) -> std::collections::HashMap<i64, String> {
    let path = example_study_in(app.database.dir.path(), OTHER);
    create_study_from(&app.db, &path, None);
    open_round_with_links(app, conn, OTHER)
}

const OTHER: &str = "other";

/// Every autosave of `saves` (link, item, score, comment) sent at once; each one's status and
/// body, in order.
async fn at_once(app: &TestApp, saves: &[(String, String, String, String)]) -> Vec<(u16, Value)> {
    futures_util::future::join_all(saves.iter().map(|save| send(app, save))).await
}

async fn send(
    app: &TestApp,
    (token, item, score, comment): &(String, String, String, String),
) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/r/{token}/answer")))
        .header("Accept", "application/json")
        .form(&[("item", item), ("score", score), ("comment", comment)])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn save_of(token: &str, item: &str, score: i64, comment: &str) -> (String, String, String, String) {
    (token.into(), item.into(), score.to_string(), comment.into())
}

/// Each link's first answer (the full path, which remembers the link), all acknowledged.
async fn first_answers<'a>(app: &TestApp, tokens: impl Iterator<Item = &'a String>) {
    let firsts: Vec<_> = tokens.map(|token| save_of(token, "M01", 5, "")).collect();
    for (status, body) in at_once(app, &firsts).await {
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test]
async fn concurrent_autosaves_of_many_experts_all_land() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round = current_round(&mut conn, SLUG);
    assert!(links.len() >= 20, "{} links", links.len());
    first_answers(&app, links.values()).await;

    // Six answers from every expert at once: well over one group's worth queued together.
    let items = ["M02", "M03", "M04", "M05", "M06", "M07"];
    let score = |expert: i64, n: usize| 1 + (expert + n as i64) % 9;
    let saves: Vec<_> = links
        .iter()
        .flat_map(|(&expert, token)| {
            items
                .iter()
                .enumerate()
                .map(move |(n, item)| save_of(token, item, score(expert, n), "grouped"))
        })
        .collect();
    for (status, body) in at_once(&app, &saves).await {
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["saved"], true, "{body}");
    }
    for &expert in links.keys() {
        for (n, item) in items.iter().enumerate() {
            assert_eq!(
                stored(&mut conn, round.id, expert, item),
                Some(score(expert, n) as i32),
                "expert {expert}, {item}"
            );
        }
    }
    // Each expert's progress counts all seven answers.
    for token in links.values() {
        let (status, body) = autosave(&app, token, "M01", "6").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["progress"]["answered"], 7, "{body}");
    }
}

#[tokio::test]
async fn a_refused_autosave_among_concurrent_good_ones_keeps_its_own_refusal() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let closed = other_study(&app, &mut conn);
    let round = current_round(&mut conn, SLUG);
    first_answers(&app, links.values().chain(closed.values())).await;
    close_round(&mut conn, OTHER);

    let mut panel: Vec<(i64, String)> = links.into_iter().collect();
    panel.sort();
    let (odd, good) = panel.split_at(3);
    let closed_token = closed.values().next().unwrap();
    // A text PostgreSQL cannot store fails its statement (SQLite stores it): whatever that
    // answers alone, it answers in a group, and the group's other answers are saved.
    let nul = save_of(&odd[2].1, "M04", 4, "nul \u{0} byte");
    let mut saves = vec![
        save_of(&odd[0].1, "M03", 10, ""),
        save_of(&odd[1].1, "NOPE", 5, ""),
        save_of(closed_token, "M02", 5, ""),
        nul.clone(),
    ];
    saves.extend(good.iter().map(|(_, token)| save_of(token, "M02", 8, "")));
    let answers = at_once(&app, &saves).await;

    let (status, body) = &answers[0];
    assert_eq!(*status, 422, "{body}");
    assert_eq!(body["field"], "M03");
    // In the expert's own language (some of the demo's panel read French).
    assert!(body["message"].as_str().unwrap().contains("1–9"), "{body}");
    let (status, body) = &answers[1];
    assert_eq!(*status, 422, "{body}");
    assert_eq!(body["field"], "NOPE");
    let (status, body) = &answers[2];
    assert_eq!(*status, 409, "{body}");
    assert_eq!(body["error"], "conflict", "{body}");
    let alone = at_once(&app, std::slice::from_ref(&nul)).await;
    assert_eq!(answers[3].0, alone[0].0, "{:?} / {:?}", answers[3].1, alone[0].1);
    for (status, body) in &answers[4..] {
        assert_eq!(*status, 200, "{body}");
    }
    for (expert, _) in good {
        assert_eq!(stored(&mut conn, round.id, *expert, "M02"), Some(8));
    }
    assert_eq!(stored(&mut conn, round.id, odd[0].0, "M03"), None);
}

#[test]
fn a_bad_autosave_batch_exits_2_naming_the_key() {
    let database = TestDatabase::new();
    for bad in ["0", "1001", "many"] {
        let out = Cli::new(&database)
            .quiet()
            .env("DELPHI__DATABASE__AUTOSAVE_BATCH", bad)
            .command()
            .arg("migrate")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("database.autosave_batch"), "{bad}: {stderr}");
    }
}
