//! Closing a round of 2,000 experts × 300 items (600,000 ratings), and importing those answers.
//!
//!     cargo bench --bench close_round                       # SQLite (temp file)
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench close_round   # a fresh PostgreSQL database
//!
//! Sizes can be changed with BENCH_EXPERTS and BENCH_ITEMS. Prints one line per phase; the
//! figures in BENCHMARKS.md come from this program.

use std::time::Instant;

use delphi::config::Settings;
use delphi::db::Db;
use delphi::domain::link::LinkBase;
use delphi::domain::responses_file;
use delphi::service::{ratings, rounds, studies, Actor};

mod support;
use support::env_usize;

fn main() {
    let experts = env_usize("BENCH_EXPERTS", 2_000);
    let items = env_usize("BENCH_ITEMS", 300);
    let dir = tempfile::tempdir().expect("temp dir");
    let database = support::BenchDatabase::new(dir.path(), "bench");
    let (url, backend) = (database.url.clone(), database.backend);
    let settings = Settings::defaults().expect("defaults");
    let db =
        Db::connect(&url, &delphi::service::store::pool_options(&settings.database)).expect("database opens");
    let mut conn = db.get().expect("connection");
    let actor = Actor("bench".into());
    println!(
        "backend {backend}: {experts} experts × {items} items = {} ratings",
        experts * items
    );

    let start = Instant::now();
    let bundle = support::generated_study("bench", items, experts);
    studies::create(&mut conn, &bundle, &actor).expect("study created");
    println!(
        "create study (parse, validate, insert {items} items and {experts} experts): {:.3} s",
        start.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    rounds::open(
        &mut conn,
        "bench",
        None,
        &LinkBase("http://localhost".into()),
        &actor,
    )
    .expect("round opens");
    println!(
        "open round 1 ({experts} invitations + emails queued): {:.3} s",
        start.elapsed().as_secs_f64()
    );

    // Deterministic answers with a spread of shapes: some items agree, some split.
    let mut csv = String::with_capacity(experts * items * 32);
    csv.push_str("expert,item,score\n");
    for e in 0..experts {
        for i in 0..items {
            let score = match i % 4 {
                0 => 7 + (e % 3),
                1 => 1 + (e % 3),
                2 => 1 + (e * 7 + i) % 9,
                _ => 4 + (e % 6),
            };
            let cell = if (e + i) % 97 == 0 {
                "U".to_string()
            } else {
                score.to_string()
            };
            csv.push_str(&format!("e{e}@example.org,I{i:04},{cell}\n"));
        }
    }
    let start = Instant::now();
    let parsed = responses_file::parse_responses_csv("answers.csv", &csv).expect("answers parse");
    println!(
        "parse responses CSV ({} MB): {:.3} s",
        csv.len() / 1_000_000,
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let imported = ratings::import_responses(&mut conn, "bench", &parsed, &actor).expect("answers import");
    println!(
        "import {} answers (validate + one transaction): {:.3} s",
        imported.saved,
        start.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    let closed = rounds::close(&mut conn, "bench", "facilitator", &actor).expect("round closes");
    println!(
        "close round ({} items × (pooled + 4 groups) × 3 rules = {} result rows): {:.3} s",
        closed.items,
        closed.items * 5 * 3,
        start.elapsed().as_secs_f64()
    );
    println!(
        "statuses: {} in, {} out, {} none",
        closed.in_, closed.out, closed.none
    );
    drop(conn);
    drop(db);
    drop(database);
    if std::env::var_os("BENCH_KEEP").is_some() {
        std::mem::forget(dir);
    }
}
