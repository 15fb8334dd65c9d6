//! The Accounts page's sender check in a real browser, on a phone and a desktop: the button
//! runs the check against the test's DNS server and the findings appear under it, accessible
//! and within the screen; pictures for docs/screenshots.

use delphi::config::{DkimSettings, EmailTransportKind};
use serde_json::json;

use crate::support::app::spawn_app_with;
use crate::support::browser::Browser;
use crate::support::dns::{a, txt, DnsServer};
use crate::support::sign_in::add_administrator;

#[tokio::test]
async fn an_administrator_checks_the_sender_s_domain() {
    // A sender whose SPF record lists its relay and whose DKIM key is published, but which has
    // no DMARC policy: invitations may land in spam.
    let dns = DnsServer::start(vec![
        txt(
            "study.example.org",
            "v=spf1 include:_spf.mailhost.example.net -all",
        ),
        txt("_spf.mailhost.example.net", "v=spf1 ip4:198.51.100.0/24 ~all"),
        txt(
            "delphi._domainkey.study.example.org",
            "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A",
        ),
        a("smtp.study.example.org", "198.51.100.7"),
    ]);
    let address = dns.address.to_string();
    let app = spawn_app_with(|settings| {
        settings.email.from = "Lactation Delphi <delphi@study.example.org>".into();
        settings.email.dns_server = address;
        settings.email.transport = EmailTransportKind::Smtp;
        settings.email.smtp.host = "smtp.study.example.org".into();
        // Nothing is sent in this test; the worker would only retry against no relay.
        settings.workers.outbox_interval_secs = 3_600;
        settings.email.dkim = Some(DkimSettings {
            selector: "delphi".into(),
            domain: "study.example.org".into(),
            // The server reads the key when it starts: a real (test-only) one.
            private_key: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dkim/rsa-2048.pem").into(),
        });
    })
    .await;
    add_administrator(&app.db, "ada@example.org", "Ada Admin");
    let browser = Browser::start(true).await;
    browser.sign_in(&app, "ada@example.org").await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser.goto(&app.url("/console/accounts")).await;
        browser
            .click("form[action^='/console/accounts/sender-check'] button")
            .await;
        let page = browser.wait_for_text("data-verdict=").await;
        assert!(page.contains(r#"data-verdict="may_land_in_spam""#), "{page}");
        assert!(page.contains("Invitations may land in spam folders."));
        assert!(page.contains("publishes no DMARC policy"));
        assert!(page.contains("The DKIM key delphi._domainkey.study.example.org is published"));
        assert!(page.contains("(198.51.100.7) is allowed to send by the SPF record"));
        assert_eq!(browser.overflow().await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("the sender check at {width} px"))
            .await;
        browser.picture(&format!("sender-check-{width}"), "#sender").await;
    }
}
