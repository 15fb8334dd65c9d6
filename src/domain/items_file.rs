//! The items to rate, from a CSV file, the first sheet of an XLSX workbook, or inline `[[item]]`
//! tables of the study file. All three go through [`check_item`], so an item is held to the same
//! rules wherever it was written.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::file_error::{unknown_references, FileError, FileErrors};
use super::language::normalize_language_tag;
use super::sheet::{read_csv, read_xlsx, Sheet};

/// One item, as written by the coordinator (inline in the study file or as a table row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRow {
    pub code: String,
    /// Key of a `[[section]]` of the study file.
    pub section: String,
    pub text: String,
    /// Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Keyed by language tag (`fr`, `pt-BR`); a language missing here falls back to the study's
    /// default language for this item only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
    /// Line of the items file the row came from (0 for `[[item]]` tables of a study file), so
    /// that checks made later against the study can still name the line.
    #[serde(skip)]
    pub line: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Which parser an items file reference (`items = "items.xlsx"`) needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemsFileFormat {
    Csv,
    Xlsx,
}

impl ItemsFileFormat {
    /// From the file name's extension, case-insensitively.
    pub fn from_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Self::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(Self::Xlsx)
        } else {
            None
        }
    }
}

/// `[A-Za-z0-9][A-Za-z0-9._-]{0,31}`: codes appear in URLs, exports and response files.
pub fn is_valid_item_code(code: &str) -> bool {
    let mut chars = code.chars();
    match chars.next() {
        Some(first) if first.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    code.len() <= 32 && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Parses an items file of either format, chosen by the extension of `name`.
pub fn parse_items_file(name: &str, content: &[u8]) -> Result<Vec<ItemRow>, FileErrors> {
    let (items, errors) = read_items_file(name, content);
    errors.into_result(items)
}

/// An items file of either format: the items that could be read, and every problem found, so
/// that checks against the study (`check_sections`) can add theirs to the same list.
pub fn read_items_file(name: &str, content: &[u8]) -> (Vec<ItemRow>, FileErrors) {
    let sheet = match ItemsFileFormat::from_name(name) {
        Some(ItemsFileFormat::Xlsx) => read_xlsx(name, content, ITEMS_HEADER),
        Some(ItemsFileFormat::Csv) => match std::str::from_utf8(content) {
            Ok(text) => read_csv(name, text, ITEMS_HEADER),
            Err(e) => Err(FileError::whole(
                name,
                format!(
                    "is not UTF-8 text (invalid byte at offset {}); save it as \"CSV UTF-8\"",
                    e.valid_up_to()
                ),
            )
            .into()),
        },
        None => Err(FileError::whole(name, "items files must be .csv or .xlsx").into()),
    };
    match sheet {
        Ok(sheet) => read_items(name, sheet),
        Err(errors) => (Vec::new(), errors),
    }
}

pub fn parse_items_csv(name: &str, content: &str) -> Result<Vec<ItemRow>, FileErrors> {
    let (items, errors) = match read_csv(name, content, ITEMS_HEADER) {
        Ok(sheet) => read_items(name, sheet),
        Err(errors) => (Vec::new(), errors),
    };
    errors.into_result(items)
}

/// Reads the first sheet of the workbook; line numbers in errors are the sheet's row numbers.
pub fn parse_items_xlsx(name: &str, content: &[u8]) -> Result<Vec<ItemRow>, FileErrors> {
    let (items, errors) = match read_xlsx(name, content, ITEMS_HEADER) {
        Ok(sheet) => read_items(name, sheet),
        Err(errors) => (Vec::new(), errors),
    };
    errors.into_result(items)
}

/// Checks that every item belongs to a section of the study. Rows from an items file are named
/// by their line; `[[item]]` tables of a study file (line 0) by their code.
pub fn check_sections(file: &str, rows: &[ItemRow], known: &BTreeSet<String>) -> Result<(), FileErrors> {
    let refuse = |row: &ItemRow, known: &str| {
        let reason = format!("`{}` is not a section of the study (known: {known})", row.section);
        if row.line > 0 {
            FileError::field(file, row.line, "section", reason)
        } else {
            FileError::whole(file, format!("item `{}`: section {reason}", row.code))
        }
    };
    unknown_references(rows, known, |row| &row.section, refuse)
}

/// A field of an item, so that one check can name it the way each format spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ItemField {
    Code,
    Section,
    Text,
    TranslationText(String),
}

impl ItemField {
    /// The column name in a CSV or XLSX file.
    pub(super) fn column(&self) -> String {
        match self {
            Self::Code => "code".to_owned(),
            Self::Section => "section".to_owned(),
            Self::Text => "text".to_owned(),
            Self::TranslationText(lang) => format!("text_{lang}"),
        }
    }

    /// The key below `item[n]` in the study file.
    pub(super) fn key(&self) -> String {
        match self {
            Self::TranslationText(lang) => format!("translations.{lang}.text"),
            other => other.column(),
        }
    }
}

/// The one validation path for an item, whatever file it came from. Returns the item in
/// canonical form: blank descriptions become `None`, since an empty description and none at
/// all must not be two different states.
pub(super) fn check_item(mut row: ItemRow) -> Result<ItemRow, Vec<(ItemField, String)>> {
    let mut problems = Vec::new();
    if row.code.is_empty() {
        problems.push((ItemField::Code, "must not be empty".to_owned()));
    } else if !is_valid_item_code(&row.code) {
        problems.push((
            ItemField::Code,
            format!(
                "`{}` is not a valid item code: use 1 to 32 letters, digits, `.`, `_` or `-`, \
                 starting with a letter or digit",
                row.code
            ),
        ));
    }
    if row.section.trim().is_empty() {
        problems.push((ItemField::Section, "must not be empty".to_owned()));
    }
    if row.text.trim().is_empty() {
        problems.push((ItemField::Text, "must not be empty".to_owned()));
    }
    row.description = row.description.filter(|d| !d.trim().is_empty());
    for (lang, translation) in &mut row.translations {
        if translation.text.trim().is_empty() {
            problems.push((
                ItemField::TranslationText(lang.clone()),
                "must not be empty".to_owned(),
            ));
        }
        translation.description = translation.description.take().filter(|d| !d.trim().is_empty());
    }
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

const ITEMS_HEADER: &str = "code,section,text";

#[derive(Debug, Clone, PartialEq, Eq)]
enum ItemColumn {
    Code,
    Section,
    Text,
    Description,
    TextIn(String),
    DescriptionIn(String),
}

fn classify_item_column(name: &str) -> Result<ItemColumn, String> {
    const EXPECTED: &str =
        "expected code, section, text, description, text_<language> or description_<language>";
    let translated = |lang: &str, make: fn(String) -> ItemColumn| {
        normalize_language_tag(lang)
            .map(make)
            .ok_or_else(|| format!("`{lang}` is not a language tag like `fr` or `pt-BR` ({EXPECTED})"))
    };
    match name {
        "code" => Ok(ItemColumn::Code),
        "section" => Ok(ItemColumn::Section),
        "text" => Ok(ItemColumn::Text),
        "description" => Ok(ItemColumn::Description),
        _ => {
            if let Some(lang) = name.strip_prefix("text_") {
                translated(lang, ItemColumn::TextIn)
            } else if let Some(lang) = name.strip_prefix("description_") {
                translated(lang, ItemColumn::DescriptionIn)
            } else {
                Err(format!("unknown column ({EXPECTED})"))
            }
        }
    }
}

fn item_column_name(column: &ItemColumn) -> String {
    match column {
        ItemColumn::Code => "code".to_owned(),
        ItemColumn::Section => "section".to_owned(),
        ItemColumn::Text => "text".to_owned(),
        ItemColumn::Description => "description".to_owned(),
        ItemColumn::TextIn(lang) => format!("text_{lang}"),
        ItemColumn::DescriptionIn(lang) => format!("description_{lang}"),
    }
}

/// The items of a table, whatever it was read from: those whose row is valid, and the
/// problems of every other row.
pub(super) fn read_items(file: &str, mut sheet: Sheet) -> (Vec<ItemRow>, FileErrors) {
    let required = [ItemColumn::Code, ItemColumn::Section, ItemColumn::Text];
    let Some(columns) = sheet.columns(file, classify_item_column, &required, item_column_name) else {
        return (Vec::new(), sheet.errors);
    };
    let Sheet {
        header,
        rows,
        mut errors,
    } = sheet;
    let languages: BTreeSet<String> = columns
        .kinds
        .iter()
        .flatten()
        .filter_map(|kind| match kind {
            ItemColumn::TextIn(lang) | ItemColumn::DescriptionIn(lang) => Some(lang.clone()),
            _ => None,
        })
        .collect();
    for lang in &languages {
        if !columns.has(&ItemColumn::TextIn(lang.clone())) {
            errors.push(FileError::field(
                file,
                header.line,
                format!("description_{lang}"),
                format!("a translated description needs a `text_{lang}` column too"),
            ));
        }
    }
    let mut items = Vec::with_capacity(rows.len());
    // Lower-cased, because codes differing only in case would be told apart by the database but
    // not by people reading exports or typing a responses file.
    let mut seen: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for row in &rows {
        errors.extend(columns.unheaded_values(file, row));
        let get = |kind: &ItemColumn| columns.value(row, kind).to_owned();
        let mut translations = BTreeMap::new();
        for lang in &languages {
            let text = get(&ItemColumn::TextIn(lang.clone()));
            let description = get(&ItemColumn::DescriptionIn(lang.clone()));
            if text.is_empty() {
                // A row may leave a language out (it falls back to the default language), but a
                // description alone would be shown under the untranslated text.
                if !description.is_empty() {
                    errors.push(FileError::field(
                        file,
                        row.line,
                        format!("text_{lang}"),
                        format!("must not be empty when `description_{lang}` is given"),
                    ));
                }
                continue;
            }
            translations.insert(
                lang.clone(),
                Translation {
                    text,
                    description: Some(description),
                },
            );
        }
        let raw = ItemRow {
            code: get(&ItemColumn::Code),
            section: get(&ItemColumn::Section),
            text: get(&ItemColumn::Text),
            description: Some(get(&ItemColumn::Description)),
            translations,
            line: row.line,
        };
        match check_item(raw) {
            Ok(item) => {
                match seen.get(&item.code.to_lowercase()) {
                    Some((first_line, first_code)) => errors.push(FileError::field(
                        file,
                        row.line,
                        "code",
                        duplicate_code_reason(&item.code, first_code, *first_line),
                    )),
                    None => {
                        seen.insert(item.code.to_lowercase(), (row.line, item.code.clone()));
                    }
                }
                items.push(item);
            }
            Err(problems) => {
                for (field, reason) in problems {
                    errors.push(FileError::field(file, row.line, field.column(), reason));
                }
            }
        }
    }
    (items, errors)
}

fn duplicate_code_reason(code: &str, first_code: &str, first_line: u64) -> String {
    if code == first_code {
        format!("code `{code}` already appears on line {first_line}")
    } else {
        format!(
            "code `{code}` differs only in case from `{first_code}` on line {first_line}; \
             codes must be unique regardless of case"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::file_error::{field, Location};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_workbook_that_makes_the_reader_panic_is_a_bad_file() {
        // Found by fuzz/fuzz_targets/items_xlsx.rs: calamine overflows on a cell reference.
        let content =
            include_bytes!("../../fuzz/regressions/items_xlsx/calamine-cell-reference-overflow.xlsx");
        let errors = errors_of(parse_items_file("items.xlsx", content));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("items.xlsx: is not a readable .xlsx workbook"),
            "{}",
            errors[0]
        );
    }

    fn csv_errors(csv: &str) -> Vec<FileError> {
        errors_of(parse_items_csv("items.csv", csv))
    }

    fn errors_of(result: Result<Vec<ItemRow>, FileErrors>) -> Vec<FileError> {
        match result {
            Ok(rows) => panic!("expected errors, got {rows:?}"),
            Err(errors) => errors.into_vec(),
        }
    }

    #[test]
    fn parses_quoted_fields_accents_and_other_scripts() {
        let csv = "code,section,text,description,text_fr,text_zh\n\
                   M01,maternal,\"Haemoglobin, in g/L\",\"Two\nlines\",Hémoglobine,血红蛋白\n\
                   M02,maternal,Ferritin,,,\n";
        let rows = parse_items_csv("items.csv", csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text, "Haemoglobin, in g/L");
        assert_eq!(rows[0].description.as_deref(), Some("Two\nlines"));
        assert_eq!(rows[0].translations["fr"].text, "Hémoglobine");
        assert_eq!(rows[0].translations["zh"].text, "血红蛋白");
        assert_eq!(rows[0].translations["zh"].description, None);
        assert_eq!(rows[1].description, None);
        assert!(rows[1].translations.is_empty());
    }

    #[test]
    fn tolerates_bom_crlf_case_and_spaces_in_header() {
        let csv = "\u{feff} Code , SECTION,Text,Description_PT-br\r\nM01,maternal,Ferritin,Ferritina?\r\n";
        let errors = csv_errors(csv);
        // description without text column is a header problem
        assert_eq!(errors[0].location, field(1, "description_pt-BR"));
        let csv = "\u{feff} Code , SECTION,Text,text_PT-br\r\nM01,maternal,Ferritin,Ferritina\r\n\r\n";
        let rows = parse_items_csv("items.csv", csv).unwrap();
        assert_eq!(rows[0].code, "M01");
        assert_eq!(rows[0].translations["pt-BR"].text, "Ferritina");
    }

    #[test]
    fn line_numbers_count_lines_inside_quoted_fields() {
        let csv = "code,section,text\nM01,s,\"a\nb\nc\"\nM02,s,\n";
        let errors = csv_errors(csv);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].location, field(5, "text"));
        assert_eq!(errors[0].reason, "must not be empty");
    }

    #[test]
    fn line_numbers_hold_for_every_line_ending() {
        for end in ["\n", "\r\n", "\r"] {
            let csv = ["code,section,text", "", "M01,s,\"a", "b\"", "", "M02,s,"].join(end) + end;
            let errors = csv_errors(&csv);
            assert_eq!(errors[0].location, field(6, "text"), "{end:?}");
        }
    }

    #[test]
    fn ragged_rows_are_reported_with_their_line() {
        let csv = "code,section,text\nM01,s,a,extra\nM02,s\nM03,s,ok\n";
        let errors = csv_errors(csv);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].location, Location::Line(2));
        assert!(errors[0].reason.contains("expected 3 fields"), "{}", errors[0]);
        assert_eq!(errors[1].location, Location::Line(3));
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let csv = "code,secton,text,colour\nM01,s,a,red\n";
        let errors = csv_errors(csv);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors[0].location, field(1, "secton"));
        assert!(shown[0].contains("unknown column"), "{shown:?}");
        assert_eq!(errors[1].location, field(1, "colour"));
        assert_eq!(errors[2].location, Location::Line(1));
        assert!(
            shown[2].contains("missing required column `section`"),
            "{shown:?}"
        );
    }

    #[test]
    fn duplicate_columns_and_bad_language_columns_are_errors() {
        let csv = "code,section,text,Code,text_french\nM01,s,a,M01,x\n";
        let errors = csv_errors(csv);
        assert!(errors[0].reason.contains("appears twice"), "{}", errors[0]);
        assert!(
            errors[1].reason.contains("`french` is not a language tag"),
            "{}",
            errors[1]
        );
    }

    #[test]
    fn duplicate_codes_name_both_lines_even_in_other_case() {
        let csv = "code,section,text\nM01,s,a\nM02,s,b\nM01,s,c\nm02,s,d\n";
        let errors = csv_errors(csv);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].location, field(4, "code"));
        assert_eq!(errors[0].reason, "code `M01` already appears on line 2");
        assert_eq!(errors[1].location, field(5, "code"));
        assert!(errors[1]
            .reason
            .contains("differs only in case from `M02` on line 3"));
    }

    #[test]
    fn bad_codes_and_empty_fields_are_all_reported() {
        let csv = "code,section,text\n-M,s,a\nM 2,,b\n";
        let errors = csv_errors(csv);
        let locations: Vec<Location> = errors.into_iter().map(|e| e.location).collect();
        assert_eq!(
            locations,
            vec![field(2, "code"), field(3, "code"), field(3, "section")]
        );
    }

    #[test]
    fn empty_and_header_only_files_are_clear_errors() {
        for content in ["", "\u{feff}", "\n\n", ",,\n"] {
            let errors = csv_errors(content);
            assert_eq!(errors[0].location, Location::Whole);
            assert!(errors[0].reason.contains("the file is empty"), "{}", errors[0]);
        }
        let errors = csv_errors("code,section,text\n");
        assert!(errors[0].reason.contains("no rows"));
    }

    #[test]
    fn values_without_header_are_errors_but_empty_trailing_columns_are_not() {
        let csv = "code,section,text,\nM01,s,a,\nM02,s,b,oops\n";
        let errors = csv_errors(csv);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].location, field(3, "column 4"));
    }

    #[test]
    fn translation_description_needs_translated_text() {
        let csv = "code,section,text,text_fr,description_fr\nM01,s,a,,desc\n";
        let errors = csv_errors(csv);
        assert_eq!(errors[0].location, field(2, "text_fr"));
    }

    #[test]
    fn check_sections_names_the_line_or_the_item() {
        let mut rows =
            parse_items_csv("items.csv", "code,section,text\nM01,maternal,a\nI01,infnt,b\n").unwrap();
        let known: BTreeSet<String> = ["infant".to_owned(), "maternal".to_owned()].into();
        let errors = check_sections("items.csv", &rows, &known).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors.to_string(),
            "items.csv: line 3, field `section`: `infnt` is not a section of the study \
             (known: infant, maternal)"
        );
        rows[1].line = 0;
        assert_eq!(
            check_sections("study.toml", &rows, &known)
                .unwrap_err()
                .to_string(),
            "study.toml: item `I01`: section `infnt` is not a section of the study \
             (known: infant, maternal)"
        );
        assert!(check_sections("items.csv", &rows[..1], &known).is_ok());
    }

    fn workbook(rows: &[&[&str]], start_row: u32) -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (r, cells) in rows.iter().enumerate() {
            for (c, value) in cells.iter().enumerate() {
                let (row, col) = (start_row + r as u32, c as u16);
                if let Ok(number) = value.parse::<f64>() {
                    sheet.write_number(row, col, number).unwrap();
                } else if !value.is_empty() {
                    sheet.write_string(row, col, *value).unwrap();
                }
            }
        }
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_first_sheet_is_read_with_sheet_row_numbers() {
        let bytes = workbook(
            &[
                &["Code", "Section", "Text", "text_fr"],
                &["M01", "maternal", "Haemoglobin", "Hémoglobine"],
                &["", "", "", ""],
                &["12", "maternal", "血红蛋白", ""],
            ],
            0,
        );
        let rows = parse_items_xlsx("items.xlsx", &bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].translations["fr"].text, "Hémoglobine");
        assert_eq!(rows[1].code, "12");
        assert_eq!(rows[1].text, "血红蛋白");
        assert_eq!(parse_items_file("ITEMS.XLSX", &bytes).unwrap(), rows);
    }

    #[test]
    fn xlsx_errors_use_sheet_row_numbers() {
        let bytes = workbook(
            &[
                &["code", "section", "text"],
                &["M01", "maternal", "a"],
                &["M01", "maternal", "b"],
            ],
            2,
        );
        let errors = errors_of(parse_items_xlsx("items.xlsx", &bytes));
        assert_eq!(errors[0].location, field(5, "code"));
        assert_eq!(errors[0].reason, "code `M01` already appears on line 4");
    }

    #[test]
    fn xlsx_dates_are_refused() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "code").unwrap();
        sheet.write_string(0, 1, "section").unwrap();
        sheet.write_string(0, 2, "text").unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 3).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_datetime_with_format(1, 0, &date, &format).unwrap();
        sheet.write_string(1, 1, "s").unwrap();
        sheet.write_string(1, 2, "t").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let errors = errors_of(parse_items_xlsx("items.xlsx", &bytes));
        assert_eq!(errors[0].location, field(2, "code"));
        assert!(errors[0].reason.contains("date"));
    }

    #[test]
    fn garbage_is_not_a_workbook_and_names_must_have_a_known_extension() {
        let errors = errors_of(parse_items_xlsx("items.xlsx", b"not a zip"));
        assert_eq!(errors[0].location, Location::Whole);
        assert!(parse_items_file("items.txt", b"code").is_err());
        let errors = errors_of(parse_items_file("items.csv", b"code,section,text\n\xff,s,t\n"));
        assert!(errors[0].reason.contains("UTF-8"));
    }

    proptest! {
        #[test]
        fn any_accepted_csv_has_unique_codes(
            rows in proptest::collection::vec(
                (
                    prop::sample::select(vec!["M01", "m01", "M02", "X.1", "", "a b", "\"q,\""]),
                    prop::sample::select(vec!["s", "", "t"]),
                    prop::sample::select(vec!["Text", "", "\"Quoted, text\"", "Hémoglobine"]),
                ),
                0..6,
            )
        ) {
            let mut csv = String::from("code,section,text\n");
            for (code, section, text) in &rows {
                csv.push_str(&format!("{code},{section},{text}\n"));
            }
            if let Ok(items) = parse_items_csv("items.csv", &csv) {
                let codes: BTreeSet<String> =
                    items.iter().map(|i| i.code.to_lowercase()).collect();
                prop_assert_eq!(codes.len(), items.len());
                // Rows with every cell empty are skipped, all others become items.
                let filled = rows.iter().filter(|(c, s, t)| !(c.is_empty() && s.is_empty() && t.is_empty()));
                prop_assert_eq!(items.len(), filled.count());
            }
        }
    }
}
