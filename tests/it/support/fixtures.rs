//! The example study (examples/lactation-micronutrients) as tests use it: its files, a copy
//! under another slug created in the database, and a deterministic design of answers for its
//! panel over three rounds.

use std::path::{Path, PathBuf};

use delphi::db::models::studies::StudyRow;
use delphi::db::Db;
use delphi::service::{files, studies, Actor};

use crate::support::app::TestApp;

/// The example study's slug.
pub const SLUG: &str = "lmn-2024";

/// Who the set-up of a test is done by, in the audit log.
pub fn actor() -> Actor {
    Actor("test".into())
}

/// A file of the example study.
pub fn example(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/lactation-micronutrients")
        .join(file)
}

pub fn example_bytes(file: &str) -> Vec<u8> {
    std::fs::read(example(file)).unwrap()
}

pub fn example_text(file: &str) -> String {
    std::fs::read_to_string(example(file)).unwrap()
}

/// The example's study.toml under another slug.
pub fn example_toml(slug: &str) -> String {
    example_text("study.toml").replace("slug = \"lmn-2024\"", &format!("slug = \"{slug}\""))
}

/// The example study under `slug` in `dir/slug`, with its items and panel; the path of its
/// study.toml.
pub fn example_study_in(dir: &Path, slug: &str) -> PathBuf {
    let folder = dir.join(slug);
    std::fs::create_dir_all(&folder).unwrap();
    for file in ["items.csv", "panel.csv"] {
        std::fs::copy(example(file), folder.join(file)).unwrap();
    }
    std::fs::write(folder.join("study.toml"), example_toml(slug)).unwrap();
    folder.join("study.toml")
}

/// The example study under `slug`, created in the app's database and owned by `owner`.
pub fn create_study(app: &TestApp, slug: &str, owner: Option<&str>) {
    create_study_from(&app.db, &example_study_in(app.database.dir.path(), slug), owner);
}

/// The study of a study.toml (and the files it names), created and owned by `owner`.
pub fn create_study_from(db: &Db, study_toml: &Path, owner: Option<&str>) {
    let bundle = files::load_study(study_toml).unwrap();
    let mut conn = db.get().unwrap();
    studies::create_owned(&mut conn, &bundle, owner, &actor()).unwrap();
}

/// The study `slug` as stored.
pub fn study(db: &Db, slug: &str) -> StudyRow {
    let mut conn = db.get().unwrap();
    StudyRow::by_slug(&mut conn, slug).unwrap().unwrap()
}

/// Items and experts of the example, read straight from its files.
pub struct Example {
    pub items: Vec<(String, String)>,   // (code, section)
    pub experts: Vec<(String, String)>, // (email, group)
}

pub fn example_files() -> Example {
    let mut items = Vec::new();
    let mut reader = csv::Reader::from_path(example("items.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        items.push((row[0].to_string(), row[1].to_string()));
    }
    let mut experts = Vec::new();
    let mut reader = csv::Reader::from_path(example("panel.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        experts.push((row[0].to_string(), row[2].to_string()));
    }
    Example { items, experts }
}

/// The answer of expert `e` to item `i` in `round`: a deterministic design in which a third of
/// the items reach `in` in round 1, a third `out`, and the rest converge over later rounds.
pub fn answer(round: u32, i: usize, e: usize) -> Option<String> {
    let profile = i % 3;
    let late = i % 6 == 5;
    let score = match (round, profile) {
        (_, 0) => {
            if e % 4 == 0 {
                5
            } else {
                7 + (e % 3) as i32
            }
        }
        (_, 1) => {
            if e % 5 == 0 {
                5
            } else {
                1 + (e % 3) as i32
            }
        }
        (1, _) => {
            if e % 12 == 11 {
                return Some("U".into());
            }
            1 + ((e * 7 + i) % 9) as i32
        }
        (2, _) if !late => {
            if e % 10 == 0 {
                4
            } else {
                7 + (e % 3) as i32
            }
        }
        (2, _) => 1 + ((e * 5 + i) % 9) as i32,
        (_, _) => {
            if e % 3 == 0 {
                5
            } else {
                8
            }
        }
    };
    // One expert leaves two items blank in every round.
    if e == 3 && i < 2 {
        return None;
    }
    Some(score.to_string())
}

/// Writes a responses file for `round` covering `codes`, from every expert in `who`, with one
/// comment (expert 1 on M01) that has quotes in it.
pub fn responses_file(dir: &Path, round: u32, ex: &Example, codes: &[String], who: &[usize]) -> PathBuf {
    responses_file_with_comments(dir, round, ex, codes, who, |e, code| match (e, code) {
        (1, "M01") => QUOTED_COMMENT,
        _ => "",
    })
}

/// A comment a CSV writer must quote.
pub const QUOTED_COMMENT: &str = "Needs a \"standard\" assay, e.g. HemoCue";

/// [`responses_file`] with `comment(expert, item code)` as the comments.
pub fn responses_file_with_comments(
    dir: &Path,
    round: u32,
    ex: &Example,
    codes: &[String],
    who: &[usize],
    comment: impl Fn(usize, &str) -> &'static str,
) -> PathBuf {
    let path = dir.join(format!("round{round}.csv"));
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer
        .write_record(["expert", "item", "score", "comment"])
        .unwrap();
    for &e in who {
        for code in codes {
            let i = ex.items.iter().position(|(c, _)| c == code).unwrap();
            let score = answer(round, i, e).unwrap_or_default();
            writer
                .write_record([ex.experts[e].0.as_str(), code, &score, comment(e, code)])
                .unwrap();
        }
    }
    writer.flush().unwrap();
    path
}
