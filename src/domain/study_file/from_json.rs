//! A study read from the JSON form of the study file.

use super::check::{check_study, ItemsRule};
use super::raw::RawStudy;
use super::spans::join_key;
use super::wording::{between, humanize};
use crate::domain::file_error::{FileError, FileErrors};
use crate::domain::study::StudyFile;

/// The study file's structure read from JSON (the API's "create study" body): the same raw
/// types and the same checks as `parse_study_file`, so errors name the same key paths
/// (`rounds.max`, `item[3].section`, indices counting from 1).
pub fn parse_study_json(name: &str, value: serde_json::Value) -> Result<StudyFile, FileErrors> {
    parse_study_json_with(name, value, ItemsRule::Required)
}

/// `parse_study_json`, with items required or not (a study set up with forms gets them later).
pub fn parse_study_json_with(
    name: &str,
    value: serde_json::Value,
    items_rule: ItemsRule,
) -> Result<StudyFile, FileErrors> {
    let raw: RawStudy = serde_path_to_error::deserialize(value).map_err(|e| {
        let message = humanize(&e.inner().to_string());
        let mut path = String::new();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{}]", index + 1)),
                serde_path_to_error::Segment::Map { key } => path = join_key(&path, key),
                serde_path_to_error::Segment::Enum { variant } => path = join_key(&path, variant),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        // serde names a missing or unknown key in its message, not in the path.
        let named = between(&message, "missing required key `", "`")
            .or_else(|| between(&message, "unknown key `", "`"));
        if let Some(key) = named {
            if !path.ends_with(key) {
                path = join_key(&path, key);
            }
        }
        let path = if path.is_empty() {
            "(the whole document)".to_owned()
        } else {
            path
        };
        FileErrors::from(FileError::key(name, path, message))
    })?;
    let mut errors = Vec::new();
    let study = check_study(raw, items_rule, &mut errors);
    let errors: FileErrors = errors
        .into_iter()
        .map(|(key, reason)| FileError::key(name, key, reason))
        .collect();
    errors.into_result(study)
}
