//! The expert's rating page and autosave under load, each against the same server's `/healthz`.
//!
//!     cargo bench --bench expert_load            # needs `wrk` (Debian package) on PATH
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench expert_load    # a fresh PostgreSQL database
//!
//! Sets up a 60-item study in round 2 (so every item carries the group's feedback: a histogram,
//! per-group lines and comments), starts the real server in-process on SQLite (or PostgreSQL),
//! then runs wrk with BENCH_CONNECTIONS connections (64) for BENCH_SECONDS (10) against:
//! /healthz, the rating page, and the autosave endpoint. Prints requests/s, p99 latency, errors
//! (non-2xx responses and socket errors), the process's RSS idle and at its peak during each run,
//! and the ratios. BENCH_ONLY=page|gzip|autosave runs /healthz and that one.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use delphi::config::Settings;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::rounds::Round;
use delphi::domain::answer::Answer;
use delphi::domain::link::LinkBase;
use delphi::service::ratings::{record, AnswerInput};
use delphi::service::{demo, rounds, studies, Actor};
use delphi::startup::Application;

mod support;

struct Figures {
    rps: f64,
    p99_ms: f64,
    /// Non-2xx responses plus socket errors (connect, read, write, timeout).
    errors: u64,
    /// The largest resident set size of this process (server included) seen during the run.
    peak_rss_mib: f64,
}

fn wrk(url: &str, seconds: u64, script: Option<&std::path::Path>, accept_gzip: bool) -> Figures {
    let connections = std::env::var("BENCH_CONNECTIONS").unwrap_or_else(|_| "64".into());
    let threads = if connections == "1" { "-t1" } else { "-t2" };
    let mut cmd = Command::new("wrk");
    cmd.args([
        threads,
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    if accept_gzip {
        cmd.args(["-H", "Accept-Encoding: gzip"]);
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
    delphi::telemetry::init(&settings.log);

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let app = Application::build(settings).await.expect("server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let db = app.db().clone();
        let actor = Actor("bench".into());
        let token = {
            let mut conn = db.get().expect("connection");
            // The example study, widened to 60 items.
            let mut bundle = demo::bundle().expect("example study");
            bundle.file.slug = "sixty".into();
            let originals = bundle.items.clone();
            for i in 0..(60 - originals.len()) {
                let mut item = originals[i % originals.len()].clone();
                item.code = format!("X{i:02}");
                bundle.items.push(item);
            }
            studies::create(&mut conn, &bundle, &actor).expect("study");
            let links = LinkBase(base.clone());
            rounds::open(&mut conn, "sixty", None, &links, &actor).expect("round 1");
            let study = studies::load(&mut conn, "sixty").expect("study loads");
            let round = Round::open_of_study(&mut conn, study.id)
                .expect("query")
                .expect("open round");
            for (n, invitation) in Invitation::of_round(&mut conn, round.id)
                .expect("invitations")
                .iter()
                .enumerate()
            {
                for item in &bundle.items {
                    let answer = AnswerInput {
                        item_code: item.code.clone(),
                        answer: Answer::Score([2, 5, 8, 5, 8, 2, 5, 8][n % 8]),
                        comment: (n < 3)
                            .then(|| "The assay is not available in most district laboratories.".into()),
                        reason: None,
                    };
                    record(&mut conn, invitation.id, &answer).expect("answer");
                }
            }
            rounds::close(&mut conn, "sixty", "facilitator", &actor).expect("close");
            rounds::open(&mut conn, "sixty", None, &links, &actor).expect("round 2");
            let email = OutboxEmail::pending(&mut conn, Some(study.id))
                .expect("outbox")
                .into_iter()
                .rfind(|e| e.kind == "invitation")
                .expect("a round-2 invitation");
            let start = email.body_text.find("/r/").expect("a link") + 3;
            email.body_text[start..start + 64].to_string()
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

        // BENCH_ONLY=autosave (or page, gzip) runs /healthz and that one.
        let only = std::env::var("BENCH_ONLY").unwrap_or_default();
        let wanted = |name: &str| only.is_empty() || only == name;
        let run = |label: &str, url: String, script: Option<std::path::PathBuf>, gzip: bool| {
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
            let mut figures = std::thread::spawn(move || wrk(&url, seconds, script.as_deref(), gzip))
                .join()
                .expect("wrk thread");
            done.store(true, Ordering::Relaxed);
            figures.peak_rss_mib = sampler.join().unwrap_or(f64::NAN);
            println!(
                "{label:<44} {:>9.0} req/s   p99 {:>7.2} ms   errors {}   peak RSS {:.1} MiB",
                figures.rps, figures.p99_ms, figures.errors, figures.peak_rss_mib
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
        let health = run("GET /healthz", format!("{base}/healthz"), None, false);
        let skipped = || Figures {
            rps: f64::NAN,
            p99_ms: f64::NAN,
            errors: 0,
            peak_rss_mib: f64::NAN,
        };
        let page_plain = if wanted("page") {
            run("GET /r/{token} (60 items + feedback)", page.clone(), None, false)
        } else {
            skipped()
        };
        let page_gzip = if wanted("gzip") {
            run("GET /r/{token} (gzip)", page.clone(), None, true)
        } else {
            skipped()
        };
        let save = if wanted("autosave") {
            run(
                "POST /r/{token}/answer (autosave)",
                format!("{page}/answer"),
                Some(script),
                false,
            )
        } else {
            skipped()
        };
        println!(
            "ratios to /healthz: page {:.2}, page gzip {:.2}, autosave {:.2}",
            page_plain.rps / health.rps,
            page_gzip.rps / health.rps,
            save.rps / health.rps
        );
    });
    drop(database);
}
