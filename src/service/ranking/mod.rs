//! The ranking round (issue 15, part 3): which items it offers and whom it invites (`plan`), the
//! answers typed in from elsewhere (`import`), and its results, computed from the frozen
//! answers by `domain::ranking::score` whenever they are read (`results`).
//!
//! A ranking round ends the study: closing it finishes the study (no round can follow), so the
//! ranking is the study's last word. Its results are not stored at close: they are a pure
//! function of the frozen lists and the study file, so reading them recomputes the same exact
//! numbers every time.

pub mod expert;
mod import;
mod plan;
mod results;

pub use import::{import_rankings, RankingsImported};
pub(crate) use plan::plan;
pub(crate) use results::compute;
pub use results::{
    ranking_answers, ranking_results, RankingAnswerLine, RankingGroupLine, RankingLine, RankingTable,
};

use crate::db::models::rounds::Round;
use crate::db::DbConnection;
use crate::domain::round::RoundKind;
use crate::service::ServiceError;

/// The kind of round `number` of `slug` (of its open round when None), or None when there is no
/// such round: the command line reads a responses file and shows results by the round's kind.
pub fn round_kind(
    conn: &mut DbConnection,
    slug: &str,
    number: Option<i32>,
) -> Result<Option<RoundKind>, ServiceError> {
    let study = crate::service::studies::load(conn, slug)?;
    let round = match number {
        Some(number) => Round::by_number(conn, study.id, number)?,
        None => Round::open_of_study(conn, study.id)?,
    };
    Ok(round.map(|r| r.kind))
}
