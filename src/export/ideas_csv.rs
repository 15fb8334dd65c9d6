//! ideas.csv: one row per proposal of the ideas round (docs/exports.md).

use crate::export::{csv_cell, csv_file};
use crate::service::ideas::ProposalView;

pub const HEADER: [&str; 8] = [
    "proposal",
    "expert",
    "section",
    "text",
    "rationale",
    "outcome",
    "item_code",
    "source",
];

/// `source`: the citation that already answers a proposal, followed by its link in angle
/// brackets when it has one (`WHO 2016 guideline <https://…>`).
pub fn source(proposal: &ProposalView) -> Option<String> {
    let citation = proposal.source.as_deref()?;
    Some(match proposal.source_link.as_deref() {
        Some(link) => format!("{citation} <{link}>"),
        None => citation.to_owned(),
    })
}

pub fn write(proposals: &[ProposalView]) -> Result<String, csv::Error> {
    csv_file::write(
        &HEADER,
        proposals.iter().map(|p| {
            vec![
                csv_cell::text(&p.code),
                csv_file::text(p.expert.as_deref()),
                csv_file::text(p.section.as_deref()),
                csv_cell::text(&p.text),
                csv_file::text(p.rationale.as_deref()),
                p.outcome.label().to_owned(),
                csv_file::text(p.item.as_deref()),
                csv_file::text(source(p).as_deref()),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::study::SetAside;
    use crate::domain::suggestion::ProposalOutcome;

    fn proposal(code: &str, outcome: ProposalOutcome) -> ProposalView {
        ProposalView {
            id: 1,
            code: code.into(),
            expert: Some("E001".into()),
            section: Some("maternal".into()),
            text: "=HYPERLINK(\"x\")".into(),
            rationale: None,
            outcome,
            item: None,
            source: None,
            source_link: None,
        }
    }

    #[test]
    fn rows_say_what_became_of_each_proposal() {
        let mut answered = proposal("P002", ProposalOutcome::SetAside(SetAside::AlreadyAnswered));
        answered.source = Some("WHO, 2016".into());
        answered.source_link = Some("https://example.org/who".into());
        let mut merged = proposal("P001", ProposalOutcome::Merged);
        merged.item = Some("N01".into());
        let text = write(&[merged, answered]).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "proposal,expert,section,text,rationale,outcome,item_code,source"
        );
        assert_eq!(
            lines[1],
            "P001,E001,maternal,\"'=HYPERLINK(\"\"x\"\")\",,merged,N01,"
        );
        assert_eq!(
            lines[2],
            "P002,E001,maternal,\"'=HYPERLINK(\"\"x\"\")\",,already_answered,,\"WHO, 2016 <https://example.org/who>\""
        );
    }
}
