//! The outbox: the worker that claims due emails, sends them through `email`'s transports and
//! records what happened; and what waits, for the metrics endpoint and `delphi outbox`.
//!
//! Delivery is at most once per row. The claim (`sending`) is committed before the SMTP
//! conversation starts, so a crash mid-send leaves the row in `sending`; such rows are never
//! picked up again automatically but marked failed after a grace period, for a facilitator to
//! resend by hand. A duplicate invitation would confuse an expert more than a missing one that
//! the outbox shows as failed.

use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use rand::Rng;
use serde::Serialize;

use super::{Connection, ServiceError, Store};
use crate::config::{ConfigError, Settings};
use crate::db::models::deliveries::{DeliveryRecord, Undeliverable};
use crate::db::models::outbox::OutboxEmail;
use crate::db::{now, write_transaction};
use crate::domain::delivery::{self, DeliveryEvent, StatusCode};
use crate::domain::outbox::{retry_delay, Delivery, OutboxStatus};
use crate::email::dkim::Signer;
use crate::email::message::{self, Letter};
use crate::email::transport::{SendError, Transport};

/// Rows claimed longer ago than this and still `sending` were interrupted.
pub const INTERRUPTED_AFTER: Duration = Duration::from_secs(10 * 60);

/// Emails claimed per database transaction by the local transports (`file`, `log`); SMTP claims
/// `email.smtp.pool_size` at a time.
const BATCH: i64 = 100;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
    /// Rows found stuck in `sending` and marked failed.
    pub interrupted: usize,
}

impl Summary {
    fn add(&mut self, other: Summary) {
        self.sent += other.sent;
        self.retrying += other.retrying;
        self.failed += other.failed;
        self.interrupted += other.interrupted;
    }
}

pub struct Worker {
    store: Store,
    transport: Transport,
    /// Read once here, not per message.
    signer: Option<Signer>,
    settings: Settings,
    /// Written into `claimed_by`: which process holds a row.
    id: String,
}

impl Worker {
    /// Refuses settings the worker cannot send with: an SMTP host that is no host name, or a
    /// DKIM key that cannot be read.
    pub fn new(store: Store, settings: Settings) -> Result<Worker, ConfigError> {
        let transport = Transport::from_settings(&settings)?;
        let signer = Signer::from_settings(&settings)?;
        let host = hostname();
        Ok(Worker {
            store,
            transport,
            signer,
            settings,
            id: format!("{host}:{}", std::process::id()),
        })
    }

    /// Delivers everything due now, batch after batch, and says what happened.
    pub async fn deliver_due(&self) -> Result<Summary, ServiceError> {
        let mut summary = Summary::default();
        let grace = chrono::Duration::from_std(INTERRUPTED_AFTER).unwrap_or(chrono::Duration::minutes(10));
        summary.interrupted = self
            .store
            .run(move |conn| Ok::<_, ServiceError>(OutboxEmail::fail_interrupted(conn, now() - grace)?))
            .await?;
        if summary.interrupted > 0 {
            tracing::warn!(
                count = summary.interrupted,
                "emails interrupted while sending were marked failed, not resent"
            );
        }
        loop {
            // Claim only what goes out at once: a crash leaves at most these rows in `sending`
            // (at-most-once), instead of a whole batch that was never even attempted.
            let concurrency = match self.transport {
                Transport::Smtp(_) => self.settings.email.smtp.pool_size.max(1) as usize,
                _ => 1,
            };
            let limit = match self.transport {
                Transport::Smtp(_) => concurrency as i64,
                // Local transports write a message in well under a millisecond, one at a time;
                // claiming each alone would add a transaction per message for no real gain.
                _ => BATCH,
            };
            let worker = self.id.clone();
            let claimed = self
                .store
                .run(move |conn| Ok::<_, ServiceError>(OutboxEmail::claim_due(conn, &worker, limit, now())?))
                .await?;
            if claimed.is_empty() {
                return Ok(summary);
            }
            let (claimed, skipped) = self.without_undeliverable(claimed).await?;
            if !skipped.is_empty() {
                summary.add(self.record(skipped).await?);
            }
            let recorded: Vec<Result<Summary, ServiceError>> = stream::iter(claimed)
                .map(|email| async move {
                    let delivery = self.attempt(&email).await;
                    let event = match delivery {
                        Delivery::Sent { .. } => DeliveryEvent::Accepted,
                        _ => DeliveryEvent::Refused,
                    };
                    // Recorded as soon as known, not after the batch: between the relay's
                    // acceptance and this record a crash leaves a delivered email in `sending`.
                    self.record(vec![(email, delivery, event)]).await
                })
                .buffer_unordered(concurrency)
                .collect()
                .await;
            for outcome in recorded {
                summary.add(outcome?);
            }
        }
    }

    async fn attempt(&self, email: &OutboxEmail) -> Delivery {
        let public_url = self.settings.public_url();
        let letter = letter(email);
        let built = message::build(
            &letter,
            &self.settings.email.from,
            &public_url,
            self.settings.email.bounce_address(),
            self.signer.as_ref(),
        );
        let result = match built {
            Ok(msg) => self.transport.send(&msg, &letter.file_stem()).await,
            Err(reason) => Err(SendError::Permanent(reason)),
        };
        match result {
            Ok(reply) => Delivery::Sent {
                message_id: message::message_id(&letter, &public_url),
                reply,
            },
            Err(SendError::Permanent(error)) => Delivery::Failed { error },
            Err(SendError::Transient(error)) => {
                if email.attempts + 1 >= self.settings.email.max_attempts as i32 {
                    Delivery::Failed {
                        error: format!("gave up after {} attempts: {error}", email.attempts + 1),
                    }
                } else {
                    let jitter = rand::rng().random_range(-0.2..=0.2);
                    Delivery::Retry {
                        error,
                        next_attempt_at: now()
                            + retry_delay(self.settings.email.retry_base_secs, email.attempts, jitter),
                    }
                }
            }
        }
    }

    /// Sets aside the claimed emails to addresses that bounced for good (issue 18): they are
    /// marked failed with the reason, unsent, until a facilitator corrects the address.
    async fn without_undeliverable(
        &self,
        claimed: Vec<OutboxEmail>,
    ) -> Result<(Vec<OutboxEmail>, Vec<Outcome>), ServiceError> {
        let experts: Vec<i64> = claimed.iter().filter_map(|e| e.expert_id).collect();
        if experts.is_empty() {
            return Ok((claimed, Vec::new()));
        }
        let marked = self
            .store
            .run(move |conn| Ok::<_, ServiceError>(Undeliverable::of_experts(conn, &experts)?))
            .await?;
        let (mut send, mut skipped) = (Vec::new(), Vec::new());
        for email in claimed {
            let bounced = marked.iter().find(|u| {
                Some(u.expert_id) == email.expert_id && delivery::same_address(&u.address, &email.recipient)
            });
            match bounced {
                Some(u) => skipped.push((
                    email,
                    Delivery::Failed {
                        error: format!(
                            "not sent: this address bounced for good ({}); correct the expert's address to send again",
                            u.reason
                        ),
                    },
                    DeliveryEvent::Skipped,
                )),
                None => send.push(email),
            }
        }
        Ok((send, skipped))
    }

    async fn record(&self, outcomes: Vec<Outcome>) -> Result<Summary, ServiceError> {
        let links = self.settings.links();
        self.store
            .run(move |conn: &mut Connection| {
                let mut summary = Summary::default();
                let at = now();
                for (email, delivery, event) in &outcomes {
                    let scrubbed = matches!(delivery, Delivery::Sent { .. }).then(|| {
                        (
                            links.scrub(&email.body_text),
                            email.body_html.as_deref().map(|h| links.scrub(h)),
                            email.headers.as_deref().map(|h| links.scrub(h)),
                        )
                    });
                    let detail = match delivery {
                        Delivery::Sent { reply, .. } => reply,
                        Delivery::Retry { error, .. } | Delivery::Failed { error } => error,
                    };
                    let status = StatusCode::find(detail).map(|s| s.to_string());
                    // The outcome and its history entry together: a reader never sees an email
                    // sent without the relay's answer in its history.
                    write_transaction(conn, |conn| {
                        OutboxEmail::record(conn, email, delivery, scrubbed, at)?;
                        DeliveryRecord::insert(conn, email.id, *event, status.as_deref(), detail, at)
                    })?;
                    match delivery {
                        Delivery::Sent { .. } => summary.sent += 1,
                        Delivery::Retry { error, .. } => {
                            tracing::warn!(id = email.id, attempts = email.attempts + 1, %error, "email will be retried");
                            summary.retrying += 1;
                        }
                        Delivery::Failed { error } => {
                            tracing::error!(id = email.id, %error, "email failed");
                            summary.failed += 1;
                        }
                    }
                }
                Ok::<_, ServiceError>(summary)
            })
            .await
    }

    /// Runs until `stop` fires, delivering every `workers.outbox_interval_secs`.
    pub async fn run(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        let every = Duration::from_secs(self.settings.workers.outbox_interval_secs.max(1));
        tracing::info!(transport = self.transport.name(), "outbox worker started");
        loop {
            match self.deliver_due().await {
                Ok(s) if s != Summary::default() => tracing::info!(
                    sent = s.sent,
                    retrying = s.retrying,
                    failed = s.failed,
                    interrupted = s.interrupted,
                    "outbox run"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox run failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => break,
            }
        }
        tracing::info!("outbox worker stopped");
    }
}

/// A claimed email, what became of it, and how its delivery history tells it.
type Outcome = (OutboxEmail, Delivery, DeliveryEvent);

/// What a transport needs of a claimed row.
fn letter(email: &OutboxEmail) -> Letter<'_> {
    Letter {
        id: email.id,
        idempotency_key: &email.idempotency_key,
        kind: &email.kind,
        recipient: &email.recipient,
        subject: &email.subject,
        body_text: &email.body_text,
        body_html: email.body_html.as_deref(),
        headers: email.headers.as_deref(),
        created_at: email.created_at,
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "delphi".into())
}

/// How many emails wait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxDepth {
    /// Queued (due now or later) or being sent.
    pub queued: i64,
    /// Queued and due now.
    pub due: i64,
    /// Failed for good, waiting for a facilitator.
    pub failed: i64,
}

pub fn depth(conn: &mut Connection) -> Result<OutboxDepth, ServiceError> {
    let (queued, due, failed) = OutboxEmail::depth(conn, now())?;
    Ok(OutboxDepth { queued, due, failed })
}

/// An email waiting in the outbox (queued, being sent, or failed), as `delphi outbox` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Waiting {
    pub id: i64,
    pub status: OutboxStatus,
    pub kind: String,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub recipient: String,
    pub subject: String,
    pub last_error: Option<String>,
}

/// Queued and failed emails (not the ones sent or cancelled) of one study or all, oldest first.
pub fn waiting(conn: &mut Connection, slug: Option<&str>) -> Result<Vec<Waiting>, ServiceError> {
    let study_id = match slug {
        Some(slug) => Some(super::studies::load(conn, slug)?.id),
        None => None,
    };
    Ok(OutboxEmail::pending(conn, study_id)?
        .into_iter()
        .map(|e| Waiting {
            id: e.id,
            status: e.status,
            kind: e.kind,
            attempts: e.attempts,
            next_attempt_at: e.next_attempt_at,
            recipient: e.recipient,
            subject: e.subject,
            last_error: e.last_error,
        })
        .collect())
}
