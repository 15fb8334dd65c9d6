//! The JSON API (`/api/v1`): the example study from creation to its last round through the API
//! alone, compared with what the command line prints for the same data; the auth matrix; bad
//! bodies; and the OpenAPI document, followed as a script would follow it.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::api::Api;
use crate::support::app::{spawn_app, TestDatabase};
use crate::support::cli::Cli;
use crate::support::files::{csv_rows, unzip};
use crate::support::fixtures::{answer, example, example_files, Example, SLUG};
use crate::support::sign_in::PASSWORD;

/// A facilitator added with `delphi admin add`, and their token from `delphi token create`.
pub(crate) fn facilitator_with_token(database: &TestDatabase, email: &str) -> String {
    Cli::new(database).quiet().ok_with_input(
        &["admin", "add", "--email", email, "--name", "Facilitator"],
        &format!("{PASSWORD}\n{PASSWORD}\n"),
    );
    let token = Cli::new(database)
        .quiet()
        .ok(&["token", "create", "--email", email, "--label", "api test"])
        .trim()
        .to_string();
    assert_eq!(token.len(), 64, "{token}");
    token
}

/// The example study as the API's JSON: study.toml parsed into JSON, with items.csv and
/// panel.csv inline as arrays.
fn example_study_json() -> Value {
    let text = std::fs::read_to_string(example("study.toml")).unwrap();
    let mut study: Value = toml::from_str(&text).unwrap();
    let items: Vec<Value> = csv_rows(&example("items.csv"))
        .into_iter()
        .map(|row| {
            let mut item = json!({ "code": row["code"], "section": row["section"], "text": row["text"] });
            if !row["description"].is_empty() {
                item["description"] = json!(row["description"]);
            }
            if !row["text_fr"].is_empty() {
                let mut fr = json!({ "text": row["text_fr"] });
                if !row["description_fr"].is_empty() {
                    fr["description"] = json!(row["description_fr"]);
                }
                item["translations"] = json!({ "fr": fr });
            }
            item
        })
        .collect();
    let panel: Vec<Value> = csv_rows(&example("panel.csv"))
        .into_iter()
        .map(|row| json!(row))
        .collect();
    study["items"] = json!(items);
    study["panel"] = json!(panel);
    study
}

fn answers(round: u32, ex: &Example, codes: &[String], who: &[usize]) -> Value {
    let mut rows = Vec::new();
    for &e in who {
        for code in codes {
            let i = ex.items.iter().position(|(c, _)| c == code).unwrap();
            let score = match answer(round, i, e) {
                Some(s) if s == "U" => json!("U"),
                Some(s) => json!(s.parse::<i64>().unwrap()),
                None => Value::Null,
            };
            rows.push(json!({ "expert": ex.experts[e].0, "item": code, "score": score, "comment": "" }));
        }
    }
    json!(rows)
}

#[tokio::test]
async fn the_example_study_runs_to_its_end_through_the_api_alone() {
    let app = spawn_app().await;
    let token = facilitator_with_token(&app.database, "ada@example.org");
    let api = Api::new(&app, &token);
    let ex = example_files();

    let response = api
        .call(Method::POST, "/api/v1/studies", Some(&example_study_json()))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        "/api/v1/studies/lmn-2024"
    );
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["items"], ex.items.len());
    assert_eq!(created["experts"], ex.experts.len());

    let mine = api.expect(Method::GET, "/api/v1/studies", None, 200).await;
    assert_eq!(mine["studies"][0]["slug"], SLUG);
    assert_eq!(mine["studies"][0]["role"], "owner");
    let study = api
        .expect(Method::GET, "/api/v1/studies/lmn-2024", None, 200)
        .await;
    assert_eq!(study["title"], "Lactation and Micronutrient Needs");
    assert_eq!(study["groups"].as_array().unwrap().len(), 4, "{study}");
    let items = api
        .expect(Method::GET, "/api/v1/studies/lmn-2024/items", None, 200)
        .await;
    assert_eq!(items["items"].as_array().unwrap().len(), ex.items.len());
    assert_eq!(items["items"][0]["code"], "M01");
    assert!(items["items"][0]["translations"]["fr"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Concentration d'hémoglobine"));

    // Importing the same panel again changes nothing; a new item is added.
    let panel_again: Value = example_study_json()["panel"].clone();
    let summary = api
        .expect(
            Method::POST,
            "/api/v1/studies/lmn-2024/panel",
            Some(&panel_again),
            200,
        )
        .await;
    assert_eq!(
        summary,
        json!({ "added": 0, "updated": 0, "unchanged": ex.experts.len() })
    );
    let panel = api
        .expect(Method::GET, "/api/v1/studies/lmn-2024/panel", None, 200)
        .await;
    assert_eq!(panel["panel"].as_array().unwrap().len(), ex.experts.len());

    let responders: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let mut codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let mut finished = None;
    for round in 1..=3u32 {
        let opened = api
            .expect(
                Method::POST,
                "/api/v1/studies/lmn-2024/rounds",
                Some(&json!({})),
                201,
            )
            .await;
        assert_eq!(opened["number"], round);
        assert!(opened["invited"].as_u64().unwrap() > 0, "{opened}");
        let conflict = api
            .expect(Method::POST, "/api/v1/studies/lmn-2024/rounds", None, 409)
            .await;
        assert_eq!(conflict["error"], "conflict");
        let imported = api
            .expect(
                Method::POST,
                "/api/v1/studies/lmn-2024/responses",
                Some(&answers(round, &ex, &codes, &responders)),
                200,
            )
            .await;
        assert_eq!(imported["experts"], responders.len(), "{imported}");
        let reminded = api
            .expect(
                Method::POST,
                "/api/v1/studies/lmn-2024/rounds/current/remind",
                None,
                200,
            )
            .await;
        assert_eq!(reminded["round"], round, "{reminded}");
        let closed = api
            .expect(
                Method::POST,
                "/api/v1/studies/lmn-2024/rounds/current/close",
                None,
                200,
            )
            .await;
        assert_eq!(closed["number"], round);

        let path = format!("/api/v1/studies/lmn-2024/results?round={round}&format=csv");
        let (status, from_api) = api.text(&path).await;
        assert_eq!(status, 200, "{from_api}");
        let from_cli = Cli::new(&app.database).quiet().ok(&[
            "results",
            SLUG,
            "--round",
            &round.to_string(),
            "--format",
            "csv",
        ]);
        assert_eq!(
            from_api, from_cli,
            "round {round}: the API's CSV is the command line's"
        );
        let (_, by_group_api) = api.text(&format!("{path}&by_group=true")).await;
        let by_group_cli = Cli::new(&app.database).quiet().ok(&[
            "results",
            SLUG,
            "--round",
            &round.to_string(),
            "--format",
            "csv",
            "--by-group",
        ]);
        assert_eq!(by_group_api, by_group_cli);

        let table = api
            .expect(
                Method::GET,
                &format!("/api/v1/studies/lmn-2024/results?round={round}"),
                None,
                200,
            )
            .await;
        let lines = table["lines"].as_array().unwrap();
        assert_eq!(
            lines.len(),
            codes.len(),
            "one line per item asked in round {round}"
        );
        codes = lines
            .iter()
            .filter(|l| l["status"] == "none")
            .map(|l| l["item_code"].as_str().unwrap().to_string())
            .collect();
        if let Some(reason) = closed["study_finished"].as_str() {
            finished = Some((round, reason.to_string()));
            break;
        }
    }
    let (last, _) = finished.expect("the study finishes");
    assert_eq!(last, 3, "the design runs three rounds");
    let rounds = api
        .expect(Method::GET, "/api/v1/studies/lmn-2024/rounds", None, 200)
        .await;
    assert_eq!(rounds["rounds"].as_array().unwrap().len(), 3);
    let stability = api
        .expect(Method::GET, "/api/v1/studies/lmn-2024/stability", None, 200)
        .await;
    assert!(!stability["lines"].as_array().unwrap().is_empty());
    let after_end = api
        .expect(Method::POST, "/api/v1/studies/lmn-2024/rounds", None, 409)
        .await;
    assert_eq!(after_end["error"], "conflict");

    // Exports: every file downloads; the package verifies against its SHA256SUMS.
    for file in [
        "results.csv",
        "results_by_group.csv",
        "consensus.csv",
        "ratings.csv",
        "participants.csv",
        "stability.csv",
        "drift.csv",
        "study.xlsx",
        "study.json",
        "report.html",
        "package.zip",
    ] {
        let response = api
            .call(
                Method::GET,
                &format!("/api/v1/studies/lmn-2024/exports/{file}"),
                None,
            )
            .await;
        assert_eq!(response.status(), 200, "{file}");
        assert!(!response.bytes().await.unwrap().is_empty(), "{file}");
    }
    let zip = api
        .call(Method::GET, "/api/v1/studies/lmn-2024/exports/package.zip", None)
        .await
        .bytes()
        .await
        .unwrap();
    let entries = unzip(&zip);
    let sums = String::from_utf8(entries[&format!("{SLUG}/SHA256SUMS")].clone()).unwrap();
    use sha2::Digest;
    for line in sums.lines() {
        let (sum, name) = line.split_once("  ").unwrap();
        assert_eq!(
            hex::encode(sha2::Sha256::digest(&entries[&format!("{SLUG}/{name}")])),
            sum,
            "{name}"
        );
    }
    assert!(sums.contains("results.csv"), "{sums}");
    let (status, anonymous) = api
        .text("/api/v1/studies/lmn-2024/exports/participants.csv")
        .await;
    assert_eq!(status, 200);
    assert!(!anonymous.contains("@example.org"), "{anonymous}");
    let (status, identified) = api
        .text("/api/v1/studies/lmn-2024/exports/participants.csv?identified=true")
        .await;
    assert_eq!(status, 200);
    assert!(identified.contains("a.diallo@example.org"), "{identified}");
    let study_json: Value =
        serde_json::from_str(&api.text("/api/v1/studies/lmn-2024/exports/study.json").await.1).unwrap();
    assert!(study_json.is_object());
}

#[tokio::test]
async fn tokens_and_roles_decide_who_may_do_what() {
    let app = spawn_app().await;
    let ada = facilitator_with_token(&app.database, "ada@example.org");
    let bob = facilitator_with_token(&app.database, "bob@example.org");
    let ada = Api::new(&app, &ada);
    let bob_api = Api::new(&app, &bob);
    ada.expect(Method::POST, "/api/v1/studies", Some(&example_study_json()), 201)
        .await;

    // No token, a malformed one, an unknown one: 401 with a JSON error.
    let response = app.get("/api/v1/studies").await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "unauthorized");
    for bad in ["ab".repeat(32), "not a token".into()] {
        let stranger = Api::new(&app, &bad);
        let json = stranger
            .expect(Method::GET, "/api/v1/studies/lmn-2024", None, 401)
            .await;
        assert_eq!(json["error"], "unauthorized");
    }

    // Another facilitator's study: 403, for reading and for changing; an unknown study: 404.
    for (method, path) in [
        (Method::GET, "/api/v1/studies/lmn-2024"),
        (Method::GET, "/api/v1/studies/lmn-2024/results"),
        (Method::POST, "/api/v1/studies/lmn-2024/rounds"),
        (Method::GET, "/api/v1/studies/lmn-2024/exports/ratings.csv"),
    ] {
        let json = bob_api.expect(method, path, None, 403).await;
        assert_eq!(json["error"], "forbidden", "{path}");
    }
    let json = bob_api
        .expect(Method::GET, "/api/v1/studies/no-such-study", None, 404)
        .await;
    assert_eq!(json["error"], "not_found");
    let mine = bob_api.expect(Method::GET, "/api/v1/studies", None, 200).await;
    assert_eq!(mine["studies"], json!([]));

    // A viewer reads but changes nothing, and exports only without identities.
    Cli::new(&app.database).quiet().ok(&[
        "study",
        "grant",
        SLUG,
        "--email",
        "bob@example.org",
        "--role",
        "viewer",
    ]);
    bob_api
        .expect(Method::GET, "/api/v1/studies/lmn-2024", None, 200)
        .await;
    bob_api
        .expect(Method::GET, "/api/v1/studies/lmn-2024/items", None, 200)
        .await;
    let json = bob_api
        .expect(
            Method::POST,
            "/api/v1/studies/lmn-2024/rounds",
            Some(&json!({})),
            403,
        )
        .await;
    assert!(json["message"].as_str().unwrap().contains("viewer"), "{json}");
    bob_api
        .expect(
            Method::POST,
            "/api/v1/studies/lmn-2024/items",
            Some(&json!([])),
            403,
        )
        .await;
    let (status, _) = bob_api
        .text("/api/v1/studies/lmn-2024/exports/participants.csv")
        .await;
    assert_eq!(status, 200);
    let json = bob_api
        .expect(
            Method::GET,
            "/api/v1/studies/lmn-2024/exports/participants.csv?identified=true",
            None,
            403,
        )
        .await;
    assert_eq!(json["error"], "forbidden");
    // Erasing an expert is for owners, as identified exports are.
    bob_api
        .expect(
            Method::POST,
            "/api/v1/studies/lmn-2024/panel/erase",
            Some(&json!({ "email": "a.diallo@example.org" })),
            403,
        )
        .await;
    let rounds = ada
        .expect(Method::GET, "/api/v1/studies/lmn-2024/rounds", None, 200)
        .await;
    assert_eq!(rounds["rounds"], json!([]), "the viewer opened nothing");

    // A revoked token stops working at once.
    let list = Cli::new(&app.database)
        .quiet()
        .ok(&["token", "list", "--email", "bob@example.org"]);
    let id = list.split('\t').next().unwrap().to_string();
    Cli::new(&app.database).quiet().ok(&["token", "revoke", &id]);
    let json = bob_api
        .expect(Method::GET, "/api/v1/studies/lmn-2024", None, 401)
        .await;
    assert_eq!(json["error"], "unauthorized");
}

#[tokio::test]
async fn bad_bodies_are_refused_with_json_naming_what_and_where_and_nothing_is_saved() {
    let app = spawn_app().await;
    let token = facilitator_with_token(&app.database, "ada@example.org");
    let api = Api::new(&app, &token);

    let raw = |body: &'static str, content_type: &'static str| {
        let request = app
            .client
            .post(app.url("/api/v1/studies"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body);
        async move {
            let r = request.send().await.unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            let json: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
            (status, json)
        }
    };
    let (status, json) = raw("{\"slug\": ", "application/json").await;
    assert_eq!(status, 400);
    assert_eq!(json["error"], "bad_request");
    assert!(
        json["message"].as_str().unwrap().contains("not valid JSON"),
        "{json}"
    );
    let (status, json) = raw("slug = \"x\"", "text/plain").await;
    assert_eq!(status, 415);
    assert_eq!(json["error"], "unsupported_media_type");
    let huge = Box::leak(format!("[\"{}\"]", "x".repeat(5 * 1024 * 1024)).into_boxed_str());
    let (status, json) = raw(huge, "application/json").await;
    assert_eq!(status, 413);
    assert_eq!(json["error"], "too_large");

    // Unknown keys name their path, at the top, in a table and in an item.
    let mut study = example_study_json();
    study["rounds"]["stop_when_all_resolvd"] = json!(true);
    let json = api
        .expect(Method::POST, "/api/v1/studies", Some(&study), 422)
        .await;
    assert_eq!(json["error"], "invalid");
    assert_eq!(json["field"], "rounds.stop_when_all_resolvd", "{json}");
    let mut study = example_study_json();
    study["items"][2]["colour"] = json!("red");
    let json = api
        .expect(Method::POST, "/api/v1/studies", Some(&study), 422)
        .await;
    assert_eq!(json["field"], "item[3].colour", "{json}");
    let mut study = example_study_json();
    study["rounds"]["max"] = json!(0);
    study["items"][1]["section"] = json!("nowhere");
    study["panel"][0]["email"] = json!("not-an-email");
    let json = api
        .expect(Method::POST, "/api/v1/studies", Some(&study), 422)
        .await;
    let message = json["message"].as_str().unwrap();
    for needle in ["rounds.max", "item[2].section", "panel[1].email", "not-an-email"] {
        assert!(message.contains(needle), "{needle}: {message}");
    }
    let mut study = example_study_json();
    study["panel"][3]["group"] = json!("aliens");
    let json = api
        .expect(Method::POST, "/api/v1/studies", Some(&study), 422)
        .await;
    assert_eq!(json["field"], "panel[4].group", "{json}");
    assert!(json["message"].as_str().unwrap().contains("aliens"), "{json}");
    let mut study = example_study_json();
    study["items"] = json!("items.csv");
    let json = api
        .expect(Method::POST, "/api/v1/studies", Some(&study), 422)
        .await;
    assert_eq!(json["field"], "items");
    let json = api
        .expect(Method::POST, "/api/v1/studies", Some(&json!([1, 2])), 422)
        .await;
    assert_eq!(json["error"], "invalid");
    let json = api.expect(Method::POST, "/api/v1/studies", None, 400).await;
    assert_eq!(json["error"], "bad_request");
    let mine = api.expect(Method::GET, "/api/v1/studies", None, 200).await;
    assert_eq!(mine["studies"], json!([]), "nothing was created");

    api.expect(Method::POST, "/api/v1/studies", Some(&example_study_json()), 201)
        .await;
    let json = api
        .expect(Method::POST, "/api/v1/studies", Some(&example_study_json()), 409)
        .await;
    assert_eq!(json["error"], "conflict");

    // Item rows: all or nothing, errors name the row (counting from 1) and field.
    let rows = json!([
        { "code": "X01", "section": "maternal", "text": "A new item" },
        { "code": "X02", "section": "nowhere", "text": "Wrong section" },
        { "code": "bad code!", "section": "maternal", "text": "Bad code" },
    ]);
    let json = api
        .expect(Method::POST, "/api/v1/studies/lmn-2024/items", Some(&rows), 422)
        .await;
    assert_eq!(json["field"], "items[3].code", "{json}");
    let rows = json!([
        { "code": "X01", "section": "maternal", "text": "A new item" },
        { "code": "X02", "section": "nowhere", "text": "Wrong section" },
    ]);
    let json = api
        .expect(Method::POST, "/api/v1/studies/lmn-2024/items", Some(&rows), 422)
        .await;
    assert_eq!(json["field"], "items[2].section", "{json}");
    let json = api
        .expect(
            Method::POST,
            "/api/v1/studies/lmn-2024/items",
            Some(&json!([{ "code": "X03", "section": "maternal", "txt": "typo" }])),
            422,
        )
        .await;
    assert_eq!(json["field"], "items[1].txt", "{json}");
    let items = api
        .expect(Method::GET, "/api/v1/studies/lmn-2024/items", None, 200)
        .await;
    assert!(
        !items["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "X01"),
        "nothing of a refused import is saved"
    );
    let json = api
        .expect(
            Method::POST,
            "/api/v1/studies/lmn-2024/panel",
            Some(&json!([{ "email": "not-an-email", "name": "X", "group": "researcher" }])),
            422,
        )
        .await;
    assert_eq!(json["field"], "panel[1].email", "{json}");

    // Rounds: a bad deadline, an unknown key, answers without an open round, a bad query, a
    // file that is not an export; each refusal names its field or kind of error.
    let answer = json!([{ "expert": "a.diallo@example.org", "item": "M01", "score": 5 }]);
    for (method, path, body, status, key, value) in [
        (
            Method::POST,
            "rounds",
            Some(json!({ "deadline": "next tuesday" })),
            422,
            "field",
            "deadline",
        ),
        (
            Method::POST,
            "rounds",
            Some(json!({ "deadlin": "2099-01-01T00:00:00Z" })),
            422,
            "field",
            "deadlin",
        ),
        (
            Method::POST,
            "rounds/current/close",
            None,
            409,
            "error",
            "conflict",
        ),
        (Method::POST, "responses", Some(answer), 409, "error", "conflict"),
        (
            Method::GET,
            "results?round=abc",
            None,
            400,
            "error",
            "bad_request",
        ),
        (Method::GET, "exports/secrets.txt", None, 404, "field", "file"),
    ] {
        let path = format!("/api/v1/studies/lmn-2024/{path}");
        let json = api.expect(method, &path, body.as_ref(), status).await;
        assert_eq!(json[key], value, "{path}: {json}");
    }

    api.expect(
        Method::POST,
        "/api/v1/studies/lmn-2024/rounds",
        Some(&json!({ "deadline": "2099-01-01T12:00:00+03:00" })),
        201,
    )
    .await;
    // Answers are all or nothing: the first bad one is named, counting from 1.
    let answers = [
        json!({ "expert": "a.diallo@example.org", "item": "M01", "score": 5 }),
        json!({ "expert": "a.diallo@example.org", "item": "M02", "score": 42 }),
        json!({ "expert": "a.diallo@example.org", "item": "M03", "score": true }),
    ];
    for (sent, field) in [(3, "responses[3].score"), (2, "responses[2].score")] {
        let body = json!(&answers[..sent]);
        let json = api
            .expect(
                Method::POST,
                "/api/v1/studies/lmn-2024/responses",
                Some(&body),
                422,
            )
            .await;
        assert_eq!(json["field"], field, "{json}");
    }
    let closed = api
        .expect(
            Method::POST,
            "/api/v1/studies/lmn-2024/rounds/current/close",
            None,
            200,
        )
        .await;
    let results = api
        .expect(Method::GET, "/api/v1/studies/lmn-2024/results?round=1", None, 200)
        .await;
    assert!(
        results["lines"].as_array().unwrap().iter().all(|l| l["n"] == 0),
        "the refused answers were not saved: {closed} {results}"
    );
}

#[tokio::test]
async fn a_script_that_knows_only_the_openapi_document_runs_a_round() {
    let app = spawn_app().await;
    let token = facilitator_with_token(&app.database, "ada@example.org");
    let api = Api::new(&app, &token);

    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();

    // Every documented operation is served: without a token each answers 401 in JSON (not a 404
    // or 405 of an unregistered route), and the document itself is public.
    let mut documented = BTreeSet::new();
    for (template, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            documented.insert((method.to_uppercase(), template.clone()));
            let path = template
                .replace("{slug}", "lmn-2024")
                .replace("{file}", "results.csv");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), app.url(&path))
                .send()
                .await
                .unwrap();
            let public = operation["security"] == json!([]);
            let expected = if public { 200 } else { 401 };
            assert_eq!(response.status().as_u16(), expected, "{method} {path}");
            let body: Value = response.json().await.unwrap();
            if !public {
                assert_eq!(body["error"], "unauthorized");
                assert!(operation["responses"]["401"].is_object(), "{method} {template}");
            }
        }
    }
    // And every route the issue asks for is documented.
    let expected: BTreeSet<(String, String)> = [
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/studies/{slug}/roles"),
        ("PUT", "/api/v1/studies/{slug}/roles/{email}"),
        ("DELETE", "/api/v1/studies/{slug}/roles/{email}"),
        ("GET", "/api/v1/studies"),
        ("POST", "/api/v1/studies"),
        ("GET", "/api/v1/studies/{slug}"),
        ("GET", "/api/v1/studies/{slug}/items"),
        ("POST", "/api/v1/studies/{slug}/items"),
        ("PATCH", "/api/v1/studies/{slug}/items/{code}"),
        ("GET", "/api/v1/studies/{slug}/panel"),
        ("POST", "/api/v1/studies/{slug}/panel"),
        ("GET", "/api/v1/studies/{slug}/rounds"),
        ("POST", "/api/v1/studies/{slug}/rounds"),
        ("POST", "/api/v1/studies/{slug}/rounds/current/close"),
        ("POST", "/api/v1/studies/{slug}/rounds/current/remind"),
        ("GET", "/api/v1/studies/{slug}/rounds/next/preview"),
        ("POST", "/api/v1/studies/{slug}/rounds/current/extend"),
        ("POST", "/api/v1/studies/{slug}/rounds/current/resend"),
        ("POST", "/api/v1/studies/{slug}/panel/withdraw"),
        ("POST", "/api/v1/studies/{slug}/panel/erase"),
        ("POST", "/api/v1/studies/{slug}/responses"),
        ("GET", "/api/v1/studies/{slug}/results"),
        ("GET", "/api/v1/studies/{slug}/stability"),
        ("GET", "/api/v1/studies/{slug}/exports/{file}"),
        ("POST", "/api/v1/bounces"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    assert_eq!(documented, expected);

    // Outside the table: a JSON 405 for another method on a known path, a JSON 404 elsewhere.
    let response = app
        .client
        .put(app.url("/api/v1/studies"))
        .bearer_auth(api.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, POST");
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "method_not_allowed"
    );
    let response = app.get("/api/v1/studies/lmn-2024/nothing-here").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "not_found");

    // The walk: find each operation by its operationId and fill in its path template.
    let find = |id: &str| -> (Method, String) {
        for (template, item) in paths {
            for (method, operation) in item.as_object().unwrap() {
                if operation["operationId"] == id {
                    return (
                        Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                        template.clone(),
                    );
                }
            }
        }
        panic!("no operation {id}");
    };
    let fill = |template: &str| template.replace("{slug}", SLUG);
    let mut study = example_study_json();
    study["panel"] = json!([]);
    study["panel"] = example_study_json()["panel"].clone();
    let (method, template) = find("createStudy");
    let body = &doc["paths"][&template][method.as_str().to_lowercase()]["requestBody"];
    assert!(body["content"]["application/json"]["schema"]["properties"]["slug"].is_object());
    api.expect(method, &fill(&template), Some(&study), 201).await;
    let (method, template) = find("previewRound");
    let preview = api.expect(method, &fill(&template), None, 200).await;
    assert_eq!(preview["number"], 1, "{preview}");
    let (method, template) = find("openRound");
    let opened = api.expect(method, &fill(&template), Some(&json!({})), 201).await;
    assert_eq!(opened["number"], 1);
    let (method, template) = find("extendRound");
    let json = api
        .expect(
            method.clone(),
            &fill(&template),
            Some(&json!({ "deadline": "yesterday" })),
            422,
        )
        .await;
    assert_eq!(json["field"], "deadline", "{json}");
    api.expect(
        method,
        &fill(&template),
        Some(&json!({ "deadline": "2099-01-01T00:00:00Z" })),
        200,
    )
    .await;
    let (method, template) = find("resendInvitation");
    let resent = api
        .expect(
            method,
            &fill(&template),
            Some(&json!({ "email": "a.diallo@example.org" })),
            200,
        )
        .await;
    assert_eq!(resent["round"], 1, "{resent}");
    let (method, template) = find("withdrawExpert");
    let withdrawn = api
        .expect(
            method.clone(),
            &fill(&template),
            Some(&json!({ "email": "a.diallo@example.org" })),
            200,
        )
        .await;
    assert_eq!(withdrawn["already"], false, "{withdrawn}");
    let again = api
        .expect(
            method,
            &fill(&template),
            Some(&json!({ "email": "a.diallo@example.org" })),
            200,
        )
        .await;
    assert_eq!(again["already"], true, "{again}");
    let (method, template) = find("eraseExpert");
    let erased = api
        .expect(
            method.clone(),
            &fill(&template),
            Some(&json!({ "email": "a.diallo@example.org" })),
            200,
        )
        .await;
    let pseudonym = erased["pseudonym"].as_str().unwrap().to_string();
    assert!(pseudonym.starts_with('E'), "{erased}");
    // The address is gone with the identity: a second request cannot find it.
    let again = api
        .expect(
            method,
            &fill(&template),
            Some(&json!({ "email": "a.diallo@example.org" })),
            404,
        )
        .await;
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("a.diallo@example.org"),
        "{again}"
    );
    let (method, template) = find("closeRound");
    let closed = api.expect(method, &fill(&template), None, 200).await;
    assert_eq!(closed["number"], 1);
    let (method, template) = find("listRounds");
    let rounds = api.expect(method, &fill(&template), None, 200).await;
    assert_eq!(rounds["rounds"][0]["status"], "closed");
}
