//! A panel file (CSV), read the way an upload or `delphi panel import` reads it.
#![no_main]

use std::collections::BTreeSet;

use delphi::domain::panel_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rows) = panel_file::parse_panel_csv("panel.csv", text) {
        let groups: BTreeSet<String> = ["researcher", "clinician", "programme", "advocate"]
            .map(String::from)
            .into();
        let _ = panel_file::check_groups("panel.csv", &rows, &groups);
    }
});
