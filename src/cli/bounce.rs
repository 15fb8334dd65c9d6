//! `delphi bounce receive`: one returned message on standard input, from an MTA's pipe
//! transport (docs/email.md). Exit 0 when recorded, or recorded before (an MTA retrying); 2 with
//! one line on stderr when the input is not a bounce or auto-reply of an email Delphi sent
//! (nothing is changed then).

use std::io::Read;

use clap::Subcommand;

use super::CliError;
use crate::config::Settings;
use crate::domain::delivery::DeliveryEvent;
use crate::email::bounce::MAX_SIZE;
use crate::service::{bounces, Connection};

#[derive(Debug, Subcommand)]
pub enum BounceCommand {
    /// Read one message (a bounce or an auto-reply) on standard input and record it in the
    /// delivery history of the email it answers.
    Receive {
        /// The address the MTA delivered the message to (Postfix: ${recipient}; Exim:
        /// $local_part@$domain), where the per-message bounce address shows. Without it the
        /// message's own headers are searched.
        #[arg(long, value_name = "ADDRESS")]
        recipient: Option<String>,
    },
}

pub fn bounce(conn: &mut Connection, settings: &Settings, command: BounceCommand) -> Result<(), CliError> {
    match command {
        BounceCommand::Receive { recipient } => {
            let mut raw = Vec::new();
            std::io::stdin()
                .take(MAX_SIZE as u64 + 1)
                .read_to_end(&mut raw)
                .map_err(|e| CliError::Failed(anyhow::anyhow!("cannot read standard input: {e}")))?;
            let recorded =
                bounces::receive(conn, &raw, recipient.as_deref(), settings.email.bounce_address())?;
            let whom = recorded.expert.as_deref().unwrap_or("a facilitator");
            if recorded.duplicate {
                // Exit 0 all the same: the MTA that retried may drop the message.
                println!(
                    "message {} ({whom}): already recorded ({}), nothing changed",
                    recorded.message,
                    recorded.event.as_str()
                );
                return Ok(());
            }
            let what = match recorded.event {
                DeliveryEvent::HardBounce if recorded.undeliverable => {
                    format!("hard bounce: {whom}'s address is marked undeliverable")
                }
                DeliveryEvent::HardBounce => "hard bounce: the message is marked failed".into(),
                DeliveryEvent::SoftBounce => "soft bounce (temporary), recorded".into(),
                _ => "auto-reply, recorded (the message arrived)".into(),
            };
            println!(
                "message {} ({whom}): {what}: {}",
                recorded.message, recorded.detail
            );
        }
    }
    Ok(())
}
