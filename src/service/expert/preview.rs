//! "Preview as an expert": the questionnaire of any round of a study, in any of its languages,
//! as an expert would get it — built by the same code as the experts' own pages (`round_data`'s
//! builder), for nobody: no invitation, no answers, nothing written.
//!
//! Rounds that exist are shown with the items they asked; the next round with the items opening
//! it would choose (`rounds::planned_items`). From round 2 on the page shows the group feedback
//! of the round before: its real results once it has closed, otherwise made-up figures, marked
//! as a sample.

use std::sync::Arc;

use super::page::{build_round_data, Asked, ExpertCache, FrozenFeedback, PreviousRound, RoundData};
use super::{ExpertSession, SessionRound};
use crate::db::models::items::Item;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, StudyRow};
use crate::domain::round::RoundState;
use crate::domain::scale::Scale;
use crate::domain::study::Study;
use crate::i18n;
use crate::service::rounds::planned_items;
use crate::service::studies::load;
use crate::service::{Connection, ServiceError};

/// Where a previewable round's items come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundKind {
    /// A round that exists, in this state: the items it asked.
    Asked(RoundState),
    /// The round that would open next after a closed round (or the first): its planned items.
    Next,
    /// A round after one that has not closed yet: planned as if no item reaches consensus there.
    Planned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundChoice {
    pub number: i32,
    pub kind: RoundKind,
}

/// What the preview shows, and what else it could show.
#[derive(Debug)]
pub struct ExpertPreview {
    /// A session of nobody: invitation and expert 0, never written to.
    pub session: ExpertSession,
    pub data: RoundData,
    pub round: RoundChoice,
    pub rounds: Vec<RoundChoice>,
    /// Language tags the study may be read in: its own, the catalogues', its translations'.
    pub languages: Vec<String>,
    /// The chosen tag (the page itself is in `session.lang`, the catalogue language an expert
    /// with this language gets).
    pub language: String,
    /// The feedback shown is made up.
    pub sample: bool,
    /// In a study that draws pages, the page drawn for a made-up expert (`None`: every item in
    /// the study's order).
    pub page: Option<Vec<i64>>,
    /// What was asked for but does not exist (shown as problems; the defaults are used).
    pub unknown_round: Option<String>,
    pub unknown_language: Option<String>,
}

/// Whom the preview's drawn page is drawn for: no pseudonym of a panel looks like it.
const PREVIEW_PSEUDONYM: &str = "preview";

/// The preview of round `round` in `lang` (each as typed in the address; `None` or unknown:
/// the default — the open round, else the next, else the last — and the study's language).
pub fn preview(
    conn: &mut Connection,
    cache: &ExpertCache,
    slug: &str,
    round: Option<&str>,
    lang: Option<&str>,
) -> Result<ExpertPreview, ServiceError> {
    let study = load(conn, slug)?;
    let stamp = StudyRow::stamp(conn, study.id)?;
    let study = cache.study(conn, study.id, stamp)?;
    let existing = Round::of_study(conn, study.id)?;
    let planned = planned_items(conn, &study);
    let rounds = choices(&study, &existing, planned.is_ok());
    let default = existing
        .iter()
        .find(|r| r.status == RoundState::Open)
        .map(|r| r.number)
        .or_else(|| {
            rounds
                .iter()
                .find(|c| c.kind == RoundKind::Next)
                .map(|c| c.number)
        })
        .or_else(|| existing.last().map(|r| r.number));
    let Some(default) = default else {
        // Nothing exists and nothing can be planned: say why (no items, typically).
        return Err(planned
            .err()
            .unwrap_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no round to preview"))));
    };
    let asked_round = round.map(str::trim).filter(|r| !r.is_empty());
    let chosen = asked_round
        .and_then(|r| r.parse::<i32>().ok())
        .and_then(|n| rounds.iter().find(|c| c.number == n).copied());
    let unknown_round = match (asked_round, chosen) {
        (Some(typed), None) => Some(typed.to_string()),
        _ => None,
    };
    let chosen = chosen
        .or_else(|| rounds.iter().find(|c| c.number == default).copied())
        .ok_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no round to preview")))?;

    let languages = languages(conn, &study)?;
    let asked_lang = lang.map(str::trim).filter(|l| !l.is_empty());
    let language = asked_lang.and_then(|l| languages.iter().find(|t| t.eq_ignore_ascii_case(l)).cloned());
    let unknown_language = match (asked_lang, &language) {
        (Some(typed), None) => Some(typed.to_string()),
        _ => None,
    };
    let language = language.unwrap_or_else(|| study.language.clone());
    // As `expert::resolve` chooses for an expert whose language is `language`.
    let page_lang = i18n::for_reader(&[Some(&language), Some(&study.language)]);

    let this_round = existing.iter().find(|r| r.number == chosen.number);
    let asked: Vec<Asked> = match this_round {
        // A closed round as it was asked; an open one as its experts see it now.
        Some(round) => Round::items(conn, round.id)?
            .into_iter()
            .map(|ri| Asked {
                item_id: ri.item_id,
                version: (round.status == RoundState::Closed).then_some(ri.item_version),
            })
            .collect(),
        None => planned?
            .into_iter()
            .map(|(item, _)| Asked {
                item_id: item.id,
                version: None,
            })
            .collect(),
    };
    let before = existing.iter().find(|r| r.number == chosen.number - 1);
    let previous = match before {
        _ if chosen.number < 2 => None,
        Some(prev) if prev.status == RoundState::Closed => Some(PreviousRound {
            id: prev.id,
            number: prev.number,
            feedback: cache.frozen(conn, prev.id)?,
            sample: false,
        }),
        _ => Some(PreviousRound {
            id: 0,
            number: chosen.number - 1,
            feedback: Arc::new(sample_feedback(conn, &study, &asked, page_lang)?),
            sample: true,
        }),
    };
    let sample = previous.as_ref().is_some_and(|p| p.sample);
    let data = build_round_data(conn, &study, page_lang, &asked, previous)?;
    // A round that exists can be drawn as a late joiner's page; a planned one has no items yet.
    let page = match this_round {
        Some(round) if crate::service::pages::draws(&study, round.kind) => Some(
            crate::service::pages::drawn_now(conn, &study, round, PREVIEW_PSEUDONYM)?,
        ),
        _ => None,
    };
    let session = ExpertSession {
        invitation_id: 0,
        expert_id: 0,
        opened: true,
        // The panel's view: a test expert's note is not part of it.
        is_test: false,
        submitted: false,
        round: SessionRound {
            id: this_round.map(|r| r.id).unwrap_or(0),
            number: chosen.number,
            kind: this_round.map_or(study.file.method.round_kind(), |r| r.kind),
            // As the experts see it while it is open.
            state: RoundState::Open,
            deadline: this_round.and_then(|r| r.deadline),
        },
        study,
        lang: page_lang,
    };
    Ok(ExpertPreview {
        session,
        data,
        round: chosen,
        rounds,
        languages,
        language,
        sample,
        page,
        unknown_round,
        unknown_language,
    })
}

/// The rounds a facilitator may preview: those that exist, the next one (when the study may
/// still open one and has items for it), and round 2 in a study that has no round yet, so that
/// the feedback can be seen before round 1 opens.
fn choices(study: &Study, existing: &[Round], can_plan: bool) -> Vec<RoundChoice> {
    let mut rounds: Vec<RoundChoice> = existing
        .iter()
        .map(|r| RoundChoice {
            number: r.number,
            kind: RoundKind::Asked(r.status),
        })
        .collect();
    let last = existing.last();
    let max = i64::from(study.file.rounds.max);
    if can_plan && !study.is_finished() {
        let next = last.map(|r| r.number + 1).unwrap_or(1);
        if i64::from(next) <= max {
            let closed = last.is_none_or(|r| r.status == RoundState::Closed);
            rounds.push(RoundChoice {
                number: next,
                kind: if closed {
                    RoundKind::Next
                } else {
                    RoundKind::Planned
                },
            });
        }
        if last.is_none() && max >= 2 {
            rounds.push(RoundChoice {
                number: 2,
                kind: RoundKind::Planned,
            });
        }
    }
    rounds
}

/// The study's languages, the catalogues' and those its items are translated into, in that
/// order, each once.
fn languages(conn: &mut Connection, study: &Study) -> Result<Vec<String>, ServiceError> {
    let mut tags: Vec<String> = study.file.languages();
    tags.extend(i18n::expert_languages().into_iter().map(str::to_string));
    let mut translated: Vec<String> = Item::translations_of_study(conn, study.id)?
        .into_iter()
        .map(|t| t.language)
        .collect();
    translated.sort();
    tags.extend(translated);
    let mut seen = Vec::<String>::new();
    tags.retain(|tag| {
        let key = tag.to_ascii_lowercase();
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    Ok(tags)
}

/// Made-up last-round figures for `asked`: every stakeholder group a few responders more than
/// `min_group_feedback` (so the page shows the group lines experts would see), the panel the sum
/// of its groups, one sample comment. Deterministic, so that two looks show the same page.
fn sample_feedback(
    conn: &mut Connection,
    study: &Study,
    asked: &[Asked],
    lang: &str,
) -> Result<FrozenFeedback, ServiceError> {
    let groups = Group::of_study(conn, study.id)?;
    let per_group = i32::try_from(study.file.rounds.min_group_feedback)
        .unwrap_or(i32::MAX)
        .clamp(1, 20)
        + 2;
    let comment = i18n::translate(lang, "preview-sample-comment", &[]);
    let mut feedback = FrozenFeedback::default();
    for (i, ask) in asked.iter().enumerate() {
        let mut pooled = vec![0u64; points(&study.scale)];
        let mut lines = Vec::with_capacity(groups.len());
        let panel: Vec<(String, i32)> = if groups.is_empty() {
            vec![(String::new(), per_group * 3)]
        } else {
            groups
                .iter()
                .enumerate()
                .map(|(g, group)| (group.key.clone(), per_group + (g % 3) as i32))
                .collect()
        };
        for (g, (key, size)) in panel.into_iter().enumerate() {
            let counts = sample_counts(pooled.len(), i + g, size);
            for (total, count) in pooled.iter_mut().zip(&counts) {
                *total += count;
            }
            if !key.is_empty() {
                lines.push((key, size, counts));
            }
        }
        feedback.pooled.insert(ask.item_id, pooled);
        feedback.groups.insert(ask.item_id, lines);
        feedback.comments.insert(ask.item_id, vec![comment.clone()]);
        // A study with criteria: each criterion its own made-up spread per group on its own
        // scale, the panel their sum (without groups, the panel's size).
        let responders: u64 = feedback.pooled[&ask.item_id].iter().sum();
        for (c, criterion) in study.file.criteria.iter().enumerate() {
            let on = (ask.item_id, criterion.key.clone());
            let width = points(criterion.scale_or(&study.scale));
            let mut pooled = vec![0u64; width];
            let mut lines = Vec::new();
            for (g, (key, size, _)) in feedback.groups[&ask.item_id].iter().enumerate() {
                let counts = sample_counts(width, i + 2 * c + g + 1, *size);
                for (total, count) in pooled.iter_mut().zip(&counts) {
                    *total += count;
                }
                lines.push((key.clone(), *size, counts));
            }
            if lines.is_empty() {
                let size = i32::try_from(responders).unwrap_or(i32::MAX);
                pooled = sample_counts(width, i + 2 * c + 1, size);
            }
            feedback.pooled_on.insert(on.clone(), pooled);
            feedback.groups_on.insert(on, lines);
        }
    }
    Ok(feedback)
}

fn points(scale: &Scale) -> usize {
    scale.points().count()
}

/// `size` answers over `points` scale points, gathered around a point that moves with `seed`:
/// a plausible spread rather than a uniform block.
fn sample_counts(points: usize, seed: usize, size: i32) -> Vec<u64> {
    let mut counts = vec![0u64; points];
    if points == 0 {
        return counts;
    }
    let peak = (seed * 5 + points / 2) % points;
    const SPREAD: [isize; 5] = [0, 1, -1, 0, 2];
    for r in 0..usize::try_from(size).unwrap_or(0) {
        let at = (peak as isize + SPREAD[r % SPREAD.len()]).clamp(0, points as isize - 1);
        counts[at as usize] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::sample_counts;

    #[test]
    fn sample_counts_add_up_and_stay_on_the_scale() {
        for points in [2, 5, 9] {
            for seed in 0..12 {
                let counts = sample_counts(points, seed, 7);
                assert_eq!(counts.len(), points);
                assert_eq!(counts.iter().sum::<u64>(), 7);
            }
        }
        assert!(sample_counts(0, 3, 5).is_empty());
        // Different items get different shapes.
        assert_ne!(sample_counts(9, 0, 7), sample_counts(9, 1, 7));
    }
}
