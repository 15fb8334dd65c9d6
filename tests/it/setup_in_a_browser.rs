//! The study set-up form, Settings and Translations in a real browser, with JavaScript (the slug
//! follows the title, the time zone is the browser's) and axe-core on every page.

use serde_json::json;

use crate::support::app::spawn_app;
use crate::support::browser::Browser;
use crate::support::sign_in::add_named_facilitator;

#[tokio::test]
async fn a_study_is_set_up_translated_and_changed_in_a_browser() {
    let app = spawn_app().await;
    add_named_facilitator(&app.db, "res@example.org", "Rea Searcher");
    let browser = Browser::start(true).await;
    browser.sign_in(&app, "res@example.org").await;

    browser.goto(&app.url("/console/new")).await;
    browser.assert_accessible("the new-study page").await;
    browser.click("a[href='/console/new/form?start=blank']").await;
    browser.wait_for_path("/console/new/form?start=blank").await;
    browser.assert_accessible("the blank set-up form").await;
    let zone = browser
        .script("return document.querySelector('#f-timezone').value", json!([]))
        .await;
    assert_eq!(zone, "UTC", "the browser's time zone is filled in");

    // Saved with problems: listed at once, each a link to its field.
    browser
        .script(
            "document.querySelector('#f-rounds-max').value = 'three'",
            json!([]),
        )
        .await;
    browser.click("button[value=save]").await;
    browser.wait_for_text("There is a problem").await;
    browser
        .assert_accessible("the set-up form with its problems")
        .await;
    browser.click("#errors a[href='#f-title']").await;

    browser.click("#f-title").await;
    browser.keys("Nutrition during breastfeeding").await;
    let slug = browser
        .script("return document.querySelector('#f-slug').value", json!([]))
        .await;
    assert_eq!(
        slug, "nutrition-during-breastfeeding",
        "the slug follows the title"
    );
    browser
        .script("document.querySelector('#f-rounds-max').value = '2'", json!([]))
        .await;
    browser.click("#f-languages-1").await;
    browser.click("button[value=save]").await;
    browser
        .wait_for_path("/console/s/nutrition-during-breastfeeding?done=created")
        .await;

    browser
        .goto(&app.url("/console/s/nutrition-during-breastfeeding/settings"))
        .await;
    browser.assert_accessible("the settings page").await;
    browser
        .goto(&app.url("/console/s/nutrition-during-breastfeeding/translations"))
        .await;
    browser.assert_accessible("the translations page").await;
    browser.click("#t-section_items").await;
    browser.keys("Éléments").await;
    browser.click("form.translations button.primary").await;
    browser.wait_for_text("One translation saved.").await;
    browser
        .assert_accessible("the translations page after saving")
        .await;
}
