//! Issue 16's "done when", end to end on both backends: a study with pages drawn in a random
//! order, six of its twelve items an expert, and the group's feedback held until an item is
//! rated, runs three rating rounds through the facilitator's console and the experts' links
//! only (half the panel posting the form without JavaScript, half autosaving). Every page
//! equals a redraw from the seed in the data package's study.toml; every item's raters are
//! balanced within one; in rounds 2 and 3 each first answer is made before the feedback shows
//! and changed after, and ratings.csv keeps both with the page's position; drift.csv equals
//! the recomputation from ratings.csv. Round 3 is there for the experts who skip round 1: the
//! later cohort is measured from their first round (2) to the next.

use std::collections::{BTreeMap, HashMap};

use delphi::domain::answer::Answer;

use crate::after_rating::{CHART, HELD, REVEALED};
use crate::support::app::{spawn_app_with, TestApp};
use crate::support::drift::assert_recomputed;
use crate::support::files::{package, parse_csv};
use crate::support::fixtures::create_study_from;
use crate::support::forms::{location, post_form, unescape};
use crate::support::rating_page::{autosave, expected_pages, fragment, item_of, page_codes};
use crate::support::rounds::{experts, links_delivered};
use crate::support::sign_in::{add_owner, Session};
use crate::support::smtp::{send_through, SmtpServer};

const SLUG: &str = "bias-2026";
const OWNER: &str = "owner@example.org";
const GROUPS: [&str; 2] = ["clinician", "patient"];
const ITEMS: usize = 12;
const PER_EXPERT: u32 = 6;
/// One expert of each group answers nothing in round 1: the later cohort.
const LATER: [usize; 2] = [2, 7];

/// The study's files (tests/fixtures/bias-study), created and owned by [`OWNER`].
fn create(app: &TestApp) {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bias-study");
    create_study_from(&app.db, &fixture.join("study.toml"), None);
    add_owner(&app.db, SLUG, OWNER);
}

/// Expert `e`'s first answer to item `i` (index in the study's order) in `round`: spread over
/// the scale, a few "unable to score".
fn first(round: usize, i: usize, e: usize) -> Answer {
    if (i + e + round) % 11 == 0 {
        return Answer::Unable;
    }
    Answer::Score(1 + ((e * 5 + i * 3 + round * 2) % 9) as i32)
}

/// The answer expert `e` leaves once the feedback shows: a third keep their first one, a
/// third move toward the middle, a third elsewhere.
fn last(round: usize, i: usize, e: usize) -> Answer {
    let score = match first(round, i, e) {
        Answer::Score(s) => s,
        _ => 5,
    };
    match e % 3 {
        0 => first(round, i, e),
        1 => Answer::Score((score + 5) / 2),
        _ => Answer::Score(1 + (score + i as i32) % 9),
    }
}

/// An answer as the form posts it.
fn field(answer: &Answer) -> String {
    match answer {
        Answer::Score(s) => s.to_string(),
        _ => "U".into(),
    }
}

/// What ratings.csv should hold for one answer: (score, unable, pre_feedback_score, position).
type Expected = (String, String, String, String);

fn row_of(answer: &Answer, pre: Option<&Answer>, position: usize) -> Expected {
    let pre = match pre {
        Some(Answer::Score(s)) => s.to_string(),
        _ => String::new(),
    };
    match answer {
        Answer::Score(s) => (s.to_string(), "false".into(), pre, position.to_string()),
        _ => (String::new(), "true".into(), pre, position.to_string()),
    }
}

/// One expert's answers to their page: all at once through the form without JavaScript (`form`)
/// or one by one through autosave.
async fn answer_page(app: &TestApp, token: &str, form: bool, answers: &[(String, Answer)]) {
    if form {
        let fields: Vec<(String, String)> = answers
            .iter()
            .map(|(code, a)| (format!("s_{code}"), field(a)))
            .chain([("action".to_string(), "save".to_string())])
            .collect();
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let response = post_form(app, &format!("/r/{token}"), &pairs).await;
        assert_eq!(location(&response), format!("/r/{token}?saved=1"));
    } else {
        for (code, answer) in answers {
            autosave(app, token, code, &field(answer)).await;
        }
    }
}

/// The facilitator opens or closes a round from the console.
async fn console_round(owner: &Session<'_>, action: &str) {
    let fields: &[(&str, &str)] = if action == "open" {
        &[("deadline", "")]
    } else {
        &[]
    };
    let response = owner
        .post(&format!("/console/s/{SLUG}/rounds/{action}"), fields)
        .await;
    let status = response.status();
    assert_eq!(status, 303, "{action}: {}", response.text().await.unwrap());
}

/// The seed the data package's study.toml carries.
async fn seed_of_package(owner: &Session<'_>) -> u64 {
    let files = package(owner, SLUG).await;
    let text = String::from_utf8(files[&format!("{SLUG}/study.toml")].clone()).unwrap();
    let toml: toml::Table = toml::from_str(&text).unwrap();
    toml["rounds"]["seed"]
        .as_integer()
        .expect("a seed in the package") as u64
}

// Threads of its own: the server's outbox worker and the test's SMTP relay are spawned on this
// test's runtime, and the test reads the database with blocking calls (a pool connection may
// take seconds to free up on a loaded machine). On a one-thread runtime each such call froze
// the SMTP conversations in flight; past lettre's 5 s timeout an invitation is retried, and
// after three attempts given up, so its link never reached the relay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_rounds_with_every_bias_control_through_the_real_paths() {
    // The server's own outbox worker sends the invitations, often, to a relay of the test's:
    // the experts' links are read from what the relay received, as an expert reads them.
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(|settings| {
        send_through(settings, smtp.port());
        settings.workers.outbox_interval_secs = 1;
    })
    .await;
    create(&app);
    let owner = Session::sign_in(&app, OWNER).await;
    let (panel, codes) = {
        let mut conn = app.db.get().unwrap();
        let panel = experts(&mut conn, SLUG);
        let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
        let codes = delphi::db::models::items::Item::of_study(&mut conn, study.id)
            .unwrap()
            .into_iter()
            .map(|i| i.code)
            .collect::<Vec<_>>();
        (panel, codes)
    };
    assert_eq!((panel.len(), codes.len()), (10, ITEMS));
    let mut expected: BTreeMap<(String, String, String), Expected> = BTreeMap::new();
    let mut seed = None;

    for round in 1..=3usize {
        console_round(&owner, "open").await;
        let seed = *seed.get_or_insert(seed_of_package(&owner).await);
        let links = links_delivered(&app.db, &smtp, SLUG, round as i32).await;
        assert_eq!(links.len(), panel.len(), "everyone is invited to round {round}");

        // 1. Every page, as the site shows it, is the one redrawn from the package's seed.
        let mut pages: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let tokens: HashMap<String, String> = panel
            .iter()
            .map(|e| (e.pseudonym.clone(), links[&e.id].clone()))
            .collect();
        for expert in &panel {
            pages.insert(
                expert.pseudonym.clone(),
                page_codes(&app, &tokens[&expert.pseudonym]).await,
            );
        }
        let redrawn = expected_pages(&mut app.db.get().unwrap(), SLUG, round as i32, seed, PER_EXPERT);
        assert_eq!(pages, redrawn, "round {round}'s pages");
        let mut raters: BTreeMap<&str, usize> = BTreeMap::new();
        for code in pages.values().flatten() {
            *raters.entry(code.as_str()).or_default() += 1;
        }
        assert_eq!(raters.len(), ITEMS);
        assert_eq!(raters.values().sum::<usize>(), panel.len() * PER_EXPERT as usize);

        for (e, expert) in panel.iter().enumerate() {
            if round == 1 && LATER.contains(&e) {
                continue;
            }
            let token = &tokens[&expert.pseudonym];
            let page = &pages[&expert.pseudonym];
            let form = e % 2 == 0;
            let index = |code: &str| codes.iter().position(|c| c == code).unwrap();
            let firsts: Vec<(String, Answer)> = page
                .iter()
                .map(|c| (c.clone(), first(round, index(c), e)))
                .collect();
            if round == 1 {
                answer_page(&app, token, form, &firsts).await;
                for (position, (code, answer)) in firsts.iter().enumerate() {
                    let key = (round.to_string(), expert.pseudonym.clone(), code.clone());
                    expected.insert(key, row_of(answer, None, position + 1));
                }
                continue;
            }

            // 3. Before an item is rated, the page holds none of its feedback…
            let html = app.text(&format!("/r/{token}")).await;
            for code in page {
                let item = item_of(&html, code);
                assert!(
                    item.contains(HELD) && !item.contains(CHART),
                    "{code} before: {item}"
                );
            }
            assert_eq!(fragment(&app, token, &page[0]).await.0, 404, "no fragment yet");
            // …the first answers are made, and then it shows.
            answer_page(&app, token, form, &firsts).await;
            if form {
                let html = app.text(&format!("/r/{token}")).await;
                for code in page {
                    let item = item_of(&html, code);
                    assert!(
                        item.contains(CHART) && item.contains(REVEALED) && !item.contains(HELD),
                        "{code} after: {item}"
                    );
                }
            } else {
                for code in page {
                    let (status, body) = fragment(&app, token, code).await;
                    assert_eq!(status, 200, "{code}'s fragment");
                    assert!(body.contains(CHART) && body.contains(REVEALED), "{body}");
                }
            }
            let lasts: Vec<(String, Answer)> = page
                .iter()
                .map(|c| (c.clone(), last(round, index(c), e)))
                .collect();
            answer_page(&app, token, form, &lasts).await;
            for (position, ((code, pre), (_, answer))) in firsts.iter().zip(&lasts).enumerate() {
                let key = (round.to_string(), expert.pseudonym.clone(), code.clone());
                expected.insert(key, row_of(answer, Some(pre), position + 1));
            }
        }
        console_round(&owner, "close").await;
    }

    // 3. ratings.csv holds every answer as entered, its pre-feedback score and page position.
    let (_, ratings) = parse_csv(&owner.page(&format!("/console/s/{SLUG}/export/ratings.csv")).await);
    let exported: BTreeMap<(String, String, String), Expected> = ratings
        .iter()
        .map(|r| {
            (
                (r["round"].clone(), r["expert"].clone(), r["item_code"].clone()),
                (
                    r["score"].clone(),
                    r["unable"].clone(),
                    r["pre_feedback_score"].clone(),
                    r["position"].clone(),
                ),
            )
        })
        .collect();
    assert_eq!(exported, expected);
    assert!(expected
        .values()
        .any(|(score, _, pre, _)| !pre.is_empty() && *pre != *score));

    // 2. Every item's raters, counted from ratings.csv, are balanced within one in the rounds
    // the whole panel answered (round 1 lacks the later cohort by design).
    for round in ["2", "3"] {
        let mut raters: BTreeMap<&str, usize> = BTreeMap::new();
        for row in ratings.iter().filter(|r| r["round"] == round) {
            *raters.entry(row["item_code"].as_str()).or_default() += 1;
        }
        assert_eq!(raters.len(), ITEMS);
        let (fewest, most) = (raters.values().min().unwrap(), raters.values().max().unwrap());
        assert!(most - fewest <= 1, "round {round}: {raters:?}");
    }

    // 4. drift.csv equals the recomputation from ratings.csv, every kind of figure present.
    let (_, drift) = parse_csv(&owner.page(&format!("/console/s/{SLUG}/export/drift.csv")).await);
    let recomputed = assert_recomputed(&drift, &ratings, &GROUPS);
    let panel_rows: Vec<_> = recomputed.iter().filter(|(k, _)| k.2 == "panel").collect();
    assert!(panel_rows.iter().any(|(_, r)| r.after_feedback.experts > 0));
    assert!(
        panel_rows.iter().any(|(_, r)| r.later_minus_early.is_some()),
        "no item drawn in rounds 2 and 3 for a later and an early expert: the fixture's seed must draw one"
    );
    let drift_page = unescape(&owner.page(&format!("/console/s/{SLUG}/results/3/drift")).await);
    assert!(drift_page.contains("Pre-feedback → final"), "{drift_page}");
}
