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

const OVERFLOW: &str = "const d = document.documentElement; return d.scrollWidth - d.clientWidth;";

/// Whether the fieldset holding `css` is hidden (the method does not use it).
fn hidden(css: &str) -> String {
    format!("return document.querySelector('{css}').closest('[data-methods]').hidden;")
}

#[tokio::test]
async fn a_chnri_study_is_set_up_on_a_phone_in_a_browser() {
    let app = spawn_app().await;
    add_named_facilitator(&app.db, "res@example.org", "Rea Searcher");
    let browser = Browser::start(true).await;
    browser.sign_in(&app, "res@example.org").await;
    browser.viewport(390, 844).await;
    browser.goto(&app.url("/console/new/form?start=blank")).await;
    assert_eq!(browser.script(&hidden("#f-chnri-label-1"), json!([])).await, true);

    // Choosing CHNRI shows its criteria, hides the scale and the rule, and asks one round.
    browser.click("#f-method-1").await;
    assert_eq!(
        browser.script(&hidden("#f-chnri-label-1"), json!([])).await,
        false
    );
    assert_eq!(browser.script(&hidden("#f-scale-0"), json!([])).await, true);
    assert_eq!(browser.script(&hidden("#f-rule-in"), json!([])).await, true);
    assert_eq!(
        browser.script(&hidden("#f-criterion-label-1"), json!([])).await,
        true
    );
    let rounds = browser
        .script("return document.querySelector('#f-rounds-max').value", json!([]))
        .await;
    assert_eq!(rounds, "1");
    assert_eq!(
        browser.script(OVERFLOW, json!([])).await,
        json!(0),
        "wider than a phone"
    );
    browser
        .assert_accessible("the set-up form for a CHNRI study at 390 px")
        .await;
    browser
        .picture("setup-chnri-390", "fieldset[data-methods=chnri]")
        .await;
    browser.viewport(1280, 900).await;
    assert_eq!(browser.script(OVERFLOW, json!([])).await, json!(0));
    browser
        .picture("setup-chnri-1280", "fieldset[data-methods=chnri]")
        .await;
    browser.viewport(390, 844).await;

    browser.click("#f-title").await;
    browser.keys("Research priorities in lactation").await;
    browser.click("#f-chnri-weight-5").await;
    browser
        .script(
            "document.querySelector('#f-chnri-weight-5').value = '1.5'",
            json!([]),
        )
        .await;
    browser.click("button[value=save]").await;
    browser
        .wait_for_path("/console/s/research-priorities-in-lactation?done=created")
        .await;

    browser
        .goto(&app.url("/console/s/research-priorities-in-lactation/settings"))
        .await;
    let method = browser
        .script(
            "return document.querySelector('input[name=method]:checked').value",
            json!([]),
        )
        .await;
    assert_eq!(method, "chnri");
    let weight = browser
        .script(
            "return document.querySelector('#f-chnri-weight-5').value",
            json!([]),
        )
        .await;
    assert_eq!(weight, "1.5", "the settings page shows the criteria as saved");
    assert_eq!(browser.script(&hidden("#f-scale-0"), json!([])).await, true);
    browser
        .assert_accessible("the settings of a CHNRI study at 390 px")
        .await;
}
