//! Settings, layered: compiled defaults (config/default.toml) < `--config FILE` < environment
//! (`DELPHI__SECTION__KEY`, `DATABASE_URL`) < command-line flags.
//!
//! The documented default file *is* the compiled-in base layer, so the documentation cannot drift
//! from the defaults, and every key a user may set is known: an unknown key or a value of the
//! wrong type is refused with the key's name and where it came from.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod ip_range;
mod layers;

pub use ip_range::{IpRange, TrustedProxies};

/// The longest session or reset-link duration accepted (ten years): longer ones would overflow
/// the timestamps computed from them.
pub const MAX_ACCOUNT_SECS: u64 = 10 * 366 * 24 * 3600;

/// The largest `database.autosave_batch`: on PostgreSQL a group of that many takes some tens of
/// milliseconds, which every autosave queued behind it waits.
pub const MAX_AUTOSAVE_BATCH: u32 = 1_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub data: DataSettings,
    pub database: DatabaseSettings,
    pub email: EmailSettings,
    pub accounts: AccountSettings,
    pub workers: WorkerSettings,
    pub log: LogSettings,
    pub retention: RetentionSettings,
    pub metrics: MetricsSettings,
    pub limits: LimitsSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub public_url: String,
    pub workers: u16,
    pub shutdown_timeout_secs: u64,
    /// The reverse proxies whose `X-Forwarded-For` / `Forwarded` / `X-Forwarded-Proto` headers
    /// are believed (web::client_addr); nobody's when empty.
    pub trusted_proxies: TrustedProxies,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSettings {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
    pub busy_timeout_ms: u32,
    /// Most autosaves written and committed together (group commit); 1: each commits alone.
    pub autosave_batch: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransportKind {
    File,
    Smtp,
    Log,
}

impl EmailTransportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailTransportKind::File => "file",
            EmailTransportKind::Smtp => "smtp",
            EmailTransportKind::Log => "log",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    pub transport: EmailTransportKind,
    pub from: String,
    pub outbox_dir: String,
    pub max_attempts: u32,
    pub retry_base_secs: u64,
    /// Where bounces go; empty: the `from` address, without per-message return paths.
    pub bounce_address: String,
    pub smtp: SmtpSettings,
    /// The DNS server the sender check asks (`HOST:PORT` or an address); empty: the system's.
    pub dns_server: String,
    /// `[email.dkim]`: sign every message (issue 18, docs/email.md); absent: unsigned.
    #[serde(default)]
    pub dkim: Option<DkimSettings>,
}

/// The DKIM key messages are signed with, published at `<selector>._domainkey.<domain>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DkimSettings {
    pub selector: String,
    pub domain: String,
    pub private_key: PathBuf,
}

impl EmailSettings {
    /// The configured bounce address, if any (issue 18, docs/email.md).
    pub fn bounce_address(&self) -> Option<&str> {
        Some(self.bounce_address.trim()).filter(|a| !a.is_empty())
    }

    /// `email.dns_server` as an address (port 53 when it names none); None: the system's
    /// resolver. A host name cannot be used: it would itself need a DNS server.
    pub fn dns_server(&self) -> Result<Option<std::net::SocketAddr>, String> {
        let text = self.dns_server.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if let Ok(address) = text.parse() {
            return Ok(Some(address));
        }
        match text
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            Ok(ip) => Ok(Some(std::net::SocketAddr::new(ip, 53))),
            Err(_) => Err(format!(
                "{text:?} is not an address with an optional port, such as 192.0.2.53 or 127.0.0.1:5353"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    pub timeout_secs: u64,
    pub pool_size: u32,
}

// The password must never reach a log line through `{:?}`.
impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .field("timeout_secs", &self.timeout_secs)
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

/// A secret as `{:?}` shows it: whether one is set, never what it is.
fn redacted(secret: &str) -> &'static str {
    if secret.is_empty() {
        ""
    } else {
        "<redacted>"
    }
}

/// Facilitator sessions and password resets (see docs/facilitators.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSettings {
    pub session_idle_secs: u64,
    pub session_lifetime_secs: u64,
    pub secure_cookies: bool,
    pub password_reset_secs: u64,
    /// Seconds an administrator's invitation to join stays valid.
    pub invitation_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    pub outbox_interval_secs: u64,
    pub scheduler_interval_secs: u64,
}

/// How long Delphi keeps what is not study data (see docs/operations.md); 0 keeps it for ever.
/// Ratings, results, rounds, experts and the audit log are never purged.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    pub outbox_sent_days: u32,
    pub outbox_failed_days: u32,
    pub password_resets_days: u32,
    pub revoked_api_tokens_days: u32,
}

impl DkimSettings {
    /// What can be known without reading the key: the names are DNS names, and `d=` is the From
    /// address's domain or a parent of it. A signature for another domain passes DKIM but fails
    /// DMARC's alignment, which is what receivers act on, so it is refused rather than warned of.
    fn check(&self, from: &str) -> Result<(), (&'static str, String)> {
        if self.selector.trim().is_empty() {
            return Err((
                "email.dkim.selector",
                "must be set: the name the key is published under, e.g. \"delphi2026\"".into(),
            ));
        }
        if !is_dns_name(&self.selector) {
            return Err((
                "email.dkim.selector",
                format!(
                    "{:?} is not a DNS label (letters, digits, hyphens and dots)",
                    self.selector
                ),
            ));
        }
        let domain = self.domain.trim().trim_end_matches('.').to_ascii_lowercase();
        if !is_dns_name(&domain) || !domain.contains('.') {
            return Err((
                "email.dkim.domain",
                format!("{:?} is not a domain name such as example.org", self.domain),
            ));
        }
        let from_domain = address_domain(from).unwrap_or_default();
        if from_domain != domain && !from_domain.ends_with(&format!(".{domain}")) {
            return Err((
                "email.dkim.domain",
                format!(
                    "{:?} is neither the domain of email.from ({from_domain:?}) nor a parent of it: \
                     receivers would not count the signature for the sender (DMARC alignment)",
                    self.domain
                ),
            ));
        }
        if self.private_key.as_os_str().is_empty() {
            return Err((
                "email.dkim.private_key",
                "must be the path of the private key's PEM file".into(),
            ));
        }
        Ok(())
    }

    /// The signing domain as it goes into `d=`.
    pub fn domain(&self) -> String {
        self.domain.trim().trim_end_matches('.').to_ascii_lowercase()
    }
}

/// The domain of `ada@example.org` or `Name <ada@example.org>`, lowercased.
pub fn address_domain(address: &str) -> Option<String> {
    let address = match (address.rfind('<'), address.rfind('>')) {
        (Some(open), Some(close)) if open < close => &address[open + 1..close],
        _ => address,
    };
    let (_, domain) = address.rsplit_once('@')?;
    Some(domain.trim().trim_end_matches('.').to_ascii_lowercase())
}

/// Dot-separated labels of letters, digits and inner hyphens, each of 1 to 63 characters.
fn is_dns_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// The rate limits per client address (web::rate_limit).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSettings {
    /// Count in the PostgreSQL database, one budget for every instance, instead of in memory.
    pub shared: bool,
}

/// Why `limits.shared = true` is refused on SQLite.
pub const SHARED_LIMITS_NEED_POSTGRES: &str =
    "true needs a PostgreSQL database (database.url = \"postgres://…\"): \
     one process owns a SQLite file, so its in-memory limits are already the only ones";

impl LimitsSettings {
    /// `limits.shared` against the database the server runs on.
    pub fn check(&self, backend: crate::db::Backend) -> Result<(), ConfigError> {
        if self.shared && backend == crate::db::Backend::Sqlite {
            return Err(ConfigError {
                key: "limits.shared".into(),
                origin: "the merged settings".into(),
                reason: SHARED_LIMITS_NEED_POSTGRES.into(),
            });
        }
        Ok(())
    }
}

/// `GET /metrics` (Prometheus text format).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    pub enabled: bool,
    pub token: String,
}

// The token must never reach a log line through `{:?}`.
impl fmt::Debug for MetricsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetricsSettings")
            .field("enabled", &self.enabled)
            .field("token", &redacted(&self.token))
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

/// A setting that cannot be used, with the key, the layer it came from and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub origin: String,
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "setting `{}` (from {}): {}",
            self.key, self.origin, self.reason
        )
    }
}

impl std::error::Error for ConfigError {}

/// Where the layers above the compiled defaults come from. Passing the environment in (instead
/// of reading it here) keeps loading deterministic for tests.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    pub file: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    pub database_url: Option<String>,
}

impl Sources {
    pub fn from_process(file: Option<PathBuf>, database_url: Option<String>) -> Self {
        Sources {
            file,
            env: std::env::vars().collect(),
            database_url,
        }
    }
}

impl Settings {
    /// The database to use: the configured URL, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!("sqlite://{}", self.data.dir.join("delphi.db").display())
        } else {
            self.database.url.clone()
        }
    }

    /// Base of every link in an email, without a trailing slash.
    pub fn public_url(&self) -> String {
        if self.server.public_url.is_empty() {
            format!("http://{}", self.server.bind)
        } else {
            self.server.public_url.trim_end_matches('/').to_string()
        }
    }

    /// Builds the personal links of emails under `public_url`.
    pub fn links(&self) -> crate::domain::link::LinkBase {
        crate::domain::link::LinkBase(self.public_url())
    }

    pub fn outbox_dir(&self) -> PathBuf {
        if self.email.outbox_dir.is_empty() {
            self.data.dir.join("outbox")
        } else {
            PathBuf::from(&self.email.outbox_dir)
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data.dir
    }
}

/// Checks `HOST:PORT`; host names are resolved only when binding.
pub fn parse_host_port(value: &str) -> Result<(String, u16), String> {
    let (host, port) = value
        .rsplit_once(':')
        .ok_or_else(|| format!("{value:?} is not HOST:PORT"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(format!("{value:?} has no host (use e.g. 127.0.0.1:8080)"));
    }
    let port: u16 = port
        .parse()
        .map_err(|_| format!("{value:?}: the port must be a number from 0 to 65535"))?;
    Ok((host.to_string(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Sources {
        Sources {
            env: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Sources::default()
        }
    }

    #[test]
    fn defaults_need_no_configuration() {
        let s = Settings::defaults().unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:8080");
        assert_eq!(s.email.transport, EmailTransportKind::File);
        assert_eq!(s.database_url(), "sqlite://./data/delphi.db");
        assert_eq!(s.public_url(), "http://127.0.0.1:8080");
        assert_eq!(s.outbox_dir(), PathBuf::from("./data/outbox"));
    }

    #[test]
    fn environment_overrides_with_types_from_defaults() {
        let s = Settings::load(&env(&[
            ("DELPHI__SERVER__BIND", "0.0.0.0:9000"),
            ("DELPHI__EMAIL__SMTP__PORT", "465"),
            ("DELPHI__EMAIL__SMTP__PASSWORD", "12345"),
            ("DELPHI__LOG__FORMAT", "json"),
            ("UNRELATED", "x"),
        ]))
        .unwrap();
        assert_eq!(s.server.bind, "0.0.0.0:9000");
        assert_eq!(s.email.smtp.port, 465);
        assert_eq!(s.email.smtp.password, "12345");
        assert_eq!(s.log.format, LogFormat::Json);
        assert!(!format!("{:?}", s.email.smtp).contains("12345"));
    }

    #[test]
    fn flag_beats_database_url_env() {
        let mut sources = env(&[("DATABASE_URL", "postgres://a@localhost/x")]);
        assert_eq!(
            Settings::load(&sources).unwrap().database_url(),
            "postgres://a@localhost/x"
        );
        sources.database_url = Some("sqlite:///tmp/y.db".into());
        assert_eq!(
            Settings::load(&sources).unwrap().database_url(),
            "sqlite:///tmp/y.db"
        );
    }

    #[test]
    fn bad_settings_name_the_key_and_origin() {
        let e = Settings::load(&env(&[("DELPHI__SERVER__WORKERS", "many")])).unwrap_err();
        assert_eq!(e.key, "server.workers");
        assert_eq!(e.origin, "DELPHI__SERVER__WORKERS");
        let e = Settings::load(&env(&[("DELPHI__SERVER__BINDD", "x")])).unwrap_err();
        assert_eq!(e.key, "server.bindd");
        let e = Settings::load(&env(&[("DELPHI__EMAIL__TRANSPORT", "pigeon")])).unwrap_err();
        assert_eq!(e.key, "email.transport");
        assert!(e.reason.contains("pigeon"), "{e}");
        let e = Settings::load(&env(&[("DELPHI__SERVER__BIND", "localhost")])).unwrap_err();
        assert_eq!(e.key, "server.bind");
        let e = Settings::load(&env(&[("DATABASE_URL", "mysql://x")])).unwrap_err();
        assert_eq!(e.key, "database.url");
        let e = Settings::load(&env(&[("DELPHI__WORKERS__OUTBOX_INTERVAL_SECS", "0")])).unwrap_err();
        assert_eq!(e.key, "workers.outbox_interval_secs");
    }

    #[test]
    fn shared_limits_need_postgres() {
        assert!(!Settings::defaults().unwrap().limits.shared);
        let e = Settings::load(&env(&[("DELPHI__LIMITS__SHARED", "true")])).unwrap_err();
        assert_eq!(e.key, "limits.shared");
        assert!(e.reason.contains("PostgreSQL"), "{e}");
        let s = Settings::load(&env(&[
            ("DELPHI__LIMITS__SHARED", "true"),
            ("DATABASE_URL", "postgres://delphi@db.internal/delphi"),
        ]))
        .unwrap();
        assert!(s.limits.shared);
    }

    #[test]
    fn the_autosave_batch_is_bounded() {
        assert_eq!(Settings::defaults().unwrap().database.autosave_batch, 64);
        let s = Settings::load(&env(&[("DELPHI__DATABASE__AUTOSAVE_BATCH", "1")])).unwrap();
        assert_eq!(s.database.autosave_batch, 1);
        for (bad, says) in [("0", "at least 1"), ("1001", "at most 1000"), ("-1", "")] {
            let e = Settings::load(&env(&[("DELPHI__DATABASE__AUTOSAVE_BATCH", bad)])).unwrap_err();
            assert_eq!(e.key, "database.autosave_batch", "{bad}: {e}");
            assert!(e.reason.contains(says), "{bad}: {e}");
            assert!(e.to_string().contains("database.autosave_batch"), "{e}");
        }
    }

    #[test]
    fn account_settings_are_bounded() {
        let s = Settings::load(&env(&[("DELPHI__ACCOUNTS__SESSION_IDLE_SECS", "1")])).unwrap();
        assert_eq!(s.accounts.session_idle_secs, 1);
        assert!(!s.accounts.secure_cookies);
        let e = Settings::load(&env(&[("DELPHI__ACCOUNTS__SESSION_IDLE_SECS", "0")])).unwrap_err();
        assert_eq!(e.key, "accounts.session_idle_secs");
        let e = Settings::load(&env(&[(
            "DELPHI__ACCOUNTS__SESSION_LIFETIME_SECS",
            "99999999999",
        )]))
        .unwrap_err();
        assert_eq!(e.key, "accounts.session_lifetime_secs");
        assert!(e.reason.contains("at most"), "{e}");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let s = Settings::load(&env(&[(
            "DELPHI__SERVER__TRUSTED_PROXIES",
            "127.0.0.1, 10.0.0.0/8,::1,2001:db8::/32",
        )]))
        .unwrap();
        let trusted = &s.server.trusted_proxies;
        for inside in [
            "127.0.0.1",
            "10.200.3.4",
            "::1",
            "2001:db8:1::5",
            "::ffff:10.0.0.1",
        ] {
            assert!(trusted.contains(inside.parse().unwrap()), "{inside}");
        }
        for outside in ["127.0.0.2", "11.0.0.1", "::2", "2001:db9::1", "192.0.2.1"] {
            assert!(!trusted.contains(outside.parse().unwrap()), "{outside}");
        }
        assert!(Settings::defaults().unwrap().server.trusted_proxies.is_empty());
        let everything = TrustedProxies::parse(&["0.0.0.0/0"]).unwrap();
        assert!(everything.contains("203.0.113.9".parse().unwrap()));
        assert!(
            !everything.contains("2001:db8::1".parse().unwrap()),
            "IPv4 ranges hold no IPv6"
        );
    }

    #[test]
    fn a_bad_trusted_proxy_names_the_key_and_the_entry() {
        for (bad, says) in [
            (
                "127.0.0.1,localhost",
                "entry 2: \"localhost\" is not an IP address",
            ),
            ("10.0.0.0/33", "prefix length must be a number from 0 to 32"),
            ("10.0.0.0/x", "prefix length"),
            ("10.1.2.3/8", "did you mean 10.0.0.0/8?"),
            ("2001:db8::1/32", "did you mean 2001:db8::/32?"),
        ] {
            let e = Settings::load(&env(&[("DELPHI__SERVER__TRUSTED_PROXIES", bad)])).unwrap_err();
            assert!(e.key.starts_with("server.trusted_proxies"), "{e}");
            assert!(e.reason.contains(says), "{bad}: {e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("delphi.toml");
        std::fs::write(&path, "[server]\ntrusted_proxies = \"127.0.0.1\"\n").unwrap();
        let e = Settings::load(&Sources {
            file: Some(path),
            ..Sources::default()
        })
        .unwrap_err();
        assert_eq!(e.key, "server.trusted_proxies");
        assert!(e.reason.contains("expected an array"), "{e}");
    }

    #[test]
    fn dkim_is_off_until_its_table_is_given() {
        assert!(Settings::defaults().unwrap().email.dkim.is_none());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("delphi.toml");
        std::fs::write(
            &path,
            "[email]\nfrom = \"Study <delphi@mail.example.org>\"\n\
             [email.dkim]\nselector = \"s1\"\ndomain = \"Example.org.\"\nprivate_key = \"keys/dkim.pem\"\n",
        )
        .unwrap();
        let from_file = |vars: &[(&str, &str)]| {
            Settings::load(&Sources {
                file: Some(path.clone()),
                ..env(vars)
            })
        };
        let dkim = from_file(&[]).unwrap().email.dkim.unwrap();
        assert_eq!(dkim.selector, "s1");
        assert_eq!(dkim.domain(), "example.org");
        assert_eq!(
            dkim.private_key,
            dir.path().join("keys/dkim.pem"),
            "next to the file"
        );
        // The environment overrides one key and keeps the others; its paths stay as given.
        let dkim = from_file(&[("DELPHI__EMAIL__DKIM__PRIVATE_KEY", "other.pem")])
            .unwrap()
            .email
            .dkim
            .unwrap();
        assert_eq!(
            (dkim.selector.as_str(), dkim.private_key),
            ("s1", PathBuf::from("other.pem"))
        );

        std::fs::write(&path, "[email.dkim]\nselector = \"s1\"\ndomian = \"x\"\n").unwrap();
        let e = from_file(&[]).unwrap_err();
        assert!(e.key.starts_with("email.dkim"), "{e}");
        assert!(e.reason.contains("domian"), "{e}");
    }

    #[test]
    fn the_dkim_domain_must_align_with_the_sender() {
        let with = |from: &str, domain: &str, selector: &str| {
            Settings::load(&env(&[
                ("DELPHI__EMAIL__FROM", from),
                ("DELPHI__EMAIL__DKIM__SELECTOR", selector),
                ("DELPHI__EMAIL__DKIM__DOMAIN", domain),
                ("DELPHI__EMAIL__DKIM__PRIVATE_KEY", "dkim.pem"),
            ]))
        };
        for (from, domain) in [
            ("delphi@example.org", "example.org"),
            ("Study <delphi@mail.Example.org>", "example.org"),
            ("delphi@mail.example.org", "mail.example.org."),
        ] {
            assert!(with(from, domain, "s1").is_ok(), "{from} {domain}");
        }
        for (from, domain, selector, key) in [
            ("delphi@example.org", "other.org", "s1", "email.dkim.domain"),
            ("delphi@badexample.org", "example.org", "s1", "email.dkim.domain"),
            (
                "delphi@example.org",
                "mail.example.org",
                "s1",
                "email.dkim.domain",
            ),
            ("delphi@example", "example", "s1", "email.dkim.domain"),
            ("delphi@example.org", "example.org", " ", "email.dkim.selector"),
            ("delphi@example.org", "example.org", "s_1", "email.dkim.selector"),
        ] {
            let e = with(from, domain, selector).unwrap_err();
            assert_eq!(e.key, key, "{from} {domain} {selector:?}: {e}");
        }
        assert_eq!(address_domain("A <b@C.org>").as_deref(), Some("c.org"));
        assert_eq!(address_domain("nobody"), None);
    }

    #[test]
    fn the_dns_server_is_an_address_with_an_optional_port() {
        let mut s = Settings::load(&Sources::default()).unwrap();
        assert_eq!(s.email.dns_server(), Ok(None));
        for (text, expected) in [
            ("127.0.0.1:5353", "127.0.0.1:5353"),
            ("192.0.2.53", "192.0.2.53:53"),
            ("[2001:db8::53]:5353", "[2001:db8::53]:5353"),
            ("2001:db8::53", "[2001:db8::53]:53"),
        ] {
            s.email.dns_server = text.into();
            assert_eq!(s.email.dns_server().unwrap().unwrap().to_string(), expected);
        }
        s.email.dns_server = "dns.example.org".into();
        assert!(s.email.dns_server().unwrap_err().contains("dns.example.org"));
    }

    #[test]
    fn config_file_layer_is_checked_against_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("delphi.toml");
        std::fs::write(
            &path,
            "[server]\nbind = \"127.0.0.1:9999\"\n[email.smtp]\nport = 2525\n",
        )
        .unwrap();
        let s = Settings::load(&Sources {
            file: Some(path.clone()),
            ..Sources::default()
        })
        .unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:9999");
        assert_eq!(s.email.smtp.port, 2525);

        std::fs::write(&path, "[server]\nworkers = \"two\"\n").unwrap();
        let e = Settings::load(&Sources {
            file: Some(path.clone()),
            ..Sources::default()
        })
        .unwrap_err();
        assert_eq!(e.key, "server.workers");
        assert!(e.reason.contains("expected an integer"), "{e}");

        std::fs::write(&path, "[sever]\nbind = \"x\"\n").unwrap();
        let e = Settings::load(&Sources {
            file: Some(path.clone()),
            ..Sources::default()
        })
        .unwrap_err();
        assert_eq!(e.key, "sever");

        std::fs::write(&path, "[server\n").unwrap();
        let e = Settings::load(&Sources {
            file: Some(path.clone()),
            ..Sources::default()
        })
        .unwrap_err();
        assert!(e.origin.ends_with("line 1"), "{e}");

        let e = Settings::load(&Sources {
            file: Some(dir.path().join("missing.toml")),
            ..Sources::default()
        })
        .unwrap_err();
        assert_eq!(e.key, "--config");
    }
}
