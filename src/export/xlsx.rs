//! The XLSX workbook: a formatted summary sheet and the final list laid out like the report's
//! appendix, then one sheet per CSV file of the package.
//!
//! The CSV sheets are built from the CSV text itself, so a workbook can never disagree with the
//! CSV files beside it. Text cells arrive already neutralised by `csv_cell::text` (a leading `'`
//! before `=`, `+`, `-`, `@`, tab, CR). Every number is a number cell holding the full value,
//! shown rounded by the number format of its statistic (`domain::stats::display`), so that a
//! spreadsheet computes with every digit while people read the digits the report shows.

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::domain::rule::Status;
use crate::domain::stats::display::Stat;
use crate::export::{csv_cell, words, ExportError};
use crate::service::export::{ConsensusLine, StudyExport};

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

/// The statistic a numeric column of the package's CSV files holds, for its number format;
/// `None` leaves the spreadsheet's general format (a column this list does not know yet).
fn column_stat(name: &str) -> Option<Stat> {
    Some(match name {
        "mean" | "attrition_responders_mean" | "attrition_non_responders_mean" | "attrition_difference" => {
            Stat::Mean
        }
        "sd" => Stat::Sd,
        "median" => Stat::Median,
        "q1" | "q3" | "p30" | "p70" => Stat::Quantile,
        "iqr" => Stat::Iqr,
        "ipr" => Stat::Ipr,
        "ipras" => Stat::Ipras,
        "di" => Stat::Di,
        "share_top" | "share_bottom" | "moved_band_percent" => Stat::Percent,
        "delta_median" => Stat::MedianChange,
        n if n.starts_with("delta_share_") => Stat::PercentPoints,
        "round"
        | "invited"
        | "responded"
        | "n"
        | "unable"
        | "score"
        | "decided_in_round"
        | "paired"
        | "moved_band"
        | "attrition_responders"
        | "attrition_non_responders"
        | "invited_rounds"
        | "responded_rounds"
        | "submitted_rounds" => Stat::Count,
        n if n.strip_prefix('c').is_some_and(|v| v.parse::<i32>().is_ok()) => Stat::Count,
        _ => return None,
    })
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

/// A text cell from study data: neutralised against formulas, clipped to what Excel accepts.
fn safe(text: &str) -> String {
    clip(&csv_cell::text(text))
}

fn xlsx(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

/// The bold header of every table.
fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE4EE))
        .set_align(FormatAlign::Top)
}

/// The number format of `stat`.
fn number(stat: Stat) -> Format {
    Format::new().set_num_format(stat.number_format())
}

/// The workbook as bytes. `tables` are (sheet name, CSV text) pairs.
pub fn workbook(data: &StudyExport, tables: &[(&str, &str)]) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    summary(book.add_worksheet(), data).map_err(xlsx)?;
    final_list(book.add_worksheet(), data).map_err(xlsx)?;
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
    let bold = header_format();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    // One format per column, made once: the workbook shares identical formats anyway.
    let formats: Vec<Option<Format>> = header
        .iter()
        .map(|name| column_stat(name).filter(|_| !text_column(name)).map(number))
        .collect();
    for (col, name) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, name, &bold)
            .map_err(xlsx)?;
        let width = match name.as_str() {
            "item_text" | "comment" | "reason" | "text" | "description" => 60.0,
            n if n.starts_with("text_") || n.starts_with("description_") => 40.0,
            "email" | "name" | "saved_at" => 24.0,
            _ => (name.len() as f64 + 3.0).max(8.0),
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
                (false, Ok(v), _) if v.is_finite() => match formats.get(col).and_then(Option::as_ref) {
                    Some(format) => {
                        sheet
                            .write_number_with_format(row, col16, v, format)
                            .map_err(xlsx)?;
                    }
                    None => {
                        sheet.write_number(row, col16, v).map_err(xlsx)?;
                    }
                },
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

/// A value of the summary's list of facts.
enum Fact {
    Text(String),
    Count(usize),
}

fn summary(sheet: &mut Worksheet, data: &StudyExport) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(16);
    let label = Format::new().set_bold().set_align(FormatAlign::Top);
    let head = header_format().set_text_wrap();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let count = number(Stat::Count).set_align(FormatAlign::Left);
    let whole = number(Stat::Count);
    let percent = number(Stat::Percent);
    let study = &data.study;
    sheet.set_name("summary")?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 90)?;
    for col in 2..11 {
        sheet.set_column_width(col, 13)?;
    }
    sheet.write_string_with_format(0, 0, safe(&study.title), &title)?;
    let mut facts: Vec<(&str, Fact)> = vec![
        ("Study (slug)", Fact::Text(study.slug.clone())),
        ("Status", Fact::Text(study.status.to_string())),
        (
            "Finish reason",
            Fact::Text(study.finish_reason.clone().unwrap_or_default()),
        ),
        ("Scale", Fact::Text(data.study.scale.describe())),
    ];
    for (name, rule) in data.study.rules.rules() {
        let primary = name == crate::domain::rule::PRIMARY;
        facts.push((
            if primary {
                "Consensus rule (primary)"
            } else {
                "Alternative rule"
            },
            Fact::Text(if primary {
                rule.describe()
            } else {
                format!("{name}: {}", rule.describe())
            }),
        ));
    }
    facts.extend([
        (
            "Rule SHA-256",
            Fact::Text(study.rule_hash.clone().unwrap_or_else(|| "not locked yet".into())),
        ),
        (
            "Rule locked at (UTC)",
            Fact::Text(
                study
                    .rule_locked_at
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default(),
            ),
        ),
        ("Experts in the panel", Fact::Count(data.participants.len())),
        ("Items rated", Fact::Count(data.consensus.len())),
        (
            "Items with consensus in",
            Fact::Count(data.final_count(Status::In)),
        ),
        (
            "Items with consensus out",
            Fact::Count(data.final_count(Status::Out)),
        ),
        (
            "Items with no consensus",
            Fact::Count(data.final_count(Status::None)),
        ),
        (
            "Experts shown as",
            Fact::Text(if data.identified {
                "pseudonyms with email and name (identified export)".into()
            } else {
                "pseudonyms (E001…)".into()
            }),
        ),
        (
            "Generated (UTC)",
            Fact::Text(data.generated_at.format("%Y-%m-%d %H:%M:%S").to_string()),
        ),
    ]);
    let mut row = 2u32;
    for (name, value) in facts {
        sheet.write_string_with_format(row, 0, name, &label)?;
        match value {
            Fact::Text(text) => sheet.write_string_with_format(row, 1, safe(&text), &wrap)?,
            Fact::Count(n) => sheet.write_number_with_format(row, 1, n as f64, &count)?,
        };
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
        words::status(Status::In),
        words::status(Status::Out),
        // After the earlier columns, so that a sheet read by position still reads.
        "Submitted",
        "Answered without submitting",
        words::status(Status::None),
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(row, col as u16, *name, &head)?;
    }
    for round in &data.rounds {
        row += 1;
        let closed = round.status == crate::domain::round::RoundState::Closed;
        sheet.write_number_with_format(row, 0, round.number, &whole)?;
        sheet.write_string(row, 1, round.status.as_str())?;
        for (col, n) in [
            (2, round.items),
            (3, round.invited),
            (4, round.responded),
            (8, round.submitted),
            (9, round.answered_not_submitted),
        ] {
            sheet.write_number_with_format(row, col, n as f64, &whole)?;
        }
        if round.invited > 0 {
            sheet.write_number_with_format(
                row,
                5,
                100.0 * round.responded as f64 / round.invited as f64,
                &percent,
            )?;
        }
        // Statuses exist once a round has closed; an open round's are not zero but unknown.
        if closed {
            for (col, n) in [(6, round.in_), (7, round.out), (10, round.none)] {
                sheet.write_number_with_format(row, col, n as f64, &whole)?;
            }
        }
    }
    Ok(())
}

/// The final list as the report's appendix lays it out — the items that reached consensus, then
/// those that did not, by section — as one table a spreadsheet can filter and sort, with the
/// section as a column. Statuses are words here; the `consensus` sheet keeps the values.
fn final_list(sheet: &mut Worksheet, data: &StudyExport) -> Result<(), XlsxError> {
    let head = header_format().set_text_wrap();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let formats = |stat: Stat| number(stat).set_align(FormatAlign::Top);
    let bands = data.study.scale.bands();
    sheet.set_name("final_list")?;
    let mut columns: Vec<(String, f64)> = [
        ("Section", 24.0),
        ("Code", 9.0),
        ("Item", 60.0),
        ("Final status", 15.0),
        ("Round decided", 9.0),
        ("Last round", 9.0),
        ("n", 6.0),
        ("Median", 9.0),
        ("Q1", 7.0),
        ("Q3", 7.0),
    ]
    .iter()
    .map(|(name, width)| (name.to_string(), *width))
    .collect();
    columns.extend(bands.iter().map(|b| (format!("% {}–{}", b.from, b.to), 9.0)));
    for (col, (name, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, name, &head)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    let mut row = 0u32;
    let lines: Vec<(&str, &ConsensusLine)> = [true, false]
        .into_iter()
        .flat_map(|decided| data.final_by_section(decided))
        .flat_map(|(title, lines)| lines.into_iter().map(move |line| (title, line)))
        .collect();
    for (section, line) in lines {
        row += 1;
        sheet.write_string_with_format(row, 0, safe(section), &top)?;
        sheet.write_string_with_format(row, 1, safe(&line.item_code), &top)?;
        sheet.write_string_with_format(row, 2, safe(&line.item_text), &wrap)?;
        sheet.write_string_with_format(row, 3, words::status(line.status), &top)?;
        if let Some(round) = line.decided_in_round {
            sheet.write_number_with_format(row, 4, round, &formats(Stat::Count))?;
        }
        sheet.write_number_with_format(row, 5, line.last_round, &formats(Stat::Count))?;
        sheet.write_number_with_format(row, 6, line.n, &formats(Stat::Count))?;
        let figures = [
            (line.median, Stat::Median),
            (line.q1, Stat::Quantile),
            (line.q3, Stat::Quantile),
        ]
        .into_iter()
        .chain(line.band_shares.iter().map(|s| (*s, Stat::Percent)));
        for (i, (value, stat)) in figures.enumerate() {
            if let Some(v) = value.filter(|v| v.is_finite()) {
                sheet.write_number_with_format(row, 7 + i as u16, v, &formats(stat))?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row, columns.len() as u16 - 1)?;
    // Printed like the report's appendix: A4 landscape, one page wide, the header on every page.
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statistic_column_of_the_csv_files_has_its_number_format() {
        let format = |name: &str| column_stat(name).map(Stat::number_format);
        assert_eq!(format("sd"), Some("0.00"));
        assert_eq!(format("mean"), Some("0.00"));
        assert_eq!(format("median"), Some("0.0"));
        assert_eq!(format("q3"), Some("0.0"));
        assert_eq!(format("di"), Some("0.00"));
        assert_eq!(format("share_top"), Some("0.0"));
        assert_eq!(format("delta_share_7_9"), Some("+0.0;-0.0;0.0"));
        assert_eq!(format("c-3"), Some("0"));
        assert_eq!(format("c10"), Some("0"));
        assert_eq!(format("item_code"), None);
        assert_eq!(format("comment"), None);
    }
}
