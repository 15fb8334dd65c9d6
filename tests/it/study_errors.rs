//! Every bad input of the study engine gets exit code 2, one line naming file, line or key and
//! the reason — and leaves the database as it was.

use std::path::Path;

use delphi::db::schema::{experts, items, ratings, studies};
use diesel::prelude::*;

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::fixtures::example;

const SMALL_STUDY: &str = r#"
slug = "small"
title = "Small study"
timezone = "Europe/Paris"

[scale]
min = 1
max = 9
bands = [
  { name = "Not important", from = 1, to = 3 },
  { name = "Important", from = 4, to = 6 },
  { name = "Critical", from = 7, to = 9 },
]
unable_to_score = true

[consensus]
preset = "comet"

[[group]]
key = "researcher"
name = "Researchers"

[[section]]
key = "maternal"
title = "Maternal"

[[item]]
code = "M01"
section = "maternal"
text = "Haemoglobin concentration"

[[item]]
code = "M02"
section = "maternal"
text = "Serum ferritin"
"#;

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

fn count<T>(
    database: &TestDatabase,
    query: impl FnOnce(&mut delphi::db::DbConnection) -> QueryResult<T>,
) -> T {
    let db = database.connect();
    let mut conn = db.get().unwrap();
    query(&mut conn).unwrap()
}

#[test]
fn bad_study_files_are_refused_with_file_key_and_reason() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let dir = database.dir.path();

    let typo = write(
        dir,
        "typo.toml",
        &SMALL_STUDY.replace("unable_to_score", "unable_to_scor"),
    );
    let line = cli.refused(&["study", "create", &typo]);
    assert!(
        line.contains("typo.toml") && line.contains("unable_to_scor"),
        "{line}"
    );

    let slug = write(
        dir,
        "slug.toml",
        &SMALL_STUDY.replace("\"small\"", "\"Small Study!\""),
    );
    let line = cli.refused(&["study", "create", &slug]);
    assert!(line.contains("slug.toml") && line.contains("slug"), "{line}");

    let section = write(
        dir,
        "section.toml",
        &SMALL_STUDY.replace(
            "section = \"maternal\"\ntext = \"Serum",
            "section = \"infant\"\ntext = \"Serum",
        ),
    );
    let line = cli.refused(&["study", "create", &section]);
    assert!(line.contains("infant"), "{line}");

    let rand = write(
        dir,
        "rand.toml",
        &SMALL_STUDY
            .replace("max = 9", "max = 5")
            .replace("to = 6 }", "to = 4 }")
            .replace("from = 7, to = 9", "from = 5, to = 5")
            .replace("preset = \"comet\"", "preset = \"rand-ucla\""),
    );
    let line = cli.refused(&["study", "create", &rand]);
    assert!(line.contains("rand-ucla") && line.contains("1–9"), "{line}");

    let contradictory = write(
        dir,
        "contradictory.toml",
        &SMALL_STUDY.replace(
            "preset = \"comet\"",
            "in = [ { stat = \"median\", at_least = 5 } ]\nout = [ { stat = \"mean\", at_most = 5 } ]",
        ),
    );
    let line = cli.refused(&["study", "create", &contradictory]);
    assert!(
        line.contains("both") && line.contains("c5"),
        "names the distribution: {line}"
    );

    let missing_items = write(
        dir,
        "missing.toml",
        &format!(
            "items = \"nope.csv\"\n{}",
            SMALL_STUDY.split("[[item]]").next().unwrap()
        ),
    );
    let line = cli.refused(&["study", "create", &missing_items]);
    assert!(line.contains("nope.csv"), "{line}");

    write(
        dir,
        "ragged.csv",
        "code,section,text\nM01,maternal,Haemoglobin\nM02,maternal\n",
    );
    let ragged_study = write(
        dir,
        "ragged.toml",
        &format!(
            "items = \"ragged.csv\"\n{}",
            SMALL_STUDY.split("[[item]]").next().unwrap()
        ),
    );
    let line = cli.refused(&["study", "create", &ragged_study]);
    assert!(line.contains("ragged.csv") && line.contains("line 3"), "{line}");

    assert_eq!(
        count(&database, |c| studies::table.count().get_result::<i64>(c)),
        0,
        "nothing written"
    );

    let good = write(dir, "good.toml", SMALL_STUDY);
    assert_eq!(cli.ok(&["study", "create", &good]).trim(), "small");
    let line = cli.refused(&["study", "create", &good]);
    assert!(line.contains("already exists"), "{line}");
    let line = cli.refused(&["study", "show", "nope"]);
    assert!(line.contains("no study with slug `nope`"), "{line}");
}

#[test]
fn item_and_panel_imports_are_idempotent_and_all_or_nothing() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let dir = database.dir.path();
    cli.ok(&["study", "create", &write(dir, "s.toml", SMALL_STUDY)]);

    let items_csv = write(dir, "items.csv", "code,section,text,text_fr\nM02,maternal,Serum ferritin (µg/L),Ferritine sérique\nM03,maternal,\"Retinol, serum\",Rétinol sérique\n");
    let out = cli.ok(&["items", "import", "small", &items_csv]);
    assert!(out.contains("1 added, 1 updated, 0 unchanged"), "{out}");
    let out = cli.ok(&["items", "import", "small", &items_csv]);
    assert!(out.contains("0 added, 0 updated, 2 unchanged"), "{out}");

    let bad = write(
        dir,
        "bad-items.csv",
        "code,section,text\nM04,maternal,Zinc\nM05,infant,Length-for-age\n",
    );
    let line = cli.refused(&["items", "import", "small", &bad]);
    assert!(
        line.contains("bad-items.csv") && line.contains("infant"),
        "{line}"
    );
    assert_eq!(
        count(&database, |c| items::table.count().get_result::<i64>(c)),
        3,
        "M04 was not written either"
    );

    // XLSX, first sheet, same header.
    let xlsx = dir.join("items.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [["code", "section", "text"], ["M04", "maternal", "Plasma zinc"]]
        .iter()
        .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(&xlsx).unwrap();
    let out = cli.ok(&["items", "import", "small", xlsx.to_str().unwrap()]);
    assert!(out.contains("1 added"), "{out}");

    let panel = write(dir, "panel.csv", "email,name,group,country,language\nana@example.org,Ana Pérez,researcher,PE,es\nbo@example.org,Bo Li,researcher,CN,\n");
    let out = cli.ok(&["panel", "import", "small", &panel]);
    assert!(out.contains("2 added"), "{out}");
    let renamed = write(
        dir,
        "panel2.csv",
        "email,name,group\nana@example.org,Ana Pérez Ríos,researcher\n",
    );
    let out = cli.ok(&["panel", "import", "small", &renamed]);
    assert!(out.contains("0 added, 1 updated"), "{out}");
    assert_eq!(
        count(&database, |c| experts::table.count().get_result::<i64>(c)),
        2,
        "never duplicated"
    );

    let bad_panel = write(
        dir,
        "bad-panel.csv",
        "email,name,group\ncy@example.org,Cy,researcher\nnot-an-email,Dee,researcher\n",
    );
    let line = cli.refused(&["panel", "import", "small", &bad_panel]);
    assert!(
        line.contains("bad-panel.csv") && line.contains("line 3") && line.contains("email"),
        "{line}"
    );
    let unknown_group = write(
        dir,
        "group-panel.csv",
        "email,name,group\ncy@example.org,Cy,clinician\n",
    );
    let line = cli.refused(&["panel", "import", "small", &unknown_group]);
    assert!(line.contains("line 2") && line.contains("clinician"), "{line}");
    assert_eq!(
        count(&database, |c| experts::table.count().get_result::<i64>(c)),
        2
    );
}

#[test]
fn bad_responses_and_round_commands_are_refused_and_change_nothing() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let dir = database.dir.path();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);

    let answers = write(
        dir,
        "answers.csv",
        "expert,item,score\na.diallo@example.org,M01,8\n",
    );
    let line = cli.refused(&["responses", "import", "lmn-2024", &answers]);
    assert!(line.contains("no open round"), "{line}");
    let line = cli.refused(&["round", "close", "lmn-2024"]);
    assert!(line.contains("no open round"), "{line}");
    let line = cli.refused(&["round", "open", "lmn-2024", "--deadline", "next friday"]);
    assert!(line.contains("--deadline"), "{line}");
    let line = cli.refused(&["round", "open", "lmn-2024", "--deadline", "2001-01-01T00:00:00Z"]);
    assert!(line.contains("past"), "{line}");

    cli.ok(&["round", "open", "lmn-2024"]);
    cli.ok(&["responses", "import", "lmn-2024", &answers]);
    let saved = || {
        count(&database, |c| {
            ratings::table
                .select((ratings::score, ratings::unable))
                .load::<(Option<i32>, bool)>(c)
        })
    };
    assert_eq!(saved(), vec![(Some(8), false)]);

    for (content, expected) in [
        (
            "expert,item,score\na.diallo@example.org,M01,9\na.diallo@example.org,M02,10\n",
            "line 3",
        ),
        (
            "expert,item,score\na.diallo@example.org,M01,9\na.diallo@example.org,X99,5\n",
            "X99",
        ),
        (
            "expert,item,score\na.diallo@example.org,M01,9\nnobody@example.org,M02,5\n",
            "nobody@example.org",
        ),
        ("expert,item,score\na.diallo@example.org,M01,high\n", "line 2"),
        ("expert,item\na.diallo@example.org,M01\n", "score"),
        (
            "expert,item,score\na.diallo@example.org,M01,9\na.diallo@example.org,M01,7\n",
            "line 3",
        ),
    ] {
        let file = write(dir, "bad-answers.csv", content);
        let line = cli.refused(&["responses", "import", "lmn-2024", &file]);
        assert!(
            line.contains("bad-answers.csv") && line.contains(expected),
            "{content:?} → {line}"
        );
        assert_eq!(saved(), vec![(Some(8), false)], "a refused file changes nothing");
    }

    // An expert added to the panel after the round opened was not invited to it.
    let late = write(
        dir,
        "late.csv",
        "email,name,group\nlate@example.org,Late Comer,researcher\n",
    );
    cli.ok(&["panel", "import", "lmn-2024", &late]);
    let file = write(
        dir,
        "late-answers.csv",
        "expert,item,score\nlate@example.org,M01,5\n",
    );
    let line = cli.refused(&["responses", "import", "lmn-2024", &file]);
    assert!(line.contains("not invited to round 1"), "{line}");

    // U is "unable to score"; an empty score clears an earlier answer.
    let file = write(
        dir,
        "unable.csv",
        "expert,item,score\na.diallo@example.org,M01,U\n",
    );
    cli.ok(&["responses", "import", "lmn-2024", &file]);
    assert_eq!(saved(), vec![(None, true)]);
    let file = write(dir, "clear.csv", "expert,item,score\na.diallo@example.org,M01,\n");
    let out = cli.ok(&["responses", "import", "lmn-2024", &file]);
    assert!(out.contains("1 cleared"), "{out}");
    assert!(saved().is_empty());

    let line = cli.refused(&["results", "lmn-2024", "--round", "7"]);
    assert!(line.contains("no round 7"), "{line}");
}

#[test]
fn demo_is_idempotent() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let first = cli.ok(&["demo"]);
    assert!(
        first.contains("Created the example study `lmn-2024` (34 items, 24 experts)"),
        "{first}"
    );
    let second = cli.ok(&["demo"]);
    assert!(second.contains("already there"), "{second}");
    assert_eq!(
        count(&database, |c| studies::table.count().get_result::<i64>(c)),
        1
    );
}
