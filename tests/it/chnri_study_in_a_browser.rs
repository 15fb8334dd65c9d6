//! A CHNRI study from the first form to its ranked scores, clicked through in a browser with no
//! command line: the set-up form (the five standard criteria, a threshold and a weight changed),
//! two research questions and two experts pasted, round 1 opened from the study page, each
//! expert answering through the link in their invitation, the round closed on its confirmation
//! page, and the console's ranked table read back and checked against the contract's formulas
//! worked out by hand below. axe-core checks the pages the researcher meets.

use serde_json::json;

use crate::support::app::spawn_app_keeping_emails;
use crate::support::browser::Browser;
use crate::support::flows::{invitation_link, SET};
use crate::support::sign_in::add_named_facilitator;

const SLUG: &str = "lactation-research-priorities";

/// Ticks every answer of the CHNRI page: `arguments[0]` maps an item code to the answer of all
/// its questions, except the criterion `arguments[1]`, answered `arguments[2][code]` if given.
const ANSWER: &str = "const [answers, last, lastAnswers] = arguments; \
    for (const r of document.querySelectorAll('input[type=radio][name^=\"q.\"]')) { \
      const [, code, criterion] = r.name.split('.'); \
      let want = answers[code]; \
      if (criterion === last && lastAnswers[code]) { want = lastAnswers[code]; } \
      if (r.value === want) { r.checked = true; } \
    }";

/// The console's ranked table: per item code, its rank, RPS, wRPS, AEA and "below" cells.
const TABLE: &str = "return [...document.querySelectorAll('table.results tbody tr')].map(tr => { \
      const cell = l => tr.querySelector('td[data-label=\"' + l + '\"]').textContent.trim(); \
      return [tr.querySelector('th code').textContent.trim(), tr.querySelector('td').textContent.trim(), \
              cell('RPS'), cell('wRPS'), cell('AEA'), tr.querySelectorAll('td')[tr.querySelectorAll('td').length - 2].textContent.trim()]; \
    });";

fn number(cell: &serde_json::Value) -> f64 {
    let text = cell.as_str().unwrap().replace('%', "");
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {cell}"))
}

#[tokio::test]
async fn a_chnri_study_runs_from_the_form_to_its_ranked_scores_in_a_browser() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "res@example.org", "Rea Searcher");
    let browser = Browser::start(true).await;
    browser.sign_in(&app, "res@example.org").await;
    browser.window(1280, 900).await;

    // 1. The form: CHNRI with its five standard criteria; answerability needs 60, the fifth
    //    criterion weighs 1.5; two groups and one section.
    browser.goto(&app.url("/console/new/form?start=blank")).await;
    browser.click("#f-method-1").await;
    for (css, value) in [
        ("#f-title", "Lactation research priorities"),
        ("#f-chnri-threshold-1", "60"),
        ("#f-chnri-weight-5", "1.5"),
        ("#f-group-name-1", "Researchers"),
        ("#f-group-name-2", "Practitioners"),
        ("#f-section-title-1", "Research questions"),
        ("#f-section-key-1", "questions"),
    ] {
        browser.script(SET, json!([css, value])).await;
    }
    let last = browser
        .script("return document.querySelector('#f-chnri-key-5').value", json!([]))
        .await;
    let last = last.as_str().unwrap().to_string();
    assert!(!last.is_empty(), "the fifth standard criterion has a key");
    browser.click("button[value=save]").await;
    browser
        .wait_for_path(&format!("/console/s/{SLUG}?done=created"))
        .await;

    // 2. Two research questions and two experts, pasted.
    let content = format!("/console/s/{SLUG}/content");
    browser.goto(&app.url(&content)).await;
    browser
        .script(
            SET,
            json!([
                "#paste-lines",
                "R01 | questions | Does iron and folic acid supplementation during lactation improve maternal haemoglobin?\n\
                 R02 | questions | Does vitamin D supplementation of lactating women change infant bone density?"
            ]),
        )
        .await;
    browser.click("#paste button").await;
    browser.wait_for_url("done=pasted").await;
    let panel = format!("/console/s/{SLUG}/panel");
    browser.goto(&app.url(&panel)).await;
    browser
        .script(
            SET,
            json!([
                "#paste-experts",
                "ana@example.org | Ana Reis | researchers | en\nben@example.org | Ben Okafor | practitioners | en"
            ]),
        )
        .await;
    browser.click("#paste button.primary").await;
    browser.wait_for_url("done=pasted").await;

    // 3. Round 1 opens from the study page.
    browser.goto(&app.url(&format!("/console/s/{SLUG}"))).await;
    browser
        .assert_accessible("a CHNRI study's page before round 1")
        .await;
    browser
        .click(&format!(
            "form[action='/console/s/{SLUG}/rounds/open'] button.primary"
        ))
        .await;
    browser.wait_for_url("done=").await;

    // 4. Each expert answers through the link in their invitation and submits. Ana: yes to
    //    everything on R01, no to everything on R02. Ben: yes on R01; on R02 undecided, except
    //    yes to the fifth criterion's questions.
    browser.window(390, 844).await;
    for (to, answers, last_answers) in [
        ("ana@", json!({"R01": "yes", "R02": "no"}), json!({})),
        (
            "ben@",
            json!({"R01": "yes", "R02": "undecided"}),
            json!({"R02": "yes"}),
        ),
    ] {
        browser.goto(&app.url(&invitation_link(&app, to))).await;
        browser.script(ANSWER, json!([answers, last, last_answers])).await;
        browser.click("button[value=submit]").await;
        browser.wait_for_path("/done").await;
    }
    browser.window(1280, 900).await;

    // 5. The round closes on its confirmation page.
    browser
        .goto(&app.url(&format!("/console/s/{SLUG}/rounds/close")))
        .await;
    browser
        .click(&format!(
            "form[action='/console/s/{SLUG}/rounds/close'] button.primary"
        ))
        .await;
    browser.wait_for_url("done=").await;

    // 6. The ranked table, against the contract's formulas by hand:
    //    R01: every answer yes → every CS = 100, RPS = wRPS = 100, AEA = 1, rank 1.
    //    R02: four criteria have one no and one undecided per question → CS = 100·(0.5)/2 = 25;
    //    the fifth has one no and one yes → CS = 50. RPS = (4·25 + 50)/5 = 30;
    //    wRPS = (4·25 + 1.5·50)/5.5 = 175/5.5 = 31.8181…; AEA = 1/2 (two different answers to
    //    every question); answerability 25 < 60 → below it.
    browser
        .goto(&app.url(&format!("/console/s/{SLUG}/results/1")))
        .await;
    browser.assert_accessible("a CHNRI round's ranked results").await;
    let rows = browser.script(TABLE, json!([])).await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "two research questions: {rows:?}");
    assert_eq!(rows[0][0], "R01", "R01 ranks first: {rows:?}");
    assert_eq!(rows[0][1], "1");
    assert_eq!(rows[1][0], "R02");
    assert_eq!(rows[1][1], "2");
    let aea = |cell: &serde_json::Value| {
        let value = number(cell);
        if value > 1.0 {
            value / 100.0
        } else {
            value
        }
    };
    assert!((number(&rows[0][2]) - 100.0).abs() < 0.05, "{rows:?}");
    assert!((number(&rows[0][3]) - 100.0).abs() < 0.05, "{rows:?}");
    assert!((aea(&rows[0][4]) - 1.0).abs() < 0.005, "{rows:?}");
    assert!((number(&rows[1][2]) - 30.0).abs() < 0.05, "{rows:?}");
    assert!((number(&rows[1][3]) - 175.0 / 5.5).abs() < 0.05, "{rows:?}");
    assert!((aea(&rows[1][4]) - 0.5).abs() < 0.005, "{rows:?}");
    let below = rows[1][5].as_str().unwrap();
    assert!(
        below.contains("answerability") || below.contains("Answerability"),
        "R02 is below answerability's threshold: {rows:?}"
    );
    assert_eq!(rows[0][5], "", "R01 is below no threshold: {rows:?}");
}
