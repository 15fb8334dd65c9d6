//! Waiting for something another task or process does (a worker's run, a relay's session, a
//! killed process's last writes): poll for the condition itself with a generous bound, never
//! sleep a fixed time and hope, which fails on a loaded machine.

use std::time::{Duration, Instant};

/// Polls `probe` every 50 ms until it gives a value, for at most `limit`; fails naming `what`.
pub async fn wait_for<T>(limit: Duration, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = probe() {
            return found;
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `done` every 50 ms until it holds, for at most `limit`; fails naming `what`.
pub async fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    wait_for(limit, what, || done().then_some(())).await
}
