//! A responses file (CSV), read the way `delphi responses import` reads it.
#![no_main]

use delphi::domain::responses_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = responses_file::parse_responses_csv("responses.csv", text);
});
