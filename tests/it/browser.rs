//! Pages in a real headless Chromium, driven over WebDriver (chromedriver), with an axe-core
//! accessibility check. Opt-in: `cargo test --features browser-tests` with Debian's `chromium`
//! and `chromium-driver` installed and axe-core's `axe.min.js` at `$DELPHI_AXE_JS` (`.ci/run`
//! installs all three). A plain `cargo test` does not compile these tests.

#![allow(dead_code)] // A small WebDriver client; each page's tests use a different part of it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::spawn_app;

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
    use crate::helpers::spawn_app;

    /// The first expert's link and id, with the example study's round 1 open.
    fn round_one(app: &crate::helpers::TestApp) -> (i64, String) {
        let mut conn = app.db.get().unwrap();
        demo::load(&mut conn, &Actor("browser".into())).unwrap();
        let links: HashMap<i64, String> = open_round(app, &mut conn, "lmn-2024");
        let (expert, token) = links.into_iter().min().unwrap();
        (expert, token)
    }

    fn saved(app: &crate::helpers::TestApp, expert: i64) -> Vec<(i64, Option<i32>)> {
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
