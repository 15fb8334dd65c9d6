//! X-Forwarded-For and Forwarded headers from a trusted proxy (`targets::forwarded_headers`).
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target calls one of the shared functions.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::forwarded_headers(data));
