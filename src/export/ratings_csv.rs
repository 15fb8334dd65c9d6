//! ratings.csv: tidy long data, one row per expert per item per closed round (docs/exports.md).

use crate::export::{csv_cell, csv_file};
use crate::service::export::RatingLine;

/// `criteria`: the study rates items on criteria, so each line names one (right after
/// `item_code`, as in results.csv).
pub fn header(identified: bool, criteria: bool) -> Vec<String> {
    let mut columns = vec!["round", "expert"];
    if identified {
        columns.extend(["email", "name"]);
    }
    columns.extend(["group", "item_code"]);
    if criteria {
        columns.push("criterion");
    }
    columns.extend(["score", "unable", "comment", "changed_band", "reason", "saved_at"]);
    columns.into_iter().map(String::from).collect()
}

pub fn write(lines: &[RatingLine], identified: bool, criteria: bool) -> Result<String, csv::Error> {
    csv_file::write(
        &header(identified, criteria),
        lines.iter().map(|line| {
            let mut cells = vec![line.round.to_string(), csv_cell::text(&line.expert)];
            if identified {
                cells.push(csv_file::text(line.email.as_deref()));
                cells.push(csv_file::text(line.name.as_deref()));
            }
            cells.extend([csv_cell::text(&line.group), csv_cell::text(&line.item_code)]);
            if criteria {
                cells.push(csv_file::text(line.criterion.as_deref()));
            }
            cells.extend([
                line.score.map(|s| s.to_string()).unwrap_or_default(),
                line.unable.to_string(),
                csv_file::text(line.comment.as_deref()),
                csv_file::boolean(line.changed_band),
                csv_file::text(line.reason.as_deref()),
                line.saved_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            ]);
            cells
        }),
    )
}
