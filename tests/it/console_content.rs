//! Editing a study's content in the console over HTTP — sections, items with their versions,
//! stakeholder groups — and the consensus-rule editor with its preview; who may do what, CSRF,
//! refusals that name the field and keep what was typed; and `PATCH /api/v1/…/items/{code}`.

use delphi::db::models::audit::AuditEntry;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::items::Item;
use delphi::db::models::rounds::Round;
use delphi::db::models::studies::{Group, Section};
use delphi::db::Db;
use delphi::domain::role::Role;
use delphi::service::studies;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::api::Api;
use crate::support::app::spawn_app;
use crate::support::fixtures::{actor, create_study, study};
use crate::support::forms::unescape;
use crate::support::rounds::{close_round, current_round, open_round, record_score};
use crate::support::sign_in::{add_facilitator, api_token, grant, Session};

fn item(db: &Db, slug: &str, code: &str) -> Option<Item> {
    let id = study(db, slug).id;
    let mut conn = db.get().unwrap();
    Item::of_study(&mut conn, id)
        .unwrap()
        .into_iter()
        .find(|i| i.code == code)
}

fn audited(db: &Db, slug: &str, action: &str) -> usize {
    let id = study(db, slug).id;
    let mut conn = db.get().unwrap();
    AuditEntry::of_study(&mut conn, id, 10_000)
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

/// One expert of the open round scores `code`.
fn rate(db: &Db, slug: &str, code: &str, score: i32) {
    let mut conn = db.get().unwrap();
    let round = current_round(&mut conn, slug);
    let invitation = Invitation::of_round(&mut conn, round.id).unwrap().remove(0);
    record_score(&mut conn, invitation.id, code, score);
}

#[tokio::test]
async fn sections_items_and_groups_are_edited_with_versions_kept() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "owner@example.org");
    create_study(&app, "edit", Some("owner@example.org"));
    let me = Session::sign_in(&app, "owner@example.org").await;
    let study_page = me.page("/console/s/edit").await;
    assert!(study_page.contains("href=\"/console/s/edit/content\""));
    assert!(study_page.contains("href=\"/console/s/edit/rule\""));
    let page = me.page("/console/s/edit/content").await;
    assert!(page.contains("M01") && page.contains("Researchers"), "{page}");

    // Sections: add, rename, move; the stored study file follows (the exported study.toml
    // must name every section its items use).
    let page = me
        .post_ok(
            "/console/s/edit/content/sections",
            &[("key", "extra"), ("title", "Extra indicators")],
            "section-added",
        )
        .await;
    assert!(page.contains("The section was added.") && page.contains("Extra indicators"));
    me.post_ok(
        "/console/s/edit/content/sections/extra",
        &[("title", "Additional indicators")],
        "section-renamed",
    )
    .await;
    me.post_ok(
        "/console/s/edit/content/sections/extra/move",
        &[("direction", "up")],
        "moved",
    )
    .await;
    {
        let id = study(&app.db, "edit").id;
        let mut conn = app.db.get().unwrap();
        let keys: Vec<String> = Section::of_study(&mut conn, id)
            .unwrap()
            .into_iter()
            .map(|s| s.key)
            .collect();
        assert_eq!(keys, ["maternal", "infant", "extra", "research"]);
        let loaded = studies::load(&mut conn, "edit").unwrap();
        let stored: Vec<(&str, &str)> = loaded
            .file
            .sections
            .iter()
            .map(|s| (s.key.as_str(), s.title.as_str()))
            .collect();
        assert_eq!(stored[2], ("extra", "Additional indicators"));
    }

    // Groups: add and rename.
    me.post_ok(
        "/console/s/edit/content/groups",
        &[("key", "policy"), ("name", "Policy makers")],
        "group-added",
    )
    .await;
    me.post_ok(
        "/console/s/edit/content/groups/policy/move",
        &[("direction", "up")],
        "moved",
    )
    .await;
    let page = me
        .post_ok(
            "/console/s/edit/content/groups/policy",
            &[("name", "Policy makers and funders")],
            "group-renamed",
        )
        .await;
    assert!(page.contains("Policy makers and funders"));
    {
        let id = study(&app.db, "edit").id;
        let mut conn = app.db.get().unwrap();
        let groups: Vec<(String, String)> = Group::of_study(&mut conn, id)
            .unwrap()
            .into_iter()
            .map(|g| (g.key, g.name))
            .collect();
        assert_eq!(
            groups[3],
            ("policy".to_string(), "Policy makers and funders".to_string())
        );
        assert_eq!(groups.len(), 5);
    }

    // A new item, then reworded before anyone saw it: edited in place, still version 1.
    let stamp = study(&app.db, "edit").updated_at;
    me.post_ok(
        "/console/s/edit/content/items",
        &[
            ("code", "X01"),
            ("section", "extra"),
            ("text", "Iodine status"),
            ("description", ""),
        ],
        "item-added",
    )
    .await;
    let page = me
        .post_ok(
            "/console/s/edit/content/items/X01",
            &[
                ("text", "Urinary iodine concentration"),
                ("description", "Spot urine sample"),
                ("section", "extra"),
            ],
            "item-edited",
        )
        .await;
    assert!(page.contains("Urinary iodine concentration"));
    let x01 = item(&app.db, "edit", "X01").unwrap();
    assert_eq!((x01.version, x01.origin.as_str()), (1, "editor"));
    assert_eq!(x01.description.as_deref(), Some("Spot urine sample"));
    assert!(
        study(&app.db, "edit").updated_at > stamp,
        "every change stamps the study so cached expert pages are rebuilt"
    );

    // Round 1 opens; an expert rates M01. While the round is open M01 cannot be reworded: the
    // page says why and keeps the typed wording.
    open_round(&mut app.db.get().unwrap(), "edit");
    rate(&app.db, "edit", "M01", 8);
    let refused = me
        .post_refused(
            "/console/s/edit/content/items/M01",
            &[
                ("text", "Haemoglobin (new wording)"),
                ("description", ""),
                ("section", "maternal"),
            ],
            409,
        )
        .await;
    assert!(
        refused.contains("being rated in round 1, which is open"),
        "{refused}"
    );
    assert!(
        refused.contains("Haemoglobin (new wording)</textarea>"),
        "typed text kept"
    );
    let m01_before = item(&app.db, "edit", "M01").unwrap();
    assert_eq!(m01_before.version, 1);
    let refused = me
        .post_refused(
            "/console/s/edit/content/items/M01/retire",
            &[("retired", "1")],
            409,
        )
        .await;
    assert!(refused.contains("round 1"), "{refused}");
    // An item added now is not in round 1, so it may change while the round runs.
    me.post_ok(
        "/console/s/edit/content/items",
        &[
            ("code", "X02"),
            ("section", "extra"),
            ("text", "Selenium status"),
            ("description", ""),
        ],
        "item-added",
    )
    .await;
    me.post_ok(
        "/console/s/edit/content/items/X02/retire",
        &[("retired", "1")],
        "item-retired",
    )
    .await;
    assert!(item(&app.db, "edit", "X02").unwrap().retired_at.is_some());
    me.post_ok(
        "/console/s/edit/content/items/X02/retire",
        &[("retired", "0")],
        "item-restored",
    )
    .await;
    assert!(item(&app.db, "edit", "X02").unwrap().retired_at.is_none());
    me.post_ok(
        "/console/s/edit/content/items/X02/move",
        &[("direction", "up")],
        "moved",
    )
    .await;
    close_round(&mut app.db.get().unwrap(), "edit");

    // After the round: rewording the rated M01 makes version 2; round 1 keeps version 1 and its
    // results still show the wording its experts saw.
    let page = me
        .post_ok(
            "/console/s/edit/content/items/M01",
            &[
                ("text", "Haemoglobin concentration (g/L), capillary or venous"),
                ("description", ""),
                ("section", "maternal"),
            ],
            "item-versioned",
        )
        .await;
    let m01 = item(&app.db, "edit", "M01").unwrap();
    assert_eq!(m01.version, 2);
    assert!(page.contains("Earlier wordings"));
    assert!(page.contains(&m01_before.text), "version 1 is in the history");
    assert!(page.contains("Haemoglobin concentration (g/L), capillary or venous"));
    {
        let id = study(&app.db, "edit").id;
        let mut conn = app.db.get().unwrap();
        let round1 = Round::by_number(&mut conn, id, 1).unwrap().unwrap();
        let asked = Round::items(&mut conn, round1.id).unwrap();
        let ri = asked.iter().find(|ri| ri.item_id == m01.id).unwrap();
        assert_eq!(ri.item_version, 1);
        assert_eq!(
            Item::text_at(&mut conn, m01.id, 1).unwrap().as_deref(),
            Some(m01_before.text.as_str())
        );
        assert!(!asked
            .iter()
            .any(|ri| Some(ri.item_id) == item(&app.db, "edit", "X02").map(|i| i.id)));
    }
    let results = me.page("/console/s/edit/results/1").await;
    assert!(
        results.contains(&m01_before.text),
        "round 1 shows the old wording"
    );
    assert!(!results.contains("capillary or venous"));
    let rounds_api: Value = {
        let mut conn = app.db.get().unwrap();
        let table = delphi::service::results::results(
            &mut conn,
            "edit",
            Some(1),
            delphi::service::results::Scope::Pooled,
        )
        .unwrap();
        serde_json::to_value(table).unwrap()
    };
    assert!(
        rounds_api.to_string().contains(&m01_before.text),
        "the results table has the old wording"
    );
    assert!(!rounds_api.to_string().contains("capillary or venous"));
    // The exports: round 1's results.csv keeps the old wording; the study file "as locked"
    // has the items as they stand now and parses again, new section and group included.
    {
        use delphi::export::package;
        use delphi::service::export::{collect, ExportOptions};
        let mut conn = app.db.get().unwrap();
        let options = ExportOptions {
            identified: false,
            format: "zip".into(),
        };
        let data = collect(&mut conn, "edit", &options, &actor()).unwrap();
        let files = package::package_files(&data).unwrap();
        let text = |name: &str| {
            String::from_utf8(files.iter().find(|f| f.name == name).unwrap().bytes.clone()).unwrap()
        };
        let results = text("results.csv");
        let m01_line = results.lines().find(|l| l.contains("M01")).unwrap();
        assert!(m01_line.contains("venous blood"), "{m01_line}");
        assert!(!results.contains("capillary or venous"));
        let toml = text("study.toml");
        let file = delphi::domain::study_file::parse_study_file("study.toml", &toml).unwrap();
        assert!(file
            .sections
            .iter()
            .any(|s| s.key == "extra" && s.title == "Additional indicators"));
        assert!(file.groups.iter().any(|g| g.key == "policy"));
        assert!(
            toml.contains("capillary or venous"),
            "the file has today's wording"
        );
    }

    for action in [
        "section.add",
        "section.rename",
        "section.move",
        "group.add",
        "group.rename",
        "group.move",
        "item.add",
        "item.edit",
        "item.move",
    ] {
        assert!(audited(&app.db, "edit", action) > 0, "{action} audited");
    }
}

#[tokio::test]
async fn bad_input_names_the_field_keeps_what_was_typed_and_saves_nothing() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "owner@example.org");
    create_study(&app, "bad", Some("owner@example.org"));
    let me = Session::sign_in(&app, "owner@example.org").await;
    let items_before = {
        let id = study(&app.db, "bad").id;
        let mut conn = app.db.get().unwrap();
        Item::of_study(&mut conn, id).unwrap().len()
    };

    let page = me
        .post_refused(
            "/console/s/bad/content/items",
            &[
                ("code", "Z9"),
                ("section", "maternal"),
                ("text", "   "),
                ("description", "kept description"),
            ],
            422,
        )
        .await;
    assert!(page.contains("text: must not be empty"), "{page}");
    assert!(page.contains("value=\"Z9\""), "code kept");
    assert!(page.contains("kept description</textarea>"), "description kept");

    let page = me
        .post_refused(
            "/console/s/bad/content/items",
            &[
                ("code", "m01"),
                ("section", "maternal"),
                ("text", "A duplicate"),
                ("description", ""),
            ],
            422,
        )
        .await;
    assert!(page.contains("code: the item `M01` already exists"), "{page}");
    assert!(page.contains("A duplicate</textarea>"));

    let page = me
        .post_refused(
            "/console/s/bad/content/items",
            &[
                ("code", "Z10"),
                ("section", "nowhere"),
                ("text", "Lost section"),
                ("description", ""),
            ],
            422,
        )
        .await;
    assert!(
        page.contains("section: the study has no section `nowhere`"),
        "{page}"
    );
    assert!(page.contains("Lost section</textarea>"));

    let page = me
        .post_refused(
            "/console/s/bad/content/items/M01",
            &[("text", ""), ("description", ""), ("section", "maternal")],
            422,
        )
        .await;
    assert!(page.contains("text: must not be empty"));

    let page = me
        .post_refused(
            "/console/s/bad/content/sections",
            &[("key", "Not A Key"), ("title", "Typed title")],
            422,
        )
        .await;
    assert!(page.contains("key: `Not A Key` is not a valid key"), "{page}");
    assert!(page.contains("value=\"Typed title\""));
    let page = me
        .post_refused(
            "/console/s/bad/content/sections",
            &[("key", "maternal"), ("title", "Again")],
            422,
        )
        .await;
    assert!(page.contains("the section `maternal` already exists"));
    let page = me
        .post_refused(
            "/console/s/bad/content/groups",
            &[("key", "researcher"), ("name", "Again")],
            422,
        )
        .await;
    assert!(page.contains("the group `researcher` already exists"));
    me.post_refused("/console/s/bad/content/sections/maternal", &[("title", " ")], 422)
        .await;
    me.post_refused(
        "/console/s/bad/content/things",
        &[("key", "x"), ("title", "X")],
        404,
    )
    .await;
    me.post_refused("/console/s/bad/content/groups/nobody", &[("name", "X")], 404)
        .await;
    me.post_refused(
        "/console/s/bad/content/items/NOPE",
        &[("text", "x"), ("section", "maternal")],
        404,
    )
    .await;

    let id = study(&app.db, "bad").id;
    let mut conn = app.db.get().unwrap();
    assert_eq!(Item::of_study(&mut conn, id).unwrap().len(), items_before);
    assert_eq!(Section::of_study(&mut conn, id).unwrap().len(), 3);
    assert_eq!(Group::of_study(&mut conn, id).unwrap().len(), 4);
}

#[tokio::test]
async fn viewers_only_read_and_forms_need_the_csrf_token() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "owner@example.org");
    add_facilitator(&app.db, "viewer@example.org");
    add_facilitator(&app.db, "stranger@example.org");
    create_study(&app, "roles", Some("owner@example.org"));
    grant(&app.db, "roles", "viewer@example.org", Role::Viewer);

    let viewer = Session::sign_in(&app, "viewer@example.org").await;
    let page = viewer.page("/console/s/roles/content").await;
    assert!(page.contains("M01"));
    assert!(!page.contains("name=\"text\""), "no edit forms for viewers");
    let rule = viewer.page("/console/s/roles/rule").await;
    assert!(!rule.contains("Save the rule"));
    for (path, form) in [
        (
            "/console/s/roles/content/items/M01",
            vec![("text", "Changed"), ("section", "maternal")],
        ),
        (
            "/console/s/roles/content/sections",
            vec![("key", "x"), ("title", "X")],
        ),
        ("/console/s/roles/content/groups/researcher", vec![("name", "X")]),
        ("/console/s/roles/rule", vec![("preset", "rand-ucla")]),
    ] {
        let response = viewer.post(path, &form).await;
        assert_eq!(response.status(), 403, "{path}");
    }

    let stranger = Session::sign_in(&app, "stranger@example.org").await;
    assert_eq!(stranger.get("/console/s/roles/content").await.status(), 404);

    let owner = Session::sign_in(&app, "owner@example.org").await;
    let response = owner
        .post_raw(
            "/console/s/roles/content/items/M01",
            &[("text", "Changed"), ("section", "maternal")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = owner
        .post_raw(
            "/console/s/roles/content/items/M01",
            &[
                ("csrf", &"0".repeat(64)),
                ("text", "Changed"),
                ("section", "maternal"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_ne!(item(&app.db, "roles", "M01").unwrap().text, "Changed");
    // Signed out: the sign-in page, not the content.
    let response = app.get("/console/s/roles/content").await;
    assert_ne!(response.status(), 200);
}

#[tokio::test]
async fn the_rule_editor_previews_with_the_domain_and_locks_at_round_one() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "owner@example.org");
    create_study(&app, "rule", Some("owner@example.org"));
    let me = Session::sign_in(&app, "owner@example.org").await;
    let page = me.page("/console/s/rule/rule").await;
    assert!(page.contains("Not locked yet"));
    assert!(
        page.contains("median-iqr: in: median ≥ 7 and iqr ≤ 2; out: median ≤ 3 and iqr ≤ 2"),
        "{page}"
    );
    assert!(page.contains("src=\"/static/js/rule.js\""));

    // The JSON preview. By hand, for 0 0 1 0 0 2 3 3 1 (n = 10): 7 of 10 score 7–9 (70 % ≥ 70 %)
    // and 1 of 10 scores 1–3 (10 % < 15 %): COMET says in. Sorted scores 3 6 6 7 7 7 8 8 8 9:
    // the median (type 7) is 7, so "median ≥ 8" does not hold and "median ≤ 3" neither: none.
    let response = me
        .post(
            "/console/s/rule/rule/preview.json",
            &[
                ("preset", ""),
                ("in", "median >= 8"),
                ("out", "median <= 3"),
                ("alternatives", "comet: comet"),
                ("distribution", "0 0 1 0 0 2 3 3 1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let preview: Value = response.json().await.unwrap();
    assert_eq!(preview["rules"], json!(["primary", "comet"]));
    assert_eq!(preview["points"], json!([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    let yours = preview["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"] == "Yours")
        .unwrap();
    assert_eq!(yours["counts"], json!([0, 0, 1, 0, 0, 2, 3, 3, 1]));
    assert_eq!(yours["statuses"][0]["status"], "none");
    assert_eq!(yours["statuses"][1]["status"], "in");
    assert_eq!(yours["statuses"][1]["text"], "consensus in");
    // The fixed "borderline" example: 14 of 20 high (70 %) but 3 of 20 low (15 %, not < 15 %).
    let borderline = &preview["rows"][1];
    assert_eq!(borderline["statuses"][1]["status"], "none");

    // A wrong rule or distribution: 422 naming the field.
    let response = me
        .post(
            "/console/s/rule/rule/preview.json",
            &[("preset", ""), ("in", "median seven"), ("out", "")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "in, line 1", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("median seven"),
        "{error}"
    );
    let response = me
        .post(
            "/console/s/rule/rule/preview.json",
            &[("preset", "comet"), ("distribution", "1 2 3")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "distribution", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("give 9 counts"),
        "{error}"
    );

    // Without JavaScript: the Preview button renders the same table in the page.
    let response = me
        .post(
            "/console/s/rule/rule/preview",
            &[("preset", "comet"), ("distribution", "0 0 1 0 0 2 3 3 1")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let html = unescape(&response.text().await.unwrap());
    assert!(
        html.contains("<th scope=\"row\">Yours</th><td>0</td><td>0</td><td>1</td>"),
        "{html}"
    );
    assert!(html.contains("<td data-status=\"in\">consensus in</td>"));
    assert!(
        html.contains("value=\"0 0 1 0 0 2 3 3 1\""),
        "typed distribution kept"
    );

    // Saving: a bad rule is refused with what was typed kept; a good one replaces the rule.
    let before = study(&app.db, "rule").rule_set;
    let page = me
        .post_refused(
            "/console/s/rule/rule",
            &[
                ("preset", ""),
                ("in", "share 7-9 >= 70\nshare 1-3 < 15"),
                ("out", "share 7-9 >= 50"),
            ],
            422,
        )
        .await;
    assert!(page.contains("consensus"), "{page}");
    assert!(
        page.contains("share 1-3 < 15</textarea>"),
        "typed conditions kept"
    );
    assert_eq!(study(&app.db, "rule").rule_set, before);
    let page = me
        .post_ok(
            "/console/s/rule/rule",
            &[
                ("preset", ""),
                ("in", "share 7-9 >= 80\nshare 1-3 < 10"),
                ("out", "share 1-3 >= 80"),
                ("quantiles", "6"),
                ("alternatives", "rand: rand-ucla"),
            ],
            "saved",
        )
        .await;
    assert!(page.contains("The consensus rule was saved."));
    assert!(page.contains("share 7–9 ≥ 80%"));
    let saved = study(&app.db, "rule");
    assert_ne!(saved.rule_set, before);
    {
        let mut conn = app.db.get().unwrap();
        let loaded = studies::load(&mut conn, "rule").unwrap();
        assert_eq!(loaded.file.consensus.quantiles, Some(6));
        assert_eq!(loaded.rules.alternatives.len(), 1);
    }
    assert_eq!(audited(&app.db, "rule", "rule.update"), 1);

    // Round 1 locks the rule: the page shows it locked with its hash, saving is refused.
    open_round(&mut app.db.get().unwrap(), "rule");
    let hash = study(&app.db, "rule").rule_hash.unwrap();
    let page = me.page("/console/s/rule/rule").await;
    assert!(page.contains(&hash));
    assert!(!page.contains("Save the rule"));
    let refused = me
        .post_refused("/console/s/rule/rule", &[("preset", "comet")], 409)
        .await;
    assert!(refused.contains("locked when round 1 opened"), "{refused}");
    assert!(refused.contains(&hash));
    assert_eq!(study(&app.db, "rule").rule_hash.unwrap(), hash);
    assert_eq!(audited(&app.db, "rule", "rule.update"), 1);
}

#[tokio::test]
async fn items_are_patched_through_the_api() {
    let app = spawn_app().await;
    add_facilitator(&app.db, "owner@example.org");
    add_facilitator(&app.db, "viewer@example.org");
    add_facilitator(&app.db, "stranger@example.org");
    create_study(&app, "api", Some("owner@example.org"));
    grant(&app.db, "api", "viewer@example.org", Role::Viewer);
    let owner = Api::new(&app, &api_token(&app.db, "owner@example.org", "test"));
    let viewer = Api::new(&app, &api_token(&app.db, "viewer@example.org", "test"));
    let stranger = Api::new(&app, &api_token(&app.db, "stranger@example.org", "test"));
    let path = "/api/v1/studies/api/items/M01";
    let change = json!({ "text": "Haemoglobin (g/L)" });

    let (status, body) = Api::anonymous(&app)
        .json(Method::PATCH, path, Some(&change))
        .await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthorized")));
    let (status, body) = viewer.json(Method::PATCH, path, Some(&change)).await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = stranger.json(Method::PATCH, path, Some(&change)).await;
    assert_eq!(status, 403);
    let (status, body) = owner
        .json(Method::PATCH, "/api/v1/studies/nope/items/M01", Some(&change))
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = owner
        .json(Method::PATCH, "/api/v1/studies/api/items/NOPE", Some(&change))
        .await;
    assert_eq!(status, 404, "{body}");
    assert!(body["message"].as_str().unwrap().contains("NOPE"));
    let (status, body) = owner
        .json(Method::PATCH, path, Some(&json!({ "text": "" })))
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("text")), "{body}");
    let (status, body) = owner
        .json(Method::PATCH, path, Some(&json!({ "wording": "x" })))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("wording"));
    let (status, body) = owner
        .json(Method::PATCH, path, Some(&json!({ "section": "nowhere" })))
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("section")), "{body}");
    let (status, _) = owner.json(Method::PATCH, path, Some(&json!({}))).await;
    assert_eq!(status, 422);
    assert_eq!(item(&app.db, "api", "M01").unwrap().version, 1);

    // Before any rating: reworded in place.
    let (status, body) = owner
        .json(
            Method::PATCH,
            path,
            Some(&json!({ "text": "Haemoglobin (g/L)", "description": null, "section": "infant" })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 1);
    assert_eq!(body["new_version"], false);
    assert_eq!(body["section"], "infant");
    assert_eq!(body["description"], Value::Null);

    // Asked in round 1 and rated: refused while the round is open, a new version after.
    let venous = json!({ "text": "Haemoglobin, venous (g/L)" });
    open_round(&mut app.db.get().unwrap(), "api");
    rate(&app.db, "api", "M01", 9);
    let (status, body) = owner.json(Method::PATCH, path, Some(&venous)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "conflict");
    close_round(&mut app.db.get().unwrap(), "api");
    let (status, body) = owner.json(Method::PATCH, path, Some(&venous)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["version"].as_i64(), body["new_version"].as_bool()),
        (Some(2), Some(true))
    );
    let (status, body) = owner
        .json(Method::PATCH, path, Some(&json!({ "retired": true })))
        .await;
    assert_eq!((status, body["retired"].as_bool()), (200, Some(true)), "{body}");
    assert_eq!(audited(&app.db, "api", "item.edit"), 3);

    // The OpenAPI document lists the endpoint.
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert_eq!(
        doc["paths"]["/api/v1/studies/{slug}/items/{code}"]["patch"]["operationId"],
        "editItem"
    );
}

/// The content page and the rule editor in a real browser: no serious accessibility
/// violations, and with JavaScript on the preview follows what is typed without a reload.
#[cfg(feature = "browser-tests")]
mod in_a_browser {
    use std::time::Duration;

    use super::*;
    use crate::support::browser::Browser;

    #[tokio::test]
    async fn the_rule_preview_is_live_and_both_pages_pass_axe() {
        let app = spawn_app().await;
        add_facilitator(&app.db, "owner@example.org");
        create_study(&app, "live", Some("owner@example.org"));
        let browser = Browser::start(true).await;
        browser.sign_in(&app, "owner@example.org").await;

        browser.goto(&app.url("/console/s/live/content")).await;
        browser.assert_accessible("the content page").await;

        browser.goto(&app.url("/console/s/live/rule")).await;
        browser.assert_accessible("the rule editor").await;
        assert!(!browser.source().await.contains(">Yours<"));
        browser.click("#r-distribution").await;
        browser.keys("0 0 1 0 0 2 3 3 1").await;
        // The typed distribution appears without a reload.
        browser.wait_for_text(">Yours<").await;
        // A rule that cannot be read: the reason shows, the page stays.
        browser.click("#r-in").await;
        browser.keys("median seven").await;
        browser.click("#r-preset").await;
        browser
            .script(
                "const s = document.getElementById('r-preset'); s.value = ''; \
                 s.dispatchEvent(new Event('change', { bubbles: true }));",
                json!([]),
            )
            .await;
        let mut problem = String::new();
        for _ in 0..50 {
            problem = browser
                .script(
                    "return document.getElementById('preview-problem').textContent;",
                    json!([]),
                )
                .await
                .as_str()
                .unwrap_or_default()
                .to_string();
            if !problem.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(problem.contains("no comparison"), "{problem}");
    }
}
