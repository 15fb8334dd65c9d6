//! Accounts in the browser: the first run's set-up link (printed by `serve`, shown by `delphi
//! setup-link`), administrators inviting facilitators by email, and everyone's own name and
//! password. Every refused form lists all its problems at once and saves nothing.

use delphi::db::schema::audit_log;
use delphi::service::accounts;
use delphi::service::outbox::Worker;
use delphi::service::Store;
use diesel::prelude::*;

use crate::support::app::{
    keep_emails, spawn_app, spawn_app_keeping_emails, TestApp, TestDatabase, PUBLIC_URL,
};
use crate::support::cli::{Cli, Served};
use crate::support::forms::{location, post_form, unescape};
use crate::support::mail::{decoded, link_token, outbox_emails, token_after};
use crate::support::sign_in::{
    add_administrator, add_facilitator, add_named_facilitator, post_login, Session, PASSWORD,
};

const NEW_PASSWORD: &str = "four unrelated words here";

fn setup_token(app: &TestApp) -> Option<String> {
    accounts::setup_token(&mut app.db.get().unwrap()).unwrap()
}

fn no_account_yet(app: &TestApp) -> bool {
    accounts::needs_setup(&mut app.db.get().unwrap()).unwrap()
}

async fn status_and_page(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, unescape(&response.text().await.unwrap()))
}

#[tokio::test]
async fn the_first_administrator_is_made_in_the_browser_with_the_one_time_link() {
    let app = spawn_app().await;
    // Before set-up, nothing else is reachable: sign-in sends people to the set-up page.
    assert_eq!(location(&app.get("/login").await), "/setup");
    assert!(location(&app.get("/console").await).starts_with("/login"));
    let home = app.text("/").await;
    assert!(home.contains(r#"href="/setup""#), "{home}");
    let waiting = app.text("/setup").await;
    assert!(waiting.contains("delphi setup-link"), "{waiting}");

    let token = setup_token(&app).expect("a set-up link while there is no account");
    assert_eq!(
        setup_token(&app).as_deref(),
        Some(token.as_str()),
        "the same link until used"
    );
    let form = app.get(&format!("/setup/{token}")).await;
    assert_eq!(form.status(), 200);

    // Everything wrong at once, nothing saved.
    let refused = post_form(
        &app,
        &format!("/setup/{token}"),
        &[
            ("name", " "),
            ("email", "ada"),
            ("password", "short"),
            ("confirm", "other"),
        ],
    )
    .await;
    let (status, page) = status_and_page(refused).await;
    assert_eq!(status, 422);
    for (field, message) in [
        ("name", "Enter your name."),
        ("email", "Enter an email address like name@example.org."),
        ("password", "The password must be at least 12 characters long."),
        ("confirm", "The two passwords are not the same."),
    ] {
        assert!(
            page.contains(&format!(r##"<a href="#{field}">{message}</a>"##)),
            "{field}: {page}"
        );
        assert!(
            page.contains(&format!(r#"id="{field}-error""#)),
            "{field} marked: {page}"
        );
    }
    assert!(page.contains(r#"value="ada""#), "what was typed is kept: {page}");
    assert!(no_account_yet(&app));

    let created = post_form(
        &app,
        &format!("/setup/{token}"),
        &[
            ("name", "Ada Lovelace"),
            ("email", "Ada@Example.org"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&created), "/console?done=welcome");
    let me = Session::started_by(&app, created).await;
    let console = me.page("/console?done=welcome").await;
    assert!(console.contains("Welcome to Delphi"), "{console}");
    assert!(
        console.contains(r#"href="/console/accounts""#),
        "an administrator: {console}"
    );

    // Spent: the link, the set-up page and `setup_token` all say so; sign-in works.
    let (status, page) = status_and_page(app.get(&format!("/setup/{token}")).await).await;
    assert_eq!(status, 404);
    assert!(page.contains("does not work"), "{page}");
    assert_eq!(setup_token(&app), None);
    assert_eq!(app.get("/login").await.status(), 200);
    assert!(app.text("/").await.contains(r#"href="/login""#));
    let again = post_form(
        &app,
        &format!("/setup/{token}"),
        &[
            ("name", "Mallory"),
            ("email", "m@example.org"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(again.status(), 404);
    let entries: Vec<(String, String)> = audit_log::table
        .select((audit_log::actor, audit_log::action))
        .load(&mut app.db.get().unwrap())
        .unwrap();
    assert!(
        entries.contains(&("ada@example.org".into(), "facilitator.setup".into())),
        "{entries:?}"
    );
}

#[tokio::test]
async fn a_setup_link_does_not_work_once_an_account_exists_however_it_was_made() {
    let app = spawn_app().await;
    let token = setup_token(&app).unwrap();
    add_facilitator(&app.db, "cli@example.org");
    let (status, _) = status_and_page(app.get(&format!("/setup/{token}")).await).await;
    assert_eq!(status, 404);
    let malformed = app.get("/setup/not-a-token").await;
    assert_eq!(malformed.status(), 404);
}

#[tokio::test]
async fn serve_prints_the_setup_link_and_the_command_shows_it_again() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let shown = cli.ok(&["setup-link"]);
    let token = token_after(&shown, "/setup/");
    assert!(shown.trim().ends_with(&format!("/setup/{token}")), "{shown}");
    let served = Served::start(&database, &[]).await;
    let log = std::fs::read_to_string(database.dir.path().join("delphi.log")).unwrap();
    assert!(
        log.contains("Set-up link (creates the first administrator; works once): "),
        "{log}"
    );
    assert_eq!(
        token_after(&log, "/setup/"),
        token,
        "serve prints the same link: {log}"
    );
    drop(served);
    add_facilitator(&database.connect(), "ada@example.org");
    let refused = cli.refused(&["setup-link"]);
    assert!(refused.contains("already has a facilitator account"), "{refused}");
}

#[tokio::test]
async fn administrators_invite_facilitators_who_choose_their_name_and_password() {
    let app = spawn_app_keeping_emails().await;
    add_administrator(&app.db, "admin@example.org", "Grace Admin");
    let admin = Session::sign_in(&app, "admin@example.org").await;

    // Problems listed at once; nothing created.
    let page = admin
        .post_refused(
            "/console/accounts/invite",
            &[("email", "not an address"), ("name", "")],
            422,
        )
        .await;
    assert!(page.contains(r##"<a href="#email">"##), "{page}");
    assert!(page.contains(r#"value="not an address""#), "{page}");
    assert!(outbox_emails(&mut app.db.get().unwrap()).is_empty());

    let listed = admin
        .post_ok(
            "/console/accounts/invite",
            &[("email", "Bea@Example.org"), ("name", "Bea")],
            "invited",
        )
        .await;
    assert!(listed.contains("The invitation was sent."), "{listed}");
    assert!(listed.contains("invited, has not joined yet"), "{listed}");
    let page = admin
        .post_refused(
            "/console/accounts/invite",
            &[("email", "bea@example.org"), ("name", "")],
            422,
        )
        .await;
    assert!(
        page.contains("There is already an account with this email address."),
        "{page}"
    );

    let emails = outbox_emails(&mut app.db.get().unwrap());
    assert_eq!(emails.len(), 1);
    let email = &emails[0];
    assert_eq!(email.recipient, "bea@example.org");
    assert!(
        email.subject.contains("Grace Admin invites you"),
        "{}",
        email.subject
    );
    let first = link_token(&app.database, email, "/join/");

    // Not joined: cannot sign in yet, whatever the password.
    let refused = post_login(&app, &[("email", "bea@example.org"), ("password", "")]).await;
    assert_eq!(refused.status(), 422);

    // Sent again: the first link stops working.
    admin
        .post_ok(
            "/console/accounts/reinvite",
            &[("email", "bea@example.org")],
            "reinvited",
        )
        .await;
    let emails = outbox_emails(&mut app.db.get().unwrap());
    let second = link_token(&app.database, emails.last().unwrap(), "/join/");
    assert_ne!(first, second);
    assert_eq!(app.get(&format!("/join/{first}")).await.status(), 404);

    let form = app.text(&format!("/join/{second}")).await;
    assert!(
        form.contains("bea@example.org") && form.contains(r#"value="Bea""#),
        "{form}"
    );
    let (status, page) = status_and_page(
        post_form(
            &app,
            &format!("/join/{second}"),
            &[("name", ""), ("password", "short"), ("confirm", "short")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains(r##"<a href="#name">"##) && page.contains(r##"<a href="#password">"##),
        "{page}"
    );

    let joined = post_form(
        &app,
        &format!("/join/{second}"),
        &[
            ("name", "Beatrice Ng"),
            ("password", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&joined), "/console?done=welcome");
    let bea = Session::started_by(&app, joined).await;
    assert!(bea.page("/console").await.contains("Beatrice Ng"));
    assert_eq!(
        bea.get("/console/accounts").await.status(),
        403,
        "not an administrator"
    );
    assert_eq!(app.get(&format!("/join/{second}")).await.status(), 404, "spent");
    let listed = admin.page("/console/accounts").await;
    assert!(!listed.contains("invited, has not joined yet"), "{listed}");
    let page = admin
        .post_refused("/console/accounts/reinvite", &[("email", "bea@example.org")], 409)
        .await;
    assert!(page.contains("has already joined"), "{page}");
    Session::sign_in_with(&app, "bea@example.org", NEW_PASSWORD).await;

    // Once sent, the invitation's link does not stay in the outbox in clear.
    let mut settings = app.database.settings();
    keep_emails(&mut settings);
    settings.server.public_url = PUBLIC_URL.into();
    let summary = Worker::new(Store::from_db(app.db.clone()), settings)
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    assert_eq!(summary.sent, 2, "both invitations");
    for email in outbox_emails(&mut app.db.get().unwrap()) {
        assert!(
            !decoded(&email.body_text).contains(&second),
            "{}",
            email.body_text
        );
    }
}

#[tokio::test]
async fn everyone_changes_their_own_name_and_password() {
    let app = spawn_app().await;
    add_named_facilitator(&app.db, "cy@example.org", "Cy");
    let me = Session::sign_in(&app, "cy@example.org").await;
    let elsewhere = Session::sign_in(&app, "cy@example.org").await;

    let page = me
        .post_refused("/console/profile/name", &[("name", "   ")], 422)
        .await;
    assert!(page.contains("Enter your name."), "{page}");
    let page = me
        .post_ok("/console/profile/name", &[("name", "Cyrus Q")], "renamed")
        .await;
    assert!(
        page.contains("Your name was changed.") && page.contains("Signed in as Cyrus Q"),
        "{page}"
    );

    // A wrong current password and a bad new one: both said at once, nothing changed.
    let page = me
        .post_refused(
            "/console/profile/password",
            &[
                ("current", "wrong"),
                ("password", "short"),
                ("confirm", "shorter"),
            ],
            422,
        )
        .await;
    for message in [
        "Your current password is not right.",
        "The password must be at least 12 characters long.",
        "The two passwords are not the same.",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
    Session::sign_in(&app, "cy@example.org").await;

    let page = me
        .post_ok(
            "/console/profile/password",
            &[
                ("current", PASSWORD),
                ("password", NEW_PASSWORD),
                ("confirm", NEW_PASSWORD),
            ],
            "password",
        )
        .await;
    assert!(page.contains("Your password was changed."), "{page}");
    assert!(
        location(&elsewhere.get("/console").await).starts_with("/login"),
        "other sessions end"
    );
    assert_eq!(me.get("/console").await.status(), 200, "this one stays");
    let old = post_login(&app, &[("email", "cy@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), 422);
    Session::sign_in_with(&app, "cy@example.org", NEW_PASSWORD).await;
}
