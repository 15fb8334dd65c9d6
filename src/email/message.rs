//! An outbox row as an Internet message: multipart text + HTML, a stable Message-ID, Date, and
//! the one-click unsubscribe headers (RFC 2369, RFC 8058) on emails to experts.

use std::time::SystemTime;

use lettre::address::{Address, Envelope};
use lettre::message::header::{
    ContentTransferEncoding, ContentType, HeaderName, HeaderValue, MIME_VERSION_1_0,
};
use lettre::message::{Body, Mailbox, MessageBuilder, MultiPart, SinglePart};
use lettre::Message;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use chrono::NaiveDateTime;

use super::dkim::Signer;
use crate::domain::delivery;

/// What the transports need of a queued email.
#[derive(Debug, Clone, Copy)]
pub struct Letter<'a> {
    /// The outbox row's id.
    pub id: i64,
    pub idempotency_key: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    /// `ExtraHeaders` as JSON.
    pub headers: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

impl Letter<'_> {
    /// `<created>-<kind>-<id>`: sorts by time in a folder listing and says what each file is.
    pub fn file_stem(&self) -> String {
        format!(
            "{}-{}-{}",
            self.created_at.format("%Y%m%dT%H%M%S"),
            self.kind,
            self.id
        )
    }
}

/// Extra headers kept with an outbox row (its `headers` JSON column).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ExtraHeaders {
    /// The page where the recipient opts out (`/u/{token}`); also POSTed to by one-click clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_unsubscribe: Option<String>,
}

impl ExtraHeaders {
    pub fn parse(json: Option<&str>) -> ExtraHeaders {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> Option<String> {
        if self == &ExtraHeaders::default() {
            None
        } else {
            serde_json::to_string(self).ok()
        }
    }
}

/// `<outbox-{id}.{hash of the idempotency key}@{host}>`: the same for every attempt at the same
/// row, so a receiving server that got the message twice can tell.
pub fn message_id(email: &Letter<'_>, public_url: &str) -> String {
    let host = url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    let digest = hex::encode(Sha256::digest(email.idempotency_key.as_bytes()));
    format!("<outbox-{}.{}@{}>", email.id, &digest[..16], host)
}

/// Builds the message; an error names what was wrong (usually the recipient address), and is
/// permanent: the same row would fail the same way next time. With `bounce_address`, the
/// envelope sender (Return-Path) is the row's own VERP address (`domain::delivery`), so that a
/// bounce names the message it answers even when its body does not. With `signer`, the message
/// is DKIM-signed: every email leaves through here, whatever its kind or transport.
pub fn build(
    email: &Letter<'_>,
    from: &str,
    public_url: &str,
    bounce_address: Option<&str>,
    signer: Option<&Signer>,
) -> Result<Message, String> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| format!("email.from {from:?} is not an address: {e}"))?;
    let to: Mailbox = email
        .recipient
        .parse()
        .map_err(|e| format!("recipient {:?} is not an address: {e}", email.recipient))?;
    let mut builder = Message::builder();
    if let Some(bounce_address) = bounce_address {
        let verp = delivery::verp_address(bounce_address, email.id)
            .ok_or_else(|| format!("email.bounce_address {bounce_address:?} is not an address"))?;
        let sender: Address = verp
            .parse()
            .map_err(|e| format!("email.bounce_address {bounce_address:?} makes {verp:?}: {e}"))?;
        builder = builder.envelope(
            Envelope::new(Some(sender), vec![to.email.clone()])
                .map_err(|e| format!("cannot build the envelope: {e}"))?,
        );
    }
    let mut builder = builder
        .from(from)
        .to(to)
        .subject(email.subject)
        .date(SystemTime::from(email.created_at.and_utc()))
        .message_id(Some(message_id(email, public_url)));
    let extra = ExtraHeaders::parse(email.headers);
    if let Some(url) = &extra.list_unsubscribe {
        builder = builder
            .raw_header(raw("List-Unsubscribe", format!("<{url}>"))?)
            .raw_header(raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into())?);
    }
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(email.body_text.to_string());
    let body = match email.body_html {
        Some(html) => Part::Multi(
            MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.to_string()),
            ),
        ),
        None => Part::Single(text),
    };
    let Some(signer) = signer else {
        let result = match body {
            Part::Multi(multi) => builder.multipart(multi),
            Part::Single(single) => builder.singlepart(single),
        };
        return result.map_err(|e| format!("cannot build the message: {e}"));
    };
    let mut message = flattened(builder, &body).map_err(|e| format!("cannot build the message: {e}"))?;
    signer.sign(&mut message);
    Ok(message)
}

/// The message with its body part's `Content-Type` and `Content-Transfer-Encoding` among the
/// message's own headers, and the part's encoded body as the message's body: the same bytes on
/// the wire, but lettre's signer only sees (and so only signs) the message's own headers, and
/// left inside the part `Content-Type` would be listed in the signature without being hashed.
fn flattened(builder: MessageBuilder, part: &Part) -> Result<Message, lettre::error::Error> {
    let (headers, formatted) = match part {
        Part::Multi(multi) => (multi.headers(), multi.formatted()),
        Part::Single(single) => (single.headers(), single.formatted()),
    };
    let body_starts = formatted
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(formatted.len(), |at| at + 4);
    let mut builder = builder.header(MIME_VERSION_1_0);
    if let Some(content_type) = headers.get::<ContentType>() {
        builder = builder.header(content_type);
    }
    // A multipart body is 7bit: its parts carry their own encodings.
    let encoding = headers
        .get::<ContentTransferEncoding>()
        .unwrap_or(ContentTransferEncoding::SevenBit);
    builder.body(Body::dangerous_pre_encoded(
        formatted[body_starts..].to_vec(),
        encoding,
    ))
}

enum Part {
    Single(SinglePart),
    Multi(MultiPart),
}

fn raw(name: &str, value: String) -> Result<HeaderValue, String> {
    let name = HeaderName::new_from_ascii(name.to_string()).map_err(|e| format!("header {name}: {e}"))?;
    Ok(HeaderValue::new(name, value))
}
