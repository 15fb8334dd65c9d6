//! The `[server] trusted_proxies` entries (`targets::trusted_proxies`).
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target calls one of the shared functions.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::trusted_proxies(data));
