//! A CHNRI study from the command line (examples/chnri-lactation): created, its panel invited,
//! answers imported, the round closed, and `delphi results` compared with an independent naive
//! recomputation of docs/statistics.md ("CHNRI") from the answers themselves; then the data
//! package recomputes from its own chnri_answers.csv; and the bad inputs refused by key path or
//! by line and column, with nothing saved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::files::parse_csv;
use crate::support::frac::Frac;

const SLUG: &str = "chnri-lactation";

fn example(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/chnri-lactation")
        .join(file)
}

/// The example's criteria as (key, questions, weight numerator over 10, threshold), read
/// independently of the production parser: the test states what the file says.
const CRITERIA: [(&str, usize, i128, Option<i128>); 5] = [
    ("answerability", 3, 10, Some(60)),
    ("effectiveness", 3, 10, Some(50)),
    ("deliverability", 3, 10, Some(60)),
    ("burden_reduction", 1, 15, Some(50)),
    ("equity", 2, 15, None),
];

const EXPERTS: [(&str, &str); 7] = [
    ("n.okafor@example.org", "researcher"),
    ("c.mbeki@example.org", "researcher"),
    ("s.benali@example.org", "researcher"),
    ("p.sharma@example.org", "researcher"),
    ("j.mutua@example.org", "programme"),
    ("a.traore@example.org", "programme"),
    ("l.santos@example.org", "programme"),
];

const ITEMS: [&str; 6] = ["R01", "R02", "R03", "R04", "R05", "R06"];

/// A deterministic spread of answers: most experts answer most questions, some say don't know,
/// some leave questions blank (no row), and nobody answers R06's equity questions, so R06 has
/// no RPS and no rank. The last expert answers nothing.
fn answer(expert: usize, item: usize, criterion: usize, question: usize) -> Option<&'static str> {
    if expert == EXPERTS.len() - 1 || (item == 5 && criterion == 4) {
        return None;
    }
    let mix = (expert * 7 + item * 5 + criterion * 3 + question * 11 + item * criterion) % 9;
    match mix {
        0 => None,
        1 => Some("dont_know"),
        2 | 3 => Some("no"),
        4 => Some("undecided"),
        _ => Some("yes"),
    }
}

fn answers_file(dir: &Path) -> PathBuf {
    let mut text = String::from("expert,item,criterion,question,answer\n");
    for (e, (email, _)) in EXPERTS.iter().enumerate() {
        for (i, item) in ITEMS.iter().enumerate() {
            for (c, (key, questions, _, _)) in CRITERIA.iter().enumerate() {
                for q in 0..*questions {
                    if let Some(a) = answer(e, i, c, q) {
                        text.push_str(&format!("{email},{item},{key},{},{a}\n", q + 1));
                    }
                }
            }
        }
    }
    let path = dir.join("answers.csv");
    std::fs::write(&path, text).unwrap();
    path
}

struct Expected {
    n: usize,
    cs: Vec<Option<Frac>>,
    rps: Option<Frac>,
    wrps: Option<Frac>,
    aea: Option<Frac>,
    below: Vec<&'static str>,
}

/// docs/statistics.md, "CHNRI", by the letter, from the answers `(expert, item, criterion,
/// question, answer)` of the experts `who` lets in: points summed answer by answer in halves.
fn expected(item: usize, who: impl Fn(usize) -> bool) -> Expected {
    let mut cs = Vec::new();
    let mut responders = std::collections::BTreeSet::new();
    let mut agreement: Vec<Frac> = Vec::new();
    for (c, (_, questions, _, _)) in CRITERIA.iter().enumerate() {
        let (mut halves, mut n) = (0i128, 0i128);
        for q in 0..*questions {
            let mut tally: BTreeMap<&str, i128> = BTreeMap::new();
            for e in (0..EXPERTS.len()).filter(|e| who(*e)) {
                let Some(a) = answer(e, item, c, q).filter(|a| *a != "dont_know") else {
                    continue;
                };
                responders.insert(e);
                *tally.entry(a).or_default() += 1;
                halves += match a {
                    "yes" => 2,
                    "undecided" => 1,
                    _ => 0,
                };
                n += 1;
            }
            let answered: i128 = tally.values().sum();
            if answered > 0 {
                agreement.push(Frac::new(*tally.values().max().unwrap(), answered));
            }
        }
        cs.push((n > 0).then(|| Frac::new(100 * halves, 2 * n)));
    }
    let all: Option<Vec<Frac>> = cs.iter().copied().collect();
    let rps = all.as_ref().map(|v| {
        let s = v.iter().fold(Frac(0, 1), |a, b| a.add(*b));
        Frac::new(s.0, s.1 * v.len() as i128)
    });
    let wrps = all.as_ref().map(|v| {
        let mut top = Frac(0, 1);
        let mut weights = 0;
        for (value, (_, _, w, _)) in v.iter().zip(CRITERIA) {
            top = top.add(Frac::new(value.0 * w, value.1 * 10));
            weights += w;
        }
        Frac::new(top.0 * 10, top.1 * weights)
    });
    let aea = (!agreement.is_empty()).then(|| {
        let s = agreement.iter().fold(Frac(0, 1), |a, b| a.add(*b));
        Frac::new(s.0, s.1 * agreement.len() as i128)
    });
    let below = CRITERIA
        .iter()
        .zip(&cs)
        .filter(|((_, _, _, t), v)| match (t, v) {
            (Some(t), Some(v)) => v.lt(Frac(*t, 1)),
            _ => false,
        })
        .map(|((key, ..), _)| *key)
        .collect();
    Expected {
        n: responders.len(),
        cs,
        rps,
        wrps,
        aea,
        below,
    }
}

fn cell(value: Option<Frac>) -> String {
    value.map(Frac::cell).unwrap_or_default()
}

/// Checks results rows (one audience) against the recomputation, ranks included.
fn check(rows: &[BTreeMap<String, String>], invited: usize, who: impl Fn(usize) -> bool + Copy) {
    assert_eq!(rows.len(), ITEMS.len());
    let mut scored: Vec<(Frac, &str)> = Vec::new();
    for (i, code) in ITEMS.iter().enumerate() {
        let row = rows.iter().find(|r| r["item_code"] == *code).unwrap();
        let want = expected(i, who);
        assert_eq!(row["invited"], invited.to_string(), "{code}");
        assert_eq!(row["n"], want.n.to_string(), "{code}: n");
        for ((key, ..), value) in CRITERIA.iter().zip(&want.cs) {
            assert_eq!(row[&format!("cs_{key}")], cell(*value), "{code}: cs_{key}");
        }
        assert_eq!(row["rps"], cell(want.rps), "{code}: rps");
        assert_eq!(row["wrps"], cell(want.wrps), "{code}: wrps");
        assert_eq!(row["aea"], cell(want.aea), "{code}: aea");
        assert_eq!(row["below"], want.below.join(";"), "{code}: below");
        if let Some(w) = want.wrps {
            scored.push((w, code));
        }
    }
    // Rank: 1 + the number of items scoring strictly higher; rows listed by rank, then code.
    for row in rows {
        let code = row["item_code"].as_str();
        let expected_rank = match scored.iter().find(|(_, c)| *c == code) {
            Some((w, _)) => (1 + scored.iter().filter(|(o, _)| w.lt(*o)).count()).to_string(),
            None => String::new(),
        };
        assert_eq!(row["rank"], expected_rank, "{code}: rank");
    }
    let listed: Vec<(u32, &str)> = rows
        .iter()
        .map(|r| (r["rank"].parse().unwrap_or(u32::MAX), r["item_code"].as_str()))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "rows in rank order");
}

fn researcher(e: usize) -> bool {
    EXPERTS[e].1 == "researcher"
}

#[test]
fn a_chnri_study_from_the_command_line() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let work = database.dir.path();

    let slug = cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    assert_eq!(slug.trim(), SLUG);
    let opened = cli.ok(&["round", "open", SLUG]);
    assert!(opened.contains("7 experts invited"), "{opened}");
    assert!(
        !opened.contains("consensus rule"),
        "a CHNRI study has no consensus rule: {opened}"
    );

    let file = answers_file(work);
    let imported = cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    assert!(imported.contains("from 6 experts"), "{imported}");
    // A re-import replaces; it does not duplicate.
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    let refusal = cli.refused(&["results", SLUG, "--round", "1"]);
    assert!(refusal.contains("is open"), "{refusal}");

    let closed = cli.ok(&["round", "close", SLUG]);
    assert!(closed.contains("6 items scored"), "{closed}");
    assert!(closed.contains("the study is finished"), "{closed}");

    let (header, pooled) = parse_csv(&cli.ok(&["results", SLUG, "--format", "csv"]));
    assert_eq!(
        header,
        [
            "round",
            "item_code",
            "section",
            "item_text",
            "invited",
            "n",
            "cs_answerability",
            "cs_effectiveness",
            "cs_deliverability",
            "cs_burden_reduction",
            "cs_equity",
            "rps",
            "wrps",
            "aea",
            "rank",
            "below"
        ]
    );
    check(&pooled, EXPERTS.len(), |_| true);
    let r06 = pooled.iter().find(|r| r["item_code"] == "R06").unwrap();
    assert_eq!((r06["rank"].as_str(), r06["wrps"].as_str()), ("", ""));

    let (header, by_group) =
        parse_csv(&cli.ok(&["results", SLUG, "--round", "1", "--format", "csv", "--by-group"]));
    assert_eq!(header[1], "group");
    let researchers: Vec<_> = by_group
        .iter()
        .filter(|r| r["group"] == "researcher")
        .cloned()
        .collect();
    check(&researchers, 4, researcher);
    let programme: Vec<_> = by_group
        .iter()
        .filter(|r| r["group"] == "programme")
        .cloned()
        .collect();
    check(&programme, 3, |e| !researcher(e));

    let table = cli.ok(&["results", SLUG]);
    assert!(table.contains("wRPS") && table.contains("R01"), "{table}");
    let json = cli.ok(&["results", SLUG, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["criteria"][3], "burden_reduction");

    // The data package: results.csv as printed, and the answers it recomputes from.
    let files = cli.package(SLUG, &work.join("package.zip"));
    assert_eq!(
        files["results.csv"],
        cli.ok(&["results", SLUG, "--format", "csv"])
    );
    assert!(!files.contains_key("ratings.csv"));
    let (header, answers) = parse_csv(&files["chnri_answers.csv"]);
    assert_eq!(
        header,
        [
            "round",
            "expert",
            "group",
            "item_code",
            "criterion",
            "question",
            "answer",
            "saved_at"
        ]
    );
    let mut written = 0;
    for (e, _) in EXPERTS.iter().enumerate() {
        for (i, _) in ITEMS.iter().enumerate() {
            for (c, (_, questions, _, _)) in CRITERIA.iter().enumerate() {
                written += (0..*questions).filter(|q| answer(e, i, c, *q).is_some()).count();
            }
        }
    }
    assert_eq!(answers.len(), written);
    // Every answer of the package is one the experts gave, under their pseudonym and group.
    for row in &answers {
        assert!(row["expert"].starts_with('E'), "{row:?}");
        let i = ITEMS.iter().position(|c| *c == row["item_code"]).unwrap();
        let c = CRITERIA.iter().position(|k| k.0 == row["criterion"]).unwrap();
        let q: usize = row["question"].parse().unwrap();
        let expert = EXPERTS
            .iter()
            .enumerate()
            .filter(|(_, (_, g))| *g == row["group"])
            .find(|(e, _)| answer(*e, i, c, q - 1) == Some(row["answer"].as_str()));
        assert!(expert.is_some(), "{row:?}");
    }
    let codebook = &files["codebook.md"];
    assert!(codebook.contains("cs_burden_reduction") && codebook.contains("chnri_answers.csv"));
    let toml = &files["study.toml"];
    assert!(toml.contains("[[chnri.criterion]]"), "{toml}");

    let csv_dir = work.join("csv");
    cli.export_csv(SLUG, &csv_dir);
    assert!(csv_dir.join("chnri_answers.csv").exists());
    assert!(!csv_dir.join("ratings.csv").exists());
}

#[test]
fn bad_chnri_input_is_refused_and_nothing_is_saved() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let work = database.dir.path();
    let study = std::fs::read_to_string(example("study.toml")).unwrap();
    let write = |name: &str, text: &str| {
        let path = work.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    std::fs::copy(example("panel.csv"), work.join("panel.csv")).unwrap();
    for (from, to, path) in [
        (
            "weight = 1.5\nthreshold = 50",
            "weight = 0\nthreshold = 50",
            "chnri.criterion[4].weight",
        ),
        (
            "threshold = 60\nquestions = [\n  \"Would you say",
            "threshold = 160\nquestions = [\n  \"Would you say",
            "chnri.criterion[1].threshold",
        ),
        (
            "key = \"equity\"",
            "key = \"answerability\"",
            "chnri.criterion[5].key",
        ),
    ] {
        assert_eq!(study.matches(from).count(), 1, "{from}");
        let file = write("bad.toml", &study.replace(from, to));
        let line = cli.refused(&["study", "create", file.to_str().unwrap()]);
        assert!(line.contains(path), "{path}: {line}");
    }
    let start = study.find("questions = [\n  \"If the research").unwrap();
    let end = study[start..].find("]\n").unwrap() + start + 2;
    let file = write(
        "bad.toml",
        &format!("{}questions = []\n{}", &study[..start], &study[end..]),
    );
    let line = cli.refused(&["study", "create", file.to_str().unwrap()]);
    assert!(line.contains("chnri.criterion[4].questions"), "{line}");

    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG]);
    let header = "expert,item,criterion,question,answer\n";
    let good = "n.okafor@example.org,R01,answerability,1,yes\n";
    for (bad, field) in [
        ("n.okafor@example.org,R01,relevance,1,yes\n", "`criterion`"),
        ("n.okafor@example.org,R01,burden_reduction,2,yes\n", "`question`"),
        ("n.okafor@example.org,R01,answerability,0,yes\n", "`question`"),
        ("n.okafor@example.org,R01,answerability,1,maybe\n", "`answer`"),
    ] {
        let file = write("answers.csv", &format!("{header}{good}{bad}"));
        let line = cli.refused(&["responses", "import", SLUG, file.to_str().unwrap()]);
        assert!(line.contains("line 3") && line.contains(field), "{bad}: {line}");
    }
    cli.ok(&["round", "close", SLUG]);
    let (_, rows) = parse_csv(&cli.ok(&["results", SLUG, "--format", "csv"]));
    assert!(rows.iter().all(|r| r["n"] == "0"), "nothing was saved: {rows:?}");
}

/// The API's results endpoint returns the rows `delphi results` prints, as CSV and as JSON.
#[tokio::test]
async fn the_api_gives_the_same_scores() {
    use crate::support::api::Api;
    use crate::support::app::spawn_app;
    use crate::support::sign_in::PASSWORD;

    let app = spawn_app().await;
    let cli = Cli::new(&app.database).quiet();
    cli.ok_with_input(
        &["admin", "add", "--email", "ada@example.org", "--name", "Ada"],
        &format!("{PASSWORD}\n{PASSWORD}\n"),
    );
    let token = cli
        .ok(&[
            "token",
            "create",
            "--email",
            "ada@example.org",
            "--label",
            "chnri",
        ])
        .trim()
        .to_string();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    cli.ok(&[
        "study",
        "grant",
        SLUG,
        "--email",
        "ada@example.org",
        "--role",
        "owner",
    ]);
    cli.ok(&["round", "open", SLUG]);
    let file = answers_file(app.database.dir.path());
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);

    let api = Api::new(&app, &token);
    for (query, args) in [
        ("format=csv", vec!["results", SLUG, "--format", "csv"]),
        (
            "round=1&by_group=true&format=csv",
            vec!["results", SLUG, "--round", "1", "--by-group", "--format", "csv"],
        ),
    ] {
        let (status, text) = api.text(&format!("/api/v1/studies/{SLUG}/results?{query}")).await;
        assert_eq!(status, 200, "{text}");
        assert_eq!(text, cli.ok(&args), "{query}");
    }
    let (status, json) = api
        .json(
            reqwest::Method::GET,
            &format!("/api/v1/studies/{SLUG}/results"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["criteria"].as_array().map(Vec::len), Some(CRITERIA.len()));
    assert_eq!(json["lines"].as_array().map(Vec::len), Some(ITEMS.len()));
    assert_eq!(json["lines"][0]["rank"], 1);
}

/// The expert's page of a CHNRI round without JavaScript: every item with each criterion's
/// questions and four answers, a Save that keeps the answers, a wrong value refused with nothing
/// saved, the French wording, the autosave endpoint, and Submit.
#[tokio::test]
async fn an_expert_answers_a_chnri_round_without_javascript() {
    use crate::support::app::spawn_app;
    use crate::support::forms::{location, post_form};
    use crate::support::rounds::open_round_with_links;

    let app = spawn_app().await;
    let cli = Cli::new(&app.database).quiet();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    let mut conn = app.db.get().unwrap();
    let links = open_round_with_links(&app, &mut conn, SLUG);
    let study_id = delphi::service::studies::load(&mut conn, SLUG).unwrap().id;
    let experts = delphi::db::models::experts::Expert::of_study(&mut conn, study_id).unwrap();
    let by_email = |email: &str| {
        let expert = experts
            .iter()
            .find(|e| e.email.as_deref() == Some(email))
            .unwrap();
        links[&expert.id].clone()
    };
    let token = by_email("n.okafor@example.org");

    let page = app.text(&format!("/r/{token}")).await;
    assert!(
        page.contains("Answerability") && page.contains("Effect on equity"),
        "{page}"
    );
    let questions: usize = CRITERIA.iter().map(|c| c.1).sum();
    assert_eq!(
        page.matches("value=\"undecided\"").count(),
        ITEMS.len() * questions
    );
    assert!(
        page.contains("Informed but undecided") && page.contains("Don&#x27;t know")
            || page.contains("Don't know")
    );
    assert!(
        page.contains(&format!("0 of {} questions answered", ITEMS.len() * questions)),
        "{page}"
    );

    // Save: the answers stay, the page says so.
    let response = post_form(
        &app,
        &format!("/r/{token}"),
        &[
            ("q.R01.answerability.1", "yes"),
            ("q.R01.answerability.2", "undecided"),
            ("q.R02.equity.2", "dont_know"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).ends_with("?saved=1"));
    let page = app.text(&format!("/r/{token}")).await;
    assert!(
        page.contains("name=\"q.R01.answerability.2\" value=\"undecided\" checked"),
        "{page}"
    );
    assert!(page.contains(&format!("3 of {} questions answered", ITEMS.len() * questions)));

    // A value that is not an answer: refused, named, and nothing of the post saved.
    let response = post_form(
        &app,
        &format!("/r/{token}"),
        &[
            ("q.R03.answerability.1", "yes"),
            ("q.R01.answerability.1", "maybe"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("class=\"errsum\"") && page.contains("maybe"),
        "{page}"
    );
    assert!(!page.contains("name=\"q.R03.answerability.1\" value=\"yes\" checked"));

    // Autosave of one answer.
    let response = post_form(
        &app,
        &format!("/r/{token}/chnri"),
        &[("field", "q.R04.equity.1"), ("answer", "no")],
    )
    .await;
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["progress"]["answered"], 4);

    // A French-speaking expert reads the French criteria and answers.
    let french = app
        .text(&format!("/r/{}", by_email("s.benali@example.org")))
        .await;
    assert!(
        french.contains("Faisabilité de la recherche") && french.contains("Je ne sais pas"),
        "{french}"
    );

    // Submit saves and submits.
    let response = post_form(
        &app,
        &format!("/r/{token}"),
        &[("q.R05.equity.1", "yes"), ("action", "submit")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).ends_with("/done"));
    drop(conn);
    cli.ok(&["round", "close", SLUG]);
    let (_, rows) = parse_csv(&cli.ok(&["results", SLUG, "--format", "csv"]));
    let r01 = rows.iter().find(|r| r["item_code"] == "R01").unwrap();
    assert_eq!((r01["n"].as_str(), r01["cs_answerability"].as_str()), ("1", "75"));
}

/// The console's round results of a CHNRI study: the ranked table with each criterion's score,
/// RPS, wRPS, AEA and threshold flags, pooled and per group, a chart per item; the report says
/// the same.
#[tokio::test]
async fn the_console_and_the_report_show_the_ranked_scores() {
    use crate::support::app::spawn_app;
    use crate::support::sign_in::{add_owner, Session};

    let app = spawn_app().await;
    let cli = Cli::new(&app.database).quiet();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG]);
    let file = answers_file(app.database.dir.path());
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    add_owner(&app.db, SLUG, "ada@example.org");
    let session = Session::sign_in(&app, "ada@example.org").await;

    let (_, rows) = parse_csv(&cli.ok(&["results", SLUG, "--format", "csv"]));
    let page = session.page(&format!("/console/s/{SLUG}/results/1")).await;
    assert!(
        page.contains("Maximum potential for disease burden reduction") && page.contains("wRPS"),
        "{page}"
    );
    assert_eq!(page.matches("<svg class=\"cs\"").count(), ITEMS.len());
    // The charts name the criteria as the study does, not by their keys.
    assert!(
        page.contains("<title>Answerability</title>Answerability<"),
        "{page}"
    );
    assert!(!page.contains("\">answerability</text>"), "{page}");
    // Rows in rank order, as results.csv lists them.
    let positions: Vec<usize> = rows
        .iter()
        .map(|r| page.find(&format!("<code>{}</code>", r["item_code"])).unwrap())
        .collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted);
    let groups = session
        .page(&format!("/console/s/{SLUG}/results/1?view=groups"))
        .await;
    assert_eq!(groups.matches("<svg class=\"cs\"").count(), ITEMS.len() * 2);
    let overview = session.page(&format!("/console/s/{SLUG}/results")).await;
    assert!(
        overview.contains("chnri_answers.csv") && !overview.contains("ratings.csv"),
        "{overview}"
    );

    let report = session.page(&format!("/console/s/{SLUG}/report")).await;
    assert!(
        report.contains("wRPS") && report.contains("<svg class=\"cs\""),
        "{report}"
    );
    assert!(report.contains("<title>Answerability</title>"), "{report}");
}

/// "Preview as an expert" of a CHNRI study shows the CHNRI page (not the rating form), whose
/// form only comes back to the preview; a test expert rehearses the round on the CHNRI page
/// too, the Test run page counts their answered items, and their answers count nowhere: the
/// results are those of the panel's answers alone.
#[tokio::test]
async fn the_preview_and_the_test_run_show_the_chnri_page() {
    use delphi::db::models::chnri_answers::ChnriAnswerRow;
    use delphi::db::models::rounds::Round;

    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::forms::{post_form, unescape};
    use crate::support::sign_in::{add_owner, Session};
    use crate::test_mode::test_link;

    let app = spawn_app_keeping_emails().await;
    let cli = Cli::new(&app.database).quiet();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    add_owner(&app.db, SLUG, "ada@example.org");
    let me = Session::sign_in(&app, "ada@example.org").await;
    let questions: usize = CRITERIA.iter().map(|c| c.1).sum();
    let total = ITEMS.len() * questions;

    let preview = me.page(&format!("/console/s/{SLUG}/preview")).await;
    assert!(preview.contains("class=\"preview-bar\""), "{preview}");
    assert_eq!(preview.matches("value=\"undecided\"").count(), total, "{preview}");
    assert!(preview.contains("Effect on equity") && !preview.contains("id=\"rating\""));
    assert!(
        preview.contains("<form method=\"get\" action=\"/console/s/chnri-lactation/preview\" id=\"chnri\"")
            && !preview.contains("action=\"/r/")
            && !preview.contains("chnri.js"),
        "{preview}"
    );
    // Its Save shows what was chosen and says nothing was saved.
    let saved = unescape(
        &me.page(&format!(
            "/console/s/{SLUG}/preview?lang=en&round=1&q.R01.answerability.1=yes&action=save"
        ))
        .await,
    );
    assert!(
        saved.contains("name=\"q.R01.answerability.1\" value=\"yes\" checked")
            && saved.contains("This is a preview: nothing was saved.")
            && saved.contains(&format!("1 of {total} questions answered")),
        "{saved}"
    );
    let submitted = unescape(
        &me.page(&format!("/console/s/{SLUG}/preview?round=1&action=submit"))
            .await,
    );
    assert!(
        submitted.contains("nothing was saved or submitted"),
        "{submitted}"
    );
    // A value that is not an answer is named, as the experts' page names it.
    let bad = me
        .page(&format!(
            "/console/s/{SLUG}/preview?q.R01.equity.1=maybe&action=save"
        ))
        .await;
    assert!(bad.contains("class=\"errsum\"") && bad.contains("maybe"), "{bad}");
    // In French, the criteria and the answers are the French ones.
    let french = me.page(&format!("/console/s/{SLUG}/preview?lang=fr")).await;
    assert!(french.contains("Faisabilité de la recherche") && french.contains("Je ne sais pas"));

    // A test expert rehearses round 1 before it opens: the CHNRI page.
    let invited = me
        .post(
            &format!("/console/s/{SLUG}/test"),
            &[
                ("email", "tess@example.org"),
                ("name", "Tess"),
                ("group", "researcher"),
                ("language", ""),
            ],
        )
        .await;
    assert_eq!(invited.status(), 303);
    let (token, _) = test_link(&app, "tess@example.org");
    let page = app.text(&format!("/r/{token}")).await;
    assert_eq!(page.matches("value=\"undecided\"").count(), total, "{page}");
    assert!(page.contains("Test run: your answers are kept apart"), "{page}");
    let mut answers: Vec<(String, &str)> = Vec::new();
    for item in ITEMS {
        for (criterion, n, ..) in CRITERIA {
            for q in 1..=n {
                // One question left blank, so that what is counted is what was answered.
                if (item, criterion, q) != ("R06", "equity", 1) {
                    answers.push((format!("q.{item}.{criterion}.{q}"), "yes"));
                }
            }
        }
    }
    answers.push(("action".into(), "save"));
    let form: Vec<(&str, &str)> = answers.iter().map(|(f, v)| (f.as_str(), *v)).collect();
    assert_eq!(post_form(&app, &format!("/r/{token}"), &form).await.status(), 303);
    let run = unescape(&me.page(&format!("/console/s/{SLUG}/test")).await);
    assert!(run.contains("6 of 6"), "{run}");

    // The round opens with the panel; the panel answers; the test expert's answers stay apart.
    cli.ok(&["round", "open", SLUG]);
    let file = answers_file(app.database.dir.path());
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);
    let (_, pooled) = parse_csv(&cli.ok(&["results", SLUG, "--format", "csv"]));
    check(&pooled, EXPERTS.len(), |_| true);
    {
        let mut conn = app.db.get().unwrap();
        let study = delphi::service::studies::load(&mut conn, SLUG).unwrap();
        let round = Round::by_number(&mut conn, study.id, 1).unwrap().unwrap();
        let tess = delphi::db::models::experts::Expert::tests_of_study(&mut conn, study.id).unwrap();
        let kept = ChnriAnswerRow::of_expert(&mut conn, round.id, tess[0].id).unwrap();
        assert_eq!(kept.len(), total - 1, "the test expert's answers are kept, apart");
    }
    let exported = me
        .get(&format!("/console/s/{SLUG}/export/chnri_answers.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !exported.contains("T001") && exported.contains("E001"),
        "{exported}"
    );

    // Clearing the test expert's answers removes them.
    let cleared = me.post(&format!("/console/s/{SLUG}/test/T001/clear"), &[]).await;
    assert_eq!(cleared.status(), 303);
    assert!(
        cleared.headers()["location"]
            .to_str()
            .unwrap()
            .contains(&format!("n={}", total - 1)),
        "{:?}",
        cleared.headers()
    );
}

/// A JSON value against the CSV cell of the same column: `null` for an empty cell, the same
/// number, the same text, a list for `;`-separated keys, and a time to the microsecond where
/// the CSV has it to the second.
fn same_as_cell(value: &serde_json::Value, column: &str, cell: &str) -> bool {
    use serde_json::Value;
    match value {
        Value::Null => cell.is_empty(),
        Value::Number(n) => cell.parse::<f64>().ok() == n.as_f64(),
        Value::String(s) if column == "saved_at" => s.starts_with(cell.trim_end_matches('Z')),
        Value::String(s) => s == cell,
        Value::Array(keys) => {
            keys.iter()
                .map(|k| k.as_str().unwrap_or("?"))
                .collect::<Vec<_>>()
                .join(";")
                == cell
        }
        _ => false,
    }
}

/// The JSON document carries a CHNRI study's scores as results.csv and results_by_group.csv
/// give them and its answers as chnri_answers.csv; the report reads as a CHNRI report from top
/// to bottom, without the rating study's sections, and gives the top-ranked item's RPS as
/// results.csv does.
#[test]
fn the_json_document_and_the_report_carry_the_chnri_scores() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let work = database.dir.path();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG]);
    let file = answers_file(work);
    cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    cli.ok(&["round", "close", SLUG]);

    let export = |format: &str, name: &str| {
        let out = work.join(name);
        cli.export(SLUG, format, &out);
        out
    };
    let json = std::fs::read_to_string(export("json", "study.json")).unwrap();
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    let csv_dir = export("csv", "csv");
    let read = |name: &str| parse_csv(&std::fs::read_to_string(csv_dir.join(name)).unwrap());
    for (key, file) in [
        ("chnri_results", "results.csv"),
        ("chnri_results_by_group", "results_by_group.csv"),
        ("chnri_answers", "chnri_answers.csv"),
    ] {
        let (header, rows) = read(file);
        let lines = document[key]
            .as_array()
            .unwrap_or_else(|| panic!("no {key}: {json}"));
        assert!(!rows.is_empty(), "{file}");
        assert_eq!(lines.len(), rows.len(), "{key}");
        for (line, row) in lines.iter().zip(&rows) {
            assert_eq!(
                line.as_object().map(|o| o.len()),
                Some(header.len()),
                "{key}: {line}"
            );
            for column in &header {
                assert!(
                    same_as_cell(&line[column.as_str()], column, &row[column]),
                    "{key}, {column}: {} against {:?}",
                    line[column.as_str()],
                    row[column]
                );
            }
        }
    }
    for key in [
        "format",
        "study",
        "rounds",
        "results",
        "consensus",
        "participants",
        "ratings",
    ] {
        assert!(document.get(key).is_some(), "{key} is kept");
    }
    assert!(document.get("ideas").is_none() && document.get("rankings").is_none());

    let report = std::fs::read_to_string(export("html", "report.html")).unwrap();
    for heading in [
        "Definition of consensus",
        "Item flow",
        "Final consensus list",
        "Distribution of scores per item",
        "Sensitivity to the definition of consensus",
        "Stability between rounds",
        "Attrition",
    ] {
        assert!(!report.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(report.contains("<h2>Method: CHNRI scoring</h2>"), "{report}");
    assert!(report.contains("<li>Would you say the research question is well framed"));
    assert!(report.contains("Outcome: items ranked"));
    let (_, pooled) = read("results.csv");
    let top = &pooled[0];
    assert_eq!(top["rank"], "1");
    let rps: f64 = top["rps"].parse().unwrap();
    let table = &report[report.find("<section id=\"chnri\">").unwrap()..];
    let start = table.find(&format!("<code>{}</code>", top["item_code"])).unwrap();
    let row = &table[start..start + table[start..].find("</tr>").unwrap()];
    assert!(
        row.contains(&format!("<td class=\"n\">{rps:.1}</td>")),
        "{rps} in {row}"
    );
    // Per stakeholder group too, named by the group's name.
    assert!(
        report.contains("<caption>Researchers: the same scores"),
        "{report}"
    );
}

/// The results of the example study once `import` has written the answers file into its open
/// round and the round is closed: `delphi results --format csv` on `database`.
pub(crate) fn results_after(database: &TestDatabase, import: impl FnOnce(&Cli, &Path)) -> String {
    let cli = Cli::new(database).quiet();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG]);
    import(&cli, &answers_file(database.dir.path()));
    cli.ok(&["round", "close", SLUG]);
    cli.ok(&["results", SLUG, "--format", "csv"])
}

/// The console (preview, then confirm) and the API import CHNRI answers through the import the
/// command line uses: the same file gives the same scores. Wrong columns, an unknown expert and
/// a bad answer are refused by line and column, with nothing saved.
#[tokio::test]
async fn the_console_and_the_api_import_chnri_answers_as_the_command_line_does() {
    use delphi::db::models::chnri_answers::ChnriAnswerRow;
    use reqwest::Method;
    use serde_json::json;

    use crate::responses_import::{confirm, owner, preview};
    use crate::support::api::Api;
    use crate::support::app::spawn_app;
    use crate::support::rounds::current_round;
    use crate::support::sign_in::api_token;

    let reference = TestDatabase::new();
    let expected = results_after(&reference, |cli, file| {
        cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
    });

    let app = spawn_app().await;
    let cli = Cli::new(&app.database).quiet();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG]);
    let me = owner(&app, SLUG).await;
    let saved = || {
        let mut conn = app.db.get().unwrap();
        let round = current_round(&mut conn, SLUG);
        ChnriAnswerRow::of_round(&mut conn, round.id).unwrap().len()
    };
    let page =
        crate::support::forms::unescape(&me.page(&format!("/console/s/{SLUG}/import/responses")).await);
    assert!(
        page.contains("This is a CHNRI study") && page.contains("expert,item,criterion,question,answer"),
        "{page}"
    );
    assert!(
        page.contains("answerability (1–3)"),
        "the criteria and their questions: {page}"
    );
    let template = me
        .get(&format!("/console/s/{SLUG}/import/responses/template.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        template.lines().next(),
        Some("\u{feff}expert,item,criterion,question,answer"),
        "{template}"
    );
    assert!(template.contains(",answerability,1,yes"), "{template}");

    // Refused, each named by line and column, and nothing saved.
    let header = "expert,item,criterion,question,answer\n";
    let good = "n.okafor@example.org,R01,answerability,1,yes\n";
    for (bad, named) in [
        (
            "expert,item,score\nn.okafor@example.org,R01,7\n".to_owned(),
            "answers.csv: this study takes CHNRI answers, one row per question now: its responses file has the columns expert,item,criterion,question,answer",
        ),
        (
            format!("{header}{good}nobody@example.org,R01,answerability,1,yes\n"),
            "answers.csv: line 3, field `expert`",
        ),
        (
            format!("{header}{good}n.okafor@example.org,R01,answerability,2,maybe\n"),
            "answers.csv: line 3, field `answer`: `maybe` is not one of yes, undecided, no, dont_know",
        ),
    ] {
        let (status, html) = preview(&me, SLUG, "answers.csv", &bad).await;
        assert_eq!(status, 422, "{bad}: {html}");
        assert!(html.contains(named), "{named}: {html}");
    }
    assert_eq!(saved(), 0);

    let file = std::fs::read_to_string(answers_file(app.database.dir.path())).unwrap();
    let rows = file.lines().count() - 1;
    let (status, html) = preview(&me, SLUG, "answers.csv", &file).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(&format!(
            "Round 1: {rows} rows from 6 experts on 6 items. {rows} answers will be saved and 0 removed."
        )),
        "{html}"
    );
    assert_eq!(saved(), 0, "a preview writes nothing");
    assert_eq!(
        confirm(&me, SLUG, &html).await,
        format!("/console/s/{SLUG}?done=responses&n={rows}")
    );
    assert_eq!(saved(), rows);
    cli.ok(&["round", "close", SLUG]);
    assert_eq!(cli.ok(&["results", SLUG, "--format", "csv"]), expected);

    // The API, with the same rows as JSON.
    let api_app = spawn_app().await;
    let api_cli = Cli::new(&api_app.database).quiet();
    api_cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    api_cli.ok(&["round", "open", SLUG]);
    crate::support::sign_in::add_owner(&api_app.db, SLUG, "api@example.org");
    let api = Api::new(&api_app, &api_token(&api_app.db, "api@example.org", "chnri"));
    let path = format!("/api/v1/studies/{SLUG}/responses");
    let wrong = api
        .expect(
            Method::POST,
            &path,
            Some(&json!([{ "expert": "n.okafor@example.org", "item": "R01", "score": 7 }])),
            422,
        )
        .await;
    assert!(
        wrong.to_string().contains("this study takes CHNRI answers now: each row has the keys expert, item, criterion, question, answer"),
        "{wrong}"
    );
    let bad = api
        .expect(
            Method::POST,
            &path,
            Some(&json!([
                { "expert": "n.okafor@example.org", "item": "R01", "criterion": "answerability", "question": 1, "answer": "yes" },
                { "expert": "n.okafor@example.org", "item": "R01", "criterion": "answerability", "question": 2, "answer": "maybe" },
            ])),
            422,
        )
        .await;
    assert!(bad.to_string().contains("answers[2].answer"), "{bad}");
    let body: Vec<serde_json::Value> = file
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            json!({
                "expert": cells[0], "item": cells[1], "criterion": cells[2],
                "question": cells[3].parse::<u32>().unwrap(), "answer": cells[4],
            })
        })
        .collect();
    let imported = api.expect(Method::POST, &path, Some(&json!(body)), 200).await;
    assert_eq!(imported["saved"], rows, "{imported}");
    assert_eq!(imported["experts"], 6, "{imported}");
    api_cli.ok(&["round", "close", SLUG]);
    assert_eq!(api_cli.ok(&["results", SLUG, "--format", "csv"]), expected);
}
