//! A page of ten drawn items on a phone and a desktop, the Settings page's "Guarding against
//! bias" fields and the dashboard's raters per item, with axe-core on each and pictures for
//! docs/screenshots.

use serde_json::json;

use crate::page_order::{create_drawn_study, SLUG};
use crate::support::app::spawn_app;
use crate::support::browser::Browser;
use crate::support::rounds::open_round_with_links;
use crate::support::sign_in::editor_and_viewer;

const OVERFLOW: &str = "const d = document.documentElement; return d.scrollWidth - d.clientWidth;";

#[tokio::test]
async fn a_drawn_page_and_its_settings_in_a_browser() {
    let app = spawn_app().await;
    create_drawn_study(&app);
    editor_and_viewer(&app.db, SLUG);
    let links = open_round_with_links(&app, &mut app.db.get().unwrap(), SLUG);
    let token = links.values().next().unwrap();
    let browser = Browser::start(true).await;

    browser.goto(&app.url(&format!("/r/{token}"))).await;
    let items = browser
        .script(
            "return document.querySelectorAll('fieldset.item').length",
            json!([]),
        )
        .await;
    assert_eq!(items, json!(10), "ten items of the round's 34");
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        assert_eq!(browser.script(OVERFLOW, json!([])).await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("a drawn page at {width} px"))
            .await;
        browser
            .picture(&format!("expert-subset-{width}"), "fieldset.item")
            .await;
    }

    browser.sign_in(&app, "ed@example.org").await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/settings")))
            .await;
        assert_eq!(browser.script(OVERFLOW, json!([])).await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("the Settings page at {width} px"))
            .await;
        browser.picture(&format!("setup-bias-{width}"), "#bias").await;
        browser.goto(&app.url(&format!("/console/s/{SLUG}"))).await;
        assert_eq!(browser.script(OVERFLOW, json!([])).await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("the dashboard at {width} px"))
            .await;
        browser
            .picture(&format!("dashboard-raters-{width}"), "#raters")
            .await;
    }
}
