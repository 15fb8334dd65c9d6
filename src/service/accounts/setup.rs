//! The first run: while no account exists, a one-time set-up link creates the first
//! administrator in the browser. `delphi serve` prints it and `delphi setup-link` shows it
//! again; it stops working the moment any account exists, however that account was made.

use serde_json::json;

use super::facilitators::add_facilitator_in;
use super::facilitators::Account;
use crate::db::models::audit::AuditEntry;
use crate::db::models::facilitators::Facilitator;
use crate::db::models::setup_links::SetupLink;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::token;
use crate::service::{tokens, ServiceError};

/// Whether Delphi still waits for its first account.
pub fn needs_setup(conn: &mut DbConnection) -> Result<bool, ServiceError> {
    Ok(!Facilitator::any(conn)?)
}

/// The set-up link's token while no account exists (made on first use, then the same one
/// until it is used), or `None` once Delphi has an account.
pub fn setup_token(conn: &mut DbConnection) -> Result<Option<String>, ServiceError> {
    write_transaction(conn, |conn| {
        if Facilitator::any(conn)? {
            return Ok(None);
        }
        if let Some(link) = SetupLink::unused(conn)? {
            return Ok(Some(link.token));
        }
        let (token, _) = tokens::generate();
        Ok(Some(SetupLink::insert(conn, &token, now())?.token))
    })
}

/// Whether `setup_token` would open the set-up form now.
pub fn setup_link_works(conn: &mut DbConnection, setup_token: &str) -> Result<bool, ServiceError> {
    if !token::is_well_formed(setup_token) || Facilitator::any(conn)? {
        return Ok(false);
    }
    Ok(SetupLink::unused(conn)?.is_some_and(|link| link.token == setup_token))
}

/// Creates the first administrator and spends the link, in one transaction: two browsers
/// racing on the same link get one account and one refusal (`NotFound`).
pub fn complete_setup(
    conn: &mut DbConnection,
    setup_token: &str,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<Account, ServiceError> {
    write_transaction(conn, |conn| {
        if !setup_link_works(conn, setup_token)? {
            return Err(ServiceError::NotFound(
                "this set-up link does not work any more: Delphi already has an account".into(),
            ));
        }
        let at = now();
        SetupLink::use_all(conn, at)?;
        let created = add_facilitator_in(conn, email, name, password_hash, true, "setup link", at)?;
        AuditEntry::append(
            conn,
            None,
            &created.email,
            "facilitator.setup",
            &json!({ "facilitator": created.id }),
            at,
        )?;
        Ok(Account::from(created))
    })
}
