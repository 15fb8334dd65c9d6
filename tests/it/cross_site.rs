//! No state changes from other sites (web::cross_site) and the sign-in form's own token
//! (web::auth::login_token): what another site's page makes a browser send is refused with
//! nothing changed and nobody signed in; the same requests from Delphi's own pages, an emailed
//! link, a script with an API token and a mail provider's one-click unsubscribe still work.

use delphi::db::models::experts::Expert;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::ratings::Rating;
use delphi::db::models::rounds::Round;
use delphi::db::Db;

use crate::support::app::{spawn_app, spawn_app_keeping_emails, PUBLIC_URL};
use crate::support::fixtures::{create_study, study, SLUG};
use crate::support::forms::{location, post_form, unescape};
use crate::support::mail::link_token;
use crate::support::rating_page::page_codes;
use crate::support::rounds::{current_round, load_demo, open_round_with_links};
use crate::support::sign_in::{
    add_named_facilitator, api_token, login_form_token, login_request, Session, PASSWORD,
};

const ADA: &str = "ada@example.org";

/// What a browser adds to a form post from another site's page: Fetch Metadata, or (older
/// browsers) only the page's origin.
const CROSS_SITE: [&[(&str, &str)]; 3] = [
    &[
        ("Sec-Fetch-Site", "cross-site"),
        ("Origin", "https://evil.example"),
    ],
    &[("Origin", "https://evil.example")],
    &[("Origin", "null")],
];

/// The headers of a form post from one of the server's own pages at `origin`.
fn same_origin(origin: &str) -> [(&'static str, String); 2] {
    [
        ("Sec-Fetch-Site", "same-origin".to_string()),
        ("Origin", origin.to_string()),
    ]
}

fn session_cookie_set(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap_or("").starts_with("delphi_session="))
}

async fn refused_page(response: reqwest::Response, what: &str) -> String {
    assert_eq!(response.status(), 403, "{what}");
    assert!(!session_cookie_set(&response), "{what}: nobody is signed in");
    let page = unescape(&response.text().await.unwrap());
    assert!(
        page.contains("came from another website") && page.contains("nothing was changed"),
        "{what}: {page}"
    );
    page
}

fn round_is_open(db: &Db, slug: &str) -> bool {
    let id = study(db, slug).id;
    Round::open_of_study(&mut db.get().unwrap(), id)
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn a_cross_site_sign_in_is_refused_and_signs_nobody_in() {
    let app = spawn_app().await;
    add_named_facilitator(&app.db, ADA, "Ada");
    let form = [("email", ADA), ("password", PASSWORD)];
    for headers in CROSS_SITE {
        let mut request = login_request(&app, &form).await;
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        refused_page(request.send().await.unwrap(), &format!("{headers:?}")).await;
    }

    // From the sign-in page itself: Fetch Metadata, or only an Origin that is the server's own
    // (no public URL is configured here, so the Host it was asked under).
    for headers in [
        same_origin(&app.address).to_vec(),
        vec![("Origin", app.address.clone())],
    ] {
        let mut request = login_request(&app, &form).await;
        for (name, value) in &headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 303, "{headers:?}");
        assert!(session_cookie_set(&response));
    }
}

#[tokio::test]
async fn a_sign_in_without_the_forms_token_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    add_named_facilitator(&app.db, ADA, "Ada");

    // The page gives the browser its token: in a cookie for /login only, and in the form.
    let page = app.get("/login").await;
    let set = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for flag in ["delphi_login=", "httponly", "samesite=strict", "path=/login"] {
        assert!(set.contains(flag), "{flag}: {set}");
    }
    let (cookie, csrf) = login_form_token(&app).await;
    let other_csrf = login_form_token(&app).await.1;
    assert_ne!(csrf, other_csrf, "every browser gets a token of its own");

    // What was sent: a cookie (or none) and the form's token (or none).
    let cases = [
        ("no token, no cookie", None, None),
        ("a token without its cookie", None, Some(csrf.as_str())),
        ("the cookie without the token", Some(cookie.as_str()), None),
        (
            "another browser's token",
            Some(cookie.as_str()),
            Some(other_csrf.as_str()),
        ),
    ];
    for (what, cookie, token) in cases {
        let mut fields = vec![("email", ADA), ("password", PASSWORD)];
        fields.extend(token.map(|token| ("csrf", token)));
        let mut request = app.client.post(app.url("/login")).form(&fields);
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{what}");
        assert!(!session_cookie_set(&response), "{what}");
        let page = unescape(&response.text().await.unwrap());
        assert!(
            page.contains(
                "This sign-in form had expired or did not come from this site, so nobody was signed in"
            ),
            "{what}: {page}"
        );
        // The page it answers with is a working form again, the email kept.
        assert!(page.contains("name=\"csrf\" value=\""), "{what}");
        assert!(page.contains(&format!("value=\"{ADA}\"")), "{what}");
    }

    // The browser's own token and cookie: signed in.
    let response = app
        .client
        .post(app.url("/login"))
        .header("Cookie", &cookie)
        .form(&[("email", ADA), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(session_cookie_set(&response));
}

#[tokio::test]
async fn a_cross_site_console_action_changes_nothing() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, ADA, "Ada");
    create_study(&app, "guarded", Some(ADA));
    let ada = Session::sign_in(&app, ADA).await;
    let open = "/console/s/guarded/rounds/open";
    let form = [("csrf", ada.csrf.as_str()), ("deadline", "")];

    // With the session's cookie and its CSRF token, which another site could not read, but a
    // page of another site could still make the browser send a stale or leaked one.
    for headers in CROSS_SITE {
        refused_page(
            ada.post_with_headers(open, &form, headers).await,
            &format!("{headers:?}"),
        )
        .await;
        assert!(!round_is_open(&app.db, "guarded"), "{headers:?}: no round opened");
    }
    // A public URL is configured here: an Origin that is only the Host asked is not enough for
    // a browser without Fetch Metadata…
    refused_page(
        ada.post_with_headers(open, &form, &[("Origin", &app.address)])
            .await,
        "Origin of the Host, not of the public URL",
    )
    .await;
    // …and a sibling site's page is same-site, not same-origin.
    refused_page(
        ada.post_with_headers(
            open,
            &form,
            &[
                ("Sec-Fetch-Site", "same-site"),
                ("Origin", "http://files.delphi.test"),
            ],
        )
        .await,
        "same-site",
    )
    .await;
    assert!(!round_is_open(&app.db, "guarded"));

    // The console's own page: the browser says same-origin.
    let headers = same_origin(&app.address);
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let opened = ada.post_with_headers(open, &form, &headers).await;
    assert_eq!(opened.status(), 303, "{}", opened.text().await.unwrap());
    assert!(round_is_open(&app.db, "guarded"));
    // A browser without Fetch Metadata at the public address.
    let closed = ada
        .post_with_headers(
            "/console/s/guarded/rounds/close",
            &[("csrf", ada.csrf.as_str())],
            &[("Origin", PUBLIC_URL)],
        )
        .await;
    assert_eq!(closed.status(), 303, "{}", closed.text().await.unwrap());
    assert!(!round_is_open(&app.db, "guarded"));

    // Signing out is a state change too.
    refused_page(
        ada.post_with_headers("/logout", &[("csrf", ada.csrf.as_str())], CROSS_SITE[0])
            .await,
        "sign-out",
    )
    .await;
    assert_eq!(ada.get("/console").await.status(), 200, "still signed in");
}

#[tokio::test]
async fn a_cross_site_password_reset_changes_no_password() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, ADA, "Ada");
    // Asking for a link from another site is refused too: no email goes.
    let asked = app
        .client
        .post(app.url("/password/forgot"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("email", ADA)])
        .send()
        .await
        .unwrap();
    refused_page(asked, "forgot").await;
    let pending = || OutboxEmail::pending(&mut app.db.get().unwrap(), None).unwrap();
    assert!(pending().is_empty());

    let asked = post_form(&app, "/password/forgot", &[("email", ADA)]).await;
    assert_eq!(asked.status(), 200);
    let emails = pending();
    assert_eq!(emails.len(), 1);
    let token = link_token(&app.database, &emails[0], "/password/reset/");
    let path = format!("/password/reset/{token}");
    let new_password = [
        ("password", "a brand new password"),
        ("confirm", "a brand new password"),
    ];

    for headers in CROSS_SITE {
        let mut request = app.client.post(app.url(&path)).form(&new_password);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        refused_page(request.send().await.unwrap(), &format!("{headers:?}")).await;
    }
    // Nothing changed: the old password still signs in and the link still works.
    Session::sign_in(&app, ADA).await;
    assert_eq!(app.get(&path).await.status(), 200);

    let done = app
        .client
        .post(app.url(&path))
        .header("Sec-Fetch-Site", "same-origin")
        .header("Origin", PUBLIC_URL)
        .form(&new_password)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/login?done=password_changed");
    Session::sign_in_with(&app, ADA, "a brand new password").await;
}

#[tokio::test]
async fn expert_links_scripts_and_one_click_unsubscribes_keep_working() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round_id = current_round(&mut conn, SLUG).id;
    let mut experts = links.keys().copied().collect::<Vec<_>>();
    experts.sort();
    let (expert, leaving) = (experts[0], experts[1]);
    drop(conn);
    let page = format!("/r/{}", links[&expert]);
    let saved = || {
        Rating::of_expert(&mut app.db.get().unwrap(), round_id, expert)
            .unwrap()
            .len()
    };

    // The link in the email: a top-level navigation, from a mail program (none) or from web
    // mail (cross-site).
    for site in ["none", "cross-site"] {
        let opened = app
            .client
            .get(app.url(&page))
            .header("Sec-Fetch-Site", site)
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), 200, "{site}");
    }
    let code = page_codes(&app, &links[&expert]).await[0].clone();
    let field = format!("s_{code}");
    let answer = [(field.as_str(), "7"), ("action", "save")];

    // Another site's page cannot answer for the expert, with the form or the autosave.
    let forged = app
        .client
        .post(app.url(&page))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&answer)
        .send()
        .await
        .unwrap();
    refused_page(forged, "the expert's form").await;
    let forged = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .header("Sec-Fetch-Site", "cross-site")
        .header("Accept", "application/json")
        .form(&[("item", code.as_str()), ("score", "7")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let body: serde_json::Value = forged.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    assert_eq!(saved(), 0);

    // The expert's own page posts same-origin.
    let posted = app
        .client
        .post(app.url(&page))
        .header("Sec-Fetch-Site", "same-origin")
        .header("Origin", &app.address)
        .form(&answer)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    assert_eq!(saved(), 1);

    // A script with an API token: no cookie, so no check, whatever it says.
    add_named_facilitator(&app.db, ADA, "Ada");
    let token = api_token(&app.db, ADA, "script");
    let created = app
        .client
        .post(app.url("/api/v1/studies"))
        .bearer_auth(&token)
        .header("Sec-Fetch-Site", "cross-site")
        .header("Origin", "https://evil.example")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_ne!(created.status(), 403, "a bearer request is not a browser's");
    assert_eq!(
        created.status(),
        422,
        "refused for its empty body, not its origin"
    );

    // RFC 8058: the mail provider posts the one-click unsubscribe from its own site.
    let left = app
        .client
        .post(app.url(&format!("/u/{}", links[&leaving])))
        .header("Sec-Fetch-Site", "cross-site")
        .header("Origin", "https://mail.example")
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 200);
    let withdrawn = Expert::by_id(&mut app.db.get().unwrap(), leaving)
        .unwrap()
        .unwrap()
        .withdrawn_at;
    assert!(withdrawn.is_some(), "the expert has left");
}
