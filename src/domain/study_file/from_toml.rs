//! A study file read from TOML: syntax errors by line, the first shape error by key path and
//! line, then every problem of meaning with the line of its key.

use toml::de::DeTable;

use super::check::{check_study, ItemsRule};
use super::raw::RawStudy;
use super::spans::{line_of, SpanIndex};
use super::wording::{between, humanize};
use crate::domain::file_error::{FileError, FileErrors, Location};
use crate::domain::study::StudyFile;

/// Parses and checks a study file. `name` is only used in error messages.
pub fn parse_study_file(name: &str, content: &str) -> Result<StudyFile, FileErrors> {
    let (document, syntax_errors) = DeTable::parse_recoverable(content);
    if !syntax_errors.is_empty() {
        // The parser's recovery after an error often reports follow-on errors on the same line;
        // one per line keeps independent mistakes without the noise.
        let mut errors: Vec<FileError> = Vec::new();
        for error in &syntax_errors {
            let error = syntax_error(name, content, error);
            if !errors.iter().any(|e| e.location == error.location) {
                errors.push(error);
            }
        }
        return Err(errors.into());
    }
    let index = SpanIndex::new(&document);
    let raw: RawStudy =
        toml::from_str(content).map_err(|e| FileErrors::from(shape_error(name, content, &index, &e)))?;
    let mut errors = index.wrong_pairs.clone();
    let study = check_study(raw, ItemsRule::Required, &mut errors);
    let errors: FileErrors = errors
        .into_iter()
        .map(|(key, reason)| {
            let reason = match index.offset_of(&key) {
                Some(offset) => format!("{reason} (line {})", line_of(content, offset)),
                None => reason,
            };
            FileError::key(name, key, reason)
        })
        .collect();
    errors.into_result(study)
}

fn syntax_error(name: &str, content: &str, error: &toml::de::Error) -> FileError {
    let line = error.span().map_or(1, |span| line_of(content, span.start));
    let mut reason = error.message().trim().to_owned();
    if let Some(text) = error
        .span()
        .and_then(|span| content.get(span))
        .filter(|t| !t.is_empty() && t.len() <= 40 && !t.contains('\n'))
    {
        reason.push_str(&format!(" (at `{text}`)"));
    }
    FileError::line(name, line as u64, reason)
}

/// Serde stops at its first error; this names where it was and rewords serde's Rust-flavoured
/// message ("expected u8", "struct RawRounds") for people who write TOML, not Rust.
fn shape_error(name: &str, content: &str, index: &SpanIndex, error: &toml::de::Error) -> FileError {
    let message = humanize(error.message());
    let span = error.span().filter(|s| !(s.start == 0 && s.end == 0));
    let mut path = span.as_ref().and_then(|s| index.path_at(s)).map(str::to_owned);
    if let Some(missing) = between(&message, "missing required key `", "`") {
        path = Some(match path {
            Some(table) => format!("{table}.{missing}"),
            None => missing.to_owned(),
        });
    }
    let mut reason = message.clone();
    if path.as_deref() == Some("items") && message.starts_with("invalid type") {
        reason.push_str(" (inline items are written as [[item]] tables)");
    }
    if let Some((_, last)) = path.as_deref().and_then(|p| p.rsplit_once('.')) {
        if message.starts_with("unknown key") && TOP_LEVEL_KEYS.contains(&last) {
            reason.push_str(&format!(
                "; TOML puts every key written below a [table] header into that table: move \
                 `{last}` above the first table"
            ));
        }
    }
    if let Some(span) = &span {
        reason.push_str(&format!(" (line {})", line_of(content, span.start)));
    }
    match path {
        Some(path) => FileError::key(name, path, reason),
        None => FileError {
            file: name.to_owned(),
            location: Location::Whole,
            reason,
        },
    }
}

const TOP_LEVEL_KEYS: [&str; 10] = [
    "slug",
    "method",
    "title",
    "description",
    "language",
    "languages",
    "anonymity",
    "timezone",
    "items",
    "panel",
];
