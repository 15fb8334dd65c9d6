//! What the console's figure draws: the counts per scale point of every item of one closed
//! round, for the whole panel or one stakeholder group, read from the frozen results (the same
//! rows the results pages and the exports read). A group is offered only when enough of its
//! members responded (`[rounds] min_group_feedback`, the rule the experts' feedback follows),
//! because the figure is made to be published.

use std::collections::HashMap;

use super::results::{results, ResultLine, Scope};
use super::studies::load;
use super::ServiceError;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Group;
use crate::db::DbConnection;
use crate::domain::round::small_groups::{group_figures, GroupFigures};
use crate::domain::round::RoundState;

/// A stakeholder group as the figure's choice of groups shows it for the chosen round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupChoice {
    pub key: String,
    pub name: String,
    /// Members who answered at least one item of the round (score or "unable to score").
    pub responders: i32,
    /// `Shown`: offered; `Hidden`: too few responders; `Empty`: nobody responded.
    pub figures: GroupFigures,
}

/// One item's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureItem {
    pub code: String,
    /// The wording the round asked.
    pub text: String,
    /// Per scale point from the scale's minimum; "unable to score" answers are not in them.
    pub counts: Vec<u64>,
    pub unable: i32,
    /// Too few of the group answered this item to show it (never for the whole panel).
    pub withheld: bool,
}

/// The figure's data, or what it needs to say there is none yet.
#[derive(Debug, Clone)]
pub struct FigureData {
    /// Closed rounds, in order. Empty before the first round closes.
    pub closed_rounds: Vec<i32>,
    /// The round drawn: the one asked for, else the latest closed; `None` when none closed.
    pub round: Option<i32>,
    /// The study's groups in its order, for the chosen round.
    pub groups: Vec<GroupChoice>,
    /// The group drawn; `None` for the whole panel.
    pub group: Option<GroupChoice>,
    pub min_group_feedback: u32,
    pub items: Vec<FigureItem>,
}

/// The figure of `round` (default: the latest closed round) for `group` (default: the whole
/// panel). A round that is not a closed round of the study, a group that is not one of its
/// groups, and a group too small to show are refused as not found, naming the value.
pub fn figure(
    conn: &mut DbConnection,
    slug: &str,
    round: Option<i32>,
    group: Option<&str>,
) -> Result<FigureData, ServiceError> {
    let study = load(conn, slug)?;
    let closed_rounds: Vec<i32> = Round::of_study(conn, study.id)?
        .into_iter()
        .filter(|r| r.status == RoundState::Closed)
        .map(|r| r.number)
        .collect();
    let min_group_feedback = study.file.rounds.min_group_feedback;
    let chosen = match round {
        Some(number) if closed_rounds.contains(&number) => Some(number),
        Some(number) => return Err(ServiceError::NotFound(not_closed(number, &closed_rounds))),
        None => closed_rounds.last().copied(),
    };
    let Some(number) = chosen else {
        if let Some(key) = group {
            return Err(ServiceError::NotFound(format!(
                "There is no figure for the group “{key}”: no round of this study has closed yet."
            )));
        }
        return Ok(FigureData {
            closed_rounds,
            round: None,
            groups: Vec::new(),
            group: None,
            min_group_feedback,
            items: Vec::new(),
        });
    };
    let by_group = results(conn, slug, Some(number), Scope::ByGroup)?.lines;
    let mut responders: HashMap<&str, i32> = HashMap::new();
    for line in &by_group {
        let most = responders.entry(line.group.as_str()).or_default();
        *most = (*most).max(line.responded);
    }
    let groups: Vec<GroupChoice> = Group::of_study(conn, study.id)?
        .into_iter()
        .map(|g| {
            let responders = responders.get(g.key.as_str()).copied().unwrap_or(0);
            GroupChoice {
                figures: group_figures(responders, min_group_feedback),
                key: g.key,
                name: g.name,
                responders,
            }
        })
        .collect();
    let (group, items) = match group {
        None => {
            let pooled = results(conn, slug, Some(number), Scope::Pooled)?.lines;
            (None, pooled.into_iter().map(|l| item(l, false)).collect())
        }
        Some(key) => {
            let Some(choice) = groups.iter().find(|g| g.key == key) else {
                let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
                return Err(ServiceError::NotFound(format!(
                    "There is no stakeholder group “{key}” in this study; its groups are {}.",
                    keys.join(", ")
                )));
            };
            if choice.figures != GroupFigures::Shown {
                return Err(ServiceError::NotFound(format!(
                    "The group “{key}” is not shown for round {number}: {} of its members \
                     responded, and the study shows a group from {} responders \
                     (min_group_feedback), so that nobody can be identified.",
                    choice.responders,
                    min_group_feedback.max(1)
                )));
            }
            let items = by_group
                .into_iter()
                .filter(|l| l.group == key)
                .map(|l| {
                    let withheld = group_figures(l.responded, min_group_feedback) == GroupFigures::Hidden;
                    item(l, withheld)
                })
                .collect();
            (Some(choice.clone()), items)
        }
    };
    Ok(FigureData {
        closed_rounds,
        round: Some(number),
        groups,
        group,
        min_group_feedback,
        items,
    })
}

fn item(line: ResultLine, withheld: bool) -> FigureItem {
    FigureItem {
        code: line.item_code,
        text: line.item_text,
        counts: if withheld { Vec::new() } else { line.counts },
        unable: line.unable,
        withheld,
    }
}

fn not_closed(number: i32, closed: &[i32]) -> String {
    if closed.is_empty() {
        return format!("There is no figure of round {number}: no round of this study has closed yet.");
    }
    let list: Vec<String> = closed.iter().map(i32::to_string).collect();
    format!(
        "Round {number} is not a closed round of this study; the figure can show round {}.",
        list.join(", ")
    )
}
