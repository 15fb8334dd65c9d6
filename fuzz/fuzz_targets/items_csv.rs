//! An items file as CSV, read the way an upload or `delphi items import` reads it.
#![no_main]

use std::collections::BTreeSet;

use delphi::domain::items_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = items_file::parse_items_file("items.csv", data) {
        let sections: BTreeSet<String> = ["maternal", "infant", "research"].map(String::from).into();
        let _ = items_file::check_sections("items.csv", &rows, &sections);
    }
});
