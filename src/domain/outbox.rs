//! The outbox: emails waiting to go. `email::messages` composes them, `db` keeps them, the
//! outbox worker (`service::outbox`) sends them and records what became of each attempt.

use chrono::NaiveDateTime;

use crate::domain::named::named;

named! {
    /// Where an email of the outbox stands: queued → sending → sent, or failed (for good) or
    /// cancelled (its expert left, its link was revoked).
    pub enum OutboxStatus {
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
        Cancelled = "cancelled",
    }
}

named! {
    /// What the facilitator is told about an expert's last invitation-like email.
    pub enum DeliveryState {
        None = "none",
        Queued = "queued",
        Delivered = "delivered",
        Failed = "failed",
        Cancelled = "cancelled",
        /// Delivered to the relay, then reported delayed or refused for now (a soft bounce).
        Delayed = "delayed",
        /// Delivered: an automatic answer came back.
        AutoReplied = "auto_replied",
        /// The address bounced for good; nothing is sent to it until it is corrected.
        Undeliverable = "undeliverable",
    }
}

impl DeliveryState {
    /// The state of an email by its status in the outbox (`None` for no email).
    pub fn of(status: Option<OutboxStatus>) -> DeliveryState {
        match status {
            None => DeliveryState::None,
            Some(OutboxStatus::Sent) => DeliveryState::Delivered,
            Some(OutboxStatus::Failed) => DeliveryState::Failed,
            Some(OutboxStatus::Cancelled) => DeliveryState::Cancelled,
            Some(OutboxStatus::Queued | OutboxStatus::Sending) => DeliveryState::Queued,
        }
    }
}

/// An email to queue. `idempotency_key` makes queuing the same logical email twice harmless:
/// a key already in the outbox is left as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub idempotency_key: String,
    pub kind: String,
    pub study_id: Option<i64>,
    pub expert_id: Option<i64>,
    pub facilitator_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Extra headers as JSON (`email::message::ExtraHeaders`).
    pub headers: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent {
        message_id: String,
        /// What the relay answered when it took the message.
        reply: String,
    },
    /// Try again at `next_attempt_at`.
    Retry {
        error: String,
        next_attempt_at: NaiveDateTime,
    },
    Failed {
        error: String,
    },
}

/// Why a row left in `sending` is never sent again automatically.
pub const INTERRUPTED: &str =
    "interrupted while sending; not resent to avoid a duplicate — resend by hand if needed";

/// base · 2^attempts seconds, times (1 + jitter) with jitter in ±0.2, so that many emails that
/// failed together do not all come back together. Capped at a day.
pub fn retry_delay(base_secs: u64, attempts: i32, jitter: f64) -> chrono::Duration {
    let exponent = attempts.clamp(0, 20) as u32;
    let secs = (base_secs as f64 * f64::from(2u32.pow(exponent))).min(86_400.0);
    chrono::Duration::milliseconds((secs * (1.0 + jitter.clamp(-0.2, 0.2)) * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn backoff_doubles_with_bounded_jitter() {
        assert_eq!(retry_delay(30, 0, 0.0).num_seconds(), 30);
        assert_eq!(retry_delay(30, 3, 0.0).num_seconds(), 240);
        assert_eq!(retry_delay(30, 1, 0.2).num_seconds(), 72);
        assert_eq!(retry_delay(30, 1, -0.9).num_seconds(), 48);
        assert_eq!(retry_delay(30, 30, 0.0).num_seconds(), 86_400);
    }
}
