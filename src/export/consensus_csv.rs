//! consensus.csv: the final list, one row per item (docs/exports.md).

use crate::export::{csv_cell, csv_file};
use crate::service::export::ConsensusLine;

pub const COLUMNS: [&str; 10] = [
    "item_code",
    "section",
    "item_text",
    "status",
    "decided_in_round",
    "median",
    "q1",
    "q3",
    "share_top",
    "share_bottom",
];

pub fn write(lines: &[ConsensusLine]) -> Result<String, csv::Error> {
    csv_file::write(
        &COLUMNS,
        lines.iter().map(|line| {
            vec![
                csv_cell::text(&line.item_code),
                csv_cell::text(&line.section),
                csv_cell::text(&line.item_text),
                line.status.to_string(),
                line.decided_in_round.map(|r| r.to_string()).unwrap_or_default(),
                csv_cell::number(line.median),
                csv_cell::number(line.q1),
                csv_cell::number(line.q3),
                csv_cell::number(line.share_top),
                csv_cell::number(line.share_bottom),
            ]
        }),
    )
}
