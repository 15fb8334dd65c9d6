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
use delphi::domain::responses_file;
use delphi::service::rounds::LinkBase;
use delphi::service::{files, ratings, rounds, studies, Actor};
use diesel::connection::SimpleConnection;
use diesel::Connection;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn study_toml(items: usize) -> String {
    let mut toml = String::from(
        "slug = \"bench\"\ntitle = \"Benchmark\"\ntimezone = \"UTC\"\nitems = \"items.csv\"\npanel = \"panel.csv\"\n\
         [scale]\nmin = 1\nmax = 9\nunable_to_score = true\nbands = [ { name = \"low\", from = 1, to = 3 }, \
         { name = \"mid\", from = 4, to = 6 }, { name = \"high\", from = 7, to = 9 } ]\n\
         [consensus]\npreset = \"comet\"\n\
         [consensus.alternatives.median-iqr]\nin = [ { stat = \"median\", at_least = 7 }, { stat = \"iqr\", at_most = 2 } ]\n\
         out = [ { stat = \"median\", at_most = 3 }, { stat = \"iqr\", at_most = 2 } ]\n\
         [consensus.alternatives.rand-ucla]\npreset = \"rand-ucla\"\n",
    );
    for g in ["researcher", "clinician", "programme", "advocate"] {
        toml.push_str(&format!("[[group]]\nkey = \"{g}\"\nname = \"{g}\"\n"));
    }
    for s in 0..3 {
        toml.push_str(&format!("[[section]]\nkey = \"s{s}\"\ntitle = \"Section {s}\"\n"));
    }
    let _ = items;
    toml
}

fn main() {
    let experts = env_usize("BENCH_EXPERTS", 2_000);
    let items = env_usize("BENCH_ITEMS", 300);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cleanup: Option<(String, String)> = None;
    let (url, backend) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("delphi_bench_{}", std::process::id());
            let mut conn = diesel::PgConnection::establish(&admin).expect("BENCH_DATABASE_URL connects");
            conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .expect("drop old db");
            conn.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create db");
            let mut url = url::Url::parse(&admin).expect("URL");
            url.set_path(&name);
            cleanup = Some((admin.clone(), name));
            (url.to_string(), "postgres")
        }
        _ => (
            format!("sqlite://{}", dir.path().join("bench.db").display()),
            "sqlite",
        ),
    };
    let settings = Settings::defaults().expect("defaults");
    let db = Db::connect(&url, &settings.database).expect("database opens");
    let mut conn = db.get().expect("connection");
    let actor = Actor("bench".into());
    println!(
        "backend {backend}: {experts} experts × {items} items = {} ratings",
        experts * items
    );

    let items_csv: String = std::iter::once("code,section,text\n".to_string())
        .chain((0..items).map(|i| format!("I{i:04},s{},Item number {i}\n", i % 3)))
        .collect();
    let groups = ["researcher", "clinician", "programme", "advocate"];
    let panel_csv: String = std::iter::once("email,name,group\n".to_string())
        .chain((0..experts).map(|e| format!("e{e}@example.org,Expert {e},{}\n", groups[e % 4])))
        .collect();
    let start = Instant::now();
    let bundle = files::study_from_sources("bench.toml", &study_toml(items), &|name| match name {
        "items.csv" => Ok((name.to_string(), items_csv.clone().into_bytes())),
        _ => Ok((name.to_string(), panel_csv.clone().into_bytes())),
    })
    .expect("valid study");
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
    if let Some((admin, name)) = cleanup {
        if let Ok(mut conn) = diesel::PgConnection::establish(&admin) {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
    if std::env::var_os("BENCH_KEEP").is_some() {
        println!("database kept at {url}");
        std::mem::forget(dir);
    }
}
