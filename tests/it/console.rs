//! The facilitator console over HTTP: creating a study by upload, the study page and dashboard,
//! round control, imports with a preview, results, downloads and the audit log; who may do
//! what, and CSRF.

use delphi::db::models::audit::AuditEntry;
use delphi::db::models::experts::Expert;
use delphi::db::models::items::Item;
use delphi::db::models::rounds::Round;
use delphi::db::models::studies::StudyRow;
use delphi::db::Db;
use delphi::domain::role::Role;
use reqwest::multipart::Form;

use crate::support::app::spawn_app_keeping_emails;
use crate::support::cli::Cli;
use crate::support::fixtures::{create_study, example_bytes, example_toml, study};
use crate::support::forms::{file_part, location, unescape};
use crate::support::rounds::{open_round, record_score};
use crate::support::sign_in::{add_facilitator, add_named_facilitator, grant, Session};

fn rounds(db: &Db, slug: &str) -> Vec<Round> {
    let id = study(db, slug).id;
    Round::of_study(&mut db.get().unwrap(), id).unwrap()
}

#[tokio::test]
async fn a_study_from_upload_to_closed_round_in_the_browser() {
    let app = spawn_app_keeping_emails().await;
    add_named_facilitator(&app.db, "owner@example.org", "Olu Owner");
    let me = Session::sign_in(&app, "owner@example.org").await;

    assert!(me
        .page("/console/new")
        .await
        .contains("enctype=\"multipart/form-data\""));
    let form = Form::new()
        .part(
            "study",
            file_part("study.toml", example_toml("web-study").into_bytes()),
        )
        .part("items", file_part("items.csv", example_bytes("items.csv")))
        .part("panel", file_part("panel.csv", example_bytes("panel.csv")));
    let created = me.upload("/console/new", form).await;
    assert_eq!(created.status(), 303, "{}", created.text().await.unwrap());
    assert_eq!(location(&created), "/console/s/web-study?done=created");

    // The creator is the owner; the study is listed and its page shows the unlocked rule.
    assert!(me
        .page("/console")
        .await
        .contains("href=\"/console/s/web-study\""));
    let page = me.page("/console/s/web-study?done=created").await;
    assert!(page.contains("you are its owner"), "{page}");
    assert!(page.contains("Not locked yet"));
    assert!(page.contains("/static/js/console.js"));
    assert!(!page.contains("<script>"), "no inline script");
    let status: serde_json::Value = me.json("/console/s/web-study/status.json").await;
    assert!(status["round"].is_null());

    // The preview says what opening would do, and writes nothing.
    let preview = me.page("/console/s/web-study/rounds/preview").await;
    assert!(preview.contains("What opening round 1 will do"), "{preview}");
    assert!(preview.contains("locks the consensus rule"));
    assert!(preview.contains("E001"));
    assert!(rounds(&app.db, "web-study").is_empty());

    // Open round 1 with a deadline typed in the study's zone (Africa/Nairobi, UTC+3).
    let opened = me
        .post(
            "/console/s/web-study/rounds/open",
            &[("deadline", "2099-01-10T17:00")],
        )
        .await;
    assert_eq!(opened.status(), 303);
    assert_eq!(location(&opened), "/console/s/web-study?done=opened&n=1");
    let r = rounds(&app.db, "web-study");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].deadline.unwrap().to_string(), "2099-01-10 14:00:00");

    let page = me.page("/console/s/web-study").await;
    assert!(!page.contains("Not locked yet"));
    assert!(page.contains("class=\"hash\""), "the rule hash is shown");
    // The example study is pseudonymous: pseudonyms, never names.
    assert!(page.contains("E001"));
    assert!(!page.contains("Aïssatou"));
    assert!(page.contains("Response rate"));
    let status: serde_json::Value = me.json("/console/s/web-study/status.json").await;
    let invited = status["round"]["invited"].as_u64().unwrap();
    assert!(invited > 0);
    assert_eq!(status["round"]["submitted"], 0);
    assert_eq!(status["round"]["experts"][0]["email"], "queued");

    // Extend (only later), resend one invitation, withdraw one expert.
    let extended = me
        .post(
            "/console/s/web-study/rounds/extend",
            &[("deadline", "2099-02-01T17:00")],
        )
        .await;
    assert_eq!(extended.status(), 303);
    assert_eq!(location(&extended), "/console/s/web-study?done=extended&n=1");
    assert_eq!(
        rounds(&app.db, "web-study")[0].deadline.unwrap().to_string(),
        "2099-02-01 14:00:00"
    );
    let earlier = me
        .post(
            "/console/s/web-study/rounds/extend",
            &[("deadline", "2099-01-05T17:00")],
        )
        .await;
    assert_eq!(earlier.status(), 422);
    assert_eq!(
        rounds(&app.db, "web-study")[0].deadline.unwrap().to_string(),
        "2099-02-01 14:00:00"
    );
    let resent = me.post("/console/s/web-study/experts/E001/resend", &[]).await;
    assert_eq!(resent.status(), 303, "{}", resent.text().await.unwrap());
    let withdrawn = me.post("/console/s/web-study/experts/E002/withdraw", &[]).await;
    assert_eq!(withdrawn.status(), 303);
    {
        let mut conn = app.db.get().unwrap();
        let experts = Expert::of_study(&mut conn, study(&app.db, "web-study").id).unwrap();
        let e2 = experts.iter().find(|e| e.pseudonym == "E002").unwrap();
        assert!(e2.withdrawn_at.is_some());
    }
    assert_eq!(
        me.post("/console/s/web-study/experts/E999/resend", &[])
            .await
            .status(),
        404
    );
    let page = me.page("/console/s/web-study").await;
    assert!(page.contains("/experts/E001/resend"));
    assert!(
        !page.contains("/experts/E002/resend"),
        "no actions for a withdrawn expert"
    );

    // Opening again is refused with the service's reason, and nothing changes.
    let again = me
        .post("/console/s/web-study/rounds/open", &[("deadline", "")])
        .await;
    assert_eq!(again.status(), 409);
    assert!(unescape(&again.text().await.unwrap())
        .contains("round 1 of `web-study` is still open; close it first"));
    assert_eq!(rounds(&app.db, "web-study").len(), 1);

    let reminded = me.post("/console/s/web-study/rounds/remind", &[]).await;
    assert_eq!(reminded.status(), 303);
    // Everyone but E002, who has withdrawn.
    assert_eq!(
        location(&reminded),
        format!("/console/s/web-study?done=reminded&n={}", invited - 1)
    );

    let confirm = me.page("/console/s/web-study/rounds/close").await;
    assert!(confirm.contains("Close round 1?"), "{confirm}");
    let closed = me.post("/console/s/web-study/rounds/close", &[]).await;
    assert_eq!(closed.status(), 303);
    assert_eq!(rounds(&app.db, "web-study")[0].status.as_str(), "closed");
    let no_open = me.get("/console/s/web-study/rounds/close").await;
    assert_eq!(no_open.status(), 409);

    // Results: the round's table pooled and per group, with a chart per item and every rule.
    let results = me.page("/console/s/web-study/results").await;
    assert!(results.contains("/console/s/web-study/results/1"));
    let round = me.page("/console/s/web-study/results/1").await;
    assert!(round.contains("<svg class=\"hist\""));
    assert!(round.contains("M01"));
    let groups = me.page("/console/s/web-study/results/1?view=groups").await;
    assert!(groups.contains("researcher"));
    assert_eq!(me.get("/console/s/web-study/results/2").await.status(), 404);

    // Downloads: pseudonymous by GET; identified by POST, owners only, audited.
    let csv = me.get("/console/s/web-study/export/results.csv").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.text().await.unwrap().starts_with("round,"));
    for download in [
        "workbook.xlsx",
        "export.json",
        "report.html",
        "package.zip",
        "participants.csv",
    ] {
        let response = me.get(&format!("/console/s/web-study/export/{download}")).await;
        assert_eq!(response.status(), 200, "{download}");
        assert!(!response.bytes().await.unwrap().is_empty());
    }
    let participants = me
        .get("/console/s/web-study/export/participants.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!participants.contains("@example.org"));
    assert_eq!(
        me.get("/console/s/web-study/export/secrets.txt").await.status(),
        404
    );
    let identified = me.post("/console/s/web-study/export/participants.csv", &[]).await;
    assert_eq!(identified.status(), 200);
    assert!(identified.text().await.unwrap().contains("a.diallo@example.org"));

    let audit = me.page("/console/s/web-study/audit").await;
    assert!(audit.contains("Chain intact"), "{audit}");
    // People's words: names, sentences, the study's time zone; the raw entry one click away.
    for sentence in [
        "Created the study “web-study” with",
        "Opened round 1 with",
        "experts invited",
        "Closed round 1:",
        "Exported the data with the experts",
    ] {
        assert!(audit.contains(sentence), "{sentence} in the audit page: {audit}");
    }
    for action in [
        "study.create",
        "round.open",
        "round.remind",
        "round.close",
        "export.identified",
    ] {
        assert!(audit.contains(action), "{action} in the audit page's details");
    }
    assert!(audit.contains(">Olu Owner</td>"), "the actor by name: {audit}");
    assert!(
        audit.contains("(Africa/Nairobi)</time>"),
        "times in the study's zone: {audit}"
    );
    let mut conn = app.db.get().unwrap();
    let entries = AuditEntry::of_study(&mut conn, study(&app.db, "web-study").id, 100).unwrap();
    let opened_by = entries.iter().find(|e| e.action == "round.open").unwrap();
    assert_eq!(opened_by.actor, "owner@example.org");
}

#[tokio::test]
async fn who_may_see_and_do_what() {
    let app = spawn_app_keeping_emails().await;
    for who in [
        "owner@example.org",
        "editor@example.org",
        "viewer@example.org",
        "other@example.org",
    ] {
        add_facilitator(&app.db, who);
    }
    create_study(&app, "mine", Some("owner@example.org"));
    create_study(&app, "theirs", Some("other@example.org"));
    grant(&app.db, "mine", "editor@example.org", Role::Editor);
    grant(&app.db, "mine", "viewer@example.org", Role::Viewer);

    // No session: every console page sends to the sign-in page, remembering where it was.
    for path in [
        "/console/s/mine",
        "/console/s/mine/status.json",
        "/console/s/mine/results",
        "/console/new",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert!(location(&response).starts_with("/login?next="), "{path}");
    }
    let anonymous = app
        .client
        .post(app.url("/console/s/mine/rounds/open"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(location(&anonymous), "/login");

    // Another study's facilitator sees nothing of it, not even that it exists.
    let other = Session::sign_in(&app, "other@example.org").await;
    for path in [
        "/console/s/mine",
        "/console/s/mine/status.json",
        "/console/s/mine/results",
        "/console/s/mine/audit",
        "/console/s/mine/export/results.csv",
        "/console/s/nosuch",
    ] {
        assert_eq!(other.get(path).await.status(), 404, "{path}");
    }
    assert_eq!(other.post("/console/s/mine/rounds/open", &[]).await.status(), 404);
    assert!(!other.page("/console").await.contains("/console/s/mine"));
    assert_eq!(other.get("/console/s/mine/rounds/preview").await.status(), 404);

    // A viewer sees the pages but cannot act, and is not shown the buttons.
    let viewer = Session::sign_in(&app, "viewer@example.org").await;
    let page = viewer.page("/console/s/mine").await;
    assert!(!page.contains("/rounds/open"));
    viewer.page("/console/s/mine/results").await;
    viewer.page("/console/s/mine/audit").await;
    assert_eq!(
        viewer.post("/console/s/mine/rounds/open", &[]).await.status(),
        403
    );
    assert_eq!(viewer.get("/console/s/mine/import/items").await.status(), 403);
    for (path, french) in [
        ("/console/s/mine", "Tableau de bord"),
        ("/console/s/mine/results", "Aucun tour n’est encore clôturé"),
        ("/console/s/mine/audit", "Chaîne intacte"),
        ("/console/s/mine/audit", "A créé l"),
        ("/console/s/mine/suggestions", "Aucun expert n’a encore suggéré"),
    ] {
        let page = viewer
            .get_with_headers(path, &[("Accept-Language", "fr-CH, fr;q=0.9")])
            .await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("<html lang=\"fr\" dir=\"ltr\">"), "{path}");
        assert!(unescape(&html).contains(french), "{path}: {html}");
    }
    assert!(rounds(&app.db, "mine").is_empty());

    // CSRF: missing, empty, or another session's token → 403 and nothing changes.
    let editor = Session::sign_in(&app, "editor@example.org").await;
    for form in [vec![], vec![("csrf", "")], vec![("csrf", viewer.csrf.as_str())]] {
        let response = editor.post_raw("/console/s/mine/rounds/open", &form).await;
        assert_eq!(response.status(), 403);
        assert!(response.text().await.unwrap().contains("Nothing was changed"));
    }
    let upload = app
        .client
        .post(app.url("/console/new"))
        .header("Cookie", &editor.cookie)
        .multipart(
            Form::new()
                .text("toml", example_toml("csrf-less"))
                .text("csrf", "0".repeat(64)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 403);
    assert!(rounds(&app.db, "mine").is_empty());
    let mut conn = app.db.get().unwrap();
    assert!(StudyRow::by_slug(&mut conn, "csrf-less").unwrap().is_none());
    drop(conn);

    // The editor runs rounds; identified exports stay with owners.
    assert_eq!(
        editor.post("/console/s/mine/rounds/open", &[]).await.status(),
        303
    );
    assert_eq!(rounds(&app.db, "mine").len(), 1);
    assert!(editor.page("/console/s/mine").await.contains("/rounds/remind"));
    assert_eq!(
        editor
            .post("/console/s/mine/export/ratings.csv", &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        viewer.post("/console/s/mine/rounds/close", &[]).await.status(),
        403
    );
    assert_eq!(rounds(&app.db, "mine")[0].status.as_str(), "open");
}

#[tokio::test]
async fn an_import_is_previewed_without_writing_then_confirmed() {
    let app = spawn_app_keeping_emails().await;
    add_facilitator(&app.db, "owner@example.org");
    create_study(&app, "imp", Some("owner@example.org"));
    let me = Session::sign_in(&app, "owner@example.org").await;
    let id = study(&app.db, "imp").id;
    let item_count = || {
        let mut conn = app.db.get().unwrap();
        Item::of_study(&mut conn, id).unwrap().len()
    };
    let before = item_count();
    let m01 = {
        let mut conn = app.db.get().unwrap();
        Item::of_study(&mut conn, id)
            .unwrap()
            .into_iter()
            .find(|i| i.code == "M01")
            .unwrap()
    };

    me.page("/console/s/imp/import/items").await;
    let csv = "code,section,text\nM01,maternal,Haemoglobin reworded\nNEW1,maternal,A brand new item\n";
    let preview = me
        .upload(
            "/console/s/imp/import/items/preview",
            Form::new().part("file", file_part("more.csv", csv.into())),
        )
        .await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.unwrap();
    assert!(html.contains("1 to add, 1 to update, 0 unchanged"), "{html}");
    assert!(html.contains("NEW1 — A brand new item"));
    assert_eq!(item_count(), before, "a preview writes nothing");

    let upload = {
        let marker = "name=\"upload\" value=\"";
        let start = html.find(marker).unwrap() + marker.len();
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    let confirmed = me
        .post("/console/s/imp/import/items", &[("upload", &upload)])
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(location(&confirmed), "/console/s/imp?done=items&n=2");
    assert_eq!(item_count(), before + 1);
    let mut conn = app.db.get().unwrap();
    let reworded = Item::by_id(&mut conn, m01.id).unwrap().unwrap();
    assert_eq!(reworded.text, "Haemoglobin reworded");
    drop(conn);

    // A bad file: every error with its line, and nothing written.
    let bad = "code,section,text\nX1,nosuch,Text\nX2,maternal,\n";
    let refused = me
        .upload(
            "/console/s/imp/import/items/preview",
            Form::new().part("file", file_part("bad.csv", bad.into())),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        unescape(&html).contains("bad.csv: line 3, field `text`: must not be empty"),
        "{html}"
    );
    assert!(html.contains("Nothing was saved"));
    assert_eq!(item_count(), before + 1);

    // Panel: a new expert and an update, previewed then imported.
    let panel = "email,name,group,country,language\nnew.person@example.org,New Person,researcher,KE,en\n";
    let preview = me
        .upload(
            "/console/s/imp/import/panel/preview",
            Form::new().part("file", file_part("panel2.csv", panel.into())),
        )
        .await;
    let html = preview.text().await.unwrap();
    assert!(html.contains("1 to add, 0 to update, 0 unchanged"), "{html}");
    let mut conn = app.db.get().unwrap();
    let experts = Expert::of_study(&mut conn, id).unwrap().len();
    drop(conn);
    let upload = {
        let marker = "name=\"upload\" value=\"";
        let start = html.find(marker).unwrap() + marker.len();
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    let confirmed = me
        .post("/console/s/imp/import/panel", &[("upload", &upload)])
        .await;
    assert_eq!(confirmed.status(), 303);
    let mut conn = app.db.get().unwrap();
    assert_eq!(Expert::of_study(&mut conn, id).unwrap().len(), experts + 1);
}

#[tokio::test]
async fn a_bad_study_file_is_refused_naming_the_key_as_the_command_line_does() {
    let app = spawn_app_keeping_emails().await;
    add_facilitator(&app.db, "owner@example.org");
    let me = Session::sign_in(&app, "owner@example.org").await;
    let toml = example_toml("bad-one").replace("min = 1\nmax = 9", "min = 9\nmax = 1");
    assert_ne!(toml, example_toml("bad-one"), "the test changes the scale");

    // What the command line says about the same file.
    let dir = app.database.dir.path().join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("study.toml"), &toml).unwrap();
    std::fs::write(dir.join("items.csv"), example_bytes("items.csv")).unwrap();
    std::fs::write(dir.join("panel.csv"), example_bytes("panel.csv")).unwrap();
    let cli = Cli::on(&dir, &app.database.url)
        .quiet()
        .refused(&["study", "create", "study.toml"]);
    let key_error = cli
        .trim()
        .trim_start_matches("delphi: ")
        .split(" (and ")
        .next()
        .unwrap()
        .to_string();
    assert!(key_error.contains("key `scale"), "{cli}");

    let form = Form::new()
        .part("study", file_part("study.toml", toml.clone().into_bytes()))
        .part("items", file_part("items.csv", example_bytes("items.csv")))
        .part("panel", file_part("panel.csv", example_bytes("panel.csv")));
    let refused = me.upload("/console/new", form).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(unescape(&html).contains(&key_error), "{key_error}\n{html}");

    // Pasted without the items file it names: the missing file is named; nothing is created.
    let pasted = me
        .upload("/console/new", Form::new().text("toml", example_toml("pasted")))
        .await;
    assert_eq!(pasted.status(), 422);
    let html = pasted.text().await.unwrap();
    assert!(html.contains("no file called"), "{html}");
    let mut conn = app.db.get().unwrap();
    assert!(StudyRow::by_slug(&mut conn, "pasted").unwrap().is_none());
    assert!(StudyRow::by_slug(&mut conn, "bad-one").unwrap().is_none());
    drop(conn);

    // Nothing chosen at all.
    let empty = me.upload("/console/new", Form::new()).await;
    assert_eq!(empty.status(), 422);
}

#[tokio::test]
async fn suggestions_are_accepted_merged_or_rejected_with_a_reason() {
    use delphi::db::models::suggestions::{NewSuggestion, Suggestion};

    let app = spawn_app_keeping_emails().await;
    add_facilitator(&app.db, "owner@example.org");
    add_facilitator(&app.db, "viewer@example.org");
    create_study(&app, "sug", Some("owner@example.org"));
    grant(&app.db, "sug", "viewer@example.org", Role::Viewer);
    let id = study(&app.db, "sug").id;
    let ids: Vec<i64> = {
        let mut conn = app.db.get().unwrap();
        open_round(&mut conn, "sug");
        let round = Round::of_study(&mut conn, id).unwrap().remove(0);
        let expert = Expert::of_study(&mut conn, id).unwrap().remove(0);
        ["Vitamin D status", "Ferritin again", "Astrology"]
            .iter()
            .map(|text| {
                Suggestion::insert(
                    &mut conn,
                    &NewSuggestion {
                        study_id: id,
                        round_id: round.id,
                        expert_id: Some(expert.id),
                        section_id: None,
                        text: text.to_string(),
                        rationale: Some("missing".into()),
                        created_at: delphi::db::now(),
                        code: None,
                    },
                )
                .unwrap()
                .id
            })
            .collect()
    };
    let me = Session::sign_in(&app, "owner@example.org").await;
    let page = me.page("/console/s/sug/suggestions").await;
    assert!(page.contains("Vitamin D status"));
    assert!(page.contains("E0"), "the expert by pseudonym");
    let items_before = {
        let mut conn = app.db.get().unwrap();
        Item::of_study(&mut conn, id).unwrap().len()
    };

    // A viewer cannot decide; a decision without a reason is refused; nothing changes.
    let viewer = Session::sign_in(&app, "viewer@example.org").await;
    assert!(!viewer
        .page("/console/s/sug/suggestions")
        .await
        .contains("name=\"decision\""));
    let path = format!("/console/s/sug/suggestions/{}", ids[0]);
    assert_eq!(
        viewer
            .post(&path, &[("decision", "reject"), ("reason", "no")])
            .await
            .status(),
        403
    );
    let no_reason = me
        .post(
            &path,
            &[
                ("decision", "accept"),
                ("code", "S1"),
                ("section", "maternal"),
                ("text", "Vitamin D"),
            ],
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    let taken = me
        .post(
            &path,
            &[
                ("decision", "accept"),
                ("code", "m01"),
                ("section", "maternal"),
                ("text", "Vitamin D"),
                ("reason", "new"),
            ],
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert!(unescape(&taken.text().await.unwrap()).contains("the item `M01` already exists"));

    let accepted = me
        .post(
            &path,
            &[
                ("decision", "accept"),
                ("code", "S1"),
                ("section", "maternal"),
                ("text", "Serum 25(OH)D"),
                ("reason", "a gap in the list"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), 303);
    let merged = me
        .post(
            &format!("/console/s/sug/suggestions/{}", ids[1]),
            &[("decision", "merge"), ("into", "M02"), ("reason", "same as M02")],
        )
        .await;
    assert_eq!(merged.status(), 303);
    let rejected = me
        .post(
            &format!("/console/s/sug/suggestions/{}", ids[2]),
            &[("decision", "reject"), ("reason", "out of scope")],
        )
        .await;
    assert_eq!(rejected.status(), 303);
    let again = me
        .post(&path, &[("decision", "reject"), ("reason", "changed my mind")])
        .await;
    assert_eq!(again.status(), 409);

    let mut conn = app.db.get().unwrap();
    let items = Item::of_study(&mut conn, id).unwrap();
    assert_eq!(items.len(), items_before + 1);
    let new_item = items.iter().find(|i| i.code == "S1").unwrap();
    assert_eq!(
        (new_item.origin.as_str(), new_item.text.as_str()),
        ("suggestion", "Serum 25(OH)D")
    );
    let decided = Suggestion::of_study(&mut conn, id).unwrap();
    let statuses: Vec<_> = decided.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["accepted", "merged", "rejected"]);
    assert_eq!(decided[0].item_id, Some(new_item.id));
    assert_eq!(decided[2].decision_reason.as_deref(), Some("out of scope"));
    let actions: Vec<String> = AuditEntry::of_study(&mut conn, id, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in ["suggestion.accept", "suggestion.merge", "suggestion.reject"] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }
    drop(conn);
    let page = me.page("/console/s/sug/suggestions").await;
    assert!(page.contains("out of scope"));
    assert!(
        !page.contains("name=\"decision\""),
        "no form for decided suggestions"
    );

    // One expert answers and submits: the dashboard counts it, and round 2 can invite them.
    {
        use delphi::db::models::invitations::Invitation;
        use delphi::service::expert;
        let mut conn = app.db.get().unwrap();
        let round1 = Round::of_study(&mut conn, id).unwrap().remove(0);
        let invitation = Invitation::of_round(&mut conn, round1.id).unwrap().remove(0);
        record_score(&mut conn, invitation.id, "M01", 8);
        expert::submit(&mut conn, invitation.id).unwrap();
    }
    let status: serde_json::Value = me.json("/console/s/sug/status.json").await;
    assert_eq!(status["round"]["submitted"], 1);
    assert!(status["round"]["experts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["status"] == "submitted" && e["status_label"] == "submitted"));

    // The accepted item is rated from the next round on.
    assert_eq!(me.post("/console/s/sug/rounds/close", &[]).await.status(), 303);
    let opened = me.post("/console/s/sug/rounds/open", &[]).await;
    assert_eq!(opened.status(), 303, "{}", opened.text().await.unwrap());
    let mut conn = app.db.get().unwrap();
    let round2 = Round::of_study(&mut conn, id).unwrap().remove(1);
    let in_round2 = Round::items(&mut conn, round2.id).unwrap();
    let s1 = in_round2
        .iter()
        .find(|ri| ri.item_id == new_item.id)
        .expect("S1 is in round 2");
    assert_eq!(s1.origin.as_str(), "suggestion");
}
