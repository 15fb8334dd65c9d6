//! ranking.csv, the results of a ranking round (docs/exports.md): `round, item_code, section,
//! item_text, chosen, first, points`, then per group in the study's order `points_<g>,
//! share_<g>, rank_<g>`, then `score, rank`; one row per item, by rank, ties by item code. And
//! rankings.csv, the lists behind it, one row per chosen item: `round, expert, group,
//! item_code, position`.

use crate::export::{csv_cell, csv_file};
use crate::service::ranking::{RankingAnswerLine, RankingTable};

/// The header for a study whose groups are `groups` (keys, in the study's order).
pub fn header(groups: &[String]) -> Vec<String> {
    let mut columns: Vec<String> = [
        "round",
        "item_code",
        "section",
        "item_text",
        "chosen",
        "first",
        "points",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for group in groups {
        columns.push(format!("points_{group}"));
        columns.push(format!("share_{group}"));
        columns.push(format!("rank_{group}"));
    }
    columns.push("score".into());
    columns.push("rank".into());
    columns
}

/// Every ranking round's rows under one header; `groups` as in [`header`].
pub fn write(groups: &[String], tables: &[RankingTable]) -> Result<String, csv::Error> {
    csv_file::write(
        &header(groups),
        tables.iter().flat_map(|table| {
            table.lines.iter().map(|line| {
                let mut cells = vec![
                    line.round.to_string(),
                    csv_cell::text(&line.item_code),
                    csv_cell::text(&line.section),
                    csv_cell::text(&line.item_text),
                    line.chosen.to_string(),
                    line.first.to_string(),
                    line.points.to_string(),
                ];
                for group in &line.groups {
                    cells.push(group.points.to_string());
                    cells.push(csv_cell::number(group.share));
                    cells.push(group.rank.map(|r| r.to_string()).unwrap_or_default());
                }
                cells.push(csv_cell::number(Some(line.score)));
                cells.push(line.rank.to_string());
                cells
            })
        }),
    )
}

pub fn answers_header(identified: bool) -> Vec<String> {
    let mut columns = vec!["round"];
    columns.extend(csv_file::expert_header(identified));
    columns.extend(["item_code", "position"]);
    columns.into_iter().map(String::from).collect()
}

/// rankings.csv.
pub fn write_answers(lines: &[RankingAnswerLine], identified: bool) -> Result<String, csv::Error> {
    csv_file::write(
        &answers_header(identified),
        lines.iter().map(|line| {
            let mut cells = vec![line.round.to_string()];
            cells.extend(csv_file::expert_cells(&line.who, identified));
            cells.extend([csv_cell::text(&line.item_code), line.position.to_string()]);
            cells
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ranking::{RankingGroupLine, RankingLine};

    #[test]
    fn columns_and_cells_follow_the_contract() {
        let groups = vec!["r".to_owned(), "p".to_owned()];
        let table = RankingTable {
            study: "s".into(),
            round: 2,
            choose: 2,
            combine: "equal_groups".into(),
            groups: groups.clone(),
            responded: 4,
            lines: vec![RankingLine {
                round: 2,
                item_code: "C".into(),
                section: "s".into(),
                item_text: "=cmd".into(),
                chosen: 2,
                first: 1,
                points: 3,
                groups: vec![
                    RankingGroupLine {
                        group: "r".into(),
                        points: 1,
                        share: Some(1.0 / 9.0),
                        rank: Some(3),
                    },
                    RankingGroupLine {
                        group: "p".into(),
                        points: 2,
                        share: None,
                        rank: None,
                    },
                ],
                score: 7.0 / 9.0,
                rank: 1,
            }],
        };
        let text = write(&groups, &[table]).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "round,item_code,section,item_text,chosen,first,points,points_r,share_r,rank_r,points_p,share_p,rank_p,score,rank"
        );
        assert_eq!(
            lines.next().unwrap(),
            format!("2,C,s,'=cmd,2,1,3,1,{},3,2,,,{},1", 1.0 / 9.0, 7.0 / 9.0)
        );
    }
}
