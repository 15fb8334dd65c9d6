//! The proposals file: ideas collected elsewhere (a workshop, a paper form, a survey tool)
//! entered into the open ideas round, `expert,section,text[,rationale]`.
//!
//! Parsing checks what the file alone can tell, by line and column; [`validate_against`] then
//! checks the rows against the study (the panel, the sections `[ideas]` names, how many
//! proposals each expert may still make), which the service layer loads.

use std::collections::{BTreeMap, BTreeSet};

use super::file_error::{FileError, FileErrors};
use super::panel_file::{email_in, EmailAddress};
use super::sheet::{columns, read_csv_rows, Cells};

/// Longest proposal text or rationale, as for every text an expert writes.
pub const MAX_PROPOSAL_CHARS: usize = 4_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRow {
    pub line: u64,
    pub expert: EmailAddress,
    /// Section key.
    pub section: String,
    pub text: String,
    pub rationale: Option<String>,
}

columns! {
    enum ProposalColumn {
        required Expert = "expert",
        required Section = "section",
        required Text = "text",
        Rationale = "rationale",
    }
}

pub fn parse_proposals_csv(name: &str, content: &str) -> Result<Vec<ProposalRow>, FileErrors> {
    let mut rows = Vec::new();
    let errors = read_csv_rows(name, content, |cells: &mut Cells<'_, ProposalColumn>| {
        let expert = email_in(cells, ProposalColumn::Expert);
        let section = cells.required(ProposalColumn::Section);
        let text = cells.required(ProposalColumn::Text);
        let rationale = cells.get(ProposalColumn::Rationale);
        for (column, value) in [
            (ProposalColumn::Text, text.unwrap_or("")),
            (ProposalColumn::Rationale, rationale),
        ] {
            if value.chars().count() > MAX_PROPOSAL_CHARS {
                cells.problem(column, format!("is longer than {MAX_PROPOSAL_CHARS} characters"));
                return;
            }
        }
        let (Some(expert), Some(section), Some(text)) = (expert, section, text) else {
            return;
        };
        rows.push(ProposalRow {
            line: cells.line(),
            expert,
            section: section.to_owned(),
            text: text.to_owned(),
            rationale: Some(rationale).filter(|r| !r.is_empty()).map(str::to_owned),
        });
    });
    errors.into_result(rows)
}

/// What [`validate_against`] needs to know about the study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalContext {
    pub experts: BTreeSet<EmailAddress>,
    /// `[ideas] sections`.
    pub sections: Vec<String>,
    pub per_expert: u32,
    /// Proposals already stored, by (expert, section).
    pub stored: BTreeMap<(EmailAddress, String), u32>,
}

/// Every row's expert is on the panel and its section open to ideas, and no expert goes over
/// `per_expert` proposals in a section, counting those already stored.
pub fn validate_against(
    file: &str,
    rows: &[ProposalRow],
    context: &ProposalContext,
) -> Result<(), FileErrors> {
    let mut errors = FileErrors::new();
    let mut counts = context.stored.clone();
    for row in rows {
        if !context.experts.contains(&row.expert) {
            errors.push(FileError::field(
                file,
                row.line,
                "expert",
                format!("`{}` is not on the panel of this study", row.expert),
            ));
        }
        if !context.sections.contains(&row.section) {
            errors.push(FileError::field(
                file,
                row.line,
                "section",
                format!(
                    "`{}` is not a section open to ideas ({})",
                    row.section,
                    context.sections.join(", ")
                ),
            ));
            continue;
        }
        let count = counts
            .entry((row.expert.clone(), row.section.clone()))
            .or_default();
        *count += 1;
        if *count > context.per_expert {
            errors.push(FileError::line(
                file,
                row.line,
                format!(
                    "`{}` would have more than {} proposals in section `{}` ([ideas] per_expert)",
                    row.expert, context.per_expert, row.section
                ),
            ));
        }
    }
    errors.into_result(())
}

/// The code of the `n`th proposal of a study (1-based): `P001`, …, `P999`, `P1000`.
pub fn proposal_code(n: usize) -> String {
    format!("P{n:03}")
}

/// The number in a proposal code, for the next one.
pub fn proposal_number(code: &str) -> Option<usize> {
    code.strip_prefix('P')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::file_error::Location;

    fn context() -> ProposalContext {
        ProposalContext {
            experts: [EmailAddress::parse("ann@example.org").unwrap()].into(),
            sections: vec!["maternal".into()],
            per_expert: 2,
            stored: [(
                (
                    EmailAddress::parse("ann@example.org").unwrap(),
                    "maternal".to_owned(),
                ),
                1,
            )]
            .into(),
        }
    }

    #[test]
    fn rows_parse_and_problems_name_line_and_column() {
        let rows = parse_proposals_csv(
            "ideas.csv",
            "expert,section,text,rationale\nann@example.org,maternal,Iodine status,\"Often missed, cheap\"\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].rationale.as_deref(), Some("Often missed, cheap"));
        let errors = parse_proposals_csv("ideas.csv", "expert,section,text\nann@,maternal,\n")
            .unwrap_err()
            .into_vec();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors
            .iter()
            .all(|e| matches!(&e.location, Location::LineField { line: 2, .. })));
    }

    #[test]
    fn the_panel_sections_and_per_expert_limit_are_checked() {
        let rows = parse_proposals_csv(
            "p.csv",
            "expert,section,text\nann@example.org,maternal,A\nann@example.org,maternal,B\nbob@example.org,child,C\n",
        )
        .unwrap();
        let errors = validate_against("p.csv", &rows, &context())
            .unwrap_err()
            .into_vec();
        let lines: Vec<u64> = errors.iter().map(|e| e.location.line()).collect();
        assert_eq!(lines, [3, 4, 4], "{errors:?}");
    }

    #[test]
    fn codes_read_back() {
        assert_eq!(proposal_code(3), "P003");
        assert_eq!(proposal_code(1000), "P1000");
        assert_eq!(proposal_number("P011"), Some(11));
        assert_eq!(proposal_number("X1"), None);
    }
}
