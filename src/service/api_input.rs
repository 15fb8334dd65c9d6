//! Input of the JSON API turned into the same validated values the files give. Rows arrive as
//! JSON arrays; they are written out as the CSV the command line reads and parsed by the same
//! parsers, so a row the API accepts is exactly a row `items import` (or `panel import`,
//! `responses import`) accepts. Errors name the array and the row (`items[2].section`, indices
//! counting from 1 as in the study file).

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::files::{scale_and_rules, StudyBundle};
use crate::domain::file_error::{FileError, FileErrors, Location};
use crate::domain::items_file::{self, ItemRow};
use crate::domain::panel_file::{self, PanelRow};
use crate::domain::responses_file::{self, ParsedResponses};
use crate::domain::study::ItemsSource;
use crate::domain::study_file;

/// The name errors give to the request body.
pub const BODY: &str = "request body";

/// One expert, as a panel CSV row.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelInput {
    pub email: String,
    pub name: String,
    pub group: String,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
}

/// One answer, as a responses CSV row. `score` is a whole number, `"U"` (unable to score) or
/// null (no answer; clears an earlier one).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    pub expert: String,
    pub item: String,
    /// The criterion the score is on, in a study with criteria (required there).
    #[serde(default)]
    pub criterion: Option<String>,
    #[serde(default)]
    pub score: Option<Value>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// `value` as a `T`, or an error naming the key path inside `array` (`items[2].text`).
pub fn rows_of<T: DeserializeOwned>(array: &str, value: Value) -> Result<Vec<T>, FileErrors> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = array.to_owned();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{}]", index + 1)),
                serde_path_to_error::Segment::Map { key } => path = format!("{path}.{key}"),
                serde_path_to_error::Segment::Enum { variant } => path = format!("{path}.{variant}"),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        let message = e.inner().to_string();
        if let Some(key) = between(&message, "unknown field `", "`") {
            if !path.ends_with(&format!(".{key}")) {
                path = format!("{path}.{key}");
            }
        }
        FileErrors::from(FileError::key(BODY, path, message))
    })
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// Errors of a CSV parser (line 1 is the header, row n is line n + 1) as key paths of `array`.
fn csv_errors_to_paths(array: &str, errors: FileErrors, header_line_offset: u64) -> FileErrors {
    errors
        .into_vec()
        .into_iter()
        .map(|e| row_error(array, e, header_line_offset))
        .collect()
}

/// A FileError naming a row of `array` by its 1-based index (`line - offset`).
pub fn row_error(array: &str, e: FileError, offset: u64) -> FileError {
    let path = match &e.location {
        Location::LineField { line, field } if *line > offset => {
            format!("{array}[{}].{field}", line - offset)
        }
        Location::Line(line) if *line > offset => format!("{array}[{}]", line - offset),
        Location::Key(key) => key.clone(),
        _ => array.to_owned(),
    };
    FileError::key(BODY, path, e.reason)
}

fn csv_text(header: &[String], rows: impl IntoIterator<Item = Vec<String>>) -> Result<String, FileErrors> {
    let fail = |e: csv::Error| FileErrors::from(FileError::whole(BODY, e.to_string()));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        writer.write_record(&row).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| FileErrors::from(FileError::whole(BODY, e.to_string())))?;
    String::from_utf8(bytes).map_err(|e| FileErrors::from(FileError::whole(BODY, e.to_string())))
}

/// The rows of `array`, laid out as the CSV file `header` heads and read by that file's reader
/// `parse`, with its errors as key paths of `array`.
fn read_as_csv<P>(
    array: &str,
    header: &[String],
    cells: impl IntoIterator<Item = Vec<String>>,
    parse: impl FnOnce(&str, &str) -> Result<P, FileErrors>,
) -> Result<P, FileErrors> {
    let text = csv_text(header, cells)?;
    parse(array, &text).map_err(|e| csv_errors_to_paths(array, e, 1))
}

/// Row n of a CSV file is its line n + 1 (line 1 is the header); of an array, its n-th entry.
fn renumber<'a>(lines: impl Iterator<Item = &'a mut u64>) {
    for line in lines {
        *line = line.saturating_sub(1);
    }
}

/// A JSON number or string as the text of a CSV cell.
fn cell(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Items rows (`ItemRow`'s JSON shape: code, section, text, description, translations) read as
/// the CSV import reads them. Each row's `line` becomes its 1-based index in the array.
pub fn items_from_json(value: Value) -> Result<Vec<ItemRow>, FileErrors> {
    let rows: Vec<ItemRow> = rows_of("items", value)?;
    let languages: BTreeSet<String> = rows.iter().flat_map(|r| r.translations.keys().cloned()).collect();
    let mut header: Vec<String> = ["code", "section", "text", "description"]
        .map(str::to_owned)
        .to_vec();
    for lang in &languages {
        header.push(format!("text_{lang}"));
        header.push(format!("description_{lang}"));
    }
    let cells = rows.iter().map(|row| {
        let mut cells = vec![
            row.code.clone(),
            row.section.clone(),
            row.text.clone(),
            row.description.clone().unwrap_or_default(),
        ];
        for lang in &languages {
            let t = row.translations.get(lang);
            cells.push(t.map(|t| t.text.clone()).unwrap_or_default());
            cells.push(t.and_then(|t| t.description.clone()).unwrap_or_default());
        }
        cells
    });
    let mut parsed = read_as_csv("items", &header, cells, items_file::parse_items_csv)?;
    renumber(parsed.iter_mut().map(|row| &mut row.line));
    Ok(parsed)
}

/// Panel rows read as the CSV import reads them; `line` is the 1-based index in the array.
pub fn panel_from_json(value: Value) -> Result<Vec<PanelRow>, FileErrors> {
    let rows: Vec<PanelInput> = rows_of("panel", value)?;
    let header = ["email", "name", "group", "country", "language"].map(str::to_owned);
    let cells = rows.into_iter().map(|r| {
        vec![
            r.email,
            r.name,
            r.group,
            r.country.unwrap_or_default(),
            r.language.unwrap_or_default(),
        ]
    });
    let mut parsed = read_as_csv("panel", &header, cells, panel_file::parse_panel_csv)?;
    renumber(parsed.iter_mut().map(|row| &mut row.line));
    Ok(parsed)
}

/// Answers read as the responses CSV is read; `line` is the 1-based index in the array.
pub fn responses_from_json(value: Value) -> Result<ParsedResponses, FileErrors> {
    let rows: Vec<ResponseInput> = rows_of("responses", value)?;
    // A `criterion` on any answer makes it a column, as in a responses file with criteria.
    let criteria = rows.iter().any(|r| r.criterion.is_some());
    let mut problems = FileErrors::new();
    let mut cells = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let score = match r.score {
            None | Some(Value::Null) => String::new(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("u") => s,
            Some(other) => {
                problems.push(FileError::key(
                    BODY,
                    format!("responses[{}].score", i + 1),
                    format!(
                        "`{other}` is not a score: give a whole number, \"U\" for unable to score, or null"
                    ),
                ));
                continue;
            }
        };
        let mut row = vec![r.expert, r.item];
        if criteria {
            row.push(r.criterion.unwrap_or_default());
        }
        row.extend([score, r.comment.unwrap_or_default()]);
        cells.push(row);
    }
    problems.into_result(())?;
    let header: Vec<String> = if criteria {
        vec!["expert", "item", "criterion", "score", "comment"]
    } else {
        vec!["expert", "item", "score", "comment"]
    }
    .into_iter()
    .map(str::to_owned)
    .collect();
    let mut parsed = read_as_csv("responses", &header, cells, responses_file::parse_responses_csv)?;
    renumber(parsed.rows.iter_mut().map(|row| &mut row.line));
    Ok(parsed)
}

/// One chosen item of a ranking round, as the API takes it: `{"expert", "item", "position"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingInput {
    pub expert: String,
    pub item: String,
    pub position: Value,
}

/// The rows of a ranking round's answers from JSON, checked exactly as the CSV file
/// (`expert,item,position`) is, with errors naming `rankings[3].position`.
pub fn rankings_from_json(value: Value) -> Result<crate::domain::ranking::ParsedRankings, FileErrors> {
    let rows: Vec<RankingInput> = rows_of("rankings", value)?;
    let cells = rows.into_iter().map(|r| vec![r.expert, r.item, cell(r.position)]);
    let header = ["expert", "item", "position"].map(str::to_owned);
    let mut parsed = read_as_csv(
        "rankings",
        &header,
        cells,
        crate::domain::ranking::parse_rankings_csv,
    )?;
    renumber(parsed.rows.iter_mut().map(|row| &mut row.line));
    Ok(parsed)
}

/// One CHNRI answer, as the API takes it: `{"expert", "item", "criterion", "question",
/// "answer"}`, `answer` one of `yes`, `undecided`, `no`, `dont_know`, or null (no answer).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChnriInput {
    pub expert: String,
    pub item: String,
    pub criterion: String,
    pub question: Value,
    #[serde(default)]
    pub answer: Option<String>,
}

/// A CHNRI round's answers from JSON, checked exactly as the CSV file
/// (`expert,item,criterion,question,answer`) is, with errors naming `answers[3].answer`.
pub fn chnri_from_json(
    value: Value,
) -> Result<crate::domain::chnri::responses::ParsedChnriResponses, FileErrors> {
    let rows: Vec<ChnriInput> = rows_of("answers", value)?;
    let cells = rows.into_iter().map(|r| {
        vec![
            r.expert,
            r.item,
            r.criterion,
            cell(r.question),
            r.answer.unwrap_or_default(),
        ]
    });
    let header = ["expert", "item", "criterion", "question", "answer"].map(str::to_owned);
    let parse = crate::domain::chnri::responses::parse_chnri_responses_csv;
    let mut parsed = read_as_csv("answers", &header, cells, parse)?;
    renumber(parsed.rows.iter_mut().map(|row| &mut row.line));
    Ok(parsed)
}

/// A study from the JSON form of the study file: the TOML structure, with `items` and `panel`
/// given inline as arrays (there are no files to refer to). `[[item]]` tables may also be
/// given as `item`, as in the TOML.
pub fn study_from_json(mut value: Value) -> Result<StudyBundle, FileErrors> {
    let mut panel_value = None;
    if let Value::Object(map) = &mut value {
        match map.remove("items") {
            Some(items @ Value::Array(_)) => {
                if map.contains_key("item") {
                    return Err(FileError::key(BODY, "items", "give the items either as `items` or as `item`, not both").into());
                }
                map.insert("item".into(), items);
            }
            Some(Value::Null) | None => {}
            Some(_) => {
                return Err(FileError::key(
                    BODY,
                    "items",
                    "must be an array of items ({\"code\", \"section\", \"text\", …}): the API has no files to refer to",
                )
                .into())
            }
        }
        match map.remove("panel") {
            Some(panel @ Value::Array(_)) => panel_value = Some(panel),
            Some(Value::Null) | None => {}
            Some(_) => {
                return Err(FileError::key(
                    BODY,
                    "panel",
                    "must be an array of experts ({\"email\", \"name\", \"group\", …}): the API has no files to refer to",
                )
                .into())
            }
        }
    }
    // The panel's rows are checked even when the study part is wrong, so one answer lists both.
    let panel_rows = panel_value.map(panel_from_json);
    let file = match study_file::parse_study_json(BODY, value) {
        Ok(file) => file,
        Err(mut errors) => {
            if let Some(Err(panel_errors)) = panel_rows {
                errors.extend(panel_errors.into_vec());
            }
            return Err(errors);
        }
    };
    let mut errors = FileErrors::new();
    let (scale, rules) = scale_and_rules(&file, BODY, &mut errors);
    let items = match &file.items {
        ItemsSource::Inline(rows) => rows.clone(),
        ItemsSource::File(_) => Vec::new(),
    };
    let panel = match panel_rows {
        None => Some(Vec::new()),
        Some(rows) => rows
            .and_then(|rows| {
                panel_file::check_groups("panel", &rows, &file.group_keys())
                    .map_err(|e| csv_errors_to_paths("panel", e, 0))?;
                Ok(rows)
            })
            .map_err(|e| errors.extend(e.into_vec()))
            .ok(),
    };
    match (scale, rules, panel) {
        (Some(scale), Some(rules), Some(panel)) if errors.is_empty() => Ok(StudyBundle {
            file,
            scale,
            rules,
            items,
            items_file: BODY.to_owned(),
            panel,
        }),
        _ => Err(errors),
    }
}
