//! Ideas before round 1 in a real browser: an expert proposes on a phone (390 px) with
//! JavaScript on, the draft saving as they type; the facilitator then triages at 1280 px. Every
//! page passes axe-core and nothing is wider than the screen.

use delphi::service::ideas;
use serde_json::json;

use crate::support::app::spawn_app_keeping_emails;
use crate::support::browser::Browser;
use crate::support::fixtures::{create_study_from, example_study_in};
use crate::support::rounds::{close_round, experts, open_ideas_round, speaking};
use crate::support::sign_in::{add_facilitator, grant};

const SLUG: &str = "ideas-browser";
const OVERFLOW: &str = "return document.documentElement.scrollWidth - document.documentElement.clientWidth";

#[tokio::test]
async fn ideas_in_a_browser() {
    let app = spawn_app_keeping_emails().await;
    let path = example_study_in(app.database.dir.path(), SLUG);
    let toml = std::fs::read_to_string(&path).unwrap().replacen(
        "[translations.fr]\n",
        "[ideas]\nprompt = \"Which indicators or research questions are missing?\"\nper_expert = 2\n\n[translations.fr]\n",
        1,
    );
    std::fs::write(&path, toml).unwrap();
    create_study_from(&app.db, &path, None);
    add_facilitator(&app.db, "ed@example.org");
    grant(
        &app.db,
        SLUG,
        "ed@example.org",
        delphi::domain::role::Role::Editor,
    );
    let token = {
        let mut conn = app.db.get().unwrap();
        let links = open_ideas_round(&app, &mut conn, SLUG);
        links[&speaking(&experts(&mut conn, SLUG), "en").id].clone()
    };

    // The expert, on a phone.
    let browser = Browser::start(true).await;
    browser.viewport(390, 844).await;
    browser.goto(&app.url(&format!("/r/{token}"))).await;
    browser
        .wait_for_text("Which indicators or research questions are missing?")
        .await;
    assert_eq!(
        browser.script(OVERFLOW, json!([])).await,
        json!(0),
        "nothing wider than a phone"
    );
    browser.assert_accessible("the ideas page at 390 px").await;
    browser.picture("ideas-en-390", "main form").await;
    browser.click("#t_research_1").await;
    browser.keys("Iodine status of breastfeeding mothers").await;
    // The draft is saved a moment after typing stops, without pressing Save.
    let status = browser
        .wait_until(
            "return document.getElementById('ideas-status').textContent",
            &json!("Saved"),
            10,
        )
        .await;
    assert_eq!(status, json!("Saved"));
    let saved = {
        let mut conn = app.db.get().unwrap();
        ideas::list(&mut conn, SLUG).unwrap()
    };
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(saved[0].text, "Iodine status of breastfeeding mothers");
    // A reason alone is refused in an error summary, the text kept.
    browser.click("#w_maternal_1").await;
    browser.keys("Only a reason").await;
    browser.click("button[value=\"save\"]").await;
    let page = browser.wait_for_text("Your proposals were not saved").await;
    assert!(page.contains("Only a reason"));
    browser.assert_accessible("the ideas page with an error").await;
    drop(browser);

    close_round(&mut app.db.get().unwrap(), SLUG);

    // The facilitator, on a laptop.
    let browser = Browser::start(true).await;
    browser.viewport(1280, 900).await;
    browser.sign_in(&app, "ed@example.org").await;
    browser.goto(&app.url(&format!("/console/s/{SLUG}/ideas"))).await;
    browser
        .wait_for_text("1 proposal received, 1 not processed yet")
        .await;
    assert_eq!(browser.script(OVERFLOW, json!([])).await, json!(0));
    browser
        .assert_accessible("the ideas triage page at 1280 px")
        .await;
    browser.picture("ideas-triage-en-1280", "main form").await;
    browser
        .click("form[action$=\"/ideas/P001\"] input[value=\"existing\"]")
        .await;
    browser
        .click("form[action$=\"/ideas/P001\"] button[type=\"submit\"]")
        .await;
    browser.wait_for_text("The proposal was processed.").await;
    browser
        .wait_for_text("1 proposal received, 0 not processed yet")
        .await;
    browser
        .assert_accessible("the ideas triage page after a merge")
        .await;
    browser
        .goto(&app.url(&format!("/console/s/{SLUG}/content")))
        .await;
    browser.wait_for_text("from proposals P001").await;
}
