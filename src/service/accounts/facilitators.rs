//! Facilitator accounts: adding, finding, listing, disabling and enabling them.

use serde::Serialize;
use serde_json::json;

use super::passwords::{check_email, normalise_email};
use crate::db::models::audit::AuditEntry;
use crate::db::models::facilitators::{Facilitator, NewFacilitator};
use crate::db::models::sessions::Session;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::account::{self, Problem, MAX_NAME_CHARS};
use crate::service::{Actor, ServiceError};
use chrono::NaiveDateTime;

/// Creates a facilitator account; `password_hash` comes from `hash_password`, or is empty for
/// an invited facilitator who has not chosen a password yet.
pub fn add_facilitator(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    password_hash: &str,
    is_admin: bool,
    actor: &Actor,
) -> Result<Facilitator, ServiceError> {
    write_transaction(conn, |conn| {
        add_facilitator_in(conn, email, name, password_hash, is_admin, &actor.0, now())
    })
}

/// `add_facilitator` inside the caller's transaction.
pub(super) fn add_facilitator_in(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    password_hash: &str,
    is_admin: bool,
    actor: &str,
    at: NaiveDateTime,
) -> Result<Facilitator, ServiceError> {
    let email = check_email(email)?;
    let name = account::check_name(name).map_err(|p| {
        ServiceError::invalid(
            "name",
            if p == Problem::NameTooLong {
                format!("must be at most {MAX_NAME_CHARS} characters long")
            } else {
                "must not be empty".to_string()
            },
        )
    })?;
    if Facilitator::by_email(conn, &email)?.is_some() {
        return Err(ServiceError::Conflict(format!(
            "email: a facilitator with the email {email} already exists"
        )));
    }
    let created = Facilitator::insert(
        conn,
        &NewFacilitator {
            email: &email,
            name,
            password_hash,
            is_admin,
            created_at: at,
        },
    )?;
    AuditEntry::append(
        conn,
        None,
        actor,
        "facilitator.add",
        &json!({ "facilitator": created.id, "email": email, "admin": is_admin }),
        at,
    )?;
    Ok(created)
}

/// The facilitator with this email, or a NotFound that says how to create one.
pub(in crate::service) fn facilitator_by_email(
    conn: &mut DbConnection,
    email: &str,
) -> Result<Facilitator, ServiceError> {
    let email = normalise_email(email);
    Facilitator::by_email(conn, &email)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "email: there is no facilitator with the email {email} (an administrator can invite them from the Accounts page, or use `delphi admin add`)"
        ))
    })
}

/// One account as the administrators' list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AccountSummary {
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub active: bool,
    /// False while an invited facilitator has not chosen a password.
    pub joined: bool,
    pub last_login: Option<String>,
}

/// A facilitator as the ways in know them once signed in, by a session or a token.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
}

impl From<Facilitator> for Account {
    fn from(f: Facilitator) -> Account {
        Account {
            id: f.id,
            email: f.email,
            name: f.name,
            is_admin: f.is_admin,
        }
    }
}

/// Every facilitator account, by email.
pub fn all_accounts(conn: &mut DbConnection) -> Result<Vec<AccountSummary>, ServiceError> {
    Ok(Facilitator::all(conn)?
        .into_iter()
        .map(|f| AccountSummary {
            active: f.is_active(),
            joined: f.has_joined(),
            last_login: f
                .last_login_at
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            email: f.email,
            name: f.name,
            is_admin: f.is_admin,
        })
        .collect())
}

/// Disables (`disabled` true) or re-enables an account. Disabling ends every session of the
/// account at once; its API tokens stop working while it is disabled (`api_caller` checks the
/// account) and work again once it is enabled. Roles are kept. Refuses a change that changes
/// nothing (Conflict), so a typo in a script is noticed. Audited.
pub fn set_account_disabled(
    conn: &mut DbConnection,
    email: &str,
    disabled: bool,
    actor: &Actor,
) -> Result<Facilitator, ServiceError> {
    write_transaction(conn, |conn| {
        let facilitator = facilitator_by_email(conn, email)?;
        let at = now();
        let changed = Facilitator::set_disabled(conn, facilitator.id, disabled.then_some(at))?;
        if changed == 0 {
            return Err(ServiceError::Conflict(format!(
                "email: the account {} is already {}",
                facilitator.email,
                if disabled { "disabled" } else { "enabled" }
            )));
        }
        let sessions_ended = if disabled {
            Session::delete_all_of(conn, facilitator.id)?
        } else {
            0
        };
        AuditEntry::append(
            conn,
            None,
            &actor.0,
            if disabled {
                "facilitator.disable"
            } else {
                "facilitator.enable"
            },
            &json!({ "facilitator": facilitator.id, "email": facilitator.email, "sessions_ended": sessions_ended }),
            at,
        )?;
        Ok(Facilitator {
            disabled_at: disabled.then_some(at),
            ..facilitator
        })
    })
}

/// The stored password hash of an active account, for `password_matches`; `None` for an
/// unknown or disabled email, or an invitee who has not joined yet.
pub fn login_candidate(conn: &mut DbConnection, email: &str) -> Result<Option<(i64, String)>, ServiceError> {
    Ok(Facilitator::by_email(conn, &normalise_email(email))?
        .filter(|f| f.is_active() && f.has_joined())
        .map(|f| (f.id, f.password_hash)))
}
