//! The CSV files of a CHNRI study (docs/exports.md): results.csv and results_by_group.csv with
//! the CHNRI columns, and chnri_answers.csv, the tidy answers they are computed from.

use crate::export::{csv_cell, csv_file};
use crate::service::chnri::{ChnriAnswerLine, ChnriLine, ChnriTable};

/// `round, [group,] item_code, section, item_text, invited, n, cs_<key>…, rps, wrps, aea, rank,
/// below`.
pub fn results_header(table: &ChnriTable, by_group: bool) -> Vec<String> {
    let mut columns = csv_file::results_lead_header(by_group);
    for name in ["section", "item_text", "invited", "n"] {
        columns.push(name.into());
    }
    columns.extend(table.criteria.iter().map(|key| format!("cs_{key}")));
    for name in ["rps", "wrps", "aea", "rank", "below"] {
        columns.push(name.into());
    }
    columns
}

fn results_record(line: &ChnriLine, by_group: bool) -> Vec<String> {
    let mut cells = csv_file::results_lead(line.round, &line.group, &line.item_code, by_group);
    cells.push(csv_cell::text(&line.section));
    cells.push(csv_cell::text(&line.item_text));
    cells.push(line.invited.to_string());
    cells.push(line.n.to_string());
    cells.extend(line.cs.iter().map(|v| csv_cell::number(*v)));
    for value in [line.rps, line.wrps, line.aea] {
        cells.push(csv_cell::number(value));
    }
    cells.push(line.rank.map(|r| r.to_string()).unwrap_or_default());
    cells.push(csv_cell::text(&line.below.join(";")));
    cells
}

pub fn write_results(table: &ChnriTable, by_group: bool) -> Result<String, csv::Error> {
    csv_file::write(
        &results_header(table, by_group),
        table.lines.iter().map(|line| results_record(line, by_group)),
    )
}

pub const ANSWERS_HEADER: [&str; 8] = [
    "round",
    "expert",
    "group",
    "item_code",
    "criterion",
    "question",
    "answer",
    "saved_at",
];

pub fn write_answers(lines: &[ChnriAnswerLine]) -> Result<String, csv::Error> {
    csv_file::write(
        &ANSWERS_HEADER,
        lines.iter().map(|line| {
            vec![
                line.round.to_string(),
                csv_cell::text(&line.expert),
                csv_cell::text(&line.group),
                csv_cell::text(&line.item_code),
                csv_cell::text(&line.criterion),
                line.question.to_string(),
                line.answer.clone(),
                line.saved_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_have_a_score_per_criterion_and_empty_cells_for_undefined() {
        let table = ChnriTable {
            study: "s".into(),
            criteria: vec!["answerability".into(), "equity".into()],
            lines: vec![ChnriLine {
                round: 1,
                group: "researcher".into(),
                item_code: "Q01".into(),
                section: "q".into(),
                item_text: "=cmd".into(),
                invited: 4,
                n: 3,
                cs: vec![Some(50.0), None],
                rps: None,
                wrps: None,
                aea: Some(11.0 / 18.0),
                rank: None,
                below: vec!["answerability".into()],
            }],
        };
        let text = write_results(&table, true).unwrap();
        assert_eq!(
            text,
            "round,group,item_code,section,item_text,invited,n,cs_answerability,cs_equity,rps,wrps,aea,rank,below\r\n\
             1,researcher,Q01,q,'=cmd,4,3,50,,,,0.6111111111111112,,answerability\r\n"
        );
    }
}
