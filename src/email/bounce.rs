//! Reading a message that came back to the bounce address (a delivery status notification, a
//! bounce of another shape, an auto-reply) into the facts `domain::delivery` classifies. The
//! MIME parsing is mail-parser's; the `message/delivery-status` fields (RFC 3464) are read here.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use crate::domain::delivery::{self, RecipientReport, Returned};

/// A returned message, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received {
    pub returned: Returned,
    /// The addresses the message was delivered to (`X-Original-To`, `Delivered-To`,
    /// `Envelope-To`, `To`): where the VERP address shows.
    pub delivered_to: Vec<String>,
    /// The `<outbox-…>` message ids it quotes (the original's headers, `In-Reply-To`, …).
    pub message_ids: Vec<String>,
    /// What makes handing the same message over twice recognisable (`fingerprint`).
    pub fingerprint: String,
}

// The `message/…` subtypes of a delivery status part (RFC 3464, RFC 6533) and the fields read
// from it, lower case. Named apart, not spelled inline: they are not translation keys.
const DELIVERY_STATUS: &str = "delivery-status";
const GLOBAL_DELIVERY_STATUS: &str = "global-delivery-status";
const FINAL_RECIPIENT: &str = "final-recipient";
const ORIGINAL_RECIPIENT: &str = "original-recipient";
const DIAGNOSTIC_CODE: &str = "diagnostic-code";

/// Bodies larger than this are not bounces of ours (a DSN quotes at most the original message).
pub const MAX_SIZE: usize = 4 * 1024 * 1024;

/// Reads `raw` (an RFC 5322 message); an error says in one line why it is not one.
pub fn read(raw: &[u8]) -> Result<Received, String> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err("the message is empty".into());
    }
    if raw.len() > MAX_SIZE {
        return Err(format!("the message is larger than {MAX_SIZE} bytes"));
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.root_part().headers.is_empty())
        .ok_or("it is not an email message (no header lines)")?;
    // Header lines are what every message has; a "message" without From, To, Subject nor Date
    // is text that happened to contain a colon.
    if ["From", "To", "Subject", "Date"]
        .iter()
        .all(|name| message.header_raw(*name).is_none())
    {
        return Err("it is not an email message (no From, To, Subject or Date header)".into());
    }
    let header = |name: &'static str| message.header_raw(name).map(|v| v.trim().to_string());
    let mut returned = Returned {
        subject: message.subject().map(str::to_string),
        from: message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_string),
        auto_submitted: header("Auto-Submitted").map(|v| v.to_lowercase()),
        autoreply_header: header("X-Autoreply").is_some()
            || header("X-Autorespond").is_some()
            || header("Precedence").is_some_and(|p| p.eq_ignore_ascii_case("auto_reply")),
        ..Returned::default()
    };
    let mut message_ids = Vec::new();
    for part in &message.parts {
        let (ctype, subtype) = part
            .content_type()
            .map(|c| {
                (
                    c.ctype().to_ascii_lowercase(),
                    c.subtype().unwrap_or("").to_ascii_lowercase(),
                )
            })
            .unwrap_or_else(|| ("text".into(), "plain".into()));
        match (&part.body, ctype.as_str(), subtype.as_str()) {
            (_, "message", DELIVERY_STATUS | GLOBAL_DELIVERY_STATUS) => {
                returned
                    .recipients
                    .extend(delivery_status(&String::from_utf8_lossy(part.contents())));
            }
            (PartType::Text(text), "text", "plain") => {
                if !returned.text.is_empty() {
                    returned.text.push('\n');
                }
                returned.text.push_str(text);
            }
            (PartType::Message(original), _, _) => {
                if let Some(id) = original.message_id() {
                    message_ids.push(format!("<{}>", id.trim_matches(['<', '>'])));
                }
            }
            _ => {}
        }
    }
    for id in delivery::outbox_message_ids(&String::from_utf8_lossy(raw)) {
        message_ids.push(id);
    }
    message_ids.retain(|id| id.starts_with("<outbox-"));
    message_ids.dedup();
    let delivered_to = ["X-Original-To", "Delivered-To", "Envelope-To", "To"]
        .iter()
        .filter_map(|name| message.header_raw(*name))
        .flat_map(addresses)
        .collect();
    Ok(Received {
        returned,
        delivered_to,
        message_ids,
        fingerprint: fingerprint(message.message_id(), raw),
    })
}

/// The same message handed over again (an MTA retrying its pipe, a forwarder retrying after a
/// timeout) has the same fingerprint: the SHA-256 of its own `Message-ID`, which every MTA
/// writes into a bounce and which survives a relay adding `Received` or `Delivered-To` lines;
/// else of its raw bytes. Hashed, so a long or odd id makes a short, fixed-size key. Two
/// different bounces of the same email have different ids, so both are recorded.
pub fn fingerprint(message_id: Option<&str>, raw: &[u8]) -> String {
    let mut hash = Sha256::new();
    match message_id
        .map(|id| id.trim().trim_matches(['<', '>']))
        .filter(|id| !id.is_empty())
    {
        Some(id) => {
            hash.update(b"message-id:");
            hash.update(id.as_bytes());
        }
        None => {
            hash.update(b"raw:");
            hash.update(raw);
        }
    }
    hex::encode(hash.finalize())
}

/// The addresses in a header value (`"Ada" <ada@example.org>, bob@example.org`).
fn addresses(value: &str) -> Vec<String> {
    value
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"'))
        .filter(|w| w.contains('@') && !w.starts_with('@'))
        .map(str::to_string)
        .collect()
}

/// The per-recipient groups of a `message/delivery-status` body: groups of header-like fields
/// separated by blank lines, the first being about the whole message (RFC 3464 2.2, 2.3).
fn delivery_status(body: &str) -> Vec<RecipientReport> {
    let mut groups: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for line in body.lines() {
        if line.trim().is_empty() {
            if groups.last().is_some_and(|g| !g.is_empty()) {
                groups.push(Vec::new());
            }
            continue;
        }
        let Some(group) = groups.last_mut() else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            // A folded line continues the field before it.
            if let Some((_, value)) = group.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            group.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    groups
        .into_iter()
        .filter_map(|fields| {
            let get = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            // `rfc822; ada@example.org` and `smtp; 550 …`: the value after the type.
            let typed = |value: String| match value.split_once(';') {
                Some((_, rest)) => rest.trim().to_string(),
                None => value,
            };
            let report = RecipientReport {
                final_recipient: get(FINAL_RECIPIENT)
                    .or_else(|| get(ORIGINAL_RECIPIENT))
                    .map(typed),
                action: get("action").map(|a| a.to_ascii_lowercase()),
                status: get("status").map(|s| s.split_whitespace().next().unwrap_or("").to_string()),
                diagnostic: get(DIAGNOSTIC_CODE).map(typed),
            };
            (report.final_recipient.is_some() || report.action.is_some()).then_some(report)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::delivery::{classify, Verdict};

    const DSN: &str = "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r
To: bounces+7@example.org\r
Subject: Undelivered Mail Returned to Sender\r
Date: Mon, 7 Dec 2026 08:00:00 +0000\r
Auto-Submitted: auto-replied\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r
\r
--B\r
Content-Type: text/plain\r
\r
I'm sorry to have to inform you that your message could not be delivered.\r
--B\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; mx.example.net\r
Arrival-Date: Mon, 7 Dec 2026 07:59:58 +0000\r
\r
Final-Recipient: rfc822; ada@example.org\r
Original-Recipient: rfc822;ada@example.org\r
Action: failed\r
Status: 5.1.1\r
Diagnostic-Code: smtp; 550 5.1.1 <ada@example.org>: Recipient address\r
  rejected: User unknown in local recipient table\r
\r
--B\r
Content-Type: text/rfc822-headers\r
\r
From: Delphi <delphi@example.org>\r
To: ada@example.org\r
Message-ID: <outbox-7.0123456789abcdef@delphi.test>\r
\r
--B--\r
";

    #[test]
    fn a_delivery_status_notification_is_read() {
        let received = read(DSN.as_bytes()).unwrap();
        assert_eq!(received.delivered_to, vec!["bounces+7@example.org"]);
        assert_eq!(
            received.message_ids,
            vec!["<outbox-7.0123456789abcdef@delphi.test>"]
        );
        let report = &received.returned.recipients[0];
        assert_eq!(report.final_recipient.as_deref(), Some("ada@example.org"));
        assert_eq!(report.action.as_deref(), Some("failed"));
        assert_eq!(report.status.as_deref(), Some("5.1.1"));
        assert_eq!(
            report.diagnostic.as_deref(),
            Some("550 5.1.1 <ada@example.org>: Recipient address rejected: User unknown in local recipient table")
        );
        assert!(
            !received.returned.text.contains("Message-ID"),
            "the original's headers are not text"
        );
        assert!(matches!(
            classify(&received.returned),
            Verdict::Bounce { permanent: true, .. }
        ));
    }

    #[test]
    fn the_fingerprint_is_the_message_id_else_the_bytes() {
        let first = read(DSN.as_bytes()).unwrap().fingerprint;
        // No Message-ID: the bytes decide, so one more header line makes another message.
        assert_eq!(first, read(DSN.as_bytes()).unwrap().fingerprint);
        let relayed = format!("Delivered-To: bounces+7@example.org\r\n{DSN}");
        assert_ne!(first, read(relayed.as_bytes()).unwrap().fingerprint);
        // With one, the id decides: a relay's added line changes nothing, another id does.
        let with_id = |extra: &str, id: &str| {
            read(format!("{extra}Message-ID: <{id}>\r\n{DSN}").as_bytes())
                .unwrap()
                .fingerprint
        };
        let once = with_id("", "20261207.1@mx.example.net");
        assert_eq!(
            once,
            with_id(
                "Delivered-To: bounces+7@example.org\r\n",
                "20261207.1@mx.example.net"
            )
        );
        assert_ne!(once, with_id("", "20261207.2@mx.example.net"));
        assert_ne!(once, first);
        assert_eq!(once.len(), 64);
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert_eq!(read(b"  \n").unwrap_err(), "the message is empty");
        assert!(read(b"just some words")
            .unwrap_err()
            .contains("not an email message"));
        assert!(read(b"Note: this has a colon\n\nbody")
            .unwrap_err()
            .contains("not an email message"));
    }

    #[test]
    fn an_auto_reply_quotes_the_original_id() {
        let raw = "From: Ada <ada@example.org>\r\nTo: bounces+9@example.org\r\nSubject: Automatic reply: Round 1\r\nIn-Reply-To: <outbox-9.aa@delphi.test>\r\n\r\nI am away until Monday.\r\n";
        let received = read(raw.as_bytes()).unwrap();
        assert_eq!(received.message_ids, vec!["<outbox-9.aa@delphi.test>"]);
        assert_eq!(received.returned.from.as_deref(), Some("ada@example.org"));
        assert!(matches!(classify(&received.returned), Verdict::AutoReply { .. }));
    }
}
