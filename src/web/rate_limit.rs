//! In-memory rate limits per client address: token buckets that refill continuously.
//!
//! Guessing an expert token (256 bits) is hopeless anyway; the limit keeps log noise and load
//! down and makes scanners go away. Each `serve` process counts on its own: behind a load
//! balancer the effective limit is the per-process limit times the number of processes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimiter {
    /// Requests allowed in a burst.
    capacity: f64,
    /// Tokens regained per second.
    refill_per_sec: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    /// `burst` requests at once, then `per_minute` a minute.
    pub fn new(burst: u32, per_minute: u32) -> Self {
        RateLimiter {
            capacity: f64::from(burst.max(1)),
            refill_per_sec: f64::from(per_minute.max(1)) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client`; false when the client must wait.
    pub fn allow(&self, client: IpAddr) -> bool {
        self.allow_at(client, Instant::now())
    }

    fn allow_at(&self, client: IpAddr, now: Instant) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock only means another thread panicked mid-update; fail open rather
            // than lock every expert out.
            return true;
        };
        if buckets.len() > 100_000 {
            // Forget clients that have had time to refill completely.
            let full_after = Duration::from_secs_f64(self.capacity / self.refill_per_sec);
            buckets.retain(|_, (_, seen)| now.duration_since(*seen) < full_after);
        }
        let (tokens, seen) = buckets.entry(client).or_insert((self.capacity, now));
        let refilled =
            (*tokens + now.duration_since(*seen).as_secs_f64() * self.refill_per_sec).min(self.capacity);
        *seen = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            true
        } else {
            *tokens = refilled;
            false
        }
    }
}

/// The limits of one `serve` process.
#[derive(Debug)]
pub struct Limits {
    /// Unknown or malformed expert tokens (valid tokens are never limited).
    pub bad_tokens: RateLimiter,
    /// "Send me a new link" requests.
    pub link_requests: RateLimiter,
    /// Facilitator login attempts.
    pub logins: RateLimiter,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            bad_tokens: RateLimiter::new(20, 10),
            link_requests: RateLimiter::new(5, 5),
            logins: RateLimiter::new(10, 5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refills() {
        let limiter = RateLimiter::new(3, 60);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let t0 = Instant::now();
        assert!(limiter.allow_at(ip, t0));
        assert!(limiter.allow_at(ip, t0));
        assert!(limiter.allow_at(ip, t0));
        assert!(!limiter.allow_at(ip, t0), "burst used up");
        assert!(limiter.allow_at(other, t0), "clients are limited separately");
        assert!(
            limiter.allow_at(ip, t0 + Duration::from_secs(1)),
            "one a second comes back"
        );
        assert!(!limiter.allow_at(ip, t0 + Duration::from_secs(1)));
    }
}
