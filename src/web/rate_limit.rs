//! Rate limits per client address: token buckets that refill continuously
//! (`domain::token_bucket`).
//!
//! Guessing an expert token (256 bits) is hopeless anyway; the limit keeps log noise and load
//! down and makes scanners go away. By default each `serve` process counts in its own memory:
//! behind a load balancer the effective limit is the per-process limit times the number of
//! processes. With `[limits] shared = true` (PostgreSQL) the buckets live in the database
//! (`service::rate_limits`), one budget for every instance, for one round trip per check.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::domain::token_bucket::TokenBucket;
use crate::service::Store;

pub struct RateLimiter {
    /// Names the limit's buckets in the shared table (`logins/203.0.113.5`).
    name: &'static str,
    bucket: TokenBucket,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
    /// Where the shared buckets are; `None`: in memory only.
    shared: Option<Store>,
}

impl RateLimiter {
    /// `burst` requests at once, then `per_minute` a minute, counted in memory.
    pub fn new(name: &'static str, burst: u32, per_minute: u32) -> Self {
        RateLimiter {
            name,
            bucket: TokenBucket::new(burst, per_minute),
            buckets: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// The same limit counted in `store`'s database, shared with every instance on it.
    pub fn shared_in(mut self, store: Store) -> Self {
        self.shared = Some(store);
        self
    }

    /// Takes one token for `client`; false when the client must wait. When the shared buckets
    /// cannot be reached, this instance counts on its own until they can: the limit loosens
    /// to one budget per instance, it never locks everybody out.
    pub async fn allow(&self, client: IpAddr) -> bool {
        let Some(store) = &self.shared else {
            return self.allow_at(client, Instant::now());
        };
        let key = self.bucket_of(client);
        let bucket = self.bucket;
        match store
            .run(move |conn| crate::service::rate_limits::take(conn, &key, bucket))
            .await
        {
            Ok(left) => left.is_some(),
            Err(e) => {
                tracing::warn!(error = %e, limit = self.name, "the shared rate limit is unreachable; counting in memory");
                self.allow_at(client, Instant::now())
            }
        }
    }

    /// The key of `client`'s bucket of this limit in the shared table.
    pub fn bucket_of(&self, client: IpAddr) -> String {
        format!("{}/{}", self.name, client.to_canonical())
    }

    fn allow_at(&self, client: IpAddr, now: Instant) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock only means another thread panicked mid-update; fail open rather
            // than lock every expert out.
            return true;
        };
        if buckets.len() > 100_000 {
            // Forget clients that have had time to refill completely.
            let full_after = Duration::from_secs_f64(self.bucket.full_after_secs());
            buckets.retain(|_, (_, seen)| now.duration_since(*seen) < full_after);
        }
        match buckets.get_mut(&client) {
            None => {
                buckets.insert(client, (self.bucket.first(), now));
                true
            }
            Some((tokens, seen)) => {
                let elapsed = now.duration_since(*seen).as_secs_f64();
                // A refused request leaves the bucket as it was, as the shared statement does.
                let Some(left) = self.bucket.take(*tokens, elapsed) else {
                    return false;
                };
                *tokens = left;
                *seen = now;
                true
            }
        }
    }
}

/// The limits of one `serve` process.
pub struct Limits {
    /// Unknown or malformed expert tokens (valid tokens are never limited).
    pub bad_tokens: RateLimiter,
    /// "Send me a new link" requests.
    pub link_requests: RateLimiter,
    /// Facilitator login attempts.
    pub logins: RateLimiter,
}

impl Limits {
    /// The limits, counted in memory, or in `shared`'s database (`[limits] shared = true`).
    pub fn new(shared: Option<&Store>) -> Self {
        let limit = |name, burst, per_minute| {
            let limiter = RateLimiter::new(name, burst, per_minute);
            match shared {
                Some(store) => limiter.shared_in(store.clone()),
                None => limiter,
            }
        };
        Limits {
            bad_tokens: limit("bad_tokens", 20, 10),
            link_requests: limit("link_requests", 5, 5),
            logins: limit("logins", 10, 5),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refills() {
        let limiter = RateLimiter::new("test", 3, 60);
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
        assert!(!limiter.allow_at(ip, t0 + Duration::from_millis(1_500)));
        assert!(
            limiter.allow_at(ip, t0 + Duration::from_secs(2)),
            "a refused request does not push the refill back"
        );
    }

    #[test]
    fn buckets_are_named_by_limit_and_address() {
        let limiter = RateLimiter::new("logins", 3, 60);
        assert_eq!(
            limiter.bucket_of("::ffff:192.0.2.1".parse().unwrap()),
            "logins/192.0.2.1"
        );
        assert_eq!(
            limiter.bucket_of("2001:db8::1".parse().unwrap()),
            "logins/2001:db8::1"
        );
    }
}
