//! The XLSX workbook: a formatted summary sheet, then one sheet per CSV file of the package.
//!
//! Sheets are built from the CSV text itself, so a workbook can never disagree with the CSV
//! files beside it. Text cells arrive already neutralised by `csv_cell::text` (a leading `'`
//! before `=`, `+`, `-`, `@`, tab, CR); numbers are written as numbers so that spreadsheets
//! can compute with them.

use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use crate::domain::rule::Status;
use crate::export::{csv_cell, ExportError};
use crate::service::export::StudyExport;

/// Columns that hold text even when a value looks like a number (an item code `001`).
fn is_text_column(name: &str) -> bool {
    matches!(
        name,
        "item_code"
            | "section"
            | "item_text"
            | "group"
            | "expert"
            | "email"
            | "name"
            | "country"
            | "comment"
            | "reason"
            | "saved_at"
            | "status"
            | "status_previous"
    ) || name.starts_with("status_")
}

/// Excel refuses longer strings.
const MAX_CELL: usize = 32_767;

fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_CELL {
        text.to_string()
    } else {
        text.chars().take(MAX_CELL).collect()
    }
}

fn xlsx(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

/// The workbook as bytes. `tables` are (sheet name, CSV text) pairs.
pub fn workbook(data: &StudyExport, tables: &[(&str, &str)]) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    summary(book.add_worksheet(), data).map_err(xlsx)?;
    for (name, csv_text) in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).map_err(xlsx)?;
        table(sheet, csv_text, is_text_column)?;
    }
    book.save_to_buffer().map_err(xlsx)
}

/// A workbook of one sheet, `name`, holding `csv_text` with every cell as text: the import
/// templates, whose codes and keys must read back exactly as written (`001` stays `001`).
pub fn one_sheet(name: &str, csv_text: &str) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(xlsx)?;
    table(sheet, csv_text, |_| true)?;
    book.save_to_buffer().map_err(xlsx)
}

fn table(sheet: &mut Worksheet, csv_text: &str, text_column: fn(&str) -> bool) -> Result<(), ExportError> {
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE4EE));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    for (col, name) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, name, &bold)
            .map_err(xlsx)?;
        let width = match name.as_str() {
            "item_text" | "comment" | "reason" | "text" | "description" => 60.0,
            n if n.starts_with("text_") || n.starts_with("description_") => 40.0,
            "email" | "name" | "saved_at" => 24.0,
            _ => (name.len() as f64 + 2.0).max(8.0),
        };
        sheet.set_column_width(col as u16, width).map_err(xlsx)?;
    }
    let mut rows = 0u32;
    for (r, record) in reader.records().enumerate() {
        let record = record?;
        let row = r as u32 + 1;
        rows = row;
        for (col, cell) in record.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let col16 = col as u16;
            let text_column = header.get(col).is_some_and(|h| text_column(h));
            match (text_column, cell.parse::<f64>(), cell) {
                (false, Ok(v), _) if v.is_finite() => {
                    sheet.write_number(row, col16, v).map_err(xlsx)?;
                }
                (false, _, "true") => {
                    sheet.write_boolean(row, col16, true).map_err(xlsx)?;
                }
                (false, _, "false") => {
                    sheet.write_boolean(row, col16, false).map_err(xlsx)?;
                }
                _ => {
                    sheet.write_string(row, col16, clip(cell)).map_err(xlsx)?;
                }
            }
        }
    }
    if !header.is_empty() {
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        sheet
            .autofilter(0, 0, rows, header.len() as u16 - 1)
            .map_err(xlsx)?;
    }
    Ok(())
}

fn summary(sheet: &mut Worksheet, data: &StudyExport) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(16);
    let label = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE4EE));
    let wrap = Format::new().set_text_wrap();
    let study = &data.study;
    sheet.set_name("summary")?;
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 90)?;
    for col in 2..8 {
        sheet.set_column_width(col, 14)?;
    }
    sheet.write_string_with_format(0, 0, clip(&csv_cell::text(&study.title)), &title)?;
    let mut facts: Vec<(&str, String)> = vec![
        ("Study (slug)", study.slug.clone()),
        ("Status", study.status.to_string()),
        ("Finish reason", study.finish_reason.clone().unwrap_or_default()),
        ("Scale", data.study.scale.describe()),
    ];
    for (name, rule) in data.study.rules.rules() {
        facts.push((
            if name == crate::domain::rule::PRIMARY {
                "Consensus rule (primary)"
            } else {
                "Alternative rule"
            },
            format!(
                "{}{}",
                if name == crate::domain::rule::PRIMARY {
                    String::new()
                } else {
                    format!("{name}: ")
                },
                rule.describe()
            ),
        ));
    }
    facts.extend([
        (
            "Rule SHA-256",
            study.rule_hash.clone().unwrap_or_else(|| "not locked yet".into()),
        ),
        (
            "Rule locked at (UTC)",
            study
                .rule_locked_at
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
        ),
        ("Experts in the panel", data.participants.len().to_string()),
        ("Items rated", data.consensus.len().to_string()),
        (
            "Final status (in / out / none)",
            format!(
                "{} / {} / {}",
                data.final_count(Status::In),
                data.final_count(Status::Out),
                data.final_count(Status::None)
            ),
        ),
        (
            "Experts shown as",
            if data.identified {
                "pseudonyms with email and name (identified export)".into()
            } else {
                "pseudonyms (E001…)".into()
            },
        ),
        (
            "Generated (UTC)",
            data.generated_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        ),
    ]);
    let mut row = 2u32;
    for (name, value) in facts {
        sheet.write_string_with_format(row, 0, name, &label)?;
        sheet.write_string_with_format(row, 1, clip(&csv_cell::text(&value)), &wrap)?;
        row += 1;
    }
    row += 1;
    if data.has_no_results() {
        sheet.write_string(
            row,
            0,
            "No round has closed yet: results are computed when a round closes.",
        )?;
        row += 2;
    }
    for (col, name) in [
        "Round",
        "Status",
        "Items",
        "Invited",
        "Responded",
        "Response rate %",
        "In",
        "Out",
        // After the earlier columns, so that a sheet read by position still reads.
        "Submitted",
        "Answered without submitting",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(row, col as u16, *name, &head)?;
    }
    for round in &data.rounds {
        row += 1;
        sheet.write_number(row, 0, round.number)?;
        sheet.write_string(row, 1, round.status.as_str())?;
        sheet.write_number(row, 2, round.items as f64)?;
        sheet.write_number(row, 3, round.invited as f64)?;
        sheet.write_number(row, 4, round.responded as f64)?;
        if round.invited > 0 {
            sheet.write_number(row, 5, 100.0 * round.responded as f64 / round.invited as f64)?;
        }
        sheet.write_number(row, 6, round.in_ as f64)?;
        sheet.write_number(row, 7, round.out as f64)?;
        sheet.write_number(row, 8, round.submitted as f64)?;
        sheet.write_number(row, 9, round.answered_not_submitted as f64)?;
    }
    Ok(())
}
