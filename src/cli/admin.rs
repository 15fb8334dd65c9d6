//! Account verbs: `admin add|disable|enable`, `token create|list|revoke`, `audit verify`,
//! `study grant`.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::CliError;
use crate::domain::role::Role;
use crate::domain::token::TokenScope;
use crate::service::accounts;
use crate::service::audit::AuditCheck;
use crate::service::{team, Actor, Connection};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a facilitator account. The password is read from standard input (one line, at
    /// least 12 characters); on a terminal it is not echoed.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// An administrator: may also list every account and disable or enable accounts on
        /// the console's Accounts page. It gives no role in any study.
        #[arg(long)]
        admin: bool,
    },
    /// Disable an account: its sessions end at once, it cannot sign in, and its API tokens stop
    /// working. Its roles in studies are kept (and work again after `admin enable`).
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a facilitator; it is printed once and stored only as a hash.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for, shown by `token list`.
        #[arg(long, default_value = "cli")]
        label: String,
        /// `api`: the facilitator's whole API; `bounces`: only POST /api/v1/bounces (for a
        /// mail service that forwards bounces, docs/email.md).
        #[arg(long, value_enum, default_value_t = ScopeArg::Api)]
        scope: ScopeArg,
    },
    /// A facilitator's tokens: id, label, created, last used, revoked (never the secret).
    List {
        #[arg(long)]
        email: String,
    },
    /// Revoke the token with this id (see `token list`); it stops working at once.
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain; exit 1 naming the first broken entry.
    Verify {
        /// Only this study's entries.
        #[arg(long)]
        study: Option<String>,
    },
}

/// A role as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    Owner,
    Editor,
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Owner => Role::Owner,
            RoleArg::Editor => Role::Editor,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

pub fn admin(conn: &mut Connection, command: AdminCommand, actor: &Actor) -> Result<(), CliError> {
    match command {
        AdminCommand::Add { email, name, admin } => {
            let password = read_password()?;
            let hash = accounts::hash_password(&password)?;
            let created = accounts::add_facilitator(conn, &email, &name, &hash, admin, actor)?;
            println!(
                "facilitator {} added (id {}{})",
                created.email,
                created.id,
                if created.is_admin { ", administrator" } else { "" }
            );
        }
        AdminCommand::Disable { email } => {
            let account = accounts::set_account_disabled(conn, &email, true, actor)?;
            println!(
                "facilitator {} disabled: signed out everywhere, API tokens refused",
                account.email
            );
        }
        AdminCommand::Enable { email } => {
            let account = accounts::set_account_disabled(conn, &email, false, actor)?;
            println!("facilitator {} enabled", account.email);
        }
    }
    Ok(())
}

/// What an API token may do (`domain::token::TokenScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScopeArg {
    Api,
    Bounces,
}

pub fn token(conn: &mut Connection, command: TokenCommand, actor: &Actor) -> Result<(), CliError> {
    match command {
        TokenCommand::Create { email, label, scope } => {
            let scope = match scope {
                ScopeArg::Api => TokenScope::Api,
                ScopeArg::Bounces => TokenScope::Bounces,
            };
            let created = accounts::create_scoped_api_token(conn, &email, &label, scope, actor)?;
            eprintln!(
                "API token {} created; it is shown only now, store it safely:",
                created.id
            );
            println!("{}", created.token);
        }
        TokenCommand::List { email } => {
            let tokens = accounts::api_tokens_of(conn, &email)?;
            if tokens.is_empty() {
                println!("{email} has no API tokens");
            }
            let when = |t: Option<chrono::NaiveDateTime>| {
                t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_else(|| "-".into())
            };
            for t in tokens {
                println!(
                    "{}\t{}\tcreated {}\tlast used {}\t{}",
                    t.id,
                    t.label,
                    when(Some(t.created_at)),
                    when(t.last_used_at),
                    match t.revoked_at {
                        Some(at) => format!("revoked {}", when(Some(at))),
                        None => "active".into(),
                    }
                );
            }
        }
        TokenCommand::Revoke { id } => {
            accounts::revoke_api_token(conn, id, actor)?;
            println!("API token {id} revoked");
        }
    }
    Ok(())
}

pub fn audit(conn: &mut Connection, command: AuditCommand) -> Result<(), CliError> {
    match command {
        AuditCommand::Verify { study } => {
            match crate::service::audit::verify_audit_log(conn, study.as_deref())? {
                AuditCheck::Intact { entries } => {
                    println!("{entries} entries, chain intact");
                    Ok(())
                }
                AuditCheck::Broken { id, reason } => Err(CliError::Failed(anyhow::anyhow!(
                    "audit log entry {id} is broken: {reason}"
                ))),
            }
        }
    }
}

pub fn grant(
    conn: &mut Connection,
    slug: &str,
    email: &str,
    role: RoleArg,
    actor: &Actor,
) -> Result<(), CliError> {
    let role = Role::from(role);
    let previous = team::set_role(conn, slug, email, role, actor)?.previous;
    let email = accounts::normalise_email(email);
    match previous {
        Some(previous) if previous != role => {
            println!("{email} is now {role} of `{slug}` (was {previous})")
        }
        Some(_) => println!("{email} already was {role} of `{slug}`"),
        None => println!("{email} is now {role} of `{slug}`"),
    }
    Ok(())
}

/// One line from standard input, without its line ending. On a terminal, asks for it and
/// turns echo off while it is typed.
fn read_password() -> Result<String, CliError> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        eprint!(
            "Password for the account (at least {} characters): ",
            accounts::MIN_PASSWORD_CHARS
        );
    }
    let echo_off = interactive.then(EchoOff::new);
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    drop(echo_off);
    if interactive {
        eprintln!();
    }
    read.map_err(|e| {
        CliError::Failed(anyhow::anyhow!(
            "cannot read the password from standard input: {e}"
        ))
    })?;
    if line.is_empty() {
        return Err(CliError::Usage(
            "password: standard input is empty; give the password as one line on standard input".into(),
        ));
    }
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    Ok(password.to_string())
}

/// Terminal echo off while it lives.
struct EchoOff {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl EchoOff {
    #[cfg(unix)]
    fn new() -> EchoOff {
        // SAFETY: termios is plain data; tcgetattr fills it or fails, and we only use it if it
        // succeeded. File descriptor 0 is standard input, which is a terminal here.
        unsafe {
            let mut current: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut current) != 0 {
                return EchoOff { saved: None };
            }
            let saved = current;
            current.c_lflag &= !libc::ECHO;
            if libc::tcsetattr(0, libc::TCSANOW, &current) != 0 {
                return EchoOff { saved: None };
            }
            EchoOff { saved: Some(saved) }
        }
    }

    #[cfg(not(unix))]
    fn new() -> EchoOff {
        EchoOff {}
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // SAFETY: restores the settings read in `new` on the same descriptor.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
        }
    }
}
