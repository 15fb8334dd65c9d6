//! The pages people meet first, looked at as they see them (issue 14): the rating form, the
//! round-2 page with feedback, the console's study dashboard, a round's results, the figure for
//! a paper and the report,
//! each at a phone's 390 px and a laptop's 1280 px, for a study in English, one in Spanish and
//! one in Arabic (right to left). On every page: nothing wider than the screen, the points of
//! the 1–9 scale on one line, every chart with its nine axis labels, and no serious or critical
//! axe-core violation.
//!
//! With `DELPHI_SCREENSHOTS=DIR` the same walk saves what the screen shows as
//! `DIR/<page>-<language>-<width>.png` (`scripts/screenshots.sh` writes docs/screenshots/).

use delphi::domain::link::LinkBase;
use delphi::service::{demo, files};
use serde_json::{json, Value};

use crate::support::app::{spawn_app, TestApp};
use crate::support::browser::{axis_of_js, Browser};
use crate::support::fixtures::{actor, SLUG};
use crate::support::rounds::{experts, links_of_round, load_demo, open_round_with_links};
use crate::support::sign_in::{add_facilitator, grant};

const PHONE: (u32, u32) = (390, 844);
const LAPTOP: (u32, u32) = (1280, 900);
const EDITOR: &str = "pages@example.org";

/// What the page is, for the messages and the screenshots' names, and what it must show.
struct Page<'a> {
    name: &'a str,
    path: String,
    /// The rating scale's rows are there (rating pages).
    scale: bool,
    /// At least one chart is there.
    charts: bool,
    /// Scrolled into view before the screenshot, so the picture shows what matters.
    focus: Option<&'a str>,
}

/// Measures the page: how far it is wider than the screen (and which elements stick out), the
/// top of every point of every scale row, and the axis labels of every chart.
const MEASURE: &str = concat!(
    axis_of_js!(),
    r#"
const d = document.documentElement;
const rows = [...document.querySelectorAll('.pts')].map(r =>
  [...r.querySelectorAll('.pts label')].map(p => Math.round(p.getBoundingClientRect().top + scrollY)));
const charts = [...document.querySelectorAll('svg.hist')].map(s => axisOf(s) ? axisOf(s).querySelectorAll('text').length : 0);
const wide = [...document.body.querySelectorAll('*')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.right > d.clientWidth + 1 || r.left < -1); })
  .filter(e => !e.closest('.skip, .visually-hidden') && !e.parentElement.closest('table, pre, .scroll'))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className);
const centre = e => { const r = e.getBoundingClientRect(); return r.left + r.width / 2; };
const chart = document.querySelector('svg.hist');
const axis = chart && axisOf(chart);
const pts = document.querySelector('.pts');
const runs = (first, last) => first && last ? (centre(first) < centre(last) ? 'ltr' : 'rtl') : null;
// A frame's labels are drawn where the chart uses them, at the same coordinates: their `x`.
const xRuns = (first, last) => first && last ? (+first.getAttribute('x') < +last.getAttribute('x') ? 'ltr' : 'rtl') : null;
const chartRuns = axis ? xRuns(axis.firstElementChild, axis.lastElementChild) : null;
const scaleRuns = pts ? runs(pts.firstElementChild, pts.lastElementChild) : null;
return { chartRuns, scaleRuns, overflow: d.scrollWidth - d.clientWidth, rows, charts, wide, dir: d.dir || getComputedStyle(d).direction };
"#
);

async fn look(browser: &Browser, app: &TestApp, lang: &str, page: &Page<'_>) {
    for (width, height) in [PHONE, LAPTOP] {
        browser.viewport(width, height).await;
        browser.goto(&app.url(&page.path)).await;
        let seen = browser.script(MEASURE, json!([])).await;
        let name = format!("{} ({lang}, {width} px)", page.name);
        assert!(
            seen["overflow"].as_i64() == Some(0),
            "{name} is wider than the screen by {} px; sticking out: {}",
            seen["overflow"],
            seen["wide"]
        );
        if page.scale {
            let rows = seen["rows"].as_array().cloned().unwrap_or_default();
            assert!(!rows.is_empty(), "{name}: no rating scale");
            for row in &rows {
                let tops: Vec<i64> = row
                    .as_array()
                    .map(|r| r.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default();
                assert_eq!(tops.len(), 9, "{name}: a 1–9 scale has nine points: {row}");
                assert!(
                    tops.iter().all(|t| *t == tops[0]),
                    "{name}: the nine points are on one line: {row}"
                );
            }
        }
        let charts = seen["charts"].as_array().cloned().unwrap_or_default();
        if page.charts {
            assert!(!charts.is_empty(), "{name}: no chart");
        }
        assert!(
            charts.iter().all(|c| c.as_u64() == Some(9)),
            "{name}: every chart labels the nine points of its axis: {charts:?}"
        );
        if lang == "ar" && page.path.starts_with("/r/") {
            assert_eq!(seen["dir"], "rtl", "{name}: an Arabic page runs right to left");
            assert_eq!(seen["scaleRuns"], "rtl", "{name}: the scale runs from the right");
            if page.charts {
                assert_eq!(
                    seen["chartRuns"], "rtl",
                    "{name}: the chart runs as its scale does"
                );
            }
        }
        browser.assert_accessible(&name).await;
        // Every page in English; the others' rating page with feedback (Arabic: mirrored).
        let pictured = lang == "en" || page.name == "round-2";
        if pictured {
            browser
                .picture(
                    &format!("{}-{lang}-{width}", page.name),
                    page.focus.unwrap_or("main"),
                )
                .await;
        }
    }
}

/// Creates the study (the example study, or a study file of tests/fixtures), opens round 1 and
/// returns an expert's round-1 link.
fn study_with_round_one(app: &TestApp, study_file: Option<&str>) -> (String, String) {
    let mut conn = app.db.get().unwrap();
    let slug = match study_file {
        None => {
            load_demo(&mut conn);
            SLUG.to_string()
        }
        Some(path) => {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            let bundle = files::load_study(&path).unwrap();
            delphi::service::studies::create(&mut conn, &bundle, &actor()).unwrap();
            bundle.file.slug
        }
    };
    let links = open_round_with_links(app, &mut conn, &slug);
    let token = reader_link(&mut conn, &slug, &links);
    (slug, token)
}

/// The link of an expert whose language is the study's own (an expert without one would get
/// the browser's).
fn reader_link(
    conn: &mut delphi::db::DbConnection,
    slug: &str,
    links: &std::collections::HashMap<i64, String>,
) -> String {
    let study = delphi::service::studies::load(conn, slug).unwrap();
    let main = study.file.language.clone();
    experts(conn, slug)
        .into_iter()
        .filter(|e| e.language.as_deref() == Some(main.as_str()))
        .find_map(|e| links.get(&e.id).cloned())
        .expect("an expert who reads the study's language")
}

async fn walk(lang: &str, study_file: Option<&str>) {
    let app = spawn_app().await;
    add_facilitator(&app.db, EDITOR);
    let (slug, round_one) = study_with_round_one(&app, study_file);
    grant(&app.db, &slug, EDITOR, delphi::domain::role::Role::Owner);
    let browser = Browser::start(true).await;

    look(
        &browser,
        &app,
        lang,
        &Page {
            name: "rating-form",
            path: format!("/r/{round_one}"),
            scale: true,
            charts: false,
            focus: Some("section"),
        },
    )
    .await;

    // Round 1 answered by the whole panel and closed; round 2 open with feedback.
    let round_two = {
        let mut conn = app.db.get().unwrap();
        let sample =
            demo::sample_rounds(&mut conn, &slug, 1, &LinkBase(app.address.clone()), &actor()).unwrap();
        let number = sample.open.expect("round 2 opens");
        let links = links_of_round(&app.database, &mut conn, &slug, number);
        reader_link(&mut conn, &slug, &links)
    };
    look(
        &browser,
        &app,
        lang,
        &Page {
            name: "round-2",
            path: format!("/r/{round_two}"),
            scale: true,
            charts: true,
            focus: Some("fieldset.item"),
        },
    )
    .await;

    browser.viewport(LAPTOP.0, LAPTOP.1).await;
    browser.sign_in(&app, EDITOR).await;
    if lang == "en" {
        every_console_page_fits_a_phone(&browser, &app, &slug).await;
    }
    for page in [
        Page {
            name: "dashboard",
            path: format!("/console/s/{slug}"),
            scale: false,
            charts: false,
            focus: None,
        },
        Page {
            name: "results",
            path: format!("/console/s/{slug}/results/1"),
            scale: false,
            charts: true,
            focus: None,
        },
        Page {
            name: "figure",
            path: format!("/console/s/{slug}/figure"),
            scale: false,
            charts: false,
            focus: None,
        },
        Page {
            name: "report",
            path: format!("/console/s/{slug}/report"),
            scale: false,
            charts: true,
            focus: None,
        },
    ] {
        look(&browser, &app, lang, &page).await;
    }
}

/// The rest of the console at 390 px: nothing wider than the phone (wide tables scroll inside
/// their own box).
async fn every_console_page_fits_a_phone(browser: &Browser, app: &TestApp, slug: &str) {
    browser.viewport(PHONE.0, PHONE.1).await;
    let pages = [
        "/console".to_string(),
        "/console/new".into(),
        "/console/new/form".into(),
        "/console/accounts".into(),
        "/console/profile".into(),
    ]
    .into_iter()
    .chain(
        [
            "",
            "/content",
            "/panel",
            "/rule",
            "/translations",
            "/emails",
            "/emails/invitation",
            "/team",
            "/audit",
            "/suggestions",
            "/final",
            "/settings",
            "/test",
            "/import/items",
            "/import/panel",
            "/import/responses",
            "/results",
            "/results/1?view=groups",
            "/rounds/close",
            "/preview",
        ]
        .map(|page| format!("/console/s/{slug}{page}")),
    );
    for path in pages {
        browser.goto(&app.url(&path)).await;
        let seen = browser.script(MEASURE, json!([])).await;
        assert!(
            seen["overflow"].as_i64() == Some(0),
            "{path} at 390 px is wider than the screen by {} px; sticking out: {}",
            seen["overflow"],
            seen["wide"]
        );
    }
}

#[tokio::test]
async fn the_main_pages_fit_a_phone_and_a_laptop_in_english() {
    walk("en", None).await;
}

#[tokio::test]
async fn the_main_pages_fit_a_phone_and_a_laptop_in_spanish() {
    walk("es", Some("tests/fixtures/spanish-study/study.toml")).await;
}

#[tokio::test]
async fn the_main_pages_fit_a_phone_and_a_laptop_in_arabic_right_to_left() {
    walk("ar", Some("tests/fixtures/arabic-study/study.toml")).await;
}
