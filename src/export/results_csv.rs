//! results.csv and results_by_group.csv (docs/exports.md).

use crate::domain::stats::Figures;
use crate::export::{csv_cell, csv_file};
use crate::service::results::{ResultLine, ResultsTable};

/// The header of results.csv. results_by_group.csv has "the same columns plus `group`" (see
/// `csv_file::results_lead_header`).
pub fn header(table: &ResultsTable, by_group: bool) -> Vec<String> {
    let mut columns = csv_file::results_lead_header(by_group);
    // In a study with criteria: one line per item and criterion, plus the item's own line
    // (criterion empty) with its combined status.
    if !table.criteria.is_empty() {
        columns.push("criterion".into());
    }
    for name in ["section", "item_text", "invited", "responded", "n", "unable"] {
        columns.push(name.into());
    }
    for v in table.scale_min..=table.scale_max {
        columns.push(format!("c{v}"));
    }
    columns.extend(Figures::NAMES.iter().map(|name| name.to_string()));
    columns.push("status".into());
    for alternative in &table.alternatives {
        columns.push(format!("status_{alternative}"));
    }
    columns
}

fn record(line: &ResultLine, by_group: bool) -> Vec<String> {
    let mut cells = csv_file::results_lead(line.round, &line.group, &line.item_code, by_group);
    if let Some(criterion) = &line.criterion {
        cells.push(csv_cell::text(criterion));
    }
    cells.push(csv_cell::text(&line.section));
    cells.push(csv_cell::text(&line.item_text));
    for n in [line.invited, line.responded] {
        cells.push(n.to_string());
    }
    if line.criterion.as_deref() == Some("") {
        // The item's combined line: its figures are its criteria's, on their own lines.
        let width = 2 + line.counts.len() + Figures::NAMES.len();
        cells.extend(std::iter::repeat_n(String::new(), width));
    } else {
        for n in [line.n, line.unable] {
            cells.push(n.to_string());
        }
        cells.extend(line.counts.iter().map(u64::to_string));
        for value in line.figures.in_order() {
            cells.push(csv_cell::number(value));
        }
    }
    cells.push(line.status.to_string());
    cells.extend(line.alternative_statuses.iter().cloned());
    cells
}

/// The whole file as UTF-8 text with RFC 4180 quoting and CRLF line ends.
pub fn write(table: &ResultsTable, by_group: bool) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(header(table, by_group))?;
    for line in &table.lines {
        writer.write_record(record(line, by_group))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
