//! What one request costs the server, in instructions: `/healthz`, the 60-item round-1 page and
//! the round-2 page (the same items with last round's feedback), counted by callgrind. Unlike a
//! timed run, the count hardly changes with what else the machine is doing.
//!
//!     cargo bench --bench request_cost     # needs valgrind and curl (Debian packages)
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench request_cost
//!     cargo bench --profile dev --features browser-tests --bench request_cost   # quicker to build
//!
//! The program sets up the studies of `expert_load` (support::sixty) at full speed, then runs
//! itself again under `valgrind --tool=callgrind --instr-atstart=no` as the server. For each
//! request it sends BENCH_WARMUP (20) requests, dumps callgrind's counters (which zeroes them),
//! sends BENCH_REQUESTS (200) more and dumps again: that dump's totals over the requests are the
//! figures. curl sends them one after the other on one keep-alive connection, from its own
//! process, so none of the client's work is counted: what is left is everything the server's
//! process did for them in user space — parsing, middleware, the database, the page, handing the
//! response to the kernel (whose own work, sending the bytes and waking threads, is not counted).
//! Also printed: the response's size and the database round trips per request (diesel's
//! instrumentation, as in `expert_load`).
//! BENCH_ONLY=page1|page runs `/healthz` and that one.
//!
//! The dumps stay in target/callgrind/ (`callgrind.out.N`, the request named in its
//! `desc: Trigger` line) for `callgrind_annotate --inclusive=yes target/callgrind/callgrind.out.N`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::Duration;

use delphi::config::Settings;
use delphi::db::models::outbox::OutboxEmail;
use delphi::service::Store;
use delphi::startup::Application;

mod support;

use support::{env_usize, ROUND_TRIPS};

/// Set in the environment of the program's second run, the server under callgrind.
const CHILD: &str = "DELPHI_REQUEST_COST_SERVER";

/// The requests measured, in order: name (for BENCH_ONLY and the dumps) and what it asks for.
const REQUESTS: [(&str, &str); 3] = [
    ("healthz", "GET /healthz"),
    ("page1", "GET /r/{token}, 60 items, round 1"),
    ("page", "GET /r/{token}, 60 items + feedback, round 2"),
];

fn main() {
    if std::env::var_os(CHILD).is_some() {
        serve_and_count();
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let database = support::BenchDatabase::new(dir.path(), "cost");
    let settings = Settings::defaults().expect("defaults");
    let links = {
        let store = Store::open(&database.url, &settings.database).expect("database opens");
        let mut conn = store.db().get().expect("connection");
        // The links' address does not matter: only their tokens are used.
        support::sixty::sixty_items(&mut conn, "http://127.0.0.1")
    };
    let dumps = PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
        .join("callgrind");
    let _ = std::fs::remove_dir_all(&dumps);
    std::fs::create_dir_all(&dumps).expect("dump folder");
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--instr-atstart=no")
        .arg(format!(
            "--callgrind-out-file={}",
            dumps.join("callgrind.out").display()
        ))
        .arg(std::env::current_exe().expect("this program's path"))
        .env(CHILD, "1")
        .env("BENCH_COST_URL", &database.url)
        .env("BENCH_COST_DATA", dir.path().join("data"))
        .env("BENCH_COST_ROUND_ONE", &links.round_one)
        .env(
            "BENCH_COST_ROUND_TWO",
            &links.round_two[support::sixty::EXPERTS - 1],
        )
        .env("BENCH_COST_DUMPS", &dumps)
        .status()
        .expect("valgrind runs (apt-get install valgrind)");
    assert!(status.success(), "the server under callgrind failed: {status}");
    drop(database);
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set by the first run"))
}

/// The second run: the server, under callgrind, and the requests sent to it.
fn serve_and_count() {
    let mut settings = Settings::defaults().expect("defaults");
    settings.database.url = var("BENCH_COST_URL");
    settings.data.dir = var("BENCH_COST_DATA").into();
    settings.server.bind = "127.0.0.1:0".into();
    settings.log.level = "warn".into();
    // The workers run once at start (sending the invitations the set-up queued), then not
    // again while the requests are counted.
    settings.workers.outbox_interval_secs = 3600;
    settings.workers.scheduler_interval_secs = 3600;
    delphi::telemetry::init(&settings.log);
    support::count_round_trips();
    let dumps = PathBuf::from(var("BENCH_COST_DUMPS"));
    let (round_one, round_two) = (var("BENCH_COST_ROUND_ONE"), var("BENCH_COST_ROUND_TWO"));
    let (warmup, requests) = (env_usize("BENCH_WARMUP", 20), env_usize("BENCH_REQUESTS", 200));
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let app = Application::build(settings).await.expect("server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let db = app.db().clone();
        tokio::spawn(app.run_until_stopped());
        // Until the outbox worker has sent what the set-up queued.
        while !OutboxEmail::pending(&mut db.get().expect("connection"), None)
            .expect("outbox")
            .is_empty()
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        callgrind(&["--instr=on"]);
        println!(
            "{} requests each after {warmup} unmeasured, one keep-alive connection, {}",
            requests,
            db.backend()
        );
        println!(
            "{:<48} {:>9} {:>12} {:>14} {:>10}",
            "request", "bytes", "round trips", "instructions", "vs healthz"
        );
        let mut healthz = None;
        for (name, label) in REQUESTS {
            if !(only.is_empty() || only == name || name == "healthz") {
                continue;
            }
            let url = match name {
                "healthz" => format!("{base}/healthz"),
                "page1" => format!("{base}/r/{round_one}"),
                _ => format!("{base}/r/{round_two}"),
            };
            let dumps = dumps.clone();
            let cost = tokio::task::spawn_blocking(move || measure(name, &url, warmup, requests, &dumps))
                .await
                .expect("measured");
            let per_request = cost.instructions as f64 / requests as f64;
            let base_cost = *healthz.get_or_insert(per_request);
            println!(
                "{label:<48} {:>9} {:>12.2} {:>14.0} {:>10.2}",
                cost.bytes,
                cost.round_trips as f64 / requests as f64,
                per_request,
                per_request / base_cost
            );
        }
    });
}

struct Cost {
    bytes: u64,
    round_trips: u64,
    instructions: u64,
}

/// `requests` requests to `url` after `warmup` uncounted ones.
fn measure(name: &str, url: &str, warmup: usize, requests: usize, dumps: &Path) -> Cost {
    curl(url, warmup);
    callgrind(&[&format!("--dump={name}-warmup")]);
    let trips = ROUND_TRIPS.load(Ordering::Relaxed);
    let bytes = curl(url, requests);
    let round_trips = ROUND_TRIPS.load(Ordering::Relaxed) - trips;
    callgrind(&[&format!("--dump={name}")]);
    Cost {
        bytes,
        round_trips,
        instructions: dumped(dumps, name),
    }
}

/// Sends `n` GETs on one connection and returns the size of the last response's body; fails
/// unless every answer is a 200.
fn curl(url: &str, n: usize) -> u64 {
    let mut cmd = Command::new("curl");
    cmd.args([
        "--silent",
        "--show-error",
        "--write-out",
        "%{http_code} %{size_download}\n",
    ]);
    for _ in 0..n {
        cmd.args([url, "--output", "/dev/null"]);
    }
    let out = cmd.output().expect("curl runs (apt-get install curl)");
    let text = String::from_utf8_lossy(&out.stdout);
    let answers: Vec<(&str, u64)> = text
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(status, size)| (status, size.parse().unwrap_or(0)))
        .collect();
    assert_eq!(answers.len(), n, "curl: {}", String::from_utf8_lossy(&out.stderr));
    assert!(answers.iter().all(|(status, _)| *status == "200"), "{text}");
    answers.last().map(|(_, size)| *size).unwrap_or(0)
}

/// Asks callgrind, through `callgrind_control`, to do something to this process.
fn callgrind(args: &[&str]) {
    let status = Command::new("callgrind_control")
        .args(args)
        .arg(std::process::id().to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("callgrind_control runs");
    assert!(status.success(), "callgrind_control {args:?}: {status}");
}

/// The instructions counted in the dump named `name`.
fn dumped(dumps: &Path, name: &str) -> u64 {
    let trigger = format!("desc: Trigger: dump {name}\n");
    for entry in std::fs::read_dir(dumps).expect("dump folder").flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if !text.contains(&trigger) {
            continue;
        }
        let field = |prefix: &str| -> Vec<&str> {
            text.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .map(|l| l.split_whitespace().collect())
                .unwrap_or_default()
        };
        let (events, totals) = (field("events: "), field("totals: "));
        let total = |event: &str| -> u64 {
            events
                .iter()
                .position(|e| *e == event)
                .and_then(|i| totals.get(i))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no {event} in the dump {name}"))
        };
        return total("Ir");
    }
    panic!("no callgrind dump named {name} in {}", dumps.display());
}
