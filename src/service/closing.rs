//! Closing a finished study: thanking the panel once, each expert with a personal link to a
//! read-only results page, and what that page shows.
//!
//! The email goes to every expert who took part (invited to any round), has not withdrawn or
//! been erased, and has an address; it is queued with finishing (one transaction: a study is
//! never finished with a half-queued email) or later from the final list, and at most once per
//! study (`closing_emails`' unique key) and once per expert (the outbox key). The link is one
//! more token of the expert's last invitation, with purpose `results`: it opens the results page
//! and nothing else, and an erasure revokes it with the expert's other links.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::closing_outcome::{outcome, ItemTexts, Outcome};
use super::expert::primary_tag;
use super::final_list::{final_list, FinalList};
use super::results::{results, results_by_criterion, Scope};
use super::rounds::{check_reason, finish_in, Finished};
use super::studies::{self, load};
use super::{email_templates, notify, tokens, Actor, ServiceError};
use crate::db::models::closing_emails::ClosingEmail;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::{Invitation, RESULTS};
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, StudyRow};
use crate::db::{now, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::round::{group_figures, GroupFigures};
use crate::domain::rule::Status;
use crate::domain::study::Study;
use crate::email::messages::{self, Ending, Recipient};
use crate::i18n;
use crate::service::audit;

/// What queuing the closing email did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Closing {
    /// Experts it was queued for.
    pub experts: usize,
}

/// The closing email as it was queued, for the final list page.
#[derive(Debug, Clone, Serialize)]
pub struct ClosingSent {
    /// In the study's time zone.
    pub queued_at_local: String,
    pub experts: i32,
}

/// Finishes the study `slug` with `reason` and, when `email_panel` is set, queues the closing
/// email in the same transaction: if the email cannot be composed (a study's own wording that
/// no longer renders), nothing is finished either.
pub fn finish(
    conn: &mut DbConnection,
    slug: &str,
    reason: &str,
    email_panel: bool,
    links: &LinkBase,
    actor: &Actor,
) -> Result<(Finished, Option<Closing>), ServiceError> {
    let reason = check_reason(reason)?;
    studies::write(conn, slug, |conn, study| {
        let finished = finish_in(conn, study, reason, actor)?;
        let closing = if email_panel {
            Some(queue_in(conn, study, links, actor)?)
        } else {
            None
        };
        Ok((finished, closing))
    })
}

/// Queues the closing email of a study finished without it. Refused before the study is
/// finished and once the email has been queued.
pub fn send_later(
    conn: &mut DbConnection,
    slug: &str,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Closing, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        if study.finished_at.is_none() {
            return Err(ServiceError::Conflict(format!(
                "the study `{slug}` is not finished: the closing email goes with finishing or after it"
            )));
        }
        queue_in(conn, study, links, actor)
    })
}

/// When the closing email of the study was queued, and for how many; `None` if it was not.
pub fn sent(conn: &mut DbConnection, slug: &str) -> Result<Option<ClosingSent>, ServiceError> {
    let study = load(conn, slug)?;
    Ok(ClosingEmail::of_study(conn, study.id)?.map(|row| ClosingSent {
        queued_at_local: study.local_time(row.queued_at),
        experts: row.experts,
    }))
}

/// The closing email as an expert reading `lang` would get it, for the facilitator to read
/// before sending: the study's own wording if it has one, a placeholder for the name and link.
#[derive(Debug, Clone, Serialize)]
pub struct Wording {
    pub subject: String,
    pub text: String,
    /// Experts it would go to now.
    pub experts: usize,
    pub already: Option<ClosingSent>,
}

pub fn wording(
    conn: &mut DbConnection,
    slug: &str,
    lang: &str,
    links: &LinkBase,
) -> Result<Wording, ServiceError> {
    let study = load(conn, slug)?;
    let list = final_list(conn, slug)?;
    let recipients = recipients(conn, &study)?;
    let overrides = email_templates::overrides(conn, study.id)?;
    let name = i18n::translate(lang, "closing-sample-name", &[]);
    let to = Recipient {
        expert_id: 0,
        name: &name,
        email: "",
        language: Some(lang),
    };
    let placeholder = i18n::translate(lang, "closing-sample-link", &[]);
    let (last_round, ending) = ending(conn, &study, &list)?;
    let email = messages::study_closed(
        &study,
        &overrides,
        &to,
        last_round,
        ending,
        links,
        &placeholder,
        now(),
    )?;
    Ok(Wording {
        subject: email.subject,
        text: email.body_text,
        experts: recipients.len(),
        already: sent(conn, slug)?,
    })
}

/// The study's last round and what the closing email says it came to: the ranking of a
/// ranking round that ended it, a CHNRI study's scored questions, or the consensus reached.
fn ending(conn: &mut DbConnection, study: &Study, list: &FinalList) -> Result<(i32, Ending), ServiceError> {
    let outcome = outcome(conn, study, &primary_tag(&study.language), &ItemTexts::none())?;
    let ending = if let Some(ranking) = &outcome.ranking {
        Ending::Ranking {
            items: ranking.offered,
        }
    } else if let Some(chnri) = &outcome.chnri {
        Ending::Chnri {
            questions: chnri.questions.len(),
        }
    } else {
        Ending::Consensus {
            agreed: list.tally[0],
        }
    };
    Ok((outcome.last_round().or(list.last_round).unwrap_or(0), ending))
}

/// Experts who took part, with the invitation their results link hangs on (their last one).
fn recipients(conn: &mut DbConnection, study: &Study) -> Result<Vec<(Expert, i64)>, ServiceError> {
    let mut last_invitation: HashMap<i64, i64> = HashMap::new();
    for round in Round::of_study(conn, study.id)? {
        for invitation in Invitation::of_round(conn, round.id)? {
            // Rounds come in order: a later round's invitation replaces an earlier one.
            last_invitation.insert(invitation.expert_id, invitation.id);
        }
    }
    Ok(Expert::of_study(conn, study.id)?
        .into_iter()
        .filter(|e| e.withdrawn_at.is_none() && e.erased_at.is_none() && e.email.is_some())
        .filter_map(|e| {
            last_invitation
                .get(&e.id)
                .copied()
                .map(|invitation| (e, invitation))
        })
        .collect())
}

/// Queues the closing email inside the caller's write transaction on `study`.
fn queue_in(
    conn: &mut DbConnection,
    study: &Study,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Closing, ServiceError> {
    if let Some(row) = ClosingEmail::of_study(conn, study.id)? {
        return Err(ServiceError::Conflict(format!(
            "the closing email of `{}` was queued already ({}, for {} experts); it is sent once",
            study.slug,
            study.local_time(row.queued_at),
            row.experts
        )));
    }
    let list = final_list(conn, &study.slug)?;
    let recipients = recipients(conn, study)?;
    let overrides = email_templates::overrides(conn, study.id)?;
    let (last_round, ending) = ending(conn, study, &list)?;
    let at = now();
    let mut emails = Vec::with_capacity(recipients.len());
    for (expert, invitation_id) in &recipients {
        let (link_token, hash) = tokens::generate();
        Invitation::add_token(conn, *invitation_id, &hash, RESULTS, at)?;
        emails.push(messages::study_closed(
            study,
            &overrides,
            &notify::recipient(expert),
            last_round,
            ending,
            links,
            &link_token,
            at,
        )?);
    }
    let queued = OutboxEmail::enqueue(conn, &emails)?;
    let experts = i32::try_from(queued).unwrap_or(i32::MAX);
    ClosingEmail::record(conn, study.id, &actor.0, experts, at)?;
    audit::log(
        conn,
        study,
        actor,
        "study.closing_email",
        serde_json::json!({ "experts": queued }),
        at,
    )?;
    Ok(Closing { experts: queued })
}

/// One stakeholder group's figures on an item, shown because enough of it responded.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub name: String,
    pub responders: i32,
    pub median: Option<f64>,
    pub iqr: Option<f64>,
}

/// One item of the final list as an expert reads it.
#[derive(Debug, Clone, Serialize)]
pub struct ResultItem {
    pub code: String,
    pub text: String,
    /// The language of `text` when it is not the page's (no translation).
    pub text_lang: Option<String>,
    pub status: Status,
    /// The round whose result this is: the last that asked the item.
    pub round: i32,
    pub n: i32,
    pub median: Option<f64>,
    pub iqr: Option<f64>,
    pub groups: Vec<GroupResult>,
    /// Some group's figures are left out (too few responders).
    pub groups_hidden: bool,
    /// In a study with criteria: the item's figures on each criterion in the same round (the
    /// item's own line above holds its combined status), in the study file's order.
    pub criteria: Vec<CriterionResult>,
}

/// One criterion's pooled figures on an item, on the criterion's own scale.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionResult {
    /// The criterion's label in the reader's language.
    pub label: String,
    /// Its scale, `1–5`.
    pub scale: String,
    pub status: Status,
    pub n: i32,
    pub median: Option<f64>,
    pub iqr: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultSection {
    pub title: String,
    pub items: Vec<ResultItem>,
}

/// Everything the results page shows: aggregates only, never anyone's identity or answers.
#[derive(Debug, Clone, Serialize)]
pub struct ExpertResults {
    pub lang: &'static str,
    pub study_title: String,
    pub finished_local: Option<String>,
    pub last_round: Option<i32>,
    /// In, out, none.
    pub tally: [usize; 3],
    pub min_group_feedback: u32,
    pub sections: Vec<ResultSection>,
    /// A CHNRI study's scores, a ranking round's ranking.
    pub outcome: Outcome,
}

/// What a results link opens; `None` for a malformed, unknown, revoked or erased one (the
/// caller shows the one unknown-link page for all of them).
pub fn results_page(
    conn: &mut DbConnection,
    link_token: &str,
) -> Result<Option<ExpertResults>, ServiceError> {
    let Some(invitation) = tokens::find(link_token, |hash| Invitation::by_results_token_hash(conn, hash))?
    else {
        return Ok(None);
    };
    let Some(expert) = Expert::by_id(conn, invitation.expert_id)? else {
        return Ok(None);
    };
    if expert.erased_at.is_some() {
        return Ok(None);
    }
    let slug = StudyRow::by_id(conn, expert.study_id)?.slug;
    let study = load(conn, &slug)?;
    let lang = i18n::for_reader(&[expert.language.as_deref(), Some(&study.language)]);
    let list = final_list(conn, &slug)?;
    Ok(Some(for_reader(conn, &study, lang, list)?))
}

/// The final list in `lang`, with each item's groups as far as suppression allows.
fn for_reader(
    conn: &mut DbConnection,
    study: &Study,
    lang: &'static str,
    list: FinalList,
) -> Result<ExpertResults, ServiceError> {
    let min_group = study.file.rounds.min_group_feedback;
    let texts = ItemTexts::load(conn, study, lang)?;
    let group_names: HashMap<String, String> = Group::of_study(conn, study.id)?
        .into_iter()
        .map(|g| (g.key, g.name))
        .collect();
    // Per item and round, the groups' lines in the study's order of groups.
    let mut by_group: BTreeMap<(String, i32), Vec<_>> = BTreeMap::new();
    for line in results(conn, &study.slug, None, Scope::ByGroup)?.lines {
        by_group
            .entry((line.item_code.clone(), line.round))
            .or_default()
            .push(line);
    }
    // Per item and round, its criteria's lines (pooled) in the study file's order.
    let mut by_criterion: BTreeMap<(String, i32), Vec<CriterionResult>> = BTreeMap::new();
    if !study.file.criteria.is_empty() {
        let pooled = results_by_criterion(conn, &study.slug, None, Scope::Pooled)?.lines;
        for line in pooled {
            let Some(criterion) = line.criterion.as_deref().and_then(|key| study.criterion(key)) else {
                continue;
            };
            by_criterion
                .entry((line.item_code.clone(), line.round))
                .or_default()
                .push(CriterionResult {
                    label: criterion.label_in(lang).to_owned(),
                    scale: criterion.scale_or(&study.scale).describe(),
                    status: line.status,
                    n: line.n,
                    median: line.figures.median,
                    iqr: line.figures.iqr,
                });
        }
    }
    let sections = list
        .sections
        .into_iter()
        .map(|section| ResultSection {
            title: section.title,
            items: section
                .items
                .into_iter()
                .map(|line| {
                    let mut groups = Vec::new();
                    let mut groups_hidden = false;
                    let lines = by_group.remove(&(line.item_code.clone(), line.round));
                    // With criteria an item's own group lines hold no figures (they are its
                    // criteria's): the criteria's pooled lines below stand instead.
                    let lines = lines.filter(|_| study.file.criteria.is_empty());
                    for group in lines.unwrap_or_default() {
                        match group_figures(group.responded, min_group) {
                            GroupFigures::Empty => {}
                            GroupFigures::Hidden => groups_hidden = true,
                            GroupFigures::Shown => groups.push(GroupResult {
                                name: group_names.get(&group.group).cloned().unwrap_or(group.group),
                                responders: group.responded,
                                median: group.figures.median,
                                iqr: group.figures.iqr,
                            }),
                        }
                    }
                    let (text, text_lang) = texts.of(&line.item_code, line.item_text);
                    let criteria = by_criterion
                        .remove(&(line.item_code.clone(), line.round))
                        .unwrap_or_default();
                    ResultItem {
                        code: line.item_code,
                        text,
                        text_lang,
                        status: line.status,
                        round: line.round,
                        n: line.n,
                        median: line.figures.median,
                        iqr: line.figures.iqr,
                        groups,
                        groups_hidden,
                        criteria,
                    }
                })
                .collect(),
        })
        .collect();
    let outcome = outcome(conn, study, lang, &texts)?;
    Ok(ExpertResults {
        lang,
        study_title: study.title.clone(),
        finished_local: list.finished_local,
        last_round: outcome.last_round().or(list.last_round),
        tally: list.tally,
        min_group_feedback: min_group,
        sections,
        outcome,
    })
}
