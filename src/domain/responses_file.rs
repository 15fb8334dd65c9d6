//! The responses file: answers typed in by a coordinator (e.g. from paper forms) into the open
//! round, `expert,item,score[,comment]`; in a study with criteria, `expert,item,criterion,score
//! [,comment]`, one row per criterion.
//!
//! Parsing checks what the file alone can tell; [`validate_against`] then checks the rows
//! against the study's state (panel, items of the open round, scale), which the service layer
//! loads. A re-import replaces that expert's answers for those items, so one file answering the
//! same item twice for the same expert is ambiguous and refused.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::file_error::{FileError, FileErrors};
use super::panel_file::{email_in, EmailAddress};
use super::scale::Scale;
use super::sheet::{columns, read_csv_rows, Cells, FirstLines};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRow {
    pub line: u64,
    pub expert: EmailAddress,
    /// Item code.
    pub item: String,
    /// Criterion key; empty when the file has no `criterion` column (a study without criteria).
    pub criterion: String,
    pub answer: Answer,
    pub comment: Option<String>,
}

/// A responses file that parsed; keeps the file's name so later checks can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedResponses {
    pub file: String,
    pub rows: Vec<ResponseRow>,
    /// Whether the header has a `criterion` column, which a study with criteria requires.
    pub has_criterion_column: bool,
}

/// What [`validate_against`] needs to know about the study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseContext {
    /// Emails of the experts on the panel.
    pub experts: BTreeSet<EmailAddress>,
    /// Codes of the items of the open round.
    pub items: BTreeSet<String>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub unable_allowed: bool,
    /// The study's criterion keys in file order; empty when items are rated once.
    pub criteria: Vec<String>,
    /// The criteria rated on a scale of their own, by key: their scores are checked against
    /// it instead of `scale_min`…`scale_max`.
    pub criterion_scales: BTreeMap<String, Scale>,
}

/// Responses that passed [`validate_against`]; only that function makes one, so code storing
/// answers can require it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedResponses {
    rows: Vec<ResponseRow>,
}

impl CheckedResponses {
    pub fn rows(&self) -> &[ResponseRow] {
        &self.rows
    }

    pub fn into_rows(self) -> Vec<ResponseRow> {
        self.rows
    }
}

columns! {
    enum ResponseColumn {
        required Expert = "expert",
        required Item = "item",
        Criterion = "criterion",
        required Score = "score",
        Comment = "comment",
    }
}

pub fn parse_responses_csv(name: &str, content: &str) -> Result<ParsedResponses, FileErrors> {
    let mut rows = Vec::new();
    let mut first_lines = FirstLines::default();
    let mut has_criterion_column = false;
    let errors = read_csv_rows(name, content, |cells: &mut Cells<'_, ResponseColumn>| {
        let expert = email_in(cells, ResponseColumn::Expert);
        let item = cells.required(ResponseColumn::Item);
        has_criterion_column = cells.has(ResponseColumn::Criterion);
        let criterion = if has_criterion_column {
            cells.required(ResponseColumn::Criterion)
        } else {
            Some("")
        };
        let answer = Answer::read(cells.get(ResponseColumn::Score))
            .map_err(|e| cells.problem(ResponseColumn::Score, e.to_string()))
            .ok();
        let comment = Some(cells.get(ResponseColumn::Comment))
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let (Some(expert), Some(item), Some(criterion), Some(answer)) = (expert, item, criterion, answer)
        else {
            return;
        };
        let key = (expert, item.to_owned(), criterion.to_owned());
        if let Some(first) = first_lines.repeats(&key, cells.line()) {
            let on = if key.2.is_empty() {
                String::new()
            } else {
                format!(" on criterion `{}`", key.2)
            };
            cells.row_problem(format!(
                "expert `{}` already has an answer for item `{}`{on} on line {first}",
                key.0, key.1
            ));
            return;
        }
        rows.push(ResponseRow {
            line: cells.line(),
            expert: key.0,
            item: key.1,
            criterion: key.2,
            answer,
            comment,
        });
    });
    errors.into_result(ParsedResponses {
        file: name.to_owned(),
        rows,
        has_criterion_column,
    })
}

/// Checks every row against the study: the expert is on the panel, the item is in the open
/// round, and the score is on the scale (or "unable to score" is offered).
pub fn validate_against(
    parsed: &ParsedResponses,
    context: &ResponseContext,
) -> Result<CheckedResponses, FileErrors> {
    let file = parsed.file.as_str();
    let mut errors = FileErrors::new();
    // A file without the column in a study with criteria would say nothing about which
    // criterion each score is on: one error for the whole file rather than one per line.
    match (context.criteria.is_empty(), parsed.has_criterion_column) {
        (false, false) if !parsed.rows.is_empty() => {
            errors.push(FileError::whole(
                file,
                format!(
                    "this study rates every item on criteria ({}): add a `criterion` column \
                     (expert,item,criterion,score[,comment]), one row per criterion",
                    context.criteria.join(", ")
                ),
            ));
            return Err(errors);
        }
        (true, true) if !parsed.rows.is_empty() => {
            errors.push(FileError::whole(
                file,
                "this study has no criteria: remove the `criterion` column",
            ));
            return Err(errors);
        }
        _ => {}
    }
    for row in &parsed.rows {
        let mut refuse =
            |field: &str, reason: String| errors.push(FileError::field(file, row.line, field, reason));
        if !context.experts.contains(&row.expert) {
            let hint = case_hint(
                context.experts.iter().map(EmailAddress::as_str),
                row.expert.as_str(),
            );
            refuse(
                "expert",
                format!("`{}` is not on the panel of this study{hint}", row.expert),
            );
        }
        if !context.items.contains(&row.item) {
            let hint = case_hint(context.items.iter().map(String::as_str), &row.item);
            refuse(
                "item",
                format!("`{}` is not an item of the open round{hint}", row.item),
            );
        }
        if !context.criteria.is_empty() && !context.criteria.contains(&row.criterion) {
            let hint = case_hint(context.criteria.iter().map(String::as_str), &row.criterion);
            refuse(
                "criterion",
                format!(
                    "`{}` is not a criterion of this study (one of: {}){hint}",
                    row.criterion,
                    context.criteria.join(", ")
                ),
            );
        }
        match context.criterion_scales.get(&row.criterion) {
            Some(scale) => {
                if let Err(e) = row.answer.check(scale.points(), scale.unable_to_score()) {
                    refuse("score", format!("criterion `{}`: {e}", row.criterion));
                }
            }
            None => {
                let points = context.scale_min..=context.scale_max;
                if let Err(e) = row.answer.check(points, context.unable_allowed) {
                    refuse("score", e.to_string());
                }
            }
        }
    }
    errors.into_result(CheckedResponses {
        rows: parsed.rows.clone(),
    })
}

/// `; did you mean `x`?` when one of `known` differs from `given` only in case, the usual slip
/// when a file is typed by hand.
fn case_hint<'a>(mut known: impl Iterator<Item = &'a str>, given: &str) -> String {
    known
        .find(|k| k.eq_ignore_ascii_case(given))
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::file_error::{field, Location};
    use super::*;

    fn email(text: &str) -> EmailAddress {
        EmailAddress::parse(text).unwrap()
    }

    fn errors(content: &str) -> Vec<FileError> {
        match parse_responses_csv("responses.csv", content) {
            Ok(parsed) => panic!("expected errors, got {parsed:?}"),
            Err(errors) => errors.into_vec(),
        }
    }

    fn context() -> ResponseContext {
        ResponseContext {
            experts: [email("ann@example.org"), email("bob@example.org")].into(),
            items: ["M01".to_owned(), "M02".to_owned()].into(),
            scale_min: 1,
            scale_max: 9,
            unable_allowed: false,
            criteria: Vec::new(),
            criterion_scales: BTreeMap::new(),
        }
    }

    #[test]
    fn a_criterion_on_its_own_scale_is_checked_against_it() {
        let five = crate::domain::scale::Scale::from_spec(&crate::domain::spec::ScaleSpec {
            min: 1,
            max: 5,
            labels: Default::default(),
            bands: Vec::new(),
            unable_to_score: true,
        })
        .unwrap();
        let context = ResponseContext {
            criteria: vec!["importance".into(), "feasibility".into()],
            criterion_scales: [("feasibility".to_owned(), five)].into(),
            ..context()
        };
        let csv = "expert,item,criterion,score\n\
                   ann@example.org,M01,importance,7\n\
                   ann@example.org,M01,feasibility,U\n\
                   bob@example.org,M01,importance,U\n\
                   bob@example.org,M01,feasibility,7\n";
        let parsed = parse_responses_csv("responses.csv", csv).unwrap();
        let e = validate_against(&parsed, &context).unwrap_err().into_vec();
        // 7 is on importance's 1–9 but not on feasibility's 1–5; only feasibility offers U.
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].location, field(4, "score"));
        assert!(e[0].reason.contains("unable"), "{}", e[0].reason);
        assert_eq!(e[1].location, field(5, "score"));
        assert!(
            e[1].reason.contains("criterion `feasibility`") && e[1].reason.contains("1 to 5"),
            "{}",
            e[1].reason
        );
    }

    #[test]
    fn criteria_need_their_column_and_known_keys() {
        let with_criteria = ResponseContext {
            criteria: vec!["importance".into(), "feasibility".into()],
            ..context()
        };
        let csv = "expert,item,criterion,score
\
                   ann@example.org,M01,importance,7
\
                   ann@example.org,M01,feasibility,3
\
                   ann@example.org,M01,Cost,3
";
        let parsed = parse_responses_csv("responses.csv", csv).unwrap();
        assert!(parsed.has_criterion_column);
        assert_eq!(parsed.rows[1].criterion, "feasibility");
        let e = validate_against(&parsed, &with_criteria).unwrap_err().into_vec();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].location, field(4, "criterion"));
        assert!(e[0].reason.contains("importance, feasibility"), "{}", e[0].reason);
        // The same criterion twice for one expert and item is ambiguous.
        let twice = "expert,item,criterion,score
\
                     ann@example.org,M01,importance,7
\
                     ann@example.org,M01,importance,3
";
        assert_eq!(errors(twice)[0].location, Location::Line(3));
        // A criterion cell must not be empty when the column is there.
        let blank = "expert,item,criterion,score
ann@example.org,M01,,7
";
        assert_eq!(errors(blank)[0].location, field(2, "criterion"));
        // Without the column, a study with criteria refuses the whole file; a study without
        // criteria refuses the column.
        let plain = parse_responses_csv(
            "responses.csv",
            "expert,item,score
ann@example.org,M01,7
",
        )
        .unwrap();
        let e = validate_against(&plain, &with_criteria).unwrap_err().into_vec();
        assert_eq!(e[0].location, Location::Whole);
        assert!(e[0].reason.contains("`criterion` column"), "{}", e[0].reason);
        let e = validate_against(&parsed, &context()).unwrap_err().into_vec();
        assert!(e[0].reason.contains("no criteria"), "{}", e[0].reason);
    }

    #[test]
    fn parses_scores_unable_blank_and_comments() {
        let csv = "Expert,Item,Score,Comment\r\n\
                   ann@example.org,M01,7,\"Important, but costly\r\nto measure\"\r\n\
                   ann@example.org,M02,u,\r\n\
                   bob@example.org,M01,,Hémoglobine? 血红蛋白\r\n\
                   bob@example.org,M02, 3 ,\r\n";
        let parsed = parse_responses_csv("responses.csv", csv).unwrap();
        let answers: Vec<Answer> = parsed.rows.iter().map(|r| r.answer).collect();
        assert_eq!(
            answers,
            vec![Answer::Score(7), Answer::Unable, Answer::Blank, Answer::Score(3)]
        );
        assert_eq!(
            parsed.rows[0].comment.as_deref(),
            Some("Important, but costly\r\nto measure")
        );
        assert_eq!(parsed.rows[1].line, 4);
        assert_eq!(parsed.rows[2].comment.as_deref(), Some("Hémoglobine? 血红蛋白"));
        assert_eq!(parsed.rows[1].comment, None);
        assert_eq!(parsed.file, "responses.csv");
    }

    #[test]
    fn bad_cells_are_all_reported() {
        let csv = "expert,item,score\nann@,M01,7\nann@example.org,,7.5\nbob@example.org,M01,high\n";
        let e = errors(csv);
        let locations: Vec<&Location> = e.iter().map(|e| &e.location).collect();
        assert_eq!(
            locations,
            vec![
                &field(2, "expert"),
                &field(3, "item"),
                &field(3, "score"),
                &field(4, "score"),
            ]
        );
        assert!(e[2].reason.starts_with("`7.5` is not a score"), "{}", e[2]);
    }

    #[test]
    fn the_same_expert_and_item_twice_names_both_lines() {
        let csv = "expert,item,score\nann@example.org,M01,7\nann@example.org,M02,7\nann@EXAMPLE.org,M01,8\n";
        let e = errors(csv);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].location, Location::Line(4));
        assert_eq!(
            e[0].reason,
            "expert `ann@example.org` already has an answer for item `M01` on line 2"
        );
    }

    #[test]
    fn header_must_have_the_required_columns() {
        let e = errors("expert,item,rating\nann@example.org,M01,7\n");
        assert_eq!(e[0].location, field(1, "rating"));
        assert!(e[1].reason.contains("missing required column `score`"));
        let e = errors("expert,item,score\n");
        assert!(e[0].reason.contains("no rows"));
    }

    #[test]
    fn validate_against_checks_panel_round_and_scale() {
        let csv = "expert,item,score\n\
                   ann@example.org,M01,7\n\
                   ANN@example.org,M02,5\n\
                   ann@example.org,m02,0\n\
                   bob@example.org,M03,U\n\
                   bob@example.org,M02,\n";
        let parsed = parse_responses_csv("responses.csv", csv).unwrap();
        let e = validate_against(&parsed, &context()).unwrap_err().into_vec();
        let shown: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "responses.csv: line 3, field `expert`: `ANN@example.org` is not on the panel \
                 of this study; did you mean `ann@example.org`?",
                "responses.csv: line 4, field `item`: `m02` is not an item of the open round; \
                 did you mean `M02`?",
                "responses.csv: line 4, field `score`: 0 is not on the scale (1 to 9)",
                "responses.csv: line 5, field `item`: `M03` is not an item of the open round",
                "responses.csv: line 5, field `score`: this study does not offer \"unable to \
                 score\" (`U`)",
            ]
        );
    }

    #[test]
    fn valid_rows_come_back_checked() {
        let csv = "expert,item,score,comment\nann@example.org,M01,9,ok\nbob@example.org,M02,u,\n";
        let parsed = parse_responses_csv("responses.csv", csv).unwrap();
        let mut ctx = context();
        ctx.unable_allowed = true;
        let checked = validate_against(&parsed, &ctx).unwrap();
        assert_eq!(checked.rows(), parsed.rows.as_slice());
        assert_eq!(checked.into_rows().len(), 2);
    }
}
