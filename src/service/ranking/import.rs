//! Ranking lists typed in from elsewhere (paper forms, another tool) into the open ranking
//! round: the whole file checked first, every problem named with its line and column, then
//! every expert's list replaced in one transaction. Nothing is saved when anything is wrong.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::db::models::invitations::Invitation;
use crate::db::models::rankings::{NewRanking, Ranking};
use crate::db::{now, DbConnection};
use crate::domain::file_error::FileErrors;
use crate::domain::ranking::{validate_rankings, ParsedRankings};
use crate::domain::round::RoundKind;
use crate::service::audit;
use crate::service::ratings::ImportTarget;
use crate::service::{studies, Actor, ServiceError};

#[derive(Debug, Clone, Serialize)]
pub struct RankingsImported {
    pub round: i32,
    /// Items placed, over all experts.
    pub saved: usize,
    pub experts: usize,
}

/// Writes a rankings file into the open ranking round. An expert in the file gets exactly the
/// list the file gives them (a re-import replaces it).
pub fn import_rankings(
    conn: &mut DbConnection,
    slug: &str,
    parsed: &ParsedRankings,
    actor: &Actor,
) -> Result<RankingsImported, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        // A rankings file names the panel's experts, never test experts.
        let target = ImportTarget::open(conn, study, false)?;
        let round = &target.round;
        if round.kind != RoundKind::Ranking {
            return Err(ServiceError::Conflict(format!(
                "round {} of `{slug}` is a {} round: its responses file has the columns expert,item,score",
                round.number, round.kind
            )));
        }
        let choose = study
            .file
            .ranking
            .as_ref()
            .map(|r| r.choose)
            .ok_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no [ranking] table")))?;
        validate_rankings(parsed, &target.emails(), &target.item_codes(), choose)?;
        let mut errors = FileErrors::new();
        let mut lists: BTreeMap<i64, Vec<NewRanking>> = BTreeMap::new();
        let at = now();
        for row in &parsed.rows {
            let (Some(&expert_id), Some(&item_id)) = (
                target.by_email.get(row.expert.as_str()),
                target.codes.get(&row.item),
            ) else {
                continue;
            };
            if let Some(problem) = target.not_invited(&parsed.file, row.line, row.expert.as_str()) {
                errors.push(problem);
                continue;
            }
            lists.entry(expert_id).or_default().push(NewRanking {
                round_id: round.id,
                expert_id,
                item_id,
                position: i32::try_from(row.position).unwrap_or(i32::MAX),
                saved_at: at,
            });
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut saved = 0;
        for (expert_id, rows) in &lists {
            saved += Ranking::replace(conn, round.id, *expert_id, rows)?;
            // Answers collected elsewhere are the expert's finished list: reminders stop.
            Invitation::mark_started(conn, target.invited[expert_id], at)?;
            Invitation::mark_submitted(conn, target.invited[expert_id], at)?;
        }
        audit::log(
            conn,
            study,
            actor,
            "rankings.import",
            serde_json::json!({ "file": parsed.file, "round": round.number, "saved": saved, "experts": lists.len() }),
            at,
        )?;
        Ok(RankingsImported {
            round: round.number,
            saved,
            experts: lists.len(),
        })
    })
}
