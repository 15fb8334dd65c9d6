//! What each fuzz target does with its input: the parser calls of one upload. Shared by the fuzz
//! targets (`fuzz_targets/*.rs`) and by the test that replays the seeds and the regression
//! inputs (`tests/it/fuzz_corpus.rs`), so that both always exercise the same code.

use std::collections::BTreeSet;

use delphi::domain::file_error::{FileError, FileErrors};
use delphi::domain::{items_file, panel_file, responses_file};

// The files a study file may refer to: the example's, so that a valid study file gets as far
// as the cross-checks between study, items and panel.
const ITEMS: &[u8] = include_bytes!("../examples/lactation-micronutrients/items.csv");
const PANEL: &[u8] = include_bytes!("../examples/lactation-micronutrients/panel.csv");

fn fetch(reference: &str) -> Result<(String, Vec<u8>), FileErrors> {
    match reference {
        "items.csv" => Ok((reference.to_owned(), ITEMS.to_vec())),
        "panel.csv" => Ok((reference.to_owned(), PANEL.to_vec())),
        other => Err(FileErrors(vec![FileError::whole(other, "no such file")])),
    }
}

/// A study file, as TOML (`delphi study create`, the console's upload and paste) and as JSON
/// (`POST /api/v1/studies`), validated as a whole: scale, consensus rules, items and panel.
pub fn study_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = delphi::service::files::study_from_sources("study.toml", text, &fetch);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = delphi::service::api_input::study_from_json(value);
    }
}

fn items(name: &str, data: &[u8]) {
    if let Ok(rows) = items_file::parse_items_file(name, data) {
        let sections: BTreeSet<String> = ["maternal", "infant", "research"].map(String::from).into();
        let _ = items_file::check_sections(name, &rows, &sections);
    }
}

/// An items file as CSV, read the way an upload or `delphi items import` reads it.
pub fn items_csv(data: &[u8]) {
    items("items.csv", data);
}

/// An items file as an XLSX workbook (a zip of XML parts), read the way an upload reads it.
pub fn items_xlsx(data: &[u8]) {
    items("items.xlsx", data);
}

/// A panel file (CSV), read the way an upload or `delphi panel import` reads it.
pub fn panel_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rows) = panel_file::parse_panel_csv("panel.csv", text) {
        let groups: BTreeSet<String> = ["researcher", "clinician", "programme", "advocate"]
            .map(String::from)
            .into();
        let _ = panel_file::check_groups("panel.csv", &rows, &groups);
    }
}

/// A responses file (CSV), read the way `delphi responses import` reads it.
pub fn responses_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = responses_file::parse_responses_csv("responses.csv", text);
}
