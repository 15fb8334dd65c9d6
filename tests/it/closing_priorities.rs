//! The closing email and the experts' results page of a CHNRI study and of a study that ended
//! with a ranking round: the ranked research questions with their scores and thresholds, and
//! the head of the combined ranking, in the expert's language, as `delphi results` computes them.

use std::collections::BTreeMap;

use delphi::db::DbConnection;
use delphi::domain::link::LinkBase;
use delphi::service::closing;

use crate::support::app::{spawn_app_keeping_emails, TestApp, PUBLIC_URL};
use crate::support::cli::Cli;
use crate::support::files::parse_csv;
use crate::support::fixtures::actor;
use crate::support::forms::unescape;
use crate::support::mail::{outbox_emails, token_after};

/// Sends the closing email of the finished study `slug` and returns each recipient's email
/// text, by address.
pub(crate) fn closing_emails_of(conn: &mut DbConnection, slug: &str) -> BTreeMap<String, String> {
    closing::send_later(conn, slug, &LinkBase(PUBLIC_URL.into()), &actor()).unwrap();
    outbox_emails(conn)
        .into_iter()
        .filter(|e| e.kind == "study_closed")
        .map(|e| (e.recipient, e.body_text))
        .collect()
}

/// The results page a closing email links to, by the expert's address, with its link.
pub(crate) async fn results_page(
    app: &TestApp,
    emails: &BTreeMap<String, String>,
    to: &str,
) -> (String, String) {
    let text = emails
        .iter()
        .find(|(recipient, _)| recipient.contains(to))
        .map(|(_, text)| text.clone())
        .unwrap_or_else(|| panic!("no closing email to {to} in {emails:?}"));
    let path = format!("/r/{}/results", token_after(&text, &format!("{PUBLIC_URL}/r/")));
    let response = app.get(&path).await;
    assert_eq!(response.status(), 200, "{path}");
    (path, unescape(&response.text().await.unwrap()))
}

/// One decimal, as the page shows a score (the decimal comma in French).
fn one_decimal(cell: &str, lang: &str) -> String {
    let text = format!("{:.1}", cell.parse::<f64>().unwrap());
    if lang == "fr" {
        text.replace('.', ",")
    } else {
        text
    }
}

/// The example CHNRI study answered, closed (which finishes it) and its closing email sent:
/// its results.csv rows and the emails by address.
pub(crate) fn chnri_study_closed(app: &TestApp) -> (Vec<BTreeMap<String, String>>, BTreeMap<String, String>) {
    let csv = crate::chnri::results_after(&app.database, |cli, file| {
        cli.ok(&["responses", "import", "chnri-lactation", file.to_str().unwrap()]);
    });
    let (_, rows) = parse_csv(&csv);
    let emails = closing_emails_of(&mut app.db.get().unwrap(), "chnri-lactation");
    (rows, emails)
}

/// The ranking study with its ranking round answered and closed (which finishes it) and the
/// closing email sent: ranking.csv's rows and the emails by address.
pub(crate) async fn ranking_study_closed(
    app: &TestApp,
) -> (Vec<BTreeMap<String, String>>, BTreeMap<String, String>) {
    crate::ranking::ranking_round_open(app).await;
    let cli = Cli::new(&app.database).quiet();
    let lists = app.database.dir.path().join("lists.csv");
    std::fs::write(&lists, crate::ranking::lists_file()).unwrap();
    cli.ok(&["responses", "import", "rank-2026", lists.to_str().unwrap()]);
    cli.ok(&["round", "close", "rank-2026"]);
    let (_, rows) = parse_csv(&cli.ok(&["results", "rank-2026", "--round", "2", "--format", "csv"]));
    let emails = closing_emails_of(&mut app.db.get().unwrap(), "rank-2026");
    (rows, emails)
}

#[tokio::test]
async fn a_chnri_study_shows_its_ranked_questions_after_the_study() {
    let app = spawn_app_keeping_emails().await;
    let (rows, emails) = chnri_study_closed(&app);
    assert_eq!(emails.len(), 7);
    let english = emails.iter().find(|(to, _)| to.contains("n.okafor")).unwrap().1;
    assert!(english.contains("round 1 was its last"), "{english}");
    assert!(
        english.contains("The panel's answers rank 6 research questions"),
        "{english}"
    );
    assert!(!english.contains("consensus"), "{english}");

    let (_, page) = results_page(&app, &emails, "n.okafor@example.org").await;
    assert!(page.contains("Research priorities"), "{page}");
    assert!(page.contains("ranked by the weighted score"), "{page}");
    assert!(!page.contains("consensus in (include)"), "no tally: {page}");
    // Every question in the order and with the scores of `delphi results`.
    let mut at = 0;
    for row in &rows {
        let code = format!(r#"<span class="code">{}</span>"#, row["item_code"]);
        let found = page[at..].find(&code).map(|i| i + at);
        let found = found.unwrap_or_else(|| panic!("{code} out of order in {page}"));
        let line = &page[found..found + page[found..].find("</li>").unwrap()];
        if row["rank"].is_empty() {
            assert!(line.contains("Not scored: too few answers"), "{line}");
        } else {
            let figures = format!(
                "Weighted RPS {} · RPS {} · AEA {:.2}",
                one_decimal(&row["wrps"], "en"),
                one_decimal(&row["rps"], "en"),
                row["aea"].parse::<f64>().unwrap(),
            );
            assert!(line.contains(&figures), "{figures} in {line}");
            let rank = format!(r#"<strong class="rank">No. {}</strong> "#, row["rank"]);
            assert!(page[..found].ends_with(&rank), "{rank} before {code}");
            let passed = row["below"].is_empty();
            assert_eq!(line.contains("Passed every threshold"), passed, "{line}");
            if !passed {
                assert!(line.contains("Below the threshold on: "), "{line}");
                // Criteria by their name, not their key.
                assert!(!line.contains(row["below"].split(';').next().unwrap()), "{line}");
            }
        }
        at = found;
    }

    // A French expert reads the same in French, criteria by their French names.
    let (_, french) = results_page(&app, &emails, "s.benali@example.org").await;
    assert!(french.contains("Priorités de recherche"), "{french}");
    let top = &rows[0];
    assert!(
        french.contains(&format!("RPS pondéré {}", one_decimal(&top["wrps"], "fr"))),
        "{french}"
    );
    let below_any = rows.iter().any(|r| r["below"].contains("answerability"));
    assert_eq!(
        french.contains("Faisabilité de la recherche"),
        below_any,
        "{french}"
    );
}

#[tokio::test]
async fn a_study_ended_by_a_ranking_round_shows_the_ranking_after_the_study() {
    let app = spawn_app_keeping_emails().await;
    let (rows, emails) = ranking_study_closed(&app).await;
    let email = emails.iter().find(|(to, _)| to.contains("r1@")).unwrap().1;
    assert!(email.contains("round 2 was its last"), "{email}");
    assert!(
        email.contains(&format!(
            "The panel's final ranking of {} items is ready",
            rows.len()
        )),
        "{email}"
    );

    let (_, page) = results_page(&app, &emails, "p1@example.org").await;
    assert!(page.contains("The final ranking"), "{page}");
    assert!(
        page.contains("Each stakeholder group counted equally, whatever its number of experts."),
        "{page}"
    );
    let chosen: Vec<_> = rows.iter().filter(|r| r["chosen"] != "0").collect();
    assert!(
        page.contains(&format!(
            "from the lists of 6 experts: the top {} of {} items.",
            chosen.len(),
            rows.len()
        )),
        "{page}"
    );
    let mut at = 0;
    for row in &chosen {
        let entry = format!(
            r#"<strong class="rank">No. {}</strong> <span class="code">{}</span>"#,
            row["rank"], row["item_code"]
        );
        let found = page[at..].find(&entry).map(|i| i + at);
        at = found.unwrap_or_else(|| panic!("{entry} out of order in {page}"));
        let experts = if row["chosen"] == "1" { "expert" } else { "experts" };
        let figures = format!(
            "Chosen by {} {experts}, first for {}",
            row["chosen"], row["first"]
        );
        assert!(page[at..].contains(&figures), "{figures}");
    }
    // The rating round's results are still there, below.
    assert!(page.contains("consensus in (include)"), "{page}");
    assert!(page[at..].contains("Median 8.0"), "{page}");
}
