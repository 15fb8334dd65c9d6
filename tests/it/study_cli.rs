//! A complete three-round study through the command line, the way a facilitator runs it, with
//! every number checked against an independent computation of docs/statistics.md.

use std::collections::BTreeMap;

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::files::parse_csv;
use crate::support::fixtures::{answer, example, example_files, responses_file};
use crate::support::reference_stats;

/// Checks every statistic of a results.csv row against the naive implementation.
fn check_row(row: &BTreeMap<String, String>, scores: &[i32], unable: usize) {
    let code = &row["item_code"];
    assert_eq!(row["n"], scores.len().to_string(), "{code}: n");
    assert_eq!(row["unable"], unable.to_string(), "{code}: unable");
    for v in 1..=9 {
        let expected = scores.iter().filter(|s| **s == v).count();
        assert_eq!(row[&format!("c{v}")], expected.to_string(), "{code}: c{v}");
    }
    reference_stats::assert_row(row, scores, unable, 7, code);
}

#[test]
fn three_rounds_from_the_command_line() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let ex = example_files();
    let work = database.dir.path();

    let slug = cli.ok(&["study", "create", example("study.toml").to_str().unwrap()]);
    assert_eq!(slug.trim(), "lmn-2024");
    let listing = cli.ok(&["study", "list"]);
    assert!(listing.contains("lmn-2024\tdraft\t0 round(s)"), "{listing}");
    let show = cli.ok(&["study", "show", "lmn-2024"]);
    assert!(show.contains("not locked yet"), "{show}");

    // Round 1: every item, the whole panel.
    let opened = cli.ok(&[
        "round",
        "open",
        "lmn-2024",
        "--deadline",
        "2099-01-31T17:00:00+03:00",
    ]);
    assert!(
        opened.contains(&format!(
            "round 1 of `lmn-2024` is open: {} items",
            ex.items.len()
        )),
        "{opened}"
    );
    assert!(
        opened.contains(&format!(
            "{} experts invited, {} emails queued",
            ex.experts.len(),
            ex.experts.len()
        )),
        "{opened}"
    );
    let outbox = cli.ok(&["outbox"]);
    assert_eq!(outbox.matches("invitation").count(), ex.experts.len(), "{outbox}");
    let show = cli.ok(&["study", "show", "lmn-2024"]);
    assert!(show.contains("rule:      locked"), "{show}");
    let refusal = cli.refused(&["round", "open", "lmn-2024"]);
    assert!(refusal.contains("still open"), "{refusal}");
    let refusal = cli.refused(&["results", "lmn-2024", "--round", "1"]);
    assert!(refusal.contains("is open"), "{refusal}");

    // Every expert but the last answers round 1.
    let codes: Vec<String> = ex.items.iter().map(|(c, _)| c.clone()).collect();
    let responders: Vec<usize> = (0..ex.experts.len() - 1).collect();
    let file = responses_file(work, 1, &ex, &codes, &responders);
    let imported = cli.ok(&["responses", "import", "lmn-2024", file.to_str().unwrap()]);
    assert!(
        imported.contains(&format!("from {} experts", responders.len())),
        "{imported}"
    );
    // Importing the same file again replaces, it does not duplicate.
    cli.ok(&["responses", "import", "lmn-2024", file.to_str().unwrap()]);
    // Imported answers count as submitted: only the expert who did not answer is reminded.
    let reminded = cli.ok(&["round", "remind", "lmn-2024"]);
    assert!(reminded.contains("round 1: 1 reminders queued"), "{reminded}");
    let closed = cli.ok(&["round", "close", "lmn-2024"]);
    assert!(closed.contains("round 1 of `lmn-2024` is closed"), "{closed}");

    let csv = cli.ok(&["results", "lmn-2024", "--round", "1", "--format", "csv"]);
    let (header, rows) = parse_csv(&csv);
    let mut expected_header: Vec<String> = "round,item_code,section,item_text,invited,responded,n,unable"
        .split(',')
        .map(str::to_string)
        .collect();
    expected_header.extend((1..=9).map(|v| format!("c{v}")));
    expected_header.extend(
        "mean,sd,median,q1,q3,iqr,p30,p70,ipr,ipras,di,status,status_median-iqr,status_rand-ucla"
            .split(',')
            .map(str::to_string),
    );
    assert_eq!(header, expected_header);
    assert_eq!(rows.len(), ex.items.len());
    let mut unresolved = Vec::new();
    for row in &rows {
        let i = ex.items.iter().position(|(c, _)| *c == row["item_code"]).unwrap();
        let answers: Vec<Option<String>> = responders.iter().map(|&e| answer(1, i, e)).collect();
        let scores: Vec<i32> = answers.iter().flatten().filter_map(|a| a.parse().ok()).collect();
        let unable = answers.iter().flatten().filter(|a| *a == "U").count();
        assert_eq!(row["invited"], ex.experts.len().to_string());
        assert_eq!(row["responded"], (scores.len() + unable).to_string());
        check_row(row, &scores, unable);
        if row["status"] == "none" {
            unresolved.push(row["item_code"].clone());
        }
        let expected = match i % 3 {
            0 => "in",
            1 => "out",
            _ => "none",
        };
        assert_eq!(row["status"], expected, "design of item {}", row["item_code"]);
    }
    let by_group = cli.ok(&[
        "results",
        "lmn-2024",
        "--round",
        "1",
        "--format",
        "csv",
        "--by-group",
    ]);
    let (group_header, group_rows) = parse_csv(&by_group);
    assert_eq!(group_header[1], "group");
    assert_eq!(group_rows.len(), ex.items.len() * 4);

    // Round 2: only unresolved items, only round-1 responders.
    let opened = cli.ok(&["round", "open", "lmn-2024"]);
    assert!(
        opened.contains(&format!(
            "{} items ({} carried forward, 0 new), {} experts invited",
            unresolved.len(),
            unresolved.len(),
            responders.len()
        )),
        "{opened}"
    );
    let file = responses_file(work, 2, &ex, &unresolved, &responders);
    cli.ok(&["responses", "import", "lmn-2024", file.to_str().unwrap()]);
    cli.ok(&["round", "close", "lmn-2024"]);
    let (_, rows) = parse_csv(&cli.ok(&["results", "lmn-2024", "--round", "2", "--format", "csv"]));
    assert_eq!(rows.len(), unresolved.len());
    let mut still_open = Vec::new();
    for row in &rows {
        let i = ex.items.iter().position(|(c, _)| *c == row["item_code"]).unwrap();
        let scores: Vec<i32> = responders
            .iter()
            .filter_map(|&e| answer(2, i, e))
            .filter_map(|a| a.parse().ok())
            .collect();
        check_row(row, &scores, 0);
        if row["status"] == "none" {
            still_open.push(row["item_code"].clone());
        }
    }
    assert!(!still_open.is_empty(), "the design leaves late items for round 3");

    // Stability of round 2 against round 1, recomputed here from the design.
    let (header, stability_rows) = parse_csv(&cli.ok(&[
        "results",
        "lmn-2024",
        "--stability",
        "--round",
        "2",
        "--format",
        "csv",
    ]));
    assert_eq!(
        &header[..5],
        [
            "round",
            "item_code",
            "status_previous",
            "status",
            "delta_share_7_9"
        ]
    );
    assert_eq!(stability_rows.len(), unresolved.len());
    let band = |s: i32| (s - 1) / 3;
    for row in &stability_rows {
        let i = ex.items.iter().position(|(c, _)| *c == row["item_code"]).unwrap();
        let numeric = |round, e| answer(round, i, e).and_then(|a| a.parse::<i32>().ok());
        let pairs: Vec<(i32, i32)> = responders
            .iter()
            .filter_map(|&e| Some((numeric(1, e)?, numeric(2, e)?)))
            .collect();
        let moved = pairs.iter().filter(|(a, b)| band(*a) != band(*b)).count();
        assert_eq!(row["paired"], pairs.len().to_string(), "{}", row["item_code"]);
        assert_eq!(row["moved_band"], moved.to_string(), "{}", row["item_code"]);
        assert_eq!(row["stable"], ((moved * 100) < 15 * pairs.len()).to_string());
        let top = |round| {
            let scores: Vec<i32> = responders.iter().filter_map(|&e| numeric(round, e)).collect();
            100.0 * scores.iter().filter(|s| **s >= 7).count() as f64 / scores.len() as f64
        };
        let delta: f64 = row["delta_share_7_9"].parse().unwrap();
        assert!(
            (delta - (top(2) - top(1))).abs() < 1e-9,
            "{}: {delta}",
            row["item_code"]
        );
        // Everybody invited to round 2 answered it: no attrition to measure.
        assert_eq!(row["attrition_non_responders"], "0");
        assert_eq!(row["attrition_difference"], "");
    }
    let refusal = cli.refused(&["results", "lmn-2024", "--stability", "--round", "1"]);
    assert!(refusal.contains("round"), "{refusal}");

    // Round 3, the last one the study allows.
    cli.ok(&["round", "open", "lmn-2024"]);
    let file = responses_file(work, 3, &ex, &still_open, &responders);
    cli.ok(&["responses", "import", "lmn-2024", file.to_str().unwrap()]);
    let closed = cli.ok(&["round", "close", "lmn-2024"]);
    assert!(closed.contains("the study is finished"), "{closed}");
    let refusal = cli.refused(&["round", "open", "lmn-2024"]);
    assert!(refusal.contains("finished"), "{refusal}");

    // Every closed round at once, and JSON for scripts.
    let (_, all_rows) = parse_csv(&cli.ok(&["results", "lmn-2024", "--format", "csv"]));
    assert_eq!(
        all_rows.len(),
        ex.items.len() + unresolved.len() + still_open.len()
    );
    let json: serde_json::Value =
        serde_json::from_str(&cli.ok(&["results", "lmn-2024", "--format", "json"])).unwrap();
    assert_eq!(json["lines"].as_array().unwrap().len(), all_rows.len());
    let table = cli.ok(&["results", "lmn-2024"]);
    assert!(table.contains("consensus rule SHA-256"), "{table}");
}

/// `delphi demo --answers`: the example study with round 1 answered by the whole panel and
/// closed and round 2 open, for a newcomer to look at every page; only for a new study.
#[test]
fn the_demo_with_answers_has_a_closed_round_and_an_open_one() {
    let database = TestDatabase::new();
    let cli = Cli::new(&database);
    let out = cli.ok(&["demo", "--answers"]);
    assert!(out.contains("Created the example study `lmn-2024`"), "{out}");
    assert!(
        out.contains("Round 1 answered with made-up scores and closed:"),
        "{out}"
    );
    assert!(out.contains("Round 2 is open"), "{out}");
    assert!(out.contains("delphi results lmn-2024"), "{out}");
    let results = cli.ok(&["results", "lmn-2024", "--round", "1", "--format", "csv"]);
    let (_, rows) = parse_csv(&results);
    assert_eq!(rows.len(), 34, "every item answered");
    assert!(rows.iter().all(|r| r["n"] == "24"), "by the whole panel");
    for status in ["in", "out", "none"] {
        assert!(
            rows.iter().any(|r| r["status"] == status),
            "the made-up answers give every status: none is {status}"
        );
    }
    let again = cli.ok(&["demo", "--answers"]);
    assert!(again.contains("already there; nothing changed"), "{again}");
    assert!(again.contains("only added to a new example study"), "{again}");
}
