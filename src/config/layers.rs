//! Loading the settings: the compiled defaults (config/default.toml), then a settings file,
//! the environment and the command line laid over them, each key checked against the
//! defaults' so that an error names the key and the layer it came from.

use std::path::Path;

use super::{
    parse_host_port, ConfigError, EmailTransportKind, Settings, Sources, MAX_ACCOUNT_SECS, MAX_AUTOSAVE_BATCH,
};

const DEFAULTS: &str = include_str!("../../config/default.toml");
const ENV_PREFIX: &str = "DELPHI__";

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
