//! Reading the frozen results of closed rounds, joined with what they are about.

use std::collections::HashMap;

use serde::Serialize;

use super::studies::load;
use super::ServiceError;
use crate::db::models::items::Item;
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Section;
use crate::db::DbConnection;
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::rule::{Status, PRIMARY};
use crate::domain::stats::Figures;
use crate::domain::study::Study;

/// One item in one closed round, for the pooled panel or one stakeholder group, with its
/// status under the primary rule and every alternative.
#[derive(Debug, Clone, Serialize)]
pub struct ResultLine {
    pub round: i32,
    pub item_code: String,
    pub section: String,
    pub item_text: String,
    /// Empty for the pooled panel.
    pub group: String,
    pub invited: i32,
    pub responded: i32,
    pub n: i32,
    pub unable: i32,
    pub counts: Vec<u64>,
    #[serde(flatten)]
    pub figures: Figures,
    pub status: Status,
    /// Status under each alternative rule, in `ResultsTable::alternatives` order.
    pub alternative_statuses: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultsTable {
    pub study: String,
    pub scale_min: i32,
    pub scale_max: i32,
    pub alternatives: Vec<String>,
    pub rule_hash: Option<String>,
    pub lines: Vec<ResultLine>,
}

/// Which lines to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Pooled,
    ByGroup,
}

/// Results of one closed round, or of every closed round when `round` is None.
pub fn results(
    conn: &mut DbConnection,
    slug: &str,
    round: Option<i32>,
    scope: Scope,
) -> Result<ResultsTable, ServiceError> {
    let study = load(conn, slug)?;
    let rounds = Round::of_study(conn, study.id)?;
    let chosen: Vec<&Round> = match round {
        Some(number) => {
            let round = rounds
                .iter()
                .find(|r| r.number == number)
                .ok_or_else(|| ServiceError::NotFound(format!("study `{slug}` has no round {number}")))?;
            if round.kind == RoundKind::Ranking {
                return Err(ServiceError::Conflict(format!(
                    "round {number} of `{slug}` is a ranking round: its results are ranking.csv (`delphi results {slug} --round {number}`)"
                )));
            }
            if round.status != RoundState::Closed {
                return Err(ServiceError::Conflict(format!(
                    "round {number} of `{slug}` is {}; results are computed when it closes",
                    round.status
                )));
            }
            vec![round]
        }
        // A ranking round has no ratings: its results are the ranking (`service::ranking`).
        None => rounds
            .iter()
            .filter(|r| r.status == RoundState::Closed && r.kind != RoundKind::Ranking)
            .collect(),
    };
    let items: HashMap<i64, Item> = Item::of_study(conn, study.id)?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let sections: HashMap<i64, String> = Section::of_study(conn, study.id)?
        .into_iter()
        .map(|s| (s.id, s.key))
        .collect();
    let alternatives: Vec<String> = study
        .rules
        .alternatives
        .iter()
        .map(|(name, _)| name.clone())
        .collect();
    let mut lines = Vec::new();
    for round in chosen {
        lines.extend(round_lines(
            conn,
            &study,
            round,
            &items,
            &sections,
            &alternatives,
            scope,
        )?);
    }
    Ok(ResultsTable {
        study: study.slug.clone(),
        scale_min: study.scale.min(),
        scale_max: study.scale.max(),
        alternatives,
        rule_hash: study.rule_hash.clone(),
        lines,
    })
}

fn round_lines(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    items: &HashMap<i64, Item>,
    sections: &HashMap<i64, String>,
    alternatives: &[String],
    scope: Scope,
) -> Result<Vec<ResultLine>, ServiceError> {
    let rows = ResultRow::of_round(conn, round.id)?;
    // Alternative statuses keyed by (item, group, rule).
    let statuses: HashMap<(i64, &str, &str), &str> = rows
        .iter()
        .map(|r| {
            (
                (r.item_id, r.group_key.as_str(), r.rule.as_str()),
                r.status.as_str(),
            )
        })
        .collect();
    let group_order: HashMap<String, i32> = crate::db::models::studies::Group::of_study(conn, study.id)?
        .into_iter()
        .map(|g| (g.key, g.position))
        .collect();
    let mut lines = Vec::new();
    for ri in Round::items(conn, round.id)? {
        let Some(item) = items.get(&ri.item_id) else {
            continue;
        };
        let item_text = if ri.item_version == item.version {
            item.text.clone()
        } else {
            Item::text_at(conn, item.id, ri.item_version)?.unwrap_or_else(|| item.text.clone())
        };
        let mut mine: Vec<&ResultRow> = rows
            .iter()
            .filter(|r| r.item_id == ri.item_id && r.rule == PRIMARY)
            .filter(|r| match scope {
                Scope::Pooled => r.group_key.is_empty(),
                Scope::ByGroup => !r.group_key.is_empty(),
            })
            .collect();
        mine.sort_by_key(|r| group_order.get(&r.group_key).copied().unwrap_or(0));
        for row in mine {
            let counts: Vec<u64> = serde_json::from_str(&row.counts).unwrap_or_default();
            lines.push(ResultLine {
                round: round.number,
                item_code: item.code.clone(),
                section: sections.get(&item.section_id).cloned().unwrap_or_default(),
                item_text: item_text.clone(),
                group: row.group_key.clone(),
                invited: row.invited,
                responded: row.responded,
                n: row.n,
                unable: row.unable,
                counts,
                figures: row.figures,
                status: row.status,
                alternative_statuses: alternatives
                    .iter()
                    .map(|alt| {
                        statuses
                            .get(&(ri.item_id, row.group_key.as_str(), alt.as_str()))
                            .map(|s| s.to_string())
                            .unwrap_or_default()
                    })
                    .collect(),
            });
        }
    }
    Ok(lines)
}
