//! The scheduler inside `serve`: closes rounds whose deadline has passed and queues the
//! automatic reminders before it (`[rounds] close_at_deadline`, `reminders`).
//!
//! Any number of `serve` processes may run it against one database. Each action happens in a
//! write transaction that first claims the round row (`Round::claim_open`: `FOR UPDATE SKIP
//! LOCKED` on PostgreSQL, the single writer on SQLite) and re-decides under the claim, so a
//! round closes once and each reminder offset is queued once; the `round_reminders` unique key
//! backs this up.

use std::time::Duration;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::studies::load;
use super::{close_refusal, rounds};
use super::{Actor, ServiceError};
use crate::config::Settings;
use crate::db::models::round_reminders::RoundReminder;
use crate::db::models::rounds::Round;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::link::LinkBase;
use crate::domain::round::RoundState;
use crate::domain::round::{deadline_action, DeadlineAction, DeadlineWatch};

/// The audit log's name for the scheduler.
pub const ACTOR: &str = "scheduler";

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tick {
    /// `(study slug, round number)` of each round closed.
    pub closed: Vec<(String, i32)>,
    /// Reminder emails queued.
    pub reminded: usize,
    /// Rounds whose action failed; they are tried again next tick.
    pub failed: usize,
    /// `(study slug, round number)` of each round whose close at the deadline was refused,
    /// items being short of `[rounds] min_raters`; tried again next tick.
    pub refused: Vec<(String, i32)>,
}

/// Looks at every open round with a deadline, as of `at`, and does what is due. A failure on
/// one round is logged and counted, never stops the others.
pub fn tick(conn: &mut DbConnection, links: &LinkBase, at: NaiveDateTime) -> Result<Tick, ServiceError> {
    let mut outcome = Tick::default();
    for (round, slug) in Round::open_with_deadline(conn)? {
        match act_on(conn, &slug, round.id, links, at) {
            Ok(Acted::Nothing) => {}
            Ok(Acted::Closed(number)) => {
                tracing::info!(study = %slug, round = number, "round closed at its deadline");
                outcome.closed.push((slug, number));
            }
            Ok(Acted::Refused { number, recorded }) => {
                // Said once, with the audit entry the dashboard shows; later ticks stay quiet.
                if recorded {
                    tracing::warn!(study = %slug, round = number, "close at the deadline refused: items short of min_raters");
                }
                outcome.refused.push((slug, number));
            }
            Ok(Acted::Reminded {
                number,
                emails,
                offsets,
            }) => {
                tracing::info!(study = %slug, round = number, emails, offsets = %offsets.join(","), "automatic reminders queued");
                outcome.reminded += emails;
            }
            Err(e) => {
                tracing::error!(study = %slug, round = round.number, error = %e, "scheduler: action failed; will retry");
                outcome.failed += 1;
            }
        }
    }
    Ok(outcome)
}

enum Acted {
    Nothing,
    Closed(i32),
    /// The close at the deadline was refused; `recorded` when this tick audited it.
    Refused {
        number: i32,
        recorded: bool,
    },
    Reminded {
        number: i32,
        emails: usize,
        offsets: Vec<String>,
    },
}

/// Decides from a plain read first, so that a quiet tick takes no write lock; then claims the
/// round and decides again under the claim, because another instance may have acted meanwhile.
fn act_on(
    conn: &mut DbConnection,
    slug: &str,
    round_id: i64,
    links: &LinkBase,
    at: NaiveDateTime,
) -> Result<Acted, ServiceError> {
    let decide = |conn: &mut DbConnection, round: &Round| -> Result<_, ServiceError> {
        let study = load(conn, slug)?;
        let (Some(opened_at), Some(deadline)) = (round.opened_at, round.deadline) else {
            return Ok((study, DeadlineAction::Nothing));
        };
        let sent: Vec<String> = RoundReminder::of_round(conn, round.id)?
            .into_iter()
            .map(|r| r.offset_label)
            .collect();
        let action = deadline_action(
            DeadlineWatch {
                opened_at,
                deadline,
                close_at_deadline: study.file.rounds.close_at_deadline,
                reminders: &study.file.rounds.reminders,
            },
            &sent,
            at,
        );
        Ok((study, action))
    };
    let Some(round) = Round::by_id(conn, round_id)?.filter(|r| r.status == RoundState::Open) else {
        return Ok(Acted::Nothing);
    };
    if decide(conn, &round)?.1 == DeadlineAction::Nothing {
        return Ok(Acted::Nothing);
    }
    let actor = Actor(ACTOR.into());
    write_transaction(conn, |conn| {
        let Some(round) = Round::claim_open(conn, round_id)? else {
            return Ok(Acted::Nothing);
        };
        let (study, action) = decide(conn, &round)?;
        match action {
            DeadlineAction::Nothing => Ok(Acted::Nothing),
            DeadlineAction::Close => {
                if let Some(recorded) = close_refusal::check_at_deadline(conn, &study, &round, &actor, now())?
                {
                    return Ok(Acted::Refused {
                        number: round.number,
                        recorded,
                    });
                }
                let closed = rounds::close_in(conn, &study, &round, ACTOR, &actor)?;
                Ok(Acted::Closed(closed.number))
            }
            DeadlineAction::Remind(offsets) => {
                let labels: Vec<String> = offsets.iter().map(|o| o.label()).collect();
                let reminded = rounds::remind_in(conn, &study, &round, links, &actor, &labels)?;
                let emails = i32::try_from(reminded.reminded).unwrap_or(i32::MAX);
                for label in &labels {
                    RoundReminder::record(conn, round.id, label, emails, now())?;
                }
                Ok(Acted::Reminded {
                    number: round.number,
                    emails: reminded.reminded,
                    offsets: labels,
                })
            }
        }
    })
}

/// How often the scheduler applies `[retention]`: often enough that nothing outlives its
/// retention by much, rarely enough that a quiet server takes almost no write locks.
pub const RETENTION_EVERY: chrono::Duration = chrono::Duration::hours(1);

/// Whether a retention purge is due at `at`, given when the last one ran.
pub fn retention_due(last: Option<NaiveDateTime>, at: NaiveDateTime) -> bool {
    last.is_none_or(|last| at - last >= RETENTION_EVERY)
}

/// The scheduler as a background task of `serve`.
pub struct Scheduler {
    store: super::Store,
    links: LinkBase,
    every: Duration,
    settings: std::sync::Arc<Settings>,
}

impl Scheduler {
    pub fn new(store: super::Store, settings: &Settings) -> Scheduler {
        Scheduler {
            store,
            links: settings.links(),
            every: Duration::from_secs(settings.workers.scheduler_interval_secs.max(1)),
            settings: std::sync::Arc::new(settings.clone()),
        }
    }

    /// Ticks every `workers.scheduler_interval_secs` until `stop` fires. A failed tick (the
    /// database away) is logged and the next one tries again.
    pub async fn run(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        tracing::info!(every_secs = self.every.as_secs(), "scheduler started");
        let mut last_purge = None;
        loop {
            let links = self.links.clone();
            match self.store.run(move |conn| tick(conn, &links, now())).await {
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "scheduler tick failed"),
            }
            let at = now();
            if retention_due(last_purge, at) {
                let settings = self.settings.clone();
                match self
                    .store
                    .run(move |conn| super::retention::purge(conn, &settings, at))
                    .await
                {
                    Ok(purged) => {
                        last_purge = Some(at);
                        if purged.total() > 0 {
                            tracing::info!(?purged, "retention: old rows purged");
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "retention purge failed; will retry"),
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(self.every) => {}
                _ = stop.changed() => break,
            }
        }
        tracing::info!("scheduler stopped");
    }
}
