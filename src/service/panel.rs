//! The panel without a file: the list of a study's experts, one expert added (or updated) from
//! the console's form, and experts pasted one per line. Both ways go through the panel
//! import's rules (`domain::panel_file`, `studies::upsert_panel`): an email already in the
//! panel updates that expert and never adds a second one, and nothing is saved unless every
//! line is valid.
//!
//! Adding experts invites nobody: invitations are made when a round opens (round 1 invites the
//! whole panel, later rounds follow `[rounds] invite`). So an expert added while a round is
//! open is not in that round; the panel page says so.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::studies::{self, group_keys, upsert_panel, ImportSummary};
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Group;
use crate::db::{now, DbConnection};
use crate::domain::file_error::FileErrors;
use crate::domain::panel_file::{self, PanelRow};
use crate::domain::paste::{self, PASTED};
use crate::domain::round::{InvitePolicy, RoundState};

/// One expert of the panel, with everything the page may show; the page decides what a
/// facilitator's role and the study's anonymity let them see.
#[derive(Debug, Clone, Serialize)]
pub struct PanelExpert {
    pub pseudonym: String,
    pub name: String,
    /// `None` once erased.
    pub email: Option<String>,
    pub group: String,
    pub group_name: String,
    pub language: Option<String>,
    pub country: Option<String>,
    pub withdrawn: bool,
    /// Invited to the round open now (false when no round is open).
    pub in_open_round: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    /// Whether the study shows experts' names to facilitators (`anonymity = "named"`).
    pub named: bool,
    /// The study's groups as (key, name), in order.
    pub groups: Vec<(String, String)>,
    pub experts: Vec<PanelExpert>,
    /// The round open now, if any.
    pub open_round: Option<i32>,
    /// Rounds opened so far (0 before round 1).
    pub rounds_opened: usize,
    /// `[rounds] invite = "all"`: later rounds invite the whole panel, not only the previous
    /// round's responders.
    pub invites_everyone: bool,
    /// The study's language, which experts without their own get.
    pub language: String,
    /// Every language the study is offered in, its main one first.
    pub languages: Vec<String>,
}

pub fn panel(conn: &mut DbConnection, slug: &str) -> Result<Panel, ServiceError> {
    let study = studies::load(conn, slug)?;
    let groups = Group::of_study(conn, study.id)?;
    let group_of: HashMap<i64, &Group> = groups.iter().map(|g| (g.id, g)).collect();
    let rounds = Round::of_study(conn, study.id)?;
    let open = rounds.iter().find(|r| r.status == RoundState::Open);
    let invited: BTreeSet<i64> = match open {
        Some(round) => Invitation::of_round(conn, round.id)?
            .into_iter()
            .filter(|i| i.revoked_at.is_none())
            .map(|i| i.expert_id)
            .collect(),
        None => BTreeSet::new(),
    };
    let experts = Expert::of_study(conn, study.id)?
        .into_iter()
        .map(|e| {
            let group = group_of.get(&e.group_id);
            PanelExpert {
                in_open_round: invited.contains(&e.id),
                pseudonym: e.pseudonym,
                name: e.name,
                email: e.email,
                group: group.map(|g| g.key.clone()).unwrap_or_default(),
                group_name: group.map(|g| g.name.clone()).unwrap_or_default(),
                language: e.language,
                country: e.country,
                withdrawn: e.withdrawn_at.is_some(),
            }
        })
        .collect();
    Ok(Panel {
        named: study.shows_names(),
        groups: groups.iter().map(|g| (g.key.clone(), g.name.clone())).collect(),
        experts,
        open_round: open.map(|r| r.number),
        rounds_opened: rounds.iter().filter(|r| r.status != RoundState::Draft).count(),
        invites_everyone: study.file.rounds.invite == InvitePolicy::All,
        language: study.language.clone(),
        languages: study.file.languages(),
    })
}

/// One expert as typed into the console's form.
#[derive(Debug, Clone, Default)]
pub struct ExpertInput {
    pub email: String,
    pub name: String,
    pub group: String,
    pub language: String,
    pub country: String,
}

/// What saving one expert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub pseudonym: String,
    pub outcome: Outcome,
}

/// What problems of the form name as their file; their fields are the form's.
pub const FORM: &str = "form";

/// Adds an expert, or updates the one with that email. Problems name the form's fields
/// (`email`, `name`, `group`, `language`, `country`); every one is listed at once.
pub fn add_expert(
    conn: &mut DbConnection,
    slug: &str,
    input: &ExpertInput,
    actor: &Actor,
) -> Result<Saved, ServiceError> {
    let row = panel_file::one_expert(
        FORM,
        [
            &input.email,
            &input.name,
            &input.group,
            &input.language,
            &input.country,
        ],
    )?;
    studies::write(conn, slug, |conn, study| {
        panel_file::check_groups(FORM, std::slice::from_ref(&row), &group_keys(conn, study.id)?)?;
        let summary = upsert_panel(conn, study.id, std::slice::from_ref(&row))?;
        let expert = Expert::by_email(conn, study.id, row.email.as_str())?.ok_or_else(|| {
            ServiceError::NotFound(format!(
                "the expert `{}` was saved but cannot be found",
                row.email
            ))
        })?;
        let outcome = if summary.added > 0 {
            Outcome::Added
        } else if summary.updated > 0 {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        };
        let action = match outcome {
            Outcome::Added => Some("expert.add"),
            Outcome::Updated => Some("expert.update"),
            Outcome::Unchanged => None,
        };
        if let Some(action) = action {
            AuditEntry::append(
                conn,
                Some(study.id),
                &actor.0,
                action,
                &serde_json::json!({ "expert": expert.pseudonym, "group": row.group }),
                now(),
            )?;
        }
        Ok(Saved {
            pseudonym: expert.pseudonym,
            outcome,
        })
    })
}

/// Adds or updates the experts pasted one per line (`email | name | group`, optionally
/// `| language | country`), all or none: every problem of every line is listed at once.
pub fn paste_experts(
    conn: &mut DbConnection,
    slug: &str,
    text: &str,
    actor: &Actor,
) -> Result<ImportSummary, ServiceError> {
    let (rows, mut problems): (Vec<PanelRow>, FileErrors) = paste::experts(text);
    studies::write(conn, slug, |conn, study| {
        if let Err(unknown) = panel_file::check_groups(PASTED, &rows, &group_keys(conn, study.id)?) {
            problems.extend(unknown);
            problems.sort_by_line();
        }
        problems.into_result(())?;
        let summary = upsert_panel(conn, study.id, &rows)?;
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "panel.paste",
            &serde_json::json!({
                "added": summary.added, "updated": summary.updated, "unchanged": summary.unchanged,
            }),
            now(),
        )?;
        Ok(summary)
    })
}
