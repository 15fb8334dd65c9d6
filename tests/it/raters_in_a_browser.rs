//! The dashboard's notice of a close refused at the deadline and the report's raters per item,
//! on a phone and a desktop, with axe-core on each and pictures for docs/screenshots.

use chrono::Duration;
use serde_json::json;

use crate::page_order::{create_drawn_study, SLUG};
use crate::support::app::spawn_app;
use crate::support::browser::Browser;
use crate::support::fixtures::actor;
use crate::support::rounds::answer_every_page;
use crate::support::sign_in::editor_and_viewer;
use delphi::db::now;
use delphi::domain::link::LinkBase;
use delphi::service::rounds;
use delphi::service::scheduler::tick;

#[tokio::test]
async fn the_refused_close_and_the_reports_raters_in_a_browser() {
    let app = spawn_app().await;
    create_drawn_study(&app);
    editor_and_viewer(&app.db, SLUG);
    let mut conn = app.db.get().unwrap();
    let links = LinkBase(app.address.clone());
    let deadline = now() + Duration::days(2);
    rounds::open(&mut conn, SLUG, Some(deadline), &links, &actor()).unwrap();
    let refused = tick(&mut conn, &links, deadline + Duration::minutes(1)).unwrap();
    assert_eq!(refused.refused.len(), 1);

    let browser = Browser::start(true).await;
    browser.sign_in(&app, "ed@example.org").await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser.goto(&app.url(&format!("/console/s/{SLUG}"))).await;
        assert!(browser.source().await.contains("id=\"close-refused\""));
        assert_eq!(browser.overflow().await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("the dashboard with a refused close at {width} px"))
            .await;
        browser
            .picture(&format!("dashboard-close-refused-{width}"), "#dash")
            .await;
    }

    answer_every_page(&mut conn, SLUG, 1);
    rounds::close(&mut conn, SLUG, "facilitator", &actor()).unwrap();
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser.goto(&app.url(&format!("/console/s/{SLUG}/report"))).await;
        assert!(browser.source().await.contains("Raters per item"));
        browser
            .assert_accessible(&format!("the report with raters at {width} px"))
            .await;
        browser
            .picture(&format!("report-raters-{width}"), "#final-undecided")
            .await;
        browser
            .picture(
                &format!("report-subsets-methods-{width}"),
                "#methods p:last-of-type",
            )
            .await;
    }
}
