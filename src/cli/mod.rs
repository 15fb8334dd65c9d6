//! The command line (see docs/cli.md): parse, load settings, dispatch to use cases.
//!
//! Exit codes are a contract with scripts: 0 success; 2 bad input or usage, with one line on
//! stderr naming what was wrong; 1 anything else, with one line on stderr and details in the log.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Settings, Sources};
use crate::domain::file_error::FileErrors;
use crate::service::{accounts, ServiceError, Store};
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
    /// Create the example study (lactation and micronutrients) with a demo panel; idempotent.
    Demo {
        /// Also answer round 1 with made-up scores from the whole demo panel, close it and open
        /// round 2, so every page (feedback, results, report) has something to show.
        #[arg(long)]
        answers: bool,
    },
    /// Print the one-time link that creates the first administrator in the browser (only while
    /// Delphi has no account; `serve` prints it too).
    SetupLink,
    /// Facilitator accounts.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// API tokens of facilitators.
    #[command(subcommand)]
    Token(admin::TokenCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(admin::AuditCommand),
    /// Create, list and inspect studies.
    #[command(subcommand)]
    Study(StudyCommand),
    /// Import items into a study (.csv or .xlsx); existing codes are updated.
    #[command(subcommand)]
    Items(ImportCommand),
    /// Import the panel of experts (.csv); existing emails are updated, never duplicated.
    #[command(subcommand)]
    Panel(ImportCommand),
    /// Open, preview, remind, extend, resend and close rounds.
    #[command(subcommand)]
    Round(RoundCommand),
    /// Manage the panel's experts one by one.
    #[command(subcommand)]
    Expert(ExpertCommand),
    /// The ideas round's proposals: list, import, merge into items, set aside; items' evidence.
    #[command(subcommand)]
    Ideas(IdeasCommand),
    /// Import answers collected elsewhere into the open round.
    #[command(subcommand)]
    Responses(ImportCommand),
    /// Results of closed rounds.
    Results {
        slug: String,
        /// One round only (default: every closed round).
        #[arg(long)]
        round: Option<i32>,
        #[arg(long, value_enum, default_value_t = ResultsFormat::Table)]
        format: ResultsFormat,
        /// Per stakeholder group instead of the pooled panel (results_by_group.csv columns).
        #[arg(long, conflicts_with = "stability")]
        by_group: bool,
        /// Between-round stability and attrition (rounds 2 and later) instead of results.
        #[arg(long)]
        stability: bool,
    },
    /// Export a study: CSV files, an XLSX workbook, JSON, the HTML report or the data package.
    Export {
        slug: String,
        #[arg(long, value_enum)]
        format: export::ExportFormat,
        /// Where to write: a directory for csv (created if missing), a file otherwise.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Add experts' email and name to ratings.csv and participants.csv (audited).
        #[arg(long)]
        identified: bool,
    },
    /// Per-study wording of the emails.
    #[command(subcommand)]
    Email(EmailCommand),
    /// Bounces and auto-replies that came back to email.bounce_address.
    #[command(subcommand)]
    Bounce(bounce::BounceCommand),
    /// Write a consistent copy of the SQLite database while `serve` may be running (PostgreSQL:
    /// use pg_dump, see docs/operations.md).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Make the configured SQLite database a copy of a backup, then migrate it forward. Stop
    /// `serve` first.
    Restore {
        /// A file written by `delphi backup`.
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
        /// Replace the database if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Delete what [retention] says is old enough (sent emails, expired sessions, used reset
    /// links, revoked API tokens); never study data. Prints what it removed.
    Purge,
    /// List queued and failed emails.
    Outbox {
        /// Only this study's emails.
        #[arg(long)]
        study: Option<String>,
        /// Deliver what is due now (every study's emails) through email.transport, then print
        /// a summary.
        #[arg(long, conflicts_with = "study")]
        send: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum EmailCommand {
    /// Replace, restore or show a study's wording of an email (invitation, reminder, thank_you,
    /// next_round, new_link); templates are handlebars with {{t "key"}}, see docs/email.md.
    #[command(subcommand)]
    Template(TemplateCommand),
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Use this wording for NAME in LANG (checked against a sample email first).
    Set {
        slug: String,
        name: String,
        /// Language of this wording (default: the study's language).
        #[arg(long)]
        lang: Option<String>,
        /// Subject template (one line).
        #[arg(long)]
        subject: String,
        /// Plain-text body template.
        #[arg(long, value_name = "FILE")]
        text: PathBuf,
        /// HTML body template (without it the email goes as plain text only).
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Go back to the built-in wording of NAME in LANG.
    Clear {
        slug: String,
        name: String,
        #[arg(long)]
        lang: Option<String>,
    },
    /// List the study's own wordings, or print one.
    Show {
        slug: String,
        name: Option<String>,
        #[arg(long)]
        lang: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StudyCommand {
    /// Create a study from a study file; prints the new study's slug.
    Create {
        file: PathBuf,
        /// Make the facilitator with this email the study's owner.
        #[arg(long, value_name = "EMAIL")]
        owner: Option<String>,
    },
    /// Give a facilitator a role in a study (replacing the role they had).
    Grant {
        slug: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: admin::RoleArg,
    },
    /// One line per study.
    List,
    /// A study's settings, rule, sections, groups and rounds.
    Show { slug: String },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import FILE into the study SLUG.
    Import { slug: String, file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum IdeasCommand {
    /// List the proposals of the ideas round with what became of each.
    List {
        slug: String,
        /// Only those not processed yet.
        #[arg(long)]
        pending: bool,
    },
    /// Import proposals collected elsewhere into the open ideas round
    /// (CSV: expert,section,text[,rationale]; expert by email).
    Import { slug: String, file: PathBuf },
    /// Merge proposals into a new item (--new CODE --section KEY --text TEXT) or into an
    /// existing item (--into CODE); the item keeps the proposals it came from.
    Merge {
        slug: String,
        /// Proposal codes (P001 …).
        #[arg(required = true)]
        proposals: Vec<String>,
        /// The code of the existing item to merge into.
        #[arg(long, value_name = "ITEM", conflicts_with_all = ["new", "section", "text"], required_unless_present = "new")]
        into: Option<String>,
        /// The code of a new item made from the proposals.
        #[arg(long, value_name = "ITEM", requires_all = ["section", "text"])]
        new: Option<String>,
        /// The new item's section key.
        #[arg(long)]
        section: Option<String>,
        /// The new item's wording.
        #[arg(long)]
        text: Option<String>,
    },
    /// Set a proposal aside: out_of_scope, duplicate, already_answered (with --source) or unclear.
    SetAside {
        slug: String,
        proposal: String,
        #[arg(long)]
        reason: String,
        /// The citation that already answers it (required with already_answered).
        #[arg(long)]
        source: Option<String>,
        /// A link to that source.
        #[arg(long)]
        link: Option<String>,
    },
    /// Add an evidence note to an item, shown to experts as its background.
    Evidence {
        slug: String,
        item: String,
        #[arg(long)]
        citation: String,
        #[arg(long)]
        link: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoundCommand {
    /// Open the next round and queue the invitations; with --ideas, the ideas round before
    /// round 1 (the study needs [ideas]).
    Open {
        slug: String,
        /// Open the ideas round (round 0), in which experts propose items.
        #[arg(long)]
        ideas: bool,
        /// When the round closes: RFC 3339 (2026-12-01T17:00:00+03:00) or a local date and time
        /// in the study's time zone (2026-12-01T17:00).
        #[arg(long, value_name = "TIME")]
        deadline: Option<String>,
        /// Open a ranking round: experts pick and order up to `[ranking] choose` of the items
        /// in consensus in the last closed rating round. It is the study's last round.
        #[arg(long)]
        ranking: bool,
    },
    /// Show what opening the next round would do (items, experts), without opening it.
    Preview {
        slug: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Queue reminders to invited experts who have not submitted.
    Remind { slug: String },
    /// Move the open round's deadline later (queues no email).
    Extend {
        slug: String,
        /// The new deadline, later than the current one: RFC 3339 (2026-12-08T17:00:00+03:00) or a
        /// local date and time in the study's time zone (2026-12-08T17:00).
        #[arg(long, value_name = "TIME")]
        deadline: String,
    },
    /// Send an expert's invitation to the open round again, with a new link (old links stop working).
    Resend {
        slug: String,
        #[arg(long, value_name = "EMAIL")]
        email: String,
    },
    /// Freeze the open round and compute its results.
    Close { slug: String },
}

#[derive(Debug, Subcommand)]
pub enum ExpertCommand {
    /// Withdraw an expert: no more invitations or reminders; their answers stay.
    Withdraw {
        slug: String,
        #[arg(long, value_name = "EMAIL")]
        email: String,
    },
    /// Erase an expert's identity on request (email, name, country); their answers stay under
    /// the pseudonym, so results do not change. Cannot be undone.
    Erase {
        slug: String,
        email: String,
        /// Also blank the free-text comments and reasons of their answers.
        #[arg(long)]
        drop_comments: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormat {
    Table,
    Csv,
    Json,
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

impl From<ServiceError> for CliError {
    fn from(e: ServiceError) -> Self {
        match e {
            e @ ServiceError::Db(_) => CliError::Failed(e.into()),
            ServiceError::File(errors) => CliError::Usage(one_line(&errors)),
            other => CliError::Usage(other.to_string()),
        }
    }
}

/// Every problem of a file on one line, as the exit-code contract asks: the first in full,
/// then the others separated by semicolons.
fn one_line(errors: &FileErrors) -> String {
    let mut all = errors.iter().map(|e| e.to_string().replace('\n', " "));
    let first = all.next().unwrap_or_default();
    let rest: Vec<String> = all.collect();
    if rest.is_empty() {
        first
    } else {
        format!("{first} (and {} more: {})", rest.len(), rest.join("; "))
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: clap's own output on stdout.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // The contract promises one line on stderr for usage errors: clap's first line
            // (what is wrong), without its usage block.
            let rendered = e.render().to_string();
            let what: Vec<&str> = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let what = what.join(" ");
            let what = what.trim_start_matches("error: ");
            eprintln!("delphi: {what} (see `delphi --help`)");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.exit(),
    }
}

pub mod admin;
mod bounce;
mod commands;
mod export;
mod ideas;
mod ops;
mod round;

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
            let store = Store::open(&settings.database_url(), &settings.database)?;
            let applied = store.applied_migrations()?;
            println!(
                "database {} is at migration {} ({} applied)",
                store.display_url(),
                applied.last().map(String::as_str).unwrap_or("-"),
                applied.len()
            );
            Ok(())
        }
        // Both work on the database file itself: restore must not open (and so create) the
        // target first, and backup refuses PostgreSQL before connecting.
        Command::Backup { out } => ops::backup(&settings, &out),
        Command::Restore { from, force } => ops::restore(&settings, &from, force),
        command => {
            let store = Store::open(&settings.database_url(), &settings.database)?;
            let mut conn = store.connection()?;
            commands::run(&mut conn, &settings, command)
        }
    }
}

/// The address of the set-up page for `token`.
pub fn setup_link(public_url: &str, token: &str) -> String {
    format!("{}/setup/{token}", public_url.trim_end_matches('/'))
}

fn serve(settings: Settings) -> Result<(), CliError> {
    actix_web::rt::System::new().block_on(async move {
        let public_url = settings.public_url();
        let app = Application::build(settings.clone()).await.map_err(|e| match e {
            crate::startup::StartupError::Database(e) => CliError::from(e),
            crate::startup::StartupError::Config(e) => CliError::from(e),
            other => CliError::Failed(other.into()),
        })?;
        tracing::info!(
            address = %format!("http://{}", settings.server.bind),
            port = app.port(),
            database = %app.store().display_url(),
            public_url = %public_url,
            "Delphi is listening"
        );
        eprintln!(
            "Delphi is listening on http://{} (Ctrl-C to stop)",
            settings.server.bind
        );
        let setup = app.store().run(accounts::setup_token).await;
        match setup {
            Ok(Some(token)) => {
                let link = setup_link(&public_url, &token);
                tracing::warn!(link = %link, "no facilitator account yet: open the set-up link to create the first administrator");
                eprintln!("Set-up link (creates the first administrator; works once): {link}");
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "could not make the set-up link"),
        }
        app.run_until_stopped()
            .await
            .map_err(|e| CliError::Failed(e.into()))
    })
}
