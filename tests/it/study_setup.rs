//! A study set up with the console's forms, from each starting point, and changed later on its
//! Settings page: every problem listed at once, nothing saved until the form is valid, the
//! locked parts fixed after round 1, and a `study.toml` export that `study create` accepts.

use delphi::db::schema::{audit_log, studies};
use delphi::domain::study::{Anonymity, Method};
use delphi::service::{files, studies as study_service};
use diesel::prelude::*;

use crate::support::app::{spawn_app, TestApp};
use crate::support::files::unzip;
use crate::support::fixtures::actor;
use crate::support::fixtures::SLUG;
use crate::support::forms::{form_fields, location, unescape};
use crate::support::rounds::{load_demo, open_round_with_links, run_round_one};
use crate::support::sign_in::{add_named_facilitator, editor_and_viewer, Session};

/// A complete form for a 1–5 priority study in English and French, as a browser posts it.
fn priorities_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("start", "priorities"),
        ("title", "Priorités de recherche: micronutriments"),
        ("slug", ""),
        ("description", "Rate each **question**.\n\nThank you."),
        ("language", "en"),
        ("languages", "en"),
        ("languages", "fr"),
        ("timezone", "Africa/Nairobi"),
        ("anonymity", "named"),
        ("scale", "five"),
        ("label_1", "Not a priority"),
        ("label_5", "Essential"),
        ("unable_to_score", "on"),
        ("rule_preset", ""),
        ("rule_in", "share 4–5 ≥ 70"),
        ("rule_out", "share 1–2 ≥ 70"),
        ("rule_unable", "exclude"),
        ("rounds_max", "2"),
        ("carry_forward", "unresolved"),
        ("invite", "all"),
        ("suggestions_in", "1"),
        ("min_group_feedback", "3"),
        ("reminders", "2d"),
        ("close_at_deadline", "on"),
        ("group_name_1", "Researchers"),
        ("group_key_1", ""),
        ("group_name_2", "Programme managers"),
        ("group_key_2", "managers"),
        ("group_name_3", ""),
        ("group_key_3", ""),
        ("section_title_1", "Maternal questions"),
        ("section_key_1", "maternal"),
        ("section_title_2", "Infant questions"),
        ("section_key_2", "infant"),
        ("action", "save"),
    ]
}

fn with(
    form: &[(&'static str, &'static str)],
    changes: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    let mut form: Vec<_> = form
        .iter()
        .filter(|(name, _)| !changes.iter().any(|(n, _)| n == name))
        .copied()
        .collect();
    form.extend_from_slice(changes);
    form
}

async fn signed_in(app: &TestApp) -> Session<'_> {
    add_named_facilitator(&app.db, "res@example.org", "Rea Searcher");
    Session::sign_in(app, "res@example.org").await
}

fn study_count(app: &TestApp) -> i64 {
    studies::table
        .count()
        .get_result(&mut app.db.get().unwrap())
        .unwrap()
}

#[tokio::test]
async fn a_study_set_up_with_the_form_exports_a_study_file_that_creates_it_again() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;

    let new = me.page("/console/new").await;
    for start in [
        "blank",
        "example",
        "core-outcome-set",
        "appropriateness",
        "priorities",
    ] {
        assert!(
            new.contains(&format!("/console/new/form?start={start}")),
            "{start}"
        );
    }
    let form = me.page("/console/new/form?start=priorities").await;
    assert!(
        form.contains("Funders and policy makers"),
        "the template's groups are filled in"
    );

    let response = me.post("/console/new/form", &priorities_form()).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let slug = "priorites-de-recherche-micronutriments";
    assert_eq!(location(&response), format!("/console/s/{slug}?done=created"));

    let study = study_service::load(&mut app.db.get().unwrap(), slug).unwrap();
    assert_eq!(study.anonymity, Anonymity::Named);
    assert_eq!(study.file.languages(), ["en", "fr"]);
    assert_eq!((study.scale.min(), study.scale.max()), (1, 5));
    assert_eq!(
        study.file.groups[0].key, "researchers",
        "a key is made from the name"
    );
    assert_eq!(study.file.rounds.max, 2);
    assert!(me
        .page(&format!("/console/s/{slug}/team"))
        .await
        .contains("Rea Searcher"));

    // Items come next, by form; then the study's file creates the same study elsewhere.
    me.post_ok(
        &format!("/console/s/{slug}/content/items"),
        &[
            ("code", "Q1"),
            ("section", "maternal"),
            ("text", "Iron dose"),
            ("description", ""),
        ],
        "item-added",
    )
    .await;
    let package = me.get(&format!("/console/s/{slug}/export/package.zip")).await;
    assert_eq!(package.status(), 200);
    let files = unzip(&package.bytes().await.unwrap());
    let (_, toml) = files
        .iter()
        .find(|(name, _)| name.ends_with("study.toml"))
        .unwrap_or_else(|| panic!("no study.toml in {:?}", files.keys()));
    let toml = String::from_utf8(toml.clone()).unwrap();
    assert!(toml.contains("anonymity = \"named\""), "{toml}");
    assert!(toml.contains("languages = [\"en\", \"fr\"]"), "{toml}");
    let bundle = files::study_from_sources("study.toml", &toml, &|name: &str| {
        Err(delphi::domain::file_error::FileErrors(vec![
            delphi::domain::file_error::FileError::whole(name, "no other file".to_owned()),
        ]))
    })
    .unwrap_or_else(|e| panic!("the exported file must create the study again: {e}\n{toml}"));
    let mut again = bundle.file.clone();
    again.items = study.file.items.clone();
    assert_eq!(
        again, study.file,
        "the export says exactly what the study runs with"
    );
    assert_eq!(bundle.items.len(), 1);
}

#[tokio::test]
async fn every_problem_of_the_form_is_listed_at_once_and_nothing_is_saved() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let bad = with(
        &priorities_form(),
        &[
            ("title", ""),
            ("timezone", "Mars/Olympus"),
            ("rounds_max", "three"),
            ("group_key_2", "Bad Key"),
            ("reminders", "soon"),
        ],
    );
    let page = me.post_refused("/console/new/form", &bad, 422).await;
    for (anchor, words) in [
        ("#f-title", "must not be empty"),
        ("#f-timezone", "Mars/Olympus"),
        ("#f-rounds-max", "three"),
        ("#f-group-key-2", "Bad Key"),
        ("#f-reminders", "soon"),
    ] {
        assert!(
            page.contains(&format!("href=\"{anchor}\"")),
            "{anchor} not in the summary: {page}"
        );
        assert!(page.contains(words), "{words}: {page}");
    }
    assert!(page.contains("value=\"Mars/Olympus\""), "what was typed is kept");
    assert!(page.contains("Programme managers"));
    assert_eq!(study_count(&app), 0, "nothing is saved");

    // A rule that does not fit the scale is named at the rule, once the rest is right.
    let page = me
        .post_refused(
            "/console/new/form",
            &with(&priorities_form(), &[("rule_preset", "comet")]),
            422,
        )
        .await;
    assert!(page.contains("href=\"#f-rule-preset-0\""), "{page}");
    assert_eq!(study_count(&app), 0);

    // The same slug twice: the second is refused at the slug.
    let ok = with(&priorities_form(), &[("slug", "prio-2026")]);
    assert_eq!(me.post("/console/new/form", &ok).await.status(), 303);
    let page = me.post_refused("/console/new/form", &ok, 422).await;
    assert!(
        page.contains("href=\"#f-slug\"") && page.contains("already exists"),
        "{page}"
    );
    assert_eq!(study_count(&app), 1);
}

#[tokio::test]
async fn the_page_buttons_change_only_the_page() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let rescale = with(&priorities_form(), &[("scale", "seven"), ("action", "rescale")]);
    let response = me.post("/console/new/form", &rescale).await;
    assert_eq!(response.status(), 200);
    let page = unescape(&response.text().await.unwrap());
    assert!(
        page.contains("name=\"label_7\"") && page.contains("Strongly agree"),
        "{page}"
    );
    assert!(!page.contains("name=\"label_8\""));

    let preview = with(&priorities_form(), &[("action", "preview")]);
    let page = me.post("/console/new/form", &preview).await.text().await.unwrap();
    assert!(page.contains("<strong>question</strong>"), "{page}");

    let more = with(&priorities_form(), &[("action", "more")]);
    let page = me.post("/console/new/form", &more).await.text().await.unwrap();
    assert!(
        page.contains("name=\"section_title_4\""),
        "two empty rows after the filled ones"
    );
    assert_eq!(study_count(&app), 0);
}

#[tokio::test]
async fn the_example_start_brings_its_items_and_every_start_creates_a_study() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    for (i, start) in [
        "blank",
        "example",
        "core-outcome-set",
        "appropriateness",
        "priorities",
    ]
    .into_iter()
    .enumerate()
    {
        let page = unescape(&me.page(&format!("/console/new/form?start={start}")).await);
        // What a browser posts back: every named field of the page with its value.
        let mut form: Vec<(String, String)> = form_fields(&page);
        form.retain(|(n, _)| n != "csrf" && n != "title" && n != "slug" && n != "timezone");
        let slug = format!("start-{i}");
        form.push(("title".into(), format!("Study {i}")));
        form.push(("slug".into(), slug.clone()));
        form.push(("timezone".into(), "Europe/Paris".into()));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let response = me.post("/console/new/form", &pairs).await;
        assert_eq!(
            response.status(),
            303,
            "{start}: {}",
            response.text().await.unwrap()
        );
        let overview = study_service::show(&mut app.db.get().unwrap(), &slug).unwrap();
        let items: usize = overview.sections.iter().map(|s| s.2).sum();
        assert_eq!(items > 0, start == "example", "{start}: {items} items");
    }
}

#[tokio::test]
async fn settings_change_until_round_one_locks_the_scale_and_rule() {
    let app = spawn_app().await;
    load_demo(&mut app.db.get().unwrap());
    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let settings = format!("/console/s/{SLUG}/settings");

    let page = unescape(&ed.page(&settings).await);
    let mut form = form_fields(&page);
    form.retain(|(n, _)| !["csrf", "title", "anonymity", "scale", "label_9"].contains(&n.as_str()));
    let mut changed = form.clone();
    changed.push(("title".into(), "Lactation needs (revised)".into()));
    changed.push(("anonymity".into(), "named".into()));
    changed.push(("scale".into(), "nine".into()));
    changed.push(("label_9".into(), "Essential".into()));
    let pairs: Vec<(&str, &str)> = changed.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let page = ed.post_ok(&settings, &pairs, "saved").await;
    assert!(page.contains("Settings saved."));
    let study = study_service::load(&mut app.db.get().unwrap(), SLUG).unwrap();
    assert_eq!(study.title, "Lactation needs (revised)");
    assert_eq!(study.anonymity, Anonymity::Named);
    assert_eq!(study.file.scale.labels["9"], "Essential");
    assert!(
        study.file.translations["fr"].sections.contains_key("maternal"),
        "saving the settings keeps the translations"
    );
    let actions: Vec<String> = audit_log::table
        .select(audit_log::action)
        .load(&mut app.db.get().unwrap())
        .unwrap();
    assert!(actions.iter().any(|a| a == "study.settings"), "{actions:?}");

    // The same form again changes nothing, and says so.
    ed.post_ok(&settings, &pairs, "unchanged").await;

    // A viewer sees the page but cannot save it.
    let vi = Session::sign_in(&app, "vi@example.org").await;
    vi.page(&settings).await;
    assert_eq!(vi.post(&settings, &pairs).await.status(), 403);

    // Round 1 opens: the scale and rule are shown locked, and a posted change to them is ignored.
    run_round_one(&app, &mut app.db.get().unwrap());
    let page = ed.page(&settings).await;
    assert!(
        page.contains("the scale and the consensus rule are locked"),
        "{page}"
    );
    let mut locked_change = changed.clone();
    locked_change.retain(|(n, _)| n != "label_9" && n != "rounds_max");
    locked_change.push(("label_9".into(), "Critical indeed".into()));
    locked_change.push(("rounds_max".into(), "3".into()));
    let pairs: Vec<(&str, &str)> = locked_change
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    ed.post_ok(&settings, &pairs, "unchanged").await;
    let study = study_service::load(&mut app.db.get().unwrap(), SLUG).unwrap();
    assert_eq!(study.file.scale.labels["9"], "Essential");

    // The maximum cannot go below the rounds already opened.
    let mut too_few = changed.clone();
    too_few.retain(|(n, _)| n != "rounds_max");
    too_few.push(("rounds_max".into(), "0".into()));
    let pairs: Vec<(&str, &str)> = too_few.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let page = ed.post_refused(&settings, &pairs, 422).await;
    assert!(page.contains("href=\"#f-rounds-max\""), "{page}");
}

/// The blank form as the browser shows it, with a title and a time zone typed and `method`
/// chosen: every field posted back as the page holds it.
async fn blank_form(me: &Session<'_>, title: &str, method: &str) -> Vec<(String, String)> {
    let page = unescape(&me.page("/console/new/form?start=blank").await);
    let mut form = form_fields(&page);
    for (name, value) in [
        ("title", title),
        ("timezone", "Africa/Nairobi"),
        ("method", method),
        ("action", "save"),
    ] {
        set(&mut form, name, value);
    }
    form
}

/// Posts `form` with `changes` to the set-up page and checks the refusal: 422, the error summary
/// linking to `field` and saying `says`. The refused page.
async fn refused_at(
    me: &Session<'_>,
    form: &[(String, String)],
    changes: &[(&str, &str)],
    field: &str,
    says: &str,
) -> String {
    let mut bad = form.to_vec();
    for (name, value) in changes {
        set(&mut bad, name, value);
    }
    let page = unescape(&me.post_refused("/console/new/form", &pairs(&bad), 422).await);
    assert!(page.contains(&format!("href=\"{field}\"")), "{field}: {page}");
    assert!(page.contains(says), "{says}: {page}");
    page
}

/// Sets `name` to `value`, as typing in the field (or choosing the radio) does.
fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    form.retain(|(n, _)| n != name);
    form.push((name.to_owned(), value.to_owned()));
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// Gives the study one item and one expert, opens round 1 and returns that expert's page.
async fn round_one_page(app: &TestApp, slug: &str) -> String {
    let dir = app.database.dir.path();
    let items = dir.join("items.csv");
    std::fs::write(
        &items,
        "code,section,text\nQ01,items,Does daily iron and folic acid in lactation reduce anaemia?\n",
    )
    .unwrap();
    let panel = dir.join("panel.csv");
    std::fs::write(
        &panel,
        "email,name,group\nn.okafor@example.org,Ngozi Okafor,experts\n",
    )
    .unwrap();
    let mut conn = app.db.get().unwrap();
    let rows = files::read_items(&items).unwrap();
    study_service::import_items(&mut conn, slug, "items.csv", &rows, &actor()).unwrap();
    let rows = files::read_panel(&panel).unwrap();
    study_service::import_panel(&mut conn, slug, "panel.csv", &rows, &actor()).unwrap();
    let links = open_round_with_links(app, &mut conn, slug);
    let token = links.values().next().unwrap();
    unescape(&app.text(&format!("/r/{token}")).await)
}

#[tokio::test]
async fn a_chnri_study_is_set_up_in_the_browser_form_and_asks_its_questions() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let mut form = blank_form(&me, "Research priorities in lactation", "chnri").await;
    let page = unescape(&me.page("/console/new/form?start=blank").await);
    assert!(
        page.contains("Score research questions with the CHNRI method")
            && page.contains("value=\"Effect on equity\""),
        "the method is asked in plain words and the five standard criteria are filled in"
    );
    // Rating criteria typed before switching to CHNRI are not used, nor refused.
    set(&mut form, "criterion_label_1", "Importance");
    set(&mut form, "chnri_weight_4", "1.5");
    set(&mut form, "chnri_threshold_1", "60");
    set(
        &mut form,
        "chnri_questions_5",
        "Does the burden fall on the poorest?\r\nWould it reach them?\r\n",
    );
    let response = me.post("/console/new/form", &pairs(&form)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let slug = "research-priorities-in-lactation";

    let study = study_service::load(&mut app.db.get().unwrap(), slug).unwrap();
    assert_eq!(study.file.method, Method::Chnri);
    assert!(study.file.criteria.is_empty());
    let criteria = study.file.chnri_criteria();
    let keys: Vec<&str> = criteria.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "answerability",
            "effectiveness",
            "deliverability",
            "burden_reduction",
            "equity"
        ]
    );
    assert_eq!(criteria[3].weight, 1.5);
    assert_eq!(criteria[0].threshold, Some(60.0));
    assert_eq!(
        criteria[4].questions,
        ["Does the burden fall on the poorest?", "Would it reach them?"]
    );

    let expert = round_one_page(&app, slug).await;
    for asked in [
        "Would you say the research question is well framed and its endpoints are well defined?",
        "Would it reach them?",
    ] {
        assert!(expert.contains(asked), "{asked}: {expert}");
    }

    // The data package's study.toml gives the same criteria back.
    let package = me.get(&format!("/console/s/{slug}/export/package.zip")).await;
    let files = unzip(&package.bytes().await.unwrap());
    let (_, toml) = files
        .iter()
        .find(|(name, _)| name.ends_with("study.toml"))
        .unwrap_or_else(|| panic!("no study.toml in {:?}", files.keys()));
    let toml = String::from_utf8(toml.clone()).unwrap();
    let again = delphi::domain::study_file::parse_study_file("study.toml", &toml)
        .unwrap_or_else(|e| panic!("{e}\n{toml}"));
    assert_eq!(again.method, Method::Chnri);
    assert_eq!(again.chnri, study.file.chnri, "{toml}");
}

#[tokio::test]
async fn a_study_rating_two_criteria_is_set_up_with_the_form() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let mut form = blank_form(&me, "Indicators of lactation", "rating").await;
    set(&mut form, "criterion_label_1", "How important is this indicator?");
    set(&mut form, "criterion_key_1", "importance");
    set(
        &mut form,
        "criterion_label_2",
        "How feasible is it to measure in routine programmes?",
    );
    set(&mut form, "combine", "all");
    let response = me.post("/console/new/form", &pairs(&form)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let slug = "indicators-of-lactation";

    let study = study_service::load(&mut app.db.get().unwrap(), slug).unwrap();
    assert_eq!(study.file.method, Method::Rating);
    assert_eq!(
        study.file.criterion_keys(),
        ["importance", "how_feasible_is_it_to_measure_in"],
        "a key is made from the question, 32 characters at most"
    );
    assert_eq!(study.file.consensus.combine.as_deref(), Some("all"));
    assert!(study.file.chnri.is_none(), "the standard CHNRI rows are ignored");

    let expert = round_one_page(&app, slug).await;
    for label in [
        "How important is this indicator?",
        "How feasible is it to measure in routine programmes?",
    ] {
        assert!(expert.contains(label), "{label}: {expert}");
    }
}

/// A valid form, what is changed in it, the field refused and what its message says.
type BadCase<'a> = (
    &'a Vec<(String, String)>,
    &'a [(&'a str, &'a str)],
    &'a str,
    &'a str,
);

#[tokio::test]
async fn bad_priority_settings_are_refused_at_their_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let chnri = blank_form(&me, "Priorities", "chnri").await;
    let mut rating = blank_form(&me, "Indicators", "rating").await;
    set(&mut rating, "criterion_label_1", "Importance");
    set(&mut rating, "criterion_key_1", "importance");
    set(&mut rating, "criterion_label_2", "Feasibility");
    set(&mut rating, "criterion_key_2", "feasibility");
    let cases: [BadCase; 5] = [
        (
            &chnri,
            &[("chnri_weight_2", "heavy")],
            "#f-chnri-weight-2",
            "`heavy` is not a number",
        ),
        (
            &chnri,
            &[("chnri_questions_3", "")],
            "#f-chnri-questions-3",
            "at least one question",
        ),
        (
            &rating,
            &[("criterion_key_2", "importance")],
            "#f-criterion-key-2",
            "already the key",
        ),
        (
            &rating,
            &[("ranking", "on"), ("ranking_choose", "0")],
            "#f-ranking-choose",
            "must be at least 1",
        ),
        (
            &rating,
            &[("combine", "one"), ("combine_criterion", "cost")],
            "#f-combine-criterion",
            "one of: importance, feasibility",
        ),
    ];
    for (form, changes, field, says) in cases {
        let page = refused_at(&me, form, changes, field, says).await;
        for (name, value) in changes.iter().filter(|(_, v)| !v.is_empty() && *v != "on") {
            let id = format!("f-{}", name.replace('_', "-"));
            assert!(
                page.contains(&format!("value=\"{value}\""))
                    || page.contains(&format!("{id}\" value=\"{value}")),
                "{name} keeps what was typed"
            );
        }
    }
    assert_eq!(study_count(&app), 0);
}

#[tokio::test]
async fn the_method_and_criteria_lock_when_round_one_opens_and_the_rest_still_saves() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let mut form = blank_form(&me, "Indicators of lactation", "rating").await;
    set(&mut form, "criterion_label_1", "Importance");
    set(&mut form, "criterion_key_1", "importance");
    set(&mut form, "criterion_label_2", "Feasibility");
    set(&mut form, "criterion_key_2", "feasibility");
    me.post_ok("/console/new/form", &pairs(&form), "created").await;
    let slug = "indicators-of-lactation";
    let settings = format!("/console/s/{slug}/settings");

    // Before round 1 the criteria change on the Settings page.
    let mut shown = form_fields(&unescape(&me.page(&settings).await));
    set(&mut shown, "criterion_label_2", "Feasible in routine programmes?");
    set(&mut shown, "combine", "any");
    me.post_ok(&settings, &pairs(&shown), "saved").await;
    let study = study_service::load(&mut app.db.get().unwrap(), slug).unwrap();
    assert_eq!(study.file.criteria[1].label, "Feasible in routine programmes?");
    assert_eq!(study.file.consensus.combine.as_deref(), Some("any"));

    round_one_page(&app, slug).await;
    let page = unescape(&me.page(&settings).await);
    assert!(page.contains("A round has opened"), "{page}");
    assert!(
        page.contains("name=\"method\" value=\"chnri\" disabled"),
        "{page}"
    );
    let mut locked = form_fields(&page);
    set(&mut locked, "method", "chnri");
    set(&mut locked, "criterion_key_1", "relevance");
    set(&mut locked, "combine", "all");
    me.post_ok(&settings, &pairs(&locked), "unchanged").await;
    // The ranking round has not opened: it may still be added.
    set(&mut locked, "ranking", "on");
    set(&mut locked, "ranking_choose", "5");
    set(&mut locked, "ranking_combine", "pooled");
    me.post_ok(&settings, &pairs(&locked), "saved").await;

    let study = study_service::load(&mut app.db.get().unwrap(), slug).unwrap();
    assert_eq!(study.file.method, Method::Rating);
    assert_eq!(study.file.criterion_keys(), ["importance", "feasibility"]);
    assert_eq!(study.file.consensus.combine.as_deref(), Some("any"));
    let ranking = study.file.ranking.unwrap();
    assert_eq!((ranking.choose, ranking.combine.as_str()), (5, "pooled"));
}

#[tokio::test]
async fn the_guarding_against_bias_fields_make_their_study_file_keys_or_are_refused_at_their_field() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let mut form = blank_form(&me, "Drawn pages", "rating").await;
    // Untouched, the fields add nothing: today's behaviour.
    assert!(
        form.contains(&("order".to_owned(), "fixed".to_owned())),
        "{form:?}"
    );
    assert!(form.contains(&("feedback_timing".to_owned(), "before".to_owned())));

    for (changes, field, says) in [
        (
            &[("items_per_expert", "many")][..],
            "#f-items-per-expert",
            "is not a whole number",
        ),
        (
            &[("items_per_expert", "0")][..],
            "#f-items-per-expert",
            "must be at least 1",
        ),
        (
            &[("sections_fixed", "on")][..],
            "#f-order-0",
            "only applies with rounds.order",
        ),
        (
            &[("items_per_expert", "5"), ("min_raters", "0")][..],
            "#f-min-raters",
            "must be at least 1",
        ),
        (&[("order", "shuffled")][..], "#f-order-0", "`shuffled` is not"),
        (
            &[("feedback_timing", "later")][..],
            "#f-feedback-timing-0",
            "later",
        ),
    ] {
        refused_at(&me, &form, changes, field, says).await;
    }
    assert_eq!(study_count(&app), 0);

    for (name, value) in [
        ("feedback_timing", "after_rating"),
        ("order", "random"),
        ("sections_fixed", "on"),
        ("items_per_expert", "12"),
        ("min_raters", "4"),
    ] {
        set(&mut form, name, value);
    }
    me.post_ok("/console/new/form", &pairs(&form), "created").await;
    let study = study_service::load(&mut app.db.get().unwrap(), "drawn-pages").unwrap();
    let rounds = &study.file.rounds;
    assert_eq!(rounds.order.as_str(), "random");
    assert!(rounds.sections_fixed);
    assert_eq!(
        (rounds.items_per_expert, rounds.min_raters, rounds.seed),
        (Some(12), 4, None)
    );
    assert_eq!(study.file.feedback.timing.as_str(), "after_rating");
    // The Settings page shows them as saved.
    let shown = form_fields(&unescape(&me.page("/console/s/drawn-pages/settings").await));
    for pair in [
        ("order", "random"),
        ("items_per_expert", "12"),
        ("min_raters", "4"),
        ("sections_fixed", "on"),
    ] {
        assert!(
            shown.contains(&(pair.0.to_owned(), pair.1.to_owned())),
            "{pair:?}"
        );
    }
}
