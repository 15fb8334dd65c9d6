//! Pages in a real headless Chromium, driven over WebDriver (chromedriver), with an axe-core
//! accessibility check. Opt-in: `cargo test --features browser-tests` with Debian's `chromium`
//! and `chromium-driver` installed and axe-core's `axe.min.js` at `$DELPHI_AXE_JS` (`.ci/run`
//! installs all three). A plain `cargo test` does not compile these tests.

#![allow(dead_code)] // A small WebDriver client; each page's tests use a different part of it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::app::spawn_app;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session, both ended on drop.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium session. `javascript` false
    /// turns scripts off for the whole session, as a user with JavaScript disabled would have.
    pub async fn start(javascript: bool) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver_path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_path} (install chromium-driver): {e}"));
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let args = vec![
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=390,844",
        ];
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut prefs = json!({});
        if !javascript {
            prefs = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": binary, "args": args, "prefs": prefs }
        }}});
        let response: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("session JSON");
        let session = response["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {response}"))
            .to_string();
        Browser {
            driver,
            base,
            session,
            http,
        }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let request = self.http.request(method, url);
        let request = if body.is_null() {
            request
        } else {
            request.json(&body)
        };
        let value: Value = request
            .send()
            .await
            .expect("webdriver request")
            .json()
            .await
            .expect("webdriver JSON");
        if let Some(error) = value["value"]["error"].as_str() {
            panic!("webdriver {path}: {error}: {}", value["value"]["message"]);
        }
        value["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", json!({ "url": url }))
            .await;
    }

    pub async fn source(&self) -> String {
        self.command(reqwest::Method::GET, "/source", Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The id of the first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> String {
        let value = self
            .command(
                reqwest::Method::POST,
                "/element",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        value[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {value}"))
            .to_string()
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.command(reqwest::Method::POST, &format!("/element/{id}/click"), json!({}))
            .await;
    }

    /// Types into an element; for a file input, `text` is the path of the file to choose.
    pub async fn send_keys(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    /// Waits (up to `seconds`) until `script` returns `expected`; returns what it last returned.
    pub async fn wait_until(&self, script: &str, expected: &Value, seconds: u64) -> Value {
        let mut last = Value::Null;
        for _ in 0..seconds * 10 {
            last = self.script(script, json!([])).await;
            if &last == expected {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        last
    }

    /// Waits until the page's address ends with `suffix` (after a click that navigates).
    pub async fn wait_for_path(&self, suffix: &str) {
        let script = format!(
            "return (location.pathname + location.search).endsWith({})",
            json!(suffix)
        );
        let reached = self.wait_until(&script, &json!(true), 10).await;
        let at = self.script("return location.href", json!([])).await;
        assert_eq!(reached, json!(true), "expected to reach …{suffix}, at {at}");
    }

    /// Presses keys on whatever has the focus, as a keyboard-only user does. Use WebDriver key
    /// codes for special keys: Tab is "\u{E004}", Space " ", arrow right "\u{E014}".
    pub async fn keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for key in keys.chars() {
            actions.push(json!({ "type": "keyDown", "value": key.to_string() }));
            actions.push(json!({ "type": "keyUp", "value": key.to_string() }));
        }
        self.command(
            reqwest::Method::POST,
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await;
    }

    pub async fn script(&self, script: &str, args: Value) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
        .await
    }

    /// Runs axe-core on the current page and returns the serious and critical violations.
    pub async fn axe_violations(&self) -> Vec<Value> {
        let path = std::env::var("DELPHI_AXE_JS").expect("DELPHI_AXE_JS points at axe.min.js");
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        // Injected through WebDriver, not a <script> tag, so the page's CSP stays as it is.
        self.script(&source, json!([])).await;
        let result = self
            .command(
                reqwest::Method::POST,
                "/execute/async",
                json!({
                    "script": "const done = arguments[arguments.length - 1]; \
                               axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }) \
                                  .then(r => done(r.violations)).catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e) }]));",
                    "args": []
                }),
            )
            .await;
        result
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

pub fn describe(violations: &[Value]) -> String {
    violations
        .iter()
        .map(|v| format!("{} ({}): {}", v["id"], v["impact"], v["help"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn home_page_in_a_real_browser_has_no_serious_accessibility_violations() {
    let app = spawn_app().await;
    let browser = Browser::start(true).await;
    browser.goto(&app.url("/")).await;
    assert!(browser.source().await.contains("What to do next"));
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "axe-core:\n{}", describe(&violations));
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
    use delphi::service::{demo, Actor};
    use serde_json::json;

    use super::{describe, Browser};
    use crate::expert_pages::{open_round, open_round_id, run_round_one};
    use crate::support::app::spawn_app;

    /// The first expert's link and id, with the example study's round 1 open.
    fn round_one(app: &crate::support::app::TestApp) -> (i64, String) {
        let mut conn = app.db.get().unwrap();
        demo::load(&mut conn, &Actor("browser".into())).unwrap();
        let links: HashMap<i64, String> = open_round(app, &mut conn, "lmn-2024");
        let (expert, token) = links.into_iter().min().unwrap();
        (expert, token)
    }

    fn saved(app: &crate::support::app::TestApp, expert: i64) -> Vec<(i64, Option<i32>)> {
        let mut conn = app.db.get().unwrap();
        let round = open_round_id(&mut conn);
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
        let violations = browser.axe_violations().await;
        assert!(
            violations.is_empty(),
            "axe-core on the rating page:\n{}",
            describe(&violations)
        );

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
        // The click starts a navigation; wait for the page it lands on.
        let mut page = String::new();
        for _ in 0..50 {
            page = browser.source().await;
            if page.contains("class=\"notice\"") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            page.contains("class=\"notice\""),
            "a saved notice after the plain form post"
        );
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
            demo::load(&mut conn, &Actor("browser".into())).unwrap();
            run_round_one(&app, &mut conn)
        };
        let token = links.values().next().unwrap().clone();
        let browser = Browser::start(true).await;
        browser.goto(&app.url(&format!("/r/{token}"))).await;
        assert!(
            browser.source().await.contains("<svg"),
            "round 2 shows the group's distribution"
        );
        let violations = browser.axe_violations().await;
        assert!(
            violations.is_empty(),
            "axe-core on the round-2 page:\n{}",
            describe(&violations)
        );
    }
}

/// Issue 5's walk through the facilitator console in a real browser: sign in, create the
/// example study by upload, import a small panel with a preview, open round 1 after its
/// preview, watch the dashboard count an expert's submission without a reload (console.js),
/// close the round and read the results; axe-core on every console and expert page visited.
mod console_walk {
    use std::path::Path;

    use delphi::db::models::outbox::OutboxEmail;
    use delphi::db::models::studies::Study;
    use delphi::service::{accounts, Actor};
    use delphi::startup::Application;
    use serde_json::json;

    use super::{describe, Browser};
    use crate::support::app::{TestApp, TestDatabase};

    const PASSWORD: &str = "correct horse battery staple";
    const SLUG: &str = "walk-study";

    async fn spawn() -> TestApp {
        let database = TestDatabase::new();
        let mut settings = database.settings();
        // Invitations stay in the outbox, where the test reads the experts' links.
        settings.workers.outbox_interval_secs = 3600;
        let app = Application::build(settings).await.expect("application builds");
        let port = app.port();
        let db = app.db().clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            port,
            db,
            client: reqwest::Client::new(),
            database,
        }
    }

    async fn axe(browser: &Browser, page: &str) {
        let violations = browser.axe_violations().await;
        assert!(
            violations.is_empty(),
            "axe-core on {page}:\n{}",
            describe(&violations)
        );
    }

    /// The files the facilitator uploads: the example study (under another slug, without its
    /// panel, which is imported afterwards), its items, and a panel of three experts.
    fn files(dir: &Path) -> (String, String, String) {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/lactation-micronutrients");
        let toml = std::fs::read_to_string(example.join("study.toml"))
            .unwrap()
            .replace("slug = \"lmn-2024\"", &format!("slug = \"{SLUG}\""))
            .replace("panel = \"panel.csv\"\n", "");
        let study = dir.join("study.toml");
        std::fs::write(&study, toml).unwrap();
        let items = dir.join("items.csv");
        std::fs::copy(example.join("items.csv"), &items).unwrap();
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

    /// The personal links of the invitations waiting in the outbox.
    fn invitation_tokens(app: &TestApp) -> Vec<String> {
        let mut conn = app.db.get().unwrap();
        let study = Study::by_slug(&mut conn, SLUG).unwrap().unwrap();
        OutboxEmail::pending(&mut conn, Some(study.id))
            .unwrap()
            .into_iter()
            .filter(|e| e.idempotency_key.starts_with("invitation:"))
            .map(|e| {
                let start = e.body_text.find("/r/").expect("a link in the email") + 3;
                e.body_text[start..start + 64].to_string()
            })
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
        let app = spawn().await;
        {
            let hash = accounts::hash_password(PASSWORD).unwrap();
            let mut conn = app.db.get().unwrap();
            accounts::add_facilitator(
                &mut conn,
                "fac@example.org",
                "Fay Facilitator",
                &hash,
                true,
                &Actor("test".into()),
            )
            .unwrap();
        }
        let (study_file, items_file, panel_file) = files(app.database.dir.path());
        let browser = Browser::start(true).await;

        // Sign in.
        browser.goto(&app.url("/login")).await;
        axe(&browser, "the sign-in page").await;
        browser.send_keys("#email", "fac@example.org").await;
        browser.send_keys("#password", PASSWORD).await;
        browser.click("button[type=submit]").await;
        browser.wait_for_path("/console").await;
        axe(&browser, "the console's home").await;

        // Create the example study by upload.
        browser.goto(&app.url("/console/new")).await;
        axe(&browser, "the new-study page").await;
        browser.send_keys("#study", &study_file).await;
        browser.send_keys("#items", &items_file).await;
        browser
            .click("form[action='/console/new'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=created"))
            .await;
        axe(&browser, "the new study's page").await;

        // Import a small panel: preview, then confirm.
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/import/panel")))
            .await;
        axe(&browser, "the panel import page").await;
        browser.send_keys("#file", &panel_file).await;
        browser
            .click("form[enctype='multipart/form-data'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}/import/panel/preview"))
            .await;
        assert!(browser.source().await.contains("3 to add, 0 to update"));
        axe(&browser, "the panel import preview").await;
        browser.click("form.actions button[type=submit]").await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=panel&n=3"))
            .await;

        // The team page and the administrators' accounts page.
        browser.goto(&app.url(&format!("/console/s/{SLUG}/team"))).await;
        assert!(browser.source().await.contains("fac@example.org"));
        axe(&browser, "the team page").await;
        browser.goto(&app.url("/console/accounts")).await;
        axe(&browser, "the accounts page").await;

        // Preview round 1, then open it from the study page.
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/rounds/preview")))
            .await;
        assert!(browser.source().await.contains("What opening round 1 will do"));
        axe(&browser, "the round preview").await;
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
        axe(&browser, "the dashboard of an open round").await;

        // An expert answers through the link of their invitation email, in another browser.
        let tokens = invitation_tokens(&app);
        assert_eq!(tokens.len(), 3);
        let expert = Browser::start(true).await;
        expert.goto(&app.url(&format!("/r/{}", tokens[0]))).await;
        axe(&expert, "the expert's rating page").await;
        expert.click("input[name=\"s_M01\"][value=\"8\"]").await;
        expert.click("button[value=\"review\"]").await;
        expert
            .wait_until(
                &text_of("form[action$='/submit'] button"),
                &json!("Submit my answers"),
                10,
            )
            .await;
        axe(&expert, "the expert's review page").await;
        expert.click("form[action$='/submit'] button").await;
        expert.wait_for_path(&format!("/r/{}/done", tokens[0])).await;
        axe(&expert, "the expert's thank-you page").await;

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

        // Close the round after the confirmation page, and see its results.
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/rounds/close")))
            .await;
        axe(&browser, "the close confirmation").await;
        browser
            .click("form[action$='/rounds/close'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}?done=closed&n=1"))
            .await;
        axe(&browser, "the study page after closing").await;
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/results/1")))
            .await;
        let results = browser.source().await;
        assert!(results.contains("M01"), "{results}");
        axe(&browser, "the round's results").await;
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/results")))
            .await;
        axe(&browser, "the results overview").await;
        browser.goto(&app.url(&format!("/console/s/{SLUG}/audit"))).await;
        axe(&browser, "the audit log").await;
    }
}
