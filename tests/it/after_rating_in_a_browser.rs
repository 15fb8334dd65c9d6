//! `[feedback] timing = "after_rating"` in a browser: a round-2 item answered with JavaScript
//! off (the form posted, the page reloaded) and on (autosave, the feedback fetched and put in
//! place), the group's feedback visible only after the answer, announced without moving the
//! focus; at a phone's 390 px and a laptop's 1280 px, with no serious or critical axe-core
//! violation.

use serde_json::json;

use crate::after_rating::{round_two_of_after_rating, HELD};
use crate::support::app::spawn_app;
use crate::support::browser::Browser;

/// How many feedback charts an item's fieldset shows, and whether it waits for an answer.
const ITEM: &str = r#"
const fs = document.getElementById('i-' + arguments[0]);
const d = document.documentElement;
return { charts: fs.querySelectorAll('svg.hist').length, held: fs.querySelectorAll('.fbslot.held').length,
  note: (fs.querySelector('.fbnew') || {}).textContent || '', overflow: d.scrollWidth - d.clientWidth };
"#;

async fn item(browser: &Browser, code: &str) -> serde_json::Value {
    browser.script(ITEM, json!([code])).await
}

const SIZES: [(u32, u32); 2] = [(390, 844), (1280, 900)];

#[tokio::test]
async fn a_round_two_item_shows_the_feedback_only_after_it_is_rated() {
    let app = spawn_app().await;
    let (token, _, own) = {
        let mut conn = app.db.get().unwrap();
        round_two_of_after_rating(&app, &mut conn)
    };
    let page = app.url(&format!("/r/{token}"));

    // JavaScript off: only the expert's own score; answered, saved, the page reloads with the
    // feedback. (axe-core needs scripts: the pages are checked in the second session.)
    let browser = Browser::start(false).await;
    browser.goto(&page).await;
    let m01 = item(&browser, "M01").await;
    assert_eq!((m01["charts"].clone(), m01["held"].clone()), (json!(0), json!(1)));
    let source = browser.source().await;
    assert!(source.contains(HELD) && source.contains(&format!("Your previous score: {own}")));
    assert!(
        !source.contains("<svg class=hist "),
        "no feedback in the page before rating"
    );
    // The third point of the scale (1–9): 3.
    browser.click("#i-M01 .pts label:nth-child(3)").await;
    browser.click("button[value=save]").await;
    browser.wait_for_url("saved=1").await;
    let m01 = item(&browser, "M01").await;
    assert_eq!((m01["charts"].clone(), m01["held"].clone()), (json!(1), json!(0)));
    assert!(
        m01["note"].as_str().unwrap_or_default().contains("now shown"),
        "{m01}"
    );
    let m02 = item(&browser, "M02").await;
    assert_eq!((m02["charts"].clone(), m02["held"].clone()), (json!(0), json!(1)));
    drop(browser);

    // JavaScript on: autosave reveals M02's feedback in place; the focus stays on the answer.
    let browser = Browser::start(true).await;
    for (width, height) in SIZES {
        browser.viewport(width, height).await;
        browser.goto(&page).await;
        let m02 = item(&browser, "M02").await;
        assert_eq!((m02["charts"].clone(), m02["held"].clone()), (json!(0), json!(1)));
        assert_eq!(m02["overflow"], 0, "held at {width} px");
        browser
            .assert_accessible(&format!("held feedback at {width} px"))
            .await;
        browser
            .picture(&format!("after-rating-held-{width}"), "#i-M02")
            .await;
    }
    browser.viewport(390, 844).await;
    browser.click("#i-M02 .pts label:nth-child(6)").await;
    browser
        .script("window.focusedAtAnswer = document.activeElement;", json!([]))
        .await;
    let charts = browser
        .wait_until(
            "return document.querySelectorAll('#i-M02 svg.hist').length",
            &json!(1),
            10,
        )
        .await;
    assert_eq!(
        charts,
        json!(1),
        "the feedback is put in place after the autosave"
    );
    let m02 = item(&browser, "M02").await;
    assert_eq!(m02["held"], 0);
    assert!(
        m02["note"].as_str().unwrap_or_default().contains("now shown"),
        "{m02}"
    );
    let kept = browser
        .script(
            "return document.activeElement === window.focusedAtAnswer \
             && document.querySelector('#f-M02 .fbnew').getAttribute('aria-live') === 'polite'",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!(true), "announced politely, the focus not moved");
    assert_eq!(item(&browser, "M03").await["charts"], 0, "other items still wait");
    for (width, height) in SIZES {
        browser.viewport(width, height).await;
        assert_eq!(
            item(&browser, "M02").await["overflow"],
            0,
            "revealed at {width} px"
        );
        browser
            .assert_accessible(&format!("revealed feedback at {width} px"))
            .await;
        browser
            .picture(&format!("after-rating-revealed-{width}"), "#i-M02")
            .await;
    }
}
