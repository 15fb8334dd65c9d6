//! The cross-site refusal and the sign-in form's token in a real browser (Chromium, which sends
//! Fetch Metadata and `Origin` itself): a form another page makes the browser post is refused
//! and changes nothing, a sign-in form whose token is not the browser's is refused with its
//! message, and the pages' own forms work. On a phone and a desktop, with axe-core on each and
//! pictures for docs/screenshots.

use serde_json::json;

use crate::support::app::spawn_app;
use crate::support::browser::Browser;
use crate::support::flows::fill;
use crate::support::forms::csrf_in;
use crate::support::sign_in::{add_named_facilitator, PASSWORD};

const ADA: &str = "ada@example.org";

/// Makes the current page post a form with `fields` to `action`, as another site's page would.
const POST_FROM_HERE: &str = "const form = document.createElement('form'); \
     form.method = 'post'; form.action = arguments[0]; \
     for (const [name, value] of arguments[1]) { \
       const input = document.createElement('input'); \
       input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input); \
     } \
     document.body.appendChild(form); form.submit();";

#[tokio::test]
async fn another_pages_post_is_refused_and_the_sign_in_needs_its_token() {
    let app = spawn_app().await;
    add_named_facilitator(&app.db, ADA, "Ada");
    let browser = Browser::start(true).await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;

        // A sign-in form whose token is not this browser's (a page kept from another browser,
        // or another site's copy of the form): nobody is signed in, the page says why.
        browser.goto(&app.url("/login")).await;
        browser
            .script(
                "document.querySelector('input[name=csrf]').value = arguments[0];",
                json!(["0".repeat(64)]),
            )
            .await;
        fill(&browser, &[("#email", ADA), ("#password", PASSWORD)]).await;
        browser.click("button[type=submit]").await;
        browser.wait_for_text("did not come from this site").await;
        assert_eq!(browser.overflow().await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("the refused sign-in at {width} px"))
            .await;
        browser.picture(&format!("login-refused-{width}"), "h1").await;

        // Nobody was signed in: the console sends the browser to the sign-in page, whose form
        // (with the browser's own token) signs in.
        browser.goto(&app.url("/console")).await;
        browser.wait_for_path("/login?next=%2Fconsole").await;
        fill(&browser, &[("#email", ADA), ("#password", PASSWORD)]).await;
        browser.click("button[type=submit]").await;
        browser.wait_for_text("console-bar").await;
        let csrf = csrf_in(&browser.source().await);

        // Another page (here a blank one, whose origin is nobody's) posts the sign-out form with
        // the session's own CSRF token: refused before anything happens.
        browser.goto("about:blank").await;
        browser
            .script(POST_FROM_HERE, json!([app.url("/logout"), [["csrf", csrf]]]))
            .await;
        browser.wait_for_text("came from another website").await;
        assert_eq!(browser.overflow().await, json!(0), "{width} px");
        browser
            .assert_accessible(&format!("the cross-site refusal at {width} px"))
            .await;
        browser
            .picture(&format!("cross-site-refused-{width}"), "h1")
            .await;
        browser.goto(&app.url("/console")).await;
        browser.wait_for_text("console-bar").await;

        // The console's own sign-out form works.
        browser.click("form.signout button[type=submit]").await;
        browser.wait_for_path("/login?done=signed_out").await;
    }
}
