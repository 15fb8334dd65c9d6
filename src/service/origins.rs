//! Where a study's items came from, as the ideas round left it: the proposals each item was
//! made from and the evidence notes attached to it. Read by the content, the item lists and the
//! experts' pages; written by `ideas`.

use std::collections::HashMap;

use super::ServiceError;
use crate::db::models::evidence::Evidence;
use crate::db::models::rounds::Round;
use crate::db::models::suggestions::Suggestion;
use crate::db::DbConnection;
use crate::domain::study::Study;

/// The proposals each item came from, by item id, in code order ("from proposals P003, P011").
pub fn provenance(conn: &mut DbConnection, study: &Study) -> Result<HashMap<i64, Vec<String>>, ServiceError> {
    let Some(round) = Round::ideas_of_study(conn, study.id)? else {
        return Ok(HashMap::new());
    };
    let mut from: HashMap<i64, Vec<String>> = HashMap::new();
    for s in Suggestion::of_round(conn, round.id)? {
        if let (Some(item), Some(code)) = (s.item_id, s.code) {
            from.entry(item).or_default().push(code);
        }
    }
    Ok(from)
}

/// The evidence notes of the study's items, by item id, in order.
pub fn evidence(conn: &mut DbConnection, study_id: i64) -> Result<HashMap<i64, Vec<Evidence>>, ServiceError> {
    let mut notes: HashMap<i64, Vec<Evidence>> = HashMap::new();
    for note in Evidence::of_study(conn, study_id)? {
        notes.entry(note.item_id).or_default().push(note);
    }
    Ok(notes)
}
