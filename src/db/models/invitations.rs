use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, setters, values};
use crate::db::models::experts::Expert;
use crate::db::models::rounds::Round;
use crate::db::schema::{experts, invitation_tokens, invitations, rounds, studies};
use crate::db::{natively, DbConnection};
use crate::domain::round::RoundState;

/// The purpose of a link token that opens an expert's results page.
pub const RESULTS: &str = "results";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: i64,
    pub round_id: i64,
    pub expert_id: i64,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub opened_at: Option<NaiveDateTime>,
    pub started_at: Option<NaiveDateTime>,
    pub submitted_at: Option<NaiveDateTime>,
    pub reminders_sent: i32,
    pub last_reminded_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

lookups!(Invitation in invitations {
    by_id;
    of_round(round_id) on panel by invitations::id.asc();
    /// The expert's invitations in the study, latest round last.
    of_expert(expert_id) by invitations::round_id.asc();
    find(round_id: i64, expert_id: i64) unique;
});

lookups!(Invitation in invitation_tokens {
    /// Another link for the same invitation (reminders, new-link requests); earlier links
    /// keep working until revoked.
    add_token(invitation_id: i64, token_hash: &str, purpose: &str, created_at: NaiveDateTime) inserts;
});

setters!(Invitation in invitations {
    /// Records the first time the expert opened the link; later visits leave the time alone.
    mark_opened(at: NaiveDateTime) sets opened_at once;
    /// Records the first answer; later answers leave the time alone.
    mark_started(at: NaiveDateTime) sets started_at once;
    mark_submitted(at: NaiveDateTime) sets submitted_at;
});

impl Invitation {
    /// Every invitation of the study's test experts with its round, oldest round first.
    pub fn of_test_experts(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<(Invitation, Round)>> {
        invitations::table
            .inner_join(experts::table)
            .inner_join(rounds::table)
            .filter(experts::study_id.eq(study_id))
            .filter(experts::is_test.eq(true))
            .order((rounds::number.asc(), invitations::id.asc()))
            .select((Invitation::as_select(), Round::as_select()))
            .load(conn)
    }

    /// Forgets that the expert started or submitted anything (their answers were removed).
    pub fn reset_progress(conn: &mut DbConnection, expert_id: i64) -> QueryResult<usize> {
        diesel::update(invitations::table.filter(invitations::expert_id.eq(expert_id)))
            .set(values!(invitations {
                started_at: None::<NaiveDateTime>,
                submitted_at: None::<NaiveDateTime>,
            }))
            .execute(conn)
    }

    /// Creates the invitation with its first link token.
    pub fn insert(
        conn: &mut DbConnection,
        round_id: i64,
        expert_id: i64,
        token_hash: &str,
        at: NaiveDateTime,
    ) -> QueryResult<Invitation> {
        let invitation: Invitation = diesel::insert_into(invitations::table)
            .values(values!(invitations {
                round_id,
                expert_id,
                created_at: at
            }))
            .returning(invitations::all_columns)
            .get_result(conn)?;
        Invitation::add_token(conn, invitation.id, token_hash, "invitation", at)?;
        Ok(invitation)
    }

    /// The invitation an unrevoked link token opens. A results link (purpose `results`) opens
    /// only the results page, never the questionnaire or the unsubscribe page.
    pub fn by_token_hash(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<Invitation>> {
        Invitation::by_link(conn, token_hash, false)
    }

    /// [`Invitation::by_token_hash`] with what every expert request needs next — the expert,
    /// the round and the study's `updated_at` stamp — in one query instead of four (on
    /// PostgreSQL, four round trips).
    pub fn link_by_token_hash(
        conn: &mut DbConnection,
        token_hash: &str,
    ) -> QueryResult<Option<(Invitation, Expert, Round, NaiveDateTime)>> {
        natively!(conn, |c| invitation_tokens::table
            .inner_join(
                invitations::table
                    .inner_join(experts::table)
                    .inner_join(rounds::table.inner_join(studies::table)),
            )
            .filter(invitation_tokens::token_hash.eq(token_hash))
            .filter(invitation_tokens::revoked_at.is_null())
            .filter(invitation_tokens::purpose.ne(RESULTS))
            .select((
                Invitation::as_select(),
                Expert::as_select(),
                Round::as_select(),
                studies::updated_at,
            ))
            .get_result(c)
            .optional())
    }

    /// The invitation an unrevoked results link opens (see `by_token_hash`).
    pub fn by_results_token_hash(
        conn: &mut DbConnection,
        token_hash: &str,
    ) -> QueryResult<Option<Invitation>> {
        Invitation::by_link(conn, token_hash, true)
    }

    /// The invitation an unrevoked link opens: a results link if `results`, any other if not.
    fn by_link(conn: &mut DbConnection, token_hash: &str, results: bool) -> QueryResult<Option<Invitation>> {
        let query = invitation_tokens::table
            .inner_join(invitations::table)
            .filter(invitation_tokens::token_hash.eq(token_hash))
            .filter(invitation_tokens::revoked_at.is_null())
            .select(Invitation::as_select())
            .into_boxed();
        let query = if results {
            query.filter(invitation_tokens::purpose.eq(RESULTS))
        } else {
            query.filter(invitation_tokens::purpose.ne(RESULTS))
        };
        query.get_result(conn).optional()
    }

    pub fn mark_reminded(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(invitations::table.find(id))
            .set((
                invitations::reminders_sent.eq(invitations::reminders_sent + 1),
                invitations::last_reminded_at.eq(at),
            ))
            .execute(conn)
    }
}

impl Invitation {
    /// Unrevoked invitations of open rounds sent to `email` (any study), with their expert and
    /// round: what a lost-link request can answer. A test expert's invitation to a draft round
    /// (the rehearsal before round 1) counts as open for them.
    pub fn open_for_email(
        conn: &mut DbConnection,
        email: &str,
    ) -> QueryResult<
        Vec<(
            Invitation,
            crate::db::models::experts::Expert,
            crate::db::models::rounds::Round,
        )>,
    > {
        invitations::table
            .inner_join(experts::table)
            .inner_join(rounds::table)
            .filter(experts::email.eq(email))
            .filter(experts::withdrawn_at.is_null())
            .filter(
                rounds::status.eq(RoundState::Open.as_str()).or(rounds::status
                    .eq(RoundState::Draft.as_str())
                    .and(experts::is_test.eq(true))),
            )
            .filter(invitations::revoked_at.is_null())
            .order(invitations::id.asc())
            .select((
                Invitation::as_select(),
                crate::db::models::experts::Expert::as_select(),
                crate::db::models::rounds::Round::as_select(),
            ))
            .load(conn)
    }
}

impl Invitation {
    /// Creates the invitations of a round with their first tokens: `(expert_id, token_hash)`
    /// pairs. PostgreSQL gets multi-row statements (one round trip per 1,000 rows instead of two
    /// per expert: 10,000 invitations went from 3.3 s to well under the 2 s target); SQLite,
    /// in-process, gains nothing from batching and inserts row by row.
    pub fn insert_many(
        conn: &mut DbConnection,
        round_id: i64,
        pairs: &[(i64, String)],
        at: NaiveDateTime,
    ) -> QueryResult<Vec<Invitation>> {
        let mut created = Vec::with_capacity(pairs.len());
        match conn {
            DbConnection::Sqlite(_) => {
                for (expert_id, hash) in pairs {
                    created.push(Invitation::insert(conn, round_id, *expert_id, hash, at)?);
                }
            }
            DbConnection::Postgres(pg) => {
                for chunk in pairs.chunks(1_000) {
                    let rows: Vec<_> = chunk
                        .iter()
                        .map(|(expert_id, _)| {
                            (
                                invitations::round_id.eq(round_id),
                                invitations::expert_id.eq(*expert_id),
                                invitations::created_at.eq(at),
                            )
                        })
                        .collect();
                    let inserted: Vec<Invitation> = diesel::insert_into(invitations::table)
                        .values(&rows)
                        .returning(invitations::all_columns)
                        .get_results(pg)?;
                    // Matched by expert (unique within a round), not by position: RETURNING
                    // order is not promised.
                    let by_expert: std::collections::HashMap<i64, i64> =
                        inserted.iter().map(|i| (i.expert_id, i.id)).collect();
                    let tokens: Vec<_> = chunk
                        .iter()
                        .filter_map(|(expert_id, hash)| {
                            by_expert.get(expert_id).map(|id| {
                                (
                                    invitation_tokens::invitation_id.eq(*id),
                                    invitation_tokens::token_hash.eq(hash.as_str()),
                                    invitation_tokens::purpose.eq("invitation"),
                                    invitation_tokens::created_at.eq(at),
                                )
                            })
                        })
                        .collect();
                    diesel::insert_into(invitation_tokens::table)
                        .values(&tokens)
                        .execute(pg)?;
                    created.extend(inserted);
                }
            }
        }
        Ok(created)
    }
}

setters!(Invitation in invitation_tokens {
    /// Revokes every link of the invitation (a resend replaces them with a fresh one).
    revoke_tokens(at: NaiveDateTime) of invitation_id sets revoked_at once;
});

impl Invitation {
    /// Revokes every link of every invitation of the expert (an erasure); returns how many.
    pub fn revoke_tokens_of_expert(
        conn: &mut DbConnection,
        expert_id: i64,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let of_expert = invitations::table
            .filter(invitations::expert_id.eq(expert_id))
            .select(invitations::id);
        diesel::update(
            invitation_tokens::table
                .filter(invitation_tokens::invitation_id.eq_any(of_expert))
                .filter(invitation_tokens::revoked_at.is_null()),
        )
        .set(invitation_tokens::revoked_at.eq(at))
        .execute(conn)
    }
}
