//! Ideas before round 1, from the command line only: a study with `[ideas]`, the ideas round
//! opened, proposals entered (imported), closed, every proposal merged or set aside, round 1
//! opened with the new items carrying their provenance, and ideas.csv checked row by row.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::files::parse_csv;
use crate::support::fixtures::{example_files, example_study_in};

const SLUG: &str = "ideas-study";

/// The example study with `[ideas]` over two sections (and its prompt in French).
fn study_with_ideas(dir: &Path) -> std::path::PathBuf {
    let path = example_study_in(dir, SLUG);
    let toml = std::fs::read_to_string(&path).unwrap();
    let toml = toml.replacen(
        "[translations.fr]\n",
        "[ideas]\nprompt = \"Which indicators or research questions are missing?\"\nper_expert = 2\nsections = [\"research\", \"maternal\"]\n\n[translations.fr]\nideas_prompt = \"Quels indicateurs ou questions de recherche manquent ?\"\n",
        1,
    );
    assert!(toml.contains("[ideas]"));
    std::fs::write(&path, toml).unwrap();
    path
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn an_ideas_round_feeds_round_1() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let work = database.dir.path();
    let ex = example_files();
    let experts: Vec<&str> = ex.experts.iter().map(|(email, _)| email.as_str()).collect();

    // A study without [ideas] has no ideas round.
    let plain = example_study_in(work, "plain-study");
    cli.ok(&["study", "create", plain.to_str().unwrap()]);
    let refused = cli.refused(&["round", "open", "plain-study", "--ideas"]);
    assert!(refused.contains("has no [ideas] table"), "{refused}");

    let path = study_with_ideas(work);
    cli.ok(&["study", "create", path.to_str().unwrap()]);
    let opened = cli.ok(&["round", "open", SLUG, "--ideas"]);
    assert!(
        opened.contains(&format!(
            "the ideas round of `{SLUG}` is open: {} experts invited to propose items, {} emails queued",
            experts.len(),
            experts.len()
        )),
        "{opened}"
    );
    // The invitation says what is asked.
    let outbox = cli.ok(&["outbox", "--study", SLUG]);
    assert!(
        outbox.contains("your ideas, before round 1") || outbox.contains("vos idées"),
        "{outbox}"
    );
    assert!(!outbox.contains("round 0"), "{outbox}");
    let again = cli.refused(&["round", "open", SLUG, "--ideas"]);
    assert!(
        again.contains("still open") || again.contains("already opened"),
        "{again}"
    );
    // No rating round while the ideas round is open.
    let refused = cli.refused(&["round", "open", SLUG]);
    assert!(refused.contains("ideas round"), "{refused}");

    // A bad file saves nothing, and names line and column.
    let bad = write(
        work,
        "bad.csv",
        &format!(
            "expert,section,text,rationale\n{e0},research,Iodine in lactation,\n{e0},infant,Sleep,\nnobody@example.org,research,X,\n",
            e0 = experts[0]
        ),
    );
    let refused = cli.refused(&["ideas", "import", SLUG, &bad]);
    assert!(
        refused.contains("line 3") && refused.contains("section"),
        "{refused}"
    );
    assert!(cli.ok(&["ideas", "list", SLUG]).starts_with("0 proposals"));
    let too_many = write(
        work,
        "too-many.csv",
        &format!(
            "expert,section,text\n{e},research,A\n{e},research,B\n{e},research,C\n",
            e = experts[1]
        ),
    );
    let refused = cli.refused(&["ideas", "import", SLUG, &too_many]);
    assert!(refused.contains("per_expert"), "{refused}");

    let proposals = write(
        work,
        "proposals.csv",
        &format!(
            "expert,section,text,rationale\n\
             {e0},research,Effect of iodine supplementation in lactation on infant neurodevelopment,\"Rarely studied, cheap\"\n\
             {e1},research,Iodine supplements for breastfeeding mothers and child development,\n\
             {e2},maternal,Haemoglobin measured on venous blood,\n\
             {e3},maternal,Ferritin adjusted for inflammation,Same as M02\n\
             {e4},research,Does vitamin A supplementation of mothers reduce infant mortality?,\n\
             {e5},maternal,Household food insecurity score,\n\
             {e6},research,Something about nutrition,\n\
             {e0},maternal,Serum zinc concentration,=1+1\n",
            e0 = experts[0],
            e1 = experts[1],
            e2 = experts[2],
            e3 = experts[3],
            e4 = experts[4],
            e5 = experts[5],
            e6 = experts[6],
        ),
    );
    let imported = cli.ok(&["ideas", "import", SLUG, &proposals]);
    assert!(
        imported.contains("8 proposals saved") && imported.contains("P001 to P008"),
        "{imported}"
    );
    let closed = cli.ok(&["round", "close", SLUG]);
    assert!(
        closed.contains("the ideas round of `ideas-study` is closed: 8 proposals"),
        "{closed}"
    );

    // Round 1 waits for every proposal.
    let refused = cli.refused(&["round", "open", SLUG]);
    assert!(refused.contains("8 proposals of the ideas round"), "{refused}");

    // Merged into a new item (two proposals), into an existing one; set aside for each reason.
    cli.ok(&[
        "ideas",
        "merge",
        SLUG,
        "P001",
        "P002",
        "--new",
        "R90",
        "--section",
        "research",
        "--text",
        "Effect of maternal iodine supplementation during lactation on infant neurodevelopment",
    ]);
    cli.ok(&["ideas", "merge", SLUG, "P003", "--into", "M01"]);
    cli.ok(&[
        "ideas",
        "merge",
        SLUG,
        "P008",
        "--new",
        "M90",
        "--section",
        "maternal",
        "--text",
        "Serum zinc concentration",
    ]);
    let refused = cli.refused(&["ideas", "merge", SLUG, "P003", "--into", "M02"]);
    assert!(refused.contains("already processed"), "{refused}");
    let refused = cli.refused(&["ideas", "merge", SLUG, "P004", "--into", "Z99"]);
    assert!(refused.contains("Z99"), "{refused}");
    cli.ok(&["ideas", "set-aside", SLUG, "P004", "--reason", "duplicate"]);
    let refused = cli.refused(&["ideas", "set-aside", SLUG, "P005", "--reason", "already_answered"]);
    assert!(refused.contains(": --source:"), "{refused}");
    let refused = cli.refused(&["ideas", "set-aside", SLUG, "P005", "--reason", "irrelevant"]);
    assert!(refused.contains("--reason"), "{refused}");
    cli.ok(&[
        "ideas",
        "set-aside",
        SLUG,
        "P005",
        "--reason",
        "already_answered",
        "--source",
        "Imdad A et al. Cochrane Database Syst Rev 2016",
        "--link",
        "https://doi.org/10.1002/14651858.CD008524.pub3",
    ]);
    cli.ok(&["ideas", "set-aside", SLUG, "P006", "--reason", "out_of_scope"]);
    let refused = cli.refused(&["round", "open", SLUG]);
    assert!(
        refused.contains("1 proposal of the ideas round") && refused.contains("is not processed"),
        "{refused}"
    );
    cli.ok(&["ideas", "set-aside", SLUG, "P007", "--reason", "unclear"]);
    cli.ok(&[
        "ideas",
        "evidence",
        SLUG,
        "R90",
        "--citation",
        "Dold S et al. J Nutr 2017",
        "--link",
        "https://example.org/dold",
    ]);
    let refused = cli.refused(&[
        "ideas",
        "evidence",
        SLUG,
        "R90",
        "--citation",
        "x",
        "--link",
        "javascript:alert(1)",
    ]);
    assert!(refused.contains(": --link:"), "{refused}");

    let list = cli.ok(&["ideas", "list", SLUG]);
    assert!(list.starts_with("8 proposals, 0 not processed yet"), "{list}");
    assert!(list.contains("merged into R90"), "{list}");

    // Round 1: every item of the file, plus the two new ones.
    let opened = cli.ok(&["round", "open", SLUG]);
    assert!(
        opened.contains(&format!(
            "round 1 of `{SLUG}` is open: {} items",
            ex.items.len() + 2
        )),
        "{opened}"
    );
    let preview_refused = cli.refused(&["round", "open", SLUG, "--ideas"]);
    assert!(preview_refused.contains("already opened"), "{preview_refused}");

    // ideas.csv, row by row; pseudonyms from the identified participants.csv.
    let out = work.join("export");
    cli.export_identified(SLUG, &out);
    let (_, participants) = parse_csv(&std::fs::read_to_string(out.join("participants.csv")).unwrap());
    let pseudonym: BTreeMap<&str, &str> = participants
        .iter()
        .map(|p| (p["email"].as_str(), p["expert"].as_str()))
        .collect();
    let text = std::fs::read_to_string(out.join("ideas.csv")).unwrap();
    let (header, rows) = parse_csv(&text);
    assert_eq!(
        header,
        [
            "proposal",
            "expert",
            "section",
            "text",
            "rationale",
            "outcome",
            "item_code",
            "source"
        ]
    );
    let expected = [
        (
            "P001",
            0,
            "research",
            "Effect of iodine supplementation in lactation on infant neurodevelopment",
            "Rarely studied, cheap",
            "merged",
            "R90",
            "",
        ),
        (
            "P002",
            1,
            "research",
            "Iodine supplements for breastfeeding mothers and child development",
            "",
            "merged",
            "R90",
            "",
        ),
        (
            "P003",
            2,
            "maternal",
            "Haemoglobin measured on venous blood",
            "",
            "merged",
            "M01",
            "",
        ),
        (
            "P004",
            3,
            "maternal",
            "Ferritin adjusted for inflammation",
            "Same as M02",
            "duplicate",
            "",
            "",
        ),
        (
            "P005",
            4,
            "research",
            "Does vitamin A supplementation of mothers reduce infant mortality?",
            "",
            "already_answered",
            "",
            "Imdad A et al. Cochrane Database Syst Rev 2016 <https://doi.org/10.1002/14651858.CD008524.pub3>",
        ),
        (
            "P006",
            5,
            "maternal",
            "Household food insecurity score",
            "",
            "out_of_scope",
            "",
            "",
        ),
        (
            "P007",
            6,
            "research",
            "Something about nutrition",
            "",
            "unclear",
            "",
            "",
        ),
        // A formula-like rationale is neutralised like every text cell.
        (
            "P008",
            0,
            "maternal",
            "Serum zinc concentration",
            "'=1+1",
            "merged",
            "M90",
            "",
        ),
    ];
    assert_eq!(rows.len(), expected.len(), "{text}");
    for (row, (code, expert, section, text, rationale, outcome, item, source)) in rows.iter().zip(expected) {
        assert_eq!(row["proposal"], code);
        assert_eq!(row["expert"], pseudonym[experts[expert]], "{code}");
        assert_eq!(row["section"], section, "{code}");
        assert_eq!(row["text"], text, "{code}");
        assert_eq!(row["rationale"], rationale, "{code}");
        assert_eq!(row["outcome"], outcome, "{code}");
        assert_eq!(row["item_code"], item, "{code}");
        assert_eq!(row["source"], source, "{code}");
    }
    // The ideas round is not a round of the other exports (round 1 is the first rating round):
    // its closing counts in nobody's invited rounds.
    assert!(
        participants.iter().all(|p| p["invited_rounds"] == "0"),
        "{participants:?}"
    );
    // The report draws the flow; the data package has ideas.csv and its codebook entry.
    let report = work.join("report.html");
    cli.export(SLUG, "html", &report);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("Ideas before round 1"),
        "the report has the ideas flow"
    );
    assert!(html.contains("8 proposals"));
    assert!(html.contains("4 merged into items · 1 set aside: out of scope · 1 set aside: duplicate · 1 set aside: already answered · 1 set aside: unclear"));
    assert!(
        html.contains("3 not rated yet"),
        "round 1 is open, so nothing is rated yet"
    );
    let files = cli.package(SLUG, &work.join("package.zip"));
    assert_eq!(files["ideas.csv"], text);
    assert!(files["codebook.md"].contains("## ideas.csv"));
    // The JSON document lists the same proposals, its empty cells null.
    let json = work.join("study.json");
    cli.export(SLUG, "json", &json);
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let (header, csv_rows) = parse_csv(&text);
    let proposals = document["ideas"].as_array().unwrap();
    assert_eq!(proposals.len(), csv_rows.len());
    for (proposal, row) in proposals.iter().zip(&csv_rows) {
        for column in &header {
            let cell = row[column].strip_prefix('\'').unwrap_or(&row[column]);
            assert_eq!(
                proposal[column.as_str()].as_str().unwrap_or_default(),
                cell,
                "{column}"
            );
        }
    }
    assert_eq!(document["ideas_flow"]["received"], csv_rows.len());
    // A study without [ideas] exports what it always did.
    let plain_out = work.join("plain-export");
    cli.export_csv("plain-study", &plain_out);
    assert!(!plain_out.join("ideas.csv").exists());
}

/// The migration rebuilds `rounds` on SQLite (round 0 needs a new CHECK): down and up again on
/// a study with rounds, invitations and emails keep every row that refers to a round.
#[test]
fn the_ideas_migration_keeps_what_refers_to_rounds() {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    let database = TestDatabase::new();
    let cli = Cli::new(&database).quiet();
    let path = study_with_ideas(database.dir.path());
    cli.ok(&["study", "create", path.to_str().unwrap()]);
    cli.ok(&["round", "open", SLUG]);
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let count = |conn: &mut delphi::db::DbConnection, table: &str| {
        diesel::sql_query(format!("SELECT COUNT(*) AS count FROM {table}"))
            .get_result::<Count>(conn)
            .unwrap()
            .count
    };
    let tables = ["rounds", "round_items", "invitations", "invitation_tokens"];
    let before: Vec<i64> = tables.iter().map(|t| count(&mut conn, t)).collect();
    assert!(before.iter().all(|n| *n > 0), "{before:?}");
    let folder = match conn.backend() {
        delphi::db::Backend::Sqlite => "sqlite",
        delphi::db::Backend::Postgres => "postgres",
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(folder)
        .join("2026-12-06-000008_ideas");
    for file in ["down.sql", "up.sql"] {
        conn.batch_execute(&std::fs::read_to_string(dir.join(file)).unwrap())
            .unwrap();
    }
    let after: Vec<i64> = tables.iter().map(|t| count(&mut conn, t)).collect();
    assert_eq!(before, after);
}

/// The API opens the ideas round with `"kind": "ideas"`, refuses round 1 while a proposal is
/// pending, and serves ideas.csv.
#[tokio::test]
async fn the_api_opens_the_ideas_round_by_kind() {
    use reqwest::Method;
    use serde_json::json;

    use crate::support::api::Api;
    use crate::support::app::spawn_app;

    let app = spawn_app().await;
    let token = crate::api::facilitator_with_token(&app.database, "ada@example.org");
    let cli = Cli::new(&app.database).quiet();
    let path = study_with_ideas(app.database.dir.path());
    cli.ok(&[
        "study",
        "create",
        path.to_str().unwrap(),
        "--owner",
        "ada@example.org",
    ]);
    let api = Api::new(&app, &token);
    let rounds = format!("/api/v1/studies/{SLUG}/rounds");
    let bogus = api
        .expect(Method::POST, &rounds, Some(&json!({ "kind": "bogus" })), 422)
        .await;
    assert!(bogus.to_string().contains("kind"), "{bogus}");
    let opened = api
        .expect(Method::POST, &rounds, Some(&json!({ "kind": "ideas" })), 201)
        .await;
    assert_eq!(opened["number"], 0, "{opened}");
    let file = write(
        app.database.dir.path(),
        "p.csv",
        &format!(
            "expert,section,text\n{},research,Iodine\n",
            example_files().experts[0].0
        ),
    );
    cli.ok(&["ideas", "import", SLUG, &file]);
    let closed = api
        .expect(Method::POST, &format!("{rounds}/current/close"), None, 200)
        .await;
    assert_eq!(closed["proposals"], 1, "{closed}");
    let refused = api.expect(Method::POST, &rounds, Some(&json!({})), 409).await;
    assert!(
        refused.to_string().contains("1 proposal of the ideas round"),
        "{refused}"
    );
    cli.ok(&["ideas", "set-aside", SLUG, "P001", "--reason", "unclear"]);
    let opened = api.expect(Method::POST, &rounds, Some(&json!({})), 201).await;
    assert_eq!(opened["number"], 1, "{opened}");
    let (status, text) = api
        .text(&format!("/api/v1/studies/{SLUG}/exports/ideas.csv"))
        .await;
    assert_eq!(status, 200);
    assert!(text.contains("P001,E001,research,Iodine,,unclear,,"), "{text}");
}

/// An expert proposes on their page over HTTP, without JavaScript: the prompt in their
/// language, a problem named in an error summary with nothing lost, then saved and shown again.
#[tokio::test]
async fn an_expert_proposes_on_their_page() {
    use delphi::service::ideas;

    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::fixtures::create_study_from;
    use crate::support::forms::post_form;
    use crate::support::rounds::{close_round, experts, open_ideas_round, speaking};

    let app = spawn_app_keeping_emails().await;
    let path = study_with_ideas(app.database.dir.path());
    create_study_from(&app.db, &path, None);
    let mut conn = app.db.get().unwrap();
    let links = open_ideas_round(&app, &mut conn, SLUG);
    let panel = experts(&mut conn, SLUG);
    let (french, english) = (speaking(&panel, "fr"), speaking(&panel, "en"));
    let page = |token: &str| format!("/r/{token}");

    let fr = app.text(&page(&links[&french.id])).await;
    assert!(
        fr.contains("Quels indicateurs ou questions de recherche manquent ?"),
        "{fr}"
    );
    assert!(fr.contains("Tour des idées"), "{fr}");

    let token = &links[&english.id];
    let en = app.text(&page(token)).await;
    assert!(en.contains("Which indicators or research questions are missing?"));
    // Two boxes per section (per_expert = 2), sections in the study's order, not the order
    // [ideas] lists them in; a section not listed has none.
    assert!(en.contains("name=\"t_research_2\"") && !en.contains("name=\"t_research_3\""));
    assert!(en.find("t_maternal_1").unwrap() < en.find("t_research_1").unwrap());
    assert!(!en.contains("t_infant_1"));

    // A reason without a proposal: refused, named, and nothing typed is lost.
    let refused = post_form(
        &app,
        &page(token),
        &[
            ("t_research_1", "Iodine in lactation"),
            ("w_research_1", "Rarely studied"),
            ("t_maternal_2", ""),
            ("w_maternal_2", "A reason alone"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("Your proposals were not saved"), "{body}");
    assert!(
        body.contains("href=\"#t_maternal_1\""),
        "the first maternal row is the one with a reason only: {body}"
    );
    assert!(body.contains(">Iodine in lactation</textarea>") && body.contains(">A reason alone</textarea>"));
    assert!(ideas::list(&mut conn, SLUG).unwrap().is_empty(), "nothing saved");

    let saved = post_form(
        &app,
        &page(token),
        &[
            ("t_research_1", "Iodine in lactation"),
            ("w_research_1", "Rarely studied"),
            ("t_maternal_1", "Serum zinc"),
            ("w_maternal_1", ""),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let again = app.text(&page(&format!("{token}?saved=1"))).await;
    assert!(again.contains("Your proposals are saved"));
    assert!(again.contains(">Iodine in lactation</textarea>") && again.contains(">Serum zinc</textarea>"));
    // Saving again the same proposals keeps their codes; a changed one gets a new code.
    post_form(
        &app,
        &page(token),
        &[
            ("t_research_1", "Iodine in lactation"),
            ("w_research_1", "Rarely studied"),
            ("t_maternal_1", "Serum zinc concentration"),
            ("action", "save"),
        ],
    )
    .await;
    let listed = ideas::list(&mut conn, SLUG).unwrap();
    let codes: Vec<(&str, &str)> = listed
        .iter()
        .map(|p| (p.code.as_str(), p.text.as_str()))
        .collect();
    // The page lists maternal first: P001 was the zinc, P002 the iodine.
    assert_eq!(
        codes,
        [
            ("P002", "Iodine in lactation"),
            ("P003", "Serum zinc concentration")
        ]
    );
    assert_eq!(listed[0].expert.as_deref(), Some(english.pseudonym.as_str()));

    // Once closed, the page says so.
    close_round(&mut conn, SLUG);
    let closed = app.text(&page(token)).await;
    assert!(closed.contains("The ideas round is closed"), "{closed}");
}

/// The console: the study page offers "Open an ideas round"; the ideas page closes it and
/// processes every proposal (merge into a new item, into an existing one, set aside with a
/// source); the content page shows each item's provenance and evidence.
#[tokio::test]
async fn the_console_triages_the_proposals() {
    use crate::support::app::spawn_app_keeping_emails;
    use crate::support::fixtures::create_study_from;
    use crate::support::rounds::links_of_round;
    use crate::support::sign_in::{add_facilitator, grant, Session};
    use delphi::domain::role::Role;

    let app = spawn_app_keeping_emails().await;
    let path = study_with_ideas(app.database.dir.path());
    create_study_from(&app.db, &path, None);
    add_facilitator(&app.db, "ed@example.org");
    grant(&app.db, SLUG, "ed@example.org", Role::Editor);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let study = ed.page(&format!("/console/s/{SLUG}")).await;
    assert!(study.contains("Open an ideas round"), "{study}");
    assert!(study.contains(&format!("/console/s/{SLUG}/ideas\"")));
    let base = format!("/console/s/{SLUG}/ideas");
    let page = ed.post_ok(&format!("{base}/open"), &[], "opened").await;
    assert!(page.contains("The ideas round is open"), "{page}");

    let cli = Cli::new(&app.database).quiet();
    let e = example_files().experts;
    let file = write(
        app.database.dir.path(),
        "p.csv",
        &format!(
            "expert,section,text,rationale\n{},research,Iodine in lactation,Rarely studied\n{},maternal,Haemoglobin again,\n{},research,Vitamin A and mortality,\n",
            e[0].0, e[1].0, e[2].0
        ),
    );
    cli.ok(&["ideas", "import", SLUG, &file]);
    let page = ed.post_ok(&format!("{base}/close"), &[], "closed").await;
    assert!(
        page.contains("3 proposals received, 3 not processed yet"),
        "{page}"
    );
    assert!(page.contains("Rarely studied"));

    // Round 1 is refused from the console too, with the count.
    let refused = ed
        .post_refused(
            &format!("/console/s/{SLUG}/rounds/open"),
            &[("deadline", "")],
            409,
        )
        .await;
    assert!(refused.contains("3 proposals of the ideas round"), "{refused}");

    ed.post_ok(
        &format!("{base}/P001"),
        &[
            ("decision", "new"),
            ("code", "R90"),
            ("section", "research"),
            ("text", "Maternal iodine in lactation"),
        ],
        "processed",
    )
    .await;
    ed.post_ok(
        &format!("{base}/P002"),
        &[("decision", "existing"), ("into", "M01")],
        "processed",
    )
    .await;
    let refused = ed
        .post_refused(
            &format!("{base}/P003"),
            &[("decision", "aside"), ("reason", "already_answered")],
            422,
        )
        .await;
    assert!(refused.contains("source"), "{refused}");
    let page = ed
        .post_ok(
            &format!("{base}/P003"),
            &[
                ("decision", "aside"),
                ("reason", "already_answered"),
                ("source", "Imdad 2016"),
                ("link", ""),
            ],
            "processed",
        )
        .await;
    assert!(
        page.contains("3 proposals received, 0 not processed yet"),
        "{page}"
    );
    assert!(page.contains("Set aside: already answered") && page.contains("Imdad 2016"));
    ed.post_ok(
        &format!("{base}/evidence"),
        &[
            ("item", "R90"),
            ("citation", "Dold 2017"),
            ("link", "https://example.org/dold"),
        ],
        "evidence",
    )
    .await;
    let content = ed.page(&format!("/console/s/{SLUG}/content")).await;
    assert!(content.contains("from proposals P001"), "{content}");
    assert!(content.contains("from proposals P002"));
    assert!(content.contains("Dold 2017"));
    // The suggestions page is for suggestions made while rating, not these proposals.
    let suggestions = ed.page(&format!("/console/s/{SLUG}/suggestions")).await;
    assert!(!suggestions.contains("Iodine in lactation"));

    // Round 1 opens; experts read the new item with its evidence as background.
    ed.post_ok(
        &format!("/console/s/{SLUG}/rounds/open"),
        &[("deadline", "")],
        "opened&n=1",
    )
    .await;
    let links = {
        let mut conn = app.db.get().unwrap();
        links_of_round(&app.database, &mut conn, SLUG, 1)
    };
    let token = links.values().next().unwrap();
    let rating = app.text(&format!("/r/{token}")).await;
    assert!(
        rating.contains("Maternal iodine in lactation"),
        "the new item is asked"
    );
    assert!(
        rating.contains("Dold 2017") && rating.contains("href=\"https://example.org/dold\""),
        "{rating}"
    );
}
