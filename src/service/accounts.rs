//! Facilitator accounts: passwords, browser sessions, password resets, API tokens, roles per
//! study, and the check of the audit log's hash chain.
//!
//! Password hashing (argon2id) takes a noticeable fraction of a second on purpose, so it is kept
//! out of the transactions: callers hash with `hash_password` / check with `password_matches`
//! (on a blocking thread in the web server) and pass the result in.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::Duration;
use serde::Serialize;
use serde_json::json;

use super::{tokens, Actor, ServiceError};
use crate::db::models::api_tokens::{ApiToken, NewApiToken};
use crate::db::models::audit::{entry_hash, AuditEntry, GENESIS};
use crate::db::models::facilitators::{Facilitator, NewFacilitator};
use crate::db::models::outbox::OutboxEmail;
use crate::db::models::password_resets::{NewPasswordReset, PasswordReset};
use crate::db::models::sessions::{NewSession, Session};
use crate::db::models::studies::Study;
use crate::db::models::study_roles::{StudyRole, StudyWithRole};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::outbox::NewEmail;
use crate::domain::token;

/// Shorter passwords are refused: length is what makes a password hard to guess.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer ones too: argon2 would happily hash a megabyte, which is a cheap way to burn our CPU.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// A facilitator's role in one study; later variants include the rights of earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees the study and its results.
    Viewer,
    /// Also changes items and panel, and runs rounds.
    Editor,
    /// Also grants roles.
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    /// Whether this role allows what `needed` allows.
    pub fn includes(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "owner" => Ok(Role::Owner),
            "editor" => Ok(Role::Editor),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!("{other:?} is not a role; use owner, editor or viewer")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Passwords

/// The email as stored and looked up: trimmed and lowercased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn check_email(email: &str) -> Result<String, ServiceError> {
    let email = normalise_email(email);
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if valid {
        Ok(email)
    } else {
        Err(ServiceError::invalid(
            "email",
            format!("{email:?} is not an email address"),
        ))
    }
}

/// Refuses passwords that are too short or absurdly long; counts characters, not bytes.
pub fn check_password_policy(password: &str) -> Result<(), ServiceError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long (this one has {chars})"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters long"),
        ));
    }
    Ok(())
}

/// Checks the policy, then hashes with argon2id and a fresh salt into a PHC string. Slow.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    check_password_policy(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::invalid("password", format!("cannot be hashed: {e}")))
}

/// A hash of a password nobody knows, checked when the email is unknown so that the answer
/// takes as long as for a known email with a wrong password.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(tokens::generate().0.as_bytes())
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Computes the decoy hash now, so that the first sign-in with an unknown email does not take
/// twice as long as the others (which would tell that the email is unknown). Slow.
pub fn warm_up() {
    LazyLock::force(&DECOY_HASH);
}

/// Whether `password` matches the stored PHC string (argon2 compares in constant time).
/// Without a stored hash the decoy is checked, and the answer is no. Slow.
pub fn password_matches(stored: Option<&str>, password: &str) -> bool {
    let argon2 = Argon2::default();
    match stored {
        Some(hash) => argon2.verify_password(password.as_bytes(), hash).is_ok(),
        None => {
            let _ = argon2.verify_password(password.as_bytes(), DECOY_HASH.as_str());
            false
        }
    }
}

/// Compares secrets without an early exit, so timing does not tell how much matched.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

// ---------------------------------------------------------------------------------------------
// Accounts

/// Creates a facilitator account; `password_hash` comes from `hash_password`.
pub fn add_facilitator(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    password_hash: &str,
    is_admin: bool,
    actor: &Actor,
) -> Result<Facilitator, ServiceError> {
    let email = check_email(email)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceError::invalid("name", "must not be empty"));
    }
    write_transaction(conn, |conn| {
        if Facilitator::by_email(conn, &email)?.is_some() {
            return Err(ServiceError::Conflict(format!(
                "email: a facilitator with the email {email} already exists"
            )));
        }
        let at = now();
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
            &actor.0,
            "facilitator.add",
            &json!({ "facilitator": created.id, "email": email, "admin": is_admin }),
            at,
        )?;
        Ok(created)
    })
}

/// The facilitator with this email, or a NotFound that says how to create one.
pub fn facilitator_by_email(conn: &mut DbConnection, email: &str) -> Result<Facilitator, ServiceError> {
    let email = normalise_email(email);
    Facilitator::by_email(conn, &email)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "email: there is no facilitator with the email {email} (create one with `delphi admin add`)"
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
    pub last_login: Option<String>,
}

/// Every facilitator account, by email.
pub fn all_accounts(conn: &mut DbConnection) -> Result<Vec<AccountSummary>, ServiceError> {
    Ok(Facilitator::all(conn)?
        .into_iter()
        .map(|f| AccountSummary {
            active: f.is_active(),
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
/// unknown or disabled email.
pub fn login_candidate(conn: &mut DbConnection, email: &str) -> Result<Option<(i64, String)>, ServiceError> {
    Ok(Facilitator::by_email(conn, &normalise_email(email))?
        .filter(Facilitator::is_active)
        .map(|f| (f.id, f.password_hash)))
}

// ---------------------------------------------------------------------------------------------
// Sessions

/// How long sessions live (from `[accounts]` in the settings).
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub lifetime: Duration,
}

impl SessionPolicy {
    pub fn from_settings(settings: &crate::config::AccountSettings) -> SessionPolicy {
        SessionPolicy {
            idle: seconds(settings.session_idle_secs),
            lifetime: seconds(settings.session_lifetime_secs),
        }
    }

    /// `last_seen_at` is rewritten at most once a minute (fewer writes), but often enough that
    /// a short idle timeout cannot end a session that is in use.
    fn refresh_after(&self) -> Duration {
        (self.idle / 2).min(Duration::minutes(1))
    }
}

/// Settings are checked to be at most `config::MAX_ACCOUNT_SECS`; the clamp only keeps a
/// bad value from overflowing a timestamp.
pub fn seconds(secs: u64) -> Duration {
    Duration::seconds(secs.min(crate::config::MAX_ACCOUNT_SECS) as i64)
}

/// A new session: the token goes in the cookie and is never stored; the CSRF token goes in forms.
#[derive(Debug, Clone)]
pub struct StartedSession {
    pub token: String,
    pub csrf: String,
}

/// Starts a session for a facilitator whose password was just checked.
pub fn start_session(
    conn: &mut DbConnection,
    facilitator_id: i64,
    policy: &SessionPolicy,
) -> Result<StartedSession, ServiceError> {
    let (token, hash) = tokens::generate();
    let (csrf, _) = tokens::generate();
    write_transaction(conn, |conn| {
        let at = now();
        Session::delete_stale(conn, at - policy.idle, at)?;
        Session::insert(
            conn,
            &NewSession {
                facilitator_id,
                token_hash: &hash,
                csrf_token: &csrf,
                created_at: at,
                last_seen_at: at,
                expires_at: at + policy.lifetime,
            },
        )?;
        Facilitator::record_login(conn, facilitator_id, at)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(StartedSession { token, csrf })
}

/// The signed-in facilitator of a request.
#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    pub facilitator_id: i64,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    #[serde(skip)]
    pub session_id: i64,
    #[serde(skip)]
    pub csrf: String,
}

/// The session a cookie token belongs to, if it is still valid; refreshes its `last_seen_at`.
/// An idle or expired session is deleted.
pub fn session(
    conn: &mut DbConnection,
    cookie_token: &str,
    policy: &SessionPolicy,
) -> Result<Option<SignedIn>, ServiceError> {
    if !token::is_well_formed(cookie_token) {
        return Ok(None);
    }
    let Some(session) = Session::by_token_hash(conn, &token::hash(cookie_token))? else {
        return Ok(None);
    };
    let at = now();
    if session.expires_at <= at || session.last_seen_at + policy.idle < at {
        Session::delete(conn, session.id)?;
        return Ok(None);
    }
    let Some(facilitator) = Facilitator::by_id(conn, session.facilitator_id)?.filter(Facilitator::is_active)
    else {
        Session::delete(conn, session.id)?;
        return Ok(None);
    };
    if at - session.last_seen_at >= policy.refresh_after() {
        Session::touch(conn, session.id, at)?;
    }
    Ok(Some(SignedIn {
        facilitator_id: facilitator.id,
        email: facilitator.email,
        name: facilitator.name,
        is_admin: facilitator.is_admin,
        session_id: session.id,
        csrf: session.csrf_token,
    }))
}

pub fn end_session(conn: &mut DbConnection, session_id: i64) -> Result<(), ServiceError> {
    Session::delete(conn, session_id)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Password reset

/// Queues a reset link to the address if it belongs to an active account; does nothing
/// otherwise (the caller answers the same either way). `link_base` is the public URL.
pub fn request_password_reset(
    conn: &mut DbConnection,
    email: &str,
    link_base: &str,
    lang: &str,
    valid_for: Duration,
) -> Result<(), ServiceError> {
    let Some(facilitator) =
        Facilitator::by_email(conn, &normalise_email(email))?.filter(Facilitator::is_active)
    else {
        return Ok(());
    };
    let (token, hash) = tokens::generate();
    let link = format!("{}/password/reset/{token}", link_base.trim_end_matches('/'));
    let minutes = valid_for.num_minutes().max(1);
    let rendered = crate::email::render::render(
        "password_reset",
        &json!({ "lang": lang, "name": facilitator.name, "link": link, "minutes": minutes }),
    )
    .map_err(|reason| ServiceError::invalid("email template password_reset", reason))?;
    write_transaction(conn, |conn| {
        let at = now();
        let reset = PasswordReset::insert(
            conn,
            &NewPasswordReset {
                facilitator_id: facilitator.id,
                token_hash: &hash,
                created_at: at,
                expires_at: at + valid_for,
            },
        )?;
        OutboxEmail::enqueue(
            conn,
            &[NewEmail {
                idempotency_key: format!("password_reset:{}", reset.id),
                kind: "password_reset".into(),
                study_id: None,
                expert_id: None,
                facilitator_id: Some(facilitator.id),
                recipient: facilitator.email.clone(),
                subject: rendered.subject.clone(),
                body_text: rendered.text.clone(),
                body_html: rendered.html.clone(),
                headers: None,
                next_attempt_at: at,
                created_at: at,
            }],
        )?;
        Ok::<_, ServiceError>(())
    })
}

/// The unused, unexpired reset a link token belongs to.
fn live_reset(conn: &mut DbConnection, reset_token: &str) -> Result<Option<PasswordReset>, ServiceError> {
    if !token::is_well_formed(reset_token) {
        return Ok(None);
    }
    Ok(PasswordReset::by_token_hash(conn, &token::hash(reset_token))?
        .filter(|r| r.used_at.is_none() && r.expires_at > now()))
}

/// Whether the reset link still works (to show the form or explain that it does not).
pub fn reset_link_works(conn: &mut DbConnection, reset_token: &str) -> Result<bool, ServiceError> {
    Ok(live_reset(conn, reset_token)?.is_some())
}

/// Sets the new password (`password_hash` from `hash_password`) if the link still works, spends
/// the link (and any other of the same account) and ends every session of the account.
/// Returns false, changing nothing, when the link is unknown, used or expired.
pub fn reset_password(
    conn: &mut DbConnection,
    reset_token: &str,
    password_hash: &str,
) -> Result<bool, ServiceError> {
    write_transaction(conn, |conn| {
        let Some(reset) = live_reset(conn, reset_token)? else {
            return Ok(false);
        };
        let Some(facilitator) = Facilitator::by_id(conn, reset.facilitator_id)? else {
            return Ok(false);
        };
        let at = now();
        PasswordReset::use_all_of(conn, facilitator.id, at)?;
        Facilitator::set_password(conn, facilitator.id, password_hash)?;
        let ended = Session::delete_all_of(conn, facilitator.id)?;
        AuditEntry::append(
            conn,
            None,
            &facilitator.email,
            "facilitator.password_reset",
            &json!({ "facilitator": facilitator.id, "sessions_ended": ended }),
            at,
        )?;
        Ok(true)
    })
}

// ---------------------------------------------------------------------------------------------
// API tokens

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
            },
        )?;
        AuditEntry::append(
            conn,
            None,
            &actor.0,
            "api_token.create",
            &json!({ "token": created.id, "facilitator": facilitator.email, "label": label }),
            at,
        )?;
        Ok(CreatedToken {
            id: created.id,
            token: token.clone(),
        })
    })
}

/// A facilitator's tokens (never the secrets).
pub fn api_tokens_of(conn: &mut DbConnection, email: &str) -> Result<Vec<ApiToken>, ServiceError> {
    let facilitator = facilitator_by_email(conn, email)?;
    Ok(ApiToken::of_facilitator(conn, facilitator.id)?)
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
        AuditEntry::append(
            conn,
            None,
            &actor.0,
            "api_token.revoke",
            &json!({ "token": id, "facilitator": token.facilitator_id }),
            at,
        )?;
        Ok(())
    })
}

/// The facilitator a bearer token belongs to, unless the token is unknown or revoked or the
/// account disabled. `last_used_at` is rewritten at most once a minute.
pub fn api_caller(conn: &mut DbConnection, bearer: &str) -> Result<Option<Facilitator>, ServiceError> {
    if !token::is_well_formed(bearer) {
        return Ok(None);
    }
    let Some(api_token) = ApiToken::by_token_hash(conn, &token::hash(bearer))? else {
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
    Ok(Some(facilitator))
}

// ---------------------------------------------------------------------------------------------
// Roles

/// One study as a facilitator sees it in their list.
#[derive(Debug, Clone, Serialize)]
pub struct MyStudy {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub role: Role,
}

/// The studies the facilitator has a role in, newest first.
pub fn my_studies(conn: &mut DbConnection, facilitator_id: i64) -> Result<Vec<MyStudy>, ServiceError> {
    StudyRole::studies_of(conn, facilitator_id)?
        .into_iter()
        .map(|row: StudyWithRole| {
            Ok(MyStudy {
                role: row.role.parse().map_err(|e: String| {
                    ServiceError::Db(crate::db::DbError::Query(
                        diesel::result::Error::DeserializationError(e.into()),
                    ))
                })?,
                slug: row.slug,
                title: row.title,
                status: row.status,
            })
        })
        .collect()
}

/// What a facilitator may do in a study.
#[derive(Debug, Clone)]
pub enum Access {
    /// The study, with the facilitator's role in it.
    Granted { study: Box<Study>, role: Role },
    /// The facilitator's role (if any) does not include the one needed.
    Denied { role: Option<Role> },
}

/// Checks that the facilitator's role in study `slug` includes `needed`. An unknown study is a
/// NotFound.
pub fn access(
    conn: &mut DbConnection,
    facilitator_id: i64,
    slug: &str,
    needed: Role,
) -> Result<Access, ServiceError> {
    let study = Study::by_slug(conn, slug)?
        .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))?;
    let role = StudyRole::of(conn, study.id, facilitator_id)?.and_then(|r| r.parse::<Role>().ok());
    Ok(match role {
        Some(role) if role.includes(needed) => Access::Granted {
            study: Box::new(study),
            role,
        },
        role => Access::Denied { role },
    })
}

/// Gives a facilitator a role in a study (replacing the role they had). Audited.
pub fn grant(
    conn: &mut DbConnection,
    slug: &str,
    email: &str,
    role: Role,
    actor: &Actor,
) -> Result<Option<Role>, ServiceError> {
    write_transaction(conn, |conn| {
        let study = Study::by_slug(conn, slug)?
            .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))?;
        let facilitator = facilitator_by_email(conn, email)?;
        grant_in_transaction(conn, &study, &facilitator, role, actor)
    })
}

/// `grant` inside the caller's transaction (study creation makes its owner this way).
pub fn grant_in_transaction(
    conn: &mut DbConnection,
    study: &Study,
    facilitator: &Facilitator,
    role: Role,
    actor: &Actor,
) -> Result<Option<Role>, ServiceError> {
    let at = now();
    let previous = StudyRole::set(conn, study.id, facilitator.id, role.as_str(), at)?;
    AuditEntry::append(
        conn,
        Some(study.id),
        &actor.0,
        "study.grant",
        &json!({ "facilitator": facilitator.email, "role": role.as_str(), "previous": previous }),
        at,
    )?;
    Ok(previous.and_then(|r| r.parse().ok()))
}

// ---------------------------------------------------------------------------------------------
// Audit log

/// The outcome of walking the audit log's hash chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every entry checked (of the study, with `--study`) is intact.
    Intact { entries: usize },
    /// The first entry whose hash or link is wrong.
    Broken { id: i64, reason: String },
}

/// Walks the whole chain: each entry's hash must be the hash of its own fields and its
/// predecessor's hash, and each `prev_hash` must be the hash of the entry before it. With
/// `study`, only that study's entries are checked and counted (each still against the entry
/// before it in the one chain all studies share).
pub fn verify_audit_log(conn: &mut DbConnection, study: Option<&str>) -> Result<AuditCheck, ServiceError> {
    let study_id = match study {
        Some(slug) => Some(
            Study::by_slug(conn, slug)?
                .ok_or_else(|| ServiceError::NotFound(format!("there is no study with slug `{slug}`")))?
                .id,
        ),
        None => None,
    };
    let entries = AuditEntry::all(conn)?;
    let mut previous = GENESIS.to_string();
    let mut checked = 0;
    for entry in &entries {
        let wanted = study_id.is_none() || entry.study_id == study_id;
        if wanted {
            if entry.prev_hash != previous {
                return Ok(AuditCheck::Broken {
                    id: entry.id,
                    reason:
                        "its link to the entry before it is wrong (an entry was removed, inserted or changed)"
                            .into(),
                });
            }
            let recomputed = entry_hash(
                &entry.prev_hash,
                entry.study_id,
                &entry.actor,
                &entry.action,
                &entry.details,
                entry.created_at,
            );
            if !constant_time_eq(&recomputed, &entry.hash) {
                return Ok(AuditCheck::Broken {
                    id: entry.id,
                    reason: "its contents do not match its hash (the entry was changed)".into(),
                });
            }
            checked += 1;
        }
        previous = entry.hash.clone();
    }
    Ok(AuditCheck::Intact { entries: checked })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Owner.includes(Role::Editor));
        assert!(Role::Editor.includes(Role::Editor));
        assert!(!Role::Viewer.includes(Role::Editor));
        assert_eq!("editor".parse::<Role>(), Ok(Role::Editor));
        assert!("admin"
            .parse::<Role>()
            .unwrap_err()
            .contains("owner, editor or viewer"));
    }

    #[test]
    fn passwords_hash_to_argon2id_and_verify() {
        assert!(check_password_policy("short").is_err());
        assert!(check_password_policy("ééééééééééé").is_err(), "11 characters");
        assert!(
            check_password_policy("éééééééééééé").is_ok(),
            "12 characters, 24 bytes"
        );
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(password_matches(Some(&hash), "correct horse battery"));
        assert!(!password_matches(Some(&hash), "correct horse batterY"));
        assert!(!password_matches(None, "correct horse battery"));
        assert!(!password_matches(Some("not a hash"), "correct horse battery"));
    }

    #[test]
    fn emails_are_checked_and_normalised() {
        assert_eq!(check_email("  Ada@Example.ORG ").unwrap(), "ada@example.org");
        assert!(check_email("ada@localhost").is_ok());
        for bad in ["", "ada", "ada@", "@example.org", "a b@example.org", "a@b@c"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_compare_in_full() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
