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

const DEFAULTS: &str = include_str!("../config/default.toml");

/// The longest session or reset-link duration accepted (ten years): longer ones would overflow
/// the timestamps computed from them.
pub const MAX_ACCOUNT_SECS: u64 = 10 * 366 * 24 * 3600;

/// The largest `database.autosave_batch`: on PostgreSQL a group of that many takes some tens of
/// milliseconds, which every autosave queued behind it waits.
pub const MAX_AUTOSAVE_BATCH: u32 = 1_000;
const ENV_PREFIX: &str = "DELPHI__";

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
    /// The compiled defaults alone: what `delphi` uses with no configuration.
    pub fn defaults() -> Result<Settings, ConfigError> {
        Settings::load(&Sources::default())
    }

    pub fn load(sources: &Sources) -> Result<Settings, ConfigError> {
        let mut merged: toml::Table = DEFAULTS.parse().map_err(|e: toml::de::Error| ConfigError {
            key: "-".into(),
            origin: "compiled defaults".into(),
            reason: e.message().to_string(),
        })?;
        let defaults = merged.clone();

        if let Some(path) = &sources.file {
            let origin = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
                key: "--config".into(),
                origin: origin.clone(),
                reason: format!("cannot read the file: {e}"),
            })?;
            let mut file: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError {
                key: "-".into(),
                origin: match e.span() {
                    Some(span) => format!("{origin}, line {}", line_of(&text, span.start)),
                    None => origin.clone(),
                },
                reason: e.message().trim().to_string(),
            })?;
            anchor_paths(&mut file, path);
            overlay(&mut merged, &defaults, file, "", &origin)?;
        }

        for (name, raw) in &sources.env {
            if let Some(rest) = name.strip_prefix(ENV_PREFIX) {
                let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
                set_from_text(&mut merged, &defaults, &path, raw, name)?;
            }
        }
        if let Some((_, url)) = sources.env.iter().find(|(k, _)| k == "DATABASE_URL") {
            set_from_text(
                &mut merged,
                &defaults,
                &["database".into(), "url".into()],
                url,
                "DATABASE_URL",
            )?;
        }
        if let Some(url) = &sources.database_url {
            set_from_text(
                &mut merged,
                &defaults,
                &["database".into(), "url".into()],
                url,
                "--database-url",
            )?;
        }

        let settings: Settings =
            serde_path_to_error::deserialize(toml::Value::Table(merged)).map_err(|e| ConfigError {
                key: e.path().to_string(),
                origin: "the merged settings".into(),
                reason: e.into_inner().message().to_string(),
            })?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, reason: String| ConfigError {
            key: key.into(),
            origin: "the merged settings".into(),
            reason,
        };
        parse_host_port(&self.server.bind).map_err(|r| bad("server.bind", r))?;
        if !self.server.public_url.is_empty() {
            let url = url::Url::parse(&self.server.public_url).map_err(|e| {
                bad(
                    "server.public_url",
                    format!("{:?} is not a URL: {e}", self.server.public_url),
                )
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(bad(
                    "server.public_url",
                    "must start with http:// or https://".into(),
                ));
            }
        }
        if !self.database.url.is_empty() {
            crate::db::DatabaseUrl::parse(&self.database.url).map_err(|r| bad("database.url", r))?;
        }
        if self.database.autosave_batch > MAX_AUTOSAVE_BATCH {
            return Err(bad(
                "database.autosave_batch",
                format!(
                    "must be at most {MAX_AUTOSAVE_BATCH}: a group holds its rows locked until the last is written"
                ),
            ));
        }
        for (key, value) in [
            ("database.pool_size", self.database.pool_size as u64),
            ("database.autosave_batch", self.database.autosave_batch as u64),
            (
                "database.connect_timeout_secs",
                self.database.connect_timeout_secs,
            ),
            ("email.max_attempts", self.email.max_attempts as u64),
            ("email.retry_base_secs", self.email.retry_base_secs),
            ("email.smtp.timeout_secs", self.email.smtp.timeout_secs),
            ("email.smtp.pool_size", self.email.smtp.pool_size as u64),
            ("accounts.session_idle_secs", self.accounts.session_idle_secs),
            (
                "accounts.session_lifetime_secs",
                self.accounts.session_lifetime_secs,
            ),
            ("accounts.password_reset_secs", self.accounts.password_reset_secs),
            ("accounts.invitation_secs", self.accounts.invitation_secs),
            ("workers.outbox_interval_secs", self.workers.outbox_interval_secs),
            (
                "workers.scheduler_interval_secs",
                self.workers.scheduler_interval_secs,
            ),
        ] {
            if value == 0 {
                return Err(bad(key, "must be at least 1".into()));
            }
        }
        for (key, value) in [
            ("accounts.session_idle_secs", self.accounts.session_idle_secs),
            (
                "accounts.session_lifetime_secs",
                self.accounts.session_lifetime_secs,
            ),
            ("accounts.password_reset_secs", self.accounts.password_reset_secs),
            ("accounts.invitation_secs", self.accounts.invitation_secs),
        ] {
            if value > MAX_ACCOUNT_SECS {
                return Err(bad(
                    key,
                    format!("must be at most {MAX_ACCOUNT_SECS} (ten years)"),
                ));
            }
        }
        if !self.email.from.contains('@') {
            return Err(bad(
                "email.from",
                format!("{:?} has no email address in it", self.email.from),
            ));
        }
        if let Some(address) = self.email.bounce_address() {
            if crate::domain::delivery::verp_address(address, 1).is_none()
                || address.contains(['+', '<', ' '])
            {
                return Err(bad(
                    "email.bounce_address",
                    format!("{address:?} is not a plain address such as bounces@example.org (without + or a name)"),
                ));
            }
        }
        if let Some(dkim) = &self.email.dkim {
            dkim.check(&self.email.from)
                .map_err(|(key, reason)| bad(key, reason))?;
        }
        self.email.dns_server().map_err(|r| bad("email.dns_server", r))?;
        if self.email.transport == EmailTransportKind::Smtp && self.email.smtp.host.trim().is_empty() {
            return Err(bad(
                "email.smtp.host",
                "must be set when email.transport = \"smtp\"".into(),
            ));
        }
        if !self.metrics.token.is_empty() && self.metrics.token.trim().len() < 16 {
            return Err(bad(
                "metrics.token",
                "must be at least 16 characters (or empty: loopback only)".into(),
            ));
        }
        if let Ok(url) = crate::db::DatabaseUrl::parse(&self.database_url()) {
            self.limits.check(url.backend())?;
        }
        tracing_subscriber::EnvFilter::try_new(&self.log.level).map_err(|e| {
            bad(
                "log.level",
                format!("{:?} is not a log filter: {e}", self.log.level),
            )
        })?;
        Ok(())
    }

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

/// Tables the defaults leave out because their absence means something (`[email.dkim]`: no
/// signing). A layer may add one; serde then checks its keys, and text sets its keys as strings.
const OPTIONAL_TABLES: &[&str] = &["email.dkim"];

/// A relative `email.dkim.private_key` in a settings file is read from the file's folder, where
/// people keep the key next to the settings.
fn anchor_paths(file: &mut toml::Table, config: &Path) {
    let key = file
        .get_mut("email")
        .and_then(|email| email.get_mut("dkim"))
        .and_then(|dkim| dkim.get_mut("private_key"));
    if let Some(toml::Value::String(path)) = key {
        if Path::new(path.as_str()).is_relative() {
            let dir = config.parent().unwrap_or(Path::new(""));
            *path = dir.join(path.as_str()).display().to_string();
        }
    }
}

/// Lays `layer` over `merged`, refusing keys the defaults do not have and values whose TOML type
/// differs from the default's, so the error can name the file that is wrong.
fn overlay(
    merged: &mut toml::Table,
    defaults: &toml::Table,
    layer: toml::Table,
    prefix: &str,
    origin: &str,
) -> Result<(), ConfigError> {
    for (key, value) in layer {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if let (None, toml::Value::Table(table)) = (defaults.get(&key), &value) {
            if OPTIONAL_TABLES.contains(&path.as_str()) {
                let target = merged
                    .entry(key.clone())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let toml::Value::Table(target) = target {
                    target.extend(table.clone());
                }
                continue;
            }
        }
        let Some(default) = defaults.get(&key) else {
            let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
            return Err(ConfigError {
                key: path,
                origin: origin.into(),
                reason: format!("unknown setting; expected one of: {}", known.join(", ")),
            });
        };
        match (default, value) {
            (toml::Value::Table(default_table), toml::Value::Table(table)) => {
                let Some(toml::Value::Table(target)) = merged.get_mut(&key) else {
                    continue;
                };
                overlay(target, default_table, table, &path, origin)?;
            }
            (default, value) if default.type_str() == value.type_str() => {
                merged.insert(key, value);
            }
            (default, value) => {
                return Err(ConfigError {
                    key: path,
                    origin: origin.into(),
                    reason: format!(
                        "expected {}, found {}",
                        article(default.type_str()),
                        article(value.type_str())
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Sets one key from text (an environment variable or a flag), typed by the default's type.
fn set_from_text(
    merged: &mut toml::Table,
    defaults: &toml::Table,
    path: &[String],
    raw: &str,
    origin: &str,
) -> Result<(), ConfigError> {
    let dotted = path.join(".");
    let unknown = || ConfigError {
        key: dotted.clone(),
        origin: origin.into(),
        reason: "unknown setting (see config/default.toml for every key)".into(),
    };
    let (last, parents) = path.split_last().ok_or_else(unknown)?;
    if OPTIONAL_TABLES.contains(&parents.join(".").as_str()) {
        let mut target = merged;
        for part in parents {
            target = match target
                .entry(part.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            {
                toml::Value::Table(t) => t,
                _ => return Err(unknown()),
            };
        }
        target.insert(last.clone(), toml::Value::String(raw.to_string()));
        return Ok(());
    }
    let mut default_table = defaults;
    let mut target = merged;
    for part in parents {
        default_table = match default_table.get(part) {
            Some(toml::Value::Table(t)) => t,
            _ => return Err(unknown()),
        };
        target = match target.get_mut(part) {
            Some(toml::Value::Table(t)) => t,
            _ => return Err(unknown()),
        };
    }
    let default = default_table.get(last).ok_or_else(unknown)?;
    let wrong = |what: &str| ConfigError {
        key: dotted.clone(),
        origin: origin.into(),
        reason: format!("expected {what}, found {raw:?}"),
    };
    let value = match default {
        toml::Value::String(_) => toml::Value::String(raw.to_string()),
        toml::Value::Integer(_) => toml::Value::Integer(raw.trim().parse().map_err(|_| wrong("an integer"))?),
        toml::Value::Float(_) => toml::Value::Float(raw.trim().parse().map_err(|_| wrong("a number"))?),
        toml::Value::Boolean(_) => toml::Value::Boolean(match raw.trim() {
            "true" | "1" | "yes" | "on" => true,
            "false" | "0" | "no" | "off" => false,
            _ => return Err(wrong("true or false")),
        }),
        // A list from text is comma-separated (`DELPHI__SERVER__TRUSTED_PROXIES=127.0.0.1,::1`);
        // every list setting holds text, and an empty value is the empty list.
        toml::Value::Array(_) => toml::Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(|entry| toml::Value::String(entry.to_string()))
                .collect(),
        ),
        _ => return Err(wrong("a table, which cannot be set from text")),
    };
    target.insert(last.clone(), value);
    Ok(())
}

fn article(type_str: &str) -> String {
    match type_str {
        "integer" => "an integer".into(),
        "array" => "an array".into(),
        other => format!("a {other}"),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
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
