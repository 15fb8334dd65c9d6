//! The arithmetic of a rate limit: a token bucket that refills continuously. The in-memory
//! limiter (`web::rate_limit`) runs it in Rust; the shared one (`[limits] shared = true`) runs
//! the same formula in one SQL statement (`db::models::rate_limits`), so both refuse the same
//! request.

/// `capacity` requests in a burst, then `refill_per_sec` a second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenBucket {
    pub capacity: f64,
    pub refill_per_sec: f64,
}

impl TokenBucket {
    /// `burst` requests at once, then `per_minute` a minute (each at least 1).
    pub fn new(burst: u32, per_minute: u32) -> TokenBucket {
        TokenBucket {
            capacity: f64::from(burst.max(1)),
            refill_per_sec: f64::from(per_minute.max(1)) / 60.0,
        }
    }

    /// The tokens a bucket holding `tokens` has `elapsed_secs` later: refilled, at most full.
    /// A clock that went backwards (negative `elapsed_secs`) takes nothing away.
    pub fn refilled(&self, tokens: f64, elapsed_secs: f64) -> f64 {
        (tokens + elapsed_secs.max(0.0) * self.refill_per_sec).min(self.capacity)
    }

    /// One request `elapsed_secs` after the bucket held `tokens`: the tokens left when it is
    /// allowed, `None` when it must wait (the bucket is then as it was: nothing is taken, and
    /// the refill goes on from the same point).
    pub fn take(&self, tokens: f64, elapsed_secs: f64) -> Option<f64> {
        let refilled = self.refilled(tokens, elapsed_secs);
        (refilled >= 1.0).then_some(refilled - 1.0)
    }

    /// A new client's first request: a full bucket less one.
    pub fn first(&self) -> f64 {
        self.capacity - 1.0
    }

    /// Seconds after which any bucket is full again, so that forgetting it changes nothing.
    pub fn full_after_secs(&self) -> f64 {
        self.capacity / self.refill_per_sec
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_token_per_interval() {
        let bucket = TokenBucket::new(3, 60);
        let mut tokens = bucket.first();
        assert_eq!(tokens, 2.0);
        for left in [1.0, 0.0] {
            tokens = bucket.take(tokens, 0.0).unwrap();
            assert_eq!(tokens, left);
        }
        assert_eq!(bucket.take(tokens, 0.0), None, "the burst is used up");
        assert_eq!(bucket.take(tokens, 0.5), None, "half a token is not enough");
        assert_eq!(bucket.take(tokens, 1.0), Some(0.0), "one a second comes back");
        assert_eq!(bucket.take(0.0, 3_600.0), Some(2.0), "never more than the burst");
    }

    #[test]
    fn rates_are_per_minute_and_at_least_one() {
        let bucket = TokenBucket::new(5, 5);
        assert_eq!(bucket.refill_per_sec, 5.0 / 60.0);
        assert_eq!(bucket.take(0.0, 11.9), None);
        assert!(bucket.take(0.0, 12.0).is_some());
        assert_eq!(bucket.full_after_secs(), 60.0);
        let zero = TokenBucket::new(0, 0);
        assert_eq!((zero.capacity, zero.refill_per_sec), (1.0, 1.0 / 60.0));
    }

    #[test]
    fn a_clock_going_backwards_takes_nothing_away() {
        let bucket = TokenBucket::new(3, 60);
        assert_eq!(bucket.refilled(1.5, -10.0), 1.5);
        assert_eq!(bucket.take(1.5, -10.0), Some(0.5));
    }
}
