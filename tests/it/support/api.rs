//! The JSON API (`/api/v1`) as a script calls it: a bearer token (or none), JSON in and out.

use reqwest::Method;
use serde_json::Value;

use crate::support::app::TestApp;

pub struct Api<'a> {
    pub app: &'a TestApp,
    pub token: Option<String>,
}

impl<'a> Api<'a> {
    pub fn new(app: &'a TestApp, token: &str) -> Api<'a> {
        Api {
            app,
            token: Some(token.to_string()),
        }
    }

    /// Calls without a token.
    pub fn anonymous(app: &'a TestApp) -> Api<'a> {
        Api { app, token: None }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> reqwest::Response {
        let mut request = self.app.client.request(method, self.app.url(path));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    /// The status and the JSON answer (null for an empty body); anything else fails the test.
    pub async fn json(&self, method: Method, path: &str, body: Option<&Value>) -> (u16, Value) {
        let response = self.call(method.clone(), path, body).await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        if text.is_empty() {
            return (status, Value::Null);
        }
        let json =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
        (status, json)
    }

    /// The JSON answer, asserting the status.
    pub async fn expect(&self, method: Method, path: &str, body: Option<&Value>, status: u16) -> Value {
        let response = self.call(method.clone(), path, body).await;
        let got = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "{method} {path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"))
    }

    /// A GET's status and body, whatever its type.
    pub async fn text(&self, path: &str) -> (u16, String) {
        let response = self.call(Method::GET, path, None).await;
        (response.status().as_u16(), response.text().await.unwrap())
    }
}
