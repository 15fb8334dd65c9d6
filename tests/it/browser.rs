//! Pages in a real headless Chromium, driven over WebDriver (chromedriver), with an axe-core
//! accessibility check. Opt-in: `cargo test --features browser-tests` with Debian's `chromium`
//! and `chromium-driver` installed and axe-core's `axe.min.js` at `$DELPHI_AXE_JS` (`.ci/run`
//! installs all three). A plain `cargo test` does not compile these tests.

use serde_json::json;

use crate::support::app::spawn_app;
use crate::support::browser::Browser;

#[tokio::test]
async fn home_page_in_a_real_browser_has_no_serious_accessibility_violations() {
    let app = spawn_app().await;
    let browser = Browser::start(true).await;
    browser.goto(&app.url("/")).await;
    assert!(browser.source().await.contains("What to do next"));
    browser.assert_accessible("the home page").await;
    // The skip link is the first stop for keyboard users.
    browser.keys("\u{E004}").await;
    let focused = browser
        .script("return document.activeElement.className", json!([]))
        .await;
    assert_eq!(focused, "skip");

    // With scripts off (WebDriver cannot run scripts then either: only navigation and source).
    let no_js = Browser::start(false).await;
    no_js.goto(&app.url("/")).await;
    assert!(no_js.source().await.contains("What to do next"));
}

mod rating_page {
    use std::collections::HashMap;
    use std::time::Duration;

    use delphi::db::models::ratings::Rating;
    use serde_json::json;

    use crate::support::app::{spawn_app, TestApp};
    use crate::support::browser::Browser;
    use crate::support::fixtures::SLUG;
    use crate::support::rounds::{current_round, load_demo, open_round_with_links, run_round_one};

    /// The first expert's link and id, with the example study's round 1 open.
    fn round_one(app: &TestApp) -> (i64, String) {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
        let links: HashMap<i64, String> = open_round_with_links(app, &mut conn, SLUG);
        let (expert, token) = links.into_iter().min().unwrap();
        (expert, token)
    }

    fn saved(app: &TestApp, expert: i64) -> Vec<(i64, Option<i32>)> {
        let mut conn = app.db.get().unwrap();
        let round = current_round(&mut conn, SLUG).id;
        Rating::of_expert(&mut conn, round, expert)
            .unwrap()
            .into_iter()
            .map(|r| (r.item_id, r.score))
            .collect()
    }

    #[tokio::test]
    async fn keyboard_only_answering_autosaves_and_passes_axe() {
        let app = spawn_app().await;
        let (expert, token) = round_one(&app);
        let browser = Browser::start(true).await;
        browser.goto(&app.url(&format!("/r/{token}"))).await;
        browser.assert_accessible("the rating page").await;

        // Tab until the first radio button has the focus, as a keyboard user would.
        let mut on_radio = false;
        for _ in 0..60 {
            browser.keys("\u{E004}").await;
            let kind = browser
                .script("return document.activeElement.type || ''", json!([]))
                .await;
            if kind == "radio" {
                on_radio = true;
                break;
            }
        }
        assert!(on_radio, "a radio button is reachable with Tab");
        // Space picks the focused option; the right arrow moves to (and picks) the next one.
        browser.keys(" \u{E014}").await;
        let picked = browser
            .script(
                "return document.activeElement.name + '=' + document.activeElement.value",
                json!([]),
            )
            .await;
        assert_eq!(picked, "s_M01=2");
        // Autosave: the answer reaches the database without pressing any button.
        let mut stored = Vec::new();
        for _ in 0..50 {
            stored = saved(&app, expert);
            if stored.iter().any(|(_, score)| *score == Some(2)) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(stored.len(), 1, "exactly the one answer given: {stored:?}");
        assert_eq!(stored[0].1, Some(2));
        let status = browser
            .script(
                "return document.querySelector('#i-M01 .st').textContent",
                json!([]),
            )
            .await;
        let expected = browser
            .script(
                "return document.getElementById('rating').dataset.saved",
                json!([]),
            )
            .await;
        assert_eq!(
            status, expected,
            "the item says it was saved, in the expert's language"
        );
    }

    #[tokio::test]
    async fn the_form_works_with_javascript_off() {
        let app = spawn_app().await;
        let (expert, token) = round_one(&app);
        let browser = Browser::start(false).await;
        browser.goto(&app.url(&format!("/r/{token}"))).await;
        browser.click("input[name=\"s_M01\"][value=\"7\"]").await;
        browser.click("input[name=\"s_M02\"][value=\"U\"]").await;
        // Scripts really are off: with them, autosave would have stored the answers by now.
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert!(
            saved(&app, expert).is_empty(),
            "nothing is saved before the form is posted"
        );
        browser.click("button[value=\"save\"]").await;
        // The click starts a navigation; wait for the page it lands on, with a saved notice.
        browser.wait_for_text("class=\"notice\"").await;
        let mut stored = saved(&app, expert);
        stored.sort();
        assert_eq!(stored.len(), 2);
        assert!(stored.iter().any(|(_, s)| *s == Some(7)));
        assert!(
            stored.iter().any(|(_, s)| s.is_none()),
            "unable to score is stored without a score"
        );
    }

    #[tokio::test]
    async fn round_two_feedback_passes_axe() {
        let app = spawn_app().await;
        let links = {
            let mut conn = app.db.get().unwrap();
            load_demo(&mut conn);
            run_round_one(&app, &mut conn)
        };
        let token = links.values().next().unwrap().clone();
        let browser = Browser::start(true).await;
        browser.goto(&app.url(&format!("/r/{token}"))).await;
        assert!(
            browser.source().await.contains("<svg"),
            "round 2 shows the group's distribution"
        );
        browser.assert_accessible("the round-2 page").await;
    }
}

/// Issue 5's walk through the facilitator console in a real browser: sign in, create the
/// example study by upload, import a small panel with a preview, open round 1 after its
/// preview, watch the dashboard count an expert's submission without a reload (console.js),
/// close the round and read the results; axe-core on every console and expert page visited.
mod console_walk {
    use std::path::Path;

    use delphi::db::models::outbox::OutboxEmail;
    use delphi::db::models::studies::StudyRow;
    use serde_json::json;

    use crate::support::app::{spawn_app_keeping_emails, TestApp};
    use crate::support::browser::Browser;
    use crate::support::fixtures::{example, example_toml};
    use crate::support::mail::link_token;
    use crate::support::sign_in::{add_administrator, PASSWORD};

    const SLUG: &str = "walk-study";

    /// The files the facilitator uploads: the example study (under another slug, without its
    /// panel, which is imported afterwards), its items, and a panel of three experts.
    fn files(dir: &Path) -> (String, String, String) {
        let toml = example_toml(SLUG).replace("panel = \"panel.csv\"\n", "");
        let study = dir.join("study.toml");
        std::fs::write(&study, toml).unwrap();
        let items = dir.join("items.csv");
        std::fs::copy(example("items.csv"), &items).unwrap();
        let panel = dir.join("small-panel.csv");
        std::fs::write(
            &panel,
            "email,name,group,country,language\n\
             ana@example.org,Ana Expert,researcher,KE,en\n\
             ben@example.org,Ben Expert,clinician,SN,en\n\
             cai@example.org,Cai Expert,programme,FR,en\n",
        )
        .unwrap();
        let path = |p: std::path::PathBuf| p.display().to_string();
        (path(study), path(items), path(panel))
    }

    /// The personal links of the invitations.
    fn invitation_tokens(app: &TestApp) -> Vec<String> {
        let mut conn = app.db.get().unwrap();
        let study = StudyRow::by_slug(&mut conn, SLUG).unwrap().unwrap();
        OutboxEmail::all(&mut conn, Some(study.id))
            .unwrap()
            .into_iter()
            .filter(|e| e.idempotency_key.starts_with("invitation:"))
            .map(|e| link_token(&app.database, &e, "/r/"))
            .collect()
    }

    fn text_of(selector: &str) -> String {
        format!(
            "const e = document.querySelector({}); return e ? e.textContent.trim() : null",
            json!(selector)
        )
    }

    #[tokio::test]
    async fn create_import_open_answer_close_and_see_results_with_axe() {
        // Invitations stay in the outbox, where the test reads the experts' links.
        let app = spawn_app_keeping_emails().await;
        add_administrator(&app.db, "fac@example.org", "Fay Facilitator");
        let (study_file, items_file, panel_file) = files(app.database.dir.path());
        let browser = Browser::start(true).await;

        // Sign in.
        browser.goto(&app.url("/login")).await;
        browser.assert_accessible("the sign-in page").await;
        browser.send_keys("#email", "fac@example.org").await;
        browser.send_keys("#password", PASSWORD).await;
        browser.click("button[type=submit]").await;
        browser.wait_for_path("/console").await;
        browser.assert_accessible("the console's home").await;

        // Create the example study by upload.
        browser.goto(&app.url("/console/new")).await;
        browser.assert_accessible("the new-study page").await;
        browser.click("details > summary").await;
        browser.send_keys("#study", &study_file).await;
        browser.send_keys("#items", &items_file).await;
        browser
            .click("form[action='/console/new'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=created"))
            .await;
        browser.assert_accessible("the new study's page").await;

        // Import a small panel: preview, then confirm.
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/import/panel")))
            .await;
        browser.assert_accessible("the panel import page").await;
        browser.send_keys("#file", &panel_file).await;
        browser
            .click("form[enctype='multipart/form-data'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}/import/panel/preview"))
            .await;
        assert!(browser.source().await.contains("3 to add, 0 to update"));
        browser.assert_accessible("the panel import preview").await;
        browser.click("form.actions button[type=submit]").await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=panel&n=3"))
            .await;

        // The team page and the administrators' accounts page.
        browser.goto(&app.url(&format!("/console/s/{SLUG}/team"))).await;
        assert!(browser.source().await.contains("fac@example.org"));
        browser.assert_accessible("the team page").await;
        browser.goto(&app.url("/console/accounts")).await;
        browser.assert_accessible("the accounts page").await;

        // Preview round 1, then open it from the study page.
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/rounds/preview")))
            .await;
        assert!(browser.source().await.contains("What opening round 1 will do"));
        browser.assert_accessible("the round preview").await;
        browser.goto(&app.url(&format!("/console/s/{SLUG}"))).await;
        browser
            .click("form[action$='/rounds/open'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=opened&n=1"))
            .await;
        assert_eq!(
            browser.script(&text_of("[data-live='invited']"), json!([])).await,
            "3"
        );
        assert_eq!(
            browser
                .script(&text_of("[data-live='submitted']"), json!([]))
                .await,
            "0"
        );
        browser.assert_accessible("the dashboard of an open round").await;

        // An expert answers through the link of their invitation email, in another browser.
        let tokens = invitation_tokens(&app);
        assert_eq!(tokens.len(), 3);
        let expert = Browser::start(true).await;
        expert.goto(&app.url(&format!("/r/{}", tokens[0]))).await;
        expert.assert_accessible("the expert's rating page").await;
        expert.click("input[name=\"s_M01\"][value=\"8\"]").await;
        expert.click("button[value=\"review\"]").await;
        expert
            .wait_until(
                &text_of("form[action$='/submit'] button"),
                &json!("Submit my answers"),
                10,
            )
            .await;
        expert.assert_accessible("the expert's review page").await;
        expert.click("form[action$='/submit'] button").await;
        expert.wait_for_path(&format!("/r/{}/done", tokens[0])).await;
        expert.assert_accessible("the expert's thank-you page").await;

        // The dashboard, loaded before the answer, counts it without a reload (console.js polls
        // every 15 seconds).
        let submitted = browser
            .wait_until(&text_of("[data-live='submitted']"), &json!("1"), 40)
            .await;
        assert_eq!(submitted, "1", "console.js updated the count");
        let rate = browser.script(&text_of("[data-live='rate']"), json!([])).await;
        assert_ne!(rate, "0", "the rate too");
        let updated = browser.script(&text_of("[data-live='updated']"), json!([])).await;
        assert_ne!(updated, "", "and says when");

        // Withdraw asks first, from the dashboard's link; Cancel goes back and changes nothing.
        browser.click("a[href$='/experts/E002/withdraw']").await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}/experts/E002/withdraw"))
            .await;
        assert!(browser.source().await.contains("Withdraw E002 from the study?"));
        browser.assert_accessible("the withdraw confirmation").await;
        browser.click("form.actions a.cancel").await;
        browser.wait_for_path(&format!("/console/s/{SLUG}")).await;
        assert!(
            browser.source().await.contains("/experts/E002/withdraw"),
            "not withdrawn"
        );

        // Extend asks first too; confirming moves it and the notice says to when.
        browser
            .goto(&app.url(&format!(
                "/console/s/{SLUG}/rounds/extend?deadline=2099-03-01T17:00"
            )))
            .await;
        browser.assert_accessible("the extend confirmation").await;
        browser
            .click("form[action$='/rounds/extend'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=extended&n=1"))
            .await;
        assert!(browser
            .source()
            .await
            .contains("The deadline of round 1 is now 2099-03-01 17:00"));
        browser.assert_accessible("the study page with a notice").await;

        // Close the round after the confirmation page, and see its results.
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/rounds/close")))
            .await;
        browser.assert_accessible("the close confirmation").await;
        browser
            .click("form[action$='/rounds/close'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=closed&n=1"))
            .await;
        browser.assert_accessible("the study page after closing").await;
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/results/1")))
            .await;
        let results = browser.source().await;
        assert!(results.contains("M01"), "{results}");
        browser.assert_accessible("the round's results").await;
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/results")))
            .await;
        browser.assert_accessible("the results overview").await;
        browser.goto(&app.url(&format!("/console/s/{SLUG}/audit"))).await;
        browser.assert_accessible("the audit log").await;
    }
}

/// A new server in a browser, without a terminal: the home page leads to set-up, the set-up
/// link makes the first administrator (after a refused try that lists every problem), who invites
/// a colleague; the colleague joins through the emailed link. axe-core on every page.
#[tokio::test]
async fn first_run_invitation_and_joining_in_a_real_browser() {
    use delphi::service::accounts;

    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::mail::{link_token, outbox_emails};

    let app = spawn_app_keeping_emails().await;
    let browser = Browser::start(true).await;
    browser.goto(&app.url("/")).await;
    browser.click("a[href='/setup']").await;
    browser.wait_for_path("/setup").await;
    browser.assert_accessible("the set-up page without a link").await;

    let token = accounts::setup_token(&mut app.db.get().unwrap())
        .unwrap()
        .unwrap();
    browser.goto(&app.url(&format!("/setup/{token}"))).await;
    browser.assert_accessible("the set-up form").await;
    browser.send_keys("#email", "ada").await;
    browser.click("button.primary").await;
    browser.wait_for_text("There is a problem").await;
    browser
        .assert_accessible("the set-up form with its problems")
        .await;
    // The summary's links lead to the fields.
    browser.click("#errors a[href='#name']").await;
    let focused = browser
        .script("return document.activeElement.id || location.hash", json!([]))
        .await;
    assert!(focused == "name" || focused == "#name", "{focused}");

    browser.send_keys("#name", "Ada Lovelace").await;
    browser
        .script("document.querySelector('#email').value = ''", json!([]))
        .await;
    browser.send_keys("#email", "ada@example.org").await;
    browser
        .send_keys("#password", "correct horse battery staple")
        .await;
    browser
        .send_keys("#confirm", "correct horse battery staple")
        .await;
    browser.click("button.primary").await;
    browser.wait_for_path("/console?done=welcome").await;
    browser.assert_accessible("the console after set-up").await;

    browser.goto(&app.url("/console/accounts")).await;
    browser.send_keys("#email", "bea@example.org").await;
    browser
        .click("form[action='/console/accounts/invite'] button.primary")
        .await;
    browser.wait_for_text("The invitation was sent.").await;
    browser
        .assert_accessible("the accounts page with an invitation")
        .await;
    browser.goto(&app.url("/console/profile")).await;
    browser.assert_accessible("your account").await;

    let emails = outbox_emails(&mut app.db.get().unwrap());
    let join = link_token(&app.database, &emails[0], "/join/");
    let colleague = Browser::start(true).await;
    colleague.goto(&app.url(&format!("/join/{join}"))).await;
    colleague.assert_accessible("the join page").await;
    colleague
        .script("document.querySelector('#name').value = ''", json!([]))
        .await;
    colleague.send_keys("#name", "Beatrice Ng").await;
    colleague
        .send_keys("#password", "four unrelated words here")
        .await;
    colleague.send_keys("#confirm", "four unrelated words here").await;
    colleague.click("button.primary").await;
    colleague.wait_for_path("/console?done=welcome").await;
    assert!(colleague.source().await.contains("Signed in as Beatrice Ng"));
}
