//! Security properties across the whole server: the headers every kind of response carries,
//! HSTS only behind TLS, templates without inline script, request size limits, hostile text
//! rendered inert everywhere (pages, emails, exports), tokens never stored raw, and the
//! `Retry-After` of every rate limit. See docs/security.md.

use std::path::Path;

use delphi::config::TrustedProxies;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::ratings::Rating;
use delphi::db::models::studies::StudyRow;
use delphi::db::models::suggestions::Suggestion;
use delphi::db::now;
use delphi::db::schema::outbox;
use delphi::db::Db;
use delphi::domain::role::Role;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::support::app::{spawn_app_keeping_emails, spawn_app_keeping_emails_with, TestApp, PUBLIC_URL};
use crate::support::files::unzip;
use crate::support::fixtures::{create_study_from, example_text, example_toml};
use crate::support::mail::outbox_emails;
use crate::support::rounds::{close_round, current_round, load_demo, open_round, open_round_with_links};
use crate::support::sign_in::{add_named_facilitator, api_token, grant, post_login, Session};
const OWNER: &str = "owner@example.org";

// ---------------------------------------------------------------------------------------------
// Headers

/// The headers every response must carry, whatever answered it.
fn assert_security_headers(what: &str, response: &reqwest::Response) {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .unwrap_or_else(|| panic!("{what}: no {name} header"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let csp = header("content-security-policy");
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src") || d.starts_with("default-src"))
        .unwrap_or_else(|| panic!("{what}: no script policy in {csp}"));
    assert!(!csp.contains("unsafe-inline"), "{what}: {script_src}");
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, OWNER, "Owner");
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    grant(&app.db, "lmn-2024", OWNER, Role::Owner);
    let links = open_round_with_links(&app, &mut conn, "lmn-2024");
    let token = links.values().next().unwrap().clone();
    let api_token = api_token(&app.db, OWNER, "headers");
    drop(conn);
    let session = Session::sign_in(&app, OWNER).await;

    let mut checked = Vec::new();
    let mut check = |what: &str, response: reqwest::Response, status: u16| {
        assert_eq!(response.status().as_u16(), status, "{what}");
        assert_security_headers(what, &response);
        assert!(
            response.headers().get("strict-transport-security").is_none(),
            "{what}: no HSTS over plain http"
        );
        checked.push(what.to_string());
    };
    check("home", app.get("/").await, 200);
    check("health", app.get("/healthz").await, 200);
    check("static", app.get("/static/css/delphi.css").await, 200);
    check("login", app.get("/login").await, 200);
    check("lost link", app.get("/link").await, 200);
    check("expert form", app.get(&format!("/r/{token}")).await, 200);
    check("unknown link", app.get(&format!("/r/{:064x}", 7)).await, 404);
    check("404 page", app.get("/no/such/page").await, 404);
    check("404 API", app.get("/api/v1/nothing").await, 404);
    check(
        "405",
        app.client
            .delete(app.url("/api/v1/studies"))
            .bearer_auth(&api_token)
            .send()
            .await
            .unwrap(),
        405,
    );
    check(
        "413",
        app.client
            .post(app.url("/login"))
            .form(&[("email", "x".repeat(300 * 1024))])
            .send()
            .await
            .unwrap(),
        413,
    );
    check("console", session.get("/console").await, 200);
    check("study page", session.get("/console/s/lmn-2024").await, 200);
    check(
        "export download",
        session.get("/console/s/lmn-2024/export/results.csv").await,
        200,
    );
    let api = |path: &str| app.client.get(app.url(path)).bearer_auth(&api_token).send();
    check("API JSON", api("/api/v1/studies").await.unwrap(), 200);
    check("OpenAPI", app.get("/api/v1/openapi.json").await, 200);
    check(
        "API 401",
        app.client.get(app.url("/api/v1/studies")).send().await.unwrap(),
        401,
    );
    check(
        "API export",
        api("/api/v1/studies/lmn-2024/exports/report.html").await.unwrap(),
        200,
    );
    assert_eq!(checked.len(), 18);
}

#[tokio::test]
async fn hsts_is_sent_only_behind_tls() {
    let app = spawn_app_keeping_emails().await;
    let plain = app.get("/").await;
    assert!(plain.headers().get("strict-transport-security").is_none());
    // A TLS-terminating proxy says so with X-Forwarded-Proto, believed only from the proxies
    // of `trusted_proxies` (the test client connects from 127.0.0.1).
    for (trusted, hsts) in [(&[][..], false), (&["127.0.0.1"][..], true)] {
        let app = spawn_app_keeping_emails_with(|s| {
            s.server.trusted_proxies = TrustedProxies::parse(trusted).unwrap();
        })
        .await;
        let proxied = app
            .client
            .get(app.url("/login"))
            .header("X-Forwarded-Proto", "https")
            .send()
            .await
            .unwrap();
        assert_eq!(
            proxied.headers().get("strict-transport-security").is_some(),
            hsts,
            "trusted: {trusted:?}"
        );
        if hsts {
            assert_eq!(proxied.headers()["strict-transport-security"], "max-age=31536000");
            assert_security_headers("proxied", &proxied);
        }
    }

    // A deployment whose public URL is https sends it on every response, even to a proxy
    // that forwards plain http without saying so.
    let app = spawn_app_keeping_emails_with(|s| s.server.public_url = "https://delphi.example".into()).await;
    for path in ["/", "/healthz", "/no/such/page", "/api/v1/openapi.json"] {
        let response = app.get(path).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }
}

/// Every template, recursively.
fn templates(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            templates(&path, found);
        } else if path.extension().is_some_and(|e| e == "hbs") {
            let text = std::fs::read_to_string(&path).unwrap();
            found.push((path.display().to_string(), text));
        }
    }
}

/// Inline `on…=` event handlers in a piece of markup (` onclick=`, ` onerror =`…): attribute
/// names inside a tag, not text between tags nor inside a quoted attribute value.
fn event_handlers(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut found = Vec::new();
    let mut in_tag = false;
    let mut quote = None;
    for (i, &c) in bytes.iter().enumerate() {
        if !in_tag {
            in_tag = c == b'<' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == b'"' || c == b'\'' {
            quote = Some(c);
        } else if c == b'>' {
            in_tag = false;
        } else if c.is_ascii_whitespace() && lower[i + 1..].starts_with("on") {
            let start = i + 1;
            let end = start
                + 2
                + bytes[start + 2..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
            if end > start + 2 && lower[end..].trim_start().starts_with('=') {
                found.push(lower[start..end].to_string());
            }
        }
    }
    found
}

#[test]
fn templates_contain_no_inline_script_or_event_handlers() {
    let mut found = Vec::new();
    templates(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        &mut found,
    );
    assert!(found.len() > 20, "templates found: {}", found.len());
    for (path, text) in &found {
        let lower = text.to_ascii_lowercase();
        let mut at = 0;
        while let Some(i) = lower[at..].find("<script").map(|i| i + at) {
            let end = lower[i..].find('>').map(|e| i + e).expect("a closed tag");
            let tag = &lower[i..=end];
            assert!(tag.contains(" src=\""), "{path}: inline script {tag}");
            assert!(
                lower[end + 1..].starts_with("</script>"),
                "{path}: a script element with a body"
            );
            at = end;
        }
        assert_eq!(event_handlers(text), Vec::<String>::new(), "{path}");
        assert!(!lower.contains("javascript:"), "{path}");
        assert!(!lower.contains(" style=\""), "{path}: inline style");
    }
    // The scanner itself finds what it looks for.
    assert_eq!(
        event_handlers(
            "<img src=x onerror=alert(1)> <a\nonclick = 'x'> said on=off <b title=\"a onload=1\">"
        ),
        ["onerror", "onclick"]
    );
}

// ---------------------------------------------------------------------------------------------
// Request size limits

fn assert_too_large(what: &str, status: u16, body: &str) {
    assert_eq!(status, 413, "{what}: {body}");
    assert!(
        body.contains("larger than") && body.to_lowercase().contains("nothing was saved"),
        "{what}: {body}"
    );
}

#[tokio::test]
async fn oversized_requests_are_refused_with_413_and_nothing_is_saved() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, OWNER, "Owner");
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    grant(&app.db, "lmn-2024", OWNER, Role::Owner);
    let links = open_round_with_links(&app, &mut conn, "lmn-2024");
    let (&expert_id, token) = links.iter().next().unwrap();
    let round_id = current_round(&mut conn, "lmn-2024").id;
    drop(conn);
    let session = Session::sign_in(&app, OWNER).await;
    let big = |kb: usize| "x".repeat(kb * 1024);

    // A form on a route with the global default (256 KB).
    let response = app
        .client
        .post(app.url("/link"))
        .form(&[("email", big(300))])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_too_large("lost-link form", status, &response.text().await.unwrap());

    // A console form (read as raw bytes for the CSRF check): 256 KB too.
    let response = session
        .post(
            "/console/s/lmn-2024/suggestions/1",
            &[("decision", "reject"), ("reason", &big(300))],
        )
        .await;
    let status = response.status().as_u16();
    assert_too_large("console form", status, &response.text().await.unwrap());

    // The expert form, raised deliberately to 512 KB: 300 KB passes the size check (and is
    // then refused for what it says), 600 KB does not.
    let page = format!("/r/{token}");
    let comment = big(300);
    let response = app
        .client
        .post(app.url(&page))
        .form(&[("s_M01", "7"), ("c_M01", comment.as_str())])
        .send()
        .await
        .unwrap();
    assert_ne!(response.status(), 413, "the expert form takes up to 512 KB");
    let comment = big(600);
    let response = app
        .client
        .post(app.url(&page))
        .form(&[("s_M01", "7"), ("c_M01", comment.as_str())])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_too_large("expert form", status, &response.text().await.unwrap());

    // Autosave as JSON: 64 KB.
    let response = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .json(&serde_json::json!({ "item": "M02", "score": 5, "comment": big(70) }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_too_large("autosave JSON", status, &body);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "too_large", "a script reads the error as JSON");

    // The API (4 MB, for whole study files) is tested in api.rs (`too_large`).

    // A console upload (multipart, 8 MB).
    let form = reqwest::multipart::Form::new()
        .text("csrf", session.csrf.clone())
        .part(
            "study",
            reqwest::multipart::Part::bytes(vec![b'#'; 9 * 1024 * 1024]).file_name("study.toml"),
        );
    let response = app
        .client
        .post(app.url("/console/new"))
        .header("Cookie", &session.cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert!(
        status == 413 || (status == 400 && body.contains("larger than 8 MB")),
        "{status}: {body}"
    );
    assert!(body.contains("Nothing was saved"), "{body}");

    let mut conn = app.db.get().unwrap();
    assert!(Rating::of_expert(&mut conn, round_id, expert_id)
        .unwrap()
        .is_empty());
    assert_eq!(StudyRow::all(&mut conn).unwrap().len(), 1, "no study was created");
    assert!(Suggestion::of_round(&mut conn, round_id).unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Hostile text

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";
const HANDLEBARS: &str = "{{handlebars}}";
const JS_LINK: &str = "[click](javascript:alert(1))";
const SLUG: &str = "hostile";

/// Text that would run somewhere if it were not escaped: a spreadsheet formula at the start,
/// a script, an image with an event handler, a template expression and a Markdown link.
fn hostile(label: &str) -> String {
    format!("=HYPERLINK(\"http://evil.example/\",\"{label}\") {SCRIPT} {IMG} {HANDLEBARS} {JS_LINK}")
}

fn csv_field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The example study with hostile text in its title, description, a group's name, a section's
/// title, an item's text, description and translations, and an expert's name.
fn create_hostile_study(db: &Db, dir: &Path) {
    let folder = dir.join(SLUG);
    std::fs::create_dir_all(&folder).unwrap();
    let study = example_toml(SLUG)
        .replace(
            "title = \"Lactation and Micronutrient Needs\"",
            &format!("title = '{}'", hostile("title")),
        )
        // The English description; the French one follows under [translations.fr].
        .replacen(
            "description = '''\n",
            &format!("description = '''\n{} **bold**\n\n", hostile("description")),
            1,
        )
        .replace(
            "name = \"Researchers and academics\"",
            &format!("name = '{}'", hostile("group")),
        )
        .replace(
            "title = \"Maternal health and nutritional status indicators\"",
            &format!("title = '{}'", hostile("section")),
        );
    assert_eq!(
        study.matches("=HYPERLINK").count(),
        4,
        "every replacement applied"
    );
    let mut items = example_text("items.csv");
    let first = items.find("\nM01,").unwrap() + 1;
    let end = first + items[first..].find('\n').unwrap();
    items.replace_range(
        first..end,
        &format!(
            "M01,maternal,{},{},{},{}",
            csv_field(&hostile("item")),
            csv_field(&hostile("item description")),
            csv_field(&hostile("texte")),
            csv_field(&hostile("description fr")),
        ),
    );
    let panel = example_text("panel.csv").replace(
        "m.tran@example.org,Trần Thị Mai,",
        &format!("m.tran@example.org,{},", csv_field(&hostile("expert"))),
    );
    assert!(panel.contains("evil.example"));
    std::fs::write(folder.join("study.toml"), study).unwrap();
    std::fs::write(folder.join("items.csv"), items).unwrap();
    std::fs::write(folder.join("panel.csv"), panel).unwrap();
    create_study_from(db, &folder.join("study.toml"), Some(OWNER));
}

/// HTML in which the hostile text must be present (`expect_text`) and inert: no live tag, no
/// event handler, no `javascript:` link, the template expression shown as written.
fn assert_inert_html(what: &str, html: &str, expect_text: bool) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script>alert"), "{what}: a live script");
    assert!(!lower.contains("<img src=x"), "{what}: a live img");
    assert!(!lower.contains("<img src=\"x\""), "{what}: a live img");
    for href in [
        "href=\"javascript:",
        "href='javascript:",
        "href=javascript:",
        "src=\"javascript:",
    ] {
        assert!(!lower.contains(href), "{what}: {href}");
    }
    assert_eq!(event_handlers(html), Vec::<String>::new(), "{what}");
    if expect_text {
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{what}: the hostile text is shown, escaped"
        );
        assert!(html.contains("&lt;img src"), "{what}");
        assert!(
            html.contains(HANDLEBARS),
            "{what}: a template expression in data is shown as written"
        );
    }
}

/// CSV in which every field that starts like a formula has been defused.
fn assert_no_formula_csv(what: &str, text: &str) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut hostile_fields = 0;
    for record in reader.records() {
        for field in record.unwrap().iter() {
            assert!(
                !field.starts_with(['=', '+', '@', '\t', '\r']),
                "{what}: a formula cell {field:?}"
            );
            if field.contains("HYPERLINK") {
                assert!(field.starts_with("'="), "{what}: {field:?}");
                hostile_fields += 1;
            }
        }
    }
    hostile_fields
}

fn has_string(value: &serde_json::Value, text: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == text,
        serde_json::Value::Array(items) => items.iter().any(|v| has_string(v, text)),
        serde_json::Value::Object(map) => map.values().any(|v| has_string(v, text)),
        _ => false,
    }
}

/// A page after following one redirect, if any.
async fn follow(app: &TestApp, response: reqwest::Response) -> (u16, String) {
    if response.status().is_redirection() {
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let next = app.client.get(app.url(&location)).send().await.unwrap();
        (next.status().as_u16(), next.text().await.unwrap())
    } else {
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

#[tokio::test]
async fn hostile_text_is_inert_in_every_page_email_and_export() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, OWNER, &hostile("facilitator"));
    create_hostile_study(&app.db, app.database.dir.path());
    let session = Session::sign_in(&app, OWNER).await;
    let preview = session.page(&format!("/console/s/{SLUG}/rounds/preview")).await;
    assert_inert_html("round preview", &preview, true);
    let mut conn = app.db.get().unwrap();
    let study_id = StudyRow::by_slug(&mut conn, SLUG).unwrap().unwrap().id;
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let panel = delphi::db::models::experts::Expert::of_study(&mut conn, study_id).unwrap();
    let tran = panel.iter().find(|e| e.name.contains("evil.example")).unwrap();
    let token = links[&tran.id].clone();
    let page = format!("/r/{token}");

    // The expert's pages: form, then answers with a hostile comment and suggestion, review, done.
    let form = app.text(&page).await;
    assert_inert_html("expert form", &form, true);
    // Every item answered (M01 in the middle, so that it is carried into round 2 with its
    // comment), with a hostile comment.
    let mut answers: Vec<(String, String)> = vec![("c_M01".into(), hostile("comment"))];
    let mut rest = form.as_str();
    while let Some(at) = rest.find("name=s_") {
        rest = &rest[at + 7..];
        let code = &rest[..rest.find(' ').unwrap()];
        if !answers.iter().any(|(name, _)| name == &format!("s_{code}")) {
            let score = if code == "M01" { "5" } else { "8" };
            answers.push((format!("s_{code}"), score.into()));
        }
    }
    assert!(answers.len() > 10, "{answers:?}");
    answers.push(("action".into(), "review".into()));
    let response = app
        .client
        .post(app.url(&page))
        .form(&answers)
        .send()
        .await
        .unwrap();
    let (status, review) = follow(&app, response).await;
    assert_eq!(status, 200, "{review}");
    assert_inert_html("review", &review, true);
    let response = app
        .client
        .post(app.url(&format!("{page}/suggest")))
        .form(&[
            ("text", hostile("suggestion").as_str()),
            ("rationale", hostile("rationale").as_str()),
            ("section", "maternal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let response = app
        .client
        .post(app.url(&format!("{page}/submit")))
        .send()
        .await
        .unwrap();
    let (status, done) = follow(&app, response).await;
    assert_eq!(status, 200, "{done}");
    assert_inert_html("done", &done, false);

    // The facilitator's pages.
    for path in [
        "/console".to_string(),
        format!("/console/s/{SLUG}"),
        format!("/console/s/{SLUG}/rounds/close"),
        format!("/console/s/{SLUG}/suggestions"),
        format!("/console/s/{SLUG}/import/items"),
        format!("/console/s/{SLUG}/audit"),
    ] {
        let html = session.page(&path).await;
        assert_inert_html(&path, &html, true);
    }
    let suggestions = session.page(&format!("/console/s/{SLUG}/suggestions")).await;
    assert!(suggestions.contains("rationale"), "the suggestion is listed");

    // Round 2: the group's feedback shows the comment.
    close_round(&mut conn, SLUG);
    for path in [
        format!("/console/s/{SLUG}/results"),
        format!("/console/s/{SLUG}/results/1"),
    ] {
        let html = session.page(&path).await;
        assert_inert_html(&path, &html, true);
    }
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let form = app.text(&format!("/r/{}", links[&tran.id])).await;
    assert_inert_html("round 2 form", &form, true);
    assert!(
        form.contains("comment&quot;) &lt;script&gt;") || form.contains("comment\") &lt;script&gt;"),
        "the comment is in the feedback"
    );

    // The emails: subject (a header, never HTML), text and HTML parts.
    let emails = OutboxEmail::all(&mut conn, Some(study_id)).unwrap();
    let kinds: std::collections::BTreeSet<&str> = emails.iter().map(|e| e.kind.as_str()).collect();
    assert!(
        kinds.contains("invitation") && kinds.contains("thank_you"),
        "{kinds:?}"
    );
    for email in &emails {
        let what = format!("{} email to {}", email.kind, email.recipient);
        assert!(
            email.subject.contains("evil.example"),
            "{what}: {}",
            email.subject
        );
        assert!(!email.subject.contains('\n') && !email.subject.contains('\r'));
        let html = email.body_html.as_deref().expect("an HTML part");
        assert_inert_html(&what, html, true);
        assert!(
            !html.contains("href=\"http://evil.example"),
            "{what}: a live link from data"
        );
    }

    // The exports, pseudonymised and identified.
    let report = session
        .page(&format!("/console/s/{SLUG}/export/report.html"))
        .await;
    assert_inert_html("report.html", &report, true);
    let mut hostile_cells = 0;
    for file in ["results.csv", "consensus.csv", "ratings.csv", "participants.csv"] {
        let text = session.page(&format!("/console/s/{SLUG}/export/{file}")).await;
        hostile_cells += assert_no_formula_csv(file, &text);
        let response = session
            .post(&format!("/console/s/{SLUG}/export/{file}"), &[])
            .await;
        assert_eq!(response.status(), 200, "identified {file}");
        hostile_cells += assert_no_formula_csv(file, &response.text().await.unwrap());
    }
    assert!(
        hostile_cells >= 4,
        "item text, comment and name were exported: {hostile_cells}"
    );

    let workbook = session
        .get(&format!("/console/s/{SLUG}/export/workbook.xlsx"))
        .await;
    assert_eq!(workbook.status(), 200);
    let parts = unzip(&workbook.bytes().await.unwrap());
    let mut strings = String::new();
    for (name, content) in &parts {
        let xml = String::from_utf8_lossy(content);
        if name.starts_with("xl/worksheets/") {
            assert!(
                !xml.contains("<f>") && !xml.contains("<f "),
                "{name}: a formula cell"
            );
        }
        strings.push_str(&xml);
    }
    assert!(
        strings.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the text is in the workbook"
    );

    let json = session
        .get(&format!("/console/s/{SLUG}/export/export.json"))
        .await;
    assert_eq!(json.status(), 200);
    assert!(json.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let value: serde_json::Value = json.json().await.unwrap();
    for text in [hostile("item"), hostile("comment"), hostile("title")] {
        assert!(
            has_string(&value, &text),
            "JSON carries {text} as data, unchanged"
        );
    }

    // The data package's report and CSV files.
    let package = session
        .get(&format!("/console/s/{SLUG}/export/package.zip"))
        .await;
    assert_eq!(package.status(), 200);
    for (name, content) in unzip(&package.bytes().await.unwrap()) {
        let text = String::from_utf8_lossy(&content);
        if name.ends_with(".html") {
            assert_inert_html(&name, &text, true);
        } else if name.ends_with(".csv") {
            assert_no_formula_csv(&name, &text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// Everything the database holds, as text: every row of every table.
fn database_text(app: &TestApp) -> String {
    if app.database.is_postgres() {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            text: String,
        }
        let mut conn = app.db.get().unwrap();
        let tables: Vec<Row> = diesel::sql_query(
            "SELECT table_name::text AS text FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
        .load(&mut conn)
        .unwrap();
        let mut all = String::new();
        for table in tables {
            let rows: Vec<Row> =
                diesel::sql_query(format!("SELECT t::text AS text FROM \"{}\" t", table.text))
                    .load(&mut conn)
                    .unwrap();
            for row in rows {
                all.push_str(&row.text);
                all.push('\n');
            }
        }
        all
    } else {
        // The SQLite file itself, write-ahead log included, after a checkpoint.
        let mut conn = app.db.get().unwrap();
        let _ = conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)");
        let path = app.database.url.trim_start_matches("sqlite://").to_string();
        let mut bytes = std::fs::read(&path).unwrap();
        if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
            bytes.extend(wal);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[tokio::test]
async fn tokens_are_random_and_stored_only_as_hashes() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, OWNER, "Owner");
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    // Links on the public URL, as `serve`, the console and the command line make them.
    open_round(&mut conn, "lmn-2024");
    let links: Vec<String> = OutboxEmail::pending(&mut conn, None)
        .unwrap()
        .iter()
        .map(|e| {
            let start = e.body_text.find("/r/").expect("a link") + 3;
            e.body_text[start..start + 64].to_string()
        })
        .collect();
    assert_eq!(links.len(), 24);
    let api_token = api_token(&app.db, OWNER, "tokens");
    drop(conn);
    let session = Session::sign_in(&app, OWNER).await;
    let session_token = session.cookie.split_once('=').unwrap().1.to_string();

    let mut all = links;
    all.push(api_token.clone());
    all.push(session_token.clone());
    // 256 bits each, as 64 lowercase hex digits, all different.
    for token in &all {
        assert!(delphi::domain::token::is_well_formed(token), "{token}");
    }
    let distinct: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!(distinct.len(), all.len());
    // Bits look uniform: over 24+ tokens × 256 bits, the share of ones is close to a half
    // (a constant or low-entropy generator fails; a fair one lies outside 45–55 % with a
    // probability below 1e-9).
    let ones: u32 = all
        .iter()
        .flat_map(|t| hex::decode(t).unwrap())
        .map(u8::count_ones)
        .sum();
    let bits = (all.len() * 256) as f64;
    let share = f64::from(ones) / bits;
    assert!((0.45..0.55).contains(&share), "{share}");

    // Deliver the invitations (the link is scrubbed from the stored copy once sent), then no
    // table holds any token in the clear; each is found by its hash.
    let mut settings = app.database.settings();
    settings.server.public_url = PUBLIC_URL.into();
    let worker =
        delphi::service::outbox::Worker::new(delphi::service::Store::from_db(app.db.clone()), settings)
            .unwrap();
    // Invitations are queued a little ahead; make them due now.
    diesel::update(outbox::table)
        .set(outbox::next_attempt_at.eq(now()))
        .execute(&mut app.db.get().unwrap())
        .unwrap();
    // The server's own worker may be sending some of them at the same time: wait for both.
    let mut statuses = Vec::new();
    for _ in 0..100 {
        worker.deliver_due().await.unwrap();
        let mut conn = app.db.get().unwrap();
        statuses = outbox_emails(&mut conn)
            .into_iter()
            .map(|e| e.status.to_string())
            .collect();
        if statuses.iter().all(|s| s == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(statuses.len(), 24);
    assert!(statuses.iter().all(|s| s == "sent"), "{statuses:?}");
    let text = database_text(&app);
    assert!(
        text.contains(&delphi::domain::token::hash(&api_token)),
        "the dump is readable"
    );
    for (n, token) in all.iter().enumerate() {
        if let Some(at) = text.find(token.as_str()) {
            let from = text.floor_char_boundary(at.saturating_sub(300));
            panic!(
                "token {n} of {} in the clear: …{}…",
                all.len(),
                &text[from..at + 64]
            );
        }
        assert!(
            text.contains(&delphi::domain::token::hash(token)),
            "stored as its hash"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Rate limits

fn assert_retry_after(what: &str, response: &reqwest::Response) {
    assert_eq!(response.status(), 429, "{what}");
    let seconds: u64 = response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("{what}: no Retry-After"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&seconds), "{what}: {seconds}");
    assert_security_headers(what, response);
}

#[tokio::test]
async fn every_rate_limit_answers_429_with_retry_after() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, OWNER, "Owner");

    // Sign-in attempts (10 in a burst).
    let mut last = None;
    for _ in 0..30 {
        let response = post_login(&app, &[("email", OWNER), ("password", "guess guess guess")]).await;
        if response.status() == 429 {
            last = Some(response);
            break;
        }
    }
    assert_retry_after("login", &last.expect("sign-ins are limited"));

    // Unknown expert links (20 in a burst).
    let mut last = None;
    for i in 0..60 {
        let response = app.get(&format!("/r/{i:064x}")).await;
        if response.status() == 429 {
            last = Some(response);
            break;
        }
    }
    assert_retry_after("expert link", &last.expect("bad links are limited"));

    // "Send me a new link" (5 in a burst).
    let mut last = None;
    for _ in 0..20 {
        let response = app
            .client
            .post(app.url("/link"))
            .form(&[("email", "nobody@example.org")])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            last = Some(response);
            break;
        }
    }
    assert_retry_after("new link", &last.expect("new-link requests are limited"));
}

#[tokio::test]
async fn unknown_unsubscribe_links_share_the_bad_link_limit() {
    let app = spawn_app_keeping_emails().await;
    let mut statuses = Vec::new();
    let mut last = None;
    for i in 0..60 {
        // Alternate the form and the one-click POST: both look the token up.
        let response = if i % 2 == 0 {
            app.get(&format!("/u/{i:064x}")).await
        } else {
            app.client
                .post(app.url(&format!("/u/{i:064x}")))
                .send()
                .await
                .unwrap()
        };
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            last = Some(response);
            break;
        }
    }
    assert!(
        statuses[..statuses.len() - 1].iter().all(|s| *s == 404),
        "{statuses:?}"
    );
    assert_retry_after(
        "unsubscribe link",
        &last.expect("unknown unsubscribe links are limited"),
    );
    // The budget is the expert links' too.
    assert_eq!(app.get(&format!("/r/{:064x}", 7)).await.status(), 429);
}
