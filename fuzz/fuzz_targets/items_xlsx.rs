//! An items file as an XLSX workbook (`targets::items_xlsx`).
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target calls one of the shared functions.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| {
    // libfuzzer-sys aborts in its panic hook, before any unwinding, so a panic of calamine that
    // `read_xlsx` catches and reports as a bad file would still count as a crash. Print instead:
    // a panic that escapes `parse_items_file` reaches libfuzzer-sys's own catch_unwind, which
    // aborts, so real crashes are still found.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
    });
    targets::items_xlsx(data);
});
