//! Who is on the other end of a request: the client's address (for the rate limits and the log)
//! and the scheme the browser used (for HSTS, the `Secure` cookie flag and the same-origin
//! check). Behind a reverse proxy the TCP peer is the proxy, and the proxy says who the client
//! is in `X-Forwarded-For` or `Forwarded: for=`, and how it was reached in `X-Forwarded-Proto`
//! or `Forwarded: proto=`. Anyone can send those headers, so they are believed only when the
//! peer is one of `[server] trusted_proxies`, and then only up to the first hop that is not a
//! trusted proxy itself (the rightmost untrusted address): the hops to its left were written
//! by the client, or by proxies we know nothing about.
//!
//! Every handler asks here, never `peer_addr()` or actix's `connection_info()` (which believes
//! the forwarding headers from anybody).

use std::net::{IpAddr, Ipv4Addr};

use actix_web::http::header::{self, HeaderMap};
use actix_web::HttpRequest;

use crate::config::TrustedProxies;

const X_FORWARDED_FOR: &str = "x-forwarded-for";
const X_FORWARDED_PROTO: &str = "x-forwarded-proto";

/// The TCP peer: the client itself, or the proxy in front of us. An IPv4-mapped IPv6 address
/// (a dual-stack listener) is read as the IPv4 address, as `trusted_proxies` are.
pub fn peer(req: &HttpRequest) -> IpAddr {
    req.peer_addr()
        .map(|a| a.ip().to_canonical())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

fn trusted_proxies(req: &HttpRequest) -> Option<&TrustedProxies> {
    req.app_data::<actix_web::web::Data<super::AppState>>()
        .map(|state| &state.settings.server.trusted_proxies)
        .filter(|trusted| !trusted.is_empty())
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the rightmost address
/// of its forwarding header that is not a trusted proxy.
pub fn client_addr(req: &HttpRequest) -> IpAddr {
    let peer = peer(req);
    match trusted_proxies(req) {
        Some(trusted) if trusted.contains(peer) => client_of(peer, &forwarded_hops(req.headers()), trusted),
        _ => peer,
    }
}

/// "https" when the browser reached us over TLS: the listener's own TLS, or a trusted proxy
/// that says so; "http" otherwise.
pub fn scheme(req: &HttpRequest) -> &'static str {
    if req.app_config().secure() {
        return "https";
    }
    let peer = peer(req);
    let said = match trusted_proxies(req) {
        Some(trusted) if trusted.contains(peer) => forwarded_proto(req.headers()),
        _ => None,
    };
    match said {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    }
}

/// The client's address from the peer and the hops its forwarding header lists (left to
/// right; `None` for a hop given as `unknown`, obfuscated or unreadable): walking from the
/// right, the first address that is not a trusted proxy. A hop that names no address stops
/// the walk at the last address known, the proxy that wrote it, so a client can never pick the
/// address it is counted under.
pub fn client_of(peer: IpAddr, hops: &[Option<IpAddr>], trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(peer) {
        return peer;
    }
    for hop in hops.iter().rev() {
        match hop {
            Some(addr) => {
                client = *addr;
                if !trusted.contains(client) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

/// The hops of the forwarding header: `X-Forwarded-For` when the request has one (what nginx,
/// HAProxy, Caddy and most load balancers write), else the `for=` of `Forwarded` (RFC 7239).
/// Several header lines count as one list, in order.
pub fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    if headers.contains_key(X_FORWARDED_FOR) {
        return x_forwarded_for(&lines(headers, X_FORWARDED_FOR));
    }
    forwarded(&lines(headers, header::FORWARDED.as_str()))
        .into_iter()
        .filter_map(|element| element.for_)
        .collect()
}

/// The scheme a trusted proxy reports: the last `X-Forwarded-Proto` value (the proxy next to
/// us sets it), else the `proto=` of the last `Forwarded` element that has one.
fn forwarded_proto(headers: &HeaderMap) -> Option<String> {
    let proto: Vec<&str> = headers
        .get_all(X_FORWARDED_PROTO)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if let Some(last) = proto.last() {
        return Some((*last).to_string());
    }
    forwarded(&lines(headers, header::FORWARDED.as_str()))
        .into_iter()
        .rev()
        .find_map(|element| element.proto)
}

/// Every line of the header `name`, as text (`None`: a line that is not).
fn lines<'a>(headers: &'a HeaderMap, name: &str) -> Vec<Option<&'a str>> {
    headers.get_all(name).map(|v| v.to_str().ok()).collect()
}

/// The hops of `X-Forwarded-For` header values (`None`: a line that is not text), left to
/// right: comma-separated addresses, each possibly with a port or in brackets.
pub fn x_forwarded_for(values: &[Option<&str>]) -> Vec<Option<IpAddr>> {
    values
        .iter()
        .flat_map(|value| match value {
            Some(text) => text.split(',').map(node).collect(),
            None => vec![None],
        })
        .collect()
}

/// One element of a `Forwarded` header (RFC 7239): its `for=` node when it has one (`None`
/// inside: a node that names no address) and its `proto=`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForwardedElement {
    pub for_: Option<Option<IpAddr>>,
    pub proto: Option<String>,
}

/// The elements of `Forwarded` header values, left to right. A line that is not text counts as
/// one element whose `for=` names no address.
pub fn forwarded(values: &[Option<&str>]) -> Vec<ForwardedElement> {
    let mut elements = Vec::new();
    for value in values {
        let Some(text) = value else {
            elements.push(ForwardedElement {
                for_: Some(None),
                proto: None,
            });
            continue;
        };
        for element in split_outside_quotes(text, ',') {
            let mut parsed = ForwardedElement::default();
            for pair in split_outside_quotes(element, ';') {
                let Some((name, value)) = pair.split_once('=') else {
                    continue;
                };
                let value = unquote(value.trim());
                match name.trim().to_ascii_lowercase().as_str() {
                    "for" => parsed.for_ = Some(node(&value)),
                    "proto" => parsed.proto = Some(value),
                    _ => {}
                }
            }
            if parsed != ForwardedElement::default() {
                elements.push(parsed);
            }
        }
    }
    elements
}

/// `text` split at `separator`, except inside a quoted string (where `\` escapes).
fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quoted, mut escaped, mut start) = (false, false, 0);
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A token, or a quoted string without its quotes and escapes.
fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or('\\')
                } else {
                    c
                });
            }
            out
        }
        None => value.to_string(),
    }
}

/// The address of one node: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:4711`; `None` for `unknown`, an obfuscated `_name` or anything else.
fn node(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Some(addr.to_canonical());
    }
    let host = match text.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?.0,
        // An IPv4 address with a port: one colon only (two or more would be IPv6).
        None => match text.split_once(':') {
            Some((host, port)) if !port.contains(':') => host,
            _ => return None,
        },
    };
    host.parse::<IpAddr>().ok().map(|addr| addr.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn trusted(entries: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(entries).unwrap()
    }

    #[test]
    fn nodes_with_ports_brackets_and_unknowns() {
        assert_eq!(node("192.0.2.1"), Some(ip("192.0.2.1")));
        assert_eq!(node(" 192.0.2.1:4711 "), Some(ip("192.0.2.1")));
        assert_eq!(node("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(node("[2001:db8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(node("[2001:db8::1]:4711"), Some(ip("2001:db8::1")));
        assert_eq!(node("::ffff:192.0.2.1"), Some(ip("192.0.2.1")));
        for nothing in [
            "unknown",
            "_hidden",
            "",
            "[",
            "[::1",
            "example.org:80",
            "1.2.3.4:5:6",
        ] {
            assert_eq!(node(nothing), None, "{nothing}");
        }
    }

    #[test]
    fn forwarded_elements_with_quotes_and_case() {
        let parsed = forwarded(&[
            Some(r#"for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711""#),
            Some(r#"for="_a,b;c";proto="https", for=unknown"#),
            None,
        ]);
        assert_eq!(
            parsed,
            vec![
                ForwardedElement {
                    for_: Some(Some(ip("192.0.2.60"))),
                    proto: Some("http".into()),
                },
                ForwardedElement {
                    for_: Some(Some(ip("2001:db8:cafe::17"))),
                    proto: None,
                },
                ForwardedElement {
                    for_: Some(None),
                    proto: Some("https".into()),
                },
                ForwardedElement {
                    for_: Some(None),
                    proto: None,
                },
                ForwardedElement {
                    for_: Some(None),
                    proto: None,
                },
            ]
        );
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        let proxies = trusted(&["10.0.0.0/8", "127.0.0.1"]);
        let hops = x_forwarded_for(&[Some("198.51.100.7, 203.0.113.5"), Some("10.1.1.1")]);
        // The client wrote 198.51.100.7 itself; our proxies saw 203.0.113.5.
        assert_eq!(client_of(ip("127.0.0.1"), &hops, &proxies), ip("203.0.113.5"));
        // From a peer that is not trusted, the header means nothing.
        assert_eq!(client_of(ip("192.0.2.9"), &hops, &proxies), ip("192.0.2.9"));
        // Only trusted hops: the leftmost of them.
        let inside = x_forwarded_for(&[Some("10.9.9.9, 10.1.1.1")]);
        assert_eq!(client_of(ip("127.0.0.1"), &inside, &proxies), ip("10.9.9.9"));
        // A hop that names nobody stops at the proxy that wrote it.
        let hidden = x_forwarded_for(&[Some("203.0.113.5, unknown, 10.1.1.1")]);
        assert_eq!(client_of(ip("127.0.0.1"), &hidden, &proxies), ip("10.1.1.1"));
        assert_eq!(
            client_of(ip("127.0.0.1"), &x_forwarded_for(&[None]), &proxies),
            ip("127.0.0.1")
        );
        // No header: the proxy itself.
        assert_eq!(client_of(ip("127.0.0.1"), &[], &proxies), ip("127.0.0.1"));
    }

    #[test]
    fn x_forwarded_for_wins_over_forwarded() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::FORWARDED,
            header::HeaderValue::from_static("for=192.0.2.1;proto=https"),
        );
        assert_eq!(forwarded_hops(&headers), vec![Some(ip("192.0.2.1"))]);
        assert_eq!(forwarded_proto(&headers).as_deref(), Some("https"));
        headers.insert(
            header::HeaderName::from_static(X_FORWARDED_FOR),
            header::HeaderValue::from_static("192.0.2.2"),
        );
        headers.insert(
            header::HeaderName::from_static(X_FORWARDED_PROTO),
            header::HeaderValue::from_static("http"),
        );
        assert_eq!(forwarded_hops(&headers), vec![Some(ip("192.0.2.2"))]);
        assert_eq!(forwarded_proto(&headers).as_deref(), Some("http"));
    }
}
