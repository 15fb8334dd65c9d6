//! Reading the study file (`study.toml`), what a coordinator writes to set a study up, and its
//! JSON form (the API's "create study" body) into a checked [`StudyFile`](super::study::StudyFile).
//!
//! Parsing happens in three steps, each reporting every problem it can find:
//! 1. TOML syntax (all syntax errors, by line);
//! 2. shape: serde with `deny_unknown_fields`, so a typo such as `stop_when_all_resolvd` is an
//!    error instead of a silently ignored key (serde stops at the first such error);
//! 3. meaning: patterns, uniqueness and cross-references, collected all at once.
//!
//! Errors name the key path (`rounds.max`, `item[3].section`, indices counting from 1) and, in
//! the reason, the line. `[scale]` and `[consensus]` are kept as their raw specs here: turning
//! them into a validated scale and rule set is done by `Scale::from_spec` and `RuleSet::compile`.

mod check;
mod from_json;
mod from_toml;
mod inline_items;
mod raw;
mod spans;
#[cfg(test)]
mod tests;
mod wording;

pub use check::ItemsRule;
pub use from_json::{parse_study_json, parse_study_json_with};
pub use from_toml::parse_study_file;
