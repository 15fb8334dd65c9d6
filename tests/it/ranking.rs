//! A ranking round from the command line only: a rating study's round 1 opened, answered and
//! closed; `round open --ranking`; the lists imported; closed; ranking.csv, `delphi results
//! --round 2 --format csv` and the data package's files checked against a naive recomputation
//! with exact fractions written here, independently of `domain::ranking`. And the refusals.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::files::parse_csv;
use crate::support::frac::Frac;

const STUDY: &str = r#"
slug = "rank-2026"
title = "Ranking after consensus"
timezone = "UTC"

[scale]
min = 1
max = 9

[consensus]
preset = "comet"

[rounds]
max = 3

[ranking]
choose = 3
combine = "equal_groups"
sections = ["core"]

[[group]]
key = "researcher"
name = "Researchers"

[[group]]
key = "policy"
name = "Policy makers"

[[section]]
key = "core"
title = "Core"

[[section]]
key = "extra"
title = "Extra"

[[item]]
code = "A"
section = "core"
text = "Alpha"

[[item]]
code = "B"
section = "core"
text = "=Beta"

[[item]]
code = "C"
section = "core"
text = "Gamma"

[[item]]
code = "D"
section = "core"
text = "Delta"

[[item]]
code = "E"
section = "core"
text = "Epsilon (out)"

[[item]]
code = "X"
section = "extra"
text = "Outside the ranked sections"
"#;

/// Four researchers, two policy makers: equal_groups must weigh both groups the same.
const PANEL: [(&str, &str); 6] = [
    ("r1@example.org", "researcher"),
    ("r2@example.org", "researcher"),
    ("r3@example.org", "researcher"),
    ("r4@example.org", "researcher"),
    ("p1@example.org", "policy"),
    ("p2@example.org", "policy"),
];

/// The lists, first choice first.
pub(crate) const LISTS: [(&str, &[&str]); 6] = [
    ("r1@example.org", &["A", "B", "C"]),
    ("r2@example.org", &["A", "C"]),
    ("r3@example.org", &["B", "A", "D"]),
    ("r4@example.org", &["A"]),
    ("p1@example.org", &["D", "C", "B"]),
    ("p2@example.org", &["C", "D"]),
];

const CHOOSE: u64 = 3;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// ranking.csv recomputed from (group, list) pairs over `items`, by the contract's words.
pub(crate) fn naive_ranking(
    round: u32,
    items: &[(&str, &str)],
    groups: &[&str],
    lists: &[(String, Vec<String>)],
) -> Vec<Vec<String>> {
    // T[g][i]
    let mut t: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut chosen: BTreeMap<&str, u64> = BTreeMap::new();
    let mut first: BTreeMap<&str, u64> = BTreeMap::new();
    for (group, list) in lists {
        for (p, code) in list.iter().enumerate() {
            let (g, i) = (
                *groups.iter().find(|g| *g == group).unwrap(),
                items.iter().find(|(c, _)| c == code).unwrap().0,
            );
            *t.entry((g, i)).or_default() += CHOOSE - p as u64;
            *chosen.entry(i).or_default() += 1;
            if p == 0 {
                *first.entry(i).or_default() += 1;
            }
        }
    }
    let tt = |g: &str, i: &str| t.get(&(g, i)).copied().unwrap_or(0);
    let p_of = |g: &str| items.iter().map(|(i, _)| tt(g, i)).sum::<u64>();
    let score = |i: &str| {
        groups.iter().filter(|g| p_of(g) > 0).fold(Frac(0, 1), |s, g| {
            s.add(Frac::new(tt(g, i) as i128, p_of(g) as i128))
        })
    };
    let rank = |i: &str| 1 + items.iter().filter(|(j, _)| score(i).lt(score(j))).count();
    let group_rank = |g: &str, i: &str| 1 + items.iter().filter(|(j, _)| tt(g, j) > tt(g, i)).count();
    let mut rows: Vec<(usize, &str, Vec<String>)> = items
        .iter()
        .map(|(i, text)| {
            let mut row = vec![
                round.to_string(),
                i.to_string(),
                "core".into(),
                text.replace("=Beta", "'=Beta"),
                chosen.get(i).copied().unwrap_or(0).to_string(),
                first.get(i).copied().unwrap_or(0).to_string(),
                groups.iter().map(|g| tt(g, i)).sum::<u64>().to_string(),
            ];
            for g in groups {
                row.push(tt(g, i).to_string());
                if p_of(g) == 0 {
                    row.extend([String::new(), String::new()]);
                } else {
                    row.push(Frac::new(tt(g, i) as i128, p_of(g) as i128).cell());
                    row.push(group_rank(g, i).to_string());
                }
            }
            row.push(score(i).cell());
            row.push(rank(i).to_string());
            (rank(i), *i, row)
        })
        .collect();
    rows.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    rows.into_iter().map(|(_, _, row)| row).collect()
}

pub(crate) fn rows_of(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

pub(crate) const HEADER: &str = "round,item_code,section,item_text,chosen,first,points,points_researcher,share_researcher,rank_researcher,points_policy,share_policy,rank_policy,score,rank";

#[test]
fn a_ranking_round_after_round_1_from_the_command_line() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let dir = database.dir.path();
    let study = write(dir, "study.toml", STUDY);
    assert_eq!(cli.ok(&["study", "create", &study]).trim(), "rank-2026");
    let panel: String = std::iter::once("email,name,group\n".to_owned())
        .chain(PANEL.iter().map(|(e, g)| format!("{e},{e},{g}\n")))
        .collect();
    cli.ok(&["panel", "import", "rank-2026", &write(dir, "panel.csv", &panel)]);

    // Before any rating round closed, --ranking is refused in one line.
    let refusal = cli.refused(&["round", "open", "rank-2026", "--ranking"]);
    assert!(
        refusal.contains("no rating round of `rank-2026` has closed yet"),
        "{refusal}"
    );

    // Round 1: A–D and X in consensus (everyone 8), E out (everyone 2).
    cli.ok(&["round", "open", "rank-2026"]);
    let mut responses = String::from("expert,item,score\n");
    for (email, _) in PANEL {
        for code in ["A", "B", "C", "D", "X"] {
            responses.push_str(&format!("{email},{code},8\n"));
        }
        responses.push_str(&format!("{email},E,2\n"));
    }
    cli.ok(&[
        "responses",
        "import",
        "rank-2026",
        &write(dir, "r1.csv", &responses),
    ]);
    cli.ok(&["round", "close", "rank-2026"]);

    // The ranking round offers A–D: in consensus, in `ranking.sections`.
    let opened = cli.ok(&["round", "open", "rank-2026", "--ranking"]);
    assert!(
        opened.contains("ranking round 2 of `rank-2026` is open: 4 items to rank, 6 experts invited"),
        "{opened}"
    );
    let refusal = cli.refused(&["round", "open", "rank-2026", "--ranking"]);
    assert!(refusal.contains("still open"), "{refusal}");
    // The invitations say what a ranking round asks.
    let outbox = cli.ok(&["outbox"]);
    assert!(outbox.contains("asks you to rank the priorities"), "{outbox}");

    // Bad lists: nothing saved, one line naming the line and column.
    let repeated = write(
        dir,
        "bad1.csv",
        "expert,item,position\nr1@example.org,A,1\nr1@example.org,B,1\n",
    );
    let refusal = cli.refused(&["responses", "import", "rank-2026", &repeated]);
    assert!(
        refusal.contains("line 3, field `position`") && refusal.contains("position 1"),
        "{refusal}"
    );
    let too_many = write(
        dir,
        "bad2.csv",
        "expert,item,position\nr1@example.org,A,1\nr1@example.org,B,2\nr1@example.org,C,3\nr1@example.org,D,4\n",
    );
    let refusal = cli.refused(&["responses", "import", "rank-2026", &too_many]);
    assert!(
        refusal.contains("line 5, field `position`") && refusal.contains("`ranking.choose` (3)"),
        "{refusal}"
    );
    let outside = write(dir, "bad3.csv", "expert,item,position\nr1@example.org,E,1\n");
    let refusal = cli.refused(&["responses", "import", "rank-2026", &outside]);
    assert!(
        refusal.contains("line 2, field `item`") && refusal.contains("`E`"),
        "{refusal}"
    );

    // The lists, imported twice (a re-import replaces).
    let mut file = String::from("expert,item,position\n");
    for (email, list) in LISTS {
        for (p, code) in list.iter().enumerate() {
            file.push_str(&format!("{email},{code},{}\n", p + 1));
        }
    }
    let lists_path = write(dir, "rankings.csv", &file);
    cli.ok(&["responses", "import", "rank-2026", &lists_path]);
    let imported = cli.ok(&["responses", "import", "rank-2026", &lists_path]);
    assert!(
        imported.contains("14 placed items saved, from 6 experts"),
        "{imported}"
    );
    let closed = cli.ok(&["round", "close", "rank-2026"]);
    assert!(
        closed.contains("ranking round 2 of `rank-2026` is closed: 4 items ranked"),
        "{closed}"
    );
    let refusal = cli.refused(&["round", "open", "rank-2026", "--ranking"]);
    assert!(refusal.contains("already had its ranking round"), "{refusal}");

    let items = [("A", "Alpha"), ("B", "=Beta"), ("C", "Gamma"), ("D", "Delta")];
    let groups = ["researcher", "policy"];
    let group_of = |email: &str| PANEL.iter().find(|(e, _)| *e == email).unwrap().1.to_owned();
    let lists: Vec<(String, Vec<String>)> = LISTS
        .iter()
        .map(|(e, l)| (group_of(e), l.iter().map(|c| c.to_string()).collect()))
        .collect();
    let expected = naive_ranking(2, &items, &groups, &lists);

    let csv = cli.ok(&["results", "rank-2026", "--round", "2", "--format", "csv"]);
    let (header, rows) = rows_of(&csv);
    assert_eq!(header.join(","), HEADER);
    assert_eq!(rows, expected, "{csv}");
    // By hand: researchers T = A 11, B 5, C 3, D 1 (P 20); policy T = A 0, B 1, C 5, D 5 (P 11).
    // Scores: A 11/20, B 5/20 + 1/11, C 3/20 + 5/11 = 133/220, D 1/20 + 5/11: C, A, D, B.
    let order: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(order, ["C", "A", "D", "B"]);
    assert_eq!(rows[0][13], (133.0f64 / 220.0).to_string());
    let table = cli.ok(&["results", "rank-2026", "--round", "2"]);
    assert!(table.contains("equal groups"), "{table}");
    let json = cli.ok(&["results", "rank-2026", "--round", "2", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["lines"][0]["item_code"], "C");
    // The rating results leave the ranking round out.
    let ratings = cli.ok(&["results", "rank-2026", "--format", "csv"]);
    assert!(!ratings.lines().any(|l| l.starts_with("2,")), "{ratings}");

    // The CSV export and the data package: ranking.csv as above, and rankings.csv from which
    // it recomputes.
    let out = dir.join("export");
    cli.export_csv("rank-2026", &out);
    let exported = std::fs::read_to_string(out.join("ranking.csv")).unwrap();
    assert_eq!(exported, csv);
    let (answers_header, answers) = parse_csv(&std::fs::read_to_string(out.join("rankings.csv")).unwrap());
    assert_eq!(answers_header.join(","), "round,expert,group,item_code,position");
    assert_eq!(answers.len(), 14);
    let mut from_package: BTreeMap<String, (String, Vec<(u32, String)>)> = BTreeMap::new();
    for row in &answers {
        let entry = from_package
            .entry(row["expert"].clone())
            .or_insert_with(|| (row["group"].clone(), Vec::new()));
        entry
            .1
            .push((row["position"].parse().unwrap(), row["item_code"].clone()));
    }
    let package_lists: Vec<(String, Vec<String>)> = from_package
        .into_values()
        .map(|(group, mut list)| {
            list.sort();
            (group, list.into_iter().map(|(_, code)| code).collect())
        })
        .collect();
    assert_eq!(naive_ranking(2, &items, &groups, &package_lists), expected);
    let codebook_zip = dir.join("package.zip");
    cli.export("rank-2026", "zip", &codebook_zip);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&codebook_zip).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    assert!(names.iter().any(|n| n.ends_with("ranking.csv")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("rankings.csv")), "{names:?}");
    let codebook_name = names.iter().find(|n| n.ends_with("codebook.md")).unwrap().clone();
    let mut codebook = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(&codebook_name).unwrap(), &mut codebook).unwrap();
    assert!(
        codebook.contains("## ranking.csv") && codebook.contains("share_policy"),
        "{codebook}"
    );
    // The report says the ranking is the result and shows it before the rating rounds' list.
    let report = report_of(&cli, dir);
    assert!(report.contains("round 2, was a ranking round"), "{report}");
    let ranking = report.find("<h2>Ranking, round 2</h2>").unwrap();
    assert!(ranking < report.find("<h2>Final consensus list</h2>").unwrap());
}

#[test]
fn a_study_without_ranking_refuses_the_ranking_round() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let dir = database.dir.path();
    let plain = STUDY.replace(
        "[ranking]\nchoose = 3\ncombine = \"equal_groups\"\nsections = [\"core\"]\n",
        "",
    );
    cli.ok(&["study", "create", &write(dir, "study.toml", &plain)]);
    let refusal = cli.refused(&["round", "open", "rank-2026", "--ranking"]);
    assert!(refusal.contains("no [ranking] table"), "{refusal}");
    let wrong = STUDY
        .replace("sections = [\"core\"]", "sections = [\"core\", \"nowhere\"]")
        .replace("rank-2026", "rank-2027");
    let refusal = cli.refused(&["study", "create", &write(dir, "wrong.toml", &wrong)]);
    assert!(refusal.contains("ranking.sections[2]"), "{refusal}");
}

/// The study of this file with its panel, round 1 answered (A–D and X in, E out) and closed, and
/// the ranking round open; the links of the ranking round by expert email.
pub(crate) async fn ranking_round_open(app: &crate::support::app::TestApp) -> BTreeMap<String, String> {
    study_after_round_one(app, true).await
}

/// The study with round 1 closed; with `open_ranking`, the ranking round opened too and its
/// links by expert email.
pub(crate) async fn study_after_round_one(
    app: &crate::support::app::TestApp,
    open_ranking: bool,
) -> BTreeMap<String, String> {
    use delphi::db::models::experts::Expert;
    use delphi::db::models::invitations::Invitation;
    use delphi::db::models::rounds::Round;
    use delphi::domain::link::LinkBase;
    use delphi::service::{files, rounds, studies};

    use crate::support::fixtures::{actor, create_study_from};
    use crate::support::rounds::{links_of_round, record_score};

    let dir = app.database.dir.path();
    let study = write(dir, "study.toml", STUDY);
    create_study_from(&app.db, Path::new(&study), None);
    let panel: String = std::iter::once("email,name,group\n".to_owned())
        .chain(PANEL.iter().map(|(e, g)| format!("{e},{e},{g}\n")))
        .collect();
    let panel_path = write(dir, "panel.csv", &panel);
    let mut conn = app.db.get().unwrap();
    let rows = files::read_panel(Path::new(&panel_path)).unwrap();
    studies::import_panel(&mut conn, "rank-2026", "panel.csv", &rows, &actor()).unwrap();
    let links = LinkBase(app.address.clone());
    rounds::open(&mut conn, "rank-2026", None, &links, &actor()).unwrap();
    let loaded = studies::load(&mut conn, "rank-2026").unwrap();
    let round = Round::open_of_study(&mut conn, loaded.id).unwrap().unwrap();
    for invitation in Invitation::of_round(&mut conn, round.id).unwrap() {
        for code in ["A", "B", "C", "D", "X"] {
            record_score(&mut conn, invitation.id, code, 8);
        }
        record_score(&mut conn, invitation.id, "E", 2);
    }
    rounds::close(&mut conn, "rank-2026", "facilitator", &actor()).unwrap();
    if !open_ranking {
        return BTreeMap::new();
    }
    rounds::open_as(
        &mut conn,
        "rank-2026",
        rounds::Opening::Ranking,
        None,
        &links,
        &actor(),
    )
    .unwrap();
    let experts: BTreeMap<i64, String> = Expert::of_study(&mut conn, loaded.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.email.unwrap_or_default()))
        .collect();
    links_of_round(&app.database, &mut conn, "rank-2026", 2)
        .into_iter()
        .map(|(id, token)| (experts[&id].clone(), token))
        .collect()
}

pub(crate) fn saved_list(app: &crate::support::app::TestApp, email: &str) -> Vec<(String, i32)> {
    use delphi::db::models::experts::Expert;
    use delphi::db::models::items::Item;
    use delphi::db::models::rankings::Ranking;
    use delphi::db::models::rounds::Round;
    use delphi::service::studies;

    let mut conn = app.db.get().unwrap();
    let study = studies::load(&mut conn, "rank-2026").unwrap();
    let round = Round::by_number(&mut conn, study.id, 2).unwrap().unwrap();
    let expert = Expert::of_study(&mut conn, study.id)
        .unwrap()
        .into_iter()
        .find(|e| e.email.as_deref() == Some(email))
        .unwrap();
    let codes: BTreeMap<i64, String> = Item::of_study(&mut conn, study.id)
        .unwrap()
        .into_iter()
        .map(|i| (i.id, i.code))
        .collect();
    Ranking::of_expert(&mut conn, round.id, expert.id)
        .unwrap()
        .into_iter()
        .map(|r| (codes[&r.item_id].clone(), r.position))
        .collect()
}

#[tokio::test]
async fn the_expert_ranks_without_javascript_and_a_refused_list_loses_nothing() {
    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::forms::post_form;

    let app = spawn_app_keeping_emails().await;
    let links = ranking_round_open(&app).await;
    let token = &links["r1@example.org"];
    let page = format!("/r/{token}");

    let response = app.get(&page).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Round 2: ranking"), "{html}");
    assert!(html.contains("Choose up to 3 items"), "{html}");
    for code in ["A", "B", "C", "D"] {
        assert!(html.contains(&format!("name=\"p_{code}\"")), "{code}");
    }
    assert!(
        !html.contains("name=\"p_E\"") && !html.contains("name=\"p_X\""),
        "only in-consensus items of the ranked sections"
    );
    assert!(
        html.contains("<option value=\"\" selected>Not chosen</option>"),
        "{html}"
    );
    assert!(html.contains("<option value=\"3\">Position 3</option>") && !html.contains("value=\"4\""));
    assert!(html.contains("/static/js/ranking.js"));

    // Two items at position 1: refused, nothing saved, both named, every choice kept.
    let response = post_form(
        &app,
        &page,
        &[("p_A", "1"), ("p_B", "1"), ("p_C", "3"), ("p_D", "")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("class=\"errsum\"") && html.contains("There is a problem"),
        "{html}"
    );
    assert!(
        html.contains("Position 1 is given to more than one item"),
        "{html}"
    );
    assert!(html.contains("Alpha") && html.contains("href=\"#p-A\""), "{html}");
    assert!(
        html.contains("id=\"e-A\"") && html.contains("id=\"e-B\""),
        "{html}"
    );
    assert!(html.contains("No item is at position 2"), "{html}");
    assert_eq!(html.matches("<option value=\"1\" selected>").count(), 2, "{html}");
    assert_eq!(html.matches("<option value=\"3\" selected>").count(), 1, "{html}");
    assert!(saved_list(&app, "r1@example.org").is_empty());

    // A position above `choose`, typed by hand: refused too.
    let response = post_form(&app, &page, &[("p_A", "4")]).await;
    assert_eq!(response.status(), 422);
    assert!(saved_list(&app, "r1@example.org").is_empty());

    // A valid list: saved, and shown again as saved.
    let response = post_form(
        &app,
        &page,
        &[("p_A", "2"), ("p_B", ""), ("p_C", "1"), ("p_D", "")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/r/{token}?saved=1"));
    assert_eq!(
        saved_list(&app, "r1@example.org"),
        [("C".to_owned(), 1), ("A".to_owned(), 2)]
    );
    let html = app.text(&format!("{page}?saved=1")).await;
    assert!(html.contains("Your ranking is saved"), "{html}");
    assert!(html.contains("<option value=\"2\" selected>"), "{html}");

    // The script's save as it goes: the same fields, JSON back.
    let response = post_form(
        &app,
        &format!("{page}/ranking"),
        &[("p_D", "1"), ("p_A", "2"), ("p_B", "3")],
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["chosen"], 3);
    assert_eq!(
        saved_list(&app, "r1@example.org"),
        [("D".to_owned(), 1), ("A".to_owned(), 2), ("B".to_owned(), 3)]
    );
    let response = post_form(&app, &format!("{page}/ranking"), &[("p_D", "1"), ("p_A", "1")]).await;
    assert_eq!(response.status(), 422);
    assert_eq!(saved_list(&app, "r1@example.org").len(), 3);

    // In Arabic the page runs right to left.
    {
        let mut conn = app.db.get().unwrap();
        diesel::RunQueryDsl::execute(
            diesel::sql_query("UPDATE experts SET language = 'ar' WHERE email = 'p1@example.org'"),
            &mut conn,
        )
        .unwrap();
    }
    let arabic = app.text(&format!("/r/{}", links["p1@example.org"])).await;
    assert!(
        arabic.contains("dir=\"rtl\"") && arabic.contains("غير مختار"),
        "{arabic}"
    );
}

#[tokio::test]
async fn the_api_opens_a_ranking_round_takes_its_lists_and_gives_its_ranking() {
    use reqwest::Method;
    use serde_json::json;

    use crate::support::api::Api;
    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::sign_in::{add_owner, api_token};

    let app = spawn_app_keeping_emails().await;
    study_after_round_one(&app, false).await;
    add_owner(&app.db, "rank-2026", "api@example.org");
    let api = Api::new(&app, &api_token(&app.db, "api@example.org", "ranking"));
    let refused = api
        .expect(
            Method::POST,
            "/api/v1/studies/rank-2026/rounds",
            Some(&json!({ "kind": "ideas!" })),
            422,
        )
        .await;
    assert_eq!(refused["field"], "kind", "{refused}");
    let opened = api
        .expect(
            Method::POST,
            "/api/v1/studies/rank-2026/rounds",
            Some(&json!({ "kind": "ranking" })),
            201,
        )
        .await;
    assert_eq!(opened["number"], 2);
    assert_eq!(opened["kind"], "ranking");
    assert_eq!(opened["items"], 4);

    let bad = json!([
        { "expert": "r1@example.org", "item": "A", "position": 1 },
        { "expert": "r1@example.org", "item": "B", "position": 1 },
    ]);
    let refused = api
        .expect(
            Method::POST,
            "/api/v1/studies/rank-2026/responses",
            Some(&bad),
            422,
        )
        .await;
    assert!(refused.to_string().contains("rankings[2]"), "{refused}");
    let rows: Vec<serde_json::Value> = LISTS
        .iter()
        .flat_map(|(email, list)| {
            list.iter()
                .enumerate()
                .map(move |(p, code)| json!({ "expert": email, "item": code, "position": p + 1 }))
        })
        .collect();
    let imported = api
        .expect(
            Method::POST,
            "/api/v1/studies/rank-2026/responses",
            Some(&json!(rows)),
            200,
        )
        .await;
    assert_eq!(imported["saved"], 14, "{imported}");
    let closed = api
        .expect(
            Method::POST,
            "/api/v1/studies/rank-2026/rounds/current/close",
            None,
            200,
        )
        .await;
    assert_eq!(closed["kind"], "ranking", "{closed}");
    let (status, csv) = api
        .text("/api/v1/studies/rank-2026/results?round=2&format=csv")
        .await;
    assert_eq!(status, 200);
    let (header, rows) = rows_of(&csv);
    assert_eq!(header.join(","), HEADER);
    let items = [("A", "Alpha"), ("B", "=Beta"), ("C", "Gamma"), ("D", "Delta")];
    let group_of = |email: &str| PANEL.iter().find(|(e, _)| *e == email).unwrap().1.to_owned();
    let lists: Vec<(String, Vec<String>)> = LISTS
        .iter()
        .map(|(e, l)| (group_of(e), l.iter().map(|c| c.to_string()).collect()))
        .collect();
    assert_eq!(rows, naive_ranking(2, &items, &["researcher", "policy"], &lists));
    let json = api
        .expect(
            Method::GET,
            "/api/v1/studies/rank-2026/results?round=2",
            None,
            200,
        )
        .await;
    assert_eq!(json["lines"][0]["item_code"], "C");
}

#[test]
fn a_ranking_study_has_one_ranking_round_over_all_its_items() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let dir = database.dir.path();
    let study = STUDY.replace("timezone = \"UTC\"", "method = \"ranking\"\ntimezone = \"UTC\"");
    cli.ok(&["study", "create", &write(dir, "study.toml", &study)]);
    let panel: String = std::iter::once("email,name,group\n".to_owned())
        .chain(PANEL.iter().map(|(e, g)| format!("{e},{e},{g}\n")))
        .collect();
    cli.ok(&["panel", "import", "rank-2026", &write(dir, "panel.csv", &panel)]);
    let opened = cli.ok(&["round", "open", "rank-2026"]);
    assert!(
        opened.contains("ranking round 1 of `rank-2026` is open: 5 items to rank, 6 experts invited"),
        "{opened}"
    );
    let file = write(
        dir,
        "lists.csv",
        "expert,item,position\nr1@example.org,E,1\nr1@example.org,A,2\np1@example.org,A,1\n",
    );
    cli.ok(&["responses", "import", "rank-2026", &file]);
    cli.ok(&["round", "close", "rank-2026"]);
    let csv = cli.ok(&["results", "rank-2026", "--round", "1", "--format", "csv"]);
    let (_, rows) = rows_of(&csv);
    let items = [
        ("A", "Alpha"),
        ("B", "=Beta"),
        ("C", "Gamma"),
        ("D", "Delta"),
        ("E", "Epsilon (out)"),
    ];
    let lists = vec![
        ("researcher".to_owned(), vec!["E".to_owned(), "A".to_owned()]),
        ("policy".to_owned(), vec!["A".to_owned()]),
    ];
    assert_eq!(rows, naive_ranking(1, &items, &["researcher", "policy"], &lists));
    // The policy makers' single list puts A first: 2/5 + 3/3 beats E's 3/5.
    assert_eq!(rows[0][1], "A");
    let show = cli.ok(&["study", "show", "rank-2026"]);
    assert!(
        show.contains("finished") || show.contains("ranking round 1 closed"),
        "{show}"
    );
    // Its report is a ranking report: no rating round, so none of their sections.
    let report = report_of(&cli, dir);
    assert!(report.contains("This is a ranking study"), "{report}");
    assert!(report.contains("<h2>Ranking, round 1</h2>"));
    for heading in ["Definition of consensus", "Final consensus list", "Item flow"] {
        assert!(!report.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
}

#[tokio::test]
async fn the_console_opens_the_ranking_round_and_shows_its_results() {
    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::sign_in::{add_owner, Session};

    let app = spawn_app_keeping_emails().await;
    study_after_round_one(&app, false).await;
    add_owner(&app.db, "rank-2026", "console@example.org");
    let session = Session::sign_in(&app, "console@example.org").await;
    let page = session.page("/console/s/rank-2026").await;
    assert!(
        page.contains("Open a ranking round") && page.contains("name=\"kind\" value=\"ranking\""),
        "{page}"
    );
    let response = session
        .post(
            "/console/s/rank-2026/rounds/open",
            &[("kind", "ranking"), ("deadline", "")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = session.page("/console/s/rank-2026").await;
    assert!(
        page.contains("(ranking)") && !page.contains("Open a ranking round"),
        "{page}"
    );

    // Lists typed in, the round closed from the command line's use case; the results page.
    {
        let mut conn = app.db.get().unwrap();
        let mut file = String::from("expert,item,position\n");
        for (email, list) in LISTS {
            for (p, code) in list.iter().enumerate() {
                file.push_str(&format!("{email},{code},{}\n", p + 1));
            }
        }
        let parsed = delphi::domain::ranking::parse_rankings_csv("lists.csv", &file).unwrap();
        let actor = crate::support::fixtures::actor();
        delphi::service::ranking::import_rankings(&mut conn, "rank-2026", &parsed, &actor).unwrap();
        delphi::service::rounds::close(&mut conn, "rank-2026", "facilitator", &actor).unwrap();
    }
    let results = session.page("/console/s/rank-2026/results/2").await;
    assert!(results.contains("Ranking, round 2"), "{results}");
    assert!(
        results.contains("<svg class=\"rankchart\"") && results.contains("role=\"img\""),
        "{results}"
    );
    assert!(
        results.contains("Rank (researcher)") && results.contains("Rank (policy)"),
        "{results}"
    );
    let first_row = results.split("<tbody>").nth(1).unwrap_or_default();
    assert!(
        first_row.find("<code>C</code>") < first_row.find("<code>A</code>"),
        "{results}"
    );
    // The report has the ranking too.
    let report = session.page("/console/s/rank-2026/report").await;
    assert!(
        report.contains("Ranking, round 2") && report.contains("rankchart"),
        "{report}"
    );
}

/// "Preview as an expert" of a ranking round shows the ranking page (the closed rating round
/// before it still the rating form), its form coming back to the preview with nothing saved;
/// a test expert invited during the ranking round gets the ranking page, the Test run page
/// counts their choices, and their list counts nowhere.
#[tokio::test]
async fn the_preview_and_the_test_run_show_the_ranking_page() {
    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::forms::{post_form, unescape};
    use crate::support::sign_in::{add_owner, Session};
    use crate::test_mode::test_link;

    let app = spawn_app_keeping_emails().await;
    let links = ranking_round_open(&app).await;
    add_owner(&app.db, "rank-2026", "console@example.org");
    let me = Session::sign_in(&app, "console@example.org").await;

    let preview = unescape(&me.page("/console/s/rank-2026/preview").await);
    assert!(
        preview.contains("class=\"preview-bar\"") && preview.contains("Choose up to 3 items"),
        "{preview}"
    );
    assert!(
        preview.contains(
            "<form method=\"get\" action=\"/console/s/rank-2026/preview\" id=\"ranking\" class=\"ranking\""
        ) && !preview.contains("action=\"/r/")
            && !preview.contains("ranking.js"),
        "{preview}"
    );
    for code in ["A", "B", "C", "D"] {
        assert!(preview.contains(&format!("name=\"p_{code}\"")), "{code}");
    }
    assert!(!preview.contains("name=\"p_E\"") && !preview.contains("name=\"p_X\""));
    let saved = unescape(
        &me.page("/console/s/rank-2026/preview?round=2&lang=en&p_A=2&p_C=1&p_B=&action=save")
            .await,
    );
    assert!(
        saved.contains("This is a preview: nothing was saved.")
            && saved.contains("<option value=\"2\" selected>")
            && saved.contains("<option value=\"1\" selected>"),
        "{saved}"
    );
    assert!(PANEL.iter().all(|(email, _)| saved_list(&app, email).is_empty()));
    let round_one = me.page("/console/s/rank-2026/preview?round=1").await;
    assert!(round_one.contains("id=\"rating\"") && !round_one.contains("name=\"p_A\""));

    // A test expert joins the ranking round.
    let invited = me
        .post(
            "/console/s/rank-2026/test",
            &[
                ("email", "tess@example.org"),
                ("name", "Tess"),
                ("group", "policy"),
                ("language", ""),
            ],
        )
        .await;
    assert_eq!(invited.status(), 303);
    let (token, subject) = test_link(&app, "tess@example.org");
    assert!(subject.starts_with("[Test]"), "{subject}");
    let page = app.text(&format!("/r/{token}")).await;
    assert!(
        page.contains("name=\"p_D\"") && page.contains("Test run: your answers are kept apart"),
        "{page}"
    );
    let response = post_form(&app, &format!("/r/{token}"), &[("p_D", "1"), ("p_B", "2")]).await;
    assert_eq!(response.status(), 303);
    let run = unescape(&me.page("/console/s/rank-2026/test").await);
    assert!(run.contains("2 of 4"), "{run}");

    // One panel member ranks C alone; the ranking is theirs only.
    let response = post_form(&app, &format!("/r/{}", links["r1@example.org"]), &[("p_C", "1")]).await;
    assert_eq!(response.status(), 303);
    let cli = Cli::new(&app.database).quiet();
    cli.ok(&["round", "close", "rank-2026"]);
    let ranking = cli.ok(&["results", "rank-2026", "--round", "2", "--format", "csv"]);
    let (header, rows) = rows_of(&ranking);
    let chosen = header.iter().position(|h| h == "chosen").unwrap();
    let code = header.iter().position(|h| h == "item_code").unwrap();
    let chosen_of = |item: &str| rows.iter().find(|r| r[code] == item).map(|r| r[chosen].clone());
    assert_eq!(chosen_of("C").as_deref(), Some("1"), "{ranking}");
    assert_eq!(chosen_of("D").as_deref(), Some("0"), "{ranking}");
    assert_eq!(chosen_of("B").as_deref(), Some("0"), "{ranking}");

    // Clearing the test expert's answers takes their list away.
    let cleared = me.post("/console/s/rank-2026/test/T001/clear", &[]).await;
    assert_eq!(cleared.status(), 303);
    assert!(
        cleared.headers()["location"].to_str().unwrap().contains("n=2"),
        "{:?}",
        cleared.headers()
    );
}

/// The study's report, as `delphi export --format html` writes it.
fn report_of(cli: &Cli, dir: &Path) -> String {
    let out = dir.join("report.html");
    cli.export("rank-2026", "html", &out);
    std::fs::read_to_string(out).unwrap()
}

/// The lists as a rankings file, `expert,item,position`.
pub(crate) fn lists_file() -> String {
    let mut text = String::from("expert,item,position\n");
    for (email, list) in LISTS {
        for (p, code) in list.iter().enumerate() {
            text.push_str(&format!("{email},{code},{}\n", p + 1));
        }
    }
    text
}

/// The console imports a ranking into the open ranking round (preview, then confirm) through the
/// import the command line uses: the same file gives the same ranking.csv. Rating columns, an
/// unknown expert and a repeated position are refused by line and column, nothing saved; the
/// API names the keys a ranking's rows have.
#[tokio::test]
async fn the_console_imports_a_ranking_as_the_command_line_does() {
    use reqwest::Method;
    use serde_json::json;

    use crate::responses_import::{confirm, owner, preview};
    use crate::support::api::Api;
    use crate::support::app::spawn_app;
    use crate::support::sign_in::api_token;

    let file = lists_file();
    let reference = spawn_app().await;
    ranking_round_open(&reference).await;
    let cli = Cli::new(&reference.database).quiet();
    let path = write(reference.database.dir.path(), "lists.csv", &file);
    cli.ok(&["responses", "import", "rank-2026", &path]);
    cli.ok(&["round", "close", "rank-2026"]);
    let expected = cli.ok(&["results", "rank-2026", "--round", "2", "--format", "csv"]);

    let app = spawn_app().await;
    ranking_round_open(&app).await;
    let me = owner(&app, "rank-2026").await;
    let page = crate::support::forms::unescape(&me.page("/console/s/rank-2026/import/responses").await);
    assert!(
        page.contains("A ranking round is open") && page.contains("expert,item,position"),
        "{page}"
    );
    let nothing_saved = || PANEL.iter().all(|(email, _)| saved_list(&app, email).is_empty());
    for (bad, named) in [
        (
            "expert,item,score\nr1@example.org,A,8\n".to_owned(),
            "lists.csv: this study takes each expert's chosen items in order now: its responses file has the columns expert,item,position",
        ),
        (
            "expert,item,position\nr1@example.org,A,1\nnobody@example.org,B,1\n".to_owned(),
            "lists.csv: line 3, field `expert`",
        ),
        (
            "expert,item,position\nr1@example.org,A,1\nr1@example.org,B,1\n".to_owned(),
            "lists.csv: line 3, field `position`",
        ),
    ] {
        let (status, html) = preview(&me, "rank-2026", "lists.csv", &bad).await;
        assert_eq!(status, 422, "{bad}: {html}");
        assert!(html.contains(named), "{named}: {html}");
    }
    assert!(nothing_saved());

    let (status, html) = preview(&me, "rank-2026", "lists.csv", &file).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Ranking round 2: 14 places from 6 experts, naming 4 items. 14 places will be saved."),
        "{html}"
    );
    assert!(nothing_saved(), "a preview writes nothing");
    assert_eq!(
        confirm(&me, "rank-2026", &html).await,
        "/console/s/rank-2026?done=responses&n=14"
    );
    assert_eq!(
        saved_list(&app, "r3@example.org"),
        [("B".to_owned(), 1), ("A".to_owned(), 2), ("D".to_owned(), 3)]
    );

    add_facilitator_with_token(&app).await;
    let api = Api::new(&app, &api_token(&app.db, "api@example.org", "ranking"));
    let wrong = api
        .expect(
            Method::POST,
            "/api/v1/studies/rank-2026/responses",
            Some(&json!([{ "expert": "r1@example.org", "item": "A", "score": 8 }])),
            422,
        )
        .await;
    assert!(
        wrong
            .to_string()
            .contains("each row has the keys expert, item, position"),
        "{wrong}"
    );
    assert_eq!(saved_list(&app, "r1@example.org").len(), 3, "nothing changed");

    let cli = Cli::new(&app.database).quiet();
    cli.ok(&["round", "close", "rank-2026"]);
    assert_eq!(
        cli.ok(&["results", "rank-2026", "--round", "2", "--format", "csv"]),
        expected
    );
}

async fn add_facilitator_with_token(app: &crate::support::app::TestApp) {
    use crate::support::sign_in::{add_facilitator, grant};
    add_facilitator(&app.db, "api@example.org");
    grant(
        &app.db,
        "rank-2026",
        "api@example.org",
        delphi::domain::role::Role::Editor,
    );
}
