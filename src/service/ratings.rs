//! Recording answers: one at a time (the rating page) or a whole file (answers collected on
//! paper, by phone, or in another tool).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::studies::load;
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::page_items::PageItem;
use crate::db::models::ratings::{NewCriterionRating, NewRating, Rating};
use crate::db::models::rounds::Round;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::answer::Answer;
use crate::domain::file_error::{FileError, FileErrors};
use crate::domain::panel_file::EmailAddress;
use crate::domain::responses_file::{self, ParsedResponses, ResponseContext};
use crate::domain::scale::Scale;
use crate::domain::study::Study;
use crate::service::studies;

/// One answer as a person gives it.
#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub item_code: String,
    pub answer: Answer,
    pub comment: Option<String>,
    /// Why the score moved to another band since the previous round, when asked.
    pub reason: Option<String>,
}

/// Saves one answer of an invited expert, refusing — with a reason naming what is wrong —
/// when the round is not open, the item is not in the round, or the score is off the scale.
pub fn record(conn: &mut DbConnection, invitation_id: i64, input: &AnswerInput) -> Result<(), ServiceError> {
    write_transaction(conn, |conn| {
        record_many(conn, invitation_id, &[(input, "")], None)
            .map(|_| ())
            .map_err(|refusal| refusal.error)
    })
}

/// A refusal of answers saved together: the answer it is about (its index), or `None` when it
/// is about all of them (the round is closed, the link's invitation is gone).
#[derive(Debug)]
pub(crate) struct Refusal {
    pub answer: Option<usize>,
    pub error: ServiceError,
}

impl From<ServiceError> for Refusal {
    fn from(error: ServiceError) -> Self {
        Refusal { answer: None, error }
    }
}

impl From<diesel::result::Error> for Refusal {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::from(e).into()
    }
}

/// Saves answers of one expert — each an answer and its criterion (`""`: the item itself; the
/// caller has checked that a criterion is one of the study's), distinct items or criteria —
/// without its own transaction: the caller's makes them all or nothing. The link, the round
/// and the expert's page are read once, every answer is checked, and the answers are written in
/// one multi-row statement (a form of 60 answers was 60 × 5 statements in the single-writer
/// section). Refuses when the round takes no answers, an item is not in the round or not on the
/// expert's page, or a score is off its criterion's scale. `study`: the study when the caller
/// already has it (its scales never change after it is created); otherwise it is read.
/// Returns where each answer was saved, in order.
pub(crate) fn record_many(
    conn: &mut DbConnection,
    invitation_id: i64,
    answers: &[(&AnswerInput, &str)],
    study: Option<&Study>,
) -> Result<Vec<Recorded>, Refusal> {
    let invitation = Invitation::by_id(conn, invitation_id)?
        .ok_or_else(|| ServiceError::NotFound("this invitation does not exist".into()))?;
    // Shares the round's row lock with other answers; a close waits for us or we see it closed.
    let round = Round::lock(conn, invitation.round_id, false)?;
    let is_test = is_test_expert(conn, &round, invitation.expert_id)?;
    require_taking_answers(&round, is_test)?;
    let loaded;
    let study = match study {
        Some(study) => study,
        None => {
            let row = crate::db::models::studies::StudyRow::by_id(conn, round.study_id)?;
            loaded = load(conn, &row.slug)?;
            if !loaded.file.criteria.is_empty() {
                // One score per item would be about no criterion and count nowhere.
                return Err(ServiceError::invalid(
                    "criterion",
                    "this study rates every item on several criteria: answer each criterion \
                     (a responses import with a `criterion` column)",
                )
                .into());
            }
            &loaded
        }
    };
    // One answer (an autosave) asks for its item; a form reads the round's items once.
    let items = match answers.len() {
        0 | 1 => None,
        _ => Some(Round::item_ids_by_code(conn, round.id)?),
    };
    let page = PageItem::of_expert(conn, round.id, invitation.expert_id)?;
    let at = now();
    let mut plain = Vec::new();
    let mut on_criteria = Vec::new();
    let mut recorded = Vec::with_capacity(answers.len());
    for (n, (input, criterion)) in answers.iter().enumerate() {
        let refused = |error| Refusal {
            answer: Some(n),
            error,
        };
        let item_id = match &items {
            Some(items) => items.get(&input.item_code).copied(),
            None => Round::item_by_code(conn, round.id, &input.item_code)?,
        };
        let item_id = item_id.ok_or_else(|| {
            refused(ServiceError::invalid(
                "item",
                format!("item `{}` is not part of round {}", input.item_code, round.number),
            ))
        })?;
        crate::service::pages::require_on_page(&page, &round, item_id, &input.item_code).map_err(refused)?;
        let (score, unable) = on_scale(study.scale_of(criterion), input.answer).map_err(refused)?;
        let comment = clean(input.comment.as_deref());
        let reason = clean(input.reason.as_deref());
        if score.is_none() && !unable && comment.is_none() {
            Rating::clear(conn, round.id, item_id, invitation.expert_id, criterion, at)?;
        } else {
            let rating = NewRating {
                round_id: round.id,
                item_id,
                expert_id: invitation.expert_id,
                score,
                unable,
                comment,
                reason,
                saved_at: at,
            };
            if criterion.is_empty() {
                plain.push(rating);
            } else {
                on_criteria.push(NewCriterionRating {
                    criterion: (*criterion).to_owned(),
                    rating,
                });
            }
        }
        recorded.push(Recorded {
            round_id: round.id,
            item_id,
            expert_id: invitation.expert_id,
        });
    }
    Rating::upsert_many(conn, &plain)?;
    Rating::upsert_many_on_criteria(conn, &on_criteria)?;
    // Only the first answer writes the start; later ones skip a statement in the one
    // section that SQLite runs for a single writer at a time.
    if invitation.started_at.is_none() && !answers.is_empty() {
        Invitation::mark_started(conn, invitation.id, at)?;
    }
    Ok(recorded)
}

/// The score and "unable to score" of an answer, if the scale has them.
fn on_scale(scale: &Scale, answer: Answer) -> Result<(Option<i32>, bool), ServiceError> {
    match answer {
        Answer::Score(score) if scale.contains(score) => Ok((Some(score), false)),
        Answer::Score(score) => Err(ServiceError::invalid(
            "score",
            format!("{score} is not on the scale {}–{}", scale.min(), scale.max()),
        )),
        Answer::Unable if scale.unable_to_score() => Ok((None, true)),
        Answer::Unable => Err(ServiceError::invalid(
            "score",
            "this study does not offer \"unable to score\"",
        )),
        Answer::Blank => Ok((None, false)),
    }
}

/// Where [`record_many`] saved an answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recorded {
    pub round_id: i64,
    pub item_id: i64,
    pub expert_id: i64,
}

/// Whether the answers of `expert_id` to `round` are a test expert's. Asked only of a draft
/// round (which only test experts answer): an open round takes everyone's answers anyway.
pub(crate) fn is_test_expert(
    conn: &mut DbConnection,
    round: &Round,
    expert_id: i64,
) -> Result<bool, ServiceError> {
    if round.status != crate::domain::round::RoundState::Draft {
        return Ok(false);
    }
    Ok(Expert::by_id(conn, expert_id)?.is_some_and(|e| e.is_test))
}

/// Trimmed text, or None when nothing is left.
pub(crate) fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ResponsesImported {
    pub round: i32,
    pub saved: usize,
    pub cleared: usize,
    pub experts: usize,
}

/// What a responses import wrote, for `ImportTarget::imported`.
pub(crate) struct Saved<'a> {
    /// The experts whose answers the file held.
    pub touched: &'a BTreeSet<i64>,
    pub saved: usize,
    pub cleared: usize,
}

/// Answers are taken while the round is open, and in the draft a test expert rehearses.
pub(crate) fn require_taking_answers(round: &Round, is_test: bool) -> Result<(), ServiceError> {
    if round.status.takes_answers(is_test) {
        return Ok(());
    }
    Err(ServiceError::Conflict(format!(
        "round {} is closed; answers can no longer be changed",
        round.number
    )))
}

/// What a file of answers typed in from elsewhere (ratings, CHNRI answers, rankings) is
/// written into: the open round, locked, with the experts and items the file may name and the
/// invitations of the round.
pub(crate) struct ImportTarget {
    pub round: Round,
    /// The panel's experts by email.
    pub by_email: HashMap<String, i64>,
    /// The round's items by code.
    pub codes: HashMap<String, i64>,
    /// The round's invitations by expert.
    pub invited: HashMap<i64, i64>,
}

impl ImportTarget {
    /// The study's open round, locked; `with_tests`: test experts may be named too.
    pub(crate) fn open(
        conn: &mut DbConnection,
        study: &Study,
        with_tests: bool,
    ) -> Result<Self, ServiceError> {
        let open = Round::open_of_study(conn, study.id)?.ok_or_else(|| {
            ServiceError::Conflict(format!(
                "study `{}` has no open round to import answers into",
                study.slug
            ))
        })?;
        let round = Round::lock(conn, open.id, false)?;
        let by_email = Expert::of_study(conn, study.id)?
            .into_iter()
            .filter(|e| with_tests || !e.is_test)
            .filter_map(|e| e.email.map(|email| (email, e.id)))
            .collect();
        let in_round: BTreeSet<i64> = Round::items(conn, round.id)?
            .into_iter()
            .map(|ri| ri.item_id)
            .collect();
        let codes = Item::of_study(conn, study.id)?
            .into_iter()
            .filter(|i| in_round.contains(&i.id))
            .map(|i| (i.code, i.id))
            .collect();
        let invited = Invitation::of_round(conn, round.id)?
            .into_iter()
            .map(|inv| (inv.expert_id, inv.id))
            .collect();
        Ok(ImportTarget {
            round,
            by_email,
            codes,
            invited,
        })
    }

    /// The emails a file may name.
    pub(crate) fn emails(&self) -> BTreeSet<EmailAddress> {
        self.by_email
            .keys()
            .filter_map(|e| EmailAddress::parse(e).ok())
            .collect()
    }

    /// The item codes a file may name.
    pub(crate) fn item_codes(&self) -> BTreeSet<String> {
        self.codes.keys().cloned().collect()
    }

    /// The problem of a row on line `line` of `file` for `expert`, when the round did not invite
    /// them.
    pub(crate) fn not_invited(&self, file: &str, line: u64, expert: &str) -> Option<FileError> {
        let invited = self
            .by_email
            .get(expert)
            .is_some_and(|id| self.invited.contains_key(id));
        (!invited).then(|| {
            FileError::field(
                file,
                line,
                "expert",
                format!("`{expert}` was not invited to round {}", self.round.number),
            )
        })
    }

    /// The end of every responses import (ratings, CHNRI answers): answers collected on paper
    /// or by phone are the expert's finished questionnaire, so each invitation counts as
    /// submitted and reminders stop going to them; then the import is audited.
    pub(crate) fn imported(
        &self,
        conn: &mut DbConnection,
        actor: &Actor,
        file: &str,
        saved: Saved<'_>,
        at: chrono::NaiveDateTime,
    ) -> Result<ResponsesImported, ServiceError> {
        let round = self.round.number;
        for expert_id in saved.touched {
            Invitation::mark_started(conn, self.invited[expert_id], at)?;
            Invitation::mark_submitted(conn, self.invited[expert_id], at)?;
        }
        AuditEntry::append(
            conn,
            Some(self.round.study_id),
            &actor.0,
            "responses.import",
            &serde_json::json!({ "file": file, "round": round, "saved": saved.saved, "cleared": saved.cleared }),
            at,
        )?;
        Ok(ResponsesImported {
            round,
            saved: saved.saved,
            cleared: saved.cleared,
            experts: saved.touched.len(),
        })
    }
}

/// Writes a responses file into the open round: validated as a whole first (every problem
/// reported with its line), then all rows in one transaction. Re-importing replaces the
/// answers of those experts for those items.
pub fn import_responses(
    conn: &mut DbConnection,
    slug: &str,
    parsed: &ParsedResponses,
    actor: &Actor,
) -> Result<ResponsesImported, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let target = ImportTarget::open(conn, study, true)?;
        let (round, by_email, codes) = (&target.round, &target.by_email, &target.codes);
        let context = ResponseContext {
            experts: target.emails(),
            items: target.item_codes(),
            scale_min: study.scale.min(),
            scale_max: study.scale.max(),
            unable_allowed: study.scale.unable_to_score(),
            criteria: study
                .file
                .criterion_keys()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            criterion_scales: study
                .file
                .criteria
                .iter()
                .filter_map(|c| Some((c.key.clone(), c.scale.clone()?)))
                .collect(),
        };
        let checked = responses_file::validate_against(parsed, &context)?;
        let mut errors = FileErrors::new();
        let pages = crate::service::pages::pages_of_round(conn, round.id)?;
        for row in checked.rows() {
            let expert_id = by_email.get(row.expert.as_str()).copied().unwrap_or_default();
            errors.extend(target.not_invited(&parsed.file, row.line, row.expert.as_str()));
            let off_page = pages
                .get(&expert_id)
                .is_some_and(|page| codes.get(&row.item).is_some_and(|id| !page.contains(id)));
            if off_page {
                errors.push(FileError::field(
                    &parsed.file,
                    row.line,
                    "item",
                    format!(
                        "`{}` is not on the page of {} in round {}: each expert rates only the items \
                         given to them ([rounds] items_per_expert)",
                        row.item, row.expert, round.number
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let at = now();
        let mut upserts = Vec::with_capacity(checked.rows().len());
        let mut cleared = 0;
        let mut touched = BTreeSet::new();
        for row in checked.rows() {
            let expert_id = by_email[row.expert.as_str()];
            let item_id = codes[&row.item];
            touched.insert(expert_id);
            let comment = clean(row.comment.as_deref());
            let (score, unable) = match row.answer {
                Answer::Score(s) => (Some(s), false),
                Answer::Unable => (None, true),
                Answer::Blank => (None, false),
            };
            if score.is_none() && !unable && comment.is_none() {
                cleared += Rating::clear(conn, round.id, item_id, expert_id, &row.criterion, at)?;
            } else {
                upserts.push(NewCriterionRating {
                    criterion: row.criterion.clone(),
                    rating: NewRating {
                        round_id: round.id,
                        item_id,
                        expert_id,
                        score,
                        unable,
                        comment,
                        reason: None,
                        saved_at: at,
                    },
                });
            }
        }
        let saved = if study.file.criteria.is_empty() {
            // The plain path keeps the big-import tuning of `upsert_many`.
            let plain: Vec<NewRating> = upserts.into_iter().map(|r| r.rating).collect();
            Rating::upsert_many(conn, &plain)?
        } else {
            Rating::upsert_many_on_criteria(conn, &upserts)?
        };
        let saved = Saved {
            touched: &touched,
            saved,
            cleared,
        };
        target.imported(conn, actor, &parsed.file, saved, at)
    })
}
