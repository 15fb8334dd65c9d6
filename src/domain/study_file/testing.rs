//! The example study file of docs/study-file.md and helpers the reader's tests share.

use crate::domain::file_error::{FileError, FileErrors, Location};
use crate::domain::study::StudyFile;

use super::parse_study_file;

pub(super) const EXAMPLE: &str = r#"
slug = "lmn-2024"
title = "Lactation and Micronutrient Needs"
description = "..."
language = "en"
timezone = "Africa/Nairobi"
panel = "panel.csv"

[scale]
min = 1
max = 9
labels = { 1 = "Not important", 5 = "Important but not critical", 9 = "Critical" }
bands = [
  { name = "Not important", from = 1, to = 3 },
  { name = "Important but not critical", from = 4, to = 6 },
  { name = "Critical", from = 7, to = 9 },
]
unable_to_score = true

[consensus]
preset = "comet"
quantiles = 7
unable = "exclude"
groups = "pooled"

[consensus.alternatives.median-iqr]
in  = [ { stat = "median", at_least = 7 }, { stat = "iqr", at_most = 2 } ]
out = [ { stat = "median", at_most = 3 }, { stat = "iqr", at_most = 2 } ]

[rounds]
max = 3
carry_forward = "unresolved"
invite = "previous_responders"
suggestions_in = [1]
reason_on_band_change = true
min_group_feedback = 3
stop_when_all_resolved = true

[[group]]
key = "researcher"
name = "Researchers"

[[group]]
key = "practitioner"
name = "Practitioners and programme managers"

[[section]]
key = "maternal"
title = "Maternal health and nutritional status indicators"

[[item]]
code = "M01"
section = "maternal"
text = "Haemoglobin concentration"
description = "..."
"#;

pub(super) fn parse(content: &str) -> Result<StudyFile, FileErrors> {
    parse_study_file("study.toml", content)
}

pub(super) fn errors(content: &str) -> Vec<FileError> {
    match parse(content) {
        Ok(study) => panic!("expected errors, got {study:?}"),
        Err(errors) => errors.into_vec(),
    }
}

pub(super) fn key(path: &str) -> Location {
    Location::Key(path.to_owned())
}

/// The example with `from` replaced by `to` (which must occur exactly once).
pub(super) fn edited(from: &str, to: &str) -> String {
    assert_eq!(EXAMPLE.matches(from).count(), 1, "{from}");
    EXAMPLE.replace(from, to)
}
