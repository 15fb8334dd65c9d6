//! The console's drift page and the report's drift section in a browser, at a phone's 390 px
//! and a laptop's 1280 px: nothing wider than the screen (the tables scroll in their own box),
//! the per-group table behind its disclosure, no serious or critical axe-core violation.

use serde_json::json;

use crate::drift::{three_rounds, OWNER, SLUG};
use crate::support::browser::Browser;

/// How far the page is wider than the screen, and whether each table fits or scrolls inside
/// its own box.
const MEASURE: &str = r#"
const d = document.documentElement;
const tables = [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right <= d.clientWidth + 1);
return { overflow: d.scrollWidth - d.clientWidth, tables };
"#;

#[tokio::test]
async fn drift_in_a_browser() {
    let app = three_rounds().await;
    let browser = Browser::start(true).await;
    browser.sign_in(&app, OWNER).await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        let what = format!("drift page at {width} px");
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/results/3/drift")))
            .await;
        browser.wait_for_text("Drift, round 2 → round 3").await;
        browser.picture(&format!("drift-en-{width}"), "h1").await;
        browser.click("details.drift-sets summary").await;
        let seen = browser.script(MEASURE, json!([])).await;
        assert_eq!(seen["overflow"], 0, "{what} is wider than the screen");
        assert_eq!(seen["tables"], json!([true, true]), "{what}");
        browser.assert_accessible(&what).await;
        browser
            .picture(&format!("drift-groups-en-{width}"), "details.drift-sets")
            .await;

        browser.goto(&app.url(&format!("/console/s/{SLUG}/report"))).await;
        let source = browser.source().await;
        assert!(
            source.contains("Drift toward the group"),
            "the report at {width} px"
        );
        browser.picture(&format!("report-drift-{width}"), "#drift").await;
    }
}
