//! Pages drawn from the study's seed (`[rounds] order = "random"`, `items_per_expert`): each
//! expert's page, fetched over HTTP, equals an independent draw with the domain functions from
//! the stored seed; every item's raters are balanced within one; an item not on the page cannot
//! be rated; the close refuses while an item is short of `min_raters`; and the seed and the
//! draw keys stay as they were once a round has opened.

use std::collections::{BTreeMap, HashMap};

use delphi::db::models::experts::Expert;
use delphi::db::models::page_items::PageItem;
use delphi::db::models::rounds::Round;
use delphi::db::schema::audit_log;
use delphi::service::ratings;
use delphi::service::rounds;
use delphi::service::{files, studies};
use diesel::prelude::*;

use crate::support::app::{spawn_app, TestApp};
use crate::support::fixtures::{
    actor, create_study_from, example_files, example_study_in, example_toml, responses_file,
};
use crate::support::forms::unescape;
use crate::support::rating_page::{expected_pages, page_codes};
use crate::support::rounds::{answer_every_page, links_of_round, open_round_with_links};
use crate::support::sign_in::{editor_and_viewer, Session};

pub(crate) const SLUG: &str = "drawn";
const PER_EXPERT: u32 = 10;
const MIN_RATERS: u32 = 6;

/// The example study, its pages drawn in a random order with ten items an expert.
pub(crate) fn create_drawn_study(app: &TestApp) {
    let path = example_study_in(app.database.dir.path(), SLUG);
    let toml = example_toml(SLUG).replacen(
        "[rounds]\n",
        &format!(
            "[rounds]\norder = \"random\"\nitems_per_expert = {PER_EXPERT}\nmin_raters = {MIN_RATERS}\n"
        ),
        1,
    );
    std::fs::write(&path, toml).unwrap();
    create_study_from(&app.db, &path, None);
}

/// Each invited expert's page of round `number` as the site shows it, by pseudonym.
async fn served_pages(
    app: &TestApp,
    number: i32,
) -> (BTreeMap<String, Vec<String>>, HashMap<String, String>) {
    let (links, pseudonyms) = {
        let mut conn = app.db.get().unwrap();
        let links = links_of_round(&app.database, &mut conn, SLUG, number);
        let study = studies::load(&mut conn, SLUG).unwrap();
        let pseudonyms: HashMap<i64, String> = Expert::of_study(&mut conn, study.id)
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.pseudonym))
            .collect();
        (links, pseudonyms)
    };
    let mut pages = BTreeMap::new();
    let mut tokens = HashMap::new();
    for (expert, token) in links {
        let pseudonym = pseudonyms[&expert].clone();
        pages.insert(pseudonym.clone(), page_codes(app, &token).await);
        tokens.insert(pseudonym, token);
    }
    (pages, tokens)
}

fn assert_balanced(pages: &BTreeMap<String, Vec<String>>, items: usize) {
    let mut raters: BTreeMap<&str, u64> = BTreeMap::new();
    for page in pages.values() {
        assert_eq!(page.len(), PER_EXPERT as usize);
        for code in page {
            *raters.entry(code.as_str()).or_default() += 1;
        }
    }
    assert_eq!(raters.len(), items, "every item of the round is on some page");
    let (fewest, most) = (raters.values().min().unwrap(), raters.values().max().unwrap());
    assert!(most - fewest <= 1, "raters per item {raters:?}");
}

#[tokio::test]
async fn two_rounds_of_drawn_pages_match_the_seed_are_balanced_and_guard_the_close() {
    let app = spawn_app().await;
    create_drawn_study(&app);
    let mut conn = app.db.get().unwrap();
    open_round_with_links(&app, &mut conn, SLUG);
    let study = studies::load(&mut conn, SLUG).unwrap();
    let seed = study.file.rounds.seed.unwrap();
    assert!(seed <= i64::MAX as u64);
    let logged: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("study.seed"))
        .select(audit_log::details)
        .load(&mut conn)
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert!(logged[0].contains(&seed.to_string()), "{logged:?}");

    // Round 1: every page as drawn independently, balanced within one.
    let round = Round::by_number(&mut conn, study.id, 1).unwrap().unwrap();
    assert_eq!(
        PageItem::of_round(&mut conn, round.id).unwrap().len(),
        24 * PER_EXPERT as usize
    );
    let (pages, tokens) = served_pages(&app, 1).await;
    assert_eq!(pages, expected_pages(&mut conn, SLUG, 1, seed, PER_EXPERT));
    assert_balanced(&pages, 34);

    // An item that is not on the page is refused, and the progress counts the page only.
    let english: Vec<String> = Expert::of_study(&mut conn, study.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.language.as_deref().is_none_or(|l| l.starts_with("en")))
        .map(|e| e.pseudonym)
        .collect();
    let (who, mine) = pages.iter().find(|(who, _)| english.contains(who)).unwrap();
    let other = pages.values().flatten().find(|c| !mine.contains(c)).unwrap();
    let token = &tokens[who];
    let refused = app
        .client
        .post(app.url(&format!("/r/{token}/answer")))
        .header("Accept", "application/json")
        .form(&[("item", other.as_str()), ("score", "5")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("not on your page"),
        "{body}"
    );
    let saved = app
        .client
        .post(app.url(&format!("/r/{token}/answer")))
        .header("Accept", "application/json")
        .form(&[("item", mine[0].as_str()), ("score", "5")])
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = saved.json().await.unwrap();
    assert_eq!(body["progress"]["total"], PER_EXPERT);
    let html = app.text(&format!("/r/{token}")).await;
    assert!(
        html.contains(&format!("1 of {PER_EXPERT} items answered")),
        "{html}"
    );

    // A responses file answering every item for one expert is refused at its off-page lines.
    let example = example_files();
    let codes: Vec<String> = example.items.iter().map(|(code, _)| code.clone()).collect();
    let file = responses_file(app.database.dir.path(), 1, &example, &codes, &[1]);
    let parsed = files::read_responses(&file).unwrap();
    let refused = ratings::import_responses(&mut conn, SLUG, &parsed, &actor()).unwrap_err();
    assert!(refused.to_string().contains("is not on the page of"), "{refused}");

    // The close refuses while items are short of min_raters, naming them with their counts.
    let refused = rounds::close(&mut conn, SLUG, "facilitator", &actor()).unwrap_err();
    let message = refused.to_string();
    assert!(message.contains("fewer than 6 raters"), "{message}");
    assert!(message.contains(&format!("{} (1)", mine[0])), "{message}");
    assert!(message.contains("Extend the deadline"), "{message}");

    // The dashboard says how many raters each item was given and has.
    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let board = unescape(&ed.page(&format!("/console/s/{SLUG}")).await);
    assert!(board.contains("Raters per item"), "{board}");
    assert!(board.contains("34 items have fewer than 6 answers"), "{board}");

    // Once every page is answered the round closes; round 2 draws again from the same seed.
    answer_every_page(&mut conn, SLUG, 1);
    rounds::close(&mut conn, SLUG, "facilitator", &actor()).unwrap();
    open_round_with_links(&app, &mut conn, SLUG);
    assert_eq!(
        studies::load(&mut conn, SLUG).unwrap().file.rounds.seed,
        Some(seed)
    );
    let (pages, _) = served_pages(&app, 2).await;
    let round_two = {
        let study = studies::load(&mut conn, SLUG).unwrap();
        let round = Round::by_number(&mut conn, study.id, 2).unwrap().unwrap();
        Round::items(&mut conn, round.id).unwrap().len()
    };
    assert_eq!(pages, expected_pages(&mut conn, SLUG, 2, seed, PER_EXPERT));
    assert_balanced(&pages, round_two);
    answer_every_page(&mut conn, SLUG, 2);
    rounds::close(&mut conn, SLUG, "facilitator", &actor()).unwrap();
}

#[tokio::test]
async fn the_draw_keys_are_fixed_once_a_round_has_opened() {
    let app = spawn_app().await;
    create_drawn_study(&app);
    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let settings = format!("/console/s/{SLUG}/settings");
    let page = unescape(&ed.page(&settings).await);
    assert!(page.contains("Guarding against bias"), "{page}");
    assert!(page.contains("name=\"items_per_expert\" type=\"text\" inputmode=\"numeric\" value=\"10\""));
    open_round_with_links(&app, &mut app.db.get().unwrap(), SLUG);
    let seed = studies::load(&mut app.db.get().unwrap(), SLUG)
        .unwrap()
        .file
        .rounds
        .seed;

    // A test expert invited to the open round gets a page of their own; the panel's stay as drawn.
    let response = ed
        .post(
            &format!("/console/s/{SLUG}/test"),
            &[
                ("email", "tester@example.org"),
                ("name", "Tess Ter"),
                ("group", "clinician"),
                ("language", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    {
        let mut conn = app.db.get().unwrap();
        let study = studies::load(&mut conn, SLUG).unwrap();
        let round = Round::by_number(&mut conn, study.id, 1).unwrap().unwrap();
        let tester = &Expert::tests_of_study(&mut conn, study.id).unwrap()[0];
        let page = PageItem::of_expert(&mut conn, round.id, tester.id).unwrap();
        assert_eq!(page.len(), PER_EXPERT as usize);
        assert_eq!(
            PageItem::of_round(&mut conn, round.id).unwrap().len(),
            24 * PER_EXPERT as usize
        );
    }

    let page = unescape(&ed.page(&settings).await);
    assert!(page.contains("can no longer change"), "{page}");
    let form = crate::support::forms::form_fields(&page);
    let mut changed: Vec<(String, String)> = form
        .into_iter()
        .filter(|(n, _)| n != "csrf" && n != "items_per_expert")
        .collect();
    changed.push(("items_per_expert".into(), "12".into()));
    let pairs: Vec<(&str, &str)> = changed.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let refused = ed.post_refused(&settings, &pairs, 422).await;
    assert!(
        refused.contains("rounds.items_per_expert can no longer change"),
        "{refused}"
    );
    assert!(refused.contains("href=\"#f-items-per-expert\""), "{refused}");

    // The same form unchanged saves, and keeps the seed the round was drawn from.
    let same: Vec<(String, String)> = changed
        .into_iter()
        .map(|(n, v)| {
            if n == "items_per_expert" {
                (n, "10".into())
            } else {
                (n, v)
            }
        })
        .collect();
    let pairs: Vec<(&str, &str)> = same.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let response = ed.post(&settings, &pairs).await;
    assert_eq!(response.status(), 303);
    let changed: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("study.settings"))
        .select(audit_log::details)
        .load(&mut app.db.get().unwrap())
        .unwrap();
    // (The description comes back from the page's textarea with its line ends rewritten.)
    assert!(!changed.iter().any(|c| c.contains("rounds")), "{changed:?}");
    assert_eq!(
        studies::load(&mut app.db.get().unwrap(), SLUG)
            .unwrap()
            .file
            .rounds
            .seed,
        seed
    );

    // While the round is open, when experts see the group's answers cannot change either.
    let timing: Vec<(String, String)> = same
        .iter()
        .map(|(n, v)| {
            if n == "feedback_timing" {
                (n.clone(), "after_rating".into())
            } else {
                (n.clone(), v.clone())
            }
        })
        .collect();
    assert!(timing.iter().any(|(n, _)| n == "feedback_timing"));
    let pairs: Vec<(&str, &str)> = timing.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let refused = ed.post_refused(&settings, &pairs, 422).await;
    assert!(
        refused.contains("cannot change while a round is open"),
        "{refused}"
    );
    assert!(refused.contains("href=\"#f-feedback-timing-0\""), "{refused}");
    assert_eq!(
        studies::load(&mut app.db.get().unwrap(), SLUG)
            .unwrap()
            .file
            .feedback
            .timing,
        delphi::domain::study::FeedbackTiming::Before
    );
}
