//! The whole journey of a researcher who never opens a terminal, in a real browser against the
//! real `delphi serve` on an empty database: the set-up link from the server's log, the first
//! administrator, a study built with forms (two sections, two groups, the COMET rule, French with
//! translations), items and experts by form and by paste, a preview as an expert, a test expert
//! answering a rehearsal that counts nowhere, round 1 with
//! three experts answering through their emailed links (one in French), round 2, finishing, the
//! final list, the closing email and the data package. axe-core checks every page it visits.
//!
//! With `DELPHI_GUIDE_SHOTS=DIR` it also saves the pictures of docs/getting-started.md there.

use std::path::PathBuf;

use delphi::db::models::outbox::OutboxEmail;
use serde_json::json;

use crate::support::app::TestDatabase;
use crate::support::browser::Browser;
use crate::support::cli::Served;
use crate::support::files::unzip;
use crate::support::mail::{decoded, token_after};

const SLUG: &str = "micronutrients-during-breastfeeding";

/// The browser, and where the guide's pictures go (if anywhere).
struct Walk {
    browser: Browser,
    base: String,
    shots: Option<PathBuf>,
}

impl Walk {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Goes to `path`, checks the page with axe-core, and takes its picture if asked.
    async fn visit(&self, path: &str, what: &str, shot: Option<&str>) {
        self.browser.goto(&self.url(path)).await;
        self.check(what, shot).await;
    }

    async fn check(&self, what: &str, shot: Option<&str>) {
        self.browser.assert_accessible(what).await;
        if let (Some(dir), Some(name)) = (&self.shots, shot) {
            self.browser.script("window.scrollTo(0, 0)", json!([])).await;
            self.browser.screenshot(&dir.join(format!("{name}.png"))).await;
        }
    }

    /// Opens the next round from the study page, or closes the open one through its
    /// confirmation page, checking the page the button is on.
    async fn round(&self, action: &str, what: &str) {
        let page = match action {
            "open" => format!("/console/s/{SLUG}"),
            _ => format!("/console/s/{SLUG}/rounds/{action}"),
        };
        self.visit(&page, what, None).await;
        self.browser
            .click(&format!(
                "form[action='/console/s/{SLUG}/rounds/{action}'] button.primary"
            ))
            .await;
        self.browser.wait_for_url("done=").await;
    }

    async fn set(&self, css: &str, value: &str) {
        self.browser
            .script(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                 e.dispatchEvent(new Event('input', { bubbles: true }));",
                json!([css, value]),
            )
            .await;
    }
}

/// The emails of the outbox so far, decoded.
fn emails(database: &TestDatabase) -> Vec<OutboxEmail> {
    let mut conn = database.connect().get().unwrap();
    OutboxEmail::all(&mut conn, None).unwrap()
}

/// The personal link of the newest email to `to` whose key starts with `kind`.
fn link_to(database: &TestDatabase, to: &str, kind: &str, prefix: &str) -> String {
    let email = emails(database)
        .into_iter()
        .rev()
        .find(|e| e.recipient.contains(to) && e.idempotency_key.starts_with(kind))
        .unwrap_or_else(|| panic!("no {kind} email to {to}"));
    let body = decoded(&email.body_text);
    let token = token_after(&body, prefix);
    format!("{prefix}{token}")
}

/// An expert gives each item of the page its score (`[code, score]`, the others `rest`) and
/// submits, through the form as it works without scripts.
async fn answer(
    walk: &Walk,
    link: &str,
    scores: &[(&str, &str)],
    rest: &str,
    what: &str,
    shot: Option<&str>,
) {
    walk.visit(link, what, shot).await;
    walk.browser
        .script(
            "document.querySelectorAll('input[type=radio][value=\"' + arguments[1] + '\"]').forEach(r => { r.checked = true; }); \
             for (const [code, score] of arguments[0]) { \
               const r = document.querySelector('input[name=\"s_' + code + '\"][value=\"' + score + '\"]'); \
               if (r) { r.checked = true; } \
             }",
            json!([scores, rest]),
        )
        .await;
    walk.browser.click("button[value=review]").await;
    let review = walk
        .browser
        .wait_until(
            "return document.querySelector(\"form[action$='/submit']\") !== null",
            &json!(true),
            10,
        )
        .await;
    assert_eq!(review, json!(true), "{what}: the review page");
    walk.browser.click("form[action$='/submit'] button").await;
    walk.browser.wait_for_path("/done").await;
    walk.check(&format!("{what}: submitted"), None).await;
}

#[tokio::test]
async fn a_researcher_runs_a_whole_study_in_the_browser_from_an_empty_database() {
    let database = TestDatabase::new();
    let served = Served::start_public(&database, &[]).await;
    let log = std::fs::read_to_string(database.dir.path().join("delphi.log")).unwrap();
    let setup = format!("/setup/{}", token_after(&log, "/setup/"));
    let browser = Browser::start(true).await;
    browser.window(1280, 900).await;
    let walk = Walk {
        browser,
        base: served.address(),
        shots: std::env::var_os("DELPHI_GUIDE_SHOTS").map(PathBuf::from),
    };

    // 1. The first administrator, through the link the server printed.
    walk.visit("/", "the home page", Some("guide-01-home")).await;
    walk.visit(&setup, "the set-up form", Some("guide-02-setup"))
        .await;
    walk.set("#name", "Amina Researcher").await;
    walk.set("#email", "amina@example.org").await;
    walk.set("#password", "a long and private passphrase").await;
    walk.set("#confirm", "a long and private passphrase").await;
    walk.browser.click("button.primary").await;
    walk.browser.wait_for_path("/console?done=welcome").await;
    walk.check("the console after set-up", None).await;

    // 2. A study with forms: blank start, two groups, two sections, COMET, French.
    walk.visit("/console/new", "the new-study page", Some("guide-03-new-study"))
        .await;
    walk.browser
        .click("a[href='/console/new/form?start=blank']")
        .await;
    walk.browser.wait_for_path("start=blank").await;
    walk.check("the set-up form", None).await;
    walk.set("#f-title", "Micronutrients during breastfeeding").await;
    walk.set(
        "#f-description",
        "Thank you for joining. Rate each indicator from 1 to 9.",
    )
    .await;
    walk.set("#f-timezone", "Africa/Nairobi").await;
    walk.browser.click("#f-languages-1").await; // Français
    walk.set("#f-group-name-1", "Researchers").await;
    walk.set("#f-group-name-2", "Practitioners").await;
    walk.set("#f-section-title-1", "Maternal indicators").await;
    walk.set("#f-section-key-1", "maternal").await;
    walk.set("#f-section-title-2", "Infant indicators").await;
    walk.set("#f-section-key-2", "infant").await;
    walk.set("#f-rounds-max", "3").await;
    walk.check("the filled set-up form", Some("guide-04-study-form"))
        .await;
    walk.browser.click("button[value=save]").await;
    walk.browser
        .wait_for_path(&format!("/console/s/{SLUG}?done=created"))
        .await;
    walk.check("the new study", None).await;

    // 3. Items by form and by paste; experts by form and by paste.
    let content = format!("/console/s/{SLUG}/content");
    walk.visit(&content, "the content page", None).await;
    walk.set("#ni-code", "M01").await;
    walk.browser
        .script(
            "document.querySelector('#ni-section').value = 'maternal'",
            json!([]),
        )
        .await;
    walk.set("#ni-text", "Haemoglobin concentration").await;
    walk.browser
        .click(&format!("form[action='{content}/items'] button"))
        .await;
    walk.browser.wait_for_url("done=item-added").await;
    walk.visit(&content, "the content page with an item", None).await;
    walk.set(
        "#paste-lines",
        "M02 | maternal | Serum ferritin\nI01 | infant | Length-for-age z-score\nI02 | infant | Exclusive breastfeeding at 6 months",
    )
    .await;
    walk.browser.click("#paste button").await;
    walk.browser.wait_for_url("done=pasted").await;
    walk.check("the content page after pasting", Some("guide-05-items"))
        .await;

    let panel = format!("/console/s/{SLUG}/panel");
    walk.visit(&panel, "the panel page", None).await;
    walk.set("#email", "ama@example.org").await;
    walk.set("#name", "Ama Mensah").await;
    walk.browser.click("#add button.primary").await;
    walk.browser.wait_for_url("done=").await;
    walk.visit(&panel, "the panel page with an expert", None).await;
    walk.set(
        "#paste-experts",
        "bo@example.org | Bo Lindqvist | practitioners | en\nclaire@example.org | Claire Dubois | researchers | fr",
    )
    .await;
    walk.browser.click("#paste button.primary").await;
    walk.browser.wait_for_url("done=pasted").await;
    walk.check("the panel after pasting", Some("guide-06-panel"))
        .await;

    // 4. French texts, then the questionnaire as a French expert will see it.
    let translations = format!("/console/s/{SLUG}/translations?lang=fr");
    walk.visit(&translations, "the translations page", None).await;
    walk.set("#t-title", "Micronutriments pendant l'allaitement")
        .await;
    walk.set("#t-section_maternal", "Indicateurs maternels").await;
    walk.set("#t-section_infant", "Indicateurs du nourrisson").await;
    walk.set("#t-label_1", "Pas important").await;
    walk.set("#t-label_5", "Important mais pas essentiel").await;
    walk.set("#t-label_9", "Essentiel").await;
    walk.set(
        "#t-description",
        "Merci de votre participation. Notez chaque indicateur de 1 à 9.",
    )
    .await;
    walk.set("#t-item_M01", "Concentration d'hémoglobine").await;
    walk.browser.click("form.translations button.primary").await;
    walk.browser.wait_for_url("done=saved").await;
    walk.check(
        "the translations page after saving",
        Some("guide-07-translations"),
    )
    .await;

    walk.browser.window(390, 844).await;
    walk.visit(
        &format!("/console/s/{SLUG}/preview?lang=fr&round=1"),
        "the preview as a French expert",
        Some("guide-08-preview"),
    )
    .await;
    let preview = walk.browser.source().await;
    assert!(preview.contains("Indicateurs maternels") && preview.contains("Concentration d'hémoglobine"));
    walk.browser.window(1280, 900).await;

    // 5. A rehearsal: the researcher invites herself as a test expert and answers round 1
    //    before it opens; her answers never count.
    let test_run = format!("/console/s/{SLUG}/test");
    walk.visit(&test_run, "the test run page", None).await;
    walk.set("#email", "amina+test@example.org").await;
    walk.set("#name", "Amina (test)").await;
    walk.browser
        .click(&format!("form[action='{test_run}'] button.primary"))
        .await;
    walk.browser.wait_for_url("done=").await;
    walk.check("the test run page with a test expert", Some("guide-09-test-run"))
        .await;
    walk.browser.window(390, 844).await;
    let rehearsal = link_to(&database, "amina+test@", "invitation:", "/r/");
    answer(&walk, &rehearsal, &[], "1", "the test expert's rehearsal", None).await;
    walk.browser.window(1280, 900).await;

    // 6. Round 1: open, three experts answer through their emailed links, close.
    walk.round("open", "the study page").await;
    walk.check("the dashboard with round 1 open", Some("guide-10-round-open"))
        .await;
    walk.browser.window(390, 844).await;
    let ama = link_to(&database, "ama@", "invitation:", "/r/");
    answer(
        &walk,
        &ama,
        &[("I02", "2")],
        "8",
        "Ama's round 1",
        Some("guide-11-expert"),
    )
    .await;
    let bo = link_to(&database, "bo@", "invitation:", "/r/");
    answer(&walk, &bo, &[("M01", "8")], "2", "Bo's round 1", None).await;
    let claire = link_to(&database, "claire@", "invitation:", "/r/");
    walk.browser.goto(&walk.url(&claire)).await;
    let french = walk.browser.source().await;
    assert!(
        french.contains("Indicateurs maternels"),
        "Claire reads French: {french}"
    );
    answer(
        &walk,
        &claire,
        &[("M01", "8"), ("I02", "2")],
        "5",
        "Claire's round 1 (French)",
        Some("guide-12-expert-fr"),
    )
    .await;
    walk.browser.window(1280, 900).await;

    walk.round("close", "the close confirmation").await;
    walk.visit(
        &format!("/console/s/{SLUG}/results/1"),
        "round 1's results",
        Some("guide-13-results"),
    )
    .await;

    // Round 1 settled two items: M01 in (everyone 7–9), I02 out (everyone 1–3).
    // 7. Round 2 asks the other two again; one answer keeps them unresolved (else closing the
    //    round would finish the study by itself), close.
    walk.round("open", "the study page after round 1").await;
    walk.browser.window(390, 844).await;
    let ama2 = link_to(&database, "ama@", "invitation:", "/r/");
    assert_ne!(ama2, ama, "round 2 sends a new link");
    answer(
        &walk,
        &ama2,
        &[],
        "5",
        "Ama's round 2 with feedback",
        Some("guide-14-feedback"),
    )
    .await;
    walk.browser.window(1280, 900).await;
    walk.round("close", "the close confirmation").await;

    // 8. Finish with the closing email; the final list; the data package.
    walk.visit(
        &format!("/console/s/{SLUG}/finish"),
        "the finish page",
        Some("guide-15-finish"),
    )
    .await;
    walk.set("#reason", "Two rounds, as the protocol planned").await;
    walk.browser
        .click(&format!("form[action='/console/s/{SLUG}/finish'] button.primary"))
        .await;
    walk.browser.wait_for_url("done=finished-emailed").await;
    walk.visit(
        &format!("/console/s/{SLUG}/final"),
        "the final list",
        Some("guide-16-final"),
    )
    .await;
    let final_list = walk.browser.source().await;
    assert!(
        final_list.contains("1 consensus in, 1 consensus out, 2 no consensus"),
        "{final_list}"
    );
    let results = link_to(&database, "claire@", "study_closed:", "/r/");
    walk.browser.window(390, 844).await;
    walk.visit(
        &format!("{results}/results"),
        "Claire's results page",
        Some("guide-17-expert-results"),
    )
    .await;
    walk.browser.window(1280, 900).await;

    let cookie = walk.browser.cookie("delphi_session").await;
    let package = reqwest::Client::new()
        .get(walk.url(&format!("/console/s/{SLUG}/export/package.zip")))
        .header("Cookie", format!("delphi_session={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(package.status(), 200);
    let files = unzip(&package.bytes().await.unwrap());
    let ratings = files
        .iter()
        .find(|(name, _)| name.ends_with("ratings.csv"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("ratings.csv in the package");
    // Three experts × four items in round 1, one expert × two in round 2, and the header: the
    // test expert's four answers are not there.
    assert_eq!(ratings.lines().count(), 1 + 12 + 2, "{ratings}");
    assert!(!ratings.contains("T001"), "{ratings}");
    let closing: Vec<String> = emails(&database)
        .into_iter()
        .filter(|e| e.idempotency_key.starts_with("study_closed:"))
        .map(|e| e.recipient)
        .collect();
    assert_eq!(
        closing.len(),
        3,
        "the three experts, not the test expert: {closing:?}"
    );
    assert!(files.keys().any(|name| name.ends_with("study.toml")));
}
