//! The expert's rating page and autosave under load, each against the same server's `/healthz`.
//!
//!     cargo bench --bench expert_load            # needs `wrk` (Debian package) on PATH
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench expert_load    # a fresh PostgreSQL database
//!
//! Sets up a 60-item study in round 2 (so every item carries the group's feedback: a histogram,
//! per-group lines and comments), starts the real server in-process on SQLite (or PostgreSQL),
//! then runs wrk with BENCH_CONNECTIONS connections (64) for BENCH_SECONDS (10) against:
//! /healthz, the rating page (plain and gzip), the same 60 items in round 1 of a second study (no
//! feedback yet), the autosave endpoint (answering 204, and with the JSON progress the page's
//! script asks for), and the whole form saved without JavaScript (60 answers, each request from
//! the next of 64 experts, each with their own link). Prints
//! requests/s, p99 latency, errors (non-2xx or 3xx responses and socket errors), database round
//! trips per request (every statement, BEGIN, COMMIT and the pool's check-out test, counted by
//! diesel's instrumentation), the process's RSS idle and at its peak during each run, and the
//! ratios. BENCH_ONLY=page|page1|gzip|autosave|json|form runs /healthz and that one.
//! BENCH_AUTOSAVE_BATCH sets `[database] autosave_batch` (64; 1: every autosave commits alone).
//! On PostgreSQL the autosave runs also print the commits per request, from
//! `pg_stat_database.xact_commit` read before and after (each read waits 11 s, for every
//! session to have reported its counts).

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use delphi::config::Settings;
use delphi::startup::Application;

mod support;

use support::sixty::EXPERTS;
use support::ROUND_TRIPS;

/// The database's commits so far (PostgreSQL; `None` on SQLite), once every session has
/// reported its counts: a backend reports them when idle, at the latest 10 s after its last
/// transaction.
fn commits(db: &delphi::db::Db) -> Option<i64> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Commits {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        xact_commit: i64,
    }
    let mut conn = db.get().ok()?;
    let delphi::db::DbConnection::Postgres(pg) = &mut *conn else {
        return None;
    };
    std::thread::sleep(Duration::from_secs(11));
    diesel::sql_query("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        .get_result::<Commits>(pg)
        .ok()
        .map(|c| c.xact_commit)
}

struct Figures {
    rps: f64,
    /// Requests wrk completed.
    requests: u64,
    p99_ms: f64,
    /// Non-2xx responses plus socket errors (connect, read, write, timeout).
    errors: u64,
    /// The largest resident set size of this process (server included) seen during the run.
    peak_rss_mib: f64,
}

fn wrk(url: &str, seconds: u64, script: Option<&std::path::Path>, header: Option<&str>) -> Figures {
    let connections = std::env::var("BENCH_CONNECTIONS").unwrap_or_else(|_| "64".into());
    let threads = if connections == "1" { "-t1" } else { "-t2" };
    let mut cmd = Command::new("wrk");
    cmd.args([
        threads,
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    if let Some(header) = header {
        cmd.args(["-H", header]);
    }
    if let Some(script) = script {
        cmd.arg("-s").arg(script);
    }
    let out = cmd.arg(url).output().expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    // "  123456 requests in 10.00s, 1.2GB read"
    let requests = text
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let p99_ms = text
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .map(|v| {
            let (number, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
            let n: f64 = number.parse().unwrap_or(f64::NAN);
            match unit {
                "us" => n / 1000.0,
                "s" => n * 1000.0,
                _ => n,
            }
        })
        .unwrap_or(f64::NAN);
    let non_2xx: u64 = text
        .lines()
        .find(|l| l.contains("Non-2xx or 3xx responses:"))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    // "Socket errors: connect 0, read 0, write 0, timeout 3": refused, reset or timed-out requests.
    let socket_errors: u64 = text
        .lines()
        .find(|l| l.trim_start().starts_with("Socket errors:"))
        .map(|l| {
            l.split(',')
                .filter_map(|part| part.split_whitespace().last())
                .filter_map(|n| n.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    Figures {
        rps,
        requests,
        p99_ms,
        errors: non_2xx + socket_errors,
        peak_rss_mib: f64::NAN,
    }
}

fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().expect("temp dir");
    let database = support::BenchDatabase::new(dir.path(), "load");
    let backend = database.backend;
    let mut settings = Settings::defaults().expect("defaults");
    settings.database.url = database.url.clone();
    settings.data.dir = dir.path().join("data");
    settings.server.bind = "127.0.0.1:0".into();
    settings.log.level = "warn".into();
    if let Some(batch) = std::env::var("BENCH_AUTOSAVE_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        settings.database.autosave_batch = batch;
    }
    delphi::telemetry::init(&settings.log);
    support::count_round_trips();

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let app = Application::build(settings).await.expect("server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let db = app.db().clone();
        let (token, tokens, codes, round_one_token) = {
            let mut conn = db.get().expect("connection");
            let study = support::sixty::sixty_items(&mut conn, &base);
            let token = study.round_two[EXPERTS - 1].clone();
            (token, study.round_two, study.codes, study.round_one)
        };
        tokio::spawn(app.run_until_stopped());
        let page = format!("{base}/r/{token}");
        let script = dir.path().join("autosave.lua");
        std::fs::write(
            &script,
            "wrk.method = \"POST\"\nwrk.body = \"item=M01&score=7\"\n\
             wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n",
        )
        .expect("lua script");
        // The whole form, as the page without JavaScript posts it, for the next expert in turn;
        // wrk's two threads start half the panel apart.
        let form_script = dir.path().join("form.lua");
        let paths: Vec<String> = tokens.iter().map(|t| format!("\"/r/{t}\"")).collect();
        let body: Vec<String> = codes
            .iter()
            .enumerate()
            .map(|(i, code)| format!("s_{code}={}", 1 + i % 9))
            .chain(std::iter::once("action=save".to_string()))
            .collect();
        std::fs::write(
            &form_script,
            format!(
                "local paths = {{ {} }}\nlocal threads = 0\n\
                 function setup(thread) thread:set(\"turn\", threads * {}); threads = threads + 1 end\n\
                 wrk.method = \"POST\"\nwrk.body = \"{}\"\n\
                 wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n\
                 function request() turn = turn + 1; return wrk.format(nil, paths[turn % #paths + 1]) end\n",
                paths.join(", "),
                EXPERTS / 2,
                body.join("&"),
            ),
        )
        .expect("lua script");

        // BENCH_ONLY=autosave (or page, page1, gzip, json, form) runs /healthz and that one.
        let only = std::env::var("BENCH_ONLY").unwrap_or_default();
        let wanted = |name: &str| only.is_empty() || only == name;
        let run = |label: &str, url: String, script: Option<std::path::PathBuf>, header: Option<&'static str>| {
            // Samples the process's RSS while wrk runs, on a plain thread so that it does not
            // compete with the server's workers for a runtime slot.
            let done = Arc::new(AtomicBool::new(false));
            let sampler = {
                let done = done.clone();
                std::thread::spawn(move || {
                    let mut peak: f64 = 0.0;
                    while !done.load(Ordering::Relaxed) {
                        peak = peak.max(support::rss_mib().0);
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    peak
                })
            };
            let trips_before = ROUND_TRIPS.load(Ordering::Relaxed);
            let mut figures = std::thread::spawn(move || wrk(&url, seconds, script.as_deref(), header))
                .join()
                .expect("wrk thread");
            done.store(true, Ordering::Relaxed);
            figures.peak_rss_mib = sampler.join().unwrap_or(f64::NAN);
            // Requests cut off at the end of the run may have begun their queries: a small
            // overcount, 64 requests out of tens of thousands.
            let trips = ROUND_TRIPS.load(Ordering::Relaxed) - trips_before;
            println!(
                "{label:<44} {:>9.0} req/s   p99 {:>7.2} ms   errors {}   round trips {:.2}/req   peak RSS {:.1} MiB",
                figures.rps,
                figures.p99_ms,
                figures.errors,
                trips as f64 / figures.requests.max(1) as f64,
                figures.peak_rss_mib
            );
            figures
        };
        let connections = std::env::var("BENCH_CONNECTIONS").unwrap_or_else(|_| "64".into());
        tokio::time::sleep(Duration::from_secs(1)).await;
        println!(
            "wrk -c{connections} -d{seconds}s, server and wrk on the same 2-core machine, {backend}; \
             idle RSS {:.1} MiB (bench process: server plus the setup above)",
            support::rss_mib().0
        );
        let health = run("GET /healthz", format!("{base}/healthz"), None, None);
        let skipped = || Figures {
            rps: f64::NAN,
            requests: 0,
            p99_ms: f64::NAN,
            errors: 0,
            peak_rss_mib: f64::NAN,
        };
        let page_plain = if wanted("page") {
            run("GET /r/{token} (60 items + feedback)", page.clone(), None, None)
        } else {
            skipped()
        };
        let page_one = if wanted("page1") {
            run(
                "GET /r/{token} (60 items, round 1)",
                format!("{base}/r/{round_one_token}"),
                None,
                None,
            )
        } else {
            skipped()
        };
        let page_gzip = if wanted("gzip") {
            run(
                "GET /r/{token} (gzip)",
                page.clone(),
                None,
                Some("Accept-Encoding: gzip"),
            )
        } else {
            skipped()
        };
        let save = if wanted("autosave") {
            let before = commits(&db);
            let figures = run(
                "POST /r/{token}/answer (autosave)",
                format!("{page}/answer"),
                Some(script.clone()),
                None,
            );
            if let (Some(before), Some(after)) = (before, commits(&db)) {
                println!(
                    "  commits per request {:.3} ({} commits, {} requests)",
                    (after - before) as f64 / figures.requests.max(1) as f64,
                    after - before,
                    figures.requests
                );
            }
            figures
        } else {
            skipped()
        };
        let save_json = if wanted("json") {
            run(
                "POST /r/{token}/answer (autosave, JSON)",
                format!("{page}/answer"),
                Some(script),
                Some("Accept: application/json"),
            )
        } else {
            skipped()
        };
        let form = if wanted("form") {
            run(
                "POST /r/{token} (60 answers, 64 experts)",
                base.clone(),
                Some(form_script),
                None,
            )
        } else {
            skipped()
        };
        println!(
            "ratios to /healthz: page {:.2}, page round 1 {:.2}, page gzip {:.2}, autosave {:.2}, autosave JSON {:.2}, form {:.3}",
            page_plain.rps / health.rps,
            page_one.rps / health.rps,
            page_gzip.rps / health.rps,
            save.rps / health.rps,
            save_json.rps / health.rps,
            form.rps / health.rps
        );
    });
    drop(database);
}
