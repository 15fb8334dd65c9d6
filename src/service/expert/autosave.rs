//! Autosave in one statement. Once a link has saved an answer through the full path
//! ([`save_one`](super::save_one): resolve the link, check in the expert's language, lock the
//! round, write, report progress — a dozen statements, each a round trip on PostgreSQL), its
//! next answers are written by one INSERT that checks the link, the round, the item and the
//! expert's page itself ([`Rating::save_checked`]) and returns the progress figures.
//!
//! Only what the database cannot check is checked here: the scale, the criteria and the
//! feedback timing, which live in the study's definition. They are checked against the study as
//! the full path last saw it for this link, and the statement compares the study's stamp, so a
//! study changed since is the full path's again. Anything unusual — a refusal of any kind, a
//! cleared answer, a draft round, a link not seen yet — is left to the full path, which saves it
//! or words the refusal exactly as before: this path never refuses anything itself.

use std::sync::Arc;

use super::{after_rating, parse_answer, ExpertSession, PostedAnswer, Progress, MAX_TEXT};
use crate::db::models::ratings::{CheckedAnswer, Rating};
use crate::db::now;
use crate::domain::answer::Answer;
use crate::domain::round::RoundKind;
use crate::domain::study::Study;
use crate::domain::token;
use crate::i18n;
use crate::service::cache::Recent;
use crate::service::pages::draws;
use crate::service::ratings::clean;
use crate::service::{Connection, ServiceError};

/// Links kept: a panel of a few thousand experts answering at once; each entry is a token
/// hash and two shared pointers.
const LINKS: usize = 20_000;

/// The links that have saved an answer through the full path, by token hash, with the study
/// and round as it saw them.
#[derive(Debug)]
pub struct SavedLinks(Recent<String, SavedLink>);

impl Default for SavedLinks {
    fn default() -> Self {
        SavedLinks(Recent::with_capacity(LINKS))
    }
}

#[derive(Debug)]
struct SavedLink {
    study: Arc<Study>,
    round_number: i32,
}

/// An answer saved in one statement: the expert's progress and the language of their pages.
#[derive(Debug, Clone, Copy)]
pub struct Saved {
    pub progress: Progress,
    pub lang: &'static str,
}

/// Notes that the link of `session` saved an answer through the full path.
pub fn remember(links: &SavedLinks, link_token: &str, session: &ExpertSession) {
    links.0.put(
        token::hash(link_token),
        &Arc::new(SavedLink {
            study: Arc::clone(&session.study),
            round_number: session.round.number,
        }),
    );
}

/// Saves `posted` in one statement if the link has saved before and everything allows it;
/// `None` (nothing written) sends the answer down the full path.
pub fn save(
    conn: &mut Connection,
    links: &SavedLinks,
    link_token: &str,
    posted: &PostedAnswer,
) -> Result<Option<Saved>, ServiceError> {
    if !token::is_well_formed(link_token) {
        return Ok(None);
    }
    let token_hash = token::hash(link_token);
    let Some(link) = links.0.get(&token_hash) else {
        return Ok(None);
    };
    let study = &link.study;
    let Some((score, unable)) = on_scale(study, posted) else {
        return Ok(None);
    };
    let comment = clean(Some(&posted.comment));
    if score.is_none() && !unable && comment.is_none() {
        // Clearing an answer: rare, and its rules (a row that keeps its pre-feedback answer)
        // are the full path's.
        return Ok(None);
    }
    let reason = clean(Some(&posted.reason));
    let answered = score.is_some() || unable;
    let answer = CheckedAnswer {
        token_hash: &token_hash,
        study_stamp: study.updated_at,
        round_number: link.round_number,
        item_code: &posted.code,
        criterion: &posted.criterion,
        score,
        unable,
        comment: comment.as_deref(),
        reason: reason.as_deref(),
        saved_at: now(),
        reveals_feedback: answered && after_rating::holds_in(study, link.round_number),
    };
    let Some(saved) = Rating::save_checked(conn, &answer)? else {
        return Ok(None);
    };
    // As `progress`: the items of the expert's drawn page, or of the round, once per criterion.
    let items = if draws(study, RoundKind::Rating) && saved.page_items > 0 {
        saved.page_items
    } else {
        saved.round_items
    };
    let per_item = i64::try_from(study.file.criteria.len().max(1)).unwrap_or(1);
    let progress = Progress {
        answered: usize::try_from(saved.answered_elsewhere + i64::from(answered)).unwrap_or(0),
        total: usize::try_from(items * per_item).unwrap_or(0),
    };
    let lang = i18n::for_reader(&[saved.expert_language.as_deref(), Some(&study.language)]);
    Ok(Some(Saved { progress, lang }))
}

/// The score and "unable to score" of `posted` when the full path would take them as they
/// are: a known criterion (or none in a study without criteria), texts within bounds, a score
/// on the scale. `None` for anything it would refuse.
fn on_scale(study: &Study, posted: &PostedAnswer) -> Option<(Option<i32>, bool)> {
    let criteria = &study.file.criteria;
    let known = if criteria.is_empty() {
        posted.criterion.is_empty()
    } else {
        criteria.iter().any(|c| c.key == posted.criterion)
    };
    let bounded = posted.comment.chars().count() <= MAX_TEXT && posted.reason.chars().count() <= MAX_TEXT;
    if !known || !bounded {
        return None;
    }
    let scale = study.scale_of(&posted.criterion);
    match parse_answer(&posted.code, &posted.score).ok()? {
        Answer::Score(score) if scale.contains(score) => Some((Some(score), false)),
        Answer::Unable if scale.unable_to_score() => Some((None, true)),
        Answer::Blank => Some((None, false)),
        Answer::Score(_) | Answer::Unable => None,
    }
}
