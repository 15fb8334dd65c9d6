//! API tokens: created for a facilitator, shown once, stored as their hash, revoked by id.

use chrono::Duration;
use serde_json::json;

use super::facilitators::{facilitator_by_email, Account};
use crate::db::models::api_tokens::{ApiToken, NewApiToken};
use crate::db::models::facilitators::Facilitator;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::token::TokenScope;
use crate::service::audit;
use crate::service::{tokens, Actor, ServiceError};

/// A new API token: shown once, stored as its hash.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub id: i64,
    pub token: String,
}

pub fn create_api_token(
    conn: &mut DbConnection,
    email: &str,
    label: &str,
    actor: &Actor,
) -> Result<CreatedToken, ServiceError> {
    create_scoped_api_token(conn, email, label, TokenScope::Api, actor)
}

/// As `create_api_token`, for one `scope` (a `bounces` token can only hand over bounces).
pub fn create_scoped_api_token(
    conn: &mut DbConnection,
    email: &str,
    label: &str,
    scope: TokenScope,
    actor: &Actor,
) -> Result<CreatedToken, ServiceError> {
    let label = label.trim();
    if label.chars().count() > 200 {
        return Err(ServiceError::invalid(
            "label",
            "must be at most 200 characters long",
        ));
    }
    let (token, hash) = tokens::generate();
    write_transaction(conn, |conn| {
        let facilitator = facilitator_by_email(conn, email)?;
        let at = now();
        let created = ApiToken::insert(
            conn,
            &NewApiToken {
                facilitator_id: facilitator.id,
                token_hash: &hash,
                label,
                created_at: at,
                scope: scope.as_str(),
            },
        )?;
        audit::log_account(
            conn,
            actor,
            "api_token.create",
            json!({ "token": created.id, "facilitator": facilitator.email, "label": label, "scope": scope }),
            at,
        )?;
        Ok(CreatedToken {
            id: created.id,
            token: token.clone(),
        })
    })
}

/// An API token as its owner lists it: never the secret, nor its hash.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenListing {
    pub id: i64,
    pub label: String,
    pub created_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

/// A facilitator's tokens.
pub fn api_tokens_of(conn: &mut DbConnection, email: &str) -> Result<Vec<TokenListing>, ServiceError> {
    let facilitator = facilitator_by_email(conn, email)?;
    Ok(ApiToken::of_facilitator(conn, facilitator.id)?
        .into_iter()
        .map(|t| TokenListing {
            id: t.id,
            label: t.label,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        })
        .collect())
}

/// Revokes token `id`; refusing an unknown id or one already revoked.
pub fn revoke_api_token(conn: &mut DbConnection, id: i64, actor: &Actor) -> Result<(), ServiceError> {
    write_transaction(conn, |conn| {
        let token = ApiToken::by_id(conn, id)?
            .ok_or_else(|| ServiceError::NotFound(format!("there is no API token with id {id}")))?;
        let at = now();
        if ApiToken::revoke(conn, token.id, at)? == 0 {
            return Err(ServiceError::Conflict(format!(
                "API token {id} is already revoked"
            )));
        }
        audit::log_account(
            conn,
            actor,
            "api_token.revoke",
            json!({ "token": id, "facilitator": token.facilitator_id }),
            at,
        )?;
        Ok(())
    })
}

/// The facilitator a bearer token belongs to and its scope, unless the token is unknown or revoked or the
/// account disabled. `last_used_at` is rewritten at most once a minute.
pub fn api_caller(
    conn: &mut DbConnection,
    bearer: &str,
) -> Result<Option<(Account, TokenScope)>, ServiceError> {
    let Some(api_token) = tokens::find(bearer, |hash| ApiToken::by_token_hash(conn, hash))? else {
        return Ok(None);
    };
    if api_token.revoked_at.is_some() {
        return Ok(None);
    }
    let Some(facilitator) =
        Facilitator::by_id(conn, api_token.facilitator_id)?.filter(Facilitator::is_active)
    else {
        return Ok(None);
    };
    let at = now();
    if api_token
        .last_used_at
        .is_none_or(|last| at - last >= Duration::minutes(1))
    {
        ApiToken::touch(conn, api_token.id, at)?;
    }
    // A scope the code does not know (never written by it) grants nothing beyond bounces.
    let scope = TokenScope::parse(&api_token.scope).unwrap_or(TokenScope::Bounces);
    Ok(Some((Account::from(facilitator), scope)))
}
