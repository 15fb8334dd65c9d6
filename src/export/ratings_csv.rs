//! ratings.csv: tidy long data, one row per expert per item per closed round (docs/exports.md).

use crate::domain::study::{FeedbackTiming, StudyFile};
use crate::export::{csv_cell, csv_file};
use crate::service::export::RatingLine;

/// The optional columns: a study that does not use a feature exports exactly the columns it did
/// before the feature existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// `email` and `name` (an identified export).
    pub identified: bool,
    /// `criterion`, right after `item_code` as in results.csv: the study rates on criteria.
    pub criteria: bool,
    /// `pre_feedback_score`, after `score`: `[feedback] timing = "after_rating"`.
    pub pre_feedback: bool,
    /// `position`, after the item (and criterion): `[rounds] order = "random"` or
    /// `items_per_expert`.
    pub position: bool,
}

impl Columns {
    pub fn of(file: &StudyFile, identified: bool) -> Columns {
        Columns {
            identified,
            criteria: !file.criteria.is_empty(),
            pre_feedback: file.feedback.timing == FeedbackTiming::AfterRating,
            position: file.rounds.draws(),
        }
    }
}

pub fn header(columns: Columns) -> Vec<String> {
    let mut names = vec!["round"];
    names.extend(csv_file::expert_header(columns.identified));
    names.push("item_code");
    if columns.criteria {
        names.push("criterion");
    }
    if columns.position {
        names.push("position");
    }
    names.push("score");
    if columns.pre_feedback {
        names.push("pre_feedback_score");
    }
    names.extend(["unable", "comment", "changed_band", "reason", "saved_at"]);
    names.into_iter().map(String::from).collect()
}

fn number(value: Option<i32>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

pub fn write(lines: &[RatingLine], columns: Columns) -> Result<String, csv::Error> {
    csv_file::write(
        &header(columns),
        lines.iter().map(|line| {
            let mut cells = vec![line.round.to_string()];
            cells.extend(csv_file::expert_cells(&line.who, columns.identified));
            cells.push(csv_cell::text(&line.item_code));
            if columns.criteria {
                cells.push(csv_file::text(line.criterion.as_deref()));
            }
            if columns.position {
                cells.push(number(line.position));
            }
            cells.push(number(line.score));
            if columns.pre_feedback {
                cells.push(number(line.pre_feedback_score));
            }
            cells.extend([
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
