//! `delphi ideas …`: the facilitator's triage of the ideas round from the command line.

use super::{CliError, IdeasCommand};
use crate::domain::study::SetAside;
use crate::service::ideas::{self, MergeInto, Outcome};
use crate::service::{files, Actor, Connection, ServiceError};

pub fn run(conn: &mut Connection, command: IdeasCommand, actor: &Actor) -> Result<(), CliError> {
    match command {
        IdeasCommand::List { slug, pending } => {
            let proposals = ideas::list(conn, &slug)?;
            let waiting = proposals.iter().filter(|p| p.outcome == Outcome::Pending).count();
            println!("{} proposals, {waiting} not processed yet", proposals.len());
            for p in proposals
                .iter()
                .filter(|p| !pending || p.outcome == Outcome::Pending)
            {
                let outcome = match (&p.outcome, &p.item) {
                    (Outcome::Pending, _) => "pending".to_owned(),
                    (Outcome::Merged, Some(item)) => format!("merged into {item}"),
                    (outcome, _) => outcome.label().to_owned(),
                };
                println!(
                    "  {:<6} {:<6} {:<12} {:<24} {}",
                    p.code,
                    p.expert.as_deref().unwrap_or("-"),
                    p.section.as_deref().unwrap_or("-"),
                    outcome,
                    p.text
                );
            }
        }
        IdeasCommand::Import { slug, file } => {
            let (name, text) = files::read_proposals(&file)?;
            let codes = ideas::import(conn, &slug, &name, &text, actor)?;
            match (codes.first(), codes.last()) {
                (Some(first), Some(last)) => {
                    println!(
                        "{} proposals saved in the ideas round of `{slug}`: {first} to {last}",
                        codes.len()
                    )
                }
                _ => println!("no proposal saved"),
            }
        }
        IdeasCommand::Merge {
            slug,
            proposals,
            into,
            new,
            section,
            text,
        } => {
            let target = match (into, new, section, text) {
                (Some(code), _, _, _) => MergeInto::Existing(code),
                (None, Some(code), Some(section), Some(text)) => MergeInto::New { code, section, text },
                _ => {
                    return Err(ServiceError::invalid(
                        "--into",
                        "give --into ITEM, or --new ITEM with --section and --text",
                    )
                    .into())
                }
            };
            let item = ideas::merge(conn, &slug, &proposals, &target, None, actor).map_err(as_flag)?;
            println!("{} merged into item {item}", proposals.join(", "));
        }
        IdeasCommand::SetAside {
            slug,
            proposal,
            reason,
            source,
            link,
        } => {
            let why = SetAside::parse(&reason).ok_or_else(|| {
                ServiceError::invalid(
                    "--reason",
                    format!("`{reason}` is not out_of_scope, duplicate, already_answered or unclear"),
                )
            })?;
            ideas::set_aside(
                conn,
                &slug,
                &proposal,
                why,
                source.as_deref(),
                link.as_deref(),
                None,
                actor,
            )
            .map_err(as_flag)?;
            println!("{proposal} set aside: {why}");
        }
        IdeasCommand::Evidence {
            slug,
            item,
            citation,
            link,
        } => {
            ideas::add_evidence(conn, &slug, &item, &citation, link.as_deref(), actor).map_err(as_flag)?;
            println!("evidence note added to item {item}");
        }
    }
    Ok(())
}

/// The command line names the field by its flag.
fn as_flag(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Invalid { field, reason }
            if [
                "source", "link", "citation", "code", "section", "text", "into", "deadline",
            ]
            .contains(&field.as_str()) =>
        {
            let flag = match field.as_str() {
                "code" => "--new".to_owned(),
                other => format!("--{other}"),
            };
            ServiceError::invalid(flag, reason)
        }
        other => other,
    }
}
