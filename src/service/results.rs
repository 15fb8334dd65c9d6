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
    /// In a study with criteria: the criterion the line is about, or empty for the item's
    /// combined status (its figures then stay empty). Absent in a study without criteria.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
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
    /// The criteria's keys in file order; empty in a study without criteria.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<String>,
    pub rule_hash: Option<String>,
    pub lines: Vec<ResultLine>,
}

/// Which lines to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Pooled,
    ByGroup,
}

/// Results of one closed round, or of every closed round when `round` is None: one line per
/// item (in a study with criteria, the item's combined status, its figures empty).
pub fn results(
    conn: &mut DbConnection,
    slug: &str,
    round: Option<i32>,
    scope: Scope,
) -> Result<ResultsTable, ServiceError> {
    results_of(conn, slug, round, scope, false)
}

/// `results`, and in a study with criteria each item's line followed by one line per
/// criterion: what results.csv, `delphi results` and the API's results publish.
pub fn results_by_criterion(
    conn: &mut DbConnection,
    slug: &str,
    round: Option<i32>,
    scope: Scope,
) -> Result<ResultsTable, ServiceError> {
    results_of(conn, slug, round, scope, true)
}

/// Where a stored result row belongs: (item, criterion, group, rule).
pub(crate) type RowKey<'a> = (i64, &'a str, &'a str, &'a str);

pub(crate) fn row_key(row: &ResultRow) -> RowKey<'_> {
    (
        row.item_id,
        row.criterion.as_str(),
        row.group_key.as_str(),
        row.rule.as_str(),
    )
}

/// Round `number` among the study's rounds.
pub(crate) fn numbered<'a>(rounds: &'a [Round], slug: &str, number: i32) -> Result<&'a Round, ServiceError> {
    rounds
        .iter()
        .find(|r| r.number == number)
        .ok_or_else(|| no_round(slug, number))
}

pub(crate) fn no_round(slug: &str, number: i32) -> ServiceError {
    ServiceError::NotFound(format!("study `{slug}` has no round {number}"))
}

/// Results exist only once the round has closed.
pub(crate) fn require_closed(round: &Round, slug: &str) -> Result<(), ServiceError> {
    if round.status == RoundState::Closed {
        return Ok(());
    }
    Err(ServiceError::Conflict(format!(
        "round {} of `{slug}` is {}; results are computed when it closes",
        round.number, round.status
    )))
}

fn results_of(
    conn: &mut DbConnection,
    slug: &str,
    round: Option<i32>,
    scope: Scope,
    by_criterion: bool,
) -> Result<ResultsTable, ServiceError> {
    let study = load(conn, slug)?;
    let rounds = Round::of_study(conn, study.id)?;
    let chosen: Vec<&Round> = match round {
        Some(number) => {
            let round = numbered(&rounds, slug, number)?;
            if round.kind == RoundKind::Ranking {
                return Err(ServiceError::Conflict(format!(
                    "round {number} of `{slug}` is a ranking round: its results are ranking.csv (`delphi results {slug} --round {number}`)"
                )));
            }
            require_closed(round, slug)?;
            vec![round]
        }
        // A ranking round has no ratings: its results are the ranking (`service::ranking`).
        None => rounds
            .iter()
            .filter(|r| r.status == RoundState::Closed && r.kind != RoundKind::Ranking)
            .collect(),
    };
    let items: HashMap<i64, Item> = Item::by_id_of_study(conn, study.id)?;
    let sections: HashMap<i64, String> = Section::keys_of_study(conn, study.id)?;
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
            by_criterion,
        )?);
    }
    let (scale_min, scale_max) = points_of(&study, by_criterion);
    if by_criterion {
        for line in &mut lines {
            let from = study.scale_of(line.criterion.as_deref().unwrap_or("")).min();
            line.counts = widened(&line.counts, from, scale_min, scale_max);
        }
    }
    Ok(ResultsTable {
        study: study.slug.clone(),
        scale_min,
        scale_max,
        alternatives,
        criteria: match by_criterion {
            true => study
                .file
                .criterion_keys()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            false => Vec::new(),
        },
        rule_hash: study.rule_hash.clone(),
        lines,
    })
}

/// The points the table's count columns cover: the study's scale, widened (with criteria) to
/// take in every criterion's own scale.
fn points_of(study: &Study, by_criterion: bool) -> (i32, i32) {
    let own = study
        .file
        .criteria
        .iter()
        .filter(|_| by_criterion)
        .filter_map(|c| c.scale.as_ref());
    own.fold((study.scale.min(), study.scale.max()), |(lo, hi), s| {
        (lo.min(s.min()), hi.max(s.max()))
    })
}

/// Counts per point from `from` put on the points `lo..=hi`: a point outside the answers'
/// scale has no answers (0).
fn widened(counts: &[u64], from: i32, lo: i32, hi: i32) -> Vec<u64> {
    (lo..=hi)
        .map(|point| {
            usize::try_from(point - from)
                .ok()
                .and_then(|i| counts.get(i))
                .copied()
                .unwrap_or(0)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn round_lines(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    items: &HashMap<i64, Item>,
    sections: &HashMap<i64, String>,
    alternatives: &[String],
    scope: Scope,
    by_criterion: bool,
) -> Result<Vec<ResultLine>, ServiceError> {
    let rows = ResultRow::of_round_with_criteria(conn, round.id)?;
    let by_key: HashMap<RowKey, &ResultRow> = rows.iter().map(|r| (row_key(r), r)).collect();
    // The item's own line (criterion "") first, then each criterion's under its own rule.
    let with_criteria = by_criterion && !study.file.criteria.is_empty();
    let lines_of_item: Vec<(&str, &str)> = std::iter::once(("", PRIMARY))
        .chain(
            study
                .file
                .criteria
                .iter()
                .filter(|_| with_criteria)
                .map(|c| (c.key.as_str(), c.rule.as_str())),
        )
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
        let item_text = crate::service::content::asked_text(conn, item, ri.item_version)?;
        let mut mine: Vec<&ResultRow> = rows
            .iter()
            .filter(|r| r.item_id == ri.item_id && r.rule == PRIMARY && r.criterion.is_empty())
            .filter(|r| match scope {
                Scope::Pooled => r.group_key.is_empty(),
                Scope::ByGroup => !r.group_key.is_empty(),
            })
            .collect();
        mine.sort_by_key(|r| group_order.get(&r.group_key).copied().unwrap_or(0));
        for item_row in mine {
            for &(criterion, rule) in &lines_of_item {
                let Some(row) = by_key.get(&(ri.item_id, criterion, item_row.group_key.as_str(), rule))
                else {
                    continue;
                };
                let counts: Vec<u64> = serde_json::from_str(&row.counts).unwrap_or_default();
                lines.push(ResultLine {
                    criterion: with_criteria.then(|| criterion.to_owned()),
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
                            by_key
                                .get(&(ri.item_id, criterion, row.group_key.as_str(), alt.as_str()))
                                .map(|r| r.status.as_str().to_string())
                                .unwrap_or_default()
                        })
                        .collect(),
                });
            }
        }
    }
    Ok(lines)
}
