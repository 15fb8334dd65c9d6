//! drift.csv: one row per round pair, item (and criterion) and set of experts — the panel, each
//! stakeholder group, the early and the later cohort (docs/statistics.md, "Drift").

use crate::domain::drift::{DriftFigures, Shift};
use crate::domain::stats::Ratio;
use crate::export::{csv_cell, csv_file};
use crate::service::drift::{DriftLine, DriftTable};

/// Every column but `criterion` (a study with criteria only), with its meaning: the header and
/// the codebook read this one list.
pub const COLUMNS: [(&str, &str); 20] = [
    ("previous_round", "round r − 1"),
    ("round", "round r, from 2"),
    ("item_code", "the item's code"),
    (
        "set",
        "whose figures: `panel`, `group:<key>` (a stakeholder group), `cohort:early` (first \
         answered in the study's first rating round) or `cohort:later`",
    ),
    (
        "median_previous",
        "the reference M: the panel's median of the item's round r − 1 scores (the same on every \
         row of the item); empty when nobody scored it",
    ),
    (
        "experts",
        "experts of the set counted: a score in round r − 1 and a final score in round r",
    ),
    (
        "distance_before",
        "mean of |round r − 1 score − M|; empty when experts = 0",
    ),
    (
        "distance_after",
        "mean of |round r final score − M|; empty when experts = 0",
    ),
    (
        "toward_median",
        "distance_before − distance_after: positive when the scores drew toward M",
    ),
    ("moved_toward", "experts whose distance to M shrank"),
    ("moved_away", "experts whose distance to M grew"),
    ("stayed", "experts whose distance to M did not change"),
    (
        "feedback_experts",
        "of the experts counted, those with a pre-feedback score in round r (`[feedback] timing = \
         \"after_rating\"`)",
    ),
    (
        "feedback_distance_before",
        "their mean |pre-feedback score − M|; empty when feedback_experts = 0",
    ),
    (
        "feedback_distance_after",
        "their mean |final score − M|; empty likewise",
    ),
    (
        "feedback_shift",
        "feedback_distance_before − feedback_distance_after: how far seeing the feedback moved \
         them toward M",
    ),
    (
        "feedback_toward",
        "of them, experts whose final score is nearer M than their pre-feedback score",
    ),
    ("feedback_away", "… farther from M"),
    ("feedback_stayed", "… as far"),
    (
        "later_minus_early",
        "on the `panel` row: toward_median of `cohort:later` minus that of `cohort:early`; empty \
         when either cohort has nobody counted, and on the other rows",
    ),
];

/// How the figures are written, for the codebook.
pub const PRECISION: &str = "Every figure is computed as an exact fraction and written as the \
     nearest double in its shortest form (up to 17 significant digits); counts are whole numbers. \
     An empty cell is a figure that is undefined.";

pub fn header(criteria: bool) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for (name, _) in &COLUMNS {
        columns.push((*name).to_owned());
        if criteria && *name == "item_code" {
            columns.push("criterion".to_owned());
        }
    }
    columns
}

pub fn write(table: &DriftTable) -> Result<String, csv::Error> {
    let criteria = table.lines.iter().any(|l| l.criterion.is_some());
    let mut rows = Vec::new();
    for line in &table.lines {
        let drift = &line.drift;
        let mut sets: Vec<(String, Option<&DriftFigures>)> = vec![("panel".into(), Some(&drift.pooled))];
        sets.extend(
            table
                .groups
                .iter()
                .map(|key| (format!("group:{key}"), drift.groups.get(key))),
        );
        sets.push(("cohort:early".into(), Some(&drift.early)));
        sets.push(("cohort:later".into(), Some(&drift.later)));
        for (set, figures) in sets {
            let later_minus_early = if set == "panel" {
                drift.later_minus_early
            } else {
                None
            };
            rows.push(row(line, criteria, set, figures, later_minus_early));
        }
    }
    csv_file::write(&header(criteria), rows)
}

fn decimal(value: Option<Ratio>) -> String {
    csv_cell::number(value.map(Ratio::to_f64))
}

fn row(
    line: &DriftLine,
    criteria: bool,
    set: String,
    figures: Option<&DriftFigures>,
    later_minus_early: Option<Ratio>,
) -> Vec<String> {
    let mut cells = vec![
        line.previous_round.to_string(),
        line.round.to_string(),
        csv_cell::text(&line.item_code),
    ];
    if criteria {
        cells.push(csv_file::text(line.criterion.as_deref()));
    }
    cells.push(csv_cell::text(&set));
    cells.push(decimal(line.drift.median));
    // A group without answers to the item has nobody counted.
    let empty = Shift {
        experts: 0,
        distance_before: None,
        distance_after: None,
        toward_median: None,
        movement: Default::default(),
    };
    let rounds = figures.map_or(&empty, |f| &f.between_rounds);
    cells.extend(shift_cells(rounds));
    match figures.and_then(|f| f.after_feedback.as_ref()) {
        Some(feedback) => cells.extend(shift_cells(feedback)),
        None => cells.extend(
            ["0".to_owned()]
                .into_iter()
                .chain(std::iter::repeat_n(String::new(), 6)),
        ),
    }
    cells.push(decimal(later_minus_early));
    cells
}

fn shift_cells(shift: &Shift) -> [String; 7] {
    [
        shift.experts.to_string(),
        decimal(shift.distance_before),
        decimal(shift.distance_after),
        decimal(shift.toward_median),
        shift.movement.toward.to_string(),
        shift.movement.away.to_string(),
        shift.movement.stayed.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::drift::item_drift;
    use crate::domain::drift::tests::worked_example;

    /// docs/statistics.md's worked example, as docs/exports.md prints its first two rows.
    #[test]
    fn the_worked_example_as_docs_exports_prints_it() {
        let (round2, experts) = worked_example();
        let table = DriftTable {
            study: "example".into(),
            groups: vec!["clinician".into(), "patient".into(), "nobody".into()],
            after_rating: true,
            first_round: 1,
            closed_rounds: 3,
            lines: vec![DriftLine {
                previous_round: 2,
                round: 3,
                item_code: "M01".into(),
                item_text: String::new(),
                criterion: None,
                drift: item_drift(&round2, &experts),
            }],
        };
        let text = write(&table).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], header(false).join(","));
        assert_eq!(
            lines[1],
            "2,3,M01,panel,6.5,5,2.1,1.7,0.4,2,1,2,5,2.1,1.7,0.4,2,1,2,-1.75"
        );
        assert_eq!(
            lines[2],
            "2,3,M01,group:clinician,6.5,3,2.5,2.5,0,1,1,1,3,2.5,2.5,0,1,1,1,"
        );
        assert_eq!(lines[4], "2,3,M01,group:nobody,6.5,0,,,,0,0,0,0,,,,,,,");
        assert_eq!(
            lines.len(),
            8,
            "panel, three groups, two cohorts, and the last line end"
        );
    }
}
