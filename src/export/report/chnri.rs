//! The report of a CHNRI study: its method (criteria, weights, thresholds, questions), the
//! ranked table pooled and per group, and what the ACCORD checklist says of its scoring.

use super::*;

#[derive(Serialize)]
pub(super) struct ChnriReport {
    pub(super) criteria: Vec<String>,
    /// The criteria as the study file sets them, for the method section.
    pub(super) method: Vec<ChnriCriterionRow>,
    pub(super) rows: Vec<ChnriRow>,
    /// The same scores computed over each stakeholder group's experts, without the charts.
    pub(super) groups: Vec<ChnriGroup>,
}

#[derive(Serialize)]
pub(super) struct ChnriCriterionRow {
    pub(super) label: String,
    pub(super) weight: String,
    /// `threshold 60`, or `no threshold`.
    pub(super) threshold: String,
    pub(super) questions: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct ChnriGroup {
    pub(super) name: String,
    pub(super) rows: Vec<ChnriRow>,
}

#[derive(Serialize)]
pub(super) struct ChnriRow {
    pub(super) round: i32,
    pub(super) rank: String,
    pub(super) code: String,
    pub(super) text: String,
    pub(super) n: i32,
    pub(super) cs: Vec<String>,
    pub(super) rps: String,
    pub(super) wrps: String,
    pub(super) aea: String,
    pub(super) below: String,
    pub(super) chart: String,
}

/// A CHNRI study's method (its criteria with weights, thresholds and questions) and its
/// scores of every closed round, ranked: pooled with a chart of the criterion scores per item,
/// then per stakeholder group.
pub(super) fn chnri_report(data: &StudyExport) -> Option<ChnriReport> {
    let chnri = data.chnri.as_ref()?;
    let criteria = data.study.file.chnri_criteria();
    let score = chnri_svg::score_cell;
    // The report names criteria by their labels, as it names sections by their titles.
    let label_of = |key: &str| {
        criteria
            .iter()
            .find(|c| c.key == key)
            .map_or(key.to_owned(), |c| c.label.clone())
    };
    let row = |l: &crate::service::chnri::ChnriLine, with_chart: bool| ChnriRow {
        round: l.round,
        rank: l.rank.map_or("—".to_owned(), |r| r.to_string()),
        code: l.item_code.clone(),
        text: l.item_text.clone(),
        n: l.n,
        cs: l.cs.iter().map(|v| score(*v)).collect(),
        rps: score(l.rps),
        wrps: score(l.wrps),
        aea: l.aea.map_or("—".to_owned(), |v| format!("{v:.2}")),
        below: l.below.iter().map(|k| label_of(k)).collect::<Vec<_>>().join(", "),
        chart: if with_chart {
            chnri_svg::criterion_scores(
                &format!("Criterion scores of {}, 0 to 100", l.item_code),
                &chnri_svg::bars(criteria, &data.study.file.language, &l.cs),
            )
        } else {
            String::new()
        },
    };
    let groups = data
        .groups
        .iter()
        .map(|g| ChnriGroup {
            name: g.name.clone(),
            rows: chnri
                .results_by_group
                .lines
                .iter()
                .filter(|l| l.group == g.key)
                .map(|l| row(l, false))
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    Some(ChnriReport {
        criteria: criteria.iter().map(|c| c.label.clone()).collect(),
        method: criteria
            .iter()
            .map(|c| ChnriCriterionRow {
                label: c.label.clone(),
                weight: c.weight.to_string(),
                threshold: c
                    .threshold
                    .map_or("no threshold".to_owned(), |t| format!("threshold {t}")),
                questions: c.questions.clone(),
            })
            .collect(),
        rows: chnri.results.lines.iter().map(|l| row(l, true)).collect(),
        groups,
    })
}

pub(super) fn chnri_methods(data: &StudyExport, closed: usize) -> Vec<String> {
    let criteria = data.study.file.chnri_criteria();
    let items = data
        .chnri
        .as_ref()
        .map(|c| {
            let mut codes: Vec<&str> = c.results.lines.iter().map(|l| l.item_code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            codes.len()
        })
        .unwrap_or(0);
    vec![
        study_sentence(
            data,
            "A research priority-setting exercise by the CHNRI method (Child Health and Nutrition \
             Research Initiative)",
            closed,
        ),
        format!(
            "{items} research question(s) were scored against {} criteria ({}). For every item, \
             each expert answered every question of every criterion with yes, undecided \
             (informed but undecided), no or don't know.",
            criteria.len(),
            criteria
                .iter()
                .map(|c| format!("{}, weight {}", c.label, c.weight))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        "Yes counted 1 point, undecided 1/2 and no 0; don't know and unanswered questions counted \
         nowhere. A criterion's score (CS) is 100 × (yes + undecided/2) / (yes + undecided + no) \
         over its questions and the experts; the research priority score (RPS) is the mean of the \
         criterion scores and the weighted RPS (wRPS) their mean weighted by the criteria's \
         weights; the average expert agreement (AEA) is the mean, over the questions, of the share \
         of experts who gave the most common answer. Items were ranked by wRPS, equal scores \
         sharing a rank; an item with a criterion nobody scored has no RPS and no rank. Every \
         score was computed with exact fractions, for the whole panel and for each stakeholder \
         group."
            .to_owned(),
    ]
}

/// What the ACCORD checklist says of a CHNRI study's scoring and outcome.
pub(super) struct ChnriAccord {
    pub(super) definition: String,
    pub(super) outcome: String,
}

pub(super) fn chnri_accord(data: &StudyExport) -> Option<ChnriAccord> {
    let chnri = data.chnri.as_ref()?;
    let criteria = data.study.file.chnri_criteria();
    let last = chnri.results.lines.iter().map(|l| l.round).max();
    let final_lines: Vec<_> = chnri
        .results
        .lines
        .iter()
        .filter(|l| Some(l.round) == last)
        .collect();
    Some(ChnriAccord {
        definition: format!(
            "no consensus threshold: items are ranked by weighted research priority score; {} \
             criteria with their weights and thresholds, set in the study file before round 1 ({})",
            criteria.len(),
            criteria
                .iter()
                .map(|c| match c.threshold {
                    Some(t) => format!("{}: weight {}, threshold {t}", c.label, c.weight),
                    None => format!("{}: weight {}", c.label, c.weight),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
        outcome: format!(
            "{} of {} item(s) ranked by wRPS{}; {} below at least one criterion's threshold",
            final_lines.iter().filter(|l| l.rank.is_some()).count(),
            final_lines.len(),
            last.map(|r| format!(" in round {r}")).unwrap_or_default(),
            final_lines.iter().filter(|l| !l.below.is_empty()).count(),
        ),
    })
}
