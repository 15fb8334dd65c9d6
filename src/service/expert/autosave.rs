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
//!
//! The server queues these statements for one committer per store ([`Autosaves`]), which
//! writes what queued together in one transaction (`service::group_commit`): on PostgreSQL
//! with Debian's defaults a commit waits for the disk, and one commit per autosave was what
//! capped autosaves near 2,000 a second (BENCHMARKS.md). Each expert is answered only after
//! their group's commit, and each statement keeps its own outcome, so nothing a 204 says
//! changes; a group that fails is rolled back and each of its answers saved on its own.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::{after_rating, parse_answer, ExpertSession, PostedAnswer, Progress, MAX_TEXT};
use crate::db::models::ratings::{CheckedAnswer, CheckedSave, Rating};
use crate::db::{now, Db, DbError};
use crate::domain::answer::Answer;
use crate::domain::round::RoundKind;
use crate::domain::study::Study;
use crate::domain::token;
use crate::i18n;
use crate::service::cache::Recent;
use crate::service::group_commit::{Committer, Outcome};
use crate::service::pages::draws;
use crate::service::ratings::clean;
use crate::service::{Connection, ServiceError, Store};

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

/// How long the committer's connection waits for a row lock (a close holding the round, a
/// whole form of the same expert) before it gives its group back, every answer then saved on
/// its own as without a committer: one long transaction must not stall every expert's
/// autosave, and the group must give up before PostgreSQL's deadlock check (`deadlock_timeout`,
/// 1 s by default) would cancel the other transaction instead.
const LOCK_WAIT: Duration = Duration::from_millis(100);

/// After a failed connection, how long the committer gives every group back before it tries
/// to connect again.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// A store's autosave committer (`[database] autosave_batch`), started by its first autosave:
/// a command-line process never starts one.
pub struct Autosaves {
    db: Db,
    most: usize,
    committer: OnceLock<Option<Committer<CheckedAnswer, Option<CheckedSave>>>>,
}

impl std::fmt::Debug for Autosaves {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Autosaves").field("most", &self.most).finish()
    }
}

impl Autosaves {
    /// At most `most` autosaves a commit; 1 leaves every autosave to its request.
    pub fn new(db: Db, most: u32) -> Self {
        Autosaves {
            db,
            most: usize::try_from(most).unwrap_or(1).max(1),
            committer: OnceLock::new(),
        }
    }

    /// Queues `answer` for the committer; `Alone` when there is none (grouping is off, or its
    /// thread could not start).
    async fn submit(&self, answer: CheckedAnswer) -> Outcome<CheckedAnswer, Option<CheckedSave>> {
        if self.most == 1 {
            return Outcome::Alone(answer);
        }
        let committer = self.committer.get_or_init(|| {
            let mut writer = Writer {
                db: self.db.clone(),
                conn: None,
                retry_at: None,
            };
            Committer::start(
                "autosave-commits",
                self.most,
                self.db.patience(),
                move |answers| writer.write(answers),
            )
            .inspect_err(|e| tracing::error!(error = %e, "the autosave committer did not start"))
            .ok()
        });
        match committer {
            Some(committer) => committer.submit(answer).await,
            None => Outcome::Alone(answer),
        }
    }
}

/// The committer's side: its own connection, opened when first needed and again after a
/// failure.
struct Writer {
    db: Db,
    conn: Option<Connection>,
    retry_at: Option<Instant>,
}

impl Writer {
    /// Every answer's outcome, committed together; `None` when the group was rolled back
    /// (or no connection could be had), and its answers are to be saved on their own.
    fn write(&mut self, answers: &[CheckedAnswer]) -> Option<Vec<Option<CheckedSave>>> {
        if self.conn.is_none() {
            if self.retry_at.is_some_and(|at| Instant::now() < at) {
                return None;
            }
            match self.db.dedicated(LOCK_WAIT) {
                Ok(conn) => self.conn = Some(conn),
                Err(e) => {
                    tracing::warn!(error = %e, "the autosave committer cannot connect; autosaves commit one by one");
                    self.retry_at = Some(Instant::now() + RECONNECT_AFTER);
                    return None;
                }
            }
        }
        let conn = self.conn.as_mut()?;
        match Rating::save_checked_together(conn, answers) {
            Ok(saved) => Some(saved),
            Err(e) => {
                // A lock wait given up, a lost connection, or an answer's own error: each is
                // found again, and answered, when the answers are saved on their own. The
                // connection is kept only when the server refused a statement and it is known
                // to be sound (a bad answer must not cost a reconnection).
                tracing::debug!(error = %e, answers = answers.len(), "an autosave group was rolled back");
                let refused = matches!(e, diesel::result::Error::DatabaseError(..));
                if !refused || DbError::Query(e).is_unavailable() {
                    self.conn = None;
                }
                None
            }
        }
    }
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
    let Some((answer, counting)) = prepare(links, link_token, posted) else {
        return Ok(None);
    };
    let row = Rating::save_checked(conn, &answer)?;
    Ok(row.map(|row| counting.saved(&row)))
}

/// [`save`] as the server runs it: the statement is queued for the store's autosave committer
/// (group commit, [`Autosaves`]) and answered once its group is committed. A group that failed
/// is rolled back and each of its answers saved on its own, as [`save`] does.
pub async fn save_grouped(
    store: &Store,
    links: &SavedLinks,
    link_token: &str,
    posted: &PostedAnswer,
) -> Result<Option<Saved>, ServiceError> {
    let Some((answer, counting)) = prepare(links, link_token, posted) else {
        return Ok(None);
    };
    let row = match store.autosaves().submit(answer).await {
        Outcome::Done(row) => row,
        Outcome::Alone(answer) => {
            store
                .run(move |conn| Ok::<_, ServiceError>(Rating::save_checked(conn, &answer)?))
                .await?
        }
        Outcome::Unavailable(why) => return Err(ServiceError::Db(DbError::Unavailable(why.into()))),
    };
    Ok(row.map(|row| counting.saved(&row)))
}

/// What turns the statement's figures into a [`Saved`].
struct Counting {
    study: Arc<Study>,
    /// A score or "unable to score", which counts in the progress.
    answered: bool,
}

/// The statement for `posted` if the link has saved before and the study's definition takes
/// the answer as it is; `None` sends it down the full path. No database work.
fn prepare(links: &SavedLinks, link_token: &str, posted: &PostedAnswer) -> Option<(CheckedAnswer, Counting)> {
    if !token::is_well_formed(link_token) {
        return None;
    }
    let token_hash = token::hash(link_token);
    let link = links.0.get(&token_hash)?;
    let study = &link.study;
    let (score, unable) = on_scale(study, posted)?;
    let comment = clean(Some(&posted.comment));
    if score.is_none() && !unable && comment.is_none() {
        // Clearing an answer: rare, and its rules (a row that keeps its pre-feedback answer)
        // are the full path's.
        return None;
    }
    let answered = score.is_some() || unable;
    Some((
        CheckedAnswer {
            token_hash,
            study_stamp: study.updated_at,
            round_number: link.round_number,
            item_code: posted.code.clone(),
            criterion: posted.criterion.clone(),
            score,
            unable,
            comment,
            reason: clean(Some(&posted.reason)),
            saved_at: now(),
            reveals_feedback: answered && after_rating::holds_in(study, link.round_number),
        },
        Counting {
            study: Arc::clone(study),
            answered,
        },
    ))
}

impl Counting {
    /// The expert's progress as `progress` counts it: the items of their drawn page, or of the
    /// round, once per criterion.
    fn saved(&self, row: &CheckedSave) -> Saved {
        let study = &self.study;
        let items = if draws(study, RoundKind::Rating) && row.page_items > 0 {
            row.page_items
        } else {
            row.round_items
        };
        let per_item = i64::try_from(study.file.criteria.len().max(1)).unwrap_or(1);
        let progress = Progress {
            answered: usize::try_from(row.answered_elsewhere + i64::from(self.answered)).unwrap_or(0),
            total: usize::try_from(items * per_item).unwrap_or(0),
        };
        let lang = i18n::for_reader(&[row.expert_language.as_deref(), Some(&study.language)]);
        Saved { progress, lang }
    }
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
