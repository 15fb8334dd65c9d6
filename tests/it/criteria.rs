//! Several criteria per item, from the command line only: the example study rated on two
//! criteria (importance, feasibility) with `combine = "all"`, two rounds (import, close,
//! carry-forward of the items unresolved by their combined status, import, close), then
//! `delphi results --format csv` and the data package checked against an independent naive
//! recomputation per criterion and combined; and the inputs that must be refused, with nothing
//! saved.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::files::parse_csv;
use crate::support::fixtures::{answer, example_files, example_study_in, Example, SLUG};
use crate::support::reference_stats;

const CRITERIA: [&str; 2] = ["importance", "feasibility"];

const CRITERION_TABLES: &str = r#"
[[criterion]]
key = "importance"
label = "How important is this indicator?"
label_fr = "Quelle est l'importance de cet indicateur ?"

[[criterion]]
key = "feasibility"
label = "How feasible is it to measure in routine programmes?"
"#;

/// The example study with two criteria and `combine` as given; the path of its study.toml.
pub(crate) fn criteria_study(dir: &Path, combine: &str) -> PathBuf {
    let path = example_study_in(dir, SLUG);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("preset = \"comet\"").count(), 1);
    let text = text.replace(
        "preset = \"comet\"",
        &format!("preset = \"comet\"\ncombine = \"{combine}\""),
    );
    std::fs::write(&path, format!("{text}{CRITERION_TABLES}")).unwrap();
    path
}

/// Expert `e`'s answer to item `i` on criterion `c` in `round`: importance follows the
/// suite's usual design; feasibility the same design shifted by one profile on odd items, so
/// that items end up in on both criteria, out on one, or unresolved on one.
fn criterion_answer(round: u32, i: usize, e: usize, c: usize) -> Option<String> {
    match c {
        0 => answer(round, i, e),
        _ if i % 2 == 0 => answer(round, i, e),
        _ => answer(round, i + 1, e),
    }
}

pub(crate) fn responses(
    dir: &Path,
    name: &str,
    round: u32,
    ex: &Example,
    codes: &[String],
    who: &[usize],
) -> PathBuf {
    responses_of(dir, name, ex, codes, who, |i, e, c| {
        criterion_answer(round, i, e, c)
    })
}

/// A responses file of `who` on `codes`, every criterion answered as `answer(item index,
/// expert index, criterion index)` says (empty for none).
pub(crate) fn responses_of(
    dir: &Path,
    name: &str,
    ex: &Example,
    codes: &[String],
    who: &[usize],
    answer: impl Fn(usize, usize, usize) -> Option<String>,
) -> PathBuf {
    let path = dir.join(name);
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer
        .write_record(["expert", "item", "criterion", "score", "comment"])
        .unwrap();
    for &e in who {
        for code in codes {
            let i = ex.items.iter().position(|(c, _)| c == code).unwrap();
            for (c, criterion) in CRITERIA.iter().enumerate() {
                let score = answer(i, e, c).unwrap_or_default();
                writer
                    .write_record([ex.experts[e].0.as_str(), code, criterion, &score, ""])
                    .unwrap();
            }
        }
    }
    writer.flush().unwrap();
    path
}

/// "all", written here from the contract's table rather than from the platform's code.
fn naive_all(statuses: &[&str]) -> &'static str {
    if statuses.contains(&"out") {
        "out"
    } else if statuses.iter().all(|s| *s == "in") {
        "in"
    } else {
        "none"
    }
}

/// (round, group or "", item code, criterion).
type Key = (String, String, String, String);

/// Recomputes every line of results.csv (or results_by_group.csv) of a criteria study from
/// ratings.csv alone: each criterion's line with the naive statistics and COMET, the item's
/// own line with its criteria's naive statuses combined by "all". Returns the lines checked.
pub(crate) fn recompute(results: &str, ratings: &str, by_group: bool) -> usize {
    let nine = Judged {
        points: 1..=9,
        status: reference_stats::comet,
    };
    recompute_on(results, ratings, by_group, &[nine.clone(), nine])
}

/// How a criterion's answers are judged by the naive recomputation: the points of its scale
/// and the naive form of the rule that judges it, in `CRITERIA` order.
#[derive(Clone)]
pub(crate) struct Judged {
    pub points: std::ops::RangeInclusive<i32>,
    pub status: fn(&[i32]) -> &'static str,
}

/// `recompute` with each criterion on its own scale under its own rule: the count columns of
/// points outside a criterion's scale hold 0, and IPRAS and DI are empty off the 1–9 scale.
pub(crate) fn recompute_on(results: &str, ratings: &str, by_group: bool, judged: &[Judged]) -> usize {
    let (_, answers) = parse_csv(ratings);
    // (round, group or "", item, criterion) → (scores, unable); (round, group, item) → experts.
    let mut scores: BTreeMap<Key, (Vec<i32>, usize)> = BTreeMap::new();
    let mut responders: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    for a in &answers {
        assert!(CRITERIA.contains(&a["criterion"].as_str()), "{a:?}");
        let group = if by_group {
            a["group"].clone()
        } else {
            String::new()
        };
        let entry = scores
            .entry((
                a["round"].clone(),
                group.clone(),
                a["item_code"].clone(),
                a["criterion"].clone(),
            ))
            .or_default();
        if !a["score"].is_empty() {
            entry.0.push(a["score"].parse().unwrap());
        }
        if a["unable"] == "true" {
            entry.1 += 1;
        }
        if !a["score"].is_empty() || a["unable"] == "true" {
            responders
                .entry((a["round"].clone(), group, a["item_code"].clone()))
                .or_default()
                .insert(a["expert"].clone());
        }
    }
    let (header, rows) = parse_csv(results);
    let item_at = header.iter().position(|h| h == "item_code").unwrap();
    assert_eq!(header[item_at + 1], "criterion", "{header:?}");
    let mut seen_items = BTreeSet::new();
    for row in &rows {
        let group = if by_group {
            row["group"].clone()
        } else {
            String::new()
        };
        let what = format!(
            "round {} {group} {} {:?}",
            row["round"], row["item_code"], row["criterion"]
        );
        if row["criterion"].is_empty() {
            seen_items.insert((row["round"].clone(), group.clone(), row["item_code"].clone()));
            let statuses: Vec<&str> = CRITERIA
                .iter()
                .map(|c| {
                    let key = (
                        row["round"].clone(),
                        group.clone(),
                        row["item_code"].clone(),
                        c.to_string(),
                    );
                    let c = CRITERIA.iter().position(|k| k == c).unwrap();
                    (judged[c].status)(&scores.get(&key).cloned().unwrap_or_default().0)
                })
                .collect();
            assert_eq!(
                row["status"],
                naive_all(&statuses),
                "{what}: combined {statuses:?}"
            );
            let answered = responders
                .get(&(row["round"].clone(), group.clone(), row["item_code"].clone()))
                .map_or(0, BTreeSet::len);
            assert_eq!(row["responded"], answered.to_string(), "{what}: responded");
            for empty in ["n", "unable", "c1", "c9", "mean", "median", "di"] {
                assert_eq!(row[empty], "", "{what}: {empty} of the combined line");
            }
            continue;
        }
        let key = (
            row["round"].clone(),
            group,
            row["item_code"].clone(),
            row["criterion"].clone(),
        );
        let (x, unable) = scores.get(&key).cloned().unwrap_or_default();
        reference_stats::assert_counts(row, &x, unable, 1..=9, &what);
        let on = &judged[CRITERIA.iter().position(|c| *c == row["criterion"]).unwrap()];
        for v in &x {
            assert!(on.points.contains(v), "{what}: {v} is off the scale");
        }
        if on.points == (1..=9) {
            reference_stats::assert_row(row, &x, unable, 7, &what);
        } else {
            reference_stats::assert_row_off_nine(row, &x, unable, 7, &what);
            assert_eq!(row["status"], (on.status)(&x), "{what}: status");
        }
    }
    // Every item has its own line and one line per criterion, in that order.
    assert_eq!(rows.len(), seen_items.len() * (1 + CRITERIA.len()));
    for chunk in rows.chunks(1 + CRITERIA.len()) {
        let criteria: Vec<&str> = chunk.iter().map(|r| r["criterion"].as_str()).collect();
        assert_eq!(criteria, ["", "importance", "feasibility"]);
    }
    rows.len()
}

/// The combined statuses of one round's results, by item code.
fn combined(cli: &Cli, round: u32) -> BTreeMap<String, String> {
    let (_, rows) = parse_csv(&cli.ok(&["results", SLUG, "--round", &round.to_string(), "--format", "csv"]));
    rows.iter()
        .filter(|r| r["criterion"].is_empty())
        .map(|r| (r["item_code"].clone(), r["status"].clone()))
        .collect()
}

#[test]
fn two_criteria_two_rounds_from_the_command_line() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let work = database.dir.path();
    let ex = example_files();
    let study = criteria_study(work, "all");
    cli.ok(&["study", "create", study.to_str().unwrap()]);
    let shown = cli.ok(&["study", "show", SLUG]);
    assert!(
        shown.contains("criteria:  importance (rule primary): How important is this indicator?"),
        "{shown}"
    );
    assert!(shown.contains("combine: all"), "{shown}");
    // Every expert but the last answers.
    let who: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();

    cli.ok(&["round", "open", SLUG]);
    // Refused files save nothing: this one has a good line from the last expert (who answers
    // nothing in this study) before the bad one.
    let last = &ex.experts[ex.experts.len() - 1].0;
    let bad = work.join("bad.csv");
    std::fs::write(
        &bad,
        format!("expert,item,criterion,score\n{last},M01,importance,9\n{last},M01,cost,9\n"),
    )
    .unwrap();
    let said = cli.refused(&["responses", "import", SLUG, bad.to_str().unwrap()]);
    assert!(
        said.contains("line 3") && said.contains("`criterion`") && said.contains("`cost`"),
        "{said}"
    );
    assert!(said.contains("importance, feasibility"), "{said}");
    let no_column = work.join("no_column.csv");
    std::fs::write(&no_column, format!("expert,item,score\n{last},M01,9\n")).unwrap();
    let said = cli.refused(&["responses", "import", SLUG, no_column.to_str().unwrap()]);
    assert!(said.contains("add a `criterion` column"), "{said}");

    let file = responses(work, "round1.csv", 1, &ex, &codes, &who);
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    let first = combined(&cli, 1);
    assert_eq!(first.len(), codes.len());
    let unresolved: Vec<String> = codes.iter().filter(|c| first[*c] == "none").cloned().collect();
    // The design gives every combination: in on both, out on one, unresolved.
    for status in ["in", "out", "none"] {
        assert!(first.values().any(|s| s == status), "{status} in {first:?}");
    }

    cli.ok(&["round", "open", SLUG]);
    let file = responses(work, "round2.csv", 2, &ex, &unresolved, &who);
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    // Round 2 asked exactly the items round 1 left unresolved by their combined status.
    let second = combined(&cli, 2);
    assert_eq!(second.keys().cloned().collect::<Vec<_>>(), {
        let mut sorted = unresolved.clone();
        sorted.sort();
        sorted
    });

    let results = cli.ok(&["results", SLUG, "--format", "csv"]);
    let entries = cli.package(SLUG, &work.join("package.zip"));
    let file = |name: &str| entries[name].clone();
    assert_eq!(file("results.csv"), results);
    let ratings = file("ratings.csv");
    let (header, _) = parse_csv(&ratings);
    let item_at = header.iter().position(|h| h == "item_code").unwrap();
    assert_eq!(header[item_at + 1], "criterion");
    // The refused file saved nothing: only the experts who answered are in ratings.csv.
    let (_, answers) = parse_csv(&ratings);
    let experts: BTreeSet<&str> = answers.iter().map(|a| a["expert"].as_str()).collect();
    assert_eq!(experts.len(), who.len());
    let checked = recompute(&results, &ratings, false);
    assert_eq!(checked, (codes.len() + unresolved.len()) * 3);
    recompute(&file("results_by_group.csv"), &ratings, true);
    // stability.csv: a line per item asked in round 2 and criterion, from the criterion's own
    // scores, with its status as results.csv's line of the criterion.
    let (header, stability) = parse_csv(&file("stability.csv"));
    assert_eq!(
        header[..5],
        ["round", "item_code", "criterion", "status_previous", "status"]
    );
    assert_eq!(stability.len(), unresolved.len() * CRITERIA.len());
    let (_, result_rows) = parse_csv(&results);
    let scored = |round: u32, i: usize, e: usize, c: usize| {
        criterion_answer(round, i, e, c).is_some_and(|a| a.parse::<i32>().is_ok())
    };
    for row in &stability {
        let i = ex
            .items
            .iter()
            .position(|(code, _)| *code == row["item_code"])
            .unwrap();
        let c = CRITERIA.iter().position(|k| *k == row["criterion"]).unwrap();
        let paired = who
            .iter()
            .filter(|&&e| scored(1, i, e, c) && scored(2, i, e, c))
            .count();
        assert_eq!(row["paired"], paired.to_string(), "{row:?}");
        let status_in = |round: &str| {
            result_rows
                .iter()
                .find(|r| {
                    r["round"] == round
                        && r["item_code"] == row["item_code"]
                        && r["criterion"] == row["criterion"]
                })
                .map(|r| r["status"].clone())
                .unwrap()
        };
        assert_eq!(row["status_previous"], status_in("1"), "{row:?}");
        assert_eq!(row["status"], status_in("2"), "{row:?}");
    }
    assert_eq!(
        cli.ok(&["results", SLUG, "--stability", "--format", "csv"]),
        file("stability.csv")
    );
    // The final list uses the combined status.
    let (_, consensus) = parse_csv(&file("consensus.csv"));
    for row in &consensus {
        let latest = second.get(&row["item_code"]).unwrap_or(&first[&row["item_code"]]);
        assert_eq!(&row["status"], latest, "{}", row["item_code"]);
    }
    // Every other format is made from the same lines.
    for format in ["xlsx", "json", "html", "csv"] {
        let out = work.join(format!("export.{format}"));
        cli.export(SLUG, format, &out);
        assert!(std::fs::metadata(&out).is_ok_and(|m| m.len() > 0), "{format}");
    }
    let codebook = file("codebook.md");
    assert!(
        codebook.contains("| `criterion` | the criterion's key: one row per item and criterion"),
        "{codebook}"
    );
    assert!(
        codebook.contains("| `criterion` | the criterion of the line (importance, feasibility"),
        "{codebook}"
    );
    assert!(
        codebook.contains("| `criterion` | the key of the criterion the answer is on |"),
        "{codebook}"
    );
    // The locked study file says how criteria combine and reads back.
    let locked = file("study.toml");
    assert!(
        locked.contains("combine = \"all\"") && locked.contains("[[criterion]]"),
        "{locked}"
    );

    // The table and JSON show the criteria too.
    let table = cli.ok(&["results", SLUG, "--round", "1"]);
    assert!(
        table.contains("criterion") && table.contains("(combined)") && table.contains("feasibility"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&cli.ok(&["results", SLUG, "--round", "1", "--format", "json"])).unwrap();
    assert_eq!(json["criteria"], serde_json::json!(CRITERIA));
}

#[test]
fn combine_naming_no_criterion_is_refused_by_key_path() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let study = criteria_study(database.dir.path(), "cost");
    let said = cli.refused(&["study", "create", study.to_str().unwrap()]);
    assert!(
        said.contains("consensus.combine") && said.contains("`cost`"),
        "{said}"
    );
    assert!(said.contains("importance, feasibility"), "{said}");
    // Nothing was created.
    let said = cli.refused(&["results", SLUG]);
    assert!(said.contains(SLUG), "{said}");
}

/// The API takes answers with their criterion and publishes results per criterion; the console
/// shows them; an answer on no criterion is refused.
#[tokio::test]
async fn api_console_and_expert_form_of_a_criteria_study() {
    use delphi::domain::answer::Answer;
    use reqwest::Method;
    use serde_json::json;

    use crate::support::api::Api;
    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::fixtures::create_study_from;
    use crate::support::rounds::{answer_input, current_round, open_round_with_links};
    use crate::support::sign_in::{add_facilitator, api_token, Session};

    let app = spawn_app_keeping_emails().await;
    let owner = "owner@example.org";
    add_facilitator(&app.db, owner);
    create_study_from(
        &app.db,
        &criteria_study(app.database.dir.path(), "all"),
        Some(owner),
    );
    let api = Api::new(&app, &api_token(&app.db, owner, "criteria"));
    let mut conn = app.db.get().unwrap();
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round_id = current_round(&mut conn, SLUG).id;
    let ex = example_files();

    // Without a criterion, answers are refused as a whole; with an unknown one, by row.
    let path = format!("/api/v1/studies/{SLUG}/responses");
    let plain = json!([{ "expert": ex.experts[0].0, "item": "M01", "score": 8 }]);
    let refused = api
        .expect(Method::POST, &path, Some(&plain), 422)
        .await
        .to_string();
    assert!(refused.contains("criterion"), "{refused}");
    let unknown = json!([{ "expert": ex.experts[0].0, "item": "M01", "criterion": "cost", "score": 8 }]);
    let refused = api
        .expect(Method::POST, &path, Some(&unknown), 422)
        .await
        .to_string();
    assert!(
        refused.contains("responses[1].criterion") && refused.contains("`cost`"),
        "{refused}"
    );
    let answers: Vec<serde_json::Value> = (0..5)
        .flat_map(|e| {
            let expert = ex.experts[e].0.clone();
            [
                json!({ "expert": expert, "item": "M01", "criterion": "importance", "score": 8 }),
                json!({ "expert": expert, "item": "M01", "criterion": "feasibility", "score": if e < 2 { 4 } else { 7 } }),
            ]
        })
        .collect();
    let saved = api
        .expect(Method::POST, &path, Some(&serde_json::Value::Array(answers)), 200)
        .await;
    assert_eq!(saved["saved"], 10, "{saved}");

    // An answer on no criterion (the service's own door, without a criterion) is refused.
    let (&expert_id, _) = links.iter().next().unwrap();
    let invitation = delphi::db::models::invitations::Invitation::of_round(&mut conn, round_id)
        .unwrap()
        .into_iter()
        .find(|i| i.expert_id == expert_id)
        .unwrap();
    let refused =
        delphi::service::ratings::record(&mut conn, invitation.id, &answer_input("M01", Answer::Score(7)));
    assert!(refused.is_err(), "an answer on no criterion is refused");

    Cli::new(&app.database).ok(&["round", "close", SLUG]);
    // M01: importance 8 × 5 is in; feasibility 3 of 5 at 7–9 (60 %) is none; "all" → none.
    let results = api
        .expect(
            Method::GET,
            &format!("/api/v1/studies/{SLUG}/results?round=1"),
            None,
            200,
        )
        .await;
    let lines = results["lines"].as_array().unwrap();
    let m01: Vec<(&str, &str)> = lines
        .iter()
        .filter(|l| l["item_code"] == "M01")
        .map(|l| (l["criterion"].as_str().unwrap(), l["status"].as_str().unwrap()))
        .collect();
    assert_eq!(m01, [("", "none"), ("importance", "in"), ("feasibility", "none")]);

    // Saving the Settings page as shown keeps the criteria and how they combine.
    {
        use delphi::service::study_setup::{self, SetupForm, Start};
        let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
        let mut form = SetupForm::from_file(&study.file, Start::Blank);
        form.title = "Criteria, renamed".into();
        let actor = crate::support::fixtures::actor();
        let saved = study_setup::update(&mut conn, SLUG, &form, "en", &actor);
        assert!(saved.is_ok(), "{saved:?}");
        let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
        assert_eq!(study.title, "Criteria, renamed");
        assert_eq!(study.file.criterion_keys(), CRITERIA);
        assert_eq!(study.file.consensus.combine.as_deref(), Some("all"));
    }

    let me = Session::sign_in(&app, owner).await;
    let page = me.page(&format!("/console/s/{SLUG}/results/1")).await;
    assert!(page.contains("Criterion"), "{page}");
    assert!(page.contains("How feasible is it to measure in routine programmes?"));
    assert!(page.contains("Item (all criteria)"));
    // The rule editor's preview shows each criterion under its rule and the combined status.
    let rule = me.page(&format!("/console/s/{SLUG}/rule")).await;
    for column in ["importance (primary)", "feasibility (primary)", "combined (all)"] {
        assert!(
            rule.contains(&format!("<th scope=\"col\">{column}</th>")),
            "{column}: {rule}"
        );
    }
}

/// The expert form of a criteria study without JavaScript: every item asks each criterion's
/// scale row; a refused post names the item and the criterion, keeps what was typed and saves
/// nothing; a valid one is stored per criterion. Autosave takes the criterion and refuses an
/// unknown one. In round 2, each criterion shows the panel's chart and the expert's own score.
#[tokio::test]
async fn expert_form_asks_every_criterion() {
    use delphi::db::models::ratings::Rating;

    use crate::support::app::spawn_app;
    use crate::support::fixtures::create_study_from;
    use crate::support::forms::post_form;
    use crate::support::rounds::{current_round, experts, open_round_with_links};
    use crate::support::sign_in::add_facilitator;

    let app = spawn_app().await;
    let owner = "owner@example.org";
    add_facilitator(&app.db, owner);
    create_study_from(
        &app.db,
        &criteria_study(app.database.dir.path(), "all"),
        Some(owner),
    );
    let mut conn = app.db.get().unwrap();
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let round_id = current_round(&mut conn, SLUG).id;
    let ex = example_files();
    let me = ex.experts.len() - 1;
    let expert_id = experts(&mut conn, SLUG)
        .into_iter()
        .find(|e| e.email.as_deref() == Some(ex.experts[me].0.as_str()))
        .unwrap()
        .id;
    let page = format!("/r/{}", links[&expert_id]);
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let saved = |conn: &mut delphi::db::DbConnection| Rating::of_expert(conn, round_id, expert_id).unwrap();

    // Each item asks both criteria, each with the nine points and "unable to score".
    let html = app.text(&page).await;
    assert!(html.contains("id=\"rating\""), "{html}");
    assert_eq!(html.matches("class=\"item crits\"").count(), codes.len());
    assert_eq!(html.matches("<div class=pts>").count(), codes.len() * 2);
    for criterion in CRITERIA {
        for value in ["1", "9", "U"] {
            assert!(html.contains(&format!("name=s_M01~{criterion} value={value}>")));
        }
    }
    assert!(html.contains("How important is this indicator?"));
    assert!(html.contains("How feasible is it to measure in routine programmes?"));
    assert!(
        html.contains(&format!("0 of {} items answered", codes.len() * 2)),
        "{html}"
    );

    // A refused post: the summary names the item and the criterion, nothing is saved, nothing
    // typed is lost.
    let response = post_form(
        &app,
        &page,
        &[
            ("s_M01~importance", "7"),
            ("c_M01~importance", "typed words"),
            ("s_M02~feasibility", "42"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = crate::support::forms::unescape(&response.text().await.unwrap());
    assert!(html.contains("class=\"errsum\""), "{html}");
    assert!(html.contains("href=\"#i-M02~feasibility\""), "{html}");
    assert!(
        html.contains("M02, How feasible is it to measure in routine programmes?"),
        "{html}"
    );
    assert!(html.contains("name=s_M01~importance value=7 checked"));
    assert!(html.contains(">typed words</textarea>"));
    assert!(saved(&mut conn).is_empty());
    // An answer on no criterion is refused too.
    let response = post_form(&app, &page, &[("s_M01", "7"), ("action", "save")]).await;
    assert_eq!(response.status(), 422);
    assert!(saved(&mut conn).is_empty());

    // The whole form, as the import would have it: stored per criterion.
    let mut fields: Vec<(String, String)> = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        for (c, criterion) in CRITERIA.iter().enumerate() {
            let score = criterion_answer(1, i, me, c).unwrap_or_default();
            fields.push((format!("s_{code}~{criterion}"), score));
        }
    }
    fields.push(("action".into(), "save".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = post_form(&app, &page, &pairs).await;
    assert_eq!(response.status(), 303);
    let rows = saved(&mut conn);
    let expected = fields
        .iter()
        .filter(|(k, v)| k != "action" && !v.is_empty())
        .count();
    assert_eq!(rows.len(), expected);
    let stored: BTreeSet<&str> = rows.iter().map(|r| r.criterion.as_str()).collect();
    assert_eq!(stored, BTreeSet::from(CRITERIA));

    // Autosave per criterion; an unknown criterion is refused, naming it.
    let response = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .header("Accept", "application/json")
        .form(&[("item", "M01"), ("criterion", "feasibility"), ("score", "U")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["progress"]["total"], codes.len() * 2);
    let m01_id = delphi::db::models::rounds::Round::item_by_code(&mut conn, round_id, "M01")
        .unwrap()
        .unwrap();
    let m01 = |conn: &mut delphi::db::DbConnection, criterion: &str| {
        saved(conn)
            .into_iter()
            .find(|r| r.criterion == criterion && r.item_id == m01_id)
            .map(|r| (r.score, r.unable))
    };
    assert_eq!(m01(&mut conn, "feasibility"), Some((None, true)));
    assert_eq!(m01(&mut conn, "importance").map(|a| a.1), Some(false));
    let first = criterion_answer(1, 0, me, 1).unwrap();
    let response = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .json(&serde_json::json!({ "item": "M01", "criterion": "feasibility", "score": first }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .json(&serde_json::json!({ "item": "M01", "criterion": "cost", "score": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let refused = response.text().await.unwrap();
    assert!(refused.contains("cost"), "{refused}");

    // The facilitator's preview of round 2 before round 1 closes: a labelled sample chart per
    // item and criterion, on the same form.
    let facilitator = crate::support::sign_in::Session::sign_in(&app, owner).await;
    let preview = facilitator
        .page(&format!("/console/s/{SLUG}/preview?round=2"))
        .await;
    let items = preview.matches("class=\"item crits\"").count();
    assert_eq!(items, codes.len(), "{preview}");
    assert_eq!(preview.matches("<svg class=hist ").count(), items * 2);
    assert_eq!(preview.matches("class=\"fbh sample\"").count(), items * 2);

    // Round 2: each criterion shows the panel's chart and the expert's own previous score.
    let cli = Cli::new(&app.database);
    let who: Vec<usize> = (0..me).collect();
    let file = responses(app.database.dir.path(), "round1.csv", 1, &ex, &codes, &who);
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let html = app.text(&format!("/r/{}", links[&expert_id])).await;
    let items = html.matches("class=\"item crits\"").count();
    assert!(items > 0 && items < codes.len(), "{items} items carried forward");
    assert_eq!(html.matches("<svg class=hist ").count(), items * 2, "{html}");
    // Blank answers last round have no previous score to show.
    let own = html.matches("Your previous score: ").count();
    assert!(own > 0 && own <= items * 2, "{html}");
}
