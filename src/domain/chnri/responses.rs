//! The responses file of a CHNRI round: `expert,item,criterion,question,answer`, one row per
//! answer, `question` the 1-based index within the criterion, `answer` one of `yes`,
//! `undecided`, `no`, `dont_know` or empty (no answer: a re-import clears it).
//!
//! Parsing checks what the file alone can tell; [`validate_against`] then checks the rows
//! against the study (panel, items of the open round, criteria and their questions).

use std::collections::BTreeSet;

use super::answer::ChnriAnswer;
use super::criteria::Criterion;
use crate::domain::file_error::{known_list, FileError, FileErrors};
use crate::domain::panel_file::{email_in, EmailAddress};
use crate::domain::sheet::{columns, read_csv_rows, Cells, FirstLines, ParsedRows};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChnriResponseRow {
    pub line: u64,
    pub expert: EmailAddress,
    pub item: String,
    pub criterion: String,
    /// 1-based.
    pub question: u32,
    /// `None`: no answer.
    pub answer: Option<ChnriAnswer>,
}

pub type ParsedChnriResponses = ParsedRows<ChnriResponseRow>;

columns! {
    enum ChnriColumn {
        required Expert = "expert",
        required Item = "item",
        required Criterion = "criterion",
        required Question = "question",
        required Answer = "answer",
    }
}

pub fn parse_chnri_responses_csv(name: &str, content: &str) -> Result<ParsedChnriResponses, FileErrors> {
    let mut rows = Vec::new();
    let mut first_lines = FirstLines::default();
    let errors = read_csv_rows(name, content, |cells: &mut Cells<'_, ChnriColumn>| {
        let expert = email_in(cells, ChnriColumn::Expert);
        let item = cells.required(ChnriColumn::Item);
        let criterion = cells.required(ChnriColumn::Criterion);
        let question = cells.required(ChnriColumn::Question).and_then(|text| {
            text.parse::<u32>().ok().filter(|&q| q >= 1).or_else(|| {
                cells.problem(
                    ChnriColumn::Question,
                    format!("`{text}` is not a question number (1 for the criterion's first question)"),
                );
                None
            })
        });
        let text = cells.get(ChnriColumn::Answer);
        let answer = if text.is_empty() {
            Some(None)
        } else {
            match ChnriAnswer::parse(text) {
                Some(answer) => Some(Some(answer)),
                None => {
                    cells.problem(
                        ChnriColumn::Answer,
                        format!(
                            "`{text}` is not one of yes, undecided, no, dont_know (or empty for no answer)"
                        ),
                    );
                    None
                }
            }
        };
        let (Some(expert), Some(item), Some(criterion), Some(question), Some(answer)) =
            (expert, item, criterion, question, answer)
        else {
            return;
        };
        let key = (expert, item.to_owned(), criterion.to_owned(), question);
        if let Some(first) = first_lines.repeats(&key, cells.line()) {
            cells.row_problem(format!(
                "expert `{}` already answers question {} of `{}` for item `{}` on line {first}",
                key.0, key.3, key.2, key.1
            ));
            return;
        }
        rows.push(ChnriResponseRow {
            line: cells.line(),
            expert: key.0,
            item: key.1,
            criterion: key.2,
            question,
            answer,
        });
    });
    errors.into_result(ParsedChnriResponses {
        file: name.to_owned(),
        rows,
    })
}

/// Checks every row against the study: the expert is on the panel, the item in the open round,
/// the criterion one of the study's and the question one of its questions.
pub fn validate_against(
    parsed: &ParsedChnriResponses,
    experts: &BTreeSet<EmailAddress>,
    items: &BTreeSet<String>,
    criteria: &[Criterion],
) -> Result<(), FileErrors> {
    let file = parsed.file.as_str();
    let mut errors = FileErrors::new();
    let keys: BTreeSet<String> = criteria.iter().map(|c| c.key.clone()).collect();
    for row in &parsed.rows {
        let mut refuse =
            |field: &str, reason: String| errors.push(FileError::field(file, row.line, field, reason));
        if !experts.contains(&row.expert) {
            refuse(
                "expert",
                format!("`{}` is not on the panel of this study", row.expert),
            );
        }
        if !items.contains(&row.item) {
            refuse("item", format!("`{}` is not an item of the open round", row.item));
        }
        match criteria.iter().find(|c| c.key == row.criterion) {
            None => refuse(
                "criterion",
                format!(
                    "`{}` is not a criterion of this study (known: {})",
                    row.criterion,
                    known_list(&keys)
                ),
            ),
            Some(criterion) if row.question as usize > criterion.questions.len() => refuse(
                "question",
                format!(
                    "criterion `{}` has {} questions, not {}",
                    criterion.key,
                    criterion.questions.len(),
                    row.question
                ),
            ),
            Some(_) => {}
        }
    }
    errors.into_result(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::file_error::Location;

    fn criteria() -> Vec<Criterion> {
        vec![Criterion {
            key: "answerability".to_owned(),
            label: "Answerability".to_owned(),
            weight: 1.0,
            threshold: None,
            questions: vec!["One?".to_owned(), "Two?".to_owned()],
            translations: BTreeMap::new(),
        }]
    }

    fn located(errors: FileErrors) -> Vec<(u64, String)> {
        errors
            .into_vec()
            .into_iter()
            .map(|e| match e.location {
                Location::LineField { line, field } => (line, field),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn reads_answers_and_blank_cells() {
        let parsed = parse_chnri_responses_csv(
            "r.csv",
            "expert,item,criterion,question,answer\nann@example.org,Q01,answerability,2,undecided\n\
             ann@example.org,Q01,answerability,1,\n",
        )
        .unwrap();
        assert_eq!(parsed.rows[0].answer, Some(ChnriAnswer::Undecided));
        assert_eq!(parsed.rows[0].question, 2);
        assert_eq!(parsed.rows[1].answer, None);
    }

    #[test]
    fn bad_cells_are_named_by_line_and_column() {
        let errors = parse_chnri_responses_csv(
            "r.csv",
            "expert,item,criterion,question,answer\nann@example.org,Q01,answerability,0,yes\n\
             ann@example.org,Q01,answerability,1,maybe\n",
        )
        .unwrap_err();
        assert_eq!(
            located(errors),
            [(2, "question".to_owned()), (3, "answer".to_owned())]
        );
    }

    #[test]
    fn unknown_criteria_and_questions_out_of_range_are_refused() {
        let parsed = parse_chnri_responses_csv(
            "r.csv",
            "expert,item,criterion,question,answer\nann@example.org,Q01,answerability,3,yes\n\
             ann@example.org,Q01,equity,1,no\nann@example.org,Q01,answerability,2,no\n",
        )
        .unwrap();
        let experts = [EmailAddress::parse("ann@example.org").unwrap()].into();
        let items = ["Q01".to_owned()].into();
        let errors = validate_against(&parsed, &experts, &items, &criteria()).unwrap_err();
        assert_eq!(
            located(errors),
            [(2, "question".to_owned()), (3, "criterion".to_owned())]
        );
    }
}
