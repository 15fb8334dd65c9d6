//! What became of an email after the outbox handed it over (issue 18): the events of its
//! delivery history, the per-message bounce address (VERP), and the classification of what
//! came back — a bounce (hard or soft), an auto-reply, or something unrelated. Pure: the bytes
//! of a received message are read by `email::bounce` into a [`Returned`].

use crate::domain::named::named;
use crate::domain::outbox::DeliveryState;

named! {
    /// One entry of an email's delivery history.
    pub enum DeliveryEvent {
        /// The relay refused an attempt (its reply is the detail); the outbox may retry.
        Refused = "refused",
        /// The relay took the message (its reply is the detail).
        Accepted = "accepted",
        /// The recipient's server refused for good (5.x.x): the address is undeliverable.
        HardBounce = "hard_bounce",
        /// A temporary failure or delay reported later (4.x.x): counted, nothing blocked.
        SoftBounce = "soft_bounce",
        /// An automatic answer ("out of office"): the message did arrive.
        AutoReply = "auto_reply",
        /// Not sent: the address had bounced for good before.
        Skipped = "skipped",
    }
}

impl DeliveryState {
    /// The state of an expert's last email, told more precisely by the last event of its
    /// delivery history, and overruled by the address being marked undeliverable.
    pub fn refined(self, last_event: Option<DeliveryEvent>, undeliverable: bool) -> DeliveryState {
        match (self, last_event) {
            _ if undeliverable => DeliveryState::Undeliverable,
            (DeliveryState::Delivered, Some(DeliveryEvent::SoftBounce)) => DeliveryState::Delayed,
            (DeliveryState::Delivered, Some(DeliveryEvent::AutoReply)) => DeliveryState::AutoReplied,
            (state, _) => state,
        }
    }
}

/// `bounces@example.org` and outbox row 42 → `bounces+42@example.org`; None when the bounce
/// address is not `local@domain`.
pub fn verp_address(bounce_address: &str, outbox_id: i64) -> Option<String> {
    let (local, domain) = split_address(bounce_address)?;
    Some(format!("{local}+{outbox_id}@{domain}"))
}

/// The outbox row a VERP address `candidate` names, for the configured `bounce_address`.
pub fn verp_id(bounce_address: &str, candidate: &str) -> Option<i64> {
    let (local, domain) = split_address(bounce_address)?;
    let (their_local, their_domain) = split_address(candidate)?;
    if !their_domain.eq_ignore_ascii_case(domain) {
        return None;
    }
    let id = their_local.strip_prefix(local)?.strip_prefix('+')?;
    id.parse().ok().filter(|id: &i64| *id > 0)
}

fn split_address(address: &str) -> Option<(&str, &str)> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, domain) = address.rsplit_once('@')?;
    (!local.is_empty() && !domain.is_empty() && !local.contains(char::is_whitespace))
        .then_some((local, domain))
}

/// An enhanced mail system status code (RFC 3463), `class.subject.detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCode {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl StatusCode {
    /// Exactly a code such as `5.1.1`; its class is 2, 4 or 5.
    pub fn parse(text: &str) -> Option<StatusCode> {
        let mut parts = text.trim().split('.');
        let class: u8 = parts.next()?.parse().ok()?;
        let subject: u16 = number(parts.next()?, 3)?;
        let detail: u16 = number(parts.next()?, 3)?;
        if parts.next().is_some() || !matches!(class, 2 | 4 | 5) {
            return None;
        }
        Some(StatusCode {
            class,
            subject,
            detail,
        })
    }

    /// The first enhanced status code in free text, else the first SMTP reply code (`550 …`)
    /// as `5.0.0` — non-standard bounces quote the remote server's reply.
    pub fn find(text: &str) -> Option<StatusCode> {
        let words = || {
            text.split(|c: char| {
                c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ';' | ',' | '#' | '<' | '>')
            })
        };
        words()
            .map(|w| w.trim_end_matches([':', '.']))
            .find_map(StatusCode::parse)
            .or_else(|| {
                words().find_map(|w| {
                    let w = w.trim_end_matches([':', '-']);
                    let code: u16 = (w.len() == 3).then(|| w.parse().ok()).flatten()?;
                    matches!(code, 421..=554)
                        .then(|| StatusCode::parse(&format!("{}.0.0", code / 100)))
                        .flatten()
                })
            })
    }

    pub fn is_permanent(self) -> bool {
        self.class == 5
    }
}

fn number(text: &str, digits: usize) -> Option<u16> {
    (!text.is_empty() && text.len() <= digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

impl std::fmt::Display for StatusCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// One per-recipient group of a `message/delivery-status` part (RFC 3464 section 2.3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientReport {
    /// The address of `Final-Recipient: rfc822; ada@example.org`.
    pub final_recipient: Option<String>,
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`, lower case.
    pub action: Option<String>,
    pub status: Option<String>,
    /// The remote server's words (`Diagnostic-Code`), without the `smtp;` type.
    pub diagnostic: Option<String>,
}

/// What matters of a message that came back to a bounce address, as `email::bounce` read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Returned {
    pub subject: Option<String>,
    /// The sender's address.
    pub from: Option<String>,
    /// `Auto-Submitted` (RFC 3834), lower case.
    pub auto_submitted: Option<String>,
    /// Any of `X-Autoreply`, `X-Autorespond` present, or `Precedence: auto_reply`.
    pub autoreply_header: bool,
    /// The per-recipient groups of a `message/delivery-status` part (empty without one).
    pub recipients: Vec<RecipientReport>,
    /// The human-readable text of the message (its text parts, not the original's headers).
    pub text: String,
}

/// What a returned message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Bounce {
        /// 5.x.x: the address does not work; 4.x.x: it may later.
        permanent: bool,
        status: StatusCode,
        /// The address the bounce names as failed, when it names one.
        recipient: Option<String>,
        /// The remote server's words.
        detail: String,
    },
    AutoReply {
        detail: String,
    },
    /// Not something Delivery keeps: the reason, for the one line that refuses it.
    Unrelated(String),
}

/// Subjects of automatic answers, in the languages mail servers commonly send them in.
const AUTO_REPLY_SUBJECTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "auto:",
    "abwesenheitsnotiz",
    "réponse automatique",
    "respuesta automática",
    "risposta automatica",
    "automatisch antwoord",
    "resposta automática",
];

/// Subjects and senders of bounces that are not RFC 3464 reports.
const BOUNCE_SUBJECTS: &[&str] = &[
    "undelivered mail",
    "undeliverable",
    "delivery status notification",
    "delivery failure",
    "delivery has failed",
    "mail delivery failed",
    "mail delivery failure",
    "returned mail",
    "failure notice",
    "mail system error",
    "could not be delivered",
    "nondeliverable",
];
const BOUNCE_SENDERS: &[&str] = &["mailer-daemon@", "postmaster@", "mail-daemon@"];

/// Phrases of a refusal for good when a non-standard bounce quotes no status code.
const UNKNOWN_USER: &[&str] = &[
    "user unknown",
    "unknown user",
    "no such user",
    "does not exist",
    "mailbox unavailable",
    "address rejected",
    "recipient rejected",
];

/// Bounce, auto-reply or unrelated. A delivery status report decides by its own fields; an
/// auto-reply is recognised by its headers (RFC 3834) or its subject; other bounces by their
/// sender or subject and the status code their text quotes.
pub fn classify(returned: &Returned) -> Verdict {
    if !returned.recipients.is_empty() {
        return classify_report(&returned.recipients);
    }
    let subject = returned.subject.as_deref().unwrap_or("").to_lowercase();
    let from = returned.from.as_deref().unwrap_or("").to_lowercase();
    let bounce_like = BOUNCE_SENDERS.iter().any(|s| from.starts_with(s))
        || BOUNCE_SUBJECTS.iter().any(|s| subject.contains(s));
    if bounce_like {
        let text = returned.text.to_lowercase();
        let status = StatusCode::find(&returned.text)
            .filter(|s| s.class != 2)
            .or_else(|| {
                UNKNOWN_USER
                    .iter()
                    .any(|p| text.contains(p))
                    .then_some(StatusCode {
                        class: 5,
                        subject: 1,
                        detail: 1,
                    })
            });
        return match status {
            Some(status) => Verdict::Bounce {
                permanent: status.is_permanent(),
                status,
                recipient: None,
                detail: diagnostic_line(&returned.text, status)
                    .unwrap_or_else(|| returned.subject.clone().unwrap_or_default()),
            },
            None => Verdict::Unrelated(
                "it looks like a bounce but quotes no status code (such as 5.1.1) nor a reason".into(),
            ),
        };
    }
    let auto_submitted = returned
        .auto_submitted
        .as_deref()
        .is_some_and(|v| !v.trim().is_empty() && !v.trim().starts_with("no"));
    if auto_submitted
        || returned.autoreply_header
        || AUTO_REPLY_SUBJECTS.iter().any(|s| subject.starts_with(s))
    {
        return Verdict::AutoReply {
            detail: returned.subject.clone().unwrap_or_else(|| "(no subject)".into()),
        };
    }
    Verdict::Unrelated("it is neither a delivery status notification, a bounce nor an auto-reply".into())
}

fn classify_report(recipients: &[RecipientReport]) -> Verdict {
    let failing = recipients.iter().find_map(|r| {
        let action = r.action.as_deref().unwrap_or("");
        let status = r.status.as_deref().and_then(StatusCode::parse);
        let status = match (action, status) {
            (_, Some(s)) if s.class != 2 => s,
            ("failed", _) => StatusCode {
                class: 5,
                subject: 0,
                detail: 0,
            },
            ("delayed", _) => StatusCode {
                class: 4,
                subject: 0,
                detail: 0,
            },
            _ => return None,
        };
        // A report that says "delayed" is temporary whatever its code claims.
        let permanent = status.is_permanent() && action != "delayed";
        Some(Verdict::Bounce {
            permanent,
            status,
            recipient: r.final_recipient.clone(),
            detail: r.diagnostic.clone().unwrap_or_else(|| {
                format!("{} ({status})", if action.is_empty() { "failed" } else { action })
            }),
        })
    });
    failing.unwrap_or_else(|| {
        Verdict::Unrelated("it is a delivery status notification that reports no failure or delay".into())
    })
}

/// The line of `text` that quotes `status` (the remote server's words), trimmed.
fn diagnostic_line(text: &str, status: StatusCode) -> Option<String> {
    let code = status.to_string();
    let reply = (status.subject == 0 && status.detail == 0).then(|| status.class.to_string());
    text.lines()
        .map(str::trim)
        .find(|line| {
            line.contains(&code)
                || reply.as_deref().is_some_and(|class| {
                    line.split_whitespace().any(|w| {
                        w.len() == 3 && w.starts_with(class) && w.bytes().all(|b| b.is_ascii_digit())
                    })
                })
        })
        .map(|line| line.chars().take(500).collect())
}

/// Every `<outbox-…@…>` message id quoted in `text`: the ids Delphi gives its emails
/// (`email::message::message_id`), which a bounce or an auto-reply usually quotes (original
/// headers, `In-Reply-To`, `References`).
pub fn outbox_message_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<outbox-") {
        let tail = &rest[start..];
        match tail.find('>') {
            Some(end) if end < 200 && !tail[..end].contains(char::is_whitespace) => {
                let id = tail[..=end].to_string();
                if !ids.contains(&id) {
                    ids.push(id);
                }
                rest = &tail[end..];
            }
            _ => rest = &tail[1..],
        }
    }
    ids
}

/// `text` (a server's words) without `address` in it, for a pseudonymous study's facilitators:
/// bounces quote the address they refused.
pub fn hide_address(text: &str, address: &str) -> String {
    let address = address.trim();
    if address.is_empty() {
        return text.to_string();
    }
    let lower = text.to_lowercase();
    let needle = address.to_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    // Lower-casing keeps byte offsets for the ASCII of addresses; anything else is left as is.
    if lower.len() == text.len() {
        while let Some(found) = lower[rest..].find(&needle) {
            out.push_str(&text[rest..rest + found]);
            out.push_str("[address hidden]");
            rest += found + needle.len();
        }
    }
    out.push_str(&text[rest..]);
    out
}

/// Whether `recipient` and `address` are the same mailbox (domains compare without case; the
/// local part too, as nearly every server treats it).
pub fn same_address(recipient: &str, address: &str) -> bool {
    let clean = |a: &str| {
        a.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_lowercase()
    };
    clean(recipient) == clean(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> StatusCode {
        StatusCode::parse(text).unwrap()
    }

    #[test]
    fn verp_addresses_round_trip() {
        assert_eq!(
            verp_address("bounces@example.org", 42).as_deref(),
            Some("bounces+42@example.org")
        );
        assert_eq!(verp_id("bounces@example.org", "bounces+42@EXAMPLE.org"), Some(42));
        assert_eq!(verp_id("bounces@example.org", "<bounces+7@example.org>"), Some(7));
        assert_eq!(verp_id("bounces@example.org", "bounces@example.org"), None);
        assert_eq!(verp_id("bounces@example.org", "bounces+x@example.org"), None);
        assert_eq!(verp_id("bounces@example.org", "bounces+42@example.com"), None);
        assert_eq!(verp_id("bounces@example.org", "other+42@example.org"), None);
        assert_eq!(verp_address("no address", 1), None);
    }

    #[test]
    fn status_codes_are_read_from_fields_and_text() {
        assert_eq!(
            code("5.1.1"),
            StatusCode {
                class: 5,
                subject: 1,
                detail: 1
            }
        );
        assert_eq!(StatusCode::parse("3.1.1"), None);
        assert_eq!(StatusCode::parse("5.1"), None);
        assert_eq!(StatusCode::parse("5.1.1.1"), None);
        assert_eq!(
            StatusCode::find("host mx said: 550 5.1.1 <ada@example.org>: User unknown"),
            Some(code("5.1.1"))
        );
        assert_eq!(StatusCode::find("said: 452 mailbox full"), Some(code("4.0.0")));
        assert_eq!(StatusCode::find("version 1.2.3 of nothing"), None);
        assert_eq!(StatusCode::find("nothing here"), None);
    }

    fn report(action: &str, status: Option<&str>) -> Returned {
        Returned {
            recipients: vec![RecipientReport {
                final_recipient: Some("ada@example.org".into()),
                action: Some(action.into()),
                status: status.map(str::to_string),
                diagnostic: Some("smtp; 550 5.1.1 User unknown".into()),
            }],
            auto_submitted: Some("auto-replied".into()),
            ..Returned::default()
        }
    }

    #[test]
    fn delivery_reports_decide_by_action_and_status() {
        match classify(&report("failed", Some("5.1.1"))) {
            Verdict::Bounce {
                permanent: true,
                status,
                recipient,
                ..
            } => {
                assert_eq!(status, code("5.1.1"));
                assert_eq!(recipient.as_deref(), Some("ada@example.org"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(&report("delayed", Some("4.4.7"))),
            Verdict::Bounce { permanent: false, .. }
        ));
        assert!(matches!(
            classify(&report("failed", None)),
            Verdict::Bounce { permanent: true, .. }
        ));
        assert!(matches!(
            classify(&report("delivered", Some("2.0.0"))),
            Verdict::Unrelated(_)
        ));
    }

    #[test]
    fn plain_text_bounces_are_recognised() {
        let returned = Returned {
            subject: Some("Undelivered Mail Returned to Sender".into()),
            from: Some("MAILER-DAEMON@mx.example.net".into()),
            text: "I'm sorry to have to inform you...\n\n<ada@example.org>: host mx said:\n  550 5.1.1 User unknown\n".into(),
            ..Returned::default()
        };
        match classify(&returned) {
            Verdict::Bounce {
                permanent: true,
                status,
                detail,
                ..
            } => {
                assert_eq!(status, code("5.1.1"));
                assert_eq!(detail, "550 5.1.1 User unknown");
            }
            other => panic!("{other:?}"),
        }
        let vague = Returned {
            subject: Some("failure notice".into()),
            text: "Sorry, the user does not exist here.".into(),
            ..Returned::default()
        };
        assert!(matches!(
            classify(&vague),
            Verdict::Bounce { permanent: true, .. }
        ));
        let empty = Returned {
            subject: Some("failure notice".into()),
            text: "Sorry.".into(),
            ..Returned::default()
        };
        assert!(matches!(classify(&empty), Verdict::Unrelated(_)));
    }

    #[test]
    fn auto_replies_are_not_bounces() {
        for returned in [
            Returned {
                subject: Some("Re: your invitation".into()),
                auto_submitted: Some("auto-replied".into()),
                ..Returned::default()
            },
            Returned {
                subject: Some("Out of Office: Round 1".into()),
                ..Returned::default()
            },
            Returned {
                subject: Some("Re: Round 1".into()),
                autoreply_header: true,
                ..Returned::default()
            },
        ] {
            assert!(
                matches!(classify(&returned), Verdict::AutoReply { .. }),
                "{returned:?}"
            );
        }
        let person = Returned {
            subject: Some("Re: Round 1".into()),
            auto_submitted: Some("no".into()),
            text: "Thanks, I will answer tomorrow".into(),
            ..Returned::default()
        };
        assert!(matches!(classify(&person), Verdict::Unrelated(_)));
    }

    #[test]
    fn outbox_message_ids_are_found_once() {
        let text = "Message-ID: <outbox-12.abcdef@delphi.test>\nIn-Reply-To: <outbox-12.abcdef@delphi.test>\n<outbox- broken\n<other@x>";
        assert_eq!(outbox_message_ids(text), vec!["<outbox-12.abcdef@delphi.test>"]);
        assert!(outbox_message_ids("none").is_empty());
    }

    #[test]
    fn states_are_refined_by_the_history() {
        use DeliveryEvent as E;
        use DeliveryState as S;
        assert_eq!(S::Delivered.refined(Some(E::SoftBounce), false), S::Delayed);
        assert_eq!(S::Delivered.refined(Some(E::AutoReply), false), S::AutoReplied);
        assert_eq!(S::Delivered.refined(Some(E::Accepted), false), S::Delivered);
        assert_eq!(S::Queued.refined(None, true), S::Undeliverable);
        assert_eq!(S::Failed.refined(Some(E::HardBounce), false), S::Failed);
    }

    #[test]
    fn addresses_are_hidden_from_the_servers_words() {
        assert_eq!(
            hide_address(
                "550 5.1.1 <Ada@example.org>: unknown; ada@example.org",
                "ada@example.org"
            ),
            "550 5.1.1 <[address hidden]>: unknown; [address hidden]"
        );
        assert_eq!(
            hide_address("no address here", "ada@example.org"),
            "no address here"
        );
        assert_eq!(hide_address("x", ""), "x");
    }

    #[test]
    fn addresses_compare_without_case_or_brackets() {
        assert!(same_address("Ada@Example.org", "<ada@example.org>"));
        assert!(!same_address("ada@example.org", "bob@example.org"));
    }
}
