//! DKIM signing (RFC 6376) with the key of `[email.dkim]`, so that a study can send from its own
//! domain through any relay; and the DNS record that publishes the key's public half.
//!
//! The key is read once, when the outbox worker starts (`Signer::from_settings`), so that a
//! missing or wrong key stops `delphi serve` with the setting named instead of failing every
//! message later. lettre computes the signature; this module reads the PEM files people actually
//! have (`openssl genpkey` writes PKCS#8, lettre reads PKCS#1 RSA and raw Ed25519 only).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::Message;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::config::{ConfigError, DkimSettings, Settings};

/// Headers every signature covers (when a message has them; all of ours do).
const SIGNED: [&str; 7] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
];

/// Covered too on the emails that carry them (those to experts): RFC 8058 asks one-click
/// unsubscribe headers to be signed, or mailbox providers do not offer the button.
const UNSUBSCRIBE: [&str; 2] = ["List-Unsubscribe", "List-Unsubscribe-Post"];

/// RFC 8301: verifiers must not accept RSA keys shorter than this.
const MIN_RSA_BITS: usize = 1024;

/// Signs messages with the configured key.
pub struct Signer {
    plain: DkimConfig,
    with_unsubscribe: DkimConfig,
    record: DnsRecord,
}

/// The TXT record receivers look the public key up in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    /// `<selector>._domainkey.<domain>`
    pub name: String,
    /// `v=DKIM1; k=rsa; p=…`
    pub value: String,
}

impl DnsRecord {
    /// The record as a zone-file line, its value cut into the 255-byte strings a TXT record is
    /// made of (a 2,048-bit RSA key does not fit in one).
    pub fn zone_line(&self) -> String {
        let strings: Vec<String> = self
            .value
            .as_bytes()
            .chunks(255)
            .map(|chunk| format!("\"{}\"", String::from_utf8_lossy(chunk)))
            .collect();
        format!("{}. IN TXT ( {} )", self.name, strings.join(" "))
    }
}

impl Signer {
    /// The signer `[email.dkim]` asks for, or none when the table is absent.
    pub fn from_settings(settings: &Settings) -> Result<Option<Signer>, ConfigError> {
        settings.email.dkim.as_ref().map(Signer::load).transpose()
    }

    pub fn load(settings: &DkimSettings) -> Result<Signer, ConfigError> {
        let path = &settings.private_key;
        let bad = |reason: String| ConfigError {
            key: "email.dkim.private_key".into(),
            origin: "the merged settings".into(),
            reason: format!("{}: {reason}", path.display()),
        };
        let pem = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read the key: {e}")))?;
        let key = Key::parse(&pem).map_err(bad)?;
        let selector = settings.selector.trim().to_string();
        let domain = settings.domain();
        let config = |extra: &[&'static str]| -> Result<DkimConfig, ConfigError> {
            let headers = SIGNED
                .iter()
                .chain(extra)
                .map(|name| HeaderName::new_from_ascii_str(name))
                .collect();
            Ok(DkimConfig::new(
                selector.clone(),
                domain.clone(),
                key.for_lettre().map_err(bad)?,
                headers,
                DkimCanonicalization {
                    header: DkimCanonicalizationType::Relaxed,
                    body: DkimCanonicalizationType::Relaxed,
                },
            ))
        };
        Ok(Signer {
            plain: config(&[])?,
            with_unsubscribe: config(&UNSUBSCRIBE)?,
            record: DnsRecord {
                name: format!("{selector}._domainkey.{domain}"),
                value: key.record_value().map_err(bad)?,
            },
        })
    }

    /// Adds the `DKIM-Signature` header; the last change made to a message before it leaves.
    pub fn sign(&self, message: &mut Message) {
        let config = if message.headers().get_raw(UNSUBSCRIBE[0]).is_some() {
            &self.with_unsubscribe
        } else {
            &self.plain
        };
        message.sign(config);
    }

    pub fn dns_record(&self) -> &DnsRecord {
        &self.record
    }
}

enum Key {
    Rsa(RsaPrivateKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl Key {
    /// A PEM file: PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`, RSA or
    /// Ed25519); the reason names what was found instead.
    fn parse(pem: &str) -> Result<Key, String> {
        let label = pem
            .lines()
            .find_map(|line| line.trim().strip_prefix("-----BEGIN "))
            .and_then(|rest| rest.strip_suffix("-----"));
        let key = match label {
            Some("RSA PRIVATE KEY") => RsaPrivateKey::from_pkcs1_pem(pem)
                .map(Key::Rsa)
                .map_err(|e| format!("not a readable RSA private key: {e}"))?,
            Some("PRIVATE KEY") => match RsaPrivateKey::from_pkcs8_pem(pem) {
                Ok(key) => Key::Rsa(key),
                Err(_) => ed25519_dalek::SigningKey::from_pkcs8_pem(pem)
                    .map(Key::Ed25519)
                    .map_err(|_| {
                        "holds neither an RSA nor an Ed25519 private key, the two kinds DKIM signs with"
                            .to_string()
                    })?,
            },
            Some("ENCRYPTED PRIVATE KEY") => {
                return Err(
                    "the key is protected by a passphrase, which Delphi cannot type: write \
                     it without one (openssl pkey -in KEY -out dkim.pem) and keep the file readable \
                     by Delphi only"
                        .into(),
                )
            }
            Some(other) => return Err(format!("holds a {other:?}, not an RSA or Ed25519 private key")),
            None => {
                return Err(
                    "is not a PEM file (no -----BEGIN line); see docs/email.md for making a key".into(),
                )
            }
        };
        if let Key::Rsa(rsa) = &key {
            let bits = rsa.size() * 8;
            if bits < MIN_RSA_BITS {
                return Err(format!(
                    "the RSA key has {bits} bits; receivers ignore signatures by keys under \
                     {MIN_RSA_BITS} bits (RFC 8301): make a 2048-bit key"
                ));
            }
        }
        Ok(key)
    }

    /// The key in the form lettre reads: PKCS#1 PEM for RSA, the base64 seed for Ed25519.
    fn for_lettre(&self) -> Result<DkimSigningKey, String> {
        let signing_key = match self {
            Key::Rsa(key) => {
                let pem = key
                    .to_pkcs1_pem(LineEnding::LF)
                    .map_err(|e| format!("cannot re-encode the RSA key: {e}"))?;
                DkimSigningKey::new(&pem, DkimSigningAlgorithm::Rsa)
            }
            Key::Ed25519(key) => {
                DkimSigningKey::new(&BASE64.encode(key.to_bytes()), DkimSigningAlgorithm::Ed25519)
            }
        };
        signing_key.map_err(|e| format!("lettre cannot sign with the key: {e}"))
    }

    /// `v=DKIM1; k=…; p=…` (RFC 6376 3.6.1; RFC 8463 for Ed25519, whose `p=` is the bare key).
    fn record_value(&self) -> Result<String, String> {
        Ok(match self {
            Key::Rsa(key) => {
                let der = RsaPublicKey::from(key)
                    .to_public_key_der()
                    .map_err(|e| format!("cannot encode the public key: {e}"))?;
                format!("v=DKIM1; k=rsa; p={}", BASE64.encode(der.as_bytes()))
            }
            Key::Ed25519(key) => format!(
                "v=DKIM1; k=ed25519; p={}",
                BASE64.encode(key.verifying_key().to_bytes())
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_cut_into_txt_strings() {
        let record = DnsRecord {
            name: "s._domainkey.example.org".into(),
            value: "x".repeat(300),
        };
        let line = record.zone_line();
        assert!(
            line.starts_with("s._domainkey.example.org. IN TXT ( \""),
            "{line}"
        );
        assert!(
            line.contains(&format!("\"{}\" \"{}\"", "x".repeat(255), "x".repeat(45))),
            "{line}"
        );
    }

    #[test]
    fn what_is_not_a_usable_key_is_named() {
        for (pem, says) in [
            ("hello", "not a PEM file"),
            (
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
                "\"EC PRIVATE KEY\"",
            ),
            (
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
                "passphrase",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "neither an RSA nor an Ed25519",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "not a readable RSA",
            ),
        ] {
            let Err(reason) = Key::parse(pem) else {
                panic!("{pem} was accepted");
            };
            assert!(reason.contains(says), "{pem}: {reason}");
        }
    }
}
