//! DMARC (RFC 7489, `_dmarc.<domain>`) and DKIM key (RFC 6376, `<selector>._domainkey.<domain>`)
//! records: both are `tag=value; tag=value` lists.

/// The tags of a record, names lowercased, in order; `None` when a part has no `=`.
fn tags(txt: &str) -> Option<Vec<(String, String)>> {
    txt.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect()
}

/// What a domain's DMARC policy asks receivers to do with mail that fails SPF and DKIM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }
}

/// Whether a TXT record at `_dmarc.` is a DMARC record (`v=DMARC1` first).
pub fn is_dmarc(txt: &str) -> bool {
    tags(txt)
        .and_then(|t| t.into_iter().next())
        .is_some_and(|(name, value)| name == "v" && value.eq_ignore_ascii_case("DMARC1"))
}

/// The policy (`p=`) of a DMARC record, or why there is none.
pub fn dmarc_policy(txt: &str) -> Result<Policy, String> {
    let tags = tags(txt).ok_or_else(|| "a part of it has no `=`".to_string())?;
    if !tags
        .first()
        .is_some_and(|(n, v)| n == "v" && v.eq_ignore_ascii_case("DMARC1"))
    {
        return Err("it does not start with v=DMARC1".into());
    }
    match tags
        .iter()
        .find(|(name, _)| name == "p")
        .map(|(_, v)| v.to_ascii_lowercase())
    {
        Some(p) if p == "none" => Ok(Policy::None),
        Some(p) if p == "quarantine" => Ok(Policy::Quarantine),
        Some(p) if p == "reject" => Ok(Policy::Reject),
        Some(p) => Err(format!("its policy p={p} is not none, quarantine or reject")),
        None => Err("it has no policy (p=)".into()),
    }
}

/// A DKIM key record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DkimKey {
    /// A public key is published (`p=` with a value); its type (`k=`, rsa by default).
    Published { key_type: String },
    /// `p=` is empty: the key was withdrawn, signatures with it fail.
    Revoked,
}

/// The key a DKIM record publishes, or why it is unusable.
pub fn dkim_key(txt: &str) -> Result<DkimKey, String> {
    let tags = tags(txt).ok_or_else(|| "a part of it has no `=`".to_string())?;
    if let Some(pos) = tags.iter().position(|(n, _)| n == "v") {
        if pos != 0 || !tags[pos].1.eq_ignore_ascii_case("DKIM1") {
            return Err("its v= is not DKIM1 at the start".into());
        }
    }
    let key_type = tags
        .iter()
        .find(|(n, _)| n == "k")
        .map_or("rsa".to_string(), |(_, v)| v.to_ascii_lowercase());
    match tags.iter().find(|(n, _)| n == "p") {
        None => Err("it has no public key (p=)".into()),
        Some((_, p)) if p.chars().all(char::is_whitespace) => Ok(DkimKey::Revoked),
        Some((_, p)) => {
            let base64 = p
                .chars()
                .filter(|c| !c.is_whitespace())
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
            if base64 {
                Ok(DkimKey::Published { key_type })
            } else {
                Err("its public key (p=) is not base64".into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dmarc_policies_are_read() {
        assert_eq!(
            dmarc_policy("v=DMARC1; p=reject; rua=mailto:d@example.org"),
            Ok(Policy::Reject)
        );
        assert_eq!(
            dmarc_policy("v=DMARC1;p=Quarantine;pct=50"),
            Ok(Policy::Quarantine)
        );
        assert_eq!(dmarc_policy("v=DMARC1; p=none"), Ok(Policy::None));
        assert!(dmarc_policy("v=DMARC1; rua=mailto:x@y")
            .unwrap_err()
            .contains("no policy"));
        assert!(dmarc_policy("p=reject; v=DMARC1")
            .unwrap_err()
            .contains("v=DMARC1"));
        assert!(dmarc_policy("v=DMARC1; p=block").unwrap_err().contains("p=block"));
        assert!(is_dmarc("v=DMARC1; p=none") && !is_dmarc("v=spf1 -all"));
    }

    #[test]
    fn dkim_keys_are_read() {
        assert_eq!(
            dkim_key("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
            Ok(DkimKey::Published {
                key_type: "ed25519".into()
            })
        );
        assert_eq!(
            dkim_key("p=MIIBIjANBgkq hkiG9w0B"),
            Ok(DkimKey::Published {
                key_type: "rsa".into()
            })
        );
        assert_eq!(dkim_key("v=DKIM1; p="), Ok(DkimKey::Revoked));
        assert!(dkim_key("v=DKIM1; k=rsa").unwrap_err().contains("no public key"));
        assert!(dkim_key("k=rsa; v=DKIM1; p=abc").unwrap_err().contains("v="));
        assert!(dkim_key("v=DKIM1; p=not base64!").unwrap_err().contains("base64"));
    }

    proptest::proptest! {
        #[test]
        fn no_record_makes_the_readers_panic(txt in "\\PC{0,80}", tagged in "(( ?[vpk]=[A-Za-z0-9=+/ ]{0,8};?){0,5})") {
            for t in [&txt, &tagged] {
                let _ = dmarc_policy(t);
                let _ = is_dmarc(t);
                let _ = dkim_key(t);
            }
        }
    }
}
