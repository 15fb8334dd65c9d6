//! The study's final list: every item with the status and statistics of the last closed round
//! that asked it (an item that reached consensus early and was not asked again keeps that
//! round's result), by section.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::results::{results, ResultLine, Scope};
use super::studies::load;
use super::ServiceError;
use crate::db::models::studies::Section;
use crate::db::DbConnection;
use crate::domain::rule::Status;

#[derive(Debug, Clone, Serialize)]
pub struct FinalSection {
    pub key: String,
    pub title: String,
    pub items: Vec<ResultLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FinalList {
    pub title: String,
    /// When and why the study finished; `None` while it runs (the list is then provisional).
    pub finished: Option<(NaiveDateTime, String)>,
    pub finished_local: Option<String>,
    pub last_round: Option<i32>,
    pub sections: Vec<FinalSection>,
    /// Items in consensus in, out, and without consensus.
    pub tally: [usize; 3],
}

pub fn final_list(conn: &mut DbConnection, slug: &str) -> Result<FinalList, ServiceError> {
    let study = load(conn, slug)?;
    let table = results(conn, slug, None, Scope::Pooled)?;
    // Rounds come in order, so the last line of an item is its latest result.
    let mut latest: BTreeMap<String, ResultLine> = BTreeMap::new();
    for line in table.lines {
        latest.insert(line.item_code.clone(), line);
    }
    let last_round = latest.values().map(|l| l.round).max();
    let mut tally = [0usize; 3];
    let mut sections: Vec<FinalSection> = Section::of_study(conn, study.id)?
        .into_iter()
        .map(|s| FinalSection {
            key: s.key,
            title: s.title,
            items: Vec::new(),
        })
        .collect();
    for line in latest.into_values() {
        tally[match line.status {
            Status::In => 0,
            Status::Out => 1,
            _ => 2,
        }] += 1;
        if let Some(section) = sections.iter_mut().find(|s| s.key == line.section) {
            section.items.push(line);
        }
    }
    for section in &mut sections {
        // In first, then out, then the rest; by code within each.
        section.items.sort_by_key(|l| {
            let rank = match l.status {
                Status::In => 0,
                Status::Out => 1,
                _ => 2,
            };
            (rank, l.item_code.clone())
        });
    }
    sections.retain(|s| !s.items.is_empty());
    let finished = study
        .finished_at
        .map(|at| (at, study.finish_reason.clone().unwrap_or_default()));
    Ok(FinalList {
        title: study.title.clone(),
        finished_local: study.finished_at.map(|at| study.local_time(at)),
        finished,
        last_round,
        sections,
        tally,
    })
}
