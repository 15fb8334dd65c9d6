//! A study file, as TOML (`delphi study create`, the console's upload and paste) and as JSON
//! (`POST /api/v1/studies`), validated as a whole: scale, consensus rules, items and panel.
#![no_main]

use delphi::domain::file_error::{FileError, FileErrors};
use libfuzzer_sys::fuzz_target;

// The files a study file may refer to: the example's, so that a valid study file gets as far
// as the cross-checks between study, items and panel.
const ITEMS: &[u8] = include_bytes!("../../examples/lactation-micronutrients/items.csv");
const PANEL: &[u8] = include_bytes!("../../examples/lactation-micronutrients/panel.csv");

fn fetch(reference: &str) -> Result<(String, Vec<u8>), FileErrors> {
    match reference {
        "items.csv" => Ok((reference.to_owned(), ITEMS.to_vec())),
        "panel.csv" => Ok((reference.to_owned(), PANEL.to_vec())),
        other => Err(FileErrors(vec![FileError::whole(other, "no such file")])),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = delphi::service::files::study_from_sources("study.toml", text, &fetch);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = delphi::service::api_input::study_from_json(value);
    }
});
