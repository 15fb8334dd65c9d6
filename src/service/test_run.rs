//! The test run: a facilitator invites themself or colleagues as test experts to rehearse the
//! questionnaire, before round 1 opens or while a round is open. Their links work like the
//! panel's; their answers are kept apart.
//!
//! Kept apart how: test experts are experts marked `is_test`, and every lookup that feeds a
//! count, a result, an export or a mailing keeps to the panel through one filter
//! (`db::models::experts::on_panel`), so nothing here has to remember to exclude them. Before a
//! round opens, test experts answer it as a **draft**: the next round's row, asking the items
//! opening it now would ask (re-planned whenever a test expert loads a page, so edits show),
//! which rounds, plans and exports do not list. Opening the round turns that row into the
//! open round, so test experts keep their links.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::bounces::last_link_emails;
use super::rounds::{item_rows, planned_items};
use super::studies::{self, load};
use super::{tokens, Actor, ServiceError};
use crate::db::models::chnri_answers::ChnriAnswerRow;
use crate::db::models::experts::{Expert, ExpertFields};
use crate::db::models::invitations::Invitation;
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::rankings::Ranking;
use crate::db::models::ratings::Rating;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, StudyRow};
use crate::db::models::suggestions::Suggestion;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::outbox::{DeliveryState, OutboxStatus};
use crate::domain::round::{Participation, RoundKind, RoundState};
use crate::domain::study::Study;
use crate::domain::test_expert::NewTestExpert;
use crate::i18n;

/// Why no test expert can be invited now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocked {
    /// The study is finished.
    Finished,
    /// Every round `[rounds] max` allows has run.
    NoRoundsLeft,
    /// No round is open and the next one would have no item to ask.
    NoItems,
}

impl Blocked {
    /// The translation key saying so.
    pub fn key(self) -> &'static str {
        match self {
            Blocked::Finished => "test-blocked-finished",
            Blocked::NoRoundsLeft => "test-blocked-no-rounds-left",
            Blocked::NoItems => "test-blocked-no-items",
        }
    }
}

/// Which round a test expert invited now answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NextTest {
    /// The round open now.
    Open(i32),
    /// The next round, before it opens (as its draft).
    Rehearsal(i32),
    Blocked(Blocked),
}

/// One test expert and how far they got in the last round they were invited to.
#[derive(Debug, Clone, Serialize)]
pub struct TestExpertProgress {
    pub pseudonym: String,
    pub name: String,
    pub email: String,
    pub group_key: String,
    pub group: String,
    pub language: Option<String>,
    /// The round of their latest invitation (None once its draft was dropped).
    pub round: Option<i32>,
    /// That round has not opened yet: they rehearse it.
    pub rehearsal: bool,
    pub status: Participation,
    /// Items they answered (a score or "unable") of the items that round asks.
    pub answered: usize,
    pub items: usize,
    /// The last email with their link.
    pub email_state: DeliveryState,
    pub email_error: Option<String>,
}

/// The Test run page.
#[derive(Debug, Clone, Serialize)]
pub struct TestRun {
    pub next: NextTest,
    pub experts: Vec<TestExpertProgress>,
    /// (key, name) of the study's stakeholder groups, in order.
    pub groups: Vec<(String, String)>,
}

/// A test expert as the facilitator invites them.
#[derive(Debug, Clone)]
pub struct TestInvite {
    pub expert: NewTestExpert,
    /// A stakeholder group's key: whose pages they see (and, from round 2, whose feedback).
    pub group: String,
    /// The language of their pages and emails; None for the study's.
    pub language: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Invited {
    pub pseudonym: String,
    pub round: i32,
    pub rehearsal: bool,
    /// They had been invited to this round already: this is a new link (the earlier ones
    /// still work).
    pub again: bool,
}

/// What removing answers (or a test expert) took away.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub pseudonym: String,
    pub answers: usize,
}

/// The test run of the study `slug`: where a new test expert would answer, and every test
/// expert's progress.
pub fn overview(conn: &mut DbConnection, slug: &str) -> Result<TestRun, ServiceError> {
    let study = load(conn, slug)?;
    let emails = OutboxEmail::all(conn, Some(study.id))?;
    Ok(TestRun {
        next: next(conn, &study)?,
        experts: progress_with(conn, study.id, &last_link_emails(&emails))?,
        groups: Group::of_study(conn, study.id)?
            .into_iter()
            .map(|g| (g.key, g.name))
            .collect(),
    })
}

/// Every test expert's progress, for the dashboard; `last_email` from `last_link_emails`.
pub(crate) fn progress_with(
    conn: &mut DbConnection,
    study_id: i64,
    last_email: &HashMap<i64, &OutboxEmail>,
) -> Result<Vec<TestExpertProgress>, ServiceError> {
    let groups: HashMap<i64, Group> = Group::of_study(conn, study_id)?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    // Invitations come oldest round first, so the last one per expert is their latest.
    let mut latest: HashMap<i64, (Invitation, Round)> = HashMap::new();
    for (invitation, round) in Invitation::of_test_experts(conn, study_id)? {
        latest.insert(invitation.expert_id, (invitation, round));
    }
    let mut rows = Vec::new();
    for expert in Expert::tests_of_study(conn, study_id)? {
        let group = groups.get(&expert.group_id);
        let (round, rehearsal, status, answered, items) = match latest.get(&expert.id) {
            Some((invitation, round)) => (
                Some(round.number),
                round.status == RoundState::Draft,
                Participation::of(
                    invitation.submitted_at.is_some(),
                    expert.withdrawn_at.is_some(),
                    invitation.started_at.is_some(),
                    invitation.opened_at.is_some(),
                ),
                answered_items(conn, round, expert.id)?,
                Round::item_count(conn, round.id)?,
            ),
            None => (None, false, Participation::Invited, 0, 0),
        };
        let email = last_email.get(&expert.id);
        rows.push(TestExpertProgress {
            pseudonym: expert.pseudonym,
            name: expert.name,
            email: expert.email.unwrap_or_default(),
            group_key: group.map(|g| g.key.clone()).unwrap_or_default(),
            group: group.map(|g| g.name.clone()).unwrap_or_default(),
            language: expert.language,
            round,
            rehearsal,
            status,
            answered: usize::try_from(answered).unwrap_or(0),
            items: usize::try_from(items).unwrap_or(0),
            email_state: DeliveryState::of(email.map(|e| e.status)),
            email_error: email
                .filter(|e| e.status == OutboxStatus::Failed)
                .and_then(|e| e.last_error.clone()),
        });
    }
    Ok(rows)
}

/// The items of `round` the expert answered, whatever the round asks: a score or "unable to
/// score", at least one CHNRI question, or a place in their ranking.
fn answered_items(conn: &mut DbConnection, round: &Round, expert_id: i64) -> Result<i64, ServiceError> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    Ok(match round.kind {
        RoundKind::Chnri => {
            let items: HashSet<i64> = ChnriAnswerRow::of_expert(conn, round.id, expert_id)?
                .into_iter()
                .map(|a| a.item_id)
                .collect();
            count(items.len())
        }
        RoundKind::Ranking => count(Ranking::of_expert(conn, round.id, expert_id)?.len()),
        RoundKind::Rating | RoundKind::Ideas => Rating::answered_count(conn, round.id, expert_id)?,
    })
}

/// Where a test expert invited now would answer, written nowhere.
fn next(conn: &mut DbConnection, study: &Study) -> Result<NextTest, ServiceError> {
    if let Some(open) = Round::open_of_study(conn, study.id)? {
        return Ok(NextTest::Open(open.number));
    }
    if study.is_finished() {
        return Ok(NextTest::Blocked(Blocked::Finished));
    }
    let number = next_number(conn, study)?;
    if u32::try_from(number).unwrap_or(u32::MAX) > study.file.rounds.max {
        return Ok(NextTest::Blocked(Blocked::NoRoundsLeft));
    }
    match planned_items(conn, study) {
        Ok(_) => Ok(NextTest::Rehearsal(number)),
        Err(ServiceError::Conflict(_)) => Ok(NextTest::Blocked(Blocked::NoItems)),
        Err(e) => Err(e),
    }
}

/// The number the study's next round will have.
fn next_number(conn: &mut DbConnection, study: &Study) -> Result<i32, ServiceError> {
    Ok(Round::of_study(conn, study.id)?
        .last()
        .map(|r| r.number + 1)
        .unwrap_or(1))
}

/// The round a test expert invited now answers: the open round, else the next round's draft
/// (made, or brought up to date, here).
fn target_round(conn: &mut DbConnection, study: &Study, lang: &str) -> Result<Round, ServiceError> {
    match next(conn, study)? {
        NextTest::Open(_) => Ok(super::rounds::open_round(conn, study)?),
        NextTest::Rehearsal(number) => {
            let draft = match Round::draft_of_study(conn, study.id)? {
                Some(draft) => draft,
                None => Round::insert(
                    conn,
                    study.id,
                    number,
                    study.file.method.round_kind(),
                    RoundState::Draft,
                    None,
                    now(),
                )?,
            };
            sync_draft(conn, study, &draft)?;
            Ok(draft)
        }
        NextTest::Blocked(why) => Err(ServiceError::Conflict(i18n::translate(lang, why.key(), &[]))),
    }
}

/// Makes the draft ask what opening it now would ask; the study's pages are stamped when that
/// changed something, so pages cached from the old items are rebuilt.
fn sync_draft(conn: &mut DbConnection, study: &Study, draft: &Round) -> Result<(), ServiceError> {
    // A plan that cannot be made now (every item retired, say) leaves the draft as it was:
    // the round cannot open either, and the facilitator sees why on the Test run page.
    let Ok(items) = planned_items(conn, study) else {
        return Ok(());
    };
    if draft.number == next_number(conn, study)? && Round::set_items(conn, draft.id, &item_rows(&items))? {
        StudyRow::touch(conn, study.id, now())?;
    }
    Ok(())
}

/// Brings a draft round up to date with the study's items before a test expert's page reads
/// it; does nothing for any other round.
pub(crate) fn refresh_draft(conn: &mut DbConnection, round_id: i64) -> Result<(), ServiceError> {
    write_transaction(conn, |conn| {
        let Some(draft) = Round::by_id(conn, round_id)?.filter(|r| r.status == RoundState::Draft) else {
            return Ok(());
        };
        let study = studies::from_row(StudyRow::by_id(conn, draft.study_id)?)?;
        sync_draft(conn, &study, &draft)
    })
}

/// Drops the study's draft round with its test invitations and answers: a finished study
/// rehearses nothing. Runs inside the caller's transaction; how many rounds went (0 or 1).
pub(crate) fn drop_draft(conn: &mut DbConnection, study_id: i64) -> Result<usize, ServiceError> {
    Ok(match Round::draft_of_study(conn, study_id)? {
        Some(draft) => Round::delete_draft(conn, draft.id)?,
        None => 0,
    })
}

/// Invites a test expert (a new one, or again the one with this email) to the open round, or
/// to rehearse the next round before it opens, and queues the invitation email, its subject
/// marked as a test. Refusals are worded in `lang`, the facilitator's language.
pub fn invite(
    conn: &mut DbConnection,
    slug: &str,
    input: &TestInvite,
    lang: &str,
    links: &LinkBase,
    actor: &Actor,
) -> Result<Invited, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let say = |key: &str| i18n::translate(lang, key, &[]);
        let group = Group::of_study(conn, study.id)?
            .into_iter()
            .find(|g| g.key == input.group)
            .ok_or_else(|| ServiceError::invalid("group", say("test-problem-group")))?;
        let language = input.language.as_deref().filter(|l| !l.is_empty());
        if let Some(language) = language {
            if !i18n::expert_languages().contains(&language) {
                return Err(ServiceError::invalid("language", say("test-problem-language")));
            }
        }
        let email = input.expert.email.as_str();
        // As written, then in lower case, as the panel's addresses are looked up.
        let existing = match Expert::with_email(conn, study.id, email)? {
            Some(expert) => Some(expert),
            None => Expert::with_email(conn, study.id, &email.to_lowercase())?,
        };
        if existing.as_ref().is_some_and(|e| !e.is_test) {
            // The address is unique in a study; and a panel member must not see test pages.
            return Err(ServiceError::invalid("email", say("test-problem-email-on-panel")));
        }
        let round = target_round(conn, study, lang)?;
        let at = now();
        let email = existing
            .as_ref()
            .and_then(|e| e.email.clone())
            .unwrap_or_else(|| email.to_string());
        let fields = ExpertFields {
            group_id: group.id,
            email: Some(&email),
            name: &input.expert.name,
            country: None,
            language,
        };
        let expert = match existing {
            Some(expert) => {
                Expert::update(conn, expert.id, &fields, at)?;
                Expert::reinstate_test(conn, expert.id, at)?;
                Expert::by_id(conn, expert.id)?.ok_or_else(|| {
                    ServiceError::NotFound(format!("test expert {} vanished", expert.pseudonym))
                })?
            }
            None => Expert::insert_test(conn, study.id, &fields, at)?,
        };
        let (token, hash) = tokens::generate();
        let (invitation, again) = match Invitation::find(conn, round.id, expert.id)? {
            Some(invitation) => {
                Invitation::add_token(conn, invitation.id, &hash, "invitation", at)?;
                (invitation, true)
            }
            None => (Invitation::insert(conn, round.id, expert.id, &hash, at)?, false),
        };
        super::pages::add_late(conn, study, &round, &expert)?;
        let mut email_row = super::rounds::invitation_email(
            conn,
            study,
            &round,
            &expert,
            links,
            &token,
            invitation.id,
            again.then_some("test"),
            at,
        )?;
        let email_lang = crate::email::messages::language(study, &super::notify::recipient(&expert));
        email_row.subject = format!(
            "{} {}",
            i18n::translate(email_lang, "test-email-subject-prefix", &[]),
            email_row.subject
        );
        OutboxEmail::enqueue(conn, std::slice::from_ref(&email_row))?;
        let rehearsal = round.status == RoundState::Draft;
        super::audit::log(
            conn,
            study,
            actor,
            "test.invite",
            serde_json::json!({
                "expert": expert.pseudonym, "round": round.number, "before_opening": rehearsal,
                "again": again,
            }),
            at,
        )?;
        Ok(Invited {
            pseudonym: expert.pseudonym,
            round: round.number,
            rehearsal,
            again,
        })
    })
}

/// The study's test expert with this pseudonym; NotFound naming it.
fn test_expert(conn: &mut DbConnection, study: &Study, pseudonym: &str) -> Result<Expert, ServiceError> {
    Expert::tests_of_study(conn, study.id)?
        .into_iter()
        .find(|e| e.pseudonym == pseudonym)
        .ok_or_else(|| {
            ServiceError::NotFound(format!(
                "study `{}` has no test expert {pseudonym}; nothing was changed",
                study.slug
            ))
        })
}

/// Removes every answer and suggestion of a test expert, so they can start again; their
/// links keep working.
pub fn clear(
    conn: &mut DbConnection,
    slug: &str,
    pseudonym: &str,
    actor: &Actor,
) -> Result<Removed, ServiceError> {
    with_answers_removed(conn, slug, pseudonym, actor, "test.clear", |conn, expert| {
        Invitation::reset_progress(conn, expert.id)?;
        Ok(())
    })
}

/// Removes a test expert altogether: their answers, suggestions, invitations, links and emails
/// (those still waiting are not sent).
pub fn remove(
    conn: &mut DbConnection,
    slug: &str,
    pseudonym: &str,
    actor: &Actor,
) -> Result<Removed, ServiceError> {
    with_answers_removed(conn, slug, pseudonym, actor, "test.remove", |conn, expert| {
        OutboxEmail::delete_for_expert(conn, expert.study_id, expert.id, expert.email.as_deref())?;
        Expert::delete_test(conn, expert.id)?;
        Ok(())
    })
}

/// Removes every answer of the study's test expert `pseudonym` (ratings, CHNRI answers,
/// ranking lists) and their suggestions, then does `also`, and logs `action`.
fn with_answers_removed(
    conn: &mut DbConnection,
    slug: &str,
    pseudonym: &str,
    actor: &Actor,
    action: &str,
    also: impl FnOnce(&mut DbConnection, &Expert) -> Result<(), ServiceError>,
) -> Result<Removed, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let expert = test_expert(conn, study, pseudonym)?;
        let answers = Rating::delete_of_expert(conn, expert.id)?
            + ChnriAnswerRow::delete_of_expert(conn, expert.id)?
            + Ranking::delete_of_expert(conn, expert.id)?;
        Suggestion::delete_of_expert(conn, expert.id)?;
        also(conn, &expert)?;
        let details = serde_json::json!({ "expert": expert.pseudonym, "answers": answers });
        super::audit::log(conn, study, actor, action, details, now())?;
        Ok(Removed {
            pseudonym: expert.pseudonym,
            answers,
        })
    })
}
