//! A small WebDriver client: a headless Chromium driven over chromedriver, with an axe-core
//! accessibility check. Needs Debian's `chromium` and `chromium-driver`, and axe-core's
//! `axe.min.js` at `$DELPHI_AXE_JS` (`.ci/run` installs all three).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::app::TestApp;
use crate::support::cli::free_port;
use crate::support::sign_in::PASSWORD;

/// JavaScript defining `axisOf(svg)`: a chart's group of axis labels, its own or — a feedback
/// chart drawn over the frame its page's defs hold (src/export/svg.rs, `on_frame`) — its
/// frame's. For `concat!` into a page script.
macro_rules! axis_of_js {
    () => {
        "const axisOf = s => { const u = s.querySelector('use[href$=\"f\"]'); \
         return s.querySelector('.ax') || (u && document.querySelector(u.getAttribute('href') + ' .ax')); };\n"
    };
}
pub(crate) use axis_of_js;

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
        let port = free_port();
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
    /// Waits (up to 10 s) until the address contains `part`, such as `done=` after a form.
    pub async fn wait_for_url(&self, part: &str) {
        let script = format!("return location.href.includes({})", json!(part));
        let reached = self.wait_until(&script, &json!(true), 10).await;
        let at = self.script("return location.href", json!([])).await;
        // A refused form says why in its error summary.
        let said = self
            .script(
                "const e = document.querySelector('.errsum'); return e ? e.innerText : ''",
                json!([]),
            )
            .await;
        assert_eq!(
            reached,
            json!(true),
            "expected an address with {part}, at {at}: {said}"
        );
    }

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

    /// Drags the first element matching `css` by `dy` CSS pixels (up when negative) in small
    /// steps, as a mouse or a finger does (`pointer`: "mouse" or "touch").
    pub async fn drag(&self, css: &str, dy: i64, pointer: &str) {
        let id = self.find(css).await;
        let steps = 8;
        let mut actions = vec![
            json!({ "type": "pointerMove", "duration": 0, "origin": { ELEMENT: id }, "x": 0, "y": 0 }),
            json!({ "type": "pointerDown", "button": 0 }),
        ];
        for step in 1..=steps {
            let y = dy * step / steps - dy * (step - 1) / steps;
            actions
                .push(json!({ "type": "pointerMove", "duration": 30, "origin": "pointer", "x": 0, "y": y }));
        }
        actions.push(json!({ "type": "pointerUp", "button": 0 }));
        self.command(
            reqwest::Method::POST,
            "/actions",
            json!({ "actions": [{ "type": "pointer", "id": pointer, "parameters": { "pointerType": pointer }, "actions": actions }] }),
        )
        .await;
        self.command(reqwest::Method::DELETE, "/actions", Value::Null)
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

    /// How many pixels the page is wider than the window: 0 when nothing scrolls sideways.
    pub async fn overflow(&self) -> Value {
        self.script(
            "const d = document.documentElement; return d.scrollWidth - d.clientWidth;",
            json!([]),
        )
        .await
    }

    /// The value of the browser's cookie `name` (also an HttpOnly one), to fetch a download
    /// with the browser's session.
    pub async fn cookie(&self, name: &str) -> String {
        let cookie = self
            .command(reqwest::Method::GET, &format!("/cookie/{name}"), Value::Null)
            .await;
        cookie["value"].as_str().unwrap_or_default().to_string()
    }

    /// Resizes the window: 390 wide is a phone, 1280 a laptop.
    pub async fn window(&self, width: u32, height: u32) {
        self.command(
            reqwest::Method::POST,
            "/window/rect",
            json!({ "width": width, "height": height }),
        )
        .await;
    }

    /// Makes the page's viewport exactly `width` × `height` CSS pixels, as on a device (a
    /// window cannot be made narrower than 500 px in headless Chromium; 390 is a phone).
    pub async fn viewport(&self, width: u32, height: u32) {
        self.command(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600
            }}),
        )
        .await;
    }

    /// Saves what the window shows as a PNG at `path` (the getting-started guide's pictures).
    pub async fn screenshot(&self, path: &std::path::Path) {
        let png = self
            .command(reqwest::Method::GET, "/screenshot", Value::Null)
            .await;
        let bytes = crate::support::mail::base64_decode(png.as_str().unwrap_or_default());
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// With `DELPHI_SCREENSHOTS=DIR` (scripts/screenshots.sh), scrolls the first element matching
    /// `anchor` (if any) to the top and saves what the screen shows as `DIR/<name>.png` for
    /// docs/screenshots; otherwise does nothing.
    pub async fn picture(&self, name: &str, anchor: &str) {
        if let Some(dir) = std::env::var_os("DELPHI_SCREENSHOTS") {
            self.script(
                "const e = document.querySelector(arguments[0]); if (e) { e.scrollIntoView(); scrollBy(0, -8); }",
                serde_json::json!([anchor]),
            )
            .await;
            self.screenshot(&std::path::PathBuf::from(dir).join(format!("{name}.png")))
                .await;
        }
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

    /// Asserts that axe-core finds no serious or critical violation on the current page.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.axe_violations().await;
        assert!(
            violations.is_empty(),
            "axe-core on {page}:\n{}",
            describe(&violations)
        );
    }

    /// Waits (up to 5 s) until the page's source contains `text`; returns the source.
    pub async fn wait_for_text(&self, text: &str) -> String {
        for _ in 0..50 {
            let source = self.source().await;
            if source.contains(text) {
                return source;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {text:?}:\n{}", self.source().await);
    }

    /// Signs in through the sign-in form, typing as a keyboard user does, and waits for the
    /// console.
    pub async fn sign_in(&self, app: &TestApp, email: &str) {
        self.goto(&app.url("/login")).await;
        self.click("#email").await;
        self.keys(email).await;
        self.click("#password").await;
        self.keys(PASSWORD).await;
        self.click("button[type=\"submit\"]").await;
        self.wait_for_text("console-bar").await;
    }
}

impl Drop for Browser {
    /// Ends the WebDriver session first, which quits Chromium: killing chromedriver alone leaves
    /// the browser running (about 1 GB a test, until the machine runs out of memory). Drop
    /// cannot await, so the `DELETE` goes over a plain blocking socket.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let address = self.base.trim_start_matches("http://").to_string();
        if let Ok(mut stream) = std::net::TcpStream::connect(&address) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
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
