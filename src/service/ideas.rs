//! The ideas round's proposals (suggestions of round 0, see `Round::of_study`): entered by
//! experts on their page or from a file, then each processed by the facilitator — merged into a
//! new or an existing item (through the same triage as suggestions made while rating, so the
//! item keeps the proposals it came from) or set aside with a reason. Round 1 opens only once
//! none is left pending.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::labelled_lists::Listing;
use super::studies::load;
use super::suggestions::{self, Decision};
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::evidence::Evidence;
use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::rounds::Round;
use crate::db::models::studies::Section;
use crate::db::models::suggestions::{NewSuggestion, Suggestion};
use crate::db::{now, DbConnection};
use crate::domain::file_error::{FileError, FileErrors};
use crate::domain::panel_file::EmailAddress;
use crate::domain::proposals_file::{
    parse_proposals_csv, proposal_code, proposal_number, validate_against, ProposalContext, ProposalRow,
    MAX_PROPOSAL_CHARS,
};
use crate::domain::round::RoundState;
use crate::domain::study::{SetAside, Study};
use crate::domain::suggestion::SuggestionStatus;
use crate::service::audit;
use crate::service::studies;

pub use crate::domain::suggestion::ProposalOutcome as Outcome;

/// One proposal of the ideas round.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalView {
    pub id: i64,
    /// `P001`, …
    pub code: String,
    /// The proposing expert's pseudonym (never the name).
    pub expert: Option<String>,
    pub section: Option<String>,
    pub text: String,
    pub rationale: Option<String>,
    pub outcome: Outcome,
    /// The item it was merged into.
    pub item: Option<String>,
    /// For `already_answered`: the source that answers it.
    pub source: Option<String>,
    pub source_link: Option<String>,
}

/// The study's proposals in code order.
pub fn list(conn: &mut DbConnection, slug: &str) -> Result<Vec<ProposalView>, ServiceError> {
    let study = load(conn, slug)?;
    list_of(conn, &study)
}

pub(crate) fn list_of(conn: &mut DbConnection, study: &Study) -> Result<Vec<ProposalView>, ServiceError> {
    let Some(round) = Round::ideas_of_study(conn, study.id)? else {
        return Ok(Vec::new());
    };
    let names = suggestions::Names::of_study(conn, study.id)?;
    Ok(Suggestion::of_round(conn, round.id)?
        .into_iter()
        .map(|s| {
            let outcome = match s.status {
                SuggestionStatus::Pending => Outcome::Pending,
                SuggestionStatus::Accepted | SuggestionStatus::Merged => Outcome::Merged,
                SuggestionStatus::Rejected => Outcome::SetAside(
                    s.set_aside
                        .as_deref()
                        .and_then(SetAside::parse)
                        .unwrap_or(SetAside::Unclear),
                ),
            };
            ProposalView {
                id: s.id,
                code: s.code.unwrap_or_default(),
                expert: names.expert(s.expert_id),
                section: names.section(s.section_id),
                text: s.text,
                rationale: s.rationale,
                outcome,
                item: names.item(s.item_id),
                source: s.source,
                source_link: s.source_link,
            }
        })
        .collect())
}

/// Refuses to open round 1 while a proposal of the ideas round is unprocessed.
pub(crate) fn refuse_while_pending(conn: &mut DbConnection, study: &Study) -> Result<(), ServiceError> {
    let pending = list_of(conn, study)?
        .iter()
        .filter(|p| p.outcome == Outcome::Pending)
        .count();
    if pending > 0 {
        return Err(ServiceError::Conflict(format!(
            "{pending} proposal{} of the ideas round of `{}` {} not processed yet: merge each into an item or set it aside first",
            if pending == 1 { "" } else { "s" },
            study.slug,
            if pending == 1 { "is" } else { "are" },
        )));
    }
    Ok(())
}

/// Stores proposals in the open ideas round, each with the next code. The caller has checked
/// the rows (`validate_against`) inside the same transaction.
fn store(
    conn: &mut DbConnection,
    study: &Study,
    round: &Round,
    rows: &[(i64, i64, String, Option<String>)],
) -> Result<Vec<String>, ServiceError> {
    let mut next = Suggestion::of_study(conn, study.id)?
        .iter()
        .filter_map(|s| s.code.as_deref().and_then(proposal_number))
        .max()
        .unwrap_or(0);
    let at = now();
    let mut codes = Vec::with_capacity(rows.len());
    for (expert_id, section_id, text, rationale) in rows {
        next += 1;
        let code = proposal_code(next);
        Suggestion::insert(
            conn,
            &NewSuggestion {
                study_id: study.id,
                round_id: round.id,
                expert_id: Some(*expert_id),
                section_id: Some(*section_id),
                text: text.clone(),
                rationale: rationale.clone(),
                created_at: at,
                code: Some(code.clone()),
            },
        )?;
        codes.push(code);
    }
    Ok(codes)
}

/// The open ideas round of the study, or why proposals cannot be entered now.
fn open_ideas_round(conn: &mut DbConnection, study: &Study) -> Result<Round, ServiceError> {
    Round::ideas_of_study(conn, study.id)?
        .filter(|r| r.status == RoundState::Open)
        .ok_or_else(|| {
            ServiceError::Conflict(format!(
                "study `{}` has no open ideas round; `delphi round open {} --ideas` opens one",
                study.slug, study.slug
            ))
        })
}

/// What the checks of new proposals need, and the ids their rows are stored with.
struct Checks {
    context: ProposalContext,
    /// The active panel by email.
    by_email: BTreeMap<EmailAddress, i64>,
    /// Section ids by key.
    sections: HashMap<String, i64>,
}

/// What the checks of new proposals need: the panel by email, and how many each expert has
/// already proposed per section.
fn context(conn: &mut DbConnection, study: &Study, round: &Round) -> Result<Checks, ServiceError> {
    let ideas = study
        .file
        .ideas
        .as_ref()
        .ok_or_else(|| ServiceError::Conflict(format!("study `{}` has no [ideas] table", study.slug)))?;
    let experts: Vec<Expert> = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter(|e| e.withdrawn_at.is_none() && e.erased_at.is_none())
        .collect();
    let by_email: BTreeMap<EmailAddress, i64> = experts
        .iter()
        .filter_map(|e| Some((EmailAddress::parse(e.email.as_deref()?).ok()?, e.id)))
        .collect();
    let email_of: HashMap<i64, EmailAddress> = by_email.iter().map(|(e, id)| (*id, e.clone())).collect();
    let sections = Listing::Section.ids_by_key(conn, study.id)?;
    let key_of: HashMap<i64, &String> = sections.iter().map(|(k, id)| (*id, k)).collect();
    let mut stored: BTreeMap<(EmailAddress, String), u32> = BTreeMap::new();
    for s in Suggestion::of_round(conn, round.id)? {
        let (Some(email), Some(section)) = (
            s.expert_id.and_then(|id| email_of.get(&id)),
            s.section_id.and_then(|id| key_of.get(&id)),
        ) else {
            continue;
        };
        *stored.entry((email.clone(), (*section).clone())).or_default() += 1;
    }
    Ok(Checks {
        context: ProposalContext {
            experts: by_email.keys().cloned().collect(),
            sections: ideas.sections.clone(),
            per_expert: ideas.per_expert,
            stored,
        },
        by_email,
        sections,
    })
}

/// Imports proposals collected elsewhere (`expert,section,text[,rationale]`) into the open
/// ideas round: every row checked first, nothing saved when any is wrong. Returns the new codes.
pub fn import(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    content: &str,
    actor: &Actor,
) -> Result<Vec<String>, ServiceError> {
    let rows = parse_proposals_csv(file_name, content).map_err(ServiceError::File)?;
    if rows.is_empty() {
        return Err(ServiceError::File(FileErrors::from(FileError::line(
            file_name,
            1,
            "the file has no proposals",
        ))));
    }
    studies::write(conn, slug, |conn, study| {
        let round = open_ideas_round(conn, study)?;
        let Checks {
            context,
            by_email,
            sections,
        } = context(conn, study, &round)?;
        validate_against(file_name, &rows, &context).map_err(ServiceError::File)?;
        let stored: Vec<(i64, i64, String, Option<String>)> = rows
            .iter()
            .filter_map(|row: &ProposalRow| {
                Some((
                    *by_email.get(&row.expert)?,
                    *sections.get(&row.section)?,
                    row.text.clone(),
                    row.rationale.clone(),
                ))
            })
            .collect();
        let codes = store(conn, study, &round, &stored)?;
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "ideas.import",
            &serde_json::json!({ "file": file_name, "proposals": codes.len() }),
            now(),
        )?;
        Ok(codes)
    })
}

/// One proposal written on the expert's page: `(section key, text, rationale)`.
pub type Written = (String, String, String);

/// Replaces the expert's proposals in the open ideas round with those written on their page
/// (blank rows dropped). Earlier proposals keep their codes where the text is unchanged.
pub fn save_for_expert(
    conn: &mut DbConnection,
    study: &Study,
    round_id: i64,
    expert_id: i64,
    written: &[Written],
) -> Result<usize, ServiceError> {
    let ideas = study
        .file
        .ideas
        .as_ref()
        .ok_or_else(|| ServiceError::Conflict(format!("study `{}` has no [ideas] table", study.slug)))?;
    for (index, (section, text, rationale)) in written.iter().enumerate() {
        if !ideas.sections.contains(section) {
            return Err(ServiceError::invalid(
                format!("proposal[{}].section", index + 1),
                format!("`{section}` is not open to ideas"),
            ));
        }
        if text.trim().is_empty() && !rationale.trim().is_empty() {
            return Err(ServiceError::invalid(
                format!("proposal[{}].text", index + 1),
                "write the proposal itself, not only its reason",
            ));
        }
        if text.chars().count() > MAX_PROPOSAL_CHARS || rationale.chars().count() > MAX_PROPOSAL_CHARS {
            return Err(ServiceError::invalid(
                format!("proposal[{}].text", index + 1),
                format!("a proposal is limited to {MAX_PROPOSAL_CHARS} characters"),
            ));
        }
    }
    for section in &ideas.sections {
        let count = written
            .iter()
            .filter(|(s, t, _)| s == section && !t.trim().is_empty())
            .count();
        if count > ideas.per_expert as usize {
            return Err(ServiceError::invalid(
                format!("section.{section}"),
                format!("at most {} proposals per section", ideas.per_expert),
            ));
        }
    }
    crate::db::write_transaction(conn, |conn| {
        let round = Round::lock(conn, round_id, false)?;
        if round.status != RoundState::Open {
            return Err(ServiceError::Conflict("the ideas round is closed".to_owned()));
        }
        let sections = Listing::Section.ids_by_key(conn, study.id)?;
        let mine: Vec<Suggestion> = Suggestion::of_round(conn, round.id)?
            .into_iter()
            .filter(|s| s.expert_id == Some(expert_id))
            .collect();
        if mine.iter().any(|s| s.status != SuggestionStatus::Pending) {
            return Err(ServiceError::Conflict(
                "the study team has started processing your proposals; they can no longer be changed"
                    .to_owned(),
            ));
        }
        let mut keep: Vec<i64> = Vec::new();
        let mut new_rows = Vec::new();
        for (section, text, rationale) in written.iter().filter(|(_, t, _)| !t.trim().is_empty()) {
            let Some(&section_id) = sections.get(section) else {
                continue;
            };
            let rationale = Some(rationale.trim().to_owned()).filter(|r| !r.is_empty());
            let same = mine.iter().find(|s| {
                !keep.contains(&s.id)
                    && s.section_id == Some(section_id)
                    && s.text == text.trim()
                    && s.rationale == rationale
            });
            match same {
                Some(s) => keep.push(s.id),
                None => new_rows.push((expert_id, section_id, text.trim().to_owned(), rationale)),
            }
        }
        let gone: Vec<i64> = mine
            .iter()
            .map(|s| s.id)
            .filter(|id| !keep.contains(id))
            .collect();
        Suggestion::delete_pending(conn, &gone)?;
        let added = store(conn, study, &round, &new_rows)?;
        Ok(keep.len() + added.len())
    })
}

/// The expert's proposals in the ideas round, oldest first: `(section key, text, rationale)`.
pub fn of_expert(
    conn: &mut DbConnection,
    study: &Study,
    round_id: i64,
    expert_id: i64,
) -> Result<Vec<Written>, ServiceError> {
    let sections: HashMap<i64, String> = Section::keys_of_study(conn, study.id)?;
    Ok(Suggestion::of_round(conn, round_id)?
        .into_iter()
        .filter(|s| s.expert_id == Some(expert_id))
        .filter_map(|s| {
            Some((
                sections.get(&s.section_id?)?.clone(),
                s.text,
                s.rationale.unwrap_or_default(),
            ))
        })
        .collect())
}

/// Where merged proposals go.
#[derive(Debug, Clone)]
pub enum MergeInto {
    /// A new item with this code, section key and wording.
    New {
        code: String,
        section: String,
        text: String,
    },
    /// The existing item with this code.
    Existing(String),
}

/// Merges proposals (by code) into one item: a new one (made from the first) or an existing
/// one. The item keeps the list of proposals it came from.
pub fn merge(
    conn: &mut DbConnection,
    slug: &str,
    codes: &[String],
    into: &MergeInto,
    facilitator_id: Option<i64>,
    actor: &Actor,
) -> Result<String, ServiceError> {
    if codes.is_empty() {
        return Err(ServiceError::invalid("proposal", "name at least one proposal"));
    }
    studies::write(conn, slug, |conn, study| {
        let proposals = list_of(conn, study)?;
        let mut ids = Vec::with_capacity(codes.len());
        for code in codes {
            let proposal = find(&proposals, code, slug)?;
            ids.push((proposal.id, proposal.code.clone()));
        }
        let item_code = match into {
            MergeInto::New { code, .. } => code.trim().to_owned(),
            MergeInto::Existing(code) => code.clone(),
        };
        for (index, (id, code)) in ids.iter().enumerate() {
            let decision = match (index, into) {
                (0, MergeInto::New { code, section, text }) => Decision::Accept {
                    code: code.clone(),
                    section: section.clone(),
                    text: text.clone(),
                },
                _ => Decision::Merge {
                    into: item_code.clone(),
                },
            };
            let ruling = suggestions::Ruling {
                suggestion_id: *id,
                decision,
                reason: format!("proposal {code} merged into {item_code}"),
                facilitator_id,
            };
            suggestions::decide_in(conn, study, &ruling, actor)?;
        }
        Ok(item_code)
    })
}

/// Sets a proposal aside with a reason; `already_answered` needs the source that answers it.
#[allow(clippy::too_many_arguments)]
pub fn set_aside(
    conn: &mut DbConnection,
    slug: &str,
    code: &str,
    reason: SetAside,
    source: Option<&str>,
    link: Option<&str>,
    facilitator_id: Option<i64>,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let source = source.map(str::trim).filter(|s| !s.is_empty());
    let link = link.map(str::trim).filter(|s| !s.is_empty());
    if reason == SetAside::AlreadyAnswered && source.is_none() {
        return Err(ServiceError::invalid(
            "source",
            "name the source that already answers it (a citation)",
        ));
    }
    if link.is_some() && source.is_none() {
        return Err(ServiceError::invalid("link", "a link goes with a source"));
    }
    if let Some(link) = link {
        check_link(link)?;
    }
    studies::write(conn, slug, |conn, study| {
        let proposals = list_of(conn, study)?;
        let proposal = find(&proposals, code, slug)?;
        let at = now();
        if !Suggestion::set_aside(
            conn,
            proposal.id,
            reason.as_str(),
            &format!("set aside: {reason}"),
            source,
            link,
            facilitator_id,
            at,
        )? {
            return Err(ServiceError::Conflict(format!(
                "proposal {code} was processed meanwhile"
            )));
        }
        audit::log(
            conn,
            study,
            actor,
            "ideas.set_aside",
            serde_json::json!({ "proposal": code, "reason": reason, "source": source, "link": link }),
            at,
        )?;
        Ok(())
    })
}

/// A pending proposal by code.
fn find<'a>(proposals: &'a [ProposalView], code: &str, slug: &str) -> Result<&'a ProposalView, ServiceError> {
    let proposal = proposals
        .iter()
        .find(|p| p.code.eq_ignore_ascii_case(code.trim()))
        .ok_or_else(|| {
            ServiceError::invalid("proposal", format!("study `{slug}` has no proposal `{code}`"))
        })?;
    if proposal.outcome != Outcome::Pending {
        return Err(ServiceError::Conflict(format!(
            "proposal {} is already processed ({})",
            proposal.code,
            proposal.outcome.label()
        )));
    }
    Ok(proposal)
}

/// Links are shown to experts: only web addresses.
fn check_link(link: &str) -> Result<(), ServiceError> {
    let ok = (link.starts_with("https://") || link.starts_with("http://"))
        && link.len() > 8
        && !link.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "link",
            format!("`{link}` is not a web address (https://…)"),
        ))
    }
}

/// Adds an evidence note (a citation and an optional link) to an item, shown to experts as the
/// item's background.
pub fn add_evidence(
    conn: &mut DbConnection,
    slug: &str,
    item_code: &str,
    citation: &str,
    link: Option<&str>,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let citation = citation.trim();
    if citation.is_empty() {
        return Err(ServiceError::invalid("citation", "write the citation"));
    }
    if citation.chars().count() > MAX_PROPOSAL_CHARS {
        return Err(ServiceError::invalid(
            "citation",
            format!("a citation is limited to {MAX_PROPOSAL_CHARS} characters"),
        ));
    }
    let link = link.map(str::trim).filter(|l| !l.is_empty());
    if let Some(link) = link {
        check_link(link)?;
    }
    studies::write(conn, slug, |conn, study| {
        let item = Item::of_study(conn, study.id)?
            .into_iter()
            .find(|i| i.code == item_code)
            .ok_or_else(|| ServiceError::invalid("item", format!("there is no item `{item_code}`")))?;
        let at = now();
        Evidence::append(conn, item.id, citation, link, at)?;
        // Experts' pages show the note: cached pages are rebuilt.
        crate::db::models::studies::StudyRow::touch(conn, study.id, at)?;
        audit::log(
            conn,
            study,
            actor,
            "item.evidence",
            serde_json::json!({ "item": item_code, "citation": citation, "link": link }),
            at,
        )?;
        Ok(())
    })
}

/// Where the ideas round of a study stands, for the console's ideas page.
#[derive(Debug, Clone, Serialize)]
pub struct IdeasStatus {
    /// The ideas round's state, once opened.
    pub round: Option<RoundState>,
    /// Rating rounds opened so far (none: the ideas round may still open).
    pub rating_rounds: i64,
    pub proposals: Vec<ProposalView>,
}

pub fn status(conn: &mut DbConnection, slug: &str) -> Result<IdeasStatus, ServiceError> {
    let study = load(conn, slug)?;
    Ok(IdeasStatus {
        round: Round::ideas_of_study(conn, study.id)?.map(|r| r.status),
        rating_rounds: Round::count_of(conn, study.id)?,
        proposals: list_of(conn, &study)?,
    })
}

/// Closes the open ideas round (the console's button; `round close` closes whichever is open).
pub fn close(conn: &mut DbConnection, slug: &str, actor: &Actor) -> Result<usize, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let round = open_ideas_round(conn, study)?;
        let round = Round::lock(conn, round.id, true)?;
        let closed = super::rounds::close_in(conn, study, &round, "facilitator", actor)?;
        Ok(closed.proposals.unwrap_or(0))
    })
}
