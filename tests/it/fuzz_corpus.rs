//! Every input the fuzz targets start from or once crashed on, replayed through the fuzz
//! targets' own code (`fuzz/targets.rs`, which `fuzz/fuzz_targets/*.rs` call), so that a plain
//! `cargo test` keeps them fixed without cargo-fuzz or its long instrumented build (CI runs
//! libFuzzer itself only when its time budget allows). Each input must give Ok or an error,
//! never a panic.
//!
//! The inputs: `fuzz/regressions/TARGET/*` (inputs a fuzzer crashed on), `fuzz/seeds/TARGET/*`,
//! and the example study's files that `fuzz/run.sh` seeds the corpora with.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

// The fuzz targets' own code: what each does with an input.
#[path = "../../fuzz/targets.rs"]
mod targets;

/// One fuzz target: its name (the file name under fuzz/fuzz_targets/ and the folder name under
/// fuzz/seeds/ and fuzz/regressions/), the example files run.sh seeds it with, and its body.
struct Target {
    name: &'static str,
    examples: &'static [&'static str],
    run: fn(&[u8]),
}

const EXAMPLE: &str = "examples/lactation-micronutrients";

const TARGETS: &[Target] = &[
    Target {
        name: "study_file",
        examples: &["study.toml"],
        run: targets::study_file,
    },
    Target {
        name: "items_csv",
        examples: &["items.csv"],
        run: targets::items_csv,
    },
    Target {
        name: "items_xlsx",
        examples: &[],
        run: targets::items_xlsx,
    },
    Target {
        name: "panel_csv",
        examples: &["panel.csv"],
        run: targets::panel_csv,
    },
    Target {
        name: "responses_csv",
        examples: &[],
        run: targets::responses_csv,
    },
    Target {
        name: "forwarded_headers",
        examples: &[],
        run: targets::forwarded_headers,
    },
    Target {
        name: "trusted_proxies",
        examples: &[],
        run: targets::trusted_proxies,
    },
    Target {
        name: "setup_form",
        examples: &[],
        run: targets::setup_form,
    },
    Target {
        name: "ranking_form",
        examples: &[],
        run: targets::ranking_form,
    },
    Target {
        name: "chnri_form",
        examples: &[],
        run: targets::chnri_form,
    },
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The names of the entries of a folder (files or folders), sorted; none if it does not exist.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = read
        .map(|entry| entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path())
        .collect();
    paths.sort();
    paths
}

fn target_named(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|target| target.name == name)
}

#[test]
fn every_fuzz_target_has_a_replay() {
    let targets: Vec<String> = entries(&root().join("fuzz/fuzz_targets"))
        .iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| path.file_stem().map(|stem| stem.to_string_lossy().into_owned()))
        .collect();
    assert!(
        !targets.is_empty(),
        "no fuzz target found under fuzz/fuzz_targets/"
    );
    let missing: Vec<&String> = targets
        .iter()
        .filter(|name| target_named(name).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "fuzz targets without a replay in tests/it/fuzz_corpus.rs: {missing:?}"
    );
}

#[test]
fn seeds_and_regressions_replay_without_a_panic() {
    let mut inputs: Vec<(&'static Target, PathBuf)> = Vec::new();
    for folder in ["fuzz/regressions", "fuzz/seeds"] {
        for dir in entries(&root().join(folder)) {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // A folder named after no target would never be replayed: a typo, or a target renamed.
            let target = target_named(&name)
                .unwrap_or_else(|| panic!("{}: no fuzz target is named {name:?}", dir.display()));
            inputs.extend(entries(&dir).into_iter().map(|file| (target, file)));
        }
    }
    for target in TARGETS {
        inputs.extend(
            target
                .examples
                .iter()
                .map(|file| (target, root().join(EXAMPLE).join(file))),
        );
    }
    assert!(
        inputs
            .iter()
            .any(|(_, path)| path.starts_with(root().join("fuzz/regressions"))),
        "no regression input found under fuzz/regressions/"
    );

    let mut panicked = Vec::new();
    for (target, path) in &inputs {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if catch_unwind(AssertUnwindSafe(|| (target.run)(&data))).is_err() {
            panicked.push(format!("{} ({})", path.display(), target.name));
        }
    }
    assert!(
        panicked.is_empty(),
        "the parsers panicked on {} of {} fuzz inputs: {panicked:#?}",
        panicked.len(),
        inputs.len()
    );
}
