//! The round-control verbs (`round open|preview|remind|extend|resend|close`) and the panel's
//! `expert withdraw`.

use super::{CliError, ExpertCommand, RoundCommand};
use crate::domain::link::LinkBase;
use crate::domain::round::{Origin, RoundKind};
use crate::service::rounds::{self, Opening};
use crate::service::{mail, Actor, Connection, ServiceError};

pub fn run(
    conn: &mut Connection,
    command: RoundCommand,
    links: &LinkBase,
    actor: &Actor,
) -> Result<(), CliError> {
    match command {
        RoundCommand::Open {
            slug,
            deadline,
            ranking,
            ideas,
        } => {
            let deadline = deadline
                .map(|text| rounds::parse_deadline(conn, &slug, &text))
                .transpose()
                .map_err(as_flag)?;
            let opening = if ideas {
                Opening::Ideas
            } else if ranking {
                Opening::Ranking
            } else {
                Opening::Next
            };
            let opened = rounds::open_as(conn, &slug, opening, deadline, links, actor).map_err(as_flag)?;
            if ideas {
                println!(
                    "the ideas round of `{slug}` is open: {} experts invited to propose items, {} emails queued",
                    opened.invited, opened.emails_queued
                );
                return Ok(());
            }
            if opened.kind == RoundKind::Ranking {
                println!(
                    "ranking round {} of `{slug}` is open: {} items to rank, {} experts invited, {} emails queued",
                    opened.number, opened.items, opened.invited, opened.emails_queued
                );
            } else {
                println!(
                    "round {} of `{slug}` is open: {} items ({} carried forward, {} new), {} experts invited, {} emails queued",
                    opened.number, opened.items, opened.carried, opened.new_items, opened.invited, opened.emails_queued
                );
            }
            if opened.kind != RoundKind::Chnri {
                println!("consensus rule locked, SHA-256 {}", opened.rule_hash);
            }
        }
        RoundCommand::Preview { slug, json } => {
            let preview = rounds::preview(conn, &slug)?;
            if json {
                let text = serde_json::to_string_pretty(&preview).map_err(|e| CliError::Failed(e.into()))?;
                println!("{text}");
                return Ok(());
            }
            println!(
                "round {} of `{slug}` would ask {} items ({} carried forward, {} from accepted suggestions, {} new) and invite {} experts",
                preview.number,
                preview.items.len(),
                preview.carried,
                preview.suggestions,
                preview.new_items,
                preview.invite.len()
            );
            if preview.locks_rule {
                println!("opening it locks the consensus rule");
            }
            println!("items:");
            for item in &preview.items {
                let origin = match item.origin {
                    Origin::Carried => "carried",
                    Origin::Suggestion => "suggested",
                    Origin::New => "new",
                };
                println!("  {:<10} {:<10} {}", item.code, origin, item.text);
            }
            println!("experts:");
            for expert in &preview.invite {
                println!("  {:<6} {} <{}>", expert.pseudonym, expert.name, expert.email);
            }
            println!("nothing was changed; `delphi round open {slug}` opens it");
        }
        RoundCommand::Remind { slug } => {
            let reminded = rounds::remind(conn, &slug, links, actor)?;
            println!("round {}: {} reminders queued", reminded.round, reminded.reminded);
        }
        RoundCommand::Extend { slug, deadline } => {
            let deadline = rounds::parse_deadline(conn, &slug, &deadline).map_err(as_flag)?;
            let extended = rounds::extend(conn, &slug, deadline, actor).map_err(as_flag)?;
            let from = extended.previous_local.unwrap_or_else(|| "none".into());
            println!(
                "round {} of `{slug}`: deadline moved from {from} to {}; no email was sent",
                extended.round, extended.deadline_local
            );
        }
        RoundCommand::Resend { slug, email } => {
            let resent = rounds::resend(conn, &slug, &email, links, actor)?;
            println!(
                "round {}: invitation of {} queued again with a new link; {} earlier link(s) revoked, {} unsent email(s) with an old link cancelled",
                resent.round, resent.pseudonym, resent.links_revoked, resent.emails_cancelled
            );
        }
        RoundCommand::Close { slug } => {
            let closed = rounds::close(conn, &slug, "facilitator", actor)?;
            if let Some(proposals) = closed.proposals {
                println!(
                    "the ideas round of `{slug}` is closed: {proposals} proposals to merge into items or set aside (`delphi ideas list {slug}`)"
                );
                return Ok(());
            }
            if closed.kind == RoundKind::Ranking {
                println!(
                    "ranking round {} of `{slug}` is closed: {} items ranked; `delphi results {slug} --round {}` shows the ranking",
                    closed.number, closed.items, closed.number
                );
            } else if closed.kind == RoundKind::Chnri {
                println!(
                    "round {} of `{slug}` is closed: {} items scored (delphi results {slug} --round {})",
                    closed.number, closed.items, closed.number
                );
            } else {
                println!(
                "round {} of `{slug}` is closed: {} items — {} consensus in, {} consensus out, {} no consensus",
                    closed.number, closed.items, closed.in_, closed.out, closed.none
                );
            }
            if let Some(reason) = closed.study_finished {
                println!("the study is finished: {reason}");
            }
        }
    }
    Ok(())
}

pub fn run_expert(conn: &mut Connection, command: ExpertCommand, actor: &Actor) -> Result<(), CliError> {
    match command {
        ExpertCommand::Withdraw { slug, email } => {
            let withdrawn = mail::withdraw_expert(conn, &slug, &email, actor)?;
            if withdrawn.already {
                println!(
                    "{} had already withdrawn from `{slug}`; nothing changed",
                    withdrawn.pseudonym
                );
            } else {
                println!(
                    "{} is withdrawn from `{slug}`: no further invitations or reminders ({} queued email(s) cancelled); their answers stay",
                    withdrawn.pseudonym, withdrawn.emails_cancelled
                );
            }
        }
        ExpertCommand::Erase {
            slug,
            email,
            drop_comments,
        } => super::ops::erase(conn, &slug, &email, drop_comments, actor)?,
    }
    Ok(())
}

/// The command line names the deadline by its flag.
fn as_flag(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Invalid { field, reason } if field == "deadline" => {
            ServiceError::invalid("--deadline", reason)
        }
        other => other,
    }
}
