//! The sender check (`delphi email check`, the Accounts page): what the DNS records of the
//! sender's domain say about whether receivers will accept Delphi's invitations. The lookups
//! are done elsewhere (`email::dns`); this reads what they found and judges it in findings a
//! facilitator can pass on to their IT people, and one verdict.

pub mod spf;
pub mod tags;

use std::collections::HashMap;
use std::net::IpAddr;

pub use spf::Txt;
use spf::{Coverage, Qualifier};
use tags::{DkimKey, Policy};

/// How much a finding matters for delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warning,
    Problem,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Problem => "problem",
        }
    }
}

/// The one-line answer: will invitations arrive?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    LikelyAccepted,
    MayLandInSpam,
    LikelyRefused,
    /// A lookup failed and nothing found so far is a problem: the check could not decide.
    CouldNotTell,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::LikelyAccepted => "likely_accepted",
            Verdict::MayLandInSpam => "may_land_in_spam",
            Verdict::LikelyRefused => "likely_refused",
            Verdict::CouldNotTell => "could_not_tell",
        }
    }

    /// The message key of its sentence.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::LikelyAccepted => "sender-verdict-likely-accepted",
            Verdict::MayLandInSpam => "sender-verdict-may-land-in-spam",
            Verdict::LikelyRefused => "sender-verdict-likely-refused",
            Verdict::CouldNotTell => "sender-verdict-could-not-tell",
        }
    }
}

/// The DKIM key looked up for the configured selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimLookup {
    pub selector: String,
    pub domain: String,
    pub txt: Txt,
}

/// The SMTP relay Delphi hands its emails to, as far as the sending address goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relay {
    /// `email.transport` is not `smtp`: nothing leaves through a relay.
    NotSmtp { transport: String },
    /// The relay's host and the addresses it resolved to.
    Resolved { host: String, addresses: Vec<IpAddr> },
    /// The relay's host could not be resolved.
    Failed { host: String, reason: String },
}

/// Everything the lookups found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// The sender's domain (of `email.from`).
    pub domain: String,
    /// TXT records of the domain and of every domain its SPF record references.
    pub spf: HashMap<String, Txt>,
    /// TXT records of `_dmarc.<domain>`.
    pub dmarc: Txt,
    /// None when no DKIM selector is configured.
    pub dkim: Option<DkimLookup>,
    pub relay: Relay,
}

/// One thing the check found, with what the sentence that says it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    NotADomain {
        domain: String,
    },
    /// `topic`: which record (as [`Finding::topic`] names them).
    LookupFailed {
        topic: &'static str,
        name: String,
        reason: String,
    },
    SpfMissing {
        domain: String,
    },
    SpfSeveral {
        domain: String,
        count: usize,
    },
    SpfBroken {
        domain: String,
        reason: String,
    },
    SpfOpen {
        domain: String,
    },
    SpfNeutral {
        domain: String,
    },
    SpfStrict {
        domain: String,
        ending: String,
    },
    RelayNotSmtp {
        transport: String,
    },
    RelayUnresolved {
        host: String,
        reason: String,
    },
    RelayPrivate {
        host: String,
    },
    RelayAllowed {
        host: String,
        address: String,
    },
    /// `refused`: the domain's own record (or its DMARC policy, without DKIM) tells receivers
    /// to refuse mail from the address.
    RelayNotListed {
        host: String,
        address: String,
        refused: bool,
    },
    RelayCannotTell {
        host: String,
        reason: String,
    },
    DmarcMissing {
        domain: String,
    },
    DmarcSeveral {
        domain: String,
    },
    DmarcBroken {
        domain: String,
        reason: String,
    },
    DmarcNone {
        domain: String,
    },
    DmarcEnforced {
        domain: String,
        policy: String,
    },
    DkimNotConfigured,
    DkimPublished {
        name: String,
    },
    DkimRevoked {
        name: String,
    },
    DkimMissing {
        name: String,
    },
    DkimBroken {
        name: String,
        reason: String,
    },
}

impl Finding {
    pub fn level(&self) -> Level {
        use Finding::*;
        match self {
            NotADomain { .. } | SpfMissing { .. } | SpfSeveral { .. } | SpfBroken { .. } | SpfOpen { .. } => {
                Level::Problem
            }
            DkimRevoked { .. } | DkimMissing { .. } | DkimBroken { .. } => Level::Problem,
            RelayNotListed { refused: true, .. } => Level::Problem,
            LookupFailed { .. } | SpfNeutral { .. } | RelayUnresolved { .. } | RelayCannotTell { .. } => {
                Level::Warning
            }
            RelayNotListed { refused: false, .. } => Level::Warning,
            DmarcMissing { .. } | DmarcSeveral { .. } | DmarcBroken { .. } => Level::Warning,
            SpfStrict { .. } | RelayNotSmtp { .. } | RelayPrivate { .. } | RelayAllowed { .. } => Level::Ok,
            DmarcNone { .. } | DmarcEnforced { .. } | DkimNotConfigured | DkimPublished { .. } => Level::Ok,
        }
    }

    /// Which record it is about: `domain`, `spf`, `relay`, `dmarc` or `dkim`.
    pub fn topic(&self) -> &'static str {
        use Finding::*;
        match self {
            NotADomain { .. } => "domain",
            LookupFailed { topic, .. } => topic,
            SpfMissing { .. } | SpfSeveral { .. } | SpfBroken { .. } | SpfOpen { .. } | SpfNeutral { .. } => {
                "spf"
            }
            SpfStrict { .. } => "spf",
            RelayNotSmtp { .. } | RelayUnresolved { .. } | RelayPrivate { .. } | RelayAllowed { .. } => {
                "relay"
            }
            RelayNotListed { .. } | RelayCannotTell { .. } => "relay",
            DmarcMissing { .. } | DmarcSeveral { .. } | DmarcBroken { .. } | DmarcNone { .. } => "dmarc",
            DmarcEnforced { .. } => "dmarc",
            DkimNotConfigured | DkimPublished { .. } | DkimRevoked { .. } | DkimMissing { .. } => "dkim",
            DkimBroken { .. } => "dkim",
        }
    }

    /// The message key of its sentence (`sender-…`), also its stable code in JSON.
    pub fn key(&self) -> &'static str {
        use Finding::*;
        match self {
            NotADomain { .. } => "sender-not-a-domain",
            LookupFailed { .. } => "sender-lookup-failed",
            SpfMissing { .. } => "sender-spf-missing",
            SpfSeveral { .. } => "sender-spf-several",
            SpfBroken { .. } => "sender-spf-broken",
            SpfOpen { .. } => "sender-spf-open",
            SpfNeutral { .. } => "sender-spf-neutral",
            SpfStrict { .. } => "sender-spf-strict",
            RelayNotSmtp { .. } => "sender-relay-not-smtp",
            RelayUnresolved { .. } => "sender-relay-unresolved",
            RelayPrivate { .. } => "sender-relay-private",
            RelayAllowed { .. } => "sender-relay-allowed",
            RelayNotListed { refused: true, .. } => "sender-relay-refused",
            RelayNotListed { refused: false, .. } => "sender-relay-not-listed",
            RelayCannotTell { .. } => "sender-relay-cannot-tell",
            DmarcMissing { .. } => "sender-dmarc-missing",
            DmarcSeveral { .. } => "sender-dmarc-several",
            DmarcBroken { .. } => "sender-dmarc-broken",
            DmarcNone { .. } => "sender-dmarc-none",
            DmarcEnforced { .. } => "sender-dmarc-enforced",
            DkimNotConfigured => "sender-dkim-not-configured",
            DkimPublished { .. } => "sender-dkim-published",
            DkimRevoked { .. } => "sender-dkim-revoked",
            DkimMissing { .. } => "sender-dkim-missing",
            DkimBroken { .. } => "sender-dkim-broken",
        }
    }

    /// The values its sentence names, by the names the messages use.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        use Finding::*;
        match self {
            NotADomain { domain }
            | SpfMissing { domain }
            | SpfOpen { domain }
            | SpfNeutral { domain }
            | DmarcMissing { domain }
            | DmarcSeveral { domain }
            | DmarcNone { domain } => vec![("domain", domain.clone())],
            SpfSeveral { domain, count } => vec![("domain", domain.clone()), ("count", count.to_string())],
            SpfBroken { domain, reason } | DmarcBroken { domain, reason } => {
                vec![("domain", domain.clone()), ("reason", reason.clone())]
            }
            SpfStrict { domain, ending } => vec![("domain", domain.clone()), ("ending", ending.clone())],
            DmarcEnforced { domain, policy } => vec![("domain", domain.clone()), ("policy", policy.clone())],
            LookupFailed { name, reason, .. } | DkimBroken { name, reason } => {
                vec![("name", name.clone()), ("reason", reason.clone())]
            }
            RelayNotSmtp { transport } => vec![("transport", transport.clone())],
            RelayUnresolved { host, reason } | RelayCannotTell { host, reason } => {
                vec![("host", host.clone()), ("reason", reason.clone())]
            }
            RelayPrivate { host } => vec![("host", host.clone())],
            RelayAllowed { host, address } | RelayNotListed { host, address, .. } => {
                vec![("host", host.clone()), ("address", address.clone())]
            }
            DkimNotConfigured => Vec::new(),
            DkimPublished { name } | DkimRevoked { name } | DkimMissing { name } => {
                vec![("name", name.clone())]
            }
        }
    }
}

/// The findings, most serious first, and the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub domain: String,
    pub findings: Vec<Finding>,
    pub verdict: Verdict,
}

/// The domain of the sender's address: `Name <delphi@example.org>` or `delphi@example.org`.
pub fn sender_domain(from: &str) -> Option<String> {
    let address = match (from.rfind('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => &from[open + 1..close],
        _ => from,
    };
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let plain = !domain.is_empty()
        && domain.len() <= 253
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'));
    plain.then_some(domain)
}

/// Whether a domain can have public DNS records at all (`localhost`, `mail` cannot).
pub fn is_public_name(domain: &str) -> bool {
    domain.contains('.')
        && !domain.ends_with(".localhost")
        && !domain.ends_with(".local")
        && !domain.ends_with(".internal")
}

/// Judges what the lookups found.
pub fn judge(observed: &Observed) -> Report {
    let domain = observed.domain.clone();
    let mut findings = Vec::new();
    let spf_all = spf_findings(observed, &mut findings);
    let dmarc = dmarc_findings(observed, &mut findings);
    let dkim_published = dkim_findings(observed, &mut findings);
    let dmarc_enforced = matches!(dmarc, Some(Policy::Quarantine | Policy::Reject));
    // The relay can be looked for only in a usable SPF record; without one, the SPF finding
    // has said what matters.
    let refused = spf_all.map(|all| all == Some(Qualifier::Fail) || (dmarc_enforced && !dkim_published));
    relay_findings(observed, refused, &mut findings);
    Report::new(domain, findings)
}

/// A report of one finding, for a sender address that is no internet domain.
pub fn not_a_domain(domain: &str) -> Report {
    judge_failure(
        domain,
        Finding::NotADomain {
            domain: domain.to_string(),
        },
    )
}

/// A report of the one finding that stopped the check (no resolver, no answer in time).
pub fn judge_failure(domain: &str, finding: Finding) -> Report {
    Report::new(domain.to_string(), vec![finding])
}

impl Report {
    fn new(domain: String, mut findings: Vec<Finding>) -> Report {
        // Stable: within a level, the order of the checks (SPF, DMARC, DKIM, relay).
        findings.sort_by_key(|f| std::cmp::Reverse(f.level()));
        let worst = findings.iter().map(Finding::level).max().unwrap_or(Level::Ok);
        let failed = findings.iter().any(|f| matches!(f, Finding::LookupFailed { .. }));
        let verdict = match worst {
            Level::Problem => Verdict::LikelyRefused,
            _ if failed => Verdict::CouldNotTell,
            Level::Warning => Verdict::MayLandInSpam,
            Level::Ok => Verdict::LikelyAccepted,
        };
        Report {
            domain,
            findings,
            verdict,
        }
    }
}

/// The SPF findings; the record's `all` when there is one usable record (for the relay).
fn spf_findings(observed: &Observed, findings: &mut Vec<Finding>) -> Option<Option<Qualifier>> {
    let domain = observed.domain.clone();
    let txts = match observed.spf.get(&domain) {
        Some(Txt::Found(txts)) => txts,
        Some(Txt::Failed(reason)) => {
            findings.push(Finding::LookupFailed {
                topic: "spf",
                name: domain,
                reason: reason.clone(),
            });
            return None;
        }
        Some(Txt::Nothing) | None => {
            findings.push(Finding::SpfMissing { domain });
            return None;
        }
    };
    let records: Vec<&String> = txts.iter().filter(|t| spf::is_spf(t)).collect();
    let record = match records.as_slice() {
        [] => {
            findings.push(Finding::SpfMissing { domain });
            return None;
        }
        [one] => *one,
        several => {
            findings.push(Finding::SpfSeveral {
                domain,
                count: several.len(),
            });
            return None;
        }
    };
    let record = match spf::Record::parse(record) {
        Ok(record) => record,
        Err(e) => {
            findings.push(Finding::SpfBroken { domain, reason: e.0 });
            return None;
        }
    };
    let all = record.all();
    findings.push(match all {
        Some(Qualifier::Pass) => Finding::SpfOpen { domain },
        Some(q @ (Qualifier::Fail | Qualifier::SoftFail)) => Finding::SpfStrict {
            domain,
            ending: format!("{}all", q.sign()),
        },
        // A redirect= hands the ending to the other domain's record.
        None if record.redirect.is_some() => Finding::SpfStrict {
            domain,
            ending: format!("redirect={}", record.redirect.clone().unwrap_or_default()),
        },
        Some(Qualifier::Neutral) | None => Finding::SpfNeutral { domain },
    });
    Some(all)
}

fn dmarc_findings(observed: &Observed, findings: &mut Vec<Finding>) -> Option<Policy> {
    let domain = observed.domain.clone();
    let txts = match &observed.dmarc {
        Txt::Found(txts) => txts,
        Txt::Nothing => {
            findings.push(Finding::DmarcMissing { domain });
            return None;
        }
        Txt::Failed(reason) => {
            findings.push(Finding::LookupFailed {
                topic: "dmarc",
                name: format!("_dmarc.{domain}"),
                reason: reason.clone(),
            });
            return None;
        }
    };
    let records: Vec<&String> = txts.iter().filter(|t| tags::is_dmarc(t)).collect();
    match records.as_slice() {
        [] => {
            findings.push(Finding::DmarcMissing { domain });
            None
        }
        [one] => match tags::dmarc_policy(one) {
            Ok(Policy::None) => {
                findings.push(Finding::DmarcNone { domain });
                Some(Policy::None)
            }
            Ok(policy) => {
                findings.push(Finding::DmarcEnforced {
                    domain,
                    policy: policy.as_str().to_string(),
                });
                Some(policy)
            }
            Err(reason) => {
                findings.push(Finding::DmarcBroken { domain, reason });
                None
            }
        },
        _ => {
            findings.push(Finding::DmarcSeveral { domain });
            None
        }
    }
}

/// The DKIM findings; whether a usable key is published.
fn dkim_findings(observed: &Observed, findings: &mut Vec<Finding>) -> bool {
    let Some(dkim) = &observed.dkim else {
        findings.push(Finding::DkimNotConfigured);
        return false;
    };
    let name = format!("{}._domainkey.{}", dkim.selector, dkim.domain);
    // A key may be split over several strings of one record; several records are an error.
    let finding = match &dkim.txt {
        Txt::Nothing => Finding::DkimMissing { name },
        Txt::Failed(reason) => Finding::LookupFailed {
            topic: "dkim",
            name,
            reason: reason.clone(),
        },
        Txt::Found(txts) if txts.len() > 1 => Finding::DkimBroken {
            name,
            reason: format!("{} records instead of one", txts.len()),
        },
        Txt::Found(txts) => match tags::dkim_key(txts.first().map_or("", String::as_str)) {
            Ok(DkimKey::Published { .. }) => Finding::DkimPublished { name },
            Ok(DkimKey::Revoked) => Finding::DkimRevoked { name },
            Err(reason) => Finding::DkimBroken { name, reason },
        },
    };
    let published = matches!(finding, Finding::DkimPublished { .. });
    findings.push(finding);
    published
}

/// `refused`: None without a usable SPF record, else whether mail from an address it does not
/// list is refused.
fn relay_findings(observed: &Observed, refused: Option<bool>, findings: &mut Vec<Finding>) {
    let (host, addresses) = match &observed.relay {
        Relay::NotSmtp { transport } => {
            findings.push(Finding::RelayNotSmtp {
                transport: transport.clone(),
            });
            return;
        }
        Relay::Failed { host, reason } => {
            findings.push(Finding::RelayUnresolved {
                host: host.clone(),
                reason: reason.clone(),
            });
            return;
        }
        Relay::Resolved { host, addresses } => (host.clone(), addresses),
    };
    let Some(refused) = refused else {
        return;
    };
    // A relay on the local network forwards to the world through an address we cannot see.
    let public: Vec<IpAddr> = addresses.iter().copied().filter(|a| is_public(*a)).collect();
    if public.is_empty() {
        findings.push(Finding::RelayPrivate { host });
        return;
    }
    let mut first_unsure = None;
    for address in &public {
        match spf::covers(&observed.spf, &observed.domain, *address) {
            Coverage::Allowed => {
                findings.push(Finding::RelayAllowed {
                    host,
                    address: address.to_string(),
                });
                return;
            }
            Coverage::NotListed(_) => {}
            Coverage::CannotTell(reason) => {
                first_unsure.get_or_insert(reason);
            }
        }
    }
    findings.push(match first_unsure {
        Some(reason) => Finding::RelayCannotTell { host, reason },
        None => Finding::RelayNotListed {
            host,
            address: public
                .iter()
                .map(IpAddr::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            refused,
        },
    });
}

/// Addresses the internet sees (not loopback, private, link-local or documentation-free
/// unspecified ones).
fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => !(v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()),
        IpAddr::V6(v6) => {
            let unique_local = (v6.segments()[0] & 0xfe00) == 0xfc00;
            let link_local = (v6.segments()[0] & 0xffc0) == 0xfe80;
            !(v6.is_loopback() || v6.is_unspecified() || unique_local || link_local)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(spf: &[&str], dmarc: &[&str]) -> Observed {
        let found = |list: &[&str]| {
            if list.is_empty() {
                Txt::Nothing
            } else {
                Txt::Found(list.iter().map(|s| s.to_string()).collect())
            }
        };
        Observed {
            domain: "example.org".into(),
            spf: HashMap::from([("example.org".to_string(), found(spf))]),
            dmarc: found(dmarc),
            dkim: None,
            relay: Relay::NotSmtp {
                transport: "file".into(),
            },
        }
    }

    fn keys(report: &Report) -> Vec<&'static str> {
        report.findings.iter().map(Finding::key).collect()
    }

    #[test]
    fn the_sender_domain_is_read_from_the_from_setting() {
        assert_eq!(
            sender_domain("Lactation Delphi <delphi@Example.ORG>").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            sender_domain("delphi@example.org").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            sender_domain("Delphi <delphi@localhost>").as_deref(),
            Some("localhost")
        );
        assert_eq!(sender_domain("nobody"), None);
        assert_eq!(sender_domain("x@exa mple.org"), None);
        assert!(!is_public_name("localhost") && is_public_name("example.org"));
    }

    #[test]
    fn each_case_has_its_verdict() {
        let cases: &[(&[&str], &[&str], Verdict, &str)] = &[
            (
                &["v=spf1 -all"],
                &["v=DMARC1; p=reject"],
                Verdict::LikelyAccepted,
                "sender-dmarc-enforced",
            ),
            (
                &["v=spf1 ~all"],
                &["v=DMARC1; p=none"],
                Verdict::LikelyAccepted,
                "sender-dmarc-none",
            ),
            (
                &[],
                &["v=DMARC1; p=reject"],
                Verdict::LikelyRefused,
                "sender-spf-missing",
            ),
            (
                &["v=spf1 +all"],
                &["v=DMARC1; p=none"],
                Verdict::LikelyRefused,
                "sender-spf-open",
            ),
            (
                &["v=spf1 -all", "v=spf1 ~all"],
                &["v=DMARC1; p=none"],
                Verdict::LikelyRefused,
                "sender-spf-several",
            ),
            (
                &["v=spf1 ip4:1.2.3.4/99"],
                &["v=DMARC1; p=none"],
                Verdict::LikelyRefused,
                "sender-spf-broken",
            ),
            (
                &["v=spf1 ?all"],
                &["v=DMARC1; p=none"],
                Verdict::MayLandInSpam,
                "sender-spf-neutral",
            ),
            (
                &["v=spf1 -all"],
                &[],
                Verdict::MayLandInSpam,
                "sender-dmarc-missing",
            ),
            (
                &["v=spf1 -all"],
                &["v=DMARC1; rua=x"],
                Verdict::MayLandInSpam,
                "sender-dmarc-broken",
            ),
        ];
        for (spf, dmarc, verdict, key) in cases {
            let report = judge(&observed(spf, dmarc));
            assert_eq!(
                report.verdict, *verdict,
                "{spf:?} {dmarc:?}: {:?}",
                report.findings
            );
            assert!(
                keys(&report).contains(key),
                "{spf:?} {dmarc:?}: {:?}",
                keys(&report)
            );
        }
        let mut failed = observed(&["v=spf1 -all"], &[]);
        failed.dmarc = Txt::Failed("timed out".into());
        let report = judge(&failed);
        assert_eq!(report.verdict, Verdict::CouldNotTell);
        assert_eq!(report.findings[0].args()[1], ("reason", "timed out".to_string()));
    }

    #[test]
    fn dkim_keys_are_judged() {
        let with = |txt: Txt| {
            let mut o = observed(&["v=spf1 -all"], &["v=DMARC1; p=reject"]);
            o.dkim = Some(DkimLookup {
                selector: "delphi".into(),
                domain: "example.org".into(),
                txt,
            });
            judge(&o)
        };
        let ok = with(Txt::Found(vec!["v=DKIM1; k=rsa; p=MIIBIjAN".into()]));
        assert_eq!(ok.verdict, Verdict::LikelyAccepted);
        assert!(keys(&ok).contains(&"sender-dkim-published"));
        for (txt, key) in [
            (Txt::Found(vec!["v=DKIM1; p=".into()]), "sender-dkim-revoked"),
            (Txt::Nothing, "sender-dkim-missing"),
            (Txt::Found(vec!["v=DKIM1; k=rsa".into()]), "sender-dkim-broken"),
        ] {
            let report = with(txt);
            assert_eq!(report.verdict, Verdict::LikelyRefused);
            assert_eq!(report.findings[0].key(), key);
            assert_eq!(report.findings[0].args()[0].1, "delphi._domainkey.example.org");
        }
    }

    #[test]
    fn the_relay_is_looked_for_in_the_record() {
        let with = |spf: &str, addresses: &[&str]| {
            let mut o = observed(&[spf], &["v=DMARC1; p=none"]);
            o.relay = Relay::Resolved {
                host: "smtp.example.org".into(),
                addresses: addresses.iter().map(|a| a.parse().unwrap()).collect(),
            };
            judge(&o)
        };
        let allowed = with("v=spf1 ip4:203.0.113.0/24 -all", &["203.0.113.9"]);
        assert_eq!(allowed.verdict, Verdict::LikelyAccepted);
        assert!(keys(&allowed).contains(&"sender-relay-allowed"));
        let refused = with("v=spf1 ip4:198.51.100.1 -all", &["203.0.113.9"]);
        assert_eq!(refused.verdict, Verdict::LikelyRefused);
        assert_eq!(refused.findings[0].key(), "sender-relay-refused");
        let soft = with("v=spf1 ip4:198.51.100.1 ~all", &["203.0.113.9"]);
        assert_eq!(soft.verdict, Verdict::MayLandInSpam);
        let unsure = with("v=spf1 mx ~all", &["203.0.113.9"]);
        assert_eq!(unsure.findings[0].key(), "sender-relay-cannot-tell");
        let private = with("v=spf1 -all", &["127.0.0.1", "10.1.2.3", "fd00::1"]);
        assert!(keys(&private).contains(&"sender-relay-private"));
        assert_eq!(private.verdict, Verdict::LikelyAccepted);
    }

    #[test]
    fn every_finding_has_a_key_level_and_topic() {
        assert_eq!(not_a_domain("localhost").verdict, Verdict::LikelyRefused);
        assert_eq!(Finding::DkimNotConfigured.args(), Vec::new());
        assert_eq!(Finding::DkimNotConfigured.topic(), "dkim");
    }
}
