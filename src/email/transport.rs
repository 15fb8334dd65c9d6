//! Where messages go: an SMTP server, `.eml` files in a folder, or the log.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{ConfigError, EmailTransportKind, Settings};
use crate::telemetry::mask_email;

/// Why a message did not go, and whether trying again later can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The server was unreachable, timed out, or answered 4xx: try again later.
    Transient(String),
    /// The server refused for good (5xx) or the message cannot be built (bad address).
    Permanent(String),
}

impl SendError {
    pub fn reason(&self) -> &str {
        match self {
            SendError::Transient(r) | SendError::Permanent(r) => r,
        }
    }
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(PathBuf),
    Log,
}

impl Transport {
    /// The transport `email.transport` asks for. SMTP connections are opened lazily, on the
    /// first message, so a server that is down does not stop `serve` from starting.
    pub fn from_settings(settings: &Settings) -> Result<Transport, ConfigError> {
        match settings.email.transport {
            EmailTransportKind::File => Ok(Transport::File(settings.outbox_dir())),
            EmailTransportKind::Log => Ok(Transport::Log),
            EmailTransportKind::Smtp => {
                let smtp = &settings.email.smtp;
                let host = smtp.host.trim().to_string();
                let tls = match smtp.security {
                    crate::config::SmtpSecurity::None => Tls::None,
                    crate::config::SmtpSecurity::Starttls => {
                        Tls::Required(TlsParameters::new(host.clone()).map_err(|e| bad_host(&host, e))?)
                    }
                    crate::config::SmtpSecurity::Tls => {
                        Tls::Wrapper(TlsParameters::new(host.clone()).map_err(|e| bad_host(&host, e))?)
                    }
                };
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(smtp.port)
                    .tls(tls)
                    .timeout(Some(Duration::from_secs(smtp.timeout_secs)))
                    .pool_config(PoolConfig::new().max_size(smtp.pool_size));
                if !smtp.username.is_empty() {
                    builder =
                        builder.credentials(Credentials::new(smtp.username.clone(), smtp.password.clone()));
                }
                Ok(Transport::Smtp(builder.build()))
            }
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
            Transport::Log => "log",
        }
    }

    /// Delivers one message and says what the relay answered (its reply, for the delivery
    /// history). `file_stem` names the `.eml` file of the file transport.
    pub async fn send(&self, message: &Message, file_stem: &str) -> Result<String, SendError> {
        match self {
            Transport::Smtp(smtp) => smtp
                .send(message.clone())
                .await
                .map(|reply| {
                    format!(
                        "{} {}",
                        reply.code(),
                        reply.message().collect::<Vec<_>>().join(" ")
                    )
                })
                .map_err(classify),
            Transport::File(dir) => {
                let path = dir.join(format!("{file_stem}.eml"));
                let bytes = message.formatted();
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || {
                    std::fs::create_dir_all(&dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                    std::fs::write(&path, bytes)
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    Ok(format!("written to {}", path.display()))
                })
                .await
                .map_err(|e| SendError::Transient(format!("file transport: {e}")))?
                .map_err(SendError::Transient)
            }
            Transport::Log => {
                tracing::info!(
                    to = %mask_email(&message.envelope().to().iter().map(|a| a.to_string()).collect::<Vec<_>>().join(",")),
                    subject = message.headers().get_raw("Subject").unwrap_or(""),
                    "email not sent (email.transport = \"log\")"
                );
                Ok("logged, not sent (email.transport = \"log\")".into())
            }
        }
    }
}

fn bad_host(host: &str, e: lettre::transport::smtp::Error) -> ConfigError {
    ConfigError {
        key: "email.smtp.host".into(),
        origin: "the merged settings".into(),
        reason: format!("{host:?}: {e}"),
    }
}

/// Transient: connection refused, timeouts, 4xx; permanent: 5xx and anything the client itself
/// rejects. Unknown network trouble counts as transient, since retrying is bounded anyway.
fn classify(e: lettre::transport::smtp::Error) -> SendError {
    let reason = e.to_string();
    if e.is_permanent() || e.is_client() {
        SendError::Permanent(reason)
    } else {
        SendError::Transient(reason)
    }
}
