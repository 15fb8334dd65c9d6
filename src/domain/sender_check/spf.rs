//! SPF records (RFC 7208), read far enough to judge a sender's domain: which mechanisms and
//! qualifiers it lists, where it sends the reader on (`include:`, `redirect=`), and whether an
//! address is among its `ip4:`/`ip6:` ranges. Not a full evaluator: `a`, `mx`, `ptr` and
//! `exists` need lookups of their own, so [`covers`] reports them as "cannot tell".

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What a receiver does with mail from an address a mechanism matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// `+` (the default): allowed.
    Pass,
    /// `-`: refuse.
    Fail,
    /// `~`: accept but mark as suspicious.
    SoftFail,
    /// `?`: no statement.
    Neutral,
}

impl Qualifier {
    fn from_char(c: char) -> Option<Qualifier> {
        match c {
            '+' => Some(Qualifier::Pass),
            '-' => Some(Qualifier::Fail),
            '~' => Some(Qualifier::SoftFail),
            '?' => Some(Qualifier::Neutral),
            _ => None,
        }
    }

    /// How the record writes it before `all`: `+`, `-`, `~` or `?`.
    pub fn sign(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mechanism {
    All,
    Include(String),
    /// `a` and `mx`, with the domain they name (none: the record's own).
    A(Option<String>),
    Mx(Option<String>),
    Ptr(Option<String>),
    Exists(String),
    Ip4(Ipv4Addr, u8),
    Ip6(Ipv6Addr, u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub mechanisms: Vec<(Qualifier, Mechanism)>,
    pub redirect: Option<String>,
}

/// Why a record is unusable: receivers treat it as a permanent error, as if it were broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(pub String);

/// Whether a TXT record is an SPF record at all: `v=spf1` alone or followed by a space.
pub fn is_spf(txt: &str) -> bool {
    let lower = txt.trim_start().to_ascii_lowercase();
    lower == "v=spf1" || lower.starts_with("v=spf1 ")
}

impl Record {
    pub fn parse(txt: &str) -> Result<Record, SyntaxError> {
        let mut terms = txt.split_ascii_whitespace();
        if !terms.next().is_some_and(|v| v.eq_ignore_ascii_case("v=spf1")) {
            return Err(SyntaxError("it does not start with v=spf1".into()));
        }
        let mut record = Record {
            mechanisms: Vec::new(),
            redirect: None,
        };
        for term in terms {
            if let Some((name, value)) = modifier(term) {
                if name.eq_ignore_ascii_case("redirect") {
                    if record.redirect.is_some() {
                        return Err(SyntaxError("it has redirect= twice".into()));
                    }
                    record.redirect = Some(domain_spec(term, value)?);
                }
                // Other modifiers (exp=, unknown ones) do not change who may send.
                continue;
            }
            record.mechanisms.push(mechanism(term)?);
        }
        Ok(record)
    }

    /// The qualifier of the record's `all`, if it has one (what happens to everyone else).
    pub fn all(&self) -> Option<Qualifier> {
        self.mechanisms
            .iter()
            .find(|(_, m)| *m == Mechanism::All)
            .map(|(q, _)| *q)
    }

    /// The domains whose records this one reads on (`include:` targets, then `redirect=`).
    pub fn references(&self) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .mechanisms
            .iter()
            .filter_map(|(_, m)| match m {
                Mechanism::Include(d) => Some(d.as_str()),
                _ => None,
            })
            .collect();
        found.extend(self.redirect.as_deref());
        found
    }
}

/// `name=value` where name is an SPF modifier name (letters, digits, `-`, `_`, `.`); a
/// mechanism such as `ip4:…` or `a/24` has no `=` before its first `:` or `/`.
fn modifier(term: &str) -> Option<(&str, &str)> {
    let (name, value) = term.split_once('=')?;
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then_some((name, value))
}

fn mechanism(term: &str) -> Result<(Qualifier, Mechanism), SyntaxError> {
    let (qualifier, rest) = match term.chars().next().and_then(Qualifier::from_char) {
        Some(q) => (q, &term[1..]),
        None => (Qualifier::Pass, term),
    };
    let end = rest.find([':', '/']).unwrap_or(rest.len());
    let (name, argument) = rest.split_at(end);
    let bad = |why: &str| SyntaxError(format!("`{term}` {why}"));
    // `a:example.org/24`: the domain, then an optional prefix length we do not need.
    let target = |argument: &str| -> Result<Option<String>, SyntaxError> {
        match argument.strip_prefix(':') {
            Some(domain) => {
                let domain = domain.split('/').next().unwrap_or_default();
                domain_spec(term, domain).map(Some)
            }
            None if argument.is_empty() || argument.starts_with('/') => Ok(None),
            None => Err(bad("is not a mechanism")),
        }
    };
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" if argument.is_empty() => Mechanism::All,
        "include" => Mechanism::Include(target(argument)?.ok_or_else(|| bad("names no domain"))?),
        "exists" => Mechanism::Exists(target(argument)?.ok_or_else(|| bad("names no domain"))?),
        "a" => Mechanism::A(target(argument)?),
        "mx" => Mechanism::Mx(target(argument)?),
        "ptr" => Mechanism::Ptr(target(argument)?),
        "ip4" => {
            let (address, prefix) = network(argument, 32).ok_or_else(|| bad("is not an IPv4 range"))?;
            Mechanism::Ip4(address.parse().map_err(|_| bad("is not an IPv4 range"))?, prefix)
        }
        "ip6" => {
            let (address, prefix) = network(argument, 128).ok_or_else(|| bad("is not an IPv6 range"))?;
            Mechanism::Ip6(address.parse().map_err(|_| bad("is not an IPv6 range"))?, prefix)
        }
        _ => return Err(bad("is not a mechanism SPF knows")),
    };
    Ok((qualifier, mechanism))
}

/// `:ADDRESS` or `:ADDRESS/PREFIX` (prefix at most `max`).
fn network(argument: &str, max: u8) -> Option<(&str, u8)> {
    let argument = argument.strip_prefix(':')?;
    match argument.split_once('/') {
        Some((address, prefix)) => {
            let prefix: u8 = prefix.parse().ok()?;
            (prefix <= max).then_some((address, prefix))
        }
        None => Some((argument, max)),
    }
}

/// A domain after `include:`, `redirect=` and the like; macros (`%{i}`) are kept as written.
fn domain_spec(term: &str, domain: &str) -> Result<String, SyntaxError> {
    let domain = domain.trim_end_matches('.');
    if domain.is_empty() || domain.len() > 253 {
        return Err(SyntaxError(format!("`{term}` names no domain")));
    }
    Ok(domain.to_ascii_lowercase())
}

/// Whether `ip` is in `network/prefix`.
pub fn in_range(ip: IpAddr, mechanism: &Mechanism) -> bool {
    match (ip, mechanism) {
        (IpAddr::V4(ip), Mechanism::Ip4(net, prefix)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(*prefix)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(*net) & mask
        }
        (IpAddr::V6(ip), Mechanism::Ip6(net, prefix)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(*prefix)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(*net) & mask
        }
        _ => false,
    }
}

/// The TXT lookups of the domains an SPF check reads: the domain's records, or why there are
/// none to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Txt {
    Found(Vec<String>),
    Nothing,
    Failed(String),
}

/// What a check of one address against a domain's SPF record found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// A mechanism (here or in an `include:`) allows the address.
    Allowed,
    /// The record ends with this qualifier for the address: nothing listed it.
    NotListed(Option<Qualifier>),
    /// It depends on something this check does not look up (`a`, `mx`, `ptr`, `exists`, a
    /// failed or missing lookup, more than ten references): the reason.
    CannotTell(String),
}

/// The most domains a check reads, as RFC 7208's limit of ten DNS lookups (plus the first).
pub const MAX_LOOKUPS: usize = 10;

/// Whether `ip` may send for `domain`, from the TXT records of the domain and of those its
/// record references (`records`, keyed by lowercase domain). Follows `include:` and
/// `redirect=` at most [`MAX_LOOKUPS`] times.
pub fn covers(records: &HashMap<String, Txt>, domain: &str, ip: IpAddr) -> Coverage {
    let mut lookups = 0;
    walk(records, domain, ip, &mut lookups)
}

fn walk(records: &HashMap<String, Txt>, domain: &str, ip: IpAddr, lookups: &mut usize) -> Coverage {
    let record = match records.get(domain) {
        Some(Txt::Found(txts)) => {
            let spf: Vec<&String> = txts.iter().filter(|t| is_spf(t)).collect();
            match spf.as_slice() {
                [one] => match Record::parse(one) {
                    Ok(record) => record,
                    Err(e) => {
                        return Coverage::CannotTell(format!("the record of {domain} is broken: {}", e.0))
                    }
                },
                [] => return Coverage::CannotTell(format!("{domain} has no SPF record")),
                _ => return Coverage::CannotTell(format!("{domain} has several SPF records")),
            }
        }
        Some(Txt::Nothing) => return Coverage::CannotTell(format!("{domain} has no SPF record")),
        Some(Txt::Failed(reason)) => return Coverage::CannotTell(format!("{domain}: {reason}")),
        None => return Coverage::CannotTell(format!("{domain} was not looked up")),
    };
    let mut unsure: Option<String> = None;
    for (qualifier, mechanism) in &record.mechanisms {
        match mechanism {
            Mechanism::Ip4(..) | Mechanism::Ip6(..) => {
                if in_range(ip, mechanism) {
                    return decided(*qualifier, unsure);
                }
            }
            Mechanism::All => return decided(*qualifier, unsure),
            Mechanism::Include(target) => {
                *lookups += 1;
                if *lookups > MAX_LOOKUPS {
                    return Coverage::CannotTell("the record references more than ten others".into());
                }
                match walk(records, target, ip, lookups) {
                    Coverage::Allowed => return decided(*qualifier, unsure),
                    Coverage::NotListed(_) => {}
                    Coverage::CannotTell(reason) => {
                        unsure.get_or_insert(reason);
                    }
                }
            }
            Mechanism::A(_) | Mechanism::Mx(_) | Mechanism::Ptr(_) | Mechanism::Exists(_) => {
                unsure.get_or_insert(format!(
                    "{domain}'s record uses `{}`, which this check does not look up",
                    kind(mechanism)
                ));
            }
        }
    }
    if let Some(target) = &record.redirect {
        *lookups += 1;
        if *lookups > MAX_LOOKUPS {
            return Coverage::CannotTell("the record references more than ten others".into());
        }
        return match (walk(records, target, ip, lookups), unsure) {
            (Coverage::Allowed, _) => Coverage::Allowed,
            (_, Some(reason)) => Coverage::CannotTell(reason),
            (other, None) => other,
        };
    }
    match unsure {
        Some(reason) => Coverage::CannotTell(reason),
        None => Coverage::NotListed(None),
    }
}

fn kind(mechanism: &Mechanism) -> &'static str {
    match mechanism {
        Mechanism::A(_) => "a",
        Mechanism::Mx(_) => "mx",
        Mechanism::Ptr(_) => "ptr",
        Mechanism::Exists(_) => "exists",
        Mechanism::All => "all",
        Mechanism::Include(_) => "include",
        Mechanism::Ip4(..) => "ip4",
        Mechanism::Ip6(..) => "ip6",
    }
}

/// A matching mechanism (or `all`): allowed when it passes, unless an earlier mechanism we could
/// not evaluate might already have decided otherwise.
fn decided(qualifier: Qualifier, unsure: Option<String>) -> Coverage {
    match (qualifier, unsure) {
        (Qualifier::Pass, _) => Coverage::Allowed,
        (_, Some(reason)) => Coverage::CannotTell(reason),
        (other, None) => Coverage::NotListed(Some(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typical_record_reads_whole() {
        let r = Record::parse("v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.net a mx:mail.example.org/24 ~all exp=why.example.org").unwrap();
        assert_eq!(r.all(), Some(Qualifier::SoftFail));
        assert_eq!(r.mechanisms.len(), 6);
        assert_eq!(
            r.mechanisms[0],
            (Qualifier::Pass, Mechanism::Ip4("192.0.2.0".parse().unwrap(), 24))
        );
        assert_eq!(
            r.mechanisms[4],
            (Qualifier::Pass, Mechanism::Mx(Some("mail.example.org".into())))
        );
        assert_eq!(r.references(), vec!["_spf.example.net"]);
        let r = Record::parse("V=SPF1 -IP4:203.0.113.7 redirect=_spf.Example.org").unwrap();
        assert_eq!(
            r.mechanisms[0],
            (
                Qualifier::Fail,
                Mechanism::Ip4("203.0.113.7".parse().unwrap(), 32)
            )
        );
        assert_eq!(r.redirect.as_deref(), Some("_spf.example.org"));
        assert_eq!(r.all(), None);
    }

    #[test]
    fn broken_records_say_why() {
        for (txt, why) in [
            ("v=spf2 -all", "v=spf1"),
            ("v=spf1 ip4:300.1.1.1 -all", "ip4:300.1.1.1"),
            ("v=spf1 ip4:192.0.2.0/33 -all", "IPv4 range"),
            ("v=spf1 include: -all", "names no domain"),
            ("v=spf1 allow -all", "not a mechanism"),
            ("v=spf1 redirect=a.org redirect=b.org", "twice"),
            ("v=spf1 all:x", "not a mechanism"),
        ] {
            let e = Record::parse(txt).unwrap_err();
            assert!(e.0.contains(why), "{txt}: {}", e.0);
        }
        assert!(
            is_spf("v=spf1 -all")
                && is_spf("v=spf1")
                && !is_spf("v=spf10 -all")
                && !is_spf("google-site-verification=x")
        );
    }

    fn records(list: &[(&str, &str)]) -> HashMap<String, Txt> {
        list.iter()
            .map(|(d, t)| (d.to_string(), Txt::Found(vec![t.to_string()])))
            .collect()
    }

    #[test]
    fn an_address_is_covered_through_includes_and_redirects() {
        let ip: IpAddr = "198.51.100.25".parse().unwrap();
        let zone = records(&[
            ("example.org", "v=spf1 include:_spf.relay.net -all"),
            ("_spf.relay.net", "v=spf1 ip4:198.51.100.0/24 ~all"),
            ("other.org", "v=spf1 ip4:192.0.2.1 -all"),
            ("redirected.org", "v=spf1 redirect=example.org"),
            ("vague.org", "v=spf1 mx -all"),
            ("open.org", "v=spf1 +all"),
            ("loop.org", "v=spf1 include:loop.org -all"),
        ]);
        assert_eq!(covers(&zone, "example.org", ip), Coverage::Allowed);
        assert_eq!(covers(&zone, "redirected.org", ip), Coverage::Allowed);
        assert_eq!(covers(&zone, "open.org", ip), Coverage::Allowed);
        assert_eq!(
            covers(&zone, "other.org", ip),
            Coverage::NotListed(Some(Qualifier::Fail))
        );
        assert!(matches!(covers(&zone, "vague.org", ip), Coverage::CannotTell(r) if r.contains("`mx`")));
        assert!(matches!(covers(&zone, "loop.org", ip), Coverage::CannotTell(r) if r.contains("ten")));
        assert!(matches!(
            covers(&zone, "nowhere.org", ip),
            Coverage::CannotTell(_)
        ));
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        let zone = records(&[("six.org", "v=spf1 ip6:2001:db8::/32 -all")]);
        assert_eq!(covers(&zone, "six.org", v6), Coverage::Allowed);
        assert_eq!(
            covers(&zone, "six.org", ip),
            Coverage::NotListed(Some(Qualifier::Fail))
        );
    }

    proptest::proptest! {
        #[test]
        fn no_record_makes_the_parser_or_the_check_panic(txt in "(v=spf1)?( {1,2}[-+~?]?(all|a|mx|ptr|include|exists|ip4|ip6|redirect|exp)?[:=/]?[0-9a-f.:/%{}]{0,12}){0,6}") {
            let _ = Record::parse(&txt);
            let zone = records(&[("d.org", txt.as_str())]);
            let _ = covers(&zone, "d.org", "192.0.2.1".parse().unwrap());
            let _ = covers(&zone, "d.org", "2001:db8::1".parse().unwrap());
        }

        #[test]
        fn any_text_parses_or_is_refused(txt in "\\PC{0,80}") {
            let _ = Record::parse(&txt);
        }
    }
}
