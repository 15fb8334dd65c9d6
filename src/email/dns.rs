//! The DNS lookups of the sender check: the TXT records of the sender's domain (SPF), of the
//! domains its SPF record includes, of `_dmarc.<domain>` and of the DKIM selector, and the
//! addresses of the SMTP relay. What they mean is judged in `domain::sender_check`.
//!
//! Every lookup is bounded ([`LOOKUP_TIMEOUT`], one attempt) and a failure is an answer
//! (`Txt::Failed` with the reason), never an error that stops the check.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::NetError;
use hickory_resolver::proto::rr::RData;
use hickory_resolver::{Resolver, TokioResolver};

use crate::config::{EmailSettings, EmailTransportKind};
use crate::domain::sender_check::{spf, DkimLookup, Observed, Relay, Txt};

/// How long one query waits for its answer.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(2);

pub struct Dns {
    resolver: TokioResolver,
}

impl Dns {
    /// A resolver asking `server`, or the system's resolvers (/etc/resolv.conf) when None.
    pub fn new(server: Option<SocketAddr>) -> Result<Dns, String> {
        let mut builder = match server {
            Some(address) => {
                let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
                    .into_iter()
                    .map(|mut c| {
                        c.port = address.port();
                        c
                    })
                    .collect();
                let server = NameServerConfig::new(address.ip(), true, connections);
                Resolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![server]),
                    TokioRuntimeProvider::default(),
                )
            }
            None => TokioResolver::builder_tokio()
                .map_err(|e| format!("cannot read the system's DNS settings: {e}"))?,
        };
        let options = builder.options_mut();
        options.timeout = LOOKUP_TIMEOUT;
        options.attempts = 1;
        let resolver = builder
            .build()
            .map_err(|e| format!("cannot set up the DNS resolver: {e}"))?;
        Ok(Dns { resolver })
    }

    /// The TXT records of `name`, each record's strings joined (as SPF and DKIM read them).
    pub async fn txt(&self, name: &str) -> Txt {
        match self.resolver.txt_lookup(absolute(name)).await {
            Ok(lookup) => {
                let records: Vec<String> = lookup
                    .answers()
                    .iter()
                    .filter_map(|record| match &record.data {
                        RData::TXT(txt) => Some(
                            txt.txt_data
                                .iter()
                                .map(|part| String::from_utf8_lossy(part))
                                .collect::<String>(),
                        ),
                        _ => None,
                    })
                    .collect();
                if records.is_empty() {
                    Txt::Nothing
                } else {
                    Txt::Found(records)
                }
            }
            Err(e) if e.is_no_records_found() => Txt::Nothing,
            Err(e) => Txt::Failed(reason(&e)),
        }
    }

    /// The addresses of `host` (itself when it is an address).
    pub async fn addresses(&self, host: &str) -> Result<Vec<IpAddr>, String> {
        if let Ok(ip) = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            return Ok(vec![ip]);
        }
        match self.resolver.lookup_ip(absolute(host)).await {
            Ok(lookup) => Ok(lookup.iter().collect()),
            Err(e) if e.is_no_records_found() => Err("the name has no address".into()),
            Err(e) => Err(reason(&e)),
        }
    }
}

fn absolute(name: &str) -> String {
    format!("{}.", name.trim_end_matches('.'))
}

/// A failed lookup in words: a timeout says so plainly, the rest as the resolver puts it.
fn reason(e: &NetError) -> String {
    match e {
        NetError::Timeout => format!("no answer within {} seconds", LOOKUP_TIMEOUT.as_secs()),
        other => other.to_string(),
    }
}

/// Looks up everything the sender check of `domain` reads, under the settings of `email`.
pub async fn observe(dns: &Dns, email: &EmailSettings, domain: &str) -> Observed {
    let dmarc_name = format!("_dmarc.{domain}");
    let dmarc = dns.txt(&dmarc_name);
    let dkim = async {
        match &email.dkim {
            Some(dkim) => Some(DkimLookup {
                selector: dkim.selector.clone(),
                domain: dkim.domain.clone(),
                txt: dns
                    .txt(&format!("{}._domainkey.{}", dkim.selector, dkim.domain))
                    .await,
            }),
            None => None,
        }
    };
    let relay = relay(dns, email);
    let (dmarc, dkim, relay) = tokio::join!(dmarc, dkim, relay);
    // The domains an SPF record includes matter only to find the relay's address in them.
    let follow = matches!(&relay, Relay::Resolved { .. });
    let spf = spf_records(dns, domain, follow).await;
    Observed {
        domain: domain.to_string(),
        spf,
        dmarc,
        dkim,
        relay,
    }
}

async fn relay(dns: &Dns, email: &EmailSettings) -> Relay {
    if email.transport != EmailTransportKind::Smtp {
        return Relay::NotSmtp {
            transport: email.transport.as_str().to_string(),
        };
    }
    let host = email.smtp.host.trim().to_string();
    match dns.addresses(&host).await {
        Ok(addresses) => Relay::Resolved { host, addresses },
        Err(reason) => Relay::Failed { host, reason },
    }
}

/// The TXT records of `domain` and, with `follow`, of the domains its SPF record references,
/// breadth first, at most [`spf::MAX_LOOKUPS`] more.
async fn spf_records(dns: &Dns, domain: &str, follow: bool) -> HashMap<String, Txt> {
    let mut found = HashMap::new();
    let mut queue = VecDeque::from([domain.to_string()]);
    while let Some(name) = queue.pop_front() {
        // A macro (`%{i}`) depends on the message: there is nothing to look up without one.
        if found.contains_key(&name) || found.len() > spf::MAX_LOOKUPS || name.contains('%') {
            continue;
        }
        let txt = dns.txt(&name).await;
        if let (true, Txt::Found(records)) = (follow, &txt) {
            for record in records.iter().filter(|r| spf::is_spf(r)) {
                if let Ok(record) = spf::Record::parse(record) {
                    queue.extend(record.references().into_iter().map(str::to_string));
                }
            }
        }
        found.insert(name, txt);
    }
    found
}
