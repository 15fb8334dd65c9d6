//! The report's Drift section (docs/statistics.md, "Drift"): per round pair, each item's panel
//! figures and a sentence on the method; only in a study with two or more closed rating rounds.

use super::*;
use crate::domain::stats::Ratio;

#[derive(Serialize)]
pub(super) struct DriftSection {
    pub(super) method: String,
    pub(super) after_rating: bool,
    pub(super) criteria: bool,
    pub(super) pairs: Vec<DriftPair>,
}

#[derive(Serialize)]
pub(super) struct DriftPair {
    pub(super) from: i32,
    pub(super) to: i32,
    pub(super) rows: Vec<DriftRow>,
}

#[derive(Serialize)]
pub(super) struct DriftRow {
    code: String,
    criterion: String,
    median: String,
    experts: u64,
    before: String,
    after: String,
    toward: String,
    moved: String,
    feedback: String,
    later_minus_early: String,
}

fn distance(value: Option<Ratio>) -> String {
    display::mean(value.map(Ratio::to_f64))
}

fn change(value: Option<Ratio>) -> String {
    display::distance_change(value.map(Ratio::to_f64))
}

pub(super) fn drift_section(data: &StudyExport) -> Option<DriftSection> {
    let table = &data.drift;
    if table.closed_rounds < 2 {
        return None;
    }
    let pairs = table
        .rounds()
        .into_iter()
        .map(|to| DriftPair {
            from: to - 1,
            to,
            rows: table
                .lines
                .iter()
                .filter(|l| l.round == to)
                .map(|l| {
                    let panel = &l.drift.pooled;
                    let rounds = &panel.between_rounds;
                    DriftRow {
                        code: l.item_code.clone(),
                        criterion: l.criterion.clone().unwrap_or_default(),
                        median: display::median(l.drift.median.map(Ratio::to_f64)),
                        experts: rounds.experts,
                        before: distance(rounds.distance_before),
                        after: distance(rounds.distance_after),
                        toward: change(rounds.toward_median),
                        moved: format!(
                            "{} / {} / {}",
                            rounds.movement.toward, rounds.movement.away, rounds.movement.stayed
                        ),
                        feedback: panel
                            .after_feedback
                            .as_ref()
                            .map_or(display::MISSING.to_owned(), |f| {
                                format!("{} of {}", change(f.toward_median), f.experts)
                            }),
                        later_minus_early: change(l.drift.later_minus_early),
                    }
                })
                .collect(),
        })
        .collect();
    let feedback = if table.after_rating {
        " Experts rated each item before seeing the group's answers ([feedback] timing = \
         \"after_rating\"); the feedback shift is the same difference between their pre-feedback \
         and their final scores (how much of the movement came after seeing the feedback), over \
         the experts who gave both."
    } else {
        ""
    };
    Some(DriftSection {
        method: format!(
            "For every item rated in two consecutive closed rounds, M is the item's median in the \
             earlier round, the one experts were shown. Only experts with a numeric score in both \
             rounds are counted. Distance before and after are the mean absolute distances of \
             their scores from M in the earlier and in the later round; toward the median is \
             before minus after (positive: the answers drew together around the feedback). An \
             expert moved toward M when their own distance shrank, away when it grew; later \
             minus early compares experts who joined after round {} with those who answered \
             from it.{feedback} Every figure is exact, rounded when shown; the figures per \
             stakeholder group and cohort are in drift.csv.",
            table.first_round
        ),
        after_rating: table.after_rating,
        criteria: table.lines.iter().any(|l| l.criterion.is_some()),
        pairs,
    })
}
