//! The expert's page of a CHNRI round in a browser: at a phone's 390 px and a laptop's 1280 px
//! nothing is wider than the screen and axe-core finds no serious or critical violation; with
//! JavaScript an answer saves itself, without it Save keeps the answers; the console's "preview
//! as an expert" shows the same page on a phone. (axe-core runs with
//! JavaScript on: the page is the same markup either way.)

use serde_json::json;

use crate::support::app::spawn_app;
use crate::support::browser::Browser;
use crate::support::cli::Cli;
use crate::support::rounds::open_round_with_links;
use crate::support::sign_in::add_owner;

const SLUG: &str = "chnri-lactation";

const OVERFLOW: &str = "const d = document.documentElement; return d.scrollWidth - d.clientWidth;";

#[tokio::test]
async fn chnri_in_a_browser() {
    let app = spawn_app().await;
    // The example with its first two items: every item's markup is the same, and axe-core's
    // time grows with the number of answers on the page.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chnri-lactation");
    let text = std::fs::read_to_string(dir.join("study.toml")).unwrap();
    let cut = text.find("[[item]]\ncode = \"R03\"").unwrap();
    let study = app.database.dir.path().join("study.toml");
    std::fs::write(&study, &text[..cut]).unwrap();
    std::fs::copy(dir.join("panel.csv"), app.database.dir.path().join("panel.csv")).unwrap();
    Cli::new(&app.database)
        .quiet()
        .ok(&["study", "create", study.to_str().unwrap()]);
    let links = {
        let mut conn = app.db.get().unwrap();
        open_round_with_links(&app, &mut conn, SLUG)
    };
    let mut tokens: Vec<&String> = links.values().collect();
    tokens.sort();
    let (first, second) = (tokens[0].clone(), tokens[1].clone());

    let browser = Browser::start(true).await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser.goto(&app.url(&format!("/r/{first}"))).await;
        let overflow = browser.script(OVERFLOW, json!([])).await;
        assert_eq!(
            overflow,
            json!(0),
            "the CHNRI page at {width} px is wider than the screen"
        );
        browser
            .assert_accessible(&format!("the CHNRI page at {width} px"))
            .await;
        browser.picture(&format!("chnri-en-{width}"), ".item.chnri").await;
    }
    // With JavaScript: choosing an answer saves it and moves the counter.
    browser
        .click("input[name='q.R01.answerability.1'][value='undecided']")
        .await;
    browser
        .wait_until(
            "return document.getElementById('progress').textContent;",
            &json!("1 of 24 questions answered"),
            5,
        )
        .await;
    browser.goto(&app.url(&format!("/r/{first}"))).await;
    let checked = browser
        .script(
            "return document.querySelector(\"input[name='q.R01.answerability.1']:checked\").value;",
            json!([]),
        )
        .await;
    assert_eq!(checked, json!("undecided"));
    drop(browser);

    // Without JavaScript: Save posts the page and the answer is kept.
    let browser = Browser::start(false).await;
    browser.goto(&app.url(&format!("/r/{second}"))).await;
    browser
        .click("input[name='q.R02.equity.2'][value='dont_know']")
        .await;
    browser.click("button[value='save']").await;
    browser.wait_for_url("saved=1").await;
    let checked = browser
        .script(
            "return document.querySelector(\"input[name='q.R02.equity.2']:checked\").value;",
            json!([]),
        )
        .await;
    assert_eq!(checked, json!("dont_know"));
    drop(browser);

    // The console's "preview as an expert" of the round, on a phone: the CHNRI page.
    add_owner(&app.db, SLUG, "ada@example.org");
    let browser = Browser::start(true).await;
    browser.sign_in(&app, "ada@example.org").await;
    browser.viewport(390, 844).await;
    browser
        .goto(&app.url(&format!("/console/s/{SLUG}/preview")))
        .await;
    let html = browser.wait_for_text("preview-bar").await;
    assert!(
        html.contains("id=\"chnri\"") && html.contains("value=\"dont_know\""),
        "{html}"
    );
    let overflow = browser.script(OVERFLOW, json!([])).await;
    assert_eq!(
        overflow,
        json!(0),
        "the CHNRI preview at 390 px is wider than the screen"
    );
    browser.assert_accessible("the CHNRI preview at 390 px").await;
    browser.picture("chnri-preview-en-390", ".preview-bar").await;
}
