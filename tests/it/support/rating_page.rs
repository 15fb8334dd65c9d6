//! An expert's rating page as the tests read it over HTTP: its item codes in page order, one
//! item's fieldset, an autosaved answer, an item's feedback fragment; and the pages a drawn
//! round should show, redrawn from the seed with the domain functions alone.

use std::collections::{BTreeMap, HashMap};

use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::items::Item;
use delphi::db::models::rounds::Round;
use delphi::db::models::studies::{Group, Section};
use delphi::db::DbConnection;
use delphi::domain::allocation::{allocate, Rater};
use delphi::domain::order::{page_order, positions, ItemOrder, SectionItems};
use delphi::service::studies;

use crate::support::app::TestApp;
use crate::support::forms::unescape;

/// The item codes of an expert's page, in the order the page shows them.
pub async fn page_codes(app: &TestApp, token: &str) -> Vec<String> {
    let html = unescape(&app.text(&format!("/r/{token}")).await);
    html.split("<fieldset id=i-")
        .skip(1)
        .filter_map(|rest| rest.split(' ').next())
        .map(str::to_owned)
        .collect()
}

/// The expert's "Submit" as their page's form posts it (no fields); an error only when the
/// server could not be reached.
pub async fn submit(app: &TestApp, token: &str) -> reqwest::Result<reqwest::Response> {
    app.client
        .post(app.url(&format!("/r/{token}/submit")))
        .send()
        .await
}

/// Every expert's page of round `number` of `slug`, by pseudonym, drawn here from `seed` with
/// the domain functions alone: the round's items by section in the study's order, allocated
/// `per_expert` an expert over the invited panel's pseudonyms and groups, then ordered per
/// expert.
pub fn expected_pages(
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
    seed: u64,
    per_expert: u32,
) -> BTreeMap<String, Vec<String>> {
    let study = studies::load(conn, slug).unwrap();
    let round = Round::by_number(conn, study.id, number).unwrap().unwrap();
    let items: HashMap<i64, Item> = Item::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let asked: Vec<&Item> = Round::items(conn, round.id)
        .unwrap()
        .iter()
        .map(|ri| &items[&ri.item_id])
        .collect();
    let sections: Vec<SectionItems<String>> = Section::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .map(|s| SectionItems {
            items: asked
                .iter()
                .filter(|i| i.section_id == s.id)
                .map(|i| i.code.clone())
                .collect(),
            section: s.key,
        })
        .filter(|s| !s.items.is_empty())
        .collect();
    let all: Vec<String> = sections.iter().flat_map(|s| s.items.clone()).collect();
    let groups: HashMap<i64, String> = Group::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .map(|g| (g.id, g.key))
        .collect();
    let invited: Vec<i64> = Invitation::of_round(conn, round.id)
        .unwrap()
        .into_iter()
        .map(|i| i.expert_id)
        .collect();
    let raters: Vec<Rater> = Expert::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .filter(|e| invited.contains(&e.id))
        .map(|e| Rater {
            pseudonym: e.pseudonym,
            group: groups[&e.group_id].clone(),
        })
        .collect();
    let subsets = allocate(seed, number as u32, &raters, &all, per_expert);
    subsets
        .into_iter()
        .map(|(pseudonym, mine)| {
            let kept: Vec<SectionItems<String>> = sections
                .iter()
                .map(|s| SectionItems {
                    section: s.section.clone(),
                    items: s.items.iter().filter(|c| mine.contains(c)).cloned().collect(),
                })
                .filter(|s| !s.items.is_empty())
                .collect();
            let page = page_order(ItemOrder::Random, false, seed, number as u32, &pseudonym, &kept);
            let codes = positions(&page).into_iter().map(|(code, _)| code).collect();
            (pseudonym, codes)
        })
        .collect()
}

/// The fieldset of `code` on a form page.
pub fn item_of<'a>(html: &'a str, code: &str) -> &'a str {
    let start = html
        .find(&format!("<fieldset id=i-{code} "))
        .unwrap_or_else(|| panic!("no fieldset for {code}"));
    let end = html[start..].find("</fieldset>").unwrap() + start;
    &html[start..end]
}

/// Autosaves one score as the page's script does; the answers counted after it.
pub async fn autosave(app: &TestApp, token: &str, item: &str, score: &str) -> u64 {
    let response = app
        .client
        .post(app.url(&format!("/r/{token}/answer")))
        .header("accept", "application/json")
        .form(&[("item", item), ("score", score), ("comment", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "autosave of {item}");
    let json: serde_json::Value = response.json().await.unwrap();
    json["progress"]["answered"].as_u64().unwrap()
}

/// The feedback fragment of `field` (`CODE`, or `CODE&criterion=KEY`).
pub async fn fragment(app: &TestApp, token: &str, field: &str) -> (u16, String) {
    let response = app.get(&format!("/r/{token}/feedback?item={field}")).await;
    (response.status().as_u16(), response.text().await.unwrap())
}
