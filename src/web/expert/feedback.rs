//! Last round's feedback on an item, or on one criterion of it, as one expert sees it: the
//! chart with their own previous score marked, the summary, the groups' lines and the
//! comments, built once per round, language, item and previous answer and kept in the round's
//! content.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::domain::language;
use crate::domain::round::{group_figures, GroupFigures};
use crate::domain::rule::thresholds::band_thresholds;
use crate::domain::rule::Rule;
use crate::domain::scale::Scale;
use crate::export::svg;
use crate::i18n;
use crate::service::expert::{self, ExpertSession, PreviousAnswer, PreviousRound};

use super::content::{frame_id, GroupView, ItemFeedback, RoundContent, ScaleContent};

/// Last round's feedback on one criterion of an item: the panel's chart under the criterion's
/// rule, the groups' distributions on it and the expert's own previous score on it, built once per round, language, item,
/// criterion and previous answer.
pub(super) fn criterion_feedback(
    session: &ExpertSession,
    content: &RoundContent,
    item_id: i64,
    index: usize,
    own: PreviousAnswer,
) -> Option<Arc<ItemFeedback>> {
    let previous = content.previous.as_ref()?;
    let criterion = content.criteria.get(index)?;
    memo(&content.feedback_on, (item_id, index, own), || {
        let study = &session.study;
        let scale = criterion.scale_in(content);
        let pooled = previous
            .feedback
            .pooled_on
            .get(&(item_id, criterion.key.clone()))?;
        let rule = study.rules.get(&criterion.rule).unwrap_or(&study.rules.primary);
        let rows = previous.feedback.groups_on.get(&(item_id, criterion.key.clone()));
        let (groups, groups_hidden) = group_views(session, content, &scale.scale, rows);
        Some(ItemFeedback {
            groups,
            groups_hidden,
            ..charted(content, previous, (scale, Some(index)), rule, pooled, own)
        })
    })
}

/// The value under `key` in a round's cache, or the one `build` makes, kept for the next view.
/// A poisoned lock only costs the cache: the value is built and served all the same.
fn memo<K: std::hash::Hash + Eq>(
    cache: &Mutex<HashMap<K, Arc<ItemFeedback>>>,
    key: K,
    build: impl FnOnce() -> Option<ItemFeedback>,
) -> Option<Arc<ItemFeedback>> {
    if let Some(found) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Some(found);
    }
    let built = Arc::new(build()?);
    if let Ok(mut m) = cache.lock() {
        m.insert(key, Arc::clone(&built));
    }
    Some(built)
}

/// Last round's chart of the scores `pooled` under `rule` with the expert's own previous score
/// marked, and its summary; without groups or comments, which only an item's feedback has.
fn charted(
    content: &RoundContent,
    previous: &PreviousRound,
    (shown, criterion): (&ScaleContent, Option<usize>),
    rule: &Rule,
    pooled: &[u64],
    own: PreviousAnswer,
) -> ItemFeedback {
    let lang = content.lang;
    let scale = &shown.scale;
    let summary = summary_text(lang, previous.number, scale, pooled);
    // Drawn over the page's frame for this scale and rule (`chart_frames`).
    let chart = svg::on_frame(
        &svg::Histogram {
            min: scale.min(),
            counts: pooled,
            bands: &shown.chart_bands,
            highlight: own.score(),
            // Shown beside the chart (items::feedback_html), not in its text equivalent.
            label: "",
            thresholds: &svg::Threshold::of_rule(&band_thresholds(rule, scale)),
            rtl: language::direction(lang) == language::Direction::RightToLeft,
        },
        &frame_id(criterion),
    );
    ItemFeedback {
        label: previous
            .sample
            .then(|| i18n::translate(lang, "preview-sample-feedback", &[])),
        chart,
        summary,
        own: own_text(lang, own),
        groups: Vec::new(),
        groups_hidden: false,
        comments: Vec::new(),
        html: std::sync::OnceLock::new(),
    }
}

/// "Your score last round: 7", or nothing when the expert was not asked last round.
pub(super) fn own_text(lang: &str, own: PreviousAnswer) -> Option<String> {
    let own = match own {
        PreviousAnswer::None => return None,
        PreviousAnswer::Score(score) => score.to_string(),
        PreviousAnswer::Unable => i18n::translate(lang, "expert-unable", &[]),
        PreviousAnswer::Blank => "–".to_string(),
    };
    Some(i18n::translate(
        lang,
        "expert-your-previous",
        &[("score", own.into())],
    ))
}

/// Last round's feedback on one item for an expert whose previous answer was `own`, built
/// once per round, language, item and previous answer.
pub(super) fn feedback_for(
    session: &ExpertSession,
    content: &RoundContent,
    item_id: i64,
    own: PreviousAnswer,
) -> Option<Arc<ItemFeedback>> {
    let previous = content.previous.as_ref()?;
    let frozen = &previous.feedback;
    memo(&content.feedback, (item_id, own), || {
        let pooled = frozen.pooled.get(&item_id)?;
        let (groups, groups_hidden) = group_views(
            session,
            content,
            &session.study.scale,
            frozen.groups.get(&item_id),
        );
        Some(ItemFeedback {
            groups,
            groups_hidden,
            comments: frozen.comments.get(&item_id).cloned().unwrap_or_default(),
            ..charted(
                content,
                previous,
                (&content.scale, None),
                &session.study.rules.primary,
                pooled,
                own,
            )
        })
    })
}

/// The groups' lines of last round's feedback from their `rows` (group key, responders, counts
/// on `scale`), in the study file's order of groups, and whether some were hidden for having
/// fewer responders than `[rounds] min_group_feedback`.
fn group_views(
    session: &ExpertSession,
    content: &RoundContent,
    scale: &Scale,
    rows: Option<&expert::GroupLines>,
) -> (Vec<GroupView>, bool) {
    let mut groups = Vec::new();
    let mut groups_hidden = false;
    // In the study file's order of groups, not the storage order of their keys.
    let mut rows: Vec<&(String, i32, Vec<u64>)> = rows.map(|g| g.iter().collect()).unwrap_or_default();
    let group_names = &content.group_names;
    rows.sort_by_key(|(key, _, _)| group_names.get(key).map(|(p, _)| *p).unwrap_or(i32::MAX));
    for (key, responders, counts) in rows {
        match group_figures(*responders, session.study.file.rounds.min_group_feedback) {
            GroupFigures::Empty => continue,
            GroupFigures::Hidden => {
                groups_hidden = true;
                continue;
            }
            GroupFigures::Shown => {}
        }
        groups.push(GroupView {
            name: group_names
                .get(key)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| key.clone()),
            responders: *responders,
            distribution: distribution_text(scale, counts),
        });
    }
    (groups, groups_hidden)
}

/// "Round 1: 12 of 20 rated 7–9", about the top band.
fn summary_text(lang: &str, round: i32, scale: &Scale, counts: &[u64]) -> String {
    match scale.bands().last() {
        Some(band) => {
            let (inside, total) = svg::in_band(scale.min(), counts, band);
            i18n::translate(
                lang,
                "expert-chart-summary",
                &[
                    ("round", round.into()),
                    ("count", (inside as f64).into()),
                    ("total", (total as f64).into()),
                    ("range", range_text(lang, band).into()),
                ],
            )
        }
        None => i18n::translate(
            lang,
            "expert-chart-summary-plain",
            &[
                ("round", round.into()),
                ("total", (counts.iter().sum::<u64>() as f64).into()),
            ],
        ),
    }
}

/// A band's range, "7–9", kept in that order on a right-to-left page (a left-to-right isolate:
/// bare digits and a dash would otherwise read "9–7" there).
fn range_text(lang: &str, band: &crate::domain::scale::Band) -> String {
    let range = format!("{}–{}", band.from, band.to);
    if language::direction(lang) == language::Direction::RightToLeft {
        format!("\u{2066}{range}\u{2069}")
    } else {
        range
    }
}

/// Counts per band ("1–3: 1 · 4–6: 2 · 7–9: 3"), or per point when the scale has no bands.
fn distribution_text(scale: &Scale, counts: &[u64]) -> String {
    if scale.bands().is_empty() {
        return counts
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}: {c}", scale.min() + i as i32))
            .collect::<Vec<_>>()
            .join(" · ");
    }
    scale
        .bands()
        .iter()
        .map(|band| {
            let (inside, _) = svg::in_band(scale.min(), counts, band);
            format!("{}–{}: {inside}", band.from, band.to)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
