//! The outbox worker: claims due emails, sends them, records what happened.
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

use super::message;
use super::transport::{SendError, Transport};
use crate::config::Settings;
use crate::db::models::outbox::{Delivery, OutboxEmail};
use crate::db::{now, Db, DbError};

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
    db: Db,
    transport: Transport,
    settings: Settings,
    /// Written into `claimed_by`: which process holds a row.
    id: String,
}

impl Worker {
    pub fn new(db: Db, settings: Settings) -> Result<Worker, String> {
        let transport = Transport::from_settings(&settings)?;
        let host = hostname();
        Ok(Worker {
            db,
            transport,
            settings,
            id: format!("{host}:{}", std::process::id()),
        })
    }

    /// Delivers everything due now, batch after batch, and says what happened.
    pub async fn deliver_due(&self) -> Result<Summary, DbError> {
        let mut summary = Summary::default();
        let grace = chrono::Duration::from_std(INTERRUPTED_AFTER).unwrap_or(chrono::Duration::minutes(10));
        summary.interrupted = self
            .db
            .run(move |conn| OutboxEmail::fail_interrupted(conn, now() - grace).map_err(DbError::from))
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
                .db
                .run(move |conn| OutboxEmail::claim_due(conn, &worker, limit, now()).map_err(DbError::from))
                .await?;
            if claimed.is_empty() {
                return Ok(summary);
            }
            let recorded: Vec<Result<Summary, DbError>> = stream::iter(claimed)
                .map(|email| async move {
                    let delivery = self.attempt(&email).await;
                    // Recorded as soon as known, not after the batch: between the relay's
                    // acceptance and this record a crash leaves a delivered email in `sending`.
                    self.record(vec![(email, delivery)]).await
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
        let built = message::build(email, &self.settings.email.from, &public_url);
        let result = match built {
            Ok(msg) => self.transport.send(&msg, &file_stem(email)).await,
            Err(reason) => Err(SendError::Permanent(reason)),
        };
        match result {
            Ok(()) => Delivery::Sent {
                message_id: message::message_id(email, &public_url),
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

    async fn record(&self, outcomes: Vec<(OutboxEmail, Delivery)>) -> Result<Summary, DbError> {
        let base = self.settings.public_url();
        self.db
            .run(move |conn| {
                let mut summary = Summary::default();
                let at = now();
                for (email, delivery) in &outcomes {
                    let scrubbed = matches!(delivery, Delivery::Sent { .. }).then(|| {
                        (
                            scrub_links(&email.body_text, &base),
                            email.body_html.as_deref().map(|h| scrub_links(h, &base)),
                            email.headers.as_deref().map(|h| scrub_links(h, &base)),
                        )
                    });
                    OutboxEmail::record(conn, email, delivery, scrubbed, at)?;
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
                Ok::<_, DbError>(summary)
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

/// base · 2^attempts seconds, times (1 + jitter) with jitter in ±0.2, so that many emails that
/// failed together do not all come back together. Capped at a day.
pub fn retry_delay(base_secs: u64, attempts: i32, jitter: f64) -> chrono::Duration {
    let exponent = attempts.clamp(0, 20) as u32;
    let secs = (base_secs as f64 * f64::from(2u32.pow(exponent))).min(86_400.0);
    chrono::Duration::milliseconds((secs * (1.0 + jitter.clamp(-0.2, 0.2)) * 1000.0) as i64)
}

/// The personal links (`{base}/r/{token}`, `{base}/u/{token}`, `{base}/password/reset/{token}`)
/// replaced by a note: once sent, a token must not sit in the database in clear.
pub fn scrub_links(text: &str, base: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let base = base.trim_end_matches('/');
    loop {
        let found = ["/r/", "/u/", "/password/reset/"]
            .iter()
            .filter_map(|p| rest.find(&format!("{base}{p}")).map(|i| (i, p.len())))
            .min();
        let Some((start, plen)) = found else {
            out.push_str(rest);
            return out;
        };
        let token_start = start + base.len() + plen;
        let token_len = rest[token_start..]
            .bytes()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        out.push_str(&rest[..start]);
        if token_len == 64 {
            out.push_str("[personal link removed after sending]");
        } else {
            out.push_str(&rest[start..token_start + token_len]);
        }
        rest = &rest[token_start + token_len..];
    }
}

/// `<created>-<kind>-<id>`: sorts by time in a folder listing and says what each file is.
fn file_stem(email: &OutboxEmail) -> String {
    format!(
        "{}-{}-{}",
        email.created_at.format("%Y%m%dT%H%M%S"),
        email.kind,
        email.id
    )
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "delphi".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_bounded_jitter() {
        assert_eq!(retry_delay(30, 0, 0.0).num_seconds(), 30);
        assert_eq!(retry_delay(30, 3, 0.0).num_seconds(), 240);
        assert_eq!(retry_delay(30, 1, 0.2).num_seconds(), 72);
        assert_eq!(retry_delay(30, 1, -0.9).num_seconds(), 48);
        assert_eq!(retry_delay(30, 30, 0.0).num_seconds(), 86_400);
    }

    #[test]
    fn links_are_scrubbed() {
        let token = "ab".repeat(32);
        let text = format!("Open http://x/r/{token} now; stop: http://x/u/{token}. Home http://x/r/short");
        let scrubbed = scrub_links(&text, "http://x/");
        assert!(!scrubbed.contains(&token), "{scrubbed}");
        assert!(scrubbed.contains("Open [personal link removed after sending] now"));
        assert!(scrubbed.ends_with("Home http://x/r/short"));
    }
}
