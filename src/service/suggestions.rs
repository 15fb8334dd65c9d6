//! Triage of the items experts suggest: accept (a new item, rated from the next round on), merge
//! into an existing item, or reject — each with a reason, audited.

use std::collections::HashMap;

use serde::Serialize;

use super::studies::load;
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::items::{Item, NewItem};
use crate::db::models::rounds::Round;
use crate::db::models::studies::Section;
use crate::db::models::suggestions::Suggestion;
use crate::db::{now, DbConnection};
use crate::domain::round::ItemOrigin;
use crate::domain::suggestion::SuggestionStatus;
use crate::service::studies;

#[derive(Debug, Clone, Serialize)]
pub struct SuggestionView {
    pub id: i64,
    pub round: i32,
    /// The suggesting expert's pseudonym (never the name: suggestions are read as anonymous).
    pub expert: Option<String>,
    pub section: Option<String>,
    pub text: String,
    pub rationale: Option<String>,
    pub status: SuggestionStatus,
    pub reason: Option<String>,
    /// The new item (accepted) or the item it was merged into.
    pub item: Option<String>,
}

pub fn list(conn: &mut DbConnection, slug: &str) -> Result<Vec<SuggestionView>, ServiceError> {
    let study = load(conn, slug)?;
    let rounds: HashMap<i64, i32> = Round::of_study(conn, study.id)?
        .into_iter()
        .map(|r| (r.id, r.number))
        .collect();
    let names = Names::of_study(conn, study.id)?;
    Ok(Suggestion::of_study(conn, study.id)?
        .into_iter()
        // Proposals of the ideas round have their own triage (service::ideas).
        .filter(|s| s.code.is_none())
        .map(|s| SuggestionView {
            id: s.id,
            round: rounds.get(&s.round_id).copied().unwrap_or_default(),
            expert: names.expert(s.expert_id),
            section: names.section(s.section_id),
            text: s.text,
            rationale: s.rationale,
            status: s.status,
            reason: s.decision_reason,
            item: names.item(s.item_id),
        })
        .collect())
}

/// How the triage lists name what a suggestion or a proposal points to: the expert by
/// pseudonym (never the name), the section by key, the item by code.
pub(crate) struct Names {
    experts: HashMap<i64, String>,
    sections: HashMap<i64, String>,
    items: HashMap<i64, String>,
}

impl Names {
    pub(crate) fn of_study(conn: &mut DbConnection, study_id: i64) -> Result<Names, ServiceError> {
        Ok(Names {
            experts: Expert::of_study(conn, study_id)?
                .into_iter()
                .map(|e| (e.id, e.pseudonym))
                .collect(),
            sections: Section::keys_of_study(conn, study_id)?,
            items: Item::codes_of_study(conn, study_id)?,
        })
    }

    pub(crate) fn expert(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.experts.get(&id).cloned())
    }

    pub(crate) fn section(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.sections.get(&id).cloned())
    }

    pub(crate) fn item(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.items.get(&id).cloned())
    }
}

/// What to do with a suggestion.
#[derive(Debug, Clone)]
pub enum Decision {
    /// A new item with this code, section key and wording.
    Accept {
        code: String,
        section: String,
        text: String,
    },
    /// Into the existing item with this code.
    Merge {
        into: String,
    },
    Reject,
}

/// A facilitator's decision on one suggestion, with the reason the audit log keeps.
#[derive(Debug, Clone)]
pub struct Ruling {
    pub suggestion_id: i64,
    pub decision: Decision,
    pub reason: String,
    /// Who decided, when a facilitator did (the API's tokens decide for no one).
    pub facilitator_id: Option<i64>,
}

pub fn decide(
    conn: &mut DbConnection,
    slug: &str,
    ruling: &Ruling,
    actor: &Actor,
) -> Result<SuggestionStatus, ServiceError> {
    studies::write(conn, slug, |conn, study| decide_in(conn, study, ruling, actor))
}

/// `decide`, inside the caller's write transaction (the ideas triage merges several proposals
/// in one).
pub(crate) fn decide_in(
    conn: &mut DbConnection,
    study: &crate::domain::study::Study,
    ruling: &Ruling,
    actor: &Actor,
) -> Result<SuggestionStatus, ServiceError> {
    let Ruling {
        suggestion_id,
        decision,
        reason,
        facilitator_id,
    } = ruling;
    let (suggestion_id, facilitator_id) = (*suggestion_id, *facilitator_id);
    let slug = &study.slug;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid("reason", "give a reason for the decision"));
    }
    {
        let suggestion = Suggestion::of_study(conn, study.id)?
            .into_iter()
            .find(|s| s.id == suggestion_id)
            .ok_or_else(|| {
                ServiceError::NotFound(format!("study `{slug}` has no suggestion {suggestion_id}"))
            })?;
        if suggestion.status != SuggestionStatus::Pending {
            return Err(ServiceError::Conflict(format!(
                "suggestion {suggestion_id} is already {}",
                suggestion.status
            )));
        }
        let at = now();
        let items = Item::of_study(conn, study.id)?;
        let (status, item_id) = match decision {
            Decision::Accept { code, section, text } => {
                let code = code.trim();
                let text = text.trim();
                if code.is_empty()
                    || code.len() > 32
                    || !code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(ServiceError::invalid(
                        "code",
                        "use 1 to 32 letters, digits, hyphens or underscores",
                    ));
                }
                if let Some(other) = items.iter().find(|i| i.code.eq_ignore_ascii_case(code)) {
                    return Err(ServiceError::invalid(
                        "code",
                        format!("the item `{}` already exists; choose another code", other.code),
                    ));
                }
                if text.is_empty() {
                    return Err(ServiceError::invalid("text", "the item needs a wording"));
                }
                let section_id = Section::of_study(conn, study.id)?
                    .into_iter()
                    .find(|s| s.key == *section)
                    .map(|s| s.id)
                    .ok_or_else(|| {
                        ServiceError::invalid("section", format!("there is no section `{section}`"))
                    })?;
                let position = items.iter().map(|i| i.position).max().unwrap_or(0) + 1;
                let item = Item::insert(
                    conn,
                    NewItem {
                        study_id: study.id,
                        section_id,
                        code,
                        text,
                        description: None,
                        position,
                        origin: ItemOrigin::Suggestion,
                        created_at: at,
                        updated_at: at,
                    },
                )?;
                (SuggestionStatus::Accepted, Some(item.id))
            }
            Decision::Merge { into } => {
                let item = items
                    .iter()
                    .find(|i| i.code == *into)
                    .ok_or_else(|| ServiceError::invalid("into", format!("there is no item `{into}`")))?;
                (SuggestionStatus::Merged, Some(item.id))
            }
            Decision::Reject => (SuggestionStatus::Rejected, None),
        };
        if !Suggestion::decide(conn, suggestion.id, status, reason, facilitator_id, item_id, at)? {
            return Err(ServiceError::Conflict(format!(
                "suggestion {suggestion_id} was decided meanwhile"
            )));
        }
        if item_id.is_some() && status == SuggestionStatus::Accepted {
            // A new item changes what experts are shown in the next round.
            crate::db::models::studies::StudyRow::touch(conn, study.id, at)?;
        }
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            match decision {
                Decision::Accept { .. } => "suggestion.accept",
                Decision::Merge { .. } => "suggestion.merge",
                Decision::Reject => "suggestion.reject",
            },
            &serde_json::json!({ "suggestion": suggestion_id, "status": status, "reason": reason, "item": match decision {
                Decision::Accept { code, .. } => Some(code.trim().to_string()),
                Decision::Merge { into } => Some(into.clone()),
                Decision::Reject => None,
            } }),
            at,
        )?;
        Ok(status)
    }
}
