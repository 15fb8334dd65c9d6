//! Emails at scale: queue 10,000 invitations (open a round of a study with 10,000 experts through
//! the same use case as `delphi round open`), then deliver them over SMTP to an in-process server
//! on a random port through the outbox worker (the same code as `delphi outbox --send`).
//!
//!     cargo bench --bench email                         # SQLite (temp file)
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench email
//!
//! BENCH_EXPERTS (10,000), BENCH_ITEMS (20) and BENCH_SMTP_POOL (SMTP connections, 16) change the
//! sizes. The SMTP server accepts everything and only counts messages.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use delphi::config::{EmailTransportKind, Settings, SmtpSecurity};
use delphi::db::Db;
use delphi::domain::link::LinkBase;
use delphi::service::outbox::Worker;
use delphi::service::Store;
use delphi::service::{rounds, studies, Actor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

mod support;
use support::env_usize;

/// A minimal SMTP server (the test server of tests/it/smtp_server.rs without its failure modes).
async fn smtp_session(stream: TcpStream, count: Arc<AtomicUsize>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if write.write_all(b"220 bench ESMTP\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-bench\r\n250 8BITMIME\r\n"
        } else if upper == "DATA" {
            if write.write_all(b"354 go ahead\r\n").await.is_err() {
                return;
            }
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if line == ".\r\n" {
                    break;
                }
            }
            count.fetch_add(1, Ordering::Relaxed);
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

fn main() {
    let experts = env_usize("BENCH_EXPERTS", 10_000);
    let items = env_usize("BENCH_ITEMS", 20);
    let dir = tempfile::tempdir().expect("temp dir");
    let database = support::BenchDatabase::new(dir.path(), "mailbench");
    let (url, backend) = (database.url.clone(), database.backend);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let count = Arc::new(AtomicUsize::new(0));
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind smtp");
    let port = listener.local_addr().expect("smtp addr").port();
    let server_count = count.clone();
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(smtp_session(stream, server_count.clone()));
        }
    });

    let mut settings = Settings::defaults().expect("defaults");
    settings.data.dir = dir.path().join("data");
    settings.email.transport = EmailTransportKind::Smtp;
    settings.email.smtp.host = "127.0.0.1".into();
    settings.email.smtp.port = port;
    settings.email.smtp.security = SmtpSecurity::None;
    settings.email.smtp.pool_size = env_usize("BENCH_SMTP_POOL", 16) as u32;
    let db =
        Db::connect(&url, &delphi::service::store::pool_options(&settings.database)).expect("database opens");
    let mut conn = db.get().expect("connection");
    let actor = Actor("bench".into());
    println!("backend {backend}: {experts} experts, {items} items");

    let bundle = support::generated_study("mailbench", items, experts);
    studies::create(&mut conn, &bundle, &actor).expect("study created");

    let start = Instant::now();
    let opened = rounds::open(
        &mut conn,
        "mailbench",
        None,
        &LinkBase("http://localhost:8080".into()),
        &actor,
    )
    .expect("round opens");
    let queued_in = start.elapsed().as_secs_f64();
    println!(
        "queue {} invitations (open round 1: tokens, invitations, rendered emails, one transaction): {queued_in:.3} s",
        opened.emails_queued
    );
    drop(conn);

    // Built and dropped inside the runtime: lettre's connection pool runs tasks on it.
    let (summary, secs) = runtime.block_on(async {
        let worker = Worker::new(Store::from_db(db.clone()), settings.clone()).expect("worker");
        let start = Instant::now();
        let summary = worker.deliver_due().await.expect("delivery");
        (summary, start.elapsed().as_secs_f64())
    });
    println!(
        "deliver {} over SMTP ({} connections): {secs:.3} s = {:.0} messages/s (server received {}, {} retrying, {} failed)",
        summary.sent,
        settings.email.smtp.pool_size,
        summary.sent as f64 / secs,
        count.load(Ordering::Relaxed),
        summary.retrying,
        summary.failed
    );
    drop(db);
    drop(database);
}
