//! An items file as an XLSX workbook (a zip of XML parts), read the way an upload reads it.
#![no_main]

use std::collections::BTreeSet;

use delphi::domain::items_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = items_file::parse_items_file("items.xlsx", data) {
        let sections: BTreeSet<String> = ["maternal", "infant", "research"].map(String::from).into();
        let _ = items_file::check_sections("items.xlsx", &rows, &sections);
    }
});
