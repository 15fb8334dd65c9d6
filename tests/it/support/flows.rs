//! The steps the clicked whole-study flows share (`*_study_in_a_browser`): a field filled as
//! typing would fill it, a study created on the set-up form, items and experts pasted, a round
//! opened or closed from the console, the personal link in an expert's newest invitation, a
//! check that nothing scrolls sideways, and a file of the data package fetched with the
//! browser's session (the only thing read outside the pages, to check the figures).

use serde_json::json;

use crate::support::app::{spawn_app_keeping_emails, TestApp};
use crate::support::browser::Browser;
use crate::support::files::unzip;
use crate::support::mail::{decoded, outbox_emails, token_after};
use crate::support::sign_in::add_named_facilitator;

/// The facilitator of the flows.
pub const FACILITATOR: &str = "fac@example.org";

/// A server that keeps its emails, and a browser at a laptop's width signed in as
/// `FACILITATOR`.
pub async fn signed_in() -> (TestApp, Browser) {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, FACILITATOR, "Fa Cilitator");
    let browser = Browser::start(true).await;
    browser.viewport(1280, 900).await;
    browser.sign_in(&app, FACILITATOR).await;
    (app, browser)
}

/// Sets a field's value as typing would, so the form's scripts see it.
pub const SET: &str = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                       e.dispatchEvent(new Event('input', { bubbles: true }));";

/// Fills fields (CSS selector, value) as typing would.
pub async fn fill(browser: &Browser, fields: &[(&str, &str)]) {
    for (css, value) in fields {
        browser.script(SET, json!([css, value])).await;
    }
}

/// The set-up form from a blank start: `clicks` (radios, checkboxes) then `fields`, saved;
/// waits for the new study's page at `/console/s/{slug}`.
pub async fn create_study(
    browser: &Browser,
    app: &TestApp,
    slug: &str,
    clicks: &[&str],
    fields: &[(&str, &str)],
) {
    browser.goto(&app.url("/console/new/form?start=blank")).await;
    for css in clicks {
        browser.click(css).await;
    }
    fill(browser, fields).await;
    browser.click("button[value=save]").await;
    browser
        .wait_for_path(&format!("/console/s/{slug}?done=created"))
        .await;
}

/// Items (`CODE | section | text` lines) pasted on the content page, and experts
/// (`email | name | group | language` lines) on the panel page.
pub async fn paste_items_and_experts(
    browser: &Browser,
    app: &TestApp,
    slug: &str,
    items: &str,
    experts: &str,
) {
    browser
        .goto(&app.url(&format!("/console/s/{slug}/content")))
        .await;
    fill(browser, &[("#paste-lines", items)]).await;
    browser.click("#paste button").await;
    browser.wait_for_url("done=pasted").await;
    browser.goto(&app.url(&format!("/console/s/{slug}/panel"))).await;
    fill(browser, &[("#paste-experts", experts)]).await;
    browser.click("#paste button.primary").await;
    browser.wait_for_url("done=pasted").await;
}

/// Opens the next rating round from the study page (`kind` "ranking": the ranking round), or
/// with `close`, closes the open round on its confirmation page.
pub async fn round(browser: &Browser, app: &TestApp, slug: &str, action: &str) {
    let form = format!(
        "form[action='/console/s/{slug}/rounds/{}']",
        action.replace("ranking", "open")
    );
    let (page, button) = match action {
        "open" => (
            format!("/console/s/{slug}"),
            format!("{form}:not(:has(input[name=kind])) button.primary"),
        ),
        "ranking" => (
            format!("/console/s/{slug}"),
            format!("{form}:has(input[value=ranking]) button"),
        ),
        _ => (
            format!("/console/s/{slug}/rounds/{action}"),
            format!("{form} button.primary"),
        ),
    };
    browser.goto(&app.url(&page)).await;
    browser.click(&button).await;
    browser.wait_for_url("done=").await;
}

/// The personal link (`/r/TOKEN`) of the newest invitation emailed to an address containing `to`.
pub fn invitation_link(app: &TestApp, to: &str) -> String {
    let mut conn = app.db.get().unwrap();
    let email = outbox_emails(&mut conn)
        .into_iter()
        .rev()
        .find(|e| e.recipient.contains(to) && e.idempotency_key.starts_with("invitation:"))
        .unwrap_or_else(|| panic!("no invitation to {to}"));
    format!("/r/{}", token_after(&decoded(&email.body_text), "/r/"))
}

/// Asserts that the page does not scroll sideways, naming the first elements wider than the
/// screen (a table may scroll in its own box).
pub async fn assert_fits(browser: &Browser, what: &str) {
    let seen = browser
        .script(
            "const d = document.documentElement; \
             const wide = [...document.body.querySelectorAll('*')] \
               .filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.right > d.clientWidth + 1 || r.left < -1); }) \
               .filter(e => !e.closest('.skip, .visually-hidden') && !e.parentElement.closest('table, pre, .scroll')) \
               .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className); \
             return { overflow: d.scrollWidth - d.clientWidth, wide };",
            json!([]),
        )
        .await;
    assert_eq!(
        seen["overflow"],
        json!(0),
        "{what} scrolls sideways: {}",
        seen["wide"]
    );
}

/// The file `name` of the study's data package, fetched with the
/// browser's session.
pub async fn package_file(browser: &Browser, app: &TestApp, slug: &str, name: &str) -> String {
    let cookie = browser.cookie("delphi_session").await;
    let response = reqwest::Client::new()
        .get(app.url(&format!("/console/s/{slug}/export/package.zip")))
        .header("Cookie", format!("delphi_session={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the data package");
    let files = unzip(&response.bytes().await.unwrap());
    files
        .iter()
        .find(|(file, _)| *file == name || file.ends_with(&format!("/{name}")))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_else(|| panic!("no {name} in the package: {:?}", files.keys()))
}

/// An expert opens their link, clicks each `(field, score)` (`CODE` or `CODE~criterion`), goes
/// to the review page and submits.
pub async fn rate(browser: &Browser, app: &TestApp, link: &str, scores: &[(String, &str)]) {
    browser.goto(&app.url(link)).await;
    for (field, score) in scores {
        browser
            .click(&format!(
                "label:has(> input[name=\"s_{field}\"][value=\"{score}\"])"
            ))
            .await;
    }
    browser.click("button[value=review]").await;
    browser.wait_for_text("/submit").await;
    browser.click("form[action$='/submit'] button").await;
    browser.wait_for_path("/done").await;
}
