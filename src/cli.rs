//! The command line (see docs/cli.md): parse, load settings, dispatch to use cases.
//!
//! Exit codes are a contract with scripts: 0 success; 2 bad input or usage, with one line on
//! stderr naming what was wrong; 1 anything else, with one line on stderr and details in the log.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Settings, Sources};
use crate::db::{migrations, Db};
use crate::startup::Application;
use crate::telemetry;

#[derive(Debug, Parser)]
#[command(
    name = "delphi",
    version,
    about = "Delphi-style consensus studies: rounds, ratings, consensus, exports"
)]
pub struct Cli {
    /// Settings file (TOML); see config/default.toml for every key.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (also DATABASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server and the background workers.
    Serve {
        /// Address to listen on, HOST:PORT (default from server.bind: 127.0.0.1:8080).
        #[arg(long, value_name = "HOST:PORT")]
        bind: Option<String>,
    },
    /// Apply pending database migrations, then exit.
    Migrate,
}

/// A failure with its exit code: `Usage` (2) for bad input, `Failed` (1) for the rest.
#[derive(Debug)]
pub enum CliError {
    Usage(String),
    Failed(anyhow::Error),
}

impl CliError {
    fn exit(self) -> ExitCode {
        match self {
            CliError::Usage(message) => {
                eprintln!("delphi: {message}");
                ExitCode::from(2)
            }
            CliError::Failed(error) => {
                tracing::error!(error = ?error, "command failed");
                eprintln!("delphi: {error:#}");
                ExitCode::from(1)
            }
        }
    }
}

impl From<crate::config::ConfigError> for CliError {
    fn from(e: crate::config::ConfigError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<crate::db::DbError> for CliError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::BadUrl(reason) => CliError::Usage(format!("database URL: {reason}")),
            other => CliError::Failed(other.into()),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version itself; usage errors exit 2 as the contract says.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.exit(),
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let mut settings = Settings::load(&Sources::from_process(
        cli.config.clone(),
        cli.database_url.clone(),
    ))?;
    telemetry::init(&settings.log);
    match cli.command {
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                crate::config::parse_host_port(&bind).map_err(|r| CliError::Usage(format!("--bind: {r}")))?;
                settings.server.bind = bind;
            }
            serve(settings)
        }
        Command::Migrate => {
            let db = Db::connect(&settings.database_url(), &settings.database)?;
            let mut conn = db.get()?;
            let applied = migrations::applied(&mut conn)?;
            println!(
                "database {} is at migration {} ({} applied)",
                db.display_url(),
                applied.last().map(String::as_str).unwrap_or("-"),
                applied.len()
            );
            Ok(())
        }
    }
}

fn serve(settings: Settings) -> Result<(), CliError> {
    actix_web::rt::System::new().block_on(async move {
        let public_url = settings.public_url();
        let app = Application::build(settings.clone()).await.map_err(|e| match e {
            crate::startup::StartupError::Database(crate::db::DbError::BadUrl(r)) => {
                CliError::Usage(format!("database URL: {r}"))
            }
            other => CliError::Failed(other.into()),
        })?;
        tracing::info!(
            address = %format!("http://{}", settings.server.bind),
            port = app.port(),
            database = %app.db().display_url(),
            public_url = %public_url,
            "Delphi is listening"
        );
        eprintln!(
            "Delphi is listening on http://{} (Ctrl-C to stop)",
            settings.server.bind
        );
        app.run_until_stopped()
            .await
            .map_err(|e| CliError::Failed(e.into()))
    })
}
