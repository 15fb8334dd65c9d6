//! A CHNRI round's form and its autosave, form-encoded (`targets::chnri_form`).
#![no_main]

use libfuzzer_sys::fuzz_target;

// Each target calls one of the shared functions.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::chnri_form(data));
