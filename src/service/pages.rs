//! Each expert's page of a rating round in a study that draws (`[rounds] order = "random"`,
//! `items_per_expert`): the study's seed, drawn once when its first such round opens; the
//! pages, drawn from it when a round opens and stored in `page_items`, so the data package
//! states what each expert saw; and what the pages imply — who may rate what, how many raters
//! each item had, and the close's `min_raters` refusal (docs/statistics.md, "Item order" and
//! "Balanced subsets").
//!
//! Ranking and ideas rounds are not pages of items to rate and are left alone; CHNRI rounds
//! keep the study's order for every expert (README, Known limits).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use rand::Rng;
use serde::Serialize;

use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::page_items::PageItem;
use crate::db::models::ratings::Rating;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Section, StudyRow};
use crate::db::DbConnection;
use crate::domain::allocation::{allocate, late_subset, short_of_raters, Rater};
use crate::domain::order::{page_order, positions, SectionItems};
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::study::Study;
use crate::service::{audit, Actor, ServiceError};

/// The seed a rehearsal draws from before the first round opens and draws the study's own: a
/// test expert's page before opening shows how pages will look, not what they will be.
const REHEARSAL_SEED: u64 = 0;

/// Whether rounds of `kind` in `study` get drawn pages.
pub(crate) fn draws(study: &Study, kind: RoundKind) -> bool {
    kind == RoundKind::Rating && study.file.rounds.draws()
}

/// The study's seed, drawn now (from the operating system, at most `i64::MAX`, the largest
/// integer a study file can hold) and stored in its settings if it has none yet, so that every
/// later draw and the data package's study.toml use the same one. Audited when drawn.
pub(crate) fn seed(
    conn: &mut DbConnection,
    study: &Study,
    actor: &Actor,
    at: NaiveDateTime,
) -> Result<u64, ServiceError> {
    if let Some(seed) = study.file.rounds.seed {
        return Ok(seed);
    }
    let seed = rand::rng().random_range(0..=i64::MAX as u64);
    let mut file = study.file.clone();
    file.rounds.seed = Some(seed);
    let definition =
        serde_json::to_string(&file).map_err(|e| ServiceError::invalid("study", e.to_string()))?;
    StudyRow::set_definition(conn, study.id, &definition, at)?;
    audit::log(
        conn,
        study,
        actor,
        "study.seed",
        serde_json::json!({ "seed": seed }),
        at,
    )?;
    Ok(seed)
}

/// The round's items (ids) by section, sections and items in the study's order.
fn round_sections(
    conn: &mut DbConnection,
    study_id: i64,
    round_id: i64,
) -> Result<Vec<SectionItems<i64>>, ServiceError> {
    let section_of: HashMap<i64, i64> = Item::of_study(conn, study_id)?
        .into_iter()
        .map(|item| (item.id, item.section_id))
        .collect();
    let asked: Vec<i64> = Round::items(conn, round_id)?
        .into_iter()
        .map(|ri| ri.item_id)
        .collect();
    Ok(Section::of_study(conn, study_id)?
        .into_iter()
        .map(|section| SectionItems {
            items: asked
                .iter()
                .copied()
                .filter(|id| section_of.get(id) == Some(&section.id))
                .collect(),
            section: section.key,
        })
        .filter(|section| !section.items.is_empty())
        .collect())
}

/// One expert's page: `subset` (every item when `None`) in the order drawn for them, as
/// (item id, 1-based position).
fn page(
    study: &Study,
    seed: u64,
    round: u32,
    pseudonym: &str,
    sections: &[SectionItems<i64>],
    subset: Option<&[i64]>,
) -> Vec<(i64, u32)> {
    let mine: Vec<SectionItems<i64>> = sections
        .iter()
        .map(|s| SectionItems {
            section: s.section.clone(),
            items: s
                .items
                .iter()
                .copied()
                .filter(|id| subset.is_none_or(|subset| subset.contains(id)))
                .collect(),
        })
        .filter(|s| !s.items.is_empty())
        .collect();
    let rounds = &study.file.rounds;
    positions(&page_order(
        rounds.order,
        rounds.sections_fixed,
        seed,
        round,
        pseudonym,
        &mine,
    ))
}

fn rows(round_id: i64, expert_id: i64, page: &[(i64, u32)]) -> Vec<PageItem> {
    page.iter()
        .map(|&(item_id, position)| PageItem {
            round_id,
            expert_id,
            item_id,
            position: i32::try_from(position).unwrap_or(i32::MAX),
        })
        .collect()
}

/// The page of someone who joins after the panel's pages were drawn: with subsets, the items
/// with the fewest panel raters so far (`late_subset`), in their own drawn order.
fn late_page(
    study: &Study,
    seed: u64,
    round: u32,
    pseudonym: &str,
    sections: &[SectionItems<i64>],
    raters: &HashMap<i64, u64>,
) -> Vec<(i64, u32)> {
    let subset = study.file.rounds.items_per_expert.map(|n| {
        let items: Vec<i64> = sections.iter().flat_map(|s| s.items.iter().copied()).collect();
        let counts: Vec<u64> = items
            .iter()
            .map(|id| raters.get(id).copied().unwrap_or(0))
            .collect();
        late_subset(seed, round, &items, &counts, n)
    });
    page(study, seed, round, pseudonym, sections, subset.as_deref())
}

/// Draws and stores the page of every expert invited to `round`, which has just opened: the
/// panel's subsets allocated together (balanced overall and within each stakeholder group),
/// then the test experts' pages as late joiners, so that they change no panel count.
pub(crate) fn draw(
    conn: &mut DbConnection,
    study: &Study,
    seed: u64,
    round: &Round,
) -> Result<usize, ServiceError> {
    let number = u32::try_from(round.number).unwrap_or(0);
    let sections = round_sections(conn, study.id, round.id)?;
    let items: Vec<i64> = sections.iter().flat_map(|s| s.items.iter().copied()).collect();
    let group_key = super::studies::group_keys_by_id(conn, study.id)?;
    let invited: HashSet<i64> = Invitation::of_round(conn, round.id)?
        .into_iter()
        .map(|i| i.expert_id)
        .collect();
    let panel: Vec<Expert> = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter(|e| invited.contains(&e.id))
        .collect();
    let raters: Vec<Rater> = panel
        .iter()
        .map(|e| Rater {
            pseudonym: e.pseudonym.clone(),
            group: group_key.get(&e.group_id).cloned().unwrap_or_default(),
        })
        .collect();
    let subsets: Option<BTreeMap<String, Vec<i64>>> = study
        .file
        .rounds
        .items_per_expert
        .map(|n| allocate(seed, number, &raters, &items, n));
    let mut stored = Vec::new();
    let mut count: HashMap<i64, u64> = HashMap::new();
    for expert in &panel {
        let subset = subsets
            .as_ref()
            .map(|s| s.get(&expert.pseudonym).cloned().unwrap_or_default());
        let mine = page(
            study,
            seed,
            number,
            &expert.pseudonym,
            &sections,
            subset.as_deref(),
        );
        for (item, _) in &mine {
            *count.entry(*item).or_default() += 1;
        }
        stored.extend(rows(round.id, expert.id, &mine));
    }
    let tests: Vec<i64> = Invitation::of_test_experts(conn, study.id)?
        .into_iter()
        .filter(|(_, r)| r.id == round.id)
        .map(|(i, _)| i.expert_id)
        .collect();
    for expert in Expert::tests_of_study(conn, study.id)?
        .into_iter()
        .filter(|e| tests.contains(&e.id))
    {
        let mine = late_page(study, seed, number, &expert.pseudonym, &sections, &count);
        stored.extend(rows(round.id, expert.id, &mine));
    }
    PageItem::insert_many(conn, &stored)?;
    Ok(stored.len())
}

/// How many of the panel's pages hold each item of the round (empty when the round stored no
/// pages).
fn allocated(conn: &mut DbConnection, round_id: i64) -> Result<HashMap<i64, u64>, ServiceError> {
    let mut count: HashMap<i64, u64> = HashMap::new();
    for item in pages_of_round(conn, round_id)?.values().flatten() {
        *count.entry(*item).or_default() += 1;
    }
    Ok(count)
}

/// The panel's pages of a round, item ids by expert (empty when the round stored no pages).
pub(crate) fn pages_of_round(
    conn: &mut DbConnection,
    round_id: i64,
) -> Result<HashMap<i64, HashSet<i64>>, ServiceError> {
    let mut pages: HashMap<i64, HashSet<i64>> = HashMap::new();
    for row in PageItem::of_round(conn, round_id)? {
        pages.entry(row.expert_id).or_default().insert(row.item_id);
    }
    Ok(pages)
}

/// Stores the page of a test expert invited to `round` while it is open, unless they have one.
pub(crate) fn add_late(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    expert: &Expert,
) -> Result<(), ServiceError> {
    if round.status != RoundState::Open || !draws(study, round.kind) {
        return Ok(());
    }
    if !PageItem::of_expert(conn, round.id, expert.id)?.is_empty() {
        return Ok(());
    }
    // Drawn when the round opened; a round opened before the study drew keeps every page whole.
    let Some(seed) = study.file.rounds.seed else {
        return Ok(());
    };
    let sections = round_sections(conn, study.id, round.id)?;
    let count = allocated(conn, round.id)?;
    let number = u32::try_from(round.number).unwrap_or(0);
    let mine = late_page(study, seed, number, &expert.pseudonym, &sections, &count);
    PageItem::insert_many(conn, &rows(round.id, expert.id, &mine))?;
    Ok(())
}

/// The items of one expert's page in order, or `None` when they see every item of the round in
/// the study's order. A draft round (a test expert rehearsing before it opens) stores no pages:
/// theirs is drawn as it is shown, as a late joiner's.
pub(crate) fn page_of(
    conn: &mut DbConnection,
    study: &Study,
    round_id: i64,
    expert_id: i64,
) -> Result<Option<Vec<i64>>, ServiceError> {
    let Some(round) = Round::by_id(conn, round_id)? else {
        return Ok(None);
    };
    if !draws(study, round.kind) {
        return Ok(None);
    }
    let stored = PageItem::of_expert(conn, round_id, expert_id)?;
    if !stored.is_empty() {
        return Ok(Some(stored.into_iter().map(|row| row.item_id).collect()));
    }
    if round.status != RoundState::Draft {
        return Ok(None);
    }
    let Some(expert) = Expert::by_id(conn, expert_id)? else {
        return Ok(None);
    };
    Ok(Some(drawn_now(conn, study, &round, &expert.pseudonym)?))
}

/// The page `pseudonym` would be given in `round` now, written nowhere: a rehearsal's, and the
/// console's preview as an expert.
pub(crate) fn drawn_now(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    pseudonym: &str,
) -> Result<Vec<i64>, ServiceError> {
    let seed = study.file.rounds.seed.unwrap_or(REHEARSAL_SEED);
    let sections = round_sections(conn, study.id, round.id)?;
    let count = allocated(conn, round.id)?;
    let number = u32::try_from(round.number).unwrap_or(0);
    Ok(late_page(study, seed, number, pseudonym, &sections, &count)
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

/// Refuses an answer to an item that is not on the expert's stored page (`page`, their rows of
/// `page_items`; empty when none was drawn): the authority behind every way of saving one: the
/// form, autosave, a responses import.
pub(crate) fn require_on_page(
    page: &[PageItem],
    round: &Round,
    item_id: i64,
    code: &str,
) -> Result<(), ServiceError> {
    if page.is_empty() || page.iter().any(|row| row.item_id == item_id) {
        return Ok(());
    }
    Err(ServiceError::invalid(
        "item",
        format!(
            "item `{code}` is not on this expert's page in round {}: each expert rates only the \
             items given to them ([rounds] items_per_expert)",
            round.number
        ),
    ))
}

/// How many raters one item of a round was given and how many answered it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRaters {
    pub code: String,
    /// Panel experts whose page holds the item.
    pub given: u64,
    /// Panel experts who gave it a score or "unable to score" (on any criterion).
    pub answered: u64,
}

/// The rater counts of a round whose experts each rate a subset, with their range.
#[derive(Debug, Clone, Serialize)]
pub struct RaterCounts {
    pub items: Vec<ItemRaters>,
    pub fewest: u64,
    pub most: u64,
    pub min_raters: u32,
    /// Items with fewer answers than `min_raters` so far, (code, answers).
    pub short: Vec<(String, u64)>,
}

/// Per item of `round` (in the round's order): raters given and answered, or `None` when the
/// study gives every expert every item.
pub(crate) fn rater_counts(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
) -> Result<Option<RaterCounts>, ServiceError> {
    if round.kind != RoundKind::Rating || study.file.rounds.items_per_expert.is_none() {
        return Ok(None);
    }
    let given = allocated(conn, round.id)?;
    let mut answered: HashMap<i64, HashSet<i64>> = HashMap::new();
    for rating in Rating::of_round(conn, round.id)? {
        if rating.score.is_some() || rating.unable {
            answered
                .entry(rating.item_id)
                .or_default()
                .insert(rating.expert_id);
        }
    }
    let code: HashMap<i64, String> = Item::codes_of_study(conn, study.id)?;
    let items: Vec<ItemRaters> = Round::items(conn, round.id)?
        .into_iter()
        .map(|ri| ItemRaters {
            code: code.get(&ri.item_id).cloned().unwrap_or_default(),
            given: given.get(&ri.item_id).copied().unwrap_or(0),
            answered: answered.get(&ri.item_id).map_or(0, |e| e.len() as u64),
        })
        .collect();
    let min_raters = study.file.rounds.min_raters;
    let counted: Vec<(String, u64)> = items.iter().map(|i| (i.code.clone(), i.answered)).collect();
    Ok(Some(RaterCounts {
        fewest: items.iter().map(|i| i.answered).min().unwrap_or(0),
        most: items.iter().map(|i| i.answered).max().unwrap_or(0),
        short: short_of_raters(&counted, min_raters),
        items,
        min_raters,
    }))
}

/// Refuses to close a round of subsets while an item has fewer than `[rounds] min_raters`
/// answers, listing them, with the ways on.
pub(crate) fn refuse_short_close(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
) -> Result<(), ServiceError> {
    let Some(counts) = rater_counts(conn, study, round)? else {
        return Ok(());
    };
    let short = &counts.short;
    if short.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = short.iter().map(|(code, n)| format!("{code} ({n})")).collect();
    Err(ServiceError::Conflict(format!(
        "round {} of `{}` cannot close: these items have fewer than {} raters ([rounds] min_raters), \
         answers in brackets: {}. Extend the deadline and remind the experts who have not answered, \
         then close again",
        round.number,
        study.slug,
        counts.min_raters,
        list.join(", ")
    )))
}
