//! An items file as CSV (`targets::items_csv`).
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target calls one of the shared functions.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::items_csv(data));
