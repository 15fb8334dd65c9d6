//! A study's team and facilitator accounts end to end: the console's Team page and the API's
//! `/roles` endpoints (owners grant, change and remove roles; the last owner stays; unknown
//! emails are named), `delphi admin disable|enable` and the administrators' Accounts page (a
//! disabled account's sessions and tokens stop working), and an import larger than the old
//! hidden-field limit going through preview and confirm.

use delphi::db::models::audit::AuditEntry;
use delphi::db::models::items::Item;
use delphi::db::Db;
use delphi::domain::role::Role;
use delphi::service::accounts;
use delphi::service::team;
use reqwest::multipart::Form;
use reqwest::Method;
use serde_json::json;

use crate::support::api::Api;
use crate::support::app::spawn_app;
use crate::support::cli::Cli;
use crate::support::fixtures::{actor, create_study, study};
use crate::support::forms::{file_part, location, unescape};
use crate::support::sign_in::{add_administrator, add_facilitator, api_token, post_login, Session, PASSWORD};

const SLUG: &str = "team-study";

// ---------------------------------------------------------------------------------------------
// Helpers

/// `email` gets `role` as the Team page gives it.
fn set_role(db: &Db, email: &str, role: Role) {
    let mut conn = db.get().unwrap();
    team::set_role(&mut conn, SLUG, email, role, &actor()).unwrap();
}

fn roles(db: &Db) -> Vec<(String, Role)> {
    let mut conn = db.get().unwrap();
    team::members(&mut conn, SLUG)
        .unwrap()
        .into_iter()
        .map(|m| (m.email, m.role))
        .collect()
}

fn audit_actions(db: &Db, action: &str) -> Vec<(String, String)> {
    let mut conn = db.get().unwrap();
    AuditEntry::all(&mut conn)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| (e.actor, e.details))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The Team page

#[tokio::test]
async fn owners_manage_the_team_in_the_console() {
    let app = spawn_app().await;
    for email in [
        "owner@example.org",
        "ed@example.org",
        "vi@example.org",
        "out@example.org",
    ] {
        add_facilitator(&app.db, email);
    }
    create_study(&app, SLUG, Some("owner@example.org"));
    let owner = Session::sign_in(&app, "owner@example.org").await;

    // The study page links to the Team page, which lists the owner.
    let study = owner.page(&format!("/console/s/{SLUG}")).await;
    assert!(
        study.contains(&format!("href=\"/console/s/{SLUG}/team\"")),
        "{study}"
    );
    let page = owner.page(&format!("/console/s/{SLUG}/team")).await;
    assert!(page.contains("owner@example.org"), "{page}");
    assert!(page.contains("Give someone a role"));
    assert!(page.contains("delphi admin add"), "how accounts are created");

    // Grant, then change.
    let granted = owner
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", " Ed@Example.org "), ("role", "editor")],
        )
        .await;
    assert_eq!(granted.status(), 303);
    assert_eq!(location(&granted), format!("/console/s/{SLUG}/team?done=granted"));
    let page = owner.page(&location(&granted)).await;
    assert!(page.contains("The role was given."), "{page}");
    owner
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "vi@example.org"), ("role", "editor")],
        )
        .await;
    let changed = owner
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "vi@example.org"), ("role", "viewer")],
        )
        .await;
    assert_eq!(location(&changed), format!("/console/s/{SLUG}/team?done=changed"));
    assert_eq!(
        roles(&app.db),
        vec![
            ("ed@example.org".to_string(), Role::Editor),
            ("owner@example.org".to_string(), Role::Owner),
            ("vi@example.org".to_string(), Role::Viewer),
        ]
    );

    // An unknown email is named, with how accounts are made; nothing changes.
    let unknown = owner
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "nobody@example.org"), ("role", "viewer")],
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let html = unescape(&unknown.text().await.unwrap());
    assert!(
        html.contains("there is no facilitator with the email nobody@example.org")
            && html.contains("delphi admin add"),
        "{html}"
    );
    assert!(
        html.contains("value=\"nobody@example.org\""),
        "the typed email is kept"
    );
    // A role that is not one.
    let bad = owner
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "ed@example.org"), ("role", "admin")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(unescape(&bad.text().await.unwrap()).contains("\"admin\" is not a role"));

    // The last owner can be neither demoted nor removed.
    for (path, form) in [
        ("team", vec![("email", "owner@example.org"), ("role", "editor")]),
        ("team/remove", vec![("email", "owner@example.org")]),
    ] {
        let refused = owner.post(&format!("/console/s/{SLUG}/{path}"), &form).await;
        assert_eq!(refused.status(), 409, "{path}");
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("owner@example.org is the last owner of the study"),
            "{html}"
        );
    }
    assert!(roles(&app.db).contains(&("owner@example.org".to_string(), Role::Owner)));

    // Without the session's CSRF token nothing changes.
    let forged = owner
        .post_raw(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "out@example.org"), ("role", "owner")],
        )
        .await;
    assert_eq!(forged.status(), 403);
    let forged = owner
        .post_raw(
            &format!("/console/s/{SLUG}/team/remove"),
            &[("csrf", &"0".repeat(64)), ("email", "ed@example.org")],
        )
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(roles(&app.db).len(), 3);

    // An editor sees the list read-only and is refused changes; an outsider sees no study.
    let editor = Session::sign_in(&app, "ed@example.org").await;
    let page = editor.page(&format!("/console/s/{SLUG}/team")).await;
    assert!(page.contains("owner@example.org") && page.contains("only owners can change the team"));
    assert!(!page.contains("/team/remove"), "no forms for editors");
    let refused = editor
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "ed@example.org"), ("role", "owner")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let refused = editor
        .post(
            &format!("/console/s/{SLUG}/team/remove"),
            &[("email", "vi@example.org")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let outsider = Session::sign_in(&app, "out@example.org").await;
    assert_eq!(
        outsider.get(&format!("/console/s/{SLUG}/team")).await.status(),
        404
    );

    // A second owner, then the first may step down; removing works and is audited.
    owner
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "ed@example.org"), ("role", "owner")],
        )
        .await;
    let removed = owner
        .post(
            &format!("/console/s/{SLUG}/team/remove"),
            &[("email", "vi@example.org")],
        )
        .await;
    assert_eq!(location(&removed), format!("/console/s/{SLUG}/team?done=removed"));
    let removed = owner
        .post(
            &format!("/console/s/{SLUG}/team/remove"),
            &[("email", "owner@example.org")],
        )
        .await;
    assert_eq!(
        location(&removed),
        "/console",
        "someone who left goes back to their studies"
    );
    assert_eq!(roles(&app.db), vec![("ed@example.org".to_string(), Role::Owner)]);
    assert_eq!(owner.get(&format!("/console/s/{SLUG}/team")).await.status(), 404);

    let grants = audit_actions(&app.db, "study.grant");
    assert!(
        grants.iter().any(|(actor, details)| actor == "owner@example.org"
            && details.contains("\"vi@example.org\"")
            && details.contains("\"viewer\"")),
        "{grants:?}"
    );
    let revokes = audit_actions(&app.db, "study.revoke");
    assert_eq!(revokes.len(), 2, "{revokes:?}");
    assert!(revokes.iter().all(|(actor, _)| actor == "owner@example.org"));
    assert!(revokes[0].1.contains("vi@example.org"));
}

// ---------------------------------------------------------------------------------------------
// The API

#[tokio::test]
async fn the_api_manages_roles_for_owners_only() {
    let app = spawn_app().await;
    for email in [
        "owner@example.org",
        "ed@example.org",
        "out@example.org",
        "new@example.org",
    ] {
        add_facilitator(&app.db, email);
    }
    create_study(&app, SLUG, Some("owner@example.org"));
    set_role(&app.db, "ed@example.org", Role::Editor);
    let owner = Api::new(&app, &api_token(&app.db, "owner@example.org", "team test"));
    let editor = Api::new(&app, &api_token(&app.db, "ed@example.org", "team test"));
    let outsider = Api::new(&app, &api_token(&app.db, "out@example.org", "team test"));
    let roles_path = format!("/api/v1/studies/{SLUG}/roles");
    let new_path = format!("{roles_path}/new%40example.org");

    // 401 without a token, 403 for an editor, 404 for an unknown study; no role answers as the
    // rest of the API does for that study.
    let (status, body) = Api::anonymous(&app).json(Method::GET, &roles_path, None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthorized")));
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({ "role": "owner" }))),
        (Method::DELETE, None),
    ] {
        let path = if method == Method::GET {
            &roles_path
        } else {
            &new_path
        };
        let (status, json) = editor.json(method.clone(), path, body.as_ref()).await;
        assert_eq!(status, 403, "{method} {path}: {json}");
        assert_eq!(json["error"], "forbidden");
    }
    let (status, _) = owner
        .json(Method::GET, "/api/v1/studies/no-such-study/roles", None)
        .await;
    assert_eq!(status, 404);
    let (study_status, _) = outsider
        .json(Method::GET, &format!("/api/v1/studies/{SLUG}"), None)
        .await;
    let (status, _) = outsider.json(Method::GET, &roles_path, None).await;
    assert_eq!(
        status, study_status,
        "no role: the same answer as for the study itself"
    );
    assert!(status == 403 || status == 404, "{status}");

    // Grant, change, list, remove.
    let (status, json) = owner
        .json(Method::PUT, &new_path, Some(&json!({ "role": "viewer" })))
        .await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        json,
        json!({ "email": "new@example.org", "role": "viewer", "previous": null })
    );
    let (_, json) = owner
        .json(Method::PUT, &new_path, Some(&json!({ "role": "editor" })))
        .await;
    assert_eq!(json["previous"], "viewer");
    let (status, json) = owner.json(Method::GET, &roles_path, None).await;
    assert_eq!(status, 200);
    let listed: Vec<(String, String, bool)> = json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().into(),
                r["role"].as_str().unwrap().into(),
                r["active"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("ed@example.org".into(), "editor".into(), true),
            ("new@example.org".into(), "editor".into(), true),
            ("owner@example.org".into(), "owner".into(), true),
        ]
    );
    let (status, json) = owner.json(Method::DELETE, &new_path, None).await;
    assert_eq!(
        (status, json["removed"].as_str()),
        (200, Some("editor")),
        "{json}"
    );
    let (status, json) = owner.json(Method::DELETE, &new_path, None).await;
    assert_eq!(status, 404, "no role to remove: {json}");
    assert!(
        json["message"].as_str().unwrap().contains("has no role"),
        "{json}"
    );

    // Bad bodies, unknown accounts, the last owner.
    let (status, json) = owner
        .json(Method::PUT, &new_path, Some(&json!({ "role": "admin" })))
        .await;
    assert_eq!((status, json["field"].as_str()), (422, Some("role")), "{json}");
    let (status, json) = owner
        .json(Method::PUT, &new_path, Some(&json!({ "role": "viewer", "x": 1 })))
        .await;
    assert_eq!((status, json["field"].as_str()), (422, Some("x")), "{json}");
    let (status, json) = owner.json(Method::PUT, &new_path, None).await;
    assert_eq!(status, 422, "a body is required: {json}");
    let (status, json) = owner
        .json(
            Method::PUT,
            &format!("{roles_path}/ghost@example.org"),
            Some(&json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(status, 404);
    assert!(
        json["message"].as_str().unwrap().contains("ghost@example.org"),
        "{json}"
    );
    let owner_path = format!("{roles_path}/owner@example.org");
    let (status, json) = owner
        .json(Method::PUT, &owner_path, Some(&json!({ "role": "viewer" })))
        .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (409, Some("conflict")),
        "{json}"
    );
    assert!(json["message"].as_str().unwrap().contains("last owner"));
    let (status, _) = owner.json(Method::DELETE, &owner_path, None).await;
    assert_eq!(status, 409);
    // A second owner whose account is disabled does not count: nobody could use that role.
    let (status, _) = owner
        .json(Method::PUT, &new_path, Some(&json!({ "role": "owner" })))
        .await;
    assert_eq!(status, 200);
    {
        let mut conn = app.db.get().unwrap();
        accounts::set_account_disabled(&mut conn, "new@example.org", true, &actor()).unwrap();
    }
    let (status, json) = owner.json(Method::DELETE, &owner_path, None).await;
    assert_eq!(status, 409, "{json}");
    let (_, json) = owner.json(Method::GET, &roles_path, None).await;
    let new = json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == "new@example.org")
        .cloned();
    assert_eq!(
        new.map(|r| (r["role"].clone(), r["active"].clone())),
        Some((json!("owner"), json!(false)))
    );
    let (status, _) = owner.json(Method::DELETE, &new_path, None).await;
    assert_eq!(
        status, 200,
        "a disabled owner can be removed while an active one stays"
    );
    let (status, _) = owner.json(Method::POST, &owner_path, None).await;
    assert_eq!(status, 405);

    let revokes = audit_actions(&app.db, "study.revoke");
    assert_eq!(revokes.len(), 2);
    assert!(revokes.iter().all(|(actor, _)| actor == "api:owner@example.org"));

    // The endpoints are in the OpenAPI document.
    let (_, doc) = Api::anonymous(&app)
        .json(Method::GET, "/api/v1/openapi.json", None)
        .await;
    let item = &doc["paths"]["/api/v1/studies/{slug}/roles/{email}"];
    assert_eq!(item["put"]["operationId"], "setRole");
    assert_eq!(item["delete"]["operationId"], "removeRole");
    assert_eq!(
        doc["paths"]["/api/v1/studies/{slug}/roles"]["get"]["operationId"],
        "listRoles"
    );
}

// ---------------------------------------------------------------------------------------------
// Disabled accounts

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_its_session_and_token_stop_working() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "ada@example.org");
    let session = Session::sign_in(&app, "ada@example.org").await;
    let ada = Api::new(&app, &api_token(&app.db, "ada@example.org", "team test"));
    let (status, _) = ada.json(Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, 200);

    let cli = Cli::new(&app.database).quiet();
    let out = cli.ok(&["admin", "disable", "--email", "Ada@example.org"]);
    assert!(out.contains("ada@example.org disabled"));

    let console = session.get("/console").await;
    assert_eq!(console.status(), 303, "the session ended");
    assert!(location(&console).starts_with("/login"));
    let (status, _) = ada.json(Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, 401, "the token is refused");
    assert_eq!(
        post_login(&app, &[("email", "ada@example.org"), ("password", PASSWORD)])
            .await
            .status(),
        422
    );

    // Twice is refused naming the account; an unknown email too.
    let again = cli.refused(&["admin", "disable", "--email", "ada@example.org"]);
    assert!(again.contains("ada@example.org is already disabled"));
    let unknown = cli.refused(&["admin", "enable", "--email", "zed@example.org"]);
    assert!(unknown.contains("zed@example.org"));

    cli.ok(&["admin", "enable", "--email", "ada@example.org"]);
    let (status, _) = ada.json(Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, 200, "the token works again");
    let back = Session::sign_in(&app, "ada@example.org").await;
    back.page("/console").await;
    assert_eq!(
        session.get("/console").await.status(),
        303,
        "the old session stays ended"
    );

    let actions: Vec<String> = {
        let mut conn = app.db.get().unwrap();
        AuditEntry::all(&mut conn)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    };
    assert!(actions.contains(&"facilitator.disable".to_string()));
    assert!(actions.contains(&"facilitator.enable".to_string()));
}

#[tokio::test]
async fn administrators_disable_and_enable_accounts_in_the_console() {
    let app = spawn_app().await;
    add_administrator(&app.db, "root@example.org", "root@example.org");
    add_facilitator(&app.db, "ada@example.org");
    let admin = Session::sign_in(&app, "root@example.org").await;
    let ada = Session::sign_in(&app, "ada@example.org").await;

    // Only administrators see the link and the page.
    assert!(admin
        .page("/console")
        .await
        .contains("href=\"/console/accounts\""));
    assert!(!ada.page("/console").await.contains("href=\"/console/accounts\""));
    assert_eq!(ada.get("/console/accounts").await.status(), 403);
    let refused = ada
        .post("/console/accounts/disable", &[("email", "root@example.org")])
        .await;
    assert_eq!(refused.status(), 403);

    let page = admin.page("/console/accounts").await;
    assert!(
        page.contains("ada@example.org") && page.contains("root@example.org"),
        "{page}"
    );
    let forged = admin
        .post_raw("/console/accounts/disable", &[("email", "ada@example.org")])
        .await;
    assert_eq!(forged.status(), 403, "CSRF");
    let disabled = admin
        .post("/console/accounts/disable", &[("email", "ada@example.org")])
        .await;
    assert_eq!(location(&disabled), "/console/accounts?done=disabled");
    assert_eq!(ada.get("/console").await.status(), 303, "ada's session ended");
    let page = admin.page("/console/accounts?done=disabled").await;
    assert!(page.contains("Enable the account of ada@example.org"), "{page}");

    let myself = admin
        .post("/console/accounts/disable", &[("email", "root@example.org")])
        .await;
    assert_eq!(myself.status(), 409);
    admin.page("/console").await;

    let enabled = admin
        .post("/console/accounts/enable", &[("email", "ada@example.org")])
        .await;
    assert_eq!(location(&enabled), "/console/accounts?done=enabled");
    Session::sign_in(&app, "ada@example.org").await;
}

// ---------------------------------------------------------------------------------------------
// Imports larger than a form field

#[tokio::test]
async fn a_megabyte_items_file_goes_through_preview_and_confirm() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "owner@example.org");
    create_study(&app, SLUG, Some("owner@example.org"));
    let me = Session::sign_in(&app, "owner@example.org").await;
    let study_id = study(&app.db, SLUG).id;
    let items = || {
        let mut conn = app.db.get().unwrap();
        Item::of_study(&mut conn, study_id).unwrap()
    };
    let before = items().len();

    let mut csv = String::from("code,section,text,description\n");
    for n in 0..300 {
        let description = format!("Long description {n} ").repeat(200);
        csv.push_str(&format!("BIG{n:03},maternal,Big item {n},{description}\n"));
    }
    assert!(csv.len() > 1024 * 1024, "{} bytes", csv.len());
    let part = || file_part("big.csv", csv.clone().into_bytes());

    let preview = me
        .upload(
            &format!("/console/s/{SLUG}/import/items/preview"),
            Form::new().part("file", part()),
        )
        .await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    assert!(html.contains("300 to add, 0 to update"), "preview");
    assert!(
        html.len() < csv.len() / 4,
        "the page does not carry the file back"
    );
    let marker = "name=\"upload\" value=\"";
    let start = html.find(marker).expect("an upload id") + marker.len();
    let upload = html[start..start + 64].to_string();
    assert_eq!(items().len(), before, "a preview writes nothing");

    // Only the session that uploaded it, for this study and this kind of import.
    add_facilitator(&app.db, "ed@example.org");
    set_role(&app.db, "ed@example.org", Role::Editor);
    let other = Session::sign_in(&app, "ed@example.org").await;
    let refused = other
        .post(&format!("/console/s/{SLUG}/import/items"), &[("upload", &upload)])
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("upload it again"));
    let refused = me
        .post(&format!("/console/s/{SLUG}/import/panel"), &[("upload", &upload)])
        .await;
    assert_eq!(refused.status(), 422);
    let refused = me
        .post(
            &format!("/console/s/{SLUG}/import/items"),
            &[("upload", "../../../etc/passwd")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(items().len(), before);

    let confirmed = me
        .post(&format!("/console/s/{SLUG}/import/items"), &[("upload", &upload)])
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(
        location(&confirmed),
        format!("/console/s/{SLUG}?done=items&n=300")
    );
    let now = items();
    assert_eq!(now.len(), before + 300);
    let big = now.iter().find(|i| i.code == "BIG299").expect("the last row");
    assert!(big.description.as_deref().unwrap_or("").len() > 3000);

    // Used once: the file is gone after the import.
    let again = me
        .post(&format!("/console/s/{SLUG}/import/items"), &[("upload", &upload)])
        .await;
    assert_eq!(again.status(), 422);
    let pending = app.database.data_dir().join("pending-imports");
    let left: Vec<_> = std::fs::read_dir(&pending)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn the_audit_log_names_the_people_given_a_role() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "owner@example.org");
    crate::support::sign_in::add_named_facilitator(&app.db, "nadia@example.org", "Nadia Okafor");
    create_study(&app, SLUG, Some("owner@example.org"));
    let owner = Session::sign_in(&app, "owner@example.org").await;
    let granted = owner
        .post(
            &format!("/console/s/{SLUG}/team"),
            &[("email", "nadia@example.org"), ("role", "viewer")],
        )
        .await;
    assert_eq!(granted.status(), 303);
    let audit = owner.page(&format!("/console/s/{SLUG}/audit")).await;
    assert!(audit.contains("Gave Nadia Okafor the role viewer"), "{audit}");
    // The raw entry keeps the address.
    assert!(audit.contains("nadia@example.org"), "{audit}");
}
