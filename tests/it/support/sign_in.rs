//! Facilitators for tests: accounts added directly (all with [`PASSWORD`]), roles, API tokens,
//! and a console session signed in through the real form.

use delphi::db::Db;
use delphi::domain::role::Role;
use delphi::domain::token::TokenScope;
use delphi::service::accounts;
use reqwest::multipart::Form;

use crate::support::app::TestApp;
use crate::support::fixtures::actor;
use crate::support::forms::{csrf_in, unescape};

/// Every test account's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// An account named `name`; its id.
pub fn add_named_facilitator(db: &Db, email: &str, name: &str) -> i64 {
    add_account(db, email, name, false)
}

/// An account named after its email address; its id.
pub fn add_facilitator(db: &Db, email: &str) -> i64 {
    add_account(db, email, email, false)
}

/// An administrator's account named `name`; its id.
pub fn add_administrator(db: &Db, email: &str, name: &str) -> i64 {
    add_account(db, email, name, true)
}

fn add_account(db: &Db, email: &str, name: &str, admin: bool) -> i64 {
    let hash = accounts::hash_password(PASSWORD).unwrap();
    let mut conn = db.get().unwrap();
    accounts::add_facilitator(&mut conn, email, name, &hash, admin, &actor())
        .unwrap()
        .id
}

/// `email` gets `role` on the study `slug`.
pub fn grant(db: &Db, slug: &str, email: &str, role: Role) {
    let mut conn = db.get().unwrap();
    accounts::grant(&mut conn, slug, email, role, &actor()).unwrap();
}

/// A new facilitator `email`, owner of the study `slug`.
pub fn add_owner(db: &Db, slug: &str, email: &str) {
    add_facilitator(db, email);
    grant(db, slug, email, Role::Owner);
}

/// A new API token of `email`, labelled `label`.
pub fn api_token(db: &Db, email: &str, label: &str) -> String {
    let mut conn = db.get().unwrap();
    accounts::create_api_token(&mut conn, email, label, &actor())
        .unwrap()
        .token
}

/// The sign-in form as a browser gets it from `GET /login`: the `Cookie` header that carries
/// the form's token (`delphi_login=…`) and the token of its hidden `csrf` field.
pub async fn login_form_token(app: &TestApp) -> (String, String) {
    let response = app.get("/login").await;
    assert_eq!(response.status(), 200, "GET /login");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("delphi_login="))
        .and_then(|v| v.split(';').next())
        .expect("the sign-in page sets its token's cookie")
        .to_string();
    let csrf = csrf_in(&response.text().await.unwrap());
    (cookie, csrf)
}

/// `POST /login` with `form` as a browser sends it from the sign-in page (its token and
/// cookie), ready for more headers.
pub async fn login_request(app: &TestApp, form: &[(&str, &str)]) -> reqwest::RequestBuilder {
    let (cookie, csrf) = login_form_token(app).await;
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    app.client
        .post(app.url("/login"))
        .header("Cookie", cookie)
        .form(&fields)
}

/// `POST /login` with `form` from the sign-in page (see [`login_request`]).
pub async fn post_login(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    login_request(app, form).await.send().await.unwrap()
}

/// A new API token of `email` that may only hand over bounces (`--scope bounces`).
pub fn bounces_token(db: &Db, email: &str) -> String {
    let mut conn = db.get().unwrap();
    accounts::create_scoped_api_token(&mut conn, email, "bounces", TokenScope::Bounces, &actor())
        .unwrap()
        .token
}

/// A signed-in browser: the session cookie and the session's CSRF token.
pub struct Session<'a> {
    app: &'a TestApp,
    /// `delphi_session=…`, as the Cookie header carries it.
    pub cookie: String,
    pub csrf: String,
}

impl<'a> Session<'a> {
    pub async fn sign_in(app: &'a TestApp, email: &str) -> Session<'a> {
        Session::sign_in_with(app, email, PASSWORD).await
    }

    pub async fn sign_in_with(app: &'a TestApp, email: &str, password: &str) -> Session<'a> {
        let response = post_login(app, &[("email", email), ("password", password)]).await;
        Session::started_by(app, response).await
    }

    /// The session a 303 with a session cookie started (signing in, setting up, joining).
    pub async fn started_by(app: &'a TestApp, response: reqwest::Response) -> Session<'a> {
        assert_eq!(response.status(), 303, "{:?}", response.headers());
        let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let mut session = Session {
            app,
            cookie,
            csrf: String::new(),
        };
        session.csrf = csrf_in(&session.page("/console").await);
        session
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with_headers(path, &[]).await
    }

    /// [`Session::get`] with more request headers, such as `Accept-Language`.
    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut all = vec![("Cookie", self.cookie.as_str())];
        all.extend_from_slice(headers);
        self.app.get_with_headers(path, &all).await
    }

    /// GET that must answer 200; the body.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// GET that must answer 200 with JSON (`status.json`, `study.json`); the document.
    pub async fn json(&self, path: &str) -> serde_json::Value {
        let body = self.page(path).await;
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}"))
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut fields = vec![("csrf", self.csrf.as_str())];
        fields.extend_from_slice(form);
        self.post_raw(path, &fields).await
    }

    pub async fn post_raw(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_with_headers(path, form, &[]).await
    }

    /// [`Session::post_raw`] with more request headers: what a browser adds, such as `Origin`
    /// and `Sec-Fetch-Site`.
    pub async fn post_with_headers(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .post(self.app.url(path))
            .header("Cookie", &self.cookie)
            .form(form);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    pub async fn upload(&self, path: &str, form: Form) -> reqwest::Response {
        self.app
            .client
            .post(self.app.url(path))
            .header("Cookie", &self.cookie)
            .multipart(form.text("csrf", self.csrf.clone()))
            .send()
            .await
            .unwrap()
    }

    /// A POST that must redirect back to `to` with `done=…`; the page it redirects to.
    pub async fn post_ok(&self, path: &str, form: &[(&str, &str)], done: &str) -> String {
        let response = self.post(path, form).await;
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        let body = response.text().await.unwrap();
        assert_eq!(status, 303, "POST {path}: {body}");
        let location = location.unwrap();
        assert!(location.ends_with(&format!("done={done}")), "{location}");
        self.page(&location).await
    }

    /// A POST that must be refused with `status`; the page that says why.
    pub async fn post_refused(&self, path: &str, form: &[(&str, &str)], status: u16) -> String {
        let response = self.post(path, form).await;
        let got = response.status().as_u16();
        let body = unescape(&response.text().await.unwrap());
        assert_eq!(got, status, "POST {path}: {body}");
        body
    }
}

/// The study `slug` gets an editor, Ed Itor (`ed@example.org`), and a viewer, Vi Ewer
/// (`vi@example.org`): the two roles most console tests act in.
pub fn editor_and_viewer(db: &Db, slug: &str) {
    add_named_facilitator(db, "ed@example.org", "Ed Itor");
    grant(db, slug, "ed@example.org", Role::Editor);
    add_named_facilitator(db, "vi@example.org", "Vi Ewer");
    grant(db, slug, "vi@example.org", Role::Viewer);
}
