//! Use cases. Each public function is one transaction (or none, for queries); every way in —
//! the command line, web pages, the JSON API, background workers — calls these and nothing
//! below them. Only this layer calls `db`.

pub mod accounts;
pub mod api_input;
pub mod audit;
pub mod backup;
pub mod bounces;
pub mod cache;
pub mod chnri;
pub mod close_refusal;
pub mod closing;
pub mod closing_outcome;
pub mod content;
pub mod dashboard;
pub mod demo;
pub mod drift;
pub mod email_templates;
pub mod erasure;
pub mod expert;
pub mod export;
pub mod exported_expert;
pub mod figure;
pub mod files;
pub mod final_list;
pub mod group_commit;
pub mod ideas;
pub mod import_preview;
pub mod labelled_lists;
pub mod listings;
pub mod load;
pub mod mail;
pub mod notify;
pub mod origins;
pub mod outbox;
pub mod pages;
pub mod panel;
pub mod ranking;
pub mod rate_limits;
pub mod ratings;
pub mod results;
pub mod retention;
pub mod rounds;
pub mod rule_editor;
pub mod scheduler;
pub mod sender_check;
pub mod stability;
pub mod store;
pub mod studies;
pub mod study_setup;
pub mod suggestions;
pub mod team;
pub mod test_run;
pub mod tokens;
pub mod translations;

pub use store::{Connection, Store};

use crate::db::DbError;
use crate::domain::file_error::FileErrors;

/// Why a use case refused or failed. Everything but `Db` is the caller's to fix.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// One or more problems in an input file, each naming the file, line or key, and reason.
    #[error("{0}")]
    File(FileErrors),
    /// A bad argument: `field` names it.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("{0}")]
    NotFound(String),
    /// The request does not fit the study's current state (a round already open, …).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(DbError),
}

impl ServiceError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ServiceError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Input the user can correct, as opposed to a failure of ours.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ServiceError::Db(_))
    }

    /// The database is unreachable or overloaded (as opposed to a bug): try again later.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, ServiceError::Db(e) if e.is_unavailable())
    }
}

impl From<DbError> for ServiceError {
    /// A database URL we cannot read is the user's to fix, like any other bad argument.
    fn from(e: DbError) -> Self {
        match e {
            DbError::BadUrl(reason) => ServiceError::invalid("database URL", reason),
            other => ServiceError::Db(other),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::Db(DbError::Query(e))
    }
}

impl From<crate::email::messages::ComposeError> for ServiceError {
    fn from(e: crate::email::messages::ComposeError) -> Self {
        ServiceError::invalid(format!("email template {}", e.template), e.reason)
    }
}

impl From<FileErrors> for ServiceError {
    fn from(e: FileErrors) -> Self {
        ServiceError::File(e)
    }
}

/// Who did something, for the audit log: a facilitator's email, `cli`, `scheduler`, or an
/// expert's pseudonym.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    pub fn cli() -> Actor {
        Actor(format!("cli:{}", whoami()))
    }
}

fn whoami() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}
