//! `delphi export`: the example study run through three rounds from the command line, then
//! every format read back by independent means — the zip crate and `sha256sum`, Python's csv and
//! zipfile modules, the XLSX sheets' XML, and a second implementation of the statistics
//! (support/reference_stats.rs) that recomputes results.csv from ratings.csv and study.toml alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::files::{parse_csv, unzip, xlsx_sheets, XlsxCell, XlsxValue};
use crate::support::fixtures::{
    example, example_files, responses_file_with_comments, Example, QUOTED_COMMENT, SLUG,
};
use crate::support::reference_stats;

const MARKUP_ITEM: &str = "<script>alert(1)</script> Urinary iodine <b>concentration</b>";
const FORMULA_COMMENT: &str = "=HYPERLINK(\"http://evil.example/\",\"click me\")";
/// The markup item's description: Markdown, and markup that must stay text.
const MARKUP_DESCRIPTION: &str = "Measured **twice**, *fasting*. <script>alert(2)</script>";

/// The example study plus an item whose text is markup, run to its end: round 1 with every
/// expert but the last, then the unresolved items until the study finishes.
fn run_study(cli: &Cli, work: &Path) -> Example {
    let mut ex = example_files();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    let extra = work.join("extra.csv");
    std::fs::write(
        &extra,
        format!(
            "code,section,text,description\nX01,maternal,\"{}\",\"{}\"\n",
            MARKUP_ITEM.replace('"', "\"\""),
            MARKUP_DESCRIPTION.replace('"', "\"\"")
        ),
    )
    .unwrap();
    cli.ok(&["items", "import", SLUG, extra.to_str().unwrap()]);
    ex.items.push(("X01".into(), "maternal".into()));
    let responders: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let mut codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    for round in 1..=3 {
        cli.ok(&["round", "open", SLUG]);
        // A comment that a spreadsheet would run, and one with quotes.
        let file =
            responses_file_with_comments(work, round, &ex, &codes, &responders, |e, code| match (e, code) {
                (2, "X01") => FORMULA_COMMENT,
                (1, "M01") => QUOTED_COMMENT,
                _ => "",
            });
        cli.ok(&["responses", "import", SLUG, file.to_str().unwrap()]);
        let closed = cli.ok(&["round", "close", SLUG]);
        let (_, rows) =
            parse_csv(&cli.ok(&["results", SLUG, "--round", &round.to_string(), "--format", "csv"]));
        codes = rows
            .iter()
            .filter(|r| r["status"] == "none")
            .map(|r| r["item_code"].clone())
            .collect();
        if closed.contains("the study is finished") {
            assert_eq!(round, 3, "the design runs three rounds: {closed}");
        }
    }
    ex
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn python() -> bool {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("note: python3 is not installed; the Python reading checks are skipped");
    }
    found
}

/// Recomputes results.csv (or results_by_group.csv) from ratings.csv and study.toml only, with
/// the naive statistics, and compares every number bit for bit.
fn recompute(results: &str, ratings: &str, study_toml: &str, by_group: bool) -> usize {
    let study: toml::Value = toml::from_str(study_toml).expect("study.toml parses");
    let min = study["scale"]["min"].as_integer().unwrap() as i32;
    let max = study["scale"]["max"].as_integer().unwrap() as i32;
    let consensus = &study["consensus"];
    assert_eq!(
        consensus["preset"].as_str(),
        Some("comet"),
        "the naive status is COMET's"
    );
    assert_eq!(consensus["unable"].as_str(), Some("exclude"));
    let kind = consensus["quantiles"].as_integer().unwrap() as u32;
    let groups: Vec<String> = study["group"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap().to_string())
        .collect();

    let (_, answers) = parse_csv(ratings);
    let mut scores: BTreeMap<(String, String, String), (Vec<i32>, usize)> = BTreeMap::new();
    for a in &answers {
        let keys = if by_group {
            vec![a["group"].clone()]
        } else {
            vec![String::new()]
        };
        for key in keys {
            let entry = scores
                .entry((a["round"].clone(), key, a["item_code"].clone()))
                .or_default();
            if !a["score"].is_empty() {
                entry.0.push(a["score"].parse().unwrap());
            }
            if a["unable"] == "true" {
                entry.1 += 1;
            }
        }
    }
    let (_, rows) = parse_csv(results);
    for row in &rows {
        let group = if by_group {
            assert!(
                groups.contains(&row["group"]),
                "group {} is in study.toml",
                row["group"]
            );
            row["group"].clone()
        } else {
            String::new()
        };
        let key = (row["round"].clone(), group, row["item_code"].clone());
        let (x, unable) = scores.get(&key).cloned().unwrap_or_default();
        let what = format!("{key:?}");
        reference_stats::assert_counts(row, &x, unable, min..=max, &what);
        reference_stats::assert_row(row, &x, unable, kind, &what);
    }
    rows.len()
}

const PACKAGE: [&str; 11] = [
    "SHA256SUMS",
    "codebook.md",
    "consensus.csv",
    "drift.csv",
    "participants.csv",
    "ratings.csv",
    "report.html",
    "results.csv",
    "results_by_group.csv",
    "stability.csv",
    "study.toml",
];

const PY_READER: &str = r#"
import csv, io, json, sys, zipfile, re
package, workbook = sys.argv[1], sys.argv[2]
out = {"files": [], "rows": {}, "headers": {}, "sheets": [], "sheet_rows": {}, "strings": [], "formulas": 0, "openpyxl": None}
with zipfile.ZipFile(package) as z:
    assert z.testzip() is None
    for name in z.namelist():
        out["files"].append(name)
        if name.endswith(".csv"):
            text = z.read(name).decode("utf-8")
            rows = list(csv.reader(io.StringIO(text, newline="")))
            out["headers"][name.split("/")[-1]] = rows[0]
            out["rows"][name.split("/")[-1]] = len(rows) - 1
with zipfile.ZipFile(workbook) as z:
    book = z.read("xl/workbook.xml").decode("utf-8")
    out["sheets"] = re.findall(r'<sheet name="([^"]+)"', book)
    shared = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else ""
    out["strings"] = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<si>(.*?)</si>", shared, re.S)]
    for i, name in enumerate(out["sheets"], start=1):
        xml = z.read("xl/worksheets/sheet%d.xml" % i).decode("utf-8")
        out["sheet_rows"][name] = len(re.findall(r"<row ", xml))
        out["formulas"] += len(re.findall(r"<f[ >]", xml))
try:
    import openpyxl
    wb = openpyxl.load_workbook(workbook, read_only=True)
    out["openpyxl"] = {ws.title: ws.max_row for ws in wb.worksheets}
except ImportError:
    pass
print(json.dumps(out))
"#;

#[test]
fn data_package_of_a_three_round_study_reads_back_everywhere() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let work = database.dir.path();
    let ex = run_study(&cli, work);

    let package = work.join("lmn.zip");
    let said = cli.export(SLUG, "zip", &package);
    assert!(said.contains("exported `lmn-2024` as zip"), "{said}");
    assert!(!said.contains("note:"), "rounds are closed: {said}");
    let entries = unzip(&std::fs::read(&package).unwrap());
    let names: BTreeSet<String> = entries.keys().cloned().collect();
    let expected: BTreeSet<String> = PACKAGE.iter().map(|f| format!("{SLUG}/{f}")).collect();
    assert_eq!(names, expected);
    let file = |name: &str| text(&entries[&format!("{SLUG}/{name}")]);

    // SHA256SUMS lists every other file with its digest, in `sha256sum -c` form.
    let sums = file("SHA256SUMS");
    let mut listed = BTreeSet::new();
    for line in sums.lines() {
        let (digest, name) = line.split_once("  ").expect("`<hex>  <name>`");
        assert_eq!(
            digest,
            hex::encode(Sha256::digest(&entries[&format!("{SLUG}/{name}")])),
            "{name}"
        );
        listed.insert(name.to_string());
    }
    let others: BTreeSet<String> = PACKAGE
        .iter()
        .filter(|f| **f != "SHA256SUMS")
        .map(|f| f.to_string())
        .collect();
    assert_eq!(listed, others);
    let unpacked = work.join("unpacked");
    for (name, bytes) in &entries {
        let path = unpacked.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    match Command::new("sha256sum")
        .arg("-c")
        .arg("SHA256SUMS")
        .current_dir(unpacked.join(SLUG))
        .output()
    {
        Ok(check) => assert!(
            check.status.success(),
            "sha256sum -c: {}",
            String::from_utf8_lossy(&check.stdout)
        ),
        Err(_) => eprintln!("note: sha256sum is not installed; checked in Rust only"),
    }

    // codebook.md describes every column of every CSV file of the package.
    let codebook = file("codebook.md");
    let described: BTreeSet<String> = codebook
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|span| span.split(", ").map(str::to_string).collect::<Vec<_>>())
        .collect();
    for name in PACKAGE.iter().filter(|n| n.ends_with(".csv")) {
        assert!(codebook.contains(&format!("## {name}")), "{name} has a section");
        let (header, _) = parse_csv(&file(name));
        for column in header {
            let point = column.strip_prefix('c').is_some_and(|v| v.parse::<i32>().is_ok());
            let known = described.contains(&column)
                || (point && described.contains("c1") && described.contains("c9"))
                || (column.starts_with("delta_share_") && described.contains("delta_share_<lo>_<hi>"));
            assert!(known, "{name}: column `{column}` is not in codebook.md");
        }
    }

    // results.csv is the file `delphi results` prints, and a second implementation recomputes
    // it, pooled and per group, from ratings.csv and study.toml alone.
    let results = file("results.csv");
    assert_eq!(results, cli.ok(&["results", SLUG, "--format", "csv"]));
    let ratings = file("ratings.csv");
    let study_toml = file("study.toml");
    let checked = recompute(&results, &ratings, &study_toml, false);
    assert!(checked > ex.items.len(), "rows of three rounds: {checked}");
    let by_group = file("results_by_group.csv");
    assert_eq!(recompute(&by_group, &ratings, &study_toml, true), checked * 4);
    // study.toml is a study file Delphi itself accepts, with the locked rule's hash.
    let hash = cli
        .ok(&["study", "show", SLUG])
        .lines()
        .find_map(|l| l.split("SHA-256 ").nth(1).map(str::to_string))
        .expect("the rule is locked");
    assert!(study_toml.contains(&hash), "{study_toml}");
    let again = work.join("again.toml");
    std::fs::write(
        &again,
        study_toml.replace("slug = \"lmn-2024\"", "slug = \"lmn-again\""),
    )
    .unwrap();
    assert_eq!(
        cli.ok(&["study", "create", again.to_str().unwrap()]).trim(),
        "lmn-again"
    );

    // ratings.csv: pseudonyms only, formula comments neutralised, band changes from round 2.
    let (header, answers) = parse_csv(&ratings);
    assert_eq!(
        header,
        "round,expert,group,item_code,score,unable,comment,changed_band,reason,saved_at"
            .split(',')
            .collect::<Vec<_>>()
    );
    assert!(!ratings.contains('@'), "no email in a pseudonymised export");
    assert!(answers
        .iter()
        .all(|a| a["expert"].len() == 4 && a["expert"].starts_with('E')));
    let formula = answers
        .iter()
        .find(|a| a["item_code"] == "X01" && a["expert"] == "E003" && a["round"] == "1")
        .expect("the answer with a formula comment");
    assert_eq!(formula["comment"], format!("'{FORMULA_COMMENT}"));
    assert!(answers
        .iter()
        .filter(|a| a["round"] == "1")
        .all(|a| a["changed_band"].is_empty()));
    assert!(answers.iter().any(|a| a["changed_band"] == "true"));
    assert!(answers.iter().any(|a| a["changed_band"] == "false"));
    assert!(answers.iter().all(|a| a["saved_at"].ends_with('Z')));

    // participants.csv: the whole panel, E001 first; the last expert never answered.
    let (header, people) = parse_csv(&file("participants.csv"));
    assert_eq!(
        header,
        [
            "expert",
            "group",
            "country",
            "invited_rounds",
            "responded_rounds",
            "submitted_rounds",
            "delivery_state"
        ]
    );
    assert_eq!(people.len(), ex.experts.len());
    assert_eq!(people[0]["expert"], "E001");
    assert_eq!(people[0]["country"], "SN");
    assert_eq!(people[0]["invited_rounds"], "3");
    assert_eq!(people[0]["responded_rounds"], "3");
    let last = people.last().unwrap();
    assert_eq!(
        (last["invited_rounds"].as_str(), last["responded_rounds"].as_str()),
        ("1", "0")
    );

    // consensus.csv: one row per item, the status of its last round.
    let (header, finals) = parse_csv(&file("consensus.csv"));
    assert_eq!(
        header,
        "item_code,section,item_text,status,decided_in_round,median,q1,q3,share_top,share_bottom"
            .split(',')
            .collect::<Vec<_>>()
    );
    assert_eq!(finals.len(), ex.items.len());
    let (_, all_results) = parse_csv(&results);
    for row in &finals {
        let last = all_results
            .iter()
            .rev()
            .find(|r| r["item_code"] == row["item_code"])
            .unwrap();
        assert_eq!(row["status"], last["status"], "{}", row["item_code"]);
        assert_eq!(row["median"], last["median"]);
        let decided = if last["status"] == "none" {
            ""
        } else {
            last["round"].as_str()
        };
        assert_eq!(row["decided_in_round"], decided);
        let n: f64 = last["n"].parse().unwrap();
        let top: f64 = ["c7", "c8", "c9"]
            .iter()
            .map(|c| last[*c].parse::<f64>().unwrap())
            .sum();
        let share: f64 = row["share_top"].parse().unwrap();
        assert!(
            (share - 100.0 * top / n).abs() < 1e-9,
            "{}: {share}",
            row["item_code"]
        );
    }
    let markup = finals.iter().find(|r| r["item_code"] == "X01").unwrap();
    assert_eq!(markup["item_text"], MARKUP_ITEM);

    // The report: every section, no script, markup escaped, nothing fetched from elsewhere.
    let report = file("report.html");
    for id in [
        "question",
        "panel",
        "consensus-definition",
        "rounds",
        "item-flow",
        "participant-flow",
        "final-list",
        "item-charts",
        "sensitivity",
        "stability",
        "attrition",
        "drift",
        "methods",
        "accord",
    ] {
        assert!(report.contains(&format!("<section id=\"{id}\">")), "section {id}");
    }
    assert!(
        !report.to_lowercase().contains("<script"),
        "no script in the report"
    );
    assert!(report
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; Urinary iodine &lt;b&gt;concentration&lt;/b&gt;"));
    for external in ["src=", "href=", "<link", "@import", "url(", "http://", "https://"] {
        assert!(!report.contains(external), "self-contained: found {external}");
    }
    assert!(report.contains(&hash), "the rule hash is shown");
    assert!(
        report.contains("comet — in: share 7–9 ≥ 70%"),
        "the rule as described"
    );
    assert_eq!(report.matches("<svg class=\"hist\"").count(), ex.items.len());
    assert_eq!(report.matches("<svg class=\"flow\"").count(), 2);
    assert!(report.contains("Round 3: 23 of 23 invited responded"));
    assert!(!report.contains("id=\"no-results\""));

    report_reads_like_a_manuscript(&report, &finals);

    // --format csv writes the same CSV files into a directory.
    let dir = work.join("csv-out");
    cli.export_csv(SLUG, &dir);
    for name in PACKAGE.iter().filter(|n| n.ends_with(".csv")) {
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            entries[&format!("{SLUG}/{name}")],
            "{name}"
        );
    }

    // --format json: the whole study, pseudonymised.
    let json_path = work.join("study.json");
    cli.export(SLUG, "json", &json_path);
    let json_text = std::fs::read_to_string(&json_path).unwrap();
    assert!(!json_text.contains("@example.org"));
    let doc: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(doc["format"], "delphi.study-export.v1");
    assert_eq!(doc["study"]["rule_hash"], hash.as_str());
    assert_eq!(doc["results"].as_array().unwrap().len(), checked);
    assert_eq!(doc["rounds"].as_array().unwrap().len(), 3);
    assert_eq!(doc["sections"].as_array().unwrap().len(), 3);
    assert_eq!(doc["items"].as_array().unwrap().len(), ex.items.len());
    assert_eq!(doc["consensus"].as_array().unwrap().len(), ex.items.len());
    assert_eq!(doc["ratings"].as_array().unwrap().len(), answers.len());
    assert_eq!(doc["study"]["definition"]["slug"], SLUG);

    // --format html is the report on its own.
    let html = work.join("report.html");
    cli.export(SLUG, "html", &html);
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));

    // --format xlsx, read by Python from the raw sheet XML (and openpyxl when it is there).
    let workbook = work.join("lmn.xlsx");
    cli.export(SLUG, "xlsx", &workbook);
    if python() {
        let script = work.join("read.py");
        std::fs::write(&script, PY_READER).unwrap();
        let run = Command::new("python3")
            .arg(&script)
            .arg(&package)
            .arg(&workbook)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let seen: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let files: BTreeSet<String> = seen["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect();
        assert_eq!(files, expected);
        assert_eq!(seen["rows"]["results.csv"], checked);
        assert_eq!(seen["rows"]["ratings.csv"], answers.len());
        assert_eq!(seen["rows"]["participants.csv"], ex.experts.len());
        assert_eq!(seen["headers"]["ratings.csv"][6], "comment");
        assert_eq!(
            seen["sheets"],
            serde_json::json!([
                "summary",
                "final_list",
                "results",
                "results_by_group",
                "consensus",
                "ratings",
                "participants",
                "stability",
                "drift"
            ])
        );
        assert_eq!(seen["sheet_rows"]["results"], checked + 1);
        assert_eq!(seen["sheet_rows"]["ratings"], answers.len() + 1);
        assert_eq!(seen["formulas"], 0, "no cell of the workbook is a formula");
        let strings: Vec<&str> = seen["strings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(
            strings.iter().any(|s| s.starts_with("'=HYPERLINK")),
            "the formula comment is text with a leading quote"
        );
        assert!(!strings.iter().any(|s| s.starts_with("=HYPERLINK")));
        if let Some(sheets) = seen["openpyxl"].as_object() {
            assert_eq!(sheets["results"], checked + 1);
        }
        // Python's csv module reads the same rows as the Rust csv crate.
        assert_eq!(seen["rows"]["results_by_group.csv"], checked * 4);
    }

    workbook_holds_numbers_with_their_formats(&std::fs::read(&workbook).unwrap(), &finals);

    // An identified export adds emails and names, and the audit log records it.
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let audited = |conn: &mut delphi::db::DbConnection| {
        delphi::db::models::audit::AuditEntry::all(conn)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "export.identified")
            .count()
    };
    assert_eq!(audited(&mut conn), 0, "pseudonymised exports need no audit entry");
    let named = work.join("named");
    let said = cli.export_identified(SLUG, &named);
    assert!(said.contains("audit log"), "{said}");
    assert_eq!(audited(&mut conn), 1);
    let (header, people) = parse_csv(&std::fs::read_to_string(named.join("participants.csv")).unwrap());
    assert_eq!(&header[..3], ["expert", "email", "name"]);
    assert_eq!(people[0]["email"], ex.experts[0].0);
    let (header, named_answers) = parse_csv(&std::fs::read_to_string(named.join("ratings.csv")).unwrap());
    assert_eq!(&header[..4], ["round", "expert", "email", "name"]);
    assert_eq!(named_answers.len(), answers.len());
}

#[test]
fn exports_refuse_bad_input_with_one_line_and_a_study_without_results_exports_empty() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let work = database.dir.path();
    cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    let out = work.join("x.zip");
    let out_s = out.to_str().unwrap();

    let line = cli.refused(&["export", "no-such-study", "--format", "zip", "--out", out_s]);
    assert!(line.contains("no study with slug `no-such-study`"), "{line}");
    let fresh = work.join("fresh-dir");
    let line = cli.refused(&[
        "export",
        "no-such-study",
        "--format",
        "csv",
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert!(line.contains("no-such-study"), "{line}");
    assert!(
        !fresh.exists(),
        "the directory made for a failed export is removed"
    );
    let line = cli.refused(&["export", SLUG, "--format", "pdf", "--out", out_s]);
    assert!(line.contains("pdf"), "{line}");
    let line = cli.refused(&["export", SLUG, "--format", "zip"]);
    assert!(line.contains("--out"), "{line}");
    std::fs::write(work.join("plain.txt"), "a file").unwrap();
    let inside_a_file = work.join("plain.txt").join("x.zip");
    let line = cli.refused(&[
        "export",
        SLUG,
        "--format",
        "zip",
        "--out",
        inside_a_file.to_str().unwrap(),
        "--identified",
    ]);
    assert!(
        line.starts_with(&format!(
            "delphi: --out {}: cannot be written",
            inside_a_file.display()
        )),
        "{line}"
    );
    let line = cli.refused(&[
        "export",
        SLUG,
        "--format",
        "csv",
        "--out",
        work.join("plain.txt").to_str().unwrap(),
    ]);
    assert!(line.contains("is a file"), "{line}");
    let line = cli.refused(&[
        "export",
        SLUG,
        "--format",
        "html",
        "--out",
        work.to_str().unwrap(),
    ]);
    assert!(line.contains("is a directory"), "{line}");
    let missing_dir = work.join("nowhere").join("x.json");
    let line = cli.refused(&[
        "export",
        SLUG,
        "--format",
        "json",
        "--out",
        missing_dir.to_str().unwrap(),
    ]);
    assert!(line.contains("cannot be written"), "{line}");
    // Nothing was half-written, the plain file is intact, and no refused identified export
    // reached the audit log.
    let leftovers: Vec<String> = std::fs::read_dir(work)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial") || n == "x.zip")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(std::fs::read_to_string(work.join("plain.txt")).unwrap(), "a file");
    let db = database.connect();
    let mut conn = db.get().unwrap();
    assert!(delphi::db::models::audit::AuditEntry::all(&mut conn)
        .unwrap()
        .iter()
        .all(|e| e.action != "export.identified"));

    // No closed round: the export works, with empty results, and says so.
    let said = cli.ok(&["export", SLUG, "--format", "zip", "--out", out_s]);
    assert!(
        said.contains("note: no round of `lmn-2024` has closed yet"),
        "{said}"
    );
    let entries = unzip(&std::fs::read(&out).unwrap());
    assert_eq!(entries.len(), PACKAGE.len());
    let results = text(&entries[&format!("{SLUG}/results.csv")]);
    assert_eq!(results.lines().count(), 1, "header only: {results}");
    assert!(results.starts_with("round,item_code,section,item_text,"));
    let report = text(&entries[&format!("{SLUG}/report.html")]);
    assert!(report.contains("id=\"no-results\""));
    assert!(report.contains("not locked yet"));
    let (_, people) = parse_csv(&text(&entries[&format!("{SLUG}/participants.csv")]));
    assert!(people.iter().all(|p| p["invited_rounds"] == "0"));
    // An open round is not exported either: its answers are not final.
    cli.ok(&["round", "open", SLUG]);
    let said = cli.ok(&["export", SLUG, "--format", "zip", "--out", out_s]);
    assert!(said.contains("note:"), "{said}");
    let entries = unzip(&std::fs::read(&out).unwrap());
    assert_eq!(text(&entries[&format!("{SLUG}/ratings.csv")]).lines().count(), 1);
    assert!(text(&entries[&format!("{SLUG}/report.html")]).contains("round 1 is open"));
}

/// The words a status is shown with, written out here rather than taken from the code tested.
fn status_words(value: &str) -> &'static str {
    match value {
        "in" => "Consensus in",
        "out" => "Consensus out",
        "none" => "No consensus",
        other => panic!("not a status: {other}"),
    }
}

/// An HTML fragment's text without its tags (entities left as written).
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The data rows of the report's table `id`, each as its cells' text; heading rows are left out.
fn table_rows(report: &str, id: &str) -> Vec<Vec<String>> {
    let start = report
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("table {id}"));
    let table = &report[start..start + report[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .filter(|row| row.starts_with("<td"))
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| visible(&format!("<td{cell}")))
                .collect()
        })
        .collect()
}

/// A number as the report shows it, checked against the exact value: `decimals` digits after
/// the point, and within half a unit of the last digit.
fn assert_shown(shown: &str, exact: &str, decimals: usize, what: &str) {
    let digits = shown.split_once('.').map_or(0, |(_, d)| d.len());
    assert_eq!(digits, decimals, "{what}: {shown}");
    let (shown_value, exact_value): (f64, f64) = (shown.parse().unwrap(), exact.parse().unwrap());
    let half = 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9;
    assert!(
        (shown_value - exact_value).abs() <= half,
        "{what}: {shown} for {exact}"
    );
}

/// The report as a methodologist would paste it into a manuscript: Markdown rendered, names
/// rather than keys, statuses in words, one number format per statistic, and the final list as
/// appendix tables grouped by section.
fn report_reads_like_a_manuscript(report: &str, finals: &[BTreeMap<String, String>]) {
    assert!(
        report
            .contains("Thank you for joining the <strong>Lactation and Micronutrient Needs</strong> panel."),
        "the description is rendered from Markdown"
    );
    assert!(
        report.contains(
            "Measured <strong>twice</strong>, <em>fasting</em>. &lt;script&gt;alert(2)&lt;/script&gt;"
        ),
        "an item's description is Markdown, its raw HTML escaped"
    );
    assert!(!report.contains("**"), "no Markdown is printed raw");

    for (key, name) in [
        ("maternal", "Maternal health and nutritional status indicators"),
        ("infant", "Infant health and safety indicators"),
        ("research", "Research priorities"),
        ("researcher", "Researchers and academics"),
        ("clinician", "Clinicians and midwives"),
        ("advocate", "Civil society and women&#x27;s representatives"),
    ] {
        assert!(report.contains(name), "{name}");
        assert!(!report.contains(&format!(">{key}<")), "the key {key} is shown");
    }

    for value in ["in", "out", "none"] {
        assert!(
            !report.contains(&format!("<td>{value}</td>")),
            "status `{value}` as a value"
        );
    }
    assert!(report.contains("<td>No consensus</td>") || report.contains(">No consensus</td>"));

    // No number is shown with more digits than its format: the CSV has them, the report not.
    let bytes = report.as_bytes();
    for (i, _) in report.match_indices('.') {
        let before = i > 0 && bytes[i - 1].is_ascii_digit();
        let after = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        assert!(
            !(before && after > 2),
            "an unrounded number: {}",
            &report[i.saturating_sub(20)..(i + 20).min(report.len())]
        );
    }

    // The appendix: one row per item in the table of its outcome, grouped by section.
    let decided = table_rows(report, "final-decided");
    let undecided = table_rows(report, "final-undecided");
    assert_eq!(decided.len() + undecided.len(), finals.len());
    assert!(report.contains("<th class=\"n\">Median (Q1–Q3)</th><th class=\"n\">% 1–3</th><th class=\"n\">% 4–6</th><th class=\"n\">% 7–9</th>"));
    assert!(report.contains("scope=\"colgroup\">Maternal health and nutritional status indicators</th>"));
    for row in finals {
        let code = &row["item_code"];
        let table = if row["status"] == "none" {
            &undecided
        } else {
            &decided
        };
        let cells = table
            .iter()
            .find(|cells| cells[0] == *code)
            .unwrap_or_else(|| panic!("{code} in the appendix of its status"));
        assert_eq!(cells.len(), 9, "{code}: {cells:?}");
        assert_eq!(cells[2], status_words(&row["status"]), "{code}");
        if row["status"] != "none" {
            assert_eq!(cells[3], row["decided_in_round"], "{code}");
        }
        if row["median"].is_empty() {
            assert_eq!(cells[5], "–", "{code}");
        } else {
            let (median, quartiles) = cells[5].split_once(" (").unwrap();
            let (q1, q3) = quartiles.trim_end_matches(')').split_once('–').unwrap();
            assert_shown(median, &row["median"], 1, code);
            assert_shown(q1, &row["q1"], 1, code);
            assert_shown(q3, &row["q3"], 1, code);
            assert_shown(cells[8].trim_end_matches('%'), &row["share_top"], 1, code);
            assert_shown(cells[6].trim_end_matches('%'), &row["share_bottom"], 1, code);
        }
    }

    // Printable: A4, header rows repeated, rows and charts kept whole, headers of figures
    // ("Median (Q1–Q3)") on one line; on a phone, tables scroll inside their own box.
    for rule in [
        "@page { size: A4",
        "thead { display: table-header-group; }",
        "tr, figure, svg, .flow { break-inside: avoid;",
        "td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }",
        "table { display: block; overflow-x: auto; }",
    ] {
        assert!(report.contains(rule), "{rule}");
    }
}

/// The workbook read from its XML: numbers are number cells holding every digit and shown by the
/// format of their statistic; statuses are words on the display sheets and values on the data
/// sheets.
fn workbook_holds_numbers_with_their_formats(bytes: &[u8], finals: &[BTreeMap<String, String>]) {
    let sheets = xlsx_sheets(bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "summary",
            "final_list",
            "results",
            "results_by_group",
            "consensus",
            "ratings",
            "participants",
            "stability",
            "drift"
        ]
    );
    let sheet = |name: &str| -> &[XlsxCell] { &sheets.iter().find(|(n, _)| n == name).unwrap().1 };
    let column = |name: &str, header: &str| -> Vec<&XlsxCell> {
        let cells = sheet(name);
        let col = cells
            .iter()
            .find(|c| c.row == 0 && c.value == XlsxValue::Text(header.into()))
            .unwrap_or_else(|| panic!("{name}: column {header}"))
            .col;
        cells.iter().filter(|c| c.col == col && c.row > 0).collect()
    };

    for (name, cells) in &sheets {
        for cell in cells {
            if let XlsxValue::Text(text) = &cell.value {
                assert!(
                    text.parse::<f64>().is_err(),
                    "{name}: a number stored as text: {text}"
                );
            }
        }
    }
    for (name, header, format) in [
        ("results", "n", "0"),
        ("results", "c9", "0"),
        ("results", "mean", "0.00"),
        ("results", "sd", "0.00"),
        ("results", "median", "0.0"),
        ("results", "q1", "0.0"),
        ("results", "p70", "0.0"),
        ("results", "ipr", "0.00"),
        ("results", "di", "0.00"),
        ("consensus", "share_top", "0.0"),
        ("stability", "delta_median", "+0.0;-0.0;0.0"),
        ("stability", "attrition_responders_mean", "0.00"),
        ("final_list", "n", "0"),
        ("final_list", "Median", "0.0"),
        ("final_list", "Q3", "0.0"),
        ("final_list", "% 7–9", "0.0"),
    ] {
        let cells = column(name, header);
        assert!(!cells.is_empty(), "{name}: {header} has values");
        for cell in cells {
            assert!(
                matches!(cell.value, XlsxValue::Number(_)) && cell.format == format,
                "{name}: {header}: {cell:?}"
            );
        }
    }
    // Stored to the last digit: the format rounds what is shown, not what is kept.
    assert!(column("results", "sd").iter().any(|c| match &c.value {
        XlsxValue::Number(v) => v.split_once('.').is_some_and(|(_, d)| d.len() > 2),
        _ => false,
    }));

    // The final list: one row per item, statuses in words, the same numbers as consensus.csv.
    let statuses = column("final_list", "Final status");
    assert_eq!(statuses.len(), finals.len());
    let codes = column("final_list", "Code");
    let medians = column("final_list", "Median");
    for row in finals {
        let at = codes
            .iter()
            .find(|c| c.value == XlsxValue::Text(row["item_code"].clone()))
            .unwrap()
            .row;
        let status = statuses.iter().find(|c| c.row == at).unwrap();
        assert_eq!(status.value, XlsxValue::Text(status_words(&row["status"]).into()));
        if let Some(median) = medians.iter().find(|c| c.row == at) {
            let XlsxValue::Number(v) = &median.value else {
                panic!("{median:?}")
            };
            assert_eq!(v.parse::<f64>().unwrap(), row["median"].parse::<f64>().unwrap());
        }
    }
    // The data sheet keeps the values of consensus.csv.
    let values: BTreeSet<String> = column("consensus", "status")
        .iter()
        .map(|c| match &c.value {
            XlsxValue::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let expected: BTreeSet<String> = finals.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(values, expected);

    // The summary counts the final statuses in number cells.
    let summary = sheet("summary");
    for (label, status) in [
        ("Items with consensus in", "in"),
        ("Items with consensus out", "out"),
        ("Items with no consensus", "none"),
    ] {
        let row = summary
            .iter()
            .find(|c| c.value == XlsxValue::Text(label.into()))
            .unwrap()
            .row;
        let count = summary.iter().find(|c| c.row == row && c.col == 1).unwrap();
        let expected = finals.iter().filter(|r| r["status"] == status).count();
        assert_eq!(count.value, XlsxValue::Number(expected.to_string()), "{label}");
    }
    assert!(summary
        .iter()
        .any(|c| c.value == XlsxValue::Text("No consensus".into()) && c.row > 0));
}
