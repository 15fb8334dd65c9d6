//! A ranking round in a real browser (issue 15, part 3): the expert page with JavaScript at a
//! phone's 390 px and a laptop's 1280 px, in English and in Arabic (right to left), checked by
//! axe-core; the list reordered with the keyboard alone, announced and saved as it goes; and the
//! console's ranking results with their chart, and its "preview as an expert" on a phone.

use serde_json::json;

use crate::ranking::{ranking_round_open, saved_list};
use crate::support::app::spawn_app_keeping_emails;
use crate::support::browser::Browser;
use crate::support::sign_in::add_owner;

const PHONE: (u32, u32) = (390, 844);
const LAPTOP: (u32, u32) = (1280, 900);

const OVERFLOW: &str = r#"
const d = document.documentElement;
const wide = [...document.body.querySelectorAll('*')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.right > d.clientWidth + 1 || r.left < -1); })
  .filter(e => !e.closest('.skip, .visually-hidden') && !e.parentElement.closest('table, pre, .scroll'))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className);
return { overflow: d.scrollWidth - d.clientWidth, wide, dir: d.dir || getComputedStyle(d).direction };
"#;

pub(crate) async fn fits(browser: &Browser, name: &str) {
    let seen = browser.script(OVERFLOW, json!([])).await;
    assert_eq!(
        seen["overflow"],
        json!(0),
        "{name} is wider than the screen: {}",
        seen["wide"]
    );
}

/// Focuses the button `action` of item `code` in the script's list and presses Space on it.
async fn press(browser: &Browser, code: &str, action: &str) {
    let found = browser
        .script(
            "const b = document.querySelector(`.rk-js li[data-code=\"${arguments[0]}\"] button[data-action=\"${arguments[1]}\"]`); if (!b) return false; b.focus(); return document.activeElement === b;",
            json!([code, action]),
        )
        .await;
    assert_eq!(found, json!(true), "no {action} button for {code}");
    browser.keys(" ").await;
}

/// Waits until what is saved for `email` is `expected` (code, position).
pub(crate) async fn saved_becomes(app: &crate::support::app::TestApp, email: &str, expected: &[(&str, i32)]) {
    let expected: Vec<(String, i32)> = expected.iter().map(|(c, p)| (c.to_string(), *p)).collect();
    for _ in 0..50 {
        if saved_list(app, email) == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(saved_list(app, email), expected, "saved as it goes");
}

#[tokio::test]
async fn ranking_in_a_browser() {
    let app = spawn_app_keeping_emails().await;
    let links = ranking_round_open(&app).await;
    let browser = Browser::start(true).await;
    let page = app.url(&format!("/r/{}", links["r1@example.org"]));

    for (width, height) in [PHONE, LAPTOP] {
        browser.viewport(width, height).await;
        browser.goto(&page).await;
        browser.wait_for_text("rk-list").await;
        let hidden = browser
            .script("return document.getElementById('selects').hidden", json!([]))
            .await;
        assert_eq!(hidden, json!(true), "the script replaces the selects");
        fits(&browser, &format!("ranking page at {width} px")).await;
        browser.picture(&format!("ranking-en-{width}"), "main").await;
        browser
            .assert_accessible(&format!("ranking page at {width} px"))
            .await;
    }

    // Keyboard only: add Alpha, add Gamma, move Gamma up: Gamma 1, Alpha 2.
    press(&browser, "A", "add").await;
    saved_becomes(&app, "r1@example.org", &[("A", 1)]).await;
    press(&browser, "C", "add").await;
    saved_becomes(&app, "r1@example.org", &[("A", 1), ("C", 2)]).await;
    press(&browser, "C", "up").await;
    saved_becomes(&app, "r1@example.org", &[("C", 1), ("A", 2)]).await;
    let status = browser
        .script(
            "return document.getElementById('rk-status').textContent",
            json!([]),
        )
        .await;
    let status = status.as_str().unwrap_or_default().to_owned();
    assert!(
        status.contains("Gamma") || status.contains("Saved"),
        "announced: {status}"
    );
    let order = browser
        .script(
            "return [...document.querySelectorAll('.rk-list li')].map(li => li.dataset.code)",
            json!([]),
        )
        .await;
    assert_eq!(order, json!(["C", "A"]));
    // The focus stays on the moved item, so the next key press acts on it again.
    let focused = browser
        .script(
            "return document.activeElement.closest('li').dataset.code",
            json!([]),
        )
        .await;
    assert_eq!(focused, json!("C"));
    browser.assert_accessible("ranking page after reordering").await;

    // Reloaded, the saved order is the list.
    browser.goto(&page).await;
    browser.wait_for_text("rk-list").await;
    let order = browser
        .script(
            "return [...document.querySelectorAll('.rk-list li')].map(li => li.dataset.code)",
            json!([]),
        )
        .await;
    assert_eq!(order, json!(["C", "A"]));

    // In Arabic, right to left, at both widths.
    {
        let mut conn = app.db.get().unwrap();
        diesel::RunQueryDsl::execute(
            diesel::sql_query("UPDATE experts SET language = 'ar' WHERE email = 'p1@example.org'"),
            &mut conn,
        )
        .unwrap();
    }
    let arabic = app.url(&format!("/r/{}", links["p1@example.org"]));
    for (width, height) in [PHONE, LAPTOP] {
        browser.viewport(width, height).await;
        browser.goto(&arabic).await;
        browser.wait_for_text("rk-list").await;
        let seen = browser.script(OVERFLOW, json!([])).await;
        assert_eq!(seen["dir"], json!("rtl"));
        fits(&browser, &format!("Arabic ranking page at {width} px")).await;
        browser
            .assert_accessible(&format!("Arabic ranking page at {width} px"))
            .await;
        browser.picture(&format!("ranking-ar-{width}"), "main").await;
    }

    // The console's results of the closed ranking round: table and chart.
    crate::support::rounds::close_round(&mut app.db.get().unwrap(), "rank-2026");
    add_owner(&app.db, "rank-2026", "rank@example.org");
    browser.viewport(LAPTOP.0, LAPTOP.1).await;
    browser.sign_in(&app, "rank@example.org").await;
    for (width, height) in [PHONE, LAPTOP] {
        browser.viewport(width, height).await;
        browser.goto(&app.url("/console/s/rank-2026/results/2")).await;
        let html = browser.wait_for_text("rankchart").await;
        assert!(html.contains("Ranking, round 2"), "{html}");
        fits(&browser, &format!("ranking results at {width} px")).await;
        browser
            .assert_accessible(&format!("ranking results at {width} px"))
            .await;
        browser
            .picture(&format!("ranking-results-en-{width}"), "main svg")
            .await;
    }
    // The console's "preview as an expert" of the ranking round, on a phone.
    browser.viewport(PHONE.0, PHONE.1).await;
    browser
        .goto(&app.url("/console/s/rank-2026/preview?round=2"))
        .await;
    let html = browser.wait_for_text("preview-bar").await;
    assert!(
        html.contains("name=\"p_A\"") && html.contains("id=\"ranking\""),
        "{html}"
    );
    fits(&browser, "the ranking preview at 390 px").await;
    browser.assert_accessible("the ranking preview at 390 px").await;
    browser.picture("ranking-preview-en-390", "#ranking").await;
}
