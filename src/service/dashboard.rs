//! The console's dashboard: where the current round stands (response rate overall and per
//! stakeholder group, each expert's progress, emails that could not be delivered). Read only.

use std::collections::HashMap;

use serde::Serialize;

use super::studies::{self, StudyOverview};
use super::ServiceError;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Group;
use crate::db::DbConnection;
use crate::domain::outbox::{DeliveryState, OutboxStatus};
use crate::domain::round::Participation;
use crate::domain::round::{RoundState, Turnout};
use crate::service::bounces::{self, UndeliverableExpert};
use crate::service::close_refusal::{self, CloseRefusal};
use crate::service::pages::RaterCounts;
use crate::service::rounds;
use crate::service::test_run::{self, TestExpertProgress};

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub overview: StudyOverview,
    /// `named` shows experts' names to facilitators; `pseudonymous` only their pseudonyms.
    pub named: bool,
    /// The open round, else the last one; None before round 1.
    pub round: Option<RoundProgress>,
    /// Emails of the study the mail worker gave up on.
    pub failed_emails: Vec<FailedEmail>,
    /// Experts whose address bounced for good: nothing goes to them until it is corrected.
    pub undeliverable: Vec<UndeliverableExpert>,
    /// Test experts, apart: nothing of theirs is in `round`.
    pub tests: Vec<TestExpertProgress>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundProgress {
    pub number: i32,
    pub status: RoundState,
    /// Invited, responded, submitted, answered without submitting: the definition the exports
    /// use (`domain::round::Turnout`), so the console and the files give the same numbers.
    pub turnout: Turnout,
    /// Invited experts who started (saved something) and have not submitted yet.
    pub in_progress: usize,
    /// Responded per invited, in whole percent (0 when nobody was invited).
    pub rate: u32,
    pub groups: Vec<GroupProgress>,
    pub experts: Vec<ExpertProgress>,
    /// With `[rounds] items_per_expert`: how many raters each item was given and has.
    pub raters: Option<RaterCounts>,
    /// The scheduler's close at the deadline, refused for items short of `min_raters`.
    pub close_refused: Option<CloseRefusal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupProgress {
    pub key: String,
    pub name: String,
    pub turnout: Turnout,
    pub rate: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpertProgress {
    /// The name in a `named` study, the pseudonym otherwise.
    pub label: String,
    pub pseudonym: String,
    pub group: String,
    pub status: Participation,
    /// The last invitation or reminder email.
    pub email: DeliveryState,
    pub email_error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailedEmail {
    /// Name or pseudonym as for experts; the recipient address only in a `named` study.
    pub recipient: String,
    pub kind: String,
    pub reason: String,
}

pub fn dashboard(conn: &mut DbConnection, slug: &str) -> Result<Dashboard, ServiceError> {
    let overview = studies::show(conn, slug)?;
    let loaded = studies::load(conn, slug)?;
    let study_id = loaded.id;
    let named = loaded.shows_names();
    let experts: HashMap<i64, Expert> = Expert::of_study(conn, study_id)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let label = |e: &Expert| {
        if named {
            e.name.clone()
        } else {
            e.pseudonym.clone()
        }
    };
    let emails = OutboxEmail::all(conn, Some(study_id))?;
    let last_email = bounces::last_link_emails(&emails);
    let states = bounces::expert_states(conn, study_id, &last_email)?;
    // Test experts are the facilitators' colleagues: named whatever the study's anonymity.
    let test_names: HashMap<i64, String> = Expert::tests_of_study(conn, study_id)?
        .into_iter()
        .map(|e| (e.id, format!("{} ({})", e.name, e.pseudonym)))
        .collect();
    let failed_emails = emails
        .iter()
        .filter(|e| e.status == OutboxStatus::Failed)
        .map(|e| FailedEmail {
            recipient: match e.expert_id.and_then(|id| experts.get(&id)) {
                Some(expert) if named => format!("{} <{}>", expert.name, e.recipient),
                Some(expert) => expert.pseudonym.clone(),
                None => match e.expert_id.and_then(|id| test_names.get(&id)) {
                    Some(test_expert) => test_expert.clone(),
                    None if named => e.recipient.clone(),
                    None => "—".into(),
                },
            },
            kind: e.kind.clone(),
            reason: match e.last_error.as_deref() {
                Some(reason) if !named => crate::domain::delivery::hide_address(reason, &e.recipient),
                reason => reason.unwrap_or_default().to_string(),
            },
        })
        .collect();
    let groups = Group::of_study(conn, study_id)?;
    let group_of: HashMap<i64, &Group> = groups.iter().map(|g| (g.id, g)).collect();
    let rounds = Round::of_study(conn, study_id)?;
    let current = rounds
        .iter()
        .find(|r| r.status == RoundState::Open)
        .or_else(|| rounds.iter().rev().find(|r| r.status != RoundState::Draft));
    let round = match current {
        None => None,
        Some(round) => {
            let invitations = Invitation::of_round(conn, round.id)?;
            let responders = rounds::responders_of(conn, round.id)?;
            let mut per_group: HashMap<i64, Turnout> = HashMap::new();
            let mut rows = Vec::new();
            let mut turnout = Turnout::default();
            let mut in_progress = 0;
            for invitation in invitations.iter().filter(|i| i.revoked_at.is_none()) {
                let Some(expert) = experts.get(&invitation.expert_id) else {
                    continue;
                };
                let status = Participation::of(
                    invitation.submitted_at.is_some(),
                    expert.withdrawn_at.is_some(),
                    invitation.started_at.is_some(),
                    invitation.opened_at.is_some(),
                );
                if status == Participation::InProgress {
                    in_progress += 1;
                }
                let answered = responders.contains(&expert.id);
                let submitted = invitation.submitted_at.is_some();
                turnout.add(answered, submitted);
                per_group
                    .entry(expert.group_id)
                    .or_default()
                    .add(answered, submitted);
                let email = last_email.get(&expert.id);
                rows.push(ExpertProgress {
                    label: label(expert),
                    pseudonym: expert.pseudonym.clone(),
                    group: group_of
                        .get(&expert.group_id)
                        .map(|g| g.name.clone())
                        .unwrap_or_default(),
                    status,
                    email: states.get(&expert.id).copied().unwrap_or(DeliveryState::None),
                    email_error: email.filter(|e| e.status == OutboxStatus::Failed).and_then(|e| {
                        let reason = e.last_error.as_deref()?;
                        Some(match named {
                            true => reason.to_string(),
                            false => crate::domain::delivery::hide_address(reason, &e.recipient),
                        })
                    }),
                });
            }
            rows.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
            let raters = crate::service::pages::rater_counts(conn, &loaded, round)?;
            let close_refused = match &raters {
                Some(counts) => close_refusal::notice(conn, &loaded, round, counts)?,
                None => None,
            };
            Some(RoundProgress {
                number: round.number,
                status: round.status,
                turnout,
                in_progress,
                rate: turnout.rate(),
                groups: groups
                    .iter()
                    .map(|g| {
                        let turnout = per_group.get(&g.id).copied().unwrap_or_default();
                        GroupProgress {
                            key: g.key.clone(),
                            name: g.name.clone(),
                            turnout,
                            rate: turnout.rate(),
                        }
                    })
                    .collect(),
                experts: rows,
                raters,
                close_refused,
            })
        }
    };
    let tests = test_run::progress_with(conn, study_id, &last_email)?;
    Ok(Dashboard {
        overview,
        named,
        round,
        failed_emails,
        undeliverable: bounces::undeliverable(conn, study_id, named)?,
        tests,
    })
}
