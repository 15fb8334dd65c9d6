//! Ranking lists typed in from elsewhere (paper forms, another tool) into the open ranking
//! round: the whole file checked first, every problem named with its line and column, then
//! every expert's list replaced in one transaction. Nothing is saved when anything is wrong.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::rankings::{NewRanking, Ranking};
use crate::db::models::rounds::Round;
use crate::db::{now, DbConnection};
use crate::domain::file_error::FileErrors;
use crate::domain::panel_file::EmailAddress;
use crate::domain::ranking::{validate_rankings, ParsedRankings};
use crate::domain::round::RoundKind;
use crate::service::audit;
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
        let open = crate::service::ratings::open_for_import(conn, study)?;
        if open.kind != RoundKind::Ranking {
            return Err(ServiceError::Conflict(format!(
                "round {} of `{slug}` is a {} round: its responses file has the columns expert,item,score",
                open.number, open.kind
            )));
        }
        let choose = study
            .file
            .ranking
            .as_ref()
            .map(|r| r.choose)
            .ok_or_else(|| ServiceError::Conflict(format!("study `{slug}` has no [ranking] table")))?;
        let round = Round::lock(conn, open.id, false)?;
        let by_email: HashMap<String, i64> = Expert::of_study(conn, study.id)?
            .into_iter()
            .filter(|e| !e.is_test)
            .filter_map(|e| e.email.map(|email| (email, e.id)))
            .collect();
        let codes: HashMap<String, i64> = Item::of_study(conn, study.id)?
            .into_iter()
            .map(|i| (i.code, i.id))
            .collect();
        let in_round: BTreeSet<i64> = Round::items(conn, round.id)?
            .into_iter()
            .map(|ri| ri.item_id)
            .collect();
        let experts: BTreeSet<EmailAddress> = by_email
            .keys()
            .filter_map(|e| EmailAddress::parse(e).ok())
            .collect();
        let items: BTreeSet<String> = codes
            .iter()
            .filter(|(_, id)| in_round.contains(id))
            .map(|(code, _)| code.clone())
            .collect();
        validate_rankings(parsed, &experts, &items, choose)?;
        let invited: HashMap<i64, i64> = Invitation::of_round(conn, round.id)?
            .into_iter()
            .map(|inv| (inv.expert_id, inv.id))
            .collect();
        let mut errors = FileErrors::new();
        let mut lists: BTreeMap<i64, Vec<NewRanking>> = BTreeMap::new();
        let at = now();
        for row in &parsed.rows {
            let (Some(&expert_id), Some(&item_id)) =
                (by_email.get(row.expert.as_str()), codes.get(&row.item))
            else {
                continue;
            };
            if !invited.contains_key(&expert_id) {
                errors.push(crate::service::ratings::not_invited(
                    &parsed.file,
                    row.line,
                    row.expert.as_str(),
                    &round,
                ));
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
            Invitation::mark_started(conn, invited[expert_id], at)?;
            Invitation::mark_submitted(conn, invited[expert_id], at)?;
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
