//! The answers of a ranking round typed in from elsewhere (`delphi responses import` into an open
//! ranking round): `expert,item,position`, one row per chosen item. And the rules every expert's
//! list obeys, wherever it comes from (this file, the expert page): positions are 1, 2, … with no
//! gap, each used once, none above `choose`, each item placed once.
//!
//! Parsing checks what the file alone can tell; [`validate_rankings`] checks the rows against the
//! round (panel, items, `choose`). Nothing is saved unless the whole file passes.

use std::collections::{BTreeMap, BTreeSet};

use super::super::file_error::{FileError, FileErrors};
use super::super::panel_file::{email_in, EmailAddress};
use super::super::sheet::{columns, read_csv_rows, Cells, ParsedRows};

/// One chosen item of one expert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingRow {
    pub line: u64,
    pub expert: EmailAddress,
    /// Item code.
    pub item: String,
    /// 1-based.
    pub position: u32,
}

pub type ParsedRankings = ParsedRows<RankingRow>;

columns! {
    enum RankingColumn {
        required Expert = "expert",
        required Item = "item",
        required Position = "position",
    }
}

/// Reads the file; a position that is not a whole number from 1 up, or an expert naming the
/// same item or the same position twice, is refused with its line.
pub fn parse_rankings_csv(name: &str, content: &str) -> Result<ParsedRankings, FileErrors> {
    let mut rows = Vec::new();
    let mut item_line: BTreeMap<(EmailAddress, String), u64> = BTreeMap::new();
    let mut position_line: BTreeMap<(EmailAddress, u32), u64> = BTreeMap::new();
    let errors = read_csv_rows(name, content, |cells: &mut Cells<'_, RankingColumn>| {
        let expert = email_in(cells, RankingColumn::Expert);
        let item = cells.required(RankingColumn::Item);
        let position =
            cells
                .required(RankingColumn::Position)
                .and_then(|text| match text.trim().parse::<u32>() {
                    Ok(p) if p >= 1 => Some(p),
                    _ => {
                        cells.problem(
                            RankingColumn::Position,
                            format!(
                            "`{text}` is not a position: write 1 for the first choice, 2 for the second, …"
                        ),
                        );
                        None
                    }
                });
        let (Some(expert), Some(item), Some(position)) = (expert, item, position) else {
            return;
        };
        let item_key = (expert.clone(), item.to_owned());
        if let Some(first) = item_line.get(&item_key) {
            cells.problem(
                RankingColumn::Item,
                format!("expert `{expert}` already placed item `{item}` on line {first}"),
            );
            return;
        }
        let position_key = (expert.clone(), position);
        if let Some(first) = position_line.get(&position_key) {
            cells.problem(
                RankingColumn::Position,
                format!("expert `{expert}` already gave position {position} to another item on line {first}"),
            );
            return;
        }
        item_line.insert(item_key, cells.line());
        position_line.insert(position_key, cells.line());
        rows.push(RankingRow {
            line: cells.line(),
            expert,
            item: item.to_owned(),
            position,
        });
    });
    errors.into_result(ParsedRankings {
        file: name.to_owned(),
        rows,
    })
}

/// What is wrong with one expert's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListProblem {
    /// Several items at one position (item indices as given).
    RepeatedPosition { position: u32, items: Vec<usize> },
    /// One item at several positions.
    RepeatedItem { item: usize },
    /// A position above `choose`.
    AboveChoose { item: usize, position: u32 },
    /// A position missing below a used one: the list has a hole.
    Gap { missing: u32 },
}

impl ListProblem {
    /// A sentence naming items by `name`.
    pub fn describe(&self, choose: u32, name: impl Fn(usize) -> String) -> String {
        match self {
            ListProblem::RepeatedPosition { position, items } => {
                let names: Vec<String> = items.iter().map(|&i| name(i)).collect();
                format!(
                    "position {position} is given to {}: give each position to one item",
                    names.join(" and ")
                )
            }
            ListProblem::RepeatedItem { item } => format!("{} is placed more than once", name(*item)),
            ListProblem::AboveChoose { item, position } => format!(
                "{} is at position {position}, but at most {choose} items may be chosen",
                name(*item)
            ),
            ListProblem::Gap { missing } => {
                format!("no item is at position {missing}: number the choices 1, 2, 3… without a gap")
            }
        }
    }
}

/// Checks one expert's list of (item, position); an empty list (nothing chosen) is fine.
pub fn check_list(list: &[(usize, u32)], choose: u32) -> Vec<ListProblem> {
    let mut problems = Vec::new();
    let mut at: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    for &(item, position) in list {
        if !seen.insert(item) {
            problems.push(ListProblem::RepeatedItem { item });
        }
        if position > choose {
            problems.push(ListProblem::AboveChoose { item, position });
        }
        at.entry(position).or_default().push(item);
    }
    for (&position, items) in &at {
        if items.len() > 1 {
            problems.push(ListProblem::RepeatedPosition {
                position,
                items: items.clone(),
            });
        }
    }
    if let Some(&highest) = at.keys().next_back() {
        if let Some(missing) = (1..highest).find(|p| !at.contains_key(p)) {
            problems.push(ListProblem::Gap { missing });
        }
    }
    problems
}

/// Checks the parsed rows against the round: experts on the panel (`experts`), items of the
/// round (`items`), positions within `choose` and without gaps. Every problem names its line.
pub fn validate_rankings(
    parsed: &ParsedRankings,
    experts: &BTreeSet<EmailAddress>,
    items: &BTreeSet<String>,
    choose: u32,
) -> Result<(), FileErrors> {
    let file = parsed.file.as_str();
    let mut errors = FileErrors::new();
    let mut lists: BTreeMap<&EmailAddress, Vec<&RankingRow>> = BTreeMap::new();
    for row in &parsed.rows {
        let unknown_expert = (!experts.contains(&row.expert)).then(|| {
            (
                "expert",
                format!("`{}` is not on the panel of this study", row.expert),
            )
        });
        let unknown_item = (!items.contains(&row.item)).then(|| {
            (
                "item",
                format!("`{}` is not an item of the open ranking round", row.item),
            )
        });
        for (column, reason) in [unknown_expert, unknown_item].into_iter().flatten() {
            errors.push(FileError::field(file, row.line, column, reason));
        }
        lists.entry(&row.expert).or_default().push(row);
    }
    for (expert, rows) in lists {
        let list: Vec<(usize, u32)> = rows.iter().enumerate().map(|(i, r)| (i, r.position)).collect();
        for problem in check_list(&list, choose) {
            let (line, reason) = match &problem {
                // Repeats were refused while parsing.
                ListProblem::RepeatedItem { .. } | ListProblem::RepeatedPosition { .. } => continue,
                ListProblem::AboveChoose { item, position } => (
                    rows[*item].line,
                    format!(
                        "position {position} is above `ranking.choose` ({choose}): each expert orders at most {choose} items"
                    ),
                ),
                ListProblem::Gap { missing } => (
                    rows.iter().map(|r| r.line).max().unwrap_or(0),
                    format!("expert `{expert}` has no item at position {missing}: number the choices 1, 2, 3… without a gap"),
                ),
            };
            errors.push(FileError::field(file, line, "position", reason));
        }
    }
    errors.sort_by_line();
    errors.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(text: &str) -> EmailAddress {
        EmailAddress::parse(text).unwrap()
    }

    fn reasons(result: Result<impl std::fmt::Debug, FileErrors>) -> Vec<String> {
        match result {
            Ok(value) => panic!("expected errors, got {value:?}"),
            Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn reads_rows_and_refuses_repeats_by_line() {
        let parsed = parse_rankings_csv(
            "r.csv",
            "expert,item,position\nann@example.org,M01,1\nann@example.org,M02,2\n",
        )
        .unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[1].position, 2);
        let errors = reasons(parse_rankings_csv(
            "r.csv",
            "expert,item,position\nann@example.org,M01,1\nann@example.org,M02,1\nann@example.org,M01,3\nann@example.org,M03,0\n",
        ));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].contains("line 3") && errors[0].contains("position 1"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("line 4") && errors[1].contains("`M01`"),
            "{errors:?}"
        );
        assert!(
            errors[2].contains("line 5") && errors[2].contains("`0`"),
            "{errors:?}"
        );
    }

    #[test]
    fn validation_names_unknown_items_positions_above_choose_and_gaps() {
        let parsed = parse_rankings_csv(
            "r.csv",
            "expert,item,position\nann@example.org,M01,1\nann@example.org,X99,2\nbob@example.org,M01,3\nann@example.org,M02,4\n",
        )
        .unwrap();
        let experts = [email("ann@example.org"), email("bob@example.org")].into();
        let items = ["M01".to_owned(), "M02".to_owned()].into();
        let errors = reasons(validate_rankings(&parsed, &experts, &items, 3));
        assert!(
            errors.iter().any(|e| e.contains("line 3") && e.contains("X99")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("line 5") && e.contains("above `ranking.choose` (3)")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("line 4") && e.contains("position 1")),
            "{errors:?}"
        );
    }

    #[test]
    fn lists_with_holes_repeats_or_too_many_are_named() {
        assert!(check_list(&[], 3).is_empty());
        assert!(check_list(&[(4, 1), (2, 2)], 3).is_empty());
        assert_eq!(
            check_list(&[(0, 1), (1, 1)], 3),
            [ListProblem::RepeatedPosition {
                position: 1,
                items: vec![0, 1]
            }]
        );
        assert_eq!(check_list(&[(0, 2)], 3), [ListProblem::Gap { missing: 1 }]);
        assert_eq!(
            check_list(&[(0, 1), (1, 2), (2, 3), (3, 4)], 3),
            [ListProblem::AboveChoose { item: 3, position: 4 }]
        );
    }
}
