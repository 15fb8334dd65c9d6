//! What the benchmark programs share: the database they run on (a SQLite file in a temp dir, or a
//! fresh PostgreSQL database when BENCH_DATABASE_URL is set), the generated study, and the
//! process's memory use. Each bench includes this with `mod support;`, so not every program uses
//! every helper.
#![allow(dead_code)]

pub mod sixty;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use delphi::service::files::{self, StudyBundle};
use diesel::connection::SimpleConnection;
use diesel::Connection;

/// Database round trips of every connection of this process (the server's pool included), once
/// `count_round_trips` is installed.
pub static ROUND_TRIPS: AtomicU64 = AtomicU64::new(0);

/// Installs the round-trip counter on every connection opened from now on: each query, BEGIN,
/// COMMIT and check-out test is one `StartQuery` (on PostgreSQL one round trip to the server;
/// on SQLite a call).
pub fn count_round_trips() {
    diesel::connection::set_default_instrumentation(|| {
        Some(Box::new(|event: diesel::connection::InstrumentationEvent<'_>| {
            if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
                ROUND_TRIPS.fetch_add(1, Ordering::Relaxed);
            }
        }))
    })
    .expect("instrumentation");
}

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The database a bench runs on. A PostgreSQL database is created for the run (named after the
/// bench and the process) and dropped when this is dropped, unless BENCH_KEEP is set.
pub struct BenchDatabase {
    pub url: String,
    pub backend: &'static str,
    postgres: Option<(String, String)>,
}

impl BenchDatabase {
    pub fn new(dir: &Path, name: &str) -> BenchDatabase {
        match std::env::var("BENCH_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let db_name = format!("delphi_{name}_{}", std::process::id());
                let mut conn = diesel::PgConnection::establish(&admin).expect("BENCH_DATABASE_URL connects");
                conn.batch_execute(&format!("DROP DATABASE IF EXISTS {db_name}"))
                    .expect("drop an old database");
                conn.batch_execute(&format!("CREATE DATABASE {db_name}"))
                    .expect("create the database");
                let mut url = url::Url::parse(&admin).expect("BENCH_DATABASE_URL is a URL");
                url.set_path(&db_name);
                BenchDatabase {
                    url: url.to_string(),
                    backend: "postgres",
                    postgres: Some((admin, db_name)),
                }
            }
            _ => BenchDatabase {
                url: format!("sqlite://{}", dir.join(format!("{name}.db")).display()),
                backend: "sqlite",
                postgres: None,
            },
        }
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        if std::env::var_os("BENCH_KEEP").is_some() {
            println!("database kept at {}", self.url);
            return;
        }
        if let Some((admin, name)) = &self.postgres {
            if let Ok(mut conn) = diesel::PgConnection::establish(admin) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

pub const GROUPS: [&str; 4] = ["researcher", "clinician", "programme", "advocate"];

/// A study `slug` with 4 groups, 3 sections, `items` items (I0000…) and `experts` experts
/// (e0@example.org…, groups in turn), the COMET rule and two alternatives, parsed and validated
/// through the same code as `delphi study create`.
pub fn generated_study(slug: &str, items: usize, experts: usize) -> StudyBundle {
    let mut toml = format!(
        "slug = \"{slug}\"\ntitle = \"Benchmark\"\ntimezone = \"UTC\"\nitems = \"items.csv\"\npanel = \"panel.csv\"\n\
         [scale]\nmin = 1\nmax = 9\nunable_to_score = true\nbands = [ {{ name = \"low\", from = 1, to = 3 }}, \
         {{ name = \"mid\", from = 4, to = 6 }}, {{ name = \"high\", from = 7, to = 9 }} ]\n\
         [consensus]\npreset = \"comet\"\n\
         [consensus.alternatives.median-iqr]\nin = [ {{ stat = \"median\", at_least = 7 }}, {{ stat = \"iqr\", at_most = 2 }} ]\n\
         out = [ {{ stat = \"median\", at_most = 3 }}, {{ stat = \"iqr\", at_most = 2 }} ]\n\
         [consensus.alternatives.rand-ucla]\npreset = \"rand-ucla\"\n",
    );
    for g in GROUPS {
        toml.push_str(&format!("[[group]]\nkey = \"{g}\"\nname = \"{g}\"\n"));
    }
    for s in 0..3 {
        toml.push_str(&format!("[[section]]\nkey = \"s{s}\"\ntitle = \"Section {s}\"\n"));
    }
    let items_csv: String = std::iter::once("code,section,text\n".to_string())
        .chain((0..items).map(|i| format!("I{i:04},s{},Item number {i}\n", i % 3)))
        .collect();
    let panel_csv: String = std::iter::once("email,name,group\n".to_string())
        .chain((0..experts).map(|e| format!("e{e}@example.org,Expert {e},{}\n", GROUPS[e % 4])))
        .collect();
    files::study_from_sources("bench.toml", &toml, &|name| match name {
        "items.csv" => Ok((name.to_string(), items_csv.clone().into_bytes())),
        _ => Ok((name.to_string(), panel_csv.clone().into_bytes())),
    })
    .expect("the generated study is valid")
}

/// This process's resident set size in MiB (Linux), and its peak so far.
pub fn rss_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
