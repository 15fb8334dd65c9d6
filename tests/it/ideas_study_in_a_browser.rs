//! An ideas round feeding round 1, clicked through in a browser with no command line: the
//! set-up form with its ideas fieldset, an item and two experts pasted, the ideas round opened
//! from the study page, the experts proposing on a phone through their emailed links, the round
//! closed on the Ideas page, the proposals triaged there (two merged into a new item, one set
//! aside with a reason), round 1 opened with the new item, its provenance on the content page,
//! the new item on an expert's form, and ideas.csv of the data package with every proposal.

use crate::support::browser::Browser;
use crate::support::files::parse_csv;
use crate::support::flows::{
    assert_fits, create_study, fill, invitation_link, package_file, paste_items_and_experts, round, signed_in,
};

const SLUG: &str = "ideas-before-round-one";

/// Decides proposal `code` on the Ideas page: picks `decision`, opens its details and fills
/// `fields`, then submits.
async fn decide(
    browser: &Browser,
    app: &crate::support::app::TestApp,
    code: &str,
    decision: &str,
    fields: &[(&str, &str)],
) {
    let ideas = format!("/console/s/{SLUG}/ideas");
    browser.goto(&app.url(&ideas)).await;
    let form = format!("form[action='{ideas}/{code}']");
    browser
        .click(&format!("{form} input[value=\"{decision}\"]"))
        .await;
    let fields: Vec<(String, &str)> = fields
        .iter()
        .map(|(css, value)| (format!("{form} {css}"), *value))
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(c, v)| (c.as_str(), *v)).collect();
    fill(browser, &fields).await;
    browser.click(&format!("{form} button[type=\"submit\"]")).await;
    browser.wait_for_text("The proposal was processed.").await;
}

#[tokio::test]
async fn an_ideas_round_feeds_round_1_in_a_browser() {
    let (app, browser) = signed_in().await;

    // 1. The set-up form with an ideas round; one item and two experts.
    create_study(
        &browser,
        &app,
        SLUG,
        &["#f-ideas"],
        &[
            ("#f-title", "Ideas before round one"),
            ("#f-group-name-1", "Researchers"),
            ("#f-section-title-1", "Research questions"),
            ("#f-section-key-1", "questions"),
            ("#f-ideas-prompt", "Which research questions are missing?"),
            ("#f-ideas-per-expert", "2"),
        ],
    )
    .await;
    paste_items_and_experts(
        &browser,
        &app,
        SLUG,
        "Q01 | questions | Does iron supplementation during lactation improve maternal haemoglobin?",
        "ana@example.org | Ana Reis | researchers | en\nben@example.org | Ben Okafor | researchers | en",
    )
    .await;

    // 2. The ideas round opens from the study page.
    browser.goto(&app.url(&format!("/console/s/{SLUG}"))).await;
    browser
        .click(&format!("form[action='/console/s/{SLUG}/ideas/open'] button"))
        .await;
    browser.wait_for_url("done=").await;

    // 3. The experts propose on a phone: Ana two questions, Ben one.
    browser.viewport(390, 844).await;
    for (expert, proposals) in [
        (
            "ana@",
            vec![
                ("Iodine status of breastfeeding mothers", "Rarely measured"),
                ("Iodine intake of lactating women", ""),
            ],
        ),
        ("ben@", vec![("Cost of fortified flour in markets", "")]),
    ] {
        browser.goto(&app.url(&invitation_link(&app, expert))).await;
        browser
            .wait_for_text("Which research questions are missing?")
            .await;
        if expert == "ana@" {
            assert_fits(&browser, "the ideas page at 390 px").await;
            browser.assert_accessible("the ideas page").await;
        }
        for (n, (text, why)) in proposals.iter().enumerate() {
            let n = n + 1;
            fill(
                &browser,
                &[
                    (&format!("#t_questions_{n}"), *text),
                    (&format!("#w_questions_{n}"), *why),
                ],
            )
            .await;
        }
        browser.click("button[value=\"save\"]").await;
        browser.wait_for_url("saved").await;
    }

    // 4. The facilitator closes the ideas round and triages: P001 and P002 merged into a new
    //    item Q02, P003 set aside as out of scope.
    browser.viewport(1280, 900).await;
    let ideas = format!("/console/s/{SLUG}/ideas");
    browser.goto(&app.url(&ideas)).await;
    browser
        .wait_for_text("3 proposals received, 3 not processed yet")
        .await;
    browser
        .click(&format!("form[action='{ideas}/close'] button"))
        .await;
    browser.wait_for_url("done=").await;
    decide(
        &browser,
        &app,
        "P001",
        "new",
        &[
            ("input[name=code]", "Q02"),
            (
                "textarea[name=text]",
                "What is the iodine status and intake of lactating women?",
            ),
        ],
    )
    .await;
    decide(
        &browser,
        &app,
        "P002",
        "existing",
        &[("select[name=into]", "Q02")],
    )
    .await;
    decide(
        &browser,
        &app,
        "P003",
        "aside",
        &[
            ("select[name=reason]", "out_of_scope"),
            ("input[name=source]", "Market prices are outside this study"),
        ],
    )
    .await;
    let page = browser
        .wait_for_text("3 proposals received, 0 not processed yet")
        .await;
    assert!(page.contains("merged into Q02"), "the merged outcome shows");
    assert_fits(&browser, "the triaged Ideas page").await;
    browser.assert_accessible("the triaged Ideas page").await;
    browser.picture("ideas-flow-triaged-1280", "main").await;

    // 5. Round 1 opens with the new item; its provenance shows on the content page, and an
    //    expert's form asks it.
    round(&browser, &app, SLUG, "open").await;
    browser
        .goto(&app.url(&format!("/console/s/{SLUG}/content")))
        .await;
    browser.wait_for_text("from proposals P001, P002").await;
    browser.viewport(390, 844).await;
    browser.goto(&app.url(&invitation_link(&app, "ben@"))).await;
    let form = browser
        .wait_for_text("What is the iodine status and intake of lactating women?")
        .await;
    assert!(form.contains("name=\"s_Q02\""), "round 1 asks the new item");
    assert_fits(&browser, "round 1's form with the new item at 390 px").await;

    // 6. ideas.csv has every proposal with its outcome.
    browser.viewport(1280, 900).await;
    let csv = package_file(&browser, &app, SLUG, "ideas.csv").await;
    let (_, rows) = parse_csv(&csv);
    let outcomes: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["proposal"].as_str(),
                r["outcome"].as_str(),
                r["item_code"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("P001", "merged", "Q02"),
            ("P002", "merged", "Q02"),
            ("P003", "out_of_scope", "")
        ],
        "{csv}"
    );
    assert_eq!(rows[0]["text"], "Iodine status of breastfeeding mothers");
    assert_eq!(rows[0]["rationale"], "Rarely measured");
}
