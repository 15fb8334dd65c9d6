//! A rating study with two criteria and `combine = "all"`, clicked through in a browser with no
//! command line: the set-up form (its criteria fieldset, COMET), three items and three experts
//! pasted, round 1 opened from the study page, each expert rating every criterion of every
//! item through their emailed link on a phone, the round closed; round 2 with last round's
//! feedback, answered and closed; the console's results with each item's combined line and its
//! criteria's lines; and results.csv of the data package recomputed from its ratings.csv with
//! the naive statistics of tests/it/criteria.rs.

use serde_json::json;

use crate::criteria::recompute;
use crate::support::files::parse_csv;
use crate::support::flows::{
    assert_fits, create_study, invitation_link, package_file, paste_items_and_experts, rate, round, signed_in,
};

const SLUG: &str = "indicators-rated-twice";
const EXPERTS: [&str; 3] = ["ana@", "ben@", "chi@"];

/// The console's results table: per line, the item code, the criterion cell, the status and n.
const TABLE: &str = "return [...document.querySelectorAll('table.results tbody tr')].map(tr => \
    [tr.querySelector('th code').textContent.trim(), tr.querySelectorAll('td')[0].textContent.trim(), \
     tr.querySelectorAll('td')[5].textContent.trim(), tr.querySelectorAll('td')[1].textContent.trim()]);";

/// Every expert's scores of round `round`: `(item, importance, feasibility)`, per expert.
fn scores(round: u32) -> Vec<Vec<(&'static str, &'static str, &'static str)>> {
    match round {
        // I01 in on both criteria; I02 out on feasibility; I03 unresolved on importance.
        1 => vec![vec![("I01", "8", "8"), ("I02", "8", "2"), ("I03", "5", "8")]; 3],
        // Round 2 asks I03 again: two of three in on importance is short of COMET's 70 %.
        _ => vec![
            vec![("I03", "8", "8")],
            vec![("I03", "8", "9")],
            vec![("I03", "5", "8")],
        ],
    }
}

#[tokio::test]
async fn a_study_with_two_criteria_runs_two_rounds_in_a_browser() {
    let (app, browser) = signed_in().await;

    // 1. The set-up form: a rating study, two criteria, "all" of them, COMET.
    create_study(
        &browser,
        &app,
        SLUG,
        &["#f-rule-preset-0", "#f-combine-0"],
        &[
            ("#f-title", "Indicators rated twice"),
            ("#f-criterion-label-1", "How important is this indicator?"),
            ("#f-criterion-key-1", "importance"),
            ("#f-criterion-label-2", "How feasible is it to measure?"),
            ("#f-criterion-key-2", "feasibility"),
            ("#f-group-name-1", "Researchers"),
            ("#f-section-title-1", "Indicators"),
            ("#f-section-key-1", "ind"),
        ],
    )
    .await;
    paste_items_and_experts(
        &browser,
        &app,
        SLUG,
        "I01 | ind | Haemoglobin concentration\nI02 | ind | Serum ferritin\nI03 | ind | Exclusive breastfeeding at 6 months",
        "ana@example.org | Ana Reis | researchers | en\nben@example.org | Ben Okafor | researchers | en\nchi@example.org | Chi Nwosu | researchers | en",
    )
    .await;

    // 2. Two rounds: opened, every criterion of each item rated on a phone, closed.
    for number in [1, 2] {
        browser.viewport(1280, 900).await;
        round(&browser, &app, SLUG, "open").await;
        browser.viewport(390, 844).await;
        for (expert, answers) in EXPERTS.iter().zip(scores(number)) {
            let link = invitation_link(&app, expert);
            browser.goto(&app.url(&link)).await;
            let page = browser.source().await;
            let asked = browser
                .script(
                    "return document.querySelectorAll('fieldset.crit').length",
                    json!([]),
                )
                .await;
            assert_eq!(
                asked,
                json!(2 * answers.len()),
                "round {number}: both criteria of each item: {page}"
            );
            if number == 2 {
                assert!(
                    page.contains("Your previous score") && !page.contains("s_I01~"),
                    "round 2 asks I03 again with last round's feedback"
                );
            }
            if *expert == "ana@" {
                assert_fits(&browser, &format!("round {number}'s form at 390 px")).await;
                browser.assert_accessible(&format!("round {number}'s form")).await;
                browser
                    .picture(&format!("criteria-flow-round{number}-390"), "fieldset.crit")
                    .await;
            }
            let fields: Vec<(String, &str)> = answers
                .iter()
                .flat_map(|(code, importance, feasibility)| {
                    [
                        (format!("{code}~importance"), *importance),
                        (format!("{code}~feasibility"), *feasibility),
                    ]
                })
                .collect();
            rate(&browser, &app, &link, &fields).await;
        }
        browser.viewport(1280, 900).await;
        round(&browser, &app, SLUG, "close").await;
    }

    // 3. The console's results: each item's combined line, then one line per criterion.
    for (number, expected) in [
        (
            1,
            vec![
                ("I01", "in", "in", "in"),
                ("I02", "out", "in", "out"),
                ("I03", "none", "none", "in"),
            ],
        ),
        (2, vec![("I03", "none", "none", "in")]),
    ] {
        for (width, height) in [(390, 844), (1280, 900)] {
            browser.viewport(width, height).await;
            browser
                .goto(&app.url(&format!("/console/s/{SLUG}/results/{number}")))
                .await;
            assert_fits(&browser, &format!("round {number}'s results at {width} px")).await;
            if number == 1 {
                browser
                    .picture(&format!("criteria-flow-results-{width}"), "table.results")
                    .await;
            }
        }
        browser
            .assert_accessible(&format!("round {number}'s results"))
            .await;
        let table = browser.script(TABLE, json!([])).await;
        let table = table.as_array().unwrap();
        assert_eq!(table.len(), 3 * expected.len(), "{table:?}");
        for (lines, (code, all, importance, feasibility)) in table.chunks(3).zip(&expected) {
            let what = format!("round {number}, {code}: {lines:?}");
            let cells: Vec<[&str; 4]> = lines
                .iter()
                .map(|l| [0, 1, 2, 3].map(|i| l[i].as_str().unwrap()))
                .collect();
            let counts: Vec<&str> = cells.iter().map(|c| c[3]).collect();
            assert_eq!(counts, ["–", "3", "3"], "n: {what}");
            assert!(cells.iter().all(|c| c[0] == *code), "{what}");
            assert_eq!(cells[0][1], "Item (all criteria)", "{what}");
            assert_eq!(cells[1][1], "How important is this indicator?", "{what}");
            assert_eq!(cells[2][1], "How feasible is it to measure?", "{what}");
            for (cell, status) in cells.iter().zip([all, importance, feasibility]) {
                assert_eq!(status_of(cell[2]), *status, "{what}");
            }
        }
    }

    // 4. The data package recomputes: results.csv from ratings.csv alone.
    let ratings = package_file(&browser, &app, SLUG, "ratings.csv").await;
    let results = package_file(&browser, &app, SLUG, "results.csv").await;
    assert_eq!(parse_csv(&ratings).1.len(), 3 * 3 * 2 + 3 * 2, "{ratings}");
    assert_eq!(recompute(&results, &ratings, false), 3 * 3 + 3, "{results}");
}

/// The results.csv status of the console's status cell.
fn status_of(cell: &str) -> &str {
    match cell {
        "consensus in" => "in",
        "consensus out" => "out",
        "no consensus" => "none",
        other => panic!("not a status: {other:?}"),
    }
}
