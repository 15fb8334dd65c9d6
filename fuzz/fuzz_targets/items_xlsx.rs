//! An items file as an XLSX workbook (a zip of XML parts), read the way an upload reads it.
#![no_main]

use std::collections::BTreeSet;

use delphi::domain::items_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // libfuzzer-sys aborts in its panic hook, before any unwinding, so a panic of calamine that
    // `read_xlsx` catches and reports as a bad file would still count as a crash. Print instead:
    // a panic that escapes `parse_items_file` reaches libfuzzer-sys's own catch_unwind, which
    // aborts, so real crashes are still found.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
    });
    if let Ok(rows) = items_file::parse_items_file("items.xlsx", data) {
        let sections: BTreeSet<String> = ["maternal", "infant", "research"].map(String::from).into();
        let _ = items_file::check_sections("items.xlsx", &rows, &sections);
    }
});
