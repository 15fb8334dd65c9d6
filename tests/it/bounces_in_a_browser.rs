//! Issue 18 in a browser: the dashboard with an undeliverable address listed apart and a
//! delayed one, and an expert's delivery page with the form that corrects the address; on a
//! phone and a desktop, with axe-core on each and pictures for docs/screenshots.

use serde_json::json;

use crate::bounces::{delivered, dsn, hard_bounce, invitations, OWNER};
use crate::support::browser::Browser;
use crate::support::fixtures::SLUG;
use delphi::db::models::experts::Expert;
use delphi::service::bounces;

#[tokio::test]
async fn undeliverable_addresses_and_the_delivery_history_in_a_browser() {
    let (app, _smtp) = delivered().await;
    let sent = invitations(&app.db);
    let bounce = "bounces@example.org";
    let pseudonym = {
        let mut conn = app.db.get().unwrap();
        bounces::receive(&mut conn, hard_bounce(&sent[0]).as_bytes(), None, Some(bounce)).unwrap();
        let delayed = dsn(&sent[1], "delayed", "4.2.2", "452 4.2.2 Mailbox full");
        bounces::receive(&mut conn, delayed.as_bytes(), None, Some(bounce)).unwrap();
        Expert::by_id(&mut conn, sent[0].expert_id.unwrap())
            .unwrap()
            .unwrap()
            .pseudonym
    };

    let browser = Browser::start(true).await;
    browser.sign_in(&app, OWNER).await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser.goto(&app.url(&format!("/console/s/{SLUG}"))).await;
        assert!(browser.source().await.contains("Undeliverable addresses"));
        assert_eq!(browser.overflow().await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!(
                "the dashboard with an undeliverable address at {width} px"
            ))
            .await;
        browser
            .picture(&format!("dashboard-delivery-{width}"), "tr[data-expert='E001']")
            .await;
        browser
            .picture(&format!("dashboard-undeliverable-{width}"), "#undeliverable")
            .await;

        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/experts/{pseudonym}/deliveries")))
            .await;
        let page = browser.source().await;
        assert!(page.contains("bounced for good"), "{page}");
        assert_eq!(browser.overflow().await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("an expert's delivery history at {width} px"))
            .await;
        browser.picture(&format!("deliveries-{width}"), "main").await;
    }
}
