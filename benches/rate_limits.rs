//! What `[limits] shared = true` costs: each rate-limit check is a round trip to PostgreSQL
//! instead of a lookup in memory.
//!
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench rate_limits
//!
//! Two measurements, each in memory and shared: `RateLimiter::allow` alone (BENCH_CHECKS checks
//! over 1,000 client addresses, one after another, then from BENCH_CONNECTIONS tasks at once),
//! and whole requests to a server whose every answer passes the check (GET /r/ with a malformed
//! link: no database lookup but the limit's, 404 or 429), BENCH_REQUESTS one after another over
//! one kept-alive connection. Without BENCH_DATABASE_URL only the in-memory figures are printed
//! (SQLite refuses the shared setting). The figures in BENCHMARKS.md come from this program.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use delphi::config::Settings;
use delphi::db::Db;
use delphi::service::Store;
use delphi::startup::Application;
use delphi::web::rate_limit::RateLimiter;

mod support;
use support::env_usize;

fn client(i: usize) -> IpAddr {
    IpAddr::from([198, 51, (i / 250) as u8, (i % 250) as u8])
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[at].as_secs_f64() * 1e6
}

fn report(what: &str, mut took: Vec<Duration>, wall: Duration) {
    took.sort_unstable();
    let n = took.len();
    println!(
        "{what}: {n} in {:.2} s, {:.0}/s; latency µs p50 {:.0}, p90 {:.0}, p99 {:.0}",
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        quantile(&took, 0.5),
        quantile(&took, 0.9),
        quantile(&took, 0.99)
    );
}

async fn checks_one_by_one(what: &str, limiter: &RateLimiter, checks: usize) {
    let mut took = Vec::with_capacity(checks);
    let start = Instant::now();
    for i in 0..checks {
        let t = Instant::now();
        std::hint::black_box(limiter.allow(client(i % 1_000)).await);
        took.push(t.elapsed());
    }
    report(what, took, start.elapsed());
}

async fn checks_at_once(what: &str, limiter: Arc<RateLimiter>, checks: usize, tasks: usize) {
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let limiter = Arc::clone(&limiter);
            tokio::spawn(async move {
                let mut took = Vec::with_capacity(checks / tasks);
                for i in (task..checks).step_by(tasks) {
                    let t = Instant::now();
                    std::hint::black_box(limiter.allow(client(i % 1_000)).await);
                    took.push(t.elapsed());
                }
                took
            })
        })
        .collect();
    let mut took = Vec::with_capacity(checks);
    for handle in handles {
        took.extend(handle.await.expect("a task ends"));
    }
    report(&format!("{what}, {tasks} at once"), took, start.elapsed());
}

async fn requests(what: &str, settings: Settings, count: usize) {
    let app = Application::build(settings).await.expect("the server starts");
    let url = format!("http://127.0.0.1:{}/r/not-a-link", app.port());
    tokio::spawn(app.run_until_stopped());
    let http = reqwest::Client::new();
    let mut took = Vec::with_capacity(count);
    let start = Instant::now();
    for _ in 0..count {
        let t = Instant::now();
        // A kept-alive connection the server has just closed fails once; the next one is new.
        let answer = match http.get(&url).send().await {
            Ok(answer) => answer,
            Err(_) => http.get(&url).send().await.expect("an answer"),
        };
        let status = answer.status().as_u16();
        assert!(
            status == 404 || status == 429,
            "GET /r/not-a-link answered {status}"
        );
        took.push(t.elapsed());
    }
    report(&format!("GET /r/not-a-link, {what}"), took, start.elapsed());
}

#[tokio::main]
async fn main() {
    let checks = env_usize("BENCH_CHECKS", 20_000);
    let tasks = env_usize("BENCH_CONNECTIONS", 8).max(1);
    let count = env_usize("BENCH_REQUESTS", 5_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let database = support::BenchDatabase::new(dir.path(), "rate_limits");
    let mut settings = Settings::defaults().expect("defaults");
    settings.database.url = database.url.clone();
    settings.data.dir = dir.path().join("data");
    settings.server.bind = "127.0.0.1:0".into();
    settings.workers.outbox_interval_secs = 3_600;
    let db = Db::connect(
        &database.url,
        &delphi::service::store::pool_options(&settings.database),
    )
    .expect("database opens");
    let shared = database.backend == "postgres";
    println!(
        "backend {}: {checks} checks over 1,000 addresses, {count} requests",
        database.backend
    );

    // A limit nobody reaches: every check does the whole work and is allowed.
    let memory = Arc::new(RateLimiter::new("bench", 1_000_000, 1_000_000));
    checks_one_by_one("allow(), in memory", &memory, checks).await;
    checks_at_once("allow(), in memory", memory, checks, tasks).await;
    if shared {
        let limiter = Arc::new(RateLimiter::new("bench", 1_000_000, 1_000_000).shared_in(Store::from_db(db)));
        checks_one_by_one("allow(), shared", &limiter, checks).await;
        checks_at_once("allow(), shared", limiter, checks, tasks).await;
    }

    requests("in memory", settings.clone(), count).await;
    if shared {
        settings.limits.shared = true;
        requests("shared", settings, count).await;
    }
}
