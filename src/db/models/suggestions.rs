use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::suggestions;
use crate::db::DbConnection;
use crate::domain::suggestion::SuggestionStatus;

/// An item proposed by an expert, waiting for the facilitator's triage.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = suggestions)]
pub struct Suggestion {
    pub id: i64,
    pub study_id: i64,
    pub round_id: i64,
    pub expert_id: Option<i64>,
    pub section_id: Option<i64>,
    pub text: String,
    pub rationale: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: SuggestionStatus,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub item_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

lookups!(Suggestion in suggestions {
    of_round(round_id) by suggestions::id.asc();
    of_study(study_id) by suggestions::id.asc();
});

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = suggestions)]
pub struct NewSuggestion {
    pub study_id: i64,
    pub round_id: i64,
    pub expert_id: Option<i64>,
    pub section_id: Option<i64>,
    pub text: String,
    pub rationale: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Suggestion {
    pub fn insert(conn: &mut DbConnection, new: &NewSuggestion) -> QueryResult<Suggestion> {
        diesel::insert_into(suggestions::table)
            .values(new)
            .returning(suggestions::all_columns)
            .get_result(conn)
    }
}

impl Suggestion {
    /// Records the triage of a pending suggestion; false if it was decided meanwhile.
    pub fn decide(
        conn: &mut DbConnection,
        id: i64,
        status: SuggestionStatus,
        reason: &str,
        decided_by: Option<i64>,
        item_id: Option<i64>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        diesel::update(
            suggestions::table
                .find(id)
                .filter(suggestions::status.eq(SuggestionStatus::Pending.as_str())),
        )
        .set((
            suggestions::status.eq(status.as_str()),
            suggestions::decision_reason.eq(reason),
            suggestions::decided_by.eq(decided_by),
            suggestions::decided_at.eq(at),
            suggestions::item_id.eq(item_id),
        ))
        .execute(conn)
        .map(|n| n == 1)
    }
}
