//! Emails as they are sent: the outbox, transfer encodings undone, and the links in them.

use delphi::db::models::outbox::OutboxEmail;
use delphi::db::DbConnection;

use crate::support::app::TestDatabase;

/// The message with transfer encodings undone (quoted-printable or base64 parts), so tests can
/// search it for links.
pub fn decoded(data: &str) -> String {
    let mut out = String::new();
    let mut encoding = String::new();
    let mut in_body = false;
    let mut b64 = String::new();
    let flush_b64 = |b64: &mut String, out: &mut String| {
        if !b64.is_empty() {
            out.push_str(&String::from_utf8_lossy(&base64_decode(b64)));
            b64.clear();
        }
    };
    for line in data.split("\r\n") {
        if line.starts_with("--") {
            flush_b64(&mut b64, &mut out);
            in_body = false;
            encoding.clear();
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if !in_body {
            if let Some(v) = line.strip_prefix("Content-Transfer-Encoding:") {
                encoding = v.trim().to_ascii_lowercase();
            }
            if line.is_empty() {
                in_body = true;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        match encoding.as_str() {
            "base64" => b64.push_str(line.trim()),
            "quoted-printable" => {
                let (text, soft) = match line.strip_suffix('=') {
                    Some(t) => (t, true),
                    None => (line, false),
                };
                out.push_str(&qp_decode(text));
                if !soft {
                    out.push('\n');
                }
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    flush_b64(&mut b64, &mut out);
    out
}

fn qp_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let Some(v) = value(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// The 64 characters after `prefix`: a token in a link.
pub fn token_after(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in:\n{text}"))
        + prefix.len();
    text[start..start + 64].to_string()
}

/// The token after `prefix` in `email`, read where it still is: in the outbox's copy, or, once
/// the server's worker has sent the email (sending takes the personal links out of that copy),
/// in the `.eml` file the file transport wrote into `database`'s data folder. A test server's
/// worker may send an email any time after it is queued (at start, then every
/// `workers.outbox_interval_secs`), so a link is never read from the outbox's copy alone.
pub fn link_token(database: &TestDatabase, email: &OutboxEmail, prefix: &str) -> String {
    if email.body_text.contains(prefix) {
        return token_after(&email.body_text, prefix);
    }
    // The file transport names a message `{created}-{kind}-{id}.eml`.
    let name = format!("-{}-{}.eml", email.kind, email.id);
    let outbox = database.data_dir().join("outbox");
    let sent = std::fs::read_dir(&outbox)
        .unwrap_or_else(|e| {
            panic!(
                "email {} has no {prefix} link and {} cannot be read: {e}",
                email.id,
                outbox.display()
            )
        })
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(&name))
        .unwrap_or_else(|| {
            panic!(
                "email {} has no {prefix} link and was not sent to {}",
                email.id,
                outbox.display()
            )
        });
    token_after(&decoded(&std::fs::read_to_string(sent).unwrap()), prefix)
}

/// Every email in the outbox, whatever its status.
pub fn outbox_emails(conn: &mut DbConnection) -> Vec<OutboxEmail> {
    OutboxEmail::all(conn, None).unwrap()
}
