//! Balanced subsets in the report: the design in the Methods and each item's raters beside its
//! n in the final list, only in a study with `[rounds] items_per_expert` (others' reports stay
//! as they were).

use super::*;

/// Raters who answered each item, by (round, item code), from the closed rounds of subsets.
pub(super) fn raters_by_item(data: &StudyExport) -> HashMap<(i32, &str), u64> {
    data.raters
        .iter()
        .flat_map(|r| {
            r.counts
                .items
                .iter()
                .map(move |i| ((r.round, i.code.as_str()), i.answered))
        })
        .collect()
}

/// The Methods paragraph on the subsets: the design, then the raters per item of each closed
/// round as a range; `None` without `items_per_expert`.
pub(super) fn subsets_paragraph(data: &StudyExport) -> Option<String> {
    let rounds = &data.study.file.rounds;
    let per_expert = rounds.items_per_expert?;
    let seed = rounds
        .seed
        .map(|s| format!("seed {s}"))
        .unwrap_or_else(|| "a seed drawn when the first round opened".into());
    let ranges: Vec<String> = data
        .raters
        .iter()
        .map(|r| {
            let range = if r.counts.fewest == r.counts.most {
                r.counts.fewest.to_string()
            } else {
                format!("{}–{}", r.counts.fewest, r.counts.most)
            };
            format!("round {}: {range}", r.round)
        })
        .collect();
    Some(format!(
        "Each expert rated {per_expert} of a round's items (all of them when the round had fewer): \
         balanced subsets allocated from the study's {seed}, so that every item was given to the \
         same number of experts ±1, overall and within each stakeholder group. A round could not \
         close while an item had fewer than {} raters. Raters per item (experts who answered it \
         with a score or \"unable to score\"): {}.",
        rounds.min_raters,
        if ranges.is_empty() {
            "no round closed yet".to_string()
        } else {
            ranges.join("; ")
        },
    ))
}
