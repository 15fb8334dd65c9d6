//! The binary's contract: exit codes and one-line errors.

use std::process::Command;

use crate::support::app::TestDatabase;
use crate::support::cli::{free_port, Cli};

/// The binary on the test's database, before its arguments.
fn delphi(database: &TestDatabase) -> Command {
    Cli::new(database).command()
}

#[test]
fn migrate_succeeds_and_reports_the_version() {
    let database = TestDatabase::new();
    let out = delphi(&database).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("applied"), "{stdout}");
    // Twice is fine.
    assert!(delphi(&database).arg("migrate").status().unwrap().success());
}

#[test]
fn a_bad_setting_exits_2_naming_the_key() {
    let database = TestDatabase::new();
    let out = delphi(&database)
        .env("DELPHI__SERVER__WORKERS", "lots")
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("server.workers") && stderr.contains("DELPHI__SERVER__WORKERS"),
        "{stderr}"
    );
}

#[test]
fn a_bad_database_url_exits_2_and_an_unreachable_one_exits_1() {
    let database = TestDatabase::new();
    let out = Command::new(env!("CARGO_BIN_EXE_delphi"))
        .current_dir(database.dir.path())
        .args(["--database-url", "mysql://localhost/x", "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("database.url"));

    // Nothing listens on port 1: the real connection error reaches the user.
    let out = Command::new(env!("CARGO_BIN_EXE_delphi"))
        .current_dir(database.dir.path())
        .env("DELPHI__LOG__LEVEL", "off")
        .args([
            "--database-url",
            "postgres://nobody:secret@127.0.0.1:1/none",
            "migrate",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("connection refused") || stderr.contains("connect"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "the password leaked: {stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_delphi"))
        .arg("no-such-verb")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_delphi"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn serve_runs_with_no_configuration_and_stops_on_sigterm() {
    let database = TestDatabase::new();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_delphi"))
        .current_dir(database.dir.path())
        .env_remove("DATABASE_URL")
        .env("DELPHI__LOG__LEVEL", "warn")
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let mut healthy = false;
    for _ in 0..100 {
        if let Ok(body) = blocking_get(&url) {
            healthy = body.contains("\"status\":\"ok\"") && body.contains("\"database\":\"sqlite\"");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // SIGTERM, as a service manager would send it.
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().unwrap();
    assert!(healthy, "serve did not answer /healthz");
    assert!(
        status.success(),
        "serve should exit 0 after SIGTERM, got {status:?}"
    );
    assert!(
        database.dir.path().join("data/delphi.db").is_file(),
        "default SQLite file in ./data"
    );
}

fn blocking_get(url: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = std::net::TcpStream::connect(host)?;
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut body = String::new();
    stream.read_to_string(&mut body)?;
    Ok(body)
}
