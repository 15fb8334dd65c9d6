//! Errors found in a file a coordinator hands us (study file, items, panel, responses).
//!
//! Parsers collect every problem they can find before giving up, so that a coordinator fixes a
//! file in one pass instead of re-uploading it once per typo. Each error names the file, where in
//! it the problem is (key path for TOML, line and column name for tables) and why.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Location {
    /// The file as a whole (empty file, unreadable workbook, missing header, ...).
    Whole,
    /// A key path in a TOML file, e.g. `rounds.max` or `item[3].section` (indices count from 1).
    Key(String),
    /// A line of a CSV file, or a row number of a spreadsheet (the header is line 1).
    Line(u64),
    /// One column (named by its header) of one line.
    LineField { line: u64, field: String },
}

impl Location {
    /// The line it names; 0 for the whole file or a key.
    pub fn line(&self) -> u64 {
        match self {
            Location::Whole | Location::Key(_) => 0,
            Location::Line(line) | Location::LineField { line, .. } => *line,
        }
    }

    /// The column it names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Location::LineField { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    /// The file's display name, as the caller gave it (usually its name without a directory).
    pub file: String,
    pub location: Location,
    /// Why the content was rejected, as a phrase a coordinator can act on.
    pub reason: String,
}

impl FileError {
    pub fn whole(file: &str, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: Location::Whole,
            reason: reason.into(),
        }
    }

    pub fn key(file: &str, key: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: Location::Key(key.into()),
            reason: reason.into(),
        }
    }

    pub fn line(file: &str, line: u64, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: Location::Line(line),
            reason: reason.into(),
        }
    }

    pub fn field(file: &str, line: u64, field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: Location::LineField {
                line,
                field: field.into(),
            },
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Whole => write!(f, "{}: {}", self.file, self.reason),
            Location::Key(key) => write!(f, "{}: key `{}`: {}", self.file, key, self.reason),
            Location::Line(line) => write!(f, "{}: line {}: {}", self.file, line, self.reason),
            Location::LineField { line, field } => write!(
                f,
                "{}: line {}, field `{}`: {}",
                self.file, line, field, self.reason
            ),
        }
    }
}

impl std::error::Error for FileError {}

/// Every problem found in a file (never empty when returned as an error).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileErrors(pub Vec<FileError>);

impl FileErrors {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn push(&mut self, error: FileError) {
        self.0.push(error);
    }

    pub fn extend(&mut self, errors: impl IntoIterator<Item = FileError>) {
        self.0.extend(errors);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FileError> {
        self.0.iter()
    }

    pub fn into_vec(self) -> Vec<FileError> {
        self.0
    }

    /// In file order: problems of the whole file first, then line by line. Stable, so the
    /// problems of one line keep the order of its columns, and a list gathered in several
    /// passes (the rows, then checks against the study) reads as one.
    pub fn sort_by_line(&mut self) {
        self.0.sort_by_key(|e| e.location.line());
    }

    /// `Ok(value)` when nothing was collected, so a parser can finish with
    /// `errors.into_result(parsed)`.
    pub fn into_result<T>(self, value: T) -> Result<T, FileErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.split_first() {
            None => write!(f, "no errors"),
            Some((first, [])) => write!(f, "{first}"),
            Some((first, rest)) => write!(f, "{first} (and {} more)", rest.len()),
        }
    }
}

impl std::error::Error for FileErrors {}

impl From<FileError> for FileErrors {
    fn from(error: FileError) -> Self {
        Self(vec![error])
    }
}

impl From<Vec<FileError>> for FileErrors {
    fn from(errors: Vec<FileError>) -> Self {
        Self(errors)
    }
}

impl IntoIterator for FileErrors {
    type Item = FileError;
    type IntoIter = std::vec::IntoIter<FileError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a FileErrors {
    type Item = &'a FileError;
    type IntoIter = std::slice::Iter<'a, FileError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<FileError> for FileErrors {
    fn from_iter<I: IntoIterator<Item = FileError>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// The rows whose reference (`key_of`) is none of the `known` keys, each refused as `refuse`
/// words it given the list of known keys (a panel's groups, an items file's sections).
pub(super) fn unknown_references<R>(
    rows: &[R],
    known: &BTreeSet<String>,
    key_of: impl Fn(&R) -> &str,
    refuse: impl Fn(&R, &str) -> FileError,
) -> Result<(), FileErrors> {
    let listed = known_list(known);
    rows.iter()
        .filter(|row| !known.contains(key_of(row)))
        .map(|row| refuse(row, &listed))
        .collect::<FileErrors>()
        .into_result(())
}

/// Where a test expects an error: `line`, column `name`.
#[cfg(test)]
pub(super) fn field(line: u64, name: &str) -> Location {
    Location::LineField {
        line,
        field: name.to_owned(),
    }
}

/// The choices a reason offers, as a sentence says them: `a`, `a or b`, `a, b or c`.
pub fn or_list<S: AsRef<str>>(choices: &[S]) -> String {
    match choices.split_last() {
        Some((last, [])) => last.as_ref().to_owned(),
        Some((last, others)) => {
            let others: Vec<&str> = others.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", others.join(", "), last.as_ref())
        }
        None => String::new(),
    }
}

/// Known keys for a reason such as "(known: infant, maternal)"; `none` when there are none.
pub(super) fn known_list(keys: &BTreeSet<String>) -> String {
    if keys.is_empty() {
        "none".to_owned()
    } else {
        keys.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_each_location_on_one_line() {
        let key = FileError::key("study.toml", "scale.max", "must be greater than scale.min (1)");
        assert_eq!(
            key.to_string(),
            "study.toml: key `scale.max`: must be greater than scale.min (1)"
        );
        let field = FileError::field("panel.csv", 7, "email", "\"bob@\" is not an email address");
        assert_eq!(
            field.to_string(),
            "panel.csv: line 7, field `email`: \"bob@\" is not an email address"
        );
        assert_eq!(
            FileError::line("items.csv", 3, "expected 3 fields, found 4").to_string(),
            "items.csv: line 3: expected 3 fields, found 4"
        );
        assert_eq!(
            FileError::whole("items.csv", "the file is empty").to_string(),
            "items.csv: the file is empty"
        );
    }

    #[test]
    fn many_errors_show_the_first_and_a_count() {
        let errors: FileErrors = (1..=3).map(|n| FileError::line("panel.csv", n, "bad")).collect();
        assert_eq!(errors.to_string(), "panel.csv: line 1: bad (and 2 more)");
        assert_eq!(errors.iter().count(), 3);
        let one = FileErrors::from(FileError::line("panel.csv", 1, "bad"));
        assert_eq!(one.to_string(), "panel.csv: line 1: bad");
        assert_eq!(FileErrors::new().into_result(5), Ok(5));
        assert!(one.into_result(()).is_err());
    }
}
