//! `delphi email check`: the sender check on the command line (docs/email.md). Exit 0 when
//! invitations are likely to be accepted; 1, after the findings, when they may not be or the
//! check could not tell.

use super::CliError;
use crate::config::Settings;
use crate::domain::sender_check::Verdict;
use crate::service::sender_check;

pub fn run(settings: &Settings, json: bool) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(e.into()))?;
    let report = runtime.block_on(sender_check::check(&settings.email));
    let worded = sender_check::worded(&report, crate::i18n::FALLBACK);
    if json {
        let text = serde_json::to_string_pretty(&worded).map_err(|e| CliError::Failed(e.into()))?;
        println!("{text}");
    } else {
        println!(
            "Sender check of {} (email.from = {})",
            worded.domain, settings.email.from
        );
        for finding in &worded.findings {
            println!(
                "  {:<8} {:<12} {}",
                finding.level_text, finding.topic_text, finding.message
            );
        }
        println!("{}", worded.verdict_text);
    }
    match report.verdict {
        Verdict::LikelyAccepted => Ok(()),
        _ => Err(CliError::Unmet(worded.verdict_text)),
    }
}
