//! A tiny SMTP server for tests: enough of RFC 5321 for lettre (EHLO/HELO, MAIL, RCPT, DATA,
//! RSET, NOOP, QUIT), on a random port, storing what it receives. It can be told to answer
//! every MAIL with a 4xx or 5xx, and be stopped and started again on the same port.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use delphi::config::{EmailTransportKind, Settings, SmtpSecurity};

use crate::support::app::{TestDatabase, PUBLIC_URL};

/// Settings that send the outbox of `database` to a test SMTP server on `port`, links pointing
/// to [`PUBLIC_URL`], with quick retries.
pub fn smtp_settings(database: &TestDatabase, port: u16) -> Settings {
    let mut settings = database.settings();
    send_through(&mut settings, port);
    settings
}

/// `settings` send to a test SMTP server on `port`, links pointing to [`PUBLIC_URL`], with
/// quick retries (for a served app as for a worker of the test's own).
pub fn send_through(settings: &mut Settings, port: u16) {
    settings.server.public_url = PUBLIC_URL.into();
    settings.email.transport = EmailTransportKind::Smtp;
    settings.email.smtp.host = "127.0.0.1".into();
    settings.email.smtp.port = port;
    settings.email.smtp.security = SmtpSecurity::None;
    settings.email.smtp.timeout_secs = 5;
    settings.email.max_attempts = 3;
    settings.email.retry_base_secs = 1;
}

#[derive(Debug, Clone, Default)]
pub struct Received {
    /// The envelope sender, as given in MAIL FROM (`<bounces+7@example.org>`).
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// Answer MAIL FROM with `451 4.3.0 try again later`.
    Transient,
    /// Answer RCPT TO with `550 5.1.1 mailbox unavailable`.
    Permanent,
}

struct Shared {
    received: Mutex<Vec<Received>>,
    mode: Mutex<Mode>,
    /// How long the end of DATA waits before the message is accepted: a slow relay, so that a
    /// test can kill the sender while messages are in flight.
    accept_delay: Mutex<std::time::Duration>,
    /// Connections open now: a message can still arrive while one is (its client may have
    /// written the whole DATA before it died).
    sessions: AtomicUsize,
}

pub struct SmtpServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: Option<JoinHandle<()>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let addr = listener.local_addr().expect("smtp addr");
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            mode: Mutex::new(Mode::Accept),
            accept_delay: Mutex::new(std::time::Duration::ZERO),
            sessions: AtomicUsize::new(0),
        });
        let task = Some(tokio::spawn(serve(listener, shared.clone())));
        SmtpServer { addr, shared, task }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits `delay` at the end of each DATA before accepting the message.
    pub fn set_accept_delay(&self, delay: std::time::Duration) {
        *self.shared.accept_delay.lock().unwrap() = delay;
    }

    /// How many connections are open: once it is 0 after the sender died, nothing more of its
    /// arrives.
    pub fn open_sessions(&self) -> usize {
        self.shared.sessions.load(Ordering::SeqCst)
    }

    /// How many messages each recipient (as given in RCPT TO, e.g. `<a@b.org>`) received.
    pub fn per_recipient(&self) -> std::collections::HashMap<String, usize> {
        let mut counts = std::collections::HashMap::new();
        for message in self.shared.received.lock().unwrap().iter() {
            for to in &message.to {
                *counts.entry(to.clone()).or_default() += 1;
            }
        }
        counts
    }

    /// Closes the listener (connections are refused from now on).
    pub async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    /// Listens again on the same port.
    pub async fn restart(&mut self) {
        self.stop().await;
        let listener = TcpListener::bind(self.addr).await.expect("rebind smtp");
        self.task = Some(tokio::spawn(serve(listener, self.shared.clone())));
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    // Connection tasks are owned by this task's set, so aborting it closes them too.
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        // Counted from the accept, before the session first runs.
        let open = Open::new(&shared);
        connections.spawn(session(stream, shared.clone(), open));
    }
}

/// Counts a session as open until it ends, however it ends (aborted too).
struct Open(Arc<Shared>);

impl Open {
    fn new(shared: &Arc<Shared>) -> Open {
        shared.sessions.fetch_add(1, Ordering::SeqCst);
        Open(shared.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.sessions.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>, _open: Open) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut current = Received::default();
    if write.write_all(b"220 test ESMTP ready\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let mode = *shared.mode.lock().unwrap();
        let reply: String = if upper.starts_with("EHLO") {
            "250-test greets you\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n".into()
        } else if upper.starts_with("HELO") {
            "250 test\r\n".into()
        } else if upper.starts_with("MAIL FROM:") {
            if mode == Mode::Transient {
                "451 4.3.0 try again later\r\n".into()
            } else {
                current = Received {
                    from: command[10..].trim().to_string(),
                    ..Received::default()
                };
                "250 2.1.0 OK\r\n".into()
            }
        } else if upper.starts_with("RCPT TO:") {
            if mode == Mode::Permanent {
                "550 5.1.1 mailbox unavailable\r\n".into()
            } else {
                current.to.push(command[8..].trim().to_string());
                "250 2.1.5 OK\r\n".into()
            }
        } else if upper == "DATA" {
            if write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 4.5.2).
                let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(unstuffed);
            }
            current.data = data;
            let delay = *shared.accept_delay.lock().unwrap();
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            shared.received.lock().unwrap().push(std::mem::take(&mut current));
            "250 2.0.0 queued\r\n".into()
        } else if upper == "RSET" {
            current = Received::default();
            "250 2.0.0 OK\r\n".into()
        } else if upper == "NOOP" {
            "250 2.0.0 OK\r\n".into()
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 2.0.0 bye\r\n").await;
            return;
        } else {
            "502 5.5.2 command not implemented\r\n".into()
        };
        if write.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}
