//! Facilitator accounts end to end: the `admin`, `token`, `audit` and `study grant` verbs, and
//! the web's sign-in, session cookie, CSRF, idle timeout, rate limit, password reset, console
//! and bearer-token API.

use delphi::config::TrustedProxies;
use delphi::db::models::audit::AuditEntry;
use delphi::db::models::facilitators::Facilitator;
use delphi::db::now;
use delphi::db::schema::{api_tokens, audit_log, facilitator_sessions, facilitators, password_resets};
use delphi::domain::role::Role;
use delphi::service::accounts::{self, Access};
use delphi::service::outbox::Worker;
use delphi::service::Store;
use diesel::prelude::*;

use crate::support::app::{spawn_app_keeping_emails, spawn_app_keeping_emails_with, TestApp, TestDatabase};
use crate::support::cli::Cli;
use crate::support::fixtures::{create_study, example_study_in};
use crate::support::forms::{csrf_in, location, post_form};
use crate::support::mail::{decoded, link_token, outbox_emails, token_after};
use crate::support::sign_in::{add_named_facilitator, login_request, post_login, PASSWORD};

// ---------------------------------------------------------------------------------------------
// Helpers

/// The command line with nothing logged: stderr holds only what the command says.
fn cli(database: &TestDatabase) -> Cli {
    Cli::new(database).quiet()
}

/// A form posted with the session cookie `delphi_session={token}`.
async fn post_form_as(app: &TestApp, path: &str, form: &[(&str, &str)], token: &str) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("Cookie", format!("delphi_session={token}"))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn get_with(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    let cookie = format!("delphi_session={cookie}");
    app.get_with_headers(path, &[("Cookie", &cookie)]).await
}

fn set_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("set-cookie")
        .expect("a Set-Cookie header")
        .to_str()
        .unwrap()
        .to_string()
}

fn cookie_value(set_cookie: &str) -> String {
    let first = set_cookie.split(';').next().unwrap();
    let (name, value) = first.split_once('=').unwrap();
    assert_eq!(name, "delphi_session");
    value.to_string()
}

/// Signs in; returns the session token from the cookie.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> String {
    let response = post_login(app, &[("email", email), ("password", password)]).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert_eq!(location(&response), "/console");
    cookie_value(&set_cookie(&response))
}

/// The CSRF token of the console page's sign-out form.
async fn csrf_of(app: &TestApp, cookie: &str) -> String {
    let page = get_with(app, "/console", cookie).await;
    assert_eq!(page.status(), 200);
    csrf_in(&page.text().await.unwrap())
}

// ---------------------------------------------------------------------------------------------
// Command line

#[test]
fn admin_add_creates_accounts_and_refuses_bad_input() {
    let database = TestDatabase::new();
    let line = format!("{PASSWORD}\n");
    let out = cli(&database).ok_with_input(
        &[
            "admin",
            "add",
            "--email",
            " Ada@Example.org ",
            "--name",
            "Ada Lovelace",
        ],
        &line,
    );
    assert!(out.contains("facilitator ada@example.org added"), "{out}");

    let db = database.connect();
    let mut conn = db.get().unwrap();
    let (email, hash, admin): (String, String, bool) = facilitators::table
        .select((
            facilitators::email,
            facilitators::password_hash,
            facilitators::is_admin,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(email, "ada@example.org");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    assert!(!admin);
    assert!(
        accounts::password_matches(Some(&hash), PASSWORD),
        "the newline is not part of it"
    );

    let err = cli(&database).refused_with_input(
        &["admin", "add", "--email", "bob@example.org", "--name", "Bob"],
        "too short\n",
    );
    assert!(
        err.contains("password") && err.contains("at least 12 characters"),
        "{err}"
    );
    let err = cli(&database).refused(&["admin", "add", "--email", "bob@example.org", "--name", "Bob"]);
    assert!(
        err.contains("password") && err.contains("standard input"),
        "{err}"
    );
    let err = cli(&database).refused_with_input(
        &[
            "admin",
            "add",
            "--email",
            "ADA@example.org",
            "--name",
            "Ada again",
        ],
        &line,
    );
    assert!(
        err.contains("ada@example.org") && err.contains("already exists"),
        "{err}"
    );
    let err =
        cli(&database).refused_with_input(&["admin", "add", "--email", "not-an-email", "--name", "X"], &line);
    assert!(
        err.contains("email") && err.contains("not an email address"),
        "{err}"
    );
    let err = cli(&database).refused_with_input(
        &["admin", "add", "--email", "carol@example.org", "--name", "  "],
        &line,
    );
    assert!(err.contains("name"), "{err}");
    let count: i64 = facilitators::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 1, "nothing refused was saved");

    let out = cli(&database).ok_with_input(
        &[
            "admin",
            "add",
            "--email",
            "root@example.org",
            "--name",
            "Root",
            "--admin",
        ],
        "another long password\r\n",
    );
    assert!(out.contains("administrator"), "{out}");
    let actions: Vec<String> = AuditEntry::all(&mut conn)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["facilitator.add", "facilitator.add"]);
}

#[test]
fn owners_and_grants_from_the_command_line() {
    let database = TestDatabase::new();
    let line = format!("{PASSWORD}\n");
    cli(&database).ok_with_input(
        &["admin", "add", "--email", "ada@example.org", "--name", "Ada"],
        &line,
    );
    cli(&database).ok_with_input(
        &["admin", "add", "--email", "bob@example.org", "--name", "Bob"],
        &line,
    );
    let file = example_study_in(database.dir.path(), "owned");
    let file = file.to_str().unwrap();

    let err = cli(&database).refused(&["study", "create", file, "--owner", "nobody@example.org"]);
    assert!(
        err.contains("nobody@example.org") && err.contains("admin add"),
        "{err}"
    );
    let out = cli(&database).ok(&["study", "list"]);
    assert!(!out.contains("owned"), "a refused create saves nothing: {out}");

    assert_eq!(
        cli(&database)
            .ok(&["study", "create", file, "--owner", "Ada@example.org"])
            .trim(),
        "owned"
    );
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let ada = Facilitator::by_email(&mut conn, "ada@example.org")
        .unwrap()
        .unwrap();
    let bob = Facilitator::by_email(&mut conn, "bob@example.org")
        .unwrap()
        .unwrap();
    let mine = accounts::my_studies(&mut conn, ada.id).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].slug.as_str(), mine[0].role), ("owned", Role::Owner));

    let out = cli(&database).ok(&[
        "study",
        "grant",
        "owned",
        "--email",
        "bob@example.org",
        "--role",
        "viewer",
    ]);
    assert!(out.contains("bob@example.org is now viewer of `owned`"), "{out}");
    assert!(matches!(
        accounts::access(&mut conn, bob.id, "owned", Role::Editor).unwrap(),
        Access::Denied {
            role: Some(Role::Viewer)
        }
    ));
    let out = cli(&database).ok(&[
        "study",
        "grant",
        "owned",
        "--email",
        "bob@example.org",
        "--role",
        "editor",
    ]);
    assert!(out.contains("(was viewer)"), "{out}");
    assert!(matches!(
        accounts::access(&mut conn, bob.id, "owned", Role::Editor).unwrap(),
        Access::Granted {
            role: Role::Editor,
            ..
        }
    ));
    assert!(matches!(
        accounts::access(&mut conn, bob.id, "owned", Role::Owner).unwrap(),
        Access::Denied { .. }
    ));

    let err = cli(&database).refused(&[
        "study",
        "grant",
        "owned",
        "--email",
        "bob@example.org",
        "--role",
        "admin",
    ]);
    assert!(err.contains("admin") && err.contains("--role"), "{err}");
    let err = cli(&database).refused(&[
        "study",
        "grant",
        "nope",
        "--email",
        "bob@example.org",
        "--role",
        "viewer",
    ]);
    assert!(err.contains("nope"), "{err}");
    let err = cli(&database).refused(&[
        "study",
        "grant",
        "owned",
        "--email",
        "carol@example.org",
        "--role",
        "viewer",
    ]);
    assert!(err.contains("carol@example.org"), "{err}");

    let grants: Vec<(String, String)> = AuditEntry::all(&mut conn)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "study.grant")
        .map(|e| (e.actor, e.details))
        .collect();
    assert_eq!(grants.len(), 3, "{grants:?}");
    assert!(grants.iter().all(|(actor, _)| actor.starts_with("cli:")));
    assert!(grants[2].1.contains("\"editor\"") && grants[2].1.contains("\"viewer\""));
}

#[test]
fn audit_verify_finds_the_first_tampered_entry() {
    let database = TestDatabase::new();
    let line = format!("{PASSWORD}\n");
    cli(&database).ok_with_input(
        &["admin", "add", "--email", "ada@example.org", "--name", "Ada"],
        &line,
    );
    let file = example_study_in(database.dir.path(), "audited");
    cli(&database).ok(&[
        "study",
        "create",
        file.to_str().unwrap(),
        "--owner",
        "ada@example.org",
    ]);
    cli(&database).ok(&["token", "create", "--email", "ada@example.org"]);

    let db = database.connect();
    let mut conn = db.get().unwrap();
    let entries = AuditEntry::all(&mut conn).unwrap();
    assert_eq!(entries.len(), 4, "admin add, study create, grant, token create");
    let out = cli(&database).ok(&["audit", "verify"]);
    assert_eq!(out.trim(), "4 entries, chain intact");
    let out = cli(&database).ok(&["audit", "verify", "--study", "audited"]);
    assert_eq!(out.trim(), "2 entries, chain intact");
    let err = cli(&database).refused(&["audit", "verify", "--study", "nope"]);
    assert!(err.contains("nope"), "{err}");

    // Someone edits history with SQL.
    let victim = entries[1].id;
    diesel::update(audit_log::table.find(victim))
        .set(audit_log::details.eq("{\"slug\":\"forged\"}"))
        .execute(&mut conn)
        .unwrap();
    let err = cli(&database).failed(&["audit", "verify"]);
    assert!(
        err.contains(&format!("audit log entry {victim} is broken")),
        "{err}"
    );
    assert!(err.contains("contents"), "{err}");
    let err = cli(&database).failed(&["audit", "verify", "--study", "audited"]);
    assert!(err.contains(&format!("entry {victim} ")));

    // Putting the text back repairs it; deleting an entry breaks the link of the next one.
    diesel::update(audit_log::table.find(victim))
        .set(audit_log::details.eq(&entries[1].details))
        .execute(&mut conn)
        .unwrap();
    cli(&database).ok(&["audit", "verify"]);
    diesel::delete(audit_log::table.find(entries[2].id))
        .execute(&mut conn)
        .unwrap();
    let err = cli(&database).failed(&["audit", "verify"]);
    assert!(
        err.contains(&format!("audit log entry {} is broken", entries[3].id)),
        "{err}"
    );
    assert!(err.contains("link"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Sign-in, sessions, CSRF

#[tokio::test]
async fn sign_in_answers_the_same_for_unknown_email_and_wrong_password() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");

    let form = app.get("/login").await;
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(
        html.contains("name=\"password\"") && html.contains("for=\"email\""),
        "{html}"
    );

    let wrong = post_login(
        &app,
        &[("email", "ada@example.org"), ("password", "not the password")],
    )
    .await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.headers().get("set-cookie").is_none());
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("email or password is wrong"), "{wrong}");
    let unknown = post_login(&app, &[("email", "zed@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(unknown.status(), 422);
    let unknown = unknown.text().await.unwrap();
    // Each came from a sign-in page of its own, so each form carries its own token.
    assert_eq!(
        wrong
            .replace("ada@example.org", "EMAIL")
            .replace(&csrf_in(&wrong), "TOKEN"),
        unknown
            .replace("zed@example.org", "EMAIL")
            .replace(&csrf_in(&unknown), "TOKEN"),
        "the two refusals differ only in the email typed"
    );

    // The right password, with another case and spaces in the email.
    let response = post_login(
        &app,
        &[
            ("email", " ADA@example.org"),
            ("password", PASSWORD),
            ("next", "/console?x=1"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/console?x=1");
    let cookie = set_cookie(&response);
    let token = cookie_value(&cookie);
    assert_eq!(token.len(), 64);
    let flags: Vec<String> = cookie
        .split(';')
        .skip(1)
        .map(|f| f.trim().to_ascii_lowercase())
        .collect();
    assert!(flags.contains(&"httponly".into()), "{cookie}");
    assert!(flags.contains(&"samesite=lax".into()), "{cookie}");
    assert!(flags.contains(&"path=/".into()), "{cookie}");
    assert!(
        !flags.contains(&"secure".into()),
        "plain HTTP without secure_cookies: {cookie}"
    );

    // Only the hash of the token is stored.
    let mut conn = app.db.get().unwrap();
    let hashes: Vec<String> = facilitator_sessions::table
        .select(facilitator_sessions::token_hash)
        .load(&mut conn)
        .unwrap();
    assert_eq!(hashes, [delphi::domain::token::hash(&token)]);
    let last_login: Option<chrono::NaiveDateTime> = facilitators::table
        .select(facilitators::last_login_at)
        .first(&mut conn)
        .unwrap();
    assert!(last_login.is_some());

    // A redirect elsewhere is refused; signed in, /login goes straight on.
    let response = post_login(
        &app,
        &[
            ("email", "ada@example.org"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!(location(&response), "/console");
    let again = get_with(&app, "/login?next=/console", &token).await;
    assert_eq!(again.status(), 303);
    assert_eq!(location(&again), "/console");
}

#[tokio::test]
async fn the_cookie_is_secure_over_tls_or_when_configured() {
    let app = spawn_app_keeping_emails_with(|s| s.accounts.secure_cookies = true).await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    let response = post_login(&app, &[("email", "ada@example.org"), ("password", PASSWORD)]).await;
    assert!(set_cookie(&response).to_ascii_lowercase().contains("; secure"));

    // A TLS-terminating proxy says so with X-Forwarded-Proto, believed from a trusted proxy
    // only: anyone else could claim it.
    for (trusted, secure) in [(vec![], false), (vec!["127.0.0.1"], true)] {
        let app = spawn_app_keeping_emails_with(|s| {
            s.server.trusted_proxies = TrustedProxies::parse(&trusted).unwrap();
        })
        .await;
        add_named_facilitator(&app.db, "ada@example.org", "Ada");
        let response = login_request(&app, &[("email", "ada@example.org"), ("password", PASSWORD)])
            .await
            .header("X-Forwarded-Proto", "https")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(
            set_cookie(&response).to_ascii_lowercase().contains("; secure"),
            secure,
            "X-Forwarded-Proto: https from a peer trusted: {trusted:?}"
        );
    }
}

#[tokio::test]
async fn the_console_needs_a_session_and_lists_my_studies() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada <Lovelace>");
    add_named_facilitator(&app.db, "bob@example.org", "Bob");
    create_study(&app, "adas-study", Some("ada@example.org"));
    create_study(&app, "bobs-study", Some("bob@example.org"));
    create_study(&app, "nobodys-study", None);

    let response = app.get("/console").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?next=%2Fconsole");
    let response = get_with(&app, "/console", &"ab".repeat(32)).await;
    assert_eq!(response.status(), 303, "an unknown session token");
    let response = get_with(&app, "/console", "garbage").await;
    assert_eq!(response.status(), 303);
    // The login form carries `next` on.
    let form = app.text("/login?next=%2Fconsole").await;
    assert!(form.contains("name=\"next\" value=\"/console\""), "{form}");

    let token = sign_in(&app, "ada@example.org", PASSWORD).await;
    let page = get_with(&app, "/console", &token).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers().get("cache-control").unwrap(), "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("adas-study"), "{html}");
    assert!(
        !html.contains("bobs-study") && !html.contains("nobodys-study"),
        "{html}"
    );
    assert!(html.contains("owner") && html.contains("draft"), "{html}");
    assert!(html.contains("Ada &lt;Lovelace&gt;"), "names are escaped: {html}");
    assert!(html.contains("action=\"/logout\""), "{html}");
    assert!(!html.contains("<script"), "no inline script");

    // French when the browser asks for it.
    let cookie = format!("delphi_session={token}");
    let page = app
        .get_with_headers(
            "/console",
            &[("Cookie", &cookie), ("Accept-Language", "fr-CA,fr;q=0.9")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Vos études") && page.contains("propriétaire"),
        "{page}"
    );
}

#[tokio::test]
async fn console_posts_need_the_sessions_csrf_token() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    let token = sign_in(&app, "ada@example.org", PASSWORD).await;
    let csrf = csrf_of(&app, &token).await;

    let zeros = "0".repeat(64);
    for form in [vec![], vec![("csrf", "")], vec![("csrf", zeros.as_str())]] {
        let response = post_form_as(&app, "/logout", &form, &token).await;
        assert_eq!(response.status(), 403, "{form:?}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("security check failed") && html.contains("Nothing was changed"),
            "{html}"
        );
    }
    // Another session's token does not do either.
    let other = sign_in(&app, "ada@example.org", PASSWORD).await;
    let other_csrf = csrf_of(&app, &other).await;
    assert_ne!(other_csrf, csrf);
    let response = post_form_as(&app, "/logout", &[("csrf", &other_csrf)], &token).await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        get_with(&app, "/console", &token).await.status(),
        200,
        "still signed in"
    );

    // No session at all: sign in first.
    let response = post_form(&app, "/logout", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login");

    let response = post_form_as(&app, "/logout", &[("csrf", &csrf)], &token).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?done=signed_out");
    let removal = set_cookie(&response);
    assert!(removal.starts_with("delphi_session=;"), "{removal}");
    assert!(removal.to_ascii_lowercase().contains("max-age=0"), "{removal}");
    assert_eq!(
        get_with(&app, "/console", &token).await.status(),
        303,
        "signed out"
    );
    assert_eq!(
        get_with(&app, "/console", &other).await.status(),
        200,
        "the other session lives on"
    );
    let page = app.text("/login?done=signed_out").await;
    assert!(page.contains("You are signed out"), "{page}");
}

#[tokio::test]
async fn idle_sessions_end() {
    // The session's last request is moved into the past rather than waited for, so that a
    // loaded machine can neither end the session early nor keep it alive.
    let app = spawn_app_keeping_emails_with(|s| s.accounts.session_idle_secs = 60).await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    let token = sign_in(&app, "ada@example.org", PASSWORD).await;
    assert_eq!(get_with(&app, "/console", &token).await.status(), 200);
    diesel::update(facilitator_sessions::table)
        .set(facilitator_sessions::last_seen_at.eq(now() - chrono::Duration::seconds(61)))
        .execute(&mut app.db.get().unwrap())
        .unwrap();
    let response = get_with(&app, "/console", &token).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login"));
    let left: i64 = facilitator_sessions::table
        .count()
        .get_result(&mut app.db.get().unwrap())
        .unwrap();
    assert_eq!(left, 0, "the idle session is deleted");
}

#[tokio::test]
async fn sessions_are_refreshed_at_most_once_a_minute_and_end_at_their_lifetime() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    let token = sign_in(&app, "ada@example.org", PASSWORD).await;
    let seen = |app: &TestApp| -> chrono::NaiveDateTime {
        facilitator_sessions::table
            .select(facilitator_sessions::last_seen_at)
            .first(&mut app.db.get().unwrap())
            .unwrap()
    };
    let first = seen(&app);
    assert_eq!(get_with(&app, "/console", &token).await.status(), 200);
    assert_eq!(get_with(&app, "/console", &token).await.status(), 200);
    assert_eq!(seen(&app), first, "no write for requests within a minute");

    // A session last seen two minutes ago is refreshed by the next request.
    let two_minutes_ago = now() - chrono::Duration::minutes(2);
    diesel::update(facilitator_sessions::table)
        .set(facilitator_sessions::last_seen_at.eq(two_minutes_ago))
        .execute(&mut app.db.get().unwrap())
        .unwrap();
    assert_eq!(get_with(&app, "/console", &token).await.status(), 200);
    assert!(seen(&app) > two_minutes_ago);

    // Past its lifetime a session ends, however active.
    diesel::update(facilitator_sessions::table)
        .set(facilitator_sessions::expires_at.eq(now() - chrono::Duration::seconds(1)))
        .execute(&mut app.db.get().unwrap())
        .unwrap();
    assert_eq!(get_with(&app, "/console", &token).await.status(), 303);
}

#[tokio::test]
async fn repeated_bad_sign_ins_are_rate_limited() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    // The limit is 10 attempts at once, then one more every 12 seconds; on a slow machine the
    // attempts themselves take a while, so a refill may let one more through.
    let started = std::time::Instant::now();
    let mut statuses = Vec::new();
    while statuses.last() != Some(&429) && statuses.len() < 20 {
        let response = post_login(
            &app,
            &[("email", "ada@example.org"), ("password", "guess guess guess")],
        )
        .await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            let html = response.text().await.unwrap();
            assert!(html.contains("Too many sign-in attempts"), "{html}");
        }
    }
    let refills = (started.elapsed().as_secs() / 12) as usize;
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert!(statuses[..10].iter().all(|s| *s == 422), "{statuses:?}");
    assert!(
        statuses.len() <= 11 + refills,
        "{statuses:?} in {:?}",
        started.elapsed()
    );
    // Even the right password waits: the limit is on attempts, not on failures.
    let response = post_login(&app, &[("email", "ada@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("set-cookie").is_none());
}

// ---------------------------------------------------------------------------------------------
// Password reset

#[tokio::test]
async fn password_reset_by_email_works_once() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    let old_session = sign_in(&app, "ada@example.org", PASSWORD).await;

    let form = app.get("/password/forgot").await;
    assert_eq!(form.status(), 200);
    let known = post_form(&app, "/password/forgot", &[("email", "Ada@Example.org")]).await;
    assert_eq!(known.status(), 200);
    let known = known.text().await.unwrap();
    let unknown = post_form(&app, "/password/forgot", &[("email", "zed@example.org")]).await;
    assert_eq!(unknown.status(), 200);
    assert_eq!(known, unknown.text().await.unwrap(), "the answer reveals nothing");
    assert!(
        known.contains("If this address belongs to a facilitator account"),
        "{known}"
    );

    let queued = outbox_emails(&mut app.db.get().unwrap());
    assert_eq!(queued.len(), 1, "one email, to the known address only");
    assert_eq!(queued[0].kind, "password_reset");
    assert_eq!(queued[0].recipient, "ada@example.org");

    // Delivered through the file transport, as a user would receive it.
    let mut settings = app.database.settings();
    settings.server.public_url = "http://delphi.test".into();
    let summary = Worker::new(Store::from_db(app.db.clone()), settings.clone())
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    assert_eq!(summary.sent, 1);
    let file = std::fs::read_dir(settings.outbox_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("password_reset"))
        .expect("an .eml file for the reset");
    let eml = decoded(&std::fs::read_to_string(file).unwrap());
    assert!(eml.contains("Subject: Delphi: choose a new password"), "{eml}");
    let token = &token_after(&eml, "http://delphi.test/password/reset/");
    let path = format!("/password/reset/{token}");
    let sent = outbox_emails(&mut app.db.get().unwrap());
    assert!(
        !sent[0].body_text.contains(token),
        "the link is scrubbed once sent"
    );

    let page = app.get(&path).await;
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("autocomplete=\"new-password\""));

    // Refusals change nothing and leave the link working.
    let mismatch = post_form(
        &app,
        &path,
        &[
            ("password", "a brand new password"),
            ("confirm", "a brand new passw0rd"),
        ],
    )
    .await;
    assert_eq!(mismatch.status(), 422);
    assert!(mismatch.text().await.unwrap().contains("not the same"));
    let short = post_form(&app, &path, &[("password", "short"), ("confirm", "short")]).await;
    assert_eq!(short.status(), 422);
    assert!(short.text().await.unwrap().contains("at least 12 characters"));
    assert_eq!(app.get(&path).await.status(), 200);

    let done = post_form(
        &app,
        &path,
        &[
            ("password", "a brand new password"),
            ("confirm", "a brand new password"),
        ],
    )
    .await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/login?done=password_changed");

    // Once only.
    let again = app.get(&path).await;
    assert_eq!(again.status(), 404);
    assert!(again.text().await.unwrap().contains("does not work any more"));
    let again = post_form(
        &app,
        &path,
        &[
            ("password", "yet another password"),
            ("confirm", "yet another password"),
        ],
    )
    .await;
    assert_eq!(again.status(), 404);

    // The old session ended; the old password no longer works, the new one does.
    assert_eq!(get_with(&app, "/console", &old_session).await.status(), 303);
    let old = post_login(&app, &[("email", "ada@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), 422);
    sign_in(&app, "ada@example.org", "a brand new password").await;

    let mut conn = app.db.get().unwrap();
    let reset = AuditEntry::all(&mut conn)
        .unwrap()
        .into_iter()
        .find(|e| e.action == "facilitator.password_reset")
        .expect("audited");
    assert_eq!(reset.actor, "ada@example.org");
    assert!(
        reset.details.contains("\"sessions_ended\":1"),
        "{}",
        reset.details
    );
}

#[tokio::test]
async fn reset_links_expire() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    post_form(&app, "/password/forgot", &[("email", "ada@example.org")]).await;
    let queued = outbox_emails(&mut app.db.get().unwrap());
    let token = link_token(&app.database, &queued[0], "http://delphi.test/password/reset/");
    let path = format!("/password/reset/{token}");
    assert!(
        queued[0].body_text.contains("within 60 minutes"),
        "{}",
        queued[0].body_text
    );
    assert_eq!(app.get(&path).await.status(), 200);
    diesel::update(password_resets::table)
        .set(password_resets::expires_at.eq(now() - chrono::Duration::seconds(1)))
        .execute(&mut app.db.get().unwrap())
        .unwrap();
    assert_eq!(app.get(&path).await.status(), 404);
    assert_eq!(app.get("/password/reset/not-a-token").await.status(), 404);
}

#[test]
fn the_reset_email_renders_in_every_language() {
    for lang in delphi::i18n::console_languages() {
        let rendered = delphi::email::render::render(
            "password_reset",
            &serde_json::json!({
                "lang": lang, "name": "Ada O'Neil", "minutes": 60,
                "link": format!("http://delphi.test/password/reset/{}", "ab".repeat(32)),
            }),
        )
        .unwrap_or_else(|e| panic!("{lang}: {e}"));
        let html = rendered.html.clone().expect("an HTML part");
        for part in [&rendered.subject, &rendered.text, &html] {
            assert!(!part.contains("{{") && !part.contains("email-"), "{lang}: {part}");
            assert!(part.contains("Delphi"), "{lang}: {part}");
        }
        assert!(rendered.text.contains("Ada O'Neil") && rendered.text.contains("60"));
        assert!(rendered.text.contains("/password/reset/abab"), "{lang}");
        assert!(html.contains("Ada O&#x27;Neil"), "{lang}: {html}");
    }
}

// ---------------------------------------------------------------------------------------------
// API tokens

#[tokio::test]
async fn the_api_knows_who_calls_it() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "ada@example.org", "Ada");
    create_study(&app, "adas-study", Some("ada@example.org"));

    let body = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let challenge = r
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_string());
        (status, challenge, r.json::<serde_json::Value>().await.unwrap())
    };
    let (status, challenge, json) = body(app.get("/api/v1/me").await).await;
    assert_eq!(status, 401);
    assert_eq!(challenge.as_deref(), Some("Bearer realm=\"delphi\""));
    assert_eq!(json["error"], "unauthorized");
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("Authorization: Bearer"),
        "{json}"
    );

    let call = |token: String| {
        let request = app.client.get(app.url("/api/v1/me")).bearer_auth(token);
        async move { request.send().await.unwrap() }
    };
    for bad in ["ab".repeat(32), "garbage".into(), String::new()] {
        let (status, _, json) = body(call(bad.clone()).await).await;
        assert_eq!(status, 401, "{bad:?}");
        assert_eq!(json["error"], "unauthorized");
    }

    let out = cli(&app.database).ok(&["token", "create", "--email", "ada@example.org", "--label", "ci"]);
    let token = out.trim().to_string();
    assert_eq!(token.len(), 64, "{out}");
    let stored: (String, Option<chrono::NaiveDateTime>) = api_tokens::table
        .select((api_tokens::token_hash, api_tokens::last_used_at))
        .first(&mut app.db.get().unwrap())
        .unwrap();
    assert_eq!(stored, (delphi::domain::token::hash(&token), None));

    let (status, _, json) = body(call(token.clone()).await).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["email"], "ada@example.org");
    assert_eq!(json["name"], "Ada");
    assert_eq!(json["studies"][0]["slug"], "adas-study");
    assert_eq!(json["studies"][0]["role"], "owner");
    assert_eq!(json["studies"][0]["status"], "draft");
    let used: Option<chrono::NaiveDateTime> = api_tokens::table
        .select(api_tokens::last_used_at)
        .first(&mut app.db.get().unwrap())
        .unwrap();
    assert!(used.is_some());

    let list = cli(&app.database).ok(&["token", "list", "--email", "ada@example.org"]);
    assert!(
        list.contains("ci") && list.contains("active") && !list.contains(&token),
        "{list}"
    );
    let id = list.split('\t').next().unwrap().to_string();
    cli(&app.database).ok(&["token", "revoke", &id]);
    let err = cli(&app.database).refused(&["token", "revoke", &id]);
    assert!(err.contains("already revoked"), "{err}");
    let err = cli(&app.database).refused(&["token", "revoke", "999"]);
    assert!(err.contains("999"), "{err}");
    let err = cli(&app.database).refused(&["token", "create", "--email", "zed@example.org"]);
    assert!(err.contains("zed@example.org"), "{err}");

    let (status, _, json) = body(call(token).await).await;
    assert_eq!(status, 401, "revoked");
    assert_eq!(json["error"], "unauthorized");

    let actions: Vec<String> = AuditEntry::all(&mut app.db.get().unwrap())
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("api_token"))
        .collect();
    assert_eq!(actions, ["api_token.create", "api_token.revoke"]);
}

// ---------------------------------------------------------------------------------------------
// In a real browser (opt-in: `--features browser-tests`, see tests/it/browser.rs)

#[cfg(feature = "browser-tests")]
mod in_a_browser {
    use super::{add_named_facilitator, create_study, spawn_app_keeping_emails, PASSWORD};
    use crate::support::browser::Browser;

    #[tokio::test]
    async fn sign_in_console_and_sign_out_in_a_browser() {
        let app = spawn_app_keeping_emails().await;
        add_named_facilitator(&app.db, "ada@example.org", "Ada Lovelace");
        create_study(&app, "adas-study", Some("ada@example.org"));
        let browser = Browser::start(true).await;

        browser.goto(&app.url("/console")).await;
        browser.wait_for_text("name=\"password\"").await;
        browser.assert_accessible("/login").await;
        browser.click("#email").await;
        browser.keys("ada@example.org").await;
        browser.click("#password").await;
        browser.keys(PASSWORD).await;
        browser.click("button[type=submit]").await;
        let console = browser.wait_for_text("adas-study").await;
        assert!(console.contains("Signed in as Ada Lovelace"), "{console}");
        browser.assert_accessible("/console").await;

        // Keyboard users reach the skip link first, then the navigation.
        browser.keys("\u{E004}").await;
        let focused = browser
            .script("return document.activeElement.className", serde_json::json!([]))
            .await;
        assert_eq!(focused, "skip");

        browser.click(".signout button").await;
        browser.wait_for_text("You are signed out").await;
        browser.goto(&app.url("/console")).await;
        browser.wait_for_text("name=\"password\"").await;

        browser.goto(&app.url("/password/forgot")).await;
        browser.wait_for_text("name=\"email\"").await;
        browser.assert_accessible("/password/forgot").await;
    }
}
