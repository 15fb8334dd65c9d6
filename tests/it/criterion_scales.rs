//! A criterion on a scale of its own (issue 15): the example study rated on importance (the
//! study's 1–9 scale, COMET) and feasibility (1–5, judged by an alternative written for that
//! scale), two rounds over HTTP. Answers off a criterion's scale are refused on every way in
//! (API, responses file, the form without JavaScript, autosave) naming the criterion, with
//! nothing saved; the form shows each criterion's own points and words and, in round 2, its
//! chart and its groups on its own scale; results.csv and the data package are recomputed
//! from ratings.csv by the naive reference; study.toml reads back with the scale; the experts'
//! results page shows each item's figures per criterion.

use std::path::{Path, PathBuf};

use delphi::db::models::ratings::Rating;
use delphi::domain::link::LinkBase;
use delphi::service::closing;
use reqwest::Method;
use serde_json::json;

use crate::criteria::{criteria_study, recompute_on, responses_of, Judged};
use crate::support::api::Api;
use crate::support::app::{spawn_app_keeping_emails, PUBLIC_URL};
use crate::support::cli::Cli;
use crate::support::files::parse_csv;
use crate::support::fixtures::{actor, answer, create_study_from, example_files, SLUG};
use crate::support::forms::{post_form, unescape};
use crate::support::mail::{outbox_emails, token_after};
use crate::support::reference_stats::{comet, comet_like};
use crate::support::rounds::{current_round, experts, open_round_with_links};
use crate::support::sign_in::{add_facilitator, api_token, Session};

const FEASIBILITY: &str = "label = \"How feasible is it to measure in routine programmes?\"";

const FIVE_POINTS: &str = r#"{ min = 1, max = 5, labels = { 1 = "Not feasible", 5 = "Very feasible" }, bands = [ { name = "Low", from = 1, to = 2 }, { name = "High", from = 4, to = 5 } ], unable_to_score = true }"#;

/// COMET's shape on 1–5: agreed high is 4–5, agreed low 1–2.
const FEASIBLE: &str = "[consensus.alternatives.feasible]
in = [ { share = [4, 5], at_least = 70 }, { share = [1, 2], below = 15 } ]
out = [ { share = [1, 2], at_least = 70 }, { share = [4, 5], below = 15 } ]

";

fn feasible(scores: &[i32]) -> &'static str {
    comet_like(scores, 4..=5, 1..=2)
}

/// The criteria study with feasibility on 1–5 under `feasible`; its study.toml.
pub(crate) fn study(dir: &Path) -> PathBuf {
    let path = criteria_study(dir, "all");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(FEASIBILITY).count(), 1);
    assert_eq!(text.matches("\n[rounds]\n").count(), 1);
    let text = text
        .replace(
            FEASIBILITY,
            &format!("{FEASIBILITY}\nrule = \"feasible\"\nscale = {FIVE_POINTS}"),
        )
        .replace("\n[rounds]\n", &format!("\n{FEASIBLE}[rounds]\n"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Expert `e`'s answer to item `i` on criterion `c`: importance the suite's usual design;
/// feasibility the same design (shifted by one profile on odd items) put on 1–5.
pub(crate) fn scale_answer(round: u32, i: usize, e: usize, c: usize) -> Option<String> {
    if c == 0 {
        return answer(round, i, e);
    }
    let shifted = answer(round, if i % 2 == 0 { i } else { i + 1 }, e)?;
    Some(match shifted.parse::<usize>() {
        Ok(score) => [1, 1, 2, 2, 3, 3, 4, 4, 5][score - 1].to_string(),
        Err(_) => shifted,
    })
}

fn judged() -> [Judged; 2] {
    [
        Judged {
            points: 1..=9,
            status: comet,
        },
        Judged {
            points: 1..=5,
            status: feasible,
        },
    ]
}

#[tokio::test]
async fn a_criterion_on_its_own_scale_over_two_rounds() {
    let app = spawn_app_keeping_emails().await;
    let owner = "owner@example.org";
    add_facilitator(&app.db, owner);
    let work = app.database.dir.path().to_path_buf();
    create_study_from(&app.db, &study(&work), Some(owner));
    let api = Api::new(&app, &api_token(&app.db, owner, "scales"));
    let cli = Cli::new(&app.database);
    let shown = cli.ok(&["study", "show", SLUG]);
    assert!(
        shown.contains("feasibility (rule feasible, scale 1–5): How feasible"),
        "{shown}"
    );
    let mut conn = app.db.get().unwrap();
    // Before round 1, the rule editor keeps feasibility's rule fitting 1–5.
    {
        use delphi::service::rule_editor;
        let mut form = rule_editor::editor(&mut conn, SLUG).unwrap().form;
        form.alternatives = "feasible: in: share 6–9 ≥ 70%".into();
        let refused = rule_editor::save(&mut conn, SLUG, &form, &actor())
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("criterion `feasibility`")
                && refused.contains("[6, 9] is not inside the scale 1–5"),
            "{refused}"
        );
    }
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round_id = current_round(&mut conn, SLUG).id;
    let ex = example_files();
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let me = ex.experts.len() - 1;
    let my_id = experts(&mut conn, SLUG)
        .into_iter()
        .find(|e| e.email.as_deref() == Some(ex.experts[me].0.as_str()))
        .unwrap()
        .id;
    let page = format!("/r/{}", links[&my_id]);
    let nothing_saved = |conn: &mut delphi::db::DbConnection| {
        assert!(Rating::of_round(conn, round_id).unwrap().is_empty());
    };

    // The API: 7 is on importance's scale but not on feasibility's; the batch saves nothing.
    let path = format!("/api/v1/studies/{SLUG}/responses");
    let batch = json!([
        { "expert": ex.experts[0].0, "item": "M01", "criterion": "importance", "score": 7 },
        { "expert": ex.experts[0].0, "item": "M01", "criterion": "feasibility", "score": 7 },
    ]);
    let refused = api
        .expect(Method::POST, &path, Some(&batch), 422)
        .await
        .to_string();
    assert!(
        refused.contains("responses[2].score")
            && refused.contains("criterion `feasibility`")
            && refused.contains("1 to 5"),
        "{refused}"
    );
    nothing_saved(&mut conn);

    // Settings show the scale (not edited there) and keep it; the rule editor previews
    // feasibility under its own rule.
    {
        use delphi::service::study_setup::{self, SetupForm, Start};
        let stored = delphi::service::studies::load(&mut conn, SLUG).unwrap();
        let mut form = SetupForm::from_file(&stored.file, Start::Blank);
        form.title = "Scales, renamed".into();
        let saved = study_setup::update(&mut conn, SLUG, &form, "en", &actor());
        assert!(saved.is_ok(), "{saved:?}");
        let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
        assert_eq!(study.title, "Scales, renamed");
        assert_eq!(study.file.criteria, stored.file.criteria);
    }
    let facilitator = Session::sign_in(&app, owner).await;
    let settings = unescape(&facilitator.page(&format!("/console/s/{SLUG}/settings")).await);
    assert!(
        settings.contains("<li>feasibility: 1–5 (1 = Not feasible, 5 = Very feasible)</li>"),
        "{settings}"
    );
    let rule = facilitator.page(&format!("/console/s/{SLUG}/rule")).await;
    assert!(
        rule.contains("<th scope=\"col\">feasibility (feasible)</th>"),
        "{rule}"
    );

    // A responses file: the same, by line.
    let bad = work.join("bad.csv");
    let someone = &ex.experts[0].0;
    std::fs::write(
        &bad,
        format!("expert,item,criterion,score\n{someone},M01,importance,9\n{someone},M01,feasibility,6\n"),
    )
    .unwrap();
    let said = cli.refused(&["responses", "import", SLUG, bad.to_str().unwrap()]);
    assert!(
        said.contains("line 3") && said.contains("criterion `feasibility`") && said.contains("1 to 5"),
        "{said}"
    );
    nothing_saved(&mut conn);

    // The form: each criterion with its own points and words, its own bands for the script.
    let html = app.text(&page).await;
    for v in 1..=5 {
        assert!(html.contains(&format!("name=s_M01~feasibility value={v}>")));
    }
    assert!(!html.contains("name=s_M01~feasibility value=6"), "{html}");
    assert!(html.contains("name=s_M01~importance value=9>"));
    assert!(html.contains("name=s_M01~feasibility value=U>"));
    assert!(html.contains("<span>Very feasible</span>"), "{html}");
    assert!(html.contains(" data-bands=1-2,4-5>"), "{html}");
    assert_eq!(html.matches("<div class=pts>").count(), codes.len() * 2);

    // Without JavaScript: refused, naming the item and the criterion, nothing saved.
    let response = post_form(
        &app,
        &page,
        &[
            ("s_M01~importance", "9"),
            ("s_M01~feasibility", "7"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let body = unescape(&response.text().await.unwrap());
    assert!(
        body.contains("M01, How feasible is it to measure in routine programmes?: 7 is not on the scale 1–5"),
        "{body}"
    );
    nothing_saved(&mut conn);
    // Autosave: the same refusal; then an answer on the scale is saved.
    let autosave = |score: i32| {
        app.client
            .post(app.url(&format!("{page}/answer")))
            .json(&json!({ "item": "M01", "criterion": "feasibility", "score": score.to_string() }))
            .send()
    };
    let response = autosave(6).await.unwrap();
    assert_eq!(response.status(), 422);
    let refused = response.text().await.unwrap();
    assert!(refused.contains("6 is not on the scale 1–5"), "{refused}");
    nothing_saved(&mut conn);
    assert_eq!(autosave(5).await.unwrap().status(), 204);
    // Once the link has saved, autosaves take the one-statement path: it must judge the score
    // on the criterion's scale too (7 is on the study's 1–9, not on feasibility's 1–5).
    let response = autosave(7).await.unwrap();
    assert_eq!(response.status(), 422);
    let refused = response.text().await.unwrap();
    assert!(refused.contains("7 is not on the scale 1–5"), "{refused}");
    let saved = Rating::of_round(&mut conn, round_id).unwrap();
    assert_eq!(
        saved
            .iter()
            .map(|r| (r.criterion.as_str(), r.score))
            .collect::<Vec<_>>(),
        [("feasibility", Some(5))]
    );

    // Round 1 from a file (everyone but `me`), closed; round 2 on the unresolved items.
    let who: Vec<usize> = (0..me).collect();
    let file = responses_of(&work, "round1.csv", &ex, &codes, &who, |i, e, c| {
        scale_answer(1, i, e, c)
    });
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    let (_, first) = parse_csv(&cli.ok(&["results", SLUG, "--round", "1", "--format", "csv"]));
    let unresolved: Vec<String> = first
        .iter()
        .filter(|r| r["criterion"].is_empty() && r["status"] == "none")
        .map(|r| r["item_code"].clone())
        .collect();
    for status in ["in", "out", "none"] {
        assert!(
            first
                .iter()
                .any(|r| r["criterion"] == "feasibility" && r["status"] == status),
            "feasibility {status}"
        );
    }
    // Feasibility is judged only by the rules that fit 1–5: the 1–9 ones leave it empty.
    for row in first.iter().filter(|r| r["criterion"] == "feasibility") {
        assert_eq!(row["status_feasible"], row["status"], "{row:?}");
        assert_eq!(row["status_median-iqr"], "", "{row:?}");
        assert_eq!(row["status_rand-ucla"], "", "{row:?}");
        assert_eq!(row["ipras"], "", "{row:?}");
    }

    // Round 2's form: each criterion's chart on its own scale, with the groups' lines.
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let html = app.text(&format!("/r/{}", links[&my_id])).await;
    let items = html.matches("class=\"item crits\"").count();
    assert_eq!(items, unresolved.len());
    assert_eq!(html.matches("<svg class=hist ").count(), items * 2, "{html}");
    assert_eq!(html.matches("<ul class=groups>").count(), items * 2, "{html}");
    // Group lines read in the criterion's own bands (1–2, 4–5), not the study's (1–3…).
    assert!(html.contains("1–2: "), "{html}");

    let file = responses_of(&work, "round2.csv", &ex, &unresolved, &who, |i, e, c| {
        scale_answer(2, i, e, c)
    });
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);

    // The data package: results recomputed from ratings.csv, study.toml reads back.
    let entries = cli.package(SLUG, &work.join("package.zip"));
    let file = |name: &str| entries[name].clone();
    let ratings = file("ratings.csv");
    let checked = recompute_on(&file("results.csv"), &ratings, false, &judged());
    assert_eq!(checked, (codes.len() + unresolved.len()) * 3);
    recompute_on(&file("results_by_group.csv"), &ratings, true, &judged());
    let locked = delphi::domain::study_file::parse_study_file("study.toml", &file("study.toml")).unwrap();
    let stored = delphi::service::studies::load(&mut conn, SLUG).unwrap();
    assert_eq!(locked.criteria, stored.file.criteria);
    let own = locked.criteria[1].scale.as_ref().unwrap();
    assert_eq!(
        (own.min(), own.max(), own.label(5)),
        (1, 5, Some("Very feasible"))
    );
    assert!(file("codebook.md").contains("`feasibility` on 1–5"));
    assert!(file("report.html").contains("feasibility (&quot;How feasible"));

    // The experts' results page: each item's figures per criterion, on its scale.
    closing::finish(
        &mut conn,
        SLUG,
        "All rounds done.",
        true,
        &LinkBase(PUBLIC_URL.into()),
        &actor(),
    )
    .unwrap();
    let mail = outbox_emails(&mut conn)
        .into_iter()
        .find(|m| m.body_text.contains("/results"))
        .unwrap();
    let token = token_after(&mail.body_text, &format!("{PUBLIC_URL}/r/"));
    let results = unescape(&app.text(&format!("/r/{token}/results")).await);
    assert_eq!(
        results.matches("<ul class=\"crit-results\">").count(),
        codes.len(),
        "{results}"
    );
    // (The first email may be a French expert's: feasibility has no French label.)
    assert!(
        results.contains("How feasible is it to measure in routine programmes? (1–5)"),
        "{results}"
    );
    assert_eq!(results.matches(" (1–9)").count(), codes.len(), "{results}");
    // No group lines without figures: an item's figures are its criteria's.
    assert!(!results.contains("<ul class=\"groups\">"), "{results}");
}

/// The study file refuses a criterion scale whose rule does not fit it, naming both keys.
#[test]
fn a_rule_that_does_not_fit_the_criterion_s_scale_is_refused() {
    let database = crate::support::app::TestDatabase::new();
    let cli = Cli::new(&database);
    let path = study(database.dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("rule = \"feasible\"", "rule = \"primary\"")).unwrap();
    let said = cli.refused(&["study", "create", path.to_str().unwrap()]);
    assert!(
        said.contains("criterion[2].scale") && said.contains("`primary`") && said.contains("consensus"),
        "{said}"
    );
    assert!(cli.refused(&["results", SLUG]).contains(SLUG));
}
