//! Closing the open round: answers frozen, statistics and statuses computed under every rule,
//! pooled and per group, and stored; then the stopping rule decides whether the study is done.
use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::open_round;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::ratings::Rating;
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, StudyRow};
use crate::db::{now, DbConnection};
use crate::domain::round::{self, RoundKind, RoundOutcome, StopDecision};
use crate::domain::rule::{Status, PRIMARY};
use crate::domain::stats::{Counts, Statistics};
use crate::domain::study::Study;
use crate::service::results::{row_key, RowKey};
use crate::service::{audit, studies};
use crate::service::{Actor, ServiceError};

use super::all_round_item_ids;

#[derive(Debug, Clone, Serialize)]
pub struct Closed {
    pub number: i32,
    pub kind: crate::domain::round::RoundKind,
    pub items: usize,
    pub in_: usize,
    pub out: usize,
    pub none: usize,
    pub study_finished: Option<String>,
    /// Proposals received, when the round closed is the ideas round.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposals: Option<usize>,
}

impl Closed {
    /// The close of a round that gives no in/out status (ideas, CHNRI, ranking).
    fn unscored(round: &Round, items: usize, study_finished: Option<String>) -> Closed {
        Closed {
            number: round.number,
            kind: round.kind,
            items,
            in_: 0,
            out: 0,
            none: 0,
            study_finished,
            proposals: None,
        }
    }
}

/// Closes the open round: in one transaction, no more answers are accepted, statistics and
/// statuses are computed under every rule, pooled and per group, and stored; then the stopping
/// rule decides whether the study is finished.
pub fn close(
    conn: &mut DbConnection,
    slug: &str,
    closed_by: &str,
    actor: &Actor,
) -> Result<Closed, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let open = open_round(conn, study)?;
        let round = Round::lock(conn, open.id, true)?;
        close_in(conn, study, &round, closed_by, actor)
    })
}

/// The close itself, inside the caller's write transaction with the round row locked:
/// `round close` and the scheduler's close at the deadline share it.
pub(crate) fn close_in(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    closed_by: &str,
    actor: &Actor,
) -> Result<Closed, ServiceError> {
    let slug = &study.slug;
    let at = now();
    crate::service::pages::refuse_short_close(conn, study, round)?;
    if !Round::mark_closed(conn, round.id, closed_by, at)? {
        return Err(ServiceError::Conflict(format!(
            "round {} of `{slug}` was closed meanwhile",
            round.number
        )));
    }
    let close = RoundClose {
        study,
        round,
        closed_by,
        actor,
        at,
    };
    match round.kind {
        RoundKind::Rating => {}
        RoundKind::Ranking => return close.ranking(conn),
        RoundKind::Chnri => return close.chnri(conn),
        RoundKind::Ideas => return close.ideas(conn),
    }
    let rows = compute_results(conn, study, round)?;
    let mut tally = HashMap::<Status, usize>::new();
    let primary = rows
        .iter()
        .filter(|r| r.rule == PRIMARY && r.group_key.is_empty() && r.criterion.is_empty());
    for row in primary {
        *tally.entry(row.status).or_default() += 1;
    }
    let items = tally.values().sum();
    ResultRow::insert_many(conn, rows)?;
    let unresolved = tally.get(&Status::None).copied().unwrap_or(0);
    let rounds_so_far = Round::of_study(conn, study.id)?;
    let asked = all_round_item_ids(conn, &rounds_so_far)?;
    let waiting = Item::of_study(conn, study.id)?
        .iter()
        .filter(|i| i.retired_at.is_none() && !asked.contains(&i.id))
        .count();
    let decision = round::stop_decision(RoundOutcome {
        round: round.number as u32,
        max_rounds: study.file.rounds.max,
        unresolved,
        waiting,
        stop_when_all_resolved: study.file.rounds.stop_when_all_resolved,
        carry_forward: study.file.rounds.carry_forward,
    });
    let study_finished = match decision {
        StopDecision::Continue => None,
        stop => {
            let reason = stop.reason().to_string();
            StudyRow::finish(conn, study.id, &reason, at)?;
            Some(reason)
        }
    };
    audit::log(
        conn,
        study,
        actor,
        "round.close",
        serde_json::json!({
            "round": round.number, "closed_by": closed_by, "in": tally.get(&Status::In),
            "out": tally.get(&Status::Out), "none": unresolved, "study_finished": study_finished,
        }),
        at,
    )?;
    Ok(Closed {
        number: round.number,
        kind: round.kind,
        items,
        in_: tally.get(&Status::In).copied().unwrap_or(0),
        out: tally.get(&Status::Out).copied().unwrap_or(0),
        none: unresolved,
        study_finished,
        proposals: None,
    })
}

/// The close of a round that is not scored by a consensus rule (ideas, CHNRI, ranking), past
/// the checks every close makes.
struct RoundClose<'a> {
    study: &'a Study,
    round: &'a Round,
    closed_by: &'a str,
    actor: &'a Actor,
    at: NaiveDateTime,
}

impl RoundClose<'_> {
    /// Audits the close: the round, its kind and who closed it, with what the kind adds
    /// (`details`, an object).
    fn audit(&self, conn: &mut DbConnection, details: serde_json::Value) -> Result<(), ServiceError> {
        let (round, closed_by) = (self.round, self.closed_by);
        let mut entry =
            serde_json::json!({ "round": round.number, "kind": round.kind, "closed_by": closed_by });
        if let (Some(entry), serde_json::Value::Object(details)) = (entry.as_object_mut(), details) {
            entry.extend(details);
        }
        audit::log(conn, self.study, self.actor, "round.close", entry, self.at)
    }

    /// Nothing is scored: closing collects the proposals for the facilitator's triage.
    fn ideas(&self, conn: &mut DbConnection) -> Result<Closed, ServiceError> {
        let proposals = crate::db::models::suggestions::Suggestion::of_round(conn, self.round.id)?.len();
        self.audit(conn, serde_json::json!({ "proposals": proposals }))?;
        Ok(Closed {
            proposals: Some(proposals),
            ..Closed::unscored(self.round, 0, None)
        })
    }

    /// A CHNRI round has no in/out status: its scores are computed from its frozen answers when
    /// they are read (`service::chnri`), and the study finishes after `[rounds] max` rounds.
    fn chnri(&self, conn: &mut DbConnection) -> Result<Closed, ServiceError> {
        let (study, round) = (self.study, self.round);
        let items = Round::items(conn, round.id)?.len();
        let study_finished = if round.number as u32 >= study.file.rounds.max {
            let reason = StopDecision::MaxRounds.reason().to_string();
            StudyRow::finish(conn, study.id, &reason, self.at)?;
            Some(reason)
        } else {
            None
        };
        self.audit(conn, serde_json::json!({ "study_finished": study_finished }))?;
        Ok(Closed::unscored(round, items, study_finished))
    }

    /// A ranking round's lists are frozen and scored (the scores are read from them whenever
    /// asked, see `service::ranking`), and the study is finished: a ranking round is the
    /// study's last.
    fn ranking(&self, conn: &mut DbConnection) -> Result<Closed, ServiceError> {
        let (study, round) = (self.study, self.round);
        let table = crate::service::ranking::compute(conn, study, round)?;
        let reason = format!("ranking round {} closed", round.number);
        StudyRow::finish(conn, study.id, &reason, self.at)?;
        self.audit(
            conn,
            serde_json::json!({
                "items": table.lines.len(), "responded": table.responded, "study_finished": reason,
            }),
        )?;
        Ok(Closed::unscored(round, table.lines.len(), Some(reason)))
    }
}

/// Builds every result row of a round from the database's per-item, per-criterion, per-group
/// answer counts. Without criteria, one set of rows per item (criterion `""`). With criteria,
/// one set per item and criterion, computed exactly as for a single rating, then the item's
/// own rows (criterion `""`) holding the status `[consensus] combine` makes of the criteria's.
fn compute_results(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
) -> Result<Vec<ResultRow>, ServiceError> {
    let groups = Group::of_study(conn, study.id)?;
    let group_index: HashMap<i64, usize> = groups.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
    let experts: HashMap<i64, i64> = Expert::of_study(conn, study.id)?
        .into_iter()
        .map(|e| (e.id, e.group_id))
        .collect();
    let mut invited = vec![0i32; groups.len()];
    for invitation in Invitation::of_round(conn, round.id)? {
        if let Some(index) = experts
            .get(&invitation.expert_id)
            .and_then(|g| group_index.get(g))
        {
            invited[*index] += 1;
        }
    }
    // "" stands for the item itself in a study without criteria.
    let criteria: Vec<&str> = match study.file.criterion_keys() {
        keys if keys.is_empty() => vec![""],
        keys => keys,
    };
    let round_items = Round::items(conn, round.id)?;
    let empty = Counts::new(&study.scale);
    // Each criterion counts on its own scale (the study's unless it has one).
    let mut per_item: HashMap<(i64, String), Vec<Counts>> = round_items
        .iter()
        .flat_map(|ri| criteria.iter().map(move |c| (ri.item_id, (*c).to_owned())))
        .map(|key| {
            let counts = Counts::new(study.scale_of(&key.1));
            (key, vec![counts; groups.len()])
        })
        .collect();
    for row in Rating::counts(conn, round.id)? {
        let (Some(counts), Some(&g)) = (
            per_item.get_mut(&(row.item_id, row.criterion)),
            group_index.get(&row.group_id),
        ) else {
            continue;
        };
        let n = u64::try_from(row.count).unwrap_or(0);
        match (row.score, row.unable) {
            (_, true) => counts[g].add_unable(n),
            (Some(score), false) => counts[g]
                .add(score, n)
                .map_err(|e| ServiceError::invalid("ratings", format!("stored score off the scale: {e}")))?,
            (None, false) => {}
        }
    }
    let total_invited: i32 = invited.iter().sum();
    let mut rows = Vec::with_capacity(
        round_items.len() * criteria.len() * (groups.len() + 1) * (1 + study.rules.alternatives.len()),
    );
    for ri in &round_items {
        for &criterion in &criteria {
            let group_counts = &per_item[&(ri.item_id, criterion.to_owned())];
            let mut pooled = Counts::new(study.scale_of(criterion));
            for counts in group_counts {
                pooled
                    .merge(counts)
                    .map_err(|e| ServiceError::invalid("ratings", e.to_string()))?;
            }
            // On a scale of its own, only the rules that fit it judge the criterion.
            for (rule_name, rule) in study.rules_of(criterion) {
                let status = rule.evaluate(&pooled, group_counts);
                rows.push(result_row(
                    round.id,
                    ri.item_id,
                    rule_name,
                    "",
                    total_invited,
                    &pooled,
                    rule,
                    status,
                    criterion,
                ));
                for (g, group) in groups.iter().enumerate() {
                    let own = std::slice::from_ref(&group_counts[g]);
                    let group_status = rule.evaluate(&group_counts[g], own);
                    rows.push(result_row(
                        round.id,
                        ri.item_id,
                        rule_name,
                        &group.key,
                        invited[g],
                        &group_counts[g],
                        rule,
                        group_status,
                        criterion,
                    ));
                }
            }
        }
    }
    if !study.file.criteria.is_empty() {
        let responders = responders_by_item(conn, round.id, &experts, &group_index, groups.len())?;
        let combined = combined_rows(study, round.id, &groups, &invited, &rows, &responders, &empty);
        rows.extend(combined);
    }
    Ok(rows)
}

/// Per item, how many experts answered it on at least one criterion (a score or "unable"),
/// pooled and per group (in `groups` order): the combined row's `responded`.
fn responders_by_item(
    conn: &mut DbConnection,
    round_id: i64,
    experts: &HashMap<i64, i64>,
    group_index: &HashMap<i64, usize>,
    groups: usize,
) -> Result<HashMap<i64, (i32, Vec<i32>)>, ServiceError> {
    let answered: std::collections::BTreeSet<(i64, i64)> = Rating::of_round(conn, round_id)?
        .into_iter()
        .filter(|r| r.score.is_some() || r.unable)
        .map(|r| (r.item_id, r.expert_id))
        .collect();
    let mut by_item: HashMap<i64, (i32, Vec<i32>)> = HashMap::new();
    for (item_id, expert_id) in answered {
        let entry = by_item.entry(item_id).or_insert_with(|| (0, vec![0; groups]));
        entry.0 += 1;
        if let Some(&g) = experts.get(&expert_id).and_then(|g| group_index.get(g)) {
            entry.1[g] += 1;
        }
    }
    Ok(by_item)
}

/// The item's own rows in a study with criteria, pooled and per group, one per rule: under
/// the primary rule, each criterion counts with the status of its own `rule`; under an
/// alternative, every criterion is judged by that alternative (what the study would have
/// decided with it), or by its own rule when the alternative does not fit its own scale.
/// Their statistics are left empty: they belong to the criteria.
fn combined_rows(
    study: &Study,
    round_id: i64,
    groups: &[Group],
    invited: &[i32],
    rows: &[ResultRow],
    responders: &HashMap<i64, (i32, Vec<i32>)>,
    empty: &Counts,
) -> Vec<ResultRow> {
    let status_of: HashMap<RowKey, Status> = rows.iter().map(|r| (row_key(r), r.status)).collect();
    let combine = study.file.combine();
    let mut items: Vec<i64> = rows.iter().map(|r| r.item_id).collect();
    items.dedup();
    let scopes: Vec<(&str, i32, Option<usize>)> = std::iter::once(("", invited.iter().sum(), None))
        .chain(
            groups
                .iter()
                .enumerate()
                .map(|(g, group)| (group.key.as_str(), invited[g], Some(g))),
        )
        .collect();
    let mut combined = Vec::new();
    for item_id in items {
        for (rule_name, _) in study.rules.rules() {
            for &(group_key, invited, g) in &scopes {
                let statuses: Vec<(&str, Status)> = study
                    .file
                    .criteria
                    .iter()
                    .map(|c| {
                        let judged_by = if rule_name == PRIMARY {
                            c.rule.as_str()
                        } else {
                            rule_name
                        };
                        // An alternative that does not fit a criterion's own scale has no
                        // row for it: the criterion counts with its own rule's status.
                        let status = status_of
                            .get(&(item_id, c.key.as_str(), group_key, judged_by))
                            .or_else(|| status_of.get(&(item_id, c.key.as_str(), group_key, c.rule.as_str())))
                            .copied()
                            .unwrap_or(Status::None);
                        (c.key.as_str(), status)
                    })
                    .collect();
                let responded = responders.get(&item_id).map_or(0, |(pooled, per_group)| match g {
                    None => *pooled,
                    Some(g) => per_group[g],
                });
                combined.push(ResultRow {
                    round_id,
                    item_id,
                    rule: rule_name.to_owned(),
                    group_key: group_key.to_owned(),
                    invited,
                    responded,
                    n: 0,
                    unable: 0,
                    counts: serde_json::to_string(empty.per_point()).unwrap_or_else(|_| "[]".into()),
                    min_score: None,
                    max_score: None,
                    figures: Default::default(),
                    status: combine.status(&statuses),
                    criterion: String::new(),
                });
            }
        }
    }
    combined
}

#[allow(clippy::too_many_arguments)]
fn result_row(
    round_id: i64,
    item_id: i64,
    rule_name: &str,
    group_key: &str,
    invited: i32,
    counts: &Counts,
    rule: &crate::domain::rule::Rule,
    status: Status,
    criterion: &str,
) -> ResultRow {
    let stats = Statistics::compute(counts, rule.quantiles, rule.unable);
    let as_i32 = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
    ResultRow {
        round_id,
        item_id,
        rule: rule_name.to_string(),
        group_key: group_key.to_string(),
        invited,
        responded: as_i32(counts.m() + counts.unable()),
        n: as_i32(stats.n),
        unable: as_i32(stats.unable),
        counts: serde_json::to_string(counts.per_point()).unwrap_or_else(|_| "[]".into()),
        min_score: stats.min,
        max_score: stats.max,
        figures: stats.figures,
        status,
        criterion: criterion.to_owned(),
    }
}
