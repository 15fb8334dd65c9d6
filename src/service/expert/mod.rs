//! The expert's side of a round: open a personal link, see the form (with last round's group
//! feedback from round 2 on), save answers, submit, suggest items.
//!
//! The web layer only turns HTTP into these calls and their data (`page`) into HTML; every
//! rule (what a token opens, what may be saved, what feedback an expert may see) lives here.

mod after_rating;
pub mod autosave;
pub mod chnri;
mod page;
pub mod preview;

use std::collections::HashSet;
use std::sync::Arc;

use fluent_bundle::FluentValue;
use serde::Serialize;

pub use after_rating::holds_feedback;
pub(crate) use page::primary_tag;
pub use page::{
    own_answers, round_data, ExpertCache, FrozenFeedback, GroupLines, ItemText, OwnAnswer, OwnAnswers,
    PreviousAnswer, PreviousRound, RoundData,
};

use super::ratings::{record_many, AnswerInput, Recorded};
use super::{notify, ServiceError};
use crate::db::models::invitations::Invitation;
use crate::db::models::ratings::Rating;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Section, StudyRow};
use crate::db::models::suggestions::{NewSuggestion, Suggestion};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::answer::Answer;
use crate::domain::round::RoundState;
use crate::domain::study::Study;
use crate::domain::token;
use crate::i18n;

/// Longest comment, reason or suggestion we keep: generous for prose, bounded for storage.
pub const MAX_TEXT: usize = 4_000;

/// Everything a valid link opens.
#[derive(Debug, Clone)]
pub struct ExpertSession {
    pub invitation_id: i64,
    pub expert_id: i64,
    /// The expert had opened their link before (the console's "opened" column is set).
    pub opened: bool,
    /// A test expert, rehearsing: their answers are kept apart from the panel's.
    pub is_test: bool,
    pub submitted: bool,
    pub round: SessionRound,
    /// Shared with every other session of the study (ExpertCache).
    pub study: Arc<Study>,
    /// The language of the pages: the expert's if we have a catalogue for it, else the
    /// study's, else English.
    pub lang: &'static str,
}

/// The round a link belongs to.
#[derive(Debug, Clone, Copy)]
pub struct SessionRound {
    pub id: i64,
    pub number: i32,
    /// What the round asks: a rating form, a ranking (`service::ranking::expert`) or the CHNRI
    /// questions (`chnri`).
    pub kind: crate::domain::round::RoundKind,
    pub state: RoundState,
    pub deadline: Option<chrono::NaiveDateTime>,
}

impl ExpertSession {
    /// Answers are taken: the round is open, or it is the draft a test expert rehearses.
    pub fn round_is_open(&self) -> bool {
        self.round.state.takes_answers(self.is_test)
    }

    /// Suggestions are collected in open rounds only (a draft is a rehearsal of the answers).
    pub fn suggestions_allowed(&self) -> bool {
        self.round.state == RoundState::Open
            && u32::try_from(self.round.number)
                .map(|n| self.study.file.rounds.suggestions_in.contains(&n))
                .unwrap_or(false)
    }
}

#[derive(Debug)]
pub enum Resolved {
    Found(Box<ExpertSession>),
    /// Malformed, unknown, revoked or erased: the caller shows the same 404 for all of them,
    /// so a link's state leaks nothing.
    Unknown,
}

/// What a link token opens. The shape is checked before any database work.
pub fn resolve(
    conn: &mut DbConnection,
    cache: &ExpertCache,
    link_token: &str,
) -> Result<Resolved, ServiceError> {
    if !token::is_well_formed(link_token) {
        return Ok(Resolved::Unknown);
    }
    let Some((invitation, expert, mut round, mut stamp)) =
        Invitation::link_by_token_hash(conn, &token::hash(link_token))?
    else {
        return Ok(Resolved::Unknown);
    };
    if invitation.revoked_at.is_some() || expert.erased_at.is_some() {
        return Ok(Resolved::Unknown);
    }
    if expert.is_test {
        // The items of a rehearsed round follow the study's edits until it opens; the round
        // and the stamp are read again after the refresh.
        super::test_run::refresh_draft(conn, invitation.round_id)?;
        let Some(refreshed) = Round::by_id(conn, invitation.round_id)? else {
            return Ok(Resolved::Unknown);
        };
        stamp = StudyRow::stamp(conn, refreshed.study_id)?;
        round = refreshed;
    }
    let study = cache.study(conn, round.study_id, stamp)?;
    let lang = i18n::for_reader(&[expert.language.as_deref(), Some(&study.language)]);
    Ok(Resolved::Found(Box::new(ExpertSession {
        invitation_id: invitation.id,
        expert_id: expert.id,
        opened: invitation.opened_at.is_some(),
        is_test: expert.is_test,
        submitted: invitation.submitted_at.is_some(),
        round: SessionRound {
            id: round.id,
            number: round.number,
            kind: round.kind,
            state: round.status,
            deadline: round.deadline,
        },
        study,
        lang,
    })))
}

/// Records the first visit (the facilitator's "opened" column); later visits change nothing.
pub fn mark_opened(conn: &mut DbConnection, invitation_id: i64) -> Result<(), ServiceError> {
    Invitation::mark_opened(conn, invitation_id, now())?;
    Ok(())
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Progress {
    pub answered: usize,
    pub total: usize,
}

/// The items of the expert's page in order, or `None` when they see every item of the round in
/// the study's order (`service::pages`).
pub fn page(conn: &mut DbConnection, session: &ExpertSession) -> Result<Option<Vec<i64>>, ServiceError> {
    // Most studies draw no pages, which the session already knows: no statement to find out.
    if !super::pages::draws(&session.study, session.round.kind) {
        return Ok(None);
    }
    super::pages::page_of(conn, &session.study, session.round.id, session.expert_id)
}

/// The codes of the items on the expert's page, when they have one.
fn page_codes(
    conn: &mut DbConnection,
    session: &ExpertSession,
) -> Result<Option<HashSet<String>>, ServiceError> {
    let Some(page) = page(conn, session)? else {
        return Ok(None);
    };
    Ok(Some(
        Round::item_ids_by_code(conn, session.round.id)?
            .into_iter()
            .filter(|(_, id)| page.contains(id))
            .map(|(code, _)| code)
            .collect(),
    ))
}

/// Refuses, in the expert's language, an answer to an item of the round that is not on their
/// page (`ratings::record` refuses it too, in English).
fn refuse_off_page(
    session: &ExpertSession,
    page: Option<&HashSet<String>>,
    p: &PostedAnswer,
) -> Result<(), ServiceError> {
    match page {
        Some(codes) if !codes.contains(&p.code) => Err(ServiceError::invalid(
            p.field(),
            format!(
                "{}: {}",
                p.code,
                i18n::translate(session.lang, "expert-error-not-on-page", &[])
            ),
        )),
        _ => Ok(()),
    }
}

/// Items with a score or "unable to score", out of the items of the round (of the expert's
/// page, when they were given a subset).
fn progress(conn: &mut DbConnection, session: &ExpertSession) -> Result<Progress, ServiceError> {
    // In a study with criteria every item is asked once per criterion.
    let per_item = session.study.file.criteria.len().max(1) as i64;
    let items = match page(conn, session)? {
        Some(page) => i64::try_from(page.len()).unwrap_or(i64::MAX),
        None => Round::item_count(conn, session.round.id)?,
    };
    let total = items * per_item;
    let answered = Rating::answered_count(conn, session.round.id, session.expert_id)?;
    Ok(Progress {
        answered: usize::try_from(answered).unwrap_or(0),
        total: usize::try_from(total).unwrap_or(0),
    })
}

/// One item's answer as a form posts it: the raw score field (`""`, `"U"` or a number).
#[derive(Debug, Clone, Default)]
pub struct PostedAnswer {
    pub code: String,
    /// The criterion the answer is about (a study with criteria); empty otherwise.
    pub criterion: String,
    pub score: String,
    pub comment: String,
    pub reason: String,
}

impl PostedAnswer {
    /// What names this answer on the page and in a refusal: the item's code, followed by
    /// `~criterion` in a study with criteria (`~` is in neither an item code nor a criterion key).
    pub fn field(&self) -> String {
        field_name(&self.code, &self.criterion)
    }

    fn is_empty(&self) -> bool {
        self.score.trim().is_empty() && self.comment.trim().is_empty() && self.reason.trim().is_empty()
    }
}

/// See [`PostedAnswer::field`].
pub fn field_name(code: &str, criterion: &str) -> String {
    if criterion.is_empty() {
        code.to_owned()
    } else {
        format!("{code}~{criterion}")
    }
}

/// Reads the score field; the scale check itself is `ratings::record`'s.
pub fn parse_answer(code: &str, raw: &str) -> Result<Answer, ServiceError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Answer::Blank);
    }
    if raw.eq_ignore_ascii_case("u") {
        return Ok(Answer::Unable);
    }
    raw.parse::<i32>()
        .map(Answer::Score)
        .map_err(|_| ServiceError::invalid(code, format!("{code}: `{raw}` is not a score")))
}

fn to_input(posted: &PostedAnswer) -> Result<AnswerInput, ServiceError> {
    for (field, text) in [("comment", &posted.comment), ("reason", &posted.reason)] {
        if text.chars().count() > MAX_TEXT {
            return Err(ServiceError::invalid(
                &posted.code,
                format!(
                    "{}: the {field} is longer than {MAX_TEXT} characters",
                    posted.code
                ),
            ));
        }
    }
    Ok(AnswerInput {
        item_code: posted.code.clone(),
        answer: parse_answer(&posted.code, &posted.score)?,
        comment: Some(posted.comment.clone()),
        reason: Some(posted.reason.clone()),
    })
}

/// Names the item in a refusal so the page can point at it.
fn naming(code: &str, e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Invalid { field, reason } if field == code => ServiceError::Invalid { field, reason },
        ServiceError::Invalid { reason, .. } => ServiceError::Invalid {
            field: code.to_string(),
            reason: format!("{code}: {reason}"),
        },
        other => other,
    }
}

/// Saves the whole form (the page without JavaScript) in one transaction: one bad answer
/// refuses the post, names its item, and saves nothing. Items left blank are skipped rather
/// than cleared, because a radio button cannot be unticked: a blank means "not answered in
/// this form", and must not erase an answer autosaved from another device meanwhile. The
/// progress is not counted: the form's next page view shows it.
pub fn save_all(
    conn: &mut DbConnection,
    session: &ExpertSession,
    posted: &[PostedAnswer],
) -> Result<(), ServiceError> {
    let given: Vec<&PostedAnswer> = posted.iter().filter(|p| !p.is_empty()).collect();
    // The expert's-language checks read outside the single-writer section; `record_many`
    // checks again inside it, and stays the authority (a close racing the post).
    let codes = Round::item_ids_by_code(conn, session.round.id)?;
    let page = page_codes(conn, session)?;
    let mut inputs = Vec::with_capacity(given.len());
    for answer in &given {
        precheck(session, codes.contains_key(&answer.code), answer)?;
        refuse_off_page(session, page.as_ref(), answer)?;
        inputs.push(to_input(answer)?);
    }
    let batch: Vec<(&AnswerInput, &str)> = inputs
        .iter()
        .zip(&given)
        .map(|(input, answer)| (input, answer.criterion.as_str()))
        .collect();
    write_transaction(conn, |conn| {
        let saved =
            record_many(conn, session.invitation_id, &batch, Some(&*session.study)).map_err(|refusal| {
                match refusal.answer {
                    Some(n) => naming(&given[n].field(), refusal.error),
                    None => refusal.error,
                }
            })?;
        let noted: Vec<(Recorded, &str)> = saved
            .into_iter()
            .zip(&batch)
            .map(|(at, (_, criterion))| (at, *criterion))
            .collect();
        after_rating::note_answers(conn, session, &noted)
    })
}

/// Saves one answer (autosave). A blank score with no comment clears the answer.
pub fn save_one(
    conn: &mut DbConnection,
    session: &ExpertSession,
    posted: &PostedAnswer,
) -> Result<Progress, ServiceError> {
    // One answer: ask whether its item is in the round rather than listing every item.
    let in_round = Round::item_by_code(conn, session.round.id, &posted.code)?.is_some();
    precheck(session, in_round, posted)?;
    refuse_off_page(session, page_codes(conn, session)?.as_ref(), posted)?;
    let input = to_input(posted)?;
    let invitation_id = session.invitation_id;
    write_transaction(conn, |conn| {
        let criterion = posted.criterion.as_str();
        let saved = record_many(conn, invitation_id, &[(&input, criterion)], Some(&*session.study))
            .map_err(|refusal| refusal.error)?;
        let noted: Vec<(Recorded, &str)> = saved.into_iter().map(|at| (at, criterion)).collect();
        after_rating::note_answers(conn, session, &noted)
    })
    .map_err(|e| naming(&posted.field(), e))?;
    progress(conn, session)
}

/// Refuses, in the expert's own language, what `ratings::record` would refuse in English. That
/// function stays the authority (a race with a close is still caught there); this only makes
/// the common mistakes readable for an expert answering in French.
/// `in_round`: whether the answer's item is one of the round's.
fn precheck(session: &ExpertSession, in_round: bool, p: &PostedAnswer) -> Result<(), ServiceError> {
    let lang = session.lang;
    // Each criterion's answers are on its own scale (the study's unless it has one).
    let scale = session.study.scale_of(&p.criterion);
    let criteria = &session.study.file.criteria;
    // "M01, How feasible?: …": the summary names the item and, in a study with criteria, the
    // criterion as the expert reads it.
    let named = match criteria.iter().find(|c| c.key == p.criterion) {
        Some(criterion) => format!("{}, {}", p.code, criterion.label_in(lang)),
        None if p.criterion.is_empty() => p.code.clone(),
        None => format!("{}, {}", p.code, p.criterion),
    };
    let refuse = |key: &str, args: &[(&str, FluentValue<'_>)]| {
        ServiceError::invalid(
            p.field(),
            format!("{named}: {}", i18n::translate(lang, key, args)),
        )
    };
    let keys = || {
        criteria
            .iter()
            .map(|c| c.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if p.criterion.is_empty() && !criteria.is_empty() {
        return Err(refuse(
            "expert-error-no-criterion",
            &[("criteria", keys().into())],
        ));
    }
    if !p.criterion.is_empty() && !criteria.iter().any(|c| c.key == p.criterion) {
        return Err(refuse(
            "expert-error-unknown-criterion",
            &[
                ("criterion", p.criterion.clone().into()),
                ("criteria", keys().into()),
            ],
        ));
    }
    if !in_round {
        return Err(refuse("expert-error-not-in-round", &[]));
    }
    if p.comment.chars().count() > MAX_TEXT || p.reason.chars().count() > MAX_TEXT {
        return Err(refuse(
            "expert-error-too-long",
            &[("max", (MAX_TEXT as f64).into())],
        ));
    }
    match parse_answer(&p.code, &p.score) {
        Err(_) => Err(refuse(
            "expert-error-not-a-score",
            &[("value", p.score.trim().to_string().into())],
        )),
        Ok(Answer::Score(score)) if !scale.contains(score) => Err(refuse(
            "expert-error-off-scale",
            &[
                ("score", score.into()),
                ("min", scale.min().into()),
                ("max", scale.max().into()),
            ],
        )),
        Ok(Answer::Unable) if !scale.unable_to_score() => Err(refuse("expert-error-no-unable", &[])),
        _ => Ok(()),
    }
}

/// Marks the invitation submitted and queues the thank-you, in one transaction. Answers stay
/// editable until the round closes; submitting again confirms again.
pub fn submit(conn: &mut DbConnection, invitation_id: i64) -> Result<(), ServiceError> {
    write_transaction(conn, |conn| {
        let invitation = Invitation::by_id(conn, invitation_id)?
            .ok_or_else(|| ServiceError::NotFound("this invitation does not exist".into()))?;
        let round = Round::lock(conn, invitation.round_id, false)?;
        if !round.status.takes_answers(super::ratings::is_test_expert(
            conn,
            &round,
            invitation.expert_id,
        )?) {
            return Err(ServiceError::Conflict(format!(
                "round {} is closed; answers can no longer be submitted",
                round.number
            )));
        }
        Invitation::mark_submitted(conn, invitation.id, now())?;
        notify::thank_you(conn, invitation.id)?;
        Ok(())
    })
}

/// Stores a proposed item for the facilitator's triage (status `pending`).
pub fn suggest(
    conn: &mut DbConnection,
    session: &ExpertSession,
    text: &str,
    rationale: &str,
    section_key: &str,
) -> Result<(), ServiceError> {
    let text = text.trim();
    let rationale = rationale.trim();
    if text.is_empty() {
        return Err(ServiceError::invalid("text", "write the item you suggest"));
    }
    if text.chars().count() > MAX_TEXT || rationale.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid(
            "text",
            format!("a suggestion is limited to {MAX_TEXT} characters"),
        ));
    }
    write_transaction(conn, |conn| {
        let round = Round::lock(conn, session.round.id, false)?;
        let number = u32::try_from(round.number).unwrap_or(0);
        if round.status != RoundState::Open || !session.study.file.rounds.suggestions_in.contains(&number) {
            return Err(ServiceError::Conflict(format!(
                "suggestions are not collected in round {}",
                round.number
            )));
        }
        let section_id = Section::of_study(conn, session.study.id)?
            .into_iter()
            .find(|s| s.key == section_key)
            .map(|s| s.id);
        Suggestion::insert(
            conn,
            &NewSuggestion {
                study_id: session.study.id,
                round_id: round.id,
                expert_id: Some(session.expert_id),
                section_id,
                text: text.to_string(),
                rationale: (!rationale.is_empty()).then(|| rationale.to_string()),
                created_at: now(),
                code: None,
            },
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse() {
        assert!(matches!(parse_answer("M01", " 7 "), Ok(Answer::Score(7))));
        assert!(matches!(parse_answer("M01", "u"), Ok(Answer::Unable)));
        assert!(matches!(parse_answer("M01", ""), Ok(Answer::Blank)));
        match parse_answer("M01", "seven") {
            Err(ServiceError::Invalid { field, reason }) => {
                assert_eq!(field, "M01");
                assert!(reason.contains("M01"));
            }
            other => panic!("{other:?}"),
        }
    }
}
