//! Addresses and CIDR ranges, for `[server] trusted_proxies`: parsed when the settings load,
//! asked for every request whose peer might be a proxy.

use std::fmt;
use std::net::IpAddr;

use serde::Deserialize;

/// `[server] trusted_proxies`: addresses and CIDR ranges (`10.0.0.0/8`, `::1`), read when the
/// settings load so that a bad entry stops the start with the key and the entry named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpRange>);

impl TrustedProxies {
    /// Every entry, or the first bad one with the reason (its position counted from 1).
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                IpRange::parse(entry.as_ref()).map_err(|reason| format!("entry {}: {reason}", i + 1))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether `addr` is one of the trusted proxies.
    pub fn contains(&self, addr: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(addr))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de> Deserialize<'de> for TrustedProxies {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = Vec::<String>::deserialize(deserializer)?;
        TrustedProxies::parse(&entries).map_err(serde::de::Error::custom)
    }
}

/// One address (a range of one) or a CIDR range, IPv4 or IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// `192.0.2.7`, `10.0.0.0/8`, `::1` or `2001:db8::/32`. An IPv4-mapped IPv6 address
    /// (`::ffff:10.0.0.1`) is read as the IPv4 address, as peers are (see `contains`).
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or a CIDR range such as 10.0.0.0/8"))?;
        let addr = addr.to_canonical();
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => match p.parse::<u8>() {
                Ok(p) if p <= bits => p,
                _ => {
                    return Err(format!(
                        "{text:?}: the prefix length must be a number from 0 to {bits}"
                    ))
                }
            },
        };
        let range = IpRange {
            network: addr,
            prefix,
        };
        // `10.1.2.3/8` is most likely a typo for `10.1.2.3` or `10.0.0.0/8`: say so rather than
        // guess which.
        if range.masked(addr) != range.network_bits() {
            return Err(format!(
                "{text:?} has bits set beyond its /{prefix} prefix (did you mean {}/{prefix}?)",
                range.network_of(addr)
            ));
        }
        Ok(range)
    }

    /// The range's first address (`10.0.0.0` of `10.0.0.0/8`).
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// Whether `addr` is in the range; an IPv4-mapped IPv6 peer (a dual-stack listener) counts
    /// as its IPv4 address.
    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        addr.is_ipv4() == self.network.is_ipv4() && self.masked(addr) == self.network_bits()
    }

    fn bits(addr: IpAddr) -> u128 {
        match addr {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        }
    }

    fn width(&self) -> u8 {
        if self.network.is_ipv4() {
            32
        } else {
            128
        }
    }

    fn mask(&self) -> u128 {
        let host_bits = u32::from(self.width() - self.prefix);
        let all = if self.network.is_ipv4() {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
        all.checked_shl(host_bits).map_or(0, |m| m & all)
    }

    fn masked(&self, addr: IpAddr) -> u128 {
        IpRange::bits(addr) & self.mask()
    }

    fn network_bits(&self) -> u128 {
        IpRange::bits(self.network)
    }

    fn network_of(&self, addr: IpAddr) -> IpAddr {
        let masked = self.masked(addr);
        match addr {
            IpAddr::V4(_) => IpAddr::V4((masked as u32).into()),
            IpAddr::V6(_) => IpAddr::V6(masked.into()),
        }
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}
