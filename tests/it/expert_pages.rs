//! The expert's pages end to end: a link from the outbox, the form without JavaScript, autosave,
//! review and submit, refusals that save nothing, feedback in round 2, languages, suggestions,
//! page weight, and the answers in the results after the close.

use std::collections::HashMap;

use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::ratings::Rating;
use delphi::db::models::results::ResultRow;
use delphi::db::models::rounds::Round;
use delphi::db::models::suggestions::Suggestion;
use delphi::db::DbConnection;
use delphi::domain::answer::Answer;
use delphi::service::ratings::{record, AnswerInput};
use delphi::service::{demo, studies};

use crate::support::app::{spawn_app, TestApp};
use crate::support::fixtures::{actor, SLUG};
use crate::support::forms::post_form;
use crate::support::rounds::{
    close_round, current_round, experts, load_demo, open_round_with_links, record_score, run_round_one,
};

fn expert_by_name(conn: &mut DbConnection, name: &str) -> Expert {
    experts(conn, SLUG).into_iter().find(|e| e.name == name).unwrap()
}

fn assert_self_contained(html: &str) {
    // Quoted or not: the items' attribute values stand unquoted where HTML allows.
    for external in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "src=http",
        "href=http",
        "src=//",
        "href=//",
        "url(http",
        "style=",
    ] {
        assert!(!html.contains(external), "page has {external}");
    }
}

#[tokio::test]
async fn expert_answers_without_javascript_submits_and_the_answers_reach_the_results() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let grace = expert_by_name(&mut conn, "Grace Wanjiru Kamau");
    let token = links[&grace.id].clone();
    let page = format!("/r/{token}");

    let response = app.get(&page).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(html.contains("<legend><span class=code>M01</span>"));
    assert!(html.contains("<label><input type=radio name=s_M01 value=9>"));
    assert!(
        html.contains("value=9>9<span> Critical</span></label>"),
        "each radio's name carries its point's words"
    );
    assert!(
        html.contains("<div class=ends aria-hidden=true><span>Not important</span><span>Important but not critical</span><span>Critical</span></div>"),
        "the words of the ends shown once, under the row"
    );
    assert!(html.contains("Unable to score"));
    assert!(
        html.contains("<label>Comment (optional)<textarea name=c_M01></textarea></label>"),
        "the comment box named by the label around it"
    );
    assert!(
        html.contains("<strong>Lactation and Micronutrient Needs</strong>"),
        "intro Markdown rendered"
    );
    assert!(html.contains("0 of 34 items answered"));
    assert!(html.contains("/static/js/rating.js"));
    assert!(html.contains("id=\"suggest\""), "suggestions are open in round 1");
    assert!(!html.contains("<svg"), "no feedback in round 1");
    assert_self_contained(&html);
    assert!(html.len() < 100_000, "{} bytes", html.len());
    let round_id = current_round(&mut conn, SLUG).id;
    let invitation = Invitation::find(&mut conn, round_id, grace.id).unwrap().unwrap();
    assert!(invitation.opened_at.is_some(), "the first visit is recorded");

    // The form without JavaScript: "Save" saves everything and comes back with a notice.
    let response = post_form(
        &app,
        &page,
        &[
            ("s_M01", "7"),
            ("c_M01", "Standard assay needed"),
            ("s_M02", "U"),
            ("c_M03", ""),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("{page}?saved=1").as_str());
    let html = app.text(&format!("{page}?saved=1")).await;
    assert!(html.contains("Your answers are saved"));
    assert!(html.contains("name=s_M01 value=7 checked"));
    assert!(html.contains("name=s_M02 value=U checked"));
    assert!(html.contains(">Standard assay needed</textarea>"));
    assert!(html.contains("2 of 34 items answered"));

    // Autosave, form-encoded with a JSON answer, then JSON with no answer body.
    let response = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .header("Accept", "application/json")
        .form(&[("item", "M03"), ("score", "5")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["saved"], true);
    assert_eq!(body["progress"]["answered"], 3);
    assert_eq!(body["progress"]["total"], 34);
    let response = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .json(&serde_json::json!({ "item": "M04", "score": 9, "comment": "Key" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    // Review lists what is unanswered, with links to it; confirming submits.
    let response = post_form(&app, &page, &[("s_M05", "6"), ("action", "review")]).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Items without an answer"));
    assert!(html.contains(&format!("href=\"/r/{token}#i-M06\"")));
    assert!(!html.contains("#i-M05\""), "M05 was saved by the review post");
    assert!(html.contains(&format!("action=\"/r/{token}/submit\"")));
    let response = post_form(&app, &format!("{page}/submit"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("{page}/done").as_str());
    let html = app.text(&format!("{page}/done")).await;
    assert!(html.contains("Thank you!"));
    let invitation = Invitation::by_id(&mut conn, invitation.id).unwrap().unwrap();
    assert!(invitation.submitted_at.is_some());
    let study = studies::load(&mut conn, SLUG).unwrap();
    assert_eq!(
        OutboxEmail::count_by_kind(&mut conn, study.id, "thank_you").unwrap(),
        1
    );
    // `all`, not `pending`: the background worker may have sent it already.
    let thanks = OutboxEmail::all(&mut conn, Some(study.id))
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "thank_you")
        .unwrap();
    assert!(
        thanks.body_text.contains("M01 ") && thanks.body_text.contains("Your answer: 7"),
        "{}",
        thanks.body_text
    );
    assert!(
        thanks.body_html.as_deref().unwrap_or_default().contains("M01"),
        "a copy in the HTML part too"
    );
    assert!(
        !thanks.body_text.contains("/r/"),
        "the copy carries no link to the answers"
    );

    // Every answer the expert was told was saved is in the results of the closed round.
    close_round(&mut conn, SLUG);
    let results = ResultRow::of_round(&mut conn, round_id).unwrap();
    let pooled = |code: &str, conn: &mut DbConnection| {
        let item = Round::item_by_code(conn, round_id, code).unwrap().unwrap();
        results
            .iter()
            .find(|r| r.item_id == item && r.rule == "primary" && r.group_key.is_empty())
            .cloned()
            .unwrap()
    };
    let counts = |row: &ResultRow| serde_json::from_str::<Vec<u64>>(&row.counts).unwrap();
    assert_eq!(counts(&pooled("M01", &mut conn))[6], 1, "M01 = 7");
    assert_eq!(pooled("M02", &mut conn).unable, 1, "M02 unable");
    assert_eq!(counts(&pooled("M03", &mut conn))[4], 1, "M03 = 5 (autosaved)");
    assert_eq!(counts(&pooled("M04", &mut conn))[8], 1, "M04 = 9 (JSON)");
    assert_eq!(
        counts(&pooled("M05", &mut conn))[5],
        1,
        "M05 = 6 (saved on review)"
    );
    assert_eq!(pooled("M06", &mut conn).responded, 0);
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_nothing_is_saved() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    // An English-speaking expert: the messages below are checked word for word.
    let expert_id = expert_by_name(&mut conn, "Grace Wanjiru Kamau").id;
    let page = format!("/r/{}", links[&expert_id]);
    let round_id = current_round(&mut conn, SLUG).id;
    let saved = |conn: &mut DbConnection| Rating::of_expert(conn, round_id, expert_id).unwrap().len();

    // A score off the scale: the whole post is refused, naming the item; M01 is not saved.
    let response = post_form(
        &app,
        &page,
        &[("s_M01", "7"), ("s_M02", "10"), ("action", "save")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("class=\"errsum\""));
    assert!(html.contains("href=\"#i-M02\""), "the summary links to the item");
    assert!(html.contains("M02: 10 is not on the scale 1–9"), "{html}");
    assert!(
        html.contains("aria-describedby=e-M02"),
        "the error is tied to its item"
    );
    assert!(
        html.contains("name=s_M01 value=7 checked"),
        "what was posted is kept"
    );
    assert_eq!(saved(&mut conn), 0, "all or nothing");

    // Not a number, and an item that is not in the round.
    let response = post_form(&app, &page, &[("s_M01", "seven")]).await;
    assert_eq!(response.status(), 422);
    let response = post_form(&app, &page, &[("s_M01", "7"), ("s_ZZ9", "5")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("ZZ9"));
    assert_eq!(saved(&mut conn), 0);

    // Autosave refusals are JSON.
    let answer = format!("{page}/answer");
    let response = post_form(&app, &answer, &[("item", "M02"), ("score", "0")]).await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid");
    assert_eq!(body["field"], "M02");
    assert!(body["message"].as_str().unwrap().contains("not on the scale"));
    let response = post_form(&app, &answer, &[("item", "NOPE"), ("score", "5")]).await;
    assert_eq!(response.status(), 422);
    assert_eq!(saved(&mut conn), 0);

    // Forged and malformed tokens: a 404 page, or JSON for the autosave endpoint.
    let forged = "0".repeat(64);
    let response = app.get(&format!("/r/{forged}")).await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("This link does not work"));
    assert_eq!(app.get("/r/not-a-token").await.status(), 404);
    let response = app
        .get_with_headers(
            &format!("/r/{forged}"),
            &[("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8")],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Ce lien ne fonctionne pas"));
    let response = post_form(
        &app,
        &format!("/r/{forged}/answer"),
        &[("item", "M01"), ("score", "5")],
    )
    .await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    let response = post_form(&app, &format!("/r/{forged}"), &[("s_M01", "5")]).await;
    assert_eq!(response.status(), 404);
    assert_eq!(saved(&mut conn), 0);
}

#[tokio::test]
async fn repeated_bad_tokens_are_rate_limited_but_valid_links_are_not() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let token = links.values().next().unwrap().clone();
    let mut statuses = Vec::new();
    for i in 0..25 {
        statuses.push(app.get(&format!("/r/{i:064x}")).await.status().as_u16());
    }
    assert_eq!(statuses[0], 404);
    assert_eq!(*statuses.last().unwrap(), 429, "{statuses:?}");
    let response = app.get(&format!("/r/{:064x}", 99)).await;
    assert_eq!(response.status(), 429);
    assert!(response.text().await.unwrap().contains("Too many attempts"));
    assert_eq!(app.get(&format!("/r/{token}")).await.status(), 200);
}

#[tokio::test]
async fn a_closed_round_explains_what_happens_next_and_refuses_changes() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let expert_id = expert_by_name(&mut conn, "Grace Wanjiru Kamau").id;
    let page = format!("/r/{}", links[&expert_id]);
    let round_id = current_round(&mut conn, SLUG).id;
    assert_eq!(post_form(&app, &page, &[("s_M01", "8")]).await.status(), 303);
    close_round(&mut conn, SLUG);

    let response = app.get(&page).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Round 1 is closed"));
    assert!(html.contains("If there is another round"));
    let response = post_form(&app, &page, &[("s_M01", "2"), ("action", "save")]).await;
    assert_eq!(response.status(), 409);
    let response = post_form(
        &app,
        &format!("{page}/answer"),
        &[("item", "M01"), ("score", "2")],
    )
    .await;
    assert_eq!(response.status(), 409);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "conflict");
    assert_eq!(
        post_form(&app, &format!("{page}/submit"), &[]).await.status(),
        409
    );
    let ratings = Rating::of_expert(&mut conn, round_id, expert_id).unwrap();
    assert_eq!(ratings.len(), 1);
    assert_eq!(ratings[0].score, Some(8), "the frozen answer stays");
}

#[tokio::test]
async fn round_two_shows_the_groups_feedback_anonymously() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = run_round_one(&app, &mut conn);
    let panel = experts(&mut conn, SLUG);
    // An English-speaking researcher who answered round 1.
    let expert = panel.iter().find(|e| e.name == "Trần Thị Mai").unwrap();
    let index = panel.iter().position(|e| e.id == expert.id).unwrap();
    let own = [2, 5, 8, 5, 8, 2, 5, 8][index % 8];
    let token = &links[&expert.id];

    let html = app.text(&format!("/r/{token}")).await;
    assert!(html.contains("Round 2"));
    assert!(html.contains("<svg class=hist "));
    assert!(html.contains("role=img"));
    assert!(
        html.contains("aria-label=\"1: "),
        "text alternative of the chart: every point's count"
    );
    assert!(
        html.contains("</svg><p>Round 1: "),
        "the chart's summary, once, under it"
    );
    assert!(
        html.contains("<path class=own "),
        "own previous score highlighted"
    );
    assert!(html.contains(&format!("Your previous score: {own}")));
    assert!(
        html.contains("Researchers and academics (6)"),
        "a group of 6 is shown"
    );
    assert!(
        !html.contains("Clinicians and midwives ("),
        "a group of 2 is hidden"
    );
    assert!(html.contains("Groups with fewer than 3 responders are not shown"));
    assert!(html.contains("Anonymous remark 0"), "previous comments shown");
    for e in &panel {
        assert!(!html.contains(&e.name), "no names on the page: {}", e.name);
        assert!(!html.contains(&format!(">{}<", e.pseudonym)), "no pseudonyms");
    }
    assert!(
        html.contains("Why did you change your score?"),
        "without JS the field is shown"
    );
    assert!(html.contains(" data-pb="), "the script knows the previous band");
    assert!(!html.contains("id=\"suggest\""), "no suggestions in round 2");
    assert_self_contained(&html);
}

#[tokio::test]
async fn a_french_expert_sees_french_pages_and_french_items() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let aissatou = expert_by_name(&mut conn, "Aïssatou Diallo");
    let page = format!("/r/{}", links[&aissatou.id]);
    let html = app.text(&page).await;
    assert!(html.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(html.contains("Aller au contenu"));
    assert!(html.contains(">Enregistrer</button>"));
    assert!(html.contains("Je ne peux pas noter"));
    assert!(
        html.contains("hémoglobine (g/L) dans le sang veineux"),
        "French item text"
    );
    assert!(!html.contains("Haemoglobin concentration"));
    let response = post_form(&app, &page, &[("s_M01", "12")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("pas été enregistrées"), "French error summary");
    assert!(
        html.contains("M01: 12 n&#x27;est pas sur l&#x27;échelle 1–9"),
        "in French: {html}"
    );
}

#[tokio::test]
async fn suggestions_are_accepted_in_round_one_and_refused_in_round_two() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let (expert_id, token) = links.iter().next().map(|(k, v)| (*k, v.clone())).unwrap();
    let round_one = current_round(&mut conn, SLUG).id;
    let response = post_form(
        &app,
        &format!("/r/{token}/suggest"),
        &[
            ("text", "Maternal iodine status"),
            ("rationale", "Goitre is common"),
            ("section", "maternal"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let suggestions = Suggestion::of_round(&mut conn, round_one).unwrap();
    assert_eq!(suggestions.len(), 1);
    assert_eq!(suggestions[0].status.as_str(), "pending");
    assert_eq!(suggestions[0].expert_id, Some(expert_id));
    assert!(suggestions[0].section_id.is_some());
    assert_eq!(
        post_form(&app, &format!("/r/{token}/suggest"), &[("text", "  ")])
            .await
            .status(),
        422
    );
    drop(links);

    let links = run_round_one_after_open(&app, &mut conn);
    let token = links.values().next().unwrap();
    let round_two = current_round(&mut conn, SLUG).id;
    let response = post_form(&app, &format!("/r/{token}/suggest"), &[("text", "Another")]).await;
    assert_eq!(response.status(), 409);
    assert!(Suggestion::of_round(&mut conn, round_two).unwrap().is_empty());
}

/// Like `run_round_one`, for a round 1 that is already open: a few answers, close, open round 2.
fn run_round_one_after_open(app: &TestApp, conn: &mut DbConnection) -> HashMap<i64, String> {
    let round_id = current_round(conn, SLUG).id;
    for invitation in Invitation::of_round(conn, round_id).unwrap().into_iter().take(3) {
        record_score(conn, invitation.id, "M01", 5);
    }
    close_round(conn, SLUG);
    open_round_with_links(app, conn, SLUG)
}

#[tokio::test]
async fn a_sixty_item_round_with_feedback_stays_light() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    let mut bundle = demo::bundle().unwrap();
    bundle.file.slug = "sixty".into();
    let base = bundle.items.clone();
    for i in 0..(60 - base.len()) {
        let mut item = base[i % base.len()].clone();
        item.code = format!("X{i:02}");
        bundle.items.push(item);
    }
    assert_eq!(bundle.items.len(), 60);
    studies::create(&mut conn, &bundle, &actor()).unwrap();
    open_round_with_links(&app, &mut conn, "sixty");
    let study = studies::load(&mut conn, "sixty").unwrap();
    let round = Round::open_of_study(&mut conn, study.id).unwrap().unwrap();
    for (n, invitation) in Invitation::of_round(&mut conn, round.id)
        .unwrap()
        .iter()
        .enumerate()
    {
        for item in &bundle.items {
            record(
                &mut conn,
                invitation.id,
                &AnswerInput {
                    item_code: item.code.clone(),
                    answer: Answer::Score([2, 5, 8, 5, 8, 2, 5, 8][n % 8]),
                    // Three comments an item, of a realistic length.
                    comment: (n < 3)
                        .then(|| "The assay is not available in most district laboratories.".to_string()),
                    reason: None,
                },
            )
            .unwrap();
        }
    }
    close_round(&mut conn, "sixty");
    let links = open_round_with_links(&app, &mut conn, "sixty");
    // Always the same page: the first English one of the panel (other languages weigh more).
    let mut tokens: Vec<(&i64, &String)> = links.iter().collect();
    tokens.sort();
    let mut english = None;
    for (_, token) in tokens {
        let response = app.get(&format!("/r/{token}")).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        if html.contains("<html lang=\"en\"") {
            english = Some((token, html));
            break;
        }
    }
    let (token, html) = english.expect("an English-speaking expert");
    assert_eq!(html.matches("<fieldset").count(), 60);
    assert_eq!(
        html.matches("<svg class=hist ").count(),
        60,
        "feedback on every item"
    );
    assert_eq!(html.matches("<svg").count(), 61, "and one frame the charts share");
    assert_eq!(html.matches("<use href=#hb />").count(), 60);
    assert_eq!(
        html.matches("<li>The assay is not available in most district laboratories.</li>")
            .count(),
        60,
        "last round's comments on every item"
    );
    assert_eq!(html.matches("<ul class=groups>").count(), 60);
    assert_eq!(
        html.matches("<input type=radio ").count(),
        60 * 10,
        "nine points and unable"
    );
    let compressed = app
        .client
        .get(app.url(&format!("/r/{token}")))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    assert_eq!(compressed.headers()["vary"], "accept-encoding");
    let gzipped = compressed.bytes().await.unwrap();
    let transferred = gzipped.len();
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzipped[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, html, "the gzip page is the page");
    if let Ok(path) = std::env::var("DELPHI_DUMP_PAGE") {
        std::fs::write(path, &html).unwrap();
    }
    println!(
        "60-item page: {} bytes of HTML, {transferred} bytes transferred",
        html.len()
    );
    // What crosses the network, and the HTML itself (issue 17): each chart draws only its own
    // numbers over the frame the page holds once, the scale and fields carry no attribute the
    // browser does not need, values unquoted where HTML allows. Was 274 KB and 27 KB gzip,
    // then 176 KB; the goal of 100 KB is out of reach with this content: its text
    // (55 KB), the markup of its 600 labelled radio buttons (41 KB) and the page around the
    // items (4 KB) already make it (BENCHMARKS.md, "the round-2 page's weight").
    assert!(
        transferred < 20_000,
        "the 60-item page transfers {transferred} bytes"
    );
    assert!(
        html.len() < 157_000,
        "the 60-item page weighs {} bytes",
        html.len()
    );
    let css = app.text("/static/css/delphi.css").await;
    let js = app.text("/static/js/rating.js").await;
    assert!(js.len() < 6_000, "rating.js is {} bytes", js.len());
    assert!(!js.contains("http"), "no third-party requests from the script");
    assert!(
        transferred + css.len() + js.len() < 100_000,
        "page, stylesheet and script together transfer {} bytes",
        transferred + css.len() + js.len()
    );
}

/// The pages of a round are built once and cached; a change to the items while the round is
/// open (a corrected typo) must reach the next page view, in every language.
#[tokio::test]
async fn a_reworded_item_shows_on_the_next_page_view() {
    let app = spawn_app().await;
    let mut conn = app.db.get().unwrap();
    load_demo(&mut conn);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let mai = expert_by_name(&mut conn, "Trần Thị Mai");
    let aissatou = expert_by_name(&mut conn, "Aïssatou Diallo");
    let english = format!("/r/{}", links[&mai.id]);
    let french = format!("/r/{}", links[&aissatou.id]);
    let before = app.text(&english).await;
    assert!(before.contains("Haemoglobin concentration"));
    assert!(app.text(&french).await.contains("hémoglobine"));

    let mut rows = demo::bundle().unwrap().items;
    let m01 = rows.iter_mut().find(|r| r.code == "M01").unwrap();
    m01.text = "Haemoglobin concentration, corrected wording".into();
    for translation in m01.translations.values_mut() {
        translation.text = "Concentration d'hémoglobine, texte corrigé".into();
    }
    let changed = studies::import_items(&mut conn, SLUG, "items.csv", &rows, &actor()).unwrap();
    assert_eq!(changed.updated, 1);

    let after = app.text(&english).await;
    assert!(
        after.contains("Haemoglobin concentration, corrected wording"),
        "{after}"
    );
    let after = app.text(&french).await;
    assert!(after.contains("texte corrigé"), "French page rebuilt too");
}
