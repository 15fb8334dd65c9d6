//! A study with two criteria per item, looked at in a browser at a phone's 390 px and a
//! laptop's 1280 px: the console's results of a closed round (the item's combined line and one
//! line per criterion, each criterion's chart with the nine points of its axis), the rule
//! editor's preview per criterion, and the expert's form (each criterion's scale row with its
//! nine points on one line). Nothing wider than the screen, no serious or critical axe-core
//! violation.

use serde_json::json;

use crate::criteria::{criteria_study, responses};
use crate::support::app::spawn_app;
use crate::support::browser::{axis_of_js, Browser};
use crate::support::cli::Cli;
use crate::support::fixtures::{create_study_from, example_files, SLUG};
use crate::support::rounds::open_round_with_links;
use crate::support::sign_in::add_facilitator;

const OWNER: &str = "criteria@example.org";

/// How far the page is wider than the screen (tables may scroll in their own box), and the
/// axis labels of every chart.
const MEASURE: &str = concat!(
    axis_of_js!(),
    r#"
const d = document.documentElement;
const charts = [...document.querySelectorAll('svg.hist')].map(s => axisOf(s) ? axisOf(s).querySelectorAll('text').length : 0);
return { overflow: d.scrollWidth - d.clientWidth, charts };
"#
);

/// The expert form: the criteria fieldsets, and the top of every point of each scale row.
const FORM: &str = r#"
const d = document.documentElement;
const rows = [...document.querySelectorAll('fieldset.crit .pts')].map(r =>
  [...r.querySelectorAll('.pts label')].map(p => Math.round(p.getBoundingClientRect().top + scrollY)));
return { overflow: d.scrollWidth - d.clientWidth, crits: document.querySelectorAll('fieldset.crit').length,
  items: document.querySelectorAll('fieldset.item.crits').length, rows, dir: d.dir };
"#;

#[tokio::test]
async fn criteria_in_a_browser() {
    let app = spawn_app().await;
    add_facilitator(&app.db, OWNER);
    create_study_from(
        &app.db,
        &criteria_study(app.database.dir.path(), "all"),
        Some(OWNER),
    );
    let links = {
        let mut conn = app.db.get().unwrap();
        open_round_with_links(&app, &mut conn, SLUG)
    };
    let ex = example_files();
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let who: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let cli = Cli::new(&app.database);
    let file = responses(app.database.dir.path(), "round1.csv", 1, &ex, &codes, &who);
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    let (&expert_id, token) = links.iter().next().unwrap();
    let expert_link = format!("/r/{token}");

    let browser = Browser::start(true).await;
    // The expert's form while the round is open: every item asks both criteria, each scale
    // row keeps its nine points on one line; in English, then in Arabic (right to left).
    for (lang, (width, height)) in [
        ("en", (390, 844)),
        ("en", (1280, 900)),
        ("ar", (390, 844)),
        ("ar", (1280, 900)),
    ] {
        if lang == "ar" {
            let mut conn = app.db.get().unwrap();
            diesel::RunQueryDsl::execute(
                diesel::sql_query(format!(
                    "UPDATE experts SET language = 'ar' WHERE id = {expert_id}"
                )),
                &mut conn,
            )
            .unwrap();
        }
        let what = format!("expert page at {width} px ({lang})");
        browser.viewport(width, height).await;
        browser.goto(&app.url(&expert_link)).await;
        let seen = browser.script(FORM, json!([])).await;
        assert_eq!(seen["dir"], if lang == "ar" { "rtl" } else { "ltr" }, "{what}");
        assert_eq!(seen["overflow"], 0, "{what}");
        let items = seen["items"].as_u64().unwrap_or_default() as usize;
        assert_eq!(items, codes.len(), "{what}");
        assert_eq!(seen["crits"].as_u64(), Some(2 * items as u64), "{what}");
        let rows = seen["rows"].as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len(), 2 * items, "a scale row per criterion: {what}");
        for row in &rows {
            let tops: Vec<i64> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_i64().unwrap())
                .collect();
            assert_eq!(tops.len(), 9, "nine points: {what}");
            assert!(
                tops.iter().all(|t| *t == tops[0]),
                "one line of points: {what}: {tops:?}"
            );
        }
        browser.assert_accessible(&what).await;
        browser
            .picture(&format!("criteria-{lang}-{width}"), ".crit")
            .await;
    }
    cli.ok(&["round", "close", SLUG]);

    browser.sign_in(&app, OWNER).await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        for (name, path) in [
            ("results", format!("/console/s/{SLUG}/results/1")),
            (
                "results by group",
                format!("/console/s/{SLUG}/results/1?view=groups"),
            ),
            ("rule", format!("/console/s/{SLUG}/rule")),
        ] {
            browser.goto(&app.url(&path)).await;
            let seen = browser.script(MEASURE, json!([])).await;
            let what = format!("{name} at {width} px");
            assert_eq!(seen["overflow"], 0, "{what} is wider than the screen");
            let charts = seen["charts"].as_array().cloned().unwrap_or_default();
            if name == "results" {
                // One chart per criterion line, none on the items' combined lines.
                assert_eq!(charts.len(), codes.len() * 2, "{what}");
                let source = browser.source().await;
                assert!(
                    source.contains("Item (all criteria)")
                        && source.contains("How important is this indicator?"),
                    "{what}"
                );
            }
            assert!(charts.iter().all(|c| c.as_u64() == Some(9)), "{what}: {charts:?}");
            browser.assert_accessible(&what).await;
        }
    }
}
