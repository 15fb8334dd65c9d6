//! A criterion on a scale of its own (importance 1–9, feasibility 1–5) in a browser at a
//! phone's 390 px and a laptop's 1280 px: the expert's form shows each criterion's own row of
//! points on one line (nine, then five, with the five-point scale's words), autosaves an
//! answer on the five-point scale, and in round 2 draws each criterion's chart on its own axis
//! and asks "why?" by the criterion's own bands; the console's results chart each criterion on
//! its scale. Nothing wider than the screen, no serious or critical axe-core violation.

use serde_json::json;

use crate::criteria::responses_of;
use crate::criterion_scales::{scale_answer, study};
use crate::support::app::{spawn_app, PUBLIC_URL};
use crate::support::browser::{axis_of_js, Browser};
use crate::support::cli::Cli;
use crate::support::fixtures::actor;
use crate::support::fixtures::{create_study_from, example_files, SLUG};
use crate::support::mail::{outbox_emails, token_after};
use crate::support::rounds::{experts, open_round_with_links};
use crate::support::sign_in::add_facilitator;

const OWNER: &str = "scales@example.org";

/// Per criterion fieldset: its key, the tops of its points, and its chart's axis labels.
const FORM: &str = concat!(
    axis_of_js!(),
    r#"
const d = document.documentElement;
const crits = [...document.querySelectorAll('fieldset.crit')].map(f => ({
  key: f.id.split('~')[1],
  tops: [...f.querySelectorAll('.pts label')].map(p => Math.round(p.getBoundingClientRect().top + scrollY)),
  axis: f.querySelector('svg.hist') && axisOf(f.querySelector('svg.hist')) ? axisOf(f.querySelector('svg.hist')).querySelectorAll('text').length : 0,
}));
return { overflow: d.scrollWidth - d.clientWidth, crits };
"#
);

/// Checks every criterion's row of points (nine or five on one line) and, with `charts`, its
/// chart's axis (as many labels as points).
fn check_form(seen: &serde_json::Value, charts: bool, what: &str) {
    assert_eq!(seen["overflow"], 0, "{what}");
    let crits = seen["crits"].as_array().cloned().unwrap_or_default();
    assert!(!crits.is_empty(), "{what}");
    for crit in &crits {
        let points = if crit["key"] == "feasibility" { 5 } else { 9 };
        let tops: Vec<i64> = crit["tops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_i64().unwrap())
            .collect();
        assert_eq!(tops.len(), points, "{what}: {crit}");
        assert!(tops.iter().all(|t| *t == tops[0]), "one line: {what}: {crit}");
        if charts {
            assert_eq!(crit["axis"].as_u64(), Some(points as u64), "{what}: {crit}");
        }
    }
}

#[tokio::test]
async fn criterion_scales_in_a_browser() {
    let app = spawn_app().await;
    add_facilitator(&app.db, OWNER);
    let work = app.database.dir.path().to_path_buf();
    create_study_from(&app.db, &study(&work), Some(OWNER));
    let mut conn = app.db.get().unwrap();
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let ex = example_files();
    // English-speaking experts: the last answers nothing in round 1 (the file leaves them out),
    // the third answers it and sees its feedback in round 2.
    let id_of = |conn: &mut delphi::db::DbConnection, e: usize| {
        experts(conn, SLUG)
            .into_iter()
            .find(|x| x.email.as_deref() == Some(ex.experts[e].0.as_str()))
            .unwrap()
            .id
    };
    let (last, third) = (id_of(&mut conn, ex.experts.len() - 1), id_of(&mut conn, 2));
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let who: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let cli = Cli::new(&app.database);
    let token = &links[&last];

    let browser = Browser::start(true).await;
    for (width, height) in [(390, 844), (1280, 900)] {
        let what = format!("round 1 form at {width} px");
        browser.viewport(width, height).await;
        browser.goto(&app.url(&format!("/r/{token}"))).await;
        check_form(&browser.script(FORM, json!([])).await, false, &what);
        browser.assert_accessible(&what).await;
        browser
            .picture(&format!("criterion-scale-form-{width}"), ".item.crits")
            .await;
    }
    // Autosave on the five-point scale.
    browser.click("input[name='s_M01~feasibility'][value='5']").await;
    browser
        .wait_until(
            "return document.querySelector(\"[id='i-M01~feasibility'] .st\").textContent;",
            &json!("Saved"),
            10,
        )
        .await;

    let file = responses_of(&work, "round1.csv", &ex, &codes, &who, |i, e, c| {
        scale_answer(1, i, e, c)
    });
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);

    browser.sign_in(&app, OWNER).await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/results/1")))
            .await;
        let what = format!("results at {width} px");
        let axes = browser
            .script(
                "return { overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, \
                 axes: [...document.querySelectorAll('svg.hist')].map(s => s.querySelectorAll('.ax text').length) };",
                json!([]),
            )
            .await;
        assert_eq!(axes["overflow"], 0, "{what}");
        let axes: Vec<u64> = axes["axes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_u64().unwrap())
            .collect();
        // Importance then feasibility under every item.
        assert_eq!(axes.len(), codes.len() * 2, "{what}");
        assert!(axes.chunks(2).all(|pair| pair == [9, 5]), "{what}: {axes:?}");
        browser.assert_accessible(&what).await;
    }

    // Round 2: the expert who answered round 1 sees each criterion's chart on its own axis.
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let answered = &links[&third];
    for (width, height) in [(390, 844), (1280, 900)] {
        let what = format!("round 2 form at {width} px");
        browser.viewport(width, height).await;
        browser.goto(&app.url(&format!("/r/{answered}"))).await;
        check_form(&browser.script(FORM, json!([])).await, true, &what);
        browser.assert_accessible(&what).await;
        browser
            .picture(
                &format!("criterion-scale-feedback-{width}"),
                "fieldset.crit[id$='~feasibility'] .fb",
            )
            .await;
    }
    // "Why?" follows the criterion's own bands: a move from one band of 1–5 to the other.
    let moved = browser
        .script(
            "const f = document.querySelector(\"fieldset.crit[id$='~feasibility'][data-pb]\");
             if (!f) { return null; }
             const to = f.dataset.pb === '0' ? '5' : '1';
             f.querySelector(`input[value='${to}']`).click();
             return !f.querySelector('.why').hidden;",
            json!([]),
        )
        .await;
    assert_eq!(moved, json!(true), "the reason field shows on a change of band");

    // After the study: the results page lists each item's figures per criterion.
    cli.ok(&["round", "close", SLUG]);
    delphi::service::closing::finish(
        &mut conn,
        SLUG,
        "All rounds done.",
        true,
        &delphi::domain::link::LinkBase(PUBLIC_URL.into()),
        &actor(),
    )
    .unwrap();
    let mail = outbox_emails(&mut conn)
        .into_iter()
        .find(|m| m.body_text.contains("/results") && m.recipient == ex.experts[2].0)
        .unwrap();
    let results = format!(
        "/r/{}/results",
        token_after(&mail.body_text, &format!("{PUBLIC_URL}/r/"))
    );
    for (width, height) in [(390, 844), (1280, 900)] {
        let what = format!("results page at {width} px");
        browser.viewport(width, height).await;
        browser.goto(&app.url(&results)).await;
        assert_eq!(browser.overflow().await, 0, "{what}");
        assert!(browser.source().await.contains("(1–5)"), "{what}");
        browser.assert_accessible(&what).await;
        browser
            .picture(&format!("criterion-scale-results-{width}"), "ul.crit-results")
            .await;
    }
}
