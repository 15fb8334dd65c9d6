//! A ranking round after round 1, clicked through in a browser: the facilitator opens it from
//! the study page; five experts rank on a phone with JavaScript (Add buttons, Move up, and the
//! drag handle with a mouse and with a finger) and one without it (the position selects: a
//! repeated position refused with a clear error and nothing saved, then a good list); the round
//! closed on its confirmation page; the console's ranking table and ranking.csv of the data
//! package checked against the naive `equal_groups` recomputation of tests/it/ranking.rs, from
//! the lists the experts were given and from the package's own rankings.csv.
//! Round 1 itself is set up with the use cases (the rating flow is clicked in
//! criteria_study_in_a_browser.rs).

use std::collections::BTreeMap;

use serde_json::json;

use crate::ranking::{naive_ranking, rows_of, saved_list, study_after_round_one, HEADER, LISTS};
use crate::ranking_in_a_browser::saved_becomes;
use crate::support::browser::Browser;
use crate::support::files::parse_csv;
use crate::support::flows::{assert_fits, invitation_link, package_file, round, signed_in, FACILITATOR};
use crate::support::sign_in::grant;

const SLUG: &str = "rank-2026";

/// An expert's group and their (position, item code) pairs, as rankings.csv lists them.
type Placed = (String, Vec<(u32, String)>);

/// The codes of the script's list, in order.
const ORDER: &str = "return [...document.querySelectorAll('.rk-list li')].map(li => li.dataset.code)";

/// Presses the button `action` of item `code` in the script's list.
async fn press(browser: &Browser, code: &str, action: &str) {
    browser
        .click(&format!(
            ".rk-js li[data-code=\"{code}\"] button[data-action=\"{action}\"]"
        ))
        .await;
}

/// Drags item `code` by its handle to just above item `above`.
async fn drag_above(browser: &Browser, code: &str, above: &str, pointer: &str) {
    let dy = browser
        .script(
            "const top = c => document.querySelector(`.rk-list li[data-code=\"${c}\"]`).getBoundingClientRect().top; \
             return Math.round(top(arguments[1]) - top(arguments[0])) - 6;",
            json!([code, above]),
        )
        .await;
    browser
        .drag(
            &format!(".rk-list li[data-code=\"{code}\"] .rk-grip"),
            dy.as_i64().unwrap(),
            pointer,
        )
        .await;
}

/// Waits until what is saved for `email` is `list`, first choice first.
async fn saved_is(app: &crate::support::app::TestApp, email: &str, list: &[&str]) {
    let positions: Vec<(&str, i32)> = list.iter().zip(1..).map(|(c, p)| (*c, p)).collect();
    saved_becomes(app, email, &positions).await;
}

#[tokio::test]
async fn a_ranking_round_after_round_1_runs_in_a_browser() {
    let (app, browser) = signed_in().await;
    study_after_round_one(&app, false).await;
    grant(&app.db, SLUG, FACILITATOR, delphi::domain::role::Role::Owner);

    // 1. The ranking round opens from the study page.
    round(&browser, &app, SLUG, "ranking").await;
    let page = browser.source().await;
    assert!(
        page.contains("(ranking)"),
        "the study page shows the ranking round"
    );

    // 2. Experts with JavaScript, on a phone: the list built with the Add buttons, then
    //    reordered by the buttons, a mouse drag and a finger drag.
    browser.viewport(390, 844).await;
    for (email, adds, steps) in [
        ("r1@", vec!["A", "B", "C"], vec![]),
        ("r2@", vec!["C", "A"], vec![("touch", "A", "C")]),
        ("r3@", vec!["A", "B", "D"], vec![("mouse", "B", "A")]),
        ("r4@", vec!["A"], vec![]),
        (
            "p1@",
            vec!["B", "C", "D"],
            vec![("mouse", "D", "B"), ("up", "C", "")],
        ),
    ] {
        let full = format!("{email}example.org");
        browser.goto(&app.url(&invitation_link(&app, email))).await;
        browser.wait_for_text("rk-list").await;
        for code in &adds {
            press(&browser, code, "add").await;
        }
        saved_is(&app, &full, &adds).await;
        // Every announcement of the live region, which "Saved" replaces a moment later.
        browser
            .script(
                "const live = document.getElementById('rk-status'); window.said = []; \
                 new MutationObserver(() => window.said.push(live.textContent)) \
                   .observe(live, { childList: true, characterData: true, subtree: true });",
                json!([]),
            )
            .await;
        for (how, code, above) in steps {
            if how == "up" {
                press(&browser, code, "up").await;
            } else {
                drag_above(&browser, code, above, how).await;
            }
        }
        let wanted: Vec<&str> = LISTS.iter().find(|(e, _)| *e == full).unwrap().1.to_vec();
        assert_eq!(browser.script(ORDER, json!([])).await, json!(wanted), "{email}");
        saved_is(&app, &full, &wanted).await;
        if email == "p1@" {
            let said = browser.script("return window.said", json!([])).await;
            for move_ in [
                "Moved Delta to position 1 of 3.",
                "Moved Gamma to position 2 of 3.",
            ] {
                assert!(
                    said.as_array()
                        .unwrap()
                        .iter()
                        .any(|s| s.as_str().unwrap_or_default().starts_with(move_)),
                    "{move_:?} announced: {said}"
                );
            }
            assert_fits(&browser, "the ranking page at 390 px").await;
            browser.assert_accessible("the ranking page after a drag").await;
            browser.picture("ranking-drag-en-390", "main").await;
            browser.viewport(1280, 900).await;
            browser.picture("ranking-drag-en-1280", "main").await;
        }
    }

    // 3. One expert without JavaScript: two items at position 1 are refused, nothing saved.
    let plain = Browser::start(false).await;
    plain.viewport(390, 844).await;
    plain.goto(&app.url(&invitation_link(&app, "p2@"))).await;
    plain.wait_for_text("id=\"p-C\"").await;
    let choose = "const s = document.getElementById(arguments[0]); s.value = arguments[1];";
    plain.script(choose, json!(["p-C", "1"])).await;
    plain.script(choose, json!(["p-D", "1"])).await;
    plain.click("#ranking button.primary").await;
    let refused = plain.wait_for_text("There is a problem").await;
    assert!(
        refused.contains("Position 1 is given to more than one item: “Gamma”, “Delta”"),
        "the repeated position named: {refused}"
    );
    assert!(saved_list(&app, "p2@example.org").is_empty(), "nothing saved");
    assert_fits(&plain, "the refused ranking at 390 px").await;
    // (axe-core cannot run where scripts are off.)
    plain.picture("ranking-refused-en-390", "#errors").await;
    plain.script(choose, json!(["p-D", "2"])).await;
    plain.click("#ranking button.primary").await;
    plain.wait_for_text("Your ranking is saved").await;
    drop(plain);
    saved_is(&app, "p2@example.org", &["C", "D"]).await;

    // 4. The round closes on its confirmation page; the console's table and ranking.csv are
    //    the naive recomputation, each group's tallies counted equally.
    browser.viewport(1280, 900).await;
    round(&browser, &app, SLUG, "close").await;
    let group_of = |email: &str| {
        if email.starts_with('r') {
            "researcher"
        } else {
            "policy"
        }
    };
    let lists: Vec<(String, Vec<String>)> = LISTS
        .iter()
        .map(|(e, l)| (group_of(e).to_owned(), l.iter().map(|c| c.to_string()).collect()))
        .collect();
    let items = [("A", "Alpha"), ("B", "=Beta"), ("C", "Gamma"), ("D", "Delta")];
    let expected = naive_ranking(2, &items, &["researcher", "policy"], &lists);

    browser
        .goto(&app.url(&format!("/console/s/{SLUG}/results/2")))
        .await;
    browser.wait_for_text("rankchart").await;
    let table = browser
        .script(
            "return [...document.querySelectorAll('table.results tbody tr')].map(tr => \
               [...tr.querySelectorAll('td, th code')].map(c => c.textContent.trim()))",
            json!([]),
        )
        .await;
    let table = table.as_array().unwrap();
    assert_eq!(table.len(), expected.len(), "{table:?}");
    for (row, want) in table.iter().zip(&expected) {
        // Cells: rank, code, score, points, chosen, first, rank per group.
        let cell = |i: usize| row[i].as_str().unwrap().to_owned();
        let what = format!("{table:?} against {want:?}");
        assert_eq!(cell(0), want[14], "rank: {what}");
        assert_eq!(cell(1), want[1], "code: {what}");
        let score: f64 = cell(2).parse().unwrap();
        assert!(
            (score - want[13].parse::<f64>().unwrap()).abs() < 0.0005,
            "score: {what}"
        );
        assert_eq!(cell(3), want[6], "points: {what}");
        assert_eq!(cell(4), want[4], "chosen: {what}");
        assert_eq!(cell(5), want[5], "first: {what}");
        assert_eq!(cell(6), want[9], "researchers' rank: {what}");
        assert_eq!(cell(7), want[12], "policy makers' rank: {what}");
    }
    let order: Vec<&str> = table.iter().map(|r| r[1].as_str().unwrap()).collect();
    assert_eq!(order, ["C", "A", "D", "B"]);
    let csv = package_file(&browser, &app, SLUG, "ranking.csv").await;
    let (header, rows) = rows_of(&csv);
    assert_eq!(header.join(","), HEADER);
    assert_eq!(rows, expected, "{csv}");
    // The package recomputes from its own lists: rankings.csv, one row per chosen item.
    let (_, placed) = parse_csv(&package_file(&browser, &app, SLUG, "rankings.csv").await);
    let mut by_expert: BTreeMap<&str, Placed> = BTreeMap::new();
    for row in &placed {
        let (group, list) = by_expert
            .entry(row["expert"].as_str())
            .or_insert_with(|| (row["group"].clone(), Vec::new()));
        assert_eq!(*group, row["group"], "{row:?}");
        list.push((row["position"].parse().unwrap(), row["item_code"].clone()));
    }
    let from_package: Vec<(String, Vec<String>)> = by_expert
        .into_values()
        .map(|(group, mut list)| {
            list.sort();
            (group, list.into_iter().map(|(_, code)| code).collect())
        })
        .collect();
    assert_eq!(from_package.len(), LISTS.len(), "{placed:?}");
    assert_eq!(
        naive_ranking(2, &items, &["researcher", "policy"], &from_package),
        rows,
        "ranking.csv from rankings.csv"
    );
}
