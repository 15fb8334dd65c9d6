//! Drift end to end on both backends: a three-round study whose drift.csv equals a recomputation
//! from its ratings.csv (support/drift.rs, from the definitions), the console's drift page and
//! the report's section, ratings.csv's `position` and `pre_feedback_score` columns, and the
//! seed in the data package's study.toml.

use std::collections::BTreeMap;

use delphi::db::models::invitations::Invitation;
use delphi::db::models::page_items::PageItem;
use delphi::db::models::rounds::Round;
use delphi::db::DbConnection;
use delphi::domain::answer::Answer;
use delphi::service::expert::{self, ExpertCache, PostedAnswer, Resolved};
use delphi::service::ratings::record;

use crate::support::app::{spawn_app, TestApp, TestDatabase};
use crate::support::drift::assert_recomputed;
use crate::support::files::{package, parse_csv};
use crate::support::fixtures::{create_study_from, example, example_toml};
use crate::support::rounds::{answer_input, close_round, current_round, experts, links_of_round, open_round};
use crate::support::sign_in::{add_owner, Session};

pub const SLUG: &str = "drift-2026";
pub const OWNER: &str = "owner@example.org";
const GROUPS: [&str; 4] = ["researcher", "clinician", "programme", "advocate"];

/// The example study with every issue-16 key this part reads: pre-feedback scores, a random
/// order drawn from seed 42, every expert invited and every item asked again.
fn study_toml() -> String {
    example_toml(SLUG)
        .replace("carry_forward = \"unresolved\"", "carry_forward = \"all\"")
        .replace("invite = \"previous_responders\"", "invite = \"all\"")
        .replace("reason_on_band_change = true", "reason_on_band_change = false")
        .replace(
            "close_at_deadline = true",
            "close_at_deadline = true\norder = \"random\"\nseed = 42\n\n[feedback]\ntiming = \"after_rating\"",
        )
}

fn create(app: &TestApp, slug: &str, toml: &str) {
    let folder = app.database.dir.path().join(slug);
    std::fs::create_dir_all(&folder).unwrap();
    for file in ["items.csv", "panel.csv"] {
        std::fs::copy(example(file), folder.join(file)).unwrap();
    }
    std::fs::write(folder.join("study.toml"), toml).unwrap();
    create_study_from(&app.db, &folder.join("study.toml"), None);
}

/// Expert `e`'s answer to item `i` in `round`: spread in round 1, moved in round 2 by most and
/// drawn toward the middle in round 3 by half; some "unable", some blanks, a third of the panel
/// only from round 2 (the later cohort, counted from round 2 to 3).
fn design(round: u32, i: usize, e: usize) -> Option<Answer> {
    if round == 1 && e % 3 == 2 {
        return None;
    }
    if (i + e) % 11 == 0 {
        return Some(Answer::Unable);
    }
    if round >= 2 && (i * 7 + e + round as usize) % 13 == 0 {
        return None;
    }
    let first = 1 + ((e * 5 + i * 3) % 9) as i32;
    let second = match e % 4 {
        0 => first,
        1 => (first + 6) / 2,
        _ => 1 + ((first + i as i32) % 9),
    };
    Some(Answer::Score(match round {
        1 => first,
        2 => second,
        _ if e % 2 == 0 => (second + 5) / 2,
        _ => second,
    }))
}

/// Round `round` answered by the panel as `design` says. From round 2, every second expert
/// answers through their link's session (the use case the form and autosave call), which keeps
/// the first answer as the pre-feedback score: every fourth answers once, the others first one
/// point lower, then as designed. The rest are recorded as a responses import records them,
/// with no pre-feedback score (nobody saw a page). bias_controls.rs does the same over HTTP.
fn answer_round(database: &TestDatabase, conn: &mut DbConnection, round: u32) {
    let open = current_round(conn, SLUG);
    let codes: Vec<String> = Round::items(conn, open.id)
        .unwrap()
        .into_iter()
        .map(|ri| {
            delphi::db::models::items::Item::by_id(conn, ri.item_id)
                .unwrap()
                .unwrap()
                .code
        })
        .collect();
    let links = links_of_round(database, conn, SLUG, open.number);
    let cache = ExpertCache::default();
    for (e, expert) in experts(conn, SLUG).into_iter().enumerate() {
        let Some(invitation) = Invitation::find(conn, open.id, expert.id).unwrap() else {
            continue;
        };
        let session = match expert::resolve(conn, &cache, &links[&expert.id]).unwrap() {
            Resolved::Found(session) if round >= 2 && e % 2 == 0 => Some(session),
            _ => None,
        };
        for (i, code) in codes.iter().enumerate() {
            let Some(answer) = design(round, i, e) else {
                continue;
            };
            let Some(session) = &session else {
                record(conn, invitation.id, &answer_input(code, answer)).unwrap();
                continue;
            };
            let mut answers = vec![answer];
            if let (2, Answer::Score(s @ 2..)) = (e % 4, answer) {
                answers.insert(0, Answer::Score(s - 1));
            }
            for answer in answers {
                let score = match answer {
                    Answer::Score(s) => s.to_string(),
                    _ => "U".into(),
                };
                let posted = PostedAnswer {
                    code: code.clone(),
                    score,
                    ..PostedAnswer::default()
                };
                expert::save_one(conn, session, &posted).unwrap();
            }
        }
    }
}

/// The study `SLUG`, owned by [`OWNER`], run through three closed rounds as `design` says.
pub async fn three_rounds() -> TestApp {
    let app = spawn_app().await;
    create(&app, SLUG, &study_toml());
    add_owner(&app.db, SLUG, OWNER);
    let mut conn = app.db.get().unwrap();
    for round in 1..=3 {
        open_round(&mut conn, SLUG);
        answer_round(&app.database, &mut conn, round);
        close_round(&mut conn, SLUG);
    }
    drop(conn);
    app
}

#[tokio::test]
async fn drift_csv_equals_a_recomputation_from_ratings_csv() {
    let app = three_rounds().await;
    let owner = Session::sign_in(&app, OWNER).await;
    let (header, ratings) = parse_csv(&owner.page(&format!("/console/s/{SLUG}/export/ratings.csv")).await);
    let at = |name: &str| header.iter().position(|c| c == name);
    assert_eq!(at("position"), at("item_code").map(|p| p + 1), "{header:?}");
    assert_eq!(at("pre_feedback_score"), at("score").map(|p| p + 1), "{header:?}");
    assert!(ratings.iter().any(|r| !r["pre_feedback_score"].is_empty()));

    // Every row's position is the one stored for that expert's page.
    {
        let mut conn = app.db.get().unwrap();
        let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
        let pseudonyms: BTreeMap<i64, String> = experts(&mut conn, SLUG)
            .into_iter()
            .map(|e| (e.id, e.pseudonym))
            .collect();
        let codes = delphi::db::models::items::Item::codes_of_study(&mut conn, study.id).unwrap();
        let mut stored: BTreeMap<(String, String, String), String> = BTreeMap::new();
        for round in Round::of_study(&mut conn, study.id).unwrap() {
            for page in PageItem::of_round(&mut conn, round.id).unwrap() {
                stored.insert(
                    (
                        round.number.to_string(),
                        pseudonyms[&page.expert_id].clone(),
                        codes[&page.item_id].clone(),
                    ),
                    page.position.to_string(),
                );
            }
        }
        for row in &ratings {
            let key = (
                row["round"].clone(),
                row["expert"].clone(),
                row["item_code"].clone(),
            );
            assert_eq!(row["position"], stored[&key], "{key:?}");
        }
    }

    let (_, drift) = parse_csv(&owner.page(&format!("/console/s/{SLUG}/export/drift.csv")).await);
    let expected = assert_recomputed(&drift, &ratings, &GROUPS);
    let panel: Vec<_> = expected.iter().filter(|(k, _)| k.2 == "panel").collect();
    assert!(
        panel.iter().any(|(_, r)| r.after_feedback.experts > 0),
        "the design has pre-feedback scores"
    );
    assert!(
        panel.iter().any(|(_, r)| r.later_minus_early.is_some()),
        "the design has later joiners"
    );
    assert!(panel
        .iter()
        .any(|(_, r)| r.between_rounds.toward > 0 && r.between_rounds.away > 0));

    // The console's page shows the panel's figures, the report its section.
    let page = owner.page(&format!("/console/s/{SLUG}/results/2")).await;
    assert!(page.contains(&format!("/console/s/{SLUG}/results/2/drift")));
    let page = owner.page(&format!("/console/s/{SLUG}/results/2/drift")).await;
    assert!(page.contains("Drift, round 1 → round 2"), "{page}");
    assert!(page.contains("Pre-feedback → final"));
    let first = drift
        .iter()
        .find(|r| r["set"] == "panel" && r["round"] == "2")
        .unwrap();
    assert!(page.contains(&format!("<code>{}</code>", first["item_code"])));
    assert!(page.contains(&format!("<td>{}</td>", first["experts"])));
    let refused = owner.get(&format!("/console/s/{SLUG}/results/1/drift")).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("use 2 or later"));
    let report = owner.page(&format!("/console/s/{SLUG}/report")).await;
    assert!(report.contains("<section id=\"drift\">"));
    assert!(report.contains("Round 1 → round 2"));
    assert!(report.contains("Feedback shift"));

    // The data package: drift.csv, its codebook entry, and the seed in study.toml.
    let files = package(&owner, SLUG).await;
    let toml = String::from_utf8(files[&format!("{SLUG}/study.toml")].clone()).unwrap();
    assert!(toml.contains("seed = 42"), "{toml}");
    assert!(files.contains_key(&format!("{SLUG}/drift.csv")));
    let codebook = String::from_utf8(files[&format!("{SLUG}/codebook.md")].clone()).unwrap();
    assert!(codebook.contains("## drift.csv") && codebook.contains("`pre_feedback_score`"));
}

#[tokio::test]
async fn a_study_without_the_controls_exports_ratings_as_before() {
    let app = spawn_app().await;
    create(&app, "plain", &example_toml("plain"));
    add_owner(&app.db, "plain", "owner@example.org");
    let owner = Session::sign_in(&app, "owner@example.org").await;
    let (header, _) = parse_csv(&owner.page("/console/s/plain/export/ratings.csv").await);
    assert_eq!(
        header,
        [
            "round",
            "expert",
            "group",
            "item_code",
            "score",
            "unable",
            "comment",
            "changed_band",
            "reason",
            "saved_at"
        ]
    );
    // One rating round closed: no drift yet, and the report has no drift section.
    let report = owner.page("/console/s/plain/report").await;
    assert!(!report.contains("<section id=\"drift\">"));
    let (header, rows) = parse_csv(&owner.page("/console/s/plain/export/drift.csv").await);
    assert!(rows.is_empty());
    assert_eq!(header.len(), 20);
}
