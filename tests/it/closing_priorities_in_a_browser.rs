//! The experts' results page after a CHNRI study and after a ranking round, in a real browser
//! at a phone's 390 px and a laptop's 1280 px: it fits the screen, passes axe-core, and its
//! pictures go to docs/screenshots (`DELPHI_SCREENSHOTS`).

use crate::closing_priorities::{chnri_study_closed, ranking_study_closed, results_page};
use crate::ranking_in_a_browser::fits;
use crate::support::app::spawn_app_keeping_emails;
use crate::support::browser::Browser;

const SIZES: [(u32, u32); 2] = [(390, 844), (1280, 900)];

#[tokio::test]
async fn results_pages_of_a_chnri_and_a_ranking_study_in_a_browser() {
    let chnri = spawn_app_keeping_emails().await;
    let (_, chnri_emails) = chnri_study_closed(&chnri);
    let (chnri_path, _) = results_page(&chnri, &chnri_emails, "n.okafor@example.org").await;
    let (french_path, _) = results_page(&chnri, &chnri_emails, "s.benali@example.org").await;
    let ranking = spawn_app_keeping_emails().await;
    let (_, ranking_emails) = ranking_study_closed(&ranking).await;
    let (ranking_path, _) = results_page(&ranking, &ranking_emails, "p1@example.org").await;

    let browser = Browser::start(true).await;
    for (width, height) in SIZES {
        browser.viewport(width, height).await;
        for (name, url, text) in [
            ("results-chnri-en", chnri.url(&chnri_path), "Research priorities"),
            (
                "results-chnri-fr",
                chnri.url(&french_path),
                "Priorités de recherche",
            ),
            (
                "results-ranking-en",
                ranking.url(&ranking_path),
                "The final ranking",
            ),
        ] {
            browser.goto(&url).await;
            browser.wait_for_text(text).await;
            let page = format!("{name} at {width} px");
            fits(&browser, &page).await;
            browser.assert_accessible(&page).await;
            browser.picture(&format!("{name}-{width}"), "main").await;
        }
    }
}
