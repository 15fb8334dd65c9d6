//! The sender check: whether receivers are likely to accept Delphi's invitations, from the DNS
//! records of the sender's domain (docs/email.md, "Checking the sender's domain"). Run on demand
//! by `delphi email check` and the Accounts page; it reads no database.

use std::time::Duration;

use crate::config::EmailSettings;
use crate::domain::sender_check::{self, Finding, Report};
use crate::email::dns::{self, Dns};

/// The longest a whole check may take, whatever the DNS servers do: a page waits for it.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Looks up and judges the records of the domain of `email.from`.
pub async fn check(email: &EmailSettings) -> Report {
    let Some(domain) = sender_check::sender_domain(&email.from) else {
        return sender_check::not_a_domain(email.from.trim());
    };
    if !sender_check::is_public_name(&domain) {
        return sender_check::not_a_domain(&domain);
    }
    let failed = |reason: String| {
        sender_check::judge_failure(
            &domain,
            Finding::LookupFailed {
                topic: "domain",
                name: domain.clone(),
                reason,
            },
        )
    };
    let resolver = match email.dns_server().and_then(Dns::new) {
        Ok(resolver) => resolver,
        Err(reason) => return failed(reason),
    };
    match tokio::time::timeout(CHECK_TIMEOUT, dns::observe(&resolver, email, &domain)).await {
        Ok(observed) => sender_check::judge(&observed),
        Err(_) => failed(format!(
            "the lookups took longer than {} seconds",
            CHECK_TIMEOUT.as_secs()
        )),
    }
}

/// A report in a reader's language, as the command line prints it and the Accounts page and
/// `--json` show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Worded {
    pub domain: String,
    /// `likely_accepted`, `may_land_in_spam`, `likely_refused` or `could_not_tell`.
    pub verdict: &'static str,
    pub verdict_text: String,
    pub findings: Vec<WordedFinding>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct WordedFinding {
    /// `ok`, `warning` or `problem`.
    pub level: &'static str,
    pub level_text: String,
    /// `domain`, `spf`, `relay`, `dmarc` or `dkim`.
    pub topic: &'static str,
    pub topic_text: String,
    /// The finding's stable name (`sender-spf-missing`).
    pub code: &'static str,
    pub message: String,
}

pub fn worded(report: &Report, lang: &str) -> Worded {
    let t = |key: &str| crate::i18n::translate(lang, key, &[]);
    Worded {
        domain: report.domain.clone(),
        verdict: report.verdict.as_str(),
        verdict_text: t(report.verdict.key()),
        findings: report
            .findings
            .iter()
            .map(|finding| {
                let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> = finding
                    .args()
                    .into_iter()
                    .map(|(name, value)| (name, value.into()))
                    .collect();
                WordedFinding {
                    level: finding.level().as_str(),
                    level_text: t(&format!("sender-level-{}", finding.level().as_str())),
                    topic: finding.topic(),
                    topic_text: t(&format!("sender-topic-{}", finding.topic())),
                    code: finding.key(),
                    message: crate::i18n::translate(lang, finding.key(), &args),
                }
            })
            .collect(),
    }
}
