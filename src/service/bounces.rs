//! Bounces and auto-replies that came back to the bounce address (issue 18): recorded in the
//! delivery history of the email they answer; a hard bounce also fails that email and marks the
//! expert's address undeliverable, until a facilitator corrects it (`correct_address`).
//! `delphi bounce receive` and `POST /api/v1/bounces` both come here.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{audit, studies, Actor, ServiceError};
use crate::db::models::deliveries::{DeliveryRecord, Undeliverable};
use crate::db::models::experts::{Expert, ExpertFields};
use crate::db::models::outbox::OutboxEmail;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::delivery::{self, DeliveryEvent, Verdict};
use crate::domain::outbox::DeliveryState;
use crate::domain::panel_file::EmailAddress;
use crate::domain::study::Study;
use crate::email::bounce::{self, Received};

/// What a received message was recorded as.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// The outbox row (message) it answers.
    pub message: i64,
    pub event: DeliveryEvent,
    pub status: Option<String>,
    pub detail: String,
    /// The expert's pseudonym, when the email was to an expert.
    pub expert: Option<String>,
    /// Whether the expert's address is now marked undeliverable.
    pub undeliverable: bool,
    /// The same message was handed over before: nothing changed, and the rest describes the
    /// entry recorded then.
    pub duplicate: bool,
}

/// Reads and records one returned message. `envelope_recipient` is the address the MTA
/// delivered it to (its VERP address), when the MTA says so; the message's own headers are
/// searched too. Unrelated or malformed input is refused as `Invalid` and changes nothing; so
/// does a message recorded before (its fingerprint, `email::bounce::fingerprint`), which is
/// answered with that entry, as a `duplicate`.
pub fn receive(
    conn: &mut DbConnection,
    raw: &[u8],
    envelope_recipient: Option<&str>,
    bounce_address: Option<&str>,
) -> Result<Recorded, ServiceError> {
    let refuse = |reason: String| ServiceError::invalid("message", reason);
    let received = bounce::read(raw).map_err(|r| refuse(format!("not recorded: {r}")))?;
    let verdict = delivery::classify(&received.returned);
    let (event, status, detail, recipient) = match verdict {
        Verdict::Unrelated(reason) => return Err(refuse(format!("not recorded: {reason}"))),
        Verdict::Bounce {
            permanent,
            status,
            recipient,
            detail,
        } => (
            if permanent {
                DeliveryEvent::HardBounce
            } else {
                DeliveryEvent::SoftBounce
            },
            Some(status.to_string()),
            detail,
            recipient,
        ),
        Verdict::AutoReply { detail } => (DeliveryEvent::AutoReply, None, detail, None),
    };
    write_transaction(conn, |conn| {
        let email = answered_email(conn, &received, envelope_recipient, bounce_address)?;
        if let Some(recipient) = &recipient {
            if !delivery::same_address(recipient, &email.recipient) {
                return Err(refuse(format!(
                    "not recorded: the bounce is about {recipient}, but message {} went to another address",
                    email.id
                )));
            }
        }
        let at = now();
        // Recorded first, before anything else changes: a duplicate changes nothing.
        let fingerprint = &received.fingerprint;
        if !DeliveryRecord::insert_received(
            conn,
            email.id,
            event,
            status.as_deref(),
            &detail,
            fingerprint,
            at,
        )? {
            return already_recorded(conn, &email, fingerprint);
        }
        let expert = expert_of_email(conn, &email)?;
        let mut undeliverable = false;
        if event == DeliveryEvent::HardBounce {
            let reason = match &status {
                Some(code) if !detail.contains(code.as_str()) => format!("{code} {detail}"),
                _ => detail.clone(),
            };
            OutboxEmail::mark_bounced(conn, email.id, &format!("bounced: {reason}"))?;
            if let Some(expert) = &expert {
                Undeliverable::mark(conn, expert.id, &email.recipient, &reason, email.id, at)?;
                undeliverable = true;
            }
        }
        Ok(Recorded {
            message: email.id,
            event,
            status,
            detail,
            expert: expert.map(|e| e.pseudonym),
            undeliverable,
            duplicate: false,
        })
    })
}

/// The entry a message handed over before was recorded as, with the expert's mark as it is now.
fn already_recorded(
    conn: &mut DbConnection,
    email: &OutboxEmail,
    fingerprint: &str,
) -> Result<Recorded, ServiceError> {
    // Missing only when the email (and with it its history) was deleted in between.
    let record = DeliveryRecord::by_fingerprint(conn, email.id, fingerprint)?.ok_or_else(|| {
        ServiceError::Conflict(format!(
            "message {} was deleted while this bounce was recorded",
            email.id
        ))
    })?;
    let expert = expert_of_email(conn, email)?;
    let undeliverable = match &expert {
        Some(expert) => Undeliverable::of_expert(conn, expert.id)?.is_some(),
        None => false,
    };
    Ok(Recorded {
        message: record.outbox_id,
        event: record.event,
        status: record.status,
        detail: record.detail,
        expert: expert.map(|e| e.pseudonym),
        undeliverable,
        duplicate: true,
    })
}

fn expert_of_email(conn: &mut DbConnection, email: &OutboxEmail) -> Result<Option<Expert>, ServiceError> {
    Ok(match email.expert_id {
        Some(id) => Expert::by_id(conn, id)?,
        None => None,
    })
}

/// The sent email a returned message answers: by its VERP address (the envelope recipient the
/// MTA names, else the message's delivery headers), else by a Delphi Message-ID it quotes.
fn answered_email(
    conn: &mut DbConnection,
    received: &Received,
    envelope_recipient: Option<&str>,
    bounce_address: Option<&str>,
) -> Result<OutboxEmail, ServiceError> {
    let refuse = |reason: String| ServiceError::invalid("message", format!("not recorded: {reason}"));
    let verp = bounce_address.and_then(|bounce| {
        envelope_recipient
            .into_iter()
            .chain(received.delivered_to.iter().map(String::as_str))
            .find_map(|to| delivery::verp_id(bounce, to))
    });
    let email = match verp {
        Some(id) => Some(OutboxEmail::by_id(conn, id)?.ok_or_else(|| {
            refuse(format!(
                "it answers message {id}, which Delphi does not keep (any more)"
            ))
        })?),
        None => {
            let mut found = None;
            for id in &received.message_ids {
                if let Some(email) = OutboxEmail::by_message_id(conn, id)? {
                    found = Some(email);
                    break;
                }
            }
            found
        }
    };
    let email = email.ok_or_else(|| {
        refuse(
            "it names no email Delphi sent (no bounces+ID address of email.bounce_address, no Message-ID of Delphi's)"
                .into(),
        )
    })?;
    if email.sent_at.is_none() && email.message_id.is_none() {
        return Err(refuse(format!("message {} was never sent", email.id)));
    }
    Ok(email)
}

/// What correcting an undeliverable address did.
#[derive(Debug, Clone, Serialize)]
pub struct Corrected {
    pub pseudonym: String,
    /// The address as stored (its domain in lower case).
    pub address: String,
}

/// A facilitator corrects the address of expert `pseudonym`: the new address is stored and the
/// mark of the old one removed, so emails go out again. Resending the invitation is the
/// caller's next step (`rounds::resend`), in its own transaction.
pub fn correct_address(
    conn: &mut DbConnection,
    slug: &str,
    pseudonym: &str,
    new_email: &str,
    actor: &Actor,
) -> Result<Corrected, ServiceError> {
    let address =
        EmailAddress::parse(new_email).map_err(|e| ServiceError::invalid("email", e.to_string()))?;
    studies::write(conn, slug, |conn, study| {
        let expert = expert_of(conn, study, pseudonym)?;
        if let Some(other) =
            Expert::with_email(conn, study.id, address.as_str())?.filter(|o| o.id != expert.id)
        {
            return Err(ServiceError::invalid(
                "email",
                format!("{address} is already the address of {}", other.pseudonym),
            ));
        }
        let at = now();
        Expert::update(
            conn,
            expert.id,
            &ExpertFields {
                group_id: expert.group_id,
                email: Some(address.as_str()),
                name: &expert.name,
                country: expert.country.as_deref(),
                language: expert.language.as_deref(),
            },
            at,
        )?;
        let was_marked = Undeliverable::clear(conn, expert.id)? > 0;
        audit::log(
            conn,
            study,
            actor,
            "expert.address_corrected",
            serde_json::json!({ "expert": expert.pseudonym, "was_undeliverable": was_marked }),
            at,
        )?;
        Ok(Corrected {
            pseudonym: expert.pseudonym,
            address: address.as_str().to_string(),
        })
    })
}

/// Each expert's delivery state (`DeliveryState::refined`): their last email carrying a link
/// (`last`, as the dashboard picks it), the last event of its delivery history, the mark of an
/// undeliverable address. Experts without an email and without a mark are absent.
pub fn expert_states(
    conn: &mut DbConnection,
    study_id: i64,
    last: &HashMap<i64, &OutboxEmail>,
) -> Result<HashMap<i64, DeliveryState>, ServiceError> {
    let mut last_event: HashMap<i64, DeliveryEvent> = HashMap::new();
    for (record, _, _) in DeliveryRecord::of_study(conn, study_id)? {
        last_event.insert(record.outbox_id, record.event);
    }
    let marked: HashSet<i64> = Undeliverable::of_study(conn, study_id)?
        .into_iter()
        .map(|u| u.expert_id)
        .collect();
    let mut states: HashMap<i64, DeliveryState> = last
        .iter()
        .map(|(expert, email)| {
            let state = DeliveryState::of(Some(email.status));
            (
                *expert,
                state.refined(last_event.get(&email.id).copied(), marked.contains(expert)),
            )
        })
        .collect();
    for expert in marked {
        states.insert(expert, DeliveryState::Undeliverable);
    }
    Ok(states)
}

/// `expert_states` for a study whose emails the caller has not loaded.
pub fn expert_states_of_study(
    conn: &mut DbConnection,
    study_id: i64,
) -> Result<HashMap<i64, DeliveryState>, ServiceError> {
    let emails = OutboxEmail::all(conn, Some(study_id))?;
    let last = last_link_emails(&emails);
    expert_states(conn, study_id, &last)
}

/// An expert whose address bounced for good.
#[derive(Debug, Clone, Serialize)]
pub struct UndeliverableExpert {
    #[serde(skip)]
    pub expert_id: i64,
    pub pseudonym: String,
    pub reason: String,
    /// When the bounce came, UTC.
    pub marked_at: String,
}

/// The study's undeliverable experts; the bounced address is hidden from the reason unless
/// the study shows names (`named`).
pub fn undeliverable(
    conn: &mut DbConnection,
    study_id: i64,
    named: bool,
) -> Result<Vec<UndeliverableExpert>, ServiceError> {
    let pseudonyms: HashMap<i64, String> = Expert::of_study(conn, study_id)?
        .into_iter()
        .map(|e| (e.id, e.pseudonym))
        .collect();
    Ok(Undeliverable::of_study(conn, study_id)?
        .into_iter()
        .filter_map(|u| {
            Some(UndeliverableExpert {
                expert_id: u.expert_id,
                pseudonym: pseudonyms.get(&u.expert_id)?.clone(),
                reason: if named {
                    u.reason
                } else {
                    delivery::hide_address(&u.reason, &u.address)
                },
                marked_at: utc(u.marked_at),
            })
        })
        .collect())
}

fn utc(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// One entry of an expert's delivery history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    /// The email's kind (invitation, reminder, …) and outbox id.
    pub kind: String,
    pub message: i64,
    pub event: DeliveryEvent,
    pub status: Option<String>,
    /// The server's words.
    pub detail: String,
}

/// Everything that happened to the emails of one expert, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct ExpertHistory {
    pub pseudonym: String,
    /// Name and address in a `named` study only.
    pub name: Option<String>,
    pub address: Option<String>,
    pub undeliverable: Option<UndeliverableExpert>,
    pub entries: Vec<HistoryEntry>,
}

pub fn history(conn: &mut DbConnection, slug: &str, pseudonym: &str) -> Result<ExpertHistory, ServiceError> {
    let study = studies::load(conn, slug)?;
    let expert = expert_of(conn, &study, pseudonym)?;
    let named = study.shows_names();
    let address = expert.email.clone().unwrap_or_default();
    let mut entries: Vec<HistoryEntry> = DeliveryRecord::of_study(conn, study.id)?
        .into_iter()
        .filter(|(_, of, _)| *of == Some(expert.id))
        .map(|(record, _, kind)| HistoryEntry {
            at: utc(record.at),
            kind,
            message: record.outbox_id,
            event: record.event,
            status: record.status,
            detail: if named {
                record.detail
            } else {
                delivery::hide_address(&record.detail, &address)
            },
        })
        .collect();
    entries.reverse();
    Ok(ExpertHistory {
        undeliverable: undeliverable(conn, study.id, named)?
            .into_iter()
            .find(|u| u.expert_id == expert.id),
        name: named.then(|| expert.name.clone()),
        address: if named { expert.email.clone() } else { None },
        pseudonym: expert.pseudonym,
        entries,
    })
}

/// The study's expert (panel member or test expert) known by `pseudonym`.
fn expert_of(conn: &mut DbConnection, study: &Study, pseudonym: &str) -> Result<Expert, ServiceError> {
    Expert::of_study(conn, study.id)?
        .into_iter()
        .find(|e| e.pseudonym == pseudonym)
        .ok_or_else(|| ServiceError::NotFound(format!("`{}` has no expert {pseudonym}", study.slug)))
}

/// The last email carrying an expert's link (invitation or reminder) per expert: what the
/// tables say about delivery. `emails` in the order they were queued.
pub(crate) fn last_link_emails(emails: &[OutboxEmail]) -> HashMap<i64, &OutboxEmail> {
    let mut last: HashMap<i64, &OutboxEmail> = HashMap::new();
    for email in emails {
        if let Some(expert_id) = email.expert_id {
            if matches!(email.kind.as_str(), "invitation" | "reminder" | "next_round") {
                last.insert(expert_id, email);
            }
        }
    }
    last
}
