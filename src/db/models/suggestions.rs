use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, values};
use crate::db::models::experts::on_panel;
use crate::db::schema::{experts, suggestions};
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
    /// `P001`, … for a proposal of the ideas round; none for a suggestion made while rating.
    pub code: Option<String>,
    /// Why a proposal was set aside (`SetAside`), when it was.
    pub set_aside: Option<String>,
    /// For `already_answered`: the citation that answers it, and its optional link.
    pub source: Option<String>,
    pub source_link: Option<String>,
}

impl Suggestion {
    /// The suggestions of the study's panel, oldest first: a test expert's suggestion never
    /// reaches the triage (nor, through it, a later round).
    pub fn of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Suggestion>> {
        Suggestion::of_panel(conn, Some(study_id), None)
    }

    /// The panel's suggestions made in the round, oldest first.
    pub fn of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<Suggestion>> {
        Suggestion::of_panel(conn, None, Some(round_id))
    }

    /// Suggestions of a study or a round whose author is on the panel (or erased).
    fn of_panel(
        conn: &mut DbConnection,
        study_id: Option<i64>,
        round_id: Option<i64>,
    ) -> QueryResult<Vec<Suggestion>> {
        let panel = experts::table.filter(on_panel()).select(experts::id);
        let mut query = suggestions::table
            .filter(
                suggestions::expert_id
                    .is_null()
                    .or(suggestions::expert_id.assume_not_null().eq_any(panel)),
            )
            .order(suggestions::id.asc())
            .select(Suggestion::as_select())
            .into_boxed();
        if let Some(id) = study_id {
            query = query.filter(suggestions::study_id.eq(id));
        }
        if let Some(id) = round_id {
            query = query.filter(suggestions::round_id.eq(id));
        }
        query.load(conn)
    }

    /// Deletes the expert's suggestions (a test expert's, removed from the test run).
    pub fn delete_of_expert(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::delete(suggestions::table.filter(suggestions::expert_id.eq(expert_id))).execute(conn)
    }
}

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
    pub code: Option<String>,
}

lookups!(Suggestion in suggestions {
    insert(NewSuggestion);
});

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
        diesel::update(still_pending(id))
            .set(values!(suggestions {
                status: status.as_str(),
                decision_reason: reason,
                decided_by,
                decided_at: at,
                item_id,
            }))
            .execute(conn)
            .map(|n| n == 1)
    }
}

/// Suggestion `id` as long as it is pending: a decision changes only such a row, so of two
/// facilitators deciding at once, one wins and the other is told.
type StillPending = diesel::dsl::Filter<
    diesel::dsl::Find<suggestions::table, i64>,
    diesel::dsl::Eq<suggestions::status, &'static str>,
>;

fn still_pending(id: i64) -> StillPending {
    suggestions::table
        .find(id)
        .filter(suggestions::status.eq(SuggestionStatus::Pending.as_str()))
}

impl Suggestion {
    /// Records that a pending proposal is set aside; false if it was processed meanwhile.
    #[allow(clippy::too_many_arguments)]
    pub fn set_aside(
        conn: &mut DbConnection,
        id: i64,
        reason: &str,
        note: &str,
        source: Option<&str>,
        source_link: Option<&str>,
        decided_by: Option<i64>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        diesel::update(still_pending(id))
            .set(values!(suggestions {
                status: SuggestionStatus::Rejected.as_str(),
                set_aside: reason,
                decision_reason: note,
                source,
                source_link,
                decided_by,
                decided_at: at,
            }))
            .execute(conn)
            .map(|n| n == 1)
    }
}

impl Suggestion {
    /// Deletes pending suggestions (an expert's proposals rewritten on their page).
    pub fn delete_pending(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<usize> {
        if ids.is_empty() {
            return Ok(0);
        }
        diesel::delete(
            suggestions::table
                .filter(suggestions::id.eq_any(ids))
                .filter(suggestions::status.eq(SuggestionStatus::Pending.as_str())),
        )
        .execute(conn)
    }
}
