//! The Methods paragraphs and the ACCORD checklist rows the platform can fill in itself.

use super::*;

/// Why the study stopped, in parentheses, or nothing while it runs.
pub(super) fn stopped(data: &StudyExport) -> String {
    data.study
        .finish_reason
        .as_ref()
        .map(|r| format!(" (stopped: {r})"))
        .unwrap_or_default()
}

/// The first sentence of the methods: the platform, the panel and the rounds.
pub(super) fn study_sentence(data: &StudyExport, what: &str, closed: usize) -> String {
    format!(
        "{what} was run on the Delphi platform (version {}). Experts were recruited into {} \
         stakeholder group(s) ({} experts); {} round(s) were completed{}.",
        env!("CARGO_PKG_VERSION"),
        data.groups.len(),
        data.participants.len(),
        closed,
        stopped(data),
    )
}

pub(super) fn methods(data: &StudyExport, closed: usize) -> Vec<String> {
    let file = &data.study.file;
    let primary = &data.study.rules.primary;
    let scale = &data.study.scale;
    let labels: Vec<String> = scale
        .labels()
        .iter()
        .map(|(point, label)| format!("{point} = {label}"))
        .collect();
    let mut paragraphs = vec![format!(
        "A modified Delphi study was run on the Delphi platform (version {}). Experts were recruited \
         into {} stakeholder group(s) ({} experts) and rated {} item(s) in {} section(s) on a {} scale{}{}. \
         Up to {} rounds were planned; {} round(s) were completed{}.",
        env!("CARGO_PKG_VERSION"),
        data.groups.len(),
        data.participants.len(),
        data.consensus.len(),
        data.sections.len(),
        scale.describe(),
        if labels.is_empty() {
            String::new()
        } else {
            format!(" ({})", labels.join(", "))
        },
        if scale.unable_to_score() {
            ", with an \"unable to score\" option"
        } else {
            ""
        },
        file.rounds.max,
        closed,
        stopped(data),
    )];
    if !file.criteria.is_empty() {
        // Each criterion with its scale (its own, or the study's) and the rule that judges it.
        let criteria: Vec<String> = file
            .criteria
            .iter()
            .map(|c| {
                format!(
                    "{} (\"{}\", {} scale, rule {})",
                    c.key,
                    c.label,
                    c.scale_or(scale).describe(),
                    c.rule
                )
            })
            .collect();
        paragraphs.push(format!(
            "Each item was rated on {} criteria: {}. Each criterion's statistics and status were \
             computed from its own answers; an item's status combined them (`combine = \"{}\"`).",
            criteria.len(),
            criteria.join("; "),
            file.combine().as_str()
        ));
    }
    paragraphs.push(format!(
        "Consensus was defined before round 1 and locked when it opened ({}): {}. Items without \
         consensus were {} to the next round, to which {} were invited. From round 2, experts saw \
         the anonymous distribution of the panel's scores, their own previous score, the \
         distribution per stakeholder group (when at least {} of a group responded) and anonymised \
         comments{}.",
        data.study
            .rule_hash
            .as_ref()
            .map(|h| format!("SHA-256 {}", &h[..h.len().min(16)]))
            .unwrap_or_else(|| "not locked yet".into()),
        primary.describe(),
        match file.rounds.carry_forward {
            crate::domain::round::CarryForward::Unresolved => "carried forward",
            crate::domain::round::CarryForward::All => "carried forward together with all other items",
        },
        match file.rounds.invite {
            crate::domain::round::InvitePolicy::PreviousResponders =>
                "the experts who responded to the previous round",
            crate::domain::round::InvitePolicy::All => "all experts of the panel",
        },
        file.rounds.min_group_feedback,
        if file.rounds.reason_on_band_change {
            "; an expert who moved a score to another band was asked why"
        } else {
            ""
        },
    ));
    paragraphs.push(format!(
        "For each item and round the platform computed counts per scale point, the mean, the sample \
         standard deviation, the median, quartiles and the 30th and 70th percentiles by Hyndman–Fan \
         type {} quantiles, the IQR and the RAND/UCLA disagreement index; \"unable to score\" answers \
         were {} the denominator. {} Stability between rounds is the share of experts who rated an \
         item in both rounds and moved to another band (stable below 15%); attrition compares the \
         previous-round scores of experts who stayed with those of experts who left.",
        primary.quantiles.number(),
        match primary.unable {
            crate::domain::stats::UnablePolicy::Exclude => "excluded from",
            crate::domain::stats::UnablePolicy::Include => "included in",
        },
        if data.study.rules.alternatives.is_empty() {
            "No alternative definition of consensus was set.".to_string()
        } else {
            format!(
                "As a sensitivity analysis, every item was also classified under {} alternative \
                 definition(s): {}.",
                data.study.rules.alternatives.len(),
                data.results.alternatives.join(", ")
            )
        },
    ));
    paragraphs.extend(subsets_paragraph(data));
    paragraphs
}

/// The ACCORD items (Gattrell et al., 2024) the platform knows the answer to, and those it does
/// not, which the authors must report themselves.
pub(super) fn accord(data: &StudyExport, closed: usize) -> Vec<AccordRow> {
    let study = &data.study;
    // A CHNRI study has scores and ranks where a rating study has a scale, a rule and statuses.
    let chnri = chnri_accord(data);
    let filled = |topic: &str, value: String| AccordRow {
        topic: topic.into(),
        filled: true,
        value,
    };
    let open = |topic: &str| AccordRow {
        topic: topic.into(),
        filled: false,
        value: "not recorded by the platform: report it yourself".into(),
    };
    let rates: Vec<String> = data
        .rounds
        .iter()
        .map(|r| {
            format!(
                "round {}: {}/{} ({}; {} submitted, {} answered without submitting)",
                r.number,
                r.responded,
                r.invited,
                display::rate(r.responded, r.invited),
                r.submitted,
                r.answered_not_submitted
            )
        })
        .collect();
    vec![
        filled(
            "Consensus method",
            match chnri {
                Some(_) => format!("CHNRI research priority setting, online, {closed} round(s) completed"),
                None => format!("Modified Delphi, online, {closed} round(s) completed"),
            },
        ),
        filled(
            "Participants: number and stakeholder groups",
            format!(
                "{} experts in {} group(s): {}",
                data.participants.len(),
                data.groups.len(),
                data.groups
                    .iter()
                    .map(|g| format!(
                        "{} ({})",
                        g.name,
                        data.participants.iter().filter(|p| p.who.group == g.key).count()
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        open("Participant selection and recruitment"),
        filled(
            "Definition of consensus, set in advance",
            match (&chnri, &study.rule_hash) {
                (Some(c), _) => c.definition.clone(),
                (None, Some(hash)) => format!(
                    "{} — locked {} (SHA-256 {hash})",
                    data.study.rules.primary.describe(),
                    utc(study.rule_locked_at)
                ),
                (None, None) => format!("{} — not locked yet", data.study.rules.primary.describe()),
            },
        ),
        filled(
            "Rating scale",
            match chnri {
                Some(_) => "yes, undecided, no or don't know to each question of each criterion".into(),
                None => format!(
                    "{}{}",
                    data.study.scale.describe(),
                    if data.study.scale.unable_to_score() {
                        " with \"unable to score\""
                    } else {
                        ""
                    }
                ),
            },
        ),
        filled(
            "Number of rounds and stopping criteria",
            format!(
                "at most {}; stop when all items are resolved: {}; {}",
                data.study.file.rounds.max,
                if data.study.file.rounds.stop_when_all_resolved {
                    "yes"
                } else {
                    "no"
                },
                study
                    .finish_reason
                    .clone()
                    .unwrap_or_else(|| "study not finished".into())
            ),
        ),
        filled(
            "Anonymity",
            "experts rated privately; feedback and exports are anonymous (pseudonyms E001…)".into(),
        ),
        filled(
            "Feedback between rounds",
            "panel distribution, own previous score, per-group distributions, anonymised comments".into(),
        ),
        filled(
            "Items added, removed or carried between rounds",
            data.rounds
                .iter()
                .map(|r| {
                    format!(
                        "round {}: {} asked ({} new, {} suggested, {} carried)",
                        r.number, r.items, r.new_items, r.suggested, r.carried
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        filled("Response rate per round", rates.join("; ")),
        filled(
            "Statistical analysis",
            match chnri {
                Some(_) => "criterion scores, research priority score (RPS), weighted RPS and average \
                            expert agreement, computed with exact fractions, pooled and per \
                            stakeholder group"
                    .into(),
                None => format!(
                    "median, IQR (Hyndman–Fan type {}), shares per band, RAND/UCLA disagreement index",
                    data.study.rules.primary.quantiles.number()
                ),
            },
        ),
        match &chnri {
            Some(c) => filled("Outcome: items ranked", c.outcome.clone()),
            None => filled(
                "Outcome: items reaching consensus",
                words::tally(
                    data.final_count(Status::In),
                    data.final_count(Status::Out),
                    data.final_count(Status::None),
                ),
            ),
        },
        filled(
            "Sensitivity to the definition of consensus",
            match chnri {
                Some(_) => "the unweighted RPS beside the weighted one, and every score per stakeholder \
                            group"
                    .into(),
                None if data.results.alternatives.is_empty() => "no alternative rule set".into(),
                None => format!("alternative rules: {}", data.results.alternatives.join(", ")),
            },
        ),
        open("Steering committee and its role"),
        open("Preparatory research (literature review) and item generation"),
        open("Pilot testing of the questionnaire"),
        open("Ethics approval and consent"),
        open("Funding and conflicts of interest"),
        open("Registration or protocol"),
    ]
}
