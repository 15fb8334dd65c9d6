//! Problems of lines pasted into a console form, and of the one-expert form, as a researcher
//! reads them: "Line 4, section: `mat` is not a section of the study (known: infant,
//! maternal)". The reasons are the file readers' own (`domain::paste` reads pasted lines as
//! file rows), so the wording matches what an import of the same rows says.

use crate::domain::file_error::{FileError, FileErrors, Location};
use crate::i18n;

/// A column's name in `lang`: `text` is the item's wording; unknown names stay as they are.
pub fn field_label(lang: &str, field: &str) -> String {
    let key = format!("paste-field-{field}");
    if i18n::has(lang, &key) {
        i18n::translate(lang, &key, &[])
    } else {
        field.to_string()
    }
}

/// One problem, with its line and column.
pub fn line_problem(lang: &str, error: &FileError) -> String {
    let reason = error.reason.clone();
    match &error.location {
        Location::LineField { line, field } => i18n::translate(
            lang,
            "paste-problem-field",
            &[
                ("line", (*line as i64).into()),
                ("field", field_label(lang, field).into()),
                ("reason", reason.into()),
            ],
        ),
        Location::Line(line) => i18n::translate(
            lang,
            "paste-problem-line",
            &[("line", (*line as i64).into()), ("reason", reason.into())],
        ),
        Location::Whole | Location::Key(_) => reason,
    }
}

/// Every problem, in line order.
pub fn line_problems(lang: &str, errors: &FileErrors) -> Vec<String> {
    errors.iter().map(|e| line_problem(lang, e)).collect()
}
