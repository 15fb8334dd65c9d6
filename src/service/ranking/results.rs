//! The results of a ranking round, read from its frozen lists and scored exactly
//! (`domain::ranking::score`), and the lists themselves as tidy rows for the data package.

use std::collections::HashMap;

use serde::Serialize;

use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::rankings::Ranking;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section};
use crate::db::DbConnection;
use crate::domain::ranking::{score, Ballot, RankingSettings};
use crate::domain::round::RoundKind;
use crate::domain::study::Study;
use crate::service::exported_expert::ExportedExpert;
use crate::service::studies::{self, load};
use crate::service::ServiceError;

/// One group's columns of one item: `points_<g>, share_<g>, rank_<g>`.
#[derive(Debug, Clone, Serialize)]
pub struct RankingGroupLine {
    pub group: String,
    pub points: u64,
    /// `T(i,g)/P(g)`, the nearest double of the exact value; None when `P(g) = 0`.
    pub share: Option<f64>,
    pub rank: Option<u32>,
}

/// One line of ranking.csv.
#[derive(Debug, Clone, Serialize)]
pub struct RankingLine {
    pub round: i32,
    pub item_code: String,
    pub section: String,
    pub item_text: String,
    pub chosen: u64,
    pub first: u64,
    pub points: u64,
    pub groups: Vec<RankingGroupLine>,
    /// The nearest double of the exact score.
    pub score: f64,
    pub rank: u32,
}

/// A closed ranking round's results, by rank, ties by item code.
#[derive(Debug, Clone, Serialize)]
pub struct RankingTable {
    pub study: String,
    pub round: i32,
    pub choose: u32,
    pub combine: String,
    /// Group keys in the study's order (the column order of ranking.csv).
    pub groups: Vec<String>,
    /// Experts who placed at least one item.
    pub responded: usize,
    pub lines: Vec<RankingLine>,
}

/// One chosen item of one expert: a line of rankings.csv.
#[derive(Debug, Clone, Serialize)]
pub struct RankingAnswerLine {
    pub round: i32,
    #[serde(flatten)]
    pub who: ExportedExpert,
    pub item_code: String,
    pub position: i32,
}

/// The results of ranking round `number` of `slug`, which must be closed.
pub fn ranking_results(
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
) -> Result<RankingTable, ServiceError> {
    let study = load(conn, slug)?;
    let round = Round::by_number(conn, study.id, number)?
        .ok_or_else(|| crate::service::results::no_round(slug, number))?;
    if round.kind != RoundKind::Ranking {
        return Err(ServiceError::Conflict(format!(
            "round {number} of `{slug}` is a {} round, not a ranking round",
            round.kind
        )));
    }
    crate::service::results::require_closed(&round, slug)?;
    compute(conn, &study, &round)
}

/// Scores `round` from its lists as they stand (the close calls it on the frozen lists).
pub(crate) fn compute(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
) -> Result<RankingTable, ServiceError> {
    let settings = settings_of(study)?;
    let groups = Group::of_study(conn, study.id)?;
    let group_index: HashMap<i64, usize> = groups.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
    let expert_group: HashMap<i64, usize> = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter_map(|e| group_index.get(&e.group_id).map(|&g| (e.id, g)))
        .collect();
    let items: HashMap<i64, Item> = Item::by_id_of_study(conn, study.id)?;
    let sections: HashMap<i64, String> = Section::keys_of_study(conn, study.id)?;
    let round_items = Round::items(conn, round.id)?;
    let mut codes = Vec::with_capacity(round_items.len());
    let mut texts = Vec::with_capacity(round_items.len());
    let mut item_sections = Vec::with_capacity(round_items.len());
    let mut index_of: HashMap<i64, usize> = HashMap::new();
    for ri in &round_items {
        let Some(item) = items.get(&ri.item_id) else {
            continue;
        };
        let text = crate::service::content::asked_text(conn, item, ri.item_version)?;
        index_of.insert(item.id, codes.len());
        codes.push(item.code.clone());
        texts.push(text);
        item_sections.push(sections.get(&item.section_id).cloned().unwrap_or_default());
    }
    // Rows come by expert, then position: each expert's list is a run of rows.
    let mut ballots: Vec<Ballot> = Vec::new();
    let mut current: Option<i64> = None;
    for row in Ranking::of_round(conn, round.id)? {
        let (Some(&group), Some(&item)) = (expert_group.get(&row.expert_id), index_of.get(&row.item_id))
        else {
            continue;
        };
        if current != Some(row.expert_id) {
            current = Some(row.expert_id);
            ballots.push(Ballot {
                group,
                items: Vec::new(),
            });
        }
        if let Some(ballot) = ballots.last_mut() {
            ballot.items.push(item);
        }
    }
    let scores = score(settings, &codes, groups.len(), &ballots)
        .map_err(|e| ServiceError::Conflict(format!("round {} of `{}`: {e}", round.number, study.slug)))?;
    let lines = scores
        .into_iter()
        .map(|s| RankingLine {
            round: round.number,
            item_code: codes[s.item].clone(),
            section: item_sections[s.item].clone(),
            item_text: texts[s.item].clone(),
            chosen: s.chosen,
            first: s.first,
            points: s.points,
            groups: s
                .groups
                .iter()
                .zip(&groups)
                .map(|(g, group)| RankingGroupLine {
                    group: group.key.clone(),
                    points: g.points,
                    share: g.share.map(|r| r.to_f64()),
                    rank: g.rank,
                })
                .collect(),
            score: s.score.to_f64(),
            rank: s.rank,
        })
        .collect();
    Ok(RankingTable {
        study: study.slug.clone(),
        round: round.number,
        choose: settings.choose,
        combine: settings.combine.to_string(),
        groups: groups.into_iter().map(|g| g.key).collect(),
        responded: ballots.iter().filter(|b| !b.items.is_empty()).count(),
        lines,
    })
}

/// The lists of a closed ranking round as tidy rows, by expert pseudonym, then position.
pub fn ranking_answers(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    identified: bool,
) -> Result<Vec<RankingAnswerLine>, ServiceError> {
    let groups = studies::group_keys_by_id(conn, study.id)?;
    let experts: HashMap<i64, Expert> = Expert::of_study(conn, study.id)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let codes: HashMap<i64, String> = Item::codes_of_study(conn, study.id)?;
    let mut lines: Vec<RankingAnswerLine> = Ranking::of_round(conn, round.id)?
        .into_iter()
        .filter_map(|row| {
            let expert = experts.get(&row.expert_id)?;
            Some(RankingAnswerLine {
                round: round.number,
                who: ExportedExpert::of(
                    Some(expert),
                    groups.get(&expert.group_id).cloned().unwrap_or_default(),
                    identified,
                ),
                item_code: codes.get(&row.item_id).cloned().unwrap_or_default(),
                position: row.position,
            })
        })
        .collect();
    lines.sort_by(|a, b| a.who.expert.cmp(&b.who.expert).then(a.position.cmp(&b.position)));
    Ok(lines)
}

/// The study's `[ranking]`; a ranking round only opens with one, so its absence is a conflict
/// of stored data, named rather than panicked on.
fn settings_of(study: &Study) -> Result<&RankingSettings, ServiceError> {
    study
        .file
        .ranking
        .as_ref()
        .ok_or_else(|| ServiceError::Conflict(format!("study `{}` has no [ranking] table", study.slug)))
}
