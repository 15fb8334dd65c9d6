//! The real `delphi` binary on a test's database: one-shot commands whose output a test reads
//! ([`Cli`]), and `serve` as a child process that a test can kill midway ([`Served`]).
//! `kill_9` is SIGKILL (what `Child::kill` sends on Unix): no shutdown hook runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::app::{TestApp, TestDatabase};

/// `delphi --database-url URL` in `dir`, whatever the environment of the test run says about
/// the database or the log.
fn delphi_on(dir: &Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_delphi"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .arg("--database-url")
        .arg(url);
    cmd
}

/// One-shot `delphi` commands on one database, as a facilitator runs them.
#[derive(Clone)]
pub struct Cli {
    dir: PathBuf,
    url: String,
    log_level: &'static str,
    env: Vec<(String, String)>,
}

impl Cli {
    /// On a test's database, in its folder; warnings are logged (on stderr, shown with a failure).
    pub fn new(database: &TestDatabase) -> Cli {
        Cli::on(database.dir.path(), &database.url)
    }

    /// On any database, in `dir` (a restored copy has no TestDatabase of its own).
    pub fn on(dir: &Path, url: &str) -> Cli {
        Cli {
            dir: dir.to_path_buf(),
            url: url.to_string(),
            log_level: "warn",
            env: Vec::new(),
        }
    }

    /// Nothing logged: stderr holds only what the command itself says.
    pub fn quiet(mut self) -> Cli {
        self.log_level = "off";
        self
    }

    /// A setting (`DELPHI__…`) for every command, over the ones [`Cli::command`] sets.
    pub fn env(mut self, key: &str, value: &str) -> Cli {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The folder the commands run in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The command before its arguments; links it prints start with https://delphi.example.org.
    pub fn command(&self) -> Command {
        let mut cmd = delphi_on(&self.dir, &self.url);
        cmd.env("DELPHI__LOG__LEVEL", self.log_level)
            .env("DELPHI__SERVER__PUBLIC_URL", "https://delphi.example.org")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("delphi runs")
    }

    /// Runs with `input` on stdin (passwords are read there).
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("delphi runs");
        {
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input.as_bytes()).expect("write stdin");
        }
        child.wait_with_output().expect("delphi finishes")
    }

    /// Runs and expects success; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        succeeded(args, self.run(args))
    }

    /// `delphi export SLUG --format FORMAT --out OUT`, expected to succeed; returns stdout.
    #[track_caller]
    pub fn export(&self, slug: &str, format: &str, out: &Path) -> String {
        let out = out.to_str().unwrap();
        self.ok(&["export", slug, "--format", format, "--out", out])
    }

    /// `delphi export SLUG --format csv --out DIR`, expected to succeed; returns stdout.
    #[track_caller]
    pub fn export_csv(&self, slug: &str, out: &Path) -> String {
        self.export(slug, "csv", out)
    }

    /// `delphi export SLUG --format csv --out DIR --identified` (names and emails in the
    /// files), expected to succeed; returns stdout.
    #[track_caller]
    pub fn export_identified(&self, slug: &str, out: &Path) -> String {
        let out = out.to_str().unwrap();
        self.ok(&["export", slug, "--format", "csv", "--out", out, "--identified"])
    }

    /// `delphi export SLUG --format zip --out OUT`, expected to succeed; the package's files
    /// as text, by their name inside the `SLUG/` folder.
    #[track_caller]
    pub fn package(&self, slug: &str, out: &Path) -> std::collections::BTreeMap<String, String> {
        self.export(slug, "zip", out);
        let folder = format!("{slug}/");
        crate::support::files::unzip(&std::fs::read(out).unwrap())
            .into_iter()
            .filter_map(|(name, bytes)| {
                let name = name.strip_prefix(&folder)?.to_owned();
                Some((name, String::from_utf8_lossy(&bytes).into_owned()))
            })
            .collect()
    }

    #[track_caller]
    pub fn ok_with_input(&self, args: &[&str], input: &str) -> String {
        succeeded(args, self.run_with_input(args, input))
    }

    /// Runs and expects exit code 2 with exactly one line on stderr; returns that line.
    #[track_caller]
    pub fn refused(&self, args: &[&str]) -> String {
        refused(args, self.run(args))
    }

    /// Runs and expects exit code 1 (the command failed); returns stderr.
    #[track_caller]
    pub fn failed(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "delphi {args:?}: expected exit 1, stderr: {stderr}"
        );
        stderr
    }

    #[track_caller]
    pub fn refused_with_input(&self, args: &[&str], input: &str) -> String {
        refused(args, self.run_with_input(args, input))
    }
}

#[track_caller]
fn succeeded(args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "delphi {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[track_caller]
fn refused(args: &[&str], out: Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "delphi {args:?}: expected exit 2, stderr: {stderr}"
    );
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line on stderr: {stderr}"
    );
    stderr
}

/// `delphi` for a child process a test kills: a quiet log, its own data folder, stdout ignored
/// and stderr kept in a file of the test's folder.
pub fn child_process(database: &TestDatabase) -> Command {
    let mut cmd = delphi_on(database.dir.path(), &database.url);
    cmd.env("DELPHI__LOG__LEVEL", "error")
        .env("DELPHI__DATA__DIR", database.data_dir())
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
        Served::start_on(free_port(), database, env).await
    }

    /// `start`, with the server's links (emails) pointing at the server itself.
    #[cfg_attr(not(feature = "browser-tests"), allow(dead_code))]
    pub async fn start_public(database: &TestDatabase, env: &[(&str, String)]) -> Served {
        let port = free_port();
        let mut env = env.to_vec();
        env.push(("DELPHI__SERVER__PUBLIC_URL", format!("http://127.0.0.1:{port}")));
        Served::start_on(port, database, &env).await
    }

    async fn start_on(port: u16, database: &TestDatabase, env: &[(&str, String)]) -> Served {
        let mut cmd = child_process(database);
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
