#![allow(dead_code)] // Not every fault test uses every helper.

//! The real `delphi` binary as a child process, for tests that kill it: `serve` on a free
//! port of a test's database, and one-shot commands (`round close`) that can be killed
//! midway. `kill_9` is SIGKILL (what `Child::kill` sends on Unix): no shutdown hook runs.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::app::{TestApp, TestDatabase};

/// `delphi --database-url URL` with a quiet log, running in the test's folder.
pub fn delphi(database: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_delphi"));
    cmd.current_dir(database.dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("DELPHI__LOG__LEVEL", "error")
        .env("DELPHI__DATA__DIR", database.data_dir())
        .arg("--database-url")
        .arg(&database.url)
        .stdout(Stdio::null())
        .stderr(log_file(database));
    cmd
}

/// What the child processes of a test print on stderr: a file in the test's folder, shown when
/// a process does not start.
fn log_path(database: &TestDatabase) -> std::path::PathBuf {
    database.dir.path().join("delphi.log")
}

fn log_file(database: &TestDatabase) -> Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path(database))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::inherit())
}

/// A free TCP port on 127.0.0.1, found by binding and releasing it.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A running `delphi serve`.
pub struct Served {
    child: Child,
    pub port: u16,
}

impl Served {
    /// Starts `serve` on a free port with `env` (DELPHI__… settings) and waits until it answers
    /// `/healthz` (at most 20 s).
    pub async fn start(database: &TestDatabase, env: &[(&str, String)]) -> Served {
        let port = free_port();
        let mut cmd = delphi(database);
        cmd.env("DELPHI__SERVER__WORKERS", "2")
            .env("DELPHI__SERVER__SHUTDOWN_TIMEOUT_SECS", "1")
            // Only what a test asks for runs in the background.
            .env("DELPHI__WORKERS__SCHEDULER_INTERVAL_SECS", "3600")
            .env("DELPHI__WORKERS__OUTBOX_INTERVAL_SECS", "3600")
            .env("DELPHI__EMAIL__TRANSPORT", "log");
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")]);
        let child = cmd.spawn().expect("delphi serve starts");
        let mut served = Served { child, port };
        let client = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{port}/healthz");
        let started = Instant::now();
        loop {
            if let Ok(response) = client.get(&url).timeout(Duration::from_secs(2)).send().await {
                if response.status().is_success() {
                    return served;
                }
            }
            let log = || std::fs::read_to_string(log_path(database)).unwrap_or_default();
            if let Ok(Some(status)) = served.child.try_wait() {
                panic!("delphi serve exited before answering: {status}\n{}", log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "delphi serve did not answer /healthz within 20 s\n{}",
                log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// SIGKILL, and waits for the process to be gone.
    pub fn kill_9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill_9();
    }
}

/// A [`TestApp`] whose server is `served` (the test's own pool on the same database).
pub fn app_of(database: TestDatabase, served: &Served) -> TestApp {
    TestApp {
        address: served.address(),
        port: served.port,
        db: database.connect(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("http client"),
        database,
    }
}

/// Points `app` at a restarted server.
pub fn repoint(app: &mut TestApp, served: &Served) {
    app.address = served.address();
    app.port = served.port;
}
