//! The console's responses import page of a CHNRI study in a browser, at a phone's 390 px and a
//! laptop's 1280 px: the page and its preview are no wider than the screen and axe-core finds no
//! serious or critical violation.

use serde_json::json;

use crate::support::app::spawn_app;
use crate::support::browser::Browser;
use crate::support::cli::Cli;
use crate::support::sign_in::add_owner;

const SLUG: &str = "chnri-lactation";

const OVERFLOW: &str = "const d = document.documentElement; return d.scrollWidth - d.clientWidth;";

#[tokio::test]
async fn responses_import_in_a_browser() {
    let app = spawn_app().await;
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chnri-lactation");
    let cli = Cli::new(&app.database).quiet();
    cli.ok(&["study", "create", example.join("study.toml").to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG]);
    add_owner(&app.db, SLUG, "owner@example.org");
    let file = app.database.dir.path().join("answers.csv");
    std::fs::write(
        &file,
        "expert,item,criterion,question,answer\n\
         n.okafor@example.org,R01,answerability,1,yes\n\
         n.okafor@example.org,R01,answerability,2,undecided\n\
         c.mbeki@example.org,R02,equity,1,dont_know\n",
    )
    .unwrap();

    // JavaScript on for axe-core; the page has no script of its own.
    let browser = Browser::start(true).await;
    browser.sign_in(&app, "owner@example.org").await;
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.viewport(width, height).await;
        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/import/responses")))
            .await;
        assert_eq!(
            browser.script(OVERFLOW, json!([])).await,
            json!(0),
            "the import page at {width} px is wider than the screen"
        );
        browser
            .assert_accessible(&format!("the responses import page at {width} px"))
            .await;
        browser
            .picture(&format!("import-chnri-en-{width}"), "main h1")
            .await;
        browser.send_keys("#file", file.to_str().unwrap()).await;
        browser
            .click("form[enctype='multipart/form-data'] button[type=submit]")
            .await;
        browser
            .wait_for_path(&format!("/console/s/{SLUG}/import/responses/preview"))
            .await;
        assert!(browser
            .source()
            .await
            .contains("3 rows from 2 experts on 2 items"));
        assert_eq!(
            browser.script(OVERFLOW, json!([])).await,
            json!(0),
            "the import preview at {width} px is wider than the screen"
        );
        browser
            .assert_accessible(&format!("the responses import preview at {width} px"))
            .await;
        browser
            .picture(&format!("import-chnri-preview-en-{width}"), "main h1")
            .await;
    }
}
