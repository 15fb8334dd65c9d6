//! Operations verbs: `backup`, `restore`, `purge`, `expert erase` (docs/operations.md).

use std::path::Path;

use super::CliError;
use crate::config::Settings;
use crate::service::{backup, erasure, retention, Actor, Connection};

pub fn backup(settings: &Settings, out: &Path) -> Result<(), CliError> {
    let done = backup::backup(settings, out)?;
    println!(
        "backup written to {} ({} bytes); restore it with `delphi restore --from {}`",
        done.out.display(),
        done.bytes,
        done.out.display()
    );
    Ok(())
}

pub fn restore(settings: &Settings, from: &Path, force: bool) -> Result<(), CliError> {
    let done = backup::restore(settings, from, force)?;
    println!(
        "restored {} into {} ({} studies, backup at migration {}{})",
        from.display(),
        done.target.display(),
        done.studies,
        done.from_migration,
        if done.migrated.is_empty() {
            String::new()
        } else {
            format!(", migrated forward: {}", done.migrated.join(", "))
        }
    );
    Ok(())
}

pub fn purge(conn: &mut Connection, settings: &Settings) -> Result<(), CliError> {
    let purged = retention::purge_now(conn, settings)?;
    println!(
        "purged: {} sent or cancelled emails, {} failed emails, {} expired sessions, {} password-reset links, {} revoked API tokens, {} idle rate-limit buckets",
        purged.sent_emails,
        purged.failed_emails,
        purged.sessions,
        purged.password_resets,
        purged.revoked_api_tokens,
        purged.rate_limits
    );
    Ok(())
}

pub fn erase(
    conn: &mut Connection,
    slug: &str,
    email: &str,
    drop_comments: bool,
    actor: &Actor,
) -> Result<(), CliError> {
    let erased = erasure::erase(conn, slug, email, drop_comments, actor)?;
    println!(
        "{} of `{slug}` is erased: identity removed, {} link(s) revoked, {} queued email(s) dropped ({} email rows deleted){}; answers kept under {}",
        erased.pseudonym,
        erased.links_revoked,
        erased.emails_dropped,
        erased.emails_deleted,
        if drop_comments {
            format!(", comments and reasons of {} answer(s) blanked", erased.comments_cleared)
        } else {
            ", comments kept".to_string()
        },
        erased.pseudonym
    );
    Ok(())
}
